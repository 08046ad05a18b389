/* Reads: the execution snapshot (describe), listings, lanes and counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

/* ------------------------------------------------------------ describe */

static const char *flat_get(const ff_rv *flat, const char *name) {
    if (flat == NULL || flat->type != FF_REPLY_ARRAY) return NULL;
    for (size_t i = 0; i + 1 < flat->n; i += 2) {
        const ff_rv *k = flat->elem[i];
        if (ff__rv_is_str(k) && strcmp(k->str, name) == 0) {
            const ff_rv *v = flat->elem[i + 1];
            return ff__rv_is_str(v) ? v->str : NULL;
        }
    }
    return NULL;
}

/* A string field, or JSON null when unset ("" means unset). */
static json_t *j_str(const ff_rv *core, const char *name) {
    const char *v = flat_get(core, name);
    return (v && v[0]) ? json_string(v) : json_null();
}

static json_t *j_int(const ff_rv *core, const char *name) {
    const char *v = flat_get(core, name);
    if (v == NULL || v[0] == '\0') return json_null();
    char *end = NULL;
    long long x = strtoll(v, &end, 10);
    if (end && *end == '\0') return json_integer(x);
    double d = strtod(v, &end);
    return (end && *end == '\0') ? json_integer((long long)d) : json_null();
}

static json_t *j_int0(const ff_rv *core, const char *name) {
    json_t *v = j_int(core, name);
    if (json_is_null(v)) {
        json_decref(v);
        return json_integer(0);
    }
    return v;
}

static int is_set(const ff_rv *core, const char *name) {
    const char *v = flat_get(core, name);
    return v && v[0];
}

static json_t *state_object(const ff_rv *core, const char *public_state) {
    static const char *const dims[] = {"lifecycle_phase", "ownership_state", "eligibility_state",
                                       "blocking_reason", "terminal_outcome", "attempt_state"};
    json_t *o = json_object();
    const char *st = flat_get(core, "st");
    char buf[512];
    snprintf(buf, sizeof buf, "%s", st ? st : "");
    char *save = NULL;
    char *tok = strtok_r(buf, " ", &save);
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        json_object_set_new(o, dims[i], json_string(tok ? tok : ""));
        tok = tok ? strtok_r(NULL, " ", &save) : NULL;
    }
    json_object_set_new(o, "public_state", json_string(public_state));
    return o;
}

static json_t *caps_array(const ff_rv *core) {
    json_t *a = json_array();
    const char *caps = flat_get(core, "caps");
    while (caps && *caps) {
        size_t n = strcspn(caps, ",");
        if (n) json_array_append_new(a, json_stringn(caps, n));
        caps += n;
        if (*caps == ',') caps++;
    }
    return a;
}

/* ff_describe returns the attempt records (including the current attempt,
 * which the server derives from the core) as index/json pairs, in order. */
static json_t *attempts_array(const ff_rv *flat) {
    json_t *a = json_array();
    size_t n = (flat && flat->type == FF_REPLY_ARRAY) ? flat->n / 2 : 0;
    for (size_t i = 0; i < n; i++) {
        const ff_rv *v = flat->elem[2 * i + 1];
        if (!ff__rv_is_str(v)) continue;
        json_t *rec = json_loads(v->str, 0, NULL);
        if (rec == NULL || !json_is_object(rec)) {
            if (rec) json_decref(rec);
            continue;
        }
        if (json_object_get(rec, "index") == NULL && ff__rv_is_str(flat->elem[2 * i]))
            json_object_set_new(rec, "index", json_integer(strtoll(flat->elem[2 * i]->str, NULL, 10)));
        json_array_append_new(a, rec);
    }
    return a;
}

