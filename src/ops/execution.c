/* Submission spec and create (lua/execution.lua). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/crc16.h"
#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define DEFAULT_IDEM_TTL_MS (24LL * 3600 * 1000)
#define MAX_CAPS 256

struct ff_exec_spec {
    char *ns;
    char *lane;
    char *kind;
    char *payload;
    size_t payload_len;
    int32_t priority;
    int64_t delay_until;
    int64_t delay_ms;
    int64_t deadline;
    char **caps;
    size_t ncaps;
    json_t *tags;   /* object, NULL when none */
    json_t *policy; /* object, NULL when none */
    char *idem_key;
    int64_t idem_ttl;
    char *eid;
    char *flow; /* flow id (flow.h), NULL when none */
};

static int set_owned(char **slot, const char *v) {
    char *d = ff__strdup(v);
    if (d == NULL) return FF_ENOMEM;
    free(*slot);
    *slot = d;
    return FF_OK;
}

int ff_exec_spec_new(ff_exec_spec **out, const char *kind) {
    int st = ff__check_ptr("out", out);
    if (st != FF_OK) return st;
    *out = NULL;
    if (kind != NULL && (st = ff__check_kind("kind", kind)) != FF_OK) return st;
    ff_exec_spec *s = calloc(1, sizeof *s);
    if (s == NULL) return FF_ENOMEM;
    if (set_owned(&s->ns, "default") || set_owned(&s->lane, "default") ||
        set_owned(&s->kind, kind ? kind : "default")) {
        ff_exec_spec_free(s);
        return FF_ENOMEM;
    }
    *out = s;
    return FF_OK;
}

void ff_exec_spec_free(ff_exec_spec *s) {
    if (s == NULL) return;
    free(s->ns);
    free(s->lane);
    free(s->kind);
    free(s->payload);
    for (size_t i = 0; i < s->ncaps; i++) free(s->caps[i]);
    free(s->caps);
    if (s->tags) json_decref(s->tags);
    if (s->policy) json_decref(s->policy);
    free(s->idem_key);
    free(s->eid);
    free(s->flow);
    free(s);
}

int ff_exec_spec_set_namespace(ff_exec_spec *s, const char *ns) {
    int st = s ? ff__check_namespace("namespace", ns) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    return set_owned(&s->ns, ns);
}

int ff_exec_spec_set_lane(ff_exec_spec *s, const char *lane) {
    int st = s ? ff__check_lane("lane", lane) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    return set_owned(&s->lane, lane);
}

int ff_exec_spec_set_kind(ff_exec_spec *s, const char *kind) {
    int st = s ? ff__check_kind("kind", kind) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    return set_owned(&s->kind, kind);
}

int ff_exec_spec_set_payload(ff_exec_spec *s, const void *data, size_t len) {
    if (s == NULL) return ff__check_ptr("spec", s);
    if (data == NULL && len > 0) return ff__fail(FF_EINVAL, "payload: data is NULL but len is %zu", len);
    char *d = ff__memdup(data ? data : "", data ? len : 0);
    if (d == NULL) return FF_ENOMEM;
    free(s->payload);
    s->payload = d;
    s->payload_len = len;
    return FF_OK;
}

int ff_exec_spec_set_priority(ff_exec_spec *s, int32_t priority) {
    if (s == NULL) return ff__check_ptr("spec", s);
    s->priority = priority;
    return FF_OK;
}

int ff_exec_spec_set_delay_until_ms(ff_exec_spec *s, int64_t unix_ms) {
    int st = s ? ff__check_range("delay_until_ms", unix_ms, 0, INT64_MAX) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    s->delay_until = unix_ms;
    s->delay_ms = 0;
    return FF_OK;
}

int ff_exec_spec_set_delay_ms(ff_exec_spec *s, int64_t delay_ms) {
    int st = s ? ff__check_range("delay_ms", delay_ms, 0, INT64_MAX) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    s->delay_ms = delay_ms;
    s->delay_until = 0;
    return FF_OK;
}

int ff_exec_spec_set_deadline_ms(ff_exec_spec *s, int64_t unix_ms) {
    int st = s ? ff__check_range("deadline_ms", unix_ms, 0, INT64_MAX) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    s->deadline = unix_ms;
    return FF_OK;
}

