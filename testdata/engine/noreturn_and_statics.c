/* Paths that end: calls through noreturn function pointers, __builtin_constant_p
 * guarding __builtin_unreachable (PostgreSQL's ereport(ERROR)); file-static flags
 * that calls into other files cannot change; project functions with OpenSSL-like
 * names. */
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <unistd.h>

typedef void fail_f(const char *);
extern fail_f *fail_hook __attribute__((__noreturn__));
#define CHECK(x) do { if (!(x)) fail_hook(#x); } while (0)

long pointer_noreturn(void)
{
    char *p;
    BIO *b = BIO_new(BIO_s_mem());
    long n;
    CHECK(b);
    n = BIO_get_mem_data(b, &p); /* ok: SSL401 */
    BIO_free(b);
    return n;
}

#define ERROR_LEVEL 21
#define report(level) \
    do { if (__builtin_constant_p(level) && (level) >= 20) __builtin_unreachable(); } while (0)

int constant_p_unreachable(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    int r;
    if (s == NULL)
        report(ERROR_LEVEL);
    r = SSL_do_handshake(s); /* ok: SSL401 */
    SSL_shutdown(s);
    SSL_free(s);
    return r;
}

static int tls_on;
static void tls_off(void) { tls_on = 0; }

void static_flag_kept_across_close(SSL_CTX *ctx, int fd)
{
    SSL *ssl = NULL;
    if (tls_on) {
        ssl = SSL_new(ctx); /* ok: SSL103 */
        if (ssl == NULL)
            return;
    }
    close(fd);
    if (tls_on)
        SSL_free(ssl);
}

void static_flag_changed_here(SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    if (tls_on) {
        ssl = SSL_new(ctx); /* expect: SSL103 */
        if (ssl == NULL)
            return;
    }
    tls_off();
    if (tls_on)
        SSL_free(ssl);
}

struct demo_conn { BIO *bio; };

/* A project function with an OpenSSL-like prefix keeps what it is given. */
struct demo_conn *OSSL_DEMO_conn_new(BIO *bio)
{
    static struct demo_conn conn;
    conn.bio = bio;
    return &conn;
}

struct demo_conn *demo_open(void)
{
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (b == NULL)
        return NULL;
    return OSSL_DEMO_conn_new(b);
}
