/*
 * Output streams through the C API (stream.h): append / read round trips
 * with every field and binary payloads, the client-side frame limit, the
 * summary document, tails that wake on an append or on the close, a tail
 * blocking longer than the call deadline, a burst of tails on the bounded
 * pool of dedicated connections not stalling the shared one, per-attempt
 * streams across a retry, lease expiry (found by the engine) and revoke
 * closing the stream, and the worker's task calls.
 */
#include <poll.h>

#include "flowtest.h"

/* ------------------------------------------------------------- helpers */

static ff_frame *frame(const char *type, const void *data, size_t len, const char *mode)
{
    ff_frame *f = NULL;
    FFT_OK(ff_frame_new(&f));
    if (type) FFT_OK(ff_frame_set_type(f, type));
    FFT_OK(ff_frame_set_payload(f, data, len));
    FFT_OK(ff_frame_set_mode(f, mode));
    return f;
}

/* Append a durable "log" frame with text on cl's attempt; returns the entry id. */
static void append_text(ff_client *c, const ff_claim *cl, const char *text, char *id_out, size_t cap)
{
    ff_frame *f = frame(NULL, text, strlen(text), NULL);
    ff_op *op = IT_OP(ff_stream_append(c, cl, f, NULL, NULL, OUT));
    ff_frame_free(f);
    if (ff_op_status(op) != FF_OK) FFT_FAIL("append: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    if (id_out) snprintf(id_out, cap, "%s", ff_op_text(op));
    ff_op_free(op);
}

static int append_status(ff_client *c, const ff_claim *cl, const char *text)
{
    ff_frame *f = frame(NULL, text, strlen(text), NULL);
    ff_op *op = IT_OP(ff_stream_append(c, cl, f, NULL, NULL, OUT));
    ff_frame_free(f);
    int st = ff_op_status(op);
    ff_op_free(op);
    return st;
}

static ff_op *read_all(const char *eid, uint32_t attempt)
{
    ff_op *op = IT_OP(ff_stream_read(C, eid, attempt, NULL, NULL, 1000, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    return op;
}

static size_t frame_count(ff_op *op) { return ff_op_item_count(op) / FF_ITEMS_READ_STREAM_STRIDE; }

static const char *frame_field(ff_op *op, size_t i, int field)
{
    return ff_op_item(op, i * FF_ITEMS_READ_STREAM_STRIDE + (size_t)field);
}

/* Connections of the server blocked in XREAD right now (CLIENT LIST: one
 * line per connection; "cmd" is the last command, flag b = blocked). */
static int xreads_blocked(void)
{
    ff_op *op = it_raw(C, "CLIENT", "LIST", NULL);
    size_t len = 0;
    const char *s = ff_op_bytes(op, &len);
    char *all = strndup(s ? s : "", len), *save = NULL;
    int n = 0;
    for (char *line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *fl = strstr(line, " flags=");
        if (strstr(line, " cmd=xread") && fl && fl[7] == 'b') n++;
    }
    free(all);
    ff_op_free(op);
    return n;
}

/* Wait (bounded) until n XREADs block in the server. */
static void expect_xreads(int n)
{
    for (int i = 0; i < IT_WAIT_MS / 10 && xreads_blocked() < n; i++) fft_sleep_ms(10);
    FFT_EQ_INT(xreads_blocked(), n);
}

static ff_claim *running(const char *lane, char *eid)
{
    it_create(C, lane, 0, eid);
    return it_claim_expect(C, lane, eid);
}

/* --------------------------------------------------------------- tests */

static void test_round_trip_every_field_and_binary(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-rt");
    ff_claim *cl = running(lane, eid);
    static const char blob[] = {'\0', (char)0xff, 'b', '\0', (char)0xfe};
    ff_frame *f = frame("stdout", blob, sizeof blob, "durable");
    FFT_OK(ff_frame_set_encoding(f, "binary"));
    FFT_OK(ff_frame_set_source(f, "w1"));
    FFT_OK(ff_frame_set_correlation_id(f, "req-7"));
    ff_op *op = IT_OP(ff_stream_append(C, cl, f, NULL, NULL, OUT));
    ff_frame_free(f);
    FFT_OK(ff_op_status(op));
    char id1[48];
    snprintf(id1, sizeof id1, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_int(op), 1);
    FFT_EQ_STR(ff_op_item(op, 0), "");
    ff_op_free(op);
    char id2[48];
    append_text(C, cl, "second", id2, sizeof id2);

    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 2);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_ID), id1);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_FRAME_TYPE), "stdout");
    size_t plen = 0;
    const void *p = ff_op_item_bytes(r, FF_ITEMS_READ_STREAM_PAYLOAD, &plen);
    FFT_EQ_INT(plen, sizeof blob);
    FFT_CHECK(memcmp(p, blob, sizeof blob) == 0);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_ENCODING), "binary");
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_SOURCE), "w1");
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_CORRELATION_ID), "req-7");
    FFT_CHECK(strncmp(id1, frame_field(r, 0, FF_ITEMS_READ_STREAM_TS), strlen(frame_field(r, 0, FF_ITEMS_READ_STREAM_TS))) == 0);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_MODE), "durable");
    FFT_EQ_STR(frame_field(r, 1, FF_ITEMS_READ_STREAM_FRAME_TYPE), "log");
    FFT_EQ_STR(frame_field(r, 1, FF_ITEMS_READ_STREAM_ENCODING), "utf8");
    FFT_EQ_STR(frame_field(r, 1, FF_ITEMS_READ_STREAM_SOURCE), "worker");
    FFT_EQ_STR(ff_op_cursor(r), id2);
    FFT_EQ_STR(ff_op_text(r), ""); /* open */
    FFT_EQ_INT(ff_op_int(r), 0);
    FFT_EQ_STR(it_jstr(r, "cursor"), id2);
    ff_op_free(r);

    /* paging: from the first entry, exclusive */
    r = IT_OP(ff_stream_read(C, eid, 0, id1, NULL, 1, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(r));
    FFT_EQ_INT(frame_count(r), 1);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_ID), id2);
    ff_op_free(r);

    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 2); /* the close marker is no frame */
    FFT_EQ_STR(ff_op_text(r), "attempt_success");
    FFT_CHECK(ff_op_int(r) > 0);
    ff_op_free(r);
    FFT_EQ_INT(append_status(C, cl, "late"), FF_STREAM_CLOSED);
    ff_claim_free(cl);
}

