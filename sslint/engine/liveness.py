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
    """Variables that may still be read at or after each node (live-in). A node that
    assigns a local variable (`x = ...`, not `x += ...`) ends the life of the value it
    held: before it, the variable is live only if a path reads it first."""
    var_lists = ir.node_vars(fn)

    def uses(n: ir.Node) -> set[str]:
        keys = [x.key for x in var_lists[n.id]]
        target = killed(n)
        if target is not None and keys.count(target) == 1:
            return set(keys) - {target}  # only written here, not read (x = f(x) reads)
        return set(keys)
    return _liveness(fn, uses, killed)


def killed(n: ir.Node) -> str | None:
    """The local variable (or parameter) this node overwrites whatever it reads."""
    e = n.expr
    if n.kind == "expr" and isinstance(e, ir.Assign) and e.op in ("=", "decl") \
            and isinstance(e.target, ir.Var) and e.target.scope in ("local", "param"):
        return e.target.key
    return None


def address_taken(fn: ir.Function) -> frozenset[str]:
    """Variables whose address the function takes: read through a pointer, where
    liveness does not see them."""
    return frozenset(x.operand.key for exprs in ir.node_exprs(fn) for x in exprs
                     if isinstance(x, ir.Unary) and x.op == "&"
                     and isinstance(x.operand, ir.Var))


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
    """Names used at or after each node (live-in): a backward fixpoint over bitsets,
    one bit per name; a node's kill (kills_of) is live before it only if it uses it."""
    bit: dict[str, int] = {}
    uses = []
    keep = []  # per node: the bits that pass through it (all but its kill)
    for n in fn.nodes:
        mask = 0
        for k in uses_of(n):
            mask |= 1 << bit.setdefault(k, len(bit))
        uses.append(mask)
        kill = kills_of(n) if kills_of else None
        keep.append(-1 if kill is None else ~(1 << bit.setdefault(kill, len(bit))))
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


