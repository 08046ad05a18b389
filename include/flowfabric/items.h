/* GENERATED from the header blocks of lua/<area>.lua by bindings/gen/gen_functions.py - do not edit. */
#ifndef FLOWFABRIC_ITEMS_H
#define FLOWFABRIC_ITEMS_H

/** Item layouts of the list results (ff_op_item_count / ff_op_item): a
 *  result of N records holds N * STRIDE items, record r's field F at
 *  ff_op_item(op, r * FF_ITEMS_<LIST>_STRIDE + FF_ITEMS_<LIST>_<F>).
 *  Append-only: a field is only ever added at the end of a record. */
typedef enum ff_item_layout {
    /* ff_execution_list: id records */
    FF_ITEMS_LIST_PARTITION_STRIDE = 1,
    FF_ITEMS_LIST_PARTITION_EID = 0,
    /* ff_execution_list_lane: id records */
    FF_ITEMS_LIST_LANE_STRIDE = 1,
    FF_ITEMS_LIST_LANE_EID = 0,
    /* ff_lanes_list: lane records */
    FF_ITEMS_LANES_STRIDE = 1,
    FF_ITEMS_LANES_LANE = 0,
    /* ff_execution_list_suspended: suspended records */
    FF_ITEMS_LIST_SUSPENDED_STRIDE = 4,
    FF_ITEMS_LIST_SUSPENDED_EID = 0,
    FF_ITEMS_LIST_SUSPENDED_SUSPENDED_AT = 1,
    FF_ITEMS_LIST_SUSPENDED_BLOCKING_REASON = 2,
    FF_ITEMS_LIST_SUSPENDED_TIMEOUT_AT = 3,
    /* ff_execution_list_quarantined: quarantined records */
    FF_ITEMS_LIST_QUARANTINED_STRIDE = 3,
    FF_ITEMS_LIST_QUARANTINED_EID = 0,
    FF_ITEMS_LIST_QUARANTINED_QUARANTINED_AT = 1,
    FF_ITEMS_LIST_QUARANTINED_WHY = 2,
    /* ff_execution_waitpoints: waitpoint records */
    FF_ITEMS_WAITPOINTS_STRIDE = 7,
    FF_ITEMS_WAITPOINTS_WP_ID = 0,
    FF_ITEMS_WAITPOINTS_KEY = 1,
    FF_ITEMS_WAITPOINTS_STATE = 2,
    FF_ITEMS_WAITPOINTS_KID = 3,
    FF_ITEMS_WAITPOINTS_FINGERPRINT = 4,
    FF_ITEMS_WAITPOINTS_EXPIRES_AT = 5,
    FF_ITEMS_WAITPOINTS_NAMES = 6,
    /* ff_lease_observe_signals, ff_task_observe_signals: signal records */
    FF_ITEMS_OBSERVE_SIGNALS_STRIDE = 6,
    FF_ITEMS_OBSERVE_SIGNALS_SIGNAL_ID = 0,
    FF_ITEMS_OBSERVE_SIGNALS_NAME = 1,
    FF_ITEMS_OBSERVE_SIGNALS_SOURCE_TYPE = 2,
    FF_ITEMS_OBSERVE_SIGNALS_SOURCE_IDENTITY = 3,
    FF_ITEMS_OBSERVE_SIGNALS_ACCEPTED_AT = 4,
    FF_ITEMS_OBSERVE_SIGNALS_PAYLOAD = 5,
    /* ff_lease_suspend, ff_task_suspend: waitpoint records */
    FF_ITEMS_SUSPEND_STRIDE = 3,
    FF_ITEMS_SUSPEND_WP_ID = 0,
    FF_ITEMS_SUSPEND_KEY = 1,
    FF_ITEMS_SUSPEND_TOKEN = 2,
    /* ff_flow_list: flow records */
    FF_ITEMS_FLOW_LIST_STRIDE = 1,
    FF_ITEMS_FLOW_LIST_FLOW_ID = 0,
    /* ff_flow_list_edges: edge records */
    FF_ITEMS_FLOW_EDGES_STRIDE = 4,
    FF_ITEMS_FLOW_EDGES_EDGE_ID = 0,
    FF_ITEMS_FLOW_EDGES_UPSTREAM = 1,
    FF_ITEMS_FLOW_EDGES_DOWNSTREAM = 2,
    FF_ITEMS_FLOW_EDGES_STATE = 3,
    /* ff_execution_parent_results: parent records */
    FF_ITEMS_FLOW_PARENTS_STRIDE = 5,
    FF_ITEMS_FLOW_PARENTS_UPSTREAM = 0,
    FF_ITEMS_FLOW_PARENTS_EDGE_ID = 1,
    FF_ITEMS_FLOW_PARENTS_STATE = 2,
    FF_ITEMS_FLOW_PARENTS_HAS_RESULT = 3,
    FF_ITEMS_FLOW_PARENTS_RESULT = 4,
    /* ff_flow_cancel: member records */
    FF_ITEMS_FLOW_CANCEL_STRIDE = 1,
    FF_ITEMS_FLOW_CANCEL_EID = 0,
    /* ff_flow_submit: member records */
    FF_ITEMS_FLOW_SUBMIT_STRIDE = 1,
    FF_ITEMS_FLOW_SUBMIT_EID = 0,
    /* ff_execution_children: child records */
    FF_ITEMS_FLOW_CHILDREN_STRIDE = 5,
    FF_ITEMS_FLOW_CHILDREN_FLOW_ID = 0,
    FF_ITEMS_FLOW_CHILDREN_EID = 1,
    FF_ITEMS_FLOW_CHILDREN_PUBLIC_STATE = 2,
    FF_ITEMS_FLOW_CHILDREN_HAS_RESULT = 3,
    FF_ITEMS_FLOW_CHILDREN_RESULT = 4,
    /* ff_flow_feed_read: entry records */
    FF_ITEMS_FLOW_FEED_STRIDE = 5,
    FF_ITEMS_FLOW_FEED_ID = 0,
    FF_ITEMS_FLOW_FEED_FLOW_ID = 1,
    FF_ITEMS_FLOW_FEED_EID = 2,
    FF_ITEMS_FLOW_FEED_OUTCOME = 3,
    FF_ITEMS_FLOW_FEED_KIND = 4,
    /* ff_stream_read, ff_stream_tail: frame records */
    FF_ITEMS_READ_STREAM_STRIDE = 8,
    FF_ITEMS_READ_STREAM_ID = 0,
    FF_ITEMS_READ_STREAM_FRAME_TYPE = 1,
    FF_ITEMS_READ_STREAM_PAYLOAD = 2,
    FF_ITEMS_READ_STREAM_ENCODING = 3,
    FF_ITEMS_READ_STREAM_SOURCE = 4,
    FF_ITEMS_READ_STREAM_CORRELATION_ID = 5,
    FF_ITEMS_READ_STREAM_TS = 6,
    FF_ITEMS_READ_STREAM_MODE = 7,
    /* ff_stream_append_many: result records */
    FF_ITEMS_APPEND_FRAMES_STRIDE = 4,
    FF_ITEMS_APPEND_FRAMES_CODE = 0,
    FF_ITEMS_APPEND_FRAMES_ENTRY_ID = 1,
    FF_ITEMS_APPEND_FRAMES_FRAME_COUNT = 2,
    FF_ITEMS_APPEND_FRAMES_SUMMARY_VERSION = 3,
    /* ff_budget_list: budget records */
    FF_ITEMS_LIST_BUDGETS_STRIDE = 1,
    FF_ITEMS_LIST_BUDGETS_BUDGET_ID = 0
} ff_item_layout;

#endif
