"""Summaries of a file's own functions, for their callers in the same file.

Real code wraps OpenSSL: `conn_create()` returns `SSL_new()`'s result,
`conn_free(SSL *s)` ends in `SSL_free(s)`, `log_bio(BIO *b)` only writes to it.
Analysed callee-first, each function's exits say what it does to its handle
parameters and what it returns; that becomes an API-table entry (FnSpec) so the
caller is analysed as if the wrapper were in the table. Anything mixed or unclear
stays unknown (the handle escapes), which never invents a finding.
"""
from __future__ import annotations

import re
from dataclasses import replace

from sslint.core import ir
from sslint.core.findings import Loc
from sslint.engine.state import (ALLOC, BORROW, NONNULL, NONZERO, NULL, PARAM, State, is_addr,
                                 is_obj)
from sslint.model.api import FieldEffect, FnSpec

SUMMARY_MAN = "(summary of a function in this file)"


class SummaryCollector:
    def __init__(self, fn: ir.Function, attempted: frozenset[str] = frozenset()):
        self.fn = fn
        # Marks that record an attempt (a shutdown): one on some exit is enough.
        self.attempted = attempted
        self.may_marks: frozenset[str] = frozenset()
        self.params = [p for p in fn.params]
        self.seen: list[set[str]] = [set() for _ in self.params]
        self.returns: set[str] = set()
        self.ret_slots: list[frozenset[tuple[int, str]]] = []  # fields holding the result
        self.exits = 0
        self.marks: frozenset[str] | None = None  # marks every exit left on the 1st handle
        self.nonnull = [True for _ in self.params]  # the handle was non-NULL at every exit
        self.result_nonnull = True  # every acquired result returned was non-NULL
        # Handles in fields below struct-pointer parameters: (param index, field path)
        # -> what each exit found there; where such a handle was released, and its kind.
        self.fields: dict[tuple[int, str], list[str]] = {}
        self.field_where: dict[tuple[int, str], Loc] = {}
        self.field_kind: dict[tuple[int, str], str] = {}
        self.field_record: dict[tuple[int, str], str] = {}
        self.param_exits: dict[int, list[str]] = {}  # per exit: "skip" (parameter NULL)
        self.exit_class: list[str] = []  # per exit: returns "0", non-zero "nz", or "?"
        self.struct_params = [(i, p.key) for i, p in enumerate(fn.params)
                              if not p.handle and p.is_pointer]
        self.null_exits = _null_only_nodes(fn, self.struct_params) if self.struct_params \
            else {}

    def at_exit(self, st: State, returned: object, node: int = -1) -> None:
        self.exits += 1
        # What the exit returns, for effects that hold on one outcome only.
        self.exit_class.append(self.outcome(st, returned, node))
        if self.struct_params:
            self.field_exit(st, node)
        first = True
        for i, p in enumerate(self.params):
            if p.handle:
                self.seen[i].add(_param_status(st, p))
                obj = _param_obj(st, p)
                if obj is None or obj.null != NONNULL:
                    self.nonnull[i] = False
                if first:
                    obj = _param_obj(st, p)
                    if obj is not None and obj.null != NULL:
                        m = obj.marks
                        self.marks = m if self.marks is None else self.marks & m
                        self.may_marks |= m & self.attempted
                    first = False
        if returned is None and self.fn.nodes and not _returns_value(self.fn):
            self.returns.add("void")
        elif returned == 0:
            self.returns.add("null")
        elif is_obj(returned) and returned in st.objs:
            held = self._held_in(st, returned)
            if held:
                # `c->tls = ssl; return ssl;`: the caller's struct holds the reference
                # and the result is that same object (a store-ret field effect), not a
                # second reference for the caller to release.
                self.returns.add("field")
                self.ret_slots.append(held)
                return
            o = st.objs[returned]
            fresh = (o.origin == ALLOC and o.owe == 1 and o.refs == 1 and not o.escaped
                     and not o.owner and not o.unknown)
            borrowed = (o.origin == BORROW and o.owe == 0 and not o.unknown
                        and not o.destroyed)
            self.returns.add(f"acquire:{o.kind}" if fresh else
                             f"borrow:{o.kind}" if borrowed else "other")
            if o.null != NONNULL:
                self.result_nonnull = False
        else:
            self.returns.add("other")

    def _held_in(self, st: State, obj: str) -> frozenset[tuple[int, str]]:
        """The fields below struct-pointer parameters that hold `obj` at this exit."""
        out: set[tuple[int, str]] = set()
        for i, key in self.struct_params:
            prefix = key + "->"
            out.update((i, k[len(prefix):]) for k, v in st.env.items()
                       if v == obj and k.startswith(prefix))
        return frozenset(out)

    def outcome(self, st: State, returned: object, node: int) -> str:
        """What the caller can tell of this exit from the result: "0" (zero or NULL),
        "nz" (non-zero, a pointer known not to be NULL) or "?"."""
        if isinstance(returned, int):
            return "0" if returned == 0 else "nz"
        if returned is NONZERO or is_addr(returned):
            return "nz"
        if is_obj(returned) and returned in st.objs:
            null = st.objs[returned].null
            return "0" if null == NULL else "nz" if null == NONNULL else "?"
        # `return c;`: the struct a caller passed (exits where it is NULL are skipped).
        e = self.fn.nodes[node].expr if 0 <= node < len(self.fn.nodes) else None
        if isinstance(e, ir.Var) and any(e.key == key for _, key in self.struct_params) \
                and st.env.get(e.key) != 0:
            return "nz"
        return "?"

    def field_exit(self, st: State, node: int) -> None:
        """What this exit leaves in each field below a struct-pointer parameter that the
        function touched (read or wrote); exits where the parameter itself is NULL do
        not count (a caller passing a real struct never takes them)."""
        seen = set()
        for i, key in self.struct_params:
            skipped = st.env.get(key) == 0 or node in self.null_exits.get(i, ())
            self.param_exits.setdefault(i, []).append("skip" if skipped else "unused")
            if skipped:
                seen.update(self.skip_exit(i))
                continue
            prefix = key + "->"
            paths = {k for k in st.env if k.startswith(prefix)}
            paths |= {o[1:] for o in st.objs if o.startswith("@" + prefix)}
            for path in paths:
                rest = path[len(prefix):]
                if not _FIELD_PATH.fullmatch(rest):
                    continue
                slot = (i, rest)
                seen.add(slot)
                self.fields.setdefault(slot, self.param_exits[i][:-1])
                self.fields[slot].append(self.field_status(st, path, slot))
        for slot, statuses in self.fields.items():
            if slot not in seen and len(statuses) < self.exits:
                statuses.append("unused")

    def skip_exit(self, i: int) -> list[tuple[int, str]]:
        slots = [slot for slot in self.fields if slot[0] == i]
        for slot in slots:
            self.fields[slot].append("skip")
        return slots

    def field_status(self, st: State, path: str, slot: tuple[int, str]) -> str:
        oid = "@" + path
        orig = st.objs.get(oid)
        cur = st.env.get(path, "absent")
        if orig is None:
            if is_obj(cur) and cur in st.objs:  # written with a handle: its kind and place
                new = st.objs[cur]
                self.field_kind.setdefault(slot, new.kind)
                if new.src:
                    self.field_record.setdefault(slot, new.src[0])
                if new.null == NULL:
                    return "nulled"
                if new.origin == ALLOC and new.owe > 0 and new.null == NONNULL \
                        and not (new.destroyed or new.unknown or new.owner):
                    return "stored"  # a new reference the struct now holds
            if cur == 0:
                return "nulled"
            return "written" if cur != "absent" else "unused"
        self.field_kind.setdefault(slot, orig.kind)
        if orig.src:
            self.field_record.setdefault(slot, orig.src[0])
        if orig.unknown or orig.owner:
            return "escaped"
        if orig.null == NULL:
            return "null"
        if orig.destroyed:
            if orig.released is not None:
                self.field_where.setdefault(slot, orig.released.loc)
            return "released" if cur == oid else "cleared" if cur == 0 else "written"
        if cur != oid:
            return "written"
        return "escaped" if orig.escaped else "used"

    def field_effects(self) -> tuple[FieldEffect, ...]:
        out = []
        for (i, path), statuses in sorted(self.fields.items()):
            kind = self.field_kind.get((i, path), "")
            where = self.field_where.get((i, path))
            record = self.field_record.get((i, path), "")
            op = _field_op(set(statuses) - {"skip"}, kind)
            ops = {"": op}
            if op == "forget":  # one outcome of the call may still say what happened
                by_class: dict[str, set[str]] = {}
                for status, cls in zip(statuses, self.exit_class, strict=False):
                    if status != "skip":
                        by_class.setdefault(cls, set()).add(status)
                split = {cls: _field_op(s, kind) for cls, s in by_class.items()}
                if "?" not in split and "forget" not in split.values() and len(split) > 1:
                    ops = split
            for when, op in sorted(ops.items()):
                if op:
                    out.append(FieldEffect(i, path, op, kind if op != "forget" or kind else "",
                                           where if op.startswith("release") else None,
                                           record, when))
        return tuple(out)

    def spec(self) -> FnSpec | None:
        if not self.exits:  # every path ended in a call that does not return
            return FnSpec(self.fn.name, (), man=SUMMARY_MAN, noreturn=True)
        args = []
        for i, p in enumerate(self.params):
            if not p.handle:
                args.append("escape")  # a struct pointer: what is behind it may be kept
                continue
            s = self.seen[i]
            if "released" in s and s <= {"released", "null"}:
                args.append("release")
            elif s == {"addref"}:
                args.append("addref")  # the caller gets one more reference to release
            elif s == {"used"} and self.nonnull[i]:
                args.append("use!")  # it returns only when the handle is not NULL
            elif s <= {"used", "null", "unused"}:
                args.append("use?")
            else:
                args.append("escape")
        acquired = {r for r in self.returns if r.startswith("acquire:")}
        borrowed = {r for r in self.returns if r.startswith("borrow:")}
        returns = ""
        if len(acquired) == 1 and self.returns <= acquired | {"null"}:
            returns = acquired.pop()
        elif len(borrowed) == 1 and self.returns <= borrowed | {"null"}:
            returns = borrowed.pop()  # a getter of someone else's reference (get0)
        fields = self.field_effects()
        if "field" in self.returns:
            fields = self._store_ret(fields)
        if returns or fields or any(a in ("release", "use?", "use!", "addref") for a in args):
            # Marks of a function with a result may hang on that result (a failed
            # handshake): only a void wrapper's marks are unconditional.
            marks = (self.marks or frozenset()) if self.returns == {"void"} else frozenset()
            # A helper that shuts down only when not already done (`if (!(SSL_get_shutdown(s)
            # & SSL_SENT_SHUTDOWN)) SSL_shutdown(s);`) still counts as shutting down.
            marks |= self.may_marks
            return FnSpec(self.fn.name, tuple(args), returns, man=SUMMARY_MAN,
                          attempt_marks=marks, fields=fields,
                          never_null=returns.startswith("acquire:") and self.result_nonnull
                          and "null" not in self.returns)
        return None

    def _store_ret(self, fields: tuple[FieldEffect, ...]) -> tuple[FieldEffect, ...]:
        """When every exit returns NULL or the object one field stores, that field's
        store is a store-ret: the call's result is the stored object."""
        if not self.returns <= {"field", "null"}:
            return fields
        common = self.ret_slots[0]
        for slots in self.ret_slots[1:]:
            common = common & slots
        stores = [fx for fx in fields if fx.op == "store" and (fx.arg, fx.path) in common
                  and fx.when in ("", "nz")]
        if len(stores) != 1:
            return fields
        return tuple(replace(fx, op="store-ret") if fx is stores[0] else fx for fx in fields)


