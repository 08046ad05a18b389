/*
 * Claiming work and acting under a lease.
 * All operation functions follow the completion contract in client.h.
 *
 * FENCING: every lease-bound call presents the claim's fence triple
 * (lease_id, lease_epoch, attempt_id). The server rejects a stale fence with
 * FF_STALE_LEASE, an expired lease with FF_LEASE_EXPIRED, a revoked one with
 * FF_LEASE_REVOKED, and an execution that already left the active phase with
 * FF_EXECUTION_NOT_ACTIVE (details: terminal_outcome, lease_epoch,
 * lifecycle_phase, attempt_id). Repeating complete / fail / cancel after a
 * lost reply is recognised by the server and succeeds again.
 */
#ifndef FLOWFABRIC_LEASE_H
#define FLOWFABRIC_LEASE_H

#include "client.h"

FF_EXTERN_C_BEGIN

typedef struct ff_claim_opts ff_claim_opts;

/* ------------------------------------------------------------ claim opts */

/** Defaults: worker id "worker", a random instance id, lane "default", lease
 *  TTL 30000 ms, batch 1. */
FF_API int ff_claim_opts_new(ff_claim_opts **out);
FF_API void ff_claim_opts_free(ff_claim_opts *o);
FF_API int ff_claim_opts_set_worker_id(ff_claim_opts *o, const char *worker_id);
FF_API int ff_claim_opts_set_worker_instance_id(ff_claim_opts *o, const char *instance_id);
/** Replace the default lane on first call; later calls add lanes. */
FF_API int ff_claim_opts_add_lane(ff_claim_opts *o, const char *lane);
FF_API int ff_claim_opts_add_capability(ff_claim_opts *o, const char *token);
/** 1000 .. 3600000 ms. */
FF_API int ff_claim_opts_set_lease_ttl_ms(ff_claim_opts *o, int64_t ttl_ms);
/** Claim up to n executions in one call (1..256). */
FF_API int ff_claim_opts_set_batch(ff_claim_opts *o, uint32_t n);

/* -------------------------------------------------------- claim handles */

/** Claim handles are owned by the caller (ff_op_take_claim) and immutable;
 *  every accessor returns memory borrowed from the handle. Thread-safe reads. */
FF_API void ff_claim_free(ff_claim *cl);
FF_API const char *ff_claim_execution_id(const ff_claim *cl);
FF_API uint32_t ff_claim_attempt_index(const ff_claim *cl);
FF_API const char *ff_claim_attempt_id(const ff_claim *cl);
/** "initial", "retry", "reclaim", "replay" or "resumed". */
FF_API const char *ff_claim_attempt_type(const ff_claim *cl);
FF_API const char *ff_claim_lease_id(const ff_claim *cl);
FF_API uint64_t ff_claim_lease_epoch(const ff_claim *cl);
/** Lease expiry at claim time (server unix ms). */
FF_API int64_t ff_claim_expires_at_ms(const ff_claim *cl);
FF_API int64_t ff_claim_lease_ttl_ms(const ff_claim *cl);
FF_API const void *ff_claim_payload(const ff_claim *cl, size_t *len);
FF_API const char *ff_claim_kind(const ff_claim *cl);
FF_API const char *ff_claim_lane(const ff_claim *cl);
FF_API const char *ff_claim_namespace(const ff_claim *cl);
FF_API const char *ff_claim_worker_instance_id(const ff_claim *cl);
/** Rebuild a handle from its fence (another process, a restarted worker, an
 *  operator tool). Payload and kind are empty. */
FF_API int ff_claim_from_fence(ff_claim **out, const char *execution_id, uint32_t attempt_index,
                               const char *attempt_id, const char *lease_id, uint64_t lease_epoch,
                               int64_t lease_ttl_ms);

/* -------------------------------------------------------------- operations */

/** Claim up to batch executions from the worker's lanes: highest priority
 *  first, FIFO within a priority, only executions whose required
 *  capabilities are a subset of the worker's. Due delayed / retrying
 *  executions of the lane are promoted first. Result: ff_op_claim_count()
 *  (0 when nothing is claimable) and ff_op_take_claim().
 *  @yields claims */
FF_API int ff_lease_claim(ff_client *c, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out);
/** Extend the lease by its TTL. ff_op_int() = new expiry (unix ms).
 *  @yields int */
FF_API int ff_lease_renew(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out);
/** Report progress: percent 0..100 and a message (may be NULL).
 *  @yields none */
FF_API int ff_lease_progress(ff_client *c, const ff_claim *cl, int32_t percent, const char *message,
                             ff_op_cb cb, void *ud, ff_op **out);
/** Complete with result bytes (may be empty). ff_op_text() = "completed".
 *  @yields text */
FF_API int ff_lease_complete(ff_client *c, const ff_claim *cl, const void *result, size_t len,
                             ff_op_cb cb, void *ud, ff_op **out);
/** Fail the attempt. category: free string (e.g. "transient", "permanent");
 *  the policy's retryable_categories decide whether it may retry. Result:
 *  ff_op_text() = "retry_scheduled" (ff_op_int() = retry time, unix ms) or
 *  "terminal_failed".
 *  @yields text, int */
FF_API int ff_lease_fail(ff_client *c, const ff_claim *cl, const char *reason, const char *category,
                         ff_op_cb cb, void *ud, ff_op **out);
/** Flags of ff_lease_fail_with / ff_task_fail_with. */
/** End the execution as failed whatever its retry policy says (retrying
 *  cannot help: bad input, a permanent refusal from a downstream API). */
#define FF_FAIL_NO_RETRY 1
/** ff_lease_fail with @p flags (0 or FF_FAIL_NO_RETRY); ff_lease_fail is
 *  this with flags 0. Result as ff_lease_fail ("terminal_failed" always
 *  with FF_FAIL_NO_RETRY).
 *  @yields text, int */
FF_API int ff_lease_fail_with(ff_client *c, const ff_claim *cl, const char *reason, const char *category,
                              uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
/** Cancel by the lease holder. ff_op_text() = "cancelled".
 *  @yields text */
FF_API int ff_lease_cancel(ff_client *c, const ff_claim *cl, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
/** Operator cancel (no lease needed). ff_op_text() = "cancelled". Repeating
 *  it on an execution this cancel already ended succeeds.
 *  @yields text */
FF_API int ff_execution_cancel(ff_client *c, const char *execution_id, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
/** Release the lease and park the execution until delay_until_ms (server unix
 *  ms); the next claim resumes the SAME attempt with a new epoch.
 *  @yields int */
FF_API int ff_lease_delay(ff_client *c, const ff_claim *cl, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