int ff_exec_spec_add_capability(ff_exec_spec *s, const char *token) {
    int st = s ? ff__check_capability("capability", token) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    if (s->ncaps >= MAX_CAPS) return ff__fail(FF_EINVAL, "capabilities: at most %d per execution", MAX_CAPS);
    for (size_t i = 0; i < s->ncaps; i++) {
        if (strcmp(s->caps[i], token) == 0) return FF_OK;
    }
    char **n = realloc(s->caps, (s->ncaps + 1) * sizeof *n);
    if (n == NULL) return FF_ENOMEM;
    s->caps = n;
    s->caps[s->ncaps] = ff__strdup(token);
    if (s->caps[s->ncaps] == NULL) return FF_ENOMEM;
    s->ncaps++;
    return FF_OK;
}

int ff_exec_spec_add_tag(ff_exec_spec *s, const char *key, const char *value) {
    int st = s ? ff__check_name("tag key", key, 128) : ff__check_ptr("spec", s);
    if (st == FF_OK) st = ff__check_text("tag value", value, 4096, 0);
    if (st != FF_OK) return st;
    if (!ff__valid_utf8(value, strlen(value))) return ff__fail(FF_EINVAL, "tag value of '%s': not valid UTF-8", key);
    if (s->tags == NULL && (s->tags = json_object()) == NULL) return FF_ENOMEM;
    return json_object_set_new(s->tags, key, json_string(value)) == 0 ? FF_OK : FF_ENOMEM;
}

int ff_exec_spec_set_policy_json(ff_exec_spec *s, const char *json) {
    int st = s ? ff__check_ptr("policy json", json) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    json_error_t e;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &e);
    if (root == NULL)
        return ff__fail(FF_INVALID_POLICY_JSON, "policy: malformed JSON at line %d column %d: %s", e.line, e.column,
                        e.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return ff__fail(FF_INVALID_POLICY_JSON, "policy: expected a JSON object");
    }
    if (s->policy) json_decref(s->policy);
    s->policy = root;
    return FF_OK;
}

static json_t *policy_obj(ff_exec_spec *s) {
    if (s->policy == NULL) s->policy = json_object();
    return s->policy;
}

/* "a,b,c" -> ["a","b","c"] (names of 1..128 bytes of UTF-8); NULL/"" -> []. */
static int csv_array(const char *what, const char *csv, json_t **out) {
    json_t *arr = json_array();
    if (arr == NULL) return FF_ENOMEM;
    const char *p = csv ? csv : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        json_t *v = (n >= 1 && n <= 128) ? json_stringn(p, n) : NULL;
        if (v == NULL) {
            json_decref(arr);
            return ff__fail(FF_EINVAL, "%s: expected comma-separated names of 1..128 bytes of UTF-8", what);
        }
        json_array_append_new(arr, v);
        p += n;
        if (*p == ',') p++;
    }
    *out = arr;
    return FF_OK;
}

int ff_exec_spec_add_budget(ff_exec_spec *s, const char *budget_id) {
    int st = s ? ff__check_name("budget id", budget_id, 128) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    json_t *pol = policy_obj(s);
    if (pol == NULL) return FF_ENOMEM;
    /* the policy's "budgets" list (lib/40_policy.lua checks the ids) */
    json_t *arr = json_object_get(pol, "budgets");
    if (arr == NULL || !json_is_array(arr)) {
        if ((arr = json_array()) == NULL || json_object_set_new(pol, "budgets", arr) != 0) return FF_ENOMEM;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), budget_id) == 0)
            return ff__fail(FF_EINVAL, "budget %s added twice", budget_id);
    }
    if (json_array_size(arr) >= 16) return ff__fail(FF_EINVAL, "at most 16 budgets per execution");
    return json_array_append_new(arr, json_string(budget_id)) == 0 ? FF_OK : FF_ENOMEM;
}

int ff_exec_spec_set_group(ff_exec_spec *s, const char *group) {
    int st = s ? ff__check_group(group, 1) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    json_t *pol = policy_obj(s);
    if (pol == NULL) return FF_ENOMEM;
    if (group == NULL || group[0] == '\0') return json_object_del(pol, "group"), FF_OK;
    return json_object_set_new(pol, "group", json_string(group)) == 0 ? FF_OK : FF_ENOMEM;
}

