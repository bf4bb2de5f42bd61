"""Baselines: write one, then report only new findings; SARIF baselineState."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_cli import SCHEMA, no_traceback
from test_cli import run as run_sslint

from sslint.session.baseline import Baseline, BaselineError, FindingKeys, compare, load_baseline
from sslint.core.findings import Finding, Loc
from sslint.output import Report

RULES = ("--select", "SSL101,SSL103")  # the rules this legacy code is about


def run(*args: str, cwd: Path):
    return run_sslint(*args, *RULES, cwd=cwd)

LEGACY = """#include <openssl/ssl.h>
void legacy_double_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    SSL_free(s);
}

int legacy_leak(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    return SSL_connect(s);
}
"""
NEW_BUG = """
void new_double_free(SSL *t)
{
    SSL_free(t);
    SSL_free(t);
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "legacy.c").write_text(LEGACY)
    r = run("check", "src", "--write-baseline", "baseline.sarif", cwd=tmp_path)
    assert r.returncode == 0, r.stderr  # writing a baseline accepts what it found
    assert "[SSL101]" in r.stdout  # ... and still shows it
    return tmp_path


def results(tmp_path: Path, *args: str) -> list[dict]:
    r = run("check", "src", "--baseline", "baseline.sarif", "--format", "sarif", *args,
            cwd=tmp_path)
    log = json.loads(r.stdout)
    jsonschema.validate(log, SCHEMA)
    return log["runs"][0]["results"]


@pytest.mark.slow
def test_baseline_file_is_sarif_with_fingerprints(project):
    log = json.loads((project / "baseline.sarif").read_text())
    jsonschema.validate(log, SCHEMA)
    res = log["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in res) == ["SSL101", "SSL103"]
    assert all(r["partialFingerprints"]["sslint/v1"] for r in res)


@pytest.mark.slow
def test_unchanged_code_reports_nothing(project):
    r = run("check", "src", "--baseline", "baseline.sarif", cwd=project)
    assert r.returncode == 0 and r.stdout.startswith("No findings"), r.stdout


@pytest.mark.slow
def test_lines_inserted_above_and_appended_below_keep_findings_matched(project):
    src = project / "src" / "legacy.c"
    src.write_text("/* a new file header\n * of three lines */\n\n" + LEGACY + "\nint unrelated;\n")
    r = run("check", "src", "--baseline", "baseline.sarif", cwd=project)
    assert r.returncode == 0 and r.stdout.startswith("No findings"), r.stdout
    assert {x["baselineState"] for x in results(project)} == {"unchanged"}


@pytest.mark.slow
def test_only_new_findings_are_reported_and_counted(project):
    src = project / "src" / "legacy.c"
    src.write_text(LEGACY + NEW_BUG)
    r = run("check", "src", "--baseline", "baseline.sarif", cwd=project)
    assert r.returncode == 1
    flagged = [line for line in r.stdout.splitlines() if "[SSL" in line]
    assert len(flagged) == 1 and flagged[0].startswith("src/legacy.c:18:5:")
    assert "2 in the baseline" in r.stdout
    doc = json.loads(run("check", "src", "--baseline", "baseline.sarif", "--format", "json",
                         cwd=project).stdout)
    assert [f["line"] for f in doc["findings"]] == [18]
    assert doc["baseline"] == {"file": "baseline.sarif", "unchanged": 2, "absent": 0}
    states = sorted((x["baselineState"], x["ruleId"]) for x in results(project))
    assert states == [("new", "SSL101"), ("unchanged", "SSL101"), ("unchanged", "SSL103")]


@pytest.mark.slow
def test_fixed_findings_are_listed_absent(project):
    src = project / "src" / "legacy.c"
    src.write_text(LEGACY.replace("    SSL_free(s);\n    SSL_free(s);\n", "    SSL_free(s);\n"))
    assert run("check", "src", "--baseline", "baseline.sarif", cwd=project).returncode == 0
    res = results(project)
    assert sorted((x["baselineState"], x["ruleId"]) for x in res) == [
        ("absent", "SSL101"), ("unchanged", "SSL103")]
    absent = next(x for x in res if x["baselineState"] == "absent")
    assert absent["locations"][0]["physicalLocation"]["region"]["startLine"] == 6


@pytest.mark.slow
def test_editing_the_flagged_line_makes_it_new(project):
    src = project / "src" / "legacy.c"
    src.write_text(LEGACY.replace("    SSL_free(s);\n}", "    SSL_free(s );  /* edited */\n}"))
    res = results(project)
    assert ("new", "SSL101") in {(x["baselineState"], x["ruleId"]) for x in res}
    assert ("absent", "SSL101") in {(x["baselineState"], x["ruleId"]) for x in res}


def test_duplicates_are_counted():
    loc = Loc("/nonexistent/a.c", 3, 1)
    one = Finding("SSL101", "m", loc, "f")
    keys = FindingKeys(Report([], [], "/"))
    base = Baseline("b", [(keys.key(one), {"ruleId": "SSL101"})])
    cmp = compare(base, [one, Finding("SSL101", "m", loc, "f")], keys)
    assert len(cmp.unchanged) == 1 and len(cmp.new) == 1 and cmp.absent == []


@pytest.mark.parametrize(("content", "needle"), [
    (None, "no such baseline file"),
    ("{not json", "not JSON"),
    ('{"version": "2.1.0"}', "not a SARIF log"),
])
@pytest.mark.slow
def test_bad_baseline_is_a_usage_error(tmp_path, content, needle):
    (tmp_path / "x.c").write_text(LEGACY)
    if content is not None:
        (tmp_path / "b.sarif").write_text(content)
    with pytest.raises(BaselineError, match=needle):
        load_baseline(str(tmp_path / "b.sarif"))
    r = run("check", "x.c", "--baseline", "b.sarif", cwd=tmp_path)
    no_traceback(r)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and needle in r.stderr


@pytest.mark.slow
def test_foreign_sarif_results_are_ignored_with_a_warning(tmp_path):
    (tmp_path / "x.c").write_text(LEGACY)
    (tmp_path / "b.sarif").write_text(json.dumps({"version": "2.1.0", "runs": [{"results": [
        {"ruleId": "SSL101", "message": {"text": "x"}, "locations": []}]}]}))
    r = run("check", "x.c", "--baseline", "b.sarif", cwd=tmp_path)
    assert r.returncode == 1 and "without an sslint/v1 fingerprint" in r.stderr
