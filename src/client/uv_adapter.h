/* hiredis <-> libuv glue. Our own instead of hiredis' adapters/libuv.h
 * because that one ignores poll errors (status < 0), which would leave a
 * refused or reset connection undetected until the next command. */
#ifndef FF_CLIENT_UV_ADAPTER_H
#define FF_CLIENT_UV_ADAPTER_H

#include <hiredis/async.h>
#include <stdlib.h>
#include <uv.h>

typedef struct ff__uv_events {
    redisAsyncContext *ctx;
    uv_poll_t poll;
    int events;
} ff__uv_events;

static void ff__uv_on_poll(uv_poll_t *h, int status, int events) {
    ff__uv_events *p = h->data;
    if (p->ctx == NULL) return;
    if (status < 0) {
        /* Let hiredis discover the socket error itself (read returns the
         * error and it tears the connection down through its callbacks). */
        events = (p->events & UV_WRITABLE) ? UV_WRITABLE : UV_READABLE;
    }
    if (p->ctx != NULL && (events & UV_READABLE)) redisAsyncHandleRead(p->ctx);
    if (p->ctx != NULL && (events & UV_WRITABLE)) redisAsyncHandleWrite(p->ctx);
}

static void ff__uv_update(ff__uv_events *p) {
    if (p->events)
        uv_poll_start(&p->poll, p->events, ff__uv_on_poll);
    else
        uv_poll_stop(&p->poll);
}

static void ff__uv_add_read(void *d) {
    ff__uv_events *p = d;
    p->events |= UV_READABLE;
    ff__uv_update(p);
}
static void ff__uv_del_read(void *d) {
    ff__uv_events *p = d;
    p->events &= ~UV_READABLE;
    ff__uv_update(p);
}
static void ff__uv_add_write(void *d) {
    ff__uv_events *p = d;
    p->events |= UV_WRITABLE;
    ff__uv_update(p);
}
static void ff__uv_del_write(void *d) {
    ff__uv_events *p = d;
    p->events &= ~UV_WRITABLE;
    ff__uv_update(p);
}
static void ff__uv_on_close(uv_handle_t *h) { free(h->data); }
static void ff__uv_cleanup(void *d) {
    ff__uv_events *p = d;
    p->ctx = NULL;
    uv_close((uv_handle_t *)&p->poll, ff__uv_on_close);
}

static int ff__uv_attach(redisAsyncContext *ac, uv_loop_t *loop) {
    if (ac->ev.data != NULL) return REDIS_ERR;
    ff__uv_events *p = calloc(1, sizeof *p);
    if (p == NULL) return REDIS_ERR;
    if (uv_poll_init(loop, &p->poll, ac->c.fd) != 0) {
        free(p);
        return REDIS_ERR;
    }
    p->ctx = ac;
    p->poll.data = p;
    ac->ev.addRead = ff__uv_add_read;
    ac->ev.delRead = ff__uv_del_read;
    ac->ev.addWrite = ff__uv_add_write;
    ac->ev.delWrite = ff__uv_del_write;
    ac->ev.cleanup = ff__uv_cleanup;
    ac->ev.data = p;
    return REDIS_OK;
}

#endif
