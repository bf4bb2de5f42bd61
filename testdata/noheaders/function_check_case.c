/* A project's check for an OpenSSL function spelt as the function is
 * (haproxy's HAVE_SSL_get0_verified_chain, set in its openssl-compat.h for
 * OpenSSL >= 1.1.0): defined, as HAVE_SSL_GET_CLIENT_CIPHERS is, when the
 * installed OpenSSL has the function, whatever its case. */
#include <openssl/ssl.h>

#ifdef HAVE_SSL_get0_verified_chain
int chain_length(SSL *ssl)
{
    X509 *peer = SSL_get1_peer_certificate(ssl); /* expect: SSL103 */
    STACK_OF(X509) *chain = SSL_get0_verified_chain(ssl);
    if (chain == NULL)
        return -1;
    X509_free(peer);
    return sk_X509_num(chain);
}
#endif
