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


def test_summaries_command_prints_entries_that_read_back(tmp_path):
    """`sslint summaries` prints [api] tables a user can paste into sslint.toml: they
    parse, and name the field effect the cross-file findings come from."""
    import tomllib

    from click.testing import CliRunner

    from sslint.model.api import parse_table
    from sslint.shell.cli import cli

    folder = TESTDATA / "program" / "conn_fields"
    out = CliRunner().invoke(cli, ["summaries", str(folder), "--isolated", "-j", "1"])
    assert out.exit_code == 0, out.output
    api = tomllib.loads(out.output)["api"]
    assert api["conn_fail"]["fields"] == ["0->ssl:release:SSL"]
    assert api["conn_close"]["fields"] == ["0->ssl:release-clear:SSL"]
    assert "conn_maybe_drop" in api and api["conn_maybe_drop"]["fields"] == ["0->ssl:forget:SSL"]
    parse_table(api, "summaries")  # every entry is valid table data

    out = CliRunner().invoke(cli, ["summaries", str(folder), "--isolated", "-j", "1",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    import json
    data = json.loads(out.output)
    fail = next(s for s in data["summaries"] if s["function"] == "conn_fail")
    assert fail["linkage"] == "external"
    assert fail["fields"][0]["released_at"].endswith("conn.c:7")


def test_a_user_entry_with_field_effects_gives_the_cross_file_finding(tmp_path):
    """The same effect written by hand (the callee's body is not available) in
    sslint.toml gives the same finding."""
    (tmp_path / "sslint.toml").write_text(
        '[api.conn_fail]\nargs = ["escape"]\nfields = ["0->ssl:release:SSL"]\n')
    src = tmp_path / "use.c"
    src.write_text('#include <openssl/ssl.h>\nstruct conn { SSL *ssl; };\n'
                   'void conn_fail(struct conn *c);\n'
                   'void f(struct conn *c) { conn_fail(c); SSL_free(c->ssl); }\n')
    report = run(Request(paths=(str(src),), jobs=1, root=str(tmp_path)))
    assert [(f.rule_id, f.loc.line) for f in report.findings()] == [("SSL101", 4)]


def _copy_program(tmp_path):
    import os
    import shutil
    src = tmp_path / "src"
    shutil.copytree(TESTDATA / "program" / "conn_fields", src)
    for p in src.iterdir():  # older than the results cache's "too new" window
        os.utime(p, (1_600_000_000, 1_600_000_000))
    return src


def _one_file(src, cache, **settings):
    report = run(Request(paths=(str(src / "server.c"),), isolated=True, jobs=1,
                         root=str(src), use_cache=True, cache_dir=str(cache), **settings))
    return {(f.loc.line, f.rule_id) for f in report.findings()}


def test_one_file_against_a_warm_cache_gets_the_cross_file_findings(tmp_path):
    """A pre-commit run on server.c alone still knows conn.c's conn_fail() from the
    last whole run (the summaries in the cache folder); without the cache it cannot."""
    src, cache = _copy_program(tmp_path), tmp_path / "cache"
    assert _one_file(src, cache) == set()  # cold: nothing known of conn.c
    run(Request(paths=(str(src),), isolated=True, jobs=1, root=str(src), use_cache=True,
                cache_dir=str(cache)))
    warm = _one_file(src, cache)
    assert {(8, "SSL101"), (27, "SSL102"), (41, "SSL101")} <= warm
    assert _one_file(src, tmp_path / "other-cache") == set()


def test_a_changed_file_no_longer_lends_its_old_summaries(tmp_path):
    src, cache = _copy_program(tmp_path), tmp_path / "cache"
    run(Request(paths=(str(src),), isolated=True, jobs=1, root=str(src), use_cache=True,
                cache_dir=str(cache)))
    conn = src / "conn.c"
    conn.write_text(conn.read_text().replace(
        "    SSL_free(c->ssl);   /* the pointer is left as it was */",
        "    SSL_free(c->ssl);\n    c->ssl = NULL;"))
    assert (8, "SSL101") not in _one_file(src, cache)


def test_the_program_level_check_needs_the_whole_program():
    """SSL104 asks whether any function of the program releases a field: a file named
    alone (another file may release it) gets no such finding."""
    folder = TESTDATA / "program" / "field_leaks"
    alone = run(Request(paths=(str(folder / "resume.c"),), isolated=True, jobs=1,
                        root=str(folder)))
    assert not [f for f in alone.findings() if f.rule_id == "SSL104"]
    whole = run(Request(paths=(str(folder),), isolated=True, jobs=1, root=str(folder)))
    assert [(Path(f.loc.file).name, f.loc.line) for f in whole.findings()
            if f.rule_id == "SSL104"] == [("resume.c", 6)]


def test_files_named_one_by_one_are_not_a_whole_program():
    folder = TESTDATA / "program" / "field_leaks"
    files = tuple(str(p) for p in sorted(folder.glob("*.c")))
    named = run(Request(paths=files, isolated=True, jobs=1, root=str(folder)))
    assert not [f for f in named.findings() if f.rule_id == "SSL104"]


def test_a_file_named_after_a_run_over_its_compile_database_comes_from_the_cache(
        tmp_path, monkeypatch):
    """`sslint check -p build src/x.c` (a pre-commit hook) after `sslint check -p
    build`: the file is the database's unit, so its result (and the cross-file
    findings it had) come from the cache, not from another analysis."""
    import json

    from sslint.workers.runner import Runner

    src, cache = _copy_program(tmp_path), tmp_path / "cache"
    db = tmp_path / "build"
    db.mkdir()
    (db / "compile_commands.json").write_text(json.dumps([
        {"directory": str(src), "file": name, "arguments": ["cc", "-c", name]}
        for name in ("conn.c", "server.c")]))
    analysed: list[str] = []
    real = Runner.run

    def spy(self, jobs, units, progress=None, ir=None):
        analysed.extend(Path(u.display).name for u in units)
        return real(self, jobs, units, progress, ir)

    monkeypatch.setattr(Runner, "run", spy)
    settings = dict(isolated=True, jobs=1, root=str(src), use_cache=True,
                    cache_dir=str(cache), compdb=str(db), use_pch=False)
    whole = run(Request(**settings))
    assert analysed == ["conn.c", "server.c"]
    monkeypatch.chdir(src)
    analysed.clear()
    one = run(Request(paths=("server.c",), **settings))
    assert analysed == []
    text = lambda rep: sorted((Path(f.loc.file).name, f.loc.line, f.rule_id)  # noqa: E731
                              for f in rep.findings())
    assert text(one) == [t for t in text(whole) if t[0] == "server.c"]
    assert (("server.c", 8, "SSL101")) in text(one)


def test_a_store_ret_effect_reads_back():
    """`store-ret` (the callee stores the new handle in the struct and returns it)
    is table data like the other effects: it spells, parses and makes a lifecycle
    function."""
    from sslint.model.api import FieldEffect, is_lifecycle, parse_table

    fx = FieldEffect.parse("0->tls:store-ret:SSL@nz")
    assert (fx.arg, fx.path, fx.op, fx.kind, fx.when) == (0, "tls", "store-ret", "SSL", "nz")
    assert FieldEffect.parse(fx.spell()) == fx
    spec = parse_table({"session_new": {"args": ["escape"], "fields": [fx.spell()]}},
                       "test")["session_new"]
    assert is_lifecycle(spec)
