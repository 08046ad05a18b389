/* Admission calls (quota.h, lua/quota.lua): one op of one FCALL per lane
 * shard of the lane (the policy and the group counters live on the lane's
 * execution partitions), merged into one result; the lane listing asks
 * every partition. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/ids.h"
#include "core/validate.h"
#include "ops/ops_int.h"


static int check_quota_id(const char *id) {
    int st = ff__check_name("quota id", id, 128);
    if (st != FF_OK) return st;
    for (const char *p = id; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                 ch == '.' || ch == ':' || ch == '-';
        if (!ok) return ff__fail(FF_EINVAL, "quota id %s: only [A-Za-z0-9_.:-] allowed", id);
    }
    return FF_OK;
}

int ff__check_group(const char *group, int optional) {
    if (group == NULL || group[0] == '\0')
        return optional ? FF_OK : ff__fail(FF_EINVAL, "group is empty (\"\" names the default group here)");
    size_t n = strlen(group);
    if (n > 128) return ff__fail(FF_EINVAL, "group: %zu bytes, at most 128 allowed", n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)group[i] < 0x20 || group[i] == 0x7f) return ff__fail(FF_EINVAL, "group: control byte");
    return FF_OK;
}

/* ------------------------------------------------------------ create */

static int finish_create(ff_op *op) {
    int same = 1, created = 0;
    int64_t rate = 0, win = 0, cap = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n < FF_FN_CREATE_QUOTA_NFIELDS || !ff__rv_is_str(f[FF_FN_CREATE_QUOTA_F_OUTCOME])) return FF_EPROTO;
        if (strcmp(f[FF_FN_CREATE_QUOTA_F_OUTCOME]->str, "created") == 0) created = 1;
        if (ff__rv_i64_or0(f[FF_FN_CREATE_QUOTA_F_SAME]) != 1) same = 0;
        rate = ff__rv_i64_or0(f[FF_FN_CREATE_QUOTA_F_RATE]);
        win = ff__rv_i64_or0(f[FF_FN_CREATE_QUOTA_F_WINDOW_MS]);
        cap = ff__rv_i64_or0(f[FF_FN_CREATE_QUOTA_F_CONCURRENCY]);
    }
    /* "created" when any shard was new (a repeat repairs a partial create) */
    op->text = ff__strdup(created ? "created" : "existing");
    if (op->text == NULL) return FF_ENOMEM;
    return ff__op_set_json(op, json_pack("{s:s, s:b, s:I, s:I, s:I}", "outcome", op->text, "same", same, "rate",
                                  (json_int_t)rate, "window_ms", (json_int_t)win, "concurrency", (json_int_t)cap));
}

int ff_quota_create(ff_client *c, const char *lane, const char *quota_id, int64_t rate, int64_t window_ms,
                    int64_t concurrency, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_QUOTA_CREATE);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st == FF_OK) st = check_quota_id(quota_id);
    if (st == FF_OK) st = ff__check_range("rate", rate, 0, 1000000);
    if (st == FF_OK) st = ff__check_range("window ms", window_ms, 0, 86400000);
    if (st == FF_OK) st = ff__check_range("concurrency", concurrency, 0, 1000000);
    if (st == FF_OK && rate == 0 && concurrency == 0)
        st = ff__fail(FF_INVALID_QUOTA_SPEC, "rate and concurrency are both 0: the policy would limit nothing");
    if (st == FF_OK && rate > 0 && window_ms < 1)
        st = ff__fail(FF_INVALID_QUOTA_SPEC, "a rate needs a window of 1..86400000 ms");
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_CREATE_QUOTA, 0, finish_create);
    if (op == NULL) return FF_ENOMEM;
    ff__each_cmd_str(op, quota_id);
    ff__each_cmd_i64(op, rate);
    ff__each_cmd_i64(op, window_ms);
    ff__each_cmd_i64(op, concurrency);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ describe */

static int cmp_group(const void *a, const void *b) {
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "group"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "group"));
    return strcmp(x ? x : "", y ? y : "");
}

static const char *const GROUP_COLS[] = {"holders", "window_used", "parked", "paused_until"};

/* Add one shard's group row to @p groups (an object keyed by group): the
 * counts add up, the pause end is the latest. */
