"""Text and JSON output, the formatter registry and atomic writes of -o files."""
import json
import os
from pathlib import Path

import pytest

from sslint.core.findings import FileResult, Finding, Loc, Notification, Related
from sslint.output import FORMATTERS, Report, write_atomic
from sslint.output.text import format_notifications
from sslint.core.rule import LoadedRule, all_rules

REPO = Path(__file__).resolve().parent.parent


def enabled_rules() -> list[LoadedRule]:
    return all_rules()  # finds rules/ in a checkout too (sslint.core.rule._rules_package)


@pytest.fixture
def report(tmp_path):
    a, b = str(tmp_path / "src" / "a.c"), str(tmp_path / "b.c")
    first = Finding("SSL101", "SSL_free() releases 'ssl', which was already released at line 3.",
                    Loc(a, 7, 5, 7, 18), "close_conn",
                    (Related(Loc(a, 3, 5, 3, 18), "first released here"),))
    second = Finding("SSL101", "BIO_free() releases 'bio' twice.", Loc(b, 2, 1), level="warning")
    results = [FileResult(a, [first]), FileResult(b, [second]),
               FileResult(str(tmp_path / "c.c"), [], [
                   Notification("error", "unknown type name 'SSL'",
                                Loc(str(tmp_path / "c.c"), 4, 9), "parse-error"),
                   Notification("warning", "file is empty")])]
    return Report(results=results, rules=enabled_rules(), root=str(tmp_path), exit_code=1,
                  run_notifications=[Notification("error", "unknown rule 'SSL999'")])


def test_compiler_style_lines(report):
    out = FORMATTERS["text"](report, False)
    assert out.splitlines() == [
        "b.c:2:1: warning: BIO_free() releases 'bio' twice. [SSL101]",
        ("src/a.c:7:5: error: SSL_free() releases 'ssl', which was already released at line 3."
         " [SSL101]"),
        "    src/a.c:3:5: note: first released here",
        "Found 2 findings (2 SSL101) in 2 of 3 files.",
    ]
    assert "\x1b[" not in out


def test_summary_counts_per_rule(tmp_path):
    f = str(tmp_path / "x.c")
    findings = [Finding("SSL103", "Three.", Loc(f, 3, 1)), Finding("SSL101", "One.", Loc(f, 1, 1)),
                Finding("SSL101", "Two.", Loc(f, 2, 1))]
    results = [FileResult(f, findings)] + [FileResult(str(tmp_path / f"{n}.c")) for n in range(3)]
    out = FORMATTERS["text"](Report(results, enabled_rules(), str(tmp_path)), False)
    assert out.splitlines()[-1] == "Found 3 findings (2 SSL101, 1 SSL103) in 1 of 4 files."
    # a rule that is not enabled still gets a level
    assert "x.c:3:1: warning: Three. [SSL103]" in out


def test_a_clean_run_says_so_in_one_line(tmp_path):
    report = Report([FileResult(str(tmp_path / "a.c"))], [], str(tmp_path))
    assert FORMATTERS["text"](report, True) == "No findings in 1 file.\n"


def test_a_quiet_clean_run_prints_nothing(tmp_path):
    report = Report([FileResult(str(tmp_path / "a.c"))], [], str(tmp_path), quiet=True)
    assert FORMATTERS["text"](report, True) == ""


def test_paths_outside_root_stay_as_given(tmp_path):
    outside = str(tmp_path.parent / "elsewhere.c")
    report = Report([FileResult(outside, [Finding("SSL101", "M.", Loc(outside, 1, 2))])],
                    enabled_rules(), str(tmp_path / "root"))
    assert FORMATTERS["text"](report, False).startswith(f"{outside}:1:2: error: M. [SSL101]")


def test_colour_only_when_allowed(report):
    coloured = FORMATTERS["text"](report, True)
    assert "\x1b[1;31merror:\x1b[0m" in coloured
    assert "\x1b[1;33mwarning:\x1b[0m" in coloured
    assert "\x1b[1;36mnote:\x1b[0m" in coloured
    assert "\x1b[0m" in format_notifications(report, True)[0]
    assert not any("\x1b[" in line for line in format_notifications(report))


def test_notifications_are_separate(report):
    assert format_notifications(report) == [
        "sslint: error: unknown rule 'SSL999'",
        "c.c:4:9: error: unknown type name 'SSL' [parse-error]",
        "c.c: warning: file is empty",
    ]
    assert "unknown type name" not in FORMATTERS["text"](report, False)


def test_json_format(report):
    doc = json.loads(FORMATTERS["json"](report, True))
    assert [f["file"] for f in doc["findings"]] == ["b.c", "src/a.c"]
    second = doc["findings"][1]
    assert second == {
        "rule_id": "SSL101", "rule_name": "double-free", "level": "error",
        "message": "SSL_free() releases 'ssl', which was already released at line 3.",
        "file": "src/a.c", "line": 7, "column": 5, "end_line": 7, "end_column": 18,
        "function": "close_conn",
        "related": [{"message": "first released here", "file": "src/a.c", "line": 3,
                     "column": 5, "end_line": 3, "end_column": 18}],
    }
    assert doc["findings"][0]["level"] == "warning"
    assert [n["code"] for n in doc["notifications"]] == ["", "parse-error", ""]
    assert doc["notifications"][1]["line"] == 4 and doc["notifications"][2]["file"] == "c.c"


def test_registry():
    assert {"text", "sarif", "json"} <= set(FORMATTERS)
    assert all(callable(f) for f in FORMATTERS.values())


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    out = tmp_path / "report.sarif"
    out.write_text("old\n", encoding="utf-8")
    write_atomic(str(out), "new ✓\n")
    assert out.read_text(encoding="utf-8") == "new ✓\n"
    assert os.listdir(tmp_path) == ["report.sarif"]
    write_atomic(str(tmp_path / "fresh.json"), "{}\n")
    assert sorted(os.listdir(tmp_path)) == ["fresh.json", "report.sarif"]
    assert os.stat(tmp_path / "fresh.json").st_mode & 0o044  # not mkstemp's private 0600


def test_write_atomic_failure_keeps_old_file(tmp_path):
    out = tmp_path / "report.sarif"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(str(out), "half" * 10000 + "\ud800")  # fails part-way through writing
    assert out.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["report.sarif"]


def test_formatter_error_never_reaches_the_file(tmp_path, report, monkeypatch):
    def broken(rep, colour):
        raise RuntimeError("formatter bug")

    monkeypatch.setitem(FORMATTERS, "sarif", broken)
    out = tmp_path / "report.sarif"
    out.write_text("old\n", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(RuntimeError):
        write_atomic(str(out), FORMATTERS["sarif"](report, False))
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path)) == before
