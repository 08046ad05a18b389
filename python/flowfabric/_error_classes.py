# GENERATED from src/core/status.def and bindings/gen/error_names.txt by
# bindings/gen/gen_python_errors.py - do not edit (make generate).
"""The exception classes of every status group and status code (see
:mod:`flowfabric.errors`, which re-exports them)."""

from __future__ import annotations

from typing import Dict, List, Type

from ._error_base import FlowFabricError

__all__: List[str] = []


class InvalidInput(FlowFabricError, ValueError):
    """Bad input: rejected before or by the server, nothing was written."""

    group = "invalid"


class NotFound(FlowFabricError, LookupError):
    """The addressed object (execution, waitpoint, ...) does not exist."""

    group = "notfound"


class Conflict(FlowFabricError):
    """The call conflicts with the object's current state or another actor."""

    group = "conflict"


class LeaseError(FlowFabricError):
    """The lease fence was refused: stale, expired, revoked or missing."""

    group = "lease"


class StateError(FlowFabricError):
    """The execution is not in a state that allows this call."""

    group = "state"


class TransportError(FlowFabricError, ConnectionError):
    """The connection failed or the client is closed."""

    group = "transport"


class Timeout(FlowFabricError, TimeoutError):
    """The per-call deadline passed."""

    group = "timeout"


class LimitExceeded(FlowFabricError):
    """A size, count or rate limit was reached."""

    group = "limit"


class AuthError(FlowFabricError):
    """Authentication or authorisation failed."""

    group = "auth"


class InternalError(FlowFabricError):
    """Unexpected failure inside the library or the server."""

    group = "internal"


#: The class of every group.
_STATIC_GROUPS: Dict[str, Type[FlowFabricError]] = {
    "generic": FlowFabricError,
    "invalid": InvalidInput,
    "notfound": NotFound,
    "conflict": Conflict,
    "lease": LeaseError,
    "state": StateError,
    "transport": TransportError,
    "timeout": Timeout,
    "limit": LimitExceeded,
    "auth": AuthError,
    "internal": InternalError,
}


class InvalidArgument(InvalidInput):
    """FF_EINVAL (-2): invalid argument."""

    code = -2
    name = "FF_EINVAL"
    group = "invalid"


class OutOfMemory(InternalError):
    """FF_ENOMEM (-3): out of memory."""

    code = -3
    name = "FF_ENOMEM"
    group = "internal"


class AlreadyExists(Conflict):
    """FF_EEXISTS (-5): already exists."""

    code = -5
    name = "FF_EEXISTS"
    group = "conflict"


class OperationCancelled(FlowFabricError):
    """FF_ECANCELED (-7): operation canceled (client closed)."""

    code = -7
    name = "FF_ECANCELED"
    group = "generic"


class ProtocolError(InternalError):
    """FF_EPROTO (-10): unexpected reply from server."""

    code = -10
    name = "FF_EPROTO"
    group = "internal"


class ServerError(InternalError):
    """FF_ESERVER (-11): server returned an error."""

    code = -11
    name = "FF_ESERVER"
    group = "internal"


class CallbackFailed(FlowFabricError):
    """FF_EUSER (-12): user callback failed."""

    code = -12
    name = "FF_EUSER"
    group = "generic"


class ClientClosed(TransportError):
    """FF_ECLOSED (-13): client is closed."""

    code = -13
    name = "FF_ECLOSED"
    group = "transport"


class VersionMismatch(InternalError):
    """FF_EVERSION (-14): version mismatch."""

    code = -14
    name = "FF_EVERSION"
    group = "internal"


class NotReady(FlowFabricError):
    """FF_EAGAIN (-15): not ready yet, try again."""

    code = -15
    name = "FF_EAGAIN"
    group = "generic"


class SystemCallFailed(InternalError):
    """FF_ESYS (-16): operating system error."""

    code = -16
    name = "FF_ESYS"
    group = "internal"


class UnsupportedServer(InternalError):
    """FF_EUNSUPPORTED (-17): server does not support Redis Functions (need Redis >= 7.0 or Valkey
    >= 7.2).
    """

    code = -17
    name = "FF_EUNSUPPORTED"
    group = "internal"


class InputTooLarge(LimitExceeded):
    """FF_ETOOBIG (-18): input exceeds the configured size limit."""

    code = -18
    name = "FF_ETOOBIG"
    group = "limit"


class PartitionConfigMismatch(InvalidInput):
    """FF_ECONFIG (-19): server partition configuration differs from the client's. Server token
    ``partition_config_mismatch``.
    """

    code = -19
    name = "FF_ECONFIG"
    group = "invalid"


class AuthenticationFailed(AuthError):
    """FF_EAUTH (-20): authentication with the server failed."""

    code = -20
    name = "FF_EAUTH"
    group = "auth"


class ServerSpawnFailed(InternalError):
    """FF_ESPAWN (-21): could not start the embedded redis-server."""

    code = -21
    name = "FF_ESPAWN"
    group = "internal"


class StaleLease(LeaseError):
    """FF_STALE_LEASE (-100): lease fence does not match the current lease (superseded). Server
    token ``stale_lease``.
    """

    code = -100
    name = "FF_STALE_LEASE"
    group = "lease"


class LeaseExpired(LeaseError):
    """FF_LEASE_EXPIRED (-101): lease expired. Server token ``lease_expired``."""

    code = -101
    name = "FF_LEASE_EXPIRED"
    group = "lease"


class LeaseRevoked(LeaseError):
    """FF_LEASE_REVOKED (-102): lease was revoked by an operator. Server token ``lease_revoked``."""

    code = -102
    name = "FF_LEASE_REVOKED"
    group = "lease"


