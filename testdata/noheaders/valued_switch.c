/* A build setting with several values, compared to numbers (redis' tls.c:
 * `USE_OPENSSL` is 1 to build TLS in, 2 to build it as a module). The branch
 * holding the OpenSSL code says which value it needs, so frontend/guards.py
 * defines the setting to that value; a plain `#ifdef` of such a setting guesses
 * nothing, since 1 may not be a value the build uses. */
#include <openssl/ssl.h>

#define BUILD_YES 1
#define BUILD_MODULE 2

#if (USE_OPENSSL == 1 /* BUILD_YES */) || ((USE_OPENSSL == 2 /* BUILD_MODULE */) && (BUILD_TLS_MODULE == 2))

int tls_handshake(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx); /* expect: SSL103 */
    if (ssl == NULL)
        return -1;
    if (!SSL_set_fd(ssl, fd))
        return -1;
    return SSL_accept(ssl);
}

#else

int tls_handshake(void *ctx, int fd)
{
    (void)ctx;
    return fd;
}

#endif

#if USE_OPENSSL == 2 /* BUILD_MODULE */
int tls_module_onload(void)
{
    return 0;
}
#endif
