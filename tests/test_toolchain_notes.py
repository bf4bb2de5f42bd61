"""Problems of the toolchain, not of the files (a GCC-only flag of the build, errors
inside gcc's builtin headers standing in for clang's) are said once for the run,
not as each file's parse errors; the files' own errors still are."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sslint.frontend import toolchain
from sslint.shell.cli import cli

SOURCE = """#include <openssl/ssl.h>
%s
int f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    SSL_free(s);
    return 0;
}
"""


def _check(tmp_path, flags: str, extra: str = "") -> dict:
    (tmp_path / "a.c").write_text(SOURCE % extra)
    (tmp_path / "compile_commands.json").write_text(json.dumps([{
        "directory": str(tmp_path), "file": "a.c", "command": f"gcc {flags} -c a.c"}]))
    r = CliRunner().invoke(cli, ["check", "-p", str(tmp_path), "--no-cache", "--jobs", "1",
                                 "--format", "json"])
    assert r.exit_code == 1, r.output
    return json.loads(r.stdout)


def _codes(out: dict) -> list[str]:
    return [n["code"] for n in out["notifications"]]


def test_an_unknown_gcc_flag_is_one_note_not_a_parse_error(tmp_path):
    out = _check(tmp_path, "-O2 -fvect-cost-model=very-cheap")
    assert [f["rule_id"] for f in out["findings"]] == ["SSL101"]
    assert _codes(out) == ["toolchain-errors"]
    assert "-fvect-cost-model=very-cheap" in out["notifications"][0]["message"]


def test_errors_inside_gccs_intrinsics_headers_are_one_note(tmp_path, monkeypatch):
    if toolchain.find_builtin_includes("gcc").source != "gcc":
        pytest.skip("gcc's builtin headers are not available here")
    monkeypatch.setenv(toolchain.FORCE_ENV, "gcc")
    out = _check(tmp_path, "-O2", "#include <emmintrin.h>")
    assert [f["rule_id"] for f in out["findings"]] == ["SSL101"]
    assert _codes(out) == ["toolchain-errors"]
    assert "xmmintrin.h" in out["notifications"][0]["message"]


def test_the_files_own_errors_are_still_its_parse_errors(tmp_path):
    out = _check(tmp_path, "-fvect-cost-model=very-cheap", "int broken(void) { return 1 +; }")
    codes = _codes(out)
    assert "parse-errors" in codes and codes.count("toolchain-errors") == 1
