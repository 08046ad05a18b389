/*
 * raw_redis_bench: the "raw-redis" floor of the comparison. Not a job engine:
 * no job state, no lease, no crash safety -- the least Redis work a queue can
 * do for one job, with the same shape as the engine scenarios:
 *
 *   submit   = RPUSH raw:q <payload>                      (window in flight)
 *   claim    = BLMPOP 1 1 raw:q LEFT COUNT <free slots>   (batch pop, 1 s timeout)
 *   complete = INCR raw:done                              (one per job, pipelined)
 *
 * Same CLI, knobs and JSON as ff_bench (see bench/ff_bench.c):
 *   raw_redis_bench URL e2e CONC N | process CONC N | latency ROUNDS SAMPLES
 *                   | idle SECONDS | memory N
 * and the floors of stream-append / stream-tail-latency (raw_stream.c) and
 * budget-report (raw_budget.c).
 * One thread, one libuv loop, hiredis async: a producer connection, a worker
 * connection (its BLMPOP is the only blocking command on it, and it is only
 * sent when every earlier command on that connection has been written), and
 * the admin connection for INFO.
 */
#define _GNU_SOURCE
#include <hiredis/adapters/libuv.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "common/bench_util.h"
#include "peers/raw_budget.h"
#include "peers/raw_stream.h"

#define SYSTEM "raw-redis"
#define QKEY "raw:q"
#define DONEKEY "raw:done"

static uv_loop_t *g_loop;
static bu_admin *g_admin;
static char g_host[256];
static int g_port;

static redisAsyncContext *connect_async(void) {
    redisAsyncContext *ac = redisAsyncConnect(g_host, g_port);
    if (ac == NULL || ac->err) bu_die("connect %s:%d: %s", g_host, g_port, ac ? ac->errstr : "oom");
    redisLibuvAttach(ac, g_loop);
    return ac;
}

/* ---------------------------------------------------------- producer */

typedef struct producer {
    redisAsyncContext *ac;
    unsigned char *payload;
    size_t payload_len;
    long total, started, acked;
    int window;
    void (*on_all_acked)(void);
} producer;

static producer P;

static void producer_refill(void);

static void on_pushed(redisAsyncContext *ac, void *r, void *priv) {
    (void)ac;
    (void)priv;
    redisReply *rep = r;
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) bu_die("RPUSH failed: %s", rep ? rep->str : "no reply");
    P.acked++;
    if (P.acked == P.total && P.on_all_acked) P.on_all_acked();
    producer_refill();
}

static void push_one(void) {
    uint64_t t = bu_now_ns();
    memcpy(P.payload, &t, sizeof t);
    redisAsyncCommand(P.ac, on_pushed, NULL, "RPUSH " QKEY " %b", P.payload, P.payload_len);
    P.started++;
}

static void producer_refill(void) {
    while (P.started < P.total && P.started - P.acked < P.window) push_one();
}

static void producer_init(redisAsyncContext *ac, size_t payload_len, long total, int window) {
    memset(&P, 0, sizeof P);
    P.ac = ac;
    P.total = total;
    P.window = window < 1 ? 1 : window;
    P.payload_len = payload_len < 8 ? 8 : payload_len;
    P.payload = malloc(P.payload_len);
    if (P.payload == NULL) bu_die("out of memory");
    for (size_t i = 0; i < P.payload_len; i++) P.payload[i] = (unsigned char)('a' + i % 26);
}

/* ------------------------------------------------------------ worker */

typedef struct worker {
    redisAsyncContext *ac;
    int conc, refill;
    int busy, pop_in_flight, stopping, go;
    long done, target;
    uint64_t last_done_ns;
    long pops, empty_pops, popped;
    bu_samples *lat;
    void (*on_done)(void);
} worker;

static worker W;

static void maybe_pop(void);

