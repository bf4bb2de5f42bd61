"""`sslint lsp` as an editor runs it: raw JSON-RPC over the server's stdin/stdout."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

# A language server in a subprocess, spoken to over JSON-RPC.
pytestmark = pytest.mark.slow

TIMEOUT = 60.0  # seconds for the whole session
BUGGY = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    /* \u00fc\U0001F600 */ SSL_free(s);
}
"""
FIXED = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
}
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")


class Client:
    """A tiny LSP client: Content-Length framed JSON-RPC over a subprocess' pipes."""

    def __init__(self, cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "sslint", "lsp"], cwd=cwd,
                                     env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages: queue.Queue[dict | None] = queue.Queue()
        self.deadline = time.monotonic() + TIMEOUT
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = b""
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read1(4096), b""):
            self.stderr += chunk

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict | None) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait(self, match) -> dict:
        while True:
            left = self.deadline - time.monotonic()
            try:
                m = self.messages.get(timeout=max(0.01, left))
            except queue.Empty:
                pytest.fail(f"no matching message within {TIMEOUT} s; "
                            f"stderr: {self.stderr.decode(errors='replace')}")
            if m is None:
                pytest.fail(f"server closed its stdout; stderr: "
                            f"{self.stderr.decode(errors='replace')}")
            if match(m):
                return m

    def diagnostics(self, uri: str) -> list[dict]:
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri)
        return m["params"]["diagnostics"]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


def _open(client: Client, path: Path) -> str:
    uri = path.resolve().as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c", "version": 1, "text": path.read_text()}})
    return uri


def test_publishes_findings_on_open_and_save(tmp_path):
    pytest.importorskip("pygls")
    src = tmp_path / "buggy.c"
    src.write_text(BUGGY, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "sslint.toml").write_text('severity = { SSL101 = "warning" }\n')
    other = sub / "other.c"
    other.write_text(BUGGY.replace("/* \u00fc\U0001F600 */ ", ""), encoding="utf-8")

    client = Client(tmp_path)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                             "capabilities": {}})
        assert init["result"]["serverInfo"]["name"] == "sslint"
        client.notify("initialized", {})

        uri = _open(client, src)
        [d] = [d for d in client.diagnostics(uri) if d["code"] == "SSL101"]
        # Line 6 (1-based), after `    /* ü😀 */ `: 17 bytes, 14 UTF-16 code units.
        assert d["range"]["start"] == {"line": 5, "character": 14}
        assert d["severity"] == 1 and d["source"] == "sslint"
        assert d["codeDescription"]["href"].startswith("https://")
        assert "already released" in d["message"]
        [rel] = d["relatedInformation"]
        assert rel["location"]["uri"] == uri
        assert rel["location"]["range"]["start"] == {"line": 4, "character": 4}

        # The config next to the file is honoured, as `sslint check` would.
        other_uri = _open(client, other)
        [d] = [d for d in client.diagnostics(other_uri) if d["code"] == "SSL101"]
        assert d["severity"] == 2 and d["range"]["start"] == {"line": 5, "character": 4}

        src.write_text(FIXED)
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert client.diagnostics(uri) == []

        client.notify("textDocument/didClose", {"textDocument": {"uri": other_uri}})
        assert client.diagnostics(other_uri) == []

        assert client.request("shutdown", None)["result"] is None
        client.notify("exit", {})
        assert client.proc.wait(timeout=max(1.0, client.deadline - time.monotonic())) == 0
    finally:
        client.close()


def test_without_pygls_one_line_error_exit_2():
    code = ("import sys; sys.modules['pygls'] = None; sys.argv = ['sslint', 'lsp']; "
            "from sslint.shell.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True,
                       text=True, timeout=60, check=False)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "pip install 'sslint[lsp]'" in r.stderr