static int merge_group(json_t *groups, ff_rv *const *row) {
    if (!ff__rv_is_str(row[0])) return FF_EPROTO;
    json_t *g = json_object_get(groups, row[0]->str);
    if (g == NULL) {
        g = json_pack("{s:s, s:I, s:I, s:I, s:I}", "group", row[0]->str, "holders", (json_int_t)0, "window_used",
                      (json_int_t)0, "parked", (json_int_t)0, "paused_until", (json_int_t)0);
        if (g == NULL || json_object_set_new(groups, row[0]->str, g) != 0) return FF_ENOMEM;
    }
    for (size_t k = 0; k < 4; k++) {
        int64_t v = ff__rv_i64_or0(row[k + 1]), cur = json_integer_value(json_object_get(g, GROUP_COLS[k]));
        int64_t next = k == 3 ? (v > cur ? v : cur) : cur + v;
        json_object_set_new(g, GROUP_COLS[k], json_integer(next));
    }
    return FF_OK;
}

static int finish_describe(ff_op *op) {
    json_t *groups = json_object();
    json_t *o = json_pack("{s:s, s:n, s:I, s:I, s:I}", "lane", op->ctx ? (const char *)op->ctx : "", "quota_id",
                          "rate", (json_int_t)0, "window_ms", (json_int_t)0, "concurrency", (json_int_t)0);
    int st = groups && o ? FF_OK : FF_ENOMEM;
    for (size_t i = 0; st == FF_OK && i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) break;
        size_t at = FF_FN_DESCRIBE_QUOTA_ITEMS_AT, stride = FF_FN_DESCRIBE_QUOTA_ITEM_STRIDE;
        if (n < at || (n - at) % stride != 0 || !ff__rv_is_str(f[FF_FN_DESCRIBE_QUOTA_F_QUOTA_ID])) {
            st = FF_EPROTO;
            break;
        }
        if (f[FF_FN_DESCRIBE_QUOTA_F_QUOTA_ID]->str[0]) {
            json_object_set_new(o, "quota_id", json_string(f[FF_FN_DESCRIBE_QUOTA_F_QUOTA_ID]->str));
            json_object_set_new(o, "rate", json_integer(ff__rv_i64_or0(f[FF_FN_DESCRIBE_QUOTA_F_RATE])));
            json_object_set_new(o, "window_ms", json_integer(ff__rv_i64_or0(f[FF_FN_DESCRIBE_QUOTA_F_WINDOW_MS])));
            json_object_set_new(o, "concurrency", json_integer(ff__rv_i64_or0(f[FF_FN_DESCRIBE_QUOTA_F_CONCURRENCY])));
        }
        for (size_t k = at; st == FF_OK && k < n; k += stride) st = merge_group(groups, f + k);
    }
    if (st != FF_OK) {
        json_decref(groups);
        json_decref(o);
        return st;
    }
    /* every shard gave its first `count` groups after the cursor: the
     * merged first `count` are the page */
    size_t ng = json_object_size(groups), k = 0;
    json_t **rows = calloc(ng ? ng : 1, sizeof *rows);
    const char *name;
    json_t *g;
    if (rows == NULL) {
        json_decref(groups);
        json_decref(o);
        return FF_ENOMEM;
    }
    json_object_foreach(groups, name, g) rows[k++] = g;
    qsort(rows, ng, sizeof *rows, cmp_group);
    size_t take = ng < (size_t)op->ival ? ng : (size_t)op->ival;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < take; i++) json_array_append(arr, rows[i]);
    json_object_set_new(o, "groups", arr ? arr : json_array());
    const char *last = take ? json_string_value(json_object_get(rows[take - 1], "group")) : NULL;
    json_object_set_new(o, "next_cursor", ng >= (size_t)op->ival && last ? json_string(last) : json_null());
    free(rows);
    json_decref(groups);
    op->ival = 0;
    return ff__op_set_json(op, o);
}

int ff_quota_describe(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_QUOTA_DESCRIBE);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_group(cursor, 1);
    if (st == FF_OK && (count < 1 || count > 1000)) st = ff__fail(FF_EINVAL, "count %u: expected 1..1000", count);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_DESCRIBE_QUOTA, 1, finish_describe);
    if (op == NULL) return FF_ENOMEM;
    if ((op->ctx = ff__strdup(lane)) == NULL) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    op->ctx_free = free;
    op->ival = count; /* the page size, for the merge */
    ff__each_cmd_str(op, cursor ? cursor : "");
    ff__each_cmd_i64(op, count);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ list */

