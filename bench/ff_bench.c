/*
 * ff_bench: the FlowFabric C side of the benchmark (system "flowfabric-c").
 *
 *   ff_bench URL e2e      CONC N          submit -> claim -> complete, producer running
 *   ff_bench URL process  CONC N          pre-seed N, then time the workers draining them
 *   ff_bench URL latency  ROUNDS SAMPLES  idle worker; submit 1, wait until completed
 *   ff_bench URL idle     SECONDS         Redis commands/s caused by an idle worker
 *   ff_bench URL memory   N               used_memory per pending execution
 *   ff_bench URL suspend-resume ROUNDS SAMPLES
 *                                         suspend -> signal -> resumed claim -> complete
 *   ff_bench URL idle-engine SECONDS ENGINES
 *                                         Redis commands/s of idle engines
 *   ff_bench URL retry-latency SAMPLES    200 ms backoff -> retry reaches a worker
 *   ff_bench URL flow-dag FLOWS STAGES WORKERS  chains submitted with ff_flow_submit (ff_flow_scenarios.h)
 *   ff_bench URL flow-fanout FLOWS N WORKERS    root -> N -> join flows (ff_flow_scenarios.h)
 *   ff_bench URL stream-append FRAMES WINDOW    durable frames, WINDOW in flight (ff_stream_scenarios.h)
 *   ff_bench URL stream-tail-latency SAMPLES    append -> a blocked tail returns it
 *   ff_bench URL quorum-cancel N REPS           any_of + cancel_remaining over N upstreams (ff_flow_scenarios.h)
 *   ff_bench URL budget-report REPORTS WINDOW   usage reports, WINDOW in flight (ff_budget_scenarios.h)
 *   ff_bench URL e2e-budget CONC N              e2e, every execution on one budget, one report per job
 *   ff_bench URL e2e-quota CONC N GROUPS CAP    e2e, submits round robin over GROUPS groups, each capped at CAP
 *   ff_bench URL fairness N grouped|fifo        a flood of N and a small tenant: the small one's latency
 *
 * URL is redis://127.0.0.1:PORT of a PRIVATE server (bench/run flushes it
 * between systems). Prints one JSON line per run on stdout.
 *
 * Knobs (environment): BENCH_PAYLOAD (4096 bytes, e2e/process/latency),
 * BENCH_MEM_PAYLOAD (16 bytes, memory), BENCH_SUBMIT_WINDOW (128 submits in
 * flight), BENCH_REFILL (claim when this many slots are free; default
 * max(1, CONC/4)), BENCH_POLL_MS (idle poll interval, 100), BENCH_BUSY_POLL_MIN_MS
 * (first back-off after an empty claim in throughput runs, 1), BENCH_WARMUP (5),
 * BENCH_SR_PAYLOAD (16 bytes, suspend-resume), BENCH_BUDGET_REPORT (async:
 * the e2e-budget handler reports fire and forget and completes at once;
 * wait: it completes once the report was answered).
 *
 * Every job's payload starts with the CLOCK_MONOTONIC time (ns) taken right
 * before its submit call: the worker computes submit->complete latency from
 * it when the server acknowledged the completion.
 */
#define _GNU_SOURCE
#include <flowfabric.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bench_util.h"
#include "ff_budget_scenarios.h"
#include "ff_engine_scenarios.h"
#include "ff_flow_scenarios.h"
#include "ff_stream_scenarios.h"
#include "ff_worker_loop.h"

#define SYSTEM "flowfabric-c"
#define LANE "bench"

static const char *g_url;
static bu_admin *g_admin;

/* ----------------------------------------------------------- client */

static ff_client *connect_client(void) { return ffb_connect(g_url); }

/* BENCH_BUDGET_REPORT: how the s1-e2e-budget handler reports (ff_worker_loop.h) */
static const char *report_mode(void) {
    const char *m = getenv("BENCH_BUDGET_REPORT");
    if (m == NULL || *m == 0) return "async";
    if (strcmp(m, "async") != 0 && strcmp(m, "wait") != 0) bu_die("BENCH_BUDGET_REPORT must be async or wait");
    return m;
}

/* --------------------------------------------------------- producer */

/* Keeps `window` submits in flight until `total` were acknowledged. */
typedef struct producer {
    ff_client *c;
    ff_exec_spec *spec;
    unsigned char *payload;
    size_t payload_len;
    long total, started, acked, errors;
    int window;
    int groups; /* > 0: submit k gets group "g<k mod groups>" (s1-e2e-quota) */
} producer;

static void producer_init(producer *p, ff_client *c, size_t payload_len, long total, int window) {
    memset(p, 0, sizeof *p);
    p->c = c;
    p->total = total;
    p->window = window < 1 ? 1 : window;
    p->payload_len = payload_len < 8 ? 8 : payload_len;
    p->payload = malloc(p->payload_len);
    if (p->payload == NULL) bu_die("out of memory");
    for (size_t i = 0; i < p->payload_len; i++) p->payload[i] = (unsigned char)('a' + i % 26);
    if (ff_exec_spec_new(&p->spec, "bench.noop") != FF_OK) bu_die("ff_exec_spec_new");
    if (ff_exec_spec_set_lane(p->spec, LANE) != FF_OK) bu_die("set_lane");
}

static void producer_free(producer *p) {
    ff_exec_spec_free(p->spec);
    free(p->payload);
}

