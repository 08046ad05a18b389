/* Engine scenarios of ff_bench (see ff_engine_scenarios.h). */
#include "ff_engine_scenarios.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSTEM "flowfabric-c"
#define MAX_ENGINES 8
#define BACKOFF_MS 200

ff_client *ffb_connect(const char *url) {
    ff_client_opts *o = NULL;
    ff_client_opts_new(&o);
    ff_client_opts_set_url(o, url);
    ff_client *c = NULL;
    char err[512] = "";
    int st = ff_client_new(&c, o, err, sizeof err);
    ff_client_opts_free(o);
    if (st != FF_OK) bu_die("ff_client_new(%s): %s: %s", url, ff_status_name(st), err);
    return c;
}

static long long engine_stat(ff_engine *e, const char *name) {
    char *s = NULL, pat[64];
    if (ff_engine_stats_json(e, &s) != FF_OK) bu_die("ff_engine_stats_json");
    snprintf(pat, sizeof pat, "\"%s\":", name);
    const char *p = strstr(s, pat);
    long long v = p ? strtoll(p + strlen(pat), NULL, 10) : -1;
    ff_free(s);
    return v;
}

/* idle-engine: ENGINES engines (each on its own client, default options)
 * over an empty deployment of the client's default 256 partitions. After
 * every partition was swept once and each engine beat twice, the measured
 * window holds nothing but what the engines do on their own. */
void ffb_run_idle_engine(const char *url, bu_admin *admin, double seconds, int engines) {
    if (engines < 1 || engines > MAX_ENGINES) bu_die("idle-engine: 1..%d engines", MAX_ENGINES);
    ff_client *c[MAX_ENGINES];
    ff_engine *e[MAX_ENGINES];
    for (int i = 0; i < engines; i++) {
        c[i] = ffb_connect(url);
        if (ff_engine_start(&e[i], c[i], NULL) != FF_OK) bu_die("ff_engine_start");
    }
    uint32_t parts = ff_client_partitions(c[0]);
    uint64_t until = bu_now_ns() + 60ull * 1000000000ull;
    for (;;) {
        long long owned = 0, swept = 0;
        int settled = 1;
        for (int i = 0; i < engines; i++) {
            owned += engine_stat(e[i], "owned_partitions");
            swept += engine_stat(e[i], "sweeps");
            if (engine_stat(e[i], "heartbeats") < 2 || engine_stat(e[i], "live_engines") != engines) settled = 0;
        }
        if (settled && owned == parts && swept >= parts) break;
        if (bu_now_ns() > until) bu_die("idle-engine: engines did not settle");
        bu_sleep_ms(100);
    }
    long long sweeps0 = 0, beats0 = 0;
    for (int i = 0; i < engines; i++) {
        sweeps0 += engine_stat(e[i], "sweeps");
        beats0 += engine_stat(e[i], "heartbeats");
    }
    bu_result r = {.scenario = "idle-engine", .system = SYSTEM, .concurrency = engines, .jobs = 0};
    bu_admin_snap(admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    bu_sleep_ms(seconds * 1000.0);
    bu_admin_snap(admin, &r.s1);
    double el = (double)(bu_now_ns() - t0) / 1e9;
    double ccpu = bu_process_cpu_us() - cpu0;
    long long sweeps = -sweeps0, beats = -beats0;
    for (int i = 0; i < engines; i++) {
        sweeps += engine_stat(e[i], "sweeps");
        beats += engine_stat(e[i], "heartbeats");
    }
    r.elapsed_s = el;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(admin);
    r.note = "engines with default options (heartbeat every 2 s) over an empty deployment, after each partition "
             "was swept once; commands counted by total_commands_processed, nested commands included";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "engines", engines);
    bu_json_int(&j, "partitions", parts);
    bu_json_num(&j, "idle_cmds_per_s", (r.s1.cmds - r.s0.cmds - BU_SNAP_CMDS) / el, 2);
    bu_json_num(&j, "idle_redis_cpu_us_per_s", (r.s1.cpu_us - r.s0.cpu_us) / el, 1);
    bu_json_num(&j, "idle_client_cpu_us_per_s", ccpu / el, 1);
    bu_json_int(&j, "sweeps_in_window", sweeps);
    bu_json_int(&j, "heartbeats_in_window", beats);
    bu_json_end(&j);
    for (int i = 0; i < engines; i++) {
        ff_engine_stop(e[i]);
        ff_client_free(c[i]);
    }
}

