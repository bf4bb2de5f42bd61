/* The `goto err;` cleanup idiom: handles start as NULL and are released once
 * under a label; chains of labels (err_free_bio / err_free_ssl); backward gotos.
 * Freeing NULL is a documented no-op for SSL_free, BIO_free and SSL_SESSION_free. */
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <stdio.h>
#include <string.h>

/* ---- one handle, one label --------------------------------------------------- */

int freed_under_err_label_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = NULL;
    int ret = -1;

    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd))
        goto err;
    if (SSL_connect(s) != 1)
        goto err;
    SSL_shutdown(s);
    ret = 0;
err:
    SSL_free(s); /* ok: SSL101 */
    return ret;
}

int freed_on_success_and_under_err_double_free(SSL_CTX *ctx, int fd)
{
    SSL *s = NULL;
    int ret = -1;

    s = SSL_new(ctx);
    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd))
        goto err;
    if (SSL_connect(s) != 1)
        goto err;
    SSL_shutdown(s);
    SSL_free(s); /* the success path falls through into err: */
    ret = 0;
err:
    SSL_free(s); /* expect: SSL101 */
    return ret;
}

int freed_on_success_then_nulled_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = NULL;
    int ret = -1;

    s = SSL_new(ctx);
    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd))
        goto err;
    if (SSL_connect(s) != 1)
        goto err;
    SSL_shutdown(s);
    SSL_free(s);
    s = NULL;
    ret = 0;
err:
    SSL_free(s); /* ok: SSL101 */
    return ret;
}

int freed_on_success_then_returned_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */

    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd) || SSL_connect(s) != 1)
        goto err;
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
err:
    SSL_free(s); /* ok: SSL101 */
    return -1;
}

int freed_before_goto_double_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int ret = -1;

    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        goto err; /* err: releases it a second time */
    }
    if (SSL_connect(s) == 1) {
        SSL_shutdown(s);
        ret = 0;
    }
err:
    SSL_free(s); /* expect: SSL101 */
    return ret;
}

/* ---- two handles under one label --------------------------------------------- */

int two_handles_under_err_clean(SSL_CTX *ctx, const char *req, int len)
{
    SSL *s = NULL;
    BIO *out = NULL;
    int ret = -1;

    out = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (out == NULL)
        goto err;
    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        goto err;
    if (BIO_write(out, req, len) != len)
        goto err;
    if (BIO_printf(out, "fd=%d\n", SSL_get_fd(s)) <= 0)
        goto err;
    ret = 0;
err:
    BIO_free(out);
    SSL_free(s);
    return ret;
}

int missing_free_on_one_goto_path_leak(SSL_CTX *ctx, const char *banner)
{
    SSL *s = NULL;
    BIO *b = NULL;
    int ret = -1;

    s = SSL_new(ctx);
    if (s == NULL)
        goto out;
    b = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (b == NULL)
        goto free_ssl;
    if (BIO_puts(b, banner) <= 0)
        goto free_ssl; /* b is not released on this path */
    SSL_set_bio(s, b, b); /* s owns b from here */
    SSL_set_accept_state(s);
    ret = SSL_do_handshake(s);
    if (ret == 1)
        SSL_shutdown(s);
free_ssl:
    SSL_free(s);
out:
    return ret;
}

int missing_free_on_one_goto_path_clean(SSL_CTX *ctx, const char *banner)
{
    SSL *s = NULL;
    BIO *b = NULL;
    int ret = -1;

    s = SSL_new(ctx);
    if (s == NULL)
        goto out;
    b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (b == NULL)
        goto free_ssl;
    if (BIO_puts(b, banner) <= 0)
        goto free_bio;
    SSL_set_bio(s, b, b); /* s owns b from here */
    SSL_set_accept_state(s);
    ret = SSL_do_handshake(s);
    if (ret == 1)
        SSL_shutdown(s);
    goto free_ssl;
free_bio:
    BIO_free(b);
free_ssl:
    SSL_free(s); /* ok: SSL101 */
out:
    return ret;
}

/* ---- `if (x != NULL)` guards under the label ----------------------------------- */

int guarded_frees_under_err_clean(SSL_CTX *ctx, int fd, SSL_SESSION **out)
{
    SSL *s = NULL;
    SSL_SESSION *sess = NULL;
    int ret = -1;

    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd))
        goto err;
    if (SSL_connect(s) != 1)
        goto err;
    sess = SSL_get1_session(s); /* ok: SSL103 */
    SSL_shutdown(s); /* close cleanly: the session stays resumable */
    if (sess == NULL)
        goto err;
    if (!SSL_SESSION_is_resumable(sess))
        goto err;
    *out = sess; /* the caller owns the session now */
    sess = NULL;
    ret = 0;