static void stamp_payload(producer *p) {
    uint64_t t = bu_now_ns();
    memcpy(p->payload, &t, sizeof t);
    if (ff_exec_spec_set_payload(p->spec, p->payload, p->payload_len) != FF_OK) bu_die("set_payload");
}

static void producer_refill(producer *p);

static void on_created(ff_op *op, void *ud) {
    producer *p = ud;
    int st = ff_op_status(op);
    p->acked++;
    if (st != FF_OK && p->errors++ < 5)
        fprintf(stderr, "bench: ff_execution_create failed: %s %s\n", ff_status_name(st), ff_op_errmsg(op));
    producer_refill(p);
}

static void producer_refill(producer *p) {
    while (p->started < p->total && p->started - p->acked < p->window) {
        stamp_payload(p);
        if (p->groups > 0) {
            char g[32];
            snprintf(g, sizeof g, "g%ld", p->started % p->groups);
            if (ff_exec_spec_set_group(p->spec, g) != FF_OK) bu_die("set_group");
        }
        int st = ff_execution_create(p->c, p->spec, on_created, p, NULL);
        if (st != FF_OK) bu_die("ff_execution_create(start): %s", ff_status_name(st));
        p->started++;
    }
}

/* Run the producer on the calling thread until every submit was acked. */
static void producer_run(producer *p) {
    struct pollfd pfd = {.fd = ff_client_fd(p->c), .events = POLLIN};
    producer_refill(p);
    while (p->acked < p->total) {
        int pr = poll(&pfd, 1, 1000);
        if (pr < 0 && errno != EINTR) bu_die("poll: %s", strerror(errno));
        ff_client_dispatch(p->c, 0);
    }
    if (p->errors) bu_die("%ld submits failed", p->errors);
}

/* ------------------------------------------------ completion tracking */

typedef struct tracker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long done;
    long target;
    uint64_t last_done_ns;
    bu_samples lat; /* only written on the worker thread */
    bu_samples small; /* fairness: the single-execution tenant's latencies */
    long small_done;
    int record_latency;
} tracker;

static void tracker_init(tracker *t, long target, int record_latency) {
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->done = 0;
    t->target = target;
    t->last_done_ns = 0;
    t->record_latency = record_latency;
    bu_samples_init(&t->lat, target > 0 ? (size_t)target : 16);
    bu_samples_init(&t->small, 1024);
    t->small_done = 0;
}

static void on_done(void *ud, const void *payload, size_t len, uint64_t done_ns) {
    tracker *t = ud;
    if (t->record_latency && len >= 8) {
        uint64_t t0;
        memcpy(&t0, payload, sizeof t0);
        bu_samples_add(&t->lat, (double)(done_ns - t0) / 1e6);
    }
    /* fairness: the small tenant's payloads are 16 bytes, byte 8 'S' */
    if (len == 16 && ((const unsigned char *)payload)[8] == 'S') {
        uint64_t t0;
        memcpy(&t0, payload, sizeof t0);
        pthread_mutex_lock(&t->mu);
        bu_samples_add(&t->small, (double)(done_ns - t0) / 1e6);
        t->small_done++;
        pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->mu);
        return;
    }
    pthread_mutex_lock(&t->mu);
    t->done++;
    t->last_done_ns = done_ns;
    if (t->done >= t->target) pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

