"""--jobs 2 gives byte-identical output to --jobs 1 over the whole testdata, in text
and in SARIF (apart from the run's timestamps and command line)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

# Runs sslint over the whole testdata in subprocesses, with worker processes.
pytestmark = pytest.mark.slow


def check(*args: str, seed: str) -> subprocess.CompletedProcess:
    # Different hash seeds: output must not depend on set or dict-of-hash order.
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-m", "sslint", "check", "testdata", *args],
                          cwd=ROOT, env=env, capture_output=True, check=False, text=True,
                          timeout=300)


def normalised_sarif(text: str) -> str:
    log = json.loads(text)
    for run in log["runs"]:
        for inv in run.get("invocations", []):
            for key in ("startTimeUtc", "endTimeUtc", "commandLine"):
                inv.pop(key, None)
    return json.dumps(log, indent=2, sort_keys=True)


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_jobs_2_matches_jobs_1(fmt):
    one = check("--jobs", "1", "--format", fmt, seed="1")
    two = check("--jobs", "2", "--format", fmt, seed="2")
    assert one.returncode == two.returncode and one.returncode in (0, 1), one.stderr
    assert "Traceback" not in one.stderr + two.stderr
    assert one.stderr == two.stderr
    if fmt == "sarif":
        assert normalised_sarif(one.stdout) == normalised_sarif(two.stdout)
        assert json.loads(one.stdout)["runs"][0]["results"], "the testdata has findings"
    else:
        assert one.stdout == two.stdout and "[SSL101]" in one.stdout


class _Recorder:
    """A pool that runs nothing and records the tasks it is given."""

    def __init__(self, size: int):
        self.size, self.tasks = size, []

    def run_tasks(self, tasks, on_error, *_):
        self.tasks = tasks
        return [[None] * len(payload) for _kind, payload, _limit in tasks]


@pytest.mark.parametrize("files, workers, sizes", [
    (40, 2, [20, 20]), (1, 2, [1]), (70, 2, [24, 24, 22]), (65, 3, [22, 22, 21])])
def test_guesses_go_out_in_even_batches_one_per_worker_at_least(files, workers, sizes):
    from sslint.workers import runner
    units = [runner.Unit(f"f{i}.c", f"f{i}.c", ()) for i in range(files)]
    pool = _Recorder(workers)
    got = runner._guess(pool, units)
    assert [len(payload) for _kind, payload, _limit in pool.tasks] == sizes
    assert list(got) == units
