/* Suspension, waitpoints and signals (lua/signal.lua). The key store is secret.c. */
#include "flowfabric/signal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define MAX_WAITPOINTS 64

struct ff_suspend_spec {
    json_t *waitpoints; /* array of {"id","key"} | {"pending"} */
    json_t *condition;  /* NULL: default (any signal on the one waitpoint) */
    int64_t timeout_ms;
    char *behavior;
    char *reason;
    char *idem;
};

int ff_suspend_spec_new(ff_suspend_spec **out) {
    if (out == NULL) return ff__check_ptr("out", out);
    ff_suspend_spec *s = calloc(1, sizeof *s);
    if (s == NULL || (s->waitpoints = json_array()) == NULL) {
        free(s);
        return FF_ENOMEM;
    }
    *out = s;
    return FF_OK;
}

void ff_suspend_spec_free(ff_suspend_spec *s) {
    if (s == NULL) return;
    json_decref(s->waitpoints);
    if (s->condition) json_decref(s->condition);
    free(s->behavior);
    free(s->reason);
    free(s->idem);
    free(s);
}

int ff_suspend_spec_add_waitpoint(ff_suspend_spec *s, const char *key) {
    int st = s ? ff__check_name("waitpoint key", key, 256) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    if (json_array_size(s->waitpoints) >= MAX_WAITPOINTS)
        return ff__fail(FF_EINVAL, "waitpoints: at most %d per suspension", MAX_WAITPOINTS);
    char id[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(id) != 0) return ff__fail(FF_ESYS, "no entropy for a waitpoint id");
    json_t *w = json_pack("{s:s, s:s}", "id", id, "key", key);
    if (w == NULL) return FF_ENOMEM;
    return json_array_append_new(s->waitpoints, w) == 0 ? FF_OK : FF_ENOMEM;
}

int ff_suspend_spec_use_pending(ff_suspend_spec *s, const char *waitpoint_id) {
    int st = s ? ff__check_uuid("pending waitpoint id", waitpoint_id) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    if (json_array_size(s->waitpoints) >= MAX_WAITPOINTS)
        return ff__fail(FF_EINVAL, "waitpoints: at most %d per suspension", MAX_WAITPOINTS);
    json_t *w = json_pack("{s:s}", "pending", waitpoint_id);
    if (w == NULL) return FF_ENOMEM;
    return json_array_append_new(s->waitpoints, w) == 0 ? FF_OK : FF_ENOMEM;
}

int ff_suspend_spec_set_condition_json(ff_suspend_spec *s, const char *json) {
    int st = s ? ff__check_ptr("condition json", json) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    json_error_t e;
    json_t *c = json_loads(json, JSON_REJECT_DUPLICATES, &e);
    if (c == NULL)
        return ff__fail(FF_EINVAL, "resume condition: malformed JSON at line %d column %d: %s", e.line, e.column,
                        e.text);
    if (!json_is_object(c)) {
        json_decref(c);
        return ff__fail(FF_EINVAL, "resume condition: expected a JSON object ({\"single\":...}, {\"all_of\":...} or "
                                   "{\"count\":...})");
    }
    if (s->condition) json_decref(s->condition);
    s->condition = c;
    return FF_OK;
}

static int set_str(char **slot, const char *v) {
    char *d = ff__strdup(v);
    if (d == NULL) return FF_ENOMEM;
    free(*slot);
    *slot = d;
    return FF_OK;
}

int ff_suspend_spec_set_timeout(ff_suspend_spec *s, int64_t ms, const char *behavior) {
    static const char *const ok[] = {"fail", "cancel", "expire", "auto_resume", "escalate"};
    int st = s ? ff__check_range("suspension timeout ms", ms, 1, INT64_MAX) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    if (behavior == NULL || behavior[0] == '\0') behavior = "fail";
    int known = 0;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) known |= strcmp(ok[i], behavior) == 0;
    if (!known)
        return ff__fail(FF_EINVAL, "timeout behavior '%s': expected fail, cancel, expire, auto_resume or escalate",
                        behavior);
    s->timeout_ms = ms;
    return set_str(&s->behavior, behavior);
}

