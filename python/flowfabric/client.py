"""The synchronous client.

Every call is one C operation in *future mode*: the call is started, then
``ff_op_wait`` blocks (with the GIL released) until the library's I/O thread
has the answer. A :class:`Client` is thread-safe: share one per process.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from . import errors as _errors
from ._core import FF_EAGAIN, FF_OK, BytesLike, Claim, ClaimOptions, ClientCore, OpSpec
from ._args import UINT32, Duration, When, duration_ms, integer, unix_ms
from ._ffi import NULL, ffi, lib, to_bytes_arg, to_str
from .types import (
    Execution,
    ExecutionId,
    LaneCounts,
    LeaseRevocation,
    Page,
    Retry,
    SignalResult,
    SigningKeys,
    SuspendedExecution,
    WaitpointRecord,
)

#: Default grace of rotate_secret: tokens signed with the previous key keep
#: working this long (seconds).
DEFAULT_ROTATION_GRACE = 24 * 3600

__all__ = ["Client", "connect", "Engine"]

# ff_op_wait slice: short enough for Ctrl-C to interrupt a waiting main
# thread, long enough to cost nothing.
_WAIT_SLICE_MS = 250


def run_sync(spec: OpSpec) -> Any:
    """Run one (start, extract) pair in future mode and return its value."""
    start, extract = spec
    out = ffi.new("ff_op **")
    st = start(NULL, NULL, out)
    if st != FF_OK:
        _core.check(st)
    op = out[0]
    try:
        st = lib.ff_op_wait(op, _WAIT_SLICE_MS)
        while st == FF_EAGAIN and not lib.ff_op_done(op):
            st = lib.ff_op_wait(op, _WAIT_SLICE_MS)
        if st != FF_OK:
            raise _core.op_error(op, st)
        return extract(op)
    finally:
        lib.ff_op_free(op)


# One ff_execution_wait lasts at most 30 days (its range); a wait without a
# timeout chains them.
_WAIT_ROUND_MS = 30 * 86400 * 1000

# How an execution may end other than completed: wait_ended returns these.
_ENDED_OTHERWISE = (_errors.ExecutionFailed, _errors.ExecutionCancelled, _errors.ExecutionExpired,
                    _errors.ExecutionSkipped)


def _wait_rounds(timeout: Optional[Duration], one: Any) -> Any:
    """Run one(ms) once for a finite timeout, or round after round of the
    longest wait the library takes when there is none."""
    if timeout is not None:
        return one(duration_ms(timeout, "timeout"))
    while True:
        try:
            return one(_WAIT_ROUND_MS)
        except _errors.Timeout:
            continue


class _Base:
    """Argument handling shared by Client and AsyncClient (documentation of
    the parameters lives on Client)."""

    _core: ClientCore

    @property
    def url(self) -> str:
        """The server URL in use (``unix://...`` for the embedded server)."""
        return self._core.url

    @property
    def partitions(self) -> int:
        """Partition count of the deployment."""
        return self._core.partitions

    @property
    def connected(self) -> bool:
        """True while the connection is up and the function library loaded."""
        return self._core.connected

    @property
    def connect_count(self) -> int:
        """How many times the client (re)established its connection."""
        return self._core.connect_count

    @property
    def closed(self) -> bool:
        return self._core.closed

    def _ops(self) -> _core.Ops:
        self._core.live()
        return self._core.ops


class Client(_Base):
    """Synchronous FlowFabric client (one connection + one I/O thread).

    Args:
        url: ``redis://[user:pass@]host:port[/db]`` or
            ``unix:///path.sock[?db=N]``. ``None``: ``$FF_URL``, else the
            embedded private redis-server under ``data_dir``.
        data_dir: directory of the embedded server (default ``$FF_HOME``,
            else the nearest ``.flowfabric/`` from the current directory
            upward, else ``$XDG_DATA_HOME/flowfabric`` or
            ``~/.local/share/flowfabric``).
        timeout: per-call deadline (seconds or timedelta, default 30 s).
        connect_timeout: time allowed to connect (default 10 s).
        max_payload_bytes: largest payload/result accepted (default 64 MiB).
        partitions: require exactly this partition count (``None``: adopt
            the deployment's).

    Raises:
        TransportError: the server did not answer in time.
        FlowFabricError: any other connection failure (see ``errors``).

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, url: Optional[str] = None, *, data_dir: Optional[str] = None,
                 timeout: Optional[Duration] = None, connect_timeout: Optional[Duration] = None,
                 max_payload_bytes: Optional[int] = None, partitions: Optional[int] = None) -> None:
        self._core = ClientCore(url, data_dir=data_dir, timeout=timeout, connect_timeout=connect_timeout,
                                max_payload_bytes=max_payload_bytes, partitions=partitions)

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Stop the workers and engines still running on this client, then
        close the connection. Idempotent. Call it once no other thread uses
        the client any more (pending calls complete with an error). A client
        still open when the interpreter exits is closed then, the same way."""
        self._core.shutdown()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<flowfabric.Client closed>"
        return f"<flowfabric.Client {self.url} partitions={self.partitions}>"

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
    ) -> ExecutionId:
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

        Returns:
            :class:`ExecutionId`, a ``str`` with ``.public_state`` and
            ``.duplicate``.

        Raises:
            InvalidInput: a malformed argument (nothing was written).
            LimitExceeded: the payload is larger than ``max_payload_bytes``.
        """
        spec = _core.build_spec(kind, payload, lane=lane, namespace=namespace, priority=priority, retry=retry,
                                policy=policy, delay=delay, delay_until=delay_until, deadline=deadline,
                                attempt_timeout=attempt_timeout, capabilities=capabilities, tags=tags,
                                idempotency_key=idempotency_key, idempotency_ttl=idempotency_ttl,
                                max_reclaims=max_reclaims, max_replays=max_replays, execution_id=execution_id)
        try:
            return run_sync(self._ops().create(spec))
        finally:
            spec.close()

    def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as compact UTF-8 JSON."""
        return self.submit(kind, _core.json_bytes(obj), **kwargs)

    # -------------------------------------------------------------- reads
    def describe(self, execution_id: str) -> Execution:
        """Full snapshot of an execution (:class:`Execution`).

        Raises:
            NotFound (``ExecutionNotFound``): unknown id.
            InvalidInput: not an execution id.
        """
        return run_sync(self._ops().describe(execution_id))

    def state(self, execution_id: str) -> str:
        """The public state only (``"waiting"``, ``"completed"``, ...)."""
        return run_sync(self._ops().state(execution_id))

    def result(self, execution_id: str) -> bytes:
        """Result bytes of a finished execution (``b""`` when it ended
        without one).

        Raises:
            StateError (``ExecutionNotTerminal``): not finished yet.
        """
        return run_sync(self._ops().result(execution_id))

    def result_json(self, execution_id: str) -> Any:
        """:meth:`result` decoded as JSON."""
        return json.loads(self.result(execution_id))

    def wait(self, execution_id: str, timeout: Optional[Duration] = None) -> bytes:
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
        return _wait_rounds(timeout, lambda ms: run_sync(self._ops().wait(execution_id, ms)))

    def wait_json(self, execution_id: str, timeout: Optional[Duration] = None) -> Any:
        """:meth:`wait`, the result decoded as JSON."""
        return json.loads(self.wait(execution_id, timeout))

    def wait_ended(self, execution_id: str, timeout: Optional[Duration] = None) -> Execution:
        """Wait (woken, as :meth:`wait`) until the execution has ended,
        however it ended, and return its snapshot.

        Raises:
            Timeout: ``timeout`` passed first.
        """
        try:
            self.wait(execution_id, timeout)
        except _ENDED_OTHERWISE:
            pass
        return self.describe(execution_id)

    # ---------------------------------------------------------- operator
    def cancel(self, execution_id: str, reason: Optional[str] = None) -> str:
        """Operator cancel of a non-terminal execution → ``"cancelled"``.
        Repeating it on an execution this cancel ended succeeds."""
        return run_sync(self._ops().cancel(execution_id, reason))

    def replay(self, execution_id: str) -> str:
        """Put a terminal execution back to ``"waiting"``.

        Raises:
            StateError (``ExecutionNotTerminal``), LimitExceeded
            (``MaxReplaysExhausted``).
        """
        return run_sync(self._ops().replay(execution_id))

    def change_priority(self, execution_id: str, priority: int) -> int:
        """Change the priority of a waiting/delayed execution; returns the
        old priority."""
        return run_sync(self._ops().change_priority(execution_id, priority))

    def revoke_lease(self, execution_id: str, expected_lease_id: Optional[str] = None,
                     reason: Optional[str] = None) -> LeaseRevocation:
        """Take the lease away from its holder → ``"revoked"``,
        ``"already_revoked"`` or ``"already_expired"``, as a
        :class:`LeaseRevocation` (a ``str``) whose ``lease_id`` and
        ``lease_epoch`` name the lease taken away. The execution becomes
        claimable again (as a reclaim); the holder's later writes fail with
        :class:`LeaseRevoked`."""
        return run_sync(self._ops().revoke(execution_id, expected_lease_id, reason))

    def reclaim_grant(self, execution_id: str, worker_id: str, ttl: Duration = 30.0) -> Tuple[str, int]:
        """Grant the reclaim of an execution whose lease expired or was
        revoked to one worker for ``ttl`` (other workers skip it meanwhile).
        Returns ``(token, grant_expiry_ms)``; the worker passes the token to
        :meth:`claim_reclaim`.

        Raises:
            StateError (``ExecutionNotReclaimable``): the lease is intact.
            Conflict (``GrantAlreadyExists``): another grant is live.
        """
        return run_sync(self._ops().reclaim_grant(execution_id, worker_id, duration_ms(ttl, "ttl")))

    # ----------------------------------------------------------- listings
    def lanes(self) -> List[str]:
        """Every lane that has executions, sorted."""
        return run_sync(self._ops().lanes())

    def lane_counts(self, lane: str) -> LaneCounts:
        """Executions of one lane per state."""
        return run_sync(self._ops().lane_counts(lane))

    def stats(self) -> Dict[str, LaneCounts]:
        """Counts of every lane (what ``ffctl stats`` shows)."""
        return {ln: self.lane_counts(ln) for ln in self.lanes()}

    def list_lane_page(self, lane: str, state: str, cursor: str = "0", count: int = 100) -> Page:
        """One page of the ids of a lane in one state index."""
        return run_sync(self._ops().list_lane(lane, state, cursor, count))

    def list_lane(self, lane: str, state: str, *, count: int = 100) -> Iterator[str]:
        """Iterate the ids of a lane in one state (``"waiting"``,
        ``"completed"``, ...), in index order, following the cursor page by
        page (``count`` ids per round trip, 1..1000)."""
        cursor = "0"
        while True:
            page = self.list_lane_page(lane, state, cursor, count)
            yield from page.items
            if page.done:
                return
            cursor = page.cursor

    def list_partition_page(self, partition: int, cursor: str = "0", count: int = 100) -> Page:
        """One page of a partition scan (SSCAN semantics)."""
        return run_sync(self._ops().list_partition(partition, cursor, count))

    def list_partition(self, partition: int, *, count: int = 100) -> Iterator[str]:
        """Iterate every execution id of one partition (each once)."""
        seen = set()
        cursor = "0"
        while True:
            page = self.list_partition_page(partition, cursor, count)
            for eid in page.items:
                if eid not in seen:
                    seen.add(eid)
                    yield eid
            if page.done:
                return
            cursor = page.cursor

    def list_executions(self, *, count: int = 100) -> Iterator[str]:
        """Iterate every execution id of the deployment, partition by
        partition."""
        for p in range(self.partitions):
            yield from self.list_partition(p, count=count)

    # ---------------------------------------------------- signals / waitpoints
    def signal(self, execution_id: str, waitpoint_id: str, token: str, name: str, payload: BytesLike = b"", *,
               source_type: str = "user", source: str = "python", idempotency_key: Optional[str] = None
               ) -> SignalResult:
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
        return run_sync(self._ops().signal(execution_id, waitpoint_id, token, name, payload, source_type, source,
                                           idempotency_key))

    def list_suspended_page(self, partition: int, cursor: str = "0", count: int = 100
                            ) -> Tuple[List[SuspendedExecution], str]:
        """One page of the suspended executions of a partition, oldest
        first: ``(entries, next_cursor)`` (``"0"`` when done)."""
        return run_sync(self._ops().list_suspended(partition, cursor, count))

    def list_suspended(self, partition: Optional[int] = None, *, count: int = 100) -> Iterator[SuspendedExecution]:
        """Iterate the suspended executions (:class:`SuspendedExecution`:
        id, suspended_at, reason, timeout_at) of one partition, oldest first,
        following the cursor page by page -- or of every partition, one
        after the other, when ``partition`` is ``None``."""
        parts = range(self.partitions) if partition is None else [partition]
        for p in parts:
            cursor = "0"
            while True:
                rows, cursor = self.list_suspended_page(p, cursor, count)
                yield from rows
                if cursor in ("", "0"):
                    break

    def waitpoints(self, execution_id: str) -> List[WaitpointRecord]:
        """The waitpoints of an execution, oldest first, sanitized
        (:class:`WaitpointRecord`: id, key, state, kid, fingerprint,
        expires_at -- never the token)."""
        return run_sync(self._ops().waitpoints(execution_id))

    def waitpoint_token(self, execution_id: str, waitpoint_id: str) -> str:
        """Operator read of a waitpoint's raw token (e.g. to re-send an
        approval link). Treat it as a secret.

        Raises:
            WaitpointNotFound: no such waitpoint on this execution.
        """
        return run_sync(self._ops().waitpoint_token(execution_id, waitpoint_id))

    def rotate_secret(self, kid: str, secret_hex: Optional[str] = None, *,
                      grace: Duration = DEFAULT_ROTATION_GRACE) -> str:
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
        return run_sync(self._ops().secret_rotate(kid, secret_hex, duration_ms(grace, "grace")))

    def secrets(self) -> SigningKeys:
        """The signing key ids (never the secrets): current kid, previous
        kids still in grace with their expiry, partitions disagreeing."""
        return run_sync(self._ops().secret_list())

    # ------------------------------------------------------ lease (low level)
    def claim(self, lanes: Sequence[str] = ("default",), *, capabilities: Iterable[str] = (),
              lease_ttl: Duration = 30.0, batch: int = 1, worker_id: Optional[str] = None,
              instance_id: Optional[str] = None) -> List[Claim]:
        """Claim up to ``batch`` executions (low-level API; most programs use
        :class:`Worker`). Returns ``[]`` when nothing is claimable. The
        caller must renew leases that may outlive ``lease_ttl``."""
        o = ClaimOptions(lanes, capabilities, duration_ms(lease_ttl, "lease_ttl"), batch, worker_id, instance_id)
        return run_sync(self._ops().claim(o))

    def claim_reclaim(self, execution_id: str, token: str, *, worker_id: str, capabilities: Iterable[str] = (),
                      lease_ttl: Duration = 30.0, instance_id: Optional[str] = None) -> Claim:
        """Claim one execution with a reclaim token from
        :meth:`reclaim_grant` (``worker_id`` must be the granted one); the
        claim's attempt type is ``"reclaim"``."""
        o = ClaimOptions((), capabilities, duration_ms(lease_ttl, "lease_ttl"), 1, worker_id, instance_id)
        return run_sync(self._ops().claim_reclaim(execution_id, token, o))

    def renew(self, claim: Claim) -> int:
        """Extend the lease by its TTL; returns the new expiry (unix ms)."""
        return run_sync(self._ops().renew(claim))

    def progress(self, claim: Claim, percent: int, message: Optional[str] = None) -> None:
        """Report progress (0..100) under the lease."""
        run_sync(self._ops().progress(claim, percent, message))

    def complete(self, claim: Claim, result: BytesLike = None) -> str:
        """Complete with result bytes → ``"completed"``."""
        return run_sync(self._ops().complete(claim, result))

    def fail(self, claim: Claim, reason: str, category: str = "error", *, retry: bool = True) -> Tuple[str, int]:
        """Fail the attempt → ``("retry_scheduled", retry_at_ms)`` or
        ``("terminal_failed", 0)``, as the retry policy decides;
        ``retry=False`` ends the execution as failed whatever the policy says
        (retrying cannot help: bad input, a permanent refusal)."""
        return run_sync(self._ops().fail(claim, reason, category, retry))

    def cancel_lease(self, claim: Claim, reason: Optional[str] = None) -> str:
        """Cancel by the lease holder → ``"cancelled"``."""
        return run_sync(self._ops().lease_cancel(claim, reason))

    def delay(self, claim: Claim, until: When) -> int:
        """Release the lease and park the execution until ``until``
        (datetime or unix seconds); the next claim resumes the same attempt."""
        return run_sync(self._ops().lease_delay(claim, unix_ms(until, "until")))

    # ---------------------------------------------------------------- misc
    def command(self, *args: Union[bytes, str, int, float]) -> Any:
        """Send one raw command on the shared connection (tools and tests;
        never blocking commands). Returns None, bytes, int or a list."""
        return run_sync(self._ops().command(args))

    def engine(self, *, tick: Optional[Duration] = None, batch: Optional[int] = None,
               retention: Optional[Duration] = None, ownership_ttl: Optional[Duration] = None,
               engine_id: Optional[str] = None) -> "Engine":
        """Start an engine (the background sweeps) on this client's I/O
        thread. A :class:`Worker` runs one by default; use this in processes
        that only submit."""
        return Engine(self._core, tick=tick, batch=batch, retention=retention, ownership_ttl=ownership_ttl,
                      engine_id=engine_id)


