/* SSL503: new-session callbacks and the session reference they are lent. */
#include <openssl/ssl.h>
#include <openssl/crypto.h>

struct store {
    SSL_SESSION *last;
};
extern struct store cache;

static int returns_1_and_forgets(SSL *ssl, SSL_SESSION *sess)
{
    (void)i2d_SSL_SESSION(sess, NULL);
    return 1; /* expect: SSL503 */
}

static int returns_0_after_free(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* expect: SSL503 */
}

static int returns_0_after_store(SSL *ssl, SSL_SESSION *sess)
{
    cache.last = sess;
    return 0; /* expect: SSL503 */
}

/* Clean: returns 1 and keeps the session. */
static int keeps_it(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(cache.last);
    cache.last = sess;
    return 1; /* ok: SSL503 */
}

/* Clean: returns 0 and only serialises it. */
static int serialises_only(SSL *ssl, SSL_SESSION *sess)
{
    unsigned char *der = NULL;
    int len = i2d_SSL_SESSION(sess, &der);
    if (len > 0)
        OPENSSL_free(der);
    return 0; /* ok: SSL503 */
}

/* Clean: returns 0 but stores the session with its own reference. */
static int stores_with_up_ref(SSL *ssl, SSL_SESSION *sess)
{
    if (!SSL_SESSION_up_ref(sess))
        return 0;
    SSL_SESSION_free(cache.last);
    cache.last = sess;
    return 0; /* ok: SSL503 */
}

/* Clean: parked in a field only while a helper serialises it, then cleared. */
struct conn_state {
    SSL_SESSION *session;
};
extern void save_session(struct conn_state *st);

static int parks_it_briefly(SSL *ssl, SSL_SESSION *sess)
{
    struct conn_state *st = SSL_get_app_data(ssl);
    st->session = sess;
    save_session(st);
    st->session = NULL;
    return 0; /* ok: SSL503 */
}

/* Not registered anywhere: not a callback, not checked. */
static int not_a_callback(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
    return 0; /* ok: SSL503 */
}

void setup(SSL_CTX *a, SSL_CTX *b, SSL_CTX *c, SSL_CTX *d, SSL_CTX *e, SSL_CTX *f)
{
    SSL_CTX_sess_set_new_cb(a, parks_it_briefly);
    SSL_CTX_sess_set_new_cb(a, returns_1_and_forgets);
    SSL_CTX_sess_set_new_cb(b, returns_0_after_free);
    SSL_CTX_sess_set_new_cb(c, returns_0_after_store);
    SSL_CTX_sess_set_new_cb(d, keeps_it);
    SSL_CTX_sess_set_new_cb(e, serialises_only);
    SSL_CTX_sess_set_new_cb(f, stores_with_up_ref);
}