static void tracker_wait(tracker *t, long target) {
    pthread_mutex_lock(&t->mu);
    while (t->done < target) pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

static bw_worker *start_worker_budget(int conc, int poll_min_ms, int poll_max_ms, tracker *t, bw_config *cfg_out,
                                      const char *budget_id) {
    bw_config cfg = {0};
    cfg.budget_id = budget_id;
    cfg.report_wait = budget_id && strcmp(report_mode(), "wait") == 0;
    cfg.url = g_url;
    cfg.lane = LANE;
    cfg.concurrency = conc;
    long refill = bu_env_long("BENCH_REFILL", conc / 4);
    cfg.refill = refill < 1 ? 1 : (int)refill;
    cfg.claims_in_flight = (int)bu_env_long("BENCH_CLAIMS_IN_FLIGHT", 2);
    cfg.poll_min_ms = poll_min_ms;
    cfg.poll_max_ms = poll_max_ms;
    cfg.on_done = on_done;
    cfg.ud = t;
    bw_worker *w = NULL;
    char err[512] = "";
    if (bw_start(&w, &cfg, err, sizeof err) != 0) bu_die("worker start: %s", err);
    if (cfg_out) *cfg_out = cfg;
    return w;
}

static bw_worker *start_worker(int conc, int poll_min_ms, int poll_max_ms, tracker *t, bw_config *cfg_out) {
    return start_worker_budget(conc, poll_min_ms, poll_max_ms, t, cfg_out, NULL);
}

static void add_worker_stats(bu_json *j, const bw_stats *ws) {
    if (ws->runtime) {
        bu_json_str(j, "worker", "runtime");
        bu_json_int(j, "worker_wakeups", (long long)ws->wakeups);
        bu_json_int(j, "worker_polls", (long long)ws->polls);
        bu_json_int(j, "worker_errors", (long long)ws->errors);
        return;
    }
    bu_json_str(j, "worker", "claim-loop");
    bu_json_int(j, "claim_calls", (long long)ws->claim_calls);
    bu_json_int(j, "empty_claims", (long long)ws->empty_claims);
    bu_json_num(j, "avg_claim_batch",
                ws->claim_calls > ws->empty_claims
                    ? (double)ws->claimed / (double)(ws->claim_calls - ws->empty_claims)
                    : 0,
                2);
    bu_json_int(j, "worker_errors", (long long)ws->errors);
}

/* -------------------------------------------------------- scenarios */

static int poll_max_ms(void) { return (int)bu_env_long("BENCH_POLL_MS", 100); }

/* After the run, not timed: every job's report must have reached the budget
 * (fire-and-forget reports may land after the last completion: wait a
 * little for them). */
static void check_budget_usage(ff_client *c, const char *budget_id, long n) {
    long long want = n * ffb_budget_deltas[0], use = -1;
    for (int i = 0; i < 100 && use != want; i++) {
        if (i) bu_sleep_ms(20);
        use = ffb_budget_usage(c, budget_id, ffb_budget_dims[0]);
    }
    if (use != want) bu_die("s1-e2e-budget: budget usage %lld, expected %lld", use, want);
}

/* s1-e2e: worker running; producer submits N with `window` in flight;
 * time from the first submit to the last acknowledged completion. With
 * @p budget_id (s1-e2e-budget, ff_budget_scenarios.h): every execution
 * draws on that budget, created first, and the handler reports usage on it
 * once per job. */
static void run_e2e_admitted(int conc, long n, const char *budget_id, int groups, int cap) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    ff_client *pc = connect_client();
    producer p;
    producer_init(&p, pc, payload, n, window);
    if (groups > 0) {
        /* s1-e2e-quota: the lane's policy caps each group at `cap` leases */
        ff_op *op = NULL;
        if (ff_quota_create(pc, LANE, "bench-quota", 0, 0, cap, NULL, NULL, &op) != FF_OK ||
            ff_op_wait(op, 10000) != FF_OK || ff_op_status(op) != FF_OK)
            bu_die("ff_quota_create: %s", op ? ff_op_errmsg(op) : "not started");
        ff_op_free(op);
        p.groups = groups;
    }
    if (budget_id) {
        ffb_budget_create(pc, budget_id);
        if (ff_exec_spec_add_budget(p.spec, budget_id) != FF_OK) bu_die("ff_exec_spec_add_budget");
    }
    tracker t;
    tracker_init(&t, n, 1);
    bw_config cfg;
    bw_worker *w =
        start_worker_budget(conc, (int)bu_env_long("BENCH_BUSY_POLL_MIN_MS", 1), poll_max_ms(), &t, &cfg, budget_id);

    bu_result r = {.scenario = budget_id ? "s1-e2e-budget" : groups > 0 ? "s1-e2e-quota" : "s1-e2e",
                   .system = SYSTEM, .concurrency = conc, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    bw_go(w);
    producer_run(&p);
    uint64_t t_sub = bu_now_ns();
    tracker_wait(&t, n);
    uint64_t t1 = t.last_done_ns;
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bw_stats ws;
    bw_stop(w, &ws);

    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.lat = &t.lat;
    r.redis_version = bu_admin_version(g_admin);
    char note[512];
    snprintf(note, sizeof note, "%s", bw_mode_note(&cfg));
    if (budget_id) {
        check_budget_usage(pc, budget_id, n);
        size_t l = strlen(note);
        snprintf(note + l, sizeof note - l,
                 "; every execution draws on one budget (ff_exec_spec_add_budget) and the handler reports 2 "
                 "dimensions once per job under its lease (execution id as dedup key), then completes %s",
                 cfg.report_wait ? "once the report was answered" : "at once (report fire and forget)");
    }
    if (groups > 0) {
        size_t l = strlen(note);
        snprintf(note + l, sizeof note - l,
                 "; the lane has a quota policy capping each of %d groups at %d leases at once, and submits "
                 "go round robin over the groups",
                 groups, cap);
    }
    r.note = note;
    bu_json j;
    bu_result_json(&j, &r);
    if (groups > 0) {
        bu_json_int(&j, "groups", groups);
        bu_json_int(&j, "group_cap", cap);
    }
    bu_json_int(&j, "payload_bytes", (long long)p.payload_len);
    bu_json_int(&j, "submit_window", window);
    bu_json_num(&j, "submit_ms", (double)(t_sub - t0) / 1e6, 1);
    add_worker_stats(&j, &ws);
    if (budget_id) {
        bu_json_str(&j, "budget_report", report_mode());
        bu_json_int(&j, "budget_reports", (long long)ws.reports);
    }
    bu_json_end(&j);
    producer_free(&p);
    ff_client_free(pc);
}

static void run_e2e(int conc, long n, const char *budget_id) { run_e2e_admitted(conc, n, budget_id, 0, 0); }

/* fairness: one tenant floods the lane with N submits while another submits
 * one execution every BENCH_FAIR_GAP_MS (waiting for each to be created);
 * measured: the small tenant's submit-to-completion latency (its handler
 * does nothing, so this is its start latency plus one completion). With
 * @p grouped the two carry group keys (fair round robin), without they do
 * not (one FIFO): the pair shows what fairness buys. */
typedef struct small_tenant {
    ff_client *c;
    int grouped, gap_ms;
    volatile int stop;
    long sent;
} small_tenant;

static void *small_tenant_loop(void *arg) {
    small_tenant *s = arg;
    ff_exec_spec *spec = NULL;
    if (ff_exec_spec_new(&spec, "bench.noop") != FF_OK || ff_exec_spec_set_lane(spec, LANE) != FF_OK)
        bu_die("small tenant spec");
    if (s->grouped && ff_exec_spec_set_group(spec, "small") != FF_OK) bu_die("set_group");
    unsigned char pl[16];
    memset(pl, 's', sizeof pl);
    pl[8] = 'S';
    while (!s->stop) {
        uint64_t t = bu_now_ns();
        memcpy(pl, &t, sizeof t);
        if (ff_exec_spec_set_payload(spec, pl, sizeof pl) != FF_OK) bu_die("set_payload");
        ff_op *op = NULL;
        if (ff_execution_create(s->c, spec, NULL, NULL, &op) != FF_OK || ff_op_wait(op, 10000) != FF_OK ||
            ff_op_status(op) != FF_OK)
            bu_die("small tenant create failed");
        ff_op_free(op);
        s->sent++;
        bu_sleep_ms(s->gap_ms);
    }
    ff_exec_spec_free(spec);
    return NULL;
}

static void run_fairness(long n, int grouped) {
    int conc = (int)bu_env_long("BENCH_FAIR_CONC", 16);
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    ff_client *pc = connect_client();
    producer p;
    producer_init(&p, pc, payload, n, window);
    if (grouped && ff_exec_spec_set_group(p.spec, "flood") != FF_OK) bu_die("set_group");
    tracker t;
    tracker_init(&t, n, 0);
    bw_config cfg;
    bw_worker *w = start_worker(conc, (int)bu_env_long("BENCH_BUSY_POLL_MIN_MS", 1), poll_max_ms(), &t, &cfg);
    small_tenant st = {.c = connect_client(), .grouped = grouped, .gap_ms = (int)bu_env_long("BENCH_FAIR_GAP_MS", 10)};
    bu_result r = {.scenario = grouped ? "fairness" : "fairness-fifo", .system = SYSTEM, .concurrency = conc,
                   .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    bw_go(w);
    pthread_t th;
    if (pthread_create(&th, NULL, small_tenant_loop, &st) != 0) bu_die("pthread_create");
    producer_run(&p);
    tracker_wait(&t, n);
    uint64_t t1 = t.last_done_ns;
    st.stop = 1;
    pthread_join(th, NULL);
    /* the small tenant's last ones finish after the flood */
    pthread_mutex_lock(&t.mu);
    while (t.small_done < st.sent) pthread_cond_wait(&t.cv, &t.mu);
    pthread_mutex_unlock(&t.mu);
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bw_stats ws;
    bw_stop(w, &ws);
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.lat = &t.small;
    r.redis_version = bu_admin_version(g_admin);
    char note[512];
    snprintf(note, sizeof note,
             "%s; one tenant floods %ld submits (window %d) while another submits one execution every %d ms: the "
             "latencies are the small tenant's (submit to completion, %ld of them); %s",
             bw_mode_note(&cfg), n, window, st.gap_ms, st.sent,
             grouped ? "both carry group keys (fair round robin)" : "neither carries a group key (one FIFO)");
    r.note = note;
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "small_tenant_samples", st.sent);
    add_worker_stats(&j, &ws);
    bu_json_end(&j);
    ff_client_free(st.c);
    producer_free(&p);
    ff_client_free(pc);
}

/* s1-process: pre-seed N, then time the worker draining them (from go to the
 * last acknowledged completion). No latency: jobs waited in the queue. */
static void run_process(int conc, long n) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    ff_client *pc = connect_client();
    producer p;
    producer_init(&p, pc, payload, n, window);
    uint64_t s0 = bu_now_ns();
    producer_run(&p);
    double seed_ms = (double)(bu_now_ns() - s0) / 1e6;

    tracker t;
    tracker_init(&t, n, 0);
    bw_config cfg;
    bw_worker *w = start_worker(conc, (int)bu_env_long("BENCH_BUSY_POLL_MIN_MS", 1), poll_max_ms(), &t, &cfg);
    bu_result r = {.scenario = "s1-process", .system = SYSTEM, .concurrency = conc, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    bw_go(w);
    tracker_wait(&t, n);
    uint64_t t1 = t.last_done_ns;
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bw_stats ws;
    bw_stop(w, &ws);

    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.redis_version = bu_admin_version(g_admin);
    r.note = bw_mode_note(&cfg);
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "payload_bytes", (long long)p.payload_len);
    bu_json_num(&j, "seed_per_s", (double)n / (seed_ms / 1000.0), 0);
    add_worker_stats(&j, &ws);
    bu_json_end(&j);
    producer_free(&p);
    ff_client_free(pc);
}

