/* Frees the peer's SSL (and, in peer_reset, clears the pointer); logs through
   log.c, which calls back into this file. */
#include "peer.h"

void peer_drop(struct peer *p)
{
    peer_log(p, "drop");
    SSL_free(p->ssl);
}

void peer_reset(struct peer *p)
{
    peer_log(p, "reset");
    SSL_free(p->ssl);
    p->ssl = NULL;
}
