/* A callee fills a field of the caller's local struct; the caller frees it. */
#include <openssl/x509.h>

struct genargs {
    X509 *newcert;
};

static int gen_cert(struct genargs *a)
{
    X509 *c = X509_new();
    if (c == NULL)
        return -1;
    a->newcert = c;   /* ok: SSL104 */
    return 0;
}

int make_and_drop(void)
{
    struct genargs args;
    if (gen_cert(&args))
        return -1;
    X509_free(args.newcert);
    return 0;
}
