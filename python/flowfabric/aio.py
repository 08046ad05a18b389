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
from typing import Any, AsyncIterator, Dict, Optional, TypeVar

from . import _core
from . import errors as _errors
from ._args import Duration, duration_ms
from . import _client_ops
from ._core import ClientCore
from ._ffi import NULL, lib
from ._opdefs import Op, OpDefs
from .client import _ENDED_OTHERWISE, _WAIT_ROUND_MS, _Base
from .types import Execution, ExecutionId, LaneCounts, SuspendedExecution

T = TypeVar("T")

__all__ = ["AsyncClient", "connect_async"]


class AsyncClient(_Base, _client_ops.AsyncClient):
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

    def _defs(self) -> OpDefs:
        if self._core is None:
            raise _errors.make_error(int(lib.FF_ECLOSED), "AsyncClient is not connected (await connect())")
        return super()._defs()

    # ---------------------------------------------------------- the runner
    def _run(self, spec: "Op[T]") -> "asyncio.Future[T]":
        assert self._loop is not None
        start = spec.start
        try:
            return _core.start_future(self._loop, self._loop_thread, lambda cb, ud: start(cb, ud, NULL),
                                      spec.extract)
        finally:
            if spec.after_start is not None:
                spec.after_start()

    async def _run_async(self, op: "Op[T]") -> T:
        return await self._run(op)

    # ------------------------------------------------- compositions of calls
    # (every single operation is defined once in _opdefs.py and inherited
    # from the generated _client_ops.AsyncClient)
    async def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as JSON."""
        return await self.submit(kind, _core.json_bytes(obj), **kwargs)

    async def result_json(self, execution_id: str) -> Any:
        """:meth:`result` decoded as JSON."""
        return json.loads(await self.result(execution_id))

    async def wait(self, execution_id: str, timeout: Optional[Duration] = None) -> bytes:
        """Await the end of the execution; its result bytes or how it ended
        otherwise, raised (see :meth:`flowfabric.Client.wait`)."""
        if timeout is not None:
            return await self._run_async(self._defs()._wait_round(execution_id, duration_ms(timeout, "timeout")))
        while True:
            try:
                return await self._run_async(self._defs()._wait_round(execution_id, _WAIT_ROUND_MS))
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

    async def stats(self) -> Dict[str, LaneCounts]:
        lanes = await self.lanes()
        counts = await asyncio.gather(*(self.lane_counts(ln) for ln in lanes))
        return dict(zip(lanes, counts))

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

    def engine(self, **kwargs: Any) -> Any:
        """Start an engine on this client (see :meth:`flowfabric.Client.engine`)."""
        from .client import Engine
        self._defs()
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