typedef struct retry_probe {
    uint64_t failed_ns, retried_ns;
    int done;
} retry_probe;

static void on_task(ff_task *t, void *ud) {
    retry_probe *p = ud;
    if (ff_claim_attempt_index(ff_task_claim(t)) == 0) {
        p->failed_ns = bu_now_ns();
        if (ff_task_fail(t, "first try fails", "transient", NULL, NULL, NULL) != FF_OK) bu_die("ff_task_fail");
    } else {
        p->retried_ns = bu_now_ns();
        if (ff_task_complete(t, NULL, 0, NULL, NULL, NULL) != FF_OK) bu_die("ff_task_complete");
        p->done = 1;
    }
}

/* retry-latency: SAMPLES executions one at a time, each failing its first
 * attempt with a 200 ms fixed backoff; a worker with its engine on (default
 * options) and a 60 s fallback poll. */
void ffb_run_retry_latency(const char *url, bu_admin *admin, int samples) {
    ff_client *c = ffb_connect(url);
    ff_worker_opts *o = NULL;
    ff_worker *w = NULL;
    retry_probe p;
    if (ff_worker_opts_new(&o) != FF_OK || ff_worker_opts_add_lane(o, "bench-retry") != FF_OK ||
        ff_worker_opts_set_poll_ms(o, 60000) != FF_OK || ff_worker_new(&w, c, o) != FF_OK ||
        ff_worker_on(w, NULL, on_task, &p) != FF_OK || ff_worker_start(w) != FF_OK)
        bu_die("worker setup");
    ff_worker_opts_free(o);
    bu_sleep_ms(500); /* the engine's first sweeps */
    bu_samples lat;
    bu_samples_init(&lat, (size_t)samples);
    bu_result r = {.scenario = "retry-latency", .system = SYSTEM, .concurrency = 1, .jobs = samples};
    bu_admin_snap(admin, &r.s0);
    uint64_t t0 = bu_now_ns();
    struct pollfd pf = {ff_client_fd(c), POLLIN, 0};
    for (int i = 0; i < samples; i++) {
        memset(&p, 0, sizeof p);
        ff_exec_spec *s = NULL;
        if (ff_exec_spec_new(&s, "bench.retry") != FF_OK || ff_exec_spec_set_lane(s, "bench-retry") != FF_OK ||
            ff_exec_spec_set_retry(s, 1, "fixed", BACKOFF_MS, BACKOFF_MS, 1.0, 0.0, NULL) != FF_OK)
            bu_die("spec");
        ff_op *op = NULL;
        if (ff_execution_create(c, s, NULL, NULL, &op) != FF_OK || ff_op_wait(op, 30000) != FF_OK) bu_die("create");
        ff_op_free(op);
        ff_exec_spec_free(s);
        uint64_t until = bu_now_ns() + 30ull * 1000000000ull;
        while (!p.done) {
            if (bu_now_ns() > until) bu_die("retry-latency: sample %d never retried", i);
            poll(&pf, 1, 5);
            ff_client_dispatch(c, 0);
        }
        bu_samples_add(&lat, (double)(p.retried_ns - p.failed_ns) / 1e6);
    }
    bu_admin_snap(admin, &r.s1);
    r.elapsed_s = (double)(bu_now_ns() - t0) / 1e9;
    r.no_throughput = 1;
    r.lat = &lat;
    r.redis_version = bu_admin_version(admin);
    r.note = "latency = failing ff_task_fail call -> the retry attempt reaching the handler, fixed 200 ms backoff; "
             "one worker (its engine on, default options, fallback poll 60 s)";
    double max = bu_samples_pct(&lat, 1.0), min = bu_samples_pct(&lat, 0.0);
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "backoff_ms", BACKOFF_MS);
    bu_json_num(&j, "min_ms", min, 3);
    bu_json_num(&j, "max_ms", max, 3);
    bu_json_end(&j);
    bu_samples_free(&lat);
    ff_worker_stop(w, 5000);
    ff_worker_free(w);
    ff_client_free(c);
}
