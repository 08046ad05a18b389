/* The raw-redis stream scenarios (raw_stream.c). */
#ifndef BENCH_RAW_STREAM_H
#define BENCH_RAW_STREAM_H

#include "common/bench_util.h"

void raw_run_stream_append(const char *host, int port, bu_admin *admin, long frames, int window);
void raw_run_stream_tail_latency(const char *host, int port, bu_admin *admin, int samples);

#endif
