"""The result of a call that can fail is ignored.

## What it does
Finds calls whose failure is only visible in their return value, used as a bare
statement: `SSL_clear`, `SSL_stream_conclude`, `BIO_new_bio_pair`. Casting the call
to `(void)` says the result is ignored on purpose. Calls whose pages also describe
a failure that is rare and harmless in practice (the `*_up_ref` functions, which
fail only on platforms without atomics, and `SSL_set_session`, whose failure costs
a full handshake) are tagged `rarely-fails` in the API table and not reported.

## Why is this bad?
`SSL_clear` returns 0 when it could not reset the object (always on QUIC
objects), and the object is then reused in its old state; a failed
`BIO_new_bio_pair` leaves both out-parameters NULL (SSL_clear(3), BIO_s_bio(3),
SSL_stream_conclude(3)). Code that carries on has a wrong picture of the object
(CWE-252).

## Example
```c
void recycle(SSL *ssl)
{
    SSL_clear(ssl);
    SSL_set_connect_state(ssl);
}
```

## Use instead
```c
int recycle(SSL *ssl)
{
    if (!SSL_clear(ssl))
        return 0;
    SSL_set_connect_state(ssl);
    return 1;
}
```

## References
- SSL_clear(3), section RETURN VALUES
- SSL_new(3) (SSL_up_ref); SSL_set_session(3); SSL_stream_conclude(3); BIO_s_bio(3)
"""
from sslint.core.events import UncheckedReturn
from sslint.core.findings import Finding
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL402",
    name="unchecked-return-value",
    summary="Result of an OpenSSL call that can fail is ignored",
    events=("unchecked-return",),
    man=("SSL_clear", "SSL_new", "SSL_set_session"),
    man_section="RETURN VALUES",
    cwe=252,
    level="warning",
    precision="high",
    tags=("reliability", "openssl"),
)


def check(event: UncheckedReturn) -> Finding | None:
    if "rarely-fails" in event.tags:
        return None
    msg = (f"The result of {event.api}() is ignored; it reports failure only through its "
           f"return value (see {event.man or event.api}(3))")
    return Finding(RULE.id, msg + ".", event.site, event.function)
