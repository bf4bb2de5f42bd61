/* Signing with EVP_PKEY and EVP_MD_CTX. */
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

/* Buggy: the digest context leaks when signing fails. */
int sign_leaks(EVP_PKEY *pkey, const unsigned char *m, size_t n,
               unsigned char *sig, size_t *siglen)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new(); /* expect: SSL103 */
    if (md == NULL)
        return 0;
    if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1)
        return 0;
    if (EVP_DigestSign(md, sig, siglen, m, n) != 1) {
        EVP_MD_CTX_free(md);
        return 0;
    }
    EVP_MD_CTX_free(md);
    return 1;
}

/* Buggy: *pctx belongs to the digest context; freeing it is a double free. */
int sign_frees_pctx(EVP_PKEY *pkey)
{
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL)
        return 0;
    if (EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, pkey) != 1) {
        EVP_MD_CTX_free(md);
        return 0;
    }
    EVP_PKEY_CTX_free(pctx); /* expect: SSL201 */
    EVP_MD_CTX_free(md);
    return 1;
}

/* Buggy: a key from a certificate (get_pubkey is get1) leaks. */
int key_bits_leaks(X509 *x)
{
    EVP_PKEY *k = X509_get_pubkey(x); /* expect: SSL103 */
    if (k == NULL)
        return 0;
    return EVP_PKEY_get_bits(k);
}

/* Buggy: a freed cipher context is used again. */
int cipher_after_free(const unsigned char *key, const unsigned char *iv)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL)
        return 0;
    EVP_CIPHER_CTX_free(c);
    return EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, iv); /* expect: SSL102 */
}

/* Correct: the digest context freed on every path. */
int sign_ok(EVP_PKEY *pkey, const unsigned char *m, size_t n,
            unsigned char *sig, size_t *siglen)
{
    int ok = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL)
        return 0;
    if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) == 1
        && EVP_DigestSign(md, sig, siglen, m, n) == 1)
        ok = 1;
    EVP_MD_CTX_free(md);
    return ok;
}

/* Correct: *pctx is configured, never freed. */
int sign_pss_ok(EVP_PKEY *pkey)
{
    EVP_PKEY_CTX *pctx = NULL;
    int ok;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL)
        return 0;
    ok = EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, pkey) == 1
         && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0;
    EVP_MD_CTX_free(md); /* ok: SSL201 */
    return ok;
}

/* Correct: get0_pubkey lends the certificate's key. */
int key_bits_ok(X509 *x)
{
    EVP_PKEY *k = X509_get0_pubkey(x); /* ok: SSL103 */
    if (k == NULL)
        return 0;
    return EVP_PKEY_get_bits(k);
}
