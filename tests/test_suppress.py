"""Inline suppressions: the comment forms, where they apply, every output, unused ones."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from test_cli import no_traceback
from test_cli import run as run_sslint

from sslint.core.findings import Finding, Loc
from sslint.core.rule import LoadedRule, all_rules
from sslint.session.suppress import Suppressions, parse_directives


def run(*args: str, cwd: Path):
    """sslint on the rules these tests are about, so that new rules cannot interfere."""
    return run_sslint(*args, "--select", "SSL101,SSL102,SSL103,SSL900", cwd=cwd)

HEAD = "#include <openssl/ssl.h>\nvoid f(SSL_CTX *ctx)\n{\n    SSL *s = SSL_new(ctx);\n"


def twice(second: str, above: str = "") -> str:
    """A double free whose second SSL_free is on line 6 (with `above` on line 5)."""
    lines = HEAD + "    SSL_free(s);\n"
    if above:
        lines = HEAD + "    SSL_free(s);\n" + above + "\n"
    return lines + second + "\n}\n"


def directives(text: str):
    return parse_directives(text.encode("utf-8"), "x.c")


# ---- parsing --------------------------------------------------------------------------

def test_comment_forms():
    found = directives(
        "a(); /* sslint: ignore[SSL101] freed by the pool */\n"
        "b(); // sslint: ignore[ssl101, SSL103]\n"
        "c(); // sslint: ignore\n"
        "d(); // NOLINT(sslint-SSL102, bugprone-x)\n"
        "// NOLINTNEXTLINE(sslint-*)\n"
        "e(); // NOLINT(bugprone-only)  sslint:ignored\n")
    assert [(d.loc.line, d.codes, d.justification) for d in found] == [
        (1, ("SSL101",), "freed by the pool"),
        (2, ("SSL101", "SSL103"), ""),
        (3, ("*",), ""),
        (4, ("SSL102",), ""),
        (5, ("*",), ""),
    ]


def test_only_comments_count():
    text = ('const char *a = "/* sslint: ignore[SSL101] */";\n'
            "char q = '\"'; /* sslint: ignore[SSL102] */\n"
            'puts("// NOLINT(sslint-SSL103)");\n')
    assert [(d.loc.line, d.codes) for d in directives(text)] == [(2, ("SSL102",))]


def test_directive_location_is_in_bytes_and_covers_its_text():
    text = "/* é */ x(); /* sslint: ignore[SSL101] why */\n"
    (d,) = directives(text)
    start = text.encode("utf-8").index(b"sslint:") + 1
    assert (d.loc.line, d.loc.col) == (1, start)
    assert d.loc.end_col == start + len("sslint: ignore[SSL101]")
    assert d.justification == "why"


def test_multi_line_block_comment_applies_from_the_directive_line():
    text = "/*\n * legacy code:\n * sslint: ignore[SSL103]\n */\nx();\n"
    (d,) = directives(text)
    assert d.loc.line == 3
    hit = Finding("SSL103", "m", Loc("x.c", 4, 1))
    miss = Finding("SSL103", "m", Loc("x.c", 5, 1))
    assert d.covers(hit) == "SSL103" and d.covers(miss) is None


def test_split_reads_each_file_once(tmp_path, monkeypatch):
    path = tmp_path / "a.c"
    path.write_text("x(); // sslint: ignore[SSL1]\n")
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open",
                        lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    sup = Suppressions()
    findings = [Finding("SSL101", "m", Loc(str(path), 1, 1)),
                Finding("SSL102", "m", Loc(str(path), 2, 1)),
                Finding("SSL201", "m", Loc(str(path), 1, 1))]
    kept, hidden = sup.split(findings)
    assert [f.rule_id for f in kept] == ["SSL201"]  # SSL1 is a prefix: 101 and 102, not 201
    assert [s.finding.rule_id for s in hidden] == ["SSL101", "SSL102"]
    assert opened == [str(path)]


# ---- SSL900 is a real rule module -------------------------------------------------------

def test_unused_suppression_rule_module():
    loaded: LoadedRule = next(r for r in all_rules() if r.rule.id == "SSL900")
    assert loaded.rule.name == "unused-suppression" and loaded.rule.level == "note"
    assert loaded.rule.events == ()
    assert loaded.check(None) is None
    sections = loaded.sections()
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        assert sections.get(heading), heading
    mod = importlib.import_module(loaded.module)
    f = mod.unused(Loc("x.c", 3, 9, 3, 30), "SSL101", True)
    assert (f.rule_id, f.loc.line) == ("SSL900", 3) and "SSL101" in f.message


# ---- through the command line --------------------------------------------------------

@pytest.mark.parametrize(("second", "above"), [
    ("    SSL_free(s); /* sslint: ignore[SSL101] */", ""),
    ("    SSL_free(s); // sslint: ignore[SSL103,SSL101]", ""),
    ("    SSL_free(s); // sslint: ignore", ""),
    ("    SSL_free(s); // NOLINT(sslint-SSL101)", ""),
    ("    SSL_free(s);", "    // sslint: ignore[SSL101] the line above"),
    ("    SSL_free(s);", "    // NOLINTNEXTLINE(sslint-SSL101)"),
])
@pytest.mark.slow
def test_suppressed_forms(tmp_path, second, above):
    (tmp_path / "x.c").write_text(twice(second, above))
    r = run("check", "x.c", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("No findings"), r.stdout


@pytest.mark.parametrize("second", [
    "    SSL_free(s); /* sslint: ignore[SSL102] */",     # another rule
    "    SSL_free(s); /* NOLINT */",                     # clang-tidy's, not ours
    '    SSL_free(s); puts("// sslint: ignore");',      # in a string
])
@pytest.mark.slow
def test_not_suppressed(tmp_path, second):
    (tmp_path / "x.c").write_text(twice(second))
    r = run("check", "x.c", cwd=tmp_path)
    assert r.returncode == 1 and "[SSL101]" in r.stdout


@pytest.mark.slow
def test_two_lines_above_is_too_far(tmp_path):
    text = twice("    SSL_free(s);", "    // sslint: ignore[SSL101]\n")
    (tmp_path / "x.c").write_text(text)
    assert run("check", "x.c", cwd=tmp_path).returncode == 1


@pytest.fixture
def suppressed(tmp_path: Path) -> Path:
    (tmp_path / "x.c").write_text(twice("    SSL_free(s); // sslint: ignore[SSL101] test only"))
    return tmp_path


@pytest.mark.slow
def test_show_suppressed_text_and_json(suppressed):
    r = run("check", "x.c", "--show-suppressed", cwd=suppressed)
    assert r.returncode == 0  # shown, but suppressed findings never fail the run
    assert "x.c:6:5: error:" in r.stdout and "[SSL101] (suppressed)" in r.stdout
    assert "No findings" in r.stdout and "1 suppressed" in r.stdout
    doc = json.loads(run("check", "x.c", "--format", "json", cwd=suppressed).stdout)
    assert doc["findings"] == []
    doc = json.loads(run("check", "x.c", "--format", "json", "--show-suppressed",
                         cwd=suppressed).stdout)
    (f,) = doc["findings"]
    assert f["suppressed"] is True and f["justification"] == "test only"


@pytest.mark.slow
def test_sarif_leaves_suppressed_out_unless_asked(suppressed):
    log = json.loads(run("check", "x.c", "--format", "sarif", cwd=suppressed).stdout)
    assert log["runs"][0]["results"] == []
    log = json.loads(run("check", "x.c", "--format", "sarif", "--show-suppressed",
                         cwd=suppressed).stdout)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "SSL101"
    assert result["suppressions"] == [{"kind": "inSource", "justification": "test only"}]


@pytest.mark.slow
def test_report_unused_suppressions(tmp_path):
    (tmp_path / "x.c").write_text(
        "#include <openssl/ssl.h>\n"
        "void f(SSL_CTX *ctx)\n{\n"
        "    SSL *s = SSL_new(ctx);\n"
        "    SSL_free(s); // sslint: ignore[SSL101, SSL1O3]\n"     # nothing to suppress
        "    SSL_free(s); // sslint: ignore[SSL101,SSL102]\n"      # 101 used first, 102 not
        "}\n"
        "void g(SSL *s) { SSL_get_error(s, 0); } /* sslint: ignore */\n"
        "void h(SSL *s) { SSL_free(s); } /* sslint: ignore[SSL402] */\n")
    plain = run("check", "x.c", cwd=tmp_path)
    assert plain.returncode == 0 and plain.stdout.startswith("No findings")
    r = run("check", "x.c", "--report-unused-suppressions", cwd=tmp_path)
    no_traceback(r)
    got = [line.split(": ", 2)[0:3] for line in r.stdout.splitlines() if "[SSL900]" in line]
    assert [g[0] for g in got] == ["x.c:5:21", "x.c:5:21", "x.c:6:21", "x.c:8:44"]
    assert "x.c:6:21: note: Unused suppression: no SSL102" in r.stdout
    assert "no SSL101 finding" in r.stdout and "SSL1O3 is not an sslint rule id" in r.stdout
    assert "no SSL102 finding" in r.stdout and "no finding on this line" in r.stdout
    assert "SSL402" not in r.stdout  # a disabled rule's code is left alone
    assert r.returncode == 0 and "note:" in r.stdout  # notes pass by default
    # It is a rule like any other: --ignore and --fail-on apply.
    assert run("check", "x.c", "--report-unused-suppressions", "--ignore", "SSL900",
               cwd=tmp_path).stdout.startswith("No findings")
    assert run("check", "x.c", "--report-unused-suppressions", "--fail-on", "note",
               cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(("code", "reported"), [("parse-error", 1), ("time-limit", 0)])
def test_no_unused_report_where_the_analysis_stopped_early(tmp_path, code, reported):
    from sslint.session.config import Config
    from sslint.core.findings import FileResult, Notification
    from sslint.session.postprocess import filter_results

    path = tmp_path / "x.c"
    path.write_text("void f(void) { g(); } // sslint: ignore[SSL101]\n")
    result = FileResult(str(path), analyzed=True)
    result.notifications.append(Notification("warning", "stopped", None, code))
    rules = [r for r in all_rules() if r.rule.id in ("SSL101", "SSL900")]
    filter_results([result], rules, Config())
    assert len(result.findings) == reported
