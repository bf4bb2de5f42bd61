"""A unit's parse and lowered IR, kept from the whole-program pass's first analysis
of it for the rounds that analyse it again with other files' summaries: those rounds
then neither parse nor lower it a second time.

The lowering reads only the table's and the user's names, never a summary
(frontend.lower), so a kept IR stands for a fresh lowering in every round of one
run. When a later round needs a function that was not lowered then, the analysis
stops with SnapshotMiss and the unit is parsed again (the result is the same
either way, only slower).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sslint.core import ir
from sslint.frontend.diags import Diagnostic


class SnapshotMiss(Exception):
    """The kept IR cannot stand for a fresh lowering: parse the unit again."""


@dataclass(frozen=True, eq=False)
class KeptFunction:
    """A function definition as the analysis reads it (frontend.parse.FunctionDef's
    fields), with the IR the first analysis lowered, when it lowered one."""

    name: str
    line: int
    col: int
    start: int
    end: int
    end_line: int
    source: bytes = field(repr=False)
    file: str = ""
    static: bool = False
    lowered: ir.Function | Exception | None = field(default=None, repr=False)

    def lower(self, path: str, known_calls: frozenset[str]) -> ir.Function:
        got = self.lowered
        if got is None:
            raise SnapshotMiss(self.name)
        if isinstance(got, Exception):
            raise got
        return got


@dataclass
class Snapshot:
    """What analysis.unit needs of a parse, without the translation unit."""

    source: bytes
    functions: list[KeptFunction]
    errors: list[Diagnostic]
    used_shim: bool
    recovered: list[str]
    inputs: tuple[str, ...] | None
    parse_errors: int
    guessed_defines: list[str] = field(default_factory=list)
    guessed_includes: list[str] = field(default_factory=list)


def keep(fn, lowered: ir.Function | Exception | None) -> KeptFunction:
    """`fn` (a FunctionDef) with its IR, if it was lowered."""
    if isinstance(lowered, ir.Function):
        lowered.walked = lowered.var_lists = None  # rebuilt on use; not worth sending
    else:
        lowered = None  # a failed lowering is redone (exceptions may not pickle)
    return KeptFunction(fn.name, fn.line, fn.col, fn.start, fn.end, fn.end_line, fn.source,
                        fn.file, fn.static, lowered)
