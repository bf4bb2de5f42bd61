/* A header of the project that is found (it sits beside the file), naming a type
 * of the missing config header as a function pointer's return type first: clang
 * then takes proj_int_t for the typedef's name, of function type. */
#ifndef HANDLER_H
#define HANDLER_H
#include <proj_config.h>

typedef proj_int_t (*proj_handler_pt)(void *data);
#endif
