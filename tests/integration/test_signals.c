/*
 * Suspension, waitpoints and HMAC-signed signals through the C API
 * (signal.h): suspend and resume, token authentication (tampered, foreign,
 * unknown kid, rotated keys with and without grace), idempotent signals and
 * suspends, resume conditions (all_of, count over distinct sources, name
 * matchers), every timeout behaviour (with an engine), buffered signals on
 * pending waitpoints, cancel while suspended, the operator reads (suspended
 * listing, sanitized waitpoints, raw token) and one worker-runtime round
 * trip (ff_task_suspend, then a resumed task).
 *
 * Key rotations change the deployment's current kid; every test mints its
 * tokens after any rotation it makes, so the order of tests does not matter.
 */
#include <poll.h>

#include "itest.h"

#define ST_SUSPENDED "suspended unowned not_applicable waiting_for_signal none attempt_interrupted"
#define ST_RESUMABLE "runnable unowned eligible_now waiting_for_worker none attempt_interrupted"

#define MAX_WP 8

/* What ff_lease_suspend answered. */
typedef struct susp_out {
    char outcome[32];
    int64_t number;
    size_t nwp;
    char id[MAX_WP][64];
    char key[MAX_WP][64];
    char tok[MAX_WP][192];
} susp_out;

static ff_suspend_spec *spec_new(const char *const *keys, size_t nkeys, const char *cond)
{
    ff_suspend_spec *s = NULL;
    FFT_OK(ff_suspend_spec_new(&s));
    for (size_t i = 0; i < nkeys; i++) FFT_OK(ff_suspend_spec_add_waitpoint(s, keys[i]));
    if (cond) FFT_OK(ff_suspend_spec_set_condition_json(s, cond));
    return s;
}

static void read_suspend(ff_op *op, susp_out *o)
{
    memset(o, 0, sizeof *o);
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("suspend failed: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(o->outcome, sizeof o->outcome, "%s", ff_op_text(op));
    o->number = ff_op_int(op);
    size_t n = ff_op_item_count(op);
    FFT_EQ_INT(n % 3, 0);
    o->nwp = n / 3;
    FFT_CHECK(o->nwp <= MAX_WP);
    for (size_t i = 0; i < o->nwp; i++) {
        snprintf(o->id[i], sizeof o->id[i], "%s", ff_op_item(op, 3 * i));
        snprintf(o->key[i], sizeof o->key[i], "%s", ff_op_item(op, 3 * i + 1));
        snprintf(o->tok[i], sizeof o->tok[i], "%s", ff_op_item(op, 3 * i + 2));
    }
}

static void do_suspend(const ff_claim *cl, const ff_suspend_spec *s, susp_out *o)
{
    ff_op *op = IT_OP(ff_lease_suspend(C, cl, s, NULL, NULL, OUT));
    read_suspend(op, o);
    ff_op_free(op);
}

/* Index of the waitpoint with this key in o. */
static size_t wp_of(const susp_out *o, const char *key)
{
    for (size_t i = 0; i < o->nwp; i++)
        if (strcmp(o->key[i], key) == 0) return i;
    FFT_FAIL("no waitpoint with key %s", key);
}

/* Create an execution on lane, claim it and suspend it with spec s. */
static ff_claim *create_claim(const char *lane, char *eid)
{
    it_create(C, lane, 0, eid);
    return it_claim_expect(C, lane, eid);
}

static void make_suspended(const char *lane, char *eid, const ff_suspend_spec *s, susp_out *o)
{
    ff_claim *cl = create_claim(lane, eid);
    do_suspend(cl, s, o);
    FFT_EQ_STR(o->outcome, "suspended");
    ff_claim_free(cl);
}

/* Deliver a signal and wait. Returns the op status; on success copies the
 * signal id and effect (either may be NULL) and *dup = ff_op_int(). */
static int send_signal(const char *eid, const char *wp, const char *tok, const char *name, const char *src,
                       const void *payload, size_t len, const char *idem, char *sid, char *effect, int64_t *dup)
{
    ff_op *op = IT_OP(ff_signal_deliver(C, eid, wp, tok, name, "user", src, payload, len, idem, NULL, NULL, OUT));
    int st = ff_op_status(op);
    if (st == FF_OK) {
        FFT_CHECK(ff_op_item_count(op) >= 1);
        if (sid) snprintf(sid, 64, "%s", ff_op_item(op, 0));
        if (effect) snprintf(effect, 64, "%s", ff_op_text(op));
        if (dup) *dup = ff_op_int(op);
    }
    ff_op_free(op);
    return st;
}

/* Signal that must succeed with this effect. */
static void signal_expect(const char *eid, const char *wp, const char *tok, const char *name, const char *src,
                          const char *want_effect)
{
    char effect[64];
    int st = send_signal(eid, wp, tok, name, src, NULL, 0, NULL, NULL, effect, NULL);
    FFT_CHECK_MSG(st == FF_OK, "signal %s from %s: %s", name, src, ff_status_name(st));
    FFT_EQ_STR(effect, want_effect);
}

static void wait_public(const char *eid, const char *want, int64_t max_ms)
{
    int64_t until = fft_now_ms() + max_ms;
    for (;;) {
        ff_op *d = it_describe(C, eid);
        int same = strcmp(ff_op_text(d), want) == 0;
        char got[64];
        snprintf(got, sizeof got, "%s", ff_op_text(d));
        ff_op_free(d);
        if (same) return;
        if (fft_now_ms() > until) FFT_FAIL("%s stayed %s, expected %s within %lld ms", eid, got, want, (long long)max_ms);
        fft_sleep_ms(25);
    }
}

/* A kid unique to this run (1..20 of [A-Za-z0-9_.-]). */
static void fresh_kid(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "%s%05ld%04x", tag, (long)(getpid() % 100000), (unsigned)(fft_now_ms() & 0xffff));
}

