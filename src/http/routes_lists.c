/*
 * Listings and the lane / flow routes: lanes (with pause and resume),
 * per-lane counts and paged execution ids, suspended executions, workers,
 * flows. Paging follows the C API: pass back "next_cursor" as ?cursor=;
 * null means the listing is complete.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static void lanes(ffh_req *r, ffh_resp *out) {
    uint32_t n;
    if (!ffh_query_count(r, out, 100, &n)) return;
    ff_op *op = NULL;
    ffh_op_json(r, out, ff_lanes_page(r->c, ffh_query(r, "cursor"), n, NULL, NULL, &op), &op, 200);
}

static void lane_change(ffh_req *r, ffh_resp *out, int pausing) {
    static const char *const pause_fields[] = {"reason", NULL}, *const none[] = {NULL};
    json_t *b = ffh_body_object(r, out, 1);
    const char *reason = NULL;
    ff_op *op = NULL;
    if (!b || !ffh_only_fields(out, b, pausing ? pause_fields : none) || !ffh_opt_str(out, b, "reason", &reason))
        goto done;
    int st = pausing ? ff_lane_pause(r->c, r->params[0], reason, NULL, NULL, &op)
                     : ff_lane_resume(r->c, r->params[0], NULL, NULL, &op);
    if (ffh_wait(r, out, st, &op) == FF_OK)
        ffh_json(out, 200, json_pack("{s:s,s:b}", "lane", r->params[0], pausing ? "paused" : "was_paused",
                                     ff_op_int(op) == 1));
done:
    ff_op_free(op);
    json_decref(b);
}

static void lane_pause(ffh_req *r, ffh_resp *out) { lane_change(r, out, 1); }
static void lane_resume(ffh_req *r, ffh_resp *out) { lane_change(r, out, 0); }

static void lane_counts(ffh_req *r, ffh_resp *out) {
    ff_op *op = NULL;
    ffh_op_json(r, out, ff_lane_counts(r->c, r->params[0], NULL, NULL, &op), &op, 200);
}

/* {"<list key>": [ids], "next_cursor": cursor or null} from an id listing. */
static json_t *id_page(ff_op *op, const char *key) {
    json_t *ids = json_array();
    for (size_t i = 0; i < ff_op_item_count(op); i++) json_array_append_new(ids, json_string(ff_op_item(op, i)));
    const char *cur = ff_op_cursor(op);
    int more = cur[0] && strcmp(cur, "0") != 0;
    return json_pack("{s:o,s:s?}", key, ids, "next_cursor", more ? cur : NULL);
}

static void lane_executions(ffh_req *r, ffh_resp *out) {
    uint32_t n;
    const char *state = ffh_query(r, "state"), *cursor = ffh_query(r, "cursor");
    if (!ffh_query_count(r, out, 100, &n)) return;
    if (!state || !state[0]) state = "waiting";
    ff_op *op = NULL;
    if (ffh_wait(r, out, ff_execution_list_lane(r->c, r->params[0], state, cursor ? cursor : "", n, NULL, NULL, &op),
                 &op) != FF_OK)
        return;
    json_t *doc = id_page(op, "execution_ids");
    json_object_set_new(doc, "lane", json_string(r->params[0]));
    json_object_set_new(doc, "state", json_string(state));
    ffh_json(out, 200, doc);
    ff_op_free(op);
}

/* The suspended listing is per partition; our cursor is "P:<partition
 * cursor>" so one page can span partitions and the next one resumes. */
