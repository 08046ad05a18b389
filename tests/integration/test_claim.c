/*
 * Claiming: priority order and FIFO, capability routing, batch claims,
 * multi-lane claims, the concurrent-claim race, idempotent submission.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "itest.h"

static void test_priority_then_fifo(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cl-prio");
    /* created in this order; distinct milliseconds so FIFO is well defined */
    static const int32_t prio[] = {0, 5, 5, 10, 0, 5, 9000, 1};
    enum { N = sizeof prio / sizeof prio[0] };
    char ids[N][IT_EID];
    for (int i = 0; i < N; i++) {
        it_create(C, lane, prio[i], ids[i]);
        fft_sleep_ms(3);
    }
    /* expected: 9000, 10, 5 (in creation order), 1, 0 (in creation order) */
    static const int order[N] = {6, 3, 1, 2, 5, 7, 0, 4};
    for (int k = 0; k < N; k++) {
        ff_claim *cl = it_claim_expect(C, lane, NULL);
        FFT_CHECK_MSG(strcmp(ff_claim_execution_id(cl), ids[order[k]]) == 0,
                      "claim #%d got %s, expected #%d %s (priority %d)", k, ff_claim_execution_id(cl), order[k],
                      ids[order[k]], prio[order[k]]);
        it_state(C, ids[order[k]], "active", ST_RUNNING);
        IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
        ff_claim_free(cl);
    }
    FFT_CHECK(it_claim(C, lane) == NULL);
}

static void test_fifo_burst(void)
{
    /* Back-to-back submissions from one client (many within one millisecond)
     * are claimed in submission order: equal scores within a millisecond are
     * ordered by id, and ids are time-ordered and strictly increasing per
     * process (uuid v7 with a counter). */
    char lane[64];
    it_lane(lane, sizeof lane, "cl-burst");
    enum { N = 60 };
    char ids[N][IT_EID];
    ff_op *ops[N];
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    for (int i = 0; i < N; i++) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        snprintf(ids[i], IT_EID, "%s", ff_op_execution_id(ops[i]));
        ff_op_free(ops[i]);
    }
    ff_exec_spec_free(s);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_batch(o, N));
    ff_op *op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), N);
    int64_t prev = 0;
    for (int i = 0; i < N; i++) {
        ff_claim *cl = NULL;
        FFT_OK(ff_op_take_claim(op, (size_t)i, &cl));
        ff_op *d = it_describe(C, ff_claim_execution_id(cl));
        int64_t created = it_ji64(d, "timestamps.created_at");
        ff_op_free(d);
        /* never back in creation time ... */
        FFT_CHECK_MSG(created >= prev, "claim #%d was created at %lld, before #%d (%lld)", i, (long long)created,
                      i - 1, (long long)prev);
        prev = created;
        /* ... and exactly in submission order */
        FFT_CHECK_MSG(strcmp(ff_claim_execution_id(cl), ids[i]) == 0,
                      "burst claimed out of submission order at position %d: got %s, want %s", i,
                      ff_claim_execution_id(cl), ids[i]);
        ff_claim_free(cl);
    }
    ff_op_free(op);
    ff_claim_opts_free(o);
}

static void test_retry_keeps_its_place(void)
{
    /* re-entry into eligible is scored by the ORIGINAL creation time: a
     * retried execution goes ahead of newer submissions of its priority */
    char lane[64], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "cl-place");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 1, "fixed", 0, 0, 1.0, 0.0, NULL));
    it_create_spec(C, s, a, NULL, 0);
    ff_exec_spec_free(s);
    fft_sleep_ms(3);
    ff_claim *ca = it_claim_expect(C, lane, a);
    it_create(C, lane, 0, b);
    IT_EXPECT(ff_lease_fail(C, ca, "again", NULL, NULL, NULL, OUT), FF_OK);
    ff_claim_free(ca);
    ca = it_claim_poll(C, lane, 20000);
    FFT_EQ_STR(ff_claim_execution_id(ca), a);
    FFT_EQ_STR(ff_claim_attempt_type(ca), "retry");
    ff_claim *cb = it_claim_expect(C, lane, b);
    ff_claim_free(ca);
    ff_claim_free(cb);
}

