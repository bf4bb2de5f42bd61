/* SSL402: a call that reports failure only in its result is used as a statement. */
#include <openssl/ssl.h>

void recycle(SSL *ssl)
{
    SSL_clear(ssl); /* expect: SSL402, SSL501 */
    SSL_set_connect_state(ssl);
}

void resume(SSL *ssl, SSL_SESSION *sess)
{
    SSL_set_session(ssl, sess); /* ok: SSL402 (rarely-fails: only a full handshake) */
    SSL_connect(ssl);
}

SSL *share(SSL *ssl)
{
    SSL_up_ref(ssl); /* ok: SSL402 (rarely-fails: needs a platform without atomics) */
    return ssl;
}

int make_pair(BIO **a, BIO **b)
{
    BIO_new_bio_pair(a, 0, b, 0); /* expect: SSL402 */
    return BIO_write(*a, "x", 1);
}

int finish_stream(SSL *stream)
{
    SSL_stream_conclude(stream, 0); /* expect: SSL402 */
    SSL_free(stream);
    return 1;
}

/* Clean: the results are checked. */
int recycle_checked(SSL *ssl)
{
    if (!SSL_clear(ssl)) /* ok: SSL402 */ /* expect: SSL501 */
        return 0;
    SSL_set_connect_state(ssl);
    return 1;
}

int resume_checked(SSL *ssl, SSL_SESSION *sess)
{
    int ok = SSL_set_session(ssl, sess); /* ok: SSL402 */
    return ok && SSL_connect(ssl) == 1;
}

/* Clean: a cast to void says the result is ignored on purpose. */
void resume_best_effort(SSL *ssl, SSL_SESSION *sess)
{
    (void)SSL_set_session(ssl, sess); /* ok: SSL402 */
}
