/* quorum-cancel of ff_bench (see ff_flow_scenarios.h): how long until the
 * losers of an any_of group are seen cancelled once one upstream won. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_engine_scenarios.h"
#include "ff_flow_scenarios.h"

#define SYSTEM "flowfabric-c"
#define LANE "bench-quorum"
#define WAIT_MS 30000
#define FEED_PAGE 1000

/* `st` is the call's return, *opp its op (an address: read after the call,
 * whatever order the arguments are evaluated in). */
static void must(int st, ff_op *const *opp, const char *what) {
    if (st != FF_OK) bu_die("quorum-cancel: %s: %s", what, ff_status_name(st));
    ff_op *op = *opp;
    st = ff_op_wait(op, WAIT_MS);
    if (st != FF_OK) bu_die("quorum-cancel: %s: %s %s", what, ff_status_name(st), ff_op_errmsg(op));
}

/* Wait for every op of a pipelined batch and free it. */
static void wait_all(ff_op **ops, int count, const char *what) {
    for (int i = 0; i < count; i++) {
        must(FF_OK, &ops[i], what);
        ff_op_free(ops[i]);
        ops[i] = NULL;
    }
}

typedef struct quorum_flow {
    char fid[160];
    uint32_t partition;
    char (*up)[160]; /* n upstream ids */
    char down[160];
} quorum_flow;

/* One root-less flow: n upstreams, each with an edge into one downstream
 * whose group is any_of + cancel_remaining. Built call by call (a submit
 * takes at most FF_FLOW_SUBMIT_MAX_MEMBERS members), pipelined; nothing
 * runs meanwhile (no worker), so no upstream ends before its edge exists. */
static void build_flow(ff_client *c, int n, quorum_flow *q, ff_op **ops) {
    ff_op *op = NULL;
    must(ff_flow_create(c, NULL, LANE, n + 1, n > 100 ? n : 0, NULL, NULL, &op), &op, "ff_flow_create");
    snprintf(q->fid, sizeof q->fid, "%s", ff_op_text(op));
    ff_op_free(op);
    if (sscanf(q->fid, "{fp:%u}", &q->partition) != 1) bu_die("quorum-cancel: flow id %s", q->fid);

    ff_exec_spec *m = NULL;
    if (ff_exec_spec_new(&m, "bench.quorum") != FF_OK || ff_exec_spec_set_lane(m, LANE) != FF_OK ||
        ff_exec_spec_set_flow(m, q->fid) != FF_OK)
        bu_die("quorum-cancel: member spec");
    for (int i = 0; i <= n; i++)
        if (ff_execution_create(c, m, NULL, NULL, &ops[i]) != FF_OK) bu_die("quorum-cancel: ff_execution_create");
    for (int i = 0; i <= n; i++) {
        must(FF_OK, &ops[i], "ff_execution_create");
        snprintf(i < n ? q->up[i] : q->down, 160, "%s", ff_op_execution_id(ops[i]));
        ff_op_free(ops[i]);
    }
    ff_exec_spec_free(m);

    op = NULL;
    must(ff_flow_set_group(c, q->fid, q->down, "any_of", 1, "cancel_remaining", NULL, NULL, &op), &op,
         "ff_flow_set_group");
    ff_op_free(op);
    for (int i = 0; i < n; i++)
        if (ff_flow_add_edge(c, q->fid, q->up[i], q->down, -1, 0, NULL, NULL, &ops[i]) != FF_OK)
            bu_die("quorum-cancel: ff_flow_add_edge");
    wait_all(ops, n, "ff_flow_add_edge");
}

static ff_claim *claim_one(ff_client *c, const ff_claim_opts *co) {
    ff_op *op = NULL;
    must(ff_lease_claim(c, co, NULL, NULL, &op), &op, "ff_lease_claim");
    ff_claim *cl = NULL;
    if (ff_op_claim_count(op) != 1 || ff_op_take_claim(op, 0, &cl) != FF_OK)
        bu_die("quorum-cancel: claim returned %zu executions", ff_op_claim_count(op));
    ff_op_free(op);
    return cl;
}

