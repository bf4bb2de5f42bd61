/* Callers of tls.c's wrappers. */
#include "tls.h"

int release_twice(SSL *s)
{
    tls_release(s);
    SSL_free(s);   /* expect: SSL101 */
    return 0;
}

int release_once(SSL *s)
{
    tls_release(s);   /* ok: SSL101 */
    return 0;
}

int leak_on_error(SSL_CTX *ctx, int fd)
{
    SSL *s = tls_open(ctx, fd);   /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) != 1)
        return -1;
    SSL_free(s);
    return 0;
}

int unchecked(SSL_CTX *ctx, int fd)
{
    SSL *s = tls_open(ctx, fd);
    int r = SSL_set_fd(s, fd);   /* expect: SSL401 */
    SSL_free(s);
    return r;
}

int checked(SSL_CTX *ctx, int fd)
{
    SSL *s = tls_open(ctx, fd);
    int r;
    if (s == NULL)
        return -1;
    r = SSL_set_fd(s, fd);   /* ok: SSL401 */
    tls_release(s);   /* ok: SSL101 */
    return r;
}

int free_borrowed(SSL *s)
{
    SSL_CTX_free(tls_context_of(s));   /* expect: SSL201 */
    return 0;
}

int keep_borrowed(SSL *s)
{
    SSL_CTX *ctx = tls_context_of(s);   /* ok: SSL201 */
    return SSL_CTX_get_verify_mode(ctx);
}

int die_on_null(SSL_CTX *ctx, int fd)
{
    SSL *s = tls_open(ctx, fd);
    if (s == NULL)
        tls_die("no SSL");
    if (SSL_set_fd(s, fd) != 1) {   /* ok: SSL401 */
        SSL_free(s);
        return -1;
    }
    SSL_free(s);
    return 0;
}
