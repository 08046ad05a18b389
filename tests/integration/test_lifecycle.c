/*
 * Every state transition of an execution, with the 7-dimension consistency
 * check and the index-membership check after each one.
 */
#include "itest.h"

static void test_create_waiting(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-create");
    it_create(C, lane, 3, eid);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_STR(it_jstr(d, "lane"), lane);
    FFT_EQ_STR(it_jstr(d, "kind"), "test.kind");
    FFT_EQ_STR(it_jstr(d, "namespace"), "default");
    FFT_EQ_INT(it_ji64(d, "priority"), 3);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 0);
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 0);
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), 0);
    FFT_EQ_INT(it_ji64(d, "counters.replay_count"), 0);
    FFT_EQ_INT(it_ji64(d, "lease_epoch"), 0);
    int64_t v;
    FFT_EQ_STATUS(ff_op_json_i64(d, "current_attempt.index", &v), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_i64(d, "attempts.0.index", &v), FF_ENOTFOUND);
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    FFT_EQ_INT(it_ji64(d, "partition"), part);
    ff_op_free(d);
    /* eligible score = -(priority * 1e12) + creation position: a later
     * execution of the same priority scores higher, one of a higher priority
     * scores lower by a multiple of 1e12 */
    char key[256], later[IT_EID], higher[IT_EID];
    double s0 = 0, s1 = 0, s2 = 0;
    it_create(C, lane, 3, later);
    it_create(C, lane, 5, higher);
    it_index_key(key, sizeof key, eid, lane, "eligible");
    FFT_CHECK(it_zscore(C, key, eid, &s0));
    FFT_CHECK(it_zscore(C, key, later, &s1));
    FFT_CHECK(it_zscore(C, key, higher, &s2));
    FFT_CHECK(s0 <= s1); /* equal when both were created in the same ms (ties go by id) */
    FFT_CHECK(s2 < s0);
    FFT_CHECK((long long)(s1 - s0) < 1000000000000LL);
    FFT_CHECK((long long)(s0 - s2) > 1000000000000LL);
}

static void test_create_delayed(void)
{
    char lane[64], eid[IT_EID], st[32];
    it_lane(lane, sizeof lane, "lc-delayed");
    ff_exec_spec *s = it_spec(lane);
    int64_t before = it_server_now_ms(C);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 600000));
    it_create_spec(C, s, eid, st, sizeof st);
    ff_exec_spec_free(s);
    FFT_EQ_STR(st, "delayed");
    ff_op *d = it_check_state(C, eid, "delayed", ST_DELAYED_FIRST);
    int64_t until = it_ji64(d, "timestamps.delay_until");
    FFT_CHECK(until >= before + 600000);
    char key[256];
    double score = 0;
    it_index_key(key, sizeof key, eid, lane, "delayed");
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, until);
    ff_op_free(d);
    /* not claimable before its time */
    FFT_CHECK(it_claim(C, lane) == NULL);
    it_state(C, eid, "delayed", ST_DELAYED_FIRST);

    /* an absolute delay in the past is not a delay */
    s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_until_ms(s, before - 10000));
    it_create_spec(C, s, eid, st, sizeof st);
    ff_exec_spec_free(s);
    FFT_EQ_STR(st, "waiting");
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
}

static void test_delayed_becomes_claimable(void)
{
    char lane[64], eid[IT_EID], st[32];
    it_lane(lane, sizeof lane, "lc-delay-due");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 150));
    it_create_spec(C, s, eid, st, sizeof st);
    ff_exec_spec_free(s);
    FFT_EQ_STR(st, "delayed");
    ff_claim *cl = it_claim_poll(C, lane, 20000);
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "initial");
    FFT_EQ_INT(ff_claim_attempt_index(cl), 0);
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_claim_initial(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-claim");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_payload(s, "hello", 5));
    FFT_OK(ff_exec_spec_set_namespace(s, "ns-lc"));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);

    ff_claim_opts *o = it_claim_opts(lane, 20000);
    FFT_OK(ff_claim_opts_set_worker_id(o, "w-lifecycle"));
    FFT_OK(ff_claim_opts_set_worker_instance_id(o, "w-lifecycle-1"));
    int64_t before = it_server_now_ms(C);
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "initial");
    FFT_EQ_INT(ff_claim_attempt_index(cl), 0);
    FFT_EQ_INT(ff_claim_lease_epoch(cl), 1);
    FFT_EQ_STR(ff_claim_lane(cl), lane);
    FFT_EQ_STR(ff_claim_kind(cl), "test.kind");
    FFT_EQ_STR(ff_claim_namespace(cl), "ns-lc");
    FFT_EQ_STR(ff_claim_worker_instance_id(cl), "w-lifecycle-1");
    FFT_EQ_INT(ff_claim_lease_ttl_ms(cl), 20000);
    FFT_CHECK(ff_claim_expires_at_ms(cl) >= before + 20000);
    size_t plen = 0;
    const void *p = ff_claim_payload(cl, &plen);
    FFT_EQ_MEM(p, plen, "hello", 5);

    ff_op *d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_STR(it_jstr(d, "lease.lease_id"), ff_claim_lease_id(cl));
    FFT_EQ_INT(it_ji64(d, "lease.epoch"), 1);
    FFT_EQ_INT(it_ji64(d, "lease.expires_at"), ff_claim_expires_at_ms(cl));
    FFT_EQ_STR(it_jstr(d, "lease.worker_id"), "w-lifecycle");
    FFT_EQ_STR(it_jstr(d, "lease.worker_instance_id"), "w-lifecycle-1");
    FFT_EQ_STR(it_jstr(d, "current_attempt.id"), ff_claim_attempt_id(cl));
    FFT_EQ_STR(it_jstr(d, "current_attempt.type"), "initial");
    FFT_EQ_INT(it_ji64(d, "current_attempt.index"), 0);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 1);
    FFT_EQ_INT(it_ji64(d, "lease_epoch"), 1);
    FFT_EQ_STR(it_jstr(d, "attempts.0.id"), ff_claim_attempt_id(cl));
    ff_op_free(d);
    /* the lease_expiry score is the lease expiry */
    char key[256];
    double score = 0;
    it_lease_expiry_key(key, sizeof key, eid);
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, ff_claim_expires_at_ms(cl));
    /* nothing else to claim */
    FFT_CHECK(it_claim(C, lane) == NULL);
    ff_claim_free(cl);
}

