#ifndef SESS_H
#define SESS_H
#include <openssl/ssl.h>

struct peer {
    SSL *ssl;
    SSL_SESSION *resume;   /* kept for the next connection: never freed (the bug) */
    BIO *trace;            /* freed by peer_free() */
    X509 *cert;            /* handed to the caller by peer_take_cert() */
};

struct peer *peer_new(SSL_CTX *ctx);
void peer_remember(struct peer *p);
void peer_free(struct peer *p);
X509 *peer_take_cert(struct peer *p);
#endif
