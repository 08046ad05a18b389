/*
 * ff_op_kind: every op says which public operation made it, also while it is
 * pending, and an operation built on another one keeps its own kind
 * (ff_lease_fail_with -> ff_lease_fail is checked through the fail variants).
 */
#include "itest.h"

static void test_kinds_of_a_few_ops(void) {
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "opkind");
    FFT_EQ_INT(ff_op_kind(NULL), FF_OP_KIND_NONE);

    ff_exec_spec *s = it_spec(lane);
    ff_op *op = NULL;
    FFT_OK(ff_execution_create(C, s, NULL, NULL, &op));
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_EXECUTION_CREATE); /* pending or not */
    FFT_CHECK(ff_op_wait(op, IT_WAIT_MS) == FF_OK);
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_EXECUTION_CREATE);
    snprintf(eid, sizeof eid, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    ff_exec_spec_free(s);

    op = it_describe(C, eid);
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_EXECUTION_DESCRIBE);
    ff_op_free(op);

    op = IT_OP(ff_lanes_list(C, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_LANES_LIST);
    ff_op_free(op);

    op = it_raw(C, "PING", NULL);
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_CLIENT_COMMAND);
    ff_op_free(op);

    ff_claim *cl = it_claim_expect(C, lane, eid);
    op = IT_OP(ff_lease_fail_with(C, cl, "r", "c", FF_FAIL_NO_RETRY, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_LEASE_FAIL_WITH);
    ff_op_free(op);
    ff_claim_free(cl);

    /* the scope ends with the call: a later op made on this thread by
     * another public call has that call's kind */
    op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_EXECUTION_RESULT);
    ff_op_free(op);
}

int main(void) {
    IT_RUN(test_kinds_of_a_few_ops);
    return it_summary("test_op_kind");
}
