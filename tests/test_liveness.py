"""Liveness with kills: a local set with `=` before any read is dead before that
assignment (what it held no longer splits states), but not when the assignment may
not happen (`&&`) or its address is taken (a pointer may read it)."""
from __future__ import annotations

from irbuild import FnBuilder, assign, call, eq

from sslint.core import ir
from sslint.engine.liveness import live_variables


def _live_at_loop_head(second, taken: bool = False) -> bool:
    # X509 *x;
    # while (more()) {            /* line 3: the loop head */
    #     second;                 /* line 4: x = get() */
    #     use(x);                 /* line 5 */
    # }
    f = FnBuilder("f")
    x = f.local("x", "X509")
    if taken:
        f.stmt(2, call("init", ir.AddrOf(x)))
    with f.while_(3, call("more")):
        f.stmt(4, second(x))
        f.stmt(5, call("use", x))
    f.ret(6)
    fn = f.build()
    live = live_variables(fn)
    head = next(n for n in fn.nodes if n.kind == "branch")
    return x.key in live[head.id]


def test_a_local_set_before_it_is_read_is_dead_at_the_loop_head():
    assert not _live_at_loop_head(lambda x: assign(x, call("get")))
    assert not _live_at_loop_head(lambda x: eq(assign(x, call("get")), ir.Int(0)))


def test_an_assignment_that_may_not_happen_kills_nothing():
    assert _live_at_loop_head(lambda x: ir.Binary("&&", call("ready"), assign(x, call("get"))))


def test_an_assignment_that_reads_the_variable_kills_nothing():
    assert _live_at_loop_head(lambda x: assign(x, call("next", x)))


def test_a_local_whose_address_is_taken_is_never_killed():
    assert _live_at_loop_head(lambda x: assign(x, call("get")), taken=True)
