/* The engine: sweeps each of its partitions when the partition's earliest
 * timer is due, learns of earlier timers from ff:due:{fp:N} messages, and
 * splits the partitions with the other live engines of the registry.
 * Runs entirely on the client's I/O thread.
 *
 * Per partition it keeps one due time (loop clock). A sweep returns the
 * partition's next due time and writes it into the partition's due record;
 * every later transition that creates an earlier timer updates the record
 * and publishes it (lua X.due), and the message moves the due time here.
 * So nothing is swept while nothing is due: an idle engine costs its
 * heartbeat.
 *
 * Budget partition {b:N} (lua/budget.lua) belongs to the engine that owns
 * {fp:N}; its due time is the earliest scheduled budget reset, learnt from
 * the ff_budget_sweep reply and from ff:due:{b:N} messages (a budget's first
 * reset), and its sweep rides in the same pipelined op as the execution
 * sweeps. */
#include "flowfabric/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "client/pubsub.h"
#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "engine/engine_int.h"

#define NONE UINT64_MAX
#define RETRY_MS 1000 /* after a failed sweep of a partition */

struct ff_engine_opts {
    int64_t tick_ms;
    uint32_t batch;
    int64_t retention_ms;
    int64_t owner_ttl_ms;
    char id[80];
};

enum {
    CNT_TICKS, CNT_LEASES, CNT_PROMOTED, CNT_TIMEOUTS, CNT_DEADLINES, CNT_RETAINED, CNT_REPAIRED, CNT_ERRORS,
    CNT_SUSP_TIMEOUTS, CNT_WP_EXPIRED, CNT_SWEEPS, CNT_HEARTBEATS, CNT_BUDGET_RESETS, CNT_BUDGET_PROPAGATIONS,
    CNT_N
};
static const char *const k_counter_names[CNT_N] = {
    "ticks",  "leases_expired",      "promoted",           "attempt_timeouts", "deadlines_expired",
    "retained_deleted", "repaired",  "errors",             "suspension_timeouts", "waitpoints_expired",
    "sweeps", "heartbeats",       "budget_resets",      "budget_propagations"};

struct ff_engine {
    ff_client *c;
    struct ff_engine_opts o;
    uint32_t partitions;
    uint64_t beat_ms;

    /* I/O thread only */
    uint8_t *owned;
    uint8_t *in_flight;
    uint64_t *due;     /* loop ms of the partition's next sweep, NONE = nothing due */
    uint64_t *msg_due; /* earliest due announced while its sweep was in flight */
    uint64_t *last;    /* loop ms of the partition's last sweep */
    /* the same four for budget partition {b:N} (its resets) */
    uint8_t *b_in_flight;
    uint64_t *bdue, *bmsg_due, *blast;
    int64_t clock_offset; /* server ms - loop ms, from the last reply */
    int clock_known;
    char *info_sent;   /* info JSON of the last successful heartbeat */
    ff__sub *sub;
    uv_timer_t beat_timer, sweep_timer;
    int refs; /* owner + 2 timers + in-flight ops */
    int beat_in_flight;
    int stopping;

    _Atomic uint32_t owned_count;
    _Atomic uint32_t live;
    _Atomic int64_t last_tick_ms;
    _Atomic uint64_t counters[CNT_N];
};

/* ---------------------------------------------------------------- opts */

int ff_engine_opts_new(ff_engine_opts **out) {
    if (out == NULL) return FF_EINVAL;
    ff_engine_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return FF_ENOMEM;
    o->tick_ms = 10;
    o->batch = 200;
    o->retention_ms = 24LL * 3600 * 1000;
    o->owner_ttl_ms = 6000;
    char u[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(u) != 0) {
        free(o);
        return FF_ESYS;
    }
    snprintf(o->id, sizeof o->id, "engine-%s", u);
    *out = o;
    return FF_OK;
}

void ff_engine_opts_free(ff_engine_opts *o) { free(o); }

ff_engine_opts *ff__engine_opts_clone(const ff_engine_opts *o) {
    ff_engine_opts *c = malloc(sizeof *c);
    if (c) *c = *o;
    return c;
}

