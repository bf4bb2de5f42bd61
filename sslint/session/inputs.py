"""What to analyse: paths or a compilation database turned into translation units,
the same for `sslint check` and the language server."""
from __future__ import annotations

from collections.abc import Sequence

from sslint.core.findings import FileResult, Notification
from sslint.frontend.compdb import find_command, load_compdb
from sslint.frontend.sources import check_readable, discover, printable_path
from sslint.workers.runner import Unit


def units_for(paths: Sequence[str], compdb: str | None, base_args: list[str],
              run_notes: list[Notification]) -> tuple[list[Unit], dict[Unit, FileResult]]:
    """The translation units to analyse, and those that cannot be read (with why).
    base_args follow each unit's own arguments; problems are appended to run_notes.
    Raises CompdbError for a compilation database that cannot be used."""
    units: list[Unit] = []
    if compdb:
        commands = load_compdb(compdb)
        for cmd in commands:
            for w in cmd.warnings:
                run_notes.append(Notification("warning", f"{printable_path(cmd.file)}: {w}",
                                              code="compdb-flag-dropped"))
        if paths:
            files, notes = discover(list(paths))
            run_notes += notes
            for f in files:
                cmd = find_command(commands, f)
                args = list(cmd.args) if cmd else []
                if cmd is None:
                    run_notes.append(Notification(
                        "note", f"{printable_path(f)} is not in the compilation database; "
                        "using default flags", code="not-in-compdb"))
                units.append(Unit(f, f, tuple(args + base_args)))
        else:
            units = [Unit(c.file, c.file, tuple(list(c.args) + base_args)) for c in commands]
            if not units:
                run_notes.append(Notification("warning", "the compilation database is empty",
                                              code="no-c-files"))
    else:
        files, notes = discover(list(paths))
        run_notes += notes
        units = [Unit(f, f, tuple(base_args)) for f in files]

    skipped: dict[Unit, FileResult] = {}
    for u in units:
        why = check_readable(u.path)
        if why:
            res = FileResult(u.display)
            res.notifications.append(Notification("error", why, None, "unreadable"))
            skipped[u] = res
    return units, skipped
