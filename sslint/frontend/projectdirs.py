"""The project's own include folders, guessed for a run without the build.

A build passes `-I include` or `-I src` so that `#include <haproxy/ssl_sock.h>` or
`#include "lib/tls/tortls.h"` resolve; without it clang drops every declaration
those headers make, and recovery has to guess what the project's headers would
have said. Most such headers are in the tree, beside or above the file: here the
file's own includes (and those of the project headers they reach) that clang would
not find are looked up in the file's folder and its parents, up to the
project's root (a repository, or the folder of its licence), as `NAME` and
`include/NAME`; a `<NAME>` found nowhere there is looked up one and two folders
below them (nginx's src/core), when the root was seen, exactly one folder holds
it and it is no other platform's port. A folder that holds one
becomes a `-I`. Only without the build: any -I, -D or forced include in the
arguments says the build chose the folders. System folders are never added, nor a
folder for OpenSSL's own headers (the installed ones are the build's).
"""
from __future__ import annotations

import functools
import os
import re
import time

MAX_DIRS = 8     # folders added
MAX_UP = 4       # parents of the file's folder searched (fewer at a repository root)
MAX_DEPTH = 3    # include levels read for names of more folders
MAX_HEADERS = 48
MAX_SUBFOLDERS = 200  # per parent, one and two levels below it
_ROOT_MARKS = (".git", ".hg", ".svn", ".bzr")
_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)', re.M)
BUILD_FLAGS = ("-I", "-iquote", "-isystem", "-idirafter", "-D", "-include", "--include",
          "-imacros", "--imacros", "-iprefix", "-iwithprefix")
_SYSTEM = ("/usr/include", "/usr/local/include", "/opt/homebrew/include")


def guess(path: str, source: bytes, args: list[str] | tuple[str, ...]) -> list[str]:
    """The folders to add as -I for `path`, in the order found; [] with a build."""
    if any(a.startswith(BUILD_FLAGS) for a in args):
        return []
    found: list[str] = []
    # The file's includes, then those of the project headers they reach (curl's
    # vtls files name <curl/curl.h> only through "../curl_setup.h").
    todo = [(os.path.dirname(os.path.abspath(path)), source, 0)]
    read: set[str] = set()
    while todo and len(found) < MAX_DIRS:
        here, text, depth = todo.pop(0)
        for quoted, name in _names(text):
            if os.path.isabs(name) or name.split("/")[0] == "openssl":
                continue  # no folder to find, or OpenSSL's own
            got = _file(here, name) if quoted else None
            if got is None:
                got = next((g for d in found if (g := _file(d, name)) is not None), None)
            if got is None and not name.startswith(".") and not _system(name):
                folder = _search(here, name, quoted)
                if folder is not None and len(found) < MAX_DIRS:
                    found.append(folder)
                    got = os.path.join(folder, name)
            if got is not None and got not in read and depth < MAX_DEPTH \
                    and len(read) < MAX_HEADERS:
                read.add(got)
                data = _read(got)
                if data is not None:
                    todo.append((os.path.dirname(got), data, depth + 1))
    return found


# The files of a run reach the same headers from the same folders: what exists is
# remembered for a few seconds (not longer: an editor's server lives on while
# files appear).
_FRESH_S = 5.0
_seen: dict[tuple[str, str], str | None] = {}
_seen_since = 0.0


def _file(folder: str, name: str) -> str | None:
    """folder/name, normalised, when it is a file; else None."""
    global _seen_since
    now = time.monotonic()
    if now - _seen_since > _FRESH_S:
        _seen.clear()
        _seen_since = now
    key = (folder, name)
    if key not in _seen:
        path = os.path.normpath(os.path.join(folder, name))
        _seen[key] = path if os.path.isfile(path) else None
    return _seen[key]


