"""What counts as passing a struct field's handle on, for SSL104, in bodies sslint
does not analyse (sslint.analysis.fields)."""
from __future__ import annotations

from sslint.analysis.fields import ANY, mentioned_fields


def _fields(code: bytes, known=frozenset({"SSL_read"})) -> set[str]:
    found = mentioned_fields(code, 0, len(code), known.__contains__)
    assert all(r == ANY for r, _ in found)
    return {f for _, f in found}


def test_copies_returns_and_unknown_calls_pass_a_field_on():
    assert _fields(b"{ ctx = s->hp_ctx; }") == {"hp_ctx"}
    assert _fields(b"{ return c->cert; }") == {"cert"}
    assert _fields(b"{ keep(a, c->sess); }") == {"sess"}
    assert _fields(b"{ keep((void *)c->key); }") == {"key"}


def test_tests_stores_comments_and_openssl_uses_do_not():
    code = (b"{ if (c->ssl) go(); c->bio = NULL; SSL_read(c->ssl2, b, 1);\n"
            b"  if (!c->x509 && c->y == NULL) {} /* free(c->sess) */ free(c); }")
    assert _fields(code) == set()
