/* The worker runtime. Everything that touches slots, the task list, timers
 * and the wake-up subscription runs on the client's I/O thread; handlers run
 * wherever callbacks are dispatched. */
#include "util/util.h"
#include "flowfabric/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/pubsub.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/validate.h"
#include "engine/engine_int.h"
#include "flowfabric/engine.h"
#include "ops/ops_int.h"

#define MAX_LANES 64
/* The worker's entry in the registry capability routing consults
 * (workers.h): refreshed every REG_BEAT_MS, so it outlives a few lost
 * heartbeats, and dropped on a clean stop. */
#define REG_TTL_MS 30000
#define REG_BEAT_MS 10000

struct ff_worker_opts {
    ff_claim_opts *claim;
    char *lanes[MAX_LANES];
    size_t nlanes;
    int default_lane;
    char *instance_id;
    uint32_t concurrency;
    int64_t ttl_ms;
    int64_t poll_ms;
    int engine;
    int pull; /* tasks of kinds without a handler go to ff_worker_next_task */
    ff_engine_opts *engine_opts; /* NULL: engine defaults */
};

typedef struct handler_entry {
    char *kind; /* NULL: default */
    ff_task_handler fn;
    void *ud;
} handler_entry;

enum {
    W_CLAIMED, W_COMPLETED, W_FAILED, W_CANCELLED, W_DELAYED, W_RELEASED, W_LOST, W_RENEWALS,
    W_RENEW_FAILURES, W_WAKEUPS, W_POLLS, W_FINISHED, W_SUSPENDED, W_N
};
static const char *const k_wstat[W_N] = {"claimed",  "completed", "failed",         "cancelled",
                                         "delayed",  "released",  "lost",           "renewals",
                                         "renew_failures", "wakeups", "polls", "finished", "suspended"};

struct ff_task {
    ff_worker *w;
    ff_claim *claim;
    const handler_entry *h;
    atomic_int refs;      /* handler side + I/O list membership */
    atomic_int finishing; /* a finishing call was made */
    atomic_int lost;
    atomic_int budget_breached; /* FF_TASK_BUDGET_*: the worst breach a report through the task answered */
    /* I/O thread only */
    ff_task *prev, *next;
    uint64_t next_renew; /* uv_now ms */
    int renew_in_flight;
    int in_slot;
    ff_task *pnext; /* pull queue (guarded by the worker's pull_mu) */
};

struct ff_worker {
    ff_client *c;
    struct ff_worker_opts o;
    handler_entry *handlers;
    size_t nhandlers;
    ff_engine *engine;

    /* I/O thread only */
    ff_task *tasks;
    uint32_t slots_used;
    int claiming;
    int claim_again;
    int early_finishing; /* I/O thread: finishing calls sent whose task already left its slot */
    int started;
    int stopping;
    uint64_t stop_deadline;
    uv_timer_t poll_timer;
    uv_timer_t renew_timer;
    int reg_in_flight;  /* a registration / heartbeat is on its way */
    uint64_t next_beat; /* uv_now ms */
    ff__sub *sub;
    int handles_open;

    /* pull mode: claimed tasks waiting for ff_worker_next_task */
    pthread_mutex_t pull_mu;
    pthread_cond_t pull_cv;
    ff_task *pull_head, *pull_tail;
    /* readable while pulled tasks are queued or the worker has stopped
     * (ff_worker_next_fd); -1 when not in pull mode */
    int pull_r, pull_w;

    _Atomic uint64_t stats[W_N];
    atomic_int stopped;
    atomic_int in_flight;
    _Atomic int64_t last_activity_ms; /* CLOCK_MONOTONIC ms */
};

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------------------------------------------------------- opts */

int ff_worker_opts_new(ff_worker_opts **out) {
    if (out == NULL) return FF_EINVAL;
    ff_worker_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return FF_ENOMEM;
    int st = ff_claim_opts_new(&o->claim);
    if (st != FF_OK) {
        free(o);
        return st;
    }
    o->lanes[0] = ff__strdup("default");
    o->nlanes = 1;
    o->default_lane = 1;
    o->concurrency = 1;
    o->ttl_ms = 30000;
    o->poll_ms = 5000;
    o->engine = 1;
    *out = o;
    return FF_OK;
}

void ff_worker_opts_free(ff_worker_opts *o) {
    if (o == NULL) return;
    ff_claim_opts_free(o->claim);
    ff_engine_opts_free(o->engine_opts);
    for (size_t i = 0; i < o->nlanes; i++) free(o->lanes[i]);
    free(o->instance_id);
    free(o);
}

int ff_worker_opts_set_worker_id(ff_worker_opts *o, const char *id) {
    return o ? ff_claim_opts_set_worker_id(o->claim, id) : ff__check_ptr("worker options", o);
}

int ff_worker_opts_set_instance_id(ff_worker_opts *o, const char *id) {
    if (o == NULL) return ff__check_ptr("worker options", o);
    int st = ff_claim_opts_set_worker_instance_id(o->claim, id);
    if (st != FF_OK) return st;
    free(o->instance_id);
    o->instance_id = ff__strdup(id);
    return o->instance_id ? FF_OK : FF_ENOMEM;
}

int ff_worker_opts_add_lane(ff_worker_opts *o, const char *lane) {
    if (o == NULL) return ff__check_ptr("worker options", o);
    int st = ff_claim_opts_add_lane(o->claim, lane);
    if (st != FF_OK) return st;
    if (o->default_lane) {
        for (size_t i = 0; i < o->nlanes; i++) free(o->lanes[i]);
        o->nlanes = 0;
        o->default_lane = 0;
    }
    for (size_t i = 0; i < o->nlanes; i++)
        if (strcmp(o->lanes[i], lane) == 0) return FF_OK;
    if (o->nlanes >= MAX_LANES) return ff__fail(FF_EINVAL, "lanes: at most %d per worker", MAX_LANES);
    o->lanes[o->nlanes] = ff__strdup(lane);
    if (o->lanes[o->nlanes] == NULL) return FF_ENOMEM;
    o->nlanes++;
    return FF_OK;
}

