"""`sslint api`: the model of functions and handle kinds, as text and JSON."""
from __future__ import annotations

import json

from click.testing import CliRunner

from sslint.shell.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["api", *args])


def test_without_names_lists_kinds_and_counts():
    r = run()
    assert r.exit_code == 0
    assert "hand-checked" in r.output and "STACK_OF(X509)" in r.output
    data = json.loads(run("--format", "json").output)
    assert data["functions"] == data["hand_checked"] + data["generated"] > 1000
    assert {"SSL", "X509", "EVP_PKEY"} <= {k["kind"] for k in data["kinds"]}


def test_a_function_shows_verbs_result_page_and_versions():
    [rec] = json.loads(run("SSL_get1_peer_certificate", "--format", "json").output)
    assert rec["args"][0]["verb"] == "use" and rec["args"][0]["kind"] == "SSL"
    assert rec["returns"]["verb"] == "acquire:X509"
    assert rec["man"] == "SSL_get_peer_certificate" and rec["versions"] == ">= 3.0"
    assert rec["source"].startswith("hand-checked")
    text = run("sk_X509_value").output
    assert "borrow:X509:0" in text and "never to be released" in text


def test_generated_kind_and_unknown_names():
    out = run("X509_get_version", "X509", "not_openssl").output
    assert "generated from the OpenSSL" in out
    assert "X509_free" in out and "acquired by:" in out
    assert "not named like OpenSSL's" in out
