"""A new-session callback gets the session reference's ownership wrong.

## What it does
Checks each function this file registers with `SSL_CTX_sess_set_new_cb`: on a path
that returns 1 the callback must keep the session (store it) or free it; on a path
that returns 0 it must neither free it nor keep the pointer without taking a
reference of its own (`SSL_SESSION_up_ref`).

## Why is this bad?
The library takes one reference for the callback before calling it.
SSL_CTX_sess_set_get_cb(3): returning 1 hands that reference to the application,
which must release it later; returning 0 leaves it with the library, which drops
it. Returning 1 without keeping the session leaks it; returning 0 after freeing it
frees it twice; returning 0 after storing the bare pointer leaves the store
dangling once the library lets go (CWE-401, CWE-415, CWE-416).

## Example
```c
static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    unsigned char *der = NULL;
    int len = i2d_SSL_SESSION(sess, &der);
    (void)len;
    OPENSSL_free(der);
    SSL_SESSION_free(sess);
    return 0;                   /* the library frees it too */
}

void setup(SSL_CTX *ctx)
{
    SSL_CTX_sess_set_new_cb(ctx, new_session_cb);
}
```

## Use instead
```c
static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    unsigned char *der = NULL;
    int len = i2d_SSL_SESSION(sess, &der);
    (void)len;
    OPENSSL_free(der);
    return 0;                   /* the library keeps and frees its reference */
}

void setup(SSL_CTX *ctx)
{
    SSL_CTX_sess_set_new_cb(ctx, new_session_cb);
}
```

## References
- SSL_CTX_sess_set_get_cb(3), section DESCRIPTION (sess_new_cb return value)
- SSL_SESSION_free(3)
"""
from sslint.core.events import CallbackReturn
from sslint.core.findings import Finding
from sslint.core.rule import Rule

RULE = Rule(
    id="SSL503",
    name="new-session-callback-ownership",
    summary="New-session callback returns the wrong ownership for its session",
    events=("callback-return",),
    man=("SSL_CTX_sess_set_get_cb", "SSL_SESSION_free"),
    man_section="DESCRIPTION",
    cwe=401,
    level="warning",
    precision="medium",
    security_severity="6.5",
    tags=("reliability", "openssl"),
)

_TEXT = {
    "leaked": "returns {ret}, taking over the reference to '{var}', but neither keeps "
              "nor frees it: the session leaks",
    "freed": "returns {ret} after freeing '{var}': the library still owns that reference "
             "and frees it again",
    "kept": "returns {ret} after storing '{var}' without a reference of its own: the "
            "stored pointer dangles once the library frees the session",
}


def check(event: CallbackReturn) -> Finding | None:
    problem = event.problem
    if problem not in _TEXT:
        return None
    msg = (f"This {event.api}() callback "
           + _TEXT[problem].format(ret=event.returned, var=event.var))
    return Finding(RULE.id, msg + ".", event.site, event.function)
