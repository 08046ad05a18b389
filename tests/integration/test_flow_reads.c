/*
 * Flows, reads: describe_flow (state from counters, counts, revision,
 * members, edges, groups), list_flows (byte order, exclusive cursor),
 * list_edges in both directions, describe_edge, resolve_execution_flow_id,
 * and corrupt records failing loud with the key and field named.
 */
#include "flowtest.h"
#include "core/uuid.h"

static void test_describe_document(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID], edge[FT_ID];
    it_lane(lane, sizeof lane, "fx-describe");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    ft_edge_flags(fid, a, b, FF_FLOW_EDGE_DATA, edge, NULL);
    ff_op *d = ft_describe(fid);
    FFT_EQ_STR(it_jstr(d, "flow_id"), fid);
    FFT_EQ_STR(it_jstr(d, "state"), "open");
    FFT_EQ_STR(it_jstr(d, "lane"), lane);
    FFT_EQ_INT(it_ji64(d, "revision"), 3);
    FFT_EQ_INT(it_ji64(d, "edge_count"), 1);
    FFT_EQ_INT(it_ji64(d, "counts.members"), 2);
    FFT_EQ_INT(it_ji64(d, "counts.not_ended"), 2);
    FFT_EQ_INT(it_ji64(d, "counts.started"), 0);
    FFT_EQ_STR(it_jstr(d, "members.0.execution_id"), a);
    FFT_EQ_STR(it_jstr(d, "members.0.public_state"), "waiting");
    FFT_EQ_STR(it_jstr(d, "members.1.public_state"), "waiting_children");
    FFT_EQ_STR(it_jstr(d, "edges.0.edge_id"), edge);
    FFT_EQ_STR(it_jstr(d, "edges.0.upstream"), a);
    FFT_EQ_STR(it_jstr(d, "edges.0.downstream"), b);
    FFT_EQ_STR(it_jstr(d, "edges.0.state"), "pending");
    FFT_EQ_STR(it_jstr(d, "groups.0.downstream"), b);
    FFT_EQ_STR(it_jstr(d, "groups.0.policy"), "all_of");
    FFT_EQ_INT(it_ji64(d, "groups.0.n"), 1);
    ff_op_free(d);
    ft_complete(lane, a, "x");
    d = ft_describe(fid);
    FFT_EQ_STR(it_jstr(d, "state"), "running");
    FFT_EQ_INT(it_ji64(d, "counts.started"), 1);
    FFT_EQ_INT(it_ji64(d, "counts.completed"), 1);
    FFT_EQ_STR(it_jstr(d, "edges.0.state"), "satisfied");
    FFT_EQ_STR(it_jstr(d, "edges.0.upstream_outcome"), "success");
    FFT_EQ_STR(it_jstr(d, "groups.0.state"), "satisfied");
    FFT_EQ_INT(it_ji64(d, "groups.0.satisfied"), 1);
    ff_op_free(d);
    /* the edge alone, and the edges around each member */
    ff_op *op = IT_OP(ff_flow_describe_edge(C, fid, edge, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(it_jstr(op, "state"), "satisfied");
    FFT_EQ_STR(it_jstr(op, "upstream"), a);
    ff_op_free(op);
    op = IT_OP(ff_flow_list_edges(C, fid, a, "out", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), FF_ITEMS_FLOW_EDGES_STRIDE);
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_EDGES_EDGE_ID), edge);
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_EDGES_DOWNSTREAM), b);
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_EDGES_STATE), "satisfied");
    ff_op_free(op);
    op = IT_OP(ff_flow_list_edges(C, fid, a, "in", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 0);
    ff_op_free(op);
    op = IT_OP(ff_flow_list_edges(C, fid, b, "in", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_FLOW_EDGES_UPSTREAM), a);
    ff_op_free(op);
    FFT_EQ_STATUS(ff_flow_list_edges(C, fid, b, "sideways", NULL, NULL, OUT), FF_EINVAL);
    char ghost[40];
    FFT_EQ_INT(ff__uuid_v4(ghost), 0);
    IT_EXPECT(ff_flow_describe_edge(C, fid, ghost, NULL, NULL, OUT), FF_EDGE_NOT_FOUND);
    ft_complete(lane, b, NULL);
    ft_expect_flow_state(fid, "completed");
}

static void test_unknown_flow(void)
{
    char lane[64], fid[FT_ID], other[FT_ID];
    it_lane(lane, sizeof lane, "fx-unknown");
    ft_flow(lane, fid);
    uint32_t p = 0;
    FFT_EQ_INT(ff__eid_parse(fid, &p), 0);
    FFT_EQ_INT(ff__eid_mint(p, other), 0);
    IT_EXPECT(ff_flow_describe(C, other, NULL, NULL, OUT), FF_FLOW_NOT_FOUND);
    FFT_EQ_STATUS(ff_flow_describe(C, "not-a-flow", NULL, NULL, OUT), FF_EINVAL);
}

