/* SSL501, SSL502, SSL504: advisory notes. */
#include <openssl/ssl.h>

int reconnect_with_clear(SSL *ssl)
{
    if (!SSL_clear(ssl)) /* expect: SSL501 */
        return 0;
    return SSL_connect(ssl);
}

void request_without_shutdown(SSL *ssl)
{
    if (SSL_connect(ssl) == 1)
        SSL_write(ssl, "ping", 4);
    SSL_free(ssl); /* expect: SSL502 */
}

void serve_without_shutdown(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return;
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) > 0)
        SSL_write(ssl, "hello", 5);
    SSL_free(ssl); /* expect: SSL502 */
}

void clear_after_handshake(SSL *ssl)
{
    if (SSL_do_handshake(ssl) == 1 && SSL_clear(ssl)) /* expect: SSL501, SSL502 */
        SSL_connect(ssl);
}

int stream_reset_on_free(SSL *conn)
{
    size_t written;
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return 0;
    SSL_write_ex(stream, "x", 1, &written);
    SSL_free(stream); /* expect: SSL504 */
    return 1;
}

void accepted_stream_dropped(SSL *conn)
{
    SSL *stream = SSL_accept_stream(conn, 0);
    SSL_free(stream); /* expect: SSL504 */
}

void stream_concluded_on_one_path(SSL *conn, int done)
{
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return;
    if (done && !SSL_stream_conclude(stream, 0))
        done = 0;
    SSL_free(stream); /* expect: SSL504 */
}

/* Clean: shut down before the free. */
void request_with_shutdown(SSL *ssl)
{
    if (SSL_connect(ssl) == 1) {
        SSL_write(ssl, "ping", 4);
        SSL_shutdown(ssl);
    }
    SSL_free(ssl); /* ok: SSL502 */
}

/* Clean: a failed handshake needs no shutdown (it must not be called then). */
int failed_handshake(SSL *ssl)
{
    if (SSL_connect(ssl) <= 0) {
        SSL_free(ssl); /* ok: SSL502 */
        return -1;
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return 0;
}

/* Clean: quiet shutdown marked with SSL_set_shutdown. */
void quiet_close(SSL *ssl)
{
    if (SSL_accept(ssl) == 1)
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl); /* ok: SSL502 */
}

/* Clean: the stream is concluded before it is freed. */
int stream_concluded(SSL *conn)
{
    size_t written;
    int ok;
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return 0;
    ok = SSL_write_ex(stream, "x", 1, &written);
    ok = SSL_stream_conclude(stream, 0) && ok;
    SSL_free(stream); /* ok: SSL504 */
    return ok;
}

void accepted_stream_concluded(SSL *conn)
{
    SSL *stream = SSL_accept_stream(conn, 0);
    if (stream == NULL)
        return;
    (void)SSL_stream_conclude(stream, 0);
    SSL_free(stream); /* ok: SSL504 */
}

/* Clean: an explicit reset is a deliberate end. */
void stream_reset_explicitly(SSL *conn)
{
    SSL *stream = SSL_new_stream(conn, 0);
    if (stream == NULL)
        return;
    SSL_stream_reset(stream, NULL, 0);
    SSL_free(stream); /* ok: SSL504 */
}

/* Clean for SSL501: the recommended way to start over keeps the session. */
SSL *fresh_connection(SSL_CTX *ctx, SSL *old)
{
    SSL_SESSION *sess = SSL_get1_session(old);
    SSL *ssl = SSL_new(ctx); /* ok: SSL501 */
    SSL_shutdown(old);
    SSL_free(old); /* ok: SSL501 */
    if (ssl != NULL && sess != NULL && !SSL_set_session(ssl, sess)) {
        SSL_free(ssl);
        ssl = NULL;
    }
    SSL_SESSION_free(sess);
    return ssl;
}

/* Clean for SSL501: SSL_clear's name in a comment or a string is not a call. */
const char *describe_reset(void)
{
    return "SSL_clear(ssl) would keep the old method"; /* ok: SSL501 */
}

/* Clean for SSL501: a BIO reset is not an SSL_clear. */
int rewind_mem(BIO *mem)
{
    return BIO_reset(mem) > 0; /* ok: SSL501 */
}

/* A helper that shuts down unless a shutdown was already sent still counts. */
static void end_session(SSL *ssl)
{
    if (!(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN))
        SSL_shutdown(ssl);
}

void close_with_helper(SSL *ssl)
{
    if (SSL_connect(ssl) == 1) {
        end_session(ssl);
    }
    SSL_free(ssl); /* ok: SSL502 */
}
