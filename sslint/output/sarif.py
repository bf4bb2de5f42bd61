"""SARIF 2.1.0 output for GitHub code scanning and IDE viewers.

Built with sarif_om and serialised with jschema_to_python, then patched as a dict:
to_json() drops every value equal to its attrs default, so an explicit result or
notification `level: "warning"`, result `kind: "fail"`, defaultConfiguration
`level: "warning"` and threadFlow `importance: "important"` would vanish and
consumers would fall back to other levels (analyzer-anchors.md §4 item 8).
"""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote


import sslint
from sslint.core.findings import Finding, Loc, Notification, Step
from sslint.output.fingerprint import partial_fingerprints
from sslint.output.sources import Sources
from sslint.core.rule import LoadedRule
from sslint.session.suppress import Suppressed


class _LazyModule:
    """sarif_om, imported on first use: it and jschema_to_python take ~60 ms to
    import, which a run printing text need not pay."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        value = getattr(importlib.import_module(self._name), attr)
        setattr(self, attr, value)  # found directly from now on, without this call
        return value


om = _LazyModule("sarif_om")


def to_json(obj: Any) -> str:
    """jschema_to_python.to_json's output, without its cost: it deep-copies every
    object's fields at every level of the log (quadratic in the nesting; most of
    the time a large SARIF log took). A shallow copy is enough, since only the copy's
    own keys are dropped (defaults) and renamed (schema names)."""
    import attr

    def serialise(o: Any) -> Any:
        if not hasattr(o, "__dict__"):
            return str(o)
        out = dict(o.__dict__)
        fields = attr.fields(type(o))
        for f in fields:
            default = f.default.factory() if isinstance(f.default, attr.Factory) \
                else f.default
            if f.name in out and out[f.name] == default:
                del out[f.name]
        for f in fields:
            name = f.metadata.get("schema_property_name")
            if name and name != f.name and f.name in out:
                out[name] = out.pop(f.name)
        return out

    return json.dumps(obj, indent=2, default=serialise)

if TYPE_CHECKING:
    from sslint.output import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/sslint/sslint"
SRCROOT = "%SRCROOT%"
_PROBLEM_SEVERITY = {"note": "recommendation", "warning": "warning", "error": "error"}
# Output key order (to_json emits renamed keys last); keys not listed keep their place after.
_KEY_ORDER = {k: i for i, k in enumerate((
    "$schema", "version", "runs", "tool", "driver", "automationDetails", "columnKind",
    "originalUriBaseIds", "invocations", "results",
    "id", "name", "ruleId", "ruleIndex", "kind", "level", "semanticVersion", "informationUri",
    "shortDescription", "fullDescription", "text", "markdown", "help", "helpUri",
    "defaultConfiguration", "properties", "rules", "executionSuccessful", "exitCode",
    "commandLine", "startTimeUtc", "endTimeUtc", "toolExecutionNotifications",
    "toolConfigurationNotifications", "importance", "message", "descriptor", "locations",
    "location", "physicalLocation", "artifactLocation", "uri", "uriBaseId", "region",
    "startLine", "startColumn", "endLine", "endColumn", "logicalLocations",
    "relatedLocations", "codeFlows", "threadFlows", "partialFingerprints", "baselineState",
    "suppressions", "justification"))}


def _plain(markdown: str) -> str:
    """The rule docstring without markdown syntax, for help.text."""
    out = []
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            continue
        out.append(line.lstrip("#").strip() if line.startswith("#") else line.replace("`", ""))
    return "\n".join(out).strip()


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _descriptor(loaded: LoadedRule) -> om.ReportingDescriptor:
    rule = loaded.rule
    props: dict[str, Any] = {"tags": list(rule.all_tags), "precision": rule.precision}
    if rule.security_severity:
        props["security-severity"] = rule.security_severity
    props["problem.severity"] = _PROBLEM_SEVERITY[rule.level]
    # Engine rules report a path (codeFlows); the others (SSL900) a single location.
    props["kind"] = "path-problem" if rule.events else "problem"
    doc = loaded.doc or rule.summary
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary[:1024]),
        full_description=om.MultiformatMessageString(
            text=(loaded.full_description() or rule.summary)[:1024]),
        help=om.MultiformatMessageString(text=_plain(doc), markdown=doc),
        help_uri=rule.help_uri or INFORMATION_URI,  # rules without a man page (SSL900)
        default_configuration=om.ReportingConfiguration(level=rule.level),
        properties=props,
    )


class _Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.sources = Sources(os.path.abspath(report.root))
        for r in report.results:
            if r.line_hashes:
                self.sources.known_hashes(r.path, r.line_hashes)
        self.rules = sorted(report.rules, key=lambda r: r.rule.id)
        self.rule_index = {r.rule.id: i for i, r in enumerate(self.rules)}

    def artifact(self, path: str) -> om.ArtifactLocation:
        rel = self.report.relative(path)
        if rel is None:
            return om.ArtifactLocation(uri=Path(os.path.abspath(path)).as_uri())
        # fsencode: a name that is not UTF-8 is percent-encoded as its raw bytes.
        return om.ArtifactLocation(uri=quote(os.fsencode(rel)), uri_base_id=SRCROOT)

    def fingerprints(self, f: Finding) -> dict[str, str] | None:
        return partial_fingerprints(self.report, self.sources, f)

    def region(self, loc: Loc) -> om.Region:
        start = max(1, self.sources.column(loc.file, loc.line, loc.col))
        end_line, end = loc.line, start + 1
        if loc.end_line > 0 and loc.end_col > 0:
            end_line = loc.end_line
            end = self.sources.column(loc.file, loc.end_line, loc.end_col)
        if (end_line, end) < (loc.line, start):  # a range must not end before it starts
            end_line, end = loc.line, start + 1
        return om.Region(start_line=loc.line, start_column=start, end_line=end_line, end_column=end)

    def physical(self, loc: Loc) -> om.PhysicalLocation:
        return om.PhysicalLocation(artifact_location=self.artifact(loc.file),
                                   region=self.region(loc))

    def flow(self, steps: tuple[Step, ...]) -> list[om.CodeFlow]:
        locations = []
        for i, step in enumerate(steps):
            edge = i in (0, len(steps) - 1)
            locations.append(om.ThreadFlowLocation(
                location=om.Location(physical_location=self.physical(step.loc),
                                     message=om.Message(text=step.message)),
                importance="essential" if edge else "important"))
        return [om.CodeFlow(thread_flows=[om.ThreadFlow(locations=locations)])]

    def result(self, f: Finding) -> om.Result:
        logical = [om.LogicalLocation(name=f.function, kind="function")] if f.function else None
        return om.Result(
            rule_id=f.rule_id,
            rule_index=self.rule_index.get(f.rule_id, -1),
            kind="fail",
            level=self.report.level_of(f),
            message=om.Message(text=f.message),
            locations=[om.Location(physical_location=self.physical(f.loc),
                                   logical_locations=logical)],
            related_locations=[
                om.Location(id=i, physical_location=self.physical(r.loc),
                            message=om.Message(text=r.message))
                for i, r in enumerate(f.related, start=1)] or None,
            code_flows=self.flow(f.flow) if f.flow else None,
            partial_fingerprints=self.fingerprints(f),
        )

    def notification(self, n: Notification, path: str | None) -> om.Notification:
        if n.loc is not None:
            locations = [om.Location(physical_location=self.physical(n.loc))]
        elif path:  # the whole file, e.g. a translation unit that did not parse
            locations = [om.Location(physical_location=om.PhysicalLocation(
                artifact_location=self.artifact(path)))]
        else:
            locations = None
        return om.Notification(
            message=om.Message(text=n.message),
            level=n.level,
            descriptor=om.ReportingDescriptorReference(id=n.code) if n.code else None,
            locations=locations,
        )


def _ordered(value: Any) -> Any:
    """value with every object's keys in _KEY_ORDER (property bags left as built)."""
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    if not isinstance(value, dict):
        return value
    keys = sorted(value, key=lambda k: _KEY_ORDER.get(k, len(_KEY_ORDER)))
    return {k: value[k] if k == "properties" else _ordered(value[k]) for k in keys}


