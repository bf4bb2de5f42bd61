"""The text scan that orders units callee-first (sslint.session.callgraph)."""
from __future__ import annotations

from sslint.session.callgraph import Scan, scan_text, waves


def test_definitions_with_external_linkage_and_calls():
    text = (b"#include <x.h>\n"
            b"static int helper(int a) { return a; }\n"
            b"SSL *\ntls_open(SSL_CTX *ctx,\n         int fd)\n{\n"
            b"  return make(ctx, helper(fd));\n}\n"
            b"void conn_fail(struct conn *c) {\n  if (c) SSL_free(c->ssl);\n}\n"
            b"int decl_only(int);\n")
    s = scan_text(text)
    assert s.defines == {"tls_open", "conn_fail"}
    assert {"make", "SSL_free"} <= s.calls
    assert not s.calls & {"helper", "tls_open", "if"}  # a prototype counts as a call: harmless


def test_waves_put_callees_first_and_cycles_together():
    a = Scan(frozenset({"a"}), frozenset({"b"}))   # calls b
    b = Scan(frozenset({"b"}), frozenset({"c"}))   # calls c
    c = Scan(frozenset({"c"}), frozenset())
    x = Scan(frozenset({"x"}), frozenset({"y"}))   # x and y call each other
    y = Scan(frozenset({"y"}), frozenset({"x"}))
    order = waves([a, b, c, x, y])
    where = {i: n for n, wave in enumerate(order) for i in wave}
    assert where[2] < where[1] < where[0]
    assert where[3] == where[4]


def test_a_name_two_units_define_orders_nothing():
    one = Scan(frozenset({"setup"}), frozenset())
    two = Scan(frozenset({"setup"}), frozenset())
    user = Scan(frozenset(), frozenset({"setup"}))
    assert waves([one, two, user]) == [[0, 1, 2]]


def test_hot_functions_lead_to_a_lifecycle_call():
    """Only functions whose bodies call a lifecycle function, directly or through
    another such function, can make a caller worth analysing."""
    from sslint.session.callgraph import hot, scan_text

    a = scan_text(b"void drop(struct c *c)\n{\n    SSL_free(c->ssl);\n}\n"
                  b"static void wrap(struct c *c)\n{\n    drop(c);\n}\n"
                  b"int log_it(int x)\n{\n    return printf(\"%d\", x);\n}\n")
    b = scan_text(b"void outer(struct c *c)\n{\n    wrap(c);\n    log_it(1);\n}\n")
    assert dict(a.bodies)["wrap"] == {"drop"}
    assert a.defines == {"drop", "log_it"} and a.calls == {"SSL_free", "printf"}
    assert hot([a, b], frozenset({"SSL_free"})) == {"drop", "wrap", "outer"}
