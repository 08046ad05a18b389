/*
 * Targeted claims: each leases ONE named execution (ff_lease_claim in
 * lease.h leases a lane's eligible head). Reclaiming an execution whose lease
 * was lost: an operator grants the reclaim to one worker, which then claims
 * it with the token; a worker resumes one interrupted attempt by id; an
 * operator leases one execution to a named worker in one call. They live
 * here, not in lease.h, because they share one server file
 * (lua/reclaim.lua) and one shape (an execution id plus the claim options of
 * lease.h, one claim back), and because lease.h is the worker's everyday
 * surface while most of these are operator tools.
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

/** Claim one specific execution whose interrupted attempt may resume now
 *  (runnable, attempt interrupted: given back by ff_lease_delay, resumed by
 *  a signal, ...), as the worker of @p o (its lanes and batch size are not
 *  used). Result as ff_lease_claim: one claim of attempt type "resumed",
 *  with the interrupted attempt's index and id and the next lease epoch.
 *  Errors (nothing is written): FF_EXECUTION_NOT_FOUND,
 *  FF_EXECUTION_NOT_LEASEABLE (leased, suspended or terminal),
 *  FF_NOT_A_RESUMED_EXECUTION (runnable, but a fresh, retry or replay
 *  attempt is next), FF_EXECUTION_NOT_ELIGIBLE (not eligible now: delayed,
 *  waiting for dependencies), FF_CAPABILITY_MISMATCH, FF_LANE_PAUSED,
 *  FF_BUDGET_EXCEEDED (a budget it draws on is blocked; detail: its id),
 *  FF_CONCURRENCY_LIMIT_EXCEEDED / FF_RATE_LIMIT_EXCEEDED (the lane's
 *  quota), FF_INVALID_INPUT.
 *  @yields claims */
FF_API int ff_lease_claim_resumed(ff_client *c, const char *execution_id, const ff_claim_opts *o, ff_op_cb cb,
                                  void *ud, ff_op **out);
/** Operator: lease one specific execution to the worker of @p o at once,
 *  whatever attempt that starts: a runnable execution that is eligible now
 *  (attempt type "initial", "retry", "replay", or "resumed" when its attempt
 *  was interrupted) or an active one whose lease expired or was revoked
 *  ("reclaim", counted against max_reclaim_count). The worker's
 *  capabilities and the lane's admission are honoured as for any claim.
 *  Result as ff_lease_claim (one claim); hand it to that worker.
 *  Errors: FF_EXECUTION_NOT_LEASEABLE (suspended, terminal), FF_LEASE_CONFLICT
 *  (its lease is live), FF_EXECUTION_NOT_ELIGIBLE, FF_GRANT_ALREADY_EXISTS
 *  (a live reclaim grant names another worker), FF_CAPABILITY_MISMATCH,
 *  FF_LANE_PAUSED, FF_BUDGET_EXCEEDED, FF_CONCURRENCY_LIMIT_EXCEEDED,
 *  FF_RATE_LIMIT_EXCEEDED, FF_EXECUTION_NOT_FOUND, FF_INVALID_INPUT (all
 *  these write nothing), FF_MAX_RETRIES_EXHAUSTED (reclaim cap reached: the
 *  execution is now failed with reason max_reclaims_exceeded, as with
 *  ff_lease_claim_reclaim).
 *  @yields claims */
FF_API int ff_lease_grant_and_claim(ff_client *c, const char *execution_id, const ff_claim_opts *o, ff_op_cb cb,
                                    void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
