/* The client's I/O thread: one libuv loop, one pipelined command connection
 * (an ff__link: connect, auth, reconnect with backoff live in link.c; this
 * file adds the library check, load and partition config as the link's
 * handshake step), per-call deadlines, and reload-and-retry on "function not
 * found". */
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client_int.h"
#include "client/link.h"
#include "client/route.h"
#include "client/blocking.h"
#include "client/waits.h"
#include "core/lua_lib.h"
#include "proto/arity.h"
#include "proto/keys.h"

/* The command connection's own handshake steps, after the link's AUTH and SELECT. */
enum { HS_VERSION = 0, HS_LOAD, HS_BOOT, HS_SECRETS, HS_SECRETS_INIT, HS_SECRETS_MARK, HS_DONE };

static void send_op(ff_client *c, ff_op *op);
static void flush_pending(ff_client *c);
static void handshake_next(ff_client *c);

/* ----------------------------------------------------------- live list */

static int64_t op_timeout(const ff_client *c, const ff_op *op) {
    return op->timeout_ms > 0 ? op->timeout_ms : c->timeout_ms;
}

static void live_add(ff_client *c, ff_op *op) {
    /* Most ops share the client's timeout, so the right place is almost
     * always the tail; an op with its own (longer) deadline walks back from
     * there past the few that end later. */
    op->deadline = uv_now(&c->loop) + (uint64_t)op_timeout(c, op);
    ff_op *after = c->live_tail;
    while (after && after->deadline > op->deadline) after = after->live_prev;
    op->live_prev = after;
    op->live_next = after ? after->live_next : c->live_head;
    if (op->live_next)
        op->live_next->live_prev = op;
    else
        c->live_tail = op;
    if (after)
        after->live_next = op;
    else
        c->live_head = op;
    op->live = 1;
}

static void live_remove(ff_client *c, ff_op *op) {
    if (!op->live) return;
    if (op->live_prev)
        op->live_prev->live_next = op->live_next;
    else
        c->live_head = op->live_next;
    if (op->live_next)
        op->live_next->live_prev = op->live_prev;
    else
        c->live_tail = op->live_prev;
    op->live = 0;
    op->live_prev = op->live_next = NULL;
}

static void pending_remove(ff_client *c, ff_op *op) {
    ff_op **pp = &c->pending_head;
    ff_op *prev = NULL;
    while (*pp) {
        if (*pp == op) {
            *pp = op->qnext;
            if (c->pending_tail == op) c->pending_tail = prev;
            op->qnext = NULL;
            return;
        }
        prev = *pp;
        pp = &(*pp)->qnext;
    }
}

static void on_deadline(uv_timer_t *t);

static void arm_deadline(ff_client *c) {
    if (c->live_head == NULL) {
        uv_timer_stop(&c->deadline_timer);
        return;
    }
    uint64_t now = uv_now(&c->loop);
    uint64_t d = c->live_head->deadline;
    uv_timer_start(&c->deadline_timer, on_deadline, d > now ? d - now : 0, 0);
}

/* --------------------------------------------------------- completion */

void ff__op_complete(ff_op *op, int status) {
    if (atomic_load(&op->done)) return;
    ff_client *c = op->client;
    live_remove(c, op);
    pending_remove(c, op);
    op->status = status;
    if (status != FF_OK && (op->errmsg == NULL || op->errmsg[0] == '\0')) {
        ff__op_set_error(op, "%s", ff_strerror(status));
    }
    if (op->on_io_done) op->on_io_done(op);
    ff__deliver(c, op);
    ff__op_unref(op); /* the I/O side's live reference */
}

static void on_deadline(uv_timer_t *t) {
    ff_client *c = t->data;
    uint64_t now = uv_now(&c->loop);
    while (c->live_head && c->live_head->deadline <= now) {
        ff_op *op = c->live_head;
        ff__op_set_error(op, "deadline of %" PRId64 " ms exceeded", op_timeout(c, op));
        ff__op_complete(op, FF_ETIMEDOUT);
    }
    arm_deadline(c);
}

/* ----------------------------------------------------------- replies */

typedef struct cmd_slot {
    ff_op *op;
    uint32_t gen;
    size_t idx;
} cmd_slot;

static int is_function_missing(const redisReply *r) {
    return r->type == REDIS_REPLY_ERROR && r->str != NULL && strstr(r->str, "Function not found") != NULL;
}

