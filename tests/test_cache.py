"""The cache folder (sslint.session.cache) and the results cache on top of it
(sslint.session.results): a warm run gives the very same output without parsing,
and a change to a file or to a header it includes brings its analysis back."""
from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT, TESTDATA

from sslint.output import FORMATTERS
from sslint.session import cache as cache_module
from sslint.workers.runner import Runner
from sslint.session.cache import Cache
from sslint.session.pipeline import Request, run

OLD = time.time() - 60  # files the results cache may store (not modified "just now")


@pytest.fixture(autouse=True)
def _own_user_key(tmp_path, monkeypatch):
    """Signed entries use a key in the user's cache folder: a private one per test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.setattr(cache_module, "_user_key", None)


# ---- the folder ---------------------------------------------------------------------

def test_bytes_and_pickles_round_trip_per_namespace(tmp_path):
    c = Cache(str(tmp_path / "c"))
    assert c.get("a", "k") is None
    assert c.put("a", "k", b"one") and c.put("b", "k", b"two")
    assert c.get("a", "k") == b"one" and c.get("b", "k") == b"two"
    assert c.put_pickle("a", "obj", {"x": (1, 2)})
    assert c.get_pickle("a", "obj") == {"x": (1, 2)}
    assert (tmp_path / "c" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (tmp_path / "c" / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f59")
    # No temporary file is left behind by the atomic writes.
    assert not [p for p in (tmp_path / "c").rglob(".tmp-*")]


def test_corrupt_or_foreign_entries_are_misses(tmp_path):
    c = Cache(str(tmp_path / "c"))
    c.put_pickle("ns", "k", [1, 2, 3])
    path = c.path("ns", "k")
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-3])  # truncated
    assert c.get_pickle("ns", "k") is None
    open(path, "wb").write(b"garbage")
    assert c.get_pickle("ns", "k") is None
    # A pickle someone else planted (a committed cache folder): never loaded.
    open(path, "wb").write(b"\0" * 32 + pickle.dumps([1, 2, 3]))
    assert c.get_pickle("ns", "k") is None
    # Signed by another user's key: a miss too.
    c.put_pickle("ns", "k", "mine")
    cache_module._user_key = os.urandom(32)
    assert c.get_pickle("ns", "k") is None


def test_an_unusable_folder_is_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    c = Cache(str(blocker / "cache"))
    assert not c.put("ns", "k", b"x") and c.get("ns", "k") is None
    off = Cache(None)
    assert not off.enabled and not off.put("ns", "k", b"x") and off.get("ns", "k") is None


# ---- the results cache ------------------------------------------------------------------

HEADER = "#include <openssl/ssl.h>\n#define DONE(s) SSL_free(s)\n"
USER = """#include "common.h"
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    DONE(s);
}
"""
OTHER = """#include <openssl/ssl.h>
void g(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return;
}
"""


def _project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "common.h").write_text(HEADER)
    (src / "a.c").write_text(USER)
    (src / "b.c").write_text(USER.replace("void f", "void h"))
    (src / "c.c").write_text(OTHER)
    for p in src.iterdir():
        os.utime(p, (OLD, OLD))
    return src


def _run(src, cache_dir, monkeypatch, **settings):
    """One run; returns (report, the displays of the units that were analysed)."""
    analysed: list[str] = []
    real = Runner.run

    def spy(self, jobs, units, progress=None, ir=None):
        analysed.extend(u.display for u in units)
        return real(self, jobs, units, progress, ir)

    monkeypatch.setattr(Runner, "run", spy)
    settings = {"use_pch": False, **settings}
    req = Request(paths=(str(src),), jobs=1, use_cache=True, cache_dir=str(cache_dir),
                  root=str(src), isolated=True, **settings)
    return run(req), sorted(os.path.basename(d) for d in analysed)


def _sarif(report) -> dict:
    log = json.loads(FORMATTERS["sarif"](report, False))
    for r in log["runs"]:
        for inv in r.get("invocations", []):
            inv.pop("startTimeUtc", None)
            inv.pop("endTimeUtc", None)
    return log


def test_a_warm_run_analyses_nothing_and_reports_the_same(tmp_path, monkeypatch):
    src = _project(tmp_path)
    cold, analysed = _run(src, tmp_path / "cache", monkeypatch)
    assert analysed == ["a.c", "b.c", "c.c"]
    assert {f.rule_id for f in cold.findings()} == {"SSL101", "SSL103"}
    warm, analysed = _run(src, tmp_path / "cache", monkeypatch)
    assert analysed == []
    assert _sarif(warm) == _sarif(cold)
    assert FORMATTERS["json"](warm, False) == FORMATTERS["json"](cold, False)


def test_a_warm_run_writes_nothing(tmp_path, monkeypatch):
    """Nothing changed, nothing to store: the summaries index, the results and the
    scans stay as the cold run wrote them (a hook's run costs no disk writes)."""
    src = _project(tmp_path)
    _run(src, tmp_path / "cache", monkeypatch)

    def files():
        return {p: (p.stat().st_mtime_ns, p.stat().st_size)
                for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    before = files()
    assert any("summaries" in str(p) for p in before)
    for p in before:  # a rewrite, even of the same bytes, would change the time
        os.utime(p, ns=(int(OLD * 1e9), int(OLD * 1e9)))
    before = files()
    _run(src, tmp_path / "cache", monkeypatch)
    assert files() == before


def test_a_header_change_invalidates_every_file_that_includes_it(tmp_path, monkeypatch):
    src = _project(tmp_path)
    cold, _ = _run(src, tmp_path / "cache", monkeypatch)
    assert sum(f.rule_id == "SSL101" for f in cold.findings()) == 2  # DONE() frees again
    (src / "common.h").write_text(HEADER.replace("SSL_free(s)", "(void)(s)"))
    os.utime(src / "common.h", (OLD + 5, OLD + 5))
    after, analysed = _run(src, tmp_path / "cache", monkeypatch)
    assert analysed == ["a.c", "b.c"]  # c.c does not include it
    assert not any(f.rule_id == "SSL101" for f in after.findings())
    # And the same as without any cache.
    fresh, _ = _run(src, tmp_path / "other-cache", monkeypatch)
    assert _sarif(after) == _sarif(fresh)


def test_a_changed_file_or_setting_is_analysed_again(tmp_path, monkeypatch):
    src = _project(tmp_path)
    _run(src, tmp_path / "cache", monkeypatch)
    (src / "c.c").write_text(OTHER + "\n")
    os.utime(src / "c.c", (OLD, OLD))  # same mtime: the content decides
    _, analysed = _run(src, tmp_path / "cache", monkeypatch)
    assert analysed == ["c.c"]
    _, analysed = _run(src, tmp_path / "cache", monkeypatch, max_steps=1000)
    assert analysed == ["a.c", "b.c", "c.c"]
    # The PCH switch never changes a result: it shares the entries.
    _, analysed = _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    assert analysed == []


def test_a_file_modified_just_now_is_not_stored(tmp_path, monkeypatch):
    src = _project(tmp_path)
    os.utime(src / "c.c")  # now: it may be changing while the run reads it
    _run(src, tmp_path / "cache", monkeypatch)
    _, analysed = _run(src, tmp_path / "cache", monkeypatch)
    assert analysed == ["c.c"]


def test_config_cache_dir_and_default_folder(tmp_path, monkeypatch):
    src = _project(tmp_path)
    (tmp_path / "sslint.toml").write_text('cache-dir = "build/sslint-cache"\n')
    monkeypatch.chdir(tmp_path)
    req = Request(paths=(str(src),), jobs=1, use_pch=False, use_cache=True)
    run(req)
    assert (tmp_path / "build" / "sslint-cache" / ".gitignore").is_file()
    (tmp_path / "sslint.toml").write_text("")
    run(req)  # no setting: next to the config file
    assert (tmp_path / ".sslint_cache" / ".gitignore").is_file()


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(Request(paths=(str(TESTDATA / "basic" / "straight_line.c"),), jobs=1, use_pch=False,
                use_cache=False))
    assert not (tmp_path / ".sslint_cache").exists()


def test_a_header_inside_a_shared_pch_invalidates_its_users(tmp_path, monkeypatch):
    """Units parsed against a PCH do not list its headers themselves; the PCH's own
    list (written when it is built) must stand in for them."""
    src = _project(tmp_path)
    (src / "c.c").write_text(USER.replace("void f", "void k"))
    os.utime(src / "c.c", (OLD, OLD))
    _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    (src / "common.h").write_text(HEADER.replace("SSL_free(s)", "(void)(s)"))
    os.utime(src / "common.h", (OLD + 5, OLD + 5))
    after, analysed = _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    assert analysed == ["a.c", "b.c", "c.c"]
    assert not any(f.rule_id == "SSL101" for f in after.findings())


def test_pchs_are_kept_across_runs_until_a_header_changes(tmp_path, monkeypatch):
    src = _project(tmp_path)
    (src / "c.c").write_text(USER.replace("void f", "void k"))
    os.utime(src / "c.c", (OLD, OLD))
    _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    pchs = list((tmp_path / "cache").rglob("*.pch"))
    assert len(pchs) == 1
    first = pchs[0].stat().st_mtime_ns
    shutil.rmtree(tmp_path / "cache" / "v1" / "results")  # parse again, with the kept PCH
    _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    assert pchs[0].stat().st_mtime_ns == first  # reused, not rebuilt
    (src / "common.h").write_text(HEADER + "/* changed */\n")
    os.utime(src / "common.h", (OLD + 5, OLD + 5))
    report, analysed = _run(src, tmp_path / "cache", monkeypatch, use_pch=True)
    assert analysed == ["a.c", "b.c", "c.c"]
    assert pchs[0].stat().st_mtime_ns != first  # rebuilt for the new header
    fresh, _ = _run(src, tmp_path / "other", monkeypatch)
    assert _sarif(report) == _sarif(fresh)


def test_settings_keys_do_not_follow_the_hash_seed(tmp_path):
    """Config [api] entries hold frozensets (marks): their repr() order changes with
    PYTHONHASHSEED, so a key built from it would never hit in the next run."""
    code = ("from sslint.model.api import parse_table\n"
            "from sslint.session.results import canonical\n"
            "t = parse_table({'my_free': {'args': ['release'], 'marks': "
            "['m1', 'm2', 'm3', 'm4', 'm5', 'm6']}}, 'api')\n"
            "print(canonical(t))\n")
    outs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env=dict(os.environ, PYTHONHASHSEED=seed,
                                                   PYTHONPATH=str(ROOT)))
        outs.add(done.stdout)
    assert len(outs) == 1


def test_the_builtin_model_is_kept_and_used_again(tmp_path, monkeypatch):
    from sslint.model import api
    from sslint.session.results import load_builtin_model

    cache = Cache(str(tmp_path / "c"))
    built = api.builtin_snapshot()
    monkeypatch.setattr(api, "_BUILT", None)
    load_builtin_model(cache)  # a miss: built and stored
    assert os.listdir(os.path.join(cache.root, "v1", "model"))
    monkeypatch.setattr(api, "_BUILT", None)
    monkeypatch.setattr(api, "_build", lambda: pytest.fail("built again, not loaded"))
    load_builtin_model(cache)
    loaded = api.builtin_snapshot()
    assert loaded[2] == built[2] and loaded[3:] == built[3:]
    assert api.ApiModel().table == dict(built[2])
    # A process that has the model keeps it (a language server's next run; a test
    # that changed the tables): nothing is read.
    monkeypatch.setattr(Cache, "get_pickle", lambda *a: pytest.fail("read again"))
    load_builtin_model(cache)


def test_without_a_project_cache_the_user_folder_keeps_the_model(tmp_path, monkeypatch):
    """--no-cache: the model depends on sslint's files alone, so the user's own folder
    keeps it (at most MODELS_KEPT of them, for other versions or checkouts)."""
    from sslint.model import api
    from sslint.session import results

    built = api.builtin_snapshot()
    folder = tmp_path / "home-cache" / "sslint" / "v1" / "model"
    folder.mkdir(parents=True)
    for i in range(results.MODELS_KEPT + 2):  # models of older checkouts
        (folder / f"old{i}").write_bytes(b"x")
        os.utime(folder / f"old{i}", (OLD + i, OLD + i))
    monkeypatch.setattr(api, "_BUILT", None)
    results.load_builtin_model(Cache(None))
    kept = sorted(os.listdir(folder))
    assert len(kept) == results.MODELS_KEPT
    assert "old0" not in kept and f"old{results.MODELS_KEPT + 1}" in kept
    monkeypatch.setattr(api, "_BUILT", None)
    monkeypatch.setattr(api, "_build", lambda: pytest.fail("built again, not loaded"))
    results.load_builtin_model(Cache(None))
    assert api.builtin_snapshot()[2] == built[2]
