"""An owned OpenSSL reference is stored in a struct field that no function releases.

## What it does
Looks at the whole program (every file of the run, analysed with the whole-program
pass): where a function stores a reference it owns in a field of a struct reached
through a pointer (`c->ssl = SSL_new(ctx)`, `c->session = SSL_get1_session(s)`), and
no function of any file releases what that field holds, hands it over to another
object, passes it to a function sslint cannot see, copies it into a variable or
returns it. The finding is at the first store and names the struct type and the
field; the other functions that write the field are listed as related locations.

Kinds covered: every handle kind of the API table: `SSL`, `SSL_CTX`, `SSL_SESSION`,
`BIO`, `X509`, `X509_NAME`, `X509_CRL`, `X509_STORE`, `X509_STORE_CTX`, `EVP_PKEY`,
`EVP_PKEY_CTX`, `EVP_MD_CTX`, `EVP_CIPHER_CTX`, `OCSP_RESPONSE`, `OCSP_BASICRESP`,
`OCSP_REQUEST`, the ASN1 strings and the stacks `STACK_OF(X509)`,
`STACK_OF(X509_NAME)`, `STACK_OF(X509_CRL)`, `STACK_OF(X509_INFO)`,
`STACK_OF(GENERAL_NAME)`.

It runs only when the run is the whole program: folders or a compilation database
as a whole, not files named one by one, nor a subset of a database (a function of a
file left out may be the one that releases the field). Fields of global variables, which
live until the process ends, are left out.

## Why is this bad?
The reference stored in the field is the only one the program holds (SSL_new(3),
SSL_get_session(3) for `SSL_get1_session`, BIO_new(3)). If nothing ever passes the
field to the matching free function, every connection struct that is freed takes
its SSL, session or BIO with it, unreleased: memory that grows with the number of
connections (CWE-401).

## Example
```c
int conn_open(struct conn *c)
{
    c->ssl = SSL_new(c->ctx);
    return c->ssl ? 0 : -1;
}

void conn_close(struct conn *c)
{
    close(c->fd);
    free(c);           /* c->ssl goes with it, never freed */
}
```

## Use instead
```c
void conn_close(struct conn *c)
{
    SSL_free(c->ssl);
    close(c->fd);
    free(c);
}
```

## References
- SSL_new(3), section RETURN VALUES
- SSL_free(3); SSL_get_session(3) (SSL_get1_session); BIO_new(3)
"""
from sslint.core.events import FieldNeverReleased
from sslint.core.findings import Finding, Related
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL104",
    name="field-never-released",
    summary="Owned OpenSSL reference stored in a struct field no function releases",
    events=("field-never-released",),
    man=("SSL_new", "SSL_free", "SSL_get_session", "BIO_new"),
    man_section="RETURN VALUES",
    cwe=401,
    level="warning",
    precision="medium",
    security_severity="5.3",
    tags=("reliability", "openssl"),
    stage="program",
)


def check(event: FieldNeverReleased) -> Finding | None:
    where = f"'{event.record}'" if event.record else "its struct"
    msg = (f"{event.handle} from {event.api}() is stored in field '{event.field}' of "
           f"{where}, and no function of the program releases that field or passes it on")
    related = tuple(Related(s.loc, s.message) for s in event.writers)
    return Finding(RULE.id, msg + ".", event.site, event.function, related, event.trail)
