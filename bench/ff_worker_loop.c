/*
 * Claim-loop implementation of the benchmark worker (see ff_worker_loop.h).
 *
 * One thread owns one ff_client in callback mode and runs a poll() loop over
 * ff_client_fd() (completions) and a private pipe (go / stop). Slot
 * accounting:
 *   busy     = leases held (claimed, completion not yet acknowledged)
 *   reserved = slots asked for by the one claim call in flight
 *   free     = concurrency - busy - reserved
 * A claim for `free` executions is issued when free >= refill, or when the
 * worker holds nothing. Every claimed execution is completed at once (no-op
 * handler; with a budget, after reporting usage: ff_worker_loop.h), so with
 * concurrency C up to C completes are pipelined.
 * An empty claim while nothing is held starts a back-off: poll_min_ms,
 * doubling up to poll_max_ms (the idle poll interval), reset by any claim
 * that returns work. Polling is what a plain claim loop must do; the engine's
 * runtime replaces it with wake-ups.
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
#include <time.h>
#include <unistd.h>

#include "common/bench_util.h"
#include "ff_budget_scenarios.h"

#define MAX_CLAIM_BATCH 256

struct bw_worker {
    bw_config cfg;
    ff_client *c;
    ff_claim_opts *copts;
    pthread_t thread;
    int ctl[2]; /* ctl[1] <- 'g' (go) / 's' (stop) */
    int go, stopping;
    int busy, reserved, claim_in_flight;
    int backoff_ms;         /* current back-off step, 0 = none */
    uint64_t next_claim_ns; /* while backing off: earliest next claim */
    bw_stats st;
    int printed_errors;
    pthread_mutex_t idle_mu;
    pthread_cond_t idle_cv;
    int idle; /* 1 after an empty claim with nothing held, 0 once work was claimed */
};

static void set_idle(bw_worker *w, int idle) {
    if (w->idle == idle) return;
    pthread_mutex_lock(&w->idle_mu);
    w->idle = idle;
    if (idle) pthread_cond_broadcast(&w->idle_cv);
    pthread_mutex_unlock(&w->idle_mu);
}

void bw_wait_idle(bw_worker *w) {
    pthread_mutex_lock(&w->idle_mu);
    while (!w->idle) pthread_cond_wait(&w->idle_cv, &w->idle_mu);
    pthread_mutex_unlock(&w->idle_mu);
}

int bw_idle_phase_ms(const bw_config *cfg) { return cfg->poll_max_ms; }

const char *bw_mode_note(const bw_config *cfg) {
    static char note[256];
    snprintf(note, sizeof note,
             "flowfabric-c worker = plain claim loop over the public API (batch claim sized to free slots, "
             "refill>=%d, <=%d claims in flight, complete at once); no wake-ups yet: after an empty claim it "
             "polls, back-off %d..%d ms",
             cfg->refill, cfg->claims_in_flight < 1 ? 1 : cfg->claims_in_flight, cfg->poll_min_ms, cfg->poll_max_ms);
    return note;
}

static void report_error(bw_worker *w, const char *what, ff_op *op, int st) {
    w->st.errors++;
    if (w->printed_errors++ < 5)
        fprintf(stderr, "bench worker: %s failed: %s %s\n", what, ff_status_name(st), op ? ff_op_errmsg(op) : "");
}

static void maybe_claim(bw_worker *w);

/* One in-flight completion: which worker, which lease. */
typedef struct bw_job {
    bw_worker *w;
    ff_claim *cl;
} bw_job;

static void on_complete(ff_op *op, void *ud) {
    bw_job *job = ud;
    bw_worker *w = job->w;
    int st = ff_op_status(op);
    w->busy--;
    if (st != FF_OK) {
        report_error(w, "ff_lease_complete", op, st);
    } else {
        w->st.completed++;
        if (w->cfg.on_done) {
            size_t len = 0;
            const void *p = ff_claim_payload(job->cl, &len);
            w->cfg.on_done(w->cfg.ud, p, len, bu_now_ns());
        }
    }
    ff_claim_free(job->cl);
    free(job);
    maybe_claim(w);
}

