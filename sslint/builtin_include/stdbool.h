/* sslint fallback <stdbool.h>. In C23 and C++ bool/true/false are keywords. */
#ifndef __sslint_stdbool_h
#define __sslint_stdbool_h 1
#define __bool_true_false_are_defined 1
#if !defined(__cplusplus) &&                                                   \
    (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L)
#define bool _Bool
#define true 1
#define false 0
#endif
#endif
