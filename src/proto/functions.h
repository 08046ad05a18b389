/* GENERATED from the header blocks of lua/<area>.lua by bindings/gen/gen_functions.py - do not edit.
 * Regenerate with `make generate`. One block per server function:
 *   FF_FN_<F>            function name
 *   FF_FN_<F>_NKEYS      KEYS count (FF_FN_<F>_NKEYS_STR as the FCALL argument)
 *   FF_FN_<F>_NARGS      fixed ARGV count; FF_FN_<F>_VARARGS 1 when a variadic tail follows
 *   FF_FN_<F>_RO         1 when registered no-writes (callable with FCALL_RO)
 *   FF_FN_<F>_F_<FIELD>  position of a reply field in the array ff__fcall_result() hands
 *                        back (f[0] is the status word, so the first field is 1)
 *   FF_FN_<F>_NFIELDS    f entries always present (status word + required fields)
 *   FF_FN_<F>_ITEMS_AT   f position of the first repeated item, FF_FN_<F>_ITEM_STRIDE
 *                        its size and FF_FN_<F>_ITEM_<FIELD> the fields inside it */
#ifndef FF_PROTO_FUNCTIONS_H
#define FF_PROTO_FUNCTIONS_H

#include <stddef.h>

/* One row of the arity table (src/proto/functions.c). nargs_max = nargs_min
 * unless the function takes a variadic tail. */
typedef struct ff__fn_spec {
    const char *name;
    int nkeys;
    int nargs_min;
    int nargs_max;
    int read_only;
} ff__fn_spec;

extern const ff__fn_spec ff__fn_table[];
extern const size_t ff__fn_count;

/* ff_append_frame: Append one frame to the running attempt's output stream (the lease holder only). */
#define FF_FN_APPEND_FRAME "ff_append_frame"
#define FF_FN_APPEND_FRAME_NKEYS 1
#define FF_FN_APPEND_FRAME_NKEYS_STR "1"
#define FF_FN_APPEND_FRAME_NARGS 11
#define FF_FN_APPEND_FRAME_VARARGS 0
#define FF_FN_APPEND_FRAME_RO 0
#define FF_FN_APPEND_FRAME_F_ENTRY_ID 1
#define FF_FN_APPEND_FRAME_F_FRAME_COUNT 2
#define FF_FN_APPEND_FRAME_F_SUMMARY_VERSION 3
#define FF_FN_APPEND_FRAME_NFIELDS 4

/* ff_append_frames: Append several frames to the running attempt's output stream in order, each with its own result (what a client sends for appends that queued up behind each other). */
#define FF_FN_APPEND_FRAMES "ff_append_frames"
#define FF_FN_APPEND_FRAMES_NKEYS 1
#define FF_FN_APPEND_FRAMES_NKEYS_STR "1"
#define FF_FN_APPEND_FRAMES_NARGS 5
#define FF_FN_APPEND_FRAMES_VARARGS 1
#define FF_FN_APPEND_FRAMES_RO 0
#define FF_FN_APPEND_FRAMES_F_N 1
#define FF_FN_APPEND_FRAMES_NFIELDS 2
#define FF_FN_APPEND_FRAMES_ITEMS_AT 2
#define FF_FN_APPEND_FRAMES_ITEM_STRIDE 4
#define FF_FN_APPEND_FRAMES_ITEM_CODE 0
#define FF_FN_APPEND_FRAMES_ITEM_ENTRY_ID 1
#define FF_FN_APPEND_FRAMES_ITEM_FRAME_COUNT 2
#define FF_FN_APPEND_FRAMES_ITEM_SUMMARY_VERSION 3

/* ff_boot: Create the deployment config if missing; reply with the stored one. */
#define FF_FN_BOOT "ff_boot"
#define FF_FN_BOOT_NKEYS 1
#define FF_FN_BOOT_NKEYS_STR "1"
#define FF_FN_BOOT_NARGS 2
#define FF_FN_BOOT_VARARGS 0
#define FF_FN_BOOT_RO 0
#define FF_FN_BOOT_F_PARTITIONS 1
#define FF_FN_BOOT_F_LANE_SHARDS 2
#define FF_FN_BOOT_NFIELDS 3

/* ff_budget_mark: Propagate a budget's blocked state to one execution partition; unblocking returns its parked executions to eligible. */
#define FF_FN_BUDGET_MARK "ff_budget_mark"
#define FF_FN_BUDGET_MARK_NKEYS 1
#define FF_FN_BUDGET_MARK_NKEYS_STR "1"
#define FF_FN_BUDGET_MARK_NARGS 4
#define FF_FN_BUDGET_MARK_VARARGS 0
#define FF_FN_BUDGET_MARK_RO 0
#define FF_FN_BUDGET_MARK_F_OUTCOME 1
#define FF_FN_BUDGET_MARK_F_RELEASED 2
#define FF_FN_BUDGET_MARK_F_MORE 3
#define FF_FN_BUDGET_MARK_NFIELDS 4

/* ff_budget_propagated: Mark a budget's state generation as propagated to every execution partition. */
#define FF_FN_BUDGET_PROPAGATED "ff_budget_propagated"
#define FF_FN_BUDGET_PROPAGATED_NKEYS 1
#define FF_FN_BUDGET_PROPAGATED_NKEYS_STR "1"
#define FF_FN_BUDGET_PROPAGATED_NARGS 2
#define FF_FN_BUDGET_PROPAGATED_VARARGS 0
#define FF_FN_BUDGET_PROPAGATED_RO 0
#define FF_FN_BUDGET_PROPAGATED_F_OUTCOME 1
#define FF_FN_BUDGET_PROPAGATED_NFIELDS 2

/* ff_budget_sweep: Perform the due resets of one budget partition (the engine, every sweep). */
#define FF_FN_BUDGET_SWEEP "ff_budget_sweep"
#define FF_FN_BUDGET_SWEEP_NKEYS 1
#define FF_FN_BUDGET_SWEEP_NKEYS_STR "1"
#define FF_FN_BUDGET_SWEEP_NARGS 1
#define FF_FN_BUDGET_SWEEP_VARARGS 0
#define FF_FN_BUDGET_SWEEP_RO 0
#define FF_FN_BUDGET_SWEEP_F_RESETS 1
#define FF_FN_BUDGET_SWEEP_F_CORRUPT 2
#define FF_FN_BUDGET_SWEEP_F_MORE 3
#define FF_FN_BUDGET_SWEEP_F_NEXT_DUE_MS 4
#define FF_FN_BUDGET_SWEEP_F_NOW_MS 5
#define FF_FN_BUDGET_SWEEP_NFIELDS 6
#define FF_FN_BUDGET_SWEEP_ITEMS_AT 6
#define FF_FN_BUDGET_SWEEP_ITEM_STRIDE 3
#define FF_FN_BUDGET_SWEEP_ITEM_BUDGET_ID 0
#define FF_FN_BUDGET_SWEEP_ITEM_GENERATION 1
#define FF_FN_BUDGET_SWEEP_ITEM_STATE 2

/* ff_cancel: Cancel an execution, as its lease holder or as an operator. */
#define FF_FN_CANCEL "ff_cancel"
#define FF_FN_CANCEL_NKEYS 1
#define FF_FN_CANCEL_NKEYS_STR "1"
#define FF_FN_CANCEL_NARGS 6
#define FF_FN_CANCEL_VARARGS 0
#define FF_FN_CANCEL_RO 0
#define FF_FN_CANCEL_F_OUTCOME 1
#define FF_FN_CANCEL_F_PREVIOUS 2
#define FF_FN_CANCEL_NFIELDS 3

/* ff_change_priority: Change the priority of a runnable execution. */
#define FF_FN_CHANGE_PRIORITY "ff_change_priority"
#define FF_FN_CHANGE_PRIORITY_NKEYS 1
#define FF_FN_CHANGE_PRIORITY_NKEYS_STR "1"
#define FF_FN_CHANGE_PRIORITY_NARGS 2
#define FF_FN_CHANGE_PRIORITY_VARARGS 0
#define FF_FN_CHANGE_PRIORITY_RO 0
#define FF_FN_CHANGE_PRIORITY_F_OLD 1
#define FF_FN_CHANGE_PRIORITY_F_NEW 2
#define FF_FN_CHANGE_PRIORITY_NFIELDS 3

/* ff_claim: Lease up to max_count eligible executions of one lane to a worker. */
#define FF_FN_CLAIM "ff_claim"
#define FF_FN_CLAIM_NKEYS 1
#define FF_FN_CLAIM_NKEYS_STR "1"
#define FF_FN_CLAIM_NARGS 6
#define FF_FN_CLAIM_VARARGS 1
#define FF_FN_CLAIM_RO 0
#define FF_FN_CLAIM_F_N 1
#define FF_FN_CLAIM_NFIELDS 2
#define FF_FN_CLAIM_ITEMS_AT 2
#define FF_FN_CLAIM_ITEM_STRIDE 11
#define FF_FN_CLAIM_ITEM_EID 0
#define FF_FN_CLAIM_ITEM_ATTEMPT_INDEX 1
#define FF_FN_CLAIM_ITEM_ATTEMPT_ID 2
#define FF_FN_CLAIM_ITEM_ATTEMPT_TYPE 3
#define FF_FN_CLAIM_ITEM_LEASE_ID 4
#define FF_FN_CLAIM_ITEM_EPOCH 5
#define FF_FN_CLAIM_ITEM_EXPIRES_AT 6
#define FF_FN_CLAIM_ITEM_KIND 7
#define FF_FN_CLAIM_ITEM_NAMESPACE 8
#define FF_FN_CLAIM_ITEM_PAYLOAD 9
#define FF_FN_CLAIM_ITEM_LANE 10

