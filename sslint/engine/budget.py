"""The limits of one function's analysis (in their own module so that the command
line can show the defaults without importing the engine)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    max_states_per_node: int = 128
    max_steps: int = 200_000
    deadline: float = 0.0  # time.perf_counter() value to stop at; 0: none
