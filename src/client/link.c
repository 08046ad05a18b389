/* The connection module (see link.h). */
#include "client/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000

enum link_state { L_DOWN = 0, L_CONNECTING, L_AUTH, L_SELECT, L_HANDSHAKE, L_READY };

struct ff__link {
    ff_client *c;
    ff__link_hooks hooks;
    void *ud;
    int select_db;
    redisAsyncContext *ac;
    int state;
    int closing; /* ff__link_free ran: hooks and replies are ignored */
    uint32_t backoff_ms;
    uv_timer_t timer;
    void (*freed)(void *);
    void *freed_arg;
};

/* ------------------------------------------------------------ backoff */

static void on_timer(uv_timer_t *t) {
    ff__link *l = t->data;
    if (l->closing) return;
    if (l->hooks.before_reconnect && l->hooks.before_reconnect(l, l->ud)) return;
    ff__link_connect(l);
}

void ff__link_backoff(ff__link *l) {
    l->state = L_DOWN;
    if (l->closing) return;
    uint32_t delay = l->backoff_ms ? l->backoff_ms : BACKOFF_MIN_MS;
    l->backoff_ms = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
    uv_timer_start(&l->timer, on_timer, delay, 0);
}

void ff__link_healthy(ff__link *l) { l->backoff_ms = 0; }
void ff__link_slow_down(ff__link *l) { l->backoff_ms = BACKOFF_MAX_MS; }

static void connect_failed(ff__link *l, const char *msg) {
    l->state = L_DOWN;
    if (l->hooks.connect_failed == NULL || l->hooks.connect_failed(l, l->ud, msg)) ff__link_backoff(l);
}

/* ---------------------------------------------------------- handshake */

static void on_step_reply(redisAsyncContext *ac, void *reply, void *privdata);

static void send_step(ff__link *l, int argc, const char **argv, const size_t *lens) {
    if (ff__link_send(l, on_step_reply, l, argc, argv, lens) != FF_OK && l->ac) redisAsyncDisconnect(l->ac);
}

/* Run the steps from l->state on: AUTH, SELECT, then the caller's. */
static void step_next(ff__link *l) {
    if (l->ac == NULL) return;
    switch (l->state) {
    case L_AUTH: {
        const char *argv[3];
        size_t lens[3];
        int argc = ff__conn_auth_argv(l->c, argv, lens);
        if (argc > 0) {
            send_step(l, argc, argv, lens);
            return;
        }
        l->state = L_SELECT;
    }
        /* fall through */
    case L_SELECT:
        if (l->select_db && l->c->db > 0) {
            char db[16];
            snprintf(db, sizeof db, "%d", l->c->db);
            const char *argv[] = {"SELECT", db};
            size_t lens[] = {6, strlen(db)};
            send_step(l, 2, argv, lens);
            return;
        }
        l->state = L_HANDSHAKE;
        /* fall through */
    case L_HANDSHAKE:
        if (l->hooks.handshake)
            l->hooks.handshake(l, l->ud);
        else
            ff__link_ready(l);
        return;
    default:
        return;
    }
}

/* Answers that mean "not now" rather than "no": the server is loading its
 * data set, running a long script, or a replica without its primary. */
static int is_transient_error(const char *s) {
    return strncmp(s, "LOADING", 7) == 0 || strncmp(s, "BUSY", 4) == 0 || strncmp(s, "MASTERDOWN", 10) == 0 ||
           strncmp(s, "TRYAGAIN", 8) == 0;
}

int ff__link_common_error(ff__link *l, const char *cmd, const redisReply *r) {
    if (r->type != REDIS_REPLY_ERROR || r->str == NULL) return 0;
    char msg[300];
    if (strncmp(r->str, "NOAUTH", 6) == 0) {
        snprintf(msg, sizeof msg,
                 "the server requires a password (%s answered: %.150s); put it in the URL: "
                 "redis://[user]:password@host:port",
                 cmd, r->str);
    } else if (ff__is_auth_error(r->str)) {
        snprintf(msg, sizeof msg, "%s refused: %.250s", cmd, r->str);
    } else if (is_transient_error(r->str)) {
        snprintf(msg, sizeof msg, "%s: %.250s", cmd, r->str);
        ff__link_retry(l, msg);
        return 1;
    } else {
        return 0;
    }
    ff__link_refused(l, FF_EAUTH, msg);
    return 1;
}

