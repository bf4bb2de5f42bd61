#ifndef CONN_H
#define CONN_H
#include <openssl/ssl.h>

/* A connection owns its SSL for its whole life. */
struct conn {
    SSL *ssl;
    SSL_CTX *ctx;
    int fd;
    int closed;
};

void conn_fail(struct conn *c);      /* frees c->ssl, leaves it dangling */
void conn_close(struct conn *c);     /* frees c->ssl and clears it */
void conn_destroy(struct conn *c);   /* frees what is left, then c */
void conn_maybe_drop(struct conn *c);
int conn_open(struct conn *c);
int conn_connect(struct conn *c);
int conn_read(struct conn *c, char *buf, int n);
#endif
