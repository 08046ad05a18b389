/* Claiming and lease-bound operations (lua/lease.lua), the operator cancel
 * (same server function) and the targeted claims of one execution
 * (lua/reclaim.lua, declared in flowfabric/reclaim.h; they share ff_claim's
 * options and reply parser, which stay private to this file). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define MAX_LANES 64
#define MAX_CAPS 256
#define MAX_BATCH 256

struct ff_claim_opts {
    char *worker_id;
    char *instance_id;
    char **lanes;
    size_t nlanes;
    int default_lane; /* lanes[0] is the implicit "default" */
    char **caps;
    size_t ncaps;
    int64_t ttl_ms;
    uint32_t batch;
};

static void free_strv(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static int strv_add(char ***v, size_t *n, const char *s) {
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (nv == NULL) return FF_ENOMEM;
    *v = nv;
    nv[*n] = ff__strdup(s);
    if (nv[*n] == NULL) return FF_ENOMEM;
    (*n)++;
    return FF_OK;
}

int ff_claim_opts_new(ff_claim_opts **out) {
    if (out == NULL) return ff__check_ptr("out", out);
    ff_claim_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return FF_ENOMEM;
    char inst[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(inst) != 0) {
        free(o);
        return FF_ESYS;
    }
    o->worker_id = ff__strdup("worker");
    o->instance_id = ff__strdup(inst);
    o->ttl_ms = 30000;
    o->batch = 1;
    o->default_lane = 1;
    if (o->worker_id == NULL || o->instance_id == NULL || strv_add(&o->lanes, &o->nlanes, "default") != FF_OK) {
        ff_claim_opts_free(o);
        return FF_ENOMEM;
    }
    *out = o;
    return FF_OK;
}

void ff_claim_opts_free(ff_claim_opts *o) {
    if (o == NULL) return;
    free(o->worker_id);
    free(o->instance_id);
    free_strv(o->lanes, o->nlanes);
    free_strv(o->caps, o->ncaps);
    free(o);
}

/* Worker ids are printable ASCII (they appear in logs, listings and keys). */
static int check_ident(const char *what, const char *s) {
    char q[80];
    if (s && s[0] && strlen(s) <= 256 && ff__valid_namespace(s)) return FF_OK;
    return ff__fail(FF_EINVAL, "%s %s: expected 1..256 bytes of printable ASCII", what, ff__quote(s, q, sizeof q));
}

int ff_claim_opts_set_worker_id(ff_claim_opts *o, const char *worker_id) {
    int st = o ? check_ident("worker id", worker_id) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    char *d = ff__strdup(worker_id);
    if (d == NULL) return FF_ENOMEM;
    free(o->worker_id);
    o->worker_id = d;
    return FF_OK;
}

int ff_claim_opts_set_worker_instance_id(ff_claim_opts *o, const char *instance_id) {
    int st = o ? check_ident("worker instance id", instance_id) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    char *d = ff__strdup(instance_id);
    if (d == NULL) return FF_ENOMEM;
    free(o->instance_id);
    o->instance_id = d;
    return FF_OK;
}

int ff_claim_opts_add_lane(ff_claim_opts *o, const char *lane) {
    int st = o ? ff__check_lane("lane", lane) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    if (o->default_lane) {
        free_strv(o->lanes, o->nlanes);
        o->lanes = NULL;
        o->nlanes = 0;
        o->default_lane = 0;
    }
    for (size_t i = 0; i < o->nlanes; i++) {
        if (strcmp(o->lanes[i], lane) == 0) return FF_OK;
    }
    if (o->nlanes >= MAX_LANES) return ff__fail(FF_EINVAL, "lanes: at most %d per worker", MAX_LANES);
    return strv_add(&o->lanes, &o->nlanes, lane);
}

int ff_claim_opts_add_capability(ff_claim_opts *o, const char *token) {
    int st = o ? ff__check_capability("capability", token) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    if (o->ncaps >= MAX_CAPS) return ff__fail(FF_EINVAL, "capabilities: at most %d per worker", MAX_CAPS);
    for (size_t i = 0; i < o->ncaps; i++) {
        if (strcmp(o->caps[i], token) == 0) return FF_OK;
    }
    return strv_add(&o->caps, &o->ncaps, token);
}

int ff_claim_opts_set_lease_ttl_ms(ff_claim_opts *o, int64_t ttl_ms) {
    int st = o ? ff__check_range("lease ttl ms", ttl_ms, 1000, 3600000) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    o->ttl_ms = ttl_ms;
    return FF_OK;
}

int ff_claim_opts_set_batch(ff_claim_opts *o, uint32_t n) {
    int st = o ? ff__check_range("claim batch", n, 1, MAX_BATCH) : ff__check_ptr("claim options", o);
    if (st != FF_OK) return st;
    o->batch = n;
    return FF_OK;
}

ff_claim_opts *ff__claim_opts_clone(const ff_claim_opts *src) {
    ff_claim_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return NULL;
    *o = *src;
    o->lanes = NULL;
    o->caps = NULL;
    o->nlanes = o->ncaps = 0;
    o->worker_id = ff__strdup(src->worker_id);
    o->instance_id = ff__strdup(src->instance_id);
    int ok = o->worker_id && o->instance_id;
    for (size_t i = 0; ok && i < src->nlanes; i++) ok = strv_add(&o->lanes, &o->nlanes, src->lanes[i]) == FF_OK;
    for (size_t i = 0; ok && i < src->ncaps; i++) ok = strv_add(&o->caps, &o->ncaps, src->caps[i]) == FF_OK;
    if (!ok) {
        ff_claim_opts_free(o);
        return NULL;
    }
    return o;
}

const char *ff__claim_opts_instance(const ff_claim_opts *o) { return o ? o->instance_id : ""; }
const char *ff__claim_opts_worker(const ff_claim_opts *o) { return o ? o->worker_id : ""; }

ff_op *ff__worker_register_claimant(ff_client *c, const ff_claim_opts *o, int64_t concurrency, int64_t ttl_ms,
                                    int *st) {
    return ff__worker_upsert_build(c, o->worker_id, o->instance_id, (const char *const *)o->lanes, o->nlanes,
                                   (const char *const *)o->caps, o->ncaps, concurrency, ttl_ms, st);
}

/* ------------------------------------------------------- claim handles */

void ff__claim_free(ff_claim *cl) {
    if (cl == NULL) return;
    free(cl->execution_id);
    free(cl->attempt_id);
    free(cl->attempt_type);
    free(cl->lease_id);
    free(cl->payload);
    free(cl->kind);
    free(cl->lane);
    free(cl->ns);
    free(cl->worker_instance_id);
    free(cl);
}

void ff_claim_free(ff_claim *cl) { ff__claim_free(cl); }

#define CL_STR(field) return cl && cl->field ? cl->field : ""
const char *ff_claim_execution_id(const ff_claim *cl) { CL_STR(execution_id); }
uint32_t ff_claim_attempt_index(const ff_claim *cl) { return cl ? cl->attempt_index : 0; }
const char *ff_claim_attempt_id(const ff_claim *cl) { CL_STR(attempt_id); }
const char *ff_claim_attempt_type(const ff_claim *cl) { CL_STR(attempt_type); }
const char *ff_claim_lease_id(const ff_claim *cl) { CL_STR(lease_id); }
uint64_t ff_claim_lease_epoch(const ff_claim *cl) { return cl ? cl->lease_epoch : 0; }
int64_t ff_claim_expires_at_ms(const ff_claim *cl) { return cl ? cl->expires_at : 0; }
int64_t ff_claim_lease_ttl_ms(const ff_claim *cl) { return cl ? cl->lease_ttl_ms : 0; }
const void *ff_claim_payload(const ff_claim *cl, size_t *len) {
    if (len) *len = cl ? cl->payload_len : 0;
    return cl && cl->payload ? cl->payload : "";
}
const char *ff_claim_kind(const ff_claim *cl) { CL_STR(kind); }
const char *ff_claim_lane(const ff_claim *cl) { CL_STR(lane); }
const char *ff_claim_namespace(const ff_claim *cl) { CL_STR(ns); }
const char *ff_claim_worker_instance_id(const ff_claim *cl) { CL_STR(worker_instance_id); }

int ff_claim_from_fence(ff_claim **out, const char *execution_id, uint32_t attempt_index, const char *attempt_id,
                        const char *lease_id, uint64_t lease_epoch, int64_t lease_ttl_ms) {
    int st = ff__check_ptr("out", out);
    if (st == FF_OK) st = ff__check_eid("execution id", execution_id);
    if (st == FF_OK) st = ff__check_uuid("attempt id", attempt_id);
    if (st == FF_OK) st = ff__check_uuid("lease id", lease_id);
    if (st == FF_OK) st = ff__check_range("lease ttl ms", lease_ttl_ms, 0, INT64_MAX);
    if (st != FF_OK) return st;
    ff_claim *cl = calloc(1, sizeof *cl);
    if (cl == NULL) return FF_ENOMEM;
    cl->execution_id = ff__strdup(execution_id);
    cl->attempt_index = attempt_index;
    cl->attempt_id = ff__strdup(attempt_id);
    cl->attempt_type = ff__strdup("");
    cl->lease_id = ff__strdup(lease_id);
    cl->lease_epoch = lease_epoch;
    cl->lease_ttl_ms = lease_ttl_ms ? lease_ttl_ms : 30000;
    if (!cl->execution_id || !cl->attempt_id || !cl->attempt_type || !cl->lease_id) {
        ff__claim_free(cl);
        return FF_ENOMEM;
    }
    *out = cl;
    return FF_OK;
}

/* --------------------------------------------------------------- claim */

/* A claim walks (lane, shard) targets one FCALL at a time until the batch is
 * full or every target was tried; the start shard is random so workers spread
 * over a sharded lane. */
typedef struct claim_ctx {
    char **lanes;
    size_t nlanes;
    char *worker_id;
    char *instance_id;
    char *caps_csv;
    int64_t ttl_ms;
    uint32_t want;
    uint32_t shards;
    uint32_t partitions;
    uint32_t shard_start;
    size_t target; /* next (lane, shard) target index */
    size_t ntargets;
} claim_ctx;

static void claim_ctx_free(void *p) {
    claim_ctx *x = p;
    if (x == NULL) return;
    free_strv(x->lanes, x->nlanes);
    free(x->worker_id);
    free(x->instance_id);
    free(x->caps_csv);
    free(x);
}

static int add_claim_cmd(ff_op *op, claim_ctx *x) {
    size_t lane_i = x->target / x->shards;
    uint32_t shard = (uint32_t)((x->target % x->shards + x->shard_start) % x->shards);
    x->target++;
    const char *lane = x->lanes[lane_i];
    uint32_t part = ff__lane_partition(lane, shard, x->partitions);
    uint32_t remaining = x->want - (uint32_t)op->nclaims;
    char key[160];
    ff__lane_index_key(key, sizeof key, part, lane, "eligible");
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_CLAIM, FF_FN_CLAIM_NKEYS);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, lane);
    ff__cmd_str(op, cmd, x->worker_id);
    ff__cmd_str(op, cmd, x->instance_id);
    ff__cmd_str(op, cmd, x->caps_csv);
    ff__cmd_i64(op, cmd, x->ttl_ms);
    ff__cmd_i64(op, cmd, remaining);
    for (uint32_t i = 0; i < remaining * 2; i++) {
        char u[FF_UUID_STRLEN + 1];
        if (ff__uuid_v4(u) != 0) return FF_ESYS;
        ff__cmd_str(op, cmd, u);
    }
    return op->build_failed ? FF_ENOMEM : FF_OK;
}

