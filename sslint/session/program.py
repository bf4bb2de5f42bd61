"""The whole-program pass: summaries cross file boundaries.

Phase 1 analyses the units callee-first, in waves read from their text
(sslint.session.callgraph): each unit with the summaries of the functions of earlier
waves that it calls (and its own file's, as before), so `conn_fail(c)` in one file is
known to free `c->ssl` in another. Phase 2 analyses again the units whose callees'
summaries differ from those they were given (a call the text scan missed, files that
call each other, a summary that improved), for at most MAX_ROUNDS rounds: a cycle
that keeps changing stops there. No round invents a summary; each comes from real
code.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sslint.analysis.fields import ANY
from sslint.core.events import FieldNeverReleased
from sslint.core.findings import FileResult, Step
from sslint.model.api import FnSpec, is_lifecycle
from sslint.session import callgraph
from sslint.session.cache import digest
from sslint.session.results import canonical
from sslint.workers.runner import Job, IrPlan, Runner, Unit

if TYPE_CHECKING:
    from sslint.analysis.snapshot import Snapshot

MAX_ROUNDS = 3


@dataclass
class ProgramRun:
    results: list[FileResult]
    program: dict[str, FnSpec] = field(default_factory=dict)
    rounds: int = 0          # phase-2 rounds run
    reanalysed: int = 0      # unit analyses in phase 2 (a unit may count once per round)
    reparsed: int = 0        # of those, the ones that parsed again (no snapshot held)
    ambiguous: tuple[str, ...] = ()  # names defined differently by several files
    outside: int = 0  # summaries of files not in the run (from the cache) it used


def exports(results: list[FileResult], outside: dict[str, FnSpec] | None = None
            ) -> tuple[dict[str, FnSpec], tuple[str, ...]]:
    """Summaries of functions with external linkage by name, over those of `outside`.
    A name that files define differently (two programs in one tree, each with its own
    `cleanup`) is left out."""
    seen: dict[str, FnSpec | None] = {}
    for r in results:
        for spec in r.summaries:
            if spec.static:
                continue
            if spec.name in seen and seen[spec.name] != spec:
                seen[spec.name] = None
            else:
                seen.setdefault(spec.name, spec)
    program = {n: s for n, s in (outside or {}).items() if n not in seen}
    program.update((n, s) for n, s in seen.items() if s is not None)
    return program, tuple(sorted(n for n, s in seen.items() if s is None))


class Batches:
    """Runs batches of units, each with its own job, through the results cache
    (sslint.session.results) when there is one, then the worker processes. A unit's
    cached result is valid only for the summaries it was given: they are part of
    the key."""

    def __init__(self, runner: Runner, results_cache=None):
        self.runner = runner
        self.cache = results_cache

    @property
    def kept(self) -> dict[Unit, Snapshot]:
        return self.runner.kept

    def scans(self, units: list[Unit]) -> list[callgraph.Scan]:
        if self.cache is None:
            return [callgraph.scan(u.path) for u in units]
        return [self.cache.scan(u.path) for u in units]

    def run(self, jobs: list[Job], units: list[Unit], progress=None,
            ir: list[IrPlan] | None = None) -> list[FileResult]:
        if self.cache is None:
            return self.runner.run(jobs, units, progress, ir)
        self._given(jobs, units)
        cached, keys = self.cache.split(units)
        todo = [i for i, r in enumerate(cached) if r is None]
        fresh = self.runner.run([jobs[i] for i in todo], [units[i] for i in todo], progress,
                                None if ir is None else [ir[i] for i in todo])
        return self.cache.fill(cached, keys, fresh)

    def remember(self, jobs: list[Job], units: list[Unit], results: list[FileResult]) -> None:
        """These results hold for these jobs too (their extra summaries cannot change
        them): a later run that gives a unit all its callees' summaries (one file
        checked alone) finds it in the cache."""
        if self.cache is None or not units:
            return
        self._given(jobs, units)
        for key, r in zip(self.cache.keys(units), results, strict=True):
            self.cache.store(key, r)

    def _given(self, jobs: list[Job], units: list[Unit]) -> None:
        """The summaries each unit is given become part of its results key."""
        given = {u: digest(canonical(j.program)) for j, u in zip(jobs, units, strict=True)}
        self.cache.extra = given.__getitem__


def analyse(runner: Batches | Runner, job: Job, units: list[Unit], progress=None,
            whole_program: bool = True,
            outside: dict[str, FnSpec] | None = None) -> ProgramRun:
    """`outside`: summaries of functions of files not in this run (from the cache of
    earlier runs); the run's own files win over them."""
    if not whole_program:
        return ProgramRun(runner.run([job] * len(units), units, progress))
    # Phase 1, callee-first: each wave of units gets the summaries of the waves
    # before it (the units whose functions it calls, as far as their text tells).
    scans = runner.scans(units) if isinstance(runner, Batches) else \
        [callgraph.scan(u.path) for u in units]
    results: list[FileResult | None] = [None] * len(units)
    consumed: list[dict[str, FnSpec]] = [{} for _ in units]
    run = ProgramRun([], dict(outside or {}), outside=len(outside or {}))
    done = 0
    order = callgraph.waves(scans)
    # Units that call functions of their own wave (files that call each other) keep
    # their parse and IR: if they go again, they are neither parsed nor lowered again.
    # Bodies that call such a function whose text leads to a lifecycle call are
    # lowered up front too (its summary may make them worth analysing); lowering every
    # body that calls one cost +40 % on haproxy's 138-file cycle.
    later = _kept_names(job, scans, callgraph.pending(scans, order))
    for wave in order:
        jobs = []
        for i in wave:
            consumed[i] = _used(run.program, scans[i].calls)
            jobs.append(replace(job, program=tuple(sorted(consumed[i].items()))))
        step = None if progress is None else (
            lambda k, u, base=done: progress(base + k, u))
        ir = [(later[i], None) for i in wave]
        for i, r in zip(wave, runner.run(jobs, [units[i] for i in wave], step, ir),
                        strict=True):
            results[i] = r
        done += len(wave)
        run.program, run.ambiguous = exports([r for r in results if r is not None], outside)
    run.results = [r for r in results if r is not None]
    # Phase 2: units whose callees' summaries differ from those they were given (a
    # call the text scan missed, a cycle, a summary that improved) go again.
    while run.rounds < MAX_ROUNDS:
        todo = []
        for i, r in enumerate(run.results):
            want = _used(run.program, scans[i].calls)
            if r.analyzed and want != consumed[i] and _needs(r, _differ(want, consumed[i]),
                                                                run.program):
                todo.append(i)
                consumed[i] = want
        if not todo:
            break
        run.rounds += 1
        run.reanalysed += len(todo)
        jobs = [replace(job, program=tuple(sorted(consumed[i].items()))) for i in todo]
        ir = [(later[i], runner.kept.pop(units[i], None)) for i in todo]
        again = runner.run(jobs, [units[i] for i in todo], None, ir)
        for i, r in zip(todo, again, strict=True):
            run.reparsed += r.parse_seconds > 0
            r.parse_seconds += run.results[i].parse_seconds
            r.analysis_seconds += run.results[i].analysis_seconds
            run.results[i] = r
        run.program, run.ambiguous = exports(run.results, outside)
    runner.kept.clear()
    if isinstance(runner, Batches):
        # Units given fewer summaries than they call, none of which matters to them.
        wants = {i: _used(run.program, scans[i].calls) for i, r in enumerate(run.results)
                 if r.analyzed}
        same = [i for i, want in wants.items() if want != consumed[i]
                and not _needs(run.results[i], _differ(want, consumed[i]), run.program)]
        runner.remember([replace(job, program=tuple(sorted(wants[i].items()))) for i in same],
                        [units[i] for i in same], [run.results[i] for i in same])
    return run


