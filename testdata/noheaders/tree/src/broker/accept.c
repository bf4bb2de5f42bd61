/* The broker's side: it uses the members its header declares only under
 * WITH_BROKER, a switch this file never tests. Without the build, clang says
 * the member is missing, and recovery (frontend/switches.py) defines the switch
 * its branch needs, so the function parses and its leak is found as with
 * -DWITH_BROKER. */
#include <proj/client.h>

int proj_accept(struct proj_client *c)
{
    SSL *ssl = SSL_new(c->listener->ssl_ctx); /* expect: SSL103 */
    if (ssl == NULL)
        return -1;
    if (!SSL_set_fd(ssl, c->fd))
        return -1;
    c->ssl = ssl;
    c->accepted = 1;
    return 0;
}
