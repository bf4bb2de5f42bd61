"""The `sslint` command line (click), a shell around sslint.session.pipeline: options in, a
Request to session.run(), its Report out. Exit codes follow ruff: 0 no findings,
1 findings (at or above --fail-on, not suppressed, not in the baseline), 2 usage or
fatal error (also with --exit-zero)."""
from __future__ import annotations

import json
import os
import shlex
import sys
from typing import NoReturn

import click

from sslint import __version__
from sslint.engine.budget import Budget
from sslint.frontend.sources import printable_path
from sslint.output import FORMATTERS, Report, write_atomic
from sslint.output.text import format_notifications
from sslint.core.rule import LEVELS, all_rules
from sslint.workers.runner import Unit
from sslint.session.pipeline import EXIT_ERROR, Request, SessionError
from sslint.session.pipeline import run as run_session

LEVEL_ORDER = LEVELS  # note < warning < error, for --fail-on
PROGRESS_MIN_FILES = 20


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


def _inputs(command):
    """The options that say what to analyse and with which flags (check, summaries)."""
    for option in reversed([
            click.argument("paths", nargs=-1, type=click.Path()),
            click.option("-p", "--compile-commands", "compdb", type=click.Path(),
                         help="compile_commands.json, or the folder holding it."),
            click.option("-I", "includes", multiple=True, help="Add an include directory."),
            click.option("-D", "defines", multiple=True,
                         help="Define a macro (NAME or NAME=VALUE)."),
            click.option("--std", default=None, help="C standard, e.g. c11 or gnu17.")]):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sslint")
def cli() -> None:
    """Find OpenSSL object-lifecycle bugs (SSL, SSL_SESSION, BIO) in C sources."""


