"""What calls do to tracked handles, driven by the API model's parsed verbs.

Each argument verb has one handler (VERB_HANDLERS); the verbs are documented in
sslint/model/openssl.toml. Unknown callees make the handles they receive escape
(they may keep or free them), except through pointer-to-const parameters;
OpenSSL-looking names missing from the table follow the table's [naming] rules.
"""
from __future__ import annotations

from collections.abc import Callable
import dataclasses
from dataclasses import dataclass
from functools import partial

from sslint.core import ir
from sslint.engine.evaluate import Evaluator
from sslint.engine.paths import Paths, describe
from sslint.engine.values import is_constant
from sslint.engine.lifecycle import Lifecycle
from sslint.engine.state import (ALLOC, BORROW, EXTERNAL, MAYBE, NONNULL, NONZERO, Obj, State,
                                 Value, is_addr, is_obj, replace)
from sslint.core.events import CallSeen
from sslint.core.findings import Loc, Step
from sslint.model.api import ApiModel, ArgVerb, FnSpec, Returns


@dataclass
class _Call:
    """One modelled call being applied: what the verb handlers share."""

    call: ir.Call
    spec: FnSpec
    vals: list
    added: str | None = None  # the handle an addref verb took a reference on
    detached: str | None = None  # what an unpop verb took out of its argument's chain
    dead: bool = False  # the call does not return on this path (use! of a NULL)

    def __init__(self, call: ir.Call, spec: FnSpec, vals: list, added: str | None = None,
                 detached: str | None = None, dead: bool = False) -> None:
        self.call = call  # (written out: compiled, unlike the one @dataclass makes)
        self.spec = spec
        self.vals = vals
        self.added = added
        self.detached = detached
        self.dead = dead

    @property
    def api(self) -> str:
        return self.spec.name