int ff_worker_opts_add_capability(ff_worker_opts *o, const char *token) {
    return o ? ff_claim_opts_add_capability(o->claim, token) : ff__check_ptr("worker options", o);
}

int ff_worker_opts_set_concurrency(ff_worker_opts *o, uint32_t n) {
    int st = o ? ff__check_range("worker concurrency", n, 1, 4096) : ff__check_ptr("worker options", o);
    if (st != FF_OK) return st;
    o->concurrency = n;
    return FF_OK;
}

int ff_worker_opts_set_lease_ttl_ms(ff_worker_opts *o, int64_t ms) {
    if (o == NULL) return ff__check_ptr("worker options", o);
    int st = ff_claim_opts_set_lease_ttl_ms(o->claim, ms);
    if (st == FF_OK) o->ttl_ms = ms;
    return st;
}

int ff_worker_opts_set_poll_ms(ff_worker_opts *o, int64_t ms) {
    int st = o ? ff__check_range("worker poll ms", ms, 100, 60000) : ff__check_ptr("worker options", o);
    if (st != FF_OK) return st;
    o->poll_ms = ms;
    return FF_OK;
}

int ff_worker_opts_set_pull(ff_worker_opts *o, int32_t on) {
    if (o == NULL) return ff__check_ptr("worker options", o);
    o->pull = on ? 1 : 0;
    return FF_OK;
}

int ff_worker_opts_set_engine(ff_worker_opts *o, int32_t on) {
    if (o == NULL) return ff__check_ptr("worker options", o);
    o->engine = on ? 1 : 0;
    return FF_OK;
}

int ff_worker_opts_set_engine_opts(ff_worker_opts *o, const ff_engine_opts *eo) {
    int st = o ? ff__check_ptr("engine options", eo) : ff__check_ptr("worker options", o);
    if (st != FF_OK) return st;
    ff_engine_opts *copy = ff__engine_opts_clone(eo);
    if (copy == NULL) return FF_ENOMEM;
    ff_engine_opts_free(o->engine_opts);
    o->engine_opts = copy;
    return FF_OK;
}

/* -------------------------------------------------------------- worker */

int ff_worker_new(ff_worker **out, ff_client *c, const ff_worker_opts *o) {
    int st = ff__check_ptr("worker out", out);
    if (st == FF_OK) st = ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_ptr("worker options", o);
    if (st != FF_OK) return st;
    ff_worker *w = calloc(1, sizeof *w);
    if (w == NULL) return FF_ENOMEM;
    w->c = c;
    w->o = *o;
    w->o.claim = NULL;
    w->o.instance_id = NULL;
    w->o.engine_opts = o->engine_opts ? ff__engine_opts_clone(o->engine_opts) : NULL;
    memset(w->o.lanes, 0, sizeof w->o.lanes);
    /* The worker owns a copy of the claim options: it changes the batch size
     * of each claim to the number of free slots. */
    w->o.claim = ff__claim_opts_clone(o->claim);
    if (w->o.claim == NULL) {
        free(w);
        return FF_ENOMEM;
    }
    for (size_t i = 0; i < o->nlanes; i++) w->o.lanes[i] = ff__strdup(o->lanes[i]);
    w->pull_r = w->pull_w = -1;
    if (w->o.pull) {
        int fds[2];
        if (pipe(fds) != 0) {
            for (size_t i = 0; i < o->nlanes; i++) free(w->o.lanes[i]);
            ff_claim_opts_free(w->o.claim);
            ff_engine_opts_free(w->o.engine_opts);
            free(w);
            return ff__fail(FF_ESYS, "worker: pipe: %s", strerror(errno));
        }
        for (int i = 0; i < 2; i++) {
            fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
            fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        }
        w->pull_r = fds[0];
        w->pull_w = fds[1];
    }
    pthread_mutex_init(&w->pull_mu, NULL);
    pthread_cond_init(&w->pull_cv, NULL);
    atomic_store(&w->last_activity_ms, mono_ms());
    *out = w;
    return FF_OK;
}

int ff_worker_on(ff_worker *w, const char *kind, ff_task_handler fn, void *ud) {
    int st = ff__check_ptr("worker", w);
    if (st == FF_OK) st = ff__check_ptr("task handler", (const void *)(uintptr_t)fn);
    if (st != FF_OK) return st;
    if (w->started) return ff__fail(FF_EINVAL, "ff_worker_on: handlers are registered before ff_worker_start");
    for (size_t i = 0; i < w->nhandlers; i++) {
        handler_entry *h = &w->handlers[i];
        if ((kind == NULL && h->kind == NULL) || (kind && h->kind && strcmp(kind, h->kind) == 0)) {
            h->fn = fn;
            h->ud = ud;
            return FF_OK;
        }
    }
    handler_entry *n = realloc(w->handlers, (w->nhandlers + 1) * sizeof *n);
    if (n == NULL) return FF_ENOMEM;
    w->handlers = n;
    n[w->nhandlers].kind = kind ? ff__strdup(kind) : NULL;
    n[w->nhandlers].fn = fn;
    n[w->nhandlers].ud = ud;
    w->nhandlers++;
    return FF_OK;
}

static const handler_entry *find_handler(const ff_worker *w, const char *kind) {
    const handler_entry *def = NULL;
    for (size_t i = 0; i < w->nhandlers; i++) {
        if (w->handlers[i].kind == NULL)
            def = &w->handlers[i];
        else if (strcmp(w->handlers[i].kind, kind) == 0)
            return &w->handlers[i];
    }
    return def;
}