static void test_capability_routing(void)
{
    char lane[64], gpu[IT_EID], both[IT_EID], plain[IT_EID];
    it_lane(lane, sizeof lane, "cl-caps");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_priority(s, 10));
    FFT_OK(ff_exec_spec_add_capability(s, "gpu"));
    it_create_spec(C, s, gpu, NULL, 0);
    ff_exec_spec_free(s);
    s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_priority(s, 5));
    FFT_OK(ff_exec_spec_add_capability(s, "region:eu"));
    FFT_OK(ff_exec_spec_add_capability(s, "gpu"));
    it_create_spec(C, s, both, NULL, 0);
    ff_exec_spec_free(s);
    it_create(C, lane, 0, plain);

    /* a worker without capabilities skips both gpu executions; no live
     * worker has gpu, so they leave the eligible order (route-blocked) */
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    ff_claim *cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), plain);
    ff_claim_free(cl);
    FFT_CHECK(it_claim_with(C, o) == NULL);
    ff_claim_opts_free(o);
    it_state(C, gpu, "waiting", "runnable unowned blocked_by_route waiting_for_capable_worker none pending_first_attempt");
    it_state(C, both, "waiting", "runnable unowned blocked_by_route waiting_for_capable_worker none pending_first_attempt");

    /* a worker with another capability: still nothing */
    o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "cpu"));
    FFT_OK(ff_claim_opts_add_capability(o, "region:eu"));
    FFT_CHECK(it_claim_with(C, o) == NULL);
    ff_claim_opts_free(o);

    /* capability matching is exact and case-sensitive */
    o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "GPU"));
    FFT_CHECK(it_claim_with(C, o) == NULL);
    ff_claim_opts_free(o);

    /* gpu only: gets the gpu one, not the one that also needs region:eu */
    o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "gpu"));
    cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), gpu);
    ff_claim_free(cl);
    FFT_CHECK(it_claim_with(C, o) == NULL);
    ff_claim_opts_free(o);

    /* a superset worker gets it */
    o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "ssd"));
    FFT_OK(ff_claim_opts_add_capability(o, "region:eu"));
    FFT_OK(ff_claim_opts_add_capability(o, "gpu"));
    cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), both);
    ff_claim_free(cl);
    ff_claim_opts_free(o);
    ff_op *d = it_check_state(C, both, "active", ST_RUNNING);
    FFT_EQ_STR(it_jstr(d, "required_capabilities.0"), "gpu");
    FFT_EQ_STR(it_jstr(d, "required_capabilities.1"), "region:eu");
    ff_op_free(d);
}

static void test_capabilities_from_policy(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cl-polcaps");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_policy_json(s, "{\"routing_requirements\":{\"required_capabilities\":[\"tpu\"]}}"));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    FFT_CHECK(it_claim(C, lane) == NULL);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_add_capability(o, "tpu"));
    ff_claim *cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), eid);
    ff_claim_free(cl);
    ff_claim_opts_free(o);
}

