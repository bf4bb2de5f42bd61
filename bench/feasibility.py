"""What path feasibility (remembered conditions, field and global values) costs:
the engine's time on the same lowered functions with it on and off, one process.

    python bench/feasibility.py -p path/to/compile_commands.json [-n 60]

Parsing and lowering are done once and not timed; the functions that call a
lifecycle function of the table (those `sslint check` analyses) are analysed with
the built-in table, with the facts off and on, alternately (`--repeat` times,
after one warm-up run; the fastest of each counts, which a shared machine's other
load disturbs least; CPU time, not wall time). Prints total engine seconds, the ratio, and how the
findings and partial analyses differ. Read the ratio, not the seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sslint.core import ir  # noqa: E402
from sslint.engine import evaluate  # noqa: E402
from sslint.engine.worklist import Budget, analyze  # noqa: E402
from sslint.frontend.compdb import load_compdb  # noqa: E402
from sslint.frontend.parse import parse_file  # noqa: E402
from sslint.model.api import ApiModel  # noqa: E402


def _calls_lifecycle(fn, names) -> bool:
    return any(isinstance(x, ir.Call) and x.callee in names
               for n in fn.nodes for x in ir.walk(n.expr))


def lowered_functions(compdb: str, limit: int):
    model = ApiModel()
    lifecycle = model.lifecycle_names()
    out = []
    for cmd in load_compdb(compdb)[:limit]:
        cwd = os.getcwd()
        os.chdir(os.path.dirname(cmd.file) or ".")
        try:
            parsed = parse_file(cmd.file, list(cmd.args))
            for fn in parsed.functions:
                try:
                    lowered = fn.lower(cmd.file, model.names)
                except Exception:  # noqa: BLE001 - not lowerable: skipped alike
                    continue
                if _calls_lifecycle(lowered, lifecycle):  # what `sslint check` analyses
                    out.append(lowered)
        except Exception:  # noqa: BLE001 - unreadable or unparsable: skipped alike
            pass
        finally:
            os.chdir(cwd)
    return model, out


def run(model, fns, remember: bool):
    evaluate.REMEMBER_CONDITIONS = remember
    t0 = time.process_time()  # CPU time: the machine's other load counts less
    events = partial = 0
    for fn in fns:
        res = analyze(fn, model, Budget())
        events += len(res.events)
        partial += bool(res.partial)
    return time.process_time() - t0, events, partial


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", required=True, help="compile_commands.json")
    ap.add_argument("-n", type=int, default=60, help="at most this many files")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each mode, alternating; the fastest counts")
    a = ap.parse_args()
    model, fns = lowered_functions(a.p, a.n)
    run(model, fns, True)  # warm-up: lazily built tables must not count against one mode
    runs = [(run(model, fns, False), run(model, fns, True)) for _ in range(a.repeat)]
    off = min((r[0] for r in runs), key=lambda r: r[0])
    on = min((r[1] for r in runs), key=lambda r: r[0])
    print(f"{len(fns)} functions; engine seconds off {off[0]:.2f}, on {on[0]:.2f}, "
          f"ratio {on[0] / off[0]:.2f}; events {off[1]} -> {on[1]}; "
          f"partial {off[2]} -> {on[2]}")
    print(json.dumps({"off": off, "on": on}))


if __name__ == "__main__":
    main()
