/* ff_execution_wait and ff_flow_wait: ops that end once their execution is
 * terminal (their flow settled), woken by the server's notification on
 * ff:done:{fp:N} (message: the execution or flow id; both have the same
 * shape) instead of polling.
 *
 * Rounds (each an idempotent call, resent after a reconnect):
 *   1. subscribe ff:done:{fp:N} (shared, client/waits.c), confirmed;
 *   2. mark (ff_wait_mark / ff_flow_wait_mark): "terminal" -> 3; "waiting"
 *      -> paused until a message names the id, or the channel is
 *      re-confirmed (messages sent while it was down are lost: mark again);
 *   3. fetch (FCALL_RO): exactly as ff_execution_result / ff_flow_describe
 *      end.
 * Messages and replies travel on different connections, so either may come
 * first: a message during round 2 (`woken`) or a re-confirmation
 * (`recheck`) is remembered until its reply is in. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/waits.h"
#include "core/error.h"
#include "ops/ops_int.h"

#define WAIT_MAX_MS (30LL * 24 * 3600 * 1000)

enum { W_SUBSCRIBING, W_MARKING, W_PAUSED, W_FETCHING };

typedef struct wait_ctx wait_ctx;

/* What is waited for: how to send the mark and the fetch round (each with
 * KEYS[1] and ARGV from the ctx), the fetch's finisher, and the status of
 * that finisher that means "not over after all" (replayed meanwhile: mark
 * again), 0 = none. */
typedef struct wait_kind {
    const char *what, *verb;
    /* the record key of an id (execution and flow waits; NULL: the feed) */
    int (*key)(char *buf, size_t cap, const char *id);
    void (*mark)(ff_op *op, wait_ctx *w);
    void (*fetch)(ff_op *op, wait_ctx *w);
    int (*finish_fetch)(ff_op *op);
    int not_over;
} wait_kind;

struct wait_ctx {
    const wait_kind *k;
    char eid[FF_EID_MAX + 16]; /* the id the notification names */
    char key[FF_EID_MAX + 16];
    char cursor[48];      /* the feed: read after this entry */
    uint32_t count;
    uint32_t partition;
    int state;
    int woken;      /* a message arrived while marking */
    int recheck;    /* the channel was re-confirmed while marking */
    int registered; /* in the client's registry */
};

/* KEYS[1] = the ctx's key, ARGV[1] = its id (execution and flow waits). */
static ff__cmd *id_call(ff_op *op, wait_ctx *w, const char *fn) {
    ff__cmd *cmd = ff__op_fcall(op, fn, 1);
    ff__cmd_str(op, cmd, w->key);
    ff__cmd_str(op, cmd, w->eid);
    return cmd;
}

static void mark_execution(ff_op *op, wait_ctx *w) { id_call(op, w, FF_FN_WAIT_MARK); }
static void fetch_execution(ff_op *op, wait_ctx *w) { ff__cmd_readonly(id_call(op, w, FF_FN_RESULT)); }
static void mark_flow(ff_op *op, wait_ctx *w) { id_call(op, w, FF_FN_FLOW_WAIT_MARK); }
static void fetch_flow(ff_op *op, wait_ctx *w) { ff__cmd_readonly(id_call(op, w, FF_FN_FLOW_DESCRIBE)); }

/* The feed: KEYS[1] = the partition's stream, ARGV = cursor (, count). */
static void mark_feed(ff_op *op, wait_ctx *w) {
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_FLOW_FEED_MARK, 1);
    ff__cmd_str(op, cmd, w->key);
    ff__cmd_str(op, cmd, w->cursor);
}
static void fetch_feed(ff_op *op, wait_ctx *w) {
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_FLOW_FEED, 1);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, w->key);
    ff__cmd_str(op, cmd, w->cursor);
    ff__cmd_i64(op, cmd, w->count);
}

