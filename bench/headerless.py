"""Header-less against with-build: the same files analysed with their compile
database's arguments and with none at all (a pre-commit hook without -p and with
--no-find-build), in this process, one file at a time.

    python bench/headerless.py DB_FOLDER [DB_FOLDER...] [--json OUT]
        [--headerless-replace /src/=/clean/] [--timing REPS [--pch]]

Each DB_FOLDER holds compile_commands.json (and, optionally, files.txt: the files
to use, relative to the database's `directory`). Per project it prints: functions
whose bodies name an OpenSSL lifecycle function, how many of those were analysed,
findings, and the header-less parse time as a ratio to the first parse alone
(recovery rounds included). Findings only one side has are listed for reading.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sslint.analysis import unit as unit_mod  # noqa: E402
from sslint.core.rule import all_rules  # noqa: E402
from sslint.frontend import recover  # noqa: E402
from sslint.frontend import recover_text  # noqa: E402
from sslint.frontend.compdb import load_compdb  # noqa: E402
from sslint.workers.runner import Job, Unit, run_unit  # noqa: E402

REPLACE: tuple[str, ...] = ()  # --headerless-replace
_seen: dict[str, object] = {}   # per file: relevant, lost, (file, name, analysed) of each
_timing: dict[str, float] = {}


def _instrument() -> None:
    real_each = unit_mod._FileRun.analyse_each

    def analyse_each(self, plan, callbacks):
        rel = [fn for fn in plan.order if plan.relevant(fn)]
        _seen["relevant"] = len(rel)
        _seen["lost"] = sum(1 for fn in rel if plan.lost(fn))
        _seen["names"] = [[fn.file, fn.name, not plan.lost(fn)] for fn in rel]
        return real_each(self, plan, callbacks)

    unit_mod._FileRun.analyse_each = analyse_each
    real_recover = recover.recover

    def timed_recover(errs, reparse, *rest, **kw):
        rounds = [0]

        def counted(header):
            rounds[0] += 1
            return reparse(header)

        t0 = time.perf_counter()
        out = real_recover(errs, counted, *rest, **kw)
        _timing["recover"] = time.perf_counter() - t0
        _timing["rounds"] = rounds[0]
        return out

    recover.recover = timed_recover


def _no_recovery() -> None:
    # Nothing is ever learnt: only the shim's parse remains, as before recovery.
    recover.Guesses.learn = lambda self, *a: False


def _common(build: dict, headerless: dict) -> int:
    """The build's lifecycle functions that the header-less run analysed (the
    header-less run may also see code the build does not compile)."""
    wanted = {(f, n) for f, n, _ in build["functions"]}
    return sum(1 for f, n, ok in headerless["functions"] if ok and (f, n) in wanted)


def _name(db: str) -> str:
    """The project's name: the folder's, or its parent's for `PROJECT/compdb`."""
    folder = os.path.normpath(db)
    base = os.path.basename(folder)
    return os.path.basename(os.path.dirname(folder)) if base == "compdb" else base


def run(db: str, mode: str) -> dict:
    cmds = load_compdb(db)
    wanted = None
    listing = os.path.join(db, "files.txt")
    if os.path.exists(listing):
        with open(listing, encoding="utf-8") as fh:
            wanted = {line.strip() for line in fh if line.strip()}
    job = Job(tuple(r.rule.id for r in all_rules()), (), unit_mod.Options())
    out = {"files": 0, "relevant": 0, "lost": 0, "findings": [], "parse": 0.0,
           "recover": 0.0, "recovered_files": 0, "rounds": 0, "lost_at": [], "functions": []}
    for c in cmds:
        rel = os.path.relpath(c.file, c.directory)
        if wanted is not None and rel not in wanted:
            continue
        args = tuple(c.args) if mode == "build" else ()
        path = c.file
        if mode != "build" and REPLACE:  # the same file in an unconfigured copy
            path = path.replace(*REPLACE, 1)
        _seen.clear()
        _timing.clear()
        res = run_unit(job, Unit(path, rel, args))
        out["files"] += 1
        out["relevant"] += _seen.get("relevant", 0)
        out["lost"] += _seen.get("lost", 0)
        back = (lambda f: f.replace(REPLACE[1], REPLACE[0], 1)) if mode != "build" and REPLACE \
            else (lambda f: f)
        out["functions"] += [[rel if not f else back(f), n, ok]
                             for f, n, ok in _seen.get("names", [])]
        out["parse"] += res.parse_seconds
        if "recover" in _timing:
            out["recover"] += _timing["recover"]
            out["rounds"] += _timing["rounds"]
            out["recovered_files"] += 1
        out["findings"] += [[back(f.loc.file), f.loc.line, f.rule_id, f.message]
                            for f in res.findings]
        out["lost_at"] += [[n.loc.file if n.loc else rel, n.loc.line if n.loc else 0, n.message]
                           for n in res.notifications
                           if n.code in ("unparsable-statement", "internal-error", "time-limit")]
    return out


