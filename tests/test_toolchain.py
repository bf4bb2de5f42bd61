"""Builtin-header discovery: each fallback yields arguments libclang can parse with."""
from __future__ import annotations

import os
import subprocess

import clang.cindex as ci
import pytest

from sslint.frontend import toolchain

OPENSSL_TU = (
    "#include <stddef.h>\n#include <stdarg.h>\n#include <openssl/ssl.h>\n"
    " size_t n; va_list ap;\n"
)

# Everything the bundled headers promise, checked at compile time.
BUNDLED_TU = r"""
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdalign.h>
#include <stdnoreturn.h>
#include <iso646.h>
#include <limits.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>
size_t n; va_list ap; ptrdiff_t d; wchar_t w; wint_t wi; max_align_t m;
struct S { int a; char b; };
_Static_assert(offsetof(struct S, b) == sizeof(int), "offsetof");
_Static_assert(INT_MAX == 2147483647 && INT_MIN < 0, "int");
_Static_assert(UINT_MAX == 4294967295U && CHAR_BIT == 8, "uint");
_Static_assert(LLONG_MIN < 0 && ULLONG_MAX > 0 && PATH_MAX > 0, "limits + glibc");
_Static_assert(SIZE_MAX > 0, "stdint from the C library");
double fm = FLT_MAX + DBL_EPSILON + LDBL_MIN + FLT_TRUE_MIN;
static bool flag = true;
alignas(16) static char buf[16];
noreturn void die(void);
static int f(int k, ...) {
  va_list a, b; va_start(a, k); va_copy(b, a);
  int r = va_arg(b, int); va_end(b); va_end(a); return r;
}
int g(void) { void *p = NULL; return (p == NULL) and not flag or f(1, 2); }
"""


def _errors(tmp_path, source: str, args: list[str]) -> tuple[list[str], ci.TranslationUnit]:
    path = tmp_path / "t.c"
    path.write_text(source)
    tu = ci.Index.create().parse(str(path), args=args)
    errs = [str(d) for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    return errs, tu


def _require(source: str) -> toolchain.BuiltinIncludes:
    hit = toolchain.find_builtin_includes(source)
    if hit.source != source:
        pytest.skip(f"{source} builtin headers not available here")
    return hit


@pytest.mark.parametrize("source", ["gcc", "bundled"])
def test_forced_source_parses_openssl(tmp_path, source):
    hit = _require(source)
    errs, _ = _errors(tmp_path, OPENSSL_TU, list(hit.args))
    assert errs == []


def test_without_builtin_headers_the_parse_fails(tmp_path):
    # Guards the premise: if the wheel ever ships its headers this module is moot.
    errs, _ = _errors(tmp_path, OPENSSL_TU, [])
    assert any("stddef.h" in e for e in errs)


def test_bundled_headers_are_the_ones_used(tmp_path):
    hit = _require("bundled")
    errs, tu = _errors(tmp_path, BUNDLED_TU, list(hit.args) + ["-std=gnu17"])
    assert errs == []
    used = {os.path.realpath(inc.include.name) for inc in tu.get_includes()}
    bundled = os.path.realpath(toolchain.BUNDLED_DIR)
    for name in ("stddef.h", "stdarg.h", "limits.h", "float.h", "stdbool.h"):
        assert os.path.join(bundled, name) in used


@pytest.mark.parametrize("std", ["-std=c99", "-std=c11", "-std=c2x", "-xc++"])
def test_bundled_headers_in_other_language_modes(tmp_path, std):
    hit = _require("bundled")
    src = ("#include <stddef.h>\n#include <stdarg.h>\n#include <stdbool.h>\n"
           "#include <limits.h>\n#include <float.h>\n#include <iso646.h>\n"
           "#include <stdalign.h>\n#include <openssl/ssl.h>\n"
           "size_t n; va_list ap; bool b = true; int i = INT_MAX; double x = DBL_MAX;\n")
    errs, _ = _errors(tmp_path, src, list(hit.args) + [std])
    assert errs == []


def test_env_resource_dir_wins(tmp_path, monkeypatch):
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "stddef.h").write_text("")
    monkeypatch.setenv(toolchain.RESOURCE_ENV, str(tmp_path))
    hit = toolchain.find_builtin_includes()
    assert hit.source == "env"
    assert hit.args == ("-resource-dir", str(tmp_path))


