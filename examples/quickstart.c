/* A small TLS client helper with three lifecycle bugs; run `sslint check examples/`. */
#include <openssl/ssl.h>

int connect_once(SSL_CTX *ctx, int fd, int retry)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return -1;
    if (!SSL_set_fd(ssl, fd))
        return -1;                      /* leaks ssl */
    if (SSL_connect(ssl) <= 0) {
        SSL_free(ssl);
        if (retry)
            SSL_free(ssl);              /* double free */
        return -1;
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return SSL_get_error(ssl, 0);       /* use after free */
}
