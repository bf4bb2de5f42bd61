"""The results cache: a file analysed before, with nothing it depends on changed, is
not parsed again; its FileResult comes from the cache folder (namespace "results").

What a result depends on, and how each part is checked:

- the file itself: its content's SHA-256 (a checkout or `touch` that leaves the
  bytes alone keeps the entry);
- its clang arguments and the working directory they resolve against (not when the
  path and every path argument are absolute, as a compile database's are); sslint's
  own defaults are code (below), and the toolchain's include folders are keyed by
  what their choice depends on (`toolchain.probe_inputs`: settings, compiler
  stamps), since probing them runs a compiler;
- every file the parse read besides it (its #includes, the headers of the PCH it
  was parsed against: `FileResult.inputs`): size and modification time in
  nanoseconds, one `stat` each (memoised per run). A header's bytes are not read:
  hashing the OpenSSL and libc headers behind every file would cost more than the
  rest of a warm run, and an edit that keeps both size and mtime to the
  nanosecond does not happen by accident; a changed mtime with the same bytes
  only costs a re-analysis;
- sslint itself: its version and a digest of its own files (the code, the rules,
  the built-in model table, the bundled headers), so a changed checkout never
  reuses an old result, and the libclang package's files (size and mtime);
- the run's settings that reach the analysis: the enabled analysis rules, the
  config's [api] entries, the budgets and time limit (`Job`, less the PCH switch,
  which never changes a result);
- `extra`: any string the caller adds (e.g. a digest of the cross-file summaries
  the file consumed).

The entry's key covers the first, second, fourth, fifth and sixth parts; the
dependency list and its stamps are stored in the entry and checked on lookup (a
manifest, as ccache has). A header that appears earlier on the include path
without any known file changing is not noticed (as with ccache's direct mode).

Only results that do not depend on timing are stored: files that were analysed,
with no time-limit or internal-error notification, none of whose inputs changed
less than 2 s before the run began (they may have been read in either version).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable

from sslint import __version__
from sslint.core.findings import FileResult
from sslint.frontend.compdb import PATH_FLAGS
from sslint.session import callgraph
from sslint.session.cache import Cache, digest, user_root

NAMESPACE = "results"
SCANS = "scans"  # callgraph.Scan of a file's text, as JSON
_UNSTABLE_CODES = frozenset({"time-limit", "internal-error"})


def _tree_digest(h, folder: str) -> None:
    for dirpath, dirnames, filenames in os.walk(folder):
        # Not byte code, nor hidden folders (a cache folder made by a run there).
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and d[0] != ".")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
            try:
                with open(path, "rb") as fh:
                    h.update(hashlib.sha256(fh.read()).digest())
            except OSError:
                h.update(b"?")


_code: str | None = None


def code_digest() -> str:
    """sslint's version and files (the rules' modules included), and the libclang
    package's file stamps."""
    global _code
    if _code is None:
        import sslint
        from sslint.core.rule import all_rules
        from sslint.frontend.libinfo import libclang_stamp

        h = hashlib.sha256(__version__.encode() + b"\0")
        _tree_digest(h, os.path.dirname(os.path.abspath(sslint.__file__)))
        folders = {os.path.dirname(os.path.abspath(__import__(r.module, fromlist=["_"]).__file__))
                   for r in all_rules()}
        for folder in sorted(folders):
            _tree_digest(h, folder)
        h.update(libclang_stamp().encode("utf-8", "surrogateescape"))
        _code = h.hexdigest()
    return _code


