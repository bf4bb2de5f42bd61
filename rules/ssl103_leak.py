"""An owned OpenSSL reference is not released on some path.

## What it does
Finds an `SSL`, `SSL_SESSION`, `BIO` or `SSL_CTX` reference the function owns (from
`SSL_new`, `SSL_dup`, `SSL_get1_session`, `SSL_SESSION_new`, `d2i_SSL_SESSION`,
`BIO_new` and its siblings, or an extra reference from `*_up_ref`) that reaches an
exit of the function, or loses its last pointer, without being released, returned,
stored somewhere that outlives the function, or handed to another object.

Kinds covered: every handle kind of the API table (a certificate from
`SSL_get1_peer_certificate`, a key from `PEM_read_bio_PrivateKey`, a chain from
`X509_STORE_CTX_get1_chain`...): `SSL`, `SSL_CTX`, `SSL_SESSION`, `BIO`, `X509`,
`X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`, `EVP_PKEY_CTX`,
`EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`, `OCSP_REQUEST`,
the ASN1 strings and the stacks `STACK_OF(X509)`, `STACK_OF(X509_NAME)`,
`STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`, `STACK_OF(GENERAL_NAME)` (`sslint api`
lists them).
The finding points at the allocation; the path shows the exit where it leaks.

## Why is this bad?
Every such call hands the caller one reference that only the matching free
function gives back (SSL_new(3), SSL_get_session(3), BIO_new(3),
SSL_SESSION_free(3)). A leak on an error path grows with every failed handshake
a peer can provoke: memory exhaustion on a long-running server (CWE-401).

## Example
```c
SSL *open_conn(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return NULL;
    if (!SSL_set_fd(ssl, fd))
        return NULL;            /* ssl leaks */
    return ssl;
}
```

## Use instead
```c
SSL *open_conn(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return NULL;
    if (!SSL_set_fd(ssl, fd)) {
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}
```

## References
- SSL_new(3), section RETURN VALUES
- SSL_get_session(3) (SSL_get1_session); BIO_new(3); SSL_SESSION_free(3)
"""
from sslint.core.events import Leak, Origin
from sslint.core.findings import Finding, Related
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL103",
    name="handle-leak",
    summary="Owned OpenSSL reference not released on some path",
    events=("leak",),
    man=("SSL_new", "SSL_get_session", "BIO_new", "SSL_SESSION_free"),
    man_section="RETURN VALUES",
    cwe=401,
    level="warning",
    precision="high",
    security_severity="5.3",
    tags=("reliability", "openssl"),
)


def check(event: Leak) -> Finding | None:
    if event.source is not Origin.ALLOC:
        return None  # an extra reference on someone else's object: SSL301
    exit_step = event.exit
    what = f"'{event.var}'" if event.var else f"the {event.handle}"
    msg = f"{event.handle} from {event.api}() ({what}) is not released"
    if exit_step is not None:
        where = ("when its last reference is lost"
                 if event.lost else "on the path that leaves")
        msg += f" {where} at line {exit_step.loc.line}"
    related = (Related(exit_step.loc, exit_step.message),) if exit_step else ()
    return Finding(RULE.id, msg + ".", event.site, event.function, related, event.trail)
