/* Shared helpers of the benchmark programs; see bench_util.h. */
#define _GNU_SOURCE
#include "bench_util.h"

#include <hiredis/hiredis.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* ------------------------------------------------------------ time / env */

uint64_t bu_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bu_sleep_ms(double ms) {
    if (ms <= 0) return;
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000.0);
    ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000.0) * 1e6);
    while (nanosleep(&ts, &ts) != 0) {
    }
}

long bu_env_long(const char *name, long dflt) {
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') return dflt;
    char *end = NULL;
    long x = strtol(v, &end, 10);
    if (end == v) return dflt;
    return x;
}

double bu_process_cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec * 1e6 +
           (double)ru.ru_stime.tv_usec;
}

void bu_die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* --------------------------------------------------------------- samples */

void bu_samples_init(bu_samples *s, size_t cap) {
    s->n = 0;
    s->cap = cap ? cap : 16;
    s->v = malloc(s->cap * sizeof *s->v);
    if (s->v == NULL) bu_die("out of memory");
}

void bu_samples_free(bu_samples *s) {
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void bu_samples_add(bu_samples *s, double ms) {
    if (s->n == s->cap) {
        s->cap *= 2;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (s->v == NULL) bu_die("out of memory");
    }
    s->v[s->n++] = ms;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bu_samples_pct(bu_samples *s, double q) {
    if (s == NULL || s->n == 0) return -1;
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    /* nearest rank: ceil(q * n), 1-based */
    size_t rank = (size_t)ceil(q * (double)s->n);
    if (rank < 1) rank = 1;
    if (rank > s->n) rank = s->n;
    return s->v[rank - 1];
}

/* -------------------------------------------------------- redis snapshot */

struct bu_admin {
    redisContext *ctx;
    char version[64];
};

void bu_parse_url(const char *url, char *host, size_t hostcap, int *port) {
    const char *p = url;
    if (strncmp(p, "redis://", 8) == 0) p += 8;
    const char *colon = strrchr(p, ':');
    if (colon == NULL) bu_die("bad url %s (want redis://host:port)", url);
    size_t hl = (size_t)(colon - p);
    if (hl + 1 > hostcap) bu_die("host too long");
    memcpy(host, p, hl);
    host[hl] = '\0';
    *port = atoi(colon + 1);
}

static double info_field(const char *txt, const char *key) {
    size_t kl = strlen(key);
    const char *p = txt;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == txt || p[-1] == '\n') && p[kl] == ':') return strtod(p + kl + 1, NULL);
        p += kl;
    }
    return 0;
}

bu_admin *bu_admin_connect(const char *host, int port) {
    bu_admin *a = calloc(1, sizeof *a);
    if (a == NULL) bu_die("out of memory");
    a->ctx = redisConnect(host, port);
    if (a->ctx == NULL || a->ctx->err) bu_die("admin connect %s:%d failed", host, port);
    redisReply *r = redisCommand(a->ctx, "INFO server");
    if (r && r->type == REDIS_REPLY_STRING) {
        const char *v = strstr(r->str, "redis_version:");
        if (v) {
            v += strlen("redis_version:");
            size_t n = strcspn(v, "\r\n");
            if (n >= sizeof a->version) n = sizeof a->version - 1;
            memcpy(a->version, v, n);
            a->version[n] = '\0';
        }
    }
    freeReplyObject(r);
    return a;
}

void bu_admin_free(bu_admin *a) {
    if (a == NULL) return;
    redisFree(a->ctx);
    free(a);
}

void bu_admin_snap(bu_admin *a, bu_redis_snap *out) {
    redisReply *r = redisCommand(a->ctx, "INFO stats cpu memory");
    if (r == NULL || r->type != REDIS_REPLY_STRING) bu_die("INFO failed");
    out->cmds = info_field(r->str, "total_commands_processed");
    out->cpu_us = (info_field(r->str, "used_cpu_user") + info_field(r->str, "used_cpu_sys")) * 1e6;
    out->used_memory = info_field(r->str, "used_memory");
    out->mem_clients = info_field(r->str, "mem_clients_normal");
    freeReplyObject(r);
}

const char *bu_admin_version(bu_admin *a) { return a->version; }

double bu_admin_info_cpu_us(bu_admin *a) {
    enum { K = 21 };
    double d[K];
    bu_redis_snap x, y;
    bu_admin_snap(a, &x);
    for (int i = 0; i < K; i++) {
        bu_admin_snap(a, &y);
        d[i] = y.cpu_us - x.cpu_us;
        x = y;
    }
    for (int i = 1; i < K; i++) /* insertion sort, K is tiny */
        for (int k = i; k > 0 && d[k] < d[k - 1]; k--) {
            double t = d[k];
            d[k] = d[k - 1];
            d[k - 1] = t;
        }
    return d[K / 2];
}

