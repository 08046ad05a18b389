/* Subscriber connections (see pubsub.h). */
#include "client/pubsub.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"

#include "client/link.h"

#define CHANNELS_PER_COMMAND 512

/* The connection (connect, AUTH, reconnect with backoff) is an ff__link;
 * its handshake step is SUBSCRIBE of every channel, on every (re)connect. */
struct ff__sub {
    ff_client *c;
    ff__sub_fn fn;
    void *ud;
    ff__link *link;
    char **chans;
    size_t nchans, cap;
};

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    ff__sub *s = privdata;
    redisReply *r = reply;
    if (r == NULL || s->link == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
    redisReply *kind = r->element[0], *chan = r->element[1];
    if (kind->type != REDIS_REPLY_STRING || chan->type != REDIS_REPLY_STRING) return;
    if (strcmp(kind->str, "message") == 0 && r->element[2]->type == REDIS_REPLY_STRING) {
        s->fn(s->ud, FF__SUB_MESSAGE, chan->str, chan->len, r->element[2]->str, r->element[2]->len);
    } else if (strcmp(kind->str, "subscribe") == 0) {
        ff__link_healthy(s->link); /* a confirmed subscription: the connection works */
        s->fn(s->ud, FF__SUB_SUBSCRIBED, chan->str, chan->len, NULL, 0);
    }
}

/* SUBSCRIBE chans[from..to) in commands of at most CHANNELS_PER_COMMAND. */
static void send_subscribe(ff__sub *s, size_t from, size_t to) {
    const char *argv[1 + CHANNELS_PER_COMMAND];
    size_t lens[1 + CHANNELS_PER_COMMAND];
    argv[0] = "SUBSCRIBE";
    lens[0] = 9;
    while (from < to && ff__link_is_open(s->link)) {
        int n = 0;
        while (from < to && n < CHANNELS_PER_COMMAND) {
            argv[1 + n] = s->chans[from];
            lens[1 + n] = strlen(s->chans[from]);
            n++;
            from++;
        }
        if (ff__link_send(s->link, on_reply, s, n + 1, argv, lens) != FF_OK) {
            ff__link_drop(s->link); /* the link reconnects */
            return;
        }
    }
}

/* The link's handshake step: authenticated, subscribe to everything. */
static void link_handshake(ff__link *l, void *ud) {
    ff__sub *s = ud;
    ff__link_ready(l);
    send_subscribe(s, 0, s->nchans);
}

/* Wrong credentials stay wrong for a while: retry at the slow end. */
static void link_refused(ff__link *l, void *ud, int status, const char *msg) {
    (void)ud;
    (void)status;
    (void)msg;
    ff__link_slow_down(l);
}

/* A subscriber with no channel does not reconnect until one is added. */
static int link_before_reconnect(ff__link *l, void *ud) {
    (void)l;
    ff__sub *s = ud;
    return s->nchans == 0;
}

ff__sub *ff__sub_new(ff_client *c, ff__sub_fn fn, void *ud) {
    ff__sub *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->c = c;
    s->fn = fn;
    s->ud = ud;
    static const ff__link_hooks hooks = {
        .handshake = link_handshake,
        .refused = link_refused,
        .before_reconnect = link_before_reconnect,
    };
    /* No SELECT: pub/sub channels are not per database. */
    s->link = ff__link_new(c, &hooks, s, 0);
    if (s->link == NULL) {
        free(s);
        return NULL;
    }
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
    if (ff__link_is_ready(s->link))
        send_subscribe(s, s->nchans - 1, s->nchans);
    else if (s->nchans == 1)
        ff__link_connect(s->link); /* the first channel opens the connection */
    return FF_OK;
}

static void sub_release(void *arg) {
    ff__sub *s = arg;
    for (size_t i = 0; i < s->nchans; i++) free(s->chans[i]);
    free(s->chans);
    free(s);
}

void ff__sub_free(ff__sub *s) {
    if (s == NULL) return;
    ff__link *l = s->link;
    s->link = NULL; /* replies hiredis still delivers see it and return */
    /* The struct lives until the link is gone (a later loop iteration), so
     * callbacks hiredis defers to the end of a callback in progress find it
     * valid. */
    ff__link_free(l, sub_release, s);
}