/* latency-idle: one idle worker (concurrency 1). The submitter, sequentially:
 * waits until the worker is idle (and, for a polling worker, a random part of
 * its poll interval so samples meet the poll at a uniform phase), stamps t0,
 * submits (waits for the ack), waits until the worker reports the completion
 * acknowledged, then reads the result as the submitter (ff_execution_result
 * must succeed) and stamps t1. */
static void run_latency(int rounds, int samples) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int warmup = (int)bu_env_long("BENCH_WARMUP", 5);
    int poll_ms = poll_max_ms();
    ff_client *pc = connect_client();
    producer p;
    producer_init(&p, pc, payload, 0, 1);
    tracker t;
    tracker_init(&t, 0, 0);
    bw_config cfg;
    /* fixed poll: the worker is idle between samples */
    bw_worker *w = start_worker(1, poll_ms, poll_ms, &t, &cfg);
    int phase_ms = bw_idle_phase_ms(&cfg);
    srand48((long)bu_now_ns());
    bw_go(w);

    bu_samples all;
    bu_samples_init(&all, (size_t)(rounds * samples));
    char rounds_json[2048];
    size_t rl = 0;
    rl += (size_t)snprintf(rounds_json + rl, sizeof rounds_json - rl, "[");
    bu_result r = {.scenario = "latency-idle", .system = SYSTEM, .concurrency = 1, .jobs = (long)rounds * samples};
    double cpu0 = 0;
    uint64_t t_start = 0;
    long seq = 0;
    for (int round = -1; round < rounds; round++) { /* round -1 = warm-up */
        int count = round < 0 ? warmup : samples;
        if (round == 0) {
            bu_admin_snap(g_admin, &r.s0);
            cpu0 = bu_process_cpu_us();
            t_start = bu_now_ns();
        }
        bu_samples rs;
        bu_samples_init(&rs, (size_t)count + 1);
        for (int i = 0; i < count; i++) {
            /* an idle worker, met at a random phase of its poll */
            bw_wait_idle(w);
            if (phase_ms > 0) bu_sleep_ms(drand48() * phase_ms);
            uint64_t t0 = bu_now_ns();
            stamp_payload(&p);
            ff_op *op = NULL;
            int st = ff_execution_create(pc, p.spec, NULL, NULL, &op);
            if (st == FF_OK) st = ff_op_wait(op, -1);
            if (st != FF_OK) bu_die("create: %s %s", ff_status_name(st), op ? ff_op_errmsg(op) : "");
            char eid[160];
            snprintf(eid, sizeof eid, "%s", ff_op_execution_id(op));
            ff_op_free(op);
            seq++;
            tracker_wait(&t, seq);
            op = NULL;
            st = ff_execution_result(pc, eid, NULL, NULL, &op);
            if (st == FF_OK) st = ff_op_wait(op, -1);
            if (st != FF_OK) {
                ff_op *d = NULL;
                if (ff_execution_describe(pc, eid, NULL, NULL, &d) == FF_OK && ff_op_wait(d, -1) == FF_OK)
                    fprintf(stderr, "bench: describe %s: %s\n", eid, ff_op_json(d));
                bu_die("result: %s %s (done=%ld seq=%ld)", ff_status_name(st), op ? ff_op_errmsg(op) : "", t.done, seq);
            }
            ff_op_free(op);
            double ms = (double)(bu_now_ns() - t0) / 1e6;
            if (round >= 0) {
                bu_samples_add(&all, ms);
                bu_samples_add(&rs, ms);
            }
        }
        if (round >= 0)
            rl += (size_t)snprintf(rounds_json + rl, sizeof rounds_json - rl, "%s%.3f", round ? "," : "",
                                   bu_samples_pct(&rs, 0.5));
        bu_samples_free(&rs);
    }
    snprintf(rounds_json + rl, sizeof rounds_json - rl, "]");
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    r.elapsed_s = (double)(bu_now_ns() - t_start) / 1e9;
    bw_stats ws;
    bw_stop(w, &ws);

    r.lat = &all;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(g_admin);
    char note[1024];
    char phase[256] = "";
    if (phase_ms > 0)
        snprintf(phase, sizeof phase,
                 "; each job is submitted to the idle worker at a random phase of its %d ms poll, so latency ~ "
                 "uniform(0,%d) ms + service time",
                 phase_ms, phase_ms);
    snprintf(note, sizeof note,
             "%s. Latency = submit start -> completed as seen by the submitter (the worker signals the acked "
             "complete in-process, the submitter then reads the result)%s",
             bw_mode_note(&cfg), phase);
    r.note = note;
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "rounds", rounds);
    bu_json_int(&j, "samples_per_round", samples);
    bu_json_raw(&j, "round_p50_ms", rounds_json);
    bu_json_num(&j, "max_ms", bu_samples_pct(&all, 1.0), 3);
    add_worker_stats(&j, &ws);
    bu_json_end(&j);
    bu_samples_free(&all);
    producer_free(&p);
    ff_client_free(pc);
}

