"""A struct member that exists only under a feature switch, for recovery.

A tree checked without its build has the project's headers but not its `-D`
switches, so a struct the headers define may lack members the build compiles in
(mosquitto's `struct mosquitto` holds `listener` only under WITH_BROKER, which the
broker's build defines and none of its files test). Clang then says "no member
named 'listener' in 'struct mosquitto'"; here the struct's definition is found in
the headers' text and, when the member's declaration sits in a branch whose
condition a positive switch can make true (frontend.guards' rules for names), that
switch is the guess. An #else branch, a negated test or a name something defines
gives none.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sslint.frontend import guards

MAX_SWITCHES = 4   # per file, over all rounds


def for_member(texts: Iterable[bytes], tag: str, member: str,
               taken: frozenset[str] = frozenset()) -> list[str] | None:
    """The defines (NAME or NAME=VALUE) that bring `member` into `struct tag`, from
    the first header text defining the struct; None when no switch can."""
    opening = re.compile(rb"\bstruct\s+" + re.escape(tag.encode()) + rb"\s*\{")
    field = re.compile(rb"(?:\b|\*|\(\s*\*\s*)" + re.escape(member.encode())
                       + rb"\s*(?:\[[^\];]*\]\s*)*(?::\s*\w+\s*)?(?:\)\s*\([^;]*\)\s*)?;")
    for text in texts:
        m = opening.search(text)
        if m is None:
            continue
        end = _closing(text, m.end() - 1)
        at = field.search(text, m.end(), end)
        if at is None:
            return None  # not a member in any branch: nothing a switch can do
        defined = {d.group(1).decode("latin-1") for d in guards._DEFINE.finditer(text)}
        return _bring(text, at.start(), defined, taken)
    return None


def _bring(text: bytes, at: int, defined: set[str], taken: frozenset[str]) -> list[str] | None:
    """Defines that enter every branch around offset `at`, or None."""
    defines: set[str] = set()
    keep_out: set[str] = set()

    def ok(name: str, value: int | None) -> bool:
        return name not in defined and guards.switch_like(name)

    for chain in guards._chains(text, set(), set(), set()):
        for i, (cond, start, end) in enumerate(chain):
            if not start <= at < end:
                continue
            if cond is None or cond[0] == "unsupported" or i > 0:
                return None  # an #else, a test not read here, or a later alternative
            got = guards._make_true(cond, ok)
            if got is None:
                return None
            if not got[0]:
                continue  # holds already (an include guard's #ifndef)
            if got[1] & guards._bare(defines | taken):
                return None
            defines |= got[0]
            keep_out |= got[1]
    if not defines or guards._bare(defines) & keep_out:
        return None
    return sorted(defines)


def _closing(text: bytes, brace: int) -> int:
    """The offset of the `}` closing the `{` at `brace` (the text's end if none)."""
    depth = 0
    for m in re.finditer(rb"[{}]", text[brace:]):
        depth += 1 if m.group() == b"{" else -1
        if depth == 0:
            return brace + m.start()
    return len(text)