static void test_bad_input_is_refused_before_sending(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-bad");
    ff_claim *cl = running(lane, eid);
    ff_frame *f = NULL;
    FFT_OK(ff_frame_new(&f));
    FFT_EQ_INT(ff_frame_set_type(f, ""), FF_INVALID_FRAME_TYPE);
    FFT_EQ_INT(ff_frame_set_type(f, "has space"), FF_INVALID_FRAME_TYPE);
    FFT_EQ_INT(ff_frame_set_mode(f, "loud"), FF_EINVAL);
    FFT_EQ_INT(ff_frame_set_encoding(f, "a/b"), FF_EINVAL);
    FFT_EQ_INT(ff_frame_set_payload(f, NULL, 3), FF_EINVAL);
    FFT_EQ_INT(ff_stream_append(C, cl, NULL, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_stream_read(C, eid, 0, NULL, NULL, 0, 0, NULL, NULL, NULL), FF_EINVAL);
    ff_op *op = NULL;
    FFT_EQ_INT(ff_stream_read(C, eid, 0, NULL, NULL, 0, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_stream_read(C, eid, 0, NULL, NULL, FF_STREAM_READ_MAX + 1, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_stream_read(C, eid, 0, NULL, NULL, 10, 8, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_stream_read(C, "nope", 0, NULL, NULL, 10, 0, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_INT(ff_stream_tail(C, eid, 0, NULL, -1, 10, 0, NULL, NULL, &op), FF_EINVAL);
    IT_EXPECT(ff_stream_read(C, eid, 0, "garbage", NULL, 10, 0, NULL, NULL, OUT), FF_INVALID_OFFSET);
    /* the server's limit on a summary payload that is no JSON object */
    ff_frame *s = frame("summary", "[1]", 3, "summary");
    IT_EXPECT(ff_stream_append(C, cl, s, NULL, NULL, OUT), FF_INVALID_INPUT);
    ff_frame_free(s);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 0);
    ff_op_free(r);
    ff_frame_free(f);
    ff_claim_free(cl);
}

static void test_client_frame_limit_writes_nothing(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_EQ_INT(ff_client_opts_set_max_frame_bytes(o, 0), FF_EINVAL);
    FFT_EQ_INT(ff_client_opts_set_max_frame_bytes(o, 1024 * 1024 + 1), FF_EINVAL);
    FFT_EQ_INT(ff_client_opts_set_blocking_connections(o, 0), FF_EINVAL);
    FFT_OK(ff_client_opts_set_max_frame_bytes(o, 8));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-limit");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(c, lane, eid);
    ff_frame *f = frame(NULL, "123456789", 9, NULL);
    ff_op *op = NULL;
    FFT_EQ_INT(ff_stream_append(c, cl, f, NULL, NULL, &op), FF_RETENTION_LIMIT_EXCEEDED);
    FFT_CHECK(strstr(ff_error_detail(FF_RETENTION_LIMIT_EXCEEDED), "limit is 8") != NULL);
    FFT_OK(ff_frame_set_payload(f, "12345678", 8));
    IT_EXPECT(ff_stream_append(c, cl, f, NULL, NULL, OUT), FF_OK);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 1);
    ff_op_free(r);
    ff_frame_free(f);
    ff_claim_free(cl);
    ff_client_free(c);
}

static void test_summary_document(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-sum");
    ff_claim *cl = running(lane, eid);
    ff_op *op = IT_OP(ff_stream_summary(C, eid, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "");
    FFT_EQ_INT(ff_op_int(op), 0);
    FFT_EQ_STR(ff_op_json(op), "{\"created\":null,\"document\":null,\"updated\":null,\"version\":0}");
    ff_op_free(op);
    const char *p1 = "{\"tokens\":10,\"model\":{\"name\":\"m\",\"t\":1}}";
    const char *p2 = "{\"tokens\":25,\"model\":{\"t\":null},\"done\":\"__ff_null__\"}";
    ff_frame *f = frame("summary", p1, strlen(p1), "summary");
    op = IT_OP(ff_stream_append(C, cl, f, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_item(op, 0), "1");
    ff_op_free(op);
    FFT_OK(ff_frame_set_payload(f, p2, strlen(p2)));
    op = IT_OP(ff_stream_append(C, cl, f, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_item(op, 0), "2");
    ff_op_free(op);
    ff_frame_free(f);
    op = IT_OP(ff_stream_summary(C, eid, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_int(op), 2);
    FFT_EQ_INT(it_ji64(op, "document.tokens"), 25);
    FFT_EQ_STR(it_jstr(op, "document.model.name"), "m");
    int64_t v = 0;
    FFT_EQ_INT(ff_op_json_i64(op, "document.model.t", &v), FF_ENOTFOUND); /* removed */
    FFT_CHECK(strstr(ff_op_text(op), "\"done\":null") != NULL);           /* a real null */
    FFT_CHECK(it_ji64(op, "created") > 0 && it_ji64(op, "updated") >= it_ji64(op, "created"));
    ff_op_free(op);
    IT_EXPECT(ff_stream_summary(C, "{fp:0}:00000000-0000-4000-8000-000000000000", 0, NULL, NULL, OUT),
              FF_EXECUTION_NOT_FOUND);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_tail_wakes_on_append_and_on_close(void)
{
    char lane[64], eid[IT_EID], id[48];
    it_lane(lane, sizeof lane, "st-tail");
    ff_claim *cl = running(lane, eid);
    /* a peek of an empty open stream returns at once */
    ff_op *op = IT_OP(ff_stream_tail(C, eid, 0, NULL, 0, 10, 0, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(frame_count(op), 0);
    FFT_EQ_STR(ff_op_text(op), "");
    ff_op_free(op);

    ff_op *t = NULL;
    FFT_OK(ff_stream_tail(C, eid, 0, NULL, IT_WAIT_MS, 10, 0, NULL, NULL, &t));
    expect_xreads(1);
    FFT_EQ_INT(ff_op_done(t), 0);
    append_text(C, cl, "hello", id, sizeof id);
    FFT_CHECK(ff_op_wait(t, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(t));
    FFT_EQ_INT(frame_count(t), 1);
    FFT_EQ_STR(frame_field(t, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "hello");
    FFT_EQ_STR(ff_op_cursor(t), id);
    ff_op_free(t);

    /* blocked after the last frame: the completion's close wakes it */
    FFT_OK(ff_stream_tail(C, eid, 0, id, IT_WAIT_MS, 10, 0, NULL, NULL, &t));
    expect_xreads(1);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    FFT_CHECK(ff_op_wait(t, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(t));
    FFT_EQ_INT(frame_count(t), 0);
    FFT_EQ_STR(ff_op_text(t), "attempt_success");
    ff_op_free(t);
    FFT_EQ_INT(xreads_blocked(), 0);
    ff_claim_free(cl);
}

static void test_durable_only_tail_skips_best_effort(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-be");
    ff_claim *cl = running(lane, eid);
    ff_frame *be = frame("delta", "tok", 3, "best_effort");
    IT_EXPECT(ff_stream_append(C, cl, be, NULL, NULL, OUT), FF_OK);
    ff_op *t = IT_OP(ff_stream_tail(C, eid, 0, NULL, 0, 10, FF_STREAM_DURABLE_ONLY, NULL, NULL, OUT));
    FFT_OK(ff_op_status(t));
    FFT_EQ_INT(frame_count(t), 0);
    FFT_CHECK(ff_op_cursor(t)[0] != '\0'); /* moved past the delta */
    char cur[48];
    snprintf(cur, sizeof cur, "%s", ff_op_cursor(t));
    ff_op_free(t);
    append_text(C, cl, "line", NULL, 0);
    t = IT_OP(ff_stream_tail(C, eid, 0, cur, IT_WAIT_MS, 10, FF_STREAM_DURABLE_ONLY, NULL, NULL, OUT));
    FFT_EQ_INT(frame_count(t), 1);
    FFT_EQ_STR(frame_field(t, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "line");
    ff_op_free(t);
    ff_frame_free(be);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

static void test_tail_blocks_longer_than_the_call_deadline(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_timeout_ms(o, 300));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-long");
    ff_claim *cl = running(lane, eid);
    ff_op *t = NULL;
    FFT_OK(ff_stream_tail(c, eid, 0, NULL, 1200, 10, 0, NULL, NULL, &t));
    FFT_CHECK(ff_op_wait(t, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(t)); /* not FF_ETIMEDOUT: the deadline is 300 + 1200 ms */
    FFT_EQ_INT(frame_count(t), 0);
    FFT_EQ_STR(ff_op_text(t), "");
    ff_op_free(t);
    ff_client_free(c);
    ff_claim_free(cl);
}

#define BURST 6
#define POOL 2

static void test_tail_burst_does_not_stall_appends(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_blocking_connections(o, POOL));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    char lane[64], eids[BURST][IT_EID], other[IT_EID];
    ff_claim *cls[BURST];
    it_lane(lane, sizeof lane, "st-burst");
    for (int i = 0; i < BURST; i++) cls[i] = running(lane, eids[i]);
    ff_claim *ocl = running(lane, other);
    ff_op *t[BURST];
    for (int i = 0; i < BURST; i++) FFT_OK(ff_stream_tail(c, eids[i], 0, NULL, IT_WAIT_MS, 10, 0, NULL, NULL, &t[i]));
    /* the pool's bound: only POOL of them block in the server at once */
    expect_xreads(POOL);
    /* the shared connection of the same client is free: appends and reads go on */
    for (int k = 0; k < 20; k++) append_text(c, ocl, "work", NULL, 0);
    ff_op *r = IT_OP(ff_stream_read(c, other, 0, NULL, NULL, 100, 0, NULL, NULL, OUT));
    FFT_EQ_INT(frame_count(r), 20);
    ff_op_free(r);
    for (int i = 0; i < BURST; i++) FFT_EQ_INT(ff_op_done(t[i]), 0);
    FFT_EQ_INT(xreads_blocked(), POOL);
    /* every tail ends once its stream gets a frame (the queued ones after a
     * connection came free) */
    for (int i = 0; i < BURST; i++) append_text(C, cls[i], eids[i], NULL, 0);
    for (int i = 0; i < BURST; i++) {
        FFT_CHECK(ff_op_wait(t[i], IT_WAIT_MS) != FF_EAGAIN);
        FFT_OK(ff_op_status(t[i]));
        FFT_EQ_INT(frame_count(t[i]), 1);
        FFT_EQ_STR(frame_field(t[i], 0, FF_ITEMS_READ_STREAM_PAYLOAD), eids[i]);
        ff_op_free(t[i]);
        ff_claim_free(cls[i]);
    }
    /* a tail freed while blocked gives its connection up */
    ff_op *gone = NULL;
    FFT_OK(ff_stream_tail(c, other, 0, "99999999999999-0", IT_WAIT_MS, 10, 0, NULL, NULL, &gone));
    expect_xreads(1);
    ff_client_free(c); /* cancels it */
    ff_op_free(gone);
    expect_xreads(0);
    ff_claim_free(ocl);
}

static void test_each_attempt_has_its_stream_across_a_retry(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-retry");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_retry(s, 1, "fixed", 0, 0, 1.0, 0, NULL));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
    ff_claim *a0 = it_claim_expect(C, lane, eid);
    char id[48];
    append_text(C, a0, "first try", id, sizeof id);
    ff_op *t = NULL;
    FFT_OK(ff_stream_tail(C, eid, 0, id, IT_WAIT_MS, 10, 0, NULL, NULL, &t));
    expect_xreads(1);
    ff_op *op = IT_OP(ff_lease_fail(C, a0, "boom", NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "retry_scheduled");
    ff_op_free(op);
    FFT_CHECK(ff_op_wait(t, IT_WAIT_MS) != FF_EAGAIN);
    FFT_EQ_STR(ff_op_text(t), "attempt_failure");
    ff_op_free(t);
    FFT_EQ_INT(append_status(C, a0, "late"), FF_STREAM_CLOSED);
    ff_op_free(ft_sweep(eid));
    ff_claim *a1 = it_claim_poll(C, lane, IT_WAIT_MS);
    FFT_CHECK(a1 != NULL);
    FFT_EQ_INT(ff_claim_attempt_index(a1), 1);
    append_text(C, a1, "second try", NULL, 0);
    IT_EXPECT(ff_lease_complete(C, a1, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_op *r0 = read_all(eid, 0), *r1 = read_all(eid, 1);
    FFT_EQ_INT(frame_count(r0), 1);
    FFT_EQ_STR(frame_field(r0, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "first try");
    FFT_EQ_STR(ff_op_text(r0), "attempt_failure");
    FFT_EQ_INT(frame_count(r1), 1);
    FFT_EQ_STR(frame_field(r1, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "second try");
    FFT_EQ_STR(ff_op_text(r1), "attempt_success");
    ff_op_free(r0);
    ff_op_free(r1);
    ff_claim_free(a0);
    ff_claim_free(a1);
}

static void test_lease_expiry_found_by_the_engine_closes_the_stream(void)
{
    char lane[64], eid[IT_EID], id[48];
    it_lane(lane, sizeof lane, "st-expiry");
    it_create(C, lane, 0, eid);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *cl = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(cl != NULL);
    append_text(C, cl, "working", id, sizeof id);
    ff_op *t = NULL;
    FFT_OK(ff_stream_tail(C, eid, 0, id, IT_WAIT_MS, 10, 0, NULL, NULL, &t));
    expect_xreads(1);
    it_wait_lease_expired(C, cl);
    FFT_EQ_INT(ff_op_done(t), 0);
    ff_op_free(ft_sweep(eid)); /* the engine finds the expiry: the tailer learns it */
    FFT_CHECK(ff_op_wait(t, IT_WAIT_MS) != FF_EAGAIN);
    FFT_OK(ff_op_status(t));
    FFT_EQ_STR(ff_op_text(t), "lease_expired");
    ff_op_free(t);
    FFT_EQ_INT(append_status(C, cl, "zombie"), FF_STALE_OWNER_CANNOT_APPEND);
    ff_claim_free(cl);
}

static void test_revoke_closes_the_stream(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-revoke");
    ff_claim *cl = running(lane, eid);
    append_text(C, cl, "x", NULL, 0);
    IT_EXPECT(ff_execution_revoke_lease(C, eid, NULL, "operator", NULL, NULL, OUT), FF_OK);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_STR(ff_op_text(r), "lease_revoked");
    ff_op_free(r);
    FFT_EQ_INT(append_status(C, cl, "after"), FF_STALE_OWNER_CANNOT_APPEND);
    ff_claim_free(cl);
}

static ff_worker *pull_worker(const char *lane)
{
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_pull(o, 1));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    return w;
}

static void test_task_log_emit_and_summary(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-task");
    it_create(C, lane, 0, eid);
    ff_worker *w = pull_worker(lane);
    FFT_OK(ff_worker_start(w));
    ff_task *t = NULL;
    FFT_OK(ff_worker_next_task(w, &t, IT_WAIT_MS));
    FFT_OK(ff_task_log(t, "step 1", NULL, NULL, NULL)); /* fire and forget, in order */
    FFT_OK(ff_task_log(t, "step 2", NULL, NULL, NULL));
    ff_frame *f = frame("tokens", "abc", 3, "best_effort");
    IT_EXPECT(ff_task_emit(t, f, NULL, NULL, OUT), FF_OK);
    ff_frame_free(f);
    ff_op *op = IT_OP(ff_task_summary(t, "{\"progress\":0.5}", NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_item(op, 0), "1");
    FFT_EQ_INT(ff_op_int(op), 4);
    ff_op_free(op);
    FFT_EQ_INT(ff_task_log(t, NULL, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_task_log(NULL, "x", NULL, NULL, NULL), FF_EINVAL);
    IT_EXPECT(ff_task_complete(t, "ok", 2, NULL, NULL, OUT), FF_OK);
    ff_worker_free(w);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 4);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "step 1");
    FFT_EQ_STR(frame_field(r, 1, FF_ITEMS_READ_STREAM_PAYLOAD), "step 2");
    FFT_EQ_STR(frame_field(r, 2, FF_ITEMS_READ_STREAM_MODE), "best_effort");
    FFT_EQ_STR(frame_field(r, 3, FF_ITEMS_READ_STREAM_FRAME_TYPE), "summary");
    FFT_EQ_STR(ff_op_text(r), "attempt_success");
    ff_op_free(r);
    r = IT_OP(ff_stream_read(C, eid, 0, NULL, NULL, 100, FF_STREAM_DURABLE_ONLY, NULL, NULL, OUT));
    FFT_EQ_INT(frame_count(r), 3);
    ff_op_free(r);
}

static void test_append_many_gives_each_frame_its_result(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-many");
    ff_claim *cl = running(lane, eid);
    ff_frame *a = frame(NULL, "one", 3, NULL), *bad = frame("summary", "[1]", 3, "summary"),
             *b = frame("tokens", "two", 3, "best_effort");
    const ff_frame *fs[] = {a, bad, b};
    ff_op *op = IT_OP(ff_stream_append_many(C, cl, fs, 3, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 3 * FF_ITEMS_APPEND_FRAMES_STRIDE);
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_APPEND_FRAMES_CODE), "ok");
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_APPEND_FRAMES_FRAME_COUNT), "1");
    FFT_EQ_STR(ff_op_item(op, FF_ITEMS_APPEND_FRAMES_STRIDE + FF_ITEMS_APPEND_FRAMES_CODE), "invalid_input");
    FFT_EQ_STR(ff_op_item(op, 2 * FF_ITEMS_APPEND_FRAMES_STRIDE + FF_ITEMS_APPEND_FRAMES_CODE), "ok");
    FFT_EQ_STR(ff_op_item(op, 2 * FF_ITEMS_APPEND_FRAMES_STRIDE + FF_ITEMS_APPEND_FRAMES_FRAME_COUNT), "2");
    ff_op_free(op);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), 2);
    FFT_EQ_STR(frame_field(r, 1, FF_ITEMS_READ_STREAM_PAYLOAD), "two");
    ff_op_free(r);
    ff_op *none = NULL;
    FFT_EQ_INT(ff_stream_append_many(C, cl, fs, 0, NULL, NULL, &none), FF_EINVAL);
    FFT_EQ_INT(ff_stream_append_many(C, cl, NULL, 1, NULL, NULL, &none), FF_EINVAL);
    FFT_EQ_INT(ff_stream_append_many(C, cl, fs, FF_STREAM_APPEND_MAX + 1, NULL, NULL, &none), FF_EINVAL);
    IT_EXPECT(ff_lease_complete(C, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    IT_EXPECT(ff_stream_append_many(C, cl, fs, 1, NULL, NULL, OUT), FF_STREAM_CLOSED);
    ff_frame_free(a);
    ff_frame_free(bad);
    ff_frame_free(b);
    ff_claim_free(cl);
}

/* FCALLs the server ran so far (INFO commandstats). */
static long long fcall_calls(void)
{
    ff_op *op = it_raw(C, "INFO", "commandstats", NULL);
    size_t len = 0;
    const char *s = ff_op_bytes(op, &len);
    const char *p = s ? strstr(s, "cmdstat_fcall:calls=") : NULL;
    long long n = p ? atoll(p + strlen("cmdstat_fcall:calls=")) : -1;
    ff_op_free(op);
    return n;
}

#define BURST_APPENDS 40
#define BAD_ONE 17

typedef struct burst {
    ff_client *c;
    ff_claim *cl;
    ff_op *ops[BURST_APPENDS + 1];
    int started;
} burst;

/* On the I/O thread (inline dispatch): everything submitted here waits
 * until the callback returns, so the I/O thread then takes it all at once. */
static void submit_burst(ff_op *op, void *ud)
{
    (void)op;
    burst *b = ud;
    for (int i = 0; i < BURST_APPENDS; i++) {
        char text[32];
        snprintf(text, sizeof text, i == BAD_ONE ? "[\"not an object\"]" : "line %d", i);
        ff_frame *f = frame(i == BAD_ONE ? "summary" : NULL, text, strlen(text), i == BAD_ONE ? "summary" : NULL);
        if (ff_stream_append(b->c, b->cl, f, NULL, NULL, &b->ops[i]) != FF_OK) b->ops[i] = NULL;
        ff_frame_free(f);
    }
    /* the finishing call right behind them: it must not overtake them */
    if (ff_lease_complete(b->c, b->cl, NULL, 0, NULL, NULL, &b->ops[BURST_APPENDS]) != FF_OK)
        b->ops[BURST_APPENDS] = NULL;
    b->started = 1;
}

static void test_appends_that_queue_up_go_out_as_one_call(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_inline_dispatch(o, 1));
    ff_client *c = fft_client_new_opts(o);
    ff_client_opts_free(o);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "st-coalesce");
    burst b = {.c = c};
    b.cl = running(lane, eid);
    long long before = fcall_calls();
    FFT_OK(ff_stream_read(c, eid, 0, NULL, NULL, 1, 0, submit_burst, &b, NULL));
    for (int i = 0; i < IT_WAIT_MS / 10 && !b.started; i++) fft_sleep_ms(10);
    FFT_CHECK(b.started);
    for (int i = 0; i <= BURST_APPENDS; i++) {
        FFT_CHECK(b.ops[i] != NULL);
        FFT_CHECK(ff_op_wait(b.ops[i], IT_WAIT_MS) != FF_EAGAIN);
        int want = i == BAD_ONE ? FF_INVALID_INPUT : FF_OK;
        FFT_CHECK_MSG(ff_op_status(b.ops[i]) == want, "op %d: %s (%s)", i, ff_status_name(ff_op_status(b.ops[i])),
                      ff_op_errmsg(b.ops[i]));
        if (i < BURST_APPENDS && i != BAD_ONE) FFT_EQ_INT(ff_op_int(b.ops[i]), i < BAD_ONE ? i + 1 : i);
        if (i == BAD_ONE) FFT_EQ_STR(ff_op_server_code(b.ops[i]), "invalid_input");
        ff_op_free(b.ops[i]);
    }
    /* ONE call for the 40 appends, then the completion (the read is an FCALL_RO) */
    FFT_EQ_INT(fcall_calls() - before, 2);
    ff_op *r = read_all(eid, 0);
    FFT_EQ_INT(frame_count(r), BURST_APPENDS - 1);
    FFT_EQ_STR(frame_field(r, 0, FF_ITEMS_READ_STREAM_PAYLOAD), "line 0");
    FFT_EQ_STR(frame_field(r, BURST_APPENDS - 2, FF_ITEMS_READ_STREAM_PAYLOAD), "line 39");
    FFT_EQ_STR(ff_op_text(r), "attempt_success");
    ff_op_free(r);
    ff_claim_free(b.cl);
    ff_client_free(c);
}

int main(void)
{
    IT_RUN(test_round_trip_every_field_and_binary);
    IT_RUN(test_bad_input_is_refused_before_sending);
    IT_RUN(test_client_frame_limit_writes_nothing);
    IT_RUN(test_summary_document);
    IT_RUN(test_tail_wakes_on_append_and_on_close);
    IT_RUN(test_durable_only_tail_skips_best_effort);
    IT_RUN(test_tail_blocks_longer_than_the_call_deadline);
    IT_RUN(test_tail_burst_does_not_stall_appends);
    IT_RUN(test_each_attempt_has_its_stream_across_a_retry);
    IT_RUN(test_lease_expiry_found_by_the_engine_closes_the_stream);
    IT_RUN(test_revoke_closes_the_stream);
    IT_RUN(test_task_log_emit_and_summary);
    IT_RUN(test_appends_that_queue_up_go_out_as_one_call);
    IT_RUN(test_append_many_gives_each_frame_its_result);
    return it_summary(__FILE__);
}