err:
    if (sess != NULL)
        SSL_SESSION_free(sess);
    if (s != NULL)
        SSL_free(s);
    return ret;
}

int guarded_frees_wrong_guard_leak(SSL_CTX *ctx, int fd, SSL_SESSION **out)
{
    SSL *s = NULL;
    SSL_SESSION *sess = NULL;
    int ret = -1;

    s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        goto err;
    if (!SSL_set_fd(s, fd))
        goto err;
    if (SSL_connect(s) != 1)
        goto err;
    sess = SSL_get1_session(s);
    SSL_shutdown(s);
    if (sess == NULL)
        goto err;
    *out = sess;
    ret = 0;
err:
    if (ret != 0 && sess != NULL)
        SSL_SESSION_free(sess);
    if (sess != NULL) /* copy-paste slip: tests sess, so s leaks when sess is NULL */
        SSL_free(s);
    return ret;
}

/* ---- chains of labels ------------------------------------------------------------ */

int label_chain_clean(SSL_CTX *ctx, const char *msg)
{
    SSL *s;
    BIO *log;
    int ret = -1;

    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        goto err;
    log = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (log == NULL)
        goto err_free_ssl;
    if (BIO_puts(log, msg) <= 0)
        goto err_free_bio;
    if (BIO_printf(log, " fd=%d", SSL_get_fd(s)) <= 0)
        goto err_free_bio;
    ret = 0;
err_free_bio:
    BIO_free(log);
err_free_ssl:
    SSL_free(s);
err:
    return ret;
}

int label_chain_wrong_target_leak(SSL_CTX *ctx, const char *msg)
{
    SSL *s;
    BIO *log;
    int ret = -1;

    s = SSL_new(ctx);
    if (s == NULL)
        goto err;
    log = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (log == NULL)
        goto err_free_ssl;
    if (BIO_puts(log, msg) <= 0)
        goto err_free_ssl; /* should be err_free_bio: log leaks */
    ret = 0;
err_free_bio:
    BIO_free(log);
err_free_ssl:
    SSL_free(s);
err:
    return ret;
}

int label_chain_wrong_order_leak(SSL_CTX *ctx, const char *msg)
{
    SSL *s;
    BIO *log;
    int ret = -1;

    s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        goto err;
    log = BIO_new(BIO_s_mem());
    if (log == NULL)
        goto err_free_ssl;
    if (BIO_puts(log, msg) <= 0)
        goto err_free_bio; /* the labels are in the wrong order: s is skipped */
    ret = 0;
err_free_ssl:
    SSL_free(s);
err_free_bio:
    BIO_free(log);
err:
    return ret;
}

SSL *ssl_owns_bio_label_chain_clean(SSL_CTX *ctx, int fd)
{
    BIO *b;
    SSL *s;

    b = BIO_new_socket(fd, BIO_NOCLOSE); /* ok: SSL103 */
    if (b == NULL)
        goto err;
    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        goto err_free_bio;
    SSL_set_bio(s, b, b); /* s owns b from here */
    if (SSL_connect(s) != 1)
        goto err_free_ssl;
    return s;

err_free_ssl:
    SSL_free(s); /* releases b as well */
    goto err;
err_free_bio:
    BIO_free(b); /* ok: SSL101 */
err:
    return NULL;
}

SSL *ssl_owns_bio_wrong_label_leak(SSL_CTX *ctx, int fd)
{
    BIO *b;
    SSL *s;

    b = BIO_new_socket(fd, BIO_NOCLOSE); /* expect: SSL103 */
    if (b == NULL)
        goto err;
    s = SSL_new(ctx);
    if (s == NULL)
        goto err; /* should be err_free_bio: b is still ours here */
    SSL_set_bio(s, b, b);
    if (SSL_connect(s) != 1)
        goto err_free_ssl;
    return s;

err_free_ssl:
    SSL_free(s);
    goto err;
err_free_bio:
    BIO_free(b);
err:
    return NULL;
}

/* ---- backward goto ------------------------------------------------------------------ */

int goto_retry_leak(SSL_CTX *ctx, int fd)
{
    int tries = 0;
    SSL *s;

retry:
    s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd) || SSL_connect(s) != 1) {
        if (++tries < 3)
            goto retry; /* drops the failed SSL */
        SSL_free(s);
        return -1;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int goto_retry_clean(SSL_CTX *ctx, int fd)
{
    int tries = 0;
    SSL *s;

retry:
    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd) || SSL_connect(s) != 1) {
        SSL_free(s); /* ok: SSL101 */
        if (++tries < 3)
            goto retry;
        return -1;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}
