"""Loads and validates the API model (openssl.toml and user extensions).

The same table format serves OpenSSL's functions and a project's own wrappers
(`[tool.sslint.api]` in its config), so a new function is data, not engine code.
Verbs are parsed once, here, into ArgVerb/Returns records the engine dispatches on.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from sslint.core.findings import Loc
from sslint.model.kinds import HandleKind, Kinds, ModelError, parse_kinds
from sslint.model.naming import Naming, parse_naming

__all__ = ["ApiModel", "ArgVerb", "FieldEffect", "FnSpec", "HandleKind", "Kinds", "ModelError",
           "Returns", "builtin_kinds", "is_lifecycle", "parse_table", "table_entry"]

_KIND = r"[A-Z_0-9]+(\([A-Z_0-9]+\))?"  # SSL, X509, STACK_OF(X509)
_ARG_VERB = re.compile(
    r"-|use[?!]?|peek|release(-one)?|addref|escape|unpop|setbio|out-result"
    rf"|consume:\d+(:[a-z]+)?|out-acquire:{_KIND}|out-borrow:{_KIND}:\d+"
)
_RET = re.compile(rf"acquire:{_KIND}|borrow:{_KIND}(:\d+)?|slot:\d+:[a-z]+|arg:\d+(:\d+)?"
                  r"|truth:\d+|not:\d+|cmp:(==|!=|<=|>=|<|>):\d+:\d+|detached|status")


@dataclass(frozen=True)
class ArgVerb:
    """What a call does to one argument. op is the verb's name ("use", "consume", ...);
    kind the handle kind of the argument (of the written object for out-*), when known."""

    op: str
    kind: str = ""
    target: int = -1  # consume: the argument that takes it; out-borrow: the lender
    slot: str = ""    # consume:N:SLOT

    @staticmethod
    def parse(text: str) -> "ArgVerb":
        parts = text.split(":")
        op = parts[0]
        if op == "consume":
            return ArgVerb(op, target=int(parts[1]), slot=parts[2] if len(parts) > 2 else "")
        if op == "out-acquire":
            return ArgVerb(op, kind=parts[1])
        if op == "out-borrow":
            return ArgVerb(op, kind=parts[1], target=int(parts[2]))
        return ArgVerb(op)


NO_VERB = ArgVerb("-")


@dataclass(frozen=True)
class Returns:
    """What a call returns: op is "" (nothing tracked), acquire, borrow, slot, arg,
    detached (what an unpop argument let go of), truth / not (whether argument N is
    non-zero / zero: test helpers), status."""

    op: str = ""
    kind: str = ""
    index: int = -1  # borrow: the lender; slot: the owner; arg: the argument returned
    slot: str = ""
    otherwise: int = -1  # arg:N:M: argument M is returned when N is NULL; cmp: the 2nd operand
    operator: str = ""   # cmp:OP:N:M: the comparison

    @staticmethod
    def parse(text: str) -> "Returns":
        if not text:
            return Returns()
        parts = text.split(":")
        op = parts[0]
        if op == "acquire":
            return Returns(op, parts[1])
        if op == "borrow":  # borrow:KIND[:LENDER]
            return Returns(op, parts[1], int(parts[2]) if len(parts) > 2 else -1)
        if op == "slot":
            return Returns(op, index=int(parts[1]), slot=parts[2])
        if op in ("truth", "not"):
            return Returns(op, index=int(parts[1]))
        if op == "cmp":  # cmp:OP:N:M
            return Returns(op, index=int(parts[2]), otherwise=int(parts[3]), operator=parts[1])
        if op == "arg":
            return Returns(op, index=int(parts[1]),
                           otherwise=int(parts[2]) if len(parts) > 2 else -1)
        return Returns(op)


_FIELD = re.compile(r"(\d+)->(\w+(?:\.\w+)*):(release|release-clear|use|forget|store-ret|store|"
                    r"set-null)"
                    r"(?::([A-Z_0-9()]+))?(?:@(0|nz))?")


@dataclass(frozen=True)
class FieldEffect:
    """What a call does to a handle stored in a field below a struct-pointer argument
    (`conn_fail(c)` frees `c->ssl` and leaves the pointer dangling): release (the field
    still points to the freed object), release-clear (freed and set to NULL), use, store
    (a new reference the struct now holds), store-ret (that, and the call returns the same
    object: `c->tls = ssl; return ssl;`), set-null, or forget (written with something
    else: the caller knows nothing more of it). `@0` / `@nz`: only when the call returns
    zero or NULL / non-zero or a pointer that is not NULL. Spelled
    `ARG->FIELD[.FIELD...]:EFFECT[:KIND][@0|@nz]` in the table, e.g.
    "0->ssl:release:SSL", "0->ssl:store:SSL@0"."""

    arg: int
    path: str
    op: str
    kind: str = ""
    where: Loc | None = field(default=None, compare=False)  # inside the callee (summaries)
    record: str = field(default="", compare=False)  # the field's struct type (summaries)
    when: str = ""  # "": always; "0" / "nz": only when the call returns 0 or NULL / not

    @staticmethod
    def parse(text: str) -> "FieldEffect":
        m = _FIELD.fullmatch(text)
        if m is None:
            raise ValueError(text)
        return FieldEffect(int(m.group(1)), m.group(2), m.group(3), m.group(4) or "",
                           when=m.group(5) or "")

    def spell(self) -> str:
        return (f"{self.arg}->{self.path}:{self.op}" + (f":{self.kind}" if self.kind else "")
                + (f"@{self.when}" if self.when else ""))


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
    kinds: tuple[str, ...] = ()   # per argument, where the C type may not say ("" unknown)
    # consume verbs apply only when this argument is a non-zero constant (BIO_CLOSE);
    # when it is zero the handle is only used, when unknown it escapes.
    consume_if: int = -1
    never_null: bool = False  # an acquired result is never NULL (it exits on failure)
    noreturn: bool = False  # the function never returns to its caller
    # "N:SLOT": the call takes its own reference on what argument N holds in SLOT
    shares: tuple[str, ...] = ()
    tags: frozenset[str] = frozenset()  # what a call means to advisory rules ("recycle")
    fields: tuple[FieldEffect, ...] = ()  # effects on handles in its arguments' fields
    static: bool = False  # a summary of a function only its own file can call
    # OpenSSL versions the entry holds for: since <= version < until (() = unbounded)
    since: tuple[int, ...] = ()
    until: tuple[int, ...] = ()
    # Parsed forms of args/returns (filled in by __post_init__; kinds by ApiModel).
    verbs: tuple[ArgVerb, ...] = field(default=(), compare=False)
    result: Returns = field(default=Returns(), compare=False)

    def __post_init__(self) -> None:
        if not self.verbs:
            object.__setattr__(self, "verbs", tuple(ArgVerb.parse(a) for a in self.args))
        if self.returns and not self.result.op:
            object.__setattr__(self, "result", Returns.parse(self.returns))

    @property
    def args_ops(self) -> frozenset[str]:
        """The verbs' names ("consume", "use"...)."""
        return frozenset(a.split(":", 1)[0] for a in self.args)

    def verb(self, i: int) -> ArgVerb:
        return self.verbs[i] if i < len(self.verbs) else NO_VERB

    def valid_for(self, version: tuple[int, ...] | None) -> bool:
        """Whether the entry holds for these OpenSSL headers (None: unknown, all do)."""
        if version is None:
            return True
        return (not self.since or version >= self.since) and (
            not self.until or version < self.until)


