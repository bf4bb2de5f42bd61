/* Loading certificates, keys and chains into an SSL_CTX. */
#include <openssl/pem.h>
#include <openssl/ssl.h>

/* Buggy: SSL_CTX_use_certificate takes its own reference; ours leaks. */
int load_cert_leaks(SSL_CTX *ctx, BIO *in)
{
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL); /* expect: SSL103 */
    if (x == NULL)
        return 0;
    return SSL_CTX_use_certificate(ctx, x);
}

/* Buggy: the context owns an extra chain certificate once it took it. */
int add_extra_then_free(SSL_CTX *ctx, BIO *in)
{
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (x == NULL)
        return 0;
    if (!SSL_CTX_add_extra_chain_cert(ctx, x)) {
        X509_free(x);
        return 0;
    }
    X509_free(x); /* expect: SSL202 */
    return 1;
}

/* Buggy: the key is leaked when the certificate fails to load. */
int load_key_leaks(SSL_CTX *ctx, BIO *kin, BIO *cin)
{
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(kin, NULL, NULL, NULL); /* expect: SSL103 */
    X509 *x;
    if (pkey == NULL)
        return 0;
    x = PEM_read_bio_X509(cin, NULL, NULL, NULL);
    if (x == NULL)
        return 0;
    if (SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, pkey) != 1) {
        X509_free(x);
        EVP_PKEY_free(pkey);
        return 0;
    }
    X509_free(x);
    EVP_PKEY_free(pkey);
    return 1;
}

/* Buggy: set0 hands the chain over; freeing it afterwards frees it twice. */
int set0_then_free(SSL_CTX *ctx, STACK_OF(X509) *certs)
{
    STACK_OF(X509) *chain = X509_chain_up_ref(certs);
    if (chain == NULL)
        return 0;
    if (!SSL_CTX_set0_chain(ctx, chain)) {
        sk_X509_pop_free(chain, X509_free);
        return 0;
    }
    sk_X509_pop_free(chain, X509_free); /* expect: SSL202 */
    return 1;
}

/* Correct: our reference released after use_certificate took its own. */
int load_cert_ok(SSL_CTX *ctx, BIO *in)
{
    int ok;
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (x == NULL)
        return 0;
    ok = SSL_CTX_use_certificate(ctx, x);
    X509_free(x);
    return ok;
}

/* Correct: add0 takes the certificate only when it succeeds. */
int add0_chain_ok(SSL_CTX *ctx, BIO *in)
{
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (x == NULL)
        return 0;
    if (!SSL_CTX_add0_chain_cert(ctx, x)) {
        X509_free(x); /* ok: SSL202 */
        return 0;
    }
    return 1;
}

/* Correct: set1 takes references of its own, so the caller frees the stack. */
int set1_chain_ok(SSL_CTX *ctx, STACK_OF(X509) *certs)
{
    STACK_OF(X509) *chain = X509_chain_up_ref(certs);
    int ok;
    if (chain == NULL)
        return 0;
    ok = SSL_CTX_set1_chain(ctx, chain);
    sk_X509_pop_free(chain, X509_free);
    return ok;
}
