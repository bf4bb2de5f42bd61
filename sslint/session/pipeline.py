"""One run of sslint, whoever asked for it: a Request in, a Report out. `sslint check`
and the language server are shells around run(); problems that keep a run from
starting are SessionError, never an exit.

The stages: settings and config → translation units (sslint.session.inputs) → analysis
(sslint.workers.runner) → ignores, severities, suppressions and post-suppression rules, then
the baseline (sslint.session.postprocess) → exit code and Report (→ --write-baseline).
"""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sslint.analysis.options import Options
from sslint.session.baseline import BaselineError, load_baseline
from sslint.session.cache import Cache
from sslint.session.cache import default_root as default_cache_root
from sslint.session.config import Config, ConfigError, enabled_rules
from sslint.session.config import resolve as resolve_config
from sslint.engine.budget import Budget
from sslint.core.findings import FileResult, Notification
from sslint.frontend import toolchain
from sslint.frontend.compdb import CompdbError
from sslint.frontend.sources import printable_path
from sslint.session.inputs import units_for
from sslint.output import FORMATTERS, Report, write_atomic
from sslint.session.postprocess import apply_baseline, baseline_snapshot, filter_results
from sslint.session.results import ResultsCache, canonical, load_builtin_model, pch_folder
from sslint.core.rule import LEVELS, LoadedRule, all_rules, unknown_selectors
from sslint.session import program
from sslint.session.summary_index import SummaryIndex
from sslint.workers.runner import Job, Runner, Unit, default_jobs

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class SessionError(Exception):
    """A run that cannot start or finish: bad settings, a config, baseline or compilation
    database sslint cannot use, a baseline it cannot write. The message is one line."""


@dataclass(frozen=True)
class Request:
    """What to analyse and how, as `sslint check` options say it."""

    paths: tuple[str, ...] = ()
    compdb: str | None = None              # -p: compile_commands.json or its folder
    includes: tuple[str, ...] = ()         # -I
    defines: tuple[str, ...] = ()          # -D, NAME or NAME=VALUE
    std: str | None = None                 # --std
    clang_args: tuple[str, ...] = ()       # raw clang arguments (after `--`), added last
    select: tuple[str, ...] = ()           # rule ids, id prefixes or names
    ignore: tuple[str, ...] = ()
    config_file: str | None = None         # --config; None: search from the paths
    isolated: bool = False                 # no config file at all
    opt_in: frozenset[str] = frozenset()   # switches for rules with Rule.opt_in
    fail_on: str = "warning"               # lowest level that makes the exit code 1
    exit_zero: bool = False
    show_suppressed: bool = False
    baseline_file: str | None = None       # report only findings not in this SARIF log
    write_baseline: str | None = None      # write the accepted findings here (exit 0)
    quiet: bool = False
    root: str | None = None                # output paths are relative to it (default: cwd)
    jobs: int | None = None                # worker processes; None: one per core
    category: str = ""                     # SARIF automationDetails.id
    max_states: int = Budget.max_states_per_node
    max_steps: int = Budget.max_steps
    file_timeout: float = Options.file_timeout
    use_pch: bool = True
    line_hashes: bool = False              # the workers hash finding lines (SARIF)
    use_cache: bool = False                # reuse results of unchanged files (the CLI: on)
    cache_dir: str | None = None           # None: the config's cache-dir, else .sslint_cache
    find_build: bool = True                # no -p: look for each file's build flags
    whole_program: bool = True             # summaries of one file's functions for the others
    command_line: str = ""                 # SARIF invocations[0].commandLine


class Progress(Protocol):
    """How a shell shows the analysis going on; run() calls stop() only after a start()
    that returned a callback."""

    def start(self, total: int) -> Callable[[int, Unit], None] | None: ...

    def stop(self) -> None: ...


