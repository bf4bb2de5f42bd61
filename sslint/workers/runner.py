"""Runs the analysis over many translation units in supervised worker processes.

Results come back in input order whatever the number of jobs, so output is
identical for --jobs 1 and --jobs N. Each unit runs on a thread with a large
stack, and libclang parses on that thread too (LIBCLANG_NOTHREADS): deeply nested
C must neither hit Python's recursion limit nor overflow libclang's own 8 MiB
parser thread. Workers are processes even for --jobs 1 (sslint.workers.pool), so a file
that crashes or hangs libclang costs that file only.

With `Job.pch`, precompiled headers of the #include blocks that several files
share are built first, by the same workers, in a private temporary directory
(sslint.frontend.pch).
"""
from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sslint.workers import watchdog
from sslint.analysis.options import Options
from sslint.core.findings import FileResult, Loc, Notification
from sslint.model.api import ApiModel, FnSpec
from sslint.workers.pool import Pool, stopped, watched
from sslint.core.rule import all_rules

if TYPE_CHECKING:
    from sslint.analysis.snapshot import Snapshot
    from sslint.analysis.unit import RuleSet
    from sslint.frontend import pch


def _analysis():
    """The analysis and libclang, imported when there is something to analyse (a
    run whose results all come from the cache never loads them). run_all imports
    them before the workers fork, so that they inherit them."""
    from sslint.analysis import unit
    from sslint.frontend import parse, pch

    return unit, parse, pch

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 100_000
PCH_BUILD_LIMIT = 60.0  # seconds for one precompiled header
GUESS_LIMIT = 30.0      # seconds for one batch of guesses (past it, units guess themselves)
GUESS_BATCH = 32        # files a worker guesses for in one task
Guesses = tuple[list[str], list[str]]  # frontend.parse.guesses: folders, switches


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
    pch: bool = False  # share precompiled headers between units (run_all only)
    # Summaries of functions defined in other files (the whole-program pass).
    program: tuple[tuple[str, FnSpec], ...] = ()
    pch_dir: str = ""  # keep them here across runs; "": a temporary folder per run
    line_hashes: bool = False  # FileResult.line_hashes wanted (SARIF output)


# Per unit, for the whole-program pass: names whose summaries may come later (keep
# the parse and IR, sslint.analysis.snapshot) and a snapshot kept earlier to reuse.
IrPlan = tuple["frozenset[str] | None", "Snapshot | None"]
NO_IR: IrPlan = (None, None)

_worker_state: tuple[RuleSet, ApiModel, Options] | None = None
_worker_job: Job | None = None  # the job _worker_state was built for (rules, API, options)


def _setup(job: Job) -> tuple[RuleSet, ApiModel, Options]:
    global _worker_state, _worker_job
    _prepare_process()
    if _worker_state is None or _worker_job != job:
        rules = [r for r in all_rules() if r.rule.id in job.rule_ids]
        _worker_state = (_analysis()[0].RuleSet(rules),
                         ApiModel(dict(job.extra_api), dict(job.program)),
                         job.options)
        _worker_job = job
        # The model, rules and modules live as long as the process: out of the
        # collector's way (its full passes walked them; the engine ran 9 % faster).
        gc.freeze()
    return _worker_state


def _prepare_process() -> None:
    sys.setrecursionlimit(RECURSION_LIMIT)
    # Parse on the calling (big-stack) thread, not on a fresh 8 MiB one.
    os.environ["LIBCLANG_NOTHREADS"] = "1"


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
    watchdog.forget(t.ident)
    if "error" in box:
        raise box["error"]
    return box["value"]


def run_unit(job: Job, unit: Unit) -> FileResult:
    """Analyse one unit in this process (no time limit beyond the analysis' own)."""
    rules, model, opts = _setup(job)
    try:
        return _on_big_stack(_analysis()[0].analyze_file, unit.path, unit.display,
                             list(unit.args), rules, model, opts)
    except Exception as exc:  # noqa: BLE001 - one broken unit must not end the run
        return stopped(unit.display, f"internal error: {type(exc).__name__}: {exc}",
                       "internal-error")


# ---- tasks a worker runs -------------------------------------------------------

