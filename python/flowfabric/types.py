"""Plain data types of the Python API: submission options and the typed
snapshots the read calls return. All snapshots are frozen dataclasses built
from the library's JSON documents; the full document stays available as
``.raw`` so fields added by later library versions are never lost."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._args import INT32, INT64, integer, real, utf8
from ._args import Duration as Duration, When as When  # re-exported: the documented argument types
from .errors import InvalidArgument

#: Public states an execution can be in (``Execution.public_state``).
PUBLIC_STATES = ("waiting", "delayed", "active", "suspended", "completed", "failed", "cancelled", "expired",
                 "skipped", "waiting_children", "rate_limited")
#: State indexes of a lane (``Client.list_lane`` / ``Client.lane_counts``).
LANE_STATES = ("waiting", "delayed", "active", "suspended", "completed", "failed", "cancelled", "expired", "skipped",
               "blocked")
#: Terminal public states.
TERMINAL_STATES = frozenset({"completed", "failed", "cancelled", "expired", "skipped"})


def ms_to_datetime(ms: Optional[int]) -> Optional[_dt.datetime]:
    """Server unix milliseconds -> aware UTC datetime (None stays None)."""
    if ms is None:
        return None
    return _dt.datetime.fromtimestamp(ms / 1000.0, tz=_dt.timezone.utc)


@dataclass(frozen=True)
class Retry:
    """Retry policy of an execution (``retry_policy`` in the policy document).

    ``backoff="fixed"`` waits ``initial_ms`` between attempts; ``"exponential"``
    waits ``initial_ms * multiplier**n`` capped at ``max_ms``, minus up to
    ``jitter`` (0..1) of it. ``categories`` limits retries to failures of
    those categories (``None``: every category); ``non_retryable`` lists
    categories that never retry, even with retries left (the deny-list
    beside that allow-list). Timeouts and cancellations are never retried.
    A handler can also refuse the retry of one failure:
    ``raise TaskFailed(reason, retry=False)``.
    """

    max_retries: int = 3
    backoff: str = "exponential"
    initial_ms: int = 1000
    max_ms: int = 60000
    multiplier: float = 2.0
    jitter: float = 0.0
    categories: Optional[Sequence[str]] = None
    non_retryable: Optional[Sequence[str]] = None

    def __post_init__(self) -> None:
        if self.backoff not in ("fixed", "exponential"):
            raise InvalidArgument(f"Retry.backoff must be 'fixed' or 'exponential', not {self.backoff!r}")
        integer(self.max_retries, "Retry.max_retries", *INT32)
        integer(self.initial_ms, "Retry.initial_ms", *INT64)
        integer(self.max_ms, "Retry.max_ms", *INT64)
        real(self.multiplier, "Retry.multiplier")
        real(self.jitter, "Retry.jitter")
        if self.categories is not None:
            _check_categories(self.categories, "Retry.categories")
            if len(self.categories) == 0:
                raise InvalidArgument("Retry.categories must not be empty (use max_retries=0 for no retries)")
        if self.non_retryable is not None:
            _check_categories(self.non_retryable, "Retry.non_retryable")


def _check_categories(cats: Sequence[str], what: str) -> None:
    if isinstance(cats, str):
        raise TypeError(f"{what} must be a sequence of strings, not a str")
    for c in cats:
        if not isinstance(c, str) or not c or "," in c:
            raise InvalidArgument(f"{what}: {c!r} is not a category (a non-empty string without commas)")
        utf8(c, what)


class ExecutionId(str):
    """The id returned by ``submit``: a ``str`` (``"{fp:N}:<uuid>"``) that
    also tells what the submission did.

    Attributes:
        public_state: the state right after the submit (``"waiting"`` or
            ``"delayed"``; for a duplicate, the existing execution's state).
        duplicate: ``True`` when an idempotency key (or an explicit id)
            matched an existing execution and nothing new was created.
    """

    public_state: str
    duplicate: bool

    def __new__(cls, value: str, public_state: str = "", duplicate: bool = False) -> "ExecutionId":
        self = super().__new__(cls, value)
        self.public_state = public_state
        self.duplicate = duplicate
        return self

    def __reduce__(self) -> Any:
        return (ExecutionId, (str(self), self.public_state, self.duplicate))


class LeaseRevocation(str):
    """What :meth:`Client.revoke_lease` did: a ``str`` (``"revoked"``,
    ``"already_revoked"`` or ``"already_expired"``) that also names the
    lease it took away.

    Attributes:
        lease_id: the revoked lease (``""`` unless ``"revoked"``).
        lease_epoch: its epoch (``0`` unless ``"revoked"``).
    """

    lease_id: str
    lease_epoch: int

    def __new__(cls, outcome: str, lease_id: str = "", lease_epoch: int = 0) -> "LeaseRevocation":
        self = super().__new__(cls, outcome)
        self.lease_id = lease_id
        self.lease_epoch = lease_epoch
        return self

    @property
    def revoked(self) -> bool:
        """True when this call took a current lease away."""
        return str(self) == "revoked"

    def __reduce__(self) -> Any:
        return (LeaseRevocation, (str(self), self.lease_id, self.lease_epoch))


@dataclass(frozen=True)
class StateVector:
    """The seven state dimensions (docs/concepts.md#the-state-vector)."""

    lifecycle_phase: str
    ownership_state: str
    eligibility_state: str
    blocking_reason: str
    terminal_outcome: str
    attempt_state: str
    public_state: str


@dataclass(frozen=True)
class Counters:
    total_attempts: int = 0
    retry_count: int = 0
    reclaim_count: int = 0
    replay_count: int = 0


@dataclass(frozen=True)
class CurrentAttempt:
    index: int
    id: str
    type: str
    started_at: Optional[int] = None


@dataclass(frozen=True)
class Lease:
    lease_id: str
    epoch: int
    worker_id: str
    worker_instance_id: str
    acquired_at: Optional[int] = None
    expires_at: Optional[int] = None
    last_renewed_at: Optional[int] = None


@dataclass(frozen=True)
class Progress:
    percent: Optional[int]
    message: Optional[str]
    updated_at: Optional[int] = None


@dataclass(frozen=True)
class Timestamps:
    """Server unix milliseconds (``None`` when unset)."""

    created_at: Optional[int] = None
    started_at: Optional[int] = None
    ended_at: Optional[int] = None
    updated_at: Optional[int] = None
    delay_until: Optional[int] = None
    deadline: Optional[int] = None


@dataclass(frozen=True)
class Failure:
    reason: Optional[str]
    category: Optional[str]


@dataclass(frozen=True)
class Cancellation:
    cancelled_by: str
    reason: Optional[str]


@dataclass(frozen=True)
class AttemptRecord:
    """One entry of ``Execution.attempts``."""

    index: int
    id: str
    type: str
    state: str
    started_at: Optional[int] = None
    ended_at: Optional[int] = None
    suspended_at: Optional[int] = None
    lease_epoch: Optional[int] = None
    worker_id: Optional[str] = None
    worker_instance_id: Optional[str] = None
    failure_reason: Optional[str] = None
    failure_category: Optional[str] = None
    revoke_reason: Optional[str] = None


def _pick(cls: Any, d: Optional[Mapping[str, Any]]) -> Any:
    if d is None:
        return None
    names = cls.__dataclass_fields__.keys()
    return cls(**{k: d.get(k) for k in names if k in d or cls.__dataclass_fields__[k].default is not None})


@dataclass(frozen=True)
class Execution:
    """Snapshot of one execution, as ``describe`` returns it (the fields of
    docs/c-api.md#snapshot). Times are server unix milliseconds."""

    execution_id: str
    namespace: str
    lane: str
    kind: str
    priority: int
    partition: int
    public_state: str
    state: StateVector
    required_capabilities: Tuple[str, ...]
    #: the budgets it draws on: its own, then those inherited from its flow
    budgets: Tuple[str, ...]
    policy: Optional[Dict[str, Any]]
    tags: Dict[str, str]
    counters: Counters
    lease_epoch: int
    current_attempt: Optional[CurrentAttempt]
    lease: Optional[Lease]
    progress: Optional[Progress]
    timestamps: Timestamps
    failure: Optional[Failure]
    cancellation: Optional[Cancellation]
    attempts: Tuple[AttemptRecord, ...]
    payload_size: int
    has_result: bool
    raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def terminal(self) -> bool:
        """True when the execution has ended (completed, failed, ...)."""
        return self.public_state in TERMINAL_STATES

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Execution":
        st = d.get("state") or {}
        attempts = []
        for a in d.get("attempts") or []:
            attempts.append(AttemptRecord(**{k: a.get(k) for k in AttemptRecord.__dataclass_fields__}))
        counters = d.get("counters") or {}
        return cls(
            execution_id=d.get("execution_id", ""),
            namespace=d.get("namespace", ""),
            lane=d.get("lane", ""),
            kind=d.get("kind", ""),
            priority=int(d.get("priority") or 0),
            partition=int(d.get("partition") or 0),
            public_state=d.get("public_state", ""),
            state=StateVector(**{k: st.get(k, "") for k in StateVector.__dataclass_fields__}),
            required_capabilities=tuple(d.get("required_capabilities") or ()),
            budgets=tuple(d.get("budgets") or ()),
            policy=d.get("policy"),
            tags=dict(d.get("tags") or {}),
            counters=Counters(**{k: int(counters.get(k) or 0) for k in Counters.__dataclass_fields__}),
            lease_epoch=int(d.get("lease_epoch") or 0),
            current_attempt=_pick(CurrentAttempt, d.get("current_attempt")),
            lease=_pick(Lease, d.get("lease")),
            progress=_pick(Progress, d.get("progress")),
            timestamps=_pick(Timestamps, d.get("timestamps") or {}),
            failure=_pick(Failure, d.get("failure")),
            cancellation=_pick(Cancellation, d.get("cancellation")),
            attempts=tuple(attempts),
            payload_size=int(d.get("payload_size") or 0),
            has_result=bool(d.get("has_result")),
            raw=d,
        )


@dataclass(frozen=True)
class LaneCounts:
    """Executions of one lane per state index (``lane_counts``)."""

    lane: str
    waiting: int = 0
    delayed: int = 0
    active: int = 0
    suspended: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    expired: int = 0
    skipped: int = 0
    #: flow members waiting for their dependencies (never claimed)
    blocked: int = 0
    raw: Dict[str, int] = field(repr=False, compare=False, default_factory=dict)

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.raw.values()) if self.raw else (
            self.waiting + self.delayed + self.active + self.suspended + self.completed + self.failed
            + self.cancelled + self.expired + self.skipped + self.blocked)

    @classmethod
    def from_json(cls, lane: str, d: Dict[str, Any]) -> "LaneCounts":
        known = {k: int(d.get(k) or 0) for k in LANE_STATES}
        return cls(lane=lane, raw={k: int(v) for k, v in d.items()}, **known)


@dataclass(frozen=True)
class Page:
    """One page of a listing: the ids and the cursor of the next page
    (``"0"`` when the listing is complete)."""

    items: List[str]
    cursor: str

    @property
    def done(self) -> bool:
        return self.cursor in ("", "0")


# ------------------------------------------------ suspension and signals

#: Effect of a signal that resumed the suspended execution.
RESUME_EFFECT = "resume_condition_satisfied"


@dataclass(frozen=True)
class SignalResult:
    """What :meth:`flowfabric.Client.signal` did.

    Attributes:
        signal_id: id of the stored signal (for a duplicate: the first one's).
        effect: ``"resume_condition_satisfied"`` (this signal resumed the
            execution), ``"appended_to_waitpoint"`` (counted, condition not
            met yet), ``"buffered_for_pending_waitpoint"`` (the waitpoint is
            pending: evaluated when the execution suspends on it),
            ``"signal_ignored_matcher_failed"``, ... (lua/README.md). For a
            duplicate, the effect of the first delivery.
        duplicate: ``True`` when ``idempotency_key`` matched an earlier
            signal: nothing was done again.
    """

    signal_id: str
    effect: str
    duplicate: bool = False

    @property
    def resumed(self) -> bool:
        """True when this signal (or, for a duplicate, the first one)
        satisfied the resume condition."""
        return self.effect == RESUME_EFFECT


@dataclass(frozen=True)
class WaitpointInfo:
    """A waitpoint as its creator sees it, with its bearer token.

    ``token`` is the HMAC-signed secret a signal must carry: hand it (with
    ``execution_id`` and ``id``) to whoever may resume the execution (a
    person approving, a webhook). ``expires_at`` (unix ms) is set for
    pending waitpoints made by :meth:`flowfabric.Task.create_waitpoint`.
    Passing a WaitpointInfo to :meth:`flowfabric.Task.suspend` binds that
    pending waitpoint (its buffered signals are evaluated at once)."""

    id: str
    key: str
    token: str = field(repr=False, default="")
    expires_at: Optional[int] = None


@dataclass(frozen=True)
class Suspension:
    """Outcome of :meth:`flowfabric.Task.suspend`.

    Attributes:
        state: ``"suspended"`` (the lease was released and the task is
            over: the handler should return; its return value is ignored)
            or ``"already_satisfied"`` (signals buffered on pending
            waitpoints already met the condition: the task goes on and must
            still be finished; :meth:`flowfabric.Task.signals` tells which).
        waitpoints: the suspension's waitpoints, with their tokens.
        number: the suspension's sequence number within the execution
            (1, 2, ...).
    """

    state: str
    waitpoints: Tuple[WaitpointInfo, ...]
    number: int = 0

    @property
    def suspended(self) -> bool:
        """True when the execution now waits (the task is over)."""
        return self.state == "suspended"

    def waitpoint(self, key: str) -> WaitpointInfo:
        """The waitpoint with this key (``KeyError`` when there is none)."""
        for w in self.waitpoints:
            if w.key == key:
                return w
        raise KeyError(key)


@dataclass(frozen=True)
class Signal:
    """One signal, as a resumed task observes it
    (:meth:`flowfabric.Task.signals`).

    ``accepted_at`` is server unix milliseconds; ``payload`` the bytes the
    sender gave (:meth:`json` decodes them)."""

    id: str
    name: str
    source_type: str
    source: str
    accepted_at: int
    payload: bytes = b""

    def json(self) -> Any:
        """The payload decoded as JSON."""
        import json as _json
        return _json.loads(self.payload)


@dataclass(frozen=True)
class SuspendedExecution:
    """One entry of :meth:`flowfabric.Client.list_suspended`.

    ``suspended_at`` and ``timeout_at`` (``None``: no timeout) are server
    unix ms; ``reason`` the blocking reason (``"waiting_for_signal"``,
    ``"waiting_for_approval"``, ..., ``"paused_by_operator"`` after an
    ``escalate`` timeout)."""

    execution_id: str
    suspended_at: int
    reason: str
    timeout_at: Optional[int] = None


@dataclass(frozen=True)
class WaitpointRecord:
    """A waitpoint as operators see it (:meth:`flowfabric.Client.waitpoints`):
    sanitized, never the token. ``fingerprint`` is the first 16 hex digits
    of the token's MAC (enough to match a token you hold); ``state`` is
    ``"pending"``, ``"active"`` or ``"closed"``; ``expires_at`` (unix ms)
    is set for pending waitpoints; ``signal_names`` are the names its
    suspension's resume condition requires of it (empty: any signal)."""

    id: str
    key: str
    state: str
    kid: str
    fingerprint: str
    expires_at: Optional[int] = None
    signal_names: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviousKey:
    """A rotated-out signing key still accepted until ``expires_at`` (unix ms)."""

    kid: str
    expires_at: int


@dataclass(frozen=True)
class SigningKeys:
    """The waitpoint signing key store (:meth:`flowfabric.Client.secrets`):
    the current key id, the previous ones still in their grace period, and
    how many partitions disagree with the first about the current key (0
    unless a rotation was interrupted: rotate again to repair)."""

    current_kid: Optional[str]
    previous: Tuple[PreviousKey, ...] = ()
    partitions: int = 0
    partitions_disagreeing: int = 0
    raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "SigningKeys":
        prev = tuple(PreviousKey(str(p.get("kid", "")), int(p.get("expires_at") or 0))
                     for p in d.get("previous") or ())
        return cls(current_kid=d.get("current_kid"), previous=prev, partitions=int(d.get("partitions") or 0),
                   partitions_disagreeing=int(d.get("partitions_disagreeing") or 0), raw=d)


def opt_ms(text: str) -> Optional[int]:
    """"" -> None, digits -> int (server millisecond fields)."""
    return int(text) if text not in ("", None) else None


# ------------------------------------------------------------------- flows

#: How a group of edges into one member decides (``Client.set_group``).
FLOW_GROUP_POLICIES = ("all_of", "any_of", "quorum")
#: What happens to the still-running upstreams once an any_of/quorum group
#: is decided.
FLOW_ON_SATISFIED = ("cancel_remaining", "let_run")
#: How ``Client.cancel_flow`` treats the members (no default: it is required).
FLOW_CANCEL_POLICIES = ("cancel_all", "cancel_pending", "flow_only")
#: Which edges of a member ``Client.list_edges`` returns.
FLOW_EDGE_DIRECTIONS = ("out", "in")


def _int(v: Any) -> int:
    return int(v or 0)


def _opt_int(v: Any) -> Optional[int]:
    return None if v in (None, "") else int(v)


class FlowId(str):
    """The id returned by ``create_flow``: a ``str`` (``"{fp:N}:<uuid>"``)
    that also tells what the create did.

    Attributes:
        existed: ``True`` when the flow already existed (nothing changed).
        max_members / max_incoming: the stored limits.
    """

    existed: bool
    max_members: int
    max_incoming: int

    def __new__(cls, value: str, existed: bool = False, max_members: int = 0, max_incoming: int = 0) -> "FlowId":
        self = super().__new__(cls, value)
        self.existed = existed
        self.max_members = max_members
        self.max_incoming = max_incoming
        return self

    def __reduce__(self) -> Any:
        return (FlowId, (str(self), self.existed, self.max_members, self.max_incoming))


@dataclass(frozen=True)
class SubmittedFlow:
    """What ``submit_flow`` did: the flow id, the member ids in the order the
    members were given, and whether it was a repeat of an earlier submit of
    the same flow (nothing written then)."""

    flow_id: str
    member_ids: Tuple[str, ...]
    existed: bool = False


@dataclass(frozen=True)
class FlowEdge:
    """One dependency edge ``upstream -> downstream`` of a flow. ``state``:
    ``pending``, ``satisfied`` or ``impossible``. Times are server unix ms."""

    edge_id: str
    upstream: str
    downstream: str
    state: str
    data_passing: bool = False
    created_at: Optional[int] = None
    resolved_at: Optional[int] = None
    upstream_outcome: Optional[str] = None
    raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "FlowEdge":
        dp = d.get("data_passing")
        return cls(
            edge_id=d.get("edge_id", ""), upstream=d.get("upstream", ""), downstream=d.get("downstream", ""),
            state=d.get("state", ""), data_passing=dp in (True, 1, "1", "true"),
            created_at=_opt_int(d.get("created_at")), resolved_at=_opt_int(d.get("resolved_at")),
            upstream_outcome=d.get("upstream_outcome") or None, raw=d,
        )


@dataclass(frozen=True)
class FlowGroup:
    """The group of edges into one member: its policy, ``k`` of ``n``, how
    many upstreams succeeded / failed so far, and its state (``pending``,
    ``satisfied``, ``impossible``)."""

    downstream: str
    policy: str
    k: int
    n: int
    on_satisfied: str
    satisfied: int
    failed: int
    state: str

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "FlowGroup":
        return cls(downstream=d.get("downstream", ""), policy=d.get("policy", ""), k=_int(d.get("k")),
                   n=_int(d.get("n")), on_satisfied=d.get("on_satisfied") or "", satisfied=_int(d.get("satisfied")),
                   failed=_int(d.get("failed")), state=d.get("state", ""))


@dataclass(frozen=True)
class FlowCounts:
    """Members of a flow by how far they got (kept on write by the server)."""

    members: int = 0
    started: int = 0
    ended: int = 0
    not_ended: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    expired: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class FlowMember:
    """One member of a flow and its public state."""

    execution_id: str
    public_state: str


@dataclass(frozen=True)
class Flow:
    """Snapshot of a flow, as ``describe_flow`` returns it (the document of
    ``ff_flow_describe``; the whole of it stays in ``.raw``). ``state``:
    ``open``, ``running``, ``completed``, ``failed`` or ``cancelled``."""

    flow_id: str
    partition: int
    state: str
    revision: int
    created_at: Optional[int]
    lane: str
    max_members: int
    max_incoming_edges: int
    counts: FlowCounts
    edge_count: int
    members: Tuple[FlowMember, ...]
    edges: Tuple[FlowEdge, ...]
    groups: Tuple[FlowGroup, ...]
    raw: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    parent: Optional[str] = None
    settled_at: Optional[int] = None
    #: the budgets every member draws on (docs/budgets.md)
    budgets: Tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        """True once the state is final AND every member has ended."""
        return self.settled_at is not None

    @property
    def terminal(self) -> bool:
        """True once the flow is completed, failed or cancelled."""
        return self.state in ("completed", "failed", "cancelled")

    def member_state(self, execution_id: str) -> Optional[str]:
        """The public state of one member (``None``: not a member)."""
        for m in self.members:
            if m.execution_id == execution_id:
                return m.public_state
        return None

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Flow":
        limits = d.get("limits") or {}
        counts = d.get("counts") or {}
        return cls(
            flow_id=d.get("flow_id", ""), partition=_int(d.get("partition")), state=d.get("state", ""),
            revision=_int(d.get("revision")), created_at=_opt_int(d.get("created_at")), lane=d.get("lane", ""),
            max_members=_int(limits.get("max_members")), max_incoming_edges=_int(limits.get("max_incoming_edges")),
            counts=FlowCounts(**{k: _int(counts.get(k)) for k in FlowCounts.__dataclass_fields__}),
            edge_count=_int(d.get("edge_count")),
            members=tuple(FlowMember(m.get("execution_id", ""), m.get("public_state", ""))
                          for m in d.get("members") or ()),
            edges=tuple(FlowEdge.from_json(e) for e in d.get("edges") or ()),
            groups=tuple(FlowGroup.from_json(g) for g in d.get("groups") or ()),
            raw=d, parent=d.get("parent"), settled_at=_opt_int(d.get("settled_at")),
            budgets=tuple(d.get("budgets") or ()),
        )


@dataclass(frozen=True)
class FlowCancellation:
    """What ``cancel_flow`` did: the policy in force, whether this was a
    repeat on an already cancelled flow (nothing touched), and the members
    this call cancelled."""

    policy: str
    repeat: bool
    cancelled: Tuple[str, ...]
    #: with ``wait=True``: the members that had not ended when the timeout
    #: passed (running ones a cancel_pending / flow_only lets finish, or a
    #: worker still inside a cancelled member); empty when all ended.
    partially_cancelled: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildExecution:
    """One member of a child flow, as the parent reads it after
    ``wait_children`` (``Task.children``, ``Client.children``)."""

    flow_id: str
    execution_id: str
    state: str
    result: Optional[bytes] = None


@dataclass(frozen=True)
class FlowCompletion:
    """One entry of a partition's completion feed: a member ended
    (``kind == "member"``: ``outcome`` is success, failed, cancelled,
    expired or skipped) or a flow settled (``kind == "flow"``,
    ``execution_id == ""``: completed, failed or cancelled). ``id`` is the
    cursor to resume after it; ``missed_before``: entries between the
    previous cursor and this one were deleted by the retention."""

    id: str
    flow_id: str
    execution_id: str
    outcome: str
    kind: str
    missed_before: bool = False


@dataclass(frozen=True)
class CompletionPage:
    """One page of the completion feed: the entries, the cursor to pass
    next, and ``gap`` (entries after the given cursor were trimmed)."""

    entries: Tuple[FlowCompletion, ...]
    cursor: str
    gap: bool = False


#: Frame modes of an output stream (docs/streams.md).
FRAME_MODES = ("durable", "best_effort", "summary")
#: The close reason of an attempt past the last one of an ended execution:
#: ``follow`` ends when the next attempt reads closed with it.
EXECUTION_ENDED = "execution_ended"


@dataclass(frozen=True)
class StreamFrame:
    """One frame of an attempt's output stream. ``id`` is its entry id
    (``"ms-seq"``, the cursor after it), ``ts_ms`` the server time it was
    appended (unix ms), ``mode`` durable / best_effort / summary (a summary
    frame's payload is the merge patch it applied), ``correlation_id`` ""
    when none was given, ``attempt`` the attempt index whose stream it is."""

    id: str
    frame_type: str
    payload: bytes
    encoding: str
    source: str
    correlation_id: str
    ts_ms: int
    mode: str
    attempt: int

    def text(self) -> str:
        """The payload decoded as UTF-8 (undecodable bytes replaced)."""
        return self.payload.decode("utf-8", "replace")


@dataclass(frozen=True)
class StreamPage:
    """One read or tail of a stream: the frames, the ``cursor`` to pass as
    ``after`` next, whether the stream is ``closed`` (``closed_reason``:
    attempt_success, attempt_failure, lease_expired, execution_ended, ...;
    ``closed_at`` unix ms, 0 while open), and ``more``: the read scanned its
    whole ``count``, so more entries may follow the cursor."""

    frames: Tuple[StreamFrame, ...]
    cursor: str
    closed: bool
    closed_reason: str
    closed_at: int
    more: bool


@dataclass(frozen=True)
class StreamSummary:
    """The summary document of an attempt (the merge of its summary
    frames): ``document`` the parsed JSON (``None`` before the first
    summary frame), ``version`` the patches applied, ``created`` /
    ``updated`` unix ms (``None`` before the first)."""

    document: Any
    version: int
    created: Optional[int]
    updated: Optional[int]


@dataclass(frozen=True)
class FrameAppended:
    """What an append returns: the new entry's id, the frames ever appended
    to the stream, and the summary version after a summary frame (``None``
    otherwise)."""

    entry_id: str
    frame_count: int
    summary_version: Optional[int] = None


# ------------------------------------------------------------------- quotas
@dataclass(frozen=True)
class QuotaCreated:
    """What create_quota answered: ``created`` (False: the lane had this
    policy already and kept its stored limits), ``same`` (the stored limits
    equal the ones asked for) and the stored limits (0 = no limit)."""

    lane: str
    quota_id: str
    created: bool
    same: bool
    rate: int
    window_ms: int
    concurrency: int


@dataclass(frozen=True)
class QuotaGroup:
    """One group of a lane under a quota: leases held now, lease starts in
    the current window, executions parked (``rate_limited``) and the pause
    end (unix ms, 0 = not paused). The default group is ``""``."""

    group: str
    holders: int
    window_used: int
    parked: int
    paused_until: int


@dataclass(frozen=True)
class Quota:
    """A lane's quota policy and its groups (``quota_id`` is ``None`` when
    the lane has no policy; a paused group may still be listed)."""

    lane: str
    quota_id: Optional[str]
    rate: int
    window_ms: int
    concurrency: int
    groups: List[QuotaGroup]


# ------------------------------------------------------------------ budgets
#: Breach actions of a budget (docs/budgets.md).
BUDGET_ON_HARD = ("block", "cancel_pending", "notify")
BUDGET_ON_SOFT = ("notify", "block")


@dataclass(frozen=True)
class BudgetCreated:
    """What create_budget answered: ``created`` (False: the id existed and
    its stored definition was kept), ``matches`` (the stored definition
    equals the one asked for; always True when created) and the next
    periodic reset (unix ms, ``None`` = none)."""

    budget_id: str
    created: bool
    matches: bool
    next_reset_at: Optional[int]


@dataclass(frozen=True)
class UsageReport:
    """What report_usage answered: ``outcome`` ``"applied"``,
    ``"soft_breach"`` (applied; the first dimension above its soft limit),
    ``"hard_breach"`` (one delta would pass its hard limit: nothing was
    applied) or ``"already_applied"`` (the dedup key was seen); for a
    breach the dimension, its usage (hard: before; soft: after) and the
    limit."""

    outcome: str
    dimension: Optional[str] = None
    usage: Optional[int] = None
    limit: Optional[int] = None

    @property
    def breached(self) -> bool:
        return self.outcome in ("soft_breach", "hard_breach")


@dataclass(frozen=True)
class BudgetDimension:
    """One dimension of a budget: its limits (0 = none) and usage."""

    hard: int
    soft: int
    usage: int


@dataclass(frozen=True)
class Budget:
    """A budget as describe_budget reads it (times are unix ms, 0 = never)."""

    budget_id: str
    scope_type: str
    scope_id: str
    on_hard: str
    on_soft: str
    reset_interval_ms: int
    next_reset_at: int
    reset_count: int
    breaches: int
    soft_breaches: int
    last_breach_at: int
    last_breach_dim: str
    last_reset_at: int
    created_at: int
    executions: int
    dimensions: Dict[str, BudgetDimension]
