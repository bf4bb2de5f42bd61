#ifndef PROJ_TLS_CONF_H
#define PROJ_TLS_CONF_H
#include <stddef.h>
typedef struct {
    size_t len;
    unsigned char *data;
} proj_str_t;
typedef struct proj_tls_conf_s {
    SSL_CTX *ctx;
    proj_str_t cert;
} proj_tls_conf_t;
#define proj_str_empty(s) ((s).len == 0)
#endif
