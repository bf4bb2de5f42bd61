"""The per-function, path-sensitive worklist over the CFG.

States are kept per CFG node as a set (no merging) up to MAX_STATES_PER_NODE;
past that bound, new states at that node are dropped, the handles on them are
withheld from every finding (the cap must not pick the path a report rests on),
and the function is reported as partially analysed. A global step budget bounds
the whole function the same way.
"""
from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sslint.core import ir
from sslint.engine.budget import Budget
from sslint.engine.calls import Calls
from sslint.engine.evaluate import Evaluator
from sslint.engine.eventlog import EventLog
from sslint.engine.lifecycle import Lifecycle
from sslint.engine.paths import handle_of_expr
from sslint.engine.liveness import (address_taken, live_facts, live_variables,
                                    local_root, prune_dead)
from sslint.engine.state import ALLOC, NULL, PARAM, Obj, State, Value, is_obj
from sslint.engine.summary import SummaryCollector
from sslint.core.events import CallbackReturn, Event, Leak, UncheckedReturn
from sslint.core.findings import Loc, Step
from sslint.model.api import ApiModel, FnSpec


@dataclass
class FunctionResult:
    events: list[Event]
    partial: str = ""  # why the analysis stopped early, if it did
    steps: int = 0
    summary: FnSpec | None = None  # what callers in the same file may assume
    # (record, field, kind, api, where): owned references stored in struct fields;
    # (record, field): fields whose handle it releases or passes on
    field_stores: frozenset = frozenset()
    field_handled: frozenset = frozenset()


