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
/* edges one server call resolves (D.MAX_WORK, docs/flows.md "Bounded
 * work"): a wider fan-out continues in the engine's backlog sweep */
#define INLINE_EDGES 256

/* Per member: when its handler started and when its completion call was
 * made. Indexed flow * per_flow + member; the member's payload carries that
 * index, so the handler needs no lookup. */
typedef struct flow_run {
    int flows, per_flow;
    uint64_t *started_ns, *ended_ns, *submit_ns;
    atomic_int ended;
} flow_run;

static void on_member(ff_task *t, void *ud) {
    flow_run *d = ud;
    size_t len = 0;
    const char *p = ff_claim_payload(ff_task_claim(t), &len);
    char buf[16] = "";
    if (len == 0 || len >= sizeof buf) bu_die("flow: member without its index payload");
    memcpy(buf, p, len);
    int at = atoi(buf);
    d->started_ns[at] = bu_now_ns();
    /* ended is stamped before the call: the call's own reply may arrive
     * after the next member already started (the release is in its FCALL) */
    d->ended_ns[at] = bu_now_ns();
    if (ff_task_complete(t, NULL, 0, NULL, NULL, NULL) != FF_OK) bu_die("ff_task_complete");
    atomic_fetch_add(&d->ended, 1);
}

static void add_member(ff_flow_spec *f, int index) {
    ff_exec_spec *m = NULL;
    char idx[16];
    int n = snprintf(idx, sizeof idx, "%d", index);
    if (ff_exec_spec_new(&m, "bench.flow") != FF_OK || ff_exec_spec_set_lane(m, LANE) != FF_OK ||
        ff_exec_spec_set_payload(m, idx, (size_t)n) != FF_OK || ff_flow_spec_add_member(f, m, NULL) != FF_OK)
        bu_die("flow member");
    ff_exec_spec_free(m);
}

/* Run every spec to its end on one worker of `workers` slots: the clock
 * runs from the first ff_flow_submit to the last member's completion call
 * (setup included); `r` gets the snapshots and the interval. The specs are
 * built by the caller before (client memory) and freed here. */
