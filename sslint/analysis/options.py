"""How one file is analysed (in their own module so that a run can be set up
without importing the analysis)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sslint.engine.budget import Budget


@dataclass
class Options:
    budget: Budget = field(default_factory=Budget)
    file_timeout: float = 60.0  # seconds of analysis per file after parsing
    root: str = "."
