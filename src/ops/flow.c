/* Flows (lua/flow.lua): create, membership, edge groups, edges and the
 * flow reads. Resolution itself happens in the server, inside each member's
 * terminal transition (lua/lib/75_edges.lua); nothing here drives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "ops/ops_int.h"

/* The flow record key of a valid flow id (same shape as an execution id). */
static int flow_key(const char *what, const char *fid, char *key, size_t cap, uint32_t *part) {
    int st = ff__check_eid(what, fid);
    if (st != FF_OK) return st;
    ff__eid_parse(fid, part);
    if (ff__key_flow(key, cap, fid) < 0) return ff__fail(FF_EINVAL, "%s: too long", what);
    return FF_OK;
}

/* An id that must be on the flow's partition: checked here, before any
 * command is sent, so a mismatch is typed and costs no round trip. */
static int on_partition(const char *what, const char *eid, uint32_t fpart) {
    int st = ff__check_eid(what, eid);
    if (st != FF_OK) return st;
    uint32_t p = 0;
    ff__eid_parse(eid, &p);
    if (p != fpart)
        return ff__fail(FF_PARTITION_MISMATCH, "%s %s is on partition %u, the flow on %u", what, eid, (unsigned)p,
                        (unsigned)fpart);
    return FF_OK;
}

/* Start an op on FCALL fname with KEYS[1] = the flow record, ARGV[1] = fid. */
static ff_op *flow_op(ff_client *c, const char *fname, const char *key, const char *fid, ff__op_finish_fn fin,
                      ff__cmd **cmd, int *st) {
    ff_op *op = ff__op_new(c, fin);
    if (op == NULL) {
        *st = FF_ENOMEM;
        return NULL;
    }
    *cmd = ff__op_fcall(op, fname, 1);
    ff__cmd_str(op, *cmd, key);
    ff__cmd_str(op, *cmd, fid);
    *st = FF_OK;
    return op;
}

/* ------------------------------------------------------------ create */

static int finish_create(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_CREATE_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_CREATE_F_FLOW_ID]);
    const ff_rv *o = f[FF_FN_FLOW_CREATE_F_OUTCOME];
    op->ival = ff__rv_is_str(o) && strcmp(o->str, "existing") == 0 ? 1 : 0;
    return ff__take_items(op, f, FF_FN_FLOW_CREATE_F_MAX_INCOMING + 1, FF_FN_FLOW_CREATE_F_MAX_MEMBERS);
}

/* Append @p id to the budget CSV *csv holding *n ids (each at most once, at
 * most 16: the server's rules, checked here first). FF_OK, FF_EINVAL or
 * FF_ENOMEM; *csv is unchanged on failure. */
static int budget_csv_add(char **csv, size_t *n, const char *id) {
    int st = ff__check_name("budget id", id, 128);
    if (st != FF_OK) return st;
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-";
    if (id[strspn(id, ok)] != '\0') return ff__fail(FF_EINVAL, "budget id '%s': bytes of [A-Za-z0-9_.:-]", id);
    size_t len = strlen(id), have = *csv ? strlen(*csv) : 0;
    for (const char *p = *csv; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && memcmp(p, id, len) == 0) return ff__fail(FF_EINVAL, "budget %s added twice", id);
        p = e ? e + 1 : p + l;
    }
    if (*n >= 16) return ff__fail(FF_EINVAL, "at most 16 budgets per flow");
    char *grown = realloc(*csv, have + len + 2);
    if (grown == NULL) return FF_ENOMEM;
    if (have) grown[have++] = ',';
    memcpy(grown + have, id, len + 1);
    *csv = grown;
    (*n)++;
    return FF_OK;
}

static int flow_create(ff_client *c, const char *flow_id, const char *lane, int32_t max_members,
                       int32_t max_incoming, const char *budgets, ff_op_cb cb, void *ud, ff_op **out);

int ff_flow_create(ff_client *c, const char *flow_id, const char *lane, int32_t max_members, int32_t max_incoming,
                   ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_CREATE);
    return flow_create(c, flow_id, lane, max_members, max_incoming, "", cb, ud, out);
}

