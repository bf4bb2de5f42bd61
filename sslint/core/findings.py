"""Plain data passed between the engine, the rules and the output layer.

Nothing here knows libclang or OpenSSL: locations are file/line/column, findings are
what a rule decided to report (the events rules read are in sslint.core.events).
"""
from __future__ import annotations

import os

from dataclasses import dataclass, field

from sslint.core.loc import Loc, Step  # defined there to be compiled; imported from here


def line_of(loc: Loc, site: Loc) -> str:
    """`line 12`, or `conn.c:12` when loc is in another file than site (a free inside
    a function of another file)."""
    if loc.file == site.file:
        return f"line {loc.line}"
    # The file's name only: the related location gives its whole path.
    return f"{os.path.basename(loc.file)}:{loc.line}"


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
    # The parse errors cannot hide a finding (the file names no OpenSSL lifecycle
    # function): reported once for the run, not as the file's warning.
    unrelated_errors: bool = False
    # Include folders of the project found in the tree for a file parsed without
    # flags (frontend.projectdirs): said once for the run.
    guessed_includes: tuple[str, ...] = ()
    # Switches guessed for a file that names no OpenSSL lifecycle function: said once
    # for the run, not as the file's note.
    quiet_defines: tuple[str, ...] = ()
    # Problems of the toolchain, not of the file (frontend.diags.Errors.toolchain):
    # reported once for the run.
    toolchain: tuple[str, ...] = ()
    parse_seconds: float = 0.0
    analysis_seconds: float = 0.0
    # For the whole-program pass: the summaries (model.api.FnSpec) of the file's
    # functions, the functions it calls that it does not define, and those of them
    # called from the bodies that were analysed (the others are analysed only if a
    # summary makes them worth it).
    summaries: list = field(default_factory=list)
    calls: frozenset[str] = frozenset()
    analysed_calls: frozenset[str] = frozenset()
    # For the program-level field check (SSL104): owned references stored in struct
    # fields, (record, field, kind, api, where, function), and the (record, field)
    # pairs the file's code may release or pass on ("*": any record).
    field_stores: list = field(default_factory=list)
    field_handled: frozenset = frozenset()
    # Files besides this one that the result was read from (its #includes, the
    # headers of the precompiled header it used), for a results cache; None: unknown.
    inputs: tuple[str, ...] | None = None
    # SARIF's primaryLocationLineHash of its findings' lines, by line: hashed by the
    # worker that read the file (in parallel), not by the parent after the run.
    line_hashes: dict[int, str] = field(default_factory=dict)
    # The parse and IR kept for analysing the unit again in the same run
    # (analysis.snapshot.Snapshot); the runner takes it off before anything else
    # sees the result.
    snapshot: object = field(default=None, repr=False, compare=False)
