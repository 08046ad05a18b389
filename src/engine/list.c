/* ff_engine_list (include/flowfabric/sys/health.h): the live engines and the
 * partition split they make, as one document, so tools (ffctl stats, the
 * dashboard) read it through the library instead of through raw keys. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "engine/engine_int.h"
#include "flowfabric/sys/health.h"
#include "ops/ops_int.h"

typedef struct engine_row {
    const char *id;
    int64_t expires_at;
    json_t *stats; /* the engine's own report; {} when it stored none or no JSON */
    int64_t last_beat;
    int stale;
    uint32_t owned;
} engine_row;

static int64_t stat_of(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* TIME's reply {seconds, microseconds} in unix ms. */
static int server_ms(const ff_rv *t, int64_t *now) {
    int64_t s = 0, us = 0;
    if (t == NULL || t->type != FF_REPLY_ARRAY || t->n != 2 || ff__rv_i64(t->elem[0], &s) != 0 ||
        ff__rv_i64(t->elem[1], &us) != 0)
        return FF_EPROTO;
    *now = s * 1000 + us / 1000;
    return FF_OK;
}

static json_t *row_json(const engine_row *r, int64_t now) {
    json_t *o = json_object();
    json_object_set_new(o, "engine_id", json_string(r->id));
    json_object_set_new(o, "heartbeat_expires_at", json_integer(r->expires_at));
    json_object_set_new(o, "last_beat_at", r->last_beat > 0 ? json_integer(r->last_beat) : json_null());
    json_object_set_new(o, "last_beat_age_ms", r->last_beat > 0 ? json_integer(now - r->last_beat) : json_null());
    json_object_set_new(o, "stale", json_boolean(r->stale));
    json_object_set_new(o, "owned_partitions", json_integer(r->owned));
    json_object_set_new(o, "stats", json_incref(r->stats));
    return o;
}

/* Replies: [0] TIME, [1] {OK, id, expires_at, info_json, ...}. */
static int finish_list(ff_op *op) {
    int64_t now = 0;
    if (server_ms(op->replies[0], &now) != FF_OK) return FF_EPROTO;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[1], &f, &n);
    if (st != FF_OK) return st;
    if ((n - 1) % 3 != 0) return FF_EPROTO;
    size_t count = (n - 1) / 3;
    engine_row *rows = calloc(count ? count : 1, sizeof *rows);
    const char **ids = calloc(count ? count : 1, sizeof *ids);
    json_t *doc = json_object(), *list = json_array();
    st = rows && ids && doc && list ? FF_OK : FF_ENOMEM;
    for (size_t i = 0; st == FF_OK && i < count; i++) {
        const ff_rv *id = f[1 + 3 * i], *info = f[3 + 3 * i];
        if (!ff__rv_is_str(id) || !ff__rv_is_str(info) || ff__rv_i64(f[2 + 3 * i], &rows[i].expires_at) != 0) {
            st = FF_EPROTO;
            break;
        }
        rows[i].id = ids[i] = id->str;
        json_t *stats = json_loads(info->str, 0, NULL);
        rows[i].stats = json_is_object(stats) ? stats : json_object();
        if (!json_is_object(stats)) json_decref(stats);
        /* An engine stores its heartbeat interval and membership ttl in its
         * report: its last beat is its expiry minus the ttl, and missing two
         * beats makes it probably gone (its partitions move once its
         * registration lapses). */
        int64_t ttl = stat_of(rows[i].stats, "ttl_ms"), beat = stat_of(rows[i].stats, "heartbeat_ms");
        rows[i].last_beat = ttl > 0 ? rows[i].expires_at - ttl : 0;
        rows[i].stale = beat > 0 && rows[i].last_beat > 0 && now - rows[i].last_beat > 2 * beat;
    }
    uint32_t parts = atomic_load(&op->client->partitions), owned = 0, by_gone = 0;
    /* The split is a function of the live set: the computation every engine
     * makes at its heartbeat (engine/ownership.c). */
    for (uint32_t p = 0; st == FF_OK && count > 0 && p < parts; p++) {
        engine_row *r = &rows[ff__engine_owner(ids, count, p)];
        r->owned++;
        owned++;
        by_gone += (uint32_t)r->stale;
    }
    for (size_t i = 0; st == FF_OK && i < count; i++) json_array_append_new(list, row_json(&rows[i], now));
    if (st == FF_OK) {
        json_t *own = json_object();
        json_object_set_new(own, "partitions", json_integer(parts));
        json_object_set_new(own, "owned", json_integer(owned));
        json_object_set_new(own, "by_gone_engines", json_integer(by_gone));
        json_object_set_new(doc, "now", json_integer(now));
        json_object_set_new(doc, "engines", list);
        json_object_set_new(doc, "ownership", own);
        list = NULL;
        op->json = json_dumps(doc, JSON_COMPACT);
        if (op->json == NULL) st = FF_ENOMEM;
    }
    for (size_t i = 0; rows && i < count; i++) json_decref(rows[i].stats);
    free(rows);
    free(ids);
    json_decref(list);
    if (st == FF_OK)
        op->json_root = doc;
    else
        json_decref(doc);
    return st;
}

int ff_engine_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_ENGINE_LIST);
    if (c == NULL) return ff__fail(FF_EINVAL, "client is NULL");
    ff_op *op = ff__op_new(c, finish_list);
    if (op == NULL) return FF_ENOMEM;
    ff__cmd *time = ff__op_add_cmd(op);
    ff__cmd_str(op, time, "TIME");
    ff__cmd *list = ff__op_fcall(op, FF_FN_ENGINE_LIST, FF_FN_ENGINE_LIST_NKEYS);
    ff__cmd_readonly(list);
    ff__cmd_str(op, list, FF__ENGINES_KEY);
    ff__cmd_str(op, list, FF__ENGINES_INFO_KEY);
    return ff__op_submit(op, cb, ud, out);
}
