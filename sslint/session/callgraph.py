"""Which units define and call which functions, read from their text before any
parse, to analyse the files callee-first: a unit is analysed after the units that
define the functions it calls, so their summaries are ready for it (no second parse).

The scan is approximate (C read as text: definitions at the start of a line, calls
as `name(`); a wrong guess only costs a unit analysed again in the fix-point rounds
of sslint.session.program, never a different result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A line that starts like a definition: `int conn_open(`, `SSL *\ntls_open(`.
_HEAD = re.compile(rb"^(?:[A-Za-z_][^\n;(){}=#]*?[ \t*])?([A-Za-z_]\w*)[ \t]*\(", re.M)
_CALL = re.compile(rb"\b([A-Za-z_]\w*)\s*\(")
_KEYWORDS = frozenset({"if", "while", "for", "switch", "return", "sizeof", "else", "do"})
_BODY_START = re.compile(rb"\s*\{")
_PUNCT = re.compile(rb"[();{}]")


@dataclass(frozen=True)
class Scan:
    defines: frozenset[str]  # functions it defines with external linkage
    calls: frozenset[str]    # names it calls that it does not define
    # Each function it defines (static ones too) and the names its body calls, the
    # body read as the text up to the next definition.
    bodies: tuple[tuple[str, frozenset[str]], ...] = ()


def scan_text(text: bytes) -> Scan:
    heads = []
    for m in _HEAD.finditer(text):
        name = m.group(1).decode("latin-1")
        if name in _KEYWORDS:
            continue
        close = _closing_paren(text, m.end())
        if close < 0 or not _BODY_START.match(text, close + 1):
            continue
        line_start = text.rfind(b"\n", 0, max(0, m.start() - 1)) + 1
        heads.append((m.start(), close, name, b"static" in text[line_start:m.end()]))
    defined = {name for _, _, name, static in heads if not static}
    everything = {name for _, _, name, _ in heads}
    bodies = []
    calls: set[str] = set()
    for k, (start, _, name, _) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        got = {c.decode("latin-1") for c in _CALL.findall(text, start, end)}
        calls |= got
        bodies.append((name, frozenset(got - {name})))
    first = heads[0][0] if heads else len(text)  # calls in initialisers before any body
    calls |= {c.decode("latin-1") for c in _CALL.findall(text, 0, first)}
    return Scan(frozenset(defined), frozenset(calls - everything - _KEYWORDS), tuple(bodies))


def _closing_paren(text: bytes, i: int, limit: int = 4000) -> int:
    """The `)` closing the parameter list opened just before i, or -1."""
    depth = 1
    end = min(len(text), i + limit)
    while True:
        m = _PUNCT.search(text, i, end)
        if m is None:
            return -1
        c = m.group()
        if c in b";{}":  # not a parameter list
            return -1
        depth += 1 if c == b"(" else -1
        if depth == 0:
            return m.start()
        i = m.end()


def scan(path: str) -> Scan:
    try:
        with open(path, "rb") as fh:
            return scan_text(fh.read())
    except OSError:
        return Scan(frozenset(), frozenset())


def _owners(scans: list[Scan]) -> dict[str, int]:
    """The unit defining each name; -1 for a name several units define."""
    owner: dict[str, int] = {}
    for i, s in enumerate(scans):
        for name in s.defines:
            owner[name] = -1 if name in owner and owner[name] != i else i
    return owner


def pending(scans: list[Scan], order: list[list[int]]) -> list[frozenset[str]]:
    """Per unit, the names it calls that a unit of its own wave or a later one
    defines (files that call each other): their summaries come only after it ran,
    so it may have to run again."""
    owner = _owners(scans)
    wave = {i: w for w, members in enumerate(order) for i in members}
    return [frozenset(n for n in s.calls
                      if owner.get(n, -1) not in (-1, i) and wave[owner[n]] >= wave[i])
            for i, s in enumerate(scans)]


def waves(scans: list[Scan]) -> list[list[int]]:
    """Unit indexes in waves: every unit after the units whose functions it calls
    (units that call each other share a wave); input order within a wave."""
    owner = _owners(scans)
    deps = [sorted({owner[n] for n in s.calls if owner.get(n, -1) not in (-1, i)})
            for i, s in enumerate(scans)]
    comp = _components(deps)
    depth: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for i, c in enumerate(comp):
        members.setdefault(c, []).append(i)
    for c in sorted(members):  # components come out callees first (Tarjan's order)
        depth[c] = max((depth[comp[d]] + 1 for i in members[c] for d in deps[i]
                        if comp[d] != c), default=0)
    out: list[list[int]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for i, c in enumerate(comp):
        out[depth[c]].append(i)
    return out


def _components(deps: list[list[int]]) -> list[int]:
    """Strongly connected components (Tarjan, iterative), numbered in the order they
    are completed: a component's callees have smaller numbers."""
    n = len(deps)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    comp = [-1] * n
    counter = 0
    ncomp = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, k = work[-1]
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if k < len(deps[v]):
                work[-1] = (v, k + 1)
                w = deps[v][k]
                if index[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = ncomp
                    if w == v:
                        break
                ncomp += 1
    return comp


def hot(scans: list[Scan], lifecycle: frozenset[str]) -> frozenset[str]:
    """The functions these units define whose bodies call a lifecycle function, or
    (transitively) one of them: the only ones whose summaries can make a caller's
    body worth analysing."""
    calls: dict[str, frozenset[str]] = {}
    for s in scans:
        calls.update(s.bodies)
    found = {n for n, c in calls.items() if c & lifecycle}
    while True:
        more = {n for n, c in calls.items() if n not in found and c & found}
        if not more:
            return frozenset(found)
        found |= more
