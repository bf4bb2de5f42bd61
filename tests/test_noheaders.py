"""Recovery by synthetic declarations (sslint/frontend/recover.py): testdata/noheaders
files analysed without their headers give the same findings as with them (the
headers are in testdata/noheaders/buildonly, passed with -I for the second run), and
say what was guessed. Each file's inline expectations are checked by
test_testdata.py (the header-less run)."""
from __future__ import annotations

import shutil

import pytest
from conftest import TESTDATA

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.frontend import parse as parse_mod
from sslint.frontend import fallback, guards, recover
from sslint.workers.runner import Job, Unit, run_unit

FOLDER = TESTDATA / "noheaders"
INCLUDE = FOLDER / "buildonly"  # not where projectdirs looks: found only with -I
WITH_HEADERS = ["config_header.c", "foreach_loops.c", "export_macros.c", "conn_struct.c",
                "version_checks.c", "check_macros.c"]


@pytest.fixture(scope="module")
def job() -> Job:
    return Job(tuple(r.rule.id for r in all_rules()), (), Options())


@pytest.fixture(scope="module", autouse=True)
def _without_buildonly(tmp_path_factory):
    """The header-less runs read a copy of the folder without buildonly/: in place,
    frontend/projectdirs.py would find those headers in the tree (as it should),
    and these tests are about files whose headers the tree does not hold."""
    global HIDDEN
    HIDDEN = tmp_path_factory.mktemp("noheaders") / "noheaders"
    shutil.copytree(FOLDER, HIDDEN, ignore=shutil.ignore_patterns("buildonly"))
    yield
    HIDDEN = FOLDER


HIDDEN = FOLDER


def _run(job: Job, name: str, args: tuple[str, ...] = ()):
    path = str(HIDDEN / name)
    res = run_unit(job, Unit(path, path, args))
    assert res.analyzed
    return res


@pytest.mark.parametrize("name", WITH_HEADERS)
def test_same_findings_with_and_without_headers(job, name):
    without = _run(job, name)
    with_headers = _run(job, name, (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings)
    assert found  # each file holds real bugs: an empty result would prove nothing
    # Without headers every function was analysed, and the guesses are named.
    codes = [n.code for n in without.notifications]
    assert "unparsable-statement" not in codes, [n.message for n in without.notifications]
    assert "recovered-names" in codes
    # With them nothing is guessed and nothing fails to parse.
    assert not with_headers.parse_errors
    assert "recovered-names" not in [n.code for n in with_headers.notifications]


def _found(res) -> list[tuple[int, str]]:
    return sorted((f.loc.line, f.rule_id) for f in res.findings)


def _same_as_build(job: Job, name: str, build_args: tuple[str, ...],
                   expected: list[tuple[int, str]]):
    """The file header-less and with the build's arguments: both give `expected`."""
    without, build = _run(job, name), _run(job, name, build_args)
    assert _found(without) == _found(build) == expected
    return without, build


def _recovered_note(res) -> str:
    return next(n.message for n in res.notifications if n.code == "recovered-names")


def test_the_guesses_are_named(job):
    note = _recovered_note(_run(job, "config_header.c"))
    for name in ("PROJ_OK", "PROJ_ERROR", "proj_int_t", "proj_str_t"):
        assert name in note
    note = _recovered_note(_run(job, "foreach_loops.c"))
    assert "TAILQ_FOREACH" in note and "list_for_each" in note
    note = _recovered_note(_run(job, "export_macros.c"))
    assert "PROJ_EXPORT" in note and "PROJ_API" in note


def test_what_recovery_cannot_mend_is_still_reported(job):
    res = _run(job, "dropped_statements.c")
    skipped = sorted(n.message.split("'")[1] for n in res.notifications
                     if n.code == "unparsable-statement")
    # A missing member of a struct the file defines stays dropped; so does an
    # assignment to a variable a later lifecycle call reads.
    assert skipped == ["return_of_missing_member", "stale_after_dropped_assignment"]


def test_a_clean_file_is_parsed_once(monkeypatch):
    calls = []
    monkeypatch.setattr(recover, "recover", lambda *a, **k: calls.append(a) or (None, [], []))
    parsed = parse_mod.parse_file(str(FOLDER / "config_header.c"), [f"-I{INCLUDE}"])
    assert not parsed.errors and not parsed.recovered and not calls


def test_prelude_shapes():
    """The guesses for each shape of missing name, read from clang's messages."""
    src = (b"int f(conn_t *c, proj_int_t n) { item_t *x;\n"
           b"    EACH(x, list) {\n        n++;\n    }\n"
           b"    c->ssl->connection = 0;\n"
           b"    return PROJ_OK;\n}\n")
    errs = [parse_mod.Diagnostic("m.c", 1, 7, "unknown type name 'conn_t'"),
            parse_mod.Diagnostic("m.c", 1, 18, "unknown type name 'proj_int_t'"),
            parse_mod.Diagnostic("m.c", 2, 10, "use of undeclared identifier 'x'"),
            parse_mod.Diagnostic("m.c", 5, 8, "no member named 'ssl' in 'struct __sslint_conn_t'"),
            parse_mod.Diagnostic("m.c", 6, 12, "use of undeclared identifier 'PROJ_OK'")]
    g = recover.Guesses()
    assert g.learn(errs, lambda name: src, frozenset())
    header = g.header().decode()
    assert "typedef int proj_int_t;" in header                 # looks like an integer
    assert "typedef struct __sslint_conn_t conn_t;" in header  # has members
    assert "extern long PROJ_OK;" in header                     # a value, not a constant
    # A loop that assigns its variable an unknown value and may run zero times.
    assert "#define EACH(a0, ...) for ((a0) = __sslint_next(); __sslint_more();" in header
    assert "struct __sslint_conn_t_ssl *ssl;" in header and "long connection;" in header
    assert not g.learn(errs, lambda name: src, frozenset())    # nothing new: rounds stop


def test_table_names_are_never_guessed():
    """A table function used as a value (a callback) is declared only as a function
    of unknown prototype, as an implicit declaration would be; the members of an
    OpenSSL struct are never guessed."""
    src = b"cb = SSL_free; s->session = 0;"
    errs = [parse_mod.Diagnostic("m.c", 1, 6, "use of undeclared identifier 'SSL_free'"),
            parse_mod.Diagnostic("m.c", 1, 16, "incomplete definition of type 'struct ssl_st'")]
    g = recover.Guesses()
    g.learn(errs, lambda name: src, recover.protected_names())
    assert g.names() == ["SSL_free"]
    header = g.header().decode()
    assert "extern int SSL_free();" in header and "ssl_st" not in header


def test_recovery_only_where_a_rule_could_fire(tmp_path):
    """A file that names no function of the table is left as clang parsed it (no rule
    can fire in it: recovery would only cost time); one that does is recovered."""
    quiet = tmp_path / "quiet.c"
    quiet.write_text("int f(void) { return NOT_DECLARED_OK; }\n")
    parsed = parse_mod.parse_file(str(quiet), [])
    assert parsed.errors and not parsed.recovered
    busy = tmp_path / "busy.c"
    busy.write_text("void SSL_free(void *);\n"
                    "int f(void *s) { SSL_free(s); return NOT_DECLARED_OK; }\n")
    parsed = parse_mod.parse_file(str(busy), [])
    assert not parsed.errors and parsed.recovered == ["NOT_DECLARED_OK"]


# ---- feature switches (sslint/frontend/guards.py) -------------------------------------

BUILD_FLAGS = ("-DUSE_OPENSSL", "-DHAVE_SSL_GET_CLIENT_CIPHERS")


def test_feature_switches_are_guessed_as_the_build_sets_them(job):
    """Code under the build's -D switches is analysed header-less, with the findings
    of a run given the build's flags; the guesses are named; a run with -D flags
    guesses nothing."""
    without = _run(job, "feature_guards.c")
    build = _run(job, "feature_guards.c", BUILD_FLAGS)
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in build.findings)
    assert len(found) == 3
    note = next(n.message for n in without.notifications if n.code == "guessed-defines")
    assert note.endswith("-DHAVE_SSL_GET_CLIENT_CIPHERS -DUSE_OPENSSL")
    assert "guessed-defines" not in [n.code for n in build.notifications]
    assert "unparsable-statement" not in [n.code for n in without.notifications]