/* The no-op handler: complete immediately, empty result. */
static void complete(bw_job *job) {
    bw_worker *w = job->w;
    int rc = ff_lease_complete(w->c, job->cl, NULL, 0, on_complete, job, NULL);
    if (rc != FF_OK) {
        w->busy--;
        report_error(w, "ff_lease_complete(start)", NULL, rc);
        ff_claim_free(job->cl);
        free(job);
    }
}

static void note_report(bw_worker *w, ff_op *op) {
    int st = ff_op_status(op);
    if (st != FF_OK || strcmp(ff_op_text(op), "applied") != 0)
        report_error(w, "ff_budget_report_usage", op, st);
    else
        w->st.reports++;
}

static void on_report(ff_op *op, void *ud) { note_report(ud, op); }

static void on_report_then_complete(ff_op *op, void *ud) {
    bw_job *job = ud;
    note_report(job->w, op);
    complete(job);
}

/* One claim call in flight: how many slots it reserved. */
typedef struct claim_req {
    bw_worker *w;
    int asked;
} claim_req;

static void on_claim(ff_op *op, void *ud) {
    claim_req *req = ud;
    bw_worker *w = req->w;
    w->claim_in_flight--;
    w->reserved -= req->asked;
    free(req);
    int st = ff_op_status(op);
    size_t n = 0;
    if (st != FF_OK) {
        report_error(w, "ff_lease_claim", op, st);
    } else {
        n = ff_op_claim_count(op);
    }
    if (n == 0) {
        w->st.empty_claims++;
        if (w->busy == 0 && w->claim_in_flight == 0) {
            /* idle: back off before polling again */
            int step = w->backoff_ms == 0 ? w->cfg.poll_min_ms : w->backoff_ms * 2;
            if (step > w->cfg.poll_max_ms) step = w->cfg.poll_max_ms;
            w->backoff_ms = step;
            w->next_claim_ns = bu_now_ns() + (uint64_t)step * 1000000ull;
            set_idle(w, 1);
        }
        return; /* with leases held, the next complete re-triggers a claim */
    }
    w->backoff_ms = 0;
    w->next_claim_ns = 0;
    set_idle(w, 0);
    w->st.claimed += n;
    for (size_t i = 0; i < n; i++) {
        ff_claim *cl = NULL;
        if (ff_op_take_claim(op, i, &cl) != FF_OK || cl == NULL) continue;
        bw_job *job = malloc(sizeof *job);
        if (job == NULL) bu_die("out of memory");
        job->w = w;
        job->cl = cl;
        w->busy++;
        if (w->cfg.budget_id) {
            int wait = w->cfg.report_wait;
            int rc = ff_budget_report_usage(w->c, cl, w->cfg.budget_id, ffb_budget_dims, ffb_budget_deltas,
                                            FFB_BUDGET_NDIMS, ff_claim_execution_id(cl),
                                            wait ? on_report_then_complete : on_report, wait ? (void *)job : (void *)w,
                                            NULL);
            if (rc != FF_OK) report_error(w, "ff_budget_report_usage(start)", NULL, rc);
            if (rc == FF_OK && wait) continue; /* completed by on_report_then_complete */
        }
        complete(job);
    }
    maybe_claim(w);
}