static void suspended(ffh_req *r, ffh_resp *out) {
    uint32_t n, parts = ff_client_partitions(r->c), p = 0;
    const char *cur = ffh_query(r, "cursor");
    char pcur[256] = "0";
    if (!ffh_query_count(r, out, 100, &n)) return;
    if (cur && cur[0]) {
        unsigned long long pp;
        int used = 0;
        if (sscanf(cur, "%llu:%n", &pp, &used) != 1 || used == 0 || pp >= parts || strlen(cur + used) >= sizeof pcur) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "not a cursor of this listing");
            return;
        }
        p = (uint32_t)pp;
        snprintf(pcur, sizeof pcur, "%s", cur + used);
    }
    json_t *list = json_array();
    while (p < parts && json_array_size(list) < n) {
        ff_op *op = NULL;
        uint32_t want = n - (uint32_t)json_array_size(list);
        if (ffh_wait(r, out, ff_execution_list_suspended(r->c, p, pcur, want, NULL, NULL, &op), &op) != FF_OK) {
            json_decref(list);
            return;
        }
        size_t k = ff_op_item_count(op) / FF_ITEMS_LIST_SUSPENDED_STRIDE;
        for (size_t i = 0; i < k; i++) {
            size_t base = i * FF_ITEMS_LIST_SUSPENDED_STRIDE;
            const char *to = ff_op_item(op, base + FF_ITEMS_LIST_SUSPENDED_TIMEOUT_AT);
            json_array_append_new(
                list, json_pack("{s:s,s:I,s:s,s:o}", "execution_id", ff_op_item(op, base + FF_ITEMS_LIST_SUSPENDED_EID),
                                "suspended_at",
                                (json_int_t)strtoll(ff_op_item(op, base + FF_ITEMS_LIST_SUSPENDED_SUSPENDED_AT), NULL, 10),
                                "blocking_reason", ff_op_item(op, base + FF_ITEMS_LIST_SUSPENDED_BLOCKING_REASON),
                                "timeout_at", to[0] ? json_integer(strtoll(to, NULL, 10)) : json_null()));
        }
        const char *next = ff_op_cursor(op);
        if (!next[0] || strcmp(next, "0") == 0) {
            p++;
            snprintf(pcur, sizeof pcur, "0");
        } else {
            snprintf(pcur, sizeof pcur, "%s", next);
        }
        ff_op_free(op);
    }
    char nc[300];
    snprintf(nc, sizeof nc, "%" PRIu32 ":%s", p, pcur);
    ffh_json(out, 200, json_pack("{s:o,s:s?}", "suspended", list, "next_cursor", p < parts ? nc : NULL));
}

static void workers(ffh_req *r, ffh_resp *out) {
    uint32_t n;
    if (!ffh_query_count(r, out, 100, &n)) return;
    ff_op *op = NULL;
    ffh_op_json(r, out, ff_workers_list(r->c, ffh_query(r, "lane"), ffh_query(r, "cursor"), n, NULL, NULL, &op), &op,
                200);
}

static void flow_describe(ffh_req *r, ffh_resp *out) {
    ff_op *op = NULL;
    ffh_op_json(r, out, ff_flow_describe(r->c, r->params[0], NULL, NULL, &op), &op, 200);
}

static void flow_cancel(ffh_req *r, ffh_resp *out) {
    static const char *const fields[] = {"policy", "reason", NULL};
    json_t *b = ffh_body_object(r, out, 1);
    const char *policy = NULL, *reason = NULL;
    ff_op *op = NULL;
    if (!b || !ffh_only_fields(out, b, fields) || !ffh_opt_str(out, b, "policy", &policy) ||
        !ffh_opt_str(out, b, "reason", &reason))
        goto done;
    if (ffh_wait(r, out, ff_flow_cancel(r->c, r->params[0], policy, reason, NULL, NULL, &op), &op) != FF_OK) goto done;
    json_t *ids = json_array();
    for (size_t i = 0; i < ff_op_item_count(op); i++) json_array_append_new(ids, json_string(ff_op_item(op, i)));
    ffh_json(out, 200, json_pack("{s:s,s:s,s:b,s:o}", "flow_id", r->params[0], "policy", ff_op_text(op), "repeat",
                                 ff_op_int(op) == 1, "cancelled", ids));
done:
    ff_op_free(op);
    json_decref(b);
}

const ffh_route ffh_routes_lists[] = {
    {"GET", "/api/v1/lanes", lanes, 0, 0},
    {"POST", "/api/v1/lanes/{}/pause", lane_pause, 0, 0},
    {"POST", "/api/v1/lanes/{}/resume", lane_resume, 0, 0},
    {"GET", "/api/v1/lanes/{}/counts", lane_counts, 0, 0},
    {"GET", "/api/v1/lanes/{}/executions", lane_executions, 0, 0},
    {"GET", "/api/v1/suspended", suspended, 0, 0},
    {"GET", "/api/v1/workers", workers, 0, 0},
    {"GET", "/api/v1/flows/{}", flow_describe, 0, 0},
    {"POST", "/api/v1/flows/{}/cancel", flow_cancel, 0, 0},
};
const size_t ffh_routes_lists_n = sizeof ffh_routes_lists / sizeof ffh_routes_lists[0];
