/* Output streams (lua/stream.lua): appending frames, reading pages, tailing
 * (a blocking XREAD on a dedicated connection, client/blocking.h, between
 * two reads on the shared one), the summary document. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/blocking.h"
#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define CURSOR_MAX 48 /* "ms-seq": two 20-digit numbers and the dash */

/* ------------------------------------------------------------- frames */

struct ff_frame {
    char *type;
    char *payload;
    size_t payload_len;
    char *encoding;
    char *source;
    char *correlation_id;
    const char *mode; /* a literal of MODES */
};

static const char *const MODES[] = {"durable", "best_effort", "summary"};

int ff_frame_new(ff_frame **out) {
    if (out == NULL) return ff__check_ptr("out", out);
    ff_frame *f = calloc(1, sizeof *f);
    if (f == NULL) return FF_ENOMEM;
    f->type = ff__strdup("log");
    f->mode = MODES[0];
    if (f->type == NULL) {
        free(f);
        return FF_ENOMEM;
    }
    *out = f;
    return FF_OK;
}

void ff_frame_free(ff_frame *f) {
    if (f == NULL) return;
    free(f->type);
    free(f->payload);
    free(f->encoding);
    free(f->source);
    free(f->correlation_id);
    free(f);
}

/* Replace *slot with a copy of s (NULL = none). */
static int set_copy(char **slot, const char *s) {
    char *copy = NULL;
    if (s && (copy = ff__strdup(s)) == NULL) return FF_ENOMEM;
    free(*slot);
    *slot = copy;
    return FF_OK;
}

static int frame_type_ok(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '.' || ch == ':' || ch == '-'))
            return 0;
    }
    return 1;
}

int ff_frame_set_type(ff_frame *f, const char *frame_type) {
    if (f == NULL) return ff__check_ptr("frame", f);
    if (!frame_type_ok(frame_type)) {
        char q[80];
        return ff__fail(FF_INVALID_FRAME_TYPE, "frame type %s: expected 1..64 bytes of [A-Za-z0-9_.:-]",
                        ff__quote(frame_type, q, sizeof q));
    }
    return set_copy(&f->type, frame_type);
}

int ff_frame_set_payload(ff_frame *f, const void *data, size_t len) {
    if (f == NULL) return ff__check_ptr("frame", f);
    if (data == NULL && len > 0) return ff__fail(FF_EINVAL, "frame payload: NULL data with length %zu", len);
    char *copy = ff__memdup(len ? data : "", len);
    if (copy == NULL) return FF_ENOMEM;
    free(f->payload);
    f->payload = copy;
    f->payload_len = len;
    return FF_OK;
}

int ff_frame_set_encoding(ff_frame *f, const char *encoding) {
    if (f == NULL) return ff__check_ptr("frame", f);
    size_t n = encoding ? strlen(encoding) : 0;
    int ok = n <= 32;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = encoding[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
             ch == '.' || ch == '-';
    }
    if (!ok) {
        char q[80];
        return ff__fail(FF_EINVAL, "frame encoding %s: expected <= 32 bytes of [A-Za-z0-9_.-]",
                        ff__quote(encoding, q, sizeof q));
    }
    return set_copy(&f->encoding, encoding);
}

int ff_frame_set_source(ff_frame *f, const char *source) {
    if (f == NULL) return ff__check_ptr("frame", f);
    int st = ff__check_text("frame source", source, 128, 1);
    return st != FF_OK ? st : set_copy(&f->source, source);
}

int ff_frame_set_correlation_id(ff_frame *f, const char *correlation_id) {
    if (f == NULL) return ff__check_ptr("frame", f);
    int st = ff__check_text("frame correlation id", correlation_id, 256, 1);
    return st != FF_OK ? st : set_copy(&f->correlation_id, correlation_id);
}

int ff_frame_set_mode(ff_frame *f, const char *mode) {
    if (f == NULL) return ff__check_ptr("frame", f);
    for (size_t i = 0; i < sizeof MODES / sizeof MODES[0]; i++) {
        if (mode == NULL || strcmp(mode, MODES[i]) == 0) {
            f->mode = mode ? MODES[i] : MODES[0];
            return FF_OK;
        }
    }
    char q[80];
    return ff__fail(FF_EINVAL, "frame mode %s: expected durable, best_effort or summary", ff__quote(mode, q, sizeof q));
}

