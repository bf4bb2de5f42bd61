/* A .c file that another one includes (libevent's regress_openssl.c includes
 * regress_ssl.c, which holds the tests): its functions are analysed with the
 * includer's, and its errors count when recovery weighs a parse. */
#include <openssl/ssl.h>
#include <proj_config.h>

int test_connect(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return PROJ_ERROR;
    if (SSL_set_fd(s, fd) != 1)
        return PROJ_ERROR;
    SSL_free(s);
    return PROJ_OK;
}
