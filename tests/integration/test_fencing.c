/*
 * Lease fencing and the error vocabulary of lease-bound calls: stale_lease,
 * lease_expired, lease_revoked, fence_required, partial_fence_triple,
 * execution_not_active (+4 details), execution_not_found, and the "lost
 * reply" repeats of complete / fail / cancel.
 */
#include "itest.h"

/* Describe JSON (canonical, sorted keys) as an owned string. */
static char *snapshot(const char *eid)
{
    ff_op *d = it_describe(C, eid);
    char *s = strdup(ff_op_json(d));
    ff_op_free(d);
    FFT_CHECK(s != NULL);
    return s;
}

static void expect_unchanged(const char *eid, char *before)
{
    char *after = snapshot(eid);
    FFT_CHECK_MSG(strcmp(before, after) == 0, "state of %s changed:\nbefore %s\nafter  %s", eid, before, after);
    free(after);
    free(before);
}

/* A claimed execution on a fresh lane. */
static ff_claim *claimed(char *lane, size_t lane_cap, char *eid, const char *prefix)
{
    it_lane(lane, lane_cap, prefix);
    it_create(C, lane, 0, eid);
    return it_claim_expect(C, lane, eid);
}

static ff_claim *forge(const ff_claim *cl, const char *lease_id, uint64_t epoch, const char *attempt_id)
{
    ff_claim *f = NULL;
    FFT_OK(ff_claim_from_fence(&f, ff_claim_execution_id(cl), ff_claim_attempt_index(cl),
                               attempt_id ? attempt_id : ff_claim_attempt_id(cl),
                               lease_id ? lease_id : ff_claim_lease_id(cl), epoch, ff_claim_lease_ttl_ms(cl)));
    return f;
}

/* Every lease-bound call with fence f fails with want and writes nothing. */
static void all_calls_fail(const char *eid, const ff_claim *f, int want)
{
    char *before = snapshot(eid);
    int64_t n = it_dbsize(C);
    IT_EXPECT(ff_lease_renew(C, f, NULL, NULL, OUT), want);
    IT_EXPECT(ff_lease_progress(C, f, 10, "x", NULL, NULL, OUT), want);
    IT_EXPECT(ff_lease_complete(C, f, "r", 1, NULL, NULL, OUT), want);
    IT_EXPECT(ff_lease_fail(C, f, "r", "transient", NULL, NULL, OUT), want);
    IT_EXPECT(ff_lease_cancel(C, f, "r", NULL, NULL, OUT), want);
    IT_EXPECT(ff_lease_delay(C, f, 1, NULL, NULL, OUT), want);
    FFT_EQ_INT(it_dbsize(C), n);
    expect_unchanged(eid, before);
}

