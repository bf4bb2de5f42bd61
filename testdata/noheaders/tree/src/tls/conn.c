/* A file of a project laid out as src/ and include/ (haproxy, curl): its headers
 * are named `<proj/conn.h>`, found by the build's -I include. Without the build,
 * frontend/projectdirs.py finds include/proj/conn.h above the file and adds the
 * folder, so the macro that frees the session is known and the double free below
 * is found as with the build. */
#include <proj/conn.h>

int proj_conn_close(struct proj_conn *c, int failed)
{
    if (failed)
        PROJ_CONN_SHUTDOWN(c);
    SSL_free(c->ssl); /* expect: SSL101 */
    c->ssl = NULL;
    return PROJ_OK;
}

int proj_conn_open(struct proj_conn *c, SSL_CTX *ctx)
{
    c->ssl = SSL_new(ctx);
    if (c->ssl == NULL)
        return PROJ_ERR;
    if (!SSL_set_fd(c->ssl, c->fd)) {
        SSL_free(c->ssl);
        c->ssl = NULL;
        return PROJ_ERR;
    }
    return PROJ_OK;
}
