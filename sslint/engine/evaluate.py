"""Abstract evaluation of IR expressions on one path's State.

`ev(st, e)` returns the list of (state, value) pairs the expression can produce:
usually one, two where a `?:` cannot be decided. Calls go through the API model
(sslint.engine.calls); handles passed to unknown functions escape.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sslint.core import ir
from sslint.engine.conditions import (COND_PREFIX, Guards, comparison_key, key_operands,
                                     mentions, pointer_vars, retested_comparisons,
                                     tested_paths)
from sslint.engine.paths import Paths, describe, handle_of_expr
from sslint.engine.state import (ALLOC, EXTERNAL, MAYBE, NONNULL, NONZERO, NULL, PARAM, Obj,
                                 State, Value, is_addr, is_obj, replace)
from sslint.engine.values import (ARITH, FLIP, INT_OPS, NEGATE, condition_subject,
                                  global_changed, is_constant, is_fresh, is_local_scalar,
                                  is_status, named)
from sslint.core.events import Leak
from sslint.core.findings import Loc, Step

if TYPE_CHECKING:
    from sslint.engine.lifecycle import Lifecycle


REMEMBER_CONDITIONS = True  # bench/feasibility.py turns it off to measure its cost


class CallHandler(Protocol):
    """What the evaluator needs for the calls inside expressions (engine.calls.Calls)."""

    def ev_call(self, st: State, call: ir.Call) -> list[tuple[State, Value]]: ...

    def passthrough(self, call: ir.Call) -> tuple[ir.Expr, bool] | None:
        """(expression, negated) when the call's result is the truth of an expression
        of its arguments (test helpers: TEST_ptr(x), TEST_int_eq(a, b)), else None."""


class Evaluator:
    """Expression evaluation, reads and writes of lvalues, and conditions. Calls go
    to `calls` (set once the call handler exists: calls contain expressions and
    expressions contain calls); uses and escapes of objects go to `life`."""

    calls: CallHandler  # set by the engine right after construction

    def __init__(self, fn: ir.Function, life: "Lifecycle",
                 relevant: frozenset[str] = frozenset()):
        self.fn = fn
        self.life = life
        # (record, field, kind, api, where): owned references stored in struct fields
        self.field_stores: set[tuple[str, str, str, str, Loc]] = set()
        # Path feasibility (engine.conditions); off only to measure what it costs.
        self.pointers = pointer_vars(fn)  # non-handle pointer locals: facts, not core
        guard = Guards(fn, relevant)  # shared: it counts predecessors once
        self.tested = (tested_paths(fn, guard, self.pointers) if REMEMBER_CONDITIONS
                       else frozenset())
        self.retested = (retested_comparisons(fn, handle_of_expr, guard)
                         if REMEMBER_CONDITIONS else frozenset())
        self.global_facts = any(p.startswith("g:") for p in self.tested) or any(
            "|g:" in k for k in self.retested)

    # ---- reading and writing lvalues ---------------------------------------
    @staticmethod
    def through_address(st: State, e: ir.Expr) -> ir.Expr:
        """`*p` where the local `p` holds `&var` is `var` (`T **tmp = &(var);
        free(*tmp); *tmp = NULL;`, tor's FREE_AND_NULL)."""
        if isinstance(e, ir.Deref) and isinstance(e.operand, ir.Var):
            v: Value = st.env.get(e.operand.key)
            if is_addr(v):
                return v[1]
        return e

    def read(self, st: State, e: ir.Expr) -> Value:
        e = self.through_address(st, e)
        p = Paths.of(e)
        if p is None:
            kind = handle_of_expr(e)
            if kind and isinstance(e, ir.Member) and e.loc is not None:
                # `table[i].ssl`, `get_conn()->ssl`: someone else's handle, untracked place.
                oid = f"@{e.loc.line}:{e.loc.col}!"
                if oid not in st.objs:
                    st.objs[oid] = Obj(kind, EXTERNAL, 1, 0, MAYBE, e.loc, "", describe(e),
                                       src=_src(e))
                return oid
            return None
        path, root, through = p
        if path in st.env:
            return st.env[path]
        kind = handle_of_expr(e)
        if not kind or (root.scope == "local" and not through):
            return None
        # A handle the function did not create: the caller's, or a global's. It owes
        # nothing here (owe=0), so it never leaks; `escaped` records real hand-offs.
        origin = PARAM if (root.scope == "param" and path == root.key) else EXTERNAL
        loc = root.loc or self.fn.loc
        oid = f"@{path}"
        st.objs[oid] = Obj(kind, origin, 1, 0, MAYBE, loc, "", describe(e), src=_src(e))
        st.env[path] = oid
        return oid

    def read_as(self, st: State, e: ir.Expr, kind: str, loc: Loc | None = None,
                written: bool = False) -> Value:
        """Read an lvalue whose C type is not a handle (a `void *` field) but that an
        OpenSSL call treats as one of `kind`. `written`: a callee just stored a handle
        there, someone else's as far as this function knows (a local struct too)."""
        p = Paths.of(e)
        if p is None or not kind:
            return None
        path, root, through = p
        if path in st.env:
            return st.env[path]
        if root.scope == "local" and not through and not written:
            return None  # a local never assigned: nothing to say
        oid = st.new_id(loc) if written and loc is not None else f"@{path}"
        st.objs[oid] = Obj(kind, EXTERNAL, 1, 0, MAYBE, loc or root.loc or self.fn.loc, "",
                           describe(e), src=_src(e))
        st.env[path] = oid
        return oid

    def write(self, st: State, target: ir.Expr, value: Value, loc: Loc) -> None:
        target = self.through_address(st, target)
        p = Paths.of(target)
        if p is None:
            self.life.escape(st, value)
            return
        path, root, through = p
        self.forget_below(st, path)
        if not is_obj(value) and not self.tracks_scalars(target, path, root, through):
            # Facts about other memory (fields, non-handle pointers) multiply the
            # states without helping any rule: leave them unknown.
            st.env.pop(path, None)
            return
        if value is None and root.scope != "global" and not through and not root.handle:
            st.env.pop(path, None)  # unknown and absent read the same for a local scalar
            return
        if value is None and not handle_of_expr(target) and (root.scope == "global" or through):
            st.env.pop(path, None)  # likewise for a tested field or global
            return
        st.env[path] = value
        if is_obj(value):
            o = st.objs.get(value)
            if o is not None:
                if Paths.escapes(root, through):
                    self.stored_in_field(o, target, root, loc)
                    if o.src and o.src != _src(target):  # it now lives elsewhere too
                        self.life.handled.add(o.src)
                    st.objs[value] = o.step(loc, f"stored in '{describe(target)}'", escaped=True,
                                            home="" if o.escaped else path,
                                            var=o.var or describe(target),
                                            src=o.src or _src(target))
                elif not o.var:
                    st.objs[value] = named(o, describe(target))

    def stored_in_field(self, o: Obj, target: ir.Expr, root: ir.Var, loc: Loc) -> None:
        """An owned reference stored in a field of a struct reached through a pointer
        (`c->ssl = SSL_new(ctx)`): the program-level check asks whether any function
        releases that field. Globals' fields live until exit and are left out."""
        if isinstance(target, ir.Member) and target.arrow and root.scope != "global" \
                and o.origin == ALLOC and o.owe > 0 and not o.destroyed and not o.unknown \
                and o.null != NULL and not o.owner:
            self.field_stores.add((target.record, target.field, o.kind, o.api, loc))

    def overwrites(self, st: State, target: ir.Expr, value: Value, loc: Loc) -> None:
        """`c->ssl = SSL_new(ctx)` while `c->ssl` holds the only reference to a live
        object this function allocated and stored there (nothing else took it): that
        reference is lost (a reconnect that does not free the old SSL)."""
        p = Paths.of(target)
        if p is None:
            return
        path = p[0]
        old: Value = st.env.get(path)
        if not is_obj(old) or old == value:
            return
        o = st.objs.get(old)
        if o is None or o.home != path or o.origin != ALLOC or o.owe <= 0 or o.destroyed \
                or o.unknown or o.owner or o.null != NONNULL:
            return
        if any(v == old for k, v in st.env.items() if k != path):
            return  # another variable still holds it
        self.life.log.emit(Leak, st, old, loc, o.api, owe=o.owe, lost=True, source=o.origin,
                           acquired=o.ref_site,
                           exit=Step(loc, f"'{describe(target)}' is assigned again here while "
                                          "it holds the only reference"))
        st.objs[old] = replace(o, unknown=True)

    def escape_below(self, st: State, path: str, keep_home: bool = False) -> None:
        """Everything reachable from path (fields, pointees) is handed to a callee."""
        dot, arrow = path + ".", path + "->"
        for k, v in st.env.items():
            if k == path or k.startswith(dot) or k.startswith(arrow) or k == "*" + path:
                self.life.escape(st, v, handed=k == path, keep_home=keep_home and k != path)

    @staticmethod
    def forget_below(st: State, path: str) -> None:
        """Facts about what is below path (and comparisons that read path) are gone."""
        dot, arrow = path + ".", path + "->"
        for k in [k for k in st.env if k.startswith(dot) or k.startswith(arrow)
                  or k == "*" + path or (k[0] == COND_PREFIX and mentions(k, path))]:
            del st.env[k]

    @staticmethod
    def forget_scalars_below(st: State, path: str) -> None:
        """Integer facts below path are gone (handles stay: they escaped already)."""
        dot, arrow = path + ".", path + "->"
        for k in [k for k, v in st.env.items() if not is_obj(v) and (
                k.startswith(dot) or k.startswith(arrow) or k == "*" + path
                or (k[0] == COND_PREFIX and mentions(k, path)))]:
            del st.env[k]

    def forget_globals(self, st: State, statics_too: bool) -> None:
        """Code we cannot see may change any global (a file's statics only from this
        file or through a function pointer): its scalar facts are gone."""
        if not self.global_facts:
            return  # this function keeps none (the common case: every unknown call)

        def touched(k: str) -> bool:
            if k[0] == COND_PREFIX:
                return any(global_changed(p, statics_too) for p in key_operands(k))
            return global_changed(k, statics_too)

        for k in [k for k, v in st.env.items() if not is_obj(v) and touched(k)]:
            del st.env[k]

    def tracks_scalars(self, target: ir.Expr, path: str, root: ir.Var, through: bool) -> bool:
        """Which lvalues keep integer/NULL facts: handle-typed ones (NULL matters),
        local and parameter scalars (flags and return codes that guard frees), and
        any lvalue a condition of the function tests (`c->use_tls`, a global mode)."""
        if handle_of_expr(target) or path in self.tested:
            return True
        return isinstance(target, ir.Var) and root.scope != "global" and not root.is_pointer

    # ---- expressions -------------------------------------------------------
    def ev(self, st: State, e: Any) -> list[tuple[State, Value]]:
        """e: an ir.Expr or None, dispatched on its exact class."""
        if e is None:
            return [(st, None)]
        t = type(e)
        if t is ir.Var or t is ir.Member:
            if t is ir.Member:
                out = []
                for st2, _ in self.ev_base(st, e.base):
                    out.append((st2, self.read(st2, e)))
                return out
            return [(st, self.read(st, e))]
        if t is ir.Int:
            return [(st, e.value)]
        if t is ir.Call:
            return self.calls.ev_call(st, e)
        if t is ir.Assign:
            return self.ev_assign(st, e)
        if t is ir.Deref:
            out = []
            for st2, v in self.ev(st, e.operand):
                with self.life.log.spelled_as(describe(e.operand)):
                    self.life.use(st2, v, e.loc or self.fn.loc, "dereference", nullable=False)
                out.append((st2, self.read(st2, e)))
            return out
        if t is ir.AddrOf:
            out = []
            for st2, _ in self.ev_base(st, e.operand):
                out.append((st2, ("addr", e.operand)))
            return out
        if t is ir.Unary:
            return self.ev_unary(st, e)
        if t is ir.Binary:
            return self.ev_binary(st, e)
        if t is ir.CondExpr:
            return self.ev_cond(st, e)
        if t is ir.Index:
            out = []
            for st2, _ in self.ev(st, e.base):
                for st3, _ in self.ev(st2, e.index):
                    out.append((st3, None))
            return out
        # Opaque: evaluate children for their effects; the value is unknown, and a
        # handle used inside something we do not model (an initializer list, a
        # cast to an integer...) may end up anywhere: it escapes.
        states = [st]
        for ch in e.children:
            nxt = []
            for s in states:
                for s2, v in self.ev(s, ch):
                    self.life.escape(s2, v)
                    nxt.append(s2)
            states = nxt
        return [(s, None) for s in states]

    def ev_base(self, st: State, e: ir.Expr) -> list[tuple[State, Value]]:
        """Evaluate the base of a member access for its side effects (calls)."""
        if isinstance(e, (ir.Var, ir.Int)):
            return [(st, None)]
        if isinstance(e, ir.Member):
            return self.ev_base(st, e.base)
        return self.ev(st, e)

    def ev_assign(self, st: State, e: Any) -> list[tuple[State, Value]]:
        out: list[tuple[State, Value]] = []
        for st2, v in self.ev(st, e.value):
            if is_addr(v) and e.op == "=" and _local_pointer(e.target) \
                    and Paths.of(v[1]) is not None:
                self.forget_below(st2, e.target.key)  # `T **p = &var`: *p is var
                st2.env[e.target.key] = v
                out.append((st2, v))
                continue
            if isinstance(v, tuple) and not is_status(v) and v is not NONZERO:
                v = None  # an address or a test
            if e.op == "decl":
                v = None
            elif e.op != "=":
                self.read(st2, e.target)
                v = None
            if isinstance(e.target, ir.Deref):
                # `*out = s` hands the handle to whoever owns *out.
                for st3, _ in self.ev(st2, e.target.operand):
                    self.write(st3, e.target, v, e.loc)
                    out.append((st3, v))
                continue
            if v is None and e.op == "=" and handle_of_expr(e.target):
                # `SSL *s = table[i].owner;`: a handle from an untracked place. It owes
                # nothing here, but freeing it twice is still a bug.
                v = st2.new_id(e.loc)
                st2.objs[v] = Obj(handle_of_expr(e.target), EXTERNAL, 1, 0, MAYBE, e.loc, "",
                                  describe(e.target))
            if e.op == "=":
                self.overwrites(st2, e.target, v, e.loc)
            self.write(st2, e.target, v, e.loc)
            out.append((st2, v))
        return out

    def ev_unary(self, st: State, e: ir.Unary) -> list[tuple[State, Value]]:
        out = []
        for st2, v in self.ev(st, e.operand):
            if e.op == "!":
                out.append((st2, self.negate(st2, v)))
            elif e.op in ("++", "--"):
                self.write(st2, e.operand, None, self.fn.loc)
                out.append((st2, None))
            elif e.op == "-" and isinstance(v, int):
                out.append((st2, -v))
            else:
                out.append((st2, None))
        return out

    def negate(self, st: State, v: Value) -> Value:
        """The value of `!v` (a status test stays a test, to be resolved by a branch)."""
        if is_status(v):
            return ("test", v, "==", 0)
        if isinstance(v, tuple) and v[0] == "test":
            return ("test", v[1], NEGATE[v[2]], v[3])
        return self.truth_not(st, v)

    def truth_not(self, st: State, v: Value) -> Value:
        t = self.truth(st, v)
        return None if t is None else int(not t)

    def truth(self, st: State, v: Value) -> bool | None:
        if isinstance(v, int):
            return v != 0
        if v is NONZERO:
            return True
        if is_obj(v):
            o = st.objs.get(v)
            if o is None:
                return None
            return {NULL: False, NONNULL: True}.get(o.null)
        return None

    def ev_binary(self, st: State, e: ir.Binary) -> list[tuple[State, Value]]:
        if e.op in ("&&", "||"):
            return self.ev_logical(st, e)
        out = []
        # Arithmetic is folded for constants (`1u << 4`) but not for variables: exact
        # counters (`i = i + 1`) would make a new state on every loop iteration.
        fold = e.op not in ARITH or (is_constant(e.lhs) and is_constant(e.rhs))
        for st2, a in self.ev(st, e.lhs):
            for st3, b in self.ev(st2, e.rhs):
                out.append((st3, self.compare(st3, e.op, a, b) if fold else None))
        return out

    def ev_logical(self, st: State, e: ir.Binary) -> list[tuple[State, Value]]:
        """`a && b` / `a || b` as values: b runs only when a does not decide."""
        out: list[tuple[State, Value]] = []
        decides = e.op == "||"  # the value of a that makes b irrelevant
        for st2, a in self.ev(st, e.lhs):
            short = self.assume(st2.copy(), e.lhs, a, decides, remember=False)
            if short is not None:
                out.append((short, int(decides)))
            rest = self.assume(st2, e.lhs, a, not decides, remember=False)
            if rest is None:
                continue
            for st3, b in self.ev(rest, e.rhs):
                t = self.truth(st3, b)
                out.append((st3, None if t is None else int(t)))
        return out

    def compare(self, st: State, op: str, a: Value, b: Value) -> Value:
        if op == ",":
            return b
        if is_status(a) and isinstance(b, int) and op in FLIP:
            return ("test", a, op, b)  # resolved when a branch assumes it
        if is_status(b) and isinstance(a, int) and op in FLIP:
            return ("test", b, FLIP[op], a)
        if isinstance(a, int) and isinstance(b, int):
            try:
                r = INT_OPS[op](a, b) if op in INT_OPS else None
                return None if r is None else int(r)
            except (ZeroDivisionError, ValueError, OverflowError):
                return None
        if op in ("==", "!="):
            eq = self.equal(st, a, b)
            return None if eq is None else int(eq == (op == "=="))
        return None

    def equal(self, st: State, a: Value, b: Value) -> bool | None:
        """Whether two values are equal, when that is known on this path."""
        if is_obj(b) and not is_obj(a):
            a, b = b, a
        if is_obj(a) and (b == 0 or b is NONZERO):
            t = self.truth(st, a)
            return None if t is None else (not t if b == 0 else None if t else False)
        if b is NONZERO and isinstance(a, int):
            return False if a == 0 else None
        if a is NONZERO and b == 0:
            return False
        if is_obj(a) and is_obj(b):
            if a == b:
                return True
            oa, ob = st.objs.get(a), st.objs.get(b)
            if oa is None or ob is None:
                return None
            if oa.null == NULL and ob.null == NULL:
                return True
            if {oa.null, ob.null} == {NULL, NONNULL}:
                return False
            # A fresh allocation differs from every other live object. (Not from a NULL
            # or maybe-NULL one: an acquired reference may be to an existing object,
            # as SSL_get1_session's is.)
            if oa.null == ob.null == NONNULL and (is_fresh(oa) or is_fresh(ob)):
                return False
        return None

    def ev_cond(self, st: State, e: ir.CondExpr) -> list[tuple[State, Value]]:
        out = []
        for st2, c in self.ev(st, e.cond):
            for truth in (True, False):
                st3 = self.assume(st2.copy(), e.cond, c, truth, remember=False)
                if st3 is None:
                    continue
                if truth and e.then is None:
                    out.append((st3, c))
                else:
                    out.extend(self.ev(st3, e.then if truth else e.other))
        return out

    # ---- conditions --------------------------------------------------------
    def assume(self, st: State, cond: ir.Expr, value: Value, truth: bool,
               remember: bool = True) -> State | None:
        """Refine st knowing that `cond` (already evaluated to `value`) is `truth`.
        None when that is impossible on this path."""
        known = self.truth(st, value)
        if known is not None and known != truth:
            return None
        # Inside an expression (`x ? a : b`, `a && b` as a value) both sides meet again
        # at once: remembering the outcome there would only keep them apart.
        keyed = comparison_key(cond, truth, handle_of_expr) \
            if self.retested and remember else None
        if keyed is not None and keyed[0] in self.retested:  # tested again on this path
            key, holds = keyed
            seen = st.env.get(key)
            if seen is not None and seen != int(holds):
                return None
            st.env[key] = int(holds)
        self.learn_outcome(st, value, truth)
        subject, want_nonzero = condition_subject(cond, truth, self.calls.passthrough)
        if subject is None:
            return st
        if isinstance(subject, tuple):  # (lvalue, '==', constant)
            lv, eq, k = subject
            cur = self.read(st, lv)
            if isinstance(cur, int):
                return st if (cur == k) == eq else None
            if is_obj(cur):
                if k != 0:
                    return st
                return self.refine_null(st, cur, want_null=eq)
            if cur is NONZERO:
                return None if (eq and k == 0) else st
            if Paths.of(lv) is not None and not handle_of_expr(lv) \
                    and (remember or is_local_scalar(lv)):
                if eq:
                    self.write(st, lv, k, self.fn.loc)
                elif k == 0:
                    self.write(st, lv, NONZERO, self.fn.loc)
            return st
        cur = self.read(st, subject)
        if is_obj(cur):
            return self.refine_null(st, cur, want_null=not want_nonzero)
        if is_status(cur):
            self.learn_outcome(st, cur, want_nonzero)
            return st
        if isinstance(cur, int):
            return st if (cur != 0) == want_nonzero else None
        if cur is NONZERO:
            return st if want_nonzero else None
        if Paths.of(subject) is not None and not handle_of_expr(subject) \
                and (remember or is_local_scalar(subject)):
            self.write(st, subject, NONZERO if want_nonzero else 0, self.fn.loc)
        return st

    def learn_outcome(self, st: State, value: Value, truth: bool) -> None:
        """A branch on a call's status: on the failure side, forget the marks the call
        set (a failed SSL_connect ran no handshake); on the success side, the handles
        it would have failed on were not NULL. Success is 1, failure 0 or < 0."""
        if is_status(value):
            ret, failed = value, not truth
        elif isinstance(value, tuple) and value[0] == "test":
            _, ret, op, k = value
            holds = {x: bool(INT_OPS[op](x, k)) for x in (1, 0, -1)}
            failed = holds[1] != truth
        else:
            return
        _, oid, marks, refs, *proves = ret
        if not failed and proves:  # it fails on a NULL handle: success says it was not
            for p in proves[0]:
                po = st.objs.get(p)
                if po is not None and po.null == MAYBE:
                    st.objs[p] = replace(po, null=NONNULL)
        o = st.objs.get(oid)
        if not failed or o is None or (not marks & o.marks and not refs):
            return
        if refs and o.refs > refs:  # the up_ref failed: no reference was taken
            o = o.step(self.fn.loc, "the extra reference was not taken",
                       refs=o.refs - refs, owe=max(0, o.owe - refs))
        st.objs[oid] = replace(o, marks=o.marks - marks)

    def refine_null(self, st: State, oid: str, want_null: bool) -> State | None:
        o = st.objs.get(oid)
        if o is None:
            return st
        if o.null == (NONNULL if want_null else NULL):
            return None
        new = NULL if want_null else NONNULL
        if o.null != new:
            st.objs[oid] = replace(o, null=new)
        return st


__all__ = ["CallHandler", "Evaluator"]


def _src(e: ir.Expr) -> tuple[str, str] | tuple[()]:
    """(record, field) of a struct field lvalue, for SSL104."""
    return (e.record, e.field) if isinstance(e, ir.Member) and e.record else ()


def _local_pointer(e: ir.Expr) -> bool:
    return isinstance(e, ir.Var) and e.scope == "local" and e.is_pointer and not e.handle
