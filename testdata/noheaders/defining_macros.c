/* tor's shapes: functions defined through a macro of the missing config header
 * (`MOCK_IMPL(type, name, (params)) {` at file scope) and an assertion macro
 * that gives back its condition (`if (BUG(dup == NULL))`). Recovery defines the
 * first as the declaration's parts and the second as its argument (an unknown
 * call there would invent a path where `dup` is NULL yet the test fails). Same
 * findings with include/proj_config.h (tests/test_noheaders.py). */
#include <openssl/x509.h>
#include <proj_config.h>

PROJ_MOCK_IMPL(int, cert_check, (X509 *cert, int strict))
{
    X509 *dup = X509_dup(cert); /* expect: SSL103 */
    if (PROJ_BUG(dup == NULL))
        return -1;
    if (strict)
        return -1;
    X509_free(dup);
    return 0;
}

PROJ_MOCK_IMPL(X509 *,
cert_copy, (X509 *cert))
{
    X509 *dup = X509_dup(cert);
    if (PROJ_BUG(dup == NULL))
        return NULL;
    return dup;
}
