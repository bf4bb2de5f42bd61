/* The project's own configuration header: the generated one holds the switches. */
#include <app_auto_config.h>
