/*
 * submit_flow: a whole DAG (flow, members, groups, edges) in one atomic
 * call. A member with an incoming edge is blocked from its birth, so no
 * worker can take it before its upstreams end; every refusal writes
 * nothing; a repeat is idempotent; the size limits are typed.
 */
#include "flowtest.h"

/* A spec on lane with n plain members (kind test.kind). */
static ff_flow_spec *spec_n(const char *flow_id, const char *lane, uint32_t n)
{
    ff_flow_spec *f = NULL;
    FFT_OK(ff_flow_spec_new(&f, flow_id, lane, 0, 0));
    for (uint32_t i = 0; i < n; i++) {
        ff_exec_spec *s = it_spec(lane);
        uint32_t idx = 99;
        FFT_OK(ff_flow_spec_add_member(f, s, &idx));
        FFT_EQ_INT(idx, i);
        ff_exec_spec_free(s);
    }
    return f;
}

/* Submit and expect success; ids[i] = member i (FT_ID each); returns the
 * repeat flag (ff_op_int). */
static int64_t submit_ok(const ff_flow_spec *f, char *fid, char (*ids)[FT_ID], size_t n)
{
    ff_op *op = IT_OP(ff_flow_submit(C, f, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("submit_flow: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(fid, FT_ID, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_item_count(op), n * FF_ITEMS_FLOW_SUBMIT_STRIDE);
    for (size_t i = 0; i < n; i++)
        snprintf(ids[i], FT_ID, "%s", ff_op_item(op, i * FF_ITEMS_FLOW_SUBMIT_STRIDE + FF_ITEMS_FLOW_SUBMIT_EID));
    int64_t rep = ff_op_int(op);
    ff_op_free(op);
    return rep;
}

static void test_chain_of_ten_runs_in_order(void)
{
    char lane[64], fid[FT_ID], ids[10][FT_ID];
    it_lane(lane, sizeof lane, "fs-chain");
    ff_flow_spec *f = spec_n(NULL, lane, 10);
    for (uint32_t i = 0; i + 1 < 10; i++) FFT_OK(ff_flow_spec_add_edge(f, i, i + 1, 0));
    FFT_EQ_INT(submit_ok(f, fid, ids, 10), 0);
    ff_flow_spec_free(f);
    /* from the very first moment only the head is claimable */
    FT_EXPECT_PUB(ids[0], "waiting");
    for (int i = 1; i < 10; i++) FT_EXPECT_PUB(ids[i], "waiting_children");
    uint32_t fp = 0, ep = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &fp), 0);
    for (int i = 0; i < 10; i++) {
        FFT_EQ_INT(ff__eid_parse(ids[i], &ep), 0);
        FFT_EQ_INT(ep, fp); /* every member on the flow's partition */
        ff_claim *cl = it_claim_expect(C, lane, ids[i]);
        ft_nothing_claimable(lane); /* the next one waits for this one */
        IT_EXPECT(ff_lease_complete(C, cl, "ok", 2, NULL, NULL, OUT), FF_OK);
        ff_claim_free(cl);
    }
    ft_expect_flow_state(fid, "completed");
    ff_op *d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "edge_count"), 9);
    FFT_EQ_INT(it_ji64(d, "counts.members"), 10);
    FFT_EQ_INT(it_ji64(d, "counts.completed"), 10);
    ff_op_free(d);
}

