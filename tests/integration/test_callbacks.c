/*
 * Callback mode: ff_client_fd() + ff_client_dispatch(), inline dispatch, and
 * the exactly-once rule (a call that returns an error never fires its
 * callback; a call that returns FF_OK fires it exactly once, never from inside
 * the call).
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "itest.h"

enum { MAXN = 256 };

typedef struct tracker {
    atomic_int fired[MAXN];
    atomic_int status[MAXN];
    atomic_int total;
    atomic_int in_call; /* set while the submitting thread is inside a call */
    atomic_int fired_inside;
    char ids[MAXN][IT_EID];
    pthread_t thread[MAXN];
    atomic_int wrong_ud;
} tracker;

static tracker T;
static ff_op *g_op_seen[MAXN];

static void reset(void)
{
    memset(&T, 0, sizeof T);
    memset(g_op_seen, 0, sizeof g_op_seen);
}

static void cb(ff_op *op, void *ud)
{
    int i = (int)(intptr_t)ud;
    if (i < 0 || i >= MAXN) {
        atomic_fetch_add(&T.wrong_ud, 1);
        return;
    }
    if (ff_op_userdata(op) != ud) atomic_fetch_add(&T.wrong_ud, 1);
    if (atomic_load(&T.in_call)) atomic_fetch_add(&T.fired_inside, 1);
    atomic_store(&T.status[i], ff_op_status(op));
    FFT_EQ_INT(ff_op_done(op), 1);
    snprintf(T.ids[i], IT_EID, "%s", ff_op_execution_id(op));
    T.thread[i] = pthread_self();
    atomic_fetch_add(&T.fired[i], 1);
    atomic_fetch_add(&T.total, 1);
}

/* Poll the client's fd and dispatch until `want` callbacks ran in total. */
static void dispatch_until(ff_client *c, int want)
{
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (atomic_load(&T.total) < want) {
        struct pollfd pfd = {.fd = ff_client_fd(c), .events = POLLIN};
        int r = poll(&pfd, 1, 200);
        FFT_CHECK(r >= 0);
        if (r > 0) ff_client_dispatch(c, 0);
        FFT_CHECK_MSG(fft_now_ms() < until, "only %d of %d callbacks fired", atomic_load(&T.total), want);
    }
}

static void test_dispatch_mode_exactly_once(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cb-dispatch");
    reset();
    enum { N = 40 };
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) {
        atomic_store(&T.in_call, 1);
        int rc = ff_execution_create(C, s, cb, (void *)(intptr_t)i, NULL);
        atomic_store(&T.in_call, 0);
        FFT_OK(rc);
    }
    ff_exec_spec_free(s);
    /* dispatch mode: nothing runs until this thread dispatches */
    fft_sleep_ms(50);
    FFT_EQ_INT(atomic_load(&T.total), 0);
    dispatch_until(C, N);
    pthread_t me = pthread_self();
    for (int i = 0; i < N; i++) {
        FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
        FFT_EQ_STATUS(atomic_load(&T.status[i]), FF_OK);
        FFT_EQ_INT(ff__eid_parse(T.ids[i], NULL), 0);
        FFT_CHECK(pthread_equal(T.thread[i], me));
    }
    FFT_EQ_INT(atomic_load(&T.fired_inside), 0);
    FFT_EQ_INT(atomic_load(&T.wrong_ud), 0);
    /* later dispatches run nothing more */
    fft_sleep_ms(50);
    FFT_EQ_INT(ff_client_dispatch(C, 0), 0);
    FFT_EQ_INT(atomic_load(&T.total), N);
    /* and the fd is not readable when nothing is queued */
    struct pollfd pfd = {.fd = ff_client_fd(C), .events = POLLIN};
    FFT_EQ_INT(poll(&pfd, 1, 0), 0);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) FFT_CHECK(strcmp(T.ids[i], T.ids[j]) != 0);
}

static void test_dispatch_max(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cb-max");
    reset();
    enum { N = 5 };
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, cb, (void *)(intptr_t)i, NULL));
    ff_exec_spec_free(s);
    /* wait until all are queued: the last one completing implies the rest
     * (one pipelined connection answers in order) -- poll with max 1 */
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    int ran = 0;
    while (ran < N) {
        struct pollfd pfd = {.fd = ff_client_fd(C), .events = POLLIN};
        if (poll(&pfd, 1, 200) > 0) {
            int32_t k = ff_client_dispatch(C, 1);
            FFT_CHECK(k <= 1);
            ran += k;
            FFT_EQ_INT(atomic_load(&T.total), ran);
        }
        FFT_CHECK(fft_now_ms() < until);
    }
    for (int i = 0; i < N; i++) FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
}

