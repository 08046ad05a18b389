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
#include "execution.h"

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

/** ff_flow_create, and every member of the flow draws on @p budgets (0..16
 *  distinct budget ids, budget.h) besides the budgets of its own policy
 *  (ff_exec_spec_add_budget): a member that joins (ff_exec_spec_set_flow,
 *  ff_flow_add_member) gets the flow's ids merged into its list, so the
 *  budgets' block and cancel_pending actions apply to it (docs/budgets.md).
 *  FF_EINVAL for a malformed or repeated id or more than 16. A repeat of an
 *  existing flow keeps its stored budgets, like its limits.
 *  @yields text, int, items */
FF_API int ff_flow_create_with_budgets(ff_client *c, const char *flow_id, const char *lane, int32_t max_members,
                                       int32_t max_incoming, const char *const *budgets, size_t nbudgets,
                                       ff_op_cb cb, void *ud, ff_op **out);

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
 *  @yields items FF_ITEMS_FLOW_LIST, cursor */
FF_API int ff_flow_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                        ff_op **out);

/** The edges into (direction "in") or out of ("out") one member, by edge
 *  id. Items: FF_ITEMS_FLOW_EDGES_* (edge_id, upstream, downstream, state).
 *  @yields items FF_ITEMS_FLOW_EDGES */
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
 *  @yields items FF_ITEMS_FLOW_PARENTS */
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
 *  @yields text, int, items FF_ITEMS_FLOW_CANCEL */
FF_API int ff_flow_cancel(ff_client *c, const char *flow_id, const char *policy, const char *reason, ff_op_cb cb,
                          void *ud, ff_op **out);

/* ------------------------------------------------------ a whole DAG at once */

/** The most members and edges one ff_flow_submit takes (docs/flows.md,
 *  "Limits"); the server enforces the same numbers. */
#define FF_FLOW_SUBMIT_MAX_MEMBERS 500
#define FF_FLOW_SUBMIT_MAX_EDGES 2000

typedef struct ff_flow_spec ff_flow_spec;

/** New flow spec, for ff_flow_submit. flow_id, lane, max_members and
 *  max_incoming as for ff_flow_create (NULL/"" flow_id: the id is minted at
 *  submit, on a partition of @p lane). The spec owns copies of everything
 *  added to it; it is not thread-safe (one thread at a time) and may be
 *  freed as soon as ff_flow_submit returns. FF_EINVAL (with a detail) on a
 *  malformed argument.
 *  @owns ff_flow_spec_free */
FF_API int ff_flow_spec_new(ff_flow_spec **out, const char *flow_id, const char *lane, int32_t max_members,
                            int32_t max_incoming);
FF_API void ff_flow_spec_free(ff_flow_spec *s);

/** Add a member, copied from @p member (the caller keeps and frees it). Its
 *  index (0, 1, ... in the order added; the order of the submit's reply)
 *  goes to *index_out (may be NULL). FF_EINVAL for a member with a flow
 *  (ff_exec_spec_set_flow) or an idempotency key (the flow id is the key of
 *  the whole submit); FF_FLOW_LIMIT_EXCEEDED past
 *  FF_FLOW_SUBMIT_MAX_MEMBERS. A member with an execution id keeps it (it
 *  must be on the flow's partition, checked at submit); the others are
 *  minted there at submit. */
FF_API int ff_flow_spec_add_member(ff_flow_spec *s, const ff_exec_spec *member, uint32_t *index_out);

/** The edge member @p up -> member @p down (indices of
 *  ff_flow_spec_add_member). flags: FF_FLOW_EDGE_DATA or 0. FF_EINVAL for
 *  an index not added yet, up == down, or an unknown flag;
 *  FF_FLOW_LIMIT_EXCEEDED past FF_FLOW_SUBMIT_MAX_EDGES. A duplicate edge or
 *  a cycle is refused by ff_flow_submit (FF_DEPENDENCY_ALREADY_EXISTS,
 *  FF_CYCLE_DETECTED). */
FF_API int ff_flow_spec_add_edge(ff_flow_spec *s, uint32_t up, uint32_t down, uint32_t flags);

/** The policy of the group of edges into member @p down, as for
 *  ff_flow_set_group (policy, k, on_satisfied; the words are checked by
 *  the server: FF_INVALID_FLOW_POLICY at submit, also for k > the number of
 *  edges into @p down or a group on a member with no incoming edge). Setting
 *  it again replaces it. FF_EINVAL for an index not added yet, a NULL policy
 *  or k outside 0..1000. */
FF_API int ff_flow_spec_set_group(ff_flow_spec *s, uint32_t down, const char *policy, int32_t k,
                                  const char *on_satisfied);

/** Make the submitted flow a CHILD FLOW of the running execution
 *  @p parent_id (NULL/"" = none): the flow is minted on the parent's
 *  partition (a flow id given must be there, and so must the members' lanes:
 *  FF_PARTITION_MISMATCH before sending), and the parent may then wait for
 *  it with ff_lease_wait_children / ff_task_wait_children. The server
 *  refuses a parent that does not exist (FF_EXECUTION_NOT_FOUND), is not
 *  running (FF_EXECUTION_NOT_ACTIVE) or already spawned 64 child flows
 *  (FF_FLOW_LIMIT_EXCEEDED). Until the parent waits, more members may join
 *  a child flow (ff_exec_spec_set_flow, ff_flow_add_member) even when all
 *  the present ones ended; the wait seals it. FF_EINVAL for a malformed id. */
FF_API int ff_flow_spec_set_parent(ff_flow_spec *s, const char *parent_id);

/** Every member of the flow draws on @p budget_id besides its own budgets
 *  (as ff_flow_create_with_budgets; at most 16, each once: FF_EINVAL). */
