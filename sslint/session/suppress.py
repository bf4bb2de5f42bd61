"""Inline suppressions: `sslint: ignore[SSL101]` and `NOLINT(sslint-SSL101)` comments.

A directive covers findings on its own line and on the line below, so it can sit
at the end of the offending line or on a line of its own above it:

    SSL_free(s);  /* sslint: ignore[SSL101] freed twice on purpose in this test */
    // sslint: ignore[SSL101,SSL103]
    // sslint: ignore                       (every rule)
    // NOLINT(sslint-SSL101)                (clang-tidy style; NOLINTNEXTLINE too)

Codes are rule ids or id prefixes. Only comments count: the source is lexed just
enough to skip string and character literals. Columns are bytes, as in Loc.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sslint.core.findings import Finding, Loc
from sslint.frontend.sources import printable_path

_SSLINT = re.compile(r"\bsslint:[ \t]*ignore\b(?:\[(?P<codes>[^\]\n]*)\])?(?P<why>[^\n]*)")
_NOLINT = re.compile(r"\bNOLINT(?:NEXTLINE)?\((?P<codes>[^)\n]*)\)(?P<why>[^\n]*)")
_ALL = "*"


@dataclass
class Directive:
    """One suppression comment; codes == ("*",) suppresses every rule."""

    loc: Loc                     # the directive's own text (for unused-suppression findings)
    codes: tuple[str, ...]
    justification: str
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> str | None:
        """The code that suppresses finding, or None."""
        if not self.loc.line <= finding.loc.line <= self.loc.line + 1:
            return None
        return next((c for c in self.codes
                     if c == _ALL or finding.rule_id.startswith(c)), None)


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    justification: str
    baseline_state: str = ""  # "new" / "unchanged" when a baseline is in use (SARIF only)


@dataclass(frozen=True)
class Unused:
    loc: Loc
    code: str     # "*" for a bare `sslint: ignore`
    known: bool   # False: the code names no rule at all (a typo)


_NEXT = re.compile(r"[\"'/]")  # what can start a string or a comment
# A string or character literal's body: up to its quote or the end of the line; a
# backslash takes the next character along, whatever it is.
_BODY = {q: re.compile(rf"(?:\\.|[^{q}\n\\])*", re.S) for q in "\"'"}


def _comments(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) offsets of every comment body in C source. Jumps from one quote
    or slash to the next (a loop over every character cost more than the rest of a
    run whose results come from the cache)."""
    i, n = 0, len(text)
    while i < n:
        m = _NEXT.search(text, i)
        if m is None:
            return
        i = m.start()
        c = text[i]
        if c != "/":
            j = _BODY[c].match(text, i + 1).end()
            if j < n and text[j] == "\\":  # a backslash that ends the file
                j += 2
            i = j + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            yield i + 2, end
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end
            yield i + 2, end
            i = end + 2
        else:
            i += 1


def _clean(why: str) -> str:
    return why.strip().lstrip(":-—– \t").strip()


def parse_directives(data: bytes, path: str) -> list[Directive]:
    """Every suppression directive in a source file's bytes."""
    if b"sslint:" not in data and b"NOLINT" not in data:
        return []  # what both patterns need: most files have no directive at all
    # latin-1 maps each byte to one character, so offsets are byte columns.
    text = data.decode("latin-1")
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out: list[Directive] = []

    def loc_of(start: int, end: int) -> Loc:
        line = _line_index(line_starts, start)
        return Loc(path, line + 1, start - line_starts[line] + 1,
                   line + 1, end - line_starts[line] + 1)

    for start, end in _comments(text):
        body = text[start:end]
        for m in _SSLINT.finditer(body):
            codes = _codes(m.group("codes")) if m.group("codes") is not None else (_ALL,)
            why = m.group("why")
            out.append(Directive(loc_of(start + m.start(), start + m.end() - len(why)),
                                 codes or (_ALL,), _utf8(_clean(why))))
        for m in _NOLINT.finditer(body):
            codes = tuple(printable_path(c[len("sslint-"):].upper()) or _ALL for c in
                          (p.strip() for p in m.group("codes").split(","))
                          if c.lower().startswith("sslint-"))
            if codes:
                why = m.group("why")
                out.append(Directive(loc_of(start + m.start(), start + m.end() - len(why)),
                                     codes, _utf8(_clean(why))))
    return out


def _codes(raw: str) -> tuple[str, ...]:
    # A code may be echoed in an SSL900 message: no terminal escapes from the source.
    return tuple(printable_path(c.strip().upper()) for c in raw.split(",") if c.strip())


def _utf8(latin: str) -> str:
    return latin.encode("latin-1").decode("utf-8", errors="replace")


def _line_index(line_starts: list[int], offset: int) -> int:
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


class Suppressions:
    """The directives of every file findings point into, each file read once."""

    def __init__(self) -> None:
        self._by_file: dict[str, list[Directive]] = {}

    def directives(self, path: str) -> list[Directive]:
        if path not in self._by_file:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                data = b""
            self._by_file[path] = parse_directives(data, path)
        return self._by_file[path]

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Suppressed]]:
        """(findings left, findings suppressed), marking the codes that were used."""
        kept: list[Finding] = []
        hidden: list[Suppressed] = []
        for f in findings:
            # A directive on the finding's own line comes before one on the line above.
            for d in sorted(self.directives(f.loc.file), key=lambda d: d.loc.line != f.loc.line):
                code = d.covers(f)
                if code is not None:
                    d.used.add(code)
                    hidden.append(Suppressed(f, d.justification))
                    break
            else:
                kept.append(f)
        return kept, hidden

    def unused(self, paths: Iterable[str], enabled: Iterable[str], known: Iterable[str]
               ) -> list[Unused]:
        """Codes of directives in paths that suppressed nothing. Codes of rules that exist
        but are not enabled in this run are left alone: another run may need them."""
        enabled, known = tuple(enabled), tuple(known)
        out: list[Unused] = []
        for path in paths:
            for d in self.directives(path):
                for code in d.codes:
                    if code in d.used:
                        continue
                    if code == _ALL:
                        out.append(Unused(d.loc, code, True))
                    elif not any(r.startswith(code) for r in known):
                        out.append(Unused(d.loc, code, False))
                    elif any(r.startswith(code) for r in enabled):
                        out.append(Unused(d.loc, code, True))
        return out