def engine_options(*, tick: Optional[Duration] = None, batch: Optional[int] = None,
                   retention: Optional[Duration] = None, ownership_ttl: Optional[Duration] = None,
                   engine_id: Optional[str] = None) -> Any:
    """An owned ff_engine_opts: ``tick`` (the shortest interval between two
    sweeps of one partition), ``batch``, ``retention``, ``ownership_ttl``
    (the membership ttl in the engine registry), in seconds; ``engine_id``."""
    o = ffi.new("ff_engine_opts **")
    _core.check(lib.ff_engine_opts_new(o))
    opts = ffi.gc(o[0], lib.ff_engine_opts_free)
    if tick is not None:
        _core.check(lib.ff_engine_opts_set_tick_ms(opts, duration_ms(tick, "tick")), "tick")
    if batch is not None:
        _core.check(lib.ff_engine_opts_set_batch(opts, integer(batch, "batch", *UINT32)), "batch")
    if retention is not None:
        _core.check(lib.ff_engine_opts_set_retention_ms(opts, duration_ms(retention, "retention")), "retention")
    if ownership_ttl is not None:
        _core.check(lib.ff_engine_opts_set_ownership_ttl_ms(opts, duration_ms(ownership_ttl, "ownership_ttl")),
                    "ownership_ttl")
    if engine_id is not None:
        _core.check(lib.ff_engine_opts_set_engine_id(opts, to_bytes_arg(engine_id, "engine_id")), "engine_id")
    return opts


