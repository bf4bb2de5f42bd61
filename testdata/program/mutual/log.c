/* Logging, and the session ends that call back into drop.c. */
#include <stdio.h>
#include "peer.h"

void peer_log(struct peer *p, const char *what)
{
    fprintf(stderr, "peer %d: %s\n", p->fd, what);
}

int peer_end(struct peer *p)
{
    peer_drop(p);
    return SSL_shutdown(p->ssl);   /* expect: SSL102 */
}

int peer_end_cleared(struct peer *p)
{
    peer_reset(p);
    if (p->ssl != NULL)
        return SSL_shutdown(p->ssl);   /* ok: SSL102 */
    return 0;
}
