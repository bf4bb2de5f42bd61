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
import stat
import time
from collections import OrderedDict

_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.M)
_ANY_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)', re.M)
MAX_DEPTH = 3
MAX_BYTES = 4 * 1024 * 1024  # all headers of one file together


def quote_dirs(args: list[str]) -> list[str]:
    """Directories clang searches for `"..."` includes: -iquote, then -I."""
    quote, normal = _dirs(args)
    return quote + normal


def include_dirs(args: list[str]) -> tuple[list[str], list[str]]:
    """The -iquote and the -I folders of these arguments."""
    return _dirs(args)


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
    """The texts of the headers `source` reaches through its #include lines (3
    levels, 4 MiB at most), whatever #if they are under."""
    return [text for _, text in local_headers(path, source, args, angle)]


def local_headers(path: str, source: bytes, args: list[str],
                  angle: bool = False) -> list[tuple[str, bytes]]:
    """local_header_texts with each header's path."""
    quote, normal = _dirs(args)
    pattern = _ANY_INCLUDE if angle else _INCLUDE
    seen: set[str] = set()
    out: list[tuple[str, bytes]] = []
    budget = MAX_BYTES
    # A build's headers include the same names from the same folders: each path is
    # made once, each folder listed once (then only the headers found are stat'ed).
    stats: dict[str, os.stat_result | None] = {}
    paths = _PATHS
    if len(paths) > 65536:
        paths.clear()
    folders: dict[str, frozenset[str]] = {}
    todo: list[tuple[str, bytes, int, tuple | None]] = [
        (os.path.dirname(os.path.abspath(path)), source, 0, None)]
    while todo:
        here, text, depth, known = todo.pop()
        if depth >= MAX_DEPTH:
            continue
        for quoted, name in _includes(text, pattern, known):
            # As clang searches: "..." from the includer's folder, -iquote, -I; <...> -I.
            for d in [here] + quote + normal if quoted else normal:
                cand = paths.get((d, name))
                if cand is None:
                    cand = paths[(d, name)] = os.path.normpath(os.path.join(d, name))
                if cand in seen:
                    if angle:
                        break  # the header clang would include: read already
                    continue
                if cand not in stats:
                    folder, base = os.path.split(cand)
                    if folder not in folders:
                        folders[folder] = _regular_files(folder)
                    stats[cand] = _stat(cand) if base in folders[folder] else None
                st = stats[cand]
                if st is None:
                    continue
                seen.add(cand)
                data = _read(cand, st, budget)
                if data is None:
                    break
                if len(data) > budget:
                    return out
                budget -= len(data)
                out.append((cand, data))
                todo.append((os.path.dirname(cand), data, depth + 1,
                             (cand, st.st_mtime_ns, st.st_size)))
                break
    return out


_PATHS: dict[tuple[str, str], str] = {}  # (folder, name) -> normalised path: text only


def _stat(path: str) -> os.stat_result | None:
    """The file's stat when it is a regular file (as os.path.isfile)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st if stat.S_ISREG(st.st_mode) else None


_LISTINGS: dict[str, tuple[int, frozenset[str]]] = {}
_SETTLED_NS = 2_000_000_000


def _regular_files(folder: str) -> frozenset[str]:
    """The names of the regular files in a folder (symlinks followed, as
    os.path.isfile), listed again when the folder's time changes."""
    try:
        when = os.stat(folder).st_mtime_ns
    except (OSError, ValueError):
        return frozenset()
    got = _LISTINGS.get(folder)
    if got is not None and got[0] == when:
        return got[1]
    try:
        with os.scandir(folder) as entries:
            names = frozenset(e.name for e in entries if e.is_file())
    except OSError:
        names = frozenset()
    # A folder's time ticks coarsely: one changed within the last seconds may change
    # again without a new time, so its listing is not kept.
    if time.time_ns() - when > _SETTLED_NS:
        if len(_LISTINGS) > 4096:
            _LISTINGS.clear()
        _LISTINGS[folder] = (when, names)
    return names


# Headers read before, by path: the files of a project include the same ones. A
# changed size or time reads the file again.
_CACHE: OrderedDict[str, tuple[int, int, bytes]] = OrderedDict()
_CACHE_BYTES = 32 << 20
_kept = 0


def _read(path: str, st: os.stat_result, budget: int) -> bytes | None:
    """The file's bytes (at most budget + 1 of them when it is not cached)."""
    got = _CACHE.get(path)
    if got is not None and got[:2] == (st.st_mtime_ns, st.st_size):
        _CACHE.move_to_end(path)
        return got[2]
    try:
        with open(path, "rb") as fh:
            data = fh.read(budget + 1)
    except OSError:
        return None
    if len(data) == st.st_size:  # whole (a file past the budget is not kept)
        global _kept
        if got is not None:
            _kept -= len(got[2])
        _CACHE[path] = (st.st_mtime_ns, st.st_size, data)
        _CACHE.move_to_end(path)
        _kept += len(data)
        while _kept > _CACHE_BYTES and len(_CACHE) > 1:
            _kept -= len(_CACHE.popitem(last=False)[1][2])
    return data


_INCLUDES: dict[tuple, list[tuple[bool, str]]] = {}


def _includes(text: bytes, pattern: re.Pattern[bytes],
              known: tuple | None) -> list[tuple[bool, str]]:
    """The (quoted, name) of each #include the pattern finds; remembered for a
    header known by (path, time, size)."""
    key = (known, pattern)
    got = _INCLUDES.get(key) if known is not None else None
    if got is None:
        got = [(m.group(1) is not None, os.fsdecode(m.group(1) or m.group(2)))
               for m in pattern.finditer(text)]
        if known is not None:
            if len(_INCLUDES) > 4096:
                _INCLUDES.clear()
            _INCLUDES[key] = got
    return got
