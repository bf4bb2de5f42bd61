"""Parses one C file with libclang and hands back plain data.

This is where a file meets libclang; the rest of sslint reads a ParsedFile: the
main file's function definitions (FunctionDef: name, place, extent offsets, and
`lower()` to sslint's IR) and its error diagnostics (diags.Diagnostic: file, line,
col, message). The translation unit stays alive inside the ParsedFile for as long
as its functions may still be lowered.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import clang.cindex as ci

from sslint.core import ir
from sslint.workers import watchdog
from sslint.frontend import (clangx, diags, fallback, guards, handles, pch_parse, projectdirs,
                              recover)
from sslint.frontend.diags import Diagnostic
from sslint.frontend.localheaders import include_dirs, local_header_texts, local_headers
from sslint.frontend.lower import lower_function
from sslint.frontend.toolchain import builtin_include_args

KEEP_GOING = 0x200  # CXTranslationUnit_KeepGoing: keep parsing past fatal errors
_RELAX = ("-Wno-implicit-function-declaration", "-Wno-int-conversion",
          "-Wno-incompatible-pointer-types", "-Wno-implicit-int")
DEFAULT_ARGS = ("-x", "c", "-std=gnu17", *_RELAX, "-ferror-limit=0")
# After the user's flags: sslint reads no warning, and a build's -Werror, -Werror=...
# or -pedantic-errors must not make a warning a parse error (an unused variable
# would count as one), nor its GCC-only -W flags print clang's complaint per file.
_AFTER_USER = ("-w", "-Wno-error", *_RELAX)



class ParseFailure(Exception):
    """libclang produced no translation unit at all."""


@dataclass(frozen=True, eq=False)
class FunctionDef:
    """A function defined in the main file."""

    name: str
    line: int        # where its name is
    col: int
    start: int       # byte offsets of the whole definition in the source
    end: int
    end_line: int    # the line of its closing brace
    _cursor: ci.Cursor = field(repr=False)
    source: bytes = field(repr=False)  # the text of the file it is defined in
    file: str = ""   # that file when it is not the main file (an #included .c file)
    static: bool = False  # internal linkage: no other file can call it
    # What the lowering read of the functions called, shared by the file's definitions.
    callees: dict = field(default_factory=dict, repr=False)

    def lower(self, path: str, known_calls: frozenset[str]) -> ir.Function:
        """Its IR and CFG; `path` names the file in the IR's locations."""
        return lower_function(self._cursor, path, known_calls, self.source, self.callees)


@dataclass(eq=False)
class ParsedFile:
    source: bytes
    functions: list[FunctionDef]  # the main file's definitions, in source order
    errors: list[Diagnostic]      # severity error or worse, in libclang's order
    used_shim: bool               # OpenSSL's headers were missing: handle types assumed
    _tu: ci.TranslationUnit = field(repr=False)
    recovered: list[str] = field(default_factory=list)  # names the recovery declared
    guessed_defines: list[str] = field(default_factory=list)  # switches frontend.guards set
    guessed_includes: list[str] = field(default_factory=list)  # frontend.projectdirs' -I
    parse_args: list[str] = field(default_factory=list)  # the first parse's, guesses added


def parse_file(path: str, args: list[str],
               guessed: tuple[list[str], list[str]] | None = None) -> ParsedFile:
    """Read and parse `path` with these (sanitized) user arguments. Raises OSError
    when it cannot be read, ParseFailure when libclang cannot parse it. `guessed`:
    what guesses() gives for it, when the caller has it already."""
    with open(path, "rb") as fh:
        source = fh.read()
    handles.forget()  # a type's name may mean another type in this file
    folders, defines = guessed or guesses(path, source, args)
    parse_args = with_guesses(args, (folders, defines))
    try:
        tu, errs, shim, names = parse(path, parse_args, source)
    except ci.TranslationUnitLoadError as exc:
        raise ParseFailure(str(exc)) from None
    # Recovery's switches for struct members (frontend.switches) are guessed defines.
    defines = defines + [n[2:] for n in names if n.startswith("-D")]
    names = [n for n in names if not n.startswith("-D")]
    return ParsedFile(source, _definitions(tu, source), errs, shim, tu, names, defines,
                      folders, parse_args)


def guesses(path: str, source: bytes, args: list[str]) -> tuple[list[str], list[str]]:
    """Without the build: the include folders (frontend.projectdirs) and the
    switches (guessed_defines) the file's first parse adds to `args`."""
    folders = projectdirs.guess(path, source, args)
    return folders, guessed_defines(path, source, args + [f"-I{d}" for d in folders])


def may_guess(args: list[str] | tuple[str, ...]) -> bool:
    """Whether parse_file may add guessed folders or switches to these arguments:
    folders when no flag names any, switches when none configures the file."""
    return not any(a.startswith(projectdirs.BUILD_FLAGS) for a in args) or \
        not any(a.startswith(_CONFIGURING) for a in args)


