"""The engine's events for one function: built once per (kind, site, object), with
the path that led there, and only for the kinds some enabled rule reads."""
from __future__ import annotations

from collections.abc import Callable

from sslint.core import ir
from sslint.engine.state import Obj, State
from sslint.core.events import Event, Leak, Release, CallSeen
from sslint.core.findings import Loc, Step


class _Spelled:
    """EventLog.spelled_as's context: a class, not a generator (~4x cheaper, and it
    runs for every handle argument of every known call)."""

    __slots__ = ("log", "name", "old")

    def __init__(self, log: "EventLog", name: str | Callable[[], str]):
        self.log, self.name = log, name

    def __enter__(self) -> None:
        self.old, self.log.spelled = self.log.spelled, self.name

    def __exit__(self, *exc: object) -> None:
        self.log.spelled = self.old


class EventLog:
    def __init__(self, fn: ir.Function, wanted: frozenset[str] | None = None):
        self.fn = fn
        self.wanted = wanted  # event kinds some rule reads (None: all)
        self.events: dict[tuple, Event] = {}
        # How the code names the handle at the current call's argument: a name, or
        # what tells it (most calls emit nothing: not worth spelling each argument).
        self.spelled: str | Callable[[], str] = ""

    def spelled_as(self, name: str | Callable[[], str]) -> "_Spelled":
        """Events emitted inside name the handle as the code at the site does (an
        alias `b` of `ssl` is reported as `b`), not by its first name."""
        return _Spelled(self, name)

    def wants(self, cls: type[Event]) -> bool:
        return self.wanted is None or cls.kind in self.wanted

    def emit(self, cls: type[Event], st: State, oid: str, loc: Loc, api: str,
             **fields) -> None:
        """An event about object oid at loc; the first one per key wins."""
        if not self.wants(cls):
            return  # no enabled rule reads it: skip building its path
        o = st.objs[oid]
        if cls is Leak:
            key: tuple = (cls.kind, o.site)
        elif cls is CallSeen or cls is Release:  # advisory rules read the marks
            key = (cls.kind, loc.line, loc.col, o.site, o.marks)
        else:
            key = (cls.kind, loc.line, loc.col, o.site)
        if key in self.events:
            return
        origin = Step(o.site, _origin_text(o))
        trail: tuple[Step, ...] = ()
        if cls is Leak:  # reported at the allocation; the exit is on the path
            trail, loc = with_branches(o, st, fields["exit"]), o.site
        elif cls.has_path:
            trail = with_branches(o, st, Step(loc, _event_text(cls.kind, api)))
        spelled = self.spelled if isinstance(self.spelled, str) else self.spelled()
        var = o.var if cls is Leak else (spelled or o.var)
        self.events[key] = cls(handle=o.kind, site=loc, function=self.fn.name, var=var,
                               api=api, origin=origin, trail=trail, **fields)

    def add(self, key: tuple, event: Event) -> None:
        """An event built by the caller (no object behind it); the first per key wins."""
        if self.wants(type(event)):
            self.events.setdefault(key, event)

    def sorted(self) -> list[Event]:
        return sorted(self.events.values(), key=lambda e: (e.site, e.kind))


def with_branches(o: Obj, st: State, last: Step) -> tuple[Step, ...]:
    """The object's own steps, the branch decisions after its origin, and the final
    step, in source order (the usual shape of C error handling)."""
    start = (o.site.line, o.site.col)
    end = (last.loc.line, last.loc.col)
    branches = [b for b in st.path if start < (b.loc.line, b.loc.col) <= end]
    # Deterministic whatever the process (no set order): sort fully, then dedupe.
    steps = list(dict.fromkeys(sorted(o.trail + tuple(branches),
                                      key=lambda s: (s.loc.line, s.loc.col, s.message))))
    return tuple(steps) + (last,)


def _origin_text(o: Obj) -> str:
    if o.origin == "alloc":
        return f"{o.kind} allocated by {o.api}()"
    if o.origin == "borrow":
        return f"{o.kind} borrowed from {o.api}()"
    if o.origin == "param":
        return f"{o.kind} passed in as '{o.var}'"
    return f"{o.kind} '{o.var}' comes from outside this function"


def _event_text(kind: str, api: str) -> str:
    return {
        "double-release": f"released again by {api}()",
        "use-after-release": f"used by {api}() after it was released",
        "release-borrowed": f"released by {api}() although this function never owned it",
        "release-transferred": f"released by {api}() although another object owns it now",
        "null-use": f"passed to {api}() while it may be NULL",
    }.get(kind, kind)