class Engine:
    """The background sweeps (lease expiry, delayed promotion, timeouts,
    retention) running on a client's I/O thread. Stop it (or use ``with``)
    before closing the client; :meth:`Client.close` stops it too."""

    def __init__(self, core: ClientCore, *, tick: Optional[Duration] = None, batch: Optional[int] = None,
                 retention: Optional[Duration] = None, ownership_ttl: Optional[Duration] = None,
                 engine_id: Optional[str] = None) -> None:
        opts = engine_options(tick=tick, batch=batch, retention=retention, ownership_ttl=ownership_ttl,
                              engine_id=engine_id)
        out = ffi.new("ff_engine **")
        _core.check(lib.ff_engine_start(out, core.live(), opts), "engine start")
        self._ptr: Any = out[0]
        self._core = core
        try:
            core.attach(self)  # closing the client stops the engine first
        except BaseException:
            self.stop()
            raise

    @property
    def id(self) -> str:
        return to_str(lib.ff_engine_id(self._ptr)) if self._ptr is not None else ""

    def stats(self) -> Dict[str, Any]:
        """Counters since start (owned_partitions, ticks, promoted, ...)."""
        if self._ptr is None:
            return {}
        return _core.owned_json(lambda out: lib.ff_engine_stats_json(self._ptr, out))

    def stop(self) -> None:
        """Stop sweeping and leave the engine registry (the other engines
        take its partitions at their next heartbeat). Idempotent."""
        p, self._ptr = self._ptr, None
        if p is not None and not self._core.closed:
            lib.ff_engine_stop(p)
        self._core.detach(self)

    _shutdown = stop

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def connect(url: Optional[str] = None, **options: Any) -> Client:
    """Connect and return a :class:`Client` (see its arguments). With no
    ``url``: ``$FF_URL``, else the embedded private server.

    >>> with flowfabric.connect() as client:   # doctest: +SKIP
    ...     client.submit("email.send", b"to=ada@example.org")
    """
    return Client(url, **options)
