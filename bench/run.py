"""Benchmark: libclang's parse alone against a full `sslint check`, over generated
files (bench/gen.py) plus any real code given with -p, with --jobs 1 and 2 and
with and without shared precompiled headers.

    python bench/run.py                              # 40 generated files
    python bench/run.py -p path/to/compile_commands.json -n 40

Prints per-file medians (parse ms, analysis ms, their ratio), wall time per jobs
setting and the speed-up, and peak RSS. Timings on a shared machine are noisy:
compare ratios from one run, not absolute numbers across runs.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


# ---- child processes: each measurement runs in a fresh interpreter --------------

def child_parse(db: str, use_pch: bool) -> dict:
    """Parse every file with libclang and sslint's arguments; nothing else."""
    sys.path.insert(0, ROOT)
    import clang.cindex as ci

    from sslint.frontend.parse import KEEP_GOING, clang_args
    from sslint.frontend import pch
    from sslint.frontend.compdb import load_compdb

    os.environ["LIBCLANG_NOTHREADS"] = "1"
    units = [(c.file, tuple(clang_args(c.args))) for c in load_compdb(db)]
    build_s = 0.0
    tmp = tempfile.mkdtemp(prefix="sslint-bench-pch-")
    if use_pch:
        t0 = time.perf_counter()
        table = []
        for b in pch.plan_builds(units):
            key, path, _ = pch.build(b, tmp)
            if path:
                table.append((key, path))
        pch.install(pch.Table(tuple(table)))
        build_s = time.perf_counter() - t0
    plain = ci.Index.create()
    times = {}
    for path, args in units:
        plan = pch.active().plan(path, list(args))
        t0 = time.perf_counter()
        if plan is not None:
            tu = pch.index().parse(path, args=list(args) + list(plan.args),
                                   unsaved_files=[(path, plan.source)], options=KEEP_GOING)
        else:
            tu = plain.parse(path, args=list(args), options=KEEP_GOING)
        times[path] = time.perf_counter() - t0
        del tu
    shutil.rmtree(tmp, ignore_errors=True)
    return {"parse": times, "pch_build_s": build_s}


def child_check(db: str, jobs: int, use_pch: bool, out: str) -> dict:
    """The real `sslint check` command line, in this process; Runner.run is wrapped
    only to read each file's parse and analysis times."""
    sys.path.insert(0, ROOT)
    from sslint.shell import cli
    from sslint.workers.runner import Runner

    per_file: dict = {}
    real_run = Runner.run

    def timed(self, jobs, units, *rest, **named):  # (progress, ir: whatever run takes)
        results = real_run(self, jobs, units, *rest, **named)
        for r in results:
            per_file[r.path] = (r.parse_seconds, r.analysis_seconds, r.analyzed)
        return results

    Runner.run = timed
    argv = ["check", "-p", db, "--jobs", str(jobs), "--format", "sarif", "-o", out, "--no-cache",
            "--pch" if use_pch else "--no-pch"]
    t0 = time.perf_counter()
    try:
        cli.cli.main(args=argv, prog_name="sslint", standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = exc.code
    wall = time.perf_counter() - t0
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    from sslint.engine import state
    return {"wall_in_process": wall, "exit": code, "files": per_file, "maxrss_kb": rss,
            "compiled": state.COMPILED}


def _spawn(*args: str, pure: bool = False) -> dict:
    env = dict(os.environ, SSLINT_PURE="1") if pure else None
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, os.path.abspath(__file__), *args],
                          capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"bench child failed ({args}):\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


# ---- the corpus -----------------------------------------------------------------

def build_corpus(tmp: str, count: int, seed: int, dbs: list[str]) -> tuple[str, set[str]]:
    sys.path.insert(0, HERE)
    from gen import write_corpus

    gen_dir = os.path.join(tmp, "gen")
    entries = [{"directory": gen_dir, "file": p, "arguments": ["cc", "-c", p]}
               for p in write_corpus(gen_dir, count, seed)]
    generated = {e["file"] for e in entries}
    for db in dbs:
        path = os.path.join(db, "compile_commands.json") if os.path.isdir(db) else db
        with open(path, encoding="utf-8") as fh:
            for e in json.load(fh):
                e = dict(e)
                e["directory"] = os.path.join(os.path.dirname(os.path.abspath(path)),
                                              e.get("directory", "."))
                entries.append(e)
    out = os.path.join(tmp, "compile_commands.json")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(entries, fh, indent=1)
    return out, generated


# ---- report -----------------------------------------------------------------------

