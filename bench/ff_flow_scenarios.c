/* Flow scenarios of ff_bench (see ff_flow_scenarios.h). */
#include "ff_flow_scenarios.h"

#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_engine_scenarios.h"

#define SYSTEM "flowfabric-c"
#define LANE "bench-flow"

/* Per member: when its handler started and when its completion returned.
 * Indexed flow * stages + stage; the member's payload carries that index. */
typedef struct flow_dag {
    int flows, stages;
    uint64_t *started_ns, *ended_ns, *submit_ns;
    atomic_int ended;
} flow_dag;

static void on_member(ff_task *t, void *ud) {
    flow_dag *d = ud;
    size_t len = 0;
    const char *p = ff_claim_payload(ff_task_claim(t), &len);
    char buf[16] = "";
    if (len == 0 || len >= sizeof buf) bu_die("flow-dag: member without its index payload");
    memcpy(buf, p, len);
    int at = atoi(buf);
    d->started_ns[at] = bu_now_ns();
    /* ended is stamped before the call: the call's own reply may arrive
     * after the next member already started (the release is in its FCALL) */
    d->ended_ns[at] = bu_now_ns();
    if (ff_task_complete(t, NULL, 0, NULL, NULL, NULL) != FF_OK) bu_die("ff_task_complete");
    atomic_fetch_add(&d->ended, 1);
}

static ff_flow_spec *chain_spec(int flow, int stages) {
    ff_flow_spec *f = NULL;
    if (ff_flow_spec_new(&f, NULL, LANE, 0, 0) != FF_OK) bu_die("flow spec");
    for (int s = 0; s < stages; s++) {
        ff_exec_spec *m = NULL;
        char idx[16];
        int n = snprintf(idx, sizeof idx, "%d", flow * stages + s);
        if (ff_exec_spec_new(&m, "bench.flow") != FF_OK || ff_exec_spec_set_lane(m, LANE) != FF_OK ||
            ff_exec_spec_set_payload(m, idx, (size_t)n) != FF_OK || ff_flow_spec_add_member(f, m, NULL) != FF_OK)
            bu_die("flow member");
        ff_exec_spec_free(m);
        if (s > 0 && ff_flow_spec_add_edge(f, (uint32_t)(s - 1), (uint32_t)s, 0) != FF_OK) bu_die("flow edge");
    }
    return f;
}

void ffb_run_flow_dag(const char *url, bu_admin *admin, int flows, int stages, int workers) {
    if (flows < 1 || stages < 1 || stages > FF_FLOW_SUBMIT_MAX_MEMBERS || workers < 1) bu_die("flow-dag: arguments");
    flow_dag d = {.flows = flows, .stages = stages};
    size_t n = (size_t)flows * (size_t)stages;
    d.started_ns = calloc(n, sizeof *d.started_ns);
    d.ended_ns = calloc(n, sizeof *d.ended_ns);
    d.submit_ns = calloc((size_t)flows, sizeof *d.submit_ns);
    if (!d.started_ns || !d.ended_ns || !d.submit_ns) bu_die("oom");
    /* the specs are built before the clock starts: they are client memory */
    ff_flow_spec **specs = calloc((size_t)flows, sizeof *specs);
    if (specs == NULL) bu_die("oom");
    for (int i = 0; i < flows; i++) specs[i] = chain_spec(i, stages);

    ff_client *c = ffb_connect(url);
    ff_client *wc = ffb_connect(url);
    ff_worker_opts *o = NULL;
    ff_worker *w = NULL;
    if (ff_worker_opts_new(&o) != FF_OK || ff_worker_opts_add_lane(o, LANE) != FF_OK ||
        ff_worker_opts_set_concurrency(o, (uint32_t)workers) != FF_OK || ff_worker_new(&w, wc, o) != FF_OK ||
        ff_worker_on(w, NULL, on_member, &d) != FF_OK || ff_worker_start(w) != FF_OK)
        bu_die("worker setup");
    ff_worker_opts_free(o);
    bu_sleep_ms(300);

    bu_result r = {.scenario = "flow-dag", .system = SYSTEM, .concurrency = workers, .jobs = flows};
    bu_admin_snap(admin, &r.s0);
    uint64_t t0 = bu_now_ns();
    ff_op **ops = calloc((size_t)flows, sizeof *ops);
    if (ops == NULL) bu_die("oom");
    for (int i = 0; i < flows; i++) {
        d.submit_ns[i] = bu_now_ns();
        if (ff_flow_submit(c, specs[i], NULL, NULL, &ops[i]) != FF_OK) bu_die("ff_flow_submit");
    }
    for (int i = 0; i < flows; i++) {
        if (ff_op_wait(ops[i], 30000) != FF_OK) bu_die("flow-dag: submit %d: %s", i, ff_op_errmsg(ops[i]));
        ff_op_free(ops[i]);
        ff_flow_spec_free(specs[i]);
    }
    /* the worker's handlers run on this thread, from its client's dispatch */
    uint64_t until = bu_now_ns() + 120ull * 1000000000ull;
    struct pollfd pf = {ff_client_fd(wc), POLLIN, 0};
    while (atomic_load(&d.ended) < (int)n) {
        if (bu_now_ns() > until) bu_die("flow-dag: only %d of %zu members ended", atomic_load(&d.ended), n);
        poll(&pf, 1, 5);
        ff_client_dispatch(wc, 0);
    }
    uint64_t t1 = bu_now_ns();
    bu_admin_snap(admin, &r.s1);

    bu_samples per_flow, per_stage;
    bu_samples_init(&per_flow, (size_t)flows);
    bu_samples_init(&per_stage, n);
    for (int i = 0; i < flows; i++) {
        size_t base = (size_t)i * (size_t)stages;
        bu_samples_add(&per_flow, (double)(d.ended_ns[base + (size_t)stages - 1] - d.submit_ns[i]) / 1e6);
        for (int s = 1; s < stages; s++) {
            uint64_t prev = d.ended_ns[base + (size_t)s - 1], next = d.started_ns[base + (size_t)s];
            bu_samples_add(&per_stage, next > prev ? (double)(next - prev) / 1e6 : 0.0);
        }
    }
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.lat = &per_flow;
    r.redis_version = bu_admin_version(admin);
    r.note = "throughput = flows/s, setup included (one ff_flow_submit per flow); latency = per flow, submit -> "
             "last member ended; stage = next member's handler start - previous member's completion call";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "stages", stages);
    bu_json_num(&j, "stage_p50_ms", bu_samples_pct(&per_stage, 0.50), 3);
    bu_json_num(&j, "stage_p99_ms", bu_samples_pct(&per_stage, 0.99), 3);
    bu_json_end(&j);
    bu_samples_free(&per_flow);
    bu_samples_free(&per_stage);
    ff_worker_stop(w, 5000);
    ff_worker_free(w);
    ff_client_free(wc);
    ff_client_free(c);
    free(ops);
    free(specs);
    free(d.started_ns);
    free(d.ended_ns);
    free(d.submit_ns);
}
