/* The project's TLS state, whose OpenSSL members exist only in a build with the
 * project's OpenSSL switch (haproxy's struct ssl_bind_conf under USE_OPENSSL). */
#ifndef PROJ_TLS_T_H
#define PROJ_TLS_T_H
#ifdef USE_OPENSSL
#include <openssl/ssl.h>
#endif

struct proj_tls {
    int refs;
#ifdef USE_OPENSSL
    SSL_CTX *ctx;
    X509 *cert;
#endif
};

#endif
