/* Reads (lua/read.lua): the execution snapshot (describe), listings, lanes,
 * counts and result bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

/* ------------------------------------------------------------ describe */

/* ff_snapshot builds the documented snapshot in the server (the storage
 * field names are known only there); here it is parsed and re-dumped with
 * sorted keys, the form ff_op_json has always had. */
static int finish_describe(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_SNAPSHOT_NFIELDS || !ff__rv_is_str(f[FF_FN_SNAPSHOT_F_SNAPSHOT]) ||
        !ff__rv_is_str(f[FF_FN_SNAPSHOT_F_PUBLIC_STATE]))
        return FF_EPROTO;
    const ff_rv *doc = f[FF_FN_SNAPSHOT_F_SNAPSHOT];
    json_error_t e;
    op->json_root = json_loadb(doc->str, doc->len, 0, &e);
    if (op->json_root == NULL || !json_is_object(op->json_root)) {
        ff__op_set_error(op, "ff_snapshot: not a JSON object: %s", e.text);
        return FF_EPROTO;
    }
    op->json = json_dumps(op->json_root, JSON_COMPACT | JSON_SORT_KEYS);
    op->text = ff__rv_strdup(f[FF_FN_SNAPSHOT_F_PUBLIC_STATE]);
    const char *id = json_string_value(json_object_get(op->json_root, "execution_id"));
    op->execution_id = ff__strdup(id ? id : "");
    return op->json ? FF_OK : FF_ENOMEM;
}

int ff_execution_describe(ff_client *c, const char *eid, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_DESCRIBE);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_SNAPSHOT, eid, finish_describe, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ listings */

int ff_execution_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_LIST);
    return ff__partition_page(c, partition, "all", FF_FN_LIST_PARTITION, cursor, count, cb, ud, out);
}

/* Lane listings walk the lane's shards; the cursor is "<shard>:<offset>". */
typedef struct lane_list_ctx {
    char *lane;
    const char *index;
    uint32_t shard;
    uint32_t shards;
    uint32_t partitions;
    uint32_t count;
} lane_list_ctx;

static void lane_list_ctx_free(void *p) {
    lane_list_ctx *x = p;
    if (x) free(x->lane);
    free(x);
}

static void add_lane_list_cmd(ff_op *op, lane_list_ctx *x, int64_t offset) {
    char key[160];
    ff__lane_index_key(key, sizeof key, ff__lane_partition(x->lane, x->shard, x->partitions), x->lane, x->index);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_LIST_LANE, FF_FN_LIST_LANE_NKEYS);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_i64(op, cmd, offset);
    ff__cmd_i64(op, cmd, x->count - (uint32_t)op->nitems);
}

static int finish_list_lane(ff_op *op) {
    lane_list_ctx *x = op->ctx;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t next = 0;
    if (n < 2 || ff__rv_i64(f[1], &next) != 0) return FF_EPROTO;
    st = ff__take_items(op, f, n, 2);
    if (st != FF_OK) return st;
    if (next == 0) {
        if (x->shard + 1 >= x->shards) {
            op->cursor = ff__strdup("0");
            return FF_OK;
        }
        x->shard++;
    }
    char cur[48];
    snprintf(cur, sizeof cur, "%u:%lld", (unsigned)x->shard, (long long)next);
    if (op->nitems >= x->count) {
        op->cursor = ff__strdup(cur);
        return FF_OK;
    }
    ff__op_reset_cmds(op);
    add_lane_list_cmd(op, x, next);
    return FF__CONTINUE;
}

