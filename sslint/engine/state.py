"""Abstract program state: which object each variable points to, and what each
tracked object's ownership and nullness are on this path.

Objects are immutable values; a State is copied when a path forks. A state's
identity (for the worklist) leaves out the trail (the path's history), so two
paths that reach the same facts are explored once.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sslint.core.events import Cause, Nullness, Origin
from sslint.core.findings import Loc, Step

NULL, NONNULL, MAYBE = Nullness.NULL, Nullness.NONNULL, Nullness.MAYBE
ALLOC, PARAM, EXTERNAL, BORROW = Origin.ALLOC, Origin.PARAM, Origin.EXTERNAL, Origin.BORROW


# Immutable by convention (replace() makes a new one), not frozen: see core/ir.py.
@dataclass(slots=True, unsafe_hash=True)
class Obj:
    kind: str
    origin: Origin
    refs: int                  # live references; 0 once destroyed
    owe: int                   # references this function must release or hand over
    null: Nullness
    site: Loc
    api: str                   # the call (or parameter) it came from
    var: str = ""              # a variable name for messages
    owner: str = ""            # id of the object that owns it (consumed) or lent it
    escaped: bool = False      # returned or stored where it outlives the function
    unknown: bool = False      # precision lost: report nothing about it
    released: Step | None = None
    cause: Cause = Cause.DIRECT  # how it was destroyed (with its owner, its lender...)
    owner_kind: str = ""       # Cause.OWNER: the kind of the owner that took it down
    marks: frozenset[str] = frozenset()  # model-defined facts, e.g. "handshake", "shutdown"
    ref_site: Loc | None = None  # where the last extra reference (up_ref) was taken
    unpaid: bool = False       # its owner holds it without a reference handed over
    freed_in_chain: str = ""   # released (by this API) while a chain still links it
    slots: tuple[tuple[str, str], ...] = ()
    # The one field or global it was stored in (and escaped by), as long as it went
    # nowhere else: assigning that place again loses the reference.
    home: str = ""
    # The struct field it was read from or stored in, (record, field): what releases
    # or passes it on counts for the program-level check (SSL104). Not in key().
    src: tuple[str, str] | tuple[()] = ()
    trail: tuple[Step, ...] = ()

    def __init__(self, kind: str,
                 origin: Origin,
                 refs: int,
                 owe: int,
                 null: Nullness,
                 site: Loc,
                 api: str,
                 var: str = "",
                 owner: str = "",
                 escaped: bool = False,
                 unknown: bool = False,
                 released: Step | None = None,
                 cause: Cause = Cause.DIRECT,
                 owner_kind: str = "",
                 marks: frozenset[str] = frozenset(),
                 ref_site: Loc | None = None,
                 unpaid: bool = False,
                 freed_in_chain: str = "",
                 slots: tuple[tuple[str, str], ...] = (),
                 home: str = "",
                 src: tuple[str, str] | tuple[()] = (),
                 trail: tuple[Step, ...] = ()) -> None:
        self.kind = kind
        self.origin = origin
        self.refs = refs
        self.owe = owe
        self.null = null
        self.site = site
        self.api = api
        self.var = var
        self.owner = owner
        self.escaped = escaped
        self.unknown = unknown
        self.released = released
        self.cause = cause
        self.owner_kind = owner_kind
        self.marks = marks
        self.ref_site = ref_site
        self.unpaid = unpaid
        self.freed_in_chain = freed_in_chain
        self.slots = slots
        self.home = home
        self.src = src
        self.trail = trail

    def __reduce__(self) -> tuple:
        # By the constructor: a compiled class's own __init__ takes the fields.
        return (Obj, tuple(getattr(self, n) for n in _OBJ_FIELDS))

    @property
    def destroyed(self) -> bool:
        return self.refs <= 0

    def key(self) -> tuple:
        return (self.kind, self.origin, self.refs, self.owe, self.null, self.site,
                self.owner, self.escaped, self.unknown, self.released is None, self.slots,
                self.marks, self.unpaid, self.home)

    def step(self, loc: Loc, message: str, **changes) -> "Obj":
        trail = self.trail if len(self.trail) >= 40 else self.trail + (Step(loc, message),)
        return replace(self, trail=trail, **changes)

    def slot(self, name: str) -> str | None:
        for k, v in self.slots:
            if k == name:
                return v
        return None

    def with_slot(self, name: str, value: str) -> "Obj":
        rest = tuple((k, v) for k, v in self.slots if k != name)
        return replace(self, slots=tuple(sorted(rest + ((name, value),))))


_OBJ_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Obj))
_OBJ_FIELD_SET = frozenset(_OBJ_FIELDS)
# True when mypyc compiled this module (setup.py): it then loads from a .so file.
COMPILED = not __file__.endswith(".py")


def replace(o: Obj, **changes) -> Obj:
    """`dataclasses.replace` for an Obj, ten times as fast compiled: objects are the
    engine's most frequent allocation (every ownership step makes one)."""
    if not changes.keys() <= _OBJ_FIELD_SET:
        raise TypeError(f"Obj has no field(s) {sorted(changes.keys() - _OBJ_FIELD_SET)}")
    g = changes.get
    return Obj(g("kind", o.kind), g("origin", o.origin), g("refs", o.refs), g("owe", o.owe),
               g("null", o.null), g("site", o.site), g("api", o.api), g("var", o.var),
               g("owner", o.owner), g("escaped", o.escaped), g("unknown", o.unknown),
               g("released", o.released), g("cause", o.cause), g("owner_kind", o.owner_kind),
               g("marks", o.marks), g("ref_site", o.ref_site), g("unpaid", o.unpaid),
               g("freed_in_chain", o.freed_in_chain), g("slots", o.slots), g("home", o.home),
               g("src", o.src), g("trail", o.trail))


# A value: None (unknown), an int (0 doubles as NULL), an object id (str "@..."),
# ("addr", lvalue) for &x, ("ret", object id, marks, refs[, proved non-NULL ids]) for a
# status call's result, or
# ("test", ret, op, constant) for a comparison of such a result.
Value = Any


# A scalar known to be non-zero (a flag tested true) whose exact value is unknown.
# Typed Value, not a tuple: compiled code (mypyc) would keep a tuple unboxed and box a
# new copy at every use, and `v is NONZERO` would never hold.
NONZERO: Value = ("nz",)


def is_obj(v: Value) -> bool:
    return isinstance(v, str)


def is_addr(v: Value) -> bool:
    """("addr", lvalue-expr): the address of a variable or field, as a call argument."""
    return isinstance(v, tuple) and v[0] == "addr"


class State:
    __slots__ = ("env", "objs", "path")

    def __init__(self, env: dict[str, Value] | None = None, objs: dict[str, Obj] | None = None,
                 path: tuple[Step, ...] = ()):
        self.env = env if env is not None else {}
        self.objs = objs if objs is not None else {}
        self.path = path  # the last branch decisions on this path, for messages only

    def copy(self) -> "State":
        return State(dict(self.env), dict(self.objs), self.path)

    def decided(self, step: Step) -> None:
        self.path = self.path[-11:] + (step,)

    def key(self) -> tuple:
        return (frozenset(self.env.items()),
                frozenset((i, o.key()) for i, o in self.objs.items()))

    def new_id(self, site: Loc) -> str:
        base = f"@{site.line}:{site.col}"
        if base not in self.objs:
            return base
        n = 1
        while f"{base}#{n}" in self.objs:
            n += 1
        return f"{base}#{n}"
