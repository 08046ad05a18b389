/*
 * Budget scenarios of ff_bench (the raw-redis peer runs budget-report with
 * bare HINCRBY: bench/peers/raw_budget.c):
 *
 *   budget-report REPORTS WINDOW  REPORTS ff_budget_report_usage calls of 2
 *                                 dimensions on one budget (limits never
 *                                 reached), no claim, WINDOW calls in flight;
 *                                 reports/s, Redis CPU per report. Twice: with
 *                                 a distinct dedup key per call
 *                                 ("budget-report") and with none
 *                                 ("budget-report-nodedup")
 *   e2e-budget CONC N             s1-e2e (ff_bench.c) with every execution
 *                                 drawing on one budget and the handler
 *                                 reporting usage once per job
 *                                 ("s1-e2e-budget")
 */
#ifndef FF_BENCH_BUDGET_SCENARIOS_H
#define FF_BENCH_BUDGET_SCENARIOS_H

#include <flowfabric.h>

#include "common/bench_util.h"

/* The two dimensions every report carries and their deltas (the handler of
 * s1-e2e-budget reports the same). */
#define FFB_BUDGET_NDIMS 2
extern const char *const ffb_budget_dims[FFB_BUDGET_NDIMS];
extern const int64_t ffb_budget_deltas[FFB_BUDGET_NDIMS];

/* Create budget @p id with the two dimensions and hard limits no run
 * reaches (dies on failure). */
void ffb_budget_create(ff_client *c, const char *id);
/* The usage of dimension @p dim of budget @p id (ff_budget_describe), -1
 * when it cannot be read. */
long long ffb_budget_usage(ff_client *c, const char *id, const char *dim);

void ffb_run_budget_report(const char *url, bu_admin *admin, long reports, int window);

#endif
