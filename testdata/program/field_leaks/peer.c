/* The peer's life. SSL104 needs the whole program: this folder is one. */
#include <stdlib.h>
#include "sess.h"

struct peer *peer_new(SSL_CTX *ctx)
{
    struct peer *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    p->ssl = SSL_new(ctx);   /* ok: SSL104 */
    if (p->ssl == NULL) {
        free(p);
        return NULL;
    }
    p->trace = BIO_new(BIO_s_mem());   /* ok: SSL104 */
    return p;
}

void peer_free(struct peer *p)
{
    SSL_free(p->ssl);
    BIO_free(p->trace);
    free(p);
}
