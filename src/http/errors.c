/*
 * Responses and the ONE table from a status group (src/core/status.def) to
 * an HTTP code and a fallback error code, so every route maps errors alike.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static const struct {
    const char *group;
    int http;
    const char *code; /* used when the status has no server token */
} group_table[] = {
    {"invalid", 400, "invalid_input"},     {"notfound", 404, "not_found"},
    {"conflict", 409, "conflict"},         {"state", 409, "invalid_state"},
    {"lease", 409, "lease_conflict"},      {"limit", 429, "limit_exceeded"},
    {"auth", 403, "forbidden"},            {"transport", 503, "unavailable"},
    {"timeout", 504, "timeout"},           {"internal", 500, "internal"},
    {"generic", 500, "internal"},
};

static size_t group_index(int status) {
    const char *g = ff_status_group(status);
    for (size_t i = 0; i < sizeof group_table / sizeof group_table[0]; i++)
        if (strcmp(group_table[i].group, g) == 0) return i;
    return sizeof group_table / sizeof group_table[0] - 1;
}

int ffh_http_for_status(int status) { return group_table[group_index(status)].http; }

void ffh_json(ffh_resp *out, int http, json_t *doc) {
    char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!s) s = strdup("{}");
    out->http = http;
    out->body = s;
    out->len = s ? strlen(s) : 0;
    out->ctype = "application/json";
}

void ffh_bytes(ffh_resp *out, int http, const char *ctype, const void *data, size_t len) {
    out->body = malloc(len ? len : 1);
    if (out->body && len) memcpy(out->body, data, len);
    out->len = out->body ? len : 0;
    out->http = http;
    out->ctype = ctype;
}

static void error_doc(ffh_resp *out, int http, int status, const char *code, const char *message) {
    json_t *e = json_pack("{s:s,s:s,s:s}", "status", ff_status_name(status), "code", code, "message",
                          message ? message : "");
    if (!e) e = json_pack("{s:s,s:s,s:s}", "status", ff_status_name(status), "code", code, "message",
                          "(message not UTF-8)");
    free(out->body);
    out->body = NULL;
    ffh_json(out, http, json_pack("{s:o}", "error", e));
    out->is_error = 1;
}

void ffh_error(ffh_resp *out, int status, const char *code, const char *message) {
    size_t g = group_index(status);
    if (!code || !code[0]) code = ff_status_server_token(status);
    if (!code || !code[0]) code = group_table[g].code;
    if (!message || !message[0]) message = ff_strerror(status);
    error_doc(out, group_table[g].http, status, code, message);
}

void ffh_error_http(ffh_resp *out, int http, int status, const char *code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_doc(out, http, status, code, msg);
}

int ffh_wait(ffh_req *r, ffh_resp *out, int st, ff_op **op) {
    if (st != FF_OK) {
        /* Refused before anything was sent: the library's sentence says why. */
        ffh_error(out, st, NULL, ff_error_detail(st));
        ff_op_free(*op);
        *op = NULL;
        return st;
    }
    st = ff_op_wait(*op, r->op_timeout_ms);
    if (st == FF_EAGAIN) {
        ffh_error_http(out, 504, FF_ETIMEDOUT, "timeout", "the operation did not complete within %lld ms",
                       (long long)r->op_timeout_ms);
        ff_op_free(*op); /* detaches: it completes silently */
        *op = NULL;
        return FF_ETIMEDOUT;
    }
    if (st != FF_OK) {
        ffh_error(out, st, ff_op_server_code(*op), ff_op_errmsg(*op));
        ff_op_free(*op);
        *op = NULL;
    }
    return st;
}

void ffh_op_json(ffh_req *r, ffh_resp *out, int st, ff_op **op, int http) {
    if (ffh_wait(r, out, st, op) != FF_OK) return;
    json_error_t je;
    json_t *doc = json_loads(ff_op_json(*op), JSON_DECODE_ANY, &je);
    ff_op_free(*op);
    *op = NULL;
    if (!doc) {
        ffh_error_http(out, 500, FF_EPROTO, "internal", "the library returned no JSON document");
        return;
    }
    ffh_json(out, http, doc);
}
