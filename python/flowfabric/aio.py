"""The asyncio client.

Operations run in the library's *callback mode*: the library queues each
completion, ``ff_client_fd`` becomes readable, the event loop (``add_reader``)
calls ``ff_client_dispatch`` on the loop thread, and the callback resolves an
``asyncio.Future``. No library thread ever calls into Python.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, AsyncIterator, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from . import errors as _errors
from ._core import FF_OK, OP_CALLBACK, BytesLike, Claim, ClaimOptions, ClientCore, OpSpec
from ._args import Duration, When, duration_ms, unix_ms
from ._ffi import NULL, lib
from .client import _ENDED_OTHERWISE, _WAIT_ROUND_MS, DEFAULT_ROTATION_GRACE, _Base
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

__all__ = ["AsyncClient", "connect_async"]


class AsyncClient(_Base):
    """asyncio FlowFabric client. Same arguments and methods as
    :class:`flowfabric.Client`, as coroutines; listings are async iterators.

    Create it with ``await flowfabric.connect_async(url)`` or
    ``async with flowfabric.AsyncClient(url) as client:``. It is bound to the
    event loop it was connected on.
    """

    def __init__(self, url: Optional[str] = None, **options: Any) -> None:
        self._url_arg = url
        self._options = options
        self._core: ClientCore = None  # type: ignore[assignment]
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread = 0

    async def connect(self) -> "AsyncClient":
        """Connect (the blocking C connect runs in a thread). Idempotent."""
        if self._core is not None:
            return self
        loop = asyncio.get_running_loop()
        core = await loop.run_in_executor(None, lambda: ClientCore(self._url_arg, **_opts(self._options)))
        self._core = core
        self._loop = loop
        self._loop_thread = threading.get_ident()
        core.dispatcher.attach(loop)
        return self

    async def close(self) -> None:
        """Stop workers/engines on this client and close it. Idempotent."""
        if self._core is None or self._core.closed:
            return
        self._core.stop_children()
        if self._loop is not None:
            self._core.dispatcher.detach(self._loop)
        # ff_client_free completes pending ops (FF_ECANCELED) and runs their
        # callbacks on this thread, so every awaiting future gets an answer.
        self._core.close()

    async def __aenter__(self) -> "AsyncClient":
        return await self.connect()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __repr__(self) -> str:
        if self._core is None:
            return "<flowfabric.AsyncClient not connected>"
        if self.closed:
            return "<flowfabric.AsyncClient closed>"
        return f"<flowfabric.AsyncClient {self.url} partitions={self.partitions}>"

    def _ops(self) -> _core.Ops:
        if self._core is None:
            raise _errors.make_error(int(lib.FF_ECLOSED), "AsyncClient is not connected (await connect())")
        return super()._ops()

    # ---------------------------------------------------------- the runner
    def _run(self, spec: OpSpec) -> "asyncio.Future[Any]":
        start, extract = spec
        assert self._loop is not None
        return _core.start_future(self._loop, self._loop_thread, lambda cb, ud: start(cb, ud, NULL), extract)

    # ------------------------------------------------------------- submit
    async def submit(
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
        """Submit one execution (see :meth:`flowfabric.Client.submit`)."""
        spec = _core.build_spec(kind, payload, lane=lane, namespace=namespace, priority=priority, retry=retry,
                                policy=policy, delay=delay, delay_until=delay_until, deadline=deadline,
                                attempt_timeout=attempt_timeout, capabilities=capabilities, tags=tags,
                                idempotency_key=idempotency_key, idempotency_ttl=idempotency_ttl,
                                max_reclaims=max_reclaims, max_replays=max_replays, execution_id=execution_id)
        try:
            # ff_execution_create copies the spec before it returns.
            fut = self._run(self._ops().create(spec))
        finally:
            spec.close()
        return await fut

    async def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as JSON."""
        return await self.submit(kind, _core.json_bytes(obj), **kwargs)

    # -------------------------------------------------------------- reads
    async def describe(self, execution_id: str) -> Execution:
        """Full snapshot (:class:`flowfabric.Execution`)."""
        return await self._run(self._ops().describe(execution_id))

    async def state(self, execution_id: str) -> str:
        """The public state only."""
        return await self._run(self._ops().state(execution_id))

    async def result(self, execution_id: str) -> bytes:
        """Result bytes of a finished execution."""
        return await self._run(self._ops().result(execution_id))

    async def result_json(self, execution_id: str) -> Any:
        """:meth:`result` decoded as JSON."""
        return json.loads(await self.result(execution_id))

    async def wait(self, execution_id: str, timeout: Optional[Duration] = None) -> bytes:
        """Await the end of the execution; its result bytes or how it ended
        otherwise, raised (see :meth:`flowfabric.Client.wait`)."""
        if timeout is not None:
            return await self._run(self._ops().wait(execution_id, duration_ms(timeout, "timeout")))
        while True:
            try:
                return await self._run(self._ops().wait(execution_id, _WAIT_ROUND_MS))
            except _errors.Timeout:
                continue

    async def wait_json(self, execution_id: str, timeout: Optional[Duration] = None) -> Any:
        """:meth:`wait`, the result decoded as JSON."""
        return json.loads(await self.wait(execution_id, timeout))

    async def wait_ended(self, execution_id: str, timeout: Optional[Duration] = None) -> Execution:
        """Await the end, however it ended; the snapshot (see
        :meth:`flowfabric.Client.wait_ended`)."""
        try:
            await self.wait(execution_id, timeout)
        except _ENDED_OTHERWISE:
            pass
        return await self.describe(execution_id)

    # ---------------------------------------------------------- operator
    async def cancel(self, execution_id: str, reason: Optional[str] = None) -> str:
        return await self._run(self._ops().cancel(execution_id, reason))

    async def replay(self, execution_id: str) -> str:
        return await self._run(self._ops().replay(execution_id))

    async def change_priority(self, execution_id: str, priority: int) -> int:
        return await self._run(self._ops().change_priority(execution_id, priority))

    async def revoke_lease(self, execution_id: str, expected_lease_id: Optional[str] = None,
                           reason: Optional[str] = None) -> LeaseRevocation:
        """See :meth:`flowfabric.Client.revoke_lease`."""
        return await self._run(self._ops().revoke(execution_id, expected_lease_id, reason))

    async def reclaim_grant(self, execution_id: str, worker_id: str, ttl: Duration = 30.0) -> Tuple[str, int]:
        """See :meth:`flowfabric.Client.reclaim_grant`."""
        return await self._run(self._ops().reclaim_grant(execution_id, worker_id, duration_ms(ttl, "ttl")))

    # ----------------------------------------------------------- listings
    async def lanes(self) -> List[str]:
        return await self._run(self._ops().lanes())

    async def lane_counts(self, lane: str) -> LaneCounts:
        return await self._run(self._ops().lane_counts(lane))

    async def stats(self) -> Dict[str, LaneCounts]:
        lanes = await self.lanes()
        counts = await asyncio.gather(*(self.lane_counts(ln) for ln in lanes))
        return dict(zip(lanes, counts))

    async def list_lane_page(self, lane: str, state: str, cursor: str = "0", count: int = 100) -> Page:
        return await self._run(self._ops().list_lane(lane, state, cursor, count))

    async def list_lane(self, lane: str, state: str, *, count: int = 100) -> AsyncIterator[str]:
        """Async-iterate the ids of a lane in one state, following cursors."""
        cursor = "0"
        while True:
            page = await self.list_lane_page(lane, state, cursor, count)
            for eid in page.items:
                yield eid
            if page.done:
                return
            cursor = page.cursor

    async def list_partition_page(self, partition: int, cursor: str = "0", count: int = 100) -> Page:
        return await self._run(self._ops().list_partition(partition, cursor, count))

    async def list_partition(self, partition: int, *, count: int = 100) -> AsyncIterator[str]:
        seen = set()
        cursor = "0"
        while True:
            page = await self.list_partition_page(partition, cursor, count)
            for eid in page.items:
                if eid not in seen:
                    seen.add(eid)
                    yield eid
            if page.done:
                return
            cursor = page.cursor

    async def list_executions(self, *, count: int = 100) -> AsyncIterator[str]:
        for p in range(self.partitions):
            async for eid in self.list_partition(p, count=count):
                yield eid

    # ---------------------------------------------------- signals / waitpoints
    async def signal(self, execution_id: str, waitpoint_id: str, token: str, name: str, payload: BytesLike = b"",
                     *, source_type: str = "user", source: str = "python",
                     idempotency_key: Optional[str] = None) -> SignalResult:
        """Deliver a signal (see :meth:`flowfabric.Client.signal`)::

            await client.signal(eid, wp_id, token, "approved", body)
        """
        return await self._run(self._ops().signal(execution_id, waitpoint_id, token, name, payload, source_type,
                                                  source, idempotency_key))

    async def list_suspended_page(self, partition: int, cursor: str = "0", count: int = 100
                                  ) -> Tuple[List[SuspendedExecution], str]:
        return await self._run(self._ops().list_suspended(partition, cursor, count))

    async def list_suspended(self, partition: Optional[int] = None, *,
                             count: int = 100) -> AsyncIterator[SuspendedExecution]:
        """Async-iterate suspended executions (see
        :meth:`flowfabric.Client.list_suspended`)."""
        parts = range(self.partitions) if partition is None else [partition]
        for p in parts:
            cursor = "0"
            while True:
                rows, cursor = await self.list_suspended_page(p, cursor, count)
                for row in rows:
                    yield row
                if cursor in ("", "0"):
                    break

    async def waitpoints(self, execution_id: str) -> List[WaitpointRecord]:
        """Sanitized waitpoints of an execution."""
        return await self._run(self._ops().waitpoints(execution_id))

    async def waitpoint_token(self, execution_id: str, waitpoint_id: str) -> str:
        """Operator read of a waitpoint's raw token."""
        return await self._run(self._ops().waitpoint_token(execution_id, waitpoint_id))

    async def rotate_secret(self, kid: str, secret_hex: Optional[str] = None, *,
                            grace: Duration = DEFAULT_ROTATION_GRACE) -> str:
        """See :meth:`flowfabric.Client.rotate_secret`."""
        return await self._run(self._ops().secret_rotate(kid, secret_hex, duration_ms(grace, "grace")))

    async def secrets(self) -> SigningKeys:
        """See :meth:`flowfabric.Client.secrets`."""
        return await self._run(self._ops().secret_list())

    # ------------------------------------------------------ lease (low level)
    async def claim(self, lanes: Sequence[str] = ("default",), *, capabilities: Iterable[str] = (),
                    lease_ttl: Duration = 30.0, batch: int = 1, worker_id: Optional[str] = None,
                    instance_id: Optional[str] = None) -> List[Claim]:
        o = ClaimOptions(lanes, capabilities, duration_ms(lease_ttl, "lease_ttl"), batch, worker_id, instance_id)
        fut = self._run(self._ops().claim(o))
        try:
            return await fut
        finally:
            del o

    async def claim_reclaim(self, execution_id: str, token: str, *, worker_id: str,
                            capabilities: Iterable[str] = (), lease_ttl: Duration = 30.0,
                            instance_id: Optional[str] = None) -> Claim:
        """See :meth:`flowfabric.Client.claim_reclaim`."""
        o = ClaimOptions((), capabilities, duration_ms(lease_ttl, "lease_ttl"), 1, worker_id, instance_id)
        fut = self._run(self._ops().claim_reclaim(execution_id, token, o))
        try:
            return await fut
        finally:
            del o

    async def renew(self, claim: Claim) -> int:
        return await self._run(self._ops().renew(claim))

    async def progress(self, claim: Claim, percent: int, message: Optional[str] = None) -> None:
        await self._run(self._ops().progress(claim, percent, message))

    async def complete(self, claim: Claim, result: BytesLike = None) -> str:
        return await self._run(self._ops().complete(claim, result))

    async def fail(self, claim: Claim, reason: str, category: str = "error", *,
                   retry: bool = True) -> Tuple[str, int]:
        """See :meth:`flowfabric.Client.fail`."""
        return await self._run(self._ops().fail(claim, reason, category, retry))

    async def cancel_lease(self, claim: Claim, reason: Optional[str] = None) -> str:
        return await self._run(self._ops().lease_cancel(claim, reason))

    async def delay(self, claim: Claim, until: When) -> int:
        return await self._run(self._ops().lease_delay(claim, unix_ms(until, "until")))

    async def command(self, *args: Union[bytes, str, int, float]) -> Any:
        return await self._run(self._ops().command(args))

    def engine(self, **kwargs: Any) -> Any:
        """Start an engine on this client (see :meth:`flowfabric.Client.engine`)."""
        from .client import Engine
        self._ops()
        return Engine(self._core, **kwargs)


def _opts(options: Dict[str, Any]) -> Dict[str, Any]:
    allowed = {"data_dir", "timeout", "connect_timeout", "max_payload_bytes", "partitions"}
    bad = set(options) - allowed
    if bad:
        raise TypeError(f"unexpected option(s): {', '.join(sorted(bad))}")
    full = {k: None for k in allowed}
    full.update(options)
    return full


async def connect_async(url: Optional[str] = None, **options: Any) -> AsyncClient:
    """Connect an :class:`AsyncClient` on the running loop."""
    _opts(options)
    return await AsyncClient(url, **options).connect()
