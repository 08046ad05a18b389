/*
 * Engine scenarios of ff_bench (flowfabric-c only; the peers have no engine):
 *
 *   idle-engine SECONDS ENGINES   Redis commands/s (nested commands counted)
 *                                 of ENGINES engines over an idle deployment
 *   retry-latency SAMPLES         a 200 ms fixed retry backoff: time from the
 *                                 failing call to the retry reaching a worker
 *                                 (fallback poll 60 s: engine + wake-up only)
 */
#ifndef FF_BENCH_ENGINE_SCENARIOS_H
#define FF_BENCH_ENGINE_SCENARIOS_H

#include <flowfabric.h>

#include "common/bench_util.h"

/* Connected client for url (dies on failure). */
ff_client *ffb_connect(const char *url);

void ffb_run_idle_engine(const char *url, bu_admin *admin, double seconds, int engines);
void ffb_run_retry_latency(const char *url, bu_admin *admin, int samples);

#endif
