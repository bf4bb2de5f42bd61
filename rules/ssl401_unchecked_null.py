"""A possibly-NULL result of an allocating call is used without a check.

## What it does
Finds the result of `SSL_new`, `SSL_dup`, `BIO_new*`, `SSL_get1_session`,
`SSL_SESSION_new`, `d2i_SSL_SESSION`, `SSL_CTX_new`, `SSL_new_stream`… passed to a
function that does not accept NULL (or dereferenced) on a path where it was never
compared with NULL. Free functions accept NULL and are not reported. A function
counts as rejecting NULL only where its table entry says `use` (its page or its
code says it dereferences the handle); `use?` entries and unlisted functions do not.

Kinds covered: `SSL`, `SSL_CTX`, `SSL_SESSION`, `BIO`, `X509`, `X509_NAME`,
`X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`, `EVP_PKEY_CTX`,
`EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`, `OCSP_REQUEST`,
the ASN1 strings and the stacks `STACK_OF(X509)`, `STACK_OF(X509_NAME)`,
`STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`, `STACK_OF(GENERAL_NAME)` (`sslint api`
lists them).

## Why is this bad?
These constructors return NULL when memory runs out, when the input does not
decode, or when the object cannot be made (SSL_new(3), BIO_new(3),
d2i_SSL_SESSION(3)); `SSL_get1_session` returns NULL when there is no session.
The pages do not allow NULL for these arguments: depending on the function and the
OpenSSL version the call dereferences it and crashes, or fails with an error the
code never looks at, and carries on with a half-built connection. A peer that can
provoke the allocation failure can crash or confuse a server (CWE-690, CWE-476).

## Example
```c
int start(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);        /* ssl may be NULL */
    return SSL_connect(ssl);
}
```

## Use instead
```c
int start(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return -1;
    SSL_set_fd(ssl, fd);
    return SSL_connect(ssl);
}
```

## References
- SSL_new(3), section RETURN VALUES
- BIO_new(3); SSL_get_session(3); d2i_SSL_SESSION(3); SSL_CTX_new(3)
"""
from sslint.core.events import NullUse
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import handle_name, related_from

RULE = Rule(
    id="SSL401",
    name="unchecked-null",
    summary="Possibly-NULL result of an allocating call used without a check",
    events=("null-use",),
    man=("SSL_new", "BIO_new", "SSL_get_session", "d2i_SSL_SESSION"),
    man_section="RETURN VALUES",
    cwe=690,
    level="warning",
    precision="high",
    security_severity="5.9",
    tags=("reliability", "openssl", "external/cwe/cwe-476"),
)


def check(event: NullUse) -> Finding | None:
    origin = event.origin
    made_by = origin.message.split(" by ")[-1] if origin else "its allocator"
    if event.definitely:
        msg = f"{event.api}() gets {handle_name(event)}, which is NULL on this path"
    else:
        msg = (f"{event.api}() gets {handle_name(event)} without a NULL check; "
               f"{made_by} returns NULL on failure")
    if event.api == "dereference":
        msg = f"{handle_name(event)} is dereferenced without a NULL check"
    return Finding(RULE.id, msg + ".", event.site, event.function, related_from(origin),
                   event.trail)