static void test_diamond_any_of_cancels_the_other(void)
{
    char lane[64], fid[FT_ID], ids[4][FT_ID];
    it_lane(lane, sizeof lane, "fs-diamond");
    /* 0 -> 1, 0 -> 2, (1 | 2) -> 3 */
    ff_flow_spec *f = spec_n(NULL, lane, 4);
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 0, 2, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 1, 3, FF_FLOW_EDGE_DATA));
    FFT_OK(ff_flow_spec_add_edge(f, 2, 3, FF_FLOW_EDGE_DATA));
    FFT_OK(ff_flow_spec_set_group(f, 3, "any_of", 1, "cancel_remaining"));
    submit_ok(f, fid, ids, 4);
    ff_flow_spec_free(f);
    ft_complete(lane, ids[0], "root");
    ff_claim *cl = it_claim_expect(C, lane, NULL);
    const char *won = ff_claim_execution_id(cl);
    int first = strcmp(won, ids[1]) == 0 ? 1 : 2;
    FFT_CHECK_MSG(first == 1 || strcmp(won, ids[2]) == 0, "claimed %s, not a middle member", won);
    FT_EXPECT_PUB(ids[3], "waiting_children");
    IT_EXPECT(ff_lease_complete(C, cl, "mid", 3, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    FT_EXPECT_PUB(ids[3 - first], "cancelled");
    ft_complete(lane, ids[3], NULL);
    ft_nothing_claimable(lane);
}

static void test_quorum_two_of_three(void)
{
    char lane[64], fid[FT_ID], ids[5][FT_ID];
    it_lane(lane, sizeof lane, "fs-quorum");
    /* 0 -> 1, 2, 3 -> 4 (quorum 2 of 3, let_run) */
    ff_flow_spec *f = spec_n(NULL, lane, 5);
    for (uint32_t i = 1; i <= 3; i++) {
        FFT_OK(ff_flow_spec_add_edge(f, 0, i, 0));
        FFT_OK(ff_flow_spec_add_edge(f, i, 4, 0));
    }
    FFT_OK(ff_flow_spec_set_group(f, 4, "quorum", 2, "let_run"));
    submit_ok(f, fid, ids, 5);
    ff_flow_spec_free(f);
    ff_op *d = ft_describe(fid);
    /* groups by member id: the quorum one (of the last member) is the last */
    FFT_EQ_STR(it_jstr(d, "groups.3.policy"), "quorum");
    FFT_EQ_INT(it_ji64(d, "groups.3.k"), 2);
    FFT_EQ_INT(it_ji64(d, "groups.3.n"), 3);
    ff_op_free(d);
    ft_complete(lane, ids[0], NULL);
    ff_claim *mid[3];
    for (int i = 0; i < 3; i++) mid[i] = it_claim_expect(C, lane, NULL);
    ft_nothing_claimable(lane);
    IT_EXPECT(ff_lease_fail_with(C, mid[0], "boom", "test", FF_FAIL_NO_RETRY, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_lease_complete(C, mid[1], NULL, 0, NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(ids[4], "waiting_children"); /* 1 of 2 */
    IT_EXPECT(ff_lease_complete(C, mid[2], NULL, 0, NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(ids[4], "waiting");
    for (int i = 0; i < 3; i++) ff_claim_free(mid[i]);
    ft_complete(lane, ids[4], NULL);
}

/* The submit of f fails with want, and the database is unchanged. */
static void expect_refused(const ff_flow_spec *f, int want)
{
    int64_t before = it_dbsize(C);
    IT_EXPECT(ff_flow_submit(C, f, NULL, NULL, OUT), want);
    FFT_EQ_INT(it_dbsize(C), before);
}

static void test_refusals_write_nothing(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "fs-refuse");
    ff_flow_spec *f = spec_n(NULL, lane, 3); /* a cycle 0 -> 1 -> 2 -> 0 */
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 1, 2, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 2, 0, 0));
    expect_refused(f, FF_CYCLE_DETECTED);
    ff_flow_spec_free(f);

    f = spec_n(NULL, lane, 2); /* a duplicate edge */
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    expect_refused(f, FF_DEPENDENCY_ALREADY_EXISTS);
    ff_flow_spec_free(f);

    f = spec_n(NULL, lane, 3); /* k 3 of n 2 */
    FFT_OK(ff_flow_spec_add_edge(f, 0, 2, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 1, 2, 0));
    FFT_OK(ff_flow_spec_set_group(f, 2, "quorum", 3, "let_run"));
    expect_refused(f, FF_INVALID_FLOW_POLICY);
    FFT_OK(ff_flow_spec_set_group(f, 2, "most_of", 0, NULL)); /* replaced: an unknown word */
    expect_refused(f, FF_INVALID_FLOW_POLICY);
    FFT_OK(ff_flow_spec_set_group(f, 0, "any_of", 1, "let_run")); /* a group without edges */
    FFT_OK(ff_flow_spec_set_group(f, 2, "all_of", 0, NULL));
    expect_refused(f, FF_INVALID_FLOW_POLICY);
    ff_flow_spec_free(f);

    f = NULL; /* more members than the flow's own limit */
    FFT_OK(ff_flow_spec_new(&f, NULL, lane, 2, 0));
    for (int i = 0; i < 3; i++) {
        ff_exec_spec *s = it_spec(lane);
        FFT_OK(ff_flow_spec_add_member(f, s, NULL));
        ff_exec_spec_free(s);
    }
    expect_refused(f, FF_FLOW_LIMIT_EXCEEDED);
    ff_flow_spec_free(f);

    f = spec_n(NULL, lane, 1); /* a bad policy JSON on a member: ff_create's own rule */
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_policy_json(s, "{\"retry_policy\":{\"max_retries\":\"x\"}}"));
    FFT_OK(ff_flow_spec_add_member(f, s, NULL));
    ff_exec_spec_free(s);
    int64_t before = it_dbsize(C);
    ff_op *op = IT_OP(ff_flow_submit(C, f, NULL, NULL, OUT));
    FFT_CHECK_MSG(ff_op_status(op) != FF_OK, "a bad member policy was accepted");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), before);
    ff_flow_spec_free(f);
}

