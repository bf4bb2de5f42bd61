/* BIO semantics as OpenSSL's code has them (crypto/bio/bio_lib.c, ssl/bio_ssl.c):
 * BIO_push returns its first argument, or the second when the first is NULL;
 * BIO_pop returns the rest of the chain, which is the caller's again; BIO_set_next
 * links a BIO the chain then frees; BIO_set_ssl with BIO_CLOSE hands the SSL to the
 * BIO, with BIO_NOCLOSE the caller keeps it. */
#include <openssl/bio.h>
#include <openssl/ssl.h>

void pop_returns_the_rest(void)
{
    BIO *b64 = BIO_new(BIO_f_base64()); /* ok: SSL103 */
    BIO *mem = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    BIO *rest;
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    rest = BIO_pop(b64);
    BIO_free(b64);
    BIO_free_all(rest);
}

void pop_forgets_the_rest(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    BIO_pop(b64);
    BIO_free(b64);
}

void pop_rest_freed_twice(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *rest;
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    rest = BIO_pop(b64);
    BIO_free(b64);
    BIO_free(rest);
    BIO_free(mem); /* expect: SSL101 */
}

BIO *push_onto_null_returns_the_bio(void)
{
    BIO *mem = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    BIO *top = BIO_push(NULL, mem);
    return top;
}

void push_onto_null_then_free_both(void)
{
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top = BIO_push(NULL, mem);
    BIO_free(top);
    BIO_free(mem); /* expect: SSL101 */
}

void set_next_chain_frees_it(void)
{
    BIO *a = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    BIO *n = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (a == NULL || n == NULL) {
        BIO_free(a);
        BIO_free(n);
        return;
    }
    BIO_set_next(a, n);
    BIO_free_all(a);
}

void set_next_then_free_member(void)
{
    BIO *a = BIO_new(BIO_s_mem());
    BIO *n = BIO_new(BIO_s_mem());
    if (a == NULL || n == NULL) {
        BIO_free(a);
        BIO_free(n);
        return;
    }
    BIO_set_next(a, n);
    BIO_free_all(a);
    BIO_free(n); /* expect: SSL203 */
}

void set_ssl_close_bio_frees_ssl(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_f_ssl()); /* ok: SSL103 */
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, BIO_CLOSE);
    BIO_free_all(b);
}

void set_ssl_close_then_ssl_free(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *b = BIO_new(BIO_f_ssl());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, BIO_CLOSE);
    BIO_free_all(b);
    SSL_free(ssl); /* expect: SSL203 */
}

void set_ssl_noclose_caller_frees(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_f_ssl());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, BIO_NOCLOSE);
    BIO_free_all(b);
    SSL_free(ssl);
}

void set_ssl_noclose_forgotten(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx); /* expect: SSL103 */
    BIO *b = BIO_new(BIO_f_ssl());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, BIO_NOCLOSE);
    BIO_free_all(b);
}

void set_ssl_unknown_flag(SSL_CTX *ctx, long flag)
{
    SSL *ssl = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_f_ssl());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, flag);
    BIO_free_all(b);
}

int push_onto_maybe_null(const char *data, int len, char *buf)
{
    BIO *b64 = BIO_new(BIO_f_base64()); /* ok: SSL401, SSL103 */
    BIO *mem = BIO_new_mem_buf(data, len); /* ok: SSL103 */
    int n;
    if (mem == NULL) {
        BIO_free(b64);
        return -1;
    }
    b64 = BIO_push(b64, mem); /* mem itself when b64 is NULL */
    n = BIO_read(b64, buf, len);
    BIO_free_all(b64);
    return n;
}

int pop_of_a_borrowed_member(BIO *next, char *buf, int len)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    int n;
    if (b64 == NULL)
        return -1;
    BIO_push(b64, next); /* the caller's BIO joins for a while */
    n = BIO_read(b64, buf, len);
    BIO_pop(b64); /* ok: SSL301 */
    BIO_free(b64);
    return n;
}

/* OpenSSL's own bio_ssl.c order: link the read BIO, then take the chain's reference. */
int link_then_up_ref(BIO *filter, SSL *ssl)
{
    BIO *rbio = SSL_get_rbio(ssl);
    BIO_set_next(filter, rbio);
    if (!BIO_up_ref(rbio)) /* ok: SSL301 */
        return 0;
    return 1;
}

int up_ref_then_link(BIO *filter, SSL *ssl)
{
    BIO *rbio = SSL_get_rbio(ssl);
    if (!BIO_up_ref(rbio)) /* ok: SSL301 */
        return 0;
    BIO_set_next(filter, rbio);
    return 1;
}

void ssl_bio_freed_alone_frees_its_ssl(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx); /* ok: SSL103 */
    BIO *b = BIO_new(BIO_f_ssl());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return;
    }
    BIO_set_ssl(b, ssl, BIO_CLOSE);
    BIO_free(b); /* not only BIO_free_all: ssl_free() frees the SSL */
}

void msg_callback(int write_p, int version, int content_type, const void *buf,
                  size_t len, SSL *ssl, void *arg);

/* A BIO given to the context as a callback's argument is the context's to keep. */
int trace_to_bio(SSL_CTX *ctx)
{
    BIO *trace = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (trace == NULL)
        return 0;
    SSL_CTX_set_msg_callback(ctx, msg_callback);
    SSL_CTX_set_msg_callback_arg(ctx, trace);
    return 1;
}

int status_bio(SSL_CTX *ctx)
{
    BIO *out = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (out == NULL)
        return 0;
    SSL_CTX_set_tlsext_status_arg(ctx, out);
    return 1;
}

/* BIO_set_ssl takes its own reference on the SSL's read BIO (ssl/bio_ssl.c): freeing
 * the caller's extra reference afterwards is no double free. */
void set_ssl_shares_the_read_bio(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *sock = BIO_new(BIO_s_mem());
    BIO *sbio = BIO_new(BIO_f_ssl());
    if (ssl == NULL || sock == NULL || sbio == NULL) {
        SSL_free(ssl);
        BIO_free(sock);
        BIO_free(sbio);
        return;
    }
    SSL_set_bio(ssl, sock, sock);
    BIO_set_ssl(sbio, ssl, BIO_CLOSE);
    BIO_free(sock); /* ok: SSL202 */
    BIO_free_all(sbio);
}

/* BIO_pop of an SSL BIO keeps its SSL. */
void pop_ssl_bio_keeps_its_ssl(SSL_CTX *ctx, BIO *next)
{
    SSL *ssl = SSL_new(ctx); /* ok: SSL103 */
    BIO *sbio = BIO_new(BIO_f_ssl());
    if (ssl == NULL || sbio == NULL) {
        SSL_free(ssl);
        BIO_free(sbio);
        return;
    }
    BIO_set_ssl(sbio, ssl, BIO_CLOSE);
    BIO_push(sbio, next);
    BIO_pop(sbio);
    BIO_free(sbio);
}
