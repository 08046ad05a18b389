/*
 * The client: raw commands, library reload after FUNCTION FLUSH, reconnect
 * after a server restart, per-call deadlines, freeing a client with ops in
 * flight, connection failures, AUTH, partition config mismatch, unix socket,
 * database selection.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest.h"
#include "private_server.h"

static ff_client *client_with(const char *url, int64_t timeout_ms, uint32_t partitions, int *rc, char *err,
                              size_t errlen)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 5000));
    if (timeout_ms > 0) FFT_OK(ff_client_opts_set_timeout_ms(o, timeout_ms));
    if (partitions) FFT_OK(ff_client_opts_set_partitions(o, partitions));
    ff_client *c = (ff_client *)0x1;
    *rc = ff_client_new(&c, o, err, errlen);
    ff_client_opts_free(o);
    if (*rc != FF_OK) FFT_CHECK(c == NULL);
    return *rc == FF_OK ? c : NULL;
}

static void url_with_port(char *out, size_t cap, const char *userinfo, int port, const char *suffix)
{
    snprintf(out, cap, "redis://%s%s127.0.0.1:%d%s", userinfo ? userinfo : "", userinfo ? "@" : "", port,
             suffix ? suffix : "");
}

/* ---------------------------------------------------------- raw commands */

static void test_client_accessors(void)
{
    FFT_EQ_STR(ff_client_url(C), fft_server_url());
    FFT_EQ_INT(ff_client_connected(C), 1);
    FFT_CHECK(ff_client_connect_count(C) >= 1);
    FFT_CHECK(ff_client_partitions(C) > 0);
    FFT_CHECK(ff_client_fd(C) >= 0);
}

static void test_raw_command_replies(void)
{
    char key[64];
    it_lane(key, sizeof key, "cli-raw");
    ff_op *op = it_raw(C, "PING", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_STATUS);
    ff_op_free(op);

    const char bin[] = {'v', '\0', 'x', '\xff', '\0'};
    const char *argv[] = {"SET", key, bin};
    size_t lens[] = {3, strlen(key), sizeof bin};
    op = it_rawv(C, 3, argv, lens);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    op = it_raw(C, "GET", key, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_STRING);
    FFT_EQ_INT(ff_op_reply_len(op), sizeof bin);
    ff_op_free(op);
    size_t len = 0;
    const void *p;
    /* arrays: element bytes, nil elements are NULL */
    op = it_raw(C, "MGET", key, "no-such-key-for-sure", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    FFT_EQ_INT(ff_op_reply_len(op), 2);
    p = ff_op_reply_element(op, 0, &len);
    FFT_EQ_MEM(p, len, bin, sizeof bin);
    FFT_CHECK(ff_op_reply_element(op, 1, &len) == NULL);
    FFT_EQ_INT(len, 0);
    FFT_CHECK(ff_op_reply_element(op, 2, &len) == NULL);
    ff_op_free(op);
    op = it_raw(C, "DEL", key, NULL);
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_INTEGER);
    FFT_EQ_INT(ff_op_reply_integer(op), 1);
    ff_op_free(op);
    op = it_raw(C, "GET", key, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_NIL);
    ff_op_free(op);
    /* a server error is a failed op */
    op = it_raw(C, "NO-SUCH-COMMAND", "x", NULL);
    FFT_EQ_STATUS(ff_op_status(op), FF_ESERVER);
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ERROR);
    FFT_CHECK(ff_op_errmsg(op)[0] != '\0');
    ff_op_free(op);
    /* argument checks */
    FFT_EQ_STATUS(ff_client_command(C, 0, argv, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_command(C, 1, NULL, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_command(C, 1, argv, NULL, NULL, NULL, NULL), FF_EINVAL);
}

static void test_op_wait_pending(void)
{
    ff_client *b = fft_client_new();
    char key[64];
    it_lane(key, sizeof key, "cli-blpop");
    const char *argv[] = {"BLPOP", key, "2"};
    ff_op *op = NULL;
    FFT_OK(ff_client_command(b, 3, argv, NULL, NULL, NULL, &op));
    /* a 2 s BLPOP on an empty key is still pending after 50 ms */
    FFT_EQ_STATUS(ff_op_wait(op, 50), FF_EAGAIN);
    FFT_EQ_INT(ff_op_done(op), 0);
    FFT_EQ_STATUS(ff_op_status(op), FF_EAGAIN);
    FFT_OK(ff_op_wait(op, IT_WAIT_MS));
    FFT_EQ_INT(ff_op_done(op), 1);
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_NIL);
    ff_op_free(op);
    /* freeing a pending future detaches it */
    FFT_OK(ff_client_command(b, 3, argv, NULL, NULL, NULL, &op));
    ff_op_free(op);
    ff_op *p = it_raw(b, "PING", NULL); /* queued behind the BLPOP */
    FFT_OK(ff_op_status(p));
    ff_op_free(p);
    ff_client_free(b);
}

