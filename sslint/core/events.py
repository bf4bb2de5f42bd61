"""What the engine saw happen to tracked handles: one frozen dataclass per event kind.

Rules subscribe to kinds by their stable names (`Rule.events`) and read typed
fields; nothing here knows libclang, the engine's state or the API table.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import ClassVar

from sslint.core.findings import Loc, Step


class Origin(str, Enum):
    """Where the function got a reference from."""

    ALLOC = "alloc"        # an allocating call (or an up_ref): the function owns it
    PARAM = "param"        # the caller's reference, passed in
    EXTERNAL = "external"  # read from a global or a field: someone else's
    BORROW = "borrow"      # a getter's result: owned by another object

    def __str__(self) -> str:
        return self.value


class Nullness(IntEnum):
    NULL = 0
    NONNULL = 1
    MAYBE = 2


class Cause(str, Enum):
    """How a handle was destroyed before it was released or used again."""

    DIRECT = "direct"  # released through this very reference
    LENDER = "lender"  # the object it was borrowed from was released
    OWNER = "owner"    # the object that owned it (an SSL, a BIO chain) took it down

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Event:
    """Common to every event: the handle's kind ('SSL', 'BIO', ...), where it happened,
    the function, the variable's name, the API called at the site, where the handle
    came from and the path from there to the site."""

    kind: ClassVar[str] = ""
    # Whether the engine works out `trail` (the path to the site). Events for the
    # advisory rules, which report at the call itself, carry none: thousands of them
    # are built per file for a handful of findings.
    has_path: ClassVar[bool] = True
    handle: str
    site: Loc
    function: str
    var: str = ""
    api: str = ""
    origin: Step | None = None
    trail: tuple[Step, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Destroyed(Event):
    """Base of the events on a handle that was already destroyed."""

    first_release: Step | None = None
    cause: Cause = Cause.DIRECT
    owner_kind: str = ""  # with Cause.OWNER: the kind of the owner that freed it


@dataclass(frozen=True, kw_only=True)
class DoubleRelease(Destroyed):
    kind: ClassVar[str] = "double-release"


@dataclass(frozen=True, kw_only=True)
class UseAfterRelease(Destroyed):
    kind: ClassVar[str] = "use-after-release"


@dataclass(frozen=True, kw_only=True)
class Leak(Event):
    """An owned reference not released or handed over on some exit."""

    kind: ClassVar[str] = "leak"
    exit: Step
    owe: int = 1
    lost: bool = False  # the last reference was overwritten/dropped (not an exit)
    source: Origin = Origin.ALLOC  # ALLOC: allocated here; else an up_ref on another's
    acquired: Loc | None = None    # where the extra reference (up_ref) was taken


@dataclass(frozen=True, kw_only=True)
class ReleaseBorrowed(Event):
    kind: ClassVar[str] = "release-borrowed"
    getter: str = ""
    lender: str = ""  # how to name the object that lent it ('s', the SSL)


@dataclass(frozen=True, kw_only=True)
class ReleaseTransferred(Event):
    """A release (or a second hand-over) of a reference another object now owns."""

    kind: ClassVar[str] = "release-transferred"
    owner: str = ""
    owner_kind: str = ""
    overcommit: bool = False  # handed over again with no reference left to give
    then: Step | None = None  # where the owner released it again (a chain freed whole)


@dataclass(frozen=True, kw_only=True)
class NullUse(Event):
    kind: ClassVar[str] = "null-use"
    definitely: bool = False


@dataclass(frozen=True, kw_only=True)
class UncheckedReturn(Event):
    kind: ClassVar[str] = "unchecked-return"
    man: str = ""
    tags: frozenset[str] = frozenset()  # the API table's tags of the function


@dataclass(frozen=True, kw_only=True)
class CallSeen(Event):
    """A call to a modelled function with a tracked handle (for advisory rules)."""

    kind: ClassVar[str] = "call"
    has_path: ClassVar[bool] = False
    marks: frozenset[str] = frozenset()  # facts on the handle before the call
    tags: frozenset[str] = frozenset()   # the API table's tags of the function


@dataclass(frozen=True, kw_only=True)
class Release(Event):
    """A correct release (for advisory rules: what preceded it)."""

    kind: ClassVar[str] = "release"
    has_path: ClassVar[bool] = False
    marks: frozenset[str] = frozenset()
    origin_api: str = ""
    last: bool = False  # the last reference: the object is destroyed


@dataclass(frozen=True, kw_only=True)
class CallbackReturn(Event):
    """A registered callback returns holding its parameter's reference wrongly."""

    kind: ClassVar[str] = "callback-return"
    problem: str = ""   # 'leaked', 'freed' or 'kept'
    returned: int = 0


@dataclass(frozen=True, kw_only=True)
class FieldNeverReleased(Event):
    """Owned references are stored in a field of a struct type, and no function of the
    program releases, hands over or passes on what that field holds (a program-level
    event: made after every file was analysed)."""

    kind: ClassVar[str] = "field-never-released"
    record: str = ""   # "struct conn"
    field: str = ""
    writers: tuple[Step, ...] = ()  # the other stores, one per function


EVENT_TYPES: dict[str, type[Event]] = {c.kind: c for c in (
    DoubleRelease, UseAfterRelease, Leak, ReleaseBorrowed, ReleaseTransferred, NullUse,
    UncheckedReturn, CallSeen, Release, CallbackReturn, FieldNeverReleased)}
EVENT_KINDS = tuple(EVENT_TYPES)
