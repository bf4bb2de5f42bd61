"""Runs the analysis over many translation units, in parallel processes when asked.

Results come back in input order whatever the number of jobs, so output is
identical for --jobs 1 and --jobs N. Each unit runs on a thread with a large
stack: deeply nested C must not hit Python's recursion limit.
"""
from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from sslint.analysis import Options, RuleSet, analyze_file
from sslint.findings import FileResult, Loc, Notification
from sslint.model.api import ApiModel, FnSpec
from sslint.rule import all_rules

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 100_000


@dataclass(frozen=True)
class Unit:
    path: str      # what to open
    display: str   # how to name it in output
    args: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    rule_ids: tuple[str, ...]
    extra_api: tuple[tuple[str, FnSpec], ...]
    options: Options


_worker_state: tuple[RuleSet, ApiModel, Options] | None = None


def _setup(job: Job) -> tuple[RuleSet, ApiModel, Options]:
    global _worker_state
    if _worker_state is None or _worker_state[2] != job.options:
        rules = [r for r in all_rules() if r.rule.id in job.rule_ids]
        _worker_state = (RuleSet(rules), ApiModel(dict(job.extra_api)), job.options)
    return _worker_state


def _on_big_stack(fn, *args):
    box: dict = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc

    old = threading.stack_size()
    threading.stack_size(STACK_BYTES)
    try:
        t = threading.Thread(target=target, name="sslint-unit")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def run_unit(job: Job, unit: Unit) -> FileResult:
    rules, model, opts = _setup(job)
    try:
        return _on_big_stack(analyze_file, unit.path, unit.display, list(unit.args), rules,
                             model, opts)
    except Exception as exc:  # noqa: BLE001 - one broken unit must not end the run
        res = FileResult(unit.display)
        res.notifications.append(Notification(
            "error", f"internal error: {type(exc).__name__}: {exc}",
            Loc(unit.display, 1, 1, 1, 1), "internal-error"))
        return res


def _init_worker() -> None:
    sys.setrecursionlimit(RECURSION_LIMIT)


def run_all(job: Job, units: list[Unit], jobs: int) -> list[FileResult]:
    sys.setrecursionlimit(RECURSION_LIMIT)
    if jobs <= 1 or len(units) <= 1:
        return [run_unit(job, u) for u in units]
    workers = min(jobs, len(units))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        # Memory stays flat: each worker frees a unit's AST as soon as it is analysed.
        return list(pool.map(run_unit, [job] * len(units), units, chunksize=1))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