class Calls:
    """Implements evaluate.CallHandler for the evaluator."""

    def __init__(self, model: ApiModel, ev: Evaluator, life: Lifecycle):
        self.model = model
        self.ev = ev
        self.life = life

    def ev_call(self, st: State, call: ir.Call) -> list[tuple[State, Value]]:
        combos: list[tuple[State, list]] = [(st, [])]
        for a in call.args:
            nxt = []
            for s, vals in combos:
                for s2, v in self.ev.ev(s, a):
                    nxt.append((s2, vals + [v]))
            combos = nxt
        spec = self.model.lookup(call.callee) if call.callee else None
        if call.noreturn or (spec.noreturn if spec is not None else call.proto_noreturn):
            return []  # exit(), abort(), a failed assert(), fatal(): this path ends here
        if call.callee == "__builtin_constant_p":  # folded by the compiler
            known = 1 if call.args and is_constant(call.args[0]) else None
            return [(s, known) for s, _ in combos]
        out = []
        for s, vals in combos:
            if spec is None:
                out.append((s, self.unknown_call(s, call, vals)))
                continue
            for s2 in self.split_on_null(s, spec, vals):
                out.extend(self.known_call(s2, call, spec, vals))
        return out

    def split_on_null(self, st: State, spec: FnSpec, vals: list) -> list[State]:
        """A call that behaves differently when an argument is NULL (BIO_push(NULL, b)
        returns b and links nothing) is followed on both sides of a maybe-NULL one."""
        i = spec.result.index if spec.result.otherwise >= 0 else -1
        v: Value = vals[i] if 0 <= i < len(vals) else None
        if not is_obj(v) or self.ev.truth(st, v) is not None:
            return [st]
        null = self.ev.refine_null(st.copy(), v, want_null=True)
        other = self.ev.refine_null(st, v, want_null=False)
        return [x for x in (other, null) if x is not None]

    def passthrough(self, call: ir.Call) -> tuple[ir.Expr, bool] | None:
        spec = self.model.lookup(call.callee) if call.callee else None
        if spec is None or spec.expanded:  # a macro's own argument order: not handled
            return None
        r = spec.result
        for i, v in enumerate(spec.verbs):  # d2i_X509(&x, ...) == NULL tests x
            a = call.args[i] if i < len(call.args) else None
            if v.op == "out-result" and isinstance(a, ir.AddrOf):
                return a.operand, False
        if r.op in ("truth", "not", "arg") and r.index < len(call.args):
            return call.args[r.index], r.op == "not"
        if r.op == "cmp" and max(r.index, r.otherwise) < len(call.args):
            return ir.Binary(r.operator, call.args[r.index], call.args[r.otherwise]), False
        return None

    # ---- unknown functions ---------------------------------------------------
    def unknown_call(self, st: State, call: ir.Call, vals: list) -> Value:
        naming = self.model.naming
        # A function of this translation unit is not OpenSSL's, whatever its name.
        guess = naming.guess_verb(call.callee) if call.callee and not call.defined_here \
            else None
        ev, life = self.ev, self.life
        ev.forget_globals(st, statics_too=call.defined_here or not call.callee)
        for i, v in enumerate(vals):
            const = i < len(call.const_args) and call.const_args[i]
            if is_addr(v):  # &lvalue: the callee may change or keep it
                lv = v[1]
                life.escape(st, ev.read(st, lv))
                p = Paths.of(lv)
                if p is not None and guess is None:
                    ev.escape_below(st, p[0])
                    ev.write(st, lv, None, call.loc)
                continue
            p = Paths.of(call.args[i]) if i < len(call.args) else None
            if not is_obj(v):
                if p is not None and guess is None and not const:
                    ev.escape_below(st, p[0])  # a struct pointer: its fields go along
                    ev.forget_scalars_below(st, p[0])  # ... and may be rewritten
                continue
            life.use(st, v, call.loc, call.callee or "a call", nullable=True)
            # A handle given as `void *` user data is kept for later (an SSL_CTX's
            # callback argument), whatever the function's name says.
            kept = i < len(call.void_args) and call.void_args[i]
            if guess == "escape" or kept or (guess is None and not const):
                life.escape(st, v)
            if p is not None and guess is None and not const:
                ev.forget_below(st, p[0])  # the callee may rewrite fields behind it
        if not call.result_handle:
            if guess == "use?":
                # OpenSSL's functions fail on a NULL handle (or crash: then the use
                # above is the finding): a branch on their success proves it was not.
                proves = tuple(v for v in vals if is_obj(v) and v in st.objs
                               and st.objs[v].null == MAYBE)
                if proves:
                    return ("ret", None, frozenset(), 0, proves)
            return None
        oid = st.new_id(call.loc)
        if not call.defined_here and naming.guess_result(call.callee):
            # get1/dup by name: a new reference, maybe to an object already known.
            st.objs[oid] = Obj(call.result_handle, ALLOC, 1, 1, MAYBE, call.loc, call.callee,
                               marks=frozenset({"existing"}),
                               trail=(Step(call.loc, f"{call.result_handle} allocated by "
                                                     f"{call.callee}()"),))
        else:
            st.objs[oid] = Obj(call.result_handle, EXTERNAL, 1, 0, MAYBE, call.loc,
                               call.callee, escaped=True)
        return oid

    # ---- modelled functions --------------------------------------------------
    def known_call(self, st: State, call: ir.Call, spec: FnSpec, vals: list):
        if spec.result.op == "status" and "consume" in spec.args_ops:
            # A hand-over that reports failure (sk_X509_push, SSL_CTX_add0_chain_cert)
            # takes nothing when it fails: followed on both sides.
            failed = [(s, 0) for s, _ in self._known_call(st.copy(), call, _unconsumed(spec),
                                                           vals)]
            return [(s, 1) for s, _ in self._known_call(st, call, spec, vals)] + failed
        return self._known_call(st, call, spec, vals)

    def _known_call(self, st: State, call: ir.Call, spec: FnSpec, vals: list):
        args = list(call.args)
        if spec.expanded and len(vals) != len(spec.args) and len(vals) > max(spec.expanded):
            args = [args[i] for i in spec.expanded]  # a macro's arguments in its expansion
            vals = [vals[i] for i in spec.expanded]
        c = _Call(call, spec, vals)
        first = next((v for v in vals if is_obj(v) and v in st.objs), None)
        if first is not None and spec.attempt_marks:  # before a release inside the call
            o = st.objs[first]
            if not spec.attempt_marks <= o.marks:
                st.objs[first] = replace(o, marks=o.marks | spec.attempt_marks)
        outs = self.apply_verbs(st, c, args)
        stored: str | None = None  # what a store-ret effect made: the call's result
        if spec.fields and not c.dead:
            stored = self.field_effects(st, c, args, "")
        if c.dead:
            return []  # it does not return with this argument NULL
        if first is not None and first in st.objs:
            o = st.objs[first]
            self.life.log.emit(CallSeen, st, first, call.loc, c.api, marks=o.marks,
                               tags=spec.tags)
            if spec.marks and not spec.marks <= o.marks:
                st.objs[first] = replace(o, marks=o.marks | spec.marks)
        if spec.replaces and first is not None and first in st.objs:
            self.life.replace_slots(st, first, spec.replaces, call.loc, c.api)
        for share in spec.shares:
            i, slot = share.split(":")
            v: Value = vals[int(i)] if int(i) < len(vals) else None
            if is_obj(v):
                self.life.share_slots(st, v, (slot,), call.loc, c.api)
        result = self.result(st, call, spec, vals, c.detached)
        if stored is not None and result is None:
            result = stored  # `c->tls = new_session(c)` writes back the same object
        if result is None and (c.added is not None or (spec.marks and first is not None)):
            # A status result: a branch on its failure undoes the marks / the reference.
            result = ("ret", c.added or first, spec.marks, 1 if c.added else 0,
                      _tolerated(st, spec, vals))
        elif result is None:
            proves = _tolerated(st, spec, vals)
            if proves:  # a status call that accepts NULL and then fails
                result = ("ret", None, frozenset(), 0, proves)
        if not outs and any(fx.when for fx in spec.fields) and (
                result is None or (is_obj(result) and not spec.result.op)):
            # Effects that hold on one outcome: follow both, the result says which
            # (0 or NULL on one side; non-zero, or the pointer it returns, not NULL).
            if stored is not None and result == stored:
                self.field_effects(st, c, args, "nz")  # it returned what it stored
                return [(st, result)]
            zero = st.copy()
            self.field_effects(zero, c, args, "0")
            stored_nz = self.field_effects(st, c, args, "nz")
            if result is None:
                return [(zero, 0), (st, stored_nz if stored_nz is not None else NONZERO)]
            del zero.objs[result]  # the pointer it returned: made for this call
            nonnull = self.ev.refine_null(st, result, want_null=False)
            return [(zero, 0)] + ([(nonnull, result)] if nonnull is not None else [])
        if not outs:
            return [(st, result)]
        return self.out_params(st, call, spec, vals, outs, result)

    def apply_verbs(self, st: State, c: _Call, args: list[ir.Expr]
                    ) -> list[tuple[ir.Expr, ArgVerb]]:
        """Each argument's verb, in order; returns the out-parameters to write."""
        outs: list[tuple[ir.Expr, ArgVerb]] = []
        setbio_done = False
        loc = c.call.loc
        for i, v in enumerate(c.vals):
            verb = c.spec.verb(i)
            op = verb.op
            if op in ("-", "escape") and not is_obj(v):
                self.pass_along(st, v, args[i] if i < len(args) else None, loc,
                                bool(c.spec.fields))
                continue
            if op == "-":
                self.life.use(st, v, loc, c.api, nullable=True)
                self.life.escape(st, v)
                continue
            if op.startswith("out-"):
                if is_addr(v):
                    outs.append((v[1], verb))
                elif v != 0 and i < len(args) and Paths.of(args[i]) is not None:
                    outs.append((ir.Deref(args[i]), verb))  # a pointer given on: *p
                continue
            if is_addr(v):
                v = self.ev.read(st, v[1])
            if op == "setbio":
                if not setbio_done:
                    self.life.set_bio(st, loc, c.api, [
                        self.ev.read(st, x[1]) if is_addr(x) else x for x in c.vals])
                    setbio_done = True
                continue
            if v is None and i < len(args):
                # `SSL_free(c->ssl)` where the field is a `void *`: the API says it holds
                # a handle, so watch it like one from an untracked place.
                v = self.ev.read_as(st, args[i], verb.kind)
            if is_obj(v):
                with self.life.log.spelled_as(partial(self.spelled, args[i])
                                              if i < len(args) else ""):
                    VERB_HANDLERS[op](self, st, v, verb, c)
        return outs

    def field_effects(self, st: State, c: _Call, args: list[ir.Expr], when: str) -> str | None:
        """A summarised callee freed, used or rewrote handles in fields below a
        struct-pointer argument (`conn_fail(c)` frees `c->ssl`): the same happens to
        the caller's `c->ssl`, so a later free or use of it is seen. `when`: the
        effects that hold always (""), or on a zero / non-zero result. Returns the
        object a store-ret effect made (the call's result), if any."""
        loc = c.call.loc
        stored: str | None = None
        for fx in c.spec.fields:
            if fx.when != when:
                continue
            target = _field_expr(args[fx.arg], fx.path, fx.kind, fx.record) \
                if fx.arg < len(args) else None
            if target is None:
                continue
            if fx.op in ("store", "store-ret"):  # a new reference the struct holds now
                oid = st.new_id(loc)
                st.objs[oid] = Obj(fx.kind, ALLOC, 1, 1, NONNULL, loc, c.api,
                                   trail=(Step(loc, f"{fx.kind} allocated by {c.api}() into "
                                                    f"'{describe(target)}'"),),
                                   src=(fx.record, target.field) if fx.record else ())
                self.ev.overwrites(st, target, oid, loc)
                self.ev.write(st, target, oid, loc)
                if fx.op == "store-ret":  # and returned: the caller's result is this one
                    stored = oid
                continue
            if fx.op == "set-null":
                if Paths.of(target) is not None:
                    self.ev.write(st, target, 0, loc)
                continue
            if fx.op == "forget":
                p = Paths.of(target)
                if p is not None:  # someone else's handle now, or unknown
                    self.ev.forget_below(st, p[0])
                    st.env.pop(p[0], None)
                    if fx.kind:
                        self.ev.read_as(st, target, fx.kind, loc, written=True)
                continue
            v = self.ev.read(st, target)
            if not is_obj(v) or v not in st.objs:
                continue
            spelled = describe(target)
            if fx.op == "use":  # (no `continue` inside `with`: mypyc lacks it)
                with self.life.log.spelled_as(spelled):
                    self.life.use(st, v, loc, c.api, nullable=True)
                continue
            before = st.objs[v]
            with self.life.log.spelled_as(spelled):
                self.life.release(st, v, loc, c.api, cascade=True)
            after = st.objs.get(v)
            if after is not None and after.destroyed and not before.destroyed:
                why = (f"released by {c.api}(), which frees '{spelled}'"
                       + (" and sets it to NULL" if fx.op == "release-clear"
                          else " without setting it to NULL"))
                first = Step(fx.where, f"released inside {c.api}()") \
                    if fx.where is not None else Step(loc, why)
                trail = after.trail[:-1] + (Step(loc, why),) + \
                    ((first,) if fx.where is not None else ())
                st.objs[v] = replace(after, released=first, trail=trail[-40:])
            if fx.op == "release-clear":
                self.ev.write(st, target, 0, loc)
        return stored

    def spelled(self, arg: ir.Expr) -> str:
        """How the code names an argument, seen through calls that return one of
        their arguments (OpenSSL 3's sk_X509_push(sk, x) passes ossl_check_X509_type(x))."""
        while isinstance(arg, ir.Call) and arg.callee:
            spec = self.model.lookup(arg.callee)
            if spec is None or spec.result.op != "arg" or spec.result.index >= len(arg.args):
                break
            arg = arg.args[spec.result.index]
        return describe(arg)

    def pass_along(self, st: State, v: Value, arg: ir.Expr | None, loc: Loc,
                   fields_known: bool = False) -> None:
        """Not a handle: a struct pointer or an address; what is behind it goes along.
        `fields_known`: the callee's summary says what it does to the fields it reads."""
        p = Paths.of(v[1]) if is_addr(v) else (Paths.of(arg) if arg is not None else None)
        if is_addr(v):
            self.life.escape(st, self.ev.read(st, v[1]))
        if p is not None:
            self.ev.escape_below(st, p[0], keep_home=fields_known)
        if is_addr(v) and p is not None:
            # `create_objects(ctx, &ssl)`: the callee may write ssl (as unknown code may).
            self.ev.write(st, v[1], None, loc)

    def result(self, st: State, call: ir.Call, spec: FnSpec, vals: list,
               c_detached: str | None) -> Value:
        r = spec.result
        if r.op == "detached" and c_detached is not None and c_detached in st.objs:
            return c_detached  # BIO_pop: the rest of the chain it let go of
        if not r.op or r.op == "detached":
            if call.result_handle:  # someone else's handle: watched for double frees only
                oid = st.new_id(call.loc)
                st.objs[oid] = Obj(call.result_handle, EXTERNAL, 1, 0, MAYBE, call.loc,
                                   spec.name)
                return oid
            return None
        if r.op == "acquire":
            oid = st.new_id(call.loc)
            st.objs[oid] = Obj(r.kind, ALLOC, 1, 1, NONNULL if spec.never_null else MAYBE,
                               call.loc, spec.name,
                               marks=spec.result_marks,
                               trail=(Step(call.loc, f"{r.kind} allocated by {spec.name}()"),))
            return oid
        lender = vals[r.index] if 0 <= r.index < len(vals) else None
        if r.op == "cmp":
            other = vals[r.otherwise] if 0 <= r.otherwise < len(vals) else None
            if is_addr(lender) or is_addr(other):
                return None
            return self.ev.compare(st, r.operator, lender, other)
        if r.op in ("truth", "not"):
            if is_addr(lender):
                return None
            if r.op == "not":
                return self.ev.negate(st, lender)
            if not is_obj(lender):
                return lender  # a number, or a status still to be tested
            known = self.ev.truth(st, lender)
            return None if known is None else int(known)
        if r.op == "arg":
            if r.otherwise >= 0 and self.ev.truth(st, lender) is False:
                other = vals[r.otherwise] if r.otherwise < len(vals) else None
                return other if not is_addr(other) else None  # BIO_push(NULL, b) is b
            return lender if not is_addr(lender) else None

        if r.op == "borrow":
            if len(vals) == 1 and is_obj(lender):
                # A getter of its argument alone, called again: the same object
                # (`if (chain != SSL_get_peer_cert_chain(ssl)) sk_X509_pop_free(chain, ...)`).
                again = next((oid for oid, o in st.objs.items() if o.owner == lender
                              and o.origin == BORROW and o.api == spec.name
                              and not o.destroyed and not o.unknown), None)
                if again is not None:
                    return again
            oid = self.life.borrow(st, r.kind, lender, call.loc, spec.name)
            if spec.result_marks:  # "shared": it outlives its lender (see the table)
                o = st.objs[oid]
                st.objs[oid] = replace(o, marks=o.marks | spec.result_marks)
            return oid
        if r.op == "slot":
            if is_obj(lender) and lender in st.objs:
                held = st.objs[lender].slot(r.slot)
                if held is not None and held in st.objs:
                    return held  # the very object the function handed over earlier
            return self.life.borrow(st, r.kind, lender, call.loc, spec.name)
        return None

    def out_params(self, st, call, spec, vals, outs, result):
        status = spec.result.op == "status"
        ok = st.copy() if status else st
        for lv, verb in outs:
            if verb.op == "out-result":  # d2i_X509(&x, ...): x is the result as well
                self.life.escape(ok, self.ev.read(ok, lv))  # reused or freed by the call
                self.ev.write(ok, lv, result if is_obj(result) else None, call.loc)
                continue
            if verb.op == "out-acquire":
                oid = ok.new_id(call.loc)
                made = Step(call.loc, f"{verb.kind} allocated by {spec.name}()")
                ok.objs[oid] = Obj(verb.kind, ALLOC, 1, 1, NONNULL if status else MAYBE,
                                   call.loc, spec.name, trail=(made,))
            else:
                lender = vals[verb.target] if verb.target < len(vals) else None
                oid = self.life.borrow(ok, verb.kind, lender, call.loc, spec.name)
            self.ev.write(ok, lv, oid, call.loc)
        if not status:
            return [(ok, result)]
        for lv, _ in outs:  # on failure both out-parameters are set to NULL
            self.ev.write(st, lv, 0, call.loc)
        return [(ok, 1), (st, 0)]


