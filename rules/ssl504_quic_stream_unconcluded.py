"""A QUIC stream is freed before its sending part was concluded.

## What it does
Finds `SSL_free` of a stream object made by `SSL_new_stream` or
`SSL_accept_stream` on a path where `SSL_stream_conclude` (or an explicit
`SSL_stream_reset`) was never called on it. Note level.

## Why is this bad?
SSL_free(3) resets a stream whose send part was not concluded (OpenSSL 3.2+):
the peer sees an abrupt reset instead of the end of the data, and data not yet
acknowledged can be lost (SSL_stream_conclude(3)).

## Example
```c
int send_all(SSL *conn, const void *buf, size_t len)
{
    size_t written;
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return 0;
    SSL_write_ex(stream, buf, len, &written);
    SSL_free(stream);           /* resets the stream */
    return 1;
}
```

## Use instead
```c
int send_all(SSL *conn, const void *buf, size_t len)
{
    size_t written;
    int ok;
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return 0;
    ok = SSL_write_ex(stream, buf, len, &written);
    ok = SSL_stream_conclude(stream, 0) && ok;
    SSL_free(stream);
    return ok;
}
```

## References
- SSL_free(3), section DESCRIPTION (QUIC stream objects)
- SSL_stream_conclude(3); SSL_new_stream(3); SSL_accept_stream(3)
"""
from sslint.core.events import Release
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import handle_name

RULE = Rule(
    id="SSL504",
    name="quic-stream-not-concluded",
    summary="QUIC stream freed before its send part was concluded",
    events=("release",),
    man=("SSL_free", "SSL_stream_conclude", "SSL_new_stream"),
    man_section="DESCRIPTION",
    level="note",
    precision="medium",
    tags=("reliability", "openssl", "quic"),
    handles=("SSL",),
)


def check(event: Release) -> Finding | None:
    if not event.last:
        return None  # only an extra reference was dropped: the object lives on
    marks = event.marks
    if "stream" not in marks or "concluded" in marks:
        return None
    msg = (f"{event.api}() frees QUIC stream {handle_name(event)} before "
           f"SSL_stream_conclude(): the stream is reset and unsent data may be lost")
    return Finding(RULE.id, msg + ".", event.site, event.function)
