/* The raw-redis stream scenarios (raw_stream.c). */
#ifndef BENCH_RAW_STREAM_H
#define BENCH_RAW_STREAM_H

#include <hiredis/hiredis.h>

#include "common/bench_util.h"

/* Shared by the synchronous raw scenarios (streams, budgets): a blocking
 * connection, and one reply read (dies on an error reply). */
redisContext *raw_connect_sync(const char *host, int port);
void raw_get_reply(redisContext *c, const char *what);
/* @p n requests with at most @p window in flight on @p c: each is appended
 * by append(c, ud) and answered by @p replies replies. */
void raw_pipeline(redisContext *c, long n, int window, void (*append)(redisContext *, void *), void *ud, int replies,
                  const char *what);

void raw_run_stream_append(const char *host, int port, bu_admin *admin, long frames, int window);
void raw_run_stream_tail_latency(const char *host, int port, bu_admin *admin, int samples);

#endif