static void test_batch_claim(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cl-batch");
    enum { N = 7 };
    char ids[N][IT_EID];
    for (int i = 0; i < N; i++) it_create(C, lane, i, ids[i]); /* higher index = higher priority */
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_batch(o, 3));
    ff_op *op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), 3);
    char got[N][IT_EID];
    int ngot = 0;
    for (size_t i = 0; i < ff_op_claim_count(op); i++) {
        ff_claim *cl = NULL;
        FFT_OK(ff_op_take_claim(op, i, &cl));
        /* each claim can be taken once */
        ff_claim *again = NULL;
        FFT_EQ_STATUS(ff_op_take_claim(op, i, &again), FF_ENOTFOUND);
        FFT_EQ_STR(ff_claim_execution_id(cl), ids[N - 1 - (int)i]);
        FFT_EQ_STR(ff_claim_attempt_type(cl), "initial");
        snprintf(got[ngot++], IT_EID, "%s", ff_claim_execution_id(cl));
        it_state(C, ff_claim_execution_id(cl), "active", ST_RUNNING);
        ff_claim_free(cl);
    }
    ff_claim *none = NULL;
    FFT_EQ_STATUS(ff_op_take_claim(op, 3, &none), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_take_claim(op, 0, NULL), FF_EINVAL);
    ff_op_free(op);
    /* a batch larger than what is left returns the rest */
    FFT_OK(ff_claim_opts_set_batch(o, 10));
    op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), N - 3);
    for (size_t i = 0; i < ff_op_claim_count(op); i++) {
        ff_claim *cl = NULL;
        FFT_OK(ff_op_take_claim(op, i, &cl));
        snprintf(got[ngot++], IT_EID, "%s", ff_claim_execution_id(cl));
        ff_claim_free(cl);
    }
    ff_op_free(op);
    /* untaken claims are freed with the op; an empty batch is not an error */
    op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), 0);
    ff_op_free(op);
    ff_claim_opts_free(o);
    FFT_EQ_INT(ngot, N);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) FFT_CHECK(strcmp(got[i], got[j]) != 0);
}

static void test_untaken_claims_are_freed(void)
{
    char lane[64], a[IT_EID], b[IT_EID];
    it_lane(lane, sizeof lane, "cl-untaken");
    it_create(C, lane, 0, a);
    it_create(C, lane, 0, b);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_batch(o, 2));
    ff_op *op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), 2);
    ff_op_free(op); /* leases stay held on the server; handles are freed (ASan checks) */
    ff_claim_opts_free(o);
    it_state(C, a, "active", ST_RUNNING);
    it_state(C, b, "active", ST_RUNNING);
}

static void test_multi_lane_claim(void)
{
    char l1[64], l2[64], l3[64], a[IT_EID], b[IT_EID];
    it_lane(l1, sizeof l1, "cl-ml1");
    it_lane(l2, sizeof l2, "cl-ml2");
    it_lane(l3, sizeof l3, "cl-ml3");
    it_create(C, l1, 0, a);
    it_create(C, l2, 0, b);
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    FFT_OK(ff_claim_opts_add_lane(o, l3));
    FFT_OK(ff_claim_opts_add_lane(o, l1));
    FFT_OK(ff_claim_opts_add_lane(o, l2));
    FFT_OK(ff_claim_opts_set_batch(o, 5));
    ff_op *op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), 2);
    int seen_a = 0, seen_b = 0;
    for (size_t i = 0; i < 2; i++) {
        ff_claim *cl = NULL;
        FFT_OK(ff_op_take_claim(op, i, &cl));
        if (strcmp(ff_claim_execution_id(cl), a) == 0) {
            seen_a++;
            FFT_EQ_STR(ff_claim_lane(cl), l1);
        }
        if (strcmp(ff_claim_execution_id(cl), b) == 0) {
            seen_b++;
            FFT_EQ_STR(ff_claim_lane(cl), l2);
        }
        ff_claim_free(cl);
    }
    FFT_EQ_INT(seen_a, 1);
    FFT_EQ_INT(seen_b, 1);
    ff_op_free(op);
    ff_claim_opts_free(o);
    /* the default lane is not implicitly included once a lane was added */
    it_state(C, a, "active", ST_RUNNING);
}

/* ------------------------------------------------------ concurrent claims */

enum { RACE_THREADS = 16 };

typedef struct race_arg {
    ff_client *client; /* own client, or a shared one */
    const char *lane;
    pthread_barrier_t *barrier;
    int claimed;
    char eid[IT_EID];
    char lease[64];
    int status;
} race_arg;

