/* Bodies that only name a project macro (defined in a header of the project) are
 * analysed too: the macro expands to SSL_free. */
#include "include/conn_macros.h"

void freed_twice_through_header_macro(SSL *s)
{
    CONN_DROP(s);
    CONN_DROP(s); /* expect: SSL101 */
}

void freed_once_through_header_macro(SSL *s)
{
    CONN_DROP(s); /* ok: SSL101 */
}
