"""The rule interface: metadata record, event subscription, discovery.

A rule module in `rules/` (installed as `sslint.rules`) defines:

    RULE = Rule(id=..., name=..., ...)      # all metadata, named fields
    def check(event: Event) -> Finding | None

and its docstring is the rule's documentation (ruff's headings: What it does /
Why is this bad? / Example / Use instead / References). Rules never see libclang
cursors: the engine hands them Events.

A rule with `stage="post-suppression"` sees no events; it runs once inline
suppressions have been applied, through its module's

    def after_suppressions(result: FileResult, state: AfterSuppressions) -> list[Finding]

(SSL900 reports the suppressions that suppressed nothing that way).
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sslint.core.events import EVENT_KINDS, Event
from sslint.core.findings import FileResult, Finding

if TYPE_CHECKING:
    from sslint.session.suppress import Suppressions

MAN_BASE = "https://docs.openssl.org/master/man3/"
LEVELS = ("note", "warning", "error")
PRECISIONS = ("very-high", "high", "medium", "low")
# When a rule runs: on one function's events; on the program's (after every file was
# analysed); after inline suppressions.
STAGES = ("analysis", "program", "post-suppression")


@dataclass(frozen=True)
class Rule:
    id: str                      # stable code, e.g. "SSL101"; never renumbered
    name: str                    # kebab-case slug
    summary: str                 # one line (SARIF shortDescription)
    events: tuple[str, ...]      # engine events this rule consumes
    man: tuple[str, ...]         # man pages, e.g. ("SSL_free", "SSL_new"); first one is helpUri
    man_section: str = ""        # the section of the first page the rule derives from
    cwe: int | None = None
    level: str = "warning"       # default SARIF level
    precision: str = "high"
    security_severity: str = ""  # numeric string for security rules, "" otherwise
    tags: tuple[str, ...] = ()
    since: str = "0.1.0"
    handles: tuple[str, ...] = ()  # empty: all handle kinds
    stage: str = "analysis"      # "post-suppression": after_suppressions(), not events
    opt_in: str = ""             # a run switch the rule needs to run at all, "" for none

    def __post_init__(self) -> None:
        if not re.fullmatch(r"SSL\d{3}", self.id):
            raise ValueError(f"bad rule id {self.id!r}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"rule {self.id}: name must be kebab-case")
        if self.level not in LEVELS or self.precision not in PRECISIONS:
            raise ValueError(f"rule {self.id}: bad level or precision")
        unknown = set(self.events) - set(EVENT_KINDS)
        if unknown:
            raise ValueError(f"rule {self.id}: unknown events {sorted(unknown)}")
        if self.stage not in STAGES or (self.stage == "post-suppression" and self.events):
            raise ValueError(f"rule {self.id}: bad stage {self.stage!r} for its events")

    @property
    def help_uri(self) -> str:
        return f"{MAN_BASE}{self.man[0]}/" if self.man else ""

    @property
    def all_tags(self) -> tuple[str, ...]:
        tags = list(self.tags)
        if self.security_severity and "security" not in tags:
            tags.insert(0, "security")
        if self.cwe:
            tags.append(f"external/cwe/cwe-{self.cwe}")
        return tuple(tags)


@dataclass(frozen=True)
class AfterSuppressions:
    """What a post-suppression rule sees once inline suppressions have been applied."""

    suppressions: Suppressions   # the directives read so far, marked with the codes used
    suppressible: frozenset[str]  # enabled rules whose findings the directives could hide
    known: Mapping[str, str]     # every rule id -> name


PostSuppressionHook = Callable[[FileResult, AfterSuppressions], list[Finding]]


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    check: Callable[[Event], Finding | None]
    doc: str = field(repr=False)
    module: str = ""
    after_suppressions: PostSuppressionHook | None = field(default=None, repr=False)

    def sections(self) -> dict[str, str]:
        """The docstring split on its `## ` headings; key '' is the title paragraph."""
        out: dict[str, str] = {}
        key = ""
        buf: list[str] = []
        for line in self.doc.splitlines():
            if line.startswith("## "):
                out[key] = "\n".join(buf).strip()
                key, buf = line[3:].strip(), []
            else:
                buf.append(line)
        out[key] = "\n".join(buf).strip()
        return out

    def full_description(self) -> str:
        """1–3 sentences (SARIF fullDescription, limited to 1024 characters)."""
        text = " ".join(self.sections().get("What it does", self.rule.summary).split())
        return text[:1024]


def _rules_package() -> ModuleType:
    try:
        import sslint.rules as pkg
    except ModuleNotFoundError:
        # A source checkout: rules/ sits beside sslint/ (an install maps it to sslint.rules).
        path = Path(__file__).resolve().parents[2] / "rules"
        spec = importlib.util.spec_from_file_location(
            "sslint.rules", path / "__init__.py", submodule_search_locations=[str(path)])
        if spec is None or spec.loader is None:
            raise
        pkg = importlib.util.module_from_spec(spec)
        sys.modules["sslint.rules"] = pkg
        spec.loader.exec_module(pkg)
    return pkg


def _rule_modules() -> list[ModuleType]:
    pkg = _rules_package()

    mods = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mods.append(importlib.import_module(f"{pkg.__name__}.{info.name}"))
    return mods


_REGISTRY: list[LoadedRule] | None = None


def all_rules() -> list[LoadedRule]:
    """Every rule module under sslint.rules, sorted by id (stable SARIF ruleIndex)."""
    global _REGISTRY
    if _REGISTRY is None:
        loaded = []
        for mod in _rule_modules():
            rule = getattr(mod, "RULE", None)
            check = getattr(mod, "check", None)
            if not isinstance(rule, Rule) or not callable(check):
                raise RuntimeError(f"{mod.__name__}: a rule module needs RULE and check()")
            hook = getattr(mod, "after_suppressions", None) \
                if rule.stage == "post-suppression" else None
            if rule.stage == "post-suppression" and not callable(hook):
                raise RuntimeError(f"{mod.__name__}: a post-suppression rule needs "
                                   "after_suppressions()")
            loaded.append(LoadedRule(rule, check, (mod.__doc__ or "").strip(), mod.__name__,
                                     hook))
        loaded.sort(key=lambda r: r.rule.id)
        ids = [r.rule.id for r in loaded]
        if len(ids) != len(set(ids)):
            raise RuntimeError(f"duplicate rule ids: {ids}")
        _REGISTRY = loaded
    return _REGISTRY


def select_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[LoadedRule]:
    """ruff-style selection by id or id prefix ('SSL1'), or by name."""

    def matches(r: Rule, pats: tuple[str, ...]) -> bool:
        return any(r.id.startswith(p.upper()) or r.name == p for p in pats)

    rules = all_rules()
    if select:
        rules = [r for r in rules if matches(r.rule, select)]
    if ignore:
        rules = [r for r in rules if not matches(r.rule, ignore)]
    return rules


def unknown_selectors(pats: tuple[str, ...]) -> list[str]:
    rules = [r.rule for r in all_rules()]
    return [p for p in pats if not any(r.id.startswith(p.upper()) or r.name == p for r in rules)]
