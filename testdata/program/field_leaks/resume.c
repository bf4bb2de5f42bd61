/* Writers of fields that nothing in the program releases, and one handed over. */
#include "sess.h"

void peer_remember(struct peer *p)
{
    p->resume = SSL_get1_session(p->ssl);   /* expect: SSL104 */
}

void peer_load_cert(struct peer *p)
{
    p->cert = SSL_get1_peer_certificate(p->ssl);   /* ok: SSL104 */
}

X509 *peer_take_cert(struct peer *p)
{
    X509 *x = p->cert;   /* the caller owns it now */
    p->cert = NULL;
    return x;
}
