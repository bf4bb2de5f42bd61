"""sslint/frontend/_cursors.c (built by setup.py beside the compiled engine) reads a
cursor's children and extent for the lowering, and a file's function definitions: it
must give exactly what the Python bindings give, on every cursor of real code."""
from __future__ import annotations

import os

import pytest

from sslint.frontend import clangx, parse

from conftest import ROOT

try:
    from sslint.frontend import _cursors
except ImportError:
    _cursors = None


@pytest.mark.skipif("SSLINT_EXPECT_ENGINE" not in os.environ,
                    reason="tests/run.sh says whether it built the C modules")
def test_the_reader_is_in_use_exactly_when_built():
    assert clangx.ACCELERATED == (os.environ["SSLINT_EXPECT_ENGINE"] == "compiled")


@pytest.mark.skipif(not clangx.ACCELERATED, reason="sslint.frontend._cursors is not in use")
def test_children_and_spans_match_the_bindings():
    files = sorted((ROOT / "testdata" / "engine").glob("*.c"))[:12]
    assert files
    seen = 0
    for path in files:
        parsed = parse.parse_file(str(path), [])
        todo = [fn._cursor for fn in parsed.functions]
        while todo:
            c = todo.pop()
            mine, theirs = _cursors.children(c), clangx._children(c)
            assert [(k._kind_id, k.hash) for k in mine] == \
                [(k._kind_id, k.hash) for k in theirs], path
            assert all(k._tu is c._tu for k in mine)
            assert _cursors.span(c) == clangx._span(c), path
            seen += 1
            todo.extend(mine)
    assert seen > 1000


@pytest.mark.skipif(not clangx.ACCELERATED, reason="sslint.frontend._cursors is not in use")
def test_definitions_match_the_bindings():
    """Among the thousands of header declarations, the same function definitions (a
    unity build's included .c files among them)."""
    files = sorted((ROOT / "testdata").glob("*/*.c"))
    assert any("unity" in str(f) for f in files)
    found = 0
    for path in files:
        tu = parse.parse_file(str(path), [])._tu
        mine = _cursors.definitions(tu.cursor)
        assert [c.hash for c in mine] == [c.hash for c in clangx._definitions(tu.cursor)], path
        found += len(mine)
    assert found > 100


@pytest.mark.skipif(_cursors is None, reason="sslint.frontend._cursors is not built")
def test_anything_but_a_cursor_is_refused():
    for bad in (None, 1, b"x" * 32, bytearray(8)):
        with pytest.raises(TypeError):
            _cursors.span(bad)
        with pytest.raises((TypeError, AttributeError)):
            _cursors.children(bad)