/* ------------------------------------------------------------- append */

static int finish_append(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_APPEND_FRAME_NFIELDS || ff__rv_i64(f[FF_FN_APPEND_FRAME_F_FRAME_COUNT], &op->ival) != 0)
        return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_APPEND_FRAME_F_ENTRY_ID]);
    if (op->text == NULL) return FF_ENOMEM;
    return ff__take_items(op, f, FF_FN_APPEND_FRAME_F_SUMMARY_VERSION + 1, FF_FN_APPEND_FRAME_F_SUMMARY_VERSION);
}

/* The six ARGV fields of one frame (type, payload, encoding, source,
 * correlation id, mode), as ff_append_frame(s) take them. */
static void add_frame_args(ff_op *op, ff__cmd *cmd, const ff_frame *fr) {
    ff__cmd_str(op, cmd, fr->type);
    ff__cmd_arg(op, cmd, fr->payload ? fr->payload : "", fr->payload_len);
    ff__cmd_str(op, cmd, fr->encoding ? fr->encoding : "");
    ff__cmd_str(op, cmd, fr->source ? fr->source : "");
    ff__cmd_str(op, cmd, fr->correlation_id ? fr->correlation_id : "");
    ff__cmd_str(op, cmd, fr->mode);
}

/* ------------------------------------------------- coalesced appends */

/* The argv of an append op: FCALL name nkeys key eid lease epoch attempt,
 * the frame's six fields, max_payload. */
enum { A_KEY = 3, A_FENCE = 4, A_FRAME = 8, A_MAX = 14, A_ARGC = 15 };

typedef struct merged_ctx {
    ff_op **members;
    size_t n;
} merged_ctx;

static void merged_ctx_free(void *p) {
    merged_ctx *x = p;
    if (x == NULL) return;
    for (size_t i = 0; i < x->n; i++) ff__op_unref(x->members[i]);
    free(x->members);
    free(x);
}

/* Each member gets its own result: ok (entry id, count, version) or its
 * frame's refusal; members already ended (their deadline) are skipped. */
static int finish_merged(ff_op *op) {
    merged_ctx *x = op->ctx;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t count = 0;
    if (n < FF_FN_APPEND_FRAMES_ITEMS_AT || ff__rv_i64(f[FF_FN_APPEND_FRAMES_F_N], &count) != 0 ||
        (size_t)count != x->n || n - FF_FN_APPEND_FRAMES_ITEMS_AT != x->n * FF_FN_APPEND_FRAMES_ITEM_STRIDE)
        return FF_EPROTO;
    for (size_t i = 0; i < x->n; i++) {
        ff_op *m = x->members[i];
        if (atomic_load(&m->done)) continue;
        ff_rv *const *r = f + FF_FN_APPEND_FRAMES_ITEMS_AT + i * FF_FN_APPEND_FRAMES_ITEM_STRIDE;
        const ff_rv *code = r[FF_FN_APPEND_FRAMES_ITEM_CODE];
        int mst = FF_EPROTO;
        if (!ff__rv_is_str(code)) {
            mst = FF_EPROTO;
        } else if (strcmp(code->str, "ok") != 0) {
            mst = ff__op_server_error(m, code->str, r + 1, 3);
        } else if (ff__rv_i64(r[FF_FN_APPEND_FRAMES_ITEM_FRAME_COUNT], &m->ival) == 0) {
            m->text = ff__rv_strdup(r[FF_FN_APPEND_FRAMES_ITEM_ENTRY_ID]);
            mst = m->text ? ff__take_items(m, r, FF_FN_APPEND_FRAMES_ITEM_SUMMARY_VERSION + 1,
                                           FF_FN_APPEND_FRAMES_ITEM_SUMMARY_VERSION)
                          : FF_ENOMEM;
        }
        ff__op_complete(m, mst);
    }
    return FF_OK;
}

