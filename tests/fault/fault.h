/*
 * Shared helpers of the fault tests (tests/fault/, one scenario per file).
 * These tests kill worker processes, engines and the redis-server itself, so
 * ctest gives them a server of their own (fixture fault_server, one test at
 * a time), which each test empties first (fault_fresh_client).
 *
 * Child processes are always `ffctl` (fork + exec, found in $FF_FFCTL), in a
 * process group of their own so one kill(-pid) takes the whole process.
 * No test asserts on timing: every wait is for a condition, with a generous
 * bound that only a broken system hits.
 */
#ifndef FF_FAULT_H
#define FF_FAULT_H

#include <signal.h>

#include "../integration/itest.h"
#include "engine/engine_int.h"

#define FAULT_WAIT_MS 30000 /* default bound of a condition wait */

/* Wait until cond holds (re-evaluated every 50 ms), failing with the
 * message after max_ms. */
#define FAULT_WAIT(cond, max_ms, ...)                                          \
    do {                                                                       \
        int64_t fault__until = fft_now_ms() + (max_ms);                        \
        while (!(cond)) {                                                      \
            if (fft_now_ms() > fault__until) FFT_FAIL(__VA_ARGS__);            \
            fft_sleep_ms(50);                                                  \
        }                                                                      \
    } while (0)

static inline const char *fault_ffctl(void)
{
    const char *p = getenv("FF_FFCTL");
    if (p == NULL || p[0] == '\0' || access(p, X_OK) != 0) FFT_SKIP("FF_FFCTL does not name the ffctl binary");
    return p;
}

/* Replace C by a client of a freshly emptied server (FLUSHALL keeps the
 * function library; the next client boots the partition config again). */
static inline void fault_fresh_client(void)
{
    if (!fft_server_managed()) FFT_SKIP("fault tests need the fixture-managed server");
    ff_op *op = it_raw(C, "FLUSHALL", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_client_free(C);
    C = fft_client_new();
}

/* Start `ffctl --url <server> ARGS...` (args NULL-terminated) in its own
 * process group; stdout/stderr are the test's. Returns the pid. */
static inline pid_t fault_spawn(const char *const *args)
{
    const char *ffctl = fault_ffctl();
    const char *argv[64];
    int n = 0;
    argv[n++] = ffctl;
    argv[n++] = "--url";
    argv[n++] = fft_server_url();
    for (int i = 0; args[i] && n < 63; i++) argv[n++] = args[i];
    argv[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) FFT_FAIL("fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        execv(ffctl, (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

/* Wait for a child with a bound; returns its wait status. */
static inline int fault_reap(pid_t pid, int64_t max_ms)
{
    int64_t until = fft_now_ms() + max_ms;
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) FFT_FAIL("waitpid(%ld): %s", (long)pid, strerror(errno));
        if (fft_now_ms() > until) {
            kill(-pid, SIGKILL);
            FFT_FAIL("process %ld did not exit within %lld ms", (long)pid, (long long)max_ms);
        }
        fft_sleep_ms(20);
    }
}

/* SIGKILL the whole process group of a spawned ffctl and reap it. */
static inline void fault_kill9(pid_t pid)
{
    kill(-pid, SIGKILL);
    int st = fault_reap(pid, FAULT_WAIT_MS);
    FFT_CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "process %ld: wait status %d", (long)pid, st);
}

/* SIGTERM a spawned ffctl (graceful stop) and expect exit status 0. */
static inline void fault_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    int st = fault_reap(pid, 60000);
    FFT_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "process %ld: wait status %d", (long)pid, st);
}

