/* stream-append and stream-tail-latency of ff_bench (ff_stream_scenarios.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_engine_scenarios.h"
#include "ff_stream_scenarios.h"

#define SYSTEM "flowfabric-c"
#define LANE "bench-stream"
#define WAIT_MS 30000

static void must(int st, ff_op *op, const char *what) {
    if (st != FF_OK) bu_die("%s: %s", what, ff_status_name(st));
    st = ff_op_wait(op, WAIT_MS);
    if (st != FF_OK) bu_die("%s: %s %s", what, ff_status_name(st), ff_op_errmsg(op));
}

/* A running execution of LANE, claimed with a long lease. */
static ff_claim *running(ff_client *c) {
    ff_exec_spec *s = NULL;
    ff_op *op = NULL;
    if (ff_exec_spec_new(&s, "bench.stream") != FF_OK || ff_exec_spec_set_lane(s, LANE) != FF_OK) bu_die("spec");
    int st = ff_execution_create(c, s, NULL, NULL, &op);
    must(st, op, "ff_execution_create");
    ff_op_free(op);
    ff_exec_spec_free(s);
    ff_claim_opts *o = NULL;
    if (ff_claim_opts_new(&o) != FF_OK || ff_claim_opts_add_lane(o, LANE) != FF_OK ||
        ff_claim_opts_set_lease_ttl_ms(o, 600000) != FF_OK)
        bu_die("claim opts");
    op = NULL;
    st = ff_lease_claim(c, o, NULL, NULL, &op);
    must(st, op, "ff_lease_claim");
    ff_claim *cl = NULL;
    if (ff_op_claim_count(op) != 1 || ff_op_take_claim(op, 0, &cl) != FF_OK) bu_die("nothing claimed");
    ff_op_free(op);
    ff_claim_opts_free(o);
    return cl;
}

static ff_frame *bench_frame(size_t len) {
    char *buf = malloc(len);
    if (buf == NULL) bu_die("oom");
    for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + i % 26);
    ff_frame *f = NULL;
    if (ff_frame_new(&f) != FF_OK || ff_frame_set_payload(f, buf, len) != FF_OK) bu_die("frame");
    free(buf);
    return f;
}

/* One stream-append line: frames appended as bursts of WINDOW, either as
 * WINDOW ff_stream_append calls (coalesced by the client) or as one
 * ff_stream_append_many of WINDOW frames (@p many). */
static void append_run(ff_client *c, bu_admin *admin, long frames, int window, int many) {
    ff_claim *cl = running(c);
    size_t len = (size_t)bu_env_long("BENCH_FRAME_BYTES", 256);
    ff_frame *f = bench_frame(len);
    if (window < 1) window = 1;
    if (many && window > FF_STREAM_APPEND_MAX) window = FF_STREAM_APPEND_MAX;
    ff_op **ring = calloc((size_t)window, sizeof *ring);
    const ff_frame **fs = calloc((size_t)window, sizeof *fs);
    if (ring == NULL || fs == NULL) bu_die("oom");
    for (int k = 0; k < window; k++) fs[k] = f;
    bu_result r = {.scenario = many ? "stream-append-many" : "stream-append", .system = SYSTEM,
                   .concurrency = window, .jobs = frames};
    bu_admin_snap(admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    for (long done = 0; done < frames;) {
        int burst = frames - done < window ? (int)(frames - done) : window;
        int ops = many ? 1 : burst;
        for (int k = 0; k < ops; k++) {
            int st = many ? ff_stream_append_many(c, cl, fs, (size_t)burst, NULL, NULL, &ring[k])
                          : ff_stream_append(c, cl, f, NULL, NULL, &ring[k]);
            if (st != FF_OK) bu_die("append: %s", ff_status_name(st));
        }
        for (int k = 0; k < ops; k++) {
            must(FF_OK, ring[k], "append");
            ff_op_free(ring[k]);
        }
        done += burst;
    }
    r.elapsed_s = (double)(bu_now_ns() - t0) / 1e9;
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_admin_snap(admin, &r.s1);
    r.redis_version = bu_admin_version(admin);
    r.note = many ? "one claimed execution; durable frames, one ff_stream_append_many of WINDOW frames at a time; "
                    "jobs = frames"
                  : "one claimed execution; durable frames, bursts of WINDOW ff_stream_append calls (future mode, "
                    "coalesced by the client) on one client, each burst waited for; jobs = frames";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "frame_bytes", (long long)len);
    bu_json_end(&j);
    free(fs);
    free(ring);
    ff_frame_free(f);
    ff_claim_free(cl);
}

void ffb_run_stream_append(const char *url, bu_admin *admin, long frames, int window) {
    ff_client *c = ffb_connect(url);
    append_run(c, admin, frames, window, 0);
    append_run(c, admin, frames, window, 1);
    ff_client_free(c);
}

void ffb_run_stream_tail_latency(const char *url, bu_admin *admin, int samples) {
    ff_client *writer = ffb_connect(url), *reader = ffb_connect(url);
    ff_claim *cl = running(writer);
    ff_frame *f = bench_frame((size_t)bu_env_long("BENCH_FRAME_BYTES", 256));
    const char *eid = ff_claim_execution_id(cl);
    ff_op *op = NULL;
    int st = ff_stream_append(writer, cl, f, NULL, NULL, &op);
    must(st, op, "first append");
    char cursor[64];
    snprintf(cursor, sizeof cursor, "%s", ff_op_text(op));
    ff_op_free(op);
    bu_samples lat;
    bu_samples_init(&lat, (size_t)samples);
    bu_result r = {.scenario = "stream-tail-latency", .system = SYSTEM, .concurrency = 1, .jobs = samples};
    bu_admin_snap(admin, &r.s0);
    uint64_t start = bu_now_ns();
    for (int i = 0; i < samples; i++) {
        ff_op *t = NULL;
        if (ff_stream_tail(reader, eid, 0, cursor, 10000, 10, 0, NULL, NULL, &t) != FF_OK) bu_die("ff_stream_tail");
        bu_sleep_ms(3); /* let it reach its blocking XREAD */
        uint64_t t0 = bu_now_ns();
        ff_op *a = NULL;
        if (ff_stream_append(writer, cl, f, NULL, NULL, &a) != FF_OK) bu_die("ff_stream_append");
        must(FF_OK, t, "ff_stream_tail");
        uint64_t t1 = bu_now_ns();
        if (ff_op_item_count(t) != FF_ITEMS_READ_STREAM_STRIDE) bu_die("tail returned %zu items", ff_op_item_count(t));
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(t));
        must(FF_OK, a, "ff_stream_append");
        bu_samples_add(&lat, (double)(t1 - t0) / 1e6);
        ff_op_free(a);
        ff_op_free(t);
    }
    r.elapsed_s = (double)(bu_now_ns() - start) / 1e9;
    bu_admin_snap(admin, &r.s1);
    r.no_throughput = 1;
    r.lat = &lat;
    r.redis_version = bu_admin_version(admin);
    r.note = "latency = ff_stream_append call (writer client) -> ff_stream_tail completing with the frame (reader "
             "client: read, blocking XREAD on a dedicated connection, read)";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_minmax(&j, &lat);
    bu_json_end(&j);
    bu_samples_free(&lat);
    ff_frame_free(f);
    ff_claim_free(cl);
    ff_client_free(reader);
    ff_client_free(writer);
}