/* ff_claim_reclaim: Claim an execution through a reclaim grant (one claim of type reclaim). */
#define FF_FN_CLAIM_RECLAIM "ff_claim_reclaim"
#define FF_FN_CLAIM_RECLAIM_NKEYS 1
#define FF_FN_CLAIM_RECLAIM_NKEYS_STR "1"
#define FF_FN_CLAIM_RECLAIM_NARGS 8
#define FF_FN_CLAIM_RECLAIM_VARARGS 0
#define FF_FN_CLAIM_RECLAIM_RO 0
#define FF_FN_CLAIM_RECLAIM_F_N 1
#define FF_FN_CLAIM_RECLAIM_NFIELDS 2
#define FF_FN_CLAIM_RECLAIM_ITEMS_AT 2
#define FF_FN_CLAIM_RECLAIM_ITEM_STRIDE 11
#define FF_FN_CLAIM_RECLAIM_ITEM_EID 0
#define FF_FN_CLAIM_RECLAIM_ITEM_ATTEMPT_INDEX 1
#define FF_FN_CLAIM_RECLAIM_ITEM_ATTEMPT_ID 2
#define FF_FN_CLAIM_RECLAIM_ITEM_ATTEMPT_TYPE 3
#define FF_FN_CLAIM_RECLAIM_ITEM_LEASE_ID 4
#define FF_FN_CLAIM_RECLAIM_ITEM_EPOCH 5
#define FF_FN_CLAIM_RECLAIM_ITEM_EXPIRES_AT 6
#define FF_FN_CLAIM_RECLAIM_ITEM_KIND 7
#define FF_FN_CLAIM_RECLAIM_ITEM_NAMESPACE 8
#define FF_FN_CLAIM_RECLAIM_ITEM_PAYLOAD 9
#define FF_FN_CLAIM_RECLAIM_ITEM_LANE 10

/* ff_claim_resumed: Claim one named execution whose interrupted attempt may resume now (one claim of type resumed). */
#define FF_FN_CLAIM_RESUMED "ff_claim_resumed"
#define FF_FN_CLAIM_RESUMED_NKEYS 1
#define FF_FN_CLAIM_RESUMED_NKEYS_STR "1"
#define FF_FN_CLAIM_RESUMED_NARGS 6
#define FF_FN_CLAIM_RESUMED_VARARGS 0
#define FF_FN_CLAIM_RESUMED_RO 0
#define FF_FN_CLAIM_RESUMED_F_N 1
#define FF_FN_CLAIM_RESUMED_NFIELDS 2
#define FF_FN_CLAIM_RESUMED_ITEMS_AT 2
#define FF_FN_CLAIM_RESUMED_ITEM_STRIDE 11
#define FF_FN_CLAIM_RESUMED_ITEM_EID 0
#define FF_FN_CLAIM_RESUMED_ITEM_ATTEMPT_INDEX 1
#define FF_FN_CLAIM_RESUMED_ITEM_ATTEMPT_ID 2
#define FF_FN_CLAIM_RESUMED_ITEM_ATTEMPT_TYPE 3
#define FF_FN_CLAIM_RESUMED_ITEM_LEASE_ID 4
#define FF_FN_CLAIM_RESUMED_ITEM_EPOCH 5
#define FF_FN_CLAIM_RESUMED_ITEM_EXPIRES_AT 6
#define FF_FN_CLAIM_RESUMED_ITEM_KIND 7
#define FF_FN_CLAIM_RESUMED_ITEM_NAMESPACE 8
#define FF_FN_CLAIM_RESUMED_ITEM_PAYLOAD 9
#define FF_FN_CLAIM_RESUMED_ITEM_LANE 10

/* ff_complete: End the execution successfully with a result. */
#define FF_FN_COMPLETE "ff_complete"
#define FF_FN_COMPLETE_NKEYS 1
#define FF_FN_COMPLETE_NKEYS_STR "1"
#define FF_FN_COMPLETE_NARGS 5
#define FF_FN_COMPLETE_VARARGS 0
#define FF_FN_COMPLETE_RO 0
#define FF_FN_COMPLETE_F_OUTCOME 1
#define FF_FN_COMPLETE_F_REPLAYED 2
#define FF_FN_COMPLETE_NFIELDS 2

/* ff_counts: The size of each of a lane's ten indexes. */
#define FF_FN_COUNTS "ff_counts"
#define FF_FN_COUNTS_NKEYS 1
#define FF_FN_COUNTS_NKEYS_STR "1"
#define FF_FN_COUNTS_NARGS 1
#define FF_FN_COUNTS_VARARGS 0
#define FF_FN_COUNTS_RO 1
#define FF_FN_COUNTS_NFIELDS 1
#define FF_FN_COUNTS_ITEMS_AT 1
#define FF_FN_COUNTS_ITEM_STRIDE 2
#define FF_FN_COUNTS_ITEM_STATE 0
#define FF_FN_COUNTS_ITEM_N 1

/* ff_create: Create an execution (idempotent by id and by idempotency key). */
#define FF_FN_CREATE "ff_create"
#define FF_FN_CREATE_NKEYS 1
#define FF_FN_CREATE_NKEYS_STR "1"
#define FF_FN_CREATE_NARGS 14
#define FF_FN_CREATE_VARARGS 1
#define FF_FN_CREATE_RO 0
#define FF_FN_CREATE_F_EID 1
#define FF_FN_CREATE_F_PUBLIC_STATE 2
#define FF_FN_CREATE_NFIELDS 3

/* ff_create_budget: Create a budget; a repeat keeps the stored definition and says whether it matched. */
#define FF_FN_CREATE_BUDGET "ff_create_budget"
#define FF_FN_CREATE_BUDGET_NKEYS 1
#define FF_FN_CREATE_BUDGET_NKEYS_STR "1"
#define FF_FN_CREATE_BUDGET_NARGS 6
#define FF_FN_CREATE_BUDGET_VARARGS 1
#define FF_FN_CREATE_BUDGET_RO 0
#define FF_FN_CREATE_BUDGET_F_OUTCOME 1
#define FF_FN_CREATE_BUDGET_F_SAME 2
#define FF_FN_CREATE_BUDGET_F_NEXT_RESET_AT 3
#define FF_FN_CREATE_BUDGET_NFIELDS 4

/* ff_create_quota: Give a lane its quota policy on one partition; a repeat keeps the stored limits and says whether they matched. */
#define FF_FN_CREATE_QUOTA "ff_create_quota"
#define FF_FN_CREATE_QUOTA_NKEYS 1
#define FF_FN_CREATE_QUOTA_NKEYS_STR "1"
#define FF_FN_CREATE_QUOTA_NARGS 5
#define FF_FN_CREATE_QUOTA_VARARGS 0
#define FF_FN_CREATE_QUOTA_RO 0
#define FF_FN_CREATE_QUOTA_F_OUTCOME 1
#define FF_FN_CREATE_QUOTA_F_SAME 2
#define FF_FN_CREATE_QUOTA_F_RATE 3
#define FF_FN_CREATE_QUOTA_F_WINDOW_MS 4
#define FF_FN_CREATE_QUOTA_F_CONCURRENCY 5
#define FF_FN_CREATE_QUOTA_NFIELDS 6

/* ff_create_waitpoint: Create a pending waitpoint ahead of a suspension. */
#define FF_FN_CREATE_WAITPOINT "ff_create_waitpoint"
#define FF_FN_CREATE_WAITPOINT_NKEYS 1
#define FF_FN_CREATE_WAITPOINT_NKEYS_STR "1"
#define FF_FN_CREATE_WAITPOINT_NARGS 7
#define FF_FN_CREATE_WAITPOINT_VARARGS 0
#define FF_FN_CREATE_WAITPOINT_RO 0
#define FF_FN_CREATE_WAITPOINT_F_WP_ID 1
#define FF_FN_CREATE_WAITPOINT_F_KEY 2
#define FF_FN_CREATE_WAITPOINT_F_TOKEN 3
#define FF_FN_CREATE_WAITPOINT_F_EXPIRES_AT 4
#define FF_FN_CREATE_WAITPOINT_NFIELDS 5

/* ff_delay: Give the lease back until a time; due at once when that time has passed. */
#define FF_FN_DELAY "ff_delay"
#define FF_FN_DELAY_NKEYS 1
#define FF_FN_DELAY_NKEYS_STR "1"
#define FF_FN_DELAY_NARGS 5
#define FF_FN_DELAY_VARARGS 0
#define FF_FN_DELAY_RO 0
#define FF_FN_DELAY_F_DELAY_UNTIL 1
#define FF_FN_DELAY_NFIELDS 2

/* ff_describe: The stored record of one execution. */
#define FF_FN_DESCRIBE "ff_describe"
#define FF_FN_DESCRIBE_NKEYS 1
#define FF_FN_DESCRIBE_NKEYS_STR "1"
#define FF_FN_DESCRIBE_NARGS 1
#define FF_FN_DESCRIBE_VARARGS 0
#define FF_FN_DESCRIBE_RO 1
#define FF_FN_DESCRIBE_F_CORE 1
#define FF_FN_DESCRIBE_F_ATTEMPTS 2
#define FF_FN_DESCRIBE_F_TAGS 3
#define FF_FN_DESCRIBE_F_PUBLIC_STATE 4
#define FF_FN_DESCRIBE_F_HAS_RESULT 5
#define FF_FN_DESCRIBE_NFIELDS 6