static void test_builder_refuses_bad_input_before_sending(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "fs-builder");
    ff_flow_spec *f = NULL;
    FFT_EQ_STATUS(ff_flow_spec_new(&f, "nope", lane, 0, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_spec_new(&f, NULL, lane, -1, 0), FF_EINVAL);
    FFT_OK(ff_flow_spec_new(&f, NULL, lane, 0, 0));
    int st = ff_flow_submit(C, f, NULL, NULL, OUT); /* no member */
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "no member") != NULL);
    ff_flow_spec_free(f);
    f = spec_n(NULL, lane, 2);
    st = ff_flow_spec_add_edge(f, 0, 2, 0);
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "only 2 members") != NULL);
    FFT_EQ_STATUS(ff_flow_spec_add_edge(f, 1, 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_spec_add_edge(f, 0, 1, 8), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_spec_set_group(f, 5, "any_of", 1, "let_run"), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_spec_set_group(f, 1, NULL, 0, NULL), FF_EINVAL);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, "k1", 0));
    st = ff_flow_spec_add_member(f, s, NULL);
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "idempotency key") != NULL);
    ff_exec_spec_free(s);
    s = it_spec(lane);
    char other[FT_ID];
    ft_flow(lane, other);
    FFT_OK(ff_exec_spec_set_flow(s, other));
    FFT_EQ_STATUS(ff_flow_spec_add_member(f, s, NULL), FF_EINVAL);
    ff_exec_spec_free(s);
    /* a member whose lane never maps to the flow's partition */
    char far[64];
    it_lane(far, sizeof far, "fs-far");
    s = it_spec(far);
    uint32_t fp = 0;
    ff__eid_parse(other, &fp);
    int reaches = 0;
    /* only meaningful when the two lanes map apart (they almost always do) */
    for (uint32_t k = 0; k < 1; k++) reaches = ff__lane_partition(far, k, 256) == fp;
    ff_flow_spec_free(f);
    FFT_OK(ff_flow_spec_new(&f, other, lane, 0, 0));
    FFT_OK(ff_flow_spec_add_member(f, s, NULL));
    ff_exec_spec_free(s);
    if (!reaches) FFT_EQ_STATUS(ff_flow_submit(C, f, NULL, NULL, OUT), FF_PARTITION_MISMATCH);
    ff_flow_spec_free(f);
}