FF_API int ff_flow_spec_add_budget(ff_flow_spec *s, const char *budget_id);

/** Create the flow, every member, group and edge of @p spec in ONE atomic
 *  call on the flow's partition: a member with an incoming edge is blocked
 *  from its birth (never claimable before its group is decided), the others
 *  are eligible and wake their lane. Everything is validated before the
 *  first write; a refusal writes nothing: FF_FLOW_LIMIT_EXCEEDED (members,
 *  incoming edges per member), FF_SELF_REFERENCING_EDGE,
 *  FF_DEPENDENCY_ALREADY_EXISTS, FF_CYCLE_DETECTED, FF_INVALID_FLOW_POLICY,
 *  FF_PARTITION_MISMATCH (a given member id, or a member lane that never
 *  maps to the flow's partition: checked before sending), the refusals of
 *  ff_execution_create, FF_EINVAL (no member; a payload over the client's
 *  limit is FF_ETOOBIG). Idempotent by flow id: submitting the same body
 *  again (member and edge ids aside, which are minted per call) writes
 *  nothing and returns the stored member ids with ff_op_int() = 1; another
 *  body for an existing flow (or a flow made by ff_flow_create) is
 *  FF_FLOW_SUBMIT_CONFLICT.
 *  Result: ff_op_text() = the flow id, ff_op_int() = 1 for a repeat (0 when
 *  created now), the items = the member ids in the order they were added
 *  (FF_ITEMS_FLOW_SUBMIT_*).
 *  @yields text, int, items FF_ITEMS_FLOW_SUBMIT */
FF_API int ff_flow_submit(ff_client *c, const ff_flow_spec *spec, ff_op_cb cb, void *ud, ff_op **out);

/* ------------------------------------------------------- wait_children */

/** Wait for the child flows the claim's execution spawned
 *  (ff_flow_spec_set_parent): they are sealed (no member joins them any
 *  more); when every one of them has settled (all members ended) the result
 *  is "already_satisfied" and the lease is KEPT (the claim goes on);
 *  otherwise the lease is released and the execution suspends with blocking
 *  reason waiting_for_children ("suspended": the claim is spent). The ending
 *  of the last child resumes it in the same server call: it is claimed again
 *  as a "resumed" claim of the SAME attempt, and reads its children with
 *  ff_execution_children. timeout_ms: 0 = wait without a timeout, else
 *  1..10^15 ms, after which @p behavior acts as for a suspension timeout
 *  ("fail" (NULL), "cancel", "expire", "auto_resume", "escalate").
 *  FF_NO_CHILDREN when it spawned no child flow; FF_ALREADY_SUSPENDED; the
 *  fence errors of every lease call. Children are not cancelled with their
 *  parent: cancel their flows (ff_flow_cancel) for that.
 *  Result: ff_op_text() = "suspended" or "already_satisfied", ff_op_int() =
 *  the child flows waited for.
 *  @yields text, int */
FF_API int ff_lease_wait_children(ff_client *c, const ff_claim *cl, int64_t timeout_ms, const char *behavior,
                                  ff_op_cb cb, void *ud, ff_op **out);

/** The members of every child flow of @p execution_id, by flow then member
 *  id: items FF_ITEMS_FLOW_CHILDREN_* (flow_id, eid, public_state,
 *  has_result "1"/"0", result bytes: ff_op_item_bytes). 0 items for an
 *  execution without children. FF_EXECUTION_NOT_FOUND.
 *  @yields items FF_ITEMS_FLOW_CHILDREN */
FF_API int ff_execution_children(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);

/* ---------------------------------------------------- following flows */

/** One page of the completion feed of @p partition: every ending of a flow
 *  member (kind "member": the member's outcome) and every flow settling
 *  (kind "flow", eid "": completed | failed | cancelled), in order, after
 *  the exclusive @p cursor (NULL/"" = from the oldest entry kept; "$" = an
 *  empty page whose cursor is the newest entry: follow from now on). At
 *  most count (1..1000) entries: items FF_ITEMS_FLOW_FEED_*; ff_op_cursor()
 *  = the id of the page's last entry (pass it to the next read; the same
 *  cursor when nothing is new); ff_op_int() = 1 when entries after the
 *  cursor were deleted by the retention before this read (the consumer fell
 *  behind: re-read the flows it cares about with ff_flow_describe). The
 *  feed is durable: a consumer that stores its cursor misses nothing the
 *  retention keeps, across restarts of either side. Entries older than the
 *  engine's retention are trimmed (and the feed holds at most about 10^6
 *  entries per partition).
 *  @yields items FF_ITEMS_FLOW_FEED, cursor, int */
FF_API int ff_flow_feed_read(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb,
                             void *ud, ff_op **out);

/** ff_flow_feed_read that waits: when nothing follows @p cursor (a real
 *  entry id or ""; not "$": read that first) it waits, woken by the next
 *  append itself (Pub/Sub, no polling), up to timeout_ms (1..30 days:
 *  FF_ETIMEDOUT when nothing came), then returns the page exactly as
 *  ff_flow_feed_read does (never empty).
 *  @yields items FF_ITEMS_FLOW_FEED, cursor, int */
FF_API int ff_flow_feed_wait(ff_client *c, uint32_t partition, const char *cursor, uint32_t count,
                             int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out);

/** Wait until @p flow_id has settled: its state is final and every member
 *  has ended (a cancel_pending flow settles when its running members
 *  finish). Woken by the settling itself (Pub/Sub, no polling), then the
 *  result is exactly that of ff_flow_describe. timeout_ms 1..30 days:
 *  FF_ETIMEDOUT when it did not settle in time. FF_FLOW_NOT_FOUND.
 *  @yields json, text */
FF_API int ff_flow_wait(ff_client *c, const char *flow_id, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
