/* GENERATED from src/core/status.def by bindings/gen/gen_status_h.py - do not edit. */
#ifndef FLOWFABRIC_STATUS_H
#define FLOWFABRIC_STATUS_H

#include "common.h"

FF_EXTERN_C_BEGIN

/** Status codes. FF_OK is 0, every error is negative. Values are explicit,
 *  append-only and never reused (see docs/abi.md). */
typedef enum ff_status {
    FF_OK = 0, /* success */
    FF_ERROR = -1, /* unspecified error */
    FF_EINVAL = -2, /* invalid argument */
    FF_ENOMEM = -3, /* out of memory */
    FF_ENOTFOUND = -4, /* not found */
    FF_EEXISTS = -5, /* already exists */
    FF_ETIMEDOUT = -6, /* operation deadline exceeded */
    FF_ECANCELED = -7, /* operation canceled (client closed) */
    FF_ECONFLICT = -8, /* conflict */
    FF_EIO = -9, /* transport error (connection lost or refused) */
    FF_EPROTO = -10, /* unexpected reply from server */
    FF_ESERVER = -11, /* server returned an error */
    FF_EUSER = -12, /* user callback failed */
    FF_ECLOSED = -13, /* client is closed */
    FF_EVERSION = -14, /* version mismatch */
    FF_EAGAIN = -15, /* not ready yet, try again */
    FF_ESYS = -16, /* operating system error */
    FF_EUNSUPPORTED = -17, /* server does not support Redis Functions (need Redis >= 7.0 or Valkey >= 7.2) */
    FF_ETOOBIG = -18, /* input exceeds the configured size limit */
    FF_ECONFIG = -19, /* server partition configuration differs from the client's */
    FF_EAUTH = -20, /* authentication with the server failed */
    FF_ESPAWN = -21, /* could not start the embedded redis-server */
    FF_STALE_LEASE = -100, /* lease fence does not match the current lease (superseded) */
    FF_LEASE_EXPIRED = -101, /* lease expired */
    FF_LEASE_REVOKED = -102, /* lease was revoked by an operator */
    FF_FENCE_REQUIRED = -103, /* a lease fence is required for this call */
    FF_PARTIAL_FENCE_TRIPLE = -104, /* lease fence must carry lease id, epoch and attempt id together */
    FF_EXECUTION_NOT_ACTIVE = -105, /* execution is not active */
    FF_NO_ACTIVE_LEASE = -106, /* execution holds no active lease */
    FF_ACTIVE_ATTEMPT_EXISTS = -107, /* an attempt is already running (invariant violation) */
    FF_USE_CLAIM_RESUMED_EXECUTION = -108, /* interrupted attempt: use the resume claim */
    FF_NOT_A_RESUMED_EXECUTION = -109, /* execution is not waiting to be resumed */
    FF_EXECUTION_NOT_LEASEABLE = -110, /* execution cannot be leased in its current state */
    FF_LEASE_CONFLICT = -111, /* execution is already leased */
    FF_INVALID_CLAIM_GRANT = -112, /* claim grant missing or held by another worker */
    FF_CLAIM_GRANT_EXPIRED = -113, /* claim grant expired */
    FF_NO_ELIGIBLE_EXECUTION = -114, /* nothing to claim */
    FF_EXECUTION_NOT_ELIGIBLE = -115, /* execution is not eligible for this operation */
    FF_EXECUTION_NOT_IN_ELIGIBLE_SET = -116, /* execution is not in the eligible set */
    FF_GRANT_ALREADY_EXISTS = -117, /* a claim grant is already outstanding */
    FF_EXECUTION_NOT_RECLAIMABLE = -118, /* execution lease is neither expired nor revoked */
    FF_MAX_RETRIES_EXHAUSTED = -119, /* retry or reclaim limit reached */
    FF_CAPABILITY_MISMATCH = -120, /* worker lacks required capabilities */
    FF_INVALID_CAPABILITIES = -121, /* malformed capability list */
    FF_INVALID_POLICY_JSON = -122, /* malformed execution policy */
    FF_INVALID_INPUT = -123, /* invalid input */
    FF_EXECUTION_NOT_FOUND = -124, /* execution not found */
    FF_INVALID_BLOCKING_REASON = -125, /* unknown blocking reason */
    FF_INVALID_TAG_KEY = -126, /* invalid tag key */
    FF_EXECUTION_NOT_SUSPENDED = -200, /* execution is not suspended */
    FF_ALREADY_SUSPENDED = -201, /* execution is already suspended */
    FF_WAITPOINT_CLOSED = -202, /* waitpoint is closed */
    FF_WAITPOINT_NOT_FOUND = -203, /* waitpoint not found */
    FF_TARGET_NOT_SIGNALABLE = -204, /* target cannot receive signals */
    FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT = -205, /* waitpoint is pending: signal must be buffered */
    FF_DUPLICATE_SIGNAL = -206, /* duplicate signal */
    FF_PAYLOAD_TOO_LARGE = -207, /* payload too large */
    FF_SIGNAL_LIMIT_EXCEEDED = -208, /* per-execution signal limit exceeded */
    FF_INVALID_WAITPOINT_KEY = -209, /* invalid waitpoint key */
    FF_INVALID_TOKEN = -210, /* invalid waitpoint token */
    FF_INVALID_LEASE_FOR_SUSPEND = -211, /* lease does not allow suspension */
    FF_RESUME_CONDITION_NOT_MET = -212, /* resume condition not met */
    FF_WAITPOINT_NOT_PENDING = -213, /* waitpoint is not pending */
    FF_PENDING_WAITPOINT_EXPIRED = -214, /* pending waitpoint expired */
    FF_INVALID_WAITPOINT_FOR_EXECUTION = -215, /* waitpoint belongs to another execution */
    FF_WAITPOINT_ALREADY_EXISTS = -216, /* waitpoint already exists */
    FF_WAITPOINT_NOT_OPEN = -217, /* waitpoint is not open */
    FF_WAITPOINT_NOT_TOKEN_BOUND = -218, /* waitpoint is not token bound */
    FF_INVALID_KID = -219, /* invalid key id */
    FF_INVALID_SECRET_HEX = -220, /* secret must be hex */
    FF_INVALID_GRACE_MS = -221, /* invalid rotation grace period */
    FF_ROTATION_CONFLICT = -222, /* key rotation conflict */
    FF_HMAC_SECRET_NOT_INITIALIZED = -223, /* waitpoint secret not initialised */
    FF_TOKEN_EXPIRED = -224, /* waitpoint token key has expired */
    FF_MISSING_TOKEN = -225, /* waitpoint token missing */
    FF_EXECUTION_NOT_TERMINAL = -300, /* execution is not terminal */
    FF_MAX_REPLAYS_EXHAUSTED = -301, /* replay limit reached */
    FF_REPLAY_NOT_ALLOWED = -302, /* replay not allowed */
    FF_STREAM_CLOSED = -400, /* stream is closed */
    FF_STALE_OWNER_CANNOT_APPEND = -401, /* stale owner cannot append */
    FF_RETENTION_LIMIT_EXCEEDED = -402, /* frame exceeds the retention limit */
    FF_STREAM_NOT_FOUND = -403, /* stream not found */
    FF_STREAM_ALREADY_CLOSED = -404, /* stream already closed */
    FF_INVALID_FRAME_TYPE = -405, /* invalid frame type */
    FF_INVALID_OFFSET = -406, /* invalid stream offset */
    FF_INVALID_DEPENDENCY = -500, /* invalid dependency */
    FF_STALE_GRAPH_REVISION = -501, /* stale flow graph revision */
    FF_EXECUTION_ALREADY_IN_FLOW = -502, /* execution already belongs to a flow */
    FF_CYCLE_DETECTED = -503, /* dependency cycle detected */
    FF_FLOW_NOT_FOUND = -504, /* flow not found */
    FF_EXECUTION_NOT_IN_FLOW = -505, /* execution is not in the flow */
    FF_DEPENDENCY_ALREADY_EXISTS = -506, /* dependency already exists */
    FF_SELF_REFERENCING_EDGE = -507, /* an edge cannot reference itself */
    FF_FLOW_ALREADY_TERMINAL = -508, /* flow already terminal */
    FF_DEPS_NOT_SATISFIED = -509, /* dependencies not satisfied */
    FF_NOT_BLOCKED_BY_DEPS = -510, /* execution is not blocked by dependencies */
    FF_NOT_RUNNABLE = -511, /* execution is not runnable */
    FF_TERMINAL = -512, /* already terminal */
    FF_BUDGET_EXCEEDED = -600, /* budget exceeded */
    FF_BUDGET_SOFT_EXCEEDED = -601, /* budget soft limit exceeded */
    FF_OK_ALREADY_APPLIED = -602, /* usage already applied */
    FF_BUDGET_NOT_FOUND = -603, /* budget not found */
    FF_INVALID_BUDGET_SCOPE = -604, /* invalid budget scope */
    FF_BUDGET_ATTACH_CONFLICT = -605, /* budget attach conflict */
    FF_BUDGET_OVERRIDE_NOT_ALLOWED = -606, /* budget override not allowed */
    FF_QUOTA_POLICY_NOT_FOUND = -607, /* quota policy not found */
    FF_RATE_LIMIT_EXCEEDED = -608, /* rate limit exceeded */
    FF_CONCURRENCY_LIMIT_EXCEEDED = -609, /* concurrency limit exceeded */
    FF_QUOTA_ATTACH_CONFLICT = -610, /* quota attach conflict */
    FF_INVALID_QUOTA_SPEC = -611, /* invalid quota specification */
    FF_ATTEMPT_NOT_FOUND = -700, /* attempt not found */
    FF_ATTEMPT_NOT_IN_CREATED_STATE = -701, /* attempt not in created state */
    FF_ATTEMPT_NOT_STARTED = -702, /* attempt not started */
    FF_ATTEMPT_ALREADY_TERMINAL = -703, /* attempt already terminal */
    FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT = -704, /* execution not eligible for a new attempt */
    FF_UNAUTHORIZED = -705, /* unauthorized */
    FF_CORRUPT_RECORD = -127, /* a stored record is corrupt */
    FF_INVALID_SECRET = -226, /* the stored waitpoint secret is corrupt */
    FF_EXECUTION_FAILED = -303, /* execution ended as failed */
    FF_EXECUTION_CANCELLED = -304, /* execution was cancelled */
    FF_EXECUTION_EXPIRED = -305, /* execution expired */
    FF_EXECUTION_SKIPPED = -306, /* execution was skipped */
    FF_PARTITION_MISMATCH = -513, /* the execution is not on the flow's partition */
    FF_EDGE_GROUP_POLICY_FIXED = -514, /* the edge group already has edges: its policy cannot change */
    FF_INVALID_FLOW_POLICY = -515, /* invalid flow or edge-group policy */
    FF_FLOW_LIMIT_EXCEEDED = -516, /* a flow limit (members, incoming edges) was reached */
    FF_EDGE_NOT_FOUND = -517, /* dependency edge not found */
    FF_DOWNSTREAM_RELEASED = -518, /* the downstream has started or its dependencies already resolved */
    FF_FLOW_SUBMIT_CONFLICT = -519, /* the flow exists with another body than this submit_flow */
    FF_NO_CHILDREN = -520, /* the execution spawned no child flow to wait for */
    FF_PATCH_DEPTH_EXCEEDED = -407, /* the summary merge patch nests deeper than the limit */
    FF_LANE_PAUSED = -128, /* the lane is paused by an operator */
    FF_STATUS_SENTINEL_ = -9999 /* not a status; keeps the list comma-friendly */
} ff_status;