int ff_flow_create_with_budgets(ff_client *c, const char *flow_id, const char *lane, int32_t max_members,
                                int32_t max_incoming, const char *const *budgets, size_t nbudgets, ff_op_cb cb,
                                void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_CREATE_WITH_BUDGETS);
    int st = nbudgets ? ff__check_ptr("budgets", budgets) : FF_OK;
    char *csv = NULL;
    size_t n = 0;
    for (size_t i = 0; st == FF_OK && i < nbudgets; i++) st = budget_csv_add(&csv, &n, budgets[i]);
    if (st == FF_OK) st = flow_create(c, flow_id, lane, max_members, max_incoming, csv ? csv : "", cb, ud, out);
    free(csv);
    return st;
}

static int flow_create(ff_client *c, const char *flow_id, const char *lane, int32_t max_members,
                       int32_t max_incoming, const char *budgets, ff_op_cb cb, void *ud, ff_op **out) {
    int st = ff__check_ptr("client", c);
    if (st == FF_OK && lane) st = ff__check_lane("lane", lane);
    if (st == FF_OK) st = ff__check_range("max_members", max_members, 0, 10000);
    if (st == FF_OK) st = ff__check_range("max_incoming", max_incoming, 0, 1000);
    if (st != FF_OK) return st;
    uint32_t parts = atomic_load(&c->partitions), shards = atomic_load(&c->lane_shards);
    const char *ln = lane ? lane : "default";
    char fid[FF_EID_MAX];
    if (flow_id && flow_id[0]) {
        if ((st = ff__check_eid("flow id", flow_id)) != FF_OK) return st;
        uint32_t p = 0, ok = lane == NULL;
        ff__eid_parse(flow_id, &p);
        for (uint32_t k = 0; k < (shards ? shards : 1) && !ok; k++) ok = ff__lane_partition(ln, k, parts) == p;
        if (!ok)
            return ff__fail(FF_PARTITION_MISMATCH, "flow id %s is on partition %u, which lane '%s' never maps to",
                            flow_id, (unsigned)p, ln);
        snprintf(fid, sizeof fid, "%s", flow_id);
    } else {
        uint32_t r = 0;
        if (shards > 1 && getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = 0;
        if (ff__eid_mint(ff__lane_partition(ln, shards > 1 ? r % shards : 0, parts), fid) != 0) return FF_ESYS;
    }
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    if ((st = flow_key("flow id", fid, key, sizeof key, &part)) != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_CREATE, key, fid, finish_create, &cmd, &st);
    if (op == NULL) return st;
    if (max_members > 0)
        ff__cmd_i64(op, cmd, max_members);
    else
        ff__cmd_str(op, cmd, "");
    if (max_incoming > 0)
        ff__cmd_i64(op, cmd, max_incoming);
    else
        ff__cmd_str(op, cmd, "");
    ff__cmd_str(op, cmd, ln);
    ff__cmd_str(op, cmd, budgets);
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------ members */

static int finish_add_member(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_ADD_MEMBER_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_ADD_MEMBER_F_OUTCOME]);
    int64_t v = 0;
    if (ff__rv_i64(f[FF_FN_FLOW_ADD_MEMBER_F_REVISION], &v) != 0) return FF_EPROTO;
    op->ival = v;
    return FF_OK;
}

int ff_flow_add_member(ff_client *c, const char *flow_id, const char *execution_id, ff_op_cb cb, void *ud,
                       ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_ADD_MEMBER);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK) st = on_partition("execution id", execution_id, part);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_ADD_MEMBER, key, flow_id, finish_add_member, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, execution_id);
    return ff__op_submit(op, cb, ud, out);
}

/* -------------------------------------------------------------- groups */

int ff_flow_set_group(ff_client *c, const char *flow_id, const char *downstream, const char *policy, int32_t k,
                      const char *on_satisfied, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_SET_GROUP);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK) st = on_partition("downstream", downstream, part);
    if (st == FF_OK && policy == NULL) st = ff__fail(FF_INVALID_FLOW_POLICY, "policy is NULL");
    if (st == FF_OK && (k < 0 || k > 1000)) st = ff__fail(FF_INVALID_FLOW_POLICY, "k %d: expected 0..1000", (int)k);
    if (st != FF_OK) return st;
    /* The policy words are checked by the server (one rule, one place); the
     * C side only sends them. all_of sends no k; any_of 0 means 1. */
    int all = strcmp(policy, "all_of") == 0;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_SET_GROUP, key, flow_id, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, downstream);
    ff__cmd_str(op, cmd, policy);
    if (all || k == 0)
        ff__cmd_str(op, cmd, "");
    else
        ff__cmd_i64(op, cmd, k);
    ff__cmd_str(op, cmd, on_satisfied ? on_satisfied : "");
    return ff__op_submit(op, cb, ud, out);
}

