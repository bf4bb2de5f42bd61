/* Functions that say how they went by returning a pointer or NULL, and leave
   c->ssl freed (not cleared) only when they fail. */
#include <openssl/ssl.h>

struct conn {
    SSL *ssl;
    int fd;
};

struct conn *conn_connect(struct conn *c);
SSL *conn_start(struct conn *c);
