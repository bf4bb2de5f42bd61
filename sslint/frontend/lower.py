"""Lowers one libclang function definition into sslint's IR and CFG (sslint.core.ir).

Covers all of C's statement-level control flow: if/else, while, do, for, switch
with fall-through, break/continue, goto/labels, return, `&&`/`||`/`?:`/comma in
conditions (short-circuit edges), GNU statement expressions, noreturn calls.
Iterative where real code nests deeply (long else-if chains), so a 500-deep `if`
does not exhaust Python's stack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import clang.cindex as ci

from sslint.core import ir
from sslint.core.findings import Loc
from sslint.frontend import clangx
from sslint.frontend.handles import handle_of_cursor
from sslint.model.api import builtin_naming

K = ci.CursorKind

NORETURN_NAMES = frozenset({
    "abort", "exit", "_exit", "_Exit", "quick_exit", "OPENSSL_die", "__assert_fail",
    "__builtin_unreachable", "__builtin_trap", "err", "errx", "verr", "verrx",
    "longjmp", "siglongjmp", "pthread_exit", "thrd_exit",
})

# Calls whose first spelled token names the macro that expanded to them:
# `BIO_get_ssl(b, &s)` becomes `BIO_ctrl(b, BIO_C_GET_SSL, 0, (char *)(&s))`.

_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# The hot paths compare kind ids (Cursor._kind_id): `Cursor.kind` looks the kind up
# from its id at every read.
_TRANSPARENT = frozenset(k.value for k in (K.PAREN_EXPR, K.UNEXPOSED_EXPR, K.CSTYLE_CAST_EXPR))
_IF, _LABEL = K.IF_STMT.value, K.LABEL_STMT.value
_BINARY, _UNARY, _CONDITIONAL = (K.BINARY_OPERATOR.value, K.UNARY_OPERATOR.value,
                                 K.CONDITIONAL_OPERATOR.value)
_COMPOUND_ASSIGN, _CAST, _UNEXPOSED = (K.COMPOUND_ASSIGNMENT_OPERATOR.value,
                                       K.CSTYLE_CAST_EXPR.value, K.UNEXPOSED_EXPR.value)
_VAR, _PARM, _FIELD, _FUNCTION, _ENUM_CONSTANT, _STMT_EXPR = (
    K.VAR_DECL.value, K.PARM_DECL.value, K.FIELD_DECL.value, K.FUNCTION_DECL.value,
    K.ENUM_CONSTANT_DECL.value, K.StmtExpr.value)
_POINTER, _VOID, _INVALID = (ci.TypeKind.POINTER.value, ci.TypeKind.VOID.value,
                             ci.TypeKind.INVALID.value)
_is_expr = clangx.is_expression


class LoweringError(Exception):
    pass


class Lowerer:
    def __init__(self, fn: ci.Cursor, path: str, known_calls: frozenset[str],
                 source: bytes = b"", callees: dict[int, _Callee] | None = None):
        self.fn = fn
        self.source = source
        self.path = path
        # The table's and the user's names (ApiModel.fixed_names), never summaries:
        # the IR must not depend on which summaries exist when it is lowered.
        self.known = known_calls
        self.nodes: list[ir.Node] = []
        self.tails: list[int] = []
        self.labels: dict[str, int] = {}
        self.loops: list[tuple[list[int], int | None]] = []  # (break tails, continue target)
        self.switches: list[int] = []
        self.switch_has_default: list[bool] = []
        self.locals: dict[int, ir.Var] = {}
        self.globals: dict[int, ir.Var] = {}
        self.invalid = 0
        # By the callee's cursor hash; one translation unit's functions may share it.
        self.callees: dict[int, _Callee] = {} if callees is None else callees

    # ---- graph building -------------------------------------------------
    def new(self, kind: str, expr: ir.Expr | None = None, loc: Loc | None = None) -> int:
        n = ir.Node(len(self.nodes), kind, expr, loc)
        self.nodes.append(n)
        return n.id

    def link(self, tails: list[int], target: int) -> None:
        for t in tails:
            if target not in self.nodes[t].succ:
                self.nodes[t].succ.append(target)

    def add_node(self, kind: str, expr: ir.Expr | None = None, loc: Loc | None = None) -> int:
        nid = self.new(kind, expr, loc)
        self.link(self.tails, nid)
        self.tails = [nid]
        return nid

    def join(self) -> int:
        return self.add_node("expr")

    def label(self, name: str) -> int:
        if name not in self.labels:
            self.labels[name] = self.new("expr")
        return self.labels[name]

    # ---- entry ------------------------------------------------------------
    def build(self) -> ir.Function:
        params = []
        for p in self.fn.get_arguments():
            v = self.declare(p, "param")
            params.append(v)
        entry = self.new("expr")
        self.tails = [entry]
        body = next((c for c in clangx.children(self.fn) if c.kind == K.COMPOUND_STMT), None)
        if body is None:
            raise LoweringError("no body")
        self.stmt(body)
        exit_id = self.new("exit")
        self.link(self.tails, exit_id)
        for n in self.nodes:
            if n.kind == "return":
                n.succ = [exit_id]
        return ir.Function(self.fn.spelling, self.loc(self.fn), tuple(params), self.nodes,
                           entry, exit_id, self.invalid)

    # ---- locations and variables -----------------------------------------
    def loc(self, c: ci.Cursor) -> Loc:
        return Loc(self.path, *clangx.span(c))

    def declare(self, c: ci.Cursor, scope: str) -> ir.Var:
        h = handle_of_cursor(c)
        if scope == "local" and c.storage_class in (ci.StorageClass.STATIC, ci.StorageClass.EXTERN):
            scope = "global"
        name = clangx.spelling(c) or ""
        ident = clangx.cursor_hash(c)
        key = (_global_key(c) if scope == "global" else f"{name}#{ident}")
        v = ir.Var(key, name, h, scope, clangx.type_kind(c, False) == _POINTER or bool(h), None)
        self.locals[ident] = v
        return v

    def ref(self, c: ci.Cursor) -> ir.Expr:
        r = clangx.referenced(c)
        if r is None:
            self.invalid += 1
            return ir.Opaque((), invalid=True)
        rk = r._kind_id
        if rk == _ENUM_CONSTANT:
            return ir.Int(r.enum_value)
        if rk == _VAR or rk == _PARM:
            ident = clangx.cursor_hash(r)
            v = self.locals.get(ident) or self.globals.get(ident)
            if v is None:
                h = handle_of_cursor(r)
                v = ir.Var(_global_key(r), clangx.spelling(r) or "", h, "global",
                           clangx.type_kind(r, False) == _POINTER or bool(h))
                self.globals[ident] = v
            return v
        if rk == _FUNCTION:
            return ir.FuncRef(clangx.spelling(r) or "")
        return ir.Opaque(())  # something else harmless

    # ---- statements -------------------------------------------------------
    def stmt(self, c: ci.Cursor) -> None:
        # Unroll else-if chains and labels iteratively: both nest deeply in real code.
        pending: list[int] = []
        while True:
            k = c._kind_id
            if k == _IF:
                kids = clangx.children(c)
                if len(kids) < 2:
                    self.opaque_stmt(c)
                    return
                t, f = self.cond(kids[0])
                self.tails = t
                self.stmt(kids[1])
                after_then = self.tails
                self.tails = f
                if len(kids) > 2 and kids[2]._kind_id == _IF:
                    pending += after_then
                    c = kids[2]
                    continue
                if len(kids) > 2:
                    self.stmt(kids[2])
                self.tails = after_then + self.tails
                break
            if k == _LABEL:
                lid = self.label(c.spelling)
                self.link(self.tails, lid)
                self.tails = [lid]
                kids = clangx.children(c)
                if not kids:
                    break
                c = kids[-1]
                continue
            self.simple_stmt(c)
            break
        self.tails = pending + self.tails

    def simple_stmt(self, c: ci.Cursor) -> None:
        handler = _STMT.get(c._kind_id)
        if handler is not None:
            handler(self, c)
            return
        e: ir.Expr
        if c._kind_id == _CAST and clangx.type_kind(c, False) == _VOID:
            # `(void)f();`: the result is ignored on purpose.
            e = ir.Opaque((self.expr(c),))
            self.add_node("expr", e, self.loc(c))
        elif _is_expr(c):
            e = self.expr(c)
            self.add_node("expr", e, self.loc(c))
            if _is_noreturn(e):
                self.add_node("sink", None, self.loc(c))
                self.tails = []
            else:
                checked = _checked_assignment(c, e)
                if checked is not None:
                    self.check_macro(c, checked)
        else:
            self.opaque_stmt(c)

    def check_macro(self, c: ci.Cursor, target: ir.Expr) -> None:
        """`MEM(p = f());` with MEM undeclared (a header-less parse lacks the macro):
        a check that ends the path when the value assigned is NULL, as such macros
        do; the path goes on only where `p` is not NULL."""
        loc = self.loc(c)
        nid = self.add_node("branch", target, loc)
        go_on = self.new("expr")
        self.nodes[nid].succ = [go_on, self.new("sink", None, loc)]
        self.tails = [go_on]

    def compound_stmt(self, c: ci.Cursor) -> None:
        for ch in clangx.children(c):
            self.stmt(ch)

    def decl_stmt(self, c: ci.Cursor) -> None:
        for ch in clangx.children(c):
            if ch._kind_id == _VAR:
                self.var_decl(ch)

    def while_stmt(self, c: ci.Cursor) -> None:
        kids = clangx.children(c)
        head = self.join()
        t, f = self.cond(kids[0]) if len(kids) > 1 else ([head], [])
        breaks: list[int] = []
        self.loops.append((breaks, head))
        self.tails = t
        self.stmt(kids[-1])
        self.link(self.tails, head)
        self.loops.pop()
        self.tails = f + breaks

    def do_stmt(self, c: ci.Cursor) -> None:
        kids = clangx.children(c)
        top = self.join()
        cont = self.new("expr")
        breaks: list[int] = []
        self.loops.append((breaks, cont))
        self.stmt(kids[0])
        self.loops.pop()
        self.link(self.tails, cont)
        self.tails = [cont]
        t, f = self.cond(kids[1]) if len(kids) > 1 else ([cont], [])
        self.link(t, top)
        self.tails = f + breaks

    def switch_stmt(self, c: ci.Cursor) -> None:
        kids = clangx.children(c)
        sw = self.add_node("switch", self.expr(kids[0]), self.loc(kids[0]))
        self.tails = []
        breaks: list[int] = []
        self.loops.append((breaks, self.loops[-1][1] if self.loops else None))
        self.switches.append(sw)
        self.switch_has_default.append(False)
        self.stmt(kids[-1])
        has_default = self.switch_has_default.pop()
        self.switches.pop()
        self.loops.pop()
        if not has_default:  # no case matched: straight past the switch
            after = self.new("expr")
            self.link([sw], after)
            self.nodes[sw].cases[after] = None
            self.tails = self.tails + breaks + [after]
        else:
            self.tails = self.tails + breaks

    def case_stmt(self, c: ci.Cursor) -> None:
        j = self.new("expr")
        self.link(self.tails, j)
        kids = clangx.children(c)
        if self.switches:
            sw = self.switches[-1]
            self.link([sw], j)
            if c.kind == K.DEFAULT_STMT:
                self.switch_has_default[-1] = True
                self.nodes[sw].cases[j] = None
            elif len(kids) == 2:  # `case K:` (a GNU range `case A ... B:` stays open)
                value = clangx.int_value(kids[0])
                if value is not None:
                    self.nodes[sw].cases[j] = value
        self.tails = [j]
        if kids:
            self.stmt(kids[-1])

    def goto_stmt(self, c: ci.Cursor) -> None:
        kids = clangx.children(c)
        name = kids[0].spelling if kids else ""
        self.link(self.tails, self.label(name))
        self.tails = []

    def indirect_goto_stmt(self, c: ci.Cursor) -> None:
        self.add_node("sink", None, self.loc(c))
        self.tails = []

    def break_stmt(self, c: ci.Cursor) -> None:
        if self.loops:
            self.loops[-1][0].extend(self.tails)
        self.tails = []

    def continue_stmt(self, c: ci.Cursor) -> None:
        target = next((cont for _, cont in reversed(self.loops) if cont is not None), None)
        if target is not None:
            self.link(self.tails, target)
        self.tails = []

    def return_stmt(self, c: ci.Cursor) -> None:
        kids = clangx.children(c)
        e = self.expr(kids[0]) if kids else None
        self.add_node("return", e, self.loc(c))
        self.tails = []

    def null_stmt(self, c: ci.Cursor) -> None:
        pass

    def opaque_stmt(self, c: ci.Cursor) -> None:
        # asm, invalid statements, ...: evaluate nested expressions for their calls only.
        self.invalid += 1
        kids = [self.expr(ch) for ch in clangx.children(c) if _is_expr(ch)]
        if kids:
            self.add_node("expr", ir.Opaque(tuple(kids), invalid=True), self.loc(c))

    def var_decl(self, c: ci.Cursor) -> None:
        v = self.declare(c, "local")
        init = None
        for ch in clangx.children(c):
            if _is_expr(ch):
                init = ch
        if init is not None:
            if init.kind == K.INIT_LIST_EXPR:
                e: ir.Expr = self.expr(init)
            else:
                e = ir.Assign(v, self.expr(init), self.loc(c))
            self.add_node("expr", e, self.loc(c))
        elif v.handle and v.scope == "local":
            # An uninitialised handle: forget whatever the variable held last iteration.
            self.add_node("expr", ir.Assign(v, ir.Opaque(()), self.loc(c), "decl"), self.loc(c))

    def for_stmt(self, c: ci.Cursor) -> None:
        init, cond, inc, body = _for_parts(c)
        if init is not None:
            if init.kind == K.DECL_STMT:
                self.simple_stmt(init)
            else:
                self.add_node("expr", self.expr(init), self.loc(init))
        head = self.join()
        if cond is not None:
            t, f = self.cond(cond)
        else:
            t, f = [head], []
        step = self.new("expr", self.expr(inc) if inc is not None else None,
                        self.loc(inc) if inc is not None else None)
        breaks: list[int] = []
        self.loops.append((breaks, step))
        self.tails = t
        if body is not None:
            self.stmt(body)
        self.loops.pop()
        self.link(self.tails, step)
        self.link([step], head)
        self.tails = f + breaks

    # ---- conditions (short-circuit) ----------------------------------------
    def cond(self, c: ci.Cursor) -> tuple[list[int], list[int]]:
        c = _strip(c)
        k = c._kind_id
        if k == _BINARY:
            op = clangx.binary_operator(c)
            if op in ("&&", "||"):
                lhs, rhs = clangx.children(c)
                t1, f1 = self.cond(lhs)
                if op == "&&":
                    self.tails = t1
                    t2, f2 = self.cond(rhs)
                    return t2, f1 + f2
                self.tails = f1
                t2, f2 = self.cond(rhs)
                return t1 + t2, f2
            if op == ",":
                lhs, rhs = clangx.children(c)
                self.add_node("expr", self.expr(lhs), self.loc(lhs))
                return self.cond(rhs)
        if k == _UNARY and clangx.unary_operator(c) == "!":
            kids = clangx.children(c)
            if kids and _strip(kids[0])._kind_id in (_BINARY, _CONDITIONAL):
                yes, no = self.cond(kids[0])
                return no, yes
        if k == _CONDITIONAL:
            kids = clangx.children(c)
            if len(kids) == 3:
                t0, f0 = self.cond(kids[0])
                self.tails = t0
                t1, f1 = self.cond(kids[1])
                self.tails = f0
                t2, f2 = self.cond(kids[2])
                return t1 + t2, f1 + f2
        nid = self.add_node("branch", self.expr(c), self.loc(c))
        t = self.new("expr")
        f = self.new("expr")
        self.nodes[nid].succ = [t, f]
        self.tails = []
        return [t], [f]

    # ---- expressions ------------------------------------------------------
    def expr(self, c: ci.Cursor) -> ir.Expr:
        c = _strip(c)
        handler = _EXPR.get(c._kind_id)
        if handler is not None:
            return handler(self, c)
        if c._kind_id == _STMT_EXPR:
            return self.stmt_expr(c)
        return self.opaque(c)

    def int_literal(self, c: ci.Cursor) -> ir.Expr:
        v = clangx.int_value(c)
        return ir.Int(v) if v is not None else ir.Opaque(())

    def null_literal(self, c: ci.Cursor) -> ir.Expr:
        return ir.Int(0)

    def member(self, c: ci.Cursor) -> ir.Expr:
        kids = clangx.children(c)
        if not kids:
            return ir.Opaque(())
        base = self.expr(kids[0])
        arrow = clangx.type_kind(_strip(kids[0]), True) == _POINTER
        field = clangx.referenced(c)
        parent = field.semantic_parent if field is not None else None
        record = parent.type.spelling if parent is not None else ""
        return ir.Member(base, clangx.spelling(c) or "", arrow, handle_of_cursor(c), self.loc(c),
                         record)

    def binary(self, c: ci.Cursor) -> ir.Expr:
        kids = clangx.children(c)
        if len(kids) != 2:
            return self.opaque(c)
        op = clangx.binary_operator(c)
        if op == "=" or c._kind_id == _COMPOUND_ASSIGN:
            return ir.Assign(self.expr(kids[0]), self.expr(kids[1]), self.loc(c), op or "=")
        # `a + b + c + ...` nests to the left: walk the spine without recursing.
        spine: list[tuple[str, ci.Cursor]] = [(op, kids[1])]
        cur = _strip(kids[0])
        while cur._kind_id == _BINARY:
            sub = clangx.children(cur)
            sub_op = clangx.binary_operator(cur) if len(sub) == 2 else "="
            if sub_op == "=":
                break
            spine.append((sub_op, sub[1]))
            cur = _strip(sub[0])
        left = self.expr(cur)
        spine.reverse()  # (not reversed(): mypyc fails on it over tuples of cursors)
        for sub_op, rhs in spine:
            left = ir.Binary(sub_op, left, self.expr(rhs))
        return left

    def unary(self, c: ci.Cursor) -> ir.Expr:
        # `- - - x` and `!!x` chains: collect the operators without recursing.
        ops: list[tuple[str, ci.Cursor]] = []
        cur = c
        while cur._kind_id == _UNARY:
            sub = clangx.children(cur)
            if not sub:
                break
            ops.append((clangx.unary_operator(cur), cur))
            cur = _strip(sub[0])
        if not ops:
            return self.opaque(c)
        inner = self.expr(cur)
        ops.reverse()
        for op, node in ops:
            if op == "&":
                inner = ir.AddrOf(inner)
            elif op == "*":
                inner = ir.Deref(inner, self.loc(node))
            else:
                inner = ir.Unary(op, inner)
        return inner

    def subscript(self, c: ci.Cursor) -> ir.Expr:
        kids = clangx.children(c)
        if len(kids) == 2:
            return ir.Index(self.expr(kids[0]), self.expr(kids[1]))
        return self.opaque(c)

    def conditional(self, c: ci.Cursor) -> ir.Expr:
        kids = [self.expr(ch) for ch in clangx.children(c)]
        if len(kids) == 3:
            return ir.CondExpr(kids[0], kids[1], kids[2])
        if len(kids) == 2:
            return ir.CondExpr(kids[0], None, kids[1])
        return ir.Opaque(tuple(kids))

    def opaque(self, c: ci.Cursor) -> ir.Expr:
        kids = tuple(self.expr(ch) for ch in clangx.children(c) if _is_expr(ch))
        invalid = c._kind_id == _UNEXPOSED and clangx.type_kind(c, False) == _INVALID
        if invalid:
            self.invalid += 1
        return ir.Opaque(kids, invalid=invalid)

    def stmt_expr(self, c: ci.Cursor) -> ir.Expr:
        # ({ s1; s2; e; }): lower s1, s2 into the CFG now; the value is e.
        body = next(iter(clangx.children(c)), None)
        if body is None:
            return ir.Opaque(())
        stmts = list(clangx.children(body))
        if not stmts:
            return ir.Opaque(())
        for s in stmts[:-1]:
            self.stmt(s)
        last = stmts[-1]
        if _is_expr(last):
            return self.expr(last)
        self.stmt(last)
        return ir.Opaque(())

    def call(self, c: ci.Cursor) -> ir.Expr:
        name = clangx.spelling(c) or ""
        ref = clangx.referenced(c)
        args = tuple(self.expr(a) for a in clangx.arguments(c))
        loc = self.loc(c)
        if name in builtin_naming().macro_targets and self.source:
            # Tokens of a macro expansion are not available; read the spelled name.
            off = c.extent.start.offset
            m = _IDENT.match(self.source, off, off + 80)
            if m is not None:
                spelled = m.group().decode("ascii")
                if spelled != name and spelled in self.known:
                    name = spelled
        noreturn = name in NORETURN_NAMES
        defined_here = False
        const_args: tuple[bool, ...] = ()
        void_args: tuple[bool, ...] = ()
        proto_noreturn = False
        if ref is not None and ref._kind_id == _FUNCTION:
            ident = clangx.cursor_hash(ref)
            callee = self.callees.get(ident)
            if callee is None:  # once per callee: libclang lookups
                callee = self.callees[ident] = _callee(ref)
            defined_here = callee.defined_here
            if name not in self.known:
                const_args, void_args, proto_noreturn = (
                    callee.const_args, callee.void_args, callee.proto_noreturn)
        elif ref is not None and ref._kind_id in (_VAR, _PARM, _FIELD):
            # A call through a function pointer declared noreturn (`extern fail_f *Fail
            # __attribute__((noreturn))`, an assertion hook).
            try:
                noreturn = noreturn or "noreturn" in ref.type.spelling
            except Exception:  # noqa: BLE001 - unusual types: not noreturn
                pass
        return ir.Call(name, args, loc, const_args, noreturn, handle_of_cursor(c),
                       defined_here, void_args, proto_noreturn)


# One method per statement and expression kind id (everything else: see
# simple_stmt/expr).
_STMT = {
    K.COMPOUND_STMT: Lowerer.compound_stmt, K.DECL_STMT: Lowerer.decl_stmt,
    K.WHILE_STMT: Lowerer.while_stmt, K.DO_STMT: Lowerer.do_stmt, K.FOR_STMT: Lowerer.for_stmt,
    K.SWITCH_STMT: Lowerer.switch_stmt, K.CASE_STMT: Lowerer.case_stmt,
    K.DEFAULT_STMT: Lowerer.case_stmt, K.GOTO_STMT: Lowerer.goto_stmt,
    K.INDIRECT_GOTO_STMT: Lowerer.indirect_goto_stmt, K.BREAK_STMT: Lowerer.break_stmt,
    K.CONTINUE_STMT: Lowerer.continue_stmt, K.RETURN_STMT: Lowerer.return_stmt,
    K.NULL_STMT: Lowerer.null_stmt,
}
_STMT = {k.value: f for k, f in _STMT.items()}
_EXPR = {
    K.DECL_REF_EXPR: Lowerer.ref, K.INTEGER_LITERAL: Lowerer.int_literal,
    K.CHARACTER_LITERAL: Lowerer.int_literal, K.CALL_EXPR: Lowerer.call,
    K.MEMBER_REF_EXPR: Lowerer.member, K.BINARY_OPERATOR: Lowerer.binary,
    K.COMPOUND_ASSIGNMENT_OPERATOR: Lowerer.binary, K.UNARY_OPERATOR: Lowerer.unary,
    K.ARRAY_SUBSCRIPT_EXPR: Lowerer.subscript, K.CONDITIONAL_OPERATOR: Lowerer.conditional,
    K.GNU_NULL_EXPR: Lowerer.null_literal, K.CXX_NULL_PTR_LITERAL_EXPR: Lowerer.null_literal,
}
_EXPR = {k.value: f for k, f in _EXPR.items()}


@dataclass(frozen=True)
class _Callee:
    """What a call needs of a function it calls, read once per callee."""

    defined_here: bool  # by the project (not an inline function of <openssl/…>)
    const_args: tuple[bool, ...] = ()
    void_args: tuple[bool, ...] = ()
    proto_noreturn: bool = False


def _callee(ref: ci.Cursor) -> _Callee:
    try:
        d = ref.get_definition()
        defined_here = d is not None and not d.location.is_in_system_header
    except Exception:  # noqa: BLE001 - no definition to be had
        defined_here = False
    try:
        ftype = ref.type
        if ftype.kind == ci.TypeKind.FUNCTIONPROTO:
            params = clangx.argument_types(ftype)
            const_args = tuple(_is_const_pointer(t) for t in params)
            void_args = tuple(_is_void_pointer(t) for t in params)
        else:
            const_args = void_args = ()
        return _Callee(defined_here, const_args, void_args, "noreturn" in ftype.spelling)
    except Exception:  # noqa: BLE001 - unusual types: treat as unknown
        return _Callee(defined_here)


def _global_key(c: ci.Cursor) -> str:
    """Globals' keys start with "g:"; those only this file can name (static) with
    "g:s:", so that calls into other files need not forget what is known of them."""
    try:
        static = c.storage_class == ci.StorageClass.STATIC
    except Exception:  # noqa: BLE001 - unusual declarations: not static
        static = False
    return f"g:{'s:' if static else ''}{clangx.spelling(c) or ''}#{clangx.cursor_hash(c)}"


def _is_const_pointer(t: ci.Type) -> bool:
    t = t.get_canonical()
    return t.kind == ci.TypeKind.POINTER and t.get_pointee().is_const_qualified()


def _is_void_pointer(t: ci.Type) -> bool:
    """`void *` (user data an API keeps for a callback), not `const void *` (a buffer)."""
    t = t.get_canonical()
    if t.kind != ci.TypeKind.POINTER:
        return False
    p = t.get_pointee()
    return p.kind == ci.TypeKind.VOID and not p.is_const_qualified()


def _checked_assignment(c: ci.Cursor, e: ir.Expr) -> ir.Expr | None:
    """The target of `NAME(v = ...)` as a whole statement, NAME a function without a
    prototype (implicitly declared: an unknown macro) and `v` a variable or field."""
    if not (isinstance(e, ir.Call) and len(e.args) == 1 and isinstance(e.args[0], ir.Assign)
            and e.args[0].op == "=" and isinstance(e.args[0].target, (ir.Var, ir.Member))):
        return None
    ref = _strip(c).referenced
    try:
        no_proto = (ref is not None and ref.kind == K.FUNCTION_DECL
                    and ref.type.kind == ci.TypeKind.FUNCTIONNOPROTO
                    and ref.get_definition() is None)
    except Exception:  # noqa: BLE001 - unusual declarations: an ordinary call
        return None
    return e.args[0].target if no_proto else None


def _is_noreturn(e: ir.Expr) -> bool:
    return isinstance(e, ir.Call) and e.noreturn


def _strip(c: ci.Cursor) -> ci.Cursor:
    while c._kind_id in _TRANSPARENT:
        kids = [ch for ch in clangx.children(c) if _is_expr(ch)]
        if len(kids) != 1:
            break
        c = kids[0]
    return c


def _for_parts(c: ci.Cursor):
    """Split a for statement into (init, cond, inc, body): libclang omits absent parts,
    so place each child by its position relative to the two `;` in the header."""
    kids = clangx.children(c)
    if len(kids) == 4:
        return kids[0], kids[1], kids[2], kids[3]
    if not kids:
        return None, None, None, None
    body = kids[-1]
    header = kids[:-1]
    if not header:
        return None, None, None, body
    semis = []
    depth = 0
    body_start = body.extent.start.offset
    for t in c.get_tokens():
        off = t.extent.start.offset
        if off >= body_start:
            break
        s = t.spelling
        if s == "(":
            depth += 1
        elif s == ")":
            depth -= 1
        elif s == ";" and depth == 1:
            semis.append(off)
    parts: list = [None, None, None]
    if len(semis) == 2:
        for h in header:
            off = h.extent.start.offset
            slot = 0 if off < semis[0] else 1 if off < semis[1] else 2
            parts[slot] = h
        return parts[0], parts[1], parts[2], body
    # A macro hides the header: keep the order, treat the condition as unknown.
    return header[0], None, (header[-1] if len(header) > 1 else None), body


def lower_function(fn: ci.Cursor, path: str, known_calls: frozenset[str],
                   source: bytes = b"", callees: dict | None = None) -> ir.Function:
    return Lowerer(fn, path, known_calls, source, callees).build()
