/*
 * Admission through the C API (quota.h): create idempotence and attach
 * conflicts, describe and list, the per-group concurrency cap with parking
 * and the return of parked work when a slot frees, the sliding rate window,
 * group pauses, ff_lease_rate_limited giving the attempt back without a
 * failure, round-robin fairness between groups, typed errors that write
 * nothing, fail-closed on a corrupt policy, and a lane spread over several
 * shards (a private server) keeping each group's cap exact.
 */
#include "itest.h"
#include "private_server.h"

static void create_quota(const char *lane, const char *qid, int64_t rate, int64_t win, int64_t cap,
                         const char *want)
{
    ff_op *op = IT_OP(ff_quota_create(C, lane, qid, rate, win, cap, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK) FFT_FAIL("quota create: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    FFT_EQ_STR(ff_op_text(op), want);
    ff_op_free(op);
}

static void create_in(ff_client *c, const char *lane, const char *group, int32_t priority, char *eid)
{
    ff_exec_spec *s = it_spec(lane);
    if (group) FFT_OK(ff_exec_spec_set_group(s, group));
    FFT_OK(ff_exec_spec_set_priority(s, priority));
    it_create_spec(c, s, eid, NULL, 0);
    ff_exec_spec_free(s);
}

static const char *public_state(const char *eid, char *buf, size_t cap)
{
    ff_op *d = it_describe(C, eid);
    snprintf(buf, cap, "%s", ff_op_text(d));
    ff_op_free(d);
    return buf;
}

/* One group's entry of describe: its holders, window use and parked count
 * (-1 each when the group is not listed). */
typedef struct {
    int64_t holders, window_used, parked, paused_until;
} group_view;

static group_view group_of(const char *lane, const char *group)
{
    group_view g = {-1, -1, -1, -1};
    ff_op *op = IT_OP(ff_quota_describe(C, lane, NULL, 1000, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    for (int i = 0;; i++) {
        char path[64];
        const char *name = NULL;
        snprintf(path, sizeof path, "groups.%d.group", i);
        if (ff_op_json_str(op, path, &name) != FF_OK) break;
        if (strcmp(name, group) != 0) continue;
        snprintf(path, sizeof path, "groups.%d.holders", i);
        g.holders = it_ji64(op, path);
        snprintf(path, sizeof path, "groups.%d.window_used", i);
        g.window_used = it_ji64(op, path);
        snprintf(path, sizeof path, "groups.%d.parked", i);
        g.parked = it_ji64(op, path);
        snprintf(path, sizeof path, "groups.%d.paused_until", i);
        g.paused_until = it_ji64(op, path);
        break;
    }
    ff_op_free(op);
    return g;
}

static void test_create_is_idempotent_and_one_policy_per_lane(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "q-create");
    create_quota(lane, "q-main", 10, 1000, 3, "created");
    ff_op *op = IT_OP(ff_quota_create(C, lane, "q-main", 99, 5000, 7, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "existing");
    FFT_EQ_INT(it_ji64(op, "concurrency"), 3); /* the stored limits, not the asked ones */
    FFT_EQ_INT(it_ji64(op, "rate"), 10);
    ff_op_free(op);
    int64_t before = it_dbsize(C);
    op = IT_OP(ff_quota_create(C, lane, "q-other", 1, 1000, 1, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_QUOTA_ATTACH_CONFLICT);
    FFT_CHECK(ff_op_detail_count(op) >= 1);
    FFT_EQ_STR(ff_op_detail(op, 0), "q-main");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), before);

    op = IT_OP(ff_quota_describe(C, lane, NULL, 100, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(it_jstr(op, "quota_id"), "q-main");
    FFT_EQ_INT(it_ji64(op, "window_ms"), 1000);
    ff_op_free(op);

    /* the listing has the lane, page by page */
    int found = 0;
    char cursor[256] = "";
    do {
        op = IT_OP(ff_quota_list(C, cursor, 2, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        for (int i = 0;; i++) {
            char path[32];
            const char *l = NULL;
            snprintf(path, sizeof path, "lanes.%d", i);
            if (ff_op_json_str(op, path, &l) != FF_OK) break;
            found += strcmp(l, lane) == 0;
        }
        const char *next = NULL;
        cursor[0] = '\0';
        if (ff_op_json_str(op, "next_cursor", &next) == FF_OK) snprintf(cursor, sizeof cursor, "%s", next);
        ff_op_free(op);
    } while (cursor[0]);
    FFT_EQ_INT(found, 1);

    /* a lane without a policy describes as such */
    char bare[64];
    it_lane(bare, sizeof bare, "q-bare");
    op = IT_OP(ff_quota_describe(C, bare, NULL, 100, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    const char *qid = NULL;
    FFT_EQ_STATUS(ff_op_json_str(op, "quota_id", &qid), FF_ENOTFOUND);
    ff_op_free(op);
}

static void test_cap_parks_the_rest_and_a_freed_slot_returns_it(void)
{
    char lane[64], a[3][IT_EID], b[IT_EID], st[32];
    it_lane(lane, sizeof lane, "q-cap");
    create_quota(lane, "cap2", 0, 0, 2, "created");
    for (int i = 0; i < 3; i++) create_in(C, lane, "tenant-a", 0, a[i]);
    create_in(C, lane, "tenant-b", 0, b);
    ff_claim *cl[4] = {0};
    int n = 0;
    for (ff_claim *x; n < 4 && (x = it_claim(C, lane)) != NULL;) cl[n++] = x;
    FFT_EQ_INT(n, 3); /* two of tenant-a, one of tenant-b */
    FFT_EQ_STR(public_state(a[2], st, sizeof st), "rate_limited");
    group_view g = group_of(lane, "tenant-a");
    FFT_EQ_INT(g.holders, 2);
    FFT_EQ_INT(g.parked, 1);
    FFT_EQ_INT(group_of(lane, "tenant-b").holders, 1);
    FFT_CHECK(it_claim(C, lane) == NULL);

    /* completing one of tenant-a's frees its slot in that same call */
    int done = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(ff_claim_execution_id(cl[i]), b) != 0) done = i;
    IT_EXPECT(ff_lease_complete(C, cl[done], "", 0, NULL, NULL, OUT), FF_OK);
    FFT_EQ_STR(public_state(a[2], st, sizeof st), "waiting");
    FFT_EQ_INT(group_of(lane, "tenant-a").holders, 1);
    ff_claim *last = it_claim_expect(C, lane, a[2]);
    FFT_EQ_INT(group_of(lane, "tenant-a").holders, 2);
    /* a failure ends a lease too */
    IT_EXPECT(ff_lease_fail(C, last, "boom", "test", NULL, NULL, OUT), FF_OK);
    FFT_EQ_INT(group_of(lane, "tenant-a").holders, 1);
    ff_claim_free(last);
    for (int i = 0; i < n; i++) ff_claim_free(cl[i]);
}

static void test_lost_lease_frees_its_slot_when_it_expires(void)
{
    char lane[64], a[2][IT_EID], st[32];
    it_lane(lane, sizeof lane, "q-expiry");
    create_quota(lane, "cap1", 0, 0, 1, "created");
    create_in(C, lane, "g", 0, a[0]);
    create_in(C, lane, "g", 0, a[1]);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *lost = it_claim_with(C, o);
    FFT_CHECK(lost != NULL);
    FFT_CHECK(it_claim_with(C, o) == NULL);
    it_wait_lease_expired(C, lost);
    /* the engine's sweep finds the expiry and frees the slot in that call */
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, NULL));
    int64_t until = fft_now_ms() + 30000;
    while (group_of(lane, "g").holders != 0) {
        if (fft_now_ms() > until) FFT_FAIL("the expired lease never freed its slot");
        fft_sleep_ms(50);
    }
    ff_engine_stop(e);
    ff_claim *next = it_claim_with(C, o);
    FFT_CHECK(next != NULL); /* the other one, or the expired one reclaimed */
    FFT_EQ_INT(group_of(lane, "g").holders, 1);
    (void)public_state(a[0], st, sizeof st);
    ff_claim_free(next);
    ff_claim_free(lost);
    ff_claim_opts_free(o);
}

static void test_rate_window_is_never_exceeded(void)
{
    char lane[64], e[3][IT_EID], st[32];
    it_lane(lane, sizeof lane, "q-rate");
    create_quota(lane, "r2", 2, 1500, 0, "created");
    for (int i = 0; i < 3; i++) create_in(C, lane, "api", 0, e[i]);
    ff_claim *c1 = it_claim(C, lane), *c2 = it_claim(C, lane);
    FFT_CHECK(c1 && c2);
    IT_EXPECT(ff_lease_complete(C, c1, "", 0, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_lease_complete(C, c2, "", 0, NULL, NULL, OUT), FF_OK);
    /* both ended, but two starts are still inside the window */
    FFT_CHECK(it_claim(C, lane) == NULL);
    FFT_EQ_STR(public_state(e[2], st, sizeof st), "rate_limited");
    FFT_EQ_INT(group_of(lane, "api").window_used, 2);
    /* the window moves: the third starts */
    ff_claim *c3 = it_claim_poll(C, lane, 30000);
    FFT_EQ_STR(ff_claim_execution_id(c3), e[2]);
    ff_claim_free(c1);
    ff_claim_free(c2);
    ff_claim_free(c3);
}

static void test_pause_and_resume_a_group(void)
{
    char lane[64], p[IT_EID], other[IT_EID], st[32];
    it_lane(lane, sizeof lane, "q-pause");
    create_in(C, lane, "paused", 0, p);
    create_in(C, lane, "free", 0, other);
    int64_t until = it_server_now_ms(C) + 3600 * 1000;
    ff_op *op = IT_OP(ff_group_pause(C, lane, "paused", until, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), until);
    ff_op_free(op);
    /* a shorter pause keeps the longer one */
    op = IT_OP(ff_group_pause(C, lane, "paused", until - 1000, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_int(op), until);
    ff_op_free(op);
    ff_claim *c = it_claim_expect(C, lane, other);
    FFT_CHECK(it_claim(C, lane) == NULL);
    FFT_EQ_STR(public_state(p, st, sizeof st), "rate_limited");
    FFT_EQ_INT(group_of(lane, "paused").paused_until, until);
    op = IT_OP(ff_group_resume(C, lane, "paused", NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    op = IT_OP(ff_group_resume(C, lane, "paused", NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_int(op), 0); /* not paused any more */
    ff_op_free(op);
    ff_claim *back = it_claim_expect(C, lane, p);
    ff_claim_free(back);
    ff_claim_free(c);
}

static void test_rate_limited_gives_the_attempt_back_without_a_failure(void)
{
    char lane[64], e[IT_EID], st[32];
    it_lane(lane, sizeof lane, "q-429");
    create_in(C, lane, "vendor", 0, e);
    ff_claim *c = it_claim_expect(C, lane, e);
    uint32_t attempt = ff_claim_attempt_index(c);
    int64_t until = it_server_now_ms(C) + 800;
    ff_op *op = IT_OP(ff_lease_rate_limited(C, c, until, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), until);
    FFT_EQ_STR(ff_op_text(op), "vendor");
    ff_op_free(op);
    FFT_EQ_STR(public_state(e, st, sizeof st), "rate_limited");
    /* the old fence is spent */
    IT_EXPECT(ff_lease_complete(C, c, "", 0, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    ff_claim *again = it_claim_poll(C, lane, 30000);
    FFT_EQ_STR(ff_claim_execution_id(again), e);
    FFT_EQ_INT(ff_claim_attempt_index(again), attempt); /* the same attempt resumes */
    IT_EXPECT(ff_lease_complete(C, again, "ok", 2, NULL, NULL, OUT), FF_OK);
    ff_op *d = it_describe(C, e);
    FFT_EQ_STR(ff_op_text(d), "completed");
    FFT_EQ_INT(it_ji64(d, "counters.retry_count"), 0);
    FFT_EQ_STR(it_jstr(d, "group"), "vendor");
    ff_op_free(d);
    ff_claim_free(c);
    ff_claim_free(again);
}

/* A flood of one group does not delay a group that arrives after it: the
 * newcomer is served on the next turn. */
static void test_a_flood_does_not_starve_a_newcomer(void)
{
    char lane[64], flood[40][IT_EID], lone[IT_EID];
    it_lane(lane, sizeof lane, "q-fair");
    for (int i = 0; i < 40; i++) create_in(C, lane, "big", 0, flood[i]);
    ff_claim *first = it_claim_expect(C, lane, flood[0]);
    create_in(C, lane, "small", 0, lone);
    ff_claim *second = it_claim_expect(C, lane, lone);
    ff_claim *third = it_claim_expect(C, lane, flood[1]); /* FIFO inside the group */
    ff_claim_free(first);
    ff_claim_free(second);
    ff_claim_free(third);
}

static void test_bad_input_is_typed_and_writes_nothing(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "q-bad");
    int64_t before = it_dbsize(C);
    ff_op *op = NULL;
    FFT_EQ_STATUS(ff_quota_create(C, lane, "bad id!", 1, 1000, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_quota_create(C, NULL, "q", 1, 1000, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_quota_describe(C, lane, NULL, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_quota_list(C, NULL, 1001, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_group_pause(C, lane, "a\tb", 1, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_rate_limited(C, NULL, 1, NULL, NULL, &op), FF_EINVAL);
    /* both limits 0, a rate without a window: refused before anything is sent */
    FFT_EQ_STATUS(ff_quota_create(C, lane, "q", 0, 0, 0, NULL, NULL, &op), FF_INVALID_QUOTA_SPEC);
    FFT_EQ_STATUS(ff_quota_create(C, lane, "q", 5, 0, 0, NULL, NULL, &op), FF_INVALID_QUOTA_SPEC);
    /* a pause that already ended */
    op = IT_OP(ff_group_pause(C, lane, "g", 1000, NULL, NULL, OUT));
    FFT_CHECK(ff_op_status(op) != FF_OK);
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), before);
    /* a bad group key is refused before anything is sent */
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_set_group(s, "a\nb"), FF_EINVAL);
    char big[200];
    memset(big, 'g', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    FFT_EQ_STATUS(ff_exec_spec_set_group(s, big), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_a_corrupt_policy_hands_out_nothing(void)
{
    char lane[64], e[IT_EID], key[256];
    it_lane(lane, sizeof lane, "q-corrupt");
    create_quota(lane, "qc", 0, 0, 5, "created");
    create_in(C, lane, NULL, 0, e);
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(e, &part), 0);
    snprintf(key, sizeof key, "ff:q:{fp:%u}:%zu:%s:pol", (unsigned)part, strlen(lane), lane);
    ff_op *op = it_raw(C, "HSET", key, "cap", "lots", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(op), FF_CORRUPT_RECORD);
    ff_op_free(op);
    /* repaired: the work starts */
    op = it_raw(C, "HSET", key, "cap", "5", NULL);
    ff_op_free(op);
    ff_claim *cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), e);
    ff_claim_free(cl);
    ff_claim_opts_free(o);
}

/* With the lane spread over 4 shards, each group sits on one of them, so
 * its cap holds across the whole lane. */
static void test_groups_on_a_sharded_lane_keep_their_cap(void)
{
    /* lane shards are a deployment setting, fixed at the first boot: a
     * server of the test's own, configured before any client boots it */
    const it_private *ps = it_private_start();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "redis-cli -u '%s' HSET ff:config partitions 8 lane_shards 4 >/dev/null", ps->url);
    FFT_EQ_INT(system(cmd), 0);
    ff_client *sc = it_connect_ok(ps->url, IT_WAIT_MS);
    FFT_EQ_INT(ff_client_partitions(sc), 8);
    char lane[64];
    it_lane(lane, sizeof lane, "q-shards");
    ff_op *op = NULL;
    FFT_OK(ff_quota_create(sc, lane, "sharded", 0, 0, 2, NULL, NULL, &op));
    FFT_OK(ff_op_wait(op, IT_WAIT_MS));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    const char *groups[] = {"t1", "t2", "t3", "t4", "t5"};
    char eid[IT_EID];
    for (int g = 0; g < 5; g++)
        for (int i = 0; i < 4; i++) create_in(sc, lane, groups[g], 0, eid);
    ff_claim *held[32];
    int n = 0;
    for (;;) {
        ff_claim *x = it_claim(sc, lane);
        if (x == NULL) break;
        FFT_CHECK(n < 32);
        held[n++] = x;
    }
    FFT_EQ_INT(n, 10); /* 2 per group, 5 groups */
    FFT_OK(ff_quota_describe(sc, lane, NULL, 100, NULL, NULL, &op));
    FFT_OK(ff_op_wait(op, IT_WAIT_MS));
    for (int g = 0; g < 5; g++) {
        char path[64];
        snprintf(path, sizeof path, "groups.%d.holders", g);
        FFT_EQ_INT(it_ji64(op, path), 2);
        snprintf(path, sizeof path, "groups.%d.parked", g);
        FFT_EQ_INT(it_ji64(op, path), 2);
    }
    ff_op_free(op);
    for (int i = 0; i < n; i++) ff_claim_free(held[i]);
    ff_client_free(sc);
}

int main(void)
{
    IT_RUN(test_create_is_idempotent_and_one_policy_per_lane);
    IT_RUN(test_cap_parks_the_rest_and_a_freed_slot_returns_it);
    IT_RUN(test_lost_lease_frees_its_slot_when_it_expires);
    IT_RUN(test_rate_window_is_never_exceeded);
    IT_RUN(test_pause_and_resume_a_group);
    IT_RUN(test_rate_limited_gives_the_attempt_back_without_a_failure);
    IT_RUN(test_a_flood_does_not_starve_a_newcomer);
    IT_RUN(test_bad_input_is_typed_and_writes_nothing);
    IT_RUN(test_a_corrupt_policy_hands_out_nothing);
    IT_RUN(test_groups_on_a_sharded_lane_keep_their_cap);
    return it_summary(__FILE__);
}
