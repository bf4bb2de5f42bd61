/* FreeRADIUS's shape: `MEM(p = alloc());` exits when the allocation failed. Without
 * the header MEM is an undeclared function, the call an unknown one, and `p` was
 * taken as maybe NULL after it (a false SSL401 per later use). A whole-statement
 * call of a function without a prototype on one assignment is read as such a check.
 * Same findings with include/proj_check.h (tests/test_noheaders.py). */
#include <openssl/evp.h>
#include <proj_check.h>

int mac_checked(const unsigned char *key, int keylen)
{
    EVP_MD_CTX *ctx;
    EVP_PKEY *pkey;

    MEM(ctx = EVP_MD_CTX_new());
    MEM(pkey = EVP_PKEY_new_mac_key(EVP_PKEY_HMAC, NULL, key, keylen));
    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey); /* ok: SSL401 */
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return PROJ_DONE;
}

int mac_unchecked(const unsigned char *key, int keylen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY *pkey;

    MEM(pkey = EVP_PKEY_new_mac_key(EVP_PKEY_HMAC, NULL, key, keylen));
    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey); /* expect: SSL401 */
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return PROJ_DONE;
}
