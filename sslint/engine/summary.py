"""Summaries of a file's own functions, for their callers in the same file.

Real code wraps OpenSSL: `conn_create()` returns `SSL_new()`'s result,
`conn_free(SSL *s)` ends in `SSL_free(s)`, `log_bio(BIO *b)` only writes to it.
Analysed callee-first, each function's exits say what it does to its handle
parameters and what it returns; that becomes an API-table entry (FnSpec) so the
caller is analysed as if the wrapper were in the table. Anything mixed or unclear
stays unknown (the handle escapes), which never invents a finding.
"""
from __future__ import annotations

from sslint.core import ir
from sslint.engine.state import ALLOC, NONNULL, NULL, PARAM, State, is_obj
from sslint.model.api import FnSpec

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
        self.exits = 0
        self.marks: frozenset[str] | None = None  # marks every exit left on the 1st handle
        self.nonnull = [True for _ in self.params]  # the handle was non-NULL at every exit
        self.result_nonnull = True  # every acquired result returned was non-NULL

    def at_exit(self, st: State, returned: object) -> None:
        self.exits += 1
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
            o = st.objs[returned]
            fresh = (o.origin == ALLOC and o.owe == 1 and o.refs == 1 and not o.escaped
                     and not o.owner and not o.unknown)
            self.returns.add(f"acquire:{o.kind}" if fresh else "other")
            if o.null != NONNULL:
                self.result_nonnull = False
        else:
            self.returns.add("other")

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
        returns = ""
        if len(acquired) == 1 and self.returns <= acquired | {"null"}:
            returns = acquired.pop()
        if returns or any(a in ("release", "use?", "use!", "addref") for a in args):
            # Marks of a function with a result may hang on that result (a failed
            # handshake): only a void wrapper's marks are unconditional.
            marks = (self.marks or frozenset()) if self.returns == {"void"} else frozenset()
            # A helper that shuts down only when not already done (`if (!(SSL_get_shutdown(s)
            # & SSL_SENT_SHUTDOWN)) SSL_shutdown(s);`) still counts as shutting down.
            marks |= self.may_marks
            return FnSpec(self.fn.name, tuple(args), returns, man=SUMMARY_MAN,
                          attempt_marks=marks,
                          never_null=bool(returns) and self.result_nonnull)
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
    spec = model.lookup(e.callee)
    return spec is not None and spec.noreturn
