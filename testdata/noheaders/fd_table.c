/* A global array of structs from a missing header, read as `proj_fdtab[fd].owner`
 * (haproxy's fdtab): recovery declares an array of a struct with the members
 * used, known from the first sighting (a plain value would only be corrected a
 * round later, after the rounds ran out). Same findings with include/proj_fd.h
 * (tests/test_noheaders.py). */
#include <openssl/ssl.h>
#include <proj_fd.h>

void fd_close_tls(int fd)
{
    SSL *ssl = proj_fdtab[fd].owner;
    proj_fdtab[fd].iocb = 0;
    SSL_free(ssl);
    SSL_free(ssl); /* expect: SSL101 */
}
