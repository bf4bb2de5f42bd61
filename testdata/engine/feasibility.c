/* Conditions tested twice: the second test follows the first one's outcome as long
 * as nothing wrote its operands in between (fields, globals, comparisons between
 * variables, a loop's exit condition, mode fields that hold one value at a time). */
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <stdio.h>

struct opts {
    int xml;
    int mode;
    int n;
};

int use_tls;
void log_line(const char *msg);
void reconfigure(struct opts *o);

void field_flag_twice(struct opts *o)
{
    BIO *out = NULL;
    if (o->xml)
        out = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    log_line("start");
    if (o->xml)
        BIO_free(out);
}

void field_flag_changed_between(struct opts *o)
{
    BIO *out = NULL;
    if (o->xml)
        out = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    reconfigure(o);
    if (o->xml)
        BIO_free(out);
}

void global_flag_twice(SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    if (use_tls) {
        ssl = SSL_new(ctx); /* ok: SSL103 */
        if (ssl == NULL)
            return;
    }
    if (use_tls)
        SSL_free(ssl);
}

void global_flag_after_unknown_call(SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    if (use_tls) {
        ssl = SSL_new(ctx); /* expect: SSL103 */
        if (ssl == NULL)
            return;
    }
    log_line("may change use_tls");
    if (use_tls)
        SSL_free(ssl);
}

void flag_set_with_the_allocation(struct opts *o, SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    o->xml = 0;
    if (ctx != NULL) {
        ssl = SSL_new(ctx); /* ok: SSL103 */
        o->xml = 1;
    }
    if (o->xml)
        SSL_free(ssl);
}

void loop_exit_retested(BIO **bios, int n)
{
    int i;
    BIO *b = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    if (b == NULL)
        return;
    for (i = 0; i < n; i++) {
        if (bios[i] == NULL)
            break;
    }
    if (i < n)
        BIO_free(b);
    if (i >= n)
        BIO_free(b);
}

void relational_twice(BIO *src, int a, int b)
{
    BIO *tmp = NULL;
    if (a < b)
        tmp = BIO_new(BIO_s_mem()); /* ok: SSL103 */
    BIO_puts(src, "x");
    if (b > a)
        BIO_free(tmp);
}

void mode_field_one_value(struct opts *o, SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    if (o->mode == 1)
        ssl = SSL_new(ctx); /* ok: SSL103 */
    if (o->mode == 2)
        return;
    if (o->mode != 1)
        return;
    SSL_free(ssl);
}

void mode_field_real_leak(struct opts *o, SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    if (o->mode == 1)
        ssl = SSL_new(ctx); /* expect: SSL103 */
    if (o->mode == 2)
        SSL_free(ssl);
}

void double_free_still_found(struct opts *o, BIO *b)
{
    if (o->xml)
        BIO_free(b);
    if (o->xml)
        BIO_free(b); /* expect: SSL101 */
}

/* A fact every path agrees on survives where paths meet that disagree on another. */
int agreed_fact_survives_a_join(const SSL_METHOD *m, SSL_CTX **sctx, int *flag)
{
    SSL_CTX *s;
    if (*sctx != NULL)
        return 1;
    if ((s = SSL_CTX_new(m)) == NULL) /* ok: SSL103 */
        return 0;
    if (*flag)
        SSL_CTX_set_options(s, 1);
    if (*flag && !SSL_CTX_set_min_proto_version(s, 0))
        goto err;
    *sctx = s;
    return 1;
err:
    if (*sctx == NULL)
        SSL_CTX_free(s);
    return 0;
}

/* An out-parameter tested twice. */
int out_parameter_tested_twice(const SSL_METHOD *m, SSL_CTX **out)
{
    SSL_CTX *s = NULL;
    if (out != NULL && (s = SSL_CTX_new(m)) == NULL) /* ok: SSL103 */
        return 0;
    if (out != NULL)
        *out = s;
    return 1;
}

/* A fact every path agrees on survives several joins of paths that disagree on
 * others (here *a and *b: four sets of facts meet). */
int agreed_fact_survives_several_joins(const SSL_METHOD *sm, SSL_CTX **out, int *a, int *b)
{
    SSL_CTX *s = NULL;
    if (out != NULL && (s = SSL_CTX_new(sm)) == NULL) /* ok: SSL103 */
        return 0;
    if (*a)
        SSL_CTX_set_options(s, 1);
    if (*b)
        SSL_CTX_set_options(s, 2);
    if (*a && *b)
        SSL_CTX_set_options(s, 3);
    if (out != NULL)
        *out = s;
    return 1;
}
