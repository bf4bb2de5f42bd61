/* Sessions and BIOs: SSL_get1_session references, SSL_set_session (which takes
 * its own reference), memory and file BIOs, SSL_set_bio hand-over (the SSL frees
 * its BIOs), BIO chains built with BIO_push and freed with BIO_free_all, BIO pairs. */
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SSL_get1_session ------------------------------------------------------------- */

int get1_session_leak(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl); /* expect: SSL103 */
    if (sess == NULL)
        return -1;
    if (!SSL_SESSION_is_resumable(sess))
        return 0; /* the reference from get1 is never dropped */
    SSL_SESSION_free(sess);
    return 1;
}

int get1_session_clean(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl); /* ok: SSL103 */
    int resumable;
    if (sess == NULL)
        return -1;
    resumable = SSL_SESSION_is_resumable(sess);
    SSL_SESSION_free(sess); /* ok: SSL101 */
    return resumable;
}

int get1_session_double_free(SSL *ssl, SSL_SESSION **out)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    if (sess == NULL)
        return -1;
    if (!SSL_SESSION_is_resumable(sess)) {
        SSL_SESSION_free(sess);
        goto fail;
    }
    *out = sess;
    return 0;
fail:
    SSL_SESSION_free(sess); /* expect: SSL101 */
    return -1;
}

int serialize_session_clean(SSL *ssl, unsigned char **der, int *derlen)
{
    SSL_SESSION *sess = SSL_get1_session(ssl); /* ok: SSL103 */
    unsigned char *buf, *p;
    int n;
    if (sess == NULL)
        return -1;
    n = i2d_SSL_SESSION(sess, NULL);
    if (n <= 0) {
        SSL_SESSION_free(sess);
        return -1;
    }
    buf = OPENSSL_malloc((size_t)n);
    if (buf == NULL) {
        SSL_SESSION_free(sess);
        return -1;
    }
    p = buf;
    i2d_SSL_SESSION(sess, &p);
    SSL_SESSION_free(sess);
    *der = buf;
    *derlen = n;
    return 0;
}

int session_used_after_free(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    if (sess == NULL)
        return -1;
    SSL_SESSION_free(sess);
    return i2d_SSL_SESSION(sess, NULL); /* expect: SSL102 */
}

/* ---- SSL_set_session takes its own reference ----------------------------------------- */

int resume_session_clean(SSL_CTX *ctx, int fd, const unsigned char *der, long len)
{
    const unsigned char *p = der;
    SSL_SESSION *sess = d2i_SSL_SESSION(NULL, &p, len); /* ok: SSL103 */
    SSL *s;
    int rc = -1;
    if (sess == NULL)
        return -1;
    s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL) {
        SSL_SESSION_free(sess);
        return -1;
    }
    if (!SSL_set_session(s, sess))
        goto out;
    SSL_SESSION_free(sess); /* s holds its own reference now */
    sess = NULL;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        rc = SSL_session_reused(s);
        SSL_shutdown(s);
    }
out:
    SSL_SESSION_free(sess); /* ok: SSL101 */
    SSL_free(s);
    return rc;
}

int set_session_then_free_at_end_clean(SSL_CTX *ctx, SSL *previous, int fd)
{
    SSL_SESSION *sess = SSL_get1_session(previous); /* ok: SSL103 */
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc = -1;
    if (s == NULL)
        goto out;
    if (sess != NULL && !SSL_set_session(s, sess))
        goto out;
    if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
out:
    SSL_free(s);
    SSL_SESSION_free(sess); /* ok: SSL101, SSL102 */
    return rc;
}

int set_session_treated_as_transfer_leak(SSL *s, const unsigned char *der, long len)
{
    const unsigned char *p = der;
    SSL_SESSION *sess = d2i_SSL_SESSION(NULL, &p, len); /* expect: SSL103 */
    if (sess == NULL)
        return -1;
    if (!SSL_set_session(s, sess)) {
        SSL_SESSION_free(sess);
        return -1;
    }
    return 0; /* SSL_set_session took its own reference: ours is never dropped */
}

/* ---- memory and file BIOs ---------------------------------------------------------------- */

int mem_buf_leak(const char *pem)
{
    BIO *in = BIO_new_mem_buf(pem, -1); /* expect: SSL103 */
    char line[256];
    if (in == NULL)
        return -1;
    if (BIO_gets(in, line, sizeof(line)) <= 0)
        return -1; /* in leaks on an empty buffer */
    BIO_free(in);
    return strncmp(line, "-----BEGIN", 10) == 0;
}

