"""Build hook: the engine (sslint/engine/) compiled to C with mypyc where possible,
and the front end's cursor reader (sslint/frontend/_cursors.c).

`pip install .` compiles the engine's modules (mypy, pinned in pyproject.toml's
build requirements, brings mypyc); the .py files are installed beside them and Python
loads the compiled ones. The pure-Python package is built instead, with a warning,
when mypyc or a C compiler is missing or fails, or when SSLINT_PURE=1.
SSLINT_COMPILE=require makes any such failure fatal (tests/run.sh, so CI notices).
Findings are the same either way; tests/run.sh runs the tests on both.
"""
from __future__ import annotations

import glob
import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# budget.py stays Python: the command line reads its dataclass defaults off the class;
# __init__.py holds the SSLINT_PURE switch (run the .py files even when compiled).
PURE_MODULES = {"__init__.py", "budget.py"}
# Outside the engine: the IR it reads, the lowering that builds it, and locations.
EXTRA_MODULES = ["sslint/core/ir.py", "sslint/core/loc.py", "sslint/frontend/lower.py"]
REQUIRE = os.environ.get("SSLINT_COMPILE") == "require"


def _warn(why: str) -> None:
    if REQUIRE:
        sys.exit(f"sslint: compiling the engine failed: {why}")
    print(f"sslint: installing the pure-Python engine ({why})", file=sys.stderr)


def compiled_engine() -> list:
    if os.environ.get("SSLINT_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not installed")
        return []
    paths = sorted(p for p in glob.glob("sslint/engine/*.py")
                   if os.path.basename(p) not in PURE_MODULES) + EXTRA_MODULES
    try:
        # Imports outside the engine are read for their types, not checked.
        return mypycify(["--follow-imports=silent", "--ignore-missing-imports", *paths],
                        opt_level="3", group_name="sslint_engine")
    except (Exception, SystemExit) as exc:  # mypyc reports type errors with SystemExit
        _warn(f"mypyc: {exc}")
        return []


class OptionalBuildExt(build_ext):
    """A failed C build leaves no half-built extension: all compiled or none."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - CCompilerError, DistutilsError, OSError
            _warn(f"C build: {exc}")
            for ext in self.extensions:
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)


def cursor_reader() -> list:
    """sslint/frontend/_cursors.c: a cursor's children and extent in one call each
    (sslint.frontend.clangx uses the Python bindings when it is absent)."""
    if os.environ.get("SSLINT_PURE") == "1":
        return []
    return [Extension("sslint.frontend._cursors", ["sslint/frontend/_cursors.c"])]


setup(ext_modules=compiled_engine() + cursor_reader(), cmdclass={"build_ext": OptionalBuildExt})
