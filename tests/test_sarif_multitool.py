"""SARIF that GitHub code scanning ingests: Microsoft's SARIF Multitool, GitHub rules.

`Sarif.Multitool validate --rule-kind "Gh;Sarif"` applies the SARIF spec's rules
and GitHub's ingestion rules (GH1xxx); the goal is no error and no warning. The
tool comes from npm (@microsoft/sarif-multitool, a self-contained .NET binary in
a per-platform package), installed by tests/run.sh into .cache/sarif-multitool,
or by this test when npm is there. SARIF_MULTITOOL may name the binary instead.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, TESTDATA
from test_cli import run

# sslint in subprocesses and the SARIF Multitool (npm).
pytestmark = pytest.mark.slow

VERSION = "5.7.0"
CACHE = ROOT / ".cache" / "sarif-multitool"
_PLATFORM = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, "")


def _binary() -> Path:
    name = "Sarif.Multitool.exe" if sys.platform == "win32" else "Sarif.Multitool"
    return CACHE / "node_modules" / "@microsoft" / f"sarif-multitool-{_PLATFORM}" / name


@pytest.fixture(scope="module")
def multitool() -> Path:
    if os.environ.get("SARIF_MULTITOOL"):
        return Path(os.environ["SARIF_MULTITOOL"])
    exe = _binary()
    if not exe.exists():
        npm = shutil.which("npm")
        if npm is None or not _PLATFORM:
            pytest.skip("SARIF Multitool not installed and npm not found (tests/run.sh "
                        "installs it with npm; or set SARIF_MULTITOOL)")
        CACHE.mkdir(parents=True, exist_ok=True)
        r = subprocess.run([npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
                            f"@microsoft/sarif-multitool@{VERSION}"],
                           capture_output=True, text=True, timeout=600, check=False)
        if r.returncode != 0 or not exe.exists():
            pytest.skip(f"npm could not install @microsoft/sarif-multitool: {r.stderr[-300:]}")
    if not os.access(exe, os.X_OK):  # npm may skip the package's chmod install script
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def validate(multitool: Path, logs: list[Path], out: Path) -> dict[str, Counter]:
    """Multitool findings per validated file name, counted by level."""
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1",
               DOTNET_CLI_TELEMETRY_OPTOUT="1")
    r = subprocess.run([str(multitool), "validate", "--rule-kind", "Gh;Sarif",
                        "--level", "Error;Warning;Note", "--log", "ForceOverwrite",
                        "-o", str(out), *map(str, logs)],
                       capture_output=True, text=True, timeout=300, env=env, check=False)
    assert r.returncode == 0 and out.exists(), r.stdout + r.stderr
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    counts: dict[str, Counter] = {p.name: Counter() for p in logs}
    for run_ in log["runs"]:
        defaults = {d["id"]: d.get("defaultConfiguration", {}).get("level", "warning")
                    for d in run_["tool"]["driver"].get("rules", [])}
        for res in run_.get("results", []):
            where = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            level = res.get("level") or defaults.get(res["ruleId"], "warning")
            text = res["message"].get("text") or " ".join(res["message"].get("arguments", []))
            counts[Path(where).name][level] += 1
            counts[Path(where).name][f"{level}:{res['ruleId']}:{text[:200]}"] += 1
    return counts


def problems(counter: Counter) -> list[str]:
    return sorted(k for k in counter if k.startswith(("error:", "warning:")))


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> list[Path]:
    """SARIF from testdata/ as is, and from a copy with every optional SARIF feature."""
    work = tmp_path_factory.mktemp("multitool")
    plain = work / "plain.sarif"
    r = run("check", "testdata", "--format", "sarif", "-o", str(plain), cwd=ROOT)
    assert r.returncode in (0, 1), r.stderr

    tree = work / "tree"
    shutil.copytree(TESTDATA, tree / "testdata")
    r = run("check", "testdata", "--write-baseline", "base.sarif", "-q", cwd=tree)
    assert r.returncode == 0, r.stderr
    sample = tree / "testdata" / "basic" / "straight_line.c"
    lines = sample.read_text(encoding="utf-8").splitlines()
    lines[7] += " // sslint: ignore[SSL101] kept for the test"  # a finding's line: suppressed
    lines[0] += " /* sslint: ignore[SSL102] */"                  # unused
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tree / "pyproject.toml").write_text("[tool.sslint]\nextra-args = ['-fplugin=x.so']\n")
    full = work / "full.sarif"
    r = run("check", "testdata", "--baseline", "base.sarif", "--show-suppressed",
            "--report-unused-suppressions", "--fail-on", "note", "--category", "ci/test",
            "--format", "sarif",
            "-o", str(full), cwd=tree)
    assert r.returncode == 1, r.stderr
    return [plain, full]


def test_logs_exercise_every_feature(logs):
    plain, full = (json.loads(p.read_text()) for p in logs)
    assert plain["runs"][0]["results"]
    run_ = full["runs"][0]
    states = Counter(r["baselineState"] for r in run_["results"])
    assert {"new", "unchanged", "absent"} <= set(states)
    assert any(r.get("suppressions") for r in run_["results"])
    assert any(r["ruleId"] == "SSL900" for r in run_["results"])
    assert run_["automationDetails"] == {"id": "ci/test/"}
    invocation = run_["invocations"][0]
    assert invocation["toolExecutionNotifications"]  # parse errors in noheaders/
    assert invocation["toolConfigurationNotifications"]  # the dropped -fplugin


def test_no_errors_and_no_warnings(multitool, logs, tmp_path):
    broken = json.loads(logs[0].read_text())
    result = broken["runs"][0]["results"][0]
    del result["message"]["text"]  # GitHub requires it: proves the check is not vacuous
    bad = tmp_path / "broken.sarif"
    bad.write_text(json.dumps(broken, indent=2))
    counts = validate(multitool, [*logs, bad], tmp_path / "validation.sarif")
    assert counts["broken.sarif"]["error"] >= 1
    for log in logs:
        assert problems(counts[log.name]) == [], log.name