int ff_suspend_spec_set_reason(ff_suspend_spec *s, const char *reason) {
    static const char *const ok[] = {"waiting_for_signal", "waiting_for_approval", "waiting_for_callback",
                                     "waiting_for_tool_result"};
    int st = s ? ff__check_ptr("reason", reason) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(ok[i], reason) == 0) return set_str(&s->reason, reason);
    return ff__fail(FF_EINVAL,
                    "suspension reason '%s': expected waiting_for_signal, waiting_for_approval, "
                    "waiting_for_callback or waiting_for_tool_result",
                    reason);
}

int ff_suspend_spec_set_idempotency_key(ff_suspend_spec *s, const char *key) {
    int st = s ? ff__check_name("idempotency key", key, 256) : ff__check_ptr("suspend spec", s);
    if (st != FF_OK) return st;
    return set_str(&s->idem, key);
}

/* The spec document ff_suspend takes. The default condition (any signal on
 * the single waitpoint) needs the waitpoint's key, which a pending binding
 * only has on the server: then the caller must set a condition. */
static char *spec_json(const ff_suspend_spec *s, int *st) {
    size_t n = json_array_size(s->waitpoints);
    if (n == 0) {
        *st = ff__fail(FF_EINVAL, "suspend spec has no waitpoint (add one, or bind a pending one)");
        return NULL;
    }
    json_t *doc = json_object();
    json_object_set(doc, "waitpoints", s->waitpoints);
    if (s->condition) {
        json_object_set(doc, "condition", s->condition);
    } else {
        json_t *key = json_object_get(json_array_get(s->waitpoints, 0), "key");
        if (n != 1 || key == NULL) {
            json_decref(doc);
            *st = ff__fail(FF_EINVAL, "suspend spec with %s needs a resume condition "
                                      "(ff_suspend_spec_set_condition_json)",
                           n != 1 ? "several waitpoints" : "a pending waitpoint");
            return NULL;
        }
        json_object_set_new(doc, "condition", json_pack("{s:{s:O}}", "single", "key", key));
    }
    if (s->timeout_ms > 0) {
        json_object_set_new(doc, "timeout_ms", json_integer(s->timeout_ms));
        json_object_set_new(doc, "timeout_behavior", json_string(s->behavior ? s->behavior : "fail"));
    }
    if (s->reason) json_object_set_new(doc, "reason", json_string(s->reason));
    if (s->idem) json_object_set_new(doc, "idempotency_key", json_string(s->idem));
    char *out = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    *st = out ? FF_OK : FF_ENOMEM;
    return out;
}

/* ------------------------------------------------------------- finishers */

/* {OK, word, number, n, items...} (suspend) */
static int finish_suspend(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_SUSPEND_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_SUSPEND_F_OUTCOME]);
    int64_t v = 0;
    if (ff__rv_i64(f[FF_FN_SUSPEND_F_SUSPENSION_ID], &v) == 0) op->ival = v;
    return ff__take_items(op, f, n, FF_FN_SUSPEND_ITEMS_AT);
}

/* {OK, id, key, token, expires_at} (create waitpoint) */
static int finish_waitpoint(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_CREATE_WAITPOINT_NFIELDS) return FF_EPROTO;
    int64_t v = 0;
    if (ff__rv_i64(f[FF_FN_CREATE_WAITPOINT_F_EXPIRES_AT], &v) == 0) op->ival = v;
    return ff__take_items(op, f, FF_FN_CREATE_WAITPOINT_F_EXPIRES_AT, FF_FN_CREATE_WAITPOINT_F_WP_ID);
}

