"""After the analysis: findings repeated by several units, per-file ignores, severity
overrides, inline suppressions, the rules that run on the suppressions (Rule.stage
"post-suppression") and baselines."""
from __future__ import annotations

from dataclasses import replace

from sslint.session.baseline import Baseline, FindingKeys
from sslint.session.baseline import compare as compare_baseline
from sslint.session.config import Config, ignored_in_file, level_override, rule_matches
from sslint.core.findings import FileResult, Finding
from sslint.output import Report
from sslint.core.rule import AfterSuppressions, LoadedRule, all_rules
from sslint.session.suppress import Suppressed, Suppressions


def filter_results(results: list[FileResult], rules: list[LoadedRule], cfg: Config
                   ) -> list[Suppressed]:
    """Apply per-file ignores, severity overrides and inline suppressions in place, then
    run the enabled post-suppression rules. Returns the suppressed findings."""
    names = {r.rule.id: r.rule.name for r in all_rules()}
    enabled = {r.rule.id for r in rules}
    levels = {rid: level_override(cfg, rid, name) for rid, name in names.items()}
    ignored: dict[str, tuple[str, ...]] = {}

    def keep(f: Finding) -> bool:
        if f.loc.file not in ignored:
            ignored[f.loc.file] = ignored_in_file(cfg, f.loc.file)
        return f.rule_id in enabled and not rule_matches(f.rule_id, names.get(f.rule_id, ""),
                                                         ignored[f.loc.file])

    def level(f: Finding) -> Finding:
        wanted = levels.get(f.rule_id)
        return replace(f, level=wanted) if wanted else f

    drop_repeats(results)
    sup = Suppressions()
    suppressed: list[Suppressed] = []
    for r in results:
        kept, hidden = sup.split([level(f) for f in r.findings if keep(f)])
        r.findings = kept
        suppressed += hidden
    # Rules of the post-suppression stage (SSL900) see which directives were used.
    state = AfterSuppressions(sup, frozenset(r.rule.id for r in rules
                                             if r.rule.stage == "analysis"), names)
    for loaded in rules:
        if loaded.after_suppressions is None:
            continue
        for r in results:
            extra = [level(f) for f in loaded.after_suppressions(r, state) if keep(f)]
            if extra:
                r.findings = sorted(r.findings + extra, key=Finding.sort_key)
    return suppressed


def drop_repeats(results: list[FileResult]) -> None:
    """A finding made again by another unit (a file compiled twice, a .c file both
    analysed alone and #included by another) is reported once, at its first unit."""
    seen: set[tuple] = set()
    for r in results:
        kept = []
        for f in r.findings:
            key = (f.rule_id, f.loc, f.message)
            if key not in seen:
                seen.add(key)
                kept.append(f)
        r.findings = kept


def apply_baseline(baseline: Baseline, results: list[FileResult], suppressed: list[Suppressed],
                   root: str) -> tuple[list[Finding], list[dict], list[Suppressed]]:
    """Leave only new findings in results; return (unchanged, absent, suppressed with
    their baseline state)."""
    keys = FindingKeys(Report([], [], root))
    everything = [f for r in results for f in r.findings] + [s.finding for s in suppressed]
    cmp = compare_baseline(baseline, everything, keys)
    old = {id(f) for f in cmp.unchanged}
    for r in results:
        r.findings = [f for f in r.findings if id(f) not in old]
    hidden_ids = {id(s.finding) for s in suppressed}
    unchanged = [f for f in cmp.unchanged if id(f) not in hidden_ids]
    suppressed = [replace(s, baseline_state="unchanged" if id(s.finding) in old else "new")
                  for s in suppressed]
    return unchanged, cmp.absent, suppressed


def baseline_snapshot(report: Report) -> Report:
    """The report --write-baseline writes: every finding that is not suppressed (new
    or already in a baseline), as a plain run with exit code 0."""
    accepted = [FileResult(r.path, sorted(r.findings + [f for f in report.unchanged
                                                        if f.loc.file == r.path],
                                          key=Finding.sort_key), analyzed=r.analyzed)
                for r in report.results]
    stray = [f for f in report.unchanged if f.loc.file not in {r.path for r in report.results}]
    if stray:
        accepted.append(FileResult(stray[0].loc.file, stray, analyzed=True))
    return replace(report, results=accepted, suppressed=[], show_suppressed=False,
                   baseline="", unchanged=[], absent=[], exit_code=0)
