"""The asyncio client.

Operations run in the library's *callback mode*: the library queues each
completion, ``ff_client_fd`` becomes readable, the event loop (``add_reader``)
calls ``ff_client_dispatch`` on the loop thread, and the callback resolves an
``asyncio.Future``. No library thread ever calls into Python.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, Optional, TypeVar

from . import _core
from . import errors as _errors
from . import _client_ops
from ._core import ClientCore
from ._ffi import NULL, lib
from ._opdefs import Op, OpDefs
from .client import _Base

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
