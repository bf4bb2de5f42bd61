"""A build's warning flags (GCC's, -Werror, -Werror=..., -pedantic-errors) are the
build's business: sslint reads no warning, so none may become a parse error, and
clang's complaints about GCC-only flags are not printed for every file."""
from __future__ import annotations

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

SOURCE = """#include <openssl/ssl.h>
static helper(void) { return 0; }
int f(SSL_CTX *ctx)
{
    int unused;
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return undeclared_call(1);
    SSL_free(s);
    SSL_free(s);
    return 0;
}
"""
STRICT = ("-Wall", "-Wextra", "-Werror", "-Werror=implicit-function-declaration",
          "-Werror=implicit-int", "-pedantic-errors", "-Wno-stringop-truncation",
          "-Wimplicit-fallthrough=2", "-fno-tree-vrp")


def test_strict_warning_flags_change_nothing(tmp_path, capfd):
    src = tmp_path / "strict.c"
    src.write_text(SOURCE)
    job = Job(tuple(r.rule.id for r in all_rules()), (), Options())
    plain = run_unit(job, Unit(str(src), "strict.c", ()))
    capfd.readouterr()
    strict = run_unit(job, Unit(str(src), "strict.c", STRICT))
    err = capfd.readouterr().err
    assert strict.parse_errors == plain.parse_errors == 0
    found = [(f.loc.line, f.rule_id) for f in strict.findings]
    assert found == [(f.loc.line, f.rule_id) for f in plain.findings] == [(10, "SSL101")]
    assert "unknown warning option" not in err