static void request_reload(ff_client *c);

/* Resend the op's current round once the connection is back (replies of
 * the old round are dropped: their gen no longer matches). */
static void requeue(ff_client *c, ff_op *op) {
    op->gen++;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff__rv_free(op->replies[i]);
        op->replies[i] = NULL;
    }
    op->qnext = c->pending_head;
    c->pending_head = op;
    if (c->pending_tail == NULL) c->pending_tail = op;
}

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    cmd_slot *slot = privdata;
    ff_op *op = slot->op;
    redisReply *r = reply;
    if (!atomic_load(&op->done) && slot->gen == op->gen) {
        ff_client *c = op->client;
        if (r == NULL && ff__link_lost_action(op->retry_transport, c->stopping) == FF__LOST_RESEND) {
            requeue(c, op); /* idempotent rounds (waits): try again after the reconnect */
        } else if (r == NULL) {
            ff__op_set_error(op, "connection lost while the call was in flight");
            ff__op_complete(op, FF_EIO);
        } else if (is_function_missing(r) && op->reloads == 0 && !c->stopping) {
            /* FUNCTION FLUSH or a failover to a node without the library:
             * reload once, then resend the whole op. */
            op->reloads++;
            requeue(c, op);
            request_reload(c);
        } else {
            op->replies[slot->idx] = ff__rv_from_hiredis(r);
            if (op->replies[slot->idx] == NULL) {
                ff__op_complete(op, FF_ENOMEM);
            } else if (--op->replies_pending == 0) {
                int st = op->finish ? op->finish(op) : FF_OK;
                if (st == FF__CONTINUE && op->ncmds > 0 && !op->build_failed) {
                    op->gen++;
                    if (ff__op_prepare_replies(op) != FF_OK) {
                        ff__op_complete(op, FF_ENOMEM);
                    } else if (c->conn_state == FF_CONN_READY) {
                        send_op(c, op);
                    } else {
                        op->qnext = c->pending_head;
                        c->pending_head = op;
                        if (c->pending_tail == NULL) c->pending_tail = op;
                    }
                } else if (st != FF__PAUSE) {
                    ff__op_complete(op, st == FF__CONTINUE ? FF_ENOMEM : st);
                }
            }
        }
    }
    free(slot);
    ff__op_unref(op);
}

static void send_op(ff_client *c, ff_op *op) {
    /* Every FCALL must agree with the server function table (src/proto): a
     * command built wrong fails its op here, and nothing of the op is sent. */
    char why[256];
    for (size_t i = 0; i < op->ncmds && !op->caller_command; i++) {
        if (ff__arity_check(op->cmds[i].argc, op->cmds[i].argv, op->cmds[i].argvlen, why, sizeof why) != 0) {
            ff__op_set_error(op, "%s", why);
            ff__op_complete(op, FF_EPROTO);
            return;
        }
    }
    op->replies_pending = op->ncmds;
    uint32_t gen = op->gen;
    for (size_t i = 0; i < op->ncmds; i++) {
        cmd_slot *slot = malloc(sizeof *slot);
        if (slot == NULL) {
            ff__op_complete(op, FF_ENOMEM);
            return;
        }
        slot->op = op;
        slot->gen = gen;
        slot->idx = i;
        ff__op_ref(op);
        ff__cmd *cmd = &op->cmds[i];
        if (ff__link_send(ff__route(c, cmd), on_reply, slot, cmd->argc, (const char **)cmd->argv, cmd->argvlen) !=
            FF_OK) {
            free(slot);
            ff__op_unref(op);
            ff__op_set_error(op, "could not send the command (connection closing)");
            ff__op_complete(op, FF_EIO);
            return;
        }
    }
}

static void flush_pending(ff_client *c) {
    while (c->pending_head && c->conn_state == FF_CONN_READY) {
        ff_op *op = c->pending_head;
        c->pending_head = op->qnext;
        if (c->pending_head == NULL) c->pending_tail = NULL;
        op->qnext = NULL;
        send_op(c, op);
    }
}

/* Send now, or queue until the connection is ready. */
static void send_or_pend(ff_client *c, ff_op *op) {
    if (c->conn_state == FF_CONN_READY) {
        send_op(c, op);
        return;
    }
    if (c->pending_tail)
        c->pending_tail->qnext = op;
    else
        c->pending_head = op;
    c->pending_tail = op;
}

