/*
 * /healthz and /metrics (Prometheus text format 0.0.4), both without auth.
 * The request counters and latency histograms are kept here in memory; the
 * deployment figures are read on each scrape through the public API
 * (ff_engine_list, ff_deployment_health, ff_lanes_page, ff_lane_counts).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* Upper bounds in seconds; the last bucket is +Inf. */
static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])
#define MAX_CODES 12

typedef struct route_stats {
    int code[MAX_CODES];
    uint64_t count[MAX_CODES];
    uint64_t bucket[NBUCKETS];
    uint64_t n;
    double sum;
} route_stats;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static route_stats *stats; /* nroutes + 1: the last is "unmatched" */
static size_t nstats;

void ffh_metrics_init(size_t nroutes) {
    pthread_mutex_lock(&mu);
    if (!stats) {
        stats = calloc(nroutes + 1, sizeof *stats);
        nstats = stats ? nroutes + 1 : 0;
    }
    pthread_mutex_unlock(&mu);
}

void ffh_metrics_observe(size_t route, int http, double ms) {
    pthread_mutex_lock(&mu);
    if (route < nstats) {
        route_stats *s = &stats[route];
        for (size_t i = 0; i < MAX_CODES; i++) {
            if (s->code[i] == 0) s->code[i] = http;
            if (s->code[i] == http) {
                s->count[i]++;
                break;
            }
        }
        double sec = ms / 1000.0;
        for (size_t b = 0; b < NBUCKETS; b++)
            if (sec <= buckets[b]) s->bucket[b]++;
        s->n++;
        s->sum += sec;
    }
    pthread_mutex_unlock(&mu);
}

/* A label value, escaped per the text format. */
static void label(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '\\' || *s == '"') fputc('\\', f), fputc(*s, f);
        else if (*s == '\n') fputs("\\n", f);
        else fputc(*s, f);
    }
}

static void http_metrics(FILE *f) {
    fputs("# HELP ff_http_requests_total HTTP requests served, by route pattern, method and status.\n"
          "# TYPE ff_http_requests_total counter\n",
          f);
    pthread_mutex_lock(&mu);
    for (size_t r = 0; r < nstats; r++) {
        const ffh_route *rt = ffh_route_at(r);
        for (size_t i = 0; i < MAX_CODES && stats[r].code[i]; i++) {
            fputs("ff_http_requests_total{route=\"", f);
            label(f, rt ? rt->pattern : "(unmatched)");
            fprintf(f, "\",method=\"%s\",status=\"%d\"} %" PRIu64 "\n", rt ? rt->method : "", stats[r].code[i],
                    stats[r].count[i]);
        }
    }
    fputs("# HELP ff_http_request_duration_seconds Time from a request's headers to its response, by route.\n"
          "# TYPE ff_http_request_duration_seconds histogram\n",
          f);
    for (size_t r = 0; r < nstats; r++) {
        if (!stats[r].n) continue;
        const ffh_route *rt = ffh_route_at(r);
        const char *pat = rt ? rt->pattern : "(unmatched)";
        for (size_t b = 0; b <= NBUCKETS; b++) {
            fputs("ff_http_request_duration_seconds_bucket{route=\"", f);
            label(f, pat);
            if (b < NBUCKETS) fprintf(f, "\",le=\"%g\"} %" PRIu64 "\n", buckets[b], stats[r].bucket[b]);
            else fprintf(f, "\",le=\"+Inf\"} %" PRIu64 "\n", stats[r].n);
        }
        fputs("ff_http_request_duration_seconds_sum{route=\"", f);
        label(f, pat);
        fprintf(f, "\"} %.6f\nff_http_request_duration_seconds_count{route=\"", stats[r].sum);
        label(f, pat);
        fprintf(f, "\"} %" PRIu64 "\n", stats[r].n);
    }
    pthread_mutex_unlock(&mu);
}

/* Live (not stale) engines; -1 when the deployment did not answer. */
static int64_t engines_alive(ffh_req *r) {
    ff_op *op = NULL;
    int st = ff_engine_list(r->c, NULL, NULL, &op);
    if (st != FF_OK || ff_op_wait(op, r->op_timeout_ms) != FF_OK) {
        ff_op_free(op);
        return -1;
    }
    json_t *doc = json_loads(ff_op_json(op), 0, NULL), *e;
    size_t i;
    int64_t n = 0;
    json_array_foreach(json_object_get(doc, "engines"), i, e) n += !json_is_true(json_object_get(e, "stale"));
    json_decref(doc);
    ff_op_free(op);
    return n;
}

static void healthz(ffh_req *r, ffh_resp *out) {
    int connected = ff_client_connected(r->c) == 1;
    int64_t alive = engines_alive(r);
    int ok = connected && alive > 0;
    ffh_json(out, ok ? 200 : 503,
             json_pack("{s:s,s:b,s:b,s:b,s:I,s:s}", "status", ok ? "ok" : "unavailable", "server_reachable",
                       alive >= 0, "library_loaded", connected, "engines_ok", alive > 0, "engines_alive",
                       (json_int_t)(alive < 0 ? 0 : alive), "version", ff_version_string()));
}

