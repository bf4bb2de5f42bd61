/* sslint fallback <stdnoreturn.h>. */
#ifndef __sslint_stdnoreturn_h
#define __sslint_stdnoreturn_h 1
#ifndef __cplusplus
#define noreturn _Noreturn
#endif
#endif
