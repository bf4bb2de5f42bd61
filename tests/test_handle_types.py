"""A type's handle kind is read per file: the same typedef name can name an SSL_CTX
in one file and something else in the next one a worker parses (a header found for
one, missing for the other), and the answer must not depend on the order."""
from __future__ import annotations

from sslint.frontend import parse
from sslint.model.api import ApiModel

TLS = b"""#include <openssl/ssl.h>
typedef SSL_CTX app_ctx;
void use(app_ctx *c);
void f(void) { app_ctx *c = 0; use(c); }
"""
OTHER = b"""struct other { int n; };
typedef struct other app_ctx;
void use(app_ctx *c);
void f(void) { app_ctx *c = 0; use(c); }
"""


def _handle_of_c(path) -> str:
    fn = parse.parse_file(str(path), []).functions[-1]
    lowered = fn.lower(str(path), ApiModel().fixed_names)
    got = {n.expr.target.handle for n in lowered.nodes
           if n.expr is not None and getattr(n.expr, "target", None) is not None
           and getattr(n.expr.target, "name", "") == "c"}
    assert len(got) == 1, got
    return got.pop()


def test_the_same_type_name_is_read_again_in_each_file(tmp_path):
    tls, other = tmp_path / "tls.c", tmp_path / "other.c"
    tls.write_bytes(TLS)
    other.write_bytes(OTHER)
    assert _handle_of_c(tls) == "SSL_CTX"
    assert _handle_of_c(other) == ""
    assert _handle_of_c(tls) == "SSL_CTX"