/* --------------------------------------------------------------- tasks */

static void task_unref(ff_task *t) {
    if (atomic_fetch_sub(&t->refs, 1) == 1) {
        ff_claim_free(t->claim);
        free(t);
    }
}

static void try_claim(ff_worker *w);
static void maybe_finish_stop(ff_worker *w);
static void on_renew_timer(uv_timer_t *timer);
static void task_done_async(ff_task *t);

/* I/O thread: the task leaves its slot. */
static void task_leave(ff_task *t) {
    ff_worker *w = t->w;
    t->in_slot = 0;
    if (t->prev)
        t->prev->next = t->next;
    else
        w->tasks = t->next;
    if (t->next) t->next->prev = t->prev;
    t->prev = t->next = NULL;
    w->slots_used--;
    atomic_fetch_sub(&w->in_flight, 1);
    atomic_store(&w->last_activity_ms, mono_ms());
    task_unref(t);
    if (w->stopping)
        maybe_finish_stop(w);
    else
        try_claim(w);
}

static void run_handler(ff_op *op, void *ud) {
    (void)op;
    ff_task *t = ud;
    if (atomic_load(&t->lost)) {
        /* Released or lost before the handler could run: nothing to do. */
        int expected = 0;
        if (atomic_compare_exchange_strong(&t->finishing, &expected, 1)) task_done_async(t);
        return;
    }
    t->h->fn(t, t->h->ud);
}

static void on_no_handler_done(ff_op *op, void *ud) {
    (void)op;
    (void)ud;
}

/* With pull_mu held: make ff_worker_next_fd readable (one byte is enough:
 * it stays readable until pull_fd_drain). */
static void pull_fd_signal(ff_worker *w) {
    char b = 1;
    ssize_t n = write(w->pull_w, &b, 1);
    (void)n; /* a full pipe is readable already */
}

/* With pull_mu held, once nothing is left to hand out. */
static void pull_fd_drain(ff_worker *w) {
    char buf[64];
    while (read(w->pull_r, buf, sizeof buf) > 0) {
    }
}

/* I/O thread, pull mode: queue the task for ff_worker_next_task (the
 * handler-side reference moves to the queue, then to the caller). */
static void pull_push(ff_worker *w, ff_task *t) {
    pthread_mutex_lock(&w->pull_mu);
    t->pnext = NULL;
    if (w->pull_tail) {
        w->pull_tail->pnext = t;
    } else {
        w->pull_head = t;
        pull_fd_signal(w);
    }
    w->pull_tail = t;
    pthread_cond_broadcast(&w->pull_cv);
    pthread_mutex_unlock(&w->pull_mu);
}

static void deliver_task(ff_worker *w, ff_task *t) {
    if (t->h == NULL && w->o.pull) {
        pull_push(w, t);
        return;
    }
    if (t->h == NULL) {
        /* Nobody handles this kind: fail it so it does not block the lane. */
        char reason[300];
        snprintf(reason, sizeof reason, "no handler registered for kind '%s'", ff_claim_kind(t->claim));
        ff_task_fail(t, reason, "no_handler", on_no_handler_done, NULL, NULL);
        return;
    }
    ff_op *op = ff__op_new(w->c, NULL);
    if (op == NULL) {
        ff_task_release(t, NULL, NULL, NULL);
        return;
    }
    op->cb = run_handler;
    op->ud = t;
    op->status = FF_OK;
    ff__deliver(w->c, op);
}

/* ---------------------------------------------------------------- claim */

static void on_claimed(ff_op *op, void *ud) {
    ff_worker *w = ud;
    w->claiming = 0;
    size_t n = ff_op_claim_count(op);
    if (ff_op_status(op) == FF_OK) {
        for (size_t i = 0; i < n; i++) {
            ff_claim *cl = NULL;
            if (ff_op_take_claim(op, i, &cl) != FF_OK) continue;
            ff_task *t = calloc(1, sizeof *t);
            if (t == NULL) {
                ff_claim_free(cl); /* lease expires; the engine makes it reclaimable */
                continue;
            }
            t->w = w;
            t->claim = cl;
            t->h = find_handler(w, ff_claim_kind(cl));
            atomic_init(&t->refs, 2);
            t->next_renew = uv_now(&w->c->loop) + (uint64_t)(w->o.ttl_ms / 3);
            t->next = w->tasks;
            if (w->tasks) w->tasks->prev = t;
            w->tasks = t;
            t->in_slot = 1;
            w->slots_used++;
            atomic_fetch_add(&w->in_flight, 1);
            atomic_fetch_add(&w->stats[W_CLAIMED], 1);
            atomic_store(&w->last_activity_ms, mono_ms());
            deliver_task(w, t);
        }
    }
    /* A full batch suggests more work is waiting; so does a wake-up that
     * arrived while this claim was in flight. */
    int again = w->claim_again || (ff_op_status(op) == FF_OK && n > 0);
    w->claim_again = 0;
    if (w->stopping && n > 0 && uv_now(&w->c->loop) >= w->stop_deadline)
        on_renew_timer(&w->renew_timer); /* claimed while stopping: give it back now */
    if (w->stopping)
        maybe_finish_stop(w);
    else if (again)
        try_claim(w);
}

static void try_claim(ff_worker *w) {
    if (!w->started || w->stopping) return;
    if (w->claiming) {
        w->claim_again = 1;
        return;
    }
    uint32_t free_slots = w->o.concurrency - w->slots_used;
    if (free_slots == 0) return;
    ff_claim_opts_set_batch(w->o.claim, free_slots > 256 ? 256 : free_slots);
    int st = FF_OK;
    ff_op *op = ff__claim_build(w->c, w->o.claim, &st);
    if (op == NULL) return;
    w->claiming = 1;
    if (ff__op_submit_internal(op, on_claimed, w) != FF_OK) w->claiming = 0;
}

