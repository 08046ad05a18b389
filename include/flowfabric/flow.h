/*
 * Flows: DAGs of executions whose dependencies resolve inside the terminal
 * transition of each member (server: lua/flow.lua and lua/lib/75_edges.lua;
 * concepts and policies: docs/flows.md).
 *
 * A flow id is "{fp:N}:<uuid>", like an execution id: N is the flow's
 * partition, and every member lives on it (ff_exec_spec_set_flow mints the
 * member there), so one atomic call resolves a member's edges, counts it and
 * releases, skips or cancels the members downstream. Members are claimed
 * from their lane's partitions: a member's lane must map to the flow's
 * partition (the flow's own lane always does).
 *
 * All operation functions follow the completion contract in client.h: an
 * error return means the callback never fires; FF_OK means it fires exactly
 * once, never from inside the call. Every call may be made from any thread;
 * strings are copied before the call returns. Server refusals carry their
 * detail in ff_op_detail().
 */
#ifndef FLOWFABRIC_FLOW_H
#define FLOWFABRIC_FLOW_H

#include "client.h"

FF_EXTERN_C_BEGIN

/** ff_flow_add_edge flag: the downstream may read the upstream's result
 *  (ff_execution_parent_results). */
#define FF_FLOW_EDGE_DATA 1

/** Create a flow. flow_id: NULL/"" mints a fresh id on a partition of
 *  @p lane (NULL = "default"); a given id must be "{fp:N}:<uuid>" (with a
 *  lane, N must be one of the lane's partitions). max_members (1..10000) and
 *  max_incoming (incoming edges per member, 1..1000): 0 = the defaults 1000
 *  and 100. Idempotent: creating an existing id changes nothing and returns
 *  the stored flow with its stored limits.
 *  Result: ff_op_text() = the flow id, ff_op_int() = 1 when it already
 *  existed (0 when created now), ff_op_item(op, 0) / (op, 1) = the stored
 *  max_members / max_incoming.
 *  @yields text, int, items */
FF_API int ff_flow_create(ff_client *c, const char *flow_id, const char *lane, int32_t max_members,
                          int32_t max_incoming, ff_op_cb cb, void *ud, ff_op **out);

/** Add an existing execution to a flow, as one atomic validated step (a
 *  refusal writes nothing): FF_PARTITION_MISMATCH when the execution is on
 *  another partition (checked before sending), FF_FLOW_NOT_FOUND,
 *  FF_EXECUTION_NOT_FOUND, FF_EXECUTION_ALREADY_IN_FLOW (member of another
 *  flow; detail 0 = that flow), FF_FLOW_ALREADY_TERMINAL (the flow is
 *  completed, failed or cancelled), FF_FLOW_LIMIT_EXCEEDED.
 *  Result: ff_op_text() = "added" or "already_member" (a repeat),
 *  ff_op_int() = the graph revision.
 *  @yields text, int */
FF_API int ff_flow_add_member(ff_client *c, const char *flow_id, const char *execution_id, ff_op_cb cb, void *ud,
                              ff_op **out);

/** Set the policy of the group of edges INTO @p downstream, before any edge
 *  into it is staged (afterwards: FF_EDGE_GROUP_POLICY_FIXED). policy:
 *  "all_of" (the default: every upstream must succeed; k and on_satisfied
 *  unused, pass 0 and NULL), "any_of" (k = 1, pass 0 or 1) or "quorum"
 *  (k successes of n, k >= 1); on_satisfied for any_of/quorum:
 *  "cancel_remaining" (once the group is decided, the upstreams still
 *  running are cancelled, reason sibling_quorum_satisfied or
 *  sibling_quorum_impossible) or "let_run". Anything else:
 *  FF_INVALID_FLOW_POLICY. Restating the same policy is a no-op.
 *  Result: ff_op_text() = "set" or "already_set".
 *  @yields text */
FF_API int ff_flow_set_group(ff_client *c, const char *flow_id, const char *downstream, const char *policy,
                             int32_t k, const char *on_satisfied, ff_op_cb cb, void *ud, ff_op **out);

/** Stage the edge upstream -> downstream: the downstream waits (blocked by
 *  dependencies, never claimed) until its group is decided. The call fails,
 *  writing nothing, with FF_STALE_GRAPH_REVISION when expected_revision
 *  (>= 0; -1 = do not check) is not the flow's current revision (detail 0 =
 *  the current one), FF_SELF_REFERENCING_EDGE, FF_CYCLE_DETECTED,
 *  FF_EXECUTION_NOT_IN_FLOW (detail 0 = the id), FF_DEPENDENCY_ALREADY_EXISTS,
 *  FF_DOWNSTREAM_RELEASED (the downstream started, or its group was already
 *  decided), FF_FLOW_LIMIT_EXCEEDED (max_incoming), FF_FLOW_ALREADY_TERMINAL,
 *  FF_PARTITION_MISMATCH. flags: FF_FLOW_EDGE_DATA or 0. An upstream that
 *  already ended resolves the edge in the same call.
 *  Result: ff_op_text() = the new edge id, ff_op_int() = the new graph
 *  revision, ff_op_item(op, 0) = the edge state (pending, satisfied or
 *  impossible).
 *  @yields text, int, items */