/* --------------------------------------------------------------- edges */

static int finish_add_edge(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_ADD_EDGE_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_ADD_EDGE_F_EDGE_ID]);
    int64_t v = 0;
    if (ff__rv_i64(f[FF_FN_FLOW_ADD_EDGE_F_REVISION], &v) != 0) return FF_EPROTO;
    op->ival = v;
    return ff__take_items(op, f, FF_FN_FLOW_ADD_EDGE_F_STATE + 1, FF_FN_FLOW_ADD_EDGE_F_STATE);
}

int ff_flow_add_edge(ff_client *c, const char *flow_id, const char *upstream, const char *downstream,
                     int64_t expected_revision, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_ADD_EDGE);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK) st = on_partition("upstream", upstream, part);
    if (st == FF_OK) st = on_partition("downstream", downstream, part);
    if (st == FF_OK) st = ff__check_range("expected_revision", expected_revision, -1, INT64_MAX);
    if (st == FF_OK && (flags & ~(uint32_t)FF_FLOW_EDGE_DATA) != 0)
        st = ff__fail(FF_EINVAL, "flags 0x%x: only FF_FLOW_EDGE_DATA is defined", (unsigned)flags);
    if (st != FF_OK) return st;
    char edge[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(edge) != 0) return FF_ESYS;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_ADD_EDGE, key, flow_id, finish_add_edge, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, edge);
    ff__cmd_str(op, cmd, upstream);
    ff__cmd_str(op, cmd, downstream);
    if (expected_revision >= 0)
        ff__cmd_i64(op, cmd, expected_revision);
    else
        ff__cmd_str(op, cmd, "");
    ff__cmd_str(op, cmd, (flags & FF_FLOW_EDGE_DATA) ? "1" : "0");
    return ff__op_submit(op, cb, ud, out);
}

/* --------------------------------------------------------------- reads */

/* A JSON document reply field -> ff_op_json (re-dumped with sorted keys,
 * like the execution snapshot); the field after it (if any) -> text. */
static int take_doc(ff_op *op, ff_rv *const *f, size_t n, size_t at, const char *fname) {
    if (n <= at || !ff__rv_is_str(f[at])) return FF_EPROTO;
    json_error_t e;
    op->json_root = json_loadb(f[at]->str, f[at]->len, 0, &e);
    if (op->json_root == NULL || !json_is_object(op->json_root)) {
        ff__op_set_error(op, "%s: not a JSON object: %s", fname, e.text);
        return FF_EPROTO;
    }
    op->json = json_dumps(op->json_root, JSON_COMPACT | JSON_SORT_KEYS);
    if (n > at + 1) op->text = ff__rv_strdup(f[at + 1]);
    return op->json ? FF_OK : FF_ENOMEM;
}

int ff__finish_flow_describe(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_DESCRIBE_NFIELDS) return FF_EPROTO;
    return take_doc(op, f, n, FF_FN_FLOW_DESCRIBE_F_DOC, FF_FN_FLOW_DESCRIBE);
}

int ff_flow_describe(ff_client *c, const char *flow_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_DESCRIBE);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_DESCRIBE, key, flow_id, ff__finish_flow_describe, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

int ff_flow_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                 ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_LIST);
    int st = ff__check_page(c, partition, count);
    if (st != FF_OK) return st;
    if (cursor && cursor[0] && (st = ff__check_eid("cursor", cursor)) != FF_OK) return st;
    char key[64];
    ff__key_flows(key, sizeof key, partition);
    _Static_assert(FF_FN_FLOW_LIST_F_NEXT_CURSOR == 1 && FF_FN_FLOW_LIST_ITEMS_AT == 2, "ff__lex_page reply");
    return ff__lex_page(c, key, FF_FN_FLOW_LIST, cursor, count, cb, ud, out);
}

