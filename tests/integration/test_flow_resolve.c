/*
 * Flows, inline resolution: every terminal transition of a member resolves
 * its outgoing edges in the same call. Linear chain, fan-out, diamond,
 * failure skip and its cascade, cancel and deadline expiry of an upstream,
 * any-of (cancel_remaining, let_run), quorum satisfied and impossible, a
 * repeated terminal call counted once, replay of a skipped member, an edge
 * staged after its upstream ended, and the bounded backlog the sweep
 * continues.
 */
#include "flowtest.h"

static void members(const char *fid, const char *lane, int n, char ids[][IT_EID])
{
    for (int i = 0; i < n; i++) ft_member(fid, lane, ids[i]);
}

static void test_linear_chain(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID];
    it_lane(lane, sizeof lane, "fr-chain");
    ft_flow(lane, fid);
    members(fid, lane, 3, m);
    ft_edge(fid, m[0], m[1]);
    ft_edge(fid, m[1], m[2]);
    ft_expect_flow_state(fid, "open");
    FT_EXPECT_PUB(m[1], "waiting_children");
    FT_EXPECT_PUB(m[2], "waiting_children");
    ft_complete(lane, m[0], NULL);
    FT_EXPECT_PUB(m[1], "waiting");
    FT_EXPECT_PUB(m[2], "waiting_children");
    ft_expect_flow_state(fid, "running");
    ft_complete(lane, m[1], NULL);
    FT_EXPECT_PUB(m[2], "waiting");
    ft_complete(lane, m[2], NULL);
    ft_nothing_claimable(lane);
    ft_expect_flow_state(fid, "completed");
    FFT_EQ_INT(ft_count(fid, "completed"), 3);
    FFT_EQ_INT(ft_count(fid, "ended"), 3);
}

static void test_fan_out(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-fanout");
    ft_flow(lane, fid);
    members(fid, lane, 4, m);
    for (int i = 1; i < 4; i++) ft_edge(fid, m[0], m[i]);
    ft_complete(lane, m[0], NULL);
    for (int i = 1; i < 4; i++) FT_EXPECT_PUB(m[i], "waiting");
    for (int i = 1; i < 4; i++) ft_complete(lane, m[i], NULL);
    ft_expect_flow_state(fid, "completed");
}

static void test_diamond(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-diamond");
    ft_flow(lane, fid);
    members(fid, lane, 4, m);
    ft_edge(fid, m[0], m[1]);
    ft_edge(fid, m[0], m[2]);
    ft_edge(fid, m[1], m[3]);
    ft_edge(fid, m[2], m[3]);
    ft_complete(lane, m[0], NULL);
    ft_complete(lane, m[1], NULL);
    FT_EXPECT_PUB(m[3], "waiting_children"); /* all_of: c still runs */
    ft_complete(lane, m[2], NULL);
    FT_EXPECT_PUB(m[3], "waiting");
    ft_complete(lane, m[3], NULL);
    ft_expect_flow_state(fid, "completed");
}

static void test_failure_skips_and_cascades(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-skip");
    ft_flow(lane, fid);
    members(fid, lane, 4, m);
    ft_edge(fid, m[0], m[1]);
    ft_edge(fid, m[1], m[2]);
    ft_edge(fid, m[2], m[3]);
    ft_fail(lane, m[0]);
    for (int i = 1; i < 4; i++) {
        ff_op *d = it_check_state(C, m[i], "skipped",
                                  "terminal unowned not_applicable none skipped pending_first_attempt");
        FFT_EQ_STR(it_jstr(d, "failure.reason"), "dependency_impossible");
        ff_op_free(d);
    }
    ft_nothing_claimable(lane);
    ft_expect_flow_state(fid, "failed");
    FFT_EQ_INT(ft_count(fid, "skipped"), 3);
    FFT_EQ_INT(ft_count(fid, "failed"), 1);
}

