"""compile_commands.json loading, and the sanitizer that keeps hostile databases inert."""
from __future__ import annotations

import json
import os

import pytest

from sslint.frontend.compdb import (
    CompdbError,
    CompileCommand,
    find_command,
    load_compdb,
    sanitize_args,
)


def _write(tmp_path, entries, name="compile_commands.json"):
    path = tmp_path / name
    path.write_text(entries if isinstance(entries, str) else json.dumps(entries))
    return path


def _one(tmp_path, entry) -> CompileCommand:
    entry.setdefault("directory", str(tmp_path))
    entry.setdefault("file", "a.c")
    (cmd,) = load_compdb(str(_write(tmp_path, [entry])))
    return cmd


# --- the two entry forms --------------------------------------------------------

def test_arguments_form(tmp_path):
    cmd = _one(tmp_path, {"arguments": ["cc", "-DX=1", "-Iinc", "-c", "a.c", "-o", "a.o"]})
    assert cmd.file == str(tmp_path / "a.c")
    assert cmd.directory == str(tmp_path)
    assert cmd.args == ("-DX=1", f"-I{tmp_path / 'inc'}")
    assert cmd.warnings == ()


def test_command_form_is_split_like_a_shell_would(tmp_path):
    cmd = _one(tmp_path, {"command": "/usr/bin/gcc -DMSG='\"hi there\"' -I 'my inc' -c a.c"})
    assert cmd.args == ('-DMSG="hi there"', "-I", str(tmp_path / "my inc"))


def test_arguments_preferred_over_command(tmp_path):
    cmd = _one(tmp_path, {"arguments": ["cc", "-DA"], "command": "cc -DB"})
    assert cmd.args == ("-DA",)


def test_launcher_and_dependency_flags_removed(tmp_path):
    cmd = _one(tmp_path, {"arguments": ["ccache", "gcc", "-MD", "-MF", "a.d", "-MT", "a.o",
                                        "-MMD", "-MQa.o", "-Wp,-MMD,.a.o.d", "-O2", "-c",
                                        "a.c", "-o", "a.o"]})
    assert cmd.args == ("-O2",)
    assert cmd.warnings == ()


def test_relative_file_and_directory(tmp_path):
    (tmp_path / "build").mkdir()
    path = _write(tmp_path, [{"directory": "build", "file": "../src/./x.c",
                              "arguments": ["cc", "-I../include", "-c", "../src/x.c"]}])
    (cmd,) = load_compdb(str(path))
    assert cmd.directory == str(tmp_path / "build")
    assert cmd.file == str(tmp_path / "src" / "x.c")
    assert cmd.args == (f"-I{tmp_path / 'include'}",)


def test_relative_include_flags_made_absolute(tmp_path):
    args, warnings = sanitize_args(
        ["-Ia", "-I", "b", "-isystem", "c", "-isystemd", "-iquote", "e", "-include", "f.h",
         "-I/abs", "-I=/sysroot/rel", "-idirafter", "g", "-isystem-after", "h"],
        str(tmp_path), str(tmp_path))
    assert args == [f"-I{tmp_path / 'a'}", "-I", str(tmp_path / "b"),
                    "-isystem", str(tmp_path / "c"), f"-isystem{tmp_path / 'd'}",
                    "-iquote", str(tmp_path / "e"), "-include", str(tmp_path / "f.h"),
                    "-I/abs", "-I=/sysroot/rel", "-idirafter", str(tmp_path / "g"),
                    "-isystem-after", str(tmp_path / "h")]
    assert warnings == []


def test_missing_directory_uses_json_folder_with_warning(tmp_path):
    path = _write(tmp_path, [{"file": "a.c", "arguments": ["cc", "-Iinc", "a.c"]}])
    (cmd,) = load_compdb(str(path))
    assert cmd.directory == str(tmp_path)
    assert cmd.args == (f"-I{tmp_path / 'inc'}",)
    assert any("directory" in w for w in cmd.warnings)


def test_folder_path_and_duplicates_keep_first(tmp_path):
    here = str(tmp_path)
    _write(tmp_path, [{"directory": here, "file": "a.c", "arguments": ["cc", "-DFIRST"]},
                      {"directory": here, "file": "./a.c", "arguments": ["cc", "-DSECOND"]},
                      {"directory": here, "file": "b.c", "command": "cc -DB b.c"}])
    cmds = load_compdb(str(tmp_path))
    assert [c.args for c in cmds] == [("-DFIRST",), ("-DB",)]
    assert find_command(cmds, str(tmp_path / "b.c")).args == ("-DB",)
    assert find_command(cmds, str(tmp_path / "nope.c")) is None


