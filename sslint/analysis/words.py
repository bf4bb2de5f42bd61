"""Whole-word name sets for the prefilter, without regular expressions.

`re.compile(rb"\\b(name1|name2|...)\\b")` over the hundreds of lifecycle names of the
model cost ~3 ms per compile, and the prefilter recompiled it for every file and
every summary the file gained (15% of the analysis on the bench corpus). A text's
words (maximal runs of ASCII word characters, as `\\b\\w+` finds them) are read once
instead, and a name set matches when it shares one of them: the same answer as the
pattern's search, since every name is a single word.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable

_WORD = re.compile(rb"\b\w+")
_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(\w+)((?:\\\n|.)*)", re.M)


def words_of(text: bytes, start: int = 0, end: int = sys.maxsize) -> frozenset[bytes]:
    """The whole words of text[start:end] (a word cut by `start` does not count)."""
    return frozenset(_WORD.findall(text, start, end))


class Words:
    """A set of names searched for as whole words; `search` answers like the
    alternation pattern `\\b(names)\\b` would (truthy when one occurs)."""

    __slots__ = ("names",)

    def __init__(self, names: Iterable[bytes]):
        self.names = frozenset(names)

    def search(self, text: bytes, start: int = 0, end: int = sys.maxsize) -> bool:
        names = self.names
        return any(w in names for w in _WORD.findall(text, start, end))

    def among(self, words: frozenset[bytes]) -> bool:
        """Whether one of the names is among these words (see words_of)."""
        return not self.names.isdisjoint(words)


Macros = list[tuple[bytes, frozenset[bytes]]]


def macros_of(texts: Iterable[bytes]) -> Macros:
    """Each #define's name with the words of its parameters and body."""
    return [(m.group(1), words_of(m.group(2))) for text in texts
            for m in _DEFINE.finditer(text)]


def closure(seed: Iterable[str], macros: Macros) -> Words:
    """These names and the macros that (transitively) name one of them."""
    return closure_of(frozenset(n.encode() for n in seed), macros)


def closure_of(names: frozenset[bytes], macros: Macros) -> Words:
    """closure() of names already encoded (the model keeps its sets so: encoding its
    ~2,000 lifecycle names for every summary a file learnt was 1% of the analysis)."""
    grown: set[bytes] | None = None  # a copy only when a macro adds a name
    grew = True
    while grew:
        grew = False
        cur = names if grown is None else grown
        for name, body in macros:
            if name not in cur and not cur.isdisjoint(body):
                if grown is None:
                    grown = cur = set(names)
                grown.add(name)
                grew = True
    return Words(names if grown is None else grown)
