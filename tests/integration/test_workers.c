/*
 * The worker registry and capability routing through the C API
 * (workers.h): work no live worker can run is route-blocked and returns in
 * the call that registers a capable worker; a capable registered worker
 * keeps it eligible; the listing merges the partitions with exact leases
 * counts; heartbeat, mark-dead, the lane filter and typed errors.
 */
#include <jansson.h>

#include "itest.h"

#define ST_ROUTE_BLOCKED "runnable unowned blocked_by_route waiting_for_capable_worker none pending_first_attempt"

static void reg(const char *wid, const char *lane, const char *cap, int heartbeat, const char *want_text,
                int64_t want_moved)
{
    const char *lanes[] = {lane};
    const char *caps[] = {cap};
    ff_op *op = heartbeat
                    ? IT_OP(ff_worker_heartbeat(C, wid, "inst-1", lanes, 1, caps, cap ? 1 : 0, 4, 30000, NULL, NULL, OUT))
                    : IT_OP(ff_worker_register(C, wid, "inst-1", lanes, 1, caps, cap ? 1 : 0, 4, 30000, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK) FFT_FAIL("register: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    FFT_EQ_STR(ff_op_text(op), want_text);
    FFT_EQ_INT(ff_op_int(op), want_moved);
    FFT_EQ_INT(ff_op_kind(op), heartbeat ? FF_OP_KIND_WORKER_HEARTBEAT : FF_OP_KIND_WORKER_REGISTER);
    ff_op_free(op);
}

static void create_needing(const char *lane, const char *cap, char *eid)
{
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_add_capability(s, cap));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
}

static ff_claim *claim_as(const char *lane, const char *wid, const char *cap)
{
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_worker_id(o, wid));
    if (cap) FFT_OK(ff_claim_opts_add_capability(o, cap));
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    return cl;
}