class FenceRequired(LeaseError):
    """FF_FENCE_REQUIRED (-103): a lease fence is required for this call. Server token
    ``fence_required``.
    """

    code = -103
    name = "FF_FENCE_REQUIRED"
    group = "lease"


class PartialFenceTriple(InvalidInput):
    """FF_PARTIAL_FENCE_TRIPLE (-104): lease fence must carry lease id, epoch and attempt id
    together. Server token ``partial_fence_triple``.
    """

    code = -104
    name = "FF_PARTIAL_FENCE_TRIPLE"
    group = "invalid"


class ExecutionNotActive(StateError):
    """FF_EXECUTION_NOT_ACTIVE (-105): execution is not active. Server token
    ``execution_not_active``.
    """

    code = -105
    name = "FF_EXECUTION_NOT_ACTIVE"
    group = "state"


class NoActiveLease(StateError):
    """FF_NO_ACTIVE_LEASE (-106): execution holds no active lease. Server token ``no_active_lease``."""

    code = -106
    name = "FF_NO_ACTIVE_LEASE"
    group = "state"


class ActiveAttemptExists(InternalError):
    """FF_ACTIVE_ATTEMPT_EXISTS (-107): an attempt is already running (invariant violation). Server
    token ``active_attempt_exists``.
    """

    code = -107
    name = "FF_ACTIVE_ATTEMPT_EXISTS"
    group = "internal"


class UseClaimResumedExecution(StateError):
    """FF_USE_CLAIM_RESUMED_EXECUTION (-108): interrupted attempt: use the resume claim. Server
    token ``use_claim_resumed_execution``.
    """

    code = -108
    name = "FF_USE_CLAIM_RESUMED_EXECUTION"
    group = "state"


class NotAResumedExecution(StateError):
    """FF_NOT_A_RESUMED_EXECUTION (-109): execution is not waiting to be resumed. Server token
    ``not_a_resumed_execution``.
    """

    code = -109
    name = "FF_NOT_A_RESUMED_EXECUTION"
    group = "state"


class ExecutionNotLeaseable(StateError):
    """FF_EXECUTION_NOT_LEASEABLE (-110): execution cannot be leased in its current state. Server
    token ``execution_not_leaseable``.
    """

    code = -110
    name = "FF_EXECUTION_NOT_LEASEABLE"
    group = "state"


class LeaseConflict(Conflict):
    """FF_LEASE_CONFLICT (-111): execution is already leased. Server token ``lease_conflict``."""

    code = -111
    name = "FF_LEASE_CONFLICT"
    group = "conflict"


class InvalidClaimGrant(StateError):
    """FF_INVALID_CLAIM_GRANT (-112): claim grant missing or held by another worker. Server token
    ``invalid_claim_grant``.
    """

    code = -112
    name = "FF_INVALID_CLAIM_GRANT"
    group = "state"


class ClaimGrantExpired(StateError):
    """FF_CLAIM_GRANT_EXPIRED (-113): claim grant expired. Server token ``claim_grant_expired``."""

    code = -113
    name = "FF_CLAIM_GRANT_EXPIRED"
    group = "state"


class NoEligibleExecution(NotFound):
    """FF_NO_ELIGIBLE_EXECUTION (-114): nothing to claim. Server token ``no_eligible_execution``."""

    code = -114
    name = "FF_NO_ELIGIBLE_EXECUTION"
    group = "notfound"


class ExecutionNotEligible(StateError):
    """FF_EXECUTION_NOT_ELIGIBLE (-115): execution is not eligible for this operation. Server token
    ``execution_not_eligible``.
    """

    code = -115
    name = "FF_EXECUTION_NOT_ELIGIBLE"
    group = "state"


class ExecutionNotInEligibleSet(StateError):
    """FF_EXECUTION_NOT_IN_ELIGIBLE_SET (-116): execution is not in the eligible set. Server token
    ``execution_not_in_eligible_set``.
    """

    code = -116
    name = "FF_EXECUTION_NOT_IN_ELIGIBLE_SET"
    group = "state"


class GrantAlreadyExists(Conflict):
    """FF_GRANT_ALREADY_EXISTS (-117): a claim grant is already outstanding. Server token
    ``grant_already_exists``.
    """

    code = -117
    name = "FF_GRANT_ALREADY_EXISTS"
    group = "conflict"


class ExecutionNotReclaimable(StateError):
    """FF_EXECUTION_NOT_RECLAIMABLE (-118): execution lease is neither expired nor revoked. Server
    token ``execution_not_reclaimable``.
    """

    code = -118
    name = "FF_EXECUTION_NOT_RECLAIMABLE"
    group = "state"


class MaxRetriesExhausted(LimitExceeded):
    """FF_MAX_RETRIES_EXHAUSTED (-119): retry or reclaim limit reached. Server token
    ``max_retries_exhausted``.
    """

    code = -119
    name = "FF_MAX_RETRIES_EXHAUSTED"
    group = "limit"


class CapabilityMismatch(StateError):
    """FF_CAPABILITY_MISMATCH (-120): worker lacks required capabilities. Server token
    ``capability_mismatch``.
    """

    code = -120
    name = "FF_CAPABILITY_MISMATCH"
    group = "state"


class InvalidCapabilities(InvalidInput):
    """FF_INVALID_CAPABILITIES (-121): malformed capability list. Server token
    ``invalid_capabilities``.
    """

    code = -121
    name = "FF_INVALID_CAPABILITIES"
    group = "invalid"


class InvalidPolicyJson(InvalidInput):
    """FF_INVALID_POLICY_JSON (-122): malformed execution policy. Server token
    ``invalid_policy_json``.
    """

    code = -122
    name = "FF_INVALID_POLICY_JSON"
    group = "invalid"