static void rotate(const char *kid, int64_t grace_ms)
{
    ff_op *op = IT_OP(ff_secret_rotate(C, kid, NULL, grace_ms, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("rotate: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    FFT_EQ_STR(ff_op_text(op), "rotated");
    ff_op_free(op);
}

static const char *const ONE_KEY[] = {"approval"};

/* ------------------------------------------------------------------ tests */

static void test_suspend_signal_resume(void)
{
    char lane[64], eid[IT_EID], sid[64], effect[64];
    it_lane(lane, sizeof lane, "sg-basic");
    ff_claim *cl = create_claim(lane, eid);
    uint32_t ai = ff_claim_attempt_index(cl);
    uint64_t epoch = ff_claim_lease_epoch(cl);
    char aid[128];
    snprintf(aid, sizeof aid, "%s", ff_claim_attempt_id(cl));
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, NULL);
    FFT_OK(ff_suspend_spec_set_reason(s, "waiting_for_approval"));
    susp_out o;
    do_suspend(cl, s, &o);
    ff_suspend_spec_free(s);
    ff_claim_free(cl);
    FFT_EQ_STR(o.outcome, "suspended");
    FFT_EQ_INT(o.number, 1);
    FFT_EQ_INT(o.nwp, 1);
    FFT_EQ_STR(o.key[0], "approval");
    /* token shape: kid ":" 40 hex */
    const char *colon = strchr(o.tok[0], ':');
    FFT_CHECK(colon != NULL && strlen(colon + 1) == 40);
    it_state(C, eid, "suspended", "suspended unowned not_applicable waiting_for_approval none attempt_interrupted");
    /* nothing to claim while suspended */
    FFT_CHECK(it_claim(C, lane) == NULL);

    int64_t dup = -1;
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "approved", "alice", "yes", 3, NULL, sid, effect, &dup));
    FFT_EQ_STR(effect, "resume_condition_satisfied");
    FFT_EQ_INT(dup, 0);
    it_state(C, eid, "waiting", ST_RESUMABLE);

    cl = it_claim_expect(C, lane, eid);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "resumed");
    FFT_EQ_INT(ff_claim_attempt_index(cl), ai);
    FFT_EQ_INT(ff_claim_lease_epoch(cl), epoch + 1);
    FFT_EQ_STR(ff_claim_attempt_id(cl), aid);

    ff_op *op = IT_OP(ff_lease_observe_signals(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 6);
    FFT_EQ_STR(ff_op_item(op, 0), sid);
    FFT_EQ_STR(ff_op_item(op, 1), "approved");
    FFT_EQ_STR(ff_op_item(op, 2), "user");
    FFT_EQ_STR(ff_op_item(op, 3), "alice");
    size_t plen = 0;
    const void *p = ff_op_item_bytes(op, 5, &plen);
    FFT_EQ_MEM(p, plen, "yes", 3);
    ff_op_free(op);

    IT_EXPECT(ff_lease_complete(C, cl, "done", 4, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 1);
    ff_op_free(d);
    /* the waitpoint is closed once the suspension resumed */
    FFT_EQ_STATUS(send_signal(eid, o.id[0], o.tok[0], "again", "alice", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_WAITPOINT_CLOSED);
}

static void test_token_authentication(void)
{
    char lane[64], eid[IT_EID], other[IT_EID];
    it_lane(lane, sizeof lane, "sg-auth");
    static const char *const keys[] = {"a", "b"};
    static const char *const both = "{\"all_of\":[{\"single\":{\"key\":\"a\"}},{\"single\":{\"key\":\"b\"}}]}";
    /* one spec per suspension: its waitpoint ids are minted when added */
    ff_suspend_spec *s = spec_new(keys, 2, both);
    susp_out o, o2;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    s = spec_new(keys, 2, both);
    make_suspended(lane, other, s, &o2);
    ff_suspend_spec_free(s);
    size_t a = wp_of(&o, "a"), b = wp_of(&o, "b");

    /* tampered: last hex digit changed */
    char bad[192];
    snprintf(bad, sizeof bad, "%s", o.tok[a]);
    size_t n = strlen(bad);
    bad[n - 1] = bad[n - 1] == 'f' ? '0' : 'f';
    FFT_EQ_STATUS(send_signal(eid, o.id[a], bad, "x", "eve", NULL, 0, NULL, NULL, NULL, NULL), FF_INVALID_TOKEN);
    /* malformed */
    FFT_EQ_STATUS(send_signal(eid, o.id[a], "nonsense", "x", "eve", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_INVALID_TOKEN);
    /* token of the other waitpoint of the same execution */
    FFT_EQ_STATUS(send_signal(eid, o.id[a], o.tok[b], "x", "eve", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_INVALID_TOKEN);
    /* token of another execution's waitpoint (same key "a") */
    size_t a2 = wp_of(&o2, "a");
    FFT_EQ_STATUS(send_signal(eid, o.id[a], o2.tok[a2], "x", "eve", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_INVALID_TOKEN);
    /* a valid token against another execution: same answer */
    FFT_EQ_STATUS(send_signal(other, o2.id[a2], o.tok[a], "x", "eve", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_INVALID_TOKEN);
    /* unknown kid with a well-formed MAC */
    const char *colon = strchr(o.tok[a], ':');
    char unk[192];
    snprintf(unk, sizeof unk, "nosuchkid%s", colon);
    FFT_EQ_STATUS(send_signal(eid, o.id[a], unk, "x", "eve", NULL, 0, NULL, NULL, NULL, NULL), FF_INVALID_TOKEN);
    /* an unknown waitpoint id with a well-formed token: still INVALID_TOKEN
     * (authentication first: existence is not revealed) */
    FFT_EQ_STATUS(send_signal(eid, "00000000-0000-4000-8000-000000000000", o.tok[a], "x", "eve", NULL, 0, NULL, NULL,
                              NULL, NULL),
                  FF_INVALID_TOKEN);
    /* none of that had an effect */
    it_state(C, eid, "suspended", ST_SUSPENDED);
    /* the genuine tokens still work */
    signal_expect(eid, o.id[a], o.tok[a], "x", "alice", "appended_to_waitpoint");
    signal_expect(eid, o.id[b], o.tok[b], "x", "alice", "resume_condition_satisfied");
}

static void test_rotation_grace(void)
{
    char lane[64], eid[IT_EID], kid[32];
    it_lane(lane, sizeof lane, "sg-grace");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, NULL);
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    char old_kid[32];
    snprintf(old_kid, sizeof old_kid, "%.*s", (int)(strchr(o.tok[0], ':') - o.tok[0]), o.tok[0]);

    fresh_kid(kid, sizeof kid, "g");
    rotate(kid, 600000);
    /* the list shows the new kid current and the old one in grace */
    ff_op *op = IT_OP(ff_secret_list(C, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(it_jstr(op, "current_kid"), kid);
    int found = 0;
    for (size_t i = 0;; i++) {
        char p[64];
        const char *k = NULL;
        snprintf(p, sizeof p, "previous.%zu.kid", i);
        if (ff_op_json_str(op, p, &k) != FF_OK) break;
        if (strcmp(k, old_kid) == 0) found = 1;
    }
    FFT_CHECK_MSG(found, "old kid %s not listed in grace: %s", old_kid, ff_op_json(op));
    FFT_EQ_INT(it_ji64(op, "partitions_disagreeing"), 0);
    ff_op_free(op);
    /* rotating again to the same kid (random secret) conflicts */
    op = IT_OP(ff_secret_rotate(C, kid, NULL, 1000, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_ROTATION_CONFLICT);
    ff_op_free(op);

    /* the old token is still good within the grace */
    signal_expect(eid, o.id[0], o.tok[0], "ok", "alice", "resume_condition_satisfied");

    /* new suspensions are signed with the new kid (another lane: the
     * first execution is claimable again) */
    char eid2[IT_EID];
    it_lane(lane, sizeof lane, "sg-grace2");
    s = spec_new(ONE_KEY, 1, NULL);
    make_suspended(lane, eid2, s, &o);
    ff_suspend_spec_free(s);
    FFT_CHECK(strncmp(o.tok[0], kid, strlen(kid)) == 0 && o.tok[0][strlen(kid)] == ':');
    signal_expect(eid2, o.id[0], o.tok[0], "ok", "alice", "resume_condition_satisfied");
}

static void test_rotation_expired(void)
{
    char lane[64], eid[IT_EID], kid[32];
    it_lane(lane, sizeof lane, "sg-expired");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, NULL);
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    fresh_kid(kid, sizeof kid, "x");
    rotate(kid, 1);
    fft_sleep_ms(20);
    FFT_EQ_STATUS(send_signal(eid, o.id[0], o.tok[0], "late", "alice", NULL, 0, NULL, NULL, NULL, NULL),
                  FF_TOKEN_EXPIRED);
    it_state(C, eid, "suspended", ST_SUSPENDED);
    /* the operator can still read the stored token (and cancel) */
    ff_op *op = IT_OP(ff_waitpoint_token(C, eid, o.id[0], NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), o.tok[0]);
    ff_op_free(op);
    IT_EXPECT(ff_execution_cancel(C, eid, "key rotated out", NULL, NULL, OUT), FF_OK);
}

static void test_duplicate_signal(void)
{
    char lane[64], eid[IT_EID], s1[64], s2[64], e1[64], e2[64];
    it_lane(lane, sizeof lane, "sg-dup");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, "{\"count\":{\"n\":3,\"kind\":\"distinct_signals\",\"keys\":[\"approval\"]}}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    int64_t dup = -1;
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "vote", "alice", "1", 1, "idem-1", s1, e1, &dup));
    FFT_EQ_INT(dup, 0);
    FFT_EQ_STR(e1, "appended_to_waitpoint");
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "vote", "alice", "1", 1, "idem-1", s2, e2, &dup));
    FFT_EQ_INT(dup, 1);
    FFT_EQ_STR(s2, s1);
    FFT_EQ_STR(e2, e1);
    /* the duplicate did not count: two more distinct signals are needed */
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "vote", "alice", "2", 1, "idem-2", NULL, e2, &dup));
    FFT_EQ_STR(e2, "appended_to_waitpoint");
    it_state(C, eid, "suspended", ST_SUSPENDED);
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "vote", "alice", "3", 1, NULL, NULL, e2, &dup));
    FFT_EQ_STR(e2, "resume_condition_satisfied");
    it_state(C, eid, "waiting", ST_RESUMABLE);
}