static void on_incr(redisAsyncContext *ac, void *r, void *priv) {
    (void)ac;
    redisReply *rep = r;
    uint64_t *t0 = priv;
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) bu_die("INCR failed");
    uint64_t now = bu_now_ns();
    if (W.lat) bu_samples_add(W.lat, (double)(now - *t0) / 1e6);
    free(t0);
    W.busy--;
    W.done++;
    W.last_done_ns = now;
    maybe_pop();
    if (W.on_done) W.on_done();
}

static void on_pop(redisAsyncContext *ac, void *r, void *priv) {
    (void)ac;
    (void)priv;
    redisReply *rep = r;
    W.pop_in_flight = 0;
    if (rep == NULL) return; /* disconnecting */
    if (rep->type == REDIS_REPLY_ERROR) bu_die("BLMPOP failed: %s", rep->str);
    W.pops++;
    if (rep->type == REDIS_REPLY_NIL || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2) {
        W.empty_pops++;
        maybe_pop();
        return;
    }
    if (W.stopping) return; /* shutting down: nothing more to do */
    redisReply *items = rep->element[1];
    for (size_t i = 0; i < items->elements; i++) {
        redisReply *it = items->element[i];
        uint64_t *t0 = malloc(sizeof *t0);
        if (t0 == NULL) bu_die("out of memory");
        *t0 = 0;
        if (it->len >= 8) memcpy(t0, it->str, sizeof *t0);
        W.busy++;
        W.popped++;
        /* the no-op handler: "complete" at once */
        redisAsyncCommand(W.ac, on_incr, t0, "INCR " DONEKEY);
    }
    maybe_pop();
}

static void maybe_pop(void) {
    if (!W.go || W.stopping || W.pop_in_flight) return;
    int freeslots = W.conc - W.busy;
    if (freeslots <= 0) return;
    if (W.busy > 0 && freeslots < W.refill) return;
    char cnt[32];
    snprintf(cnt, sizeof cnt, "%d", freeslots);
    const char *argv[] = {"BLMPOP", "1", "1", QKEY, "LEFT", "COUNT", cnt};
    redisAsyncCommandArgv(W.ac, on_pop, NULL, 7, argv, NULL);
    W.pop_in_flight = 1;
}

static void worker_init(int conc, bu_samples *lat) {
    memset(&W, 0, sizeof W);
    W.ac = connect_async();
    W.conc = conc < 1 ? 1 : conc;
    long refill = bu_env_long("BENCH_REFILL", W.conc / 4);
    W.refill = refill < 1 ? 1 : (int)refill;
    W.lat = lat;
}

static void worker_go(void) {
    W.go = 1;
    maybe_pop();
}

static const char *raw_note(void) {
    static char note[256];
    snprintf(note, sizeof note,
             "raw-redis floor (no job state, not crash safe): RPUSH / BLMPOP COUNT free-slots (refill>=%d, 1 s "
             "timeout) / INCR per job; one thread, hiredis async",
             W.refill);
    return note;
}

static void add_worker_stats(bu_json *j) {
    bu_json_int(j, "claim_calls", W.pops);
    bu_json_int(j, "empty_claims", W.empty_pops);
    bu_json_num(j, "avg_claim_batch", W.pops > W.empty_pops ? (double)W.popped / (double)(W.pops - W.empty_pops) : 0,
                2);
}

/* ---------------------------------------------------------- scenarios */

static long g_target;
static void stop_when_target(void) {
    if (W.done >= g_target) uv_stop(g_loop);
}
static void stop_loop(void) { uv_stop(g_loop); }

static void cleanup_conns(void) {
    W.stopping = 1;
    if (W.ac) redisAsyncDisconnect(W.ac);
    if (P.ac) redisAsyncDisconnect(P.ac);
    W.ac = P.ac = NULL;
    uv_run(g_loop, UV_RUN_DEFAULT); /* let the disconnects finish */
    free(P.payload);
}

