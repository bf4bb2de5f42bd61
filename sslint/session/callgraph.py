"""Which units define and call which functions, read from their text before any
parse, to analyse the files callee-first: a unit is analysed after the units that
define the functions it calls, so their summaries are ready for it (no second parse).

The scan is approximate (C read as text: definitions at the start of a line, calls
as `name(`); a wrong guess only costs a unit analysed again in the fix-point rounds
of sslint.session.program, never a different result.
"""
from __future__ import annotations

import json
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


def to_json(s: Scan) -> bytes:
    return json.dumps({"defines": sorted(s.defines), "calls": sorted(s.calls),
                       "bodies": [[n, sorted(c)] for n, c in s.bodies]}).encode()


def from_json(data: bytes) -> Scan | None:
    """The Scan to_json() wrote, or None for anything else (a cache folder may have
    been planted: only lists of names are taken)."""
    def names(x: object) -> frozenset[str]:
        if not isinstance(x, list) or not all(isinstance(n, str) for n in x):
            raise TypeError("not a list of names")
        return frozenset(x)
    try:
        d = json.loads(data)
        bodies = tuple((n, names(c)) for n, c in d["bodies"] if isinstance(n, str))
        if len(bodies) != len(d["bodies"]):
            return None
        return Scan(names(d["defines"]), names(d["calls"]), bodies)
    except (ValueError, KeyError, TypeError):
        return None


# A name defined by more units than this (mocks, test helpers) gives no edges: its
# callers could not be ordered after all of them without merging unrelated waves.
_MAX_DEFINERS = 8


def _owners(scans: list[Scan]) -> dict[str, tuple[int, ...]]:
    """The units defining each name. A name defined by several units is usually one
    of alternative backends (crypto_openssl.c / crypto_mbedtls.c) of which the build
    compiles one: the text cannot tell which, so callers depend on all of them."""
    owner: dict[str, list[int]] = {}
    for i, s in enumerate(scans):
        for name in s.defines:
            owner.setdefault(name, []).append(i)
    return {n: tuple(o) for n, o in owner.items() if len(o) <= _MAX_DEFINERS}


def _callees(s: Scan, i: int, owner: dict[str, tuple[int, ...]]) -> dict[str, list[int]]:
    """Per name unit `i` calls: the other units defining it."""
    out = {}
    for n in s.calls:
        units = [o for o in owner.get(n, ()) if o != i]
        if units:
            out[n] = units
    return out


def pending(scans: list[Scan], order: list[list[int]]) -> list[frozenset[str]]:
    """Per unit, the names it calls that a unit of its own wave or a later one
    defines (files that call each other): their summaries come only after it ran,
    so it may have to run again."""
    owner = _owners(scans)
    wave = {i: w for w, members in enumerate(order) for i in members}
    return [frozenset(n for n, units in _callees(s, i, owner).items()
                      if any(wave[o] >= wave[i] for o in units))
            for i, s in enumerate(scans)]


def waves(scans: list[Scan]) -> list[list[int]]:
    """Unit indexes in waves: every unit after the units whose functions it calls
    (units that call each other share a wave); input order within a wave. A name
    several units define (alternative backends, a test's mocks) orders its callers
    after them only where that puts no units in one wave: a mock calling half the
    program would otherwise merge it into one cycle, analysed again and again."""
    owner = _owners(scans)
    hard: list[list[int]] = []
    soft: list[list[int]] = []
    for i, s in enumerate(scans):
        callees = _callees(s, i, owner)
        hard.append(sorted({u[0] for n, u in callees.items() if len(owner[n]) == 1}))
        soft.append(sorted({o for n, u in callees.items() if len(owner[n]) > 1 for o in u}))
    comp = _components(hard)
    depth: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for i, c in enumerate(comp):
        members.setdefault(c, []).append(i)
    for c in sorted(members):  # components come out callees first (Tarjan's order)
        # A soft edge to a component numbered before this one closes no cycle.
        depth[c] = max((depth[comp[d]] + 1 for i in members[c]
                        for d in (*hard[i], *(d for d in soft[i] if comp[d] < c))
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


def stops(scans: list[Scan], noreturn: frozenset[str]) -> frozenset[str]:
    """The functions whose bodies call one that never returns (exit, abort, a fatal
    helper of the table): the fatal helpers a summary may call noreturn. Not
    transitive: every function with an error path would be one."""
    return frozenset(n for s in scans for n, calls in s.bodies if calls & noreturn)


def hot(scans: list[Scan], lifecycle: frozenset[str]) -> frozenset[str]:
    """The functions these units define whose bodies call a lifecycle function, or
    (transitively) one of them: the only ones whose summaries can make a caller's
    body worth analysing. A name defined in several units counts as hot if any of
    its bodies is (the text cannot tell which one the build compiles)."""
    callers: dict[str, set[str]] = {}
    found: set[str] = set()
    for s in scans:
        for name, calls in s.bodies:
            if calls & lifecycle:
                found.add(name)
            for c in calls:
                callers.setdefault(c, set()).add(name)
    work = list(found)
    while work:
        for caller in callers.get(work.pop(), ()):
            if caller not in found:
                found.add(caller)
                work.append(caller)
    return frozenset(found)
