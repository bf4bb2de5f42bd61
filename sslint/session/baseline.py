"""Baselines: accept today's findings, report only new ones (`--baseline old.sarif`).

A baseline is a SARIF file sslint wrote (`--write-baseline`). A finding is matched by
its `partialFingerprints["sslint/v1"]`: rule, file, function and the text of its own
line, but not its line number, so lines inserted above or below leave it matched
(GitHub's primaryLocationLineHash also covers the next ~100 characters, so an edit
just below a finding would make it new). Messages stay out because they name line
numbers. Matching counts duplicates: two identical findings against one baselined
entry leave one of them new.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sslint.core.findings import Finding
from sslint.output.fingerprint import FINGERPRINT_KEY, partial_fingerprints
from sslint.output.sources import Sources

if TYPE_CHECKING:
    from sslint.output import Report  # only its root and relative()

Key = str  # partialFingerprints["sslint/v1"]


class BaselineError(Exception):
    """A baseline file sslint cannot read; the message is one line."""


@dataclass
class Baseline:
    path: str
    entries: list[tuple[Key, dict[str, Any]]] = field(default_factory=list)  # key, SARIF result
    unkeyed: int = 0  # results without an sslint/v1 fingerprint (ignored)


@dataclass
class Comparison:
    new: list[Finding]
    unchanged: list[Finding]
    absent: list[dict[str, Any]]  # the baseline's SARIF results that no longer occur


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as fh:
            log = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: the baseline is not JSON ({exc})") from None
    if not isinstance(log, dict) or not isinstance(log.get("runs"), list):
        raise BaselineError(f"{path}: the baseline is not a SARIF log (no 'runs')")
    out = Baseline(path)
    for run in log["runs"]:
        for result in (run.get("results") or []) if isinstance(run, dict) else []:
            # Suppressed results and those absent already were never accepted findings.
            if not isinstance(result, dict) or result.get("suppressions") \
                    or result.get("baselineState") == "absent":
                continue
            key = (result.get("partialFingerprints") or {}).get(FINGERPRINT_KEY)
            if isinstance(key, str) and key:
                out.entries.append((key, result))
            else:
                out.unkeyed += 1
    return out


class FindingKeys:
    """sslint/v1 fingerprints of the current run's findings, each file read once."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._sources = Sources(report.root)

    def key(self, f: Finding) -> Key:
        prints = partial_fingerprints(self._report, self._sources, f)
        # An unreadable file has no fingerprint; such a finding is always new.
        return prints[FINGERPRINT_KEY] if prints else f"unreadable:{f.loc}"


def compare(baseline: Baseline, findings: Sequence[Finding], keys: FindingKeys) -> Comparison:
    """Split findings into new and unchanged; list baseline results that are gone."""
    remaining = Counter(key for key, _ in baseline.entries)
    new: list[Finding] = []
    unchanged: list[Finding] = []
    for f in sorted(findings, key=Finding.sort_key):
        k = keys.key(f)
        if remaining[k] > 0:
            remaining[k] -= 1
            unchanged.append(f)
        else:
            new.append(f)
    absent = []
    for k, result in baseline.entries:
        if remaining[k] > 0:
            remaining[k] -= 1
            absent.append(result)
    return Comparison(new, unchanged, absent)
