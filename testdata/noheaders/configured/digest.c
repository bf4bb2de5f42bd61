/* A project configured by a generated header, not by -D flags (as nginx is: its
 * ngx_auto_config.h, reached through <ngx_config.h>). Given the build's -I
 * folders (include/ and objs/), the header defines APP_SSL and nothing is
 * guessed; without them, frontend/guards.py guesses APP_SSL, with the same
 * findings (tests/test_noheaders.py runs both). */
#include <app_config.h>
#include <openssl/evp.h>

#if (APP_SSL)
int app_digest(const void *data, size_t len, unsigned char *out, unsigned int *n)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new(); /* expect: SSL103 */
    if (md == NULL)
        return -1;
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1
        || EVP_DigestUpdate(md, data, len) != 1)
        return -1;
    EVP_DigestFinal_ex(md, out, n);
    EVP_MD_CTX_free(md);
    return 0;
}
#endif