static void test_renew(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-renew");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 5000);
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    int64_t now = it_server_now_ms(C);
    ff_op *op = IT_OP(ff_lease_renew(C, cl, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int64_t exp = ff_op_int(op);
    ff_op_free(op);
    FFT_CHECK(exp >= now + 5000);
    FFT_CHECK(exp >= ff_claim_expires_at_ms(cl));
    ff_op *d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "lease.expires_at"), exp);
    FFT_EQ_INT(it_ji64(d, "lease.epoch"), 1); /* renew does not bump the epoch */
    ff_op_free(d);
    char key[256];
    double score = 0;
    it_lease_expiry_key(key, sizeof key, eid);
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, exp);
    /* the claim handle keeps working after renew */
    IT_EXPECT(ff_lease_complete(C, cl, "r", 1, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_progress(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-progress");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_progress(C, cl, 40, "forty", NULL, NULL, OUT), FF_OK);
    ff_op *d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "progress.percent"), 40);
    FFT_EQ_STR(it_jstr(d, "progress.message"), "forty");
    FFT_CHECK(it_ji64(d, "progress.updated_at") > 0);
    ff_op_free(d);
    IT_EXPECT(ff_lease_progress(C, cl, 100, NULL, NULL, NULL, OUT), FF_OK);
    d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "progress.percent"), 100);
    ff_op_free(d);
    /* out of range percent is rejected before any I/O */
    ff_op *op = NULL;
    FFT_EQ_STATUS(ff_lease_progress(C, cl, 101, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_progress(C, cl, -1, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    ff_claim_free(cl);
}

static void test_complete(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-complete");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_complete(C, cl, "done!", 5, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "completed");
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_INT(it_ji64(d, "has_result"), 1);
    FFT_EQ_INT(it_ji64(d, "lease_epoch"), 1); /* kept after terminal */
    FFT_EQ_STR(it_jstr(d, "current_attempt.id"), ff_claim_attempt_id(cl));
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_success");
    FFT_CHECK(it_ji64(d, "timestamps.ended_at") > 0);
    ff_op_free(d);
    op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const void *b = ff_op_bytes(op, &len);
    FFT_EQ_MEM(b, len, "done!", 5);
    ff_op_free(op);
    ff_claim_free(cl);
}

static ff_exec_spec *retry_spec(const char *lane, int32_t max_retries, const char *categories)
{
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, max_retries, "fixed", 50, 0, 1.0, 0.0, categories));
    return s;
}