static void run_e2e(int conc, long n) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    bu_samples lat;
    bu_samples_init(&lat, (size_t)n);
    producer_init(connect_async(), payload, n, window);
    worker_init(conc, &lat);
    g_target = n;
    W.on_done = stop_when_target;
    /* let both connections come up before the clock starts */
    redisAsyncCommand(P.ac, NULL, NULL, "PING");
    redisAsyncCommand(W.ac, NULL, NULL, "PING");
    uv_run(g_loop, UV_RUN_NOWAIT);
    bu_sleep_ms(50);
    uv_run(g_loop, UV_RUN_NOWAIT);

    bu_result r = {.scenario = "s1-e2e", .system = SYSTEM, .concurrency = conc, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    worker_go();
    producer_refill();
    uv_run(g_loop, UV_RUN_DEFAULT);
    uint64_t t1 = W.last_done_ns;
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.lat = &lat;
    r.redis_version = bu_admin_version(g_admin);
    r.note = raw_note();
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "payload_bytes", (long long)P.payload_len);
    bu_json_int(&j, "submit_window", window);
    add_worker_stats(&j);
    bu_json_end(&j);
    cleanup_conns();
    bu_samples_free(&lat);
}

static void run_process(int conc, long n) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    producer_init(connect_async(), payload, n, window);
    P.on_all_acked = stop_loop;
    uint64_t s0 = bu_now_ns();
    producer_refill();
    uv_run(g_loop, UV_RUN_DEFAULT);
    double seed_ms = (double)(bu_now_ns() - s0) / 1e6;

    worker_init(conc, NULL);
    g_target = n;
    W.on_done = stop_when_target;
    redisAsyncCommand(W.ac, NULL, NULL, "PING");
    uv_run(g_loop, UV_RUN_NOWAIT);
    bu_sleep_ms(50);
    uv_run(g_loop, UV_RUN_NOWAIT);

    bu_result r = {.scenario = "s1-process", .system = SYSTEM, .concurrency = conc, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    worker_go();
    uv_run(g_loop, UV_RUN_DEFAULT);
    uint64_t t1 = W.last_done_ns;
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.redis_version = bu_admin_version(g_admin);
    r.note = raw_note();
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "payload_bytes", (long long)P.payload_len);
    bu_json_num(&j, "seed_per_s", (double)n / (seed_ms / 1000.0), 0);
    add_worker_stats(&j);
    bu_json_end(&j);
    cleanup_conns();
}

/* latency-idle: worker blocked in BLMPOP; the submitter, sequentially:
 * t0, RPUSH (ack), wait for the worker's INCR ack, GET raw:done as the
 * submitter, t1. */
static struct {
    int rounds, samples, warmup;
    int round, i; /* round -1 = warm-up */
    uint64_t t0;
    bu_samples all, cur;
    char rounds_json[2048];
    size_t rl;
    bu_result *r;
    double cpu0;
    uint64_t t_start;
} L;

static void lat_submit(void);

static void lat_on_get(redisAsyncContext *ac, void *rep, void *priv) {
    (void)ac;
    (void)priv;
    if (rep == NULL) bu_die("GET failed");
    double ms = (double)(bu_now_ns() - L.t0) / 1e6;
    if (L.round >= 0) {
        bu_samples_add(&L.all, ms);
        bu_samples_add(&L.cur, ms);
    }
    L.i++;
    int count = L.round < 0 ? L.warmup : L.samples;
    if (L.i >= count) {
        if (L.round >= 0)
            L.rl += (size_t)snprintf(L.rounds_json + L.rl, sizeof L.rounds_json - L.rl, "%s%.3f",
                                     L.round ? "," : "", bu_samples_pct(&L.cur, 0.5));
        L.cur.n = 0;
        L.round++;
        L.i = 0;
        if (L.round == L.rounds) {
            uv_stop(g_loop);
            return;
        }
        if (L.round == 0) {
            bu_admin_snap(g_admin, &L.r->s0);
            L.cpu0 = bu_process_cpu_us();
            L.t_start = bu_now_ns();
        }
    }
    lat_submit();
}

