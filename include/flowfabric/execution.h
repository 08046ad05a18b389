/*
 * Executions: submit, read, wait and list. Operator actions on an execution
 * are admin.h; its reclaim is reclaim.h.
 * All operation functions follow the completion contract in client.h.
 */
#ifndef FLOWFABRIC_EXECUTION_H
#define FLOWFABRIC_EXECUTION_H

#include "client.h"

FF_EXTERN_C_BEGIN

typedef struct ff_exec_spec ff_exec_spec;

/* ------------------------------------------------------- submission spec */

/** New spec: namespace "default", lane "default", priority 0, no payload.
 *  Setters copy their arguments and return FF_EINVAL on malformed input
 *  (the server validates again; nothing is written on bad input). */
FF_API int ff_exec_spec_new(ff_exec_spec **out, const char *kind);
FF_API void ff_exec_spec_free(ff_exec_spec *s);
/** 1..128 bytes of printable ASCII. */
FF_API int ff_exec_spec_set_namespace(ff_exec_spec *s, const char *ns);
/** 1..64 bytes, each 0x20..0x7E. */
FF_API int ff_exec_spec_set_lane(ff_exec_spec *s, const char *lane);
FF_API int ff_exec_spec_set_kind(ff_exec_spec *s, const char *kind);
/** Opaque payload bytes (copied). */
FF_API int ff_exec_spec_set_payload(ff_exec_spec *s, const void *data, size_t len);
/** Higher runs first; clamped to 0..9000 by the server. */
FF_API int ff_exec_spec_set_priority(ff_exec_spec *s, int32_t priority);
/** Not claimable before this server time (unix ms). 0 clears. */
FF_API int ff_exec_spec_set_delay_until_ms(ff_exec_spec *s, int64_t unix_ms);
/** Relative form of the above: claimable after delay_ms from the server's now. */
FF_API int ff_exec_spec_set_delay_ms(ff_exec_spec *s, int64_t delay_ms);
/** Absolute execution deadline (unix ms); 0 clears. */
FF_API int ff_exec_spec_set_deadline_ms(ff_exec_spec *s, int64_t unix_ms);
/** Add one required capability token (no commas, spaces or control bytes). */
FF_API int ff_exec_spec_add_capability(ff_exec_spec *s, const char *token);
/** Add one tag (key: printable, no control bytes, <= 128 bytes; value <= 4096). */
FF_API int ff_exec_spec_add_tag(ff_exec_spec *s, const char *key, const char *value);
/** Attach a budget (budget.h; at most 16, each once): the execution draws
 *  on it, and while a budget with on_hard (or on_soft) "block" is at its
 *  limit the execution is not handed to workers (public state
 *  "rate_limited"; docs/budgets.md). Stored in the policy's "budgets" list:
 *  a later ff_exec_spec_set_policy_json replaces it. */
FF_API int ff_exec_spec_add_budget(ff_exec_spec *s, const char *budget_id);
/** The admission group (tenant, customer, API account: 1..128 bytes, no
 *  control bytes; NULL or "" = none): the lane's quota policy holds per
 *  group, a group can be paused, and the lane serves its groups round robin
 *  (quota.h, docs/admission.md). A solo execution is placed on its group's
 *  lane shard, so all of a group's work shares one partition. Stored in the
 *  policy's "group" field: a later ff_exec_spec_set_policy_json replaces it. */
FF_API int ff_exec_spec_set_group(ff_exec_spec *s, const char *group);
/** Full policy document (see docs/concepts.md#policy). Replaces any retry
 *  settings made with ff_exec_spec_set_retry. */
FF_API int ff_exec_spec_set_policy_json(ff_exec_spec *s, const char *json);
/** Retry policy. backoff: "fixed" (delay = initial_ms) or "exponential"
 *  (initial_ms * multiplier^n capped at max_ms, minus up to jitter*delay).
 *  categories: comma-separated retryable failure categories, NULL/"" = all. */
FF_API int ff_exec_spec_set_retry(ff_exec_spec *s, int32_t max_retries, const char *backoff,
                                  int64_t initial_ms, int64_t max_ms, double multiplier,
                                  double jitter, const char *categories);
/** Failure categories that never retry (comma-separated; NULL/"" clears),
 *  the deny-list beside ff_exec_spec_set_retry's allow-list: a failure whose
 *  category is listed ends the execution as failed even with retries left.
 *  Independent of ff_exec_spec_set_retry (either order). */
FF_API int ff_exec_spec_set_non_retryable(ff_exec_spec *s, const char *categories);
/** Per-attempt timeout in ms (0 = none). */
FF_API int ff_exec_spec_set_attempt_timeout_ms(ff_exec_spec *s, int64_t ms);
/** Reclaim cap after lease loss (default 100) and replay cap (default 10); -1 keeps default. */
FF_API int ff_exec_spec_set_limits(ff_exec_spec *s, int32_t max_reclaim_count, int32_t max_replay_count);
/** Idempotency key, scoped to (namespace, lane): a duplicate submit to the
 *  same lane within ttl_ms (default 24 h when 0) returns the first
 *  execution's id and ff_op_int() == 1. The key lives on the lane's
 *  partition so the check and the create are one atomic call; the same key
 *  on another lane is a different key. */