def _field_expr(arg: ir.Expr, path: str, kind: str, record: str = "") -> ir.Member:
    """`c->ssl` for the argument `c` and path "ssl" (`s.ssl` for `&s`)."""
    if isinstance(arg, ir.AddrOf):
        base, arrow = arg.operand, False
    else:
        base, arrow = arg, True
    *inner, last = path.split(".")
    for name in inner:
        base = ir.Member(base, name, arrow, "")
        arrow = False
    return ir.Member(base, last, arrow, kind, record=record)


def _unconsumed(spec: FnSpec) -> FnSpec:
    """The spec of a failed hand-over: what it would have taken is only used."""
    verbs = tuple(dataclasses.replace(v, op="use?", target=-1, slot="") if v.op == "consume"
                  else v
                  for v in spec.verbs)
    return dataclasses.replace(spec, verbs=verbs, returns="", result=Returns())


def _tolerated(st: State, spec: FnSpec, vals: list) -> tuple[str, ...]:
    """Maybe-NULL handles given where the function accepts NULL (use?): it fails on
    them, so its success proves they were not NULL."""
    return tuple(v for i, v in enumerate(vals) if spec.verb(i).op == "use?" and is_obj(v)
                 and v in st.objs and st.objs[v].null == MAYBE)


# ---- one handler per argument verb ---------------------------------------------
Handler = Callable[[Calls, State, str, ArgVerb, _Call], None]


