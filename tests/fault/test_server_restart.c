/*
 * The redis-server is killed (SIGKILL) and restarted from its AOF while a
 * worker is busy: every acknowledged execution survives, and the running
 * ff_worker reconnects by itself and finishes all the work. The server stays
 * down longer than the lease TTL, so the tasks in flight at the crash lose
 * their leases: their completions are refused and the executions are
 * reclaimed and completed again -- still exactly one successful attempt each.
 */
#include <poll.h>

#include "fault.h"

enum { N = 40, BEFORE = 12, AFTER = 8, CONC = 4 };

typedef struct held {
    ff_task *t[CONC * 4];
    int n;
} held; /* tasks handed to us and not finished yet; main thread only */

static void on_task(ff_task *t, void *ud)
{
    held *h = ud;
    FFT_CHECK(h->n < (int)(sizeof h->t / sizeof h->t[0]));
    h->t[h->n++] = t;
}

/* Complete every held task with its payload as result (fire and forget:
 * a completion lost to the crash is redone through a reclaim). */
static void finish_held(held *h)
{
    for (int i = 0; i < h->n; i++) {
        size_t len = 0;
        const void *p = ff_claim_payload(ff_task_claim(h->t[i]), &len);
        /* Not FF_OK when the lease was already lost (nothing is sent). */
        (void)ff_task_complete(h->t[i], p, len, NULL, NULL, NULL);
    }
    h->n = 0;
}

static void pump(ff_client *w, held *h, int finish)
{
    struct pollfd pf = {ff_client_fd(w), POLLIN, 0};
    poll(&pf, 1, 50);
    ff_client_dispatch(w, 0);
    if (finish) finish_held(h);
}

static long server_pid(void)
{
    ff_op *op = it_raw(C, "INFO", "server", NULL);
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const char *s = ff_op_bytes(op, &len);
    char buf[8192];
    snprintf(buf, sizeof buf, "%.*s", (int)len, s ? s : "");
    ff_op_free(op);
    const char *p = strstr(buf, "process_id:");
    FFT_CHECK(p != NULL);
    return strtol(p + 11, NULL, 10);
}

static void check_done(const char *eid, const char *payload)
{
    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    int ok = 0;
    fault_attempts(d, "ended_success", &ok);
    FFT_CHECK_MSG(ok == 1, "%s: %d successful attempts: %s", eid, ok, ff_op_json(d));
    ff_op_free(d);
    ff_op *r = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(r));
    size_t len = 0;
    const void *b = ff_op_bytes(r, &len);
    FFT_EQ_MEM(b, len, payload, strlen(payload));
    ff_op_free(r);
}

static void test_server_crash_and_restart(void)
{
    fault_fresh_client();
    ff_op *op = it_raw(C, "CONFIG", "SET", "appendfsync", "always", NULL);
    FFT_OK(ff_op_status(op)); /* every acknowledged write is on disk */
    ff_op_free(op);
    char lane[96];
    it_lane(lane, sizeof lane, "srvrst");
    static char ids[N + AFTER][IT_EID], payload[N + AFTER][32];
    for (int i = 0; i < N; i++) {
        snprintf(payload[i], sizeof payload[i], "payload-%d", i);
        fault_create(C, lane, "k", payload[i], ids[i]);
    }

    ff_client *w = fft_client_new();
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_concurrency(o, CONC));
    FFT_OK(ff_worker_opts_set_lease_ttl_ms(o, 2000));
    FFT_OK(ff_worker_opts_set_poll_ms(o, 500));
    ff_worker *wk = NULL;
    FFT_OK(ff_worker_new(&wk, w, o));
    ff_worker_opts_free(o);
    held h = {.n = 0};
    FFT_OK(ff_worker_on(wk, NULL, on_task, &h));
    FFT_OK(ff_worker_start(wk));

    /* Some work done normally, then a full set of tasks in flight. */
    int64_t until = fft_now_ms() + FAULT_WAIT_MS;
    while (fault_count(C, lane, "completed") < BEFORE) {
        for (int k = 0; k < 4; k++) pump(w, &h, 1);
        FFT_CHECK_MSG(fft_now_ms() < until, "the worker did not get going");
    }
    while (h.n < CONC) {
        pump(w, &h, 0);
        FFT_CHECK_MSG(fft_now_ms() < until, "the worker holds %d tasks, not %d", h.n, CONC);
    }
    long pid_before = server_pid();
    uint64_t connects = ff_client_connect_count(w);

    fft_server_kill();
    finish_held(&h); /* these completions meet a dead server */
    int64_t down_until = fft_now_ms() + 2500; /* > lease TTL */
    while (fft_now_ms() < down_until) pump(w, &h, 0);
    fft_server_restart();
    FFT_CHECK(server_pid() != pid_before);

    /* Everything acknowledged before the crash is still there. */
    for (int i = 0; i < N; i++) {
        ff_op *d = it_describe(C, ids[i]);
        ff_op_free(d);
    }
    for (int i = N; i < N + AFTER; i++) {
        snprintf(payload[i], sizeof payload[i], "after-%d", i);
        fault_create(C, lane, "k", payload[i], ids[i]);
    }
    until = fft_now_ms() + 90000;
    while (fault_count(C, lane, "completed") < N + AFTER) {
        for (int k = 0; k < 4; k++) pump(w, &h, 1);
        FFT_CHECK_MSG(fft_now_ms() < until, "only %lld of %d completed after the restart",
                      (long long)fault_count(C, lane, "completed"), N + AFTER);
    }
    FFT_CHECK_MSG(ff_client_connect_count(w) > connects, "the worker's client never reconnected");
    FFT_EQ_INT(ff_client_connected(w), 1);
    char *stats = NULL;
    FFT_OK(ff_worker_stats_json(wk, &stats));
    printf("worker after the restart: %s\n", stats);
    ff_free(stats);
    ff_worker_free(wk);
    ff_client_free(w);

    for (int i = 0; i < N + AFTER; i++) check_done(ids[i], payload[i]);
    FFT_EQ_INT(fault_count(C, lane, "completed"), N + AFTER);
}

int main(void)
{
    IT_RUN(test_server_crash_and_restart);
    return it_summary("test_server_restart");
}