def _restore_defaults(log: dict[str, Any], levels: list[str], rules: list[LoadedRule],
                      exec_levels: list[str], config_levels: list[str]) -> None:
    run = log["runs"][0]
    for descriptor, loaded in zip(run["tool"]["driver"]["rules"], rules, strict=True):
        descriptor["defaultConfiguration"]["level"] = loaded.rule.level
    results = run["results"]
    for result, level in zip(results, levels, strict=True):
        result["kind"], result["level"] = "fail", level
        for flow in result.get("codeFlows", []):
            for thread in flow["threadFlows"]:
                for step in thread["locations"]:
                    step.setdefault("importance", "important")
    invocation = run["invocations"][0]
    for key, wanted in (("toolExecutionNotifications", exec_levels),
                        ("toolConfigurationNotifications", config_levels)):
        for note, level in zip(invocation.get(key, []), wanted, strict=True):
            note["level"] = level


def _rows(report: Report) -> list[tuple[Finding, str, Suppressed | None]]:
    """Every result to write, sorted: (finding, baselineState or "", suppression)."""
    base = bool(report.baseline)
    rows = [(f, "new" if base else "", None) for f in report.findings()]
    rows += [(f, "unchanged", None) for f in report.unchanged] if base else []
    rows += [(s.finding, (s.baseline_state or "new") if base else "", s)
             for s in report.shown_suppressed()]
    return sorted(rows, key=lambda row: row[0].sort_key())


