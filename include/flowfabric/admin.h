/*
 * Operator actions on one execution: replay, priority change, lease revocation
 * (server: lua/admin.lua). An operator cancel is ff_execution_cancel in
 * lease.h, beside the server function it shares with the lease holder.
 * All operation functions follow the completion contract in client.h.
 */
#ifndef FLOWFABRIC_ADMIN_H
#define FLOWFABRIC_ADMIN_H

#include "client.h"

FF_EXTERN_C_BEGIN

/** Replay a terminal execution (capped by the policy's max_replay_count).
 *  @yields text */
FF_API int ff_execution_replay(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
/** Change the priority of a runnable execution (waiting or delayed; a
 *  waiting one is re-queued at its new place, keeping its original creation
 *  order within the priority). ff_op_int() = old priority.
 *  FF_EXECUTION_NOT_ELIGIBLE for active, suspended or terminal ones.
 *  @yields int */
FF_API int ff_execution_change_priority(ff_client *c, const char *execution_id, int32_t priority, ff_op_cb cb, void *ud, ff_op **out);
/** Operator: revoke the current lease (the holder's later writes fail with
 *  FF_LEASE_REVOKED; the execution becomes claimable again as a reclaim).
 *  expected_lease_id may be NULL/"" for "whatever lease is current".
 *  Result: ff_op_text() = "revoked" with ff_op_item(op, 0) = the revoked
 *  lease id and ff_op_int() = its epoch; or "already_revoked" /
 *  "already_expired" (no lease was current: no item, ff_op_int() = 0).
 *  @yields text, items, int */
FF_API int ff_execution_revoke_lease(ff_client *c, const char *execution_id, const char *expected_lease_id,
                                     const char *reason, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
