/*
 * Shared helpers of the C integration tests (header-only; each test file is
 * its own executable). Everything is static inline so a file that does not
 * use a helper gets no unused-function warning.
 *
 * Conventions: every test runs in a forked child with a fresh client C (see
 * IT_RUN), uses a fresh lane (fft_unique_name) so it only sees its own
 * executions, and runs ops in future mode, waited for with a generous bound
 * (a hang becomes a failure, never a stuck test). No timing assertions: waits
 * for a state are bounded poll loops on the SERVER clock (TIME).
 */
#ifndef FF_ITEST_H
#define FF_ITEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/ids.h"
#include "test_support.h"

#define IT_WAIT_MS 60000 /* upper bound for one op; only hit when something hangs */
#define IT_EID 80

/* ------------------------------------------------------------ op helpers */

/* Wait for a future op started with status rc; fail when it cannot start or
 * does not finish. Returns the op (caller frees). */
#define IT_OP(call) it__op(__FILE__, __LINE__, #call, (call), &it__last_op)
static ff_op *it__last_op;

static inline ff_op *it__op(const char *file, int line, const char *expr, int rc, ff_op **slot)
{
    ff_op *op = *slot;
    *slot = NULL;
    if (rc != FF_OK) fft__fail(file, line, "%s returned %s (%d)", expr, ff_status_name(rc), rc);
    if (op == NULL) fft__fail(file, line, "%s: no op", expr);
    int st = ff_op_wait(op, IT_WAIT_MS);
    if (st == FF_EAGAIN) fft__fail(file, line, "%s did not complete within %d ms", expr, IT_WAIT_MS);
    return op;
}

/* Expect an op to finish with a status; frees it. */
#define IT_EXPECT(call, status) it__expect(__FILE__, __LINE__, #call, (call), &it__last_op, (status))
static inline void it__expect(const char *file, int line, const char *expr, int rc, ff_op **slot, int want)
{
    ff_op *op = it__op(file, line, expr, rc, slot);
    int st = ff_op_status(op);
    if (st != want)
        fft__fail(file, line, "%s finished with %s (%s), expected %s", expr, ff_status_name(st), ff_op_errmsg(op),
                  ff_status_name(want));
    ff_op_free(op);
}

/* Pass OUT as the out argument of the call inside IT_OP / IT_EXPECT
 * (main thread only: it is one static slot, not thread-safe). */
#define OUT (&it__last_op)

/* ---------------------------------------------------------- raw commands */

/* Raw command from a NULL-terminated list of C strings; waits. */
static inline ff_op *it_raw(ff_client *c, ...)
{
    const char *argv[64];
    int32_t argc = 0;
    va_list ap;
    va_start(ap, c);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && argc < 64) argv[argc++] = a;
    va_end(ap);
    ff_op *op = NULL;
    FFT_OK(ff_client_command(c, argc, argv, NULL, NULL, NULL, &op));
    FFT_CHECK(ff_op_wait(op, IT_WAIT_MS) != FF_EAGAIN);
    return op;
}

/* Raw command with explicit lengths (binary args). */
static inline ff_op *it_rawv(ff_client *c, int32_t argc, const char *const *argv, const size_t *lens)
{
    ff_op *op = NULL;
    FFT_OK(ff_client_command(c, argc, argv, lens, NULL, NULL, &op));
    FFT_CHECK(ff_op_wait(op, IT_WAIT_MS) != FF_EAGAIN);
    return op;
}

static inline int64_t it_dbsize(ff_client *c)
{
    ff_op *op = it_raw(c, "DBSIZE", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_INTEGER);
    int64_t n = ff_op_reply_integer(op);
    ff_op_free(op);
    return n;
}

/* Server clock in unix ms (TIME). */
static inline int64_t it_server_now_ms(ff_client *c)
{
    ff_op *op = it_raw(c, "TIME", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    size_t l0 = 0, l1 = 0;
    const char *s = ff_op_reply_element(op, 0, &l0);
    const char *us = ff_op_reply_element(op, 1, &l1);
    FFT_CHECK(s && us);
    char b0[32], b1[32];
    snprintf(b0, sizeof b0, "%.*s", (int)l0, s);
    snprintf(b1, sizeof b1, "%.*s", (int)l1, us);
    ff_op_free(op);
    return strtoll(b0, NULL, 10) * 1000 + strtoll(b1, NULL, 10) / 1000;
}

/* Element i of an array reply as a C string copied into buf ("" for nil). */
static inline void it_reply_str(ff_op *op, size_t i, char *buf, size_t cap)
{
    size_t len = 0;
    const char *p = ff_op_reply_element(op, i, &len);
    if (p == NULL) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, "%.*s", (int)len, p);
}