class ExecutionNotFound(NotFound):
    """FF_EXECUTION_NOT_FOUND (-124): execution not found. Server token ``execution_not_found``."""

    code = -124
    name = "FF_EXECUTION_NOT_FOUND"
    group = "notfound"


class InvalidBlockingReason(InvalidInput):
    """FF_INVALID_BLOCKING_REASON (-125): unknown blocking reason. Server token
    ``invalid_blocking_reason``.
    """

    code = -125
    name = "FF_INVALID_BLOCKING_REASON"
    group = "invalid"


class InvalidTagKey(InvalidInput):
    """FF_INVALID_TAG_KEY (-126): invalid tag key. Server token ``invalid_tag_key``."""

    code = -126
    name = "FF_INVALID_TAG_KEY"
    group = "invalid"


class ExecutionNotSuspended(StateError):
    """FF_EXECUTION_NOT_SUSPENDED (-200): execution is not suspended. Server token
    ``execution_not_suspended``.
    """

    code = -200
    name = "FF_EXECUTION_NOT_SUSPENDED"
    group = "state"


class AlreadySuspended(StateError):
    """FF_ALREADY_SUSPENDED (-201): execution is already suspended. Server token
    ``already_suspended``.
    """

    code = -201
    name = "FF_ALREADY_SUSPENDED"
    group = "state"


class WaitpointClosed(StateError):
    """FF_WAITPOINT_CLOSED (-202): waitpoint is closed. Server token ``waitpoint_closed``."""

    code = -202
    name = "FF_WAITPOINT_CLOSED"
    group = "state"


class WaitpointNotFound(NotFound):
    """FF_WAITPOINT_NOT_FOUND (-203): waitpoint not found. Server token ``waitpoint_not_found``."""

    code = -203
    name = "FF_WAITPOINT_NOT_FOUND"
    group = "notfound"


class TargetNotSignalable(StateError):
    """FF_TARGET_NOT_SIGNALABLE (-204): target cannot receive signals. Server token
    ``target_not_signalable``.
    """

    code = -204
    name = "FF_TARGET_NOT_SIGNALABLE"
    group = "state"


class WaitpointPendingUseBufferScript(StateError):
    """FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT (-205): waitpoint is pending: signal must be buffered.
    Server token ``waitpoint_pending_use_buffer_script``.
    """

    code = -205
    name = "FF_WAITPOINT_PENDING_USE_BUFFER_SCRIPT"
    group = "state"


class DuplicateSignal(Conflict):
    """FF_DUPLICATE_SIGNAL (-206): duplicate signal. Server token ``duplicate_signal``."""

    code = -206
    name = "FF_DUPLICATE_SIGNAL"
    group = "conflict"


class PayloadTooLarge(LimitExceeded):
    """FF_PAYLOAD_TOO_LARGE (-207): payload too large. Server token ``payload_too_large``."""

    code = -207
    name = "FF_PAYLOAD_TOO_LARGE"
    group = "limit"


class SignalLimitExceeded(LimitExceeded):
    """FF_SIGNAL_LIMIT_EXCEEDED (-208): per-execution signal limit exceeded. Server token
    ``signal_limit_exceeded``.
    """

    code = -208
    name = "FF_SIGNAL_LIMIT_EXCEEDED"
    group = "limit"


class InvalidWaitpointKey(InvalidInput):
    """FF_INVALID_WAITPOINT_KEY (-209): invalid waitpoint key. Server token
    ``invalid_waitpoint_key``.
    """

    code = -209
    name = "FF_INVALID_WAITPOINT_KEY"
    group = "invalid"


class InvalidToken(AuthError):
    """FF_INVALID_TOKEN (-210): invalid waitpoint token. Server token ``invalid_token``."""

    code = -210
    name = "FF_INVALID_TOKEN"
    group = "auth"


class InvalidLeaseForSuspend(LeaseError):
    """FF_INVALID_LEASE_FOR_SUSPEND (-211): lease does not allow suspension. Server token
    ``invalid_lease_for_suspend``.
    """

    code = -211
    name = "FF_INVALID_LEASE_FOR_SUSPEND"
    group = "lease"


class ResumeConditionNotMet(StateError):
    """FF_RESUME_CONDITION_NOT_MET (-212): resume condition not met. Server token
    ``resume_condition_not_met``.
    """

    code = -212
    name = "FF_RESUME_CONDITION_NOT_MET"
    group = "state"


class WaitpointNotPending(StateError):
    """FF_WAITPOINT_NOT_PENDING (-213): waitpoint is not pending. Server token
    ``waitpoint_not_pending``.
    """

    code = -213
    name = "FF_WAITPOINT_NOT_PENDING"
    group = "state"


class PendingWaitpointExpired(StateError):
    """FF_PENDING_WAITPOINT_EXPIRED (-214): pending waitpoint expired. Server token
    ``pending_waitpoint_expired``.
    """

    code = -214
    name = "FF_PENDING_WAITPOINT_EXPIRED"
    group = "state"


class InvalidWaitpointForExecution(InvalidInput):
    """FF_INVALID_WAITPOINT_FOR_EXECUTION (-215): waitpoint belongs to another execution. Server
    token ``invalid_waitpoint_for_execution``.
    """

    code = -215
    name = "FF_INVALID_WAITPOINT_FOR_EXECUTION"
    group = "invalid"


class WaitpointAlreadyExists(Conflict):
    """FF_WAITPOINT_ALREADY_EXISTS (-216): waitpoint already exists. Server token
    ``waitpoint_already_exists``.
    """

    code = -216
    name = "FF_WAITPOINT_ALREADY_EXISTS"
    group = "conflict"


