/* Null checks and conditions in every common spelling: !s, s == NULL, NULL == s,
 * if (s), assignment inside the test, &&, ||, ?:, comma expressions, flags that
 * are correlated with the frees, guarded frees on every exit, and freeing NULL
 * (a documented no-op for SSL_free, BIO_free, BIO_free_all and SSL_SESSION_free). */
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- if (!s) ------------------------------------------------------------------ */

int not_null_check_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc;
    if (!s)
        return -1;
    rc = -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    SSL_free(s);
    return rc;
}

int not_null_check_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (!s)
        return -1;
    if (!SSL_set_fd(s, fd) || SSL_connect(s) != 1)
        return -1; /* s leaks on a failed handshake */
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

/* ---- if (s == NULL) / if (NULL == s) ------------------------------------------- */

int eq_null_check_clean(const char *text)
{
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (b == NULL)
        return -1;
    if (BIO_puts(b, text) <= 0) {
        BIO_free(b);
        return -1;
    }
    BIO_free(b);
    return 0;
}

void eq_null_check_double_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL) {
        fprintf(stderr, "SSL_new failed\n");
    } else {
        SSL_set_connect_state(s);
        SSL_free(s);
    }
    SSL_free(s); /* expect: SSL101 */
}

int yoda_null_check_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (NULL == s)
        return -1;
    SSL_set_accept_state(s);
    SSL_free(s);
    return 0;
}

int yoda_null_check_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (NULL == s)
        return -1;
    if (0 == SSL_set_fd(s, fd))
        return -1; /* s leaks */
    SSL_free(s);
    return 0;
}

/* ---- if (s) ------------------------------------------------------------------------ */

int if_s_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc = -1;
    if (s) {
        if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
            SSL_shutdown(s);
            rc = 0;
        }
        SSL_free(s);
    }
    return rc;
}

int if_s_use_after_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int r = -1;
    if (s) {
        if (SSL_set_fd(s, fd))
            r = SSL_connect(s);
        if (r == 1)
            SSL_shutdown(s);
        SSL_free(s);
    }
    if (s && r <= 0)
        return SSL_get_error(s, r); /* expect: SSL102 */
    return 0;
}

/* ---- assignment inside the test ------------------------------------------------------ */

int assign_in_condition_clean(SSL_CTX *ctx, int fd)
{
    SSL *s;
    if ((s = SSL_new(ctx)) == NULL) /* ok: SSL103 */
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    SSL_free(s);
    return 0;
}

int assign_in_condition_leak(SSL_CTX *ctx, int fd)
{
    SSL *s;
    if ((s = SSL_new(ctx)) == NULL) /* expect: SSL103 */
        return -1;
    if (!SSL_set_fd(s, fd))
        return -1;
    SSL_free(s);
    return 0;
}

int not_assign_in_condition_clean(const char *pem)
{
    BIO *b;
    char line[128];
    if (!(b = BIO_new_mem_buf(pem, -1))) /* ok: SSL103 */
        return -1;
    while (BIO_gets(b, line, sizeof(line)) > 0)
        fputs(line, stdout);
    BIO_free(b);
    return 0;
}

int not_assign_in_condition_leak(const char *pem)
{
    BIO *b;
    char line[128];
    if (!(b = BIO_new_mem_buf(pem, -1))) /* expect: SSL103 */
        return -1;
    if (BIO_gets(b, line, sizeof(line)) <= 0)
        return -1; /* b leaks on an empty buffer */
    fputs(line, stdout);
    BIO_free(b);
    return 0;
}

/* ---- && and || ------------------------------------------------------------------------- */

int and_condition_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc = -1;
    if (s != NULL && SSL_set_fd(s, fd) && SSL_connect(s) > 0) {
        SSL_write(s, "hello\n", 6);
        SSL_shutdown(s);
        rc = 0;
    }
    SSL_free(s); /* NULL or not, this is the one release */
    return rc;
}

