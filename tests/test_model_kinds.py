"""Handle kinds are table data: a kind added to the API table (with its functions)
is tracked by the engine and reported by the rules with no Python change."""
from __future__ import annotations

import tomllib

import pytest

from sslint.workers import runner
from sslint.analysis.unit import Options
from sslint.frontend import handles
from sslint.model import api
from sslint.model.api import ApiModel, ModelError, parse_table
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

EXTRA_KIND = """
[handles.DH]
types = ["DH"]
records = ["dh_st"]
prefixes = ["DH_"]
free = ["DH_free"]
up_ref = ["DH_up_ref"]

[DH_new]
args = []
returns = "acquire:DH"
man = "DH_new"

[DH_free]
args = ["release"]
man = "DH_new"

[DH_up_ref]
args = ["addref"]
man = "DH_new"
"""

C_SOURCE = """\
#include <openssl/dh.h>

void twice(void)
{
    DH *dh = DH_new();
    DH_free(dh);
    DH_free(dh);
}

void leaks(int fail)
{
    DH *dh = DH_new();
    if (fail)
        return;
    DH_free(dh);
}
"""


@pytest.fixture
def table_with_dh(monkeypatch):
    """The built-in table plus a new handle kind (DH, which it does not track), as if
    openssl.toml said so."""
    original = api._table_text

    def patched() -> dict:
        data = original()
        extra = tomllib.loads(EXTRA_KIND)
        data["handles"] = {**data["handles"], **extra.pop("handles")}
        for name in ("DH_free", "DH_new", "DH_up_ref"):
            data.pop(name, None)
        return {**data, **extra}

    def reset() -> None:
        api.forget_builtin()
        handles._cache.clear()
        runner._worker_state = None

    monkeypatch.setattr(api, "_table_text", patched)
    reset()
    yield
    monkeypatch.undo()
    reset()


def test_a_new_kind_is_tracked_from_the_table_alone(tmp_path, table_with_dh):
    src = tmp_path / "dh.c"
    src.write_text(C_SOURCE)
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    res = run_unit(job, Unit(str(src), str(src), ()))
    found = {(f.rule_id, f.loc.line) for f in res.findings}
    assert ("SSL101", 7) in found, res.findings
    assert ("SSL103", 12) in found, res.findings
    leak = next(f for f in res.findings if f.rule_id == "SSL103")
    assert leak.message.startswith("DH from DH_new()")


def test_without_the_kind_nothing_is_reported(tmp_path):
    src = tmp_path / "dh.c"
    src.write_text(C_SOURCE)
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    res = run_unit(job, Unit(str(src), str(src), ()))
    assert not [f for f in res.findings if f.rule_id in ("SSL101", "SSL103")]


def test_unknown_kind_in_an_entry_is_an_error():
    with pytest.raises(ModelError, match="unknown handle kind 'FOO'"):
        parse_table({"f": {"args": ["out-acquire:FOO"]}}, "api")


def test_every_kind_names_functions_the_table_models_that_way():
    model = ApiModel()
    for kind in model.kinds.by_name.values():
        for name in kind.free:
            assert model.lookup(name).verb(0).op in ("release", "release-one"), name
            assert model.lookup(name).verb(0).kind == kind.name, name
        for name in kind.up_ref:
            assert model.lookup(name).verb(0).op == "addref", name
            assert model.lookup(name).verb(0).kind == kind.name, name


def test_verbs_are_parsed_once_with_their_kinds():
    model = ApiModel()
    rbio = model.lookup("SSL_set0_rbio").verb(1)
    assert (rbio.op, rbio.target, rbio.slot, rbio.kind) == ("consume", 0, "rbio", "BIO")
    assert model.lookup("SSL_get_rbio").result.kind == "BIO"
    assert model.lookup("SSL_new").verb(0).kind == "SSL_CTX"
    assert model.lookup("BIO_new_bio_pair").verb(0).kind == "BIO"


def test_rule_docs_name_every_kind_they_cover():
    """The "Kinds covered" lists of the rule docs keep up with the table."""
    from sslint.core.rule import all_rules
    kinds = ApiModel().kinds.by_name
    docs = [r for r in all_rules() if "Kinds covered" in (r.doc or "")]
    assert len(docs) >= 6
    for r in docs:
        text = r.doc.replace("\n", " ")
        for k in kinds:
            assert f"`{k}`" in text or k.startswith("ASN1_"), (r.rule.id, k)
