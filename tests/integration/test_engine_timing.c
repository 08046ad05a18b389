/*
 * The engine acts when a timer is due, not at a sweep cadence: a 200 ms
 * retry backoff is re-claimed after >= 200 ms and well under a second
 * (before: up to the 2 s idle sweep later), and a lease nobody renews is
 * made reclaimable once it expires.
 */
#include <poll.h>

#include "itest.h"

#define BACKOFF_MS 200
#define ROUNDS 5
#define BOUND_MS 1000 /* "well under a second"; the old cadence gave up to ~2200 */

typedef struct retry_probe {
    int64_t failed_at;   /* monotonic ms, right before the failing call */
    int64_t reclaimed_at; /* monotonic ms, when the retry reached the handler */
    int done;
} retry_probe;

static void on_task(ff_task *t, void *ud)
{
    retry_probe *p = ud;
    if (ff_claim_attempt_index(ff_task_claim(t)) == 0) {
        p->failed_at = fft_now_ms();
        FFT_OK(ff_task_fail(t, "first try fails", "transient", NULL, NULL, NULL));
    } else {
        p->reclaimed_at = fft_now_ms();
        FFT_OK(ff_task_complete(t, "ok", 2, NULL, NULL, NULL));
        p->done = 1;
    }
}

static void test_retry_backoff_is_honoured_within_milliseconds(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "timing-retry");
    retry_probe p;
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_poll_ms(o, 60000)); /* only the engine + wake-up can explain a prompt retry */
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_on(w, NULL, on_task, &p));
    FFT_OK(ff_worker_start(w));
    for (int round = 0; round < ROUNDS; round++) {
        memset(&p, 0, sizeof p);
        ff_exec_spec *s = it_spec(lane);
        FFT_OK(ff_exec_spec_set_retry(s, 1, "fixed", BACKOFF_MS, BACKOFF_MS, 1.0, 0.0, NULL));
        char eid[IT_EID], st[32];
        it_create_spec(C, s, eid, st, sizeof st);
        ff_exec_spec_free(s);
        struct pollfd pf = {ff_client_fd(C), POLLIN, 0};
        int64_t until = fft_now_ms() + IT_WAIT_MS;
        while (!p.done) {
            FFT_CHECK_MSG(fft_now_ms() < until, "round %d: the retry never ran", round);
            poll(&pf, 1, 5);
            ff_client_dispatch(C, 0);
        }
        int64_t took = p.reclaimed_at - p.failed_at;
        printf("round %d: retry reclaimed %lld ms after the failing call (backoff %d ms)\n", round, (long long)took,
               BACKOFF_MS);
        FFT_CHECK_MSG(took >= BACKOFF_MS, "round %d: retried after %lld ms, before its backoff", round, (long long)took);
        FFT_CHECK_MSG(took < BOUND_MS, "round %d: retried only after %lld ms", round, (long long)took);
    }
    FFT_OK(ff_worker_stop(w, 5000));
    ff_worker_free(w);
}

static void test_unrenewed_lease_swept_at_expiry(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "timing-lease");
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, NULL));
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *cl = it_claim_with(C, o); /* the worker "crashes": never renewed */
    FFT_CHECK(cl != NULL);
    int64_t expires = ff_claim_expires_at_ms(cl);
    ff_claim_free(cl);
    ff_claim_opts_free(o);
    /* Nobody claims on this lane, so only the engine can mark it. */
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    for (;;) {
        ff_op *d = it_describe(C, eid);
        int expired = strcmp(it_jstr(d, "state.ownership_state"), "lease_expired_reclaimable") == 0;
        ff_op_free(d);
        if (expired) break;
        FFT_CHECK_MSG(fft_now_ms() < until, "the expired lease was never swept");
        fft_sleep_ms(10);
    }
    FFT_CHECK(it_server_now_ms(C) >= expires);
    it_state(C, eid, "active", ST_EXPIRED);
    ff_engine_stop(e);
}

int main(void)
{
    IT_RUN(test_retry_backoff_is_honoured_within_milliseconds);
    IT_RUN(test_unrenewed_lease_swept_at_expiry);
    return it_summary("test_engine_timing");
}
