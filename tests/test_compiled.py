"""The engine runs compiled (mypyc, setup.py) or as Python: the same tests pass on both
(tests/run.sh runs them on each), and these check which one is under test and what only
one of them executes."""
from __future__ import annotations

import dataclasses
import os
import pickle
import re
import subprocess
import sys

import pytest

import sslint
from sslint.core import ir
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
    for module in (ir, lower):  # compiled with the engine (setup.py's EXTRA_MODULES)
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


def test_the_compiled_replace_names_every_field_in_order():
    """The compiled path calls Obj's constructor positionally: a new field must be
    added there too, or it would silently take its default."""
    text = (ROOT / "sslint" / "engine" / "state.py").read_text()
    body = text[text.index("    if COMPILED:"):text.index("    new = _new(Obj)")]
    named = re.findall(r'g\("(\w+)", o\.(\w+)\)', body)
    assert all(a == b for a, b in named)
    assert tuple(a for a, _ in named) == tuple(f.name for f in dataclasses.fields(Obj))


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
    """Snapshots of the IR go between worker processes; compiled frozen classes need
    their own way back (Expr.__reduce__)."""
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
    assert list(ir.walk(ir.Binary("==", ir.Member(v, "f", True), ir.Int(3)))) == [
        ir.Binary("==", ir.Member(v, "f", True), ir.Int(3)), ir.Int(3),
        ir.Member(v, "f", True), v]
