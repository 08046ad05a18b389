"""Internals shared by the sync client, the asyncio client and the worker:
turning C ops into Python values, building submission specs, the callback
registry behind callback-mode ops, and the per-client dispatcher.

The operations themselves are defined once in ``_opdefs.py`` (each an
``Op``: a start function of the generated ``_native`` module and an
extractor from here). :class:`flowfabric.Client` runs them in future mode
(``ff_op_wait``, GIL released); :class:`flowfabric.AsyncClient` runs them in
callback mode with ``ff_client_fd`` registered in the event loop.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import json
import logging
import os
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import errors as _errors
from ._args import INT64, UINT32, UINT64, Duration, duration_ms, integer, utf8
from ._ffi import NULL, ffi, lib, to_bytes_arg, to_str
from .errors import InvalidArgument
from .types import (
    UsageReport,
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
    LeaseRevocation,
    Page,
    Signal,
    SignalResult,
    FrameAppended,
    StreamFrame,
    StreamPage,
    StreamSummary,
    SuspendedExecution,
    Suspension,
    WaitpointInfo,
    WaitpointRecord,
    opt_ms,
)

FF_OK = 0
FF_EAGAIN = int(lib.FF_EAGAIN)

Start = Callable[[Any, Any, Any], int]
Extract = Callable[[Any], Any]

#: Accepted payload / result types ("bytes in, bytes out"; str is UTF-8).
BytesLike = Union[bytes, bytearray, memoryview, str, None]


def as_bytes(data: BytesLike, what: str = "payload") -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return utf8(data, what, nul=True)
    raise TypeError(f"{what} must be bytes or str (use submit_json / json helpers for objects), "
                    f"not {type(data).__name__}")


def json_bytes(obj: Any) -> bytes:
    """Compact UTF-8 JSON of ``obj`` (the encoding of the JSON helpers)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def op_error(op: Any, st: int) -> _errors.FlowFabricError:
    """The exception of a failed op (code, detail text, server token and
    detail fields)."""
    n = int(lib.ff_op_detail_count(op))
    details = [to_str(lib.ff_op_detail(op, i)) for i in range(n)]
    return _errors.make_error(st, to_str(lib.ff_op_errmsg(op)), to_str(lib.ff_op_server_code(op)), details)


def check(st: int, what: str = "") -> None:
    """Raise for a non-zero status returned by a starting call or setter
    (a call without an op). Must run on the thread that made the call, right
    after it: the sentence is the library's thread-local ff_error_detail();
    ``what`` (the argument concerned) is only used when there is none."""
    if st != FF_OK:
        detail = to_str(lib.ff_error_detail(st))
        if not detail and what:
            detail = f"{what}: {to_str(lib.ff_strerror(st))}"
        raise _errors.make_error(st, detail)


# --------------------------------------------------------------- extractors

def x_none(op: Any) -> None:
    return None


def x_text(op: Any) -> str:
    return to_str(lib.ff_op_text(op))


def x_int(op: Any) -> int:
    return int(lib.ff_op_int(op))


def x_bytes(op: Any) -> bytes:
    n = ffi.new("size_t *")
    p = lib.ff_op_bytes(op, n)
    return ffi.buffer(p, n[0])[:] if n[0] else b""


def x_json(op: Any) -> Any:
    s = to_str(lib.ff_op_json(op))
    return json.loads(s) if s else None


def x_items(op: Any) -> List[str]:
    return [to_str(lib.ff_op_item(op, i)) for i in range(int(lib.ff_op_item_count(op)))]


def x_revocation(op: Any) -> LeaseRevocation:
    outcome = x_text(op)
    if outcome != "revoked":
        return LeaseRevocation(outcome)
    return LeaseRevocation(outcome, to_str(lib.ff_op_item(op, 0)), x_int(op))


def fail_flags(retry: bool) -> int:
    """The flags of ff_lease_fail_with / ff_task_fail_with for ``retry``."""
    if not isinstance(retry, bool):
        raise TypeError(f"retry must be True or False, not {type(retry).__name__}")
    return 0 if retry else int(lib.FF_FAIL_NO_RETRY)


def x_page(op: Any) -> Page:
    return Page(x_items(op), to_str(lib.ff_op_cursor(op)) or "0")


def x_flow_page(op: Any) -> Page:
    """A page of ff_flow_list: its cursor is "" when the listing is complete."""
    return Page(x_items(op), to_str(lib.ff_op_cursor(op)))


def x_item_bytes(op: Any, i: int) -> bytes:
    """Item ``i`` of an op, binary-safe (signal payloads)."""
    n = ffi.new("size_t *")
    p = lib.ff_op_item_bytes(op, i, n)
    return ffi.buffer(p, n[0])[:] if n[0] else b""


def x_suspension(op: Any) -> Suspension:
    it = x_items(op)
    wps = tuple(WaitpointInfo(it[i], it[i + 1], it[i + 2]) for i in range(0, len(it) - 2, 3))
    return Suspension(x_text(op), wps, x_int(op))