/* A feed page that came back empty (woken by a re-confirmation, not by an
 * entry): mark again instead of ending. */
#define FEED_EMPTY (-100000)
static int finish_feed_page(ff_op *op) {
    int st = ff__finish_flow_feed(op);
    if (st != FF_OK || ff_op_item_count(op) > 0) return st;
    free(op->cursor);
    op->cursor = NULL;
    op->ival = 0;
    return FEED_EMPTY;
}

static const wait_kind EXECUTION_WAIT = {"execution", "end", ff__key_core, mark_execution, fetch_execution, ff__finish_result,
                                         FF_EXECUTION_NOT_TERMINAL};
static const wait_kind FLOW_WAIT = {"flow", "settle", ff__key_flow, mark_flow, fetch_flow, ff__finish_flow_describe, 0};
static const wait_kind FEED_WAIT = {"feed of partition", "grow", NULL, mark_feed, fetch_feed, finish_feed_page,
                                    FEED_EMPTY};

static void add_mark(ff_op *op, wait_ctx *w) {
    w->k->mark(op, w);
    w->state = W_MARKING;
    w->woken = w->recheck = 0;
}

static void add_result(ff_op *op, wait_ctx *w) {
    w->k->fetch(op, w);
    w->state = W_FETCHING;
}

/* Start the next round from a paused or subscribing state. */
static void resume_with(ff_op *op, wait_ctx *w, void (*add)(ff_op *, wait_ctx *)) {
    ff__op_reset_cmds(op);
    add(op, w);
    if (op->build_failed) {
        ff__op_complete(op, FF_ENOMEM);
        return;
    }
    ff__op_resume(op);
}

static void on_wait_event(ff_op *op, int event) {
    wait_ctx *w = op->ctx;
    switch (w->state) {
    case W_SUBSCRIBING:
        if (event == FF__WAIT_CHECK) resume_with(op, w, add_mark);
        break;
    case W_PAUSED:
        resume_with(op, w, event == FF__WAIT_DONE ? add_result : add_mark);
        break;
    case W_MARKING:
        if (event == FF__WAIT_DONE)
            w->woken = 1;
        else
            w->recheck = 1;
        break;
    default: /* W_FETCHING: the answer is on its way */
        break;
    }
}

static int finish_wait(ff_op *op) {
    wait_ctx *w = op->ctx;
    if (w->state == W_FETCHING) {
        int st = w->k->finish_fetch(op);
        if (w->k->not_over == 0 || st != w->k->not_over) return st;
        /* Replayed between its ending and this read: wait for the new one. */
        ff__op_clear_error(op);
        ff__op_reset_cmds(op);
        add_mark(op, w);
        return op->build_failed ? FF_ENOMEM : FF__CONTINUE;
    }
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < 2 || !ff__rv_is_str(f[1])) return FF_EPROTO;
    int terminal = strcmp(f[1]->str, "terminal") == 0;
    if (!terminal && strcmp(f[1]->str, "waiting") != 0) return FF_EPROTO;
    int woken = w->woken, recheck = w->recheck;
    ff__op_reset_cmds(op);
    if (terminal || woken) {
        add_result(op, w);
    } else if (recheck) {
        add_mark(op, w);
    } else {
        w->state = W_PAUSED;
        return FF__PAUSE;
    }
    return op->build_failed ? FF_ENOMEM : FF__CONTINUE;
}

static void wait_start(ff_op *op) {
    wait_ctx *w = op->ctx;
    w->state = W_SUBSCRIBING;
    w->registered = 1;
    if (ff__waits_add(op->client, op, w->partition, w->eid, on_wait_event) != FF_OK) {
        w->registered = 0;
        ff__op_complete(op, FF_ENOMEM);
    }
}