static void test_stale_wrong_lease_id(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-lid");
    ff_claim *f = forge(cl, "00000000-0000-4000-8000-000000000001", ff_claim_lease_epoch(cl), NULL);
    all_calls_fail(eid, f, FF_STALE_LEASE);
    ff_op *op = IT_OP(ff_lease_complete(C, f, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_server_code(op), "stale_lease");
    FFT_CHECK(ff_op_errmsg(op)[0] != '\0');
    ff_op_free(op);
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(f);
    ff_claim_free(cl);
}

static void test_stale_wrong_epoch(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-epoch");
    ff_claim *f = forge(cl, NULL, ff_claim_lease_epoch(cl) + 1, NULL);
    all_calls_fail(eid, f, FF_STALE_LEASE);
    ff_claim_free(f);
    f = forge(cl, NULL, 0, NULL);
    all_calls_fail(eid, f, FF_STALE_LEASE);
    ff_claim_free(f);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_stale_wrong_attempt_id(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-aid");
    ff_claim *f = forge(cl, NULL, ff_claim_lease_epoch(cl), "00000000-0000-4000-8000-0000000000aa");
    /* progress checks only lease id + epoch in the anchor; every other call
     * must refuse a foreign attempt id */
    char *before = snapshot(eid);
    IT_EXPECT(ff_lease_renew(C, f, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_complete(C, f, NULL, 0, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_fail(C, f, "r", NULL, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_cancel(C, f, NULL, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_delay(C, f, 1, NULL, NULL, OUT), FF_STALE_LEASE);
    expect_unchanged(eid, before);
    ff_claim_free(f);
    ff_claim_free(cl);
}

static void test_stale_after_reclaim(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *c1 = claimed(lane, sizeof lane, eid, "fe-reclaim");
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_OK);
    ff_claim *c2 = it_claim_expect(C, lane, eid);
    FFT_EQ_INT(ff_claim_lease_epoch(c2), ff_claim_lease_epoch(c1) + 1);
    all_calls_fail(eid, c1, FF_STALE_LEASE);
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_lease_expired_every_call(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "fe-expired");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    it_wait_lease_expired(C, cl);
    /* the first call notices the expiry (and marks it); all report it */
    IT_EXPECT(ff_lease_renew(C, cl, NULL, NULL, OUT), FF_LEASE_EXPIRED);
    it_state(C, eid, "active", ST_EXPIRED);
    all_calls_fail(eid, cl, FF_LEASE_EXPIRED);
    ff_op *op = IT_OP(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_server_code(op), "lease_expired");
    ff_op_free(op);
    /* an operator can still cancel it */
    IT_EXPECT(ff_execution_cancel(C, eid, "give up", NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "cancelled", ST_CANCELLED);
    ff_claim_free(cl);
}

static void test_lease_revoked_every_call(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-revoked");
    IT_EXPECT(ff_execution_revoke_lease(C, eid, ff_claim_lease_id(cl), "ops", NULL, NULL, OUT), FF_OK);
    all_calls_fail(eid, cl, FF_LEASE_REVOKED);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, NULL, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_server_code(op), "lease_revoked");
    ff_op_free(op);
    it_state(C, eid, "active", ST_REVOKED);
    ff_claim_free(cl);
}

/* Raw FCALL of a lease-bound function with an explicit fence. */
static ff_op *fcall_fenced(const char *fn, const char *eid, const char *lid, const char *epoch, const char *aid,
                           const char *extra1, const char *extra2)
{
    char key[128];
    snprintf(key, sizeof key, "ff:e:%s", eid);
    if (extra2) return it_raw(C, "FCALL", fn, "1", key, eid, lid, epoch, aid, extra1, extra2, NULL);
    return it_raw(C, "FCALL", fn, "1", key, eid, lid, epoch, aid, extra1, NULL);
}

static void test_fence_required(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-required");
    char *before = snapshot(eid);
    int64_t n = it_dbsize(C);
    ff_op *op;
    op = fcall_fenced("ff_complete", eid, "", "", "", "result", NULL);
    it_expect_envelope_error(op, "fence_required");
    ff_op_free(op);
    op = fcall_fenced("ff_renew", eid, "", "", "", "30000", NULL);
    it_expect_envelope_error(op, "fence_required");
    ff_op_free(op);
    op = fcall_fenced("ff_progress", eid, "", "", "", "10", "msg");
    it_expect_envelope_error(op, "fence_required");
    ff_op_free(op);
    op = fcall_fenced("ff_delay", eid, "", "", "", "0", NULL);
    it_expect_envelope_error(op, "fence_required");
    ff_op_free(op);
    {
        char key[128];
        snprintf(key, sizeof key, "ff:e:%s", eid);
        op = it_raw(C, "FCALL", "ff_fail", "1", key, eid, "", "", "", "reason", "cat", "0.5", "", NULL);
        it_expect_envelope_error(op, "fence_required");
        ff_op_free(op);
        op = it_raw(C, "FCALL", "ff_cancel", "1", key, eid, "reason", "lease_holder", "", "", "", NULL);
        it_expect_envelope_error(op, "fence_required");
        ff_op_free(op);
    }
    FFT_EQ_INT(it_dbsize(C), n);
    expect_unchanged(eid, before);
    /* the status table maps the token */
    FFT_EQ_INT(ff_status_from_server_token("fence_required"), FF_FENCE_REQUIRED);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_partial_fence_triple(void)
{
    char lane[64], eid[IT_EID], epoch[32];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-partial");
    snprintf(epoch, sizeof epoch, "%llu", (unsigned long long)ff_claim_lease_epoch(cl));
    const char *lid = ff_claim_lease_id(cl), *aid = ff_claim_attempt_id(cl);
    char *before = snapshot(eid);
    int64_t n = it_dbsize(C);
    const char *triples[][3] = {{lid, "", ""}, {"", epoch, ""}, {"", "", aid},
                                {lid, epoch, ""}, {lid, "", aid}, {"", epoch, aid}};
    for (size_t i = 0; i < sizeof triples / sizeof triples[0]; i++) {
        ff_op *op = fcall_fenced("ff_complete", eid, triples[i][0], triples[i][1], triples[i][2], "", NULL);
        it_expect_envelope_error(op, "partial_fence_triple");
        ff_op_free(op);
        op = fcall_fenced("ff_renew", eid, triples[i][0], triples[i][1], triples[i][2], "30000", NULL);
        it_expect_envelope_error(op, "partial_fence_triple");
        ff_op_free(op);
    }
    FFT_EQ_INT(it_dbsize(C), n);
    expect_unchanged(eid, before);
    FFT_EQ_INT(ff_status_from_server_token("partial_fence_triple"), FF_PARTIAL_FENCE_TRIPLE);
    /* the full triple through the raw path works */
    ff_op *op = fcall_fenced("ff_complete", eid, lid, epoch, aid, "raw", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    char b[64];
    it_reply_str(op, 1, b, sizeof b);
    FFT_EQ_STR(b, "OK");
    ff_op_free(op);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_malformed_fence_is_invalid_input(void)
{
    char lane[64], eid[IT_EID], epoch[32];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-malformed");
    snprintf(epoch, sizeof epoch, "%llu", (unsigned long long)ff_claim_lease_epoch(cl));
    const char *lid = ff_claim_lease_id(cl), *aid = ff_claim_attempt_id(cl);
    char *before = snapshot(eid);
    const char *bad[][3] = {{lid, "x", aid},      {lid, "-1", aid},   {lid, "1.0", aid},
                            {"not-a-uuid", epoch, aid}, {lid, epoch, "NOT-A-UUID"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ff_op *op = fcall_fenced("ff_complete", eid, bad[i][0], bad[i][1], bad[i][2], "", NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    expect_unchanged(eid, before);
    /* through the C API: an epoch beyond 2^53 cannot be represented */
    ff_claim *f = forge(cl, NULL, (1ull << 53) + 1, NULL);
    IT_EXPECT(ff_lease_complete(C, f, NULL, 0, NULL, NULL, OUT), FF_INVALID_INPUT);
    ff_claim_free(f);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_not_active_details(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-notactive");
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    char *before = snapshot(eid);
    /* fail after complete is not a repeat: not active, with the 4 details */
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "late", NULL, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_STR(ff_op_server_code(op), "execution_not_active");
    FFT_EQ_INT(ff_op_detail_count(op), 4);
    FFT_EQ_STR(ff_op_detail(op, 0), "success");        /* terminal_outcome */
    FFT_EQ_STR(ff_op_detail(op, 1), "1");              /* lease_epoch */
    FFT_EQ_STR(ff_op_detail(op, 2), "terminal");       /* lifecycle_phase */
    FFT_EQ_STR(ff_op_detail(op, 3), ff_claim_attempt_id(cl)); /* attempt_id */
    FFT_EQ_STR(ff_op_detail(op, 4), "");               /* out of range: "" */
    /* the details read as a sentence; the raw tuple stays in the details */
    FFT_EQ_STR(ff_op_errmsg(op), "execution is not active: it already ended as completed (lease epoch 1)");
    ff_op_free(op);
    IT_EXPECT(ff_lease_renew(C, cl, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    IT_EXPECT(ff_lease_progress(C, cl, 1, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    IT_EXPECT(ff_lease_delay(C, cl, 1, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    IT_EXPECT(ff_lease_cancel(C, cl, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    expect_unchanged(eid, before);

    /* waiting execution (never claimed): phase runnable, epoch 0 */
    char e2[IT_EID];
    it_create(C, lane, 0, e2);
    ff_claim *f = NULL;
    FFT_OK(ff_claim_from_fence(&f, e2, 0, "00000000-0000-4000-8000-000000000002",
                               "00000000-0000-4000-8000-000000000003", 1, 0));
    op = IT_OP(ff_lease_complete(C, f, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_INT(ff_op_detail_count(op), 4);
    FFT_EQ_STR(ff_op_detail(op, 0), "none");
    FFT_EQ_STR(ff_op_detail(op, 1), "0");
    FFT_EQ_STR(ff_op_detail(op, 2), "runnable");
    ff_op_free(op);
    it_state(C, e2, "waiting", ST_WAITING_FIRST);
    ff_claim_free(f);
    ff_claim_free(cl);
}

static void test_not_found(void)
{
    char eid[FF_EID_MAX];
    uint32_t parts = ff_client_partitions(C);
    FFT_CHECK(parts > 0);
    FFT_EQ_INT(ff__eid_mint(parts - 1, eid), 0);
    int64_t n = it_dbsize(C);
    ff_claim *f = NULL;
    FFT_OK(ff_claim_from_fence(&f, eid, 0, "00000000-0000-4000-8000-000000000004",
                               "00000000-0000-4000-8000-000000000005", 1, 0));
    ff_op *op = IT_OP(ff_lease_complete(C, f, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_FOUND);
    FFT_EQ_STR(ff_op_server_code(op), "execution_not_found");
    ff_op_free(op);
    IT_EXPECT(ff_lease_renew(C, f, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_lease_fail(C, f, NULL, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_lease_cancel(C, f, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_lease_delay(C, f, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_lease_progress(C, f, 0, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_describe(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_cancel(C, eid, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_replay(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_change_priority(C, eid, 3, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    FFT_EQ_INT(it_dbsize(C), n);
    ff_claim_free(f);
}

/* ---------------------------------------------------- lost-reply repeats */

static void test_repeat_complete(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-rep-complete");
    ff_op *op = IT_OP(ff_lease_complete(C, cl, "first", 5, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "completed");
    ff_op_free(op);
    char *before = snapshot(eid);
    int64_t n = it_dbsize(C);
    /* the reply was "lost": the worker sends the same call again */
    op = IT_OP(ff_lease_complete(C, cl, "first", 5, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "completed");
    ff_op_free(op);
    /* even with other result bytes, nothing changes */
    IT_EXPECT(ff_lease_complete(C, cl, "second", 6, NULL, NULL, OUT), FF_OK);
    FFT_EQ_INT(it_dbsize(C), n);
    expect_unchanged(eid, before);
    op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    size_t len = 0;
    const void *b = ff_op_bytes(op, &len);
    FFT_EQ_MEM(b, len, "first", 5);
    ff_op_free(op);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_repeat_fail_terminal(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-rep-fail");
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "bad", "permanent", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    char *before = snapshot(eid);
    op = IT_OP(ff_lease_fail(C, cl, "bad", "permanent", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    expect_unchanged(eid, before);
    /* a different terminal op is not a repeat */
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    it_state(C, eid, "failed", ST_FAILED);
    ff_claim_free(cl);
}

static void test_repeat_fail_retry(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "fe-rep-retry");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 2, "fixed", 600000, 0, 1.0, 0.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "flaky", "transient", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    int64_t at = ff_op_int(op);
    ff_op_free(op);
    char *before = snapshot(eid);
    op = IT_OP(ff_lease_fail(C, cl, "flaky", "transient", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    FFT_EQ_INT(ff_op_int(op), at);
    ff_op_free(op);
    expect_unchanged(eid, before);
    ff_op *d = it_check_state(C, eid, "delayed", ST_RETRY_WAIT);
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 1);
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_repeat_cancel_by_holder(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-rep-hcancel");
    IT_EXPECT(ff_lease_cancel(C, cl, "done", NULL, NULL, OUT), FF_OK);
    char *before = snapshot(eid);
    ff_op *op = IT_OP(ff_lease_cancel(C, cl, "done", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "cancelled");
    ff_op_free(op);
    expect_unchanged(eid, before);
    it_state(C, eid, "cancelled", ST_CANCELLED);
    ff_claim_free(cl);
}

static void test_repeat_operator_cancel(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "fe-rep-ocancel");
    it_create(C, lane, 0, eid);
    IT_EXPECT(ff_execution_cancel(C, eid, "r", NULL, NULL, OUT), FF_OK);
    char *before = snapshot(eid);
    ff_op *op = IT_OP(ff_execution_cancel(C, eid, "r", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "cancelled");
    ff_op_free(op);
    expect_unchanged(eid, before);
    /* but cancelling a completed execution is refused */
    char e2[IT_EID];
    it_create(C, lane, 0, e2);
    ff_claim *cl = it_claim_expect(C, lane, e2);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    op = IT_OP(ff_execution_cancel(C, e2, NULL, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_STR(ff_op_detail(op, 0), "success");
    ff_op_free(op);
    it_state(C, e2, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_not_eligible_and_not_terminal(void)
{
    char lane[64], eid[IT_EID];
    ff_claim *cl = claimed(lane, sizeof lane, eid, "fe-noteligible");
    char *before = snapshot(eid);
    ff_op *op = IT_OP(ff_execution_change_priority(C, eid, 5, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ELIGIBLE);
    FFT_EQ_STR(ff_op_server_code(op), "execution_not_eligible");
    ff_op_free(op);
    op = IT_OP(ff_execution_replay(C, eid, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_TERMINAL);
    FFT_EQ_STR(ff_op_server_code(op), "execution_not_terminal");
    ff_op_free(op);
    IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_TERMINAL);
    expect_unchanged(eid, before);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    /* change priority of a terminal execution: not eligible either */
    IT_EXPECT(ff_execution_change_priority(C, eid, 5, NULL, NULL, OUT), FF_EXECUTION_NOT_ELIGIBLE);
    /* a delayed execution is runnable (lua/README.md: "runnable only"): its
     * priority changes, but it stays delayed and out of the eligible index */
    char e2[IT_EID];
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 600000));
    it_create_spec(C, s, e2, NULL, 0);
    ff_exec_spec_free(s);
    op = IT_OP(ff_execution_change_priority(C, e2, 5, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    ff_op_free(op);
    IT_EXPECT(ff_execution_result(C, e2, NULL, NULL, OUT), FF_EXECUTION_NOT_TERMINAL);
    ff_op *d = it_check_state(C, e2, "delayed", ST_DELAYED_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 5);
    ff_op_free(d);
    ff_claim_free(cl);
}

int main(void)
{
    IT_RUN(test_stale_wrong_lease_id);
    IT_RUN(test_stale_wrong_epoch);
    IT_RUN(test_stale_wrong_attempt_id);
    IT_RUN(test_stale_after_reclaim);
    IT_RUN(test_lease_expired_every_call);
    IT_RUN(test_lease_revoked_every_call);
    IT_RUN(test_fence_required);
    IT_RUN(test_partial_fence_triple);
    IT_RUN(test_malformed_fence_is_invalid_input);
    IT_RUN(test_not_active_details);
    IT_RUN(test_not_found);
    IT_RUN(test_repeat_complete);
    IT_RUN(test_repeat_fail_terminal);
    IT_RUN(test_repeat_fail_retry);
    IT_RUN(test_repeat_cancel_by_holder);
    IT_RUN(test_repeat_operator_cancel);
    IT_RUN(test_not_eligible_and_not_terminal);
    return it_summary("test_fencing");
}