def _unit_task(payload: tuple[Job, Unit, tuple[tuple[str, str], ...], IrPlan,
                              Guesses | None]):
    job, unit, table, (keep, reuse), guessed = payload
    rules, model, opts = _setup(job)
    unit_module, _, pch = _analysis()
    if pch.active().entries != table:
        pch.install(pch.Table(table))
    res, ending = watched(unit_module.analyze_file,
                          (unit.path, unit.display, list(unit.args), rules, model, opts,
                           keep, reuse, guessed),
                          unit.display, STACK_BYTES, opts.file_timeout)
    if job.line_hashes and not ending:
        _hash_lines(res, unit.path)
    return res, ending


def _hash_lines(res: FileResult, path: str) -> None:
    from sslint.output.fingerprint import line_hashes

    lines = {f.loc.line for f in res.findings if f.loc.file == res.path}
    if not lines:
        return
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return
    hashes = line_hashes(text, max(lines))
    res.line_hashes = {n: hashes[n - 1] for n in sorted(lines) if n <= len(hashes)}


def _pch_task(payload: tuple[pch.Build, str]):
    _prepare_process()
    build, tmpdir = payload
    return _analysis()[2].build(build, tmpdir), False


def _guess_task(payload: list[tuple[str, tuple[str, ...]]]):
    parse = _analysis()[1]
    return [parse.read_guesses(path, list(args)) for path, args in payload], False


HANDLERS = {"unit": _unit_task, "pch": _pch_task, "guess": _guess_task}