static void complete(ff_client *c, ff_claim *cl) {
    ff_op *op = NULL;
    must(ff_lease_complete(c, cl, NULL, 0, NULL, NULL, &op), &op, "ff_lease_complete");
    if (strcmp(ff_op_text(op), "completed") != 0) bu_die("quorum-cancel: complete: %s", ff_op_text(op));
    ff_op_free(op);
}

/* Read the partition's feed from *cursor until `want` cancelled members of
 * the flow were seen; woken by the appends (ff_flow_feed_wait), so an
 * ending that came later would be waited for, not polled. */
static void await_cancelled(ff_client *c, const quorum_flow *q, char *cursor, size_t cap, int want, int *reads) {
    int seen = 0;
    while (seen < want) {
        ff_op *op = NULL;
        must(ff_flow_feed_wait(c, q->partition, cursor, FEED_PAGE, WAIT_MS, NULL, NULL, &op), &op, "ff_flow_feed_wait");
        if (ff_op_int(op) != 0) bu_die("quorum-cancel: the feed was trimmed under the reader");
        size_t items = ff_op_item_count(op);
        for (size_t i = 0; i + FF_ITEMS_FLOW_FEED_STRIDE <= items; i += FF_ITEMS_FLOW_FEED_STRIDE)
            if (strcmp(ff_op_item(op, i + FF_ITEMS_FLOW_FEED_FLOW_ID), q->fid) == 0 &&
                strcmp(ff_op_item(op, i + FF_ITEMS_FLOW_FEED_KIND), "member") == 0 &&
                strcmp(ff_op_item(op, i + FF_ITEMS_FLOW_FEED_OUTCOME), "cancelled") == 0)
                seen++;
        snprintf(cursor, cap, "%s", ff_op_cursor(op));
        ff_op_free(op);
        (*reads)++;
    }
    if (seen != want) bu_die("quorum-cancel: %d cancelled members seen, expected %d", seen, want);
}