def x_waitpoint(op: Any) -> WaitpointInfo:
    it = x_items(op)
    if len(it) < 3:  # pragma: no cover - the library reports an error instead
        raise _errors.make_error(int(lib.FF_EPROTO), "create waitpoint: short reply")
    return WaitpointInfo(it[0], it[1], it[2], x_int(op))


def x_signals(op: Any) -> List[Signal]:
    n = int(lib.ff_op_item_count(op))
    out = []
    for i in range(0, n - 5, 6):
        it = [to_str(lib.ff_op_item(op, i + k)) for k in range(5)]
        out.append(Signal(it[0], it[1], it[2], it[3], int(it[4] or 0), x_item_bytes(op, i + 5)))
    return out


def x_signal_result(op: Any) -> SignalResult:
    it = x_items(op)
    return SignalResult(it[0] if it else "", x_text(op), bool(lib.ff_op_int(op)))


def x_suspended_page(op: Any) -> Tuple[List[SuspendedExecution], str]:
    it = x_items(op)
    rows = [SuspendedExecution(it[i], int(it[i + 1] or 0), it[i + 2], opt_ms(it[i + 3]))
            for i in range(0, len(it) - 3, 4)]
    return rows, to_str(lib.ff_op_cursor(op)) or "0"


def x_waitpoint_records(op: Any) -> List[WaitpointRecord]:
    it = x_items(op)
    n = int(lib.FF_WAITPOINT_ITEMS)
    return [WaitpointRecord(it[i], it[i + 1], it[i + 2], it[i + 3], it[i + 4], opt_ms(it[i + 5]),
                            tuple(x for x in it[i + 6].split(",") if x))
            for i in range(0, len(it) - n + 1, n)]


def x_submitted(op: Any) -> ExecutionId:
    return ExecutionId(to_str(lib.ff_op_execution_id(op)), to_str(lib.ff_op_text(op)), bool(lib.ff_op_int(op)))


def x_execution(op: Any) -> Execution:
    return Execution.from_json(x_json(op) or {})


def x_flow_created(op: Any) -> FlowId:
    it = x_items(op)
    return FlowId(x_text(op), bool(lib.ff_op_int(op)), int(it[0] or 0) if it else 0,
                  int(it[1] or 0) if len(it) > 1 else 0)


def x_flow_submitted(op: Any) -> SubmittedFlow:
    return SubmittedFlow(x_text(op), tuple(x_items(op)), bool(lib.ff_op_int(op)))


def x_flow(op: Any) -> Flow:
    return Flow.from_json(x_json(op) or {})


def x_flow_edge(op: Any) -> FlowEdge:
    return FlowEdge.from_json(x_json(op) or {})


def x_flow_edges(op: Any) -> List[FlowEdge]:
    it = x_items(op)
    n = int(lib.FF_ITEMS_FLOW_EDGES_STRIDE)
    return [FlowEdge(it[i + int(lib.FF_ITEMS_FLOW_EDGES_EDGE_ID)], it[i + int(lib.FF_ITEMS_FLOW_EDGES_UPSTREAM)],
                     it[i + int(lib.FF_ITEMS_FLOW_EDGES_DOWNSTREAM)], it[i + int(lib.FF_ITEMS_FLOW_EDGES_STATE)])
            for i in range(0, len(it) - n + 1, n)]


def x_parent_results(op: Any) -> Dict[str, Optional[bytes]]:
    """Upstream id -> the result its edge carries (``None`` when it carries
    none: staged without data passing, or the upstream did not complete)."""
    count = int(lib.ff_op_item_count(op))
    n = int(lib.FF_ITEMS_FLOW_PARENTS_STRIDE)
    out: Dict[str, Optional[bytes]] = {}
    for i in range(0, count - n + 1, n):
        up = to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_PARENTS_UPSTREAM)))
        has = to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_PARENTS_HAS_RESULT))) == "1"
        out[up] = x_item_bytes(op, i + int(lib.FF_ITEMS_FLOW_PARENTS_RESULT)) if has else None
    return out


def x_children(op: Any) -> List[ChildExecution]:
    count = int(lib.ff_op_item_count(op))
    n = int(lib.FF_ITEMS_FLOW_CHILDREN_STRIDE)
    out: List[ChildExecution] = []
    for i in range(0, count - n + 1, n):
        has = to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_CHILDREN_HAS_RESULT))) == "1"
        out.append(ChildExecution(to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_CHILDREN_FLOW_ID))),
                                  to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_CHILDREN_EID))),
                                  to_str(lib.ff_op_item(op, i + int(lib.FF_ITEMS_FLOW_CHILDREN_PUBLIC_STATE))),
                                  x_item_bytes(op, i + int(lib.FF_ITEMS_FLOW_CHILDREN_RESULT)) if has else None))
    return out