static void on_step_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    ff__link *l = privdata;
    redisReply *r = reply;
    if (l->closing || r == NULL) return; /* gone; on_disconnect reconnects */
    char msg[300];
    if (l->state == L_AUTH) {
        if (r->type == REDIS_REPLY_ERROR) {
            snprintf(msg, sizeof msg, "AUTH failed: %.250s", r->str ? r->str : "");
            ff__link_refused(l, FF_EAUTH, msg);
            return;
        }
        l->state = L_SELECT;
    } else if (l->state == L_SELECT) {
        if (ff__link_common_error(l, "SELECT", r)) return;
        if (r->type == REDIS_REPLY_ERROR) {
            snprintf(msg, sizeof msg, "SELECT failed: %s", r->str ? r->str : "");
            ff__link_refused(l, FF_EINVAL, msg);
            return;
        }
        l->state = L_HANDSHAKE;
    } else {
        return; /* a stale reply of a step abandoned by a refusal */
    }
    step_next(l);
}

void ff__link_ready(ff__link *l) {
    if (l->ac) l->state = L_READY;
}

void ff__link_refused(ff__link *l, int status, const char *msg) {
    if (l->closing) return;
    l->state = L_DOWN; /* replies still to come belong to no step */
    if (l->hooks.refused) l->hooks.refused(l, l->ud, status, msg);
    if (l->ac) redisAsyncDisconnect(l->ac);
}

void ff__link_retry(ff__link *l, const char *msg) {
    if (l->closing) return;
    l->state = L_DOWN;
    if (l->hooks.trouble) l->hooks.trouble(l, l->ud, msg);
    if (l->ac) redisAsyncDisconnect(l->ac);
}

void ff__link_drop(ff__link *l) {
    if (l->ac) redisAsyncDisconnect(l->ac);
}

/* --------------------------------------------------------- connection */

static void on_connect(const redisAsyncContext *ac, int status) {
    ff__link *l = ac->data;
    if (l->closing) return;
    if (status != REDIS_OK) {
        char msg[400];
        ff__conn_failure(l->c, ac, msg, sizeof msg);
        l->ac = NULL; /* hiredis frees it and does not call on_disconnect */
        connect_failed(l, msg);
        return;
    }
    l->state = L_AUTH;
    step_next(l);
}

static void on_disconnect(const redisAsyncContext *ac, int status) {
    (void)status;
    ff__link *l = ac->data;
    if (l->closing) return;
    l->ac = NULL;
    l->state = L_DOWN;
    if (l->hooks.down) l->hooks.down(l, l->ud);
    ff__link_backoff(l);
}

void ff__link_connect(ff__link *l) {
    if (l->closing || l->ac != NULL) return;
    char msg[400];
    redisAsyncContext *ac = ff__conn_open(l->c, l, msg, sizeof msg);
    if (ac == NULL) {
        connect_failed(l, msg);
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    l->ac = ac;
    l->state = L_CONNECTING;
}

int ff__link_send(ff__link *l, redisCallbackFn *fn, void *priv, int argc, const char **argv, const size_t *lens) {
    if (l->ac == NULL || l->closing) return FF_EIO;
    return redisAsyncCommandArgv(l->ac, fn, priv, argc, argv, lens) == REDIS_OK ? FF_OK : FF_EIO;
}

int ff__link_is_ready(const ff__link *l) { return l->state == L_READY && l->ac != NULL; }
int ff__link_is_open(const ff__link *l) { return l->ac != NULL; }
void *ff__link_ud(const ff__link *l) { return l->ud; }
ff_client *ff__link_client(const ff__link *l) { return l->c; }

ff__link *ff__link_new(ff_client *c, const ff__link_hooks *hooks, void *ud, int select_db) {
    ff__link *l = calloc(1, sizeof *l);
    if (l == NULL) return NULL;
    l->c = c;
    if (hooks) l->hooks = *hooks;
    l->ud = ud;
    l->select_db = select_db;
    uv_timer_init(&c->loop, &l->timer);
    l->timer.data = l;
    return l;
}

static void on_timer_closed(uv_handle_t *h) {
    ff__link *l = h->data;
    void (*freed)(void *) = l->freed;
    void *arg = l->freed_arg;
    free(l);
    if (freed) freed(arg);
}

void ff__link_free(ff__link *l, void (*freed)(void *), void *arg) {
    if (l == NULL) {
        if (freed) freed(arg);
        return;
    }
    l->closing = 1;
    l->freed = freed;
    l->freed_arg = arg;
    if (l->ac) {
        redisAsyncContext *ac = l->ac;
        l->ac = NULL;
        redisAsyncFree(ac); /* in-flight callbacks get NULL replies */
    }
    /* The struct lives until the timer handle is closed (a later loop
     * iteration), so callbacks hiredis still runs during the free above,
     * or defers to the end of a callback in progress, find it valid. */
    uv_timer_stop(&l->timer);
    uv_close((uv_handle_t *)&l->timer, on_timer_closed);
}

int ff__link_lost_action(int retry_transport, int stopping) {
    return retry_transport && !stopping ? FF__LOST_RESEND : FF__LOST_FAIL;
}