def test_switches_a_config_header_defines_are_not_guessed(job):
    """A build configured by a generated header reached through `#include <...>`
    and -I (nginx's ngx_auto_config.h; no -D at all): the header defines the switch,
    so nothing is guessed. Without the build and that header, the switch is
    guessed, same findings."""
    folder = FOLDER / "configured"
    build = _run(job, "configured/digest.c",
                 ("-I", str(folder / "include"), "-I", str(folder / "objs")))
    assert "guessed-defines" not in [n.code for n in build.notifications]
    assert not build.parse_errors
    # In a configured tree the folders are found without the build (projectdirs):
    # the generated header still decides.
    without = _run(job, "configured/digest.c")
    codes = [n.code for n in without.notifications]
    assert without.guessed_includes and "guessed-defines" not in codes
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in build.findings) == [(12, "SSL103")]
    # Not configured (no objs/): the switch is guessed, same findings.
    shutil.rmtree(HIDDEN / "configured" / "objs")
    without = _run(job, "configured/digest.c")
    assert "-DAPP_SSL" in next(n.message for n in without.notifications
                               if n.code == "guessed-defines")
    assert sorted((f.loc.line, f.rule_id) for f in without.findings) == found


def test_a_backend_switch_naming_openssl_is_guessed(job):
    """`#if defined(ENABLE_CRYPTO_OPENSSL)` around a whole file: a choice of the
    build, not configure's check for an OpenSSL function (HAVE_SSL_...), so it is
    guessed and the file's leak is found as with the build's -D."""
    without, build = _same_as_build(job, "backend_switch.c",
                                    ("-DENABLE_CRYPTO_OPENSSL",),
                                    [(12, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DENABLE_CRYPTO_OPENSSL")
    assert _infer("#ifdef USE_SSL_SESSION_CACHE\nvoid f(void *c) { SSL_free(c); }\n"
                  "#endif\n") == ["USE_SSL_SESSION_CACHE"]
    # The library's name as a project spells it (libcoap's COAP_WITH_LIBOPENSSL);
    # another library's never, spelled either way.
    for name, guessed in (("PROJ_WITH_LIBOPENSSL", True), ("WITH_LIBGNUTLS", False),
                          ("PROJ_WITH_LIBWOLFSSL", False)):
        assert _infer(f"#ifdef {name}\nvoid f(void *c) {{ SSL_free(c); }}\n"
                      "#endif\n") == ([name] if guessed else [])


def test_a_switch_of_the_files_own_header_is_guessed(job):
    """The file tests HAVE_KEY_PROVIDER, which its own header defines only under
    the build's ENABLE_CRYPTO_OPENSSL: that header branch counts as the file's."""
    without, build = _same_as_build(job, "provider/keys.c",
                                    ("-DENABLE_CRYPTO_OPENSSL",),
                                    [(12, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DENABLE_CRYPTO_OPENSSL")
    # Only a branch that defines such a name: the include guard is none.
    header = "#ifndef G\n#define G\n#if defined(USE_X)\n#define HAVE_Y 1\n#endif\n#endif\n"
    assert _infer("#ifdef HAVE_Y\nvoid f(void *c) { SSL_free(c); }\n#endif\n",
                  (header,)) == ["USE_X"]
    assert _infer("#ifdef HAVE_Z\nvoid f(void *c) { SSL_free(c); }\n#endif\n",
                  (header,)) == ["HAVE_Z"]


def test_the_projects_include_folder_is_found_above_the_file(job):
    """`#include <proj/conn.h>` of a src/ + include/ tree: without the build the
    folder holding it is added as -I, so its close macro is known and the double
    free is found as with the build's -I include."""
    name = "tree/src/tls/conn.c"
    without, build = _same_as_build(job, name,
                                    (f"-I{FOLDER / 'tree' / 'include'}",),
                                    [(12, "SSL101")])
    assert [f.replace("\\", "/") for f in without.guessed_includes] == [
        str(HIDDEN / "tree" / "include").replace("\\", "/")]
    assert not without.parse_errors
    assert build.guessed_includes == ()


def test_the_projects_openssl_switch_is_guessed_from_its_headers(job):
    """The file calls OpenSSL but never tests the switch; the struct members it
    uses exist only under the header's `#ifdef USE_OPENSSL` (haproxy): the switch
    is guessed and the leak is found as with the build's flags."""
    name = "tree/src/tls/ctx.c"
    without, build = _same_as_build(job, name,
                                    (f"-I{FOLDER / 'tree' / 'include'}", "-DUSE_OPENSSL"),
                                    [(9, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DUSE_OPENSSL")
    calls = "void f(void *c) { SSL_free(c); }\n"
    header = "#ifdef {}\n#include <openssl/ssl.h>\nstruct t {{ SSL *s; }};\n#endif\n"
    assert _infer(calls, (header.format("USE_OPENSSL"),)) == ["USE_OPENSSL"]
    assert _infer(calls, (header.format("NGX_SSL"),)) == ["NGX_SSL"]
    # the project's own TLS types (nginx's ngx_ssl_connection_t) say so too
    assert _infer(calls, ("#if (NGX_SSL)\nngx_ssl_connection_t *ssl;\n#endif\n",)) \
        == ["NGX_SSL"]
    # Only the library's own switch, only around OpenSSL's things, only for a file
    # that calls OpenSSL.
    assert _infer(calls, (header.format("USE_QUIC_OPENSSL_COMPAT"),)) == []
    assert _infer(calls, ("#ifdef USE_OPENSSL\nint plain;\n#endif\n",)) == []
    # A file that calls nothing of OpenSSL but reaches its headers is built with the
    # switch too (others' summaries may use its functions: openvpn's ssl.c).
    assert _infer("int g(void);\n", (header.format("USE_OPENSSL"),)) == ["USE_OPENSSL"]
    assert _infer("int g(void);\n", ("#ifdef USE_OPENSSL\nstruct t { SSL *s; };\n#endif\n",)) \
        == []
    assert _infer(calls, (header.format("ENABLE_CRYPTO_OPENSSL"),)) == ["ENABLE_CRYPTO_OPENSSL"]


def test_configures_checks_for_system_headers(tmp_path):
    """`#ifdef HAVE_SYS_SOCKET_H` around `#include <sys/socket.h>` (openvpn's
    syshead.h, without its config.h): defined when this system has the header,
    whether or not the file calls OpenSSL; a name that is not the header's, never."""
    checks = guards.header_checks([
        b"#ifdef HAVE_SYS_SOCKET_H\n#include <sys/socket.h>\n#endif\n"
        b"#if defined(HAVE_NO_SUCH_THING_H)\n#include <no/such_thing.h>\n#endif\n"
        b"#ifdef HAVE_FOO_H\n#include <bar.h>\n#endif\n"])
    assert checks == [("HAVE_SYS_SOCKET_H", "sys/socket.h"),
                      ("HAVE_NO_SUCH_THING_H", "no/such_thing.h")]
    src = tmp_path / "net.c"
    src.write_text("#ifdef HAVE_SYS_SOCKET_H\n#include <sys/socket.h>\n#endif\n"
                   "#ifdef HAVE_NO_SUCH_THING_H\n#include <no/such_thing.h>\n#endif\n"
                   "int g(void) { return 0; }\n")
    assert parse_mod.guessed_defines(str(src), src.read_bytes(), []) == ["HAVE_SYS_SOCKET_H"]
    assert parse_mod.guessed_defines(str(src), src.read_bytes(), ["-DX"]) == []
    # A project's own prefix and a value test: nginx's ngx_posix_config.h (its
    # STDERR_FILENO needs <unistd.h>, which only the missing configure output asks for).
    assert guards.header_checks([
        b"#if (NGX_HAVE_UNISTD_H)\n#include <unistd.h>\n#endif\n"
        b"#if NGX_HAVE_SYS_PARAM_H\n#include <sys/param.h>\n#endif\n"
        b"#if (NGX_HAVE_FOO_H)\n#include <bar.h>\n#endif\n"
        b"#if (ngx_have_x_h)\n#include <x.h>\n#endif\n"]) == [
        ("NGX_HAVE_UNISTD_H", "unistd.h"), ("NGX_HAVE_SYS_PARAM_H", "sys/param.h")]
    assert guards.is_header_check("NGX_HAVE_UNISTD_H") and guards.is_header_check("HAVE_X_H")
    assert not guards.is_header_check("NGX_HTTP_SSL")


def test_a_switch_around_members_the_file_uses_is_guessed(job):
    """mosquitto's broker files use struct members its shared header declares only
    under WITH_BROKER, which they never test: clang's "no member named" leads
    recovery to the switch, and the leak is found as with the build's -DWITH_BROKER."""
    name = "tree/src/broker/accept.c"
    without, build = _same_as_build(job, name,
                                    (f"-I{FOLDER / 'tree' / 'include'}", "-DWITH_BROKER"),
                                    [(10, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DWITH_BROKER")
    from sslint.frontend import switches
    header = (b"#ifndef G\n#define G\nstruct s {\n#ifdef WITH_EXTRA\n  SSL *extra;\n"
              b"  int (*cb)(int);\n#else\n  int plain;\n#endif\n"
              b"#if defined(WITH_T) && !defined(WITH_EXTRA)\n  int t;\n#endif\n"
              b"#ifdef NO_FEATURE\n  int nf;\n#endif\n  int always;\n};\n#endif\n")
    assert switches.for_member([header], "s", "extra") == ["WITH_EXTRA"]
    assert switches.for_member([header], "s", "cb") == ["WITH_EXTRA"]  # a function pointer
    assert switches.for_member([header], "s", "t") == ["WITH_T"]
    # not once WITH_EXTRA is guessed: the branch needs it undefined
    assert switches.for_member([header], "s", "t", frozenset({"WITH_EXTRA"})) is None
    for member in ("plain", "nf", "always", "missing"):   # #else, negative, no switch
        assert switches.for_member([header], "s", member) is None, member
    assert switches.for_member([header], "other", "extra") is None


def test_a_switch_around_a_header_declaring_the_files_types_is_guessed(job):
    """nginx's TLS modules use a config type from a header their umbrella header
    includes only under NGX_HTTP_SSL: clang's "unknown type name" leads recovery to
    that switch, not to a guessed type (which left 58 errors in
    ngx_stream_ssl_module.c)."""
    name = "tree/src/tls/module.c"
    without, _ = _same_as_build(job, name, (f"-I{FOLDER / 'tree' / 'include'}",
                                            "-DPROJ_TLS_MODULE=1"), [(14, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DPROJ_TLS_MODULE")
    assert not any(n.code == "recovered-names" for n in without.notifications)
    assert without.parse_errors == 0
    from sslint.frontend import switches
    umbrella = (b"#ifndef U\n#define U\n#if (WITH_TLS)\n#include <p/tls.h>\n#endif\n"
                b"#include <p/plain.h>\n#endif\n")
    tls = b"#ifndef T\n#define T\ntypedef struct { int x; } p_tls_t;\n#endif\n"
    plain = (b"typedef struct p_plain_s { int y; } p_plain_t;\n"
             b"#ifdef WITH_EXTRA\ntypedef int p_extra_t;\n#endif\n")
    files = [("/p/u.h", umbrella), ("/p/tls.h", tls), ("/p/plain.h", plain)]
    assert switches.for_type(files, "p_tls_t") == ["WITH_TLS"]
    assert switches.for_type(files, "p_extra_t") == ["WITH_EXTRA"]
    assert switches.for_type(files, "p_plain_t") is None  # declared whatever the switches
    assert switches.for_type(files, "p_missing_t") is None
    assert switches.openssl_owned("SSL_QUIC_METHOD")
    assert switches.openssl_owned("ssl_encryption_level_t")
    assert not switches.openssl_owned("ngx_http_ssl_srv_conf_t")


def test_which_project_folders_are_guessed(tmp_path):
    from sslint.frontend import projectdirs

    def put(rel: str, text: str = "") -> str:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return str(p)

    put("repo/include/proj/a.h")
    put("repo/src/lib/b.h")
    put("repo/src/openssl/ssl.h")       # a vendored copy: never preferred
    put("repo/src/core/local.h")
    put("repo/src/core/setup.h", '#include <proj/a.h>\n')
    (tmp_path / "repo" / ".git").mkdir()
    put("include/above/c.h")            # above the repository's root: not searched
    src = put("repo/src/core/x.c")
    text = (b'#include "setup.h"\n#include "local.h"\n#include <stdio.h>\n'
            b'#include <openssl/ssl.h>\n#include "lib/b.h"\n#include <above/c.h>\n')
    assert projectdirs.guess(src, text, []) == [  # the file's own includes first
        str(tmp_path / "repo" / "src"), str(tmp_path / "repo" / "include")]
    # Any sign of the build's own folders or configuration: nothing is guessed.
    for flag in ("-Iinc", "-DX", "-isystem/x", "-include", "-iquote."):
        assert projectdirs.guess(src, text, [flag]) == []
    # nginx's layout: <core_config.h> of src/core from src/event, found below a
    # parent when one folder alone holds it; never another platform's port, a
    # quoted name (any subproject may have a "config.h"), nor an ambiguous one.
    put("repo/src/core/core_config.h")
    put("repo/src/os/unix/port.h")
    put("repo/src/os/win32/port.h")
    put("repo/src/os/win32/win_only.h")
    put("repo/src/http/config.h")
    put("repo/src/http/twice.h")
    put("repo/src/mail/twice.h")
    ev = put("repo/src/event/ev.c")
    text = (b'#include <core_config.h>\n#include <port.h>\n#include <win_only.h>\n'
            b'#include "config.h"\n#include <twice.h>\n')
    assert projectdirs.guess(ev, text, []) == [
        str(tmp_path / "repo" / "src" / "core"), str(tmp_path / "repo" / "src" / "os" / "unix")]
    # With no project root in sight (no repository, no licence file), folders below
    # the parents may be other projects': not searched.
    put("loose/src/core/core_config.h")
    loose = put("loose/src/event/ev.c")
    assert projectdirs.guess(loose, b"#include <core_config.h>\n", []) == []
    put("loose/COPYING")
    projectdirs._is_root.cache_clear()
    assert projectdirs.guess(loose, b"#include <core_config.h>\n", []) == [
        str(tmp_path / "loose" / "src" / "core")]


def test_a_setting_compared_to_numbers_gets_the_branchs_value(job):
    """redis' `#if (USE_OPENSSL == 1) || ...` around its TLS code: the setting is
    defined to the value the branch compares it to, and the leak is found as with
    the build's -DUSE_OPENSSL=1."""
    without, build = _same_as_build(job, "valued_switch.c", ("-DUSE_OPENSSL=1",), [(15, "SSL103")])
    assert next(n.message for n in without.notifications
                if n.code == "guessed-defines").endswith("-DUSE_OPENSSL=1")
    body = "\nvoid f(void *c) { SSL_free(SSL_new(c)); }\n#endif\n"
    assert _infer("#if 2 == USE_TLS" + body) == ["USE_TLS=2"]
    assert _infer("#if USE_TLS == 1 && defined(WITH_SSL)" + body) == ["USE_TLS=1", "WITH_SSL"]
    # A plain test of a setting compared elsewhere guesses no value for it.
    assert _infer("#ifdef USE_TLS" + body + "#if USE_TLS == 2\nint x;\n#endif\n") == []
    assert _infer("#if USE_TLS == 1" + body + "#ifdef USE_TLS" + body) == ["USE_TLS=1"]
    # Never two values, never a value that is another macro or a different test.
    for cond in ("#if USE_TLS == 1 && USE_TLS == 2", "#if USE_TLS == WS_BUILTIN",
                 "#if USE_TLS != 1", "#if USE_TLS == 0", "#if OPENSSL_API_LEVEL == 30000"):
        assert _infer(cond + body) == [], cond


def test_a_switch_tested_beside_a_comparison_is_guessed(job):
    """`#if defined(WITH_TLS) && OPENSSL_VERSION_NUMBER < ...` compares the version,
    not WITH_TLS: the switch is guessed for the file's `#ifdef WITH_TLS` code."""
    without, build = _same_as_build(job, "defined_beside_compare.c",
                                    ("-DWITH_TLS",),
                                    [(10, "SSL103")])
    body = "\nvoid f(void *c) { SSL_free(SSL_new(c)); }\n#endif\n"
    assert _infer("#ifdef USE_TLS" + body + "#if USE_TLS > 1\n#endif\n") == []


def test_a_function_check_in_the_functions_case_is_guessed(job):
    """HAVE_SSL_get0_verified_chain names the function in its own case: the check
    holds as HAVE_SSL_GET0_VERIFIED_CHAIN would (the installed OpenSSL has it)."""
    without, build = _same_as_build(job, "function_check_case.c",
                                    ("-DHAVE_SSL_get0_verified_chain",),
                                    [(10, "SSL103")])
    assert _infer("#ifdef HAVE_SSL_made_up_call\nvoid f(void *c) { SSL_free(c); }\n"
                  "#endif\n") == []


def test_branches_under_openssl_macros_are_seen(job):
    """The file's code sits under OpenSSL's own macros, its OpenSSL headers come
    through a missing project header: the shim includes the installed headers that
    define those macros, and the findings are the ones the headers give."""
    without = _run(job, "openssl_macros.c")
    with_headers = _run(job, "openssl_macros.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings) \
        == [(13, "SSL103"), (26, "SSL103")]
    assert without.parse_errors and not with_headers.parse_errors
    src = (b"#ifdef SSL_MODE_ASYNC\n#endif\n"
           b"#if defined(NOT_OPENSSLS) || OPENSSL_NO_NOTHING\n#endif\n")
    assert fallback.headers_for(src, ("/usr/include",)) == ("ssl.h",)


def test_a_missing_type_returned_by_a_function_pointer_typedef(job):
    """`typedef proj_int_t (*proj_handler_pt)(void *);` in a header that is found,
    proj_int_t missing: clang makes proj_int_t a function type and says nothing of
    an unknown type; recovery reads it from "function cannot return function
    type", so `rc = SSL_connect(s);` is kept and the function analysed."""
    without = _run(job, "typedef_return/session.c")
    with_headers = _run(job, "typedef_return/session.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings) \
        == [(12, "SSL103"), (18, "SSL502")]
    assert "proj_int_t" in _recovered_note(without)
    assert "unparsable-statement" not in [n.code for n in without.notifications]


def test_function_defining_and_condition_macros(job):
    """`PROJ_MOCK_IMPL(int, f, (X509 *c)) {` defines f; `if (PROJ_BUG(dup == NULL))`
    tests dup: header-less, the same findings as with the header (the first was an
    unparsable definition, the second a leak on a path the build cannot take)."""
    without = _run(job, "defining_macros.c")
    with_headers = _run(job, "defining_macros.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings) \
        == [(12, "SSL103")]
    note = _recovered_note(without)
    assert "PROJ_MOCK_IMPL" in note and "PROJ_BUG" in note


def test_an_included_c_files_errors_count_in_recovery(job):
    """tests_main.c includes tests_impl.c, whose `return PROJ_ERROR;` lose their
    missing constant: a recovered parse that mends them is the better one, though
    the main file had no error to mend; the leak in the included file is found."""
    without = _run(job, "included/tests_main.c")
    with_headers = _run(job, "included/tests_main.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.file.rsplit("/", 1)[-1], f.loc.line, f.rule_id)
                   for f in without.findings)
    assert found == sorted((f.loc.file.rsplit("/", 1)[-1], f.loc.line, f.rule_id)
                           for f in with_headers.findings) == [("tests_impl.c", 9, "SSL103")]
    assert "unparsable-statement" not in [n.code for n in without.notifications]


def test_an_array_of_structs_from_a_missing_header(job):
    """`SSL *ssl = proj_fdtab[fd].owner;`: declared an array of a struct with those
    members, so the statement is kept and the double free found."""
    without = _run(job, "fd_table.c")
    with_headers = _run(job, "fd_table.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings) \
        == [(14, "SSL101")]
    assert "unparsable-statement" not in [n.code for n in without.notifications]


def test_an_error_code_is_a_non_zero_constant(job):
    """`if (!mem) rc = PROJ_ERROR;` then `for (...; !rc; ...)` uses mem: PROJ_ERROR
    is declared a non-zero constant, so no path uses a NULL `mem`; a value that
    is not named as an error (PROJ_OK, 0 in many projects) stays unknown."""
    without = _run(job, "error_codes.c")
    with_headers = _run(job, "error_codes.c", (f"-I{INCLUDE}",))
    found = sorted((f.loc.line, f.rule_id) for f in without.findings)
    assert found == sorted((f.loc.line, f.rule_id) for f in with_headers.findings) \
        == [(25, "SSL103")]
    src = b"int f(void) { int rc = A_OK; if (rc) rc = A_ERROR; return rc; }\n"
    errs = [parse_mod.Diagnostic("m.c", 1, src.index(b"A_OK") + 1,
                                 "use of undeclared identifier 'A_OK'"),
            parse_mod.Diagnostic("m.c", 1, src.index(b"A_ERROR") + 1,
                                 "use of undeclared identifier 'A_ERROR'")]
    g = recover.Guesses()
    g.learn(errs, lambda name: src, frozenset())
    header = g.header().decode()
    assert "extern long A_OK;" in header and "enum { A_ERROR = " in header


def test_without_the_guesses_that_code_is_not_seen(job, monkeypatch):
    monkeypatch.setattr(guards, "infer_defines", lambda *a: [])
    res = _run(job, "feature_guards.c")
    assert [(f.loc.line, f.rule_id) for f in res.findings] == []
    lost = [n.message for n in res.notifications if n.code == "unparsable-statement"]
    assert len(lost) == 1 and "count_ciphers" in lost[0]  # OpenSSL 1.0's members


def _infer(text: str, headers: tuple[str, ...] = ()) -> list[str]:
    return guards.infer_defines(text.encode(), [h.encode() for h in headers],
                                frozenset({"SSL_new", "SSL_free", "SSL_get_client_ciphers"}))


def test_which_switches_are_guessed():
    body = "\nvoid f(void *c) { SSL_free(SSL_new(c)); }\n"
    assert _infer("#ifdef USE_TLS" + body + "#endif\n") == ["USE_TLS"]
    assert _infer("#if (NGX_SSL)" + body + "#endif\n") == ["NGX_SSL"]      # `#if X`
    assert _infer("#ifdef USE_TLS\nint x;\n#endif\n") == []                # no table name
    # Of alternatives, the one naming OpenSSL; one branch of a chain at most.
    assert _infer("#if defined(USE_GNUTLS) || defined(USE_OPENSSL)" + body + "#endif\n") \
        == ["USE_OPENSSL"]
    assert _infer("#if defined(WITH_SSL)" + body + "#elif defined(USE_TLS)" + body
                  + "#endif\n") == ["WITH_SSL"]
    # Needed together; a negated name is left undefined.
    assert _infer("#if defined(USE_TLS) && defined(HAVE_SSL) && !defined(NO_CACHE)" + body
                  + "#endif\n") == ["HAVE_SSL", "USE_TLS"]
    # A branch after a negated test is reached only by defining that name: no guess.
    assert _infer("#ifndef USE_PLAIN\nint x;\n#elif defined(USE_TLS)" + body + "#endif\n") \
        == []


def test_switches_never_guessed():
    body = "\nvoid f(void *c) { SSL_free(SSL_new(c)); }\n"
    for cond in ("#ifdef OPENSSL_NO_TLS1_3", "#ifdef USE_WOLFSSL", "#ifdef _WIN32",
                 "#ifdef USE_WINSOCK",
                 "#ifdef DISABLE_TLS", "#ifdef NO_SSL", "#ifdef SSL_OP_NO_TICKET",
                 "#ifdef LIBRESSL_VERSION_NUMBER", "#ifdef HAVE_SSL_MADE_UP_CALL",
                 "#ifdef PLAIN_FEATURE", "#if TLS_LEVEL > 1", "#if defined(USE_TLS) && X > 1"):
        assert _infer(cond + body + "#endif\n") == [], cond
    assert _infer("#ifdef HAVE_SSL_GET_CLIENT_CIPHERS" + body + "#endif\n") \
        == ["HAVE_SSL_GET_CLIENT_CIPHERS"]  # a function the installed OpenSSL has
    # configure's check for it is a fact, whichever way the file tests it.
    assert _infer("#ifndef HAVE_SSL_GET_CLIENT_CIPHERS\nint old;\n#endif\n") \
        == ["HAVE_SSL_GET_CLIENT_CIPHERS"]
    assert _infer("#ifndef HAVE_SSL_MADE_UP_CALL\nint old;\n#endif\n") == []
    # Defined (or compared) by what the file or its own headers show: left to them.
    assert _infer("#define USE_TLS 1\n#ifdef USE_TLS" + body + "#endif\n") == []
    assert _infer("#ifdef USE_TLS" + body + "#endif\n", ("#undef USE_TLS\n",)) == []
    assert _infer("#ifdef USE_TLS" + body + "#endif\n", ("#if USE_TLS == 2\n#endif\n",)) == []
    # Bounded.
    many = "".join(f"#ifdef USE_TLS{i}" + body + "#endif\n" for i in range(20))
    assert len(_infer(many)) == guards.MAX_DEFINES


def test_prelude_shapes_of_real_projects():
    """Shapes met header-less in haproxy, curl and nginx, each guessed so that the
    statement parses (a statement left dropped keeps its function out)."""
    lines = [b"int f(conn_t *d, const char *p, struct arg *args) {",
             b"    __X509_NAME_CONST__ X509_NAME *xn;",           # 2: a qualifier macro
             b"    if (isalnum((uchar)*p)) return 1;",            # 3: a cast, not a product
             b"    d->count = *now_of(d);",                       # 4: returns a pointer
             b"    (*d->cb)(d);",                                 # 5: a function pointer
             b"    use(args[0]);",                                # 6: a struct of the file
             b"    n = sizeof(APPNAME);",                         # 7
             b"    SSL_CTX_set_session_id_context(c, (const unsigned char *)APPNAME, n);",
             b"    uintptr_t u = 0; }"]
    src = b"\n".join(lines) + b"\n"

    def col(line: int, what: bytes) -> int:
        return lines[line - 1].index(what) + 1

    errs = [parse_mod.Diagnostic("m.c", 2, col(2, b"__X"),
                                 "use of undeclared identifier '__X509_NAME_CONST__'"),
            parse_mod.Diagnostic("m.c", 3, col(3, b"uchar"),
                                 "use of undeclared identifier 'uchar'"),
            parse_mod.Diagnostic("m.c", 3, col(3, b"*p"), "invalid operands to binary "
                                 "expression ('long' and 'const char *')"),
            parse_mod.Diagnostic("m.c", 4, col(4, b"*now"),
                                 "indirection requires pointer operand ('int' invalid)"),
            parse_mod.Diagnostic("m.c", 5, col(5, b"cb"),
                                 "no member named 'cb' in 'struct __sslint_conn_t'"),
            parse_mod.Diagnostic("m.c", 6, col(6, b"args"),
                                 "subscript of pointer to incomplete type 'const struct arg'"),
            parse_mod.Diagnostic("m.c", 7, col(7, b"APPNAME"),
                                 "use of undeclared identifier 'APPNAME'"),
            parse_mod.Diagnostic("m.c", 8, col(8, b"APPNAME"),
                                 "unexpected type name 'APPNAME': expected expression"),
            parse_mod.Diagnostic("m.c", 9, col(9, b"uintptr_t"), "unknown type name 'uintptr_t'")]
    g = recover.Guesses()
    assert g.learn(errs, lambda name: src, recover.protected_names())
    header = g.header().decode()
    assert "#define __X509_NAME_CONST__\n" in header
    assert "typedef int uchar;" in header
    assert "extern long *now_of();" in header
    assert "long (*cb)();" in header
    assert "struct arg { int __sslint_pad;  };" in header
    assert "extern long APPNAME;" in header and "APPNAME;\n" not in header.split("extern long")[0]
    assert "typedef int uintptr_t;" in header


def test_prelude_shapes_in_struct_bodies():
    lines = [b"struct share {",
             b"    struct curltime time;",          # 2: a struct of a missing header
             b"    BIT(store_is_empty);",          # 3: a macro declaring a member
             b"};",
             b"int f(X509_NAME *n) {",
             b"    __NAME_CONST__ NAME_ENTRY *entry = get(n);",  # 6: declares, after the macro
             b"    return entry != 0; }",
             b"long g(struct share *s) { return s->time.sec; }"]  # members through the field
    src = b"\n".join(lines) + b"\n"
    errs = [parse_mod.Diagnostic("m.c", 2, 21, "field has incomplete type 'struct curltime'"),
            parse_mod.Diagnostic("m.c", 3, 5, "type name requires a specifier or qualifier"),
            parse_mod.Diagnostic("m.c", 6, 5, "use of undeclared identifier '__NAME_CONST__'"),
            parse_mod.Diagnostic("m.c", 6, 20, "use of undeclared identifier 'NAME_ENTRY'")]
    g = recover.Guesses()
    assert g.learn(errs, lambda name: src, recover.protected_names())
    header = g.header().decode()
    assert "struct curltime { int __sslint_pad; long sec; };" in header
    assert "#define BIT(x) long x" in header
    assert "#define __NAME_CONST__\n" in header
    assert "typedef struct __sslint_NAME_ENTRY NAME_ENTRY;" in header


def test_rounds_go_on_only_for_bodies_that_matter():
    """After the first re-parse, another only while an error is left in a body
    that names a table function (or a helper of the file that does): each costs a
    parse. At most recover.MAX_ROUNDS."""
    src = (b"int helper(void *c)\n{ SSL_free(c); return A_OK; }\n"
           b"int user(void *c)\n{ return helper(c) + B_OK; }\n"
           b"int quiet(void)\n{ return C_OK; }\n")

    def err(line: int, name: str) -> parse_mod.Diagnostic:
        return parse_mod.Diagnostic("m.c", line, 1,
                                    f"use of undeclared identifier '{name}'")

    def run(after_each_round):
        parses = []

        def reparse(header):
            parses.append(header)
            return object(), after_each_round(len(parses))
        recover.recover([err(2, "A_OK"), err(4, "B_OK"), err(6, "C_OK")], reparse,
                        lambda name: src, frozenset(), "m.c")
        return len(parses)

    # Left only in a body naming nothing of the table: one re-parse.
    assert run(lambda n: [err(6, f"C{n}_OK")]) == 1
    # Left in a helper's caller (a body that matters through `helper`): again.
    assert run(lambda n: [err(4, f"B{n}_OK")]) == recover.MAX_ROUNDS == 3



def test_no_round_for_errors_that_hide_nothing_analysed():
    """The first re-parse too only for an error that may hide something analysed:
    errors in a found header (missing its generated config) or in a body that
    touches nothing of OpenSSL cost no parse; one at file scope (a macro that
    defines a function) or in an included .c file's body that matters does."""
    src = (b"#include \"impl.c\"\nint quiet(void)\n{ return C_OK; }\n"
           b"MOCK_IMPL(int, f, (void *c))\n{ SSL_free(c); return 0; }\n")
    impl = b"int g(void *c)\n{ SSL_free(c); return D_OK; }\n"
    texts = {"m.c": src, "impl.c": impl, "proj.h": b"int x;\n"}

    def parses(*errs) -> int:
        done = []

        def reparse(header):
            done.append(header)
            return object(), []
        recover.recover(list(errs), reparse, texts.get, frozenset(), "m.c")
        return len(done)

    def err(file: str, line: int, message: str) -> parse_mod.Diagnostic:
        return parse_mod.Diagnostic(file, line, 1, message)

    assert parses(err("proj.h", 1, "unknown type name 'pthread_t'"),
                  err("m.c", 3, "use of undeclared identifier 'C_OK'")) == 0
    assert parses(err("m.c", 4, "unknown type name 'MOCK_IMPL'")) == 1
    assert parses(err("impl.c", 2, "use of undeclared identifier 'D_OK'")) == 1


def test_a_member_ending_a_sentence_is_no_struct():
    """`buf->area.` at the end of a comment's sentence: no member follows, so the
    field stays a plain value (a struct there made `buf->area` unusable)."""
    src = (b"int f(buf_t *buf)\n{\n    /* the length of buf->area.\n     * Then: */\n"
           b"    return use(buf->area, buf->data);\n}\n")
    errs = [parse_mod.Diagnostic("m.c", 1, 7, "unknown type name 'buf_t'")]
    g = recover.Guesses()
    assert g.learn(errs, lambda name: src, frozenset())
    header = g.header().decode()
    assert "struct __sslint_buf_t { int __sslint_pad; long area; long data; };" in header
