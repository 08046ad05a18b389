/*
 * Execution routes: submit, describe, result, and the operator actions
 * (cancel, replay, priority, revoke). Each is one public C call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* A spec setter refused a value: 400 with the library's sentence. */
static int spec_ok(ffh_resp *out, int st, const char *field) {
    if (st == FF_OK) return 1;
    const char *d = ff_error_detail(st);
    ffh_error_http(out, ffh_http_for_status(st) == 500 ? 500 : 400, st, "invalid_input", "%s: %s", field,
                   d && d[0] ? d : ff_strerror(st));
    return 0;
}

static int set_payload(ffh_resp *out, json_t *b, ff_exec_spec *spec) {
    json_t *p = json_object_get(b, "payload"), *p64 = json_object_get(b, "payload_base64");
    if (p && p64) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "give payload or payload_base64, not both");
        return 0;
    }
    if (p && !json_is_null(p)) {
        if (!json_is_string(p)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'payload' must be a string");
            return 0;
        }
        return spec_ok(out, ff_exec_spec_set_payload(spec, json_string_value(p), json_string_length(p)), "payload");
    }
    if (p64 && !json_is_null(p64)) {
        unsigned char *bytes = NULL;
        size_t n = 0;
        if (!json_is_string(p64) || ffh_base64_decode(json_string_value(p64), json_string_length(p64), &bytes, &n)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'payload_base64' must be standard padded base64");
            return 0;
        }
        int st = ff_exec_spec_set_payload(spec, bytes, n);
        free(bytes);
        return spec_ok(out, st, "payload_base64");
    }
    return 1;
}

static int set_lists(ffh_resp *out, json_t *b, ff_exec_spec *spec) {
    static const char *const arrays[] = {"capabilities", "budgets"};
    for (int a = 0; a < 2; a++) {
        json_t *arr = json_object_get(b, arrays[a]), *v;
        size_t i;
        if (!arr || json_is_null(arr)) continue;
        if (!json_is_array(arr)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'%s' must be an array of strings", arrays[a]);
            return 0;
        }
        json_array_foreach(arr, i, v) {
            if (!json_is_string(v)) {
                ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'%s' must be an array of strings", arrays[a]);
                return 0;
            }
            int st = a == 0 ? ff_exec_spec_add_capability(spec, json_string_value(v))
                            : ff_exec_spec_add_budget(spec, json_string_value(v));
            if (!spec_ok(out, st, arrays[a])) return 0;
        }
    }
    json_t *tags = json_object_get(b, "tags"), *v;
    const char *k;
    if (tags && !json_is_null(tags)) {
        if (!json_is_object(tags)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'tags' must be an object of strings");
            return 0;
        }
        json_object_foreach(tags, k, v) {
            if (!json_is_string(v)) {
                ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'tags' must be an object of strings");
                return 0;
            }
            if (!spec_ok(out, ff_exec_spec_add_tag(spec, k, json_string_value(v)), "tags")) return 0;
        }
    }
    json_t *pol = json_object_get(b, "policy");
    if (pol && !json_is_null(pol)) {
        if (!json_is_object(pol)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'policy' must be an object");
            return 0;
        }
        char *s = json_dumps(pol, JSON_COMPACT);
        int st = s ? ff_exec_spec_set_policy_json(spec, s) : FF_ENOMEM;
        free(s);
        if (!spec_ok(out, st, "policy")) return 0;
    }
    return 1;
}

