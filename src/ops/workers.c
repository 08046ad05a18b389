/* The worker registry (workers.h, lua/workers.lua): register/heartbeat is
 * one FCALL per partition the worker's lanes map to (every lane shard);
 * the listing and mark-dead ask every partition (a worker may once have
 * served other lanes) and merge the replies. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/ids.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define MAX_LANES 64
#define MAX_CAPS 256

/* ------------------------------------------------------------ register */

static int finish_register(ff_op *op) {
    int registered = 0;
    int64_t moved = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n < FF_FN_WORKER_REGISTER_NFIELDS || !ff__rv_is_str(f[FF_FN_WORKER_REGISTER_F_OUTCOME])) return FF_EPROTO;
        if (strcmp(f[FF_FN_WORKER_REGISTER_F_OUTCOME]->str, "registered") == 0) registered = 1;
        moved += ff__rv_i64_or0(f[FF_FN_WORKER_REGISTER_F_UNBLOCKED]);
    }
    op->text = ff__strdup(registered ? "registered" : "refreshed");
    if (op->text == NULL) return FF_ENOMEM;
    op->ival = moved;
    return FF_OK;
}

ff_op *ff__worker_upsert_build(ff_client *c, const char *worker_id, const char *instance_id,
                              const char *const *lanes, size_t nlanes, const char *const *caps, size_t ncaps,
                              int64_t concurrency, int64_t ttl_ms, int *st_out) {
    int st = c ? FF_OK : ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_name("worker id", worker_id, 256);
    if (st == FF_OK) st = ff__check_name("instance id", instance_id, 256);
    if (st == FF_OK && (lanes == NULL || nlanes < 1 || nlanes > MAX_LANES))
        st = ff__fail(FF_EINVAL, "lanes: expected 1..%d", MAX_LANES);
    for (size_t i = 0; st == FF_OK && i < nlanes; i++) st = ff__check_lane("lane", lanes[i]);
    if (st == FF_OK && ncaps > MAX_CAPS) st = ff__fail(FF_EINVAL, "capabilities: at most %d per worker", MAX_CAPS);
    if (st == FF_OK && ncaps > 0 && caps == NULL) st = ff__check_ptr("capabilities", caps);
    for (size_t i = 0; st == FF_OK && i < ncaps; i++) st = ff__check_capability("capability", caps[i]);
    if (st == FF_OK) st = ff__check_range("concurrency", concurrency, 0, 1000000);
    if (st == FF_OK) st = ff__check_range("ttl ms", ttl_ms, 1000, 86400000);
    *st_out = st;
    if (st != FF_OK) return NULL;
    uint32_t shards = atomic_load(&c->lane_shards), parts = atomic_load(&c->partitions);
    if (shards == 0) shards = 1;
    char *csv = ff__sorted_csv((char *const *)caps, ncaps);
    unsigned char *seen = calloc(parts ? parts : 1, 1);
    ff_op *op = csv && seen ? ff__op_new(c, finish_register) : NULL;
    if (op == NULL) {
        free(csv);
        free(seen);
        *st_out = FF_ENOMEM;
        return NULL;
    }
    for (size_t l = 0; l < nlanes; l++) {
        for (uint32_t s = 0; s < shards; s++) {
            uint32_t p = ff__lane_partition(lanes[l], s, parts);
            if (p >= parts || seen[p]) continue;
            seen[p] = 1;
            char key[64];
            ff__key_workers(key, sizeof key, p);
            ff__cmd *cmd = ff__op_fcall(op, FF_FN_WORKER_REGISTER, FF_FN_WORKER_REGISTER_NKEYS);
            ff__cmd_str(op, cmd, key);
            ff__cmd_str(op, cmd, worker_id);
            ff__cmd_str(op, cmd, instance_id);
            ff__cmd_str(op, cmd, csv);
            ff__cmd_i64(op, cmd, concurrency);
            ff__cmd_i64(op, cmd, ttl_ms);
            for (size_t k = 0; k < nlanes; k++) ff__cmd_str(op, cmd, lanes[k]);
        }
    }
    free(csv);
    free(seen);
    return op;
}

