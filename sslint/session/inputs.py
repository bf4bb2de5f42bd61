"""What to analyse: paths or a compilation database turned into translation units,
the same for `sslint check` and the language server."""
from __future__ import annotations

from collections.abc import Sequence

from sslint.core.findings import FileResult, Notification
from sslint.frontend.compdb import find_command, load_compdb
from sslint.frontend.findbuild import BuildFinder
from sslint.frontend.sources import check_readable, discover, printable_path
from sslint.workers.runner import Unit


def units_for(paths: Sequence[str], compdb: str | None, base_args: list[str],
              run_notes: list[Notification], find_build: bool = True,
              sources: list[str] | None = None) -> tuple[list[Unit], dict[Unit, FileResult]]:
    """The translation units to analyse, and those that cannot be read (with why).
    base_args follow each unit's own arguments; problems are appended to run_notes.
    Without a database, each file's is looked for above it (find_build); the ones
    used are appended to sources. Raises CompdbError for a compilation database
    given that cannot be used."""
    units: list[Unit] = []
    if compdb:
        commands = load_compdb(compdb)
        run_notes += _dropped_flags(commands)
        if paths:
            files, notes = discover(list(paths))
            run_notes += notes
            missing: list[str] = []
            for f in files:
                cmd = find_command(commands, f)
                if cmd is None:
                    missing.append(f)
                    units.append(Unit(f, f, tuple(base_args)))
                else:
                    # Named as the database names it: the same unit as in a run over
                    # the whole database (its cached result, its summaries).
                    units.append(Unit(cmd.file, cmd.file, tuple(list(cmd.args) + base_args)))
            run_notes += _not_in_compdb(missing)
        else:
            units = [Unit(c.file, c.file, tuple(list(c.args) + base_args)) for c in commands]
            if not units:
                run_notes.append(Notification("warning", "the compilation database is empty",
                                              code="no-c-files"))
    else:
        files, notes = discover(list(paths))
        run_notes += notes
        units = _found_builds(files, base_args, run_notes, sources) if find_build else \
            [Unit(f, f, tuple(base_args)) for f in files]

    return units, _unreadable(units)


NOT_IN_COMPDB_LISTED = 8


def _not_in_compdb(files: list[str]) -> list[Notification]:
    """One note for the files the database does not know (a tree's tests, other
    platforms' ports): they are analysed with default flags."""
    if not files:
        return []
    shown = ", ".join(printable_path(f) for f in files[:NOT_IN_COMPDB_LISTED])
    more = f" and {len(files) - NOT_IN_COMPDB_LISTED} more" \
        if len(files) > NOT_IN_COMPDB_LISTED else ""
    return [Notification(
        "note", f"{len(files)} file(s) not in the compilation database, analysed with "
        f"default flags: {shown}{more}", code="not-in-compdb")]


def _dropped_flags(commands) -> list[Notification]:
    """A note per flag dropped from the database's commands: a build passes the same
    flags to every file, so one note names the first file and counts the others."""
    files: dict[str, list[str]] = {}
    for cmd in commands:
        for w in cmd.warnings:
            files.setdefault(w, []).append(cmd.file)
    notes = []
    for w, paths in files.items():
        more = f" (and {len(paths) - 1} more file(s))" if len(paths) > 1 else ""
        notes.append(Notification("warning", f"{printable_path(paths[0])}{more}: {w}",
                                  code="compdb-flag-dropped"))
    return notes


def _found_builds(files: list[str], base_args: list[str], run_notes: list[Notification],
                  sources: list[str] | None) -> list[Unit]:
    """Units with the flags of the database or flags file found above each file; a
    note per source says for how many files it was used."""
    finder = BuildFinder()
    units, used, warned = [], {}, set()
    for f in files:
        found = finder.flags_for(f)
        args: tuple[str, ...] = ()
        if found is not None:
            for w in found.warnings:
                if (found.source, w) not in warned:
                    warned.add((found.source, w))
                    run_notes.append(Notification(
                        "warning", f"{printable_path(found.source)}: {w}",
                        code="compdb-flag-dropped"))
            if found.args is not None:
                args = found.args
                used[found.source] = used.get(found.source, 0) + 1
        units.append(Unit(f, f, args + tuple(base_args)))
    for source, n in used.items():
        if sources is not None:
            sources.append(source)
        run_notes.append(Notification(
            "note", f"flags for {n} file(s) from {printable_path(source)}",
            code="compdb-found"))
    return units


def _unreadable(units: list[Unit]) -> dict[Unit, FileResult]:
    skipped: dict[Unit, FileResult] = {}
    for u in units:
        why = check_readable(u.path)
        if why:
            res = FileResult(u.display)
            res.notifications.append(Notification("error", why, None, "unreadable"))
            skipped[u] = res
    return skipped
