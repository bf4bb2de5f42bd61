/* A local pointer to a variable (`T **p = &var`) reads and writes that variable:
   tor's FREE_AND_NULL frees through it and clears it. */
#include <openssl/x509.h>

#define FREE_AND_NULL(typename, freefn, var)      \
    do {                                          \
        typename **tmp__ = &(var);                \
        freefn(*tmp__);                           \
        (*tmp__) = NULL;                          \
    } while (0)

int free_and_null_twice(void)
{
    X509 *cert = X509_new();   /* ok: SSL103 */
    if (cert == NULL)
        return -1;
    FREE_AND_NULL(X509, X509_free, cert);
    FREE_AND_NULL(X509, X509_free, cert);   /* ok: SSL101 */
    return 0;
}

int freed_through_pointer_then_again(void)
{
    X509 *cert = X509_new();
    X509 **p = &cert;
    if (cert == NULL)
        return -1;
    X509_free(*p);
    X509_free(cert);   /* expect: SSL101 */
    return 0;
}