def read_guesses(path: str, args: list[str]) -> tuple[list[str], list[str]] | None:
    """guesses() for the file at `path`; None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            source = fh.read()
    except OSError:
        return None
    return guesses(path, source, args)


def with_guesses(args: list[str], guessed: tuple[list[str], list[str]] | None) -> list[str]:
    """The first parse's arguments: `args` and the guessed folders and switches."""
    folders, defines = guessed or ([], [])
    return args + [f"-I{d}" for d in folders] + [f"-D{d}" for d in defines]


_CONFIGURING = ("-D", "-U", "-include", "--include", "-imacros", "--imacros")


def guessed_defines(path: str, source: bytes, args: list[str]) -> list[str]:
    """Without the build (no argument defines a macro or includes a file, and no
    header the file includes defines the switch), the feature switches its OpenSSL
    code needs (frontend.guards). The headers include those of `#include <...>`
    found in the -I folders: a build may configure the project in a generated
    header reached so (nginx's ngx_auto_config.h), with no -D at all."""
    if any(a.startswith(_CONFIGURING) for a in args):
        return []
    from sslint.frontend.apigen import openssl_version  # apigen imports this module

    # A config header the tree holds, included under the build's HAVE_CONFIG_H: its
    # switch is the build's, and the header then says the rest (a configured tree).
    here = os.path.dirname(os.path.abspath(path))
    config = sorted({name for name, headers in guards.config_switches(source)
                     if all(_found(h, quoted, here, args) for quoted, h in headers)})

    texts: list[bytes] | None = None

    def headers():  # the headers the file reaches, read once (the reads are cached)
        nonlocal texts
        if texts is None:
            texts = local_header_texts(path, source, args, angle=True)
        yield from texts

    # Without its config.h, configure's checks for system headers are facts of
    # this system (`#ifdef HAVE_SYS_SOCKET_H` around `#include <sys/socket.h>`).
    checks = [] if config else sorted(
        name for name, header in guards.header_checks([source, *headers()])
        # OpenSSL's own are left to the fallback shim (frontend.fallback), which
        # declares its types when they are missing, whatever the order of includes.
        if not header.startswith("openssl/") and projectdirs.system_header(header))
    # Also for a file that calls no OpenSSL function: others' summaries may use its
    # functions (openvpn's ssl.c), which must see the OpenSSL build's types.
    return config + checks + guards.infer_defines(
        source, headers(), recover.table_functions(openssl_version(args)))


def _found(name: str, quoted: bool, here: str, args: list[str]) -> bool:
    """Whether clang finds the header with these arguments (the -iquote and -I
    folders; the includer's folder first for "name")."""
    quote, normal = include_dirs(args)
    folders = ([here] + quote + normal) if quoted else normal
    return any(os.path.isfile(os.path.join(d, name)) for d in folders)


def _definitions(tu: ci.TranslationUnit, source: bytes) -> list[FunctionDef]:
    """The main file's function definitions, then those of the .c files it includes
    (each read once; one that cannot be read is left out)."""
    out = []
    texts: dict[str, bytes | None] = {}
    callees: dict = {}
    for c in clangx.main_file_function_definitions(tu):
        loc, ext = c.location, c.extent
        file, text = "", source
        if not clangx.in_main_file(c):
            file = os.path.normpath(diags.file_name(loc.file.obj))
            if file not in texts:
                texts[file] = _read(file)
            text = texts[file]
            if text is None:
                continue
        out.append(FunctionDef(c.spelling, loc.line, loc.column, ext.start.offset,
                               ext.end.offset, ext.end.line, c, text, file,
                               c.linkage == ci.LinkageKind.INTERNAL, callees))
    return out


_RECOVERY_TEXT_BYTES = 4 << 20  # a generated multi-megabyte header is not read for guesses


def _read_small(path: str) -> bytes | None:
    try:
        if os.path.getsize(path) > _RECOVERY_TEXT_BYTES:
            return None
    except OSError:
        return None
    return _read(path)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


# ---- libclang ---------------------------------------------------------------------

_index: ci.Index | None = None


def index() -> ci.Index:
    global _index
    if _index is None:
        _index = ci.Index.create()
    return _index


def clang_args(args: list[str] | tuple[str, ...]) -> list[str]:
    """The full libclang arguments for a file with these (sanitized) user arguments.
    Deep nesting is allowed past clang's default of 256 brackets (machine-generated
    code); user arguments come later and may lower it again."""
    return list(DEFAULT_ARGS) + ["-fbracket-depth=1024"] + list(args) + list(_AFTER_USER) \
        + builtin_include_args()


Parsed = tuple[ci.TranslationUnit, list[Diagnostic], bool, list[str]]