static void test_fail_retry_then_terminal(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-retry");
    ff_exec_spec *s = retry_spec(lane, 1, NULL);
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);

    ff_claim *c1 = it_claim_expect(C, lane, eid);
    int64_t now = it_server_now_ms(C);
    ff_op *op = IT_OP(ff_lease_fail(C, c1, "boom", "transient", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    int64_t retry_at = ff_op_int(op);
    ff_op_free(op);
    FFT_CHECK(retry_at >= now + 50);
    ff_op *d = it_check_state(C, eid, "delayed", ST_RETRY_WAIT);
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 1);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "boom");
    FFT_EQ_STR(it_jstr(d, "failure.category"), "transient");
    FFT_EQ_INT(it_ji64(d, "timestamps.delay_until"), retry_at);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_failure");
    ff_op_free(d);
    char key[256];
    double score = 0;
    it_index_key(key, sizeof key, eid, lane, "delayed");
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, retry_at);

    /* after the backoff the next claim is a new attempt of type retry */
    ff_claim *c2 = it_claim_poll(C, lane, 20000);
    FFT_EQ_STR(ff_claim_execution_id(c2), eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "retry");
    FFT_EQ_INT(ff_claim_attempt_index(c2), 1);
    FFT_EQ_INT(ff_claim_lease_epoch(c2), 2);
    FFT_CHECK(strcmp(ff_claim_attempt_id(c2), ff_claim_attempt_id(c1)) != 0);
    FFT_CHECK(strcmp(ff_claim_lease_id(c2), ff_claim_lease_id(c1)) != 0);
    d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 2);
    FFT_EQ_STR(it_jstr(d, "current_attempt.type"), "retry");
    ff_op_free(d);

    /* retries exhausted: terminal */
    op = IT_OP(ff_lease_fail(C, c2, "boom again", "transient", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    d = it_check_state(C, eid, "failed", ST_FAILED);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "boom again");
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_failure");
    FFT_EQ_STR(it_jstr(d, "attempts.1.state"), "ended_failure");
    FFT_EQ_STR(it_jstr(d, "attempts.1.type"), "retry");
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 1);
    ff_op_free(d);
    FFT_CHECK(it_claim(C, lane) == NULL);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_fail_without_policy_is_terminal(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-fail");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "nope", NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "failed", ST_FAILED);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "nope");
    FFT_EQ_STR(it_jstr(d, "failure.category"), "error"); /* "" / NULL counts as "error" */
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_fail_category_filter(void)
{
    char lane[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "lc-category");
    ff_exec_spec *s = retry_spec(lane, 3, "transient,timeout");
    it_create_spec(C, s, e1, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, e1);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "bad input", "permanent", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    it_state(C, e1, "failed", ST_FAILED);
    ff_claim_free(cl);

    s = retry_spec(lane, 3, "transient,timeout");
    it_create_spec(C, s, e2, NULL, 0);
    ff_exec_spec_free(s);
    cl = it_claim_expect(C, lane, e2);
    op = IT_OP(ff_lease_fail(C, cl, "slow", "timeout", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    ff_op_free(op);
    it_state(C, e2, "delayed", ST_RETRY_WAIT);
    ff_claim_free(cl);
}

static void test_cancel_by_holder(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-hcancel");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_cancel(C, cl, "not needed", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "cancelled");
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "cancelled", ST_CANCELLED);
    FFT_EQ_STR(it_jstr(d, "cancellation.cancelled_by"), "lease_holder");
    FFT_EQ_STR(it_jstr(d, "cancellation.reason"), "not needed");
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_cancelled");
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_operator_cancel_waiting(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-ocancel-w");
    it_create(C, lane, 0, eid);
    ff_op *op = IT_OP(ff_execution_cancel(C, eid, "operator says no", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "cancelled");
    ff_op_free(op);
    /* no attempt ever existed: attempt_state is preserved */
    ff_op *d = it_check_state(C, eid, "cancelled",
                              "terminal unowned not_applicable none cancelled pending_first_attempt");
    FFT_EQ_STR(it_jstr(d, "cancellation.cancelled_by"), "operator_override");
    FFT_EQ_STR(it_jstr(d, "cancellation.reason"), "operator says no");
    ff_op_free(d);
    FFT_CHECK(it_claim(C, lane) == NULL);
}

static void test_operator_cancel_delayed(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-ocancel-d");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 600000));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    it_state(C, eid, "delayed", ST_DELAYED_FIRST);
    IT_EXPECT(ff_execution_cancel(C, eid, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "cancelled", "terminal unowned not_applicable none cancelled pending_first_attempt");
}

static void test_operator_cancel_active(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-ocancel-a");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_execution_cancel(C, eid, "stop", NULL, NULL, OUT), FF_OK);
    ff_op *d = it_check_state(C, eid, "cancelled", ST_CANCELLED);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_cancelled");
    ff_op_free(d);
    /* the former holder learns it is over */
    ff_op *op = IT_OP(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_STR(ff_op_server_code(op), "execution_not_active");
    FFT_EQ_INT(ff_op_detail_count(op), 4);
    FFT_EQ_STR(ff_op_detail(op, 0), "cancelled");
    FFT_EQ_STR(ff_op_detail(op, 1), "1");
    FFT_EQ_STR(ff_op_detail(op, 2), "terminal");
    FFT_EQ_STR(ff_op_detail(op, 3), ff_claim_attempt_id(cl));
    ff_op_free(op);
    IT_EXPECT(ff_lease_renew(C, cl, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    it_state(C, eid, "cancelled", ST_CANCELLED);
    ff_claim_free(cl);
}

static void test_delay_then_resumed_claim(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-resume");
    it_create(C, lane, 0, eid);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_progress(C, c1, 30, "part way", NULL, NULL, OUT), FF_OK);
    int64_t until = it_server_now_ms(C) + 150;
    ff_op *op = IT_OP(ff_lease_delay(C, c1, until, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), until);
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "delayed", ST_SELF_DELAYED);
    FFT_EQ_INT(it_ji64(d, "timestamps.delay_until"), until);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 1);
    ff_op_free(d);
    char key[256];
    double score = 0;
    it_index_key(key, sizeof key, eid, lane, "delayed");
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, until);
    /* the paused holder can no longer write */
    op = IT_OP(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_STR(ff_op_detail(op, 2), "runnable");
    ff_op_free(op);

    ff_claim *c2 = it_claim_poll(C, lane, 20000);
    FFT_EQ_STR(ff_claim_execution_id(c2), eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "resumed");
    FFT_EQ_INT(ff_claim_attempt_index(c2), ff_claim_attempt_index(c1));
    FFT_EQ_STR(ff_claim_attempt_id(c2), ff_claim_attempt_id(c1));
    FFT_EQ_INT(ff_claim_lease_epoch(c2), ff_claim_lease_epoch(c1) + 1);
    FFT_CHECK(strcmp(ff_claim_lease_id(c2), ff_claim_lease_id(c1)) != 0);
    d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 1);
    FFT_EQ_INT(it_ji64(d, "lease.epoch"), 2);
    ff_op_free(d);
    /* the old fence (same attempt, older epoch) is stale now */
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_OK);
    d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_success");
    FFT_EQ_STATUS(ff_op_json_str(d, "attempts.1.state", NULL), FF_ENOTFOUND);
    ff_op_free(d);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_change_priority(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-prio");
    it_create(C, lane, 1, eid);
    char pkey[256];
    double score_p1 = 0;
    it_index_key(pkey, sizeof pkey, eid, lane, "eligible");
    FFT_CHECK(it_zscore(C, pkey, eid, &score_p1));
    ff_op *op = IT_OP(ff_execution_change_priority(C, eid, 7, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 7);
    ff_op_free(d);
    /* rescored by exactly the priority difference: the FIFO position stays */
    char key[256];
    double score = 0;
    it_index_key(key, sizeof key, eid, lane, "eligible");
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)(score - score_p1), -6 * 1000000000000LL);
    /* clamped to 0..9000 */
    op = IT_OP(ff_execution_change_priority(C, eid, 100000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 7);
    ff_op_free(op);
    d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 9000);
    ff_op_free(d);
    op = IT_OP(ff_execution_change_priority(C, eid, -4, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 9000);
    ff_op_free(op);
    d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 0);
    ff_op_free(d);
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)(score - score_p1), 1000000000000LL);
}

static void test_replay(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-replay");
    it_create(C, lane, 0, eid);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, c1, "v1", 2, NULL, NULL, OUT), FF_OK);
    ff_op *op = IT_OP(ff_execution_replay(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "waiting");
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "waiting", ST_REPLAY_WAIT);
    FFT_EQ_INT(it_ji64(d, "counters.replay_count"), 1);
    ff_op_free(d);
    ff_claim *c2 = it_claim_expect(C, lane, eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "replay");
    FFT_EQ_INT(ff_claim_attempt_index(c2), 1);
    FFT_EQ_INT(ff_claim_lease_epoch(c2), 2);
    it_state(C, eid, "active", ST_RUNNING);
    /* the first run's fence cannot touch the replay */
    IT_EXPECT(ff_lease_complete(C, c1, "stale", 5, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_complete(C, c2, "v2", 2, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED);
    op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const void *b = ff_op_bytes(op, &len);
    FFT_EQ_MEM(b, len, "v2", 2);
    ff_op_free(op);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_replay_failed_and_cancelled(void)
{
    char lane[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "lc-replay2");
    it_create(C, lane, 0, e1);
    ff_claim *cl = it_claim_expect(C, lane, e1);
    IT_EXPECT(ff_lease_fail(C, cl, "x", "permanent", NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    IT_EXPECT(ff_execution_replay(C, e1, NULL, NULL, OUT), FF_OK);
    it_state(C, e1, "waiting", ST_REPLAY_WAIT);
    IT_EXPECT(ff_execution_cancel(C, e1, NULL, NULL, NULL, OUT), FF_OK);
    /* a replayed-then-cancelled execution had attempts: attempt_terminal */
    it_state(C, e1, "cancelled", ST_CANCELLED);

    it_create(C, lane, 0, e2);
    IT_EXPECT(ff_execution_cancel(C, e2, NULL, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_execution_replay(C, e2, NULL, NULL, OUT), FF_OK);
    it_state(C, e2, "waiting", NULL);
    cl = it_claim_expect(C, lane, e2);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "replay");
    FFT_EQ_INT(ff_claim_attempt_index(cl), 0);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    it_state(C, e2, "completed", ST_COMPLETED);
    ff_claim_free(cl);
}

static void test_replay_cap(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-replaycap");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_limits(s, -1, 1));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    IT_EXPECT(ff_execution_replay(C, eid, NULL, NULL, OUT), FF_OK);
    cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_INT(it_ji64(d, "counters.replay_count"), 1);
    ff_op_free(d);
    int64_t before = it_dbsize(C);
    ff_op *op = IT_OP(ff_execution_replay(C, eid, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_MAX_REPLAYS_EXHAUSTED);
    FFT_EQ_STR(ff_op_server_code(op), "max_replays_exhausted");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), before);
    d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_INT(it_ji64(d, "counters.replay_count"), 1);
    ff_op_free(d);
}

static void test_revoke_then_reclaim(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-revoke");
    it_create(C, lane, 0, eid);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_execution_revoke_lease(C, eid, NULL, "operator revoke", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "revoked");
    ff_op_free(op);
    ff_op *d = it_check_state(C, eid, "active", ST_REVOKED);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "interrupted_reclaimed");
    ff_op_free(d);
    /* the stale holder's writes are refused */
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_LEASE_REVOKED);
    IT_EXPECT(ff_lease_renew(C, c1, NULL, NULL, OUT), FF_LEASE_REVOKED);
    IT_EXPECT(ff_lease_fail(C, c1, "x", NULL, NULL, NULL, OUT), FF_LEASE_REVOKED);
    IT_EXPECT(ff_lease_progress(C, c1, 5, NULL, NULL, NULL, OUT), FF_LEASE_REVOKED);
    it_state(C, eid, "active", ST_REVOKED);
    /* revoking again is a no-op */
    op = IT_OP(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "already_revoked");
    ff_op_free(op);

    /* the normal claim path reclaims it: a new attempt */
    ff_claim *c2 = it_claim_expect(C, lane, eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "reclaim");
    FFT_EQ_INT(ff_claim_attempt_index(c2), 1);
    FFT_EQ_INT(ff_claim_lease_epoch(c2), 2);
    d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), 1);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 2);
    ff_op_free(d);
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_revoke_expected_lease_mismatch(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-revoke-m");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_execution_revoke_lease(C, eid, "00000000-0000-4000-8000-000000000000", NULL, NULL, NULL, OUT),
              FF_STALE_LEASE);
    it_state(C, eid, "active", ST_RUNNING);
    ff_op *rv = IT_OP(ff_execution_revoke_lease(C, eid, ff_claim_lease_id(cl), NULL, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(rv), FF_OK);
    /* the revoke names what it revoked: the lease id and its epoch */
    FFT_EQ_STR(ff_op_text(rv), "revoked");
    FFT_EQ_INT(ff_op_item_count(rv), 1);
    FFT_EQ_STR(ff_op_item(rv, 0), ff_claim_lease_id(cl));
    FFT_EQ_INT(ff_op_int(rv), (int64_t)ff_claim_lease_epoch(cl));
    ff_op_free(rv);
    it_state(C, eid, "active", ST_REVOKED);
    ff_claim_free(cl);
    /* revoke of a waiting execution: not active */
    char e2[IT_EID];
    it_create(C, lane, 0, e2);
    ff_op *op = IT_OP(ff_execution_revoke_lease(C, e2, NULL, NULL, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_INT(ff_op_detail_count(op), 4);
    FFT_EQ_STR(ff_op_detail(op, 2), "runnable");
    ff_op_free(op);
}

static void test_max_reclaims(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-maxreclaim");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_limits(s, 1, -1));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_OK);
    ff_claim *c2 = it_claim_expect(C, lane, eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "reclaim");
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "active", ST_REVOKED);
    /* the cap is reached: the claim fails it instead of leasing it */
    FFT_CHECK(it_claim(C, lane) == NULL);
    ff_op *d = it_check_state(C, eid, "failed", ST_FAILED);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "max_reclaims_exceeded");
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), 1);
    ff_op_free(d);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_lease_expiry_and_reclaim(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-expire");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *c1 = it_claim_with(C, o);
    FFT_CHECK(c1 != NULL);
    it_state(C, eid, "active", ST_RUNNING);
    /* wait until the server clock is past the lease */
    it_wait_lease_expired(C, c1);
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_LEASE_EXPIRED);
    ff_op *d = it_check_state(C, eid, "active", ST_EXPIRED);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "interrupted_reclaimed");
    ff_op_free(d);
    IT_EXPECT(ff_lease_renew(C, c1, NULL, NULL, OUT), FF_LEASE_EXPIRED);
    it_state(C, eid, "active", ST_EXPIRED);
    ff_claim *c2 = it_claim_with(C, o);
    FFT_CHECK(c2 != NULL);
    FFT_EQ_STR(ff_claim_execution_id(c2), eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "reclaim");
    FFT_EQ_INT(ff_claim_attempt_index(c2), 1);
    FFT_EQ_INT(ff_claim_lease_epoch(c2), 2);
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED);
    ff_claim_free(c1);
    ff_claim_free(c2);
    ff_claim_opts_free(o);
}

