/*
 * An idle worker whose fallback poll is 60 s gets newly submitted work
 * within a few seconds: only the pub/sub wake-up (the lane going from empty
 * to non-empty) can explain that.
 */
#include <poll.h>

#include "fault.h"

#define DELIVERY_BOUND_MS 5000 /* far below the 60 s poll */

typedef struct seen {
    int n;
    char last[IT_EID];
} seen;

static void on_task(ff_task *t, void *ud)
{
    seen *s = ud;
    snprintf(s->last, sizeof s->last, "%s", ff_claim_execution_id(ff_task_claim(t)));
    s->n++;
    FFT_OK(ff_task_complete(t, "woken", 5, NULL, NULL, NULL));
}

/* 1 when someone is subscribed to the wake-up channel of the lane's
 * partition, ff:wake:{fp:N} (PUBSUB CHANNELS lists channels with at least
 * one subscriber; nothing else in this test subscribes, so that someone is
 * our worker). */
static int subscribed(const char *lane)
{
    char chan[64];
    snprintf(chan, sizeof chan, "ff:wake:{fp:%u}", (unsigned)ff__lane_partition(lane, 0, ff_client_partitions(C)));
    ff_op *op = it_raw(C, "PUBSUB", "CHANNELS", chan, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    int n = (int)ff_op_reply_len(op);
    ff_op_free(op);
    return n == 1;
}

static int64_t worker_stat(ff_worker *w, const char *name)
{
    char *s = NULL;
    FFT_OK(ff_worker_stats_json(w, &s));
    int64_t v = fault_stat(s, name);
    ff_free(s);
    return v;
}

/* Submit one execution and dispatch until the worker handled it. */
static void submit_and_expect(ff_client *w, seen *s, const char *lane, int round)
{
    char eid[IT_EID];
    int before = s->n;
    fault_create(C, lane, "wake.kind", "x", eid);
    int64_t until = fft_now_ms() + DELIVERY_BOUND_MS;
    struct pollfd pf = {ff_client_fd(w), POLLIN, 0};
    while (s->n == before) {
        poll(&pf, 1, 20);
        ff_client_dispatch(w, 0);
        FFT_CHECK_MSG(fft_now_ms() < until, "round %d: not delivered within %d ms: the wake-up path is broken",
                      round, DELIVERY_BOUND_MS);
    }
    FFT_EQ_STR(s->last, eid);
}

static void test_idle_worker_is_woken(void)
{
    fault_fresh_client();
    char lane[96];
    it_lane(lane, sizeof lane, "wake");
    ff_client *w = fft_client_new();
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_poll_ms(o, 60000));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    ff_worker *wk = NULL;
    FFT_OK(ff_worker_new(&wk, w, o));
    ff_worker_opts_free(o);
    seen s = {0};
    FFT_OK(ff_worker_on(wk, NULL, on_task, &s));
    FFT_OK(ff_worker_start(wk));

    /* Idle: subscribed to its lane, nothing to claim. */
    FAULT_WAIT(subscribed(lane), FAULT_WAIT_MS, "the worker never subscribed to the wake-up channel of lane %s", lane);
    fft_sleep_ms(200);
    ff_client_dispatch(w, 0);
    FFT_EQ_INT(s.n, 0);

    /* Twice: the lane goes empty -> non-empty again after each task. */
    submit_and_expect(w, &s, lane, 1);
    FAULT_WAIT(worker_stat(wk, "in_flight") == 0, FAULT_WAIT_MS, "the first task did not finish");
    submit_and_expect(w, &s, lane, 2);
    FFT_CHECK(worker_stat(wk, "wakeups") >= 2);
    FFT_EQ_INT(worker_stat(wk, "polls"), 0);
    FAULT_WAIT(worker_stat(wk, "completed") == 2, FAULT_WAIT_MS, "completions did not land");
    ff_worker_free(wk);
    ff_client_free(w);
    FFT_EQ_INT(fault_count(C, lane, "completed"), 2);
}

int main(void)
{
    IT_RUN(test_idle_worker_is_woken);
    return it_summary("test_wakeup");
}
