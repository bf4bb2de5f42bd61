"""Operations on tracked objects that the API verbs are made of: use, release (and
what an owner takes down with it), hand-over into an owner or a slot, detaching from
a chain, borrowing, escaping. Each checks the object's state and reports through
the event log; none evaluates expressions."""
from __future__ import annotations


from sslint.engine.eventlog import EventLog
from sslint.engine.state import (ALLOC, BORROW, MAYBE, NONNULL, NULL, Obj, State, Value,
                                 is_addr, is_obj, replace)
from sslint.core.events import (Cause, DoubleRelease, NullUse, Release, ReleaseBorrowed,
                           ReleaseTransferred, UseAfterRelease)
from sslint.core.findings import Loc, Step
from sslint.model.kinds import Kinds


class Lifecycle:
    def __init__(self, log: EventLog, kinds: Kinds):
        self.log = log
        self.kinds = kinds
        # Struct fields whose handle this function releases or passes on (SSL104).
        self.handled: set[tuple[str, str]] = set()

    def escape(self, st: State, value: Value, handed: bool = True,
               keep_home: bool = False) -> None:
        """The handle may be kept elsewhere. `handed=False`: only the struct holding
        it went (`free(c)` takes `c->ssl` with it, but does not release it);
        `keep_home`: to a function whose summary lists every field it reads (a field
        it did not read still holds the only pointer)."""
        if is_obj(value):
            o = st.objs.get(value)
            if o is not None and o.src and handed:
                self.handled.add(o.src)
            if o is not None and (not o.escaped or (o.home and not keep_home)):
                st.objs[value] = replace(o, escaped=True, home=o.home if keep_home else "")

    def use(self, st: State, oid: Value, loc: Loc, api: str, nullable: bool) -> bool:
        """Check a use of a handle (any value: only object ids are checked); False when
        it is already destroyed."""
        o = st.objs.get(oid)
        if o is None or o.unknown:
            return True
        if o.destroyed:
            self.log.emit(UseAfterRelease, st, oid, loc, api, first_release=o.released,
                          cause=o.cause, owner_kind=o.owner_kind)
            st.objs[oid] = replace(o, unknown=True)
            return False
        if not nullable and o.origin == ALLOC and o.null != NONNULL:
            self.log.emit(NullUse, st, oid, loc, api, definitely=o.null == NULL)
            if o.null == MAYBE:  # report once; a NULL stays NULL (no leak on this path)
                st.objs[oid] = replace(o, null=NONNULL)
        return True

    def release(self, st: State, oid: str, loc: Loc, api: str, cascade: bool,
                report: bool = True) -> None:
        o = st.objs.get(oid)
        if o is not None and o.src:
            self.handled.add(o.src)
        if o is None or o.unknown or o.null == NULL:
            return
        if o.destroyed:
            if report:
                self.log.emit(DoubleRelease, st, oid, loc, api, first_release=o.released,
                              cause=o.cause, owner_kind=o.owner_kind)
            st.objs[oid] = replace(o, unknown=True)
            return
        if report and o.owe == 0 and o.origin == BORROW:
            self.log.emit(ReleaseBorrowed, st, oid, loc, api, getter=o.api,
                          lender=describe_obj(st.objs.get(o.owner)))
            st.objs[oid] = replace(o, unknown=True)
            return
        if report and o.owe == 0 and o.owner and o.owner in st.objs \
                and not st.objs[o.owner].destroyed:
            owner = st.objs[o.owner]
            if self.kinds.frees_members(owner.kind) or oid in _slot_values(owner):
                # An SSL frees its BIOs whatever happens: the second free is certain.
                self.log.emit(ReleaseTransferred, st, oid, loc, api,
                              owner=describe_obj(owner), owner_kind=owner.kind)
                st.objs[oid] = replace(o, unknown=True)
                return
            # A chain member freed alone: wrong only if the chain is freed as a whole
            # later (BIO_free_all); BIO_free of the head leaves it alone.
            o = replace(o, freed_in_chain=api)
        refs = o.refs - 1
        if report:
            self.log.emit(Release, st, oid, loc, api, marks=o.marks, origin_api=o.api,
                          last=refs <= 0)
        msg = f"released by {api}()" if refs <= 0 else f"{api}() drops one reference"
        o = o.step(loc, msg, refs=refs, owe=max(0, o.owe - 1), null=NONNULL)
        if refs <= 0:
            o = replace(o, released=Step(loc, msg))
        st.objs[oid] = o
        if refs <= 0:
            self.destroy_members(st, oid, loc, api, cascade)

    def destroy_members(self, st: State, oid: str, loc: Loc, api: str, cascade: bool) -> None:
        """What the destroyed object owned goes with it (borrowed references become
        invalid); a chain head freed alone leaves the rest of its chain behind."""
        todo = [oid]
        while todo:
            cur = todo.pop()
            owner_kind = st.objs[cur].kind
            in_slots = _slot_values(st.objs[cur])
            for mid, m in list(st.objs.items()):
                if m.owner == cur and m.destroyed and m.freed_in_chain and cascade \
                        and m.released is not None:
                    with self.log.spelled_as(""):  # a member: not the argument at hand
                        self.log.emit(ReleaseTransferred, st, mid, m.released.loc,
                                      m.freed_in_chain, owner=describe_obj(st.objs[cur]),
                                      owner_kind=owner_kind,
                                      then=Step(loc, f"freed again with its chain by {api}()"))
                    st.objs[mid] = replace(m, freed_in_chain="", unknown=True)
                    continue
                if m.owner != cur or m.destroyed:
                    continue
                if m.origin == BORROW and m.null == NULL:
                    continue  # a NULL it lent: nothing to invalidate
                if m.origin == BORROW and "shared" in m.marks:
                    # SSL_get_certificate: the SSL_CTX holds a reference of its own.
                    st.objs[mid] = m.step(loc, f"still held by others when {api}() released "
                                               "its lender", owner="")
                    continue
                if m.origin == BORROW and m.owe > 0:
                    # Borrowed, then up_ref'd: the reference taken keeps it alive.
                    st.objs[mid] = m.step(loc, f"kept alive by the reference taken on it when "
                                               f"{api}() released its lender", owner="",
                                          refs=m.owe)
                    continue
                # What it holds in a named slot goes with it (an SSL BIO's SSL); the
                # rest of a chain only with a release that cascades (BIO_free_all).
                if m.origin == BORROW or cascade or mid in in_slots \
                        or self.kinds.frees_members(owner_kind):
                    borrowed = m.origin == BORROW
                    why = (f"invalidated: the object it was borrowed from was released by {api}()"
                           if borrowed else f"released with its owner by {api}()")
                    st.objs[mid] = m.step(loc, why, refs=0, owe=0, released=Step(loc, why),
                                          cause=Cause.LENDER if borrowed else Cause.OWNER,
                                          owner_kind="" if borrowed else owner_kind)
                    todo.append(mid)
                else:  # BIO_free of a chain head: the rest of the chain is ours again
                    st.objs[mid] = m.step(loc, f"left behind when {api}() freed its chain head",
                                          owner="", owe=m.owe + (0 if m.unpaid else 1),
                                          unpaid=False)

    def consume(self, st: State, oid: str, owner: Value, slot: str, loc: Loc, api: str) -> None:
        """The reference moves into owner (into one of its slots, freeing what was there)."""
        if not self.use(st, oid, loc, api, nullable=True):
            return
        o = st.objs[oid]
        if o.src:
            self.handled.add(o.src)
        if o.null == NULL:
            return
        if is_addr(owner) or isinstance(owner, tuple):
            owner = None
        if owner == 0 or (is_obj(owner) and owner in st.objs and st.objs[owner].null == NULL):
            return  # nothing to take it over (BIO_push(NULL, b)): it stays the caller's
        if not is_obj(owner) or owner not in st.objs or owner == oid:
            st.objs[oid] = o.step(loc, f"handed over by {api}()", escaped=True,
                                  owe=max(0, o.owe - 1))
            return
        ow = st.objs[owner]
        if o.owe == 0 and o.owner == owner and o.origin == ALLOC:
            # A second hand-over to the same owner with no reference left to give
            # (SSL_set0_rbio + SSL_set0_wbio of one BIO without BIO_up_ref).
            self.log.emit(ReleaseTransferred, st, oid, loc, api, owner=describe_obj(ow),
                          owner_kind=ow.kind, overcommit=True)
            st.objs[oid] = replace(o, unknown=True)
            return
        # With no reference of its own to hand over (a borrowed or the caller's BIO),
        # the owner holds one nobody gave: a later up_ref pays it, a detach owes none.
        st.objs[oid] = o.step(loc, f"now owned by '{ow.var or ow.kind}' ({api}())",
                              owner=owner, owe=max(0, o.owe - 1), unpaid=o.owe == 0)
        if slot:
            old = ow.slot(slot)
            st.objs[owner] = ow.with_slot(slot, oid)
            if old and old != oid and old in st.objs and old not in _slot_values(st.objs[owner]):
                self.release(st, old, loc, api, cascade=True, report=False)

    def set_bio(self, st: State, loc: Loc, api: str, vals: list) -> None:
        """SSL_set_bio(s, r, w) as OpenSSL's code (not its page) counts references:
        takes_r = r && r != cur_r && (w != cur_w || r != w)
        takes_w = w && w != r && (w != cur_w || cur_r == cur_w)"""
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
        old = {s for s in (o.slot(name) for name in slots) if s is not None}
        keep = {v for k, v in o.slots if k not in slots}
        o = replace(o, slots=tuple((k, v) for k, v in o.slots if k not in slots))
        st.objs[owner] = o
        for oid in sorted(old - keep):
            if oid in st.objs:
                self.release(st, oid, loc, api, cascade=True, report=False)

    def unpop(self, st: State, oid: str, loc: Loc, api: str) -> str | None:
        """The object leaves its chain: the caller owns it (and what it held) again.
        Returns the first object it let go of (BIO_pop's result: the rest of the chain)."""
        if not self.use(st, oid, loc, api, nullable=True):
            return None
        o = st.objs[oid]
        if o.owner:
            st.objs[oid] = o.step(loc, f"detached from its chain by {api}()", owner="",
                                  owe=o.owe + (0 if o.unpaid else 1), unpaid=False)
        first = None
        held = _slot_values(st.objs[oid])  # what it holds in a slot stays (an SSL BIO's SSL)
        for mid, m in list(st.objs.items()):
            if m.owner == oid and m.origin != BORROW and mid not in held:
                st.objs[mid] = m.step(loc, f"detached by {api}()", owner="",
                                      owe=m.owe + (0 if m.unpaid else 1), unpaid=False)
                first = first or mid
        return first

    def share_slots(self, st: State, oid: str, slots: tuple[str, ...], loc: Loc,
                    api: str) -> None:
        """The call takes references of its own on what oid holds in these slots
        (BIO_set_ssl on the SSL's read BIO): their counts are no longer this
        function's to follow, so nothing more is said about them."""
        o = st.objs.get(oid)
        if o is None:
            return
        for name in slots:
            held = o.slot(name)
            if held is not None and held in st.objs:
                st.objs[held] = st.objs[held].step(loc, f"{api}() takes a reference of its "
                                                        "own", unknown=True)

    def borrow(self, st: State, kind: str, lender: Value, loc: Loc, api: str) -> str:
        """A new reference owned by lender (invalid once lender is released)."""
        oid = st.new_id(loc)
        owner = lender if is_obj(lender) else ""
        st.objs[oid] = Obj(kind, BORROW, 1, 0, MAYBE, loc, api, owner=owner,
                           trail=(Step(loc, f"borrowed {kind} reference from {api}()"),))
        return oid


def _slot_values(o: Obj) -> set[str]:
    return {v for _, v in o.slots}


def describe_obj(o: Obj | None) -> str:
    if o is None:
        return ""
    return f"'{o.var}'" if o.var else f"the {o.kind}"
