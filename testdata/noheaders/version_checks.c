/* OpenSSL's headers come only through a project header that is missing. The
 * fallback shim then declares the handle types, and includes OpenSSL's
 * opensslv.h when OpenSSL is installed: `#if OPENSSL_VERSION_NUMBER` takes the
 * branch the build takes, not OpenSSL 1.0's (whose struct members would make the
 * function unparsable). Same findings with include/proj_tls.h
 * (tests/test_noheaders.py). */
#include <proj_tls.h>

X509 *chain_first(STACK_OF(X509) *chain, SSL *ssl)
{
    X509 *peer = SSL_get1_peer_certificate(ssl); /* expect: SSL103 */
    X509 *x509 = sk_X509_value(chain, 0);

    if (x509 == NULL)
        return NULL;
#if (OPENSSL_VERSION_NUMBER >= 0x10100000L)
    X509_up_ref(x509);
#else
    CRYPTO_add(&x509->references, 1, CRYPTO_LOCK_X509);
#endif
    X509_free(peer);
    return x509;
}

/* 1.0's names, macros in OpenSSL's headers: without the headers the table knows
 * them by name. */
int digest_once(int fail)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_create(); /* expect: SSL103 */
    if (ctx == NULL)
        return -1;
    if (fail)
        return -1;
    EVP_MD_CTX_destroy(ctx);
    return 0;
}

int digest_twice(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_create();
    if (ctx == NULL)
        return -1;
    EVP_MD_CTX_destroy(ctx);
    EVP_MD_CTX_destroy(ctx); /* expect: SSL101 */
    return 0;
}
