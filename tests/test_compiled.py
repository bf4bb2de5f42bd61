"""The engine runs compiled (mypyc, setup.py) or as Python: the same tests pass on both
(tests/run.sh runs them on each), and these check which one is under test and what only
one of them executes."""
from __future__ import annotations

import ast
import dataclasses
import os
import pickle
import re
import subprocess
import sys

import pytest

import sslint
from sslint.core import ir, loc
from sslint.core.events import Cause
from sslint.core.findings import Loc, Step
from sslint.engine import state
from sslint.engine.state import ALLOC, MAYBE, NULL, PARAM, Obj, replace
from sslint.frontend import lower

from conftest import ROOT


@pytest.mark.skipif("SSLINT_EXPECT_ENGINE" not in os.environ,
                    reason="tests/run.sh says which engine it built")
def test_the_engine_under_test_is_the_one_built():
    want = os.environ["SSLINT_EXPECT_ENGINE"]
    assert want in ("compiled", "pure")
    assert state.COMPILED == (want == "compiled"), state.__file__
    for module in (ir, loc, lower):  # compiled with the engine (setup.py's EXTRA_MODULES)
        assert module.__file__.endswith(".py") == (want == "pure"), module.__file__


def test_setup_compiles_the_modules_the_pure_switch_knows():
    text = (ROOT / "setup.py").read_text()
    listed = re.search(r"EXTRA_MODULES = \[(.*?)\]", text).group(1)
    extra = {m.strip(' "').removesuffix(".py").replace("/", ".") for m in listed.split(",")}
    assert set(sslint.COMPILED) == {"sslint.engine."} | extra


def test_replace_changes_exactly_the_named_field():
    a, b = Loc("a.c", 1, 1, 1, 2), Loc("b.c", 3, 4, 3, 9)
    o = Obj("SSL", ALLOC, 1, 1, MAYBE, a, "SSL_new")
    other = Obj("BIO", PARAM, 2, 0, NULL, b, "BIO_new", "v", "@1:1", True, True,
                Step(b, "freed"), Cause.OWNER, "SSL", frozenset({"m"}), b, True, "BIO_free",
                (("rbio", "@2:2"),), "c->bio", ("struct c", "bio"), (Step(b, "x"),))
    for f in dataclasses.fields(Obj):
        value = getattr(other, f.name)
        assert value != getattr(o, f.name), f.name  # `other` differs in every field
        new = replace(o, **{f.name: value})
        assert new == dataclasses.replace(o, **{f.name: value}), f.name
    with pytest.raises(TypeError):
        replace(o, nonsense=1)


def test_replace_names_every_field_in_order():
    """replace() calls Obj's constructor positionally: a new field must be added there
    too, or it would silently take its default."""
    text = (ROOT / "sslint" / "engine" / "state.py").read_text()
    body = text[text.index("def replace("):text.index("# A value:")]
    named = re.findall(r'g\("(\w+)", o\.(\w+)\)', body)
    assert all(a == b for a, b in named)
    assert tuple(a for a, _ in named) == tuple(f.name for f in dataclasses.fields(Obj))


def _written_inits(path):
    """(class, fields as (name, default source), __init__'s parameters as (name,
    default source)) for each dataclass of `path` that writes its own __init__."""
    src = path.read_text()
    for cls in ast.parse(src).body:
        init = next((f for f in getattr(cls, "body", ()) if isinstance(f, ast.FunctionDef)
                     and f.name == "__init__"), None)
        if not isinstance(cls, ast.ClassDef) or init is None or not any(
                "dataclass" in ast.unparse(d) for d in cls.decorator_list):
            continue
        fields = [(st.target.id, st.value) for st in cls.body if isinstance(st, ast.AnnAssign)]
        args = init.args.args[1:]
        defaults = [None] * (len(args) - len(init.args.defaults)) + init.args.defaults
        yield cls.name, [(n, _default(src, d)) for n, d in fields], \
            [(a.arg, _default(src, d)) for a, d in zip(args, defaults, strict=True)], init, src


def _default(src, node):
    if node is None:
        return None
    text = ast.get_source_segment(src, node)
    return "None" if text.startswith("field(default_factory") else text  # made in __init__


@pytest.mark.parametrize("module", ["sslint/core/ir.py", "sslint/core/loc.py",
                                    "sslint/engine/state.py", "sslint/engine/calls.py"])
def test_written_inits_match_the_fields(module):
    """Classes the lowering and the engine make most write their __init__ (compiled;
    @dataclass's stays Python): each takes the fields in order, with their defaults,
    and sets every one."""
    seen = 0
    for name, fields, params, init, src in _written_inits(ROOT / module):
        assert params == fields, name
        body = ast.get_source_segment(src, init)
        assert all(re.search(rf"self\.{n} = .*\b{n}\b", body) for n, _ in fields), name
        seen += 1
    assert seen >= {"ir.py": 14, "loc.py": 2}.get(module.rsplit("/", 1)[1], 1)


def test_pure_switch_loads_the_python_source():
    code = ("from sslint.engine import state, worklist; from sslint.core import ir; "
            "from sslint.frontend import lower; "
            "print(state.COMPILED, worklist.__file__, ir.__file__, lower.__file__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, SSLINT_PURE="1", PYTHONPATH=str(ROOT)),
                         check=True).stdout.split()
    assert out[0] == "False" and out[1].endswith("worklist.py"), out
    assert out[2].endswith("ir.py") and out[3].endswith("lower.py"), out


def test_every_ir_expression_survives_pickle():
    """Snapshots of the IR go between worker processes; compiled classes with their
    own __init__ need their own way back (__reduce__)."""
    at = Loc("a.c", 1, 2, 1, 9)
    v = ir.Var("x@1:2", "x", "SSL", "param", True, at)
    exprs = [v, ir.Int(0), ir.FuncRef("cb"), ir.Opaque((v,), invalid=True),
             ir.Call("SSL_free", (v, ir.Int(1)), at, (True, False), True, "SSL", True,
                     (False, True), True),
             ir.Member(v, "ssl", True, "SSL", at, "struct conn"), ir.Index(v, ir.Int(2)),
             ir.Deref(v, at), ir.AddrOf(v), ir.Assign(v, ir.Int(0), at, "+="),
             ir.CondExpr(v, None, ir.Int(1)), ir.Unary("!", v), ir.Binary("==", v, ir.Int(0))]
    # (slots=True makes a second class in Python: the module's is the one in use)
    assert {type(e) for e in exprs} == {c for c in ir.Expr.__subclasses__()
                                        if getattr(ir, c.__name__) is c}
    for e in exprs:
        back = pickle.loads(pickle.dumps(e))
        assert back == e and type(back) is type(e), e
    node = ir.Node(3, "branch", v, at, [4, 5], {4: 1, 5: None})
    obj = Obj("SSL", ALLOC, 1, 1, MAYBE, at, "SSL_new", trail=(Step(at, "made"),))
    for value in (node, obj, at, Step(at, "freed")):
        assert pickle.loads(pickle.dumps(value)) == value
    assert list(ir.walk(ir.Binary("==", ir.Member(v, "f", True), ir.Int(3)))) == [
        ir.Binary("==", ir.Member(v, "f", True), ir.Int(3)), ir.Int(3),
        ir.Member(v, "f", True), v]
