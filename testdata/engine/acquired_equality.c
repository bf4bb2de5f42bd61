/* A reference acquired from OpenSSL may be to an object the caller already knows
 * (SSL_get1_session returns the session the SSL holds): comparing it with another
 * pointer must not end the path. */
#include <openssl/ssl.h>
int f(SSL *c1, SSL_SESSION *p)
{
    SSL_SESSION *s1;
    BIO *b;
    if ((s1 = SSL_get1_session(c1)) == NULL)
        return 0;
    if (p != s1) { SSL_SESSION_free(s1); return 0; }
    SSL_SESSION_free(s1);
    b = BIO_new(BIO_s_mem());
    BIO_free(b);
    BIO_free(b); /* expect: SSL101 */
    return 1;
}
