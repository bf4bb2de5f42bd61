/* The project's connection type and its close macro, in the project's include
 * folder: the build passes -I include. */
#ifndef PROJ_CONN_H
#define PROJ_CONN_H
#include <openssl/ssl.h>

struct proj_conn {
    int fd;
    SSL *ssl;
};

enum { PROJ_OK = 0, PROJ_ERR = -1 };

/* The session's only release, behind the project's macro. */
#define PROJ_CONN_SHUTDOWN(c) do { SSL_free((c)->ssl); } while (0)

#endif
