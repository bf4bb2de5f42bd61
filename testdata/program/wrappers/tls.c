/* Wrappers around OpenSSL that the other file calls. */
#include <stdio.h>
#include <stdlib.h>
#include "tls.h"

SSL *tls_open(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return NULL;
    if (SSL_set_fd(s, fd) != 1) {
        SSL_free(s);
        return NULL;
    }
    return s;
}

void tls_release(SSL *s)
{
    SSL_free(s);
}

SSL_CTX *tls_context_of(SSL *s)
{
    return SSL_get_SSL_CTX(s);
}

void tls_die(const char *why)
{
    fprintf(stderr, "fatal: %s\n", why);
    exit(1);
}
