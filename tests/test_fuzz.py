"""A seeded mutation fuzzer over testdata/**/*.c: lines and tokens deleted,
duplicated and swapped, random bytes inserted. A few hundred cases run in-process
(sslint.runner.run_unit) and a handful through the command line; no exception may
escape, every result must be well-formed and the SARIF written for them must
validate against the 2.1.0 schema.

Reproduce a failure with the printed seed and case number:
    SSLINT_FUZZ_SEED=<seed> SSLINT_FUZZ_CASES=<n> pytest tests/test_fuzz.py
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, TESTDATA

from sslint.analysis import Options
from sslint.engine.run import Budget
from sslint.frontend import pch
from sslint.frontend.parse import clang_args
from sslint.output import Report
from sslint.output.sarif import format_sarif
from sslint.rule import all_rules
from sslint.runner import Job, Unit, run_unit

SEED = int(os.environ.get("SSLINT_FUZZ_SEED", "20260522"))
CASES = int(os.environ.get("SSLINT_FUZZ_CASES", "300"))
TIME_CAP = 75.0        # seconds; later cases are skipped (and said so) on a slow machine
SARIF_EVERY = 25       # cases per in-process SARIF document
CLI_CASES = 4
SOURCES = sorted(TESTDATA.rglob("*.c"))
SCHEMA = json.loads((ROOT / "tests" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
RULES = all_rules()
RULE_IDS = {r.rule.id for r in RULES}
# Small budgets: a mutated loop must not make one case take a minute.
JOB = Job(tuple(sorted(RULE_IDS)), (), Options(Budget(16, 5_000), 5.0, str(ROOT)))
_TOKEN = re.compile(rb"[A-Za-z_]\w*|\d+|\S")


def mutate(rng: random.Random, src: bytes) -> tuple[bytes, list[str]]:
    """One to three random edits of `src`; returns the result and what was done."""
    done = []
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["del-line", "dup-line", "swap-lines", "del-token", "dup-token",
                         "swap-tokens", "bytes"])
        if op.endswith(("line", "lines")):
            lines = src.split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if op == "del-line":
                del lines[i]
            elif op == "dup-line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            src = b"\n".join(lines)
            done.append(f"{op} {i} {j}")
        elif op.endswith(("token", "tokens")):
            toks = list(_TOKEN.finditer(src))
            if len(toks) < 2:
                continue
            a, b = sorted(rng.sample(toks, 2), key=lambda m: m.start())
            if op == "del-token":
                src = src[:a.start()] + src[a.end():]
            elif op == "dup-token":
                src = src[:a.end()] + b" " + a.group() + src[a.end():]
            else:
                src = (src[:a.start()] + b.group() + src[a.end():b.start()] + a.group()
                       + src[b.end():])
            done.append(f"{op} @{a.start()} @{b.start()}")
        else:
            at = rng.randrange(len(src) + 1)
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            src = src[:at] + junk + src[at:]
            done.append(f"bytes @{at} {junk!r}")
    return src, done


def cases(n: int):
    rng = random.Random(SEED)
    originals = {p: p.read_bytes() for p in SOURCES}
    for i in range(n):
        path = rng.choice(SOURCES)
        src, ops = mutate(rng, originals[path])
        yield i, path, src, ops


def well_formed(res, display: str, src: bytes) -> list[str]:
    problems = []
    n_lines = src.count(b"\n") + 2
    if res.path != display:
        problems.append(f"result path {res.path!r}")
    for f in res.findings:
        if f.rule_id not in RULE_IDS or f.loc.file != display:
            problems.append(f"finding {f.rule_id} in {f.loc.file!r}")
        if not 1 <= f.loc.line <= n_lines or f.loc.col < 1:
            problems.append(f"finding at {f.loc}")
    for note in res.notifications:
        if note.level not in ("error", "warning", "note") or not note.message:
            problems.append(f"notification {note}")
    return problems


@pytest.fixture(scope="module")
def shared_pch(tmp_path_factory):
    """The testdata's common #include blocks precompiled, as `sslint check` does:
    unmutated preambles parse in milliseconds, which buys many more cases."""
    tmp = str(tmp_path_factory.mktemp("fuzz-pch"))
    builds = pch.plan_builds([(str(p), tuple(clang_args(()))) for p in SOURCES])
    table = [(k, path) for k, path, _ in (pch.build(b, tmp) for b in builds) if path]
    before = pch.active()
    pch.install(pch.Table(tuple(table)))
    yield
    pch.install(before)


def test_mutated_testdata_in_process(tmp_path, shared_pch):
    started = time.monotonic()
    batch, ran, internal = [], 0, []
    for i, path, src, ops in cases(CASES):
        if time.monotonic() - started > TIME_CAP:
            print(f"fuzz: time cap reached after {ran} of {CASES} cases")
            break
        where = f"seed {SEED} case {i}: {path.relative_to(ROOT)} {ops}"
        case = tmp_path / f"case{i:04d}_{path.name}"
        case.write_bytes(src)
        try:
            res = run_unit(JOB, Unit(str(case), str(case), ()))
        except BaseException as exc:  # noqa: BLE001 - that is the failure under test
            pytest.fail(f"{where}: {type(exc).__name__}: {exc}")
        problems = well_formed(res, str(case), src)
        assert not problems, f"{where}: {problems}"
        internal += [f"{where}: {n.message}" for n in res.notifications
                     if n.code == "internal-error"]
        batch.append(res)
        ran += 1
        if len(batch) == SARIF_EVERY:
            _validate(batch, tmp_path, where)
            batch = []
            for p in tmp_path.iterdir():
                p.unlink()
    if batch:
        _validate(batch, tmp_path, "the last batch")
    print(f"fuzz: {ran} cases in {time.monotonic() - started:.1f}s, seed {SEED}; "
          f"{len(internal)} contained internal error(s)")
    for line in internal[:20]:
        print("  " + line)
    assert ran >= min(CASES, 100)


def _validate(results, tmp_path: Path, where: str) -> None:
    report = Report(results, RULES, str(tmp_path), 1)
    text = format_sarif(report, False)
    errors = sorted(VALIDATOR.iter_errors(json.loads(text)), key=str)
    assert not errors, f"SARIF for cases up to {where}: {errors[0]}"


def test_mutated_testdata_through_cli(tmp_path):
    rng = random.Random(SEED + 1)
    names = []
    for i, (_, path, src, ops) in enumerate(cases(CLI_CASES)):
        src, more = mutate(rng, src)
        name = f"cli{i}_{path.name}"
        (tmp_path / name).write_bytes(src)
        names.append((name, ops + more))
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    out = tmp_path / "out.sarif"
    r = subprocess.run([sys.executable, "-m", "sslint", "check", *[n for n, _ in names],
                        "--jobs", "2", "--format", "sarif", "-o", str(out)],
                       cwd=tmp_path, env=env, capture_output=True, check=False, timeout=300)
    stderr = r.stderr.decode("utf-8", "replace")
    where = f"seed {SEED}: {names}"
    assert r.returncode in (0, 1, 2), f"{where}: exit {r.returncode}\n{stderr}"
    assert "Traceback" not in stderr, f"{where}\n{stderr}"
    if out.exists():
        errors = sorted(VALIDATOR.iter_errors(json.loads(out.read_text())), key=str)
        assert not errors, f"{where}: {errors[0]}"