static void gauge(FILE *f, const char *name, const char *help, long long v) {
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void deployment_metrics(ffh_req *r, FILE *f) {
    gauge(f, "ff_library_loaded", "1 while the client is connected and the function library is loaded.",
          ff_client_connected(r->c) == 1);
    fprintf(f, "# HELP ff_client_connects_total Connections the server's client (re)established.\n"
               "# TYPE ff_client_connects_total counter\nff_client_connects_total %" PRIu64 "\n",
            ff_client_connect_count(r->c));
    int64_t alive = engines_alive(r);
    if (alive >= 0) gauge(f, "ff_engines_alive", "Engines whose heartbeat is current.", alive);
    ff_op *op = NULL;
    if (ff_deployment_health(r->c, NULL, NULL, &op) == FF_OK && ff_op_wait(op, r->op_timeout_ms) == FF_OK) {
        static const char *const keys[][2] = {
            {"partitions", "Partitions of the deployment."},
            {"leases_held", "Leases held now."},
            {"leases_overdue", "Leases expired but not yet turned reclaimable."},
            {"quarantined", "Executions set aside as corrupt."},
            {"suspended", "Suspended executions."}};
        json_t *doc = json_loads(ff_op_json(op), 0, NULL);
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            char name[64];
            snprintf(name, sizeof name, "ff_%s", keys[i][0]);
            json_t *v = json_object_get(doc, keys[i][0]);
            if (json_is_integer(v)) gauge(f, name, keys[i][1], (long long)json_integer_value(v));
        }
        json_decref(doc);
    }
    ff_op_free(op);

    /* Every lane (all pages), then its counts by lane index. */
    json_t *lanes = json_array();
    char cursor[128] = "";
    for (int pages = 0; pages < 100; pages++) {
        op = NULL;
        if (ff_lanes_page(r->c, cursor, 1000, NULL, NULL, &op) != FF_OK || ff_op_wait(op, r->op_timeout_ms) != FF_OK) {
            ff_op_free(op);
            break;
        }
        json_t *doc = json_loads(ff_op_json(op), 0, NULL), *l;
        size_t i;
        json_array_foreach(json_object_get(doc, "lanes"), i, l) json_array_append(lanes, l);
        const char *next = json_string_value(json_object_get(doc, "next_cursor"));
        int more = next && strlen(next) < sizeof cursor;
        if (more) snprintf(cursor, sizeof cursor, "%s", next);
        json_decref(doc);
        ff_op_free(op);
        if (!more) break;
    }
    fputs("# HELP ff_lane_paused 1 while an operator has paused the lane.\n# TYPE ff_lane_paused gauge\n", f);
    size_t i;
    json_t *l;
    json_array_foreach(lanes, i, l) {
        fputs("ff_lane_paused{lane=\"", f);
        label(f, json_string_value(json_object_get(l, "lane")) ?: "");
        fprintf(f, "\"} %d\n", json_is_true(json_object_get(l, "paused")));
    }
    fputs("# HELP ff_lane_executions Executions of a lane per lane index (ff_lane_counts).\n"
          "# TYPE ff_lane_executions gauge\n",
          f);
    json_array_foreach(lanes, i, l) {
        const char *lane = json_string_value(json_object_get(l, "lane"));
        op = NULL;
        if (!lane || ff_lane_counts(r->c, lane, NULL, NULL, &op) != FF_OK || ff_op_wait(op, r->op_timeout_ms) != FF_OK) {
            ff_op_free(op);
            continue;
        }
        json_t *doc = json_loads(ff_op_json(op), 0, NULL), *v;
        const char *state;
        json_object_foreach(doc, state, v) {
            if (!json_is_integer(v)) continue;
            fputs("ff_lane_executions{lane=\"", f);
            label(f, lane);
            fprintf(f, "\",state=\"%s\"} %lld\n", state, (long long)json_integer_value(v));
        }
        json_decref(doc);
        ff_op_free(op);
    }
    json_decref(lanes);
}

static void metrics(ffh_req *r, ffh_resp *out) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        ffh_error_http(out, 500, FF_ESYS, "internal", "out of memory");
        return;
    }
    deployment_metrics(r, f);
    http_metrics(f);
    fclose(f);
    out->http = 200;
    out->body = buf;
    out->len = len;
    out->ctype = "text/plain; version=0.0.4; charset=utf-8";
}

const ffh_route ffh_routes_obs[] = {
    {"GET", "/healthz", healthz, 0, 1},
    {"GET", "/metrics", metrics, 0, 1},
};
const size_t ffh_routes_obs_n = sizeof ffh_routes_obs / sizeof ffh_routes_obs[0];
