"""Configuration files: discovery, every key, validation errors, precedence."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_cli import BUGGY, CLEAN, no_traceback, run

from sslint.session import config
from sslint.session.config import ConfigError, enabled_rules, find_config, load_config
from sslint.core.rule import all_rules

LEAK = CLEAN.replace("    SSL_free(s);\n", "")  # SSL103 only
WRAPPED = """#include <openssl/ssl.h>
void my_conn_free(SSL *s);
void f(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    my_conn_free(s);
    SSL_free(s);
}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- discovery ----------------------------------------------------------------------

def test_walks_up_and_the_closest_file_wins(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.sslint]\nselect = ['SSL101']\n")
    write(tmp_path / "a" / "sslint.toml", "select = ['SSL103']\n")
    deep = tmp_path / "a" / "b" / "c.c"
    write(deep, CLEAN)
    assert find_config([str(deep)]) == str(tmp_path / "a" / "sslint.toml")
    assert find_config([str(tmp_path / "x.c")]) == str(tmp_path / "pyproject.toml")


def test_order_within_a_folder_and_pyproject_without_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.sslint]\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.sslint]
    start = [str(tmp_path / "sub" / "x.c")]
    assert find_config(start) == str(tmp_path / "pyproject.toml")
    write(tmp_path / "sub" / "sslint.toml", "")
    assert find_config(start) == str(tmp_path / "sub" / "sslint.toml")
    write(tmp_path / "sub" / ".sslint.toml", "")
    assert find_config(start) == str(tmp_path / "sub" / ".sslint.toml")


def test_first_start_point_with_a_config_wins(tmp_path):
    write(tmp_path / "one" / "sslint.toml", "")
    write(tmp_path / "two" / "sslint.toml", "")
    got = find_config([str(tmp_path / "one" / "x.c"), str(tmp_path / "two" / "y.c")])
    assert got == str(tmp_path / "one" / "sslint.toml")


# ---- every key ------------------------------------------------------------------------

def test_all_keys_load(tmp_path):
    cfg = load_config(str(write(tmp_path / "pyproject.toml", """
[tool.sslint]
select = ["SSL1"]
ignore = ["SSL102"]
severity = { SSL101 = "note", SSL1 = "error" }
extra-args = ["-DX=1", "-Iinclude", "-fplugin=evil.so", "-Xclang", "-load", "-Xclang", "e.so"]
[tool.sslint.per-file-ignores]
"tests/**" = ["SSL103"]
[tool.sslint.api.my_conn_free]
args = ["release"]
man = "my_conn_free"
""")))
    assert cfg.select == ("SSL1",) and cfg.ignore == ("SSL102",)
    assert config.level_override(cfg, "SSL101", "double-free") == "note"  # the exact id wins
    assert config.level_override(cfg, "SSL103", "handle-leak") == "error"
    assert config.level_override(cfg, "SSL201", "x") is None
    # Hostile clang arguments are dropped; relative paths start at the config's folder.
    assert cfg.extra_args == ("-DX=1", f"-I{tmp_path / 'include'}")
    assert len(cfg.warnings) == 2 and all("extra-args" in w for w in cfg.warnings)
    (name, spec), = cfg.api
    assert name == "my_conn_free" and spec.args == ("release",)


@pytest.mark.parametrize(("glob", "path", "hit"), [
    ("tests/**", "tests/a/b.c", True),
    ("tests/**", "src/tests/b.c", False),
    ("**/gen_*.c", "src/deep/gen_x.c", True),
    ("**/gen_*.c", "gen_x.c", True),
    ("src/*.c", "src/a.c", True),
    ("src/*.c", "src/sub/a.c", False),
    ("legacy.c", "any/where/legacy.c", True),  # no slash: the file name anywhere
    ("./src/a.c", "src/a.c", True),
    ("src/[ab].c", "src/b.c", True),
    ("src/[!ab].c", "src/b.c", False),
])
def test_per_file_ignore_globs(tmp_path, glob, path, hit):
    cfg = config.Config(path=str(tmp_path / "sslint.toml"), per_file_ignores=((glob, ("SSL1",)),))
    assert (config.ignored_in_file(cfg, str(tmp_path / path)) == ("SSL1",)) is hit


