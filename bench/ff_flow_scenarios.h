/*
 * Flow scenarios of ff_bench (flow-dag and flow-fanout have a BullMQ peer:
 * bench/peers/bullmq/flows.mjs):
 *
 *   flow-dag FLOWS STAGES WORKERS   FLOWS linear chains of STAGES members,
 *                                   each submitted with ONE ff_flow_submit,
 *                                   run by a worker of WORKERS slots that
 *                                   completes every member at once; flows/s
 *                                   (setup included), per-flow latency
 *                                   (submit -> last member ended) and
 *                                   per-stage latency (next member started -
 *                                   previous ended)
 *   flow-fanout FLOWS N WORKERS     FLOWS flows root -> N -> join (all_of),
 *                                   each ONE ff_flow_submit, the same worker;
 *                                   flows/s (setup included), per-flow latency
 *                                   (submit -> join ended), fan-out (root's
 *                                   completion call -> last child started) and
 *                                   join (last child's completion call -> join
 *                                   started) latency
 *   quorum-cancel N REPS            (ff_quorum_cancel.c) REPS root-less flows of
 *                                   N upstreams -> 1 downstream, any_of +
 *                                   cancel_remaining; one upstream completed,
 *                                   then the time until the N-1 siblings are
 *                                   seen cancelled in the completion feed
 */
#ifndef FF_BENCH_FLOW_SCENARIOS_H
#define FF_BENCH_FLOW_SCENARIOS_H

#include "common/bench_util.h"

void ffb_run_flow_dag(const char *url, bu_admin *admin, int flows, int stages, int workers);
void ffb_run_flow_fanout(const char *url, bu_admin *admin, int flows, int width, int workers);
void ffb_run_quorum_cancel(const char *url, bu_admin *admin, int n, int reps);

#endif
