/*
 * Lease renewal runs on the client's I/O thread: a handler that keeps the
 * host thread busy for more than 3 x the lease TTL (TTL 1000 ms) still
 * completes its task, with no reclaim, even with an engine sweeping expired
 * leases in the same process.
 */
#include <poll.h>

#include "fault.h"

#define TTL_MS 1000
#define HOLD_MS 3500

static int handled;

static void slow_handler(ff_task *t, void *ud)
{
    (void)ud;
    /* Blocks the dispatching (host) thread: renewals must not depend on it. */
    fft_sleep_ms(HOLD_MS);
    ff_op *op = NULL;
    FFT_OK(ff_task_complete(t, "held", 4, NULL, NULL, &op));
    FFT_OK(ff_op_wait(op, IT_WAIT_MS));
    ff_op_free(op);
    handled++;
}

static void test_long_handler_keeps_its_lease(void)
{
    fault_fresh_client();
    char lane[96], eid[IT_EID];
    it_lane(lane, sizeof lane, "renew");
    fault_create(C, lane, "slow.kind", "x", eid);

    ff_client *w = fft_client_new();
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_lease_ttl_ms(o, TTL_MS));
    FFT_OK(ff_worker_opts_set_engine(o, 1));
    ff_worker *wk = NULL;
    FFT_OK(ff_worker_new(&wk, w, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_on(wk, NULL, slow_handler, NULL));
    FFT_OK(ff_worker_start(wk));
    int64_t until = fft_now_ms() + FAULT_WAIT_MS;
    struct pollfd pf = {ff_client_fd(w), POLLIN, 0};
    while (handled == 0) {
        poll(&pf, 1, 50);
        ff_client_dispatch(w, 0);
        FFT_CHECK_MSG(fft_now_ms() < until, "the task was never handled");
    }
    char *stats = NULL;
    FFT_OK(ff_worker_stats_json(wk, &stats));
    printf("worker: %s\n", stats);
    FFT_CHECK_MSG(fault_stat(stats, "renewals") > 0, "no renewals: %s", stats);
    FFT_EQ_INT(fault_stat(stats, "renew_failures"), 0);
    FFT_EQ_INT(fault_stat(stats, "lost"), 0);
    FFT_EQ_INT(fault_stat(stats, "completed"), 1);
    ff_free(stats);
    ff_worker_free(wk);
    ff_client_free(w);

    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), 1);
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), 0);
    FFT_EQ_INT(it_ji64(d, "lease_epoch"), 1);
    FFT_EQ_STR(fault_attempt_str(d, 0, "state"), "ended_success");
    ff_op_free(d);
}

int main(void)
{
    IT_RUN(test_long_handler_keeps_its_lease);
    return it_summary("test_lease_renewal");
}
