/* Out-parameters written by a wrapper or through a pointer given on, and borrowed
   objects their lender shares with others. */
#include <openssl/ssl.h>
#include <openssl/pem.h>

static int make_ssl(SSL_CTX *ctx, SSL **out)
{
    *out = SSL_new(ctx);
    return *out != NULL;
}

/* The wrapper fills `s` on success: the BIO is handed over to a real SSL. */
int wrapper_out_param(SSL_CTX *ctx)
{
    SSL *s = NULL;
    BIO *b = BIO_new(BIO_s_mem());   /* ok: SSL103 */
    if (b == NULL)
        return -1;
    if (!make_ssl(ctx, &s)) {
        BIO_free(b);
        return -1;
    }
    SSL_set0_wbio(s, b);
    SSL_free(s);
    return 0;
}

/* The key is written into the caller's *pkey as well as returned. */
int key_through_pointer(BIO *in, EVP_PKEY **pkey)
{
    if (PEM_read_bio_PrivateKey(in, pkey, NULL, NULL) == NULL)   /* ok: SSL103 */
        return 0;
    return 1;
}

/* SSL_new() shares the context's key: it outlives the SSL (not to be freed). */
int shared_key_after_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    EVP_PKEY *key;
    if (s == NULL)
        return -1;
    key = SSL_get_privatekey(s);
    SSL_free(s);
    return EVP_PKEY_get_bits(key);   /* ok: SSL102 */
}

int shared_key_freed(SSL *s)
{
    EVP_PKEY_free(SSL_get_privatekey(s));   /* expect: SSL201 */
    return 0;
}