void ff__op_resume(ff_op *op) {
    if (atomic_load(&op->done)) return;
    op->gen++;
    if (ff__op_prepare_replies(op) != FF_OK)
        ff__op_complete(op, FF_ENOMEM);
    else
        send_or_pend(op->client, op);
}

/* ------------------------------------------------------- submissions */

/* Coalescing: ops that queued up one after another with the same
 * batch_key go out as one op their batch_merge builds (appends of one
 * attempt: one FCALL instead of one per frame). Only consecutive ones, so
 * nothing overtakes anything: an op of another kind flushes the batch
 * first. */
#define BATCH_MAX 256

typedef struct batch {
    ff_op *ops[BATCH_MAX];
    size_t n;
} batch;

static void start_op(ff_client *c, ff_op *op) {
    live_add(c, op);
    if (op->io_start)
        op->io_start(op);
    else
        send_or_pend(c, op);
}

static void batch_flush(ff_client *c, batch *b) {
    if (b->n == 0) return;
    ff_op *merged = b->n > 1 ? b->ops[0]->batch_merge(b->ops, b->n) : NULL;
    if (merged == NULL) {
        /* one op, or no memory to merge: each on its own */
        for (size_t i = 0; i < b->n; i++) start_op(c, b->ops[i]);
    } else {
        for (size_t i = 0; i < b->n; i++) live_add(c, b->ops[i]); /* their deadlines run */
    }
    b->n = 0;
}

static int batch_fits(const batch *b, const ff_op *op) {
    if (b->n == 0) return 1;
    const ff_op *first = b->ops[0];
    return b->n < BATCH_MAX && first->batch_merge == op->batch_merge && strcmp(first->batch_key, op->batch_key) == 0;
}

static void take_submissions(ff_client *c) {
    pthread_mutex_lock(&c->mu);
    ff_op *list = c->submit_head;
    c->submit_head = c->submit_tail = NULL;
    int stopping = c->stopping;
    pthread_mutex_unlock(&c->mu);
    batch b;
    b.n = 0;
    while (list) {
        ff_op *op = list;
        list = op->qnext;
        op->qnext = NULL;
        if (stopping) {
            ff__op_complete(op, FF_ECANCELED);
            continue;
        }
        if (op->local_fn) {
            op->local_fn(c, op->local_arg);
            ff__op_complete(op, FF_OK);
            continue;
        }
        if (c->down_status != 0 && c->conn_state != FF_CONN_READY) {
            /* The server refused the last handshake (bad password, ...):
             * say so now rather than after the op's deadline. */
            ff__op_set_error(op, "%s", c->down_msg);
            ff__op_complete(op, c->down_status);
            continue;
        }
        if (op->batch_merge && op->batch_key) {
            if (!batch_fits(&b, op)) batch_flush(c, &b);
            b.ops[b.n++] = op;
            continue;
        }
        batch_flush(c, &b);
        start_op(c, op);
    }
    batch_flush(c, &b);
    arm_deadline(c);
}

static void internal_done(ff_op *op, void *ud) {
    (void)op;
    (void)ud;
}

int ff__io_start_now(ff_op *op, ff_op_cb cb, void *ud) {
    if (op->build_failed || ff__op_prepare_replies(op) != FF_OK) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    op->internal = 1;
    op->cb = cb ? cb : internal_done;
    op->ud = ud;
    ff__op_ref(op); /* the I/O side's live reference; the delivery one is the initial */
    start_op(op->client, op);
    arm_deadline(op->client);
    return FF_OK;
}

void ff__io_enqueue(ff_client *c, ff_op *op) {
    pthread_mutex_lock(&c->mu);
    op->qnext = NULL;
    if (c->submit_tail)
        c->submit_tail->qnext = op;
    else
        c->submit_head = op;
    c->submit_tail = op;
    pthread_mutex_unlock(&c->mu);
    uv_async_send(&c->wake);
}

/* -------------------------------------------------------- connection */

static void set_ready_state(ff_client *c, int state, const char *msg) {
    pthread_mutex_lock(&c->mu);
    if (c->ready_state == 0 || state == 1) {
        c->ready_state = state;
        if (msg) snprintf(c->ready_err, sizeof c->ready_err, "%s", msg);
    }
    pthread_cond_broadcast(&c->ready_cv);
    pthread_mutex_unlock(&c->mu);
}

