/* The lane registry and operator lane pause (lanes.h, lua/lanes.lua):
 * create, pause and resume are one FCALL per lane shard of the lane
 * (ff__lane_op); the page asks every partition and merges. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define LANE_REASON_MAX 1024

/* ival = 1 when any shard's first reply field is 1 (created / paused /
 * was_paused: the three replies share the layout) */
_Static_assert(FF_FN_LANE_CREATE_F_CREATED == FF_FN_LANE_PAUSE_F_PAUSED, "one first field");
_Static_assert(FF_FN_LANE_PAUSE_F_PAUSED == FF_FN_LANE_RESUME_F_WAS_PAUSED, "one first field");
static int finish_any_first(ff_op *op) {
    int64_t any = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n <= FF_FN_LANE_CREATE_F_CREATED) return FF_EPROTO;
        if (ff__rv_i64_or0(f[FF_FN_LANE_CREATE_F_CREATED]) == 1) any = 1;
    }
    op->ival = any;
    return FF_OK;
}

int ff_lane_create(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANE_CREATE);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_LANE_CREATE, 0, finish_any_first);
    if (op == NULL) return FF_ENOMEM;
    return ff__op_submit(op, cb, ud, out);
}

int ff_lane_pause(ff_client *c, const char *lane, const char *reason, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANE_PAUSE);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_text("reason", reason, LANE_REASON_MAX, 1);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_LANE_PAUSE, 0, finish_any_first);
    if (op == NULL) return FF_ENOMEM;
    ff__each_cmd_str(op, reason ? reason : "");
    return ff__op_submit(op, cb, ud, out);
}

int ff_lane_resume(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANE_RESUME);
    int st = c ? ff__check_lane("lane", lane) : ff__check_ptr("client", c);
    if (st != FF_OK) return st;
    ff_op *op = ff__lane_op(c, lane, FF_FN_LANE_RESUME, 0, finish_any_first);
    if (op == NULL) return FF_ENOMEM;
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ page */

static json_t *ms_or_null(const ff_rv *v) {
    int64_t ms = 0;
    if (!ff__rv_is_str(v) || v->len == 0 || ff__rv_i64(v, &ms) != 0) return json_null();
    return json_integer(ms);
}

/* Merge one partition's record of a lane into the lane's entry: a lane of
 * several shards is configured or paused when any shard says so (a pause
 * interrupted between shards reads as paused: pausing again completes it),
 * with the earliest time. */
static void merge_lane(json_t *e, ff_rv *const *it) {
    json_t *conf = ms_or_null(it[FF_FN_LANE_PAGE_ITEM_CONFIGURED_AT]);
    json_t *old = json_object_get(e, "configured_at");
    if (json_is_integer(conf) && (!json_is_integer(old) || json_integer_value(conf) < json_integer_value(old))) {
        json_object_set(e, "configured_at", conf);
        json_object_set_new(e, "configured", json_true());
    }
    json_decref(conf);
    if (ff__rv_i64_or0(it[FF_FN_LANE_PAGE_ITEM_PAUSED]) != 1) return;
    json_t *at = ms_or_null(it[FF_FN_LANE_PAGE_ITEM_PAUSED_AT]);
    json_t *prev = json_object_get(e, "paused_at");
    if (!json_is_true(json_object_get(e, "paused")) ||
        (json_is_integer(at) && json_is_integer(prev) && json_integer_value(at) < json_integer_value(prev))) {
        const ff_rv *why = it[FF_FN_LANE_PAGE_ITEM_REASON];
        json_object_set_new(e, "paused", json_true());
        json_object_set(e, "paused_at", at);
        json_object_set_new(e, "reason", ff__rv_is_str(why) ? json_stringn(why->str, why->len) : json_string(""));
    }
    json_decref(at);
}

static int finish_page(ff_op *op) {
    json_t *seen = json_object();
    if (seen == NULL) return FF_ENOMEM;
    int more = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st == FF_OK && (n < FF_FN_LANE_PAGE_ITEMS_AT || !ff__rv_is_str(f[FF_FN_LANE_PAGE_F_NEXT_CURSOR]) ||
                            (n - FF_FN_LANE_PAGE_ITEMS_AT) % FF_FN_LANE_PAGE_ITEM_STRIDE != 0))
            st = FF_EPROTO;
        if (st != FF_OK) {
            json_decref(seen);
            return st;
        }
        if (f[FF_FN_LANE_PAGE_F_NEXT_CURSOR]->len > 0) more = 1;
        for (size_t k = FF_FN_LANE_PAGE_ITEMS_AT; k < n; k += FF_FN_LANE_PAGE_ITEM_STRIDE) {
            const ff_rv *name = f[k + FF_FN_LANE_PAGE_ITEM_LANE];
            if (!ff__rv_is_str(name)) continue;
            json_t *e = json_object_get(seen, name->str);
            if (e == NULL) {
                e = json_pack("{s:s, s:b, s:n, s:b, s:n, s:n}", "lane", name->str, "configured", 0,
                              "configured_at", "paused", 0, "paused_at", "reason");
                if (e == NULL || json_object_set_new(seen, name->str, e) != 0) {
                    json_decref(seen);
                    return FF_ENOMEM;
                }
            }
            merge_lane(e, &f[k]);
        }
    }
    json_t *o = ff__merged_page(seen, (size_t)op->ival, more, "lanes", 1);
    json_decref(seen);
    op->ival = 0;
    return o ? ff__op_set_json(op, o) : FF_ENOMEM;
}

int ff_lanes_page(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LANES_PAGE);
    _Static_assert(FF_FN_LANE_PAGE_NKEYS == 1 && FF_FN_LANE_PAGE_NARGS == 2, "ff__lane_listing's layout");
    return ff__lane_listing(c, FF_FN_LANE_PAGE, ff__key_lanes, cursor, count, finish_page, cb, ud, out);
}
