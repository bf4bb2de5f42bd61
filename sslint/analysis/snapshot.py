"""A unit's parse and lowered IR, kept from the whole-program pass's first analysis
of it for the rounds that analyse it again with other files' summaries: those rounds
then neither parse nor lower it a second time.

A kept function's IR holds for a later analysis only if it reads as a fresh lowering
would: the lowering reads the model's names. A call's macro name is taken when the
model knows it (a name the lowering passed over is in `assumes_unknown`), and a
callee's prototype is read only when the model does not know it (what it gives the
IR, `const` and `void *` parameters, matters only while the callee stays unknown).
So the IR holds while the names it passed over stay unknown and the callees it knew
stay known, as analysis.unit does within one analysis. When a later round needs a function
that was not kept, or whose IR no longer holds, the analysis stops with SnapshotMiss
and the unit is parsed again (the result is the same either way, only slower).
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
    callees: frozenset[str] = frozenset()  # the call names the lowering read
    known: frozenset[str] = frozenset()    # those of them the model knew then

    def lower(self, path: str, known_calls: frozenset[str]) -> ir.Function:
        got = self.lowered
        if got is None or not self.known <= known_calls or (
                isinstance(got, ir.Function) and got.assumes_unknown & known_calls):
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


def call_names(fn: ir.Function) -> frozenset[str]:
    return frozenset(e.callee for exprs in ir.node_exprs(fn) for e in exprs
                     if isinstance(e, ir.Call) and e.callee)


def keep(fn, lowered: ir.Function | Exception | None, names: frozenset[str]) -> KeptFunction:
    """`fn` (a FunctionDef) with the IR lowered when the model knew `names`."""
    callees: frozenset[str] = frozenset()
    if isinstance(lowered, ir.Function):
        callees = call_names(lowered) | lowered.assumes_unknown
        lowered.walked = None  # rebuilt on use; not worth sending
    else:
        lowered = None  # a failed lowering is redone (exceptions may not pickle)
    return KeptFunction(fn.name, fn.line, fn.col, fn.start, fn.end, fn.end_line, fn.source,
                        fn.file, fn.static, lowered, callees, callees & names)
