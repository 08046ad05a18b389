/*
 * Targeted claims through the C API (reclaim.h): ff_lease_claim_resumed
 * resumes one interrupted attempt (same attempt index and id, epoch + 1),
 * ff_lease_grant_and_claim leases one named execution to a named worker
 * (a fresh one, a revoked lease as a reclaim), each read through the usual
 * claim accessors; and typed errors that write nothing (not a resumed
 * execution, a capability mismatch, a live lease).
 */
#include "itest.h"

static ff_claim_opts *worker_opts(const char *wid, const char *cap)
{
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    FFT_OK(ff_claim_opts_set_worker_id(o, wid));
    FFT_OK(ff_claim_opts_set_lease_ttl_ms(o, 30000));
    if (cap) FFT_OK(ff_claim_opts_add_capability(o, cap));
    return o;
}

/* The op's one claim (taken; the caller frees it), failing on anything else. */
static ff_claim *one_claim(ff_op *op)
{
    if (ff_op_status(op) != FF_OK) FFT_FAIL("targeted claim: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    FFT_EQ_INT(ff_op_claim_count(op), 1);
    ff_claim *cl = NULL;
    FFT_OK(ff_op_take_claim(op, 0, &cl));
    ff_op_free(op);
    return cl;
}

/* An execution claimed and given back at once: runnable, attempt interrupted. */
static ff_claim *interrupted(const char *lane, char *eid)
{
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_delay(C, cl, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    return cl;
}

static void test_claim_resumed(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "tc-resume");
    ff_claim *first = interrupted(lane, eid);
    ff_claim_opts *o = worker_opts("w-resume", NULL);
    ff_claim *cl = one_claim(IT_OP(ff_lease_claim_resumed(C, eid, o, NULL, NULL, OUT)));
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "resumed");
    FFT_EQ_STR(ff_claim_attempt_id(cl), ff_claim_attempt_id(first));
    FFT_EQ_INT(ff_claim_attempt_index(cl), ff_claim_attempt_index(first));
    FFT_EQ_INT(ff_claim_lease_epoch(cl), ff_claim_lease_epoch(first) + 1);
    FFT_EQ_STR(ff_claim_lane(cl), lane);
    FFT_EQ_INT(ff_claim_lease_ttl_ms(cl), 30000);
    it_state(C, eid, "active", NULL);
    it_check_indexes(C, eid, lane, "active", 1);

    /* the lease is a real one: it completes the execution */
    ff_op *op = IT_OP(ff_lease_complete(C, cl, "ok", 2, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    /* terminal now: nothing to resume, and nothing written */
    int64_t before = it_dbsize(C);
    op = IT_OP(ff_lease_claim_resumed(C, eid, o, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_LEASEABLE);
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_CLAIM_RESUMED);
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), before);
    ff_claim_free(cl);
    ff_claim_free(first);
    ff_claim_opts_free(o);
}

static void test_claim_resumed_refuses_a_fresh_execution(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "tc-fresh");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = worker_opts("w-resume", NULL);
    ff_op *op = IT_OP(ff_lease_claim_resumed(C, eid, o, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_NOT_A_RESUMED_EXECUTION);
    ff_op_free(op);
    it_state(C, eid, "waiting", NULL);
    it_check_indexes(C, eid, lane, "eligible", 0);
    ff_claim_opts_free(o);
}

static void test_grant_and_claim_fresh_with_capabilities(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "tc-grant");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_add_capability(s, "gpu"));
    FFT_OK(ff_exec_spec_set_payload(s, "in", 2));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);

    ff_claim_opts *cpu = worker_opts("w-cpu", "cpu");
    ff_op *op = IT_OP(ff_lease_grant_and_claim(C, eid, cpu, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_CAPABILITY_MISMATCH);
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_GRANT_AND_CLAIM);
    FFT_CHECK(ff_op_detail_count(op) >= 1);
    FFT_EQ_STR(ff_op_detail(op, 0), "gpu");
    ff_op_free(op);
    it_state(C, eid, "waiting", NULL);

    ff_claim_opts *gpu = worker_opts("w-gpu", "gpu");
    ff_claim *cl = one_claim(IT_OP(ff_lease_grant_and_claim(C, eid, gpu, NULL, NULL, OUT)));
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    FFT_EQ_STR(ff_claim_attempt_type(cl), "initial");
    FFT_EQ_INT(ff_claim_attempt_index(cl), 0);
    FFT_EQ_INT(ff_claim_lease_epoch(cl), 1);
    size_t len = 0;
    const void *p = ff_claim_payload(cl, &len);
    FFT_EQ_INT(len, 2);
    FFT_CHECK(memcmp(p, "in", 2) == 0);
    it_check_indexes(C, eid, lane, "active", 1);

    /* its lease is live now: a second grant conflicts */
    op = IT_OP(ff_lease_grant_and_claim(C, eid, gpu, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_LEASE_CONFLICT);
    ff_op_free(op);
    ff_claim_free(cl);
    ff_claim_opts_free(cpu);
    ff_claim_opts_free(gpu);
}

static void test_grant_and_claim_reclaims_a_revoked_lease(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "tc-reclaim");
    it_create(C, lane, 0, eid);
    ff_claim *first = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_execution_revoke_lease(C, eid, NULL, "ops", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_claim_opts *o = worker_opts("w-rescue", NULL);
    ff_claim *cl = one_claim(IT_OP(ff_lease_grant_and_claim(C, eid, o, NULL, NULL, OUT)));
    FFT_EQ_STR(ff_claim_attempt_type(cl), "reclaim");
    FFT_EQ_INT(ff_claim_attempt_index(cl), 1);
    FFT_CHECK(strcmp(ff_claim_attempt_id(cl), ff_claim_attempt_id(first)) != 0);
    FFT_EQ_INT(ff_claim_lease_epoch(cl), ff_claim_lease_epoch(first) + 1);
    /* the old holder is fenced out */
    op = IT_OP(ff_lease_complete(C, first, "", 0, NULL, NULL, OUT));
    FFT_CHECK(ff_op_status(op) != FF_OK);
    ff_op_free(op);
    op = IT_OP(ff_lease_complete(C, cl, "", 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_claim_free(cl);
    ff_claim_free(first);
    ff_claim_opts_free(o);
}

static void test_bad_arguments(void)
{
    ff_claim_opts *o = worker_opts("w", NULL);
    ff_op *op = NULL;
    FFT_EQ_STATUS(ff_lease_claim_resumed(NULL, "x", o, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_grant_and_claim(C, "x", NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_grant_and_claim(C, "not-an-id", o, NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    ff_claim_opts_free(o);
}

int main(void)
{
    IT_RUN(test_claim_resumed);
    IT_RUN(test_claim_resumed_refuses_a_fresh_execution);
    IT_RUN(test_grant_and_claim_fresh_with_capabilities);
    IT_RUN(test_grant_and_claim_reclaims_a_revoked_lease);
    IT_RUN(test_bad_arguments);
    return it_summary("test_targeted_claims");
}