/* The merged op ended any other way (server refusal of the whole call,
 * connection lost, deadline, client closed): so does every member. */
static void merged_done(ff_op *op) {
    merged_ctx *x = op->ctx;
    if (op->status == FF_OK) return;
    for (size_t i = 0; i < x->n; i++) {
        ff_op *m = x->members[i];
        if (atomic_load(&m->done)) continue;
        if (op->server_code) {
            m->server_code = ff__strdup(op->server_code);
            m->details = calloc(op->ndetails ? op->ndetails : 1, sizeof *m->details);
            for (size_t k = 0; m->details && k < op->ndetails; k++) m->details[k] = ff__strdup(op->details[k]);
            m->ndetails = m->details ? op->ndetails : 0;
        }
        ff__op_set_error(m, "%s", op->errmsg ? op->errmsg : ff_strerror(op->status));
        ff__op_complete(m, op->status);
    }
}

/* batch_merge of append ops (they share the key: one attempt, one fence,
 * one limit): ONE ff_append_frames call. */
static ff_op *merge_appends(ff_op *const *ops, size_t n) {
    ff_client *c = ops[0]->client;
    merged_ctx *x = calloc(1, sizeof *x);
    ff_op *op = x ? ff__op_new(c, finish_merged) : NULL;
    if (x) x->members = calloc(n, sizeof *x->members);
    if (op == NULL || x->members == NULL) {
        ff__op_discard(op);
        merged_ctx_free(x);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        x->members[i] = ops[i];
        ff__op_ref(ops[i]);
    }
    x->n = n;
    op->ctx = x;
    op->ctx_free = merged_ctx_free;
    op->on_io_done = merged_done;
    const ff__cmd *first = &ops[0]->cmds[0];
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_APPEND_FRAMES, FF_FN_APPEND_FRAMES_NKEYS);
    for (int k = A_KEY; k < A_FRAME; k++) ff__cmd_arg(op, cmd, first->argv[k], first->argvlen[k]);
    ff__cmd_arg(op, cmd, first->argv[A_MAX], first->argvlen[A_MAX]);
    for (size_t i = 0; i < n; i++) {
        const ff__cmd *m = &ops[i]->cmds[0];
        for (int k = A_FRAME; k < A_MAX; k++) ff__cmd_arg(op, cmd, m->argv[k], m->argvlen[k]);
    }
    return ff__io_start_now(op, NULL, NULL) == FF_OK ? op : NULL;
}

/* The coalescing key of an append op: its core key, fence and limit. */
static void set_batch_key(ff_op *op) {
    const ff__cmd *cmd = &op->cmds[0];
    if (op->ncmds != 1 || cmd->argc != A_ARGC) return;
    static const int parts[] = {A_KEY, A_FENCE, A_FENCE + 1, A_FENCE + 2, A_FENCE + 3, A_MAX};
    size_t len = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) len += cmd->argvlen[parts[i]] + 1;
    char *key = malloc(len);
    if (key == NULL) return; /* sent on its own */
    size_t off = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        memcpy(key + off, cmd->argv[parts[i]], cmd->argvlen[parts[i]]);
        off += cmd->argvlen[parts[i]];
        key[off++] = '|';
    }
    key[off - 1] = '\0';
    op->batch_key = key;
    op->batch_merge = merge_appends;
}

ff_op *ff__append_build(ff_client *c, const ff_claim *cl, const ff_frame *fr, int *st) {
    if (fr == NULL) {
        *st = ff__check_ptr("frame", fr);
        return NULL;
    }
    if (c && fr->payload_len > c->max_frame) {
        *st = ff__fail(FF_RETENTION_LIMIT_EXCEEDED, "frame payload of %zu bytes: the limit is %u (max frame bytes)",
                       fr->payload_len, (unsigned)c->max_frame);
        return NULL;
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_APPEND_FRAME, finish_append, &cmd, st);
    if (op == NULL) return NULL;
    add_frame_args(op, cmd, fr);
    ff__cmd_i64(op, cmd, c->max_frame);
    if (!op->build_failed) set_batch_key(op);
    return op;
}