def test_per_file_ignores_never_match_outside_the_config_folder(tmp_path):
    cfg = config.Config(path=str(tmp_path / "proj" / "sslint.toml"),
                        per_file_ignores=(("**", ("SSL1",)),))
    assert config.ignored_in_file(cfg, str(tmp_path / "other" / "a.c")) == ()


def test_layering_config_then_command_line():
    rules = all_rules()

    def ids(*layers):
        return {r.rule.id for r in enabled_rules(rules, layers)}

    everything = {r.rule.id for r in rules}
    assert ids() == everything
    assert ids((("SSL1",), ("SSL102",))) == {i for i in everything
                                             if i.startswith("SSL1")} - {"SSL102"}
    # A command-line select replaces the config's selection, ignores included.
    assert ids((("SSL1",), ("SSL101",)), (("SSL101",), ())) == {"SSL101"}
    # A command-line ignore removes from what the config selected.
    assert ids((("SSL10",), ()), ((), ("SSL103",))) == {"SSL101", "SSL102", "SSL104"}


# ---- validation ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "needle"), [
    ("[tool.sslint]\nselec = ['SSL101']\n",
     "'tool.sslint.selec': unknown key (did you mean 'select'?)"),
    ("[tool.sslint]\nselect = 'SSL101'\n", "'tool.sslint.select' must be a list of strings"),
    ("[tool.sslint]\nignore = ['XYZ1']\n", "'tool.sslint.ignore': unknown rule selector(s) XYZ1"),
    ("[tool.sslint]\nseverity = { SSL101 = 'loud' }\n",
     "'tool.sslint.severity.SSL101' must be one of note, warning, error"),
    ("[tool.sslint]\nseverity = { NOPE = 'note' }\n", "'tool.sslint.severity.NOPE'"),
    ("[tool.sslint]\nextra-args = '-DX'\n", "'tool.sslint.extra-args' must be a list of strings"),
    ("[tool.sslint.per-file-ignores]\n'a/*' = 'SSL101'\n",
     "'tool.sslint.per-file-ignores.a/*' must be a list of strings"),
    ("[tool.sslint.api.my_free]\nargs = ['frees']\n",
     "'tool.sslint.api.my_free': unknown argument verb 'frees'"),
    ("[tool.sslint.api.my_free]\nargs = ['release']\nreturns = 'acquire:FOO'\n",
     "'tool.sslint.api.my_free': unknown handle kind 'FOO'"),
    ("[tool.sslint.api.my_free]\nargz = ['release']\n",
     "'tool.sslint.api.my_free': unknown key(s) argz"),
    ("[tool.sslint.api.'my free']\nargs = ['release']\n", "not a C function name"),
    ("[tool.sslint]\nselect = [\n", "pyproject.toml: invalid TOML"),
    ("[tool]\nsslint = 3\n", "'tool.sslint' must be a table"),
])
def test_malformed_config_names_file_and_key(tmp_path, text, needle):
    path = write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert needle in str(err.value) and str(path.name) in str(err.value)
    assert "\n" not in str(err.value)


def test_standalone_file_keys_have_no_prefix(tmp_path):
    path = write(tmp_path / "sslint.toml", "[tool.sslint]\nselect = ['SSL101']\n")
    with pytest.raises(ConfigError, match=r"sslint\.toml: 'tool': unknown key"):
        load_config(str(path))
    assert load_config(str(write(path, "select = ['SSL101']\n"))).select == ("SSL101",)


# ---- through the command line --------------------------------------------------------

@pytest.mark.slow
def test_cli_malformed_config_exit_2_one_line(tmp_path):
    write(tmp_path / "x.c", CLEAN)
    write(tmp_path / ".sslint.toml", "[api.my_free]\nargs = ['frees']\n")
    r = run("check", "x.c", cwd=tmp_path)
    no_traceback(r)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == ("sslint: error: .sslint.toml: 'api.my_free': unknown argument verb "
                        "'frees'\n")


