"""Plain JSON output: a flat list of findings and notifications for scripts.

Suppressed findings appear only with --show-suppressed ("suppressed": true);
findings a --baseline accepts are left out and counted under "baseline".
Lines and columns are as the analyzer saw them: 1-based, columns in bytes,
end_column exclusive (0 when unknown). Paths are relative to the report root when
inside it.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sslint
from sslint.core.findings import Finding, Loc, Notification

if TYPE_CHECKING:
    from sslint.output import Report


def _place(report: Report, loc: Loc) -> dict[str, Any]:
    return {"file": report.display_path(loc.file), "line": loc.line, "column": loc.col,
            "end_line": loc.end_line, "end_column": loc.end_col}


def _finding(report: Report, f: Finding, justification: str | None = None) -> dict[str, Any]:
    loaded = report.rule_for(f.rule_id)
    out = {
        "rule_id": f.rule_id,
        "rule_name": loaded.rule.name if loaded else "",
        "level": report.level_of(f),
        "message": f.message,
        **_place(report, f.loc),
        "function": f.function,
        "related": [{"message": r.message, **_place(report, r.loc)} for r in f.related],
    }
    if justification is not None:  # only with --show-suppressed
        out.update(suppressed=True, justification=justification)
    return out


def _notification(report: Report, n: Notification, path: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"level": n.level, "code": n.code, "message": n.message}
    if n.loc:
        out.update(_place(report, n.loc))
    elif path:
        out["file"] = report.display_path(path)
    return out


def format_json(report: Report, colour: bool) -> str:
    del colour  # machine output is never coloured
    notes = [_notification(report, n, None) for n in report.run_notifications]
    for result in sorted(report.results, key=lambda r: r.path):
        notes.extend(_notification(report, n, result.path) for n in result.notifications)
    entries = [(f.sort_key(), _finding(report, f)) for f in report.findings()]
    entries += [(s.finding.sort_key(), _finding(report, s.finding, s.justification))
                for s in report.shown_suppressed()]
    doc: dict[str, Any] = {
        "version": sslint.__version__,
        "exit_code": report.exit_code,
        "findings": [entry for _, entry in sorted(entries, key=lambda e: e[0])],
        "notifications": notes,
    }
    if report.baseline:
        doc["baseline"] = {"file": report.baseline, "unchanged": len(report.unchanged),
                           "absent": len(report.absent)}
    return json.dumps(doc, indent=2) + "\n"
