/*
 * Flows, data passing: an edge staged with FF_FLOW_EDGE_DATA carries the
 * upstream's result to the downstream (ff_execution_parent_results), an edge
 * without it does not; a late satisfy never changes a terminal child.
 */
#include "flowtest.h"

static void test_parent_results(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID], c[IT_EID];
    it_lane(lane, sizeof lane, "fd-parents");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    ft_member(fid, lane, c);
    ft_edge_flags(fid, a, c, FF_FLOW_EDGE_DATA, NULL, NULL);
    ft_edge_flags(fid, b, c, 0, NULL, NULL);
    /* before the upstreams end: two pending parents, no results */
    ff_op *op = IT_OP(ff_execution_parent_results(C, c, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 2 * FF_ITEMS_FLOW_PARENTS_STRIDE);
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_PARENTS_STATE), "pending");
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_PARENTS_HAS_RESULT), "0");
    ff_op_free(op);
    const char bin[] = {'r', '\0', 'a'};
    ff_claim *cl = it_claim_expect(C, lane, a);
    IT_EXPECT(ff_lease_complete(C, cl, bin, sizeof bin, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ft_complete(lane, b, "rb");
    op = IT_OP(ff_execution_parent_results(C, c, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 2 * FF_ITEMS_FLOW_PARENTS_STRIDE);
    /* sorted by upstream id: a was minted before b */
    size_t base_a = strcmp(a, b) < 0 ? 0 : FF_ITEMS_FLOW_PARENTS_STRIDE;
    size_t base_b = FF_ITEMS_FLOW_PARENTS_STRIDE - base_a;
    FFT_EQ_STR(ff_op_item(op, base_a + FF_ITEMS_FLOW_PARENTS_UPSTREAM), a);
    FFT_EQ_STR(ff_op_item(op, base_a + FF_ITEMS_FLOW_PARENTS_STATE), "satisfied");
    FFT_EQ_STR(ff_op_item(op, base_a + FF_ITEMS_FLOW_PARENTS_HAS_RESULT), "1");
    size_t len = 0;
    const void *p = ff_op_item_bytes(op, base_a + FF_ITEMS_FLOW_PARENTS_RESULT, &len);
    FFT_EQ_MEM(p, len, bin, sizeof bin);
    FFT_EQ_STR(ff_op_item(op, base_b + FF_ITEMS_FLOW_PARENTS_UPSTREAM), b);
    FFT_EQ_STR(ff_op_item(op, base_b + FF_ITEMS_FLOW_PARENTS_HAS_RESULT), "0"); /* no data passing */
    FFT_EQ_STR(ff_op_item(op, base_b + FF_ITEMS_FLOW_PARENTS_RESULT), "");
    ff_op_free(op);
    /* a solo execution has no parents */
    char x[IT_EID];
    it_create(C, lane, 0, x);
    op = IT_OP(ff_execution_parent_results(C, x, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 0);
    ff_op_free(op);
}

static void test_late_satisfy_leaves_a_terminal_child_alone(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], c[IT_EID];
    it_lane(lane, sizeof lane, "fd-late");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, c);
    ft_edge_flags(fid, a, c, FF_FLOW_EDGE_DATA, NULL, NULL);
    /* the child is cancelled while it waits; then its upstream succeeds */
    IT_EXPECT(ff_execution_cancel(C, c, "not needed", NULL, NULL, OUT), FF_OK);
    ff_op *before = it_check_state(C, c, "cancelled", NULL);
    char updated[32];
    snprintf(updated, sizeof updated, "%lld", (long long)it_ji64(before, "timestamps.updated_at"));
    ff_op_free(before);
    ft_complete(lane, a, "ra");
    ff_op *after = it_check_state(C, c, "cancelled", NULL);
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)it_ji64(after, "timestamps.updated_at"));
    FFT_EQ_STR(now, updated);
    FFT_EQ_INT(it_ji64(after, "payload_size"), 0);
    ff_op_free(after);
    ft_nothing_claimable(lane);
    /* the edge resolved, the child record did not move */
    ff_op *d = ft_describe(fid);
    FFT_EQ_STR(it_jstr(d, "edges.0.state"), "satisfied");
    FFT_EQ_STR(it_jstr(d, "groups.0.state"), "satisfied");
    ff_op_free(d);
}

int main(void)
{
    IT_RUN(test_parent_results);
    IT_RUN(test_late_satisfy_leaves_a_terminal_child_alone);
    return it_summary(__FILE__);
}
