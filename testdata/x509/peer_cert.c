/* Peer certificate checks: get1 (owned) against get0 (borrowed). */
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Buggy: the get1 reference leaks when the name does not match. */
int check_peer_leaks(SSL *ssl, const char *want)
{
    char buf[256];
    X509 *peer = SSL_get1_peer_certificate(ssl); /* expect: SSL103 */
    if (peer == NULL)
        return 0;
    X509_NAME_oneline(X509_get_subject_name(peer), buf, sizeof(buf));
    if (strcmp(buf, want) != 0)
        return 0;
    X509_free(peer);
    return 1;
}

/* Buggy: get0 lends the session's certificate; freeing it frees it twice. */
int check_peer_frees_borrowed(SSL *ssl)
{
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer == NULL)
        return 0;
    X509_free(peer); /* expect: SSL201 */
    return 1;
}

/* Buggy: 1.1.1's SSL_get_peer_certificate is get1 too; it leaks. */
int has_peer_cert(SSL *ssl)
{
    X509 *peer = SSL_get_peer_certificate(ssl); /* expect: SSL103 */
    return peer != NULL;
}

/* Buggy: the borrowed name of a freed certificate. */
int subject_after_free(SSL *ssl, char *buf, int len)
{
    X509 *peer = SSL_get1_peer_certificate(ssl);
    X509_NAME *name;
    if (peer == NULL)
        return 0;
    name = X509_get_subject_name(peer);
    X509_free(peer);
    X509_NAME_oneline(name, buf, len); /* expect: SSL102 */
    return 1;
}

/* Correct: get1 freed on every path. */
int check_peer_ok(SSL *ssl, const char *want)
{
    char buf[256];
    int ok;
    X509 *peer = SSL_get1_peer_certificate(ssl);
    if (peer == NULL)
        return 0;
    X509_NAME_oneline(X509_get_subject_name(peer), buf, sizeof(buf));
    ok = strcmp(buf, want) == 0;
    X509_free(peer);
    return ok;
}

/* Correct: get0 is only looked at. */
long verified_peer(SSL *ssl)
{
    X509 *peer = SSL_get0_peer_certificate(ssl); /* ok: SSL103 */
    if (peer == NULL)
        return -1;
    return SSL_get_verify_result(ssl);
}

/* Correct: the borrowed chain is walked, nothing freed. */
int chain_depth(SSL *ssl)
{
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    int i, n = 0;
    for (i = 0; i < sk_X509_num(chain); i++)
        if (X509_get_subject_name(sk_X509_value(chain, i)) != NULL)
            n++;
    return n;
}

/* A borrowed certificate kept past its lender with a reference of its own. */
X509 *own_cert_after_free(SSL *s)
{
    X509 *cert;
    cert = SSL_get0_peer_certificate(s);
    if (cert == NULL || !X509_up_ref(cert)) {
        SSL_free(s);
        return NULL;
    }
    SSL_free(s);
    X509_get_subject_name(cert);   /* ok: SSL102 */
    return cert;
}

int borrowed_cert_after_free(SSL *s)
{
    X509 *cert;
    cert = SSL_get0_peer_certificate(s);
    SSL_free(s);
    return X509_get_subject_name(cert) != NULL;   /* expect: SSL102 */
}
