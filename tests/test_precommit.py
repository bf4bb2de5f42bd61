"""The pre-commit hook, run by the real `pre-commit` tool in a throw-away git repository.

The hook repository is a fresh git repository holding this checkout's files (the
working tree as it is, committed), so the test covers uncommitted changes too.
pre-commit installs sslint from it into its own virtualenv with pip.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_cli import BUGGY, CLEAN

HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "sslint", "rules")
# Output of a failed hook environment install that means "no network", not "broken hook".
OFFLINE = ("Temporary failure in name resolution", "NewConnectionError", "Network is unreachable",
           "No matching distribution found", "Could not find a version that satisfies")

pytestmark = [
    pytest.mark.slow,  # git and pre-commit in subprocesses, pip installs sslint
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="the pre-commit package is not installed (pip install '.[test]')"),
]


def git_env(tmp_path: Path) -> dict[str, str]:
    """An environment where git ignores the user's and the system's configuration."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    env = dict(os.environ, GIT_CONFIG_GLOBAL=str(empty), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1")
    env.pop("PYTHONPATH", None)  # the hook must use the sslint pre-commit installed
    return env


def sh(*args: str, cwd: Path, env: dict[str, str], check: bool = True
       ) -> subprocess.CompletedProcess:
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                       check=False)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def hook_repository(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    repo = tmp_path / "hook-repo"
    repo.mkdir()
    # Without setup.py the hook installs the pure-Python engine (no compile per test).
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.so")
    for name in HOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    sh("git", "init", "-q", cwd=repo, env=env)
    sh("git", "add", "-A", cwd=repo, env=env)
    sh("git", "commit", "-q", "-m", "sslint under test", cwd=repo, env=env)
    return repo, sh("git", "rev-parse", "HEAD", cwd=repo, env=env).stdout.strip()


def test_hook_checks_only_staged_c_files(tmp_path):
    env = git_env(tmp_path)
    hook_repo, rev = hook_repository(tmp_path, env)
    project = tmp_path / "project"
    project.mkdir()
    sh("git", "init", "-q", cwd=project, env=env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_uri()}\n    rev: {rev}\n    hooks: [{{id: sslint}}]\n")
    pre_commit = (sys.executable, "-m", "pre_commit")
    sh(*pre_commit, "install", cwd=project, env=env)
    install = sh(*pre_commit, "install-hooks", cwd=project, env=env, check=False)
    if install.returncode != 0:
        log = install.stdout + install.stderr
        if any(word in log for word in OFFLINE):
            pytest.skip(f"pre-commit could not install sslint's hook offline: {log[-300:]}")
        raise AssertionError(log)

    # A buggy file already in the repository is not the commit's business.
    (project / "legacy.c").write_text(BUGGY)
    sh("git", "add", "legacy.c", ".pre-commit-config.yaml", cwd=project, env=env)
    sh("git", "commit", "-q", "--no-verify", "-m", "legacy", cwd=project, env=env)

    # Staged: a clean file and a buggy header (headers are excluded). Not staged: a bug
    # in the working copy of the clean file, which pre-commit stashes away.
    (project / "clean.c").write_text(CLEAN)
    (project / "inline.h").write_text(BUGGY.replace("void f", "static inline void f"))
    sh("git", "add", "clean.c", "inline.h", cwd=project, env=env)
    (project / "clean.c").write_text(BUGGY)
    ok = sh("git", "commit", "-m", "clean", cwd=project, env=env, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "sslint" in ok.stderr and "Passed" in ok.stderr  # the git hook writes to stderr
    sh("git", "checkout", "--", "clean.c", cwd=project, env=env)

    (project / "buggy.c").write_text(BUGGY)
    sh("git", "add", "buggy.c", cwd=project, env=env)
    bad = sh("git", "commit", "-m", "buggy", cwd=project, env=env, check=False)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0 and "Failed" in out
    assert "buggy.c:6:5: error:" in out and "[SSL101]" in out
    assert "legacy.c" not in out and "clean.c" not in out and "inline.h" not in out
    assert "buggy" not in sh("git", "log", "--format=%s", cwd=project, env=env).stdout
