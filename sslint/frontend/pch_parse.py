"""Parsing one file against a shared PCH (sslint.frontend.pch) with the errors a
plain parse would report.

A file parsed against a PCH no longer reports its headers' errors: they were
kept when the PCH was built and come first here, as a plain parse reports them.
What reads errors next (the OpenSSL shim, recovery) then decides as it would
have; their own parses are plain ones, their declarations before the headers.

Recovery's rounds cannot use the PCH: its prelude would come after the headers
(`-include-pch`, then `-include`), the same parse only when no name the prelude
declares is a word of those headers. On nginx every round failed that test: the
names that make recovery worth it there (STDERR_FILENO, which its ngx_log.h uses
without the missing config header's <unistd.h>) are the headers' own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import clang.cindex as ci

from sslint.frontend import diags, pch

KEEP_GOING = 0x200


@dataclass(frozen=True)
class Route:
    """How a file was parsed against a PCH: the plan, the PCH's own errors and the
    headers it was made from."""

    plan: pch.Plan
    before: diags.Errors
    headers: tuple[str, ...]


def first(path: str, bpath: bytes, bargs: list[bytes], full: list[str]
          ) -> tuple[ci.TranslationUnit | None, diags.Errors, Route | None]:
    """The parse against the run's PCH for this file, when it has one, else
    (None, [], None)."""
    plan = pch.active().plan(path, full)
    if plan is None:
        return None, diags.Errors(), None
    before, headers = pch.errors_of(plan.args[-1]), pch.read_deps(plan.args[-1])
    if before is None or headers is None:
        return None, diags.Errors(), None
    route = Route(plan, before, tuple(headers))
    try:
        tu = pch.index().parse(bpath, args=bargs + [os.fsencode(a) for a in plan.args],
                               unsaved_files=[(bpath, plan.source)], options=KEEP_GOING)
    except ci.TranslationUnitLoadError:  # a stale PCH: clang refuses it
        return None, diags.Errors(), None
    own = diags.errors(tu, path)
    # A missing header the PCH's directives name: at that directive of this file.
    at = plan.places
    errs = diags.Errors([*(e._replace(file=path, line=at[e.line - 1][0], col=at[e.line - 1][1])
                           if e.file == "" else e for e in before), *own])
    errs.toolchain = tuple(dict.fromkeys([*before.toolchain, *own.toolchain]))
    return tu, errs, route