static int initial_connect_pending(ff_client *c) {
    pthread_mutex_lock(&c->mu);
    int pending = c->ready_state == 0;
    pthread_mutex_unlock(&c->mu);
    return pending;
}

/* A transient answer during the first connect (server loading its data,
 * busy): kept so that a connect timeout can say what the server said. */
static void note_initial_trouble(ff_client *c, const char *msg) {
    pthread_mutex_lock(&c->mu);
    if (c->ready_state == 0) snprintf(c->ready_err, sizeof c->ready_err, "%s", msg);
    pthread_mutex_unlock(&c->mu);
}

static void start_embedded_restart(ff_client *c);

/* The backoff timer fired: a client owning the embedded server whose last
 * connect found nothing makes sure the server runs first. */
static int link_before_reconnect(ff__link *l, void *ud) {
    (void)l;
    ff_client *c = ud;
    if (c->restart_embedded && c->embedded_dir) {
        start_embedded_restart(c);
        return 1;
    }
    return 0;
}

static void link_down(ff__link *l, void *ud) {
    (void)l;
    ff_client *c = ud;
    c->conn_state = FF_CONN_DOWN;
    atomic_store(&c->connected, 0);
}

/* Nothing answers at the address. The first connect of ff_client_new fails
 * at once (a wrong address does not get better by waiting out the connect
 * timeout); a client that was connected keeps trying with backoff, and one
 * that owns the embedded server makes sure it runs first. */
static int link_connect_failed(ff__link *l, void *ud, const char *msg) {
    (void)l;
    ff_client *c = ud;
    c->conn_state = FF_CONN_DOWN;
    if (initial_connect_pending(c)) {
        set_ready_state(c, FF_EIO, msg);
        return 0;
    }
    if (c->embedded_dir) c->restart_embedded = 1;
    return 1;
}

/* Complete every op waiting for the connection with @p status. */
static void fail_pending(ff_client *c, int status, const char *msg) {
    while (c->pending_head) {
        ff_op *op = c->pending_head;
        c->pending_head = op->qnext;
        if (c->pending_head == NULL) c->pending_tail = NULL;
        op->qnext = NULL;
        ff__op_set_error(op, "%s", msg);
        ff__op_complete(op, status);
    }
}

/* A fatal handshake answer (bad credentials, wrong library version, ...):
 * fail the initial connect; on a reconnect of a working client, fail what
 * waits for the connection and what is submitted until a handshake succeeds
 * again. The link then keeps retrying with backoff (the operator may fix the
 * server). */
static void link_refused(ff__link *l, void *ud, int status, const char *msg) {
    (void)l;
    ff_client *c = ud;
    c->handshake_step = HS_DONE; /* ignore replies still to come */
    if (initial_connect_pending(c)) {
        set_ready_state(c, status, msg);
    } else {
        c->down_status = status;
        snprintf(c->down_msg, sizeof c->down_msg, "%s", msg);
        fail_pending(c, status, msg);
    }
}

/* A transient answer (LOADING, BUSY, ...): the link reconnects with backoff. */
static void link_trouble(ff__link *l, void *ud, const char *msg) {
    (void)l;
    ff_client *c = ud;
    c->handshake_step = HS_DONE;
    note_initial_trouble(c, msg);
}

static void handshake_failed(ff_client *c, int status, const char *msg) {
    ff__link_refused(c->link, status, msg);
}

/* After AUTH and SELECT (done by the link): check the library, load it if
 * needed, read the partition config, install the signing key. */
static void link_handshake(ff__link *l, void *ud) {
    (void)l;
    ff_client *c = ud;
    c->conn_state = FF_CONN_HANDSHAKE;
    c->handshake_step = HS_VERSION;
    c->version_checked_after_load = 0;
    handshake_next(c);
}

/* The embedded server this client started (or found) is gone: start it
 * again on the thread pool (spawning waits for it to answer), then connect. */
typedef struct ensure_work {
    uv_work_t req;
    ff_client *c;
    int status;
    char err[512];
} ensure_work;

static void ensure_run(uv_work_t *req) {
    ensure_work *w = req->data;
    char url[PATH_MAX * 3 + 32];
    w->status = ff__embedded_ensure(w->c->embedded_dir, "restarted", NULL, 0, url, sizeof url, w->err, sizeof w->err);
}

