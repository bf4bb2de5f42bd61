"""Analyses one translation unit: parse it (sslint.frontend, the only part of sslint
that touches libclang), lower each function, run the engine, hand events to the
rules. Errors stay inside the file (or the function) they come from and become
notifications."""
from __future__ import annotations

import dataclasses
import os
import re
import time
from dataclasses import dataclass, field

from sslint.analysis.options import Options
from sslint.analysis.snapshot import Snapshot, SnapshotMiss, keep as keep_function
from sslint.core import ir
from sslint.analysis.callbacks import Contract, find_callbacks, registrars
from sslint.analysis.fields import mentioned_fields
from sslint.analysis.words import Words, closure, closure_of, macros_of, words_of
from sslint.engine.worklist import FunctionResult, analyze
from sslint.core.events import Event
from sslint.core.findings import FileResult, Finding, Loc, Notification
from sslint.frontend.deps import dependencies
from sslint.frontend.apigen import openssl_version
from sslint.frontend.diags import Diagnostic
from sslint.frontend.guards import is_header_check
from sslint.frontend.localheaders import local_header_texts
from sslint.frontend.lower import NORETURN_NAMES
from sslint.frontend.parse import FunctionDef, ParsedFile, ParseFailure, parse_file
from sslint.frontend.sources import printable_path
from sslint.engine.summary import SUMMARY_MAN, can_return
from sslint.model.api import ApiModel, FnSpec
from sslint.core.rule import LoadedRule

MAX_LISTED_ERRORS = 5


class RuleSet:
    def __init__(self, rules: list[LoadedRule]):
        self.by_event: dict[str, list[LoadedRule]] = {}
        for r in rules:
            for ev in r.rule.events:
                self.by_event.setdefault(ev, []).append(r)
        self.wanted = frozenset(self.by_event)

    def findings(self, events: list[Event]) -> list[Finding]:
        out = []
        for ev in events:
            for r in self.by_event.get(ev.kind, ()):
                if r.rule.handles and ev.handle not in r.rule.handles:
                    continue
                f = r.check(ev)
                if f is not None:
                    out.append(f)
        return out


def relevant_words(source: bytes, model: ApiModel,
                   headers: list[bytes] | None = None) -> Words:
    """Names of bodies worth analysing: a lifecycle function of the model, or a macro
    of this file or its own headers that (transitively) names one."""
    return closure_of(model.words("lifecycle"), macros_of([source, *(headers or [])]))


def analyze_file(path: str, display: str, args: list[str], rules: RuleSet, model: ApiModel,
                 opts: Options, keep: frozenset[str] | None = None,
                 reuse: Snapshot | None = None,
                 guessed: tuple[list[str], list[str]] | None = None) -> FileResult:
    """`keep`: also return the parse and IR (FileResult.snapshot) for a later analysis
    of the unit, lowering besides the bodies that name one of these names (they may
    matter then). `reuse`: such a snapshot, used instead of parsing and lowering when
    it holds (else the unit is parsed again). `guessed`: the include folders and
    switches frontend.parse.guesses gives for the file, when known already."""
    if reuse is not None:
        try:
            return _analyze(FileResult(display), reuse, path, display, args, rules, model,
                            opts, keep)
        except SnapshotMiss:
            pass
    res = FileResult(display)
    parsed = _parse(res, path, display, args, guessed)
    if parsed is None:
        return res
    return _analyze(res, parsed, path, display, args, rules, model, opts, keep)


