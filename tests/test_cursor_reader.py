"""sslint/frontend/_cursors.c (built by setup.py beside the compiled engine) reads a
cursor's children, extent, hash, type kind... for the lowering, and a file's function
definitions: it must give exactly what the Python bindings give, on every cursor of
real code."""
from __future__ import annotations

import os

import pytest

from sslint.frontend import clangx, parse

from conftest import ROOT

try:
    from sslint.frontend import _cursors
except ImportError:
    _cursors = None


def _same(a, b) -> bool:
    """The same cursor (or both None), keeping the same translation unit alive."""
    if a is None or b is None:
        return a is b
    return (a._kind_id, a.hash) == (b._kind_id, b.hash) and a._tu is b._tu


@pytest.mark.skipif("SSLINT_EXPECT_ENGINE" not in os.environ,
                    reason="tests/run.sh says whether it built the C modules")
def test_the_reader_is_in_use_exactly_when_built():
    assert clangx.ACCELERATED == (os.environ["SSLINT_EXPECT_ENGINE"] == "compiled")


@pytest.mark.skipif(not clangx.ACCELERATED, reason="sslint.frontend._cursors is not in use")
def test_every_read_matches_the_bindings():
    files = sorted((ROOT / "testdata" / "engine").glob("*.c"))[:12]
    assert files
    seen = 0
    kinds = set()  # canonical type kinds seen
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
            assert _cursors.spelling(c) == clangx._spelling(c), path
            assert _cursors.type_spelling(c) == clangx._type_spelling(c), path
            assert _same(_cursors.referenced(c), clangx._referenced(c)), path
            assert _cursors.cursor_hash(c) == clangx._cursor_hash(c), path
            for canonical in (False, True):
                assert _cursors.type_kind(c, canonical) == clangx._type_kind(c, canonical), path
            kinds.add(_cursors.type_kind(c, True))
            mine_args, their_args = _cursors.arguments(c), clangx._arguments(c)
            assert len(mine_args) == len(their_args), path
            assert all(_same(a, b) for a, b in zip(mine_args, their_args, strict=True)), path
            seen += 1
            todo.extend(mine)
    assert seen > 1000
    assert len(kinds) >= 5  # pointers, integers, void, functions... not one kind for all


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


@pytest.mark.skipif(not clangx.ACCELERATED, reason="sslint.frontend._cursors is not in use")
def test_inclusions_match_the_bindings():
    files = sorted((ROOT / "testdata").glob("*/*.c"))[:20]
    listed = 0
    for path in files:
        tu = parse.parse_file(str(path), [])._tu
        mine = clangx.inclusions(tu)
        assert mine == clangx._inclusions(tu), path
        listed += len(mine)
    assert listed > 100
    with pytest.raises(ValueError):
        _cursors.inclusions(0)


@pytest.mark.skipif(_cursors is None, reason="sslint.frontend._cursors is not built")
def test_anything_but_a_cursor_is_refused():
    for bad in (None, 1, b"x" * 32, bytearray(8)):
        for read in (_cursors.span, _cursors.children, _cursors.definitions,
                     _cursors.spelling, _cursors.type_spelling, _cursors.referenced,
                     _cursors.arguments):
            with pytest.raises(TypeError):
                read(bad)