static void on_poll(uv_timer_t *t) {
    ff_worker *w = t->data;
    atomic_fetch_add(&w->stats[W_POLLS], 1);
    try_claim(w);
}

/* ------------------------------------------------------------ registry */

static void on_beat(ff_op *op, void *ud) {
    ff_worker *w = ud;
    w->reg_in_flight = 0;
    /* a failed heartbeat is retried soon; the worker claims regardless */
    w->next_beat = uv_now(&w->c->loop) + (ff_op_status(op) == FF_OK ? REG_BEAT_MS : 1000);
    if (w->stopping) maybe_finish_stop(w);
}

static void beat(ff_worker *w) {
    if (w->reg_in_flight || w->stopping) return;
    int st = FF_OK;
    ff_op *op = ff__worker_register_claimant(w->c, w->o.claim, w->o.concurrency, REG_TTL_MS, &st);
    if (op == NULL) {
        w->next_beat = uv_now(&w->c->loop) + 1000;
        return;
    }
    w->reg_in_flight = 1;
    if (ff__op_submit_internal(op, on_beat, w) != FF_OK) w->reg_in_flight = 0;
}

/* A clean stop: out of the registry at once (it claims nothing more), so
 * work only it could run is route-blocked rather than skipped. No callback:
 * the worker may be gone when it completes. */
static void deregister(ff_worker *w) {
    int st = FF_OK;
    ff_op *op = ff__worker_dead_build(w->c, ff__claim_opts_worker(w->o.claim), &st);
    if (op == NULL) return;
    op->allow_detached = 1;
    ff__op_submit(op, NULL, NULL, NULL);
}

/* ------------------------------------------------------------- renewal */

static int lease_gone(int st) {
    return st == FF_STALE_LEASE || st == FF_LEASE_EXPIRED || st == FF_LEASE_REVOKED || st == FF_EXECUTION_NOT_ACTIVE ||
           st == FF_EXECUTION_NOT_FOUND || st == FF_FENCE_REQUIRED;
}

static void on_renewed(ff_op *op, void *ud) {
    ff_task *t = ud;
    ff_worker *w = t->w;
    t->renew_in_flight = 0;
    int st = ff_op_status(op);
    uint64_t now = uv_now(&w->c->loop);
    if (st == FF_OK) {
        atomic_fetch_add(&w->stats[W_RENEWALS], 1);
        t->next_renew = now + (uint64_t)(w->o.ttl_ms / 3);
    } else {
        atomic_fetch_add(&w->stats[W_RENEW_FAILURES], 1);
        if (lease_gone(st)) {
            int expected = 0;
            if (atomic_compare_exchange_strong(&t->lost, &expected, st)) atomic_fetch_add(&w->stats[W_LOST], 1);
        } else {
            t->next_renew = now + 500; /* transport trouble: try again soon */
        }
    }
    task_unref(t);
}

static void on_renew_timer(uv_timer_t *timer) {
    ff_worker *w = timer->data;
    uint64_t now = uv_now(&w->c->loop);
    if (now >= w->next_beat) beat(w);
    for (ff_task *t = w->tasks; t; t = t->next) {
        if (t->renew_in_flight || now < t->next_renew || atomic_load(&t->finishing) || atomic_load(&t->lost)) continue;
        int st = FF_OK;
        ff_op *op = ff__renew_build(w->c, t->claim, &st);
        if (op == NULL) continue;
        t->renew_in_flight = 1;
        atomic_fetch_add(&t->refs, 1);
        if (ff__op_submit_internal(op, on_renewed, t) != FF_OK) {
            t->renew_in_flight = 0;
            task_unref(t);
        }
    }
    /* Graceful stop: when the grace period is over, release what is left. */
    if (w->stopping && now >= w->stop_deadline) {
        for (ff_task *t = w->tasks; t; t = t->next) {
            int expected = 0;
            if (atomic_load(&t->finishing) || !atomic_compare_exchange_strong(&t->lost, &expected, FF_ECANCELED))
                continue;
            int st = FF_OK;
            ff_op *op = ff__delay_build(w->c, t->claim, 0, &st);
            if (op) {
                op->allow_detached = 1;
                ff__op_submit(op, NULL, NULL, NULL);
                atomic_fetch_add(&w->stats[W_RELEASED], 1);
            }
        }
        /* Released tasks free their slot now; the handler, if it still runs,
         * gets ECANCELED from its finishing call. */
        ff_task *t = w->tasks;
        while (t) {
            ff_task *next = t->next;
            if (atomic_load(&t->lost) == FF_ECANCELED && !atomic_load(&t->finishing)) task_leave(t);
            t = next;
        }
    }
}

/* --------------------------------------------------------- subscription */

static int serves_lane(const ff_worker *w, const char *lane, size_t len) {
    for (size_t i = 0; i < w->o.nlanes; i++)
        if (strlen(w->o.lanes[i]) == len && memcmp(w->o.lanes[i], lane, len) == 0) return 1;
    return 0;
}

/* A message names the lane that got work on that partition; the partition
 * may hold lanes this worker does not serve. A (re)subscription means
 * wake-ups may have been missed: claim now. */
static void on_wake(void *ud, int event, const char *chan, size_t chan_len, const char *data, size_t len) {
    (void)chan;
    (void)chan_len;
    ff_worker *w = ud;
    if (event == FF__SUB_MESSAGE) {
        if (!serves_lane(w, data, len)) return;
        atomic_fetch_add(&w->stats[W_WAKEUPS], 1);
    }
    try_claim(w);
}