static int finish_list(ff_op *op) {
    json_t *seen = json_object();
    if (seen == NULL) return FF_ENOMEM;
    int more = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) {
            json_decref(seen);
            return st;
        }
        if (n > FF_FN_LIST_QUOTAS_F_NEXT_CURSOR && ff__rv_is_str(f[FF_FN_LIST_QUOTAS_F_NEXT_CURSOR]) &&
            f[FF_FN_LIST_QUOTAS_F_NEXT_CURSOR]->len > 0)
            more = 1;
        for (size_t k = FF_FN_LIST_QUOTAS_ITEMS_AT; k < n; k++)
            if (ff__rv_is_str(f[k])) json_object_set_new(seen, f[k]->str, json_true());
    }
    json_t *o = ff__merged_page(seen, (size_t)op->ival, more, "lanes", 0);
    json_decref(seen);
    op->ival = 0;
    return o ? ff__op_set_json(op, o) : FF_ENOMEM;
}

int ff_quota_list(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_QUOTA_LIST);
    _Static_assert(FF_FN_LIST_QUOTAS_NKEYS == 1 && FF_FN_LIST_QUOTAS_NARGS == 2, "ff__lane_listing's layout");
    return ff__lane_listing(c, FF_FN_LIST_QUOTAS, ff__key_quota_lanes, cursor, count, finish_list, cb, ud, out);
}

/* ------------------------------------------------------------ pauses */

/* ival = the largest first reply field of every shard's reply (pause:
 * paused_until; resume: was_paused) */
_Static_assert(FF_FN_PAUSE_GROUP_F_PAUSED_UNTIL == FF_FN_RESUME_GROUP_F_WAS_PAUSED, "one first field");
static int finish_max_first(ff_op *op) {
    int64_t best = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n <= FF_FN_PAUSE_GROUP_F_PAUSED_UNTIL) return FF_EPROTO;
        int64_t v = ff__rv_i64_or0(f[FF_FN_PAUSE_GROUP_F_PAUSED_UNTIL]);
        if (v > best) best = v;
    }
    op->ival = best;
    return FF_OK;
}

int ff_group_pause(ff_client *c, const char *lane, const char *group, int64_t until_ms, ff_op_cb cb, void *ud,
                   ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_GROUP_PAUSE);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_group(group, 1);
    if (st == FF_OK) st = ff__check_range("until ms", until_ms, 1, INT64_MAX);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_PAUSE_GROUP, 0, finish_max_first);
    if (op == NULL) return FF_ENOMEM;
    ff__each_cmd_str(op, group ? group : "");
    ff__each_cmd_i64(op, until_ms);
    return ff__op_submit(op, cb, ud, out);
}

int ff_group_resume(ff_client *c, const char *lane, const char *group, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_GROUP_RESUME);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_group(group, 1);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_RESUME_GROUP, 0, finish_max_first);
    if (op == NULL) return FF_ENOMEM;
    ff__each_cmd_str(op, group ? group : "");
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ rate limited */

static int finish_rate_limited(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_RATE_LIMITED_NFIELDS || !ff__rv_is_str(f[FF_FN_RATE_LIMITED_F_GROUP])) return FF_EPROTO;
    op->ival = ff__rv_i64_or0(f[FF_FN_RATE_LIMITED_F_PAUSED_UNTIL]);
    op->text = ff__strdup(f[FF_FN_RATE_LIMITED_F_GROUP]->str);
    return op->text ? FF_OK : FF_ENOMEM;
}

ff_op *ff__rate_limited_build(ff_client *c, const ff_claim *cl, int64_t until_ms, int *st) {
    *st = ff__check_range("until ms", until_ms, 1, INT64_MAX);
    if (*st != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_RATE_LIMITED, finish_rate_limited, &cmd, st);
    if (op) ff__cmd_i64(op, cmd, until_ms);
    return op;
}

int ff_lease_rate_limited(ff_client *c, const ff_claim *cl, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_RATE_LIMITED);
    int st = FF_OK;
    ff_op *op = ff__rate_limited_build(c, cl, until_ms, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}