static void test_error_return_never_fires(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cb-errors");
    it_create(C, lane, 0, eid);
    reset();
    ff_op *op = NULL;
    ff_exec_spec *s = it_spec(lane);
    /* malformed input */
    FFT_EQ_STATUS(ff_execution_describe(C, "bad-id", cb, (void *)(intptr_t)0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_change_priority(C, "x", 1, cb, (void *)(intptr_t)1, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_list_lane(C, lane, "bogus", "0", 5, cb, (void *)(intptr_t)2, NULL), FF_EINVAL);
    /* both or neither of cb / out */
    FFT_EQ_STATUS(ff_execution_describe(C, eid, cb, (void *)(intptr_t)3, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    FFT_EQ_STATUS(ff_execution_describe(C, eid, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_create(C, s, cb, (void *)(intptr_t)4, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    /* oversized input */
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_max_payload_bytes(o, 8));
    ff_client *small = fft_client_new_opts(o);
    ff_client_opts_free(o);
    FFT_OK(ff_exec_spec_set_payload(s, "123456789", 9));
    FFT_EQ_STATUS(ff_execution_create(small, s, cb, (void *)(intptr_t)5, NULL), FF_ETOOBIG);
    ff_exec_spec_free(s);
    /* a good call afterwards, to prove the queue is drained */
    FFT_OK(ff_execution_describe(C, eid, cb, (void *)(intptr_t)6, NULL));
    FFT_OK(ff_execution_describe(small, eid, cb, (void *)(intptr_t)7, NULL));
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (atomic_load(&T.total) < 2) {
        ff_client_dispatch(C, 0);
        ff_client_dispatch(small, 0);
        fft_sleep_ms(5);
        FFT_CHECK(fft_now_ms() < until);
    }
    fft_sleep_ms(50);
    ff_client_dispatch(C, 0);
    ff_client_dispatch(small, 0);
    ff_client_free(small);
    for (int i = 0; i < 6; i++) FFT_CHECK_MSG(atomic_load(&T.fired[i]) == 0, "rejected call %d fired its callback", i);
    FFT_EQ_INT(atomic_load(&T.fired[6]), 1);
    FFT_EQ_INT(atomic_load(&T.fired[7]), 1);
    FFT_EQ_INT(atomic_load(&T.total), 2);
}

static void test_server_error_in_callback(void)
{
    char eid[FF_EID_MAX];
    FFT_EQ_INT(ff__eid_mint(0, eid), 0);
    reset();
    FFT_OK(ff_execution_describe(C, eid, cb, (void *)(intptr_t)0, NULL));
    dispatch_until(C, 1);
    FFT_EQ_INT(atomic_load(&T.fired[0]), 1);
    FFT_EQ_STATUS(atomic_load(&T.status[0]), FF_EXECUTION_NOT_FOUND);
}

/* A callback that chains another call from inside the callback. */
static ff_client *g_chain_client;
static char g_chain_eid[IT_EID];

static void chain_cb(ff_op *op, void *ud)
{
    int i = (int)(intptr_t)ud;
    atomic_store(&T.status[i], ff_op_status(op));
    atomic_fetch_add(&T.fired[i], 1);
    atomic_fetch_add(&T.total, 1);
    if (i < 5) {
        int rc = ff_execution_describe(g_chain_client, g_chain_eid, chain_cb, (void *)(intptr_t)(i + 1), NULL);
        if (rc != FF_OK) atomic_store(&T.status[i + 1], rc);
    }
}

static void test_chained_calls_from_callbacks(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cb-chain");
    it_create(C, lane, 0, g_chain_eid);
    reset();
    g_chain_client = C;
    FFT_OK(ff_execution_describe(C, g_chain_eid, chain_cb, (void *)(intptr_t)0, NULL));
    dispatch_until(C, 6);
    for (int i = 0; i < 6; i++) {
        FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
        FFT_EQ_STATUS(atomic_load(&T.status[i]), FF_OK);
    }
}

static void test_inline_dispatch(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cb-inline");
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_inline_dispatch(o, 1));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    reset();
    enum { N = 30 };
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) {
        atomic_store(&T.in_call, 1);
        int rc = ff_execution_create(c, s, cb, (void *)(intptr_t)i, NULL);
        atomic_store(&T.in_call, 0);
        FFT_OK(rc);
    }
    ff_exec_spec_free(s);
    /* no dispatch needed: callbacks run on the I/O thread */
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (atomic_load(&T.total) < N) {
        fft_sleep_ms(5);
        FFT_CHECK_MSG(fft_now_ms() < until, "only %d inline callbacks fired", atomic_load(&T.total));
    }
    pthread_t me = pthread_self();
    for (int i = 0; i < N; i++) {
        FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
        FFT_EQ_STATUS(atomic_load(&T.status[i]), FF_OK);
        FFT_CHECK(!pthread_equal(T.thread[i], me));
    }
    FFT_EQ_INT(atomic_load(&T.wrong_ud), 0);
    FFT_EQ_INT(ff_client_dispatch(c, 0), 0);
    /* an op started from an inline callback works too */
    g_chain_client = c;
    it_create(c, lane, 0, g_chain_eid);
    reset();
    FFT_OK(ff_execution_describe(c, g_chain_eid, chain_cb, (void *)(intptr_t)0, NULL));
    until = fft_now_ms() + IT_WAIT_MS;
    while (atomic_load(&T.total) < 6) {
        fft_sleep_ms(5);
        FFT_CHECK(fft_now_ms() < until);
    }
    for (int i = 0; i < 6; i++) FFT_EQ_STATUS(atomic_load(&T.status[i]), FF_OK);
    ff_client_free(c);
    for (int i = 0; i < 6; i++) FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
}

/* Several threads submit in callback mode; one thread dispatches. */
typedef struct submit_arg {
    int base;
    int n;
    const char *lane;
    int rc;
} submit_arg;

static void *submit_main(void *p)
{
    submit_arg *a = p;
    ff_exec_spec *s = NULL;
    a->rc = ff_exec_spec_new(&s, "k");
    if (a->rc == FF_OK) a->rc = ff_exec_spec_set_lane(s, a->lane);
    for (int i = 0; i < a->n && a->rc == FF_OK; i++)
        a->rc = ff_execution_create(C, s, cb, (void *)(intptr_t)(a->base + i), NULL);
    ff_exec_spec_free(s);
    return NULL;
}

static void test_many_threads_submit_one_dispatches(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cb-threads");
    reset();
    enum { THREADS = 4, PER = 50 };
    pthread_t th[THREADS];
    submit_arg args[THREADS];
    for (int t = 0; t < THREADS; t++) {
        args[t] = (submit_arg){.base = t * PER, .n = PER, .lane = lane, .rc = 0};
        FFT_EQ_INT(pthread_create(&th[t], NULL, submit_main, &args[t]), 0);
    }
    /* dispatch concurrently with the submitters */
    dispatch_until(C, THREADS * PER);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        FFT_OK(args[t].rc);
    }
    for (int i = 0; i < THREADS * PER; i++) {
        FFT_EQ_INT(atomic_load(&T.fired[i]), 1);
        FFT_EQ_STATUS(atomic_load(&T.status[i]), FF_OK);
    }
    ff_op *op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    int64_t v = 0;
    FFT_OK(ff_op_json_i64(op, "waiting", &v));
    FFT_EQ_INT(v, THREADS * PER);
    ff_op_free(op);
}

static void test_future_wait_from_other_thread(void)
{
    /* ff_op_wait works from any thread; no dispatch is needed */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cb-future");
    it_create(C, lane, 0, eid);
    ff_op *ops[8];
    for (int i = 0; i < 8; i++) FFT_OK(ff_execution_describe(C, eid, NULL, NULL, &ops[i]));
    for (int i = 7; i >= 0; i--) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        FFT_OK(ff_op_wait(ops[i], 0)); /* waiting again returns at once */
        FFT_EQ_STR(ff_op_execution_id(ops[i]), eid);
        FFT_EQ_INT(ff_op_userdata(ops[i]) == NULL, 1);
        ff_op_free(ops[i]);
    }
    /* future ops never reach the dispatch queue */
    FFT_EQ_INT(ff_client_dispatch(C, 0), 0);
}

int main(void)
{
    IT_RUN(test_dispatch_mode_exactly_once);
    IT_RUN(test_dispatch_max);
    IT_RUN(test_error_return_never_fires);
    IT_RUN(test_server_error_in_callback);
    IT_RUN(test_chained_calls_from_callbacks);
    IT_RUN(test_inline_dispatch);
    IT_RUN(test_many_threads_submit_one_dispatches);
    IT_RUN(test_future_wait_from_other_thread);
    return it_summary("test_callbacks");
}