static void run_flows(const char *url, bu_admin *admin, ff_flow_spec **specs, flow_run *d, int workers, int engine,
                      bu_result *r) {
    size_t n = (size_t)d->flows * (size_t)d->per_flow;
    ff_client *c = ffb_connect(url);
    ff_client *wc = ffb_connect(url);
    ff_worker_opts *o = NULL;
    ff_worker *w = NULL;
    if (ff_worker_opts_new(&o) != FF_OK || ff_worker_opts_add_lane(o, LANE) != FF_OK ||
        ff_worker_opts_set_concurrency(o, (uint32_t)workers) != FF_OK ||
        ff_worker_opts_set_engine(o, engine) != FF_OK || ff_worker_new(&w, wc, o) != FF_OK ||
        ff_worker_on(w, NULL, on_member, d) != FF_OK || ff_worker_start(w) != FF_OK)
        bu_die("worker setup");
    ff_worker_opts_free(o);
    bu_sleep_ms(300);

    bu_admin_snap(admin, &r->s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    ff_op **ops = calloc((size_t)d->flows, sizeof *ops);
    if (ops == NULL) bu_die("oom");
    for (int i = 0; i < d->flows; i++) {
        d->submit_ns[i] = bu_now_ns();
        if (ff_flow_submit(c, specs[i], NULL, NULL, &ops[i]) != FF_OK) bu_die("ff_flow_submit");
    }
    for (int i = 0; i < d->flows; i++) {
        if (ff_op_wait(ops[i], 30000) != FF_OK) bu_die("flow: submit %d: %s", i, ff_op_errmsg(ops[i]));
        ff_op_free(ops[i]);
        ff_flow_spec_free(specs[i]);
    }
    /* the worker's handlers run on this thread, from its client's dispatch */
    uint64_t until = bu_now_ns() + 120ull * 1000000000ull;
    struct pollfd pf = {ff_client_fd(wc), POLLIN, 0};
    while (atomic_load(&d->ended) < (int)n) {
        if (bu_now_ns() > until) bu_die("flow: only %d of %zu members ended", atomic_load(&d->ended), n);
        poll(&pf, 1, 5);
        ff_client_dispatch(wc, 0);
    }
    uint64_t t1 = bu_now_ns();
    r->client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_admin_snap(admin, &r->s1);
    r->elapsed_s = (double)(t1 - t0) / 1e9;
    r->redis_version = bu_admin_version(admin);
    ff_worker_stop(w, 5000);
    ff_worker_free(w);
    ff_client_free(wc);
    ff_client_free(c);
    free(ops);
}

static void flow_run_init(flow_run *d, int flows, int per_flow) {
    size_t n = (size_t)flows * (size_t)per_flow;
    memset(d, 0, sizeof *d);
    d->flows = flows;
    d->per_flow = per_flow;
    d->started_ns = calloc(n, sizeof *d->started_ns);
    d->ended_ns = calloc(n, sizeof *d->ended_ns);
    d->submit_ns = calloc((size_t)flows, sizeof *d->submit_ns);
    if (!d->started_ns || !d->ended_ns || !d->submit_ns) bu_die("oom");
}

static void flow_run_free(flow_run *d) {
    free(d->started_ns);
    free(d->ended_ns);
    free(d->submit_ns);
}

static double gap_ms(uint64_t from, uint64_t to) { return to > from ? (double)(to - from) / 1e6 : 0.0; }

/* ------------------------------------------------------------ flow-dag */

static ff_flow_spec *chain_spec(int flow, int stages) {
    ff_flow_spec *f = NULL;
    if (ff_flow_spec_new(&f, NULL, LANE, 0, 0) != FF_OK) bu_die("flow spec");
    for (int s = 0; s < stages; s++) {
        add_member(f, flow * stages + s);
        if (s > 0 && ff_flow_spec_add_edge(f, (uint32_t)(s - 1), (uint32_t)s, 0) != FF_OK) bu_die("flow edge");
    }
    return f;
}

void ffb_run_flow_dag(const char *url, bu_admin *admin, int flows, int stages, int workers) {
    if (flows < 1 || stages < 1 || stages > FF_FLOW_SUBMIT_MAX_MEMBERS || workers < 1) bu_die("flow-dag: arguments");
    flow_run d;
    flow_run_init(&d, flows, stages);
    ff_flow_spec **specs = calloc((size_t)flows, sizeof *specs);
    if (specs == NULL) bu_die("oom");
    for (int i = 0; i < flows; i++) specs[i] = chain_spec(i, stages);

    bu_result r = {.scenario = "flow-dag", .system = SYSTEM, .concurrency = workers, .jobs = flows};
    run_flows(url, admin, specs, &d, workers, 0, &r);

    bu_samples per_flow, per_stage;
    bu_samples_init(&per_flow, (size_t)flows);
    bu_samples_init(&per_stage, (size_t)flows * (size_t)stages);
    for (int i = 0; i < flows; i++) {
        size_t base = (size_t)i * (size_t)stages;
        bu_samples_add(&per_flow, gap_ms(d.submit_ns[i], d.ended_ns[base + (size_t)stages - 1]));
        for (int s = 1; s < stages; s++)
            bu_samples_add(&per_stage, gap_ms(d.ended_ns[base + (size_t)s - 1], d.started_ns[base + (size_t)s]));
    }
    r.lat = &per_flow;
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
    free(specs);
    flow_run_free(&d);
}

/* --------------------------------------------------------- flow-fanout */

/* root (index 0) -> N children (1..N) -> join (N + 1, all_of: the default) */
static ff_flow_spec *fanout_spec(int flow, int width) {
    int per = width + 2;
    ff_flow_spec *f = NULL;
    /* the join has `width` incoming edges: the default limit is 100 */
    if (ff_flow_spec_new(&f, NULL, LANE, 0, width > 100 ? width : 0) != FF_OK) bu_die("flow spec");
    for (int k = 0; k < per; k++) add_member(f, flow * per + k);
    for (int k = 1; k <= width; k++)
        if (ff_flow_spec_add_edge(f, 0, (uint32_t)k, 0) != FF_OK ||
            ff_flow_spec_add_edge(f, (uint32_t)k, (uint32_t)(width + 1), 0) != FF_OK)
            bu_die("flow edge");
    return f;
}

void ffb_run_flow_fanout(const char *url, bu_admin *admin, int flows, int width, int workers) {
    if (flows < 1 || width < 1 || width + 2 > FF_FLOW_SUBMIT_MAX_MEMBERS || workers < 1)
        bu_die("flow-fanout: arguments (N in 1..%d)", FF_FLOW_SUBMIT_MAX_MEMBERS - 2);
    int per = width + 2;
    flow_run d;
    flow_run_init(&d, flows, per);
    ff_flow_spec **specs = calloc((size_t)flows, sizeof *specs);
    if (specs == NULL) bu_die("oom");
    for (int i = 0; i < flows; i++) specs[i] = fanout_spec(i, width);

    /* the root's completion releases `width` members in its own call up to
     * INLINE_EDGES; past that the rest waits for an engine's sweep */
    int engine = width > INLINE_EDGES;
    bu_result r = {.scenario = "flow-fanout", .system = SYSTEM, .concurrency = workers, .jobs = flows};
    run_flows(url, admin, specs, &d, workers, engine, &r);

    bu_samples per_flow, fan, join;
    bu_samples_init(&per_flow, (size_t)flows);
    bu_samples_init(&fan, (size_t)flows);
    bu_samples_init(&join, (size_t)flows);
    for (int i = 0; i < flows; i++) {
        size_t base = (size_t)i * (size_t)per;
        uint64_t last_start = 0, last_end = 0;
        for (int k = 1; k <= width; k++) {
            if (d.started_ns[base + (size_t)k] > last_start) last_start = d.started_ns[base + (size_t)k];
            if (d.ended_ns[base + (size_t)k] > last_end) last_end = d.ended_ns[base + (size_t)k];
        }
        bu_samples_add(&per_flow, gap_ms(d.submit_ns[i], d.ended_ns[base + (size_t)width + 1]));
        bu_samples_add(&fan, gap_ms(d.ended_ns[base], last_start));
        bu_samples_add(&join, gap_ms(last_end, d.started_ns[base + (size_t)width + 1]));
    }
    r.lat = &per_flow;
    r.note = engine ? "root -> N -> join (all_of) in one ff_flow_submit per flow; throughput = flows/s, setup "
                      "included; latency = per flow, submit -> join ended; N > 256: the worker runs the engine, "
                      "whose backlog sweep releases the children one call cannot"
                    : "root -> N -> join (all_of) in one ff_flow_submit per flow; throughput = flows/s, setup "
                      "included; latency = per flow, submit -> join ended; fanout = root's completion call -> "
                      "last child started; join = last child's completion call -> join started";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "width", width);
    bu_json_int(&j, "members_per_flow", per);
    bu_json_num(&j, "fanout_p50_ms", bu_samples_pct(&fan, 0.50), 3);
    bu_json_num(&j, "fanout_p99_ms", bu_samples_pct(&fan, 0.99), 3);
    bu_json_num(&j, "join_p50_ms", bu_samples_pct(&join, 0.50), 3);
    bu_json_num(&j, "join_p99_ms", bu_samples_pct(&join, 0.99), 3);
    bu_json_end(&j);
    bu_samples_free(&per_flow);
    bu_samples_free(&fan);
    bu_samples_free(&join);
    free(specs);
    flow_run_free(&d);
}