def _analyze(res: FileResult, parsed: ParsedFile | Snapshot, path: str, display: str,
             args: list[str], rules: RuleSet, model: ApiModel, opts: Options,
             keep: frozenset[str] | None) -> FileResult:
    if isinstance(parsed, Snapshot):
        res.parse_errors, res.inputs = parsed.parse_errors, parsed.inputs
    else:
        res.inputs = dependencies(parsed, path, args)
    res.toolchain = getattr(parsed.errors, "toolchain", ())
    _report_recovered(res, parsed.recovered, display)
    defines_at = len(res.notifications)  # the note goes here, once it is known to matter
    res.guessed_includes = tuple(parsed.guessed_includes)
    t1 = time.perf_counter()
    model = model.for_version(openssl_version(args))  # the table's since/until
    run = _FileRun(res, display, rules, model.copy(), opts, t1 + opts.file_timeout)
    plan = Plan(path, args, parsed, run.model)
    run.lower_planned(plan)
    callbacks = find_callbacks(run.lowered_functions(), run.model)
    run.analyse_each(plan, callbacks)
    concerns = plan.concerns_openssl() if parsed.errors or parsed.guessed_defines else True
    if parsed.errors and not concerns:
        # Nothing here names a lifecycle function: the errors cannot hide a finding
        # (a file of a tree checked without its headers). Said once for the run.
        res.unrelated_errors = True
    else:
        _report_parse_errors(res, parsed.errors, display, path, parsed.used_shim)
    if concerns:
        _report_guessed_defines(res, parsed.guessed_defines, display, defines_at)
    else:  # the same for its guessed switches: one note for the run
        res.quiet_defines = tuple(parsed.guessed_defines)
    res.field_handled = frozenset(run.handled.union(*(
        mentioned_fields(fn.source, fn.start, fn.end, run.only_uses) for fn in plan.order
        if fn not in run.read_as_ir)))
    res.calls = plan.external_calls(plan.order)
    res.analysed_calls = plan.external_calls([fn for fn in plan.order if plan.relevant(fn)])
    if keep is not None:
        res.snapshot = run.snapshot(parsed, plan, keep)
    res.analysis_seconds = time.perf_counter() - t1
    res.analyzed = True
    res.findings.sort(key=Finding.sort_key)
    return res


def _parse(res: FileResult, path: str, display: str, args: list[str],
           guessed: tuple[list[str], list[str]] | None) -> ParsedFile | None:
    t0 = time.perf_counter()
    try:
        parsed = parse_file(path, args, guessed)
    except ParseFailure:
        res.notifications.append(Notification(
            "error", f"libclang could not parse {printable_path(display)}",
            Loc(display, 1, 1, 1, 1), "parse-failure"))
        return None
    res.parse_seconds = time.perf_counter() - t0
    res.parse_errors = len(parsed.errors)
    return parsed


class Plan:
    """The file's functions in the order they are analysed (callees first), and the
    prefilter read from the source text: which bodies are worth analysing, which may
    register a callback, and which lost a statement clang could not parse."""

    def __init__(self, path: str, args: list[str], parsed: ParsedFile, model: ApiModel):
        self.source = parsed.source
        included = {fn.file: fn.source for fn in parsed.functions if fn.file}
        # Macros of the file, its own headers and the .c files it includes.
        self.headers = local_header_texts(path, parsed.source, args) + list(included.values())
        self.order = _callees_first(parsed.functions)
        self.model_names = model.names  # the table's (and the program's) functions
        self._api_words: frozenset[bytes] | None = None
        self.macros = macros_of([self.source, *self.headers])
        self.body_words: dict[FunctionDef, frozenset[bytes]] = {}
        self._calls_in: dict[FunctionDef, frozenset[str]] = {}
        self.learn(model)
        names = registrars(model)
        self.registrars = closure(names, self.macros) if names else None
        self.broken = {f: _error_lines(parsed.errors, f or path) for f in ["", *included]}
        self.starts = {f: _line_starts(parsed.source if not f else included[f])
                       for f, lines in self.broken.items() if lines}
        self.handle_words = _handle_words(model) if self.starts else None

    def relevant(self, fn: FunctionDef) -> bool:
        """Whether the body names a lifecycle function (or a macro for one): if not,
        no rule can fire in it."""
        return self.words.among(self.words_in(fn))

    def concerns_openssl(self) -> bool:
        """Whether the file's text names a lifecycle function (or a macro for one) or
        a callback registrar anywhere, inside a body clang kept or not."""
        words = words_of(self.source)
        return self.words.among(words) or bool(
            self.registrars and self.registrars.among(words)) or any(
            self.relevant(fn) or self.registers(fn) for fn in self.order if fn.file)

    def words_in(self, fn: FunctionDef) -> frozenset[bytes]:
        got = self.body_words.get(fn)
        if got is None:
            got = self.body_words[fn] = words_of(fn.source, fn.start, fn.end)
        return got

    def registers(self, fn: FunctionDef) -> bool:
        """Whether the body names a function that registers callbacks (or a macro
        for one)."""
        return bool(self.registrars and self.registrars.among(self.words_in(fn)))

    def lost(self, fn: FunctionDef) -> int:
        """A line of the body where clang dropped a statement that matters, or 0."""
        broken = self.broken.get(fn.file)
        if not broken:
            return 0
        # Errors in the signature only lose a parameter type: start at the body.
        body_line = fn.source.count(b"\n", 0, max(0, fn.source.find(b"{", fn.start))) + 1
        return _lost_statement(broken, fn.source, self.starts[fn.file], body_line,
                               fn.end_line, (self.words, self.handle_words))

    def may_not_return(self, fn: FunctionDef) -> bool:
        """Whether a body with no lifecycle call is worth a helper summary: a function
        that a relevant body (or, for one with external linkage, another file) may call,
        and whose body calls one that does not return or whose name says it may not
        (`fatal`, `die`, `*_exit`...)."""
        return (not fn.static or fn.name in self.called_by_relevant()) and bool(
            self.stoppers.among(self.words_in(fn))
            or _STOPPER_WORD.search(fn.source, fn.start, fn.end))

    def uses_handle_fields(self, fn: FunctionDef) -> bool:
        """A small function that may use a handle in a field of a struct it is given
        (`conn_read(c)` calling `SSL_read(c->ssl)`) and that a relevant body, or another
        file, may call: its summary tells callers it uses that field (a use after
        `conn_fail(c)` freed it)."""
        if fn.end - fn.start > _HELPER_BYTES or b"->" not in fn.source[fn.start:fn.end]:
            return False
        if fn.static and fn.name not in self.called_by_relevant():
            return False
        if self._api_words is None:
            self._api_words = frozenset(n.encode() for n in self.model_names)
        return bool(self.words_in(fn) & self._api_words)

    def called_by_relevant(self) -> frozenset[str]:
        """Names the relevant bodies call (a helper's summary matters only to them)."""
        if self._called is None:
            self._called = frozenset().union(
                *(self.calls_in(fn) for fn in self.order if self.relevant(fn)))
        return self._called

    def calls_in(self, fn: FunctionDef) -> frozenset[str]:
        """Names the body calls (read once: called_by_relevant asks again after every
        summary the file learns)."""
        got = self._calls_in.get(fn)
        if got is None:
            got = self._calls_in[fn] = frozenset(
                m.group(1).decode("latin-1")
                for m in _CALL_NAME.finditer(fn.source, fn.start, fn.end))
        return got

    def external_calls(self, functions: list[FunctionDef]) -> frozenset[str]:
        """Names these bodies call that the file does not define: another file may."""
        defined = {fn.name for fn in self.order}
        return frozenset().union(*(self.calls_in(fn) for fn in functions)) - defined

    def learn(self, model: ApiModel) -> None:
        """The model gained a summary: bodies that call that function are relevant now."""
        self.words = closure_of(model.words("lifecycle"), self.macros)
        self.stoppers = closure_of(_NORETURN_WORDS | model.words("noreturn"), self.macros)
        self._called: frozenset[str] | None = None  # recomputed when next asked


