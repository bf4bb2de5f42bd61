"""Time limits for one file, enforced from outside the thread that analyses it.

The analysis itself stops between functions once --file-timeout has passed after
parsing; it cannot stop inside one function, and nothing can stop a libclang parse.
A worker process therefore watches its analysis thread: parse() marks when parsing
ended, and `overrun` says when the file is past its limits and what it was doing,
so the worker can report it and end itself (sslint.workers.pool).
"""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass

PARSE_LIMIT_MIN = 10.0  # seconds; real files parse in well under 2 s
GRACE_MIN = 2.0         # seconds past --file-timeout before a function is abandoned

_parsed: dict[int, float] = {}  # analysis thread ident -> when its parse ended


def mark_parsed() -> None:
    """Called by parse() on the analysis thread once libclang has returned."""
    _parsed[threading.get_ident()] = time.monotonic()


def forget(ident: int | None) -> None:
    _parsed.pop(ident or 0, None)


@dataclass(frozen=True)
class Limits:
    parse: float     # seconds from the start of a file until its parse must end
    analysis: float  # seconds from the end of the parse until its analysis must end

    @classmethod
    def for_timeout(cls, file_timeout: float) -> Limits:
        return cls(max(PARSE_LIMIT_MIN, file_timeout),
                   file_timeout + max(GRACE_MIN, 0.1 * file_timeout))

    @property
    def total(self) -> float:
        return self.parse + self.analysis


def overrun(thread: threading.Thread, started: float, limits: Limits,
            file_timeout: float) -> str | None:
    """Why `thread` (which began a file at `started`) is past its limits, or None."""
    now = time.monotonic()
    parsed = _parsed.get(thread.ident or 0)
    if parsed is None:
        if now - started > limits.parse:
            return f"libclang did not finish parsing it within {limits.parse:g}s"
        return None
    if now - parsed > limits.analysis:
        fn = busy_function(thread)
        where = f"function '{fn}'" if fn else "one function"
        return (f"analysing {where} took longer than the time limit of {file_timeout:g}s; "
                "the rest of the file was not analysed")
    return None


def busy_function(thread: threading.Thread) -> str:
    """The name of the function `thread` is lowering or analysing, read from its
    stack: the engine's ir.Function, else the libclang cursor being lowered (the
    worker ends right after, so reading a cursor from this thread is acceptable)."""
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        local = frame.f_locals
        for fn in (local.get("fn"), getattr(local.get("self"), "fn", None)):
            name = getattr(fn, "name", None)
            if isinstance(name, str) and name:
                return name
            if type(fn).__name__ == "Cursor":
                try:
                    return str(fn.spelling)
                except Exception:  # noqa: BLE001 - best effort only
                    return ""
        frame = frame.f_back
    return ""
