"""Small facts about abstract values and conditions the evaluator shares: what a
condition tests, constant folding, status results, fresh objects."""
from __future__ import annotations


from sslint.core import ir
from sslint.engine.state import ALLOC, Obj, Value, replace


def condition_subject(cond: ir.Expr, truth: bool, passthrough):
    """What a condition tests: (lvalue, is-nonzero-when-true) or
    ((lvalue, equal?, constant), None). Calls whose result is the truth of one of
    their arguments (`TEST_ptr(x = f())`) are seen through."""
    while True:
        if isinstance(cond, ir.Unary) and cond.op == "!":
            cond, truth = cond.operand, not truth
            continue
        if isinstance(cond, ir.Call):
            through = passthrough(cond)
            if through is not None:
                cond, truth = through[0], truth != through[1]
                continue
        if isinstance(cond, ir.Assign) and cond.op == "=":
            return cond.target, truth
        if isinstance(cond, ir.Binary) and cond.op == ",":
            cond = cond.rhs
            continue
        break
    if isinstance(cond, (ir.Var, ir.Member, ir.Deref)):
        return cond, truth
    if isinstance(cond, ir.Binary) and cond.op in ("==", "!="):
        lhs, rhs = cond.lhs, cond.rhs
        if isinstance(lhs, ir.Int):
            lhs, rhs = rhs, lhs
        if isinstance(rhs, ir.Int):
            if isinstance(lhs, ir.Assign) and lhs.op == "=":
                lhs = lhs.target
            if isinstance(lhs, ir.Call):  # a call whose value is an lvalue's
                through = passthrough(lhs)
                if through is not None and not through[1]:
                    lhs = through[0]
            if isinstance(lhs, (ir.Var, ir.Member, ir.Deref)):
                eq = (cond.op == "==") == truth
                return (lhs, eq, rhs.value), None
    return None, None


def global_changed(path: str, statics_too: bool) -> bool:
    return path.startswith("g:") and (statics_too or not path.startswith("g:s:"))


ARITH = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"})


def is_fresh(o: Obj) -> bool:
    """A new object (SSL_new's), not a new reference to one that may already be
    known (SSL_get1_session's: the table marks such results "existing")."""
    return o.origin == ALLOC and "existing" not in o.marks


def is_local_scalar(e: ir.Expr) -> bool:
    """A local or parameter scalar: its facts were always kept (not path memory)."""
    return isinstance(e, ir.Var) and e.scope != "global" and not e.is_pointer


def is_constant(e: ir.Expr) -> bool:
    """An expression made of integer constants only (an enum, `1u << 4`, `-1`)."""
    stack = [e]
    while stack:
        e = stack.pop()
        if isinstance(e, ir.Int):
            continue
        if isinstance(e, ir.Unary) and e.op in ("-", "~", "+"):
            stack.append(e.operand)
        elif isinstance(e, ir.Binary) and e.op in ARITH:
            stack.extend((e.lhs, e.rhs))
        else:
            return False
    return True


def is_status(v: Value) -> bool:
    return isinstance(v, tuple) and v[0] == "ret"


NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
FLIP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


def named(o: Obj, name: str) -> Obj:
    return replace(o, var=name)


INT_OPS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "&": lambda a, b: a & b,
    "|": lambda a, b: a | b, "*": lambda a, b: a * b, "^": lambda a, b: a ^ b,
    "<<": lambda a, b: a << b if 0 <= b < 64 else None,
    ">>": lambda a, b: a >> b if 0 <= b < 64 else None,
    "/": lambda a, b: int(a / b), "%": lambda a, b: a % b,
}
