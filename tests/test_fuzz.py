"""A seeded mutation fuzzer over testdata/**/*.c: lines and tokens deleted,
duplicated and swapped, random bytes inserted. A few hundred cases run in-process
(sslint.workers.runner.run_unit) and a handful through the command line; no exception may
escape, every result must be well-formed and the SARIF written for them must
validate against the 2.1.0 schema. An internal error (a notification with code
'internal-error': an exception the analysis caught and contained) fails the test too,
and so does a command-line run that exits 2 without saying why.

A failing case's input is saved (the path is in the failure message, which also
shows the input) and the seed and case number are printed; reproduce with
    SSLINT_FUZZ_SEED=<seed> SSLINT_FUZZ_CASES=<case + 1> pytest tests/test_fuzz.py
or run `sslint check <saved file>`.
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

from sslint.analysis.unit import Options
from sslint.engine.worklist import Budget
from sslint.frontend import pch
from sslint.frontend.parse import clang_args
from sslint.output import Report
from sslint.output.sarif import format_sarif
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

# Hundreds of fuzzed parses and a command-line run: the slowest module.
pytestmark = pytest.mark.slow

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
SHOWN_BYTES = 16_000   # of a failing input, in the failure message (all of any testdata)


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


def test_mutated_testdata_in_process(tmp_path, tmp_path_factory, shared_pch):
    started = time.monotonic()
    batch, ran, internal = [], 0, []
    saved = tmp_path_factory.mktemp("fuzz-failures")
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
            pytest.fail(_failure(saved, case.name, src,
                                 f"{where}: {type(exc).__name__}: {exc}"))
        problems = well_formed(res, str(case), src)
        assert not problems, _failure(saved, case.name, src, f"{where}: {problems}")
        errors = [n.message for n in res.notifications if n.code == "internal-error"]
        if errors:
            internal.append((case.name, src, f"{where}: {'; '.join(errors)}"))
        batch.append(res)
        ran += 1
        if len(batch) == SARIF_EVERY:
            _validate(batch, tmp_path, where)
            batch = []
            for p in tmp_path.iterdir():
                p.unlink()
    if batch:
        _validate(batch, tmp_path, "the last batch")
    print(f"fuzz: {ran} cases in {time.monotonic() - started:.1f}s, seed {SEED}")
    if internal:
        for name, src, _ in internal[1:]:
            _save(saved, name, src)
        name, src, first = internal[0]
        others = "".join(f"\n  {w}" for _, _, w in internal[1:20])
        pytest.fail(f"{len(internal)} case(s) hit an internal error{others}\n"
                    + _failure(saved, name, src, first))
    assert ran >= min(CASES, 100)


def _save(folder: Path, name: str, src: bytes) -> Path:
    path = folder / name
    path.write_bytes(src)
    return path


def _failure(folder: Path, name: str, src: bytes, what: str) -> str:
    """The failure message: what went wrong, where the input was saved, the input."""
    path = _save(folder, name, src)
    text = src[:SHOWN_BYTES].decode("utf-8", "backslashreplace")
    cut = f"\n... ({len(src) - SHOWN_BYTES} more bytes)" if len(src) > SHOWN_BYTES else ""
    return (f"{what}\ninput saved as {path} (reproduce: sslint check {path}):\n"
            f"----\n{text}{cut}\n----")


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
    where = f"seed {SEED}: {names}\ninputs kept in {tmp_path}"
    assert r.returncode in (0, 1, 2), f"{where}: exit {r.returncode}\n{stderr}"
    assert "Traceback" not in stderr, f"{where}\n{stderr}"
    assert "[internal-error]" not in stderr, f"{where}\n{stderr}"
    sarif = json.loads(out.read_text()) if out.exists() else None
    if sarif is not None:
        errors = sorted(VALIDATOR.iter_errors(sarif), key=str)
        assert not errors, f"{where}: {errors[0]}"
        notes = [n for run in sarif["runs"] for inv in run.get("invocations", [])
                 for n in inv.get("toolExecutionNotifications", [])]
        internal = [n["message"]["text"] for n in notes
                    if n.get("descriptor", {}).get("id") == "internal-error"]
        assert not internal, f"{where}: {internal}"
    if r.returncode == 2:  # a usage error or nothing analysable: it must say so
        said = re.search(r"\berror:", stderr) or (sarif is not None and any(
            n.get("level") == "error" for n in notes))
        assert said, f"{where}: exit 2 without an error message\nstderr: {stderr!r}"