/* ff_describe_budget: A budget's definition, counters and, per dimension, limits and usage. */
#define FF_FN_DESCRIBE_BUDGET "ff_describe_budget"
#define FF_FN_DESCRIBE_BUDGET_NKEYS 1
#define FF_FN_DESCRIBE_BUDGET_NKEYS_STR "1"
#define FF_FN_DESCRIBE_BUDGET_NARGS 1
#define FF_FN_DESCRIBE_BUDGET_VARARGS 0
#define FF_FN_DESCRIBE_BUDGET_RO 1
#define FF_FN_DESCRIBE_BUDGET_F_SCOPE_TYPE 1
#define FF_FN_DESCRIBE_BUDGET_F_SCOPE_ID 2
#define FF_FN_DESCRIBE_BUDGET_F_ON_HARD 3
#define FF_FN_DESCRIBE_BUDGET_F_ON_SOFT 4
#define FF_FN_DESCRIBE_BUDGET_F_RESET_INTERVAL_MS 5
#define FF_FN_DESCRIBE_BUDGET_F_CREATED_AT 6
#define FF_FN_DESCRIBE_BUDGET_F_NEXT_RESET_AT 7
#define FF_FN_DESCRIBE_BUDGET_F_RESET_COUNT 8
#define FF_FN_DESCRIBE_BUDGET_F_BREACHES 9
#define FF_FN_DESCRIBE_BUDGET_F_SOFT_BREACHES 10
#define FF_FN_DESCRIBE_BUDGET_F_LAST_BREACH_AT 11
#define FF_FN_DESCRIBE_BUDGET_F_LAST_BREACH_DIM 12
#define FF_FN_DESCRIBE_BUDGET_F_LAST_RESET_AT 13
#define FF_FN_DESCRIBE_BUDGET_F_EXECUTIONS 14
#define FF_FN_DESCRIBE_BUDGET_NFIELDS 15
#define FF_FN_DESCRIBE_BUDGET_ITEMS_AT 15
#define FF_FN_DESCRIBE_BUDGET_ITEM_STRIDE 4
#define FF_FN_DESCRIBE_BUDGET_ITEM_NAME 0
#define FF_FN_DESCRIBE_BUDGET_ITEM_HARD 1
#define FF_FN_DESCRIBE_BUDGET_ITEM_SOFT 2
#define FF_FN_DESCRIBE_BUDGET_ITEM_USAGE 3

/* ff_describe_quota: A lane's policy on one partition and one page of its groups with their holders, window use, parked work and pause. */
#define FF_FN_DESCRIBE_QUOTA "ff_describe_quota"
#define FF_FN_DESCRIBE_QUOTA_NKEYS 1
#define FF_FN_DESCRIBE_QUOTA_NKEYS_STR "1"
#define FF_FN_DESCRIBE_QUOTA_NARGS 3
#define FF_FN_DESCRIBE_QUOTA_VARARGS 0
#define FF_FN_DESCRIBE_QUOTA_RO 1
#define FF_FN_DESCRIBE_QUOTA_F_QUOTA_ID 1
#define FF_FN_DESCRIBE_QUOTA_F_RATE 2
#define FF_FN_DESCRIBE_QUOTA_F_WINDOW_MS 3
#define FF_FN_DESCRIBE_QUOTA_F_CONCURRENCY 4
#define FF_FN_DESCRIBE_QUOTA_F_NEXT_CURSOR 5
#define FF_FN_DESCRIBE_QUOTA_NFIELDS 6
#define FF_FN_DESCRIBE_QUOTA_ITEMS_AT 6
#define FF_FN_DESCRIBE_QUOTA_ITEM_STRIDE 5
#define FF_FN_DESCRIBE_QUOTA_ITEM_GROUP 0
#define FF_FN_DESCRIBE_QUOTA_ITEM_HOLDERS 1
#define FF_FN_DESCRIBE_QUOTA_ITEM_WINDOW_USED 2
#define FF_FN_DESCRIBE_QUOTA_ITEM_PARKED 3
#define FF_FN_DESCRIBE_QUOTA_ITEM_PAUSED_UNTIL 4

/* ff_engine_beat: An engine's heartbeat; reply with the live engines. */
#define FF_FN_ENGINE_BEAT "ff_engine_beat"
#define FF_FN_ENGINE_BEAT_NKEYS 2
#define FF_FN_ENGINE_BEAT_NKEYS_STR "2"
#define FF_FN_ENGINE_BEAT_NARGS 3
#define FF_FN_ENGINE_BEAT_VARARGS 0
#define FF_FN_ENGINE_BEAT_RO 0
#define FF_FN_ENGINE_BEAT_F_LIVE_ENGINES 1
#define FF_FN_ENGINE_BEAT_F_NOW_MS 2
#define FF_FN_ENGINE_BEAT_NFIELDS 3
#define FF_FN_ENGINE_BEAT_ITEMS_AT 3
#define FF_FN_ENGINE_BEAT_ITEM_STRIDE 1
#define FF_FN_ENGINE_BEAT_ITEM_ID 0

/* ff_engine_list: The live engines and their reports. */
#define FF_FN_ENGINE_LIST "ff_engine_list"
#define FF_FN_ENGINE_LIST_NKEYS 2
#define FF_FN_ENGINE_LIST_NKEYS_STR "2"
#define FF_FN_ENGINE_LIST_NARGS 0
#define FF_FN_ENGINE_LIST_VARARGS 0
#define FF_FN_ENGINE_LIST_RO 1
#define FF_FN_ENGINE_LIST_NFIELDS 1
#define FF_FN_ENGINE_LIST_ITEMS_AT 1
#define FF_FN_ENGINE_LIST_ITEM_STRIDE 3
#define FF_FN_ENGINE_LIST_ITEM_ID 0
#define FF_FN_ENGINE_LIST_ITEM_EXPIRES_AT 1
#define FF_FN_ENGINE_LIST_ITEM_INFO 2

/* ff_engine_sweep: One bounded sweep of a partition: timers, promotion, retention, reconciliation. */
#define FF_FN_ENGINE_SWEEP "ff_engine_sweep"
#define FF_FN_ENGINE_SWEEP_NKEYS 1
#define FF_FN_ENGINE_SWEEP_NKEYS_STR "1"
#define FF_FN_ENGINE_SWEEP_NARGS 3
#define FF_FN_ENGINE_SWEEP_VARARGS 0
#define FF_FN_ENGINE_SWEEP_RO 0
#define FF_FN_ENGINE_SWEEP_F_OUTCOME 1
#define FF_FN_ENGINE_SWEEP_F_LEASES_EXPIRED 2
#define FF_FN_ENGINE_SWEEP_F_PROMOTED 3
#define FF_FN_ENGINE_SWEEP_F_ATTEMPT_TIMEOUTS 4
#define FF_FN_ENGINE_SWEEP_F_DEADLINES_EXPIRED 5
#define FF_FN_ENGINE_SWEEP_F_RETAINED_DELETED 6
#define FF_FN_ENGINE_SWEEP_F_REPAIRED 7
#define FF_FN_ENGINE_SWEEP_F_MORE 8
#define FF_FN_ENGINE_SWEEP_F_NEXT_DUE_MS 9
#define FF_FN_ENGINE_SWEEP_F_NOW_MS 10
#define FF_FN_ENGINE_SWEEP_F_SUSPENSION_TIMEOUTS 11
#define FF_FN_ENGINE_SWEEP_F_WAITPOINTS_EXPIRED 12
#define FF_FN_ENGINE_SWEEP_F_FLOW_EDGES_RESOLVED 13
#define FF_FN_ENGINE_SWEEP_F_FLOWS_DELETED 14
#define FF_FN_ENGINE_SWEEP_NFIELDS 15

/* ff_fail: Fail the running attempt: retry per policy or end as failed. */
#define FF_FN_FAIL "ff_fail"
#define FF_FN_FAIL_NKEYS 1
#define FF_FN_FAIL_NKEYS_STR "1"
#define FF_FN_FAIL_NARGS 8
#define FF_FN_FAIL_VARARGS 0
#define FF_FN_FAIL_RO 0
#define FF_FN_FAIL_F_OUTCOME 1
#define FF_FN_FAIL_F_RETRY_AT 2
#define FF_FN_FAIL_NFIELDS 2

/* ff_flow_add_edge: Stage a dependency edge upstream -> downstream at an expected graph revision. */
#define FF_FN_FLOW_ADD_EDGE "ff_flow_add_edge"
#define FF_FN_FLOW_ADD_EDGE_NKEYS 1
#define FF_FN_FLOW_ADD_EDGE_NKEYS_STR "1"
#define FF_FN_FLOW_ADD_EDGE_NARGS 6
#define FF_FN_FLOW_ADD_EDGE_VARARGS 0
#define FF_FN_FLOW_ADD_EDGE_RO 0
#define FF_FN_FLOW_ADD_EDGE_F_EDGE_ID 1
#define FF_FN_FLOW_ADD_EDGE_F_REVISION 2
#define FF_FN_FLOW_ADD_EDGE_F_STATE 3
#define FF_FN_FLOW_ADD_EDGE_NFIELDS 4

/* ff_flow_add_member: Add an existing execution of the flow's partition to the flow (atomic, idempotent). */
#define FF_FN_FLOW_ADD_MEMBER "ff_flow_add_member"
#define FF_FN_FLOW_ADD_MEMBER_NKEYS 1
#define FF_FN_FLOW_ADD_MEMBER_NKEYS_STR "1"
#define FF_FN_FLOW_ADD_MEMBER_NARGS 2
#define FF_FN_FLOW_ADD_MEMBER_VARARGS 0
#define FF_FN_FLOW_ADD_MEMBER_RO 0
#define FF_FN_FLOW_ADD_MEMBER_F_OUTCOME 1
#define FF_FN_FLOW_ADD_MEMBER_F_MEMBERS 2
#define FF_FN_FLOW_ADD_MEMBER_F_REVISION 3
#define FF_FN_FLOW_ADD_MEMBER_NFIELDS 4