class WaitpointNotOpen(StateError):
    """FF_WAITPOINT_NOT_OPEN (-217): waitpoint is not open. Server token ``waitpoint_not_open``."""

    code = -217
    name = "FF_WAITPOINT_NOT_OPEN"
    group = "state"


class WaitpointNotTokenBound(InvalidInput):
    """FF_WAITPOINT_NOT_TOKEN_BOUND (-218): waitpoint is not token bound. Server token
    ``waitpoint_not_token_bound``.
    """

    code = -218
    name = "FF_WAITPOINT_NOT_TOKEN_BOUND"
    group = "invalid"


class InvalidKid(InvalidInput):
    """FF_INVALID_KID (-219): invalid key id. Server token ``invalid_kid``."""

    code = -219
    name = "FF_INVALID_KID"
    group = "invalid"


class InvalidSecretHex(InvalidInput):
    """FF_INVALID_SECRET_HEX (-220): secret must be hex. Server token ``invalid_secret_hex``."""

    code = -220
    name = "FF_INVALID_SECRET_HEX"
    group = "invalid"


class InvalidGraceMs(InvalidInput):
    """FF_INVALID_GRACE_MS (-221): invalid rotation grace period. Server token ``invalid_grace_ms``."""

    code = -221
    name = "FF_INVALID_GRACE_MS"
    group = "invalid"


class RotationConflict(Conflict):
    """FF_ROTATION_CONFLICT (-222): key rotation conflict. Server token ``rotation_conflict``."""

    code = -222
    name = "FF_ROTATION_CONFLICT"
    group = "conflict"


class HmacSecretNotInitialized(InternalError):
    """FF_HMAC_SECRET_NOT_INITIALIZED (-223): waitpoint secret not initialised. Server token
    ``hmac_secret_not_initialized``.
    """

    code = -223
    name = "FF_HMAC_SECRET_NOT_INITIALIZED"
    group = "internal"


class TokenExpired(AuthError):
    """FF_TOKEN_EXPIRED (-224): waitpoint token key has expired. Server token ``token_expired``."""

    code = -224
    name = "FF_TOKEN_EXPIRED"
    group = "auth"


class MissingToken(AuthError):
    """FF_MISSING_TOKEN (-225): waitpoint token missing. Server token ``missing_token``."""

    code = -225
    name = "FF_MISSING_TOKEN"
    group = "auth"


class ExecutionNotTerminal(StateError):
    """FF_EXECUTION_NOT_TERMINAL (-300): execution is not terminal. Server token
    ``execution_not_terminal``.
    """

    code = -300
    name = "FF_EXECUTION_NOT_TERMINAL"
    group = "state"


class MaxReplaysExhausted(LimitExceeded):
    """FF_MAX_REPLAYS_EXHAUSTED (-301): replay limit reached. Server token
    ``max_replays_exhausted``.
    """

    code = -301
    name = "FF_MAX_REPLAYS_EXHAUSTED"
    group = "limit"


class ReplayNotAllowed(StateError):
    """FF_REPLAY_NOT_ALLOWED (-302): replay not allowed. Server token ``replay_not_allowed``."""

    code = -302
    name = "FF_REPLAY_NOT_ALLOWED"
    group = "state"


class StreamClosed(StateError):
    """FF_STREAM_CLOSED (-400): stream is closed. Server token ``stream_closed``."""

    code = -400
    name = "FF_STREAM_CLOSED"
    group = "state"


class StaleOwnerCannotAppend(LeaseError):
    """FF_STALE_OWNER_CANNOT_APPEND (-401): stale owner cannot append. Server token
    ``stale_owner_cannot_append``.
    """

    code = -401
    name = "FF_STALE_OWNER_CANNOT_APPEND"
    group = "lease"


class RetentionLimitExceeded(LimitExceeded):
    """FF_RETENTION_LIMIT_EXCEEDED (-402): frame exceeds the retention limit. Server token
    ``retention_limit_exceeded``.
    """

    code = -402
    name = "FF_RETENTION_LIMIT_EXCEEDED"
    group = "limit"


class StreamNotFound(NotFound):
    """FF_STREAM_NOT_FOUND (-403): stream not found. Server token ``stream_not_found``."""

    code = -403
    name = "FF_STREAM_NOT_FOUND"
    group = "notfound"


class StreamAlreadyClosed(StateError):
    """FF_STREAM_ALREADY_CLOSED (-404): stream already closed. Server token
    ``stream_already_closed``.
    """

    code = -404
    name = "FF_STREAM_ALREADY_CLOSED"
    group = "state"


class InvalidFrameType(InvalidInput):
    """FF_INVALID_FRAME_TYPE (-405): invalid frame type. Server token ``invalid_frame_type``."""

    code = -405
    name = "FF_INVALID_FRAME_TYPE"
    group = "invalid"


class InvalidOffset(InvalidInput):
    """FF_INVALID_OFFSET (-406): invalid stream offset. Server token ``invalid_offset``."""

    code = -406
    name = "FF_INVALID_OFFSET"
    group = "invalid"


class InvalidDependency(InvalidInput):
    """FF_INVALID_DEPENDENCY (-500): invalid dependency. Server token ``invalid_dependency``."""

    code = -500
    name = "FF_INVALID_DEPENDENCY"
    group = "invalid"


class StaleGraphRevision(Conflict):
    """FF_STALE_GRAPH_REVISION (-501): stale flow graph revision. Server token
    ``stale_graph_revision``.
    """

    code = -501
    name = "FF_STALE_GRAPH_REVISION"
    group = "conflict"


