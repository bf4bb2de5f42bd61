"""Path feasibility from conditions tested more than once.

C code tests the same condition twice (`if (xml) out = BIO_new(); ... if (xml)
BIO_free(out);`), re-tests a loop's exit condition after the loop, and keeps mode
flags in struct fields. Two kinds of facts are kept per path, both only for what
the function tests at least once (so they cost nothing elsewhere):

- values of the lvalues conditions test (`c->flag`, a global mode), like the
  facts already kept for local scalars: what a test or an assignment tells;
- outcomes of comparisons between lvalues (`i < n`, `a == b`), under a canonical
  key in the environment ("?<|i#1|n#2"), dropped when an operand is written.
"""
from __future__ import annotations

from sslint.core import ir

COND_PREFIX = "?"
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def path_of(e: ir.Expr) -> str | None:
    """The access path of a pure lvalue (`v`, `v.f`, `p->f`, `*p`), else None."""
    if isinstance(e, ir.Var):
        return e.key
    if isinstance(e, ir.Member):
        inner = path_of(e.base)
        return None if inner is None else f"{inner}{'->' if e.arrow else '.'}{e.field}"
    if isinstance(e, ir.Deref):
        inner = path_of(e.operand)
        return None if inner is None else f"*{inner}"
    return None


def _operand(e: ir.Expr) -> str | None:
    if isinstance(e, ir.Int):
        return f"#{e.value}"
    return path_of(e)


def comparison_key(cond: ir.Expr, truth: bool, handle_of) -> tuple[str, bool] | None:
    """(key, truth of the keyed comparison) for a comparison between two pure
    operands at least one of which is an lvalue, else None. `a > b`, `a >= b`,
    `a <= b` become `<` keys; `!=` becomes `==`; operands of `==` are ordered.
    Handles are left out: their objects keep their nullness themselves."""
    while isinstance(cond, ir.Unary) and cond.op == "!":
        cond, truth = cond.operand, not truth
    if not isinstance(cond, ir.Binary) or cond.op not in _FLIP:
        return None
    if handle_of(cond.lhs) or handle_of(cond.rhs):
        return None
    a, b = _operand(cond.lhs), _operand(cond.rhs)
    if a is None or b is None or (a.startswith("#") and b.startswith("#")):
        return None
    op = cond.op
    if op == "!=":
        op, truth = "==", not truth
    if op == "==":
        a, b = sorted((a, b))
    elif op == ">":
        op, a, b = "<", b, a
    elif op == ">=":
        op, truth = "<", not truth
    elif op == "<=":
        op, a, b, truth = "<", b, a, not truth
    return f"{COND_PREFIX}{op}|{a}|{b}", truth


def key_operands(key: str) -> list[str]:
    return [p for p in key[len(COND_PREFIX):].split("|")[1:] if not p.startswith("#")]


def mentions(key: str, path: str) -> bool:
    """Whether a comparison key reads path or something below it."""
    dot, arrow = path + ".", path + "->"
    return any(p == path or p.startswith(dot) or p.startswith(arrow) or p == "*" + path
               for p in key_operands(key))


def tested_paths(fn: ir.Function, guard: "Guards", pointers: frozenset[str]
                 ) -> frozenset[str]:
    """Lvalues whose values are worth keeping: tested by two conditions (branch and
    switch nodes), or tested once and assigned somewhere (`c->tls = 1; ...
    if (c->tls)`), and by at least one condition that guards a call of `relevant`
    (lifecycle functions). Each kept fact splits states: facts nobody reads again,
    or that only decide between log lines, are not kept."""
    counts: dict[str, int] = {}
    found: list[tuple[ir.Node, set[str]]] = []
    for n in fn.nodes:
        if n.kind in ("branch", "switch") and n.expr is not None:
            paths = set(subjects(n.expr))
            found.append((n, paths))
            for p in paths:
                counts[p] = counts.get(p, 0) + 1
    if not counts:
        return frozenset()
    kept = {p for p in counts if _memory_path(p) or p in pointers}
    assigned: set[str] = set()
    if any(counts[p] == 1 for p in kept):  # tested once: worth it only if also assigned
        for exprs in ir.node_exprs(fn):
            _assigned(exprs, assigned)
    return _guarded(found, {p for p in kept if counts[p] > 1 or p in assigned}, guard)


