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


def test_a_name_several_units_define_orders_its_callers_after_all_of_them():
    """Alternative backends (crypto_openssl.c, crypto_mbedtls.c) define the same
    names; the build compiles one, the text cannot tell which."""
    one = Scan(frozenset({"setup"}), frozenset())
    two = Scan(frozenset({"setup"}), frozenset())
    user = Scan(frozenset(), frozenset({"setup"}))
    assert waves([one, two, user]) == [[0, 1], [2]]


def test_a_mock_calling_back_merges_no_waves():
    """A test's mock of `conn_free` calls the server's `serve`; `serve` calls
    `conn_free`, defined by the mock and the real file. Ordering `serve` after the
    mock would put both in one cycle: the real definer still comes first."""
    real = Scan(frozenset({"conn_free"}), frozenset({"SSL_free"}))
    mock = Scan(frozenset({"conn_free", "test_main"}), frozenset({"serve"}))
    server = Scan(frozenset({"serve"}), frozenset({"conn_free"}))
    order = waves([real, mock, server])
    where = {i: w for w, members in enumerate(order) for i in members}
    assert where[0] < where[2] < where[1]


def test_a_name_defined_everywhere_orders_nothing():
    """Past a few definers (test mocks), a name gives no edges."""
    many = [Scan(frozenset({"setup"}), frozenset()) for _ in range(9)]
    user = Scan(frozenset(), frozenset({"setup"}))
    assert waves([*many, user]) == [list(range(10))]


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


def test_hot_reaches_across_units_and_alternative_definitions():
    """A function is hot through a callee another unit defines, and a name defined by
    two backends is hot if either body is (the build compiles one of them)."""
    from sslint.session.callgraph import hot

    ossl = scan_text(b"void backend_close(struct c *c)\n{\n    SSL_free(c->ssl);\n}\n")
    other = scan_text(b"void backend_close(struct c *c)\n{\n    mbedtls_free(c);\n}\n")
    user = scan_text(b"void conn_close(struct c *c)\n{\n    backend_close(c);\n}\n"
                     b"void conn_log(int x)\n{\n    printf(\"%d\", x);\n}\n")
    assert hot([user, other, ossl], frozenset({"SSL_free"})) == {
        "backend_close", "conn_close"}
    assert hot([user, other], frozenset({"SSL_free"})) == frozenset()


def test_stops_are_the_bodies_calling_a_noreturn_function():
    """Direct callers only: a caller of a fatal helper is not itself fatal."""
    from sslint.session.callgraph import stops

    a = scan_text(b"void fatal(const char *m)\n{\n    puts(m);\n    exit(1);\n}\n"
                  b"void check(int ok)\n{\n    if (!ok)\n        fatal(\"x\");\n}\n")
    assert stops([a], frozenset({"exit"})) == {"fatal"}
    assert stops([a], frozenset({"exit", "fatal"})) == {"fatal", "check"}


def test_scans_are_kept_by_content_and_a_bad_entry_is_a_miss(tmp_path):
    import os

    from sslint.session import callgraph
    from sslint.session.cache import Cache
    from sslint.session.results import SCANS, ResultsCache

    src = tmp_path / "a.c"
    src.write_text("static int helper(int x) { return x; }\n\n"
                   "int conn_close(struct conn *c) { SSL_free(c->ssl); return helper(1); }\n")
    rc = ResultsCache(Cache(str(tmp_path / "cache")), "settings")
    fresh = callgraph.scan(str(src))
    assert fresh.defines == {"conn_close"} and "SSL_free" in fresh.calls
    assert rc.scan(str(src)) == fresh
    folder = tmp_path / "cache" / "v1" / SCANS
    (entry,) = os.listdir(folder)
    assert rc.scan(str(src)) == fresh  # read back
    (folder / entry).write_bytes(b"{not json")
    assert rc.scan(str(src)) == fresh  # a bad entry is a miss, and made again
    assert callgraph.from_json((folder / entry).read_bytes()) == fresh
    for planted in (b'{"defines": "conn_close", "calls": [], "bodies": []}',
                    b'{"defines": [], "calls": [1], "bodies": []}',
                    b'{"defines": [], "calls": [], "bodies": [[1, []]]}', b"[]", b"null"):
        assert callgraph.from_json(planted) is None, planted
    src.write_text("int conn_open(void) { return SSL_new(0) != 0; }\n")
    again = rc.scan(str(src))
    assert again.defines == {"conn_open"} and again == callgraph.scan(str(src))
    assert rc.scan(str(tmp_path / "missing.c")) == Scan(frozenset(), frozenset())
