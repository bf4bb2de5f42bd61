"""Plain data passed between the engine, the rules and the output layer.

Nothing here knows libclang or OpenSSL: locations are file/line/column, events are
what the dataflow engine observed, findings are what a rule decided to report.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Loc:
    """A source range. Lines and columns are 1-based; columns count bytes (as libclang
    does) and end_col is exclusive. The output layer converts to characters."""

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Step:
    """One step on the path that leads to a finding (SARIF threadFlow location)."""

    loc: Loc
    message: str


@dataclass(frozen=True)
class Event:
    """Something the engine saw happen to a tracked handle.

    kind is one of the EVENT_KINDS below; handle is the OpenSSL type ('SSL', 'BIO',
    'SSL_SESSION', 'SSL_CTX'); site is where it happened; api is the OpenSSL function
    at the site (if any); origin is where the handle came from; trail is the path from
    the origin to the site; detail carries kind-specific facts as (key, value) pairs.
    """

    kind: str
    handle: str
    site: Loc
    function: str
    var: str = ""
    api: str = ""
    origin: Step | None = None
    trail: tuple[Step, ...] = ()
    detail: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default: object = None) -> object:
        for k, v in self.detail:
            if k == key:
                return v
        return default


# The events the engine emits. Rules subscribe to these by name.
EVENT_KINDS = (
    "double-release",       # a release of a handle already released
    "use-after-release",    # a use (call argument, dereference) of a released handle
    "leak",                 # an owned reference not released/handed over on some exit
    "release-borrowed",     # a release of a reference the function never owned
    "release-transferred",  # a release of a reference whose ownership moved elsewhere
    "null-use",             # a maybe-NULL result used where NULL is not allowed
    "unchecked-return",     # a call whose result must be checked was ignored
    "call",                 # a call to a modelled function (for advisory rules)
    "release",              # a correct release (for advisory rules: what preceded it)
    "callback-return",      # a callback returned while holding a reference wrongly
)


@dataclass(frozen=True)
class Related:
    loc: Loc
    message: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    message: str
    loc: Loc
    function: str = ""
    related: tuple[Related, ...] = ()
    flow: tuple[Step, ...] = ()
    level: str = ""  # empty: the rule's default level

    def sort_key(self) -> tuple:
        return (self.loc.file, self.loc.line, self.loc.col, self.rule_id, self.message)


@dataclass(frozen=True)
class Notification:
    """A tool-execution message: parse errors, partial analysis, unreadable input."""

    level: str  # 'error' | 'warning' | 'note'
    message: str
    loc: Loc | None = None
    code: str = ""  # stable id, e.g. 'parse-error', 'budget-exceeded'


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    analyzed: bool = False  # False when the file could not be analysed at all
    parse_errors: int = 0
    parse_seconds: float = 0.0
    analysis_seconds: float = 0.0