static json_t *retry_obj(ff_exec_spec *s) {
    json_t *pol = policy_obj(s);
    json_t *rp = json_object_get(pol, "retry_policy");
    if (rp == NULL || !json_is_object(rp)) {
        rp = json_object();
        json_object_set_new(pol, "retry_policy", rp);
    }
    return rp;
}

int ff_exec_spec_set_retry(ff_exec_spec *s, int32_t max_retries, const char *backoff, int64_t initial_ms,
                           int64_t max_ms, double multiplier, double jitter, const char *categories) {
    int st = s ? ff__check_range("max_retries", max_retries, 0, 10000) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    if (backoff == NULL || (strcmp(backoff, "fixed") != 0 && strcmp(backoff, "exponential") != 0))
        return ff__fail(FF_EINVAL, "backoff %s: expected \"fixed\" or \"exponential\"", backoff ? backoff : "NULL");
    if (!isfinite(multiplier) || !isfinite(jitter) || jitter < 0 || jitter > 1)
        return ff__fail(FF_EINVAL, "retry: multiplier must be finite and jitter a number in 0..1");
    json_t *bo = json_object();
    if (strcmp(backoff, "fixed") == 0) {
        if (initial_ms < 0) {
            json_decref(bo);
            return ff__fail(FF_EINVAL, "fixed backoff delay %" PRId64 " ms: must be >= 0", initial_ms);
        }
        json_object_set_new(bo, "type", json_string("fixed"));
        json_object_set_new(bo, "delay_ms", json_integer(initial_ms));
    } else {
        if (initial_ms <= 0 || max_ms < initial_ms || multiplier < 1) {
            json_decref(bo);
            return ff__fail(FF_EINVAL,
                            "exponential backoff: expected initial_ms > 0, max_ms >= initial_ms and multiplier >= 1 "
                            "(got %" PRId64 ", %" PRId64 ", %g)",
                            initial_ms, max_ms, multiplier);
        }
        json_object_set_new(bo, "type", json_string("exponential"));
        json_object_set_new(bo, "initial_delay_ms", json_integer(initial_ms));
        json_object_set_new(bo, "max_delay_ms", json_integer(max_ms));
        json_object_set_new(bo, "multiplier", json_real(multiplier));
        json_object_set_new(bo, "jitter", json_real(jitter));
    }
    json_t *cats = NULL;
    if (categories && categories[0] && (st = csv_array("retryable categories", categories, &cats)) != FF_OK) {
        json_decref(bo);
        return st;
    }
    /* The deny-list belongs to its own setter: kept across a new retry policy. */
    json_t *rp = retry_obj(s);
    json_object_set_new(rp, "max_retries", json_integer(max_retries));
    json_object_set_new(rp, "backoff", bo);
    if (cats)
        json_object_set_new(rp, "retryable_categories", cats);
    else
        json_object_del(rp, "retryable_categories");
    return FF_OK;
}

int ff_exec_spec_set_non_retryable(ff_exec_spec *s, const char *categories) {
    int st = ff__check_ptr("spec", s);
    json_t *arr = NULL;
    if (st == FF_OK) st = csv_array("non-retryable categories", categories, &arr);
    if (st != FF_OK) return st;
    json_t *rp = retry_obj(s);
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        json_object_del(rp, "non_retryable_categories");
        return FF_OK;
    }
    json_object_set_new(rp, "non_retryable_categories", arr);
    return FF_OK;
}

int ff_exec_spec_set_attempt_timeout_ms(ff_exec_spec *s, int64_t ms) {
    int st = s ? ff__check_range("attempt timeout ms", ms, 0, INT64_MAX) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    json_t *pol = policy_obj(s);
    json_t *tp = json_object_get(pol, "timeout_policy");
    if (ms == 0) {
        if (tp) json_object_del(tp, "attempt_timeout_ms");
        return FF_OK;
    }
    if (tp == NULL || !json_is_object(tp)) {
        tp = json_object();
        json_object_set_new(pol, "timeout_policy", tp);
    }
    json_object_set_new(tp, "attempt_timeout_ms", json_integer(ms));
    return FF_OK;
}