/* idle-worker: an idle worker for SECONDS; Redis commands per second. */
static void run_idle(double seconds) {
    int poll_ms = poll_max_ms();
    tracker t;
    tracker_init(&t, 0, 0);
    bw_config cfg;
    bw_worker *w = start_worker(1, poll_ms, poll_ms, &t, &cfg);
    bw_go(w);
    bu_sleep_ms(1000); /* settle */
    bu_result r = {.scenario = "idle-worker", .system = SYSTEM, .concurrency = 1, .jobs = 0};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    bu_sleep_ms(seconds * 1000.0);
    bu_admin_snap(g_admin, &r.s1);
    double el = (double)(bu_now_ns() - t0) / 1e9;
    double ccpu = bu_process_cpu_us() - cpu0;
    bw_stats ws;
    bw_stop(w, &ws);
    r.elapsed_s = el;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(g_admin);
    r.note = bw_mode_note(&cfg);
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_num(&j, "idle_cmds_per_s", (r.s1.cmds - r.s0.cmds - BU_SNAP_CMDS) / el, 2);
    bu_json_num(&j, "idle_redis_cpu_us_per_s", (r.s1.cpu_us - r.s0.cpu_us) / el, 1);
    bu_json_num(&j, "idle_client_cpu_us_per_s", ccpu / el, 1);
    add_worker_stats(&j, &ws);
    bu_json_end(&j);
}

