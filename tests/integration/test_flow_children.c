/*
 * Flows, child flows and following: a running execution spawns a child
 * flow (ff_flow_spec_set_parent), waits for it (ff_lease_wait_children),
 * is resumed by the last child's ending as the SAME attempt and reads the
 * children's outcomes and results (ff_execution_children); the completion
 * feed (ff_flow_feed_read) records every ending and the settling in order,
 * from an exclusive cursor; ff_flow_wait ends when the flow settles.
 */
#include "flowtest.h"

#define LONG_WAIT_MS 60000

/* Submit a child flow of parent on lane: n members, chained when chain. */
static void spawn(const char *parent, const char *lane, int n, int chain, char *fid, char m[][IT_EID])
{
    ff_flow_spec *s = NULL;
    FFT_OK(ff_flow_spec_new(&s, NULL, lane, 0, 0));
    FFT_OK(ff_flow_spec_set_parent(s, parent));
    for (int i = 0; i < n; i++) {
        ff_exec_spec *e = it_spec(lane);
        FFT_OK(ff_flow_spec_add_member(s, e, NULL));
        ff_exec_spec_free(e);
        if (chain && i > 0) FFT_OK(ff_flow_spec_add_edge(s, (uint32_t)i - 1, (uint32_t)i, 0));
    }
    ff_op *op = IT_OP(ff_flow_submit(C, s, NULL, NULL, OUT));
    ff_flow_spec_free(s);
    if (ff_op_status(op) != FF_OK) FFT_FAIL("submit: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(fid, FT_ID, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_item_count(op), (size_t)n * FF_ITEMS_FLOW_SUBMIT_STRIDE);
    for (int i = 0; i < n; i++) snprintf(m[i], IT_EID, "%s", ff_op_item(op, (size_t)i));
    ff_op_free(op);
}

static void test_wait_children_resumes_the_same_attempt(void)
{
    char lane[64], pe[IT_EID], fid[FT_ID], m[2][IT_EID];
    it_lane(lane, sizeof lane, "fch-wait");
    it_create(C, lane, 0, pe);
    ff_claim *parent = it_claim_expect(C, lane, pe);
    spawn(pe, lane, 2, 1, fid, m);
    /* a child flow lives on its parent's partition */
    uint32_t pp = 0, fp = 0;
    ff__eid_parse(pe, &pp);
    ff__eid_parse(fid, &fp);
    FFT_EQ_INT(pp, fp);
    ff_op *op = IT_OP(ff_lease_wait_children(C, parent, 0, NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "suspended");
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    FT_EXPECT_PUB(pe, "suspended");
    ff_op *d = it_describe(C, pe);
    FFT_EQ_STR(it_jstr(d, "state.blocking_reason"), "waiting_for_children");
    ff_op_free(d);
    /* the parent's lease is gone */
    IT_EXPECT(ff_lease_complete(C, parent, NULL, 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    ft_complete(lane, m[0], "first");
    FT_EXPECT_PUB(pe, "suspended");
    ft_complete(lane, m[1], "second");
    ff_claim *again = it_claim_expect(C, lane, pe);
    FFT_EQ_STR(ff_claim_attempt_type(again), "resumed");
    FFT_EQ_STR(ff_claim_attempt_id(again), ff_claim_attempt_id(parent));
    FFT_EQ_INT(ff_claim_attempt_index(again), ff_claim_attempt_index(parent));
    FFT_CHECK(ff_claim_lease_epoch(again) > ff_claim_lease_epoch(parent));
    op = IT_OP(ff_execution_children(C, pe, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 2 * FF_ITEMS_FLOW_CHILDREN_STRIDE);
    for (size_t r = 0; r < 2; r++) {
        size_t b = r * FF_ITEMS_FLOW_CHILDREN_STRIDE;
        FFT_EQ_STR(ff_op_item(op, b + FF_ITEMS_FLOW_CHILDREN_FLOW_ID), fid);
        FFT_EQ_STR(ff_op_item(op, b + FF_ITEMS_FLOW_CHILDREN_PUBLIC_STATE), "completed");
        FFT_EQ_STR(ff_op_item(op, b + FF_ITEMS_FLOW_CHILDREN_HAS_RESULT), "1");
        const char *eid = ff_op_item(op, b + FF_ITEMS_FLOW_CHILDREN_EID);
        size_t len = 0;
        const void *res = ff_op_item_bytes(op, b + FF_ITEMS_FLOW_CHILDREN_RESULT, &len);
        if (strcmp(eid, m[0]) == 0)
            FFT_EQ_MEM(res, len, "first", 5);
        else {
            FFT_EQ_STR(eid, m[1]);
            FFT_EQ_MEM(res, len, "second", 6);
        }
    }
    ff_op_free(op);
    ft_expect_flow_state(fid, "completed");
    /* waiting again: everything settled, the lease is kept */
    op = IT_OP(ff_lease_wait_children(C, again, 0, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "already_satisfied");
    ff_op_free(op);
    IT_EXPECT(ff_lease_complete(C, again, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(again);
    ff_claim_free(parent);
}

static void test_wait_children_refusals(void)
{
    char lane[64], pe[IT_EID], other[IT_EID];
    it_lane(lane, sizeof lane, "fch-bad");
    it_create(C, lane, 0, pe);
    it_create(C, lane, 0, other);
    ff_claim *parent = it_claim_expect(C, lane, pe);
    IT_EXPECT(ff_lease_wait_children(C, parent, 0, NULL, NULL, NULL, OUT), FF_NO_CHILDREN);
    FT_EXPECT_PUB(pe, "active");
    FFT_EQ_INT(ff_lease_wait_children(C, parent, 0, "cancel", NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_lease_wait_children(C, parent, 10, "bogus", NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_lease_wait_children(C, parent, -1, NULL, NULL, NULL, NULL), FF_EINVAL);
    /* a parent that is not running cannot spawn */
    ff_flow_spec *s = NULL;
    FFT_OK(ff_flow_spec_new(&s, NULL, lane, 0, 0));
    FFT_OK(ff_flow_spec_set_parent(s, other));
    ff_exec_spec *e = it_spec(lane);
    FFT_OK(ff_flow_spec_add_member(s, e, NULL));
    ff_exec_spec_free(e);
    IT_EXPECT(ff_flow_submit(C, s, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    FFT_CHECK(ff_flow_spec_set_parent(s, "not-an-id") == FF_EINVAL);
    ff_flow_spec_free(s);
    IT_EXPECT(ff_lease_complete(C, parent, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(parent);
}

static void test_feed_follows_endings_and_settling(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "fch-feed");
    ft_flow(lane, fid);
    uint32_t part = 0;
    ff__eid_parse(fid, &part);
    ff_op *op = IT_OP(ff_flow_feed_read(C, part, "$", 10, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 0);
    char start[64];
    snprintf(start, sizeof start, "%s", ff_op_cursor(op));
    ff_op_free(op);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    ft_edge(fid, a, b);
    ft_complete(lane, a, NULL);
    ft_fail(lane, b);
    /* other tests share the partition: keep this flow's entries */
    const char *want[][3] = {{a, "success", "member"}, {b, "failed", "member"}, {"", "failed", "flow"}};
    size_t seen = 0;
    char cur[64];
    snprintf(cur, sizeof cur, "%s", start);
    for (int page = 0; page < 100 && seen < 3; page++) {
        op = IT_OP(ff_flow_feed_read(C, part, cur, 1, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_EQ_INT(ff_op_int(op), 0);
        FFT_EQ_INT(ff_op_item_count(op), FF_ITEMS_FLOW_FEED_STRIDE);
        FFT_EQ_STR(ff_op_cursor(op), ff_op_item(op, FF_ITEMS_FLOW_FEED_ID));
        snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
        if (strcmp(ff_op_item(op, FF_ITEMS_FLOW_FEED_FLOW_ID), fid) == 0) {
            FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_FEED_EID), want[seen][0]);
            FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_FEED_OUTCOME), want[seen][1]);
            FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_FEED_KIND), want[seen][2]);
            seen++;
        }
        ff_op_free(op);
    }
    FFT_EQ_INT(seen, 3);
    FFT_EQ_INT(ff_flow_feed_read(C, part, "12-x", 1, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_flow_feed_read(C, part, "", 0, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_flow_feed_read(C, ff_client_partitions(C), "", 1, NULL, NULL, NULL), FF_EINVAL);
}

/* A cursor survives the client: endings while no one reads are read by a
 * new client from the stored cursor; a waiting read is woken by the next. */
static void test_feed_wait_and_a_client_restart(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "fch-follow");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    uint32_t part = 0;
    ff__eid_parse(fid, &part);
    ff_client *reader = fft_client_new();
    ff_op *op = IT_OP(ff_flow_feed_read(reader, part, "$", 1, NULL, NULL, OUT));
    char cur[64];
    snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
    ff_op_free(op);
    ff_client_free(reader); /* the consumer goes away with its cursor */
    ft_complete(lane, a, NULL);
    reader = fft_client_new();
    int found_a = 0;
    for (int i = 0; i < 100 && !found_a; i++) {
        op = IT_OP(ff_flow_feed_read(reader, part, cur, 1000, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        if (ff_op_item_count(op) == 0) {
            ff_op_free(op);
            break;
        }
        for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_FLOW_FEED_STRIDE)
            found_a |= strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_EID), a) == 0;
        snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
        ff_op_free(op);
    }
    FFT_CHECK_MSG(found_a, "the ending of %s was not in the feed after the restart", a);
    /* caught up: a waiting read ends with the next ending */
    ff_op *w = NULL;
    FFT_OK(ff_flow_feed_wait(reader, part, cur, 1000, LONG_WAIT_MS, NULL, NULL, &w));
    ft_complete(lane, b, NULL);
    int found_b = 0;
    for (int i = 0; i < 100 && !found_b; i++) {
        FFT_CHECK(ff_op_wait(w, IT_WAIT_MS) != FF_EAGAIN);
        FFT_OK(ff_op_status(w));
        FFT_CHECK(ff_op_item_count(w) > 0);
        for (size_t r = 0; r < ff_op_item_count(w); r += FF_ITEMS_FLOW_FEED_STRIDE)
            found_b |= strcmp(ff_op_item(w, r + FF_ITEMS_FLOW_FEED_EID), b) == 0;
        snprintf(cur, sizeof cur, "%s", ff_op_cursor(w));
        ff_op_free(w);
        w = NULL;
        if (!found_b) FFT_OK(ff_flow_feed_wait(reader, part, cur, 1000, LONG_WAIT_MS, NULL, NULL, &w));
    }
    FFT_CHECK(found_b);
    /* nothing follows: the wait runs into its own timeout */
    op = IT_OP(ff_flow_feed_read(reader, part, "$", 1, NULL, NULL, OUT));
    snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
    ff_op_free(op);
    IT_EXPECT(ff_flow_feed_wait(reader, part, cur, 10, 1, NULL, NULL, OUT), FF_ETIMEDOUT);
    FFT_EQ_INT(ff_flow_feed_wait(reader, part, "$", 10, 1000, NULL, NULL, NULL), FF_EINVAL);
    ff_client_free(reader);
}

static void test_flow_wait_ends_when_settled(void)
{
    char lane[64], fid[FT_ID], a[IT_EID];
    it_lane(lane, sizeof lane, "fch-fwait");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ff_op *w = NULL;
    FFT_OK(ff_flow_wait(C, fid, LONG_WAIT_MS, NULL, NULL, &w));
    ff_client *worker = fft_client_new();
    ff_claim *cl = it_claim_expect(worker, lane, a);
    FFT_EQ_INT(ff_op_done(w), 0);
    IT_EXPECT(ff_lease_complete(worker, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_client_free(worker);
    FFT_CHECK(ff_op_wait(w, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(w));
    FFT_EQ_STR(ff_op_text(w), "completed");
    FFT_EQ_STR(it_jstr(w, "state"), "completed");
    FFT_CHECK(it_ji64(w, "settled_at") > 0);
    ff_op_free(w);
    /* already settled: at once */
    ff_op *op = IT_OP(ff_flow_wait(C, fid, LONG_WAIT_MS, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    FFT_EQ_INT(ff_flow_wait(C, "nope", 10, NULL, NULL, NULL), FF_EINVAL);
    char missing[IT_EID]; /* an execution's id is no flow's */
    it_create(C, lane, 0, missing);
    IT_EXPECT(ff_flow_wait(C, missing, 1000, NULL, NULL, OUT), FF_FLOW_NOT_FOUND);
}

int main(void)
{
    IT_RUN(test_wait_children_resumes_the_same_attempt);
    IT_RUN(test_wait_children_refusals);
    IT_RUN(test_feed_follows_endings_and_settling);
    IT_RUN(test_feed_wait_and_a_client_restart);
    IT_RUN(test_flow_wait_ends_when_settled);
    return it_summary(__FILE__);
}
