/* OpenSSL code under feature switches that the build defines with -D (or in a
 * generated config header). Without the build the preprocessor skips it, so
 * frontend/guards.py defines the switches the file's OpenSSL code needs:
 * USE_OPENSSL and HAVE_SSL_GET_CLIENT_CIPHERS here, and nothing else
 * (tests/test_noheaders.py compares with a run given those two -D's). */
#include <openssl/ssl.h>

#ifdef USE_OPENSSL
int tls_open(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) != 1)
        return -1;
    SSL_free(s);
    return 0;
}
#endif

/* Alternative TLS backends: wolfSSL has OpenSSL's names, but its switch is never
 * guessed, and one branch of a chain at most is. */
#if defined(USE_WOLFSSL)
int tls_close(SSL *s)
{
    SSL *other = SSL_new(SSL_get_SSL_CTX(s)); /* ok: SSL103 (wolfSSL's branch) */
    SSL_free(s);
    return other != NULL;
}
#elif defined(USE_OPENSSL)
int tls_close(SSL *s)
{
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return 0;
}
#else
int tls_close(void *s)
{
    return s != NULL;
}
#endif

/* Compared to a value: which value the build uses is unknown, so never defined. */
#if TLS_LEVEL >= 2
int tls_level_two(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 (TLS_LEVEL is not guessed) */
    return s != NULL;
}
#endif

/* configure's check for an OpenSSL function: defined when the installed OpenSSL
 * has the function, so the modern branch is parsed instead of OpenSSL 1.0's
 * struct members (which would make the function unparsable). */
int count_ciphers(SSL *ssl)
{
    X509 *peer = SSL_get1_peer_certificate(ssl); /* expect: SSL103 */
    int n;
#ifdef HAVE_SSL_GET_CLIENT_CIPHERS
    STACK_OF(SSL_CIPHER) *ciphers = SSL_get_client_ciphers(ssl);
    n = ciphers ? sk_SSL_CIPHER_num(ciphers) : 0;
#else
    n = sk_SSL_CIPHER_num(ssl->session->ciphers);
#endif
    if (n == 0)
        return -1;
    X509_free(peer);
    return n;
}

/* A check for a function OpenSSL does not have: not defined. */
#ifdef HAVE_SSL_SET_MADE_UP_OPTION
int made_up(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 (the function does not exist) */
    return s != NULL;
}
#endif

/* A negative switch is never defined: this stays compiled out. */
#ifdef OPENSSL_NO_TLS1_3
int without_tls13(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 (OPENSSL_NO_* is OpenSSL's) */
    return s != NULL;
}
#endif
