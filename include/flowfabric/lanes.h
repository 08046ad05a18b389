/*
 * The lane registry and operator lane pause (server: lua/lanes.lua; the
 * rules: docs/admission.md "Lanes").
 *
 * A lane is listed from the moment it is configured (ff_lane_create) or an
 * execution is first created on it; a configured or paused lane stays
 * listed after retention removed all its executions. A paused lane leases
 * nothing: plain claims (ff_lease_claim, the worker runtime) get no work
 * from it, targeted claims (reclaim grants, resume claims, grant-and-claim)
 * refuse with FF_LANE_PAUSED. Its executions keep their state and their
 * place in the order (public state "waiting"; ff_execution_describe shows
 * eligibility_state "blocked_by_operator", blocking_reason
 * "paused_by_operator"), delayed work still becomes due, and submitting to
 * it still works. Resuming wakes the lane's idle workers at once.
 *
 * The registry and the pause live on the lane's execution partitions, so
 * create, pause and resume are one atomic FCALL per lane shard and the
 * listing asks every partition.
 *
 * All operation functions follow the completion contract in client.h: an
 * error return means the callback never fires; FF_OK means it fires exactly
 * once, never from inside the call. Strings are copied before the call
 * returns. Bad input (a lane that is not 1..64 printable ASCII bytes, a
 * reason over 1024 bytes, a count outside 1..1000) returns FF_EINVAL and
 * nothing is sent.
 */
#ifndef FLOWFABRIC_LANES_H
#define FLOWFABRIC_LANES_H

#include "client.h"

FF_EXTERN_C_BEGIN

/** Configure @p lane (idempotent). Result: ff_op_int() = 1 when it was not
 *  configured before, 0 otherwise.
 *  @yields int */
FF_API int ff_lane_create(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);

/** Pause @p lane (configuring it if needed) with an operator's @p reason
 *  (NULL = ""). A paused lane keeps its first pause time and reason.
 *  Result: ff_op_int() = 1 when this call paused it, 0 when it already was.
 *  @yields int */
FF_API int ff_lane_pause(ff_client *c, const char *lane, const char *reason, ff_op_cb cb, void *ud, ff_op **out);

/** Resume @p lane. Result: ff_op_int() = 1 when it was paused, 0 otherwise.
 *  @yields int */
FF_API int ff_lane_resume(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);

/** One page of the lanes, in byte order: at most @p count (1..1000) after
 *  @p cursor (NULL or "" = from the start). Result: ff_op_json() =
 *  {"lanes": [{"lane", "configured" (bool), "configured_at" (ms or null),
 *  "paused" (bool), "paused_at" (ms or null), "reason" (string or null)},
 *  ...], "next_cursor" (the last lane of this page, null when done)}.
 *  @yields json */
FF_API int ff_lanes_page(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
