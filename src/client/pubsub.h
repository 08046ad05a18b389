/* A subscriber connection: its own connection to the client's server
 * (never the pipelined one: a subscribed connection can run nothing else),
 * SUBSCRIBEd to a growing set of channels, reconnected with backoff and
 * re-subscribed after every loss. Users: the worker (lane wake-ups), the
 * engine (due times), waits for executions (completions).
 *
 * A message published while the connection was down is lost, so every user
 * treats FF__SUB_SUBSCRIBED (sent for each channel on every (re)subscription)
 * as "look again": whatever it waits for may have happened meanwhile.
 *
 * THREADING: I/O thread only, including every callback. */
#ifndef FF_CLIENT_PUBSUB_H
#define FF_CLIENT_PUBSUB_H

#include <stddef.h>

#include "client/client_int.h"

typedef struct ff__sub ff__sub;

enum { FF__SUB_MESSAGE = 0, FF__SUB_SUBSCRIBED = 1 };

/* event FF__SUB_MESSAGE: data/len = the message; FF__SUB_SUBSCRIBED: the
 * server confirmed chan (data NULL). Borrowed for the call only. */
typedef void (*ff__sub_fn)(void *ud, int event, const char *chan, size_t chan_len, const char *data,
                           size_t len);

/* NULL on OOM. Connects when the first channel is added. */
ff__sub *ff__sub_new(ff_client *c, ff__sub_fn fn, void *ud);
/* Subscribe to @p chan now and after every reconnect. The caller adds each
 * channel once. FF_OK or FF_ENOMEM. */
int ff__sub_add(ff__sub *s, const char *chan);
/* Close the connection; no callback runs after this returns. NULL-safe. */
void ff__sub_free(ff__sub *s);

#endif
