"""Which C types are tracked OpenSSL handles, by the API table's [handles] sections.

Matched on the pointee's canonical record name (robust to user typedefs such as
`typedef SSL *ssl_ptr;`) and, failing that, on the spelled typedef name.
"""
from __future__ import annotations

import clang.cindex as ci

from sslint.frontend import clangx
from sslint.model.api import builtin_kinds

# By a type's spelling, for one translation unit: the same name can be another type
# in another file (`lws_tls_ctx *` is an SSL_CTX * where the TLS headers were found,
# an unknown type where recovery declared it), so the cache is emptied per file.
_cache: dict[str, str] = {}


def forget() -> None:
    """Empty the cache: a new translation unit begins."""
    _cache.clear()


def handle_of_type(t: ci.Type) -> str:
    """The handle kind ('SSL', 'BIO', ...) for a pointer to one, else ''."""
    try:
        key = t.spelling
        hit = _cache.get(key)
        if hit is not None:
            return hit
        result = _compute(t)
    except Exception:  # noqa: BLE001 - invalid types from broken code: not a handle
        return ""
    if len(_cache) < 10000:
        _cache[key] = result
    return result


def handle_of_cursor(c: ci.Cursor) -> str:
    """handle_of_type(c.type), the type read only when its spelling is new."""
    try:
        hit = _cache.get(clangx.type_spelling(c))
    except Exception:  # noqa: BLE001 - invalid types from broken code: not a handle
        return ""
    return hit if hit is not None else handle_of_type(c.type)


def _compute(t: ci.Type) -> str:
    canon = t.get_canonical()
    if canon.kind != ci.TypeKind.POINTER:
        return ""
    pointee = canon.get_pointee()
    name = pointee.spelling.replace("const ", "").replace("volatile ", "").strip()
    kinds = builtin_kinds()
    if name.startswith("struct "):
        return kinds.by_record.get(name[7:], "")
    return kinds.by_typedef.get(name, "")
