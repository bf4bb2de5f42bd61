"""Which C types are tracked OpenSSL handles.

Matched on the pointee's canonical record name (robust to user typedefs such as
`typedef SSL *ssl_ptr;`) and, failing that, on the spelled typedef name.
"""
from __future__ import annotations

import clang.cindex as ci

RECORD_HANDLES = {
    "ssl_st": "SSL",
    "bio_st": "BIO",
    "ssl_session_st": "SSL_SESSION",
    "ssl_ctx_st": "SSL_CTX",
}
TYPEDEF_HANDLES = {"SSL": "SSL", "BIO": "BIO", "SSL_SESSION": "SSL_SESSION", "SSL_CTX": "SSL_CTX"}

_cache: dict[str, str] = {}


def handle_of_type(t: ci.Type) -> str:
    """'SSL', 'BIO', 'SSL_SESSION', 'SSL_CTX' for a pointer to one of them, else ''."""
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


def _compute(t: ci.Type) -> str:
    canon = t.get_canonical()
    if canon.kind != ci.TypeKind.POINTER:
        return ""
    pointee = canon.get_pointee()
    name = pointee.spelling.replace("const ", "").replace("volatile ", "").strip()
    if name.startswith("struct "):
        return RECORD_HANDLES.get(name[7:], "")
    return TYPEDEF_HANDLES.get(name, "")
