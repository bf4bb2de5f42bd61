"""A handle is freed after an SSL (or another owner) took ownership of it.

## What it does
Finds `BIO_free`/`BIO_free_all` (or a second release by any route) of a BIO that
was handed to an `SSL` with `SSL_set_bio`, `SSL_set0_rbio` or `SSL_set0_wbio`,
either while the SSL is alive or after `SSL_free` already freed it, and a second
hand-over of a BIO the SSL already holds with no reference left to give (one BIO
for both directions through `SSL_set0_rbio` and `SSL_set0_wbio` without a
`BIO_up_ref` first). The hand-over is counted the way OpenSSL's code does it: for
example `SSL_set_bio(s, b, b)` takes one reference for both directions, and a
second `SSL_set_bio` takes only what the formula in SSL_set_bio's code says.

The same holds for every other object that takes a handle over: a store given to
an `SSL_CTX` with `SSL_CTX_set_cert_store`, a certificate or chain given with
`SSL_CTX_add_extra_chain_cert`, `SSL_CTX_add0_chain_cert`, `SSL_CTX_set0_chain`
(and their `SSL_` forms), a CA list with `SSL_CTX_set_client_CA_list`. A hand-over
that reports failure (the `add0`/`set0` forms) takes nothing when it fails.

## Why is this bad?
After the hand-over the SSL owns the BIO and `SSL_free` frees it (SSL_set_bio(3),
SSL_free(3): do not free indirectly freed items). Freeing it yourself as well
releases the same BIO twice: heap corruption (CWE-415). While the SSL lives, the
SSL is left reading and writing through a freed BIO.

## Example
```c
int attach(SSL *ssl, int fd)
{
    BIO *bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL)
        return 0;
    SSL_set_bio(ssl, bio, bio);
    BIO_free(bio);              /* the SSL owns it now */
    return 1;
}
```

## Use instead
```c
int attach(SSL *ssl, int fd)
{
    BIO *bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL)
        return 0;
    SSL_set_bio(ssl, bio, bio); /* SSL_free(ssl) frees bio */
    return 1;
}
```

## References
- SSL_set_bio(3), section DESCRIPTION (ownership of rbio and wbio)
- SSL_CTX_set_cert_store(3); SSL_CTX_add_extra_chain_cert(3); SSL_CTX_add1_chain_cert(3)
- SSL_free(3)
"""
from sslint.core.events import Cause, DoubleRelease, ReleaseTransferred
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import freed_again, handle_name, holds_a_chain

RULE = Rule(
    id="SSL202",
    name="free-of-ssl-owned-bio",
    summary="Handle freed after an SSL or another owner took ownership of it",
    events=("release-transferred", "double-release"),
    man=("SSL_set_bio", "SSL_free"),
    man_section="DESCRIPTION",
    cwe=415,
    level="error",
    precision="high",
    security_severity="8.1",
    tags=("reliability", "openssl"),
)


def check(event: ReleaseTransferred | DoubleRelease) -> Finding | None:
    if not event.owner_kind or holds_a_chain(event.owner_kind):
        return None  # chains and stacks: SSL203
    if isinstance(event, DoubleRelease):
        return freed_again(RULE.id, event, Cause.OWNER, event.owner_kind,
                           f"which its {event.owner_kind} already freed")
    if event.overcommit:
        msg = (f"{event.api}() hands {handle_name(event)} to {event.owner} again, "
               f"but this function has no reference left to give: without a BIO_up_ref() "
               f"first, the SSL frees it twice")
        return Finding(RULE.id, msg + ".", event.site, event.function, (), event.trail)
    msg = (f"{event.api}() releases {handle_name(event)}, which {event.owner} owns "
           f"since it was handed over; {event.owner_kind}_free() will release it again")
    return Finding(RULE.id, msg + ".", event.site, event.function, (), event.trail)