int ff_engine_opts_set_tick_ms(ff_engine_opts *o, int64_t ms) {
    int st = o ? ff__check_range("engine tick ms", ms, 1, 60000) : ff__check_ptr("engine options", o);
    if (st != FF_OK) return st;
    o->tick_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_batch(ff_engine_opts *o, uint32_t n) {
    int st = o ? ff__check_range("engine batch", n, 1, 1000) : ff__check_ptr("engine options", o);
    if (st != FF_OK) return st;
    o->batch = n;
    return FF_OK;
}

int ff_engine_opts_set_retention_ms(ff_engine_opts *o, int64_t ms) {
    int st = o ? ff__check_range("engine retention ms", ms, 0, INT64_MAX) : ff__check_ptr("engine options", o);
    if (st != FF_OK) return st;
    o->retention_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_ownership_ttl_ms(ff_engine_opts *o, int64_t ms) {
    int st = o ? ff__check_range("engine ownership ttl ms", ms, 100, 600000) : ff__check_ptr("engine options", o);
    if (st != FF_OK) return st;
    o->owner_ttl_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_engine_id(ff_engine_opts *o, const char *id) {
    int st = o ? ff__check_ptr("engine id", id) : ff__check_ptr("engine options", o);
    if (st != FF_OK) return st;
    if (id[0] == '\0' || strlen(id) >= sizeof o->id)
        return ff__fail(FF_EINVAL, "engine id: expected 1..%zu bytes", sizeof o->id - 1);
    for (const char *p = id; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return ff__fail(FF_EINVAL, "engine id: no spaces or control bytes (byte 0x%02x at offset %zu)",
                            (unsigned)(unsigned char)*p, (size_t)(p - id));
    snprintf(o->id, sizeof o->id, "%s", id);
    return FF_OK;
}

/* --------------------------------------------------------------- state */

static void engine_free(ff_engine *e) {
    free(e->owned);
    free(e->in_flight);
    free(e->due);
    free(e->msg_due);
    free(e->last);
    free(e->b_in_flight);
    free(e->bdue);
    free(e->bmsg_due);
    free(e->blast);
    free(e->info_sent);
    free(e);
}

static void engine_unref(ff_engine *e) {
    if (--e->refs == 0) engine_free(e);
}

static uint64_t loop_now(ff_engine *e) {
    uv_update_time(&e->c->loop);
    return uv_now(&e->c->loop);
}

static void learn_clock(ff_engine *e, int64_t server_now) {
    e->clock_offset = server_now - (int64_t)loop_now(e);
    e->clock_known = 1;
}

/* Loop time at which a server-clock due time has passed. The +1 ms absorbs
 * the millisecond truncation of both clocks, so the sweep never arrives a
 * hair early (and finds nothing due yet). */
static uint64_t to_loop(ff_engine *e, int64_t server_ms) {
    uint64_t now = loop_now(e);
    if (!e->clock_known) return now;
    int64_t t = server_ms - e->clock_offset + 1;
    return t <= (int64_t)now ? now : (uint64_t)t;
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Loop time at which partition p may be swept next (NONE: not at all). The
 * tick is the shortest interval between two sweeps of one partition, so a
 * stream of timers due a millisecond apart costs a sweep per tick, not per
 * timer. */
static uint64_t sweep_at(const ff_engine *e, uint32_t p) {
    if (!e->owned[p] || e->in_flight[p] || e->due[p] == NONE) return NONE;
    uint64_t gap = e->last[p] ? e->last[p] + (uint64_t)e->o.tick_ms : 0;
    return e->due[p] > gap ? e->due[p] : gap;
}

/* sweep_at for budget partition p. */
static uint64_t bsweep_at(const ff_engine *e, uint32_t p) {
    if (!e->owned[p] || e->b_in_flight[p] || e->bdue[p] == NONE) return NONE;
    uint64_t gap = e->blast[p] ? e->blast[p] + (uint64_t)e->o.tick_ms : 0;
    return e->bdue[p] > gap ? e->bdue[p] : gap;
}

static void on_sweep_timer(uv_timer_t *t);

static void arm_sweeps(ff_engine *e) {
    if (e->stopping) return;
    uint64_t next = NONE;
    for (uint32_t p = 0; p < e->partitions; p++) next = min64(next, min64(sweep_at(e, p), bsweep_at(e, p)));
    if (next == NONE) {
        uv_timer_stop(&e->sweep_timer);
        return;
    }
    uint64_t now = uv_now(&e->c->loop);
    uv_timer_start(&e->sweep_timer, on_sweep_timer, next > now ? next - now : 0, 0);
}

/* Partition p must be swept no later than loop time t. */
static void due_by(ff_engine *e, uint32_t p, uint64_t t) {
    if (e->in_flight[p])
        e->msg_due[p] = min64(e->msg_due[p], t); /* its reply may predate what made it due */
    else
        e->due[p] = min64(e->due[p], t);
}

/* Budget partition p must be swept no later than loop time t. */
static void bdue_by(ff_engine *e, uint32_t p, uint64_t t) {
    if (e->b_in_flight[p])
        e->bmsg_due[p] = min64(e->bmsg_due[p], t);
    else
        e->bdue[p] = min64(e->bdue[p], t);
}

/* -------------------------------------------------------------- stats */

static json_t *stats_object(const ff_engine *e, int volatile_too) {
    json_t *o = json_object();
    json_object_set_new(o, "engine_id", json_string(e->o.id));
    json_object_set_new(o, "owned_partitions", json_integer(atomic_load(&e->owned_count)));
    json_object_set_new(o, "live_engines", json_integer(atomic_load(&e->live)));
    for (int i = 0; i < CNT_N; i++) {
        if (!volatile_too && (i == CNT_TICKS || i == CNT_HEARTBEATS)) continue;
        json_object_set_new(o, k_counter_names[i], json_integer((json_int_t)atomic_load(&e->counters[i])));
    }
    if (volatile_too) json_object_set_new(o, "last_tick_ms", json_integer(atomic_load(&e->last_tick_ms)));
    json_object_set_new(o, "tick_ms", json_integer(e->o.tick_ms));
    json_object_set_new(o, "ttl_ms", json_integer(e->o.owner_ttl_ms));
    json_object_set_new(o, "heartbeat_ms", json_integer((json_int_t)e->beat_ms));
    return o;
}

static char *stats_json(const ff_engine *e, int volatile_too) {
    json_t *o = stats_object(e, volatile_too);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static void tick_done(ff_engine *e, int64_t server_now) {
    atomic_fetch_add(&e->counters[CNT_TICKS], 1);
    if (server_now > 0) atomic_store(&e->last_tick_ms, server_now);
}

/* -------------------------------------------------------------- sweeps */

typedef struct sweep_ctx {
    ff_engine *e;
    uint32_t *parts; /* partition of command i */
    uint8_t *budget; /* command i is the budget sweep of its partition */
    size_t n;
} sweep_ctx;

static void sweep_ctx_free(void *p) {
    sweep_ctx *t = p;
    if (t) {
        free(t->parts);
        free(t->budget);
    }
    free(t);
}

typedef struct prop_done_ctx {
    ff_engine *e;
    uint32_t p;
} prop_done_ctx;

/* A propagation of budget partition p ended: sweep it again at once (more
 * changes may be queued) or, after a failure, a little later. */
static void on_prop_done(void *ud, int ok) {
    prop_done_ctx *x = ud;
    ff_engine *e = x->e;
    uint32_t p = x->p;
    free(x);
    uint64_t now = uv_now(&e->c->loop);
    e->b_in_flight[p] = 0;
    if (ok) atomic_fetch_add(&e->counters[CNT_BUDGET_PROPAGATIONS], 1);
    else atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
    e->bdue[p] = e->owned[p] ? min64(ok ? now : now + RETRY_MS, e->bmsg_due[p]) : NONE;
    e->bmsg_due[p] = NONE;
    arm_sweeps(e);
    engine_unref(e);
}

/* Start propagating the state changes a budget sweep returned; the
 * partition stays in flight (not swept again) until it ends. 1 = started. */
static int start_propagation(ff_engine *e, uint32_t p, ff_rv *const *items, size_t nitems) {
    prop_done_ctx *x = malloc(sizeof *x);
    if (x == NULL) return 0;
    x->e = e;
    x->p = p;
    e->refs++;
    if (ff__budget_propagate(e->c, p, items, nitems, e->partitions, on_prop_done, x) != FF_OK) {
        e->refs--;
        free(x);
        return 0;
    }
    return 1;
}

/* One budget partition's reply: resets counted, state changes propagated,
 * then when to sweep it again ("" = nothing scheduled: only a ff:due:{b:N}
 * message or a change of ownership brings it back). */
static void take_budget_reply(ff_engine *e, ff_op *op, const ff_rv *reply, uint32_t p, int64_t *server_now) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int64_t v = 0, next = 0;
    uint64_t now = uv_now(&e->c->loop), due = NONE;
    e->b_in_flight[p] = 0;
    if (ff__fcall_result(op, reply, &f, &n) != FF_OK || n < FF_FN_BUDGET_SWEEP_NFIELDS ||
        ff__rv_i64(f[FF_FN_BUDGET_SWEEP_F_NOW_MS], server_now) != 0) {
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        due = now + RETRY_MS;
    } else {
        learn_clock(e, *server_now);
        if (ff__rv_i64(f[FF_FN_BUDGET_SWEEP_F_RESETS], &v) == 0 && v > 0)
            atomic_fetch_add(&e->counters[CNT_BUDGET_RESETS], (uint64_t)v);
        if (ff__rv_is_str(f[FF_FN_BUDGET_SWEEP_F_MORE]) && strcmp(f[FF_FN_BUDGET_SWEEP_F_MORE]->str, "1") == 0)
            due = now;
        else if (ff__rv_i64(f[FF_FN_BUDGET_SWEEP_F_NEXT_DUE_MS], &next) == 0)
            due = to_loop(e, next);
        size_t at = FF_FN_BUDGET_SWEEP_ITEMS_AT, stride = FF_FN_BUDGET_SWEEP_ITEM_STRIDE;
        if (n > at && (n - at) % stride == 0 && e->owned[p] && !e->stopping) {
            if (start_propagation(e, p, f + at, (n - at) / stride)) {
                /* in flight until the propagation ends; its end re-sweeps */
                e->b_in_flight[p] = 1;
                e->bmsg_due[p] = min64(e->bmsg_due[p], due);
                return;
            }
            atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
            due = now + RETRY_MS;
        }
    }
    due = min64(due, e->bmsg_due[p]);
    e->bmsg_due[p] = NONE;
    e->bdue[p] = e->owned[p] ? due : NONE;
}

/* One partition's reply: counters, then when to sweep it again. */
static void take_sweep_reply(ff_engine *e, ff_op *op, const ff_rv *reply, uint32_t p, int64_t *server_now) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int64_t v = 0, next = 0;
    uint64_t now = uv_now(&e->c->loop);
    e->in_flight[p] = 0;
    uint64_t due = NONE;
    if (ff__fcall_result(op, reply, &f, &n) != FF_OK || n <= FF_FN_ENGINE_SWEEP_F_NOW_MS ||
        !ff__rv_is_str(f[FF_FN_ENGINE_SWEEP_F_OUTCOME]) || strcmp(f[FF_FN_ENGINE_SWEEP_F_OUTCOME]->str, "swept") != 0 ||
        ff__rv_i64(f[FF_FN_ENGINE_SWEEP_F_NOW_MS], server_now) != 0) {
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        due = now + RETRY_MS;
    } else {
        learn_clock(e, *server_now);
        /* the six counters from leases_expired to repaired, in counter order */
        _Static_assert(FF_FN_ENGINE_SWEEP_F_REPAIRED - FF_FN_ENGINE_SWEEP_F_LEASES_EXPIRED == 5, "sweep counters");
        for (size_t k = 0; k < 6; k++)
            if (ff__rv_i64(f[k + FF_FN_ENGINE_SWEEP_F_LEASES_EXPIRED], &v) == 0 && v > 0)
                atomic_fetch_add(&e->counters[CNT_LEASES + k], (uint64_t)v);
        if (n > FF_FN_ENGINE_SWEEP_F_WAITPOINTS_EXPIRED) {
            if (ff__rv_i64(f[FF_FN_ENGINE_SWEEP_F_SUSPENSION_TIMEOUTS], &v) == 0 && v > 0)
                atomic_fetch_add(&e->counters[CNT_SUSP_TIMEOUTS], (uint64_t)v);
            if (ff__rv_i64(f[FF_FN_ENGINE_SWEEP_F_WAITPOINTS_EXPIRED], &v) == 0 && v > 0)
                atomic_fetch_add(&e->counters[CNT_WP_EXPIRED], (uint64_t)v);
        }
        if (ff__rv_is_str(f[FF_FN_ENGINE_SWEEP_F_MORE]) && strcmp(f[FF_FN_ENGINE_SWEEP_F_MORE]->str, "1") == 0)
            due = now; /* the budget ran out: more is due now */
        else if (ff__rv_i64(f[FF_FN_ENGINE_SWEEP_F_NEXT_DUE_MS], &next) == 0)
            due = to_loop(e, next);
    }
    due = min64(due, e->msg_due[p]);
    e->msg_due[p] = NONE;
    e->due[p] = e->owned[p] ? due : NONE;
}

static void on_sweeps_done(ff_op *op, void *ud) {
    sweep_ctx *t = ud;
    ff_engine *e = t->e;
    int64_t server_now = 0;
    int ok = ff_op_status(op) == FF_OK;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t p = t->parts[i];
        if (t->budget[i]) {
            if (ok) {
                take_budget_reply(e, op, op->replies[i], p, &server_now);
            } else {
                e->b_in_flight[p] = 0;
                e->bdue[p] = e->owned[p] ? min64(uv_now(&e->c->loop) + RETRY_MS, e->bmsg_due[p]) : NONE;
                e->bmsg_due[p] = NONE;
            }
        } else if (ok) {
            take_sweep_reply(e, op, op->replies[i], p, &server_now);
        } else {
            e->in_flight[p] = 0;
            e->due[p] = e->owned[p] ? min64(uv_now(&e->c->loop) + RETRY_MS, e->msg_due[p]) : NONE;
            e->msg_due[p] = NONE;
        }
    }
    if (ok) {
        atomic_fetch_add(&e->counters[CNT_SWEEPS], t->n);
        tick_done(e, server_now);
    } else {
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
    }
    arm_sweeps(e);
    engine_unref(e);
}

static void on_sweep_timer(uv_timer_t *timer) {
    ff_engine *e = timer->data;
    if (e->stopping) return;
    uint64_t now = loop_now(e);
    sweep_ctx *t = calloc(1, sizeof *t);
    ff_op *op = ff__op_new(e->c, NULL);
    if (t == NULL || op == NULL || (t->parts = calloc(2 * (size_t)e->partitions, sizeof *t->parts)) == NULL ||
        (t->budget = calloc(2 * (size_t)e->partitions, 1)) == NULL) {
        sweep_ctx_free(t);
        if (op) ff__op_discard(op);
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        uv_timer_start(&e->sweep_timer, on_sweep_timer, RETRY_MS, 0);
        return;
    }
    t->e = e;
    op->ctx = t;
    op->ctx_free = sweep_ctx_free;
    for (uint32_t p = 0; p < e->partitions; p++) {
        if (bsweep_at(e, p) <= now) {
            char bkey[48];
            ff__key_budget_resets(bkey, sizeof bkey, p);
            ff__cmd *cmd = ff__op_fcall(op, FF_FN_BUDGET_SWEEP, FF_FN_BUDGET_SWEEP_NKEYS);
            ff__cmd_str(op, cmd, bkey);
            ff__cmd_i64(op, cmd, e->o.batch);
            e->b_in_flight[p] = 1;
            e->blast[p] = now;
            e->bdue[p] = NONE;
            t->budget[t->n] = 1;
            t->parts[t->n++] = p;
        }
        if (sweep_at(e, p) > now) continue;
        char key[48];
        ff__key_due(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_ENGINE_SWEEP, FF_FN_ENGINE_SWEEP_NKEYS);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, e->o.id);
        ff__cmd_i64(op, cmd, e->o.batch);
        ff__cmd_i64(op, cmd, e->o.retention_ms);
        e->in_flight[p] = 1;
        e->last[p] = now;
        e->due[p] = NONE;
        t->parts[t->n++] = p;
    }
    if (t->n == 0) {
        ff__op_discard(op);
    } else {
        e->refs++;
        if (ff__op_submit_internal(op, on_sweeps_done, t) != FF_OK) {
            /* the op (and t) are gone: put the partitions back */
            e->refs--;
            atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
            for (uint32_t p = 0; p < e->partitions; p++) {
                if (e->in_flight[p] && e->last[p] == now) {
                    e->in_flight[p] = 0;
                    e->due[p] = now + RETRY_MS;
                }
                if (e->b_in_flight[p] && e->blast[p] == now) {
                    e->b_in_flight[p] = 0;
                    e->bdue[p] = now + RETRY_MS;
                }
            }
        }
    }
    arm_sweeps(e);
}

/* A due time (server ms) or a (re)subscription on ff:due:{fp:N}. */
static void on_due(void *ud, int event, const char *chan, size_t chan_len, const char *data, size_t len) {
    ff_engine *e = ud;
    if (e->stopping) return;
    char name[64], buf[32];
    uint32_t p = 0;
    if (chan_len >= sizeof name) return;
    memcpy(name, chan, chan_len);
    name[chan_len] = '\0';
    int budget = 0;
    if (ff__chan_due_parse(name, &p) != 0) {
        if (ff__chan_bdue_parse(name, &p) != 0) return;
        budget = 1;
    }
    if (p >= e->partitions || !e->owned[p]) return;
    uint64_t at = uv_now(&e->c->loop);
    if (event == FF__SUB_MESSAGE) {
        if (len == 0 || len >= sizeof buf) return;
        memcpy(buf, data, len);
        buf[len] = '\0';
        char *end = NULL;
        long long v = strtoll(buf, &end, 10);
        if (end == buf || *end != '\0') return;
        at = to_loop(e, (int64_t)v);
    }
    /* A (re)subscription sweeps at once: due times published while the
     * subscriber was away were lost. */
    if (budget)
        bdue_by(e, p, at);
    else
        due_by(e, p, at);
    arm_sweeps(e);
}

/* ----------------------------------------------------------- heartbeat */

/* Take the live set: every partition goes to the engine ff__engine_owner
 * picks. A partition gained is swept at once (its due time is unknown
 * here); one lost is forgotten. */
static void split_partitions(ff_engine *e, ff_rv *const *f, size_t n) {
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids == NULL) return;
    for (size_t i = 0; i < n; i++) ids[i] = f[i]->str;
    uint64_t now = uv_now(&e->c->loop);
    uint32_t owned = 0;
    for (uint32_t p = 0; p < e->partitions; p++) {
        size_t owner = ff__engine_owner(ids, n, p);
        int mine = owner < n && strcmp(ids[owner], e->o.id) == 0;
        if (mine && !e->owned[p]) {
            e->owned[p] = 1;
            due_by(e, p, now);
            bdue_by(e, p, now);
        } else if (!mine && e->owned[p]) {
            e->owned[p] = 0;
            e->due[p] = NONE;
            e->bdue[p] = NONE;
        }
        owned += e->owned[p];
    }
    free(ids);
    atomic_store(&e->owned_count, owned);
}

typedef struct beat_ctx {
    ff_engine *e;
    char *info; /* sent (NULL: "" = unchanged) */
} beat_ctx;

static void beat_ctx_free(void *p) {
    beat_ctx *b = p;
    if (b) free(b->info);
    free(b);
}

static void on_beat_done(ff_op *op, void *ud) {
    beat_ctx *b = ud;
    ff_engine *e = b->e;
    e->beat_in_flight = 0;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int64_t live = 0, now = 0;
    int ok = ff_op_status(op) == FF_OK && ff__fcall_result(op, op->replies[0], &f, &n) == FF_OK &&
             n > FF_FN_ENGINE_BEAT_ITEMS_AT && ff__rv_i64(f[FF_FN_ENGINE_BEAT_F_LIVE_ENGINES], &live) == 0 &&
             ff__rv_i64(f[FF_FN_ENGINE_BEAT_F_NOW_MS], &now) == 0 && (size_t)live == n - FF_FN_ENGINE_BEAT_ITEMS_AT;
    for (size_t i = FF_FN_ENGINE_BEAT_ITEMS_AT; ok && i < n; i++) ok = ff__rv_is_str(f[i]);
    if (!ok) {
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        free(e->info_sent); /* send the info in full next time */
        e->info_sent = NULL;
    } else {
        learn_clock(e, now);
        atomic_store(&e->live, (uint32_t)live);
        if (b->info) {
            free(e->info_sent);
            e->info_sent = b->info;
            b->info = NULL;
        }
        if (!e->stopping) split_partitions(e, f + FF_FN_ENGINE_BEAT_ITEMS_AT, n - FF_FN_ENGINE_BEAT_ITEMS_AT);
        atomic_fetch_add(&e->counters[CNT_HEARTBEATS], 1);
        tick_done(e, now);
        arm_sweeps(e);
    }
    engine_unref(e);
}

static void on_beat_timer(uv_timer_t *timer) {
    ff_engine *e = timer->data;
    if (e->stopping || e->beat_in_flight) return;
    beat_ctx *b = calloc(1, sizeof *b);
    ff_op *op = ff__op_new(e->c, NULL);
    char *info = stats_json(e, 0);
    if (b == NULL || op == NULL || info == NULL) {
        free(b);
        free(info);
        if (op) ff__op_discard(op);
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        return;
    }
    b->e = e;
    op->ctx = b;
    op->ctx_free = beat_ctx_free;
    /* The registry keeps the info of the last beat that changed it: an idle
     * engine's beat is TIME, ZRANGE and ZADD inside one FCALL. */
    int same = e->info_sent && strcmp(e->info_sent, info) == 0;
    ff__cmd *beat = ff__op_fcall(op, FF_FN_ENGINE_BEAT, FF_FN_ENGINE_BEAT_NKEYS);
    ff__cmd_str(op, beat, FF__ENGINES_KEY);
    ff__cmd_str(op, beat, FF__ENGINES_INFO_KEY);
    ff__cmd_str(op, beat, e->o.id);
    ff__cmd_i64(op, beat, e->o.owner_ttl_ms);
    ff__cmd_str(op, beat, same ? "" : info);
    if (same)
        free(info);
    else
        b->info = info;
    e->beat_in_flight = 1;
    e->refs++;
    if (ff__op_submit_internal(op, on_beat_done, b) != FF_OK) {
        e->beat_in_flight = 0;
        e->refs--;
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
    }
}

/* ------------------------------------------------------- start / stop */

static void start_on_loop(ff_client *c, void *arg) {
    ff_engine *e = arg;
    uv_timer_init(&c->loop, &e->beat_timer);
    uv_timer_init(&c->loop, &e->sweep_timer);
    e->beat_timer.data = e->sweep_timer.data = e;
    e->refs += 2; /* the timer handles */
    uv_timer_start(&e->beat_timer, on_beat_timer, 0, e->beat_ms);
    e->sub = ff__sub_new(c, on_due, e);
    for (uint32_t p = 0; e->sub && p < e->partitions; p++) {
        char chan[48];
        ff__chan_due(chan, sizeof chan, p);
        /* OOM here only costs promptness: sweeps still follow the due
         * times their replies return. */
        ff__sub_add(e->sub, chan);
        ff__chan_bdue(chan, sizeof chan, p);
        ff__sub_add(e->sub, chan);
    }
}

int ff_engine_start(ff_engine **out, ff_client *c, const ff_engine_opts *opts) {
    if (out == NULL || c == NULL || ff__on_io_thread(c)) return FF_EINVAL;
    ff_engine_opts *defaults = NULL;
    if (opts == NULL) {
        int st = ff_engine_opts_new(&defaults);
        if (st != FF_OK) return st;
        opts = defaults;
    }
    ff_engine *e = calloc(1, sizeof *e);
    if (e == NULL) {
        ff_engine_opts_free(defaults);
        return FF_ENOMEM;
    }
    e->c = c;
    e->o = *opts;
    ff_engine_opts_free(defaults);
    /* Three beats per membership ttl: one lost beat does not drop the
     * engine from the live set. */
    e->beat_ms = (uint64_t)(e->o.owner_ttl_ms / 3);
    e->partitions = ff_client_partitions(c);
    size_t np = e->partitions ? e->partitions : 1;
    e->owned = calloc(np, 1);
    e->in_flight = calloc(np, 1);
    e->due = malloc(np * sizeof *e->due);
    e->msg_due = malloc(np * sizeof *e->msg_due);
    e->last = calloc(np, sizeof *e->last);
    e->b_in_flight = calloc(np, 1);
    e->bdue = malloc(np * sizeof *e->bdue);
    e->bmsg_due = malloc(np * sizeof *e->bmsg_due);
    e->blast = calloc(np, sizeof *e->blast);
    e->refs = 1;
    if (e->owned == NULL || e->in_flight == NULL || e->due == NULL || e->msg_due == NULL || e->last == NULL ||
        e->b_in_flight == NULL || e->bdue == NULL || e->bmsg_due == NULL || e->blast == NULL) {
        engine_free(e);
        return FF_ENOMEM;
    }
    for (size_t p = 0; p < np; p++) e->due[p] = e->msg_due[p] = e->bdue[p] = e->bmsg_due[p] = NONE;
    int st = ff__io_call(c, start_on_loop, e);
    if (st != FF_OK) {
        engine_free(e);
        return st;
    }
    *out = e;
    return FF_OK;
}

static void on_timer_closed(uv_handle_t *h) { engine_unref(h->data); }

typedef struct stop_ctx {
    ff_engine *e;
    ff_op *leave; /* future-mode op the stopping thread waits for */
} stop_ctx;

static void stop_on_loop(ff_client *c, void *arg) {
    stop_ctx *s = arg;
    ff_engine *e = s->e;
    e->stopping = 1;
    uv_timer_stop(&e->beat_timer);
    uv_timer_stop(&e->sweep_timer);
    uv_close((uv_handle_t *)&e->beat_timer, on_timer_closed);
    uv_close((uv_handle_t *)&e->sweep_timer, on_timer_closed);
    ff__sub_free(e->sub);
    e->sub = NULL;
    /* Leave the registry, so the other engines take this one's partitions
     * at their next beat instead of after its membership ttl. (Sent after
     * any in-flight beat on the same connection, so no later beat re-adds
     * it.) */
    ff_op *op = ff__op_new(c, NULL);
    if (op == NULL) return;
    ff__cmd *zrem = ff__op_add_cmd(op);
    ff__cmd_str(op, zrem, "ZREM");
    ff__cmd_str(op, zrem, FF__ENGINES_KEY);
    ff__cmd_str(op, zrem, e->o.id);
    ff__cmd *hdel = ff__op_add_cmd(op);
    ff__cmd_str(op, hdel, "HDEL");
    ff__cmd_str(op, hdel, FF__ENGINES_INFO_KEY);
    ff__cmd_str(op, hdel, e->o.id);
    if (ff__op_submit(op, NULL, NULL, &s->leave) != FF_OK) s->leave = NULL;
}

static void unref_on_loop(ff_client *c, void *arg) {
    (void)c;
    engine_unref(arg);
}

void ff_engine_stop(ff_engine *e) {
    if (e == NULL) return;
    ff_client *c = e->c;
    stop_ctx s = {e, NULL};
    ff__io_call(c, stop_on_loop, &s);
    if (s.leave) {
        ff_op_wait(s.leave, -1);
        ff_op_free(s.leave);
    }
    /* Drop the owner reference on the loop; in-flight sweeps and beats keep
     * the engine alive until their replies arrive. */
    ff__io_call(c, unref_on_loop, e);
}

int ff_engine_stats_json(const ff_engine *e, char **out) {
    if (e == NULL || out == NULL) return FF_EINVAL;
    *out = stats_json(e, 1);
    return *out ? FF_OK : FF_ENOMEM;
}

const char *ff_engine_id(const ff_engine *e) { return e ? e->o.id : ""; }