def test_env_resource_dir_without_headers_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv(toolchain.RESOURCE_ENV, str(tmp_path))
    assert toolchain.find_builtin_includes().source != "env"
    assert toolchain.find_builtin_includes("env").source == "bundled"


def test_newest_llvm_resource_dir(tmp_path):
    for version, sub in (("9", "9.0.1"), ("17", "17"), ("14", "14.0.6"), ("18", "18")):
        inc = tmp_path / f"llvm-{version}" / "lib" / "clang" / sub / "include"
        inc.mkdir(parents=True)
        if version != "18":  # a broken newest install must be passed over
            (inc / "stddef.h").write_text("")
    hit = toolchain._from_llvm(str(tmp_path))
    assert hit is not None
    assert hit.args == ("-resource-dir", str(tmp_path / "llvm-17" / "lib" / "clang" / "17"))


def test_subprocess_failures_never_raise(monkeypatch):
    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 5)

    monkeypatch.setattr(toolchain.subprocess, "run", hang)
    assert toolchain._run(["clang", "-print-resource-dir"]) is None
    assert toolchain._from_gcc() is None
    monkeypatch.undo()
    assert toolchain._run(["/nonexistent/sslint-no-such-tool"]) is None


def test_gcc_unknown_answer_is_rejected(monkeypatch):
    # gcc prints the bare name back when it has no such file.
    monkeypatch.setattr(toolchain, "_run", lambda argv: "include")
    monkeypatch.setattr(toolchain.shutil, "which", lambda name: "/bin/" + name)
    assert toolchain._from_gcc() is None


def test_cached_args_and_describe_follow_the_forced_source(monkeypatch):
    monkeypatch.setenv(toolchain.FORCE_ENV, "bundled")
    assert toolchain.builtin_include_args() == ["-isystem", toolchain.BUNDLED_DIR]
    assert toolchain.describe().startswith("builtin headers: bundled")
    monkeypatch.setenv(toolchain.FORCE_ENV, "no-such-source")
    assert "ignored" in toolchain.describe()
    with pytest.raises(ValueError):
        toolchain.find_builtin_includes("no-such-source")


ATOMICS_TU = r"""
#include <stdatomic.h>
static atomic_int refs = ATOMIC_VAR_INIT(1);
static atomic_flag busy = ATOMIC_FLAG_INIT;
int bump(void) {
  int expected = 1;
  atomic_fetch_add(&refs, 1);
  atomic_compare_exchange_strong(&refs, &expected, 2);
  while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) {}
  atomic_flag_clear(&busy);
  atomic_thread_fence(memory_order_seq_cst);
  return atomic_load_explicit(&refs, memory_order_relaxed);
}
"""


def test_gcc_stdatomic_is_replaced_by_one_clang_parses(tmp_path):
    # gcc's <stdatomic.h> calls gcc-only builtins: with it, every atomic statement
    # is an error and clang drops it (and sslint skips the function).
    hit = _require("gcc")
    assert hit.args[:2] == ("-isystem", toolchain.GCC_OVERRIDES)
    errs, _ = _errors(tmp_path, ATOMICS_TU, list(hit.args))
    assert errs == []
    gcc_only = [a for a in hit.args if a != toolchain.GCC_OVERRIDES and a != "-isystem"]
    errs, _ = _errors(tmp_path, ATOMICS_TU, ["-isystem", gcc_only[0]])
    assert errs, "gcc's own stdatomic.h parses now: the override may be unneeded"
