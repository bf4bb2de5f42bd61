"""The files a parse read besides the main file: what its result depends on.

Libclang lists a translation unit's inclusions, but a unit parsed against a
precompiled header lists only what came after it; the PCH's own headers are
recorded when it is built (`pch.build` writes them next to the .pch) and added
here. A superset is harmless: it only makes a cached result expire sooner.
"""
from __future__ import annotations

import os

from sslint.frontend import clangx, pch
from sslint.frontend.parse import ParsedFile, clang_args


def included_files(tu) -> list[str]:
    """Every file the translation unit included, as libclang names them."""
    return [os.path.normpath(name) for name in clangx.inclusions(tu)]


def dependencies(parsed: ParsedFile, path: str, args: list[str]) -> tuple[str, ...] | None:
    """The files (other than `path`) the parse of `path` read, sorted; None when
    that cannot be known."""
    out = set(included_files(parsed._tu))
    plan = pch.active().plan(path, clang_args(parsed.parse_args or args))
    if plan is not None:
        more = pch.read_deps(plan.args[-1])
        if more is None:
            return None
        out.update(more)
    out.discard(os.path.normpath(path))
    return tuple(sorted(out))
