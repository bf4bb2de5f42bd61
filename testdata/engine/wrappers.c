/* Same-file wrappers are summarised for their callers (allocators, destructors,
 * helpers that only use a handle); anything unclear stays unknown. */
#include <openssl/ssl.h>
#include <stdlib.h>

struct conn {
    SSL *ssl;
    int fd;
};

static SSL *conn_ssl_new(SSL_CTX *ctx, int fd)
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

static void conn_ssl_free(SSL *ssl)
{
    if (ssl != NULL) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
    }
}

static int log_state(BIO *out, const SSL *ssl)
{
    return BIO_printf(out, "%s\n", SSL_state_string_long(ssl));
}

static void keep_somewhere(struct conn *c, SSL *ssl)
{
    c->ssl = ssl;
}

int wrapper_leak(SSL_CTX *ctx, int fd)
{
    SSL *ssl = conn_ssl_new(ctx, fd); /* expect: SSL103 */
    if (ssl == NULL)
        return -1;
    if (SSL_connect(ssl) <= 0)
        return -1;
    conn_ssl_free(ssl);
    return 0;
}

void wrapper_double_free(SSL_CTX *ctx)
{
    SSL *ssl = conn_ssl_new(ctx, 0);
    conn_ssl_free(ssl);
    SSL_free(ssl); /* expect: SSL101 */
}

int wrapper_use_after_free(SSL_CTX *ctx, BIO *out)
{
    SSL *ssl = conn_ssl_new(ctx, 0);
    if (ssl == NULL)
        return -1;
    conn_ssl_free(ssl);
    return log_state(out, ssl); /* expect: SSL102 */
}

int wrappers_clean(SSL_CTX *ctx, BIO *out, int fd)
{
    SSL *ssl = conn_ssl_new(ctx, fd); /* ok: SSL103 */
    if (ssl == NULL)
        return -1;
    log_state(out, ssl);
    conn_ssl_free(ssl);
    return 0;
}

int stored_by_helper_clean(struct conn *c, SSL_CTX *ctx)
{
    SSL *ssl = conn_ssl_new(ctx, c->fd); /* ok: SSL103 */
    if (ssl == NULL)
        return -1;
    keep_somewhere(c, ssl);
    return 0;
}

struct slot {
    void *owner;
};
extern struct slot table[64];

void untracked_place_double_free(int i)
{
    SSL *ssl = table[i].owner;
    SSL_free(ssl);
    SSL_free(ssl); /* expect: SSL101 */
}

void untracked_place_clean(int i)
{
    SSL *ssl = table[i].owner;
    SSL_free(ssl); /* ok: SSL101 */
    table[i].owner = NULL;
}

/* A constructor that stores the new session in the caller's struct and returns
 * the same pointer (libcoap's coap_tls_new_client_session): its summary says the
 * result is the stored object, so writing it back is no loss. */
struct tls_session {
    SSL *tls;
    SSL_CTX *ctx;
};

static void *session_new(struct tls_session *s)
{
    SSL *ssl = SSL_new(s->ctx);
    if (ssl == NULL)
        return NULL;
    if (!SSL_set_fd(ssl, 3)) {
        SSL_free(ssl);
        return NULL;
    }
    s->tls = ssl;
    return ssl;
}

void session_establish_clean(struct tls_session *s)
{
    s->tls = session_new(s); /* ok: SSL103 */
    if (s->tls == NULL)
        return;
}

void session_replaced_leak(struct tls_session *s)
{
    if (session_new(s) == NULL) /* expect: SSL103 */
        return;
    s->tls = SSL_new(s->ctx);
}

void session_freed_twice(struct tls_session *s)
{
    SSL *ssl = session_new(s);
    if (ssl == NULL)
        return;
    SSL_free(ssl);
    SSL_free(s->tls); /* expect: SSL101 */
}
