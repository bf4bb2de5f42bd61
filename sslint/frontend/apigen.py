"""Reads the installed OpenSSL headers with libclang: every function that takes or
returns a tracked handle kind, and the version the headers declare. The default
table (sslint/model/openssl_generated.toml, written by tools/gen_api.py) classifies
these by OpenSSL's naming conventions; tests check it still covers the headers."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import clang.cindex as ci

from sslint.frontend.handles import handle_of_type
from sslint.frontend.parse import clang_args, index

K = ci.CursorKind
# Headers that cannot be included on their own or only wrap others for old code.
_SKIP = {"asn1_mac.h", "ssl2.h", "configuration.h", "__DECC_INCLUDE_PROLOGUE.h",
         "__DECC_INCLUDE_EPILOGUE.h", "fipskey.h"}


@dataclass(frozen=True)
class Decl:
    name: str
    params: tuple[str, ...]      # per parameter: handle kind, "&KIND" for KIND **, or ""
    result: str                  # handle kind of the result, or ""
    const_params: tuple[bool, ...] = ()
    header: str = ""

    def tracked(self) -> bool:
        return bool(self.result) or any(self.params)


def find_include_dir(candidates: tuple[str, ...] = ("/usr/include", "/usr/local/include")
                     ) -> str | None:
    """The folder holding openssl/ssl.h (the parent of openssl/), if any."""
    for d in candidates:
        if os.path.isfile(os.path.join(d, "openssl", "ssl.h")):
            return d
    return None


_VERSION = {k: re.compile(rb"#\s*define\s+" + k.encode() + rb"\s+(\w+)")
            for k in ("OPENSSL_VERSION_MAJOR", "OPENSSL_VERSION_MINOR",
                      "OPENSSL_VERSION_PATCH", "OPENSSL_VERSION_NUMBER")}


def header_version(opensslv_text: bytes) -> tuple[int, int, int] | None:
    """(major, minor, patch) from opensslv.h: OPENSSL_VERSION_MAJOR & co in 3.x,
    OPENSSL_VERSION_NUMBER (0xMNNFFPPSL) before."""
    parts = [_VERSION[k].search(opensslv_text) for k in
             ("OPENSSL_VERSION_MAJOR", "OPENSSL_VERSION_MINOR", "OPENSSL_VERSION_PATCH")]
    if all(parts):
        try:
            return tuple(int(m.group(1).rstrip(b"uUlL"), 0) for m in parts)  # type: ignore
        except ValueError:
            return None
    m = _VERSION["OPENSSL_VERSION_NUMBER"].search(opensslv_text)
    if m is None:
        return None
    try:
        n = int(m.group(1).rstrip(b"uUlL"), 0)
    except ValueError:
        return None
    return (n >> 28) & 0xF, (n >> 20) & 0xFF, (n >> 12) & 0xFF


def scan(include_dir: str) -> list[Decl]:
    """Every function declared (or defined inline) in include_dir/openssl/*.h whose
    parameters or result are tracked handles."""
    hdir = os.path.join(include_dir, "openssl")
    names = sorted(f for f in os.listdir(hdir) if f.endswith(".h") and f not in _SKIP)
    text = "".join(f"#include <openssl/{n}>\n" for n in names).encode()
    path = "/__sslint__/all_openssl.c"
    args = clang_args(["-I", include_dir, "-DOPENSSL_SUPPRESS_DEPRECATED",
                       "-DOPENSSL_API_COMPAT=10101"])
    tu = index().parse(path, args=args, unsaved_files=[(path, text)],
                       options=ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES)
    out: dict[str, Decl] = {}
    for c in tu.cursor.get_children():
        if c.kind != K.FUNCTION_DECL or c.spelling in out:
            continue
        f = c.location.file
        if f is None or not os.path.dirname(f.name).endswith("openssl"):
            continue
        params, consts = [], []
        for a in c.get_arguments():
            params.append(_param_kind(a.type))
            consts.append("const" in a.type.get_pointee().spelling.split()
                          if a.type.kind == ci.TypeKind.POINTER else False)
        d = Decl(c.spelling, tuple(params), handle_of_type(c.result_type), tuple(consts),
                 os.path.basename(f.name))
        if d.tracked():
            out[d.name] = d
    return sorted(out.values(), key=lambda d: d.name)


def _param_kind(t: ci.Type) -> str:
    kind = handle_of_type(t)
    if kind:
        return kind
    canon = t.get_canonical()
    if canon.kind == ci.TypeKind.POINTER:
        inner = handle_of_type(canon.get_pointee())
        if inner:
            return "&" + inner
    return ""


def openssl_version(args: list[str] | tuple[str, ...]) -> tuple[int, int, int] | None:
    """The OpenSSL version a file compiled with these arguments sees: opensslv.h in
    the first include folder (-I, -isystem, then the system's) that has one."""
    return _version_in(include_folders(args))


def include_folders(args: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Where these arguments look for <openssl/...>: -I, -isystem, then the system's."""
    dirs: list[str] = []
    it = iter(args)
    for a in it:
        for flag in ("-I", "-isystem", "-idirafter"):
            if a == flag:
                dirs.append(next(it, ""))
            elif a.startswith(flag) and len(a) > len(flag) and flag == "-I":
                dirs.append(a[2:])
    return tuple(dirs) + ("/usr/local/include", "/usr/include")


@lru_cache(maxsize=64)
def _version_in(dirs: tuple[str, ...]) -> tuple[int, int, int] | None:
    for d in dirs:
        path = os.path.join(d, "openssl", "opensslv.h")
        try:
            with open(path, "rb") as f:
                return header_version(f.read(65536))
        except OSError:
            continue
    return None
