/* SSL202: freeing a BIO that an SSL owns. */
#include <openssl/ssl.h>

int set_bio_then_free(SSL *ssl, int fd)
{
    BIO *bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL)
        return 0;
    SSL_set_bio(ssl, bio, bio);
    BIO_free(bio); /* expect: SSL202 */
    return 1;
}

void set0_rbio_then_free(SSL *ssl)
{
    BIO *rbio = BIO_new(BIO_s_mem());
    if (rbio == NULL)
        return;
    SSL_set0_rbio(ssl, rbio);
    BIO_free_all(rbio); /* expect: SSL202 */
}

int err_path_frees_owned_bio(SSL_CTX *ctx)
{
    SSL *ssl = NULL;
    BIO *r = NULL, *w = NULL;
    ssl = SSL_new(ctx);
    if (ssl == NULL)
        goto err;
    r = BIO_new(BIO_s_mem());
    w = BIO_new(BIO_s_mem());
    if (r == NULL || w == NULL)
        goto err;
    SSL_set_bio(ssl, r, w);
    if (SSL_connect(ssl) <= 0)
        goto err;
    SSL_shutdown(ssl);
    SSL_free(ssl);
    return 1;
err:
    BIO_free(r); /* expect: SSL202 */
    BIO_free(w); /* expect: SSL202 */
    SSL_free(ssl);
    return 0;
}

void free_after_ssl_free(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *bio = BIO_new(BIO_s_mem());
    if (ssl == NULL || bio == NULL) {
        SSL_free(ssl);
        BIO_free(bio);
        return;
    }
    SSL_set_bio(ssl, bio, bio);
    SSL_free(ssl);
    BIO_free(bio); /* expect: SSL202 */
}

/* Clean: the SSL frees the BIO. */
int set_bio_clean(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    BIO *bio;
    if (ssl == NULL)
        return 0;
    bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL) {
        SSL_free(ssl);
        return 0;
    }
    SSL_set_bio(ssl, bio, bio);
    SSL_free(ssl); /* ok: SSL202 */
    return 1;
}

/* Clean: one BIO for both directions via set0 needs an extra reference first. */
void set0_both_with_up_ref(SSL *ssl)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return;
    if (!BIO_up_ref(bio)) {
        BIO_free(bio);
        return;
    }
    SSL_set0_rbio(ssl, bio);
    SSL_set0_wbio(ssl, bio); /* ok: SSL202 */
}

/* Clean: the BIO is freed only on the path where it was not handed over. */
int free_only_before_hand_over(SSL *ssl, int fd, int fail)
{
    BIO *bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL)
        return 0;
    if (fail) {
        BIO_free(bio); /* ok: SSL202 */
        return 0;
    }
    SSL_set_bio(ssl, bio, bio);
    return 1;
}

/* One BIO for both directions through set0 needs two references. */
void set0_both_without_up_ref(SSL *ssl)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return;
    SSL_set0_rbio(ssl, bio);
    SSL_set0_wbio(ssl, bio); /* expect: SSL202 */
}

/* SSL_set_bio twice (rule 5): the rbio already set is not taken again; the old
 * wbio is freed by the SSL, so freeing it here is a second free. */
int set_bio_twice_then_free_old(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *r = BIO_new(BIO_s_mem());
    BIO *w = BIO_new(BIO_s_mem());
    BIO *w2 = BIO_new(BIO_s_mem());
    if (ssl == NULL || r == NULL || w == NULL || w2 == NULL) {
        SSL_free(ssl);
        BIO_free(r);
        BIO_free(w);
        BIO_free(w2);
        return 0;
    }
    SSL_set_bio(ssl, r, w);
    SSL_set_bio(ssl, r, w2);
    BIO_free(w); /* expect: SSL101 */
    SSL_free(ssl);
    return 1;
}

/* Clean: the same call twice takes nothing the second time (rule 1). */
int set_bio_same_pair_twice(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *b = BIO_new(BIO_s_mem());
    if (ssl == NULL || b == NULL) {
        SSL_free(ssl);
        BIO_free(b);
        return 0;
    }
    SSL_set_bio(ssl, b, b);
    SSL_set_bio(ssl, b, b); /* ok: SSL202 */
    SSL_free(ssl);
    return 1;
}

/* Clean: (X, X) then (R, X) takes a reference for R and one more for X (the page's
 * rule 6 gets this backwards; OpenSSL's code and its own test count two), so the
 * caller up-refs X first. */
int set_bio_shared_then_new_read(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *x = BIO_new(BIO_s_mem());
    BIO *r = BIO_new(BIO_s_mem());
    if (ssl == NULL || x == NULL || r == NULL) {
        SSL_free(ssl);
        BIO_free(x);
        BIO_free(r);
        return 0;
    }
    SSL_set_bio(ssl, x, x);
    if (!BIO_up_ref(x)) {
        SSL_free(ssl);
        BIO_free(r);
        return 0;
    }
    SSL_set_bio(ssl, r, x); /* ok: SSL202 */
    SSL_free(ssl);
    return 1;
}

/* (X, X) then (R, X) without the extra reference: the SSL will free X twice. */
int set_bio_shared_then_new_read_no_ref(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    BIO *x = BIO_new(BIO_s_mem());
    BIO *r = BIO_new(BIO_s_mem());
    if (ssl == NULL || x == NULL || r == NULL) {
        SSL_free(ssl);
        BIO_free(x);
        BIO_free(r);
        return 0;
    }
    SSL_set_bio(ssl, x, x);
    SSL_set_bio(ssl, r, x); /* expect: SSL202 */
    SSL_free(ssl);
    return 1;
}
