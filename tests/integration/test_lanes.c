/*
 * The lane registry and operator lane pause through the C API (lanes.h):
 * a configured lane is listed before use, listing is sorted and paged, a
 * paused lane leases nothing while describe names the operator, resume
 * releases the work, a lane spread over several shards is paused on every
 * one of them (a private server), and bad input is refused before
 * anything is sent.
 */
#include <jansson.h>

#include "itest.h"
#include "private_server.h"

static int64_t int_op(ff_client *c, int rc, ff_op *op)
{
    FFT_OK(rc);
    FFT_OK(ff_op_wait(op, IT_WAIT_MS));
    if (ff_op_status(op) != FF_OK) FFT_FAIL("lane call: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    int64_t v = ff_op_int(op);
    ff_op_free(op);
    (void)c;
    return v;
}

static int64_t lane_create(ff_client *c, const char *lane)
{
    ff_op *op = NULL;
    int rc = ff_lane_create(c, lane, NULL, NULL, &op);
    return int_op(c, rc, op);
}

static int64_t lane_pause(ff_client *c, const char *lane, const char *reason)
{
    ff_op *op = NULL;
    int rc = ff_lane_pause(c, lane, reason, NULL, NULL, &op);
    return int_op(c, rc, op);
}

static int64_t lane_resume(ff_client *c, const char *lane)
{
    ff_op *op = NULL;
    int rc = ff_lane_resume(c, lane, NULL, NULL, &op);
    return int_op(c, rc, op);
}

/* The page after @p cursor; the caller frees it. */
static ff_op *page(ff_client *c, const char *cursor, uint32_t count)
{
    ff_op *op = IT_OP(ff_lanes_page(c, cursor, count, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    return op;
}

/* Index of @p lane in a page, or -1. */
static int find(ff_op *op, const char *lane)
{
    for (int i = 0;; i++) {
        char path[64];
        const char *name = NULL;
        snprintf(path, sizeof path, "lanes.%d.lane", i);
        if (ff_op_json_str(op, path, &name) != FF_OK) return -1;
        if (strcmp(name, lane) == 0) return i;
    }
}

/* A boolean field of lane entry @p i (the accessors have no boolean). */
static int jbool(ff_op *op, int i, const char *field)
{
    json_t *doc = json_loads(ff_op_json(op), 0, NULL);
    FFT_CHECK(doc != NULL);
    json_t *v = json_object_get(json_array_get(json_object_get(doc, "lanes"), (size_t)i), field);
    FFT_CHECK_MSG(json_is_boolean(v), "lanes.%d.%s is not a boolean", i, field);
    int b = json_is_true(v);
    json_decref(doc);
    return b;
}

static void test_create_lists_before_use(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "ln-create");
    FFT_EQ_INT(lane_create(C, lane), 1);
    FFT_EQ_INT(lane_create(C, lane), 0);
    /* the cursor is exclusive: start just before the name */
    char before[64];
    snprintf(before, sizeof before, "%.*s", (int)strlen(lane) - 1, lane);
    ff_op *op = page(C, before, 1000);
    int i = find(op, lane);
    FFT_CHECK_MSG(i >= 0, "configured lane %s is not listed", lane);
    FFT_EQ_INT(jbool(op, i, "configured"), 1);
    FFT_EQ_INT(jbool(op, i, "paused"), 0);
    char path[64];
    snprintf(path, sizeof path, "lanes.%d.configured_at", i);
    FFT_CHECK(it_ji64(op, path) > 0);
    ff_op_free(op);
}

static void test_listing_is_sorted_and_paged(void)
{
    char base[64], names[5][80];
    it_lane(base, sizeof base, "ln-page");
    static const char *const suffix[] = {"-c", "-a", "-e", "-b", "-d"};
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "%s%s", base, suffix[i]);
        lane_create(C, names[i]);
    }
    /* two per page from just before the first: a, b | c, d | e */
    char cursor[80];
    snprintf(cursor, sizeof cursor, "%s-", base);
    const char *want[] = {"-a", "-b", "-c", "-d", "-e"};
    int seen = 0;
    for (int round = 0; round < 3; round++) {
        ff_op *op = page(C, cursor, 2);
        for (int k = 0; k < 2 && seen < 5; k++) {
            char path[64], exp[80];
            const char *name = NULL;
            snprintf(path, sizeof path, "lanes.%d.lane", k);
            FFT_OK(ff_op_json_str(op, path, &name));
            snprintf(exp, sizeof exp, "%s%s", base, want[seen]);
            if (strncmp(name, base, strlen(base)) != 0) break; /* past our lanes */
            FFT_EQ_STR(name, exp);
            seen++;
        }
        const char *next = NULL;
        if (ff_op_json_str(op, "next_cursor", &next) == FF_OK) snprintf(cursor, sizeof cursor, "%s", next);
        ff_op_free(op);
        if (next == NULL) break;
    }
    FFT_EQ_INT(seen, 5);
}