_KEYS = {"args", "returns", "check_return", "man", "expanded", "marks", "attempt_marks",
         "result_marks", "callback", "replaces", "kinds", "tags", "consume_if",
         "never_null", "noreturn", "shares", "fields", "since", "until"}


def table_entry(spec: FnSpec) -> dict:
    """The spec as a table entry (the keys `[api.NAME]` takes), defaults left out:
    parse_table() reads it back to an equal spec."""
    out: dict = {}
    if spec.args:
        out["args"] = list(spec.args)
    if spec.returns:
        out["returns"] = spec.returns
    for key in ("marks", "attempt_marks", "result_marks", "tags"):
        if getattr(spec, key):
            out[key] = sorted(getattr(spec, key))
    for key in ("check_return", "never_null", "noreturn"):
        if getattr(spec, key):
            out[key] = True
    for key in ("expanded", "callback", "replaces", "shares"):
        if getattr(spec, key):
            out[key] = list(getattr(spec, key))
    if any(spec.kinds):
        out["kinds"] = list(spec.kinds)
    if spec.consume_if >= 0:
        out["consume_if"] = spec.consume_if
    if spec.fields:
        out["fields"] = [f.spell() for f in spec.fields]
    for key in ("since", "until"):
        if getattr(spec, key):
            out[key] = version_text(getattr(spec, key))
    if spec.man:
        out["man"] = spec.man
    return out


