/* STACK_OF(X509): push hands over, value lends, free frees the stack alone,
 * pop_free frees the elements too. */
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Buggy: sk_X509_free leaves the pushed certificate behind; it leaks. */
STACK_OF(X509) *copy_one_leaks(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return NULL;
    x = X509_dup(c); /* expect: SSL103 */
    if (x == NULL || !sk_X509_push(sk, x)) {
        X509_free(x);
        sk_X509_free(sk);
        return NULL;
    }
    sk_X509_free(sk);
    return NULL;
}

/* Buggy: freed alone, then again by sk_X509_pop_free. */
void member_freed_twice(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return;
    x = X509_dup(c);
    if (x == NULL || !sk_X509_push(sk, x)) {
        X509_free(x);
        sk_X509_free(sk);
        return;
    }
    X509_free(x); /* expect: SSL203 */
    sk_X509_pop_free(sk, X509_free);
}

/* Buggy: sk_X509_value lends the stack's element. */
void free_value(STACK_OF(X509) *sk)
{
    X509 *x = sk_X509_value(sk, 0);
    X509_free(x); /* expect: SSL201 */
}

/* Buggy: the stack itself leaks. */
int count_leaks(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null(); /* expect: SSL103 */
    if (sk == NULL)
        return 0;
    return sk_X509_num(sk);
}

/* Correct: a failed push takes nothing, so the caller frees the certificate. */
STACK_OF(X509) *copy_one_ok(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return NULL;
    x = X509_dup(c);
    if (x == NULL || !sk_X509_push(sk, x)) {
        X509_free(x); /* ok: SSL203 */
        sk_X509_pop_free(sk, X509_free);
        return NULL;
    }
    return sk;
}

/* Correct: pop_free frees the pushed certificates with the stack. */
void pop_free_ok(X509 *c)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    if (sk == NULL)
        return;
    x = X509_dup(c);
    if (x != NULL && !sk_X509_push(sk, x))
        X509_free(x);
    sk_X509_pop_free(sk, X509_free); /* ok: SSL103 */
}

/* Correct: an up_ref'd borrowed element may be freed. */
void keep_value_ok(STACK_OF(X509) *sk)
{
    X509 *x = sk_X509_value(sk, 0);
    if (x == NULL || !X509_up_ref(x))
        return;
    X509_free(x); /* ok: SSL201 */
}

/* Correct: a shallow copy whose elements get a reference each (as
 * X509_chain_up_ref does): the references are the returned stack's. */
STACK_OF(X509) *chain_ref_ok(STACK_OF(X509) *certs)
{
    int i;
    STACK_OF(X509) *chain = sk_X509_dup(certs);
    if (chain == NULL)
        return NULL;
    for (i = 0; i < sk_X509_num(chain); i++)
        X509_up_ref(sk_X509_value(chain, i)); /* ok: SSL301 */
    return chain;
}

/* Correct: a getter called again returns the same stack. */
void chain_compare_ok(SSL *ssl, STACK_OF(X509) *mine)
{
    STACK_OF(X509) *chain = mine != NULL ? mine : SSL_get_peer_cert_chain(ssl);
    if (chain != SSL_get_peer_cert_chain(ssl))
        sk_X509_pop_free(chain, X509_free); /* ok: SSL201 */
}