/* Subscribe to the wake-up channel of every partition the worker's lanes
 * live on (each lane shard maps to one partition). */
static void sub_start(ff_worker *w) {
    uint32_t parts = ff_client_partitions(w->c), shards = atomic_load(&w->c->lane_shards);
    uint8_t *seen = calloc(parts ? parts : 1, 1);
    w->sub = seen ? ff__sub_new(w->c, on_wake, w) : NULL;
    for (size_t i = 0; w->sub && i < w->o.nlanes; i++) {
        for (uint32_t k = 0; k < (shards ? shards : 1); k++) {
            uint32_t p = ff__lane_partition(w->o.lanes[i], k, parts);
            if (seen[p]) continue;
            seen[p] = 1;
            char chan[48];
            ff__chan_wake(chan, sizeof chan, p);
            ff__sub_add(w->sub, chan); /* OOM: the fallback poll still finds the work */
        }
    }
    free(seen);
}

/* -------------------------------------------------------- start / stop */

static void start_on_loop(ff_client *c, void *arg) {
    ff_worker *w = arg;
    uv_timer_init(&c->loop, &w->poll_timer);
    uv_timer_init(&c->loop, &w->renew_timer);
    w->poll_timer.data = w->renew_timer.data = w;
    w->handles_open = 2;
    w->started = 1;
    uint64_t tick = (uint64_t)(w->o.ttl_ms / 6);
    if (tick < 50) tick = 50;
    uv_timer_start(&w->renew_timer, on_renew_timer, tick, tick);
    uv_timer_start(&w->poll_timer, on_poll, (uint64_t)w->o.poll_ms, (uint64_t)w->o.poll_ms);
    sub_start(w);
    beat(w);
    try_claim(w);
}

int ff_worker_start(ff_worker *w) {
    if (w == NULL) return ff__check_ptr("worker", w);
    if (ff__on_io_thread(w->c)) return ff__fail(FF_EINVAL, "%s called from the client's I/O thread (a callback): it would deadlock", __func__);
    if (w->started) return FF_OK;
    if (w->o.engine && w->engine == NULL) {
        int st = ff_engine_start(&w->engine, w->c, w->o.engine_opts);
        if (st != FF_OK) return st;
    }
    return ff__io_call(w->c, start_on_loop, w);
}

static void on_handle_closed(uv_handle_t *h) {
    ff_worker *w = h->data;
    if (--w->handles_open == 0) {
        pthread_mutex_lock(&w->pull_mu);
        atomic_store(&w->stopped, 1);
        if (w->o.pull) pull_fd_signal(w); /* stays readable: next_task answers FF_ECLOSED */
        pthread_cond_broadcast(&w->pull_cv); /* ff_worker_next_task returns FF_ECLOSED */
        pthread_mutex_unlock(&w->pull_mu);
    }
}

static void maybe_finish_stop(ff_worker *w) {
    if (!w->stopping || w->slots_used > 0 || w->claiming || w->early_finishing > 0 || w->handles_open == 0 ||
        w->reg_in_flight)
        return;
    if (uv_is_closing((uv_handle_t *)&w->poll_timer)) return;
    ff__sub_free(w->sub);
    w->sub = NULL;
    uv_close((uv_handle_t *)&w->poll_timer, on_handle_closed);
    uv_close((uv_handle_t *)&w->renew_timer, on_handle_closed);
}

typedef struct stop_arg {
    ff_worker *w;
    int64_t grace_ms;
} stop_arg;

static void stop_on_loop(ff_client *c, void *arg) {
    stop_arg *s = arg;
    ff_worker *w = s->w;
    if (!w->started) {
        atomic_store(&w->stopped, 1);
        return;
    }
    uint64_t deadline = uv_now(&c->loop) + (uint64_t)(s->grace_ms > 0 ? s->grace_ms : 0);
    if (!w->stopping) {
        w->stopping = 1;
        w->stop_deadline = deadline;
        deregister(w);
        uv_timer_stop(&w->poll_timer);
        if (s->grace_ms <= 0) on_renew_timer(&w->renew_timer);
    } else if (deadline < w->stop_deadline && !uv_is_closing((uv_handle_t *)&w->renew_timer)) {
        /* A later stop may shorten the grace period (e.g. a second Ctrl-C). */
        w->stop_deadline = deadline;
        if (s->grace_ms <= 0) on_renew_timer(&w->renew_timer);
    }
    maybe_finish_stop(w);
}

int ff_worker_stop(ff_worker *w, int64_t grace_ms) {
    if (w == NULL) return ff__check_ptr("worker", w);
    if (ff__on_io_thread(w->c)) return ff__fail(FF_EINVAL, "%s called from the client's I/O thread (a callback): it would deadlock", __func__);
    stop_arg s = {w, grace_ms};
    return ff__io_call(w->c, stop_on_loop, &s);
}

int32_t ff_worker_stopped(const ff_worker *w) { return w ? atomic_load(&((ff_worker *)w)->stopped) : 1; }

int ff_worker_run(ff_worker *w, uint64_t max_tasks, int64_t idle_timeout_ms) {
    if (w == NULL) return ff__check_ptr("worker", w);
    if (ff__on_io_thread(w->c)) return ff__fail(FF_EINVAL, "%s called from the client's I/O thread (a callback): it would deadlock", __func__);
    int st = ff_worker_start(w);
    if (st != FF_OK) return st;
    uint64_t base = atomic_load(&w->stats[W_FINISHED]);
    int stopping = 0;
    struct pollfd pfd = {ff_client_fd(w->c), POLLIN, 0};
    while (!ff_worker_stopped(w)) {
        poll(&pfd, 1, 50);
        ff_client_dispatch(w->c, 0);
        if (stopping) continue;
        int done = max_tasks > 0 && atomic_load(&w->stats[W_FINISHED]) - base >= max_tasks;
        int idle = idle_timeout_ms > 0 && atomic_load(&w->in_flight) == 0 &&
                   mono_ms() - atomic_load(&w->last_activity_ms) >= idle_timeout_ms;
        if (done || idle) {
            ff_worker_stop(w, w->o.ttl_ms);
            stopping = 1;
        }
    }
    ff_client_dispatch(w->c, 0);
    return FF_OK;
}

