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

int test_ptr_eq(const char *file, int line, const char *s1, const char *s2,
                const void *a, const void *b);
#define TEST_ptr_eq(a, b) test_ptr_eq(__FILE__, __LINE__, #a, #b, a, b)

/* The acquired reference as the second operand of a test helper's comparison. */
int same_session_as_before(SSL *c1, SSL *c2)
{
    SSL_SESSION *sess1 = SSL_get1_session(c1);
    BIO *b;
    if (sess1 == NULL)
        return 0;
    if (!TEST_ptr_eq(SSL_get_session(c2), sess1)) {
        SSL_SESSION_free(sess1);
        return 0;
    }
    SSL_SESSION_free(sess1);
    b = BIO_new(BIO_s_mem());
    BIO_free(b);
    BIO_free(b); /* expect: SSL101 */
    return 1;
}