static void test_pause_holds_work_and_resume_releases_it(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "ln-pause");
    it_create(C, lane, 0, eid);
    FFT_EQ_INT(lane_pause(C, lane, "db migration"), 1);
    FFT_EQ_INT(lane_pause(C, lane, "other"), 0);
    FFT_CHECK(it_claim(C, lane) == NULL);
    it_state(C, eid, "waiting", NULL);
    ff_op *d = it_describe(C, eid);
    FFT_EQ_STR(it_jstr(d, "state.eligibility_state"), "blocked_by_operator");
    FFT_EQ_STR(it_jstr(d, "state.blocking_reason"), "paused_by_operator");
    ff_op_free(d);
    char before[64];
    snprintf(before, sizeof before, "%.*s", (int)strlen(lane) - 1, lane);
    ff_op *op = page(C, before, 1000);
    int i = find(op, lane);
    FFT_CHECK(i >= 0);
    FFT_EQ_INT(jbool(op, i, "paused"), 1);
    FFT_EQ_INT(jbool(op, i, "configured"), 1); /* pausing configures it */
    char path[64];
    snprintf(path, sizeof path, "lanes.%d.reason", i);
    FFT_EQ_STR(it_jstr(op, path), "db migration");
    ff_op_free(op);
    FFT_EQ_INT(lane_resume(C, lane), 1);
    FFT_EQ_INT(lane_resume(C, lane), 0);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_claim_free(cl);
}

static void test_bad_input_is_refused_before_sending(void)
{
    int64_t before = it_dbsize(C);
    ff_op *op = NULL;
    char long_reason[1100];
    memset(long_reason, 'r', 1025);
    long_reason[1025] = '\0';
    FFT_EQ_INT(ff_lane_create(C, "", NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lane_create(C, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lane_pause(C, "a\nb", "", NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lane_pause(C, "ok", long_reason, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lane_resume(C, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lanes_page(C, NULL, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lanes_page(C, NULL, 1001, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lanes_page(C, "a\tb", 10, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_lane_create(NULL, "x", NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    FFT_EQ_INT(it_dbsize(C), before);
}

/* With the lane spread over 4 shards, a pause holds every shard's work and
 * the listing shows the lane once. */
static void test_a_sharded_lane_is_paused_on_every_shard(void)
{
    const it_private *ps = it_private_start();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "redis-cli -u '%s' HSET ff:config partitions 8 lane_shards 4 >/dev/null", ps->url);
    FFT_EQ_INT(system(cmd), 0);
    ff_client *sc = it_connect_ok(ps->url, IT_WAIT_MS);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "ln-shards");
    for (int i = 0; i < 16; i++) it_create(sc, lane, 0, eid);
    FFT_EQ_INT(lane_pause(sc, lane, "all shards"), 1);
    for (int i = 0; i < 8; i++) FFT_CHECK(it_claim(sc, lane) == NULL); /* the claims rotate over the shards */
    ff_op *op = page(sc, NULL, 1000);
    char path[64];
    FFT_EQ_STR(it_jstr(op, "lanes.0.lane"), lane);
    FFT_EQ_INT(jbool(op, 0, "paused"), 1);
    snprintf(path, sizeof path, "lanes.1.lane");
    const char *none = NULL;
    FFT_CHECK(ff_op_json_str(op, path, &none) != FF_OK); /* one entry for four shards */
    ff_op_free(op);
    FFT_EQ_INT(lane_resume(sc, lane), 1);
    int got = 0;
    for (int tries = 0; tries < 64 && got < 16; tries++) {
        ff_claim *cl = it_claim(sc, lane);
        if (cl) got++;
        ff_claim_free(cl);
    }
    FFT_EQ_INT(got, 16);
    ff_client_free(sc);
}

int main(void)
{
    IT_RUN(test_create_lists_before_use);
    IT_RUN(test_listing_is_sorted_and_paged);
    IT_RUN(test_pause_holds_work_and_resume_releases_it);
    IT_RUN(test_bad_input_is_refused_before_sending);
    IT_RUN(test_a_sharded_lane_is_paused_on_every_shard);
    return it_summary(__FILE__);
}
