"""Source files read once, outside any formatter: SARIF, baselines and the language
server all need byte→code-point columns or line fingerprints."""
from __future__ import annotations

import os

from sslint.output.fingerprint import line_hashes


class Sources:
    """Source files read once, for byte→code-point columns and line fingerprints."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._data: dict[str, bytes | None] = {}
        self._lines: dict[str, list[bytes] | None] = {}
        self._hashes: dict[str, list[str] | None] = {}
        self._known: dict[str, dict[int, str]] = {}

    def _read(self, path: str) -> bytes | None:
        if path not in self._data:
            self._data[path] = None
            for candidate in (path, os.path.join(self.root, path)):
                try:
                    with open(candidate, "rb") as fh:
                        self._data[path] = fh.read()
                    break
                except OSError:
                    continue
        return self._data[path]

    def line(self, path: str, line: int) -> bytes | None:
        """Line `line` (1-based) of path without its line break, None when unknown."""
        if path not in self._lines:
            data = self._read(path)
            # bytes.splitlines breaks at LF, CRLF and CR only, as clang counts lines.
            self._lines[path] = data.splitlines() if data is not None else None
        lines = self._lines[path]
        return lines[line - 1] if lines is not None and 1 <= line <= len(lines) else None

    def column(self, path: str, line: int, byte_col: int) -> int:
        """libclang's 1-based byte column as a 1-based Unicode code point column."""
        raw = self.line(path, line)
        if raw is None or byte_col < 1:
            return byte_col
        prefix = raw[: byte_col - 1]
        beyond = max(0, byte_col - 1 - len(raw))  # e.g. an end column just past the line
        return len(prefix.decode("utf-8", errors="replace")) + beyond + 1

    def known_hashes(self, path: str, hashes: dict[int, str]) -> None:
        """Line hashes a worker computed (FileResult.line_hashes) for path."""
        self._known[path] = hashes

    def line_hash(self, path: str, line: int) -> str | None:
        known = self._known.get(path)
        if known and line in known:
            return known[line]
        if path not in self._hashes:
            data = self._read(path)
            text = data.decode("utf-8", errors="replace") if data is not None else None
            self._hashes[path] = line_hashes(text) if text is not None else None
        hashes = self._hashes[path]
        return hashes[line - 1] if hashes and 1 <= line <= len(hashes) else None
