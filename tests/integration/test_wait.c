/*
 * ff_execution_wait: ends when the execution is terminal, woken by its
 * completion notification, exactly like ff_execution_result; its own
 * deadline; many at once; survives killed connections; cancelled by
 * ff_client_free.
 */
#include <poll.h>

#include "itest.h"

#define LONG_WAIT_MS 60000 /* far beyond anything a passing test waits */

static void complete_bytes(ff_client *c, const char *lane, const char *eid, const void *result, size_t len)
{
    ff_claim *cl = it_claim_expect(c, lane, eid);
    IT_EXPECT(ff_lease_complete(c, cl, result, len, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void complete_one(ff_client *c, const char *lane, const char *eid, const char *result)
{
    complete_bytes(c, lane, eid, result, strlen(result));
}

/* The wait marked the execution (ff_wait_mark ran): from now on only the
 * notification (or a re-check) can end it. */
static int marked(ff_client *c, const char *eid)
{
    char key[IT_EID + 8];
    snprintf(key, sizeof key, "ff:e:%s", eid);
    ff_op *op = it_raw(c, "HGET", key, "wt", NULL);
    size_t len = 0;
    const char *v = ff_op_bytes(op, &len);
    int got = ff_op_reply_type(op) == FF_REPLY_STRING && len == 1 && v[0] == '1';
    ff_op_free(op);
    return got;
}

static void until_marked(ff_client *c, const char *eid)
{
    int64_t until = fft_now_ms() + LONG_WAIT_MS;
    while (!marked(c, eid)) {
        FFT_CHECK_MSG(fft_now_ms() < until, "the wait never marked %s", eid);
        fft_sleep_ms(5);
    }
}

/* A fresh execution on a fresh lane, and a wait for it that has marked it. */
static ff_op *waiting_on_new(const char *prefix, char *lane, size_t lane_cap, char *eid)
{
    it_lane(lane, lane_cap, prefix);
    it_create(C, lane, 0, eid);
    ff_op *w = NULL;
    FFT_OK(ff_execution_wait(C, eid, LONG_WAIT_MS, NULL, NULL, &w));
    until_marked(C, eid);
    return w;
}

/* The wait ends with these result bytes; frees it. */
static void expect_result(ff_op *w, const void *want, size_t want_len)
{
    FFT_CHECK(ff_op_wait(w, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(w));
    size_t len = 0;
    const void *b = ff_op_bytes(w, &len);
    FFT_EQ_MEM(b, len, want, want_len);
    ff_op_free(w);
}

/* Both calls end alike: same status, same bytes, same server code. */
static void expect_like_result(ff_op *w, const char *eid)
{
    ff_op *r = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(w), ff_op_status(r));
    size_t lw = 0, lr = 0;
    const void *bw = ff_op_bytes(w, &lw), *br = ff_op_bytes(r, &lr);
    FFT_EQ_MEM(bw, lw, br, lr);
    FFT_EQ_STR(ff_op_server_code(w), ff_op_server_code(r));
    ff_op_free(r);
}

static void test_already_terminal(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "wait-done");
    it_create(C, lane, 0, eid);
    complete_one(C, lane, eid, "the answer");
    ff_op *w = NULL;
    FFT_OK(ff_execution_wait(C, eid, LONG_WAIT_MS, NULL, NULL, &w));
    expect_result(w, "the answer", 10);
}

static void test_woken_by_completion(void)
{
    char lane[64], eid[IT_EID];
    ff_op *w = waiting_on_new("wait-wake", lane, sizeof lane, eid);
    FFT_EQ_INT(ff_op_done(w), 0);
    ff_client *worker = fft_client_new();
    complete_bytes(worker, lane, eid, "\0bin\xff", 5);
    expect_result(w, "\0bin\xff", 5);
    ff_client_free(worker);
}

static void test_failed_and_cancelled_end_like_result(void)
{
    char lane[64], failed[IT_EID], cancelled[IT_EID];
    it_lane(lane, sizeof lane, "wait-bad");
    it_create(C, lane, 0, failed);
    it_create(C, lane, 0, cancelled);
    ff_op *wf = NULL, *wc = NULL;
    FFT_OK(ff_execution_wait(C, failed, LONG_WAIT_MS, NULL, NULL, &wf));
    FFT_OK(ff_execution_wait(C, cancelled, LONG_WAIT_MS, NULL, NULL, &wc));
    until_marked(C, failed);
    until_marked(C, cancelled);
    ff_claim *cl = it_claim_expect(C, lane, failed);
    IT_EXPECT(ff_lease_fail(C, cl, "it broke", "error", NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    IT_EXPECT(ff_execution_cancel(C, cancelled, "not needed", NULL, NULL, OUT), FF_OK);
    FFT_CHECK(ff_op_wait(wf, IT_WAIT_MS) != FF_EAGAIN);
    FFT_CHECK(ff_op_wait(wc, IT_WAIT_MS) != FF_EAGAIN);
    expect_like_result(wf, failed);
    expect_like_result(wc, cancelled);
    ff_op_free(wf);
    ff_op_free(wc);
}

static void test_timeout_and_own_deadline(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "wait-timeout");
    it_create(C, lane, 0, eid);
    ff_op *w = IT_OP(ff_execution_wait(C, eid, 200, NULL, NULL, OUT));
    FFT_EQ_STATUS(ff_op_status(w), FF_ETIMEDOUT);
    FFT_CHECK_MSG(strstr(ff_op_errmsg(w), eid) && strstr(ff_op_errmsg(w), "200 ms"), "message: %s",
                  ff_op_errmsg(w));
    ff_op_free(w);

    /* A wait longer than the client's call timeout outlives it. */
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, fft_server_url()));
    FFT_OK(ff_client_opts_set_timeout_ms(o, 100));
    ff_client *quick = fft_client_new_opts(o);
    ff_client_opts_free(o);
    FFT_OK(ff_execution_wait(quick, eid, LONG_WAIT_MS, NULL, NULL, &w));
    until_marked(C, eid);
    fft_sleep_ms(400); /* four client timeouts */
    FFT_EQ_INT(ff_op_done(w), 0);
    complete_one(C, lane, eid, "late");
    FFT_CHECK(ff_op_wait(w, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(w));
    ff_op_free(w);
    ff_client_free(quick);
}

static void test_bad_input_and_missing(void)
{
    char eid[IT_EID];
    it_create(C, "default", 0, eid);
    ff_op *w = NULL;
    FFT_EQ_STATUS(ff_execution_wait(C, eid, 0, NULL, NULL, &w), FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(FF_EINVAL), "timeout_ms") != NULL);
    FFT_EQ_STATUS(ff_execution_wait(C, eid, -5, NULL, NULL, &w), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_wait(C, "nope", 1000, NULL, NULL, &w), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_wait(NULL, eid, 1000, NULL, NULL, &w), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_wait(C, eid, 1000, NULL, NULL, NULL), FF_EINVAL);
    char far[IT_EID];
    snprintf(far, sizeof far, "{fp:%u}%s", (unsigned)ff_client_partitions(C), strchr(eid, '}') + 1);
    FFT_EQ_STATUS(ff_execution_wait(C, far, 1000, NULL, NULL, &w), FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(FF_EINVAL), "partition") != NULL);
    char missing[IT_EID];
    snprintf(missing, sizeof missing, "%.*s00000000-0000-4000-8000-000000000000", (int)(strchr(eid, '}') - eid + 2),
             eid);
    IT_EXPECT(ff_execution_wait(C, missing, LONG_WAIT_MS, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
}

enum { MANY = 200 };

typedef struct tally {
    int done, ok;
} tally;

static void on_wait(ff_op *op, void *ud)
{
    tally *t = ud;
    t->done++;
    if (ff_op_status(op) == FF_OK) t->ok++;
}

static void dispatch_until(ff_client *c, tally *t, int want)
{
    struct pollfd pf = {ff_client_fd(c), POLLIN, 0};
    int64_t until = fft_now_ms() + LONG_WAIT_MS;
    while (t->done < want) {
        FFT_CHECK_MSG(fft_now_ms() < until, "%d of %d waits ended", t->done, want);
        poll(&pf, 1, 50);
        ff_client_dispatch(c, 0);
    }
}

static void test_many_concurrent_waits(void)
{
    char lane[64];
    static char ids[MANY][IT_EID];
    it_lane(lane, sizeof lane, "wait-many");
    for (int i = 0; i < MANY; i++) it_create(C, lane, 0, ids[i]);
    tally t = {0, 0};
    /* two waits on each execution, all sharing one subscriber connection */
    for (int i = 0; i < MANY; i++) {
        FFT_OK(ff_execution_wait(C, ids[i], LONG_WAIT_MS, on_wait, &t, NULL));
        FFT_OK(ff_execution_wait(C, ids[i], LONG_WAIT_MS, on_wait, &t, NULL));
    }
    for (int i = 0; i < MANY; i++) until_marked(C, ids[i]);
    ff_client *worker = fft_client_new();
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_OK(ff_claim_opts_set_batch(o, 50));
    int finished = 0;
    while (finished < MANY) {
        ff_op *op = IT_OP(ff_lease_claim(worker, o, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        size_t n = ff_op_claim_count(op);
        FFT_CHECK(n > 0);
        for (size_t k = 0; k < n; k++) {
            ff_claim *cl = NULL;
            FFT_OK(ff_op_take_claim(op, k, &cl));
            IT_EXPECT(ff_lease_complete(worker, cl, "ok", 2, NULL, NULL, OUT), FF_OK);
            ff_claim_free(cl);
            finished++;
        }
        ff_op_free(op);
    }
    ff_claim_opts_free(o);
    dispatch_until(C, &t, 2 * MANY);
    FFT_EQ_INT(t.ok, 2 * MANY);
    ff_client_free(worker);
}

static void test_woken_across_killed_connections(void)
{
    char lane[64], eid[IT_EID];
    ff_op *w = waiting_on_new("wait-kill", lane, sizeof lane, eid);
    /* Kill every other connection (the waiter's subscriber and C's pipelined
     * one), then finish the execution at once: its notification is
     * published while the waiter is disconnected, and lost. */
    ff_client *other = fft_client_new();
    ff_op *k = it_raw(other, "CLIENT", "KILL", "TYPE", "pubsub", NULL);
    FFT_OK(ff_op_status(k));
    FFT_CHECK(ff_op_reply_integer(k) >= 1);
    ff_op_free(k);
    k = it_raw(other, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes", NULL);
    FFT_OK(ff_op_status(k));
    ff_op_free(k);
    complete_one(other, lane, eid, "after the kill");
    expect_result(w, "after the kill", 14);
    ff_client_free(other);
}

static void test_free_cancels_pending_waits(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "wait-free");
    it_create(C, lane, 0, eid);
    ff_client *c = fft_client_new();
    tally t = {0, 0};
    FFT_OK(ff_execution_wait(c, eid, LONG_WAIT_MS, on_wait, &t, NULL));
    ff_op *w = NULL;
    FFT_OK(ff_execution_wait(c, eid, LONG_WAIT_MS, NULL, NULL, &w));
    until_marked(C, eid);
    ff_client_free(c); /* runs the callback of the first wait, once */
    FFT_EQ_INT(t.done, 1);
    FFT_EQ_INT(t.ok, 0);
    FFT_EQ_STATUS(ff_op_status(w), FF_ECANCELED);
    ff_op_free(w);
}

int main(void)
{
    IT_RUN(test_already_terminal);
    IT_RUN(test_woken_by_completion);
    IT_RUN(test_failed_and_cancelled_end_like_result);
    IT_RUN(test_timeout_and_own_deadline);
    IT_RUN(test_bad_input_and_missing);
    IT_RUN(test_many_concurrent_waits);
    IT_RUN(test_woken_across_killed_connections);
    IT_RUN(test_free_cancels_pending_waits);
    return it_summary("test_wait");
}
