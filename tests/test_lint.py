"""The code is ruff-clean under the settings in pyproject.toml ([tool.ruff]).
Fix what it reports with `ruff check --fix .` (safe fixes) or by hand."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from conftest import ROOT


def test_ruff_check_passes():
    if importlib.util.find_spec("ruff") is None:
        if os.environ.get("CI"):
            pytest.fail("ruff is not installed: it is in the test extra (pip install '.[test]')")
        pytest.skip("ruff is not installed (pip install '.[test]')")
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                        "--output-format", "concise", "."],
                       cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
