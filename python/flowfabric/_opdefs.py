"""Every client operation, defined ONCE.

Each public method of :class:`OpDefs` is one operation: its public signature,
its documentation, its argument checks, the C call (a generated start function
of ``_native``) and how its result is read, returned as an :class:`Op`.
``bindings/gen/gen_python_ops.py`` reads this file (with ``ast``) and writes
``_client_ops.py``, which exposes each one as ``Client.<name>`` (sync) and
``AsyncClient.<name>`` (a coroutine). A call made of several operations (``wait``
without a limit, the listing iterators, the ``*_json`` helpers) is defined once
too, as a *plan* on :class:`Compositions`: a generator that yields the
operations it needs and receives their values (or has their errors raised at
the ``yield``); the sync client runs each step blocking, the async client
awaits it (a yielded list runs concurrently there), so both follow exactly the
same logic. See ``_plan.py`` for the drivers.
"""

from __future__ import annotations

import json
import time
from typing import (
    Any, Callable, Dict, Generator, Generic, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union,
)

from . import _native as N
from . import errors as _errors
from ._args import INT32, INT64, UINT32, Duration, When, duration_ms, integer, real, unix_ms, utf8
from ._core import (
    BytesLike,
    json_bytes,
    _id,
    _Spec,
    check,
    Claim,
    ClaimOptions,
    as_bytes,
    fail_flags,
    x_bytes,
    x_claims,
    x_execution,
    x_flow,
    x_flow_cancellation,
    x_frame_appended,
    x_stream_page,
    x_stream_summary,
    FrameSpec,
    summary_patch,
    x_flow_created,
    x_flow_submitted,
    x_flow_edge,
    x_flow_edges,
    x_flow_page,
    x_usage_report,
    usage_args,
    x_parent_results,
    x_children,
    x_completion_page,
    x_int,
    x_items,
    x_json,
    x_none,
    x_page,
    x_reply,
    x_revocation,
    x_signal_result,
    x_submitted,
    x_suspended_page,
    x_text,
    x_waitpoint_records,
)
from ._ffi import ffi, lib, to_bytes_arg
from .flows import FlowNode
from .errors import InvalidArgument
from .types import (
    FLOW_CANCEL_POLICIES,
    FLOW_EDGE_DIRECTIONS,
    FLOW_GROUP_POLICIES,
    FLOW_ON_SATISFIED,
    LANE_STATES,
    ChildExecution,
    CompletionPage,
    Execution,
    ExecutionId,
    Flow,
    FlowCancellation,
    FlowCompletion,
    FlowEdge,
    FlowId,
    SubmittedFlow,
    LaneCounts,
    LeaseRevocation,
    Page,
    Retry,
    SignalResult,
    SigningKeys,
    StreamFrame,
    StreamPage,
    StreamSummary,
    FrameAppended,
    EXECUTION_ENDED,
    SuspendedExecution,
    WaitpointRecord,
    BUDGET_ON_HARD,
    BUDGET_ON_SOFT,
    Budget,
    BudgetCreated,
    BudgetDimension,
    UsageReport,
    Quota,
    QuotaCreated,
    QuotaGroup,
)

T = TypeVar("T")

#: Default grace of rotate_secret: tokens signed with the previous key keep
#: working this long (seconds).
DEFAULT_ROTATION_GRACE = 24 * 3600


class Op(Generic[T]):
    """One C operation ready to run: ``start(cb, ud, out)`` starts it (future
    mode: ``cb``/``ud`` NULL; callback mode: ``out`` NULL), ``extract(op)``
    reads a successful op's value, ``after_start()`` (optional) runs once the
    call returned, whatever it returned (the library has copied its
    arguments by then)."""

    __slots__ = ("start", "extract", "after_start")

    def __init__(self, start: Callable[[Any, Any, Any], int], extract: Callable[[Any], T],
                 after_start: Optional[Callable[[], None]] = None) -> None:
        self.start = start
        self.extract = extract
        self.after_start = after_start


class Emit(Generic[T]):
    """A value a listing plan hands to its caller (one item of the iterator)."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


#: A plan returning T: yields an Op (or a list of Ops, run concurrently where
#: the runner can) and receives its value.
Plan = Generator[Union[Op[Any], List[Op[Any]]], Any, T]
#: A listing plan: yields Ops as a Plan does, and Emit(item) for each item.
Steps = Generator[Union[Op[Any], List[Op[Any]], Emit[T]], Any, None]

# One ff_execution_wait lasts at most 30 days (its range); a wait without a
# timeout chains them.
WAIT_ROUND_MS = 30 * 86400 * 1000

#: How an execution may end other than completed: wait_ended returns these.
#: Public states of a member that has ended ("missing": deleted by retention).
ENDED_STATES = frozenset(("completed", "failed", "cancelled", "expired", "skipped", "missing"))
ENDED_OTHERWISE = (_errors.ExecutionFailed, _errors.ExecutionCancelled, _errors.ExecutionExpired,
                   _errors.ExecutionSkipped)


#: The longest block of one tail_stream (FF_STREAM_BLOCK_MAX_MS: a day).
STREAM_BLOCK_MAX_MS = 86400000


def _only_claim(claims: List[Claim]) -> Claim:
    """The one claim of a targeted claim (the library reports an error instead of none)."""
    if not claims:  # pragma: no cover
        raise _errors.make_error(int(lib.FF_EPROTO), "targeted claim returned no claim")
    return claims[0]


def _stream_flags(durable_only: bool) -> int:
    if not isinstance(durable_only, bool):
        raise TypeError(f"durable_only must be True or False, not {type(durable_only).__name__}")
    return int(lib.FF_STREAM_DURABLE_ONLY) if durable_only else 0


def _budget_spec(dimensions: Mapping[str, Union[int, Tuple[int, int]]], require: bool) -> Any:
    """An owned ff_budget_spec holding ``dimensions`` (name -> hard limit,
    or (hard, soft)); each is checked by the C setter before anything is
    sent."""
    if require and not dimensions:
        raise InvalidArgument("dimensions: at least one")
    out = ffi.new("ff_budget_spec **")
    check(lib.ff_budget_spec_new(out))
    spec = ffi.gc(out[0], lib.ff_budget_spec_free)
    for name, lim in dimensions.items():
        hard, soft = (lim, 0) if isinstance(lim, int) else lim
        check(lib.ff_budget_spec_add_dimension(spec, to_bytes_arg(name, "dimension"),
                                               integer(hard, f"{name} hard limit", 0, INT64[1]),
                                               integer(soft, f"{name} soft limit", 0, INT64[1])),
              f"dimension {name!r}")
    return spec


def _when_ms(seconds: Optional[Duration], until: Optional[When]) -> int:
    """Unix ms of "``seconds`` from now" or of ``until`` (exactly one)."""
    if (seconds is None) == (until is None):
        raise TypeError("give either seconds or until")
    if until is not None:
        return unix_ms(until, "until")
    return integer(int(time.time() * 1000) + duration_ms(seconds, "seconds"), "now + seconds (in ms)", *INT64)


def _flow_id(flow_id: str) -> bytes:
    if not isinstance(flow_id, str):
        raise TypeError(f"flow id must be str, not {type(flow_id).__name__}")
    return to_bytes_arg(flow_id, "flow id")


def _group_args(policy: str, k: Optional[int], on_satisfied: str) -> Tuple[int, Any]:
    """A group's (k, on_satisfied) as the C calls take them, after the checks."""
    if policy not in FLOW_GROUP_POLICIES:
        raise InvalidArgument(f"policy must be one of {', '.join(FLOW_GROUP_POLICIES)}; got {policy!r}")
    if on_satisfied not in FLOW_ON_SATISFIED:
        raise InvalidArgument(f"on_satisfied must be one of {', '.join(FLOW_ON_SATISFIED)}; got {on_satisfied!r}")
    if policy == "quorum":
        if k is None:
            raise InvalidArgument("policy quorum needs k (the number of successes)")
        kk = integer(k, "k", 1, 1000)
    elif policy == "any_of":
        kk = 0 if k is None else integer(k, "k", 1, 1)
    else:
        if k is not None:
            raise InvalidArgument("policy all_of takes no k")
        kk = 0
    return kk, (ffi.NULL if policy == "all_of" else on_satisfied.encode())


def _budget_ids(budgets: Iterable[str]) -> List[bytes]:
    """The budget ids of a submit or a flow, checked before anything is
    sent (a bare str would otherwise be taken one character at a time)."""
    if isinstance(budgets, (str, bytes)):
        raise TypeError("budgets must be a sequence of budget ids, not a str")
    return [utf8(b, "budget id") for b in budgets]