static void test_repeat_is_idempotent_and_another_body_conflicts(void)
{
    char lane[64], fid[FT_ID], fid2[FT_ID], ids[3][FT_ID], again[3][FT_ID];
    it_lane(lane, sizeof lane, "fs-repeat");
    ff_op *op = IT_OP(ff_flow_create(C, NULL, lane, 0, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    char plain[FT_ID];
    snprintf(plain, sizeof plain, "%s", ff_op_text(op));
    ff_op_free(op);
    /* a fresh id of the same partition, for the submitted flow */
    uint32_t fp = 0;
    ff__eid_parse(plain, &fp);
    char want[FT_ID];
    FFT_EQ_INT(ff__eid_mint(fp, want), 0);

    ff_flow_spec *f = spec_n(want, lane, 3);
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    FFT_OK(ff_flow_spec_add_edge(f, 1, 2, 0));
    FFT_EQ_INT(submit_ok(f, fid, ids, 3), 0);
    FFT_EQ_STR(fid, want);
    int64_t size = it_dbsize(C);
    /* the same spec again (fresh member ids are minted per call): the stored ones */
    FFT_EQ_INT(submit_ok(f, fid2, again, 3), 1);
    FFT_EQ_STR(fid2, fid);
    for (int i = 0; i < 3; i++) FFT_EQ_STR(again[i], ids[i]);
    FFT_EQ_INT(it_dbsize(C), size);
    ff_flow_spec_free(f);
    /* another body under the same id */
    f = spec_n(want, lane, 3);
    FFT_OK(ff_flow_spec_add_edge(f, 0, 1, 0));
    expect_refused(f, FF_FLOW_SUBMIT_CONFLICT);
    ff_flow_spec_free(f);
    /* a flow made by ff_flow_create is no submit's */
    f = spec_n(plain, lane, 1);
    expect_refused(f, FF_FLOW_SUBMIT_CONFLICT);
    ff_flow_spec_free(f);
}

static void test_size_limit(void)
{
    char lane[64], fid[FT_ID];
    it_lane(lane, sizeof lane, "fs-size");
    ff_flow_spec *f = spec_n(NULL, lane, FF_FLOW_SUBMIT_MAX_MEMBERS);
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_flow_spec_add_member(f, s, NULL), FF_FLOW_LIMIT_EXCEEDED);
    ff_exec_spec_free(s);
    /* a fan-out 0 -> 1..499 plus a fan-in 1..499 -> nothing more: 499 edges */
    for (uint32_t i = 1; i < FF_FLOW_SUBMIT_MAX_MEMBERS; i++) FFT_OK(ff_flow_spec_add_edge(f, 0, i, 0));
    static char ids[FF_FLOW_SUBMIT_MAX_MEMBERS][FT_ID];
    submit_ok(f, fid, ids, FF_FLOW_SUBMIT_MAX_MEMBERS);
    ff_flow_spec_free(f);
    FT_EXPECT_PUB(ids[0], "waiting");
    FT_EXPECT_PUB(ids[FF_FLOW_SUBMIT_MAX_MEMBERS - 1], "waiting_children");
    /* the edge limit of one call */
    f = spec_n(NULL, lane, 70); /* 70 * 69 / 2 = 2415 possible edges */
    int st = FF_OK;
    uint32_t added = 0;
    for (uint32_t u = 0; u < 70 && st == FF_OK; u++)
        for (uint32_t d = u + 1; d < 70 && st == FF_OK; d++)
            if ((st = ff_flow_spec_add_edge(f, u, d, 0)) == FF_OK) added++;
    FFT_EQ_STATUS(st, FF_FLOW_LIMIT_EXCEEDED);
    FFT_EQ_INT(added, FF_FLOW_SUBMIT_MAX_EDGES);
    ff_flow_spec_free(f);
}

int main(void)
{
    IT_RUN(test_chain_of_ten_runs_in_order);
    IT_RUN(test_diamond_any_of_cancels_the_other);
    IT_RUN(test_quorum_two_of_three);
    IT_RUN(test_refusals_write_nothing);
    IT_RUN(test_builder_refuses_bad_input_before_sending);
    IT_RUN(test_repeat_is_idempotent_and_another_body_conflicts);
    IT_RUN(test_size_limit);
    return it_summary(__FILE__);
}