def _kept_names(job: Job, scans: list[callgraph.Scan], pending: list[frozenset[str]]
                ) -> list[frozenset[str] | None]:
    """Per unit: None (nothing to keep), or the names whose callers' bodies it should
    lower besides those it analyses."""
    if not any(pending):
        return [None] * len(scans)
    from sslint.frontend.lower import NORETURN_NAMES
    from sslint.model.api import ApiModel

    # Over every unit: a wanted function may reach a lifecycle call through others.
    # A summary that never returns makes its callers worth a summary too (a fatal
    # helper: callgraph.stops).
    model = ApiModel(dict(job.extra_api))
    hot = callgraph.hot(scans, model.lifecycle_names()) | callgraph.stops(
        scans, NORETURN_NAMES | model.noreturn_names())
    return [p & hot if p else None for p in pending]


def _differ(a: dict[str, FnSpec], b: dict[str, FnSpec]) -> set[str]:
    return {n for n in a.keys() | b.keys() if a.get(n) != b.get(n)}


def _needs(r: FileResult, changed: set[str], program: dict[str, FnSpec]) -> bool:
    """Whether a unit's findings may change with these summaries: a body it analysed
    calls one, or another body calls one that makes it worth analysing (a function
    that frees or allocates; not one that only uses a handle, or never returns)."""
    if r.analysed_calls & changed:
        return True
    return any(n in program and is_lifecycle(program[n]) for n in r.calls & changed)


def _used(program: dict[str, FnSpec], calls: frozenset[str]) -> dict[str, FnSpec]:
    """The summaries a unit needs: those of the functions it calls."""
    return {n: program[n] for n in calls & program.keys()}


def field_events(results: list[FileResult]) -> list[tuple[int, FieldNeverReleased]]:
    """Program-level: owned references stored in a struct field that no function of
    the program may release or pass on (SSL104), one event per field, at its first
    store, with the index of the result it belongs to."""
    handled = set().union(*(r.field_handled for r in results))
    names = {f for _, f in handled}
    stores: dict[tuple[str, str], list[tuple[int, tuple]]] = {}
    for i, r in enumerate(results):
        for s in r.field_stores:
            record, fld = s[0], s[1]
            if (record, fld) in handled or (ANY, fld) in handled \
                    or (not record and fld in names):
                continue
            stores.setdefault((record, fld), []).append((i, s))
    out = []
    for (record, fld), found in sorted(stores.items()):
        i, (_, _, kind, api, where, function) = found[0]
        writers = []
        seen = {function}
        for _, (_, _, _, _, w, fn) in found[1:]:
            if fn not in seen:
                seen.add(fn)
                writers.append(Step(w, f"also stored by {fn}()"))
        out.append((i, FieldNeverReleased(
            handle=kind, site=where, function=function, api=api,
            var=f"{record or 'struct'}.{fld}", record=record, field=fld,
            writers=tuple(writers))))
    return out


def program_findings(results: list[FileResult], rules) -> None:
    """Run the program-stage rules on the program-level events; their findings join
    the results of the files they are in."""
    program_rules = [r for r in rules if r.rule.stage == "program"]
    if not program_rules:
        return
    for i, ev in field_events(results):
        for r in program_rules:
            if ev.kind in r.rule.events:
                f = r.check(ev)
                if f is not None:
                    results[i].findings.append(f)
                    results[i].findings.sort(key=type(f).sort_key)
