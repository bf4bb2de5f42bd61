"""A struct member that exists only under a feature switch, for recovery.

A tree checked without its build has the project's headers but not its `-D`
switches, so a struct the headers define may lack members the build compiles in
(mosquitto's `struct mosquitto` holds `listener` only under WITH_BROKER, which the
broker's build defines and none of its files test). Clang then says "no member
named 'listener' in 'struct mosquitto'"; here the struct's definition is found in
the headers' text and, when the member's declaration sits in a branch whose
condition a positive switch can make true (frontend.guards' rules for names), that
switch is the guess. An #else branch, a negated test or a name something defines
gives none. The same for a type clang says is unknown (`for_type`): nginx's TLS
modules take their config type from a header `ngx_http.h` includes only under
NGX_HTTP_SSL.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

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
        return _bring(text, at.start(), _defined(text), taken)
    return None


def openssl_owned(name: str) -> bool:
    """A name in one of OpenSSL's namespaces (`SSL_QUIC_METHOD`,
    `ssl_encryption_level_t`): a project header declaring it under a switch is a
    compatibility layer for other OpenSSL versions, not the project's own code."""
    return bool(guards._OPENSSL_OWNED.match(name.upper()))


def for_type(files: list[tuple[str, bytes]], name: str,
             taken: frozenset[str] = frozenset()) -> list[str] | None:
    """The defines that bring the declaration of type `name` into the parse: it is
    declared (a typedef) in one of these (path, text) files, under a switch there,
    or in a header another file includes under one. None when no switch can."""
    key = name.encode()
    for path, text in files:
        at = _typedefs(text).get(key)
        if at is None or not path:
            continue
        got = _bring(text, at, _defined(text), taken, quiet=True)
        if got != []:
            return got  # under a switch of its own header, or one no switch enters
        base = os.path.basename(path).encode()
        for other, includer in files:
            for off in _includes(includer).get(base, ()) if other != path else ():
                found = _bring(includer, off, _defined(includer), taken)
                if found:
                    return found
        return None
    return None


# Read once per text: recovery asks for every unknown type name of a file (168
# times over unbound's 19 OpenSSL files), each time over the same headers.
_TYPEDEF = re.compile(rb"(?:\}\s*|\btypedef\b[^;{}]*[\s*])([A-Za-z_]\w*)\s*;")


@lru_cache(maxsize=512)
def _typedefs(text: bytes) -> dict[bytes, int]:
    """Each typedef name the text declares, and where its declaration starts."""
    out: dict[bytes, int] = {}
    for m in _TYPEDEF.finditer(text):
        out.setdefault(m.group(1), m.start())
    return out


@lru_cache(maxsize=512)
def _includes(text: bytes) -> dict[bytes, tuple[int, ...]]:
    """Where the text includes each header, by the header's base name."""
    out: dict[bytes, list[int]] = {}
    for m in guards._INCLUDED.finditer(text):
        out.setdefault(os.path.basename(m.group(2)), []).append(m.start())
    return {k: tuple(v) for k, v in out.items()}


def _defined(text: bytes) -> set[str]:
    return {d.group(1).decode("latin-1") for d in guards._DEFINE.finditer(text)}


def _bring(text: bytes, at: int, defined: set[str], taken: frozenset[str],
           quiet: bool = False) -> list[str] | None:
    """Defines that enter every branch around offset `at`, or None; with `quiet`,
    [] when every branch around it holds already (nothing to define)."""
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
    if not defines:
        return [] if quiet else None
    if guards._bare(defines) & keep_out:
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
