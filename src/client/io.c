/* The client's I/O thread: one libuv loop, one pipelined hiredis connection,
 * connection handshake (auth, library load, partition config), reconnect with
 * backoff, per-call deadlines, and reload-and-retry on "function not found". */
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client_int.h"
#include "client/waits.h"
#include "core/lua_lib.h"
#include "proto/arity.h"
#include "proto/keys.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000

static void connect_now(ff_client *c);
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
    ff_client *c = ac->data;
    cmd_slot *slot = privdata;
    ff_op *op = slot->op;
    redisReply *r = reply;
    if (!atomic_load(&op->done) && slot->gen == op->gen) {
        if (r == NULL && op->retry_transport && !c->stopping) {
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
        if (redisAsyncCommandArgv(c->ac, on_reply, slot, cmd->argc, (const char **)cmd->argv, cmd->argvlen) !=
            REDIS_OK) {
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

static void take_submissions(ff_client *c) {
    pthread_mutex_lock(&c->mu);
    ff_op *list = c->submit_head;
    c->submit_head = c->submit_tail = NULL;
    int stopping = c->stopping;
    pthread_mutex_unlock(&c->mu);
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
        live_add(c, op);
        if (op->io_start)
            op->io_start(op);
        else
            send_or_pend(c, op);
    }
    arm_deadline(c);
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

static void on_reconnect_timer(uv_timer_t *t) {
    ff_client *c = t->data;
    if (c->restart_embedded && c->embedded_dir)
        start_embedded_restart(c);
    else
        connect_now(c);
}

static void schedule_reconnect(ff_client *c) {
    if (c->stopping) return;
    c->conn_state = FF_CONN_DOWN;
    uint32_t delay = c->backoff_ms ? c->backoff_ms : BACKOFF_MIN_MS;
    c->backoff_ms = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
    uv_timer_start(&c->reconnect_timer, on_reconnect_timer, delay, 0);
}

/* Nothing answers at the address. The first connect of ff_client_new fails
 * at once (a wrong address does not get better by waiting out the connect
 * timeout); a client that was connected keeps trying with backoff, and one
 * that owns the embedded server makes sure it runs first. */
static void connect_failed(ff_client *c, const char *msg) {
    c->conn_state = FF_CONN_DOWN;
    if (initial_connect_pending(c)) {
        set_ready_state(c, FF_EIO, msg);
        return;
    }
    if (c->embedded_dir) c->restart_embedded = 1;
    schedule_reconnect(c);
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
 * again, and keep retrying with backoff (the operator may fix the server). */
static void handshake_failed(ff_client *c, int status, const char *msg) {
    if (initial_connect_pending(c)) {
        set_ready_state(c, status, msg);
    } else {
        c->down_status = status;
        snprintf(c->down_msg, sizeof c->down_msg, "%s", msg);
        fail_pending(c, status, msg);
    }
    if (c->ac) redisAsyncDisconnect(c->ac);
}

/* A transient answer (LOADING, BUSY, ...): reconnect with backoff. */
static void handshake_retry(ff_client *c, const char *msg) {
    note_initial_trouble(c, msg);
    if (c->ac) redisAsyncDisconnect(c->ac);
}

static void on_connect(const redisAsyncContext *ac, int status) {
    ff_client *c = ac->data;
    if (status != REDIS_OK) {
        char msg[400];
        ff__conn_failure(c, ac, msg, sizeof msg);
        c->ac = NULL; /* hiredis frees it and does not call on_disconnect */
        connect_failed(c, msg);
        return;
    }
    c->conn_state = FF_CONN_HANDSHAKE;
    c->handshake_step = 0;
    c->version_checked_after_load = 0;
    handshake_next(c);
}

static void on_disconnect(const redisAsyncContext *ac, int status) {
    (void)status;
    ff_client *c = ac->data;
    c->ac = NULL;
    atomic_store(&c->connected, 0);
    schedule_reconnect(c);
}

static void connect_now(ff_client *c) {
    if (c->stopping || c->ac != NULL) return;
    char msg[400];
    redisAsyncContext *ac = ff__conn_open(c, c, msg, sizeof msg);
    if (ac == NULL) {
        connect_failed(c, msg);
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    c->ac = ac;
    c->conn_state = FF_CONN_CONNECTING;
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
        connect_now(c);
    } else {
        schedule_reconnect(c);
    }
}

static void start_embedded_restart(ff_client *c) {
    if (c->ensuring || c->stopping) return;
    ensure_work *w = calloc(1, sizeof *w);
    if (w == NULL) {
        schedule_reconnect(c);
        return;
    }
    w->c = c;
    w->req.data = w;
    c->ensuring = 1;
    if (uv_queue_work(&c->loop, &w->req, ensure_run, ensure_done) != 0) {
        c->ensuring = 0;
        free(w);
        schedule_reconnect(c);
    }
}

/* ---------------------------------------------------------- handshake */

enum { HS_AUTH = 0, HS_SELECT, HS_VERSION, HS_LOAD, HS_BOOT, HS_SECRETS, HS_SECRETS_INIT, HS_SECRETS_MARK, HS_DONE };

static void hs_send(ff_client *c, redisCallbackFn *fn, int argc, const char **argv, const size_t *lens) {
    if (redisAsyncCommandArgv(c->ac, fn, NULL, argc, argv, lens) != REDIS_OK) {
        redisAsyncDisconnect(c->ac);
    }
}

static void on_handshake_reply(redisAsyncContext *ac, void *reply, void *privdata);

static void send_load(ff_client *c) {
    const char *argv[] = {"FUNCTION", "LOAD", "REPLACE", ff__lua_library_source};
    size_t lens[] = {8, 4, 7, ff__lua_library_source_len};
    hs_send(c, on_handshake_reply, 4, argv, lens);
}

static void handshake_next(ff_client *c) {
    if (c->ac == NULL) return;
    switch (c->handshake_step) {
    case HS_AUTH: {
        const char *argv[3];
        size_t lens[3];
        int argc = ff__conn_auth_argv(c, argv, lens);
        if (argc > 0) {
            hs_send(c, on_handshake_reply, argc, argv, lens);
            return;
        }
        c->handshake_step = HS_SELECT;
    }
        /* fall through */
    case HS_SELECT:
        if (c->db > 0) {
            char db[16];
            snprintf(db, sizeof db, "%d", c->db);
            const char *argv[] = {"SELECT", db};
            size_t lens[] = {6, strlen(db)};
            hs_send(c, on_handshake_reply, 2, argv, lens);
            return;
        }
        c->handshake_step = HS_VERSION;
        /* fall through */
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
    c->conn_state = FF_CONN_READY;
    c->backoff_ms = 0;
    c->down_status = 0;
    atomic_store(&c->connected, 1);
    atomic_fetch_add(&c->connect_count, 1);
    set_ready_state(c, 1, NULL);
    flush_pending(c);
}

/* What each handshake step sends, for messages. */
static const char *const hs_command[] = {
    [HS_AUTH] = "AUTH",           [HS_SELECT] = "SELECT",          [HS_VERSION] = "FCALL " FF_FN_VERSION,
    [HS_LOAD] = "FUNCTION LOAD",  [HS_BOOT] = "FCALL " FF_FN_BOOT,    [HS_SECRETS] = "HGET " FF__KEY_CONFIG,
    [HS_SECRETS_INIT] = "FCALL " FF_FN_SECRET_INIT, [HS_SECRETS_MARK] = "HSET " FF__KEY_CONFIG,
};

/* Answers that mean "not now" rather than "no": the server is loading its
 * data set, running a long script, or a replica without its primary. */
static int is_transient_error(const char *s) {
    return strncmp(s, "LOADING", 7) == 0 || strncmp(s, "BUSY", 4) == 0 || strncmp(s, "MASTERDOWN", 10) == 0 ||
           strncmp(s, "TRYAGAIN", 8) == 0;
}

/* Error replies every step treats alike: the server refusing who we are
 * (FF_EAUTH with its own words), or asking us to come back later. Returns 1
 * when the reply was handled. */
static int handshake_common_error(ff_client *c, const redisReply *r) {
    if (r->type != REDIS_REPLY_ERROR || r->str == NULL || c->handshake_step >= HS_DONE) return 0;
    char msg[300];
    const char *cmd = hs_command[c->handshake_step];
    if (c->handshake_step == HS_AUTH) {
        snprintf(msg, sizeof msg, "AUTH failed: %.250s", r->str);
    } else if (strncmp(r->str, "NOAUTH", 6) == 0) {
        snprintf(msg, sizeof msg,
                 "the server requires a password (%s answered: %.150s); put it in the URL: "
                 "redis://[user]:password@host:port",
                 cmd, r->str);
    } else if (ff__is_auth_error(r->str)) {
        snprintf(msg, sizeof msg, "%s refused: %.250s", cmd, r->str);
    } else if (is_transient_error(r->str)) {
        snprintf(msg, sizeof msg, "%s: %.250s", cmd, r->str);
        c->handshake_step = HS_DONE; /* ignore replies still to come */
        handshake_retry(c, msg);
        return 1;
    } else {
        return 0;
    }
    c->handshake_step = HS_DONE;
    handshake_failed(c, FF_EAUTH, msg);
    return 1;
}

static void on_handshake_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)privdata;
    ff_client *c = ac->data;
    redisReply *r = reply;
    if (r == NULL) return; /* connection went away; on_disconnect reconnects */
    if (handshake_common_error(c, r)) return;
    char msg[300];
    switch (c->handshake_step) {
    case HS_AUTH: /* errors: handshake_common_error */
        c->handshake_step = HS_SELECT;
        break;
    case HS_SELECT:
        if (r->type == REDIS_REPLY_ERROR) {
            snprintf(msg, sizeof msg, "SELECT failed: %s", r->str);
            handshake_failed(c, FF_EINVAL, msg);
            return;
        }
        c->handshake_step = HS_VERSION;
        break;
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
    if (c->conn_state != FF_CONN_READY || c->ac == NULL) return; /* already reloading or reconnecting */
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
    uv_timer_stop(&c->reconnect_timer);
    if (c->ac) {
        redisAsyncContext *ac = c->ac;
        c->ac = NULL;
        ac->onDisconnect = NULL;
        redisAsyncFree(ac); /* in-flight slots get NULL replies -> ignored (ops done) */
    }
    uv_close((uv_handle_t *)&c->wake, NULL);
    uv_close((uv_handle_t *)&c->deadline_timer, NULL);
    uv_close((uv_handle_t *)&c->reconnect_timer, NULL);
}

int ff__on_io_thread(const ff_client *c) {
    return c->thread_started && pthread_equal(pthread_self(), c->thread);
}

static void *io_main(void *arg) {
    ff_client *c = arg;
    connect_now(c);
    uv_run(&c->loop, UV_RUN_DEFAULT);
    return NULL;
}

int ff__io_start(ff_client *c) {
    if (uv_loop_init(&c->loop) != 0) return FF_ESYS;
    uv_async_init(&c->loop, &c->wake, on_wake);
    c->wake.data = c;
    uv_timer_init(&c->loop, &c->deadline_timer);
    c->deadline_timer.data = c;
    uv_timer_init(&c->loop, &c->reconnect_timer);
    c->reconnect_timer.data = c;
    if (pthread_create(&c->thread, NULL, io_main, c) != 0) {
        uv_close((uv_handle_t *)&c->wake, NULL);
        uv_close((uv_handle_t *)&c->deadline_timer, NULL);
        uv_close((uv_handle_t *)&c->reconnect_timer, NULL);
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
