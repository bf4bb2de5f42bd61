"""SARIF output: schema-valid, GitHub's required fields, columns, fingerprints, notifications."""
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from sslint.core.findings import FileResult, Finding, Loc, Notification, Related, Step
from sslint.output import FORMATTERS, Report
from sslint.output.fingerprint import line_hashes
from sslint.core.rule import LoadedRule, Rule, all_rules

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

SOURCE = """\
#include <openssl/ssl.h>
void close_conn(SSL *ssl)
{
    SSL_free(ssl);
    /* déjà libéré → */ SSL_free(ssl);
}
"""


def enabled_rules() -> list[LoadedRule]:
    return all_rules()  # finds rules/ in a checkout too (sslint.core.rule._rules_package)


# A made-up rule whose default level is "warning", the value sarif_om would drop.
WARN_RULE = LoadedRule(
    Rule(id="SSL990", name="test-warning-rule", summary="A test rule", events=("leak",),
         man=("SSL_new",), level="warning", precision="medium"),
    check=lambda event: None, doc="A test rule.\n\n## What it does\nNothing.")


def byte_col(line: str, needle: str) -> int:
    return len(line[: line.index(needle)].encode("utf-8")) + 1


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "src" / "conn.c"
    path.parent.mkdir()
    path.write_text(SOURCE, encoding="utf-8")
    return path


def make_report(tmp_path, src, findings=None, **kw) -> Report:
    line5 = SOURCE.splitlines()[4]
    start = byte_col(line5, "SSL_free")
    first = Loc(str(src), 4, 5, 4, 18)
    second = Loc(str(src), 5, start, 5, start + len("SSL_free(ssl)"))
    if findings is None:
        findings = [Finding("SSL101", "SSL_free() releases 'ssl', which was already released.",
                            second, "close_conn", (Related(first, "first released here"),),
                            (Step(first, "released"), Step(Loc(str(src), 5, 1), "goes on"),
                             Step(second, "released again")))]
    kw.setdefault("rules", enabled_rules())
    return Report(results=[FileResult(str(src), findings, analyzed=True)], root=str(tmp_path),
                  exit_code=1, command_line="sslint src/conn.c",
                  start_time=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
                  end_time=datetime(2024, 1, 2, 3, 4, 6, tzinfo=UTC), **kw)


def sarif(report: Report) -> dict:
    text = FORMATTERS["sarif"](report, False)
    assert text.endswith("}\n")
    return json.loads(text)


def validate(log: dict) -> None:
    # The OASIS schema declares draft-04; let its $schema pick the validator.
    validator_cls = jsonschema.validators.validator_for(SCHEMA)
    validator_cls.check_schema(SCHEMA)
    validator_cls(SCHEMA).validate(log)


def test_valid_against_oasis_schema(tmp_path, src):
    config = Notification("warning", "unknown rule", None, "config")
    report = make_report(tmp_path, src, category="linux", run_notifications=[config])
    report.results[0].notifications.append(
        Notification("error", "cannot parse", None, "parse-error"))
    validate(sarif(report))
    validate(sarif(make_report(tmp_path, src, findings=[])))


def test_schema_check_is_not_vacuous(tmp_path, src):
    log = sarif(make_report(tmp_path, src))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_run_header_and_driver(tmp_path, src):
    import sslint

    log = sarif(make_report(tmp_path, src))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sslint"
    assert driver["version"] == driver["semanticVersion"] == sslint.__version__
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert "automationDetails" not in run


def test_every_enabled_rule_is_described(tmp_path, src):
    rules = enabled_rules()
    log = sarif(make_report(tmp_path, src, rules=list(reversed(rules))))
    driver = log["runs"][0]["tool"]["driver"]
    ids = [d["id"] for d in driver["rules"]]
    assert ids == sorted(r.rule.id for r in rules)
    severity = {"note": "recommendation", "warning": "warning", "error": "error"}
    for desc, loaded in zip(driver["rules"], sorted(rules, key=lambda r: r.rule.id), strict=True):
        rule = loaded.rule
        assert desc["name"] == rule.name
        assert desc["shortDescription"]["text"] == rule.summary
        assert 0 < len(desc["fullDescription"]["text"]) <= 1024
        assert desc["help"]["markdown"] == loaded.doc and desc["help"]["text"]
        assert "```" not in desc["help"]["text"]
        assert desc["helpUri"] == (rule.help_uri or "https://github.com/sslint/sslint")
        assert desc["defaultConfiguration"]["level"] == rule.level
        props = desc["properties"]
        assert props["tags"] == list(rule.all_tags)
        assert props["precision"] == rule.precision
        assert props["problem.severity"] == severity[rule.level]
        assert props["kind"] == ("path-problem" if rule.events else "problem")
        if rule.security_severity:
            assert props["security-severity"] == rule.security_severity
            assert "security" in props["tags"]
            assert 0.0 < float(props["security-severity"]) <= 10.0
        else:
            assert "security-severity" not in props


def test_warning_levels_survive_serialisation(tmp_path, src):
    loc = Loc(str(src), 4, 5, 4, 18)
    findings = [Finding("SSL101", "Overridden to warning.", loc, level="warning"),
                Finding("SSL101", "Rule default.", Loc(str(src), 5, 1)),
                Finding("SSL990", "Default warning.", Loc(str(src), 6, 1))]
    report = make_report(tmp_path, src, findings, rules=[*enabled_rules(), WARN_RULE])
    report.results[0].notifications.append(Notification("warning", "partial", loc, "budget"))
    run = sarif(report)["runs"][0]
    levels = {r["message"]["text"]: r["level"] for r in run["results"]}
    assert levels == {"Overridden to warning.": "warning", "Rule default.": "error",
                      "Default warning.": "warning"}
    assert all(r["kind"] == "fail" for r in run["results"])
    warn_rule = next(d for d in run["tool"]["driver"]["rules"] if d["id"] == "SSL990")
    assert warn_rule["defaultConfiguration"]["level"] == "warning"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "warning"


