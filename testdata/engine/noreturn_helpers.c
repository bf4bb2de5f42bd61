/* Helpers that never return, though nothing declares them noreturn: every path
 * through them ends in exit(), abort() or another such helper. */
#include <stdio.h>
#include <stdlib.h>
#include <openssl/ssl.h>

void fatal(int code) __attribute__((noreturn));

static void die_tls(int line)
{
    fatal(line);
}

static void tls_error(const char *msg)
{
    fprintf(stderr, "%s\n", msg);
    exit(1);
}

static void log_or_die(int really, const char *msg)
{
    if (really)
        exit(2);
    fprintf(stderr, "%s\n", msg);
}

SSL *conn;

int start_die(SSL_CTX *ctx, int fd)
{
    if ((conn = SSL_new(ctx)) == NULL)
        die_tls(__LINE__);
    return SSL_set_fd(conn, fd); /* ok: SSL401 */
}

int start_error(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        tls_error("SSL_new");
    if (SSL_set_fd(s, fd) != 1) { /* ok: SSL401 */
        SSL_free(s);
        return -1;
    }
    conn = s;
    return 0;
}

int start_sometimes(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int r;
    if (s == NULL)
        log_or_die(0, "SSL_new");
    r = SSL_set_fd(s, fd); /* expect: SSL401 */
    SSL_free(s);
    return r;
}
