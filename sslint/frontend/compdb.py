"""Read compile_commands.json into safe clang arguments, one entry per source file.

sslint runs in CI on strangers' pull requests, and the compilation database comes
from the same pull request. Reading code must never run code, so commands are
only split (shlex), never executed, and `sanitize_args` drops every flag that
could make clang load a shared object or start another program.
"""
from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

COMPDB_NAME = "compile_commands.json"
MAX_RSP_DEPTH = 8
MAX_RSP_BYTES = 1 << 20  # a response file is a few KiB; refuse to slurp anything huge

# Wrappers in front of the real compiler (`ccache gcc -c x.c`).
_LAUNCHERS = {"ccache", "sccache", "distcc", "icecc", "buildcache"}

_LOADS = "could load a shared object into the analyzer"
_RUNS = "could make the compiler driver run another program"
_FORWARDS = "forwards options to another tool"
_CONFIG = "reads compiler options from a config file"
_BINARY = "loads or writes precompiled binary files"
_GLOBAL = "changes global LLVM state inside the analyzer"
_JOBS = "changes how the driver runs its jobs"

# flag -> (why it is dropped, whether the next argument is its value)
_DANGEROUS_EXACT = {
    "-load": (_LOADS, True), "-plugin": (_LOADS, True), "-add-plugin": (_LOADS, True),
    "-B": (_RUNS, True), "--prefix": (_RUNS, True), "-wrapper": (_RUNS, True),
    "--specs": (_RUNS, True), "-no-integrated-as": (_RUNS, False),
    "-fno-integrated-as": (_RUNS, False), "-fno-integrated-cc1": (_RUNS, False),
    "--config": (_CONFIG, True), "-mllvm": (_GLOBAL, True),
    "-include-pch": (_BINARY, True), "-cc1": (_JOBS, False), "-cc1as": (_JOBS, False),
    "-save-temps": (_JOBS, False), "-X": (_FORWARDS, False),
    "-ccc-install-dir": (_RUNS, True), "-ccc-gcc-name": (_RUNS, True),
    "-ccc-arcmt-migrate": (_JOBS, True), "-ccc-objcmt-migrate": (_JOBS, True),
}
# Checked in order, after the exact table. Every prefix form is joined (no value).
_DANGEROUS_PREFIX = (
    ("-fplugin", _LOADS), ("-fpass-plugin", _LOADS), ("-plugin", _LOADS),
    ("-load", _LOADS), ("-add-plugin", _LOADS), ("-iplugindir", _LOADS),
    ("-B", _RUNS), ("--prefix=", _RUNS), ("-ccc-", _RUNS), ("-Wl,", _RUNS),
    ("-Wa,", _RUNS), ("-Wp,", _FORWARDS), ("-fuse-ld=", _RUNS), ("--ld-path=", _RUNS),
    ("-specs=", _RUNS), ("--specs=", _RUNS), ("--config", _CONFIG),
    ("-mllvm", _GLOBAL), ("-fmodule", _BINARY), ("-fprebuilt-module", _BINARY),
    ("-fimplicit-module", _BINARY), ("-fbuiltin-module-map", _BINARY),
    ("-emit-pch", _BINARY), ("-save-temps=", _JOBS),
)
# cc1 options reached through -Xclang whose value travels in the next -Xclang.
_CC1_TAKES_VALUE = {"-load", "-plugin", "-add-plugin", "-mllvm", "-include-pch"}

# Build outputs: present in nearly every entry and meaningless for parsing, so they
# go without a warning.
_OUTPUT_WITH_VALUE = {"-o", "--output", "-MF", "-MT", "-MQ", "-MJ", "--serialize-diagnostics"}
_OUTPUT_JOINED = ("--output=", "-MF", "-MT", "-MQ", "-MJ")
_OUTPUT_FLAGS = {"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MG", "-MP", "-MV"}

# Include-path flags whose relative values must be made absolute: libclang resolves
# them against the analyzer's cwd, not the entry's directory. Longest first, so
# `-isystem-after` is not read as `-isystem` + "-after".
PATH_FLAGS = ("-isystem-after", "-isystem", "-idirafter", "-iquote", "-imacros",
               "-include", "-I")


class CompdbError(Exception):
    """A compilation database that cannot be used; the message is one line."""


@dataclass(frozen=True)
class CompileCommand:
    file: str                       # absolute, normalised
    directory: str                  # absolute
    args: tuple[str, ...]           # clang arguments only, sanitized
    warnings: tuple[str, ...] = ()  # what was dropped and why


def _why_dangerous(arg: str) -> tuple[str, bool] | None:
    if arg in _DANGEROUS_EXACT:
        return _DANGEROUS_EXACT[arg]
    for prefix, why in _DANGEROUS_PREFIX:
        if arg.startswith(prefix):
            return why, arg.startswith("-plugin-arg-")  # cc1 form takes a value
    return None


