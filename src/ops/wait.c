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

/* What is waited for: the mark and fetch calls (KEYS[1] from the id, ARGV
 * the id), the fetch's finisher, and the status of that finisher that means
 * "not over after all" (replayed meanwhile: mark again), 0 = none. */
typedef struct wait_kind {
    const char *what;
    const char *mark_fn, *fetch_fn;
    int (*key)(char *buf, size_t cap, const char *id);
    int (*finish_fetch)(ff_op *op);
    int not_over;
} wait_kind;

static const wait_kind EXECUTION_WAIT = {"execution", FF_FN_WAIT_MARK, FF_FN_RESULT, ff__key_core,
                                         ff__finish_result, FF_EXECUTION_NOT_TERMINAL};
static const wait_kind FLOW_WAIT = {"flow", FF_FN_FLOW_WAIT_MARK, FF_FN_FLOW_DESCRIBE, ff__key_flow,
                                    ff__finish_flow_describe, 0};

typedef struct wait_ctx {
    const wait_kind *k;
    char eid[FF_EID_MAX];
    uint32_t partition;
    int state;
    int woken;      /* a message arrived while marking */
    int recheck;    /* the channel was re-confirmed while marking */
    int registered; /* in the client's registry */
} wait_ctx;

static void add_mark(ff_op *op, wait_ctx *w) {
    char key[FF_EID_MAX + 16];
    w->k->key(key, sizeof key, w->eid);
    ff__cmd *cmd = ff__op_fcall(op, w->k->mark_fn, 1);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, w->eid);
    w->state = W_MARKING;
    w->woken = w->recheck = 0;
}

static void add_result(ff_op *op, wait_ctx *w) {
    char key[FF_EID_MAX + 16];
    w->k->key(key, sizeof key, w->eid);
    ff__cmd *cmd = ff__op_fcall(op, w->k->fetch_fn, 1);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, w->eid);
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
        ff__op_set_error(op, "%s %s did not %s within %" PRId64 " ms (wait timed out)", w->k->what, w->eid,
                         w->k == &FLOW_WAIT ? "settle" : "end", op->timeout_ms);
}

static int start_wait(ff_client *c, const wait_kind *k, const char *eid, int64_t timeout_ms, ff_op_cb cb, void *ud,
                      ff_op **out) {
    char q[80];
    if (c == NULL) return ff__fail(FF_EINVAL, "client is NULL");
    uint32_t partition = 0;
    if (ff__eid_parse(eid, &partition) != 0)
        return ff__fail(FF_EINVAL, "not a%s %s id (expected {fp:N}:<uuid>): %s", k == &FLOW_WAIT ? "" : "n", k->what,
                        ff__quote(eid, q, sizeof q));
    if (partition >= ff_client_partitions(c))
        return ff__fail(FF_EINVAL, "%s id %s names partition %u; this deployment has %u", k->what,
                        ff__quote(eid, q, sizeof q), (unsigned)partition, (unsigned)ff_client_partitions(c));
    if (timeout_ms <= 0 || timeout_ms > WAIT_MAX_MS)
        return ff__fail(FF_EINVAL, "timeout_ms %" PRId64 ": expected 1 .. %lld", timeout_ms, (long long)WAIT_MAX_MS);
    wait_ctx *w = calloc(1, sizeof *w);
    ff_op *op = w ? ff__op_new(c, finish_wait) : NULL;
    if (op == NULL) {
        free(w);
        return FF_ENOMEM;
    }
    snprintf(w->eid, sizeof w->eid, "%s", eid);
    w->k = k;
    w->partition = partition;
    op->ctx = w;
    op->ctx_free = free;
    op->timeout_ms = timeout_ms;
    op->retry_transport = 1;
    op->io_start = wait_start;
    op->on_io_done = wait_done;
    return ff__op_submit(op, cb, ud, out);
}

int ff_execution_wait(ff_client *c, const char *eid, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_WAIT);
    return start_wait(c, &EXECUTION_WAIT, eid, timeout_ms, cb, ud, out);
}

int ff_flow_wait(ff_client *c, const char *flow_id, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_WAIT);
    return start_wait(c, &FLOW_WAIT, flow_id, timeout_ms, cb, ud, out);
}
