"""Which variables a function may still read after each CFG node: integer facts
about dead variables are dropped so counters and flags do not multiply states."""
from __future__ import annotations

import re
from collections import deque

from sslint.core import ir
from sslint.engine.conditions import (COND_PREFIX, atoms, comparison_key, key_operands,
                                     subjects)
from sslint.engine.state import State, is_obj


def live_variables(fn: ir.Function) -> list[frozenset[str]]:
    """Variables that may still be read at or after each node (live-in), before being
    assigned again: a local that a node sets with `=` (and does not otherwise read) is
    dead before it, so what it held on the way there no longer splits states. Locals
    whose address is taken may be read through a pointer: never killed."""
    taken = address_taken(fn)
    var_lists = ir.node_vars(fn)
    killed: list[set[str]] = []  # per node, worked out once for uses and kills
    for n in fn.nodes:
        targets = [t for t in _certain_assignments(n.expr)
                   if t.scope == "local" and t.key not in taken]
        killed.append(_only_written(var_lists[n.id], targets) if targets else set())

    def kills(n: ir.Node) -> set[str]:
        return killed[n.id]

    def uses(n: ir.Node) -> set[str]:
        return {x.key for x in var_lists[n.id]} - killed[n.id]
    return _liveness(fn, uses, kills)


def _certain_assignments(e: ir.Expr | None) -> list[ir.Var]:
    """Variables that `=` sets whenever e is evaluated (not behind `&&`, `||`, `?:`)."""
    out = []
    stack = [e]
    while stack:
        e = stack.pop()
        if e is None:
            continue
        if isinstance(e, ir.Assign):
            if e.op == "=" and isinstance(e.target, ir.Var):
                out.append(e.target)
            stack.append(e.value)
        elif isinstance(e, ir.Binary):
            stack.append(e.lhs)
            if e.op not in ("&&", "||"):
                stack.append(e.rhs)
        elif isinstance(e, ir.CondExpr):
            stack.append(e.cond)
        elif isinstance(e, ir.Call):
            stack.extend(e.args)
        elif isinstance(e, ir.Unary):
            stack.append(e.operand)
    return out


def _only_written(names: tuple[ir.Var, ...], targets: list[ir.Var]) -> set[str]:
    """The targets that the node mentions (`names`: its variables) only as
    assignment targets."""
    mentions: dict[str, int] = {}
    for x in names:
        mentions[x.key] = mentions.get(x.key, 0) + 1
    written: dict[str, int] = {}
    for t in targets:
        written[t.key] = written.get(t.key, 0) + 1
    return {k for k, n in written.items() if mentions.get(k, 0) == n}


def address_taken(fn: ir.Function) -> frozenset[str]:
    """Variables whose address the function takes (`&x`, `&x.f`): a pointer may read
    or write them where their name does not appear."""
    out = set()
    for exprs in ir.node_exprs(fn):
        for x in exprs:
            if isinstance(x, ir.AddrOf):
                e = x.operand
                while isinstance(e, (ir.Member, ir.Index)) and not (
                        isinstance(e, ir.Member) and e.arrow):
                    e = e.base
                if isinstance(e, ir.Var):
                    out.add(e.key)
    return frozenset(out)


def live_facts(fn: ir.Function, handle_of) -> list[frozenset[str]]:
    """The remembered facts (tested lvalues' paths, comparison keys) that a condition
    may still test at or after each node: the others only split states."""
    def uses(n: ir.Node) -> set[str]:
        if n.kind not in ("branch", "switch") or n.expr is None:
            return set()
        u = set(subjects(n.expr))
        for cond in atoms(n.expr):
            keyed = comparison_key(cond, True, handle_of)
            if keyed is not None:
                u.add(keyed[0])
        return u
    return _liveness(fn, uses)


def _liveness(fn: ir.Function, uses_of, kills_of=None) -> list[frozenset[str]]:
    """Names used at or after each node (live-in) and not set again before: a backward
    fixpoint over bitsets, one bit per name."""
    bit: dict[str, int] = {}
    uses = []
    keep = []  # per node: the bits that flow through it (all but its kills)
    for n in fn.nodes:
        mask = 0
        for k in uses_of(n):
            mask |= 1 << bit.setdefault(k, len(bit))
        uses.append(mask)
        killed = 0
        if kills_of is not None:
            for k in kills_of(n):
                killed |= 1 << bit.setdefault(k, len(bit))
        keep.append(~killed)
    preds: list[list[int]] = [[] for _ in fn.nodes]
    for n in fn.nodes:
        for s in n.succ:
            preds[s].append(n.id)
    live = list(uses)
    succs = [n.succ for n in fn.nodes]
    work = deque(reversed(range(len(fn.nodes))))
    queued = [True] * len(fn.nodes)
    while work:
        i = work.popleft()
        queued[i] = False
        after = 0
        for s in succs[i]:
            after |= live[s]
        new = uses[i] | (after & keep[i])
        if new != live[i]:
            live[i] = new
            for p in preds[i]:
                if not queued[p]:
                    queued[p] = True
                    work.append(p)
    names = sorted(bit, key=bit.__getitem__)
    cache: dict[int, frozenset[str]] = {}
    out = []
    for mask in live:
        if mask not in cache:
            cache[mask] = frozenset(k for i, k in enumerate(names) if mask >> i & 1)
        out.append(cache[mask])
    return out


def local_root(path: str, params: frozenset[str], taken: frozenset[str]) -> str:
    """The local variable an access path starts at (`x`, `x->f`, `*x`), or "" for a
    parameter's, a global's, or a local whose address is taken (read elsewhere)."""
    if path.startswith("g:") or path[0] == COND_PREFIX:
        return ""
    root = _root(path)
    return "" if root in params or root in taken else root


def _root(path: str) -> str:
    return _ROOT_SPLIT.split(path.lstrip("*"), 1)[0]


_ROOT_SPLIT = re.compile(r"\.|->")


def prune_dead(st: State, live: frozenset[str]) -> None:
    """Forget integer facts about variables nobody reads any more: otherwise every
    counter and flag multiplies the states. Handles are kept (leaks need them)."""
    dead = [k for k, v in st.env.items() if not is_obj(v) and (
        any(_root(p) not in live for p in key_operands(k)) if k[0] == COND_PREFIX
        else _root(k) not in live)]
    for k in dead:
        del st.env[k]