static void ensure_done(uv_work_t *req, int status) {
    ensure_work *w = req->data;
    ff_client *c = w->c;
    c->ensuring = 0;
    int ok = status == 0 && w->status == FF_OK;
    free(w);
    if (c->stopping) return;
    if (ok) {
        c->restart_embedded = 0;
        ff__link_connect(c->link);
    } else {
        ff__link_backoff(c->link);
    }
}

static void start_embedded_restart(ff_client *c) {
    if (c->ensuring || c->stopping) return;
    ensure_work *w = calloc(1, sizeof *w);
    if (w == NULL) {
        ff__link_backoff(c->link);
        return;
    }
    w->c = c;
    w->req.data = w;
    c->ensuring = 1;
    if (uv_queue_work(&c->loop, &w->req, ensure_run, ensure_done) != 0) {
        c->ensuring = 0;
        free(w);
        ff__link_backoff(c->link);
    }
}

/* ---------------------------------------------------------- handshake */


static void hs_send(ff_client *c, redisCallbackFn *fn, int argc, const char **argv, const size_t *lens) {
    if (ff__link_send(c->link, fn, c, argc, argv, lens) != FF_OK) ff__link_drop(c->link);
}

static void on_handshake_reply(redisAsyncContext *ac, void *reply, void *privdata);

static void send_load(ff_client *c) {
    const char *argv[] = {"FUNCTION", "LOAD", "REPLACE", ff__lua_library_source};
    size_t lens[] = {8, 4, 7, ff__lua_library_source_len};
    hs_send(c, on_handshake_reply, 4, argv, lens);
}

static void handshake_next(ff_client *c) {
    if (!ff__link_is_open(c->link)) return;
    switch (c->handshake_step) {
    case HS_VERSION: {
        const char *argv[] = {"FCALL", FF_FN_VERSION, FF_FN_VERSION_NKEYS_STR};
        size_t lens[] = {5, strlen(FF_FN_VERSION), strlen(FF_FN_VERSION_NKEYS_STR)};
        hs_send(c, on_handshake_reply, 3, argv, lens);
        return;
    }
    case HS_LOAD:
        send_load(c);
        return;
    case HS_BOOT: {
        char parts[16], shards[16];
        snprintf(parts, sizeof parts, "%u", (unsigned)c->partitions_wanted);
        snprintf(shards, sizeof shards, "%u", (unsigned)c->lane_shards_wanted);
        const char *argv[] = {"FCALL", FF_FN_BOOT, FF_FN_BOOT_NKEYS_STR, FF__KEY_CONFIG, parts, shards};
        size_t lens[] = {5, strlen(FF_FN_BOOT), strlen(FF_FN_BOOT_NKEYS_STR), strlen(FF__KEY_CONFIG), strlen(parts),
                         strlen(shards)};
        hs_send(c, on_handshake_reply, 6, argv, lens);
        return;
    }
    case HS_SECRETS: {
        const char *argv[] = {"HGET", FF__KEY_CONFIG, "hmac"};
        size_t lens[] = {4, strlen(FF__KEY_CONFIG), 4};
        hs_send(c, on_handshake_reply, 3, argv, lens);
        return;
    }
    case HS_SECRETS_INIT: {
        /* A fresh deployment: install the signing key on every partition
         * that has none (ff_secret_init never replaces one), then record
         * that it is done so later connects skip this. */
        uint32_t parts = atomic_load(&c->partitions);
        c->hs_pending = (int)parts;
        for (uint32_t p = 0; p < parts; p++) {
            char key[48];
            ff__key_sec(key, sizeof key, p);
            const char *argv[] = {"FCALL", FF_FN_SECRET_INIT, FF_FN_SECRET_INIT_NKEYS_STR, key, "k1", c->hmac_secret};
            size_t lens[] = {5, strlen(FF_FN_SECRET_INIT), strlen(FF_FN_SECRET_INIT_NKEYS_STR), strlen(key), 2,
                             strlen(c->hmac_secret)};
            hs_send(c, on_handshake_reply, 6, argv, lens);
        }
        return;
    }
    case HS_SECRETS_MARK: {
        const char *argv[] = {"HSET", FF__KEY_CONFIG, "hmac", "1"};
        size_t lens[] = {4, strlen(FF__KEY_CONFIG), 4, 1};
        hs_send(c, on_handshake_reply, 4, argv, lens);
        return;
    }
    default:
        return;
    }
}

