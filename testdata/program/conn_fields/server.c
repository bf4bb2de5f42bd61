/* Callers in another file than the functions they call. */
#include "conn.h"

int fail_then_destroy(struct conn *c, int err)
{
    if (err) {
        conn_fail(c);
        conn_destroy(c);   /* expect: SSL101 */
        return -1;
    }
    return 0;
}

int close_then_destroy(struct conn *c, int err)
{
    if (err) {
        conn_close(c);
        conn_destroy(c);   /* ok: SSL101 */
        return -1;
    }
    return 0;
}

int fail_then_read(struct conn *c, char *buf, int n)
{
    conn_fail(c);
    return SSL_read(c->ssl, buf, n);   /* expect: SSL102 */
}

int fail_then_clear(struct conn *c)
{
    conn_fail(c);
    c->ssl = NULL;     /* the caller clears what the callee left */
    conn_destroy(c);   /* ok: SSL101 */
    return -1;
}

int fail_then_free(struct conn *c)
{
    conn_fail(c);
    SSL_free(c->ssl);   /* expect: SSL101 */
    return -1;
}

int reconnect(struct conn *c)
{
    conn_close(c);     /* the old SSL is freed first */
    return conn_open(c);   /* ok: SSL103 */
}

int maybe_drop_then_destroy(struct conn *c)
{
    conn_maybe_drop(c);
    conn_destroy(c);   /* ok: SSL101 */
    return 0;
}

int close_then_read(struct conn *c, char *buf, int n)
{
    conn_close(c);
    if (c->ssl == NULL)
        return -1;
    return SSL_read(c->ssl, buf, n);   /* ok: SSL102 */
}

int connect_twice(struct conn *c)
{
    if (conn_connect(c) != 0)   /* expect: SSL103 */
        return -1;
    if (conn_connect(c) != 0)   /* the first SSL is lost here */
        return -1;
    return 0;
}

int connect_close_connect(struct conn *c)
{
    if (conn_connect(c) != 0)   /* ok: SSL103 */
        return -1;
    conn_close(c);
    return conn_connect(c);
}

int open_twice(struct conn *c)
{
    if (conn_open(c) < 0)   /* expect: SSL103 */
        return -1;
    return conn_open(c);
}

int open_failed_then_again(struct conn *c)
{
    if (conn_open(c) == 0)   /* ok: SSL103 */
        return 0;
    return conn_open(c);   /* the first one left c->ssl NULL */
}

int fail_then_read_through_helper(struct conn *c, char *buf, int n)
{
    conn_fail(c);
    return conn_read(c, buf, n);   /* expect: SSL102 */
}

int close_then_read_through_helper(struct conn *c, char *buf, int n)
{
    conn_close(c);
    return conn_read(c, buf, n);   /* ok: SSL102 */
}
