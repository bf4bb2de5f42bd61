"""Rule metadata and documentation: complete, consistent, generated docs fresh,
and every rule's Example fires while its Use instead stays quiet."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sslint.analysis.unit import Options
from sslint.session.pipeline import Request, run
from sslint.shell.ruledocs import rules_markdown
from sslint.core.rule import all_rules
from sslint.workers.runner import Job, Unit, run_unit

RULES = all_rules()
MAN_DIR = ROOT.parent / "shared" / "openssl-man"
# The man pages a rule may cite are checked against a list of their names kept in
# the repository, not against ../shared itself: shared/ lies beside the checkout only
# on the project's own machines, and a test that skips wherever it is missing checks
# nothing there. The list holds facts only (page names, no text of the pages);
# test_page_list_matches_shared keeps it true where ../shared is present, and
# fails rather than skips in CI (env CI set), where it always must be.
PAGE_LIST = ROOT / "tests" / "data" / "openssl-man-pages.txt"
MAN_PAGES = frozenset(line.strip() for line in PAGE_LIST.read_text().splitlines()
                      if line.strip() and not line.startswith("#"))
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
PRELUDE = """#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>
struct cache { int full; SSL_SESSION *sess; };
struct conn { SSL *ssl; SSL_CTX *ctx; int fd; };
extern int shutdown_failed;
void log_clean_close(void);
"""


@pytest.mark.parametrize("r", RULES, ids=[r.rule.id for r in RULES])
def test_metadata(r):
    m = r.rule
    assert m.summary and len(r.full_description()) <= 1024
    if m.events:  # analysis rules derive from a man page; tool rules (SSL9xx) do not
        assert m.man and m.help_uri.startswith("https://")
    if m.security_severity:
        assert 0 < float(m.security_severity) <= 10
        assert "security" in m.all_tags and m.cwe
    assert len(m.all_tags) <= 10
    sections = r.sections()
    for s in SECTIONS:
        assert sections.get(s), f"{m.id}: missing '## {s}'"
    if m.events:
        assert re.search(r"\(3\)", sections["Why is this bad?"]), "cite the man page"


@pytest.mark.parametrize("r", RULES, ids=[r.rule.id for r in RULES])
def test_rules_read_no_path_that_their_events_lack(r):
    """Events for the advisory rules carry no trail (the engine skips working it out:
    Event.has_path): a rule subscribed only to such events must not report one."""
    from sslint.core.events import EVENT_TYPES
    if r.rule.events and not any(EVENT_TYPES[k].has_path for k in r.rule.events):
        source = Path(sys.modules[r.check.__module__].__file__).read_text()
        assert ".trail" not in source, r.rule.id


@pytest.mark.parametrize("r", RULES, ids=[r.rule.id for r in RULES])
def test_cited_pages_exist(r):
    for page in r.rule.man:
        assert page in MAN_PAGES, f"{page}: no such page in {PAGE_LIST.name}"


def test_page_list_matches_shared():
    if not MAN_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{MAN_DIR} is missing: CI lays shared/ beside the checkout")
        pytest.skip("shared/openssl-man not beside the checkout")
    # One way only: pages added to shared/ later need not be listed until cited.
    missing = MAN_PAGES - {p.stem for p in MAN_DIR.glob("*.pod")}
    assert not missing, f"listed in {PAGE_LIST.name} but not in {MAN_DIR}: {sorted(missing)}"


def test_docs_rules_md_is_fresh():
    path = ROOT / "docs" / "rules.md"
    assert path.read_text() == rules_markdown(RULES), (
        "docs/rules.md is stale: run `sslint rules --format markdown > docs/rules.md`")


def _block(section: str) -> str:
    m = re.search(r"```c\n(.*?)```", section, re.S)
    assert m, "a ```c block"
    return m.group(1)


def _as_file(code: str) -> str:
    if re.search(r"^\{", code, re.M):  # already a function definition
        return PRELUDE + code
    return PRELUDE + "int example(SSL *ssl, SSL_CTX *ctx, int fd)\n{\n" + code + "return 0;\n}\n"


@pytest.mark.parametrize("r", [r for r in RULES if r.rule.events],
                         ids=[r.rule.id for r in RULES if r.rule.events])
@pytest.mark.parametrize("which", ["Example", "Use instead"])
def test_doc_examples_run(r, which, tmp_path: Path):
    src = tmp_path / "example.c"
    src.write_text(_as_file(_block(r.sections()[which])))
    if r.rule.stage == "program":  # a folder is a whole program
        report = run(Request(paths=(str(tmp_path),), isolated=True, jobs=1, root=str(tmp_path)))
        ids = {f.rule_id for f in report.findings()}
    else:
        job = Job(tuple(x.rule.id for x in RULES), (), Options())
        res = run_unit(job, Unit(str(src), str(src), ()))
        ids = {f.rule_id for f in res.findings}
    if which == "Example":
        assert r.rule.id in ids, ids
    else:
        assert r.rule.id not in ids, ids


def test_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text()
    for r in RULES:
        assert f"| {r.rule.id} | {r.rule.name} |" in readme, r.rule.id