int mem_buf_clean(const char *pem)
{
    BIO *in = BIO_new_mem_buf(pem, (int)strlen(pem)); /* ok: SSL103 */
    char line[256];
    int rc;
    if (in == NULL)
        return -1;
    rc = BIO_gets(in, line, sizeof(line)) > 0 && strncmp(line, "-----BEGIN", 10) == 0;
    BIO_free(in);
    return rc;
}

long file_size_clean(const char *path)
{
    BIO *f = BIO_new_file(path, "rb"); /* ok: SSL103 */
    char buf[512];
    long total = 0;
    int n;
    if (f == NULL)
        return -1; /* e.g. the file does not exist */
    while ((n = BIO_read(f, buf, sizeof(buf))) > 0)
        total += n;
    BIO_free(f);
    return total;
}

long file_size_leak(const char *path, long limit)
{
    BIO *f = BIO_new_file(path, "rb"); /* expect: SSL103 */
    char buf[512];
    long total = 0;
    int n;
    if (f == NULL)
        return -1;
    while ((n = BIO_read(f, buf, sizeof(buf))) > 0) {
        total += n;
        if (total > limit)
            return -1; /* too big: f is not closed */
    }
    BIO_free(f);
    return total;
}

/* ---- SSL_set_bio: the SSL owns the BIO afterwards ------------------------------------------ */

int set_bio_handover_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    BIO *b;
    int rc;
    if (s == NULL)
        return -1;
    b = BIO_new_socket(fd, BIO_NOCLOSE); /* ok: SSL103 */
    if (b == NULL) {
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, b, b); /* one reference, handed to s */
    rc = -1;
    if (SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    SSL_free(s); /* frees b as well */
    return rc;
}

int set_bio_then_bio_free_double_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    BIO *b;
    int rc;
    if (s == NULL)
        return -1;
    b = BIO_new_socket(fd, BIO_NOCLOSE);
    if (b == NULL) {
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, b, b);
    rc = -1;
    if (SSL_connect(s) == 1) {
        SSL_shutdown(s);
        rc = 0;
    }
    SSL_free(s);
    BIO_free(b); /* expect: SSL202 */
    return rc;
}

int bio_used_after_ssl_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    BIO *rb, *wb;
    if (s == NULL)
        return -1;
    rb = BIO_new(BIO_s_mem());
    wb = BIO_new(BIO_s_mem());
    if (rb == NULL || wb == NULL) {
        BIO_free(rb);
        BIO_free(wb);
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, rb, wb); /* s owns both */
    SSL_set_connect_state(s);
    if (SSL_do_handshake(s) == 1) /* needs the peer's reply first */
        SSL_shutdown(s);
    SSL_free(s);
    return (int)BIO_ctrl_pending(wb); /* expect: SSL102 */
}

int bio_used_before_ssl_free_clean(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    BIO *rb, *wb;
    int pending;
    if (s == NULL)
        return -1;
    rb = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    wb = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (rb == NULL || wb == NULL) {
        BIO_free(rb);
        BIO_free(wb);
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, rb, wb);
    SSL_set_connect_state(s);
    if (SSL_do_handshake(s) == 1) /* needs the peer's reply first */
        SSL_shutdown(s);
    pending = (int)BIO_ctrl_pending(wb); /* ok: SSL102 */
    SSL_free(s);
    return pending;
}

int borrowed_rbio_used_after_ssl_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    BIO *r;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    r = SSL_get_rbio(s); /* borrowed: owned by s */
    SSL_free(s);
    return BIO_write(r, "x", 1); /* expect: SSL102 */
}

/* ---- BIO pairs ----------------------------------------------------------------------------------- */

int bio_pair_clean(SSL_CTX *ctx)
{
    BIO *internal = NULL, *network = NULL;
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int pending;
    if (s == NULL)
        return -1;
    if (!BIO_new_bio_pair(&internal, 0, &network, 0)) { /* ok: SSL103 */
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, internal, internal);
    SSL_set_connect_state(s);
    if (SSL_do_handshake(s) == 1) /* needs the peer's reply first */
        SSL_shutdown(s);
    pending = (int)BIO_ctrl_pending(network);
    SSL_free(s); /* frees the internal half */
    BIO_free(network); /* the network half is still ours */
    return pending;
}

int bio_pair_network_half_leak(SSL_CTX *ctx)
{
    BIO *internal = NULL, *network = NULL;
    SSL *s = SSL_new(ctx);
    int pending;
    if (s == NULL)
        return -1;
    if (!BIO_new_bio_pair(&internal, 0, &network, 0)) { /* expect: SSL103 */
        SSL_free(s);
        return -1;
    }
    SSL_set_bio(s, internal, internal);
    SSL_set_connect_state(s);
    if (SSL_do_handshake(s) == 1) /* needs the peer's reply first */
        SSL_shutdown(s);
    pending = (int)BIO_ctrl_pending(network);
    SSL_free(s); /* the network half is never freed */
    return pending;
}