static void *race_main(void *p)
{
    race_arg *a = p;
    ff_claim_opts *o = NULL;
    a->status = ff_claim_opts_new(&o);
    if (a->status == FF_OK) a->status = ff_claim_opts_add_lane(o, a->lane);
    pthread_barrier_wait(a->barrier);
    ff_op *op = NULL;
    if (a->status == FF_OK) a->status = ff_lease_claim(a->client, o, NULL, NULL, &op);
    if (a->status == FF_OK) {
        a->status = ff_op_wait(op, IT_WAIT_MS);
        if (a->status == FF_OK && ff_op_claim_count(op) > 0) {
            ff_claim *cl = NULL;
            a->status = ff_op_take_claim(op, 0, &cl);
            if (cl) {
                a->claimed = 1;
                snprintf(a->eid, sizeof a->eid, "%s", ff_claim_execution_id(cl));
                snprintf(a->lease, sizeof a->lease, "%s", ff_claim_lease_id(cl));
                ff_claim_free(cl);
            }
        }
        ff_op_free(op);
    }
    ff_claim_opts_free(o);
    return NULL;
}

static void race_one(int shared, int revoked)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, shared ? "cl-race-shared" : "cl-race-own");
    it_create(C, lane, 0, eid);
    ff_claim *first = NULL;
    if (revoked) {
        /* race for the reclaim of a lost lease */
        first = it_claim_expect(C, lane, eid);
        IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, NULL, NULL, NULL, OUT), FF_OK);
    }
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, RACE_THREADS);
    race_arg args[RACE_THREADS];
    pthread_t th[RACE_THREADS];
    memset(args, 0, sizeof args);
    for (int i = 0; i < RACE_THREADS; i++) {
        args[i].client = shared ? C : fft_client_new();
        args[i].lane = lane;
        args[i].barrier = &barrier;
    }
    for (int i = 0; i < RACE_THREADS; i++) FFT_EQ_INT(pthread_create(&th[i], NULL, race_main, &args[i]), 0);
    int winners = 0;
    for (int i = 0; i < RACE_THREADS; i++) {
        pthread_join(th[i], NULL);
        FFT_CHECK_MSG(args[i].status == FF_OK, "thread %d: %s", i, ff_status_name(args[i].status));
        if (args[i].claimed) {
            winners++;
            FFT_EQ_STR(args[i].eid, eid);
        }
        if (!shared) ff_client_free(args[i].client);
    }
    pthread_barrier_destroy(&barrier);
    FFT_EQ_INT(winners, 1);
    ff_op *d = it_check_state(C, eid, "active", ST_RUNNING);
    FFT_EQ_INT(it_ji64(d, "lease_epoch"), revoked ? 2 : 1);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), revoked ? 2 : 1);
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), revoked ? 1 : 0);
    ff_claim_free(first);
    for (int i = 0; i < RACE_THREADS; i++)
        if (args[i].claimed) FFT_EQ_STR(it_jstr(d, "lease.lease_id"), args[i].lease);
    ff_op_free(d);
}

static void test_race_own_clients(void) { race_one(0, 0); }
static void test_race_shared_client(void) { race_one(1, 0); }
static void test_race_for_reclaim(void) { race_one(0, 1); }

enum { MANY_EXECS = 150, MANY_THREADS = 8 };

typedef struct many_arg {
    ff_client *client;
    const char *lane;
    pthread_barrier_t *barrier;
    int idx;
    char (*got)[IT_EID];
    int ngot;
    int status;
} many_arg;

