/* Callers that branch on the pointer those functions return. */
#include "conn.h"

int connect_or_free(struct conn *c)
{
    if (conn_connect(c) == NULL) {
        SSL_free(c->ssl);   /* expect: SSL101 */
        return -1;
    }
    return SSL_write(c->ssl, "x", 1);   /* ok: SSL102 */
}

int connect_then_free(struct conn *c)
{
    if (conn_connect(c) != NULL) {
        SSL_free(c->ssl);   /* ok: SSL101 */
        c->ssl = NULL;
    }
    return 0;
}

int start_or_shutdown(struct conn *c)
{
    SSL *s = conn_start(c);

    if (s == NULL)
        return SSL_shutdown(c->ssl);   /* expect: SSL102 */
    SSL_free(c->ssl);   /* ok: SSL101 */
    c->ssl = NULL;
    return 0;
}