/* ff_claim and ff_claim_reclaim reply alike: a count, then that many claims. */
_Static_assert(FF_FN_CLAIM_RECLAIM_ITEM_STRIDE == FF_FN_CLAIM_ITEM_STRIDE &&
                   FF_FN_CLAIM_RECLAIM_ITEMS_AT == FF_FN_CLAIM_ITEMS_AT && FF_FN_CLAIM_RECLAIM_F_N == FF_FN_CLAIM_F_N,
               "ff_claim and ff_claim_reclaim replies share one layout");
#define CLAIM_FIELDS FF_FN_CLAIM_ITEM_STRIDE

static int parse_claims(ff_op *op, claim_ctx *x, ff_rv *const *f, size_t n) {
    int64_t count = 0;
    if (n < FF_FN_CLAIM_NFIELDS || ff__rv_i64(f[FF_FN_CLAIM_F_N], &count) != 0 || count < 0 ||
        (size_t)count * CLAIM_FIELDS + FF_FN_CLAIM_ITEMS_AT > n)
        return FF_EPROTO;
    if (count == 0) return FF_OK;
    ff_claim **nc = realloc(op->claims, (op->nclaims + (size_t)count) * sizeof *nc);
    if (nc == NULL) return FF_ENOMEM;
    op->claims = nc;
    op->claim_free = ff__claim_free;
    for (int64_t k = 0; k < count; k++) {
        ff_rv *const *g = f + FF_FN_CLAIM_ITEMS_AT + k * CLAIM_FIELDS;
        ff_claim *cl = calloc(1, sizeof *cl);
        if (cl == NULL) return FF_ENOMEM;
        int64_t ai = 0, epoch = 0, exp = 0;
        ff__rv_i64(g[FF_FN_CLAIM_ITEM_ATTEMPT_INDEX], &ai);
        ff__rv_i64(g[FF_FN_CLAIM_ITEM_EPOCH], &epoch);
        ff__rv_i64(g[FF_FN_CLAIM_ITEM_EXPIRES_AT], &exp);
        cl->execution_id = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_EID]);
        cl->attempt_index = (uint32_t)ai;
        cl->attempt_id = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_ATTEMPT_ID]);
        cl->attempt_type = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_ATTEMPT_TYPE]);
        cl->lease_id = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_LEASE_ID]);
        cl->lease_epoch = (uint64_t)epoch;
        cl->expires_at = exp;
        cl->kind = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_KIND]);
        cl->ns = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_NAMESPACE]);
        const ff_rv *payload = g[FF_FN_CLAIM_ITEM_PAYLOAD];
        if (ff__rv_is_str(payload)) {
            cl->payload = ff__memdup(payload->str, payload->len);
            cl->payload_len = payload->len;
        } else {
            cl->payload = ff__strdup("");
        }
        cl->lane = ff__rv_strdup(g[FF_FN_CLAIM_ITEM_LANE]);
        cl->lease_ttl_ms = x->ttl_ms;
        cl->worker_instance_id = ff__strdup(x->instance_id);
        op->claims[op->nclaims++] = cl;
    }
    return FF_OK;
}