def x_completion_page(op: Any) -> CompletionPage:
    it = x_items(op)
    n = int(lib.FF_ITEMS_FLOW_FEED_STRIDE)
    gap = bool(lib.ff_op_int(op))
    entries = tuple(FlowCompletion(it[i + int(lib.FF_ITEMS_FLOW_FEED_ID)], it[i + int(lib.FF_ITEMS_FLOW_FEED_FLOW_ID)],
                                   it[i + int(lib.FF_ITEMS_FLOW_FEED_EID)], it[i + int(lib.FF_ITEMS_FLOW_FEED_OUTCOME)],
                                   it[i + int(lib.FF_ITEMS_FLOW_FEED_KIND)], gap and i == 0)
                    for i in range(0, len(it) - n + 1, n))
    return CompletionPage(entries, to_str(lib.ff_op_cursor(op)), gap)


def x_stream_page(op: Any, attempt: int) -> StreamPage:
    """A result of ff_stream_read / ff_stream_tail (frames of ``attempt``)."""
    n = int(lib.FF_ITEMS_READ_STREAM_STRIDE)
    count = int(lib.ff_op_item_count(op))

    def item(i: int) -> str:
        return to_str(lib.ff_op_item(op, i))
    frames = tuple(StreamFrame(item(i + int(lib.FF_ITEMS_READ_STREAM_ID)),
                               item(i + int(lib.FF_ITEMS_READ_STREAM_FRAME_TYPE)),
                               x_item_bytes(op, i + int(lib.FF_ITEMS_READ_STREAM_PAYLOAD)),
                               item(i + int(lib.FF_ITEMS_READ_STREAM_ENCODING)),
                               item(i + int(lib.FF_ITEMS_READ_STREAM_SOURCE)),
                               item(i + int(lib.FF_ITEMS_READ_STREAM_CORRELATION_ID)),
                               int(item(i + int(lib.FF_ITEMS_READ_STREAM_TS)) or 0),
                               item(i + int(lib.FF_ITEMS_READ_STREAM_MODE)), attempt)
                   for i in range(0, count - n + 1, n))
    state = x_json(op) or {}
    reason = x_text(op)
    return StreamPage(frames, to_str(lib.ff_op_cursor(op)), bool(state.get("closed")) or reason != "", reason,
                      x_int(op), bool(state.get("more")))


def x_stream_summary(op: Any) -> StreamSummary:
    doc = x_json(op) or {}
    return StreamSummary(doc.get("document"), x_int(op), doc.get("created"), doc.get("updated"))


def x_usage_report(op: Any) -> UsageReport:
    """ff_budget_report_usage's result: the outcome, and for a breach the
    dimension, its usage and the limit."""
    it, out = x_items(op), x_text(op)
    if out in ("soft_breach", "hard_breach") and len(it) >= 3:
        return UsageReport(out, it[0], int(it[1]) if it[1] else None, int(it[2]) if it[2] else None)
    return UsageReport(out)


def usage_args(usage: Mapping[str, int]) -> Tuple[Any, Any, Any, int]:
    """The C arrays of a usage report ({dimension: delta}): (names kept
    alive, const char *[], int64_t[], n); checked before anything is sent."""
    from .errors import InvalidArgument
    from ._args import INT64, integer
    if not usage:
        raise InvalidArgument("usage: at least one dimension")
    keep = [ffi.new("char[]", to_bytes_arg(k, "dimension")) for k in usage]
    dims = ffi.new("const char *[]", keep)
    deltas = ffi.new("int64_t[]", [integer(v, f"usage[{k!r}]", 0, INT64[1]) for k, v in usage.items()])
    return keep, dims, deltas, len(keep)


def x_frame_appended(op: Any) -> FrameAppended:
    """ff_stream_append's result: entry id, frame count, summary version."""
    version = to_str(lib.ff_op_item(op, 0)) if int(lib.ff_op_item_count(op)) > 0 else ""
    return FrameAppended(x_text(op), x_int(op), int(version) if version else None)


def x_flow_cancellation(op: Any) -> FlowCancellation:
    return FlowCancellation(x_text(op), bool(lib.ff_op_int(op)), tuple(x_items(op)))


def x_reply(op: Any) -> Any:
    """Raw reply of ``command``: None, bytes, int, or a list of bytes/None."""
    t = int(lib.ff_op_reply_type(op))
    if t == lib.FF_REPLY_NIL:
        return None
    if t == lib.FF_REPLY_INTEGER:
        return int(lib.ff_op_reply_integer(op))
    if t == lib.FF_REPLY_ARRAY:
        out: List[Optional[bytes]] = []
        n = ffi.new("size_t *")
        for i in range(int(lib.ff_op_reply_len(op))):
            p = lib.ff_op_reply_element(op, i, n)
            out.append(None if p == NULL else ffi.buffer(p, n[0])[:])
        return out
    return x_bytes(op)  # string and status replies


# --------------------------------------------------------------- op specs

class _Spec:
    """An owned ff_exec_spec built from submit() arguments."""

    __slots__ = ("ptr",)

    def __init__(self, kind: str) -> None:
        out = ffi.new("ff_exec_spec **")
        check(lib.ff_exec_spec_new(out, to_bytes_arg(kind, "kind")), f"kind {kind!r}")
        self.ptr = out[0]

    def close(self) -> None:
        if self.ptr is not None:
            lib.ff_exec_spec_free(self.ptr)
            self.ptr = None