def _pch_table(paths: list[str]):
    """The shared PCHs a run over these header-less files would build (planned with
    the folders and switches guessed for each), built in a temporary folder."""
    import tempfile

    from sslint.frontend import pch
    from sslint.frontend.parse import clang_args, read_guesses, with_guesses

    units = [(p, tuple(clang_args(with_guesses([], read_guesses(p, []))))) for p in paths]
    tmp = tempfile.mkdtemp(prefix="sslint-bench-pch-")
    made = (pch.build(b, tmp) for b in pch.plan_builds(units))
    return pch.Table(tuple((k, path) for k, path, _ in made if path))


def timing(dbs: list[str], reps: int, with_pch: bool = False) -> None:
    """Header-less parse CPU time per file, recovery on and off, alternating (medians).
    With `with_pch`, recovery on also has the shared PCHs a run would build (planned
    over the database's files), as `sslint check` parses; recovery off, the plain
    parse alone, is the "one parse" the ratio divides by."""
    import statistics

    from sslint.frontend import pch
    from sslint.frontend.parse import parse_file

    learn = recover.Guesses.learn
    off_learn = lambda self, *a: False  # noqa: E731 - only the shim's parse remains
    print("| project | files | recovered files | parse s without recovery | with | ratio "
          "| ratio on recovered files |")
    for db in dbs:
        name = _name(db)
        listing = os.path.join(db, "files.txt")
        wanted = set(open(listing, encoding="utf-8").read().split()) \
            if os.path.exists(listing) else None
        base = rec = base_r = rec_r = 0.0
        n = n_rec = 0
        every = load_compdb(db)
        entries = [c for c in every
                   if wanted is None or os.path.relpath(c.file, c.directory) in wanted]
        table = _pch_table([c.file.replace(*REPLACE, 1) if REPLACE else c.file
                            for c in every]) if with_pch else pch.Table()
        for c in entries:
            t_off, t_on, names = [], [], []
            path = c.file.replace(*REPLACE, 1) if REPLACE else c.file
            with open(path, "rb") as fh:
                raw = fh.read()
            for _ in range(reps):
                for mode, out in ((off_learn, t_off), (learn, t_on)):
                    recover.Guesses.learn = mode
                    pch.install(table if mode is learn else pch.Table())
                    # A run reads each file once: its index is not kept from the last
                    # repetition (those of headers shared by files are, as in a run).
                    recover_text._TEXTS.pop(raw, None)
                    t0 = time.process_time()  # CPU: the machine may be shared
                    parsed = parse_file(path, [])
                    out.append(time.process_time() - t0)
                    if mode is learn:
                        names = parsed.recovered
                    del parsed
            recover.Guesses.learn = learn
            pch.install(pch.Table())
            b, r = statistics.median(t_off), statistics.median(t_on)
            base, rec, n = base + b, rec + r, n + 1
            if names:
                base_r, rec_r, n_rec = base_r + b, rec_r + r, n_rec + 1
        print(f"| {name} | {n} | {n_rec} | {base:.2f} | {rec:.2f} | {rec / base:.2f} "
              f"| {rec_r / base_r if base_r else 0:.2f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dbs", nargs="+")
    ap.add_argument("--json")
    ap.add_argument("--no-recover", action="store_true", help="as before recovery existed")
    ap.add_argument("--rounds", type=int, help="recovery rounds at most (default: recover's)")
    ap.add_argument("--headerless-replace", metavar="FROM=TO",
                    help="header-less runs read each file at its path with FROM replaced by "
                         "TO: a copy of the tree never configured (the build's tree holds "
                         "generated headers a checkout lacks)")
    ap.add_argument("--timing", type=int, metavar="REPS",
                    help="only time header-less parses, recovery on and off, REPS times")
    ap.add_argument("--pch", action="store_true",
                    help="with --timing: recovery on also parses against the shared PCHs "
                         "a run over the database's files would build")
    a = ap.parse_args()
    if a.headerless_replace:
        global REPLACE
        REPLACE = tuple(a.headerless_replace.split("=", 1))
    os.environ["LIBCLANG_NOTHREADS"] = "1"
    if a.rounds:
        recover.MAX_ROUNDS = a.rounds
    if a.timing:
        timing(a.dbs, a.timing, a.pch)
        return
    _instrument()
    if a.no_recover:
        _no_recovery()
    report = {}
    print("| project | files | lifecycle functions | analysed (build) | analysed (header-less) "
          "| of the build's | findings (build) | findings (header-less) | common "
          "| parse s header-less (of which recovery) |")
    for db in a.dbs:
        name = _name(db)
        b, h = run(db, "build"), run(db, "none")
        fb = {tuple(f[:3]) for f in b["findings"]}
        fh = {tuple(f[:3]) for f in h["findings"]}
        report[name] = {"build": b, "none": h}
        print(f"| {name} | {b['files']} | {b['relevant']} / {h['relevant']} | "
              f"{b['relevant'] - b['lost']} | {h['relevant'] - h['lost']} | {_common(b, h)} "
              f"| {len(fb)} | {len(fh)} "
              f"| {len(fb & fh)} | {h['parse']:.2f} ({h['recover']:.2f}, "
              f"{h['recovered_files']} files, {h['rounds']} rounds) |", flush=True)
        for f in sorted(fb - fh):
            print("   only with build:", *f)
        for f in sorted(fh - fb):
            print("   only header-less:", *f)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
