/* Failures that must not retry: FF_FAIL_NO_RETRY and the non-retryable
 * category deny-list, through the C API. */
#include "itest.h"

static void create_retrying(const char *lane, const char *deny, char *eid) {
    ff_exec_spec *s = it_spec(lane);
    if (deny) FFT_OK(ff_exec_spec_set_non_retryable(s, deny));
    FFT_OK(ff_exec_spec_set_retry(s, 5, "fixed", 0, 0, 1.0, 0.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
}

static void test_no_retry_flag(void) {
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rr-flag");
    create_retrying(lane, NULL, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_fail_with(C, cl, "bad input", "validation", FF_FAIL_NO_RETRY, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    it_state(C, eid, "failed", ST_FAILED);
    ff_claim_free(cl);
    /* unknown flags are refused before anything is sent */
    create_retrying(lane, NULL, eid);
    cl = it_claim_expect(C, lane, eid);
    int st = ff_lease_fail_with(C, cl, "x", NULL, 0x80, NULL, NULL, OUT);
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "FF_FAIL_NO_RETRY") != NULL);
    it_state(C, eid, "active", ST_RUNNING);
    ff_claim_free(cl);
}

static void test_deny_list(void) {
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rr-deny");
    create_retrying(lane, "permanent,auth", eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lease_fail(C, cl, "token revoked", "auth", NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "terminal_failed");
    ff_op_free(op);
    ff_claim_free(cl);
    /* a category outside the deny-list still retries */
    create_retrying(lane, "permanent,auth", eid);
    cl = it_claim_expect(C, lane, eid);
    op = IT_OP(ff_lease_fail(C, cl, "flaky", "transient", NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    ff_op_free(op);
    ff_claim_free(cl);
    ff_op *d = it_describe(C, eid);
    FFT_EQ_STR(it_jstr(d, "policy.retry_policy.non_retryable_categories.1"), "auth");
    ff_op_free(d);
}

static void test_deny_list_input(void) {
    ff_exec_spec *s = it_spec("x");
    int st = ff_exec_spec_set_non_retryable(s, "a,,b");
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "1..128 bytes") != NULL);
    FFT_OK(ff_exec_spec_set_non_retryable(s, ""));
    ff_exec_spec_free(s);
}

int main(void) {
    IT_RUN(test_no_retry_flag);
    IT_RUN(test_deny_list);
    IT_RUN(test_deny_list_input);
    return it_summary("test_retry_rules");
}