static int upsert(ff_client *c, const char *worker_id, const char *instance_id, const char *const *lanes,
                  size_t nlanes, const char *const *caps, size_t ncaps, int64_t concurrency, int64_t ttl_ms,
                  ff_op_cb cb, void *ud, ff_op **out) {
    int st = FF_OK;
    ff_op *op = ff__worker_upsert_build(c, worker_id, instance_id, lanes, nlanes, caps, ncaps, concurrency, ttl_ms, &st);
    if (op == NULL) return st;
    return ff__op_submit(op, cb, ud, out);
}

int ff_worker_register(ff_client *c, const char *worker_id, const char *instance_id, const char *const *lanes,
                       size_t nlanes, const char *const *caps, size_t ncaps, int64_t concurrency, int64_t ttl_ms,
                       ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_WORKER_REGISTER);
    return upsert(c, worker_id, instance_id, lanes, nlanes, caps, ncaps, concurrency, ttl_ms, cb, ud, out);
}

int ff_worker_heartbeat(ff_client *c, const char *worker_id, const char *instance_id, const char *const *lanes,
                        size_t nlanes, const char *const *caps, size_t ncaps, int64_t concurrency, int64_t ttl_ms,
                        ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_WORKER_HEARTBEAT);
    return upsert(c, worker_id, instance_id, lanes, nlanes, caps, ncaps, concurrency, ttl_ms, cb, ud, out);
}

/* ------------------------------------------------------------ list */

static json_t *caps_array(const char *csv) {
    json_t *a = json_array();
    if (a == NULL) return NULL;
    const char *p = csv;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) json_array_append_new(a, json_stringn(p, n));
        if (e == NULL) break;
        p = e + 1;
    }
    return a;
}

/* One partition's row of a worker into @p all (keyed by id): the
 * leases add up, the rest comes from the most recent heartbeat. */
static int merge_worker(json_t *all, ff_rv *const *row) {
    for (size_t k = 0; k < FF_FN_WORKER_LIST_ITEM_STRIDE; k++)
        if (!ff__rv_is_str(row[k])) return FF_EPROTO;
    const char *wid = row[FF_FN_WORKER_LIST_ITEM_WORKER_ID]->str;
    int64_t hb = ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_LAST_HEARTBEAT]), leases = ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_LEASES]);
    json_t *w = json_object_get(all, wid);
    if (w != NULL) {
        leases += json_integer_value(json_object_get(w, "leases"));
        json_object_set_new(w, "leases", json_integer(leases));
        if (hb <= json_integer_value(json_object_get(w, "last_heartbeat"))) return FF_OK;
    }
    json_t *lanes = json_loads(row[FF_FN_WORKER_LIST_ITEM_LANES]->str, 0, NULL);
    if (lanes == NULL || !json_is_array(lanes)) {
        json_decref(lanes);
        return FF_EPROTO;
    }
    json_t *nw = json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "worker_id", wid, "instance_id",
                           row[FF_FN_WORKER_LIST_ITEM_WORKER_INSTANCE_ID]->str, "lanes", lanes, "capabilities", caps_array(row[FF_FN_WORKER_LIST_ITEM_CAPS]->str), "concurrency",
                           (json_int_t)ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_CONCURRENCY]), "ttl_ms", (json_int_t)ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_TTL_MS]), "registered_at",
                           (json_int_t)ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_REGISTERED_AT]), "last_heartbeat", (json_int_t)hb, "expires_at",
                           (json_int_t)ff__rv_i64_or0(row[FF_FN_WORKER_LIST_ITEM_EXPIRES_AT]), "leases", (json_int_t)leases);
    if (nw == NULL || json_object_set_new(all, wid, nw) != 0) return FF_ENOMEM;
    return FF_OK;
}

static int cmp_worker(const void *a, const void *b) {
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "worker_id"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "worker_id"));
    return strcmp(x ? x : "", y ? y : "");
}

/* Every partition gave the live workers among its first `count` names
 * after the cursor and the last name it examined when it has more. Names
 * up to the smallest such frontier are complete in the union; the page is
 * the first `count` of those. */