def parse_table(data: dict, source: str, kinds: Kinds | None = None) -> dict[str, FnSpec]:
    """Function entries; every handle kind they name must be one of `kinds` (default:
    the built-in table's)."""
    known = kinds if kinds is not None else builtin_kinds()
    out: dict[str, FnSpec] = {}
    for name, entry in data.items():
        where = f"{source}: [{name}]"
        spec = _parse_entry(name, entry, where)
        for k in [v.kind for v in spec.verbs] + [spec.result.kind] + list(spec.kinds) \
                + [f.kind for f in spec.fields]:
            if k and k not in known:
                raise ModelError(f"{where}: unknown handle kind {k!r}")
        out[name] = spec
    return out


def _strings(entry: dict, key: str, where: str) -> list[str]:
    v = entry.get(key, [])
    if not isinstance(v, list) or not all(isinstance(m, str) for m in v):
        raise ModelError(f"{where}: '{key}' must be a list of strings")
    return v


def _parse_entry(name: str, entry: object, where: str) -> FnSpec:
    if not isinstance(entry, dict):
        raise ModelError(f"{where}: expected a table")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ModelError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    args = entry.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ModelError(f"{where}: 'args' must be a list of strings")
    for a in args:
        if not _ARG_VERB.fullmatch(a):
            raise ModelError(f"{where}: unknown argument verb {a!r}")
    ret = entry.get("returns", "")
    if not isinstance(ret, str) or (ret and not _RET.fullmatch(ret)):
        raise ModelError(f"{where}: bad 'returns' {ret!r}")
    check = entry.get("check_return", False)
    if not isinstance(check, bool):
        raise ModelError(f"{where}: 'check_return' must be true or false")
    man = entry.get("man", "")
    if not isinstance(man, str):
        raise ModelError(f"{where}: 'man' must be a string")
    exp = entry.get("expanded", [])
    if not isinstance(exp, list) or not all(isinstance(i, int) for i in exp):
        raise ModelError(f"{where}: 'expanded' must be a list of integers")
    marks = _strings(entry, "marks", where)
    cb = entry.get("callback", [])
    if not isinstance(cb, list) or len(cb) not in (0, 3) or not all(
            isinstance(i, int) for i in cb):
        raise ModelError(f"{where}: 'callback' must be [arg, param, owned_when]")
    shares = _strings(entry, "shares", where)
    if not all(re.fullmatch(r"\d+:[a-z]+", x) for x in shares):
        raise ModelError(f"{where}: 'shares' entries must be ARG:SLOT")
    never_null = entry.get("never_null", False)
    noreturn = entry.get("noreturn", False)
    if not isinstance(never_null, bool) or not isinstance(noreturn, bool):
        raise ModelError(f"{where}: 'never_null' and 'noreturn' must be true or false")
    cond = entry.get("consume_if", -1)
    if not isinstance(cond, int) or isinstance(cond, bool):
        raise ModelError(f"{where}: 'consume_if' must be an argument index")
    fields = []
    for text in _strings(entry, "fields", where):
        try:
            fields.append(FieldEffect.parse(text))
        except ValueError:
            raise ModelError(f"{where}: bad field effect {text!r} (ARG->FIELD:EFFECT[:KIND]"
                             "[@0|@nz], EFFECT one of release, release-clear, use, store, "
                             "store-ret, set-null, forget)") from None
        if fields[-1].op in ("release", "release-clear", "use", "store", "store-ret") \
                and not fields[-1].kind:
            raise ModelError(f"{where}: field effect {text!r} needs the handle kind")
    since, until = (_version(entry.get(k, ""), k, where) for k in ("since", "until"))
    rep = entry.get("replaces", [])
    if not isinstance(rep, list) or not all(isinstance(x, str) for x in rep):
        raise ModelError(f"{where}: 'replaces' must be a list of slot names")
    return FnSpec(name, tuple(args), ret, check, man, tuple(exp), frozenset(marks),
                  attempt_marks=frozenset(_strings(entry, "attempt_marks", where)),
                  result_marks=frozenset(_strings(entry, "result_marks", where)),
                  callback=tuple(cb), replaces=tuple(rep),
                  kinds=tuple(_strings(entry, "kinds", where)),
                  tags=frozenset(_strings(entry, "tags", where)), consume_if=cond,
                  never_null=never_null, noreturn=noreturn, shares=tuple(shares),
                  fields=tuple(fields), since=since, until=until)