def _absolutize(path: str, directory: str) -> str:
    # `-I=dir` and `$SYSROOT` are sysroot-relative; leave those alone.
    if not path or os.path.isabs(path) or path.startswith(("=", "$SYSROOT")):
        return path
    return os.path.normpath(os.path.join(directory, path))


def _inside(path: str, root: str) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # different drives
        return False


def _expand_response_files(args: Iterable[str], base: str, root: str, depth: int,
                           warnings: list[str]) -> list[str]:
    """Splice `@file` contents in place, as the clang driver would before parsing.

    Only files inside `root` are read, so a database cannot make us read (and echo
    back in diagnostics) arbitrary files. Nested names are relative to the file
    that names them.
    """
    out: list[str] = []
    for arg in args:
        if not arg.startswith("@"):
            out.append(arg)
            continue
        path = _absolutize(arg[1:], base)
        if not arg[1:]:
            warnings.append("dropped '@': empty response file name")
        elif depth >= MAX_RSP_DEPTH:
            warnings.append(f"dropped {arg}: response files nested deeper than {MAX_RSP_DEPTH}")
        elif not _inside(path, root):
            warnings.append(f"dropped {arg}: response file outside {root}")
        else:
            words = _read_response_file(path, arg, warnings)
            if words is not None:
                out += _expand_response_files(words, os.path.dirname(path), root,
                                              depth + 1, warnings)
    return out


def _read_response_file(path: str, arg: str, warnings: list[str]) -> list[str] | None:
    try:
        if os.path.getsize(path) > MAX_RSP_BYTES:
            warnings.append(f"dropped {arg}: response file larger than {MAX_RSP_BYTES} bytes")
            return None
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return shlex.split(fh.read(), comments=False, posix=True)
    except OSError as exc:
        warnings.append(f"dropped {arg}: cannot read response file ({exc.strerror})")
    except ValueError as exc:  # unbalanced quotes
        warnings.append(f"dropped {arg}: cannot split response file ({exc})")
    return None


def sanitize_args(args: Sequence[str], directory: str, root: str) -> tuple[list[str], list[str]]:
    """Return (safe args, warnings): `@file`s expanded, dangerous and output flags
    dropped, relative include paths made absolute against `directory`."""
    warnings: list[str] = []
    flat = _expand_response_files(args, directory, root, 0, warnings)
    out: list[str] = []
    i = 0
    while i < len(flat):
        arg = flat[i]
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        used = 1
        if arg in _OUTPUT_WITH_VALUE:
            used = 2
        elif arg in _OUTPUT_FLAGS or arg.startswith(_OUTPUT_JOINED) or _is_wp_depfile(arg):
            pass
        elif arg == "-Xclang" or arg.startswith("-Xclang="):
            used = _xclang(flat, i, out, warnings)
        elif arg.startswith("-X"):  # -Xlinker, -Xassembler, -Xpreprocessor, -Xarch_*…
            used = 2 if nxt is not None else 1
            warnings.append(f"dropped {' '.join(flat[i:i + used])}: {_FORWARDS}")
        elif (why := _why_dangerous(arg)) is not None:
            used = 2 if why[1] and nxt is not None else 1
            warnings.append(f"dropped {' '.join(flat[i:i + used])}: {why[0]}")
        else:
            used = _keep(flat, i, directory, out)
        i += used
    return out, warnings


def _is_wp_depfile(arg: str) -> bool:
    # Kbuild passes `-Wp,-MMD,dir/.x.o.d` on every file; it only writes a depfile.
    parts = arg.split(",")
    return len(parts) == 3 and parts[0] == "-Wp" and parts[1] in ("-MD", "-MMD")


def _keep(flat: list[str], i: int, directory: str, out: list[str]) -> int:
    arg = flat[i]
    for flag in PATH_FLAGS:
        if arg == flag and i + 1 < len(flat):
            out += [flag, _absolutize(flat[i + 1], directory)]
            return 2
        if arg.startswith(flag) and arg != flag:
            out.append(flag + _absolutize(arg[len(flag):], directory))
            return 1
    out.append(arg)
    return 1


def _xclang_value(flat: list[str], i: int) -> tuple[str | None, int]:
    """The cc1 option carried by the -Xclang at flat[i] and how many items it spans."""
    if i >= len(flat):
        return None, 0
    if flat[i].startswith("-Xclang="):
        return flat[i][len("-Xclang="):], 1
    if flat[i] == "-Xclang":
        return (flat[i + 1], 2) if i + 1 < len(flat) else (None, 1)
    return None, 0


