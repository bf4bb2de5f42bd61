"""Shared precompiled headers (sslint.frontend.pch): which preambles qualify, and
results byte-identical with and without them, on the testdata and on mutated
copies of it (parse errors included)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

import pytest
from conftest import ROOT, TESTDATA
from test_fuzz import mutate
from test_jobs import normalised_sarif

from sslint.analysis.unit import Options
from sslint.frontend import pch
from sslint.frontend.parse import clang_args, parse_file
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

SOURCES = sorted(TESTDATA.rglob("*.c"))
JOB = Job(tuple(r.rule.id for r in all_rules()), (), Options())


# ---- the preamble -----------------------------------------------------------------

def test_scan_takes_leading_directives_and_comments():
    src = (b"/* licence\n * #include <not/this.h>\n */\n"
           b"// a comment\r\n"
           b"#include <openssl/ssl.h>  /* why */\r\n"
           b"#  include \"local.h\"\n"
           b"#define X 1 // one\n"
           b"#ifdef X\n#include <stdio.h>\n#endif\n"
           b"int x;\n#include <late.h>\n")
    pre = pch.scan(src)
    assert pre.directives == (b"#include <openssl/ssl.h>", b'#include "local.h"',
                              b"#define X 1", b"#ifdef X", b"#include <stdio.h>", b"#endif")
    assert pre.quoted == (False, True, False, False, False, False)
    assert pre.cuts == (1, 2, 3, 6)  # never inside the #ifdef group
    assert src[pre.ends[-1]:].startswith(b"\nint x;")


@pytest.mark.parametrize("src, taken", [
    (b"#include <a.h>\n#include \\\n  <b.h>\n", 1),           # a line splice
    (b"#include <a.h>\n// note \\\n#include <b.h>\n", 1),      # a comment spliced onwards
    (b"#include <a.h>\n#pragma once\n#include <b.h>\n", 1),
    (b"#include <a.h>\n#include HEADER\n", 1),                # a computed include
    (b"#include <a.h>\n#define L __LINE__\n", 1),
    (b"#include <a.h> /* open\n comment */\n", 0),
    (b"\xef\xbb\xbf#include <a.h>\n", 0),                     # a BOM
    (b"#include <a.h>\n#include <b.h>", 1),                   # no newline: maybe cut
    (b"#if 1\n#include <a.h>\n", 0),                          # an open group
    (b"#include <a.h>\n#define S \"//x\" /* y */\n#include <b.h>\n", 3),
    (b"#include <a.h>\n#define S \"open\n", 1),                # an open literal
])
def test_scan_stops_at_anything_unusual(src, taken):
    pre = pch.scan(src)
    assert (pre.cuts[-1] if pre.cuts else 0) == taken, pre


def test_directives_keep_literals_exactly():
    pre = pch.scan(b"#include <a.h>\n#define  S\t\"a  b /* c */\" /* d */ '  '\n")
    assert pre.directives[1] == b"#define S \"a  b /* c */\" '  '"


def test_blank_keeps_offsets_and_lines():
    src = b"/* c */\r\n#include <a.h>\nint x;\n"
    out = pch.blank(src, src.index(b"\nint"))
    assert len(out) == len(src) and out.count(b"\n") == src.count(b"\n")
    assert out.endswith(b"\nint x;\n") and b"#" not in out and b"\r\n" in out


def test_arguments_that_change_what_comes_first_disable_it():
    assert pch.eligible(clang_args(["-DX=1", "-Iinc"]))
    for bad in (["-include", "x.h"], ["-includex.h"], ["-imacros", "m.h"], ["-x", "c++"],
                ["-xc"]):
        assert not pch.eligible(clang_args(bad)), bad


def test_plan_needs_enough_sharers(tmp_path):
    head = b"#include <stdio.h>\n#include <string.h>\n"
    files = []
    for i, extra in enumerate([b"", b"", b"#include <stdlib.h>\n", b"#include <errno.h>\n"]):
        p = tmp_path / f"f{i}.c"
        p.write_bytes(head + extra + b"int f%d;\n" % i)
        files.append((str(p), tuple(clang_args(()))))
    builds = pch.plan_builds(files, min_share=3)
    assert [b.content for b in builds] == [head]
    assert pch.plan_builds(files[:2], min_share=3) == []


# ---- identical results ------------------------------------------------------------

def _key(res):
    return (res.path, res.analyzed, res.parse_errors, res.findings, res.notifications)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The testdata plus seeded mutations of it, all in one folder."""
    folder = tmp_path_factory.mktemp("pch-corpus")
    rng = random.Random(7)
    paths = []
    for src in SOURCES:
        data = src.read_bytes()
        for i in range(4):
            out = folder / f"{src.stem}_{i}.c"
            out.write_bytes(data if i == 0 else mutate(rng, data)[0])
            paths.append(str(out))
    return paths


