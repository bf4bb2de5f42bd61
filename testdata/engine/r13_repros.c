/* Shapes from a precision campaign on real code (each was a false report). */
#include <openssl/ssl.h>
#include <openssl/pem.h>

void use_cert(X509 *c);

int mk(SSL_CTX *ctx, SSL **a)
{
    SSL *x = SSL_new(ctx);
    if (x == NULL)
        return 0;
    *a = x;
    return 1;
}

/* The wrapper's out-parameter is written: `s` is not the NULL it started as. */
int out_param_of_a_wrapper(SSL_CTX *ctx)
{
    SSL *s = NULL;
    BIO *b = BIO_new(BIO_s_mem());   /* ok: SSL103 */
    int ok = 0;
    if (b == NULL || !mk(ctx, &s))
        goto end;
    SSL_set0_wbio(s, b);
    b = NULL;
    ok = 1;
end:
    BIO_free(b);
    SSL_free(s);
    return ok;
}

/* A borrowed certificate up_ref'd before its lender goes (or NULL) is still good. */
int up_ref_before_lender_goes(SSL_CTX *ctx)
{
    X509 *cert;
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return 0;
    cert = SSL_get0_peer_certificate(s);
    if (cert != NULL)
        X509_up_ref(cert);
    SSL_free(s);
    use_cert(cert);   /* ok: SSL102 */
    X509_free(cert);   /* ok: SSL201 */
    return 1;
}

/* PEM_read_bio_PrivateKey(3): the key is written into *pkey as well. */
int result_through_a_pointer_parameter(BIO *in, EVP_PKEY **pkey)
{
    if (PEM_read_bio_PrivateKey(in, pkey, NULL, NULL) == NULL)   /* ok: SSL103 */
        return 0;
    return 1;
}
