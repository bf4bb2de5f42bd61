/* Certificates and stacks without OpenSSL's headers: the calls are known by name
 * (sk_X509_push is a plain call here, as with 1.1.1's inline functions). */

void stack_member_leaks(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return;
    x = X509_dup(c); /* expect: SSL103 */
    if (x == NULL || !sk_X509_push(sk, x)) {
        X509_free(x);
        sk_X509_free(sk);
        return;
    }
    sk_X509_free(sk);
}

void free_stack_value(STACK_OF(X509) *sk)
{
    X509 *x = sk_X509_value(sk, 0);
    X509_free(x); /* expect: SSL201 */
}

int peer_leaks(SSL *ssl)
{
    X509 *peer = SSL_get1_peer_certificate(ssl); /* expect: SSL103 */
    return peer != NULL;
}

void failed_push_ok(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return;
    x = X509_dup(c);
    if (x == NULL || !sk_X509_push(sk, x)) {
        X509_free(x); /* ok: SSL203 */
        sk_X509_free(sk);
        return;
    }
    sk_X509_free(sk); /* ok: SSL103 */
    X509_free(x);
}
