/* An out-of-memory check macro: the process exits when the value is NULL. */
#ifndef PROJ_CHECK_H
#define PROJ_CHECK_H
void proj_exit_now(const char *file, int line) __attribute__((noreturn));
#define PROJ_DONE 0
#define MEM(x) do { if (!(x)) proj_exit_now(__FILE__, __LINE__); } while (0)
#endif
