/* OpenSSL's headers are deliberately missing (a pre-commit run without include
 * paths): declarations of handles must still be tracked and calls recognised. */
#include <openssl/this_header_does_not_exist.h>
#include "generated_config_that_is_not_here.h"

int without_headers(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (!s)
        return -1;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return 0;
}

int leak_without_headers(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (SSL_set_fd(s, fd) != 1)
        return -1;
    SSL_free(s);
    return 0;
}
