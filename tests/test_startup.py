"""Start-up: the command line imports neither the engine nor libclang nor sarif_om
until it needs them, and a run whose results all come from the cache never loads
libclang (a fresh interpreter each, so that other tests' imports do not count)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT

HEAVY = ("clang.cindex", "sslint.engine.worklist", "sslint.analysis.unit", "sarif_om")


def _modules_after(code: str, env: dict | None = None) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.slow
def test_the_command_line_imports_no_analysis():
    loaded = _modules_after("import sslint.shell.cli")
    assert not loaded & set(HEAVY)


@pytest.mark.slow
def test_a_warm_run_does_not_load_libclang(tmp_path):
    src = tmp_path / "a.c"
    src.write_text("#include <openssl/ssl.h>\nvoid f(SSL_CTX *c) { SSL *s = SSL_new(c); "
                   "SSL_free(s); SSL_free(s); }\n")
    old = time.time() - 60
    os.utime(src, (old, old))
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    run = ("from sslint.session.pipeline import Request, run\n"
           f"r = run(Request(paths=({str(src)!r},), jobs=1, use_pch=False, use_cache=True, "
           f"cache_dir={str(tmp_path / 'cache')!r}, isolated=True))\n"
           "assert [f.rule_id for f in r.findings()] == ['SSL101'], r.findings()\n")
    assert "clang.cindex" in _modules_after(run, env)  # cold: parsed
    assert "clang.cindex" not in _modules_after(run, env)  # warm: from the cache