static int finish_items(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    return ff__take_items(op, f, n, 1);
}

int ff_flow_list_edges(ff_client *c, const char *flow_id, const char *execution_id, const char *direction,
                       ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_LIST_EDGES);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK) st = on_partition("execution id", execution_id, part);
    if (st == FF_OK && (direction == NULL || (strcmp(direction, "in") != 0 && strcmp(direction, "out") != 0)))
        st = ff__fail(FF_EINVAL, "direction: expected \"in\" or \"out\"");
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_EDGES, key, flow_id, finish_items, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, execution_id);
    ff__cmd_str(op, cmd, direction);
    return ff__op_submit(op, cb, ud, out);
}

static int finish_edge(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    return take_doc(op, f, n, FF_FN_FLOW_EDGE_F_DOC, FF_FN_FLOW_EDGE);
}

int ff_flow_describe_edge(ff_client *c, const char *flow_id, const char *edge_id, ff_op_cb cb, void *ud,
                          ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_DESCRIBE_EDGE);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK) st = ff__check_uuid("edge id", edge_id);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_EDGE, key, flow_id, finish_edge, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, edge_id);
    return ff__op_submit(op, cb, ud, out);
}

static int finish_flow_of(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_OF_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_OF_F_FLOW_ID]);
    return FF_OK;
}

int ff_execution_flow_id(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_FLOW_ID);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_FLOW_OF, execution_id, finish_flow_of, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

int ff_execution_parent_results(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_PARENT_RESULTS);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_FLOW_PARENTS, execution_id, finish_items, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}

/* -------------------------------------------------------------- cancel */

static int finish_cancel(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_CANCEL_NFIELDS) return FF_EPROTO;
    const ff_rv *o = f[FF_FN_FLOW_CANCEL_F_OUTCOME];
    op->ival = ff__rv_is_str(o) && strcmp(o->str, "already_cancelled") == 0 ? 1 : 0;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_CANCEL_F_POLICY]);
    return ff__take_items(op, f, n, FF_FN_FLOW_CANCEL_ITEMS_AT);
}

int ff_flow_cancel(ff_client *c, const char *flow_id, const char *policy, const char *reason, ff_op_cb cb, void *ud,
                   ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_CANCEL);
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    int st = ff__check_ptr("client", c);
    if (st == FF_OK) st = flow_key("flow id", flow_id, key, sizeof key, &part);
    if (st == FF_OK && policy == NULL)
        st = ff__fail(FF_INVALID_FLOW_POLICY, "policy is NULL (cancel_all, cancel_pending or flow_only)");
    if (st == FF_OK && reason) st = ff__check_text("reason", reason, 4096, 1);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_CANCEL, key, flow_id, finish_cancel, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, policy);
    ff__cmd_str(op, cmd, reason ? reason : "");
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------ submit: a whole DAG */

struct flow_edge_in {
    uint32_t up, down, flags;
};

struct flow_group_in {
    uint32_t down;
    char *policy;
    int32_t k;
    char *on_satisfied;
};

struct ff_flow_spec {
    char *flow_id; /* NULL = mint at submit */
    char *lane;    /* NULL = "default" */
    char *parent;  /* NULL = not a child flow */
    char *budgets; /* NULL or the CSV every member draws on besides its own */
    size_t nbudgets;
    int32_t max_members, max_incoming;
    ff__spec_args *members;
    size_t nmembers, cap_members;
    struct flow_edge_in *edges;
    size_t nedges, cap_edges;
    struct flow_group_in *groups;
    size_t ngroups, cap_groups;
};