def _field_op(s: set[str], kind: str) -> str:
    """The effect on a field from what the exits found there ("" for none)."""
    # "escaped": kept somewhere by the callee (a copy, a hand-over): the caller's
    # pointer is no longer the only one.
    rewritten = {"released", "cleared", "written", "stored", "nulled", "escaped"}
    if not kind:
        return "forget" if s & rewritten else ""
    if s <= {"released", "null"} and "released" in s:
        return "release"
    if s <= {"cleared", "null"} and "cleared" in s:
        return "release-clear"
    if s <= {"used", "null"} and "used" in s:
        return "use"
    if s == {"stored"}:
        return "store"
    if s <= {"nulled", "null"} and "nulled" in s:
        return "set-null"
    if s & rewritten:
        return "forget"  # freed or rewritten on some paths only: unknown after
    return ""


_FIELD_PATH = re.compile(r"\w+(\.\w+)*")  # `c->ssl`, `c->tls.ssl`: not `c->a->b`


def _null_only_nodes(fn: ir.Function, params: list[tuple[int, str]]
                     ) -> dict[int, frozenset[int]]:
    """Per struct-pointer parameter, the nodes reachable only through a branch that
    found it NULL (`if (c == NULL) return;`): a caller passing a struct never gets
    there."""
    out: dict[int, frozenset[int]] = {}
    for i, key in params:
        edges = set()
        for n in fn.nodes:
            if n.kind == "branch" and len(n.succ) == 2:
                null_side = _null_test(n.expr, key)
                if null_side is not None:
                    edges.add((n.id, n.succ[0 if null_side else 1]))
        if not edges:
            continue
        seen = {fn.entry}
        todo = [fn.entry]
        while todo:
            cur = todo.pop()
            for s in fn.nodes[cur].succ:
                if (cur, s) not in edges and s not in seen:
                    seen.add(s)
                    todo.append(s)
        out[i] = frozenset(n.id for n in fn.nodes if n.id not in seen)
    return out


