"""Compiler-style text output (`path:line:col: warning: message [SSL101]`) that editors parse."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sslint.findings import Loc, Notification

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
    """One line per finding plus indented notes, then a summary; "" when nothing was found."""
    findings = report.findings()
    if not findings:
        return ""
    lines: list[str] = []
    for f in findings:
        code = _paint(f"[{f.rule_id}]", _BOLD, colour)
        lines.append(f"{_where(report, f.loc, colour)} {_level(report.level_of(f), colour)} "
                     f"{f.message} {code}")
        for rel in f.related:
            lines.append(f"    {_where(report, rel.loc, colour)} {_level('note', colour)} "
                         f"{rel.message}")
    per_rule = Counter(f.rule_id for f in findings)
    breakdown = ", ".join(f"{n} {rule_id}" for rule_id, n in sorted(per_rule.items()))
    with_findings = sum(1 for r in report.results if r.findings)
    files = len(report.results)
    lines.append(f"Found {_plural(len(findings), 'finding')} ({breakdown}) "
                 f"in {with_findings} of {_plural(files, 'file')}.")
    return "\n".join(lines) + "\n"


def _notification_line(report: Report, n: Notification, path: str, colour: bool) -> str:
    if n.loc:
        where = _where(report, n.loc, colour)
    else:  # a whole file (e.g. unreadable), or the run itself (e.g. a config error)
        where = _paint(f"{report.display_path(path) if path else 'sslint'}:", _BOLD, colour)
    code = f" [{n.code}]" if n.code else ""
    return f"{where} {_level(n.level, colour)} {n.message}{code}"


def format_notifications(report: Report, colour: bool = False) -> list[str]:
    """Run-level problems first, then per-file ones (for stderr), one line each."""
    notes = [(n, "") for n in report.run_notifications]
    for result in sorted(report.results, key=lambda r: r.path):
        notes.extend((n, result.path) for n in result.notifications)
    return [_notification_line(report, n, path, colour) for n, path in notes]