/* {OK|DUPLICATE, signal_id, effect} */
static int finish_signal(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_SIGNAL_NFIELDS) return FF_EPROTO;
    op->ival = strcmp(f[0]->str, "DUPLICATE") == 0 ? 1 : 0;
    op->text = ff__rv_strdup(f[FF_FN_SIGNAL_F_EFFECT]);
    return ff__take_items(op, f, FF_FN_SIGNAL_F_EFFECT, FF_FN_SIGNAL_F_SIGNAL_ID);
}

/* The public waitpoint item constants (signal.h) predate the generated
 * layouts (items.h, from the Lua header blocks); they must agree. */
_Static_assert(FF_WAITPOINT_ITEMS == FF_ITEMS_WAITPOINTS_STRIDE && FF_WAITPOINT_ITEM_ID == FF_ITEMS_WAITPOINTS_WP_ID &&
                   FF_WAITPOINT_ITEM_KEY == FF_ITEMS_WAITPOINTS_KEY &&
                   FF_WAITPOINT_ITEM_STATE == FF_ITEMS_WAITPOINTS_STATE &&
                   FF_WAITPOINT_ITEM_KID == FF_ITEMS_WAITPOINTS_KID &&
                   FF_WAITPOINT_ITEM_FINGERPRINT == FF_ITEMS_WAITPOINTS_FINGERPRINT &&
                   FF_WAITPOINT_ITEM_EXPIRES_AT == FF_ITEMS_WAITPOINTS_EXPIRES_AT &&
                   FF_WAITPOINT_ITEM_SIGNAL_NAMES == FF_ITEMS_WAITPOINTS_NAMES,
               "FF_WAITPOINT_ITEM_* and the ff_waitpoints header block disagree");

/* {OK, n, items...} (observe, waitpoints) */
static int finish_counted(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    _Static_assert(FF_FN_OBSERVE_SIGNALS_ITEMS_AT == FF_FN_WAITPOINTS_ITEMS_AT, "counted replies share one layout");
    if (n < FF_FN_OBSERVE_SIGNALS_NFIELDS) return FF_EPROTO;
    return ff__take_items(op, f, n, FF_FN_OBSERVE_SIGNALS_ITEMS_AT);
}

/* ------------------------------------------------------------ operations */

ff_op *ff__suspend_build(ff_client *c, const ff_claim *cl, const ff_suspend_spec *s, int *st) {
    if ((*st = ff__check_ptr("client", c)) != FF_OK || (*st = ff__check_ptr("claim", cl)) != FF_OK ||
        (*st = ff__check_ptr("suspend spec", s)) != FF_OK)
        return NULL;
    char *json = spec_json(s, st);
    if (json == NULL) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_SUSPEND, ff_claim_execution_id(cl), finish_suspend, &cmd, st);
    if (op) {
        ff__cmd_str(op, cmd, ff_claim_lease_id(cl));
        ff__cmd_i64(op, cmd, (int64_t)ff_claim_lease_epoch(cl));
        ff__cmd_str(op, cmd, ff_claim_attempt_id(cl));
        ff__cmd_str(op, cmd, json);
    }
    free(json);
    return op;
}