class FrameSpec:
    """An owned ff_frame from the arguments of an append (``emit``,
    ``append_frame``); the C setters check each field, so bad input raises
    its typed error (InvalidFrameType, InvalidArgument) before anything is
    sent. ``str`` payloads are UTF-8."""

    __slots__ = ("ptr",)

    def __init__(self, frame_type: str, payload: BytesLike, mode: str = "durable", encoding: Optional[str] = None,
                 source: Optional[str] = None, correlation_id: Optional[str] = None) -> None:
        if not isinstance(frame_type, str):
            raise TypeError(f"frame_type must be str, not {type(frame_type).__name__}")
        if not isinstance(mode, str):
            raise TypeError(f"mode must be str, not {type(mode).__name__}")
        data = as_bytes(payload)
        out = ffi.new("ff_frame **")
        check(lib.ff_frame_new(out))
        self.ptr = ffi.gc(out[0], lib.ff_frame_free)
        check(lib.ff_frame_set_type(self.ptr, to_bytes_arg(frame_type, "frame_type")), f"frame_type {frame_type!r}")
        check(lib.ff_frame_set_payload(self.ptr, data, len(data)), "payload")
        check(lib.ff_frame_set_mode(self.ptr, to_bytes_arg(mode, "mode")),
              f"mode must be durable, best_effort or summary, not {mode!r}")
        if encoding is not None:
            check(lib.ff_frame_set_encoding(self.ptr, to_bytes_arg(encoding, "encoding")), f"encoding {encoding!r}")
        if source is not None:
            check(lib.ff_frame_set_source(self.ptr, to_bytes_arg(source, "source")), f"source {source!r}")
        if correlation_id is not None:
            check(lib.ff_frame_set_correlation_id(self.ptr, to_bytes_arg(correlation_id, "correlation_id")),
                  f"correlation_id {correlation_id!r}")


def summary_patch(patch: Union[Mapping[str, Any], str]) -> bytes:
    """The UTF-8 JSON text of a summary merge patch: a mapping (encoded) or
    JSON text of an object; anything else is InvalidInput before sending
    (the depth limit is the server's: PatchDepthExceeded)."""
    if isinstance(patch, Mapping):
        return json_bytes(dict(patch))
    if not isinstance(patch, str):
        raise TypeError(f"patch must be a dict or JSON text, not {type(patch).__name__}")
    try:
        obj = json.loads(patch)
    except ValueError as e:
        raise _errors.make_error(int(lib.FF_INVALID_INPUT), f"summary patch is not JSON: {e}") from None
    if not isinstance(obj, dict):
        raise _errors.make_error(int(lib.FF_INVALID_INPUT), "summary patch must be a JSON object")
    return utf8(patch, "patch")


def _id(eid: str) -> bytes:
    if not isinstance(eid, str):
        raise TypeError(f"execution id must be str, not {type(eid).__name__}")
    return to_bytes_arg(eid, "execution id")


class SuspendSpec:
    """An owned ff_suspend_spec built from Task.suspend() arguments."""

    __slots__ = ("ptr",)

    def __init__(self) -> None:
        out = ffi.new("ff_suspend_spec **")
        check(lib.ff_suspend_spec_new(out))
        self.ptr = ffi.gc(out[0], lib.ff_suspend_spec_free)


#: What Task.suspend() accepts as one waitpoint: a key (a fresh waitpoint)
#: or a WaitpointInfo from Task.create_waitpoint() (binds that pending one).
WaitpointArg = Union[str, WaitpointInfo]


