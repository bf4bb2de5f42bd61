"""libclang reads for the front end that the Python bindings (18.x) do not offer, or
offer slowly.

Operator kinds (clang_getCursorBinaryOperatorKind, LLVM 17+) spare us re-lexing
tokens for every operator; evaluation gives integer literal values cheaply. The
reads the lowering makes most (children, extents, spellings, references, call
arguments, hashes, type kinds, definitions, inclusions) go through
sslint/frontend/_cursors.c when it was built (one call each), else through the
Python readers here, with the same results.
"""
from __future__ import annotations

import ctypes
import os
from functools import cache

import clang.cindex as ci

from sslint.frontend import diags

_lib = ci.conf.lib


def _setup() -> bool:
    try:
        _lib.clang_getCursorBinaryOperatorKind.argtypes = [ci.Cursor]
        _lib.clang_getCursorBinaryOperatorKind.restype = ctypes.c_int
        _lib.clang_getCursorUnaryOperatorKind.argtypes = [ci.Cursor]
        _lib.clang_getCursorUnaryOperatorKind.restype = ctypes.c_int
        _lib.clang_getBinaryOperatorKindSpelling.argtypes = [ctypes.c_int]
        _lib.clang_getBinaryOperatorKindSpelling.restype = ci._CXString
        _lib.clang_getUnaryOperatorKindSpelling.argtypes = [ctypes.c_int]
        _lib.clang_getUnaryOperatorKindSpelling.restype = ci._CXString
        _lib.clang_Cursor_Evaluate.argtypes = [ci.Cursor]
        _lib.clang_Cursor_Evaluate.restype = ctypes.c_void_p
        _lib.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
        _lib.clang_EvalResult_getKind.restype = ctypes.c_int
        _lib.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
        _lib.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
        _lib.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
        _lib.clang_Location_isFromMainFile.argtypes = [ci.SourceLocation]
        _lib.clang_Location_isFromMainFile.restype = ctypes.c_int
        _lib.clang_Location_isInSystemHeader.argtypes = [ci.SourceLocation]
        _lib.clang_Location_isInSystemHeader.restype = ctypes.c_int
        return True
    except AttributeError:  # an older libclang: fall back to tokens
        return False


HAVE_OPERATOR_KINDS = _setup()


@cache
def _binop_spelling(kind: int) -> str:
    return ci._CXString.from_result(_lib.clang_getBinaryOperatorKindSpelling(kind))


@cache
def _unop_spelling(kind: int) -> str:
    return ci._CXString.from_result(_lib.clang_getUnaryOperatorKindSpelling(kind))


def binary_operator(c: ci.Cursor) -> str:
    if HAVE_OPERATOR_KINDS:
        return _binop_spelling(_lib.clang_getCursorBinaryOperatorKind(c))
    return _operator_from_tokens(c)


def unary_operator(c: ci.Cursor) -> str:
    """'!', '-', '&', '*', '++' (prefix and postfix alike), ..."""
    if HAVE_OPERATOR_KINDS:
        return _unop_spelling(_lib.clang_getCursorUnaryOperatorKind(c))
    toks = [t.spelling for t in c.get_tokens()]
    return toks[0] if toks else ""


def _operator_from_tokens(c: ci.Cursor) -> str:
    kids = list(c.get_children())
    if len(kids) == 2:
        end = kids[0].extent.end.offset
        for t in c.get_tokens():
            if t.extent.start.offset >= end and t.kind == ci.TokenKind.PUNCTUATION:
                return t.spelling
    return ""


def int_value(c: ci.Cursor) -> int | None:
    """The value of an integer constant expression, or None."""
    res = _lib.clang_Cursor_Evaluate(c)
    if not res:
        return None
    try:
        if _lib.clang_EvalResult_getKind(res) == 1:  # CXEval_Int
            return int(_lib.clang_EvalResult_getAsLongLong(res))
        return None
    finally:
        _lib.clang_EvalResult_dispose(res)


_uint = ctypes.c_uint
_byref = ctypes.byref


def _span(c: ci.Cursor) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of c's extent, as Cursor.extent.start.line
    and so on give them, in four libclang calls instead of the bindings' eight (each
    building a File object and a tuple): reading locations was 7% of the analysis."""
    ext = _lib.clang_getCursorExtent(c)
    line, col = _uint(), _uint()
    _lib.clang_getInstantiationLocation(_lib.clang_getRangeStart(ext), None, _byref(line),
                                        _byref(col), None)
    l1, c1 = line.value, col.value
    _lib.clang_getInstantiationLocation(_lib.clang_getRangeEnd(ext), None, _byref(line),
                                        _byref(col), None)
    return l1, c1, line.value, col.value


def in_main_file(c: ci.Cursor) -> bool:
    return bool(_lib.clang_Location_isFromMainFile(c.location))


def _collect(child: ci.Cursor, parent: ci.Cursor, out: list) -> int:
    out.append(child)
    return 1  # CXChildVisit_Continue


_COLLECT = ci.callbacks["cursor_visit"](_collect)


def _children(c: ci.Cursor) -> list[ci.Cursor]:
    """c's children, like Cursor.get_children() without its per-child assertion
    (two extra libclang calls per child: a third of all lowering time)."""
    out: list[ci.Cursor] = []
    _lib.clang_visitChildren(c, _COLLECT, out)
    tu = c._tu
    for ch in out:
        ch._tu = tu  # keep the translation unit alive as long as its cursors
    return out


_FUNCTION_DECL = ci.CursorKind.FUNCTION_DECL.value


def _collect_definitions(child: ci.Cursor, parent: ci.Cursor, out: list) -> int:
    # One cheap call for the thousands of header declarations; more only for ours.
    if _lib.clang_getCursorKind(child) == _FUNCTION_DECL and \
            _lib.clang_isCursorDefinition(child) and \
            not _lib.clang_Location_isInSystemHeader(_lib.clang_getCursorLocation(child)):
        out.append(child)
    return 1


_DEFINITIONS = ci.callbacks["cursor_visit"](_collect_definitions)


def _definitions(c: ci.Cursor) -> list[ci.Cursor]:
    """c's children that define functions, outside system headers (the inline
    functions of <openssl/…> and libc)."""
    out: list[ci.Cursor] = []
    _lib.clang_visitChildren(c, _DEFINITIONS, out)
    tu = c._tu
    for ch in out:
        ch._tu = tu
    return out


def _spelling(c: ci.Cursor) -> str | None:
    return c.spelling


def _type_spelling(c: ci.Cursor) -> str:
    return c.type.spelling


def _referenced(c: ci.Cursor) -> ci.Cursor | None:
    return c.referenced


def _cursor_hash(c: ci.Cursor) -> int:
    return c.hash


def _type_kind(c: ci.Cursor, canonical: bool) -> int:
    """The TypeKind value of c's type (canonical: of its canonical type)."""
    t = c.type
    return (t.get_canonical() if canonical else t).kind.value


