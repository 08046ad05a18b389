#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

int ff__cmp_strp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int ff__op_set_json(ff_op *op, json_t *o) {
    if (o == NULL) return FF_ENOMEM;
    op->json_root = o;
    op->json = json_dumps(o, JSON_COMPACT);
    return op->json ? FF_OK : FF_ENOMEM;
}

int64_t ff__rv_i64_or0(const ff_rv *v) {
    int64_t x = 0;
    return ff__rv_i64(v, &x) == 0 ? x : 0;
}

ff_op *ff__exec_op(ff_client *c, const char *fname, const char *eid, ff__op_finish_fn fin, ff__cmd **cmd, int *st) {
    if (c == NULL) {
        *st = ff__fail(FF_EINVAL, "client is NULL");
        return NULL;
    }
    if (ff__eid_parse(eid, NULL) != 0) {
        char q[80];
        *st = ff__fail(FF_EINVAL, "not an execution id (expected {fp:N}:<uuid>): %s", ff__quote(eid, q, sizeof q));
        return NULL;
    }
    ff_op *op = ff__op_new(c, fin);
    if (op == NULL) {
        *st = FF_ENOMEM;
        return NULL;
    }
    char key[FF_EID_MAX + 8];
    ff__key_core(key, sizeof key, eid);
    *cmd = ff__op_fcall(op, fname, 1);
    ff__cmd_str(op, *cmd, key);
    ff__cmd_str(op, *cmd, eid);
    *st = FF_OK;
    return op;
}

char *ff__rv_strdup(const ff_rv *v) {
    if (ff__rv_is_str(v)) return ff__memdup(v->str, v->len);
    if (v && v->type == FF_REPLY_INTEGER) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)v->integer);
        return ff__strdup(buf);
    }
    return ff__strdup("");
}

int ff__finish_text(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    /* {OK, word, number?} or {OK, number} (renew, delay). */
    int64_t v = 0;
    if (n > 1) op->text = ff__rv_strdup(f[1]);
    if (n > 2 && ff__rv_i64(f[2], &v) == 0)
        op->ival = v;
    else if (n > 1 && ff__rv_i64(f[1], &v) == 0)
        op->ival = v;
    return FF_OK;
}

void ff__lane_index_key(char *out, size_t cap, uint32_t partition, const char *lane, const char *index) {
    ff__key_lane(out, cap, partition, lane, index);
}

const char *ff__state_index(const char *state) {
    static const char *const names[][2] = {
        {"waiting", "eligible"}, {"eligible", "eligible"}, {"delayed", "delayed"},
        {"active", "active"},    {"suspended", "suspended"}, {"completed", "completed"},
        {"failed", "failed"},    {"cancelled", "cancelled"}, {"expired", "expired"},
        {"skipped", "skipped"},  {"rate_limited", "budget_blocked"},
    };
    if (state == NULL) return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(state, names[i][0]) == 0) return names[i][1];
    }
    return NULL;
}

int ff__take_items(ff_op *op, ff_rv *const *f, size_t n, size_t first) {
    if (n <= first) return FF_OK;
    size_t total = op->nitems + n - first;
    char **items = realloc(op->items, total * sizeof *items);
    if (items == NULL) return FF_ENOMEM;
    op->items = items;
    size_t *lens = realloc(op->item_lens, total * sizeof *lens);
    if (lens == NULL) return FF_ENOMEM;
    op->item_lens = lens;
    for (size_t i = first; i < n; i++) {
        op->items[op->nitems] = ff__rv_strdup(f[i]);
        op->item_lens[op->nitems] = ff__rv_is_str(f[i]) ? f[i]->len : strlen(op->items[op->nitems]);
        op->nitems++;
    }
    return FF_OK;
}

/* {OK, next_cursor, items...} */
static int finish_paged(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < 2) return FF_EPROTO;
    op->cursor = ff__rv_strdup(f[1]);
    return ff__take_items(op, f, n, 2);
}

int ff__check_page(ff_client *c, uint32_t partition, uint32_t count) {
    if (c == NULL) return ff__fail(FF_EINVAL, "client is NULL");
    uint32_t parts = atomic_load(&c->partitions);
    if (partition >= parts)
        return ff__fail(FF_EINVAL, "partition %u out of range (the deployment has 0..%u)", (unsigned)partition,
                        (unsigned)(parts - 1));
    if (count == 0 || count > 1000) return ff__fail(FF_EINVAL, "count %u out of range (expected 1..1000)", (unsigned)count);
    return FF_OK;
}

int ff__partition_page(ff_client *c, uint32_t partition, const char *index, const char *fname, const char *cursor,
                       uint32_t count, ff_op_cb cb, void *ud, ff_op **out) {
    int st = ff__check_page(c, partition, count);
    if (st != FF_OK) return st;
    if (cursor == NULL || cursor[0] == '\0') cursor = "0";
    char q[80];
    if (strlen(cursor) > 15) return ff__fail(FF_EINVAL, "cursor %s is not one this listing returned", ff__quote(cursor, q, sizeof q));
    for (const char *p = cursor; *p; p++)
        if (*p < '0' || *p > '9')
            return ff__fail(FF_EINVAL, "cursor %s is not one this listing returned (expected digits)",
                            ff__quote(cursor, q, sizeof q));
    ff_op *op = ff__op_new(c, finish_paged);
    if (op == NULL) return FF_ENOMEM;
    char key[64];
    ff__key_pindex(key, sizeof key, partition, index);
    ff__cmd *cmd = ff__op_fcall(op, fname, 1);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, cursor);
    ff__cmd_i64(op, cmd, count);
    return ff__op_submit(op, cb, ud, out);
}