def build_suspend_spec(
    waitpoints: Union[WaitpointArg, Iterable[WaitpointArg]] = (),
    *,
    pending: Iterable[str] = (),
    condition: Union[Mapping[str, Any], str, None] = None,
    timeout: Optional[Duration] = None,
    timeout_behavior: str = "fail",
    reason: Optional[str] = None,
    idempotency_key: Optional[str] = None,
) -> SuspendSpec:
    if isinstance(waitpoints, (str, WaitpointInfo)):
        waitpoints = [waitpoints]
    if isinstance(pending, str):
        pending = [pending]
    wps = list(waitpoints)
    ids = list(pending)
    total = len(wps) + len(ids)
    if total == 0:
        raise InvalidArgument("suspend needs at least one waitpoint")
    spec = SuspendSpec()
    s = spec.ptr
    for w in wps:
        if isinstance(w, WaitpointInfo):
            check(lib.ff_suspend_spec_use_pending(s, to_bytes_arg(w.id, "waitpoint id")), f"pending waitpoint {w.id!r}")
        elif isinstance(w, str):
            check(lib.ff_suspend_spec_add_waitpoint(s, to_bytes_arg(w, "waitpoint key")), f"waitpoint key {w!r}")
        else:
            raise TypeError(f"waitpoints must be keys (str) or WaitpointInfo objects, not {type(w).__name__}")
    for wid in ids:
        if not isinstance(wid, str):
            raise TypeError(f"pending waitpoint ids must be str, not {type(wid).__name__}")
        check(lib.ff_suspend_spec_use_pending(s, to_bytes_arg(wid, "waitpoint id")), f"pending waitpoint {wid!r}")
    if condition is None:
        if total > 1:
            raise InvalidArgument("a suspension on several waitpoints needs a condition "
                                  "(e.g. {'all_of': [{'single': {'key': ...}}, ...]})")
        if ids or (wps and isinstance(wps[0], WaitpointInfo) and not wps[0].key):
            raise InvalidArgument("a suspension on a pending waitpoint given by id needs "
                                  "a condition (its key is only known to the server)")
        if isinstance(wps[0], WaitpointInfo):  # the library only knows the keys of fresh waitpoints
            condition = {"single": {"key": wps[0].key}}
    if condition is not None:
        doc = condition if isinstance(condition, str) else json.dumps(condition)
        check(lib.ff_suspend_spec_set_condition_json(s, to_bytes_arg(doc, "condition")),
              "condition (a JSON object: single / all_of / count)")
    if timeout is not None:
        check(lib.ff_suspend_spec_set_timeout(s, duration_ms(timeout, "timeout"),
                                              to_bytes_arg(timeout_behavior, "timeout_behavior")),
              f"timeout (> 0) / timeout_behavior {timeout_behavior!r} "
              "(fail, cancel, expire, auto_resume or escalate)")
    elif timeout_behavior != "fail":
        raise InvalidArgument("timeout_behavior needs a timeout")
    if reason is not None:
        check(lib.ff_suspend_spec_set_reason(s, to_bytes_arg(reason, "reason")),
              f"reason {reason!r} (waiting_for_signal, waiting_for_approval, waiting_for_callback "
              "or waiting_for_tool_result)")
    if idempotency_key is not None:
        check(lib.ff_suspend_spec_set_idempotency_key(s, to_bytes_arg(idempotency_key, "idempotency_key")),
              "idempotency_key (1..256 bytes, no control characters)")
    return spec


# --------------------------------------------------------------- claims

def x_claims(op: Any) -> List["Claim"]:
    """Take ownership of every claim of an op."""
    out = ffi.new("ff_claim **")
    claims = []
    for i in range(int(lib.ff_op_claim_count(op))):
        if lib.ff_op_take_claim(op, i, out) == FF_OK:
            claims.append(Claim._own(out[0]))
    return claims


class ClaimOptions:
    """Owned ff_claim_opts (the low-level claim API)."""

    def __init__(self, lanes: Sequence[str], capabilities: Iterable[str], lease_ttl_ms: int, batch: int,
                 worker_id: Optional[str], instance_id: Optional[str]) -> None:
        out = ffi.new("ff_claim_opts **")
        check(lib.ff_claim_opts_new(out))
        self.ptr = ffi.gc(out[0], lib.ff_claim_opts_free)
        if isinstance(lanes, str) or isinstance(capabilities, str):
            raise TypeError("lanes and capabilities must be sequences of strings, not a str")
        for ln in lanes:
            check(lib.ff_claim_opts_add_lane(self.ptr, to_bytes_arg(ln, "lane")), f"lane {ln!r}")
        for cap in capabilities:
            check(lib.ff_claim_opts_add_capability(self.ptr, to_bytes_arg(cap, "capability")), f"capability {cap!r}")
        check(lib.ff_claim_opts_set_lease_ttl_ms(self.ptr, integer(lease_ttl_ms, "lease_ttl", *INT64)), "lease_ttl_ms")
        check(lib.ff_claim_opts_set_batch(self.ptr, integer(batch, "batch", *UINT32)), "batch")
        if worker_id is not None:
            check(lib.ff_claim_opts_set_worker_id(self.ptr, to_bytes_arg(worker_id, "worker_id")), "worker_id")
        if instance_id is not None:
            check(lib.ff_claim_opts_set_worker_instance_id(self.ptr, to_bytes_arg(instance_id, "instance_id")),
                  "instance_id")


