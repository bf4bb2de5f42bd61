/* Two files that call each other: neither can be analysed after the other, so
   the first analysis of each lacks the other's summaries and one goes again. */
#include <openssl/ssl.h>

struct peer {
    SSL *ssl;
    int fd;
};

void peer_log(struct peer *p, const char *what);
void peer_drop(struct peer *p);
void peer_reset(struct peer *p);
