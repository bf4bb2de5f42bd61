"""Finding the C files to analyse, and refusing files that cannot be analysed."""
from __future__ import annotations

import os

import pytest

from sslint.frontend import sources
from sslint.frontend.sources import check_readable, discover, printable_path


def _touch(path, text="int x;\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folder_yields_sorted_c_files_and_skips_hidden(tmp_path):
    for rel in ("b.c", "a.c", "sub/z.c", "sub/y.h", "notes.txt", ".git/hooks/x.c",
                "sub/.cache/w.c", "a.cc"):
        _touch(tmp_path / rel)
    files, notes = discover([str(tmp_path)])
    assert files == [str(tmp_path / "a.c"), str(tmp_path / "b.c"), str(tmp_path / "sub" / "z.c")]
    assert notes == []


def test_explicit_file_is_taken_whatever_its_extension(tmp_path):
    header = _touch(tmp_path / "api.h")
    odd = _touch(tmp_path / "weird.inc")
    files, notes = discover([str(header), str(odd)])
    assert files == [str(header), str(odd)]
    assert notes == []


def test_missing_path_is_an_error(tmp_path):
    files, notes = discover([str(tmp_path / "nope")])
    assert files == []
    assert [(n.level, n.code) for n in notes] == [("error", "missing-path")]
    assert "nope" in notes[0].message


def test_folder_without_c_files_is_reported(tmp_path):
    _touch(tmp_path / "readme.md")
    files, notes = discover([str(tmp_path)])
    assert files == []
    assert len(notes) == 1
    assert notes[0].message == f"no C files found under {tmp_path}"


def test_symlink_loops_terminate_and_each_folder_is_walked_once(tmp_path):
    _touch(tmp_path / "src" / "a.c")
    os.symlink(tmp_path / "src", tmp_path / "src" / "again")   # loop back to itself
    os.symlink(tmp_path, tmp_path / "src" / "up")              # loop to the ancestor
    os.symlink(tmp_path / "src", tmp_path / "alias")           # same folder, second name
    # The walk itself, not just discover's de-duplication, must see the file once.
    notes = []
    assert sources._c_files_under(str(tmp_path), notes) == [str(tmp_path / "src" / "a.c")]
    files, notes = discover([str(tmp_path)])
    assert files == [str(tmp_path / "src" / "a.c")]
    assert notes == []


def test_symlinked_folder_outside_is_followed(tmp_path):
    _touch(tmp_path / "vendor" / "v.c")
    (tmp_path / "proj").mkdir()
    os.symlink(tmp_path / "vendor", tmp_path / "proj" / "vendor")
    files, _ = discover([str(tmp_path / "proj")])
    assert files == [str(tmp_path / "proj" / "vendor" / "v.c")]


def test_same_file_twice_is_listed_once(tmp_path):
    a = _touch(tmp_path / "a.c")
    files, _ = discover([str(a), str(tmp_path), str(tmp_path / "." / "a.c")])
    assert files == [str(a)]


def test_unlistable_folder_is_a_warning(tmp_path, monkeypatch):
    _touch(tmp_path / "a.c")
    _touch(tmp_path / "locked" / "b.c")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, notes = discover([str(tmp_path)])
    assert files == [str(tmp_path / "a.c")]
    assert [n.code for n in notes] == ["unreadable-dir"]


def test_fifo_named_c_is_not_picked_up_by_discovery(tmp_path):
    os.mkfifo(tmp_path / "pipe.c")
    _touch(tmp_path / "real.c")
    files, _ = discover([str(tmp_path)])
    assert files == [str(tmp_path / "real.c")]


def test_non_utf8_names(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9"
    folder = os.fsdecode(raw)
    os.mkdir(folder)
    path = os.path.join(folder, os.fsdecode(b"m\xffin.c"))
    with open(path, "w") as fh:
        fh.write("int x;\n")
    files, notes = discover([folder])
    assert files == [path]
    assert check_readable(path) is None
    _, notes = discover([os.fsdecode(raw + b"/gone\xff")])
    message = notes[0].message
    message.encode("utf-8")  # printable: no lone surrogates
    assert "\\xff" in message


def test_printable_path_escapes_control_characters():
    assert printable_path("a\nb\x1b.c") == "a\\nb\\x1b.c"


# --- check_readable --------------------------------------------------------------

def test_readable_text_file(tmp_path):
    assert check_readable(str(_touch(tmp_path / "a.c"))) is None


def test_binary_file(tmp_path):
    path = tmp_path / "blob.c"
    path.write_bytes(b"int x;\n" + b"\0" + b"y" * 100)
    assert "binary" in check_readable(str(path))


def test_nul_after_the_first_8_kib_is_not_sniffed(tmp_path):
    path = tmp_path / "late.c"
    path.write_bytes(b"/" * 9000 + b"\0")
    assert check_readable(str(path)) is None


def test_size_limit(tmp_path):
    path = tmp_path / "big.c"
    path.write_bytes(b"x" * 2048)
    assert check_readable(str(path), max_bytes=4096) is None
    assert "larger" in check_readable(str(path), max_bytes=1024)
    assert sources.DEFAULT_MAX_BYTES == 8 * 1024 * 1024


def test_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.c")
    assert "not a regular file" in check_readable(str(tmp_path / "pipe.c"))
    assert "not a regular file" in check_readable(str(tmp_path))


def test_dangling_symlink(tmp_path):
    os.symlink(tmp_path / "gone.c", tmp_path / "link.c")
    files, _ = discover([str(tmp_path / "link.c")])
    assert files == [str(tmp_path / "link.c")]
    assert "no such file" in check_readable(files[0])


def test_permission_denied_is_reported(tmp_path, monkeypatch):
    path = _touch(tmp_path / "secret.c")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Root can read anything, so simulate the refusal where the module opens files.
    monkeypatch.setattr(sources, "open", denied, raising=False)
    assert "permission denied" in check_readable(str(path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
def test_permission_denied_for_real(tmp_path):
    path = _touch(tmp_path / "secret.c")
    path.chmod(0)
    try:
        assert "permission denied" in check_readable(str(path))
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("bom, name", [(b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE"),
                                       (b"\xff\xfe\x00\x00", "UTF-32LE")])
def test_wide_encodings_are_refused_with_a_reason(tmp_path, bom, name):
    path = tmp_path / "wide.c"
    path.write_bytes(bom + "int f(void) { return 0; }\n".encode("utf-16-le"))
    why = check_readable(str(path))
    assert why is not None and name in why and "UTF-8" in why
