# GENERATED from bindings/api.json by bindings/gen/gen_ruby.py - do not edit (make generate).
# frozen_string_literal: true

require "ffi"

module FlowFabric
  # The C API as declared in include/flowfabric.h, one attach_function per
  # function. Calls marked @blocking in the header release the GVL.
  module Native
    extend FFI::Library

    ABI_VERSION = 1
    VERSION = "0.1.0"

    ffi_lib FlowFabric::Loader.library_path
    # The ABI first: binding every function of another ABI would fail on
    # the first missing symbol with a message that names no version.
    attach_function :ff_abi_version, [], :int32
    FlowFabric::Loader.check_abi(ff_abi_version, ABI_VERSION)

    FF_VERSION_MAJOR = 0
    FF_VERSION_MINOR = 1
    FF_VERSION_PATCH = 0
    FF_VERSION_NUMBER = 100
    FF_ABI_VERSION = 1
    FF_REPLY_NIL = 0
    FF_REPLY_STRING = 1
    FF_REPLY_INTEGER = 2
    FF_REPLY_ARRAY = 3
    FF_REPLY_STATUS = 4
    FF_REPLY_ERROR = 5
    FF_FAIL_NO_RETRY = 1
    FF_WAITPOINT_ITEMS = 7
    FF_WAITPOINT_ITEM_ID = 0
    FF_WAITPOINT_ITEM_KEY = 1
    FF_WAITPOINT_ITEM_STATE = 2
    FF_WAITPOINT_ITEM_KID = 3
    FF_WAITPOINT_ITEM_FINGERPRINT = 4
    FF_WAITPOINT_ITEM_EXPIRES_AT = 5
    FF_WAITPOINT_ITEM_SIGNAL_NAMES = 6
    FF_FLOW_EDGE_DATA = 1
    FF_FLOW_SUBMIT_MAX_MEMBERS = 500
    FF_FLOW_SUBMIT_MAX_EDGES = 2000
    FF_STREAM_DURABLE_ONLY = 1
    FF_STREAM_READ_MAX = 10000
    FF_STREAM_BLOCK_MAX_MS = 86400000
    FF_STREAM_APPEND_MAX = 256
    FF_TASK_BUDGET_SOFT = 1
    FF_TASK_BUDGET_HARD = 2

    FF_OK = 0
    FF_ERROR = -1
    FF_EINVAL = -2
    FF_ENOMEM = -3
    FF_ENOTFOUND = -4
    FF_EEXISTS = -5
    FF_ETIMEDOUT = -6
    FF_ECANCELED = -7
    FF_ECONFLICT = -8
    FF_EIO = -9
    FF_EPROTO = -10
    FF_ESERVER = -11
    FF_EUSER = -12
    FF_ECLOSED = -13
    FF_EVERSION = -14
    FF_EAGAIN = -15
    FF_ESYS = -16
    FF_EUNSUPPORTED = -17
    FF_ETOOBIG = -18
    FF_ECONFIG = -19
    FF_EAUTH = -20
    FF_ESPAWN = -21
    FF_STALE_LEASE = -100
    FF_LEASE_EXPIRED = -101
    FF_LEASE_REVOKED = -102
    FF_FENCE_REQUIRED = -103
    FF_PARTIAL_FENCE_TRIPLE = -104
    FF_EXECUTION_NOT_ACTIVE = -105
    FF_NO_ACTIVE_LEASE = -106
    FF_ACTIVE_ATTEMPT_EXISTS = -107
    FF_USE_CLAIM_RESUMED_EXECUTION = -108
    FF_NOT_A_RESUMED_EXECUTION = -109
    FF_EXECUTION_NOT_LEASEABLE = -110
    FF_LEASE_CONFLICT = -111
    FF_INVALID_CLAIM_GRANT = -112
    FF_CLAIM_GRANT_EXPIRED = -113
    FF_NO_ELIGIBLE_EXECUTION = -114
    FF_EXECUTION_NOT_ELIGIBLE = -115
    FF_EXECUTION_NOT_IN_ELIGIBLE_SET = -116
    FF_GRANT_ALREADY_EXISTS = -117
    FF_EXECUTION_NOT_RECLAIMABLE = -118
    FF_MAX_RETRIES_EXHAUSTED = -119
    FF_CAPABILITY_MISMATCH = -120
    FF_INVALID_CAPABILITIES = -121
    FF_INVALID_POLICY_JSON = -122
    FF_INVALID_INPUT = -123
    FF_EXECUTION_NOT_FOUND = -124
    FF_INVALID_BLOCKING_REASON = -125
    FF_INVALID_TAG_KEY = -126
    FF_EXECUTION_NOT_SUSPENDED = -200
    FF_ALREADY_SUSPENDED = -201
    FF_WAITPOINT_CLOSED = -202
    FF_WAITPOINT_NOT_FOUND = -203
    FF_TARGET_NOT_SIGNALABLE = -204
    FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT = -205
    FF_DUPLICATE_SIGNAL = -206
    FF_PAYLOAD_TOO_LARGE = -207
    FF_SIGNAL_LIMIT_EXCEEDED = -208
    FF_INVALID_WAITPOINT_KEY = -209
    FF_INVALID_TOKEN = -210
    FF_INVALID_LEASE_FOR_SUSPEND = -211
    FF_RESUME_CONDITION_NOT_MET = -212
    FF_WAITPOINT_NOT_PENDING = -213
    FF_PENDING_WAITPOINT_EXPIRED = -214
    FF_INVALID_WAITPOINT_FOR_EXECUTION = -215
    FF_WAITPOINT_ALREADY_EXISTS = -216
    FF_WAITPOINT_NOT_OPEN = -217
    FF_WAITPOINT_NOT_TOKEN_BOUND = -218
    FF_INVALID_KID = -219
    FF_INVALID_SECRET_HEX = -220
    FF_INVALID_GRACE_MS = -221
    FF_ROTATION_CONFLICT = -222
    FF_HMAC_SECRET_NOT_INITIALIZED = -223
    FF_TOKEN_EXPIRED = -224
    FF_MISSING_TOKEN = -225
    FF_EXECUTION_NOT_TERMINAL = -300
    FF_MAX_REPLAYS_EXHAUSTED = -301
    FF_REPLAY_NOT_ALLOWED = -302
    FF_STREAM_CLOSED = -400
    FF_STALE_OWNER_CANNOT_APPEND = -401
    FF_RETENTION_LIMIT_EXCEEDED = -402
    FF_STREAM_NOT_FOUND = -403
    FF_STREAM_ALREADY_CLOSED = -404
    FF_INVALID_FRAME_TYPE = -405
    FF_INVALID_OFFSET = -406
    FF_INVALID_DEPENDENCY = -500
    FF_STALE_GRAPH_REVISION = -501
    FF_EXECUTION_ALREADY_IN_FLOW = -502
    FF_CYCLE_DETECTED = -503
    FF_FLOW_NOT_FOUND = -504
    FF_EXECUTION_NOT_IN_FLOW = -505
    FF_DEPENDENCY_ALREADY_EXISTS = -506
    FF_SELF_REFERENCING_EDGE = -507
    FF_FLOW_ALREADY_TERMINAL = -508
    FF_DEPS_NOT_SATISFIED = -509
    FF_NOT_BLOCKED_BY_DEPS = -510
    FF_NOT_RUNNABLE = -511
    FF_TERMINAL = -512
    FF_BUDGET_EXCEEDED = -600
    FF_BUDGET_SOFT_EXCEEDED = -601
    FF_OK_ALREADY_APPLIED = -602
    FF_BUDGET_NOT_FOUND = -603
    FF_INVALID_BUDGET_SCOPE = -604
    FF_BUDGET_ATTACH_CONFLICT = -605
    FF_BUDGET_OVERRIDE_NOT_ALLOWED = -606
    FF_QUOTA_POLICY_NOT_FOUND = -607
    FF_RATE_LIMIT_EXCEEDED = -608
    FF_CONCURRENCY_LIMIT_EXCEEDED = -609
    FF_QUOTA_ATTACH_CONFLICT = -610
    FF_INVALID_QUOTA_SPEC = -611
    FF_ATTEMPT_NOT_FOUND = -700
    FF_ATTEMPT_NOT_IN_CREATED_STATE = -701
    FF_ATTEMPT_NOT_STARTED = -702
    FF_ATTEMPT_ALREADY_TERMINAL = -703
    FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT = -704
    FF_UNAUTHORIZED = -705
    FF_CORRUPT_RECORD = -127
    FF_INVALID_SECRET = -226
    FF_EXECUTION_FAILED = -303
    FF_EXECUTION_CANCELLED = -304
    FF_EXECUTION_EXPIRED = -305
    FF_EXECUTION_SKIPPED = -306
    FF_PARTITION_MISMATCH = -513
    FF_EDGE_GROUP_POLICY_FIXED = -514
    FF_INVALID_FLOW_POLICY = -515
    FF_FLOW_LIMIT_EXCEEDED = -516
    FF_EDGE_NOT_FOUND = -517
    FF_DOWNSTREAM_RELEASED = -518
    FF_FLOW_SUBMIT_CONFLICT = -519
    FF_NO_CHILDREN = -520
    FF_PATCH_DEPTH_EXCEEDED = -407
    FF_LANE_PAUSED = -128
    FF_STATUS_SENTINEL_ = -9999

    FF_OP_KIND_NONE = 0
    FF_OP_KIND_CLIENT_COMMAND = 1
    FF_OP_KIND_EXECUTION_CREATE = 2
    FF_OP_KIND_EXECUTION_DESCRIBE = 3
    FF_OP_KIND_EXECUTION_RESULT = 4
    FF_OP_KIND_EXECUTION_WAIT = 5
    FF_OP_KIND_EXECUTION_CANCEL = 6
    FF_OP_KIND_EXECUTION_REPLAY = 7
    FF_OP_KIND_EXECUTION_CHANGE_PRIORITY = 8
    FF_OP_KIND_EXECUTION_REVOKE_LEASE = 9
    FF_OP_KIND_EXECUTION_RECLAIM_GRANT = 10
    FF_OP_KIND_EXECUTION_LIST = 11
    FF_OP_KIND_EXECUTION_LIST_LANE = 12
    FF_OP_KIND_LANES_LIST = 13
    FF_OP_KIND_LANE_COUNTS = 14
    FF_OP_KIND_LEASE_CLAIM = 15
    FF_OP_KIND_LEASE_CLAIM_RECLAIM = 16
    FF_OP_KIND_LEASE_RENEW = 17
    FF_OP_KIND_LEASE_PROGRESS = 18
    FF_OP_KIND_LEASE_COMPLETE = 19
    FF_OP_KIND_LEASE_FAIL = 20
    FF_OP_KIND_LEASE_FAIL_WITH = 21
    FF_OP_KIND_LEASE_CANCEL = 22
    FF_OP_KIND_LEASE_DELAY = 23
    FF_OP_KIND_LEASE_SUSPEND = 24
    FF_OP_KIND_LEASE_CREATE_WAITPOINT = 25
    FF_OP_KIND_LEASE_OBSERVE_SIGNALS = 26
    FF_OP_KIND_SIGNAL_DELIVER = 27
    FF_OP_KIND_EXECUTION_LIST_SUSPENDED = 28
    FF_OP_KIND_EXECUTION_WAITPOINTS = 29
    FF_OP_KIND_WAITPOINT_TOKEN = 30
    FF_OP_KIND_SECRET_ROTATE = 31
    FF_OP_KIND_SECRET_LIST = 32
    FF_OP_KIND_DEPLOYMENT_HEALTH = 33
    FF_OP_KIND_EXECUTION_LIST_QUARANTINED = 34
    FF_OP_KIND_ENGINE_LIST = 35
    FF_OP_KIND_TASK_COMPLETE = 36
    FF_OP_KIND_TASK_FAIL = 37
    FF_OP_KIND_TASK_FAIL_WITH = 38
    FF_OP_KIND_TASK_CANCEL = 39
    FF_OP_KIND_TASK_DELAY = 40
    FF_OP_KIND_TASK_RELEASE = 41
    FF_OP_KIND_TASK_SUSPEND = 42
    FF_OP_KIND_TASK_CREATE_WAITPOINT = 43
    FF_OP_KIND_TASK_OBSERVE_SIGNALS = 44
    FF_OP_KIND_TASK_PROGRESS = 45
    FF_OP_KIND_FLOW_CREATE = 46
    FF_OP_KIND_FLOW_ADD_MEMBER = 47
    FF_OP_KIND_FLOW_SET_GROUP = 48
    FF_OP_KIND_FLOW_ADD_EDGE = 49
    FF_OP_KIND_FLOW_DESCRIBE = 50
    FF_OP_KIND_FLOW_LIST = 51
    FF_OP_KIND_FLOW_LIST_EDGES = 52
    FF_OP_KIND_FLOW_DESCRIBE_EDGE = 53
    FF_OP_KIND_EXECUTION_FLOW_ID = 54
    FF_OP_KIND_EXECUTION_PARENT_RESULTS = 55
    FF_OP_KIND_FLOW_CANCEL = 56
    FF_OP_KIND_FLOW_SUBMIT = 57
    FF_OP_KIND_LEASE_WAIT_CHILDREN = 58
    FF_OP_KIND_TASK_WAIT_CHILDREN = 59
    FF_OP_KIND_EXECUTION_CHILDREN = 60
    FF_OP_KIND_FLOW_FEED_READ = 61
    FF_OP_KIND_FLOW_WAIT = 62
    FF_OP_KIND_FLOW_FEED_WAIT = 63
    FF_OP_KIND_STREAM_APPEND = 64
    FF_OP_KIND_STREAM_READ = 65
    FF_OP_KIND_STREAM_TAIL = 66
    FF_OP_KIND_STREAM_SUMMARY = 67
    FF_OP_KIND_TASK_EMIT = 68
    FF_OP_KIND_TASK_LOG = 69
    FF_OP_KIND_TASK_SUMMARY = 70
    FF_OP_KIND_BUDGET_CREATE = 71
    FF_OP_KIND_BUDGET_UPDATE = 72
    FF_OP_KIND_BUDGET_REPORT_USAGE = 73
    FF_OP_KIND_BUDGET_RELEASE = 74
    FF_OP_KIND_BUDGET_RESET = 75
    FF_OP_KIND_BUDGET_DESCRIBE = 76
    FF_OP_KIND_BUDGET_LIST = 77
    FF_OP_KIND_STREAM_APPEND_MANY = 78
    FF_OP_KIND_FLOW_CREATE_WITH_BUDGETS = 79
    FF_OP_KIND_TASK_REPORT_USAGE = 80
    FF_OP_KIND_WORKER_REGISTER = 81
    FF_OP_KIND_WORKER_HEARTBEAT = 82
    FF_OP_KIND_WORKERS_LIST = 83
    FF_OP_KIND_WORKER_MARK_DEAD = 84
    FF_OP_KIND_LANE_CREATE = 85
    FF_OP_KIND_LANE_PAUSE = 86
    FF_OP_KIND_LANE_RESUME = 87
    FF_OP_KIND_LANES_PAGE = 88
    FF_OP_KIND_CLAIM_RESUMED = 89
    FF_OP_KIND_GRANT_AND_CLAIM = 90
    FF_OP_KIND_QUOTA_CREATE = 91
    FF_OP_KIND_QUOTA_DESCRIBE = 92
    FF_OP_KIND_QUOTA_LIST = 93
    FF_OP_KIND_GROUP_PAUSE = 94
    FF_OP_KIND_GROUP_RESUME = 95
    FF_OP_KIND_LEASE_RATE_LIMITED = 96
    FF_OP_KIND_TASK_RATE_LIMITED = 97

    FF_ITEMS_LIST_PARTITION_STRIDE = 1
    FF_ITEMS_LIST_PARTITION_EID = 0
    FF_ITEMS_LIST_LANE_STRIDE = 1
    FF_ITEMS_LIST_LANE_EID = 0
    FF_ITEMS_LANES_STRIDE = 1
    FF_ITEMS_LANES_LANE = 0
    FF_ITEMS_LIST_SUSPENDED_STRIDE = 4
    FF_ITEMS_LIST_SUSPENDED_EID = 0
    FF_ITEMS_LIST_SUSPENDED_SUSPENDED_AT = 1
    FF_ITEMS_LIST_SUSPENDED_BLOCKING_REASON = 2
    FF_ITEMS_LIST_SUSPENDED_TIMEOUT_AT = 3
    FF_ITEMS_LIST_QUARANTINED_STRIDE = 3
    FF_ITEMS_LIST_QUARANTINED_EID = 0
    FF_ITEMS_LIST_QUARANTINED_QUARANTINED_AT = 1
    FF_ITEMS_LIST_QUARANTINED_WHY = 2
    FF_ITEMS_WAITPOINTS_STRIDE = 7
    FF_ITEMS_WAITPOINTS_WP_ID = 0
    FF_ITEMS_WAITPOINTS_KEY = 1
    FF_ITEMS_WAITPOINTS_STATE = 2
    FF_ITEMS_WAITPOINTS_KID = 3
    FF_ITEMS_WAITPOINTS_FINGERPRINT = 4
    FF_ITEMS_WAITPOINTS_EXPIRES_AT = 5
    FF_ITEMS_WAITPOINTS_NAMES = 6
    FF_ITEMS_OBSERVE_SIGNALS_STRIDE = 6
    FF_ITEMS_OBSERVE_SIGNALS_SIGNAL_ID = 0
    FF_ITEMS_OBSERVE_SIGNALS_NAME = 1
    FF_ITEMS_OBSERVE_SIGNALS_SOURCE_TYPE = 2
    FF_ITEMS_OBSERVE_SIGNALS_SOURCE_IDENTITY = 3
    FF_ITEMS_OBSERVE_SIGNALS_ACCEPTED_AT = 4
    FF_ITEMS_OBSERVE_SIGNALS_PAYLOAD = 5
    FF_ITEMS_SUSPEND_STRIDE = 3
    FF_ITEMS_SUSPEND_WP_ID = 0
    FF_ITEMS_SUSPEND_KEY = 1
    FF_ITEMS_SUSPEND_TOKEN = 2
    FF_ITEMS_FLOW_LIST_STRIDE = 1
    FF_ITEMS_FLOW_LIST_FLOW_ID = 0
    FF_ITEMS_FLOW_EDGES_STRIDE = 4
    FF_ITEMS_FLOW_EDGES_EDGE_ID = 0
    FF_ITEMS_FLOW_EDGES_UPSTREAM = 1
    FF_ITEMS_FLOW_EDGES_DOWNSTREAM = 2
    FF_ITEMS_FLOW_EDGES_STATE = 3
    FF_ITEMS_FLOW_PARENTS_STRIDE = 5
    FF_ITEMS_FLOW_PARENTS_UPSTREAM = 0
    FF_ITEMS_FLOW_PARENTS_EDGE_ID = 1
    FF_ITEMS_FLOW_PARENTS_STATE = 2
    FF_ITEMS_FLOW_PARENTS_HAS_RESULT = 3
    FF_ITEMS_FLOW_PARENTS_RESULT = 4
    FF_ITEMS_FLOW_CANCEL_STRIDE = 1
    FF_ITEMS_FLOW_CANCEL_EID = 0
    FF_ITEMS_FLOW_SUBMIT_STRIDE = 1
    FF_ITEMS_FLOW_SUBMIT_EID = 0
    FF_ITEMS_FLOW_CHILDREN_STRIDE = 5
    FF_ITEMS_FLOW_CHILDREN_FLOW_ID = 0
    FF_ITEMS_FLOW_CHILDREN_EID = 1
    FF_ITEMS_FLOW_CHILDREN_PUBLIC_STATE = 2
    FF_ITEMS_FLOW_CHILDREN_HAS_RESULT = 3
    FF_ITEMS_FLOW_CHILDREN_RESULT = 4
    FF_ITEMS_FLOW_FEED_STRIDE = 5
    FF_ITEMS_FLOW_FEED_ID = 0
    FF_ITEMS_FLOW_FEED_FLOW_ID = 1
    FF_ITEMS_FLOW_FEED_EID = 2
    FF_ITEMS_FLOW_FEED_OUTCOME = 3
    FF_ITEMS_FLOW_FEED_KIND = 4
    FF_ITEMS_READ_STREAM_STRIDE = 8
    FF_ITEMS_READ_STREAM_ID = 0
    FF_ITEMS_READ_STREAM_FRAME_TYPE = 1
    FF_ITEMS_READ_STREAM_PAYLOAD = 2
    FF_ITEMS_READ_STREAM_ENCODING = 3
    FF_ITEMS_READ_STREAM_SOURCE = 4
    FF_ITEMS_READ_STREAM_CORRELATION_ID = 5
    FF_ITEMS_READ_STREAM_TS = 6
    FF_ITEMS_READ_STREAM_MODE = 7
    FF_ITEMS_APPEND_FRAMES_STRIDE = 4
    FF_ITEMS_APPEND_FRAMES_CODE = 0
    FF_ITEMS_APPEND_FRAMES_ENTRY_ID = 1
    FF_ITEMS_APPEND_FRAMES_FRAME_COUNT = 2
    FF_ITEMS_APPEND_FRAMES_SUMMARY_VERSION = 3
    FF_ITEMS_LIST_BUDGETS_STRIDE = 1
    FF_ITEMS_LIST_BUDGETS_BUDGET_ID = 0

    callback :ff_op_cb, [:pointer, :pointer], :void
    callback :ff_task_handler, [:pointer, :pointer], :void

    attach_function :ff_version_string, [], :pointer
    attach_function :ff_version_number, [], :int32
    attach_function :ff_lua_library_version, [], :pointer
    attach_function :ff_strerror, [:int], :pointer
    attach_function :ff_status_name, [:int], :pointer
    attach_function :ff_status_group, [:int], :pointer
    attach_function :ff_status_server_token, [:int], :pointer
    attach_function :ff_status_from_server_token, [:string], :int
    attach_function :ff_status_list, [:pointer, :size_t], :size_t
    attach_function :ff_error_detail, [:int], :pointer
    attach_function :ff_client_opts_new, [:pointer], :int
    attach_function :ff_client_opts_free, [:pointer], :void
    attach_function :ff_client_opts_set_url, [:pointer, :string], :int
    attach_function :ff_client_opts_set_data_dir, [:pointer, :string], :int
    attach_function :ff_client_opts_set_inline_dispatch, [:pointer, :int32], :int
    attach_function :ff_client_opts_set_pull, [:pointer, :int32], :int
    attach_function :ff_client_opts_set_timeout_ms, [:pointer, :int64], :int
    attach_function :ff_client_opts_set_max_payload_bytes, [:pointer, :uint64], :int
    attach_function :ff_client_opts_set_partitions, [:pointer, :uint32], :int
    attach_function :ff_client_opts_set_hmac_secret, [:pointer, :string], :int
    attach_function :ff_client_opts_set_blocking_connections, [:pointer, :uint32], :int
    attach_function :ff_client_opts_set_max_frame_bytes, [:pointer, :uint32], :int
    attach_function :ff_client_opts_set_connect_timeout_ms, [:pointer, :int64], :int
    attach_function :ff_client_new, [:pointer, :pointer, :pointer, :size_t], :int, blocking: true
    attach_function :ff_client_free, [:pointer], :void, blocking: true
    attach_function :ff_client_fd, [:pointer], :int
    attach_function :ff_client_dispatch, [:pointer, :int32], :int32
    attach_function :ff_client_next, [:pointer, :pointer], :int
    attach_function :ff_client_next_wait, [:pointer, :pointer, :int64], :int, blocking: true
    attach_function :ff_client_next_fd, [:pointer], :int
    attach_function :ff_client_partitions, [:pointer], :uint32
    attach_function :ff_client_url, [:pointer], :pointer
    attach_function :ff_url_redact, [:string, :pointer, :size_t], :int
    attach_function :ff_client_connected, [:pointer], :int32
    attach_function :ff_client_connect_count, [:pointer], :uint64
    attach_function :ff_client_command, [:pointer, :int32, :pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_op_wait, [:pointer, :int64], :int, blocking: true
    attach_function :ff_op_free, [:pointer], :void
    attach_function :ff_op_done, [:pointer], :int32
    attach_function :ff_op_status, [:pointer], :int
    attach_function :ff_op_userdata, [:pointer], :pointer
    attach_function :ff_op_errmsg, [:pointer], :pointer
    attach_function :ff_op_server_code, [:pointer], :pointer
    attach_function :ff_op_detail_count, [:pointer], :size_t
    attach_function :ff_op_detail, [:pointer, :size_t], :pointer
    attach_function :ff_op_kind, [:pointer], :int
    attach_function :ff_op_text, [:pointer], :pointer
    attach_function :ff_op_int, [:pointer], :int64
    attach_function :ff_op_bytes, [:pointer, :pointer], :pointer
    attach_function :ff_op_execution_id, [:pointer], :pointer
    attach_function :ff_op_json, [:pointer], :pointer
    attach_function :ff_op_json_str, [:pointer, :string, :pointer], :int
    attach_function :ff_op_json_i64, [:pointer, :string, :pointer], :int
    attach_function :ff_op_item_count, [:pointer], :size_t
    attach_function :ff_op_item, [:pointer, :size_t], :pointer
    attach_function :ff_op_item_bytes, [:pointer, :size_t, :pointer], :pointer
    attach_function :ff_op_cursor, [:pointer], :pointer
    attach_function :ff_op_claim_count, [:pointer], :size_t
    attach_function :ff_op_take_claim, [:pointer, :size_t, :pointer], :int
    attach_function :ff_op_reply_type, [:pointer], :int32
    attach_function :ff_op_reply_integer, [:pointer], :int64
    attach_function :ff_op_reply_len, [:pointer], :size_t
    attach_function :ff_op_reply_element, [:pointer, :size_t, :pointer], :pointer
    attach_function :ff_dev_server_up, [:string, :pointer, :size_t], :int, blocking: true
    attach_function :ff_dev_server_status, [:string, :pointer, :size_t], :int, blocking: true
    attach_function :ff_dev_server_down, [:string], :int, blocking: true
    attach_function :ff_free, [:pointer], :void
    attach_function :ff_exec_spec_new, [:pointer, :string], :int
    attach_function :ff_exec_spec_free, [:pointer], :void
    attach_function :ff_exec_spec_set_namespace, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_lane, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_kind, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_payload, [:pointer, :pointer, :size_t], :int
    attach_function :ff_exec_spec_set_priority, [:pointer, :int32], :int
    attach_function :ff_exec_spec_set_delay_until_ms, [:pointer, :int64], :int
    attach_function :ff_exec_spec_set_delay_ms, [:pointer, :int64], :int
    attach_function :ff_exec_spec_set_deadline_ms, [:pointer, :int64], :int
    attach_function :ff_exec_spec_add_capability, [:pointer, :string], :int
    attach_function :ff_exec_spec_add_tag, [:pointer, :string, :string], :int
    attach_function :ff_exec_spec_add_budget, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_group, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_policy_json, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_retry, [:pointer, :int32, :string, :int64, :int64, :double, :double, :string], :int
    attach_function :ff_exec_spec_set_non_retryable, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_attempt_timeout_ms, [:pointer, :int64], :int
    attach_function :ff_exec_spec_set_limits, [:pointer, :int32, :int32], :int
    attach_function :ff_exec_spec_set_idempotency_key, [:pointer, :string, :int64], :int
    attach_function :ff_exec_spec_set_execution_id, [:pointer, :string], :int
    attach_function :ff_exec_spec_set_flow, [:pointer, :string], :int
    attach_function :ff_execution_create, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_describe, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_result, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_wait, [:pointer, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_list, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_list_lane, [:pointer, :string, :string, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lanes_list, [:pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lane_counts, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_claim_opts_new, [:pointer], :int
    attach_function :ff_claim_opts_free, [:pointer], :void
    attach_function :ff_claim_opts_set_worker_id, [:pointer, :string], :int
    attach_function :ff_claim_opts_set_worker_instance_id, [:pointer, :string], :int
    attach_function :ff_claim_opts_add_lane, [:pointer, :string], :int
    attach_function :ff_claim_opts_add_capability, [:pointer, :string], :int
    attach_function :ff_claim_opts_set_lease_ttl_ms, [:pointer, :int64], :int
    attach_function :ff_claim_opts_set_batch, [:pointer, :uint32], :int
    attach_function :ff_claim_free, [:pointer], :void
    attach_function :ff_claim_execution_id, [:pointer], :pointer
    attach_function :ff_claim_attempt_index, [:pointer], :uint32
    attach_function :ff_claim_attempt_id, [:pointer], :pointer
    attach_function :ff_claim_attempt_type, [:pointer], :pointer
    attach_function :ff_claim_lease_id, [:pointer], :pointer
    attach_function :ff_claim_lease_epoch, [:pointer], :uint64
    attach_function :ff_claim_expires_at_ms, [:pointer], :int64
    attach_function :ff_claim_lease_ttl_ms, [:pointer], :int64
    attach_function :ff_claim_payload, [:pointer, :pointer], :pointer
    attach_function :ff_claim_kind, [:pointer], :pointer
    attach_function :ff_claim_lane, [:pointer], :pointer
    attach_function :ff_claim_namespace, [:pointer], :pointer
    attach_function :ff_claim_worker_instance_id, [:pointer], :pointer
    attach_function :ff_claim_from_fence, [:pointer, :string, :uint32, :string, :string, :uint64, :int64], :int
    attach_function :ff_lease_claim, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_renew, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_progress, [:pointer, :pointer, :int32, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_complete, [:pointer, :pointer, :pointer, :size_t, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_fail, [:pointer, :pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_fail_with, [:pointer, :pointer, :string, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_cancel, [:pointer, :pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_cancel, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_delay, [:pointer, :pointer, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_reclaim_grant, [:pointer, :string, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_claim_reclaim, [:pointer, :string, :string, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_claim_resumed, [:pointer, :string, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_grant_and_claim, [:pointer, :string, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_replay, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_change_priority, [:pointer, :string, :int32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_revoke_lease, [:pointer, :string, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_suspend_spec_new, [:pointer], :int
    attach_function :ff_suspend_spec_free, [:pointer], :void
    attach_function :ff_suspend_spec_add_waitpoint, [:pointer, :string], :int
    attach_function :ff_suspend_spec_use_pending, [:pointer, :string], :int
    attach_function :ff_suspend_spec_set_condition_json, [:pointer, :string], :int
    attach_function :ff_suspend_spec_set_timeout, [:pointer, :int64, :string], :int
    attach_function :ff_suspend_spec_set_reason, [:pointer, :string], :int
    attach_function :ff_suspend_spec_set_idempotency_key, [:pointer, :string], :int
    attach_function :ff_lease_suspend, [:pointer, :pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_create_waitpoint, [:pointer, :pointer, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_observe_signals, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_signal_deliver, [:pointer, :string, :string, :string, :string, :string, :string, :pointer, :size_t, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_list_suspended, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_waitpoints, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_waitpoint_token, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_secret_rotate, [:pointer, :string, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_secret_list, [:pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_create, [:pointer, :string, :string, :int32, :int32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_create_with_budgets, [:pointer, :string, :string, :int32, :int32, :pointer, :size_t, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_add_member, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_set_group, [:pointer, :string, :string, :string, :int32, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_add_edge, [:pointer, :string, :string, :string, :int64, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_describe, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_list, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_list_edges, [:pointer, :string, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_describe_edge, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_flow_id, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_parent_results, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_cancel, [:pointer, :string, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_spec_new, [:pointer, :string, :string, :int32, :int32], :int
    attach_function :ff_flow_spec_free, [:pointer], :void
    attach_function :ff_flow_spec_add_member, [:pointer, :pointer, :pointer], :int
    attach_function :ff_flow_spec_add_edge, [:pointer, :uint32, :uint32, :uint32], :int
    attach_function :ff_flow_spec_set_group, [:pointer, :uint32, :string, :int32, :string], :int
    attach_function :ff_flow_spec_set_parent, [:pointer, :string], :int
    attach_function :ff_flow_spec_add_budget, [:pointer, :string], :int
    attach_function :ff_flow_submit, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_wait_children, [:pointer, :pointer, :int64, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_children, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_feed_read, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_feed_wait, [:pointer, :uint32, :string, :uint32, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_flow_wait, [:pointer, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_frame_new, [:pointer], :int
    attach_function :ff_frame_free, [:pointer], :void
    attach_function :ff_frame_set_type, [:pointer, :string], :int
    attach_function :ff_frame_set_payload, [:pointer, :pointer, :size_t], :int
    attach_function :ff_frame_set_encoding, [:pointer, :string], :int
    attach_function :ff_frame_set_source, [:pointer, :string], :int
    attach_function :ff_frame_set_correlation_id, [:pointer, :string], :int
    attach_function :ff_frame_set_mode, [:pointer, :string], :int
    attach_function :ff_stream_append, [:pointer, :pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_stream_append_many, [:pointer, :pointer, :pointer, :size_t, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_stream_read, [:pointer, :string, :uint32, :string, :string, :uint32, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_stream_tail, [:pointer, :string, :uint32, :string, :int64, :uint32, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_stream_summary, [:pointer, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_spec_new, [:pointer], :int
    attach_function :ff_budget_spec_free, [:pointer], :void
    attach_function :ff_budget_spec_set_scope, [:pointer, :string, :string], :int
    attach_function :ff_budget_spec_set_actions, [:pointer, :string, :string], :int
    attach_function :ff_budget_spec_set_reset_interval, [:pointer, :int64], :int
    attach_function :ff_budget_spec_add_dimension, [:pointer, :string, :int64, :int64], :int
    attach_function :ff_budget_partition, [:pointer, :string], :uint32
    attach_function :ff_budget_create, [:pointer, :string, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_update, [:pointer, :string, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_report_usage, [:pointer, :pointer, :string, :pointer, :pointer, :size_t, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_release, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_reset, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_describe, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_budget_list, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_quota_create, [:pointer, :string, :string, :int64, :int64, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_quota_describe, [:pointer, :string, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_quota_list, [:pointer, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_group_pause, [:pointer, :string, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_group_resume, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lease_rate_limited, [:pointer, :pointer, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_worker_register, [:pointer, :string, :string, :pointer, :size_t, :pointer, :size_t, :int64, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_worker_heartbeat, [:pointer, :string, :string, :pointer, :size_t, :pointer, :size_t, :int64, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_workers_list, [:pointer, :string, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_worker_mark_dead, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lane_create, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lane_pause, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lane_resume, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_lanes_page, [:pointer, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_engine_opts_new, [:pointer], :int
    attach_function :ff_engine_opts_free, [:pointer], :void
    attach_function :ff_engine_opts_set_tick_ms, [:pointer, :int64], :int
    attach_function :ff_engine_opts_set_batch, [:pointer, :uint32], :int
    attach_function :ff_engine_opts_set_retention_ms, [:pointer, :int64], :int
    attach_function :ff_engine_opts_set_ownership_ttl_ms, [:pointer, :int64], :int
    attach_function :ff_engine_opts_set_engine_id, [:pointer, :string], :int
    attach_function :ff_engine_start, [:pointer, :pointer, :pointer], :int
    attach_function :ff_engine_stop, [:pointer], :void, blocking: true
    attach_function :ff_engine_stats_json, [:pointer, :pointer], :int
    attach_function :ff_engine_id, [:pointer], :pointer
    attach_function :ff_worker_opts_new, [:pointer], :int
    attach_function :ff_worker_opts_free, [:pointer], :void
    attach_function :ff_worker_opts_set_worker_id, [:pointer, :string], :int
    attach_function :ff_worker_opts_set_instance_id, [:pointer, :string], :int
    attach_function :ff_worker_opts_add_lane, [:pointer, :string], :int
    attach_function :ff_worker_opts_add_capability, [:pointer, :string], :int
    attach_function :ff_worker_opts_set_concurrency, [:pointer, :uint32], :int
    attach_function :ff_worker_opts_set_lease_ttl_ms, [:pointer, :int64], :int
    attach_function :ff_worker_opts_set_poll_ms, [:pointer, :int64], :int
    attach_function :ff_worker_opts_set_pull, [:pointer, :int32], :int
    attach_function :ff_worker_opts_set_engine, [:pointer, :int32], :int
    attach_function :ff_worker_opts_set_engine_opts, [:pointer, :pointer], :int
    attach_function :ff_worker_new, [:pointer, :pointer, :pointer], :int
    attach_function :ff_worker_on, [:pointer, :string, :ff_task_handler, :pointer], :int
    attach_function :ff_worker_start, [:pointer], :int
    attach_function :ff_worker_stop, [:pointer, :int64], :int
    attach_function :ff_worker_next_task, [:pointer, :pointer, :int64], :int, blocking: true
    attach_function :ff_worker_next_fd, [:pointer], :int
    attach_function :ff_worker_stopped, [:pointer], :int32
    attach_function :ff_worker_run, [:pointer, :uint64, :int64], :int, blocking: true
    attach_function :ff_worker_free, [:pointer], :void, blocking: true
    attach_function :ff_worker_stats_json, [:pointer, :pointer], :int
    attach_function :ff_worker_instance_id, [:pointer], :pointer
    attach_function :ff_task_claim, [:pointer], :pointer
    attach_function :ff_task_lost, [:pointer], :int
    attach_function :ff_task_userdata, [:pointer], :pointer
    attach_function :ff_task_complete, [:pointer, :pointer, :size_t, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_fail, [:pointer, :string, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_fail_with, [:pointer, :string, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_cancel, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_delay, [:pointer, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_release, [:pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_rate_limited, [:pointer, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_suspend, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_wait_children, [:pointer, :int64, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_create_waitpoint, [:pointer, :string, :int64, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_observe_signals, [:pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_progress, [:pointer, :int32, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_emit, [:pointer, :pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_log, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_summary, [:pointer, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_report_usage, [:pointer, :string, :pointer, :pointer, :size_t, :string, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_task_budget_breached, [:pointer], :int32
    attach_function :ff_deployment_health, [:pointer, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_execution_list_quarantined, [:pointer, :uint32, :string, :uint32, :ff_op_cb, :pointer, :pointer], :int
    attach_function :ff_engine_list, [:pointer, :ff_op_cb, :pointer, :pointer], :int

    FUNCTIONS = %i[ff_version_string ff_version_number ff_abi_version ff_lua_library_version ff_strerror ff_status_name ff_status_group ff_status_server_token ff_status_from_server_token ff_status_list ff_error_detail ff_client_opts_new ff_client_opts_free ff_client_opts_set_url ff_client_opts_set_data_dir ff_client_opts_set_inline_dispatch ff_client_opts_set_pull ff_client_opts_set_timeout_ms ff_client_opts_set_max_payload_bytes ff_client_opts_set_partitions ff_client_opts_set_hmac_secret ff_client_opts_set_blocking_connections ff_client_opts_set_max_frame_bytes ff_client_opts_set_connect_timeout_ms ff_client_new ff_client_free ff_client_fd ff_client_dispatch ff_client_next ff_client_next_wait ff_client_next_fd ff_client_partitions ff_client_url ff_url_redact ff_client_connected ff_client_connect_count ff_client_command ff_op_wait ff_op_free ff_op_done ff_op_status ff_op_userdata ff_op_errmsg ff_op_server_code ff_op_detail_count ff_op_detail ff_op_kind ff_op_text ff_op_int ff_op_bytes ff_op_execution_id ff_op_json ff_op_json_str ff_op_json_i64 ff_op_item_count ff_op_item ff_op_item_bytes ff_op_cursor ff_op_claim_count ff_op_take_claim ff_op_reply_type ff_op_reply_integer ff_op_reply_len ff_op_reply_element ff_dev_server_up ff_dev_server_status ff_dev_server_down ff_free ff_exec_spec_new ff_exec_spec_free ff_exec_spec_set_namespace ff_exec_spec_set_lane ff_exec_spec_set_kind ff_exec_spec_set_payload ff_exec_spec_set_priority ff_exec_spec_set_delay_until_ms ff_exec_spec_set_delay_ms ff_exec_spec_set_deadline_ms ff_exec_spec_add_capability ff_exec_spec_add_tag ff_exec_spec_add_budget ff_exec_spec_set_group ff_exec_spec_set_policy_json ff_exec_spec_set_retry ff_exec_spec_set_non_retryable ff_exec_spec_set_attempt_timeout_ms ff_exec_spec_set_limits ff_exec_spec_set_idempotency_key ff_exec_spec_set_execution_id ff_exec_spec_set_flow ff_execution_create ff_execution_describe ff_execution_result ff_execution_wait ff_execution_list ff_execution_list_lane ff_lanes_list ff_lane_counts ff_claim_opts_new ff_claim_opts_free ff_claim_opts_set_worker_id ff_claim_opts_set_worker_instance_id ff_claim_opts_add_lane ff_claim_opts_add_capability ff_claim_opts_set_lease_ttl_ms ff_claim_opts_set_batch ff_claim_free ff_claim_execution_id ff_claim_attempt_index ff_claim_attempt_id ff_claim_attempt_type ff_claim_lease_id ff_claim_lease_epoch ff_claim_expires_at_ms ff_claim_lease_ttl_ms ff_claim_payload ff_claim_kind ff_claim_lane ff_claim_namespace ff_claim_worker_instance_id ff_claim_from_fence ff_lease_claim ff_lease_renew ff_lease_progress ff_lease_complete ff_lease_fail ff_lease_fail_with ff_lease_cancel ff_execution_cancel ff_lease_delay ff_execution_reclaim_grant ff_lease_claim_reclaim ff_lease_claim_resumed ff_lease_grant_and_claim ff_execution_replay ff_execution_change_priority ff_execution_revoke_lease ff_suspend_spec_new ff_suspend_spec_free ff_suspend_spec_add_waitpoint ff_suspend_spec_use_pending ff_suspend_spec_set_condition_json ff_suspend_spec_set_timeout ff_suspend_spec_set_reason ff_suspend_spec_set_idempotency_key ff_lease_suspend ff_lease_create_waitpoint ff_lease_observe_signals ff_signal_deliver ff_execution_list_suspended ff_execution_waitpoints ff_waitpoint_token ff_secret_rotate ff_secret_list ff_flow_create ff_flow_create_with_budgets ff_flow_add_member ff_flow_set_group ff_flow_add_edge ff_flow_describe ff_flow_list ff_flow_list_edges ff_flow_describe_edge ff_execution_flow_id ff_execution_parent_results ff_flow_cancel ff_flow_spec_new ff_flow_spec_free ff_flow_spec_add_member ff_flow_spec_add_edge ff_flow_spec_set_group ff_flow_spec_set_parent ff_flow_spec_add_budget ff_flow_submit ff_lease_wait_children ff_execution_children ff_flow_feed_read ff_flow_feed_wait ff_flow_wait ff_frame_new ff_frame_free ff_frame_set_type ff_frame_set_payload ff_frame_set_encoding ff_frame_set_source ff_frame_set_correlation_id ff_frame_set_mode ff_stream_append ff_stream_append_many ff_stream_read ff_stream_tail ff_stream_summary ff_budget_spec_new ff_budget_spec_free ff_budget_spec_set_scope ff_budget_spec_set_actions ff_budget_spec_set_reset_interval ff_budget_spec_add_dimension ff_budget_partition ff_budget_create ff_budget_update ff_budget_report_usage ff_budget_release ff_budget_reset ff_budget_describe ff_budget_list ff_quota_create ff_quota_describe ff_quota_list ff_group_pause ff_group_resume ff_lease_rate_limited ff_worker_register ff_worker_heartbeat ff_workers_list ff_worker_mark_dead ff_lane_create ff_lane_pause ff_lane_resume ff_lanes_page ff_engine_opts_new ff_engine_opts_free ff_engine_opts_set_tick_ms ff_engine_opts_set_batch ff_engine_opts_set_retention_ms ff_engine_opts_set_ownership_ttl_ms ff_engine_opts_set_engine_id ff_engine_start ff_engine_stop ff_engine_stats_json ff_engine_id ff_worker_opts_new ff_worker_opts_free ff_worker_opts_set_worker_id ff_worker_opts_set_instance_id ff_worker_opts_add_lane ff_worker_opts_add_capability ff_worker_opts_set_concurrency ff_worker_opts_set_lease_ttl_ms ff_worker_opts_set_poll_ms ff_worker_opts_set_pull ff_worker_opts_set_engine ff_worker_opts_set_engine_opts ff_worker_new ff_worker_on ff_worker_start ff_worker_stop ff_worker_next_task ff_worker_next_fd ff_worker_stopped ff_worker_run ff_worker_free ff_worker_stats_json ff_worker_instance_id ff_task_claim ff_task_lost ff_task_userdata ff_task_complete ff_task_fail ff_task_fail_with ff_task_cancel ff_task_delay ff_task_release ff_task_rate_limited ff_task_suspend ff_task_wait_children ff_task_create_waitpoint ff_task_observe_signals ff_task_progress ff_task_emit ff_task_log ff_task_summary ff_task_report_usage ff_task_budget_breached ff_deployment_health ff_execution_list_quarantined ff_engine_list].freeze

    # What each C op yields (the @yields tags of include/flowfabric/*.h):
    # the first kind is the value a call returns, the rest are other
    # accessors that carry part of the result. Read with Result.of(name).
    YIELDS = {
      ff_client_command: %i[reply bytes],
      ff_execution_create: %i[execution_id text int],
      ff_execution_describe: %i[json text execution_id],
      ff_execution_result: %i[bytes],
      ff_execution_wait: %i[bytes],
      ff_execution_list: %i[items cursor],
      ff_execution_list_lane: %i[items cursor],
      ff_lanes_list: %i[items],
      ff_lane_counts: %i[json],
      ff_lease_claim: %i[claims],
      ff_lease_renew: %i[int],
      ff_lease_progress: %i[none],
      ff_lease_complete: %i[text],
      ff_lease_fail: %i[text int],
      ff_lease_fail_with: %i[text int],
      ff_lease_cancel: %i[text],
      ff_execution_cancel: %i[text],
      ff_lease_delay: %i[int],
      ff_execution_reclaim_grant: %i[text int],
      ff_lease_claim_reclaim: %i[claims],
      ff_lease_claim_resumed: %i[claims],
      ff_lease_grant_and_claim: %i[claims],
      ff_execution_replay: %i[text],
      ff_execution_change_priority: %i[int],
      ff_execution_revoke_lease: %i[text items int],
      ff_lease_suspend: %i[text items int],
      ff_lease_create_waitpoint: %i[items int],
      ff_lease_observe_signals: %i[items],
      ff_signal_deliver: %i[text items int],
      ff_execution_list_suspended: %i[items cursor],
      ff_execution_waitpoints: %i[items],
      ff_waitpoint_token: %i[text],
      ff_secret_rotate: %i[text],
      ff_secret_list: %i[json],
      ff_flow_create: %i[text int items],
      ff_flow_create_with_budgets: %i[text int items],
      ff_flow_add_member: %i[text int],
      ff_flow_set_group: %i[text],
      ff_flow_add_edge: %i[text int items],
      ff_flow_describe: %i[json text],
      ff_flow_list: %i[items cursor],
      ff_flow_list_edges: %i[items],
      ff_flow_describe_edge: %i[json],
      ff_execution_flow_id: %i[text],
      ff_execution_parent_results: %i[items],
      ff_flow_cancel: %i[text int items],
      ff_flow_submit: %i[text int items],
      ff_lease_wait_children: %i[text int],
      ff_execution_children: %i[items],
      ff_flow_feed_read: %i[items cursor int],
      ff_flow_feed_wait: %i[items cursor int],
      ff_flow_wait: %i[json text],
      ff_stream_append: %i[text int items],
      ff_stream_append_many: %i[items],
      ff_stream_read: %i[items cursor text int json],
      ff_stream_tail: %i[items cursor text int json],
      ff_stream_summary: %i[text int json],
      ff_budget_create: %i[text int items],
      ff_budget_update: %i[text int],
      ff_budget_report_usage: %i[text items],
      ff_budget_release: %i[text int],
      ff_budget_reset: %i[text int],
      ff_budget_describe: %i[json],
      ff_budget_list: %i[items cursor],
      ff_quota_create: %i[text json],
      ff_quota_describe: %i[json],
      ff_quota_list: %i[json],
      ff_group_pause: %i[int],
      ff_group_resume: %i[int],
      ff_lease_rate_limited: %i[int text],
      ff_worker_register: %i[text int],
      ff_worker_heartbeat: %i[text int],
      ff_workers_list: %i[json],
      ff_worker_mark_dead: %i[int],
      ff_lane_create: %i[int],
      ff_lane_pause: %i[int],
      ff_lane_resume: %i[int],
      ff_lanes_page: %i[json],
      ff_task_complete: %i[text],
      ff_task_fail: %i[text int],
      ff_task_fail_with: %i[text int],
      ff_task_cancel: %i[text],
      ff_task_delay: %i[int],
      ff_task_release: %i[int],
      ff_task_rate_limited: %i[int text],
      ff_task_suspend: %i[text items int],
      ff_task_wait_children: %i[text int],
      ff_task_create_waitpoint: %i[items int],
      ff_task_observe_signals: %i[items],
      ff_task_progress: %i[none],
      ff_task_emit: %i[text int items],
      ff_task_log: %i[text int items],
      ff_task_summary: %i[text int items],
      ff_task_report_usage: %i[text items],
      ff_deployment_health: %i[json],
      ff_execution_list_quarantined: %i[items cursor],
      ff_engine_list: %i[json],
    }.freeze

    # The item layout (FF_ITEMS_<X>_STRIDE / _<FIELD>) of ops that name one.
    ITEM_LAYOUTS = {
      ff_execution_list: "FF_ITEMS_LIST_PARTITION",
      ff_execution_list_lane: "FF_ITEMS_LIST_LANE",
      ff_lanes_list: "FF_ITEMS_LANES",
      ff_lease_suspend: "FF_ITEMS_SUSPEND",
      ff_lease_observe_signals: "FF_ITEMS_OBSERVE_SIGNALS",
      ff_execution_list_suspended: "FF_ITEMS_LIST_SUSPENDED",
      ff_execution_waitpoints: "FF_ITEMS_WAITPOINTS",
      ff_flow_list: "FF_ITEMS_FLOW_LIST",
      ff_flow_list_edges: "FF_ITEMS_FLOW_EDGES",
      ff_execution_parent_results: "FF_ITEMS_FLOW_PARENTS",
      ff_flow_cancel: "FF_ITEMS_FLOW_CANCEL",
      ff_flow_submit: "FF_ITEMS_FLOW_SUBMIT",
      ff_execution_children: "FF_ITEMS_FLOW_CHILDREN",
      ff_flow_feed_read: "FF_ITEMS_FLOW_FEED",
      ff_flow_feed_wait: "FF_ITEMS_FLOW_FEED",
      ff_stream_append_many: "FF_ITEMS_APPEND_FRAMES",
      ff_stream_read: "FF_ITEMS_READ_STREAM",
      ff_stream_tail: "FF_ITEMS_READ_STREAM",
      ff_budget_list: "FF_ITEMS_LIST_BUDGETS",
      ff_task_suspend: "FF_ITEMS_SUSPEND",
      ff_task_observe_signals: "FF_ITEMS_OBSERVE_SIGNALS",
      ff_execution_list_quarantined: "FF_ITEMS_LIST_QUARANTINED",
    }.freeze
  end
end