static void test_expired_lease_reclaimed_by_claim_sweep(void)
{
    /* nobody touches the expired lease: the next claim of the lane notices
     * it and hands it out as a reclaim */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-sweep");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *c1 = it_claim_with(C, o);
    FFT_CHECK(c1 != NULL);
    it_wait_lease_expired(C, c1);
    ff_claim *c2 = it_claim_with(C, o);
    FFT_CHECK_MSG(c2 != NULL, "expired lease was not reclaimed by the claim path");
    FFT_EQ_STR(ff_claim_execution_id(c2), eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "reclaim");
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(C, c1, NULL, 0, NULL, NULL, OUT), FF_STALE_LEASE);
    IT_EXPECT(ff_lease_cancel(C, c2, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "cancelled", ST_CANCELLED);
    ff_claim_free(c1);
    ff_claim_free(c2);
    ff_claim_opts_free(o);
}

static void test_operator_cancel_revoked_and_expired(void)
{
    char lane[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "lc-ocancel-lost");
    it_create(C, lane, 0, e1);
    ff_claim *c1 = it_claim_expect(C, lane, e1);
    IT_EXPECT(ff_execution_revoke_lease(C, e1, NULL, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, e1, "active", ST_REVOKED);
    IT_EXPECT(ff_execution_cancel(C, e1, "after revoke", NULL, NULL, OUT), FF_OK);
    ff_op *d = it_check_state(C, e1, "cancelled", ST_CANCELLED);
    /* the interrupted attempt keeps its record */
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "interrupted_reclaimed");
    ff_op_free(d);
    FFT_CHECK(it_claim(C, lane) == NULL);

    it_create(C, lane, 0, e2);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *c2 = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(c2 != NULL);
    FFT_EQ_STR(ff_claim_execution_id(c2), e2);
    it_wait_lease_expired(C, c2);
    /* expired but nobody noticed yet: still indexed as active+leased */
    IT_EXPECT(ff_execution_cancel(C, e2, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, e2, "cancelled", ST_CANCELLED);
    FFT_CHECK(it_claim(C, lane) == NULL);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_operator_cancel_self_delayed(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-ocancel-sd");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_delay(C, cl, it_server_now_ms(C) + 600000, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "delayed", ST_SELF_DELAYED);
    IT_EXPECT(ff_execution_cancel(C, eid, NULL, NULL, NULL, OUT), FF_OK);
    ff_op *d = it_check_state(C, eid, "cancelled", ST_CANCELLED);
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_cancelled");
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_delay_into_the_past(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-delay-past");
    it_create(C, lane, 0, eid);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_delay(C, c1, 1, NULL, NULL, OUT), FF_OK);
    /* already due: straight back to waiting (the paused attempt kept) */
    it_state(C, eid, "waiting", "runnable unowned eligible_now waiting_for_worker none attempt_interrupted");
    /* the very next claim resumes it */
    ff_claim *c2 = it_claim_expect(C, lane, eid);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "resumed");
    FFT_EQ_STR(ff_claim_attempt_id(c2), ff_claim_attempt_id(c1));
    it_state(C, eid, "active", ST_RUNNING);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

/* Fail once and return [lo, hi] bounds of the backoff the server applied. */
static void fail_and_bound(ff_claim *cl, int64_t *lo, int64_t *hi)
{
    int64_t t0 = it_server_now_ms(C);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "again", "transient", NULL, NULL, OUT));
    int64_t t1 = it_server_now_ms(C);
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    int64_t at = ff_op_int(op);
    ff_op_free(op);
    /* the call ran at some server time in [t0, t1] */
    *lo = at - t1;
    *hi = at - t0;
}

