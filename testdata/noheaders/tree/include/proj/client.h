/* A client struct shared by the project's library and its broker; the broker's
 * members exist only when the broker is built (mosquitto's struct mosquitto and
 * WITH_BROKER). */
#ifndef PROJ_CLIENT_H
#define PROJ_CLIENT_H
#include <openssl/ssl.h>

struct proj_listener {
    SSL_CTX *ssl_ctx;
    int port;
};

struct proj_client {
    int fd;
    SSL *ssl;
#ifdef WITH_BROKER
    struct proj_listener *listener;
    int accepted;
#else
    char *host;
#endif
#if defined(WITH_THREADS) && !defined(WITH_BROKER)
    int thread_id;
#endif
};

#endif