/* ---- BIO_push chains ------------------------------------------------------------------------------ */

int push_chain_free_all_clean(const char *path, const char *msg)
{
    BIO *file = BIO_new_file(path, "w"); /* ok: SSL103 */
    BIO *b64;
    if (file == NULL)
        return -1;
    b64 = BIO_new(BIO_f_base64()); /* ok: SSL103 */
    if (b64 == NULL) {
        BIO_free(file);
        return -1;
    }
    BIO_push(b64, file); /* b64 -> file */
    BIO_write(b64, msg, (int)strlen(msg));
    (void)BIO_flush(b64);
    BIO_free_all(b64); /* frees file too */
    return 0;
}

int push_chain_head_only_freed_leak(const char *path, const char *msg)
{
    BIO *file = BIO_new_file(path, "w"); /* expect: SSL103 */
    BIO *b64;
    if (file == NULL)
        return -1;
    b64 = BIO_new(BIO_f_base64());
    if (b64 == NULL) {
        BIO_free(file);
        return -1;
    }
    BIO_push(b64, file);
    BIO_write(b64, msg, (int)strlen(msg));
    (void)BIO_flush(b64);
    BIO_free(b64); /* frees only the head: file stays open */
    return 0;
}

int push_chain_member_double_free(const char *path, const char *msg)
{
    BIO *file = BIO_new_file(path, "w");
    BIO *b64;
    if (file == NULL)
        return -1;
    b64 = BIO_new(BIO_f_base64());
    if (b64 == NULL) {
        BIO_free(file);
        return -1;
    }
    BIO_push(b64, file);
    BIO_write(b64, msg, (int)strlen(msg));
    (void)BIO_flush(b64);
    BIO_free_all(b64);
    BIO_free(file); /* expect: SSL203 */
    return 0;
}

int push_chain_member_used_after_free_all(const char *msg)
{
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *b64;
    if (mem == NULL)
        return -1;
    b64 = BIO_new(BIO_f_base64());
    if (b64 == NULL) {
        BIO_free(mem);
        return -1;
    }
    BIO_push(b64, mem);
    BIO_write(b64, msg, (int)strlen(msg));
    (void)BIO_flush(b64);
    BIO_free_all(b64);
    return (int)BIO_ctrl_pending(mem); /* expect: SSL102 */
}

int pop_then_free_each_clean(const char *msg, char *out, int outlen)
{
    BIO *mem = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    BIO *b64;
    int n;
    if (mem == NULL)
        return -1;
    b64 = BIO_new(BIO_f_base64()); /* ok: SSL103 */
    if (b64 == NULL) {
        BIO_free(mem);
        return -1;
    }
    BIO_push(b64, mem);
    BIO_write(b64, msg, (int)strlen(msg));
    (void)BIO_flush(b64);
    BIO_pop(b64); /* b64 and mem are standalone again */
    BIO_free(b64);
    n = BIO_read(mem, out, outlen); /* ok: SSL102 */
    BIO_free(mem); /* ok: SSL101 */
    return n;
}

/* ---- SSL_CTX lifetime ------------------------------------------------------------------------------ */

SSL *ctx_freed_after_ssl_new_clean(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method()); /* ok: SSL103 */
    SSL *s;
    if (ctx == NULL)
        return NULL;
    s = SSL_new(ctx); /* ok: SSL103 */
    SSL_CTX_free(ctx); /* s keeps its own reference to the context */
    return s;
}

SSL *ctx_leak_when_ssl_new_fails(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method()); /* expect: SSL103 */
    SSL *s;
    if (ctx == NULL)
        return NULL;
    s = SSL_new(ctx);
    if (s == NULL)
        return NULL; /* ctx is never freed on this path */
    SSL_CTX_free(ctx);
    return s;
}

/* SSL_set_fd makes a socket BIO and frees the BIOs set before (SSL_set_fd(3)). */
int bio_used_after_set_fd_replaced_it(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    BIO *mem = BIO_new(BIO_s_mem());
    if (s == NULL || mem == NULL) {
        SSL_free(s);
        BIO_free(mem);
        return -1;
    }
    SSL_set_bio(s, mem, mem);
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    BIO_puts(mem, "stale"); /* expect: SSL102 */
    SSL_free(s);
    return 0;
}

int set_fd_on_fresh_ssl_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) { /* ok: SSL102 */
        SSL_free(s);
        return -1;
    }
    SSL_free(s);
    return 0;
}