static int finish_claim(ff_op *op) {
    claim_ctx *x = op->ctx;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    st = parse_claims(op, x, f, n);
    if (st != FF_OK) return st;
    if (op->nclaims >= x->want || x->target >= x->ntargets) return FF_OK;
    ff__op_reset_cmds(op);
    st = add_claim_cmd(op, x);
    return st == FF_OK ? FF__CONTINUE : st;
}

ff_op *ff__claim_build(ff_client *c, const ff_claim_opts *o, int *st) {
    *st = c ? ff__check_ptr("claim options", o) : ff__check_ptr("client", c);
    if (*st != FF_OK) return NULL;
    if (o->nlanes == 0) {
        *st = ff__fail(FF_EINVAL, "claim options name no lane");
        return NULL;
    }
    *st = FF_ENOMEM;
    claim_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) return NULL;
    x->worker_id = ff__strdup(o->worker_id);
    x->instance_id = ff__strdup(o->instance_id);
    x->ttl_ms = o->ttl_ms;
    x->want = o->batch;
    x->partitions = atomic_load(&c->partitions);
    x->shards = atomic_load(&c->lane_shards);
    if (x->shards == 0) x->shards = 1;
    getrandom(&x->shard_start, sizeof x->shard_start, 0);
    for (size_t i = 0; i < o->nlanes; i++) {
        if (strv_add(&x->lanes, &x->nlanes, o->lanes[i]) != FF_OK) goto oom;
    }
    x->ntargets = x->nlanes * x->shards;
    x->caps_csv = ff__sorted_csv(o->caps, o->ncaps);
    if (x->caps_csv == NULL || x->worker_id == NULL || x->instance_id == NULL) goto oom;

    ff_op *op = ff__op_new(c, finish_claim);
    if (op == NULL) goto oom;
    op->ctx = x;
    op->ctx_free = claim_ctx_free;
    *st = add_claim_cmd(op, x);
    if (*st != FF_OK) {
        ff__op_discard(op);
        return NULL;
    }
    return op;
