"""Shared precompiled headers: the #include block that many files of a run start
with is parsed once, saved as a PCH, and loaded by every file that starts with it.

Most of a translation unit's parse is libc's and OpenSSL's headers, the same for
every file of a project. A file may use a PCH only when that is provably the same
as parsing it whole:

* Its *preamble* (the leading lines that hold nothing but comments and simple
  directives: #include, #define, #undef, balanced #if groups) begins with exactly
  the PCH's directives, and the clang arguments are identical (they are part of
  the key, with the working directory).
* The PCH header holds those directives and nothing else. It is a virtual file
  (libclang's unsaved files): in the file's own directory when a directive names
  a "quoted" header, so quoted includes resolve as they would from the file;
  elsewhere (angle includes resolve the same from anywhere) in the run's private
  temporary directory, which also holds the .pch files.
* The file is parsed with `-include-pch` and with those directive lines blanked
  out in memory (newlines kept), so the token stream, offsets, lines and columns
  are those of the original.
* Anything unusual stops the preamble early: line splices, `#pragma`, `#line`,
  computed includes, `__FILE__`/`__LINE__`-like macros in a directive, a BOM.
  Arguments that reorder what comes first (`-include`, `-imacros`, `-x`) disable
  the PCH for that file.

Clang checks the headers' sizes and times when it loads a PCH; a changed header
makes the parse fail, and the caller parses the file again without the PCH.

Without the build, the headers a preamble reaches often have errors (a generated
config header is missing). Such a PCH is still built, with its errors kept beside
it (`<pch>.errs`); a file parsed against it reports them first, as a plain parse
would, so what reads errors (the OpenSSL shim, recovery) sees the same ones.
Recovery's own parses never use a PCH: its prelude comes before the headers. A
header the directives themselves name that is missing (a checkout's config.h) is
reported at the PCH header's line: it is kept as the directive's and placed at
that directive of each file (`Plan.places`); any other error of the directives
means no PCH.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass

import clang.cindex as ci

from sslint.frontend import clangx, diags

MIN_SHARE = 3        # building costs about two parses; it pays off from the third user
SCAN_BYTES = 256 * 1024
KEEP_GOING = 0x200
INCOMPLETE = 0x08    # CXTranslationUnit_Incomplete: a header, not a whole TU
FOR_SERIALIZATION = 0x10

_DIRECTIVE = re.compile(rb"#[ \t]*([A-Za-z_]\w*)?(.*)", re.DOTALL)
_QUOTED_INCLUDE = re.compile(rb'"[^"\n]*"')
_ANGLE_INCLUDE = re.compile(rb"<[^>\n]*>")
_NOT_FOUND = re.compile(r"'[^']*' file not found")  # clang's message for a missing header
# Predefined macros whose value depends on where they are expanded.
_PLACE_MACROS = re.compile(rb"__(FILE|LINE|BASE_FILE|FILE_NAME|COUNTER|INCLUDE_LEVEL|"
                           rb"TIMESTAMP)__")
_SIMPLE = {b"include", b"define", b"undef", b"if", b"ifdef", b"ifndef", b"elif", b"else",
           b"endif", b"elifdef", b"elifndef"}
_OPEN = {b"if", b"ifdef", b"ifndef"}
_MIDDLE = {b"elif", b"else", b"elifdef", b"elifndef"}
# Arguments that put something before the main file, or change its language.
_ORDER_FLAGS = ("-include", "--include", "-imacros", "--imacros", "-x", "--language",
                "-fms-compatibility", "--driver-mode", "-E", "-fmodules")


@dataclass(frozen=True)
class Preamble:
    directives: tuple[bytes, ...]  # normalised directive texts, in order
    ends: tuple[int, ...]          # byte offset of the end of each directive's line
    quoted: tuple[bool, ...]       # whether the directive may resolve a "quoted" header
    cuts: tuple[int, ...]          # usable prefix lengths (outside #if, ≥ 1 include)


@dataclass(frozen=True)
class Build:
    """One PCH to make: its key, the directives and where its header pretends to be."""

    key: str
    args: tuple[str, ...]
    content: bytes
    folder: str  # "" for the run's temporary directory


@dataclass(frozen=True)
class Plan:
    """How to parse one file with a PCH: extra arguments and the blanked source;
    the (line, column) of the header name of each directive the PCH stands for."""

    args: tuple[str, ...]
    source: bytes
    places: tuple[tuple[int, int], ...] = ()


# ---- the preamble ---------------------------------------------------------------

def _directive_text(line: bytes) -> bytes | None:
    """The directive with comments removed and blanks squeezed outside literals, or
    None when the line cannot be taken (an unterminated comment or literal, a
    trigraph splice)."""
    if b"??/" in line:
        return None
    out = bytearray()
    i, n = 0, len(line)
    quote = 0

    def blank() -> None:
        if out and out[-1] != 0x20:
            out.append(0x20)

    while i < n:
        c = line[i]
        if quote:
            out.append(c)
            if c == 0x5C and i + 1 < n:  # backslash escape inside a literal
                out.append(line[i + 1])
                i += 2
                continue
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
            out.append(c)
        elif line.startswith(b"//", i):
            break
        elif line.startswith(b"/*", i):
            end = line.find(b"*/", i + 2)
            if end < 0:
                return None
            blank()
            i = end + 2
            continue
        elif c in b" \t\r\f\v":
            blank()
        else:
            out.append(c)
        i += 1
    if quote:
        return None
    return bytes(out).strip(b" ")


def scan(source: bytes) -> Preamble:
    """The preamble of `source`: the leading directives a PCH may stand in for."""
    if source.startswith(b"\xef\xbb\xbf"):
        return Preamble((), (), (), ())  # clang skips a BOM; keep it simple: no PCH
    directives: list[bytes] = []
    ends: list[int] = []
    quoted: list[bool] = []
    cuts: list[int] = []
    depth = 0
    seen_include = False
    data = source[:SCAN_BYTES]
    n = len(data)
    pos = 0
    while pos < n:
        c = data[pos]
        if c in b" \t\r\n\f\v":
            pos += 1
            continue
        if data.startswith(b"/*", pos):
            end = data.find(b"*/", pos + 2)
            if end < 0:
                break
            pos = end + 2
            continue
        eol = data.find(b"\n", pos)
        if eol < 0:
            break  # the last line may be cut by SCAN_BYTES: never take it
        line = data[pos:eol].rstrip(b"\r")
        if line.endswith(b"\\"):
            break  # a line splice: the next line belongs to this one
        if data.startswith(b"//", pos):
            pos = eol + 1
            continue
        if c != 0x23:  # '#': anything else ends the preamble
            break
        text = _directive_text(line)
        m = _DIRECTIVE.fullmatch(text or b"")
        if text is None or m is None or _PLACE_MACROS.search(text):
            break
        name, rest = m.group(1) or b"", m.group(2).strip()
        if name not in _SIMPLE:
            break
        if name == b"include":
            raw = line[line.find(b"include") + len(b"include"):]
            header = _include_operand(raw)
            if header is None:
                break
            text = b"#include " + header
            seen_include = True
        elif name in (b"define", b"undef"):
            if not re.match(rb"[A-Za-z_]\w*", rest):
                break
        elif name in _OPEN:
            depth += 1
        elif name in _MIDDLE:
            if depth == 0:
                break
        elif name == b"endif":
            if depth == 0:
                break
            depth -= 1
        directives.append(text)
        ends.append(eol)
        quoted.append(b'"' in text or b"__has_include" in text)
        if depth == 0 and seen_include:
            cuts.append(len(directives))
        pos = eol + 1
    return Preamble(tuple(directives), tuple(ends), tuple(quoted), tuple(cuts))


def _include_operand(raw: bytes) -> bytes | None:
    """`<x.h>` or `"x.h"` exactly as written (a header name is not squeezed), when the
    rest of the line is only whitespace or comments."""
    s = raw.lstrip(b" \t")
    m = _ANGLE_INCLUDE.match(s) or _QUOTED_INCLUDE.match(s)
    if m is None:
        return None
    tail = _directive_text(s[m.end():])
    if tail is None or tail.strip():
        return None
    return m.group(0)


def blank(source: bytes, end: int) -> bytes:
    """`source` with every byte before `end` except line breaks turned into a space."""
    head = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in source[:end])
    return head + source[end:]


# ---- keys -----------------------------------------------------------------------

def eligible(args: list[str] | tuple[str, ...]) -> bool:
    """Whether these clang arguments allow a PCH at all. The first `-x c` is
    sslint's own; any other -x, and flags that put text before the main file, do
    not."""
    rest = list(args)
    if rest[:2] == ["-x", "c"]:
        rest = rest[2:]
    return not any(a.startswith(_ORDER_FLAGS) for a in rest)


def _key(args: tuple[str, ...], folder: str, directives: tuple[bytes, ...]) -> str:
    blob = json.dumps([list(args), os.getcwd(), folder,
                       [d.decode("latin-1") for d in directives]])
    return hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _folder(path: str, pre: Preamble, k: int) -> str:
    return os.path.dirname(os.path.abspath(path)) if any(pre.quoted[:k]) else ""


def _read_head(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(SCAN_BYTES)
    except OSError:
        return None


def plan_builds(units: list[tuple[str, tuple[str, ...]]],
                min_share: int = MIN_SHARE) -> list[Build]:
    """The PCHs worth building for these (path, full clang args) pairs: for each file
    the longest preamble prefix that at least `min_share` files start with."""
    candidates: list[list[tuple[str, Build]]] = []
    counts: Counter[str] = Counter()
    for path, args in units:
        options: list[tuple[str, Build]] = []
        data = _read_head(path) if eligible(args) else None
        if data:
            pre = scan(data)
            for k in pre.cuts:
                folder = _folder(path, pre, k)
                key = _key(args, folder, pre.directives[:k])
                options.append((key, Build(key, args, b"\n".join(pre.directives[:k]) + b"\n",
                                           folder)))
                counts[key] += 1
        candidates.append(options)
    # Each file takes its longest popular prefix, or a shorter one twice as popular
    # (one PCH for many files pays; a longer one for three each seldom does: tor's
    # 30 builds of `or.h` plus a few headers cost 1.6 s and saved 0.1 s); a PCH
    # left with too few takers is dropped and its files fall back to shorter
    # prefixes, until nothing changes.
    dropped: set[str] = set()
    while True:
        chosen: dict[str, Build] = {}
        users: Counter[str] = Counter()
        for options in candidates:
            pick: tuple[str, Build] | None = None
            for key, build in reversed(options):
                if key not in dropped and counts[key] >= min_share and (
                        pick is None or counts[key] >= 2 * counts[pick[0]]):
                    pick = (key, build)
            if pick is not None:
                chosen[pick[0]] = pick[1]
                users[pick[0]] += 1
        weak = {k for k in chosen if users[k] < min_share}
        if not weak:
            return [chosen[k] for k in sorted(chosen)]
        dropped |= weak


# ---- building and using -----------------------------------------------------------

def _header_args(args: tuple[str, ...]) -> list[str]:
    out = list(args)
    if out[:2] == ["-x", "c"]:
        out[1] = "c-header"
    return out


def header_path(build: Build, tmpdir: str) -> str:
    return os.path.join(build.folder or tmpdir, f".sslint-pch-{build.key}.h")


def build(b: Build, tmpdir: str) -> tuple[str, str | None, float]:
    """Parse and save one PCH in `tmpdir`. Returns (key, .pch path or None, seconds);
    None when the header has an error of its own (then no file uses it).

    Errors inside the headers it reaches (a project parsed without its build, whose
    generated config header is missing) are kept with the PCH (`<pch>.errs`): a
    file parsed against it no longer reports them, and they are added back to its
    errors (`errors_of`), so it sees the errors a plain parse would."""
    t0 = time.perf_counter()
    hdr = header_path(b, tmpdir)
    out = os.path.join(tmpdir, f"{b.key}.pch")
    n_dirs = b.content.count(b"\n")
    try:
        tu = ci.Index.create().parse(
            os.fsencode(hdr), args=[os.fsencode(a) for a in _header_args(b.args)],
            unsaved_files=[(os.fsencode(hdr), b.content)],
            options=KEEP_GOING | INCOMPLETE | FOR_SERIALIZATION)
        errs = diags.errors(tu, hdr)
        # An error on the directives themselves is reported at the PCH header's
        # lines: a missing header the file names (a generated config.h) is kept
        # with no file, its line the directive's, and placed in each file that
        # uses the PCH (Plan.places); any other such error, no PCH.
        mine = {i for i, e in enumerate(errs) if e.file == hdr}
        if any(e.file is None for e in errs) or any(
                not _NOT_FOUND.fullmatch(errs[i].message) or not 1 <= errs[i].line <= n_dirs
                for i in mine):
            return b.key, None, time.perf_counter() - t0
        if mine:
            kept = diags.Errors(e._replace(file="", col=0) if i in mine else e
                                for i, e in enumerate(errs))
            kept.toolchain = errs.toolchain
            errs = kept
        tu.save(out)
        _write_errors(out, errs)
        write_deps(out, tu)  # last: reusable() requires it
        del tu
    except (ci.TranslationUnitLoadError, ci.TranslationUnitSaveError, OSError):
        return b.key, None, time.perf_counter() - t0
    return b.key, out, time.perf_counter() - t0


def write_deps(pch_path: str, tu: ci.TranslationUnit) -> None:
    """The headers a PCH was made from, with their size and mtime, in `<pch>.deps`:
    a unit parsed against the PCH does not list them itself (sslint.frontend.deps),
    and a PCH kept across runs is reused only while they are unchanged."""
    names = sorted({os.path.normpath(n) for n in clangx.inclusions(tu)})
    lines = []
    for n in names:
        try:
            st = os.stat(n)
            lines.append(f"{st.st_size}\t{st.st_mtime_ns}\t{n}\n")
        except OSError:
            lines.append(f"-\t-\t{n}\n")
    tmp = f"{pch_path}.deps.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("".join(lines))
    os.replace(tmp, pch_path + ".deps")


def _write_errors(pch_path: str, errs: diags.Errors) -> None:
    tmp = f"{pch_path}.errs.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
        json.dump({"errors": [list(e) for e in errs], "toolchain": list(errs.toolchain)}, fh)
    os.replace(tmp, pch_path + ".errs")


def errors_of(pch_path: str) -> diags.Errors | None:
    """The errors the PCH's headers had when it was built (see build), or None
    when they cannot be read. An error of the PCH's own directives has the file ""
    and the directive's number as its line."""
    try:
        with open(pch_path + ".errs", encoding="utf-8", errors="surrogateescape") as fh:
            data = json.load(fh)
        out = diags.Errors(diags.Diagnostic(f, int(ln), int(col), str(msg))
                           for f, ln, col, msg in data["errors"])
        out.toolchain = tuple(str(t) for t in data["toolchain"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return out


def _deps_lines(pch_path: str) -> list[list[str]] | None:
    try:
        with open(pch_path + ".deps", encoding="utf-8", errors="surrogateescape") as fh:
            rows = [line.split("\t", 2) for line in fh.read().splitlines()]
    except OSError:
        return None
    return rows if all(len(r) == 3 for r in rows) else None


def read_deps(pch_path: str) -> list[str] | None:
    """The headers write_deps listed, or None when that cannot be read."""
    rows = _deps_lines(pch_path)
    return None if rows is None else [r[2] for r in rows]


def reusable(b: Build, folder: str) -> str | None:
    """The PCH a previous run built for b in `folder` (kept across runs), if every
    header it was made from still has the size and mtime (in nanoseconds) it had.
    Clang checks sizes and mtimes in seconds when it loads a PCH, so whatever clang
    would refuse is rebuilt here first."""
    out = os.path.join(folder, f"{b.key}.pch")
    rows = _deps_lines(out)
    if rows is None or not os.path.isfile(out) or errors_of(out) is None:
        return None
    for size, mtime, name in rows:
        try:
            st = os.stat(name)
        except OSError:
            return None
        if size != str(st.st_size) or mtime != str(st.st_mtime_ns):
            return None
    return out


class Table:
    """The PCHs of this run, by key; the lookup for one file."""

    def __init__(self, entries: tuple[tuple[str, str], ...] = ()):
        self.entries = entries
        self._by_key = dict(entries)
        # The last plan made: a unit asks twice (to parse, then for its dependencies).
        self._last: tuple[tuple[str, tuple[str, ...], bytes], Plan | None] | None = None

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def plan(self, path: str, args: list[str]) -> Plan | None:
        """How to parse `path` with a PCH, or None to parse it whole."""
        if not self._by_key or not eligible(args):
            return None
        try:
            with open(path, "rb") as fh:
                source = fh.read()
        except OSError:
            return None
        asked = (path, tuple(args), source)
        if self._last is not None and self._last[0] == asked:
            return self._last[1]
        got = self._plan(path, args, source)
        self._last = (asked, got)
        return got

    def _plan(self, path: str, args: list[str], source: bytes) -> Plan | None:
        pre = scan(source)
        for k in reversed(pre.cuts):
            key = _key(tuple(args), _folder(path, pre, k), pre.directives[:k])
            pch = self._by_key.get(key)
            if pch is not None:
                return Plan(("-include-pch", pch), blank(source, pre.ends[k - 1]),
                            _places(source, pre.ends[:k]))
        return None


def _places(source: bytes, ends: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Per directive line ending at these offsets: its line, and the column where a
    header name (`"` or `<`) starts, where clang reports a missing header."""
    out = []
    for end in ends:
        start = source.rfind(b"\n", 0, end) + 1
        text = source[start:end]
        inc = text.find(b"include")
        name = min((i for i in (text.find(b'"', inc), text.find(b"<", inc)) if i >= 0),
                   default=-1) if inc >= 0 else -1
        out.append((source.count(b"\n", 0, start) + 1, name + 1 if name >= 0 else 1))
    return tuple(out)


_index: ci.Index | None = None


def index() -> ci.Index:
    """An index that leaves declarations from a PCH out of cursor visits: sslint
    visits only the main file's functions, and walking the PCH's thousands of
    declarations would deserialise them all (it costs more than the parse saves)."""
    global _index
    if _index is None:
        _index = ci.Index.create(excludeDecls=True)
    return _index


_active = Table()


def install(table: Table) -> None:
    """Make `table` the PCHs parse() consults in this process."""
    global _active
    _active = table


def active() -> Table:
    return _active
