"""`sslint summaries`: what the whole-program pass learnt about a project's own
functions, as `[api]` entries a user can read (to understand a finding) or copy into
sslint.toml (for code sslint cannot see), or as JSON."""
from __future__ import annotations

import json

from sslint.core.findings import FileResult
from sslint.model.api import FnSpec, table_entry


def collect(results: list[FileResult]) -> list[tuple[str, FnSpec]]:
    """(file, summary) for every summarised function, in file and analysis order."""
    return [(r.path, spec) for r in results for spec in r.summaries]


def as_json(items: list[tuple[str, FnSpec]]) -> str:
    out = []
    for path, spec in items:
        fields = [{"effect": f.spell(),
                   "released_at": f"{f.where.file}:{f.where.line}"
                   if f.where and f.op.startswith("release") else None}
                  for f in spec.fields]
        out.append({"function": spec.name, "file": path,
                    "linkage": "internal" if spec.static else "external",
                    "entry": {k: v for k, v in table_entry(spec).items() if k != "man"},
                    "fields": fields})
    return json.dumps({"version": 1, "summaries": out}, indent=2) + "\n"


def as_toml(items: list[tuple[str, FnSpec]]) -> str:
    lines = ["# Summaries sslint computed from these sources. Each [api.NAME] table is",
             "# what a caller of NAME is analysed with; copy one into sslint.toml to",
             "# declare a function whose body sslint cannot see."]
    last = None
    for path, spec in items:
        if path != last:
            lines += ["", f"# {path}"]
            last = path
        lines.append("")
        note = " (static: this file only)" if spec.static else ""
        lines.append(f"[api.{spec.name}]{'  #' + note if note else ''}")
        for key, value in table_entry(spec).items():
            if key == "man":
                continue
            lines.append(f"{key} = {_toml(value)}")
        for f in spec.fields:
            if f.where is not None and f.op.startswith("release"):
                lines.append(f"# {f.spell()}: released at {f.where.file}:{f.where.line}")
    return "\n".join(lines) + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"
