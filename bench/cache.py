"""Benchmark: the whole `sslint check` command, cold and warm, against a plain
libclang parse of the same files and against other analyzers, in one run.

    python bench/cache.py                 # 40 generated files (bench/gen.py)
    python bench/cache.py -n 80 --tools   # more files; also gcc -fanalyzer, cppcheck,
                                          # clang --analyze (those installed)

Every number is the wall time of a fresh process (Python start-up included), and
every figure that matters is a ratio of two measurements of this same run: the
machine is shared and absolute times move by ±30% between runs. Measured:

- `parse`: libclang parses every file in one process, nothing else (the cost the
  cold run is compared with), plain and against shared PCHs;
- `cold`: `sslint check --jobs 1` with an empty cache folder (results and PCHs
  are stored on the way); `cold, PCHs kept`: results cache emptied, PCHs kept;
- `warm`: the same command again, nothing changed;
- `one changed`: one file edited (a comment line added), the rest unchanged;
  `hash`: reading and hashing every file and stating its headers, in process
  (what a warm run cannot avoid);
- `--jobs 2` against `--jobs 1`, both without cache;
- `sslint check one_file.c` against `python -c "import clang.cindex"` plus one
  parse of that file.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = sys.executable


ENV: dict[str, str] = {}    # every measured command's environment (main() fills it)
CPU: dict[float, float] = {}  # wall time of a measurement -> CPU seconds it used


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(argv: list[str], cwd: str, env: dict | None = None) -> float:
    """Wall seconds of the command; its CPU seconds (workers included: they are
    reaped by it) go to CPU, less disturbed by the machine's other load."""
    c0 = _cpu()
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env or ENV or None, capture_output=True, check=False)
    took = time.perf_counter() - t0
    CPU[took] = _cpu() - c0
    if done.returncode not in (0, 1):
        sys.exit(f"failed: {argv}\n{done.stderr.decode(errors='replace')[-2000:]}")
    return took


def sslint(files: list[str], cwd: str, *opts: str) -> list[str]:
    return [PY, "-m", "sslint", "check", *files, "-q", "--exit-zero", *opts]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("SSLINT_NO_CACHE", None)
    e.pop("SSLINT_CACHE_DIR", None)
    # An installed sslint has its bytecode compiled by pip; a checkout run with
    # PYTHONDONTWRITEBYTECODE set would compile every module on every start
    # (~40 ms of the single-file figure). Bytecode is written once in main().
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


PARSE = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ["LIBCLANG_NOTHREADS"] = "1"
import clang.cindex as ci
from sslint.frontend.parse import KEEP_GOING, clang_args
from sslint.frontend import pch
files = {files!r}
units = [(f, tuple(clang_args([]))) for f in files]
t0 = time.perf_counter()
if {use_pch!r}:
    import tempfile
    tmp = tempfile.mkdtemp()
    table = [(k, p) for k, p, _ in (pch.build(b, tmp) for b in pch.plan_builds(units)) if p]
    pch.install(pch.Table(tuple(table)))
plain = ci.Index.create()
for path, args in units:
    plan = pch.active().plan(path, list(args))
    if plan is not None:
        pch.index().parse(path, args=list(args) + list(plan.args),
                          unsaved_files=[(path, plan.source)], options=KEEP_GOING)
    else:
        plain.parse(path, args=list(args), options=KEEP_GOING)
"""

HASH = """
import hashlib, os, sys, time
sys.path.insert(0, {root!r})
from sslint.session.results import code_digest
from sslint.frontend.toolchain import probe_inputs
t0 = time.perf_counter()
code_digest(); probe_inputs()
stamps = {{}}
for f in {files!r}:
    with open(f, "rb") as fh:
        hashlib.sha256(fh.read()).hexdigest()
for h in {headers!r}:
    if h not in stamps:
        stamps[h] = os.stat(h).st_mtime_ns