def test_result_fields(tmp_path, src):
    run = sarif(make_report(tmp_path, src))["runs"][0]
    (result,) = run["results"]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == "SSL101"
    assert result["message"]["text"] == "SSL_free() releases 'ssl', which was already released."
    (location,) = result["locations"]
    artifact = location["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "src/conn.c", "uriBaseId": "%SRCROOT%"}
    assert location["logicalLocations"][0]["name"] == "close_conn"
    (related,) = result["relatedLocations"]
    assert related["id"] == 1 and related["message"]["text"] == "first released here"
    assert related["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 18}
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"] for s in steps] == [
        "released", "goes on", "released again"]
    assert [s["importance"] for s in steps] == ["essential", "important", "essential"]


def test_byte_columns_become_code_point_columns(tmp_path, src):
    region = sarif(make_report(tmp_path, src))["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"]["region"]
    line5 = SOURCE.splitlines()[4]
    start = line5.index("SSL_free") + 1
    assert byte_col(line5, "SSL_free") > start  # the comment has multi-byte characters
    assert region == {"startLine": 5, "startColumn": start, "endLine": 5,
                      "endColumn": start + len("SSL_free(ssl)")}


def test_unreadable_file_keeps_byte_columns_and_missing_end(tmp_path, src):
    gone = tmp_path / "gone.c"
    findings = [Finding("SSL101", "Somewhere.", Loc(str(gone), 3, 30))]
    result = sarif(make_report(tmp_path, src, findings))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 30, "endLine": 3, "endColumn": 31}
    assert "partialFingerprints" not in result


def test_uris_are_percent_encoded_or_absolute(tmp_path, src, tmp_path_factory):
    odd = tmp_path / "sub dir" / "ä#1.c"
    odd.parent.mkdir()
    odd.write_text("x\n", encoding="utf-8")
    outside = tmp_path_factory.mktemp("elsewhere") / "o.c"
    outside.write_text("y\n", encoding="utf-8")
    findings = [Finding("SSL101", "Odd.", Loc(str(odd), 1, 1)),
                Finding("SSL101", "Outside.", Loc(str(outside), 1, 1))]
    results = sarif(make_report(tmp_path, src, findings))["runs"][0]["results"]
    by_msg = {r["message"]["text"]: r["locations"][0]["physicalLocation"]["artifactLocation"]
              for r in results}
    assert by_msg["Odd."] == {"uri": "sub%20dir/%C3%A4%231.c", "uriBaseId": "%SRCROOT%"}
    assert by_msg["Outside."] == {"uri": outside.as_uri()}


def test_fingerprint_survives_an_inserted_line(tmp_path, src):
    def fingerprint(report):
        return sarif(report)["runs"][0]["results"][0]["partialFingerprints"][
            "primaryLocationLineHash"]

    before = fingerprint(make_report(tmp_path, src))
    assert before == line_hashes(SOURCE)[4]
    src.write_text(SOURCE.replace("{\n", "{\n    int unrelated = 0;\n", 1), encoding="utf-8")
    moved = [Finding("SSL101", "Moved.", Loc(str(src), 6, 5))]
    assert fingerprint(make_report(tmp_path, src, moved)) == before
    other = [Finding("SSL101", "Other line.", Loc(str(src), 5, 5))]
    assert fingerprint(make_report(tmp_path, src, other)) != before


def test_notifications_and_invocation(tmp_path, src):
    report = make_report(tmp_path, src, run_notifications=[
        Notification("error", "bad config key 'x'", None, "config-error")])
    report.results[0].notifications += [
        Notification("error", "unknown type name 'SSL'", Loc(str(src), 2, 17), "parse-error"),
        Notification("note", "file-level note")]
    invocation = sarif(report)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["commandLine"] == "sslint src/conn.c"
    assert invocation["startTimeUtc"] == "2024-01-02T03:04:05.000Z"
    assert invocation["endTimeUtc"] == "2024-01-02T03:04:06.000Z"
    parse, note = invocation["toolExecutionNotifications"]
    assert parse["level"] == "error" and parse["descriptor"] == {"id": "parse-error"}
    assert parse["message"]["text"] == "unknown type name 'SSL'"
    physical = parse["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "src/conn.c"
    assert physical["region"]["startLine"] == 2
    assert note["level"] == "note" and "descriptor" not in note
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/conn.c"
    (config,) = invocation["toolConfigurationNotifications"]
    assert config["level"] == "error" and config["descriptor"]["id"] == "config-error"
    assert "locations" not in config

    report.exit_code = 2
    assert sarif(report)["runs"][0]["invocations"][0]["executionSuccessful"] is False


@pytest.mark.parametrize(("category", "expected"),
                         [("sslint", "sslint/"), ("ci/linux/", "ci/linux/")])
def test_automation_details(tmp_path, src, category, expected):
    run = sarif(make_report(tmp_path, src, category=category))["runs"][0]
    assert run["automationDetails"] == {"id": expected}


def test_output_is_deterministic_and_sorted(tmp_path, src):
    locs = [Loc(str(src), line, 1) for line in (5, 2, 4)]
    findings = [Finding("SSL101", f"At {loc.line}.", loc) for loc in locs]
    a = FORMATTERS["sarif"](make_report(tmp_path, src, findings), False)
    b = FORMATTERS["sarif"](make_report(tmp_path, src, list(reversed(findings))), False)
    assert a == b
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in json.loads(a)["runs"][0]["results"]]
    assert lines == [2, 4, 5]
