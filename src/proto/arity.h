/* The arity check: every FCALL / FCALL_RO the client sends is compared with
 * the server function table generated from the Lua header blocks
 * (src/proto/functions.c), so a command the library built wrong fails in the
 * client instead of reaching the server. */
#ifndef FF_PROTO_ARITY_H
#define FF_PROTO_ARITY_H

#include <stddef.h>

#include "proto/functions.h"

/* The table row of a server function, or NULL when there is none. */
const ff__fn_spec *ff__fn_find(const char *name);

/* argv/argvlen as handed to hiredis. Anything that is not FCALL/FCALL_RO
 * passes. Returns 0 when the command agrees with the table; otherwise -1 and
 * a one-line reason in err. */
int ff__arity_check(int argc, char *const *argv, const size_t *argvlen, char *err, size_t cap);

#endif
