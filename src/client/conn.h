/* What every connection the library opens to its server shares: where to
 * connect (TCP or unix socket, from the client's URL) and how to
 * authenticate. The pipelined connection (io.c) and the subscriber
 * connections (pubsub.c) both use it. */
#ifndef FF_CLIENT_CONN_H
#define FF_CLIENT_CONN_H

#include <stddef.h>

#include "client/client_int.h"

/* Start an asynchronous connection to the client's server, attached to the
 * client's loop, with ac->data = @p data. NULL when it could not even be
 * started (the caller retries later). I/O thread only. */
struct redisAsyncContext *ff__conn_open(ff_client *c, void *data);

/* The AUTH command for the client's credentials into argv/lens (3 slots):
 * returns its argc, 0 when the URL carries no password. */
int ff__conn_auth_argv(const ff_client *c, const char *argv[3], size_t lens[3]);

#endif
