/* Registry of the client's waits for executions (see waits.h). */
#include "client/waits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/pubsub.h"
#include "proto/keys.h"

typedef struct wait_entry {
    ff_op *op;
    const char *eid;
    ff__wait_fn fn;
    struct wait_entry *next;
} wait_entry;

enum { CHAN_NONE = 0, CHAN_SUBSCRIBING, CHAN_CONFIRMED };

struct ff__waits {
    ff__sub *sub;
    uint32_t partitions;
    wait_entry **by_part; /* the waits of each partition */
    uint8_t *chan;        /* CHAN_* per partition */
};

/* Partition of a done channel (ff__chan_done), or UINT32_MAX. */
static uint32_t chan_partition(const ff__waits *w, const char *chan, size_t len) {
    char name[64];
    uint32_t p = 0;
    if (len >= sizeof name) return UINT32_MAX;
    memcpy(name, chan, len);
    name[len] = '\0';
    if (ff__chan_done_parse(name, &p) != 0 || p >= w->partitions) return UINT32_MAX;
    return p;
}

static void on_event(void *ud, int event, const char *chan, size_t chan_len, const char *data, size_t len) {
    ff__waits *w = ud;
    uint32_t p = chan_partition(w, chan, chan_len);
    if (p == UINT32_MAX) return;
    if (event == FF__SUB_SUBSCRIBED) w->chan[p] = CHAN_CONFIRMED;
    /* fn may end its own op, which unlinks its entry: keep the next one. */
    for (wait_entry *e = w->by_part[p], *next; e; e = next) {
        next = e->next;
        if (event == FF__SUB_SUBSCRIBED)
            e->fn(e->op, FF__WAIT_CHECK);
        else if (strlen(e->eid) == len && memcmp(e->eid, data, len) == 0)
            e->fn(e->op, FF__WAIT_DONE);
    }
}

static ff__waits *waits_get(ff_client *c) {
    if (c->waits) return c->waits;
    ff__waits *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->partitions = ff_client_partitions(c);
    w->by_part = calloc(w->partitions ? w->partitions : 1, sizeof *w->by_part);
    w->chan = calloc(w->partitions ? w->partitions : 1, 1);
    w->sub = ff__sub_new(c, on_event, w);
    if (w->by_part == NULL || w->chan == NULL || w->sub == NULL) {
        ff__sub_free(w->sub);
        free(w->by_part);
        free(w->chan);
        free(w);
        return NULL;
    }
    c->waits = w;
    return w;
}

int ff__waits_add(ff_client *c, ff_op *op, uint32_t partition, const char *eid, ff__wait_fn fn) {
    ff__waits *w = waits_get(c);
    if (w == NULL || partition >= w->partitions) return FF_ENOMEM;
    wait_entry *e = malloc(sizeof *e);
    if (e == NULL) return FF_ENOMEM;
    if (w->chan[partition] == CHAN_NONE) {
        char chan[48];
        ff__chan_done(chan, sizeof chan, partition);
        if (ff__sub_add(w->sub, chan) != FF_OK) {
            free(e);
            return FF_ENOMEM;
        }
        w->chan[partition] = CHAN_SUBSCRIBING;
    }
    e->op = op;
    e->eid = eid;
    e->fn = fn;
    e->next = w->by_part[partition];
    w->by_part[partition] = e;
    if (w->chan[partition] == CHAN_CONFIRMED) fn(op, FF__WAIT_CHECK);
    return FF_OK;
}

void ff__waits_remove(ff_client *c, ff_op *op, uint32_t partition) {
    ff__waits *w = c->waits;
    if (w == NULL || partition >= w->partitions) return;
    for (wait_entry **pp = &w->by_part[partition]; *pp; pp = &(*pp)->next) {
        if ((*pp)->op == op) {
            wait_entry *e = *pp;
            *pp = e->next;
            free(e);
            return;
        }
    }
}

void ff__waits_close(ff_client *c) {
    ff__waits *w = c->waits;
    if (w == NULL) return;
    c->waits = NULL;
    for (uint32_t p = 0; p < w->partitions; p++) {
        while (w->by_part[p]) {
            wait_entry *e = w->by_part[p];
            w->by_part[p] = e->next;
            free(e);
        }
    }
    ff__sub_free(w->sub);
    free(w->by_part);
    free(w->chan);
    free(w);
}
