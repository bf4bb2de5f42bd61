"""The analyzer's own small C IR: expressions and a statement-level CFG.

The front end lowers libclang cursors into these values; the engine reads only
these. Keeping libclang out of the engine keeps it testable and fast (no cursor
calls on the hot path).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from sslint.core.findings import Loc


class Expr:
    __slots__ = ()

    def __reduce__(self) -> tuple:
        # Rebuilt by the constructor: compiled (mypyc) frozen classes refuse the
        # attribute-by-attribute restore pickle does by default.
        cls = type(self)
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        return (cls, tuple(getattr(self, n) for n in names))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True, slots=True)
class Var(Expr):
    key: str              # unique within the function: "name@line:col" of the declaration
    name: str
    handle: str = ""      # 'SSL', 'BIO', ... when the declared type is a tracked handle
    scope: str = "local"  # 'local' | 'param' | 'global'
    is_pointer: bool = False
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Int(Expr):
    value: int            # integer literal, enum constant; 0 doubles as NULL


@dataclass(frozen=True, slots=True)
class Call(Expr):
    callee: str           # '' for calls through function pointers
    args: tuple[Expr, ...]
    loc: Loc
    const_args: tuple[bool, ...] = ()  # per arg: callee's parameter is pointer-to-const
    noreturn: bool = False
    result_handle: str = ""  # handle kind of the call's result type, if any
    defined_here: bool = False  # the callee's definition is in this translation unit
    void_args: tuple[bool, ...] = ()  # per arg: callee's parameter is a (non-const) void *
    # The prototype says noreturn; holds only while the model has no entry for the callee
    # (a summary decides then), so the IR does not depend on which summaries exist.
    proto_noreturn: bool = False


@dataclass(frozen=True, slots=True)
class Member(Expr):
    base: Expr
    field: str
    arrow: bool
    handle: str = ""
    loc: Loc | None = None
    record: str = ""  # the struct type the field belongs to ("struct conn"), if known


@dataclass(frozen=True, slots=True)
class Index(Expr):
    base: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Deref(Expr):
    operand: Expr
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class AddrOf(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Assign(Expr):
    target: Expr
    value: Expr
    loc: Loc
    op: str = "="         # '=' or a compound operator such as '+='


@dataclass(frozen=True, slots=True)
class CondExpr(Expr):
    cond: Expr
    then: Expr | None     # None for GNU `a ?: b`
    other: Expr


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str               # '!', '-', '~', '++', '--', ...
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str               # '==', '!=', '<', '&&', '||', ',', '+', ...
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class FuncRef(Expr):
    """A function designator: `cb` in `SSL_CTX_sess_set_new_cb(ctx, cb)` (also behind
    `&` or a cast). To the engine it is an unknown value, like an Opaque without
    children; callback registrations are found by it."""

    name: str

    @property
    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Opaque(Expr):
    """Anything the engine need not understand; children are still evaluated
    (for their calls and assignments) in order."""

    children: tuple[Expr, ...] = ()
    invalid: bool = False  # came from code clang could not parse


# The sub-expressions of each class, in evaluation order (Call's are its args,
# Opaque's its children). Spelled out: compiled classes have no dataclass fields
# to read them from, and Int's `value` is a number, not a part.
_PARTS_OF: dict[type, tuple[str, ...]] = {
    Member: ("base",), Index: ("base", "index"), Deref: ("operand",),
    AddrOf: ("operand",), Assign: ("target", "value"), CondExpr: ("cond", "then", "other"),
    Unary: ("operand",), Binary: ("lhs", "rhs"),
}
_REVERSED_PARTS_OF = {cls: names[::-1] for cls, names in _PARTS_OF.items()}


def parts(cls: type, reverse: bool = False) -> tuple[str, ...]:
    """The names of the sub-expressions a class has, in evaluation order or reversed."""
    return (_REVERSED_PARTS_OF if reverse else _PARTS_OF).get(cls, ())


def walk(e: Expr | None):
    """e and every expression inside it, iteratively (expressions nest deeply)."""
    stack = [e]
    while stack:
        e = stack.pop()
        if e is None:
            continue
        yield e
        if isinstance(e, Call):
            stack.extend(e.args)
        elif isinstance(e, Opaque):
            stack.extend(e.children)
        else:
            for name in parts(type(e)):
                stack.append(getattr(e, name))


# ---- CFG ------------------------------------------------------------------

@dataclass(slots=True)
class Node:
    """One CFG node. kind:
    'expr'   evaluate expr
    'branch' evaluate expr, then succ[0] when true and succ[1] when false
    'switch' evaluate expr, then any successor
    'return' evaluate expr (may be None), then leave the function
    'exit'   the function's single exit (no expr)
    'sink'   the path ends without leaving the function normally (noreturn call)
    """

    id: int
    kind: str
    expr: Expr | None = None
    loc: Loc | None = None
    succ: list[int] = field(default_factory=list)
    # 'switch' nodes: successor id -> the case constant leading there, or None for
    # `default:` (and for leaving the switch when there is no default).
    cases: dict[int, int | None] = field(default_factory=dict)


@dataclass
class Function:
    name: str
    loc: Loc
    params: tuple[Var, ...]
    nodes: list[Node]
    entry: int
    exit: int
    invalid_stmts: int = 0   # statements clang could not parse
    # Each node's expressions in walk() order, made on first use (node_exprs).
    walked: list[tuple[Expr, ...]] | None = field(default=None, repr=False, compare=False)
    # The variables among them (node_vars).
    var_lists: list[tuple[Var, ...]] | None = field(default=None, repr=False, compare=False)


def node_exprs(fn: Function) -> list[tuple[Expr, ...]]:
    """Every expression of each node (walk() order), walked once per function: the
    engine's set-up asks for them several times (variables read, pointers tested,
    calls a branch leads to)."""
    if fn.walked is None:
        fn.walked = [tuple(walk(n.expr)) for n in fn.nodes]
    return fn.walked


def node_vars(fn: Function) -> list[tuple[Var, ...]]:
    """The variables among each node's expressions (node_exprs order): liveness,
    pointer variables and the engine's set-up all read them."""
    if fn.var_lists is None:
        fn.var_lists = [tuple(x for x in exprs if isinstance(x, Var))
                        for exprs in node_exprs(fn)]
    return fn.var_lists
