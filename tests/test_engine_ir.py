"""The engine on hand-built IR (tests/irbuild.py), without libclang: each test
builds the CFG of the C in its comment, runs sslint.engine.worklist.analyze on it with
the built-in API model, and checks the events. Line numbers count from the
function's signature on line 1."""
from __future__ import annotations

import dataclasses

import pytest
from irbuild import NULL, FnBuilder, Int, add, assign, call, eq, lt, ne, not_

from sslint.core import ir
from sslint.core.findings import Loc
from sslint.engine.state import ALLOC, MAYBE, Obj, State
from sslint.engine.worklist import Budget, FunctionResult, analyze, renumber
from sslint.model.api import ApiModel

# What the bug rules read; the advisory 'call'/'release' events and
# 'unchecked-return' are left out so that "no event" means "no bug".
BUGS = frozenset({"double-release", "use-after-release", "leak", "release-borrowed",
                  "release-transferred", "null-use"})


@pytest.fixture(scope="module")
def model() -> ApiModel:
    return ApiModel()


def run(fn: ir.Function, model: ApiModel, budget: Budget | None = None) -> FunctionResult:
    return analyze(fn, model, budget or Budget(), None, BUGS)


def events(res: FunctionResult) -> list[tuple[str, int, str, str]]:
    return [(e.kind, e.site.line, e.var, e.api) for e in res.events]


def test_alloc_then_free_is_clean(model):
    # void f(SSL_CTX *ctx)
    # {
    #     SSL *s = SSL_new(ctx);
    #     SSL_free(s);
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    f.stmt(4, call("SSL_free", s))
    res = run(f.build(), model)
    assert events(res) == []
    assert not res.partial and res.steps > 0


def test_double_free_is_reported_at_the_second_call(model):
    # void f(SSL_CTX *ctx)
    # {
    #     SSL *s = SSL_new(ctx);
    #     SSL_free(s);
    #     SSL_free(s);
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    f.stmt(4, call("SSL_free", s))
    f.stmt(5, call("SSL_free", s))
    assert events(run(f.build(), model)) == [("double-release", 5, "s", "SSL_free")]


def test_leak_on_one_branch_of_an_if(model):
    # int f(SSL_CTX *ctx, int fail)
    # {
    #     SSL *s = SSL_new(ctx);
    #     if (s == NULL)
    #         return -1;
    #     if (fail)
    #         return -1;          /* s leaks here */
    #     SSL_free(s);
    #     return 0;
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    fail = f.param("fail")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    with f.if_(4, eq(s, NULL)):
        f.ret(5, Int(-1))
    with f.if_(6, fail):
        f.ret(7, Int(-1))
    f.stmt(8, call("SSL_free", s))
    f.ret(9, Int(0))
    res = run(f.build(), model)
    # A leak is reported where the handle was allocated (the exit is on its path).
    assert events(res) == [("leak", 3, "s", "SSL_new")]
    [leak] = res.events
    assert 7 in {step.loc.line for step in leak.trail}


def test_freeing_on_both_branches_of_an_if_else_is_clean(model):
    # int f(SSL_CTX *ctx, int fail)
    # {
    #     SSL *s = SSL_new(ctx);
    #     if (fail) {
    #         SSL_free(s);
    #         return -1;
    #     } else {
    #         SSL_free(s);
    #     }
    #     return 0;
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    fail = f.param("fail")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    with f.if_(4, fail):
        f.stmt(5, call("SSL_free", s))
        f.ret(6, Int(-1))
    with f.else_():
        f.stmt(8, call("SSL_free", s))
    f.ret(10, Int(0))
    assert events(run(f.build(), model)) == []


def test_use_after_free(model):
    # int f(SSL_CTX *ctx, const void *buf, int n)
    # {
    #     SSL *s = SSL_new(ctx);
    #     if (!s)
    #         return -1;
    #     SSL_free(s);
    #     return SSL_write(s, buf, n);
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    buf, n = f.param("buf", pointer=True), f.param("n")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    with f.if_(4, not_(s)):
        f.ret(5, Int(-1))
    f.stmt(6, call("SSL_free", s))
    f.ret(7, call("SSL_write", s, buf, n))
    assert events(run(f.build(), model)) == [("use-after-release", 7, "s", "SSL_write")]