@pytest.mark.slow
def test_results_identical_with_and_without_pch(corpus, tmp_path):
    before = pch.active()
    try:
        pch.install(pch.Table())
        plain = [run_unit(JOB, Unit(p, p, ())) for p in corpus]
        builds = pch.plan_builds([(p, tuple(clang_args(()))) for p in corpus], min_share=2)
        table = tuple((k, path) for k, path, _ in (pch.build(b, str(tmp_path)) for b in builds)
                      if path)
        assert table, "the testdata shares #include blocks"
        pch.install(pch.Table(table))
        used = sum(1 for p in corpus if pch.active().plan(p, clang_args(())) is not None)
        assert used >= len(corpus) // 2
        shared = [run_unit(JOB, Unit(p, p, ())) for p in corpus]
    finally:
        pch.install(before)
    for a, b in zip(plain, shared, strict=True):
        assert _key(a) == _key(b), a.path
    assert sum(len(r.findings) for r in plain) > 20
    assert any(r.parse_errors for r in plain), "the mutations cause parse errors"


@pytest.mark.slow
def test_changed_header_falls_back_to_a_plain_parse(tmp_path):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "hdr.h").write_text("int from_hdr(int);\n")
    args = [f"-I{inc}"]
    units = []
    for i in range(3):
        p = tmp_path / f"f{i}.c"
        p.write_text("#include <hdr.h>\nint g(void) { return from_hdr(1); }\n")
        units.append((str(p), tuple(clang_args(args))))
    before = pch.active()
    try:
        [b] = pch.plan_builds(units)
        key, path, _ = pch.build(b, str(tmp_path))
        pch.install(pch.Table(((key, path),)))
        assert pch.active().plan(units[0][0], clang_args(args)) is not None
        time.sleep(1.1)  # a new mtime as well as a new size
        (inc / "hdr.h").write_text("int from_hdr(int, int);\n")
        errs = parse_file(units[0][0], args).errors
    finally:
        pch.install(before)
    expected = "too few arguments to function call, expected 2, have 1"
    assert [e.message for e in errs] == [expected]


@pytest.mark.slow
def test_cli_output_identical_with_and_without_pch(tmp_path):
    # One hash seed for both runs: this compares the PCH, not set iteration order
    # (tests/test_jobs.py varies the seed on purpose).
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", TMPDIR=str(tmp_path),
               PYTHONHASHSEED="0")
    outs = []
    for flag in ("--pch", "--no-pch"):
        r = subprocess.run([sys.executable, "-m", "sslint", "check", "testdata", flag,
                            "--jobs", "2", "--format", "sarif"], cwd=ROOT, env=env,
                           capture_output=True, check=False, text=True, timeout=300)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        outs.append((normalised_sarif(r.stdout), r.stderr))
    assert outs[0] == outs[1]
    assert json.loads(outs[0][0])["runs"][0]["results"]
    assert list(tmp_path.iterdir()) == [], "the PCH directory is removed after the run"


# ---- without the build: PCHs whose headers have errors ------------------------------

