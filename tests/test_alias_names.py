"""Messages name the handle as the code spells it at the line: an alias `b` of `ssl`
freed the second time is reported as 'b'."""
from __future__ import annotations

from sslint.analysis.unit import Options
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

SOURCE = """#include <openssl/ssl.h>
void alias(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    SSL *b = ssl;
    SSL_free(ssl);
    SSL_free(b);
}
"""


def test_the_alias_at_the_line_is_named(tmp_path):
    src = tmp_path / "alias.c"
    src.write_text(SOURCE)
    res = run_unit(Job(tuple(r.rule.id for r in all_rules()), (), Options()),
                   Unit(str(src), str(src), ()))
    double = [f for f in res.findings if f.rule_id == "SSL101"]
    assert len(double) == 1 and "releases 'b'" in double[0].message, res.findings
