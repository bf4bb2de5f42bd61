/* Aliases, casts and parentheses; handles in local structs; typedef'd handle
 * types; macro wrappers around the free functions; handles that escape into
 * caller-visible memory or are returned; unknown callees with const and
 * non-const parameters; GNU statement expressions; noreturn calls. */
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conn {
    SSL *ssl;
    BIO *log;
    int fd;
};

struct server {
    SSL_CTX *ctx;
    SSL *current;
    int nconns;
};

static struct server g_server;
SSL *g_last_ssl;

void keep(SSL *s);          /* stores s somewhere; frees it later */
void inspect(const SSL *s); /* only looks at s */
_Noreturn void die(const char *msg);
void fatal(const char *msg) __attribute__((noreturn));

typedef SSL *ssl_ptr;
typedef struct ssl_st my_ssl;
typedef BIO *bio_handle;

#define FREE_SSL(x) do { SSL_free(x); (x) = NULL; } while (0)
#define FREE_BIO(x) do { BIO_free_all(x); (x) = NULL; } while (0)
#define RELEASE_SSL(x) SSL_free(x)

/* ---- aliases, casts, parentheses ------------------------------------------------ */

int alias_free_then_use_original(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL *t = s;
    if (s == NULL)
        return -1;
    SSL_set_connect_state(s);
    SSL_free(t);
    return SSL_do_handshake(s); /* expect: SSL102 */
}

void alias_double_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL *t;
    if (s == NULL)
        return;
    t = (s);
    SSL_free(s);
    SSL_free((t)); /* expect: SSL101 */
}

int alias_freed_once_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    SSL *t;
    int rc;
    if (s == NULL)
        return -1;
    t = s;
    rc = SSL_set_fd(t, fd) ? 0 : -1;
    SSL_free((t)); /* ok: SSL101 */
    return rc;
}

int cast_through_void_pointer_clean(SSL_CTX *ctx)
{
    void *opaque;
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    opaque = s;
    SSL_set_accept_state((SSL *)opaque);
    SSL_free((SSL *)opaque); /* ok: SSL101 */
    return 0;
}

int cast_through_void_pointer_double_free(SSL_CTX *ctx)
{
    void *opaque;
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return -1;
    opaque = (void *)s;
    SSL_free(s);
    SSL_free((SSL *)opaque); /* expect: SSL101 */
    return 0;
}

/* ---- handles in a local struct ------------------------------------------------------ */

int local_struct_clean(SSL_CTX *ctx, int fd)
{
    struct conn c;
    memset(&c, 0, sizeof(c));
    c.fd = fd;
    c.ssl = SSL_new(ctx); /* ok: SSL103 */
    if (c.ssl == NULL)
        return -1;
    if (!SSL_set_fd(c.ssl, c.fd)) {
        SSL_free(c.ssl);
        return -1;
    }
    SSL_free(c.ssl);
    return 0;
}

int local_struct_leak(SSL_CTX *ctx, int fd)
{
    struct conn c = { NULL, NULL, fd };
    c.ssl = SSL_new(ctx); /* expect: SSL103 */
    if (c.ssl == NULL)
        return -1;
    if (!SSL_set_fd(c.ssl, c.fd))
        return -1; /* c is a local: nothing outside sees c.ssl */
    SSL_free(c.ssl);
    return 0;
}

int local_struct_use_after_free(SSL_CTX *ctx, int fd)
{
    struct conn c = { NULL, NULL, fd };
    c.ssl = SSL_new(ctx);
    if (c.ssl == NULL)
        return -1;
    SSL_free(c.ssl);
    return SSL_set_fd(c.ssl, c.fd); /* expect: SSL102 */
}

int local_struct_two_fields_clean(SSL_CTX *ctx, int fd)
{
    struct conn c = { NULL, NULL, fd };
    c.log = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    c.ssl = SSL_new(ctx); /* ok: SSL103 */
    if (c.log == NULL || c.ssl == NULL) {
        BIO_free(c.log);
        SSL_free(c.ssl);
        return -1;
    }
    BIO_printf(c.log, "fd %d\n", c.fd);
    BIO_free(c.log);
    SSL_free(c.ssl);
    return 0;
}

/* ---- typedef'd handle types ------------------------------------------------------------ */

void typedef_pointer_double_free(SSL_CTX *ctx)
{
    ssl_ptr s = SSL_new(ctx);
    if (!s)
        return;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
}

int typedef_struct_leak(SSL_CTX *ctx, int fd)
{
    my_ssl *s = SSL_new(ctx); /* expect: SSL103 */
    if (!s)
        return -1;
    if (!SSL_set_fd(s, fd))
        return -1;
    SSL_free(s);
    return 0;
}

int typedef_types_clean(SSL_CTX *ctx, int fd)
{
    my_ssl *s = SSL_new(ctx); /* ok: SSL103 */
    bio_handle b;
    if (!s)
        return -1;
    b = BIO_new_socket(fd, BIO_NOCLOSE); /* ok: SSL103 */
    if (!b) {
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, b, b);
    SSL_free(s); /* releases b too */
    return 0;
}