/* A raw FCALL reply envelope must be {0, token, ...}. */
static inline void it_expect_envelope_error(ff_op *op, const char *token)
{
    char b[256];
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    FFT_CHECK(ff_op_reply_len(op) >= 2);
    it_reply_str(op, 1, b, sizeof b);
    FFT_EQ_STR(b, token);
}

/* ------------------------------------------------------------ executions */

static inline ff_exec_spec *it_spec(const char *lane)
{
    ff_exec_spec *s = NULL;
    FFT_OK(ff_exec_spec_new(&s, "test.kind"));
    FFT_OK(ff_exec_spec_set_lane(s, lane));
    return s;
}

/* Create from a spec; copies the id into eid (IT_EID bytes); returns the
 * public state text in state (may be NULL). */
static inline void it_create_spec(ff_client *c, const ff_exec_spec *s, char *eid, char *state, size_t state_cap)
{
    ff_op *op = IT_OP(ff_execution_create(c, s, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("create failed: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(eid, IT_EID, "%s", ff_op_execution_id(op));
    FFT_EQ_INT(ff__eid_parse(eid, NULL), 0);
    if (state) snprintf(state, state_cap, "%s", ff_op_text(op));
    ff_op_free(op);
}

/* Create a plain waiting execution with a priority. */
static inline void it_create(ff_client *c, const char *lane, int32_t priority, char *eid)
{
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_priority(s, priority));
    char st[32];
    it_create_spec(c, s, eid, st, sizeof st);
    FFT_EQ_STR(st, "waiting");
    ff_exec_spec_free(s);
}

static inline ff_claim_opts *it_claim_opts(const char *lane, int64_t ttl_ms)
{
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    FFT_OK(ff_claim_opts_add_lane(o, lane));
    FFT_OK(ff_claim_opts_set_lease_ttl_ms(o, ttl_ms));
    return o;
}

/* Claim one execution from lane with options o; NULL when none. */
static inline ff_claim *it_claim_with(ff_client *c, const ff_claim_opts *o)
{
    ff_op *op = IT_OP(ff_lease_claim(c, o, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("claim failed: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    ff_claim *cl = NULL;
    if (ff_op_claim_count(op) > 0) FFT_OK(ff_op_take_claim(op, 0, &cl));
    ff_op_free(op);
    return cl;
}

static inline ff_claim *it_claim(ff_client *c, const char *lane)
{
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    ff_claim *cl = it_claim_with(c, o);
    ff_claim_opts_free(o);
    return cl;
}

/* Wait (bounded by the lease itself) until the server clock is past the
 * claim's lease expiry: the lease is then expired as a state fact. */
static inline void it_wait_lease_expired(ff_client *c, const ff_claim *cl)
{
    while (it_server_now_ms(c) <= ff_claim_expires_at_ms(cl) + 20) fft_sleep_ms(50);
}

/* Claim, failing the test when nothing (or the wrong execution) is claimed. */
static inline ff_claim *it_claim_expect(ff_client *c, const char *lane, const char *eid)
{
    ff_claim *cl = it_claim(c, lane);
    FFT_CHECK_MSG(cl != NULL, "nothing claimable on lane %s (expected %s)", lane, eid ? eid : "any");
    if (eid) FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    return cl;
}

/* Poll-claim until something is claimed (retry backoff / delays), bounded. */
static inline ff_claim *it_claim_poll(ff_client *c, const char *lane, int64_t max_ms)
{
    int64_t until = fft_now_ms() + max_ms;
    for (;;) {
        ff_claim *cl = it_claim(c, lane);
        if (cl) return cl;
        if (fft_now_ms() > until) FFT_FAIL("nothing became claimable on lane %s within %lld ms", lane, (long long)max_ms);
        fft_sleep_ms(20);
    }
}

static inline ff_op *it_describe(ff_client *c, const char *eid)
{
    ff_op *op = IT_OP(ff_execution_describe(c, eid, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("describe %s failed: %s (%s)", eid, ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    return op;
}

static inline const char *it_jstr(ff_op *op, const char *path)
{
    const char *v = NULL;
    int st = ff_op_json_str(op, path, &v);
    if (st != FF_OK) FFT_FAIL("describe field %s: %s in %s", path, ff_status_name(st), ff_op_json(op));
    return v;
}

static inline int64_t it_ji64(ff_op *op, const char *path)
{
    int64_t v = 0;
    int st = ff_op_json_i64(op, path, &v);
    if (st != FF_OK) FFT_FAIL("describe field %s: %s in %s", path, ff_status_name(st), ff_op_json(op));
    return v;
}

/* ------------------------------------------------------ consistency check */

/* The anchor's public_state derivation (anchor-model-core 4.1). */
static inline const char *it_derive_public(const char *phase, const char *elig, const char *outcome)
{
    if (strcmp(phase, "terminal") == 0) {
        if (strcmp(outcome, "success") == 0) return "completed";
        if (strcmp(outcome, "failed") == 0) return "failed";
        if (strcmp(outcome, "cancelled") == 0) return "cancelled";
        if (strcmp(outcome, "expired") == 0) return "expired";
        if (strcmp(outcome, "skipped") == 0) return "skipped";
        return "failed";
    }
    if (strcmp(phase, "suspended") == 0) return "suspended";
    if (strcmp(phase, "active") == 0) return "active";
    if (strcmp(phase, "runnable") == 0) {
        if (strcmp(elig, "eligible_now") == 0) return "waiting";
        if (strcmp(elig, "not_eligible_until_time") == 0) return "delayed";
        if (strcmp(elig, "blocked_by_dependencies") == 0) return "waiting_children";
        if (strcmp(elig, "blocked_by_budget") == 0 || strcmp(elig, "blocked_by_quota") == 0) return "rate_limited";
        return "waiting";
    }
    return "waiting";
}

/* The lane index an execution in this state must be in (lua/README.md). */
static inline const char *it_expected_index(const char *phase, const char *own, const char *elig, const char *outcome)
{
    if (strcmp(phase, "terminal") == 0) {
        if (strcmp(outcome, "success") == 0) return "completed";
        return outcome;
    }
    if (strcmp(phase, "active") == 0) return strcmp(own, "leased") == 0 ? "active" : "eligible";
    if (strcmp(phase, "suspended") == 0) return "suspended";
    if (strcmp(phase, "runnable") == 0 && strcmp(elig, "not_eligible_until_time") == 0) return "delayed";
    if (strcmp(phase, "runnable") == 0 && strcmp(elig, "blocked_by_budget") == 0) return "budget_blocked";
    if (strcmp(phase, "runnable") == 0 && strcmp(elig, "blocked_by_route") == 0) return "route_blocked";
    return "eligible";
}

static const char *const it_lane_indexes[] = {"eligible", "delayed",   "active",  "suspended", "completed",
                                              "failed",   "cancelled", "expired", "skipped", "budget_blocked",
                                              "route_blocked"};

/* 1 when key (a ZSET) holds member; *score receives its score. ZMSCORE
 * gives an array reply whose element is readable with ff_op_reply_element. */
static inline int it_zscore(ff_client *c, const char *key, const char *member, double *score)
{
    ff_op *op = it_raw(c, "ZMSCORE", key, member, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    size_t len = 0;
    const char *p = ff_op_reply_element(op, 0, &len);
    int present = p != NULL;
    if (present && score) {
        char b[64];
        snprintf(b, sizeof b, "%.*s", (int)len, p);
        *score = strtod(b, NULL);
    }
    ff_op_free(op);
    return present;
}

/* Lane index key of an execution. */
static inline void it_index_key(char *out, size_t cap, const char *eid, const char *lane, const char *index)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    snprintf(out, cap, "ff:i:{fp:%u}:%s:%s", (unsigned)part, lane, index);
}

static inline void it_lease_expiry_key(char *out, size_t cap, const char *eid)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    snprintf(out, cap, "ff:i:{fp:%u}:lease_expiry", (unsigned)part);
}

/* Index membership: exactly one lane index holds eid, the expected one;
 * lease_expiry holds it iff it is leased. */
static inline void it_check_indexes(ff_client *c, const char *eid, const char *lane, const char *want_index,
                                    int leased)
{
    char key[256];
    int found = 0;
    for (size_t i = 0; i < sizeof it_lane_indexes / sizeof it_lane_indexes[0]; i++) {
        it_index_key(key, sizeof key, eid, lane, it_lane_indexes[i]);
        int in = it_zscore(c, key, eid, NULL);
        if (in) found++;
        if (strcmp(it_lane_indexes[i], want_index) == 0)
            FFT_CHECK_MSG(in, "%s is not in its index %s", eid, key);
        else
            FFT_CHECK_MSG(!in, "%s is in %s but should only be in %s", eid, key, want_index);
    }
    FFT_EQ_INT(found, 1);
    it_lease_expiry_key(key, sizeof key, eid);
    int in_lease = it_zscore(c, key, eid, NULL);
    FFT_CHECK_MSG(in_lease == leased, "%s: lease_expiry membership %d, expected %d", eid, in_lease, leased);
}

/*
 * Describe eid and check the 7 state dimensions are consistent with each
 * other and with the indexes. want_public: expected public state; want_dims:
 * NULL, or the expected six stored dimensions joined by spaces
 * ("runnable unowned eligible_now waiting_for_worker none pending_first_attempt").
 * Returns the describe op (caller frees).
 */
static inline ff_op *it_check_state(ff_client *c, const char *eid, const char *want_public, const char *want_dims)
{
    ff_op *op = it_describe(c, eid);
    const char *phase = it_jstr(op, "state.lifecycle_phase");
    const char *own = it_jstr(op, "state.ownership_state");
    const char *elig = it_jstr(op, "state.eligibility_state");
    const char *block = it_jstr(op, "state.blocking_reason");
    const char *outcome = it_jstr(op, "state.terminal_outcome");
    const char *ast = it_jstr(op, "state.attempt_state");
    const char *pub = it_jstr(op, "public_state");
    char dims[512];
    snprintf(dims, sizeof dims, "%s %s %s %s %s %s", phase, own, elig, block, outcome, ast);

    FFT_CHECK_MSG(strcmp(pub, want_public) == 0, "%s: public_state %s, expected %s (state: %s)", eid, pub,
                  want_public, dims);
    if (want_dims)
        FFT_CHECK_MSG(strcmp(dims, want_dims) == 0, "%s: state\n   is %s\n want %s", eid, dims, want_dims);
    FFT_EQ_STR(it_jstr(op, "state.public_state"), pub);
    FFT_EQ_STR(ff_op_text(op), pub);
    FFT_EQ_STR(ff_op_execution_id(op), eid);
    FFT_EQ_STR(it_jstr(op, "execution_id"), eid);
    FFT_CHECK_MSG(strcmp(it_derive_public(phase, elig, outcome), pub) == 0,
                  "%s: public_state %s does not derive from %s", eid, pub, dims);
    /* cross-dimension rules */
    int terminal = strcmp(phase, "terminal") == 0;
    FFT_CHECK_MSG(terminal == (strcmp(outcome, "none") != 0), "%s: phase/outcome disagree: %s", eid, dims);
    if (strcmp(phase, "runnable") != 0)
        FFT_CHECK_MSG(strcmp(elig, "not_applicable") == 0, "%s: eligibility outside runnable: %s", eid, dims);
    if (strcmp(phase, "active") != 0)
        FFT_CHECK_MSG(strcmp(own, "unowned") == 0, "%s: ownership outside active: %s", eid, dims);
    if (terminal) FFT_CHECK_MSG(strcmp(block, "none") == 0, "%s: terminal but blocked: %s", eid, dims);
    int leased = strcmp(phase, "active") == 0 && strcmp(own, "leased") == 0;
    if (leased) FFT_EQ_STR(ast, "running_attempt");
    /* the lease object is present iff leased */
    const char *lid = NULL;
    int has_lease = ff_op_json_str(op, "lease.lease_id", &lid) == FF_OK;
    FFT_CHECK_MSG(has_lease == leased, "%s: lease object %s but state %s", eid, has_lease ? "present" : "absent",
                  dims);
    /* indexes */
    const char *lane = it_jstr(op, "lane");
    it_check_indexes(c, eid, lane, it_expected_index(phase, own, elig, outcome), leased);
    /* partition timing indexes: an attempt timeout only runs while leased,
     * a deadline only while not terminal */
    char key[128];
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    snprintf(key, sizeof key, "ff:i:{fp:%u}:attempt_timeout", (unsigned)part);
    if (!leased) FFT_CHECK_MSG(!it_zscore(c, key, eid, NULL), "%s: in %s while %s", eid, key, dims);
    snprintf(key, sizeof key, "ff:i:{fp:%u}:deadline", (unsigned)part);
    if (terminal) FFT_CHECK_MSG(!it_zscore(c, key, eid, NULL), "%s: in %s while %s", eid, key, dims);
    /* every execution is in its partition's "all" set */
    snprintf(key, sizeof key, "ff:i:{fp:%u}:all", (unsigned)part);
    ff_op *m = it_raw(c, "SISMEMBER", key, eid, NULL);
    FFT_EQ_INT(ff_op_reply_integer(m), 1);
    ff_op_free(m);
    return op;
}

/* Same, freeing the op. */
static inline void it_state(ff_client *c, const char *eid, const char *want_public, const char *want_dims)
{
    ff_op_free(it_check_state(c, eid, want_public, want_dims));
}

/* Vectors used by many tests (six stored dimensions). */
#define ST_WAITING_FIRST "runnable unowned eligible_now waiting_for_worker none pending_first_attempt"
#define ST_DELAYED_FIRST "runnable unowned not_eligible_until_time waiting_for_delay none pending_first_attempt"
#define ST_RUNNING "active leased not_applicable none none running_attempt"
#define ST_COMPLETED "terminal unowned not_applicable none success attempt_terminal"
#define ST_FAILED "terminal unowned not_applicable none failed attempt_terminal"
#define ST_CANCELLED "terminal unowned not_applicable none cancelled attempt_terminal"
#define ST_RETRY_WAIT "runnable unowned not_eligible_until_time waiting_for_retry_backoff none pending_retry_attempt"
#define ST_SELF_DELAYED "runnable unowned not_eligible_until_time waiting_for_delay none attempt_interrupted"
#define ST_REPLAY_WAIT "runnable unowned eligible_now waiting_for_worker none pending_replay_attempt"
#define ST_REVOKED "active lease_revoked not_applicable waiting_for_worker none attempt_interrupted"
#define ST_EXPIRED "active lease_expired_reclaimable not_applicable waiting_for_worker none attempt_interrupted"

/* ----------------------------------------------------------- test runner */

/* The client every test uses; created fresh for each test. */
static ff_client *C;

static int it__count, it__failed, it__skipped;

/*
 * Each test runs in a forked child with its own client, so a failing check
 * (which exits the process) fails only that test and the others still run.
 * The parent never creates a client or a thread, so forking is safe.
 */
static inline void it__run(const char *name, void (*fn)(void))
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) FFT_FAIL("fork: %s", strerror(errno));
    if (pid == 0) {
        C = fft_client_new();
        fn();
        ff_client_free(C);
        C = NULL;
        fflush(stdout);
        exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) FFT_FAIL("waitpid: %s", strerror(errno));
    }
    it__count++;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("ok - %s\n", name);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        it__skipped++;
        printf("skip - %s\n", name);
    } else {
        it__failed++;
        if (WIFSIGNALED(status))
            printf("FAIL - %s (signal %d)\n", name, WTERMSIG(status));
        else
            printf("FAIL - %s (exit %d)\n", name, WEXITSTATUS(status));
    }
    fflush(stdout);
}

#define IT_RUN(fn) it__run(#fn, fn)

/* Closing line; the exit status of the test program. */
static inline int it_summary(const char *file)
{
    printf("%s: %d tests, %d passed, %d failed, %d skipped\n", file, it__count, it__count - it__failed - it__skipped,
           it__failed, it__skipped);
    return it__failed ? 1 : 0;
}

static inline void it_lane(char *buf, size_t cap, const char *prefix)
{
    fft_unique_name(buf, cap, prefix);
}

#endif