class ExecutionAlreadyInFlow(Conflict):
    """FF_EXECUTION_ALREADY_IN_FLOW (-502): execution already belongs to a flow. Server token
    ``execution_already_in_flow``.
    """

    code = -502
    name = "FF_EXECUTION_ALREADY_IN_FLOW"
    group = "conflict"


class CycleDetected(InvalidInput):
    """FF_CYCLE_DETECTED (-503): dependency cycle detected. Server token ``cycle_detected``."""

    code = -503
    name = "FF_CYCLE_DETECTED"
    group = "invalid"


class FlowNotFound(NotFound):
    """FF_FLOW_NOT_FOUND (-504): flow not found. Server token ``flow_not_found``."""

    code = -504
    name = "FF_FLOW_NOT_FOUND"
    group = "notfound"


class ExecutionNotInFlow(InvalidInput):
    """FF_EXECUTION_NOT_IN_FLOW (-505): execution is not in the flow. Server token
    ``execution_not_in_flow``.
    """

    code = -505
    name = "FF_EXECUTION_NOT_IN_FLOW"
    group = "invalid"


class DependencyAlreadyExists(Conflict):
    """FF_DEPENDENCY_ALREADY_EXISTS (-506): dependency already exists. Server token
    ``dependency_already_exists``.
    """

    code = -506
    name = "FF_DEPENDENCY_ALREADY_EXISTS"
    group = "conflict"


class SelfReferencingEdge(InvalidInput):
    """FF_SELF_REFERENCING_EDGE (-507): an edge cannot reference itself. Server token
    ``self_referencing_edge``.
    """

    code = -507
    name = "FF_SELF_REFERENCING_EDGE"
    group = "invalid"


class FlowAlreadyTerminal(StateError):
    """FF_FLOW_ALREADY_TERMINAL (-508): flow already terminal. Server token
    ``flow_already_terminal``.
    """

    code = -508
    name = "FF_FLOW_ALREADY_TERMINAL"
    group = "state"


class DepsNotSatisfied(StateError):
    """FF_DEPS_NOT_SATISFIED (-509): dependencies not satisfied. Server token
    ``deps_not_satisfied``.
    """

    code = -509
    name = "FF_DEPS_NOT_SATISFIED"
    group = "state"


class NotBlockedByDeps(StateError):
    """FF_NOT_BLOCKED_BY_DEPS (-510): execution is not blocked by dependencies. Server token
    ``not_blocked_by_deps``.
    """

    code = -510
    name = "FF_NOT_BLOCKED_BY_DEPS"
    group = "state"


class NotRunnable(StateError):
    """FF_NOT_RUNNABLE (-511): execution is not runnable. Server token ``not_runnable``."""

    code = -511
    name = "FF_NOT_RUNNABLE"
    group = "state"


class Terminal(StateError):
    """FF_TERMINAL (-512): already terminal. Server token ``terminal``."""

    code = -512
    name = "FF_TERMINAL"
    group = "state"


class BudgetExceeded(LimitExceeded):
    """FF_BUDGET_EXCEEDED (-600): budget exceeded. Server token ``budget_exceeded``."""

    code = -600
    name = "FF_BUDGET_EXCEEDED"
    group = "limit"


class BudgetSoftExceeded(LimitExceeded):
    """FF_BUDGET_SOFT_EXCEEDED (-601): budget soft limit exceeded. Server token
    ``budget_soft_exceeded``.
    """

    code = -601
    name = "FF_BUDGET_SOFT_EXCEEDED"
    group = "limit"


class OkAlreadyApplied(Conflict):
    """FF_OK_ALREADY_APPLIED (-602): usage already applied. Server token ``ok_already_applied``."""

    code = -602
    name = "FF_OK_ALREADY_APPLIED"
    group = "conflict"


class BudgetNotFound(NotFound):
    """FF_BUDGET_NOT_FOUND (-603): budget not found. Server token ``budget_not_found``."""

    code = -603
    name = "FF_BUDGET_NOT_FOUND"
    group = "notfound"


class InvalidBudgetScope(InvalidInput):
    """FF_INVALID_BUDGET_SCOPE (-604): invalid budget scope. Server token ``invalid_budget_scope``."""

    code = -604
    name = "FF_INVALID_BUDGET_SCOPE"
    group = "invalid"


class BudgetAttachConflict(Conflict):
    """FF_BUDGET_ATTACH_CONFLICT (-605): budget attach conflict. Server token
    ``budget_attach_conflict``.
    """

    code = -605
    name = "FF_BUDGET_ATTACH_CONFLICT"
    group = "conflict"


class BudgetOverrideNotAllowed(StateError):
    """FF_BUDGET_OVERRIDE_NOT_ALLOWED (-606): budget override not allowed. Server token
    ``budget_override_not_allowed``.
    """

    code = -606
    name = "FF_BUDGET_OVERRIDE_NOT_ALLOWED"
    group = "state"


class QuotaPolicyNotFound(NotFound):
    """FF_QUOTA_POLICY_NOT_FOUND (-607): quota policy not found. Server token
    ``quota_policy_not_found``.
    """

    code = -607
    name = "FF_QUOTA_POLICY_NOT_FOUND"
    group = "notfound"


class RateLimitExceeded(LimitExceeded):
    """FF_RATE_LIMIT_EXCEEDED (-608): rate limit exceeded. Server token ``rate_limit_exceeded``."""

    code = -608
    name = "FF_RATE_LIMIT_EXCEEDED"
    group = "limit"


class ConcurrencyLimitExceeded(LimitExceeded):
    """FF_CONCURRENCY_LIMIT_EXCEEDED (-609): concurrency limit exceeded. Server token
    ``concurrency_limit_exceeded``.
    """

    code = -609
    name = "FF_CONCURRENCY_LIMIT_EXCEEDED"
    group = "limit"