/* ---- macro wrappers around the free functions ------------------------------------------------ */

void macro_free_twice_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (s == NULL || b == NULL) {
        FREE_SSL(s);
        FREE_BIO(b);
        return;
    }
    FREE_SSL(s);
    FREE_BIO(b);
    FREE_SSL(s); /* ok: SSL101 */
    FREE_BIO(b); /* ok: SSL101 */
}

void macro_without_null_double_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return;
    RELEASE_SSL(s);
    RELEASE_SSL(s); /* expect: SSL101 */
}

int macro_free_in_struct_field_clean(struct conn *c)
{
    FREE_SSL(c->ssl);
    FREE_BIO(c->log);
    FREE_SSL(c->ssl); /* ok: SSL101 */
    return 0;
}

int macro_then_use_after_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    SSL *saved = s;
    if (s == NULL)
        return -1;
    FREE_SSL(s); /* clears s, but not the copy in saved */
    return SSL_get_shutdown(saved); /* expect: SSL102 */
}

/* ---- escape through a parameter or a global ------------------------------------------------ */

int store_in_param_struct_clean(struct conn *c, SSL_CTX *ctx)
{
    c->ssl = SSL_new(ctx); /* ok: SSL103 */
    if (c->ssl == NULL)
        return -1;
    return SSL_set_fd(c->ssl, c->fd) ? 0 : -1; /* the caller releases c->ssl */
}

int store_in_param_struct_too_late_leak(struct conn *c, SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, c->fd))
        return -1; /* s never reached the struct */
    c->ssl = s;
    return 0;
}

int store_through_out_param_clean(SSL_CTX *ctx, SSL **out)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    SSL_set_connect_state(s);
    *out = s;
    return 0;
}

int store_in_global_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    g_last_ssl = s;
    g_server.current = SSL_new(ctx); /* ok: SSL103 */
    if (g_server.current == NULL)
        return -1;
    g_server.nconns++;
    return 0;
}

void global_free_then_use(void)
{
    SSL_free(g_server.current);
    SSL_shutdown(g_server.current); /* expect: SSL102 */
}

/* ---- returned handles ------------------------------------------------------------------------ */

SSL *returned_via_alias_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    SSL *ret = NULL;
    if (s == NULL)
        return NULL;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return NULL;
    }
    ret = s;
    return ret;
}

SSL *returned_wrong_handle_leak(SSL_CTX *ctx, SSL *proto)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return NULL;
    SSL_set_connect_state(s);
    return proto; /* meant to return s */
}

BIO *returned_cast_clean(int fd)
{
    bio_handle b = BIO_new_socket(fd, BIO_NOCLOSE); /* ok: SSL103 */
    return (BIO *)b;
}

/* ---- unknown callees: non-const (escape) vs const (no escape) -------------------------------- */

int handed_to_keep_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    keep(s);
    return 0;
}

int handed_to_inspect_leak(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    inspect(s);
    return 0;
}

int handed_to_inspect_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    inspect(s);
    SSL_free(s);
    return 0;
}

void inspect_after_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return;
    SSL_free(s);
    inspect(s); /* expect: SSL102 */
}

/* ---- GNU statement expressions ----------------------------------------------------------------- */

int stmt_expr_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = ({
        SSL *tmp = SSL_new(ctx); /* ok: SSL103 */
        if (tmp != NULL)
            SSL_set_connect_state(tmp);
        tmp;
    });
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    SSL_free(s);
    return 0;
}

int stmt_expr_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = ({
        SSL *tmp = SSL_new(ctx); /* expect: SSL103 */
        if (tmp != NULL)
            SSL_set_connect_state(tmp);
        tmp;
    });
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd))
        return -1; /* s leaks */
    SSL_free(s);
    return 0;
}

void stmt_expr_double_free(SSL *s)
{
    int was_freed = ({ SSL_free(s); 1; });
    if (was_freed)
        SSL_free(s); /* expect: SSL101 */
}

/* ---- noreturn calls end the path ----------------------------------------------------------------- */

int noreturn_ends_path_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        abort();
    if (!SSL_set_fd(s, fd)) {
        fprintf(stderr, "fatal: SSL_set_fd\n");
        exit(1); /* the process ends: nothing leaks on this path */
    }
    if (SSL_connect(s) != 1)
        die("handshake failed");
    if (SSL_write(s, "x", 1) != 1)
        fatal("write failed");
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int noreturn_only_when_strict_leak(SSL_CTX *ctx, int fd, int strict)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        abort();
    if (!SSL_set_fd(s, fd)) {
        if (strict)
            exit(1);
        return -1; /* not strict: s leaks */
    }
    SSL_free(s);
    return 0;
}

/* Returning from main ends the process: what it still holds is not a leak. */
int main(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method()); /* ok: SSL103 */
    if (ctx == NULL)
        return 1;
    return 0;
}
