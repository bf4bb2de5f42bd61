/* SSL402: a call that reports failure only in its result is used as a statement. */
#include <openssl/ssl.h>

void recycle(SSL *ssl)
{
    SSL_clear(ssl); /* expect: SSL402, SSL501 */
    SSL_set_connect_state(ssl);
}

void resume(SSL *ssl, SSL_SESSION *sess)
{
    SSL_set_session(ssl, sess); /* expect: SSL402 */
    SSL_connect(ssl);
}

SSL *share(SSL *ssl)
{
    SSL_up_ref(ssl); /* expect: SSL402 */
    return ssl;
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
