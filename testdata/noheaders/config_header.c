/* A missing generated config header (include/proj_config.h) provides the project's
 * integer types, return codes and logging macros. Without it clang drops every
 * statement that names them (`return PROJ_OK;` vanishes); recovery declares them,
 * so these functions are analysed, with the same findings as with the header
 * (tests/test_noheaders.py runs both). */
#include <openssl/ssl.h>
#include <proj_config.h>

proj_int_t probe_ok_path(proj_log_t *log)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) {
        proj_log_error(PROJ_LOG_ERR, log, 0, "BIO_new() failed");
        return PROJ_ERROR;
    }
    if (BIO_puts(bio, "probe") <= 0)
        goto failed;
    BIO_free(bio);
    return PROJ_OK;              /* dropped without recovery: the path fell into failed: */
failed:
    BIO_free(bio); /* ok: SSL101 */
    return PROJ_ERROR;
}

proj_int_t leak_on_error(SSL_CTX *ctx, int fd, proj_log_t *log)
{
    proj_int_t rc;
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL) {
        proj_log_error(PROJ_LOG_ERR, log, 0, "SSL_new() failed");
        return PROJ_ERROR;
    }
    if (SSL_set_fd(s, fd) != 1) {
        proj_log_error(PROJ_LOG_ERR, log, 0, "SSL_set_fd() failed");
        return PROJ_ERROR;
    }
    rc = PROJ_OK;
    SSL_free(s);
    return rc;
}

proj_int_t double_free_by_code(SSL_CTX *ctx, proj_int_t rc, proj_log_t *log)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 (the PROJ_DECLINED case returns it) */
    if (s == NULL)
        return PROJ_ERROR;
    switch (rc) {
    case PROJ_AGAIN:
        proj_log_debug0(PROJ_LOG_DEBUG, log, 0, "again");
        SSL_free(s);
        break;
    case PROJ_DECLINED:
        return PROJ_DECLINED;
    default:
        break;
    }
    SSL_free(s); /* expect: SSL101 */
    return PROJ_OK;
}

proj_int_t name_of(SSL *ssl, proj_str_t *out)
{
    proj_str_t name;
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (cert == NULL)
        return PROJ_DECLINED;
    name.len = 0;
    name.data = NULL;
    *out = name;
    X509_free(cert);
    return PROJ_OK;
}
