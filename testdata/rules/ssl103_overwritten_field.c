/* SSL103, the reference lost by assigning its only place again: a field or global
   that holds the only reference to a handle this function allocated is assigned
   again (a reconnect that forgets the old SSL). */
#include <openssl/ssl.h>

struct conn {
    SSL *ssl;
    SSL_CTX *ctx;
    SSL_SESSION *sess;
};

void keep_somewhere(SSL *s);

int reconnect_forgets_old(struct conn *c)
{
    c->ssl = SSL_new(c->ctx);   /* expect: SSL103 */
    if (c->ssl == NULL)
        return -1;
    if (SSL_connect(c->ssl) != 1) {
        c->ssl = SSL_new(c->ctx);   /* the first one is lost here */
        if (c->ssl == NULL)
            return -1;
    }
    return 0;
}

int session_refreshed_twice(struct conn *c, SSL *s)
{
    c->sess = SSL_get1_session(s);   /* expect: SSL103 */
    if (c->sess == NULL)
        return -1;
    c->sess = SSL_get1_session(s);
    return 0;
}

int reconnect_frees_old(struct conn *c)
{
    c->ssl = SSL_new(c->ctx);   /* ok: SSL103 */
    if (c->ssl == NULL)
        return -1;
    if (SSL_connect(c->ssl) != 1) {
        SSL_free(c->ssl);
        c->ssl = SSL_new(c->ctx);
        if (c->ssl == NULL)
            return -1;
    }
    return 0;
}

int handed_elsewhere_first(struct conn *c)
{
    c->ssl = SSL_new(c->ctx);   /* ok: SSL103 */
    if (c->ssl == NULL)
        return -1;
    keep_somewhere(c->ssl);      /* someone else may own it now */
    c->ssl = SSL_new(c->ctx);
    return 0;
}

int local_alias_still_holds_it(struct conn *c)
{
    SSL *old = SSL_new(c->ctx);   /* ok: SSL103 */
    if (old == NULL)
        return -1;
    c->ssl = old;
    c->ssl = SSL_new(c->ctx);     /* `old` still has it ... */
    SSL_free(old);                /* ... and frees it */
    return 0;
}

int maybe_null_first(struct conn *c)
{
    /* A real leak when the first call succeeds; only a reference known to be
       non-NULL is reported for now. */
    c->ssl = SSL_new(c->ctx);   /* todo: SSL103 */
    c->ssl = SSL_new(c->ctx);
    return 0;
}