static void test_exponential_backoff_schedule(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-expo");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 5, "exponential", 40, 200, 2.0, 0.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    static const int64_t want[] = {40, 80, 160, 200, 200};
    ff_claim *cl = it_claim_expect(C, lane, eid);
    for (int i = 0; i < 5; i++) {
        int64_t lo, hi;
        fail_and_bound(cl, &lo, &hi);
        FFT_CHECK_MSG(lo <= want[i] && want[i] <= hi, "retry %d: backoff in [%lld, %lld], expected %lld", i + 1,
                      (long long)lo, (long long)hi, (long long)want[i]);
        ff_op *d = it_check_state(C, eid, "delayed", ST_RETRY_WAIT);
        FFT_EQ_INT(it_ji64(d, "counters.retry_count"), i + 1);
        ff_op_free(d);
        ff_claim_free(cl);
        cl = it_claim_poll(C, lane, 20000);
        FFT_EQ_STR(ff_claim_attempt_type(cl), "retry");
        FFT_EQ_INT(ff_claim_attempt_index(cl), i + 1);
    }
    IT_EXPECT(ff_lease_fail(C, cl, "last", NULL, NULL, NULL, OUT), FF_OK);
    ff_op *d = it_check_state(C, eid, "failed", ST_FAILED);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 6);
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 5);
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_jitter_bounds(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-jitter");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 8, "exponential", 100, 100, 1.0, 1.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    for (int i = 0; i < 4; i++) {
        int64_t lo, hi;
        fail_and_bound(cl, &lo, &hi);
        /* full jitter: the delay lies in [0, 100] */
        FFT_CHECK_MSG(hi >= 0 && lo <= 100, "jittered backoff outside [0, 100]: [%lld, %lld]", (long long)lo,
                      (long long)hi);
        ff_claim_free(cl);
        cl = it_claim_poll(C, lane, 20000);
    }
    ff_claim_free(cl);
}

