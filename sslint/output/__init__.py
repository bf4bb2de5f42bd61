"""Output layer: the Report a run produces, the formatter registry, atomic file writes."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sslint.core.findings import FileResult, Finding, Notification
from sslint.output import json_fmt, text  # they name Report only in annotations
from sslint.core.rule import LoadedRule
from sslint.session.suppress import Suppressed


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Report:
    """Everything a formatter needs; built by the CLI after the analysis."""

    results: list[FileResult]
    rules: list[LoadedRule]           # the enabled rules
    root: str                         # absolute directory that output paths are relative to
    exit_code: int = 0
    run_notifications: list[Notification] = field(default_factory=list)  # config problems etc.
    start_time: datetime = field(default_factory=_now)
    end_time: datetime = field(default_factory=_now)
    command_line: str = ""
    category: str = ""                # SARIF automationDetails.id when non-empty
    quiet: bool = False               # no summary line (notes on stderr are filtered by the CLI)
    suppressed: list[Suppressed] = field(default_factory=list)  # inline-suppressed findings
    show_suppressed: bool = False     # list them (text, JSON) / keep them (SARIF)
    baseline: str = ""                # the --baseline file, "" when none was given
    unchanged: list[Finding] = field(default_factory=list)  # findings the baseline accepts
    absent: list[dict] = field(default_factory=list)  # baseline SARIF results now gone
    flag_sources: tuple[str, ...] = ()  # the compilation databases / flags files used

    def findings(self) -> list[Finding]:
        """The findings to report (not suppressed, not in the baseline), sorted."""
        return sorted((f for r in self.results for f in r.findings), key=Finding.sort_key)

    def shown_suppressed(self) -> list[Suppressed]:
        """Suppressed findings that the output lists, sorted; none without show_suppressed."""
        if not self.show_suppressed:
            return []
        return sorted(self.suppressed, key=lambda s: s.finding.sort_key())

    def rule_for(self, rule_id: str) -> LoadedRule | None:
        return next((r for r in self.rules if r.rule.id == rule_id), None)

    def level_of(self, finding: Finding) -> str:
        """The finding's own level, else its rule's default level, else 'warning'."""
        if finding.level:
            return finding.level
        loaded = self.rule_for(finding.rule_id)
        return loaded.rule.level if loaded else "warning"

    def relative(self, path: str) -> str | None:
        """path relative to root in POSIX form, or None when it lies outside root."""
        for norm in (os.path.abspath, os.path.realpath):
            root, full = norm(self.root), norm(path)
            try:
                if os.path.commonpath([root, full]) == root:
                    return Path(os.path.relpath(full, root)).as_posix()
            except ValueError:  # different drives on Windows
                pass
        return None

    def display_path(self, path: str) -> str:
        """What humans and editors see: relative to root when inside it, else as given."""
        return self.relative(path) or path


Formatter = Callable[[Report, bool], str]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, text: str) -> None:
    """Write text (UTF-8) to path so that readers see the old file or the whole new one.

    The text goes to a temporary file in the same folder (os.replace is only atomic
    within one file system), which replaces path at the end or is removed on error.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _sarif(report: Report, colour: bool) -> str:
    # Imported when asked for: sarif-om and attrs are a sixth of a warm run's time.
    from sslint.output.sarif import format_sarif

    return format_sarif(report, colour)


FORMATTERS: dict[str, Formatter] = {
    "text": text.format_text,
    "sarif": _sarif,
    "json": json_fmt.format_json,
}

__all__ = ["FORMATTERS", "Formatter", "Report", "write_atomic"]
