/* sslint fallback <stdarg.h>: used only when no compiler's own builtin headers
 * were found. Everything maps onto clang's __builtin_va_* builtins.
 *
 * glibc's <stdio.h> defines __need___va_list and wants only __gnuc_va_list; it
 * then typedefs va_list itself under _VA_LIST_DEFINED, which we honour too. */
#ifndef __GNUC_VA_LIST
#define __GNUC_VA_LIST 1
typedef __builtin_va_list __gnuc_va_list;
#endif

#ifdef __need___va_list
#undef __need___va_list
#else

#if !defined(_VA_LIST) && !defined(_VA_LIST_DEFINED)
#define _VA_LIST 1
#define _VA_LIST_DEFINED 1
typedef __builtin_va_list va_list;
#endif

#define va_start(ap, param) __builtin_va_start(ap, param)
#define va_end(ap) __builtin_va_end(ap)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define __va_copy(dest, src) __builtin_va_copy(dest, src)
#if !defined(__STRICT_ANSI__) || __STDC_VERSION__ + 0 >= 199901L ||           \
    __cplusplus + 0 >= 201103L
#define va_copy(dest, src) __builtin_va_copy(dest, src)
#endif

#endif
