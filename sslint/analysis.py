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

from sslint.engine.run import Budget, analyze
from sslint.findings import Event, FileResult, Finding, Loc, Notification
from sslint.frontend.diags import Diagnostic
from sslint.frontend.localheaders import local_header_texts
from sslint.frontend.parse import FunctionDef, ParseFailure, parse_file
from sslint.frontend.sources import display_path
from sslint.model.api import ApiModel
from sslint.rule import LoadedRule

MAX_LISTED_ERRORS = 5


@dataclass
class Options:
    budget: Budget = field(default_factory=Budget)
    file_timeout: float = 60.0  # seconds of analysis per file after parsing
    root: str = "."


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


_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(\w+)((?:\\\n|.)*)", re.M)


def relevant_words(source: bytes, model: ApiModel,
                   headers: list[bytes] | None = None) -> re.Pattern[bytes]:
    """A pattern for function bodies worth analysing: they name a lifecycle function
    of the model, or a macro of this file or its own headers that (transitively)
    names one."""
    names = set(model.lifecycle_names())
    macros = [(m.group(1).decode("latin-1"), m.group(2))
              for text in [source, *(headers or [])] for m in _DEFINE.finditer(text)]
    grew = True
    while grew:
        grew = False
        pat = re.compile(rb"\b(" + b"|".join(re.escape(n.encode()) for n in sorted(names))
                         + rb")\b")
        for name, body in macros:
            if name not in names and pat.search(body):
                names.add(name)
                grew = True
    return re.compile(rb"\b(" + b"|".join(re.escape(n.encode()) for n in sorted(names))
                      + rb")\b")


def analyze_file(path: str, display: str, args: list[str], rules: RuleSet, model: ApiModel,
                 opts: Options) -> FileResult:
    res = FileResult(display)
    t0 = time.perf_counter()
    try:
        parsed = parse_file(path, args)
    except ParseFailure:
        res.notifications.append(Notification(
            "error", f"libclang could not parse {display_path(display)}",
            Loc(display, 1, 1, 1, 1), "parse-failure"))
        return res
    source, errs = parsed.source, parsed.errors
    res.parse_seconds = time.perf_counter() - t0
    res.parse_errors = len(errs)
    _report_parse_errors(res, errs, display, path, parsed.used_shim)
    t1 = time.perf_counter()
    model = model.copy()  # this file's summaries stay with this file
    headers = local_header_texts(path, source, args)
    words = relevant_words(source, model, headers)
    callbacks = registered_callbacks(source, model)
    deadline = t1 + opts.file_timeout
    broken = _error_lines(errs, path)
    starts = _line_starts(source) if broken else []
    for fn in _callees_first(parsed.functions, source):
        contract = callbacks.get(fn.name)
        if contract is None and not words.search(source, fn.start, fn.end):
            continue  # no lifecycle call in this body: no rule can fire
        if time.perf_counter() > deadline:
            res.notifications.append(Notification(
                "warning", f"time limit of {opts.file_timeout:g}s reached; some functions "
                f"(from '{fn.name}' on) were not analysed", _loc(fn, display),
                "time-limit"))
            break
        body_line = (source.count(b"\n", 0, max(0, source.find(b"{", fn.start))) + 1
                     if broken else 0)  # errors in the signature only lose a parameter type
        lost = _lost_statement(broken, source, starts, body_line, fn.end_line, words)
        if lost:
            res.notifications.append(Notification(
                "note", f"function '{fn.name}' was not analysed: the statement at line "
                f"{lost} could not be parsed and may change control flow or a handle",
                _loc(fn, display), "unparsable-statement"))
            continue
        try:
            lowered = fn.lower(display, model.names)
            budget = dataclasses.replace(opts.budget, deadline=deadline)
            result = analyze(lowered, model, budget, contract, rules.wanted)
        except RecursionError:
            res.notifications.append(Notification(
                "warning", f"function '{fn.name}' nests too deeply to analyse",
                _loc(fn, display), "too-deep"))
            continue
        except Exception as exc:  # noqa: BLE001 - contain internal errors to one function
            res.notifications.append(Notification(
                "error", f"internal error analysing '{fn.name}': "
                f"{type(exc).__name__}: {exc}", _loc(fn, display), "internal-error"))
            continue
        if result.partial:
            res.notifications.append(Notification(
                "note", f"function '{fn.name}' was analysed partially: {result.partial}",
                _loc(fn, display), "partial-analysis"))
        if result.summary is not None and fn.name not in _NEVER_SUMMARISE:
            model.add(result.summary)
            words = relevant_words(source, model, headers)
        res.findings.extend(rules.findings(result.events))
    res.analysis_seconds = time.perf_counter() - t1
    res.analyzed = True
    res.findings.sort(key=Finding.sort_key)
    return res


_NEVER_SUMMARISE = frozenset({"main"})
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
                    last: int, words: re.Pattern[bytes]) -> int:
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
        if _CONTROL.search(text) or words.search(text) or _HANDLE_WORD.search(text):
            return line
    return 0


_HANDLE_WORD = re.compile(rb"\b(SSL|BIO|SSL_SESSION|SSL_CTX)\b|\b\w*(ssl|bio|sess)\w*\b", re.I)


def registered_callbacks(source: bytes, model: ApiModel) -> dict[str, tuple[int, int, str]]:
    """Functions this file registers through a model entry with `callback`, read from
    the source text: {function name: (param index, owned_when, registering function)}."""
    out: dict[str, tuple[int, int, str]] = {}
    for name, spec in model.table.items():
        if not spec.callback or name.encode() not in source:
            continue
        arg, param, owned = spec.callback
        for m in re.finditer(rb"\b" + re.escape(name.encode()) + rb"\s*\(", source):
            args = _split_args(source, m.end())
            if arg < len(args):
                ident = re.fullmatch(rb"\s*\(?\s*&?\s*([A-Za-z_]\w*)\s*\)?\s*", args[arg])
                if ident:
                    out[ident.group(1).decode("latin-1")] = (param, owned, name)
    return out


def _split_args(source: bytes, start: int) -> list[bytes]:
    depth, args, cur = 0, [], start
    for i in range(start, min(len(source), start + 2000)):
        ch = source[i:i + 1]
        if ch in b"([{":
            depth += 1
        elif ch in b")]}":
            if depth == 0:
                args.append(source[cur:i])
                return args
            depth -= 1
        elif ch == b"," and depth == 0:
            args.append(source[cur:i])
            cur = i + 1
    return args
_CALL_NAME = re.compile(rb"\b([A-Za-z_]\w*)\s*\(")


def _callees_first(functions: list[FunctionDef], source: bytes) -> list[FunctionDef]:
    """The function definitions (the first of each name), each after the ones it
    calls (by name, read from the source text; cycles are broken arbitrarily but
    deterministically)."""
    fns: dict[str, FunctionDef] = {}
    for fn in functions:
        if fn.name not in fns:
            fns[fn.name] = fn
    calls: dict[str, list[str]] = {}
    for name, fn in fns.items():
        body = source[fn.start:fn.end]
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


def _report_parse_errors(res: FileResult, errs: list[Diagnostic], display: str, path: str, shim: bool) -> None:
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
    hint = "; OpenSSL's headers were not found, so handle types were assumed" if shim else ""
    res.notifications.append(Notification(
        "warning", f"{len(errs)} parse error(s) in {display_path(display)}{hint}; "
        "analysed what parsed"
        f"{more}", Loc(display, 1, 1, 1, 1), "parse-errors"))
    res.notifications.extend(first)
