/* The project's connection struct. */
#ifndef PROJ_CONN_H
#define PROJ_CONN_H
#include <openssl/ssl.h>
#include <proj_config.h>
#include <proj_queue.h>

typedef struct proj_conn_s proj_conn_t;

struct proj_ssl_conn {
    SSL *connection;
    SSL_CTX *session_ctx;
    unsigned handshaked:1;
};

struct proj_conn_s {
    int fd;
    proj_log_t *log;
    struct proj_ssl_conn *ssl;
    proj_str_t addr_text;
    TAILQ_ENTRY(proj_conn_s) entries;
    void (*handler)(proj_conn_t *c);
};

TAILQ_HEAD(proj_conn_list, proj_conn_s);

#endif
