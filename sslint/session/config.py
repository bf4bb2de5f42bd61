"""Project configuration: `[tool.sslint]` in pyproject.toml, or sslint.toml / .sslint.toml.

Found like ruff finds its own: walk up from each analysed path; in every folder
`.sslint.toml`, then `sslint.toml`, then a pyproject.toml that has a `[tool.sslint]`
table; the first file found wins. The file may come from the pull request being
checked, so it is data only: clang arguments go through the same sanitizer as a
compilation database, and API entries through the built-in table's validator.
"""
from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sslint.frontend.compdb import sanitize_args
from sslint.frontend.sources import printable_path
from sslint.model.api import FnSpec, ModelError, parse_table
from sslint.core.rule import LEVELS, LoadedRule, unknown_selectors

CONFIG_NAMES = (".sslint.toml", "sslint.toml", "pyproject.toml")
KEYS = ("select", "ignore", "per-file-ignores", "severity", "extra-args", "api", "cache-dir")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConfigError(Exception):
    """A config file sslint cannot use; the message is one line naming file and key."""


@dataclass(frozen=True)
class Config:
    path: str = ""                             # "" when no file was used
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, selectors)
    severity: tuple[tuple[str, str], ...] = ()  # (selector, level)
    extra_args: tuple[str, ...] = ()           # sanitized clang arguments
    api: tuple[tuple[str, FnSpec], ...] = ()
    cache_dir: str = ""                        # absolute; "" for the default
    warnings: tuple[str, ...] = field(default=(), compare=False)  # dropped clang args etc.

    @property
    def folder(self) -> str:
        """Where per-file-ignores globs and relative include paths start from."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()


def shown(path: str) -> str:
    """A config path as messages name it: relative to the current folder when below it."""
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown(path)}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{shown(path)}: cannot read ({exc.strerror or exc})") from None


def _sslint_table(path: str) -> tuple[dict, str] | None:
    """The sslint settings of a config file and the prefix its keys are named with;
    None for a pyproject.toml without [tool.sslint]."""
    data = _read_toml(path)
    if os.path.basename(path) != "pyproject.toml":
        return data, ""
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "sslint" not in tool:
        return None
    if not isinstance(tool["sslint"], dict):
        raise ConfigError(f"{shown(path)}: 'tool.sslint' must be a table")
    return tool["sslint"], "tool.sslint."


def find_config(start_points: Iterable[str]) -> str | None:
    """The first config file above (or in) the first start point that has one."""
    for start in start_points:
        folder = os.path.abspath(start)
        if not os.path.isdir(folder):
            folder = os.path.dirname(folder)
        while True:
            for name in CONFIG_NAMES:
                candidate = os.path.join(folder, name)
                if os.path.isfile(candidate) and (
                        name != "pyproject.toml" or _sslint_table(candidate) is not None):
                    return candidate
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return None


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _selectors(value: object, where: str) -> tuple[str, ...]:
    ids = _strings(value, where)
    bad = unknown_selectors(ids)
    if bad:
        raise ConfigError(f"{where}: unknown rule selector(s) {', '.join(bad)}")
    return ids


def _table(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    return value


def load_config(path: str) -> Config:
    """Read and check one config file; any problem raises ConfigError."""
    found = _sslint_table(path)
    if found is None:  # an explicit --config pyproject.toml without [tool.sslint]
        return Config(path=path)
    data, prefix = found
    name = printable_path(shown(path))

    def where(key: str) -> str:
        # Keys come from the file, which may come from a stranger: no terminal escapes.
        return f"{name}: '{prefix}{printable_path(key)}'"

    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where(key)}: unknown key{hint}; known keys: {', '.join(KEYS)}")

    folder = os.path.dirname(os.path.abspath(path))
    select = _selectors(data["select"], where("select")) if "select" in data else ()
    ignore = _selectors(data["ignore"], where("ignore")) if "ignore" in data else ()

    per_file = []
    for glob, ids in _table(data.get("per-file-ignores", {}), where("per-file-ignores")).items():
        per_file.append((glob, _selectors(ids, where(f"per-file-ignores.{glob}"))))

    severity = []
    for sel, level in _table(data.get("severity", {}), where("severity")).items():
        key = where(f"severity.{sel}")
        _selectors([sel], key)
        if level not in LEVELS:
            raise ConfigError(f"{key} must be one of {', '.join(LEVELS)}, not {level!r}")
        severity.append((sel, level))

    raw_args = _strings(data.get("extra-args", []), where("extra-args"))
    extra_args, dropped = sanitize_args(raw_args, folder, folder)
    warnings = tuple(f"{where('extra-args')}: {w}" for w in dropped)

    api: dict[str, FnSpec] = {}
    for fn, entry in _table(data.get("api", {}), where("api")).items():
        key = where(f"api.{fn}")
        if not _C_IDENTIFIER.fullmatch(fn):
            raise ConfigError(f"{key}: not a C function name")
        try:
            api.update(parse_table({fn: entry}, "api"))
        except ModelError as exc:  # "api: [fn]: what is wrong" -> name the key instead
            raise ConfigError(f"{key}: {str(exc).removeprefix(f'api: [{fn}]: ')}") from None

    cache_dir = ""
    if "cache-dir" in data:
        value = data["cache-dir"]
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where('cache-dir')} must be a non-empty string")
        cache_dir = os.path.join(folder, os.path.expanduser(value))

    return Config(path, select, ignore, tuple(per_file), tuple(severity), tuple(extra_args),
                  tuple(sorted(api.items())), cache_dir, warnings)


def resolve(start_points: Sequence[str], explicit: str | None, isolated: bool) -> Config:
    """The Config for this run: --config FILE, else the discovered file, else defaults."""
    if isolated:
        return Config()
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such config file")
        return load_config(explicit)
    path = find_config(start_points)
    return load_config(path) if path else Config()


# ---- applying the settings -------------------------------------------------------------

def rule_matches(rule_id: str, name: str, selectors: Iterable[str]) -> bool:
    """Whether a rule is named by any of the selectors (id, id prefix or name)."""
    return any(rule_id.startswith(s.upper()) or name == s for s in selectors)


def enabled_rules(rules: Sequence[LoadedRule], layers: Sequence[tuple[Sequence[str], Sequence[str]]]
                  ) -> list[LoadedRule]:
    """ruff's layering: each (select, ignore) layer, config first and the command line
    last; a layer's `select` replaces the set so far, its `ignore` removes from it."""
    chosen = list(rules)
    for select, ignore in layers:
        if select:
            chosen = [r for r in rules if rule_matches(r.rule.id, r.rule.name, select)]
        chosen = [r for r in chosen if not rule_matches(r.rule.id, r.rule.name, ignore)]
    return chosen


def level_override(config: Config, rule_id: str, name: str) -> str | None:
    """The configured level for a rule: the most specific (longest) matching selector."""
    best: tuple[int, str] | None = None
    for sel, level in config.severity:
        if rule_matches(rule_id, name, [sel]):
            weight = 99 if sel == name or sel.upper() == rule_id else len(sel)
            if best is None or weight >= best[0]:
                best = (weight, level)
    return best[1] if best else None


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: `**` spans folders, `*` and `?` stay inside one, `[...]`
    is a character class. Patterns without a slash match the file name anywhere."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    if "/" not in pattern:
        body = "(?:.*/)?" + body
    return re.compile(body)


def ignored_in_file(config: Config, path: str) -> tuple[str, ...]:
    """The selectors per-file-ignores switches off for path."""
    if not config.per_file_ignores:
        return ()
    rel = os.path.relpath(os.path.abspath(path), config.folder).replace(os.sep, "/")
    if rel.startswith("../"):
        return ()
    out: list[str] = []
    for glob, ids in config.per_file_ignores:
        pattern = glob[2:] if glob.startswith("./") else glob.lstrip("/")
        if glob_regex(pattern).fullmatch(rel):
            out += ids
    return tuple(out)
