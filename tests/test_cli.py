"""The command line as a user runs it: exit codes, formats, streams, bad input."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

# Every test runs `python -m sslint` in a subprocess: slow (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

SCHEMA = json.loads((ROOT / "tests" / "sarif-schema-2.1.0.json").read_text())
BUGGY = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    SSL_free(s);
}
"""
CLEAN = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
}
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "sslint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def buggy(tmp_path: Path) -> Path:
    p = tmp_path / "buggy.c"
    p.write_text(BUGGY)
    return p


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr


def test_findings_exit_1_compiler_style(buggy, tmp_path):
    r = run("check", "buggy.c", "--jobs", "1", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert re.search(r"^buggy\.c:6:5: error: .*already released.* \[SSL101\]$", r.stdout,
                     re.MULTILINE)
    assert re.search(r"^    buggy\.c:5:5: note: released by SSL_free\(\)$", r.stdout,
                     re.MULTILINE)


def test_clean_exit_0_with_a_summary_line(tmp_path):
    (tmp_path / "clean.c").write_text(CLEAN)
    r = run("check", "clean.c", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "No findings in 1 file.\n", (r.stdout, r.stderr)
    r = run("check", "clean.c", "-q", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "", (r.stdout, r.stderr)


def test_notes_do_not_fail_the_run_by_default(tmp_path):
    (tmp_path / "note.c").write_text(
        "#include <openssl/ssl.h>\nint recycle(SSL *s)\n{\n    if (!SSL_clear(s))\n"
        "        return 0;\n    return SSL_connect(s);\n}\n")
    r = run("check", "note.c", cwd=tmp_path)
    assert r.returncode == 0 and "[SSL501]" in r.stdout, (r.stdout, r.stderr)
    assert run("check", "note.c", "--fail-on", "note", cwd=tmp_path).returncode == 1


def test_exit_zero(buggy):
    assert run("check", str(buggy), "--exit-zero").returncode == 0


def test_sarif_to_file_is_schema_valid(buggy, tmp_path):
    out = tmp_path / "out.sarif"
    r = run("check", "buggy.c", "--format", "sarif", "-o", str(out), cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    log = json.loads(out.read_text())
    jsonschema.validate(log, SCHEMA)
    res = log["runs"][0]["results"]
    assert [x["ruleId"] for x in res] == ["SSL101"]
    loc = res[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "buggy.c", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 6
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_json_format(buggy):
    r = run("check", str(buggy), "--format", "json")
    assert r.returncode == 1
    assert "SSL101" in r.stdout and json.loads(r.stdout)


def test_select_and_ignore(tmp_path):
    (tmp_path / "x.c").write_text(CLEAN.replace("    SSL_free(s);\n", ""))  # a leak only
    assert run("check", "x.c", "--select", "SSL101", cwd=tmp_path).returncode == 0
    assert run("check", "x.c", "--select", "SSL103", cwd=tmp_path).returncode == 1
    r = run("check", "x.c", "--select", "SSL1", "--ignore", "SSL101", cwd=tmp_path)
    assert r.returncode == 1 and "[SSL103]" in r.stdout


def test_unknown_selector_is_usage_error(buggy):
    r = run("check", str(buggy), "--select", "XYZ9")
    assert r.returncode == 2 and "unknown rule selector" in r.stderr
    no_traceback(r)


def test_raw_clang_args_after_double_dash(tmp_path):
    (tmp_path / "m.c").write_text(CLEAN.replace(
        "    SSL_free(s);\n", "    SSL_free(s);\n#ifdef BUG\n    SSL_free(s);\n#endif\n"))
    assert run("check", "m.c", cwd=tmp_path).returncode == 0
    r = run("check", "m.c", "--", "-DBUG", cwd=tmp_path)
    assert r.returncode == 1 and "[SSL101]" in r.stdout


def test_folder_takes_every_c_file_sorted(tmp_path):
    (tmp_path / "b.c").write_text(BUGGY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.c").write_text(BUGGY)
    (tmp_path / "notes.txt").write_text("not C")
    r = run("check", ".", cwd=tmp_path)
    files = [line.split(":")[0] for line in r.stdout.splitlines() if "[SSL101]" in line]
    assert files == ["b.c", "sub/a.c"]


@pytest.mark.parametrize("setup, needle", [
    (lambda d: "missing.c", "no such file"),
    (lambda d: (d / "empty_dir").mkdir() or "empty_dir", "no C files"),
    (lambda d: (d / "bin.c").write_bytes(b"\x7fELF\x00\x00\x01") and "bin.c", "binary"),
])
def test_bad_input_exit_2(tmp_path, setup, needle):
    r = run("check", setup(tmp_path), cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr
    no_traceback(r)


def test_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.c")
    r = run("check", "pipe.c", cwd=tmp_path)
    assert r.returncode == 2 and "not a regular file" in r.stderr


def test_partial_result_with_one_bad_file(buggy, tmp_path):
    (tmp_path / "bin.c").write_bytes(b"\x00\x01\x02")
    r = run("check", "buggy.c", "bin.c", "--format", "sarif", cwd=tmp_path)
    assert r.returncode == 1
    log = json.loads(r.stdout)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("binary" in n["message"]["text"] for n in notes)


def test_syntax_errors_and_non_utf8_are_analysed(tmp_path):
    src = BUGGY.replace("void f", "int broken(void) { return 1 + ; }\nvoid f") + "/* caf\xe9 */\n"
    (tmp_path / "bad.c").write_bytes(src.encode("latin-1"))
    r = run("check", "bad.c", cwd=tmp_path)
    no_traceback(r)
    assert r.returncode == 1 and "[SSL101]" in r.stdout
    assert "parse error" in r.stderr


def test_malformed_compile_commands(tmp_path):
    (tmp_path / "compile_commands.json").write_text("{not json")
    r = run("check", "-p", str(tmp_path))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "compile_commands.json" in r.stderr
    no_traceback(r)


def test_compile_commands_flags_are_used(tmp_path):
    (tmp_path / "m.c").write_text(CLEAN.replace(
        "    SSL_free(s);\n", "    SSL_free(s);\n#ifdef BUG\n    SSL_free(s);\n#endif\n"))
    db = [{"directory": str(tmp_path), "file": "m.c", "arguments": ["cc", "-DBUG", "-c", "m.c"]}]
    (tmp_path / "compile_commands.json").write_text(json.dumps(db))
    r = run("check", "-p", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1 and "m.c:7:" in r.stdout


def test_rules_listing_and_explain():
    r = run("rules")
    assert r.returncode == 0
    ids = re.findall(r"^(SSL\d{3})", r.stdout, re.MULTILINE)
    assert ids == sorted(ids) and {"SSL101", "SSL102", "SSL103"} <= set(ids)
    data = json.loads(run("rules", "--format", "json").stdout)
    assert {d["id"] for d in data} == set(ids)
    ex = run("rules", "SSL101")
    assert ex.returncode == 0 and "## Why is this bad?" in ex.stdout
    assert run("rules", "SSL999").returncode == 2


def test_version():
    r = run("--version")
    assert r.returncode == 0 and re.search(r"\d+\.\d+\.\d+", r.stdout)


LEAK = CLEAN.replace("    SSL_free(s);\n", "")  # SSL103 (warning) only


def test_fail_on_sets_the_lowest_failing_level(tmp_path):
    (tmp_path / "x.c").write_text(LEAK)
    only = ("--select", "SSL103")
    assert run("check", "x.c", *only, cwd=tmp_path).returncode == 1  # default: note
    assert run("check", "x.c", *only, "--fail-on", "warning", cwd=tmp_path).returncode == 1
    r = run("check", "x.c", *only, "--fail-on", "error", cwd=tmp_path)
    assert r.returncode == 0 and "[SSL103]" in r.stdout  # still reported
    assert run("check", "x.c", "--fail-on", "fatal", cwd=tmp_path).returncode == 2


def test_quiet_keeps_findings_and_errors_only(tmp_path):
    src = BUGGY.replace("void f", "int broken(void) { return 1 + ; }\nvoid f")
    (tmp_path / "bad.c").write_text(src)
    (tmp_path / "bin.c").write_bytes(b"\x00\x01")
    loud = run("check", "bad.c", "bin.c", cwd=tmp_path)
    assert "parse error" in loud.stderr and "Found 1 finding" in loud.stdout
    quiet = run("check", "bad.c", "bin.c", "-q", cwd=tmp_path)
    assert quiet.returncode == 1 and "[SSL101]" in quiet.stdout
    assert "Found" not in quiet.stdout
    assert quiet.stderr.splitlines() == [("bin.c: error: bin.c: binary file (NUL byte in the "
                                         "first 8 KiB) [unreadable]")]


def run_with_tty_stderr(*args: str, cwd: Path) -> tuple[int, str]:
    """sslint with stderr on a pseudo-terminal (stdout a pipe); (exit code, stderr)."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "sslint", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.communicate(timeout=120)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_for_many_files(tmp_path):
    for i in range(21):
        (tmp_path / f"f{i:02}.c").write_text(CLEAN)
    code, err = run_with_tty_stderr("check", ".", "-j", "2", cwd=tmp_path)
    assert code == 0 and "[1/21]" in err and "[21/21] ./f20.c" in err
    code, err = run_with_tty_stderr("check", ".", "-q", cwd=tmp_path)
    assert code == 0 and "[21/21]" not in err
    assert run("check", ".", cwd=tmp_path).stderr == ""  # not a terminal: no progress
    (tmp_path / "f20.c").unlink()
    code, err = run_with_tty_stderr("check", ".", cwd=tmp_path)
    assert code == 0 and "[20/20]" not in err  # few files: no progress
