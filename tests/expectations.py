"""Inline expectations in testdata C files (in the spirit of clang's -verify):

    SSL_free(s);   /* expect: SSL101 */      a finding of this rule starts on this line
    SSL_free(s);   // expect: SSL101, SSL102  several
    SSL_free(s);   /* ok: SSL101 */          a deliberate negative: no such finding here
    SSL_free(s);   /* todo: SSL101 */        a known miss: fails once it is found
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARK = re.compile(r"\b(expect|ok|todo)\s*:\s*(SSL\d{3}(?:\s*,\s*SSL\d{3})*)")


@dataclass
class Expectations:
    expect: set[tuple[int, str]] = field(default_factory=set)
    ok: set[tuple[int, str]] = field(default_factory=set)
    todo: set[tuple[int, str]] = field(default_factory=set)


def parse_expectations(text: str) -> Expectations:
    out = Expectations()
    for lineno, line in enumerate(text.splitlines(), 1):
        if "//" not in line and "/*" not in line:
            continue
        for kind, ids in _MARK.findall(line):
            for rid in re.split(r"\s*,\s*", ids):
                getattr(out, kind).add((lineno, rid))
    return out


def compare(found: set[tuple[int, str]], exp: Expectations) -> list[str]:
    """Every way the findings disagree with the expectations, as readable lines."""
    problems = []
    for line, rid in sorted(exp.expect - found):
        problems.append(f"line {line}: expected {rid}, not found")
    for line, rid in sorted(found & exp.ok):
        problems.append(f"line {line}: {rid} found where marked ok")
    for line, rid in sorted(found & exp.todo):
        problems.append(f"line {line}: {rid} found where marked todo: promote it to expect")
    for line, rid in sorted(found - exp.expect - exp.todo - exp.ok):
        problems.append(f"line {line}: unexpected {rid}")
    return problems
