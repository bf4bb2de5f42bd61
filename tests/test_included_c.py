"""Functions defined in a .c file that another .c file #includes (unity builds) are
analysed and reported at their own file and line, once per run."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, TESTDATA

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

UNITY = TESTDATA / "unity"


def test_an_included_c_files_functions_are_analysed_at_their_own_place():
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    main = UNITY / "tls.c"
    res = run_unit(job, Unit(str(main), str(main), ()))
    got = [(f.rule_id, f.loc.file.endswith("tls-openssl.c"), f.loc.line) for f in res.findings]
    assert got == [("SSL103", True, 3)], res.findings


@pytest.mark.slow
def test_reported_once_when_both_files_are_given():
    r = subprocess.run([sys.executable, "-m", "sslint", "check", "tls.c", "tls-openssl.c",
                        "--format", "json"], cwd=UNITY, capture_output=True, text=True,
                       timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 1, r.stderr
    assert r.stdout.count('"SSL103"') == 1, r.stdout
