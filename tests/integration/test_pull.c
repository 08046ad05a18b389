/*
 * Pull mode: ops of a pull client started with neither callback nor out
 * pointer come back through ff_client_next / ff_client_next_wait / the pull
 * fd, each once; a pull worker hands out claimed tasks through
 * ff_worker_next_task while it keeps leasing, and a pulled task nobody
 * finishes is released on stop as a running handler's would be.
 */
#include <poll.h>
#include <pthread.h>

#include "itest.h"

static ff_client *pull_client(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_pull(o, 1));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    return c;
}

static int fd_readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_pull_ops_and_an_error(void)
{
    ff_client *c = pull_client();
    ff_op *op = (ff_op *)0x1;
    FFT_EQ_INT(ff_client_next(c, &op), FF_EAGAIN);
    FFT_CHECK(op == NULL);
    FFT_CHECK(ff_client_next_fd(c) >= 0);
    FFT_CHECK(!fd_readable(ff_client_next_fd(c)));

    char lane[64];
    it_lane(lane, sizeof lane, "pull-ops");
    ff_exec_spec *s = it_spec(lane);
    static int tag_create, tag_missing, tag_ping;
    FFT_OK(ff_execution_create(c, s, NULL, &tag_create, NULL));
    ff_exec_spec_free(s);
    /* a well-formed id nobody created: the op fails with a server status */
    char eid[IT_EID];
    it_create(C, lane, 0, eid);
    eid[strlen(eid) - 2] = eid[strlen(eid) - 2] == 'a' ? 'b' : 'a';
    FFT_OK(ff_execution_describe(c, eid, NULL, &tag_missing, NULL));
    const char *ping[] = {"PING"};
    FFT_OK(ff_client_command(c, 1, ping, NULL, NULL, &tag_ping, NULL));

    int seen_create = 0, seen_missing = 0, seen_ping = 0;
    for (int i = 0; i < 3; i++) {
        op = NULL;
        FFT_OK(ff_client_next_wait(c, &op, -1));
        FFT_CHECK(op != NULL && ff_op_done(op));
        void *tag = ff_op_userdata(op);
        if (tag == &tag_create) {
            FFT_OK(ff_op_status(op));
            FFT_CHECK(ff_op_execution_id(op)[0] != '\0');
            seen_create++;
        } else if (tag == &tag_missing) {
            FFT_EQ_INT(ff_op_status(op), FF_EXECUTION_NOT_FOUND);
            seen_missing++;
        } else if (tag == &tag_ping) {
            FFT_OK(ff_op_status(op));
            seen_ping++;
        } else {
            FFT_FAIL("op with an unknown tag");
        }
        ff_op_free(op);
    }
    FFT_CHECK(seen_create == 1 && seen_missing == 1 && seen_ping == 1);
    /* each op once: nothing is left */
    FFT_EQ_INT(ff_client_next(c, &op), FF_EAGAIN);
    FFT_EQ_INT(ff_client_next_wait(c, &op, 0), FF_EAGAIN);
    FFT_EQ_INT(ff_client_next_wait(c, &op, 20), FF_EAGAIN);
    FFT_CHECK(!fd_readable(ff_client_next_fd(c)));
    ff_client_free(c);
}

static void test_pull_fd_is_level_triggered(void)
{
    ff_client *c = pull_client();
    const char *ping[] = {"PING"};
    FFT_OK(ff_client_command(c, 1, ping, NULL, NULL, NULL, NULL));
    FFT_OK(ff_client_command(c, 1, ping, NULL, NULL, NULL, NULL));
    struct pollfd p = {ff_client_next_fd(c), POLLIN, 0};
    FFT_EQ_INT(poll(&p, 1, IT_WAIT_MS), 1);
    ff_op *a = NULL, *b = NULL;
    FFT_OK(ff_client_next_wait(c, &a, -1));
    FFT_OK(ff_client_next_wait(c, &b, -1));
    FFT_CHECK(a != b);
    FFT_CHECK(!fd_readable(ff_client_next_fd(c)));
    ff_op_free(a);
    ff_op_free(b);
    /* one completed and never pulled: ff_client_free frees it (ASan) */
    FFT_OK(ff_client_command(c, 1, ping, NULL, NULL, NULL, NULL));
    FFT_EQ_INT(poll(&p, 1, IT_WAIT_MS), 1);
    FFT_CHECK(fd_readable(ff_client_next_fd(c))); /* still readable: not taken */
    ff_client_free(c);
}

typedef struct waiter {
    ff_client *c;
    ff_op *op;
    int st;
} waiter;