static void test_cancel_of_upstream_skips(void)
{
    char lane[64], fid[FT_ID], m[2][IT_EID];
    it_lane(lane, sizeof lane, "fr-cancel");
    ft_flow(lane, fid);
    members(fid, lane, 2, m);
    ft_edge(fid, m[0], m[1]);
    IT_EXPECT(ff_execution_cancel(C, m[0], "operator", NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(m[1], "skipped");
    ft_expect_flow_state(fid, "failed"); /* every member ended, one skipped */
    FFT_EQ_INT(ft_count(fid, "cancelled"), 1);
    /* cancelling a blocked member ends it too, and its flow counts it */
    char fid2[FT_ID], n[2][IT_EID];
    ft_flow(lane, fid2);
    members(fid2, lane, 2, n);
    ft_edge(fid2, n[0], n[1]);
    IT_EXPECT(ff_execution_cancel(C, n[1], "operator", NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(n[1], "cancelled");
    ft_complete(lane, n[0], NULL); /* resolving into a cancelled member changes nothing */
    FT_EXPECT_PUB(n[1], "cancelled");
    FFT_EQ_INT(ft_count(fid2, "cancelled"), 1);
    FFT_EQ_INT(ft_count(fid2, "ended"), 2);
    ft_expect_flow_state(fid2, "completed"); /* a cancelled member fails nothing */
}

static void test_deadline_expiry_in_the_sweep_skips(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "fr-deadline");
    ft_flow(lane, fid);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    int64_t dl = it_server_now_ms(C) + 100;
    FFT_OK(ff_exec_spec_set_deadline_ms(s, dl));
    it_create_spec(C, s, a, NULL, 0);
    ff_exec_spec_free(s);
    ft_member(fid, lane, b);
    ft_edge(fid, a, b);
    while (it_server_now_ms(C) <= dl + 5) fft_sleep_ms(20);
    ff_op_free(ft_sweep(a));
    FT_EXPECT_PUB(a, "expired");
    FT_EXPECT_PUB(b, "skipped");
    ft_expect_flow_state(fid, "failed");
}

static void fan_in(const char *lane, char *fid, char m[][IT_EID], int n, const char *policy, int32_t k,
                   const char *os)
{
    ft_flow(lane, fid);
    members(fid, lane, n + 1, m);
    ft_group(fid, m[n], policy, k, os);
    for (int i = 0; i < n; i++) ft_edge(fid, m[i], m[n]);
}

static void test_any_of_cancel_remaining(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-anycancel");
    fan_in(lane, fid, m, 3, "any_of", 1, "cancel_remaining");
    ff_claim *a = it_claim_expect(C, lane, m[0]);
    ff_claim *b = it_claim_expect(C, lane, m[1]);
    IT_EXPECT(ff_lease_complete(C, b, NULL, 0, NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(m[3], "waiting");
    for (int i = 0; i < 3; i += 2) {
        ff_op *d = it_check_state(C, m[i], "cancelled", NULL);
        FFT_EQ_STR(it_jstr(d, "cancellation.reason"), "sibling_quorum_satisfied");
        FFT_EQ_STR(it_jstr(d, "cancellation.cancelled_by"), "flow");
        ff_op_free(d);
    }
    /* the cancelled sibling's worker finds its lease gone */
    IT_EXPECT(ff_lease_complete(C, a, NULL, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    ff_claim_free(a);
    ff_claim_free(b);
    ft_complete(lane, m[3], NULL);
    ft_expect_flow_state(fid, "completed");
    ff_op *d = ft_describe(fid);
    FFT_EQ_STR(it_jstr(d, "groups.0.policy"), "any_of");
    FFT_EQ_STR(it_jstr(d, "groups.0.state"), "satisfied");
    FFT_EQ_INT(it_ji64(d, "groups.0.n"), 3);
    FFT_EQ_INT(it_ji64(d, "groups.0.satisfied"), 1);
    FFT_EQ_INT(it_ji64(d, "groups.0.failed"), 2);
    ff_op_free(d);
}

static void test_any_of_let_run(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-anylet");
    fan_in(lane, fid, m, 3, "any_of", 0, "let_run");
    ft_complete(lane, m[0], NULL);
    FT_EXPECT_PUB(m[3], "waiting");
    FT_EXPECT_PUB(m[1], "waiting");
    FT_EXPECT_PUB(m[2], "waiting");
    ft_fail(lane, m[1]);
    ft_complete(lane, m[2], NULL);
    FT_EXPECT_PUB(m[3], "waiting"); /* later upstreams never touch it again */
    ft_complete(lane, m[3], NULL);
    ff_op *d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "groups.0.satisfied"), 2);
    FFT_EQ_INT(it_ji64(d, "groups.0.failed"), 1);
    ff_op_free(d);
}

static void test_quorum_satisfied(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-qsat");
    fan_in(lane, fid, m, 3, "quorum", 2, "let_run");
    ft_complete(lane, m[0], NULL);
    FT_EXPECT_PUB(m[3], "waiting_children");
    ft_fail(lane, m[1]);
    FT_EXPECT_PUB(m[3], "waiting_children");
    ft_complete(lane, m[2], NULL);
    FT_EXPECT_PUB(m[3], "waiting");
}

static void test_quorum_impossible(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-qimp");
    fan_in(lane, fid, m, 3, "quorum", 2, "cancel_remaining");
    ft_fail(lane, m[0]);
    FT_EXPECT_PUB(m[3], "waiting_children");
    ft_fail(lane, m[1]);
    FT_EXPECT_PUB(m[3], "skipped");
    ff_op *d = it_check_state(C, m[2], "cancelled", NULL);
    FFT_EQ_STR(it_jstr(d, "cancellation.reason"), "sibling_quorum_impossible");
    ff_op_free(d);
    ft_nothing_claimable(lane);
    ft_expect_flow_state(fid, "failed");
}

static void test_repeated_terminal_call_counts_once(void)
{
    char lane[64], fid[FT_ID], m[2][IT_EID];
    it_lane(lane, sizeof lane, "fr-idem");
    ft_flow(lane, fid);
    members(fid, lane, 2, m);
    ft_edge(fid, m[0], m[1]);
    ff_claim *cl = it_claim_expect(C, lane, m[0]);
    IT_EXPECT(ff_lease_complete(C, cl, "r", 1, NULL, NULL, OUT), FF_OK);
    ff_op *op = IT_OP(ff_lease_complete(C, cl, "r", 1, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op)); /* an idempotent repeat */
    ff_op_free(op);
    ff_claim_free(cl);
    ff_op *d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "counts.completed"), 1);
    FFT_EQ_INT(it_ji64(d, "counts.ended"), 1);
    FFT_EQ_INT(it_ji64(d, "groups.0.satisfied"), 1);
    FFT_EQ_STR(it_jstr(d, "edges.0.state"), "satisfied");
    ff_op_free(d);
    /* the sweep (a safety net) finds nothing left to do */
    ff_op_free(ft_sweep(fid));
    d = ft_describe(fid);
    FFT_EQ_INT(it_ji64(d, "groups.0.satisfied"), 1);
    ff_op_free(d);
}

static void test_replay_of_a_skipped_member(void)
{
    char lane[64], fid[FT_ID], m[2][IT_EID];
    it_lane(lane, sizeof lane, "fr-replay");
    ft_flow(lane, fid);
    members(fid, lane, 2, m);
    ft_edge(fid, m[0], m[1]);
    ft_fail(lane, m[0]);
    FT_EXPECT_PUB(m[1], "skipped");
    FFT_EQ_INT(ft_count(fid, "skipped"), 1);
    IT_EXPECT(ff_execution_replay(C, m[1], NULL, NULL, OUT), FF_OK);
    FT_EXPECT_PUB(m[1], "waiting");
    FFT_EQ_INT(ft_count(fid, "skipped"), 0);
    ft_expect_flow_state(fid, "running");
    ft_complete(lane, m[1], NULL);
    FFT_EQ_INT(ft_count(fid, "completed"), 1);
    ft_expect_flow_state(fid, "failed"); /* the upstream still failed */
}

static void test_edge_staged_after_upstream_ended(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID], st[32];
    it_lane(lane, sizeof lane, "fr-late");
    ft_flow(lane, fid);
    members(fid, lane, 4, m);
    ft_edge(fid, m[2], m[3]); /* keeps the flow from completing early */
    ft_complete(lane, m[0], NULL);
    ft_edge_flags(fid, m[0], m[1], 0, NULL, st); /* resolved in the staging call */
    FFT_EQ_STR(st, "satisfied");
    FT_EXPECT_PUB(m[1], "waiting");
    ft_complete(lane, m[1], NULL);
    ft_fail(lane, m[2]);
    FT_EXPECT_PUB(m[3], "skipped");
    ft_expect_flow_state(fid, "failed");
}

static void test_late_impossible_edge_skips(void)
{
    char lane[64], fid[FT_ID], m[3][IT_EID], st[32];
    it_lane(lane, sizeof lane, "fr-lateimp");
    ft_flow(lane, fid);
    members(fid, lane, 3, m);
    ft_edge(fid, m[1], m[2]); /* m[2] waits for m[1] */
    ft_fail(lane, m[0]);      /* m[0] fails first ... */
    ft_edge_flags(fid, m[0], m[1], 0, NULL, st); /* ... then an edge from it arrives */
    FFT_EQ_STR(st, "impossible");
    FT_EXPECT_PUB(m[1], "skipped");
    FT_EXPECT_PUB(m[2], "skipped"); /* cascaded in the same call */
}

static void set_bound(const char *id, const char *bound)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(id, &part), 0);
    char key[64];
    snprintf(key, sizeof key, "ff:i:{fp:%u}:due", (unsigned)part);
    ff_op *op = it_raw(C, "HSET", key, "fwb", bound, NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
}

static int64_t backlog_size(const char *id)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(id, &part), 0);
    char key[64];
    snprintf(key, sizeof key, "ff:i:{fp:%u}:flow_backlog", (unsigned)part);
    ff_op *op = it_raw(C, "SCARD", key, NULL);
    FFT_OK(ff_op_status(op));
    int64_t n = ff_op_reply_integer(op);
    ff_op_free(op);
    return n;
}

