"""Parsing one file against a shared PCH (sslint.frontend.pch) with the errors a
plain parse would report.

A file parsed against a PCH no longer reports its headers' errors: they were
kept when the PCH was built and come first here, as a plain parse reports them.
What reads errors next (the OpenSSL shim, recovery) then decides as it would
have; their own parses are plain ones, their declarations before the headers.

Recovery's prelude is force-included before the file's headers. Against a PCH it
comes after them (`-include-pch`, then `-include`): the same parse only when no
name the prelude declares or defines is a word of those headers, so that neither
can see the other (a guessed `typedef int x;` would break a header's `double
sin(double x)`; a guessed switch changes what a header's #if keeps). Its fixed
part (`NULL`, `offsetof` when missing) counts only when a header defines them
otherwise than as the prelude does. A round that fails the test is parsed plainly.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import clang.cindex as ci

from sslint.frontend import diags, pch, toolchain
from sslint.frontend.recover_text import IDENT, KEYWORDS

KEEP_GOING = 0x200
_DEFINE_NAME = re.compile(rb"#define\s+(\w+)")
# The prelude's fixed part and how a header may define the same without a change.
_FIXED = {b"NULL": re.compile(rb"\(\s*\(\s*void\s*\*\s*\)\s*0\s*\)"),
          b"offsetof": re.compile(rb"__builtin_offsetof")}
_HEADER_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(NULL|offsetof)\b([^\n]*)", re.M)


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
    got = _parse(route, path, bpath, bargs, [], [])
    if got is None:
        return None, diags.Errors(), None
    return got[0], got[1], route


def with_prelude(route: Route, path: str, bpath: bytes, bargs: list[bytes],
                 prelude: bytes, header: bytes
                 ) -> tuple[ci.TranslationUnit, diags.Errors] | None:
    """A recovery round against the PCH, or None when it must be parsed plainly."""
    words = _header_words(route.plan.args[-1], route.headers)
    if words is None or not prelude_names(header).isdisjoint(words):
        return None
    return _parse(route, path, bpath, bargs, [b"-include", prelude], [(prelude, header)])


def _parse(route: Route, path: str, bpath: bytes, bargs: list[bytes], more: list[bytes],
           unsaved: list[tuple[bytes, bytes]]
           ) -> tuple[ci.TranslationUnit, diags.Errors] | None:
    plan = route.plan
    try:
        tu = pch.index().parse(bpath, args=bargs + [os.fsencode(a) for a in plan.args] + more,
                               unsaved_files=[(bpath, plan.source), *unsaved],
                               options=KEEP_GOING)
    except ci.TranslationUnitLoadError:  # a stale PCH: clang refuses it
        return None
    own = diags.errors(tu, path)
    # A missing header the PCH's directives name: at that directive of this file.
    at = plan.places
    errs = diags.Errors([*(e._replace(file=path, line=at[e.line - 1][0], col=at[e.line - 1][1])
                           if e.file == "" else e for e in route.before), *own])
    errs.toolchain = tuple(dict.fromkeys([*route.before.toolchain, *own.toolchain]))
    return tu, errs


def prelude_names(header: bytes) -> frozenset[bytes]:
    """The names a recovery prelude declares or defines: the words of its lines but
    C's keywords, of a #define only the macro's name (its parameters and body name
    nothing of the file's), and not its own `__sslint` helpers."""
    words: set[bytes] = set()
    for line in header.splitlines()[1:]:  # the first line is a comment
        if line.startswith(b"#"):
            m = _DEFINE_NAME.match(line)
            if m:
                words.add(m.group(1))
            continue
        words.update(IDENT.findall(line))
    return frozenset(w for w in words
                     if w.decode("latin-1") not in KEYWORDS and not w.startswith(b"__sslint"))


@lru_cache(maxsize=8)
def _header_words(pch_file: str, headers: tuple[str, ...]) -> frozenset[bytes] | None:
    """The words of the headers a PCH was made from (read once per PCH), but the
    prelude's fixed names where the headers define them as the prelude does; None
    when a header cannot be read."""
    out: set[bytes] = set()
    odd: set[bytes] = set()
    # The compiler's own stddef.h defines NULL otherwise for C++ only.
    compiler = toolchain.header_dirs()
    for name in headers:
        try:
            with open(name, "rb") as fh:
                text = fh.read()
        except OSError:
            return None
        out.update(IDENT.findall(text))
        if compiler and name.startswith(compiler):
            continue
        for m in _HEADER_DEFINE.finditer(text):
            if not _FIXED[m.group(1)].search(m.group(2)):
                odd.add(m.group(1))
    return frozenset((out - set(_FIXED)) | odd)
