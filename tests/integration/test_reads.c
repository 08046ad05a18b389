/*
 * Reads: the describe snapshot and its typed accessors, binary-safe payloads
 * and results, partition and lane listings with cursor paging, lanes, counts.
 */
#include <jansson.h>

#include <unistd.h>

#include "itest.h"

static json_t *parse_json(ff_op *op)
{
    json_error_t e;
    json_t *j = json_loads(ff_op_json(op), 0, &e);
    FFT_CHECK_MSG(j != NULL, "describe JSON does not parse: %s: %s", e.text, ff_op_json(op));
    return j;
}

static void has_key(json_t *obj, const char *path)
{
    /* dotted path, every step an object member (the value may be null) */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = obj;
    char *save = NULL;
    for (char *seg = strtok_r(buf, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
        FFT_CHECK_MSG(json_is_object(cur), "%s: parent of %s is not an object", path, seg);
        cur = json_object_get(cur, seg);
        FFT_CHECK_MSG(cur != NULL, "describe lacks %s", path);
    }
}

static void test_describe_fields_present(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-fields");
    it_create(C, lane, 2, eid);
    static const char *const fields[] = {
        "execution_id", "namespace", "lane", "kind", "priority", "partition", "public_state",
        "state", "state.lifecycle_phase", "state.ownership_state", "state.eligibility_state",
        "state.blocking_reason", "state.terminal_outcome", "state.attempt_state", "state.public_state",
        "required_capabilities", "policy", "tags", "counters", "counters.total_attempts",
        "counters.retry_count", "counters.reclaim_count", "counters.replay_count", "lease_epoch",
        "current_attempt", "lease", "progress", "timestamps", "timestamps.created_at",
        "timestamps.started_at", "timestamps.ended_at", "timestamps.updated_at", "timestamps.delay_until",
        "timestamps.deadline", "failure", "cancellation", "attempts", "payload_size", "has_result",
    };
    /* in every phase of a simple life */
    for (int phase = 0; phase < 3; phase++) {
        ff_claim *cl = NULL;
        if (phase == 1) cl = it_claim_expect(C, lane, eid);
        ff_op *d = it_describe(C, eid);
        json_t *j = parse_json(d);
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) has_key(j, fields[i]);
        FFT_CHECK(json_is_array(json_object_get(j, "required_capabilities")));
        FFT_CHECK(json_is_array(json_object_get(j, "attempts")));
        FFT_CHECK(json_is_object(json_object_get(j, "tags")));
        FFT_CHECK(json_is_boolean(json_object_get(j, "has_result")));
        FFT_CHECK(json_is_integer(json_object_get(j, "priority")));
        if (phase == 1) {
            has_key(j, "lease.lease_id");
            has_key(j, "lease.epoch");
            has_key(j, "lease.worker_id");
            has_key(j, "lease.worker_instance_id");
            has_key(j, "lease.acquired_at");
            has_key(j, "lease.expires_at");
            has_key(j, "current_attempt.index");
            has_key(j, "current_attempt.id");
            has_key(j, "current_attempt.type");
            has_key(j, "current_attempt.started_at");
            FFT_CHECK(it_ji64(d, "timestamps.started_at") >= it_ji64(d, "timestamps.created_at"));
            IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
            ff_claim_free(cl);
        }
        json_decref(j);
        ff_op_free(d);
    }
}