/** Static English text for a status; never NULL, never freed. Thread-safe. */
FF_API const char *ff_strerror(int status);
/** Symbolic name, e.g. "FF_STALE_LEASE"; "FF_UNKNOWN" for unknown values. Thread-safe. */
FF_API const char *ff_status_name(int status);
/** Coarse family ("ok", "invalid", "notfound", "conflict", "lease", "state",
 *  "transport", "timeout", "limit", "auth", "internal", "generic"). Thread-safe. */
FF_API const char *ff_status_group(int status);
/** Server error token for a status ("stale_lease"), or "" if client-side only. */
FF_API const char *ff_status_server_token(int status);
/** Map a server error token to its status; FF_ESERVER when unknown. */
FF_API int ff_status_from_server_token(const char *token);
/** Writes every defined status value into out (up to cap), returns the total count. */
FF_API size_t ff_status_list(int32_t *out, size_t cap);
/** Detail of the last failure on the calling thread of a call that returns a
 *  status without an op (option setters, spec builders, starting calls,
 *  ff_client_new): a sentence naming what was wrong and what was expected, e.g.
 *  "not an execution id (expected {fp:N}:<uuid>): 'garbage'". Returns "" when
 *  the last recorded failure on this thread had another status than @p status
 *  (so a stale text is never shown for a new failure). Borrowed: valid until the
 *  next failing call on this thread. Thread-safe (thread-local). */
FF_API const char *ff_error_detail(int status);

FF_EXTERN_C_END

#endif