static void test_progress_cleared_on_new_attempt(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-progress-reset");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 1, "fixed", 0, 0, 1.0, 0.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_progress(C, c1, 70, "seventy", NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_lease_fail(C, c1, "x", NULL, NULL, NULL, OUT), FF_OK);
    ff_claim *c2 = it_claim_poll(C, lane, 20000);
    ff_op *d = it_check_state(C, eid, "active", ST_RUNNING);
    int64_t v;
    FFT_EQ_STATUS(ff_op_json_i64(d, "progress.percent", &v), FF_ENOTFOUND);
    ff_op_free(d);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void sweep_partition_of(const char *eid)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(eid, &part), 0);
    char key[64];
    snprintf(key, sizeof key, "ff:i:{fp:%u}:due", (unsigned)part);
    /* an engine sweep that purges nothing (retention = the largest ms) */
    ff_op *op = it_raw(C, "FCALL", "ff_engine_sweep", "1", key, "itest", "1000", "9007199254740991", NULL);
    FFT_OK(ff_op_status(op));
    char b[64];
    it_reply_str(op, 1, b, sizeof b);
    FFT_EQ_STR(b, "OK");
    ff_op_free(op);
}

#define ST_EXPIRED_TERMINAL "terminal unowned not_applicable none expired attempt_terminal"