FF_API int ff_exec_spec_set_idempotency_key(ff_exec_spec *s, const char *key, int64_t ttl_ms);
/** Use this execution id instead of minting one ("{fp:N}:<uuid>"); N must be
 *  a partition the lane maps to (else ff_execution_create fails FF_EINVAL). */
FF_API int ff_exec_spec_set_execution_id(ff_exec_spec *s, const char *execution_id);
/** Submit the execution into flow @p flow_id (flow.h; NULL/"" = none): its
 *  id is minted on the flow's partition and the create joins it to the flow
 *  in the same atomic call (FF_FLOW_NOT_FOUND, FF_FLOW_ALREADY_TERMINAL,
 *  FF_FLOW_LIMIT_EXCEEDED write nothing). The lane must map to the flow's
 *  partition, and an id set with ff_exec_spec_set_execution_id must be on
 *  it: else ff_execution_create fails FF_PARTITION_MISMATCH. */
FF_API int ff_exec_spec_set_flow(ff_exec_spec *s, const char *flow_id);

/* -------------------------------------------------------------- operations */

/** Submit. Result: ff_op_execution_id(), ff_op_text() = public state
 *  ("waiting" / "delayed"), ff_op_int() = 1 if this was a duplicate.
 *  @yields execution_id, text, int */
FF_API int ff_execution_create(ff_client *c, const ff_exec_spec *spec, ff_op_cb cb, void *ud, ff_op **out);

/** Full snapshot. Result: ff_op_json() (documented in docs/c-api.md#snapshot)
 *  plus ff_op_json_str/_i64 by path; ff_op_text() = public state.
 *  @yields json, text, execution_id */
FF_API int ff_execution_describe(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
/** Result bytes of a completed execution: ff_op_bytes(). FF_EXECUTION_NOT_TERMINAL
 *  when not finished; empty bytes when it finished without a result.
 *  @yields bytes */
FF_API int ff_execution_result(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
/** Wait until the execution is terminal, then end exactly as
 *  ff_execution_result does (result bytes in ff_op_bytes(), or its error).
 *  Woken by the execution's completion notification, not by polling: the
 *  client opens one subscriber connection for all its waits on first use.
 *  @p timeout_ms (1 .. 30 days) is this op's own deadline, independent of
 *  the client's call timeout: past it the op ends with FF_ETIMEDOUT. Any
 *  number of waits may be pending; they survive reconnects (a completion
 *  missed while disconnected is found by looking again), and end with
 *  FF_ECANCELED when the client is freed. FF_EXECUTION_NOT_FOUND when the
 *  execution does not exist (or was deleted by retention).
 *  @yields bytes */
FF_API int ff_execution_wait(ff_client *c, const char *execution_id, int64_t timeout_ms, ff_op_cb cb, void *ud,
                             ff_op **out);

/** Execution ids of one partition, cursor paging (start with "0"; the listing
 *  is complete when ff_op_cursor() returns "0"). count: 1..1000 per page.
 *  @yields items FF_ITEMS_LIST_PARTITION, cursor */
FF_API int ff_execution_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count,
                             ff_op_cb cb, void *ud, ff_op **out);
/** Execution ids of a lane in one state index: "waiting", "delayed", "active",
 *  "suspended", "completed", "failed", "cancelled", "expired", "skipped",
 *  "rate_limited" (held back by a blocked budget).
 *  Cursor is an opaque string ("" or "0" to start); ordered by index score.
 *  count: 1..1000 per page.
 *  @yields items FF_ITEMS_LIST_LANE, cursor */
FF_API int ff_execution_list_lane(ff_client *c, const char *lane, const char *state, const char *cursor,
                                  uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
/** All lanes that have executions: ff_op_item_count()/ff_op_item().
 *  @yields items FF_ITEMS_LANES */
FF_API int ff_lanes_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
/** Counts of one lane per lane index: ff_op_json() = {"waiting":n,
 *  "delayed":n, "active":n, "suspended":n, "completed":n, "failed":n,
 *  "cancelled":n, "expired":n, "skipped":n, "blocked":n, "rate_limited":n}.
 *  "waiting" counts everything claimable, including executions whose lease
 *  was lost and that wait to be reclaimed (their public state is still
 *  "active"); "blocked" the flow members waiting for their dependencies
 *  (public state "waiting_children", never claimed until their edge group
 *  is decided); "rate_limited" the executions a blocked budget holds back
 *  (docs/budgets.md).
 *  @yields json */
FF_API int ff_lane_counts(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