static void test_list_flows_pages_in_byte_order(void)
{
    char lane[64], fids[5][FT_ID];
    it_lane(lane, sizeof lane, "fx-list");
    for (int i = 0; i < 5; i++) ft_flow(lane, fids[i]);
    uint32_t p = 0;
    FFT_EQ_INT(ff__eid_parse(fids[0], &p), 0);
    /* other tests share the partition: walk it all, find ours in order */
    char cursor[FT_ID] = "", prev[FT_ID] = "";
    int found = 0, pages = 0;
    for (;;) {
        ff_op *op = IT_OP(ff_flow_list(C, p, cursor, 2, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_CHECK(ff_op_item_count(op) <= 2);
        for (size_t i = 0; i < ff_op_item_count(op); i++) {
            const char *id = ff_op_item(op, i);
            FFT_CHECK_MSG(strcmp(prev, id) < 0, "%s listed after %s", id, prev);
            snprintf(prev, sizeof prev, "%s", id);
            for (int k = 0; k < 5; k++) found += strcmp(id, fids[k]) == 0;
        }
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
        pages++;
        if (cursor[0] == '\0') break;
        FFT_CHECK(pages < 10000);
    }
    FFT_EQ_INT(found, 5);
    FFT_CHECK(pages >= 3);
    FFT_EQ_STATUS(ff_flow_list(C, p, "garbage", 2, NULL, NULL, OUT), FF_EINVAL);
    FFT_EQ_STATUS(ff_flow_list(C, p, NULL, 0, NULL, NULL, OUT), FF_EINVAL);
}

static void test_resolve_flow_id(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], x[IT_EID];
    it_lane(lane, sizeof lane, "fx-of");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    it_create(C, lane, 0, x);
    ff_op *op = IT_OP(ff_execution_flow_id(C, a, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), fid);
    ff_op_free(op);
    op = IT_OP(ff_execution_flow_id(C, x, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "");
    ff_op_free(op);
    char ghost[IT_EID];
    uint32_t p = 0;
    FFT_EQ_INT(ff__eid_parse(a, &p), 0);
    FFT_EQ_INT(ff__eid_mint(p, ghost), 0);
    IT_EXPECT(ff_execution_flow_id(C, ghost, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
}

static void expect_corrupt(const char *fid, const char *field)
{
    ff_op *op = IT_OP(ff_flow_describe(C, fid, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_CORRUPT_RECORD);
    FFT_CHECK(ff_op_detail_count(op) >= 2);
    FFT_EQ_STR(ff_op_detail(op, 1), field);
    ff_op_free(op);
}

static void hset(const char *key, const char *field, const char *value)
{
    ff_op *op = it_raw(C, "HSET", key, field, value, NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
}

static void test_corrupt_records_fail_loud(void)
{
    char lane[64], fid[FT_ID], a[IT_EID], b[IT_EID], edge[FT_ID], key[256];
    it_lane(lane, sizeof lane, "fx-corrupt");
    ft_flow(lane, fid);
    ft_member(fid, lane, a);
    ft_member(fid, lane, b);
    ft_edge_flags(fid, a, b, 0, edge, NULL);
    snprintf(key, sizeof key, "ff:f:%s:e:%s", fid, edge);
    hset(key, "state", "bogus");
    expect_corrupt(fid, "state");
    IT_EXPECT(ff_flow_describe_edge(C, fid, edge, NULL, NULL, OUT), FF_CORRUPT_RECORD);
    IT_EXPECT(ff_flow_list_edges(C, fid, a, "out", NULL, NULL, OUT), FF_CORRUPT_RECORD);
    hset(key, "state", "pending");
    snprintf(key, sizeof key, "ff:f:%s", fid);
    hset(key, "rev", "x1");
    expect_corrupt(fid, "rev");
    IT_EXPECT(ff_flow_add_edge(C, fid, b, a, -1, 0, NULL, NULL, OUT), FF_CORRUPT_RECORD);
    hset(key, "rev", "3");
    snprintf(key, sizeof key, "ff:f:%s:g:%s", fid, b);
    hset(key, "state", "");
    expect_corrupt(fid, "state");
}

int main(void)
{
    IT_RUN(test_describe_document);
    IT_RUN(test_unknown_flow);
    IT_RUN(test_list_flows_pages_in_byte_order);
    IT_RUN(test_resolve_flow_id);
    IT_RUN(test_corrupt_records_fail_loud);
    return it_summary(__FILE__);
}
