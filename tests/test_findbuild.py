"""Without -p, each file's flags come from the nearest compile_commands.json (or one
in a build/ folder) or compile_flags.txt above it, as clangd finds them."""
from __future__ import annotations

import json

import pytest

from sslint.core.findings import Notification
from sslint.frontend.findbuild import BuildFinder
from sslint.session.inputs import units_for
from sslint.session.pipeline import Request, run

# A double free that only exists when BUGGY is defined.
SOURCE = """#include <openssl/ssl.h>
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
#ifdef BUGGY
    SSL_free(s);
#endif
}
"""


def _project(tmp_path, where: str):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.c").write_text(SOURCE)
    if where == "flags":
        (tmp_path / "compile_flags.txt").write_text("-DBUGGY\n-fplugin=evil.so\n")
    else:
        db = tmp_path / ("build" if where == "build" else "") / "compile_commands.json"
        db.parent.mkdir(exist_ok=True)
        db.write_text(json.dumps([{"directory": str(src), "file": "a.c",
                                   "arguments": ["cc", "-c", "a.c", "-DBUGGY"]}]))
    return src / "a.c"


@pytest.mark.parametrize("where", ["root", "build", "flags"])
def test_the_nearest_build_gives_the_flags(tmp_path, where):
    path = _project(tmp_path, where)
    notes: list[Notification] = []
    units, _ = units_for([str(path)], None, [], notes)
    assert "-DBUGGY" in units[0].args
    assert any(n.code == "compdb-found" for n in notes), notes
    if where == "flags":  # sanitised like any other flags
        assert not any("plugin" in a for a in units[0].args)
        assert any(n.code == "compdb-flag-dropped" for n in notes)


def test_a_run_finds_the_bug_and_names_the_database(tmp_path):
    path = _project(tmp_path, "build")
    report = run(Request(paths=(str(path),), root=str(tmp_path), isolated=True, jobs=1))
    assert [f.rule_id for f in report.findings()] == ["SSL101"]
    assert report.flag_sources and report.flag_sources[0].endswith("compile_commands.json")
    off = run(Request(paths=(str(path),), root=str(tmp_path), isolated=True, jobs=1,
                      find_build=False))
    assert off.findings() == [] and off.flag_sources == ()


def test_a_broken_database_found_on_the_way_is_a_warning(tmp_path):
    src = tmp_path / "a.c"
    src.write_text(SOURCE)
    (tmp_path / "compile_commands.json").write_text("{not json")
    notes: list[Notification] = []
    units, _ = units_for([str(src)], None, ["-DX"], notes)
    assert units[0].args == ("-DX",)
    assert any(n.level == "warning" and "compile_commands.json" in n.message for n in notes)


def test_a_file_the_database_does_not_list_gets_no_flags(tmp_path):
    path = _project(tmp_path, "root")
    other = path.parent / "b.c"
    other.write_text("int x;\n")
    found = BuildFinder().flags_for(str(other))
    assert found is not None and found.args is None


def test_files_the_database_lacks_are_one_note(tmp_path):
    """A tree checked with -p holds files its build does not compile (tests, other
    platforms' ports): each is analysed with default flags, and said once."""
    for name in ("built.c", "a.c", "b.c"):
        (tmp_path / name).write_text("int f(void) { return 0; }\n")
    db = tmp_path / "compile_commands.json"
    db.write_text(json.dumps([{"directory": str(tmp_path), "file": "built.c",
                               "arguments": ["cc", "-c", "built.c"]}]))
    notes: list[Notification] = []
    units, _ = units_for([str(tmp_path)], str(db), [], notes)
    assert len(units) == 3
    said = [n for n in notes if n.code == "not-in-compdb"]
    assert len(said) == 1 and said[0].message.startswith("2 file(s) not in the compilation")
    assert "a.c" in said[0].message and "b.c" in said[0].message
    assert "built.c" not in said[0].message