int and_condition_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s != NULL && SSL_set_fd(s, fd) && SSL_connect(s) > 0) {
        SSL_write(s, "hello\n", 6);
        SSL_shutdown(s);
        SSL_free(s);
        return 0;
    }
    return -1; /* fine when s is NULL, a leak when the handshake failed */
}

int or_condition_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL || !SSL_set_fd(s, fd) || SSL_connect(s) != 1) {
        SSL_free(s);
        return -1;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int or_condition_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL || !SSL_set_fd(s, fd) || SSL_connect(s) != 1)
        return -1;
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

/* ---- ?: in conditions and values ----------------------------------------------------------- */

int ternary_in_condition_clean(SSL_CTX *ctx, int fd, int server)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd) || (server ? SSL_accept(s) : SSL_connect(s)) != 1) {
        SSL_free(s);
        return -1;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

void ternary_statement_double_free(SSL *s, int fast)
{
    fast ? SSL_free(s) : (void)SSL_shutdown(s);
    SSL_free(s); /* expect: SSL101 */
}

int ternary_value_clean(SSL_CTX *ctx, SSL *reuse, int fd)
{
    SSL *s = reuse != NULL ? reuse : SSL_new(ctx); /* ok: SSL103 */
    int rc;
    if (s == NULL)
        return -1;
    rc = SSL_set_fd(s, fd) ? 0 : -1;
    if (s != reuse)
        SSL_free(s); /* only the SSL made here is ours to release */
    return rc;
}

int ternary_value_leak(SSL_CTX *ctx, SSL *reuse, int fd)
{
    SSL *s = reuse != NULL ? reuse : SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    return SSL_set_fd(s, fd) ? 0 : -1; /* the SSL made here is never released */
}

int ternary_free_argument_clean(int use_mem)
{
    BIO *mem = NULL, *file = NULL;
    if (use_mem)
        mem = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    else
        file = BIO_new_file("/dev/null", "w"); /* ok: SSL103 */
    if (mem == NULL && file == NULL)
        return -1;
    BIO_puts(use_mem ? mem : file, "log line\n");
    BIO_free(use_mem ? mem : file);
    return 0;
}

int flag_param_correlated_clean(SSL_CTX *ctx, int fd, int want_log)
{
    BIO *log = NULL;
    SSL *s;
    int rc;
    if (want_log) {
        log = BIO_new(BIO_s_mem()); /* ok: SSL103 */
        if (log == NULL)
            return -1;
    }
    s = SSL_new(ctx);
    if (s == NULL) {
        if (want_log)
            BIO_free(log);
        return -1;
    }
    rc = -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    if (want_log)
        BIO_printf(log, "connect: %d\n", rc);
    SSL_free(s);
    if (want_log)
        BIO_free(log);
    return rc;
}

int flag_param_correlated_leak(SSL_CTX *ctx, int fd, int want_log)
{
    BIO *log = NULL;
    SSL *s;
    int rc;
    if (want_log) {
        log = BIO_new(BIO_s_mem()); /* expect: SSL103 */
        if (log == NULL)
            return -1;
    }
    s = SSL_new(ctx);
    if (s == NULL)
        return -1; /* log leaks when logging was on */
    rc = -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    if (want_log)
        BIO_printf(log, "connect: %d\n", rc);
    SSL_free(s);
    if (want_log)
        BIO_free(log);
    return rc;
}

int flag_local_correlated_clean(SSL_CTX *ctx, int fd, const char *logpath)
{
    int logging = logpath != NULL && logpath[0] != '\0';
    BIO *log = NULL;
    SSL *s;
    int rc;
    if (logging) {
        log = BIO_new_file(logpath, "a"); /* ok: SSL103 */
        if (log == NULL)
            return -1;
    }
    s = SSL_new(ctx);
    if (s == NULL) {
        if (logging)
            BIO_free(log);
        return -1;
    }
    rc = -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    if (logging) {
        BIO_printf(log, "connect: %d\n", rc);
        BIO_free(log); /* ok: SSL101 */
    }
    SSL_free(s);
    return rc;
}

/* ---- comma expressions ---------------------------------------------------------------------------- */

int comma_in_condition_clean(SSL_CTX *ctx)
{
    SSL *s;
    if (s = SSL_new(ctx), s == NULL) /* ok: SSL103 */
        return -1;
    SSL_set_connect_state(s);
    SSL_free(s);
    return 0;
}

int comma_free_then_null_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc = 0;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd))
        SSL_free(s), s = NULL, rc = -1;
    SSL_free(s); /* ok: SSL101 */
    return rc;
}