void ff_worker_free(ff_worker *w) {
    if (w == NULL) return;
    if (w->started && !ff_worker_stopped(w)) {
        ff_worker_stop(w, 0);
        while (!ff_worker_stopped(w)) {
            struct pollfd pfd = {ff_client_fd(w->c), POLLIN, 0};
            poll(&pfd, 1, 20);
            ff_client_dispatch(w->c, 0);
        }
    }
    ff_engine_stop(w->engine);
    /* Make sure no callback referring to the worker is still queued. */
    ff__io_call(w->c, NULL, NULL);
    ff_client_dispatch(w->c, 0);
    /* Tasks never pulled: the stop released them (their slots are free);
     * drop the reference the queue held. */
    while (w->pull_head) {
        ff_task *t = w->pull_head;
        w->pull_head = t->pnext;
        task_unref(t);
    }
    pthread_mutex_destroy(&w->pull_mu);
    pthread_cond_destroy(&w->pull_cv);
    if (w->pull_r >= 0) {
        close(w->pull_r);
        close(w->pull_w);
    }
    ff_claim_opts_free(w->o.claim);
    ff_engine_opts_free(w->o.engine_opts);
    for (size_t i = 0; i < w->o.nlanes; i++) free(w->o.lanes[i]);
    for (size_t i = 0; i < w->nhandlers; i++) free(w->handlers[i].kind);
    free(w->handlers);
    free(w);
}

int ff_worker_stats_json(const ff_worker *w, char **out) {
    if (w == NULL || out == NULL) return FF_EINVAL;
    json_t *o = json_object();
    for (int i = 0; i < W_N; i++)
        json_object_set_new(o, k_wstat[i], json_integer((json_int_t)atomic_load(&((ff_worker *)w)->stats[i])));
    json_object_set_new(o, "in_flight", json_integer(atomic_load(&((ff_worker *)w)->in_flight)));
    *out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return *out ? FF_OK : FF_ENOMEM;
}

const char *ff_worker_instance_id(const ff_worker *w) {
    return w ? ff__claim_opts_instance(w->o.claim) : "";
}

/* ------------------------------------------------------------ pull mode */

int ff_worker_next_fd(const ff_worker *w) { return w ? w->pull_r : -1; }

int ff_worker_next_task(ff_worker *w, ff_task **task, int64_t timeout_ms) {
    if (task) *task = NULL;
    if (w == NULL || task == NULL) return ff__fail(FF_EINVAL, "ff_worker_next_task: %s is NULL", w ? "task" : "worker");
    if (!w->o.pull) return ff__fail(FF_EINVAL, "ff_worker_next_task: the worker was not created in pull mode "
                                               "(ff_worker_opts_set_pull)");
    if (ff__on_io_thread(w->c)) return ff__fail(FF_EINVAL, "%s called from the client's I/O thread: it would deadlock", __func__);
    struct timespec ts;
    if (timeout_ms > 0) {
        ts = ff__realtime_after_ms(timeout_ms);
    }
    int st = FF_EAGAIN;
    pthread_mutex_lock(&w->pull_mu);
    for (;;) {
        ff_task *t = w->pull_head;
        if (t != NULL) {
            w->pull_head = t->pnext;
            if (w->pull_head == NULL) w->pull_tail = NULL;
            t->pnext = NULL;
            if (atomic_load(&t->lost)) {
                /* Released or lost before anyone pulled it (as a handler
                 * that never got to run): nothing to hand out. */
                int expected = 0;
                if (atomic_compare_exchange_strong(&t->finishing, &expected, 1)) task_done_async(t);
                continue;
            }
            *task = t;
            st = FF_OK;
            break;
        }
        if (atomic_load(&w->stopped)) {
            st = FF_ECLOSED;
            break;
        }
        if (timeout_ms == 0) break;
        if (timeout_ms < 0)
            pthread_cond_wait(&w->pull_cv, &w->pull_mu);
        else if (pthread_cond_timedwait(&w->pull_cv, &w->pull_mu, &ts) == ETIMEDOUT && w->pull_head == NULL)
            break;
    }
    if (w->pull_head == NULL && !atomic_load(&w->stopped)) pull_fd_drain(w);
    pthread_mutex_unlock(&w->pull_mu);
    return st;
}

/* ------------------------------------------------------ task finishing */

const ff_claim *ff_task_claim(const ff_task *t) { return t ? t->claim : NULL; }
int ff_task_lost(const ff_task *t) { return t ? atomic_load(&((ff_task *)t)->lost) : FF_EINVAL; }
void *ff_task_userdata(const ff_task *t) { return (t && t->h) ? t->h->ud : NULL; }

typedef struct finish_hook {
    ff_task *t;
    int stat;
    int early; /* the task left its slot when the call was sent */
} finish_hook;

/* I/O thread: the task's finishing call is over (sent and answered, or
 * short-circuited). Frees the slot if still held and drops the handler's
 * reference. */
static void task_done_on_loop(ff_task *t) {
    if (t->in_slot) task_leave(t);
    task_unref(t);
}

static void task_done_local(ff_client *c, void *arg) {
    (void)c;
    task_done_on_loop(arg);
}

/* Schedule task_done_on_loop from any thread (also the I/O thread itself:
 * inline handlers), without waiting. */
