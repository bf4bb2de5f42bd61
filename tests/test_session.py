"""The session layer without click: a Request in, a Report out, errors as exceptions,
post-suppression rules found by their declaration rather than by id."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import ROOT, TESTDATA

from sslint.core import rule as rule_module
from sslint.session.config import Config
from sslint.core.findings import FileResult, Finding, Loc
from sslint.session.postprocess import filter_results
from sslint.core.rule import AfterSuppressions, LoadedRule, Rule, all_rules
from sslint.session.pipeline import EXIT_FINDINGS, Request, SessionError, run

STRAIGHT = TESTDATA / "basic" / "straight_line.c"
GUARDED = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
#ifdef EXTRA_BUG
    SSL_free(s);
#endif
}
"""


def request(*paths, **settings) -> Request:
    return Request(paths=tuple(str(p) for p in paths), jobs=1, use_pch=False, **settings)


def ids(report) -> list[str]:
    return [f.rule_id for f in report.findings()]


def test_run_returns_a_report_with_findings():
    report = run(request(STRAIGHT, root=str(ROOT)))
    assert report.exit_code == EXIT_FINDINGS
    assert "SSL101" in ids(report) and "SSL102" in ids(report)
    assert {f.loc.file for f in report.findings()} == {str(STRAIGHT)}
    assert report.display_path(str(STRAIGHT)) == "testdata/basic/straight_line.c"
    assert [r.path for r in report.results] == [str(STRAIGHT)]
    assert "SSL900" not in {r.rule.id for r in report.rules}  # opt-in, not switched on


def test_exit_zero_and_fail_on_shape_the_exit_code_not_the_findings():
    report = run(request(STRAIGHT, exit_zero=True, select=("SSL101",)))
    assert report.exit_code == 0 and set(ids(report)) == {"SSL101"}


@pytest.mark.parametrize(("settings", "message"), [
    ({}, "no paths given"),
    ({"paths": ("x.c",), "select": ("SSL999",)}, "unknown rule selector(s): SSL999"),
    ({"paths": ("x.c",), "config_file": "c.toml", "isolated": True},
     "--config and --isolated exclude each other"),
    ({"paths": ("x.c",), "config_file": "/nonexistent/c.toml"}, "no such config file"),
    ({"paths": ("x.c",), "baseline_file": "/nonexistent/b.sarif"}, "no such baseline file"),
    ({"compdb": "/nonexistent/build"}, "/nonexistent/build"),
])
def test_session_errors_are_exceptions_not_exits(settings, message):
    with pytest.raises(SessionError) as caught:  # a SystemExit would escape this
        run(Request(**settings))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_an_unwritable_baseline_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="cannot write"):
        run(request(STRAIGHT, write_baseline=str(tmp_path / "missing" / "b.sarif")))


def test_clang_args_are_a_request_field_not_process_state(tmp_path):
    src = tmp_path / "guarded.c"
    src.write_text(GUARDED)
    assert ids(run(request(src, clang_args=("-DEXTRA_BUG",)))) == ["SSL101"]
    assert ids(run(request(src))) == []  # nothing left over from the run before


class _Progress:
    def __init__(self, show: bool) -> None:
        self.show, self.totals, self.steps, self.stopped = show, [], [], 0

    def start(self, total):
        self.totals.append(total)
        return (lambda done, unit: self.steps.append((done, unit.display))) if self.show \
            else None

    def stop(self):
        self.stopped += 1


@pytest.mark.parametrize("show", [True, False])
def test_progress_is_reported_through_the_protocol(tmp_path, show):
    for name in ("a.c", "b.c"):
        (tmp_path / name).write_text(GUARDED)
    progress = _Progress(show)
    run(request(tmp_path, quiet=True), progress)
    assert progress.totals == [2]
    assert progress.steps == ([(1, str(tmp_path / "a.c")), (2, str(tmp_path / "b.c"))]
                              if show else [])
    assert progress.stopped == (1 if show else 0)


# ---- post-suppression rules -----------------------------------------------------------

