"""The API table classifies every function of the installed OpenSSL headers that
takes or returns a tracked handle (hand-checked entries, else the generated default
table), and the generated table is what the generator makes of those headers."""
from __future__ import annotations

import os
import tomllib

import pytest

from sslint.model import api
from sslint.model.generate import Proto, classify

apigen = pytest.importorskip("sslint.frontend.apigen")
INCLUDE = apigen.find_include_dir()
pytestmark = pytest.mark.skipif(INCLUDE is None, reason="no OpenSSL headers installed")


@pytest.fixture(scope="module")
def decls():
    return apigen.scan(INCLUDE)


def test_every_tracked_function_is_classified(decls):
    model = api.ApiModel()
    assert len(decls) > 1000  # the headers were read, not skipped
    missing = sorted(d.name for d in decls if model.lookup(d.name) is None)
    assert not missing, (f"{len(missing)} functions with a tracked type are not in the "
                         f"table (run tools/gen_api.py): {missing[:20]}")


def test_generated_entries_follow_the_headers(decls):
    """Each generated entry is what classify() says for the installed declaration
    (when the headers are the version the table was generated from)."""
    with open(os.path.join(INCLUDE, "openssl", "opensslv.h"), "rb") as f:
        version = apigen.header_version(f.read())
    if api.generated_from() != ".".join(map(str, version)):
        pytest.skip("the table was generated from other headers")
    gen = tomllib.loads((api.resources.files("sslint.model")
                         / "openssl_generated.toml").read_text("utf-8"))
    kinds = api.builtin_kinds()
    for d in decls:
        if d.name in gen:
            assert gen[d.name] == classify(Proto(d.name, d.params, d.result), kinds), d.name


def test_stack_entries_match_their_declarations(decls):
    """Hand-written argument counts agree with the headers' (safestack checks)."""
    model = api.ApiModel()
    for d in decls:
        spec = model.lookup(d.name)
        if d.name in api.hand_table_names() and not spec.expanded:
            assert len(spec.args) == len(d.params), d.name


def test_hand_entries_win_and_generated_ones_are_conservative():
    model = api.ApiModel()
    assert "SSL_get1_peer_certificate" in api.hand_table_names()
    gen = api.generated_names()
    assert len(gen) > 1000 and not gen & api.hand_table_names()
    for name in gen:
        spec = model.lookup(name)
        # never "must not be NULL" nor a hand-over that findings could come of
        assert not {v.op for v in spec.verbs} & {"use", "use!", "consume", "release-one"}, name