def _connect(with_null_check: bool) -> ir.Function:
    # int f(SSL_CTX *ctx)
    # {
    #     SSL *s = SSL_new(ctx);
    #     if (s == NULL)             /* only with_null_check */
    #         return -1;             /* only with_null_check */
    #     SSL_connect(s);
    #     SSL_free(s);
    #     return 0;
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    if with_null_check:
        with f.if_(4, eq(s, NULL)):
            f.ret(5, Int(-1))
    f.stmt(6, call("SSL_connect", s))
    f.stmt(7, call("SSL_free", s))
    f.ret(8, Int(0))
    return f.build()


def test_null_check_prunes_the_null_use(model):
    assert events(run(_connect(with_null_check=False), model)) == [
        ("null-use", 6, "s", "SSL_connect")]
    assert events(run(_connect(with_null_check=True), model)) == []


def _counting_loop(step: str) -> ir.Function:
    # int f(SSL_CTX *ctx, int n)
    # {
    #     int i = 0;
    #     while (i < n) {
    #         SSL *s = SSL_new(ctx);
    #         if (s == NULL)
    #             return -1;
    #         SSL_free(s);
    #         i++;                   /* step "i++", or "i = i + 1" */
    #     }
    #     return 0;
    # }
    f = FnBuilder("f")
    ctx, n = f.param("ctx", "SSL_CTX"), f.param("n")
    i, s = f.local("i"), f.local("s", "SSL")
    f.stmt(3, assign(i, Int(0)))
    with f.while_(4, lt(i, n)):
        f.stmt(5, assign(s, call("SSL_new", ctx, returns="SSL")))
        with f.if_(6, eq(s, NULL)):
            f.ret(7, Int(-1))
        f.stmt(8, call("SSL_free", s))
        f.stmt(9, ir.Unary("++", i) if step == "i++" else assign(i, add(i, Int(1))))
    f.ret(11, Int(0))
    return f.build()


def test_alloc_and_free_in_a_loop_is_clean(model):
    res = run(_counting_loop("i++"), model)
    assert events(res) == []
    assert not res.partial


def test_a_loop_counting_with_i_plus_1_is_analysed_fully(model):
    res = run(_counting_loop("i = i + 1"), model)
    assert events(res) == []
    assert not res.partial


def test_free_inside_a_loop_of_a_handle_from_before_it(model):
    # void f(SSL_CTX *ctx)
    # {
    #     SSL *s = SSL_new(ctx);
    #     while (keep_going())
    #         SSL_free(s);          /* the second time round: freed again */
    # }                             /* no time round: s leaks */
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx, returns="SSL")))
    with f.while_(4, call("keep_going")):
        f.stmt(5, call("SSL_free", s))
    res = run(f.build(), model)
    assert sorted(events(res)) == [("double-release", 5, "s", "SSL_free"),
                                   ("leak", 3, "s", "SSL_new")]
    assert not res.partial


def _serve_loop(double_free: bool = False, addressed: bool = False) -> ir.Function:
    # void f(SSL_CTX *ctx)
    # {
    #     forget(&s, &peer);           /* addressed only: read through pointers? */
    #     while (keep_going()) {
    #         SSL *s = SSL_new(ctx);
    #         if (s != NULL) {
    #             X509 *peer = SSL_get1_peer_certificate(s);
    #             if (peer != NULL)
    #                 X509_free(peer);
    #             SSL_free(s);
    #             SSL_free(s);          /* double_free only */
    #         }
    #     }
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s, peer = f.local("s", "SSL"), f.local("peer", "X509")
    if addressed:
        f.stmt(2, call("forget", ir.AddrOf(s), ir.AddrOf(peer)))
    with f.while_(3, call("keep_going")):
        f.stmt(4, assign(s, call("SSL_new", ctx, returns="SSL")))
        with f.if_(5, ne(s, NULL)):
            f.stmt(6, assign(peer, call("SSL_get1_peer_certificate", s, returns="X509")))
            with f.if_(7, ne(peer, NULL)):
                f.stmt(8, call("X509_free", peer))
            f.stmt(9, call("SSL_free", s))
            if double_free:
                f.stmt(10, call("SSL_free", s))
    return f.build()


