"""Find a file's build flags when none were given, as clangd does: in the file's
folder and every folder above it, a `compile_commands.json`, one in a `build/`
subfolder, or a `compile_flags.txt` (one flag per line, for every file below it).
The first found wins. Flags are sanitised like any others."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from sslint.frontend.compdb import CompdbError, CompileCommand, find_command, load_compdb
from sslint.frontend.compdb import sanitize_args

_CANDIDATES = (("compile_commands.json",), ("build", "compile_commands.json"),
               ("compile_flags.txt",))


@dataclass
class Found:
    args: tuple[str, ...] | None  # None: the database does not list the file
    source: str                   # the database or flags file used
    warnings: list[str] = field(default_factory=list)


class BuildFinder:
    """Looks up each file's flags, reading every database or flags file once."""

    def __init__(self) -> None:
        self._dir: dict[str, str | None] = {}          # folder -> what governs it
        self._dbs: dict[str, list[CompileCommand] | str] = {}  # path -> commands or error
        self._flags: dict[str, tuple[tuple[str, ...], list[str]]] = {}

    def flags_for(self, path: str) -> Found | None:
        """The flags for path from the nearest database or flags file, or None."""
        source = self._governing(os.path.dirname(os.path.abspath(path)))
        if source is None:
            return None
        if source.endswith(".txt"):
            args, warnings = self._flags_file(source)
            return Found(args, source, warnings)
        commands = self._database(source)
        if isinstance(commands, str):
            return Found(None, source, [commands])
        cmd = find_command(commands, path)
        if cmd is None:
            return Found(None, source)
        return Found(tuple(cmd.args), source, list(cmd.warnings))

    def _governing(self, folder: str) -> str | None:
        seen = []
        cur = folder
        while True:
            if cur in self._dir:
                hit = self._dir[cur]
                break
            seen.append(cur)
            hit = next((os.path.join(cur, *c) for c in _CANDIDATES
                        if os.path.isfile(os.path.join(cur, *c))), None)
            if hit is not None:
                break
            parent = os.path.dirname(cur)
            if parent == cur:
                break
            cur = parent
        for f in seen:
            self._dir[f] = hit
        return hit

    def _database(self, path: str) -> list[CompileCommand] | str:
        if path not in self._dbs:
            try:
                self._dbs[path] = load_compdb(path)
            except CompdbError as exc:  # found, not asked for: say so, use no flags
                self._dbs[path] = f"{exc}; using default flags"
        return self._dbs[path]

    def _flags_file(self, path: str) -> tuple[tuple[str, ...], list[str]]:
        if path not in self._flags:
            folder = os.path.dirname(path)
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    raw = [line.strip() for line in fh if line.strip()]
            except OSError as exc:
                self._flags[path] = ((), [f"cannot read ({exc.strerror or exc})"])
                return self._flags[path]
            args, dropped = sanitize_args(raw, folder, folder)
            self._flags[path] = (tuple(args), dropped)
        return self._flags[path]