def _version(text: object, key: str, where: str) -> tuple[int, ...]:
    if text == "":
        return ()
    if not isinstance(text, str) or not re.fullmatch(r"\d+(\.\d+){0,2}", text):
        raise ModelError(f"{where}: '{key}' must be a version such as \"3.0\"")
    return tuple(int(x) for x in text.split("."))


def version_text(v: tuple[int, ...]) -> str:
    return ".".join(map(str, v))


def resolve(spec: FnSpec, kinds: Kinds, where: str = "") -> FnSpec:
    """The spec with every handle kind it names checked and each argument's kind
    filled in: the entry's own `kinds`, else the slot a consume fills, else the kind
    whose function-name prefix the function has."""
    where = where or f"[{spec.name}]"
    by_prefix = kinds.for_function(spec.name)
    arg_kinds = [spec.kinds[i] if i < len(spec.kinds) and spec.kinds[i] else by_prefix
                 for i in range(len(spec.verbs))]
    verbs = []
    for i, v in enumerate(spec.verbs):
        if v.op.startswith("out-"):
            verbs.append(v)
            continue
        kind = arg_kinds[i]
        if v.op == "consume" and v.slot and not (i < len(spec.kinds) and spec.kinds[i]):
            owner = arg_kinds[v.target] if v.target < len(arg_kinds) else ""
            kind = kinds.slot_kind(owner, v.slot) or kind
        verbs.append(replace(v, kind=kind) if v.op != "-" else v)
    result = spec.result
    if result.op == "slot":
        owner = arg_kinds[result.index] if result.index < len(arg_kinds) else ""
        held = kinds.slot_kind(owner, result.slot) or kinds.any_slot_kind(result.slot)
        if not held:
            raise ModelError(f"{where}: no handle kind has a slot {result.slot!r}")
        result = replace(result, kind=held)
    return replace(spec, verbs=tuple(verbs), result=result)


def _table_text() -> dict:
    text = resources.files("sslint.model").joinpath("openssl.toml").read_text("utf-8")
    return tomllib.loads(text)


def _generated_text() -> dict:
    """The default table tools/gen_api.py wrote from OpenSSL's headers."""
    res = resources.files("sslint.model").joinpath("openssl_generated.toml")
    return tomllib.loads(res.read_text("utf-8")) if res.is_file() else {}


@lru_cache(maxsize=1)
def _generated() -> tuple[str, dict]:
    data = dict(_generated_text())
    origin = data.pop("generated_from", "")
    return str(origin), data


def hand_table_names() -> frozenset[str]:
    """Functions of the hand-checked table (openssl.toml)."""
    _builtin()
    return _HAND


def generated_names() -> frozenset[str]:
    """Functions whose entry comes from the generated default table."""
    _builtin()
    return _GEN


def generated_from() -> str:
    """The OpenSSL version whose headers the generated table was made from."""
    return _generated()[0]


_HAND: frozenset[str] = frozenset()
_GEN: frozenset[str] = frozenset()
_BUILT: tuple[Kinds, Naming, dict[str, FnSpec]] | None = None


def _builtin() -> tuple[Kinds, Naming, dict[str, FnSpec]]:
    global _BUILT
    if _BUILT is None:
        _BUILT = _build()
    return _BUILT


def is_built() -> bool:
    """Whether this process has the built-in model (built or installed)."""
    return _BUILT is not None


def forget_builtin() -> None:
    """Build the built-in model again when next used (tests that change its tables)."""
    global _BUILT
    _BUILT = None


def builtin_snapshot() -> tuple:
    """The built-in model and what building it recorded, for install_builtin in
    another process (sslint.session.results keeps it in the cache folder)."""
    return (*_builtin(), _HAND, _GEN, dict(_FALLBACK))


