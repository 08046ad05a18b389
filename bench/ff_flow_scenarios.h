/*
 * Flow scenarios of ff_bench (flowfabric-c only, for now):
 *
 *   flow-dag FLOWS STAGES WORKERS   FLOWS linear chains of STAGES members,
 *                                   each submitted with ONE ff_flow_submit,
 *                                   run by a worker of WORKERS slots that
 *                                   completes every member at once; flows/s
 *                                   (setup included), per-flow latency
 *                                   (submit -> last member ended) and
 *                                   per-stage latency (next member started -
 *                                   previous ended)
 */
#ifndef FF_BENCH_FLOW_SCENARIOS_H
#define FF_BENCH_FLOW_SCENARIOS_H

#include "common/bench_util.h"

void ffb_run_flow_dag(const char *url, bu_admin *admin, int flows, int stages, int workers);

#endif
