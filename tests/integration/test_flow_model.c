/*
 * Flows, the model: idempotent create, submit into a flow (the member minted
 * on the flow's partition), adding an existing execution as one atomic
 * validated step, and a member with unresolved incoming edges never claimed.
 */
#include "flowtest.h"

static void mint_on(const char *id, char *out)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(id, &part), 0);
    FFT_EQ_INT(ff__eid_mint(part, out), 0);
}

static void flow_of(const char *eid, char *out)
{
    ff_op *op = IT_OP(ff_execution_flow_id(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(out, FT_ID, "%s", ff_op_text(op));
    ff_op_free(op);
}

static void test_create_is_idempotent_and_keeps_limits(void)
{
    char lane[64], fid[FT_ID];
    it_lane(lane, sizeof lane, "fm-create");
    ff_op *op = IT_OP(ff_flow_create(C, NULL, lane, 5, 3, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(fid, sizeof fid, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    FFT_EQ_STR(ff_op_item(op, 0), "5");
    FFT_EQ_STR(ff_op_item(op, 1), "3");
    ff_op_free(op);
    /* a repeat with other limits returns the same flow, limits kept */
    op = IT_OP(ff_flow_create(C, fid, lane, 50, 30, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), fid);
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_STR(ff_op_item(op, 0), "5");
    FFT_EQ_STR(ff_op_item(op, 1), "3");
    ff_op_free(op);
    ff_op *d = ft_describe(fid);
    FFT_EQ_STR(ff_op_text(d), "open");
    FFT_EQ_INT(it_ji64(d, "limits.max_members"), 5);
    FFT_EQ_INT(it_ji64(d, "limits.max_incoming_edges"), 3);
    FFT_EQ_INT(it_ji64(d, "revision"), 0);
    ff_op_free(d);
    /* bad input is refused before anything is sent */
    FFT_EQ_STATUS(ff_flow_create(C, "nope", lane, 0, 0, NULL, NULL, OUT), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_create(C, NULL, lane, -1, 0, NULL, NULL, OUT), FF_EINVAL);
}

static void test_submit_with_a_flow_mints_on_its_partition(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], got[FT_ID];
    it_lane(lane, sizeof lane, "fm-submit");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    uint32_t fp = 0, ep = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &fp), 0);
    FFT_EQ_INT(ff__eid_parse(a, &ep), 0);
    FFT_EQ_INT(ep, fp);
    flow_of(a, got);
    FFT_EQ_STR(got, fid);
    FFT_EQ_INT(ft_count(fid, "members"), 1);
    /* no edges: the member is claimable at once */
    ft_complete(lane, a, NULL);
    ft_expect_flow_state(fid, "completed");
    FFT_EQ_INT(ft_count(fid, "completed"), 1);
    /* a completed flow takes no more members */
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    IT_EXPECT(ff_execution_create(C, s, NULL, NULL, OUT), FF_FLOW_ALREADY_TERMINAL);
    ff_exec_spec_free(s);
    FFT_EQ_INT(ft_count(fid, "members"), 1);
}

static void test_submit_into_a_missing_flow_writes_nothing(void)
{
    char lane[64], fid[FT_ID], eid[IT_EID];
    it_lane(lane, sizeof lane, "fm-missing");
    ft_flow(lane, fid);
    char other[FT_ID];
    mint_on(fid, other); /* a flow id that was never created */
    mint_on(fid, eid);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, other));
    FFT_OK(ff_exec_spec_set_execution_id(s, eid));
    IT_EXPECT(ff_execution_create(C, s, NULL, NULL, OUT), FF_FLOW_NOT_FOUND);
    IT_EXPECT(ff_execution_describe(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    /* an id on another partition is refused before sending */
    char far[IT_EID];
    uint32_t fp = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &fp), 0);
    FFT_EQ_INT(ff__eid_mint((fp + 1) % 256, far), 0);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    FFT_OK(ff_exec_spec_set_execution_id(s, far));
    FFT_EQ_STATUS(ff_execution_create(C, s, NULL, NULL, OUT), FF_PARTITION_MISMATCH);
    ff_exec_spec_free(s);
}

