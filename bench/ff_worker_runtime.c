/*
 * Runtime-backed implementation of the benchmark worker (see
 * ff_worker_loop.h): the engine's own worker runtime (ff_worker: slots,
 * batch claims, wake-ups for idle workers with a fallback poll, lease
 * renewal). Linked into bench/.build/ff_bench_rt instead of the claim loop
 * of ff_worker_loop.c; bench/run uses it with BENCH_FF_WORKER=runtime.
 *
 * One thread owns the worker's ff_client and dispatches its callbacks
 * (handlers included); the no-op handler completes each task at once in
 * callback mode (with a budget, after reporting usage: ff_worker_loop.h),
 * and the completion callback reports the job done.
 * Knobs: BENCH_RT_POLL_MS (fallback poll, runtime default when unset),
 * BENCH_FF_ENGINE=1 (also run the engine's sweeps on the worker's client;
 * off by default so that the idle numbers are the worker's own),
 * BENCH_IDLE_GAP_MS (5: how long after its last task the worker counts as
 * idle, so its post-completion claim has come back and it is blocked
 * waiting for a wake-up).
 */
#define _GNU_SOURCE
#include "ff_worker_loop.h"

#include <flowfabric.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bench_util.h"
#include "ff_budget_scenarios.h"

#define KEEP_PAYLOAD 64 /* bytes of the payload kept for on_done (the clock stamp) */

struct bw_worker {
    bw_config cfg;
    ff_client *c;
    ff_worker *rt;
    pthread_t thread;
    int ctl[2];
    int go, stopping, started;
    int printed_errors;
    bw_stats st;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy; /* tasks handed to the handler, completion not yet acknowledged */
    uint64_t last_idle_ns;
};

typedef struct done_ctx {
    bw_worker *w;
    ff_task *t;
    size_t len;
    unsigned char head[KEEP_PAYLOAD];
} done_ctx;

static long rt_poll_ms(void) { return bu_env_long("BENCH_RT_POLL_MS", 0); }
static int rt_engine(void) { return (int)bu_env_long("BENCH_FF_ENGINE", 0); }

const char *bw_mode_note(const bw_config *cfg) {
    static char note[256];
    long p = rt_poll_ms();
    char polls[48];
    if (p > 0)
        snprintf(polls, sizeof polls, "%ld ms", p);
    else
        snprintf(polls, sizeof polls, "default");
    snprintf(note, sizeof note,
             "flowfabric-c worker = ff_worker runtime (concurrency %d, lane wake-ups + fallback poll %s, engine %s)",
             cfg->concurrency, polls, rt_engine() ? "on" : "off");
    return note;
}

int bw_idle_phase_ms(const bw_config *cfg) {
    (void)cfg;
    return 0; /* woken up, not polling: the phase does not matter */
}

void bw_wait_idle(bw_worker *w) {
    pthread_mutex_lock(&w->mu);
    while (w->busy > 0) pthread_cond_wait(&w->cv, &w->mu);
    uint64_t since = w->last_idle_ns;
    pthread_mutex_unlock(&w->mu);
    double gap = (double)bu_env_long("BENCH_IDLE_GAP_MS", 5);
    double waited = (double)(bu_now_ns() - since) / 1e6;
    if (waited < gap) bu_sleep_ms(gap - waited);
}

static void report_error(bw_worker *w, const char *what, const char *detail, int st) {
    w->st.errors++;
    if (w->printed_errors++ < 5) fprintf(stderr, "bench worker: %s failed: %s %s\n", what, ff_status_name(st), detail);
}

