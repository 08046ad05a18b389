/*
 * Flows, racing endings: a worker's complete and an operator's cancel_flow
 * (cancel_all) sent at the same moment on two connections, many times. Each
 * call is atomic on the server, so exactly one of them ends the member:
 * either the complete succeeds and the cancel does not list it, or the
 * cancel lists it and the complete is refused; the flow counts it once, and
 * the completion feed has exactly one entry for it.
 */
#include "flowtest.h"

enum { ROUNDS = 20 };

static int feed_entries_for(uint32_t part, const char *cursor, const char *eid, char *outcome, size_t cap)
{
    int n = 0;
    char cur[64];
    snprintf(cur, sizeof cur, "%s", cursor);
    for (int page = 0; page < 1000; page++) {
        ff_op *op = IT_OP(ff_flow_feed_read(C, part, cur, 1000, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        size_t items = ff_op_item_count(op);
        for (size_t r = 0; r < items; r += FF_ITEMS_FLOW_FEED_STRIDE)
            if (strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_EID), eid) == 0) {
                n++;
                snprintf(outcome, cap, "%s", ff_op_item(op, r + FF_ITEMS_FLOW_FEED_OUTCOME));
            }
        snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
        ff_op_free(op);
        if (items == 0) break;
    }
    return n;
}

static void test_complete_races_cancel_flow(void)
{
    ff_client *other = fft_client_new();
    int won_complete = 0, won_cancel = 0;
    for (int round = 0; round < ROUNDS; round++) {
        char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID];
        it_lane(lane, sizeof lane, "frace");
        ft_flow(lane, fid);
        ft_member(fid, lane, a);
        ft_member(fid, lane, b);
        ft_edge(fid, a, b);
        uint32_t part = 0;
        ff__eid_parse(fid, &part);
        ff_op *f = IT_OP(ff_flow_feed_read(C, part, "$", 1, NULL, NULL, OUT));
        char start[64];
        snprintf(start, sizeof start, "%s", ff_op_cursor(f));
        ff_op_free(f);
        ff_claim *cl = it_claim_expect(C, lane, a);
        /* both in flight before either answer is read */
        ff_op *done = NULL, *cancel = NULL;
        FFT_OK(ff_lease_complete(C, cl, "r", 1, NULL, NULL, &done));
        FFT_OK(ff_flow_cancel(other, fid, "cancel_all", "race", NULL, NULL, &cancel));
        FFT_CHECK(ff_op_wait(done, IT_WAIT_MS) != FF_EAGAIN);
        FFT_CHECK(ff_op_wait(cancel, IT_WAIT_MS) != FF_EAGAIN);
        FFT_OK(ff_op_status(cancel));
        int listed = 0;
        for (size_t i = 0; i < ff_op_item_count(cancel); i++) listed |= strcmp(ff_op_item(cancel, i), a) == 0;
        int completed = ff_op_status(done) == FF_OK;
        FFT_CHECK_MSG(completed != listed, "round %d: complete %s, cancel %s the member", round,
                      ff_status_name(ff_op_status(done)), listed ? "listed" : "did not list");
        if (!completed) FFT_EQ_STATUS(ff_op_status(done), FF_EXECUTION_NOT_ACTIVE);
        won_complete += completed;
        won_cancel += listed;
        ff_op_free(done);
        ff_op_free(cancel);
        ff_claim_free(cl);
        FT_EXPECT_PUB(a, completed ? "completed" : "cancelled");
        FT_EXPECT_PUB(b, "cancelled"); /* never started: cancel_all took it either way */
        ff_op *d = ft_describe(fid);
        FFT_EQ_INT(it_ji64(d, "counts.ended"), 2);
        FFT_EQ_INT(it_ji64(d, "counts.completed") + it_ji64(d, "counts.cancelled"), 2);
        FFT_EQ_INT(it_ji64(d, "counts.completed"), completed);
        ff_op_free(d);
        char outcome[32] = "";
        FFT_EQ_INT(feed_entries_for(part, start, a, outcome, sizeof outcome), 1);
        FFT_EQ_STR(outcome, completed ? "success" : "cancelled");
    }
    printf("complete won %d rounds, cancel_flow won %d\n", won_complete, won_cancel);
    FFT_EQ_INT(won_complete + won_cancel, ROUNDS);
    ff_client_free(other);
}

int main(void)
{
    IT_RUN(test_complete_races_cancel_flow);
    return it_summary(__FILE__);
}