_CORE_H = b"""#ifndef PROJ_CORE_H
#define PROJ_CORE_H
#include <proj/auto_config.h>  /* the build generates it: missing here */
#include <openssl/ssl.h>
typedef struct proj_conn { SSL *ssl; proj_flag_t flags; int fd; } proj_conn_t;
int proj_log(const char *fmt, ...);
#endif
"""
_HEAD = b"#include <proj/core.h>\n#include <string.h>\n\n"
_BODIES = {
    "a.c": b"int a_open(SSL_CTX *ctx)\n{\n    SSL *s = SSL_new(ctx);\n"
           b"    if (s == NULL)\n        return -1;\n    proj_log(\"up\");\n    return 0;\n}\n",
    # PROJ_OK is in the missing header: recovery declares it
    "b.c": b"int b_close(proj_conn_t *c)\n{\n    SSL_free(c->ssl);\n    SSL_free(c->ssl);\n"
           b"    return PROJ_OK;\n}\n",
    "c.c": b"void c_close(proj_conn_t *c)\n{\n    SSL_free(c->ssl);\n    c->ssl = NULL;\n}\n",
}


def _headerless_tree(tmp_path):
    root = tmp_path / "proj"
    (root / "include" / "proj").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "LICENSE").write_text("a project root\n")
    (root / "include" / "proj" / "core.h").write_bytes(_CORE_H)
    for name, body in _BODIES.items():
        (root / "src" / name).write_bytes(_HEAD + body)
    return root


@pytest.mark.slow
def test_headerless_files_share_a_pch_whose_headers_have_errors(tmp_path):
    from sslint.frontend.parse import read_guesses, with_guesses

    root = _headerless_tree(tmp_path)
    files = sorted(str(p) for p in (root / "src").glob("*.c"))
    firsts = [with_guesses([], read_guesses(f, [])) for f in files]
    assert all(f"-I{root / 'include'}" in a for a in firsts), firsts
    [b] = pch.plan_builds([(f, tuple(clang_args(a))) for f, a in zip(files, firsts, strict=True)])
    (tmp_path / "pch").mkdir()
    _, made, _ = pch.build(b, str(tmp_path / "pch"))
    assert made is not None, "a header's missing include does not prevent the PCH"
    kept = [e.message for e in pch.errors_of(made)]
    assert "'proj/auto_config.h' file not found" in kept
    assert "unknown type name 'proj_flag_t'" in kept
    before = pch.active()
    try:
        pch.install(pch.Table())
        plain = [run_unit(JOB, Unit(f, f, ())) for f in files]
        pch.install(pch.Table(((b.key, made),)))
        assert all(pch.active().plan(f, clang_args(a)) for f, a in zip(files, firsts, strict=True))
        shared = [run_unit(JOB, Unit(f, f, ())) for f in files]
    finally:
        pch.install(before)
    for x, y in zip(plain, shared, strict=True):
        assert _key(x) == _key(y), x.path
    rules = [sorted(f.rule_id for f in r.findings) for r in plain]
    assert rules[0] == ["SSL103"] and rules[1] and not rules[2], rules
    assert all(r.parse_errors >= 1 for r in plain)  # the header's errors, either way
    assert any(n.code == "recovered-names" for n in plain[1].notifications)


