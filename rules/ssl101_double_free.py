"""An OpenSSL handle is released twice.

## What it does
Finds a second release (`SSL_free`, `SSL_SESSION_free`, `BIO_free`, `BIO_free_all`,
`SSL_CTX_free`, `X509_free`...) of a reference that was
already released on the same path, directly or through an alias.

Kinds covered: every handle kind of the API table: `SSL`, `SSL_CTX`, `SSL_SESSION`,
`BIO`, `X509`, `X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`,
`EVP_PKEY_CTX`, `EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`,
`OCSP_REQUEST`, the ASN1 strings and the stacks `STACK_OF(X509)`,
`STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`,
`STACK_OF(GENERAL_NAME)` (`sslint api` lists them).

## Why is this bad?
Each release drops one reference; when the count reaches zero the object is
destroyed (SSL_free(3), BIO_new(3), SSL_SESSION_free(3)). A second release touches
freed memory: heap corruption that is often exploitable (CWE-415). Releasing a NULL
pointer is a documented no-op, so `x = NULL` after the free is the usual guard.

## Example
```c
void close_conn(SSL *ssl)
{
    SSL_free(ssl);
    if (shutdown_failed)
        SSL_free(ssl);      /* second release */
}
```

## Use instead
```c
void close_conn(SSL *ssl)
{
    SSL_free(ssl);
    ssl = NULL;
}
```

## References
- SSL_free(3), section DESCRIPTION
- BIO_new(3) (BIO_free, BIO_free_all); SSL_SESSION_free(3)
"""
from sslint.core.events import Cause, DoubleRelease
from sslint.core.findings import Finding, Related, line_of
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL101",
    name="double-free",
    summary="OpenSSL handle released twice",
    events=("double-release",),
    man=("SSL_free", "BIO_new", "SSL_SESSION_free"),
    man_section="DESCRIPTION",
    cwe=415,
    level="error",
    precision="high",
    security_severity="8.1",
    tags=("reliability", "openssl"),
)


def check(event: DoubleRelease) -> Finding | None:
    if event.cause is not Cause.DIRECT:
        return None  # freed by its owner or borrowed: SSL201/SSL202/SSL203 say why
    first = event.first_release
    related = (Related(first.loc, first.message),) if first else ()
    what = f"'{event.var}'" if event.var else f"this {event.handle}"
    msg = f"{event.api}() releases {what}, which was already released"
    if first:
        msg += f" at {line_of(first.loc, event.site)}"
    return Finding(RULE.id, msg + ".", event.site, event.function, related, event.trail)