def _null_test(e: ir.Expr | None, key: str) -> bool | None:
    """For a condition on the parameter `key` alone: True when the condition holding
    means it is NULL (`!c`, `c == NULL`), False when it means non-NULL (`c`,
    `c != NULL`); None for anything else."""
    def is_param(x: ir.Expr | None) -> bool:
        return isinstance(x, ir.Var) and x.key == key
    if is_param(e):
        return False
    if isinstance(e, ir.Unary) and e.op == "!" and is_param(e.operand):
        return True
    if isinstance(e, ir.Binary) and e.op in ("==", "!="):
        a, b = e.lhs, e.rhs
        if is_param(b):
            a, b = b, a
        if is_param(a) and isinstance(b, ir.Int) and b.value == 0:
            return e.op == "=="
    return None


def _param_obj(st: State, p: ir.Var):
    return next((o for o in st.objs.values() if o.origin == PARAM and o.var == p.name), None)


def _param_status(st: State, p: ir.Var) -> str:
    obj = _param_obj(st, p)
    if obj is None:
        return "unused"
    if obj.null == NULL:
        return "null"
    if obj.destroyed and not obj.unknown:
        return "released"
    if obj.owe and not (obj.escaped or obj.owner or obj.unknown):
        return "addref"  # a reference taken for the caller
    if obj.escaped or obj.owner or obj.unknown or obj.owe:
        return "escaped"
    return "used"


def _returns_value(fn: ir.Function) -> bool:
    return any(n.kind == "return" and n.expr is not None for n in fn.nodes)


def can_return(fn: ir.Function, model) -> bool:
    """Whether some path of the CFG reaches a return or the end of the function, not
    counting paths through a call the model says never returns."""
    seen = {fn.entry}
    todo = [fn.entry]
    while todo:
        n = fn.nodes[todo.pop()]
        if n.kind in ("return", "exit"):
            return True
        if n.kind == "sink" or _stops(n.expr, model):
            continue
        for s in n.succ:
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return False


def _stops(e: ir.Expr | None, model) -> bool:
    if isinstance(e, ir.Assign):
        e = e.value
    if not isinstance(e, ir.Call) or not e.callee:
        return False
    if e.noreturn:
        return True
    spec = model.lookup(e.callee)
    return spec.noreturn if spec is not None else e.proto_noreturn
