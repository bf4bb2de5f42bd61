/* nginx's ngx_http.h: `typedef ngx_int_t (*ngx_http_header_handler_pt)(...)` with
 * ngx_int_t missing made ngx_int_t a function type, so every `rc = f(...);` was
 * dropped (a function type is not assignable) and the function skipped. Recovery
 * reads "function cannot return function type" after `typedef NAME (` as an
 * unknown type. Same findings with include/ (tests/test_noheaders.py). */
#include "handler.h"
#include <openssl/ssl.h>

proj_int_t open_session(SSL_CTX *ctx)
{
    proj_int_t rc;
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    rc = SSL_connect(s);
    if (rc != 1)
        return rc;
    SSL_free(s); /* expect: SSL502 */
    return 0;
}