@dataclass
class _FileRun:
    """Analysing the planned functions of one file, each with the summaries of those
    analysed before it."""

    res: FileResult
    display: str
    rules: RuleSet
    model: ApiModel  # this file's copy: its summaries stay with this file
    opts: Options
    deadline: float
    # Functions lowered ahead of the analysis (an exception: lowering failed).
    lowered: dict[FunctionDef, ir.Function | Exception] = field(default_factory=dict)
    # Fields the analysed functions may release or pass on (SSL104), and which
    # functions were read as IR for that.
    handled: set[tuple[str, str]] = field(default_factory=set)
    read_as_ir: set[FunctionDef] = field(default_factory=set)
    # Each function's lowering (the IR reads no summary: one serves the whole file
    # and, in a snapshot, later rounds).
    last: dict[FunctionDef, ir.Function | Exception] = field(default_factory=dict)

    def lower_planned(self, plan: Plan) -> None:
        """Lower the functions that may be analysed or may register a callback (past
        the time limit only the latter: the registrations are still needed to name
        the first function that was not analysed)."""
        for fn in plan.order:
            if plan.registers(fn) or (plan.relevant(fn) and not plan.lost(fn)
                                      and time.perf_counter() <= self.deadline):
                try:
                    self.lowered[fn] = self.lower_now(fn)
                except SnapshotMiss:
                    raise
                except Exception as exc:  # noqa: BLE001 - reported if it is analysed
                    self.lowered[fn] = exc.with_traceback(None)
                    self.last[fn] = self.lowered[fn]

    def lower_now(self, fn: FunctionDef) -> ir.Function:
        got = fn.lower(self.where(fn), self.model.fixed_names)
        self.last[fn] = got
        return got

    def snapshot(self, parsed: ParsedFile | Snapshot, plan: Plan,
                 wanted: frozenset[str]) -> Snapshot:
        """The parse and the IR, for analysing the unit again with more summaries;
        bodies that name one of `wanted`, a macro for one, or a function of this file
        that does, are lowered now if they were not (their callee's summary may make
        them worth analysing then)."""
        reach: list[FunctionDef] = []
        seed: set[str] = set(wanted)
        while True:  # callers of callers within the file (recursion: a fixed point)
            words = closure(seed, plan.macros).names
            more = [fn for fn in plan.order if fn.name not in seed
                    and not words.isdisjoint(plan.words_in(fn))]
            if not more:
                break
            reach += more
            seed.update(fn.name for fn in more)
        for fn in reach:
            if fn not in self.last:
                try:
                    self.lower_now(fn)
                except Exception:  # noqa: BLE001 - not kept: lowered again if needed
                    pass
        kept = [keep_function(fn, self.last.get(fn))
                for fn in parsed.functions]
        return Snapshot(parsed.source, kept, parsed.errors, parsed.used_shim,
                        parsed.recovered, self.res.inputs, self.res.parse_errors,
                        parsed.guessed_defines, parsed.guessed_includes)

    def where(self, fn: FunctionDef) -> str:
        """The file a function is reported at: its own (an #included .c file) or
        the unit's as given."""
        return fn.file or self.display

    def lowered_functions(self) -> list[ir.Function]:
        return [f for f in self.lowered.values() if isinstance(f, ir.Function)]

    def analyse_each(self, plan: Plan, callbacks: dict[str, Contract]) -> None:
        for fn in plan.order:
            contract = callbacks.get(fn.name)
            if contract is None and not plan.relevant(fn):
                # No lifecycle call in this body: no rule can fire. It is still worth a
                # summary if it may not return (a fatal-error or assertion helper).
                if (plan.may_not_return(fn) or plan.uses_handle_fields(fn)) \
                        and not plan.lost(fn) and time.perf_counter() <= self.deadline \
                        and self.helper_summary(fn):
                    plan.learn(self.model)
                continue
            if time.perf_counter() > self.deadline:
                self.note(fn, "warning", f"time limit of {self.opts.file_timeout:g}s reached; "
                          f"some functions (from '{fn.name}' on) were not analysed",
                          "time-limit")
                break
            lost = plan.lost(fn)
            if lost:
                self.note(fn, "note", f"function '{fn.name}' was not analysed: the statement "
                          f"at line {lost} could not be parsed and may change control flow "
                          "or a handle", "unparsable-statement")
                continue
            result = self.analyse(fn, contract)
            if result is not None and self.summarise(fn, result):
                plan.learn(self.model)

    def helper_summary(self, fn: FunctionDef) -> bool:
        """A summary of a small helper with no lifecycle call: noreturn when no path
        returns (a fatal-error helper), or from the engine when it takes a handle (an
        assertion helper: use!). Nothing is reported about it either way."""
        if fn.end - fn.start > _HELPER_BYTES:
            return False
        try:
            lowered = self.lower(fn)
        except SnapshotMiss:
            raise
        except Exception:  # noqa: BLE001 - not lowerable: no summary
            return False
        if not can_return(lowered, self.model):
            self.keep(fn, FnSpec(fn.name, (), man=SUMMARY_MAN, noreturn=True))
            return True
        if not any(p.handle or p.is_pointer for p in lowered.params):
            return False
        budget = dataclasses.replace(self.opts.budget, deadline=self.deadline)
        try:
            result = analyze(lowered, self.model, budget, None, self.rules.wanted)
        except Exception:  # noqa: BLE001 - no summary then
            return False
        if result.partial or result.summary is None or fn.name in _NEVER_SUMMARISE:
            return False
        if not any(p.handle for p in lowered.params) and not result.summary.fields:
            return False  # a struct pointer whose handle fields it does not touch
        self.keep(fn, result.summary)
        return True

    def keep(self, fn: FunctionDef, spec: FnSpec) -> None:
        """A summary for the callers in this file, and in the others (phase 2)."""
        self.model.add(spec)
        self.res.summaries.append(dataclasses.replace(spec, static=fn.static))

    def analyse(self, fn: FunctionDef, contract: Contract | None) -> FunctionResult | None:
        """Lower and analyse one function; None (and a notification) if that failed."""
        try:
            lowered = self.lower(fn)
            budget = dataclasses.replace(self.opts.budget, deadline=self.deadline)
            return analyze(lowered, self.model, budget, contract, self.rules.wanted)
        except SnapshotMiss:
            raise
        except RecursionError:
            self.note(fn, "warning", f"function '{fn.name}' nests too deeply to analyse",
                      "too-deep")
        except Exception as exc:  # noqa: BLE001 - contain internal errors to one function
            self.note(fn, "error", f"internal error analysing '{fn.name}': "
                      f"{type(exc).__name__}: {exc}", "internal-error")
        return None

    def lower(self, fn: FunctionDef) -> ir.Function:
        """Its IR, lowered once."""
        got = self.lowered.pop(fn, None) or self.last.get(fn)
        if isinstance(got, Exception):
            raise got
        return got if got is not None else self.lower_now(fn)

    def summarise(self, fn: FunctionDef, result: FunctionResult) -> bool:
        """Keep the function's findings and summary; whether the model gained one."""
        if result.partial:
            self.note(fn, "note", f"function '{fn.name}' was analysed partially: "
                      f"{result.partial}", "partial-analysis")
        self.res.findings.extend(self.rules.findings(result.events))
        self.res.field_stores.extend((*s, fn.name) for s in sorted(
            result.field_stores, key=lambda s: (s[4].line, s[4].col, s[1])))
        if not result.partial:  # else its text says (every mention counts)
            self.handled |= result.field_handled
            self.read_as_ir.add(fn)
        if result.summary is None or fn.name in _NEVER_SUMMARISE:
            return False
        self.keep(fn, result.summary)
        return True

    def only_uses(self, name: str) -> bool:
        """A function of the model, or an OpenSSL-looking one the naming rules say only
        uses its handles: a body not analysed passes nothing on through it."""
        return name in self.model.names or self.model.naming.guess_verb(name) == "use?"

    def note(self, fn: FunctionDef, level: str, message: str, code: str) -> None:
        self.res.notifications.append(Notification(level, message, _loc(fn, self.where(fn)),
                                                   code))