static json_t *build_snapshot(const ff_rv *core, const ff_rv *attempts, const ff_rv *tags, const char *public_state,
                              int has_result) {
    json_t *o = json_object();
    json_object_set_new(o, "execution_id", j_str(core, "id"));
    json_object_set_new(o, "namespace", j_str(core, "ns"));
    json_object_set_new(o, "lane", j_str(core, "lane"));
    json_object_set_new(o, "kind", j_str(core, "kind"));
    json_object_set_new(o, "priority", j_int0(core, "pri"));
    json_object_set_new(o, "partition", j_int0(core, "part"));
    json_object_set_new(o, "public_state", json_string(public_state));
    json_object_set_new(o, "state", state_object(core, public_state));
    json_object_set_new(o, "required_capabilities", caps_array(core));
    const char *pol = flat_get(core, "pol");
    json_t *pj = (pol && pol[0]) ? json_loads(pol, 0, NULL) : NULL;
    json_object_set_new(o, "policy", pj ? pj : json_null());

    json_t *tj = json_object();
    for (size_t i = 0; tags && tags->type == FF_REPLY_ARRAY && i + 1 < tags->n; i += 2) {
        if (ff__rv_is_str(tags->elem[i]) && ff__rv_is_str(tags->elem[i + 1]))
            json_object_set_new(tj, tags->elem[i]->str, json_stringn(tags->elem[i + 1]->str, tags->elem[i + 1]->len));
    }
    json_object_set_new(o, "tags", tj);

    json_t *cnt = json_object();
    json_object_set_new(cnt, "total_attempts", j_int0(core, "att"));
    json_object_set_new(cnt, "retry_count", j_int0(core, "retries"));
    json_object_set_new(cnt, "reclaim_count", j_int0(core, "reclaims"));
    json_object_set_new(cnt, "replay_count", j_int0(core, "replays"));
    json_object_set_new(o, "counters", cnt);
    json_object_set_new(o, "lease_epoch", j_int0(core, "epoch"));

    if (is_set(core, "ai")) {
        json_t *ca = json_object();
        json_object_set_new(ca, "index", j_int(core, "ai"));
        json_object_set_new(ca, "id", j_str(core, "aid"));
        json_object_set_new(ca, "type", j_str(core, "aty"));
        json_object_set_new(ca, "started_at", j_int(core, "astart"));
        json_object_set_new(o, "current_attempt", ca);
    } else {
        json_object_set_new(o, "current_attempt", json_null());
    }
    if (is_set(core, "lid")) {
        json_t *l = json_object();
        json_object_set_new(l, "lease_id", j_str(core, "lid"));
        json_object_set_new(l, "epoch", j_int0(core, "epoch"));
        json_object_set_new(l, "worker_id", j_str(core, "wid"));
        json_object_set_new(l, "worker_instance_id", j_str(core, "wiid"));
        json_object_set_new(l, "acquired_at", j_int(core, "lacq"));
        json_object_set_new(l, "expires_at", j_int(core, "lexp"));
        json_object_set_new(l, "last_renewed_at", j_int(core, "lren"));
        json_object_set_new(o, "lease", l);
    } else {
        json_object_set_new(o, "lease", json_null());
    }
    if (is_set(core, "pts")) {
        json_t *p = json_object();
        json_object_set_new(p, "percent", j_int(core, "pct"));
        json_object_set_new(p, "message", j_str(core, "pmsg"));
        json_object_set_new(p, "updated_at", j_int(core, "pts"));
        json_object_set_new(o, "progress", p);
    } else {
        json_object_set_new(o, "progress", json_null());
    }
    json_t *ts = json_object();
    json_object_set_new(ts, "created_at", j_int(core, "created"));
    json_object_set_new(ts, "started_at", j_int(core, "started"));
    json_object_set_new(ts, "ended_at", j_int(core, "ended"));
    json_object_set_new(ts, "updated_at", j_int(core, "updated"));
    json_object_set_new(ts, "delay_until", j_int(core, "dl"));
    json_object_set_new(ts, "deadline", j_int(core, "deadline"));
    json_object_set_new(o, "timestamps", ts);
    /* The core keeps the last failure across a later successful retry; the
     * attempts list has it, the execution-level view does not. */
    const char *st = flat_get(core, "st");
    int succeeded = st && strstr(st, "terminal ") == st && strstr(st, " success ") != NULL;
    if ((is_set(core, "reason") || is_set(core, "cat")) && !succeeded) {
        json_t *fl = json_object();
        json_object_set_new(fl, "reason", j_str(core, "reason"));
        json_object_set_new(fl, "category", j_str(core, "cat"));
        json_object_set_new(o, "failure", fl);
    } else {
        json_object_set_new(o, "failure", json_null());
    }
    if (is_set(core, "cby")) {
        json_t *cn = json_object();
        json_object_set_new(cn, "reason", j_str(core, "creason"));
        json_object_set_new(cn, "cancelled_by", j_str(core, "cby"));
        json_object_set_new(o, "cancellation", cn);
    } else {
        json_object_set_new(o, "cancellation", json_null());
    }
    json_object_set_new(o, "attempts", attempts_array(attempts));
    json_object_set_new(o, "payload_size", j_int0(core, "plen"));
    json_object_set_new(o, "has_result", json_boolean(has_result));
    return o;
}

static int finish_describe(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < 6 || !ff__rv_is_str(f[4])) return FF_EPROTO;
    int has_result = ff__rv_is_str(f[5]) && strcmp(f[5]->str, "1") == 0;
    op->json_root = build_snapshot(f[1], f[2], f[3], f[4]->str, has_result);
    if (op->json_root == NULL) return FF_ENOMEM;
    op->json = json_dumps(op->json_root, JSON_COMPACT | JSON_SORT_KEYS);
    op->text = ff__rv_strdup(f[4]);
    const char *id = flat_get(f[1], "id");
    op->execution_id = ff__strdup(id ? id : "");
    return op->json ? FF_OK : FF_ENOMEM;
}

int ff_execution_describe(ff_client *c, const char *eid, ff_op_cb cb, void *ud, ff_op **out) {
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_DESCRIBE, eid, finish_describe, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ listings */

int ff_execution_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                      ff_op **out) {
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
    const char *index = ff__state_index(state);
    int st0 = ff__check_ptr("client", c);
    if (st0 == FF_OK) st0 = ff__check_lane("lane", lane);
    if (st0 == FF_OK) st0 = ff__check_range("count", count, 1, 1000);
    if (st0 == FF_OK && index == NULL)
        st0 = ff__fail(FF_EINVAL,
                       "state '%s': expected waiting, delayed, active, suspended, completed, failed, cancelled, "
                       "expired or skipped",
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
                                         "failed",  "cancelled", "expired", "skipped"};
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
            json_t *prev = json_object_get(o, name);
            json_object_set_new(o, name, json_integer((prev ? json_integer_value(prev) : 0) + v));
        }
    }
    op->json_root = o;
    op->json = json_dumps(o, JSON_COMPACT);
    return op->json ? FF_OK : FF_ENOMEM;
}

int ff_lane_counts(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out) {
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
