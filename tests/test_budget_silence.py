"""When the per-node state cap drops paths, the handles on them are withheld from
every finding: the cap must not choose the path a report rests on."""
from __future__ import annotations

from sslint.analysis.unit import Options
from sslint.engine.worklist import Budget
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

SOURCE = """\
#include <openssl/ssl.h>
void log_flag(int);

void many_flags(SSL_CTX *ctx, int a, int b, int c, int d)
{
    SSL *ssl = SSL_new(ctx);
    int x = 0, y = 0, z = 0, w = 0;
    if (a) x = 1;
    if (b) y = 1;
    if (c) z = 1;
    if (d) w = 1;
    log_flag(x + y + z + w);
    if (ssl == NULL)
        return;
}
"""


def _run(tmp_path, states: int):
    src = tmp_path / "flags.c"
    src.write_text(SOURCE)
    job = Job(tuple(r.rule.id for r in all_rules()), (),
              Options(budget=Budget(max_states_per_node=states)))
    return run_unit(job, Unit(str(src), str(src), ()))


def test_the_leak_is_found_within_the_budget(tmp_path):
    res = _run(tmp_path, 64)
    assert [(f.rule_id, f.loc.line) for f in res.findings] == [("SSL103", 6)]
    assert not [n for n in res.notifications if n.code == "partial-analysis"]


def test_paths_dropped_by_the_cap_report_nothing(tmp_path):
    res = _run(tmp_path, 2)
    assert res.findings == []
    notes = [n.message for n in res.notifications if n.code == "partial-analysis"]
    assert len(notes) == 1 and "withheld" in notes[0], notes