int ff_exec_spec_set_limits(ff_exec_spec *s, int32_t max_reclaim_count, int32_t max_replay_count) {
    int st = s ? ff__check_range("max_reclaim_count", max_reclaim_count, -1, INT32_MAX) : ff__check_ptr("spec", s);
    if (st == FF_OK) st = ff__check_range("max_replay_count", max_replay_count, -1, INT32_MAX);
    if (st != FF_OK) return st;
    if (max_reclaim_count >= 0) json_object_set_new(policy_obj(s), "max_reclaim_count", json_integer(max_reclaim_count));
    if (max_replay_count >= 0) json_object_set_new(policy_obj(s), "max_replay_count", json_integer(max_replay_count));
    return FF_OK;
}

int ff_exec_spec_set_idempotency_key(ff_exec_spec *s, const char *key, int64_t ttl_ms) {
    int st = s ? ff__check_name("idempotency key", key, 256) : ff__check_ptr("spec", s);
    if (st == FF_OK) st = ff__check_range("idempotency ttl ms", ttl_ms, 0, INT64_MAX);
    if (st != FF_OK) return st;
    s->idem_ttl = ttl_ms ? ttl_ms : DEFAULT_IDEM_TTL_MS;
    return set_owned(&s->idem_key, key);
}

int ff_exec_spec_set_execution_id(ff_exec_spec *s, const char *execution_id) {
    int st = s ? ff__check_eid("execution id", execution_id) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    return set_owned(&s->eid, execution_id);
}

int ff_exec_spec_set_flow(ff_exec_spec *s, const char *flow_id) {
    if (s == NULL) return ff__check_ptr("spec", s);
    if (flow_id == NULL || flow_id[0] == '\0') {
        free(s->flow);
        s->flow = NULL;
        return FF_OK;
    }
    int st = ff__check_eid("flow id", flow_id);
    if (st != FF_OK) return st;
    return set_owned(&s->flow, flow_id);
}

/* Does the lane map to partition p on one of its shards? (Otherwise its
 * executions there would never be claimed.) */
static int lane_reaches(const char *lane, uint32_t p, uint32_t shards, uint32_t parts) {
    for (uint32_t k = 0; k < (shards ? shards : 1); k++)
        if (ff__lane_partition(lane, k, parts) == p) return 1;
    return 0;
}

/* ------------------------------------------------------------ create */

static int finish_create(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_CREATE_NFIELDS) return FF_EPROTO;
    op->ival = strcmp(f[0]->str, "DUPLICATE") == 0 ? 1 : 0;
    op->execution_id = ff__rv_strdup(f[FF_FN_CREATE_F_EID]);
    op->text = ff__rv_strdup(f[FF_FN_CREATE_F_PUBLIC_STATE]);
    return FF_OK;
}

/* A group's executions share its shard: its quota counters, pause and fair
 * share live on that one partition (lib/58_quota.lua). */
static uint32_t pick_shard(const ff_exec_spec *s, uint32_t shards) {
    if (shards <= 1) return 0;
    json_t *g = s->policy ? json_object_get(s->policy, "group") : NULL;
    if (json_is_string(g)) return ff__crc16(json_string_value(g), json_string_length(g)) % shards;
    if (s->idem_key) return ff__crc16(s->idem_key, strlen(s->idem_key)) % shards;
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = 0;
    return r % shards;
}

