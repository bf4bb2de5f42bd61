"""OpenSSL's naming conventions (openssl-threads(7), the get0/get1/set0/set1 pages),
read from the `[naming]` section of the API table: how sslint treats a function that
looks like OpenSSL's but is not in the table."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sslint.model.kinds import ModelError


@dataclass(frozen=True)
class Naming:
    prefix: re.Pattern[str] = re.compile(r"(?!)")
    takes_ownership: re.Pattern[str] = re.compile(r"(?!)")
    returns_new: re.Pattern[str] = re.compile(r"(?!)")
    # What OpenSSL's function-like macros expand to (BIO_get_ssl is a BIO_ctrl call):
    # a call to one of these is known by the macro's name spelled at the call.
    macro_targets: frozenset[str] = frozenset()

    def is_openssl(self, name: str) -> bool:
        return bool(self.prefix.match(name))

    def guess_verb(self, name: str) -> str | None:
        """For an OpenSSL-looking function not in the table: 'use?' or 'escape' (set0,
        add0, push: the reference is handed over), else None."""
        if not self.prefix.match(name):
            return None
        return "escape" if self.takes_ownership.search(name) else "use?"

    def guess_result(self, name: str) -> str:
        """'acquire' when an unlisted OpenSSL function's name says it makes a new
        reference (_new, _dup, get1, d2i_, PEM_read_), else ''."""
        if self.prefix.match(name) and self.returns_new.search(name):
            return "acquire"
        return ""


def parse_naming(data: dict, source: str) -> Naming:
    where = f"{source}: [naming]"
    unknown = set(data) - {"prefixes", "takes_ownership", "returns_new", "macro_targets"}
    if unknown:
        raise ModelError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    prefixes = data.get("prefixes", [])
    if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
        raise ModelError(f"{where}: 'prefixes' must be a list of strings")
    targets = data.get("macro_targets", [])
    if not isinstance(targets, list) or not all(isinstance(p, str) for p in targets):
        raise ModelError(f"{where}: 'macro_targets' must be a list of strings")
    try:
        return Naming(
            re.compile(r"^(" + "|".join(re.escape(p) for p in prefixes) + r")_")
            if prefixes else Naming.prefix,
            re.compile(data.get("takes_ownership", r"(?!)")),
            re.compile(data.get("returns_new", r"(?!)")), frozenset(targets))
    except re.error as exc:
        raise ModelError(f"{where}: bad pattern: {exc}") from None
