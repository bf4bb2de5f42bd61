"""Summaries a file learns change the model's name sets one entry at a time
(ApiModel.add): the sets and their prefilter words must stay what the whole table,
read again, gives."""
from __future__ import annotations

from sslint.model.api import _NAME_SETS, ApiModel, FnSpec


def _fresh(model: ApiModel) -> ApiModel:
    """The same table with every derived set made again from it."""
    other = model.copy()
    other._sets, other._words, other._registrars = {}, {}, None
    return other


def test_added_summaries_keep_the_name_sets_and_words_exact():
    model = ApiModel().copy()
    for which in _NAME_SETS:  # made before the summaries arrive, as in a run
        model.words(which)
    assert "SSL_free" in model.lifecycle_names()
    summaries = [
        FnSpec("conn_new", (), returns="SSL"),                     # joins "lifecycle"
        FnSpec("die_hard", (), noreturn=True),                      # joins "noreturn"
        FnSpec("conn_peek", ("use",)),                              # joins none
        FnSpec("SSL_free", ("use",)),                               # leaves "lifecycle"
    ]
    for spec in summaries:
        model.add(spec)
        fresh = _fresh(model)
        for which in _NAME_SETS:
            assert model._names(which) == fresh._names(which), (spec.name, which)
            assert model.words(which) == fresh.words(which), (spec.name, which)
    assert b"conn_new" in model.words("lifecycle")
    assert b"SSL_free" not in model.words("lifecycle")
    assert b"die_hard" in model.words("noreturn")