def _exec_spec(
    kind: str,
    payload: BytesLike = None,
    *,
    lane: str = "default",
    priority: int = 0,
    retry: Optional[Retry] = None,
    policy: Union[Mapping[str, Any], str, None] = None,
    delay: Optional[Duration] = None,
    delay_until: Optional[When] = None,
    deadline: Optional[When] = None,
    attempt_timeout: Optional[Duration] = None,
    capabilities: Iterable[str] = (),
    tags: Optional[Mapping[str, str]] = None,
    idempotency_key: Optional[str] = None,
    idempotency_ttl: Optional[Duration] = None,
    namespace: Optional[str] = None,
    max_reclaims: Optional[int] = None,
    max_replays: Optional[int] = None,
    execution_id: Optional[str] = None,
    flow: Optional[str] = None,
    budgets: Iterable[str] = (),
    group: Optional[str] = None,
) -> _Spec:
    """An owned ff_exec_spec from submit()'s arguments (documented there);
    every argument is checked before anything is sent."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be str, not {type(kind).__name__}")
    data = as_bytes(payload)
    spec = _Spec(kind)
    try:
        s = spec.ptr
        check(lib.ff_exec_spec_set_lane(s, to_bytes_arg(lane, "lane")), f"lane {lane!r}")
        if namespace is not None:
            check(lib.ff_exec_spec_set_namespace(s, to_bytes_arg(namespace, "namespace")), f"namespace {namespace!r}")
        if data:
            check(lib.ff_exec_spec_set_payload(s, data, len(data)), "payload")
        if priority:
            check(lib.ff_exec_spec_set_priority(s, integer(priority, "priority", *INT32)), "priority")
        if policy is not None:
            doc = policy if isinstance(policy, str) else json.dumps(policy)
            check(lib.ff_exec_spec_set_policy_json(s, to_bytes_arg(doc, "policy")), "policy")
        if retry is not None:
            if not isinstance(retry, Retry):
                raise TypeError(f"retry must be a flowfabric.Retry, not {type(retry).__name__}")
            cats = ",".join(retry.categories) if retry.categories else None
            check(lib.ff_exec_spec_set_retry(
                s, integer(retry.max_retries, "Retry.max_retries", *INT32), retry.backoff.encode(),
                integer(retry.initial_ms, "Retry.initial_ms", *INT64), integer(retry.max_ms, "Retry.max_ms", *INT64),
                real(retry.multiplier, "Retry.multiplier"), real(retry.jitter, "Retry.jitter"),
                to_bytes_arg(cats, "Retry.categories")), "retry")
            if retry.non_retryable:
                check(lib.ff_exec_spec_set_non_retryable(
                    s, to_bytes_arg(",".join(retry.non_retryable), "Retry.non_retryable")), "Retry.non_retryable")
        if delay is not None and delay_until is not None:
            raise InvalidArgument("give delay or delay_until, not both")
        if delay is not None:
            check(lib.ff_exec_spec_set_delay_ms(s, duration_ms(delay, "delay")), "delay")
        if delay_until is not None:
            check(lib.ff_exec_spec_set_delay_until_ms(s, unix_ms(delay_until, "delay_until")), "delay_until")
        if deadline is not None:
            check(lib.ff_exec_spec_set_deadline_ms(s, unix_ms(deadline, "deadline")), "deadline")
        if attempt_timeout is not None:
            check(lib.ff_exec_spec_set_attempt_timeout_ms(s, duration_ms(attempt_timeout, "attempt_timeout")),
                  "attempt_timeout")
        if isinstance(capabilities, str):
            raise TypeError("capabilities must be a sequence of strings, not a str")
        for cap in capabilities:
            check(lib.ff_exec_spec_add_capability(s, to_bytes_arg(cap, "capability")), f"capability {cap!r}")
        if tags:
            for k, v in tags.items():
                check(lib.ff_exec_spec_add_tag(s, to_bytes_arg(k, "tag key"), to_bytes_arg(v, "tag value")),
                      f"tag {k!r}")
        if idempotency_key is not None:
            ttl = duration_ms(idempotency_ttl, "idempotency_ttl") if idempotency_ttl is not None else 0
            check(lib.ff_exec_spec_set_idempotency_key(s, to_bytes_arg(idempotency_key, "idempotency_key"), ttl),
                  "idempotency_key")
        if max_reclaims is not None or max_replays is not None:
            check(lib.ff_exec_spec_set_limits(
                s, -1 if max_reclaims is None else integer(max_reclaims, "max_reclaims", 0, INT32[1]),
                -1 if max_replays is None else integer(max_replays, "max_replays", 0, INT32[1])), "limits")
        if execution_id is not None:
            check(lib.ff_exec_spec_set_execution_id(s, to_bytes_arg(execution_id, "execution_id")), "execution_id")
        if flow is not None:
            check(lib.ff_exec_spec_set_flow(s, _flow_id(flow)), f"flow {flow!r}")
        for b in _budget_ids(budgets):
            check(lib.ff_exec_spec_add_budget(s, b), f"budget {b.decode()!r}")
        if group is not None:
            check(lib.ff_exec_spec_set_group(s, utf8(group, "group")), f"group {group!r}")
    except BaseException:
        spec.close()
        raise
    return spec


class OpDefs:
    """The operations, bound to one live ff_client pointer."""

    __slots__ = ("c",)

    def __init__(self, cptr: Any) -> None:
        self.c = cptr

    # ------------------------------------------------------------- submit
    def submit(
        self,
        kind: str,
        payload: BytesLike = None,
        *,
        lane: str = "default",
        priority: int = 0,
        retry: Optional[Retry] = None,
        policy: Union[Mapping[str, Any], str, None] = None,
        delay: Optional[Duration] = None,
        delay_until: Optional[When] = None,
        deadline: Optional[When] = None,
        attempt_timeout: Optional[Duration] = None,
        capabilities: Iterable[str] = (),
        tags: Optional[Mapping[str, str]] = None,
        idempotency_key: Optional[str] = None,
        idempotency_ttl: Optional[Duration] = None,
        namespace: Optional[str] = None,
        max_reclaims: Optional[int] = None,
        max_replays: Optional[int] = None,
        execution_id: Optional[str] = None,
        flow: Optional[str] = None,
        budgets: Iterable[str] = (),
        group: Optional[str] = None,
    ) -> Op[ExecutionId]:
        """Submit one execution and return its id.

        Args:
            kind: what the work is (``"email.send"``); workers route on it.
            payload: opaque bytes (``str`` is encoded as UTF-8).
            lane: the queue (default ``"default"``).
            priority: higher runs first; the server clamps to 0..9000.
            retry: retry policy (:class:`Retry`).
            policy: a full policy document (dict or JSON text); ``retry``,
                when also given, replaces its ``retry_policy``.
            delay / delay_until: not claimable before now + ``delay``
                (seconds or timedelta, server clock), or before the absolute
                ``delay_until`` (datetime or unix seconds).
            deadline: absolute execution deadline (datetime or unix seconds).
            attempt_timeout: limit of one attempt (seconds or timedelta).
            capabilities: tokens a worker must have to claim it.
            tags: string key/value pairs stored with the execution.
            idempotency_key: a duplicate submit on the same lane within
                ``idempotency_ttl`` (default 24 h) returns the first id with
                ``duplicate=True``.
            namespace: owner label (default ``"default"``).
            max_reclaims / max_replays: caps (defaults 100 / 10).
            execution_id: use this id instead of minting one.
            flow: submit into this flow (:meth:`create_flow`): the id is
                minted on the flow's partition and the create joins the
                flow in the same atomic step. The lane must map to the
                flow's partition (the flow's own lane always does).
            budgets: ids of budgets it draws on (:meth:`create_budget`): one
                with ``on_hard="block"`` at its hard limit keeps it from
                being handed to workers (public state ``rate_limited``).
            group: its admission group (a tenant, a customer: 1..128
                bytes, no control bytes; ``""`` is the same as none); the lane's quota (:meth:`create_quota`) holds per
                group, and a group can be paused (:meth:`pause_group`).
                Without one it is in the lane's default group ``""``.

        Returns:
            :class:`ExecutionId`, a ``str`` with ``.public_state`` and
            ``.duplicate``.

        Raises:
            InvalidInput: a malformed argument (nothing was written).
            LimitExceeded: the payload is larger than ``max_payload_bytes``.
        """
        spec = _exec_spec(kind, payload, lane=lane, priority=priority, retry=retry, policy=policy, delay=delay,
                          delay_until=delay_until, deadline=deadline, attempt_timeout=attempt_timeout,
                          capabilities=capabilities, tags=tags, idempotency_key=idempotency_key,
                          idempotency_ttl=idempotency_ttl, namespace=namespace, max_reclaims=max_reclaims,
                          max_replays=max_replays, execution_id=execution_id, flow=flow, budgets=budgets,
                          group=group)
        # ff_execution_create copies the spec before it returns
        return Op(N.ff_execution_create(self.c, spec.ptr), x_submitted, spec.close)

    # -------------------------------------------------------------- reads
    def describe(self, execution_id: str) -> Op[Execution]:
        """Full snapshot of an execution (:class:`Execution`).

        Raises:
            NotFound (``ExecutionNotFound``): unknown id.
            InvalidInput: not an execution id.
        """
        return Op(N.ff_execution_describe(self.c, _id(execution_id)), x_execution)

    def state(self, execution_id: str) -> Op[str]:
        """The public state only (``"waiting"``, ``"completed"``, ...)."""
        return Op(N.ff_execution_describe(self.c, _id(execution_id)), x_text)

    def result(self, execution_id: str) -> Op[bytes]:
        """Result bytes of a finished execution (``b""`` when it ended
        without one).

        Raises:
            StateError (``ExecutionNotTerminal``): not finished yet.
            ExecutionFailed, ExecutionCancelled, ExecutionExpired,
            ExecutionSkipped: it ended without completing.
        """
        return Op(N.ff_execution_result(self.c, _id(execution_id)), x_bytes)

    def _wait_round(self, execution_id: str, timeout_ms: int) -> Op[bytes]:
        return Op(N.ff_execution_wait(self.c, _id(execution_id), timeout_ms), x_bytes)

    # ---------------------------------------------------------- operator
    def cancel(self, execution_id: str, reason: Optional[str] = None) -> Op[str]:
        """Operator cancel of a non-terminal execution → ``"cancelled"``.
        Repeating it on an execution this cancel ended succeeds."""
        return Op(N.ff_execution_cancel(self.c, _id(execution_id), to_bytes_arg(reason, "reason")), x_text)

    def replay(self, execution_id: str) -> Op[str]:
        """Put a terminal execution back to ``"waiting"``.

        Raises:
            StateError (``ExecutionNotTerminal``), LimitExceeded
            (``MaxReplaysExhausted``).
        """
        return Op(N.ff_execution_replay(self.c, _id(execution_id)), x_text)

    def change_priority(self, execution_id: str, priority: int) -> Op[int]:
        """Change the priority of a waiting/delayed execution; returns the
        old priority."""
        e, p = _id(execution_id), integer(priority, "priority", *INT32)
        return Op(N.ff_execution_change_priority(self.c, e, p), x_int)

    def revoke_lease(self, execution_id: str, expected_lease_id: Optional[str] = None,
                     reason: Optional[str] = None) -> Op[LeaseRevocation]:
        """Take the lease away from its holder → ``"revoked"``,
        ``"already_revoked"`` or ``"already_expired"``, as a
        :class:`LeaseRevocation` (a ``str``) whose ``lease_id`` and
        ``lease_epoch`` name the lease taken away. The execution becomes
        claimable again (as a reclaim); the holder's later writes fail with
        :class:`LeaseRevoked`."""
        e = _id(execution_id)
        lid, r = to_bytes_arg(expected_lease_id, "expected_lease_id"), to_bytes_arg(reason, "reason")
        return Op(N.ff_execution_revoke_lease(self.c, e, lid, r), x_revocation)

    def reclaim_grant(self, execution_id: str, worker_id: str, ttl: Duration = 30.0) -> Op[Tuple[str, int]]:
        """Grant the reclaim of an execution whose lease expired or was
        revoked to one worker for ``ttl`` (other workers skip it meanwhile).
        Returns ``(token, grant_expiry_ms)``; the worker passes the token to
        :meth:`claim_reclaim`.

        Raises:
            StateError (``ExecutionNotReclaimable``): the lease is intact.
            Conflict (``GrantAlreadyExists``): another grant is live.
        """
        e, w, ms = _id(execution_id), to_bytes_arg(worker_id, "worker_id"), duration_ms(ttl, "ttl")
        return Op(N.ff_execution_reclaim_grant(self.c, e, w, ms), lambda op: (x_text(op), x_int(op)))

    # ----------------------------------------------------------- listings
    def lanes(self) -> Op[List[str]]:
        """Every lane that has executions, sorted."""
        return Op(N.ff_lanes_list(self.c), x_items)

    def lane_counts(self, lane: str) -> Op[LaneCounts]:
        """Executions of one lane per state."""
        return Op(N.ff_lane_counts(self.c, to_bytes_arg(lane, "lane")),
                  lambda op: LaneCounts.from_json(lane, x_json(op) or {}))

    def list_lane_page(self, lane: str, state: str, cursor: str = "0", count: int = 100) -> Op[Page]:
        """One page of the ids of a lane in one state index."""
        if state not in LANE_STATES:
            raise InvalidArgument(f"state must be one of {', '.join(LANE_STATES)}; got {state!r}")
        ln, stb = to_bytes_arg(lane, "lane"), state.encode()
        cur, n = to_bytes_arg(cursor or "0", "cursor"), integer(count, "count", 1, UINT32[1])
        return Op(N.ff_execution_list_lane(self.c, ln, stb, cur, n), x_page)

    def list_partition_page(self, partition: int, cursor: str = "0", count: int = 100) -> Op[Page]:
        """One page of a partition scan (SSCAN semantics)."""
        p = integer(partition, "partition", *UINT32)
        cur, n = to_bytes_arg(cursor or "0", "cursor"), integer(count, "count", 1, UINT32[1])
        return Op(N.ff_execution_list(self.c, p, cur, n), x_page)

    # ---------------------------------------------------- signals / waitpoints
    def signal(self, execution_id: str, waitpoint_id: str, token: str, name: str, payload: BytesLike = b"", *,
               source_type: str = "user", source: str = "python", idempotency_key: Optional[str] = None
               ) -> Op[SignalResult]:
        """Deliver a signal to a waitpoint of a suspended (or about to
        suspend) execution -- what a web app does with an approval click or
        a webhook callback, in one line::

            client.signal(eid, wp_id, token, "approved", request_body)

        Args:
            execution_id, waitpoint_id, token: what the task handed out
                (``task.execution_id`` and a :class:`WaitpointInfo`'s ``id``
                and ``token``). The token is the authentication: it is
                checked before anything else.
            name: the signal name (1..256 bytes); conditions may match on it.
            payload: bytes (``str``: UTF-8, at most 1 MiB) the resumed task
                reads from :meth:`Task.signals`.
            source_type: kind of sender (``"user"``, ``"webhook"``,
                ``"system"``; 1..64 bytes).
            source: who sent it (1..256 bytes); ``distinct_sources``
                conditions count these.
            idempotency_key: a repeat with the same key (on this waitpoint,
                within 24 h) returns the first signal with
                ``duplicate=True`` and has no second effect -- use the
                callback's delivery id so retried webhooks are harmless.

        Returns:
            :class:`SignalResult` ``(signal_id, effect, duplicate)``;
            ``.resumed`` tells whether this signal resumed the execution.

        Raises:
            InvalidToken: wrong or foreign token (also for an unknown
                waitpoint: the answer does not reveal which).
            TokenExpired: the token's signing key was rotated out and its
                grace has passed.
            MissingToken: empty token.
            WaitpointClosed: the suspension already resumed, timed out or
                ended.
            TargetNotSignalable: the execution is finished.
            SignalLimitExceeded / PayloadTooLarge: limits.
        """
        e = _id(execution_id)
        w, t = to_bytes_arg(waitpoint_id, "waitpoint_id"), to_bytes_arg(token, "token")
        n, st = to_bytes_arg(name, "name"), to_bytes_arg(source_type, "source_type")
        src = to_bytes_arg(source, "source")
        idem = to_bytes_arg(idempotency_key, "idempotency_key")
        data = as_bytes(payload)
        return Op(N.ff_signal_deliver(self.c, e, w, t, n, st, src, data, len(data), idem), x_signal_result)

    def list_suspended_page(self, partition: int, cursor: str = "0", count: int = 100
                            ) -> Op[Tuple[List[SuspendedExecution], str]]:
        """One page of the suspended executions of a partition, oldest
        first: ``(entries, next_cursor)`` (``"0"`` when done)."""
        p = integer(partition, "partition", *UINT32)
        cur, n = to_bytes_arg(cursor or "0", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_execution_list_suspended(self.c, p, cur, n), x_suspended_page)

    def waitpoints(self, execution_id: str) -> Op[List[WaitpointRecord]]:
        """The waitpoints of an execution, oldest first, sanitized
        (:class:`WaitpointRecord`: id, key, state, kid, fingerprint,
        expires_at, signal_names -- never the token)."""
        return Op(N.ff_execution_waitpoints(self.c, _id(execution_id)), x_waitpoint_records)

    def waitpoint_token(self, execution_id: str, waitpoint_id: str) -> Op[str]:
        """Operator read of a waitpoint's raw token (e.g. to re-send an
        approval link). Treat it as a secret.

        Raises:
            WaitpointNotFound: no such waitpoint on this execution.
        """
        e, w = _id(execution_id), to_bytes_arg(waitpoint_id, "waitpoint_id")
        return Op(N.ff_waitpoint_token(self.c, e, w), x_text)

    def rotate_secret(self, kid: str, secret_hex: Optional[str] = None, *,
                      grace: Duration = DEFAULT_ROTATION_GRACE) -> Op[str]:
        """Rotate the waitpoint signing key on every partition.

        New tokens are signed with ``kid`` (1..20 of ``[A-Za-z0-9_.-]``)
        and ``secret_hex`` (32..1024 hex digits; ``None``: 32 random
        bytes); tokens signed with the previous key keep verifying for
        ``grace`` (seconds or timedelta, default 24 h), then fail with
        :class:`TokenExpired`. Returns ``"rotated"``, or ``"noop"`` when
        ``kid`` is already current with that secret (a retried rotation).

        Raises:
            RotationConflict: ``kid`` exists with another secret.
            InvalidKid / InvalidSecretHex: malformed arguments.
        """
        k, h = to_bytes_arg(kid, "kid"), to_bytes_arg(secret_hex, "secret_hex")
        return Op(N.ff_secret_rotate(self.c, k, h, duration_ms(grace, "grace")), x_text)

    def secrets(self) -> Op[SigningKeys]:
        """The signing key ids (never the secrets): current kid, previous
        kids still in grace with their expiry, partitions disagreeing."""
        return Op(N.ff_secret_list(self.c), lambda op: SigningKeys.from_json(x_json(op) or {}))

    # ------------------------------------------------------ lease (low level)
    def claim(self, lanes: Sequence[str] = ("default",), *, capabilities: Iterable[str] = (),
              lease_ttl: Duration = 30.0, batch: int = 1, worker_id: Optional[str] = None,
              instance_id: Optional[str] = None) -> Op[List[Claim]]:
        """Claim up to ``batch`` executions (low-level API; most programs use
        :class:`Worker`). Returns ``[]`` when nothing is claimable. The
        caller must renew leases that may outlive ``lease_ttl``."""
        o = ClaimOptions(lanes, capabilities, duration_ms(lease_ttl, "lease_ttl"), batch, worker_id, instance_id)
        # the start closure holds the (garbage-collected) options until the call has copied them
        return Op(N.ff_lease_claim(self.c, o.ptr), x_claims)

    def claim_reclaim(self, execution_id: str, token: str, *, worker_id: str, capabilities: Iterable[str] = (),
                      lease_ttl: Duration = 30.0, instance_id: Optional[str] = None) -> Op[Claim]:
        """Claim one execution with a reclaim token from
        :meth:`reclaim_grant` (``worker_id`` must be the granted one); the
        claim's attempt type is ``"reclaim"``."""
        o = ClaimOptions((), capabilities, duration_ms(lease_ttl, "lease_ttl"), 1, worker_id, instance_id)
        e, t = _id(execution_id), to_bytes_arg(token, "token")

        def extract(op: Any) -> Claim:
            claims = x_claims(op)
            if not claims:  # pragma: no cover - the library reports an error instead
                raise _errors.make_error(int(lib.FF_EPROTO), "reclaim returned no claim")
            return claims[0]
        return Op(N.ff_lease_claim_reclaim(self.c, e, t, o.ptr), extract)

    def claim_resumed(self, execution_id: str, *, worker_id: str, capabilities: Iterable[str] = (),
                      lease_ttl: Duration = 30.0, instance_id: Optional[str] = None) -> Op[Claim]:
        """Claim one named execution whose interrupted attempt may resume now
        (given back with :meth:`delay`, resumed by a signal, ...). The claim
        keeps the attempt's index and id, its epoch is the previous one + 1
        and its attempt type is ``"resumed"``. Nothing is written on an error.

        Raises:
            ExecutionNotFound: no such execution.
            ExecutionNotLeaseable: it is leased, suspended or terminal.
            NotAResumedExecution: it waits for a fresh, retry or replay attempt.
            ExecutionNotEligible: not eligible now (delayed, waiting for dependencies).
            CapabilityMismatch: ``capabilities`` lack one it requires.
            LanePaused: its lane is paused.
            BudgetExceeded: a budget it draws on is blocked.
            ConcurrencyLimitExceeded, RateLimitExceeded: the lane's quota refuses it.
        """
        o = ClaimOptions((), capabilities, duration_ms(lease_ttl, "lease_ttl"), 1, worker_id, instance_id)
        return Op(N.ff_lease_claim_resumed(self.c, _id(execution_id), o.ptr), lambda op: _only_claim(x_claims(op)))

    def grant_and_claim(self, execution_id: str, worker_id: str, *, capabilities: Iterable[str] = (),
                        lease_ttl: Duration = 30.0, instance_id: Optional[str] = None) -> Op[Claim]:
        """Operator: lease one named execution to ``worker_id`` now, whatever
        attempt that starts: ``"initial"``, ``"retry"``, ``"replay"``,
        ``"resumed"`` (an interrupted attempt) or ``"reclaim"`` (its lease
        expired or was revoked; counted against ``max_reclaims``). The
        worker's ``capabilities`` and the lane's admission apply as for any
        claim. Hand the returned claim to that worker.

        Raises:
            ExecutionNotFound: no such execution.
            ExecutionNotLeaseable: it is suspended or terminal.
            LeaseConflict: its lease is live.
            ExecutionNotEligible: not eligible now (delayed, waiting for dependencies).
            GrantAlreadyExists: a live reclaim grant names another worker.
            CapabilityMismatch: ``capabilities`` lack one it requires.
            LanePaused: its lane is paused.
            BudgetExceeded: a budget it draws on is blocked.
            ConcurrencyLimitExceeded, RateLimitExceeded: the lane's quota refuses it.
            MaxRetriesExhausted: the reclaim cap is reached (the execution is now failed).
        """
        o = ClaimOptions((), capabilities, duration_ms(lease_ttl, "lease_ttl"), 1, worker_id, instance_id)
        return Op(N.ff_lease_grant_and_claim(self.c, _id(execution_id), o.ptr),
                  lambda op: _only_claim(x_claims(op)))

    def renew(self, claim: Claim) -> Op[int]:
        """Extend the lease by its TTL; returns the new expiry (unix ms)."""
        return Op(N.ff_lease_renew(self.c, claim._p()), x_int)

    def progress(self, claim: Claim, percent: int, message: Optional[str] = None) -> Op[None]:
        """Report progress (0..100) under the lease."""
        pc, m = integer(percent, "percent", 0, 100), to_bytes_arg(message, "message")
        return Op(N.ff_lease_progress(self.c, claim._p(), pc, m), x_none)

    def complete(self, claim: Claim, result: BytesLike = None) -> Op[str]:
        """Complete with result bytes → ``"completed"``."""
        r = as_bytes(result, "result")
        return Op(N.ff_lease_complete(self.c, claim._p(), r, len(r)), x_text)

    def fail(self, claim: Claim, reason: str, category: str = "error", *, retry: bool = True) -> Op[Tuple[str, int]]:
        """Fail the attempt → ``("retry_scheduled", retry_at_ms)`` or
        ``("terminal_failed", 0)``, as the retry policy decides;
        ``retry=False`` ends the execution as failed whatever the policy says
        (retrying cannot help: bad input, a permanent refusal)."""
        r, cat = to_bytes_arg(reason, "reason"), to_bytes_arg(category, "category")
        flags = fail_flags(retry)
        return Op(N.ff_lease_fail_with(self.c, claim._p(), r, cat, flags), lambda op: (x_text(op), x_int(op)))

    def cancel_lease(self, claim: Claim, reason: Optional[str] = None) -> Op[str]:
        """Cancel by the lease holder → ``"cancelled"``."""
        return Op(N.ff_lease_cancel(self.c, claim._p(), to_bytes_arg(reason, "reason")), x_text)

    def delay(self, claim: Claim, until: When) -> Op[int]:
        """Release the lease and park the execution until ``until``
        (datetime or unix seconds); the next claim resumes the same attempt."""
        return Op(N.ff_lease_delay(self.c, claim._p(), unix_ms(until, "until")), x_int)

    def append_frame(self, claim: Claim, frame_type: str, payload: BytesLike = b"", *, mode: str = "durable",
                     encoding: Optional[str] = None, source: Optional[str] = None,
                     correlation_id: Optional[str] = None) -> Op[FrameAppended]:
        """Append a frame to the output stream of the attempt the claim
        holds (docs/streams.md). ``payload``: bytes (binary-safe) or str
        (UTF-8); ``mode``: ``"durable"``, ``"best_effort"`` (high-rate
        deltas, trimmed) or ``"summary"`` (the payload is a JSON merge patch
        of the attempt's summary document). Returns :class:`FrameAppended`
        (entry id, frames ever appended, the summary version after a summary
        frame).

        Raises:
            RetentionLimitExceeded: payload above the frame limit (64 KiB by
                default; nothing is sent), or a summary document above 1 MiB.
            InvalidFrameType: a frame type other than 1..64 of
                ``[A-Za-z0-9_.:-]`` (nothing is sent).
            StaleOwnerCannotAppend: the lease is gone.
            StreamClosed: the attempt ended.
            PatchDepthExceeded, InvalidInput: a bad summary patch.
        """
        f = FrameSpec(frame_type, payload, mode, encoding, source, correlation_id)
        return Op(N.ff_stream_append(self.c, claim._p(), f.ptr), x_frame_appended)

    # --------------------------------------------------------------- streams
    def read_stream(self, execution_id: str, attempt: int = 0, after: str = "", to: str = "", count: int = 100,
                    durable_only: bool = False) -> Op[StreamPage]:
        """One page of the output stream of attempt ``attempt`` (0-based) of
        an execution: frames after the exclusive cursor ``after`` (``""`` =
        from the start) up to ``to`` inclusive (``""`` = the end), scanning
        at most ``count`` entries (1..10000, never clamped).
        ``durable_only`` leaves best-effort frames out (a page may then hold
        fewer frames: continue from ``page.cursor`` while ``page.more``).
        A stream never written reads empty: open while its attempt may still
        write, else closed with the reason the execution's state gives.

        Raises:
            ExecutionNotFound: unknown execution.
            InvalidOffset: a malformed cursor.
            InvalidArgument: count outside 1..10000.
        """
        a = integer(attempt, "attempt", *UINT32)
        cur, end = to_bytes_arg(after or "", "after"), to_bytes_arg(to or "", "to")
        n, flags = integer(count, "count", 1, 10000), _stream_flags(durable_only)
        return Op(N.ff_stream_read(self.c, _id(execution_id), a, cur, end, n, flags),
                  lambda op: x_stream_page(op, a))

    def tail_stream(self, execution_id: str, attempt: int = 0, after: str = "", block_ms: int = 1000,
                    count: int = 100, durable_only: bool = False) -> Op[StreamPage]:
        """Wait for frames after the cursor ``after``: returns as soon as
        there is a frame or the stream is closed, or after ``block_ms``
        (0 = do not wait) with no frame. The wait runs on one of the
        client's dedicated connections; other calls go on meanwhile, and
        the call's deadline is the client timeout plus the block. An attempt
        that ended without writing any frame is seen closed when the block
        ends. Other arguments and errors as :meth:`read_stream`;
        :meth:`follow` wraps the loop."""
        a = integer(attempt, "attempt", *UINT32)
        cur, b = to_bytes_arg(after or "", "after"), integer(block_ms, "block_ms", 0, STREAM_BLOCK_MAX_MS)
        n, flags = integer(count, "count", 1, 10000), _stream_flags(durable_only)
        return Op(N.ff_stream_tail(self.c, _id(execution_id), a, cur, b, n, flags),
                  lambda op: x_stream_page(op, a))

    def stream_summary(self, execution_id: str, attempt: int = 0) -> Op[StreamSummary]:
        """The summary document of attempt ``attempt``: the merge of its
        summary frames (:class:`StreamSummary`: ``document`` parsed, or
        ``None`` before the first, ``version``, ``created``, ``updated``)."""
        a = integer(attempt, "attempt", *UINT32)
        return Op(N.ff_stream_summary(self.c, _id(execution_id), a), x_stream_summary)

    # -------------------------------------------------------------- budgets
    def create_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]], *,
                      on_hard: str = "notify", on_soft: str = "notify", reset_interval: Optional[Duration] = None,
                      scope: Tuple[str, Optional[str]] = ("global", None)) -> Op[BudgetCreated]:
        """Create a budget (docs/budgets.md): ``dimensions`` maps a name
        (``"tokens"``, ``"cost_microusd"``, ...) to its hard limit or to
        ``(hard, soft)`` (0 = no limit); ``on_hard``: ``"block"``,
        ``"cancel_pending"`` or ``"notify"``; ``on_soft``: ``"notify"`` or
        ``"block"``; ``reset_interval``: usage back to 0 every so often (the
        engine does it). Idempotent: an existing id keeps its stored
        definition (:class:`BudgetCreated` says whether yours matched);
        change limits with :meth:`update_budget`."""
        if on_hard not in BUDGET_ON_HARD:
            raise InvalidArgument(f"on_hard must be one of {', '.join(BUDGET_ON_HARD)}; got {on_hard!r}")
        if on_soft not in BUDGET_ON_SOFT:
            raise InvalidArgument(f"on_soft must be one of {', '.join(BUDGET_ON_SOFT)}; got {on_soft!r}")
        spec = _budget_spec(dimensions, require=True)
        check(lib.ff_budget_spec_set_actions(spec, on_hard.encode(), on_soft.encode()), "actions")
        if reset_interval is not None:
            check(lib.ff_budget_spec_set_reset_interval(spec, duration_ms(reset_interval, "reset_interval")),
                  "reset_interval")
        st, sid = scope
        check(lib.ff_budget_spec_set_scope(spec, to_bytes_arg(st, "scope type"), to_bytes_arg(sid, "scope id")),
              f"scope {scope!r}")

        def extract(op: Any) -> BudgetCreated:
            it = x_items(op)
            return BudgetCreated(budget_id, x_text(op) == "created", x_int(op) == 1,
                                 int(it[0]) if it and it[0] else None)
        return Op(N.ff_budget_create(self.c, to_bytes_arg(budget_id, "budget id"), spec), extract)

    def update_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]]) -> Op[int]:
        """Change the limits of the given dimensions (``(0, 0)`` removes a
        dimension's limits; the others keep theirs). Returns how many
        dimensions have a limit now. A raise that makes room returns
        blocked executions to the queue (through the engine)."""
        spec = _budget_spec(dimensions, require=True)
        return Op(N.ff_budget_update(self.c, to_bytes_arg(budget_id, "budget id"), spec), x_int)

    def report_usage(self, budget_id: str, usage: Mapping[str, int], *, claim: Optional[Claim] = None,
                     dedup_key: Optional[str] = None) -> Op[UsageReport]:
        """Report spend: ``usage`` maps dimension names to deltas (>= 0),
        applied all together or not at all. Checked first: a delta that
        would pass a hard limit applies nothing (``outcome`` =
        ``"hard_breach"``); otherwise all apply and the first dimension
        above its soft limit is a ``"soft_breach"``. A breach is an answer,
        not an exception. With ``claim`` the lease is checked first and the
        spend is recorded for the execution (:meth:`release_budget` gives it
        back); ``dedup_key``: a repeat within 24 h applies nothing
        (``"already_applied"``)."""
        keep, dims, deltas, n = usage_args(usage)
        cl = claim._p() if claim is not None else ffi.NULL

        def extract(op: Any) -> UsageReport:
            _ = keep  # the names live until the call copied them
            return x_usage_report(op)
        return Op(N.ff_budget_report_usage(self.c, cl, to_bytes_arg(budget_id, "budget id"), dims, deltas, n,
                                           to_bytes_arg(dedup_key, "dedup_key")), extract)

    def release_budget(self, budget_id: str, execution_id: str) -> Op[bool]:
        """Give back exactly what ``execution_id`` recorded in the budget
        (usage never below 0); True when something was given back, False
        for a repeat (idempotent)."""
        return Op(N.ff_budget_release(self.c, to_bytes_arg(budget_id, "budget id"), _id(execution_id)),
                  lambda op: x_text(op) == "released")

    def reset_budget(self, budget_id: str) -> Op[int]:
        """Reset now: every usage dimension to 0 (blocked executions return
        through the engine). Returns the number of resets so far."""
        return Op(N.ff_budget_reset(self.c, to_bytes_arg(budget_id, "budget id")), x_int)

    def describe_budget(self, budget_id: str) -> Op[Budget]:
        """A budget's limits, usage, counters and next reset (:class:`Budget`).

        Raises:
            BudgetNotFound: unknown id.
        """
        def extract(op: Any) -> Budget:
            d = x_json(op)
            dims = {k: BudgetDimension(int(v.get("hard", 0)), int(v.get("soft", 0)), int(v.get("usage", 0)))
                    for k, v in (d.get("dimensions") or {}).items()}
            return Budget(d["budget_id"], d.get("scope_type", ""), d.get("scope_id", "") or "", d.get("on_hard", ""),
                          d.get("on_soft", ""), int(d.get("reset_interval_ms", 0)), int(d.get("next_reset_at", 0)),
                          int(d.get("reset_count", 0)), int(d.get("breaches", 0)), int(d.get("soft_breaches", 0)),
                          int(d.get("last_breach_at", 0)), d.get("last_breach_dim", "") or "",
                          int(d.get("last_reset_at", 0)), int(d.get("created_at", 0)), int(d.get("executions", 0)),
                          dims)
        return Op(N.ff_budget_describe(self.c, to_bytes_arg(budget_id, "budget id")), extract)

    def list_budgets_page(self, partition: int, cursor: str = "", count: int = 100) -> Op[Page]:
        """One page of the budget ids of budget partition ``partition``, in
        byte order after the exclusive ``cursor``."""
        p = integer(partition, "partition", *UINT32)
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_budget_list(self.c, p, cur, n), x_flow_page)

    # --------------------------------------------------------------- quotas
    def create_quota(self, lane: str, quota_id: str, *, rate: Optional[int] = None,
                     window: Optional[Duration] = None, concurrency: Optional[int] = None) -> Op[QuotaCreated]:
        """Give ``lane`` its quota policy (docs/admission.md), holding per
        group: at most ``rate`` lease starts per sliding ``window`` (seconds
        or timedelta) and at most ``concurrency`` leases at once. Give a
        rate with its window, a concurrency, or both. Work that may not
        start waits in public state ``rate_limited`` and returns by itself.
        Idempotent: a repeat keeps the stored limits
        (:class:`QuotaCreated` says whether yours matched).

        Raises:
            InvalidQuotaSpec: limits the server refuses.
            QuotaAttachConflict: the lane has another policy id.
        """
        if (rate is None) != (window is None):
            raise InvalidArgument("give rate and window together")
        if rate is None and concurrency is None:
            raise InvalidArgument("give rate and window, concurrency, or both")
        r = 0 if rate is None else integer(rate, "rate", 1, INT64[1])
        w = 0 if window is None else duration_ms(window, "window")
        cc = 0 if concurrency is None else integer(concurrency, "concurrency", 1, INT64[1])

        def extract(op: Any) -> QuotaCreated:
            d = x_json(op)
            return QuotaCreated(lane, quota_id, d.get("outcome") == "created", bool(d.get("same")),
                                int(d.get("rate") or 0), int(d.get("window_ms") or 0), int(d.get("concurrency") or 0))
        return Op(N.ff_quota_create(self.c, to_bytes_arg(lane, "lane"), to_bytes_arg(quota_id, "quota id"), r, w, cc),
                  extract)

    def describe_quota_page(self, lane: str, cursor: str = "", count: int = 100) -> Op[Tuple[Quota, str]]:
        """A lane's quota policy with one page of its groups (in byte order
        after the exclusive ``cursor``) and the cursor of the next page
        (``""`` when done). :meth:`describe_quota` reads them all."""
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)

        def extract(op: Any) -> Tuple[Quota, str]:
            d = x_json(op)
            groups = [QuotaGroup(g.get("group", ""), int(g.get("holders") or 0), int(g.get("window_used") or 0),
                                 int(g.get("parked") or 0), int(g.get("paused_until") or 0))
                      for g in d.get("groups") or []]
            return (Quota(d.get("lane", lane), d.get("quota_id"), int(d.get("rate") or 0),
                          int(d.get("window_ms") or 0), int(d.get("concurrency") or 0), groups),
                    d.get("next_cursor") or "")
        return Op(N.ff_quota_describe(self.c, to_bytes_arg(lane, "lane"), cur, n), extract)

    def list_quotas_page(self, cursor: str = "", count: int = 100) -> Op[Page]:
        """One page of the lanes that have a quota policy, in byte order
        after the exclusive ``cursor``."""
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)

        def extract(op: Any) -> Page:
            d = x_json(op)
            return Page([str(x) for x in d.get("lanes") or []], d.get("next_cursor") or "")
        return Op(N.ff_quota_list(self.c, cur, n), extract)

    def pause_group(self, lane: str, group: str, seconds: Optional[Duration] = None, *,
                    until: Optional[When] = None) -> Op[int]:
        """Pause ``group`` (``""`` = the default group) of ``lane`` for
        ``seconds`` (or until ``until``; computed on this machine's clock):
        its work is parked, not failed, and starts again then (a longer
        pause already set is kept). Returns the pause end now stored (unix
        ms)."""
        when = _when_ms(seconds, until)
        return Op(N.ff_group_pause(self.c, to_bytes_arg(lane, "lane"), to_bytes_arg(group, "group"), when), x_int)

    def resume_group(self, lane: str, group: str) -> Op[bool]:
        """End ``group``'s pause now; its parked work returns as the policy
        allows. True when the group was paused."""
        return Op(N.ff_group_resume(self.c, to_bytes_arg(lane, "lane"), to_bytes_arg(group, "group")),
                  lambda op: x_int(op) == 1)

    # ---------------------------------------------------------------- lanes
    def create_lane(self, lane: str) -> Op[bool]:
        """Configure ``lane`` (idempotent): it is listed by
        :meth:`list_lanes` before any execution uses it, and stays listed
        after retention removed its executions. True when it was not
        configured before."""
        return Op(N.ff_lane_create(self.c, to_bytes_arg(lane, "lane")), lambda op: x_int(op) == 1)

    def pause_lane(self, lane: str, reason: str = "") -> Op[bool]:
        """Pause ``lane`` as an operator (docs/admission.md "Lanes"): no
        claim leases its work until :meth:`resume_lane` -- workers get
        nothing from it, targeted claims raise ``StateError``
        (``LanePaused``) -- while its executions keep their place (public
        state ``waiting``; ``describe`` shows ``blocked_by_operator`` /
        ``paused_by_operator``). A paused lane keeps its first pause time
        and reason. True when this call paused it."""
        return Op(N.ff_lane_pause(self.c, to_bytes_arg(lane, "lane"), to_bytes_arg(reason or "", "reason")),
                  lambda op: x_int(op) == 1)

    def resume_lane(self, lane: str) -> Op[bool]:
        """Resume a paused lane; its idle workers are woken at once. True
        when it was paused."""
        return Op(N.ff_lane_resume(self.c, to_bytes_arg(lane, "lane")), lambda op: x_int(op) == 1)

    def list_lanes_page(self, cursor: str = "", count: int = 100) -> Op[Dict[str, Any]]:
        """One page of the lanes (configured or in use) in byte order after
        the exclusive ``cursor``: ``{"lanes": [{"lane", "configured",
        "configured_at", "paused", "paused_at", "reason"}, ...],
        "next_cursor"}`` (``None`` when done; times are unix ms or
        ``None``)."""
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_lanes_page(self.c, cur, n), lambda op: x_json(op) or {"lanes": [], "next_cursor": None})

    # ---------------------------------------------------------------- workers
    def list_workers_page(self, lane: Optional[str] = None, cursor: str = "",
                          count: int = 100) -> Op[Dict[str, Any]]:
        """One page of the live registered workers in id order after the
        exclusive ``cursor`` (only those of ``lane`` when given):
        ``{"workers": [{"worker_id", "instance_id", "lanes", "capabilities",
        "concurrency", "ttl_ms", "registered_at", "last_heartbeat",
        "expires_at", "leases"}, ...], "next_cursor"}`` (``None`` when done;
        a page may be short while more follow). ``leases`` is exact: the
        leases the worker holds now."""
        ln = to_bytes_arg(lane, "lane") if lane else ffi.NULL
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_workers_list(self.c, ln, cur, n), lambda op: x_json(op) or {"workers": [], "next_cursor": None})

    def register_worker(self, worker_id: str, lanes: Sequence[str], *, instance_id: Optional[str] = None,
                        capabilities: Sequence[str] = (), concurrency: int = 1,
                        ttl: Duration = 30.0) -> Op[int]:
        """Register (or refresh: call it again every ``ttl``/3 as the
        heartbeat) a worker in the registry capability routing consults;
        an entry not refreshed within ``ttl`` (seconds or a timedelta,
        1 s .. 1 day) expires. Route-blocked work of its lanes that it can
        run is eligible again in this call (at most 500 per partition).
        Returns the number of executions returned to eligible."""
        keep = [ffi.new("char[]", to_bytes_arg(x, "lane")) for x in lanes]
        keep_caps = [ffi.new("char[]", to_bytes_arg(x, "capability")) for x in capabilities]
        la = ffi.new("const char *[]", keep) if keep else ffi.NULL
        ca = ffi.new("const char *[]", keep_caps) if keep_caps else ffi.NULL
        iid = to_bytes_arg(instance_id or worker_id, "instance id")
        conc = integer(concurrency, "concurrency", 0, 1000000)

        reg = N.ff_worker_register(self.c, to_bytes_arg(worker_id, "worker id"), iid, la, len(keep), ca,
                                   len(keep_caps), conc, duration_ms(ttl, "ttl"))

        def start(cb: Any, ud: Any, out: Any, _held: Any = (keep, keep_caps)) -> int:
            # (_held: the strings live until the call has copied them)
            return reg(cb, ud, out)
        return Op(start, x_int)

    def mark_worker_dead(self, worker_id: str) -> Op[bool]:
        """Remove a worker from the registry now: it no longer counts as a
        capable worker for capability routing. Its leases are not revoked
        (they end by completion or expiry). True when it was registered,
        False otherwise (idempotent)."""
        return Op(N.ff_worker_mark_dead(self.c, to_bytes_arg(worker_id, "worker id")), lambda op: x_int(op) == 1)

    # ---------------------------------------------------------------- misc
    # ---------------------------------------------------------------- flows
    def create_flow(self, flow_id: Optional[str] = None, *, lane: Optional[str] = None,
                    max_members: Optional[int] = None, max_incoming: Optional[int] = None,
                    budgets: Iterable[str] = ()) -> Op[FlowId]:
        """Create a flow (a DAG of executions, docs/flows.md) and return its id.

        Args:
            flow_id: ``None`` mints a fresh ``"{fp:N}:<uuid>"`` id on a
                partition of ``lane``; a given id is used as is.
            lane: the flow's lane (default ``"default"``); members submitted
                into the flow must use a lane mapping to its partition.
            max_members: at most this many members (1..10000, default 1000).
            max_incoming: at most this many edges into one member (1..1000,
                default 100).
            budgets: ids of budgets (:meth:`create_budget`, at most 16)
                every member of the flow draws on besides its own: a member
                that joins gets them merged into its ``budgets``.

        Idempotent: creating an existing id changes nothing (its stored
        limits and budgets are kept).

        Returns:
            :class:`FlowId`, a ``str`` with ``.existed`` and the stored limits.
        """
        fid = ffi.NULL if flow_id is None else _flow_id(flow_id)
        mm = 0 if max_members is None else integer(max_members, "max_members", 1, 10000)
        mi = 0 if max_incoming is None else integer(max_incoming, "max_incoming", 1, 1000)
        ln, ids = to_bytes_arg(lane, "lane"), _budget_ids(budgets)
        if not ids:
            return Op(N.ff_flow_create(self.c, fid, ln, mm, mi), x_flow_created)
        keep = [ffi.new("char[]", b) for b in ids]
        arr = ffi.new("const char *[]", keep)

        def extract(op: Any) -> FlowId:
            _ = keep  # the ids live until the call copied them
            return x_flow_created(op)
        return Op(N.ff_flow_create_with_budgets(self.c, fid, ln, mm, mi, arr, len(keep)), extract)

    def submit_flow(self, members: Sequence[Mapping[str, Any]], edges: Sequence[Sequence[Any]] = (), *,
                    groups: Optional[Mapping[int, Mapping[str, Any]]] = None, flow_id: Optional[str] = None,
                    lane: Optional[str] = None, max_members: Optional[int] = None,
                    max_incoming: Optional[int] = None, parent: Optional[str] = None,
                    budgets: Iterable[str] = ()) -> Op[SubmittedFlow]:
        """Create a flow with all its members, groups and edges in ONE atomic
        call: a member with an incoming edge is blocked from its birth, so no
        worker can take it before its upstreams end (docs/flows.md,
        "submit_flow").

        Args:
            members: one mapping per member: ``kind`` (required), ``payload``
                and any keyword of :meth:`submit` except ``flow`` and
                ``idempotency_key`` (the flow id is the key of the whole
                submit); ``lane`` defaults to the flow's lane.
            edges: ``(up, down)`` or ``(up, down, pass_data)``, indices into
                ``members``; ``pass_data`` lets the downstream read the
                upstream's result (:meth:`parent_results`).
            groups: ``{down: {"policy": ..., "k": ..., "on_satisfied": ...}}``
                for members whose incoming edges are not all_of (see
                :meth:`set_group`).
            flow_id / lane / max_members / max_incoming / budgets: as for
                :meth:`create_flow` (every member draws on the flow's
                budgets besides the ones it names itself).
            parent: a RUNNING execution whose child flow this is (minted on
                its partition; the parent then waits for it with
                ``Task.wait_children``; a worker spawns with
                ``Task.spawn_children``, which sets this and the lane).

        At most 500 members and 2000 edges per call. Idempotent by flow id:
        the same body again writes nothing and returns the same ids
        (``existed=True``); another body for an existing flow is refused.

        Returns:
            :class:`SubmittedFlow` (flow id, member ids in the order given).

        Raises:
            InvalidArgument: a malformed member, edge or group (nothing sent).
            CycleDetected, SelfReferencingEdge, DependencyAlreadyExists,
            InvalidFlowPolicy, FlowLimitExceeded, FlowSubmitConflict.
        """
        fid = ffi.NULL if flow_id is None else _flow_id(flow_id)
        mm = 0 if max_members is None else integer(max_members, "max_members", 1, 10000)
        mi = 0 if max_incoming is None else integer(max_incoming, "max_incoming", 1, 1000)
        if isinstance(members, Mapping) or not members:
            raise InvalidArgument("members: a non-empty sequence of mappings (kind, payload, submit options)")
        ids = _budget_ids(budgets)
        out = ffi.new("ff_flow_spec **")
        check(lib.ff_flow_spec_new(out, fid, to_bytes_arg(lane, "lane"), mm, mi), "flow spec")
        fs = out[0]
        try:
            if parent is not None:
                check(lib.ff_flow_spec_set_parent(fs, _id(parent)), "parent")
            for b in ids:
                check(lib.ff_flow_spec_add_budget(fs, b), f"budget {b.decode()!r}")
            for i, m in enumerate(members):
                if not isinstance(m, Mapping) or "kind" not in m:
                    raise InvalidArgument(f"members[{i}]: a mapping with a 'kind'")
                opts = dict(m)
                for banned in ("flow", "idempotency_key", "idempotency_ttl"):
                    if banned in opts:
                        raise InvalidArgument(f"members[{i}]: {banned!r} is not allowed in submit_flow")
                if lane is not None:
                    opts.setdefault("lane", lane)
                spec = _exec_spec(opts.pop("kind"), opts.pop("payload", None), **opts)
                try:
                    check(lib.ff_flow_spec_add_member(fs, spec.ptr, ffi.NULL), f"members[{i}]")
                finally:
                    spec.close()
            n = len(members)
            for j, e in enumerate(edges):
                if isinstance(e, (str, bytes)) or len(e) not in (2, 3):
                    raise InvalidArgument(f"edges[{j}]: (up, down) or (up, down, pass_data)")
                up = integer(e[0], f"edges[{j}] up", 0, n - 1)
                down = integer(e[1], f"edges[{j}] down", 0, n - 1)
                flags = lib.FF_FLOW_EDGE_DATA if len(e) == 3 and e[2] else 0
                check(lib.ff_flow_spec_add_edge(fs, up, down, flags), f"edges[{j}]")
            for d, g in (groups or {}).items():
                down = integer(d, "groups key", 0, n - 1)
                policy = g.get("policy", "all_of")
                kk, os_ = _group_args(policy, g.get("k"), g.get("on_satisfied", "cancel_remaining"))
                check(lib.ff_flow_spec_set_group(fs, down, policy.encode(), kk, os_), f"groups[{d}]")
        except BaseException:
            lib.ff_flow_spec_free(fs)
            raise
        # ff_flow_submit copies the spec before it returns
        return Op(N.ff_flow_submit(self.c, fs), x_flow_submitted, lambda: lib.ff_flow_spec_free(fs))

    def add_to_flow(self, flow_id: str, execution_id: str) -> Op[str]:
        """Add an existing execution to a flow, atomically (a refusal writes
        nothing) -> ``"added"`` or ``"already_member"``.

        Raises:
            PartitionMismatch: the execution is on another partition.
            FlowNotFound, ExecutionNotFound, ExecutionAlreadyInFlow,
            FlowAlreadyTerminal, FlowLimitExceeded.
        """
        return Op(N.ff_flow_add_member(self.c, _flow_id(flow_id), _id(execution_id)), x_text)

    def set_group(self, flow_id: str, downstream: str, policy: str = "all_of", k: Optional[int] = None,
                  on_satisfied: str = "cancel_remaining") -> Op[str]:
        """Set how the edges INTO ``downstream`` decide, before any edge into
        it is staged -> ``"set"`` or ``"already_set"``.

        Args:
            policy: ``"all_of"`` (every upstream must succeed; the default
                without a call), ``"any_of"`` (one success) or ``"quorum"``
                (``k`` successes).
            k: the quorum (required for ``"quorum"``, >= 1); ``"any_of"``
                takes ``None`` or 1, ``"all_of"`` ``None``.
            on_satisfied: for any_of/quorum, once the group is decided:
                ``"cancel_remaining"`` cancels the upstreams still running,
                ``"let_run"`` leaves them.

        Raises:
            InvalidArgument: an unknown policy or on_satisfied, a bad ``k``
                (nothing sent).
            EdgeGroupPolicyFixed: an edge into ``downstream`` is staged already.
        """
        kk, os_ = _group_args(policy, k, on_satisfied)
        fid, d = _flow_id(flow_id), _id(downstream)
        return Op(N.ff_flow_set_group(self.c, fid, d, policy.encode(), kk, os_), x_text)

    def add_edge(self, flow_id: str, upstream: str, downstream: str, *, expected_revision: Optional[int] = None,
                 pass_data: bool = False) -> Op[FlowEdge]:
        """Stage the edge ``upstream -> downstream``: the downstream waits
        (never claimed) until its group is decided. An upstream that already
        ended resolves the edge in the same call.

        Args:
            expected_revision: refuse unless the flow's graph revision is
                this one (optimistic concurrency); ``None`` does not check.
            pass_data: the downstream may read the upstream's result
                (:meth:`parent_results`).

        Returns:
            :class:`FlowEdge` (``edge_id``, ``state`` pending / satisfied /
            impossible). The new graph revision: :meth:`describe_flow`.

        Raises:
            StaleGraphRevision, SelfReferencingEdge, CycleDetected,
            ExecutionNotInFlow, DependencyAlreadyExists, DownstreamReleased
            (the downstream started, or its group was decided),
            FlowLimitExceeded, FlowAlreadyTerminal. A refusal writes nothing.
        """
        if not isinstance(pass_data, bool):
            raise TypeError(f"pass_data must be True or False, not {type(pass_data).__name__}")
        rev = -1 if expected_revision is None else integer(expected_revision, "expected_revision", 0, INT64[1])
        fid, up, down = _flow_id(flow_id), _id(upstream), _id(downstream)
        flags = int(lib.FF_FLOW_EDGE_DATA) if pass_data else 0

        def extract(op: Any) -> FlowEdge:
            it = x_items(op)
            return FlowEdge(x_text(op), str(upstream), str(downstream), it[0] if it else "", pass_data)
        return Op(N.ff_flow_add_edge(self.c, fid, up, down, rev, flags), extract)

    def describe_flow(self, flow_id: str) -> Op[Flow]:
        """Snapshot of a flow (:class:`Flow`: state, revision, limits, counts,
        members, edges, groups).

        Raises:
            FlowNotFound: unknown id.
        """
        return Op(N.ff_flow_describe(self.c, _flow_id(flow_id)), x_flow)

    def list_flows_page(self, partition: int, cursor: str = "", count: int = 100) -> Op[Page]:
        """One page of the flow ids of a partition, in byte order after the
        exclusive ``cursor`` (``""`` = from the start)."""
        p = integer(partition, "partition", *UINT32)
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_flow_list(self.c, p, cur, n), x_flow_page)

    def list_edges(self, flow_id: str, execution_id: str, direction: str = "out") -> Op[List[FlowEdge]]:
        """The edges out of (``"out"``) or into (``"in"``) one member, by
        edge id (:class:`FlowEdge` with id, upstream, downstream, state)."""
        if direction not in FLOW_EDGE_DIRECTIONS:
            raise InvalidArgument(f"direction must be 'out' or 'in'; got {direction!r}")
        fid, e = _flow_id(flow_id), _id(execution_id)
        return Op(N.ff_flow_list_edges(self.c, fid, e, direction.encode()), x_flow_edges)

    def describe_edge(self, flow_id: str, edge_id: str) -> Op[FlowEdge]:
        """One edge, in full (:class:`FlowEdge`).

        Raises:
            EdgeNotFound, FlowNotFound.
        """
        return Op(N.ff_flow_describe_edge(self.c, _flow_id(flow_id), to_bytes_arg(edge_id, "edge_id")), x_flow_edge)

    def flow_of(self, execution_id: str) -> Op[Optional[str]]:
        """The id of the flow an execution belongs to, ``None`` when it is in
        no flow.

        Raises:
            ExecutionNotFound.
        """
        return Op(N.ff_execution_flow_id(self.c, _id(execution_id)), lambda op: x_text(op) or None)

    def parent_results(self, execution_id: str) -> Op[Dict[str, Optional[bytes]]]:
        """The upstream members of an execution -> the result bytes their
        edges carry (``None`` for an edge staged without ``pass_data`` or
        whose upstream did not complete). ``{}`` for an execution in no flow."""
        return Op(N.ff_execution_parent_results(self.c, _id(execution_id)), x_parent_results)

    def _cancel_flow(self, flow_id: str, policy: str, reason: Optional[str]) -> Op[FlowCancellation]:
        if policy not in FLOW_CANCEL_POLICIES:
            raise InvalidArgument(f"policy must be one of {', '.join(FLOW_CANCEL_POLICIES)}; got {policy!r}")
        fid, r = _flow_id(flow_id), to_bytes_arg(reason, "reason")
        return Op(N.ff_flow_cancel(self.c, fid, policy.encode(), r), x_flow_cancellation)

    def _flow_wait_round(self, flow_id: str, timeout_ms: int) -> Op[Flow]:
        return Op(N.ff_flow_wait(self.c, _flow_id(flow_id), timeout_ms), x_flow)

    def _feed_wait_round(self, partition: int, cursor: str, count: int, timeout_ms: int) -> Op[CompletionPage]:
        return Op(N.ff_flow_feed_wait(self.c, partition, cursor.encode(), count, timeout_ms), x_completion_page)

    def children(self, execution_id: str) -> Op[List[ChildExecution]]:
        """The members of every child flow an execution spawned, with their
        states and results (:class:`ChildExecution`; ``result`` is ``None``
        unless the child completed). ``[]`` without children.

        Raises:
            ExecutionNotFound.
        """
        return Op(N.ff_execution_children(self.c, _id(execution_id)), x_children)

    def read_completions(self, partition: int, cursor: Optional[str] = "", count: int = 100) -> Op[CompletionPage]:
        """One page of a partition's completion feed after the exclusive
        ``cursor`` (``""`` = the oldest entry kept, ``"$"`` = an empty page
        whose cursor is the newest entry): every ending of a flow member and
        every flow settling, in order (:class:`CompletionPage`). Store the
        page's ``cursor`` to resume after a restart; ``gap`` says entries
        after your cursor were deleted by the retention."""
        p = integer(partition, "partition", *UINT32)
        cur, n = to_bytes_arg(cursor or "", "cursor"), integer(count, "count", 1, 1000)
        return Op(N.ff_flow_feed_read(self.c, p, cur, n), x_completion_page)

    def command(self, *args: Union[bytes, str, int, float]) -> Op[Any]:
        """Send one raw command on the shared connection (tools and tests;
        never blocking commands). Returns None, bytes, int or a list."""
        if not args:
            raise InvalidArgument("command needs at least one argument")
        parts = []
        for a in args:
            if isinstance(a, (bytes, bytearray, memoryview)):
                parts.append(bytes(a))
            elif isinstance(a, str):
                parts.append(a.encode("utf-8"))
            elif isinstance(a, (int, float)) and not isinstance(a, bool):
                parts.append(str(a).encode())
            else:
                raise TypeError(f"command arguments must be bytes, str or numbers, not {type(a).__name__}")
        keep = [ffi.new("char[]", p) for p in parts]
        argv = ffi.new("const char *[]", keep)
        lens = ffi.new("size_t[]", [len(p) for p in parts])
        start = N.ff_client_command(self.c, len(parts), argv, lens)

        def start_keeping(cb: Any, ud: Any, out: Any) -> int:
            _ = keep  # the buffers must outlive the call (the library copies them)
            return start(cb, ud, out)
        return Op(start_keeping, x_reply)


