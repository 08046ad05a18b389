/*
 * Shared helpers of the benchmark programs (bench/): clocks, latency samples,
 * Redis INFO snapshots, process CPU, and the one-line JSON report.
 *
 * Every program measures its own interval: it takes a snapshot (INFO + own
 * getrusage) right before the measured work starts and one right after it
 * ends, and reports the deltas divided by the number of jobs.
 */
#ifndef FF_BENCH_UTIL_H
#define FF_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ time / env */

/** CLOCK_MONOTONIC in nanoseconds (shared by all threads of the process). */
uint64_t bu_now_ns(void);
void bu_sleep_ms(double ms);
/** Integer environment knob with a default. */
long bu_env_long(const char *name, long dflt);
/** User+system CPU of this process (all threads), microseconds. */
double bu_process_cpu_us(void);

/** Die with a message (benchmarks have no recovery path). */
void bu_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* --------------------------------------------------------------- samples */

typedef struct bu_samples {
    double *v; /* milliseconds */
    size_t n, cap;
} bu_samples;

void bu_samples_init(bu_samples *s, size_t cap);
void bu_samples_free(bu_samples *s);
void bu_samples_add(bu_samples *s, double ms);
/** Nearest-rank percentile (q in 0..1) of the samples; sorts in place.
 *  Returns -1 when there are no samples. */
double bu_samples_pct(bu_samples *s, double q);

/* -------------------------------------------------------- redis snapshot */

typedef struct bu_redis_snap {
    double cmds;        /* INFO stats total_commands_processed */
    double cpu_us;      /* INFO cpu used_cpu_user + used_cpu_sys, in us */
    double used_memory; /* INFO memory used_memory */
    double mem_clients; /* INFO memory mem_clients_normal (client buffers) */
} bu_redis_snap;

/** Memory the data set grew by between two snapshots: the used_memory delta
 *  minus the change of client buffers (which come and go with traffic). */
double bu_data_memory_delta(const bu_redis_snap *s0, const bu_redis_snap *s1);

typedef struct bu_admin bu_admin;
/** Admin connection (plain hiredis, its own socket) to host:port. */
bu_admin *bu_admin_connect(const char *host, int port);
void bu_admin_free(bu_admin *a);
/** One `INFO stats cpu memory` call (counts as ONE command in the next
 *  snapshot's total_commands_processed: callers subtract BU_SNAP_CMDS). */
void bu_admin_snap(bu_admin *a, bu_redis_snap *out);
#define BU_SNAP_CMDS 1.0
/** Redis CPU of one snapshot (µs): the median of back-to-back snapshots,
 *  for scenarios that snapshot around many short intervals and subtract it. */
double bu_admin_info_cpu_us(bu_admin *a);
/** Redis version string of the server ("7.0.15"). */
const char *bu_admin_version(bu_admin *a);
/** Run a command and return its integer reply (or -1). */
long long bu_admin_int(bu_admin *a, const char *cmd);

/** Parse "redis://host:port" (or "host:port") into host/port. */
void bu_parse_url(const char *url, char *host, size_t hostcap, int *port);

/* --------------------------------------------------------------- report */

/** Builder of ONE JSON object printed on ONE line of stdout. */
typedef struct bu_json {
    char buf[8192];
    size_t len;
    int first;
} bu_json;

void bu_json_begin(bu_json *j);
void bu_json_str(bu_json *j, const char *key, const char *val);
void bu_json_int(bu_json *j, const char *key, long long val);
/** Number with @p prec decimals (NaN/inf print null). */
void bu_json_num(bu_json *j, const char *key, double val, int prec);
/** Same, but a negative value prints null ("not measured"). */
void bu_json_num_or_null(bu_json *j, const char *key, double val, int prec);
void bu_json_null(bu_json *j, const char *key);
/** Raw JSON value (array / object text). */
void bu_json_raw(bu_json *j, const char *key, const char *raw);
void bu_json_end(bu_json *j); /* prints + flushes */

/** The standard fields every throughput-style line carries. */
typedef struct bu_result {
    const char *scenario;
    const char *system;
    long concurrency;
    long jobs;
    double elapsed_s;
    bu_redis_snap s0, s1;
    double client_cpu_us; /* process CPU delta over the interval */
    bu_samples *lat;      /* may be NULL: latency fields print null */
    const char *redis_version;
    const char *note; /* may be NULL */
    int no_throughput; /* print throughput_per_s as null (latency / idle lines) */
} bu_result;

/** Opens the line with the standard fields; the caller may add more and must
 *  call bu_json_end(). */
void bu_result_json(bu_json *j, const bu_result *r);
/** Add "min_ms" and "max_ms" of @p lat. */
void bu_json_minmax(bu_json *j, bu_samples *lat);

#endif