/* ff_flow_cancel: Cancel a flow: cancel_all (every member not ended), cancel_pending (members that never started), flow_only (members untouched). */
#define FF_FN_FLOW_CANCEL "ff_flow_cancel"
#define FF_FN_FLOW_CANCEL_NKEYS 1
#define FF_FN_FLOW_CANCEL_NKEYS_STR "1"
#define FF_FN_FLOW_CANCEL_NARGS 3
#define FF_FN_FLOW_CANCEL_VARARGS 0
#define FF_FN_FLOW_CANCEL_RO 0
#define FF_FN_FLOW_CANCEL_F_OUTCOME 1
#define FF_FN_FLOW_CANCEL_F_POLICY 2
#define FF_FN_FLOW_CANCEL_NFIELDS 3
#define FF_FN_FLOW_CANCEL_ITEMS_AT 3
#define FF_FN_FLOW_CANCEL_ITEM_STRIDE 1
#define FF_FN_FLOW_CANCEL_ITEM_EID 0

/* ff_flow_children: The members of every child flow an execution spawned, with their outcomes and results. */
#define FF_FN_FLOW_CHILDREN "ff_flow_children"
#define FF_FN_FLOW_CHILDREN_NKEYS 1
#define FF_FN_FLOW_CHILDREN_NKEYS_STR "1"
#define FF_FN_FLOW_CHILDREN_NARGS 1
#define FF_FN_FLOW_CHILDREN_VARARGS 0
#define FF_FN_FLOW_CHILDREN_RO 1
#define FF_FN_FLOW_CHILDREN_NFIELDS 1
#define FF_FN_FLOW_CHILDREN_ITEMS_AT 1
#define FF_FN_FLOW_CHILDREN_ITEM_STRIDE 5
#define FF_FN_FLOW_CHILDREN_ITEM_FLOW_ID 0
#define FF_FN_FLOW_CHILDREN_ITEM_EID 1
#define FF_FN_FLOW_CHILDREN_ITEM_PUBLIC_STATE 2
#define FF_FN_FLOW_CHILDREN_ITEM_HAS_RESULT 3
#define FF_FN_FLOW_CHILDREN_ITEM_RESULT 4

/* ff_flow_create: Create a flow (idempotent: a repeat returns the stored flow and keeps its limits). */
#define FF_FN_FLOW_CREATE "ff_flow_create"
#define FF_FN_FLOW_CREATE_NKEYS 1
#define FF_FN_FLOW_CREATE_NKEYS_STR "1"
#define FF_FN_FLOW_CREATE_NARGS 5
#define FF_FN_FLOW_CREATE_VARARGS 0
#define FF_FN_FLOW_CREATE_RO 0
#define FF_FN_FLOW_CREATE_F_FLOW_ID 1
#define FF_FN_FLOW_CREATE_F_OUTCOME 2
#define FF_FN_FLOW_CREATE_F_MAX_MEMBERS 3
#define FF_FN_FLOW_CREATE_F_MAX_INCOMING 4
#define FF_FN_FLOW_CREATE_NFIELDS 5

/* ff_flow_describe: The flow: derived state, counts, revision, members, edges and groups, as JSON text. */
#define FF_FN_FLOW_DESCRIBE "ff_flow_describe"
#define FF_FN_FLOW_DESCRIBE_NKEYS 1
#define FF_FN_FLOW_DESCRIBE_NKEYS_STR "1"
#define FF_FN_FLOW_DESCRIBE_NARGS 1
#define FF_FN_FLOW_DESCRIBE_VARARGS 0
#define FF_FN_FLOW_DESCRIBE_RO 1
#define FF_FN_FLOW_DESCRIBE_F_DOC 1
#define FF_FN_FLOW_DESCRIBE_F_STATE 2
#define FF_FN_FLOW_DESCRIBE_NFIELDS 3

/* ff_flow_edge: One edge, as JSON text. */
#define FF_FN_FLOW_EDGE "ff_flow_edge"
#define FF_FN_FLOW_EDGE_NKEYS 1
#define FF_FN_FLOW_EDGE_NKEYS_STR "1"
#define FF_FN_FLOW_EDGE_NARGS 2
#define FF_FN_FLOW_EDGE_VARARGS 0
#define FF_FN_FLOW_EDGE_RO 1
#define FF_FN_FLOW_EDGE_F_DOC 1
#define FF_FN_FLOW_EDGE_NFIELDS 2

/* ff_flow_edges: The edges into or out of one member. */
#define FF_FN_FLOW_EDGES "ff_flow_edges"
#define FF_FN_FLOW_EDGES_NKEYS 1
#define FF_FN_FLOW_EDGES_NKEYS_STR "1"
#define FF_FN_FLOW_EDGES_NARGS 3
#define FF_FN_FLOW_EDGES_VARARGS 0
#define FF_FN_FLOW_EDGES_RO 1
#define FF_FN_FLOW_EDGES_NFIELDS 1
#define FF_FN_FLOW_EDGES_ITEMS_AT 1
#define FF_FN_FLOW_EDGES_ITEM_STRIDE 4
#define FF_FN_FLOW_EDGES_ITEM_EDGE_ID 0
#define FF_FN_FLOW_EDGES_ITEM_UPSTREAM 1
#define FF_FN_FLOW_EDGES_ITEM_DOWNSTREAM 2
#define FF_FN_FLOW_EDGES_ITEM_STATE 3

/* ff_flow_feed: One page of a partition's flow completion feed after an exclusive cursor. */
#define FF_FN_FLOW_FEED "ff_flow_feed"
#define FF_FN_FLOW_FEED_NKEYS 1
#define FF_FN_FLOW_FEED_NKEYS_STR "1"
#define FF_FN_FLOW_FEED_NARGS 2
#define FF_FN_FLOW_FEED_VARARGS 0
#define FF_FN_FLOW_FEED_RO 1
#define FF_FN_FLOW_FEED_F_CURSOR 1
#define FF_FN_FLOW_FEED_F_GAP 2
#define FF_FN_FLOW_FEED_NFIELDS 3
#define FF_FN_FLOW_FEED_ITEMS_AT 3
#define FF_FN_FLOW_FEED_ITEM_STRIDE 5
#define FF_FN_FLOW_FEED_ITEM_ID 0
#define FF_FN_FLOW_FEED_ITEM_FLOW_ID 1
#define FF_FN_FLOW_FEED_ITEM_EID 2
#define FF_FN_FLOW_FEED_ITEM_OUTCOME 3
#define FF_FN_FLOW_FEED_ITEM_KIND 4

/* ff_flow_feed_mark: First half of ff_flow_feed_wait: "terminal" when entries follow the cursor, else mark the partition's feed as waited for. */
#define FF_FN_FLOW_FEED_MARK "ff_flow_feed_mark"
#define FF_FN_FLOW_FEED_MARK_NKEYS 1
#define FF_FN_FLOW_FEED_MARK_NKEYS_STR "1"
#define FF_FN_FLOW_FEED_MARK_NARGS 1
#define FF_FN_FLOW_FEED_MARK_VARARGS 0
#define FF_FN_FLOW_FEED_MARK_RO 0
#define FF_FN_FLOW_FEED_MARK_F_OUTCOME 1
#define FF_FN_FLOW_FEED_MARK_NFIELDS 2

/* ff_flow_list: One page of a partition's flow ids, in byte order after an exclusive cursor. */
#define FF_FN_FLOW_LIST "ff_flow_list"
#define FF_FN_FLOW_LIST_NKEYS 1
#define FF_FN_FLOW_LIST_NKEYS_STR "1"
#define FF_FN_FLOW_LIST_NARGS 2
#define FF_FN_FLOW_LIST_VARARGS 0
#define FF_FN_FLOW_LIST_RO 1
#define FF_FN_FLOW_LIST_F_NEXT_CURSOR 1
#define FF_FN_FLOW_LIST_NFIELDS 2
#define FF_FN_FLOW_LIST_ITEMS_AT 2
#define FF_FN_FLOW_LIST_ITEM_STRIDE 1
#define FF_FN_FLOW_LIST_ITEM_FLOW_ID 0

/* ff_flow_of: The flow an execution belongs to ("" when none). */
#define FF_FN_FLOW_OF "ff_flow_of"
#define FF_FN_FLOW_OF_NKEYS 1
#define FF_FN_FLOW_OF_NKEYS_STR "1"
#define FF_FN_FLOW_OF_NARGS 1
#define FF_FN_FLOW_OF_VARARGS 0
#define FF_FN_FLOW_OF_RO 1
#define FF_FN_FLOW_OF_F_FLOW_ID 1
#define FF_FN_FLOW_OF_NFIELDS 2

/* ff_flow_parents: The upstream members of an execution, with the results their data-passing edges carry. */
#define FF_FN_FLOW_PARENTS "ff_flow_parents"
#define FF_FN_FLOW_PARENTS_NKEYS 1
#define FF_FN_FLOW_PARENTS_NKEYS_STR "1"
#define FF_FN_FLOW_PARENTS_NARGS 1
#define FF_FN_FLOW_PARENTS_VARARGS 0
#define FF_FN_FLOW_PARENTS_RO 1
#define FF_FN_FLOW_PARENTS_NFIELDS 1
#define FF_FN_FLOW_PARENTS_ITEMS_AT 1
#define FF_FN_FLOW_PARENTS_ITEM_STRIDE 5
#define FF_FN_FLOW_PARENTS_ITEM_UPSTREAM 0
#define FF_FN_FLOW_PARENTS_ITEM_EDGE_ID 1
#define FF_FN_FLOW_PARENTS_ITEM_STATE 2
#define FF_FN_FLOW_PARENTS_ITEM_HAS_RESULT 3
#define FF_FN_FLOW_PARENTS_ITEM_RESULT 4