class Claim:
    """A claimed execution and its lease fence (the low-level lease API:
    ``Client.claim`` / ``Client.complete`` / ...). Workers built on
    :class:`flowfabric.Worker` get a :class:`flowfabric.Task` instead.

    The fence and payload are copied out of the C handle when the claim is
    taken; the handle itself is freed with the object."""

    __slots__ = ("_ptr", "execution_id", "attempt_index", "attempt_id", "attempt_type", "lease_id",
                 "lease_epoch", "expires_at_ms", "lease_ttl_ms", "payload", "kind", "lane", "namespace",
                 "worker_instance_id", "__weakref__")

    _ptr: Any
    execution_id: str
    attempt_index: int
    attempt_id: str
    attempt_type: str
    lease_id: str
    lease_epoch: int
    expires_at_ms: int
    lease_ttl_ms: int
    payload: bytes
    kind: str
    lane: str
    namespace: str
    worker_instance_id: str

    @classmethod
    def _own(cls, ptr: Any) -> "Claim":
        self = cls.__new__(cls)
        self._ptr = ffi.gc(ptr, lib.ff_claim_free)
        read_claim(self, ptr)
        return self

    @classmethod
    def from_fence(cls, execution_id: str, attempt_index: int, attempt_id: str, lease_id: str,
                   lease_epoch: int, lease_ttl_ms: int = 0) -> "Claim":
        """Rebuild a claim from its fence (another process, a restarted
        worker, an operator tool). Payload and kind are empty."""
        out = ffi.new("ff_claim **")
        check(lib.ff_claim_from_fence(out, _id(execution_id), integer(attempt_index, "attempt_index", *UINT32),
                                      to_bytes_arg(attempt_id, "attempt_id"), to_bytes_arg(lease_id, "lease_id"),
                                      integer(lease_epoch, "lease_epoch", *UINT64), integer(lease_ttl_ms, "lease_ttl_ms", 0, INT64[1])),
              "fence")
        return cls._own(out[0])

    def _p(self) -> Any:
        return self._ptr

    def __repr__(self) -> str:
        return (f"Claim({self.execution_id!r}, kind={self.kind!r}, attempt={self.attempt_index} "
                f"({self.attempt_type}), epoch={self.lease_epoch})")


def read_claim(obj: Any, cl: Any) -> None:
    """Copy every field of a C claim handle onto obj."""
    obj.execution_id = to_str(lib.ff_claim_execution_id(cl))
    obj.attempt_index = int(lib.ff_claim_attempt_index(cl))
    obj.attempt_id = to_str(lib.ff_claim_attempt_id(cl))
    obj.attempt_type = to_str(lib.ff_claim_attempt_type(cl))
    obj.lease_id = to_str(lib.ff_claim_lease_id(cl))
    obj.lease_epoch = int(lib.ff_claim_lease_epoch(cl))
    obj.expires_at_ms = int(lib.ff_claim_expires_at_ms(cl))
    obj.lease_ttl_ms = int(lib.ff_claim_lease_ttl_ms(cl))
    n = ffi.new("size_t *")
    p = lib.ff_claim_payload(cl, n)
    obj.payload = ffi.buffer(p, n[0])[:] if n[0] else b""
    obj.kind = to_str(lib.ff_claim_kind(cl))
    obj.lane = to_str(lib.ff_claim_lane(cl))
    obj.namespace = to_str(lib.ff_claim_namespace(cl))
    obj.worker_instance_id = to_str(lib.ff_claim_worker_instance_id(cl))


# ------------------------------------------------------- callback registry

# Callback-mode ops carry an integer key as their `ud`; the one trampoline
# below finds the Python continuation by key. The continuation runs while the
# op is borrowed, so it must copy what it needs.
_pending: Dict[int, Callable[[Any], None]] = {}
_keys = itertools.count(1)


def register(fn: Callable[[Any], None]) -> Any:
    """Register a continuation; returns the ``void *`` ud to pass to C."""
    key = next(_keys)
    _pending[key] = fn
    return ffi.cast("void *", key)


def unregister(ud: Any) -> None:
    _pending.pop(int(ffi.cast("intptr_t", ud)), None)


@ffi.callback("void(ff_op *, void *)")
def _on_op_done(op: Any, ud: Any) -> None:
    fn = _pending.pop(int(ffi.cast("intptr_t", ud)), None)
    if fn is None:
        return
    try:
        fn(op)
    except BaseException:  # never let an exception cross into C
        logging.getLogger("flowfabric").exception("a completion callback failed")


#: The ff_op_cb every callback-mode op uses.
OP_CALLBACK = _on_op_done


def start_future(loop: "asyncio.AbstractEventLoop", owner: int, begin: Callable[[Any, Any], int],
                 extract: Extract) -> "asyncio.Future[Any]":
    """Start an op in callback mode (``begin(cb, ud)``) whose completion
    resolves a future of ``loop``: directly when it is dispatched on the
    loop's thread ``owner``, else through ``call_soon_threadsafe`` (another
    thread dispatching the same client, e.g. a Worker.run sharing it)."""
    fut: "asyncio.Future[Any]" = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if fut.cancelled():
            return
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)

    def done(op: Any) -> None:
        st = lib.ff_op_status(op)
        if st == FF_OK:
            try:
                ok, value = True, extract(op)
            except BaseException as e:  # pragma: no cover - extractor bug
                ok, value = False, e
        else:
            ok, value = False, op_error(op, st)
        if threading.get_ident() == owner:
            settle(ok, value)
        else:
            loop.call_soon_threadsafe(settle, ok, value)

    ud = register(done)
    st = begin(OP_CALLBACK, ud)
    if st != FF_OK:
        unregister(ud)
        check(st)
    return fut


