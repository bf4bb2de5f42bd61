#include "conn.h"

/* c on success; NULL after freeing c->ssl on failure. */
struct conn *conn_connect(struct conn *c)
{
    if (SSL_connect(c->ssl) <= 0) {
        SSL_free(c->ssl);
        return NULL;
    }
    return c;
}

/* The SSL on success; NULL after freeing it on failure. */
SSL *conn_start(struct conn *c)
{
    if (c->ssl == NULL)
        return NULL;
    if (SSL_do_handshake(c->ssl) <= 0) {
        SSL_free(c->ssl);
        return NULL;
    }
    return c->ssl;
}
