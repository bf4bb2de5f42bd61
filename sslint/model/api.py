"""Loads and validates the API model (openssl.toml and user extensions).

The same table format serves OpenSSL's functions and a project's own wrappers
(`[tool.sslint.api]` in its config), so a new function is data, not engine code.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

HANDLE_KINDS = ("SSL", "BIO", "SSL_SESSION", "SSL_CTX")

_ARG_VERB = re.compile(
    r"-|use\??|release(-one)?|addref|escape|unpop|setbio"
    r"|consume:\d+(:[a-z]+)?|out-acquire:[A-Z_]+|out-borrow:[A-Z_]+:\d+"
)
_RET = re.compile(r"acquire:[A-Z_]+|borrow:[A-Z_]+:\d+|slot:\d+:[a-z]+|arg:\d+|status")


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class FnSpec:
    name: str
    args: tuple[str, ...]
    returns: str = ""
    check_return: bool = False
    man: str = ""
    expanded: tuple[int, ...] = ()
    marks: frozenset[str] = frozenset()  # facts recorded on the first handle argument
    attempt_marks: frozenset[str] = frozenset()  # ... recorded whatever the call returns
    result_marks: frozenset[str] = frozenset()  # facts recorded on an acquired result
    # (arg, param, owned_when): the function registers argument `arg` as a callback
    # whose parameter `param` is a reference it owns only when it returns `owned_when`.
    callback: tuple[int, ...] = ()
    # slots of the first handle argument whose objects the call frees and replaces
    # with its own (SSL_set_fd makes a new socket BIO, freeing the BIOs set before)
    replaces: tuple[str, ...] = ()

    def verb(self, i: int) -> str:
        return self.args[i] if i < len(self.args) else "-"

    def returns_parts(self) -> list[str]:
        return self.returns.split(":") if self.returns else []


def parse_table(data: dict, source: str) -> dict[str, FnSpec]:
    out: dict[str, FnSpec] = {}
    for name, entry in data.items():
        where = f"{source}: [{name}]"
        if not isinstance(entry, dict):
            raise ModelError(f"{where}: expected a table")
        unknown = set(entry) - {"args", "returns", "check_return", "man", "expanded", "marks",
                                 "attempt_marks", "result_marks", "callback",
                                 "replaces"}
        if unknown:
            raise ModelError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        args = entry.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise ModelError(f"{where}: 'args' must be a list of strings")
        for a in args:
            if not _ARG_VERB.fullmatch(a):
                raise ModelError(f"{where}: unknown argument verb {a!r}")
            _check_kind(a, where)
        ret = entry.get("returns", "")
        if not isinstance(ret, str) or (ret and not _RET.fullmatch(ret)):
            raise ModelError(f"{where}: bad 'returns' {ret!r}")
        _check_kind(ret, where)
        check = entry.get("check_return", False)
        if not isinstance(check, bool):
            raise ModelError(f"{where}: 'check_return' must be true or false")
        man = entry.get("man", "")
        if not isinstance(man, str):
            raise ModelError(f"{where}: 'man' must be a string")
        exp = entry.get("expanded", [])
        if not isinstance(exp, list) or not all(isinstance(i, int) for i in exp):
            raise ModelError(f"{where}: 'expanded' must be a list of integers")
        marks = entry.get("marks", [])
        if not isinstance(marks, list) or not all(isinstance(m, str) for m in marks):
            raise ModelError(f"{where}: 'marks' must be a list of strings")
        cb = entry.get("callback", [])
        if not isinstance(cb, list) or len(cb) not in (0, 3) or not all(
                isinstance(i, int) for i in cb):
            raise ModelError(f"{where}: 'callback' must be [arg, param, owned_when]")
        rep = entry.get("replaces", [])
        if not isinstance(rep, list) or not all(isinstance(x, str) for x in rep):
            raise ModelError(f"{where}: 'replaces' must be a list of slot names")
        extra: dict = {"callback": tuple(cb), "replaces": tuple(rep)}
        for key in ("attempt_marks", "result_marks"):
            v = entry.get(key, [])
            if not isinstance(v, list) or not all(isinstance(m, str) for m in v):
                raise ModelError(f"{where}: '{key}' must be a list of strings")
            extra[key] = frozenset(v)
        out[name] = FnSpec(name, tuple(args), ret, check, man, tuple(exp), frozenset(marks),
                           **extra)
    return out


def _check_kind(verb: str, where: str) -> None:
    for part in verb.split(":")[1:]:
        if part.isupper() and part not in HANDLE_KINDS:
            raise ModelError(f"{where}: unknown handle kind {part!r}")


@lru_cache(maxsize=1)
def builtin_model() -> dict[str, FnSpec]:
    text = resources.files("sslint.model").joinpath("openssl.toml").read_text("utf-8")
    return parse_table(tomllib.loads(text), "openssl.toml")


class ApiModel:
    """Built-in table plus user extensions (which win on a name clash)."""

    def __init__(self, extra: dict[str, FnSpec] | None = None):
        self.table = dict(builtin_model())
        if extra:
            self.table.update(extra)
        self.names = frozenset(self.table)

    def copy(self) -> "ApiModel":
        other = ApiModel.__new__(ApiModel)
        other.table = dict(self.table)
        other.names = self.names
        return other

    def add(self, spec: FnSpec) -> None:
        """A function summarised from this file's own code."""
        self.table[spec.name] = spec
        self.names = self.names | {spec.name}

    def lookup(self, name: str) -> FnSpec | None:
        return self.table.get(name)

    def lifecycle_names(self) -> frozenset[str]:
        """Functions that can start or end a tracked lifetime (or whose result must be
        checked). A function body that reaches none of them cannot produce a finding."""
        return frozenset(n for n, f in self.table.items()
                         if f.returns or f.check_return
                         or any(a not in ("-", "use", "use?") for a in f.args))


# Unlisted OpenSSL functions follow the library's naming rules (openssl-threads(7)):
# "set0"/"add0"/"push" hand the reference over; anything else only borrows it.
_OPENSSL_PREFIX = re.compile(
    r"^(SSL|SSL_CTX|SSL_SESSION|BIO|OSSL|OPENSSL|X509|EVP|PEM|d2i|i2d|i2a|a2i|ASN1|BN|"
    r"CRYPTO|ERR|OCSP|PKCS7|PKCS12|SMIME|CMS|TS|RSA|DSA|DH|EC|ECDSA|HMAC|OBJ|RAND|"
    r"ENGINE|UI|CONF|NCONF|CT|SCT|DTLS|TLS|SRP|UTF8)_")
_TAKES_OWNERSHIP = re.compile(r"(^|_)(set0|add0|push0|push|own)(_|$)")
_RETURNS_NEW = re.compile(r"(_new|_dup|get1|^d2i_|^PEM_read_)")


def is_openssl_name(name: str) -> bool:
    return bool(_OPENSSL_PREFIX.match(name))


def guess_openssl_verb(name: str) -> str | None:
    """For an OpenSSL-looking function not in the table: 'use?' or 'escape', else None."""
    if not _OPENSSL_PREFIX.match(name):
        return None
    return "escape" if _TAKES_OWNERSHIP.search(name) else "use?"


def guess_openssl_result(name: str) -> str:
    """For an unlisted OpenSSL function returning a tracked handle: 'acquire' when its
    name says it makes a new reference (_new, _dup, get1, d2i_, PEM_read_), else ''."""
    if _OPENSSL_PREFIX.match(name) and _RETURNS_NEW.search(name):
        return "acquire"
    return ""
