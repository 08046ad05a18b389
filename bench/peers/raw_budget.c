/*
 * The raw-redis floor of budget-report (ff_budget_scenarios.h): what one
 * usage report of 2 dimensions costs as bare counters, with no limit check,
 * no dedup, no breach accounting, no validation:
 *
 *   budget-report REPORTS WINDOW   HINCRBY raw:b:use tokens 100 +
 *                                  HINCRBY raw:b:use cost_microusd 7 per
 *                                  report, WINDOW reports (2 x WINDOW
 *                                  commands) in flight on one connection
 */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers/raw_budget.h"
#include "peers/raw_stream.h"

#define SYSTEM "raw-redis"
#define UKEY "raw:b:use"
#define NDIMS 2

static const char *const dims[NDIMS] = {"tokens", "cost_microusd"};
static const char *const deltas[NDIMS] = {"100", "7"};

static void append_report(redisContext *c, void *ud) {
    (void)ud;
    for (int k = 0; k < NDIMS; k++) {
        const char *argv[] = {"HINCRBY", UKEY, dims[k], deltas[k]};
        if (redisAppendCommandArgv(c, 4, argv, NULL) != REDIS_OK) bu_die("HINCRBY: %s", c->errstr);
    }
}

void raw_run_budget_report(const char *host, int port, bu_admin *admin, long reports, int window) {
    redisContext *c = raw_connect_sync(host, port);
    if (window < 1) window = 1;
    bu_result r = {.scenario = "budget-report", .system = SYSTEM, .concurrency = window, .jobs = reports};
    bu_admin_snap(admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    raw_pipeline(c, reports, window, append_report, NULL, NDIMS, "HINCRBY");
    r.elapsed_s = (double)(bu_now_ns() - t0) / 1e9;
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_admin_snap(admin, &r.s1);
    redisReply *x = redisCommand(c, "HGET %s %s", UKEY, dims[0]);
    if (x == NULL || x->type != REDIS_REPLY_STRING || atoll(x->str) != reports * 100)
        bu_die("budget-report: %s = %s after %ld reports", UKEY, x && x->str ? x->str : "?", reports);
    freeReplyObject(x);
    r.redis_version = bu_admin_version(admin);
    r.note = "raw-redis floor: one HINCRBY per dimension (2) per report, no limit check, no dedup; WINDOW reports "
             "in flight on one connection; jobs = reports";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "dimensions", NDIMS);
    bu_json_end(&j);
    redisFree(c);
}
