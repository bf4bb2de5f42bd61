"""SSL_clear is used to recycle a connection object.

## What it does
Reports calls to `SSL_clear` on a connection, at note level: a suggestion, not a
bug in itself.

## Why is this bad?
SSL_clear(3) keeps the protocol method and settings fixed by the last session; a
reused object may then fail to connect to a peer whose settings changed, and an
open session that was not shut down is dropped from the cache. It always fails
on QUIC objects. The page recommends a fresh object instead: save the session
with `SSL_get1_session`, `SSL_free` the old object, `SSL_new` a new one and
`SSL_set_session` the saved session.

## Example
```c
int reconnect(SSL *ssl)
{
    if (!SSL_clear(ssl))
        return 0;
    return SSL_connect(ssl);
}
```

## Use instead
```c
SSL *reconnect(SSL_CTX *ctx, SSL *old)
{
    SSL_SESSION *sess = SSL_get1_session(old);
    SSL *ssl = SSL_new(ctx);
    SSL_free(old);
    if (ssl != NULL && sess != NULL && !SSL_set_session(ssl, sess)) {
        SSL_free(ssl);
        ssl = NULL;
    }
    SSL_SESSION_free(sess);
    return ssl;
}
```

## References
- SSL_clear(3), sections NOTES and WARNINGS
"""
from sslint.core.events import CallSeen
from sslint.core.findings import Finding
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL501",
    name="ssl-clear-reuse",
    summary="SSL_clear used to recycle a connection object",
    events=("call",),
    man=("SSL_clear",),
    man_section="WARNINGS",
    level="note",
    precision="medium",
    tags=("maintainability", "openssl"),
    handles=("SSL",),
)


def check(event: CallSeen) -> Finding | None:
    if "recycle" not in event.tags:  # only calls that reset the object (SSL_clear)
        return None
    msg = ("SSL_clear() keeps the last session's method and settings; SSL_clear(3) "
           "recommends SSL_get1_session(), SSL_free(), SSL_new() and SSL_set_session() "
           "to start a new connection")
    return Finding(RULE.id, msg + ".", event.site, event.function)