def test_find_command_through_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.c").write_text("")
    os.symlink(tmp_path / "real", tmp_path / "link")
    cmds = load_compdb(str(_write(tmp_path, [{"directory": str(tmp_path / "real"),
                                              "file": "a.c", "arguments": ["cc"]}])))
    assert find_command(cmds, str(tmp_path / "link" / "a.c")) is cmds[0]


def test_empty_list_is_fine(tmp_path):
    assert load_compdb(str(_write(tmp_path, "[]"))) == []


# --- errors: one line naming the file --------------------------------------------

@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ('{"file": "a.c"}', "not a JSON list"),
    ('["a.c"]', "entry 0: not a JSON object"),
    ('[{"directory": "/"}]', "no 'file'"),
    ('[{"file": "a.c", "directory": "/"}]', "neither 'arguments' nor 'command'"),
    ('[{"file": 3, "directory": "/", "command": "cc"}]', "'file' is not"),
    ('[{"file": "a.c", "directory": ["/"], "command": "cc"}]', "'directory' is not"),
    ('[{"file": "a.c", "directory": "/", "arguments": ["cc", 1]}]', "'arguments' is not"),
    ('[{"file": "a.c", "directory": "/", "arguments": "cc a.c"}]', "'arguments' is not"),
    ('[{"file": "a.c", "directory": "/", "command": ["cc"]}]', "'command' is not"),
    ('[{"file": "a.c", "directory": "/", "command": "cc \'unbalanced"}]', "cannot split"),
])
def test_malformed_databases(tmp_path, content, problem):
    path = _write(tmp_path, content)
    with pytest.raises(CompdbError) as info:
        load_compdb(str(path))
    message = str(info.value)
    assert problem in message
    assert str(path) in message
    assert "\n" not in message


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(CompdbError, match="no such file"):
        load_compdb(str(tmp_path))  # a folder without compile_commands.json
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'[{"file": "\xff"}]')
    with pytest.raises(CompdbError, match="not UTF-8"):
        load_compdb(str(bad))


# --- hostile databases -----------------------------------------------------------

DANGEROUS = [
    ["-Xclang", "-load", "-Xclang", "evil.so"],
    ["-Xclang", "-plugin", "-Xclang", "evil"],
    ["-Xclang", "-add-plugin", "-Xclang", "evil"],
    ["-Xclang", "-plugin-arg-evil", "-Xclang", "x"],
    ["-Xclang", "-pluginfoo"],
    ["-Xclang=-load", "-Xclang=evil.so"],
    ["-Xclang", "-fpass-plugin=evil.so"],
    ["-fplugin=evil.so"],
    ["-fplugin-arg-evil-key=value"],
    ["-fpass-plugin=evil.so"],
    ["-load", "evil.so"],
    ["-B", "/tmp/evil"],
    ["-B/tmp/evil"],
    ["--prefix", "/tmp/evil"],
    ["--prefix=/tmp/evil"],
    ["-Xlinker", "--plugin=evil.so"],
    ["-Wl,--plugin=evil.so"],
    ["-fuse-ld=/tmp/evil"],
    ["--ld-path=/tmp/evil"],
    ["-Xassembler", "--evil"],
    ["-Wa,--evil"],
    ["-Xpreprocessor", "-evil"],
    ["-Xarch_x86_64", "-fplugin=evil.so"],
    ["--config", "evil.cfg"],
    ["--config=evil.cfg"],
    ["-ccc-install-dir", "/tmp/evil"],
    ["-ccc-print-phases"],
    ["-mllvm", "-evil"],
    ["-fno-integrated-cc1"],
    ["-no-integrated-as"],
    ["-fmodules"],
    ["-fmodules-cache-path=/tmp/evil"],
    ["-fmodule-file=evil.pcm"],
    ["-include-pch", "evil.pch"],
    ["-wrapper", "/tmp/evil"],
    ["-specs=evil.specs"],
    ["-cc1"],
]


@pytest.mark.parametrize("flags", DANGEROUS, ids=lambda f: " ".join(f))
def test_each_dangerous_flag_is_dropped_with_a_warning(tmp_path, flags):
    args, warnings = sanitize_args(["-DKEEP", *flags, "-O2"], str(tmp_path), str(tmp_path))
    assert args == ["-DKEEP", "-O2"]
    assert len(warnings) == 1
    assert flags[0] in warnings[0]


