"""The default table: every OpenSSL function that takes or returns a tracked handle,
classified by OpenSSL's naming conventions (the get0/get1/set0/set1 pages,
openssl-threads(7)). tools/gen_api.py feeds it the declarations libclang reads from
the installed headers and writes openssl_generated.toml; the hand-checked entries
of openssl.toml win over it.

Conservative on purpose: a generated entry never says a handle must not be NULL
(`use?`, never `use`: only a page or OpenSSL's code can say that, so only the hand
table does), hands a reference over only where the name says so (set0/add0/push)
and then only as `escape` (no finding can come of it), and tracks a result only
where the name says whose it is (new/dup/get1/d2i/PEM_read: the caller's; get0:
borrowed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sslint.model.kinds import Kinds

_NEW = re.compile(r"(_new(_|$)|_dup$|(^|_)get1(_|$)|^d2i_|^PEM_read_)")
_READS = re.compile(r"^(d2i_|PEM_read_)")
_GET0 = re.compile(r"(^|_)get0(_|$)")
_HANDS_OVER = re.compile(r"(^|_)(set0|add0|push0|push|own)(_|$)")
# Argument-returning checks of OpenSSL 3's safestack.h (sk_X509_push(sk, x) passes
# ossl_check_X509_type(x)): the value passes through unchanged.
_CHECK = re.compile(r"^ossl_check_(const_)?\w+_(sk_)?type$")


@dataclass(frozen=True)
class Proto:
    """A declaration as the generator needs it (see sslint.frontend.apigen.Decl)."""

    name: str
    params: tuple[str, ...]  # per parameter: kind, "&KIND" (KIND **), or ""
    result: str


def classify(p: Proto, kinds: Kinds) -> dict:
    """The table entry for one function, as TOML-ready data."""
    tracked = [i for i, k in enumerate(p.params) if k and not k.startswith("&")]
    entry: dict = {}
    if _CHECK.match(p.name) and p.result and tracked == [0]:
        entry["args"] = ["peek"]
        entry["returns"] = "arg:0"
        entry["kinds"] = [p.params[0]]
        return entry
    args = []
    reader = p.result and _READS.match(p.name)
    for i, k in enumerate(p.params):
        if reader and k == "&" + p.result:
            args.append("out-result")  # d2i_X509(&x, ...): *x is the result too
        elif not k or k.startswith("&"):
            args.append("-")
        elif i == 0 and len(p.params) == 1 and _own_function(p.name, k, "_free", kinds):
            args.append("release")
        elif i == 0 and len(p.params) == 1 and _own_function(p.name, k, "_up_ref", kinds):
            args.append("addref")
            entry["check_return"] = True
            entry["tags"] = ["rarely-fails"]
        elif _HANDS_OVER.search(p.name) and tracked and i != tracked[0]:
            args.append("escape")  # handed to the first handle argument
        else:
            args.append("use?")
    entry["args"] = args
    if p.result:
        if _NEW.search(p.name):
            entry["returns"] = f"acquire:{p.result}"
            if "get1" in p.name:
                entry["result_marks"] = ["existing"]
        elif _GET0.search(p.name):
            entry["returns"] = f"borrow:{p.result}:{tracked[0] if tracked else 0}"
    if any(p.params):
        entry["kinds"] = [k.lstrip("&") if k and not k.startswith("&") else ""
                          for k in p.params]
    return entry


def _own_function(name: str, kind: str, suffix: str, kinds: Kinds) -> bool:
    """X509_free for an X509, ASN1_TIME_free for an ASN1_STRING (one of its typedefs)."""
    if not name.endswith(suffix):
        return False
    k = kinds.get(kind)
    return k is not None and name[: -len(suffix)] in (kind, *k.types)


def to_toml(entries: dict[str, dict], header: str) -> str:
    out = [header.rstrip() + "\n"]
    for name in sorted(entries):
        e = entries[name]
        lines = [f"[{name}]"]
        for key in ("args", "returns", "kinds", "check_return", "result_marks", "tags"):
            if key not in e:
                continue
            v = e[key]
            if isinstance(v, bool):
                lines.append(f"{key} = {'true' if v else 'false'}")
            elif isinstance(v, list):
                lines.append(f"{key} = [" + ", ".join(f'"{x}"' for x in v) + "]")
            else:
                lines.append(f'{key} = "{v}"')
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)
