/* The file's OpenSSL code tests a name its own header defines, but only under the
 * build's backend switch (openvpn's xkey_provider.c: HAVE_XKEY_PROVIDER, from
 * xkey_common.h under ENABLE_CRYPTO_OPENSSL). frontend/guards.py reads that
 * header's branch as the file's own and guesses ENABLE_CRYPTO_OPENSSL. */
#include "keys_common.h"
#include <openssl/evp.h>

#ifdef HAVE_KEY_PROVIDER
int key_sign(EVP_PKEY *pkey, unsigned char *sig, size_t *siglen,
             const unsigned char *tbs, size_t len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL); /* expect: SSL103 */
    if (ctx == NULL)
        return 0;
    if (EVP_PKEY_sign_init(ctx) <= 0)
        return 0;
    int ok = EVP_PKEY_sign(ctx, sig, siglen, tbs, len) > 0;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}
#endif
