/* The connection struct comes from a missing project header (include/proj_conn.h):
 * its fields are reached through a type clang has never seen (`c->ssl->connection`).
 * Recovery declares the struct with the fields the file uses, so these statements
 * are kept; a handle stored in such a field belongs to the struct, as with the
 * header. */
#include <openssl/ssl.h>
#include <proj_conn.h>

int conn_create(proj_conn_t *c, SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL) {
        proj_log_error(PROJ_LOG_ERR, c->log, 0, "SSL_new() failed");
        return PROJ_ERROR;
    }
    if (SSL_set_fd(s, c->fd) != 1) {
        proj_log_error(PROJ_LOG_ERR, c->log, 0, "SSL_set_fd() failed");
        SSL_free(s);
        return PROJ_ERROR;
    }
    c->ssl->connection = s;
    c->ssl->handshaked = 0;
    return PROJ_OK;
}

int conn_shutdown(proj_conn_t *c)
{
    SSL *s = c->ssl->connection;
    if (SSL_shutdown(s) == 0)
        SSL_shutdown(s);
    SSL_free(s);
    c->ssl->connection = NULL;
    return PROJ_OK;
}

int conn_double_free(proj_conn_t *c, SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return PROJ_ERROR;
    if (c->ssl->handshaked) {
        SSL_free(s);
    }
    SSL_free(s); /* expect: SSL101 */
    return PROJ_OK;
}

int conn_leak(proj_conn_t *c, SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return PROJ_ERROR;
    if (c->addr_text.len == 0)
        return PROJ_DECLINED;
    c->ssl->connection = s;
    c->handler(c);
    return PROJ_OK;
}

int struct_tag_only(struct proj_conn_s *c)
{
    SSL_CTX *ctx = c->ssl->session_ctx;
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return -1;
    c->ssl->connection = s;
    return 0;
}
