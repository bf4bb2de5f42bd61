/* Clang drops a statement whose expression is invalid. Undeclared names are
 * recovered (frontend/recover.py declares them); what recovery cannot mend (here a
 * member missing from a struct the file defines) stays dropped, and when that
 * statement could change control flow or touch a handle the function is not
 * analysed (a note says so); when it cannot, the function is analysed as usual. */
#include <openssl/ssl.h>

struct known { int counter; };

int return_of_undeclared_constant(SSL_CTX *ctx)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        goto failed;
    BIO_free(bio);
    return NOT_DECLARED_OK;     /* recovered: an unknown constant */
failed:
    BIO_free(bio); /* ok: SSL101 */
    return -1;
}

int return_of_missing_member(SSL_CTX *ctx, struct known *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        goto failed;
    BIO_free(bio);
    return k->no_such_member;   /* still dropped: the function is not analysed */
failed:
    BIO_free(bio); /* ok: SSL101 */
    return -1;
}

int unrelated_broken_statement(SSL_CTX *ctx, struct known *k)
{
    SSL *s = SSL_new(ctx);
    k->counter += k->no_such_member;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return 0;
}

int unrelated_undeclared(SSL_CTX *ctx, struct unknown_thing *t)
{
    SSL *s = SSL_new(ctx);
    t->counter += undeclared_helper_value;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return 0;
}

int stale_after_dropped_assignment(SSL_CTX *ctx, struct known *k, SSL **pool)
{
    SSL *s = SSL_new(ctx);
    SSL_free(s);
    s = pool[k->no_such_member];  /* dropped: 's' would keep the freed handle */
    SSL_free(s); /* ok: SSL101 */
    return 0;
}