/* ------------------------------------------------- library reload */

static int function_count(void)
{
    ff_op *op = it_raw(C, "FUNCTION", "LIST", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_ARRAY);
    int n = (int)ff_op_reply_len(op);
    ff_op_free(op);
    return n;
}

static void test_reload_after_function_flush(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-flush");
    it_create(C, lane, 0, eid);
    FFT_CHECK(function_count() >= 1);
    ff_op *op = it_raw(C, "FUNCTION", "FLUSH", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    FFT_EQ_INT(function_count(), 0);
    /* the next call reloads the library transparently */
    ff_op *d = it_describe(C, eid);
    FFT_EQ_STR(ff_op_execution_id(d), eid);
    ff_op_free(d);
    FFT_CHECK(function_count() >= 1);

    /* a burst of pipelined calls right after a flush all succeed */
    op = it_raw(C, "FUNCTION", "FLUSH", NULL);
    ff_op_free(op);
    enum { N = 20 };
    ff_op *ops[N];
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    ff_exec_spec_free(s);
    for (int i = 0; i < N; i++) {
        FFT_CHECK(ff_op_wait(ops[i], IT_WAIT_MS) != FF_EAGAIN);
        FFT_CHECK_MSG(ff_op_status(ops[i]) == FF_OK, "create #%d after flush: %s (%s)", i,
                      ff_status_name(ff_op_status(ops[i])), ff_op_errmsg(ops[i]));
        ff_op_free(ops[i]);
    }
    /* another client (that never saw the flush) works as well */
    ff_client *b = fft_client_new();
    op = it_raw(b, "FUNCTION", "FLUSH", NULL);
    ff_op_free(op);
    d = IT_OP(ff_execution_describe(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(d));
    ff_op_free(d);
    d = IT_OP(ff_execution_describe(b, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(d));
    ff_op_free(d);
    ff_client_free(b);
    /* multi-command ops (one FCALL per partition) survive a flush too */
    op = it_raw(C, "FUNCTION", "FLUSH", NULL);
    ff_op_free(op);
    ff_op *l = IT_OP(ff_lanes_list(C, NULL, NULL, OUT));
    FFT_CHECK_MSG(ff_op_status(l) == FF_OK, "lanes list after flush: %s (%s)", ff_status_name(ff_op_status(l)),
                  ff_op_errmsg(l));
    int found = 0;
    for (size_t i = 0; i < ff_op_item_count(l); i++) found += strcmp(ff_op_item(l, i), lane) == 0;
    FFT_EQ_INT(found, 1);
    ff_op_free(l);
    ff_op *c = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    int64_t v = 0;
    FFT_OK(ff_op_json_i64(c, "waiting", &v));
    FFT_EQ_INT(v, N + 1);
    ff_op_free(c);
}

/* ------------------------------------------------------ deadlines */

static void test_call_deadline(void)
{
    char lane[64], e1[IT_EID], e2[IT_EID];
    it_lane(lane, sizeof lane, "cli-deadline");
    it_create(C, lane, 0, e1);
    it_create(C, lane, 0, e2);
    int rc;
    char err[256];
    ff_client *t = client_with(fft_server_url(), 300, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(t != NULL, "%s", err);
    ff_client *pauser = fft_client_new();
    ff_op *op = it_raw(pauser, "CLIENT", "PAUSE", "2000", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_op *ops[5];
    for (int i = 0; i < 5; i++) FFT_OK(ff_execution_describe(t, e1, NULL, NULL, &ops[i]));
    for (int i = 0; i < 5; i++) {
        int st = ff_op_wait(ops[i], IT_WAIT_MS);
        FFT_CHECK(st != FF_EAGAIN);
        FFT_EQ_STATUS(st, FF_ETIMEDOUT);
        FFT_CHECK(ff_op_errmsg(ops[i])[0] != '\0');
        ff_op_free(ops[i]);
    }
    /* once the pause is over the client works, and late replies of the
     * timed-out calls are not mistaken for the answers of new calls */
    int64_t until = fft_now_ms() + 20000;
    for (;;) {
        op = NULL;
        FFT_OK(ff_execution_describe(t, e2, NULL, NULL, &op));
        int st = ff_op_wait(op, IT_WAIT_MS);
        if (st == FF_OK) {
            FFT_EQ_STR(ff_op_execution_id(op), e2);
            ff_op_free(op);
            break;
        }
        FFT_EQ_STATUS(st, FF_ETIMEDOUT);
        ff_op_free(op);
        FFT_CHECK_MSG(fft_now_ms() < until, "client never recovered after CLIENT PAUSE");
    }
    for (int i = 0; i < 10; i++) {
        const char *want = (i % 2) ? e1 : e2;
        op = IT_OP(ff_execution_describe(t, want, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        FFT_EQ_STR(ff_op_execution_id(op), want);
        ff_op_free(op);
    }
    ff_client_free(pauser);
    ff_client_free(t);
}

/* --------------------------------------------- free with ops in flight */

static atomic_int g_fired[16];
static atomic_int g_status[16];

static void count_cb(ff_op *op, void *ud)
{
    int i = (int)(intptr_t)ud;
    atomic_fetch_add(&g_fired[i], 1);
    atomic_store(&g_status[i], ff_op_status(op));
}

static void free_with_inflight(int inline_dispatch)
{
    char key[64], lane[64], eid[IT_EID];
    it_lane(key, sizeof key, "cli-free");
    it_lane(lane, sizeof lane, "cli-free");
    it_create(C, lane, 0, eid);
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_inline_dispatch(o, inline_dispatch));
    ff_client *x = fft_client_new_opts(o);
    ff_client_opts_free(o);
    for (int i = 0; i < 16; i++) {
        atomic_store(&g_fired[i], 0);
        atomic_store(&g_status[i], 12345);
    }
    const char *argv[] = {"BLPOP", key, "20"};
    FFT_OK(ff_client_command(x, 3, argv, NULL, count_cb, (void *)(intptr_t)0, NULL));
    for (int i = 1; i < 6; i++) FFT_OK(ff_execution_describe(x, eid, count_cb, (void *)(intptr_t)i, NULL));
    ff_op *fut = NULL;
    FFT_OK(ff_execution_describe(x, eid, NULL, NULL, &fut));
    /* give the I/O thread a moment to send them (not required for the test) */
    fft_sleep_ms(50);
    for (int i = 0; i < 6; i++) FFT_EQ_INT(atomic_load(&g_fired[i]), 0);
    ff_client_free(x);
    /* every callback fired exactly once, before ff_client_free returned */
    for (int i = 0; i < 6; i++) {
        FFT_CHECK_MSG(atomic_load(&g_fired[i]) == 1, "callback %d fired %d times", i, atomic_load(&g_fired[i]));
        FFT_EQ_STATUS(atomic_load(&g_status[i]), FF_ECANCELED);
    }
    FFT_EQ_STATUS(ff_op_wait(fut, IT_WAIT_MS), FF_ECANCELED);
    ff_op_free(fut);
    fft_sleep_ms(20);
    for (int i = 0; i < 6; i++) FFT_EQ_INT(atomic_load(&g_fired[i]), 1);
}

static void test_free_with_ops_in_flight(void) { free_with_inflight(0); }
static void test_free_with_ops_in_flight_inline(void) { free_with_inflight(1); }

/* ------------------------------------------------------- connecting */

static void test_connect_dead_port(void)
{
    char url[128], err[256] = "";
    url_with_port(url, sizeof url, NULL, it_dead_port(), NULL);
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 1000));
    ff_client *c = (ff_client *)0x1;
    FFT_EQ_STATUS(ff_client_new(&c, o, err, sizeof err), FF_EIO);
    FFT_CHECK(c == NULL);
    FFT_CHECK(err[0] != '\0');
    ff_client_opts_free(o);
}

static void test_bad_url(void)
{
    int rc;
    char err[256] = "";
    FFT_CHECK(client_with("http://localhost:1", 0, 0, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_EINVAL);
    FFT_CHECK(err[0] != '\0');
    FFT_CHECK(client_with("redis://127.0.0.1:70000", 0, 0, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_EINVAL);
    /* errbuf may be NULL */
    ff_client_opts *o = NULL;
    ff_client *c = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, "nonsense"));
    FFT_EQ_STATUS(ff_client_new(&c, o, NULL, 0), FF_EINVAL);
    /* a tiny errbuf is NUL-terminated */
    char tiny[4] = {'x', 'x', 'x', 'x'};
    FFT_EQ_STATUS(ff_client_new(&c, o, tiny, sizeof tiny), FF_EINVAL);
    FFT_CHECK(memchr(tiny, '\0', sizeof tiny) != NULL);
    ff_client_opts_free(o);
}

static void test_auth(void)
{
    char user[64], url[256], err[256] = "";
    it_lane(user, sizeof user, "ffuser");
    ff_op *op = it_raw(C, "ACL", "SETUSER", user, "on", ">s3cr:t@/pw", "~*", "&*", "+@all", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    int rc;
    /* the password's special characters are percent-encoded in the URL */
    char info[160];
    snprintf(info, sizeof info, "%s:s3cr%%3At%%40%%2Fpw", user);
    url_with_port(url, sizeof url, info, fft_server_port(), NULL);
    ff_client *c = client_with(url, 0, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "AUTH as %s failed: %s (%s)", user, ff_status_name(rc), err);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-auth");
    it_create(c, lane, 0, eid);
    op = it_raw(c, "ACL", "WHOAMI", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_client_free(c);
    /* wrong password */
    snprintf(info, sizeof info, "%s:wrong", user);
    url_with_port(url, sizeof url, info, fft_server_port(), NULL);
    err[0] = '\0';
    FFT_CHECK(client_with(url, 0, 0, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_EAUTH);
    FFT_CHECK(err[0] != '\0');
    /* unknown user */
    url_with_port(url, sizeof url, "nobody-here:pw", fft_server_port(), NULL);
    FFT_CHECK(client_with(url, 0, 0, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_EAUTH);
    op = it_raw(C, "ACL", "DELUSER", user, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_integer(op), 1);
    ff_op_free(op);
}

static void test_partition_mismatch(void)
{
    uint32_t stored = ff_client_partitions(C);
    int rc;
    char err[256] = "";
    FFT_CHECK(client_with(fft_server_url(), 0, stored + 1, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_ECONFIG);
    FFT_CHECK(err[0] != '\0');
    ff_client *c = client_with(fft_server_url(), 0, stored, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "%s", err);
    FFT_EQ_INT(ff_client_partitions(c), stored);
    ff_client_free(c);
    /* 0 adopts the stored count */
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_partitions(o, 0));
    c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    FFT_EQ_INT(ff_client_partitions(c), stored);
    ff_client_free(c);
}

static void test_unix_socket(void)
{
    const char *u = fft_server_unix_url();
    if (u == NULL) {
        printf("  (no unix socket for this server; skipped)\n");
        return;
    }
    int rc;
    char err[256] = "";
    ff_client *c = client_with(u, 0, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "%s: %s", u, err);
    FFT_EQ_STR(ff_client_url(c), u);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-unix");
    it_create(c, lane, 0, eid);
    ff_op *d = it_describe(C, eid); /* visible over TCP too */
    ff_op_free(d);
    ff_client_free(c);
}

static void test_database_selection(void)
{
    char url[256], err[256] = "";
    url_with_port(url, sizeof url, NULL, fft_server_port(), "/3");
    int rc;
    ff_client *c = client_with(url, 0, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "%s: %s", url, err);
    int64_t n0 = it_dbsize(C);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-db3");
    it_create(c, lane, 0, eid);
    FFT_EQ_INT(it_dbsize(C), n0); /* db 0 untouched */
    FFT_CHECK(it_dbsize(c) > 0);
    IT_EXPECT(ff_execution_describe(C, eid, NULL, NULL, OUT), FF_EXECUTION_NOT_FOUND);
    ff_op *op = it_raw(c, "FLUSHDB", NULL);
    ff_op_free(op);
    ff_client_free(c);
}

/* -------------------------------------------------------- restart */

static void test_reconnect_after_restart(void)
{
    if (!fft_server_managed()) {
        printf("  (server not managed by the tests; skipped)\n");
        return;
    }
    char lane[64], eid[IT_EID], key[64];
    it_lane(lane, sizeof lane, "cli-restart");
    it_lane(key, sizeof key, "cli-restart-key");
    it_create(C, lane, 0, eid);
    uint64_t before = ff_client_connect_count(C);
    /* a call that is certainly in flight during the restart */
    ff_client *b = fft_client_new();
    ff_op *blocked = NULL;
    const char *argv[] = {"BLPOP", key, "30"};
    FFT_OK(ff_client_command(b, 3, argv, NULL, NULL, NULL, &blocked));
    FFT_EQ_STATUS(ff_op_wait(blocked, 100), FF_EAGAIN);
    /* and one in callback mode, on the same blocked connection */
    for (int i = 0; i < 16; i++) {
        atomic_store(&g_fired[i], 0);
        atomic_store(&g_status[i], 12345);
    }
    FFT_OK(ff_execution_describe(b, eid, count_cb, (void *)(intptr_t)0, NULL));

    fft_server_restart();

    int st = ff_op_wait(blocked, IT_WAIT_MS);
    FFT_CHECK_MSG(st != FF_EAGAIN, "in-flight call hangs after the restart");
    FFT_CHECK_MSG(st == FF_EIO || st == FF_OK, "in-flight call finished with %s", ff_status_name(st));
    ff_op_free(blocked);
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (atomic_load(&g_fired[0]) == 0) {
        ff_client_dispatch(b, 0);
        fft_sleep_ms(5);
        FFT_CHECK_MSG(fft_now_ms() < until, "callback of the in-flight call never fired");
    }
    fft_sleep_ms(50);
    ff_client_dispatch(b, 0);
    FFT_EQ_INT(atomic_load(&g_fired[0]), 1);
    FFT_CHECK_MSG(atomic_load(&g_status[0]) == FF_EIO || atomic_load(&g_status[0]) == FF_OK,
                  "in-flight callback finished with %s", ff_status_name(atomic_load(&g_status[0])));
    /* calls after the restart succeed (the client reconnects by itself) and
     * acknowledged data survived */
    ff_op *d = it_describe(C, eid);
    FFT_EQ_STR(ff_op_text(d), "waiting");
    ff_op_free(d);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
    FFT_CHECK(ff_client_connect_count(C) > before);
    FFT_EQ_INT(ff_client_connected(C), 1);
    ff_op *p = it_raw(b, "PING", NULL);
    FFT_OK(ff_op_status(p));
    ff_op_free(p);
    ff_claim *cl = it_claim_expect(b, lane, eid);
    IT_EXPECT(ff_lease_complete(b, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_client_free(b);
}

static void test_call_while_server_down(void)
{
    if (!fft_server_managed()) {
        printf("  (server not managed by the tests; skipped)\n");
        return;
    }
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-down");
    it_create(C, lane, 0, eid);
    fft_server_stop();
    /* issued while nothing listens: waits for the reconnect (within the
     * default 30 s deadline) instead of failing at once */
    ff_op *op = NULL;
    FFT_OK(ff_execution_describe(C, eid, NULL, NULL, &op));
    fft_sleep_ms(200);
    fft_server_restart();
    int st = ff_op_wait(op, IT_WAIT_MS);
    FFT_CHECK(st != FF_EAGAIN);
    FFT_CHECK_MSG(st == FF_OK, "call made while the server was down: %s (%s)", ff_status_name(st),
                  ff_op_errmsg(op));
    FFT_EQ_STR(ff_op_execution_id(op), eid);
    ff_op_free(op);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
}

static void test_call_during_outage_times_out(void)
{
    if (!fft_server_managed()) {
        printf("  (server not managed by the tests; skipped)\n");
        return;
    }
    int rc;
    char err[256];
    ff_client *t = client_with(fft_server_url(), 400, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(t != NULL, "%s", err);
    fft_server_stop();
    char eid[FF_EID_MAX];
    FFT_EQ_INT(ff__eid_mint(0, eid), 0);
    ff_op *op = NULL;
    FFT_OK(ff_execution_describe(t, eid, NULL, NULL, &op));
    int st = ff_op_wait(op, IT_WAIT_MS);
    ff_op_free(op);
    fft_server_restart();
    FFT_CHECK_MSG(st == FF_ETIMEDOUT || st == FF_EIO, "call during an outage finished with %s", ff_status_name(st));
    /* and the client recovers */
    int64_t until = fft_now_ms() + 30000;
    for (;;) {
        op = NULL;
        FFT_OK(ff_execution_describe(t, eid, NULL, NULL, &op));
        st = ff_op_wait(op, IT_WAIT_MS);
        ff_op_free(op);
        if (st == FF_EXECUTION_NOT_FOUND) break;
        FFT_CHECK_MSG(st == FF_ETIMEDOUT || st == FF_EIO, "after the outage: %s", ff_status_name(st));
        FFT_CHECK_MSG(fft_now_ms() < until, "client did not recover after the outage");
        fft_sleep_ms(100);
    }
    ff_client_free(t);
}

static void test_library_replaced_by_other_version(void)
{
    /* someone loads another "flowfabric" library (older deployment): a new
     * client replaces it on connect, and a connected client recovers */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-oldlib");
    it_create(C, lane, 0, eid);
    static const char old_lib[] = "#!lua name=flowfabric\n"
                                  "redis.register_function('ff_version', function() return '0-old' end)\n";
    ff_op *op = it_raw(C, "FUNCTION", "LOAD", "REPLACE", old_lib, NULL);
    FFT_CHECK_MSG(ff_op_status(op) == FF_OK, "%s", ff_op_errmsg(op));
    ff_op_free(op);
    ff_client *n = fft_client_new();
    ff_op *d = IT_OP(ff_execution_describe(n, eid, NULL, NULL, OUT));
    FFT_CHECK_MSG(ff_op_status(d) == FF_OK, "new client after old library: %s", ff_op_errmsg(d));
    ff_op_free(d);
    ff_client_free(n);
    op = it_raw(C, "FUNCTION", "LOAD", "REPLACE", old_lib, NULL);
    ff_op_free(op);
    d = IT_OP(ff_execution_describe(C, eid, NULL, NULL, OUT));
    FFT_CHECK_MSG(ff_op_status(d) == FF_OK, "connected client after old library: %s", ff_op_errmsg(d));
    ff_op_free(d);
    op = it_raw(C, "FCALL", "ff_version", "0", NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_STRING);
    FFT_EQ_INT(ff_op_reply_len(op), strlen(ff_lua_library_version()));
    ff_op_free(op);
}

static void test_env_url_and_null_opts(void)
{
    /* opts NULL: the URL comes from $FF_URL (this runs in a forked child, so
     * the environment change stays local) */
    setenv("FF_URL", fft_server_url(), 1);
    ff_client *c = NULL;
    char err[256] = "";
    int rc = ff_client_new(&c, NULL, err, sizeof err);
    FFT_CHECK_MSG(rc == FF_OK, "ff_client_new(NULL opts, FF_URL): %s: %s", ff_status_name(rc), err);
    FFT_EQ_STR(ff_client_url(c), fft_server_url());
    ff_op *p = it_raw(c, "PING", NULL);
    FFT_OK(ff_op_status(p));
    ff_op_free(p);
    ff_client_free(c);
    unsetenv("FF_URL");
}

static void test_env_partitions_mismatch(void)
{
    char n[32];
    snprintf(n, sizeof n, "%u", (unsigned)(ff_client_partitions(C) + 3));
    setenv("FF_PARTITIONS", n, 1);
    int rc;
    char err[256] = "";
    FFT_CHECK(client_with(fft_server_url(), 0, 0, &rc, err, sizeof err) == NULL);
    FFT_EQ_STATUS(rc, FF_ECONFIG);
    snprintf(n, sizeof n, "%u", (unsigned)ff_client_partitions(C));
    setenv("FF_PARTITIONS", n, 1);
    ff_client *c = client_with(fft_server_url(), 0, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "%s", err);
    ff_client_free(c);
    unsetenv("FF_PARTITIONS");
}

static void test_silent_server_connect_timeout(void)
{
    /* something accepts TCP connections but never answers: ff_client_new
     * gives up at the connect timeout instead of hanging */
    int port = 0;
    int fd = it_loopback_socket(1, &port);
    char url[128], err[256] = "";
    url_with_port(url, sizeof url, NULL, port, NULL);
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 500));
    ff_client *c = (ff_client *)0x1;
    int rc = ff_client_new(&c, o, err, sizeof err);
    FFT_CHECK_MSG(rc == FF_EIO || rc == FF_ETIMEDOUT, "silent server: %s", ff_status_name(rc));
    FFT_CHECK(c == NULL);
    FFT_CHECK(err[0] != '\0');
    ff_client_opts_free(o);
    close(fd);
}

typedef struct waiter_arg {
    ff_op *op;
    int status;
} waiter_arg;

static void *waiter_main(void *p)
{
    waiter_arg *w = p;
    w->status = ff_op_wait(w->op, -1);
    return NULL;
}

static void test_free_wakes_waiting_thread(void)
{
    char key[64];
    it_lane(key, sizeof key, "cli-waiter");
    ff_client *x = fft_client_new();
    const char *argv[] = {"BLPOP", key, "20"};
    waiter_arg w = {NULL, 12345};
    FFT_OK(ff_client_command(x, 3, argv, NULL, NULL, NULL, &w.op));
    pthread_t th;
    FFT_EQ_INT(pthread_create(&th, NULL, waiter_main, &w), 0);
    fft_sleep_ms(50);
    ff_client_free(x);
    pthread_join(th, NULL);
    FFT_EQ_STATUS(w.status, FF_ECANCELED);
    ff_op_free(w.op);
}

static void test_many_pipelined_ops(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "cli-pipeline");
    enum { N = 3000 };
    static ff_op *ops[N];
    ff_exec_spec *s = it_spec(lane);
    for (int i = 0; i < N; i++) FFT_OK(ff_execution_create(C, s, NULL, NULL, &ops[i]));
    ff_exec_spec_free(s);
    for (int i = 0; i < N; i++) {
        FFT_OK(ff_op_wait(ops[i], IT_WAIT_MS));
        ff_op_free(ops[i]);
    }
    ff_op *c = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    int64_t v = 0;
    FFT_OK(ff_op_json_i64(c, "waiting", &v));
    FFT_EQ_INT(v, N);
    ff_op_free(c);
}

static void test_detached_ops(void)
{
    /* futures freed while pending complete silently and are reclaimed */
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "cli-detach");
    it_create(C, lane, 0, eid);
    for (int i = 0; i < 2000; i++) {
        ff_op *op = NULL;
        FFT_OK(ff_execution_describe(C, eid, NULL, NULL, &op));
        ff_op_free(op);
    }
    ff_op *d = it_describe(C, eid);
    FFT_EQ_STR(ff_op_execution_id(d), eid);
    ff_op_free(d);
    FFT_EQ_INT(ff_client_dispatch(C, 0), 0);
}

static int count_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 4096; fd++)
        if (fcntl(fd, F_GETFD) != -1) n++;
    return n;
}

static void test_client_churn_releases_resources(void)
{
    ff_client *warm = fft_client_new();
    ff_client_free(warm);
    int before = count_fds();
    for (int i = 0; i < 30; i++) {
        ff_client *c = fft_client_new();
        ff_op *p = it_raw(c, "PING", NULL);
        ff_op_free(p);
        ff_client_free(c);
    }
    int after = count_fds();
    FFT_CHECK_MSG(after == before, "open file descriptors: %d before, %d after 30 client lifecycles", before, after);
}

static void test_raw_bulk_reply_bytes(void)
{
    /* client.h: ff_op_bytes holds "raw bulk replies" of ff_client_command */
    char key[64];
    it_lane(key, sizeof key, "cli-bulk");
    const char bin[] = {'v', '\0', 'x', '\xff', '\0'};
    const char *argv[] = {"SET", key, bin};
    size_t lens[] = {3, strlen(key), sizeof bin};
    ff_op *op = it_rawv(C, 3, argv, lens);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    op = it_raw(C, "GET", key, NULL);
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_STRING);
    size_t len = 0;
    const void *p = ff_op_bytes(op, &len);
    FFT_EQ_MEM(p, len, bin, sizeof bin);
    ff_op_free(op);
    op = it_raw(C, "DEL", key, NULL);
    ff_op_free(op);
}

int main(void)
{
    IT_RUN(test_client_accessors);
    IT_RUN(test_raw_command_replies);
    IT_RUN(test_op_wait_pending);
    IT_RUN(test_reload_after_function_flush);
    IT_RUN(test_library_replaced_by_other_version);
    IT_RUN(test_call_deadline);
    IT_RUN(test_free_with_ops_in_flight);
    IT_RUN(test_free_with_ops_in_flight_inline);
    IT_RUN(test_connect_dead_port);
    IT_RUN(test_bad_url);
    IT_RUN(test_auth);
    IT_RUN(test_partition_mismatch);
    IT_RUN(test_unix_socket);
    IT_RUN(test_database_selection);
    IT_RUN(test_env_url_and_null_opts);
    IT_RUN(test_env_partitions_mismatch);
    IT_RUN(test_silent_server_connect_timeout);
    IT_RUN(test_free_wakes_waiting_thread);
    IT_RUN(test_many_pipelined_ops);
    IT_RUN(test_detached_ops);
    IT_RUN(test_client_churn_releases_resources);
    IT_RUN(test_reconnect_after_restart);
    IT_RUN(test_call_while_server_down);
    IT_RUN(test_call_during_outage_times_out);
    IT_RUN(test_raw_bulk_reply_bytes);
    return it_summary("test_client");
}
