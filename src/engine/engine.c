/* The engine: per-tick sweep of owned partitions, ownership balancing
 * between engines, heartbeat. Runs entirely on the client's I/O thread. */
#include "flowfabric/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "core/uuid.h"

#define ENGINES_KEY "ff:{e}:engines"
#define ENGINES_INFO_KEY "ff:{e}:info"

struct ff_engine_opts {
    int64_t tick_ms;
    uint32_t batch;
    int64_t retention_ms;
    int64_t owner_ttl_ms;
    char id[80];
};

enum {
    CNT_TICKS, CNT_LEASES, CNT_PROMOTED, CNT_TIMEOUTS, CNT_DEADLINES, CNT_RETAINED, CNT_REPAIRED, CNT_ERRORS,
    CNT_SUSP_TIMEOUTS, CNT_WP_EXPIRED, CNT_N
};
static const char *const k_counter_names[CNT_N] = {
    "ticks",    "leases_expired", "promoted", "attempt_timeouts",     "deadlines_expired", "retained_deleted",
    "repaired", "errors",         "suspension_timeouts", "waitpoints_expired"};

struct ff_engine {
    ff_client *c;
    struct ff_engine_opts o;
    uint32_t partitions;
    uint8_t *owned;
    uint64_t *next_at; /* uv_now ms of the partition's next sweep / acquire try */
    uint64_t idle_ms;  /* sweep cadence of a partition with nothing due */
    _Atomic uint32_t owned_count;
    _Atomic uint32_t live;
    _Atomic int64_t last_tick_ms;
    _Atomic uint64_t counters[CNT_N];
    uv_timer_t timer;
    int refs; /* I/O thread only: owner + timer + in-flight tick */
    int tick_in_flight;
    int stopping;
};

/* ---------------------------------------------------------------- opts */