class Engine:
    """One function's analysis, composed of: the event log, the lifecycle operations
    on objects, the expression evaluator and the call effects (evaluator and calls
    refer to each other through evaluate.CallHandler)."""

    def __init__(self, fn: ir.Function, model: ApiModel, budget: Budget = Budget(),
                 contract: tuple[int, int, str] | None = None,
                 wanted: frozenset[str] | None = None):
        self.contract = contract  # (param index, owned_when, registering function)
        self.summary = SummaryCollector(fn, model.attempt_marks())
        # Handles read from fields below struct-pointer parameters are kept after the
        # field is overwritten: the summary asks whether they were freed.
        self.field_roots = tuple(f"@{key}->" for _, key in self.summary.struct_params)
        self.fn = fn
        self.model = model
        self.budget = budget
        self.log = EventLog(fn, wanted)
        self.life = Lifecycle(self.log, model.kinds)
        self.eval = Evaluator(fn, self.life, model.lifecycle_names())
        self.eval.calls = Calls(model, self.eval, self.life)
        self.partial = ""
        self.withheld: set = set()  # sites of objects on paths the state cap dropped
        self.exits = 0  # states that reached an exit
        self.owed_at_exit: dict[Loc, int] = {}  # site -> exits still owing a taken ref
        self.live = live_variables(fn)
        self.params = frozenset(p.key for p in fn.params)
        self.taken = address_taken(fn)
        self.roots: dict[str, str] = {}  # env key -> its local root variable, or ""
        # Path feasibility's facts, only where the function tests something twice.
        self.remembers = bool(self.eval.tested or self.eval.retested)
        self.facts = live_facts(fn, handle_of_expr) if self.remembers else []
        self.memory = _MemoryKeys(self.eval.pointers)

    # ---- the worklist ----------------------------------------------------------
    def explore(self) -> FunctionResult:
        nodes = self.fn.nodes
        self.seen: list[dict] = [{} for _ in nodes]  # per node: core key -> facts kept
        self.merges: list[dict] = [{} for _ in nodes]  # per node: core key -> joins so far
        npred = [0] * len(nodes)
        for n in nodes:
            for succ in n.succ:
                npred[succ] += 1
        # States are compared (and bounded) where paths meet; every loop has such a node.
        joins = [c > 1 for c in npred]
        work: deque[tuple[int, State]] = deque([(self.fn.entry, State())])
        steps = 0
        deadline = self.budget.deadline
        while work:
            nid, st = work.popleft()
            steps += 1
            if steps > self.budget.max_steps:
                self.partial = f"step budget of {self.budget.max_steps} exceeded"
                break
            if deadline and not steps & 1023 and time.perf_counter() > deadline:
                self.partial = "the file's time limit was reached"
                break
            for succ, s2 in self.step(nodes[nid], st):
                if not joins[succ] or self.admit(succ, s2):
                    work.append((succ, s2))  # (one way in: nothing to merge or bound)
        spec = None if self.partial else self.summary.spec()
        return FunctionResult(self.final_events(), self.partial, steps, spec,
                              frozenset(self.eval.field_stores), frozenset(self.life.handled))

    def admit(self, succ: int, s2: State) -> bool:
        """Whether s2 goes on where paths meet at succ: not when a state that knows
        less went on already, nor past the state cap. States that differ only in
        remembered facts (conditions, values of fields, globals, pointers) are
        joined: the first times keeping the facts they agree on, then none (a
        bounded number of passes per core, however many facts)."""
        prune_dead(s2, self.live[succ])
        self.forget_dead_handles(s2, self.live[succ])
        renumber(s2)
        _fold_members(s2)
        if self.remembers:
            # Past the cap, facts only multiply what is dropped anyway.
            core, memory = self.memory.split(s2, _NO_FACTS if self.partial else self.facts[succ])
        else:  # nothing this function tests twice: no facts to tell apart
            core, memory = s2.key(), _NO_FACTS
        bucket = self.seen[succ]
        known = bucket.get(core)
        if known is not None:
            if known <= memory:
                return False
            passes = self.merges[succ].get(core, 0) + 1
            self.merges[succ][core] = passes
            memory = known & memory if passes <= _MERGES_KEEPING_FACTS else frozenset()
            _keep_memory(s2, memory, self.memory)
            bucket[core] = memory
            return True
        if len(bucket) >= self.budget.max_states_per_node:
            self.partial = (f"more than {self.budget.max_states_per_node} states "
                            f"at one program point")
            # The cap chose which paths go on: say nothing about the handles of the
            # paths it dropped (precision lost toward silence).
            self.withheld.update(o.site for o in s2.objs.values() if not o.unknown)
            return False
        bucket[core] = memory
        return True

    def forget_dead_handles(self, st: State, live: frozenset[str]) -> None:
        """Drop what locals nobody reads any more hold (`x`, `x->f`), when the handle
        there owes nothing (it cannot leak through them), together with the objects
        only they reached: otherwise a loop's last iteration's borrowed pointers and
        NULL checks multiply the states. Unless a handle that still owes would then
        be lost (its leak is reported at the exit, as before)."""
        roots = self.roots
        dead = []
        for k, v in st.env.items():
            if not is_obj(v):
                continue
            root = roots.get(k)
            if root is None:
                root = roots[k] = local_root(k, self.params, self.taken)
            if root and root not in live:
                o = st.objs.get(v)
                if o is None or (o.origin != PARAM and (
                        o.owe <= 0 or o.destroyed or o.unknown or o.null == NULL)):
                    dead.append(k)
        if not dead:
            return
        env = dict(st.env)
        for k in dead:
            del env[k]
        lost = _unreachable(env, st.objs, self.model.kinds.container)
        objs = st.objs
        for oid in lost:
            o = objs[oid]
            if o.origin == PARAM or oid.startswith(self.field_roots):
                continue
            if self.leak_candidate(o) and not self.in_container(st, o):
                return  # it still owes: keep it where the exit will see it
        for oid in lost:
            if objs[oid].origin != PARAM and not oid.startswith(self.field_roots):
                del objs[oid]
        st.env = env

    def final_events(self) -> list[Event]:
        events = self.log.sorted()
        # A reference taken on someone else's handle and still held at every exit is
        # the function's purpose (a "+1 for the caller" helper), not an imbalance.
        always = {site for site, n in self.owed_at_exit.items() if n == self.exits}
        if always:
            events = [e for e in events if not (isinstance(e, Leak) and e.source != ALLOC
                                                and e.site in always)]
        if self.withheld:
            kept = [e for e in events if e.origin is None or e.origin.loc not in self.withheld]
            if len(kept) < len(events):
                self.partial += (f"; findings about {len(self.withheld)} handle(s) on the "
                                 f"dropped paths were withheld")
            events = kept
        return events

    def step(self, node: ir.Node, st: State):
        kind = node.kind
        loc = node.loc or self.fn.loc
        if kind == "expr":
            if node.expr is None:
                return _fan([(s, st) for s in node.succ])
            self.check_result_use(st, node.expr)
            out: list[tuple[int, State]] = []
            for s, _ in self.eval.ev(st, node.expr):
                self.collect(s, loc)
                out.extend((n, s) for n in node.succ)
            return _fan(out)
        if kind == "branch":
            assert node.expr is not None  # lowering gives every branch its condition
            out = []
            for s, v in self.eval.ev(st, node.expr):
                taken = []
                for i, succ in enumerate(node.succ):
                    s2 = self.eval.assume(s.copy() if i + 1 < len(node.succ) else s, node.expr, v,
                                     i == 0)
                    if s2 is not None:
                        self.collect(s2, loc)
                        taken.append((succ, s2, i == 0))
                if len(taken) > 1:  # a real decision: worth a step in the path shown
                    for _, s2, truth in taken:
                        s2.decided(Step(loc, f"taking the {'true' if truth else 'false'} "
                                             f"branch"))
                out.extend((succ, s2) for succ, s2, _ in taken)
            return out
        if kind == "switch":
            out = []
            labels = {k for k in node.cases.values() if k is not None}
            for s, v in self.eval.ev(st, node.expr):
                self.collect(s, loc)
                for n in node.succ:
                    s2 = self.enter_case(s.copy(), node, v, n, labels)
                    if s2 is not None:
                        out.append((n, s2))
            return out
        if kind == "return":
            for s, v in self.eval.ev(st, node.expr):
                self.summary.at_exit(s, v, node.id)
                if self.contract is not None:
                    self.check_contract(s, v, loc, self.contract)
                self.life.escape(s, v)
                self.leaks_at_exit(s, loc, "returns")
            return []
        if kind == "exit":
            end = Loc(self.fn.loc.file, self.fn.loc.end_line, max(1, self.fn.loc.end_col - 1),
                      self.fn.loc.end_line, self.fn.loc.end_col)
            self.summary.at_exit(st, None, node.id)
            self.leaks_at_exit(st, end, "reaches the end of the function")
            return []
        return []  # sink: the path ends in a noreturn call

    def check_contract(self, st: State, v, loc: Loc, contract: tuple[int, int, str]) -> None:
        """A registered callback returns: does it hold the reference it was lent as the
        registering function's page says?"""
        index, owned_when, registrar = contract
        if index >= len(self.fn.params) or not isinstance(v, int):
            return
        p = self.fn.params[index]
        obj = next((oid for oid, o in st.objs.items()
                    if o.origin == PARAM and o.var == p.name), None)
        if obj is None:
            status = "untouched"
        else:
            o = st.objs[obj]
            if o.unknown or o.null == NULL or o.refs > 1:
                return  # unknown, NULL, or kept with a reference of its own
            stored = any(val == obj and _outlives_call(k) for k, val in st.env.items())
            status = ("freed" if o.destroyed else "stored" if stored
                      else "handed" if o.escaped or o.owner else "untouched")
        owned = v == owned_when
        if owned and status == "untouched":
            problem = "leaked"
        elif not owned and status in ("freed", "stored"):
            problem = "kept" if status == "stored" else status
        else:
            return  # passed on to code we cannot see: it may do either
        self.log.add(("callback-return", loc.line, loc.col),
                     CallbackReturn(handle=p.handle, site=loc, function=self.fn.name,
                                    var=p.name, api=registrar, problem=problem, returned=v))

    def enter_case(self, st: State, node: ir.Node, v, succ: int, labels: set[int]):
        """Refine st for the edge from a switch to succ; None if it cannot be taken."""
        if succ not in node.cases:
            return st  # a GNU case range or an unevaluated label: any value
        k = node.cases[succ]
        if k is None:  # default: none of the labels
            return None if isinstance(v, int) and v in labels else st
        assert node.expr is not None  # a switch always has its subject
        test = ir.Binary("==", node.expr, ir.Int(k))
        return self.eval.assume(st, test, self.eval.compare(st, "==", v, k), True)

    def check_result_use(self, st: State, e: ir.Expr) -> None:
        if isinstance(e, ir.Call) and e.callee:
            spec = self.model.lookup(e.callee)
            if spec is not None and spec.check_return:
                self.log.add(("unchecked-return", e.loc.line, e.loc.col),
                             UncheckedReturn(handle="", site=e.loc, function=self.fn.name,
                                             api=e.callee, man=spec.man, tags=spec.tags))

    # ---- ends of lifetimes -------------------------------------------------------
    @staticmethod
    def leak_candidate(o: Obj) -> bool:
        return (o.owe > 0 and not o.escaped and not o.unknown and o.null != NULL
                and not o.destroyed)

    def in_container(self, st: State, o: Obj) -> bool:
        """A reference taken on an element of a live stack (sk_X509_dup, then
        X509_up_ref of each element): the stack's to release."""
        owner = st.objs.get(o.owner) if o.owner and o.origin != ALLOC else None
        return owner is not None and not owner.destroyed \
            and self.model.kinds.container(owner.kind)

    def leaks_at_exit(self, st: State, loc: Loc, how: str) -> None:
        if self.fn.name == "main":
            return  # returning from main ends the process, like exit()
        # Still stored where it outlives the call (stored before an up_ref, say).
        kept = {v for k, v in st.env.items() if is_obj(v) and _outlives_call(k)}
        self.exits += 1
        for oid, o in st.objs.items():
            if self.leak_candidate(o) and oid not in kept and not self.in_container(st, o):
                if o.origin != ALLOC:
                    self.owed_at_exit[o.site] = self.owed_at_exit.get(o.site, 0) + 1
                self.log.emit(Leak, st, oid, loc, o.api,
                              exit=Step(loc, f"the function {how} here"), owe=o.owe,
                              source=o.origin, acquired=o.ref_site)

    def collect(self, st: State, loc: Loc) -> None:
        """Drop objects no variable reaches any more; an owned one is a leak here."""
        objs = st.objs
        for oid in _unreachable(st.env, objs, self.model.kinds.container):
            o = objs[oid]
            if o.origin == PARAM or oid.startswith(self.field_roots):
                continue  # kept: the function's summary asks what became of it
            if self.leak_candidate(o) and not self.in_container(st, o):
                self.log.emit(Leak, st, oid, loc, o.api,
                              exit=Step(loc, "the last reference to it is lost here"),
                              owe=o.owe, lost=True, source=o.origin, acquired=o.ref_site)
            del objs[oid]