static void become_ready(ff_client *c) {
    ff__link_ready(c->link);
    ff__link_healthy(c->link);
    c->conn_state = FF_CONN_READY;
    c->down_status = 0;
    atomic_store(&c->connected, 1);
    atomic_fetch_add(&c->connect_count, 1);
    set_ready_state(c, 1, NULL);
    flush_pending(c);
}

/* What each handshake step sends, for messages. */
static const char *const hs_command[] = {
    [HS_VERSION] = "FCALL " FF_FN_VERSION,
    [HS_LOAD] = "FUNCTION LOAD",  [HS_BOOT] = "FCALL " FF_FN_BOOT,    [HS_SECRETS] = "HGET " FF__KEY_CONFIG,
    [HS_SECRETS_INIT] = "FCALL " FF_FN_SECRET_INIT, [HS_SECRETS_MARK] = "HSET " FF__KEY_CONFIG,
};

/* Error replies every step treats alike (the link's rule: refusals of who
 * we are, "come back later"). Returns 1 when the reply was handled. */
static int handshake_common_error(ff_client *c, const redisReply *r) {
    if (c->handshake_step >= HS_DONE) return 0;
    if (!ff__link_common_error(c->link, hs_command[c->handshake_step], r)) return 0;
    c->handshake_step = HS_DONE; /* ignore replies still to come */
    return 1;
}

static void on_handshake_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    ff_client *c = privdata;
    redisReply *r = reply;
    if (r == NULL) return; /* connection went away; on_disconnect reconnects */
    if (handshake_common_error(c, r)) return;
    char msg[300];
    switch (c->handshake_step) {
    case HS_VERSION:
        if (r->type == REDIS_REPLY_ERROR && r->str && strstr(r->str, "unknown command")) {
            snprintf(msg, sizeof msg,
                     "server does not support Redis Functions (FCALL unknown); FlowFabric needs Redis >= 7.0 "
                     "or Valkey >= 7.2: %s",
                     r->str);
            handshake_failed(c, FF_EUNSUPPORTED, msg);
            return;
        }
        if ((r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) &&
            strcmp(r->str, ff__lua_library_version) == 0) {
            c->handshake_step = HS_BOOT;
        } else if (c->version_checked_after_load) {
            snprintf(msg, sizeof msg, "function library version mismatch after load (server has %s, want %s)",
                     r->type == REDIS_REPLY_STRING ? r->str : "?", ff__lua_library_version);
            handshake_failed(c, FF_EVERSION, msg);
            return;
        } else {
            c->handshake_step = HS_LOAD;
        }
        break;
    case HS_LOAD:
        if (r->type == REDIS_REPLY_ERROR) {
            snprintf(msg, sizeof msg, "FUNCTION LOAD failed: %.250s", r->str);
            handshake_failed(c, strstr(r->str, "unknown command") ? FF_EUNSUPPORTED : FF_ESERVER, msg);
            return;
        }
        c->version_checked_after_load = 1;
        c->handshake_step = HS_VERSION;
        break;
    case HS_BOOT: {
        if (r->type != REDIS_REPLY_ARRAY || r->elements < 4 || r->element[0]->type != REDIS_REPLY_INTEGER ||
            r->element[0]->integer != 1) {
            snprintf(msg, sizeof msg, "partition config boot failed%s%s", r->type == REDIS_REPLY_ERROR ? ": " : "",
                     r->type == REDIS_REPLY_ERROR ? r->str : "");
            handshake_failed(c, FF_ESERVER, msg);
            return;
        }
        uint32_t parts = (uint32_t)strtoul(r->element[2]->str ? r->element[2]->str : "0", NULL, 10);
        uint32_t shards = (uint32_t)strtoul(r->element[3]->str ? r->element[3]->str : "1", NULL, 10);
        if (parts == 0 || (c->partitions_explicit && parts != c->partitions_wanted)) {
            snprintf(msg, sizeof msg, "deployment has %u partitions, client configured for %u", (unsigned)parts,
                     (unsigned)c->partitions_wanted);
            handshake_failed(c, FF_ECONFIG, msg);
            return;
        }
        atomic_store(&c->partitions, parts);
        atomic_store(&c->lane_shards, shards ? shards : 1);
        c->handshake_step = HS_SECRETS;
        break;
    }
    case HS_SECRETS:
        if ((r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) && strcmp(r->str, "1") == 0) {
            c->handshake_step = HS_DONE;
            become_ready(c);
            return;
        }
        c->handshake_step = HS_SECRETS_INIT;
        break;
    case HS_SECRETS_INIT:
        if (r->type == REDIS_REPLY_ERROR ||
            (r->type == REDIS_REPLY_ARRAY && r->elements > 0 && r->element[0]->integer != 1)) {
            snprintf(msg, sizeof msg, "waitpoint key store init failed: %s",
                     r->type == REDIS_REPLY_ERROR ? r->str : "refused");
            c->handshake_step = HS_DONE; /* ignore the replies still to come */
            handshake_failed(c, FF_ESERVER, msg);
            return;
        }
        if (--c->hs_pending > 0) return;
        c->handshake_step = HS_SECRETS_MARK; /* only once every partition has its key */
        break;
    case HS_SECRETS_MARK:
        c->handshake_step = HS_DONE;
        become_ready(c);
        return;
    case HS_DONE:
        /* A reload triggered by "function not found" (RELOADING state). */
        if (c->conn_state == FF_CONN_RELOADING) {
            c->conn_state = FF_CONN_READY;
            flush_pending(c);
        }
        return;
    default:
        return;
    }
    handshake_next(c);
}

