/* Budgets (lua/budget.lua, docs/budgets.md): the definition spec, the
 * budget partition of an id, and the budget calls. Every call but the
 * usage report is one FCALL on the budget's {b:M} slot; the report first
 * asks the execution's {fp:N} slot whether the claim still holds the lease
 * (ff_lease_current), then reports: two rounds of one op, because one
 * FCALL cannot touch both slots. */
#include <stdlib.h>
#include <string.h>

#include "core/crc16.h"
#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

#define MAX_DIMS 64
#define KEY_MAX 200

struct ff_budget_spec {
    char *scope_type, *scope_id, *on_hard, *on_soft;
    int64_t interval;
    size_t n;
    char *name[MAX_DIMS];
    int64_t hard[MAX_DIMS], soft[MAX_DIMS];
};

/* ------------------------------------------------------------ the spec */

static int set_str(char **slot, const char *v) {
    char *d = ff__strdup(v);
    if (d == NULL) return FF_ENOMEM;
    free(*slot);
    *slot = d;
    return FF_OK;
}

int ff_budget_spec_new(ff_budget_spec **out) {
    int st = ff__check_ptr("out", out);
    if (st != FF_OK) return st;
    ff_budget_spec *s = calloc(1, sizeof *s);
    if (s == NULL || set_str(&s->scope_type, "global") || set_str(&s->scope_id, "") ||
        set_str(&s->on_hard, "notify") || set_str(&s->on_soft, "notify")) {
        ff_budget_spec_free(s);
        return FF_ENOMEM;
    }
    *out = s;
    return FF_OK;
}

void ff_budget_spec_free(ff_budget_spec *s) {
    if (s == NULL) return;
    free(s->scope_type);
    free(s->scope_id);
    free(s->on_hard);
    free(s->on_soft);
    for (size_t i = 0; i < s->n; i++) free(s->name[i]);
    free(s);
}

int ff_budget_spec_set_scope(ff_budget_spec *s, const char *scope_type, const char *scope_id) {
    int st = ff__check_ptr("budget spec", s);
    if (st == FF_OK) st = ff__check_name("scope_type", scope_type, 32);
    if (st == FF_OK) st = ff__check_text("scope_id", scope_id, 256, 1);
    if (st != FF_OK) return st;
    if ((st = set_str(&s->scope_type, scope_type)) != FF_OK) return st;
    return set_str(&s->scope_id, scope_id ? scope_id : "");
}

int ff_budget_spec_set_actions(ff_budget_spec *s, const char *on_hard, const char *on_soft) {
    int st = ff__check_ptr("budget spec", s);
    if (st == FF_OK && on_hard && strcmp(on_hard, "block") && strcmp(on_hard, "cancel_pending") &&
        strcmp(on_hard, "notify"))
        st = ff__fail(FF_EINVAL, "on_hard '%s': expected block, cancel_pending or notify", on_hard);
    if (st == FF_OK && on_soft && strcmp(on_soft, "notify") && strcmp(on_soft, "block"))
        st = ff__fail(FF_EINVAL, "on_soft '%s': expected notify or block", on_soft);
    if (st == FF_OK && on_hard) st = set_str(&s->on_hard, on_hard);
    if (st == FF_OK && on_soft) st = set_str(&s->on_soft, on_soft);
    return st;
}

int ff_budget_spec_set_reset_interval(ff_budget_spec *s, int64_t ms) {
    int st = ff__check_ptr("budget spec", s);
    if (st == FF_OK) st = ff__check_range("reset interval (ms)", ms, 0, 31622400000LL);
    if (st == FF_OK) s->interval = ms;
    return st;
}

int ff_budget_spec_add_dimension(ff_budget_spec *s, const char *name, int64_t hard, int64_t soft) {
    int st = ff__check_ptr("budget spec", s);
    if (st == FF_OK) st = ff__check_name("dimension", name, 64);
    if (st == FF_OK) st = ff__check_range("hard limit", hard, 0, 9007199254740991LL);
    if (st == FF_OK) st = ff__check_range("soft limit", soft, 0, 9007199254740991LL);
    if (st == FF_OK && hard > 0 && soft > hard)
        st = ff__fail(FF_EINVAL, "dimension %s: soft limit %lld above the hard limit %lld", name, (long long)soft,
                      (long long)hard);
    if (st == FF_OK && s->n >= MAX_DIMS) st = ff__fail(FF_EINVAL, "at most %d dimensions", MAX_DIMS);
    for (size_t i = 0; st == FF_OK && i < s->n; i++)
        if (strcmp(s->name[i], name) == 0) st = ff__fail(FF_EINVAL, "dimension %s given twice", name);
    if (st != FF_OK) return st;
    if ((s->name[s->n] = ff__strdup(name)) == NULL) return FF_ENOMEM;
    s->hard[s->n] = hard;
    s->soft[s->n] = soft;
    s->n++;
    return FF_OK;
}