def _post_rule(calls: list, opt_in: str = "") -> LoadedRule:
    """A rule the session has never heard of that runs after the suppressions."""

    def after(result: FileResult, state: AfterSuppressions) -> list[Finding]:
        calls.append((result.path, state))
        used = [d for d in state.suppressions.directives(result.path) if d.used]
        return [Finding("SSL990", f"{len(used)} used", Loc(result.path, 1, 1))]

    rule = Rule(id="SSL990", name="test-post-stage", summary="test", events=(), man=(),
                level="note", stage="post-suppression", opt_in=opt_in)
    return LoadedRule(rule, lambda _event: None, "A test rule.", "", after)


def test_a_declared_post_suppression_rule_runs_after_the_suppressions(tmp_path):
    path = tmp_path / "x.c"
    path.write_text("void f(void) { g(); } // sslint: ignore[SSL101]\n")
    result = FileResult(str(path), analyzed=True)
    result.findings.append(Finding("SSL101", "m", Loc(str(path), 1, 16)))
    calls: list = []
    ssl101 = next(r for r in all_rules() if r.rule.id == "SSL101")
    suppressed = filter_results([result], [ssl101, _post_rule(calls)], Config())
    assert [s.finding.rule_id for s in suppressed] == ["SSL101"]
    # It saw the directive already marked as used, and only analysis rules as suppressible.
    assert [f.message for f in result.findings] == ["1 used"]
    assert len(calls) == 1 and calls[0][1].suppressible == frozenset({"SSL101"})
    assert calls[0][1].known["SSL101"] == ssl101.rule.name


@pytest.mark.parametrize(("switches", "runs"), [(frozenset(), False),
                                                (frozenset({"test-switch"}), True)])
def test_the_session_finds_post_suppression_rules_by_declaration(tmp_path, monkeypatch,
                                                                  switches, runs):
    calls: list = []
    monkeypatch.setattr(rule_module, "_REGISTRY",
                        [*all_rules(), _post_rule(calls, opt_in="test-switch")])
    src = tmp_path / "guarded.c"
    src.write_text(GUARDED)
    report = run(request(src, opt_in=switches))
    assert ("SSL990" in ids(report)) == runs and bool(calls) == runs


def test_ssl900_declares_its_stage():
    ssl900 = next(r for r in all_rules() if r.rule.id == "SSL900")
    assert ssl900.rule.stage == "post-suppression" and callable(ssl900.after_suppressions)
    assert ssl900.rule.opt_in == "report-unused-suppressions"
    assert all(r.after_suppressions is None for r in all_rules() if r.rule.stage == "analysis")


def test_a_post_suppression_rule_subscribes_to_no_events():
    with pytest.raises(ValueError, match="stage"):
        Rule(id="SSL991", name="x", summary="x", events=("release",), man=(),
             stage="post-suppression")
    with pytest.raises(ValueError, match="stage"):
        Rule(id="SSL991", name="x", summary="x", events=(), man=(), stage="later")


# ---- the import graph ------------------------------------------------------------------

def _imports(module_file) -> set[str]:
    tree = ast.parse(module_file.read_text())
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module} | \
           {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names}


def test_baselines_do_not_import_the_sarif_formatter():
    imported = _imports(ROOT / "sslint" / "session" / "baseline.py")
    assert "sslint.output.sarif" not in imported
    assert {"sslint.output.fingerprint", "sslint.output.sources"} <= imported


def test_the_session_knows_neither_click_nor_the_shells():
    for name in ("pipeline.py", "postprocess.py", "inputs.py"):
        imported = _imports(ROOT / "sslint" / "session" / name)
        assert not imported & {"click", "sslint.shell.cli", "sslint.shell.lsp"}, name


def test_the_language_server_does_not_import_the_command_line():
    pytest.importorskip("pygls")
    code = "import sys, sslint.shell.lsp; print('sslint.shell.cli' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_rules_import_nothing_from_engine_front_end_or_model():
    for path in sorted((ROOT / "rules").glob("*.py")):
        imported = _imports(path)
        bad = {m for m in imported if m.startswith(("sslint.engine", "sslint.frontend",
                                                    "sslint.model", "clang"))}
        assert not bad, (path.name, bad)


def test_only_the_front_end_imports_libclang():
    for path in sorted((ROOT / "sslint").rglob("*.py")):
        if "frontend" in path.parts:
            continue
        imported = _imports(path)
        assert not {m for m in imported if m.split(".")[0] == "clang"}, path
