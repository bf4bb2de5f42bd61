/* Decoding into a pointer (d2i_X509(&x, ...), PEM_read_bio_X509(b, &x, ...)):
 * the result is written there too. */
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Correct: x holds the result; a NULL result leaves nothing to free. */
int decode_into_ok(const unsigned char *p, long len)
{
    X509 *x = NULL;
    if (d2i_X509(&x, &p, len) == NULL)
        return 0;
    X509_free(x); /* ok: SSL103 */
    return 1;
}

/* Correct: the same through PEM. */
int read_into_ok(BIO *b)
{
    X509 *x = NULL;
    if (!PEM_read_bio_X509(b, &x, NULL, NULL))
        return 0;
    X509_free(x); /* ok: SSL103 */
    return 1;
}

/* Correct: a pre-allocated string reused by the decoder, freed once. */
int reuse_ok(const unsigned char *p, long len)
{
    ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();
    int ok = 0;
    if (s == NULL)
        return 0;
    if (d2i_ASN1_OCTET_STRING(&s, &p, len))
        ok = 1;
    ASN1_OCTET_STRING_free(s); /* ok: SSL101 */
    return ok;
}

/* Buggy: decoded into x, never freed. */
int decode_into_leaks(const unsigned char *p, long len)
{
    X509 *x = NULL;
    if (d2i_X509(&x, &p, len) == NULL) /* expect: SSL103 */
        return 0;
    return X509_get_version(x) == 2;
}

/* Buggy: the key of a certificate (get1 semantics) leaks. */
int key_size_leaks(X509 *cert)
{
    return EVP_PKEY_get_bits(X509_get_pubkey(cert)); /* expect: SSL103 */
}

/* Buggy: the decoded key leaks when the context refuses it. */
int decode_key_leaks(SSL_CTX *ctx, const unsigned char *p, long len)
{
    EVP_PKEY *k = d2i_AutoPrivateKey(NULL, &p, len); /* expect: SSL103 */
    if (k == NULL)
        return 0;
    if (SSL_CTX_use_PrivateKey(ctx, k) != 1)
        return 0;
    EVP_PKEY_free(k);
    return 1;
}