/* -------------------------------------------------------- id and keys */

static int id_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           ch == '.' || ch == ':' || ch == '-';
}

static int check_budget_id(const char *id) {
    char q[80];
    if (id == NULL) return ff__fail(FF_EINVAL, "budget id is NULL");
    size_t n = strlen(id);
    int ok = n >= 1 && n <= 128;
    for (size_t i = 0; ok && i < n; i++) ok = id_char(id[i]);
    if (!ok) return ff__fail(FF_EINVAL, "budget id %s: expected 1..128 bytes of [A-Za-z0-9_.:-]", ff__quote(id, q, sizeof q));
    return FF_OK;
}

uint32_t ff_budget_partition(const ff_client *c, const char *budget_id) {
    uint32_t parts = ff_client_partitions(c);
    if (budget_id == NULL || parts == 0) return 0;
    return (uint32_t)ff__crc16(budget_id, strlen(budget_id)) % parts;
}

/* Start an op on FCALL fname with KEYS[1] = the budget record, ARGV[1] = id. */
static ff_op *budget_op(ff_client *c, const char *fname, const char *bid, ff__op_finish_fn fin, ff__cmd **cmd,
                        int *st) {
    *st = ff__check_ptr("client", c);
    if (*st == FF_OK) *st = check_budget_id(bid);
    if (*st != FF_OK) return NULL;
    char key[KEY_MAX];
    ff__key_budget(key, sizeof key, ff_budget_partition(c, bid), bid);
    ff_op *op = ff__op_new(c, fin);
    if (op == NULL) {
        *st = FF_ENOMEM;
        return NULL;
    }
    *cmd = ff__op_fcall(op, fname, 1);
    ff__cmd_str(op, *cmd, key);
    ff__cmd_str(op, *cmd, bid);
    return op;
}

static void add_dims(ff_op *op, ff__cmd *cmd, const ff_budget_spec *s) {
    for (size_t i = 0; i < s->n; i++) {
        ff__cmd_str(op, cmd, s->name[i]);
        ff__cmd_i64(op, cmd, s->hard[i]);
        ff__cmd_i64(op, cmd, s->soft[i]);
    }
}

/* ---------------------------------------------------- create / update */

static int finish_create(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_CREATE_BUDGET_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_CREATE_BUDGET_F_OUTCOME]);
    const ff_rv *same = f[FF_FN_CREATE_BUDGET_F_SAME];
    op->ival = ff__rv_is_str(same) && strcmp(same->str, "1") == 0;
    return ff__take_items(op, f, FF_FN_CREATE_BUDGET_F_NEXT_RESET_AT + 1, FF_FN_CREATE_BUDGET_F_NEXT_RESET_AT);
}

int ff_budget_create(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud,
                     ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_CREATE);
    int st = ff__check_ptr("budget spec", s);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_CREATE_BUDGET, budget_id, finish_create, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, s->scope_type);
    ff__cmd_str(op, cmd, s->scope_id);
    ff__cmd_str(op, cmd, s->on_hard);
    ff__cmd_str(op, cmd, s->on_soft);
    ff__cmd_i64(op, cmd, s->interval);
    add_dims(op, cmd, s);
    return ff__op_submit(op, cb, ud, out);
}

int ff_budget_update(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud,
                     ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_UPDATE);
    int st = ff__check_ptr("budget spec", s);
    if (st == FF_OK && s->n == 0) st = ff__fail(FF_EINVAL, "budget spec: no dimension to update");
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_UPDATE_BUDGET_LIMITS, budget_id, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    add_dims(op, cmd, s);
    return ff__op_submit(op, cb, ud, out);
}

/* --------------------------------------------------------------- report */

/* The report command, kept for round 2 while round 1 checks the lease. */
typedef struct report_ctx {
    ff__cmd saved;
    int checked; /* round 1 (the lease check) is done */
} report_ctx;

static void report_ctx_free(void *p) {
    report_ctx *x = p;
    if (x == NULL) return;
    for (int i = 0; i < x->saved.argc; i++) free(x->saved.argv[i]);
    free(x->saved.argv);
    free(x->saved.argvlen);
    free(x);
}

static int finish_report(ff_op *op) {
    report_ctx *x = op->ctx;
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (x && !x->checked) {
        /* the lease is current: send the report itself */
        x->checked = 1;
        ff__op_reset_cmds(op);
        ff__cmd *cmd = ff__op_add_cmd(op);
        for (int i = 0; cmd && i < x->saved.argc; i++) ff__cmd_arg(op, cmd, x->saved.argv[i], x->saved.argvlen[i]);
        return op->build_failed ? FF_ENOMEM : FF__CONTINUE;
    }
    if (n < FF_FN_REPORT_USAGE_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_REPORT_USAGE_F_OUTCOME]);
    return ff__take_items(op, f, FF_FN_REPORT_USAGE_F_LIMIT + 1, FF_FN_REPORT_USAGE_F_DIMENSION);
}