def install_builtin(snapshot: tuple) -> None:
    """Use a builtin_snapshot() of the same code and tables instead of building."""
    global _BUILT, _HAND, _GEN
    kinds, naming, table, hand, gen, fallback = snapshot
    _BUILT, _HAND, _GEN = (kinds, naming, table), hand, gen
    _FALLBACK.clear()
    _FALLBACK.update(fallback)


def _build() -> tuple[Kinds, Naming, dict[str, FnSpec]]:
    global _HAND, _GEN
    data = dict(_table_text())
    kinds = Kinds(parse_kinds(data.pop("handles", {}), "openssl.toml"))
    naming = parse_naming(data.pop("naming", {}), "openssl.toml")
    fallback = data.pop("fallback_types", {})
    if not isinstance(fallback, dict) or not all(isinstance(v, str) for v in fallback.values()):
        raise ModelError("openssl.toml: [fallback_types] must map type names to struct tags")
    _FALLBACK.clear()
    _FALLBACK.update(fallback)
    hand = {name: resolve(spec, kinds, f"openssl.toml: [{name}]")
            for name, spec in parse_table(data, "openssl.toml", kinds).items()}
    gen = {name: resolve(spec, kinds, f"openssl_generated.toml: [{name}]")
           for name, spec in parse_table(_generated()[1], "openssl_generated.toml",
                                         kinds).items() if name not in hand}
    _HAND, _GEN = frozenset(hand), frozenset(gen)
    return kinds, naming, _shared({**gen, **hand})


def _shared(table: dict[str, FnSpec]) -> dict[str, FnSpec]:
    """The table with equal verbs, results and argument lists as one object each
    (5,300 verbs are 105 distinct ones): the pickled model (sslint.session.results)
    is a third smaller and loads a quarter faster."""
    memo: dict = {}

    def one(x):
        return memo.setdefault(x, x)

    return {n: replace(f, args=one(f.args), kinds=one(f.kinds), result=one(f.result),
                       verbs=one(tuple(one(v) for v in f.verbs)))
            for n, f in table.items()}


_FALLBACK: dict[str, str] = {}


def builtin_kinds() -> Kinds:
    return _builtin()[0]


def builtin_naming() -> Naming:
    return _builtin()[1]


def builtin_fallback_types() -> dict[str, str]:
    """Opaque OpenSSL types (besides the handle kinds) to declare when its headers
    are missing: typedef name -> struct tag."""
    _builtin()
    return dict(_FALLBACK)


def is_lifecycle(f: FnSpec) -> bool:
    """Whether a call of f can start or end a tracked lifetime, must have its result
    checked, or leaves a mark advisory rules read. A handle that only escapes into
    the call cannot make a finding by itself."""
    return bool((f.returns and f.result.op not in ("truth", "not", "cmp"))
                or f.check_return or f.marks or f.attempt_marks
                or any(e.op.startswith(("release", "store")) for e in f.fields)
                or any(a not in ("-", "use", "use?", "use!", "peek", "escape") for a in f.args))


# Name sets the prefilter and the engine read from the whole table, by what
# qualifies an entry.
_NAME_SETS = {
    "lifecycle": is_lifecycle,
    "noreturn": lambda f: f.noreturn,
    "registrar": lambda f: bool(f.callback),
}


