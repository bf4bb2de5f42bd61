/* The TLS module itself never tests PROJ_TLS_MODULE: its own config type is
 * declared in a header the umbrella header includes under that switch. Without
 * the build, clang's "unknown type name" for it leads recovery to the switch
 * (frontend/switches.py for_type) rather than to a guessed type, and the leak is
 * found as with -DPROJ_TLS_MODULE=1. */
#include <proj/module.h>

int proj_tls_module_init(proj_tls_conf_t *conf)
{
    SSL *ssl;

    if (proj_str_empty(conf->cert))
        return -1;
    ssl = SSL_new(conf->ctx); /* expect: SSL103 */
    if (ssl == NULL)
        return -1;
    return 0;
}
