"""SARIF line hashes made by the workers (Job.line_hashes) equal those the output
would compute itself, and the output takes them when given."""
from __future__ import annotations

from conftest import TESTDATA

from sslint.analysis.options import Options
from sslint.core.rule import all_rules
from sslint.output.sources import Sources
from sslint.workers.runner import Job, Unit, _hash_lines, run_unit


def test_worker_hashes_match_the_outputs_own():
    path = str(TESTDATA / "engine" / "address_aliases.c")
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    res = run_unit(job, Unit(path, path, ()))
    assert res.findings
    _hash_lines(res, path)
    assert set(res.line_hashes) == {f.loc.line for f in res.findings}
    fresh = Sources("/")
    assert res.line_hashes == {n: fresh.line_hash(path, n) for n in res.line_hashes}
    told = Sources("/")
    told.known_hashes(path, {n: "given:1" for n in res.line_hashes})
    assert told.line_hash(path, min(res.line_hashes)) == "given:1"
