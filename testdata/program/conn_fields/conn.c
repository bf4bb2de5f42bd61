/* The connection's life: the functions other files call. */
#include <stdlib.h>
#include "conn.h"

void conn_fail(struct conn *c)
{
    SSL_free(c->ssl);   /* the pointer is left as it was */
}

void conn_close(struct conn *c)
{
    SSL_free(c->ssl);
    c->ssl = NULL;
}

void conn_destroy(struct conn *c)
{
    if (c == NULL)
        return;
    if (c->ssl != NULL)
        SSL_free(c->ssl);
    free(c);
}

/* Frees only on some paths: callers may assume nothing about c->ssl afterwards. */
void conn_maybe_drop(struct conn *c)
{
    if (c->closed)
        SSL_free(c->ssl);
}

int conn_open(struct conn *c)
{
    c->ssl = SSL_new(c->ctx);
    if (c->ssl == NULL)
        return -1;
    if (SSL_set_fd(c->ssl, c->fd) != 1) {
        SSL_free(c->ssl);
        c->ssl = NULL;
        return -1;
    }
    return 0;
}

/* Fills c->ssl on success (returns 0), leaves it alone on failure. */
int conn_connect(struct conn *c)
{
    SSL *s = SSL_new(c->ctx);
    if (s == NULL)
        return -1;
    c->ssl = s;
    return 0;
}

/* Only uses the connection's SSL: its summary says so. */
int conn_read(struct conn *c, char *buf, int n)
{
    if (c->ssl == NULL)
        return -1;
    return SSL_read(c->ssl, buf, n);
}