double bu_data_memory_delta(const bu_redis_snap *s0, const bu_redis_snap *s1) {
    return (s1->used_memory - s1->mem_clients) - (s0->used_memory - s0->mem_clients);
}

long long bu_admin_int(bu_admin *a, const char *cmd) {
    redisReply *r = redisCommand(a->ctx, cmd);
    long long v = -1;
    if (r && r->type == REDIS_REPLY_INTEGER) v = r->integer;
    freeReplyObject(r);
    return v;
}

/* --------------------------------------------------------------- report */

static void j_put(bu_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void j_put(bu_json *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof j->buf - j->len) bu_die("report line too long");
    j->len += (size_t)n;
}

static void j_key(bu_json *j, const char *key) {
    j_put(j, "%s\"%s\":", j->first ? "" : ",", key);
    j->first = 0;
}

void bu_json_begin(bu_json *j) {
    j->len = 0;
    j->first = 1;
    j->buf[0] = '\0';
    j_put(j, "{");
}

void bu_json_str(bu_json *j, const char *key, const char *val) {
    j_key(j, key);
    j_put(j, "\"");
    for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
        if (*p == '"' || *p == '\\')
            j_put(j, "\\%c", *p);
        else if (*p < 0x20)
            j_put(j, "\\u%04x", *p);
        else
            j_put(j, "%c", *p);
    }
    j_put(j, "\"");
}

void bu_json_int(bu_json *j, const char *key, long long val) {
    j_key(j, key);
    j_put(j, "%lld", val);
}

void bu_json_num(bu_json *j, const char *key, double val, int prec) {
    j_key(j, key);
    if (!isfinite(val))
        j_put(j, "null");
    else
        j_put(j, "%.*f", prec, val);
}

void bu_json_num_or_null(bu_json *j, const char *key, double val, int prec) {
    if (val < 0)
        bu_json_null(j, key);
    else
        bu_json_num(j, key, val, prec);
}

void bu_json_null(bu_json *j, const char *key) {
    j_key(j, key);
    j_put(j, "null");
}

void bu_json_raw(bu_json *j, const char *key, const char *raw) {
    j_key(j, key);
    j_put(j, "%s", raw);
}

void bu_json_end(bu_json *j) {
    j_put(j, "}");
    fputs(j->buf, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

void bu_result_json(bu_json *j, const bu_result *r) {
    double jobs = (double)r->jobs;
    bu_json_begin(j);
    bu_json_str(j, "scenario", r->scenario);
    bu_json_str(j, "system", r->system);
    bu_json_int(j, "concurrency", r->concurrency);
    bu_json_int(j, "jobs", r->jobs);
    bu_json_num_or_null(j, "throughput_per_s",
                        (r->elapsed_s > 0 && r->jobs > 0 && !r->no_throughput) ? (double)r->jobs / r->elapsed_s : -1, 0);
    double p50 = -1, p95 = -1, p99 = -1;
    if (r->lat && r->lat->n) {
        p50 = bu_samples_pct(r->lat, 0.50);
        p95 = bu_samples_pct(r->lat, 0.95);
        p99 = bu_samples_pct(r->lat, 0.99);
    }
    bu_json_num_or_null(j, "p50_ms", p50, 3);
    bu_json_num_or_null(j, "p95_ms", p95, 3);
    bu_json_num_or_null(j, "p99_ms", p99, 3);
    if (r->jobs > 0) {
        bu_json_num(j, "redis_cmds_per_job", (r->s1.cmds - r->s0.cmds - BU_SNAP_CMDS) / jobs, 2);
        bu_json_num(j, "redis_cpu_us_per_job", (r->s1.cpu_us - r->s0.cpu_us) / jobs, 2);
        bu_json_num_or_null(j, "client_cpu_us_per_job", r->client_cpu_us >= 0 ? r->client_cpu_us / jobs : -1, 2);
    } else {
        bu_json_null(j, "redis_cmds_per_job");
        bu_json_null(j, "redis_cpu_us_per_job");
        bu_json_null(j, "client_cpu_us_per_job");
    }
    bu_json_num(j, "elapsed_ms", r->elapsed_s * 1000.0, 1);
    if (r->redis_version && r->redis_version[0]) bu_json_str(j, "redis_version", r->redis_version);
    if (r->note) bu_json_str(j, "note", r->note);
}

void bu_json_minmax(bu_json *j, bu_samples *lat) {
    bu_json_num(j, "min_ms", bu_samples_pct(lat, 0.0), 3);
    bu_json_num(j, "max_ms", bu_samples_pct(lat, 1.0), 3);
}
