"""The summaries of the last runs, kept in the cache folder (namespace "summaries") so
that a run over some files (a pre-commit hook, the language server checking the file
being edited) still knows the wrappers the project's other files define.

One entry per run settings: for each file analysed by some earlier run, its size and
modification time then, and the summaries of its functions with external linkage.
A file changed since (or gone) no longer contributes: its summaries are stale, and
the next run that includes it refreshes them. Runs read the entry at the start and
write it back at the end, atomically; two runs at once may lose one's update, never
corrupt the entry.
"""
from __future__ import annotations

import os
from dataclasses import replace

from sslint.core.findings import FileResult
from sslint.model.api import FnSpec
from sslint.session.cache import Cache, digest

NAMESPACE = "summaries"

Entry = tuple[tuple[int, int], tuple[FnSpec, ...]]


class SummaryIndex:
    def __init__(self, cache: Cache, settings: str):
        from sslint.session.results import code_digest

        self.cache = cache
        self.key = digest(code_digest(), settings)
        got = cache.get_pickle(NAMESPACE, self.key)
        self.files: dict[str, Entry] = got if _valid(got) else {}

    def outside(self, paths: list[str], absolute: bool = False) -> dict[str, FnSpec]:
        """Summaries of functions defined in files not among paths and unchanged since
        they were summarised (a name two such files define differently: left out).
        The places they name are as the run names files: `absolute` as a compile
        database does, else relative to the current folder, as typed."""
        convert = os.path.abspath if absolute else _relative
        inside = {os.path.abspath(p) for p in paths}
        seen: dict[str, FnSpec | None] = {}
        for path, (stamp, specs) in sorted(self.files.items()):
            if path in inside or _stamp(path) != stamp:
                continue
            for spec in specs:
                spec = _places(spec, convert)
                seen[spec.name] = spec if seen.get(spec.name, spec) == spec else None
        return {n: s for n, s in seen.items() if s is not None}

    def update(self, paths: list[str], results: list[FileResult]) -> None:
        """Record what this run learnt about its files, and store the entry (unless
        it learnt nothing new: a warm run would write the same bytes again)."""
        changed = False
        for path, r in zip(paths, results, strict=True):
            stamp = _stamp(path)
            if not r.analyzed or stamp is None:
                continue
            key = os.path.abspath(path)
            entry = (stamp, tuple(_places(s, os.path.abspath) for s in r.summaries
                                  if not s.static))
            if self.files.get(key) != entry:
                self.files[key] = entry
                changed = True
        if changed:
            self.cache.put_pickle(NAMESPACE, self.key, self.files)


def _places(spec: FnSpec, convert) -> FnSpec:
    """The spec with the places its field effects name (a free inside it) converted:
    absolute in the index, relative to the current folder when used."""
    if not any(f.where for f in spec.fields):
        return spec
    fields = tuple(replace(f, where=replace(f.where, file=convert(f.where.file)))
                   if f.where else f for f in spec.fields)
    return replace(spec, fields=fields)


def _relative(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _valid(got: object) -> bool:
    return isinstance(got, dict) and all(
        isinstance(k, str) and isinstance(v, tuple) and len(v) == 2
        and all(isinstance(s, FnSpec) for s in v[1]) for k, v in got.items())