def renumber(st: State) -> None:
    """Give an object made at a site whose first object is gone that site's own id
    (`@46:20#1` -> `@46:20`): a loop that frees a handle and takes a new one before
    the old one's variable is overwritten (`SSL_SESSION_free(sess); sess =
    SSL_get1_session(s);`) otherwise alternates between the two ids, twice the
    states. Only ids that nothing but plain variables hold are renamed."""
    objs = st.objs
    gone = [i for i in objs if "#" in i and i[1:2].isdigit() and i[:i.rindex("#")] not in objs]
    for oid in gone:
        base = oid[:oid.rindex("#")]
        if base in objs or any(o.owner == oid or any(v == oid for _, v in o.slots)
                               for o in objs.values()) \
                or any(oid in k or (not isinstance(v, str) and _mentions(v, oid))
                       for k, v in st.env.items()):
            continue
        st.objs = objs = {base if i == oid else i: o for i, o in objs.items()}
        for k, v in st.env.items():
            if v == oid:
                st.env[k] = base


def _mentions(v, oid: str) -> bool:
    if isinstance(v, (tuple, frozenset)):
        return any(x == oid or _mentions(x, oid) for x in v)
    return False


def _unreachable(env: dict[str, Value], objs: dict[str, Obj],
                 container: Callable[[str], bool]) -> list[str]:
    """The objects no variable reaches, directly or through an owner that is not a
    container (a stack's elements no variable names are the stack's business: kept,
    each push in a loop would be a new state)."""
    live = {v for v in env.values() if is_obj(v)}
    if len(live) == len(objs):
        return []
    changed = True
    while changed:  # objects owned by a live object live too (an SSL's BIOs)
        changed = False
        for oid, o in objs.items():
            if oid not in live and o.owner and o.owner in live and o.origin != "borrow" \
                    and not container(objs[o.owner].kind):
                live.add(oid)
                changed = True
    return [i for i in objs if i not in live]