/* memory-pending: submit N small executions (no worker); used_memory delta. */
static void run_memory(long n) {
    size_t payload = (size_t)bu_env_long("BENCH_MEM_PAYLOAD", 16);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    ff_client *pc = connect_client();
    producer p;
    producer_init(&p, pc, payload, n, window);
    bu_result r = {.scenario = "memory-pending", .system = SYSTEM, .concurrency = window, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    producer_run(&p);
    uint64_t t1 = bu_now_ns();
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_sleep_ms(200);
    bu_admin_snap(g_admin, &r.s1);
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.redis_version = bu_admin_version(g_admin);
    r.note = "throughput_per_s here = submit-only rate (no worker); concurrency = submits in flight";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_num(&j, "bytes_per_pending", bu_data_memory_delta(&r.s0, &r.s1) / (double)n, 1);
    bu_json_num(&j, "used_memory_delta", r.s1.used_memory - r.s0.used_memory, 0);
    bu_json_int(&j, "payload_bytes", (long long)p.payload_len);
    bu_json_end(&j);
    producer_free(&p);
    ff_client_free(pc);
}

/* suspend-resume: one client (future mode, ff_op_wait), no worker runtime.
 * Per sample, NOT timed: a fresh suspend spec with one waitpoint, create an
 * execution, claim it. Timed, sequentially: ff_lease_suspend (one waitpoint)
 * -> ff_signal_deliver (with the token from the suspend reply) ->
 * ff_lease_claim (must return the same execution, attempt type "resumed") ->
 * ff_lease_complete. Redis commands / CPU are summed over the timed intervals
 * only: an INFO snapshot is taken right before and right after each one
 * (outside the latency clock); each snapshot pair's own INFO command is
 * subtracted, and so is the Redis CPU of one INFO (calibrated before the
 * run as the median of back-to-back snapshots). */
typedef struct sr_step {
    const char *name;
    bu_samples s;
} sr_step;

static ff_op *sr_wait(ff_op *op, int st, const char *what, const char *eid) {
    if (st == FF_OK) st = ff_op_wait(op, -1);
    if (st != FF_OK)
        bu_die("%s(%s): %s %s", what, eid ? eid : "", ff_status_name(st), op ? ff_op_errmsg(op) : "");
    return op;
}

static void run_suspend_resume(int rounds, int samples) {
    size_t payload_len = (size_t)bu_env_long("BENCH_SR_PAYLOAD", 16);
    int warmup = (int)bu_env_long("BENCH_WARMUP", 5);
    if (rounds < 1 || samples < 1) bu_die("suspend-resume: ROUNDS and SAMPLES must be >= 1");
    ff_client *c = connect_client();

    ff_exec_spec *spec = NULL;
    if (ff_exec_spec_new(&spec, "bench.suspend") != FF_OK) bu_die("ff_exec_spec_new");
    if (ff_exec_spec_set_lane(spec, LANE) != FF_OK) bu_die("set_lane");
    unsigned char *payload = malloc(payload_len ? payload_len : 1);
    if (payload == NULL) bu_die("out of memory");
    for (size_t i = 0; i < payload_len; i++) payload[i] = (unsigned char)('a' + i % 26);
    if (ff_exec_spec_set_payload(spec, payload, payload_len) != FF_OK) bu_die("set_payload");

    ff_claim_opts *co = NULL;
    if (ff_claim_opts_new(&co) != FF_OK) bu_die("ff_claim_opts_new");
    if (ff_claim_opts_add_lane(co, LANE) != FF_OK) bu_die("claim lane");
    if (ff_claim_opts_set_worker_id(co, "bench-sr") != FF_OK) bu_die("claim worker id");

    static const char *const step_names[] = {"suspend", "signal", "claim", "complete"};
    sr_step steps[4];
    for (int k = 0; k < 4; k++) {
        steps[k].name = step_names[k];
        bu_samples_init(&steps[k].s, (size_t)rounds * (size_t)samples);
    }
    bu_samples all;
    bu_samples_init(&all, (size_t)rounds * (size_t)samples);
    char rounds_json[2048];
    size_t rl = (size_t)snprintf(rounds_json, sizeof rounds_json, "[");

    double info_cpu = bu_admin_info_cpu_us(g_admin);
    double sum_cmds = 0, sum_cpu = 0, sum_ccpu = 0, sum_ms = 0;
    long empty_claims = 0;

    for (int round = -1; round < rounds; round++) { /* round -1 = warm-up */
        int count = round < 0 ? warmup : samples;
        bu_samples rs;
        bu_samples_init(&rs, (size_t)count + 1);
        for (int i = 0; i < count; i++) {
            /* ---- setup, not timed */
            ff_suspend_spec *ss = NULL;
            if (ff_suspend_spec_new(&ss) != FF_OK) bu_die("ff_suspend_spec_new");
            if (ff_suspend_spec_add_waitpoint(ss, "approval") != FF_OK) bu_die("add_waitpoint");
            ff_op *op = NULL;
            sr_wait(op, ff_execution_create(c, spec, NULL, NULL, &op), "create", NULL);
            char eid[160];
            snprintf(eid, sizeof eid, "%s", ff_op_execution_id(op));
            ff_op_free(op);
            op = NULL;
            sr_wait(op, ff_lease_claim(c, co, NULL, NULL, &op), "claim", eid);
            ff_claim *cl = NULL;
            if (ff_op_claim_count(op) != 1 || ff_op_take_claim(op, 0, &cl) != FF_OK)
                bu_die("claim: expected 1 execution, got %zu", ff_op_claim_count(op));
            ff_op_free(op);
            if (strcmp(ff_claim_execution_id(cl), eid) != 0)
                bu_die("claim: got %s, expected %s", ff_claim_execution_id(cl), eid);

            bu_redis_snap s0, s1;
            bu_admin_snap(g_admin, &s0);
            double ccpu0 = bu_process_cpu_us();

            /* ---- timed: suspend -> signal -> resumed claim -> complete */
            uint64_t t[5];
            t[0] = bu_now_ns();
            op = NULL;
            sr_wait(op, ff_lease_suspend(c, cl, ss, NULL, NULL, &op), "suspend", eid);
            t[1] = bu_now_ns();
            if (strcmp(ff_op_text(op), "suspended") != 0 || ff_op_item_count(op) != 3)
                bu_die("suspend(%s): %s with %zu items", eid, ff_op_text(op), ff_op_item_count(op));
            char wp_id[160], token[512];
            snprintf(wp_id, sizeof wp_id, "%s", ff_op_item(op, 0));
            snprintf(token, sizeof token, "%s", ff_op_item(op, 2));
            ff_op_free(op);
            ff_claim_free(cl); /* spent by the suspension */
            cl = NULL;

            op = NULL;
            sr_wait(op,
                    ff_signal_deliver(c, eid, wp_id, token, "approved", "system", "bench", NULL, 0, NULL, NULL, NULL,
                                      &op),
                    "signal", eid);
            t[2] = bu_now_ns();
            if (strcmp(ff_op_text(op), "resume_condition_satisfied") != 0)
                bu_die("signal(%s): effect %s", eid, ff_op_text(op));
            ff_op_free(op);

            for (;;) {
                op = NULL;
                sr_wait(op, ff_lease_claim(c, co, NULL, NULL, &op), "resumed claim", eid);
                if (ff_op_claim_count(op) > 0) break;
                ff_op_free(op); /* not eligible yet: count it and ask again */
                if (++empty_claims > 1000L * (rounds * samples + warmup))
                    bu_die("resumed claim(%s): never became claimable", eid);
            }
            if (ff_op_claim_count(op) != 1 || ff_op_take_claim(op, 0, &cl) != FF_OK)
                bu_die("resumed claim: expected 1 execution, got %zu", ff_op_claim_count(op));
            ff_op_free(op);
            t[3] = bu_now_ns();
            if (strcmp(ff_claim_execution_id(cl), eid) != 0 || strcmp(ff_claim_attempt_type(cl), "resumed") != 0)
                bu_die("resumed claim: got %s attempt %s, expected %s attempt resumed", ff_claim_execution_id(cl),
                       ff_claim_attempt_type(cl), eid);

            op = NULL;
            sr_wait(op, ff_lease_complete(c, cl, NULL, 0, NULL, NULL, &op), "complete", eid);
            t[4] = bu_now_ns();
            if (strcmp(ff_op_text(op), "completed") != 0) bu_die("complete(%s): %s", eid, ff_op_text(op));
            ff_op_free(op);

            double ccpu1 = bu_process_cpu_us();
            bu_admin_snap(g_admin, &s1);
            ff_claim_free(cl);
            ff_suspend_spec_free(ss);

            if (round < 0) continue;
            double ms = (double)(t[4] - t[0]) / 1e6;
            bu_samples_add(&all, ms);
            bu_samples_add(&rs, ms);
            for (int k = 0; k < 4; k++) bu_samples_add(&steps[k].s, (double)(t[k + 1] - t[k]) / 1e6);
            sum_ms += ms;
            sum_cmds += s1.cmds - s0.cmds - BU_SNAP_CMDS;
            sum_cpu += s1.cpu_us - s0.cpu_us - info_cpu;
            sum_ccpu += ccpu1 - ccpu0;
        }
        if (round >= 0)
            rl += (size_t)snprintf(rounds_json + rl, sizeof rounds_json - rl, "%s%.3f", round ? "," : "",
                                   bu_samples_pct(&rs, 0.5));
        bu_samples_free(&rs);
    }
    snprintf(rounds_json + rl, sizeof rounds_json - rl, "]");

    long n = (long)rounds * samples;
    /* bu_result_json takes s1 - s0 (minus one snapshot command): hand it the
     * sums over the timed intervals, already corrected per snapshot pair */
    bu_result r = {.scenario = "suspend-resume", .system = SYSTEM, .concurrency = 1, .jobs = n};
    r.s1.cmds = sum_cmds + BU_SNAP_CMDS;
    r.s1.cpu_us = sum_cpu;
    r.client_cpu_us = sum_ccpu;
    r.elapsed_s = sum_ms / 1000.0;
    r.lat = &all;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(g_admin);
    r.note = "one ff_client in future mode (ff_op_wait), no worker runtime. Per sample, not timed: create + claim; "
             "timed: ff_lease_suspend (1 waitpoint) -> ff_signal_deliver (token from the suspend reply) -> "
             "ff_lease_claim (same execution, attempt type resumed) -> ff_lease_complete, 4 sequential round trips. "
             "redis_*/client_cpu per job = sums over the timed intervals only (INFO before/after each, its own "
             "command and calibrated CPU subtracted); elapsed_ms = sum of the timed intervals";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "rounds", rounds);
    bu_json_int(&j, "samples_per_round", samples);
    bu_json_raw(&j, "round_p50_ms", rounds_json);
    bu_json_num(&j, "max_ms", bu_samples_pct(&all, 1.0), 3);
    char steps_json[512];
    size_t sl = (size_t)snprintf(steps_json, sizeof steps_json, "{");
    for (int k = 0; k < 4; k++)
        sl += (size_t)snprintf(steps_json + sl, sizeof steps_json - sl, "%s\"%s\":%.3f", k ? "," : "",
                               steps[k].name, bu_samples_pct(&steps[k].s, 0.5));
    snprintf(steps_json + sl, sizeof steps_json - sl, "}");
    bu_json_raw(&j, "step_p50_ms", steps_json);
    bu_json_int(&j, "empty_resumed_claims", empty_claims);
    bu_json_int(&j, "payload_bytes", (long long)payload_len);
    bu_json_num(&j, "info_snap_cpu_us", info_cpu, 1);
    bu_json_end(&j);

    for (int k = 0; k < 4; k++) bu_samples_free(&steps[k].s);
    bu_samples_free(&all);
    ff_claim_opts_free(co);
    ff_exec_spec_free(spec);
    free(payload);
    ff_client_free(c);
}