def _search(here: str, name: str, quoted: bool) -> str | None:
    """The folder above `here` (or `here` itself) holding `name` as NAME or
    include/NAME; else, for `<name>`, the one subfolder of theirs holding it
    (nginx's src/core for <ngx_config.h>, from src/event); never a system folder."""
    parents, rooted = _parents(here)
    for d in parents:
        for c in (os.path.join(d, "include"), d):
            if _file(c, name) is not None:
                return None if c.startswith(_SYSTEM) else c
    if quoted or "/" in name or not rooted:
        # "config.h" may be any subproject's; and without a project root in sight,
        # the folders below the parents may be other projects' (a folder of
        # checkouts): only the build knows.
        return None
    for d in parents:
        hits = [c for c in _subfolders(d) if _file(c, name) is not None
                and not _OTHER_PLATFORM.search(os.path.relpath(c, d))]
        if hits:
            # Two folders with the header: which one the build uses is unknown.
            return hits[0] if len(hits) == 1 and not hits[0].startswith(_SYSTEM) else None
    return None


# A folder for another platform's port (nginx's src/os/win32): the #include naming
# it sits in a branch the build does not take on this one.
_OTHER_PLATFORM = re.compile(r"(^|[/_.-])(win\d*|windows|w32|mingw|cygwin|msvc|vms|darwin|"
                             r"macos|osx|ios|android|haiku|os2|amiga)($|[/_.-])", re.I)


_SUBFOLDERS: dict[str, list[str]] = {}


def _subfolders(top: str) -> list[str]:
    """The folders one and two levels below `top` (not hidden ones), at most
    MAX_SUBFOLDERS, nearest first; listed once per process."""
    got = _SUBFOLDERS.get(top)
    if got is None:
        got = []
        level = [top]
        for _ in range(2):
            below = []
            for d in level:
                try:
                    with os.scandir(d) as entries:
                        below += sorted(e.path for e in entries
                                        if not e.name.startswith(".") and e.is_dir())
                except OSError:
                    continue
                if len(got) + len(below) >= MAX_SUBFOLDERS:
                    break
            got += below[:MAX_SUBFOLDERS - len(got)]
            level = below
        if len(_SUBFOLDERS) > 256:
            _SUBFOLDERS.clear()
        _SUBFOLDERS[top] = got
    return got


def system_header(name: str) -> bool:
    """Whether the system (or the compiler) has this header."""
    return _system(name)


@functools.lru_cache(maxsize=8192)
def _system(name: str) -> bool:
    """Whether clang finds the header among the system's or the compiler's."""
    from sslint.frontend.toolchain import header_dirs
    return any(_file(d, name) is not None for d in system_dirs() + header_dirs())


@functools.cache
def system_dirs() -> tuple[str, ...]:
    """The system's header folders, multiarch ones included (Debian's
    /usr/include/x86_64-linux-gnu holds sys/socket.h)."""
    multiarch = sorted(os.path.join("/usr/include", e) for e in _listdir("/usr/include")
                       if e.endswith(("-linux-gnu", "-linux-musl", "-linux-gnueabihf")))
    return ("/usr/local/include", *multiarch, *_SYSTEM[:1], *_SYSTEM[2:])


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


@functools.lru_cache(maxsize=4096)
def _names(text: bytes) -> list[tuple[bool, str]]:
    return [(m.group(1) is not None, os.fsdecode(m.group(1) or m.group(2)))
            for m in _INCLUDE.finditer(text)]


def _parents(here: str) -> tuple[list[str], bool]:
    """`here` and its parents, up to MAX_UP of them, stopping at the project's root
    (a repository, or the folder of its licence); whether that root was reached."""
    out = []
    d = here
    for _ in range(MAX_UP + 1):
        out.append(d)
        if _is_root(d):
            return out, True
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return out, False


_LICENCE = re.compile(r"(?i)^(licen[cs]e|copying)([._-]\w+)*$")


@functools.lru_cache(maxsize=4096)
def _is_root(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(e.name in _ROOT_MARKS or _LICENCE.match(e.name) for e in entries)
    except OSError:
        return False


def _read(path: str) -> bytes | None:
    """A header's bytes (at most 1 MiB), through localheaders' cache of the run."""
    from sslint.frontend import localheaders
    st = localheaders._stat(path)
    if st is None or st.st_size > 1 << 20:
        return None
    return localheaders._read(path, st, 1 << 20)