def parse(path: str, args: list[str], source: bytes | None = None) -> Parsed:
    """Parse with KeepGoing; retry with the OpenSSL fallback shim when the handle
    types are missing, then with declarations guessed for what else is missing
    (sslint.frontend.recover). Returns (tu, error diagnostics, used the shim, the
    names recovery declared).

    Paths and arguments go to libclang as the OS's bytes (file names need not be
    UTF-8). With a shared precompiled header for this file's leading #includes
    (sslint.frontend.pch) the file is parsed against it, with the errors its headers
    had added back (frontend.pch_parse); the shim's and recovery's parses are plain
    ones, so results never depend on the PCH.
    """
    try:
        return _parse(path, args, source)
    finally:
        watchdog.mark_parsed()  # the file's analysis time limit starts now


def _parse(path: str, args: list[str], source: bytes | None) -> Parsed:
    full = clang_args(args)
    bpath = os.fsencode(path)
    bargs = [os.fsencode(a) for a in full]
    tu, errs, route = pch_parse.first(path, bpath, bargs, full)
    if tu is None:
        tu = index().parse(bpath, args=bargs, options=KEEP_GOING)
        errs = diags.errors(tu, path)
    from sslint.frontend.apigen import include_folders  # apigen imports this module
    if errs and source is None:  # the caller's bytes, else read once here
        source = _read_small(path)
    wanted = fallback.headers_for(source or b"", include_folders(args)) if errs else ()
    if any(fallback.missing_openssl().search(d.message) for d in errs) or (
            wanted and not _includes_openssl(tu, route.headers if route else ())):
        # A missing OpenSSL: parse again with its types declared (frontend.fallback);
        # also when the file's code is all under OpenSSL's macros (nothing else
        # said that OpenSSL's headers were missing).
        shim = os.fsencode(fallback.PATH)
        # The shim's parse is also recovery's first round (one parse less).
        del tu
        return _recovered(path, None, errs, True, index(), bargs + [b"-include", shim],
                          [(shim, fallback.header(wanted))], source, args)
    return _recovered(path, tu, errs, False, index(), bargs, [], source, args, route)


def _includes_openssl(tu: ci.TranslationUnit, pch_headers: tuple[str, ...]) -> bool:
    return any(os.path.basename(os.path.dirname(n)) == "openssl"
               for n in [*clangx.inclusions(tu), *pch_headers])


def _recovered(path: str, tu: ci.TranslationUnit | None, errs: list[Diagnostic], shim: bool,
               idx: ci.Index, bargs: list[bytes], unsaved: list[tuple[bytes, bytes]],
               source: bytes | None = None, args: list[str] | None = None,
               route: pch_parse.Route | None = None) -> Parsed:
    """The parse as it is when it has no errors, else the best of a few parses with
    the recovery prelude (same arguments and unsaved files, plus the prelude). With
    no `tu` (the errors are those of a parse without the shim) there is always at
    least one such parse. With a `route` (`tu` was parsed against a PCH), a round is
    parsed against it too when that is the same parse (frontend.pch_parse)."""
    if not errs and tu is not None:
        return tu, errs, shim, []
    prelude = os.fsencode(recover.PATH)
    bpath = os.fsencode(path)

    def reparse(header: bytes) -> tuple[ci.TranslationUnit, list[Diagnostic]]:
        if route is not None:
            got = pch_parse.with_prelude(route, path, bpath, bargs, prelude, header)
            if got is not None:
                return got
        t = idx.parse(bpath, args=bargs + [b"-include", prelude],
                      unsaved_files=unsaved + [(prelude, header)], options=KEEP_GOING)
        return t, diags.errors(t, path)

    texts: dict[str, bytes | None] = {path: source} if source is not None else {}

    def text_of(name: str) -> bytes | None:
        if name not in texts:
            own = [src for f, src in unsaved if os.fsdecode(f) == name]
            texts[name] = own[0] if own else _read_small(name)
        return texts[name]

    if not recover.worth_recovering(text_of(path) or b""):
        if tu is None:  # the shim alone, as there is nothing recovery could change
            tu = idx.parse(bpath, args=bargs, unsaved_files=unsaved, options=KEEP_GOING)
            errs = diags.errors(tu, path)
        return tu, errs, shim, []
    headers: list[tuple[str, bytes]] | None = None

    def header_files() -> list[tuple[str, bytes]]:  # the project's headers, read once
        nonlocal headers
        if headers is None:
            headers = local_headers(path, text_of(path) or b"", args or [], angle=True)
        return headers

    best, best_errs, names = recover.recover(errs, reparse, text_of, _protected(), path,
                                             must_reparse=tu is None,
                                             header_files=header_files)
    if best is None:
        assert tu is not None  # must_reparse gives a translation unit
        return tu, errs, shim, []
    return best, best_errs, shim, names


def _protected() -> frozenset[str]:
    """Names recovery never declares: the table's functions and handle types (a guess
    must never give a name OpenSSL meaning, nor hide the fallback shim's case)."""
    return recover.protected_names()