static void on_task_done(ff_op *op, void *ud) {
    done_ctx *d = ud;
    bw_worker *w = d->w;
    int st = ff_op_status(op);
    if (st != FF_OK) {
        report_error(w, "ff_task_complete", ff_op_errmsg(op), st);
    } else {
        w->st.completed++;
        if (w->cfg.on_done) w->cfg.on_done(w->cfg.ud, d->head, d->len, bu_now_ns());
    }
    free(d);
    pthread_mutex_lock(&w->mu);
    if (--w->busy == 0) {
        w->last_idle_ns = bu_now_ns();
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
}

static void complete(done_ctx *d) {
    bw_worker *w = d->w;
    int st = ff_task_complete(d->t, NULL, 0, on_task_done, d, NULL);
    if (st != FF_OK) {
        report_error(w, "ff_task_complete(start)", "", st);
        free(d);
        pthread_mutex_lock(&w->mu);
        if (--w->busy == 0) pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

static void note_report(bw_worker *w, ff_op *op) {
    int st = ff_op_status(op);
    if (st != FF_OK)
        report_error(w, "ff_task_report_usage", ff_op_errmsg(op), st);
    else if (strcmp(ff_op_text(op), "applied") == 0)
        w->st.reports++;
    else
        report_error(w, "ff_task_report_usage", ff_op_text(op), st);
}

static void on_report(ff_op *op, void *ud) { note_report(ud, op); }

static void on_report_then_complete(ff_op *op, void *ud) {
    done_ctx *d = ud;
    note_report(d->w, op);
    complete(d);
}

/* The no-op handler: complete at once, empty result; with a budget, report
 * one job's usage first (ff_worker_loop.h). */
static void handler(ff_task *t, void *ud) {
    bw_worker *w = ud;
    done_ctx *d = malloc(sizeof *d);
    if (d == NULL) bu_die("out of memory");
    d->w = w;
    d->t = t;
    const ff_claim *cl = ff_task_claim(t);
    size_t len = 0;
    const void *p = ff_claim_payload(cl, &len);
    d->len = len < KEEP_PAYLOAD ? len : KEEP_PAYLOAD;
    memcpy(d->head, p, d->len);
    w->st.claimed++;
    pthread_mutex_lock(&w->mu);
    w->busy++;
    pthread_mutex_unlock(&w->mu);
    if (w->cfg.budget_id) {
        int wait = w->cfg.report_wait;
        int st = ff_task_report_usage(t, w->cfg.budget_id, ffb_budget_dims, ffb_budget_deltas, FFB_BUDGET_NDIMS,
                                      ff_claim_execution_id(cl), wait ? on_report_then_complete : on_report,
                                      wait ? (void *)d : (void *)w, NULL);
        if (st != FF_OK) report_error(w, "ff_task_report_usage(start)", "", st);
        if (st == FF_OK && wait) return; /* completed by on_report_then_complete */
    }
    complete(d);
}

static void *worker_main(void *arg) {
    bw_worker *w = arg;
    struct pollfd fds[2];
    fds[0].fd = ff_client_fd(w->c);
    fds[0].events = POLLIN;
    fds[1].fd = w->ctl[0];
    fds[1].events = POLLIN;
    for (;;) {
        if (w->stopping && (!w->started || ff_worker_stopped(w->rt))) break;
        int pr = poll(fds, 2, w->stopping ? 10 : -1);
        if (pr < 0 && errno != EINTR) break;
        if (fds[1].revents & POLLIN) {
            char b[16];
            ssize_t r = read(w->ctl[0], b, sizeof b);
            for (ssize_t i = 0; i < r; i++) {
                if (b[i] == 'g' && !w->go) {
                    w->go = 1;
                    int st = ff_worker_start(w->rt);
                    if (st != FF_OK) bu_die("ff_worker_start: %s", ff_status_name(st));
                    w->started = 1;
                }
                if (b[i] == 's' && !w->stopping) {
                    w->stopping = 1;
                    if (w->started) ff_worker_stop(w->rt, 30000);
                }
            }
        }
        if (fds[0].revents & POLLIN) ff_client_dispatch(w->c, 0);
    }
    ff_client_dispatch(w->c, 0);
    return NULL;
}

int bw_start(bw_worker **out, const bw_config *cfg, char *err, size_t errlen) {
    bw_worker *w = calloc(1, sizeof *w);
    if (w == NULL) return -1;
    w->cfg = *cfg;
    if (w->cfg.concurrency < 1) w->cfg.concurrency = 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->last_idle_ns = bu_now_ns();
    ff_client_opts *o = NULL;
    ff_client_opts_new(&o);
    ff_client_opts_set_url(o, cfg->url);
    int st = ff_client_new(&w->c, o, err, errlen);
    ff_client_opts_free(o);
    if (st != FF_OK) {
        free(w);
        return -1;
    }
    ff_worker_opts *wo = NULL;
    if (ff_worker_opts_new(&wo) != FF_OK) bu_die("ff_worker_opts_new");
    ff_worker_opts_set_worker_id(wo, "bench-worker");
    if (cfg->lane) ff_worker_opts_add_lane(wo, cfg->lane);
    if (ff_worker_opts_set_concurrency(wo, (uint32_t)w->cfg.concurrency) != FF_OK) bu_die("worker concurrency");
    if (rt_poll_ms() > 0 && ff_worker_opts_set_poll_ms(wo, rt_poll_ms()) != FF_OK) bu_die("BENCH_RT_POLL_MS");
    ff_worker_opts_set_engine(wo, rt_engine());
    st = ff_worker_new(&w->rt, w->c, wo);
    ff_worker_opts_free(wo);
    if (st == FF_OK) st = ff_worker_on(w->rt, NULL, handler, w);
    if (st != FF_OK) {
        snprintf(err, errlen, "ff_worker_new/on: %s", ff_status_name(st));
        ff_worker_free(w->rt);
        ff_client_free(w->c);
        free(w);
        return -1;
    }
    if (pipe2(w->ctl, O_CLOEXEC) != 0 || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        snprintf(err, errlen, "pipe/thread: %s", strerror(errno));
        ff_worker_free(w->rt);
        ff_client_free(w->c);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void bw_go(bw_worker *w) {
    ssize_t r = write(w->ctl[1], "g", 1);
    (void)r;
}

void bw_stop(bw_worker *w, bw_stats *stats_out) {
    if (w == NULL) return;
    ssize_t r = write(w->ctl[1], "s", 1);
    (void)r;
    pthread_join(w->thread, NULL);
    char *js = NULL;
    if (ff_worker_stats_json(w->rt, &js) == FF_OK && js) {
        /* claim calls are the runtime's business; report its wake-ups and polls */
        const char *p = strstr(js, "\"polls\":");
        if (p) w->st.polls = strtoull(p + 8, NULL, 10);
        p = strstr(js, "\"wakeups\":");
        if (p) w->st.wakeups = strtoull(p + 10, NULL, 10);
        ff_free(js);
    }
    w->st.runtime = 1;
    if (stats_out) *stats_out = w->st;
    ff_worker_free(w->rt);
    ff_client_free(w->c);
    close(w->ctl[0]);
    close(w->ctl[1]);
    free(w);
}
