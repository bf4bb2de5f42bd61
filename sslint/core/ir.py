"""The analyzer's own small C IR: expressions and a statement-level CFG.

The front end lowers libclang cursors into these values; the engine reads only
these. Keeping libclang out of the engine keeps it testable and fast (no cursor
calls on the hot path).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from sslint.core.findings import Loc


# The IR's values are immutable by convention, not frozen dataclasses: mypyc compiles
# an __init__ written in the class (15x faster than the one @dataclass generates,
# which stays Python, and a frozen one sets each field through object.__setattr__);
# unsafe_hash keeps them hashable. tests/test_compiled.py checks each __init__ against
# the fields.


class Expr:
    __slots__ = ()

    def __reduce__(self) -> tuple:
        # Rebuilt by the constructor (pickle's default restores attribute by
        # attribute, which compiled classes need not allow).
        cls = type(self)
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        return (cls, tuple(getattr(self, n) for n in names))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(slots=True, unsafe_hash=True)
class Var(Expr):
    key: str              # unique within the function: "name@line:col" of the declaration
    name: str
    handle: str = ""      # 'SSL', 'BIO', ... when the declared type is a tracked handle
    scope: str = "local"  # 'local' | 'param' | 'global'
    is_pointer: bool = False
    loc: Loc | None = None

    def __init__(self, key: str,
                 name: str,
                 handle: str = "",
                 scope: str = "local",
                 is_pointer: bool = False,
                 loc: Loc | None = None) -> None:
        self.key = key
        self.name = name
        self.handle = handle
        self.scope = scope
        self.is_pointer = is_pointer
        self.loc = loc


@dataclass(slots=True, unsafe_hash=True)
class Int(Expr):
    value: int            # integer literal, enum constant; 0 doubles as NULL

    def __init__(self, value: int) -> None:
        self.value = value


@dataclass(slots=True, unsafe_hash=True)
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

    def __init__(self, callee: str,
                 args: tuple[Expr, ...],
                 loc: Loc,
                 const_args: tuple[bool, ...] = (),
                 noreturn: bool = False,
                 result_handle: str = "",
                 defined_here: bool = False,
                 void_args: tuple[bool, ...] = (),
                 proto_noreturn: bool = False) -> None:
        self.callee = callee
        self.args = args
        self.loc = loc
        self.const_args = const_args
        self.noreturn = noreturn
        self.result_handle = result_handle
        self.defined_here = defined_here
        self.void_args = void_args
        self.proto_noreturn = proto_noreturn


@dataclass(slots=True, unsafe_hash=True)
class Member(Expr):
    base: Expr
    field: str
    arrow: bool
    handle: str = ""
    loc: Loc | None = None
    record: str = ""  # the struct type the field belongs to ("struct conn"), if known

    def __init__(self, base: Expr,
                 field: str,
                 arrow: bool,
                 handle: str = "",
                 loc: Loc | None = None,
                 record: str = "") -> None:
        self.base = base
        self.field = field
        self.arrow = arrow
        self.handle = handle
        self.loc = loc
        self.record = record


@dataclass(slots=True, unsafe_hash=True)
class Index(Expr):
    base: Expr
    index: Expr

    def __init__(self, base: Expr, index: Expr) -> None:
        self.base = base
        self.index = index


@dataclass(slots=True, unsafe_hash=True)
class Deref(Expr):
    operand: Expr
    loc: Loc | None = None

    def __init__(self, operand: Expr, loc: Loc | None = None) -> None:
        self.operand = operand
        self.loc = loc


@dataclass(slots=True, unsafe_hash=True)
class AddrOf(Expr):
    operand: Expr

    def __init__(self, operand: Expr) -> None:
        self.operand = operand


@dataclass(slots=True, unsafe_hash=True)
class Assign(Expr):
    target: Expr
    value: Expr
    loc: Loc
    op: str = "="         # '=' or a compound operator such as '+='

    def __init__(self, target: Expr, value: Expr, loc: Loc, op: str = "=") -> None:
        self.target = target
        self.value = value
        self.loc = loc
        self.op = op


@dataclass(slots=True, unsafe_hash=True)
class CondExpr(Expr):
    cond: Expr
    then: Expr | None     # None for GNU `a ?: b`
    other: Expr

    def __init__(self, cond: Expr, then: Expr | None, other: Expr) -> None:
        self.cond = cond
        self.then = then
        self.other = other


@dataclass(slots=True, unsafe_hash=True)
class Unary(Expr):
    op: str               # '!', '-', '~', '++', '--', ...
    operand: Expr

    def __init__(self, op: str, operand: Expr) -> None:
        self.op = op
        self.operand = operand


@dataclass(slots=True, unsafe_hash=True)
class Binary(Expr):
    op: str               # '==', '!=', '<', '&&', '||', ',', '+', ...
    lhs: Expr
    rhs: Expr

    def __init__(self, op: str, lhs: Expr, rhs: Expr) -> None:
        self.op = op
        self.lhs = lhs
        self.rhs = rhs


@dataclass(slots=True, unsafe_hash=True)
class FuncRef(Expr):
    """A function designator: `cb` in `SSL_CTX_sess_set_new_cb(ctx, cb)` (also behind
    `&` or a cast). To the engine it is an unknown value, like an Opaque without
    children; callback registrations are found by it."""

    name: str

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(slots=True, unsafe_hash=True)
class Opaque(Expr):
    """Anything the engine need not understand; children are still evaluated
    (for their calls and assignments) in order."""

    children: tuple[Expr, ...] = ()
    invalid: bool = False  # came from code clang could not parse

    def __init__(self, children: tuple[Expr, ...] = (), invalid: bool = False) -> None:
        self.children = children
        self.invalid = invalid


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

    def __init__(self, id: int, kind: str, expr: Expr | None = None, loc: Loc | None = None,
                 succ: list[int] | None = None,
                 cases: dict[int, int | None] | None = None) -> None:
        self.id = id
        self.kind = kind
        self.expr = expr
        self.loc = loc
        self.succ = [] if succ is None else succ
        self.cases = {} if cases is None else cases

    def __reduce__(self) -> tuple:
        return (Node, (self.id, self.kind, self.expr, self.loc, self.succ, self.cases))


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