class Compositions:
    """The calls made of several operations, each defined once as a plan.
    gen_python_ops.py exposes each public method as ``Client.<name>`` and
    ``AsyncClient.<name>``: a ``Plan[T]`` becomes a call returning ``T`` (a
    coroutine on AsyncClient), a ``Steps[T]`` an ``Iterator[T]`` (an
    ``AsyncIterator[T]``)."""

    __slots__ = ("ops", "partitions")

    def __init__(self, ops: OpDefs, partitions: int) -> None:
        self.ops = ops
        self.partitions = partitions

    def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> Plan[ExecutionId]:
        """:meth:`submit` with ``obj`` encoded as compact UTF-8 JSON."""
        eid: ExecutionId = yield self.ops.submit(kind, json_bytes(obj), **kwargs)
        return eid

    def result_json(self, execution_id: str) -> Plan[Any]:
        """:meth:`result` decoded as JSON."""
        return json.loads((yield self.ops.result(execution_id)))

    def wait(self, execution_id: str, timeout: Optional[Duration] = None) -> Plan[bytes]:
        """Wait until the execution has ended and return its result bytes,
        exactly as :meth:`result` would then. Woken by the execution's
        completion (``ff_execution_wait``), not by polling.

        Raises:
            Timeout: ``timeout`` (seconds; ``None`` waits for as long as it
                takes) passed first.
            ExecutionFailed, ExecutionCancelled, ExecutionExpired,
            ExecutionSkipped: it ended without completing.
            ExecutionNotFound: no such execution.
        """
        result: bytes
        if timeout is not None:
            result = yield self.ops._wait_round(execution_id, duration_ms(timeout, "timeout"))
            return result
        while True:
            try:
                result = yield self.ops._wait_round(execution_id, WAIT_ROUND_MS)
                return result
            except _errors.Timeout:
                continue

    def wait_json(self, execution_id: str, timeout: Optional[Duration] = None) -> Plan[Any]:
        """:meth:`wait`, the result decoded as JSON."""
        return json.loads((yield from self.wait(execution_id, timeout)))

    def wait_ended(self, execution_id: str, timeout: Optional[Duration] = None) -> Plan[Execution]:
        """Wait (woken, as :meth:`wait`) until the execution has ended,
        however it ended, and return its snapshot.

        Raises:
            Timeout: ``timeout`` passed first.
        """
        try:
            yield from self.wait(execution_id, timeout)
        except ENDED_OTHERWISE:
            pass
        snapshot: Execution = yield self.ops.describe(execution_id)
        return snapshot

    def stats(self) -> Plan[Dict[str, LaneCounts]]:
        """Counts of every lane (what ``ffctl stats`` shows)."""
        lanes: List[str] = yield self.ops.lanes()
        counts: List[LaneCounts] = yield [self.ops.lane_counts(ln) for ln in lanes]
        return dict(zip(lanes, counts))

    def list_lane(self, lane: str, state: str, *, count: int = 100) -> Steps[str]:
        """Iterate the ids of a lane in one state (``"waiting"``,
        ``"completed"``, ...), in index order, following the cursor page by
        page (``count`` ids per round trip, 1..1000)."""
        cursor = "0"
        while True:
            page: Page = yield self.ops.list_lane_page(lane, state, cursor, count)
            for eid in page.items:
                yield Emit(eid)
            if page.done:
                return
            cursor = page.cursor

    def list_partition(self, partition: int, *, count: int = 100) -> Steps[str]:
        """Iterate every execution id of one partition (each once)."""
        seen = set()
        cursor = "0"
        while True:
            page: Page = yield self.ops.list_partition_page(partition, cursor, count)
            for eid in page.items:
                if eid not in seen:
                    seen.add(eid)
                    yield Emit(eid)
            if page.done:
                return
            cursor = page.cursor

    def list_executions(self, *, count: int = 100) -> Steps[str]:
        """Iterate every execution id of the deployment, partition by
        partition."""
        for p in range(self.partitions):
            yield from self.list_partition(p, count=count)

    def list_suspended(self, partition: Optional[int] = None, *, count: int = 100) -> Steps[SuspendedExecution]:
        """Iterate the suspended executions (:class:`SuspendedExecution`:
        id, suspended_at, reason, timeout_at) of one partition, oldest first,
        following the cursor page by page -- or of every partition, one
        after the other, when ``partition`` is ``None``."""
        parts = range(self.partitions) if partition is None else [partition]
        for p in parts:
            cursor = "0"
            while True:
                rows: List[SuspendedExecution]
                rows, cursor = yield self.ops.list_suspended_page(p, cursor, count)
                for row in rows:
                    yield Emit(row)
                if cursor in ("", "0"):
                    break

    def cancel_flow(self, flow_id: str, policy: str, reason: Optional[str] = None, *, wait: bool = False,
                    timeout: Optional[Duration] = None) -> Plan[FlowCancellation]:
        """Cancel a flow. ``policy`` is required (never defaulted):
        ``"cancel_all"`` (every member not ended is cancelled, running ones
        included: their workers' next call fails), ``"cancel_pending"``
        (members that never ran are cancelled, running ones finish) or
        ``"flow_only"`` (the flow is marked cancelled, members untouched). A
        cancelled flow takes no new members or edges.

        ``wait=True`` then waits (woken by the flow's settling, not polling)
        until every member has ended, at most ``timeout`` seconds (``None``:
        as long as it takes); the members still not ended then are reported
        in ``partially_cancelled``, never hidden.

        Returns:
            :class:`FlowCancellation`: the policy in force, ``repeat``
            (already cancelled: nothing touched), the members cancelled by
            this call, and ``partially_cancelled``.

        Raises:
            InvalidArgument: an unknown policy (nothing sent).
            FlowAlreadyTerminal: the flow completed or failed.
        """
        done: FlowCancellation = yield self.ops._cancel_flow(flow_id, policy, reason)
        if not wait:
            return done
        try:
            yield from self.wait_flow(flow_id, timeout)
            return done
        except _errors.Timeout:
            flow: Flow = yield self.ops.describe_flow(flow_id)
            left = tuple(m.execution_id for m in flow.members if m.public_state not in ENDED_STATES)
            return FlowCancellation(done.policy, done.repeat, done.cancelled, left)

    def wait_flow(self, flow_id: str, timeout: Optional[Duration] = None) -> Plan[Flow]:
        """Wait until the flow has settled (its state is final and every
        member has ended) and return its snapshot. Woken by the settling
        itself (``ff_flow_wait``), not by polling.

        Raises:
            Timeout: ``timeout`` (seconds; ``None``: as long as it takes)
                passed first.
            FlowNotFound: no such flow.
        """
        flow: Flow
        if timeout is not None:
            flow = yield self.ops._flow_wait_round(flow_id, duration_ms(timeout, "timeout"))
            return flow
        while True:
            try:
                flow = yield self.ops._flow_wait_round(flow_id, WAIT_ROUND_MS)
                return flow
            except _errors.Timeout:
                continue

    def follow_completions(self, partition: int, cursor: Optional[str] = "$", *, count: int = 100,
                           idle_timeout: Optional[Duration] = None) -> Steps[FlowCompletion]:
        """Follow a partition's completion feed: yield every ending of a flow
        member and every flow settling (:class:`FlowCompletion`), in order,
        forever (or until nothing came for ``idle_timeout`` seconds). Woken
        by each append (``ff_flow_feed_wait``), not by polling.

        ``cursor``: ``"$"`` (default) = from now on, ``""`` = from the
        oldest entry kept, or the ``id`` of the last entry you processed:
        store it and pass it again after a restart to miss nothing the
        retention kept. An entry whose ``missed_before`` is set follows
        entries the retention deleted before you read them.
        """
        page: CompletionPage = yield self.ops.read_completions(partition, cursor, count)
        cur = page.cursor
        idle = None if idle_timeout is None else duration_ms(idle_timeout, "idle_timeout")
        while True:
            for e in page.entries:
                yield Emit(e)
            try:
                page = yield self.ops._feed_wait_round(partition, cur, count, idle or WAIT_ROUND_MS)
            except _errors.Timeout:
                if idle is not None:
                    return
                continue
            cur = page.cursor

    def follow(self, execution_id: str, attempt: Optional[int] = None, *, durable_only: bool = False,
               block_ms: int = 1000) -> Steps[StreamFrame]:
        """Iterate the frames of an execution's output stream, in order, as
        they are written, ending when the stream closes
        (``for frame in client.follow(eid)``; ``async for`` on an
        AsyncClient). With ``attempt=N`` it follows that attempt until its
        stream closes. With ``attempt=None`` it starts at attempt 0 and, when
        an attempt's stream closes, goes on with the next one: across a
        retry it yields every attempt's frames, and it ends when the attempt
        after the last one reads closed with ``"execution_ended"`` (the
        execution ended). It tails in blocks of ``block_ms`` (an attempt that
        never wrote a frame has no close marker to wake the tail: its close
        is seen when a block ends). ``frame.attempt`` tells whose frame it
        is."""
        a = 0 if attempt is None else integer(attempt, "attempt", *UINT32)
        cursor = ""
        while True:
            page: StreamPage = yield self.ops.tail_stream(execution_id, a, cursor, block_ms, 100, durable_only)
            for frame in page.frames:
                yield Emit(frame)
            cursor = page.cursor
            if not page.closed or page.more:
                continue  # still open, or closed with entries left to drain
            if attempt is not None or page.closed_reason == EXECUTION_ENDED:
                return
            a, cursor = a + 1, ""

    def list_flows(self, partition: Optional[int] = None, *, count: int = 100) -> Steps[str]:
        """Iterate the flow ids of one partition in byte order, following the
        cursor page by page (``count`` ids per round trip, 1..1000) -- or of
        every partition, one after the other, when ``partition`` is ``None``."""
        parts = range(self.partitions) if partition is None else [partition]
        for p in parts:
            cursor = ""
            while True:
                page: Page = yield self.ops.list_flows_page(p, cursor, count)
                for fid in page.items:
                    yield Emit(fid)
                if page.done:
                    break
                cursor = page.cursor

    def list_budgets(self, partition: Optional[int] = None, *, count: int = 100) -> Steps[str]:
        """Iterate the budget ids of one budget partition in byte order, or
        of every partition when ``partition`` is ``None``."""
        parts = range(self.partitions) if partition is None else [partition]
        for p in parts:
            cursor = ""
            while True:
                page: Page = yield self.ops.list_budgets_page(p, cursor, count)
                for bid in page.items:
                    yield Emit(bid)
                if page.done:
                    break
                cursor = page.cursor

    def describe_quota(self, lane: str) -> Plan[Quota]:
        """A lane's quota policy and all its groups (:class:`Quota`),
        following the group cursor page by page."""
        q, cursor = yield self.ops.describe_quota_page(lane, "", 1000)
        groups = list(q.groups)
        while cursor:
            page, cursor = yield self.ops.describe_quota_page(lane, cursor, 1000)
            groups.extend(page.groups)
        return Quota(q.lane, q.quota_id, q.rate, q.window_ms, q.concurrency, groups)

    def list_quotas(self, *, count: int = 100) -> Steps[str]:
        """Iterate the lanes that have a quota policy, in byte order."""
        cursor = ""
        while True:
            page: Page = yield self.ops.list_quotas_page(cursor, count)
            for lane in page.items:
                yield Emit(lane)
            if page.done:
                break
            cursor = page.cursor

    def list_lanes(self, *, count: int = 100) -> Steps[Dict[str, Any]]:
        """Iterate the lanes (configured or in use) in byte order, page by
        page (``count`` per round trip, 1..1000); each is a dict as in
        :meth:`list_lanes_page`."""
        cursor = ""
        while True:
            page: Dict[str, Any] = yield self.ops.list_lanes_page(cursor, count)
            for ln in page.get("lanes") or []:
                yield Emit(ln)
            if not page.get("next_cursor"):
                break
            cursor = page["next_cursor"]

    def list_workers(self, lane: Optional[str] = None, *, count: int = 100) -> Steps[Dict[str, Any]]:
        """Iterate the live registered workers (of ``lane`` when given) in id
        order, page by page (``count`` per round trip, 1..1000); each is a
        dict as in :meth:`list_workers_page`."""
        cursor = ""
        while True:
            page: Dict[str, Any] = yield self.ops.list_workers_page(lane, cursor, count)
            for w in page.get("workers") or []:
                yield Emit(w)
            if not page.get("next_cursor"):
                break
            cursor = page["next_cursor"]

    def build_flow(self, nodes: Sequence[FlowNode], flow_id: Optional[str] = None, *, lane: Optional[str] = None,
                   max_members: Optional[int] = None, max_incoming: Optional[int] = None) -> Plan[FlowId]:
        """Create a flow and its members as declared with the builder
        (``with client.flow(...) as f``; ``nodes`` are its ``f.nodes``, in
        the order added, each upstream before its downstreams) in one atomic
        :meth:`submit_flow`: no member is claimable before its upstreams
        end. Sets each node's ``id``; returns the flow id."""
        index = {id(node): i for i, node in enumerate(nodes)}
        members: List[Dict[str, Any]] = []
        edges: List[Tuple[int, int, bool]] = []
        groups: Dict[int, Dict[str, Any]] = {}
        for i, node in enumerate(nodes):
            members.append(dict(node.options, kind=node.kind, payload=node.payload))
            for up in node.after:
                if index.get(id(up), i) >= i:
                    raise InvalidArgument(f"{node!r} depends on {up!r}, which comes after it")
                edges.append((index[id(up)], i, node.pass_data))
            if node.policy != "all_of":
                groups[i] = {"policy": node.policy, "k": node.k, "on_satisfied": node.on_satisfied}
        done: SubmittedFlow = yield self.ops.submit_flow(members, edges, groups=groups, flow_id=flow_id, lane=lane,
                                                         max_members=max_members, max_incoming=max_incoming)
        for node, eid in zip(nodes, done.member_ids):
            node.id = eid
        return FlowId(done.flow_id, done.existed)
