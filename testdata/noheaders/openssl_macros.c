/* OpenSSL's headers come only through a missing project header, and the file's
 * code sits under OpenSSL's own macros (nginx's stapling under
 * SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB, haproxy's under SSL_MODE_ASYNC). The
 * fallback shim includes the installed headers that define the macros the
 * file's conditions test, so the build's branches are seen, even when all of
 * its OpenSSL code is under them (no error said OpenSSL was missing). Same
 * findings with include/proj_tls.h (tests/test_noheaders.py). */
#include <proj_tls.h>

#if (!defined OPENSSL_NO_OCSP && defined SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB)
int stapling_issuer(SSL_CTX *ctx, X509 *cert)
{
    X509_STORE_CTX *store_ctx = X509_STORE_CTX_new(); /* expect: SSL103 */
    if (store_ctx == NULL)
        return -1;
    if (X509_STORE_CTX_init(store_ctx, SSL_CTX_get_cert_store(ctx), cert, NULL) == 0)
        return -1;
    X509_STORE_CTX_free(store_ctx);
    return 0;
}
#endif

#ifdef SSL_MODE_ASYNC
int async_mode(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    SSL_set_mode(s, SSL_MODE_ASYNC);
    return SSL_is_server(s);
}
#endif
