"""Source locations and the steps of a path: the values the lowering and the engine
make most, compiled with them (setup.py). sslint.core.findings re-exports both.

Immutable by convention, not frozen dataclasses, for the reason core/ir.py gives:
the __init__ written here compiles, the one @dataclass generates does not."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, unsafe_hash=True, order=True)
class Loc:
    """A source range. Lines and columns are 1-based; columns count bytes (as libclang
    does) and end_col is exclusive. The output layer converts to characters."""

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0

    def __init__(self, file: str, line: int, col: int, end_line: int = 0,
                 end_col: int = 0) -> None:
        self.file = file
        self.line = line
        self.col = col
        self.end_line = end_line
        self.end_col = end_col

    def __reduce__(self) -> tuple:
        # By the constructor: a compiled class's own __init__ takes the fields.
        return (Loc, (self.file, self.line, self.col, self.end_line, self.end_col))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(slots=True, unsafe_hash=True)
class Step:
    """One step on the path that leads to a finding (SARIF threadFlow location)."""

    loc: Loc
    message: str

    def __init__(self, loc: Loc, message: str) -> None:
        self.loc = loc
        self.message = message

    def __reduce__(self) -> tuple:
        return (Step, (self.loc, self.message))