class ApiModel:
    """Built-in table plus user extensions (which win on a name clash)."""

    def __init__(self, extra: dict[str, FnSpec] | None = None,
                 program: dict[str, FnSpec] | None = None):
        """`program`: summaries of functions other files define (the whole-program
        pass); the table and the user's entries win over them."""
        self.kinds, self.naming, table = _builtin()
        self.table = dict(table)
        for name, spec in (program or {}).items():
            if name not in table:
                self.table[name] = resolve(spec, self.kinds, f"summary: [{name}]")
        for name, spec in (extra or {}).items():
            self.table[name] = resolve(spec, self.kinds, f"api: [{name}]")
        self.names = frozenset(self.table)
        # What the lowering may read (frontend.lower): never a summary's name, so that
        # one IR serves every round of the whole-program pass.
        self.fixed_names = frozenset(table) | frozenset(extra or ())
        self.attempts = frozenset(m for f in table.values() for m in f.attempt_marks)
        self._sets: dict[str, frozenset[str]] = {}  # _NAME_SETS, computed when first asked
        self._words: dict[str, frozenset[bytes]] = {}  # the same, encoded (prefilter)
        self._registrars: tuple[str, ...] | None = None
        self._table_lifecycle: frozenset[str] | None = None
        self._versions: dict[tuple[int, ...], ApiModel] = {}

    def for_version(self, version: tuple[int, ...] | None) -> "ApiModel":
        """The model for code built against these OpenSSL headers: entries whose
        since/until exclude the version are dropped (the naming rules take over)."""
        if version is None:
            return self
        hit = self._versions.get(version)
        if hit is None:
            gone = [n for n, f in self.table.items() if not f.valid_for(version)]
            hit = self
            if gone:
                hit = self.copy()
                for n in gone:
                    del hit.table[n]
                hit.names = frozenset(hit.table)
                hit.fixed_names = hit.fixed_names - frozenset(gone)
                hit._sets, hit._words, hit._registrars = {}, {}, None
                hit._table_lifecycle = None
            self._versions[version] = hit
        return hit

    def copy(self) -> "ApiModel":
        other = ApiModel.__new__(ApiModel)
        other.kinds, other.naming = self.kinds, self.naming
        other.table = dict(self.table)
        other.names = self.names
        other.fixed_names = self.fixed_names
        other.attempts = self.attempts
        for which in _NAME_SETS:  # made once here, not once per copy (one per file)
            self.words(which)
        other._sets, other._words = dict(self._sets), dict(self._words)
        other._registrars = self._registrars
        other._table_lifecycle = self.table_lifecycle_names()
        other._versions = {}
        return other

    def add(self, spec: FnSpec) -> None:
        """A function summarised from this file's own code."""
        name = spec.name
        spec = self.table[name] = resolve(spec, self.kinds)
        if self._all_names is not None and name not in self._all_names:
            self._all_names = None  # made again when read: a file adds many summaries
        # The name sets change by this entry at most (not the whole table again; most
        # summaries change none of them).
        for which, got in list(self._sets.items()):
            if (name in got) != _NAME_SETS[which](spec):
                self._sets[which] = got ^ {name}
                words = self._words.get(which)
                if words is not None:  # (encoding the whole set again cost more)
                    self._words[which] = words ^ {name.encode()}
                if which == "registrar":
                    self._registrars = None

    @property
    def names(self) -> frozenset[str]:
        """Every function the model has an entry for."""
        if self._all_names is None:
            self._all_names = frozenset(self.table)
        return self._all_names

    @names.setter
    def names(self, value: frozenset[str]) -> None:
        self._all_names: frozenset[str] | None = value

    def lookup(self, name: str) -> FnSpec | None:
        return self.table.get(name)

    def _names(self, which: str) -> frozenset[str]:
        got = self._sets.get(which)
        if got is None:
            test = _NAME_SETS[which]
            got = self._sets[which] = frozenset(n for n, f in self.table.items() if test(f))
        return got

    def words(self, which: str) -> frozenset[bytes]:
        """A name set of _NAME_SETS as the prefilter's words (sslint.analysis.words)."""
        got = self._words.get(which)
        if got is None:
            got = self._words[which] = frozenset(n.encode() for n in self._names(which))
        return got

    def lifecycle_names(self) -> frozenset[str]:
        """Functions that can start or end a tracked lifetime, whose result must be
        checked, or that leave a mark advisory rules read (a handshake, a shutdown).
        A function body that reaches none of them cannot produce a finding."""
        return self._names("lifecycle")

    def table_lifecycle_names(self) -> frozenset[str]:
        """lifecycle_names() of the table alone, before this file's summaries."""
        if self._table_lifecycle is None:
            self._table_lifecycle = self.lifecycle_names()
        return self._table_lifecycle

    def attempt_marks(self) -> frozenset[str]:
        """Marks the table's functions record whatever they return ("shutdown")."""
        return self.attempts

    def noreturn_names(self) -> frozenset[str]:
        return self._names("noreturn")

    def registrar_names(self) -> tuple[str, ...]:
        """The functions that register a callback, in the table's order."""
        if self._registrars is None:
            regs = self._names("registrar")
            self._registrars = tuple(n for n in self.table if n in regs) if regs else ()
        return self._registrars

    def callback_registrars(self) -> dict[str, FnSpec]:
        return {n: f for n, f in self.table.items() if f.callback}
