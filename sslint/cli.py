"""The `sslint` command line (click). Exit codes follow ruff: 0 no findings,
1 findings, 2 usage or fatal error (also with --exit-zero)."""
from __future__ import annotations

import json
import os
import shlex
import sys
from datetime import datetime, timezone

import click

from sslint import __version__
from sslint.analysis import Options
from sslint.engine.run import Budget
from sslint.findings import FileResult, Notification
from sslint.frontend.compdb import CompdbError, find_command, load_compdb
from sslint.frontend.sources import check_readable, discover, display_path
from sslint.output import FORMATTERS, Report, write_atomic
from sslint.output.text import format_notifications
from sslint.rule import all_rules, select_rules, unknown_selectors
from sslint.runner import Job, Unit, default_jobs, run_all

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

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
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
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
def check(paths, compdb, includes, defines, std, fmt, output, select, ignore, exit_zero,
          root, jobs, category, max_states, max_steps, file_timeout) -> None:
    """Analyse C files or folders (every *.c below them). Raw clang arguments may
    follow `--`."""
    started = datetime.now(timezone.utc)
    select, ignore = _split_ids(select), _split_ids(ignore)
    bad = unknown_selectors(select + ignore)
    if bad:
        _fatal(f"unknown rule selector(s): {', '.join(bad)} (see `sslint rules`)")
    rules = select_rules(select, ignore)
    root = os.path.abspath(root or os.getcwd())
    run_notes: list[Notification] = []

    base_args = [f"-I{i}" for i in includes] + [f"-D{d}" for d in defines]
    if std:
        base_args.append(f"-std={std}")
    base_args += _extra_clang_args

    units: list[Unit] = []
    skipped: list[FileResult] = []
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

    ready = []
    for u in units:
        why = check_readable(u.path)
        if why:
            res = FileResult(u.display)
            res.notifications.append(Notification("error", why, None, "unreadable"))
            skipped.append(res)
        else:
            ready.append(u)

    opts = Options(Budget(max_states, max_steps), file_timeout, root)
    job = Job(tuple(r.rule.id for r in rules), (), opts)
    results = run_all(job, ready, jobs or default_jobs())
    order = {u.display: i for i, u in enumerate(units)}
    results = sorted(results + skipped, key=lambda r: order.get(r.path, len(order)))

    analysed = sum(1 for r in results if r.analyzed)
    errors = [n for n in run_notes if n.level == "error"]
    n_findings = sum(len(r.findings) for r in results)
    if analysed == 0:
        code = EXIT_ERROR
        if not errors and not any(n.level == "error" for r in results for n in r.notifications):
            run_notes.append(Notification("error", "no C files were analysed", code="nothing"))
    elif n_findings and not exit_zero:
        code = EXIT_FINDINGS
    else:
        code = EXIT_OK
    report = Report(results, rules, root, code, run_notes, started, datetime.now(timezone.utc),
                    " ".join(shlex.quote(a) for a in sys.argv), category)
    _emit(report, fmt, output)
    sys.exit(code)


def _emit(report: Report, fmt: str, output: str | None) -> None:
    colour_err = sys.stderr.isatty()
    for line in format_notifications(report, colour_err):
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
        for r in rules:
            m = r.rule
            click.echo(f"{m.id}  {m.name:<28} {m.level:<8} {m.summary}  [{m.man[0]}(3)]")


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