ff_op *ff__append_text_build(ff_client *c, const ff_claim *cl, const char *type, const char *mode, const char *text,
                             int *st) {
    ff_frame f = {.type = (char *)type, .payload = (char *)text, .payload_len = strlen(text), .mode = mode};
    return ff__append_build(c, cl, &f, st);
}

int ff_stream_append(ff_client *c, const ff_claim *cl, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_STREAM_APPEND);
    int st = FF_OK;
    ff_op *op = ff__append_build(c, cl, f, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

static int finish_append_many(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_APPEND_FRAMES_ITEMS_AT || (n - FF_FN_APPEND_FRAMES_ITEMS_AT) % FF_FN_APPEND_FRAMES_ITEM_STRIDE)
        return FF_EPROTO;
    return ff__take_items(op, f, n, FF_FN_APPEND_FRAMES_ITEMS_AT);
}

int ff_stream_append_many(ff_client *c, const ff_claim *cl, const ff_frame *const *frames, size_t n, ff_op_cb cb,
                          void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_STREAM_APPEND_MANY);
    if (frames == NULL || n < 1 || n > FF_STREAM_APPEND_MAX)
        return ff__fail(FF_EINVAL, "frames: 1..%d frames expected, got %zu%s", FF_STREAM_APPEND_MAX, n,
                        frames ? "" : " (NULL)");
    for (size_t i = 0; i < n; i++) {
        if (frames[i] == NULL) return ff__fail(FF_EINVAL, "frame %zu is NULL", i);
        if (c && frames[i]->payload_len > c->max_frame)
            return ff__fail(FF_RETENTION_LIMIT_EXCEEDED, "frame %zu: payload of %zu bytes: the limit is %u", i,
                            frames[i]->payload_len, (unsigned)c->max_frame);
    }
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_APPEND_FRAMES, finish_append_many, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_i64(op, cmd, c->max_frame);
    for (size_t i = 0; i < n; i++) {
        add_frame_args(op, cmd, frames[i]);
    }
    return ff__op_submit(op, cb, ud, out);
}

/* -------------------------------------------------------------- reads */

/* Where a read or tail of one attempt's stream stands. */
typedef struct read_ctx {
    char eid[FF_EID_MAX + 1];
    char key[FF_EID_MAX + 32]; /* the stream's key (tails) */
    char cursor[CURSOR_MAX];   /* read after this entry ("" = the start) */
    uint32_t attempt, count, flags;
    int64_t block_ms;
    int state;
    ff__block *blk; /* the XREAD of a tail while it blocks */
} read_ctx;

enum { R_READ, R_PEEK, R_BLOCKED, R_LAST };

static void add_read(ff_op *op, read_ctx *x, const char *to) {
    char key[FF_EID_MAX + 8];
    ff__key_core(key, sizeof key, x->eid);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_READ_STREAM, FF_FN_READ_STREAM_NKEYS);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, x->eid);
    ff__cmd_i64(op, cmd, x->attempt);
    ff__cmd_str(op, cmd, x->cursor);
    ff__cmd_str(op, cmd, to ? to : "");
    ff__cmd_i64(op, cmd, x->count);
    ff__cmd_str(op, cmd, (x->flags & FF_STREAM_DURABLE_ONLY) ? "0" : "1");
}