static void usage(void) {
    fprintf(stderr,
            "usage: ff_bench URL e2e CONC N | process CONC N | latency ROUNDS SAMPLES | idle SECONDS | memory N"
            " | suspend-resume ROUNDS SAMPLES | idle-engine SECONDS ENGINES | retry-latency SAMPLES | flow-dag FLOWS STAGES WORKERS"
            " | flow-fanout FLOWS N WORKERS | quorum-cancel N REPS | stream-append FRAMES WINDOW"
            " | stream-tail-latency SAMPLES | budget-report REPORTS WINDOW | e2e-budget CONC N"
            " | e2e-quota CONC N GROUPS CAP | fairness N grouped|fifo\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 3) usage();
    g_url = argv[1];
    const char *scen = argv[2];
    char host[256];
    int port = 0;
    bu_parse_url(g_url, host, sizeof host, &port);
    g_admin = bu_admin_connect(host, port);
    if (strcmp(scen, "e2e") == 0 && argc == 5) {
        run_e2e(atoi(argv[3]), atol(argv[4]), NULL);
    } else if (strcmp(scen, "e2e-quota") == 0 && argc == 7) {
        run_e2e_admitted(atoi(argv[3]), atol(argv[4]), NULL, atoi(argv[5]), atoi(argv[6]));
    } else if (strcmp(scen, "fairness") == 0 && argc == 5) {
        run_fairness(atol(argv[3]), strcmp(argv[4], "grouped") == 0);
    } else if (strcmp(scen, "e2e-budget") == 0 && argc == 5) {
        run_e2e(atoi(argv[3]), atol(argv[4]), "bench-e2e-budget");
    } else if (strcmp(scen, "budget-report") == 0 && argc == 5) {
        ffb_run_budget_report(g_url, g_admin, atol(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "process") == 0 && argc == 5) {
        run_process(atoi(argv[3]), atol(argv[4]));
    } else if (strcmp(scen, "latency") == 0 && argc == 5) {
        run_latency(atoi(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "idle") == 0 && argc == 4) {
        run_idle(atof(argv[3]));
    } else if (strcmp(scen, "memory") == 0 && argc == 4) {
        run_memory(atol(argv[3]));
    } else if (strcmp(scen, "suspend-resume") == 0 && argc == 5) {
        run_suspend_resume(atoi(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "idle-engine") == 0 && argc == 5) {
        ffb_run_idle_engine(g_url, g_admin, atof(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "retry-latency") == 0 && argc == 4) {
        ffb_run_retry_latency(g_url, g_admin, atoi(argv[3]));
    } else if (strcmp(scen, "flow-dag") == 0 && argc == 6) {
        ffb_run_flow_dag(g_url, g_admin, atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    } else if (strcmp(scen, "flow-fanout") == 0 && argc == 6) {
        ffb_run_flow_fanout(g_url, g_admin, atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    } else if (strcmp(scen, "stream-append") == 0 && argc == 5) {
        ffb_run_stream_append(g_url, g_admin, atol(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "stream-tail-latency") == 0 && argc == 4) {
        ffb_run_stream_tail_latency(g_url, g_admin, atoi(argv[3]));
    } else if (strcmp(scen, "quorum-cancel") == 0 && argc == 5) {
        ffb_run_quorum_cancel(g_url, g_admin, atoi(argv[3]), atoi(argv[4]));
    } else {
        usage();
    }
    bu_admin_free(g_admin);
    return 0;
}