static void task_done_async(ff_task *t) {
    ff_op *op = ff__op_new(t->w->c, NULL);
    if (op == NULL) return; /* leaks one task under OOM rather than crash */
    op->local_fn = task_done_local;
    op->local_arg = t;
    op->allow_detached = 1;
    ff__op_submit(op, NULL, NULL, NULL);
}

static void on_finish_done(ff_op *op) {
    finish_hook *h = op->hook_arg;
    ff_task *t = h->t;
    ff_worker *w = t->w;
    int st = op->status;
    if (h->early) w->early_finishing--;
    if (st == FF_OK) {
        atomic_fetch_add(&w->stats[h->stat], 1);
    } else if (lease_gone(st)) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&t->lost, &expected, st)) atomic_fetch_add(&w->stats[W_LOST], 1);
    }
    int kept = h->stat == W_SUSPENDED &&
               ((st == FF_OK && op->text && strcmp(op->text, "already_satisfied") == 0) ||
                (st != FF_OK && !lease_gone(st)));
    if (kept) {
        /* Buffered signals already satisfied the condition (the lease was
         * kept), or the suspend was refused without losing the lease (e.g. a
         * condition naming an unknown key): the task goes on and still owes
         * a finishing call. */
        if (st == FF_OK) atomic_fetch_sub(&w->stats[W_SUSPENDED], 1);
        free(h);
        op->hook_arg = NULL;
        atomic_store(&t->finishing, 0);
        return;
    }
    atomic_fetch_add(&w->stats[W_FINISHED], 1);
    int early = h->early;
    free(h);
    op->hook_arg = NULL;
    task_done_on_loop(t);
    if (early && w->stopping) maybe_finish_stop(w);
}

/* I/O thread, the start of a call that ends its task for good (complete,
 * fail, cancel, delay, release): send it, then free the task's slot at once
 * instead of when the answer comes, so the claim that refills the slot goes
 * out right behind it on the same connection. The server runs them in that
 * order: a flow member the call releases is already claimable for that
 * claim, and a worker of concurrency 1 pays one round trip per task instead
 * of two. The handler is done with the task; only the answer is pending. */
static void finish_io_start(ff_op *op) {
    finish_hook *h = op->hook_arg;
    ff__op_resume(op);
    if (h == NULL || !h->t->in_slot) return;
    h->early = 1;
    h->t->w->early_finishing++;
    task_leave(h->t);
}

static int finish_task(ff_task *t, ff_op *op, int st, int stat, ff_op_cb cb, void *ud, ff_op **out) {
    if (t == NULL) {
        if (op) ff__op_discard(op);
        return FF_EINVAL;
    }
    if (op == NULL) return st;
    if (cb != NULL && out != NULL) {
        /* A bad call must not consume the task's one finishing call. */
        ff__op_discard(op);
        return ff__fail(FF_EINVAL, "pass either a callback or an out pointer, not both");
    }
    int expected = 0;
    if (!atomic_compare_exchange_strong(&t->finishing, &expected, 1)) {
        ff__op_discard(op);
        return ff__fail(FF_EINVAL, "task %s: a finishing call (complete/fail/cancel/delay/release/suspend) was "
                                   "already made",
                        t->claim && t->claim->execution_id ? t->claim->execution_id : "?");
    }
    int lost = atomic_load(&t->lost);
    if (lost) {
        /* Don't send a write the server will refuse, or one that would act
         * on an execution this worker already gave back. */
        ff__op_discard(op);
        atomic_fetch_add(&t->w->stats[W_FINISHED], 1);
        task_done_async(t);
        return lost;
    }
    finish_hook *h = malloc(sizeof *h);
    if (h == NULL) {
        ff__op_discard(op);
        atomic_store(&t->finishing, 0);
        return FF_ENOMEM;
    }
    h->t = t;
    h->stat = stat;
    h->early = 0;
    op->hook_arg = h;
    op->on_io_done = on_finish_done;
    /* a suspend may keep the task ("already_satisfied"): its slot waits */
    if (stat != W_SUSPENDED) op->io_start = finish_io_start;
    op->allow_detached = 1;
    /* The hook runs for every outcome, including FF_ECANCELED at shutdown. */
    return ff__op_submit(op, cb, ud, out);
}

int ff_task_complete(ff_task *t, const void *result, size_t len, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_COMPLETE);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__complete_build(t->w->c, t->claim, result, len, &st) : NULL;
    return finish_task(t, op, st, W_COMPLETED, cb, ud, out);
}

int ff_task_fail(ff_task *t, const char *reason, const char *category, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_FAIL);
    return ff_task_fail_with(t, reason, category, 0, cb, ud, out);
}

int ff_task_fail_with(ff_task *t, const char *reason, const char *category, uint32_t flags, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_FAIL_WITH);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__fail_build(t->w->c, t->claim, reason, category, flags, &st) : NULL;
    return finish_task(t, op, st, W_FAILED, cb, ud, out);
}

int ff_task_cancel(ff_task *t, const char *reason, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_CANCEL);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__cancel_build(t->w->c, t->claim, reason, &st) : NULL;
    return finish_task(t, op, st, W_CANCELLED, cb, ud, out);
}

int ff_task_delay(ff_task *t, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_DELAY);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__delay_build(t->w->c, t->claim, delay_until_ms, &st) : NULL;
    return finish_task(t, op, st, W_DELAYED, cb, ud, out);
}

int ff_task_release(ff_task *t, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_RELEASE);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__delay_build(t->w->c, t->claim, 0, &st) : NULL;
    return finish_task(t, op, st, W_RELEASED, cb, ud, out);
}

