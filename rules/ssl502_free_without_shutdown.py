"""A connection is freed after its handshake without being shut down.

## What it does
Finds `SSL_free` (or `SSL_clear`) of an SSL on which the same function ran the
handshake (`SSL_connect`, `SSL_accept`, `SSL_do_handshake`) but never called
`SSL_shutdown` or `SSL_set_shutdown`. Note level: the memory is handled
correctly, the session is not.

## Why is this bad?
Freeing or clearing an SSL whose session was not closed with a shutdown marks the
session as bad and removes it from the session cache, as RFC 2246 requires
(SSL_free(3), SSL_clear(3), SSL_set_shutdown(3)): the next connection cannot resume
it and pays for a full handshake.

## Example
```c
void one_request(SSL *ssl)
{
    if (SSL_connect(ssl) == 1)
        SSL_write(ssl, "ping", 4);
    SSL_free(ssl);
}
```

## Use instead
```c
void one_request(SSL *ssl)
{
    if (SSL_connect(ssl) == 1) {
        SSL_write(ssl, "ping", 4);
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
}
```

## References
- SSL_free(3), section DESCRIPTION
- SSL_clear(3); SSL_set_shutdown(3); SSL_shutdown(3)
"""
from sslint.core.events import CallSeen, Release
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import handle_name

RULE = Rule(
    id="SSL502",
    name="free-without-shutdown",
    summary="Connection freed after its handshake without a shutdown",
    events=("release", "call"),
    man=("SSL_free", "SSL_clear", "SSL_set_shutdown"),
    man_section="DESCRIPTION",
    level="note",
    precision="medium",
    tags=("performance", "openssl"),
    handles=("SSL",),
)


def check(event: Release | CallSeen) -> Finding | None:
    if isinstance(event, CallSeen) and "recycle" not in event.tags:
        return None  # a call that does not reset the connection (SSL_clear does)
    if isinstance(event, Release) and not event.last:
        return None  # only an extra reference was dropped: the object lives on
    marks = event.marks
    if "handshake" not in marks or "shutdown" in marks or "stream" in marks:
        return None
    msg = (f"{event.api}() on {handle_name(event)} after its handshake, with no "
           f"SSL_shutdown() or SSL_set_shutdown(): the session is dropped from the cache")
    return Finding(RULE.id, msg + ".", event.site, event.function)
