/* SSL301: an extra reference taken with *_up_ref is not given back. */
#include <openssl/ssl.h>

struct cache {
    int full;
    SSL_SESSION *sess;
    SSL *conn;
};

int remember_leaks_when_full(struct cache *c, SSL_SESSION *sess)
{
    if (!SSL_SESSION_up_ref(sess)) /* expect: SSL301 */
        return 0;
    if (c->full)
        return 0;
    c->sess = sess;
    return 1;
}

void up_ref_and_forget(SSL *ssl)
{
    if (SSL_up_ref(ssl)) /* expect: SSL301 */
        SSL_connect(ssl);
}

int bio_up_ref_unbalanced(BIO *bio, int n)
{
    if (BIO_up_ref(bio) != 1) /* expect: SSL301 */
        return -1;
    if (n > 0)
        BIO_free(bio);
    return n;
}

/* Clean: the extra reference is stored in a struct that outlives the call. */
int remember_clean(struct cache *c, SSL_SESSION *sess)
{
    if (c->full)
        return 0;
    if (!SSL_SESSION_up_ref(sess)) /* ok: SSL301 */
        return 0;
    c->sess = sess;
    return 1;
}

/* Clean: the extra reference is dropped on every path. */
void balanced(SSL *ssl)
{
    if (!SSL_up_ref(ssl)) /* ok: SSL301 */
        return;
    SSL_connect(ssl);
    SSL_free(ssl);
}

/* Clean: the handle with its extra reference is returned to the caller. */
SSL *share(struct cache *c)
{
    if (c->conn == NULL || !SSL_up_ref(c->conn)) /* ok: SSL301 */
        return NULL;
    return c->conn;
}

/* Clean: stored first, then the extra reference taken (mosquitto's shape). */
struct client {
    SSL_CTX *user_ctx;
};

int set_user_ctx(struct client *cl, void *value)
{
    cl->user_ctx = (SSL_CTX *)value;
    if (cl->user_ctx)
        (void)SSL_CTX_up_ref(cl->user_ctx); /* ok: SSL301 */
    return 0;
}

/* SSL_dup: past the initial state it returns the same object with one more
 * reference; either way the result needs its own SSL_free (SSL_new(3)). */
int dup_forgotten(SSL *ssl)
{
    SSL *copy = SSL_dup(ssl); /* expect: SSL103 */
    if (copy == NULL)
        return -1;
    return SSL_connect(copy);
}

int dup_freed_both(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    SSL *copy;
    if (ssl == NULL)
        return -1;
    copy = SSL_dup(ssl); /* ok: SSL103 */
    SSL_free(copy);
    SSL_free(ssl); /* ok: SSL101 */
    return 0;
}
