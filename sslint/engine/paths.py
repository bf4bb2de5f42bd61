"""Access paths (`v`, `v.f`, `p->f`, `*p`) the engine keys its facts by, and how to
name an expression in messages."""
from __future__ import annotations

from sslint.core import ir


class Paths:
    """Access paths: `v`, `v.f`, `v->f`, ... rooted at a variable."""

    @staticmethod
    def of(e: ir.Expr) -> tuple[str, ir.Var, bool] | None:
        """(path, root variable, goes through a pointer) for a trackable lvalue."""
        if isinstance(e, ir.Var):
            return e.key, e, False
        if isinstance(e, ir.Member):
            inner = Paths.of(e.base)
            if inner is None:
                return None
            path, root, through = inner
            return f"{path}{'->' if e.arrow else '.'}{e.field}", root, through or e.arrow
        if isinstance(e, ir.Deref):
            inner = Paths.of(e.operand)
            if inner is None:
                return None
            path, root, _ = inner
            return f"*{path}", root, True
        return None

    @staticmethod
    def escapes(root: ir.Var, through_pointer: bool) -> bool:
        # Memory that outlives this call: globals, statics, anything behind a pointer.
        return root.scope == "global" or through_pointer


def handle_of_expr(e: ir.Expr) -> str:
    if isinstance(e, (ir.Var, ir.Member)):
        return e.handle
    if isinstance(e, ir.Call):
        return e.result_handle
    return ""


def describe(e: ir.Expr) -> str:
    """A short C spelling for messages."""
    if isinstance(e, ir.Var):
        return e.name
    if isinstance(e, ir.Member):
        return f"{describe(e.base)}{'->' if e.arrow else '.'}{e.field}"
    if isinstance(e, ir.Deref):
        return f"*{describe(e.operand)}"
    if isinstance(e, ir.Call):
        return f"{e.callee}()"
    return ""