def _fold_members(st: State) -> None:
    """Objects that only an owner holds (certificates added to an SSL_CTX in a loop)
    and nothing names: those alike are one, under an id made of their site, so that
    each turn of the loop does not make a new state. Their events are keyed by site
    and would be the same for each."""
    objs = st.objs
    members = [oid for oid, o in objs.items() if o.owner and _SITE_ID.fullmatch(oid)]
    if not members:
        return
    named = _named_ids(st)
    members = [oid for oid in members if oid not in named]
    if not members:
        return
    alike: dict[str, dict[str, list[str]]] = {}  # base id -> description -> ids
    for oid in members:
        o = objs[oid]
        base = oid.split("#", 1)[0].split("~", 1)[0]
        alike.setdefault(base, {}).setdefault(
            repr((o.key(), o.freed_in_chain, o.cause, o.owner_kind)), []).append(oid)
    rename: dict[str, str] = {}
    for base, groups in alike.items():
        for i, desc in enumerate(sorted(groups)):
            ids = groups[desc]
            rename[ids[0]] = f"{base}~{i}"
            for dup in ids[1:]:
                rename[dup] = ""
    if all(old == new for old, new in rename.items()):
        return
    st.objs = {rename.get(oid, oid): o for oid, o in objs.items() if rename.get(oid, oid)}