def test_a_handle_freed_each_time_round_does_not_multiply_states(model):
    """At the loop head `s` and `peer` are dead (assigned before they are read):
    their freed or NULL objects are let go, so the second time round meets the
    states of the first instead of making new ones (a new object id each time).
    Not when their address was taken: a pointer may read them where liveness
    does not look."""
    fast = run(_serve_loop(), model)
    slow = run(_serve_loop(addressed=True), model)
    assert events(fast) == events(slow) == [] and not fast.partial and not slow.partial
    assert fast.steps * 2 < slow.steps
    double = run(_serve_loop(double_free=True), model)
    assert events(double) == [("double-release", 10, "s", "SSL_free")]


def test_an_object_whose_sites_first_id_is_free_takes_it():
    """`SSL_SESSION_free(sess); sess = SSL_get1_session(s);` in a loop: the new session
    is made while the old one still holds the site's id; once the old one is gone the
    new one takes that id, so the next time round meets the same state."""
    site = Loc("a.c", 46, 20, 46, 39)
    sess = Obj("SSL_SESSION", ALLOC, 1, 1, MAYBE, site, "SSL_get1_session")
    st = State({"sess#1": "@46:20#1", "ok#2": 0}, {"@46:20#1": sess})
    renumber(st)
    assert st.env == {"sess#1": "@46:20", "ok#2": 0} and st.objs == {"@46:20": sess}
    # Not while the first id is taken, nor when more than a plain variable holds it
    # (an owner, a slot, a status result, a key): those are left as they are.
    held = [State({"a#1": "@46:20", "b#2": "@46:20#1"}, {"@46:20": sess, "@46:20#1": sess}),
            State({"b#2": "@46:20#1"}, {"@46:20#1": sess, "@9:1": dataclasses.replace(
                sess, owner="@46:20#1")}),
            State({"b#2": "@46:20#1"}, {"@46:20#1": sess, "@9:1": dataclasses.replace(
                sess, slots=(("rbio", "@46:20#1"),))}),
            State({"b#2": "@46:20#1", "r#3": ("ret", "@46:20#1", frozenset(), 0, ())},
                  {"@46:20#1": sess}),
            State({"b#2": "@46:20#1", "*@46:20#1": 5}, {"@46:20#1": sess})]
    for st in held:
        before = (dict(st.env), dict(st.objs))
        renumber(st)
        assert (st.env, st.objs) == before


def _flags(k: int) -> ir.Function:
    # int f(void)
    # {
    #     int a0, a1, ...;
    #     if (ask()) a0 = 1; else a0 = 0;     /* k times: 2**k paths */
    #     ...
    #     return a0 + a1 + ...;
    # }
    f = FnBuilder("f")
    flags = [f.local(f"a{j}") for j in range(k)]
    line = 3
    for a in flags:
        with f.if_(line, call("ask")):
            f.stmt(line, assign(a, Int(1)))
        with f.else_():
            f.stmt(line, assign(a, Int(0)))
        line += 1
    total: ir.Expr = flags[0]
    for a in flags[1:]:
        total = add(total, a)
    f.ret(line, total)
    return f.build()


def test_max_states_budget_makes_the_result_partial(model):
    fn = _flags(6)  # up to 64 states where the paths of the last if meet
    full = run(fn, model)
    assert not full.partial
    res = run(fn, model, Budget(max_states_per_node=8))
    assert "states" in res.partial
    assert res.steps < full.steps


def test_max_steps_budget_makes_the_result_partial(model):
    res = run(_flags(6), model, Budget(max_steps=10))
    assert "step budget" in res.partial and res.steps <= 11
