"""The whole-program pass keeps a unit's parse and IR for the rounds that analyse it
again (sslint.analysis.snapshot): reusing them gives the result a fresh parse gives,
without parsing; a snapshot that no longer holds falls back to parsing."""
from __future__ import annotations

import dataclasses
import pickle

import pytest
from conftest import TESTDATA

from sslint.analysis import unit
from sslint.analysis.options import Options
from sslint.core.rule import all_rules
from sslint.session import program
from sslint.workers import runner
from sslint.workers.runner import Job, Runner, Unit

JOB = Job(tuple(r.rule.id for r in all_rules()), (), Options())
FILES = [p for folder in ("rules", "engine", "noheaders")
         for p in sorted((TESTDATA / folder).glob("*.c"))]


def _view(res):
    return ([repr(f) for f in res.findings],
            [repr(n) for n in res.notifications], [repr(s) for s in res.summaries],
            res.calls, res.analysed_calls, res.field_handled, res.field_stores, res.inputs)


def _kept(path):
    rules, model, opts = runner._setup(JOB)
    first = unit.analyze_file(str(path), str(path), [], rules, model, opts, frozenset())
    assert first.snapshot is not None
    # As the worker sends it to the parent and the parent to the next worker.
    return first, pickle.loads(pickle.dumps(first.snapshot))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_reusing_the_snapshot_gives_the_same_result_without_parsing(path, monkeypatch):
    first, kept = _kept(path)

    def no_parse(*_a, **_k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(unit, "parse_file", no_parse)
    rules, model, opts = runner._setup(JOB)
    again = unit.analyze_file(str(path), str(path), [], rules, model, opts, None, kept)
    assert again.parse_seconds == 0.0
    assert _view(again) == _view(first)


def test_a_function_the_snapshot_did_not_lower_is_parsed_again():
    """A body the first analysis did not lower (a later round found it worth
    analysing): the snapshot cannot stand for it, so the unit is parsed again."""
    path = TESTDATA / "rules" / "ssl401_unchecked_null.c"
    first, kept = _kept(path)
    fns = [dataclasses.replace(f, lowered=None) for f in kept.functions]
    assert any(f.lowered is not None for f in kept.functions)
    stale = dataclasses.replace(kept, functions=fns)
    rules, model, opts = runner._setup(JOB)
    again = unit.analyze_file(str(path), str(path), [], rules, model, opts, None, stale)
    assert again.parse_seconds > 0.0
    assert _view(again) == _view(first)


def test_units_that_call_each_other_go_again_without_a_second_parse():
    folder = TESTDATA / "program" / "mutual"
    units = [Unit(str(p), str(p), ()) for p in sorted(folder.glob("*.c"))]
    with Runner(JOB, units, 1) as r:
        run = program.analyse(r, JOB, units)
        assert not r.kept  # dropped once the pass is over
    assert run.reanalysed >= 1 and run.reparsed == 0
    found = {(f.loc.file.rsplit("/", 1)[-1], f.loc.line, f.rule_id)
             for res in run.results for f in res.findings}
    assert ("log.c", 13, "SSL102") in found
    # The snapshot never reaches a result (the cache, the output).
    assert all(res.snapshot is None for res in run.results)


def test_the_snapshot_lowers_bodies_reaching_a_wanted_name(tmp_path):
    """A later round may find a body worth analysing once `helper` (another unit's)
    has a summary: bodies calling it through a macro, and this file's callers of
    those, are lowered for the snapshot; a body that reaches it by no path is not."""
    src = tmp_path / "reach.c"
    src.write_text(
        "void helper(void *p);\n"
        "#define CALL_HELPER(p) helper(p)\n"
        "static void via_macro(void *p) { CALL_HELPER(p); }\n"
        "void caller(void *p) { via_macro(p); }\n"
        "int unrelated(int x) { return x + 1; }\n")
    rules, model, opts = runner._setup(JOB)
    res = unit.analyze_file(str(src), str(src), [], rules, model, opts,
                            frozenset({"helper"}))
    lowered = {f.name: f.lowered is not None for f in res.snapshot.functions}
    assert lowered == {"via_macro": True, "caller": True, "unrelated": False}