class QuotaAttachConflict(Conflict):
    """FF_QUOTA_ATTACH_CONFLICT (-610): quota attach conflict. Server token
    ``quota_attach_conflict``.
    """

    code = -610
    name = "FF_QUOTA_ATTACH_CONFLICT"
    group = "conflict"


class InvalidQuotaSpec(InvalidInput):
    """FF_INVALID_QUOTA_SPEC (-611): invalid quota specification. Server token
    ``invalid_quota_spec``.
    """

    code = -611
    name = "FF_INVALID_QUOTA_SPEC"
    group = "invalid"


class AttemptNotFound(NotFound):
    """FF_ATTEMPT_NOT_FOUND (-700): attempt not found. Server token ``attempt_not_found``."""

    code = -700
    name = "FF_ATTEMPT_NOT_FOUND"
    group = "notfound"


class AttemptNotInCreatedState(InternalError):
    """FF_ATTEMPT_NOT_IN_CREATED_STATE (-701): attempt not in created state. Server token
    ``attempt_not_in_created_state``.
    """

    code = -701
    name = "FF_ATTEMPT_NOT_IN_CREATED_STATE"
    group = "internal"


class AttemptNotStarted(StateError):
    """FF_ATTEMPT_NOT_STARTED (-702): attempt not started. Server token ``attempt_not_started``."""

    code = -702
    name = "FF_ATTEMPT_NOT_STARTED"
    group = "state"


class AttemptAlreadyTerminal(StateError):
    """FF_ATTEMPT_ALREADY_TERMINAL (-703): attempt already terminal. Server token
    ``attempt_already_terminal``.
    """

    code = -703
    name = "FF_ATTEMPT_ALREADY_TERMINAL"
    group = "state"


class ExecutionNotEligibleForAttempt(StateError):
    """FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT (-704): execution not eligible for a new attempt.
    Server token ``execution_not_eligible_for_attempt``.
    """

    code = -704
    name = "FF_EXECUTION_NOT_ELIGIBLE_FOR_ATTEMPT"
    group = "state"


class Unauthorized(AuthError):
    """FF_UNAUTHORIZED (-705): unauthorized. Server token ``unauthorized``."""

    code = -705
    name = "FF_UNAUTHORIZED"
    group = "auth"


class CorruptRecord(InternalError):
    """FF_CORRUPT_RECORD (-127): a stored record is corrupt. Server token ``corrupt_record``."""

    code = -127
    name = "FF_CORRUPT_RECORD"
    group = "internal"


class InvalidSecret(InternalError):
    """FF_INVALID_SECRET (-226): the stored waitpoint secret is corrupt. Server token
    ``invalid_secret``.
    """

    code = -226
    name = "FF_INVALID_SECRET"
    group = "internal"


class ExecutionFailed(StateError):
    """FF_EXECUTION_FAILED (-303): execution ended as failed. Server token ``execution_failed``."""

    code = -303
    name = "FF_EXECUTION_FAILED"
    group = "state"


class ExecutionCancelled(StateError):
    """FF_EXECUTION_CANCELLED (-304): execution was cancelled. Server token ``execution_cancelled``."""

    code = -304
    name = "FF_EXECUTION_CANCELLED"
    group = "state"


class ExecutionExpired(StateError):
    """FF_EXECUTION_EXPIRED (-305): execution expired. Server token ``execution_expired``."""

    code = -305
    name = "FF_EXECUTION_EXPIRED"
    group = "state"


class ExecutionSkipped(StateError):
    """FF_EXECUTION_SKIPPED (-306): execution was skipped. Server token ``execution_skipped``."""

    code = -306
    name = "FF_EXECUTION_SKIPPED"
    group = "state"


class PartitionMismatch(InvalidInput):
    """FF_PARTITION_MISMATCH (-513): the execution is not on the flow's partition. Server token
    ``partition_mismatch``.
    """

    code = -513
    name = "FF_PARTITION_MISMATCH"
    group = "invalid"


class EdgeGroupPolicyFixed(Conflict):
    """FF_EDGE_GROUP_POLICY_FIXED (-514): the edge group already has edges: its policy cannot
    change. Server token ``edge_group_policy_fixed``.
    """

    code = -514
    name = "FF_EDGE_GROUP_POLICY_FIXED"
    group = "conflict"


class InvalidFlowPolicy(InvalidInput):
    """FF_INVALID_FLOW_POLICY (-515): invalid flow or edge-group policy. Server token
    ``invalid_flow_policy``.
    """

    code = -515
    name = "FF_INVALID_FLOW_POLICY"
    group = "invalid"


class FlowLimitExceeded(LimitExceeded):
    """FF_FLOW_LIMIT_EXCEEDED (-516): a flow limit (members, incoming edges) was reached. Server
    token ``flow_limit_exceeded``.
    """

    code = -516
    name = "FF_FLOW_LIMIT_EXCEEDED"
    group = "limit"


class EdgeNotFound(NotFound):
    """FF_EDGE_NOT_FOUND (-517): dependency edge not found. Server token ``edge_not_found``."""

    code = -517
    name = "FF_EDGE_NOT_FOUND"
    group = "notfound"


class DownstreamReleased(StateError):
    """FF_DOWNSTREAM_RELEASED (-518): the downstream has started or its dependencies already
    resolved. Server token ``downstream_released``.
    """

    code = -518
    name = "FF_DOWNSTREAM_RELEASED"
    group = "state"


