"""A suppression comment suppresses nothing.

## What it does
With `--report-unused-suppressions`, reports each code of a `sslint: ignore[...]`
or `NOLINT(sslint-...)` comment that suppressed no finding on its line or the line
below, and codes that name no sslint rule at all. A bare `sslint: ignore` is
reported when it suppressed nothing. Codes of rules that exist but are not enabled
in the run are left alone.

## Why is this bad?
A suppression outlives the bug it was written for: once the code is fixed or moved,
the comment stays and would silently hide the next real double free or leak on that
line. A misspelt code never suppressed anything and only looks as if it did.

## Example
```c
void close_conn(SSL *ssl)
{
    SSL_free(ssl);  /* sslint: ignore[SSL101] */
}
```

## Use instead
```c
void close_conn(SSL *ssl)
{
    SSL_free(ssl);
}
```

## References
- sslint's README, section "Suppressing findings"
- ruff's unused-noqa (RUF100), which this rule follows
"""
from sslint.core.events import Event
from sslint.core.findings import FileResult, Finding, Loc
from sslint.core.rule import AfterSuppressions, Rule

RULE = Rule(
    id="SSL900",
    name="unused-suppression",
    summary="Suppression comment that suppresses no finding",
    events=(),  # not an engine rule: it runs on the suppressions once they are applied
    man=(),
    level="note",
    precision="very-high",
    tags=("maintainability",),
    stage="post-suppression",
    opt_in="report-unused-suppressions",
)
# Where the analysis stopped early a suppression may only look unused.
INCOMPLETE = frozenset({"time-limit", "too-deep", "internal-error", "partial-analysis"})


def check(event: Event) -> Finding | None:
    """Subscribes to no events; after_suppressions() builds this rule's findings."""
    del event
    return None


def after_suppressions(result: FileResult, state: AfterSuppressions) -> list[Finding]:
    """A finding for each code of result's suppression comments that suppressed nothing,
    none for a file whose analysis did not finish."""
    if not result.analyzed or any(n.code in INCOMPLETE for n in result.notifications):
        return []
    return [unused(u.loc, u.code, u.known) for u in
            state.suppressions.unused([result.path], state.suppressible, state.known)]


def unused(loc: Loc, code: str, known: bool) -> Finding:
    """The finding for one unused code ('*' for a bare `sslint: ignore`)."""
    if code == "*":
        msg = "Unused suppression: no finding on this line or the next."
    elif known:
        msg = f"Unused suppression: no {code} finding on this line or the next."
    else:
        msg = f"Unused suppression: {code} is not an sslint rule id."
    return Finding(RULE.id, msg, loc)