static void *many_main(void *p)
{
    many_arg *a = p;
    ff_claim_opts *o = NULL;
    a->status = ff_claim_opts_new(&o);
    if (a->status == FF_OK) a->status = ff_claim_opts_add_lane(o, a->lane);
    if (a->status == FF_OK) a->status = ff_claim_opts_set_batch(o, (uint32_t)(1 + a->idx % 4));
    pthread_barrier_wait(a->barrier);
    int empty = 0;
    while (a->status == FF_OK && empty < 3) {
        ff_op *op = NULL;
        a->status = ff_lease_claim(a->client, o, NULL, NULL, &op);
        if (a->status != FF_OK) break;
        a->status = ff_op_wait(op, IT_WAIT_MS);
        size_t n = ff_op_claim_count(op);
        if (a->status == FF_OK && n == 0) empty++;
        for (size_t i = 0; a->status == FF_OK && i < n; i++) {
            ff_claim *cl = NULL;
            a->status = ff_op_take_claim(op, i, &cl);
            if (cl) {
                if (a->ngot < MANY_EXECS) snprintf(a->got[a->ngot], IT_EID, "%s", ff_claim_execution_id(cl));
                a->ngot++;
                ff_claim_free(cl);
            }
        }
        ff_op_free(op);
    }
    ff_claim_opts_free(o);
    return NULL;
}

static int cmp_eid(const void *x, const void *y) { return strcmp((const char *)x, (const char *)y); }

static void test_many_executions_many_claimers(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cl-many");
    static char ids[MANY_EXECS][IT_EID];
    ff_exec_spec *s = it_spec(lane);
    ff_op *ops[MANY_EXECS];
    for (int i = 0; i < MANY_EXECS; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    for (int i = 0; i < MANY_EXECS; i++) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        snprintf(ids[i], IT_EID, "%s", ff_op_execution_id(ops[i]));
        ff_op_free(ops[i]);
    }
    ff_exec_spec_free(s);

    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, MANY_THREADS);
    many_arg args[MANY_THREADS];
    pthread_t th[MANY_THREADS];
    static char got[MANY_THREADS][MANY_EXECS][IT_EID];
    memset(args, 0, sizeof args);
    for (int i = 0; i < MANY_THREADS; i++) {
        /* half the threads have their own client, half share C */
        args[i].client = (i % 2) ? fft_client_new() : C;
        args[i].lane = lane;
        args[i].barrier = &barrier;
        args[i].idx = i;
        args[i].got = got[i];
    }
    for (int i = 0; i < MANY_THREADS; i++) FFT_EQ_INT(pthread_create(&th[i], NULL, many_main, &args[i]), 0);
    static char all[MANY_EXECS * 2][IT_EID];
    int total = 0;
    for (int i = 0; i < MANY_THREADS; i++) {
        pthread_join(th[i], NULL);
        FFT_CHECK_MSG(args[i].status == FF_OK, "thread %d: %s", i, ff_status_name(args[i].status));
        FFT_CHECK(args[i].ngot <= MANY_EXECS);
        for (int k = 0; k < args[i].ngot; k++) snprintf(all[total++], IT_EID, "%s", got[i][k]);
        if (i % 2) ff_client_free(args[i].client);
    }
    pthread_barrier_destroy(&barrier);
    FFT_EQ_INT(total, MANY_EXECS);
    qsort(all, (size_t)total, IT_EID, cmp_eid);
    for (int i = 1; i < total; i++) FFT_CHECK_MSG(strcmp(all[i - 1], all[i]) != 0, "%s claimed twice", all[i]);
    qsort(ids, MANY_EXECS, IT_EID, cmp_eid);
    for (int i = 0; i < MANY_EXECS; i++) FFT_EQ_STR(all[i], ids[i]);
    /* spot-check consistency */
    it_state(C, ids[0], "active", ST_RUNNING);
    it_state(C, ids[MANY_EXECS - 1], "active", ST_RUNNING);
    ff_op *op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int64_t v = -1;
    FFT_OK(ff_op_json_i64(op, "active", &v));
    FFT_EQ_INT(v, MANY_EXECS);
    FFT_OK(ff_op_json_i64(op, "waiting", &v));
    FFT_EQ_INT(v, 0);
    ff_op_free(op);
}