def canonical(value: object) -> str:
    """A text for a settings value that is the same in every process: repr() of a
    frozenset follows the string hash seed, which differs from run to run."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={canonical(getattr(value, f.name))}"
                          for f in dataclasses.fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{canonical(k)}: {canonical(v)}"
                                      for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(canonical(v) for v in value) + ")"
    return repr(value)


def _cwd_free(path: str, args) -> bool:
    """Whether nothing of the unit resolves against the working directory: its path
    and every path-like argument are absolute (a compile database's units), so a
    run from another folder may use its result. Conservative: any argument that does
    not start with '-' and is not absolute counts as a relative path."""
    if not os.path.isabs(path):
        return False
    for a in args:
        value = a
        for flag in _PATH_FLAGS:
            if a.startswith(flag):
                value = a[len(flag):]
                break
        if value and not value.startswith("-") and not os.path.isabs(value):
            return False
    return True


# Flags whose value is a path (those a compile database's entries make absolute, and
# the sysroot ones, which resolve against the working folder too).
_PATH_FLAGS = ("--sysroot=", "-isysroot", *PATH_FLAGS, "-F")


class ResultsCache:
    """Lookups and stores of FileResults for one run's settings."""

    def __init__(self, cache: Cache, settings: str, extra: Callable[[object], str] | None = None):
        self.cache = cache
        self.settings = settings  # everything of the run that reaches the analysis
        self.extra = extra
        self._stamps: dict[str, tuple[int, int] | None] = {}
        self.hits = 0
        # A file modified since shortly before the run may have been read in either
        # version: its results are not stored (ccache's "too new" rule).
        self.too_new = time.time_ns() - 2_000_000_000

    def stamp(self, path: str) -> tuple[int, int] | None:
        if path not in self._stamps:
            try:
                st = os.stat(path)
                self._stamps[path] = (st.st_size, st.st_mtime_ns)
            except OSError:
                self._stamps[path] = None
        return self._stamps[path]

    def key(self, unit, toolchain: str) -> str | None:
        try:
            with open(unit.path, "rb") as fh:
                content = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return None
        cwd = "" if _cwd_free(unit.path, unit.args) else os.getcwd()
        return digest(code_digest(), self.settings, cwd, unit.path, unit.display,
                      "\0".join(unit.args), toolchain, content,
                      self.extra(unit) if self.extra else "")

    def scan(self, path: str) -> callgraph.Scan:
        """callgraph.scan(path), kept by the file's content: the text scan was a fifth
        of a warm run over the 40 generated files."""
        try:
            with open(path, "rb") as fh:
                text = fh.read()
        except OSError:
            return callgraph.Scan(frozenset(), frozenset())
        key = digest(SCANS, code_digest(), hashlib.sha256(text).hexdigest())
        data = self.cache.get(SCANS, key)
        got = callgraph.from_json(data) if data is not None else None
        if got is None:
            got = callgraph.scan_text(text)
            self.cache.put(SCANS, key, callgraph.to_json(got))
        return got

    def lookup(self, key: str | None) -> FileResult | None:
        if key is None:
            return None
        entry = self.cache.get_pickle(NAMESPACE, key)
        if not (isinstance(entry, tuple) and len(entry) == 2
                and isinstance(entry[1], FileResult)):
            return None
        stamps, result = entry
        try:
            if any(self.stamp(p) != s for p, s in stamps):
                return None
        except (TypeError, ValueError):
            return None
        self.hits += 1
        # Nothing was parsed or analysed this time.
        return dataclasses.replace(result, findings=list(result.findings),
                                   notifications=list(result.notifications),
                                   parse_seconds=0.0, analysis_seconds=0.0)

    def store(self, key: str | None, result: FileResult) -> None:
        if key is None or result.inputs is None or not result.analyzed:
            return
        if any(n.code in _UNSTABLE_CODES or "time limit" in n.message
               for n in result.notifications):
            return
        stamps = tuple((p, self.stamp(p)) for p in result.inputs)
        if any(s is not None and s[1] >= self.too_new for _, s in stamps):
            return
        self.cache.put_pickle(NAMESPACE, key, (stamps, result))

    def split(self, units: list) -> tuple[list[FileResult | None], list[str | None]]:
        """For each unit its cached result or None, and its key (see keys())."""
        keys = self.keys(units)
        return [self.lookup(k) for k in keys], keys

    def keys(self, units: list) -> list[str | None]:
        """Each unit's key (None: not cacheable, e.g. unreadable, or modified just now)."""
        from sslint.frontend.toolchain import probe_inputs

        toolchain = probe_inputs()
        keys: list[str | None] = []
        for u in units:
            k = self.key(u, toolchain)
            main = self.stamp(u.path)
            keys.append(None if main is None or main[1] >= self.too_new else k)
        return keys

    def fill(self, cached: list[FileResult | None], keys: list[str | None],
             fresh: list[FileResult]) -> list[FileResult]:
        """The cached results with the fresh ones (of the units that had none, in
        order) put in their places and stored."""
        it = iter(fresh)
        out = []
        for key, res in zip(keys, cached, strict=True):
            if res is None:
                res = next(it)
                self.store(key, res)
            out.append(res)
        return out


def load_builtin_model(cache: Cache) -> None:
    """The built-in API model from the cache folder (namespace "model"; built and
    stored on a miss): parsing its tables costs each process ~0.15 s, a single-file
    run a third of its time. Without a project cache (--no-cache) the user's own
    folder keeps it: it depends on sslint's files alone, like their bytecode, never
    on the files analysed. Called before the workers fork: they inherit it."""
    from sslint.model import api

    if api.is_built():  # this process has it already (the language server's next run)
        return
    store = cache if cache.enabled else Cache(user_root())
    key = model_digest()
    snapshot = store.get_pickle("model", key)
    if isinstance(snapshot, tuple) and len(snapshot) == 6:
        api.install_builtin(snapshot)
    elif store.put_pickle("model", key, api.builtin_snapshot()) \
            and store is not cache:
        _keep_newest(store.folder("model"), MODELS_KEPT)


def model_digest() -> str:
    """What the built model depends on: sslint's version, the model package (its
    tables and the classes pickled) and the Loc and Step classes. A fraction of
    code_digest()'s cost, which a run without the results cache does not otherwise pay."""
    from sslint.core import findings
    from sslint.model import api

    h = hashlib.sha256(__version__.encode() + b"\0")
    _tree_digest(h, os.path.dirname(os.path.abspath(api.__file__)))
    core = os.path.dirname(os.path.abspath(findings.__file__))
    for name in ("findings.py", "loc.py"):  # the sources: loc.py may run compiled
        with open(os.path.join(core, name), "rb") as fh:
            h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


MODELS_KEPT = 4  # models of other sslint versions or checkouts kept in the user's folder


def _keep_newest(folder: str | None, count: int) -> None:
    """Delete all but the `count` newest entries of folder: every changed checkout
    builds a model of its own, and the user's folder has no other clean-up."""
    try:
        entries = [e for e in os.scandir(folder) if e.is_file() and not e.name.startswith(".")]
        entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for e in entries[count:]:
            os.unlink(e.path)
    except (OSError, TypeError):
        pass


def pch_folder(cache: Cache) -> str | None:
    """Where precompiled headers are kept across runs: one folder per libclang (a PCH
    is tied to the clang that wrote it), namespace "pch"."""
    if not cache.enabled:
        return None
    from sslint.frontend.libinfo import libclang_stamp

    return cache.folder(f"pch/{digest(libclang_stamp())[:16]}")
