/* The project's own header: it turns a feature on only for the OpenSSL backend,
 * which the build chooses (config.h, missing here, defines the switch). */
#ifndef KEYS_COMMON_H
#define KEYS_COMMON_H

#if defined(ENABLE_CRYPTO_OPENSSL)
#define HAVE_KEY_PROVIDER 1
#endif

#endif
