/* A project header whose macros wrap OpenSSL's free functions. */
#ifndef CONN_MACROS_H
#define CONN_MACROS_H
#include <openssl/ssl.h>

#define CONN_SSL_FREE(s) \
    do {                 \
        SSL_free(s);     \
    } while (0)

#define CONN_DROP(s) CONN_SSL_FREE(s)
#endif