static void maybe_claim(bw_worker *w) {
    if (!w->go || w->stopping || w->claim_in_flight >= w->cfg.claims_in_flight) return;
    if (w->next_claim_ns && bu_now_ns() < w->next_claim_ns) return;
    int freeslots = w->cfg.concurrency - w->busy - w->reserved;
    if (freeslots <= 0) return;
    if ((w->busy > 0 || w->claim_in_flight > 0) && freeslots < w->cfg.refill) return;
    if (freeslots > MAX_CLAIM_BATCH) freeslots = MAX_CLAIM_BATCH;
    claim_req *req = malloc(sizeof *req);
    if (req == NULL) bu_die("out of memory");
    req->w = w;
    req->asked = freeslots;
    ff_claim_opts_set_batch(w->copts, (uint32_t)freeslots);
    int rc = ff_lease_claim(w->c, w->copts, on_claim, req, NULL);
    if (rc != FF_OK) {
        free(req);
        report_error(w, "ff_lease_claim(start)", NULL, rc);
        w->next_claim_ns = bu_now_ns() + 10000000ull;
        return;
    }
    w->st.claim_calls++;
    w->claim_in_flight++;
    w->reserved += freeslots;
}

static void *worker_main(void *arg) {
    bw_worker *w = arg;
    struct pollfd fds[2];
    fds[0].fd = ff_client_fd(w->c);
    fds[0].events = POLLIN;
    fds[1].fd = w->ctl[0];
    fds[1].events = POLLIN;
    for (;;) {
        maybe_claim(w);
        if (w->stopping && w->busy == 0 && !w->claim_in_flight) break;
        int timeout = -1;
        if (w->go && !w->stopping && w->next_claim_ns && !w->claim_in_flight) {
            uint64_t now = bu_now_ns();
            timeout = w->next_claim_ns > now ? (int)((w->next_claim_ns - now + 999999) / 1000000) : 0;
        }
        int pr = poll(fds, 2, timeout);
        if (pr < 0 && errno != EINTR) break;
        if (fds[1].revents & POLLIN) {
            char b[16];
            ssize_t r = read(w->ctl[0], b, sizeof b);
            for (ssize_t i = 0; i < r; i++) {
                if (b[i] == 'g') w->go = 1;
                if (b[i] == 's') w->stopping = 1;
            }
        }
        if (fds[0].revents & POLLIN) ff_client_dispatch(w->c, 0);
        if (w->next_claim_ns && bu_now_ns() >= w->next_claim_ns) w->next_claim_ns = 0;
    }
    return NULL;
}

int bw_start(bw_worker **out, const bw_config *cfg, char *err, size_t errlen) {
    bw_worker *w = calloc(1, sizeof *w);
    if (w == NULL) return -1;
    w->cfg = *cfg;
    pthread_mutex_init(&w->idle_mu, NULL);
    pthread_cond_init(&w->idle_cv, NULL);
    if (w->cfg.concurrency < 1) w->cfg.concurrency = 1;
    if (w->cfg.refill < 1) w->cfg.refill = 1;
    if (w->cfg.claims_in_flight < 1) w->cfg.claims_in_flight = 1;
    if (w->cfg.poll_min_ms < 1) w->cfg.poll_min_ms = 1;
    if (w->cfg.poll_max_ms < w->cfg.poll_min_ms) w->cfg.poll_max_ms = w->cfg.poll_min_ms;
    ff_client_opts *o = NULL;
    ff_client_opts_new(&o);
    ff_client_opts_set_url(o, cfg->url);
    ff_client_opts_set_partitions(o, 0); /* adopt the server's */
    int st = ff_client_new(&w->c, o, err, errlen);
    ff_client_opts_free(o);
    if (st != FF_OK) {
        free(w);
        return -1;
    }
    ff_claim_opts_new(&w->copts);
    ff_claim_opts_set_worker_id(w->copts, "bench-worker");
    if (cfg->lane) ff_claim_opts_add_lane(w->copts, cfg->lane);
    if (pipe2(w->ctl, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        ff_claim_opts_free(w->copts);
        ff_client_free(w->c);
        free(w);
        return -1;
    }
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        snprintf(err, errlen, "pthread_create failed");
        close(w->ctl[0]);
        close(w->ctl[1]);
        ff_claim_opts_free(w->copts);
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
    if (stats_out) *stats_out = w->st;
    ff_claim_opts_free(w->copts);
    ff_client_free(w->c);
    close(w->ctl[0]);
    close(w->ctl[1]);
    free(w);
}
