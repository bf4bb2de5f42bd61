#include <openssl/ssl.h>
#include "tls-openssl.c"
void use_it(SSL_CTX *c) { leak_in_included(c); }
