/*
 * Signal ingress: POST /executions/{id}/signals (a program with the
 * waitpoint token) and the approval link for people: GET
 * /approve/{id}/{waitpoint}?token=T serves a small HTML form that carries
 * the token in a hidden field, its POST delivers the signal. The waitpoint
 * token is the credential of both (verified by the server library), so the
 * approval routes need no bearer token; it is never logged (the access log
 * shows route patterns only) and the page after the POST does not show it.
 */
#define _GNU_SOURCE /* asprintf */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* The waitpoint id of @p key among the execution's waitpoints; malloc'd. */
static char *waitpoint_by_key(ffh_req *r, ffh_resp *out, const char *eid, const char *key) {
    ff_op *op = NULL;
    if (ffh_wait(r, out, ff_execution_waitpoints(r->c, eid, NULL, NULL, &op), &op) != FF_OK) return NULL;
    char *id = NULL;
    for (size_t i = 0; i + FF_ITEMS_WAITPOINTS_STRIDE <= ff_op_item_count(op); i += FF_ITEMS_WAITPOINTS_STRIDE)
        if (strcmp(ff_op_item(op, i + FF_ITEMS_WAITPOINTS_KEY), key) == 0) {
            id = strdup(ff_op_item(op, i + FF_ITEMS_WAITPOINTS_WP_ID));
            break;
        }
    ff_op_free(op);
    if (!id) ffh_error_http(out, 404, FF_WAITPOINT_NOT_FOUND, "waitpoint_not_found", "no waitpoint with that key");
    return id;
}

/* Deliver; on success *doc is the outcome document. */
static int deliver(ffh_req *r, ffh_resp *out, const char *eid, const char *wp, const char *token, const char *name,
                   const char *src_type, const char *src, const void *payload, size_t len, const char *idem,
                   json_t **doc) {
    ff_op *op = NULL;
    int st = ff_signal_deliver(r->c, eid, wp, token, name, src_type, src, payload, len, idem, NULL, NULL, &op);
    if (ffh_wait(r, out, st, &op) != FF_OK) return -1;
    *doc = json_pack("{s:s,s:s,s:s,s:s,s:b}", "execution_id", eid, "waitpoint_id", wp, "signal_id",
                     ff_op_item_count(op) ? ff_op_item(op, 0) : "", "effect", ff_op_text(op), "duplicate",
                     ff_op_int(op) == 1);
    ff_op_free(op);
    return 0;
}

static void signal_post(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {"waitpoint_id", "waitpoint_key", "token", "name", "payload",
                                         "payload_base64", "source_type", "source_identity", "idempotency_key",
                                         NULL};
    json_t *b = ffh_body_object(r, out, 0), *doc = NULL;
    const char *wp = NULL, *key = NULL, *token = NULL, *name = NULL, *payload = NULL, *p64 = NULL,
               *src_type = "webhook", *src = "http", *idem = NULL;
    char *wp_found = NULL;
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (!b || !ffh_only_fields(out, b, fields) || !ffh_opt_str(out, b, "waitpoint_id", &wp) ||
        !ffh_opt_str(out, b, "waitpoint_key", &key) || !ffh_opt_str(out, b, "token", &token) ||
        !ffh_opt_str(out, b, "name", &name) || !ffh_opt_str(out, b, "payload_base64", &p64) ||
        !ffh_opt_str(out, b, "source_type", &src_type) || !ffh_opt_str(out, b, "source_identity", &src) ||
        !ffh_opt_str(out, b, "idempotency_key", &idem))
        goto done;
    json_t *pj = json_object_get(b, "payload");
    if (pj && !json_is_null(pj)) {
        if (!json_is_string(pj) || p64) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'payload' must be a string (or use payload_base64)");
            goto done;
        }
        payload = json_string_value(pj);
        len = json_string_length(pj);
    } else if (p64) {
        if (ffh_base64_decode(p64, strlen(p64), &bytes, &len)) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'payload_base64' must be standard padded base64");
            goto done;
        }
        payload = (const char *)bytes;
    }
    if (!token || !name || (!wp == !key)) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input",
                       "'token', 'name' and one of 'waitpoint_id' / 'waitpoint_key' are required");
        goto done;
    }
    if (key && !(wp = wp_found = waitpoint_by_key(r, out, r->params[0], key))) goto done;
    if (deliver(r, out, r->params[0], wp, token, name, src_type, src, payload, len, idem, &doc) == 0)
        ffh_json(out, 200, doc);
done:
    free(bytes);
    free(wp_found);
    json_decref(b);
}

/* ------------------------------------------------------------ approval */

static void html_escape(char *dst, size_t cap, const char *s) {
    size_t o = 0;
    for (; *s && o + 7 < cap; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        }
        if (rep) {
            size_t n = strlen(rep);
            memcpy(dst + o, rep, n);
            o += n;
        } else {
            dst[o++] = *s;
        }
    }
    dst[o] = '\0';
}