/* -------------------------------------------------------- idempotency */

static void test_idempotency_key(void)
{
    char lane[64], key[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "cl-idem");
    it_lane(key, sizeof key, "order");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, key, 0));
    ff_op *op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    FFT_EQ_STR(ff_op_text(op), "waiting");
    snprintf(e1, sizeof e1, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    int64_t n = it_dbsize(C);
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_STR(ff_op_execution_id(op), e1);
    FFT_EQ_STR(ff_op_text(op), "waiting");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
    it_state(C, e1, "waiting", ST_WAITING_FIRST);

    /* the duplicate reports the CURRENT state of the first execution */
    ff_claim *cl = it_claim_expect(C, lane, e1);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_STR(ff_op_execution_id(op), e1);
    FFT_EQ_STR(ff_op_text(op), "completed");
    ff_op_free(op);
    FFT_CHECK(it_claim(C, lane) == NULL);

    /* keys are scoped to the namespace */
    FFT_OK(ff_exec_spec_set_namespace(s, "other-ns"));
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    snprintf(e2, sizeof e2, "%s", ff_op_execution_id(op));
    FFT_CHECK(strcmp(e1, e2) != 0);
    ff_op_free(op);
    ff_exec_spec_free(s);

    /* another key: another execution */
    s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, "different-key", 0));
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_CHECK(strcmp(ff_op_execution_id(op), e1) != 0);
    ff_op_free(op);
    ff_exec_spec_free(s);
}

static void test_idempotency_concurrent(void)
{
    /* the same key submitted many times at once: one execution */
    char lane[64], key[64];
    it_lane(lane, sizeof lane, "cl-idem-burst");
    it_lane(key, sizeof key, "burst");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, key, 0));
    enum { N = 20 };
    ff_op *ops[N];
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    int firsts = 0;
    char first[IT_EID] = "";
    for (int i = 0; i < N; i++) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        if (ff_op_int(ops[i]) == 0) firsts++;
        if (first[0] == '\0') snprintf(first, sizeof first, "%s", ff_op_execution_id(ops[i]));
        FFT_EQ_STR(ff_op_execution_id(ops[i]), first);
        ff_op_free(ops[i]);
    }
    ff_exec_spec_free(s);
    FFT_EQ_INT(firsts, 1);
    ff_op *op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    int64_t v = -1;
    FFT_OK(ff_op_json_i64(op, "waiting", &v));
    FFT_EQ_INT(v, 1);
    ff_op_free(op);
}

static void test_explicit_execution_id(void)
{
    char lane[64], eid[FF_EID_MAX], got[IT_EID], st[32];
    it_lane(lane, sizeof lane, "cl-explicit");
    uint32_t part = ff__lane_partition(lane, 0, ff_client_partitions(C));
    FFT_EQ_INT(ff__eid_mint(part, eid), 0);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_execution_id(s, eid));
    it_create_spec(C, s, got, st, sizeof st);
    FFT_EQ_STR(got, eid);
    FFT_EQ_STR(st, "waiting");
    /* submitting the same id again is a duplicate */
    ff_op *op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_STR(ff_op_execution_id(op), eid);
    ff_op_free(op);
    ff_exec_spec_free(s);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    ff_claim_free(cl);
}

