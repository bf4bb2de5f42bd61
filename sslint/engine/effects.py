"""What calls do to tracked handles, driven by the API model's verbs.

The verbs are documented in sslint/model/openssl.toml. Unknown callees make the
handles they receive escape (they may keep or free them), except through
pointer-to-const parameters; OpenSSL-looking names missing from the table follow
OpenSSL's naming rules (sslint.model.api.guess_openssl_verb).
"""
from __future__ import annotations

from dataclasses import replace

from sslint import ir
from sslint.engine.evaluate import Paths, describe
from sslint.engine.state import (ALLOC, BORROW, EXTERNAL, MAYBE, NONNULL, NULL, Obj, State,
                                 Value, is_addr, is_obj)
from sslint.findings import Loc, Step
from sslint.model.api import FnSpec, guess_openssl_result, guess_openssl_verb


class Effects:
    """Mixin for the engine: call evaluation."""

    def ev_call(self, st: State, call: ir.Call) -> list[tuple[State, Value]]:
        combos: list[tuple[State, list]] = [(st, [])]
        for a in call.args:
            nxt = []
            for s, vals in combos:
                for s2, v in self.ev(s, a):
                    nxt.append((s2, vals + [v]))
            combos = nxt
        out = []
        for s, vals in combos:
            spec = self.model.lookup(call.callee) if call.callee else None
            if spec is None:
                out.append((s, self.unknown_call(s, call, vals)))
            else:
                out.extend(self.known_call(s, call, spec, vals))
        return out

    # ---- unknown functions ---------------------------------------------------
    def unknown_call(self, st: State, call: ir.Call, vals: list) -> Value:
        guess = guess_openssl_verb(call.callee) if call.callee else None
        for i, v in enumerate(vals):
            if is_addr(v):  # &lvalue: the callee may change or keep it
                lv = v[1]
                self.escape(st, self.read(st, lv))
                p = Paths.of(lv)
                if p is not None and guess is None:
                    self.escape_below(st, p[0])
                    self.write(st, lv, None, call.loc)
                continue
            if not is_obj(v):
                p = Paths.of(call.args[i]) if i < len(call.args) else None
                if p is not None and guess is None and not (i < len(call.const_args)
                                                            and call.const_args[i]):
                    self.escape_below(st, p[0])  # a struct pointer: its fields go along
                continue
            self.use(st, v, call.loc, call.callee or "a call", nullable=True)
            const = i < len(call.const_args) and call.const_args[i]
            if guess == "escape" or (guess is None and not const):
                self.escape(st, v)
            p = Paths.of(call.args[i]) if i < len(call.args) else None
            if p is not None and guess is None and not const:
                self.forget_below(st, p[0])  # the callee may rewrite fields behind it
        if call.result_handle:
            oid = st.new_id(call.loc)
            if guess_openssl_result(call.callee):
                st.objs[oid] = Obj(call.result_handle, ALLOC, 1, 1, MAYBE, call.loc,
                                   call.callee, trail=(Step(
                                       call.loc, f"{call.result_handle} allocated by "
                                       f"{call.callee}()"),))
            else:
                st.objs[oid] = Obj(call.result_handle, EXTERNAL, 1, 0, MAYBE, call.loc,
                                   call.callee, escaped=True)
            return oid
        return None

    # ---- modelled functions --------------------------------------------------
    def known_call(self, st: State, call: ir.Call, spec: FnSpec, vals: list):
        args = list(call.args)
        if spec.expanded and len(vals) != len(spec.args) and len(vals) > max(spec.expanded):
            args = [args[i] for i in spec.expanded]
            vals = [vals[i] for i in spec.expanded]
        api = spec.name
        first = next((v for v in vals if is_obj(v) and v in st.objs), None)
        if first is not None and spec.attempt_marks:  # before a release inside the call
            o = st.objs[first]
            if not spec.attempt_marks <= o.marks:
                st.objs[first] = replace(o, marks=o.marks | spec.attempt_marks)
        outs: list[tuple[ir.Expr, str]] = []
        setbio_done = False
        added = None  # the handle an addref verb took a reference on
        for i, v in enumerate(vals):
            verb = spec.verb(i)
            if verb in ("-", "escape") and not is_obj(v):
                # Not a handle: a struct pointer or an address; what is behind it goes along.
                p = Paths.of(v[1]) if is_addr(v) else (
                    Paths.of(args[i]) if i < len(args) else None)
                if is_addr(v):
                    self.escape(st, self.read(st, v[1]))
                if p is not None:
                    self.escape_below(st, p[0])
                continue
            if verb == "-":
                self.use(st, v, call.loc, api, nullable=True)
                self.escape(st, v)
                continue
            if verb.startswith("out-"):
                if is_addr(v):
                    outs.append((v[1], verb))
                continue
            if is_addr(v):
                v = self.read(st, v[1])
            if v is None and i < len(args) and verb != "setbio":
                # `SSL_free(c->ssl)` where the field is a `void *`: the API says it holds
                # a handle, so watch it like one from an untracked place.
                v = self.read_as(st, args[i], _kind_for(spec.name, verb))
            if verb == "setbio":
                if not setbio_done:
                    self.set_bio(st, call.loc, api, vals)
                    setbio_done = True
                continue
            if not is_obj(v):
                continue
            if verb in ("use", "use?"):
                self.use(st, v, call.loc, api, nullable=verb == "use?")
            elif verb in ("release", "release-one"):
                self.release(st, v, call.loc, api, cascade=verb == "release")
            elif verb == "addref":
                if self.use(st, v, call.loc, api, nullable=False):
                    o = st.objs[v]
                    st.objs[v] = o.step(call.loc, f"{api}() takes one more reference",
                                        refs=o.refs + 1, owe=o.owe + 1, ref_site=call.loc,
                                        escaped=False)  # this reference is the function's
                    added = v
            elif verb.startswith("consume:"):
                parts = verb.split(":")
                owner = vals[int(parts[1])] if int(parts[1]) < len(vals) else None
                self.consume(st, v, owner, parts[2] if len(parts) > 2 else "", call.loc, api)
            elif verb == "unpop":
                self.unpop(st, v, call.loc, api)
            elif verb == "escape":
                self.use(st, v, call.loc, api, nullable=True)
                self.escape(st, v)
        if first is not None and first in st.objs:
            o = st.objs[first]
            self.emit("call", st, first, call.loc, api, marks=o.marks)
            if spec.marks and not spec.marks <= o.marks:
                st.objs[first] = replace(o, marks=o.marks | spec.marks)
        if spec.replaces and first is not None and first in st.objs:
            self.replace_slots(st, first, spec.replaces, call.loc, api)
        result = self.result(st, call, spec, vals)
        if result is None and (added is not None or (spec.marks and first is not None)):
            # A status result: a branch on its failure undoes the marks / the reference.
            result = ("ret", added or first, spec.marks, 1 if added else 0)
        if not outs:
            return [(st, result)]
        return self.out_params(st, call, spec, vals, outs, result)

    def result(self, st: State, call: ir.Call, spec: FnSpec, vals: list) -> Value:
        parts = spec.returns_parts()
        if not parts:
            if call.result_handle:  # someone else's handle: watched for double frees only
                oid = st.new_id(call.loc)
                st.objs[oid] = Obj(call.result_handle, EXTERNAL, 1, 0, MAYBE, call.loc,
                                   spec.name)
                return oid
            return None
        what = parts[0]
        if what == "acquire":
            oid = st.new_id(call.loc)
            st.objs[oid] = Obj(parts[1], ALLOC, 1, 1, MAYBE, call.loc, spec.name,
                               marks=spec.result_marks,
                               trail=(Step(call.loc, f"{parts[1]} allocated by {spec.name}()"),))
            return oid
        if what == "arg":
            i = int(parts[1])
            v = vals[i] if i < len(vals) else None
            return v if not is_addr(v) else None
        if what == "borrow":
            i = int(parts[2])
            lender = vals[i] if i < len(vals) else None
            return self.borrow(st, parts[1], lender, call.loc, spec.name)
        if what == "slot":
            i = int(parts[1])
            lender = vals[i] if i < len(vals) else None
            if is_obj(lender) and lender in st.objs:
                held = st.objs[lender].slot(parts[2])
                if held is not None and held in st.objs:
                    return held  # the very BIO the function handed over earlier
            return self.borrow(st, "BIO", lender, call.loc, spec.name)
        return None

    def borrow(self, st: State, kind: str, lender: Value, loc: Loc, api: str) -> str:
        oid = st.new_id(loc)
        owner = lender if is_obj(lender) else ""
        st.objs[oid] = Obj(kind, BORROW, 1, 0, MAYBE, loc, api, owner=owner,
                           trail=(Step(loc, f"borrowed {kind} reference from {api}()"),))
        return oid

    def out_params(self, st, call, spec, vals, outs, result):
        status = spec.returns == "status"
        ok = st.copy() if status else st
        for lv, verb in outs:
            parts = verb.split(":")
            if parts[0] == "out-acquire":
                oid = ok.new_id(call.loc)
                made = Step(call.loc, f"{parts[1]} allocated by {spec.name}()")
                ok.objs[oid] = Obj(parts[1], ALLOC, 1, 1, NONNULL if status else MAYBE,
                                   call.loc, spec.name, trail=(made,))
            else:
                i = int(parts[2])
                oid = self.borrow(ok, parts[1], vals[i] if i < len(vals) else None,
                                  call.loc, spec.name)
            self.write(ok, lv, oid, call.loc)
        if not status:
            return [(ok, result)]
        for lv, _ in outs:  # on failure both out-parameters are set to NULL
            self.write(st, lv, 0, call.loc)
        return [(ok, 1), (st, 0)]

    # ---- the verbs -----------------------------------------------------------
    def use(self, st: State, oid: str, loc: Loc, api: str, nullable: bool) -> bool:
        """Check a use of a handle; False when it is already destroyed."""
        o = st.objs.get(oid)
        if o is None or o.unknown:
            return True
        if o.destroyed:
            self.emit("use-after-release", st, oid, loc, api, first_release=o.released,
                      released_via=o.released_via)
            st.objs[oid] = replace(o, unknown=True)
            return False
        if not nullable and o.origin == ALLOC and o.null != NONNULL:
            self.emit("null-use", st, oid, loc, api, definitely=o.null == NULL)
            if o.null == MAYBE:  # report once; a NULL stays NULL (no leak on this path)
                st.objs[oid] = replace(o, null=NONNULL)
        return True

    def release(self, st: State, oid: str, loc: Loc, api: str, cascade: bool,
                report: bool = True) -> None:
        o = st.objs.get(oid)
        if o is None or o.unknown or o.null == NULL:
            return
        if o.destroyed:
            if report:
                self.emit("double-release", st, oid, loc, api, first_release=o.released,
                          released_via=o.released_via)
            st.objs[oid] = replace(o, unknown=True)
            return
        if report and o.owe == 0 and o.origin == BORROW:
            lender = st.objs.get(o.owner)
            self.emit("release-borrowed", st, oid, loc, api, getter=o.api,
                      lender=describe_obj(lender))
            st.objs[oid] = replace(o, unknown=True)
            return
        if report and o.owe == 0 and o.owner and o.owner in st.objs \
                and not st.objs[o.owner].destroyed:
            owner = st.objs[o.owner]
            self.emit("release-transferred", st, oid, loc, api, owner=describe_obj(owner),
                      owner_kind=owner.kind)
            st.objs[oid] = replace(o, unknown=True)
            return
        refs = o.refs - 1
        if report:
            self.emit("release", st, oid, loc, api, marks=o.marks, origin_api=o.api,
                      last=refs <= 0)
        msg = f"released by {api}()" if refs <= 0 else f"{api}() drops one reference"
        o = o.step(loc, msg, refs=refs, owe=max(0, o.owe - 1), null=NONNULL)
        if refs <= 0:
            o = replace(o, released=Step(loc, msg))
        st.objs[oid] = o
        if refs <= 0:
            self.destroy_members(st, oid, loc, api, cascade)

    def destroy_members(self, st: State, oid: str, loc: Loc, api: str, cascade: bool) -> None:
        todo = [oid]
        while todo:
            cur = todo.pop()
            for mid, m in list(st.objs.items()):
                if m.owner != cur or m.destroyed:
                    continue
                if m.origin == BORROW or cascade or st.objs[cur].kind == "SSL":
                    why = (f"invalidated: the object it was borrowed from was released by {api}()"
                           if m.origin == BORROW else f"released with its owner by {api}()")
                    st.objs[mid] = m.step(loc, why, refs=0, owe=0, released=Step(loc, why),
                                          released_via=st.objs[cur].kind
                                          if m.origin != BORROW else "borrow")
                    todo.append(mid)
                else:  # BIO_free of a chain head: the rest of the chain is ours again
                    st.objs[mid] = m.step(loc, f"left behind when {api}() freed its chain head",
                                          owner="", owe=m.owe + 1)

    def consume(self, st: State, oid: str, owner: Value, slot: str, loc: Loc, api: str) -> None:
        if not self.use(st, oid, loc, api, nullable=True):
            return
        o = st.objs[oid]
        if o.null == NULL:
            return
        if is_addr(owner) or isinstance(owner, tuple):
            owner = None
        if not is_obj(owner) or owner not in st.objs or owner == oid:
            st.objs[oid] = o.step(loc, f"handed over by {api}()", escaped=True,
                                  owe=max(0, o.owe - 1))
            return
        ow = st.objs[owner]
        if o.owe == 0 and o.owner == owner and o.origin == ALLOC:
            # A second hand-over to the same owner with no reference left to give
            # (SSL_set0_rbio + SSL_set0_wbio of one BIO without BIO_up_ref).
            self.emit("release-transferred", st, oid, loc, api, owner=describe_obj(ow),
                      owner_kind=ow.kind, overcommit=True)
            st.objs[oid] = replace(o, unknown=True)
            return
        st.objs[oid] = o.step(loc, f"now owned by '{ow.var or ow.kind}' ({api}())",
                              owner=owner, owe=max(0, o.owe - 1))
        if slot:
            old = ow.slot(slot)
            st.objs[owner] = ow.with_slot(slot, oid)
            if old and old != oid and old in st.objs and old not in _slot_values(st.objs[owner]):
                self.release(st, old, loc, api, cascade=True, report=False)

    def set_bio(self, st: State, loc: Loc, api: str, vals: list) -> None:
        """SSL_set_bio(s, r, w) as OpenSSL's code (not its page) counts references:
        takes_r = r && r != cur_r && (w != cur_w || r != w)
        takes_w = w && w != r && (w != cur_w || cur_r == cur_w)"""
        vals = [self.read(st, v[1]) if is_addr(v) else v for v in vals]
        ssl, r, w = (vals + [None, None, None])[:3]
        if not is_obj(ssl) or ssl not in st.objs:
            for v in (r, w):
                self.escape(st, v)
            return
        s = st.objs[ssl]
        cur_r, cur_w = s.slot("rbio") or 0, s.slot("wbio") or 0

        def nonnull(v):
            return v is not None and v != 0 and not (is_obj(v) and st.objs[v].null == NULL)

        takes_r = nonnull(r) and r != cur_r and (w != cur_w or r != w)
        takes_w = nonnull(w) and w != r and (w != cur_w or cur_r == cur_w)
        for v, takes in ((r, takes_r), (w, takes_w)):
            if is_obj(v) and takes:
                self.consume(st, v, ssl, "", loc, api)
            elif is_obj(v):
                self.use(st, v, loc, api, nullable=True)
        s = st.objs[ssl]
        if is_obj(r):
            s = s.with_slot("rbio", r)
        if is_obj(w):
            s = s.with_slot("wbio", w)
        st.objs[ssl] = s
        for old in {cur_r, cur_w} - {r, w, 0}:
            if is_obj(old) and old in st.objs:
                self.release(st, old, loc, api, cascade=True, report=False)

    def replace_slots(self, st: State, owner: str, slots: tuple[str, ...], loc: Loc,
                      api: str) -> None:
        """The call frees what the owner held in these slots (and sets its own,
        untracked, objects there)."""
        o = st.objs[owner]
        old = {o.slot(name) for name in slots} - {None}
        keep = {v for k, v in o.slots if k not in slots}
        o = replace(o, slots=tuple((k, v) for k, v in o.slots if k not in slots))
        st.objs[owner] = o
        for oid in sorted(old - keep):
            if oid in st.objs:
                self.release(st, oid, loc, api, cascade=True, report=False)

    def unpop(self, st: State, oid: str, loc: Loc, api: str) -> None:
        if not self.use(st, oid, loc, api, nullable=True):
            return
        o = st.objs[oid]
        if o.owner:
            st.objs[oid] = o.step(loc, f"detached from its chain by {api}()", owner="",
                                  owe=o.owe + 1)
        for mid, m in list(st.objs.items()):
            if m.owner == oid and m.origin != BORROW:
                st.objs[mid] = m.step(loc, f"detached by {api}()", owner="", owe=m.owe + 1)


_PREFIX_KINDS = (("SSL_SESSION_", "SSL_SESSION"), ("SSL_CTX_", "SSL_CTX"), ("BIO_", "BIO"),
                 ("SSL_", "SSL"))


def _kind_for(name: str, verb: str) -> str:
    """The handle kind an argument of an OpenSSL function holds, from its name."""
    if verb.startswith("consume"):
        return "BIO"  # what SSL_set0_*bio and BIO_push take over
    return next((k for p, k in _PREFIX_KINDS if name.startswith(p)), "")


def _slot_values(o: Obj) -> set[str]:
    return {v for _, v in o.slots}


def describe_obj(o: Obj | None) -> str:
    if o is None:
        return ""
    return f"'{o.var}'" if o.var else f"the {o.kind}"


__all__ = ["Effects", "describe", "describe_obj"]