# The ids State.new_id gives (a site, a number when taken) and the folded ones: others
# (`@c->ssl`, a parameter's field) are looked up by name.
_SITE_ID = re.compile(r"@\d+:\d+(?:[#~]\d+)?")


def _named_ids(st: State) -> set[str]:
    """Object ids the state refers to other than as an owner's member: variables'
    values (also inside status results), slots, owners."""
    named: set[str] = set()
    todo: list = list(st.env.values())
    while todo:
        v = todo.pop()
        if isinstance(v, str):
            named.add(v)
        elif isinstance(v, tuple):
            todo.extend(v)
        elif isinstance(v, frozenset):
            todo.extend(v)
    for o in st.objs.values():
        if o.owner:
            named.add(o.owner)
        for _, v in o.slots:
            named.add(v)
    return named


def _keep_memory(st: State, kept: frozenset, memory: "_MemoryKeys") -> None:
    for k in [k for k, v in st.env.items() if memory.holds(k, v) and (k, v) not in kept]:
        del st.env[k]


_NO_FACTS: frozenset = frozenset()
_MERGES_KEEPING_FACTS = 3  # joins per core and node that keep the agreed facts


class _MemoryKeys:
    """Which environment entries are facts path feasibility remembers: a comparison's
    outcome, or the value of a field, a global, a pointee or a non-handle pointer
    variable (local scalars and handles are the state's core). Keys repeat, so each
    is classified once."""

    def __init__(self, pointer_vars: frozenset[str]):
        self.pointer_vars = pointer_vars
        self.known: dict[str, bool] = {}

    def holds(self, k: str, v) -> bool:
        if is_obj(v):
            return False
        hit = self.known.get(k)
        if hit is None:
            hit = self.known[k] = (k[0] == "?" or k.startswith(("g:", "*")) or "->" in k
                                   or "." in k or k in self.pointer_vars)
        return hit

    def split(self, st: State, live: frozenset[str]) -> tuple[tuple, frozenset]:
        """The state's core key and its remembered facts, after forgetting the facts
        that no later condition tests (`live`): they would only split states. One
        pass over the environment."""
        core, memory, dead = [], [], []
        known = self.known
        for item in st.env.items():
            k, v = item
            hit = False if is_obj(v) else known.get(k)
            if hit is None:
                hit = self.holds(k, v)
            if not hit:
                core.append(item)
            elif k in live:
                memory.append(item)
            else:
                dead.append(k)
        for k in dead:
            del st.env[k]
        return ((frozenset(core), frozenset((i, o.key()) for i, o in st.objs.items())),
                frozenset(memory))


def _outlives_call(path: str) -> bool:
    """A path into memory that outlives the call: a global's, or behind a pointer."""
    return path.startswith(("g:", "*")) or "->" in path


def _fan(out: list[tuple[int, State]]) -> list[tuple[int, State]]:
    """One state may flow to several successors: give each its own copy."""
    if len(out) <= 1:
        return out
    seen: set[int] = set()
    res = []
    for n, s in out:
        if id(s) in seen:
            s = s.copy()
        seen.add(id(s))
        res.append((n, s))
    return res


def analyze(fn: ir.Function, model: ApiModel, budget: Budget = Budget(),
            contract: tuple[int, int, str] | None = None,
            wanted: frozenset[str] | None = None) -> FunctionResult:
    return Engine(fn, model, budget, contract, wanted).explore()


__all__ = ["analyze", "Budget", "Engine", "FunctionResult"]
