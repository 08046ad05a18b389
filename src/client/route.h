/* Routing: which connection a command goes to. Every command the library
 * sends on a command connection is routed here, from one place (io.c's
 * send_op), so cluster support (slot of the first key -> that node's link,
 * MOVED/ASK) is a change in route.c alone. Today there is one node: every
 * command goes to the client's command link.
 *
 * THREADING: I/O thread only. */
#ifndef FF_CLIENT_ROUTE_H
#define FF_CLIENT_ROUTE_H

#include "client/client_int.h"

struct ff__link;

/* The first key of @p cmd: FCALL/FCALL_RO name nkeys key... -> argv[3] when
 * nkeys > 0; other commands -> argv[1]; NULL when it has none. @p len gets
 * its length. */
const char *ff__cmd_first_key(const ff__cmd *cmd, size_t *len);
/* The link @p cmd goes to (never NULL while the client runs). */
struct ff__link *ff__route(ff_client *c, const ff__cmd *cmd);

#endif
