/* The project's TLS header: the only place the project includes OpenSSL's. Run
 * without -I it is missing, and so are OpenSSL's declarations and macros. */
#ifndef PROJ_TLS_H
#define PROJ_TLS_H
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/evp.h>

typedef struct proj_tls_s { SSL *ssl; int refs; } proj_tls_t;
#endif