int ff_lease_suspend(ff_client *c, const ff_claim *cl, const ff_suspend_spec *s, ff_op_cb cb, void *ud,
                     ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_SUSPEND);
    int st = FF_OK;
    ff_op *op = ff__suspend_build(c, cl, s, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__create_waitpoint_build(ff_client *c, const ff_claim *cl, const char *key, int64_t expires_in_ms,
                                  int *st) {
    if ((*st = ff__check_ptr("claim", cl)) != FF_OK || (*st = ff__check_name("waitpoint key", key, 256)) != FF_OK ||
        (*st = ff__check_range("waitpoint expires_in_ms", expires_in_ms, 1, INT64_MAX)) != FF_OK)
        return NULL;
    char id[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(id) != 0) {
        *st = ff__fail(FF_ESYS, "no entropy for a waitpoint id");
        return NULL;
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_CREATE_WAITPOINT, ff_claim_execution_id(cl), finish_waitpoint, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_str(op, cmd, ff_claim_lease_id(cl));
    ff__cmd_i64(op, cmd, (int64_t)ff_claim_lease_epoch(cl));
    ff__cmd_str(op, cmd, ff_claim_attempt_id(cl));
    ff__cmd_str(op, cmd, id);
    ff__cmd_str(op, cmd, key);
    ff__cmd_i64(op, cmd, expires_in_ms);
    return op;
}

int ff_lease_create_waitpoint(ff_client *c, const ff_claim *cl, const char *key, int64_t expires_in_ms, ff_op_cb cb,
                              void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_CREATE_WAITPOINT);
    int st = FF_OK;
    ff_op *op = ff__create_waitpoint_build(c, cl, key, expires_in_ms, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__observe_build(ff_client *c, const ff_claim *cl, int *st) {
    if ((*st = ff__check_ptr("claim", cl)) != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_OBSERVE_SIGNALS, ff_claim_execution_id(cl), finish_counted, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_readonly(cmd);
    ff__cmd_i64(op, cmd, ff_claim_attempt_index(cl));
    return op;
}

int ff_lease_observe_signals(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_OBSERVE_SIGNALS);
    int st = FF_OK;
    ff_op *op = ff__observe_build(c, cl, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

int ff_signal_deliver(ff_client *c, const char *eid, const char *wp_id, const char *token, const char *name,
                      const char *source_type, const char *source_identity, const void *payload, size_t len,
                      const char *idempotency_key, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_SIGNAL_DELIVER);
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = ff__check_uuid("waitpoint id", wp_id);
    if (st == FF_OK) st = ff__check_text("token", token, 256, 0);
    if (st == FF_OK) st = ff__check_name("signal name", name, 256);
    if (st == FF_OK) st = ff__check_name("source type", source_type, 64);
    if (st == FF_OK) st = ff__check_name("source identity", source_identity, 256);
    if (st == FF_OK && idempotency_key && idempotency_key[0])
        st = ff__check_name("idempotency key", idempotency_key, 256);
    if (st == FF_OK && payload == NULL && len > 0)
        st = ff__fail(FF_EINVAL, "signal payload: data is NULL but len is %zu", len);
    if (st != FF_OK) return st;
    if (len > c->max_payload)
        return ff__fail(FF_ETOOBIG, "signal payload of %zu bytes exceeds the client's limit of %llu bytes", len,
                        (unsigned long long)c->max_payload);
    char sig[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(sig) != 0) return ff__fail(FF_ESYS, "no entropy for a signal id");
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_SIGNAL, eid, finish_signal, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, wp_id);
    ff__cmd_str(op, cmd, token);
    ff__cmd_str(op, cmd, sig);
    ff__cmd_str(op, cmd, name);
    ff__cmd_str(op, cmd, source_type);
    ff__cmd_str(op, cmd, source_identity);
    ff__cmd_arg(op, cmd, payload ? payload : "", payload ? len : 0);
    ff__cmd_str(op, cmd, idempotency_key ? idempotency_key : "");
    ff__cmd_str(op, cmd, "");
    return ff__op_submit(op, cb, ud, out);
}

int ff_execution_list_suspended(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb,
                                void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_LIST_SUSPENDED);
    return ff__partition_page(c, partition, "suspended", FF_FN_LIST_SUSPENDED, cursor, count, cb, ud, out);
}

int ff_execution_waitpoints(ff_client *c, const char *eid, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_WAITPOINTS);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_WAITPOINTS, eid, finish_counted, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

int ff_waitpoint_token(ff_client *c, const char *eid, const char *wp_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_WAITPOINT_TOKEN);
    int st = ff__check_uuid("waitpoint id", wp_id);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_WAITPOINT_TOKEN, eid, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, wp_id);
    return ff__op_submit(op, cb, ud, out);
}