int ff_execution_create(ff_client *c, const ff_exec_spec *s, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_CREATE);
    int st0 = c ? ff__check_ptr("spec", s) : ff__check_ptr("client", c);
    if (st0 != FF_OK) return st0;
    if (s->payload_len > c->max_payload)
        return ff__fail(FF_ETOOBIG, "payload of %zu bytes exceeds the client's limit of %llu bytes", s->payload_len,
                        (unsigned long long)c->max_payload);
    uint32_t parts = atomic_load(&c->partitions);
    char eid[FF_EID_MAX];
    if (s->flow) {
        /* a member lives on its flow's partition (flow.h) */
        uint32_t fp = 0, p = 0;
        ff__eid_parse(s->flow, &fp);
        if (s->eid && (ff__eid_parse(s->eid, &p), p != fp))
            return ff__fail(FF_PARTITION_MISMATCH, "execution id %s is on partition %u, flow %s on %u", s->eid,
                            (unsigned)p, s->flow, (unsigned)fp);
        if (!lane_reaches(s->lane, fp, atomic_load(&c->lane_shards), parts))
            return ff__fail(FF_PARTITION_MISMATCH,
                            "lane '%s' never maps to partition %u of flow %s (its members there would never be "
                            "claimed)",
                            s->lane, (unsigned)fp, s->flow);
        if (s->eid)
            snprintf(eid, sizeof eid, "%s", s->eid);
        else if (ff__eid_mint(fp, eid) != 0)
            return FF_ESYS;
    } else if (s->eid) {
        uint32_t p = 0, shards = atomic_load(&c->lane_shards), ok = 0;
        ff__eid_parse(s->eid, &p);
        /* An id on a partition the lane never maps to would never be claimed. */
        for (uint32_t k = 0; k < (shards ? shards : 1) && !ok; k++) ok = ff__lane_partition(s->lane, k, parts) == p;
        if (!ok)
            return ff__fail(FF_EINVAL,
                            "execution id %s is on partition %u, which lane '%s' never maps to (its executions would "
                            "never be claimed)",
                            s->eid, (unsigned)p, s->lane);
        snprintf(eid, sizeof eid, "%s", s->eid);
    } else {
        uint32_t part = ff__lane_partition(s->lane, pick_shard(s, atomic_load(&c->lane_shards)), parts);
        if (ff__eid_mint(part, eid) != 0) return FF_ESYS;
    }
    ff__spec_args a;
    int st = ff__exec_spec_args(s, &a);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_CREATE, eid, finish_create, &cmd, &st);
    if (op == NULL) {
        ff__spec_args_free(&a);
        return st;
    }
    for (int i = 0; i < FF__SPEC_NARGS; i++) ff__cmd_arg(op, cmd, a.v[i], a.len[i]);
    if (s->flow) ff__cmd_str(op, cmd, s->flow);
    ff__spec_args_free(&a);
    return ff__op_submit(op, cb, ud, out);
}

static char *i64_or_empty(int64_t v) {
    char buf[24] = "";
    if (v > 0) snprintf(buf, sizeof buf, "%" PRId64, v);
    return ff__strdup(buf);
}

int ff__exec_spec_args(const ff_exec_spec *s, ff__spec_args *a) {
    memset(a, 0, sizeof *a);
    char pri[24];
    snprintf(pri, sizeof pri, "%" PRId32, s->priority);
    char ttl[24] = "";
    if (s->idem_key) snprintf(ttl, sizeof ttl, "%" PRId64, s->idem_ttl);
    char *policy = s->policy ? json_dumps(s->policy, JSON_COMPACT) : NULL;
    char *tags = s->tags ? json_dumps(s->tags, JSON_COMPACT) : NULL;
    a->v[0] = ff__strdup(s->ns);
    a->v[1] = ff__strdup(s->lane);
    a->v[2] = ff__strdup(s->kind);
    a->v[3] = ff__strdup(pri);
    a->v[4] = ff__memdup(s->payload ? s->payload : "", s->payload_len);
    a->len[4] = s->payload_len;
    a->v[5] = ff__strdup(policy ? policy : "");
    a->v[6] = ff__sorted_csv(s->caps, s->ncaps);
    a->v[7] = i64_or_empty(s->delay_until);
    a->v[8] = i64_or_empty(s->delay_ms);
    a->v[9] = i64_or_empty(s->deadline);
    a->v[10] = ff__strdup(s->idem_key ? s->idem_key : "");
    a->v[11] = ff__strdup(ttl);
    a->v[12] = ff__strdup(tags ? tags : "");
    free(policy);
    free(tags);
    int bad = (s->policy && policy == NULL) || (s->tags && tags == NULL);
    for (int i = 0; i < FF__SPEC_NARGS; i++) {
        if (a->v[i] == NULL) bad = 1;
        if (i != 4 && a->v[i]) a->len[i] = strlen(a->v[i]);
    }
    if (s->eid && (a->eid = ff__strdup(s->eid)) == NULL) bad = 1;
    if (s->flow && (a->flow = ff__strdup(s->flow)) == NULL) bad = 1;
    a->payload_len = s->payload_len;
    if (bad) {
        ff__spec_args_free(a);
        return FF_ENOMEM;
    }
    return FF_OK;
}

void ff__spec_args_free(ff__spec_args *a) {
    for (int i = 0; i < FF__SPEC_NARGS; i++) free(a->v[i]);
    free(a->eid);
    free(a->flow);
    memset(a, 0, sizeof *a);
}
