"""fingerprint._normalised builds the hashed stream with str and array operations;
it must equal the character-by-character definition (the action's algorithm) on
any text: CR, LF, CRLF, spaces between them, tabs, astral characters."""
from __future__ import annotations

import random

from sslint.output.fingerprint import EOF_MARK, _normalised

_TAB, _LF, _CR, _SPACE = 0x09, 0x0A, 0x0D, 0x20


def _reference(text: str) -> tuple[list[int], list[int]]:
    def code_units():
        for ch in text:
            cp = ord(ch)
            if cp > 0xFFFF:
                cp -= 0x10000
                yield 0xD800 + (cp >> 10)
                yield 0xDC00 + (cp & 0x3FF)
            else:
                yield cp

    units: list[int] = []
    line_starts: list[int] = []
    at_line_start, after_cr = True, False
    for unit in (*code_units(), EOF_MARK):
        if unit in (_SPACE, _TAB) or (after_cr and unit == _LF):
            after_cr = False
            continue
        after_cr = unit == _CR
        if after_cr:
            unit = _LF
        if at_line_start:
            line_starts.append(len(units))
            at_line_start = False
        if unit == _LF:
            at_line_start = True
        units.append(unit)
    return units, line_starts


def test_same_stream_as_the_definition():
    rng = random.Random(14)
    alphabet = ["\r", "\n", " ", "\t", "a", "é", "\U0001F600", "\udcff", "x"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert _normalised(text) == _reference(text), repr(text)