/* Count of one state of a lane ("waiting", "delayed", "active", ...). */
static inline int64_t fault_count(ff_client *c, const char *lane, const char *state)
{
    ff_op *op = IT_OP(ff_lane_counts(c, lane, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int64_t v = 0;
    FFT_OK(ff_op_json_i64(op, state, &v));
    ff_op_free(op);
    return v;
}

/* Number of attempts of a described execution, and how many of them are
 * in state @p state. */
static inline int fault_attempts(ff_op *d, const char *state, int *with_state)
{
    int n = 0, k = 0;
    for (;; n++) {
        char p[64];
        const char *s = NULL;
        snprintf(p, sizeof p, "attempts.%d.state", n);
        if (ff_op_json_str(d, p, &s) != FF_OK) break;
        if (state && strcmp(s, state) == 0) k++;
    }
    if (with_state) *with_state = k;
    return n;
}

/* String field of attempt i ("" when absent). */
static inline const char *fault_attempt_str(ff_op *d, int i, const char *field)
{
    char p[96];
    const char *s = NULL;
    snprintf(p, sizeof p, "attempts.%d.%s", i, field);
    return ff_op_json_str(d, p, &s) == FF_OK ? s : "";
}

/* The execution's public state ("" if it cannot be described). */
static inline void fault_state(ff_client *c, const char *eid, char *buf, size_t cap)
{
    ff_op *op = IT_OP(ff_execution_describe(c, eid, NULL, NULL, OUT));
    snprintf(buf, cap, "%s", ff_op_status(op) == FF_OK ? ff_op_text(op) : "");
    ff_op_free(op);
}

/* How many partitions @p engine_id sweeps by the live set of the registry
 * (ff_engine_list + the engines' own split, engine/ownership.c); *total
 * receives how many partitions some live engine sweeps (all or none). */
static inline uint32_t fault_owned_by(ff_client *c, const char *engine_id, uint32_t *total)
{
    ff_op *op = it_raw(c, "FCALL_RO", "ff_engine_list", "2", "ff:{e}:engines", "ff:{e}:info", NULL);
    FFT_OK(ff_op_status(op));
    size_t n = (ff_op_reply_len(op) - 2) / 3;
    char(*ids)[128] = calloc(n ? n : 1, sizeof *ids);
    const char **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    FFT_CHECK(ids != NULL && ptrs != NULL);
    for (size_t i = 0; i < n; i++) {
        it_reply_str(op, 2 + 3 * i, ids[i], sizeof ids[i]);
        ptrs[i] = ids[i];
    }
    ff_op_free(op);
    uint32_t parts = ff_client_partitions(c), mine = 0;
    for (uint32_t p = 0; n > 0 && p < parts; p++) {
        size_t owner = ff__engine_owner(ptrs, n, p);
        if (engine_id && strcmp(ids[owner], engine_id) == 0) mine++;
    }
    if (total) *total = n > 0 ? parts : 0;
    free(ids);
    free(ptrs);
    return mine;
}

/* Is @p engine_id in the live-engine registry (ff_engine_list)? */
static inline int fault_engine_listed(ff_client *c, const char *engine_id)
{
    ff_op *op = it_raw(c, "FCALL_RO", "ff_engine_list", "2", "ff:{e}:engines", "ff:{e}:info", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    int found = 0;
    for (size_t i = 2; i < ff_op_reply_len(op); i += 3) {
        char id[128];
        it_reply_str(op, i, id, sizeof id);
        if (strcmp(id, engine_id) == 0) found = 1;
    }
    ff_op_free(op);
    return found;
}

/* Create an execution on lane with a payload; id into eid (IT_EID bytes). */
static inline void fault_create(ff_client *c, const char *lane, const char *kind, const char *payload, char *eid)
{
    ff_exec_spec *s = NULL;
    FFT_OK(ff_exec_spec_new(&s, kind));
    FFT_OK(ff_exec_spec_set_lane(s, lane));
    FFT_OK(ff_exec_spec_set_payload(s, payload, strlen(payload)));
    it_create_spec(c, s, eid, NULL, 0);
    ff_exec_spec_free(s);
}

/* Integer field of a JSON stats document (ff_worker/ff_engine_stats_json). */
static inline int64_t fault_stat(const char *json, const char *name)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\":", name);
    const char *p = strstr(json, pat);
    FFT_CHECK_MSG(p != NULL, "no %s in %s", name, json);
    return strtoll(p + strlen(pat), NULL, 10);
}

/* Counter @p name of an engine's ff_engine_stats_json. */
static inline int64_t fault_engine_stat(ff_engine *e, const char *name)
{
    char *s = NULL;
    FFT_OK(ff_engine_stats_json(e, &s));
    int64_t v = fault_stat(s, name);
    ff_free(s);
    return v;
}

#endif
