"""Profile the analysis of the generated corpus in one process, as a worker runs it.

    python bench/hotspots.py                  # 40 files, no PCH, top 30 by own time
    python bench/hotspots.py --pch --sort cumulative -n 80

Files are written by bench/gen.py into a temporary folder; each goes through
`analyze_file` (parse, plan, lower, engine, rules) on this thread, under cProfile
(with --pch, shared PCHs are built first, outside the profile, as `sslint check`
does by default). Prints the total parse and analysis seconds and the profile.
Wall times move with the machine's load: compare call counts, or analysis against
parse within one run.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from gen import write_corpus  # noqa: E402

from sslint.analysis.options import Options  # noqa: E402
from sslint.core.rule import all_rules  # noqa: E402
from sslint.workers import runner  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pch", action="store_true", help="parse against shared PCHs")
    ap.add_argument("--sort", default="tottime", help="pstats sort key")
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    os.environ["LIBCLANG_NOTHREADS"] = "1"
    sys.setrecursionlimit(runner.RECURSION_LIMIT)
    from sslint.analysis.unit import analyze_file
    from sslint.frontend import pch
    from sslint.frontend.parse import clang_args

    with tempfile.TemporaryDirectory(prefix="sslint-profile-") as tmp:
        files = sorted(write_corpus(os.path.join(tmp, "src"), a.count, a.seed))
        job = runner.Job(tuple(r.rule.id for r in all_rules() if r.rule.stage == "analysis"),
                         (), Options(root=tmp))
        rules, model, opts = runner._setup(job)
        if a.pch:
            builds = pch.plan_builds([(f, tuple(clang_args([]))) for f in files])
            made = (pch.build(b, tmp) for b in builds)
            pch.install(pch.Table(tuple((k, p) for k, p, _ in made if p)))
        analyze_file(files[0], files[0], [], rules, model, opts)  # warm-up, not counted
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        results = [analyze_file(f, f, [], rules, model, opts) for f in files]
        prof.disable()
        wall = time.perf_counter() - t0
    parse = sum(r.parse_seconds for r in results)
    analysis = sum(r.analysis_seconds for r in results)
    print(f"{len(files)} files; wall {wall:.2f} s; parse {parse:.2f} s; analysis {analysis:.2f} s")
    pstats.Stats(prof).sort_stats(a.sort).print_stats(a.top)


if __name__ == "__main__":
    main()