/* Move the command @p cmd out of the op into x->saved (the op keeps its
 * command slot count; round 1 replaces its commands anyway). */
static int save_cmd(report_ctx *x, ff__cmd *cmd) {
    x->saved = *cmd;
    memset(cmd, 0, sizeof *cmd);
    return FF_OK;
}

ff_op *ff__report_usage_build(ff_client *c, const ff_claim *cl, const char *budget_id,
                              const char *const *dimensions, const int64_t *deltas, size_t n, const char *dedup_key,
                              int *stp) {
    int st = FF_OK;
    if (n < 1 || n > MAX_DIMS) st = ff__fail(FF_EINVAL, "n %zu: expected 1..%d dimensions", n, MAX_DIMS);
    if (st == FF_OK) st = ff__check_ptr("dimensions", dimensions);
    if (st == FF_OK) st = ff__check_ptr("deltas", deltas);
    for (size_t i = 0; st == FF_OK && i < n; i++) {
        st = ff__check_name("dimension", dimensions[i], 64);
        if (st == FF_OK) st = ff__check_range("delta", deltas[i], 0, 9007199254740991LL);
    }
    if (st == FF_OK) st = ff__check_text("dedup key", dedup_key, 256, 1);
    if (st == FF_OK && cl) st = ff__check_eid("claim execution id", cl->execution_id);
    *stp = st;
    if (st != FF_OK) return NULL;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_REPORT_USAGE, budget_id, finish_report, &cmd, stp);
    if (op == NULL) return NULL;
    ff__cmd_str(op, cmd, cl ? cl->execution_id : "");
    ff__cmd_str(op, cmd, dedup_key ? dedup_key : "");
    for (size_t i = 0; i < n; i++) {
        ff__cmd_str(op, cmd, dimensions[i]);
        ff__cmd_i64(op, cmd, deltas[i]);
    }
    if (cl == NULL) return op;

    /* round 1: the fence, read on the execution's own slot */
    report_ctx *x = calloc(1, sizeof *x);
    if (x == NULL || op->build_failed) {
        free(x);
        ff__op_discard(op);
        *stp = FF_ENOMEM;
        return NULL;
    }
    save_cmd(x, cmd);
    op->ctx = x;
    op->ctx_free = report_ctx_free;
    ff__op_reset_cmds(op);
    char core[FF_EID_MAX + 16];
    ff__key_core(core, sizeof core, cl->execution_id);
    ff__cmd *chk = ff__op_fcall(op, FF_FN_LEASE_CURRENT, FF_FN_LEASE_CURRENT_NKEYS);
    ff__cmd_readonly(chk);
    ff__cmd_str(op, chk, core);
    ff__cmd_str(op, chk, cl->execution_id);
    ff__cmd_str(op, chk, cl->lease_id);
    ff__cmd_i64(op, chk, (int64_t)cl->lease_epoch);
    ff__cmd_str(op, chk, cl->attempt_id);
    return op;
}

int ff_budget_report_usage(ff_client *c, const ff_claim *cl, const char *budget_id, const char *const *dimensions,
                           const int64_t *deltas, size_t n, const char *dedup_key, ff_op_cb cb, void *ud,
                           ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_REPORT_USAGE);
    int st = FF_OK;
    ff_op *op = ff__report_usage_build(c, cl, budget_id, dimensions, deltas, n, dedup_key, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

/* ------------------------------------------------------ release / reset */

int ff_budget_release(ff_client *c, const char *budget_id, const char *execution_id, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_RELEASE);
    int st = ff__check_eid("execution id", execution_id);
    if (st != FF_OK) return st;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_RELEASE_BUDGET, budget_id, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, execution_id);
    return ff__op_submit(op, cb, ud, out);
}

static int finish_reset(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t v = 0;
    if (n < FF_FN_RESET_BUDGET_NFIELDS || ff__rv_i64(f[FF_FN_RESET_BUDGET_F_RESET_COUNT], &v) != 0) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_RESET_BUDGET_F_NEXT_RESET_AT]);
    op->ival = v;
    return op->text ? FF_OK : FF_ENOMEM;
}

int ff_budget_reset(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_RESET);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_RESET_BUDGET, budget_id, finish_reset, &cmd, &st);
    if (op == NULL) return st;
    return ff__op_submit(op, cb, ud, out);
}

/* ------------------------------------------------------------- reads */

