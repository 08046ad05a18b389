/* Dedicated connections for blocking commands (stream tails: XREAD BLOCK).
 * A blocking command must never sit on the shared pipelined connection:
 * every command queued behind it would wait out its block. So each runs on
 * a connection of its own, from a bounded pool per client (at most
 * ff_client_opts_set_blocking_connections links, opened on first use and
 * kept): a request beyond the bound waits, in order, for a connection to
 * come free (its op's deadline still runs).
 *
 * A request whose owner gives up while its command is still blocked in the
 * server (ff__block_cancel: the op ended by deadline, cancel or client
 * shutdown) takes its connection down with it: the link is closed and a
 * fresh one opened for the next request, so an abandoned long block never
 * holds a pool slot.
 *
 * THREADING: I/O thread only, including every callback. */
#ifndef FF_CLIENT_BLOCKING_H
#define FF_CLIENT_BLOCKING_H

#include <hiredis/hiredis.h>

#include "client/client_int.h"

typedef struct ff__block ff__block;

/* The reply of the blocking command, borrowed for the call; NULL when its
 * connection dropped before the answer came (the caller decides whether to
 * retry: a blocking read is safe to repeat). */
typedef void (*ff__block_fn)(void *ud, const redisReply *r);

/* Run the command argv (copied) on a dedicated connection; fn(ud, reply)
 * runs exactly once, later, unless ff__block_cancel is called first. NULL
 * on OOM. */
ff__block *ff__block_run(ff_client *c, int argc, const char *const *argv, const size_t *lens, ff__block_fn fn,
                         void *ud);
/* Give up a request: fn never runs. NULL-safe. */
void ff__block_cancel(ff_client *c, ff__block *b);
/* Client shutdown, after every op completed: close every connection. */
void ff__blocking_close(ff_client *c);

#endif