static void test_attempt_timeout_expires(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-atimeout");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_attempt_timeout_ms(s, 150));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    int64_t t0 = it_server_now_ms(C);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    while (it_server_now_ms(C) <= t0 + 400) fft_sleep_ms(50);
    sweep_partition_of(eid);
    ff_op *d = it_check_state(C, eid, "expired", ST_EXPIRED_TERMINAL);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "attempt_timeout");
    FFT_EQ_STR(it_jstr(d, "attempts.0.state"), "ended_failure");
    ff_op_free(d);
    ff_op *op = IT_OP(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_STR(ff_op_detail(op, 0), "expired");
    ff_op_free(op);
    /* expired is terminal: replayable */
    IT_EXPECT(ff_execution_replay(C, eid, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "waiting", ST_REPLAY_WAIT);
    ff_claim_free(cl);
}

static void test_deadline_expires(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-deadline");
    ff_exec_spec *s = it_spec(lane);
    int64_t deadline = it_server_now_ms(C) + 150;
    FFT_OK(ff_exec_spec_set_deadline_ms(s, deadline));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "timestamps.deadline"), deadline);
    ff_op_free(d);
    while (it_server_now_ms(C) <= deadline + 50) fft_sleep_ms(50);
    sweep_partition_of(eid);
    /* never attempted: attempt_state stays pending_first_attempt */
    d = it_check_state(C, eid, "expired", "terminal unowned not_applicable none expired pending_first_attempt");
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "execution_deadline");
    ff_op_free(d);
    FFT_CHECK(it_claim(C, lane) == NULL);
}

static void test_priority_clamped_at_create(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-clamp");
    it_create(C, lane, 100000, eid);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 9000);
    ff_op_free(d);
    it_create(C, lane, -50, eid);
    d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 0);
    ff_op_free(d);
}

static void test_policy_deadline_and_priority(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-polfields");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_policy_json(s, "{\"timeout_policy\":{\"execution_deadline_ms\":600000}}"));
    int64_t t0 = it_server_now_ms(C);
    it_create_spec(C, s, eid, NULL, 0);
    int64_t t1 = it_server_now_ms(C);
    ff_exec_spec_free(s);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    int64_t dl = it_ji64(d, "timestamps.deadline");
    FFT_CHECK(dl >= t0 + 600000 && dl <= t1 + 600000);
    ff_op_free(d);
    char key[128];
    uint32_t part = 0;
    ff__eid_parse(eid, &part);
    snprintf(key, sizeof key, "ff:i:{fp:%u}:deadline", (unsigned)part);
    double score = 0;
    FFT_CHECK(it_zscore(C, key, eid, &score));
    FFT_EQ_INT((long long)score, dl);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "completed", ST_COMPLETED); /* checks the deadline entry is gone */
    ff_claim_free(cl);
}

static void test_policy_priority_ignored_from_c(void)
{
    /* docs/concepts.md (policy): the policy's "priority" is used only when the
     * submit carries none, and the C API always sends the spec's priority --
     * so from C it has no effect. */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-polprio");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_policy_json(s, "{\"priority\":7}"));
    it_create_spec(C, s, eid, NULL, 0);
    ff_op *d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 0);
    ff_op_free(d);
    FFT_OK(ff_exec_spec_set_priority(s, 3));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    d = it_check_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(it_ji64(d, "priority"), 3);
    ff_op_free(d);
}

