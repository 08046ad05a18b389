/* The raw-redis budget scenario (raw_budget.c). */
#ifndef BENCH_RAW_BUDGET_H
#define BENCH_RAW_BUDGET_H

#include "common/bench_util.h"

void raw_run_budget_report(const char *host, int port, bu_admin *admin, long reports, int window);

#endif
