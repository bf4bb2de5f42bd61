"""Entries carry the OpenSSL versions they hold for (since/until); the version is
read from the opensslv.h a file's include path finds."""
from __future__ import annotations

import pytest

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.frontend.apigen import header_version, openssl_version
from sslint.model.api import ApiModel, ModelError, parse_table
from sslint.workers.runner import Job, Unit, run_unit

V3 = b"""# define OPENSSL_VERSION_MAJOR  3
# define OPENSSL_VERSION_MINOR  2
# define OPENSSL_VERSION_PATCH  1
"""
V111 = b"# define OPENSSL_VERSION_NUMBER  0x1010117fL\n"


def test_header_version_of_both_layouts():
    assert header_version(V3) == (3, 2, 1)
    assert header_version(V111) == (1, 1, 1)
    assert header_version(b"nothing here") is None


def test_entries_valid_for_a_version():
    model = ApiModel()
    old, new = model.for_version((1, 1, 1)), model.for_version((3, 0, 0))
    assert old.lookup("SSL_get1_peer_certificate") is None
    assert old.lookup("SSL_get_peer_certificate").result.op == "acquire"
    assert new.lookup("SSL_get0_peer_certificate").result.op == "borrow"
    assert model.for_version(None) is model
    assert model.for_version((1, 1, 1)) is old  # computed once


def test_bad_version_is_a_model_error():
    with pytest.raises(ModelError, match="'since' must be a version"):
        parse_table({"f": {"args": [], "since": "three"}}, "api")


def test_analysis_applies_the_version_of_the_include_path(tmp_path):
    inc = tmp_path / "old" / "openssl"
    inc.mkdir(parents=True)
    (inc / "opensslv.h").write_bytes(V111)
    src = tmp_path / "peer.c"
    src.write_text("void f(SSL *s)\n{\n    X509 *p = SSL_get0_peer_certificate(s);\n"
                   "    X509_free(p);\n}\n")
    assert openssl_version(["-I", str(tmp_path / "old")]) == (1, 1, 1)
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    new = run_unit(job, Unit(str(src), str(src), ()))
    assert [f.rule_id for f in new.findings] == ["SSL201"]
    # 1.1.1 has no SSL_get0_peer_certificate: the entry does not apply
    old = run_unit(job, Unit(str(src), str(src), ("-I", str(tmp_path / "old"))))
    assert "SSL201" not in [f.rule_id for f in old.findings]
