"""The `sslint` command line (click). Exit codes follow ruff: 0 no findings,
1 findings (at or above --fail-on, not suppressed, not in the baseline), 2 usage or
fatal error (also with --exit-zero)."""
from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import replace
from datetime import UTC, datetime

import click

from sslint import __version__
from sslint.analysis import Options
from sslint.baseline import BaselineError, FindingKeys, load_baseline
from sslint.baseline import compare as compare_baseline
from sslint.config import (
    Config,
    ConfigError,
    enabled_rules,
    ignored_in_file,
    level_override,
    rule_matches,
)
from sslint.config import resolve as resolve_config
from sslint.engine.run import Budget
from sslint.findings import FileResult, Finding, Notification
from sslint.frontend.compdb import CompdbError, find_command, load_compdb
from sslint.frontend.sources import check_readable, discover, display_path
from sslint.output import FORMATTERS, Report, write_atomic
from sslint.output.text import format_notifications
from sslint.rule import LEVELS, AfterSuppressions, LoadedRule, all_rules, unknown_selectors
from sslint.runner import Job, Unit, default_jobs, run_all
from sslint.suppress import Suppressed, Suppressions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
LEVEL_ORDER = LEVELS  # note < warning < error, for --fail-on
PROGRESS_MIN_FILES = 20

