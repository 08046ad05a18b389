/*
 * The raw-redis floor of the stream scenarios (ff_stream_scenarios.h): what
 * the same work costs as bare stream commands, with no fence, no per-attempt
 * meta, no modes, no close.
 *
 *   stream-append FRAMES WINDOW   XADD raw:s MAXLEN ~ 10000 * p <256 bytes>,
 *                                 WINDOW in flight on one connection
 *   stream-tail-latency SAMPLES   XREAD BLOCK on one connection, XADD on
 *                                 another; XADD sent -> XREAD reply received
 */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bench_util.h"
#include "peers/raw_stream.h"

#define SYSTEM "raw-redis"
#define SKEY "raw:s"

redisContext *raw_connect_sync(const char *host, int port) {
    redisContext *c = redisConnect(host, port);
    if (c == NULL || c->err) bu_die("connect %s:%d: %s", host, port, c ? c->errstr : "oom");
    return c;
}

void raw_get_reply(redisContext *c, const char *what) {
    redisReply *r = NULL;
    if (redisGetReply(c, (void **)&r) != REDIS_OK || r == NULL) bu_die("%s: %s", what, c->errstr);
    if (r->type == REDIS_REPLY_ERROR) bu_die("%s: %s", what, r->str);
    freeReplyObject(r);
}

static char *frame_payload(size_t len) {
    char *p = malloc(len);
    if (p == NULL) bu_die("oom");
    for (size_t i = 0; i < len; i++) p[i] = (char)('a' + i % 26);
    return p;
}

static void append_xadd(redisContext *c, const char *p, size_t len) {
    const char *argv[] = {"XADD", SKEY, "MAXLEN", "~", "10000", "*", "p", p};
    size_t lens[] = {4, strlen(SKEY), 6, 1, 5, 1, 1, len};
    if (redisAppendCommandArgv(c, 8, argv, lens) != REDIS_OK) bu_die("XADD: %s", c->errstr);
}

void raw_pipeline(redisContext *c, long n, int window, void (*append)(redisContext *, void *), void *ud, int replies,
                  const char *what) {
    long sent = 0, got = 0;
    while (got < n) {
        while (sent < n && sent - got < window) {
            append(c, ud);
            sent++;
        }
        for (int k = 0; k < replies; k++) raw_get_reply(c, what);
        got++;
    }
}

typedef struct frame_arg {
    const char *p;
    size_t len;
} frame_arg;

static void append_frame(redisContext *c, void *ud) {
    frame_arg *f = ud;
    append_xadd(c, f->p, f->len);
}

void raw_run_stream_append(const char *host, int port, bu_admin *admin, long frames, int window) {
    redisContext *c = raw_connect_sync(host, port);
    size_t len = (size_t)bu_env_long("BENCH_FRAME_BYTES", 256);
    char *p = frame_payload(len);
    if (window < 1) window = 1;
    bu_result r = {.scenario = "stream-append", .system = SYSTEM, .concurrency = window, .jobs = frames};
    bu_admin_snap(admin, &r.s0);
    double cpu0 = bu_process_cpu_us();
    uint64_t t0 = bu_now_ns();
    frame_arg fa = {p, len};
    raw_pipeline(c, frames, window, append_frame, &fa, 1, "XADD");
    r.elapsed_s = (double)(bu_now_ns() - t0) / 1e9;
    r.client_cpu_us = bu_process_cpu_us() - cpu0;
    bu_admin_snap(admin, &r.s1);
    r.redis_version = bu_admin_version(admin);
    r.note = "raw-redis floor: XADD MAXLEN ~ 10000, WINDOW in flight on one connection; jobs = frames";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_int(&j, "frame_bytes", (long long)len);
    bu_json_end(&j);
    free(p);
    redisFree(c);
}

void raw_run_stream_tail_latency(const char *host, int port, bu_admin *admin, int samples) {
    redisContext *w = raw_connect_sync(host, port), *rd = raw_connect_sync(host, port);
    size_t len = (size_t)bu_env_long("BENCH_FRAME_BYTES", 256);
    char *p = frame_payload(len);
    redisReply *x = redisCommand(w, "XADD %s * p first", SKEY);
    if (x == NULL || x->type != REDIS_REPLY_STRING) bu_die("XADD");
    char cursor[64];
    snprintf(cursor, sizeof cursor, "%s", x->str);
    freeReplyObject(x);
    bu_samples lat;
    bu_samples_init(&lat, (size_t)samples);
    bu_result r = {.scenario = "stream-tail-latency", .system = SYSTEM, .concurrency = 1, .jobs = samples};
    bu_admin_snap(admin, &r.s0);
    uint64_t start = bu_now_ns();
    for (int i = 0; i < samples; i++) {
        const char *argv[] = {"XREAD", "BLOCK", "10000", "COUNT", "10", "STREAMS", SKEY, cursor};
        if (redisAppendCommandArgv(rd, 8, argv, NULL) != REDIS_OK) bu_die("XREAD");
        int done = 0;
        while (!done)
            if (redisBufferWrite(rd, &done) != REDIS_OK) bu_die("XREAD write");
        bu_sleep_ms(3); /* the same pause as the flowfabric-c run: the reader is blocked */
        uint64_t t0 = bu_now_ns();
        append_xadd(w, p, len);
        done = 0;
        while (!done)
            if (redisBufferWrite(w, &done) != REDIS_OK) bu_die("XADD write");
        redisReply *rep = NULL;
        if (redisGetReply(rd, (void **)&rep) != REDIS_OK || rep == NULL || rep->type != REDIS_REPLY_ARRAY)
            bu_die("XREAD reply: %s (type %d: %s)", rd->errstr, rep ? rep->type : -1,
                   rep && rep->type == REDIS_REPLY_ERROR ? rep->str : "");
        uint64_t t1 = bu_now_ns();
        /* [[key, [[id, fields]]]] */
        snprintf(cursor, sizeof cursor, "%s", rep->element[0]->element[1]->element[0]->element[0]->str);
        freeReplyObject(rep);
        raw_get_reply(w, "XADD");
        bu_samples_add(&lat, (double)(t1 - t0) / 1e6);
    }
    r.elapsed_s = (double)(bu_now_ns() - start) / 1e9;
    bu_admin_snap(admin, &r.s1);
    r.no_throughput = 1;
    r.lat = &lat;
    r.redis_version = bu_admin_version(admin);
    r.note = "raw-redis floor: latency = XADD sent (writer connection) -> the blocked XREAD's reply (reader)";
    bu_json j;
    bu_result_json(&j, &r);
    bu_json_minmax(&j, &lat);
    bu_json_end(&j);
    bu_samples_free(&lat);
    free(p);
    redisFree(w);
    redisFree(rd);
}