static void submit(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {
        "kind", "namespace", "lane", "payload", "payload_base64", "priority", "delay_ms", "delay_until_ms",
        "deadline_ms", "capabilities", "tags", "budgets", "group", "policy", "attempt_timeout_ms",
        "non_retryable", "idempotency_key", "idempotency_ttl_ms", "execution_id", "flow_id", NULL};
    json_t *b = ffh_body_object(r, out, 0);
    if (!b) return;
    const char *kind = NULL, *ns = NULL, *lane = NULL, *group = NULL, *nonretry = NULL, *idem = NULL, *eid = NULL,
               *flow = NULL;
    int64_t prio = INT64_MIN, delay = 0, delay_until = 0, deadline = 0, att = 0, idem_ttl = 0;
    ff_exec_spec *spec = NULL;
    ff_op *op = NULL;
    if (!ffh_only_fields(out, b, fields) || !ffh_opt_str(out, b, "kind", &kind) ||
        !ffh_opt_str(out, b, "namespace", &ns) || !ffh_opt_str(out, b, "lane", &lane) ||
        !ffh_opt_str(out, b, "group", &group) || !ffh_opt_str(out, b, "non_retryable", &nonretry) ||
        !ffh_opt_str(out, b, "idempotency_key", &idem) || !ffh_opt_str(out, b, "execution_id", &eid) ||
        !ffh_opt_str(out, b, "flow_id", &flow) || !ffh_opt_i64(out, b, "priority", &prio) ||
        !ffh_opt_i64(out, b, "delay_ms", &delay) || !ffh_opt_i64(out, b, "delay_until_ms", &delay_until) ||
        !ffh_opt_i64(out, b, "deadline_ms", &deadline) || !ffh_opt_i64(out, b, "attempt_timeout_ms", &att) ||
        !ffh_opt_i64(out, b, "idempotency_ttl_ms", &idem_ttl))
        goto done;
    if (!kind) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'kind' is required");
        goto done;
    }
    if (prio != INT64_MIN && (prio < INT32_MIN || prio > INT32_MAX)) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'priority' is out of range");
        goto done;
    }
    if (!spec_ok(out, ff_exec_spec_new(&spec, kind), "kind")) goto done;
    if ((ns && !spec_ok(out, ff_exec_spec_set_namespace(spec, ns), "namespace")) ||
        (lane && !spec_ok(out, ff_exec_spec_set_lane(spec, lane), "lane")) ||
        (prio != INT64_MIN && !spec_ok(out, ff_exec_spec_set_priority(spec, (int32_t)prio), "priority")) ||
        (delay && !spec_ok(out, ff_exec_spec_set_delay_ms(spec, delay), "delay_ms")) ||
        (delay_until && !spec_ok(out, ff_exec_spec_set_delay_until_ms(spec, delay_until), "delay_until_ms")) ||
        (deadline && !spec_ok(out, ff_exec_spec_set_deadline_ms(spec, deadline), "deadline_ms")) ||
        (att && !spec_ok(out, ff_exec_spec_set_attempt_timeout_ms(spec, att), "attempt_timeout_ms")) ||
        (group && !spec_ok(out, ff_exec_spec_set_group(spec, group), "group")) ||
        (nonretry && !spec_ok(out, ff_exec_spec_set_non_retryable(spec, nonretry), "non_retryable")) ||
        (idem && !spec_ok(out, ff_exec_spec_set_idempotency_key(spec, idem, idem_ttl), "idempotency_key")) ||
        (eid && !spec_ok(out, ff_exec_spec_set_execution_id(spec, eid), "execution_id")) ||
        (flow && !spec_ok(out, ff_exec_spec_set_flow(spec, flow), "flow_id")) || !set_payload(out, b, spec) ||
        !set_lists(out, b, spec))
        goto done;
    if (ffh_wait(r, out, ff_execution_create(r->c, spec, NULL, NULL, &op), &op) != FF_OK) goto done;
    int dup = ff_op_int(op) == 1;
    ffh_json(out, dup ? 200 : 201,
             json_pack("{s:s,s:s,s:b}", "execution_id", ff_op_execution_id(op), "state", ff_op_text(op),
                       "duplicate", dup));
done:
    ff_op_free(op);
    ff_exec_spec_free(spec);
    json_decref(b);
}

static void describe(ffh_req *r, ffh_resp *out) {
    ff_op *op = NULL;
    ffh_op_json(r, out, ff_execution_describe(r->c, r->params[0], NULL, NULL, &op), &op, 200);
}

static void result(ffh_req *r, ffh_resp *out) {
    ff_op *op = NULL;
    if (ffh_wait(r, out, ff_execution_result(r->c, r->params[0], NULL, NULL, &op), &op) != FF_OK) return;
    size_t n = 0;
    const void *b = ff_op_bytes(op, &n);
    ffh_bytes(out, 200, "application/octet-stream", b, n);
    ff_op_free(op);
}

