/* Pull mode: completed ops queued for ff_client_next instead of calling
 * back (hosts that must never be called from C: LuaJIT, event loops without
 * callbacks). One queue per client, guarded by the client's mutex; a pipe
 * that is readable exactly while the queue is not empty (bytes are written
 * when it becomes non-empty and drained when it becomes empty, both under
 * the mutex), so a host can poll it level-triggered; a condition variable
 * for ff_client_next_wait. */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "client/client_int.h"
#include "core/error.h"

int ff__pull_init(ff_client *c) {
    int fds[2];
    if (pipe(fds) != 0) return FF_ESYS;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    c->pull_r = fds[0];
    c->pull_w = fds[1];
    return FF_OK;
}

void ff__pull_push(ff_client *c, ff_op *op) {
    pthread_mutex_lock(&c->mu);
    op->qnext = NULL;
    if (c->pull_tail)
        c->pull_tail->qnext = op;
    else {
        c->pull_head = op;
        char b = 1;
        ssize_t w = write(c->pull_w, &b, 1);
        (void)w; /* a full pipe is readable already */
    }
    c->pull_tail = op;
    pthread_cond_broadcast(&c->pull_cv);
    pthread_mutex_unlock(&c->mu);
}

/* With c->mu held: the oldest completed op, or NULL. */
static ff_op *pop_locked(ff_client *c) {
    ff_op *op = c->pull_head;
    if (op == NULL) return NULL;
    c->pull_head = op->qnext;
    op->qnext = NULL;
    if (c->pull_head == NULL) {
        c->pull_tail = NULL;
        char drain[64];
        while (read(c->pull_r, drain, sizeof drain) > 0) {
        }
    }
    return op;
}

/* Why a pull call is refused (FF_EINVAL with a sentence), or FF_OK. */
static int check_pull(const ff_client *c, ff_op **op, int blocking) {
    if (c == NULL || op == NULL) return ff__fail(FF_EINVAL, "ff_client_next: %s is NULL", c ? "op" : "client");
    if (!c->pull) return ff__fail(FF_EINVAL, "ff_client_next: the client was not created in pull mode "
                                             "(ff_client_opts_set_pull)");
    if (blocking && ff__on_io_thread(c))
        return ff__fail(FF_EINVAL, "ff_client_next_wait called from the client's I/O thread: it would deadlock");
    return FF_OK;
}

int ff_client_next(ff_client *c, ff_op **op) {
    if (op) *op = NULL;
    int st = check_pull(c, op, 0);
    if (st != FF_OK) return st;
    pthread_mutex_lock(&c->mu);
    *op = pop_locked(c);
    pthread_mutex_unlock(&c->mu);
    return *op ? FF_OK : FF_EAGAIN;
}

int ff_client_next_wait(ff_client *c, ff_op **op, int64_t timeout_ms) {
    if (op) *op = NULL;
    int st = check_pull(c, op, 1);
    if (st != FF_OK) return st;
    struct timespec ts;
    if (timeout_ms > 0) {
        ts = ff__realtime_after_ms(timeout_ms);
    }
    pthread_mutex_lock(&c->mu);
    while ((*op = pop_locked(c)) == NULL && timeout_ms != 0) {
        if (timeout_ms < 0)
            pthread_cond_wait(&c->pull_cv, &c->mu);
        else if (pthread_cond_timedwait(&c->pull_cv, &c->mu, &ts) == ETIMEDOUT) {
            *op = pop_locked(c);
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return *op ? FF_OK : FF_EAGAIN;
}

int ff_client_next_fd(const ff_client *c) { return c && c->pull ? c->pull_r : -1; }

void ff__pull_destroy(ff_client *c) {
    while (c->pull_head) {
        ff_op *op = c->pull_head;
        c->pull_head = op->qnext;
        ff__op_unref(op); /* never pulled: the queue held the caller's reference */
    }
    c->pull_tail = NULL;
    if (c->pull_r >= 0) close(c->pull_r);
    if (c->pull_w >= 0) close(c->pull_w);
    c->pull_r = c->pull_w = -1;
}
