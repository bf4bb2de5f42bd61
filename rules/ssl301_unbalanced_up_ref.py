"""A reference taken with *_up_ref is not released on some path.

## What it does
Finds `SSL_up_ref`, `SSL_SESSION_up_ref`, `BIO_up_ref` or `SSL_CTX_up_ref` on a
handle the function did not allocate (a parameter, a field, a getter's result)
where some path out of the function neither releases the extra reference nor
stores the handle where it outlives the function.

Kinds covered: those with an up_ref function (`X509_up_ref`, `EVP_PKEY_up_ref`,
`X509_STORE_up_ref`, `X509_CRL_up_ref` too) among `SSL`, `SSL_CTX`, `SSL_SESSION`,
`BIO`, `X509`, `X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`,
`EVP_PKEY_CTX`, `EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`,
`OCSP_REQUEST`, the ASN1 strings and the stacks `STACK_OF(X509)`,
`STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`,
`STACK_OF(GENERAL_NAME)` (`sslint api` lists them).

## Why is this bad?
Each successful up_ref needs exactly one more free (SSL_new(3), BIO_new(3),
SSL_SESSION_free(3), SSL_CTX_new(3)). An unbalanced one keeps the object alive
forever: the connection, its session and its buffers leak (CWE-401). Error paths
between the up_ref and the store are where this usually hides.

## Example
```c
int remember(struct cache *c, SSL_SESSION *sess)
{
    SSL_SESSION_up_ref(sess);
    if (c->full)
        return 0;               /* the extra reference leaks */
    c->sess = sess;
    return 1;
}
```

## Use instead
```c
int remember(struct cache *c, SSL_SESSION *sess)
{
    if (c->full)
        return 0;
    if (!SSL_SESSION_up_ref(sess))
        return 0;
    c->sess = sess;
    return 1;
}
```

## References
- SSL_SESSION_free(3) (SSL_SESSION_up_ref), section DESCRIPTION
- SSL_new(3) (SSL_up_ref); BIO_new(3) (BIO_up_ref); SSL_CTX_new(3) (SSL_CTX_up_ref)
"""
from sslint.core.events import Leak, Origin
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import handle_name, related_from

RULE = Rule(
    id="SSL301",
    name="unbalanced-up-ref",
    summary="Reference taken with *_up_ref not released on some path",
    events=("leak",),
    man=("SSL_SESSION_free", "SSL_new", "BIO_new", "SSL_CTX_new"),
    man_section="DESCRIPTION",
    cwe=401,
    level="warning",
    precision="medium",
    security_severity="5.3",
    tags=("reliability", "openssl"),
)


def check(event: Leak) -> Finding | None:
    if event.source is Origin.ALLOC:
        return None  # SSL103
    exit_step = event.exit
    site = event.acquired or event.site
    msg = (f"The reference this function took on {handle_name(event)} is not released")
    if exit_step is not None:
        msg += f" on the path that leaves at line {exit_step.loc.line}"
    return Finding(RULE.id, msg + ".", site, event.function, related_from(exit_step),
                   event.trail)
