/* Child flows (lua/children.lua): a running execution waits for the child
 * flows it spawned (ff_flow_spec_set_parent) and reads their outcomes when
 * it is resumed. The resume itself happens in the server, inside the last
 * child's terminal transition. */
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

static int finish_wait_children(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_WAIT_CHILDREN_NFIELDS) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_WAIT_CHILDREN_F_OUTCOME]);
    int64_t v = 0;
    if (ff__rv_i64(f[FF_FN_WAIT_CHILDREN_F_CHILD_FLOWS], &v) == 0) op->ival = v;
    return op->text ? FF_OK : FF_ENOMEM;
}

static const char *const BEHAVIORS[] = {"fail", "cancel", "expire", "auto_resume", "escalate"};

ff_op *ff__wait_children_build(ff_client *c, const ff_claim *cl, int64_t timeout_ms, const char *behavior, int *st) {
    if ((*st = ff__check_ptr("client", c)) != FF_OK || (*st = ff__check_ptr("claim", cl)) != FF_OK ||
        (*st = ff__check_range("timeout_ms", timeout_ms, 0, 1000000000000000LL)) != FF_OK)
        return NULL;
    if (behavior) {
        int known = 0;
        for (size_t i = 0; i < sizeof BEHAVIORS / sizeof BEHAVIORS[0]; i++) known |= strcmp(behavior, BEHAVIORS[i]) == 0;
        if (!known) {
            *st = ff__fail(FF_EINVAL, "behavior '%s': fail, cancel, expire, auto_resume or escalate", behavior);
            return NULL;
        }
        if (timeout_ms == 0) {
            *st = ff__fail(FF_EINVAL, "behavior '%s' acts on a timeout: set timeout_ms", behavior);
            return NULL;
        }
    }
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_WAIT_CHILDREN, ff_claim_execution_id(cl), finish_wait_children, &cmd, st);
    if (op == NULL) return NULL;
    ff__cmd_str(op, cmd, ff_claim_lease_id(cl));
    ff__cmd_i64(op, cmd, (int64_t)ff_claim_lease_epoch(cl));
    ff__cmd_str(op, cmd, ff_claim_attempt_id(cl));
    if (timeout_ms > 0)
        ff__cmd_i64(op, cmd, timeout_ms);
    else
        ff__cmd_str(op, cmd, "");
    ff__cmd_str(op, cmd, behavior ? behavior : "");
    return op;
}

int ff_lease_wait_children(ff_client *c, const ff_claim *cl, int64_t timeout_ms, const char *behavior, ff_op_cb cb,
                           void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_LEASE_WAIT_CHILDREN);
    int st = FF_OK;
    ff_op *op = ff__wait_children_build(c, cl, timeout_ms, behavior, &st);
    return op ? ff__op_submit(op, cb, ud, out) : st;
}

static int finish_children(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    return ff__take_items(op, f, n, FF_FN_FLOW_CHILDREN_ITEMS_AT);
}

int ff_execution_children(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_CHILDREN);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_FLOW_CHILDREN, execution_id, finish_children, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_readonly(cmd);
    return ff__op_submit(op, cb, ud, out);
}