static void *wait_main(void *arg)
{
    waiter *w = arg;
    w->st = ff_client_next_wait(w->c, &w->op, -1);
    return NULL;
}

static void test_blocking_wait_wakes_on_completion(void)
{
    ff_client *c = pull_client();
    waiter w = {c, NULL, FF_EINVAL};
    pthread_t th;
    FFT_CHECK(pthread_create(&th, NULL, wait_main, &w) == 0);
    const char *ping[] = {"PING"};
    static int tag;
    FFT_OK(ff_client_command(c, 1, ping, NULL, NULL, &tag, NULL));
    pthread_join(th, NULL);
    FFT_OK(w.st);
    FFT_CHECK(w.op != NULL && ff_op_userdata(w.op) == &tag);
    FFT_OK(ff_op_status(w.op));
    ff_op_free(w.op);
    ff_client_free(c);
}

static void test_pending_at_free_is_freed(void)
{
    /* a wait for an execution nobody works on is still pending when the
     * client is freed: it completes with FF_ECANCELED into the queue, and
     * ff_client_free frees it with the queue (ASan checks nothing leaks) */
    ff_client *c = pull_client();
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "pull-pending");
    it_create(C, lane, 0, eid);
    FFT_OK(ff_execution_wait(c, eid, 600000, NULL, NULL, NULL));
    ff_op *op = NULL;
    FFT_EQ_INT(ff_client_next(c, &op), FF_EAGAIN);
    ff_client_free(c);
}

static void test_other_modes_unchanged(void)
{
    /* not a pull client: neither cb nor out stays an error */
    const char *ping[] = {"PING"};
    FFT_EQ_INT(ff_client_command(C, 1, ping, NULL, NULL, NULL, NULL), FF_EINVAL);
    ff_op *op = NULL;
    FFT_EQ_INT(ff_client_next(C, &op), FF_EINVAL);
    FFT_EQ_INT(ff_client_next_wait(C, &op, 0), FF_EINVAL);
    FFT_EQ_INT(ff_client_next_fd(C), -1);
    FFT_EQ_INT(ff_client_next(NULL, &op), FF_EINVAL);
    /* a pull client still does future mode (and never queues those ops) */
    ff_client *c = pull_client();
    op = IT_OP(ff_client_command(c, 1, ping, NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    FFT_EQ_INT(ff_client_next(c, &op), FF_EAGAIN);
    ff_client_free(c);
}

/* ------------------------------------------------------------- worker */

static ff_worker *pull_worker(ff_client *c, const char *lane, uint32_t concurrency)
{
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_concurrency(o, concurrency));
    FFT_OK(ff_worker_opts_set_pull(o, 1));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, c, o));
    ff_worker_opts_free(o);
    return w;
}

static void wait_stopped(ff_worker *w)
{
    while (!ff_worker_stopped(w)) {
        struct pollfd p = {ff_client_fd(C), POLLIN, 0};
        poll(&p, 1, 20);
        ff_client_dispatch(C, 0);
    }
}

#define NJOBS 6

