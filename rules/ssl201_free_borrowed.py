"""A borrowed OpenSSL reference is released.

## What it does
Finds a release of a pointer the function only borrowed: `SSL_SESSION_free` on the
result of `SSL_get_session`/`SSL_get0_session`, `BIO_free`/`BIO_free_all` on
`SSL_get_rbio`/`SSL_get_wbio`, `SSL_free` on the SSL fetched with `BIO_get_ssl`,
`SSL_CTX_free` on `SSL_get_SSL_CTX`, `BIO_free` on `BIO_next`/`BIO_find_type`.
Also a release of such a pointer after its owner was freed. The same for
certificates, keys and stacks lent by `SSL_get0_peer_certificate`,
`SSL_get_peer_cert_chain`, `SSL_CTX_get_cert_store`, `X509_STORE_CTX_get_current_cert`,
`X509_STORE_CTX_get0_chain`, `sk_X509_value`, `X509_get_subject_name`,
`EVP_DigestSignInit`'s `*pctx`...

Kinds covered: every handle kind of the API table: `SSL`, `SSL_CTX`, `SSL_SESSION`,
`BIO`, `X509`, `X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`,
`EVP_PKEY_CTX`, `EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`,
`OCSP_REQUEST`, the ASN1 strings and the stacks `STACK_OF(X509)`,
`STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`,
`STACK_OF(GENERAL_NAME)` (`sslint api` lists them).

## Why is this bad?
These getters do not increment the reference count (SSL_get_session(3),
SSL_get_rbio(3), SSL_get_SSL_CTX(3)); the owner still holds the only reference
and will drop it itself. Releasing it here lowers the count below the number of
holders: the owner later frees memory that is already gone, and the session cache
keeps a dangling pointer (SSL_SESSION_free(3)). CWE-763: release of an invalid
pointer or reference.

## Example
```c
void forget_session(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get_session(ssl);
    SSL_SESSION_free(sess);
}
```

## Use instead
```c
void forget_session(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);   /* takes a reference */
    SSL_SESSION_free(sess);
}
```

## References
- SSL_SESSION_free(3), section DESCRIPTION (only explicitly acquired references)
- SSL_get_session(3); SSL_get_rbio(3); SSL_get_SSL_CTX(3); BIO_f_ssl(3)
"""
from sslint.core.events import Cause, DoubleRelease, ReleaseBorrowed
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import freed_again, handle_name, related_from

RULE = Rule(
    id="SSL201",
    name="free-of-borrowed-reference",
    summary="Borrowed OpenSSL reference released",
    events=("release-borrowed", "double-release"),
    man=("SSL_SESSION_free", "SSL_get_session", "SSL_get_rbio", "SSL_get_SSL_CTX"),
    man_section="DESCRIPTION",
    cwe=763,
    level="error",
    precision="high",
    security_severity="7.5",
    tags=("reliability", "openssl"),
)


def check(event: ReleaseBorrowed | DoubleRelease) -> Finding | None:
    if isinstance(event, DoubleRelease):
        return freed_again(RULE.id, event, Cause.LENDER, "",
                           "a reference borrowed from another object that was already released")
    getter = event.getter or "a getter"
    lender = event.lender or "its owner"
    msg = (f"{event.api}() releases {handle_name(event)}, which {getter}() only lent "
           f"(it still belongs to {lender})")
    return Finding(RULE.id, msg + ".", event.site, event.function, related_from(event.origin),
                   event.trail)
