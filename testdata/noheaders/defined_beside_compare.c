/* A switch tested with `defined` beside a comparison the guesses do not evaluate
 * (mosquitto's `defined(WITH_TLS) && OPENSSL_API_LEVEL < 30000`): the switch is
 * still only tested for being defined, so frontend/guards.py guesses it for the
 * plain `#ifdef WITH_TLS` code (a name compared to a value never is). */
#include <openssl/ssl.h>

#ifdef WITH_TLS
int tls_accept(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) != 1)
        return -1;
    return SSL_accept(s) == 1 ? 0 : -1;
}
#endif

#if defined(WITH_TLS) && OPENSSL_VERSION_NUMBER < 0x10100000L
int tls_old_init(void)
{
    return SSL_library_init();
}
#endif