int ff_task_rate_limited(ff_task *t, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_RATE_LIMITED);
    int st = FF_EINVAL;
    ff_op *op = t ? ff__rate_limited_build(t->w->c, t->claim, until_ms, &st) : NULL;
    return finish_task(t, op, st, W_DELAYED, cb, ud, out);
}

int ff_task_progress(ff_task *t, int32_t percent, const char *message, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_PROGRESS);
    if (t == NULL) return ff__check_ptr("task", t);
    if (atomic_load(&t->lost)) return atomic_load(&t->lost);
    int st = FF_OK;
    ff_op *op = ff__progress_build(t->w->c, t->claim, percent, message, &st);
    if (op == NULL) return st;
    op->allow_detached = 1;
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------- output streams */

static int task_append(ff_task *t, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out) {
    if (t == NULL) return ff__check_ptr("task", t);
    if (atomic_load(&t->lost)) return atomic_load(&t->lost);
    int st = FF_OK;
    ff_op *op = ff__append_build(t->w->c, t->claim, f, &st);
    if (op == NULL) return st;
    op->allow_detached = 1;
    return ff__op_submit(op, cb, ud, out);
}

int ff_task_emit(ff_task *t, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_EMIT);
    return task_append(t, f, cb, ud, out);
}

/* A frame of @p type and @p mode holding the C string @p text. */
static int task_append_text(ff_task *t, const char *type, const char *mode, const char *what, const char *text,
                            ff_op_cb cb, void *ud, ff_op **out) {
    if (t == NULL) return ff__check_ptr("task", t);
    if (text == NULL) return ff__check_ptr(what, text);
    if (atomic_load(&t->lost)) return atomic_load(&t->lost);
    int st = FF_OK;
    ff_op *op = ff__append_text_build(t->w->c, t->claim, type, mode, text, &st);
    if (op == NULL) return st;
    op->allow_detached = 1;
    return ff__op_submit(op, cb, ud, out);
}

int ff_task_log(ff_task *t, const char *text, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_LOG);
    return task_append_text(t, "log", "durable", "log text", text, cb, ud, out);
}

int ff_task_summary(ff_task *t, const char *patch, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_SUMMARY);
    return task_append_text(t, "summary", "summary", "summary patch", patch, cb, ud, out);
}

/* -------------------------------------------------------------- budgets */

/* I/O thread, when the report ends: remember a breach on the task. */
static void note_breach(ff_op *op) {
    ff_task *t = op->hook_arg;
    if (op->status == FF_OK && op->text) {
        int level = strcmp(op->text, "hard_breach") == 0   ? FF_TASK_BUDGET_HARD
                    : strcmp(op->text, "soft_breach") == 0 ? FF_TASK_BUDGET_SOFT
                                                           : 0;
        int cur = atomic_load(&t->budget_breached);
        while (level > cur && !atomic_compare_exchange_weak(&t->budget_breached, &cur, level)) {
        }
    }
    task_unref(t);
}

int ff_task_report_usage(ff_task *t, const char *budget_id, const char *const *dimensions, const int64_t *deltas,
                         size_t n, const char *dedup_key, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_REPORT_USAGE);
    if (t == NULL) return ff__check_ptr("task", t);
    if (atomic_load(&t->lost)) return atomic_load(&t->lost);
    int st = FF_OK;
    ff_op *op = ff__report_usage_build(t->w->c, t->claim, budget_id, dimensions, deltas, n, dedup_key, &st);
    if (op == NULL) return st;
    op->allow_detached = 1;
    op->on_io_done = note_breach;
    op->hook_arg = t;
    atomic_fetch_add(&t->refs, 1); /* until note_breach */
    st = ff__op_submit(op, cb, ud, out);
    if (st != FF_OK) task_unref(t);
    return st;
}

int32_t ff_task_budget_breached(const ff_task *t) {
    return t ? atomic_load(&((ff_task *)t)->budget_breached) : 0;
}

/* ------------------------------------------------- suspension and signals */

int ff_task_suspend(ff_task *t, const ff_suspend_spec *s, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_SUSPEND);
    /* The outcome decides whether the task goes on ("already_satisfied"), so
     * the caller must receive it. */
    if (cb == NULL && out == NULL)
        return ff__fail(FF_EINVAL, "ff_task_suspend: needs a callback or an out pointer (the outcome decides "
                                   "whether the task goes on)");
    int st = FF_EINVAL;
    ff_op *op = t ? ff__suspend_build(t->w->c, t->claim, s, &st) : NULL;
    return finish_task(t, op, st, W_SUSPENDED, cb, ud, out);
}

int ff_task_wait_children(ff_task *t, int64_t timeout_ms, const char *behavior, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_WAIT_CHILDREN);
    /* as for ff_task_suspend: the outcome decides whether the task goes on */
    if (cb == NULL && out == NULL)
        return ff__fail(FF_EINVAL, "ff_task_wait_children: needs a callback or an out pointer (the outcome "
                                   "decides whether the task goes on)");
    int st = FF_EINVAL;
    ff_op *op = t ? ff__wait_children_build(t->w->c, t->claim, timeout_ms, behavior, &st) : NULL;
    return finish_task(t, op, st, W_SUSPENDED, cb, ud, out);
}

int ff_task_create_waitpoint(ff_task *t, const char *key, int64_t expires_in_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_CREATE_WAITPOINT);
    if (t == NULL) return ff__check_ptr("task", t);
    if (atomic_load(&t->lost)) return atomic_load(&t->lost);
    int st = FF_OK;
    ff_op *op = ff__create_waitpoint_build(t->w->c, t->claim, key, expires_in_ms, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

int ff_task_observe_signals(ff_task *t, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_TASK_OBSERVE_SIGNALS);
    if (t == NULL) return ff__check_ptr("task", t);
    int st = FF_OK;
    ff_op *op = ff__observe_build(t->w->c, t->claim, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}