_NEVER_SUMMARISE = frozenset({"main"})
_NORETURN_WORDS = frozenset(n.encode() for n in NORETURN_NAMES)
_HELPER_BYTES = 4096  # fatal-error and assertion helpers are small
_STOPPER_WORD = re.compile(
    rb"\b\w*(exit|abort|die|fatal|panic|bail|assert|unreachable|fail)\w*\s*\(", re.I)
_CONTROL = re.compile(rb"\b(return|goto|break|continue|longjmp|exit|abort)\b")


def _error_lines(errs: list[Diagnostic], path: str) -> list[int]:
    main = os.path.abspath(path)
    return sorted({d.line for d in errs
                   if d.file is not None and os.path.abspath(d.file) == main})


def _line_starts(source: bytes) -> list[int]:
    starts = [0]
    i = source.find(b"\n")
    while i >= 0:
        starts.append(i + 1)
        i = source.find(b"\n", i + 1)
    return starts


def _lost_statement(broken: list[int], source: bytes, starts: list[int], first: int,
                    last: int, words: tuple[Words | re.Pattern[bytes], ...]) -> int:
    """A line inside [first, last] where clang dropped a statement that may have
    transferred control or touched a handle (it names a control keyword, a lifecycle
    function or a handle-like identifier); 0 if none. Clang drops a statement whose
    expression is invalid, so `return NGX_OK;` with NGX_OK undeclared simply
    vanishes: analysing the rest would invent paths."""
    for line in broken:
        if line < first or line > last or line > len(starts):
            continue
        at = starts[line - 1]
        # The statement around the error: from the previous `;`, `{` or `}` to the next `;`.
        begin = max(source.rfind(b";", 0, at), source.rfind(b"{", 0, at),
                    source.rfind(b"}", 0, at)) + 1
        end = source.find(b";", at)
        text = source[begin:end + 1 if end >= 0 else len(source)][:2000]
        if _CONTROL.search(text) or any(w.search(text) for w in words):
            return line
        if _assigns_lifecycle_operand(text, source, starts, first, last, words[0]):
            return line
    return 0