/* Every ending (result, error, deadline, client closed) leaves the registry. */
static void wait_done(ff_op *op) {
    wait_ctx *w = op->ctx;
    if (w->registered) ff__waits_remove(op->client, op, w->partition);
    w->registered = 0;
    if (op->status == FF_ETIMEDOUT)
        ff__op_set_error(op, "%s %s did not %s within %" PRId64 " ms (wait timed out)", w->k->what,
                         w->eid, w->k->verb, op->timeout_ms);
}

static int check_timeout(int64_t timeout_ms) {
    if (timeout_ms <= 0 || timeout_ms > WAIT_MAX_MS)
        return ff__fail(FF_EINVAL, "timeout_ms %" PRId64 ": expected 1 .. %lld", timeout_ms, (long long)WAIT_MAX_MS);
    return FF_OK;
}

/* The op of a wait whose ctx w (allocated by the caller) is filled in. */
static int submit_wait(ff_client *c, wait_ctx *w, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out) {
    ff_op *op = ff__op_new(c, finish_wait);
    if (op == NULL) {
        free(w);
        return FF_ENOMEM;
    }
    op->ctx = w;
    op->ctx_free = free;
    op->timeout_ms = timeout_ms;
    op->retry_transport = 1;
    op->io_start = wait_start;
    op->on_io_done = wait_done;
    return ff__op_submit(op, cb, ud, out);
}

static int start_wait(ff_client *c, const wait_kind *k, const char *eid, int64_t timeout_ms, ff_op_cb cb, void *ud,
                      ff_op **out) {
    char q[80];
    if (c == NULL) return ff__fail(FF_EINVAL, "client is NULL");
    uint32_t partition = 0;
    if (ff__eid_parse(eid, &partition) != 0)
        return ff__fail(FF_EINVAL, "not %s %s id (expected {fp:N}:<uuid>): %s", k == &EXECUTION_WAIT ? "an" : "a",
                        k->what, ff__quote(eid, q, sizeof q));
    if (partition >= ff_client_partitions(c))
        return ff__fail(FF_EINVAL, "%s id %s names partition %u; this deployment has %u", k->what,
                        ff__quote(eid, q, sizeof q), (unsigned)partition, (unsigned)ff_client_partitions(c));
    int st = check_timeout(timeout_ms);
    if (st != FF_OK) return st;
    wait_ctx *w = calloc(1, sizeof *w);
    if (w == NULL) return FF_ENOMEM;
    snprintf(w->eid, sizeof w->eid, "%s", eid);
    w->k = k;
    w->partition = partition;
    k->key(w->key, sizeof w->key, eid);
    return submit_wait(c, w, timeout_ms, cb, ud, out);
}

int ff_execution_wait(ff_client *c, const char *eid, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_WAIT);
    return start_wait(c, &EXECUTION_WAIT, eid, timeout_ms, cb, ud, out);
}

int ff_flow_wait(ff_client *c, const char *flow_id, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_WAIT);
    return start_wait(c, &FLOW_WAIT, flow_id, timeout_ms, cb, ud, out);
}

int ff_flow_feed_wait(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, int64_t timeout_ms,
                      ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_FEED_WAIT);
    int st = ff__check_feed_read(c, partition, cursor, count);
    if (st == FF_OK) st = check_timeout(timeout_ms);
    if (st != FF_OK) return st;
    if (cursor && strcmp(cursor, "$") == 0)
        return ff__fail(FF_EINVAL, "cursor \"$\": read it with ff_flow_feed_read first (it returns the newest id)");
    wait_ctx *w = calloc(1, sizeof *w);
    if (w == NULL) return FF_ENOMEM;
    /* the feed's notification names the partition's stream key */
    ff__key_flow_feed(w->key, sizeof w->key, partition);
    snprintf(w->eid, sizeof w->eid, "%s", w->key);
    snprintf(w->cursor, sizeof w->cursor, "%s", cursor ? cursor : "");
    w->count = count;
    w->k = &FEED_WAIT;
    w->partition = partition;
    return submit_wait(c, w, timeout_ms, cb, ud, out);
}