static void request_reload(ff_client *c) {
    if (c->conn_state != FF_CONN_READY || !ff__link_is_open(c->link)) return; /* already reloading or reconnecting */
    c->conn_state = FF_CONN_RELOADING;
    send_load(c);
}

/* ------------------------------------------------------ thread + stop */

static void on_wake(uv_async_t *a) {
    ff_client *c = a->data;
    take_submissions(c);
    pthread_mutex_lock(&c->mu);
    int stopping = c->stopping;
    pthread_mutex_unlock(&c->mu);
    if (!stopping) return;
    /* Shutdown: cancel everything, close the connection and every handle. */
    while (c->live_head) ff__op_complete(c->live_head, FF_ECANCELED);
    ff__waits_close(c);
    ff__blocking_close(c);
    ff__link_free(c->link, NULL, NULL); /* in-flight slots get NULL replies -> ignored (ops done) */
    c->link = NULL;
    uv_close((uv_handle_t *)&c->wake, NULL);
    uv_close((uv_handle_t *)&c->deadline_timer, NULL);
}

int ff__on_io_thread(const ff_client *c) {
    return c->thread_started && pthread_equal(pthread_self(), c->thread);
}

static void *io_main(void *arg) {
    ff_client *c = arg;
    ff__link_connect(c->link);
    uv_run(&c->loop, UV_RUN_DEFAULT);
    return NULL;
}

int ff__io_start(ff_client *c) {
    if (uv_loop_init(&c->loop) != 0) return FF_ESYS;
    uv_async_init(&c->loop, &c->wake, on_wake);
    c->wake.data = c;
    uv_timer_init(&c->loop, &c->deadline_timer);
    c->deadline_timer.data = c;
    static const ff__link_hooks hooks = {
        .handshake = link_handshake,
        .connect_failed = link_connect_failed,
        .refused = link_refused,
        .trouble = link_trouble,
        .down = link_down,
        .before_reconnect = link_before_reconnect,
    };
    c->link = ff__link_new(c, &hooks, c, 1);
    if (c->link == NULL || pthread_create(&c->thread, NULL, io_main, c) != 0) {
        ff__link_free(c->link, NULL, NULL);
        c->link = NULL;
        uv_close((uv_handle_t *)&c->wake, NULL);
        uv_close((uv_handle_t *)&c->deadline_timer, NULL);
        uv_run(&c->loop, UV_RUN_DEFAULT);
        uv_loop_close(&c->loop);
        return FF_ESYS;
    }
    c->thread_started = 1;
    return FF_OK;
}

void ff__io_stop(ff_client *c) {
    if (!c->thread_started) return;
    pthread_mutex_lock(&c->mu);
    c->stopping = 1;
    pthread_mutex_unlock(&c->mu);
    uv_async_send(&c->wake);
    pthread_join(c->thread, NULL);
    c->thread_started = 0;
    /* Anything still open (poll handles closed by hiredis cleanup) finishes here. */
    uv_run(&c->loop, UV_RUN_DEFAULT);
    uv_loop_close(&c->loop);
}