@pytest.mark.slow
def test_cli_api_extension_makes_a_wrapper_release(tmp_path):
    write(tmp_path / "src" / "conn.c", WRAPPED)
    only = ("--select", "SSL101,SSL103")
    assert run("check", "src", *only, cwd=tmp_path).returncode == 0  # unknown: s escapes
    write(tmp_path / "pyproject.toml", "[tool.sslint]\nselect = ['SSL101', 'SSL103']\n"
          "[tool.sslint.api.my_conn_free]\nargs = ['release']\n")
    r = run("check", "src", cwd=tmp_path)
    assert r.returncode == 1 and "src/conn.c:7:5:" in r.stdout and "[SSL101]" in r.stdout
    assert "my_conn_free()" in r.stdout
    assert run("check", "src", "--isolated", *only, cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_cli_select_severity_and_per_file_ignores(tmp_path):
    write(tmp_path / "src" / "leak.c", LEAK)
    write(tmp_path / "tests" / "leak.c", LEAK)
    write(tmp_path / "src" / "twice.c", BUGGY)
    write(tmp_path / "sslint.toml", """
select = ["SSL101", "SSL103"]
severity = { SSL101 = "warning" }
[per-file-ignores]
"tests/**" = ["SSL103"]
""")
    r = run("check", ".", "--format", "json", cwd=tmp_path)
    got = sorted((f["file"], f["rule_id"], f["level"]) for f in json.loads(r.stdout)["findings"])
    assert got == [("src/leak.c", "SSL103", "warning"), ("src/twice.c", "SSL101", "warning")]
    # SARIF carries the overridden level on the result, the rule default on the rule.
    log = json.loads(run("check", "src/twice.c", "--format", "sarif", cwd=tmp_path).stdout)
    run0 = log["runs"][0]
    assert run0["results"][0]["level"] == "warning"
    assert {d["id"] for d in run0["tool"]["driver"]["rules"]} == {"SSL101", "SSL103"}


@pytest.mark.slow
def test_cli_options_win_over_config(tmp_path):
    write(tmp_path / "x.c", BUGGY)
    write(tmp_path / "sslint.toml", "select = ['SSL10']\nignore = ['SSL101']\n")
    assert run("check", "x.c", cwd=tmp_path).returncode == 0
    assert run("check", "x.c", "--select", "SSL101", cwd=tmp_path).returncode == 1
    # --config names the file to use instead of discovery.
    other = write(tmp_path / "elsewhere" / "strict.toml", "select = ['SSL101']\n")
    assert run("check", "x.c", "--config", str(other), cwd=tmp_path).returncode == 1
    r = run("check", "x.c", "--config", "nope.toml", cwd=tmp_path)
    assert r.returncode == 2 and "nope.toml: no such config file" in r.stderr
    r = run("check", "x.c", "--config", str(other), "--isolated", cwd=tmp_path)
    assert r.returncode == 2


@pytest.mark.slow
def test_cli_extra_args_reach_clang_and_plugins_do_not(tmp_path):
    twice_if_bug = "    SSL_free(s);\n#ifdef BUG\n    SSL_free(s);\n#endif\n"
    write(tmp_path / "m.c", CLEAN.replace("    SSL_free(s);\n", twice_if_bug))
    write(tmp_path / "pyproject.toml",
          "[tool.sslint]\nextra-args = ['-DBUG', '-fplugin=./evil.so']\n")
    r = run("check", "m.c", cwd=tmp_path)
    assert r.returncode == 1 and "[SSL101]" in r.stdout
    assert "dropped -fplugin=./evil.so" in r.stderr and "pyproject.toml" in r.stderr
    assert os.path.exists(tmp_path / "m.c")


def test_readme_example_is_a_valid_config(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in readme.split("```toml\n")[1:]]
    path = write(tmp_path / "pyproject.toml", example.split("```")[0])
    cfg = load_config(str(path))
    assert cfg.select and cfg.ignore and cfg.severity and cfg.per_file_ignores
    assert {name for name, _ in cfg.api} == {"my_conn_free", "my_conn_new"}
    assert cfg.extra_args[0] == f"-I{tmp_path / 'include'}"


def test_error_messages_carry_no_terminal_escapes(tmp_path):
    path = write(tmp_path / "sslint.toml", '"evil\\u001b[2J" = 1\n')
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert "\x1b" not in str(err.value) and "evil\\x1b[2J" in str(err.value)