/* A path segment %-escaped (ids carry '{' and '}'), then HTML-escaped. */
static void path_escape(char *dst, size_t cap, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    char tmp[600];
    size_t o = 0;
    for (; *s && o + 4 < sizeof tmp; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-._~:", ch)) {
            tmp[o++] = (char)ch;
        } else {
            tmp[o++] = '%';
            tmp[o++] = hex[ch >> 4];
            tmp[o++] = hex[ch & 15];
        }
    }
    tmp[o] = '\0';
    html_escape(dst, cap, tmp);
}

static void page(ffh_resp *out, int http, const char *title, const char *body_html) {
    char *s = NULL;
    int n = asprintf(&s,
                     "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                     "<body>\n<h1>%s</h1>\n%s</body></html>\n",
                     title, title, body_html);
    if (n < 0) s = NULL;
    out->http = http;
    out->body = s;
    out->len = s ? (size_t)n : 0;
    out->ctype = "text/html; charset=utf-8";
}

static void approve_get(ffh_req *r, ffh_resp *out) {
    const char *token = ffh_query(r, "token");
    char eid[600], wp[600], peid[1800], pwp[1800], tok[1200], html[8192];
    if (!token || !token[0] || strlen(token) > 256) {
        page(out, 400, "Missing token", "<p>This approval link has no token.</p>\n");
        return;
    }
    html_escape(eid, sizeof eid, r->params[0]);
    html_escape(wp, sizeof wp, r->params[1]);
    path_escape(peid, sizeof peid, r->params[0]);
    path_escape(pwp, sizeof pwp, r->params[1]);
    html_escape(tok, sizeof tok, token);
    snprintf(html, sizeof html,
             "<p>Execution <code>%s</code> waits for a decision on waitpoint <code>%s</code>.</p>\n"
             "<form method=\"post\" action=\"/approve/%s/%s\">\n"
             "<input type=\"hidden\" name=\"token\" value=\"%s\">\n"
             "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n"
             "<button type=\"submit\" name=\"decision\" value=\"reject\">Reject</button>\n"
             "</form>\n",
             eid, wp, peid, pwp, tok);
    page(out, 200, "Approval", html);
}

/* application/x-www-form-urlencoded value of @p key in @p body (modified:
 * the value is decoded in place). */
static const char *form_value(char *body, const char *key) {
    size_t kl = strlen(key);
    for (char *p = body; p && *p;) {
        char *amp = strchr(p, '&');
        if (amp) *amp = '\0';
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            char *v = p + kl + 1;
            for (char *q = v; *q; q++)
                if (*q == '+') *q = ' ';
            MHD_http_unescape(v);
            return v;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static void approve_post(ffh_req *r, ffh_resp *out) {
    char *body = strndup(r->body, r->body_len);
    const char *token = body ? form_value(body, "token") : NULL;
    char *body2 = strndup(r->body, r->body_len);
    const char *decision = body2 ? form_value(body2, "decision") : NULL;
    json_t *doc = NULL;
    char html[1024], eid[600];
    if (!token || !token[0] || !decision || (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0)) {
        page(out, 400, "Bad request", "<p>The form needs a token and a decision (approve or reject).</p>\n");
    } else if (deliver(r, out, r->params[0], r->params[1], token, decision, "user", "approval-form", decision,
                       strlen(decision), NULL, &doc) == 0) {
        html_escape(eid, sizeof eid, r->params[0]);
        char eff[200];
        html_escape(eff, sizeof eff, json_string_value(json_object_get(doc, "effect")));
        snprintf(html, sizeof html, "<p>Your decision <b>%s</b> on execution <code>%s</code> was delivered: %s.</p>\n",
                 decision, eid, eff);
        page(out, 200, "Decision recorded", html);
    } else {
        /* A JSON error document is in out: show its message as a page. */
        json_t *e = json_loadb(out->body, out->len, 0, NULL);
        int http = out->http;
        html_escape(html, sizeof html,
                    json_string_value(json_object_get(json_object_get(e, "error"), "message")) ?: "failed");
        char msg[1200];
        snprintf(msg, sizeof msg, "<p>The decision was not delivered: %s</p>\n", html);
        free(out->body);
        page(out, http, "Not delivered", msg);
        out->is_error = 1;
        json_decref(e);
    }
    json_decref(doc);
    if (body) memset(body, 0, r->body_len);
    free(body);
    if (body2) memset(body2, 0, r->body_len);
    free(body2);
}

const ffh_route ffh_routes_signal[] = {
    {"POST", "/api/v1/executions/{}/signals", signal_post, 0, 0},
    {"GET", "/approve/{}/{}", approve_get, 0, 1},
    {"POST", "/approve/{}/{}", approve_post, 0, 1},
};
const size_t ffh_routes_signal_n = sizeof ffh_routes_signal / sizeof ffh_routes_signal[0];
