"""Renders rule documentation from the rule modules' docstrings: the terminal
(`sslint rules ID`), JSON (`--format json`) and docs/rules.md."""
from __future__ import annotations

from sslint.core.rule import LoadedRule


def rule_record(r: LoadedRule) -> dict:
    m = r.rule
    return {
        "id": m.id, "name": m.name, "summary": m.summary, "level": m.level,
        "precision": m.precision, "cwe": m.cwe, "security_severity": m.security_severity,
        "tags": list(m.all_tags), "man": list(m.man), "man_section": m.man_section,
        "help_uri": m.help_uri, "since": m.since, "events": list(m.events),
    }


def _meta_lines(r: LoadedRule) -> list[str]:
    m = r.rule
    pages = ", ".join(f"{p}(3)" for p in m.man)
    derived = [f"- Derived from: {pages}" + (f" ({m.man_section})" if m.man_section else "")]
    return [
        f"- Default level: {m.level}; precision: {m.precision}"
        + (f"; security severity: {m.security_severity}" if m.security_severity else ""),
        f"- CWE: CWE-{m.cwe}" if m.cwe else "- CWE: none",
        *(derived if pages else []),  # SSL900 derives from no man page
        f"- Added in: {m.since}",
    ]


def explain(r: LoadedRule) -> str:
    m = r.rule
    return "\n".join([f"{m.id} ({m.name}): {m.summary}", "", *_meta_lines(r), "", r.doc])


def rule_markdown(r: LoadedRule) -> str:
    m = r.rule
    body = r.doc.split("\n", 1)[1].strip() if "\n" in r.doc else ""
    title = r.doc.split("\n", 1)[0].strip()
    return "\n".join([f"## {m.id}: {m.name}", "", f"*{title}*", "", *_meta_lines(r), "",
                      body.replace("\n## ", "\n### "), ""])


def rules_markdown(rules: list[LoadedRule]) -> str:
    head = ["# sslint rules", "",
            "Generated from the rule modules by `sslint rules --format markdown`; "
            "do not edit by hand.", "",
            "| id | name | level | summary |", "|---|---|---|---|"]
    head += [f"| [{r.rule.id}](#{r.rule.id.lower()}-{r.rule.name}) | {r.rule.name} | "
             f"{r.rule.level} | {r.rule.summary} |" for r in rules]
    return "\n".join(head) + "\n\n" + "\n".join(rule_markdown(r) for r in rules)