class Dispatcher:
    """Runs queued callbacks of one ff_client (``ff_client_dispatch``),
    from one thread at a time, and keeps ``ff_client_fd`` registered with the
    asyncio loops that need it."""

    def __init__(self, cptr: Any) -> None:
        self.c = cptr
        self.fd = int(lib.ff_client_fd(cptr))
        self._lock = threading.RLock()
        self._loops: Dict[Any, int] = {}

    def dispatch(self, max_calls: int = 0) -> int:
        with self._lock:
            if self.c is None:
                return 0
            return int(lib.ff_client_dispatch(self.c, max_calls))

    def attach(self, loop: Any) -> None:
        """Register the fd with an asyncio loop (reference counted)."""
        n = self._loops.get(loop, 0)
        if n == 0:
            loop.add_reader(self.fd, self.dispatch)
        self._loops[loop] = n + 1

    def detach(self, loop: Any) -> None:
        n = self._loops.get(loop, 0)
        if n <= 1:
            self._loops.pop(loop, None)
            if n == 1 and not loop.is_closed():
                loop.remove_reader(self.fd)
        else:
            self._loops[loop] = n - 1

    def close(self) -> None:
        for loop in list(self._loops):
            try:
                if not loop.is_closed():
                    loop.remove_reader(self.fd)
            except Exception:
                pass
        self._loops.clear()
        with self._lock:
            self.c = None


# --------------------------------------------------------------- the client core

class ClientCore:
    """One ff_client: creation, the dispatcher, the workers and engines
    running on it, close. Shared by Client and AsyncClient.

    Every open core is in a process-wide registry: at interpreter exit the
    cores still open are shut down in order (workers and engines first, then
    the clients), so no library thread is left running while the process
    tears down (see _close_all_at_exit)."""

    def __init__(self, url: Optional[str], *, data_dir: Optional[str], timeout: Optional[Duration],
                 connect_timeout: Optional[Duration], max_payload_bytes: Optional[int],
                 partitions: Optional[int]) -> None:
        o = ffi.new("ff_client_opts **")
        check(lib.ff_client_opts_new(o))
        opts = ffi.gc(o[0], lib.ff_client_opts_free)
        given = url if url is not None else os.environ.get("FF_URL")
        try:
            if url is not None:
                check(lib.ff_client_opts_set_url(opts, to_bytes_arg(url, "url")), "url")
            if data_dir is not None:
                check(lib.ff_client_opts_set_data_dir(opts, to_bytes_arg(str(data_dir), "data_dir")), "data_dir")
            if timeout is not None:
                check(lib.ff_client_opts_set_timeout_ms(opts, duration_ms(timeout, "timeout")), "timeout")
            if connect_timeout is not None:
                check(lib.ff_client_opts_set_connect_timeout_ms(
                    opts, duration_ms(connect_timeout, "connect_timeout")), "connect_timeout")
            if max_payload_bytes is not None:
                check(lib.ff_client_opts_set_max_payload_bytes(
                    opts, integer(max_payload_bytes, "max_payload_bytes", *UINT64)), "max_payload_bytes")
            if partitions is not None:
                check(lib.ff_client_opts_set_partitions(opts, integer(partitions, "partitions", *UINT32)),
                      "partitions")
            out = ffi.new("ff_client **")
            err = ffi.new("char[]", 1024)
            st = lib.ff_client_new(out, opts, err, 1024)
            if st != FF_OK:
                raise _errors.make_error(st, to_str(err) or to_str(lib.ff_error_detail(st)))
        except _errors.FlowFabricError as e:
            if isinstance(given, str):
                _scrub_url(e, given)
            raise
        self.ptr = out[0]
        self.url = to_str(lib.ff_client_url(self.ptr))  # redacted by the library: safe to show
        self.dispatcher = Dispatcher(self.ptr)
        self._lock = threading.Lock()
        self.closed = False
        self._closing = False
        #: workers and engines running on this client (``_shutdown()`` each before closing)
        self.children: "set[Any]" = set()
        with _open_lock:
            _open_cores.add(self)

    def attach(self, child: Any) -> None:
        """Register a worker/engine that starts on this client; refused once
        closing began (so close() never frees the client under a starting
        worker, e.g. one started by a thread while the interpreter exits)."""
        with self._lock:
            if self._closing:
                raise _errors.ClientClosed("the client is closed")
            self.children.add(child)

    def detach(self, child: Any) -> None:
        with self._lock:
            self.children.discard(child)

    def shutdown(self) -> None:
        """Stop the workers and engines running on this client, then close it."""
        self.close()

    def stop_children(self) -> None:
        with self._lock:
            children = list(self.children)
        for child in children:
            child._shutdown()

    def close(self) -> None:
        """Stop what still runs on the client (workers, engines), then free it."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
        self.stop_children()
        with _open_lock:
            _open_cores.discard(self)
        self.closed = True
        self.dispatcher.close()
        # ff_client_free runs the callbacks still queued on this thread, so
        # every pending continuation fires (with FF_ECANCELED).
        lib.ff_client_free(self.ptr)
        self.ptr = None

    def live(self) -> Any:
        if self.closed:
            raise _errors.ClientClosed("the client is closed")
        return self.ptr

    @property
    def partitions(self) -> int:
        return int(lib.ff_client_partitions(self.live()))

    @property
    def connected(self) -> bool:
        return not self.closed and bool(lib.ff_client_connected(self.ptr))

    @property
    def connect_count(self) -> int:
        return int(lib.ff_client_connect_count(self.live()))


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (the library's
    ff_url_redact: one implementation for every binding and tool)."""
    raw = url.encode("utf-8", "replace")
    cap = len(raw) + 16
    buf = ffi.new("char[]", cap)
    lib.ff_url_redact(raw, buf, cap)
    return to_str(buf)


