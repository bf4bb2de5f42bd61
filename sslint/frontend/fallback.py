"""Declarations assumed when a file's OpenSSL headers cannot be found.

Without them `SSL *s = SSL_new(ctx);` is no declaration at all (clang drops it as
an invalid expression). The handle kinds of the API table and its [fallback_types]
become opaque typedefs in a header that exists only in memory; functions stay
undeclared on purpose (calls are recognised by name).
"""
from __future__ import annotations

import re
from functools import cache

from sslint.model.api import builtin_fallback_types, builtin_kinds

PATH = "/__sslint__/openssl_fallback.h"  # never on disk: handed to libclang as unsaved


@cache
def header() -> bytes:
    lines = ["/* sslint: OpenSSL's headers were not found; its types are assumed. */",
             "#ifndef SSLINT_OPENSSL_FALLBACK_H", "#define SSLINT_OPENSSL_FALLBACK_H"]
    # The project's header that would have included OpenSSL's is missing, but
    # OpenSSL may be installed: its version macros then steer `#if
    # OPENSSL_VERSION_NUMBER < ...` as in the build (all of its headers would cost
    # more than the rest of a header-less parse).
    lines += ["#if defined(__has_include)", "#if __has_include(<openssl/opensslv.h>)",
              "#include <openssl/opensslv.h>", "#endif", "#endif"]
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