def run(request: Request, progress: Progress | None = None) -> Report:
    """Analyse what request names and report it; report.exit_code is what `sslint check`
    exits with. Raises SessionError."""
    started = datetime.now(UTC)
    bad = unknown_selectors(request.select + request.ignore)
    if bad:
        raise SessionError(f"unknown rule selector(s): {', '.join(bad)} (see `sslint rules`)")
    if request.config_file and request.isolated:
        raise SessionError("--config and --isolated exclude each other")
    paths, compdb = request.paths, request.compdb
    try:
        cfg = resolve_config(list(paths) or ([compdb] if compdb else []) + [os.getcwd()],
                             request.config_file, request.isolated)
        baseline = load_baseline(request.baseline_file) if request.baseline_file else None
    except (ConfigError, BaselineError) as exc:
        raise SessionError(str(exc)) from exc
    rules = _rules(request, cfg)
    root = os.path.abspath(request.root or os.getcwd())
    run_notes = [Notification("warning", w, code="config-arg-dropped") for w in cfg.warnings]
    if baseline is not None and baseline.unkeyed:
        run_notes.append(Notification(
            "warning", f"{request.baseline_file}: {baseline.unkeyed} result(s) without an "
            "sslint/v1 fingerprint were ignored (write the baseline with --write-baseline)",
            code="baseline-unkeyed"))

    base_args = list(cfg.extra_args) + [f"-I{i}" for i in request.includes] + \
        [f"-D{d}" for d in request.defines]
    if request.std:
        base_args.append(f"-std={request.std}")
    base_args += request.clang_args
    if not compdb and not paths:
        raise SessionError(
            "no paths given (try `sslint check FILE.c` or `sslint check -p build/`)")
    try:
        sources: list[str] = [compdb] if compdb else []
        units, skipped = units_for(paths, compdb, base_args, run_notes, request.find_build,
                                   sources)
    except CompdbError as exc:
        raise SessionError(str(exc)) from exc

    ready = [u for u in units if u not in skipped]
    opts = Options(Budget(request.max_states, request.max_steps), request.file_timeout, root)
    cache = Cache(request.cache_dir or cfg.cache_dir or default_cache_root(cfg.path, os.getcwd())
                  if request.use_cache else None)
    job = Job(tuple(r.rule.id for r in rules if r.rule.stage == "analysis"), cfg.api, opts,
              pch=request.use_pch, pch_dir=(pch_folder(cache) or "") if request.use_pch else "",
              line_hashes=request.line_hashes)
    rcache = _results_cache(cache, job)
    step = progress.start(len(ready)) if progress else None
    results: list[FileResult] = []
    if ready:
        index = _summary_index(cache, job) if request.whole_program else None
        unit_paths = [u.path for u in ready]
        with Runner(job, ready, request.jobs or default_jobs()) as runner:
            runner.before_fork = lambda: load_builtin_model(cache)
            batches = program.Batches(runner, rcache)
            done = program.analyse(batches, job, ready, step, request.whole_program,
                                   index.outside(unit_paths, bool(compdb)) if index else None)
        results = done.results
        if index:
            index.update(unit_paths, results)
        # Program-level rules need the whole program: folders or a compilation
        # database as a whole, not files named one by one (a pre-commit hook's
        # list), not a subset of a database, not with files known from the cache.
        whole = (compdb and not paths) or (paths and all(os.path.isdir(p) for p in paths))
        if request.whole_program and whole and not done.outside:
            program.program_findings(results, rules)
    if progress and step:
        progress.stop()
    order = {u.display: i for i, u in enumerate(units)}
    results = sorted(results + list(skipped.values()),
                     key=lambda r: order.get(r.path, len(order)))

    run_notes += toolchain_notes(results)
    run_notes += unrelated_error_notes(results)
    run_notes += guessed_include_notes(results)
    run_notes += quiet_define_notes(results)
    suppressed = filter_results(results, rules, cfg)
    unchanged, absent = [], []
    if baseline is not None:
        unchanged, absent, suppressed = apply_baseline(baseline, results, suppressed, root)

    code = _exit_code(request, results, rules, run_notes)
    report = Report(results, rules, root, code, run_notes, started, datetime.now(UTC),
                    request.command_line, request.category, quiet=request.quiet,
                    suppressed=suppressed, show_suppressed=request.show_suppressed,
                    baseline=request.baseline_file or "", unchanged=unchanged, absent=absent,
                    flag_sources=tuple(sources))
    if request.write_baseline:
        write_baseline(report, request.write_baseline)
    return report


def toolchain_notes(results: list[FileResult]) -> list[Notification]:
    """The toolchain's problems (FileResult.toolchain) said once for the whole run:
    the same unknown GCC flag or error in the compiler's headers hits every file."""
    files: dict[str, set[str]] = {}
    for r in results:
        for problem in r.toolchain:
            key = "headers" if problem.startswith(toolchain.HEADER_PROBLEM) else problem
            files.setdefault(key, set()).add(r.path)
    out = []
    for key, paths in files.items():
        if key != "headers":
            msg = f"{key} in {len(paths)} file(s): clang ignored it (a flag only GCC knows?)"
        else:
            names = sorted({p[len(toolchain.HEADER_PROBLEM):] for r in results
                            for p in r.toolchain if p.startswith(toolchain.HEADER_PROBLEM)})
            msg = (f"clang rejected parts of the compiler's own {', '.join(names)} in "
                   f"{len(paths)} file(s), ignored as they change none of the files' code "
                   f"({toolchain.describe()}); for clang's own, install clang or set "
                   f"${toolchain.RESOURCE_ENV} to a clang resource directory")
        out.append(Notification("note", msg, code="toolchain-errors"))
    return out


UNRELATED_LISTED = 8  # files named in the note


def unrelated_error_notes(results: list[FileResult]) -> list[Notification]:
    """One note for the files whose parse errors cannot hide a finding (they name no
    OpenSSL lifecycle function): a tree checked without its headers would otherwise
    print a warning and five errors for each of them."""
    paths = sorted(r.path for r in results if r.unrelated_errors)
    if not paths:
        return []
    shown = ", ".join(printable_path(p) for p in paths[:UNRELATED_LISTED])
    more = f" and {len(paths) - UNRELATED_LISTED} more" if len(paths) > UNRELATED_LISTED else ""
    return [Notification(
        "note", f"{len(paths)} file(s) had parse errors (headers or flags missing?) but "
        f"call no OpenSSL lifecycle function, so the errors cannot hide a finding: "
        f"{shown}{more}", code="parse-errors-unrelated")]


