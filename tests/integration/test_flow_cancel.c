/*
 * Flows, cancel_flow: cancel_all (running members too), cancel_pending (the
 * ones that never ran; running ones finish), flow_only (members untouched),
 * an unknown policy refused with nothing written, a repeat returning the
 * stored policy, and a cancelled flow refusing new members and edges.
 */
#include "flowtest.h"

static int has_item(ff_op *op, const char *id)
{
    for (size_t i = 0; i < ff_op_item_count(op); i++)
        if (strcmp(ff_op_item(op, i), id) == 0) return 1;
    return 0;
}

static ff_op *cancel(const char *fid, const char *policy)
{
    ff_op *op = IT_OP(ff_flow_cancel(C, fid, policy, "stop", NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("cancel flow: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    return op;
}

/* a -> b -> c with a running */
static ff_claim *chain(const char *lane, char *fid, char m[][IT_EID])
{
    ft_flow(lane, fid);
    for (int i = 0; i < 3; i++) ft_member(fid, lane, m[i]);
    ft_edge(fid, m[0], m[1]);
    ft_edge(fid, m[1], m[2]);
    return it_claim_expect(C, lane, m[0]);
}

static void test_cancel_all(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fc-all");
    ff_claim *cl = chain(lane, fid, m);
    ff_op *op = cancel(fid, "cancel_all");
    FFT_EQ_STR(ff_op_text(op), "cancel_all");
    FFT_EQ_INT(ff_op_int(op), 0);
    FFT_EQ_INT(ff_op_item_count(op), 3 * FF_ITEMS_FLOW_CANCEL_STRIDE);
    for (int i = 0; i < 3; i++) FFT_CHECK(has_item(op, m[i]));
    ff_op_free(op);
    for (int i = 0; i < 3; i++) {
        ff_op *d = it_check_state(C, m[i], "cancelled", NULL);
        FFT_EQ_STR(it_jstr(d, "cancellation.cancelled_by"), "flow");
        FFT_EQ_STR(it_jstr(d, "cancellation.reason"), "flow_cancelled");
        ff_op_free(d);
    }
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    ff_claim_free(cl);
    ft_expect_flow_state(fid, "cancelled");
    ff_op *d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "counts.cancelled"), 3);
    FFT_EQ_STR(it_jstr(d, "edges.0.state"), "impossible");
    ff_op_free(d);
    /* a repeat touches nothing and says what is in force */
    op = cancel(fid, "flow_only");
    FFT_EQ_STR(ff_op_text(op), "cancel_all");
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_INT(ff_op_item_count(op), 0);
    ff_op_free(op);
    /* a cancelled flow takes no new members */
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    IT_EXPECT(ff_execution_create(C, s, NULL, NULL, OUT), FF_FLOW_ALREADY_TERMINAL);
    ff_exec_spec_free(s);
}

static void test_cancel_pending_lets_running_finish(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fc-pending");
    ff_claim *cl = chain(lane, fid, m);
    ff_op *op = cancel(fid, "cancel_pending");
    FFT_EQ_INT(ff_op_item_count(op), 2);
    FFT_CHECK(!has_item(op, m[0]));
    ff_op_free(op);
    FT_EXPECT_PUB(m[0], "active");
    FT_EXPECT_PUB(m[1], "cancelled");
    FT_EXPECT_PUB(m[2], "cancelled");
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    FT_EXPECT_PUB(m[1], "cancelled"); /* its edge resolved, the member stays */
    ft_expect_flow_state(fid, "cancelled");
    FFT_EQ_INT(ft_count(fid, "completed"), 1);
}

static void test_flow_only_and_bad_policy(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fc-only");
    ff_claim *cl = chain(lane, fid, m);
    IT_EXPECT(ff_flow_cancel(C, fid, "cancel_everything", "x", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    FFT_EQ_STATUS(ff_flow_cancel(C, fid, NULL, "x", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    ft_expect_flow_state(fid, "running"); /* nothing written */
    ff_op *op = cancel(fid, "flow_only");
    FFT_EQ_INT(ff_op_item_count(op), 0);
    ff_op_free(op);
    ft_expect_flow_state(fid, "cancelled");
    FT_EXPECT_PUB(m[0], "active");
    FT_EXPECT_PUB(m[1], "waiting_children");
    IT_EXPECT(ff_flow_add_edge(C, fid, m[0], m[2], -1, 0, NULL, NULL, OUT), FF_FLOW_ALREADY_TERMINAL);
    /* members run on: the chain still resolves */
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    FT_EXPECT_PUB(m[1], "waiting");
}

static void test_completed_flow_cannot_be_cancelled(void)
{
    char lane[64], fid[FT_ID], a[IT_EID];
    it_lane(lane, sizeof lane, "fc-done");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_complete(lane, a, NULL);
    IT_EXPECT(ff_flow_cancel(C, fid, "cancel_all", NULL, NULL, NULL, OUT), FF_FLOW_ALREADY_TERMINAL);
    ft_expect_flow_state(fid, "completed");
}

int main(void)
{
    IT_RUN(test_cancel_all);
    IT_RUN(test_cancel_pending_lets_running_finish);
    IT_RUN(test_flow_only_and_bad_policy);
    IT_RUN(test_completed_flow_cannot_be_cancelled);
    return it_summary(__FILE__);
}
