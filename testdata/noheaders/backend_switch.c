/* The whole file is one TLS backend of several, chosen by the build
 * (`ENABLE_CRYPTO_OPENSSL` in a generated config.h, as openvpn does). The switch
 * names OpenSSL's CRYPTO_ namespace after its ENABLE_, yet it is no check for an
 * OpenSSL function (only HAVE_/HAS_ are): frontend/guards.py defines it, and the
 * file's code is seen without the build. */
#include <openssl/evp.h>

#if defined(ENABLE_CRYPTO_OPENSSL)

int digest_once(const unsigned char *in, unsigned int len, unsigned char *out)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new(); /* expect: SSL103 */
    if (ctx == NULL)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
        return -1;
    EVP_DigestUpdate(ctx, in, len);
    EVP_DigestFinal_ex(ctx, out, NULL);
    EVP_MD_CTX_free(ctx);
    return 0;
}

#endif /* ENABLE_CRYPTO_OPENSSL */