int ff_execution_list_lane(ff_client *c, const char *lane, const char *state, const char *cursor, uint32_t count,
                           ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_LIST_LANE);
    const char *index = ff__state_index(state);
    int st0 = ff__check_ptr("client", c);
    if (st0 == FF_OK) st0 = ff__check_lane("lane", lane);
    if (st0 == FF_OK) st0 = ff__check_range("count", count, 1, 1000);
    if (st0 == FF_OK && index == NULL)
        st0 = ff__fail(FF_EINVAL,
                       "state '%s': expected waiting, delayed, active, suspended, completed, failed, cancelled, "
                       "expired, skipped or rate_limited",
                       state ? state : "NULL");
    if (st0 != FF_OK) return st0;
    unsigned shard = 0;
    long long offset = 0;
    char q[80];
    if (cursor && cursor[0] && strcmp(cursor, "0") != 0) {
        char tail = 0;
        if (sscanf(cursor, "%u:%lld%c", &shard, &offset, &tail) != 2 || offset < 0)
            return ff__fail(FF_EINVAL, "cursor %s is not one this listing returned (expected <shard>:<offset>)",
                            ff__quote(cursor, q, sizeof q));
    }
    lane_list_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) return FF_ENOMEM;
    x->lane = ff__strdup(lane);
    x->index = index;
    x->shard = shard;
    x->shards = atomic_load(&c->lane_shards);
    if (x->shards == 0) x->shards = 1;
    x->partitions = atomic_load(&c->partitions);
    x->count = count;
    if (x->lane == NULL || shard >= x->shards) {
        /* decide before x is freed */
        int st = x->lane == NULL ? FF_ENOMEM
                                 : ff__fail(FF_EINVAL, "cursor %s names shard %u; the lane has %u",
                                            ff__quote(cursor, q, sizeof q), shard, (unsigned)x->shards);
        lane_list_ctx_free(x);
        return st;
    }
    ff_op *op = ff__op_new(c, finish_list_lane);
    if (op == NULL) {
        lane_list_ctx_free(x);
        return FF_ENOMEM;
    }
    op->ctx = x;
    op->ctx_free = lane_list_ctx_free;
    add_lane_list_cmd(op, x, offset);
    return ff__op_submit(op, cb, ud, out);
}

/* --------------------------------------------------------- lanes, counts */

static int finish_lanes(ff_op *op) {
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        st = ff__take_items(op, f, n, 1);
        if (st != FF_OK) return st;
    }
    if (op->nitems > 1) {
        qsort(op->items, op->nitems, sizeof *op->items, ff__cmp_strp);
        size_t w = 1;
        for (size_t r = 1; r < op->nitems; r++) {
            if (strcmp(op->items[r], op->items[w - 1]) == 0)
                free(op->items[r]);
            else
                op->items[w++] = op->items[r];
        }
        op->nitems = w;
        /* lane names are text: their lengths follow the sorted order */
        for (size_t i = 0; i < op->nitems; i++) op->item_lens[i] = strlen(op->items[i]);
    }
    op->cursor = ff__strdup("0");
    return FF_OK;
}

int ff_lanes_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANES_LIST);
    if (c == NULL) return ff__check_ptr("client", c);
    ff_op *op = ff__op_new(c, finish_lanes);
    if (op == NULL) return FF_ENOMEM;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[64];
        ff__key_lanes(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_LANES, FF_FN_LANES_NKEYS);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
    }
    return ff__op_submit(op, cb, ud, out);
}

static int finish_counts(ff_op *op) {
    json_t *o = json_object();
    static const char *const states[] = {"waiting", "delayed",   "active",  "suspended", "completed",
                                         "failed",  "cancelled", "expired", "skipped",   "blocked",
                                         "rate_limited"};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) json_object_set_new(o, states[i], json_integer(0));
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) {
            json_decref(o);
            return st;
        }
        for (size_t k = 1; k + 1 < n; k += 2) {
            int64_t v = 0;
            if (!ff__rv_is_str(f[k]) || ff__rv_i64(f[k + 1], &v) != 0) continue;
            const char *name = strcmp(f[k]->str, "eligible") == 0 ? "waiting" : f[k]->str;
            if (strcmp(name, "budget_blocked") == 0) name = "rate_limited";
            /* route-blocked work is public state "waiting" (lib/78_route.lua) */
            if (strcmp(name, "route_blocked") == 0) name = "waiting";
            json_t *prev = json_object_get(o, name);
            json_object_set_new(o, name, json_integer((prev ? json_integer_value(prev) : 0) + v));
        }
    }
    return ff__op_set_json(op, o);
}

int ff_lane_counts(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANE_COUNTS);
    int st0 = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st0 != FF_OK) return st0;
    ff_op *op = ff__op_new(c, finish_counts);
    if (op == NULL) return FF_ENOMEM;
    uint32_t shards = atomic_load(&c->lane_shards);
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t s = 0; s < (shards ? shards : 1); s++) {
        char key[64];
        ff__key_lanes(key, sizeof key, ff__lane_partition(lane, s, parts));
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_COUNTS, FF_FN_COUNTS_NKEYS);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, lane);
    }
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------ result bytes */

int ff__finish_result(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < 2 || !ff__rv_is_str(f[1])) return FF_EPROTO;
    op->bytes = ff__memdup(f[1]->str, f[1]->len);
    op->bytes_len = f[1]->len;
    return op->bytes ? FF_OK : FF_ENOMEM;
}

int ff_execution_result(ff_client *c, const char *eid, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_RESULT);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_RESULT, eid, ff__finish_result, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}
