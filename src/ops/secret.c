/* The waitpoint signing key store across every partition (lua/secret.lua;
 * declared in flowfabric/secret.h). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

/* Every partition answers; the first failure decides the status, else
 * "rotated" if any partition rotated. */
static int finish_rotate(ff_op *op) {
    int rotated = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n > 1 && ff__rv_is_str(f[1]) && strcmp(f[1]->str, "rotated") == 0) rotated = 1;
    }
    op->text = ff__strdup(rotated ? "rotated" : "noop");
    return FF_OK;
}

int ff_secret_rotate(ff_client *c, const char *kid, const char *secret_hex, int64_t grace_ms, ff_op_cb cb, void *ud,
                     ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_SECRET_ROTATE);
    int st0 = ff__check_ptr("client", c);
    if (st0 == FF_OK) st0 = ff__check_name("key id", kid, 20);
    if (st0 == FF_OK) st0 = ff__check_range("grace ms", grace_ms, 0, INT64_MAX);
    if (st0 != FF_OK) return st0;
    char random_secret[129];
    if (secret_hex == NULL || secret_hex[0] == '\0') {
        ff__random_hex(random_secret, 32);
        secret_hex = random_secret;
    }
    ff_op *op = ff__op_new(c, finish_rotate);
    if (op == NULL) return FF_ENOMEM;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[48];
        ff__key_sec(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_SECRET_ROTATE, FF_FN_SECRET_ROTATE_NKEYS);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, kid);
        ff__cmd_str(op, cmd, secret_hex);
        ff__cmd_i64(op, cmd, grace_ms);
    }
    return ff__op_submit(op, cb, ud, out);
}

static int finish_secret_list(ff_op *op) {
    json_t *o = NULL;
    const char *first_kid = NULL;
    size_t disagree = 0;
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) {
            if (o) json_decref(o);
            return st;
        }
        if (n < 3 || !ff__rv_is_str(f[1])) continue;
        if (o == NULL) {
            first_kid = f[1]->str;
            o = json_object();
            json_object_set_new(o, "current_kid", json_string(f[1]->str));
            json_t *prev = json_array();
            for (size_t k = 3; k + 1 < n; k += 2) {
                int64_t exp = 0;
                ff__rv_i64(f[k + 1], &exp);
                json_array_append_new(prev, json_pack("{s:s, s:I}", "kid", f[k]->str, "expires_at", (json_int_t)exp));
            }
            json_object_set_new(o, "previous", prev);
        } else if (strcmp(first_kid, f[1]->str) != 0) {
            disagree++;
        }
    }
    if (o == NULL) o = json_pack("{s:n, s:[]}", "current_kid", "previous");
    json_object_set_new(o, "partitions", json_integer((json_int_t)op->ncmds));
    json_object_set_new(o, "partitions_disagreeing", json_integer((json_int_t)disagree));
    return ff__op_set_json(op, o);
}

int ff_secret_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_SECRET_LIST);
    if (c == NULL) return ff__check_ptr("client", c);
    ff_op *op = ff__op_new(c, finish_secret_list);
    if (op == NULL) return FF_ENOMEM;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[48];
        ff__key_sec(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_SECRET_LIST, FF_FN_SECRET_LIST_NKEYS);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
    }
    return ff__op_submit(op, cb, ud, out);
}