int ff__lex_page(ff_client *c, const char *key, const char *fname, const char *cursor, uint32_t count, ff_op_cb cb,
                 void *ud, ff_op **out) {
    ff_op *op = ff__op_new(c, finish_paged);
    if (op == NULL) return FF_ENOMEM;
    ff__cmd *cmd = ff__op_fcall(op, fname, 1);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, cursor ? cursor : "");
    ff__cmd_i64(op, cmd, count);
    return ff__op_submit(op, cb, ud, out);
}

void ff__cmd_readonly(ff__cmd *cmd) {
    /* Reads go through FCALL_RO (functions registered with no-writes), so
     * they can be served by replicas and can never write by accident. */
    char *ro = ff__strdup("FCALL_RO");
    if (ro == NULL) return; /* keep FCALL: still correct, just not read-only */
    free(cmd->argv[0]);
    cmd->argv[0] = ro;
    cmd->argvlen[0] = 8;
}

/* Sorted, comma-joined copy of a capability list ("" when empty); the
 * server matches capabilities on this canonical form. NULL on OOM. */
char *ff__sorted_csv(char *const *caps, size_t n) {
    size_t total = 1;
    for (size_t i = 0; i < n; i++) total += strlen(caps[i]) + 1;
    char **sorted = n ? malloc(n * sizeof *sorted) : NULL;
    char *csv = malloc(total);
    if (csv == NULL || (n && sorted == NULL)) {
        free(sorted);
        free(csv);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) sorted[i] = caps[i];
    if (n) qsort(sorted, n, sizeof *sorted, ff__cmp_strp);
    csv[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(csv, ",");
        strcat(csv, sorted[i]);
    }
    free(sorted);
    return csv;
}

/* (ops_int.h) Lane shards that map to one partition share its command. */
ff_op *ff__lane_op(ff_client *c, const char *lane, const char *fname, int readonly, ff__op_finish_fn fin) {
    ff_op *op = ff__op_new(c, fin);
    if (op == NULL) return NULL;
    uint32_t shards = atomic_load(&c->lane_shards), parts = atomic_load(&c->partitions);
    if (shards == 0) shards = 1;
    for (uint32_t s = 0; s < shards; s++) {
        uint32_t p = ff__lane_partition(lane, s, parts), dup = 0;
        for (uint32_t k = 0; k < s && !dup; k++) dup = ff__lane_partition(lane, k, parts) == p;
        if (dup) continue;
        char key[FF__LANE_KEY_MAX];
        ff__lane_index_key(key, sizeof key, p, lane, "eligible");
        ff__cmd *cmd = ff__op_fcall(op, fname, 1);
        if (readonly) ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, lane);
    }
    return op;
}

void ff__each_cmd_str(ff_op *op, const char *s) {
    for (size_t i = 0; i < op->ncmds; i++) ff__cmd_str(op, &op->cmds[i], s);
}

void ff__each_cmd_i64(ff_op *op, int64_t v) {
    for (size_t i = 0; i < op->ncmds; i++) ff__cmd_i64(op, &op->cmds[i], v);
}

json_t *ff__merged_page(json_t *seen, size_t count, int more, const char *list_key, int values) {
    size_t nl = json_object_size(seen), k = 0;
    const char **names = calloc(nl ? nl : 1, sizeof *names);
    json_t *arr = json_array();
    if (names == NULL || arr == NULL) {
        free(names);
        json_decref(arr);
        return NULL;
    }
    const char *name;
    json_t *v;
    json_object_foreach(seen, name, v) names[k++] = name;
    qsort(names, nl, sizeof *names, ff__cmp_strp);
    size_t take = nl < count ? nl : count;
    for (size_t i = 0; i < take; i++)
        json_array_append_new(arr, values ? json_incref(json_object_get(seen, names[i])) : json_string(names[i]));
    if (nl > take) more = 1;
    json_t *o = json_pack("{s:o, s:o}", list_key, arr, "next_cursor",
                          more && take ? json_string(names[take - 1]) : json_null());
    free(names);
    return o;
}

int ff__lane_listing(ff_client *c, const char *fname, int (*key)(char *, size_t, uint32_t), const char *cursor,
                     uint32_t count, ff__op_finish_fn fin, ff_op_cb cb, void *ud, ff_op **out) {
    int st = c ? FF_OK : ff__check_ptr("client", c);
    if (st == FF_OK && cursor && cursor[0]) st = ff__check_lane("cursor", cursor);
    if (st == FF_OK && (count < 1 || count > 1000)) st = ff__fail(FF_EINVAL, "count %u: expected 1..1000", count);
    if (st != FF_OK) return st;
    ff_op *op = ff__op_new(c, fin);
    if (op == NULL) return FF_ENOMEM;
    op->ival = count;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char k[64];
        key(k, sizeof k, p);
        ff__cmd *cmd = ff__op_fcall(op, fname, 1);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, k);
        ff__cmd_str(op, cmd, cursor ? cursor : "");
        ff__cmd_i64(op, cmd, count);
    }
    return ff__op_submit(op, cb, ud, out);
}
