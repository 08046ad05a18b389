# GENERATED from src/core/status.def and bindings/gen/error_names.txt by
# bindings/gen/gen_ruby.py - do not edit (make generate).
# frozen_string_literal: true

module FlowFabric
  # Bad input: rejected before or by the server, nothing was written.
  class InvalidInput < FlowFabricError; GROUP = "invalid"; end
  # The addressed object (execution, waitpoint, ...) does not exist.
  class NotFound < FlowFabricError; GROUP = "notfound"; end
  # The call conflicts with the object's current state or another actor.
  class Conflict < FlowFabricError; GROUP = "conflict"; end
  # The lease fence was refused: stale, expired, revoked or missing.
  class LeaseError < FlowFabricError; GROUP = "lease"; end
  # The execution is not in a state that allows this call.
  class StateError < FlowFabricError; GROUP = "state"; end
  # The connection failed or the client is closed.
  class TransportError < FlowFabricError; GROUP = "transport"; end
  # The per-call deadline passed.
  class Timeout < FlowFabricError; GROUP = "timeout"; end
  # A size, count or rate limit was reached.
  class LimitExceeded < FlowFabricError; GROUP = "limit"; end
  # Authentication or authorisation failed.
  class AuthError < FlowFabricError; GROUP = "auth"; end
  # Unexpected failure inside the library or the server.
  class InternalError < FlowFabricError; GROUP = "internal"; end

  # FF_EINVAL (-2): invalid argument
  class InvalidArgument < InvalidInput; end
  # FF_ENOMEM (-3): out of memory
  class OutOfMemory < InternalError; end
  # FF_EEXISTS (-5): already exists
  class AlreadyExists < Conflict; end
  # FF_ECANCELED (-7): operation canceled (client closed)
  class OperationCancelled < FlowFabricError; end
  # FF_EPROTO (-10): unexpected reply from server
  class ProtocolError < InternalError; end
  # FF_ESERVER (-11): server returned an error
  class ServerError < InternalError; end
  # FF_EUSER (-12): user callback failed
  class CallbackFailed < FlowFabricError; end
  # FF_ECLOSED (-13): client is closed
  class ClientClosed < TransportError; end
  # FF_EVERSION (-14): version mismatch
  class VersionMismatch < InternalError; end
  # FF_EAGAIN (-15): not ready yet, try again
  class NotReady < FlowFabricError; end
  # FF_ESYS (-16): operating system error
  class SystemCallFailed < InternalError; end
  # FF_EUNSUPPORTED (-17): server does not support Redis Functions (need Redis >= 7.0 or Valkey >= 7.2)
  class UnsupportedServer < InternalError; end
  # FF_ETOOBIG (-18): input exceeds the configured size limit
  class InputTooLarge < LimitExceeded; end
  # FF_ECONFIG (-19): server partition configuration differs from the client's
  class PartitionConfigMismatch < InvalidInput; end
  # FF_EAUTH (-20): authentication with the server failed
  class AuthenticationFailed < AuthError; end
  # FF_ESPAWN (-21): could not start the embedded redis-server
  class ServerSpawnFailed < InternalError; end
  # FF_STALE_LEASE (-100): lease fence does not match the current lease (superseded)
  class StaleLease < LeaseError; end
  # FF_LEASE_EXPIRED (-101): lease expired
  class LeaseExpired < LeaseError; end
  # FF_LEASE_REVOKED (-102): lease was revoked by an operator
  class LeaseRevoked < LeaseError; end
  # FF_FENCE_REQUIRED (-103): a lease fence is required for this call
  class FenceRequired < LeaseError; end
  # FF_PARTIAL_FENCE_TRIPLE (-104): lease fence must carry lease id, epoch and attempt id together
  class PartialFenceTriple < InvalidInput; end
  # FF_EXECUTION_NOT_ACTIVE (-105): execution is not active
  class ExecutionNotActive < StateError; end
  # FF_NO_ACTIVE_LEASE (-106): execution holds no active lease
  class NoActiveLease < StateError; end
  # FF_ACTIVE_ATTEMPT_EXISTS (-107): an attempt is already running (invariant violation)
  class ActiveAttemptExists < InternalError; end
  # FF_USE_CLAIM_RESUMED_EXECUTION (-108): interrupted attempt: use the resume claim
  class UseClaimResumedExecution < StateError; end
  # FF_NOT_A_RESUMED_EXECUTION (-109): execution is not waiting to be resumed
  class NotAResumedExecution < StateError; end
  # FF_EXECUTION_NOT_LEASEABLE (-110): execution cannot be leased in its current state
  class ExecutionNotLeaseable < StateError; end
  # FF_LEASE_CONFLICT (-111): execution is already leased
  class LeaseConflict < Conflict; end
  # FF_INVALID_CLAIM_GRANT (-112): claim grant missing or held by another worker
  class InvalidClaimGrant < StateError; end
  # FF_CLAIM_GRANT_EXPIRED (-113): claim grant expired
  class ClaimGrantExpired < StateError; end
  # FF_NO_ELIGIBLE_EXECUTION (-114): nothing to claim
  class NoEligibleExecution < NotFound; end
  # FF_EXECUTION_NOT_ELIGIBLE (-115): execution is not eligible for this operation
  class ExecutionNotEligible < StateError; end
  # FF_EXECUTION_NOT_IN_ELIGIBLE_SET (-116): execution is not in the eligible set
  class ExecutionNotInEligibleSet < StateError; end
  # FF_GRANT_ALREADY_EXISTS (-117): a claim grant is already outstanding
  class GrantAlreadyExists < Conflict; end
  # FF_EXECUTION_NOT_RECLAIMABLE (-118): execution lease is neither expired nor revoked
  class ExecutionNotReclaimable < StateError; end
  # FF_MAX_RETRIES_EXHAUSTED (-119): retry or reclaim limit reached
  class MaxRetriesExhausted < LimitExceeded; end
  # FF_CAPABILITY_MISMATCH (-120): worker lacks required capabilities
  class CapabilityMismatch < StateError; end
  # FF_INVALID_CAPABILITIES (-121): malformed capability list
  class InvalidCapabilities < InvalidInput; end
  # FF_INVALID_POLICY_JSON (-122): malformed execution policy
  class InvalidPolicyJson < InvalidInput; end
  # FF_EXECUTION_NOT_FOUND (-124): execution not found
  class ExecutionNotFound < NotFound; end
  # FF_INVALID_BLOCKING_REASON (-125): unknown blocking reason
  class InvalidBlockingReason < InvalidInput; end
  # FF_INVALID_TAG_KEY (-126): invalid tag key
  class InvalidTagKey < InvalidInput; end
  # FF_EXECUTION_NOT_SUSPENDED (-200): execution is not suspended
  class ExecutionNotSuspended < StateError; end
  # FF_ALREADY_SUSPENDED (-201): execution is already suspended
  class AlreadySuspended < StateError; end
  # FF_WAITPOINT_CLOSED (-202): waitpoint is closed
  class WaitpointClosed < StateError; end
  # FF_WAITPOINT_NOT_FOUND (-203): waitpoint not found
  class WaitpointNotFound < NotFound; end
  # FF_TARGET_NOT_SIGNALABLE (-204): target cannot receive signals
  class TargetNotSignalable < StateError; end
  # FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT (-205): waitpoint is pending: signal must be buffered
  class WaitpointPendingUseBufferScript < StateError; end
  # FF_DUPLICATE_SIGNAL (-206): duplicate signal
  class DuplicateSignal < Conflict; end
  # FF_PAYLOAD_TOO_LARGE (-207): payload too large
  class PayloadTooLarge < LimitExceeded; end
  # FF_SIGNAL_LIMIT_EXCEEDED (-208): per-execution signal limit exceeded
  class SignalLimitExceeded < LimitExceeded; end
  # FF_INVALID_WAITPOINT_KEY (-209): invalid waitpoint key
  class InvalidWaitpointKey < InvalidInput; end
  # FF_INVALID_TOKEN (-210): invalid waitpoint token
  class InvalidToken < AuthError; end
  # FF_INVALID_LEASE_FOR_SUSPEND (-211): lease does not allow suspension
  class InvalidLeaseForSuspend < LeaseError; end
  # FF_RESUME_CONDITION_NOT_MET (-212): resume condition not met
  class ResumeConditionNotMet < StateError; end
  # FF_WAITPOINT_NOT_PENDING (-213): waitpoint is not pending
  class WaitpointNotPending < StateError; end
  # FF_PENDING_WAITPOINT_EXPIRED (-214): pending waitpoint expired
  class PendingWaitpointExpired < StateError; end
  # FF_INVALID_WAITPOINT_FOR_EXECUTION (-215): waitpoint belongs to another execution
  class InvalidWaitpointForExecution < InvalidInput; end
  # FF_WAITPOINT_ALREADY_EXISTS (-216): waitpoint already exists
  class WaitpointAlreadyExists < Conflict; end
  # FF_WAITPOINT_NOT_OPEN (-217): waitpoint is not open
  class WaitpointNotOpen < StateError; end
  # FF_WAITPOINT_NOT_TOKEN_BOUND (-218): waitpoint is not token bound
  class WaitpointNotTokenBound < InvalidInput; end
  # FF_INVALID_KID (-219): invalid key id
  class InvalidKid < InvalidInput; end
  # FF_INVALID_SECRET_HEX (-220): secret must be hex
  class InvalidSecretHex < InvalidInput; end
  # FF_INVALID_GRACE_MS (-221): invalid rotation grace period
  class InvalidGraceMs < InvalidInput; end
  # FF_ROTATION_CONFLICT (-222): key rotation conflict
  class RotationConflict < Conflict; end
  # FF_HMAC_SECRET_NOT_INITIALIZED (-223): waitpoint secret not initialised
  class HmacSecretNotInitialized < InternalError; end
  # FF_TOKEN_EXPIRED (-224): waitpoint token key has expired
  class TokenExpired < AuthError; end
  # FF_MISSING_TOKEN (-225): waitpoint token missing
  class MissingToken < AuthError; end
  # FF_EXECUTION_NOT_TERMINAL (-300): execution is not terminal
  class ExecutionNotTerminal < StateError; end
  # FF_MAX_REPLAYS_EXHAUSTED (-301): replay limit reached
  class MaxReplaysExhausted < LimitExceeded; end
  # FF_REPLAY_NOT_ALLOWED (-302): replay not allowed
  class ReplayNotAllowed < StateError; end
  # FF_STREAM_CLOSED (-400): stream is closed
  class StreamClosed < StateError; end
  # FF_STALE_OWNER_CANNOT_APPEND (-401): stale owner cannot append
  class StaleOwnerCannotAppend < LeaseError; end
  # FF_RETENTION_LIMIT_EXCEEDED (-402): frame exceeds the retention limit
  class RetentionLimitExceeded < LimitExceeded; end
  # FF_STREAM_NOT_FOUND (-403): stream not found
  class StreamNotFound < NotFound; end
  # FF_STREAM_ALREADY_CLOSED (-404): stream already closed
  class StreamAlreadyClosed < StateError; end
  # FF_INVALID_FRAME_TYPE (-405): invalid frame type
  class InvalidFrameType < InvalidInput; end
  # FF_INVALID_OFFSET (-406): invalid stream offset
  class InvalidOffset < InvalidInput; end
  # FF_INVALID_DEPENDENCY (-500): invalid dependency
  class InvalidDependency < InvalidInput; end
  # FF_STALE_GRAPH_REVISION (-501): stale flow graph revision
  class StaleGraphRevision < Conflict; end
  # FF_EXECUTION_ALREADY_IN_FLOW (-502): execution already belongs to a flow
  class ExecutionAlreadyInFlow < Conflict; end
  # FF_CYCLE_DETECTED (-503): dependency cycle detected
  class CycleDetected < InvalidInput; end
  # FF_FLOW_NOT_FOUND (-504): flow not found
  class FlowNotFound < NotFound; end
  # FF_EXECUTION_NOT_IN_FLOW (-505): execution is not in the flow
  class ExecutionNotInFlow < InvalidInput; end
  # FF_DEPENDENCY_ALREADY_EXISTS (-506): dependency already exists
  class DependencyAlreadyExists < Conflict; end
  # FF_SELF_REFERENCING_EDGE (-507): an edge cannot reference itself
  class SelfReferencingEdge < InvalidInput; end
  # FF_FLOW_ALREADY_TERMINAL (-508): flow already terminal
  class FlowAlreadyTerminal < StateError; end
  # FF_DEPS_NOT_SATISFIED (-509): dependencies not satisfied
  class DepsNotSatisfied < StateError; end
  # FF_NOT_BLOCKED_BY_DEPS (-510): execution is not blocked by dependencies
  class NotBlockedByDeps < StateError; end
  # FF_NOT_RUNNABLE (-511): execution is not runnable
  class NotRunnable < StateError; end
  # FF_TERMINAL (-512): already terminal
  class Terminal < StateError; end
  # FF_BUDGET_EXCEEDED (-600): budget exceeded
  class BudgetExceeded < LimitExceeded; end
  # FF_BUDGET_SOFT_EXCEEDED (-601): budget soft limit exceeded
  class BudgetSoftExceeded < LimitExceeded; end
  # FF_OK_ALREADY_APPLIED (-602): usage already applied
  class OkAlreadyApplied < Conflict; end
  # FF_BUDGET_NOT_FOUND (-603): budget not found
  class BudgetNotFound < NotFound; end
  # FF_INVALID_BUDGET_SCOPE (-604): invalid budget scope
  class InvalidBudgetScope < InvalidInput; end
  # FF_BUDGET_ATTACH_CONFLICT (-605): budget attach conflict
  class BudgetAttachConflict < Conflict; end
  # FF_BUDGET_OVERRIDE_NOT_ALLOWED (-606): budget override not allowed
  class BudgetOverrideNotAllowed < StateError; end
  # FF_QUOTA_POLICY_NOT_FOUND (-607): quota policy not found
  class QuotaPolicyNotFound < NotFound; end
  # FF_RATE_LIMIT_EXCEEDED (-608): rate limit exceeded
  class RateLimitExceeded < LimitExceeded; end
  # FF_CONCURRENCY_LIMIT_EXCEEDED (-609): concurrency limit exceeded
  class ConcurrencyLimitExceeded < LimitExceeded; end
  # FF_QUOTA_ATTACH_CONFLICT (-610): quota attach conflict
  class QuotaAttachConflict < Conflict; end
  # FF_INVALID_QUOTA_SPEC (-611): invalid quota specification
  class InvalidQuotaSpec < InvalidInput; end
  # FF_ATTEMPT_NOT_FOUND (-700): attempt not found
  class AttemptNotFound < NotFound; end
  # FF_ATTEMPT_NOT_IN_CREATED_STATE (-701): attempt not in created state
  class AttemptNotInCreatedState < InternalError; end
  # FF_ATTEMPT_NOT_STARTED (-702): attempt not started
  class AttemptNotStarted < StateError; end
  # FF_ATTEMPT_ALREADY_TERMINAL (-703): attempt already terminal
  class AttemptAlreadyTerminal < StateError; end
  # FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT (-704): execution not eligible for a new attempt
  class ExecutionNotEligibleForAttempt < StateError; end
  # FF_UNAUTHORIZED (-705): unauthorized
  class Unauthorized < AuthError; end
  # FF_CORRUPT_RECORD (-127): a stored record is corrupt
  class CorruptRecord < InternalError; end
  # FF_INVALID_SECRET (-226): the stored waitpoint secret is corrupt
  class InvalidSecret < InternalError; end
  # FF_EXECUTION_FAILED (-303): execution ended as failed
  class ExecutionFailed < StateError; end
  # FF_EXECUTION_CANCELLED (-304): execution was cancelled
  class ExecutionCancelled < StateError; end
  # FF_EXECUTION_EXPIRED (-305): execution expired
  class ExecutionExpired < StateError; end
  # FF_EXECUTION_SKIPPED (-306): execution was skipped
  class ExecutionSkipped < StateError; end
  # FF_PARTITION_MISMATCH (-513): the execution is not on the flow's partition
  class PartitionMismatch < InvalidInput; end
  # FF_EDGE_GROUP_POLICY_FIXED (-514): the edge group already has edges: its policy cannot change
  class EdgeGroupPolicyFixed < Conflict; end
  # FF_INVALID_FLOW_POLICY (-515): invalid flow or edge-group policy
  class InvalidFlowPolicy < InvalidInput; end
  # FF_FLOW_LIMIT_EXCEEDED (-516): a flow limit (members, incoming edges) was reached
  class FlowLimitExceeded < LimitExceeded; end
  # FF_EDGE_NOT_FOUND (-517): dependency edge not found
  class EdgeNotFound < NotFound; end
  # FF_DOWNSTREAM_RELEASED (-518): the downstream has started or its dependencies already resolved
  class DownstreamReleased < StateError; end
  # FF_FLOW_SUBMIT_CONFLICT (-519): the flow exists with another body than this submit_flow
  class FlowSubmitConflict < Conflict; end
  # FF_NO_CHILDREN (-520): the execution spawned no child flow to wait for
  class NoChildren < StateError; end
  # FF_PATCH_DEPTH_EXCEEDED (-407): the summary merge patch nests deeper than the limit
  class PatchDepthExceeded < LimitExceeded; end
  # FF_LANE_PAUSED (-128): the lane is paused by an operator
  class LanePaused < StateError; end

  # status code -> exception class
  ERROR_CLASSES = {
    -1 => FlowFabricError,
    -2 => InvalidArgument,
    -3 => OutOfMemory,
    -4 => NotFound,
    -5 => AlreadyExists,
    -6 => Timeout,
    -7 => OperationCancelled,
    -8 => Conflict,
    -9 => TransportError,
    -10 => ProtocolError,
    -11 => ServerError,
    -12 => CallbackFailed,
    -13 => ClientClosed,
    -14 => VersionMismatch,
    -15 => NotReady,
    -16 => SystemCallFailed,
    -17 => UnsupportedServer,
    -18 => InputTooLarge,
    -19 => PartitionConfigMismatch,
    -20 => AuthenticationFailed,
    -21 => ServerSpawnFailed,
    -100 => StaleLease,
    -101 => LeaseExpired,
    -102 => LeaseRevoked,
    -103 => FenceRequired,
    -104 => PartialFenceTriple,
    -105 => ExecutionNotActive,
    -106 => NoActiveLease,
    -107 => ActiveAttemptExists,
    -108 => UseClaimResumedExecution,
    -109 => NotAResumedExecution,
    -110 => ExecutionNotLeaseable,
    -111 => LeaseConflict,
    -112 => InvalidClaimGrant,
    -113 => ClaimGrantExpired,
    -114 => NoEligibleExecution,
    -115 => ExecutionNotEligible,
    -116 => ExecutionNotInEligibleSet,
    -117 => GrantAlreadyExists,
    -118 => ExecutionNotReclaimable,
    -119 => MaxRetriesExhausted,
    -120 => CapabilityMismatch,
    -121 => InvalidCapabilities,
    -122 => InvalidPolicyJson,
    -123 => InvalidInput,
    -124 => ExecutionNotFound,
    -125 => InvalidBlockingReason,
    -126 => InvalidTagKey,
    -200 => ExecutionNotSuspended,
    -201 => AlreadySuspended,
    -202 => WaitpointClosed,
    -203 => WaitpointNotFound,
    -204 => TargetNotSignalable,
    -205 => WaitpointPendingUseBufferScript,
    -206 => DuplicateSignal,
    -207 => PayloadTooLarge,
    -208 => SignalLimitExceeded,
    -209 => InvalidWaitpointKey,
    -210 => InvalidToken,
    -211 => InvalidLeaseForSuspend,
    -212 => ResumeConditionNotMet,
    -213 => WaitpointNotPending,
    -214 => PendingWaitpointExpired,
    -215 => InvalidWaitpointForExecution,
    -216 => WaitpointAlreadyExists,
    -217 => WaitpointNotOpen,
    -218 => WaitpointNotTokenBound,
    -219 => InvalidKid,
    -220 => InvalidSecretHex,
    -221 => InvalidGraceMs,
    -222 => RotationConflict,
    -223 => HmacSecretNotInitialized,
    -224 => TokenExpired,
    -225 => MissingToken,
    -300 => ExecutionNotTerminal,
    -301 => MaxReplaysExhausted,
    -302 => ReplayNotAllowed,
    -400 => StreamClosed,
    -401 => StaleOwnerCannotAppend,
    -402 => RetentionLimitExceeded,
    -403 => StreamNotFound,
    -404 => StreamAlreadyClosed,
    -405 => InvalidFrameType,
    -406 => InvalidOffset,
    -500 => InvalidDependency,
    -501 => StaleGraphRevision,
    -502 => ExecutionAlreadyInFlow,
    -503 => CycleDetected,
    -504 => FlowNotFound,
    -505 => ExecutionNotInFlow,
    -506 => DependencyAlreadyExists,
    -507 => SelfReferencingEdge,
    -508 => FlowAlreadyTerminal,
    -509 => DepsNotSatisfied,
    -510 => NotBlockedByDeps,
    -511 => NotRunnable,
    -512 => Terminal,
    -600 => BudgetExceeded,
    -601 => BudgetSoftExceeded,
    -602 => OkAlreadyApplied,
    -603 => BudgetNotFound,
    -604 => InvalidBudgetScope,
    -605 => BudgetAttachConflict,
    -606 => BudgetOverrideNotAllowed,
    -607 => QuotaPolicyNotFound,
    -608 => RateLimitExceeded,
    -609 => ConcurrencyLimitExceeded,
    -610 => QuotaAttachConflict,
    -611 => InvalidQuotaSpec,
    -700 => AttemptNotFound,
    -701 => AttemptNotInCreatedState,
    -702 => AttemptNotStarted,
    -703 => AttemptAlreadyTerminal,
    -704 => ExecutionNotEligibleForAttempt,
    -705 => Unauthorized,
    -127 => CorruptRecord,
    -226 => InvalidSecret,
    -303 => ExecutionFailed,
    -304 => ExecutionCancelled,
    -305 => ExecutionExpired,
    -306 => ExecutionSkipped,
    -513 => PartitionMismatch,
    -514 => EdgeGroupPolicyFixed,
    -515 => InvalidFlowPolicy,
    -516 => FlowLimitExceeded,
    -517 => EdgeNotFound,
    -518 => DownstreamReleased,
    -519 => FlowSubmitConflict,
    -520 => NoChildren,
    -407 => PatchDepthExceeded,
    -128 => LanePaused,
  }.freeze

  # status code -> (name, server token)
  STATUS_NAMES = {
    -1 => ["FF_ERROR", ""],
    -2 => ["FF_EINVAL", ""],
    -3 => ["FF_ENOMEM", ""],
    -4 => ["FF_ENOTFOUND", ""],
    -5 => ["FF_EEXISTS", ""],
    -6 => ["FF_ETIMEDOUT", ""],
    -7 => ["FF_ECANCELED", ""],
    -8 => ["FF_ECONFLICT", ""],
    -9 => ["FF_EIO", ""],
    -10 => ["FF_EPROTO", ""],
    -11 => ["FF_ESERVER", ""],
    -12 => ["FF_EUSER", ""],
    -13 => ["FF_ECLOSED", ""],
    -14 => ["FF_EVERSION", ""],
    -15 => ["FF_EAGAIN", ""],
    -16 => ["FF_ESYS", ""],
    -17 => ["FF_EUNSUPPORTED", ""],
    -18 => ["FF_ETOOBIG", ""],
    -19 => ["FF_ECONFIG", "partition_config_mismatch"],
    -20 => ["FF_EAUTH", ""],
    -21 => ["FF_ESPAWN", ""],
    -100 => ["FF_STALE_LEASE", "stale_lease"],
    -101 => ["FF_LEASE_EXPIRED", "lease_expired"],
    -102 => ["FF_LEASE_REVOKED", "lease_revoked"],
    -103 => ["FF_FENCE_REQUIRED", "fence_required"],
    -104 => ["FF_PARTIAL_FENCE_TRIPLE", "partial_fence_triple"],
    -105 => ["FF_EXECUTION_NOT_ACTIVE", "execution_not_active"],
    -106 => ["FF_NO_ACTIVE_LEASE", "no_active_lease"],
    -107 => ["FF_ACTIVE_ATTEMPT_EXISTS", "active_attempt_exists"],
    -108 => ["FF_USE_CLAIM_RESUMED_EXECUTION", "use_claim_resumed_execution"],
    -109 => ["FF_NOT_A_RESUMED_EXECUTION", "not_a_resumed_execution"],
    -110 => ["FF_EXECUTION_NOT_LEASEABLE", "execution_not_leaseable"],
    -111 => ["FF_LEASE_CONFLICT", "lease_conflict"],
    -112 => ["FF_INVALID_CLAIM_GRANT", "invalid_claim_grant"],
    -113 => ["FF_CLAIM_GRANT_EXPIRED", "claim_grant_expired"],
    -114 => ["FF_NO_ELIGIBLE_EXECUTION", "no_eligible_execution"],
    -115 => ["FF_EXECUTION_NOT_ELIGIBLE", "execution_not_eligible"],
    -116 => ["FF_EXECUTION_NOT_IN_ELIGIBLE_SET", "execution_not_in_eligible_set"],
    -117 => ["FF_GRANT_ALREADY_EXISTS", "grant_already_exists"],
    -118 => ["FF_EXECUTION_NOT_RECLAIMABLE", "execution_not_reclaimable"],
    -119 => ["FF_MAX_RETRIES_EXHAUSTED", "max_retries_exhausted"],
    -120 => ["FF_CAPABILITY_MISMATCH", "capability_mismatch"],
    -121 => ["FF_INVALID_CAPABILITIES", "invalid_capabilities"],
    -122 => ["FF_INVALID_POLICY_JSON", "invalid_policy_json"],
    -123 => ["FF_INVALID_INPUT", "invalid_input"],
    -124 => ["FF_EXECUTION_NOT_FOUND", "execution_not_found"],
    -125 => ["FF_INVALID_BLOCKING_REASON", "invalid_blocking_reason"],
    -126 => ["FF_INVALID_TAG_KEY", "invalid_tag_key"],
    -200 => ["FF_EXECUTION_NOT_SUSPENDED", "execution_not_suspended"],
    -201 => ["FF_ALREADY_SUSPENDED", "already_suspended"],
    -202 => ["FF_WAITPOINT_CLOSED", "waitpoint_closed"],
    -203 => ["FF_WAITPOINT_NOT_FOUND", "waitpoint_not_found"],
    -204 => ["FF_TARGET_NOT_SIGNALABLE", "target_not_signalable"],
    -205 => ["FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT", "waitpoint_pending_use_buffer_script"],
    -206 => ["FF_DUPLICATE_SIGNAL", "duplicate_signal"],
    -207 => ["FF_PAYLOAD_TOO_LARGE", "payload_too_large"],
    -208 => ["FF_SIGNAL_LIMIT_EXCEEDED", "signal_limit_exceeded"],
    -209 => ["FF_INVALID_WAITPOINT_KEY", "invalid_waitpoint_key"],
    -210 => ["FF_INVALID_TOKEN", "invalid_token"],
    -211 => ["FF_INVALID_LEASE_FOR_SUSPEND", "invalid_lease_for_suspend"],
    -212 => ["FF_RESUME_CONDITION_NOT_MET", "resume_condition_not_met"],
    -213 => ["FF_WAITPOINT_NOT_PENDING", "waitpoint_not_pending"],
    -214 => ["FF_PENDING_WAITPOINT_EXPIRED", "pending_waitpoint_expired"],
    -215 => ["FF_INVALID_WAITPOINT_FOR_EXECUTION", "invalid_waitpoint_for_execution"],
    -216 => ["FF_WAITPOINT_ALREADY_EXISTS", "waitpoint_already_exists"],
    -217 => ["FF_WAITPOINT_NOT_OPEN", "waitpoint_not_open"],
    -218 => ["FF_WAITPOINT_NOT_TOKEN_BOUND", "waitpoint_not_token_bound"],
    -219 => ["FF_INVALID_KID", "invalid_kid"],
    -220 => ["FF_INVALID_SECRET_HEX", "invalid_secret_hex"],
    -221 => ["FF_INVALID_GRACE_MS", "invalid_grace_ms"],
    -222 => ["FF_ROTATION_CONFLICT", "rotation_conflict"],
    -223 => ["FF_HMAC_SECRET_NOT_INITIALIZED", "hmac_secret_not_initialized"],
    -224 => ["FF_TOKEN_EXPIRED", "token_expired"],
    -225 => ["FF_MISSING_TOKEN", "missing_token"],
    -300 => ["FF_EXECUTION_NOT_TERMINAL", "execution_not_terminal"],
    -301 => ["FF_MAX_REPLAYS_EXHAUSTED", "max_replays_exhausted"],
    -302 => ["FF_REPLAY_NOT_ALLOWED", "replay_not_allowed"],
    -400 => ["FF_STREAM_CLOSED", "stream_closed"],
    -401 => ["FF_STALE_OWNER_CANNOT_APPEND", "stale_owner_cannot_append"],
    -402 => ["FF_RETENTION_LIMIT_EXCEEDED", "retention_limit_exceeded"],
    -403 => ["FF_STREAM_NOT_FOUND", "stream_not_found"],
    -404 => ["FF_STREAM_ALREADY_CLOSED", "stream_already_closed"],
    -405 => ["FF_INVALID_FRAME_TYPE", "invalid_frame_type"],
    -406 => ["FF_INVALID_OFFSET", "invalid_offset"],
    -500 => ["FF_INVALID_DEPENDENCY", "invalid_dependency"],
    -501 => ["FF_STALE_GRAPH_REVISION", "stale_graph_revision"],
    -502 => ["FF_EXECUTION_ALREADY_IN_FLOW", "execution_already_in_flow"],
    -503 => ["FF_CYCLE_DETECTED", "cycle_detected"],
    -504 => ["FF_FLOW_NOT_FOUND", "flow_not_found"],
    -505 => ["FF_EXECUTION_NOT_IN_FLOW", "execution_not_in_flow"],
    -506 => ["FF_DEPENDENCY_ALREADY_EXISTS", "dependency_already_exists"],
    -507 => ["FF_SELF_REFERENCING_EDGE", "self_referencing_edge"],
    -508 => ["FF_FLOW_ALREADY_TERMINAL", "flow_already_terminal"],
    -509 => ["FF_DEPS_NOT_SATISFIED", "deps_not_satisfied"],
    -510 => ["FF_NOT_BLOCKED_BY_DEPS", "not_blocked_by_deps"],
    -511 => ["FF_NOT_RUNNABLE", "not_runnable"],
    -512 => ["FF_TERMINAL", "terminal"],
    -600 => ["FF_BUDGET_EXCEEDED", "budget_exceeded"],
    -601 => ["FF_BUDGET_SOFT_EXCEEDED", "budget_soft_exceeded"],
    -602 => ["FF_OK_ALREADY_APPLIED", "ok_already_applied"],
    -603 => ["FF_BUDGET_NOT_FOUND", "budget_not_found"],
    -604 => ["FF_INVALID_BUDGET_SCOPE", "invalid_budget_scope"],
    -605 => ["FF_BUDGET_ATTACH_CONFLICT", "budget_attach_conflict"],
    -606 => ["FF_BUDGET_OVERRIDE_NOT_ALLOWED", "budget_override_not_allowed"],
    -607 => ["FF_QUOTA_POLICY_NOT_FOUND", "quota_policy_not_found"],
    -608 => ["FF_RATE_LIMIT_EXCEEDED", "rate_limit_exceeded"],
    -609 => ["FF_CONCURRENCY_LIMIT_EXCEEDED", "concurrency_limit_exceeded"],
    -610 => ["FF_QUOTA_ATTACH_CONFLICT", "quota_attach_conflict"],
    -611 => ["FF_INVALID_QUOTA_SPEC", "invalid_quota_spec"],
    -700 => ["FF_ATTEMPT_NOT_FOUND", "attempt_not_found"],
    -701 => ["FF_ATTEMPT_NOT_IN_CREATED_STATE", "attempt_not_in_created_state"],
    -702 => ["FF_ATTEMPT_NOT_STARTED", "attempt_not_started"],
    -703 => ["FF_ATTEMPT_ALREADY_TERMINAL", "attempt_already_terminal"],
    -704 => ["FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT", "execution_not_eligible_for_attempt"],
    -705 => ["FF_UNAUTHORIZED", "unauthorized"],
    -127 => ["FF_CORRUPT_RECORD", "corrupt_record"],
    -226 => ["FF_INVALID_SECRET", "invalid_secret"],
    -303 => ["FF_EXECUTION_FAILED", "execution_failed"],
    -304 => ["FF_EXECUTION_CANCELLED", "execution_cancelled"],
    -305 => ["FF_EXECUTION_EXPIRED", "execution_expired"],
    -306 => ["FF_EXECUTION_SKIPPED", "execution_skipped"],
    -513 => ["FF_PARTITION_MISMATCH", "partition_mismatch"],
    -514 => ["FF_EDGE_GROUP_POLICY_FIXED", "edge_group_policy_fixed"],
    -515 => ["FF_INVALID_FLOW_POLICY", "invalid_flow_policy"],
    -516 => ["FF_FLOW_LIMIT_EXCEEDED", "flow_limit_exceeded"],
    -517 => ["FF_EDGE_NOT_FOUND", "edge_not_found"],
    -518 => ["FF_DOWNSTREAM_RELEASED", "downstream_released"],
    -519 => ["FF_FLOW_SUBMIT_CONFLICT", "flow_submit_conflict"],
    -520 => ["FF_NO_CHILDREN", "no_children"],
    -407 => ["FF_PATCH_DEPTH_EXCEEDED", "patch_depth_exceeded"],
    -128 => ["FF_LANE_PAUSED", "lane_paused"],
  }.freeze
end