def _scrub_url(e: _errors.FlowFabricError, url: str) -> None:
    """Make sure the message of an error about ``url`` never shows its
    password: the library's own texts should already use the redacted form;
    this also covers a message that quotes the URL as given."""
    redacted = redact_url(url)
    if redacted == url:
        return
    # what the library hid: the part of the URL that differs from its redacted form
    head = len(os.path.commonprefix([url, redacted]))
    tail = len(os.path.commonprefix([url[head:][::-1], redacted[head:][::-1]]))
    secret = url[head:len(url) - tail]

    def clean(text: str) -> str:
        text = text.replace(url, redacted)
        return text.replace(secret, "***") if len(secret) >= 3 else text
    e.detail = clean(e.detail)
    e.args = tuple(clean(a) if isinstance(a, str) else a for a in e.args)


# Every open ClientCore (strong references: a client nobody closed still owns
# a running I/O thread, and must be stopped before the process exits).
_open_cores: "set[ClientCore]" = set()
_open_lock = threading.Lock()


def open_cores() -> List[ClientCore]:
    with _open_lock:
        return list(_open_cores)


def _close_all_at_exit() -> None:
    """atexit: stop what the program left open, workers and engines first,
    then the clients, so the library's threads are gone before the
    interpreter and the C runtime tear down (libuv's exit-time cleanup must
    not run under a live I/O thread)."""
    cores = open_cores()
    if not cores:
        return
    logging.getLogger("flowfabric").debug("closing %d client(s) left open at exit", len(cores))
    hosts = [getattr(child, "run_host", None) for core in cores for child in list(core.children)]
    for core in cores:
        try:
            core.stop_children()
        except Exception:  # keep going: every client must be closed
            logging.getLogger("flowfabric").exception("stopping the workers of %s at exit failed", core.url)
    for core in cores:
        core.close()
    _join_run_hosts(hosts)


#: How long exit waits for the daemon threads whose worker runs it stopped.
EXIT_JOIN_SECONDS = 2.0


def _join_run_hosts(hosts: List[Any]) -> None:
    """Give the daemon threads that ran the stopped workers a moment to
    finish what follows their run (typically ``asyncio.run`` closing its
    loop, which starts a thread to shut its default executor down).
    CPython 3.11 crashes (SIGSEGV in _PyThreadState_SetCurrent) when a thread
    is started while the interpreter finalizes, so that must happen before
    this atexit handler returns. A thread still busy after EXIT_JOIN_SECONDS
    (user code that goes on after the run) is left as Python leaves daemon
    threads."""
    deadline = time.monotonic() + EXIT_JOIN_SECONDS
    me = threading.current_thread()
    for t in hosts:
        if isinstance(t, threading.Thread) and t is not me and t.daemon and t.is_alive():
            t.join(max(0.0, deadline - time.monotonic()))


def _forget_after_fork() -> None:
    """In a forked child the parent's clients have no I/O thread: they are
    unusable, and freeing them would wait for a thread that does not exist.
    Mark them closed without touching the C side."""
    global _open_lock
    _open_lock = threading.Lock()
    for core in list(_open_cores):
        core.closed = core._closing = True
        core.ptr = None
        core.dispatcher.c = None
    _open_cores.clear()


atexit.register(_close_all_at_exit)
os.register_at_fork(after_in_child=_forget_after_fork)


def owned_json(fn: Callable[[Any], int]) -> Any:
    """Call a C function that hands out a malloc'ed JSON string via char **,
    parse it and release it with ff_free."""
    out = ffi.new("char **")
    check(fn(out))
    try:
        return json.loads(to_str(out[0]))
    finally:
        lib.ff_free(out[0])


def dev_server(cmd: str, data_dir: Optional[str]) -> Optional[str]:
    d = to_bytes_arg(None if data_dir is None else str(data_dir), "data_dir")
    if cmd == "down":
        st = lib.ff_dev_server_down(d)
        if st == int(lib.FF_ENOTFOUND):
            return None
        check(st, "dev server down")
        return None
    buf = ffi.new("char[]", 1024)
    fn = lib.ff_dev_server_up if cmd == "up" else lib.ff_dev_server_status
    st = fn(d, buf, 1024)
    if cmd == "status" and st == int(lib.FF_ENOTFOUND):
        return None
    if st != FF_OK:
        raise _errors.make_error(st, to_str(buf))
    return to_str(buf)