/* The leases of listed worker wid (of lane; NULL = any), -1 when not listed. */
static int64_t leases_of(const char *lane, const char *wid)
{
    ff_op *op = IT_OP(ff_workers_list(C, lane, NULL, 1000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    json_t *root = json_loads(ff_op_json(op), 0, NULL);
    json_t *ws = json_object_get(root, "workers");
    int64_t out = -1;
    size_t i;
    json_t *w;
    json_array_foreach(ws, i, w) {
        if (strcmp(json_string_value(json_object_get(w, "worker_id")), wid) == 0)
            out = json_integer_value(json_object_get(w, "leases"));
    }
    json_decref(root);
    ff_op_free(op);
    return out;
}

static void test_blocked_then_unblocked_by_registration(void)
{
    char lane[64], eid[IT_EID], wid[64];
    it_lane(lane, sizeof lane, "route");
    it_lane(wid, sizeof wid, "gpu-worker");
    create_needing(lane, "gpu", eid);
    FFT_CHECK(claim_as(lane, "cpu-worker", "cpu") == NULL);
    it_state(C, eid, "waiting", ST_ROUTE_BLOCKED);
    /* the incapable worker does not meet it again */
    FFT_CHECK(claim_as(lane, "cpu-worker", "cpu") == NULL);
    it_state(C, eid, "waiting", ST_ROUTE_BLOCKED);
    reg(wid, lane, "gpu", 0, "registered", 1);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
    reg(wid, lane, "gpu", 1, "refreshed", 0);
    ff_claim *cl = claim_as(lane, wid, "gpu");
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    FFT_EQ_INT(leases_of(lane, wid), 1);
    IT_EXPECT(ff_lease_complete(C, cl, "", 0, NULL, NULL, OUT), FF_OK);
    FFT_EQ_INT(leases_of(lane, wid), 0);
    ff_claim_free(cl);
    ff_op *op = IT_OP(ff_worker_mark_dead(C, wid, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    op = IT_OP(ff_worker_mark_dead(C, wid, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_int(op), 0);
    ff_op_free(op);
    FFT_EQ_INT(leases_of(lane, wid), -1);
}

static void test_capable_live_worker_keeps_it_eligible(void)
{
    char lane[64], eid[IT_EID], wid[64];
    it_lane(lane, sizeof lane, "route");
    it_lane(wid, sizeof wid, "gpu-worker");
    reg(wid, lane, "gpu", 0, "registered", 0);
    create_needing(lane, "gpu", eid);
    FFT_CHECK(claim_as(lane, "cpu-worker", "cpu") == NULL);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
    ff_op *op = IT_OP(ff_worker_mark_dead(C, wid, NULL, NULL, OUT));
    ff_op_free(op);
}

static void test_list_lane_filter_and_fields(void)
{
    char lane[64], other[64], a[64], b[64];
    it_lane(lane, sizeof lane, "route");
    it_lane(other, sizeof other, "route");
    it_lane(a, sizeof a, "wa");
    it_lane(b, sizeof b, "wb");
    reg(a, lane, "gpu", 0, "registered", 0);
    reg(b, other, NULL, 0, "registered", 0);
    ff_op *op = IT_OP(ff_workers_list(C, lane, NULL, 1000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    json_t *root = json_loads(ff_op_json(op), 0, NULL);
    json_t *ws = json_object_get(root, "workers");
    FFT_EQ_INT((int64_t)json_array_size(ws), 1);
    json_t *w = json_array_get(ws, 0);
    FFT_EQ_STR(json_string_value(json_object_get(w, "worker_id")), a);
    FFT_EQ_STR(json_string_value(json_object_get(w, "instance_id")), "inst-1");
    FFT_EQ_STR(json_string_value(json_array_get(json_object_get(w, "lanes"), 0)), lane);
    FFT_EQ_STR(json_string_value(json_array_get(json_object_get(w, "capabilities"), 0)), "gpu");
    FFT_EQ_INT(json_integer_value(json_object_get(w, "concurrency")), 4);
    FFT_EQ_INT(json_integer_value(json_object_get(w, "ttl_ms")), 30000);
    FFT_EQ_INT(json_integer_value(json_object_get(w, "expires_at")) - json_integer_value(json_object_get(w, "last_heartbeat")),
               30000);
    FFT_CHECK(json_is_null(json_object_get(root, "next_cursor")));
    json_decref(root);
    ff_op_free(op);
    FFT_EQ_INT(leases_of(NULL, b), 0);
    ff_op_free(IT_OP(ff_worker_mark_dead(C, a, NULL, NULL, OUT)));
    ff_op_free(IT_OP(ff_worker_mark_dead(C, b, NULL, NULL, OUT)));
}

/* The worker runtime registers on start (with its lanes and capabilities)
 * and leaves the registry on a clean stop. */
static void test_worker_runtime_registers_and_deregisters(void)
{
    char lane[64], wid[64];
    it_lane(lane, sizeof lane, "route");
    it_lane(wid, sizeof wid, "runtime");
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_worker_id(o, wid));
    FFT_OK(ff_worker_opts_add_capability(o, "gpu"));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_pull(o, 1));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_start(w));
    /* the registration is asynchronous: bounded wait on the server clock */
    int64_t until = it_server_now_ms(C) + 20000;
    while (leases_of(lane, wid) < 0 && it_server_now_ms(C) < until) usleep(20000);
    FFT_EQ_INT(leases_of(lane, wid), 0);
    ff_op *op = IT_OP(ff_workers_list(C, lane, NULL, 10, NULL, NULL, OUT));
    FFT_EQ_STR(it_jstr(op, "workers.0.capabilities.0"), "gpu");
    ff_op_free(op);
    FFT_OK(ff_worker_stop(w, 0));
    while (!ff_worker_stopped(w)) {
        usleep(10000);
        ff_client_dispatch(C, 0);
    }
    ff_worker_free(w);
    until = it_server_now_ms(C) + 20000;
    while (leases_of(lane, wid) >= 0 && it_server_now_ms(C) < until) usleep(20000);
    FFT_EQ_INT(leases_of(lane, wid), -1);
}

static void test_typed_errors(void)
{
    const char *lanes[] = {"x"};
    const char *bad_lane[] = {"bad\nlane"};
    const char *bad_cap[] = {"a b"};
    FFT_EQ_INT(ff_worker_register(NULL, "w", "i", lanes, 1, NULL, 0, 1, 30000, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_worker_register(C, "", "i", lanes, 1, NULL, 0, 1, 30000, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_worker_register(C, "w", "i", NULL, 0, NULL, 0, 1, 30000, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_worker_register(C, "w", "i", bad_lane, 1, NULL, 0, 1, 30000, NULL, NULL, NULL), FF_EINVAL);
    FFT_CHECK(ff_worker_register(C, "w", "i", lanes, 1, bad_cap, 1, 1, 30000, NULL, NULL, NULL) != FF_OK);
    FFT_EQ_INT(ff_worker_register(C, "w", "i", lanes, 1, NULL, 0, -1, 30000, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_worker_register(C, "w", "i", lanes, 1, NULL, 0, 1, 999, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_workers_list(C, NULL, NULL, 0, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_workers_list(C, "bad\n", NULL, 10, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_worker_mark_dead(C, "", NULL, NULL, NULL), FF_EINVAL);
}

int main(void)
{
    IT_RUN(test_blocked_then_unblocked_by_registration);
    IT_RUN(test_capable_live_worker_keeps_it_eligible);
    IT_RUN(test_list_lane_filter_and_fields);
    IT_RUN(test_worker_runtime_registers_and_deregisters);
    IT_RUN(test_typed_errors);
    return it_summary(__FILE__);
}
