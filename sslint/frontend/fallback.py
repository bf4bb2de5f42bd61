"""Declarations assumed when a file's OpenSSL headers cannot be found.

Without them `SSL *s = SSL_new(ctx);` is no declaration at all (clang drops it as
an invalid expression). The handle kinds of the API table and its [fallback_types]
become opaque typedefs in a header that exists only in memory; functions stay
undeclared on purpose (calls are recognised by name).
"""
from __future__ import annotations

import os
import re
from functools import cache, lru_cache

from sslint.model.api import builtin_fallback_types, builtin_kinds

PATH = "/__sslint__/openssl_fallback.h"  # never on disk: handed to libclang as unsaved


@cache
def header(headers: tuple[str, ...] = ()) -> bytes:
    """The shim; `headers` are installed OpenSSL headers to include as well (see
    headers_for)."""
    lines = ["/* sslint: OpenSSL's headers were not found; its types are assumed. */",
             "#ifndef SSLINT_OPENSSL_FALLBACK_H", "#define SSLINT_OPENSSL_FALLBACK_H"]
    # The project's header that would have included OpenSSL's is missing, but
    # OpenSSL may be installed: its version macros then steer `#if
    # OPENSSL_VERSION_NUMBER < ...` as in the build (all of its headers would cost
    # more than the rest of a header-less parse).
    lines += ["#if defined(__has_include)"]
    for h in ("opensslv.h", *headers):
        lines += [f"#if __has_include(<openssl/{h}>)", f"#include <openssl/{h}>", "#endif"]
    lines += ["#endif"]
    for name, tag in sorted(_types().items()):
        lines.append(f"typedef struct {tag} {name};")
    # OpenSSL's type-building macros: without them every `STACK_OF(X509) *chain;`
    # is an expression clang drops (stack kinds are `struct stack_st_T`, safestack.h).
    lines += ["#ifndef STACK_OF", "#define STACK_OF(type) struct stack_st_##type", "#endif",
              "#ifndef LHASH_OF", "#define LHASH_OF(type) struct lhash_st_##type", "#endif",
              "#ifndef NULL", "#define NULL ((void *)0)", "#endif", "#endif", ""]
    return "\n".join(lines).encode()


def _types() -> dict[str, str]:
    out = dict(builtin_fallback_types())
    for kind in builtin_kinds().by_name.values():
        if kind.records:
            for t in kind.types:
                out[t] = kind.records[0]
    return out


@cache
def missing_openssl() -> re.Pattern[str]:
    """Diagnostics that say OpenSSL's headers (or its handle types) are missing."""
    names = "|".join(re.escape(t) for t in builtin_kinds().type_names())
    return re.compile(r"'openssl/[a-z0-9_]+\.h' file not found"
                      rf"|(unknown type name|use of undeclared identifier) '({names})'")


_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif)\b((?:\\\n|[^\n])*)", re.M)
_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", re.M)
_NAME = re.compile(rb"[A-Za-z_]\w*")
MAX_HEADERS = 4


def headers_for(source: bytes, folders: tuple[str, ...]) -> tuple[str, ...]:
    """The installed OpenSSL headers (of the first of `folders` holding
    openssl/opensslv.h) that define a macro the file's conditions test
    (`#ifdef SSL_MODE_ASYNC`, `#if !defined OPENSSL_NO_OCSP && defined
    SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB`): without them the build's branch is
    skipped, and the code in it never seen. Only those headers: all of OpenSSL's
    would cost more than the rest of a header-less parse."""
    defined = _openssl_macros(folders)
    if not defined:
        return ()
    out: set[str] = set()
    for d in _DIRECTIVE.finditer(source):
        out.update(defined[n] for n in _NAME.findall(d.group(1)) if n in defined)
    return tuple(sorted(out)[:MAX_HEADERS])


@lru_cache(maxsize=8)
def _openssl_macros(folders: tuple[str, ...]) -> dict[bytes, str]:
    """OpenSSL-owned macro name -> the header that defines it (the first one by
    name, when several do); the version macros are opensslv.h's, always included."""
    for d in folders:
        base = os.path.join(d, "openssl")
        if not os.path.exists(os.path.join(base, "opensslv.h")):
            continue
        out: dict[bytes, str] = {}
        for name in sorted(os.listdir(base)):
            if not name.endswith(".h") or name == "opensslv.h":
                continue
            try:
                with open(os.path.join(base, name), "rb") as fh:
                    text = fh.read()
            except OSError:
                continue
            for m in _DEFINE.finditer(text):
                if _OWNED.match(m.group(1)) and not m.group(1).endswith(b"_H"):
                    out.setdefault(m.group(1), name)
        return out
    return {}


# OpenSSL's own namespaces (those frontend.guards never guesses).
_OWNED = re.compile(rb"^(SSL|TLS|DTLS|OPENSSL|OSSL|X509|EVP|BIO|ERR|CRYPTO|PEM|ASN1|OCSP|"
                    rb"PKCS\d*|RSA|DSA|DH|EC|ECDSA|ECDH|BN|OBJ|NID|HMAC|ENGINE|RAND|CMS|CT|"
                    rb"UI|CONF)_")