@pytest.mark.slow
def test_headerless_cli_output_identical_with_and_without_pch(tmp_path):
    root = _headerless_tree(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", PYTHONHASHSEED="0")
    env.pop("SSLINT_NO_CACHE", None)  # conftest's: this test reads the kept PCHs
    outs = []
    for flag in ("--pch", "--no-pch"):
        r = subprocess.run([sys.executable, "-m", "sslint", "check", "src", flag,
                            "--no-find-build", "--cache-dir", str(tmp_path / flag),
                            "--jobs", "2", "--format", "json"], cwd=root, env=env,
                           capture_output=True, check=False, text=True, timeout=300)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        outs.append((r.stdout, r.stderr))
    assert outs[0] == outs[1]
    assert len(json.loads(outs[0][0])["findings"]) >= 2
    # The run planned its PCH with the folders guessed for the files (the workers
    # guess before the plan): built with -I include/, it found proj/core.h and kept
    # the error of the header core.h lacks.
    kept = [p.read_text() for p in (tmp_path / "--pch").rglob("*.pch.errs")]
    assert any("proj/auto_config.h" in k for k in kept), kept
    assert not list((tmp_path / "--no-pch").rglob("*.pch"))


def test_a_missing_header_the_directives_name_is_placed_in_each_file(tmp_path):
    """`#include "config.h"` of a checkout that lacks it: the PCH is built, and each
    file reports the error at its own line and column, as a plain parse does."""
    heads = [b'#include "gen_config.h"\n#include <stdio.h>\n',
             b'#include "gen_config.h"\n#include <stdio.h>\n',
             b'/* licence */\n\n#  include   "gen_config.h"  /* made by configure */\n'
             b'#include <stdio.h>\n']
    files = []
    for i, head in enumerate(heads):
        p = tmp_path / f"f{i}.c"
        p.write_bytes(head + b"int f%d(void) { return 0; }\n" % i)
        files.append(str(p))
    before = pch.active()
    try:
        pch.install(pch.Table())
        plain = [parse_file(f, []).errors for f in files]
        [b] = pch.plan_builds([(f, tuple(clang_args(()))) for f in files])
        (tmp_path / "pch").mkdir()
        key, made, _ = pch.build(b, str(tmp_path / "pch"))
        assert made is not None
        pch.install(pch.Table(((key, made),)))
        assert all(pch.active().plan(f, clang_args(())) for f in files)
        shared = [parse_file(f, []).errors for f in files]
    finally:
        pch.install(before)
    assert shared == plain
    assert [(e.line, e.col) for e in plain[2]] == [(3, 14)]


def test_a_shorter_prefix_twice_as_popular_wins(tmp_path):
    """Three files share a long prefix, nine a short one: one PCH for the nine."""
    short = b"#include <stdio.h>\n"
    long_ = short + b"#include <string.h>\n"
    units = []
    for i in range(9):
        p = tmp_path / f"g{i}.c"
        p.write_bytes((long_ if i < 3 else short) + b"int x;\n")
        units.append((str(p), tuple(clang_args(()))))
    assert [b.content for b in pch.plan_builds(units)] == [short]
    assert [b.content for b in pch.plan_builds(units[:5])] == [long_]


def test_a_recovery_round_uses_the_pch_when_its_guesses_are_not_the_headers(
        tmp_path, monkeypatch):
    """PROJ_DONE comes from the missing generated header and no header names it:
    the round that declares it is parsed against the PCH (its prelude after the
    headers is then the same parse), with the same result as a plain one."""
    from sslint.frontend import pch_parse

    root = tmp_path / "proj"
    (root / "include" / "proj").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "LICENSE").write_text("a project root\n")
    (root / "include" / "proj" / "core.h").write_bytes(
        b"#ifndef CORE_H\n#define CORE_H\n#include <proj/auto_config.h>\n"
        b"#include <openssl/ssl.h>\ntypedef struct proj_conn { SSL *ssl; } proj_conn_t;\n"
        b"#endif\n")
    files = []
    for i in range(3):
        p = root / "src" / f"m{i}.c"
        p.write_bytes(b"#include <proj/core.h>\n\nint m%d(proj_conn_t *c)\n{\n"
                      b"    SSL_free(c->ssl);\n    SSL_free(c->ssl);\n"
                      b"    return PROJ_DONE;\n}\n" % i)
        files.append(str(p))
    from sslint.frontend.parse import read_guesses, with_guesses
    firsts = [with_guesses([], read_guesses(f, [])) for f in files]
    [b] = pch.plan_builds([(f, tuple(clang_args(a))) for f, a in zip(files, firsts, strict=True)])
    (tmp_path / "pch").mkdir()
    key, made, _ = pch.build(b, str(tmp_path / "pch"))
    assert made is not None
    used = []
    real = pch_parse.with_prelude

    def counted(*a, **k):
        got = real(*a, **k)
        used.append(got is not None)
        return got

    monkeypatch.setattr(pch_parse, "with_prelude", counted)
    before = pch.active()
    try:
        pch.install(pch.Table())
        plain = [run_unit(JOB, Unit(f, f, ())) for f in files]
        assert used == []
        pch.install(pch.Table(((key, made),)))
        shared = [run_unit(JOB, Unit(f, f, ())) for f in files]
    finally:
        pch.install(before)
    assert used and all(used), used
    for x, y in zip(plain, shared, strict=True):
        assert _key(x) == _key(y), x.path
    assert all([f.rule_id for f in r.findings] == ["SSL101"] for r in plain)
    assert all("PROJ_DONE" in n.message for r in plain for n in r.notifications
               if n.code == "recovered-names")
