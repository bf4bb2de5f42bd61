"""Compiler-style text output (`path:line:col: warning: message [SSL101]`) that editors parse."""
from __future__ import annotations

import os

from collections import Counter
from typing import TYPE_CHECKING

from sslint.core.findings import Loc, Notification

if TYPE_CHECKING:
    from sslint.output import Report

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_LEVEL_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{_RESET}" if colour and style else text


def _where(report: Report, loc: Loc, colour: bool) -> str:
    # Columns stay libclang's byte columns, like clang's own diagnostics.
    return _paint(f"{report.display_path(loc.file)}:{loc.line}:{loc.col}:", _BOLD, colour)


def _level(level: str, colour: bool) -> str:
    return _paint(f"{level}:", _LEVEL_COLOURS.get(level, ""), colour)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_text(report: Report, colour: bool) -> str:
    """One line per finding plus indented notes, then a summary (a clean run prints
    the summary alone; "" only with --quiet or when nothing was given).

    Suppressed findings are listed only with report.show_suppressed, marked as such.
    """
    findings = report.findings()
    shown = [(f, False) for f in findings] + [(s.finding, True) for s in report.shown_suppressed()]
    if not shown:
        # A clean run still says it ran (and on how much), unless asked to be quiet.
        return "" if report.quiet or not report.results else _summary(report, []) + "\n"
    lines: list[str] = []
    for f, suppressed in sorted(shown, key=lambda item: item[0].sort_key()):
        code = _paint(f"[{f.rule_id}]", _BOLD, colour)
        mark = " (suppressed)" if suppressed else ""
        lines.append(f"{_where(report, f.loc, colour)} {_level(report.level_of(f), colour)} "
                     f"{f.message} {code}{mark}")
        for rel in f.related:
            lines.append(f"    {_where(report, rel.loc, colour)} {_level('note', colour)} "
                         f"{rel.message}")
    if not report.quiet:
        lines.append(_summary(report, findings))
    return "\n".join(lines) + "\n"


def _summary(report: Report, findings: list) -> str:
    per_rule = Counter(f.rule_id for f in findings)
    breakdown = ", ".join(f"{n} {rule_id}" for rule_id, n in sorted(per_rule.items()))
    with_findings = sum(1 for r in report.results if r.findings)
    files = len(report.results)
    found = f"Found {_plural(len(findings), 'finding')}" if findings else "No findings"
    if breakdown:
        found += f" ({breakdown})"
    extra = []
    if report.suppressed:
        extra.append(f"{len(report.suppressed)} suppressed")
    if report.baseline:
        extra.append(f"{len(report.unchanged)} in the baseline")
    if report.flag_sources:
        extra.append("flags from " + ", ".join(report.display_path(os.path.abspath(p))
                                               for p in report.flag_sources))
    tail = f"; {', '.join(extra)}" if extra else ""
    if not findings:
        return f"{found} in {_plural(files, 'file')}{tail}."
    return f"{found} in {with_findings} of {_plural(files, 'file')}{tail}."


def _notification_line(report: Report, n: Notification, path: str, colour: bool) -> str:
    if n.loc:
        where = _where(report, n.loc, colour)
    else:  # a whole file (e.g. unreadable), or the run itself (e.g. a config error)
        where = _paint(f"{report.display_path(path) if path else 'sslint'}:", _BOLD, colour)
    code = f" [{n.code}]" if n.code else ""
    return f"{where} {_level(n.level, colour)} {n.message}{code}"


def format_notifications(report: Report, colour: bool = False, with_levels: bool = False
                         ) -> list:
    """Run-level problems first, then per-file ones (for stderr), one line each; with
    with_levels, (line, level) pairs so the caller can keep only errors (--quiet)."""
    notes = [(n, "") for n in report.run_notifications]
    for result in sorted(report.results, key=lambda r: r.path):
        notes.extend((n, result.path) for n in result.notifications)
    lines = [_notification_line(report, n, path, colour) for n, path in notes]
    if with_levels:
        return [(line, n.level) for line, (n, _) in zip(lines, notes, strict=True)]
    return lines
