-- GENERATED from bindings/api.json by bindings/gen/gen_luajit.py - do not edit (make generate).
return {
  abi_version = 1,
  version = "0.1.0",
  functions = {
    "ff_version_string",
    "ff_version_number",
    "ff_abi_version",
    "ff_lua_library_version",
    "ff_strerror",
    "ff_status_name",
    "ff_status_group",
    "ff_status_server_token",
    "ff_status_from_server_token",
    "ff_status_list",
    "ff_error_detail",
    "ff_client_opts_new",
    "ff_client_opts_free",
    "ff_client_opts_set_url",
    "ff_client_opts_set_data_dir",
    "ff_client_opts_set_inline_dispatch",
    "ff_client_opts_set_pull",
    "ff_client_opts_set_timeout_ms",
    "ff_client_opts_set_max_payload_bytes",
    "ff_client_opts_set_partitions",
    "ff_client_opts_set_hmac_secret",
    "ff_client_opts_set_blocking_connections",
    "ff_client_opts_set_max_frame_bytes",
    "ff_client_opts_set_connect_timeout_ms",
    "ff_client_new",
    "ff_client_free",
    "ff_client_fd",
    "ff_client_dispatch",
    "ff_client_next",
    "ff_client_next_wait",
    "ff_client_next_fd",
    "ff_client_partitions",
    "ff_client_url",
    "ff_url_redact",
    "ff_client_connected",
    "ff_client_connect_count",
    "ff_client_command",
    "ff_op_wait",
    "ff_op_free",
    "ff_op_done",
    "ff_op_status",
    "ff_op_userdata",
    "ff_op_errmsg",
    "ff_op_server_code",
    "ff_op_detail_count",
    "ff_op_detail",
    "ff_op_kind",
    "ff_op_text",
    "ff_op_int",
    "ff_op_bytes",
    "ff_op_execution_id",
    "ff_op_json",
    "ff_op_json_str",
    "ff_op_json_i64",
    "ff_op_item_count",
    "ff_op_item",
    "ff_op_item_bytes",
    "ff_op_cursor",
    "ff_op_claim_count",
    "ff_op_take_claim",
    "ff_op_reply_type",
    "ff_op_reply_integer",
    "ff_op_reply_len",
    "ff_op_reply_element",
    "ff_dev_server_up",
    "ff_dev_server_status",
    "ff_dev_server_down",
    "ff_free",
    "ff_exec_spec_new",
    "ff_exec_spec_free",
    "ff_exec_spec_set_namespace",
    "ff_exec_spec_set_lane",
    "ff_exec_spec_set_kind",
    "ff_exec_spec_set_payload",
    "ff_exec_spec_set_priority",
    "ff_exec_spec_set_delay_until_ms",
    "ff_exec_spec_set_delay_ms",
    "ff_exec_spec_set_deadline_ms",
    "ff_exec_spec_add_capability",
    "ff_exec_spec_add_tag",
    "ff_exec_spec_add_budget",
    "ff_exec_spec_set_group",
    "ff_exec_spec_set_policy_json",
    "ff_exec_spec_set_retry",
    "ff_exec_spec_set_non_retryable",
    "ff_exec_spec_set_attempt_timeout_ms",
    "ff_exec_spec_set_limits",
    "ff_exec_spec_set_idempotency_key",
    "ff_exec_spec_set_execution_id",
    "ff_exec_spec_set_flow",
    "ff_execution_create",
    "ff_execution_describe",
    "ff_execution_result",
    "ff_execution_wait",
    "ff_execution_list",
    "ff_execution_list_lane",
    "ff_lanes_list",
    "ff_lane_counts",
    "ff_claim_opts_new",
    "ff_claim_opts_free",
    "ff_claim_opts_set_worker_id",
    "ff_claim_opts_set_worker_instance_id",
    "ff_claim_opts_add_lane",
    "ff_claim_opts_add_capability",
    "ff_claim_opts_set_lease_ttl_ms",
    "ff_claim_opts_set_batch",
    "ff_claim_free",
    "ff_claim_execution_id",
    "ff_claim_attempt_index",
    "ff_claim_attempt_id",
    "ff_claim_attempt_type",
    "ff_claim_lease_id",
    "ff_claim_lease_epoch",
    "ff_claim_expires_at_ms",
    "ff_claim_lease_ttl_ms",
    "ff_claim_payload",
    "ff_claim_kind",
    "ff_claim_lane",
    "ff_claim_namespace",
    "ff_claim_worker_instance_id",
    "ff_claim_from_fence",
    "ff_lease_claim",
    "ff_lease_renew",
    "ff_lease_progress",
    "ff_lease_complete",
    "ff_lease_fail",
    "ff_lease_fail_with",
    "ff_lease_cancel",
    "ff_execution_cancel",
    "ff_lease_delay",
    "ff_execution_reclaim_grant",
    "ff_lease_claim_reclaim",
    "ff_lease_claim_resumed",
    "ff_lease_grant_and_claim",
    "ff_execution_replay",
    "ff_execution_change_priority",
    "ff_execution_revoke_lease",
    "ff_suspend_spec_new",
    "ff_suspend_spec_free",
    "ff_suspend_spec_add_waitpoint",
    "ff_suspend_spec_use_pending",
    "ff_suspend_spec_set_condition_json",
    "ff_suspend_spec_set_timeout",
    "ff_suspend_spec_set_reason",
    "ff_suspend_spec_set_idempotency_key",
    "ff_lease_suspend",
    "ff_lease_create_waitpoint",
    "ff_lease_observe_signals",
    "ff_signal_deliver",
    "ff_execution_list_suspended",
    "ff_execution_waitpoints",
    "ff_waitpoint_token",
    "ff_secret_rotate",
    "ff_secret_list",
    "ff_flow_create",
    "ff_flow_create_with_budgets",
    "ff_flow_add_member",
    "ff_flow_set_group",
    "ff_flow_add_edge",
    "ff_flow_describe",
    "ff_flow_list",
    "ff_flow_list_edges",
    "ff_flow_describe_edge",
    "ff_execution_flow_id",
    "ff_execution_parent_results",
    "ff_flow_cancel",
    "ff_flow_spec_new",
    "ff_flow_spec_free",
    "ff_flow_spec_add_member",
    "ff_flow_spec_add_edge",
    "ff_flow_spec_set_group",
    "ff_flow_spec_set_parent",
    "ff_flow_spec_add_budget",
    "ff_flow_submit",
    "ff_lease_wait_children",
    "ff_execution_children",
    "ff_flow_feed_read",
    "ff_flow_feed_wait",
    "ff_flow_wait",
    "ff_frame_new",
    "ff_frame_free",
    "ff_frame_set_type",
    "ff_frame_set_payload",
    "ff_frame_set_encoding",
    "ff_frame_set_source",
    "ff_frame_set_correlation_id",
    "ff_frame_set_mode",
    "ff_stream_append",
    "ff_stream_append_many",
    "ff_stream_read",
    "ff_stream_tail",
    "ff_stream_summary",
    "ff_budget_spec_new",
    "ff_budget_spec_free",
    "ff_budget_spec_set_scope",
    "ff_budget_spec_set_actions",
    "ff_budget_spec_set_reset_interval",
    "ff_budget_spec_add_dimension",
    "ff_budget_partition",
    "ff_budget_create",
    "ff_budget_update",
    "ff_budget_report_usage",
    "ff_budget_release",
    "ff_budget_reset",
    "ff_budget_describe",
    "ff_budget_list",
    "ff_quota_create",
    "ff_quota_describe",
    "ff_quota_list",
    "ff_group_pause",
    "ff_group_resume",
    "ff_lease_rate_limited",
    "ff_worker_register",
    "ff_worker_heartbeat",
    "ff_workers_list",
    "ff_worker_mark_dead",
    "ff_lane_create",
    "ff_lane_pause",
    "ff_lane_resume",
    "ff_lanes_page",
    "ff_engine_opts_new",
    "ff_engine_opts_free",
    "ff_engine_opts_set_tick_ms",
    "ff_engine_opts_set_batch",
    "ff_engine_opts_set_retention_ms",
    "ff_engine_opts_set_ownership_ttl_ms",
    "ff_engine_opts_set_engine_id",
    "ff_engine_start",
    "ff_engine_stop",
    "ff_engine_stats_json",
    "ff_engine_id",
    "ff_worker_opts_new",
    "ff_worker_opts_free",
    "ff_worker_opts_set_worker_id",
    "ff_worker_opts_set_instance_id",
    "ff_worker_opts_add_lane",
    "ff_worker_opts_add_capability",
    "ff_worker_opts_set_concurrency",
    "ff_worker_opts_set_lease_ttl_ms",
    "ff_worker_opts_set_poll_ms",
    "ff_worker_opts_set_pull",
    "ff_worker_opts_set_engine",
    "ff_worker_opts_set_engine_opts",
    "ff_worker_new",
    "ff_worker_on",
    "ff_worker_start",
    "ff_worker_stop",
    "ff_worker_next_task",
    "ff_worker_next_fd",
    "ff_worker_stopped",
    "ff_worker_run",
    "ff_worker_free",
    "ff_worker_stats_json",
    "ff_worker_instance_id",
    "ff_task_claim",
    "ff_task_lost",
    "ff_task_userdata",
    "ff_task_complete",
    "ff_task_fail",
    "ff_task_fail_with",
    "ff_task_cancel",
    "ff_task_delay",
    "ff_task_release",
    "ff_task_rate_limited",
    "ff_task_suspend",
    "ff_task_wait_children",
    "ff_task_create_waitpoint",
    "ff_task_observe_signals",
    "ff_task_progress",
    "ff_task_emit",
    "ff_task_log",
    "ff_task_summary",
    "ff_task_report_usage",
    "ff_task_budget_breached",
    "ff_deployment_health",
    "ff_execution_list_quarantined",
    "ff_engine_list",
  },
  cdef = [==[
enum {
  FF_VERSION_MAJOR = 0,
  FF_VERSION_MINOR = 1,
  FF_VERSION_PATCH = 0,
  FF_VERSION_NUMBER = 100,
  FF_ABI_VERSION = 1,
  FF_REPLY_NIL = 0,
  FF_REPLY_STRING = 1,
  FF_REPLY_INTEGER = 2,
  FF_REPLY_ARRAY = 3,
  FF_REPLY_STATUS = 4,
  FF_REPLY_ERROR = 5,
  FF_FAIL_NO_RETRY = 1,
  FF_WAITPOINT_ITEMS = 7,
  FF_WAITPOINT_ITEM_ID = 0,
  FF_WAITPOINT_ITEM_KEY = 1,
  FF_WAITPOINT_ITEM_STATE = 2,
  FF_WAITPOINT_ITEM_KID = 3,
  FF_WAITPOINT_ITEM_FINGERPRINT = 4,
  FF_WAITPOINT_ITEM_EXPIRES_AT = 5,
  FF_WAITPOINT_ITEM_SIGNAL_NAMES = 6,
  FF_FLOW_EDGE_DATA = 1,
  FF_FLOW_SUBMIT_MAX_MEMBERS = 500,
  FF_FLOW_SUBMIT_MAX_EDGES = 2000,
  FF_STREAM_DURABLE_ONLY = 1,
  FF_STREAM_READ_MAX = 10000,
  FF_STREAM_BLOCK_MAX_MS = 86400000,
  FF_STREAM_APPEND_MAX = 256,
  FF_TASK_BUDGET_SOFT = 1,
  FF_TASK_BUDGET_HARD = 2,
};
typedef struct ff_client ff_client;
typedef struct ff_client_opts ff_client_opts;
typedef struct ff_op ff_op;
typedef struct ff_claim ff_claim;
typedef struct ff_exec_spec ff_exec_spec;
typedef struct ff_claim_opts ff_claim_opts;
typedef struct ff_suspend_spec ff_suspend_spec;
typedef struct ff_flow_spec ff_flow_spec;
typedef struct ff_frame ff_frame;
typedef struct ff_budget_spec ff_budget_spec;
typedef struct ff_engine ff_engine;
typedef struct ff_engine_opts ff_engine_opts;
typedef struct ff_worker ff_worker;
typedef struct ff_worker_opts ff_worker_opts;
typedef struct ff_task ff_task;
typedef enum ff_status {
  FF_OK = 0,
  FF_ERROR = -1,
  FF_EINVAL = -2,
  FF_ENOMEM = -3,
  FF_ENOTFOUND = -4,
  FF_EEXISTS = -5,
  FF_ETIMEDOUT = -6,
  FF_ECANCELED = -7,
  FF_ECONFLICT = -8,
  FF_EIO = -9,
  FF_EPROTO = -10,
  FF_ESERVER = -11,
  FF_EUSER = -12,
  FF_ECLOSED = -13,
  FF_EVERSION = -14,
  FF_EAGAIN = -15,
  FF_ESYS = -16,
  FF_EUNSUPPORTED = -17,
  FF_ETOOBIG = -18,
  FF_ECONFIG = -19,
  FF_EAUTH = -20,
  FF_ESPAWN = -21,
  FF_STALE_LEASE = -100,
  FF_LEASE_EXPIRED = -101,
  FF_LEASE_REVOKED = -102,
  FF_FENCE_REQUIRED = -103,
  FF_PARTIAL_FENCE_TRIPLE = -104,
  FF_EXECUTION_NOT_ACTIVE = -105,
  FF_NO_ACTIVE_LEASE = -106,
  FF_ACTIVE_ATTEMPT_EXISTS = -107,
  FF_USE_CLAIM_RESUMED_EXECUTION = -108,
  FF_NOT_A_RESUMED_EXECUTION = -109,
  FF_EXECUTION_NOT_LEASEABLE = -110,
  FF_LEASE_CONFLICT = -111,
  FF_INVALID_CLAIM_GRANT = -112,
  FF_CLAIM_GRANT_EXPIRED = -113,
  FF_NO_ELIGIBLE_EXECUTION = -114,
  FF_EXECUTION_NOT_ELIGIBLE = -115,
  FF_EXECUTION_NOT_IN_ELIGIBLE_SET = -116,
  FF_GRANT_ALREADY_EXISTS = -117,
  FF_EXECUTION_NOT_RECLAIMABLE = -118,
  FF_MAX_RETRIES_EXHAUSTED = -119,
  FF_CAPABILITY_MISMATCH = -120,
  FF_INVALID_CAPABILITIES = -121,
  FF_INVALID_POLICY_JSON = -122,
  FF_INVALID_INPUT = -123,
  FF_EXECUTION_NOT_FOUND = -124,
  FF_INVALID_BLOCKING_REASON = -125,
  FF_INVALID_TAG_KEY = -126,
  FF_EXECUTION_NOT_SUSPENDED = -200,
  FF_ALREADY_SUSPENDED = -201,
  FF_WAITPOINT_CLOSED = -202,
  FF_WAITPOINT_NOT_FOUND = -203,
  FF_TARGET_NOT_SIGNALABLE = -204,
  FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT = -205,
  FF_DUPLICATE_SIGNAL = -206,
  FF_PAYLOAD_TOO_LARGE = -207,
  FF_SIGNAL_LIMIT_EXCEEDED = -208,
  FF_INVALID_WAITPOINT_KEY = -209,
  FF_INVALID_TOKEN = -210,
  FF_INVALID_LEASE_FOR_SUSPEND = -211,
  FF_RESUME_CONDITION_NOT_MET = -212,
  FF_WAITPOINT_NOT_PENDING = -213,
  FF_PENDING_WAITPOINT_EXPIRED = -214,
  FF_INVALID_WAITPOINT_FOR_EXECUTION = -215,
  FF_WAITPOINT_ALREADY_EXISTS = -216,
  FF_WAITPOINT_NOT_OPEN = -217,
  FF_WAITPOINT_NOT_TOKEN_BOUND = -218,
  FF_INVALID_KID = -219,
  FF_INVALID_SECRET_HEX = -220,
  FF_INVALID_GRACE_MS = -221,
  FF_ROTATION_CONFLICT = -222,
  FF_HMAC_SECRET_NOT_INITIALIZED = -223,
  FF_TOKEN_EXPIRED = -224,
  FF_MISSING_TOKEN = -225,
  FF_EXECUTION_NOT_TERMINAL = -300,
  FF_MAX_REPLAYS_EXHAUSTED = -301,
  FF_REPLAY_NOT_ALLOWED = -302,
  FF_STREAM_CLOSED = -400,
  FF_STALE_OWNER_CANNOT_APPEND = -401,
  FF_RETENTION_LIMIT_EXCEEDED = -402,
  FF_STREAM_NOT_FOUND = -403,
  FF_STREAM_ALREADY_CLOSED = -404,
  FF_INVALID_FRAME_TYPE = -405,
  FF_INVALID_OFFSET = -406,
  FF_INVALID_DEPENDENCY = -500,
  FF_STALE_GRAPH_REVISION = -501,
  FF_EXECUTION_ALREADY_IN_FLOW = -502,
  FF_CYCLE_DETECTED = -503,
  FF_FLOW_NOT_FOUND = -504,
  FF_EXECUTION_NOT_IN_FLOW = -505,
  FF_DEPENDENCY_ALREADY_EXISTS = -506,
  FF_SELF_REFERENCING_EDGE = -507,
  FF_FLOW_ALREADY_TERMINAL = -508,
  FF_DEPS_NOT_SATISFIED = -509,
  FF_NOT_BLOCKED_BY_DEPS = -510,
  FF_NOT_RUNNABLE = -511,
  FF_TERMINAL = -512,
  FF_BUDGET_EXCEEDED = -600,
  FF_BUDGET_SOFT_EXCEEDED = -601,
  FF_OK_ALREADY_APPLIED = -602,
  FF_BUDGET_NOT_FOUND = -603,
  FF_INVALID_BUDGET_SCOPE = -604,
  FF_BUDGET_ATTACH_CONFLICT = -605,
  FF_BUDGET_OVERRIDE_NOT_ALLOWED = -606,
  FF_QUOTA_POLICY_NOT_FOUND = -607,
  FF_RATE_LIMIT_EXCEEDED = -608,
  FF_CONCURRENCY_LIMIT_EXCEEDED = -609,
  FF_QUOTA_ATTACH_CONFLICT = -610,
  FF_INVALID_QUOTA_SPEC = -611,
  FF_ATTEMPT_NOT_FOUND = -700,
  FF_ATTEMPT_NOT_IN_CREATED_STATE = -701,
  FF_ATTEMPT_NOT_STARTED = -702,
  FF_ATTEMPT_ALREADY_TERMINAL = -703,
  FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT = -704,
  FF_UNAUTHORIZED = -705,
  FF_CORRUPT_RECORD = -127,
  FF_INVALID_SECRET = -226,
  FF_EXECUTION_FAILED = -303,
  FF_EXECUTION_CANCELLED = -304,
  FF_EXECUTION_EXPIRED = -305,
  FF_EXECUTION_SKIPPED = -306,
  FF_PARTITION_MISMATCH = -513,
  FF_EDGE_GROUP_POLICY_FIXED = -514,
  FF_INVALID_FLOW_POLICY = -515,
  FF_FLOW_LIMIT_EXCEEDED = -516,
  FF_EDGE_NOT_FOUND = -517,
  FF_DOWNSTREAM_RELEASED = -518,
  FF_FLOW_SUBMIT_CONFLICT = -519,
  FF_NO_CHILDREN = -520,
  FF_PATCH_DEPTH_EXCEEDED = -407,
  FF_LANE_PAUSED = -128,
  FF_STATUS_SENTINEL_ = -9999,
} ff_status;
typedef enum ff_op_kind_id {
  FF_OP_KIND_NONE = 0,
  FF_OP_KIND_CLIENT_COMMAND = 1,
  FF_OP_KIND_EXECUTION_CREATE = 2,
  FF_OP_KIND_EXECUTION_DESCRIBE = 3,
  FF_OP_KIND_EXECUTION_RESULT = 4,
  FF_OP_KIND_EXECUTION_WAIT = 5,
  FF_OP_KIND_EXECUTION_CANCEL = 6,
  FF_OP_KIND_EXECUTION_REPLAY = 7,
  FF_OP_KIND_EXECUTION_CHANGE_PRIORITY = 8,
  FF_OP_KIND_EXECUTION_REVOKE_LEASE = 9,
  FF_OP_KIND_EXECUTION_RECLAIM_GRANT = 10,
  FF_OP_KIND_EXECUTION_LIST = 11,
  FF_OP_KIND_EXECUTION_LIST_LANE = 12,
  FF_OP_KIND_LANES_LIST = 13,
  FF_OP_KIND_LANE_COUNTS = 14,
  FF_OP_KIND_LEASE_CLAIM = 15,
  FF_OP_KIND_LEASE_CLAIM_RECLAIM = 16,
  FF_OP_KIND_LEASE_RENEW = 17,
  FF_OP_KIND_LEASE_PROGRESS = 18,
  FF_OP_KIND_LEASE_COMPLETE = 19,
  FF_OP_KIND_LEASE_FAIL = 20,
  FF_OP_KIND_LEASE_FAIL_WITH = 21,
  FF_OP_KIND_LEASE_CANCEL = 22,
  FF_OP_KIND_LEASE_DELAY = 23,
  FF_OP_KIND_LEASE_SUSPEND = 24,
  FF_OP_KIND_LEASE_CREATE_WAITPOINT = 25,
  FF_OP_KIND_LEASE_OBSERVE_SIGNALS = 26,
  FF_OP_KIND_SIGNAL_DELIVER = 27,
  FF_OP_KIND_EXECUTION_LIST_SUSPENDED = 28,
  FF_OP_KIND_EXECUTION_WAITPOINTS = 29,
  FF_OP_KIND_WAITPOINT_TOKEN = 30,
  FF_OP_KIND_SECRET_ROTATE = 31,
  FF_OP_KIND_SECRET_LIST = 32,
  FF_OP_KIND_DEPLOYMENT_HEALTH = 33,
  FF_OP_KIND_EXECUTION_LIST_QUARANTINED = 34,
  FF_OP_KIND_ENGINE_LIST = 35,
  FF_OP_KIND_TASK_COMPLETE = 36,
  FF_OP_KIND_TASK_FAIL = 37,
  FF_OP_KIND_TASK_FAIL_WITH = 38,
  FF_OP_KIND_TASK_CANCEL = 39,
  FF_OP_KIND_TASK_DELAY = 40,
  FF_OP_KIND_TASK_RELEASE = 41,
  FF_OP_KIND_TASK_SUSPEND = 42,
  FF_OP_KIND_TASK_CREATE_WAITPOINT = 43,
  FF_OP_KIND_TASK_OBSERVE_SIGNALS = 44,
  FF_OP_KIND_TASK_PROGRESS = 45,
  FF_OP_KIND_FLOW_CREATE = 46,
  FF_OP_KIND_FLOW_ADD_MEMBER = 47,
  FF_OP_KIND_FLOW_SET_GROUP = 48,
  FF_OP_KIND_FLOW_ADD_EDGE = 49,
  FF_OP_KIND_FLOW_DESCRIBE = 50,
  FF_OP_KIND_FLOW_LIST = 51,
  FF_OP_KIND_FLOW_LIST_EDGES = 52,
  FF_OP_KIND_FLOW_DESCRIBE_EDGE = 53,
  FF_OP_KIND_EXECUTION_FLOW_ID = 54,
  FF_OP_KIND_EXECUTION_PARENT_RESULTS = 55,
  FF_OP_KIND_FLOW_CANCEL = 56,
  FF_OP_KIND_FLOW_SUBMIT = 57,
  FF_OP_KIND_LEASE_WAIT_CHILDREN = 58,
  FF_OP_KIND_TASK_WAIT_CHILDREN = 59,
  FF_OP_KIND_EXECUTION_CHILDREN = 60,
  FF_OP_KIND_FLOW_FEED_READ = 61,
  FF_OP_KIND_FLOW_WAIT = 62,
  FF_OP_KIND_FLOW_FEED_WAIT = 63,
  FF_OP_KIND_STREAM_APPEND = 64,
  FF_OP_KIND_STREAM_READ = 65,
  FF_OP_KIND_STREAM_TAIL = 66,
  FF_OP_KIND_STREAM_SUMMARY = 67,
  FF_OP_KIND_TASK_EMIT = 68,
  FF_OP_KIND_TASK_LOG = 69,
  FF_OP_KIND_TASK_SUMMARY = 70,
  FF_OP_KIND_BUDGET_CREATE = 71,
  FF_OP_KIND_BUDGET_UPDATE = 72,
  FF_OP_KIND_BUDGET_REPORT_USAGE = 73,
  FF_OP_KIND_BUDGET_RELEASE = 74,
  FF_OP_KIND_BUDGET_RESET = 75,
  FF_OP_KIND_BUDGET_DESCRIBE = 76,
  FF_OP_KIND_BUDGET_LIST = 77,
  FF_OP_KIND_STREAM_APPEND_MANY = 78,
  FF_OP_KIND_FLOW_CREATE_WITH_BUDGETS = 79,
  FF_OP_KIND_TASK_REPORT_USAGE = 80,
  FF_OP_KIND_WORKER_REGISTER = 81,
  FF_OP_KIND_WORKER_HEARTBEAT = 82,
  FF_OP_KIND_WORKERS_LIST = 83,
  FF_OP_KIND_WORKER_MARK_DEAD = 84,
  FF_OP_KIND_LANE_CREATE = 85,
  FF_OP_KIND_LANE_PAUSE = 86,
  FF_OP_KIND_LANE_RESUME = 87,
  FF_OP_KIND_LANES_PAGE = 88,
  FF_OP_KIND_CLAIM_RESUMED = 89,
  FF_OP_KIND_GRANT_AND_CLAIM = 90,
  FF_OP_KIND_QUOTA_CREATE = 91,
  FF_OP_KIND_QUOTA_DESCRIBE = 92,
  FF_OP_KIND_QUOTA_LIST = 93,
  FF_OP_KIND_GROUP_PAUSE = 94,
  FF_OP_KIND_GROUP_RESUME = 95,
  FF_OP_KIND_LEASE_RATE_LIMITED = 96,
  FF_OP_KIND_TASK_RATE_LIMITED = 97,
} ff_op_kind_id;
typedef enum ff_item_layout {
  FF_ITEMS_LIST_PARTITION_STRIDE = 1,
  FF_ITEMS_LIST_PARTITION_EID = 0,
  FF_ITEMS_LIST_LANE_STRIDE = 1,
  FF_ITEMS_LIST_LANE_EID = 0,
  FF_ITEMS_LANES_STRIDE = 1,
  FF_ITEMS_LANES_LANE = 0,
  FF_ITEMS_LIST_SUSPENDED_STRIDE = 4,
  FF_ITEMS_LIST_SUSPENDED_EID = 0,
  FF_ITEMS_LIST_SUSPENDED_SUSPENDED_AT = 1,
  FF_ITEMS_LIST_SUSPENDED_BLOCKING_REASON = 2,
  FF_ITEMS_LIST_SUSPENDED_TIMEOUT_AT = 3,
  FF_ITEMS_LIST_QUARANTINED_STRIDE = 3,
  FF_ITEMS_LIST_QUARANTINED_EID = 0,
  FF_ITEMS_LIST_QUARANTINED_QUARANTINED_AT = 1,
  FF_ITEMS_LIST_QUARANTINED_WHY = 2,
  FF_ITEMS_WAITPOINTS_STRIDE = 7,
  FF_ITEMS_WAITPOINTS_WP_ID = 0,
  FF_ITEMS_WAITPOINTS_KEY = 1,
  FF_ITEMS_WAITPOINTS_STATE = 2,
  FF_ITEMS_WAITPOINTS_KID = 3,
  FF_ITEMS_WAITPOINTS_FINGERPRINT = 4,
  FF_ITEMS_WAITPOINTS_EXPIRES_AT = 5,
  FF_ITEMS_WAITPOINTS_NAMES = 6,
  FF_ITEMS_OBSERVE_SIGNALS_STRIDE = 6,
  FF_ITEMS_OBSERVE_SIGNALS_SIGNAL_ID = 0,
  FF_ITEMS_OBSERVE_SIGNALS_NAME = 1,
  FF_ITEMS_OBSERVE_SIGNALS_SOURCE_TYPE = 2,
  FF_ITEMS_OBSERVE_SIGNALS_SOURCE_IDENTITY = 3,
  FF_ITEMS_OBSERVE_SIGNALS_ACCEPTED_AT = 4,
  FF_ITEMS_OBSERVE_SIGNALS_PAYLOAD = 5,
  FF_ITEMS_SUSPEND_STRIDE = 3,
  FF_ITEMS_SUSPEND_WP_ID = 0,
  FF_ITEMS_SUSPEND_KEY = 1,
  FF_ITEMS_SUSPEND_TOKEN = 2,
  FF_ITEMS_FLOW_LIST_STRIDE = 1,
  FF_ITEMS_FLOW_LIST_FLOW_ID = 0,
  FF_ITEMS_FLOW_EDGES_STRIDE = 4,
  FF_ITEMS_FLOW_EDGES_EDGE_ID = 0,
  FF_ITEMS_FLOW_EDGES_UPSTREAM = 1,
  FF_ITEMS_FLOW_EDGES_DOWNSTREAM = 2,
  FF_ITEMS_FLOW_EDGES_STATE = 3,
  FF_ITEMS_FLOW_PARENTS_STRIDE = 5,
  FF_ITEMS_FLOW_PARENTS_UPSTREAM = 0,
  FF_ITEMS_FLOW_PARENTS_EDGE_ID = 1,
  FF_ITEMS_FLOW_PARENTS_STATE = 2,
  FF_ITEMS_FLOW_PARENTS_HAS_RESULT = 3,
  FF_ITEMS_FLOW_PARENTS_RESULT = 4,
  FF_ITEMS_FLOW_CANCEL_STRIDE = 1,
  FF_ITEMS_FLOW_CANCEL_EID = 0,
  FF_ITEMS_FLOW_SUBMIT_STRIDE = 1,
  FF_ITEMS_FLOW_SUBMIT_EID = 0,
  FF_ITEMS_FLOW_CHILDREN_STRIDE = 5,
  FF_ITEMS_FLOW_CHILDREN_FLOW_ID = 0,
  FF_ITEMS_FLOW_CHILDREN_EID = 1,
  FF_ITEMS_FLOW_CHILDREN_PUBLIC_STATE = 2,
  FF_ITEMS_FLOW_CHILDREN_HAS_RESULT = 3,
  FF_ITEMS_FLOW_CHILDREN_RESULT = 4,
  FF_ITEMS_FLOW_FEED_STRIDE = 5,
  FF_ITEMS_FLOW_FEED_ID = 0,
  FF_ITEMS_FLOW_FEED_FLOW_ID = 1,
  FF_ITEMS_FLOW_FEED_EID = 2,
  FF_ITEMS_FLOW_FEED_OUTCOME = 3,
  FF_ITEMS_FLOW_FEED_KIND = 4,
  FF_ITEMS_READ_STREAM_STRIDE = 8,
  FF_ITEMS_READ_STREAM_ID = 0,
  FF_ITEMS_READ_STREAM_FRAME_TYPE = 1,
  FF_ITEMS_READ_STREAM_PAYLOAD = 2,
  FF_ITEMS_READ_STREAM_ENCODING = 3,
  FF_ITEMS_READ_STREAM_SOURCE = 4,
  FF_ITEMS_READ_STREAM_CORRELATION_ID = 5,
  FF_ITEMS_READ_STREAM_TS = 6,
  FF_ITEMS_READ_STREAM_MODE = 7,
  FF_ITEMS_APPEND_FRAMES_STRIDE = 4,
  FF_ITEMS_APPEND_FRAMES_CODE = 0,
  FF_ITEMS_APPEND_FRAMES_ENTRY_ID = 1,
  FF_ITEMS_APPEND_FRAMES_FRAME_COUNT = 2,
  FF_ITEMS_APPEND_FRAMES_SUMMARY_VERSION = 3,
  FF_ITEMS_LIST_BUDGETS_STRIDE = 1,
  FF_ITEMS_LIST_BUDGETS_BUDGET_ID = 0,
} ff_item_layout;
typedef void (*ff_op_cb)(ff_op *op, void *ud);
typedef void (*ff_task_handler)(ff_task *task, void *ud);
const char *ff_version_string(void);
int32_t ff_version_number(void);
int32_t ff_abi_version(void);
const char *ff_lua_library_version(void);
const char *ff_strerror(int status);
const char *ff_status_name(int status);
const char *ff_status_group(int status);
const char *ff_status_server_token(int status);
int ff_status_from_server_token(const char *token);
size_t ff_status_list(int32_t *out, size_t cap);
const char *ff_error_detail(int status);
int ff_client_opts_new(ff_client_opts **out);
void ff_client_opts_free(ff_client_opts *o);
int ff_client_opts_set_url(ff_client_opts *o, const char *url);
int ff_client_opts_set_data_dir(ff_client_opts *o, const char *dir);
int ff_client_opts_set_inline_dispatch(ff_client_opts *o, int32_t on);
int ff_client_opts_set_pull(ff_client_opts *o, int32_t on);
int ff_client_opts_set_timeout_ms(ff_client_opts *o, int64_t ms);
int ff_client_opts_set_max_payload_bytes(ff_client_opts *o, uint64_t bytes);
int ff_client_opts_set_partitions(ff_client_opts *o, uint32_t n);
int ff_client_opts_set_hmac_secret(ff_client_opts *o, const char *hex);
int ff_client_opts_set_blocking_connections(ff_client_opts *o, uint32_t n);
int ff_client_opts_set_max_frame_bytes(ff_client_opts *o, uint32_t bytes);
int ff_client_opts_set_connect_timeout_ms(ff_client_opts *o, int64_t ms);
int ff_client_new(ff_client **out, const ff_client_opts *opts, char *errbuf, size_t errlen);
void ff_client_free(ff_client *c);
int ff_client_fd(const ff_client *c);
int32_t ff_client_dispatch(ff_client *c, int32_t max);
int ff_client_next(ff_client *c, ff_op **op);
int ff_client_next_wait(ff_client *c, ff_op **op, int64_t timeout_ms);
int ff_client_next_fd(const ff_client *c);
uint32_t ff_client_partitions(const ff_client *c);
const char *ff_client_url(const ff_client *c);
int ff_url_redact(const char *url, char *out, size_t cap);
int32_t ff_client_connected(const ff_client *c);
uint64_t ff_client_connect_count(const ff_client *c);
int ff_client_command(ff_client *c, int32_t argc, const char * const *argv, const size_t *argvlen, ff_op_cb cb, void *ud, ff_op **out);
int ff_op_wait(ff_op *op, int64_t timeout_ms);
void ff_op_free(ff_op *op);
int32_t ff_op_done(const ff_op *op);
int ff_op_status(const ff_op *op);
void *ff_op_userdata(const ff_op *op);
const char *ff_op_errmsg(const ff_op *op);
const char *ff_op_server_code(const ff_op *op);
size_t ff_op_detail_count(const ff_op *op);
const char *ff_op_detail(const ff_op *op, size_t i);
int ff_op_kind(const ff_op *op);
const char *ff_op_text(const ff_op *op);
int64_t ff_op_int(const ff_op *op);
const void *ff_op_bytes(const ff_op *op, size_t *len);
const char *ff_op_execution_id(const ff_op *op);
const char *ff_op_json(const ff_op *op);
int ff_op_json_str(const ff_op *op, const char *path, const char **out);
int ff_op_json_i64(const ff_op *op, const char *path, int64_t *out);
size_t ff_op_item_count(const ff_op *op);
const char *ff_op_item(const ff_op *op, size_t i);
const void *ff_op_item_bytes(const ff_op *op, size_t i, size_t *len);
const char *ff_op_cursor(const ff_op *op);
size_t ff_op_claim_count(const ff_op *op);
int ff_op_take_claim(ff_op *op, size_t i, ff_claim **out);
int32_t ff_op_reply_type(const ff_op *op);
int64_t ff_op_reply_integer(const ff_op *op);
size_t ff_op_reply_len(const ff_op *op);
const void *ff_op_reply_element(const ff_op *op, size_t i, size_t *len);
int ff_dev_server_up(const char *data_dir, char *url_out, size_t url_cap);
int ff_dev_server_status(const char *data_dir, char *url_out, size_t url_cap);
int ff_dev_server_down(const char *data_dir);
void ff_free(void *p);
int ff_exec_spec_new(ff_exec_spec **out, const char *kind);
void ff_exec_spec_free(ff_exec_spec *s);
int ff_exec_spec_set_namespace(ff_exec_spec *s, const char *ns);
int ff_exec_spec_set_lane(ff_exec_spec *s, const char *lane);
int ff_exec_spec_set_kind(ff_exec_spec *s, const char *kind);
int ff_exec_spec_set_payload(ff_exec_spec *s, const void *data, size_t len);
int ff_exec_spec_set_priority(ff_exec_spec *s, int32_t priority);
int ff_exec_spec_set_delay_until_ms(ff_exec_spec *s, int64_t unix_ms);
int ff_exec_spec_set_delay_ms(ff_exec_spec *s, int64_t delay_ms);
int ff_exec_spec_set_deadline_ms(ff_exec_spec *s, int64_t unix_ms);
int ff_exec_spec_add_capability(ff_exec_spec *s, const char *token);
int ff_exec_spec_add_tag(ff_exec_spec *s, const char *key, const char *value);
int ff_exec_spec_add_budget(ff_exec_spec *s, const char *budget_id);
int ff_exec_spec_set_group(ff_exec_spec *s, const char *group);
int ff_exec_spec_set_policy_json(ff_exec_spec *s, const char *json);
int ff_exec_spec_set_retry(ff_exec_spec *s, int32_t max_retries, const char *backoff, int64_t initial_ms, int64_t max_ms, double multiplier, double jitter, const char *categories);
int ff_exec_spec_set_non_retryable(ff_exec_spec *s, const char *categories);
int ff_exec_spec_set_attempt_timeout_ms(ff_exec_spec *s, int64_t ms);
int ff_exec_spec_set_limits(ff_exec_spec *s, int32_t max_reclaim_count, int32_t max_replay_count);
int ff_exec_spec_set_idempotency_key(ff_exec_spec *s, const char *key, int64_t ttl_ms);
int ff_exec_spec_set_execution_id(ff_exec_spec *s, const char *execution_id);
int ff_exec_spec_set_flow(ff_exec_spec *s, const char *flow_id);
int ff_execution_create(ff_client *c, const ff_exec_spec *spec, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_describe(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_result(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_wait(ff_client *c, const char *execution_id, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_list_lane(ff_client *c, const char *lane, const char *state, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_lanes_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
int ff_lane_counts(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);
int ff_claim_opts_new(ff_claim_opts **out);
void ff_claim_opts_free(ff_claim_opts *o);
int ff_claim_opts_set_worker_id(ff_claim_opts *o, const char *worker_id);
int ff_claim_opts_set_worker_instance_id(ff_claim_opts *o, const char *instance_id);
int ff_claim_opts_add_lane(ff_claim_opts *o, const char *lane);
int ff_claim_opts_add_capability(ff_claim_opts *o, const char *token);
int ff_claim_opts_set_lease_ttl_ms(ff_claim_opts *o, int64_t ttl_ms);
int ff_claim_opts_set_batch(ff_claim_opts *o, uint32_t n);
void ff_claim_free(ff_claim *cl);
const char *ff_claim_execution_id(const ff_claim *cl);
uint32_t ff_claim_attempt_index(const ff_claim *cl);
const char *ff_claim_attempt_id(const ff_claim *cl);
const char *ff_claim_attempt_type(const ff_claim *cl);
const char *ff_claim_lease_id(const ff_claim *cl);
uint64_t ff_claim_lease_epoch(const ff_claim *cl);
int64_t ff_claim_expires_at_ms(const ff_claim *cl);
int64_t ff_claim_lease_ttl_ms(const ff_claim *cl);
const void *ff_claim_payload(const ff_claim *cl, size_t *len);
const char *ff_claim_kind(const ff_claim *cl);
const char *ff_claim_lane(const ff_claim *cl);
const char *ff_claim_namespace(const ff_claim *cl);
const char *ff_claim_worker_instance_id(const ff_claim *cl);
int ff_claim_from_fence(ff_claim **out, const char *execution_id, uint32_t attempt_index, const char *attempt_id, const char *lease_id, uint64_t lease_epoch, int64_t lease_ttl_ms);
int ff_lease_claim(ff_client *c, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_renew(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_progress(ff_client *c, const ff_claim *cl, int32_t percent, const char *message, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_complete(ff_client *c, const ff_claim *cl, const void *result, size_t len, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_fail(ff_client *c, const ff_claim *cl, const char *reason, const char *category, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_fail_with(ff_client *c, const ff_claim *cl, const char *reason, const char *category, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_cancel(ff_client *c, const ff_claim *cl, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_cancel(ff_client *c, const char *execution_id, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_delay(ff_client *c, const ff_claim *cl, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_reclaim_grant(ff_client *c, const char *execution_id, const char *worker_id, int64_t ttl_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_claim_reclaim(ff_client *c, const char *execution_id, const char *token, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_claim_resumed(ff_client *c, const char *execution_id, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_grant_and_claim(ff_client *c, const char *execution_id, const ff_claim_opts *o, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_replay(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_change_priority(ff_client *c, const char *execution_id, int32_t priority, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_revoke_lease(ff_client *c, const char *execution_id, const char *expected_lease_id, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_suspend_spec_new(ff_suspend_spec **out);
void ff_suspend_spec_free(ff_suspend_spec *s);
int ff_suspend_spec_add_waitpoint(ff_suspend_spec *s, const char *key);
int ff_suspend_spec_use_pending(ff_suspend_spec *s, const char *waitpoint_id);
int ff_suspend_spec_set_condition_json(ff_suspend_spec *s, const char *json);
int ff_suspend_spec_set_timeout(ff_suspend_spec *s, int64_t ms, const char *behavior);
int ff_suspend_spec_set_reason(ff_suspend_spec *s, const char *reason);
int ff_suspend_spec_set_idempotency_key(ff_suspend_spec *s, const char *key);
int ff_lease_suspend(ff_client *c, const ff_claim *cl, const ff_suspend_spec *s, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_create_waitpoint(ff_client *c, const ff_claim *cl, const char *key, int64_t expires_in_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_observe_signals(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out);
int ff_signal_deliver(ff_client *c, const char *execution_id, const char *waitpoint_id, const char *token, const char *name, const char *source_type, const char *source_identity, const void *payload, size_t len, const char *idempotency_key, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_list_suspended(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_waitpoints(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_waitpoint_token(ff_client *c, const char *execution_id, const char *waitpoint_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_secret_rotate(ff_client *c, const char *new_kid, const char *new_secret_hex, int64_t grace_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_secret_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_create(ff_client *c, const char *flow_id, const char *lane, int32_t max_members, int32_t max_incoming, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_create_with_budgets(ff_client *c, const char *flow_id, const char *lane, int32_t max_members, int32_t max_incoming, const char * const *budgets, size_t nbudgets, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_add_member(ff_client *c, const char *flow_id, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_set_group(ff_client *c, const char *flow_id, const char *downstream, const char *policy, int32_t k, const char *on_satisfied, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_add_edge(ff_client *c, const char *flow_id, const char *upstream, const char *downstream, int64_t expected_revision, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_describe(ff_client *c, const char *flow_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_list_edges(ff_client *c, const char *flow_id, const char *execution_id, const char *direction, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_describe_edge(ff_client *c, const char *flow_id, const char *edge_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_flow_id(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_parent_results(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_cancel(ff_client *c, const char *flow_id, const char *policy, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_spec_new(ff_flow_spec **out, const char *flow_id, const char *lane, int32_t max_members, int32_t max_incoming);
void ff_flow_spec_free(ff_flow_spec *s);
int ff_flow_spec_add_member(ff_flow_spec *s, const ff_exec_spec *member, uint32_t *index_out);
int ff_flow_spec_add_edge(ff_flow_spec *s, uint32_t up, uint32_t down, uint32_t flags);
int ff_flow_spec_set_group(ff_flow_spec *s, uint32_t down, const char *policy, int32_t k, const char *on_satisfied);
int ff_flow_spec_set_parent(ff_flow_spec *s, const char *parent_id);
int ff_flow_spec_add_budget(ff_flow_spec *s, const char *budget_id);
int ff_flow_submit(ff_client *c, const ff_flow_spec *spec, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_wait_children(ff_client *c, const ff_claim *cl, int64_t timeout_ms, const char *behavior, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_children(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_feed_read(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_feed_wait(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_flow_wait(ff_client *c, const char *flow_id, int64_t timeout_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_frame_new(ff_frame **out);
void ff_frame_free(ff_frame *f);
int ff_frame_set_type(ff_frame *f, const char *frame_type);
int ff_frame_set_payload(ff_frame *f, const void *data, size_t len);
int ff_frame_set_encoding(ff_frame *f, const char *encoding);
int ff_frame_set_source(ff_frame *f, const char *source);
int ff_frame_set_correlation_id(ff_frame *f, const char *correlation_id);
int ff_frame_set_mode(ff_frame *f, const char *mode);
int ff_stream_append(ff_client *c, const ff_claim *cl, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out);
int ff_stream_append_many(ff_client *c, const ff_claim *cl, const ff_frame * const *frames, size_t n, ff_op_cb cb, void *ud, ff_op **out);
int ff_stream_read(ff_client *c, const char *eid, uint32_t attempt, const char *after, const char *to, uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
int ff_stream_tail(ff_client *c, const char *eid, uint32_t attempt, const char *after, int64_t block_ms, uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
int ff_stream_summary(ff_client *c, const char *eid, uint32_t attempt, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_spec_new(ff_budget_spec **out);
void ff_budget_spec_free(ff_budget_spec *s);
int ff_budget_spec_set_scope(ff_budget_spec *s, const char *scope_type, const char *scope_id);
int ff_budget_spec_set_actions(ff_budget_spec *s, const char *on_hard, const char *on_soft);
int ff_budget_spec_set_reset_interval(ff_budget_spec *s, int64_t ms);
int ff_budget_spec_add_dimension(ff_budget_spec *s, const char *name, int64_t hard, int64_t soft);
uint32_t ff_budget_partition(const ff_client *c, const char *budget_id);
int ff_budget_create(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_update(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_report_usage(ff_client *c, const ff_claim *cl, const char *budget_id, const char * const *dimensions, const int64_t *deltas, size_t n, const char *dedup_key, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_release(ff_client *c, const char *budget_id, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_reset(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_describe(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_budget_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_quota_create(ff_client *c, const char *lane, const char *quota_id, int64_t rate, int64_t window_ms, int64_t concurrency, ff_op_cb cb, void *ud, ff_op **out);
int ff_quota_describe(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_quota_list(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_group_pause(ff_client *c, const char *lane, const char *group, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_group_resume(ff_client *c, const char *lane, const char *group, ff_op_cb cb, void *ud, ff_op **out);
int ff_lease_rate_limited(ff_client *c, const ff_claim *cl, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_worker_register(ff_client *c, const char *worker_id, const char *instance_id, const char * const *lanes, size_t nlanes, const char * const *caps, size_t ncaps, int64_t concurrency, int64_t ttl_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_worker_heartbeat(ff_client *c, const char *worker_id, const char *instance_id, const char * const *lanes, size_t nlanes, const char * const *caps, size_t ncaps, int64_t concurrency, int64_t ttl_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_workers_list(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_worker_mark_dead(ff_client *c, const char *worker_id, ff_op_cb cb, void *ud, ff_op **out);
int ff_lane_create(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);
int ff_lane_pause(ff_client *c, const char *lane, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_lane_resume(ff_client *c, const char *lane, ff_op_cb cb, void *ud, ff_op **out);
int ff_lanes_page(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_engine_opts_new(ff_engine_opts **out);
void ff_engine_opts_free(ff_engine_opts *o);
int ff_engine_opts_set_tick_ms(ff_engine_opts *o, int64_t ms);
int ff_engine_opts_set_batch(ff_engine_opts *o, uint32_t n);
int ff_engine_opts_set_retention_ms(ff_engine_opts *o, int64_t ms);
int ff_engine_opts_set_ownership_ttl_ms(ff_engine_opts *o, int64_t ms);
int ff_engine_opts_set_engine_id(ff_engine_opts *o, const char *id);
int ff_engine_start(ff_engine **out, ff_client *c, const ff_engine_opts *opts);
void ff_engine_stop(ff_engine *e);
int ff_engine_stats_json(const ff_engine *e, char **out);
const char *ff_engine_id(const ff_engine *e);
int ff_worker_opts_new(ff_worker_opts **out);
void ff_worker_opts_free(ff_worker_opts *o);
int ff_worker_opts_set_worker_id(ff_worker_opts *o, const char *worker_id);
int ff_worker_opts_set_instance_id(ff_worker_opts *o, const char *instance_id);
int ff_worker_opts_add_lane(ff_worker_opts *o, const char *lane);
int ff_worker_opts_add_capability(ff_worker_opts *o, const char *token);
int ff_worker_opts_set_concurrency(ff_worker_opts *o, uint32_t n);
int ff_worker_opts_set_lease_ttl_ms(ff_worker_opts *o, int64_t ms);
int ff_worker_opts_set_poll_ms(ff_worker_opts *o, int64_t ms);
int ff_worker_opts_set_pull(ff_worker_opts *o, int32_t on);
int ff_worker_opts_set_engine(ff_worker_opts *o, int32_t on);
int ff_worker_opts_set_engine_opts(ff_worker_opts *o, const ff_engine_opts *eo);
int ff_worker_new(ff_worker **out, ff_client *c, const ff_worker_opts *o);
int ff_worker_on(ff_worker *w, const char *kind, ff_task_handler fn, void *ud);
int ff_worker_start(ff_worker *w);
int ff_worker_stop(ff_worker *w, int64_t grace_ms);
int ff_worker_next_task(ff_worker *w, ff_task **task, int64_t timeout_ms);
int ff_worker_next_fd(const ff_worker *w);
int32_t ff_worker_stopped(const ff_worker *w);
int ff_worker_run(ff_worker *w, uint64_t max_tasks, int64_t idle_timeout_ms);
void ff_worker_free(ff_worker *w);
int ff_worker_stats_json(const ff_worker *w, char **out);
const char *ff_worker_instance_id(const ff_worker *w);
const ff_claim *ff_task_claim(const ff_task *t);
int ff_task_lost(const ff_task *t);
void *ff_task_userdata(const ff_task *t);
int ff_task_complete(ff_task *t, const void *result, size_t len, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_fail(ff_task *t, const char *reason, const char *category, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_fail_with(ff_task *t, const char *reason, const char *category, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_cancel(ff_task *t, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_delay(ff_task *t, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_release(ff_task *t, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_rate_limited(ff_task *t, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_suspend(ff_task *t, const ff_suspend_spec *s, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_wait_children(ff_task *t, int64_t timeout_ms, const char *behavior, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_create_waitpoint(ff_task *t, const char *key, int64_t expires_in_ms, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_observe_signals(ff_task *t, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_progress(ff_task *t, int32_t percent, const char *message, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_emit(ff_task *t, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_log(ff_task *t, const char *text, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_summary(ff_task *t, const char *patch, ff_op_cb cb, void *ud, ff_op **out);
int ff_task_report_usage(ff_task *t, const char *budget_id, const char * const *dimensions, const int64_t *deltas, size_t n, const char *dedup_key, ff_op_cb cb, void *ud, ff_op **out);
int32_t ff_task_budget_breached(const ff_task *t);
int ff_deployment_health(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
int ff_execution_list_quarantined(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int ff_engine_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
]==],
}
