/* SSL401: an allocation's NULL result used without a check. */
#include <openssl/ssl.h>
#include <openssl/pem.h>

SSL *start_unchecked(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd); /* expect: SSL401 */
    return ssl;
}

long session_len(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    long n = SSL_SESSION_is_resumable(sess); /* expect: SSL401 */
    SSL_SESSION_free(sess);
    return n;
}

int write_mem(const char *s)
{
    BIO *mem = BIO_new(BIO_s_mem());
    int n = BIO_puts(mem, s); /* expect: SSL401 */
    BIO_free(mem);
    return n;
}

int known_null_used(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL) {
        SSL_connect(ssl); /* expect: SSL401 */
        return -1;
    }
    SSL_free(ssl);
    return 0;
}

/* Clean: checked before use. */
SSL *start_checked(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    if (!ssl)
        return NULL;
    SSL_set_fd(ssl, fd); /* ok: SSL401 */
    return ssl;
}

/* Clean: checked in the assignment's condition. */
int write_mem_checked(const char *s)
{
    BIO *mem;
    int n;
    if ((mem = BIO_new(BIO_s_mem())) == NULL)
        return -1;
    n = BIO_puts(mem, s); /* ok: SSL401 */
    BIO_free(mem);
    return n;
}

/* Clean: free functions accept NULL, so an unchecked free is fine. */
void free_unchecked(SSL *ssl)
{
    SSL_SESSION *sess = SSL_get1_session(ssl);
    SSL_SESSION_free(sess); /* ok: SSL401 */
}

/* Clean: short-circuit check. */
int checked_with_and(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    int ok = ssl != NULL && SSL_set_fd(ssl, 0) == 1; /* ok: SSL401 */
    SSL_free(ssl);
    return ok;
}

/* Bug: BIO_set_flags dereferences the BIO (crypto/bio/bio_lib.c). */
void flags_unchecked(void)
{
    BIO *b = BIO_new(BIO_s_mem());
    BIO_set_flags(b, BIO_FLAGS_MEM_RDONLY); /* expect: SSL401 */
    BIO_free(b);
}

/* Bug: a get1 session may be NULL; SSL_SESSION_get_id reads it. */
unsigned int session_id_unchecked(SSL *ssl)
{
    unsigned int len;
    SSL_SESSION *sess = SSL_get1_session(ssl);
    SSL_SESSION_get_id(sess, &len); /* expect: SSL401 */
    SSL_SESSION_free(sess);
    return len;
}

/* Clean: a certificate accessor the table does not know to reject NULL. */
long version_unchecked(BIO *in)
{
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    long v = X509_get_version(x); /* ok: SSL401 */
    X509_free(x);
    return v;
}