static void test_attempt_timeout_paused_by_delay(void)
{
    /* a worker-requested delay pauses the attempt timeout; the resumed claim
     * re-arms it with the remaining budget (not a fresh one, not zero) */
    char lane[64], eid[IT_EID], key[128];
    it_lane(lane, sizeof lane, "lc-atpause");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_attempt_timeout_ms(s, 3000));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    uint32_t part = 0;
    ff__eid_parse(eid, &part);
    snprintf(key, sizeof key, "ff:i:{fp:%u}:attempt_timeout", (unsigned)part);
    int64_t c0 = it_server_now_ms(C);
    ff_claim *c1 = it_claim_expect(C, lane, eid);
    double first = 0;
    FFT_CHECK(it_zscore(C, key, eid, &first));
    FFT_CHECK((int64_t)first >= c0 + 3000);
    /* use up part of the budget before pausing */
    while (it_server_now_ms(C) <= c0 + 800) fft_sleep_ms(50);
    int64_t d0 = it_server_now_ms(C);
    IT_EXPECT(ff_lease_delay(C, c1, c0 + 3100, NULL, NULL, OUT), FF_OK);
    int64_t d1 = it_server_now_ms(C);
    it_state(C, eid, "delayed", ST_SELF_DELAYED);
    /* the paused attempt is not in the timeout index */
    FFT_CHECK(!it_zscore(C, key, eid, NULL));
    while (it_server_now_ms(C) <= c0 + 3100) fft_sleep_ms(50);
    int64_t r0 = it_server_now_ms(C);
    ff_claim *c2 = it_claim_poll(C, lane, 20000);
    int64_t r1 = it_server_now_ms(C);
    FFT_EQ_STR(ff_claim_attempt_type(c2), "resumed");
    double second = 0;
    FFT_CHECK_MSG(it_zscore(C, key, eid, &second), "resumed attempt has no attempt timeout");
    /* re-armed with the remaining budget: first - (time of the delay call) */
    int64_t lo = r0 + (int64_t)first - d1, hi = r1 + (int64_t)first - d0;
    FFT_CHECK_MSG((int64_t)second >= lo && (int64_t)second <= hi,
                  "re-armed timeout %lld not within [%lld, %lld] (remaining budget)", (long long)second,
                  (long long)lo, (long long)hi);
    /* the timeout did not fire although more than 3000 ms passed since the claim */
    sweep_partition_of(eid);
    it_state(C, eid, "active", ST_RUNNING);
    while (it_server_now_ms(C) <= (int64_t)second + 20) fft_sleep_ms(50);
    sweep_partition_of(eid);
    ff_op *d = it_check_state(C, eid, "expired", ST_EXPIRED_TERMINAL);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "attempt_timeout");
    ff_op_free(d);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_revoke_of_expired_lease(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "lc-revoke-exp");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    it_wait_lease_expired(C, cl);
    ff_op *op = IT_OP(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "already_expired");
    ff_op_free(op);
    it_state(C, eid, "active", ST_EXPIRED);
    op = IT_OP(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "already_expired");
    ff_op_free(op);
    IT_EXPECT(ff_lease_renew(C, cl, NULL, NULL, OUT), FF_LEASE_EXPIRED);
    ff_claim_free(cl);
}

int main(void)
{
    IT_RUN(test_create_waiting);
    IT_RUN(test_create_delayed);
    IT_RUN(test_delayed_becomes_claimable);
    IT_RUN(test_claim_initial);
    IT_RUN(test_renew);
    IT_RUN(test_progress);
    IT_RUN(test_complete);
    IT_RUN(test_fail_retry_then_terminal);
    IT_RUN(test_fail_without_policy_is_terminal);
    IT_RUN(test_fail_category_filter);
    IT_RUN(test_cancel_by_holder);
    IT_RUN(test_operator_cancel_waiting);
    IT_RUN(test_operator_cancel_delayed);
    IT_RUN(test_operator_cancel_active);
    IT_RUN(test_delay_then_resumed_claim);
    IT_RUN(test_change_priority);
    IT_RUN(test_replay);
    IT_RUN(test_replay_failed_and_cancelled);
    IT_RUN(test_replay_cap);
    IT_RUN(test_revoke_then_reclaim);
    IT_RUN(test_revoke_expected_lease_mismatch);
    IT_RUN(test_revoke_of_expired_lease);
    IT_RUN(test_max_reclaims);
    IT_RUN(test_lease_expiry_and_reclaim);
    IT_RUN(test_expired_lease_reclaimed_by_claim_sweep);
    IT_RUN(test_operator_cancel_revoked_and_expired);
    IT_RUN(test_operator_cancel_self_delayed);
    IT_RUN(test_delay_into_the_past);
    IT_RUN(test_exponential_backoff_schedule);
    IT_RUN(test_jitter_bounds);
    IT_RUN(test_progress_cleared_on_new_attempt);
    IT_RUN(test_attempt_timeout_expires);
    IT_RUN(test_deadline_expires);
    IT_RUN(test_priority_clamped_at_create);
    IT_RUN(test_policy_deadline_and_priority);
    IT_RUN(test_attempt_timeout_paused_by_delay);
    IT_RUN(test_policy_priority_ignored_from_c);
    return it_summary("test_lifecycle");
}
