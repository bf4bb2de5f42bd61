"""Build sslint IR functions (sslint.core.ir) by hand, statement by statement, so that
engine tests read like the C they model and need no libclang:

    # int f(SSL_CTX *ctx)
    # {
    #     SSL *s = SSL_new(ctx);       /* line 3 */
    #     if (s == NULL)               /* line 4 */
    #         return -1;               /* line 5 */
    #     SSL_free(s);                 /* line 6 */
    #     return 0;                    /* line 7 */
    # }
    f = FnBuilder("f")
    ctx = f.param("ctx", "SSL_CTX")
    s = f.local("s", "SSL")
    f.stmt(3, assign(s, call("SSL_new", ctx)))
    with f.if_(4, eq(s, NULL)):
        f.ret(5, Int(-1))
    f.stmt(6, call("SSL_free", s))
    f.ret(7, Int(0))
    fn = f.build()

Expressions are built without locations; a statement stamps its line on the calls
and assignments in it (column 5, like an indented statement). The graph has the
shape the front end gives it (sslint.frontend.lower): one entry node, `branch`
nodes whose first successor is the true edge, every `return` leading to the single
`exit` node.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from sslint.core import ir
from sslint.core.findings import Loc

FILE = "hand.c"
COL = 5
NULL = ir.Int(0)
Int = ir.Int


# ---- expressions (locations come from the statement) --------------------------

def call(callee: str, *args: ir.Expr, returns: str = "") -> ir.Call:
    """callee(args...); `returns` is the handle kind of its result type, if any."""
    return ir.Call(callee, tuple(args), _NOWHERE, result_handle=returns)


def assign(target: ir.Expr, value: ir.Expr) -> ir.Assign:
    return ir.Assign(target, value, _NOWHERE)


def eq(a: ir.Expr, b: ir.Expr) -> ir.Binary:
    return ir.Binary("==", a, b)


def ne(a: ir.Expr, b: ir.Expr) -> ir.Binary:
    return ir.Binary("!=", a, b)


def lt(a: ir.Expr, b: ir.Expr) -> ir.Binary:
    return ir.Binary("<", a, b)


def not_(a: ir.Expr) -> ir.Unary:
    return ir.Unary("!", a)


def add(a: ir.Expr, b: ir.Expr) -> ir.Binary:
    return ir.Binary("+", a, b)


_NOWHERE = Loc(FILE, 0, 0)


def _stamp(e, loc: Loc):
    """e with every placeholder location replaced by loc."""
    if not isinstance(e, ir.Expr) or isinstance(e, (ir.Var, ir.Int)):
        return e
    changes = {}
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if f.name == "loc" and (v is None or v == _NOWHERE):
            changes["loc"] = loc
        elif isinstance(v, ir.Expr):
            changes[f.name] = _stamp(v, loc)
        elif isinstance(v, tuple) and v and isinstance(v[0], ir.Expr):
            changes[f.name] = tuple(_stamp(x, loc) for x in v)
    return dataclasses.replace(e, **changes)


# ---- the function --------------------------------------------------------------

class FnBuilder:
    def __init__(self, name: str = "f", line: int = 1):
        self.name = name
        self.line = line  # of the signature
        self.last_line = line
        self.params: list[ir.Var] = []
        self.nodes: list[ir.Node] = []
        self.entry = self._new("expr")
        self.tails = [self.entry]
        self._else: tuple[list[int], int] | None = None

    # variables
    def param(self, name: str, handle: str = "", pointer: bool | None = None) -> ir.Var:
        v = self._var(name, handle, "param", pointer)
        self.params.append(v)
        return v

    def local(self, name: str, handle: str = "", pointer: bool | None = None) -> ir.Var:
        return self._var(name, handle, "local", pointer)

    def global_(self, name: str, handle: str = "", pointer: bool | None = None) -> ir.Var:
        return self._var(name, handle, "global", pointer)

    def _var(self, name, handle, scope, pointer) -> ir.Var:
        key = f"g:{name}" if scope == "global" else f"{name}#{scope}"
        return ir.Var(key, name, handle, scope, bool(handle) if pointer is None else pointer,
                      Loc(FILE, self.line, COL))

    # statements
    def stmt(self, line: int, e: ir.Expr) -> None:
        """An expression statement: `e;`"""
        self._emit("expr", _stamp(e, self._loc(line)), line)

    def ret(self, line: int, e: ir.Expr | None = None) -> None:
        """`return e;` (or `return;`)"""
        self._emit("return", None if e is None else _stamp(e, self._loc(line)), line)
        self.tails = []

    @contextmanager
    def if_(self, line: int, cond: ir.Expr) -> Iterator[None]:
        """`if (cond) { body }`; an `else_()` block may follow right after."""
        br = self._emit("branch", _stamp(cond, self._loc(line)), line)
        then, other = self._new("expr"), self._new("expr")
        self.nodes[br].succ = [then, other]  # true edge first
        self.tails = [then]
        yield
        self._else = (self.tails, other)
        self.tails = self.tails + [other]

    @contextmanager
    def else_(self) -> Iterator[None]:
        assert self._else is not None, "else_() right after an if_() block"
        after_then, other = self._else
        self._else = None
        self.tails = [other]
        yield
        self.tails = after_then + self.tails

    @contextmanager
    def while_(self, line: int, cond: ir.Expr) -> Iterator[None]:
        """`while (cond) { body }`"""
        head = self._new("expr")
        self._link(self.tails, head)
        self.tails = [head]
        br = self._emit("branch", _stamp(cond, self._loc(line)), line)
        body, out = self._new("expr"), self._new("expr")
        self.nodes[br].succ = [body, out]
        self.tails = [body]
        yield
        self._link(self.tails, head)
        self.tails = [out]

    def build(self) -> ir.Function:
        end = self.last_line + 1  # the closing brace
        exit_id = self._new("exit")
        self._link(self.tails, exit_id)
        for n in self.nodes:
            if n.kind == "return":
                n.succ = [exit_id]
        return ir.Function(self.name, Loc(FILE, self.line, 1, end, 2), tuple(self.params),
                           self.nodes, self.entry, exit_id)

    # plumbing
    def _loc(self, line: int) -> Loc:
        self.last_line = max(self.last_line, line)
        return Loc(FILE, line, COL, line, COL + 1)

    def _new(self, kind: str, expr: ir.Expr | None = None, line: int = 0) -> int:
        n = ir.Node(len(self.nodes), kind, expr, self._loc(line) if line else None)
        self.nodes.append(n)
        return n.id

    def _link(self, tails: list[int], target: int) -> None:
        for t in tails:
            if target not in self.nodes[t].succ:
                self.nodes[t].succ.append(target)

    def _emit(self, kind: str, expr: ir.Expr | None, line: int) -> int:
        nid = self._new(kind, expr, line)
        self._link(self.tails, nid)
        self.tails = [nid]
        self._else = None
        return nid
