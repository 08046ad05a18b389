"""The synchronous client.

Every call is one C operation in *future mode*: the call is started, then
``ff_op_wait`` blocks (with the GIL released) until the library's I/O thread
has the answer. A :class:`Client` is thread-safe: share one per process.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, TypeVar

from . import _core
from ._args import UINT32, Duration, duration_ms, integer
from . import _client_ops
from ._core import FF_EAGAIN, FF_OK, ClientCore
from ._ffi import NULL, ffi, lib, to_bytes_arg, to_str
from ._opdefs import Compositions, Op, OpDefs
from .flows import FlowBuilder

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

    def flow(self, flow_id: Optional[str] = None, *, lane: Optional[str] = None,
             max_members: Optional[int] = None, max_incoming: Optional[int] = None) -> FlowBuilder:
        """A flow builder: ``with client.flow(lane=...) as f:`` (``async
        with`` on an AsyncClient), ``f.add(kind, payload, after=[...])`` per
        member; on a clean exit the flow is built (``build_flow``) and
        ``f.id`` / each node's ``.id`` are set. No call is made before."""
        return FlowBuilder(self, flow_id, lane=lane, max_members=max_members, max_incoming=max_incoming)

    def _defs(self) -> OpDefs:
        return OpDefs(self._core.live())

    def _plans(self) -> Compositions:
        return Compositions(self._defs(), self._core.partitions)


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
