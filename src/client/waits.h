/* The client's registry of ff_execution_wait ops: one lazily opened
 * subscriber connection (client/pubsub.c) for every wait of the client,
 * subscribed once per partition to ff:done:{fp:N} (message: execution id),
 * and the waits of each partition.
 *
 * The registry only tells a wait WHEN to look at the server; the wait op
 * (ops/wait.c) does the looking:
 *   FF__WAIT_CHECK  its partition's channel is (re)confirmed: anything may
 *                   have ended while it was not, look now (mark or re-mark);
 *   FF__WAIT_DONE   a message named its execution.
 * THREADING: I/O thread only. */
#ifndef FF_CLIENT_WAITS_H
#define FF_CLIENT_WAITS_H

#include <stdint.h>

#include "client/client_int.h"

typedef struct ff__waits ff__waits;

enum { FF__WAIT_CHECK = 1, FF__WAIT_DONE = 2 };
typedef void (*ff__wait_fn)(ff_op *op, int event);

/* Register @p op (waiting for @p eid, borrowed until ff__waits_remove, on
 * @p partition < ff_client_partitions). When the channel is already
 * confirmed, fn(op, FF__WAIT_CHECK) runs before this returns. FF_OK or
 * FF_ENOMEM. */
int ff__waits_add(ff_client *c, ff_op *op, uint32_t partition, const char *eid, ff__wait_fn fn);
/* Forget @p op, registered on @p partition (no-op when it is not). */
void ff__waits_remove(ff_client *c, ff_op *op, uint32_t partition);
/* Client shutdown, after every op completed: close the subscriber. */
void ff__waits_close(ff_client *c);

#endif
