/* SSL503: how a new-session callback may be registered. Registrations are read
 * from the parsed code: a cast, `&(f)` and a macro count; text that only looks
 * like a registration does not. */
#include <openssl/ssl.h>

typedef int (*new_session_fn)(SSL *, SSL_SESSION *);

#define REGISTER_NEW_SESSION(ctx, fn) SSL_CTX_sess_set_new_cb((ctx), (fn))
#define THE_CALLBACK by_object_macro

static int by_cast(SSL *ssl, const SSL_SESSION *sess)
{
    (void)i2d_SSL_SESSION(sess, NULL);
    return 1; /* expect: SSL503 */
}

static int by_cast_of_address(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* expect: SSL503 */
}

static int by_address_in_parens(SSL *ssl, SSL_SESSION *sess)
{
    (void)i2d_SSL_SESSION(sess, NULL);
    return 1; /* expect: SSL503 */
}

static int by_function_macro(SSL *ssl, SSL_SESSION *sess)
{
    (void)i2d_SSL_SESSION(sess, NULL);
    return 1; /* expect: SSL503 */
}

static int by_object_macro(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* expect: SSL503 */
}

/* Registered below, defined after the registration. */
static int defined_later(SSL *ssl, SSL_SESSION *sess);

void setup(SSL_CTX *ctx)
{
    /* This function calls no lifecycle function: it only registers. */
    SSL_CTX_sess_set_new_cb(ctx, (int (*)(SSL *, SSL_SESSION *))by_cast);
    SSL_CTX_sess_set_new_cb(ctx, (new_session_fn)&by_cast_of_address);
    SSL_CTX_sess_set_new_cb(ctx, &(by_address_in_parens));
    REGISTER_NEW_SESSION(ctx, by_function_macro);
    SSL_CTX_sess_set_new_cb(ctx, THE_CALLBACK);
    SSL_CTX_sess_set_new_cb(ctx, defined_later);
}

static int defined_later(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* expect: SSL503 */
}

/* Not registered: the names below only appear in a comment, under #if 0 and in a
 * string. */
static int named_in_a_comment(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* ok: SSL503 */
}

static int named_under_if0(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* ok: SSL503 */
}

static int named_in_a_string(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* ok: SSL503 */
}

/* SSL_CTX_sess_set_new_cb(ctx, named_in_a_comment); */
#if 0
void old_setup(SSL_CTX *ctx)
{
    SSL_CTX_sess_set_new_cb(ctx, named_under_if0);
}
#endif
const char *usage = "SSL_CTX_sess_set_new_cb(ctx, named_in_a_string)";