/* The body of an action: a JSON object with at most @p fields. */
static json_t *action_body(ffh_req *r, ffh_resp *out, const char *const *fields) {
    json_t *b = ffh_body_object(r, out, 1);
    if (b && !ffh_only_fields(out, b, fields)) {
        json_decref(b);
        return NULL;
    }
    return b;
}

static void cancel(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {"reason", NULL};
    json_t *b = action_body(r, out, fields);
    const char *reason = "cancelled over HTTP";
    ff_op *op = NULL;
    if (b && ffh_opt_str(out, b, "reason", &reason) &&
        ffh_wait(r, out, ff_execution_cancel(r->c, r->params[0], reason, NULL, NULL, &op), &op) == FF_OK)
        ffh_json(out, 200, json_pack("{s:s,s:s}", "execution_id", r->params[0], "outcome", ff_op_text(op)));
    ff_op_free(op);
    json_decref(b);
}

static void replay(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {NULL};
    json_t *b = action_body(r, out, fields);
    ff_op *op = NULL;
    if (b && ffh_wait(r, out, ff_execution_replay(r->c, r->params[0], NULL, NULL, &op), &op) == FF_OK)
        ffh_json(out, 200, json_pack("{s:s,s:s}", "execution_id", r->params[0], "outcome", ff_op_text(op)));
    ff_op_free(op);
    json_decref(b);
}

static void priority(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {"priority", NULL};
    json_t *b = action_body(r, out, fields);
    int64_t p = INT64_MIN;
    ff_op *op = NULL;
    if (!b || !ffh_opt_i64(out, b, "priority", &p)) goto done;
    if (p < INT32_MIN || p > INT32_MAX) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'priority' (an integer) is required");
        goto done;
    }
    if (ffh_wait(r, out, ff_execution_change_priority(r->c, r->params[0], (int32_t)p, NULL, NULL, &op), &op) ==
        FF_OK)
        ffh_json(out, 200, json_pack("{s:s,s:I,s:I}", "execution_id", r->params[0], "old_priority",
                                     (json_int_t)ff_op_int(op), "priority", (json_int_t)p));
done:
    ff_op_free(op);
    json_decref(b);
}

static void revoke(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {"lease_id", "reason", NULL};
    json_t *b = action_body(r, out, fields);
    const char *lease = NULL, *reason = "revoked over HTTP";
    ff_op *op = NULL;
    if (b && ffh_opt_str(out, b, "lease_id", &lease) && ffh_opt_str(out, b, "reason", &reason) &&
        ffh_wait(r, out, ff_execution_revoke_lease(r->c, r->params[0], lease, reason, NULL, NULL, &op), &op) ==
            FF_OK) {
        const char *text = ff_op_text(op);
        int revoked = strcmp(text, "revoked") == 0;
        ffh_json(out, 200, json_pack("{s:s,s:s,s:s?,s:I}", "execution_id", r->params[0], "outcome", text,
                                     "lease_id", revoked ? ff_op_item(op, 0) : NULL, "lease_epoch",
                                     (json_int_t)ff_op_int(op)));
    }
    ff_op_free(op);
    json_decref(b);
}

const ffh_route ffh_routes_exec[] = {
    {"POST", "/api/v1/executions", submit, SIZE_MAX, 0},
    {"GET", "/api/v1/executions/{}", describe, 0, 0},
    {"GET", "/api/v1/executions/{}/result", result, 0, 0},
    {"POST", "/api/v1/executions/{}/cancel", cancel, 0, 0},
    {"POST", "/api/v1/executions/{}/replay", replay, 0, 0},
    {"POST", "/api/v1/executions/{}/priority", priority, 0, 0},
    {"POST", "/api/v1/executions/{}/revoke", revoke, 0, 0},
};
const size_t ffh_routes_exec_n = sizeof ffh_routes_exec / sizeof ffh_routes_exec[0];