def pointer_vars(fn: ir.Function) -> frozenset[str]:
    """Keys of the function's local and parameter pointers that are not handles
    (`SSL_CTX **sctx`, a `CURL *`): their tested values are remembered like fields'."""
    out: set[str] = set()
    for xs in ir.node_vars(fn):
        for x in xs:
            if x.is_pointer and not x.handle and x.scope != "global":
                out.add(x.key)
    return frozenset(out)


def _memory_path(p: str) -> bool:
    """Fields, pointees and globals (local scalars keep the facts they always did,
    as part of the state's core)."""
    return p.startswith(("g:", "*")) or "->" in p or "." in p


def retested_comparisons(fn: ir.Function, handle_of, guard: "Guards") -> frozenset[str]:
    """Keys of the comparisons that two conditions of the function make, one of them
    guarding a call of `relevant`: only their outcomes are worth remembering."""
    counts: dict[str, int] = {}
    found: list[tuple[ir.Node, set[str]]] = []
    for n in fn.nodes:
        if n.kind == "branch" and n.expr is not None:
            keys = set()
            for cond in atoms(n.expr):
                keyed = comparison_key(cond, True, handle_of)
                if keyed is not None:
                    keys.add(keyed[0])
                    counts[keyed[0]] = counts.get(keyed[0], 0) + 1
            if keys:
                found.append((n, keys))
    return _guarded(found, {k for k, c in counts.items() if c > 1}, guard)


def _guarded(found: list[tuple[ir.Node, set[str]]], candidates: set[str],
             guard: "Guards") -> frozenset[str]:
    """The candidates that at least one of the conditions naming them guards."""
    useful: set[str] = set()
    for n, names in found:
        wanted = (names & candidates) - useful
        if wanted and guard(n):
            useful |= wanted
    return frozenset(useful)


class Guards:
    """Whether a branch leads, before its paths meet again, to a call of one of the
    relevant functions (within a few dozen nodes)."""

    LIMIT = 48

    def __init__(self, fn: ir.Function, relevant: frozenset[str]):
        self.fn = fn
        self.relevant = relevant
        self.npred: list[int] | None = None
        self.calls: list[bool | None] = [None] * len(fn.nodes)  # node calls a relevant one

    def __call__(self, node: ir.Node) -> bool:
        if self.npred is None:
            self.npred = [0] * len(self.fn.nodes)
            for n in self.fn.nodes:
                for s in n.succ:
                    self.npred[s] += 1
        todo = list(node.succ)
        seen = set(todo)
        while todo and len(seen) <= self.LIMIT:
            n = self.fn.nodes[todo.pop()]
            calls = self.calls[n.id]
            if calls is None:
                calls = self.calls[n.id] = any(
                    isinstance(x, ir.Call) and x.callee in self.relevant
                    for x in ir.node_exprs(self.fn)[n.id])
            if calls:
                return True
            for s in n.succ:
                if s not in seen and self.npred[s] == 1:
                    seen.add(s)
                    todo.append(s)
        return False


def atoms(e: ir.Expr) -> list[ir.Expr]:
    """The comparisons inside a condition (through `!`, `&&`, `||`, `,`)."""
    out, stack = [], [e]
    while stack:
        e = stack.pop()
        if isinstance(e, ir.Unary) and e.op == "!":
            stack.append(e.operand)
        elif isinstance(e, ir.Binary) and e.op in ("&&", "||", ","):
            stack.extend((e.lhs, e.rhs))
        else:
            out.append(e)
    return out


def subjects(e: ir.Expr) -> list[str]:
    out: list[str] = []
    stack = [e]
    while stack:
        e = stack.pop()
        if isinstance(e, ir.Unary) and e.op == "!":
            stack.append(e.operand)
        elif isinstance(e, ir.Binary) and e.op in ("==", "!=", "<", ">", "<=", ">=",
                                                     "&&", "||", ","):
            stack.extend((e.lhs, e.rhs))
        elif isinstance(e, ir.Assign):
            stack.append(e.target)
        else:
            p = path_of(e)
            if p is not None:
                out.append(p)
    return out


def _assigned(exprs: tuple[ir.Expr, ...], out: set[str]) -> None:
    for x in exprs:
        if isinstance(x, ir.Assign):
            p = path_of(x.target)
            if p is not None:
                out.add(p)