/* ff_flow_set_group: Set the policy of a member's incoming edge group (before any edge into it is staged). */
#define FF_FN_FLOW_SET_GROUP "ff_flow_set_group"
#define FF_FN_FLOW_SET_GROUP_NKEYS 1
#define FF_FN_FLOW_SET_GROUP_NKEYS_STR "1"
#define FF_FN_FLOW_SET_GROUP_NARGS 5
#define FF_FN_FLOW_SET_GROUP_VARARGS 0
#define FF_FN_FLOW_SET_GROUP_RO 0
#define FF_FN_FLOW_SET_GROUP_F_OUTCOME 1
#define FF_FN_FLOW_SET_GROUP_NFIELDS 2

/* ff_flow_submit: Create a flow with all its members, groups and edges in one atomic call (idempotent by flow id). */
#define FF_FN_FLOW_SUBMIT "ff_flow_submit"
#define FF_FN_FLOW_SUBMIT_NKEYS 1
#define FF_FN_FLOW_SUBMIT_NKEYS_STR "1"
#define FF_FN_FLOW_SUBMIT_NARGS 9
#define FF_FN_FLOW_SUBMIT_VARARGS 1
#define FF_FN_FLOW_SUBMIT_RO 0
#define FF_FN_FLOW_SUBMIT_F_FLOW_ID 1
#define FF_FN_FLOW_SUBMIT_F_OUTCOME 2
#define FF_FN_FLOW_SUBMIT_NFIELDS 3
#define FF_FN_FLOW_SUBMIT_ITEMS_AT 3
#define FF_FN_FLOW_SUBMIT_ITEM_STRIDE 1
#define FF_FN_FLOW_SUBMIT_ITEM_EID 0

/* ff_flow_wait_mark: Mark a flow as waited for (its settling publishes ff:done), unless it settled already. */
#define FF_FN_FLOW_WAIT_MARK "ff_flow_wait_mark"
#define FF_FN_FLOW_WAIT_MARK_NKEYS 1
#define FF_FN_FLOW_WAIT_MARK_NKEYS_STR "1"
#define FF_FN_FLOW_WAIT_MARK_NARGS 1
#define FF_FN_FLOW_WAIT_MARK_VARARGS 0
#define FF_FN_FLOW_WAIT_MARK_RO 0
#define FF_FN_FLOW_WAIT_MARK_F_OUTCOME 1
#define FF_FN_FLOW_WAIT_MARK_NFIELDS 2

/* ff_grant_and_claim: Operator: lease one named execution to a named worker now, whatever attempt it starts (initial, retry, replay, resumed or reclaim). */
#define FF_FN_GRANT_AND_CLAIM "ff_grant_and_claim"
#define FF_FN_GRANT_AND_CLAIM_NKEYS 1
#define FF_FN_GRANT_AND_CLAIM_NKEYS_STR "1"
#define FF_FN_GRANT_AND_CLAIM_NARGS 7
#define FF_FN_GRANT_AND_CLAIM_VARARGS 0
#define FF_FN_GRANT_AND_CLAIM_RO 0
#define FF_FN_GRANT_AND_CLAIM_F_N 1
#define FF_FN_GRANT_AND_CLAIM_NFIELDS 2
#define FF_FN_GRANT_AND_CLAIM_ITEMS_AT 2
#define FF_FN_GRANT_AND_CLAIM_ITEM_STRIDE 11
#define FF_FN_GRANT_AND_CLAIM_ITEM_EID 0
#define FF_FN_GRANT_AND_CLAIM_ITEM_ATTEMPT_INDEX 1
#define FF_FN_GRANT_AND_CLAIM_ITEM_ATTEMPT_ID 2
#define FF_FN_GRANT_AND_CLAIM_ITEM_ATTEMPT_TYPE 3
#define FF_FN_GRANT_AND_CLAIM_ITEM_LEASE_ID 4
#define FF_FN_GRANT_AND_CLAIM_ITEM_EPOCH 5
#define FF_FN_GRANT_AND_CLAIM_ITEM_EXPIRES_AT 6
#define FF_FN_GRANT_AND_CLAIM_ITEM_KIND 7
#define FF_FN_GRANT_AND_CLAIM_ITEM_NAMESPACE 8
#define FF_FN_GRANT_AND_CLAIM_ITEM_PAYLOAD 9
#define FF_FN_GRANT_AND_CLAIM_ITEM_LANE 10

/* ff_lane_create: Configure a lane on one partition: it is listed (and kept by retention) before any execution uses it. */
#define FF_FN_LANE_CREATE "ff_lane_create"
#define FF_FN_LANE_CREATE_NKEYS 1
#define FF_FN_LANE_CREATE_NKEYS_STR "1"
#define FF_FN_LANE_CREATE_NARGS 1
#define FF_FN_LANE_CREATE_VARARGS 0
#define FF_FN_LANE_CREATE_RO 0
#define FF_FN_LANE_CREATE_F_CREATED 1
#define FF_FN_LANE_CREATE_F_CONFIGURED_AT 2
#define FF_FN_LANE_CREATE_NFIELDS 3

/* ff_lane_page: One page of the lanes of a partition (configured or in use), in byte order after an exclusive cursor, with their pause. */
#define FF_FN_LANE_PAGE "ff_lane_page"
#define FF_FN_LANE_PAGE_NKEYS 1
#define FF_FN_LANE_PAGE_NKEYS_STR "1"
#define FF_FN_LANE_PAGE_NARGS 2
#define FF_FN_LANE_PAGE_VARARGS 0
#define FF_FN_LANE_PAGE_RO 1
#define FF_FN_LANE_PAGE_F_NEXT_CURSOR 1
#define FF_FN_LANE_PAGE_NFIELDS 2
#define FF_FN_LANE_PAGE_ITEMS_AT 2
#define FF_FN_LANE_PAGE_ITEM_STRIDE 5
#define FF_FN_LANE_PAGE_ITEM_LANE 0
#define FF_FN_LANE_PAGE_ITEM_CONFIGURED_AT 1
#define FF_FN_LANE_PAGE_ITEM_PAUSED 2
#define FF_FN_LANE_PAGE_ITEM_PAUSED_AT 3
#define FF_FN_LANE_PAGE_ITEM_REASON 4

/* ff_lane_pause: Pause a lane on one partition: no claim leases its work until it is resumed; an existing pause keeps its time and reason. */
#define FF_FN_LANE_PAUSE "ff_lane_pause"
#define FF_FN_LANE_PAUSE_NKEYS 1
#define FF_FN_LANE_PAUSE_NKEYS_STR "1"
#define FF_FN_LANE_PAUSE_NARGS 2
#define FF_FN_LANE_PAUSE_VARARGS 0
#define FF_FN_LANE_PAUSE_RO 0
#define FF_FN_LANE_PAUSE_F_PAUSED 1
#define FF_FN_LANE_PAUSE_F_PAUSED_AT 2
#define FF_FN_LANE_PAUSE_NFIELDS 3

/* ff_lane_resume: Resume a paused lane on one partition; its idle workers are woken when it has eligible work. */
#define FF_FN_LANE_RESUME "ff_lane_resume"
#define FF_FN_LANE_RESUME_NKEYS 1
#define FF_FN_LANE_RESUME_NKEYS_STR "1"
#define FF_FN_LANE_RESUME_NARGS 1
#define FF_FN_LANE_RESUME_VARARGS 0
#define FF_FN_LANE_RESUME_RO 0
#define FF_FN_LANE_RESUME_F_WAS_PAUSED 1
#define FF_FN_LANE_RESUME_NFIELDS 2

/* ff_lanes: The lanes of a partition, sorted. */
#define FF_FN_LANES "ff_lanes"
#define FF_FN_LANES_NKEYS 1
#define FF_FN_LANES_NKEYS_STR "1"
#define FF_FN_LANES_NARGS 0
#define FF_FN_LANES_VARARGS 0
#define FF_FN_LANES_RO 1
#define FF_FN_LANES_NFIELDS 1
#define FF_FN_LANES_ITEMS_AT 1
#define FF_FN_LANES_ITEM_STRIDE 1
#define FF_FN_LANES_ITEM_LANE 0

/* ff_lease_current: Is this fence the execution's current, unexpired lease? (read on the execution's slot; ff_budget_report_usage's first step) */
#define FF_FN_LEASE_CURRENT "ff_lease_current"
#define FF_FN_LEASE_CURRENT_NKEYS 1
#define FF_FN_LEASE_CURRENT_NKEYS_STR "1"
#define FF_FN_LEASE_CURRENT_NARGS 4
#define FF_FN_LEASE_CURRENT_VARARGS 0
#define FF_FN_LEASE_CURRENT_RO 1
#define FF_FN_LEASE_CURRENT_F_OUTCOME 1
#define FF_FN_LEASE_CURRENT_NFIELDS 2

/* ff_list_budgets: One page of a budget partition's budget ids, in byte order after an exclusive cursor. */
#define FF_FN_LIST_BUDGETS "ff_list_budgets"
#define FF_FN_LIST_BUDGETS_NKEYS 1
#define FF_FN_LIST_BUDGETS_NKEYS_STR "1"
#define FF_FN_LIST_BUDGETS_NARGS 2
#define FF_FN_LIST_BUDGETS_VARARGS 0
#define FF_FN_LIST_BUDGETS_RO 1
#define FF_FN_LIST_BUDGETS_F_NEXT_CURSOR 1
#define FF_FN_LIST_BUDGETS_NFIELDS 2
#define FF_FN_LIST_BUDGETS_ITEMS_AT 2
#define FF_FN_LIST_BUDGETS_ITEM_STRIDE 1
#define FF_FN_LIST_BUDGETS_ITEM_BUDGET_ID 0