FF_API int ff_flow_add_edge(ff_client *c, const char *flow_id, const char *upstream, const char *downstream,
                            int64_t expected_revision, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);

/** The flow: ff_op_json() = {"flow_id", "partition", "state" (open |
 *  running | completed | failed | cancelled, derived from counters kept on
 *  write), "revision", "created_at", "lane", "limits": {"max_members",
 *  "max_incoming_edges"}, "counts": {"members", "started", "ended",
 *  "not_ended", "completed", "failed", "cancelled", "expired", "skipped"},
 *  "edge_count", "members": [{"execution_id", "public_state"}], "edges":
 *  [{"edge_id", "upstream", "downstream", "state", "data_passing",
 *  "created_at", "resolved_at", "upstream_outcome"}], "groups":
 *  [{"downstream", "policy", "k", "n", "on_satisfied", "satisfied",
 *  "failed", "state"}]} (keys sorted); ff_op_text() = the state.
 *  FF_FLOW_NOT_FOUND; FF_CORRUPT_RECORD naming the key and field (details).
 *  @yields json, text */
FF_API int ff_flow_describe(ff_client *c, const char *flow_id, ff_op_cb cb, void *ud, ff_op **out);

/** One page of the flow ids of @p partition, in byte order after the
 *  exclusive @p cursor (NULL/"" = from the start; pass the previous
 *  ff_op_cursor()), at most count (1..1000). Items: FF_ITEMS_FLOW_LIST_*;
 *  ff_op_cursor() = "" when the listing is complete.
 *  @yields items, cursor */
FF_API int ff_flow_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                        ff_op **out);

/** The edges into (direction "in") or out of ("out") one member, by edge
 *  id. Items: FF_ITEMS_FLOW_EDGES_* (edge_id, upstream, downstream, state).
 *  @yields items */
FF_API int ff_flow_list_edges(ff_client *c, const char *flow_id, const char *execution_id, const char *direction,
                              ff_op_cb cb, void *ud, ff_op **out);

/** One edge: ff_op_json() = the edge document of ff_flow_describe.
 *  FF_EDGE_NOT_FOUND, FF_FLOW_NOT_FOUND, FF_CORRUPT_RECORD.
 *  @yields json */
FF_API int ff_flow_describe_edge(ff_client *c, const char *flow_id, const char *edge_id, ff_op_cb cb, void *ud,
                                 ff_op **out);

/** The flow an execution belongs to: ff_op_text() = its id, "" when the
 *  execution is in no flow. FF_EXECUTION_NOT_FOUND.
 *  @yields text */
FF_API int ff_execution_flow_id(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);

/** The upstream members of an execution, by id, with what their edges
 *  carry: items FF_ITEMS_FLOW_PARENTS_* (upstream, edge_id, edge state,
 *  has_result "1"/"0", result bytes: ff_op_item_bytes). A result is carried
 *  only by an edge staged with FF_FLOW_EDGE_DATA whose upstream completed.
 *  An execution in no flow has no parents (0 items).
 *  @yields items */
FF_API int ff_execution_parent_results(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);

/** Cancel a flow. policy: "cancel_all" (every member that has not ended is
 *  cancelled, running ones included: their workers' next call fails with
 *  FF_EXECUTION_NOT_ACTIVE), "cancel_pending" (no member starts any more:
 *  the ones that never ran are cancelled, the ones that ran finish) or
 *  "flow_only" (the flow is marked cancelled, members untouched). Anything
 *  else (NULL included) is refused with FF_INVALID_FLOW_POLICY, never
 *  defaulted. Members are cancelled with cancellation.cancelled_by "flow",
 *  reason "flow_cancelled", and their edges resolve as for any ending, all in
 *  the one call (bounded by the flow's member limit). A cancelled flow takes
 *  no new members or edges. FF_FLOW_ALREADY_TERMINAL for a completed or
 *  failed flow; reason: at most 4096 bytes (NULL = "").
 *  Result: ff_op_text() = the policy in force, ff_op_int() = 1 for a repeat
 *  on a cancelled flow (nothing touched; the stored policy), 0 otherwise;
 *  the items are the members this call cancelled (FF_ITEMS_FLOW_CANCEL_*).
 *  @yields text, int, items */
FF_API int ff_flow_cancel(ff_client *c, const char *flow_id, const char *policy, const char *reason, ff_op_cb cb,
                          void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