FOLDERS_LISTED = 8


def guessed_include_notes(results: list[FileResult]) -> list[Notification]:
    """One note for the include folders found in the tree for files given no flags
    (frontend.projectdirs), most used first."""
    counts: dict[str, int] = {}
    files = 0
    for r in results:
        files += bool(r.guessed_includes)
        for f in r.guessed_includes:
            counts[f] = counts.get(f, 0) + 1
    if not counts:
        return []
    ranked = sorted(counts, key=lambda f: (-counts[f], f))
    shown = " ".join("-I" + printable_path(_as_typed(f)) for f in ranked[:FOLDERS_LISTED])
    more = f" and {len(ranked) - FOLDERS_LISTED} more" if len(ranked) > FOLDERS_LISTED else ""
    return [Notification(
        "note", f"{files} file(s) had no flags naming the project's folders (build flags "
        f"missing?), so the folders their #include lines point to were found in the tree "
        f"and added: {shown}{more}", code="guessed-includes")]


def quiet_define_notes(results: list[FileResult]) -> list[Notification]:
    """One note for the switches guessed for files that call no OpenSSL lifecycle
    function (their functions may still serve others' summaries)."""
    quiet = [r for r in results if r.quiet_defines]
    if not quiet:
        return []
    from sslint.frontend.guards import is_header_check  # its patterns: not at start-up
    counts: dict[str, int] = {}
    files = checks = 0
    for r in quiet:
        files += 1
        switches = [d for d in r.quiet_defines if not is_header_check(d)]
        checks += len(switches) < len(r.quiet_defines)
        for d in switches:
            counts[d] = counts.get(d, 0) + 1
    ranked = sorted(counts, key=lambda d: (-counts[d], d))
    said = ", ".join(f"-D{d} ({counts[d]})" for d in ranked[:FOLDERS_LISTED])
    if len(ranked) > FOLDERS_LISTED:
        said += f" and {len(ranked) - FOLDERS_LISTED} more"
    if checks:
        said += ("; " if said else "") + f"configure's checks for system headers ({checks})"
    return [Notification(
        "note", f"{files} file(s) that call no OpenSSL lifecycle function were parsed with "
        f"guessed switches (build flags missing?): {said}", code="guessed-defines")]


def _as_typed(folder: str) -> str:
    """A folder as the user would type it here: relative below the current
    directory, absolute elsewhere."""
    try:
        rel = os.path.relpath(folder)
    except ValueError:
        return folder
    return folder if rel.startswith("..") else rel


def _results_cache(cache: Cache, job: Job) -> ResultsCache | None:
    """The results cache of this run (sslint.session.results), or None without one."""
    if not cache.enabled:
        return None
    # Everything of the job reaches the analysis but the PCH settings (results are
    # identical with and without) and line hashes (computed again when missing).
    return ResultsCache(cache, canonical(dataclasses.replace(job, pch=False, pch_dir="",
                                                             line_hashes=False)))


def _summary_index(cache: Cache, job: Job) -> SummaryIndex | None:
    """The summaries earlier runs with these settings learnt, or None without a cache."""
    if not cache.enabled:
        return None
    # Not the output root: a hook run from another folder shares the summaries.
    settings = dataclasses.replace(job, pch=False, pch_dir="", line_hashes=False,
                                   options=dataclasses.replace(job.options, root=""))
    return SummaryIndex(cache, canonical(settings))


def _rules(request: Request, cfg: Config) -> list[LoadedRule]:
    """The enabled rules: config, then the request; opt-in rules only when switched on."""
    rules = enabled_rules(all_rules(), [(cfg.select, cfg.ignore), (request.select, request.ignore)])
    return [r for r in rules if not r.rule.opt_in or r.rule.opt_in in request.opt_in]


def _exit_code(request: Request, results: list[FileResult], rules: list[LoadedRule],
               run_notes: list[Notification]) -> int:
    """0, 1 (findings at or above fail_on) or 2 (nothing analysed; then an error note
    says so unless one already does)."""
    levels = {r.rule.id: r.rule.level for r in rules}
    failing = [f for r in results for f in r.findings
               if LEVELS.index(f.level or levels.get(f.rule_id, "warning"))
               >= LEVELS.index(request.fail_on)]
    if sum(1 for r in results if r.analyzed) == 0:
        if not any(n.level == "error" for n in run_notes) \
                and not any(n.level == "error" for r in results for n in r.notifications):
            run_notes.append(Notification("error", "no C files were analysed", code="nothing"))
        return EXIT_ERROR
    if failing and not request.exit_zero and not request.write_baseline:
        return EXIT_FINDINGS
    return EXIT_OK


def write_baseline(report: Report, path: str) -> None:
    """Every finding of report that is not suppressed, as a SARIF log at path."""
    try:
        write_atomic(path, FORMATTERS["sarif"](baseline_snapshot(report), False))
    except OSError as exc:
        raise SessionError(f"cannot write {path}: {exc.strerror or exc}") from exc
