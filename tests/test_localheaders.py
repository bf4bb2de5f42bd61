"""The headers a file includes, read from its text (frontend/localheaders.py): the
angle-bracket ones found in -I folders too, and re-read when they change (a
process keeps them between files, and the language server lives long)."""
from __future__ import annotations

from sslint.frontend.localheaders import local_header_texts


def test_angle_includes_are_followed_through_the_include_folders(tmp_path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "gen").mkdir()
    (tmp_path / "inc" / "cfg.h").write_bytes(b"#include <auto.h>\n")
    (tmp_path / "gen" / "auto.h").write_bytes(b"#define APP_SSL 1\n")
    src = tmp_path / "a.c"
    src.write_bytes(b"#include <cfg.h>\n")
    args = ["-I", str(tmp_path / "inc"), f"-I{tmp_path / 'gen'}"]
    assert local_header_texts(str(src), src.read_bytes(), args, angle=True) \
        == [b"#include <auto.h>\n", b"#define APP_SSL 1\n"]
    # Without `angle` only "..." includes count; without the folders nothing is found.
    assert local_header_texts(str(src), src.read_bytes(), args) == []
    assert local_header_texts(str(src), src.read_bytes(), [], angle=True) == []


def test_a_changed_or_new_header_is_read_again(tmp_path):
    src = tmp_path / "a.c"
    src.write_bytes(b'#include "one.h"\n#include "two.h"\n')
    (tmp_path / "one.h").write_bytes(b"#define A 1\n")
    assert local_header_texts(str(src), src.read_bytes(), []) == [b"#define A 1\n"]
    (tmp_path / "one.h").write_bytes(b"#define A 22\n")
    (tmp_path / "two.h").write_bytes(b"#define B 1\n")
    got = local_header_texts(str(src), src.read_bytes(), [])
    assert sorted(got) == [b"#define A 22\n", b"#define B 1\n"]
