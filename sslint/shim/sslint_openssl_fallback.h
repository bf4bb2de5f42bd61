/* Injected by sslint only when a file's OpenSSL headers cannot be found: declares
 * the opaque handle types so that declarations such as `SSL *s = SSL_new(ctx);`
 * still parse as declarations (clang drops them as invalid expressions otherwise).
 * Functions stay undeclared on purpose: sslint recognises calls by name. */
#ifndef SSLINT_OPENSSL_FALLBACK_H
#define SSLINT_OPENSSL_FALLBACK_H
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_session_st SSL_SESSION;
typedef struct ssl_method_st SSL_METHOD;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;
typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;
typedef struct x509_store_ctx_st X509_STORE_CTX;
typedef struct evp_pkey_st EVP_PKEY;
#ifndef NULL
#define NULL ((void *)0)
#endif
#endif
