# GENERATED from bindings/api.json by bindings/gen/gen_python_ops.py - do not edit (make generate).
"""Start functions of every C operation: ``name(args...)`` returns the
``start(cb, ud, out)`` that calls ``lib.name(args..., cb, ud, out)``. The
arguments must already be C-ready (bytes, ints, cdata)."""

from __future__ import annotations

from typing import Any, Callable

from ._ffi import lib

Start = Callable[[Any, Any, Any], int]

#: What each C op yields (the @yields tags of include/flowfabric/*.h): the
#: first kind is the value an operation returns, the rest are other
#: accessors that carry part of the result (python/tests/test_opdefs.py
#: checks every OpDefs extractor against it).
YIELDS = {
    "ff_client_command": ("reply", "bytes"),
    "ff_execution_create": ("execution_id", "text", "int"),
    "ff_execution_describe": ("json", "text", "execution_id"),
    "ff_execution_result": ("bytes",),
    "ff_execution_wait": ("bytes",),
    "ff_execution_list": ("items", "cursor"),
    "ff_execution_list_lane": ("items", "cursor"),
    "ff_lanes_list": ("items",),
    "ff_lane_counts": ("json",),
    "ff_lease_claim": ("claims",),
    "ff_lease_renew": ("int",),
    "ff_lease_progress": ("none",),
    "ff_lease_complete": ("text",),
    "ff_lease_fail": ("text", "int"),
    "ff_lease_fail_with": ("text", "int"),
    "ff_lease_cancel": ("text",),
    "ff_execution_cancel": ("text",),
    "ff_lease_delay": ("int",),
    "ff_execution_reclaim_grant": ("text", "int"),
    "ff_lease_claim_reclaim": ("claims",),
    "ff_lease_claim_resumed": ("claims",),
    "ff_lease_grant_and_claim": ("claims",),
    "ff_execution_replay": ("text",),
    "ff_execution_change_priority": ("int",),
    "ff_execution_revoke_lease": ("text", "items", "int"),
    "ff_lease_suspend": ("text", "items", "int"),
    "ff_lease_create_waitpoint": ("items", "int"),
    "ff_lease_observe_signals": ("items",),
    "ff_signal_deliver": ("text", "items", "int"),
    "ff_execution_list_suspended": ("items", "cursor"),
    "ff_execution_waitpoints": ("items",),
    "ff_waitpoint_token": ("text",),
    "ff_secret_rotate": ("text",),
    "ff_secret_list": ("json",),
    "ff_flow_create": ("text", "int", "items"),
    "ff_flow_create_with_budgets": ("text", "int", "items"),
    "ff_flow_add_member": ("text", "int"),
    "ff_flow_set_group": ("text",),
    "ff_flow_add_edge": ("text", "int", "items"),
    "ff_flow_describe": ("json", "text"),
    "ff_flow_list": ("items", "cursor"),
    "ff_flow_list_edges": ("items",),
    "ff_flow_describe_edge": ("json",),
    "ff_execution_flow_id": ("text",),
    "ff_execution_parent_results": ("items",),
    "ff_flow_cancel": ("text", "int", "items"),
    "ff_flow_submit": ("text", "int", "items"),
    "ff_lease_wait_children": ("text", "int"),
    "ff_execution_children": ("items",),
    "ff_flow_feed_read": ("items", "cursor", "int"),
    "ff_flow_feed_wait": ("items", "cursor", "int"),
    "ff_flow_wait": ("json", "text"),
    "ff_stream_append": ("text", "int", "items"),
    "ff_stream_append_many": ("items",),
    "ff_stream_read": ("items", "cursor", "text", "int", "json"),
    "ff_stream_tail": ("items", "cursor", "text", "int", "json"),
    "ff_stream_summary": ("text", "int", "json"),
    "ff_budget_create": ("text", "int", "items"),
    "ff_budget_update": ("text", "int"),
    "ff_budget_report_usage": ("text", "items"),
    "ff_budget_release": ("text", "int"),
    "ff_budget_reset": ("text", "int"),
    "ff_budget_describe": ("json",),
    "ff_budget_list": ("items", "cursor"),
    "ff_quota_create": ("text", "json"),
    "ff_quota_describe": ("json",),
    "ff_quota_list": ("json",),
    "ff_group_pause": ("int",),
    "ff_group_resume": ("int",),
    "ff_lease_rate_limited": ("int", "text"),
    "ff_worker_register": ("text", "int"),
    "ff_worker_heartbeat": ("text", "int"),
    "ff_workers_list": ("json",),
    "ff_worker_mark_dead": ("int",),
    "ff_lane_create": ("int",),
    "ff_lane_pause": ("int",),
    "ff_lane_resume": ("int",),
    "ff_lanes_page": ("json",),
    "ff_task_complete": ("text",),
    "ff_task_fail": ("text", "int"),
    "ff_task_fail_with": ("text", "int"),
    "ff_task_cancel": ("text",),
    "ff_task_delay": ("int",),
    "ff_task_release": ("int",),
    "ff_task_rate_limited": ("int", "text"),
    "ff_task_suspend": ("text", "items", "int"),
    "ff_task_wait_children": ("text", "int"),
    "ff_task_create_waitpoint": ("items", "int"),
    "ff_task_observe_signals": ("items",),
    "ff_task_progress": ("none",),
    "ff_task_emit": ("text", "int", "items"),
    "ff_task_log": ("text", "int", "items"),
    "ff_task_summary": ("text", "int", "items"),
    "ff_task_report_usage": ("text", "items"),
    "ff_deployment_health": ("json",),
    "ff_execution_list_quarantined": ("items", "cursor"),
    "ff_engine_list": ("json",),
}