def _use(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    calls.life.use(st, oid, c.call.loc, c.api, nullable=verb.op == "use?")


def _use_or_abort(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    """The call returns only when the handle is not NULL (it aborts otherwise)."""
    calls.life.use(st, oid, c.call.loc, c.api, nullable=True)
    if calls.ev.refine_null(st, oid, want_null=False) is None:
        c.dead = True


def _release(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    calls.life.release(st, oid, c.call.loc, c.api, cascade=verb.op == "release")


def _addref(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    loc = c.call.loc
    if calls.life.use(st, oid, loc, c.api, nullable=False):
        o = st.objs[oid]
        if o.unpaid and o.owner:  # BIO_set_next(b, x); BIO_up_ref(x): the chain's own
            st.objs[oid] = o.step(loc, f"{c.api}() takes the reference its owner holds",
                                  refs=o.refs + 1, unpaid=False)
            return
        st.objs[oid] = o.step(loc, f"{c.api}() takes one more reference",
                              refs=o.refs + 1, owe=o.owe + 1, ref_site=loc,
                              escaped=False)  # this reference is the function's
        c.added = oid


def _consume(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    cond = c.spec.consume_if
    if cond >= 0:  # BIO_set_ssl(b, ssl, BIO_CLOSE): taken over only with the flag set
        flag = c.vals[cond] if cond < len(c.vals) else None
        if flag == 0:
            calls.life.use(st, oid, c.call.loc, c.api, nullable=True)
            return
        if not isinstance(flag, int):
            _escape(calls, st, oid, verb, c)
            return
    owner = c.vals[verb.target] if verb.target < len(c.vals) else None
    calls.life.consume(st, oid, owner, verb.slot, c.call.loc, c.api)


def _unpop(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    c.detached = calls.life.unpop(st, oid, c.call.loc, c.api)


def _peek(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    """Only the pointer's value is read (a comparison): no use, no hand-over."""


def _escape(calls: Calls, st: State, oid: str, verb: ArgVerb, c: _Call) -> None:
    calls.life.use(st, oid, c.call.loc, c.api, nullable=True)
    calls.life.escape(st, oid)


VERB_HANDLERS: dict[str, Handler] = {
    "use": _use, "use?": _use, "use!": _use_or_abort,
    "release": _release, "release-one": _release,
    "peek": _peek, "addref": _addref, "consume": _consume, "unpop": _unpop, "escape": _escape,
}
