"""The synchronous client.

Every call is one C operation in *future mode*: the call is started, then
``ff_op_wait`` blocks (with the GIL released) until the library's I/O thread
has the answer. A :class:`Client` is thread-safe: share one per process.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, Optional, TypeVar

from . import _core
from . import errors as _errors
from ._args import UINT32, Duration, duration_ms, integer
from . import _client_ops
from ._core import FF_EAGAIN, FF_OK, ClientCore
from ._ffi import NULL, ffi, lib, to_bytes_arg, to_str
from ._opdefs import Op, OpDefs
from .types import Execution, ExecutionId, LaneCounts, SuspendedExecution

T = TypeVar("T")

__all__ = ["Client", "connect", "Engine"]

# ff_op_wait slice: short enough for Ctrl-C to interrupt a waiting main
# thread, long enough to cost nothing.
_WAIT_SLICE_MS = 250


def run_sync(spec: "Op[T]") -> T:
    """Run one operation in future mode and return its value."""
    out = ffi.new("ff_op **")
    try:
        st = spec.start(NULL, NULL, out)
    finally:
        if spec.after_start is not None:
            spec.after_start()
    if st != FF_OK:
        _core.check(st)
    extract = spec.extract
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

    def _defs(self) -> OpDefs:
        return OpDefs(self._core.live())


class Client(_Base, _client_ops.Client):
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

    def _run_sync(self, op: "Op[T]") -> T:
        return run_sync(op)

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

    # ------------------------------------------------- compositions of calls
    # (every single operation is defined once in _opdefs.py and inherited
    # from the generated _client_ops.Client)
    def submit_json(self, kind: str, obj: Any, **kwargs: Any) -> ExecutionId:
        """:meth:`submit` with ``obj`` encoded as compact UTF-8 JSON."""
        return self.submit(kind, _core.json_bytes(obj), **kwargs)

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
        return _wait_rounds(timeout, lambda ms: self._run_sync(self._defs()._wait_round(execution_id, ms)))

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

    def stats(self) -> Dict[str, LaneCounts]:
        """Counts of every lane (what ``ffctl stats`` shows)."""
        return {ln: self.lane_counts(ln) for ln in self.lanes()}

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

    # ---------------------------------------------------------------- misc
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
