"""A handle is freed while (or after) a BIO chain or a stack owns it.

## What it does
Finds a release of a BIO that `BIO_push` or `BIO_set_next` linked into another
BIO's chain, or of an SSL that `BIO_set_ssl(..., BIO_CLOSE)` handed to an SSL BIO:
a release of a member that `BIO_free_all` of the head then frees again (reported
at the first release, with the second as related location), or any release after
`BIO_free_all` already freed the chain. A member freed alone while the head is
then freed with plain `BIO_free` is not reported: that frees nothing twice. `BIO_pop` takes a
member out of its chain and makes it (and the rest of the chain it returns) the
caller's again; with `BIO_NOCLOSE` the SSL stays the caller's.

Stacks (`STACK_OF(X509)`, `STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`,
`STACK_OF(X509_INFO)`, `STACK_OF(GENERAL_NAME)`) are chains in this sense: a
successful `sk_X509_push` hands the certificate to the stack, `sk_X509_pop_free`
frees it with the stack, `sk_X509_free` frees the stack alone.

## Why is this bad?
`BIO_free_all` walks the chain and frees every member (BIO_new(3), BIO_push(3)).
Freeing a member separately as well frees it twice (CWE-415); freeing it while
the chain is in use leaves the chain pointing at freed memory.

## Example
```c
void chain(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top = BIO_push(b64, mem);
    BIO_free_all(top);
    BIO_free(mem);              /* already freed with the chain */
}
```

## Use instead
```c
void chain(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top = BIO_push(b64, mem);
    BIO_free_all(top);          /* frees b64 and mem */
}
```

## References
- BIO_push(3), section DESCRIPTION
- BIO_new(3) (BIO_free_all); BIO_f_ssl(3) (BIO_set_ssl, BIO_CLOSE)
- DEFINE_STACK_OF(3) (sk_TYPE_push, sk_TYPE_free, sk_TYPE_pop_free)
"""
from sslint.core.events import Cause, DoubleRelease, ReleaseTransferred
from sslint.core.findings import Finding
from sslint.core.rule import Rule

from ._text import freed_again, handle_name, holds_a_chain, related_from

RULE = Rule(
    id="SSL203",
    name="bio-chain-member-freed",
    summary="Handle freed while or after a BIO chain or a stack owns it",
    events=("release-transferred", "double-release"),
    man=("BIO_push", "BIO_new", "BIO_f_ssl"),
    man_section="DESCRIPTION",
    cwe=415,
    level="error",
    precision="high",
    security_severity="8.1",
    tags=("reliability", "openssl"),
)


def check(event: ReleaseTransferred | DoubleRelease) -> Finding | None:
    if not holds_a_chain(event.owner_kind):
        return None
    chain = "BIO chain" if event.owner_kind == "BIO" else event.owner_kind
    if isinstance(event, DoubleRelease):
        return freed_again(RULE.id, event, Cause.OWNER, event.owner_kind,
                           f"which was freed with its {chain}")
    again = event.then.message.rsplit(" by ", 1)[-1] if event.then else "BIO_free_all()"
    msg = (f"{event.api}() releases {handle_name(event)} while the {chain} "
           f"{event.owner} still holds it; {again} frees it again")
    if event.then:
        msg += f" at line {event.then.loc.line}"
    return Finding(RULE.id, msg + ".", event.site, event.function,
                   related_from(event.then), event.trail)