/* ff_list_lane: One page of a lane index. */
#define FF_FN_LIST_LANE "ff_list_lane"
#define FF_FN_LIST_LANE_NKEYS 1
#define FF_FN_LIST_LANE_NKEYS_STR "1"
#define FF_FN_LIST_LANE_NARGS 2
#define FF_FN_LIST_LANE_VARARGS 0
#define FF_FN_LIST_LANE_RO 1
#define FF_FN_LIST_LANE_F_NEXT_OFFSET 1
#define FF_FN_LIST_LANE_NFIELDS 2
#define FF_FN_LIST_LANE_ITEMS_AT 2
#define FF_FN_LIST_LANE_ITEM_STRIDE 1
#define FF_FN_LIST_LANE_ITEM_EID 0

/* ff_list_partition: One SSCAN page of a partition's execution ids. */
#define FF_FN_LIST_PARTITION "ff_list_partition"
#define FF_FN_LIST_PARTITION_NKEYS 1
#define FF_FN_LIST_PARTITION_NKEYS_STR "1"
#define FF_FN_LIST_PARTITION_NARGS 2
#define FF_FN_LIST_PARTITION_VARARGS 0
#define FF_FN_LIST_PARTITION_RO 1
#define FF_FN_LIST_PARTITION_F_NEXT_CURSOR 1
#define FF_FN_LIST_PARTITION_NFIELDS 2
#define FF_FN_LIST_PARTITION_ITEMS_AT 2
#define FF_FN_LIST_PARTITION_ITEM_STRIDE 1
#define FF_FN_LIST_PARTITION_ITEM_EID 0

/* ff_list_quarantined: One page of the executions set aside as corrupt. */
#define FF_FN_LIST_QUARANTINED "ff_list_quarantined"
#define FF_FN_LIST_QUARANTINED_NKEYS 1
#define FF_FN_LIST_QUARANTINED_NKEYS_STR "1"
#define FF_FN_LIST_QUARANTINED_NARGS 2
#define FF_FN_LIST_QUARANTINED_VARARGS 0
#define FF_FN_LIST_QUARANTINED_RO 1
#define FF_FN_LIST_QUARANTINED_F_NEXT_OFFSET 1
#define FF_FN_LIST_QUARANTINED_NFIELDS 2
#define FF_FN_LIST_QUARANTINED_ITEMS_AT 2
#define FF_FN_LIST_QUARANTINED_ITEM_STRIDE 3
#define FF_FN_LIST_QUARANTINED_ITEM_EID 0
#define FF_FN_LIST_QUARANTINED_ITEM_QUARANTINED_AT 1
#define FF_FN_LIST_QUARANTINED_ITEM_WHY 2

/* ff_list_quotas: One page of the lanes of a partition that have a quota policy, in byte order after an exclusive cursor. */
#define FF_FN_LIST_QUOTAS "ff_list_quotas"
#define FF_FN_LIST_QUOTAS_NKEYS 1
#define FF_FN_LIST_QUOTAS_NKEYS_STR "1"
#define FF_FN_LIST_QUOTAS_NARGS 2
#define FF_FN_LIST_QUOTAS_VARARGS 0
#define FF_FN_LIST_QUOTAS_RO 1
#define FF_FN_LIST_QUOTAS_F_NEXT_CURSOR 1
#define FF_FN_LIST_QUOTAS_NFIELDS 2
#define FF_FN_LIST_QUOTAS_ITEMS_AT 2
#define FF_FN_LIST_QUOTAS_ITEM_STRIDE 1
#define FF_FN_LIST_QUOTAS_ITEM_LANE 0

/* ff_list_suspended: One page of a partition's suspended executions, oldest first. */
#define FF_FN_LIST_SUSPENDED "ff_list_suspended"
#define FF_FN_LIST_SUSPENDED_NKEYS 1
#define FF_FN_LIST_SUSPENDED_NKEYS_STR "1"
#define FF_FN_LIST_SUSPENDED_NARGS 2
#define FF_FN_LIST_SUSPENDED_VARARGS 0
#define FF_FN_LIST_SUSPENDED_RO 1
#define FF_FN_LIST_SUSPENDED_F_NEXT_OFFSET 1
#define FF_FN_LIST_SUSPENDED_NFIELDS 2
#define FF_FN_LIST_SUSPENDED_ITEMS_AT 2
#define FF_FN_LIST_SUSPENDED_ITEM_STRIDE 4
#define FF_FN_LIST_SUSPENDED_ITEM_EID 0
#define FF_FN_LIST_SUSPENDED_ITEM_SUSPENDED_AT 1
#define FF_FN_LIST_SUSPENDED_ITEM_BLOCKING_REASON 2
#define FF_FN_LIST_SUSPENDED_ITEM_TIMEOUT_AT 3

/* ff_observe_signals: The signals that satisfied an attempt's last closed suspension. */
#define FF_FN_OBSERVE_SIGNALS "ff_observe_signals"
#define FF_FN_OBSERVE_SIGNALS_NKEYS 1
#define FF_FN_OBSERVE_SIGNALS_NKEYS_STR "1"
#define FF_FN_OBSERVE_SIGNALS_NARGS 2
#define FF_FN_OBSERVE_SIGNALS_VARARGS 0
#define FF_FN_OBSERVE_SIGNALS_RO 1
#define FF_FN_OBSERVE_SIGNALS_F_N 1
#define FF_FN_OBSERVE_SIGNALS_NFIELDS 2
#define FF_FN_OBSERVE_SIGNALS_ITEMS_AT 2
#define FF_FN_OBSERVE_SIGNALS_ITEM_STRIDE 6
#define FF_FN_OBSERVE_SIGNALS_ITEM_SIGNAL_ID 0
#define FF_FN_OBSERVE_SIGNALS_ITEM_NAME 1
#define FF_FN_OBSERVE_SIGNALS_ITEM_SOURCE_TYPE 2
#define FF_FN_OBSERVE_SIGNALS_ITEM_SOURCE_IDENTITY 3
#define FF_FN_OBSERVE_SIGNALS_ITEM_ACCEPTED_AT 4
#define FF_FN_OBSERVE_SIGNALS_ITEM_PAYLOAD 5

/* ff_partition_stats: One partition's health counters. */
#define FF_FN_PARTITION_STATS "ff_partition_stats"
#define FF_FN_PARTITION_STATS_NKEYS 1
#define FF_FN_PARTITION_STATS_NKEYS_STR "1"
#define FF_FN_PARTITION_STATS_NARGS 0
#define FF_FN_PARTITION_STATS_VARARGS 0
#define FF_FN_PARTITION_STATS_RO 1
#define FF_FN_PARTITION_STATS_F_LEASES_HELD 1
#define FF_FN_PARTITION_STATS_F_LEASES_OVERDUE 2
#define FF_FN_PARTITION_STATS_F_QUARANTINED 3
#define FF_FN_PARTITION_STATS_F_SUSPENDED 4
#define FF_FN_PARTITION_STATS_NFIELDS 5

/* ff_pause_group: Pause a group of a lane until a time on one partition (after a 429): its work is parked, not failed; a longer pause already set is kept. */
#define FF_FN_PAUSE_GROUP "ff_pause_group"
#define FF_FN_PAUSE_GROUP_NKEYS 1
#define FF_FN_PAUSE_GROUP_NKEYS_STR "1"
#define FF_FN_PAUSE_GROUP_NARGS 3
#define FF_FN_PAUSE_GROUP_VARARGS 0
#define FF_FN_PAUSE_GROUP_RO 0
#define FF_FN_PAUSE_GROUP_F_PAUSED_UNTIL 1
#define FF_FN_PAUSE_GROUP_NFIELDS 2

/* ff_progress: Record progress of the running attempt. */
#define FF_FN_PROGRESS "ff_progress"
#define FF_FN_PROGRESS_NKEYS 1
#define FF_FN_PROGRESS_NKEYS_STR "1"
#define FF_FN_PROGRESS_NARGS 6
#define FF_FN_PROGRESS_VARARGS 0
#define FF_FN_PROGRESS_RO 0
#define FF_FN_PROGRESS_NFIELDS 1

/* ff_rate_limited: The lease holder hit a rate limit: its group is paused until a time and the attempt goes back, parked, without counting as a failure. */
#define FF_FN_RATE_LIMITED "ff_rate_limited"
#define FF_FN_RATE_LIMITED_NKEYS 1
#define FF_FN_RATE_LIMITED_NKEYS_STR "1"
#define FF_FN_RATE_LIMITED_NARGS 5
#define FF_FN_RATE_LIMITED_VARARGS 0
#define FF_FN_RATE_LIMITED_RO 0
#define FF_FN_RATE_LIMITED_F_PAUSED_UNTIL 1
#define FF_FN_RATE_LIMITED_F_GROUP 2
#define FF_FN_RATE_LIMITED_NFIELDS 3

/* ff_read_stream: Frames of one attempt's output stream after an exclusive cursor, with its closed state. */
#define FF_FN_READ_STREAM "ff_read_stream"
#define FF_FN_READ_STREAM_NKEYS 1
#define FF_FN_READ_STREAM_NKEYS_STR "1"
#define FF_FN_READ_STREAM_NARGS 6
#define FF_FN_READ_STREAM_VARARGS 0
#define FF_FN_READ_STREAM_RO 1
#define FF_FN_READ_STREAM_F_CLOSED_AT 1
#define FF_FN_READ_STREAM_F_CLOSED_REASON 2
#define FF_FN_READ_STREAM_F_CURSOR 3
#define FF_FN_READ_STREAM_F_MORE 4
#define FF_FN_READ_STREAM_F_N 5
#define FF_FN_READ_STREAM_NFIELDS 6
#define FF_FN_READ_STREAM_ITEMS_AT 6
#define FF_FN_READ_STREAM_ITEM_STRIDE 8
#define FF_FN_READ_STREAM_ITEM_ID 0
#define FF_FN_READ_STREAM_ITEM_FRAME_TYPE 1
#define FF_FN_READ_STREAM_ITEM_PAYLOAD 2
#define FF_FN_READ_STREAM_ITEM_ENCODING 3
#define FF_FN_READ_STREAM_ITEM_SOURCE 4
#define FF_FN_READ_STREAM_ITEM_CORRELATION_ID 5
#define FF_FN_READ_STREAM_ITEM_TS 6
#define FF_FN_READ_STREAM_ITEM_MODE 7

