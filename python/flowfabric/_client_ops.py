# GENERATED from python/flowfabric/_opdefs.py by bindings/gen/gen_python_ops.py - do not edit (make generate).
"""Every operation of ``_opdefs.OpDefs``, exposed sync (``Client``, the base of
``flowfabric.Client``) and async (``AsyncClient``, the base of
``flowfabric.AsyncClient``; the same names, so type checkers name the public
class in their messages). The definition, its checks and its documentation
live once, in ``_opdefs.py``."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from ._args import Duration, When
from ._core import BytesLike, Claim
from ._opdefs import Compositions, DEFAULT_ROTATION_GRACE, Op, OpDefs
from ._plan import drive_async, drive_sync, iter_async, iter_sync
from .flows import FlowNode
from .types import Budget, BudgetCreated, ChildExecution, CompletionPage, Execution, ExecutionId, Flow, FlowCancellation, FlowCompletion, FlowEdge, FlowId, FrameAppended, LaneCounts, LeaseRevocation, Page, Quota, QuotaCreated, Retry, SignalResult, SigningKeys, StreamFrame, StreamPage, StreamSummary, SubmittedFlow, SuspendedExecution, UsageReport, WaitpointRecord


T = TypeVar("T")


class _Runner:
    """What a client class supplies: its bound definitions and how to run one."""

    def _defs(self) -> OpDefs:
        raise NotImplementedError

    def _plans(self) -> Compositions:
        raise NotImplementedError

    def _run_sync(self, op: Op[T]) -> T:
        raise NotImplementedError

    async def _run_async(self, op: Op[T]) -> T:
        raise NotImplementedError


class Client(_Runner):
    """The operations, run synchronously."""

    def submit(self, kind: str, payload: BytesLike=None, *, lane: str='default', priority: int=0, retry: Optional[Retry]=None, policy: Union[Mapping[str, Any], str, None]=None, delay: Optional[Duration]=None, delay_until: Optional[When]=None, deadline: Optional[When]=None, attempt_timeout: Optional[Duration]=None, capabilities: Iterable[str]=(), tags: Optional[Mapping[str, str]]=None, idempotency_key: Optional[str]=None, idempotency_ttl: Optional[Duration]=None, namespace: Optional[str]=None, max_reclaims: Optional[int]=None, max_replays: Optional[int]=None, execution_id: Optional[str]=None, flow: Optional[str]=None, budgets: Iterable[str]=(), group: Optional[str]=None) -> ExecutionId:
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
        return self._run_sync(self._defs().submit(kind, payload, lane=lane, priority=priority, retry=retry, policy=policy, delay=delay, delay_until=delay_until, deadline=deadline, attempt_timeout=attempt_timeout, capabilities=capabilities, tags=tags, idempotency_key=idempotency_key, idempotency_ttl=idempotency_ttl, namespace=namespace, max_reclaims=max_reclaims, max_replays=max_replays, execution_id=execution_id, flow=flow, budgets=budgets, group=group))

    def describe(self, execution_id: str) -> Execution:
        """Full snapshot of an execution (:class:`Execution`).

        Raises:
            NotFound (``ExecutionNotFound``): unknown id.
            InvalidInput: not an execution id.
        """
        return self._run_sync(self._defs().describe(execution_id))

    def state(self, execution_id: str) -> str:
        """The public state only (``"waiting"``, ``"completed"``, ...)."""
        return self._run_sync(self._defs().state(execution_id))

    def result(self, execution_id: str) -> bytes:
        """Result bytes of a finished execution (``b""`` when it ended
        without one).

        Raises:
            StateError (``ExecutionNotTerminal``): not finished yet.
            ExecutionFailed, ExecutionCancelled, ExecutionExpired,
            ExecutionSkipped: it ended without completing.
        """
        return self._run_sync(self._defs().result(execution_id))

    def cancel(self, execution_id: str, reason: Optional[str]=None) -> str:
        """Operator cancel of a non-terminal execution → ``"cancelled"``.
        Repeating it on an execution this cancel ended succeeds.
        """
        return self._run_sync(self._defs().cancel(execution_id, reason))

    def replay(self, execution_id: str) -> str:
        """Put a terminal execution back to ``"waiting"``.

        Raises:
            StateError (``ExecutionNotTerminal``), LimitExceeded
            (``MaxReplaysExhausted``).
        """
        return self._run_sync(self._defs().replay(execution_id))

    def change_priority(self, execution_id: str, priority: int) -> int:
        """Change the priority of a waiting/delayed execution; returns the
        old priority.
        """
        return self._run_sync(self._defs().change_priority(execution_id, priority))

    def revoke_lease(self, execution_id: str, expected_lease_id: Optional[str]=None, reason: Optional[str]=None) -> LeaseRevocation:
        """Take the lease away from its holder → ``"revoked"``,
        ``"already_revoked"`` or ``"already_expired"``, as a
        :class:`LeaseRevocation` (a ``str``) whose ``lease_id`` and
        ``lease_epoch`` name the lease taken away. The execution becomes
        claimable again (as a reclaim); the holder's later writes fail with
        :class:`LeaseRevoked`.
        """
        return self._run_sync(self._defs().revoke_lease(execution_id, expected_lease_id, reason))

    def reclaim_grant(self, execution_id: str, worker_id: str, ttl: Duration=30.0) -> Tuple[str, int]:
        """Grant the reclaim of an execution whose lease expired or was
        revoked to one worker for ``ttl`` (other workers skip it meanwhile).
        Returns ``(token, grant_expiry_ms)``; the worker passes the token to
        :meth:`claim_reclaim`.

        Raises:
            StateError (``ExecutionNotReclaimable``): the lease is intact.
            Conflict (``GrantAlreadyExists``): another grant is live.
        """
        return self._run_sync(self._defs().reclaim_grant(execution_id, worker_id, ttl))

    def lanes(self) -> List[str]:
        """Every lane that has executions, sorted."""
        return self._run_sync(self._defs().lanes())

    def lane_counts(self, lane: str) -> LaneCounts:
        """Executions of one lane per state."""
        return self._run_sync(self._defs().lane_counts(lane))

    def list_lane_page(self, lane: str, state: str, cursor: str='0', count: int=100) -> Page:
        """One page of the ids of a lane in one state index."""
        return self._run_sync(self._defs().list_lane_page(lane, state, cursor, count))

    def list_partition_page(self, partition: int, cursor: str='0', count: int=100) -> Page:
        """One page of a partition scan (SSCAN semantics)."""
        return self._run_sync(self._defs().list_partition_page(partition, cursor, count))

    def signal(self, execution_id: str, waitpoint_id: str, token: str, name: str, payload: BytesLike=b'', *, source_type: str='user', source: str='python', idempotency_key: Optional[str]=None) -> SignalResult:
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
        return self._run_sync(self._defs().signal(execution_id, waitpoint_id, token, name, payload, source_type=source_type, source=source, idempotency_key=idempotency_key))

    def list_suspended_page(self, partition: int, cursor: str='0', count: int=100) -> Tuple[List[SuspendedExecution], str]:
        """One page of the suspended executions of a partition, oldest
        first: ``(entries, next_cursor)`` (``"0"`` when done).
        """
        return self._run_sync(self._defs().list_suspended_page(partition, cursor, count))

    def waitpoints(self, execution_id: str) -> List[WaitpointRecord]:
        """The waitpoints of an execution, oldest first, sanitized
        (:class:`WaitpointRecord`: id, key, state, kid, fingerprint,
        expires_at, signal_names -- never the token).
        """
        return self._run_sync(self._defs().waitpoints(execution_id))

    def waitpoint_token(self, execution_id: str, waitpoint_id: str) -> str:
        """Operator read of a waitpoint's raw token (e.g. to re-send an
        approval link). Treat it as a secret.

        Raises:
            WaitpointNotFound: no such waitpoint on this execution.
        """
        return self._run_sync(self._defs().waitpoint_token(execution_id, waitpoint_id))

    def rotate_secret(self, kid: str, secret_hex: Optional[str]=None, *, grace: Duration=DEFAULT_ROTATION_GRACE) -> str:
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
        return self._run_sync(self._defs().rotate_secret(kid, secret_hex, grace=grace))

    def secrets(self) -> SigningKeys:
        """The signing key ids (never the secrets): current kid, previous
        kids still in grace with their expiry, partitions disagreeing.
        """
        return self._run_sync(self._defs().secrets())

    def claim(self, lanes: Sequence[str]=('default',), *, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, batch: int=1, worker_id: Optional[str]=None, instance_id: Optional[str]=None) -> List[Claim]:
        """Claim up to ``batch`` executions (low-level API; most programs use
        :class:`Worker`). Returns ``[]`` when nothing is claimable. The
        caller must renew leases that may outlive ``lease_ttl``.
        """
        return self._run_sync(self._defs().claim(lanes, capabilities=capabilities, lease_ttl=lease_ttl, batch=batch, worker_id=worker_id, instance_id=instance_id))

    def claim_reclaim(self, execution_id: str, token: str, *, worker_id: str, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
        """Claim one execution with a reclaim token from
        :meth:`reclaim_grant` (``worker_id`` must be the granted one); the
        claim's attempt type is ``"reclaim"``.
        """
        return self._run_sync(self._defs().claim_reclaim(execution_id, token, worker_id=worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    def claim_resumed(self, execution_id: str, *, worker_id: str, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
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
        return self._run_sync(self._defs().claim_resumed(execution_id, worker_id=worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    def grant_and_claim(self, execution_id: str, worker_id: str, *, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
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
        return self._run_sync(self._defs().grant_and_claim(execution_id, worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    def renew(self, claim: Claim) -> int:
        """Extend the lease by its TTL; returns the new expiry (unix ms)."""
        return self._run_sync(self._defs().renew(claim))

    def progress(self, claim: Claim, percent: int, message: Optional[str]=None) -> None:
        """Report progress (0..100) under the lease."""
        return self._run_sync(self._defs().progress(claim, percent, message))

    def complete(self, claim: Claim, result: BytesLike=None) -> str:
        """Complete with result bytes → ``"completed"``."""
        return self._run_sync(self._defs().complete(claim, result))

    def fail(self, claim: Claim, reason: str, category: str='error', *, retry: bool=True) -> Tuple[str, int]:
        """Fail the attempt → ``("retry_scheduled", retry_at_ms)`` or
        ``("terminal_failed", 0)``, as the retry policy decides;
        ``retry=False`` ends the execution as failed whatever the policy says
        (retrying cannot help: bad input, a permanent refusal).
        """
        return self._run_sync(self._defs().fail(claim, reason, category, retry=retry))

    def cancel_lease(self, claim: Claim, reason: Optional[str]=None) -> str:
        """Cancel by the lease holder → ``"cancelled"``."""
        return self._run_sync(self._defs().cancel_lease(claim, reason))

    def delay(self, claim: Claim, until: When) -> int:
        """Release the lease and park the execution until ``until``
        (datetime or unix seconds); the next claim resumes the same attempt.
        """
        return self._run_sync(self._defs().delay(claim, until))

    def append_frame(self, claim: Claim, frame_type: str, payload: BytesLike=b'', *, mode: str='durable', encoding: Optional[str]=None, source: Optional[str]=None, correlation_id: Optional[str]=None) -> FrameAppended:
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
        return self._run_sync(self._defs().append_frame(claim, frame_type, payload, mode=mode, encoding=encoding, source=source, correlation_id=correlation_id))

    def read_stream(self, execution_id: str, attempt: int=0, after: str='', to: str='', count: int=100, durable_only: bool=False) -> StreamPage:
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
        return self._run_sync(self._defs().read_stream(execution_id, attempt, after, to, count, durable_only))

    def tail_stream(self, execution_id: str, attempt: int=0, after: str='', block_ms: int=1000, count: int=100, durable_only: bool=False) -> StreamPage:
        """Wait for frames after the cursor ``after``: returns as soon as
        there is a frame or the stream is closed, or after ``block_ms``
        (0 = do not wait) with no frame. The wait runs on one of the
        client's dedicated connections; other calls go on meanwhile, and
        the call's deadline is the client timeout plus the block. An attempt
        that ended without writing any frame is seen closed when the block
        ends. Other arguments and errors as :meth:`read_stream`;
        :meth:`follow` wraps the loop.
        """
        return self._run_sync(self._defs().tail_stream(execution_id, attempt, after, block_ms, count, durable_only))

    def stream_summary(self, execution_id: str, attempt: int=0) -> StreamSummary:
        """The summary document of attempt ``attempt``: the merge of its
        summary frames (:class:`StreamSummary`: ``document`` parsed, or
        ``None`` before the first, ``version``, ``created``, ``updated``).
        """
        return self._run_sync(self._defs().stream_summary(execution_id, attempt))

    def create_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]], *, on_hard: str='notify', on_soft: str='notify', reset_interval: Optional[Duration]=None, scope: Tuple[str, Optional[str]]=('global', None)) -> BudgetCreated:
        """Create a budget (docs/budgets.md): ``dimensions`` maps a name
        (``"tokens"``, ``"cost_microusd"``, ...) to its hard limit or to
        ``(hard, soft)`` (0 = no limit); ``on_hard``: ``"block"``,
        ``"cancel_pending"`` or ``"notify"``; ``on_soft``: ``"notify"`` or
        ``"block"``; ``reset_interval``: usage back to 0 every so often (the
        engine does it). Idempotent: an existing id keeps its stored
        definition (:class:`BudgetCreated` says whether yours matched);
        change limits with :meth:`update_budget`.
        """
        return self._run_sync(self._defs().create_budget(budget_id, dimensions, on_hard=on_hard, on_soft=on_soft, reset_interval=reset_interval, scope=scope))

    def update_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]]) -> int:
        """Change the limits of the given dimensions (``(0, 0)`` removes a
        dimension's limits; the others keep theirs). Returns how many
        dimensions have a limit now. A raise that makes room returns
        blocked executions to the queue (through the engine).
        """
        return self._run_sync(self._defs().update_budget(budget_id, dimensions))

    def report_usage(self, budget_id: str, usage: Mapping[str, int], *, claim: Optional[Claim]=None, dedup_key: Optional[str]=None) -> UsageReport:
        """Report spend: ``usage`` maps dimension names to deltas (>= 0),
        applied all together or not at all. Checked first: a delta that
        would pass a hard limit applies nothing (``outcome`` =
        ``"hard_breach"``); otherwise all apply and the first dimension
        above its soft limit is a ``"soft_breach"``. A breach is an answer,
        not an exception. With ``claim`` the lease is checked first and the
        spend is recorded for the execution (:meth:`release_budget` gives it
        back); ``dedup_key``: a repeat within 24 h applies nothing
        (``"already_applied"``).
        """
        return self._run_sync(self._defs().report_usage(budget_id, usage, claim=claim, dedup_key=dedup_key))

    def release_budget(self, budget_id: str, execution_id: str) -> bool:
        """Give back exactly what ``execution_id`` recorded in the budget
        (usage never below 0); True when something was given back, False
        for a repeat (idempotent).
        """
        return self._run_sync(self._defs().release_budget(budget_id, execution_id))

    def reset_budget(self, budget_id: str) -> int:
        """Reset now: every usage dimension to 0 (blocked executions return
        through the engine). Returns the number of resets so far.
        """
        return self._run_sync(self._defs().reset_budget(budget_id))

    def describe_budget(self, budget_id: str) -> Budget:
        """A budget's limits, usage, counters and next reset (:class:`Budget`).

        Raises:
            BudgetNotFound: unknown id.
        """
        return self._run_sync(self._defs().describe_budget(budget_id))

    def list_budgets_page(self, partition: int, cursor: str='', count: int=100) -> Page:
        """One page of the budget ids of budget partition ``partition``, in
        byte order after the exclusive ``cursor``.
        """
        return self._run_sync(self._defs().list_budgets_page(partition, cursor, count))

    def create_quota(self, lane: str, quota_id: str, *, rate: Optional[int]=None, window: Optional[Duration]=None, concurrency: Optional[int]=None) -> QuotaCreated:
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
        return self._run_sync(self._defs().create_quota(lane, quota_id, rate=rate, window=window, concurrency=concurrency))

    def describe_quota_page(self, lane: str, cursor: str='', count: int=100) -> Tuple[Quota, str]:
        """A lane's quota policy with one page of its groups (in byte order
        after the exclusive ``cursor``) and the cursor of the next page
        (``""`` when done). :meth:`describe_quota` reads them all.
        """
        return self._run_sync(self._defs().describe_quota_page(lane, cursor, count))

    def list_quotas_page(self, cursor: str='', count: int=100) -> Page:
        """One page of the lanes that have a quota policy, in byte order
        after the exclusive ``cursor``.
        """
        return self._run_sync(self._defs().list_quotas_page(cursor, count))

    def pause_group(self, lane: str, group: str, seconds: Optional[Duration]=None, *, until: Optional[When]=None) -> int:
        """Pause ``group`` (``""`` = the default group) of ``lane`` for
        ``seconds`` (or until ``until``; computed on this machine's clock):
        its work is parked, not failed, and starts again then (a longer
        pause already set is kept). Returns the pause end now stored (unix
        ms).
        """
        return self._run_sync(self._defs().pause_group(lane, group, seconds, until=until))

    def resume_group(self, lane: str, group: str) -> bool:
        """End ``group``'s pause now; its parked work returns as the policy
        allows. True when the group was paused.
        """
        return self._run_sync(self._defs().resume_group(lane, group))

    def create_lane(self, lane: str) -> bool:
        """Configure ``lane`` (idempotent): it is listed by
        :meth:`list_lanes` before any execution uses it, and stays listed
        after retention removed its executions. True when it was not
        configured before.
        """
        return self._run_sync(self._defs().create_lane(lane))

    def pause_lane(self, lane: str, reason: str='') -> bool:
        """Pause ``lane`` as an operator (docs/admission.md "Lanes"): no
        claim leases its work until :meth:`resume_lane` -- workers get
        nothing from it, targeted claims raise ``StateError``
        (``LanePaused``) -- while its executions keep their place (public
        state ``waiting``; ``describe`` shows ``blocked_by_operator`` /
        ``paused_by_operator``). A paused lane keeps its first pause time
        and reason. True when this call paused it.
        """
        return self._run_sync(self._defs().pause_lane(lane, reason))

    def resume_lane(self, lane: str) -> bool:
        """Resume a paused lane; its idle workers are woken at once. True
        when it was paused.
        """
        return self._run_sync(self._defs().resume_lane(lane))

    def list_lanes_page(self, cursor: str='', count: int=100) -> Dict[str, Any]:
        """One page of the lanes (configured or in use) in byte order after
        the exclusive ``cursor``: ``{"lanes": [{"lane", "configured",
        "configured_at", "paused", "paused_at", "reason"}, ...],
        "next_cursor"}`` (``None`` when done; times are unix ms or
        ``None``).
        """
        return self._run_sync(self._defs().list_lanes_page(cursor, count))

    def list_workers_page(self, lane: Optional[str]=None, cursor: str='', count: int=100) -> Dict[str, Any]:
        """One page of the live registered workers in id order after the
        exclusive ``cursor`` (only those of ``lane`` when given):
        ``{"workers": [{"worker_id", "instance_id", "lanes", "capabilities",
        "concurrency", "ttl_ms", "registered_at", "last_heartbeat",
        "expires_at", "leases"}, ...], "next_cursor"}`` (``None`` when done;
        a page may be short while more follow). ``leases`` is exact: the
        leases the worker holds now.
        """
        return self._run_sync(self._defs().list_workers_page(lane, cursor, count))

    def register_worker(self, worker_id: str, lanes: Sequence[str], *, instance_id: Optional[str]=None, capabilities: Sequence[str]=(), concurrency: int=1, ttl: Duration=30.0) -> int:
        """Register (or refresh: call it again every ``ttl``/3 as the
        heartbeat) a worker in the registry capability routing consults;
        an entry not refreshed within ``ttl`` (seconds or a timedelta,
        1 s .. 1 day) expires. Route-blocked work of its lanes that it can
        run is eligible again in this call (at most 500 per partition).
        Returns the number of executions returned to eligible.
        """
        return self._run_sync(self._defs().register_worker(worker_id, lanes, instance_id=instance_id, capabilities=capabilities, concurrency=concurrency, ttl=ttl))

    def mark_worker_dead(self, worker_id: str) -> bool:
        """Remove a worker from the registry now: it no longer counts as a
        capable worker for capability routing. Its leases are not revoked
        (they end by completion or expiry). True when it was registered,
        False otherwise (idempotent).
        """
        return self._run_sync(self._defs().mark_worker_dead(worker_id))

    def create_flow(self, flow_id: Optional[str]=None, *, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None, budgets: Iterable[str]=()) -> FlowId:
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
        return self._run_sync(self._defs().create_flow(flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming, budgets=budgets))

    def submit_flow(self, members: Sequence[Mapping[str, Any]], edges: Sequence[Sequence[Any]]=(), *, groups: Optional[Mapping[int, Mapping[str, Any]]]=None, flow_id: Optional[str]=None, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None, parent: Optional[str]=None, budgets: Iterable[str]=()) -> SubmittedFlow:
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
        return self._run_sync(self._defs().submit_flow(members, edges, groups=groups, flow_id=flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming, parent=parent, budgets=budgets))

    def add_to_flow(self, flow_id: str, execution_id: str) -> str:
        """Add an existing execution to a flow, atomically (a refusal writes
        nothing) -> ``"added"`` or ``"already_member"``.

        Raises:
            PartitionMismatch: the execution is on another partition.
            FlowNotFound, ExecutionNotFound, ExecutionAlreadyInFlow,
            FlowAlreadyTerminal, FlowLimitExceeded.
        """
        return self._run_sync(self._defs().add_to_flow(flow_id, execution_id))

    def set_group(self, flow_id: str, downstream: str, policy: str='all_of', k: Optional[int]=None, on_satisfied: str='cancel_remaining') -> str:
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
        return self._run_sync(self._defs().set_group(flow_id, downstream, policy, k, on_satisfied))

    def add_edge(self, flow_id: str, upstream: str, downstream: str, *, expected_revision: Optional[int]=None, pass_data: bool=False) -> FlowEdge:
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
        return self._run_sync(self._defs().add_edge(flow_id, upstream, downstream, expected_revision=expected_revision, pass_data=pass_data))

    def describe_flow(self, flow_id: str) -> Flow:
        """Snapshot of a flow (:class:`Flow`: state, revision, limits, counts,
        members, edges, groups).

        Raises:
            FlowNotFound: unknown id.
        """
        return self._run_sync(self._defs().describe_flow(flow_id))

    def list_flows_page(self, partition: int, cursor: str='', count: int=100) -> Page:
        """One page of the flow ids of a partition, in byte order after the
        exclusive ``cursor`` (``""`` = from the start).
        """
        return self._run_sync(self._defs().list_flows_page(partition, cursor, count))

    def list_edges(self, flow_id: str, execution_id: str, direction: str='out') -> List[FlowEdge]:
        """The edges out of (``"out"``) or into (``"in"``) one member, by
        edge id (:class:`FlowEdge` with id, upstream, downstream, state).
        """
        return self._run_sync(self._defs().list_edges(flow_id, execution_id, direction))

    def describe_edge(self, flow_id: str, edge_id: str) -> FlowEdge:
        """One edge, in full (:class:`FlowEdge`).

        Raises:
            EdgeNotFound, FlowNotFound.
        """
        return self._run_sync(self._defs().describe_edge(flow_id, edge_id))

    def flow_of(self, execution_id: str) -> Optional[str]:
        """The id of the flow an execution belongs to, ``None`` when it is in
        no flow.

        Raises:
            ExecutionNotFound.
        """
        return self._run_sync(self._defs().flow_of(execution_id))

    def parent_results(self, execution_id: str) -> Dict[str, Optional[bytes]]:
        """The upstream members of an execution -> the result bytes their
        edges carry (``None`` for an edge staged without ``pass_data`` or
        whose upstream did not complete). ``{}`` for an execution in no flow.
        """
        return self._run_sync(self._defs().parent_results(execution_id))

    def children(self, execution_id: str) -> List[ChildExecution]:
        """The members of every child flow an execution spawned, with their
        states and results (:class:`ChildExecution`; ``result`` is ``None``
        unless the child completed). ``[]`` without children.

        Raises:
            ExecutionNotFound.
        """
        return self._run_sync(self._defs().children(execution_id))

    def read_completions(self, partition: int, cursor: Optional[str]='', count: int=100) -> CompletionPage:
        """One page of a partition's completion feed after the exclusive
        ``cursor`` (``""`` = the oldest entry kept, ``"$"`` = an empty page
        whose cursor is the newest entry): every ending of a flow member and
        every flow settling, in order (:class:`CompletionPage`). Store the
        page's ``cursor`` to resume after a restart; ``gap`` says entries
        after your cursor were deleted by the retention.
        """
        return self._run_sync(self._defs().read_completions(partition, cursor, count))

    def command(self, *args: Union[bytes, str, int, float]) -> Any:
        """Send one raw command on the shared connection (tools and tests;
        never blocking commands). Returns None, bytes, int or a list.
        """
        return self._run_sync(self._defs().command(*args))

    def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as compact UTF-8 JSON."""
        return drive_sync(self._run_sync, self._plans().submit_json(kind, obj, **kwargs))

    def result_json(self, execution_id: str) -> Any:
        """:meth:`result` decoded as JSON."""
        return drive_sync(self._run_sync, self._plans().result_json(execution_id))

    def wait(self, execution_id: str, timeout: Optional[Duration]=None) -> bytes:
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
        return drive_sync(self._run_sync, self._plans().wait(execution_id, timeout))

    def wait_json(self, execution_id: str, timeout: Optional[Duration]=None) -> Any:
        """:meth:`wait`, the result decoded as JSON."""
        return drive_sync(self._run_sync, self._plans().wait_json(execution_id, timeout))

    def wait_ended(self, execution_id: str, timeout: Optional[Duration]=None) -> Execution:
        """Wait (woken, as :meth:`wait`) until the execution has ended,
        however it ended, and return its snapshot.

        Raises:
            Timeout: ``timeout`` passed first.
        """
        return drive_sync(self._run_sync, self._plans().wait_ended(execution_id, timeout))

    def stats(self) -> Dict[str, LaneCounts]:
        """Counts of every lane (what ``ffctl stats`` shows)."""
        return drive_sync(self._run_sync, self._plans().stats())

    def list_lane(self, lane: str, state: str, *, count: int=100) -> Iterator[str]:
        """Iterate the ids of a lane in one state (``"waiting"``,
        ``"completed"``, ...), in index order, following the cursor page by
        page (``count`` ids per round trip, 1..1000).
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_lane(lane, state, count=count))

    def list_partition(self, partition: int, *, count: int=100) -> Iterator[str]:
        """Iterate every execution id of one partition (each once)."""
        return iter_sync(self._run_sync, lambda: self._plans().list_partition(partition, count=count))

    def list_executions(self, *, count: int=100) -> Iterator[str]:
        """Iterate every execution id of the deployment, partition by
        partition.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_executions(count=count))

    def list_suspended(self, partition: Optional[int]=None, *, count: int=100) -> Iterator[SuspendedExecution]:
        """Iterate the suspended executions (:class:`SuspendedExecution`:
        id, suspended_at, reason, timeout_at) of one partition, oldest first,
        following the cursor page by page -- or of every partition, one
        after the other, when ``partition`` is ``None``.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_suspended(partition, count=count))

    def cancel_flow(self, flow_id: str, policy: str, reason: Optional[str]=None, *, wait: bool=False, timeout: Optional[Duration]=None) -> FlowCancellation:
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
        return drive_sync(self._run_sync, self._plans().cancel_flow(flow_id, policy, reason, wait=wait, timeout=timeout))

    def wait_flow(self, flow_id: str, timeout: Optional[Duration]=None) -> Flow:
        """Wait until the flow has settled (its state is final and every
        member has ended) and return its snapshot. Woken by the settling
        itself (``ff_flow_wait``), not by polling.

        Raises:
            Timeout: ``timeout`` (seconds; ``None``: as long as it takes)
                passed first.
            FlowNotFound: no such flow.
        """
        return drive_sync(self._run_sync, self._plans().wait_flow(flow_id, timeout))

    def follow_completions(self, partition: int, cursor: Optional[str]='$', *, count: int=100, idle_timeout: Optional[Duration]=None) -> Iterator[FlowCompletion]:
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
        return iter_sync(self._run_sync, lambda: self._plans().follow_completions(partition, cursor, count=count, idle_timeout=idle_timeout))

    def follow(self, execution_id: str, attempt: Optional[int]=None, *, durable_only: bool=False, block_ms: int=1000) -> Iterator[StreamFrame]:
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
        is.
        """
        return iter_sync(self._run_sync, lambda: self._plans().follow(execution_id, attempt, durable_only=durable_only, block_ms=block_ms))

    def list_flows(self, partition: Optional[int]=None, *, count: int=100) -> Iterator[str]:
        """Iterate the flow ids of one partition in byte order, following the
        cursor page by page (``count`` ids per round trip, 1..1000) -- or of
        every partition, one after the other, when ``partition`` is ``None``.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_flows(partition, count=count))

    def list_budgets(self, partition: Optional[int]=None, *, count: int=100) -> Iterator[str]:
        """Iterate the budget ids of one budget partition in byte order, or
        of every partition when ``partition`` is ``None``.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_budgets(partition, count=count))

    def describe_quota(self, lane: str) -> Quota:
        """A lane's quota policy and all its groups (:class:`Quota`),
        following the group cursor page by page.
        """
        return drive_sync(self._run_sync, self._plans().describe_quota(lane))

    def list_quotas(self, *, count: int=100) -> Iterator[str]:
        """Iterate the lanes that have a quota policy, in byte order."""
        return iter_sync(self._run_sync, lambda: self._plans().list_quotas(count=count))

    def list_lanes(self, *, count: int=100) -> Iterator[Dict[str, Any]]:
        """Iterate the lanes (configured or in use) in byte order, page by
        page (``count`` per round trip, 1..1000); each is a dict as in
        :meth:`list_lanes_page`.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_lanes(count=count))

    def list_workers(self, lane: Optional[str]=None, *, count: int=100) -> Iterator[Dict[str, Any]]:
        """Iterate the live registered workers (of ``lane`` when given) in id
        order, page by page (``count`` per round trip, 1..1000); each is a
        dict as in :meth:`list_workers_page`.
        """
        return iter_sync(self._run_sync, lambda: self._plans().list_workers(lane, count=count))

    def build_flow(self, nodes: Sequence[FlowNode], flow_id: Optional[str]=None, *, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None) -> FlowId:
        """Create a flow and its members as declared with the builder
        (``with client.flow(...) as f``; ``nodes`` are its ``f.nodes``, in
        the order added, each upstream before its downstreams) in one atomic
        :meth:`submit_flow`: no member is claimable before its upstreams
        end. Sets each node's ``id``; returns the flow id.
        """
        return drive_sync(self._run_sync, self._plans().build_flow(nodes, flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming))


class AsyncClient(_Runner):
    """The operations, as coroutines."""

    async def submit(self, kind: str, payload: BytesLike=None, *, lane: str='default', priority: int=0, retry: Optional[Retry]=None, policy: Union[Mapping[str, Any], str, None]=None, delay: Optional[Duration]=None, delay_until: Optional[When]=None, deadline: Optional[When]=None, attempt_timeout: Optional[Duration]=None, capabilities: Iterable[str]=(), tags: Optional[Mapping[str, str]]=None, idempotency_key: Optional[str]=None, idempotency_ttl: Optional[Duration]=None, namespace: Optional[str]=None, max_reclaims: Optional[int]=None, max_replays: Optional[int]=None, execution_id: Optional[str]=None, flow: Optional[str]=None, budgets: Iterable[str]=(), group: Optional[str]=None) -> ExecutionId:
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
        return await self._run_async(self._defs().submit(kind, payload, lane=lane, priority=priority, retry=retry, policy=policy, delay=delay, delay_until=delay_until, deadline=deadline, attempt_timeout=attempt_timeout, capabilities=capabilities, tags=tags, idempotency_key=idempotency_key, idempotency_ttl=idempotency_ttl, namespace=namespace, max_reclaims=max_reclaims, max_replays=max_replays, execution_id=execution_id, flow=flow, budgets=budgets, group=group))

    async def describe(self, execution_id: str) -> Execution:
        """Full snapshot of an execution (:class:`Execution`).

        Raises:
            NotFound (``ExecutionNotFound``): unknown id.
            InvalidInput: not an execution id.
        """
        return await self._run_async(self._defs().describe(execution_id))

    async def state(self, execution_id: str) -> str:
        """The public state only (``"waiting"``, ``"completed"``, ...)."""
        return await self._run_async(self._defs().state(execution_id))

    async def result(self, execution_id: str) -> bytes:
        """Result bytes of a finished execution (``b""`` when it ended
        without one).

        Raises:
            StateError (``ExecutionNotTerminal``): not finished yet.
            ExecutionFailed, ExecutionCancelled, ExecutionExpired,
            ExecutionSkipped: it ended without completing.
        """
        return await self._run_async(self._defs().result(execution_id))

    async def cancel(self, execution_id: str, reason: Optional[str]=None) -> str:
        """Operator cancel of a non-terminal execution → ``"cancelled"``.
        Repeating it on an execution this cancel ended succeeds.
        """
        return await self._run_async(self._defs().cancel(execution_id, reason))

    async def replay(self, execution_id: str) -> str:
        """Put a terminal execution back to ``"waiting"``.

        Raises:
            StateError (``ExecutionNotTerminal``), LimitExceeded
            (``MaxReplaysExhausted``).
        """
        return await self._run_async(self._defs().replay(execution_id))

    async def change_priority(self, execution_id: str, priority: int) -> int:
        """Change the priority of a waiting/delayed execution; returns the
        old priority.
        """
        return await self._run_async(self._defs().change_priority(execution_id, priority))

    async def revoke_lease(self, execution_id: str, expected_lease_id: Optional[str]=None, reason: Optional[str]=None) -> LeaseRevocation:
        """Take the lease away from its holder → ``"revoked"``,
        ``"already_revoked"`` or ``"already_expired"``, as a
        :class:`LeaseRevocation` (a ``str``) whose ``lease_id`` and
        ``lease_epoch`` name the lease taken away. The execution becomes
        claimable again (as a reclaim); the holder's later writes fail with
        :class:`LeaseRevoked`.
        """
        return await self._run_async(self._defs().revoke_lease(execution_id, expected_lease_id, reason))

    async def reclaim_grant(self, execution_id: str, worker_id: str, ttl: Duration=30.0) -> Tuple[str, int]:
        """Grant the reclaim of an execution whose lease expired or was
        revoked to one worker for ``ttl`` (other workers skip it meanwhile).
        Returns ``(token, grant_expiry_ms)``; the worker passes the token to
        :meth:`claim_reclaim`.

        Raises:
            StateError (``ExecutionNotReclaimable``): the lease is intact.
            Conflict (``GrantAlreadyExists``): another grant is live.
        """
        return await self._run_async(self._defs().reclaim_grant(execution_id, worker_id, ttl))

    async def lanes(self) -> List[str]:
        """Every lane that has executions, sorted."""
        return await self._run_async(self._defs().lanes())

    async def lane_counts(self, lane: str) -> LaneCounts:
        """Executions of one lane per state."""
        return await self._run_async(self._defs().lane_counts(lane))

    async def list_lane_page(self, lane: str, state: str, cursor: str='0', count: int=100) -> Page:
        """One page of the ids of a lane in one state index."""
        return await self._run_async(self._defs().list_lane_page(lane, state, cursor, count))

    async def list_partition_page(self, partition: int, cursor: str='0', count: int=100) -> Page:
        """One page of a partition scan (SSCAN semantics)."""
        return await self._run_async(self._defs().list_partition_page(partition, cursor, count))

    async def signal(self, execution_id: str, waitpoint_id: str, token: str, name: str, payload: BytesLike=b'', *, source_type: str='user', source: str='python', idempotency_key: Optional[str]=None) -> SignalResult:
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
        return await self._run_async(self._defs().signal(execution_id, waitpoint_id, token, name, payload, source_type=source_type, source=source, idempotency_key=idempotency_key))

    async def list_suspended_page(self, partition: int, cursor: str='0', count: int=100) -> Tuple[List[SuspendedExecution], str]:
        """One page of the suspended executions of a partition, oldest
        first: ``(entries, next_cursor)`` (``"0"`` when done).
        """
        return await self._run_async(self._defs().list_suspended_page(partition, cursor, count))

    async def waitpoints(self, execution_id: str) -> List[WaitpointRecord]:
        """The waitpoints of an execution, oldest first, sanitized
        (:class:`WaitpointRecord`: id, key, state, kid, fingerprint,
        expires_at, signal_names -- never the token).
        """
        return await self._run_async(self._defs().waitpoints(execution_id))

    async def waitpoint_token(self, execution_id: str, waitpoint_id: str) -> str:
        """Operator read of a waitpoint's raw token (e.g. to re-send an
        approval link). Treat it as a secret.

        Raises:
            WaitpointNotFound: no such waitpoint on this execution.
        """
        return await self._run_async(self._defs().waitpoint_token(execution_id, waitpoint_id))

    async def rotate_secret(self, kid: str, secret_hex: Optional[str]=None, *, grace: Duration=DEFAULT_ROTATION_GRACE) -> str:
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
        return await self._run_async(self._defs().rotate_secret(kid, secret_hex, grace=grace))

    async def secrets(self) -> SigningKeys:
        """The signing key ids (never the secrets): current kid, previous
        kids still in grace with their expiry, partitions disagreeing.
        """
        return await self._run_async(self._defs().secrets())

    async def claim(self, lanes: Sequence[str]=('default',), *, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, batch: int=1, worker_id: Optional[str]=None, instance_id: Optional[str]=None) -> List[Claim]:
        """Claim up to ``batch`` executions (low-level API; most programs use
        :class:`Worker`). Returns ``[]`` when nothing is claimable. The
        caller must renew leases that may outlive ``lease_ttl``.
        """
        return await self._run_async(self._defs().claim(lanes, capabilities=capabilities, lease_ttl=lease_ttl, batch=batch, worker_id=worker_id, instance_id=instance_id))

    async def claim_reclaim(self, execution_id: str, token: str, *, worker_id: str, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
        """Claim one execution with a reclaim token from
        :meth:`reclaim_grant` (``worker_id`` must be the granted one); the
        claim's attempt type is ``"reclaim"``.
        """
        return await self._run_async(self._defs().claim_reclaim(execution_id, token, worker_id=worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    async def claim_resumed(self, execution_id: str, *, worker_id: str, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
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
        return await self._run_async(self._defs().claim_resumed(execution_id, worker_id=worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    async def grant_and_claim(self, execution_id: str, worker_id: str, *, capabilities: Iterable[str]=(), lease_ttl: Duration=30.0, instance_id: Optional[str]=None) -> Claim:
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
        return await self._run_async(self._defs().grant_and_claim(execution_id, worker_id, capabilities=capabilities, lease_ttl=lease_ttl, instance_id=instance_id))

    async def renew(self, claim: Claim) -> int:
        """Extend the lease by its TTL; returns the new expiry (unix ms)."""
        return await self._run_async(self._defs().renew(claim))

    async def progress(self, claim: Claim, percent: int, message: Optional[str]=None) -> None:
        """Report progress (0..100) under the lease."""
        return await self._run_async(self._defs().progress(claim, percent, message))

    async def complete(self, claim: Claim, result: BytesLike=None) -> str:
        """Complete with result bytes → ``"completed"``."""
        return await self._run_async(self._defs().complete(claim, result))

    async def fail(self, claim: Claim, reason: str, category: str='error', *, retry: bool=True) -> Tuple[str, int]:
        """Fail the attempt → ``("retry_scheduled", retry_at_ms)`` or
        ``("terminal_failed", 0)``, as the retry policy decides;
        ``retry=False`` ends the execution as failed whatever the policy says
        (retrying cannot help: bad input, a permanent refusal).
        """
        return await self._run_async(self._defs().fail(claim, reason, category, retry=retry))

    async def cancel_lease(self, claim: Claim, reason: Optional[str]=None) -> str:
        """Cancel by the lease holder → ``"cancelled"``."""
        return await self._run_async(self._defs().cancel_lease(claim, reason))

    async def delay(self, claim: Claim, until: When) -> int:
        """Release the lease and park the execution until ``until``
        (datetime or unix seconds); the next claim resumes the same attempt.
        """
        return await self._run_async(self._defs().delay(claim, until))

    async def append_frame(self, claim: Claim, frame_type: str, payload: BytesLike=b'', *, mode: str='durable', encoding: Optional[str]=None, source: Optional[str]=None, correlation_id: Optional[str]=None) -> FrameAppended:
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
        return await self._run_async(self._defs().append_frame(claim, frame_type, payload, mode=mode, encoding=encoding, source=source, correlation_id=correlation_id))

    async def read_stream(self, execution_id: str, attempt: int=0, after: str='', to: str='', count: int=100, durable_only: bool=False) -> StreamPage:
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
        return await self._run_async(self._defs().read_stream(execution_id, attempt, after, to, count, durable_only))

    async def tail_stream(self, execution_id: str, attempt: int=0, after: str='', block_ms: int=1000, count: int=100, durable_only: bool=False) -> StreamPage:
        """Wait for frames after the cursor ``after``: returns as soon as
        there is a frame or the stream is closed, or after ``block_ms``
        (0 = do not wait) with no frame. The wait runs on one of the
        client's dedicated connections; other calls go on meanwhile, and
        the call's deadline is the client timeout plus the block. An attempt
        that ended without writing any frame is seen closed when the block
        ends. Other arguments and errors as :meth:`read_stream`;
        :meth:`follow` wraps the loop.
        """
        return await self._run_async(self._defs().tail_stream(execution_id, attempt, after, block_ms, count, durable_only))

    async def stream_summary(self, execution_id: str, attempt: int=0) -> StreamSummary:
        """The summary document of attempt ``attempt``: the merge of its
        summary frames (:class:`StreamSummary`: ``document`` parsed, or
        ``None`` before the first, ``version``, ``created``, ``updated``).
        """
        return await self._run_async(self._defs().stream_summary(execution_id, attempt))

    async def create_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]], *, on_hard: str='notify', on_soft: str='notify', reset_interval: Optional[Duration]=None, scope: Tuple[str, Optional[str]]=('global', None)) -> BudgetCreated:
        """Create a budget (docs/budgets.md): ``dimensions`` maps a name
        (``"tokens"``, ``"cost_microusd"``, ...) to its hard limit or to
        ``(hard, soft)`` (0 = no limit); ``on_hard``: ``"block"``,
        ``"cancel_pending"`` or ``"notify"``; ``on_soft``: ``"notify"`` or
        ``"block"``; ``reset_interval``: usage back to 0 every so often (the
        engine does it). Idempotent: an existing id keeps its stored
        definition (:class:`BudgetCreated` says whether yours matched);
        change limits with :meth:`update_budget`.
        """
        return await self._run_async(self._defs().create_budget(budget_id, dimensions, on_hard=on_hard, on_soft=on_soft, reset_interval=reset_interval, scope=scope))

    async def update_budget(self, budget_id: str, dimensions: Mapping[str, Union[int, Tuple[int, int]]]) -> int:
        """Change the limits of the given dimensions (``(0, 0)`` removes a
        dimension's limits; the others keep theirs). Returns how many
        dimensions have a limit now. A raise that makes room returns
        blocked executions to the queue (through the engine).
        """
        return await self._run_async(self._defs().update_budget(budget_id, dimensions))

    async def report_usage(self, budget_id: str, usage: Mapping[str, int], *, claim: Optional[Claim]=None, dedup_key: Optional[str]=None) -> UsageReport:
        """Report spend: ``usage`` maps dimension names to deltas (>= 0),
        applied all together or not at all. Checked first: a delta that
        would pass a hard limit applies nothing (``outcome`` =
        ``"hard_breach"``); otherwise all apply and the first dimension
        above its soft limit is a ``"soft_breach"``. A breach is an answer,
        not an exception. With ``claim`` the lease is checked first and the
        spend is recorded for the execution (:meth:`release_budget` gives it
        back); ``dedup_key``: a repeat within 24 h applies nothing
        (``"already_applied"``).
        """
        return await self._run_async(self._defs().report_usage(budget_id, usage, claim=claim, dedup_key=dedup_key))

    async def release_budget(self, budget_id: str, execution_id: str) -> bool:
        """Give back exactly what ``execution_id`` recorded in the budget
        (usage never below 0); True when something was given back, False
        for a repeat (idempotent).
        """
        return await self._run_async(self._defs().release_budget(budget_id, execution_id))

    async def reset_budget(self, budget_id: str) -> int:
        """Reset now: every usage dimension to 0 (blocked executions return
        through the engine). Returns the number of resets so far.
        """
        return await self._run_async(self._defs().reset_budget(budget_id))

    async def describe_budget(self, budget_id: str) -> Budget:
        """A budget's limits, usage, counters and next reset (:class:`Budget`).

        Raises:
            BudgetNotFound: unknown id.
        """
        return await self._run_async(self._defs().describe_budget(budget_id))

    async def list_budgets_page(self, partition: int, cursor: str='', count: int=100) -> Page:
        """One page of the budget ids of budget partition ``partition``, in
        byte order after the exclusive ``cursor``.
        """
        return await self._run_async(self._defs().list_budgets_page(partition, cursor, count))

    async def create_quota(self, lane: str, quota_id: str, *, rate: Optional[int]=None, window: Optional[Duration]=None, concurrency: Optional[int]=None) -> QuotaCreated:
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
        return await self._run_async(self._defs().create_quota(lane, quota_id, rate=rate, window=window, concurrency=concurrency))

    async def describe_quota_page(self, lane: str, cursor: str='', count: int=100) -> Tuple[Quota, str]:
        """A lane's quota policy with one page of its groups (in byte order
        after the exclusive ``cursor``) and the cursor of the next page
        (``""`` when done). :meth:`describe_quota` reads them all.
        """
        return await self._run_async(self._defs().describe_quota_page(lane, cursor, count))

    async def list_quotas_page(self, cursor: str='', count: int=100) -> Page:
        """One page of the lanes that have a quota policy, in byte order
        after the exclusive ``cursor``.
        """
        return await self._run_async(self._defs().list_quotas_page(cursor, count))

    async def pause_group(self, lane: str, group: str, seconds: Optional[Duration]=None, *, until: Optional[When]=None) -> int:
        """Pause ``group`` (``""`` = the default group) of ``lane`` for
        ``seconds`` (or until ``until``; computed on this machine's clock):
        its work is parked, not failed, and starts again then (a longer
        pause already set is kept). Returns the pause end now stored (unix
        ms).
        """
        return await self._run_async(self._defs().pause_group(lane, group, seconds, until=until))

    async def resume_group(self, lane: str, group: str) -> bool:
        """End ``group``'s pause now; its parked work returns as the policy
        allows. True when the group was paused.
        """
        return await self._run_async(self._defs().resume_group(lane, group))

    async def create_lane(self, lane: str) -> bool:
        """Configure ``lane`` (idempotent): it is listed by
        :meth:`list_lanes` before any execution uses it, and stays listed
        after retention removed its executions. True when it was not
        configured before.
        """
        return await self._run_async(self._defs().create_lane(lane))

    async def pause_lane(self, lane: str, reason: str='') -> bool:
        """Pause ``lane`` as an operator (docs/admission.md "Lanes"): no
        claim leases its work until :meth:`resume_lane` -- workers get
        nothing from it, targeted claims raise ``StateError``
        (``LanePaused``) -- while its executions keep their place (public
        state ``waiting``; ``describe`` shows ``blocked_by_operator`` /
        ``paused_by_operator``). A paused lane keeps its first pause time
        and reason. True when this call paused it.
        """
        return await self._run_async(self._defs().pause_lane(lane, reason))

    async def resume_lane(self, lane: str) -> bool:
        """Resume a paused lane; its idle workers are woken at once. True
        when it was paused.
        """
        return await self._run_async(self._defs().resume_lane(lane))

    async def list_lanes_page(self, cursor: str='', count: int=100) -> Dict[str, Any]:
        """One page of the lanes (configured or in use) in byte order after
        the exclusive ``cursor``: ``{"lanes": [{"lane", "configured",
        "configured_at", "paused", "paused_at", "reason"}, ...],
        "next_cursor"}`` (``None`` when done; times are unix ms or
        ``None``).
        """
        return await self._run_async(self._defs().list_lanes_page(cursor, count))

    async def list_workers_page(self, lane: Optional[str]=None, cursor: str='', count: int=100) -> Dict[str, Any]:
        """One page of the live registered workers in id order after the
        exclusive ``cursor`` (only those of ``lane`` when given):
        ``{"workers": [{"worker_id", "instance_id", "lanes", "capabilities",
        "concurrency", "ttl_ms", "registered_at", "last_heartbeat",
        "expires_at", "leases"}, ...], "next_cursor"}`` (``None`` when done;
        a page may be short while more follow). ``leases`` is exact: the
        leases the worker holds now.
        """
        return await self._run_async(self._defs().list_workers_page(lane, cursor, count))

    async def register_worker(self, worker_id: str, lanes: Sequence[str], *, instance_id: Optional[str]=None, capabilities: Sequence[str]=(), concurrency: int=1, ttl: Duration=30.0) -> int:
        """Register (or refresh: call it again every ``ttl``/3 as the
        heartbeat) a worker in the registry capability routing consults;
        an entry not refreshed within ``ttl`` (seconds or a timedelta,
        1 s .. 1 day) expires. Route-blocked work of its lanes that it can
        run is eligible again in this call (at most 500 per partition).
        Returns the number of executions returned to eligible.
        """
        return await self._run_async(self._defs().register_worker(worker_id, lanes, instance_id=instance_id, capabilities=capabilities, concurrency=concurrency, ttl=ttl))

    async def mark_worker_dead(self, worker_id: str) -> bool:
        """Remove a worker from the registry now: it no longer counts as a
        capable worker for capability routing. Its leases are not revoked
        (they end by completion or expiry). True when it was registered,
        False otherwise (idempotent).
        """
        return await self._run_async(self._defs().mark_worker_dead(worker_id))

    async def create_flow(self, flow_id: Optional[str]=None, *, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None, budgets: Iterable[str]=()) -> FlowId:
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
        return await self._run_async(self._defs().create_flow(flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming, budgets=budgets))

    async def submit_flow(self, members: Sequence[Mapping[str, Any]], edges: Sequence[Sequence[Any]]=(), *, groups: Optional[Mapping[int, Mapping[str, Any]]]=None, flow_id: Optional[str]=None, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None, parent: Optional[str]=None, budgets: Iterable[str]=()) -> SubmittedFlow:
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
        return await self._run_async(self._defs().submit_flow(members, edges, groups=groups, flow_id=flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming, parent=parent, budgets=budgets))

    async def add_to_flow(self, flow_id: str, execution_id: str) -> str:
        """Add an existing execution to a flow, atomically (a refusal writes
        nothing) -> ``"added"`` or ``"already_member"``.

        Raises:
            PartitionMismatch: the execution is on another partition.
            FlowNotFound, ExecutionNotFound, ExecutionAlreadyInFlow,
            FlowAlreadyTerminal, FlowLimitExceeded.
        """
        return await self._run_async(self._defs().add_to_flow(flow_id, execution_id))

    async def set_group(self, flow_id: str, downstream: str, policy: str='all_of', k: Optional[int]=None, on_satisfied: str='cancel_remaining') -> str:
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
        return await self._run_async(self._defs().set_group(flow_id, downstream, policy, k, on_satisfied))

    async def add_edge(self, flow_id: str, upstream: str, downstream: str, *, expected_revision: Optional[int]=None, pass_data: bool=False) -> FlowEdge:
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
        return await self._run_async(self._defs().add_edge(flow_id, upstream, downstream, expected_revision=expected_revision, pass_data=pass_data))

    async def describe_flow(self, flow_id: str) -> Flow:
        """Snapshot of a flow (:class:`Flow`: state, revision, limits, counts,
        members, edges, groups).

        Raises:
            FlowNotFound: unknown id.
        """
        return await self._run_async(self._defs().describe_flow(flow_id))

    async def list_flows_page(self, partition: int, cursor: str='', count: int=100) -> Page:
        """One page of the flow ids of a partition, in byte order after the
        exclusive ``cursor`` (``""`` = from the start).
        """
        return await self._run_async(self._defs().list_flows_page(partition, cursor, count))

    async def list_edges(self, flow_id: str, execution_id: str, direction: str='out') -> List[FlowEdge]:
        """The edges out of (``"out"``) or into (``"in"``) one member, by
        edge id (:class:`FlowEdge` with id, upstream, downstream, state).
        """
        return await self._run_async(self._defs().list_edges(flow_id, execution_id, direction))

    async def describe_edge(self, flow_id: str, edge_id: str) -> FlowEdge:
        """One edge, in full (:class:`FlowEdge`).

        Raises:
            EdgeNotFound, FlowNotFound.
        """
        return await self._run_async(self._defs().describe_edge(flow_id, edge_id))

    async def flow_of(self, execution_id: str) -> Optional[str]:
        """The id of the flow an execution belongs to, ``None`` when it is in
        no flow.

        Raises:
            ExecutionNotFound.
        """
        return await self._run_async(self._defs().flow_of(execution_id))

    async def parent_results(self, execution_id: str) -> Dict[str, Optional[bytes]]:
        """The upstream members of an execution -> the result bytes their
        edges carry (``None`` for an edge staged without ``pass_data`` or
        whose upstream did not complete). ``{}`` for an execution in no flow.
        """
        return await self._run_async(self._defs().parent_results(execution_id))

    async def children(self, execution_id: str) -> List[ChildExecution]:
        """The members of every child flow an execution spawned, with their
        states and results (:class:`ChildExecution`; ``result`` is ``None``
        unless the child completed). ``[]`` without children.

        Raises:
            ExecutionNotFound.
        """
        return await self._run_async(self._defs().children(execution_id))

    async def read_completions(self, partition: int, cursor: Optional[str]='', count: int=100) -> CompletionPage:
        """One page of a partition's completion feed after the exclusive
        ``cursor`` (``""`` = the oldest entry kept, ``"$"`` = an empty page
        whose cursor is the newest entry): every ending of a flow member and
        every flow settling, in order (:class:`CompletionPage`). Store the
        page's ``cursor`` to resume after a restart; ``gap`` says entries
        after your cursor were deleted by the retention.
        """
        return await self._run_async(self._defs().read_completions(partition, cursor, count))

    async def command(self, *args: Union[bytes, str, int, float]) -> Any:
        """Send one raw command on the shared connection (tools and tests;
        never blocking commands). Returns None, bytes, int or a list.
        """
        return await self._run_async(self._defs().command(*args))

    async def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as compact UTF-8 JSON."""
        return await drive_async(self._run_async, self._plans().submit_json(kind, obj, **kwargs))

    async def result_json(self, execution_id: str) -> Any:
        """:meth:`result` decoded as JSON."""
        return await drive_async(self._run_async, self._plans().result_json(execution_id))

    async def wait(self, execution_id: str, timeout: Optional[Duration]=None) -> bytes:
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
        return await drive_async(self._run_async, self._plans().wait(execution_id, timeout))

    async def wait_json(self, execution_id: str, timeout: Optional[Duration]=None) -> Any:
        """:meth:`wait`, the result decoded as JSON."""
        return await drive_async(self._run_async, self._plans().wait_json(execution_id, timeout))

    async def wait_ended(self, execution_id: str, timeout: Optional[Duration]=None) -> Execution:
        """Wait (woken, as :meth:`wait`) until the execution has ended,
        however it ended, and return its snapshot.

        Raises:
            Timeout: ``timeout`` passed first.
        """
        return await drive_async(self._run_async, self._plans().wait_ended(execution_id, timeout))

    async def stats(self) -> Dict[str, LaneCounts]:
        """Counts of every lane (what ``ffctl stats`` shows)."""
        return await drive_async(self._run_async, self._plans().stats())

    def list_lane(self, lane: str, state: str, *, count: int=100) -> AsyncIterator[str]:
        """Iterate the ids of a lane in one state (``"waiting"``,
        ``"completed"``, ...), in index order, following the cursor page by
        page (``count`` ids per round trip, 1..1000).
        """
        return iter_async(self._run_async, lambda: self._plans().list_lane(lane, state, count=count))

    def list_partition(self, partition: int, *, count: int=100) -> AsyncIterator[str]:
        """Iterate every execution id of one partition (each once)."""
        return iter_async(self._run_async, lambda: self._plans().list_partition(partition, count=count))

    def list_executions(self, *, count: int=100) -> AsyncIterator[str]:
        """Iterate every execution id of the deployment, partition by
        partition.
        """
        return iter_async(self._run_async, lambda: self._plans().list_executions(count=count))

    def list_suspended(self, partition: Optional[int]=None, *, count: int=100) -> AsyncIterator[SuspendedExecution]:
        """Iterate the suspended executions (:class:`SuspendedExecution`:
        id, suspended_at, reason, timeout_at) of one partition, oldest first,
        following the cursor page by page -- or of every partition, one
        after the other, when ``partition`` is ``None``.
        """
        return iter_async(self._run_async, lambda: self._plans().list_suspended(partition, count=count))

    async def cancel_flow(self, flow_id: str, policy: str, reason: Optional[str]=None, *, wait: bool=False, timeout: Optional[Duration]=None) -> FlowCancellation:
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
        return await drive_async(self._run_async, self._plans().cancel_flow(flow_id, policy, reason, wait=wait, timeout=timeout))

    async def wait_flow(self, flow_id: str, timeout: Optional[Duration]=None) -> Flow:
        """Wait until the flow has settled (its state is final and every
        member has ended) and return its snapshot. Woken by the settling
        itself (``ff_flow_wait``), not by polling.

        Raises:
            Timeout: ``timeout`` (seconds; ``None``: as long as it takes)
                passed first.
            FlowNotFound: no such flow.
        """
        return await drive_async(self._run_async, self._plans().wait_flow(flow_id, timeout))

    def follow_completions(self, partition: int, cursor: Optional[str]='$', *, count: int=100, idle_timeout: Optional[Duration]=None) -> AsyncIterator[FlowCompletion]:
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
        return iter_async(self._run_async, lambda: self._plans().follow_completions(partition, cursor, count=count, idle_timeout=idle_timeout))

    def follow(self, execution_id: str, attempt: Optional[int]=None, *, durable_only: bool=False, block_ms: int=1000) -> AsyncIterator[StreamFrame]:
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
        is.
        """
        return iter_async(self._run_async, lambda: self._plans().follow(execution_id, attempt, durable_only=durable_only, block_ms=block_ms))

    def list_flows(self, partition: Optional[int]=None, *, count: int=100) -> AsyncIterator[str]:
        """Iterate the flow ids of one partition in byte order, following the
        cursor page by page (``count`` ids per round trip, 1..1000) -- or of
        every partition, one after the other, when ``partition`` is ``None``.
        """
        return iter_async(self._run_async, lambda: self._plans().list_flows(partition, count=count))

    def list_budgets(self, partition: Optional[int]=None, *, count: int=100) -> AsyncIterator[str]:
        """Iterate the budget ids of one budget partition in byte order, or
        of every partition when ``partition`` is ``None``.
        """
        return iter_async(self._run_async, lambda: self._plans().list_budgets(partition, count=count))

    async def describe_quota(self, lane: str) -> Quota:
        """A lane's quota policy and all its groups (:class:`Quota`),
        following the group cursor page by page.
        """
        return await drive_async(self._run_async, self._plans().describe_quota(lane))

    def list_quotas(self, *, count: int=100) -> AsyncIterator[str]:
        """Iterate the lanes that have a quota policy, in byte order."""
        return iter_async(self._run_async, lambda: self._plans().list_quotas(count=count))

    def list_lanes(self, *, count: int=100) -> AsyncIterator[Dict[str, Any]]:
        """Iterate the lanes (configured or in use) in byte order, page by
        page (``count`` per round trip, 1..1000); each is a dict as in
        :meth:`list_lanes_page`.
        """
        return iter_async(self._run_async, lambda: self._plans().list_lanes(count=count))

    def list_workers(self, lane: Optional[str]=None, *, count: int=100) -> AsyncIterator[Dict[str, Any]]:
        """Iterate the live registered workers (of ``lane`` when given) in id
        order, page by page (``count`` per round trip, 1..1000); each is a
        dict as in :meth:`list_workers_page`.
        """
        return iter_async(self._run_async, lambda: self._plans().list_workers(lane, count=count))

    async def build_flow(self, nodes: Sequence[FlowNode], flow_id: Optional[str]=None, *, lane: Optional[str]=None, max_members: Optional[int]=None, max_incoming: Optional[int]=None) -> FlowId:
        """Create a flow and its members as declared with the builder
        (``with client.flow(...) as f``; ``nodes`` are its ``f.nodes``, in
        the order added, each upstream before its downstreams) in one atomic
        :meth:`submit_flow`: no member is claimable before its upstreams
        end. Sets each node's ``id``; returns the flow id.
        """
        return await drive_async(self._run_async, self._plans().build_flow(nodes, flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming))
