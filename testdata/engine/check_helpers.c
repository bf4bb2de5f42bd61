/* Check helpers: test-framework macros that call a function returning whether its
 * argument is non-NULL, assertion helpers that abort on NULL, constructors that
 * exit instead of returning NULL, and assert(). */
#include <assert.h>
#include <stdlib.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

int test_ptr(const char *file, int line, const char *s, const void *p);
int test_true(const char *file, int line, const char *s, int b);
#define TEST_ptr(a) test_ptr(__FILE__, __LINE__, #a, a)
#define TEST_true(a) test_true(__FILE__, __LINE__, #a, (a) != 0)

int framework_checks(SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    BIO *bio = NULL;
    int ok = 0;

    if (!TEST_ptr(ssl = SSL_new(ctx))
            || !TEST_ptr(bio = BIO_new(BIO_s_mem())))
        goto end;
    SSL_set_bio(ssl, bio, bio); /* ok: SSL401 */
    bio = NULL;
    if (!TEST_true(SSL_connect(ssl) > 0))
        goto end;
    ok = 1;
 end:
    if (ssl != NULL)
        SSL_shutdown(ssl);
    SSL_free(ssl);
    BIO_free(bio);
    return ok;
}

int framework_check_missing(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    int ok = SSL_connect(ssl); /* expect: SSL401 */
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return ok;
}

static void must_have(SSL *s)
{
    if (s == NULL)
        abort();
}

int assertion_helper(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    int ret;
    must_have(ssl);
    ret = SSL_connect(ssl); /* ok: SSL401 */
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return ret;
}

static SSL_CTX *ctx_or_die(void)
{
    SSL_CTX *c = SSL_CTX_new(TLS_method());
    if (c == NULL)
        exit(1);
    return c;
}

SSL *never_null_constructor(void)
{
    SSL_CTX *c = ctx_or_die();
    SSL *s = SSL_new(c); /* ok: SSL401 */
    SSL_CTX_free(c);
    return s;
}

int with_assert(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    int ret;
    assert(ssl != NULL);
    ret = SSL_accept(ssl); /* ok: SSL401 */
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return ret;
}

int test_ptr_eq(const char *file, int line, const char *s1, const char *s2,
                const void *a, const void *b);
int test_ptr_ne(const char *file, int line, const char *s1, const char *s2,
                const void *a, const void *b);
int test_int_eq(const char *file, int line, const char *s1, const char *s2, int a, int b);
#define TEST_ptr_eq(a, b) test_ptr_eq(__FILE__, __LINE__, #a, #b, a, b)
#define TEST_ptr_ne(a, b) test_ptr_ne(__FILE__, __LINE__, #a, #b, a, b)
#define TEST_int_eq(a, b) test_int_eq(__FILE__, __LINE__, #a, #b, a, b)

int framework_comparisons(SSL_CTX *ctx, BIO *expected)
{
    BIO *out = NULL, *in = NULL;
    SSL *ssl = SSL_new(ctx);
    int ok = 0;

    if (!TEST_ptr_ne(ssl, NULL))
        goto end;
    if (!TEST_int_eq(BIO_new_bio_pair(&out, 0, &in, 0), 1))
        goto end;
    SSL_set_bio(ssl, in, in); /* ok: SSL401 */
    in = NULL;
    ok = 1;
 end:
    BIO_free(out);
    BIO_free(in);
    SSL_free(ssl);
    return ok;
}

int compare_after_free(BIO *expected)
{
    BIO *b = BIO_new(BIO_s_mem());
    BIO *seen = b;
    BIO_free(b);
    return TEST_ptr_eq(seen, expected); /* ok: SSL102 */
}

/* OpenSSL's functions fail on a NULL handle: a branch on their success proves the
 * handle was not NULL (SSL_CTX_use_certificate_chain_file, SSL_CTX_config). */
int checked_by_a_failing_call(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL *ssl;
    if (!SSL_CTX_use_certificate_chain_file(ctx, "cert.pem"))
        goto err;
    ssl = SSL_new(ctx); /* ok: SSL401 */
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return 1;
err:
    SSL_CTX_free(ctx);
    return 0;
}

int unchecked_before_a_call(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL *ssl;
    SSL_CTX_use_certificate_chain_file(ctx, "cert.pem");
    ssl = SSL_new(ctx); /* expect: SSL401 */
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return 1;
}
