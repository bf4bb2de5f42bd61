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
from dataclasses import dataclass

import clang.cindex as ci

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


@dataclass(frozen=True)
class Diagnostic:
    """An error diagnostic: where (file None when clang gives no place) and what."""

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


def errors(tu: ci.TranslationUnit, main_path: str) -> list[Diagnostic]:
    """The diagnostics of severity Error or worse, in libclang's order. The main file
    is named exactly as `main_path` (the caller's spelling of it)."""
    main = os.path.abspath(main_path)
    out = []
    for d in tu.diagnostics:
        if d.severity < ci.Diagnostic.Error:
            continue
        name, line, col = _location(d)
        if name is not None and os.path.abspath(name) == main:
            name = main_path
        text = _raw(_diag_spelling(d)).decode("utf-8", "replace")
        out.append(Diagnostic(name, line, col, text))
    return out
