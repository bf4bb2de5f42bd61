"""Every testdata/**/*.c file is analysed with all rules; the findings must match
its inline expectations exactly (missing and unexpected findings both fail)."""
from __future__ import annotations

import pytest
from conftest import TESTDATA
from expectations import compare, parse_expectations

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

# testdata/program/ holds multi-file programs: tests/test_program.py runs each as one.
FILES = sorted(p for p in TESTDATA.rglob("*.c") if "program" not in p.relative_to(TESTDATA).parts)


@pytest.fixture(scope="module")
def job() -> Job:
    return Job(tuple(r.rule.id for r in all_rules()), (), Options())


def test_there_is_testdata():
    assert len(FILES) >= 2


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(TESTDATA)) for p in FILES])
def test_expectations(path, job):
    exp = parse_expectations(path.read_text(encoding="utf-8", errors="replace"))
    res = run_unit(job, Unit(str(path), str(path), ()))
    assert res.analyzed, [n.message for n in res.notifications]
    internal = [n.message for n in res.notifications if n.code in ("internal-error", "too-deep")]
    assert not internal
    # Findings in other files (an #included .c file's) are checked by their own file.
    found = {(f.loc.line, f.rule_id) for f in res.findings if f.loc.file == str(path)}
    problems = compare(found, exp)
    details = "\n".join(f"  {f.loc.line}: {f.rule_id} {f.message}" for f in res.findings)
    assert not problems, "\n".join(problems) + "\nfindings:\n" + details