oom:
    claim_ctx_free(x);
    return NULL;
}

int ff_lease_claim(ff_client *c, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_CLAIM);
    int st = FF_OK;
    ff_op *op = ff__claim_build(c, o, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

/* -------------------------------------------------------- targeted claims */
/* ff_claim_reclaim, ff_claim_resumed and ff_grant_and_claim live in
 * lua/reclaim.lua (see the file comment). Each names one execution and sends
 * eid, [token,] worker_id, worker_instance_id, caps, lease_ttl_ms, lease_id
 * [, attempt_id]; the reply is ff_claim's with at most one claim. */
_Static_assert(FF_FN_CLAIM_RESUMED_ITEM_STRIDE == FF_FN_CLAIM_ITEM_STRIDE &&
                   FF_FN_CLAIM_RESUMED_ITEMS_AT == FF_FN_CLAIM_ITEMS_AT && FF_FN_CLAIM_RESUMED_F_N == FF_FN_CLAIM_F_N &&
                   FF_FN_GRANT_AND_CLAIM_ITEM_STRIDE == FF_FN_CLAIM_ITEM_STRIDE &&
                   FF_FN_GRANT_AND_CLAIM_ITEMS_AT == FF_FN_CLAIM_ITEMS_AT &&
                   FF_FN_GRANT_AND_CLAIM_F_N == FF_FN_CLAIM_F_N,
               "the targeted claims reply like ff_claim");
_Static_assert(FF_FN_CLAIM_RECLAIM_NARGS == 8 && FF_FN_CLAIM_RESUMED_NARGS == 6 && FF_FN_GRANT_AND_CLAIM_NARGS == 7,
               "targeted_claim sends the ARGV of lua/reclaim.lua");

static int finish_targeted(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    return parse_claims(op, op->ctx, f, n);
}

/* What a targeted claim sends besides the common ARGV. */
enum {
    TC_TOKEN = 1, /* the reclaim grant's token (ff_claim_reclaim) */
    TC_AID = 2,   /* a fresh attempt id (a resume keeps the interrupted attempt's) */
};

static int targeted_claim(ff_client *c, const char *fname, const char *eid, const char *token, int sends,
                          const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out) {
    int st = c ? ff__check_ptr("claim options", o) : ff__check_ptr("client", c);
    if (st == FF_OK && (sends & TC_TOKEN)) st = ff__check_uuid("reclaim token", token);
    if (st != FF_OK) return st;
    claim_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) return FF_ENOMEM;
    x->instance_id = ff__strdup(o->instance_id);
    x->caps_csv = ff__sorted_csv(o->caps, o->ncaps);
    x->ttl_ms = o->ttl_ms;
    if (x->instance_id == NULL || x->caps_csv == NULL) {
        claim_ctx_free(x);
        return FF_ENOMEM;
    }
    char lid[FF_UUID_STRLEN + 1], aid[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(lid) != 0 || ((sends & TC_AID) && ff__uuid_v4(aid) != 0)) {
        claim_ctx_free(x);
        return FF_ESYS;
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, fname, eid, finish_targeted, &cmd, &st);
    if (op == NULL) {
        claim_ctx_free(x);
        return st;
    }
    op->ctx = x;
    op->ctx_free = claim_ctx_free;
    if (sends & TC_TOKEN) ff__cmd_str(op, cmd, token);
    ff__cmd_str(op, cmd, o->worker_id);
    ff__cmd_str(op, cmd, x->instance_id);
    ff__cmd_str(op, cmd, x->caps_csv);
    ff__cmd_i64(op, cmd, x->ttl_ms);
    ff__cmd_str(op, cmd, lid);
    if (sends & TC_AID) ff__cmd_str(op, cmd, aid);
    return ff__op_submit(op, cb, ud, out);
}

