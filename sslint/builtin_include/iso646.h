/* sslint fallback <iso646.h>. The spellings are keywords in C++. */
#ifndef __sslint_iso646_h
#define __sslint_iso646_h 1
#ifndef __cplusplus
#define and &&
#define and_eq &=
#define bitand &
#define bitor |
#define compl ~
#define not !
#define not_eq !=
#define or ||
#define or_eq |=
#define xor ^
#define xor_eq ^=
#endif
#endif