int ff_engine_opts_new(ff_engine_opts **out) {
    if (out == NULL) return FF_EINVAL;
    ff_engine_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return FF_ENOMEM;
    o->tick_ms = 250;
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
    if (o == NULL || ms < 50 || ms > 60000) return FF_EINVAL;
    o->tick_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_batch(ff_engine_opts *o, uint32_t n) {
    if (o == NULL || n < 1 || n > 1000) return FF_EINVAL;
    o->batch = n;
    return FF_OK;
}

int ff_engine_opts_set_retention_ms(ff_engine_opts *o, int64_t ms) {
    if (o == NULL || ms < 0) return FF_EINVAL;
    o->retention_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_ownership_ttl_ms(ff_engine_opts *o, int64_t ms) {
    if (o == NULL || ms < 100 || ms > 600000) return FF_EINVAL;
    o->owner_ttl_ms = ms;
    return FF_OK;
}

int ff_engine_opts_set_engine_id(ff_engine_opts *o, const char *id) {
    if (o == NULL || id == NULL || id[0] == '\0' || strlen(id) >= sizeof o->id) return FF_EINVAL;
    for (const char *p = id; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) return FF_EINVAL;
    snprintf(o->id, sizeof o->id, "%s", id);
    return FF_OK;
}

/* ---------------------------------------------------------------- tick */

static void engine_unref(ff_engine *e) {
    if (--e->refs == 0) {
        free(e->owned);
        free(e->next_at);
        free(e);
    }
}

typedef struct tick_ctx {
    ff_engine *e;
    uint32_t *parts; /* partition of command i+1 (command 0 is the heartbeat) */
    size_t n;
} tick_ctx;

static void tick_ctx_free(void *p) {
    tick_ctx *t = p;
    if (t) free(t->parts);
    free(t);
}

static char *stats_json(const ff_engine *e) {
    json_t *o = json_object();
    json_object_set_new(o, "engine_id", json_string(e->o.id));
    json_object_set_new(o, "owned_partitions", json_integer(atomic_load(&e->owned_count)));
    json_object_set_new(o, "live_engines", json_integer(atomic_load(&e->live)));
    for (int i = 0; i < CNT_N; i++)
        json_object_set_new(o, k_counter_names[i], json_integer((json_int_t)atomic_load(&e->counters[i])));
    json_object_set_new(o, "last_tick_ms", json_integer(atomic_load(&e->last_tick_ms)));
    json_object_set_new(o, "tick_ms", json_integer(e->o.tick_ms));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static void on_tick_done(ff_op *op, void *ud) {
    tick_ctx *t = ud;
    ff_engine *e = t->e;
    e->tick_in_flight = 0;
    if (ff_op_status(op) != FF_OK) {
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
    } else {
        int64_t v = 0;
        const ff_rv *beat = op->replies[0];
        ff_rv *const *f = NULL;
        size_t n = 0;
        if (ff__fcall_result(op, beat, &f, &n) == FF_OK && n >= 3) {
            if (ff__rv_i64(f[1], &v) == 0 && v > 0) atomic_store(&e->live, (uint32_t)v);
            if (ff__rv_i64(f[2], &v) == 0) atomic_store(&e->last_tick_ms, v);
        }
        for (size_t i = 0; i < t->n; i++) {
            uint32_t p = t->parts[i];
            if (ff__fcall_result(op, op->replies[i + 1], &f, &n) != FF_OK || n < 2) {
                atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
                continue;
            }
            int owned = strcmp(f[1]->str, "owned") == 0;
            if (owned != e->owned[p]) {
                e->owned[p] = (uint8_t)owned;
                if (owned)
                    atomic_fetch_add(&e->owned_count, 1);
                else
                    atomic_fetch_sub(&e->owned_count, 1);
            }
            uint64_t now = uv_now(&e->c->loop);
            e->next_at[p] = now + e->idle_ms;
            if (!owned || n < 11) continue;
            for (size_t k = 0; k < 6; k++) {
                if (ff__rv_i64(f[k + 2], &v) == 0 && v > 0)
                    atomic_fetch_add(&e->counters[CNT_LEASES + k], (uint64_t)v);
            }
            if (n >= 13) { /* suspension timeouts, pending waitpoints expired */
                if (ff__rv_i64(f[11], &v) == 0 && v > 0) atomic_fetch_add(&e->counters[CNT_SUSP_TIMEOUTS], (uint64_t)v);
                if (ff__rv_i64(f[12], &v) == 0 && v > 0) atomic_fetch_add(&e->counters[CNT_WP_EXPIRED], (uint64_t)v);
            }
            /* Sweep again when the earliest timer of the partition is due
             * (or at once when the budget ran out), else at the idle pace. */
            int64_t due = 0, srv_now = 0;
            if (strcmp(f[8]->str, "1") == 0) {
                e->next_at[p] = now;
            } else if (ff__rv_i64(f[9], &due) == 0 && ff__rv_i64(f[10], &srv_now) == 0) {
                int64_t wait = due - srv_now;
                if (wait < 0) wait = 0;
                if ((uint64_t)wait < e->idle_ms) e->next_at[p] = now + (uint64_t)wait;
            }
        }
        atomic_fetch_add(&e->counters[CNT_TICKS], 1);
    }
    engine_unref(e);
}

static void add_sweep(ff_op *op, ff_engine *e, uint32_t p, const char *mode) {
    char key[48];
    snprintf(key, sizeof key, "ff:own:{fp:%u}", (unsigned)p);
    ff__cmd *cmd = ff__op_fcall(op, "ff_engine_sweep", 1);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, e->o.id);
    ff__cmd_str(op, cmd, mode);
    ff__cmd_i64(op, cmd, e->o.owner_ttl_ms);
    ff__cmd_i64(op, cmd, e->o.batch);
    ff__cmd_i64(op, cmd, e->o.retention_ms);
}

static void on_timer(uv_timer_t *timer) {
    ff_engine *e = timer->data;
    if (e->stopping || e->tick_in_flight) return;
    tick_ctx *t = calloc(1, sizeof *t);
    ff_op *op = ff__op_new(e->c, NULL);
    if (t == NULL || op == NULL || (t->parts = calloc(e->partitions, sizeof *t->parts)) == NULL) {
        tick_ctx_free(t);
        if (op) ff__op_discard(op);
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
        return;
    }
    t->e = e;
    op->ctx = t;
    op->ctx_free = tick_ctx_free;

    char *info = stats_json(e);
    ff__cmd *beat = ff__op_fcall(op, "ff_engine_beat", 2);
    ff__cmd_str(op, beat, ENGINES_KEY);
    ff__cmd_str(op, beat, ENGINES_INFO_KEY);
    ff__cmd_str(op, beat, e->o.id);
    ff__cmd_i64(op, beat, e->o.owner_ttl_ms);
    ff__cmd_str(op, beat, info ? info : "{}");
    free(info);

    /* Fair share: every live engine aims for ceil(P / live) partitions. Until
     * the first heartbeat told us how many engines live, only heartbeat. */
    uint32_t live = atomic_load(&e->live);
    uint32_t owned = atomic_load(&e->owned_count);
    uint64_t now = uv_now(&e->c->loop);
    if (live > 0) {
        uint32_t target = (e->partitions + live - 1) / live;
        uint32_t excess = owned > target ? owned - target : 0;
        /* Tries to take unowned partitions are bounded by the deficit per
         * tick (and each partition is tried at most once per idle period),
         * so an engine that stays one short of an uneven fair share costs
         * a call per tick, not one per unowned partition. */
        uint32_t tries = owned < target ? target - owned : 0;
        for (uint32_t i = e->partitions; i-- > 0;) {
            if (e->owned[i] && excess > 0) {
                add_sweep(op, e, i, "release");
                excess--;
            } else if (e->owned[i] && now >= e->next_at[i]) {
                add_sweep(op, e, i, "sweep");
            } else if (!e->owned[i] && tries > 0 && now >= e->next_at[i]) {
                add_sweep(op, e, i, "sweep");
                tries--;
            } else {
                continue;
            }
            t->parts[t->n++] = i;
        }
    }
    e->tick_in_flight = 1;
    e->refs++;
    if (ff__op_submit_internal(op, on_tick_done, t) != FF_OK) {
        e->tick_in_flight = 0;
        e->refs--;
        atomic_fetch_add(&e->counters[CNT_ERRORS], 1);
    }
}

/* ------------------------------------------------------- start / stop */

static void start_on_loop(ff_client *c, void *arg) {
    ff_engine *e = arg;
    uv_timer_init(&c->loop, &e->timer);
    e->timer.data = e;
    e->refs++; /* the timer handle */
    uv_timer_start(&e->timer, on_timer, 0, (uint64_t)e->o.tick_ms);
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
    if (e->o.owner_ttl_ms < 4 * e->o.tick_ms) e->o.owner_ttl_ms = 4 * e->o.tick_ms;
    /* A partition with nothing due is still swept every third of the
     * ownership lease, which renews the lease and bounds how late a timer
     * created since the last sweep can be noticed. */
    e->idle_ms = (uint64_t)(e->o.owner_ttl_ms / 3);
    e->partitions = ff_client_partitions(c);
    e->owned = calloc(e->partitions ? e->partitions : 1, 1);
    e->next_at = calloc(e->partitions ? e->partitions : 1, sizeof *e->next_at);
    e->refs = 1;
    if (e->owned == NULL || e->next_at == NULL) {
        free(e->owned);
        free(e->next_at);
        free(e);
        return FF_ENOMEM;
    }
    int st = ff__io_call(c, start_on_loop, e);
    if (st != FF_OK) {
        free(e->owned);
        free(e->next_at);
        free(e);
        return st;
    }
    *out = e;
    return FF_OK;
}

static void on_timer_closed(uv_handle_t *h) { engine_unref(h->data); }

typedef struct stop_ctx {
    ff_engine *e;
    ff_op *release; /* future-mode op the stopping thread waits for */
} stop_ctx;

static void stop_on_loop(ff_client *c, void *arg) {
    stop_ctx *s = arg;
    ff_engine *e = s->e;
    e->stopping = 1;
    uv_timer_stop(&e->timer);
    uv_close((uv_handle_t *)&e->timer, on_timer_closed);
    /* Hand owned partitions back so another engine takes over at once
     * instead of after the ownership lease runs out. */
    ff_op *op = ff__op_new(c, NULL);
    if (op == NULL) return;
    for (uint32_t i = 0; i < e->partitions; i++) {
        if (e->owned[i]) add_sweep(op, e, i, "release");
    }
    /* Leave the live-engine registry too, so `ffctl stats` and the other
     * engines' fair share stop counting this one at once. (Sent after any
     * in-flight tick on the same connection, so no later beat re-adds it.) */
    ff__cmd *zrem = ff__op_add_cmd(op);
    ff__cmd_str(op, zrem, "ZREM");
    ff__cmd_str(op, zrem, ENGINES_KEY);
    ff__cmd_str(op, zrem, e->o.id);
    ff__cmd *hdel = ff__op_add_cmd(op);
    ff__cmd_str(op, hdel, "HDEL");
    ff__cmd_str(op, hdel, ENGINES_INFO_KEY);
    ff__cmd_str(op, hdel, e->o.id);
    if (ff__op_submit(op, NULL, NULL, &s->release) != FF_OK) s->release = NULL;
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
    if (s.release) {
        ff_op_wait(s.release, -1);
        ff_op_free(s.release);
    }
    /* Drop the owner reference on the loop; an in-flight tick keeps the
     * engine alive until its reply arrives. */
    ff__io_call(c, unref_on_loop, e);
}

int ff_engine_stats_json(const ff_engine *e, char **out) {
    if (e == NULL || out == NULL) return FF_EINVAL;
    *out = stats_json(e);
    return *out ? FF_OK : FF_ENOMEM;
}

const char *ff_engine_id(const ff_engine *e) { return e ? e->o.id : ""; }
