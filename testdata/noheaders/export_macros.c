/* Export and attribute macros from a missing header: `PROJ_EXPORT int f(...)`,
 * `PROJ_API(int) g(...)`, `PROJ_UNUSED int x`. Recovery makes them empty macros (or
 * macros that give back their argument), so the definitions are seen at all. */
#include <openssl/ssl.h>
#include <proj_config.h>

PROJ_EXPORT int exported_double_free(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return PROJ_ERROR;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return PROJ_OK;
}

PROJ_API(int) api_leak(SSL_CTX *ctx, PROJ_UNUSED int flags)
{
    BIO *b = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (b == NULL)
        return PROJ_ERROR;
    if (BIO_puts(b, "x") <= 0)
        return PROJ_ERROR;
    BIO_free(b);
    return PROJ_OK;
}

static PROJ_EXPORT proj_int_t exported_ok(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return PROJ_ERROR;
    SSL_free(s); /* ok: SSL101 */
    return PROJ_OK;
}

int use_exported_ok(SSL_CTX *ctx)
{
    return exported_ok(ctx) == PROJ_OK;
}
