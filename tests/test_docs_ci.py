"""The CI and pre-commit examples in the docs are real: their sslint commands run.

docs/ci.md's workflow YAML is parsed, and each `run:` that calls sslint is executed
against a copy of testdata/ with a compile_commands.json standing in for the
workflow's cmake step.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, TESTDATA
from test_cli import SCHEMA

CI_DOC = ROOT / "docs" / "ci.md"


def blocks(path: Path, lang: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def workflow() -> dict:
    (text,) = blocks(CI_DOC, "yaml")
    return yaml.safe_load(text)


def sslint_commands() -> list[tuple[str, list[str]]]:
    """(where, argv) for every sslint command line in docs/ci.md."""
    out = []
    for name, job in workflow()["jobs"].items():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                if line.strip().startswith("sslint "):
                    out.append((f"{name}: {step.get('name', '')}", shlex.split(line)))
    for text in blocks(CI_DOC, "sh"):
        for line in text.splitlines():
            if line.startswith("sslint "):
                out.append(("sh", shlex.split(line, comments=True)))
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """testdata/ as a project, with the build folder the workflow's cmake would write."""
    shutil.copytree(TESTDATA, tmp_path / "src")
    (tmp_path / "build").mkdir()
    entries = [{"directory": str(tmp_path / "build"), "file": str(c),
                "arguments": ["cc", "-c", str(c), "-o", f"{c.stem}.o"]}
               for c in sorted((tmp_path / "src").rglob("*.c"))]
    (tmp_path / "build" / "compile_commands.json").write_text(json.dumps(entries))
    return tmp_path


def run_doc_command(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    assert argv[0] == "sslint"
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "sslint", *argv[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_workflow_shape():
    flow = workflow()
    scan = flow["jobs"]["code-scanning"]
    assert scan["permissions"]["security-events"] == "write"
    upload = next(s for s in scan["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()"
    (_, argv), = [c for c in sslint_commands() if c[0].startswith("code-scanning")]
    assert argv[argv.index("-o") + 1] == upload["with"]["sarif_file"]
    assert "--baseline" not in argv and "--show-suppressed" not in argv  # see ci.md
    assert len(sslint_commands()) == 3


@pytest.mark.slow
def test_code_scanning_command_writes_valid_sarif(project):
    (_, argv), = [c for c in sslint_commands() if c[0].startswith("code-scanning")]
    r = run_doc_command(argv, project)
    assert r.returncode == 0, r.stderr  # --exit-zero although there are findings
    log = json.loads((project / argv[argv.index("-o") + 1]).read_text())
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    assert run["results"] and run["automationDetails"]["id"] == "sslint/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert all(u.startswith("src/") for u in uris)  # relative to the checkout root


@pytest.mark.slow
def test_gate_commands_fail_on_findings_and_accept_a_baseline(project):
    gates = [argv for where, argv in sslint_commands() if not where.startswith("code-scanning")]
    for argv in gates:
        if "--baseline" in argv:
            base = argv[argv.index("--baseline") + 1]
            first = run_doc_command([a for a in argv if a not in ("--baseline", base)]
                                    + ["--write-baseline", base], project)
            assert first.returncode == 0, first.stderr
            assert run_doc_command(argv, project).returncode == 0  # all in the baseline
            (project / base).unlink()
            r = run_doc_command(argv, project)
            assert r.returncode == 2 and "no such baseline file" in r.stderr
        else:
            r = run_doc_command(argv, project)
            assert r.returncode == 1 and "error:" in r.stdout, r.stderr


def test_readme_precommit_snippet_matches_the_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    snippets = [yaml.safe_load(b) for b in blocks(ROOT / "README.md", "yaml")]
    config = next(s for s in snippets if isinstance(s, dict) and "repos" in s)
    (repo,) = config["repos"]
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in hooks] == ["sslint"]
    (hook,) = hooks
    assert hook["entry"] == "sslint check" and hook["language"] == "python"
    assert hook["types"] == ["c"] and hook["require_serial"] is True
    text = next(b for b in blocks(ROOT / "README.md", "yaml") if "repos:" in b)
    assert len([line for line in text.splitlines() if line.startswith("  ")]) == 3
