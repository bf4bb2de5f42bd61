/* The project's generated configuration header: its types, return codes and
 * logging macros. testdata/noheaders/*.c include it; run without -I it is missing. */
#ifndef PROJ_CONFIG_H
#define PROJ_CONFIG_H
#include <stddef.h>

typedef long proj_int_t;
typedef unsigned long proj_uint_t;
typedef struct { size_t len; unsigned char *data; } proj_str_t;
typedef struct proj_log_s proj_log_t;
struct proj_log_s { int level; };

#define PROJ_OK        0
#define PROJ_ERROR    -1
#define PROJ_AGAIN    -2
#define PROJ_DECLINED -5

#define PROJ_LOG_ERR   4
#define PROJ_LOG_DEBUG 8

void proj_log_error_core(int level, proj_log_t *log, int err, const char *fmt, ...);
#define proj_log_error(lvl, log, ...) \
    if ((log)->level >= lvl) proj_log_error_core(lvl, log, __VA_ARGS__)
#define proj_log_debug0(mask, log, err, fmt) \
    if ((log)->level & mask) proj_log_error_core(PROJ_LOG_DEBUG, log, err, fmt)

/* A function-defining macro (tor's MOCK_IMPL) and an assertion macro giving back
 * its condition (tor's BUG): testdata/noheaders/defining_macros.c. */
#define PROJ_MOCK_IMPL(type, name, params) type name params
#define PROJ_BUG(cond) __builtin_expect(!!(cond), 0)

#define PROJ_EXPORT __attribute__((visibility("default")))
#define PROJ_API(type) __attribute__((visibility("default"))) type
#define PROJ_UNUSED __attribute__((unused))

#endif
