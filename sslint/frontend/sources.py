"""Turn the paths given on the command line into the C files to analyse.

Paths are kept as the str the OS gave us (undecodable bytes stay as surrogate
escapes, so the file can still be opened); only messages are made printable.
"""
from __future__ import annotations

import os
import stat

from sslint.core.findings import Notification

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_SNIFF_BYTES = 8 * 1024


def printable_path(path: str) -> str:
    """`path` made safe to print: undecodable bytes and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def _c_files_under(top: str, notes: list[Notification]) -> list[str]:
    """Every regular `*.c` below `top`, sorted, skipping hidden folders.

    Symlinked folders are followed (vendored trees) but only after the real tree, and
    each real folder is walked once, so files keep their plain names and symlink
    loops end.
    """
    found: list[str] = []
    visited: set[str] = set()
    links: list[str] = []

    def unreadable(exc: OSError) -> None:
        where = printable_path(exc.filename or top)
        notes.append(Notification("warning", f"cannot list {where}: {exc.strerror}",
                                  code="unreadable-dir"))

    def walk(start: str) -> None:
        for folder, dirs, files in os.walk(start, onerror=unreadable):
            real = os.path.realpath(folder)
            if real in visited:
                dirs[:] = []
                continue
            visited.add(real)
            keep = []
            for name in sorted(dirs):
                if name.startswith("."):  # .git, .cache, .venv
                    continue
                if os.path.islink(os.path.join(folder, name)):
                    links.append(os.path.join(folder, name))
                else:
                    keep.append(name)
            dirs[:] = keep
            for name in files:
                path = os.path.join(folder, name)
                # Only regular files: a FIFO named x.c would block the reader forever.
                if name.endswith(".c") and os.path.isfile(path):
                    found.append(path)

    walk(top)
    while links:
        walk(links.pop(0))
    return sorted(found)


def discover(paths: list[str]) -> tuple[list[str], list[Notification]]:
    """The C files named by `paths`, in order, each real file once.

    A file is taken whatever its extension; a folder yields every `*.c` below it.
    """
    files: list[str] = []
    notes: list[Notification] = []
    for path in paths:
        if os.path.isdir(path):
            below = _c_files_under(path, notes)
            if not below:
                notes.append(Notification(
                    "warning", f"no C files found under {printable_path(path)}",
                    code="no-c-files"))
            files += below
        elif os.path.lexists(path):
            files.append(path)  # check_readable reports FIFOs, dangling links, …
        else:
            notes.append(Notification("error", f"{printable_path(path)}: no such file or directory",
                                      code="missing-path"))
    seen: set[str] = set()
    unique = []
    for path in files:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique, notes


def check_readable(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """Why `path` cannot be analysed, or None when it looks like a readable text file."""
    shown = printable_path(path)
    try:
        info = os.stat(path)
        # Checked before opening: opening a FIFO or device could block.
        if not stat.S_ISREG(info.st_mode):
            return f"{shown}: not a regular file"
        if info.st_size > max_bytes:
            return f"{shown}: {info.st_size} bytes is larger than the {max_bytes}-byte limit"
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except PermissionError:
        return f"{shown}: permission denied"
    except FileNotFoundError:
        return f"{shown}: no such file"
    except OSError as exc:
        return f"{shown}: cannot read ({exc.strerror or exc})"
    for bom, name in _WIDE_BOMS:  # before the NUL test: UTF-16 text is full of NULs
        if head.startswith(bom):
            return (f"{shown}: {name}-encoded (byte order mark); sslint reads C sources in "
                    "UTF-8 or another ASCII-compatible encoding: convert it (e.g. iconv -f "
                    f"{name} -t UTF-8)")
    if b"\0" in head:
        return f"{shown}: binary file (NUL byte in the first {_SNIFF_BYTES // 1024} KiB)"
    return None


# Encodings clang cannot read C in (UTF-32 first: its little-endian mark starts
# with UTF-16's).
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32LE"), (b"\x00\x00\xfe\xff", "UTF-32BE"),
              (b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE"))
