/* FOREACH-style list macros from a missing project header (include/proj_queue.h).
 * Recovery turns `NAME(var, ...) {` into a loop that assigns `var` an unknown value
 * and may run zero or more times, as the real macros do. */
#include <openssl/ssl.h>
#include <proj_conn.h>

void close_all(struct proj_conn_list *conns)
{
    proj_conn_t *c;
    TAILQ_FOREACH(c, conns, entries) {
        SSL_free(c->ssl->connection);
        c->ssl->connection = NULL;
    }
}

int leak_when_empty(SSL_CTX *ctx, struct proj_conn_list *conns)
{
    proj_conn_t *c;
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    TAILQ_FOREACH(c, conns, entries) {
        if (c->fd < 0)
            continue;
        SSL_free(s);
        return 0;
    }
    return 1;
}

int free_after_loop(SSL_CTX *ctx, struct list_head *head)
{
    struct list_head *pos;
    int n = 0;
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return -1;
    list_for_each(pos, head)
        n++;
    SSL_free(s);
    SSL_free(s); /* expect: SSL101 */
    return n;
}

int handles_from_the_loop(struct proj_conn_list *conns)
{
    proj_conn_t *c;
    SSL *last = NULL;
    TAILQ_FOREACH(c, conns, entries) {
        last = c->ssl->connection;
    }
    if (last != NULL)
        SSL_shutdown(last);
    return 0;
}

int statement_macro_is_not_a_loop(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 (a statement macro, not a loop that may skip the free) */
    if (s == NULL)
        return -1;
    PROJ_TRACE_ENTER(s)
    SSL_free(s);
    return 0;
}
