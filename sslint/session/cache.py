"""The cache folder (`.sslint_cache` by default), shared by everything that caches.

Each use has its own namespace (a subfolder: "results", "pch", later "summaries");
an entry is found by a key string the caller builds from everything the entry
depends on, and its file name is that key's hash. The folder is safe to delete at
any time, and several runs may share it:

- writes go to a temporary file in the same folder, then `os.replace`: a reader
  sees the old entry or the new one, never half of one;
- any entry that cannot be read, is truncated or fails its check is a miss, and a
  folder that cannot be written is no cache at all: the run goes on without it;
- the folder holds a `.gitignore` of `*` and a CACHEDIR.TAG, so it is neither
  committed nor backed up.

A committed or planted cache folder must not run code: pickles (and anything else
stored with `sign=True`) carry an HMAC under a key kept outside the project, in
the user's cache folder (`$XDG_CACHE_HOME/sslint/key`, made on first use, mode
0600). Entries that do not verify are misses. Without such a key (an unwritable
home) signed entries are neither read nor written.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import tempfile
from typing import Any

DEFAULT_DIR = ".sslint_cache"
LAYOUT = "v1"  # bump when the layout or the entry format changes
_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
        b"# This file is a cache directory tag created by sslint.\n")
_GITIGNORE = b"# Made by sslint: nothing in this folder is to be committed.\n*\n"
_MAC_BYTES = 32


def user_root() -> str:
    """The user's own sslint folder (`$XDG_CACHE_HOME/sslint`): the key, and what
    depends on sslint alone, not on any project (the built API model)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sslint")


def _user_key_path() -> str:
    return os.path.join(user_root(), "key")


_user_key: bytes | None = None


def user_key() -> bytes | None:
    """This user's secret for signed entries (made once), or None if it cannot be had."""
    global _user_key
    if _user_key is None:
        path = _user_key_path()
        try:
            with open(path, "rb") as fh:
                key = fh.read()
            if len(key) < 32:
                raise OSError("short key")
        except OSError:
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                key = os.urandom(32)
                tmp = f"{path}.{os.getpid()}"
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(key)
                # Two first runs at once: the first link wins and both read it back.
                # Where hard links are not supported the last one wins instead (the
                # other's entries then fail to verify: misses, no harm).
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    pass
                except OSError:
                    os.replace(tmp, path)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
                with open(path, "rb") as fh:
                    key = fh.read()
                if len(key) < 32:
                    return None
            except OSError:
                return None
        _user_key = key
    return _user_key


def digest(*parts: str | bytes) -> str:
    """A key part from several strings or byte strings (unambiguous: lengths included)."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


class Cache:
    """The cache folder, or no cache at all (`root=None`: every get misses, every put
    is dropped)."""

    def __init__(self, root: str | None):
        self.root = os.path.abspath(root) if root else None
        self._ready = False

    @property
    def enabled(self) -> bool:
        return self.root is not None

    # ---- layout ----------------------------------------------------------------
    def folder(self, namespace: str) -> str | None:
        """The namespace's folder, made if needed; None if the cache is off or the
        folder cannot be made."""
        if self.root is None:
            return None
        path = os.path.join(self.root, LAYOUT, namespace)
        try:
            if not self._ready:
                self._prepare()
            os.makedirs(path, exist_ok=True)
        except OSError:
            return None
        return path

    def _prepare(self) -> None:
        assert self.root is not None
        os.makedirs(self.root, exist_ok=True)
        for name, data in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _TAG)):
            target = os.path.join(self.root, name)
            if not os.path.exists(target):
                _write_atomic(target, data)
        self._ready = True

    def path(self, namespace: str, key: str) -> str | None:
        """Where the entry for key lives (for files another tool writes, like a PCH)."""
        folder = self.folder(namespace)
        return None if folder is None else os.path.join(folder, digest(key))

    # ---- bytes -----------------------------------------------------------------
    def get(self, namespace: str, key: str, sign: bool = False) -> bytes | None:
        """The stored bytes, or None (absent, unreadable, or not signed by this user
        when sign=True)."""
        path = self.path(namespace, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        if not sign:
            return data
        secret = user_key()
        if secret is None or len(data) < _MAC_BYTES:
            return None
        mac, body = data[:_MAC_BYTES], data[_MAC_BYTES:]
        want = hmac.new(secret, key.encode("utf-8", "surrogateescape") + b"\0" + body,
                        hashlib.sha256).digest()
        return body if hmac.compare_digest(mac, want) else None

    def put(self, namespace: str, key: str, data: bytes, sign: bool = False) -> bool:
        """Store data under key (atomically); whether it was stored."""
        path = self.path(namespace, key)
        if path is None:
            return False
        if sign:
            secret = user_key()
            if secret is None:
                return False
            data = hmac.new(secret, key.encode("utf-8", "surrogateescape") + b"\0" + data,
                            hashlib.sha256).digest() + data
        try:
            _write_atomic(path, data)
        except OSError:
            return False
        return True

    # ---- pickles (always signed) -------------------------------------------------
    def get_pickle(self, namespace: str, key: str) -> Any | None:
        data = self.get(namespace, key, sign=True)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - an entry from another version: a miss
            return None

    def put_pickle(self, namespace: str, key: str, value: Any) -> bool:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: not cached
            return False
        return self.put(namespace, key, data, sign=True)


def _write_atomic(path: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def default_root(config_path: str, cwd: str) -> str:
    """`.sslint_cache` in the project root: the config file's folder, else the current
    folder (the inputs' common folder may be a system or temporary one)."""
    base = os.path.dirname(os.path.abspath(config_path)) if config_path else cwd
    return os.path.join(base, DEFAULT_DIR)
