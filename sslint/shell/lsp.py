"""`sslint lsp`: a stdio language server that publishes findings as diagnostics on open and save.

A `.c` file is analysed from disk as `sslint check FILE` would (config found from
the file, inline suppressions, per-file ignores, severity overrides), in a worker
process of the runner's pool, so a crash in libclang costs that file's diagnostics
only. Needs pygls (`pip install 'sslint[lsp]'`).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from sslint import __version__
from sslint.core.findings import Finding, Loc, Notification
from sslint.output.sources import Sources
from sslint.core.rule import LoadedRule
from sslint.session.pipeline import Request, SessionError
from sslint.session.pipeline import run as run_session

SEVERITY = {"error": types.DiagnosticSeverity.Error,
            "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}
MESSAGE_TYPE = {"error": types.MessageType.Error, "warning": types.MessageType.Warning,
                "note": types.MessageType.Info}


def analyse(path: str) -> tuple[list[Finding], list[LoadedRule], list[Notification]]:
    """Findings in path that `sslint check path` would report (suppressed ones left out),
    the rules that ran, and the run's notifications. Raises SessionError."""
    # The cache lends the summaries of the project's other files from its last whole run.
    report = run_session(Request(paths=(path,), root=os.getcwd(), jobs=1, use_pch=False,
                                 use_cache=True))
    findings = [f for r in report.results for f in r.findings]
    notes = report.run_notifications + [n for r in report.results for n in r.notifications]
    return findings, report.rules, notes


def column(sources: Sources, loc_file: str, line: int, byte_col: int, encoding: str) -> int:
    """libclang's 1-based byte column as a 0-based LSP character offset in encoding."""
    raw = sources.line(loc_file, line)
    if raw is None or byte_col < 1:
        return max(0, byte_col - 1)
    prefix = raw[: byte_col - 1].decode("utf-8", errors="replace")
    beyond = max(0, byte_col - 1 - len(raw))
    if encoding == types.PositionEncodingKind.Utf8:
        return len(prefix.encode("utf-8")) + beyond
    if encoding == types.PositionEncodingKind.Utf32:
        return len(prefix) + beyond
    return len(prefix.encode("utf-16-le")) // 2 + beyond


def lsp_range(sources: Sources, loc: Loc, encoding: str) -> types.Range:
    end_line, end_col = (loc.end_line, loc.end_col) if loc.end_line else (loc.line, loc.col)
    return types.Range(
        types.Position(max(0, loc.line - 1),
                       column(sources, loc.file, loc.line, loc.col, encoding)),
        types.Position(max(0, end_line - 1),
                       column(sources, loc.file, end_line, end_col, encoding)))


def diagnostic(f: Finding, rules: dict[str, LoadedRule], sources: Sources,
               encoding: str) -> types.Diagnostic:
    rule = rules.get(f.rule_id)
    level = f.level or (rule.rule.level if rule else "warning")
    href = rule.rule.help_uri if rule else ""
    related = [types.DiagnosticRelatedInformation(
        types.Location(from_fs_path(os.path.abspath(r.loc.file)),
                       lsp_range(sources, r.loc, encoding)), r.message) for r in f.related]
    return types.Diagnostic(
        range=lsp_range(sources, f.loc, encoding), message=f.message,
        severity=SEVERITY.get(level, types.DiagnosticSeverity.Warning), code=f.rule_id,
        code_description=types.CodeDescription(href=href) if href else None,
        source="sslint", related_information=related or None)


def create_server() -> LanguageServer:
    server = LanguageServer("sslint", __version__)
    lock = asyncio.Lock()  # one analysis at a time, in the order the events came
    open_docs: set[str] = set()

    def log(level: str, message: str) -> None:
        server.window_log_message(types.LogMessageParams(MESSAGE_TYPE[level], message))

    def publish(uri: str, diagnostics: list[types.Diagnostic]) -> None:
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    async def refresh(uri: str) -> None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path or not path.endswith(".c"):
            return
        path = os.path.abspath(path)
        async with lock:
            if uri not in open_docs:
                return
            try:
                findings, rules, notes = await asyncio.to_thread(analyse, path)
            except SessionError as exc:
                log("error", f"sslint: {exc}")
                publish(uri, [])
                return
            if uri not in open_docs:  # closed while it was analysed
                return
            for n in notes:  # parse errors and the like: the log, not the Problems list
                log(n.level if n.level in MESSAGE_TYPE else "note", n.message)
            by_id = {r.rule.id: r for r in rules}
            sources = Sources(os.getcwd())
            encoding = server.workspace.position_encoding or types.PositionEncodingKind.Utf16
            mine = os.path.realpath(path)
            publish(uri, [diagnostic(f, by_id, sources, encoding) for f in findings
                          if os.path.realpath(f.loc.file) == mine])

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(_ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        open_docs.add(params.text_document.uri)
        await refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(_ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        await refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(_ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        open_docs.discard(params.text_document.uri)
        publish(params.text_document.uri, [])

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout through private copies of both descriptors. Standard
    input becomes /dev/null: a forked worker closes sys.stdin, which must not wait for
    the lock the server's reader thread holds. Anything else that writes to file
    descriptor 1 (libclang, a worker) goes to stderr, not into the protocol stream."""
    sys.stdout.flush()
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdin = os.fdopen(0, encoding="utf-8", closefd=False)  # now /dev/null
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, format="sslint lsp: %(levelname)s: %(message)s")
    create_server().start_io(inp, out)
