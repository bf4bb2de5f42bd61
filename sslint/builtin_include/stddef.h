/* sslint fallback <stddef.h>: used only when no compiler's own builtin headers
 * were found. Types come from clang's predefined macros.
 *
 * glibc headers ask for single pieces with `#define __need_size_t` (etc.) before
 * including this file, so each piece is guarded on its own and a __need_ request
 * yields only that piece. */
#if !defined(__need_ptrdiff_t) && !defined(__need_size_t) &&                  \
    !defined(__need_wchar_t) && !defined(__need_NULL) &&                       \
    !defined(__need_wint_t) && !defined(__need_max_align_t) &&                 \
    !defined(__need_offsetof)
#define __sslint_stddef_all 1
#endif

#if defined(__sslint_stddef_all) || defined(__need_ptrdiff_t)
#ifndef __sslint_ptrdiff_t
#define __sslint_ptrdiff_t 1
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#endif
#endif

#if defined(__sslint_stddef_all) || defined(__need_size_t)
#ifndef __sslint_size_t
#define __sslint_size_t 1
typedef __SIZE_TYPE__ size_t;
#endif
#endif

#if defined(__sslint_stddef_all) || defined(__need_wchar_t)
/* wchar_t is a keyword in C++. */
#if !defined(__cplusplus) && !defined(__sslint_wchar_t)
#define __sslint_wchar_t 1
typedef __WCHAR_TYPE__ wchar_t;
#endif
#endif

/* Only on request, as glibc expects: it defines wint_t itself unless _WINT_T is set. */
#if defined(__need_wint_t) && !defined(_WINT_T)
#define _WINT_T 1
typedef __WINT_TYPE__ wint_t;
#endif

#if defined(__sslint_stddef_all) || defined(__need_NULL)
#undef NULL
#ifdef __cplusplus
#define NULL __null
#else
#define NULL ((void *)0)
#endif
#endif

#if defined(__sslint_stddef_all) || defined(__need_offsetof)
#undef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif

#if (defined(__sslint_stddef_all) || defined(__need_max_align_t)) &&           \
    ((defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) ||             \
     (defined(__cplusplus) && __cplusplus >= 201103L))
#ifndef __sslint_max_align_t
#define __sslint_max_align_t 1
typedef struct {
  long long __sslint_ll __attribute__((__aligned__(__alignof__(long long))));
  long double __sslint_ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;
#endif
#endif

#undef __sslint_stddef_all
#undef __need_ptrdiff_t
#undef __need_size_t
#undef __need_wchar_t
#undef __need_wint_t
#undef __need_NULL
#undef __need_offsetof
#undef __need_max_align_t
