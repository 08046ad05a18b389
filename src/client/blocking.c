/* The pool of dedicated connections for blocking commands (see blocking.h). */
#include "client/blocking.h"

#include <stdlib.h>
#include <string.h>

#include "client/link.h"

typedef struct ff__blocking pool;
typedef struct ticket ticket;

/* One pool connection and the request it serves (NULL: free). */
typedef struct slot {
    pool *p;
    ff__link *link;
    ff__block *req;
} slot;

struct ff__block {
    int argc;
    char **argv;
    size_t *lens;
    ff__block_fn fn;
    void *ud;
    slot *slot;      /* while assigned */
    ticket *sent;    /* while its command is in flight on slot->link */
    ff__block *next; /* the wait queue */
};

struct ff__blocking {
    ff_client *c;
    slot *slots;
    uint32_t n;
    ff__block *qhead, *qtail;
};

static void block_free(ff__block *b) {
    for (int i = 0; i < b->argc; i++) free(b->argv[i]);
    free(b->argv);
    free(b->lens);
    free(b);
}

static void assign(pool *p);

/* The privdata of a sent command: the request, or NULL once it was
 * cancelled (then the link is being freed and frees this ticket). */
struct ticket {
    ff__block *req;
};

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    ticket *t = privdata;
    ff__block *b = t->req;
    if (b == NULL) return; /* cancelled: its link's freed hook frees t */
    free(t);
    slot *s = b->slot;
    s->req = NULL;
    pool *p = s->p;
    if (reply) ff__link_healthy(s->link);
    b->fn(b->ud, reply);
    block_free(b);
    assign(p);
}

static void send_req(slot *s) {
    ff__block *b = s->req;
    ticket *t = malloc(sizeof *t);
    if (t == NULL) return; /* stays unsent: the op's deadline ends it */
    t->req = b;
    if (ff__link_send(s->link, on_reply, t, b->argc, (const char **)b->argv, b->lens) != FF_OK) {
        free(t);
        return; /* the link is down: sent again once it is ready */
    }
    b->sent = t;
}

/* Every (re)connect: authenticated, send what waits for this connection. */
static void link_handshake(ff__link *l, void *ud) {
    slot *s = ud;
    ff__link_ready(l);
    if (s->req && !s->req->sent) send_req(s);
}

/* A slot with nothing to do does not reconnect until it is used. */
static int link_before_reconnect(ff__link *l, void *ud) {
    (void)l;
    slot *s = ud;
    return s->req == NULL;
}

static const ff__link_hooks HOOKS = {
    /* no down hook: a command in flight gets its NULL reply (its owner
     * decides), an unsent request waits for the reconnect */
    .handshake = link_handshake,
    .before_reconnect = link_before_reconnect,
};

/* Hand queued requests to free slots. */
static void assign(pool *p) {
    for (uint32_t i = 0; i < p->n && p->qhead; i++) {
        slot *s = &p->slots[i];
        if (s->req) continue;
        if (s->link == NULL) {
            s->link = ff__link_new(p->c, &HOOKS, s, 1);
            if (s->link == NULL) return; /* OOM: the waiting ops end by deadline */
        }
        ff__block *b = p->qhead;
        p->qhead = b->next;
        if (p->qhead == NULL) p->qtail = NULL;
        b->next = NULL;
        b->slot = s;
        s->req = b;
        if (ff__link_is_ready(s->link))
            send_req(s);
        else
            ff__link_connect(s->link); /* link_handshake sends it */
    }
}

static pool *pool_get(ff_client *c) {
    if (c->blocking) return c->blocking;
    pool *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    p->n = c->blocking_max ? c->blocking_max : 1;
    p->slots = calloc(p->n, sizeof *p->slots);
    if (p->slots == NULL) {
        free(p);
        return NULL;
    }
    for (uint32_t i = 0; i < p->n; i++) p->slots[i].p = p;
    p->c = c;
    c->blocking = p;
    return p;
}

ff__block *ff__block_run(ff_client *c, int argc, const char *const *argv, const size_t *lens, ff__block_fn fn,
                         void *ud) {
    pool *p = pool_get(c);
    if (p == NULL) return NULL;
    ff__block *b = calloc(1, sizeof *b);
    if (b == NULL) return NULL;
    b->argv = calloc((size_t)argc, sizeof *b->argv);
    b->lens = calloc((size_t)argc, sizeof *b->lens);
    if (b->argv == NULL || b->lens == NULL) {
        block_free(b);
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        b->argv[i] = ff__memdup(argv[i], lens[i]);
        if (b->argv[i] == NULL) {
            block_free(b);
            return NULL;
        }
        b->lens[i] = lens[i];
        b->argc = i + 1;
    }
    b->fn = fn;
    b->ud = ud;
    if (p->qtail)
        p->qtail->next = b;
    else
        p->qhead = b;
    p->qtail = b;
    assign(p);
    return b;
}

static void ticket_freed(void *arg) { free(arg); }

/* Close the slot's link, abandoning what blocks on it; a fresh link is made
 * when the slot is next used. */
static void slot_reset(slot *s) {
    ff__block *b = s->req;
    ticket *t = b ? b->sent : NULL;
    if (t) t->req = NULL;
    s->req = NULL;
    ff__link *l = s->link;
    s->link = NULL;
    ff__link_free(l, t ? ticket_freed : NULL, t);
}

void ff__block_cancel(ff_client *c, ff__block *b) {
    pool *p = c->blocking;
    if (b == NULL || p == NULL) return;
    if (b->slot == NULL) { /* still queued */
        ff__block **pp = &p->qhead, *prev = NULL;
        while (*pp && *pp != b) {
            prev = *pp;
            pp = &(*pp)->next;
        }
        if (*pp) {
            *pp = b->next;
            if (p->qtail == b) p->qtail = prev;
        }
        block_free(b);
        return;
    }
    slot *s = b->slot;
    if (b->sent)
        slot_reset(s); /* the server still blocks on it: drop the connection */
    else
        s->req = NULL; /* waiting for its connection: that link is fine */
    block_free(b);
    assign(p);
}

void ff__blocking_close(ff_client *c) {
    pool *p = c->blocking;
    if (p == NULL) return;
    c->blocking = NULL;
    while (p->qhead) {
        ff__block *b = p->qhead;
        p->qhead = b->next;
        block_free(b);
    }
    for (uint32_t i = 0; i < p->n; i++) {
        slot *s = &p->slots[i];
        ff__block *b = s->req;
        slot_reset(s);
        if (b) block_free(b);
    }
    free(p->slots);
    free(p);
}