def _xclang(flat: list[str], i: int, out: list[str], warnings: list[str]) -> int:
    value, used = _xclang_value(flat, i)
    why = _why_dangerous(value) if value is not None else None
    if value is None:
        return used  # a trailing -Xclang with nothing to forward
    if why is None:
        out += flat[i:i + used]
        return used
    # `-Xclang -load -Xclang evil.so`: the value rides in the next -Xclang.
    if value in _CC1_TAKES_VALUE or value.startswith("-plugin-arg-"):
        follow, more = _xclang_value(flat, i + used)
        if follow is not None:
            used += more
    warnings.append(f"dropped {' '.join(flat[i:i + used])}: {why[0]}")
    return used


def _strip_compiler(argv: list[str]) -> list[str]:
    rest = argv[1:] if argv else []
    if argv and os.path.basename(argv[0]) in _LAUNCHERS and rest:
        rest = rest[1:]
    return rest


def _strip_source(args: list[str], file: str, directory: str) -> list[str]:
    """Drop the entry's own source file; libclang gets it separately."""
    out: list[str] = []
    for arg in args:
        if not arg.startswith("-") and _absolutize(arg, directory) == file and \
                not (out and out[-1] in PATH_FLAGS):
            continue
        out.append(arg)
    return out


def _locate(path: str) -> str:
    return os.path.join(path, COMPDB_NAME) if os.path.isdir(path) else path


def _read_json(json_path: str) -> object:
    try:
        with open(json_path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise CompdbError(f"{json_path}: no such file") from None
    except IsADirectoryError:
        raise CompdbError(f"{json_path}: is a directory, not a JSON file") from None
    except OSError as exc:
        raise CompdbError(f"{json_path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CompdbError(f"{json_path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CompdbError(f"{json_path}: not valid JSON "
                          f"(line {exc.lineno} column {exc.colno}: {exc.msg})") from None


def _entry(raw: object, n: int, json_path: str, root: str) -> CompileCommand:
    where = f"{json_path}: entry {n}"
    if not isinstance(raw, dict):
        raise CompdbError(f"{where}: not a JSON object")
    if "file" not in raw:
        raise CompdbError(f"{where}: no 'file'")
    warnings: list[str] = []
    json_dir = os.path.dirname(os.path.abspath(json_path))
    directory = raw.get("directory")
    if directory is None:
        directory = json_dir
        warnings.append(f"no 'directory'; using {json_dir}")
    file = raw["file"]
    for key, value in (("file", file), ("directory", directory)):
        if not isinstance(value, str) or not value:
            raise CompdbError(f"{where}: '{key}' is not a non-empty string")
    directory = os.path.normpath(os.path.join(json_dir, directory))
    file = os.path.normpath(os.path.join(directory, file))
    # `arguments` is the unambiguous form; the spec prefers it over `command`.
    if "arguments" in raw:
        argv = raw["arguments"]
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise CompdbError(f"{where}: 'arguments' is not a list of strings")
    elif "command" in raw:
        if not isinstance(raw["command"], str):
            raise CompdbError(f"{where}: 'command' is not a string")
        try:
            argv = shlex.split(raw["command"])  # split only; never run, never a shell
        except ValueError as exc:
            raise CompdbError(f"{where}: cannot split 'command' ({exc})") from None
    else:
        raise CompdbError(f"{where}: neither 'arguments' nor 'command'")
    args, dropped = sanitize_args(_strip_compiler(list(argv)), directory, root)
    return CompileCommand(file=file, directory=directory,
                          args=tuple(_strip_source(args, file, directory)),
                          warnings=tuple(warnings + dropped))


def load_compdb(path: str, root: str | None = None) -> list[CompileCommand]:
    """Load `path` (the JSON file or the folder holding it).

    Response files are read only inside `root` (default: the database's folder).
    Raises CompdbError for anything that makes the database unusable.
    """
    json_path = os.path.abspath(_locate(path))
    data = _read_json(json_path)
    if not isinstance(data, list):
        raise CompdbError(f"{json_path}: top level is not a JSON list")
    root = os.path.abspath(root) if root else os.path.dirname(json_path)
    commands: list[CompileCommand] = []
    seen: set[str] = set()
    for n, raw in enumerate(data):
        cmd = _entry(raw, n, json_path, root)
        if cmd.file not in seen:  # multi-config builds repeat files; first wins
            seen.add(cmd.file)
            commands.append(cmd)
    return commands


def find_command(commands: Iterable[CompileCommand], path: str) -> CompileCommand | None:
    """The entry for `path`, matched by normalised path, then through symlinks."""
    commands = list(commands)
    wanted = os.path.normpath(os.path.abspath(path))
    for cmd in commands:
        if cmd.file == wanted:
            return cmd
    real = os.path.realpath(wanted)
    for cmd in commands:
        if os.path.realpath(cmd.file) == real:
            return cmd
    return None