static void test_add_existing_execution_is_atomic(void)
{
    char lane[64], fid[FT_ID], fid2[FT_ID], x[IT_EID], ghost[IT_EID], got[FT_ID], noflow[FT_ID];
    it_lane(lane, sizeof lane, "fm-add");
    ft_flow(lane, fid);
    ft_flow(lane, fid2);
    it_create(C, lane, 0, x); /* a solo execution of the same lane: same partition */
    /* missing flow: nothing written */
    mint_on(fid, noflow);
    IT_EXPECT(ff_flow_add_member(C, noflow, x, NULL, NULL, OUT), FF_FLOW_NOT_FOUND);
    flow_of(x, got);
    FFT_EQ_STR(got, "");
    /* missing execution: nothing written */
    mint_on(fid, ghost);
    IT_EXPECT(ff_flow_add_member(C, fid, ghost, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    FFT_EQ_INT(ft_count(fid, "members"), 0);
    /* added, then a repeat is idempotent */
    ff_op *op = IT_OP(ff_flow_add_member(C, fid, x, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "added");
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    op = IT_OP(ff_flow_add_member(C, fid, x, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "already_member");
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    FFT_EQ_INT(ft_count(fid, "members"), 1);
    flow_of(x, got);
    FFT_EQ_STR(got, fid);
    /* a member of another flow */
    op = IT_OP(ff_flow_add_member(C, fid2, x, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_ALREADY_IN_FLOW);
    FFT_EQ_STR(ff_op_detail(op, 0), fid);
    ff_op_free(op);
    FFT_EQ_INT(ft_count(fid2, "members"), 0);
    /* another partition: typed, before sending */
    char far[IT_EID];
    uint32_t fp = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &fp), 0);
    FFT_EQ_INT(ff__eid_mint((fp + 7) % 256, far), 0);
    FFT_EQ_STATUS(ff_flow_add_member(C, fid, far, NULL, NULL, OUT), FF_PARTITION_MISMATCH);
    /* a terminal flow: its only member completed */
    ft_complete(lane, x, NULL);
    ft_expect_flow_state(fid, "completed");
    char y[IT_EID];
    it_create(C, lane, 0, y);
    IT_EXPECT(ff_flow_add_member(C, fid, y, NULL, NULL, OUT), FF_FLOW_ALREADY_TERMINAL);
    flow_of(y, got);
    FFT_EQ_STR(got, "");
}

static void test_member_limit(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "fm-limit");
    ff_op *op = IT_OP(ff_flow_create(C, NULL, lane, 1, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(fid, sizeof fid, "%s", ff_op_text(op));
    ff_op_free(op);
    ft_member(fid, lane, a);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    mint_on(fid, b);
    FFT_OK(ff_exec_spec_set_execution_id(s, b));
    IT_EXPECT(ff_execution_create(C, s, NULL, NULL, OUT), FF_FLOW_LIMIT_EXCEEDED);
    ff_exec_spec_free(s);
    IT_EXPECT(ff_execution_describe(C, b, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    FFT_EQ_INT(ft_count(fid, "members"), 1);
}

static void test_blocked_member_is_never_claimed(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "fm-blocked");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    ft_edge(fid, a, b);
    ff_op *d = it_describe(C, b);
    FFT_EQ_STR(ff_op_text(d), "waiting_children");
    FFT_EQ_STR(it_jstr(d, "state.eligibility_state"), "blocked_by_dependencies");
    FFT_EQ_STR(it_jstr(d, "state.blocking_reason"), "waiting_for_children");
    ff_op_free(d);
    ff_claim *cl = it_claim_expect(C, lane, a);
    ft_nothing_claimable(lane); /* b waits for a */
    ft_expect_flow_state(fid, "running");
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    FT_EXPECT_PUB(b, "waiting");
    ft_complete(lane, b, NULL);
    ft_expect_flow_state(fid, "completed");
}

int main(void)
{
    IT_RUN(test_create_is_idempotent_and_keeps_limits);
    IT_RUN(test_submit_with_a_flow_mints_on_its_partition);
    IT_RUN(test_submit_into_a_missing_flow_writes_nothing);
    IT_RUN(test_add_existing_execution_is_atomic);
    IT_RUN(test_member_limit);
    IT_RUN(test_blocked_member_is_never_claimed);
    return it_summary(__FILE__);
}