_ASSIGNED = re.compile(rb"^\s*(?:[A-Za-z_][\w\s*]*?[\s*])?([A-Za-z_]\w*)\s*(?:->|\.|\[|=[^=])")


def _assigns_lifecycle_operand(text: bytes, source: bytes, starts: list[int], first: int,
                               last: int, lifecycle: re.Pattern[bytes]) -> bool:
    """Whether a dropped statement sets a variable (`sni = container_of(...)`) that a
    lifecycle call of the same body names: the call would see a stale value."""
    m = _ASSIGNED.match(text)
    if m is None or m.group(1) in (b"return", b"case", b"goto"):
        return False
    name = re.compile(rb"\b" + re.escape(m.group(1)) + rb"\b")
    body_end = starts[last] if last < len(starts) else len(source)
    for line in source[starts[first - 1]:body_end].split(b"\n"):
        if lifecycle.search(line) and name.search(line):
            return True
    return False


def _handle_words(model: ApiModel) -> re.Pattern[bytes]:
    """Words that suggest a statement touches a handle: the kinds' type names, and
    variable names containing a kind's hints ('ssl', 'bio', 'sess')."""
    types = b"|".join(re.escape(t.encode()) for t in model.kinds.type_names())
    hints = b"|".join(re.escape(h.encode()) for h in model.kinds.var_hints())
    return re.compile(rb"\b(" + types + rb")\b|\b\w*(" + hints + rb")\w*\b", re.I)


