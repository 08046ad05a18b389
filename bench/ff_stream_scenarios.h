/*
 * Stream scenarios of ff_bench (the raw-redis peer runs the same two with
 * bare XADD / XREAD: bench/peers/raw_redis.c):
 *
 *   stream-append FRAMES WINDOW   one claimed execution; FRAMES durable
 *                                 frames of BENCH_FRAME_BYTES (256) bytes
 *                                 appended with WINDOW calls in flight;
 *                                 frames/s, Redis CPU per frame; then the
 *                                 same as ff_stream_append_many calls of
 *                                 WINDOW frames ("stream-append-many")
 *   stream-tail-latency SAMPLES   a tail blocked on the stream (its own
 *                                 client, dedicated connection) and an
 *                                 append from another client: time from the
 *                                 append call to the tail's completion
 */
#ifndef FF_BENCH_STREAM_SCENARIOS_H
#define FF_BENCH_STREAM_SCENARIOS_H

#include "common/bench_util.h"

void ffb_run_stream_append(const char *url, bu_admin *admin, long frames, int window);
void ffb_run_stream_tail_latency(const char *url, bu_admin *admin, int samples);

#endif