static void test_json_accessors(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-json");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_priority(s, 4));
    FFT_OK(ff_exec_spec_add_tag(s, "owner", "team-\xc3\xa9"));
    FFT_OK(ff_exec_spec_add_tag(s, "env", "prod"));
    FFT_OK(ff_exec_spec_add_capability(s, "zeta"));
    FFT_OK(ff_exec_spec_add_capability(s, "alpha"));
    FFT_OK(ff_exec_spec_set_retry(s, 2, "fixed", 10, 0, 1.0, 0.0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "alpha"));
    FFT_OK(ff_claim_opts_add_capability(o, "zeta"));
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    ff_op *d = it_describe(C, eid);
    const char *str = NULL;
    int64_t v = 0;
    FFT_OK(ff_op_json_str(d, "state.public_state", &str));
    FFT_EQ_STR(str, "active");
    FFT_OK(ff_op_json_i64(d, "lease.epoch", &v));
    FFT_EQ_INT(v, 1);
    FFT_OK(ff_op_json_str(d, "attempts.0.type", &str));
    FFT_EQ_STR(str, "initial");
    FFT_OK(ff_op_json_str(d, "tags.owner", &str));
    FFT_EQ_STR(str, "team-\xc3\xa9");
    FFT_OK(ff_op_json_str(d, "tags.env", &str));
    FFT_EQ_STR(str, "prod");
    /* required capabilities are reported sorted */
    FFT_OK(ff_op_json_str(d, "required_capabilities.0", &str));
    FFT_EQ_STR(str, "alpha");
    FFT_OK(ff_op_json_str(d, "required_capabilities.1", &str));
    FFT_EQ_STR(str, "zeta");
    /* the policy is echoed as a document */
    FFT_OK(ff_op_json_i64(d, "policy.retry_policy.max_retries", &v));
    FFT_EQ_INT(v, 2);
    FFT_OK(ff_op_json_i64(d, "priority", &v));
    FFT_EQ_INT(v, 4);
    /* booleans read as 0/1 */
    FFT_OK(ff_op_json_i64(d, "has_result", &v));
    FFT_EQ_INT(v, 0);
    /* type mismatches */
    FFT_EQ_STATUS(ff_op_json_str(d, "priority", &str), FF_EINVAL);
    FFT_EQ_STATUS(ff_op_json_i64(d, "lane", &v), FF_EINVAL);
    FFT_EQ_STATUS(ff_op_json_i64(d, "state", &v), FF_EINVAL);
    /* missing / null / bad paths */
    FFT_EQ_STATUS(ff_op_json_str(d, "no_such_field", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "state.no_such", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "attempts.5.type", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "attempts.-1.type", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "attempts.x.type", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "lane.deeper", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_str(d, "failure.reason", &str), FF_ENOTFOUND); /* failure is null */
    FFT_EQ_STATUS(ff_op_json_str(d, NULL, &str), FF_ENOTFOUND);
    /* accessors on a non-JSON op */
    ff_op *p = it_raw(C, "PING", NULL);
    FFT_EQ_STATUS(ff_op_json_str(p, "a", &str), FF_ENOTFOUND);
    FFT_EQ_STR(ff_op_json(p), "");
    ff_op_free(p);
    ff_op_free(d);
    /* after a failure the failure object is filled */
    IT_EXPECT(ff_lease_fail(C, cl, "reason text", "timeout", NULL, NULL, OUT), FF_OK);
    d = it_describe(C, eid);
    FFT_OK(ff_op_json_str(d, "failure.reason", &str));
    FFT_EQ_STR(str, "reason text");
    FFT_OK(ff_op_json_str(d, "failure.category", &str));
    FFT_EQ_STR(str, "timeout");
    FFT_OK(ff_op_json_str(d, "attempts.0.state", &str));
    FFT_EQ_STR(str, "ended_failure");
    ff_op_free(d);
    ff_claim_free(cl);
}

static void test_binary_payload_and_result(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-binary");
    static const unsigned char payload[] = {0x00, 'a', 0x00, 0xff, 0xfe, '\r', '\n', 0x00, 0x80, '{', '"', 0x00};
    static const unsigned char result[] = {0x00, 0x00, 'r', 0xc3, 0x28, 0x00, 0x7f, 0x01};
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_payload(s, payload, sizeof payload));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_op *d = it_describe(C, eid);
    FFT_EQ_INT(it_ji64(d, "payload_size"), sizeof payload);
    ff_op_free(d);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    size_t len = 0;
    const void *p = ff_claim_payload(cl, &len);
    FFT_EQ_MEM(p, len, payload, sizeof payload);
    IT_EXPECT(ff_lease_complete(C, cl, result, sizeof result, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    p = ff_op_bytes(op, &len);
    FFT_EQ_MEM(p, len, result, sizeof result);
    ff_op_free(op);
    d = it_describe(C, eid);
    FFT_EQ_INT(it_ji64(d, "has_result"), 1);
    ff_op_free(d);
}

static void test_large_payload(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-large");
    size_t n = 3u << 20;
    unsigned char *buf = malloc(n);
    FFT_CHECK(buf != NULL);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_payload(s, buf, n));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    size_t len = 0;
    const void *p = ff_claim_payload(cl, &len);
    FFT_EQ_MEM(p, len, buf, n);
    IT_EXPECT(ff_lease_complete(C, cl, buf + 1, n - 1, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    p = ff_op_bytes(op, &len);
    FFT_EQ_MEM(p, len, buf + 1, n - 1);
    ff_op_free(op);
    free(buf);
}

static void test_empty_result_and_failed_result(void)
{
    char lane[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "rd-empty");
    it_create(C, lane, 0, e1);
    ff_claim *cl = it_claim_expect(C, lane, e1);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *op = IT_OP(ff_execution_result(C, e1, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    size_t len = 99;
    FFT_CHECK(ff_op_bytes(op, &len) != NULL);
    FFT_EQ_INT(len, 0);
    ff_op_free(op);
    ff_op *d = it_describe(C, e1);
    FFT_EQ_INT(it_ji64(d, "has_result"), 0);
    ff_op_free(d);
    /* a failed execution has no result: the outcome comes back as an error
     * with the reason and category, never as empty "success" bytes */
    it_create(C, lane, 0, e2);
    cl = it_claim_expect(C, lane, e2);
    IT_EXPECT(ff_lease_fail(C, cl, "disk full", "permanent", NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    op = IT_OP(ff_execution_result(C, e2, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_EXECUTION_FAILED);
    FFT_EQ_STR(ff_op_server_code(op), "execution_failed");
    FFT_EQ_STR(ff_op_detail(op, 0), "disk full");
    FFT_EQ_STR(ff_op_detail(op, 1), "permanent");
    FFT_EQ_STR(ff_op_errmsg(op), "execution ended as failed: disk full (category permanent)");
    ff_op_free(op);
}

static void test_replay_does_not_keep_old_result(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-replayres");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, "old", 3, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    IT_EXPECT(ff_execution_replay(C, eid, NULL, NULL, OUT), FF_OK);
    /* while it runs again, the previous run's result is not "the result" */
    IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_TERMINAL);
    cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_op *op = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    size_t len = 0;
    const void *p = ff_op_bytes(op, &len);
    FFT_CHECK_MSG(len == 0, "replayed run finished without a result but result() returns %zu bytes \"%.*s\"", len,
                  (int)len, (const char *)p);
    ff_op_free(op);
    ff_op *d = it_describe(C, eid);
    FFT_EQ_INT(it_ji64(d, "has_result"), 0);
    ff_op_free(d);
}

/* ------------------------------------------------------------- listings */

static int in_list(char (*ids)[IT_EID], int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return i;
    return -1;
}

static void test_list_partition_paging(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "rd-listpart");
    enum { N = 60 };
    static char ids[N][IT_EID];
    for (int i = 0; i < N; i++) it_create(C, lane, 0, ids[i]);
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(ids[0], &part), 0);
    int seen[N];
    memset(seen, 0, sizeof seen);
    char cursor[64] = "0";
    int rounds = 0;
    size_t total = 0;
    do {
        ff_op *op = IT_OP(ff_execution_list(C, part, cursor, 7, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        for (size_t i = 0; i < ff_op_item_count(op); i++) {
            const char *id = ff_op_item(op, i);
            uint32_t p = 0;
            FFT_EQ_INT(ff__eid_parse(id, &p), 0);
            FFT_EQ_INT(p, part); /* only ids of that partition */
            int k = in_list(ids, N, id);
            if (k >= 0) seen[k] = 1;
            total++;
        }
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
        FFT_CHECK_MSG(++rounds < 10000, "partition listing does not terminate");
    } while (strcmp(cursor, "0") != 0 && cursor[0] != '\0');
    for (int i = 0; i < N; i++) FFT_CHECK_MSG(seen[i], "%s missing from the partition listing", ids[i]);
    FFT_CHECK(total >= N);
    /* "" starts a listing too; an out-of-range item is "" */
    ff_op *op = IT_OP(ff_execution_list(C, part, "", 5, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_item(op, ff_op_item_count(op)), "");
    ff_op_free(op);
    /* argument checks */
    FFT_EQ_STATUS(ff_execution_list(C, ff_client_partitions(C), "0", 5, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list(C, part, "abc", 5, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list(C, part, "0", 0, NULL, NULL, &op), FF_EINVAL);
    /* count: 1..1000 per page */
    FFT_EQ_STATUS(ff_execution_list(C, part, "0", 1001, NULL, NULL, &op), FF_EINVAL);
    IT_EXPECT(ff_execution_list(C, part, "0", 1000, NULL, NULL, OUT), FF_OK);
}

static void test_list_lane_paging(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "rd-listlane");
    enum { N = 11 };
    char ids[N][IT_EID];
    for (int i = 0; i < N; i++) {
        it_create(C, lane, i % 3, ids[i]);
        fft_sleep_ms(2);
    }
    /* expected order: by index score = priority desc, then creation */
    int order[N], k = 0;
    for (int p = 2; p >= 0; p--)
        for (int i = 0; i < N; i++)
            if (i % 3 == p) order[k++] = i;
    char cursor[64] = "";
    int pos = 0, pages = 0;
    for (;;) {
        ff_op *op = IT_OP(ff_execution_list_lane(C, lane, "waiting", cursor, 3, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_CHECK(ff_op_item_count(op) <= 3);
        for (size_t i = 0; i < ff_op_item_count(op); i++) {
            FFT_CHECK(pos < N);
            FFT_CHECK_MSG(strcmp(ff_op_item(op, i), ids[order[pos]]) == 0, "lane listing position %d: %s, want %s",
                          pos, ff_op_item(op, i), ids[order[pos]]);
            pos++;
        }
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
        pages++;
        FFT_CHECK(pages < 100);
        if (strcmp(cursor, "0") == 0 || cursor[0] == '\0') break;
    }
    FFT_EQ_INT(pos, N);
    FFT_CHECK(pages >= 4);
    /* "eligible" is accepted as the index name of "waiting" */
    ff_op *op = IT_OP(ff_execution_list_lane(C, lane, "eligible", "0", 100, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_item_count(op), N);
    FFT_EQ_STR(ff_op_cursor(op), "0");
    ff_op_free(op);
    /* other states: move a few around */
    ff_claim *c1 = it_claim_expect(C, lane, ids[order[0]]);
    ff_claim *c2 = it_claim_expect(C, lane, ids[order[1]]);
    IT_EXPECT(ff_lease_complete(C, c2, NULL, 0, NULL, NULL, OUT), FF_OK);
    op = IT_OP(ff_execution_list_lane(C, lane, "active", NULL, 10, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 1);
    FFT_EQ_STR(ff_op_item(op, 0), ids[order[0]]);
    ff_op_free(op);
    op = IT_OP(ff_execution_list_lane(C, lane, "completed", "0", 10, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_item_count(op), 1);
    FFT_EQ_STR(ff_op_item(op, 0), ids[order[1]]);
    ff_op_free(op);
    op = IT_OP(ff_execution_list_lane(C, lane, "waiting", "0", 100, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_item_count(op), N - 2);
    ff_op_free(op);
    static const char *const empty_states[] = {"delayed", "suspended", "failed", "cancelled", "expired", "skipped"};
    for (size_t i = 0; i < sizeof empty_states / sizeof empty_states[0]; i++) {
        op = IT_OP(ff_execution_list_lane(C, lane, empty_states[i], "0", 10, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_EQ_INT(ff_op_item_count(op), 0);
        FFT_EQ_STR(ff_op_cursor(op), "0");
        ff_op_free(op);
    }
    /* argument checks */
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, "bogus", "0", 10, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, NULL, "0", 10, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, "bad\x01", "waiting", "0", 10, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, "waiting", "not-a-cursor", 10, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, "waiting", "0", 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, "waiting", "0", 1001, NULL, NULL, &op), FF_EINVAL);
    IT_EXPECT(ff_execution_list_lane(C, lane, "waiting", "0", 1000, NULL, NULL, OUT), FF_OK);
    ff_claim_free(c1);
    ff_claim_free(c2);
}

static void test_lanes_list(void)
{
    char l1[64], l2[64], eid[IT_EID];
    it_lane(l1, sizeof l1, "rd-lanes-a");
    it_lane(l2, sizeof l2, "rd-lanes-b");
    it_create(C, l1, 0, eid);
    it_create(C, l2, 0, eid);
    ff_op *op = IT_OP(ff_lanes_list(C, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int f1 = 0, f2 = 0;
    for (size_t i = 0; i < ff_op_item_count(op); i++) {
        if (strcmp(ff_op_item(op, i), l1) == 0) f1++;
        if (strcmp(ff_op_item(op, i), l2) == 0) f2++;
        if (i > 0) FFT_CHECK(strcmp(ff_op_item(op, i - 1), ff_op_item(op, i)) < 0); /* sorted, distinct */
    }
    FFT_EQ_INT(f1, 1);
    FFT_EQ_INT(f2, 1);
    ff_op_free(op);
}

static int64_t count_of(ff_op *op, const char *state)
{
    int64_t v = -1;
    int st = ff_op_json_i64(op, state, &v);
    if (st != FF_OK) FFT_FAIL("lane counts lack %s: %s", state, ff_op_json(op));
    return v;
}

static void test_lane_counts(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-counts");
    for (int i = 0; i < 7; i++) it_create(C, lane, 0, eid);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 600000));
    it_create_spec(C, s, eid, NULL, 0);
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *a = it_claim_expect(C, lane, NULL);
    ff_claim *b = it_claim_expect(C, lane, NULL);
    ff_claim *c = it_claim_expect(C, lane, NULL);
    ff_claim *d = it_claim_expect(C, lane, NULL);
    IT_EXPECT(ff_lease_complete(C, a, NULL, 0, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_lease_fail(C, b, "x", NULL, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_lease_cancel(C, c, NULL, NULL, NULL, OUT), FF_OK);
    ff_op *op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(count_of(op, "waiting"), 3);
    FFT_EQ_INT(count_of(op, "delayed"), 2);
    FFT_EQ_INT(count_of(op, "active"), 1);
    FFT_EQ_INT(count_of(op, "completed"), 1);
    FFT_EQ_INT(count_of(op, "failed"), 1);
    FFT_EQ_INT(count_of(op, "cancelled"), 1);
    FFT_EQ_INT(count_of(op, "suspended"), 0);
    FFT_EQ_INT(count_of(op, "expired"), 0);
    FFT_EQ_INT(count_of(op, "skipped"), 0);
    ff_op_free(op);
    /* an unknown lane has all zeros */
    char other[64];
    it_lane(other, sizeof other, "rd-counts-none");
    op = IT_OP(ff_lane_counts(C, other, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(count_of(op, "waiting"), 0);
    FFT_EQ_INT(count_of(op, "completed"), 0);
    ff_op_free(op);
    FFT_EQ_STATUS(ff_lane_counts(C, "", NULL, NULL, &op), FF_EINVAL);
    ff_claim_free(a);
    ff_claim_free(b);
    ff_claim_free(c);
    ff_claim_free(d);
}

static void test_reads_write_nothing(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-ro");
    it_create(C, lane, 0, eid);
    int64_t n = it_dbsize(C);
    ff_op *d = it_describe(C, eid);
    char *before = strdup(ff_op_json(d));
    ff_op_free(d);
    uint32_t part = 0;
    ff__eid_parse(eid, &part);
    for (int i = 0; i < 3; i++) {
        ff_op_free(it_describe(C, eid));
        IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_TERMINAL);
        IT_EXPECT(ff_execution_list(C, part, "0", 10, NULL, NULL, OUT), FF_OK);
        IT_EXPECT(ff_execution_list_lane(C, lane, "waiting", "0", 10, NULL, NULL, OUT), FF_OK);
        IT_EXPECT(ff_lanes_list(C, NULL, NULL, OUT), FF_OK);
        IT_EXPECT(ff_lane_counts(C, lane, NULL, NULL, OUT), FF_OK);
    }
    FFT_EQ_INT(it_dbsize(C), n);
    d = it_describe(C, eid);
    FFT_EQ_STR(ff_op_json(d), before);
    ff_op_free(d);
    free(before);
}

static void test_unusual_lane_names(void)
{
    /* printable ASCII is allowed: separators, braces, spaces, percent */
    static const char *const names[] = {"a:b:waiting", "with space", "{brace}", "x}y{z", "100%", "~`!@#$^&*()-_=+[]|;'\",.<>/?"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char lane[64], eid[IT_EID];
        snprintf(lane, sizeof lane, "%s-%d", names[i], (int)getpid());
        it_create(C, lane, 0, eid);
        it_state(C, eid, "waiting", ST_WAITING_FIRST);
        ff_op *op = IT_OP(ff_execution_list_lane(C, lane, "waiting", "0", 10, NULL, NULL, OUT));
        FFT_CHECK_MSG(ff_op_status(op) == FF_OK, "list lane \"%s\": %s", lane, ff_op_errmsg(op));
        FFT_EQ_INT(ff_op_item_count(op), 1);
        FFT_EQ_STR(ff_op_item(op, 0), eid);
        ff_op_free(op);
        op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_EQ_INT(count_of(op, "waiting"), 1);
        ff_op_free(op);
        ff_claim *cl = it_claim_expect(C, lane, eid);
        FFT_EQ_STR(ff_claim_lane(cl), lane);
        IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
        it_state(C, eid, "completed", ST_COMPLETED);
        ff_claim_free(cl);
        op = IT_OP(ff_lanes_list(C, NULL, NULL, OUT));
        int found = 0;
        for (size_t k = 0; k < ff_op_item_count(op); k++) found += strcmp(ff_op_item(op, k), lane) == 0;
        FFT_EQ_INT(found, 1);
        ff_op_free(op);
    }
}

static void test_lost_lease_counted_in_eligible_index(void)
{
    /* docs/concepts.md: counts and listings read the lane indexes, and the
     * eligible index ("waiting") also holds executions that lost their lease
     * (public_state "active" until reclaimed) */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "rd-counts-lost");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_op *op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_EQ_INT(count_of(op, "active"), 1);
    FFT_EQ_INT(count_of(op, "waiting"), 0);
    ff_op_free(op);
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_OK);
    it_state(C, eid, "active", ST_REVOKED);
    op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(count_of(op, "waiting"), 1);
    FFT_EQ_INT(count_of(op, "active"), 0);
    ff_op_free(op);
    op = IT_OP(ff_execution_list_lane(C, lane, "waiting", "0", 10, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_item_count(op), 1);
    FFT_EQ_STR(ff_op_item(op, 0), eid);
    ff_op_free(op);
    ff_claim_free(cl);
}

int main(void)
{
    IT_RUN(test_describe_fields_present);
    IT_RUN(test_json_accessors);
    IT_RUN(test_binary_payload_and_result);
    IT_RUN(test_large_payload);
    IT_RUN(test_empty_result_and_failed_result);
    IT_RUN(test_replay_does_not_keep_old_result);
    IT_RUN(test_list_partition_paging);
    IT_RUN(test_list_lane_paging);
    IT_RUN(test_lanes_list);
    IT_RUN(test_lane_counts);
    IT_RUN(test_reads_write_nothing);
    IT_RUN(test_unusual_lane_names);
    IT_RUN(test_lost_lease_counted_in_eligible_index);
    return it_summary("test_reads");
}