/* A page reply -> items, cursor, close state (text, ival, json). */
static int take_page(ff_op *op, read_ctx *x) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t frames = 0, closed_at = 0;
    if (n < FF_FN_READ_STREAM_ITEMS_AT || ff__rv_i64(f[FF_FN_READ_STREAM_F_N], &frames) != 0 || frames < 0 ||
        (n - FF_FN_READ_STREAM_ITEMS_AT) != (size_t)frames * FF_FN_READ_STREAM_ITEM_STRIDE)
        return FF_EPROTO;
    const ff_rv *at = f[FF_FN_READ_STREAM_F_CLOSED_AT], *cur = f[FF_FN_READ_STREAM_F_CURSOR];
    if (!ff__rv_is_str(at) || !ff__rv_is_str(cur) || cur->len >= CURSOR_MAX) return FF_EPROTO;
    if (at->len > 0 && ff__rv_i64(at, &closed_at) != 0) return FF_EPROTO;
    if (cur->len > 0) {
        memcpy(x->cursor, cur->str, cur->len);
        x->cursor[cur->len] = '\0';
    }
    free(op->text);
    free(op->cursor);
    op->text = ff__rv_strdup(f[FF_FN_READ_STREAM_F_CLOSED_REASON]);
    op->cursor = ff__strdup(x->cursor);
    op->ival = closed_at;
    const ff_rv *more = f[FF_FN_READ_STREAM_F_MORE];
    int has_more = ff__rv_is_str(more) && more->len == 1 && more->str[0] == '1';
    if (op->text == NULL || op->cursor == NULL) return FF_ENOMEM;
    json_decref(op->json_root);
    free(op->json);
    op->json_root = json_pack("{s:b,s:o,s:o,s:s,s:b}", "closed", at->len > 0, "closed_at",
                              at->len > 0 ? json_integer(closed_at) : json_null(), "closed_reason",
                              at->len > 0 ? json_string(op->text) : json_null(), "cursor", op->cursor, "more",
                              has_more);
    op->json = op->json_root ? json_dumps(op->json_root, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (op->json == NULL) return FF_ENOMEM;
    return ff__take_items(op, f, n, FF_FN_READ_STREAM_ITEMS_AT);
}

static int finish_read(ff_op *op) { return take_page(op, op->ctx); }

static int check_read_args(ff_client *c, const char *eid, const char *cursor, const char *cname, uint32_t count,
                           uint32_t flags) {
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_eid("execution id", eid);
    if (st == FF_OK) st = ff__check_range("count", count, 1, FF_STREAM_READ_MAX);
    if (st == FF_OK && (flags & ~FF_STREAM_DURABLE_ONLY) != 0)
        st = ff__fail(FF_EINVAL, "flags 0x%x: only FF_STREAM_DURABLE_ONLY is defined", (unsigned)flags);
    if (st == FF_OK && cursor && strlen(cursor) >= CURSOR_MAX) {
        char q[80];
        st = ff__fail(FF_INVALID_OFFSET, "%s %s: a stream entry id (ms-seq) or empty", cname,
                      ff__quote(cursor, q, sizeof q));
    }
    return st;
}

static read_ctx *new_read_ctx(const char *eid, uint32_t attempt, const char *cursor, uint32_t count,
                              uint32_t flags) {
    read_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) return NULL;
    snprintf(x->eid, sizeof x->eid, "%s", eid);
    snprintf(x->cursor, sizeof x->cursor, "%s", cursor ? cursor : "");
    x->attempt = attempt;
    x->count = count;
    x->flags = flags;
    return x;
}

int ff_stream_read(ff_client *c, const char *eid, uint32_t attempt, const char *after, const char *to,
                   uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_STREAM_READ);
    int st = check_read_args(c, eid, after, "after", count, flags);
    if (st == FF_OK) st = check_read_args(c, eid, to, "to", count, flags);
    if (st != FF_OK) return st;
    ff_op *op = ff__op_new(c, finish_read);
    read_ctx *x = op ? new_read_ctx(eid, attempt, after, count, flags) : NULL;
    if (x == NULL) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    op->ctx = x;
    op->ctx_free = free;
    add_read(op, x, to);
    return ff__op_submit(op, cb, ud, out);
}

/* --------------------------------------------------------------- tail */

/* The XREAD answered (an entry, the block ran out, or its connection
 * dropped: in every case look again on the shared connection). */
static void tail_woken(void *ud, const redisReply *r) {
    (void)r;
    ff_op *op = ud;
    read_ctx *x = op->ctx;
    x->blk = NULL;
    x->state = R_LAST;
    ff__op_reset_cmds(op);
    add_read(op, x, NULL);
    if (op->build_failed) {
        ff__op_complete(op, FF_ENOMEM);
        return;
    }
    ff__op_resume(op);
}

