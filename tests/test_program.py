"""Whole-program testdata: each folder of testdata/program/ is analysed in one run, and
every file's findings must match its inline expectations; without the whole-program
pass, the findings that need another file's summaries must be gone."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TESTDATA
from expectations import compare, parse_expectations

from sslint.session.pipeline import Request, run

PROGRAMS = sorted(p for p in (TESTDATA / "program").iterdir() if p.is_dir())


def _found(folder, whole_program: bool) -> dict[str, set[tuple[int, str]]]:
    report = run(Request(paths=(str(folder),), isolated=True, jobs=1, root=str(folder),
                         whole_program=whole_program))
    by_file: dict[str, set[tuple[int, str]]] = {}
    for r in report.results:
        assert r.analyzed, [n.message for n in r.notifications]
        for f in r.findings:
            by_file.setdefault(Path(f.loc.file).name, set()).add((f.loc.line, f.rule_id))
    return by_file


def test_there_are_programs():
    assert len(PROGRAMS) >= 2


@pytest.mark.parametrize("folder", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_program_expectations(folder):
    found = _found(folder, True)
    problems = []
    for path in sorted(folder.glob("*.c")):
        exp = parse_expectations(path.read_text(encoding="utf-8"))
        problems += [f"{path.name}: {p}" for p in compare(found.get(path.name, set()), exp)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("folder", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_cross_file_findings_need_the_whole_program(folder):
    alone = _found(folder, False)
    together = _found(folder, True)
    assert set().union(*alone.values()) < set().union(*together.values())