static int finish_list(ff_op *op) {
    json_t *all = json_object();
    char *frontier = NULL;
    int st = all ? FF_OK : FF_ENOMEM;
    for (size_t i = 0; st == FF_OK && i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) break;
        size_t at = FF_FN_WORKER_LIST_ITEMS_AT, stride = FF_FN_WORKER_LIST_ITEM_STRIDE;
        if (n < at || (n - at) % stride != 0 || !ff__rv_is_str(f[FF_FN_WORKER_LIST_F_NEXT_CURSOR])) {
            st = FF_EPROTO;
            break;
        }
        const char *next = f[FF_FN_WORKER_LIST_F_NEXT_CURSOR]->str;
        if (next[0] && (frontier == NULL || strcmp(next, frontier) < 0)) {
            free(frontier);
            if ((frontier = ff__strdup(next)) == NULL) st = FF_ENOMEM;
        }
        for (size_t k = at; st == FF_OK && k < n; k += stride) st = merge_worker(all, f + k);
    }
    size_t nw = all ? json_object_size(all) : 0, k = 0;
    json_t **rows = st == FF_OK ? calloc(nw ? nw : 1, sizeof *rows) : NULL;
    if (st == FF_OK && rows == NULL) st = FF_ENOMEM;
    if (st != FF_OK) {
        free(frontier);
        json_decref(all);
        return st;
    }
    const char *name;
    json_t *w;
    json_object_foreach(all, name, w) {
        if (frontier == NULL || strcmp(name, frontier) <= 0) rows[k++] = w;
    }
    qsort(rows, k, sizeof *rows, cmp_worker);
    size_t take = k < (size_t)op->ival ? k : (size_t)op->ival;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < take; i++) json_array_append(arr, rows[i]);
    json_t *next = NULL;
    if (take < k) next = json_string(json_string_value(json_object_get(rows[take - 1], "worker_id")));
    else if (frontier) next = json_string(frontier);
    else next = json_null();
    free(rows);
    free(frontier);
    json_decref(all);
    op->ival = 0;
    return ff__op_set_json(op, json_pack("{s:o, s:o}", "workers", arr ? arr : json_array(), "next_cursor",
                                  next ? next : json_null()));
}

int ff_workers_list(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                    ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_WORKERS_LIST);
    int st = c ? FF_OK : ff__check_ptr("client", c);
    if (st == FF_OK && lane && lane[0]) st = ff__check_lane("lane", lane);
    if (st == FF_OK && cursor && cursor[0]) st = ff__check_name("cursor", cursor, 256);
    if (st == FF_OK && (count < 1 || count > 1000)) st = ff__fail(FF_EINVAL, "count %u: expected 1..1000", count);
    if (st != FF_OK) return st;
    ff_op *op = ff__op_new(c, finish_list);
    if (op == NULL) return FF_ENOMEM;
    op->ival = count;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[64];
        ff__key_workers(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_WORKER_LIST, FF_FN_WORKER_LIST_NKEYS);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, lane ? lane : "");
        ff__cmd_str(op, cmd, cursor ? cursor : "");
        ff__cmd_i64(op, cmd, count);
    }
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ mark dead */

static int finish_dead(ff_op *op) {
    int64_t removed = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n < FF_FN_WORKER_DEAD_NFIELDS) return FF_EPROTO;
        if (ff__rv_i64_or0(f[FF_FN_WORKER_DEAD_F_REMOVED]) == 1) removed = 1;
    }
    op->ival = removed;
    return FF_OK;
}

ff_op *ff__worker_dead_build(ff_client *c, const char *worker_id, int *st) {
    *st = c ? ff__check_name("worker id", worker_id, 256) : ff__check_ptr("client", c);
    if (*st != FF_OK) return NULL;
    ff_op *op = ff__op_new(c, finish_dead);
    if (op == NULL) {
        *st = FF_ENOMEM;
        return NULL;
    }
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[64];
        ff__key_workers(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_WORKER_DEAD, FF_FN_WORKER_DEAD_NKEYS);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, worker_id);
    }
    return op;
}

int ff_worker_mark_dead(ff_client *c, const char *worker_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_WORKER_MARK_DEAD);
    int st = FF_OK;
    ff_op *op = ff__worker_dead_build(c, worker_id, &st);
    if (op == NULL) return st;
    return ff__op_submit(op, cb, ud, out);
}