static void lat_on_done(void) {
    /* the worker acked this job's completion; observe it as the submitter */
    redisAsyncCommand(P.ac, lat_on_get, NULL, "GET " DONEKEY);
}

static void lat_submit(void) {
    L.t0 = bu_now_ns();
    push_one();
}

static void run_latency(int rounds, int samples) {
    size_t payload = (size_t)bu_env_long("BENCH_PAYLOAD", 4096);
    producer_init(connect_async(), payload, 0, 1); /* pushes are driven by lat_submit */
    worker_init(1, NULL);
    W.on_done = lat_on_done;
    bu_result r = {.scenario = "latency-idle", .system = SYSTEM, .concurrency = 1, .jobs = (long)rounds * samples};
    memset(&L, 0, sizeof L);
    L.rounds = rounds;
    L.samples = samples;
    L.warmup = (int)bu_env_long("BENCH_WARMUP", 5);
    L.round = L.warmup > 0 ? -1 : 0;
    L.r = &r;
    bu_samples_init(&L.all, (size_t)(rounds * samples));
    bu_samples_init(&L.cur, (size_t)samples + 1);
    L.rl = (size_t)snprintf(L.rounds_json, sizeof L.rounds_json, "[");
    worker_go();
    uv_run(g_loop, UV_RUN_NOWAIT);
    bu_sleep_ms(300); /* the worker is blocked in BLMPOP now */
    if (L.round == 0) {
        bu_admin_snap(g_admin, &r.s0);
        L.cpu0 = bu_process_cpu_us();
        L.t_start = bu_now_ns();
    }
    lat_submit();
    uv_run(g_loop, UV_RUN_DEFAULT);
    bu_admin_snap(g_admin, &r.s1);
    r.client_cpu_us = bu_process_cpu_us() - L.cpu0;
    r.elapsed_s = (double)(bu_now_ns() - L.t_start) / 1e9;
    snprintf(L.rounds_json + L.rl, sizeof L.rounds_json - L.rl, "]");
    r.lat = &L.all;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(g_admin);
    r.note = "raw-redis floor: worker blocked in BLMPOP (woken by the RPUSH); latency = RPUSH start -> INCR acked "
             "-> submitter GET of the counter";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "rounds", rounds);
    bu_json_int(&j, "samples_per_round", samples);
    bu_json_raw(&j, "round_p50_ms", L.rounds_json);
    bu_json_num(&j, "max_ms", bu_samples_pct(&L.all, 1.0), 3);
    bu_json_end(&j);
    bu_samples_free(&L.all);
    bu_samples_free(&L.cur);
    cleanup_conns();
}

static void on_timer_stop(uv_timer_t *t) {
    (void)t;
    uv_stop(g_loop);
}

static void run_idle(double seconds) {
    worker_init(1, NULL);
    worker_go();
    uv_timer_t tm;
    uv_timer_init(g_loop, &tm);
    uv_timer_start(&tm, on_timer_stop, 1000, 0); /* settle */
    uv_run(g_loop, UV_RUN_DEFAULT);
    bu_result r = {.scenario = "idle-worker", .system = SYSTEM, .concurrency = 1, .jobs = 0};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    uv_timer_start(&tm, on_timer_stop, (uint64_t)(seconds * 1000.0), 0);
    uv_run(g_loop, UV_RUN_DEFAULT);
    bu_admin_snap(g_admin, &r.s1);
    double el = (double)(bu_now_ns() - t0) / 1e9;
    double ccpu = bu_process_cpu_us() - cpu0;
    r.elapsed_s = el;
    r.no_throughput = 1;
    r.redis_version = bu_admin_version(g_admin);
    r.note = "raw-redis floor: idle worker blocked in BLMPOP with a 1 s timeout (one command per second)";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_num(&j, "idle_cmds_per_s", (r.s1.cmds - r.s0.cmds - BU_SNAP_CMDS) / el, 2);
    bu_json_num(&j, "idle_redis_cpu_us_per_s", (r.s1.cpu_us - r.s0.cpu_us) / el, 1);
    bu_json_num(&j, "idle_client_cpu_us_per_s", ccpu / el, 1);
    bu_json_end(&j);
    uv_close((uv_handle_t *)&tm, NULL);
    cleanup_conns();
}