/* ff_read_summary: The summary document of one attempt (built from its summary frames' merge patches). */
#define FF_FN_READ_SUMMARY "ff_read_summary"
#define FF_FN_READ_SUMMARY_NKEYS 1
#define FF_FN_READ_SUMMARY_NKEYS_STR "1"
#define FF_FN_READ_SUMMARY_NARGS 2
#define FF_FN_READ_SUMMARY_VARARGS 0
#define FF_FN_READ_SUMMARY_RO 1
#define FF_FN_READ_SUMMARY_F_DOCUMENT 1
#define FF_FN_READ_SUMMARY_F_VERSION 2
#define FF_FN_READ_SUMMARY_F_CREATED 3
#define FF_FN_READ_SUMMARY_F_UPDATED 4
#define FF_FN_READ_SUMMARY_NFIELDS 5

/* ff_reclaim_grant: Grant one worker the reclaim of an execution whose lease was lost. */
#define FF_FN_RECLAIM_GRANT "ff_reclaim_grant"
#define FF_FN_RECLAIM_GRANT_NKEYS 1
#define FF_FN_RECLAIM_GRANT_NKEYS_STR "1"
#define FF_FN_RECLAIM_GRANT_NARGS 4
#define FF_FN_RECLAIM_GRANT_VARARGS 0
#define FF_FN_RECLAIM_GRANT_RO 0
#define FF_FN_RECLAIM_GRANT_F_TOKEN 1
#define FF_FN_RECLAIM_GRANT_F_EXPIRES_AT 2
#define FF_FN_RECLAIM_GRANT_NFIELDS 3

/* ff_release_budget: Give back exactly what one execution recorded in this period (never below 0; idempotent). */
#define FF_FN_RELEASE_BUDGET "ff_release_budget"
#define FF_FN_RELEASE_BUDGET_NKEYS 1
#define FF_FN_RELEASE_BUDGET_NKEYS_STR "1"
#define FF_FN_RELEASE_BUDGET_NARGS 2
#define FF_FN_RELEASE_BUDGET_VARARGS 0
#define FF_FN_RELEASE_BUDGET_RO 0
#define FF_FN_RELEASE_BUDGET_F_OUTCOME 1
#define FF_FN_RELEASE_BUDGET_F_DIMENSIONS 2
#define FF_FN_RELEASE_BUDGET_NFIELDS 3

/* ff_renew: Extend a lease. */
#define FF_FN_RENEW "ff_renew"
#define FF_FN_RENEW_NKEYS 1
#define FF_FN_RENEW_NKEYS_STR "1"
#define FF_FN_RENEW_NARGS 5
#define FF_FN_RENEW_VARARGS 0
#define FF_FN_RENEW_RO 0
#define FF_FN_RENEW_F_EXPIRES_AT 1
#define FF_FN_RENEW_NFIELDS 2

/* ff_replay: Run a terminal execution again. */
#define FF_FN_REPLAY "ff_replay"
#define FF_FN_REPLAY_NKEYS 1
#define FF_FN_REPLAY_NKEYS_STR "1"
#define FF_FN_REPLAY_NARGS 1
#define FF_FN_REPLAY_VARARGS 0
#define FF_FN_REPLAY_RO 0
#define FF_FN_REPLAY_F_PUBLIC_STATE 1
#define FF_FN_REPLAY_NFIELDS 2

/* ff_report_usage: Check then apply usage deltas: all apply, or none when one would pass its hard limit. */
#define FF_FN_REPORT_USAGE "ff_report_usage"
#define FF_FN_REPORT_USAGE_NKEYS 1
#define FF_FN_REPORT_USAGE_NKEYS_STR "1"
#define FF_FN_REPORT_USAGE_NARGS 3
#define FF_FN_REPORT_USAGE_VARARGS 1
#define FF_FN_REPORT_USAGE_RO 0
#define FF_FN_REPORT_USAGE_F_OUTCOME 1
#define FF_FN_REPORT_USAGE_F_DIMENSION 2
#define FF_FN_REPORT_USAGE_F_CURRENT 3
#define FF_FN_REPORT_USAGE_F_LIMIT 4
#define FF_FN_REPORT_USAGE_NFIELDS 5

/* ff_reset_budget: Zero every usage dimension, drop the ledgers, count the reset, schedule the next. */
#define FF_FN_RESET_BUDGET "ff_reset_budget"
#define FF_FN_RESET_BUDGET_NKEYS 1
#define FF_FN_RESET_BUDGET_NKEYS_STR "1"
#define FF_FN_RESET_BUDGET_NARGS 1
#define FF_FN_RESET_BUDGET_VARARGS 0
#define FF_FN_RESET_BUDGET_RO 0
#define FF_FN_RESET_BUDGET_F_OUTCOME 1
#define FF_FN_RESET_BUDGET_F_NEXT_RESET_AT 2
#define FF_FN_RESET_BUDGET_F_RESET_COUNT 3
#define FF_FN_RESET_BUDGET_NFIELDS 4

/* ff_result: The result of a completed execution, or how it ended. */
#define FF_FN_RESULT "ff_result"
#define FF_FN_RESULT_NKEYS 1
#define FF_FN_RESULT_NKEYS_STR "1"
#define FF_FN_RESULT_NARGS 1
#define FF_FN_RESULT_VARARGS 0
#define FF_FN_RESULT_RO 1
#define FF_FN_RESULT_F_RESULT 1
#define FF_FN_RESULT_NFIELDS 2

/* ff_resume_group: End a group's pause on one partition now; its parked work returns to eligible as its quota allows. */
#define FF_FN_RESUME_GROUP "ff_resume_group"
#define FF_FN_RESUME_GROUP_NKEYS 1
#define FF_FN_RESUME_GROUP_NKEYS_STR "1"
#define FF_FN_RESUME_GROUP_NARGS 2
#define FF_FN_RESUME_GROUP_VARARGS 0
#define FF_FN_RESUME_GROUP_RO 0
#define FF_FN_RESUME_GROUP_F_WAS_PAUSED 1
#define FF_FN_RESUME_GROUP_F_RETURNED 2
#define FF_FN_RESUME_GROUP_NFIELDS 3

/* ff_revoke: Revoke the lease of an active execution (operator). */
#define FF_FN_REVOKE "ff_revoke"
#define FF_FN_REVOKE_NKEYS 1
#define FF_FN_REVOKE_NKEYS_STR "1"
#define FF_FN_REVOKE_NARGS 3
#define FF_FN_REVOKE_VARARGS 0
#define FF_FN_REVOKE_RO 0
#define FF_FN_REVOKE_F_OUTCOME 1
#define FF_FN_REVOKE_F_LEASE_ID 2
#define FF_FN_REVOKE_F_EPOCH 3
#define FF_FN_REVOKE_NFIELDS 2

/* ff_secret_init: Install a partition's first signing secret (never replaces one). */
#define FF_FN_SECRET_INIT "ff_secret_init"
#define FF_FN_SECRET_INIT_NKEYS 1
#define FF_FN_SECRET_INIT_NKEYS_STR "1"
#define FF_FN_SECRET_INIT_NARGS 2
#define FF_FN_SECRET_INIT_VARARGS 0
#define FF_FN_SECRET_INIT_RO 0
#define FF_FN_SECRET_INIT_F_CURRENT_KID 1
#define FF_FN_SECRET_INIT_F_OUTCOME 2
#define FF_FN_SECRET_INIT_NFIELDS 3

/* ff_secret_list: The current kid and the previous kids still in their grace. */
#define FF_FN_SECRET_LIST "ff_secret_list"
#define FF_FN_SECRET_LIST_NKEYS 1
#define FF_FN_SECRET_LIST_NKEYS_STR "1"
#define FF_FN_SECRET_LIST_NARGS 0
#define FF_FN_SECRET_LIST_VARARGS 0
#define FF_FN_SECRET_LIST_RO 1
#define FF_FN_SECRET_LIST_F_CURRENT_KID 1
#define FF_FN_SECRET_LIST_F_N 2
#define FF_FN_SECRET_LIST_NFIELDS 3
#define FF_FN_SECRET_LIST_ITEMS_AT 3
#define FF_FN_SECRET_LIST_ITEM_STRIDE 2
#define FF_FN_SECRET_LIST_ITEM_KID 0
#define FF_FN_SECRET_LIST_ITEM_EXPIRES_AT 1

/* ff_secret_rotate: Rotate a partition's signing secret; the previous one verifies for a grace period. */
#define FF_FN_SECRET_ROTATE "ff_secret_rotate"
#define FF_FN_SECRET_ROTATE_NKEYS 1
#define FF_FN_SECRET_ROTATE_NKEYS_STR "1"
#define FF_FN_SECRET_ROTATE_NARGS 3
#define FF_FN_SECRET_ROTATE_VARARGS 0
#define FF_FN_SECRET_ROTATE_RO 0
#define FF_FN_SECRET_ROTATE_F_OUTCOME 1
#define FF_FN_SECRET_ROTATE_F_KID 2
#define FF_FN_SECRET_ROTATE_F_NEW_KID 3
#define FF_FN_SECRET_ROTATE_F_GC_COUNT 4
#define FF_FN_SECRET_ROTATE_NFIELDS 3