static void test_backlog_is_continued_by_the_sweep(void)
{
    char lane[64], fid[FT_ID], m[4][IT_EID];
    it_lane(lane, sizeof lane, "fr-backlog");
    ft_flow(lane, fid);
    members(fid, lane, 4, m);
    for (int i = 1; i < 4; i++) ft_edge(fid, m[0], m[i]);
    set_bound(fid, "1"); /* one edge per call */
    ft_complete(lane, m[0], NULL);
    int waiting = 0;
    char pub[64];
    for (int i = 1; i < 4; i++) {
        ft_pub(m[i], pub, sizeof pub);
        if (strcmp(pub, "waiting") == 0) waiting++;
    }
    FFT_EQ_INT(waiting, 1);
    FFT_EQ_INT(backlog_size(fid), 1);
    /* each sweep continues with the same bound: two more sweeps finish it */
    for (int s = 0; s < 4 && backlog_size(fid) > 0; s++) {
        ff_op *op = ft_sweep(fid);
        ff_op_free(op);
    }
    FFT_EQ_INT(backlog_size(fid), 0);
    for (int i = 1; i < 4; i++) FT_EXPECT_PUB(m[i], "waiting");
    set_bound(fid, "0");
}

int main(void)
{
    IT_RUN(test_linear_chain);
    IT_RUN(test_fan_out);
    IT_RUN(test_diamond);
    IT_RUN(test_failure_skips_and_cascades);
    IT_RUN(test_cancel_of_upstream_skips);
    IT_RUN(test_deadline_expiry_in_the_sweep_skips);
    IT_RUN(test_any_of_cancel_remaining);
    IT_RUN(test_any_of_let_run);
    IT_RUN(test_quorum_satisfied);
    IT_RUN(test_quorum_impossible);
    IT_RUN(test_repeated_terminal_call_counts_once);
    IT_RUN(test_replay_of_a_skipped_member);
    IT_RUN(test_edge_staged_after_upstream_ended);
    IT_RUN(test_late_impossible_edge_skips);
    IT_RUN(test_backlog_is_continued_by_the_sweep);
    return it_summary(__FILE__);
}
