/* Subscriber connections (see pubsub.h). */
#include "client/pubsub.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000
#define CHANNELS_PER_COMMAND 512

struct ff__sub {
    ff_client *c;
    ff__sub_fn fn;
    void *ud;
    redisAsyncContext *ac;
    int ready;   /* authenticated: SUBSCRIBE goes straight out */
    int closing; /* ff__sub_free ran: callbacks are ignored, the timer is closing */
    uint32_t backoff_ms;
    uv_timer_t retry;
    char **chans;
    size_t nchans, cap;
};

static void sub_connect(ff__sub *s);

static void on_retry(uv_timer_t *t) { sub_connect(t->data); }

static void schedule_retry(ff__sub *s) {
    s->ac = NULL;
    s->ready = 0;
    if (s->closing) return;
    uint32_t d = s->backoff_ms ? s->backoff_ms : BACKOFF_MIN_MS;
    s->backoff_ms = d * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : d * 2;
    uv_timer_start(&s->retry, on_retry, d, 0);
}

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    ff__sub *s = privdata;
    redisReply *r = reply;
    if (s->closing || r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
    redisReply *kind = r->element[0], *chan = r->element[1];
    if (kind->type != REDIS_REPLY_STRING || chan->type != REDIS_REPLY_STRING) return;
    if (strcmp(kind->str, "message") == 0 && r->element[2]->type == REDIS_REPLY_STRING) {
        s->fn(s->ud, FF__SUB_MESSAGE, chan->str, chan->len, r->element[2]->str, r->element[2]->len);
    } else if (strcmp(kind->str, "subscribe") == 0) {
        s->backoff_ms = 0; /* a confirmed subscription: the connection works */
        s->fn(s->ud, FF__SUB_SUBSCRIBED, chan->str, chan->len, NULL, 0);
    }
}

/* SUBSCRIBE chans[from..to) in commands of at most CHANNELS_PER_COMMAND. */
static void send_subscribe(ff__sub *s, size_t from, size_t to) {
    const char *argv[1 + CHANNELS_PER_COMMAND];
    size_t lens[1 + CHANNELS_PER_COMMAND];
    argv[0] = "SUBSCRIBE";
    lens[0] = 9;
    while (from < to && s->ac) {
        int n = 0;
        while (from < to && n < CHANNELS_PER_COMMAND) {
            argv[1 + n] = s->chans[from];
            lens[1 + n] = strlen(s->chans[from]);
            n++;
            from++;
        }
        if (redisAsyncCommandArgv(s->ac, on_reply, s, n + 1, argv, lens) != REDIS_OK) {
            redisAsyncDisconnect(s->ac); /* on_disconnect retries */
            return;
        }
    }
}

static void become_ready(ff__sub *s) {
    s->ready = 1;
    send_subscribe(s, 0, s->nchans);
}

static void on_auth(redisAsyncContext *ac, void *reply, void *privdata) {
    ff__sub *s = privdata;
    redisReply *r = reply;
    if (s->closing || r == NULL) return;
    if (r->type == REDIS_REPLY_ERROR) {
        /* Wrong credentials stay wrong for a while: retry at the slow end. */
        s->backoff_ms = BACKOFF_MAX_MS;
        redisAsyncDisconnect(ac);
        return;
    }
    become_ready(s);
}

static void on_connect(const redisAsyncContext *ac, int status) {
    ff__sub *s = ac->data;
    if (s->closing) return;
    if (status != REDIS_OK) {
        schedule_retry(s); /* hiredis frees the context and skips on_disconnect */
        return;
    }
    const char *argv[3];
    size_t lens[3];
    int argc = ff__conn_auth_argv(s->c, argv, lens);
    if (argc == 0) {
        become_ready(s);
    } else if (redisAsyncCommandArgv(s->ac, on_auth, s, argc, argv, lens) != REDIS_OK) {
        redisAsyncDisconnect(s->ac);
    }
}

static void on_disconnect(const redisAsyncContext *ac, int status) {
    (void)status;
    schedule_retry(ac->data);
}

static void sub_connect(ff__sub *s) {
    if (s->ac || s->closing || s->nchans == 0) return;
    char err[400];
    redisAsyncContext *ac = ff__conn_open(s->c, s, err, sizeof err);
    if (ac == NULL) {
        schedule_retry(s);
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    s->ac = ac;
}

ff__sub *ff__sub_new(ff_client *c, ff__sub_fn fn, void *ud) {
    ff__sub *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->c = c;
    s->fn = fn;
    s->ud = ud;
    uv_timer_init(&c->loop, &s->retry);
    s->retry.data = s;
    return s;
}

int ff__sub_add(ff__sub *s, const char *chan) {
    if (s->nchans == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **n = realloc(s->chans, cap * sizeof *n);
        if (n == NULL) return FF_ENOMEM;
        s->chans = n;
        s->cap = cap;
    }
    char *copy = ff__strdup(chan);
    if (copy == NULL) return FF_ENOMEM;
    s->chans[s->nchans++] = copy;
    if (s->ready)
        send_subscribe(s, s->nchans - 1, s->nchans);
    else if (s->ac == NULL && !uv_is_active((uv_handle_t *)&s->retry))
        sub_connect(s);
    return FF_OK;
}

static void on_timer_closed(uv_handle_t *h) {
    ff__sub *s = h->data;
    for (size_t i = 0; i < s->nchans; i++) free(s->chans[i]);
    free(s->chans);
    free(s);
}

void ff__sub_free(ff__sub *s) {
    if (s == NULL) return;
    s->closing = 1;
    if (s->ac) {
        redisAsyncContext *ac = s->ac;
        s->ac = NULL;
        redisAsyncFree(ac); /* its callbacks see `closing` and return */
    }
    /* The struct lives until the timer handle is closed (a later loop
     * iteration), so callbacks hiredis still runs during the free above,
     * or deferred to the end of a callback in progress, find it valid. */
    uv_timer_stop(&s->retry);
    uv_close((uv_handle_t *)&s->retry, on_timer_closed);
}
