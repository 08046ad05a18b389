"""FlowFabric: a durable job engine on Redis Functions — Python binding of
the C core ``libflowfabric``.

>>> import flowfabric as ff                                   # doctest: +SKIP
>>> with ff.connect() as client:                              # FF_URL or the embedded server
...     eid = client.submit("send_email", b"payload", lane="default")
...     worker = ff.Worker(client, lanes=["default"], concurrency=8)
...     @worker.task("send_email")
...     def send(task):
...         return b"sent"
...     worker.run(max_tasks=1)
...     client.result(eid)
b'sent'

See docs/python.md for the guide. The FFI declarations are generated from
the C header (``bindings/ff_cdef.h``); importing this package fails with
:class:`LibraryMismatch` when the loaded library has another ABI version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Type

from . import _error_classes, errors
from ._ffi import CDEF_PATH, LIBRARY_PATH, ffi as _cffi, lib as _lib, to_str as _to_str

errors._build(_cffi, _lib)

from ._core import Claim, redact_url  # noqa: E402
from .aio import AsyncClient, connect_async  # noqa: E402
from .client import Client, Engine, connect  # noqa: E402
# Every exception class (ff.StaleLease, ff.NotFound, ...). Star-imported from
# the generated module itself, whose __all__ is a literal list, so type
# checkers see the classes (mypy does not follow errors.py's computed
# `__all__ += _error_classes.__all__` through a second star import).
from ._error_classes import *  # noqa: E402,F401,F403
from .errors import *  # noqa: E402,F401,F403
from .errors import FlowFabricError, LibraryError, LibraryMismatch, error_class  # noqa: E402
from .types import (  # noqa: E402
    LANE_STATES,
    PUBLIC_STATES,
    TERMINAL_STATES,
    AttemptRecord,
    Cancellation,
    Counters,
    CurrentAttempt,
    Execution,
    ExecutionId,
    Failure,
    Flow,
    FlowCancellation,
    ChildExecution,
    CompletionPage,
    FlowCompletion,
    FlowCounts,
    FlowEdge,
    FlowGroup,
    FlowId,
    SubmittedFlow,
    FlowMember,
    LaneCounts,
    Lease,
    LeaseRevocation,
    Page,
    Progress,
    PreviousKey,
    Retry,
    Signal,
    SignalResult,
    SigningKeys,
    StateVector,
    StreamFrame,
    StreamPage,
    StreamSummary,
    FrameAppended,
    Budget,
    BudgetCreated,
    BudgetDimension,
    Quota,
    QuotaCreated,
    QuotaGroup,
    UsageReport,
    SuspendedExecution,
    Suspension,
    Timestamps,
    WaitpointInfo,
    WaitpointRecord,
)
from .flows import FlowBuilder, FlowNode  # noqa: E402
from .worker import Task, TaskFailed, Worker  # noqa: E402

#: Version of this package (the C library version it was generated for).
__version__ = f"{_lib.FF_VERSION_MAJOR}.{_lib.FF_VERSION_MINOR}.{_lib.FF_VERSION_PATCH}"
#: ABI version of the FFI declarations (== ff_abi_version() of the library).
ABI_VERSION = int(_lib.FF_ABI_VERSION)


def library_version() -> str:
    """Version string of the loaded libflowfabric (``"0.1.0"``)."""
    return _to_str(_lib.ff_version_string())


def abi_version() -> int:
    """ABI version of the loaded libflowfabric."""
    return int(_lib.ff_abi_version())


def lua_library_version() -> str:
    """Version of the server function library embedded in libflowfabric."""
    return _to_str(_lib.ff_lua_library_version())


def strerror(status: int) -> str:
    """English text of a status code."""
    return _to_str(_lib.ff_strerror(int(status)))


def status_name(status: int) -> str:
    """Symbolic name of a status code (``"FF_STALE_LEASE"``)."""
    return _to_str(_lib.ff_status_name(int(status)))


def dev_server_up(data_dir: Optional[str] = None) -> str:
    """Start (or find running) the embedded private redis-server of
    ``data_dir`` and return its URL. The default directory is the one a
    client without a URL uses: ``$FF_HOME``, else the nearest
    ``.flowfabric/`` from the current directory upward, else
    ``$XDG_DATA_HOME/flowfabric`` or ``~/.local/share/flowfabric``."""
    from ._core import dev_server
    url = dev_server("up", data_dir)
    assert url is not None
    return url


def dev_server_status(data_dir: Optional[str] = None) -> Optional[str]:
    """URL of the embedded server if it answers, else ``None``."""
    from ._core import dev_server
    return dev_server("status", data_dir)


def dev_server_down(data_dir: Optional[str] = None) -> bool:
    """Stop the embedded server (data kept). False if it was not running."""
    from ._core import dev_server
    was = dev_server("status", data_dir) is not None
    dev_server("down", data_dir)
    return was


if not TYPE_CHECKING:  # hidden from type checkers: every documented class is static
    def __getattr__(name: str) -> Type[FlowFabricError]:
        """Classes the loaded library defines beyond the generated table (a
        newer library of the same ABI) are reachable from the package too."""
        cls = getattr(errors, name, None)
        if isinstance(cls, type) and issubclass(cls, FlowFabricError):
            return cls
        raise AttributeError(f"module 'flowfabric' has no attribute {name!r}")


__all__ = [
    "connect", "connect_async", "Client", "AsyncClient", "Engine", "Worker", "Task", "TaskFailed", "Claim",
    "Retry", "Execution", "ExecutionId", "LaneCounts", "Page", "StateVector", "Counters", "CurrentAttempt",
    "Lease", "LeaseRevocation", "Progress", "Timestamps", "Failure", "Cancellation", "AttemptRecord",
    "Suspension", "WaitpointInfo", "Signal", "SignalResult", "SuspendedExecution", "WaitpointRecord",
    "SigningKeys", "PreviousKey",
    "Flow", "FlowId", "SubmittedFlow", "FlowEdge", "FlowGroup", "FlowCounts", "FlowMember", "FlowCancellation", "FlowBuilder",
    "ChildExecution", "CompletionPage", "FlowCompletion",
    "StreamFrame", "StreamPage", "StreamSummary", "FrameAppended",
    "Budget", "BudgetCreated", "BudgetDimension", "UsageReport", "Quota", "QuotaCreated", "QuotaGroup",
    "FlowNode",
    "PUBLIC_STATES", "LANE_STATES", "TERMINAL_STATES",
    "FlowFabricError", "LibraryError", "LibraryMismatch", "error_class", "errors",
    "library_version", "abi_version", "lua_library_version", "strerror", "status_name", "redact_url",
    "dev_server_up", "dev_server_status", "dev_server_down",
    "__version__", "ABI_VERSION", "LIBRARY_PATH", "CDEF_PATH",
]
__all__ += _error_classes.__all__