int comma_null_then_free_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    int rc = 0;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd))
        s = NULL, SSL_free(s), rc = -1; /* wrong order: frees NULL and drops s */
    SSL_free(s);
    return rc;
}

/* ---- flags correlated with the frees -------------------------------------------------------------- */

SSL *ok_flag_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int ok = 0;
    if (s == NULL)
        return NULL;
    if (!SSL_set_fd(s, fd))
        goto end;
    if (SSL_connect(s) != 1)
        goto end;
    ok = 1;
end:
    if (!ok) {
        SSL_free(s);
        s = NULL;
    }
    return s;
}

int connected_flag_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int connected = 0;
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1)
        connected = 1;
    else
        SSL_free(s);
    if (connected) {
        SSL_write(s, "bye\n", 4); /* ok: SSL102 */
        SSL_shutdown(s);
        SSL_free(s); /* ok: SSL101 */
    }
    return connected ? 0 : -1;
}

int ok_flag_only_on_failure_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    int ok = 0;
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_write(s, "hi\n", 3);
        SSL_shutdown(s);
        ok = 1;
    }
    if (!ok)
        SSL_free(s); /* only the failure path releases s */
    return ok ? 0 : -1;
}

int need_free_flag_double_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int need_free = 1;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd))
        SSL_free(s); /* forgot need_free = 0 */
    if (need_free)
        SSL_free(s); /* expect: SSL101 */
    return 0;
}

/* ---- guarded frees on every exit ------------------------------------------------------------------- */

int guarded_free_on_every_exit_clean(SSL_CTX *ctx, const char *msg)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (s == NULL || b == NULL) {
        if (s)
            SSL_free(s);
        if (b)
            BIO_free(b);
        return -1;
    }
    if (BIO_puts(b, msg) <= 0) {
        if (s)
            SSL_free(s);
        if (b)
            BIO_free(b);
        return -1;
    }
    SSL_set_bio(s, b, b); /* s owns b from here */
    b = NULL;
    SSL_set_accept_state(s);
    if (s)
        SSL_free(s);
    if (b)
        BIO_free(b); /* ok: SSL101 */
    return 0;
}

int guarded_free_missed_on_one_exit_leak(SSL_CTX *ctx, const char *msg)
{
    SSL *s = SSL_new(ctx);
    BIO *b = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (s == NULL || b == NULL) {
        if (s)
            SSL_free(s); /* b is not released when only SSL_new failed */
        return -1;
    }
    if (BIO_puts(b, msg) <= 0) {
        SSL_free(s);
        BIO_free(b);
        return -1;
    }
    SSL_free(s);
    BIO_free(b);
    return 0;
}

/* ---- freeing NULL -------------------------------------------------------------------------------------- */

void free_null_is_noop_clean(void)
{
    SSL *s = NULL;
    BIO *b = NULL;
    SSL_SESSION *sess = NULL;

    SSL_free(s);
    SSL_free(s); /* ok: SSL101 */
    BIO_free(b);
    BIO_free_all(b); /* ok: SSL101 */
    SSL_SESSION_free(sess);
    SSL_SESSION_free(sess); /* ok: SSL101 */
    SSL_free(NULL); /* ok: SSL101 */
}

int free_failed_alloc_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL) {
        SSL_free(s); /* harmless: s is NULL here */
        SSL_free(s); /* ok: SSL101 */
        return -1;
    }
    SSL_free(s);
    return 0;
}

void free_does_not_clear_pointer_double_free(SSL *s)
{
    SSL_free(s);
    if (s != NULL) /* SSL_free cannot clear the caller's copy of the pointer */
        SSL_free(s); /* expect: SSL101 */
}
