/* Written by the project's configure step (here by hand, for the test). */
#ifndef APP_SSL
#define APP_SSL 1
#endif
