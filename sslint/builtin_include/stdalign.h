/* sslint fallback <stdalign.h>. In C23 and C++ alignas/alignof are keywords. */
#ifndef __sslint_stdalign_h
#define __sslint_stdalign_h 1
#if !defined(__cplusplus) &&                                                   \
    (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L)
#define alignas _Alignas
#define alignof _Alignof
#endif
#define __alignas_is_defined 1
#define __alignof_is_defined 1
#endif