class FlowSubmitConflict(Conflict):
    """FF_FLOW_SUBMIT_CONFLICT (-519): the flow exists with another body than this submit_flow.
    Server token ``flow_submit_conflict``.
    """

    code = -519
    name = "FF_FLOW_SUBMIT_CONFLICT"
    group = "conflict"


class NoChildren(StateError):
    """FF_NO_CHILDREN (-520): the execution spawned no child flow to wait for. Server token
    ``no_children``.
    """

    code = -520
    name = "FF_NO_CHILDREN"
    group = "state"


class PatchDepthExceeded(LimitExceeded):
    """FF_PATCH_DEPTH_EXCEEDED (-407): the summary merge patch nests deeper than the limit. Server
    token ``patch_depth_exceeded``.
    """

    code = -407
    name = "FF_PATCH_DEPTH_EXCEEDED"
    group = "limit"


class LanePaused(StateError):
    """FF_LANE_PAUSED (-128): the lane is paused by an operator. Server token ``lane_paused``."""

    code = -128
    name = "FF_LANE_PAUSED"
    group = "state"


#: The class of every status of the table the package was generated from.
_STATIC_CLASSES: Dict[int, Type[FlowFabricError]] = {
    -1: FlowFabricError,
    -2: InvalidArgument,
    -3: OutOfMemory,
    -4: NotFound,
    -5: AlreadyExists,
    -6: Timeout,
    -7: OperationCancelled,
    -8: Conflict,
    -9: TransportError,
    -10: ProtocolError,
    -11: ServerError,
    -12: CallbackFailed,
    -13: ClientClosed,
    -14: VersionMismatch,
    -15: NotReady,
    -16: SystemCallFailed,
    -17: UnsupportedServer,
    -18: InputTooLarge,
    -19: PartitionConfigMismatch,
    -20: AuthenticationFailed,
    -21: ServerSpawnFailed,
    -100: StaleLease,
    -101: LeaseExpired,
    -102: LeaseRevoked,
    -103: FenceRequired,
    -104: PartialFenceTriple,
    -105: ExecutionNotActive,
    -106: NoActiveLease,
    -107: ActiveAttemptExists,
    -108: UseClaimResumedExecution,
    -109: NotAResumedExecution,
    -110: ExecutionNotLeaseable,
    -111: LeaseConflict,
    -112: InvalidClaimGrant,
    -113: ClaimGrantExpired,
    -114: NoEligibleExecution,
    -115: ExecutionNotEligible,
    -116: ExecutionNotInEligibleSet,
    -117: GrantAlreadyExists,
    -118: ExecutionNotReclaimable,
    -119: MaxRetriesExhausted,
    -120: CapabilityMismatch,
    -121: InvalidCapabilities,
    -122: InvalidPolicyJson,
    -123: InvalidInput,
    -124: ExecutionNotFound,
    -125: InvalidBlockingReason,
    -126: InvalidTagKey,
    -200: ExecutionNotSuspended,
    -201: AlreadySuspended,
    -202: WaitpointClosed,
    -203: WaitpointNotFound,
    -204: TargetNotSignalable,
    -205: WaitpointPendingUseBufferScript,
    -206: DuplicateSignal,
    -207: PayloadTooLarge,
    -208: SignalLimitExceeded,
    -209: InvalidWaitpointKey,
    -210: InvalidToken,
    -211: InvalidLeaseForSuspend,
    -212: ResumeConditionNotMet,
    -213: WaitpointNotPending,
    -214: PendingWaitpointExpired,
    -215: InvalidWaitpointForExecution,
    -216: WaitpointAlreadyExists,
    -217: WaitpointNotOpen,
    -218: WaitpointNotTokenBound,
    -219: InvalidKid,
    -220: InvalidSecretHex,
    -221: InvalidGraceMs,
    -222: RotationConflict,
    -223: HmacSecretNotInitialized,
    -224: TokenExpired,
    -225: MissingToken,
    -300: ExecutionNotTerminal,
    -301: MaxReplaysExhausted,
    -302: ReplayNotAllowed,
    -400: StreamClosed,
    -401: StaleOwnerCannotAppend,
    -402: RetentionLimitExceeded,
    -403: StreamNotFound,
    -404: StreamAlreadyClosed,
    -405: InvalidFrameType,
    -406: InvalidOffset,
    -500: InvalidDependency,
    -501: StaleGraphRevision,
    -502: ExecutionAlreadyInFlow,
    -503: CycleDetected,
    -504: FlowNotFound,
    -505: ExecutionNotInFlow,
    -506: DependencyAlreadyExists,
    -507: SelfReferencingEdge,
    -508: FlowAlreadyTerminal,
    -509: DepsNotSatisfied,
    -510: NotBlockedByDeps,
    -511: NotRunnable,
    -512: Terminal,
    -600: BudgetExceeded,
    -601: BudgetSoftExceeded,
    -602: OkAlreadyApplied,
    -603: BudgetNotFound,
    -604: InvalidBudgetScope,
    -605: BudgetAttachConflict,
    -606: BudgetOverrideNotAllowed,
    -607: QuotaPolicyNotFound,
    -608: RateLimitExceeded,
    -609: ConcurrencyLimitExceeded,
    -610: QuotaAttachConflict,
    -611: InvalidQuotaSpec,
    -700: AttemptNotFound,
    -701: AttemptNotInCreatedState,
    -702: AttemptNotStarted,
    -703: AttemptAlreadyTerminal,
    -704: ExecutionNotEligibleForAttempt,
    -705: Unauthorized,
    -127: CorruptRecord,
    -226: InvalidSecret,
    -303: ExecutionFailed,
    -304: ExecutionCancelled,
    -305: ExecutionExpired,
    -306: ExecutionSkipped,
    -513: PartitionMismatch,
    -514: EdgeGroupPolicyFixed,
    -515: InvalidFlowPolicy,
    -516: FlowLimitExceeded,
    -517: EdgeNotFound,
    -518: DownstreamReleased,
    -519: FlowSubmitConflict,
    -520: NoChildren,
    -407: PatchDepthExceeded,
    -128: LanePaused,
}