def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f}" if values else "      -"


def _groups(files: dict, generated: set[str]) -> dict[str, list[str]]:
    gen = [f for f in files if os.path.normpath(f) in generated]
    real = [f for f in files if os.path.normpath(f) not in generated]
    groups = {"generated": gen}
    if real:
        groups["real"] = real
        groups["all"] = gen + real
    return groups


def report(parse_runs: dict, checks: dict, generated: set[str], jobs: list[int],
           engines: list[str]) -> None:
    print("\n(a) libclang parse alone, median ms per file")
    for label, run in parse_runs.items():
        for group, files in _groups(run["parse"], generated).items():
            print(f"    {label:8s} {group:10s} n={len(files):3d} "
                  f"{_ms([run['parse'][f] for f in files])} ms"
                  + (f"   (PCH builds: {run['pch_build_s']:.2f} s)" if run["pch_build_s"]
                     and group == "generated" else ""))
    print("\n(b) sslint check: per-file medians from the same run; wall time of the command")
    print(f"    {'engine':9s}{'pch':5s} {'jobs':4s} {'group':10s} {'parse':>8s} {'analysis':>9s} "
          f"{'ratio':>6s} {'Σan/Σparse':>10s} {'wall s':>7s} {'RSS MiB':>8s}")
    for eng, use_pch in [(e, p) for e in engines for p in sorted({k[0] for k in checks})]:
        for j in jobs:
            run = checks[(use_pch, j, eng)]
            files = run["files"]
            for group, names in _groups(files, generated).items():
                p = [files[f][0] for f in names if files[f][2]]
                a = [files[f][1] for f in names if files[f][2]]
                ratio = statistics.median(a) / statistics.median(p) if p else 0
                total = sum(a) / sum(p) if p and sum(p) else 0
                ran = "compiled" if run["compiled"] else "python"  # what the child loaded
                print(f"    {ran:9s}{'on' if use_pch else 'off':5s} {j:<4d} {group:10s} {_ms(p)}  "
                      f"{_ms(a)}  {ratio:6.2f} {total:10.2f} {run['wall']:7.2f} "
                      f"{run['maxrss_kb'] / 1024:8.0f}")
        if len(jobs) > 1:
            base = checks[(use_pch, jobs[0], eng)]["wall"]
            for j in jobs[1:]:
                print(f"    {eng}, pch {'on' if use_pch else 'off'}: --jobs {j} speed-up over "
                      f"--jobs {jobs[0]}: {base / checks[(use_pch, j, eng)]['wall']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--count", type=int, default=40, help="generated files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-p", "--compile-commands", action="append", default=[],
                    help="real code: a compile_commands.json (or its folder); repeatable")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--pch", choices=["on", "off", "both"], default="both")
    ap.add_argument("--engine", choices=["compiled", "pure", "both"], default="compiled",
                    help="pure: SSLINT_PURE=1 (the engine's Python source even when compiled)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ns = ap.parse_args()
    if ns.child:
        kind, db, *rest = ns.child
        if kind == "parse":
            print(json.dumps(child_parse(db, rest[0] == "1")))
        else:
            print(json.dumps(child_check(db, int(rest[0]), rest[1] == "1", rest[2])))
        return
    jobs = [int(j) for j in ns.jobs.split(",")]
    modes = {"on": [True], "off": [False], "both": [False, True]}[ns.pch]
    with tempfile.TemporaryDirectory(prefix="sslint-bench-") as tmp:
        db, generated = build_corpus(tmp, ns.count, ns.seed, ns.compile_commands)
        with open(db, encoding="utf-8") as fh:
            n = len(json.load(fh))
        print(f"corpus: {len(generated)} generated + {n - len(generated)} real files; "
              f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        parse_runs = {}
        for use_pch in modes:
            label = "pch" if use_pch else "plain"
            parse_runs[label] = _spawn("--child", "parse", db, "1" if use_pch else "0")
        engines = ["compiled", "pure"] if ns.engine == "both" else [ns.engine]
        checks = {}
        for use_pch in modes:
            for j in jobs:
                for eng in engines:  # alternating: both see the same moment's load
                    out = os.path.join(tmp, f"out-{int(use_pch)}-{j}-{eng}.sarif")
                    checks[(use_pch, j, eng)] = _spawn("--child", "check", db, str(j),
                                                       "1" if use_pch else "0", out,
                                                       pure=eng == "pure")
        report(parse_runs, checks, generated, jobs, engines)


if __name__ == "__main__":
    main()