static void test_idempotency_key_across_lanes(void)
{
    /* execution.h: the key is scoped to (namespace, lane): the same key on
     * another lane is another key and creates a new execution. */
    char l1[64], l2[64], key[64];
    uint32_t parts = ff_client_partitions(C);
    it_lane(key, sizeof key, "xlane");
    it_lane(l1, sizeof l1, "cl-idem-l1");
    do it_lane(l2, sizeof l2, "cl-idem-l2");
    while (ff__lane_partition(l2, 0, parts) == ff__lane_partition(l1, 0, parts));
    ff_exec_spec *s = it_spec(l1);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, key, 0));
    ff_op *op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    char first[IT_EID];
    snprintf(first, sizeof first, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    FFT_OK(ff_exec_spec_set_lane(s, l2));
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_CHECK_MSG(strcmp(ff_op_execution_id(op), first) != 0 && ff_op_int(op) == 0,
                  "same idempotency key, same namespace, other lane: got %s (duplicate=%lld), first was %s",
                  ff_op_execution_id(op), (long long)ff_op_int(op), first);
    ff_op_free(op);
    ff_exec_spec_free(s);
}

static void test_idempotency_ttl(void)
{
    char lane[64], key[64], e1[IT_EID];
    it_lane(lane, sizeof lane, "cl-idem-ttl");
    it_lane(key, sizeof key, "ttl");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_idempotency_key(s, key, 300));
    ff_op *op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(e1, sizeof e1, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    int64_t t = it_server_now_ms(C);
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    int64_t t2 = it_server_now_ms(C);
    if (t2 < t + 250) { /* still well within the ttl */
        FFT_EQ_INT(ff_op_int(op), 1);
        FFT_EQ_STR(ff_op_execution_id(op), e1);
    }
    ff_op_free(op);
    while (it_server_now_ms(C) <= t + 400) fft_sleep_ms(50);
    op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    FFT_CHECK(strcmp(ff_op_execution_id(op), e1) != 0);
    ff_op_free(op);
    ff_exec_spec_free(s);
}

static void test_batch_of_256(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cl-batch256");
    enum { N = 300 };
    ff_exec_spec *s = it_spec(lane);
    static ff_op *ops[N];
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    for (int i = 0; i < N; i++) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        ff_op_free(ops[i]);
    }
    ff_exec_spec_free(s);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_batch(o, 256));
    ff_op *op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_claim_count(op), 256);
    ff_op_free(op);
    op = IT_OP(ff_lease_claim(C, o, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_claim_count(op), N - 256);
    ff_op_free(op);
    ff_claim_opts_free(o);
}

static void test_lane_order_of_claim_opts(void)
{
    /* a claim visits the worker's lanes in the order they were added */
    char l1[64], l2[64], a[IT_EID], b[IT_EID];
    it_lane(l1, sizeof l1, "cl-order1");
    it_lane(l2, sizeof l2, "cl-order2");
    it_create(C, l1, 9000, a); /* higher priority, but on the lane listed second */
    it_create(C, l2, 0, b);
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    FFT_OK(ff_claim_opts_add_lane(o, l2));
    FFT_OK(ff_claim_opts_add_lane(o, l1));
    ff_claim *cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), b);
    ff_claim_free(cl);
    cl = it_claim_with(C, o);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), a);
    ff_claim_free(cl);
    ff_claim_opts_free(o);
}

int main(void)
{
    IT_RUN(test_priority_then_fifo);
    IT_RUN(test_fifo_burst);
    IT_RUN(test_retry_keeps_its_place);
    IT_RUN(test_capability_routing);
    IT_RUN(test_capabilities_from_policy);
    IT_RUN(test_batch_claim);
    IT_RUN(test_untaken_claims_are_freed);
    IT_RUN(test_multi_lane_claim);
    IT_RUN(test_lane_order_of_claim_opts);
    IT_RUN(test_race_own_clients);
    IT_RUN(test_race_shared_client);
    IT_RUN(test_race_for_reclaim);
    IT_RUN(test_many_executions_many_claimers);
    IT_RUN(test_idempotency_key);
    IT_RUN(test_idempotency_concurrent);
    IT_RUN(test_explicit_execution_id);
    IT_RUN(test_idempotency_ttl);
    IT_RUN(test_batch_of_256);
    IT_RUN(test_idempotency_key_across_lanes);
    return it_summary("test_claim");
}
