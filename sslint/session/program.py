"""The whole-program pass: summaries cross file boundaries.

Phase 1 analyses every unit on its own (each file's functions with the summaries of
the same file, as before) and collects the summaries of the functions with external
linkage. Phase 2 analyses again the units that call such a function defined in
another file, with those summaries in their model, so `conn_fail(c)` in one file is
known to free `c->ssl` in another. A unit re-analysed may summarise its own functions
better; their callers are then analysed again, for at most MAX_ROUNDS rounds (a
cycle that keeps changing stops there: no round invents a summary, it only refines
one computed from real code).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sslint.core.findings import FileResult
from sslint.model.api import FnSpec, is_lifecycle
from sslint.workers.runner import Job, Runner, Unit

MAX_ROUNDS = 3


@dataclass
class ProgramRun:
    results: list[FileResult]
    program: dict[str, FnSpec] = field(default_factory=dict)
    rounds: int = 0          # phase-2 rounds run
    reanalysed: int = 0      # unit analyses in phase 2 (a unit may count once per round)
    ambiguous: tuple[str, ...] = ()  # names defined differently by several files


def exports(results: list[FileResult]) -> tuple[dict[str, FnSpec], tuple[str, ...]]:
    """Summaries of functions with external linkage by name. A name that files define
    differently (two programs in one tree, each with its own `cleanup`) is left out."""
    seen: dict[str, FnSpec | None] = {}
    for r in results:
        for spec in r.summaries:
            if spec.static:
                continue
            if spec.name in seen and seen[spec.name] != spec:
                seen[spec.name] = None
            else:
                seen.setdefault(spec.name, spec)
    return ({n: s for n, s in seen.items() if s is not None},
            tuple(sorted(n for n, s in seen.items() if s is None)))


def analyse(runner: Runner, job: Job, units: list[Unit], progress=None,
            whole_program: bool = True) -> ProgramRun:
    results = runner.run([job] * len(units), units, progress)
    run = ProgramRun(results)
    if not whole_program:
        return run
    run.program, run.ambiguous = exports(results)
    changed = set(run.program)
    while changed and run.rounds < MAX_ROUNDS:
        todo = [i for i, r in enumerate(results) if r.analyzed and _needs(r, changed, run.program)]
        if not todo:
            break
        run.rounds += 1
        run.reanalysed += len(todo)
        jobs = [replace(job, program=_used(run.program, results[i].calls)) for i in todo]
        again = runner.run(jobs, [units[i] for i in todo])
        for i, r in zip(todo, again, strict=True):
            r.parse_seconds += results[i].parse_seconds
            r.analysis_seconds += results[i].analysis_seconds
            results[i] = r
        program, run.ambiguous = exports(results)
        changed = {n for n in program.keys() | run.program.keys()
                   if program.get(n) != run.program.get(n)}
        run.program = program
    return run


def _needs(r: FileResult, changed: set[str], program: dict[str, FnSpec]) -> bool:
    """Whether a unit's findings may change with these summaries: a body it analysed
    calls one, or another body calls one that makes it worth analysing (a function
    that frees or allocates; not one that only uses a handle, or never returns)."""
    if r.analysed_calls & changed:
        return True
    return any(n in program and is_lifecycle(program[n]) for n in r.calls & changed)


def _used(program: dict[str, FnSpec], calls: frozenset[str]) -> tuple[tuple[str, FnSpec], ...]:
    """The summaries a unit needs: those of the functions it calls, in a stable order."""
    return tuple((n, program[n]) for n in sorted(calls & program.keys()))
