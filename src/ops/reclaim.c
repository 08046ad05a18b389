/* The operator's reclaim grant (lua/reclaim.lua; declared in
 * flowfabric/reclaim.h). The granted worker's claim, ff_lease_claim_reclaim,
 * stays in lease.c: it shares ff_claim's options and reply parser. */
#include <stdlib.h>

#include "core/error.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "ops/ops_int.h"

int ff_execution_reclaim_grant(ff_client *c, const char *eid, const char *worker_id, int64_t ttl_ms, ff_op_cb cb,
                               void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_RECLAIM_GRANT);
    int st0 = ff__check_namespace("worker id", worker_id);
    if (st0 == FF_OK) st0 = ff__check_range("grant ttl ms", ttl_ms, 1, 3600000);
    if (st0 != FF_OK) return st0;
    char token[FF_UUID_STRLEN + 1];
    if (ff__uuid_v4(token) != 0) return FF_ESYS;
    int st = FF_OK;
    ff__cmd *cmd = NULL;
    ff_op *op = ff__exec_op(c, FF_FN_RECLAIM_GRANT, eid, ff__finish_text, &cmd, &st);
    if (op == NULL) return st;
    ff__cmd_str(op, cmd, worker_id);
    ff__cmd_str(op, cmd, token);
    ff__cmd_i64(op, cmd, ttl_ms);
    return ff__op_submit(op, cb, ud, out);
}