_CALL_NAME = re.compile(rb"\b([A-Za-z_]\w*)\s*\(")


def _callees_first(functions: list[FunctionDef]) -> list[FunctionDef]:
    """The function definitions (the first of each name), each after the ones it
    calls (by name, read from the source text; cycles are broken arbitrarily but
    deterministically)."""
    fns: dict[str, FunctionDef] = {}
    for fn in functions:
        if fn.name not in fns:
            fns[fn.name] = fn
    calls: dict[str, list[str]] = {}
    for name, fn in fns.items():
        body = fn.source[fn.start:fn.end]
        seen = []
        for m in _CALL_NAME.finditer(body):
            callee = m.group(1).decode("latin-1")
            if callee in fns and callee != name and callee not in seen:
                seen.append(callee)
        calls[name] = seen
    order: list[FunctionDef] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for root in fns:
        if root in state:
            continue
        stack = [(root, iter(calls[root]))]
        state[root] = 1
        while stack:
            name, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[name] = 2
                order.append(fns[name])
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(calls[nxt])))
    return order


def _loc(fn: FunctionDef, display: str) -> Loc:
    return Loc(display, fn.line, fn.col, fn.line, fn.col + 1)


MAX_LISTED_NAMES = 12


def _report_recovered(res: FileResult, names: list[str], display: str) -> None:
    """Say which names the front end declared by guess (frontend/recover.py)."""
    if not names:
        return
    listed = ", ".join(names[:MAX_LISTED_NAMES]) + ("…" if len(names) > MAX_LISTED_NAMES else "")
    res.notifications.append(Notification(
        "note", f"recovered {len(names)} undeclared name(s) by guessing their declarations "
        f"(headers missing?): {listed}", Loc(display, 1, 1, 1, 1), "recovered-names"))


def _report_guessed_defines(res: FileResult, defines: list[str], display: str,
                            at: int) -> None:
    """Say which feature switches the front end defined by guess (frontend/guards.py)."""
    if defines:
        # configure's checks for system headers (HAVE_SYS_SOCKET_H) come by the dozen:
        # counted, not listed.
        checks = [d for d in defines if is_header_check(d)]
        switches = [d for d in defines if d not in checks]
        said = (f"{len(switches)} guessed feature switch(es) that the file's OpenSSL code "
                f"is under (build flags missing?): {' '.join('-D' + d for d in switches)}"
                if switches else "")
        if checks:
            said += ("; and " if said else "") + (
                f"{len(checks)} of configure's checks for system headers this system has "
                f"({checks[0]}…)")
        res.notifications.insert(at, Notification(
            "note", f"parsed with {said}", Loc(display, 1, 1, 1, 1), "guessed-defines"))


def _report_parse_errors(res: FileResult, errs: list[Diagnostic], display: str, path: str,
                         shim: bool) -> None:
    if not errs:
        return
    first = []
    for d in errs[:MAX_LISTED_ERRORS]:
        loc = None
        if d.file is not None:
            name = display if os.path.abspath(d.file) == os.path.abspath(path) else d.file
            loc = Loc(name, d.line, max(1, d.col), d.line, max(1, d.col) + 1)
        first.append(Notification("warning", d.message, loc, "parse-error"))
    more = f" (the first {MAX_LISTED_ERRORS} follow)" if len(errs) > MAX_LISTED_ERRORS else ""
    hint = ("; OpenSSL's types were undeclared (its headers not found or not included), "
            "so they were assumed") if shim else ""
    res.notifications.append(Notification(
        "warning", f"{len(errs)} parse error(s) in {printable_path(display)}{hint}; "
        "analysed what parsed"
        f"{more}", Loc(display, 1, 1, 1, 1), "parse-errors"))
    res.notifications.extend(first)