def test_harmless_xclang_is_kept(tmp_path):
    args, warnings = sanitize_args(["-Xclang", "-fno-color-diagnostics"],
                                   str(tmp_path), str(tmp_path))
    assert args == ["-Xclang", "-fno-color-diagnostics"]
    assert warnings == []


def test_hostile_database_end_to_end(tmp_path):
    flat = [f for flags in DANGEROUS for f in flags]
    cmd = _one(tmp_path, {"arguments": ["cc", "-DKEEP", *flat, "-c", "a.c"]})
    assert cmd.args == ("-DKEEP",)
    assert len(cmd.warnings) == len(DANGEROUS)


def test_command_is_split_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    command = (f"cc -c a.c $(touch {marker}) `touch {marker}`; touch {marker} "
               f"&& rm -rf / | touch {marker}")
    cmds = load_compdb(str(_write(tmp_path, [{"directory": str(tmp_path), "file": "a.c",
                                              "command": command}])))
    assert not marker.exists()
    assert not (tmp_path / "PWNED)").exists()
    # The shell syntax survives only as inert words.
    assert "$(touch" in cmds[0].args
    assert "rm" in cmds[0].args


def test_response_file_inside_root_is_expanded_and_sanitized(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "flags.rsp").write_text(
        "-DFROM_RSP '-DQUOTED=a b' -Iinc -fplugin=evil.so @sub/more.rsp")
    (tmp_path / "sub" / "more.rsp").write_text("-DNESTED -Xclang -load -Xclang evil.so")
    args, warnings = sanitize_args(["@flags.rsp", "-O1"], str(tmp_path), str(tmp_path))
    assert args == ["-DFROM_RSP", "-DQUOTED=a b", f"-I{tmp_path / 'inc'}", "-DNESTED", "-O1"]
    assert len(warnings) == 2


def test_response_file_outside_root_is_dropped(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "outside.rsp").write_text("-DLEAK")
    os.symlink(tmp_path / "outside.rsp", root / "sneaky.rsp")
    for ref in (f"@{tmp_path / 'outside.rsp'}", "@../outside.rsp", "@sneaky.rsp"):
        args, warnings = sanitize_args([ref, "-O1"], str(root), str(root))
        assert args == ["-O1"]
        assert len(warnings) == 1 and "outside" in warnings[0]


def test_response_file_recursion_is_bounded(tmp_path):
    (tmp_path / "loop.rsp").write_text("-DLOOP @loop.rsp")
    args, warnings = sanitize_args(["@loop.rsp"], str(tmp_path), str(tmp_path))
    assert args == ["-DLOOP"] * 8
    assert len(warnings) == 1 and "deeper" in warnings[0]


def test_missing_response_file_is_dropped(tmp_path):
    args, warnings = sanitize_args(["@nope.rsp", "-O1"], str(tmp_path), str(tmp_path))
    assert args == ["-O1"]
    assert len(warnings) == 1


def test_load_compdb_root_defaults_to_the_json_folder(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    (tmp_path / "up.rsp").write_text("-DUP")
    entry = {"directory": str(build), "file": "a.c", "arguments": ["cc", "@../up.rsp"]}
    path = _write(build, [entry])
    (cmd,) = load_compdb(str(path))
    assert cmd.args == ()
    (cmd,) = load_compdb(str(path), root=str(tmp_path))
    assert cmd.args == ("-DUP",)


def test_a_flag_dropped_from_every_command_is_one_note(tmp_path):
    """A build passes the same flags to every file: one note, not one per file."""
    from sslint.session.inputs import units_for

    entries = [{"directory": str(tmp_path), "file": f"{n}.c",
                "arguments": ["cc", "-specs=evil.specs", "-c", f"{n}.c"]} for n in "abc"]
    entries[2]["arguments"][1:1] = ["-wrapper", "/tmp/evil"]
    notes: list = []
    units, _ = units_for([], str(_write(tmp_path, entries)), [], notes)
    assert len(units) == 3
    dropped = [n.message for n in notes if n.code == "compdb-flag-dropped"]
    assert len(dropped) == 2
    assert "a.c (and 2 more file(s))" in dropped[0] and "-specs=evil.specs" in dropped[0]
    assert "c.c:" in dropped[1] and "more file" not in dropped[1]
