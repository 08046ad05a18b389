/*
 * Flows, staging rules: every refusal is typed and writes nothing (the
 * revision and the edge count stay): stale graph revision, self edge, cycle,
 * not a member, duplicate, released downstream, incoming-edge limit; edge
 * group policies (invalid ones refused, fixed once an edge is staged).
 */
#include "flowtest.h"

static int64_t revision(const char *fid)
{
    ff_op *d = ft_describe(fid);
    int64_t r = it_ji64(d, "revision");
    ff_op_free(d);
    return r;
}

static void expect_unchanged(const char *fid, int64_t rev, int64_t edges)
{
    ff_op *d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "revision"), rev);
    FFT_EQ_INT(it_ji64(d, "edge_count"), edges);
    ff_op_free(d);
}

static void test_staging_refusals_write_nothing(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID], x[IT_EID];
    it_lane(lane, sizeof lane, "fs-refuse");
    ft_flow(lane, fid);
    for (int i = 0; i < 3; i++) ft_member(fid, lane, m[i]);
    it_create(C, lane, 0, x); /* same partition, not a member */
    int64_t rev = revision(fid);
    FFT_EQ_INT(rev, 3); /* each member bumped it */

    /* stale revision: detail 0 = the current one */
    ff_op *op = IT_OP(ff_flow_add_edge(C, fid, m[0], m[1], rev - 1, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_STALE_GRAPH_REVISION);
    FFT_EQ_STR(ff_op_detail(op, 0), "3");
    ff_op_free(op);
    expect_unchanged(fid, rev, 0);
    /* the right revision */
    op = IT_OP(ff_flow_add_edge(C, fid, m[0], m[1], rev, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), rev + 1);
    ff_op_free(op);
    ft_edge(fid, m[1], m[2]);
    rev = revision(fid);

    IT_EXPECT(ff_flow_add_edge(C, fid, m[0], m[0], -1, 0, NULL, NULL, OUT), FF_SELF_REFERENCING_EDGE);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[2], m[0], -1, 0, NULL, NULL, OUT), FF_CYCLE_DETECTED);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[1], m[0], -1, 0, NULL, NULL, OUT), FF_CYCLE_DETECTED);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[0], m[1], -1, 0, NULL, NULL, OUT), FF_DEPENDENCY_ALREADY_EXISTS);
    op = IT_OP(ff_flow_add_edge(C, fid, x, m[2], -1, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_NOT_IN_FLOW);
    FFT_EQ_STR(ff_op_detail(op, 0), x);
    ff_op_free(op);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[2], x, -1, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_IN_FLOW);
    /* x is still claimable: nothing blocked it */
    FT_EXPECT_PUB(x, "waiting");
    /* client-side refusals */
    FFT_EQ_STATUS(ff_flow_add_edge(C, fid, m[0], m[2], -2, 0, NULL, NULL, OUT), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_add_edge(C, fid, m[0], m[2], -1, 8, NULL, NULL, OUT), FF_EINVAL);
    char far[IT_EID];
    uint32_t fp = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &fp), 0);
    FFT_EQ_INT(ff__eid_mint((fp + 3) % 256, far), 0);
    FFT_EQ_STATUS(ff_flow_add_edge(C, fid, far, m[2], -1, 0, NULL, NULL, OUT), FF_PARTITION_MISMATCH);
    expect_unchanged(fid, rev, 2);
}

static void test_released_downstream_is_refused(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fs-released");
    ft_flow(lane, fid);
    for (int i = 0; i < 3; i++) ft_member(fid, lane, m[i]);
    ft_edge(fid, m[0], m[2]);
    ft_complete(lane, m[0], NULL); /* m[2]'s group is decided */
    int64_t rev = revision(fid);
    ff_op *op = IT_OP(ff_flow_add_edge(C, fid, m[1], m[2], -1, 0, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_DOWNSTREAM_RELEASED);
    FFT_EQ_STR(ff_op_detail(op, 0), m[2]);
    ff_op_free(op);
    expect_unchanged(fid, rev, 1);
    /* a running member cannot be made to wait either */
    ff_claim *cl = it_claim_expect(C, lane, m[1]);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[2], m[1], -1, 0, NULL, NULL, OUT), FF_DOWNSTREAM_RELEASED);
    ff_claim_free(cl);
}

static void test_incoming_edge_limit(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fs-limit");
    ff_op *op = IT_OP(ff_flow_create(C, NULL, lane, 0, 1, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(fid, sizeof fid, "%s", ff_op_text(op));
    ff_op_free(op);
    for (int i = 0; i < 3; i++) ft_member(fid, lane, m[i]);
    ft_edge(fid, m[0], m[2]);
    IT_EXPECT(ff_flow_add_edge(C, fid, m[1], m[2], -1, 0, NULL, NULL, OUT), FF_FLOW_LIMIT_EXCEEDED);
    expect_unchanged(fid, 4, 1);
}

static void test_group_policies(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fs-group");
    ft_flow(lane, fid);
    for (int i = 0; i < 3; i++) ft_member(fid, lane, m[i]);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "bogus", 0, NULL, NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "quorum", 0, "let_run", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "any_of", 1, NULL, NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "any_of", 1, "maybe", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "all_of", 0, "let_run", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    FFT_EQ_STATUS(ff_flow_set_group(C, fid, m[2], "quorum", -1, "let_run", NULL, NULL, OUT), FF_INVALID_FLOW_POLICY);
    char x[IT_EID];
    it_create(C, lane, 0, x);
    IT_EXPECT(ff_flow_set_group(C, fid, x, "any_of", 1, "let_run", NULL, NULL, OUT), FF_EXECUTION_NOT_IN_FLOW);
    ff_op *d = ft_describe(fid);
    FFT_EQ_STATUS(ff_op_json_str(d, "groups.0.policy", &(const char *){NULL}), FF_ENOTFOUND);
    ff_op_free(d);

    ff_op *op = IT_OP(ff_flow_set_group(C, fid, m[2], "quorum", 2, "let_run", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "set");
    ff_op_free(op);
    /* before any edge it may still change */
    ft_group(fid, m[2], "any_of", 1, "cancel_remaining");
    ft_edge(fid, m[0], m[2]);
    op = IT_OP(ff_flow_set_group(C, fid, m[2], "any_of", 1, "cancel_remaining", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "already_set");
    ff_op_free(op);
    IT_EXPECT(ff_flow_set_group(C, fid, m[2], "all_of", 0, NULL, NULL, NULL, OUT), FF_EDGE_GROUP_POLICY_FIXED);
    d = ft_describe(fid);
    FFT_EQ_STR(it_jstr(d, "groups.0.policy"), "any_of");
    FFT_EQ_STR(it_jstr(d, "groups.0.on_satisfied"), "cancel_remaining");
    FFT_EQ_INT(it_ji64(d, "groups.0.k"), 1);
    FFT_EQ_INT(it_ji64(d, "groups.0.n"), 1);
    FFT_EQ_STR(it_jstr(d, "groups.0.state"), "pending");
    ff_op_free(d);
}

int main(void)
{
    IT_RUN(test_staging_refusals_write_nothing);
    IT_RUN(test_released_downstream_is_refused);
    IT_RUN(test_incoming_edge_limit);
    IT_RUN(test_group_policies);
    return it_summary(__FILE__);
}