/* A reply field as a JSON integer ("" = 0), or NULL when it is not one. */
static json_t *jint(const ff_rv *v) {
    int64_t x = 0;
    if (ff__rv_is_str(v) && v->str[0] == '\0') return json_integer(0);
    if (ff__rv_i64(v, &x) != 0) return NULL;
    return json_integer(x);
}

static int finish_describe(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    size_t at = FF_FN_DESCRIBE_BUDGET_ITEMS_AT;
    if (n < at || (n - at) % FF_FN_DESCRIBE_BUDGET_ITEM_STRIDE != 0) return FF_EPROTO;
    static const struct {
        const char *name;
        size_t field;
        int integer;
    } cols[] = {
        {"scope_type", FF_FN_DESCRIBE_BUDGET_F_SCOPE_TYPE, 0},
        {"scope_id", FF_FN_DESCRIBE_BUDGET_F_SCOPE_ID, 0},
        {"on_hard", FF_FN_DESCRIBE_BUDGET_F_ON_HARD, 0},
        {"on_soft", FF_FN_DESCRIBE_BUDGET_F_ON_SOFT, 0},
        {"reset_interval_ms", FF_FN_DESCRIBE_BUDGET_F_RESET_INTERVAL_MS, 1},
        {"created_at", FF_FN_DESCRIBE_BUDGET_F_CREATED_AT, 1},
        {"next_reset_at", FF_FN_DESCRIBE_BUDGET_F_NEXT_RESET_AT, 1},
        {"reset_count", FF_FN_DESCRIBE_BUDGET_F_RESET_COUNT, 1},
        {"breaches", FF_FN_DESCRIBE_BUDGET_F_BREACHES, 1},
        {"soft_breaches", FF_FN_DESCRIBE_BUDGET_F_SOFT_BREACHES, 1},
        {"last_breach_at", FF_FN_DESCRIBE_BUDGET_F_LAST_BREACH_AT, 1},
        {"last_breach_dim", FF_FN_DESCRIBE_BUDGET_F_LAST_BREACH_DIM, 0},
        {"last_reset_at", FF_FN_DESCRIBE_BUDGET_F_LAST_RESET_AT, 1},
        {"executions", FF_FN_DESCRIBE_BUDGET_F_EXECUTIONS, 1},
    };
    json_t *o = json_object(), *dims = json_object();
    int bad = o == NULL || dims == NULL;
    const char *bid = op->ctx;
    if (!bad) bad = json_object_set_new(o, "budget_id", json_string(bid ? bid : "")) != 0;
    for (size_t i = 0; !bad && i < sizeof cols / sizeof cols[0]; i++) {
        const ff_rv *v = f[cols[i].field];
        json_t *j = cols[i].integer ? jint(v) : (ff__rv_is_str(v) ? json_string(v->str) : NULL);
        bad = j == NULL || json_object_set_new(o, cols[i].name, j) != 0;
    }
    for (size_t i = at; !bad && i < n; i += FF_FN_DESCRIBE_BUDGET_ITEM_STRIDE) {
        json_t *d = json_object();
        json_t *h = jint(f[i + 1]), *s = jint(f[i + 2]), *u = jint(f[i + 3]);
        bad = d == NULL || h == NULL || s == NULL || u == NULL || !ff__rv_is_str(f[i]);
        if (!bad) {
            json_object_set_new(d, "hard", h);
            json_object_set_new(d, "soft", s);
            json_object_set_new(d, "usage", u);
            bad = json_object_set_new(dims, f[i]->str, d) != 0;
        } else {
            json_decref(d);
            json_decref(h);
            json_decref(s);
            json_decref(u);
        }
    }
    if (!bad) bad = json_object_set_new(o, "dimensions", dims) != 0;
    else json_decref(dims);
    if (bad) {
        json_decref(o);
        return FF_EPROTO;
    }
    op->json_root = o;
    op->json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    return op->json ? FF_OK : FF_ENOMEM;
}

int ff_budget_describe(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_DESCRIBE);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = budget_op(c, FF_FN_DESCRIBE_BUDGET, budget_id, finish_describe, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    op->ctx = ff__strdup(budget_id);
    op->ctx_free = free;
    if (op->ctx == NULL) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    return ff__op_submit(op, cb, ud, out);
}

int ff_budget_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                   ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_BUDGET_LIST);
    int st = ff__check_page(c, partition, count);
    if (st == FF_OK && cursor && cursor[0]) st = check_budget_id(cursor);
    if (st != FF_OK) return st;
    char key[64];
    ff__key_budgets(key, sizeof key, partition);
    _Static_assert(FF_FN_LIST_BUDGETS_F_NEXT_CURSOR == 1 && FF_FN_LIST_BUDGETS_ITEMS_AT == 2, "ff__lex_page reply");
    return ff__lex_page(c, key, FF_FN_LIST_BUDGETS, cursor, count, cb, ud, out);
}