static int finish_tail(ff_op *op) {
    read_ctx *x = op->ctx;
    int st = take_page(op, x);
    if (st != FF_OK || x->state == R_LAST || op->nitems > 0 || op->text[0] != '\0' || x->block_ms == 0) return st;
    /* Nothing yet: block until the stream gets an entry after the cursor
     * (a frame, or the close marker the closing transition appends). */
    char ms[24];
    snprintf(ms, sizeof ms, "%" PRId64, x->block_ms);
    const char *id = x->cursor[0] ? x->cursor : "0-0";
    const char *argv[] = {"XREAD", "BLOCK", ms, "COUNT", "1", "STREAMS", x->key, id};
    size_t lens[8];
    for (int i = 0; i < 8; i++) lens[i] = strlen(argv[i]);
    ff__op_reset_cmds(op);
    x->state = R_BLOCKED;
    x->blk = ff__block_run(op->client, 8, argv, lens, tail_woken, op);
    return x->blk ? FF__PAUSE : FF_ENOMEM;
}

/* Every ending (result, deadline, client closed) gives up the XREAD. */
static void tail_done(ff_op *op) {
    read_ctx *x = op->ctx;
    if (x->blk) ff__block_cancel(op->client, x->blk);
    x->blk = NULL;
}

int ff_stream_tail(ff_client *c, const char *eid, uint32_t attempt, const char *after, int64_t block_ms,
                   uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_STREAM_TAIL);
    int st = check_read_args(c, eid, after, "after", count, flags);
    if (st == FF_OK) st = ff__check_range("block ms", block_ms, 0, FF_STREAM_BLOCK_MAX_MS);
    if (st != FF_OK) return st;
    ff_op *op = ff__op_new(c, finish_tail);
    read_ctx *x = op ? new_read_ctx(eid, attempt, after, count, flags) : NULL;
    if (x == NULL) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    char ai[16];
    snprintf(ai, sizeof ai, "%u", (unsigned)attempt);
    ff__key_stream(x->key, sizeof x->key, eid, ai);
    x->block_ms = block_ms;
    x->state = R_PEEK;
    op->ctx = x;
    op->ctx_free = free;
    op->timeout_ms = (c->timeout_ms > 0 ? c->timeout_ms : 30000) + block_ms;
    op->retry_transport = 1; /* every round is a read: safe to resend after a reconnect */
    op->on_io_done = tail_done;
    add_read(op, x, NULL);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ summary */

static int finish_summary(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t version = 0, created = 0, updated = 0;
    if (n < FF_FN_READ_SUMMARY_NFIELDS || ff__rv_i64(f[FF_FN_READ_SUMMARY_F_VERSION], &version) != 0) return FF_EPROTO;
    const ff_rv *doc = f[FF_FN_READ_SUMMARY_F_DOCUMENT], *cr = f[FF_FN_READ_SUMMARY_F_CREATED],
                *up = f[FF_FN_READ_SUMMARY_F_UPDATED];
    if (!ff__rv_is_str(doc) || !ff__rv_is_str(cr) || !ff__rv_is_str(up)) return FF_EPROTO;
    if ((cr->len && ff__rv_i64(cr, &created) != 0) || (up->len && ff__rv_i64(up, &updated) != 0)) return FF_EPROTO;
    json_t *d = json_null();
    if (doc->len > 0) {
        json_error_t e;
        d = json_loadb(doc->str, doc->len, JSON_DECODE_ANY, &e);
        if (d == NULL) {
            ff__op_set_error(op, "summary document: not JSON: %s", e.text);
            return FF_EPROTO;
        }
    }
    op->text = ff__rv_strdup(doc);
    op->ival = version;
    op->json_root = json_pack("{s:o,s:I,s:o,s:o}", "document", d, "version", (json_int_t)version, "created",
                              cr->len ? json_integer(created) : json_null(), "updated",
                              up->len ? json_integer(updated) : json_null());
    op->json = op->json_root ? json_dumps(op->json_root, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    return op->text && op->json ? FF_OK : FF_ENOMEM;
}

int ff_stream_summary(ff_client *c, const char *eid, uint32_t attempt, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_STREAM_SUMMARY);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_READ_SUMMARY, eid, finish_summary, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    ff__cmd_i64(op, cmd, attempt);
    return ff__op_submit(op, cb, ud, out);
}