/* ff_signal: Deliver a signed signal to a waitpoint. */
#define FF_FN_SIGNAL "ff_signal"
#define FF_FN_SIGNAL_NKEYS 1
#define FF_FN_SIGNAL_NKEYS_STR "1"
#define FF_FN_SIGNAL_NARGS 10
#define FF_FN_SIGNAL_VARARGS 0
#define FF_FN_SIGNAL_RO 0
#define FF_FN_SIGNAL_F_SIGNAL_ID 1
#define FF_FN_SIGNAL_F_EFFECT 2
#define FF_FN_SIGNAL_NFIELDS 3

/* ff_snapshot: The documented snapshot of one execution, as JSON text. */
#define FF_FN_SNAPSHOT "ff_snapshot"
#define FF_FN_SNAPSHOT_NKEYS 1
#define FF_FN_SNAPSHOT_NKEYS_STR "1"
#define FF_FN_SNAPSHOT_NARGS 1
#define FF_FN_SNAPSHOT_VARARGS 0
#define FF_FN_SNAPSHOT_RO 1
#define FF_FN_SNAPSHOT_F_SNAPSHOT 1
#define FF_FN_SNAPSHOT_F_PUBLIC_STATE 2
#define FF_FN_SNAPSHOT_NFIELDS 3

/* ff_suspend: Release the lease and wait on waitpoints until a condition holds. */
#define FF_FN_SUSPEND "ff_suspend"
#define FF_FN_SUSPEND_NKEYS 1
#define FF_FN_SUSPEND_NKEYS_STR "1"
#define FF_FN_SUSPEND_NARGS 5
#define FF_FN_SUSPEND_VARARGS 0
#define FF_FN_SUSPEND_RO 0
#define FF_FN_SUSPEND_F_OUTCOME 1
#define FF_FN_SUSPEND_F_SUSPENSION_ID 2
#define FF_FN_SUSPEND_F_N 3
#define FF_FN_SUSPEND_NFIELDS 4
#define FF_FN_SUSPEND_ITEMS_AT 4
#define FF_FN_SUSPEND_ITEM_STRIDE 3
#define FF_FN_SUSPEND_ITEM_WP_ID 0
#define FF_FN_SUSPEND_ITEM_KEY 1
#define FF_FN_SUSPEND_ITEM_TOKEN 2

/* ff_update_budget_limits: Change the limits of named dimensions (the only way limits change after create). */
#define FF_FN_UPDATE_BUDGET_LIMITS "ff_update_budget_limits"
#define FF_FN_UPDATE_BUDGET_LIMITS_NKEYS 1
#define FF_FN_UPDATE_BUDGET_LIMITS_NKEYS_STR "1"
#define FF_FN_UPDATE_BUDGET_LIMITS_NARGS 1
#define FF_FN_UPDATE_BUDGET_LIMITS_VARARGS 1
#define FF_FN_UPDATE_BUDGET_LIMITS_RO 0
#define FF_FN_UPDATE_BUDGET_LIMITS_F_OUTCOME 1
#define FF_FN_UPDATE_BUDGET_LIMITS_F_DIMENSIONS 2
#define FF_FN_UPDATE_BUDGET_LIMITS_NFIELDS 3

/* ff_version: The library version (a bare string, no envelope). */
#define FF_FN_VERSION "ff_version"
#define FF_FN_VERSION_NKEYS 0
#define FF_FN_VERSION_NKEYS_STR "0"
#define FF_FN_VERSION_NARGS 0
#define FF_FN_VERSION_VARARGS 0
#define FF_FN_VERSION_RO 1

/* ff_wait_children: Seal the execution's child flows and, unless they all settled, release the lease and wait for them. */
#define FF_FN_WAIT_CHILDREN "ff_wait_children"
#define FF_FN_WAIT_CHILDREN_NKEYS 1
#define FF_FN_WAIT_CHILDREN_NKEYS_STR "1"
#define FF_FN_WAIT_CHILDREN_NARGS 6
#define FF_FN_WAIT_CHILDREN_VARARGS 0
#define FF_FN_WAIT_CHILDREN_RO 0
#define FF_FN_WAIT_CHILDREN_F_OUTCOME 1
#define FF_FN_WAIT_CHILDREN_F_SUSPENSION_ID 2
#define FF_FN_WAIT_CHILDREN_F_CHILD_FLOWS 3
#define FF_FN_WAIT_CHILDREN_NFIELDS 4

/* ff_wait_mark: Mark an execution as waited for: its ending publishes the id on ff:done:{fp:N}. */
#define FF_FN_WAIT_MARK "ff_wait_mark"
#define FF_FN_WAIT_MARK_NKEYS 1
#define FF_FN_WAIT_MARK_NKEYS_STR "1"
#define FF_FN_WAIT_MARK_NARGS 1
#define FF_FN_WAIT_MARK_VARARGS 0
#define FF_FN_WAIT_MARK_RO 0
#define FF_FN_WAIT_MARK_F_OUTCOME 1
#define FF_FN_WAIT_MARK_NFIELDS 2

/* ff_waitpoint_token: The raw token of one waitpoint (operator read). */
#define FF_FN_WAITPOINT_TOKEN "ff_waitpoint_token"
#define FF_FN_WAITPOINT_TOKEN_NKEYS 1
#define FF_FN_WAITPOINT_TOKEN_NKEYS_STR "1"
#define FF_FN_WAITPOINT_TOKEN_NARGS 2
#define FF_FN_WAITPOINT_TOKEN_VARARGS 0
#define FF_FN_WAITPOINT_TOKEN_RO 1
#define FF_FN_WAITPOINT_TOKEN_F_TOKEN 1
#define FF_FN_WAITPOINT_TOKEN_NFIELDS 2

/* ff_waitpoints: Every waitpoint of an execution, by creation time (never the token). */
#define FF_FN_WAITPOINTS "ff_waitpoints"
#define FF_FN_WAITPOINTS_NKEYS 1
#define FF_FN_WAITPOINTS_NKEYS_STR "1"
#define FF_FN_WAITPOINTS_NARGS 1
#define FF_FN_WAITPOINTS_VARARGS 0
#define FF_FN_WAITPOINTS_RO 1
#define FF_FN_WAITPOINTS_F_N 1
#define FF_FN_WAITPOINTS_NFIELDS 2
#define FF_FN_WAITPOINTS_ITEMS_AT 2
#define FF_FN_WAITPOINTS_ITEM_STRIDE 7
#define FF_FN_WAITPOINTS_ITEM_WP_ID 0
#define FF_FN_WAITPOINTS_ITEM_KEY 1
#define FF_FN_WAITPOINTS_ITEM_STATE 2
#define FF_FN_WAITPOINTS_ITEM_KID 3
#define FF_FN_WAITPOINTS_ITEM_FINGERPRINT 4
#define FF_FN_WAITPOINTS_ITEM_EXPIRES_AT 5
#define FF_FN_WAITPOINTS_ITEM_NAMES 6

/* ff_worker_dead: Remove a worker from one partition's registry now (clean shutdown or an operator's verdict); the leases it holds end by expiry or completion as usual. */
#define FF_FN_WORKER_DEAD "ff_worker_dead"
#define FF_FN_WORKER_DEAD_NKEYS 1
#define FF_FN_WORKER_DEAD_NKEYS_STR "1"
#define FF_FN_WORKER_DEAD_NARGS 1
#define FF_FN_WORKER_DEAD_VARARGS 0
#define FF_FN_WORKER_DEAD_RO 0
#define FF_FN_WORKER_DEAD_F_REMOVED 1
#define FF_FN_WORKER_DEAD_NFIELDS 2

/* ff_worker_list: One page of the live workers of a partition by name after an exclusive cursor, optionally only those of one lane, with the leases each holds here. */
#define FF_FN_WORKER_LIST "ff_worker_list"
#define FF_FN_WORKER_LIST_NKEYS 1
#define FF_FN_WORKER_LIST_NKEYS_STR "1"
#define FF_FN_WORKER_LIST_NARGS 3
#define FF_FN_WORKER_LIST_VARARGS 0
#define FF_FN_WORKER_LIST_RO 1
#define FF_FN_WORKER_LIST_F_NEXT_CURSOR 1
#define FF_FN_WORKER_LIST_NFIELDS 2
#define FF_FN_WORKER_LIST_ITEMS_AT 2
#define FF_FN_WORKER_LIST_ITEM_STRIDE 10
#define FF_FN_WORKER_LIST_ITEM_WORKER_ID 0
#define FF_FN_WORKER_LIST_ITEM_WORKER_INSTANCE_ID 1
#define FF_FN_WORKER_LIST_ITEM_LANES 2
#define FF_FN_WORKER_LIST_ITEM_CAPS 3
#define FF_FN_WORKER_LIST_ITEM_CONCURRENCY 4
#define FF_FN_WORKER_LIST_ITEM_TTL_MS 5
#define FF_FN_WORKER_LIST_ITEM_REGISTERED_AT 6
#define FF_FN_WORKER_LIST_ITEM_LAST_HEARTBEAT 7
#define FF_FN_WORKER_LIST_ITEM_EXPIRES_AT 8
#define FF_FN_WORKER_LIST_ITEM_LEASES 9

/* ff_worker_register: Register a worker on one partition or refresh its entry (heartbeat); route-blocked work of its lanes that it can run returns to eligible in the same call (at most 500 per call). */
#define FF_FN_WORKER_REGISTER "ff_worker_register"
#define FF_FN_WORKER_REGISTER_NKEYS 1
#define FF_FN_WORKER_REGISTER_NKEYS_STR "1"
#define FF_FN_WORKER_REGISTER_NARGS 5
#define FF_FN_WORKER_REGISTER_VARARGS 1
#define FF_FN_WORKER_REGISTER_RO 0
#define FF_FN_WORKER_REGISTER_F_OUTCOME 1
#define FF_FN_WORKER_REGISTER_F_EXPIRES_AT 2
#define FF_FN_WORKER_REGISTER_F_UNBLOCKED 3
#define FF_FN_WORKER_REGISTER_NFIELDS 4

#endif