#: The item layout (FF_ITEMS_<X>_STRIDE / _<FIELD>) of the ops that name one.
ITEM_LAYOUTS = {
    "ff_execution_list": "FF_ITEMS_LIST_PARTITION",
    "ff_execution_list_lane": "FF_ITEMS_LIST_LANE",
    "ff_lanes_list": "FF_ITEMS_LANES",
    "ff_lease_suspend": "FF_ITEMS_SUSPEND",
    "ff_lease_observe_signals": "FF_ITEMS_OBSERVE_SIGNALS",
    "ff_execution_list_suspended": "FF_ITEMS_LIST_SUSPENDED",
    "ff_execution_waitpoints": "FF_ITEMS_WAITPOINTS",
    "ff_flow_list": "FF_ITEMS_FLOW_LIST",
    "ff_flow_list_edges": "FF_ITEMS_FLOW_EDGES",
    "ff_execution_parent_results": "FF_ITEMS_FLOW_PARENTS",
    "ff_flow_cancel": "FF_ITEMS_FLOW_CANCEL",
    "ff_flow_submit": "FF_ITEMS_FLOW_SUBMIT",
    "ff_execution_children": "FF_ITEMS_FLOW_CHILDREN",
    "ff_flow_feed_read": "FF_ITEMS_FLOW_FEED",
    "ff_flow_feed_wait": "FF_ITEMS_FLOW_FEED",
    "ff_stream_append_many": "FF_ITEMS_APPEND_FRAMES",
    "ff_stream_read": "FF_ITEMS_READ_STREAM",
    "ff_stream_tail": "FF_ITEMS_READ_STREAM",
    "ff_budget_list": "FF_ITEMS_LIST_BUDGETS",
    "ff_task_suspend": "FF_ITEMS_SUSPEND",
    "ff_task_observe_signals": "FF_ITEMS_OBSERVE_SIGNALS",
    "ff_execution_list_quarantined": "FF_ITEMS_LIST_QUARANTINED",
}


def ff_client_command(c: Any, argc: Any, argv: Any, argvlen: Any) -> Start:
    """Send a raw command (argv of byte strings) on the shared connection. The reply is available ..."""
    return lambda cb, ud, out: lib.ff_client_command(c, argc, argv, argvlen, cb, ud, out)


def ff_execution_create(c: Any, spec: Any) -> Start:
    """Submit. Result: ff_op_execution_id(), ff_op_text() = public state ("waiting" / "delayed"), ..."""
    return lambda cb, ud, out: lib.ff_execution_create(c, spec, cb, ud, out)


def ff_execution_describe(c: Any, execution_id: Any) -> Start:
    """Full snapshot. Result: ff_op_json() (documented in docs/c-api.md#snapshot) plus ..."""
    return lambda cb, ud, out: lib.ff_execution_describe(c, execution_id, cb, ud, out)


def ff_execution_result(c: Any, execution_id: Any) -> Start:
    """Result bytes of a completed execution: ff_op_bytes(). FF_EXECUTION_NOT_TERMINAL when not ..."""
    return lambda cb, ud, out: lib.ff_execution_result(c, execution_id, cb, ud, out)


def ff_execution_wait(c: Any, execution_id: Any, timeout_ms: Any) -> Start:
    """Wait until the execution is terminal, then end exactly as ff_execution_result does (result bytes ..."""
    return lambda cb, ud, out: lib.ff_execution_wait(c, execution_id, timeout_ms, cb, ud, out)


