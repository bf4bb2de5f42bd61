"""Find compiler builtin headers (stddef.h, stdarg.h, limits.h…) for libclang.

The `libclang` wheel ships libclang.so but not clang's resource directory, so
`#include <stddef.h>` fails and every declaration using `size_t` or `va_list`
silently vanishes from the AST. We look for a usable set of builtin headers in
this order and use the first that exists:

1. ``SSLINT_RESOURCE_DIR``: a clang resource dir chosen by the user
   (``-resource-dir DIR``).
2. ``clang -print-resource-dir`` when a ``clang`` is on PATH.
3. The newest ``/usr/lib/llvm-*/lib/clang/*/`` (Debian/Ubuntu LLVM packages).
4. ``gcc -print-file-name=include`` (``-isystem DIR``); clang parses gcc's
   builtin headers, except stdatomic.h, for which sslint's own
   (``builtin_include/gcc_overrides``) comes first.
5. sslint's own minimal headers in ``sslint/builtin_include/``, written against
   clang's predefined macros. They cover only what compilers ship (the C library
   provides stdint.h and the POSIX half of limits.h).

A candidate counts only if its include folder has ``stddef.h``. Setting
``SSLINT_BUILTIN_INCLUDES`` to one of ``SOURCES`` forces that source (falling
back to the bundled headers if it is unavailable); tests use this.
"""
from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

SOURCES = ("env", "clang", "llvm", "gcc", "bundled")
FORCE_ENV = "SSLINT_BUILTIN_INCLUDES"
RESOURCE_ENV = "SSLINT_RESOURCE_DIR"
BUNDLED_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "builtin_include")
GCC_OVERRIDES = os.path.join(BUNDLED_DIR, "gcc_overrides")
_TIMEOUT = 5.0  # seconds; a hung compiler must not hang the analyzer


@dataclass(frozen=True)
class BuiltinIncludes:
    """The chosen source, the clang arguments it needs and a human-readable note."""

    source: str
    args: tuple[str, ...]
    detail: str


def _has_stddef(include_dir: str) -> bool:
    return os.path.isfile(os.path.join(include_dir, "stddef.h"))


def _run(argv: list[str]) -> str | None:
    """stdout of a short-lived tool, or None on any failure (never raises)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    out = done.stdout.strip()
    return out or None


def _resource_dir(path: str, source: str, how: str) -> BuiltinIncludes | None:
    if path and _has_stddef(os.path.join(path, "include")):
        return BuiltinIncludes(source, ("-resource-dir", path), f"{source}: {how} {path}")
    return None


def _from_env() -> BuiltinIncludes | None:
    return _resource_dir(os.environ.get(RESOURCE_ENV, ""), "env", f"${RESOURCE_ENV} =")


def _from_clang() -> BuiltinIncludes | None:
    exe = shutil.which("clang")
    out = _run([exe, "-print-resource-dir"]) if exe else None
    return _resource_dir(out or "", "clang", f"{exe} -print-resource-dir =")


def _version_key(path: str) -> tuple[int, ...]:
    # Sort llvm-9 before llvm-17 and clang/17.0.6 before clang/18: numbers, not text.
    return tuple(int(n) for n in re.findall(r"\d+", path))


def _from_llvm(base: str = "/usr/lib") -> BuiltinIncludes | None:
    found = glob.glob(os.path.join(glob.escape(base), "llvm-*", "lib", "clang", "*"))
    for path in sorted(found, key=_version_key, reverse=True):
        hit = _resource_dir(path, "llvm", "resource dir")
        if hit:
            return hit
    return None


def _from_gcc() -> BuiltinIncludes | None:
    exe = shutil.which("gcc")
    out = _run([exe, "-print-file-name=include"]) if exe else None
    # gcc echoes the bare name back when it has no such file.
    if not (out and os.path.isabs(out) and _has_stddef(out)):
        return None
    # sslint's stand-ins for the few gcc headers clang cannot parse come first.
    args = ["-isystem", GCC_OVERRIDES, "-isystem", out]
    # Older gccs keep the compiler half of limits.h in include-fixed; glibc's
    # limits.h #include_next's it.
    fixed = os.path.join(os.path.dirname(out), "include-fixed")
    if not os.path.isfile(os.path.join(out, "limits.h")) and \
            os.path.isfile(os.path.join(fixed, "limits.h")):
        args += ["-isystem", fixed]
    return BuiltinIncludes("gcc", tuple(args), "gcc: " + " ".join(args))


def _bundled() -> BuiltinIncludes:
    return BuiltinIncludes("bundled", ("-isystem", BUNDLED_DIR),
                           f"bundled: sslint's minimal headers in {BUNDLED_DIR}")


_FINDERS = {"env": _from_env, "clang": _from_clang, "llvm": _from_llvm,
            "gcc": _from_gcc, "bundled": _bundled}


def find_builtin_includes(force: str | None = None) -> BuiltinIncludes:
    """Search the sources in order (or only `force`, then the bundled headers)."""
    if force is not None and force not in SOURCES:
        raise ValueError(f"unknown builtin-include source {force!r}; use one of {SOURCES}")
    order = (force, "bundled") if force else SOURCES
    for name in order:
        hit = _FINDERS[name]()
        if hit:
            if force and name != force:
                return BuiltinIncludes(hit.source, hit.args,
                                       f"{hit.detail} ({force} was forced but not found)")
            return hit
    return _bundled()  # unreachable: the bundled finder always succeeds


@functools.cache
def _cached(force: str | None, resource_dir: str | None) -> BuiltinIncludes:
    if force is not None and force not in SOURCES:
        hit = find_builtin_includes()
        return BuiltinIncludes(hit.source, hit.args,
                               f"{hit.detail} (ignored ${FORCE_ENV}={force!r})")
    return find_builtin_includes(force)


def _current() -> BuiltinIncludes:
    # Keyed on the environment so a changed setting is honoured, yet probed once.
    return _cached(os.environ.get(FORCE_ENV) or None, os.environ.get(RESOURCE_ENV))


def builtin_include_args() -> list[str]:
    """The clang arguments that make the compiler builtin headers resolvable."""
    return list(_current().args)


# How frontend.diags names an error inside one of those headers (and the header).
HEADER_PROBLEM = "error in the compiler's header "


def header_dirs() -> tuple[str, ...]:
    """The folders of the builtin headers in use, each ending in a separator: an error
    inside them is the toolchain's, not the file's (frontend.diags)."""
    return _header_dirs(_current())


@functools.cache
def _header_dirs(hit: BuiltinIncludes) -> tuple[str, ...]:
    args, out = hit.args, []
    for flag, value in zip(args, args[1:], strict=False):
        if flag == "-isystem":
            out.append(value)
        elif flag == "-resource-dir":
            out.append(os.path.join(value, "include"))
    return tuple(os.path.join(os.path.abspath(d), "") for d in out)


def describe() -> str:
    """Which builtin headers are used, for `--version` and debug output."""
    return f"builtin headers: {_current().detail}"


def probe_inputs() -> str:
    """What the choice of builtin headers depends on, without running a compiler (for
    cache keys; probing costs a subprocess): the settings, and the stamps of the
    compilers and resource folders the finders would look at."""
    parts = [f"{FORCE_ENV}={os.environ.get(FORCE_ENV, '')}",
             f"{RESOURCE_ENV}={os.environ.get(RESOURCE_ENV, '')}"]
    for path in [shutil.which("clang"), shutil.which("gcc"),
                 *sorted(glob.glob("/usr/lib/llvm-*/lib/clang/*"))]:
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}" if st else f"{path}:-")
    return "\n".join(parts)
