"""The text of a file's own headers (`#include "..."`), for the function prefilter.

A project often wraps the free functions in a macro defined in one of its headers
(`#define CONN_FREE(c) SSL_free((c)->ssl)`); a body that only names the macro must
still be analysed. Read from the source text, not from the translation unit, so
the answer is the same with and without a precompiled header. With `angle`, also
the `#include <...>` headers found in the flags' -I folders (nginx includes its
own headers so, its generated config header among them).
"""
from __future__ import annotations

import os
import re

_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.M)
_ANY_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)', re.M)
MAX_DEPTH = 3
MAX_BYTES = 4 * 1024 * 1024  # all headers of one file together


def quote_dirs(args: list[str]) -> list[str]:
    """Directories clang searches for `"..."` includes: -iquote, then -I."""
    quote, normal = _dirs(args)
    return quote + normal


def _dirs(args: list[str]) -> tuple[list[str], list[str]]:
    """The -iquote and the -I folders, each in order."""
    quote: list[str] = []
    normal: list[str] = []
    it = iter(range(len(args)))
    for i in it:
        a = args[i]
        for flag, bucket in (("-iquote", quote), ("-I", normal)):
            if a == flag and i + 1 < len(args):
                bucket.append(args[i + 1])
                next(it, None)
            elif a.startswith(flag) and len(a) > len(flag):
                bucket.append(a[len(flag):])
    return quote, normal


def local_header_texts(path: str, source: bytes, args: list[str],
                       angle: bool = False) -> list[bytes]:
    quote, normal = _dirs(args)
    pattern = _ANY_INCLUDE if angle else _INCLUDE
    seen: set[str] = set()
    out: list[bytes] = []
    budget = MAX_BYTES
    todo = [(os.path.dirname(os.path.abspath(path)), source, 0)]
    while todo:
        here, text, depth = todo.pop()
        if depth >= MAX_DEPTH:
            continue
        for m in pattern.finditer(text):
            # As clang searches: "..." from the includer's folder, -iquote, -I; <...> -I.
            name = os.fsdecode(m.group(1) or m.group(2))
            for d in [here] + quote + normal if m.group(1) else normal:
                cand = os.path.normpath(os.path.join(d, name))
                if cand in seen or not os.path.isfile(cand):
                    continue
                seen.add(cand)
                try:
                    with open(cand, "rb") as fh:
                        data = fh.read(budget + 1)
                except OSError:
                    break
                if len(data) > budget:
                    return out
                budget -= len(data)
                out.append(data)
                todo.append((os.path.dirname(cand), data, depth + 1))
                break
    return out