/* Grow *arr (of elem-size items) to hold one more; FF_OK or FF_ENOMEM. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return FF_OK;
    size_t nc = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, nc * elem);
    if (p == NULL) return FF_ENOMEM;
    *arr = p;
    *cap = nc;
    return FF_OK;
}

int ff_flow_spec_new(ff_flow_spec **out, const char *flow_id, const char *lane, int32_t max_members,
                     int32_t max_incoming) {
    int st = ff__check_ptr("out", out);
    if (st != FF_OK) return st;
    *out = NULL;
    if (flow_id && flow_id[0] && (st = ff__check_eid("flow id", flow_id)) != FF_OK) return st;
    if (lane && (st = ff__check_lane("lane", lane)) != FF_OK) return st;
    if ((st = ff__check_range("max_members", max_members, 0, 10000)) != FF_OK) return st;
    if ((st = ff__check_range("max_incoming", max_incoming, 0, 1000)) != FF_OK) return st;
    ff_flow_spec *s = calloc(1, sizeof *s);
    if (s == NULL) return FF_ENOMEM;
    s->max_members = max_members;
    s->max_incoming = max_incoming;
    if ((flow_id && flow_id[0] && (s->flow_id = ff__strdup(flow_id)) == NULL) ||
        (lane && (s->lane = ff__strdup(lane)) == NULL)) {
        ff_flow_spec_free(s);
        return FF_ENOMEM;
    }
    *out = s;
    return FF_OK;
}

void ff_flow_spec_free(ff_flow_spec *s) {
    if (s == NULL) return;
    for (size_t i = 0; i < s->nmembers; i++) ff__spec_args_free(&s->members[i]);
    for (size_t i = 0; i < s->ngroups; i++) {
        free(s->groups[i].policy);
        free(s->groups[i].on_satisfied);
    }
    free(s->members);
    free(s->edges);
    free(s->groups);
    free(s->flow_id);
    free(s->lane);
    free(s->parent);
    free(s->budgets);
    free(s);
}

int ff_flow_spec_add_budget(ff_flow_spec *s, const char *budget_id) {
    int st = ff__check_ptr("spec", s);
    return st == FF_OK ? budget_csv_add(&s->budgets, &s->nbudgets, budget_id) : st;
}

int ff_flow_spec_set_parent(ff_flow_spec *s, const char *parent_id) {
    int st = ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    char *p = NULL;
    if (parent_id && parent_id[0]) {
        if ((st = ff__check_eid("parent execution id", parent_id)) != FF_OK) return st;
        if ((p = ff__strdup(parent_id)) == NULL) return FF_ENOMEM;
    }
    free(s->parent);
    s->parent = p;
    return FF_OK;
}

int ff_flow_spec_add_member(ff_flow_spec *s, const ff_exec_spec *member, uint32_t *index_out) {
    int st = s ? ff__check_ptr("member", member) : ff__check_ptr("spec", s);
    if (st != FF_OK) return st;
    if (s->nmembers >= FF_FLOW_SUBMIT_MAX_MEMBERS)
        return ff__fail(FF_FLOW_LIMIT_EXCEEDED, "submit_flow takes at most %d members",
                        FF_FLOW_SUBMIT_MAX_MEMBERS);
    if ((st = grow((void **)&s->members, &s->cap_members, s->nmembers, sizeof *s->members)) != FF_OK) return st;
    ff__spec_args a;
    if ((st = ff__exec_spec_args(member, &a)) != FF_OK) return st;
    if (a.flow) {
        ff__spec_args_free(&a);
        return ff__fail(FF_EINVAL, "member %zu has a flow (ff_exec_spec_set_flow): submit_flow sets it",
                        s->nmembers);
    }
    if (a.len[FF__SPEC_IDEM] > 0) {
        ff__spec_args_free(&a);
        return ff__fail(FF_EINVAL,
                        "member %zu has an idempotency key: in submit_flow the flow id is the key of the whole DAG",
                        s->nmembers);
    }
    s->members[s->nmembers] = a;
    if (index_out) *index_out = (uint32_t)s->nmembers;
    s->nmembers++;
    return FF_OK;
}

static int member_index(const ff_flow_spec *s, const char *what, uint32_t i) {
    if (i >= s->nmembers)
        return ff__fail(FF_EINVAL, "%s index %u: only %zu members added so far", what, (unsigned)i, s->nmembers);
    return FF_OK;
}

int ff_flow_spec_add_edge(ff_flow_spec *s, uint32_t up, uint32_t down, uint32_t flags) {
    int st = ff__check_ptr("spec", s);
    if (st == FF_OK) st = member_index(s, "upstream", up);
    if (st == FF_OK) st = member_index(s, "downstream", down);
    if (st != FF_OK) return st;
    if (up == down) return ff__fail(FF_EINVAL, "edge %u -> %u: a member cannot wait for itself", up, down);
    if ((flags & ~(uint32_t)FF_FLOW_EDGE_DATA) != 0)
        return ff__fail(FF_EINVAL, "flags 0x%x: only FF_FLOW_EDGE_DATA is defined", (unsigned)flags);
    if (s->nedges >= FF_FLOW_SUBMIT_MAX_EDGES)
        return ff__fail(FF_FLOW_LIMIT_EXCEEDED, "submit_flow takes at most %d edges", FF_FLOW_SUBMIT_MAX_EDGES);
    if ((st = grow((void **)&s->edges, &s->cap_edges, s->nedges, sizeof *s->edges)) != FF_OK) return st;
    s->edges[s->nedges++] = (struct flow_edge_in){up, down, flags};
    return FF_OK;
}

int ff_flow_spec_set_group(ff_flow_spec *s, uint32_t down, const char *policy, int32_t k,
                           const char *on_satisfied) {
    int st = ff__check_ptr("spec", s);
    if (st == FF_OK) st = member_index(s, "downstream", down);
    if (st == FF_OK && policy == NULL) st = ff__fail(FF_EINVAL, "policy is NULL");
    if (st == FF_OK) st = ff__check_range("k", k, 0, 1000);
    if (st != FF_OK) return st;
    char *p = ff__strdup(policy), *o = ff__strdup(on_satisfied ? on_satisfied : "");
    if (p == NULL || o == NULL) {
        free(p);
        free(o);
        return FF_ENOMEM;
    }
    for (size_t i = 0; i < s->ngroups; i++) {
        if (s->groups[i].down == down) {
            free(s->groups[i].policy);
            free(s->groups[i].on_satisfied);
            s->groups[i] = (struct flow_group_in){down, p, k, o};
            return FF_OK;
        }
    }
    if ((st = grow((void **)&s->groups, &s->cap_groups, s->ngroups, sizeof *s->groups)) != FF_OK) {
        free(p);
        free(o);
        return st;
    }
    s->groups[s->ngroups++] = (struct flow_group_in){down, p, k, o};
    return FF_OK;
}

/* Does the lane map to partition p on one of its shards? */
static int lane_reaches_partition(const char *lane, uint32_t p, uint32_t shards, uint32_t parts) {
    for (uint32_t k = 0; k < (shards ? shards : 1); k++)
        if (ff__lane_partition(lane, k, parts) == p) return 1;
    return 0;
}

