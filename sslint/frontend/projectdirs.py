"""The project's own include folders, guessed for a run without the build.

A build passes `-I include` or `-I src` so that `#include <haproxy/ssl_sock.h>` or
`#include "lib/tls/tortls.h"` resolve; without it clang drops every declaration
those headers make, and recovery has to guess what the project's headers would
have said. Most such headers are in the tree, beside or above the file: here the
file's own includes (and those of its quoted headers in its folder) that clang
would not find are looked up in the file's folder and its parents, up to the
repository's root, as `NAME` and `include/NAME`. A folder that holds one becomes
a `-I`. Only without the build: any -I, -D or forced include in the arguments
says the build chose the folders. System folders are never added, nor a folder
for OpenSSL's own headers (the installed ones are the build's).
"""
from __future__ import annotations

import os
import re

MAX_DIRS = 4     # folders added
MAX_UP = 4       # parents of the file's folder searched (fewer at a repository root)
MAX_DEPTH = 3    # include levels read for names of more folders
MAX_HEADERS = 48
_ROOT_MARKS = (".git", ".hg", ".svn")
_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)', re.M)
_BUILD = ("-I", "-iquote", "-isystem", "-idirafter", "-D", "-include", "--include",
          "-imacros", "--imacros", "-iprefix", "-iwithprefix")
_SYSTEM = ("/usr/include", "/usr/local/include", "/opt/homebrew/include")


def guess(path: str, source: bytes, args: list[str] | tuple[str, ...]) -> list[str]:
    """The folders to add as -I for `path`, in the order found; [] with a build."""
    if any(a.startswith(_BUILD) for a in args):
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
            near = os.path.normpath(os.path.join(here, name)) if quoted else None
            got = near if near and os.path.isfile(near) else next(
                (os.path.join(d, name) for d in found
                 if os.path.isfile(os.path.join(d, name))), None)
            if got is None and not name.startswith(".") and not _system(name):
                folder = _search(here, name)
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


def _search(here: str, name: str) -> str | None:
    """The folder above `here` (or `here` itself) holding `name` as NAME or
    include/NAME, if any, and not a system folder."""
    for d in _parents(here):
        for c in (os.path.join(d, "include"), d):
            if os.path.isfile(os.path.join(c, name)):
                return None if c.startswith(_SYSTEM) else c
    return None


def _system(name: str) -> bool:
    """Whether clang finds the header among the system's or the compiler's."""
    from sslint.frontend.toolchain import header_dirs
    return any(os.path.isfile(os.path.join(d, name)) for d in _SYSTEM + header_dirs())


def _names(text: bytes) -> list[tuple[bool, str]]:
    return [(m.group(1) is not None, os.fsdecode(m.group(1) or m.group(2)))
            for m in _INCLUDE.finditer(text)]


def _parents(here: str) -> list[str]:
    """`here` and its parents, up to MAX_UP of them, stopping at a repository root."""
    out = []
    d = here
    for _ in range(MAX_UP + 1):
        out.append(d)
        if any(os.path.exists(os.path.join(d, m)) for m in _ROOT_MARKS):
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return out


def _read(path: str) -> bytes | None:
    try:
        if os.path.getsize(path) > 1 << 20:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except (OSError, ValueError):
        return None
