/* The project's table of file descriptors (haproxy's fdtab): a global array of
 * structs. testdata/noheaders/fd_table.c includes it; without -I it is missing. */
#ifndef PROJ_FD_H
#define PROJ_FD_H
struct proj_fd { void *owner; void (*iocb)(int fd); };
extern struct proj_fd proj_fdtab[];
#endif