void ffb_run_quorum_cancel(const char *url, bu_admin *admin, int n, int reps) {
    if (n < 2 || n > 1000 || reps < 1) bu_die("quorum-cancel: N in 2..1000, REPS >= 1");
    ff_client *c = ffb_connect(url);
    /* Past one call's bound (256 units: the winner's edge + 255 cancels) the
     * other siblings wait in the sibling backlog for an engine's sweep, which
     * the completing call's due time wakes at once. */
    ff_engine *engine = NULL;
    if (n > 256 && ff_engine_start(&engine, c, NULL) != FF_OK) bu_die("quorum-cancel: ff_engine_start");
    ff_claim_opts *co = NULL;
    if (ff_claim_opts_new(&co) != FF_OK || ff_claim_opts_add_lane(co, LANE) != FF_OK ||
        ff_claim_opts_set_worker_id(co, "bench-quorum") != FF_OK)
        bu_die("claim opts");
    quorum_flow q;
    q.up = calloc((size_t)n, sizeof *q.up);
    ff_op **ops = calloc((size_t)n + 1, sizeof *ops);
    if (q.up == NULL || ops == NULL) bu_die("oom");

    bu_samples after_return, from_call, call;
    bu_samples_init(&after_return, (size_t)reps);
    bu_samples_init(&from_call, (size_t)reps);
    bu_samples_init(&call, (size_t)reps);
    double info_cpu = bu_admin_info_cpu_us(admin);
    double sum_cmds = 0, sum_cpu = 0, sum_ccpu = 0, sum_ms = 0;
    int feed_reads = 0;

    for (int rep = 0; rep < reps; rep++) {
        /* ---- setup, not timed: the flow, one claimed upstream, the cursor */
        build_flow(c, n, &q, ops);
        ff_claim *cl = claim_one(c, co);
        if (strcmp(ff_claim_execution_id(cl), q.down) == 0) bu_die("quorum-cancel: claimed the blocked downstream");
        ff_op *op = NULL;
        must(ff_flow_feed_read(c, q.partition, "$", 1, NULL, NULL, &op), &op, "ff_flow_feed_read");
        char cursor[128];
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);

        bu_redis_snap s0, s1;
        bu_admin_snap(admin, &s0);
        double ccpu0 = bu_process_cpu_us();
        /* ---- timed: the winning completion, then the feed until every
         * sibling is seen cancelled */
        uint64_t t0 = bu_now_ns();
        complete(c, cl);
        uint64_t t1 = bu_now_ns();
        await_cancelled(c, &q, cursor, sizeof cursor, n - 1, &feed_reads);
        uint64_t t2 = bu_now_ns();
        double ccpu1 = bu_process_cpu_us();
        bu_admin_snap(admin, &s1);
        ff_claim_free(cl);

        bu_samples_add(&after_return, (double)(t2 - t1) / 1e6);
        bu_samples_add(&from_call, (double)(t2 - t0) / 1e6);
        bu_samples_add(&call, (double)(t1 - t0) / 1e6);
        sum_ms += (double)(t2 - t0) / 1e6;
        sum_cmds += s1.cmds - s0.cmds - BU_SNAP_CMDS;
        sum_cpu += s1.cpu_us - s0.cpu_us - info_cpu;
        sum_ccpu += ccpu1 - ccpu0;

        /* ---- not timed: the released downstream runs, so the lane is empty
         * for the next repetition */
        cl = claim_one(c, co);
        if (strcmp(ff_claim_execution_id(cl), q.down) != 0)
            bu_die("quorum-cancel: claimed %s, expected the released downstream", ff_claim_execution_id(cl));
        complete(c, cl);
        ff_claim_free(cl);
    }

    /* bu_result_json takes s1 - s0 (minus one snapshot command): hand it
     * the sums over the timed intervals, already corrected per pair */
    bu_result r = {.scenario = "quorum-cancel", .system = SYSTEM, .concurrency = 1, .jobs = reps};
    r.s1.cmds = sum_cmds + BU_SNAP_CMDS;
    r.s1.cpu_us = sum_cpu;
    r.client_cpu_us = sum_ccpu;
    r.elapsed_s = sum_ms / 1000.0;
    r.lat = &after_return;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(admin);
    r.note = "one root-less flow per repetition: N upstreams -> 1 downstream, any_of + cancel_remaining; one client "
             "in future mode is the worker. latency = the winner's ff_lease_complete returned -> every sibling seen "
             "cancelled in the flow's completion feed (ff_flow_feed_wait from a cursor taken before): up to 255 "
             "cancels happen inside the completing call, the rest (N > 256) in the engine's sweeps of the sibling "
             "backlog (the client runs an engine then); from_call_* adds the call itself, complete_call_* is the "
             "call alone. redis_*/client_cpu per job = per repetition, timed intervals only";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "upstreams", n);
    bu_json_int(&j, "repetitions", reps);
    bu_json_num(&j, "from_call_p50_ms", bu_samples_pct(&from_call, 0.50), 3);
    bu_json_num(&j, "from_call_p99_ms", bu_samples_pct(&from_call, 0.99), 3);
    bu_json_num(&j, "complete_call_p50_ms", bu_samples_pct(&call, 0.50), 3);
    bu_json_num(&j, "complete_call_p99_ms", bu_samples_pct(&call, 0.99), 3);
    bu_json_num(&j, "feed_reads_per_rep", (double)feed_reads / reps, 2);
    bu_json_num(&j, "info_snap_cpu_us", info_cpu, 1);
    bu_json_end(&j);

    bu_samples_free(&after_return);
    bu_samples_free(&from_call);
    bu_samples_free(&call);
    ff_claim_opts_free(co);
    free(q.up);
    free(ops);
    ff_engine_stop(engine);
    ff_client_free(c);
}
