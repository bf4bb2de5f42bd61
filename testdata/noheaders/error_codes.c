/* curl's shape: an error code from the missing header is stored, then `!rc`
 * guards the use of the object whose allocation failed. An error code is never 0,
 * so recovery declares it a distinct non-zero constant: as an unknown value it
 * could be 0, and the loop would use `mem` on the path where it is NULL (a
 * false SSL401 no build has). Same findings with include/proj_config.h
 * (tests/test_noheaders.py). */
#include <openssl/bio.h>
#include <proj_config.h>

int dump_lines(const char **lines, int n)
{
    int rc = 0;
    int i;
    BIO *mem = BIO_new(BIO_s_mem());
    if (!mem)
        rc = PROJ_ERROR;
    for (i = 0; !rc && i < n; i++)
        BIO_printf(mem, "%s\n", lines[i]);
    BIO_free(mem);
    return rc;
}

int leak_lines(const char **lines, int n)
{
    BIO *mem = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (!mem)
        return PROJ_ERROR;
    if (n > 0 && BIO_printf(mem, "%s\n", lines[0]) <= 0)
        return PROJ_ERROR;
    BIO_free(mem);
    return PROJ_OK;
}
