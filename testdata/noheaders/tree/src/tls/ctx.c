/* The file never tests the project's OpenSSL switch; its header does, around the
 * members this code uses. Without the build, frontend/guards.py defines the
 * switch (a file that calls OpenSSL is built with it), so the members exist and
 * the leak below is found as with the build's -DUSE_OPENSSL. */
#include <proj/tls-t.h>

int proj_tls_load(struct proj_tls *t, const char *file)
{
    BIO *in = BIO_new_file(file, "r"); /* expect: SSL103 */
    if (in == NULL)
        return -1;
    t->cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (t->cert == NULL)
        return -1;
    if (SSL_CTX_use_certificate(t->ctx, t->cert) != 1)
        return -1;
    BIO_free(in);
    return 0;
}
