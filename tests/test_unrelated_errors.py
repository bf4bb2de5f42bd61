"""A tree checked without its headers: files whose parse errors cannot hide a finding
(they name no OpenSSL lifecycle function) are one note for the run, not a warning
and five errors each; files with OpenSSL code keep their own parse-error warning."""
from __future__ import annotations

import json

from click.testing import CliRunner

from sslint.shell.cli import cli

PLAIN = """#include "project.h"
proj_int_t count_lines(proj_buf_t *b)
{
    proj_int_t n = 0;
    PROJ_FOREACH(line, b) { n++; }
    return n + PROJ_OK;
}
"""

TLS = """#include "project.h"
proj_int_t start(SSL_CTX *ctx, proj_conn_t *c)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return PROJ_ERROR;
    SSL_free(s);
    SSL_free(s);
    return PROJ_OK;
}
"""


def _run(tmp_path, *names: str) -> dict:
    r = CliRunner().invoke(cli, ["check", *names, "--no-cache", "--no-find-build",
                                 "--jobs", "1", "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def _codes(out: dict) -> list[str]:
    return [n["code"] for n in out["notifications"]]


def test_files_without_openssl_code_are_one_note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for i in range(3):
        (tmp_path / f"plain{i}.c").write_text(PLAIN)
    (tmp_path / "tls.c").write_text(TLS)
    out = _run(tmp_path, ".")
    assert [f["rule_id"] for f in out["findings"]] == ["SSL101"]
    codes = _codes(out)
    assert codes.count("parse-errors-unrelated") == 1
    note = next(n for n in out["notifications"] if n["code"] == "parse-errors-unrelated")
    assert note["message"].startswith("3 file(s) had parse errors")
    assert all(f"plain{i}.c" in note["message"] for i in range(3))
    assert "tls.c" not in note["message"]
    # The file with OpenSSL code still says its parse errors, and only it does.
    files = {n.get("file") for n in out["notifications"] if n["code"] == "parse-errors"}
    assert files == {"tls.c"}


def test_a_file_alone_with_unrelated_errors_says_so_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.c").write_text(PLAIN)
    out = _run(tmp_path, "plain.c")
    assert out["findings"] == []
    assert "parse-errors" not in _codes(out) and "parse-error" not in _codes(out)
    assert _codes(out).count("parse-errors-unrelated") == 1


def test_include_folders_found_in_the_tree_are_one_note(tmp_path, monkeypatch):
    """Files of a src/ + include/ tree checked without flags: the folder is found
    for each, and said once for the run, with the count of files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "include" / "proj").mkdir(parents=True)
    (tmp_path / "include" / "proj" / "conn.h").write_text(
        "#include <openssl/ssl.h>\n#define PROJ_OK 0\n")
    (tmp_path / "src").mkdir()
    body = "#include <proj/conn.h>\nint f{0}(SSL *s) {{ SSL_free(s); return PROJ_OK; }}\n"
    for i in range(3):
        (tmp_path / "src" / f"f{i}.c").write_text(body.format(i))
    out = _run(tmp_path, "src")
    notes = [n for n in out["notifications"] if n["code"] == "guessed-includes"]
    assert len(notes) == 1 and "file" not in notes[0]
    assert notes[0]["message"].startswith("3 file(s) had no flags")
    assert notes[0]["message"].endswith(": -Iinclude")
    assert "parse-errors" not in _codes(out)  # the header was found: nothing is missing


def test_switches_guessed_for_files_without_openssl_calls_are_one_note(tmp_path, monkeypatch):
    """A tree whose project header holds its OpenSSL members under USE_OPENSSL: every
    file reaching it is parsed with the switch; files that call OpenSSL say so
    themselves, the others are counted in one note for the run."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "include" / "proj").mkdir(parents=True)
    (tmp_path / "include" / "proj" / "conn.h").write_text(
        "#ifdef USE_OPENSSL\n#include <openssl/ssl.h>\nstruct conn { SSL *ssl; };\n#endif\n")
    (tmp_path / "src").mkdir()
    for i in range(2):
        (tmp_path / "src" / f"plain{i}.c").write_text(
            f"#include <proj/conn.h>\nint plain{i}(int n) {{ return n + {i}; }}\n")
    (tmp_path / "src" / "tls.c").write_text(
        "#include <proj/conn.h>\nvoid drop(struct conn *c) { SSL_free(c->ssl); }\n")
    out = _run(tmp_path, "src")
    notes = [n for n in out["notifications"] if n["code"] == "guessed-defines"]
    run_notes = [n for n in notes if "file" not in n]
    assert len(run_notes) == 1
    assert run_notes[0]["message"].startswith("2 file(s) that call no OpenSSL")
    assert "-DUSE_OPENSSL (2)" in run_notes[0]["message"]
    assert [n["file"] for n in notes if "file" in n] == ["src/tls.c"]
