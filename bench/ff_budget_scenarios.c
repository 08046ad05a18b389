/* budget-report of ff_bench and the budget helpers of s1-e2e-budget
 * (ff_budget_scenarios.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_budget_scenarios.h"
#include "ff_engine_scenarios.h"

#define SYSTEM "flowfabric-c"
#define WAIT_MS 30000
/* far above anything a run reports: no report ever breaches */
#define HARD_LIMIT 1000000000000000LL

const char *const ffb_budget_dims[FFB_BUDGET_NDIMS] = {"tokens", "cost_microusd"};
const int64_t ffb_budget_deltas[FFB_BUDGET_NDIMS] = {100, 7};

static void must(int st, ff_op *op, const char *what) {
    if (st != FF_OK) bu_die("%s: %s", what, ff_status_name(st));
    st = ff_op_wait(op, WAIT_MS);
    if (st != FF_OK) bu_die("%s: %s %s", what, ff_status_name(st), ff_op_errmsg(op));
}

void ffb_budget_create(ff_client *c, const char *id) {
    ff_budget_spec *s = NULL;
    if (ff_budget_spec_new(&s) != FF_OK) bu_die("ff_budget_spec_new");
    for (int k = 0; k < FFB_BUDGET_NDIMS; k++)
        if (ff_budget_spec_add_dimension(s, ffb_budget_dims[k], HARD_LIMIT, 0) != FF_OK) bu_die("add_dimension");
    ff_op *op = NULL;
    int st = ff_budget_create(c, id, s, NULL, NULL, &op);
    must(st, op, "ff_budget_create");
    if (strcmp(ff_op_text(op), "created") != 0) bu_die("ff_budget_create(%s): %s", id, ff_op_text(op));
    ff_op_free(op);
    ff_budget_spec_free(s);
}

long long ffb_budget_usage(ff_client *c, const char *id, const char *dim) {
    ff_op *op = NULL;
    int st = ff_budget_describe(c, id, NULL, NULL, &op);
    must(st, op, "ff_budget_describe");
    char want[96];
    snprintf(want, sizeof want, "\"%s\":{", dim);
    const char *p = strstr(ff_op_json(op), want);
    p = p ? strstr(p, "\"usage\":") : NULL;
    long long v = p ? strtoll(p + 8, NULL, 10) : -1;
    ff_op_free(op);
    return v;
}

/* One budget-report line: bursts of WINDOW reports (future mode, each burst
 * waited for) on a fresh budget; @p dedup: a distinct key per report. */
static void report_run(ff_client *c, bu_admin *admin, long reports, int window, int dedup) {
    const char *bid = dedup ? "bench-budget-dedup" : "bench-budget-nodedup";
    ffb_budget_create(c, bid);
    if (window < 1) window = 1;
    ff_op **ring = calloc((size_t)window, sizeof *ring);
    if (ring == NULL) bu_die("oom");
    long not_applied = 0;
    char key[64];
    bu_result r = {.scenario = dedup ? "budget-report" : "budget-report-nodedup", .system = SYSTEM,
                   .concurrency = window, .jobs = reports};
    bu_admin_snap(admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    for (long done = 0; done < reports;) {
        int burst = reports - done < window ? (int)(reports - done) : window;
        for (int k = 0; k < burst; k++) {
            if (dedup) snprintf(key, sizeof key, "bench-report-%ld", done + k);
            int st = ff_budget_report_usage(c, NULL, bid, ffb_budget_dims, ffb_budget_deltas, FFB_BUDGET_NDIMS,
                                            dedup ? key : NULL, NULL, NULL, &ring[k]);
            if (st != FF_OK) bu_die("ff_budget_report_usage: %s", ff_status_name(st));
        }
        for (int k = 0; k < burst; k++) {
            must(FF_OK, ring[k], "ff_budget_report_usage");
            if (strcmp(ff_op_text(ring[k]), "applied") != 0) not_applied++;
            ff_op_free(ring[k]);
        }
        done += burst;
    }
    r.elapsed_s = (double)(bu_now_ns() - t0) / 1e9;
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_admin_snap(admin, &r.s1);
    if (not_applied) bu_die("%s: %ld reports were not \"applied\"", r.scenario, not_applied);
    long long use = ffb_budget_usage(c, bid, ffb_budget_dims[0]);
    if (use != reports * ffb_budget_deltas[0])
        bu_die("%s: usage %lld after %ld reports of %lld", r.scenario, use, reports, (long long)ffb_budget_deltas[0]);
    r.redis_version = bu_admin_version(admin);
    r.note = dedup ? "ff_budget_report_usage of 2 dimensions, no claim (no lease check, no ledger), a distinct "
                     "dedup key per report; bursts of WINDOW calls (future mode) on one client, each burst waited "
                     "for; jobs = reports"
                   : "ff_budget_report_usage of 2 dimensions, no claim (no lease check, no ledger), no dedup key; "
                     "bursts of WINDOW calls (future mode) on one client, each burst waited for; jobs = reports";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "dimensions", FFB_BUDGET_NDIMS);
    bu_json_end(&j);
    free(ring);
}

void ffb_run_budget_report(const char *url, bu_admin *admin, long reports, int window) {
    ff_client *c = ffb_connect(url);
    report_run(c, admin, reports, window, 1);
    report_run(c, admin, reports, window, 0);
    ff_client_free(c);
}