_extra_clang_args: list[str] = []


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sslint")
def cli() -> None:
    """Find OpenSSL object-lifecycle bugs (SSL, SSL_SESSION, BIO) in C sources."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-p", "--compile-commands", "compdb", type=click.Path(),
              help="compile_commands.json, or the folder holding it.")
@click.option("-I", "includes", multiple=True, help="Add an include directory.")
@click.option("-D", "defines", multiple=True, help="Define a macro (NAME or NAME=VALUE).")
@click.option("--std", default=None, help="C standard, e.g. c11 or gnu17.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the output to FILE (atomically) instead of stdout.")
@click.option("--select", multiple=True, help="Rule ids or prefixes to enable (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule ids or prefixes to disable (comma-separated).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Read settings from FILE instead of searching for sslint.toml, "
                   ".sslint.toml or pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--fail-on", type=click.Choice(LEVEL_ORDER), default="note", show_default=True,
              help="Lowest finding level that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--show-suppressed", is_flag=True,
              help="List findings suppressed by comments (SARIF: keep them, with `suppressions`).")
@click.option("--report-unused-suppressions", is_flag=True,
              help="Report suppression comments that suppress nothing (SSL900).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this SARIF baseline.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Write the current findings to FILE as a SARIF baseline, then exit 0.")
@click.option("-q", "--quiet", is_flag=True,
              help="No summary line; only errors on stderr.")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Directory output paths are relative to (default: the current one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes (default: number of cores).")
@click.option("--category", default="", help="SARIF automationDetails.id (GitHub category).")
@click.option("--max-states", type=click.IntRange(min=1), default=Budget.max_states_per_node,
              show_default=True, help="States kept per program point before widening.")
@click.option("--max-steps", type=click.IntRange(min=1), default=Budget.max_steps,
              show_default=True, help="Engine steps per function before it stops.")
@click.option("--file-timeout", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="Seconds of analysis per file after parsing.")
@click.option("--pch/--no-pch", "use_pch", default=True, show_default=True,
              help="Share precompiled headers of the #include blocks files have in common.")
def check(paths, compdb, includes, defines, std, fmt, output, select, ignore, config_file,
          isolated, fail_on, exit_zero, show_suppressed, report_unused_suppressions,
          baseline_file, write_baseline, quiet, root, jobs, category, max_states, max_steps,
          file_timeout, use_pch) -> None:
    """Analyse C files or folders (every *.c below them). Raw clang arguments may
    follow `--`."""
    started = datetime.now(UTC)
    select, ignore = _split_ids(select), _split_ids(ignore)
    bad = unknown_selectors(select + ignore)
    if bad:
        _fatal(f"unknown rule selector(s): {', '.join(bad)} (see `sslint rules`)")
    if config_file and isolated:
        _fatal("--config and --isolated exclude each other")
    try:
        cfg = resolve_config(list(paths) or ([compdb] if compdb else []) + [os.getcwd()],
                             config_file, isolated)
        baseline = load_baseline(baseline_file) if baseline_file else None
    except (ConfigError, BaselineError) as exc:
        _fatal(str(exc))
    rules = enabled_rules(all_rules(), [(cfg.select, cfg.ignore), (select, ignore)])
    switches = {"report-unused-suppressions"} if report_unused_suppressions else set()
    rules = [r for r in rules if not r.rule.opt_in or r.rule.opt_in in switches]
    root = os.path.abspath(root or os.getcwd())
    run_notes = [Notification("warning", w, code="config-arg-dropped") for w in cfg.warnings]
    if baseline is not None and baseline.unkeyed:
        run_notes.append(Notification(
            "warning", f"{baseline_file}: {baseline.unkeyed} result(s) without an sslint/v1 "
            "fingerprint were ignored (write the baseline with --write-baseline)",
            code="baseline-unkeyed"))

    base_args = list(cfg.extra_args) + [f"-I{i}" for i in includes] + \
        [f"-D{d}" for d in defines]
    if std:
        base_args.append(f"-std={std}")
    base_args += _extra_clang_args

    units, skipped = units_for(paths, compdb, base_args, run_notes)
    ready = [u for u in units if u not in skipped]
    opts = Options(Budget(max_states, max_steps), file_timeout, root)
    job = Job(tuple(r.rule.id for r in rules), cfg.api, opts, pch=use_pch)
    show_progress = not quiet and len(ready) > PROGRESS_MIN_FILES and sys.stderr.isatty()
    results = run_all(job, ready, jobs or default_jobs(),
                      _progress(len(ready)) if show_progress else None)
    if show_progress:
        click.echo("\r\x1b[K", err=True, nl=False)
    order = {u.display: i for i, u in enumerate(units)}
    results = sorted(results + list(skipped.values()),
                     key=lambda r: order.get(r.path, len(order)))

    suppressed = filter_results(results, rules, cfg)
    unchanged: list[Finding] = []
    absent: list[dict] = []
    if baseline is not None:
        unchanged, absent, suppressed = _apply_baseline(baseline, results, suppressed, root)

    levels = {r.rule.id: r.rule.level for r in rules}
    failing = [f for r in results for f in r.findings
               if LEVEL_ORDER.index(f.level or levels.get(f.rule_id, "warning"))
               >= LEVEL_ORDER.index(fail_on)]
    analysed = sum(1 for r in results if r.analyzed)
    errors = [n for n in run_notes if n.level == "error"]
    if analysed == 0:
        code = EXIT_ERROR
        if not errors and not any(n.level == "error" for r in results for n in r.notifications):
            run_notes.append(Notification("error", "no C files were analysed", code="nothing"))
    elif failing and not exit_zero and not write_baseline:
        code = EXIT_FINDINGS
    else:
        code = EXIT_OK
    report = Report(results, rules, root, code, run_notes, started, datetime.now(UTC),
                    " ".join(shlex.quote(a) for a in sys.argv), category, quiet=quiet,
                    suppressed=suppressed, show_suppressed=show_suppressed,
                    baseline=baseline_file or "", unchanged=unchanged, absent=absent)
    if write_baseline:
        _write_baseline(report, write_baseline)
    _emit(report, fmt, output)
    sys.exit(code)


def units_for(paths, compdb, base_args: list[str], run_notes: list[Notification]
           ) -> tuple[list[Unit], dict[Unit, FileResult]]:
    """The translation units to analyse, and those that cannot be read (with why)."""
    units: list[Unit] = []
    if compdb:
        try:
            commands = load_compdb(compdb)
        except CompdbError as exc:
            _fatal(str(exc))
        for cmd in commands:
            for w in cmd.warnings:
                run_notes.append(Notification("warning", f"{display_path(cmd.file)}: {w}",
                                              code="compdb-flag-dropped"))
        if paths:
            files, notes = discover(list(paths))
            run_notes += notes
            for f in files:
                cmd = find_command(commands, f)
                args = list(cmd.args) if cmd else []
                if cmd is None:
                    run_notes.append(Notification(
                        "note", f"{display_path(f)} is not in the compilation database; "
                        "using default flags", code="not-in-compdb"))
                units.append(Unit(f, f, tuple(args + base_args)))
        else:
            units = [Unit(c.file, c.file, tuple(list(c.args) + base_args)) for c in commands]
            if not units:
                run_notes.append(Notification("warning", "the compilation database is empty",
                                              code="no-c-files"))
    else:
        if not paths:
            _fatal("no paths given (try `sslint check FILE.c` or `sslint check -p build/`)")
        files, notes = discover(list(paths))
        run_notes += notes
        units = [Unit(f, f, tuple(base_args)) for f in files]

    skipped: dict[Unit, FileResult] = {}
    for u in units:
        why = check_readable(u.path)
        if why:
            res = FileResult(u.display)
            res.notifications.append(Notification("error", why, None, "unreadable"))
            skipped[u] = res
    return units, skipped


def _progress(total: int):
    def show(done: int, unit: Unit) -> None:
        name = display_path(unit.display)
        if len(name) > 60:
            name = "…" + name[-59:]
        click.echo(f"\r\x1b[K[{done}/{total}] {name}", err=True, nl=False)
    return show


def filter_results(results: list[FileResult], rules: list[LoadedRule], cfg: Config
                   ) -> list[Suppressed]:
    """Apply per-file ignores, severity overrides and inline suppressions in place, then
    run the enabled post-suppression rules. Returns the suppressed findings."""
    names = {r.rule.id: r.rule.name for r in all_rules()}
    enabled = {r.rule.id for r in rules}
    levels = {rid: level_override(cfg, rid, name) for rid, name in names.items()}
    ignored: dict[str, tuple[str, ...]] = {}

    def keep(f: Finding) -> bool:
        if f.loc.file not in ignored:
            ignored[f.loc.file] = ignored_in_file(cfg, f.loc.file)
        return f.rule_id in enabled and not rule_matches(f.rule_id, names.get(f.rule_id, ""),
                                                         ignored[f.loc.file])

    def level(f: Finding) -> Finding:
        wanted = levels.get(f.rule_id)
        return replace(f, level=wanted) if wanted else f

    sup = Suppressions()
    suppressed: list[Suppressed] = []
    for r in results:
        kept, hidden = sup.split([level(f) for f in r.findings if keep(f)])
        r.findings = kept
        suppressed += hidden
    # Rules of the post-suppression stage (SSL900) see which directives were used.
    state = AfterSuppressions(sup, frozenset(r.rule.id for r in rules
                                             if r.rule.stage == "analysis"), names)
    for loaded in rules:
        if loaded.after_suppressions is None:
            continue
        for r in results:
            extra = [level(f) for f in loaded.after_suppressions(r, state) if keep(f)]
            if extra:
                r.findings = sorted(r.findings + extra, key=Finding.sort_key)
    return suppressed


def _apply_baseline(baseline, results: list[FileResult], suppressed: list[Suppressed],
                    root: str) -> tuple[list[Finding], list[dict], list[Suppressed]]:
    """Leave only new findings in results; return (unchanged, absent, suppressed with
    their baseline state)."""
    keys = FindingKeys(Report([], [], root))
    everything = [f for r in results for f in r.findings] + [s.finding for s in suppressed]
    cmp = compare_baseline(baseline, everything, keys)
    old = {id(f) for f in cmp.unchanged}
    for r in results:
        r.findings = [f for f in r.findings if id(f) not in old]
    hidden_ids = {id(s.finding) for s in suppressed}
    unchanged = [f for f in cmp.unchanged if id(f) not in hidden_ids]
    suppressed = [replace(s, baseline_state="unchanged" if id(s.finding) in old else "new")
                  for s in suppressed]
    return unchanged, cmp.absent, suppressed


def _write_baseline(report: Report, path: str) -> None:
    """Every finding that is not suppressed, as a SARIF log."""
    accepted = [FileResult(r.path, sorted(r.findings + [f for f in report.unchanged
                                                        if f.loc.file == r.path],
                                          key=Finding.sort_key), analyzed=r.analyzed)
                for r in report.results]
    stray = [f for f in report.unchanged if f.loc.file not in {r.path for r in report.results}]
    if stray:
        accepted.append(FileResult(stray[0].loc.file, stray, analyzed=True))
    snapshot = replace(report, results=accepted, suppressed=[], show_suppressed=False,
                       baseline="", unchanged=[], absent=[], exit_code=EXIT_OK)
    try:
        write_atomic(path, FORMATTERS["sarif"](snapshot, False))
    except OSError as exc:
        _fatal(f"cannot write {path}: {exc.strerror or exc}")


def _emit(report: Report, fmt: str, output: str | None) -> None:
    colour_err = sys.stderr.isatty()
    for line, level in format_notifications(report, colour_err, with_levels=True):
        if not report.quiet or level == "error":
            click.echo(line, err=True)
    colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = FORMATTERS[fmt](report, colour and fmt == "text")
    if output:
        try:
            write_atomic(output, text)
        except OSError as exc:
            _fatal(f"cannot write {output}: {exc.strerror or exc}")
    elif text:
        click.echo(text, nl=not text.endswith("\n"))


def _fatal(message: str) -> None:
    click.echo(f"sslint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
def rules_cmd(rule_id: str | None, fmt: str) -> None:
    """List every rule, or explain one (RULE_ID: an id such as SSL101, or a name)."""
    from sslint.docs import explain, rule_record, rules_markdown

    rules = all_rules()
    if rule_id:
        rules = [r for r in rules if r.rule.id == rule_id.upper() or r.rule.name == rule_id]
        if not rules:
            _fatal(f"no rule {rule_id!r} (see `sslint rules`)")
    if fmt == "json":
        click.echo(json.dumps([rule_record(r) for r in rules], indent=2))
    elif fmt == "markdown":
        click.echo(rules_markdown(rules), nl=False)
    elif rule_id:
        click.echo(explain(rules[0]))
    else:
        width = max(len(r.rule.name) for r in rules)
        for r in rules:
            m = r.rule
            where = f"  [{m.man[0]}(3)]" if m.man else ""
            click.echo(f"{m.id}  {m.name:<{width}} {m.level:<8} {m.summary}{where}")


@cli.command("lsp")
def lsp_cmd() -> None:
    """Run a language server on stdin/stdout that shows findings in an editor on open
    and save (needs pygls: pip install 'sslint[lsp]')."""
    try:
        from sslint.lsp import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        _fatal("`sslint lsp` needs pygls; install it with: pip install 'sslint[lsp]'")
    serve()


def main() -> None:
    argv = sys.argv[1:]
    if "--" in argv:  # everything after `--` goes to clang untouched
        cut = argv.index("--")
        _extra_clang_args[:] = argv[cut + 1:]
        argv = argv[:cut]
    try:
        cli.main(args=argv, prog_name="sslint", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("sslint: interrupted", err=True)
        sys.exit(EXIT_ERROR)