static void test_worker_pulls_and_completes(void)
{
    char lane[64], eids[NJOBS][IT_EID];
    it_lane(lane, sizeof lane, "pull-worker");
    for (int i = 0; i < NJOBS; i++) it_create(C, lane, 0, eids[i]);
    ff_worker *w = pull_worker(C, lane, 2);
    ff_task *t = NULL;
    FFT_EQ_INT(ff_worker_next_task(w, &t, 0), FF_EAGAIN); /* not started: nothing */
    FFT_OK(ff_worker_start(w));
    int done[NJOBS] = {0};
    for (int n = 0; n < NJOBS; n++) {
        t = NULL;
        FFT_OK(ff_worker_next_task(w, &t, IT_WAIT_MS));
        FFT_CHECK(t != NULL && ff_task_userdata(t) == NULL);
        const char *eid = ff_claim_execution_id(ff_task_claim(t));
        int k = -1;
        for (int i = 0; i < NJOBS; i++)
            if (strcmp(eids[i], eid) == 0) k = i;
        FFT_CHECK_MSG(k >= 0 && !done[k], "unexpected or repeated task %s", eid);
        done[k] = 1;
        ff_op *op = IT_OP(ff_task_complete(t, "ok", 2, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        ff_op_free(op);
    }
    for (int i = 0; i < NJOBS; i++) it_state(C, eids[i], "completed", ST_COMPLETED);
    FFT_EQ_INT(ff_worker_next_task(w, &t, 0), FF_EAGAIN);
    FFT_OK(ff_worker_stop(w, 0));
    wait_stopped(w);
    FFT_EQ_INT(ff_worker_next_task(w, &t, -1), FF_ECLOSED);
    ff_worker_free(w);
}

/* ff_worker_next_fd: readable exactly while a task waits to be pulled, and
 * for good once the worker stopped (an event loop polls it, then pulls with
 * timeout 0). */
static void test_worker_fd_follows_the_queue(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "pull-fd");
    ff_worker *w = pull_worker(C, lane, 1);
    int fd = ff_worker_next_fd(w);
    FFT_CHECK(fd >= 0);
    FFT_CHECK(!fd_readable(fd));
    FFT_OK(ff_worker_start(w));
    it_create(C, lane, 0, eid);
    struct pollfd p = {fd, POLLIN, 0};
    FFT_EQ_INT(poll(&p, 1, IT_WAIT_MS), 1); /* the claim arrives: readable */
    FFT_CHECK(fd_readable(fd));             /* level-triggered: still readable */
    ff_task *t = NULL;
    FFT_OK(ff_worker_next_task(w, &t, 0));
    FFT_EQ_STR(ff_claim_execution_id(ff_task_claim(t)), eid);
    FFT_CHECK(!fd_readable(fd)); /* queue empty again */
    ff_op *op = IT_OP(ff_task_complete(t, "ok", 2, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    FFT_OK(ff_worker_stop(w, 0));
    wait_stopped(w);
    FFT_CHECK(fd_readable(fd));
    FFT_EQ_INT(ff_worker_next_task(w, &t, 0), FF_ECLOSED);
    ff_worker_free(w);
    /* not in pull mode: no descriptor */
    FFT_EQ_INT(ff_worker_next_fd(NULL), -1);
}

static void test_unfinished_pulled_task_released_on_stop(void)
{
    char lane[64], eid[IT_EID], eid2[IT_EID];
    it_lane(lane, sizeof lane, "pull-unfinished");
    it_create(C, lane, 0, eid);
    ff_worker *w = pull_worker(C, lane, 2);
    FFT_OK(ff_worker_start(w));
    ff_task *t = NULL;
    FFT_OK(ff_worker_next_task(w, &t, IT_WAIT_MS));
    FFT_EQ_STR(ff_claim_execution_id(ff_task_claim(t)), eid);
    /* a second task is claimed into the queue and never pulled */
    it_create(C, lane, 0, eid2);
    for (;;) {
        char *js = NULL;
        FFT_OK(ff_worker_stats_json(w, &js));
        int two = strstr(js, "\"claimed\":2") != NULL;
        ff_free(js);
        if (two) break;
        fft_sleep_ms(10);
    }
    FFT_OK(ff_worker_stop(w, 0));
    wait_stopped(w);
    /* as for a handler still running: released and marked lost; its
     * finishing call is still owed and sends nothing */
    FFT_EQ_INT(ff_task_lost(t), FF_ECANCELED);
    FFT_EQ_INT(ff_task_complete(t, "late", 4, NULL, NULL, OUT), FF_ECANCELED);
    /* both are claimable again at once */
    ff_claim *cl = it_claim_poll(C, lane, IT_WAIT_MS);
    FFT_CHECK(cl != NULL);
    ff_claim_free(cl);
    cl = it_claim_poll(C, lane, IT_WAIT_MS);
    FFT_CHECK(cl != NULL);
    ff_claim_free(cl);
    ff_worker_free(w); /* frees the never-pulled task (ASan) */
}

static void test_worker_pull_not_enabled(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "pull-off");
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    ff_task *t = NULL;
    FFT_EQ_INT(ff_worker_next_task(w, &t, 0), FF_EINVAL);
    FFT_EQ_INT(ff_worker_next_task(NULL, &t, 0), FF_EINVAL);
    FFT_EQ_INT(ff_worker_opts_set_pull(NULL, 1), FF_EINVAL);
    ff_worker_free(w);
}

int main(void)
{
    IT_RUN(test_pull_ops_and_an_error);
    IT_RUN(test_pull_fd_is_level_triggered);
    IT_RUN(test_blocking_wait_wakes_on_completion);
    IT_RUN(test_pending_at_free_is_freed);
    IT_RUN(test_other_modes_unchanged);
    IT_RUN(test_worker_pulls_and_completes);
    IT_RUN(test_worker_fd_follows_the_queue);
    IT_RUN(test_unfinished_pulled_task_released_on_stop);
    IT_RUN(test_worker_pull_not_enabled);
    return it_summary(__FILE__);
}
