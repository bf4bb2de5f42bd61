"""The suppression scanner's comment finder (sslint.session.suppress._comments) jumps
from quote to slash with regular expressions; it must find exactly what the plain
character-by-character scanner it replaced found, strings and escapes included."""
from __future__ import annotations

import random

from conftest import TESTDATA

from sslint.session.suppress import _comments


def _reference(text: str) -> list[tuple[int, int]]:
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append((i + 2, end))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end
            out.append((i + 2, end))
            i = end + 2
        else:
            i += 1
    return out


def test_same_comments_as_the_plain_scanner_on_random_text():
    rng = random.Random(14)
    alphabet = "\"'/\\*\n ax"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert list(_comments(text)) == _reference(text), repr(text)


def test_same_comments_on_the_testdata():
    for path in sorted(TESTDATA.rglob("*.c")):
        text = path.read_bytes().decode("latin-1")
        assert list(_comments(text)) == _reference(text), path
