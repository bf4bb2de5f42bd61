/* Verify callbacks and X509_STORE_CTX: walking the chain being verified. */
#include <stdio.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

/* Buggy: the current certificate is the context's; freeing it is a double free. */
int verify_cb_frees_current(int ok, X509_STORE_CTX *ctx)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
    if (cert != NULL && !ok)
        X509_free(cert); /* expect: SSL201 */
    return ok;
}

/* Buggy: get1_chain is a copy the callback must free. */
int verify_cb_leaks_chain(int ok, X509_STORE_CTX *ctx)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get1_chain(ctx); /* expect: SSL103 */
    if (chain == NULL)
        return ok;
    printf("%d certificates\n", sk_X509_num(chain));
    return ok;
}

/* Buggy: the borrowed chain of get0 must not be freed. */
int verify_cb_frees_get0_chain(int ok, X509_STORE_CTX *ctx)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    sk_X509_pop_free(chain, X509_free); /* expect: SSL201 */
    return ok;
}

/* Buggy: a store context made for a manual check leaks on failure. */
int manual_verify_leaks(X509_STORE *store, X509 *leaf)
{
    X509_STORE_CTX *vctx = X509_STORE_CTX_new(); /* expect: SSL103 */
    if (vctx == NULL)
        return 0;
    if (!X509_STORE_CTX_init(vctx, store, leaf, NULL))
        return 0;
    X509_verify_cert(vctx);
    X509_STORE_CTX_free(vctx);
    return 1;
}

/* Correct: the callback only looks at borrowed certificates. */
int verify_cb_ok(int ok, X509_STORE_CTX *ctx)
{
    char buf[256];
    X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
    if (cert != NULL)
        X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof(buf));
    return ok;
}

/* Correct: get1_chain freed with its certificates. */
int verify_cb_chain_ok(int ok, X509_STORE_CTX *ctx)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get1_chain(ctx);
    int i;
    if (chain == NULL)
        return ok;
    for (i = 0; i < sk_X509_num(chain); i++)
        printf("%p\n", (void *)sk_X509_value(chain, i));
    sk_X509_pop_free(chain, X509_free);
    return ok;
}

/* Correct: a manual verification that frees its context on every path. */
int manual_verify_ok(X509_STORE *store, X509 *leaf)
{
    int ok = 0;
    X509_STORE_CTX *vctx = X509_STORE_CTX_new();
    if (vctx == NULL)
        return 0;
    if (X509_STORE_CTX_init(vctx, store, leaf, NULL))
        ok = X509_verify_cert(vctx) == 1;
    X509_STORE_CTX_free(vctx);
    return ok;
}

void install(SSL_CTX *ctx)
{
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb_ok);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb_chain_ok);
}
