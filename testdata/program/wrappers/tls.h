#ifndef TLS_H
#define TLS_H
#include <openssl/ssl.h>

SSL *tls_open(SSL_CTX *ctx, int fd);  /* a new SSL the caller owns, or NULL */
void tls_release(SSL *s);             /* frees s */
SSL_CTX *tls_context_of(SSL *s);      /* borrowed: owned by s */
void tls_die(const char *why);        /* never returns */
#endif