static void run_memory(long n) {
    size_t payload = (size_t)bu_env_long("BENCH_MEM_PAYLOAD", 16);
    int window = (int)bu_env_long("BENCH_SUBMIT_WINDOW", 128);
    producer_init(connect_async(), payload, n, window);
    P.on_all_acked = stop_loop;
    redisAsyncCommand(P.ac, NULL, NULL, "PING");
    uv_run(g_loop, UV_RUN_NOWAIT);
    bu_sleep_ms(50);
    uv_run(g_loop, UV_RUN_NOWAIT);
    bu_result r = {.scenario = "memory-pending", .system = SYSTEM, .concurrency = window, .jobs = n};
    bu_admin_snap(g_admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    producer_refill();
    uv_run(g_loop, UV_RUN_DEFAULT);
    uint64_t t1 = bu_now_ns();
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_sleep_ms(200);
    bu_admin_snap(g_admin, &r.s1);
    r.elapsed_s = (double)(t1 - t0) / 1e9;
    r.redis_version = bu_admin_version(g_admin);
    r.note = "throughput_per_s here = submit-only rate (RPUSH); concurrency = submits in flight";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_num(&j, "bytes_per_pending", bu_data_memory_delta(&r.s0, &r.s1) / (double)n, 1);
    bu_json_num(&j, "used_memory_delta", r.s1.used_memory - r.s0.used_memory, 0);
    bu_json_int(&j, "payload_bytes", (long long)P.payload_len);
    bu_json_end(&j);
    cleanup_conns();
}

static void usage(void) {
    fprintf(stderr, "usage: raw_redis_bench URL e2e CONC N | process CONC N | latency ROUNDS SAMPLES | idle SECONDS "
                    "| memory N | stream-append FRAMES WINDOW | stream-tail-latency SAMPLES "
                    "| budget-report REPORTS WINDOW\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 3) usage();
    bu_parse_url(argv[1], g_host, sizeof g_host, &g_port);
    g_loop = uv_default_loop();
    g_admin = bu_admin_connect(g_host, g_port);
    const char *scen = argv[2];
    if (strcmp(scen, "e2e") == 0 && argc == 5) {
        run_e2e(atoi(argv[3]), atol(argv[4]));
    } else if (strcmp(scen, "process") == 0 && argc == 5) {
        run_process(atoi(argv[3]), atol(argv[4]));
    } else if (strcmp(scen, "latency") == 0 && argc == 5) {
        run_latency(atoi(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "idle") == 0 && argc == 4) {
        run_idle(atof(argv[3]));
    } else if (strcmp(scen, "memory") == 0 && argc == 4) {
        run_memory(atol(argv[3]));
    } else if (strcmp(scen, "stream-append") == 0 && argc == 5) {
        raw_run_stream_append(g_host, g_port, g_admin, atol(argv[3]), atoi(argv[4]));
    } else if (strcmp(scen, "stream-tail-latency") == 0 && argc == 4) {
        raw_run_stream_tail_latency(g_host, g_port, g_admin, atoi(argv[3]));
    } else if (strcmp(scen, "budget-report") == 0 && argc == 5) {
        raw_run_budget_report(g_host, g_port, g_admin, atol(argv[3]), atoi(argv[4]));
    } else {
        usage();
    }
    bu_admin_free(g_admin);
    return 0;
}