print(time.perf_counter() - t0)
"""


HEADERS = """
import json, sys
sys.path.insert(0, {root!r})
import clang.cindex as ci
from sslint.frontend.parse import clang_args
out = set()
for f in {files!r}:
    tu = ci.Index.create().parse(f, args=clang_args([]))
    out |= {{i.include.name for i in tu.get_includes()}}
print(json.dumps(sorted(out)))
"""


BURN = """
import time
t = time.process_time()
while time.process_time() - t < 0.7:
    pass
"""


def parallelism() -> float:
    """How much faster two CPU-bound processes finish side by side than one after
    the other on this machine right now (2.0 on two idle cores): what --jobs 2
    can gain at best while the machine's other load is what it is."""
    t0 = time.perf_counter()
    for _ in range(2):
        subprocess.run([PY, "-c", BURN], check=True)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    procs = [subprocess.Popen([PY, "-c", BURN]) for _ in range(2)]
    for p in procs:
        p.wait()
    return one / (time.perf_counter() - t0)


def headers_of(files: list[str]) -> list[str]:
    """The headers the generated files include (for the hashing figure)."""
    code = HEADERS.format(root=ROOT, files=files[:3])
    done = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def tools(files: list[str], cwd: str, clang: str | None) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    if shutil.which("gcc"):
        t0 = time.perf_counter()
        for f in files:
            subprocess.run(["gcc", "-fanalyzer", "-fsyntax-only", "-w", f], cwd=cwd,
                           capture_output=True, check=False)
        out["gcc -fanalyzer"] = time.perf_counter() - t0
    else:
        out["gcc -fanalyzer"] = "not installed"
    if shutil.which("cppcheck"):
        out["cppcheck"] = timed(["cppcheck", "-q", "-j", "1", *files], cwd)
    else:
        out["cppcheck"] = "not installed"
    clang = clang or shutil.which("clang")
    if clang:
        t0 = time.perf_counter()
        for f in files:
            subprocess.run([clang, "--analyze", "-o", os.devnull, f], cwd=cwd,
                           capture_output=True, check=False)
        out["clang --analyze"] = time.perf_counter() - t0
    else:
        out["clang --analyze"] = "not installed"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tools", action="store_true", help="also run the other analyzers")
    ap.add_argument("--clang", help="the clang for `clang --analyze` (default: on PATH)")
    ap.add_argument("--pairs", type=int, default=3,
                    help="--jobs 1 / --jobs 2 measured this many times, alternating")
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    from gen import write_corpus

    e = env()
    ENV.update(e)
    subprocess.run([PY, "-m", "compileall", "-q", os.path.join(ROOT, "sslint")], env=e,
                   check=True)
    with tempfile.TemporaryDirectory(prefix="sslint-bench-cache-") as tmp:
        src = os.path.join(tmp, "src")
        files = sorted(write_corpus(src, a.count, a.seed))
        old = time.time() - 600  # not "modified just now": the cache may keep them
        for f in files:
            os.utime(f, (old, old))
        cache = os.path.join(tmp, "cache")
        rel = [os.path.relpath(f, src) for f in files]
        r: dict[str, float] = {}
        r["python -c pass"] = timed([PY, "-c", "pass"], src)
        r["parse, plain"] = timed([PY, "-c", PARSE.format(root=ROOT, files=files,
                                                        use_pch=False)], src)
        r["parse, PCH"] = timed([PY, "-c", PARSE.format(root=ROOT, files=files,
                                                      use_pch=True)], src)
        r["cold"] = timed(sslint(rel, src, "--jobs", "1", "--cache-dir", cache), src, e)
        r["warm"] = timed(sslint(rel, src, "--jobs", "1", "--cache-dir", cache), src, e)
        shutil.rmtree(os.path.join(cache, "v1", "results"))
        r["cold, PCHs kept"] = timed(sslint(rel, src, "--jobs", "1", "--cache-dir", cache),
                                     src, e)
        with open(files[0], "a", encoding="utf-8") as fh:
            fh.write("/* edited */\n")
        os.utime(files[0], (old + 1, old + 1))
        r["one changed"] = timed(sslint(rel, src, "--jobs", "1", "--cache-dir", cache),
                                 src, e)
        r["one file alone, cold"] = timed(
            sslint(rel[:1], src, "--jobs", "1", "--no-cache"), src, e)
        heads = headers_of(files)
        done = subprocess.run([PY, "-c", HASH.format(root=ROOT, files=files, headers=heads)],
                              capture_output=True, text=True, check=True)
        r["hash (in process)"] = float(done.stdout.strip())
        before = parallelism()
        pairs = [(timed(sslint(rel, src, "--jobs", "1", "--no-cache"), src, e),
                  timed(sslint(rel, src, "--jobs", "2", "--no-cache"), src, e))
                 for _ in range(a.pairs)]
        # The pair with the median ratio stands for the run; all ratios are printed.
        pairs.sort(key=lambda p: p[0] / p[1])
        r["--jobs 1, no cache"], r["--jobs 2, no cache"] = pairs[len(pairs) // 2]
        free = (before + parallelism()) / 2
        one = files[1]
        r["import clang.cindex + 1 parse"] = timed(
            [PY, "-c", PARSE.format(root=ROOT, files=[one], use_pch=False)], src)
        r["sslint check one_file.c"] = timed(sslint([one], src, "--no-cache"), src, e)
        r["sslint check one_file.c, warm"] = timed(
            sslint([one], src, "--cache-dir", cache), src, e)
        r["sslint check one_file.c, warm"] = timed(
            sslint([one], src, "--cache-dir", cache), src, e)
        other = tools(files, src, a.clang) if a.tools else {}

    print(f"{a.count} generated files; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    width = max(len(k) for k in list(r) + list(other))
    print(f"  {'':{width}s}    wall      CPU")
    for k, v in r.items():
        cpu = CPU.get(v)
        print(f"  {k:{width}s} {v:7.2f} s" + (f" {cpu:7.2f} s" if cpu is not None else ""))
    for k, v in other.items():
        print(f"  {k:{width}s} " + (f"{v:7.2f} s" if isinstance(v, float) else v))
    p = r["parse, plain"]

    def cpu_ratio(a: str, b: str) -> str:
        return f"   CPU {CPU[r[a]] / CPU[r[b]]:5.2f}"

    print("ratios (same run; wall, then CPU):")
    print(f"  cold / plain parse             {r['cold'] / p:5.2f}"
          + cpu_ratio("cold", "parse, plain") + "   (goal <= 1.2)")
    print(f"  cold / PCH parse               {r['cold'] / r['parse, PCH']:5.2f}"
          + cpu_ratio("cold", "parse, PCH"))
    print(f"  cold, PCHs kept / plain parse  {r['cold, PCHs kept'] / p:5.2f}"
          + cpu_ratio("cold, PCHs kept", "parse, plain"))
    print(f"  warm / cold                    {r['warm'] / r['cold']:5.2f}"
          + cpu_ratio("warm", "cold") + "   (goal <= 0.1)")
    print(f"  one changed / (one file alone + warm)   "
          f"{r['one changed'] / (r['one file alone, cold'] + r['warm']):5.2f}")
    speedup = r["--jobs 1, no cache"] / r["--jobs 2, no cache"]
    print(f"  --jobs 1 / --jobs 2            {speedup:5.2f}   (goal >= 1.8; median of "
          f"{', '.join(f'{p[0] / p[1]:.2f}' for p in pairs)}); two busy loops "
          f"side by side: {free:4.2f}x (what this machine gave two processes then)")
    ref = r["import clang.cindex + 1 parse"]
    print(f"  one_file.c / (import + parse)  {r['sslint check one_file.c'] / ref:5.2f}"
          + cpu_ratio("sslint check one_file.c", "import clang.cindex + 1 parse")
          + f"; warm {r['sslint check one_file.c, warm'] / ref:5.2f}")
    for k, v in other.items():
        if isinstance(v, float):
            print(f"  {k} / sslint cold, warm      {v / r['cold']:5.2f}, {v / r['warm']:5.2f}")
    print(json.dumps({"sslint": r, "tools": other}))


if __name__ == "__main__":
    main()