static void test_all_of(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-allof");
    static const char *const keys[] = {"legal", "security", "finance"};
    ff_suspend_spec *s = spec_new(keys, 3,
                                  "{\"all_of\":[{\"single\":{\"key\":\"legal\"}},{\"single\":{\"key\":\"security\"}},"
                                  "{\"single\":{\"key\":\"finance\"}}]}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    FFT_EQ_INT(o.nwp, 3);
    size_t l = wp_of(&o, "legal"), sec = wp_of(&o, "security"), f = wp_of(&o, "finance");
    signal_expect(eid, o.id[l], o.tok[l], "ok", "lee", "appended_to_waitpoint");
    /* the same waitpoint again adds nothing */
    signal_expect(eid, o.id[l], o.tok[l], "ok", "lee", "appended_to_waitpoint_duplicate");
    signal_expect(eid, o.id[sec], o.tok[sec], "ok", "sam", "appended_to_waitpoint");
    it_state(C, eid, "suspended", ST_SUSPENDED);
    signal_expect(eid, o.id[f], o.tok[f], "ok", "fay", "resume_condition_satisfied");
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_observe_signals(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 3 * 6);
    ff_op_free(op);
    ff_claim_free(cl);
}

static void test_count_distinct_sources(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-quorum");
    static const char *const keys[] = {"votes"};
    ff_suspend_spec *s =
        spec_new(keys, 1, "{\"count\":{\"n\":2,\"kind\":\"distinct_sources\",\"keys\":[\"votes\"],\"name\":\"yes\"}}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    signal_expect(eid, o.id[0], o.tok[0], "yes", "alice", "appended_to_waitpoint");
    /* the same source again does not count */
    signal_expect(eid, o.id[0], o.tok[0], "yes", "alice", "appended_to_waitpoint_duplicate");
    /* a "no" does not match the name */
    signal_expect(eid, o.id[0], o.tok[0], "no", "bob", "signal_ignored_matcher_failed");
    it_state(C, eid, "suspended", ST_SUSPENDED);
    signal_expect(eid, o.id[0], o.tok[0], "yes", "bob", "resume_condition_satisfied");
    it_state(C, eid, "waiting", ST_RESUMABLE);
}

static void test_non_matching_ignored(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-nomatch");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, "{\"single\":{\"key\":\"approval\",\"name\":\"approve\"}}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    signal_expect(eid, o.id[0], o.tok[0], "reject", "alice", "signal_ignored_matcher_failed");
    signal_expect(eid, o.id[0], o.tok[0], "Approve", "alice", "signal_ignored_matcher_failed");
    it_state(C, eid, "suspended", ST_SUSPENDED);
    signal_expect(eid, o.id[0], o.tok[0], "approve", "alice", "resume_condition_satisfied");
}

static void test_timeout_behaviours(void)
{
    static const char *const behaviours[] = {"fail", "cancel", "expire", "auto_resume", "escalate"};
    static const char *const want[] = {"failed", "cancelled", "expired", "waiting", "suspended"};
    enum { N = 5 };
    char lane[64], eid[N][IT_EID];
    it_lane(lane, sizeof lane, "sg-timeout");
    for (int i = 0; i < N; i++) {
        ff_suspend_spec *s = spec_new(ONE_KEY, 1, NULL);
        FFT_OK(ff_suspend_spec_set_timeout(s, 300, behaviours[i]));
        susp_out o;
        make_suspended(lane, eid[i], s, &o);
        ff_suspend_spec_free(s);
    }
    ff_engine_opts *eo = NULL;
    FFT_OK(ff_engine_opts_new(&eo));
    FFT_OK(ff_engine_opts_set_tick_ms(eo, 50));
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, eo));
    ff_engine_opts_free(eo);
    for (int i = 0; i < N - 1; i++) wait_public(eid[i], want[i], 30000);
    /* escalate: stays suspended, now paused_by_operator */
    int64_t until = fft_now_ms() + 30000;
    for (;;) {
        ff_op *d = it_describe(C, eid[N - 1]);
        int done = strcmp(it_jstr(d, "state.blocking_reason"), "paused_by_operator") == 0;
        ff_op_free(d);
        if (done) break;
        if (fft_now_ms() > until) FFT_FAIL("escalate timeout did not happen");
        fft_sleep_ms(25);
    }
    ff_engine_stop(e);

    it_state(C, eid[0], "failed", ST_FAILED);
    ff_op *d = it_describe(C, eid[0]);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "suspension_timeout:fail");
    ff_op_free(d);
    it_state(C, eid[1], "cancelled", ST_CANCELLED);
    it_state(C, eid[2], "expired", NULL);
    it_state(C, eid[3], "waiting", ST_RESUMABLE);
    it_state(C, eid[4], "suspended", "suspended unowned not_applicable paused_by_operator none attempt_interrupted");
    /* auto_resume comes back as the same attempt, with no signals */
    ff_claim *cl = it_claim_expect(C, lane, eid[3]);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "resumed");
    ff_op *op = IT_OP(ff_lease_observe_signals(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 0);
    ff_op_free(op);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_buffered_before_suspend(void)
{
    char lane[64], eid[IT_EID], effect[64], sid[64];
    it_lane(lane, sizeof lane, "sg-buffer");
    ff_claim *cl = create_claim(lane, eid);
    ff_op *op = IT_OP(ff_lease_create_waitpoint(C, cl, "callback", 60000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 3);
    char wp[64], tok[192];
    snprintf(wp, sizeof wp, "%s", ff_op_item(op, 0));
    FFT_EQ_STR(ff_op_item(op, 1), "callback");
    snprintf(tok, sizeof tok, "%s", ff_op_item(op, 2));
    FFT_CHECK(ff_op_int(op) > it_server_now_ms(C));
    ff_op_free(op);

    /* the callback arrives before the worker suspends */
    FFT_OK(send_signal(eid, wp, tok, "done", "webhook-1", "42", 2, NULL, sid, effect, NULL));
    FFT_EQ_STR(effect, "buffered_for_pending_waitpoint");
    it_state(C, eid, "active", ST_RUNNING);

    ff_suspend_spec *s = NULL;
    FFT_OK(ff_suspend_spec_new(&s));
    FFT_OK(ff_suspend_spec_use_pending(s, wp));
    /* a pending binding's key is only known to the server: the default
     * condition cannot be built, so the library refuses the spec */
    FFT_EQ_STATUS(ff_lease_suspend(C, cl, s, NULL, NULL, OUT), FF_EINVAL);
    FFT_OK(ff_suspend_spec_set_condition_json(s, "{\"single\":{\"key\":\"callback\",\"name\":\"done\"}}"));
    susp_out o;
    do_suspend(cl, s, &o);
    ff_suspend_spec_free(s);
    FFT_EQ_STR(o.outcome, "already_satisfied");
    /* the lease is kept: the same claim reads the signal and completes */
    it_state(C, eid, "active", ST_RUNNING);
    op = IT_OP(ff_lease_observe_signals(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 6);
    FFT_EQ_STR(ff_op_item(op, 0), sid);
    FFT_EQ_STR(ff_op_item(op, 3), "webhook-1");
    ff_op_free(op);
    IT_EXPECT(ff_lease_complete(C, cl, "ok", 2, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    it_state(C, eid, "completed", ST_COMPLETED);
}

static void test_suspend_idempotent_replay(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-sidem");
    ff_claim *cl = create_claim(lane, eid);
    static const char *const keys[] = {"a", "b"};
    ff_suspend_spec *s = spec_new(keys, 2, "{\"all_of\":[{\"single\":{\"key\":\"a\"}},{\"single\":{\"key\":\"b\"}}]}");
    FFT_OK(ff_suspend_spec_set_idempotency_key(s, "suspend-once"));
    susp_out o1, o2;
    do_suspend(cl, s, &o1);
    do_suspend(cl, s, &o2);
    ff_suspend_spec_free(s);
    ff_claim_free(cl);
    FFT_EQ_STR(o1.outcome, "suspended");
    FFT_EQ_STR(o2.outcome, o1.outcome);
    FFT_EQ_INT(o2.number, o1.number);
    FFT_EQ_INT(o2.nwp, o1.nwp);
    for (size_t i = 0; i < o1.nwp; i++) {
        FFT_EQ_STR(o2.id[i], o1.id[i]);
        FFT_EQ_STR(o2.tok[i], o1.tok[i]);
    }
    /* still exactly two waitpoints */
    ff_op *op = IT_OP(ff_execution_waitpoints(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 2 * FF_WAITPOINT_ITEMS);
    ff_op_free(op);
    it_state(C, eid, "suspended", ST_SUSPENDED);
}

static void test_cancel_while_suspended(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-cancel");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, NULL);
    FFT_OK(ff_suspend_spec_set_timeout(s, 3600000, "fail"));
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    IT_EXPECT(ff_execution_cancel(C, eid, "no longer needed", NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "cancelled", ST_CANCELLED);
    int st = send_signal(eid, o.id[0], o.tok[0], "approved", "alice", NULL, 0, NULL, NULL, NULL, NULL);
    FFT_CHECK_MSG(st == FF_WAITPOINT_CLOSED || st == FF_TARGET_NOT_SIGNALABLE, "signal after cancel: %s",
                  ff_status_name(st));
    ff_op *op = IT_OP(ff_execution_waitpoints(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), FF_WAITPOINT_ITEMS);
    FFT_EQ_STR(ff_op_item(op, FF_WAITPOINT_ITEM_STATE), "closed");
    ff_op_free(op);
    /* and it left the partition's suspended listing */
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    char key[128];
    snprintf(key, sizeof key, "ff:i:{fp:%u}:suspended", (unsigned)part);
    FFT_CHECK(!it_zscore(C, key, eid, NULL));
    snprintf(key, sizeof key, "ff:i:{fp:%u}:susp_timeout", (unsigned)part);
    FFT_CHECK(!it_zscore(C, key, eid, NULL));
}

static void test_list_suspended_paging(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "sg-list");
    uint32_t part = ff__lane_partition(lane, 0, ff_client_partitions(C));
    enum { N = 5 };
    char ids[N][FF_EID_MAX];
    for (int i = 0; i < N; i++) {
        ff_suspend_spec *ss = spec_new(ONE_KEY, 1, NULL);
        FFT_OK(ff_suspend_spec_set_reason(ss, "waiting_for_callback"));
        FFT_OK(ff_suspend_spec_set_timeout(ss, 3600000, "fail"));
        FFT_EQ_INT(ff__eid_mint(part, ids[i]), 0);
        ff_exec_spec *s = it_spec(lane);
        FFT_OK(ff_exec_spec_set_execution_id(s, ids[i]));
        char got[IT_EID];
        it_create_spec(C, s, got, NULL, 0);
        ff_exec_spec_free(s);
        ff_claim *cl = it_claim_expect(C, lane, ids[i]);
        susp_out o;
        do_suspend(cl, ss, &o);
        ff_claim_free(cl);
        ff_suspend_spec_free(ss);
    }
    /* page through the whole partition two at a time */
    int seen[N] = {0};
    char cursor[64] = "0";
    int pages = 0;
    do {
        ff_op *op = IT_OP(ff_execution_list_suspended(C, part, cursor, 2, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        size_t n = ff_op_item_count(op);
        FFT_EQ_INT(n % 4, 0);
        FFT_CHECK(n <= 2 * 4);
        for (size_t i = 0; i < n; i += 4) {
            for (int k = 0; k < N; k++) {
                if (strcmp(ff_op_item(op, i), ids[k]) != 0) continue;
                seen[k]++;
                FFT_EQ_STR(ff_op_item(op, i + 2), "waiting_for_callback");
                FFT_CHECK(strtoll(ff_op_item(op, i + 1), NULL, 10) > 0);
                FFT_CHECK(strtoll(ff_op_item(op, i + 3), NULL, 10) > strtoll(ff_op_item(op, i + 1), NULL, 10));
            }
        }
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
        FFT_CHECK_MSG(++pages < 10000, "paging does not end");
    } while (strcmp(cursor, "0") != 0);
    FFT_CHECK(pages >= 3);
    for (int k = 0; k < N; k++) FFT_CHECK_MSG(seen[k] == 1, "%s listed %d times", ids[k], seen[k]);
    /* bad count */
    FFT_EQ_STATUS(ff_execution_list_suspended(C, part, "0", 0, NULL, NULL, OUT), FF_EINVAL);
}

static void test_waitpoint_reads(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-reads");
    static const char *const keys[] = {"first", "second"};
    ff_suspend_spec *s = spec_new(keys, 2, "{\"count\":{\"n\":1,\"keys\":[\"first\",\"second\"]}}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    ff_op *op = IT_OP(ff_execution_waitpoints(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    size_t n = ff_op_item_count(op);
    FFT_EQ_INT(n, 2 * FF_WAITPOINT_ITEMS);
    for (size_t i = 0; i < n; i += FF_WAITPOINT_ITEMS) {
        size_t k = wp_of(&o, ff_op_item(op, i + 1));
        FFT_EQ_STR(ff_op_item(op, i), o.id[k]);
        FFT_EQ_STR(ff_op_item(op, i + 2), "active");
        const char *colon = strchr(o.tok[k], ':');
        char kid[32];
        snprintf(kid, sizeof kid, "%.*s", (int)(colon - o.tok[k]), o.tok[k]);
        FFT_EQ_STR(ff_op_item(op, i + 3), kid);
        /* fingerprint: the first 16 hex digits of the MAC, never more */
        FFT_EQ_INT(strlen(ff_op_item(op, i + 4)), 16);
        FFT_CHECK(strncmp(ff_op_item(op, i + 4), colon + 1, 16) == 0);
    }
    /* no item carries a token or its full MAC */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < o.nwp; k++) {
            FFT_CHECK(strstr(ff_op_item(op, i), o.tok[k]) == NULL);
            FFT_CHECK(strstr(ff_op_item(op, i), strchr(o.tok[k], ':') + 1) == NULL);
        }
    }
    ff_op_free(op);
    /* the operator read returns the raw token */
    for (size_t k = 0; k < o.nwp; k++) {
        op = IT_OP(ff_waitpoint_token(C, eid, o.id[k], NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_EQ_STR(ff_op_text(op), o.tok[k]);
        ff_op_free(op);
    }
    /* another execution's id: not found */
    char other[IT_EID];
    it_create(C, lane, 0, other);
    op = IT_OP(ff_waitpoint_token(C, other, o.id[0], NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_WAITPOINT_NOT_FOUND);
    ff_op_free(op);
}

static void test_payload_binary_safe(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-binary");
    ff_suspend_spec *s = spec_new(ONE_KEY, 1, "{\"count\":{\"n\":2,\"kind\":\"distinct_signals\",\"keys\":[\"approval\"]}}");
    susp_out o;
    make_suspended(lane, eid, s, &o);
    ff_suspend_spec_free(s);
    /* a short one (stored inline) and a long one (stored apart), both with
     * NUL and high bytes */
    unsigned char small[9] = {'a', 0, 'b', 0xff, 0, 0x80, '\n', 0, 'z'};
    unsigned char big[300];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 7 + 3);
    big[0] = 0;
    big[sizeof big - 1] = 0;
    char s1[64], s2[64], effect[64];
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "p", "a", small, sizeof small, NULL, s1, effect, NULL));
    FFT_OK(send_signal(eid, o.id[0], o.tok[0], "p", "a", big, sizeof big, NULL, s2, effect, NULL));
    FFT_EQ_STR(effect, "resume_condition_satisfied");
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_observe_signals(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 12);
    for (size_t i = 0; i < 12; i += 6) {
        size_t len = 0;
        const void *p = ff_op_item_bytes(op, i + 5, &len);
        if (strcmp(ff_op_item(op, i), s1) == 0) {
            FFT_EQ_MEM(p, len, small, sizeof small);
        } else {
            FFT_EQ_STR(ff_op_item(op, i), s2);
            FFT_EQ_MEM(p, len, big, sizeof big);
        }
    }
    ff_op_free(op);
    ff_claim_free(cl);
}

/* ------------------------------------------------------- worker runtime */

typedef struct rt_state {
    int suspended, completed, failed;
    uint32_t ai;
    uint64_t epoch;
    char resumed_type[32];
    uint32_t resumed_ai;
    uint64_t resumed_epoch;
    char wp[64], tok[192];
} rt_state;

static void rt_on_suspend(ff_op *op, void *ud)
{
    rt_state *r = ud;
    if (ff_op_status(op) != FF_OK || strcmp(ff_op_text(op), "suspended") != 0 || ff_op_item_count(op) != 3) {
        r->failed = 1;
        return;
    }
    snprintf(r->wp, sizeof r->wp, "%s", ff_op_item(op, 0));
    snprintf(r->tok, sizeof r->tok, "%s", ff_op_item(op, 2));
    r->suspended = 1;
}

static void rt_on_complete(ff_op *op, void *ud)
{
    rt_state *r = ud;
    if (ff_op_status(op) == FF_OK)
        r->completed = 1;
    else
        r->failed = 1;
}

static void rt_handler(ff_task *t, void *ud)
{
    rt_state *r = ud;
    const ff_claim *cl = ff_task_claim(t);
    if (strcmp(ff_claim_attempt_type(cl), "initial") == 0) {
        r->ai = ff_claim_attempt_index(cl);
        r->epoch = ff_claim_lease_epoch(cl);
        ff_suspend_spec *s = NULL;
        int st = ff_suspend_spec_new(&s);
        if (st == FF_OK) st = ff_suspend_spec_add_waitpoint(s, "go");
        if (st == FF_OK) st = ff_task_suspend(t, s, rt_on_suspend, r, NULL);
        ff_suspend_spec_free(s);
        if (st != FF_OK) r->failed = 1;
        return;
    }
    snprintf(r->resumed_type, sizeof r->resumed_type, "%s", ff_claim_attempt_type(cl));
    r->resumed_ai = ff_claim_attempt_index(cl);
    r->resumed_epoch = ff_claim_lease_epoch(cl);
    if (ff_task_complete(t, "resumed ok", 10, rt_on_complete, r, NULL) != FF_OK) r->failed = 1;
}

static void rt_pump(const rt_state *r, const int *flag)
{
    struct pollfd pf = {ff_client_fd(C), POLLIN, 0};
    int64_t until = fft_now_ms() + 30000;
    while (!*flag) {
        FFT_CHECK(!r->failed);
        if (fft_now_ms() > until) FFT_FAIL("worker runtime: timed out");
        poll(&pf, 1, 50);
        ff_client_dispatch(C, 0);
    }
}

static void test_worker_runtime_resume(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "sg-worker");
    it_create(C, lane, 0, eid);
    rt_state r;
    memset(&r, 0, sizeof r);
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_poll_ms(o, 200));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_on(w, NULL, rt_handler, &r));
    FFT_OK(ff_worker_start(w));
    rt_pump(&r, &r.suspended);
    it_state(C, eid, "suspended", ST_SUSPENDED);
    signal_expect(eid, r.wp, r.tok, "go", "tester", "resume_condition_satisfied");
    rt_pump(&r, &r.completed);
    char *stats = NULL;
    FFT_OK(ff_worker_stats_json(w, &stats));
    FFT_CHECK_MSG(strstr(stats, "\"suspended\":1") != NULL, "stats: %s", stats);
    ff_free(stats);
    ff_worker_free(w);
    FFT_EQ_STR(r.resumed_type, "resumed");
    FFT_EQ_INT(r.resumed_ai, r.ai);
    FFT_EQ_INT(r.resumed_epoch, r.epoch + 1);
    it_state(C, eid, "completed", ST_COMPLETED);
}

int main(void)
{
    IT_RUN(test_suspend_signal_resume);
    IT_RUN(test_token_authentication);
    IT_RUN(test_rotation_grace);
    IT_RUN(test_rotation_expired);
    IT_RUN(test_duplicate_signal);
    IT_RUN(test_all_of);
    IT_RUN(test_count_distinct_sources);
    IT_RUN(test_non_matching_ignored);
    IT_RUN(test_timeout_behaviours);
    IT_RUN(test_buffered_before_suspend);
    IT_RUN(test_suspend_idempotent_replay);
    IT_RUN(test_cancel_while_suspended);
    IT_RUN(test_list_suspended_paging);
    IT_RUN(test_waitpoint_reads);
    IT_RUN(test_payload_binary_safe);
    IT_RUN(test_worker_runtime_resume);
    return it_summary("test_signals");
}
