"""libclang diagnostics copied into plain Python values, safe for any file name.

The bindings decode every string strictly as UTF-8, so a diagnostic in a file whose
name (or message) holds other bytes raises UnicodeDecodeError when read. Here the
raw bytes are fetched through the C API and decoded as the OS does (surrogate
escapes, like os.fsdecode), so the names match the paths Python itself uses.

The values are plain records (file, line, col, message): nothing outside the front
end needs libclang to read them.
"""
from __future__ import annotations

import ctypes
import os
from typing import NamedTuple

import clang.cindex as ci

from sslint.frontend import toolchain

_lib = ci.conf.lib
# Fresh function objects (CDLL item access is not cached), so the bindings' own
# UTF-8-decoding errcheck on clang_getCString is not involved.
_get_cstring = _lib["clang_getCString"]
_get_cstring.argtypes = [ci._CXString]
_get_cstring.restype = ctypes.c_char_p
_file_name = _lib["clang_getFileName"]
_file_name.argtypes = [ci.File]
_file_name.restype = ci._CXString
_diag_spelling = _lib["clang_getDiagnosticSpelling"]
_diag_spelling.argtypes = [ci.Diagnostic]
_diag_spelling.restype = ci._CXString


class Diagnostic(NamedTuple):
    """An error diagnostic: where (file None when clang gives no place) and what. A
    named tuple: a header-less parse makes thousands."""

    file: str | None
    line: int
    col: int
    message: str


def _raw(cxstring: ci._CXString) -> bytes:
    return _get_cstring(cxstring) or b""  # the _CXString frees itself when collected


def _location(d: ci.Diagnostic) -> tuple[str | None, int, int]:
    loc = d.location
    cfile = ci.c_object_p()
    line, col, off = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    ci.conf.lib.clang_getInstantiationLocation(loc, ctypes.byref(cfile), ctypes.byref(line),
                                               ctypes.byref(col), ctypes.byref(off))
    name = os.fsdecode(_raw(_file_name(ci.File(cfile)))) if cfile else None
    return name, line.value, col.value


# Raw handles for the loop over a translation unit's diagnostics: a header-less
# parse reports thousands, and the bindings' objects cost more than the parse.
_num_diags = _lib["clang_getNumDiagnostics"]
_num_diags.argtypes = [ctypes.c_void_p]
_num_diags.restype = ctypes.c_uint
_get_diag = _lib["clang_getDiagnostic"]
_get_diag.argtypes = [ctypes.c_void_p, ctypes.c_uint]
_get_diag.restype = ctypes.c_void_p
_severity = _lib["clang_getDiagnosticSeverity"]
_severity.argtypes = [ctypes.c_void_p]
_severity.restype = ctypes.c_int
_diag_location = _lib["clang_getDiagnosticLocation"]
_diag_location.argtypes = [ctypes.c_void_p]
_diag_location.restype = ci.SourceLocation


class _PlainString(ctypes.Structure):
    """A CXString freed by the loop itself (the bindings' one frees in __del__)."""

    _fields_ = [("data", ctypes.c_void_p), ("flags", ctypes.c_uint)]


_raw_spelling = _lib["clang_getDiagnosticSpelling"]
_raw_spelling.argtypes = [ctypes.c_void_p]
_raw_spelling.restype = _PlainString
_plain_cstring = _lib["clang_getCString"]
_plain_cstring.argtypes = [_PlainString]
_plain_cstring.restype = ctypes.c_char_p
_dispose_string = _lib["clang_disposeString"]
_dispose_string.argtypes = [_PlainString]
_dispose_diag = _lib["clang_disposeDiagnostic"]
_dispose_diag.argtypes = [ctypes.c_void_p]
_instantiation = _lib["clang_getInstantiationLocation"]
_instantiation.argtypes = [ci.SourceLocation, ctypes.POINTER(ctypes.c_void_p),
                           ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint),
                           ctypes.POINTER(ctypes.c_uint)]
_raw_file_name = _lib["clang_getFileName"]
_raw_file_name.argtypes = [ctypes.c_void_p]
_raw_file_name.restype = ci._CXString


def file_name(cfile: object) -> str:
    """A CXFile's name (a ci.File's `.obj`) as Python spells paths (os.fsdecode):
    File.name raises on a folder whose name is not UTF-8."""
    return os.fsdecode(_raw(_raw_file_name(cfile)))


class Errors(list):
    """The file's errors, and apart (`toolchain`) those that are not the file's: an
    argument clang does not know (a GCC-only flag of the build, which clang ignores)
    and errors inside the compiler's own headers (gcc's, standing in for clang's:
    its intrinsics headers use builtins clang lacks). Those are the same for every
    file, change nothing in the file's code, and are reported once per run."""

    toolchain: tuple[str, ...] = ()


def without(errs: list[Diagnostic], path: str) -> Errors:
    """`errs` but those in `path` (a header sslint generated), toolchain kept."""
    out = Errors(e for e in errs if e.file != path)
    out.toolchain = getattr(errs, "toolchain", ())
    return out


def _toolchain_problem(name: str | None, text: str, dirs: tuple[str, ...]) -> str | None:
    if name is None:
        return text if text.startswith("unknown argument") else None
    if dirs and name.startswith(dirs):
        return toolchain.HEADER_PROBLEM + os.path.basename(name)
    return None


def errors(tu: ci.TranslationUnit, main_path: str) -> Errors:
    """The diagnostics of severity Error or worse, in libclang's order. The main file
    is named exactly as `main_path` (the caller's spelling of it)."""
    main = os.path.abspath(main_path)
    dirs = toolchain.header_dirs()
    out = Errors()
    apart: dict[str, None] = {}
    names: dict[int, str | None] = {}  # CXFile -> its name as the caller spells it
    cfile = ctypes.c_void_p()
    line, col, off = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    # Thousands of diagnostics on a header-less parse: the references and functions
    # are looked up once.
    where = (ctypes.byref(cfile), ctypes.byref(line), ctypes.byref(col), ctypes.byref(off))
    tu_obj, error = tu.obj, ci.Diagnostic.Error
    get, severity, location, instantiation = _get_diag, _severity, _diag_location, _instantiation
    spelling, cstring, dispose_string, dispose = (_raw_spelling, _plain_cstring,
                                                  _dispose_string, _dispose_diag)
    for i in range(_num_diags(tu_obj)):
        d = get(tu_obj, i)
        try:
            if severity(d) < error:
                continue
            instantiation(location(d), *where)
            key = cfile.value or 0
            if key not in names:
                name = os.fsdecode(_raw(_raw_file_name(cfile))) if key else None
                if name is not None and os.path.abspath(name) == main:
                    name = main_path
                names[key] = name
            spelled = spelling(d)
            text = (cstring(spelled) or b"").decode("utf-8", "replace")
            dispose_string(spelled)
            problem = _toolchain_problem(names[key], text, dirs)
            if problem is None:
                out.append(Diagnostic(names[key], line.value, col.value, text))
            else:
                apart[problem] = None
        finally:
            dispose(d)
    out.toolchain = tuple(apart)
    return out