def _guess(pool: Pool, units: list[Unit]) -> dict[Unit, Guesses | None]:
    """Without the build, the include folders and switches the front end guesses for
    each unit (frontend.parse.guesses: reading a file's headers costs a few ms),
    worked out by the workers: the PCHs are planned with the arguments the first
    parse will have, and the units' tasks take them instead of guessing again."""
    # In batches: a worker is replaced after so many tasks, and a new one starts
    # with cold caches (and libclang's dearer first parse). Batches of even sizes, one
    # per worker at least: 40 files were a batch of 32 on one worker and 8 on the other.
    count = max(pool.size, -(-len(units) // GUESS_BATCH))
    size = -(-len(units) // count)
    batches = [units[i:i + size] for i in range(0, len(units), size)]
    got = pool.run_tasks([("guess", [(u.path, u.args) for u in b], GUESS_LIMIT)
                          for b in batches],
                         on_error=lambda i, _msg, _code: [None] * len(batches[i]))
    return dict(zip(units, (g for gs in got for g in gs), strict=True))


def _build_pchs(pool: Pool, units: list[Unit], tmpdir: str, guessed: dict[Unit, Guesses | None],
                have: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The PCHs worth building for these units, `have` (those built already) and
    the new ones."""
    _, parse, pch = _analysis()
    built = dict(have)
    builds = [b for b in pch.plan_builds([(u.path, tuple(parse.clang_args(
        parse.with_guesses(list(u.args), guessed.get(u))))) for u in units])
        if b.key not in built]
    if not builds:
        return have
    kept = [(b.key, pch.reusable(b, tmpdir)) for b in builds]
    builds = [b for b, (_, path) in zip(builds, kept, strict=True) if path is None]
    got = pool.run_tasks([("pch", (b, tmpdir), PCH_BUILD_LIMIT) for b in builds],
                   on_error=lambda i, _msg, _code: (builds[i].key, None, 0.0))
    built.update((key, path) for key, path, *_ in kept + got if path)
    return tuple(sorted(built.items()))


def run_all(job: Job, units: list[Unit], jobs: int,
            progress: Callable[[int, Unit], None] | None = None) -> list[FileResult]:
    """Results in input order; progress(done, unit) is called as each unit finishes
    (in input order too, so it may lag a little behind the workers)."""
    if not units:
        return []
    with Runner(job, units, jobs) as runner:
        return runner.run([job] * len(units), units, progress)


class Runner:
    """Worker processes (and shared PCHs) kept for several passes over the same units:
    the whole-program pass analyses some files again with the others' summaries."""

    def __init__(self, job: Job, units: list[Unit], jobs: int):
        self.job, self.units, self.jobs = job, units, jobs
        self.tmpdir: str | None = None
        self.pool: Pool | None = None
        self.table: tuple[tuple[str, str], ...] = ()
        self.guessed: dict[Unit, Guesses | None] = {}  # without the build: see _guess
        self.called = False  # whether _plan ran before
        self.kept: dict[Unit, Snapshot] = {}  # snapshots the units returned
        self.before_fork: Callable[[], None] | None = None  # e.g. load the API model

    def __enter__(self) -> "Runner":
        return self

    def _start(self, first: list[Unit]) -> Pool:
        """The workers and the shared PCHs, made when a unit first needs analysing (a
        run served by the results cache never starts them)."""
        if self.pool is None:
            job = self.job
            self.tmpdir = (job.pch_dir or tempfile.mkdtemp(prefix="sslint-pch-")) \
                if job.pch else None
            _analysis()  # before the workers fork
            if self.before_fork:
                self.before_fork()
            self.pool = Pool(max(1, min(self.jobs, len(self.units))), HANDLERS).__enter__()
        if self.tmpdir:
            self._plan(self.pool, first)
        return self.pool

    def _plan(self, pool: Pool, units: list[Unit]) -> None:
        """PCHs for the run's units, planned with the arguments their first parse
        will have: without the build, the folders and switches guessed for them.
        A first call that brings a few units at least (a cold run's first wave) has
        every unit guessed for: planning again at each wave of the whole-program
        pass cost tor's tree 1.5 s. Otherwise (a warm run with a file or two changed,
        the rest from the results cache) only the units each call brings are, the
        others planned with their own arguments (right when nothing is guessed for
        them: files with no project headers, whose PCH a previous run kept)."""
        _, parse, pch = _analysis()
        if len(self.units) < pch.MIN_SHARE:
            return  # too few files to share a PCH (`sslint check one_file.c`)
        fresh = [u for u in units if parse.may_guess(u.args) and u not in self.guessed]
        if not self.called and len(fresh) >= pch.MIN_SHARE:
            fresh = [u for u in self.units if parse.may_guess(u.args)]
        if fresh:
            self.guessed.update(_guess(pool, fresh))
        if fresh or not self.called:
            self.table = _build_pchs(pool, self.units, self.tmpdir or "", self.guessed,
                                     self.table)
        self.called = True

    def __exit__(self, *exc) -> None:
        try:
            if self.pool is not None:
                self.pool.__exit__(*exc)
        finally:
            self.pool = None
            if self.tmpdir and not self.job.pch_dir:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    def run(self, jobs: list[Job], units: list[Unit],
            progress: Callable[[int, Unit], None] | None = None,
            ir: list[IrPlan] | None = None) -> list[FileResult]:
        """Each unit analysed with its job; results in input order. The snapshots
        units were asked to keep (`ir`) go to `kept`, not into their results."""
        if not units:
            return []
        pool = self._start(units)
        limit = watchdog.Limits.for_timeout(self.job.options.file_timeout).total
        reported = [0]
        finished: set[int] = set()

        def on_result(i: int, _res: FileResult) -> None:
            finished.add(i)
            while reported[0] in finished:
                reported[0] += 1
                if progress:
                    progress(reported[0], units[reported[0] - 1])

        def on_error(i: int, message: str, code: str) -> FileResult:
            res = FileResult(units[i].display)
            res.notifications.append(Notification(
                "error", f"{units[i].display}: {message}", Loc(units[i].display, 1, 1, 1, 1),
                code))
            return res

        plans = ir or [NO_IR] * len(units)
        tasks = [("unit", (j, u, self.table, p, self.guessed.get(u)), limit)
                 for j, u, p in zip(jobs, units, plans, strict=True)]
        results = pool.run_tasks(tasks, on_error, on_result, _largest_first(units))
        for u, r in zip(units, results, strict=True):
            if r.snapshot is not None:
                self.kept[u] = r.snapshot
                r.snapshot = None
        return results


def _largest_first(units: list[Unit]) -> list[int]:
    """Big files first: the last task handed out decides how long the other workers
    wait at the end, so it had better be a small one."""
    def size(i: int) -> int:
        try:
            return os.stat(units[i].path).st_size
        except OSError:
            return 0
    return sorted(range(len(units)), key=lambda i: -size(i))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
