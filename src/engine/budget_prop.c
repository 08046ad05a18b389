/* The engine's propagation of budget state changes (docs/budgets.md): a
 * budget on {b:M} whose blocked state changed is marked on EVERY execution
 * partition {fp:0..P-1} (ff_budget_mark; an unmark may take several calls
 * per partition while it returns parked executions to eligible), and only
 * then confirmed on the budget (ff_budget_propagated), so a crash half-way
 * leaves the change queued and the next sweep of {b:M} does it again; the
 * marks are idempotent and ignore older generations. One op of a few
 * pipelined rounds; runs on the client's I/O thread. */
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "engine/engine_int.h"

#define MARK_LIMIT 1000 /* parked executions one mark call moves */

typedef struct prop_ctx {
    uint32_t bpart, partitions;
    size_t n;
    char **bid;
    int64_t *gen;
    char *blocked;     /* the state per change: '0' room, '1' block, '2' cancel pending */
    uint8_t *pending;  /* n * partitions: still to be marked */
    size_t *sent_i;    /* change and partition of each command of the round */
    uint32_t *sent_p;
    size_t nsent;
    int confirming;
    void (*done)(void *, int);
    void *ud;
} prop_ctx;

static void prop_ctx_free(void *p) {
    prop_ctx *x = p;
    if (x == NULL) return;
    for (size_t i = 0; i < x->n; i++) free(x->bid[i]);
    free(x->bid);
    free(x->gen);
    free(x->blocked);
    free(x->pending);
    free(x->sent_i);
    free(x->sent_p);
    free(x);
}

/* One round: a mark for every pending (change, partition), or - none left -
 * the confirmations. Returns 1 when a round was added. */
static int add_round(ff_op *op, prop_ctx *x) {
    char key[200];
    x->nsent = 0;
    for (size_t i = 0; i < x->n; i++) {
        for (uint32_t p = 0; p < x->partitions; p++) {
            if (!x->pending[i * x->partitions + p]) continue;
            ff__key_budget_marks(key, sizeof key, p);
            ff__cmd *cmd = ff__op_fcall(op, FF_FN_BUDGET_MARK, FF_FN_BUDGET_MARK_NKEYS);
            ff__cmd_str(op, cmd, key);
            ff__cmd_str(op, cmd, x->bid[i]);
            ff__cmd_i64(op, cmd, x->gen[i]);
            ff__cmd_arg(op, cmd, &x->blocked[i], 1);
            ff__cmd_i64(op, cmd, MARK_LIMIT);
            x->sent_i[x->nsent] = i;
            x->sent_p[x->nsent++] = p;
        }
    }
    if (x->nsent > 0) return 1;
    if (x->confirming) return 0;
    x->confirming = 1;
    for (size_t i = 0; i < x->n; i++) {
        ff__key_budget(key, sizeof key, x->bpart, x->bid[i]);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_BUDGET_PROPAGATED, FF_FN_BUDGET_PROPAGATED_NKEYS);
        ff__cmd_str(op, cmd, key);
        ff__cmd_str(op, cmd, x->bid[i]);
        ff__cmd_i64(op, cmd, x->gen[i]);
    }
    return 1;
}

static int finish_prop(ff_op *op) {
    prop_ctx *x = op->ctx;
    for (size_t k = 0; k < op->ncmds; k++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[k], &f, &n);
        if (st != FF_OK) return st;
        if (x->confirming) continue;
        if (n < FF_FN_BUDGET_MARK_NFIELDS) return FF_EPROTO;
        const ff_rv *more = f[FF_FN_BUDGET_MARK_F_MORE];
        int again = ff__rv_is_str(more) && strcmp(more->str, "1") == 0;
        x->pending[x->sent_i[k] * x->partitions + x->sent_p[k]] = (uint8_t)again;
    }
    if (x->confirming) return FF_OK;
    ff__op_reset_cmds(op);
    add_round(op, x);
    return op->build_failed ? FF_ENOMEM : FF__CONTINUE;
}

static void on_prop_done(ff_op *op, void *ud) {
    prop_ctx *x = ud;
    x->done(x->ud, ff_op_status(op) == FF_OK);
}

int ff__budget_propagate(ff_client *c, uint32_t bpart, ff_rv *const *items, size_t nitems, uint32_t partitions,
                         void (*done)(void *, int), void *ud) {
    if (nitems == 0 || partitions == 0) return FF_EINVAL;
    prop_ctx *x = calloc(1, sizeof *x);
    ff_op *op = ff__op_new(c, finish_prop);
    size_t cells = nitems * partitions;
    if (x == NULL || op == NULL) goto oom;
    x->bpart = bpart;
    x->partitions = partitions;
    x->done = done;
    x->ud = ud;
    x->bid = calloc(nitems, sizeof *x->bid);
    x->gen = calloc(nitems, sizeof *x->gen);
    x->blocked = calloc(nitems, 1);
    x->pending = malloc(cells);
    x->sent_i = calloc(cells, sizeof *x->sent_i);
    x->sent_p = calloc(cells, sizeof *x->sent_p);
    if (!x->bid || !x->gen || !x->blocked || !x->pending || !x->sent_i || !x->sent_p) goto oom;
    memset(x->pending, 1, cells);
    for (size_t i = 0; i < nitems; i++) {
        ff_rv *const *it = items + i * FF_FN_BUDGET_SWEEP_ITEM_STRIDE;
        const ff_rv *b = it[FF_FN_BUDGET_SWEEP_ITEM_STATE];
        if (!ff__rv_is_str(it[FF_FN_BUDGET_SWEEP_ITEM_BUDGET_ID]) || !ff__rv_is_str(b) ||
            ff__rv_i64(it[FF_FN_BUDGET_SWEEP_ITEM_GENERATION], &x->gen[i]) != 0) {
            prop_ctx_free(x);
            ff__op_discard(op);
            return FF_EPROTO;
        }
        x->blocked[i] = b->str[0] == '1' || b->str[0] == '2' ? b->str[0] : '0';
        if ((x->bid[i] = ff__strdup(it[FF_FN_BUDGET_SWEEP_ITEM_BUDGET_ID]->str)) == NULL) goto oom;
        x->n = i + 1;
    }
    op->ctx = x;
    op->ctx_free = prop_ctx_free;
    add_round(op, x);
    if (op->build_failed) {
        ff__op_discard(op); /* frees x through ctx_free */
        return FF_ENOMEM;
    }
    return ff__op_submit_internal(op, on_prop_done, x);
oom:
    prop_ctx_free(x);
    if (op) ff__op_discard(op);
    return FF_ENOMEM;
}
