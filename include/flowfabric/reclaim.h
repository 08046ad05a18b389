/*
 * Reclaiming an execution whose lease was lost: an operator grants the reclaim
 * to one worker, which then claims it with the token (server: lua/reclaim.lua).
 * All operation functions follow the completion contract in client.h.
 */
#ifndef FLOWFABRIC_RECLAIM_H
#define FLOWFABRIC_RECLAIM_H

#include "client.h"
#include "lease.h"

FF_EXTERN_C_BEGIN

/** Operator: grant the reclaim of an execution whose lease expired or was
 *  revoked to one worker (worker_id) for ttl_ms. Until the grant expires,
 *  normal claims by other workers skip the execution. ff_op_text() = the
 *  reclaim token to hand to that worker, ff_op_int() = grant expiry (unix
 *  ms). FF_EXECUTION_NOT_RECLAIMABLE when the lease is intact,
 *  FF_GRANT_ALREADY_EXISTS while another grant is live.
 *  @yields text, int */
FF_API int ff_execution_reclaim_grant(ff_client *c, const char *execution_id, const char *worker_id, int64_t ttl_ms,
                                      ff_op_cb cb, void *ud, ff_op **out);
/** Claim one specific execution with a reclaim token from
 *  ff_execution_reclaim_grant (the worker id in @p o must be the granted
 *  one). Result as ff_lease_claim (one claim, attempt type "reclaim").
 *  Errors: FF_INVALID_CLAIM_GRANT (wrong token or worker),
 *  FF_CLAIM_GRANT_EXPIRED, FF_EXECUTION_NOT_RECLAIMABLE, FF_CAPABILITY_MISMATCH,
 *  FF_MAX_RETRIES_EXHAUSTED (reclaim cap reached: the execution is now
 *  failed with reason max_reclaims_exceeded).
 *  @yields claims */
FF_API int ff_lease_claim_reclaim(ff_client *c, const char *execution_id, const char *token, const ff_claim_opts *o,
                                  ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
