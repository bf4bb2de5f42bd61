/* The umbrella header of the project's modules: the TLS module's types come in
 * only when the build enables that module (nginx's ngx_http.h includes
 * ngx_http_ssl_module.h under NGX_HTTP_SSL). */
#ifndef PROJ_MODULE_H
#define PROJ_MODULE_H
#include <openssl/ssl.h>
#if (PROJ_TLS_MODULE)
#include <proj/tls-conf.h>
#endif
#endif
