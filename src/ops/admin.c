/* Operator actions on one execution: replay, priority change, lease
 * revocation (lua/admin.lua; declared in flowfabric/admin.h). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

int ff_execution_replay(ff_client *c, const char *eid, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_REPLAY);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_REPLAY, eid, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    return ff__op_submit(op, cb, ud, out);
}

static int finish_priority(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    int64_t old = 0;
    if (n > 1) ff__rv_i64(f[1], &old);
    op->ival = old;
    op->text = n > 2 ? ff__rv_strdup(f[2]) : ff__strdup("");
    return FF_OK;
}

int ff_execution_change_priority(ff_client *c, const char *eid, int32_t priority, ff_op_cb cb, void *ud,
                                 ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_CHANGE_PRIORITY);
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_CHANGE_PRIORITY, eid, finish_priority, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_i64(op, cmd, priority);
    return ff__op_submit(op, cb, ud, out);
}

/* {OK, "revoked", lease_id, epoch} | {ALREADY_SATISFIED, "already_..."} */
static int finish_revoke(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < 2) return FF_EPROTO;
    op->text = ff__rv_strdup(f[FF_FN_REVOKE_F_OUTCOME]);
    if (n > FF_FN_REVOKE_F_EPOCH) {
        int64_t epoch = 0;
        if (ff__rv_i64(f[FF_FN_REVOKE_F_EPOCH], &epoch) != 0) return FF_EPROTO;
        op->ival = epoch;
        return ff__take_items(op, f, FF_FN_REVOKE_F_EPOCH, FF_FN_REVOKE_F_LEASE_ID);
    }
    return FF_OK;
}

int ff_execution_revoke_lease(ff_client *c, const char *eid, const char *expected_lease_id, const char *reason,
                              ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_REVOKE_LEASE);
    int st0 = ff__check_text("reason", reason, 4096, 1);
    if (st0 != FF_OK) return st0;
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_REVOKE, eid, finish_revoke, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, expected_lease_id ? expected_lease_id : "");
    ff__cmd_str(op, cmd, reason ? reason : "operator");
    return ff__op_submit(op, cb, ud, out);
}