static int finish_submit(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_SUBMIT_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_FLOW_SUBMIT_F_FLOW_ID]);
    const ff_rv *o = f[FF_FN_FLOW_SUBMIT_F_OUTCOME];
    op->ival = ff__rv_is_str(o) && strcmp(o->str, "existing") == 0 ? 1 : 0;
    return ff__take_items(op, f, n, FF_FN_FLOW_SUBMIT_ITEMS_AT);
}

static void i32_or_empty(ff_op *op, ff__cmd *cmd, int32_t v) {
    if (v > 0)
        ff__cmd_i64(op, cmd, v);
    else
        ff__cmd_str(op, cmd, "");
}

int ff_flow_submit(ff_client *c, const ff_flow_spec *s, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_SUBMIT);
    int st = c ? ff__check_ptr("spec", s) : ff__check_ptr("client", c);
    if (st != FF_OK) return st;
    if (s->nmembers == 0) return ff__fail(FF_EINVAL, "submit_flow: the spec has no member");
    uint32_t parts = atomic_load(&c->partitions), shards = atomic_load(&c->lane_shards);
    const char *ln = s->lane ? s->lane : "default";
    char fid[FF_EID_MAX];
    uint32_t fp = 0;
    if (s->parent) {
        /* a child flow lives on its parent's partition: the last child's
         * ending resumes the parent in the same call */
        ff__eid_parse(s->parent, &fp);
        if (s->flow_id && (st = on_partition("flow id", s->flow_id, fp)) != FF_OK) return st;
        if (s->lane && !lane_reaches_partition(ln, fp, shards, parts))
            return ff__fail(FF_PARTITION_MISMATCH, "lane '%s' never maps to partition %u of the parent %s", ln,
                            (unsigned)fp, s->parent);
        if (s->flow_id)
            snprintf(fid, sizeof fid, "%s", s->flow_id);
        else if (ff__eid_mint(fp, fid) != 0)
            return FF_ESYS;
    } else if (s->flow_id) {
        ff__eid_parse(s->flow_id, &fp);
        if (s->lane && !lane_reaches_partition(ln, fp, shards, parts))
            return ff__fail(FF_PARTITION_MISMATCH, "flow id %s is on partition %u, which lane '%s' never maps to",
                            s->flow_id, (unsigned)fp, ln);
        snprintf(fid, sizeof fid, "%s", s->flow_id);
    } else {
        uint32_t r = 0;
        if (shards > 1 && getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = 0;
        fp = ff__lane_partition(ln, shards > 1 ? r % shards : 0, parts);
        if (ff__eid_mint(fp, fid) != 0) return FF_ESYS;
    }
    /* every member lives on the flow's partition and must be claimable there */
    for (size_t i = 0; i < s->nmembers; i++) {
        const ff__spec_args *m = &s->members[i];
        if (m->payload_len > c->max_payload)
            return ff__fail(FF_ETOOBIG, "member %zu: payload of %zu bytes exceeds the client's limit of %llu bytes",
                            i, m->payload_len, (unsigned long long)c->max_payload);
        if (m->eid && (st = on_partition("member execution id", m->eid, fp)) != FF_OK) return st;
        if (!lane_reaches_partition(m->v[FF__SPEC_LANE], fp, shards, parts))
            return ff__fail(FF_PARTITION_MISMATCH,
                            "member %zu: lane '%s' never maps to partition %u of the flow (it would never be "
                            "claimed)",
                            i, m->v[FF__SPEC_LANE], (unsigned)fp);
    }
    char key[FF_EID_MAX + 16];
    uint32_t part = 0;
    if ((st = flow_key("flow id", fid, key, sizeof key, &part)) != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = flow_op(c, FF_FN_FLOW_SUBMIT, key, fid, finish_submit, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, ln);
    i32_or_empty(op, cmd, s->max_members);
    i32_or_empty(op, cmd, s->max_incoming);
    ff__cmd_i64(op, cmd, (int64_t)s->nmembers);
    ff__cmd_i64(op, cmd, (int64_t)s->ngroups);
    ff__cmd_i64(op, cmd, (int64_t)s->nedges);
    ff__cmd_str(op, cmd, s->parent ? s->parent : "");
    ff__cmd_str(op, cmd, s->budgets ? s->budgets : "");
    for (size_t i = 0; i < s->nmembers; i++) {
        const ff__spec_args *m = &s->members[i];
        char eid[FF_EID_MAX];
        if (m->eid)
            snprintf(eid, sizeof eid, "%s", m->eid);
        else if (ff__eid_mint(fp, eid) != 0) {
            ff__op_discard(op);
            return FF_ESYS;
        }
        ff__cmd_str(op, cmd, eid);
        for (int j = 0; j < FF__SPEC_NARGS; j++) ff__cmd_arg(op, cmd, m->v[j], m->len[j]);
    }
    for (size_t i = 0; i < s->ngroups; i++) {
        const struct flow_group_in *g = &s->groups[i];
        ff__cmd_i64(op, cmd, g->down);
        ff__cmd_str(op, cmd, g->policy);
        /* as ff_flow_set_group: all_of sends no k; any_of 0 means 1 */
        if (strcmp(g->policy, "all_of") == 0 || g->k == 0)
            ff__cmd_str(op, cmd, "");
        else
            ff__cmd_i64(op, cmd, g->k);
        ff__cmd_str(op, cmd, g->on_satisfied);
    }
    for (size_t i = 0; i < s->nedges; i++) {
        char edge[FF_UUID_STRLEN + 1];
        if (ff__uuid_v4(edge) != 0) {
            ff__op_discard(op);
            return FF_ESYS;
        }
        ff__cmd_str(op, cmd, edge);
        ff__cmd_i64(op, cmd, s->edges[i].up);
        ff__cmd_i64(op, cmd, s->edges[i].down);
        ff__cmd_str(op, cmd, (s->edges[i].flags & FF_FLOW_EDGE_DATA) ? "1" : "0");
    }
    return ff__op_submit(op, cb, ud, out);
}