# Names of earlier versions, kept so existing `except` clauses still work.
InvalError = InvalidArgument
NomemError = OutOfMemory
NotfoundError = NotFound
ExistsError = AlreadyExists
TimedoutError = Timeout
CanceledError = OperationCancelled
ConflictError = Conflict
IoError = TransportError
ProtoError = ProtocolError
UserError = CallbackFailed
ClosedError = ClientClosed
VersionError = VersionMismatch
AgainError = NotReady
SysError = SystemCallFailed
UnsupportedError = UnsupportedServer
ToobigError = InputTooLarge
SpawnError = ServerSpawnFailed

__all__ += [
    "InvalidInput",
    "NotFound",
    "Conflict",
    "LeaseError",
    "StateError",
    "TransportError",
    "Timeout",
    "LimitExceeded",
    "AuthError",
    "InternalError",
    "InvalidArgument",
    "OutOfMemory",
    "AlreadyExists",
    "OperationCancelled",
    "ProtocolError",
    "ServerError",
    "CallbackFailed",
    "ClientClosed",
    "VersionMismatch",
    "NotReady",
    "SystemCallFailed",
    "UnsupportedServer",
    "InputTooLarge",
    "PartitionConfigMismatch",
    "AuthenticationFailed",
    "ServerSpawnFailed",
    "StaleLease",
    "LeaseExpired",
    "LeaseRevoked",
    "FenceRequired",
    "PartialFenceTriple",
    "ExecutionNotActive",
    "NoActiveLease",
    "ActiveAttemptExists",
    "UseClaimResumedExecution",
    "NotAResumedExecution",
    "ExecutionNotLeaseable",
    "LeaseConflict",
    "InvalidClaimGrant",
    "ClaimGrantExpired",
    "NoEligibleExecution",
    "ExecutionNotEligible",
    "ExecutionNotInEligibleSet",
    "GrantAlreadyExists",
    "ExecutionNotReclaimable",
    "MaxRetriesExhausted",
    "CapabilityMismatch",
    "InvalidCapabilities",
    "InvalidPolicyJson",
    "ExecutionNotFound",
    "InvalidBlockingReason",
    "InvalidTagKey",
    "ExecutionNotSuspended",
    "AlreadySuspended",
    "WaitpointClosed",
    "WaitpointNotFound",
    "TargetNotSignalable",
    "WaitpointPendingUseBufferScript",
    "DuplicateSignal",
    "PayloadTooLarge",
    "SignalLimitExceeded",
    "InvalidWaitpointKey",
    "InvalidToken",
    "InvalidLeaseForSuspend",
    "ResumeConditionNotMet",
    "WaitpointNotPending",
    "PendingWaitpointExpired",
    "InvalidWaitpointForExecution",
    "WaitpointAlreadyExists",
    "WaitpointNotOpen",
    "WaitpointNotTokenBound",
    "InvalidKid",
    "InvalidSecretHex",
    "InvalidGraceMs",
    "RotationConflict",
    "HmacSecretNotInitialized",
    "TokenExpired",
    "MissingToken",
    "ExecutionNotTerminal",
    "MaxReplaysExhausted",
    "ReplayNotAllowed",
    "StreamClosed",
    "StaleOwnerCannotAppend",
    "RetentionLimitExceeded",
    "StreamNotFound",
    "StreamAlreadyClosed",
    "InvalidFrameType",
    "InvalidOffset",
    "InvalidDependency",
    "StaleGraphRevision",
    "ExecutionAlreadyInFlow",
    "CycleDetected",
    "FlowNotFound",
    "ExecutionNotInFlow",
    "DependencyAlreadyExists",
    "SelfReferencingEdge",
    "FlowAlreadyTerminal",
    "DepsNotSatisfied",
    "NotBlockedByDeps",
    "NotRunnable",
    "Terminal",
    "BudgetExceeded",
    "BudgetSoftExceeded",
    "OkAlreadyApplied",
    "BudgetNotFound",
    "InvalidBudgetScope",
    "BudgetAttachConflict",
    "BudgetOverrideNotAllowed",
    "QuotaPolicyNotFound",
    "RateLimitExceeded",
    "ConcurrencyLimitExceeded",
    "QuotaAttachConflict",
    "InvalidQuotaSpec",
    "AttemptNotFound",
    "AttemptNotInCreatedState",
    "AttemptNotStarted",
    "AttemptAlreadyTerminal",
    "ExecutionNotEligibleForAttempt",
    "Unauthorized",
    "CorruptRecord",
    "InvalidSecret",
    "ExecutionFailed",
    "ExecutionCancelled",
    "ExecutionExpired",
    "ExecutionSkipped",
    "PartitionMismatch",
    "EdgeGroupPolicyFixed",
    "InvalidFlowPolicy",
    "FlowLimitExceeded",
    "EdgeNotFound",
    "DownstreamReleased",
    "FlowSubmitConflict",
    "NoChildren",
    "PatchDepthExceeded",
    "LanePaused",
    "InvalError",
    "NomemError",
    "NotfoundError",
    "ExistsError",
    "TimedoutError",
    "CanceledError",
    "ConflictError",
    "IoError",
    "ProtoError",
    "UserError",
    "ClosedError",
    "VersionError",
    "AgainError",
    "SysError",
    "UnsupportedError",
    "ToobigError",
    "SpawnError",
]