def _annotate(result: dict[str, Any], state: str, suppressed: Suppressed | None) -> None:
    if state:
        result["baselineState"] = state
    if suppressed is not None:
        entry = {"kind": "inSource"}
        if suppressed.justification:
            entry["justification"] = suppressed.justification
        result["suppressions"] = [entry]


def _absent(report: Report, rule_index: dict[str, int]) -> list[dict[str, Any]]:
    """Baseline results no longer found, re-indexed against this run's rules."""
    out = []
    for old in report.absent:
        result = json.loads(json.dumps(old))  # a copy; the baseline's dict stays as read
        result["baselineState"] = "absent"
        result.pop("suppressions", None)
        if result.get("ruleId") in rule_index:
            result["ruleIndex"] = rule_index[result["ruleId"]]
        else:
            result.pop("ruleIndex", None)
            result.pop("rule", None)
        out.append(result)
    return out


def format_sarif(report: Report, colour: bool) -> str:
    """The whole report as one SARIF run, deterministic, with a trailing newline.

    With a baseline every result carries baselineState, and baseline results that no
    longer occur follow as "absent". Suppressed findings are written only with
    show_suppressed, with `suppressions` (GitHub ignores that field and would show
    them as open alerts, so by default they are left out).
    """
    del colour
    b = _Builder(report)
    rows = _rows(report)
    findings = [f for f, _, _ in rows]
    exec_notes = [(n, r.path) for r in sorted(report.results, key=lambda r: r.path)
                  for n in r.notifications]
    root_uri = Path(os.path.abspath(report.root)).as_uri().rstrip("/") + "/"
    category = report.category
    if category and not category.endswith("/"):
        category += "/"
    run = om.Run(
        tool=om.Tool(driver=om.ToolComponent(
            name="sslint", version=sslint.__version__, semantic_version=sslint.__version__,
            information_uri=INFORMATION_URI, rules=[_descriptor(r) for r in b.rules])),
        automation_details=om.RunAutomationDetails(id=category) if category else None,
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=root_uri)},
        invocations=[om.Invocation(
            execution_successful=report.exit_code != 2,
            command_line=report.command_line or None,
            exit_code=report.exit_code,
            start_time_utc=_utc(report.start_time),
            end_time_utc=_utc(report.end_time),
            tool_execution_notifications=[b.notification(n, p) for n, p in exec_notes] or None,
            tool_configuration_notifications=[
                b.notification(n, None) for n in report.run_notifications] or None,
        )],
        results=[b.result(f) for f in findings],
    )
    log = json.loads(to_json(om.SarifLog(runs=[run], version="2.1.0", schema_uri=SCHEMA_URI)))
    _restore_defaults(log, [report.level_of(f) for f in findings], b.rules,
                      [n.level for n, _ in exec_notes], [n.level for n in report.run_notifications])
    results = log["runs"][0]["results"]
    for result, (_, state, suppressed) in zip(results, rows, strict=True):
        _annotate(result, state, suppressed)
    results += _absent(report, b.rule_index)
    return json.dumps(_ordered(log), indent=2) + "\n"