int ff_lease_claim_reclaim(ff_client *c, const char *eid, const char *token, const ff_claim_opts *o, ff_op_cb cb,
                           void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_CLAIM_RECLAIM);
    return targeted_claim(c, FF_FN_CLAIM_RECLAIM, eid, token, TC_TOKEN | TC_AID, o, cb, ud, out);
}

int ff_lease_claim_resumed(ff_client *c, const char *eid, const ff_claim_opts *o, ff_op_cb cb, void *ud,
                           ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_CLAIM_RESUMED);
    return targeted_claim(c, FF_FN_CLAIM_RESUMED, eid, NULL, 0, o, cb, ud, out);
}

int ff_lease_grant_and_claim(ff_client *c, const char *eid, const ff_claim_opts *o, ff_op_cb cb, void *ud,
                             ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_GRANT_AND_CLAIM);
    return targeted_claim(c, FF_FN_GRANT_AND_CLAIM, eid, NULL, TC_AID, o, cb, ud, out);
}

/* ------------------------------------------------------ lease-bound ops */

ff_op *ff__fenced_op(ff_client *c, const ff_claim *cl, const char *fname, ff__op_finish_fn fin, ff__cmd **cmd,
                     int *st) {
    if (cl == NULL) {
        *st = ff__check_ptr("claim", cl);
        return NULL;
    }
    ff_op *op = ff__exec_op(c, fname, cl->execution_id, fin, cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_str(op, *cmd, cl->lease_id);
    ff__cmd_i64(op, *cmd, (int64_t)cl->lease_epoch);
    ff__cmd_str(op, *cmd, cl->attempt_id);
    return op;
}

ff_op *ff__renew_build(ff_client *c, const ff_claim *cl, int *st) {
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_RENEW, ff__finish_text, &cmd, st);
    if (op) ff__cmd_i64(op, cmd, cl->lease_ttl_ms);
    return op;
}

