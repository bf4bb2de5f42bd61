/* Building X509_STOREs and giving them to contexts. */
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/* Buggy: set_cert_store takes the store; freeing it as well frees it twice. */
int install_store_then_free(SSL_CTX *ctx, X509 *ca)
{
    X509_STORE *store = X509_STORE_new();
    if (store == NULL)
        return 0;
    X509_STORE_add_cert(store, ca);
    SSL_CTX_set_cert_store(ctx, store);
    X509_STORE_free(store); /* expect: SSL202 */
    return 1;
}

/* Buggy: the store leaks when adding the CA fails. */
int build_store_leaks(SSL_CTX *ctx, X509 *ca)
{
    X509_STORE *store = X509_STORE_new(); /* expect: SSL103 */
    if (store == NULL)
        return 0;
    if (!X509_STORE_add_cert(store, ca))
        return 0;
    SSL_CTX_set_cert_store(ctx, store);
    return 1;
}

/* Buggy: the context's store is only lent by SSL_CTX_get_cert_store. */
void drop_ctx_store(SSL_CTX *ctx)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    X509_STORE_free(store); /* expect: SSL201 */
}

/* Buggy: X509_STORE_add_cert takes its own reference; ours leaks. */
int add_pem_ca_leaks(X509_STORE *store, BIO *in)
{
    X509 *ca = PEM_read_bio_X509(in, NULL, NULL, NULL); /* expect: SSL103 */
    if (ca == NULL)
        return 0;
    return X509_STORE_add_cert(store, ca);
}

/* Correct: the context owns the store from now on. */
int install_store_ok(SSL_CTX *ctx, X509 *ca)
{
    X509_STORE *store = X509_STORE_new();
    if (store == NULL)
        return 0;
    if (!X509_STORE_add_cert(store, ca)) {
        X509_STORE_free(store);
        return 0;
    }
    SSL_CTX_set_cert_store(ctx, store); /* ok: SSL103 */
    return 1;
}

/* Correct: set1 takes a reference of its own, so ours is released. */
int share_store_ok(SSL_CTX *to, SSL_CTX *from)
{
    X509_STORE *store = SSL_CTX_get_cert_store(from);
    if (store == NULL)
        return 0;
    SSL_CTX_set1_cert_store(to, store);
    return 1;
}

/* Correct: our reference to the CA released after the store took its own. */
int add_pem_ca_ok(X509_STORE *store, BIO *in)
{
    int ok;
    X509 *ca = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (ca == NULL)
        return 0;
    ok = X509_STORE_add_cert(store, ca);
    X509_free(ca);
    return ok;
}
