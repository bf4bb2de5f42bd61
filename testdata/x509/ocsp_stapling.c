/* OCSP stapling: decoding a stapled response on the client. */
#include <openssl/ocsp.h>
#include <openssl/ssl.h>

/* Buggy: the decoded response leaks when its status is not successful. */
int staple_status_leaks(SSL *s)
{
    const unsigned char *p;
    long len = SSL_get_tlsext_status_ocsp_resp(s, &p);
    OCSP_RESPONSE *rsp;
    if (len <= 0)
        return 1;
    rsp = d2i_OCSP_RESPONSE(NULL, &p, len); /* expect: SSL103 */
    if (rsp == NULL)
        return 0;
    if (OCSP_response_status(rsp) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
        return 0;
    OCSP_RESPONSE_free(rsp);
    return 1;
}

/* Buggy: get1_basic returns a new object that must be freed as well. */
int staple_basic_leaks(OCSP_RESPONSE *rsp, X509_STORE *store)
{
    OCSP_BASICRESP *br = OCSP_response_get1_basic(rsp); /* expect: SSL103 */
    if (br == NULL)
        return 0;
    return OCSP_basic_verify(br, NULL, store, 0);
}

/* Buggy: the response is used unchecked (d2i returns NULL on bad input). */
int staple_unchecked(const unsigned char *p, long len)
{
    OCSP_RESPONSE *rsp = d2i_OCSP_RESPONSE(NULL, &p, len);
    int st = OCSP_response_status(rsp); /* expect: SSL401 */
    OCSP_RESPONSE_free(rsp);
    return st;
}

/* Correct: every path frees the response. */
int staple_status_ok(SSL *s)
{
    const unsigned char *p;
    long len = SSL_get_tlsext_status_ocsp_resp(s, &p);
    OCSP_RESPONSE *rsp;
    int ok;
    if (len <= 0)
        return 1;
    rsp = d2i_OCSP_RESPONSE(NULL, &p, len);
    if (rsp == NULL)
        return 0;
    ok = OCSP_response_status(rsp) == OCSP_RESPONSE_STATUS_SUCCESSFUL;
    OCSP_RESPONSE_free(rsp);
    return ok;
}

/* Correct: the basic response freed after verification. */
int staple_basic_ok(OCSP_RESPONSE *rsp, X509_STORE *store)
{
    int ok;
    OCSP_BASICRESP *br = OCSP_response_get1_basic(rsp);
    if (br == NULL)
        return 0;
    ok = OCSP_basic_verify(br, NULL, store, 0) > 0;
    OCSP_BASICRESP_free(br);
    return ok;
}

/* Correct: a server builds a request and frees it. */
int request_ok(void)
{
    OCSP_REQUEST *req = OCSP_REQUEST_new();
    if (req == NULL)
        return 0;
    OCSP_REQUEST_free(req); /* ok: SSL103 */
    return 1;
}