int ff_lease_renew(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_RENEW);
    int st = FF_OK;
    ff_op *op = ff__renew_build(c, cl, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__progress_build(ff_client *c, const ff_claim *cl, int32_t percent, const char *message, int *st) {
    *st = ff__check_range("progress percent", percent, 0, 100);
    if (*st == FF_OK) *st = ff__check_text("progress message", message, 1024, 1);
    if (*st != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_PROGRESS, ff__finish_text, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_i64(op, cmd, percent);
    ff__cmd_str(op, cmd, message ? message : "");
    return op;
}

int ff_lease_progress(ff_client *c, const ff_claim *cl, int32_t percent, const char *message, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_PROGRESS);
    int st = FF_OK;
    ff_op *op = ff__progress_build(c, cl, percent, message, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__complete_build(ff_client *c, const ff_claim *cl, const void *result, size_t len, int *st) {
    if ((*st = ff__check_ptr("client", c)) != FF_OK) return NULL;
    if (result == NULL && len > 0) {
        *st = ff__fail(FF_EINVAL, "result: data is NULL but len is %zu", len);
        return NULL;
    }
    if (len > c->max_payload) {
        *st = ff__fail(FF_ETOOBIG, "result of %zu bytes exceeds the client's limit of %llu bytes", len,
                       (unsigned long long)c->max_payload);
        return NULL;
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_COMPLETE, ff__finish_text, &cmd, st);
    if (op) ff__cmd_arg(op, cmd, result ? result : "", result ? len : 0);
    return op;
}

int ff_lease_complete(ff_client *c, const ff_claim *cl, const void *result, size_t len, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_COMPLETE);
    int st = FF_OK;
    ff_op *op = ff__complete_build(c, cl, result, len, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__fail_build(ff_client *c, const ff_claim *cl, const char *reason, const char *category, uint32_t flags,
                      int *st) {
    if ((*st = ff__check_text("failure reason", reason, 4096, 1)) != FF_OK ||
        (*st = ff__check_text("failure category", category, 128, 1)) != FF_OK)
        return NULL;
    if (flags & ~(uint32_t)FF_FAIL_NO_RETRY) {
        *st = ff__fail(FF_EINVAL, "fail flags 0x%x: only FF_FAIL_NO_RETRY (0x1) is defined", (unsigned)flags);
        return NULL;
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_FAIL, ff__finish_text, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_str(op, cmd, reason ? reason : "");
    ff__cmd_str(op, cmd, category ? category : "");
    /* Jitter randomness comes from the client: server-side math.random is
     * not a dependable entropy source inside functions. */
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = 0;
    char rnd[32];
    snprintf(rnd, sizeof rnd, "%.6f", (double)r / 4294967296.0);
    ff__cmd_str(op, cmd, rnd);
    ff__cmd_str(op, cmd, (flags & FF_FAIL_NO_RETRY) ? "1" : "");
    return op;
}

int ff_lease_fail(ff_client *c, const ff_claim *cl, const char *reason, const char *category, ff_op_cb cb, void *ud,
                  ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_FAIL);
    return ff_lease_fail_with(c, cl, reason, category, 0, cb, ud, out);
}

int ff_lease_fail_with(ff_client *c, const ff_claim *cl, const char *reason, const char *category, uint32_t flags,
                       ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_FAIL_WITH);
    int st = FF_OK;
    ff_op *op = ff__fail_build(c, cl, reason, category, flags, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

ff_op *ff__cancel_build(ff_client *c, const ff_claim *cl, const char *reason, int *st) {
    *st = ff__check_ptr("claim", cl);
    if (*st == FF_OK) *st = ff__check_text("reason", reason, 4096, 1);
    if (*st != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_CANCEL, cl->execution_id, ff__finish_text, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_str(op, cmd, reason ? reason : "");
    ff__cmd_str(op, cmd, "lease_holder");
    ff__cmd_str(op, cmd, cl->lease_id);
    ff__cmd_i64(op, cmd, (int64_t)cl->lease_epoch);
    ff__cmd_str(op, cmd, cl->attempt_id);
    return op;
}

int ff_lease_cancel(ff_client *c, const ff_claim *cl, const char *reason, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_CANCEL);
    int st = FF_OK;
    ff_op *op = ff__cancel_build(c, cl, reason, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

/* The operator cancel sends the same ff_cancel (lua/lease.lua) without a fence. */
int ff_execution_cancel(ff_client *c, const char *eid, const char *reason, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_CANCEL);
    int st0 = ff__check_text("reason", reason, 4096, 1);
    if (st0 != FF_OK) return st0;
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_CANCEL, eid, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, reason ? reason : "");
    ff__cmd_str(op, cmd, "operator_override");
    ff__cmd_str(op, cmd, "");
    ff__cmd_str(op, cmd, "");
    ff__cmd_str(op, cmd, "");
    return ff__op_submit(op, cb, ud, out);
}

ff_op *ff__delay_build(ff_client *c, const ff_claim *cl, int64_t delay_until_ms, int *st) {
    *st = ff__check_range("delay until ms", delay_until_ms, 0, INT64_MAX);
    if (*st != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__fenced_op(c, cl, FF_FN_DELAY, ff__finish_text, &cmd, st);
    if (op) ff__cmd_i64(op, cmd, delay_until_ms);
    return op;
}

int ff_lease_delay(ff_client *c, const ff_claim *cl, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_DELAY);
    int st = FF_OK;
    ff_op *op = ff__delay_build(c, cl, delay_until_ms, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}
