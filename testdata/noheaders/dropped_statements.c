/* Clang drops a statement whose expression is invalid. When that statement could
 * change control flow or touch a handle, the function is not analysed (a note
 * says so); when it cannot, the function is analysed as usual. */
#include <openssl/ssl.h>

int return_of_undeclared_constant(SSL_CTX *ctx)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        goto failed;
    BIO_free(bio);
    return NOT_DECLARED_OK;     /* dropped by clang: the path would fall into failed: */
failed:
    BIO_free(bio); /* ok: SSL101 */
    return -1;
}

int unrelated_broken_statement(SSL_CTX *ctx, struct unknown_thing *t)
{
    SSL *s = SSL_new(ctx);
    t->counter += undeclared_helper_value;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return 0;
}
