/* Straight-line double free, use after free and leak; clean variants alongside. */
#include <openssl/ssl.h>

void double_free_straight(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
}

void double_free_param(SSL *s)
{
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
}

void freed_once_then_nulled(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    s = NULL;
    SSL_free(s); /* ok: SSL101 */
}

int use_after_free(SSL *s)
{
    SSL_free(s);
    return SSL_get_error(s, 0); /* expect: SSL102 */
}

void session_double_free(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    SSL_SESSION_free(sess);
    SSL_SESSION_free(sess); /* expect: SSL101 */
}

void bio_double_free(void)
{
    BIO *b = BIO_new(BIO_s_mem());
    BIO_free(b);
    BIO_free_all(b); /* expect: SSL101 */
}

int leak_on_early_return(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd))
        return -1;
    SSL_free(s);
    return 0;
}

SSL *returned_not_leaked(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return NULL;
    return s;
}

int null_checked_alloc_failure_is_not_a_leak(void)
{
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (b == NULL)
        return -1;
    BIO_free(b);
    return 0;
}