def _arguments(c: ci.Cursor) -> list[ci.Cursor | None]:
    return list(c.get_arguments())


def _inclusions(tu: ci.TranslationUnit) -> list[str]:
    return [diags.file_name(i.include.obj) for i in tu.get_includes() if i.include is not None]


# The libclang functions sslint.frontend._cursors calls, in the order it takes them.
_C_FUNCTIONS = (
    "clang_visitChildren", "clang_getCursorExtent", "clang_getRangeStart",
    "clang_getRangeEnd", "clang_getInstantiationLocation", "clang_isCursorDefinition",
    "clang_getCursorLocation", "clang_Location_isInSystemHeader", "clang_getCursorSpelling",
    "clang_getCursorReferenced", "clang_Cursor_isNull", "clang_Cursor_getNumArguments",
    "clang_Cursor_getArgument", "clang_getCursorType", "clang_getTypeSpelling",
    "clang_getCString", "clang_disposeString", "clang_getInclusions", "clang_getFileName",
    "clang_hashCursor", "clang_getCanonicalType")


def _accelerated() -> bool:
    """sslint.frontend._cursors (C, built with the package when a compiler is at hand)
    in place of the Python readers above: the same results, in one call each.
    SSLINT_PURE=1 keeps the Python ones."""
    if os.environ.get("SSLINT_PURE") == "1":
        return False
    try:
        from sslint.frontend import _cursors  # type: ignore[attr-defined]
    except ImportError:
        return False
    try:
        addr = tuple(ctypes.cast(getattr(_lib, n), ctypes.c_void_p).value or 0
                     for n in _C_FUNCTIONS)
    except AttributeError:  # an older libclang lacks one
        return False
    if not _cursors.init(addr, ci.Cursor, ctypes.sizeof(ci.Cursor),
                         ctypes.sizeof(ci.SourceRange), ctypes.sizeof(ci.SourceLocation),
                         ctypes.sizeof(ci.Type), ctypes.sizeof(ci._CXString)):
        return False
    global span, children, definitions, spelling, type_spelling, referenced, arguments
    global inclusions, cursor_hash, type_kind
    span, children, definitions = _cursors.span, _cursors.children, _cursors.definitions
    spelling, type_spelling = _cursors.spelling, _cursors.type_spelling
    referenced, arguments = _cursors.referenced, _cursors.arguments
    cursor_hash, type_kind = _cursors.cursor_hash, _cursors.type_kind

    def inclusions(tu: ci.TranslationUnit) -> list[str]:
        return _cursors.inclusions(ctypes.cast(tu.obj, ctypes.c_void_p).value)
    return True


span = _span
children = _children
definitions = _definitions
spelling = _spelling
type_spelling = _type_spelling
referenced = _referenced
cursor_hash = _cursor_hash
type_kind = _type_kind
arguments = _arguments
inclusions = _inclusions
ACCELERATED = _accelerated()

def _all_kinds() -> list[ci.CursorKind]:
    try:
        return list(ci.CursorKind.get_all_kinds())
    except AttributeError:  # bindings whose kinds are an enum.Enum
        return list(ci.CursorKind)


# Kind ids (Cursor._kind_id) of expressions: CursorKind.is_expression() is a libclang
# call, and reading `Cursor.kind` builds the kind from its id each time.
EXPRESSION_IDS = frozenset(k.value for k in _all_kinds() if k.is_expression())


def is_expression(c: ci.Cursor) -> bool:
    return c._kind_id in EXPRESSION_IDS


def argument_types(t: ci.Type) -> list[ci.Type]:
    """A function type's parameter types; Type.argument_types() defines a new
    collection class at every call."""
    return [_lib.clang_getArgType(t, i) for i in range(_lib.clang_getNumArgTypes(t))]


def main_file_function_definitions(tu: ci.TranslationUnit) -> list[ci.Cursor]:
    """The functions the main file defines, and those of the .c files it includes (a
    unity build's are ours too)."""
    out = []
    for c in definitions(tu.cursor):
        if _lib.clang_Location_isFromMainFile(_lib.clang_getCursorLocation(c)):
            out.append(c)
        else:
            f = c.location.file
            if f is not None and diags.file_name(f.obj).endswith(".c"):
                out.append(c)
    return out
