/* SSL201: releasing a reference the function only borrowed. */
#include <openssl/ssl.h>

void free_get_session(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get_session(ssl);
    if (sess != NULL)
        SSL_SESSION_free(sess); /* expect: SSL201 */
}

void free_get0_session(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get0_session(ssl);
    SSL_SESSION_free(sess); /* expect: SSL201 */
}

void free_rbio(SSL *ssl)
{
    BIO *rbio = SSL_get_rbio(ssl);
    BIO_free_all(rbio); /* expect: SSL201 */
}

void free_ctx_of_ssl(SSL *ssl)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    SSL_CTX_free(ctx); /* expect: SSL201 */
}

void free_ssl_of_bio(BIO *sbio)
{
    SSL *ssl = NULL;
    BIO_get_ssl(sbio, &ssl);
    SSL_free(ssl); /* expect: SSL201 */
}

/* Clean: get1 takes a reference, so freeing it is right. */
void free_get1_session(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    SSL_SESSION_free(sess); /* ok: SSL201 */
}

/* Clean: an explicit up_ref makes the borrowed pointer ours to release. */
SSL_CTX *keep_ctx(SSL *ssl)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    if (!SSL_CTX_up_ref(ctx))
        return NULL;
    return ctx;
}

void drop_ctx(SSL *ssl)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    if (SSL_CTX_up_ref(ctx))
        SSL_CTX_free(ctx); /* ok: SSL201 */
}

/* Clean: the borrowed session is only read. */
int session_is_resumable(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get_session(ssl);
    return sess != NULL && SSL_SESSION_is_resumable(sess);
}