def ff_execution_list(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """Execution ids of one partition, cursor paging (start with "0"; the listing is complete when ..."""
    return lambda cb, ud, out: lib.ff_execution_list(c, partition, cursor, count, cb, ud, out)


def ff_execution_list_lane(c: Any, lane: Any, state: Any, cursor: Any, count: Any) -> Start:
    """Execution ids of a lane in one state index: "waiting", "delayed", "active", "suspended", ..."""
    return lambda cb, ud, out: lib.ff_execution_list_lane(c, lane, state, cursor, count, cb, ud, out)


def ff_lanes_list(c: Any) -> Start:
    """All lanes that have executions: ff_op_item_count()/ff_op_item()."""
    return lambda cb, ud, out: lib.ff_lanes_list(c, cb, ud, out)


def ff_lane_counts(c: Any, lane: Any) -> Start:
    """Counts of one lane per lane index: ff_op_json() = {"waiting":n, "delayed":n, "active":n, ..."""
    return lambda cb, ud, out: lib.ff_lane_counts(c, lane, cb, ud, out)


def ff_lease_claim(c: Any, o: Any) -> Start:
    """Claim up to batch executions from the worker's lanes: highest priority first, FIFO within a ..."""
    return lambda cb, ud, out: lib.ff_lease_claim(c, o, cb, ud, out)


def ff_lease_renew(c: Any, cl: Any) -> Start:
    """Extend the lease by its TTL. ff_op_int() = new expiry (unix ms)."""
    return lambda cb, ud, out: lib.ff_lease_renew(c, cl, cb, ud, out)


def ff_lease_progress(c: Any, cl: Any, percent: Any, message: Any) -> Start:
    """Report progress: percent 0..100 and a message (may be NULL)."""
    return lambda cb, ud, out: lib.ff_lease_progress(c, cl, percent, message, cb, ud, out)


def ff_lease_complete(c: Any, cl: Any, result: Any, len: Any) -> Start:
    """Complete with result bytes (may be empty). ff_op_text() = "completed"."""
    return lambda cb, ud, out: lib.ff_lease_complete(c, cl, result, len, cb, ud, out)


def ff_lease_fail(c: Any, cl: Any, reason: Any, category: Any) -> Start:
    """Fail the attempt. category: free string (e.g. "transient", "permanent"); the policy's ..."""
    return lambda cb, ud, out: lib.ff_lease_fail(c, cl, reason, category, cb, ud, out)


def ff_lease_fail_with(c: Any, cl: Any, reason: Any, category: Any, flags: Any) -> Start:
    """ff_lease_fail with @p flags (0 or FF_FAIL_NO_RETRY); ff_lease_fail is this with flags 0. Result ..."""
    return lambda cb, ud, out: lib.ff_lease_fail_with(c, cl, reason, category, flags, cb, ud, out)


def ff_lease_cancel(c: Any, cl: Any, reason: Any) -> Start:
    """Cancel by the lease holder. ff_op_text() = "cancelled"."""
    return lambda cb, ud, out: lib.ff_lease_cancel(c, cl, reason, cb, ud, out)


def ff_execution_cancel(c: Any, execution_id: Any, reason: Any) -> Start:
    """Operator cancel (no lease needed). ff_op_text() = "cancelled". Repeating it on an execution this ..."""
    return lambda cb, ud, out: lib.ff_execution_cancel(c, execution_id, reason, cb, ud, out)


def ff_lease_delay(c: Any, cl: Any, delay_until_ms: Any) -> Start:
    """Release the lease and park the execution until delay_until_ms (server unix ms); the next claim ..."""
    return lambda cb, ud, out: lib.ff_lease_delay(c, cl, delay_until_ms, cb, ud, out)


def ff_execution_reclaim_grant(c: Any, execution_id: Any, worker_id: Any, ttl_ms: Any) -> Start:
    """Operator: grant the reclaim of an execution whose lease expired or was revoked to one worker ..."""
    return lambda cb, ud, out: lib.ff_execution_reclaim_grant(c, execution_id, worker_id, ttl_ms, cb, ud, out)


def ff_lease_claim_reclaim(c: Any, execution_id: Any, token: Any, o: Any) -> Start:
    """Claim one specific execution with a reclaim token from ff_execution_reclaim_grant (the worker id ..."""
    return lambda cb, ud, out: lib.ff_lease_claim_reclaim(c, execution_id, token, o, cb, ud, out)


def ff_lease_claim_resumed(c: Any, execution_id: Any, o: Any) -> Start:
    """Claim one specific execution whose interrupted attempt may resume now (runnable, attempt ..."""
    return lambda cb, ud, out: lib.ff_lease_claim_resumed(c, execution_id, o, cb, ud, out)


def ff_lease_grant_and_claim(c: Any, execution_id: Any, o: Any) -> Start:
    """Operator: lease one specific execution to the worker of @p o at once, whatever attempt that ..."""
    return lambda cb, ud, out: lib.ff_lease_grant_and_claim(c, execution_id, o, cb, ud, out)


def ff_execution_replay(c: Any, execution_id: Any) -> Start:
    """Replay a terminal execution (capped by the policy's max_replay_count)."""
    return lambda cb, ud, out: lib.ff_execution_replay(c, execution_id, cb, ud, out)


def ff_execution_change_priority(c: Any, execution_id: Any, priority: Any) -> Start:
    """Change the priority of a runnable execution (waiting or delayed; a waiting one is re-queued at ..."""
    return lambda cb, ud, out: lib.ff_execution_change_priority(c, execution_id, priority, cb, ud, out)


def ff_execution_revoke_lease(c: Any, execution_id: Any, expected_lease_id: Any, reason: Any) -> Start:
    """Operator: revoke the current lease (the holder's later writes fail with FF_LEASE_REVOKED; the ..."""
    return lambda cb, ud, out: lib.ff_execution_revoke_lease(c, execution_id, expected_lease_id, reason, cb, ud, out)


def ff_lease_suspend(c: Any, cl: Any, s: Any) -> Start:
    """Suspend the claim's execution. Result: ff_op_text() = "suspended" (the lease is released; the ..."""
    return lambda cb, ud, out: lib.ff_lease_suspend(c, cl, s, cb, ud, out)


def ff_lease_create_waitpoint(c: Any, cl: Any, key: Any, expires_in_ms: Any) -> Start:
    """Create a pending waitpoint before suspending (signals sent to it are buffered). Items: id, key, ..."""
    return lambda cb, ud, out: lib.ff_lease_create_waitpoint(c, cl, key, expires_in_ms, cb, ud, out)


def ff_lease_observe_signals(c: Any, cl: Any) -> Start:
    """Signals that satisfied the claim's last suspension (after the resumed claim). Items: 6 per ..."""
    return lambda cb, ud, out: lib.ff_lease_observe_signals(c, cl, cb, ud, out)


def ff_signal_deliver(c: Any, execution_id: Any, waitpoint_id: Any, token: Any, name: Any, source_type: Any, source_identity: Any, payload: Any, len: Any, idempotency_key: Any) -> Start:
    """Deliver a signal to a waitpoint with its token. source_type: e.g. "user", "webhook", "system" ..."""
    return lambda cb, ud, out: lib.ff_signal_deliver(c, execution_id, waitpoint_id, token, name, source_type, source_identity, payload, len, idempotency_key, cb, ud, out)


def ff_execution_list_suspended(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """Suspended executions of a partition, oldest first. Items: 4 per entry (execution id, ..."""
    return lambda cb, ud, out: lib.ff_execution_list_suspended(c, partition, cursor, count, cb, ud, out)


def ff_execution_waitpoints(c: Any, execution_id: Any) -> Start:
    """Waitpoints of an execution, FF_WAITPOINT_ITEMS items each (the layout above; items.h names the ..."""
    return lambda cb, ud, out: lib.ff_execution_waitpoints(c, execution_id, cb, ud, out)


def ff_waitpoint_token(c: Any, execution_id: Any, waitpoint_id: Any) -> Start:
    """Operator read of a waitpoint's raw token: ff_op_text()."""
    return lambda cb, ud, out: lib.ff_waitpoint_token(c, execution_id, waitpoint_id, cb, ud, out)


def ff_secret_rotate(c: Any, new_kid: Any, new_secret_hex: Any, grace_ms: Any) -> Start:
    """Rotate the waitpoint signing key on every partition: new_kid (1..20 of [A-Za-z0-9_.-]) with ..."""
    return lambda cb, ud, out: lib.ff_secret_rotate(c, new_kid, new_secret_hex, grace_ms, cb, ud, out)


def ff_secret_list(c: Any) -> Start:
    """Key ids: ff_op_json() = {"current_kid":..., "previous":[{"kid":..., "expires_at":ms}], ..."""
    return lambda cb, ud, out: lib.ff_secret_list(c, cb, ud, out)


def ff_flow_create(c: Any, flow_id: Any, lane: Any, max_members: Any, max_incoming: Any) -> Start:
    """Create a flow. flow_id: NULL/"" mints a fresh id on a partition of @p lane (NULL = "default"); a ..."""
    return lambda cb, ud, out: lib.ff_flow_create(c, flow_id, lane, max_members, max_incoming, cb, ud, out)


def ff_flow_create_with_budgets(c: Any, flow_id: Any, lane: Any, max_members: Any, max_incoming: Any, budgets: Any, nbudgets: Any) -> Start:
    """ff_flow_create, and every member of the flow draws on @p budgets (0..16 distinct budget ids, ..."""
    return lambda cb, ud, out: lib.ff_flow_create_with_budgets(c, flow_id, lane, max_members, max_incoming, budgets, nbudgets, cb, ud, out)


def ff_flow_add_member(c: Any, flow_id: Any, execution_id: Any) -> Start:
    """Add an existing execution to a flow, as one atomic validated step (a refusal writes nothing): ..."""
    return lambda cb, ud, out: lib.ff_flow_add_member(c, flow_id, execution_id, cb, ud, out)


def ff_flow_set_group(c: Any, flow_id: Any, downstream: Any, policy: Any, k: Any, on_satisfied: Any) -> Start:
    """Set the policy of the group of edges INTO @p downstream, before any edge into it is staged ..."""
    return lambda cb, ud, out: lib.ff_flow_set_group(c, flow_id, downstream, policy, k, on_satisfied, cb, ud, out)


def ff_flow_add_edge(c: Any, flow_id: Any, upstream: Any, downstream: Any, expected_revision: Any, flags: Any) -> Start:
    """Stage the edge upstream -> downstream: the downstream waits (blocked by dependencies, never ..."""
    return lambda cb, ud, out: lib.ff_flow_add_edge(c, flow_id, upstream, downstream, expected_revision, flags, cb, ud, out)


def ff_flow_describe(c: Any, flow_id: Any) -> Start:
    """The flow: ff_op_json() = {"flow_id", "partition", "state" (open | running | completed | failed | ..."""
    return lambda cb, ud, out: lib.ff_flow_describe(c, flow_id, cb, ud, out)


def ff_flow_list(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """One page of the flow ids of @p partition, in byte order after the exclusive @p cursor (NULL/"" = ..."""
    return lambda cb, ud, out: lib.ff_flow_list(c, partition, cursor, count, cb, ud, out)


def ff_flow_list_edges(c: Any, flow_id: Any, execution_id: Any, direction: Any) -> Start:
    """The edges into (direction "in") or out of ("out") one member, by edge id. Items: ..."""
    return lambda cb, ud, out: lib.ff_flow_list_edges(c, flow_id, execution_id, direction, cb, ud, out)


def ff_flow_describe_edge(c: Any, flow_id: Any, edge_id: Any) -> Start:
    """One edge: ff_op_json() = the edge document of ff_flow_describe. FF_EDGE_NOT_FOUND, ..."""
    return lambda cb, ud, out: lib.ff_flow_describe_edge(c, flow_id, edge_id, cb, ud, out)


def ff_execution_flow_id(c: Any, execution_id: Any) -> Start:
    """The flow an execution belongs to: ff_op_text() = its id, "" when the execution is in no flow. ..."""
    return lambda cb, ud, out: lib.ff_execution_flow_id(c, execution_id, cb, ud, out)


def ff_execution_parent_results(c: Any, execution_id: Any) -> Start:
    """The upstream members of an execution, by id, with what their edges carry: items ..."""
    return lambda cb, ud, out: lib.ff_execution_parent_results(c, execution_id, cb, ud, out)


def ff_flow_cancel(c: Any, flow_id: Any, policy: Any, reason: Any) -> Start:
    """Cancel a flow. policy: "cancel_all" (every member that has not ended is cancelled, running ones ..."""
    return lambda cb, ud, out: lib.ff_flow_cancel(c, flow_id, policy, reason, cb, ud, out)


def ff_flow_submit(c: Any, spec: Any) -> Start:
    """Create the flow, every member, group and edge of @p spec in ONE atomic call on the flow's ..."""
    return lambda cb, ud, out: lib.ff_flow_submit(c, spec, cb, ud, out)


def ff_lease_wait_children(c: Any, cl: Any, timeout_ms: Any, behavior: Any) -> Start:
    """Wait for the child flows the claim's execution spawned (ff_flow_spec_set_parent): they are ..."""
    return lambda cb, ud, out: lib.ff_lease_wait_children(c, cl, timeout_ms, behavior, cb, ud, out)


def ff_execution_children(c: Any, execution_id: Any) -> Start:
    """The members of every child flow of @p execution_id, by flow then member id: items ..."""
    return lambda cb, ud, out: lib.ff_execution_children(c, execution_id, cb, ud, out)


def ff_flow_feed_read(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """One page of the completion feed of @p partition: every ending of a flow member (kind "member": ..."""
    return lambda cb, ud, out: lib.ff_flow_feed_read(c, partition, cursor, count, cb, ud, out)


def ff_flow_feed_wait(c: Any, partition: Any, cursor: Any, count: Any, timeout_ms: Any) -> Start:
    """ff_flow_feed_read that waits: when nothing follows @p cursor (a real entry id or ""; not "$": ..."""
    return lambda cb, ud, out: lib.ff_flow_feed_wait(c, partition, cursor, count, timeout_ms, cb, ud, out)


def ff_flow_wait(c: Any, flow_id: Any, timeout_ms: Any) -> Start:
    """Wait until @p flow_id has settled: its state is final and every member has ended (a ..."""
    return lambda cb, ud, out: lib.ff_flow_wait(c, flow_id, timeout_ms, cb, ud, out)


def ff_stream_append(c: Any, cl: Any, f: Any) -> Start:
    """Append @p f to the stream of the attempt the claim holds. Refusals write nothing: ..."""
    return lambda cb, ud, out: lib.ff_stream_append(c, cl, f, cb, ud, out)


def ff_stream_append_many(c: Any, cl: Any, frames: Any, n: Any) -> Start:
    """Append @p n frames (1..FF_STREAM_APPEND_MAX) in order in ONE call, for producers that have ..."""
    return lambda cb, ud, out: lib.ff_stream_append_many(c, cl, frames, n, cb, ud, out)


def ff_stream_read(c: Any, eid: Any, attempt: Any, after: Any, to: Any, count: Any, flags: Any) -> Start:
    """Frames of attempt @p attempt of @p eid after the exclusive cursor @p after (NULL/"" = the start) ..."""
    return lambda cb, ud, out: lib.ff_stream_read(c, eid, attempt, after, to, count, flags, cb, ud, out)


def ff_stream_tail(c: Any, eid: Any, attempt: Any, after: Any, block_ms: Any, count: Any, flags: Any) -> Start:
    """Wait for frames after @p after (NULL/"" = the start): the result of ff_stream_read from @p ..."""
    return lambda cb, ud, out: lib.ff_stream_tail(c, eid, attempt, after, block_ms, count, flags, cb, ud, out)


def ff_stream_summary(c: Any, eid: Any, attempt: Any) -> Start:
    """The summary document of attempt @p attempt. Result: ff_op_text() = the JSON document ("" when no ..."""
    return lambda cb, ud, out: lib.ff_stream_summary(c, eid, attempt, cb, ud, out)


def ff_budget_create(c: Any, budget_id: Any, s: Any) -> Start:
    """Create a budget. Idempotent: creating an existing id keeps the stored definition (limits are ..."""
    return lambda cb, ud, out: lib.ff_budget_create(c, budget_id, s, cb, ud, out)


def ff_budget_update(c: Any, budget_id: Any, s: Any) -> Start:
    """Change the limits of the dimensions of @p s (at least one; a dimension with hard = soft = 0 ..."""
    return lambda cb, ud, out: lib.ff_budget_update(c, budget_id, s, cb, ud, out)


def ff_budget_report_usage(c: Any, cl: Any, budget_id: Any, dimensions: Any, deltas: Any, n: Any, dedup_key: Any) -> Start:
    """Report usage: @p n (1..64) deltas (>= 0) of the named dimensions, all applied or none. With a ..."""
    return lambda cb, ud, out: lib.ff_budget_report_usage(c, cl, budget_id, dimensions, deltas, n, dedup_key, cb, ud, out)


def ff_budget_release(c: Any, budget_id: Any, execution_id: Any) -> Start:
    """Give back exactly what @p execution_id recorded in this budget since its last reset (usage never ..."""
    return lambda cb, ud, out: lib.ff_budget_release(c, budget_id, execution_id, cb, ud, out)


def ff_budget_reset(c: Any, budget_id: Any) -> Start:
    """Reset now: every usage dimension to 0, every ledger dropped, the reset counted and the next one ..."""
    return lambda cb, ud, out: lib.ff_budget_reset(c, budget_id, cb, ud, out)


def ff_budget_describe(c: Any, budget_id: Any) -> Start:
    """Describe a budget. Result: ff_op_json() = {"budget_id", "scope_type", "scope_id", "on_hard", ..."""
    return lambda cb, ud, out: lib.ff_budget_describe(c, budget_id, cb, ud, out)


def ff_budget_list(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """One page of the budget ids of budget partition @p partition (< ff_client_partitions), in byte ..."""
    return lambda cb, ud, out: lib.ff_budget_list(c, partition, cursor, count, cb, ud, out)


def ff_quota_create(c: Any, lane: Any, quota_id: Any, rate: Any, window_ms: Any, concurrency: Any) -> Start:
    """Give @p lane its quota policy @p quota_id (1..128 bytes of [A-Za-z0-9_.:-]): @p rate starts per ..."""
    return lambda cb, ud, out: lib.ff_quota_create(c, lane, quota_id, rate, window_ms, concurrency, cb, ud, out)


def ff_quota_describe(c: Any, lane: Any, cursor: Any, count: Any) -> Start:
    """Describe a lane's quota: ff_op_json() = {"lane", "quota_id" (null without a policy), "rate", ..."""
    return lambda cb, ud, out: lib.ff_quota_describe(c, lane, cursor, count, cb, ud, out)


def ff_quota_list(c: Any, cursor: Any, count: Any) -> Start:
    """The lanes that have a quota policy: ff_op_json() = {"lanes": [...] (byte order), "next_cursor" ..."""
    return lambda cb, ud, out: lib.ff_quota_list(c, cursor, count, cb, ud, out)


def ff_group_pause(c: Any, lane: Any, group: Any, until_ms: Any) -> Start:
    """Pause @p group ("" = the default group) of @p lane until @p until_ms (server unix ms, after now, ..."""
    return lambda cb, ud, out: lib.ff_group_pause(c, lane, group, until_ms, cb, ud, out)


def ff_group_resume(c: Any, lane: Any, group: Any) -> Start:
    """End @p group's pause now; its parked work returns to eligible as the policy allows. Result: ..."""
    return lambda cb, ud, out: lib.ff_group_resume(c, lane, group, cb, ud, out)


def ff_lease_rate_limited(c: Any, cl: Any, until_ms: Any) -> Start:
    """The lease holder of @p cl hit a rate limit (an HTTP 429 of the API it calls): its group is ..."""
    return lambda cb, ud, out: lib.ff_lease_rate_limited(c, cl, until_ms, cb, ud, out)


def ff_worker_register(c: Any, worker_id: Any, instance_id: Any, lanes: Any, nlanes: Any, caps: Any, ncaps: Any, concurrency: Any, ttl_ms: Any) -> Start:
    """Register (or refresh: an idempotent upsert) worker @p worker_id (1..256 bytes, no control ..."""
    return lambda cb, ud, out: lib.ff_worker_register(c, worker_id, instance_id, lanes, nlanes, caps, ncaps, concurrency, ttl_ms, cb, ud, out)


def ff_worker_heartbeat(c: Any, worker_id: Any, instance_id: Any, lanes: Any, nlanes: Any, caps: Any, ncaps: Any, concurrency: Any, ttl_ms: Any) -> Start:
    """The heartbeat: the same upsert as ff_worker_register (same arguments, same result), under its ..."""
    return lambda cb, ud, out: lib.ff_worker_heartbeat(c, worker_id, instance_id, lanes, nlanes, caps, ncaps, concurrency, ttl_ms, cb, ud, out)


def ff_workers_list(c: Any, lane: Any, cursor: Any, count: Any) -> Start:
    """The live workers, by id: ff_op_json() = {"workers": [{"worker_id", "instance_id", "lanes": ..."""
    return lambda cb, ud, out: lib.ff_workers_list(c, lane, cursor, count, cb, ud, out)


def ff_worker_mark_dead(c: Any, worker_id: Any) -> Start:
    """Remove @p worker_id from the registry now (clean shutdown, or an operator's verdict): it no ..."""
    return lambda cb, ud, out: lib.ff_worker_mark_dead(c, worker_id, cb, ud, out)


def ff_lane_create(c: Any, lane: Any) -> Start:
    """Configure @p lane (idempotent). Result: ff_op_int() = 1 when it was not configured before, 0 ..."""
    return lambda cb, ud, out: lib.ff_lane_create(c, lane, cb, ud, out)


def ff_lane_pause(c: Any, lane: Any, reason: Any) -> Start:
    """Pause @p lane (configuring it if needed) with an operator's @p reason (NULL = ""). A paused lane ..."""
    return lambda cb, ud, out: lib.ff_lane_pause(c, lane, reason, cb, ud, out)


def ff_lane_resume(c: Any, lane: Any) -> Start:
    """Resume @p lane. Result: ff_op_int() = 1 when it was paused, 0 otherwise."""
    return lambda cb, ud, out: lib.ff_lane_resume(c, lane, cb, ud, out)


def ff_lanes_page(c: Any, cursor: Any, count: Any) -> Start:
    """One page of the lanes, in byte order: at most @p count (1..1000) after @p cursor (NULL or "" = ..."""
    return lambda cb, ud, out: lib.ff_lanes_page(c, cursor, count, cb, ud, out)


def ff_task_complete(t: Any, result: Any, len: Any) -> Start:
    """Complete with result bytes: ff_op_text() = "completed"."""
    return lambda cb, ud, out: lib.ff_task_complete(t, result, len, cb, ud, out)


def ff_task_fail(t: Any, reason: Any, category: Any) -> Start:
    """Fail the attempt: ff_op_text() = "retry_scheduled" (ff_op_int() = retry time, unix ms) or ..."""
    return lambda cb, ud, out: lib.ff_task_fail(t, reason, category, cb, ud, out)


def ff_task_fail_with(t: Any, reason: Any, category: Any, flags: Any) -> Start:
    """ff_task_fail with flags (FF_FAIL_NO_RETRY: no retry whatever the policy)."""
    return lambda cb, ud, out: lib.ff_task_fail_with(t, reason, category, flags, cb, ud, out)


def ff_task_cancel(t: Any, reason: Any) -> Start:
    """Cancel the execution: ff_op_text() = "cancelled"."""
    return lambda cb, ud, out: lib.ff_task_cancel(t, reason, cb, ud, out)


def ff_task_delay(t: Any, delay_until_ms: Any) -> Start:
    """Park the execution until delay_until_ms (server unix ms): ff_op_int() = that time."""
    return lambda cb, ud, out: lib.ff_task_delay(t, delay_until_ms, cb, ud, out)


def ff_task_release(t: Any) -> Start:
    """Give the execution back without failing it (resumes the same attempt elsewhere)."""
    return lambda cb, ud, out: lib.ff_task_release(t, cb, ud, out)


def ff_task_rate_limited(t: Any, until_ms: Any) -> Start:
    """The task hit a rate limit of the API it calls (an HTTP 429): pause its group until @p until_ms ..."""
    return lambda cb, ud, out: lib.ff_task_rate_limited(t, until_ms, cb, ud, out)


def ff_task_suspend(t: Any, s: Any) -> Start:
    """Suspend (signal.h). When the result is "suspended" this was the task's finishing call (the ..."""
    return lambda cb, ud, out: lib.ff_task_suspend(t, s, cb, ud, out)


def ff_task_wait_children(t: Any, timeout_ms: Any, behavior: Any) -> Start:
    """Wait for the child flows this task's execution spawned (flow.h, ff_lease_wait_children). Like ..."""
    return lambda cb, ud, out: lib.ff_task_wait_children(t, timeout_ms, behavior, cb, ud, out)


def ff_task_create_waitpoint(t: Any, key: Any, expires_in_ms: Any) -> Start:
    """Non-finishing: create a pending waitpoint (signal.h)."""
    return lambda cb, ud, out: lib.ff_task_create_waitpoint(t, key, expires_in_ms, cb, ud, out)


def ff_task_observe_signals(t: Any) -> Start:
    """Non-finishing: the signals that satisfied this attempt's last suspension (a resumed task reads ..."""
    return lambda cb, ud, out: lib.ff_task_observe_signals(t, cb, ud, out)


def ff_task_progress(t: Any, percent: Any, message: Any) -> Start:
    """Non-finishing: report progress."""
    return lambda cb, ud, out: lib.ff_task_progress(t, percent, message, cb, ud, out)


def ff_task_emit(t: Any, f: Any) -> Start:
    """Append @p f to this attempt's stream."""
    return lambda cb, ud, out: lib.ff_task_emit(t, f, cb, ud, out)


def ff_task_log(t: Any, text: Any) -> Start:
    """Append a durable frame of type "log" holding @p text (UTF-8)."""
    return lambda cb, ud, out: lib.ff_task_log(t, text, cb, ud, out)


def ff_task_summary(t: Any, patch: Any) -> Start:
    """Merge the JSON object @p patch (RFC 7396) into this attempt's summary document: a frame of type ..."""
    return lambda cb, ud, out: lib.ff_task_summary(t, patch, cb, ud, out)


def ff_task_report_usage(t: Any, budget_id: Any, dimensions: Any, deltas: Any, n: Any, dedup_key: Any) -> Start:
    """Non-finishing: ff_budget_report_usage (budget.h) under this task's claim (the lease is checked, ..."""
    return lambda cb, ud, out: lib.ff_task_report_usage(t, budget_id, dimensions, deltas, n, dedup_key, cb, ud, out)


def ff_deployment_health(c: Any) -> Start:
    """Deployment totals over every partition: ff_op_json() = {"partitions":N, "leases_held":n, ..."""
    return lambda cb, ud, out: lib.ff_deployment_health(c, cb, ud, out)


def ff_execution_list_quarantined(c: Any, partition: Any, cursor: Any, count: Any) -> Start:
    """Executions of one partition set aside as corrupt, oldest first. Items: 3 per entry (execution ..."""
    return lambda cb, ud, out: lib.ff_execution_list_quarantined(c, partition, cursor, count, cb, ud, out)


def ff_engine_list(c: Any) -> Start:
    """The live engines and the partition split they make: ff_op_json() = {"now": server ms, "engines": ..."""
    return lambda cb, ud, out: lib.ff_engine_list(c, cb, ud, out)
