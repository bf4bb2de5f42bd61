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
