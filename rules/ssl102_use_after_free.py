"""An OpenSSL handle is used after it was released.

## What it does
Finds a call that receives an `SSL`, `SSL_SESSION`, `BIO` or `SSL_CTX` pointer, or a
dereference of one, after the object was released on the same path: by its own
free function, or together with the object that owned it (an `SSL` frees its BIOs,
`BIO_free_all` frees a whole chain, a borrowed pointer dies with its owner).

Kinds covered: every handle kind of the API table: `SSL`, `SSL_CTX`, `SSL_SESSION`,
`BIO`, `X509`, `X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`,
`EVP_PKEY_CTX`, `EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`,
`OCSP_REQUEST`, the ASN1 strings and the stacks `STACK_OF(X509)`,
`STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`,
`STACK_OF(GENERAL_NAME)` (`sslint api` lists them).

## Why is this bad?
After the last reference is dropped the memory is returned to the allocator
(SSL_free(3), BIO_new(3)); OpenSSL will read and write through the stale pointer.
Use after free is a classic route to remote code execution (CWE-416). SSL_free(3)
also warns that the BIOs and the session it owned are gone with it.

## Example
```c
SSL_free(ssl);
if (SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN)   /* ssl is gone */
    log_clean_close();
```

## Use instead
```c
int clean = SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN;
SSL_free(ssl);
if (clean)
    log_clean_close();
```

## References
- SSL_free(3), section DESCRIPTION
- BIO_new(3) (BIO_free_all); SSL_set_bio(3); SSL_get_rbio(3)
"""
from sslint.core.events import UseAfterRelease
from sslint.core.findings import Finding, Related, line_of
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL102",
    name="use-after-free",
    summary="OpenSSL handle used after it was released",
    events=("use-after-release",),
    man=("SSL_free", "BIO_new", "SSL_set_bio"),
    man_section="DESCRIPTION",
    cwe=416,
    level="error",
    precision="high",
    security_severity="8.8",
    tags=("reliability", "openssl"),
)


def check(event: UseAfterRelease) -> Finding | None:
    first = event.first_release
    related = (Related(first.loc, first.message),) if first else ()
    what = f"'{event.var}'" if event.var else f"a {event.handle}"
    use = "dereferences" if event.api == "dereference" else f"{event.api}() uses"
    if event.api == "dereference":
        msg = f"This dereferences {what} after it was released"
    else:
        msg = f"{use} {what} after it was released"
    if first:
        msg += f" ({first.message}, {line_of(first.loc, event.site)})"
    return Finding(RULE.id, msg + ".", event.site, event.function, related, event.trail)