@cli.command()
@_inputs
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
@click.option("--fail-on", type=click.Choice(LEVEL_ORDER), default="warning", show_default=True,
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
@click.option("--find-build/--no-find-build", "find_build", default=True, show_default=True,
              help="Without -p, use the compile_commands.json (also in a build/ folder) or "
                   "compile_flags.txt found in each file's folder or above it.")
@click.option("--pch/--no-pch", "use_pch", default=True, show_default=True,
              help="Share precompiled headers of the #include blocks files have in common.")
@click.option("--whole-program/--no-whole-program", "whole_program", default=True,
              show_default=True,
              help="Analyse files callee-first with the summaries of the functions other files "
                   "define (a wrapper in one file freeing `c->ssl`).")
@click.option("--cache-dir", "cache_dir", type=click.Path(file_okay=False), default=None,
              envvar="SSLINT_CACHE_DIR",
              help="Cache folder (default: .sslint_cache next to the config file, else in "
                   "the current folder).")
@click.option("--no-cache", "no_cache", is_flag=True, envvar="SSLINT_NO_CACHE",
              help="Neither read nor write the cache: analyse every file again.")
@click.pass_obj
def check(obj, paths, fmt, output, select, ignore, report_unused_suppressions, no_cache,
          **settings) -> None:
    """Analyse C files or folders (every *.c below them). Raw clang arguments may
    follow `--`."""
    request = Request(
        paths=tuple(paths), select=_split_ids(select), ignore=_split_ids(ignore),
        opt_in=frozenset({"report-unused-suppressions"} if report_unused_suppressions else ()),
        clang_args=tuple((obj or {}).get("clang_args", ())), use_cache=not no_cache,
        command_line=" ".join(shlex.quote(a) for a in sys.argv), line_hashes=fmt == "sarif",
        **settings)
    show_progress = not request.quiet and sys.stderr.isatty()
    try:
        report = run_session(request, _Progress() if show_progress else None)
    except SessionError as exc:
        _die(str(exc))
    _print_report(report, fmt, output)
    sys.exit(report.exit_code)


class _Progress:
    """`[done/total] file` on one stderr line while more than PROGRESS_MIN_FILES run."""

    def start(self, total: int):
        if total <= PROGRESS_MIN_FILES:
            return None

        def show(done: int, unit: Unit) -> None:
            name = printable_path(unit.display)
            if len(name) > 60:
                name = "…" + name[-59:]
            click.echo(f"\r\x1b[K[{done}/{total}] {name}", err=True, nl=False)
        return show

    def stop(self) -> None:
        click.echo("\r\x1b[K", err=True, nl=False)


def _print_report(report: Report, fmt: str, output: str | None) -> None:
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
            _die(f"cannot write {output}: {exc.strerror or exc}")
    elif text:
        click.echo(text, nl=not text.endswith("\n"))


def _die(message: str) -> NoReturn:
    click.echo(f"sslint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@cli.command("summaries")
@_inputs
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: [api] entries (TOML); json: the same as data.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the output to FILE (atomically) instead of stdout.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Read settings from FILE instead of searching for one.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Directory output paths are relative to (default: the current one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes (default: number of cores).")
@click.option("--find-build/--no-find-build", "find_build", default=True, show_default=True,
              help="Without -p, use the build flags found beside each file.")
@click.pass_obj
def summaries_cmd(obj, paths, fmt, output, **settings) -> None:
    """Print the summaries of the project's own functions (wrappers, destructors,
    getters) that callers in every file are analysed with."""
    from sslint.shell.summaries import as_json, as_toml, collect
    request = Request(paths=tuple(paths), quiet=True, exit_zero=True,
                      clang_args=tuple((obj or {}).get("clang_args", ())), **settings)
    try:
        report = run_session(request)
    except SessionError as exc:
        _die(str(exc))
    for line, level in format_notifications(report, sys.stderr.isatty(), with_levels=True):
        if level == "error":
            click.echo(line, err=True)
    items = collect(report.results)
    text = as_json(items) if fmt == "json" else as_toml(items)
    if output:
        try:
            write_atomic(output, text)
        except OSError as exc:
            _die(f"cannot write {output}: {exc.strerror or exc}")
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_ERROR if report.exit_code == EXIT_ERROR else 0)


@cli.command("rules")
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
def rules_cmd(rule_id: str | None, fmt: str) -> None:
    """List every rule, or explain one (RULE_ID: an id such as SSL101, or a name)."""
    from sslint.shell.ruledocs import explain, rule_record, rules_markdown

    rules = all_rules()
    if rule_id:
        rules = [r for r in rules if r.rule.id == rule_id.upper() or r.rule.name == rule_id]
        if not rules:
            _die(f"no rule {rule_id!r} (see `sslint rules`)")
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


@cli.command("api")
@click.argument("names", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def api_cmd(names: tuple[str, ...], fmt: str) -> None:
    """Show what sslint's API model says about functions or handle kinds (NAMES: an
    OpenSSL function such as SSL_get1_peer_certificate, or a kind such as X509);
    with no NAMES, the handle kinds and how many functions the table holds."""
    from sslint.model.api import ApiModel
    from sslint.shell import apidocs

    model = ApiModel()
    if not names:
        rec = apidocs.summary(model)
        if fmt == "json":
            click.echo(json.dumps(rec, indent=2))
            return
        click.echo(f"{rec['functions']} functions: {rec['hand_checked']} hand-checked, "
                   f"{rec['generated']} generated from the OpenSSL {rec['generated_from']} "
                   f"headers by naming convention.\nHandle kinds:")
        for k in rec["kinds"]:
            click.echo("  " + apidocs.kind_text(k, full=False))
        return
    out = []
    for name in names:
        spec = model.lookup(name)
        kind = model.kinds.get(name)
        if spec is not None:
            out.append(("fn", apidocs.fn_record(spec)))
        elif kind is not None:
            out.append(("kind", apidocs.kind_record(kind, model)))
        else:
            out.append(("unknown", apidocs.unknown_text(name, model)))
    if fmt == "json":
        click.echo(json.dumps([r for _, r in out], indent=2))
        return
    texts = []
    for what, rec in out:
        if what == "fn":
            texts.append(apidocs.fn_text(rec))
        elif what == "kind":
            texts.append(apidocs.kind_text(rec, full=True))
        else:
            texts.append(f"{rec['name']}: {rec['meaning']}")
    click.echo("\n\n".join(texts))


@cli.command("lsp")
def lsp_cmd() -> None:
    """Run a language server on stdin/stdout that shows findings in an editor on open
    and save (needs pygls: pip install 'sslint[lsp]')."""
    try:
        from sslint.shell.lsp import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        _die("`sslint lsp` needs pygls; install it with: pip install 'sslint[lsp]'")
    serve()


def main() -> None:
    argv = sys.argv[1:]
    clang_args: list[str] = []
    if "--" in argv:  # everything after `--` goes to clang untouched
        cut = argv.index("--")
        argv, clang_args = argv[:cut], argv[cut + 1:]
    try:
        cli.main(args=argv, prog_name="sslint", standalone_mode=True,
                 obj={"clang_args": clang_args})
    except KeyboardInterrupt:
        click.echo("sslint: interrupted", err=True)
        sys.exit(EXIT_ERROR)


