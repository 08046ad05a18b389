"""The worker SDK, built on the C worker runtime (``ff_worker``).

The C runtime claims executions into ``concurrency`` slots, keeps every
lease renewed from the client's I/O thread (so a handler that holds the GIL
for minutes still keeps its lease), wakes up on lane notifications and
stops gracefully. Python only runs handlers:

* claimed tasks are delivered through ``ff_client_dispatch`` on the thread
  that dispatches: the :meth:`Worker.run` loop, or the event loop in
  :meth:`Worker.arun`;
* plain ``def`` handlers run in a thread pool of ``concurrency`` threads;
  ``async def`` handlers run as tasks on the event loop;
* the handler's return value completes the task, an exception fails it
  (the execution's retry policy decides whether it runs again); after a
  :meth:`Task.suspend` that suspended, the return value is ignored (the
  execution waits for its signals, and is claimed again when they resume
  it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import itertools
import json
import logging
import os
import select
import signal
import threading
import time
import traceback
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _core
from . import errors as _errors
from ._core import FF_EAGAIN, FF_OK, BytesLike
from ._args import INT32, INT64, UINT32, Duration, When, duration_ms, integer, unix_ms, utf8
from ._ffi import NULL, ffi, lib, to_bytes_arg, to_str
from .errors import InvalidArgument
from .types import ChildExecution, Signal, SubmittedFlow, Suspension, UsageReport, WaitpointInfo

__all__ = ["Worker", "Task", "TaskFailed"]

WaitpointArg = _core.WaitpointArg
Condition = Union[Mapping[str, Any], str, None]

log = logging.getLogger("flowfabric.worker")

Handler = Callable[["Task"], Any]

_MAX_REASON = 4096
_MAX_CATEGORY = 128
# Statuses a finishing call returns when the task was NOT consumed (the call
# could not even be built): the task is still ours and must be finished.
_FF_ECANCELED = int(lib.FF_ECANCELED)
_NOT_CONSUMED = {int(lib.FF_EINVAL), int(lib.FF_ETOOBIG), int(lib.FF_ENOMEM)}
# A suspend refused with one of these lost the lease: the task is over. Any
# other refusal leaves the lease intact and the task usable (the C runtime
# does the same, see ff_task_suspend).
_LEASE_GONE = {int(lib.FF_STALE_LEASE), int(lib.FF_LEASE_EXPIRED), int(lib.FF_LEASE_REVOKED),
               int(lib.FF_EXECUTION_NOT_ACTIVE), int(lib.FF_EXECUTION_NOT_FOUND), int(lib.FF_FENCE_REQUIRED)}


class TaskFailed(Exception):
    """Raise from a handler to fail the task with a chosen ``category``
    (``Retry.categories`` / ``Retry.non_retryable`` decide which categories
    are retried). ``retry=False`` ends the execution as failed whatever its
    retry policy says (retrying cannot help: bad input, a permanent refusal
    from a downstream API).

    >>> raise flowfabric.TaskFailed("card declined", category="permanent", retry=False)  # doctest: +SKIP
    """

    def __init__(self, reason: str, category: str = "error", *, retry: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.category = category
        self.retry = _core.fail_flags(retry) == 0


def _clip(text: str, limit: int) -> str:
    b = text.encode("utf-8", "replace")
    if len(b) <= limit:
        return text
    return b[: limit - 3].decode("utf-8", "ignore") + "..."


def _result_bytes(value: Any) -> bytes:
    """Handler return value → result bytes: bytes-like as is, str as UTF-8,
    None as empty, anything else as JSON."""
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview, str)):
        return _core.as_bytes(value, "result")
    return _core.json_bytes(value)


class Task:
    """One claimed execution handed to a handler.

    Attributes (copied from the claim when the task is delivered):
        execution_id, kind, lane, namespace: the execution.
        payload: the payload bytes (:meth:`json` decodes them).
        attempt: attempt index (0 for the first attempt).
        attempt_type: ``"initial"``, ``"retry"``, ``"reclaim"``,
            ``"replay"`` or ``"resumed"``.
        attempt_id, lease_id, lease_epoch: the lease fence.
        lease_ttl_ms, lease_expires_at_ms: the lease as claimed (the worker
            renews it; this is the expiry at claim time).
        worker_instance_id: the worker instance holding the lease.

    A task is finished exactly once: by the handler's return value or
    exception, or explicitly with :meth:`complete`, :meth:`fail`,
    :meth:`cancel`, :meth:`delay`, :meth:`release` or a :meth:`suspend` whose
    state is ``"suspended"``. In a ``def`` handler
    (thread pool) the explicit finishing methods wait for the server's answer
    and raise its error (e.g. :class:`flowfabric.LeaseRevoked`); in an
    ``async def`` handler they return at once. Finishing by return value or
    exception never waits. Either way a call refused because the lease was
    lost raises at once, and refusals are counted in ``Worker.stats()["lost"]``.
    """

    __slots__ = ("_t", "_lock", "_worker", "_async", "_lost", "_released_by_stop", "_breached", "finished",
                 "execution_id",
                 "attempt_index", "attempt_id", "attempt_type", "lease_id", "lease_epoch", "expires_at_ms",
                 "lease_ttl_ms", "payload", "kind", "lane", "namespace", "worker_instance_id")

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

    def __init__(self, worker: "Worker", tptr: Any, is_async: bool) -> None:
        self._t = tptr
        self._lock = threading.Lock()
        self._worker = worker
        self._async = is_async
        self._lost = 0
        self._released_by_stop = False
        self._breached = 0  # the worst breach answered so far (0, 1 soft, 2 hard)
        self.finished = False
        _core.read_claim(self, lib.ff_task_claim(tptr))

    # ------------------------------------------------------------ reading
    @property
    def attempt(self) -> int:
        """Attempt index (0, 1, ...)."""
        return self.attempt_index

    @property
    def lease_expires_at_ms(self) -> int:
        return self.expires_at_ms

    @property
    def client(self) -> Any:
        """The client the worker runs on (submit follow-up work with it)."""
        return self._worker.client

    def json(self) -> Any:
        """The payload decoded as JSON."""
        return json.loads(self.payload)

    @property
    def lost(self) -> Optional[_errors.FlowFabricError]:
        """``None`` while the lease is held; else the error that ended it
        (revoked, expired, superseded, released at shutdown). A handler of
        long work may check it and stop early."""
        with self._lock:
            if self._t is not None:
                self._lost = int(lib.ff_task_lost(self._t))
        return _errors.make_error(self._lost) if self._lost else None

    def __repr__(self) -> str:
        return (f"<Task {self.kind} {self.execution_id} attempt={self.attempt_index} ({self.attempt_type})"
                f"{' finished' if self.finished else ''}>")

    # ------------------------------------------------------------ progress
    def progress(self, percent: int, message: Optional[str] = None) -> None:
        """Report progress (0..100, optional message). Does not wait for the
        server; raises if the lease is already known to be lost."""
        percent = integer(percent, "percent", *INT32)
        msg = to_bytes_arg(message, "message")
        with self._lock:
            if self._t is None:
                raise InvalidArgument("task already finished")
            st = lib.ff_task_progress(self._t, percent, msg, NULL, NULL, NULL)
        _core.check(st, "progress")

    # ------------------------------------------------------ output stream
    def log(self, text: str) -> None:
        """Append a log line (a durable frame of type ``"log"``) to this
        attempt's output stream (docs/streams.md). Like :meth:`progress` it
        does not wait for the server (the stream calls of one task reach it
        in order); raises if the lease is already known to be lost, the task
        finished, or the text is bad or above the frame limit (nothing
        sent)."""
        if not isinstance(text, str):
            raise TypeError(f"log text must be str, not {type(text).__name__}")
        data = utf8(text, "log text")
        self._send_frame("log", lambda t: int(lib.ff_task_log(t, data, NULL, NULL, NULL)))

    def emit(self, frame_type: str, payload: BytesLike = b"", mode: str = "durable", encoding: Optional[str] = None,
             source: Optional[str] = None, correlation_id: Optional[str] = None) -> None:
        """Append a frame to this attempt's output stream: ``payload`` bytes
        (binary-safe) or str (UTF-8), ``mode`` ``"durable"``,
        ``"best_effort"`` (high-rate deltas, trimmed) or ``"summary"`` (the
        payload a JSON merge patch; :meth:`summary` is the friendlier form).
        Does not wait, as :meth:`log`; a bad frame type, mode or field, or a
        payload above the limit, raises its typed error before anything is
        sent."""
        f = _core.FrameSpec(frame_type, payload, mode, encoding, source, correlation_id)
        self._send_frame("emit", lambda t: int(lib.ff_task_emit(t, f.ptr, NULL, NULL, NULL)))

    def summary(self, patch: Union[Mapping[str, Any], str]) -> None:
        """Merge ``patch`` (a dict, or JSON text of an object) into this
        attempt's summary document (RFC 7396: ``None`` deletes a member; the
        string ``"__ff_null__"`` stores a real null). Does not wait, as
        :meth:`log`; a patch that is not a JSON object raises InvalidInput
        before anything is sent (the nesting limit is checked by the server:
        use ``Client.append_frame`` to see that refusal)."""
        data = _core.summary_patch(patch)
        self._send_frame("summary", lambda t: int(lib.ff_task_summary(t, data, NULL, NULL, NULL)))

    def _send_frame(self, what: str, call: Callable[[Any], int]) -> None:
        """Start a fire-and-forget stream call under the task lock."""
        with self._lock:
            if self._t is None:
                raise InvalidArgument(f"{what}: task {self.execution_id} already finished")
            st = call(self._t)
        _core.check(st, what)

    # ------------------------------------------- suspension and signals
    @property
    def resumed(self) -> bool:
        """True when this claim continues a paused attempt
        (``attempt_type == "resumed"``): after a suspension was resumed by
        its signals (read them with :meth:`signals`), or after a
        :meth:`delay`."""
        return self.attempt_type == "resumed"

    def suspend(self, waitpoints: Union[WaitpointArg, Sequence[WaitpointArg]] = (), *,
                pending: Sequence[str] = (), condition: Condition = None, timeout: Optional[Duration] = None,
                timeout_behavior: str = "fail", reason: Optional[str] = None,
                idempotency_key: Optional[str] = None) -> Suspension:
        """Release the lease and wait for signals (human approval, a
        callback, a tool result). Waits for the server's answer.

        Args:
            waitpoints: keys of fresh waitpoints to create (``["approval"]``),
                and/or :class:`WaitpointInfo` objects from
                :meth:`create_waitpoint` (pending waitpoints: signals they
                buffered are evaluated now).
            pending: pending waitpoints given by id only (then a
                ``condition`` is required).
            condition: the resume condition, a dict or JSON text
                (``{"single": {"key": K, "name": N}}``, ``{"all_of": [...]}``,
                ``{"count": {"n": N, "kind": ..., "keys": [...]}}``). Default:
                any signal on the one waitpoint; several waitpoints need one.
            timeout: resume deadline (seconds or timedelta); then
                ``timeout_behavior`` acts: ``"fail"`` (default),
                ``"cancel"``, ``"expire"``, ``"auto_resume"`` or
                ``"escalate"`` (stays suspended, paused by operator).
            reason: ``"waiting_for_signal"`` (default),
                ``"waiting_for_approval"``, ``"waiting_for_callback"`` or
                ``"waiting_for_tool_result"`` (the blocking reason shown).
            idempotency_key: repeating the suspend with this key under the
                same lease replays the first outcome (tokens included).

        Returns:
            :class:`Suspension`. ``state == "suspended"``: the execution now
            waits and **this task is over**: return from the handler (its
            return value is ignored; the resumed execution is claimed again
            later, possibly elsewhere, with ``attempt_type == "resumed"``).
            ``state == "already_satisfied"``: buffered signals already met
            the condition; the lease is kept and the handler goes on (read
            them with :meth:`signals`, then finish the task as usual).

        Raises:
            InvalidInput: a malformed argument or condition (the task is
                still yours).
            FlowFabricError: the server refused the suspend. When the lease
                was lost (:class:`LeaseRevoked`, :class:`LeaseExpired`,
                :class:`StaleLease`, ...) the task is over; for any other
                refusal the lease is intact and the task is still yours.
        """
        spec = _core.build_suspend_spec(waitpoints, pending=pending, condition=condition, timeout=timeout,
                                        timeout_behavior=timeout_behavior, reason=reason,
                                        idempotency_key=idempotency_key)
        return self._release_and_wait("suspend", lambda t, out: lib.ff_task_suspend(t, spec.ptr, NULL, NULL, out),
                                      _core.x_suspension, lambda r: r.state == "already_satisfied")

    async def asuspend(self, waitpoints: Union[WaitpointArg, Sequence[WaitpointArg]] = (), *,
                       pending: Sequence[str] = (), condition: Condition = None,
                       timeout: Optional[Duration] = None, timeout_behavior: str = "fail",
                       reason: Optional[str] = None, idempotency_key: Optional[str] = None) -> Suspension:
        """:meth:`suspend` for ``async def`` handlers: awaits the answer
        without blocking the event loop."""
        spec = _core.build_suspend_spec(waitpoints, pending=pending, condition=condition, timeout=timeout,
                                        timeout_behavior=timeout_behavior, reason=reason,
                                        idempotency_key=idempotency_key)
        return await self._arelease_and_wait("suspend",
                                             lambda t, cb, ud: lib.ff_task_suspend(t, spec.ptr, cb, ud, NULL),
                                             _core.x_suspension, lambda r: r.state == "already_satisfied")

    # ----------------------------------------------------- child flows
    def spawn_children(self, members: Sequence[Mapping[str, Any]], edges: Sequence[Sequence[Any]] = (), *,
                       groups: Optional[Mapping[int, Mapping[str, Any]]] = None, flow_id: Optional[str] = None,
                       lane: Optional[str] = None) -> SubmittedFlow:
        """Spawn a child flow of this task's execution: ``client.submit_flow``
        with ``parent`` set (the whole sub-DAG in one atomic call, on this
        execution's partition; ``lane`` defaults to this task's lane). Call
        it as often as needed (up to 64 child flows), then
        :meth:`wait_children`. Waits for the server's answer."""
        from ._opdefs import OpDefs
        op = OpDefs(self._worker._client_core().live()).submit_flow(
            members, edges, groups=groups, flow_id=flow_id, lane=lane or self.lane, parent=self.execution_id)
        return self._run_op(op, "spawn_children")

    def wait_children(self, timeout: Optional[Duration] = None, timeout_behavior: str = "fail") -> str:
        """Wait for the child flows this execution spawned: they are sealed
        (no member joins them any more) and, unless all of them settled
        already, the lease is released and the execution waits.

        Returns:
            ``"suspended"``: **this task is over**; return from the handler.
            When the last child ends, the execution is claimed again as
            ``attempt_type == "resumed"`` (the same attempt) and the handler
            runs again: read :meth:`children` there. ``"already_satisfied"``:
            every child flow settled already; the lease is kept and the
            handler goes on.

        ``timeout`` (seconds) with ``timeout_behavior`` (fail, cancel,
        expire, auto_resume, escalate) acts as a suspension timeout.

        Raises:
            NoChildren: nothing was spawned (the task is still yours).
        """
        ms = 0 if timeout is None else duration_ms(timeout, "timeout")
        b = ffi.NULL if timeout is None else to_bytes_arg(timeout_behavior, "timeout_behavior")
        return self._release_and_wait("wait_children",
                                      lambda t, out: lib.ff_task_wait_children(t, ms, b, NULL, NULL, out),
                                      _core.x_text, lambda r: r == "already_satisfied")

    async def await_children(self, timeout: Optional[Duration] = None, timeout_behavior: str = "fail") -> str:
        """:meth:`wait_children` for ``async def`` handlers."""
        ms = 0 if timeout is None else duration_ms(timeout, "timeout")
        b = ffi.NULL if timeout is None else to_bytes_arg(timeout_behavior, "timeout_behavior")
        return await self._arelease_and_wait("wait_children",
                                             lambda t, cb, ud: lib.ff_task_wait_children(t, ms, b, cb, ud, NULL),
                                             _core.x_text, lambda r: r == "already_satisfied")

    def children(self) -> List[ChildExecution]:
        """The members of this execution's child flows with their states and
        results (a resumed task reads what its children produced). Waits for
        the server's answer; ``async def`` handlers await :meth:`achildren`."""
        from ._opdefs import OpDefs
        return self._run_op(OpDefs(self._worker._client_core().live()).children(self.execution_id), "children")

    async def achildren(self) -> List[ChildExecution]:
        """:meth:`children` for ``async def`` handlers."""
        from ._opdefs import OpDefs
        op = OpDefs(self._worker._client_core().live()).children(self.execution_id)
        return await _start_async(lambda cb, ud: op.start(cb, ud, NULL), op.extract)

    def _run_op(self, op: Any, what: str) -> Any:
        """Run one client Op (an OpDefs call) and wait for its answer."""
        out = ffi.new("ff_op **")
        _core.check(op.start(NULL, NULL, out), f"{what} {self.execution_id}")
        c_op = out[0]
        try:
            st = _wait_op(c_op)
            if st != FF_OK:
                raise _core.op_error(c_op, st)
            return op.extract(c_op)
        finally:
            lib.ff_op_free(c_op)

    def _release_and_wait(self, what: str, start: Callable[[Any, Any], int], extract: Callable[[Any], Any],
                          kept: Callable[[Any], bool]) -> Any:
        """A call that may release the lease (suspend, wait_children): the
        task is over unless ``kept(result)`` or the refusal left the lease
        intact."""
        t = self._take(what)
        keep = False
        try:
            out = ffi.new("ff_op **")
            st = start(t, out)
            if st != FF_OK:
                self._not_sent(t, st, what)
                return None  # pragma: no cover - _not_sent raised
            op = out[0]
            try:
                st = _wait_op(op)
                if st != FF_OK:
                    keep = st not in _LEASE_GONE
                    raise _core.op_error(op, st)
                result = extract(op)
            finally:
                lib.ff_op_free(op)
            keep = kept(result)
            return result
        finally:
            self._after_suspend(t, keep)

    async def _arelease_and_wait(self, what: str, start: Callable[[Any, Any, Any], int],
                                 extract: Callable[[Any], Any], kept: Callable[[Any], bool]) -> Any:
        t = self._take(what)
        state = {"keep": False}

        def take(op: Any) -> Any:
            result = extract(op)
            state["keep"] = kept(result)
            return result
        try:
            fut = _start_async(lambda cb, ud: start(t, cb, ud), take)
        except _errors.FlowFabricError as e:
            self._after_suspend(t, False)
            if e.code in _NOT_CONSUMED:
                with self._lock:
                    self._t = t
                self.finished = False
            else:
                self._lost = e.code
            raise
        try:
            return await fut
        except _errors.FlowFabricError as e:
            state["keep"] = e.code not in _LEASE_GONE
            raise
        finally:
            self._after_suspend(t, state["keep"])

    def create_waitpoint(self, key: str, expires_in: Duration = 3600) -> WaitpointInfo:
        """Create a pending waitpoint before suspending: hand its token out
        now (e.g. start an external job with a callback URL), keep working;
        signals sent meanwhile are buffered, and :meth:`suspend` with this
        :class:`WaitpointInfo` evaluates them (possibly
        ``"already_satisfied"`` at once). Unused, it expires after
        ``expires_in`` (seconds or timedelta, default 1 h). Waits for the
        server's answer."""
        ms = duration_ms(expires_in, "expires_in")
        k = to_bytes_arg(key, "key")
        return self._call_sync("create_waitpoint",
                               lambda t, out: lib.ff_task_create_waitpoint(t, k, ms, NULL, NULL, out),
                               _core.x_waitpoint)

    async def acreate_waitpoint(self, key: str, expires_in: Duration = 3600) -> WaitpointInfo:
        """:meth:`create_waitpoint` for ``async def`` handlers."""
        ms = duration_ms(expires_in, "expires_in")
        k = to_bytes_arg(key, "key")
        return await self._call_async("create_waitpoint",
                                      lambda t, cb, ud: lib.ff_task_create_waitpoint(t, k, ms, cb, ud, NULL),
                                      _core.x_waitpoint)

    def signals(self) -> List[Signal]:
        """The signals that satisfied this attempt's last suspension, in
        the order they contributed (a resumed task reads why it was woken:
        name, source, payload). ``[]`` when the attempt never suspended (or
        is still suspended). Waits for the server's answer."""
        return self._call_sync("signals", lambda t, out: lib.ff_task_observe_signals(t, NULL, NULL, out),
                               _core.x_signals)

    async def asignals(self) -> List[Signal]:
        """:meth:`signals` for ``async def`` handlers."""
        return await self._call_async("signals", lambda t, cb, ud: lib.ff_task_observe_signals(t, cb, ud, NULL),
                                      _core.x_signals)

    # ----------------------------------------------------------- budgets
    def report_usage(self, budget_id: str, usage: Mapping[str, int], *,
                     dedup_key: Optional[str] = None) -> UsageReport:
        """Report spend under this task's lease (Client.report_usage with
        its claim: the lease is checked, the spend recorded for the
        execution) and wait for the answer. A soft or hard breach is also
        remembered: :attr:`budget_breached`."""
        keep, dims, deltas, n = _core.usage_args(usage)
        bid, dk = to_bytes_arg(budget_id, "budget id"), to_bytes_arg(dedup_key, "dedup_key")
        _ = keep
        return self._note(self._call_sync(
            "report_usage", lambda t, out: lib.ff_task_report_usage(t, bid, dims, deltas, n, dk, NULL, NULL, out),
            _core.x_usage_report))

    async def areport_usage(self, budget_id: str, usage: Mapping[str, int], *,
                            dedup_key: Optional[str] = None) -> UsageReport:
        """:meth:`report_usage` for ``async def`` handlers."""
        keep, dims, deltas, n = _core.usage_args(usage)
        bid, dk = to_bytes_arg(budget_id, "budget id"), to_bytes_arg(dedup_key, "dedup_key")
        _ = keep
        return self._note(await self._call_async(
            "report_usage",
            lambda t, cb, ud: lib.ff_task_report_usage(t, bid, dims, deltas, n, dk, cb, ud, NULL),
            _core.x_usage_report))

    def _note(self, r: UsageReport) -> UsageReport:
        level = {"soft_breach": 1, "hard_breach": 2}.get(r.outcome, 0)
        self._breached = max(self._breached, level)
        return r

    @property
    def budget_breached(self) -> Optional[str]:
        """``"hard"``, ``"soft"`` or ``None``: the worst breach a report
        through this task answered (kept after the task finished)."""
        with self._lock:
            if self._t is not None:
                self._breached = max(self._breached, int(lib.ff_task_budget_breached(self._t)))
        return {1: "soft", 2: "hard"}.get(self._breached)

    # ----------------------------------------------------------- flows
    def parent_results(self) -> Dict[str, Optional[bytes]]:
        """The results of this execution's upstream flow members: upstream
        id -> the bytes its edge carries (``None`` for an edge staged
        without ``pass_data``, or whose upstream did not complete); ``{}``
        outside a flow. Waits for the server's answer (a ``def`` handler);
        an ``async def`` handler awaits :meth:`aparent_results`."""
        from ._opdefs import OpDefs  # the one definition of the read
        return self._run_op(OpDefs(self._worker._client_core().live()).parent_results(self.execution_id),
                            "parent_results")

    async def aparent_results(self) -> Dict[str, Optional[bytes]]:
        """:meth:`parent_results` for ``async def`` handlers."""
        from ._opdefs import OpDefs
        op = OpDefs(self._worker._client_core().live()).parent_results(self.execution_id)
        return await _start_async(lambda cb, ud: op.start(cb, ud, NULL), op.extract)

    def _take(self, what: str) -> Any:
        """Take the task pointer for a finishing call (suspend)."""
        with self._lock:
            t = self._t
            if t is None:
                raise InvalidArgument(f"{what}: task {self.execution_id} already finished")
            self._t = None
        return t

    def _after_suspend(self, t: Any, keep: bool) -> None:
        if keep:  # already_satisfied: the lease is kept, the task goes on
            with self._lock:
                self._t = t
        self.finished = self._t is None

    def _live(self, what: str) -> Any:
        if self._t is None:
            raise InvalidArgument(f"{what}: task {self.execution_id} already finished")
        return self._t

    def _call_sync(self, what: str, call: Callable[[Any, Any], int], extract: Callable[[Any], Any]) -> Any:
        out = ffi.new("ff_op **")
        with self._lock:
            st = call(self._live(what), out)
        _core.check(st, f"{what} {self.execution_id}")
        op = out[0]
        try:
            st = _wait_op(op)
            if st != FF_OK:
                raise _core.op_error(op, st)
            return extract(op)
        finally:
            lib.ff_op_free(op)

    async def _call_async(self, what: str, call: Callable[[Any, Any, Any], int],
                          extract: Callable[[Any], Any]) -> Any:
        with self._lock:
            t = self._live(what)
            fut = _start_async(lambda cb, ud: call(t, cb, ud), extract)
        return await fut

    # ----------------------------------------------------- finishing calls
    def complete(self, result: BytesLike = None) -> None:
        """Complete the execution with result bytes (str: UTF-8)."""
        self._complete(_core.as_bytes(result, "result"), wait=not self._async)

    def complete_json(self, obj: Any) -> None:
        """Complete with ``obj`` encoded as JSON."""
        self.complete(_core.json_bytes(obj))

    def fail(self, reason: str, category: str = "error", *, retry: bool = True) -> None:
        """Fail this attempt. The retry policy decides: retry later
        (``retry_scheduled``) or fail for good (``terminal_failed``);
        ``retry=False`` fails for good whatever the policy says."""
        self._fail(reason, category, wait=not self._async, retry=retry)

    def cancel(self, reason: Optional[str] = None) -> None:
        """Cancel the execution (by the lease holder); no retry."""
        r = to_bytes_arg(None if reason is None else _clip(reason, _MAX_REASON), "reason")
        self._finish("cancel", lambda t, out: lib.ff_task_cancel(t, r, NULL, NULL, out), not self._async)

    def delay(self, seconds: Optional[Duration] = None, *, until: Optional[When] = None) -> None:
        """Give the lease back and park the execution for ``seconds`` (or
        until ``until``); the next claim resumes this same attempt. Times
        are computed on this machine's clock."""
        if (seconds is None) == (until is None):
            raise TypeError("give either seconds or until")
        if until is not None:
            when = unix_ms(until, "until")
        else:
            assert seconds is not None
            when = integer(int(time.time() * 1000) + duration_ms(seconds, "seconds"), "now + seconds (in ms)",
                           *INT64)
        self._finish("delay", lambda t, out: lib.ff_task_delay(t, when, NULL, NULL, out), not self._async)

    def rate_limited(self, seconds: Optional[Duration] = None, *, until: Optional[When] = None) -> None:
        """The work hit a rate limit (an HTTP 429 of the API it calls):
        pause this execution's admission group for ``seconds`` (or until
        ``until``; this machine's clock) and give the attempt back, parked,
        without counting it as a failure; the next claim after the pause
        resumes the same attempt. A finishing call, like :meth:`delay`."""
        if (seconds is None) == (until is None):
            raise TypeError("give either seconds or until")
        if until is not None:
            when = unix_ms(until, "until")
        else:
            assert seconds is not None
            when = integer(int(time.time() * 1000) + duration_ms(seconds, "seconds"), "now + seconds (in ms)",
                           *INT64)
        self._finish("rate_limited", lambda t, out: lib.ff_task_rate_limited(t, when, NULL, NULL, out),
                     not self._async)

    def release(self) -> None:
        """Give the execution back without failing it (the same attempt
        resumes on another claim)."""
        self._release(wait=not self._async)

    def _release(self, wait: bool) -> None:
        self._finish("release", lambda t, out: lib.ff_task_release(t, NULL, NULL, out), wait)

    def _complete(self, data: bytes, wait: bool) -> None:
        self._finish("complete", lambda t, out: lib.ff_task_complete(t, data, len(data), NULL, NULL, out), wait)

    def _fail(self, reason: str, category: str, wait: bool, retry: bool = True) -> None:
        r = to_bytes_arg(_clip(str(reason), _MAX_REASON), "reason")
        c = to_bytes_arg(_clip(str(category), _MAX_CATEGORY), "category")
        flags = _core.fail_flags(retry)
        self._finish("fail", lambda t, out: lib.ff_task_fail_with(t, r, c, flags, NULL, NULL, out), wait)

    def _finish(self, what: str, call: Callable[[Any, Any], int], wait: bool) -> None:
        """Make the finishing call. ``wait``: future mode, block (GIL
        released) for the server's answer and raise its error; else fire and
        forget (the C runtime still frees the slot when the answer arrives,
        and counts refusals as ``lost`` in Worker.stats())."""
        with self._lock:
            t = self._t
            if t is None:
                raise InvalidArgument(f"task {self.execution_id} already finished")
            self._t = None
        try:
            if not wait:
                st = call(t, NULL)
                if st != FF_OK:
                    self._not_sent(t, st, what)
                return
            out = ffi.new("ff_op **")
            st = call(t, out)
            if st != FF_OK:
                self._not_sent(t, st, what)
                return
            op = out[0]
            try:
                st = lib.ff_op_wait(op, 250)
                while st == FF_EAGAIN and not lib.ff_op_done(op):
                    st = lib.ff_op_wait(op, 250)
                if st != FF_OK:
                    raise _core.op_error(op, st)
            finally:
                lib.ff_op_free(op)
        finally:
            self.finished = self._t is None

    def _not_sent(self, t: Any, st: int, what: str) -> None:
        if st in _NOT_CONSUMED:
            with self._lock:
                self._t = t  # the call could not be built: the task is still ours
        else:
            self._lost = st
        _core.check(st, f"{what} {self.execution_id}")


def _wait_op(op: Any) -> int:
    """ff_op_wait in slices (GIL released; Ctrl-C stays responsive)."""
    st = lib.ff_op_wait(op, 250)
    while st == FF_EAGAIN and not lib.ff_op_done(op):
        st = lib.ff_op_wait(op, 250)
    return int(st)


def _start_async(start: Callable[[Any, Any], int], extract: Callable[[Any], Any]) -> "asyncio.Future[Any]":
    """Start a task op in callback mode; its completion (dispatched by
    the worker's loop, or another dispatching thread) resolves a future of
    the running loop."""
    return _core.start_future(asyncio.get_running_loop(), threading.get_ident(), start, extract)


# ud of each registered kind -> (worker, handler, is_async): routing a task
# costs no call into the library on the dispatching thread.
_routes: Dict[int, Any] = {}
_route_keys = itertools.count(1)


@ffi.callback("void(ff_task *, void *)")
def _on_task(tptr: Any, ud: Any) -> None:
    route = _routes.get(int(ffi.cast("intptr_t", ud)))
    if route is None:  # pragma: no cover - worker gone: give the execution back
        lib.ff_task_release(tptr, NULL, NULL, NULL)
        return
    try:
        route[0]._deliver(tptr, route[1], route[2])
    except BaseException:  # never let an exception cross into C (_deliver gave the task back)
        log.exception("delivering a task failed")


class Worker:
    """Runs handlers for claimed executions.

    Args:
        client: a :class:`flowfabric.Client` or
            :class:`flowfabric.AsyncClient` (the worker shares its
            connection and I/O thread).
        lanes: lanes to claim from, in priority order.
        capabilities: capability tokens this worker has (executions that
            require others are left for other workers).
        concurrency: tasks in flight at once (1..4096); also the size of
            the thread pool of ``def`` handlers. With ``concurrency=1`` and a
            sync :class:`flowfabric.Client`, :meth:`run` calls ``def``
            handlers on its own thread (no thread hop per task).
        lease_ttl: lease length (seconds, 1..3600); leases are renewed
            every third of it by the C I/O thread.
        poll_interval: fallback claim interval while idle (seconds, 0.1..60;
            default: the library's, 5 s); lane wake-ups normally make claims
            immediate, the poll only matters if a wake-up is lost.
        worker_id / instance_id: identity recorded with leases and attempts.
        engine: also run the engine's sweeps on this client (default True);
            a dict sets its options, as :meth:`flowfabric.Client.engine`
            takes them (``{"tick": 0.1, "retention": 3600}``).
        grace: how long a graceful stop waits for tasks in flight before
            releasing them (seconds, default ``lease_ttl``).
    """

    def __init__(self, client: Any, lanes: Sequence[str] = ("default",), capabilities: Iterable[str] = (),
                 concurrency: int = 1, *, lease_ttl: Duration = 30.0, poll_interval: Optional[Duration] = None,
                 worker_id: Optional[str] = None, instance_id: Optional[str] = None,
                 engine: Union[bool, Mapping[str, Any]] = True, grace: Optional[Duration] = None) -> None:
        if not hasattr(client, "_core"):
            raise TypeError("client must be a flowfabric.Client or AsyncClient")
        if isinstance(lanes, str) or isinstance(capabilities, str):
            raise TypeError("lanes and capabilities must be sequences of strings, not a str")
        integer(concurrency, "concurrency", *UINT32)
        self.client = client
        self.lanes = list(lanes)
        self.capabilities = list(capabilities)
        self.concurrency = concurrency
        self.lease_ttl_ms = duration_ms(lease_ttl, "lease_ttl")
        self.poll_ms = None if poll_interval is None else duration_ms(poll_interval, "poll_interval")
        self.worker_id = worker_id
        self.instance_id = instance_id
        self.engine = engine
        self.grace_ms = self.lease_ttl_ms if grace is None else duration_ms(grace, "grace")
        # Validate everything now (bad lanes, ranges) rather than at run().
        self._opts = self._build_opts()
        self._handlers: Dict[Optional[str], Handler] = {}
        self._async_handlers: Dict[Optional[str], bool] = {}
        self._pool: Optional[concurrent.futures.ThreadPoolExecutor] = None
        self._w: Any = None
        self._route_keys: List[int] = []
        self._state_lock = threading.Lock()
        self._in_flight = 0
        self._handled = 0
        self._last_activity = time.monotonic()
        self._stop_requested = 0  # 0 no, 1 graceful, 2 immediate
        self._inline = False  # run def handlers on the run() thread (concurrency 1)
        self._max_tasks: Optional[int] = None
        self._running = False
        self._stopping = False
        self._w_lock = threading.RLock()  # guards self._w against stop()/stats() from other threads
        self._tasks: "set[Task]" = set()  # delivered, handler not returned yet
        self._wake_r, self._wake_w = -1, -1
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread = 0
        self._async_tasks: "set[asyncio.Task[Any]]" = set()
        self._done_event = threading.Event()
        self._done_event.set()
        self._last_stats: Dict[str, Any] = {}
        self._run_thread = 0
        #: the thread a run is on (joined, briefly, at interpreter exit)
        self.run_host: Optional[threading.Thread] = None
        self._run_over = threading.Event()  # set while no run is in progress
        self._run_over.set()
        self._was_connected = True  # connection state seen by the run loop (_watch_connection)
        self._connects = 0

    def _configure(self, *, lanes: Optional[Sequence[str]] = None, capabilities: Optional[Iterable[str]] = None,
                   concurrency: Optional[int] = None) -> None:
        """Change lanes / capabilities / concurrency before a run (the command
        line's --lanes, --capabilities, --concurrency)."""
        if self._running:
            raise InvalidArgument("configure the worker before it runs")
        old = (self.lanes, self.capabilities, self.concurrency)
        if lanes is not None:
            self.lanes = list(lanes)
        if capabilities is not None:
            self.capabilities = list(capabilities)
        if concurrency is not None:
            self.concurrency = integer(concurrency, "concurrency", *UINT32)
        try:
            self._opts = self._build_opts()
        except BaseException:
            self.lanes, self.capabilities, self.concurrency = old
            raise

    # -------------------------------------------------------- registration
    def task(self, kind: Optional[str] = None) -> Callable[[Handler], Handler]:
        """Decorator registering the handler of an execution kind
        (``None``: the handler of kinds without their own). ``def`` handlers
        run in the thread pool, ``async def`` handlers on the event loop.

        >>> @worker.task("email.send")          # doctest: +SKIP
        ... def send(task):
        ...     return b"sent"
        """
        if kind is not None and not isinstance(kind, str):
            if callable(kind):
                raise TypeError("use @worker.task('kind') (or @worker.task() for the default handler)")
            raise TypeError("kind must be a str or None")

        def deco(fn: Handler) -> Handler:
            self.register(kind, fn)
            return fn
        return deco

    def register(self, kind: Optional[str], fn: Handler) -> None:
        """Register ``fn`` for ``kind`` (non-decorator form)."""
        if not callable(fn):
            raise TypeError("handler must be callable")
        if self._running:
            raise InvalidArgument("register handlers before the worker runs")
        self._handlers[kind] = fn
        self._async_handlers[kind] = inspect.iscoroutinefunction(fn) or \
            inspect.iscoroutinefunction(getattr(fn, "__call__", None))

    @property
    def kinds(self) -> List[Optional[str]]:
        return list(self._handlers)

    # ------------------------------------------------------------- running
    def run(self, max_tasks: Optional[int] = None, idle_timeout: Optional[Duration] = None, *,
            handle_signals: bool = True) -> None:
        """Process tasks on the calling thread until stopped.

        Stops gracefully (no new claims; tasks in flight get ``grace`` to
        finish, then are released) when ``max_tasks`` handlers have
        returned, when no task arrived for ``idle_timeout`` seconds, on
        :meth:`stop`, or on SIGINT/SIGTERM (main thread only). A second
        signal releases the tasks in flight at once and returns without
        waiting for their handlers. With any ``async def`` handler it runs
        ``asyncio.run(self.arun(...))``.
        """
        if any(self._async_handlers.values()):
            asyncio.run(self.arun(max_tasks, idle_timeout, handle_signals=handle_signals))
            return
        from .client import Client
        idle_ms = self._begin(max_tasks, idle_timeout, inline=self.concurrency == 1 and isinstance(self.client, Client))
        old_handlers = self._install_signals() if handle_signals else {}
        try:
            poller = select.poll()
            poller.register(self._fd(), select.POLLIN)
            poller.register(self._wake_r, select.POLLIN)
            disp = self._client_core().dispatcher
            wake_fd = self._wake_r
            while True:
                for fd, _ in poller.poll(100):
                    if fd == wake_fd:
                        self._drain_wake()
                disp.dispatch()
                if self._c_stopped():
                    break
                self._check_stop(max_tasks, idle_ms)
                self._watch_connection()
            # Handlers may still run after their tasks were finished or
            # released; wait for them unless the stop was immediate.
            while not self._done_event.is_set() and self._stop_requested < 2:
                self._done_event.wait(0.1)
                disp.dispatch()
        finally:
            self._inline = False
            self._restore_signals(old_handlers)
            self._end()

    async def arun(self, max_tasks: Optional[int] = None, idle_timeout: Optional[Duration] = None, *,
                   handle_signals: bool = True) -> None:
        """:meth:`run` for asyncio: tasks are delivered on the running loop
        (``ff_client_fd`` + ``add_reader``), ``async def`` handlers run as
        loop tasks, ``def`` handlers in the thread pool."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._loop_thread = threading.get_ident()
        idle_ms = self._begin(max_tasks, idle_timeout, inline=False)
        disp = self._client_core().dispatcher
        disp.attach(loop)
        sigs = self._install_loop_signals(loop) if handle_signals else []
        try:
            while True:
                await asyncio.sleep(0.05)
                self._drain_wake()
                disp.dispatch()
                if self._c_stopped():
                    break
                self._check_stop(max_tasks, idle_ms)
                self._watch_connection()
            while (self._async_tasks or not self._done_event.is_set()) and self._stop_requested < 2:
                if self._async_tasks:
                    await asyncio.wait(list(self._async_tasks), timeout=0.1)
                else:
                    await asyncio.sleep(0.05)
                disp.dispatch()
        finally:
            for sig in sigs:
                try:
                    loop.remove_signal_handler(sig)
                except Exception:
                    pass
            disp.detach(loop)
            self._end()
            self._loop = None

    def stop(self, immediate: bool = False) -> None:
        """Stop a running worker (from any thread, a handler or a signal
        handler): no new claims; tasks in flight get ``grace`` to finish.
        ``immediate=True`` releases the tasks in flight now (they resume
        elsewhere) and lets :meth:`run` return without waiting for their
        handlers."""
        self._stop_requested = max(self._stop_requested, 2 if immediate else 1)
        with self._w_lock:
            if self._w is not None and self._running:
                if immediate:
                    self._release_in_flight()
                lib.ff_worker_stop(self._w, 0 if immediate else self.grace_ms)
        self._wake()

    def stats(self) -> Dict[str, Any]:
        """Counters of the C runtime (claimed, completed, failed, renewals,
        lost, ...) plus ``handled`` (handlers that returned) -- of the current
        run, or of the last one."""
        with self._w_lock:
            w = self._w
            if w is not None:
                self._last_stats = _core.owned_json(lambda out: lib.ff_worker_stats_json(w, out))
        d = dict(self._last_stats)
        d["handled"] = self._handled
        return d

    @property
    def instance_id_in_use(self) -> str:
        """Instance id of the running C worker ("" when not running)."""
        with self._w_lock:
            return to_str(lib.ff_worker_instance_id(self._w)) if self._w is not None else ""

    def close(self) -> None:
        """Stop the worker if it is running (as :meth:`stop` with
        ``immediate=True``) and wait for :meth:`run` to return. The thread
        pool of ``def`` handlers lives only while the worker runs, so after
        this (or after :meth:`run` returned) no thread of this worker is
        left. ``with Worker(...) as worker:`` calls it on exit."""
        self._shutdown()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ internals
    def _build_opts(self) -> Any:
        o = ffi.new("ff_worker_opts **")
        _core.check(lib.ff_worker_opts_new(o))
        opts = ffi.gc(o[0], lib.ff_worker_opts_free)
        for ln in self.lanes:
            _core.check(lib.ff_worker_opts_add_lane(opts, to_bytes_arg(ln, "lane")), f"lane {ln!r}")
        for cap in self.capabilities:
            _core.check(lib.ff_worker_opts_add_capability(opts, to_bytes_arg(cap, "capability")),
                        f"capability {cap!r}")
        _core.check(lib.ff_worker_opts_set_concurrency(opts, self.concurrency), f"concurrency {self.concurrency}")
        _core.check(lib.ff_worker_opts_set_lease_ttl_ms(opts, self.lease_ttl_ms), f"lease_ttl {self.lease_ttl_ms} ms")
        if self.poll_ms is not None:
            _core.check(lib.ff_worker_opts_set_poll_ms(opts, self.poll_ms), f"poll_interval {self.poll_ms} ms")
        _core.check(lib.ff_worker_opts_set_engine(opts, 1 if self.engine else 0))
        if isinstance(self.engine, Mapping):
            from .client import engine_options
            _core.check(lib.ff_worker_opts_set_engine_opts(opts, engine_options(**self.engine)), "engine options")
        if self.worker_id is not None:
            _core.check(lib.ff_worker_opts_set_worker_id(opts, to_bytes_arg(self.worker_id, "worker_id")),
                        "worker_id")
        if self.instance_id is not None:
            _core.check(lib.ff_worker_opts_set_instance_id(opts, to_bytes_arg(self.instance_id, "instance_id")),
                        "instance_id")
        return opts

    def _client_core(self) -> _core.ClientCore:
        core = getattr(self.client, "_core", None)
        if core is None:
            raise _errors.ClientClosed("the client is not connected")
        core.live()
        return core

    def _fd(self) -> int:
        return self._client_core().dispatcher.fd

    def _begin(self, max_tasks: Optional[int], idle_timeout: Optional[Duration], inline: bool) -> Optional[int]:
        """Start a run; returns idle_timeout in ms."""
        if self._running:
            raise InvalidArgument("this worker is already running")
        if not self._handlers:
            raise InvalidArgument("no handlers registered (use @worker.task('kind'))")
        if max_tasks is not None:
            if isinstance(max_tasks, bool) or not isinstance(max_tasks, int):
                raise TypeError(f"max_tasks must be an int, not {type(max_tasks).__name__}")
            if max_tasks < 1:
                raise InvalidArgument(f"max_tasks must be a positive int; got {max_tasks}")
        idle_ms = None if idle_timeout is None else duration_ms(idle_timeout, "idle_timeout")
        core = self._client_core()
        cptr = core.live()
        self._max_tasks = max_tasks
        self._inline = inline
        self._run_thread = threading.get_ident()
        self.run_host = threading.current_thread()
        self._was_connected = core.connected
        self._connects = core.connect_count
        self._stop_requested = 0
        self._stopping = False
        self._handled = 0
        self._last_activity = time.monotonic()
        # From here a close of the client waits for this run (_shutdown).
        self._run_over.clear()
        try:
            core.attach(self)
        except BaseException:
            self._run_over.set()
            raise
        try:
            if not inline:  # def handlers run here; shut down when the run ends (_end)
                self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.concurrency,
                                                                   thread_name_prefix="flowfabric-worker")
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_r, False)
            os.set_blocking(self._wake_w, False)
            out = ffi.new("ff_worker **")
            _core.check(lib.ff_worker_new(out, cptr, self._opts), "worker")
            with self._w_lock:
                self._w = out[0]
            for kind, fn in self._handlers.items():
                key = next(_route_keys)
                _routes[key] = (self, fn, self._async_handlers[kind])
                self._route_keys.append(key)
                _core.check(lib.ff_worker_on(self._w, to_bytes_arg(kind, "kind"), _on_task,
                                             ffi.cast("void *", key)), f"kind {kind!r}")
            with self._w_lock:  # a stop() from another thread sees either "not running" or a started worker
                _core.check(lib.ff_worker_start(self._w), "worker start")
                self._running = True
        except BaseException:
            self._running = False
            self._free_c()
            self._close_wake()
            self._close_pool()
            core.detach(self)
            self._run_over.set()
            raise
        if self._stop_requested:  # stopped while starting
            self.stop(immediate=self._stop_requested >= 2)
        return idle_ms

    def _end(self) -> None:
        try:
            with self._w_lock:
                w = self._w
                if w is not None:
                    self._last_stats = _core.owned_json(lambda out: lib.ff_worker_stats_json(w, out))
            if self._last_stats.get("lost"):
                log.warning("%d task(s) lost their lease during this run (revoked, expired or cancelled by an "
                            "operator)", self._last_stats["lost"])
            # Handlers still running must not touch their tasks once the C
            # worker is freed: give those tasks back (their handlers' later
            # finishing calls become no-ops).
            self._release_in_flight()
            self._free_c()
        finally:
            self._running = False
            self._inline = False
            self.client._core.detach(self)
            self._close_wake()
            self._close_pool()
            self._run_over.set()

    def _close_pool(self) -> None:
        """The pool does not outlive a run: its threads end with it (at once
        when they are idle; after their handler when a stop was immediate
        and did not wait for them)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=self._done_event.is_set())

    def _close_wake(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def _free_c(self) -> None:
        with self._w_lock:
            w, self._w = self._w, None
        if w is not None:
            # ff_worker_free stops the worker (grace 0) if needed and
            # dispatches the client's queue on this thread: hold the
            # dispatcher so no other thread dispatches meanwhile.
            with self.client._core.dispatcher._lock:
                lib.ff_worker_free(w)
        for key in self._route_keys:
            _routes.pop(key, None)
        self._route_keys = []

    def _release_in_flight(self) -> None:
        with self._state_lock:
            tasks = list(self._tasks)
        for task in tasks:
            if not task.finished:
                task._released_by_stop = True
                try:
                    task._release(wait=False)
                except _errors.FlowFabricError:
                    pass  # finished meanwhile, or already lost

    def _shutdown(self, timeout: float = 10.0) -> None:
        """Stop a running worker (Client.close(), close(), interpreter exit)
        and wait for its run to end. If it does not end in time (its run
        thread is stuck in an inline handler), give the tasks back and free
        the C worker here, so the client can be freed safely after this."""
        if self._run_over.is_set():
            return
        self.stop(immediate=True)
        if self._run_thread == threading.get_ident():
            return  # called from a handler on the run thread: run() returns after it
        if not self._run_over.wait(timeout):
            log.warning("the worker did not stop within %.0f s; releasing its tasks", timeout)
            self._release_in_flight()
            self._free_c()

    def _watch_connection(self) -> None:
        """Log connection loss and recovery (the C client reconnects by
        itself; leases of tasks in flight are renewed again once it is back)."""
        core = self.client._core
        up = core.connected
        if up == self._was_connected:
            return
        self._was_connected = up
        if not up:
            log.warning("connection to %s lost; reconnecting", core.url)
            return
        n = core.connect_count
        if n > self._connects:
            log.info("reconnected to %s (connection #%d)", core.url, n)
        self._connects = n

    def _c_stopped(self) -> bool:
        with self._w_lock:
            return self._w is None or bool(lib.ff_worker_stopped(self._w))

    def _check_stop(self, max_tasks: Optional[int], idle_ms: Optional[int]) -> None:
        if self._stopping or self._stop_requested:
            return
        stop = max_tasks is not None and self._handled >= max_tasks
        if not stop and idle_ms is not None:
            with self._state_lock:
                stop = self._in_flight == 0 and time.monotonic() - self._last_activity >= idle_ms / 1000.0
        if stop:
            self._stopping = True
            self.stop()

    def _wake(self) -> None:
        if self._wake_w >= 0:
            try:
                os.write(self._wake_w, b"x")
            except OSError:
                pass

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 512):
                pass
        except (BlockingIOError, OSError):
            pass

    def _install_signals(self) -> Dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        old = {}

        def on_signal(signum: int, frame: Any) -> None:
            self.stop(immediate=self._stop_requested >= 1)
            log.info("%s: %s", signal.Signals(signum).name,
                     "releasing tasks in flight" if self._stop_requested >= 2 else "stopping gracefully")
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                old[sig] = signal.signal(sig, on_signal)
            except (ValueError, OSError):  # pragma: no cover
                pass
        return old

    def _restore_signals(self, old: Dict[int, Any]) -> None:
        for sig, h in old.items():
            try:
                signal.signal(sig, h)
            except (ValueError, OSError, TypeError):  # pragma: no cover
                pass

    def _install_loop_signals(self, loop: asyncio.AbstractEventLoop) -> List[int]:
        done = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, lambda: self.stop(immediate=self._stop_requested >= 1))
                done.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        return done

    # ---------------------------------------------------------- delivery
    def _deliver(self, tptr: Any, fn: Handler, is_async: bool) -> None:
        """A claimed task, on the dispatching thread. The Task object is built
        here so every task in flight is tracked (stop() can release it).
        Whatever goes wrong, the task is finished exactly once: by its
        handler, or given back here."""
        try:
            task = Task(self, tptr, is_async)
        except BaseException:
            lib.ff_task_release(tptr, NULL, NULL, NULL)
            raise
        loop, pool = self._loop, self._pool
        if self._stop_requested >= 2:
            self._release_undelivered(task)
            return
        with self._state_lock:
            self._in_flight += 1
            self._tasks.add(task)
            self._done_event.clear()
            self._last_activity = time.monotonic()
        if not is_async and self._inline:
            self._run_sync(task, fn)  # concurrency 1 under run(): no thread hop
            return
        try:
            if not is_async:
                assert pool is not None
                pool.submit(self._run_sync, task, fn)
            elif threading.get_ident() == self._loop_thread:
                self._spawn(task, fn)
            else:
                assert loop is not None
                loop.call_soon_threadsafe(self._spawn, task, fn)
        except BaseException as e:  # e.g. the interpreter is exiting: pools take no new work
            self._handler_done(task, counted=False)
            self._release_undelivered(task)
            if not isinstance(e, RuntimeError):
                raise

    def _release_undelivered(self, task: Task) -> None:
        """Give a task back that no handler will see (a stop is under way:
        the stop may have released it already)."""
        task._released_by_stop = True
        try:
            task._release(wait=False)
        except _errors.FlowFabricError:
            pass

    def _spawn(self, task: Task, fn: Handler) -> None:
        assert self._loop is not None
        t = self._loop.create_task(self._run_async(task, fn))
        self._async_tasks.add(t)
        t.add_done_callback(self._async_tasks.discard)

    def _run_sync(self, task: Task, fn: Handler) -> None:
        try:
            try:
                value = fn(task)
            except BaseException as e:
                self._after_exception(task, e)
            else:
                self._after_return(task, value)
        finally:
            self._handler_done(task)

    async def _run_async(self, task: Task, fn: Handler) -> None:
        try:
            try:
                value = await fn(task)  # type: ignore[misc]
            except BaseException as e:
                self._after_exception(task, e)
                if isinstance(e, (KeyboardInterrupt, SystemExit)):
                    raise
            else:
                self._after_return(task, value)
        finally:
            self._handler_done(task)

    def _after_return(self, task: Task, value: Any) -> None:
        if task.finished:
            return
        try:
            data = _result_bytes(value)
        except BaseException as e:
            self._after_exception(task, e)
            return
        try:
            task._complete(data, wait=False)
        except _errors.LimitExceeded as e:  # result too large: the task is still ours
            self._try_fail(task, f"result not stored: {e}", "error")
        except _errors.FlowFabricError as e:
            self._log_refused(task, "completing", e)

    def _after_exception(self, task: Task, e: BaseException) -> None:
        if task.finished:
            if not isinstance(e, asyncio.CancelledError) and not task._released_by_stop:
                log.warning("handler of %s raised after finishing it: %r", task.execution_id, e)
            return
        retry = True
        if isinstance(e, TaskFailed):
            reason, category, retry = e.reason, e.category, e.retry
        else:
            reason, category = f"{type(e).__name__}: {e}", getattr(e, "category", None) or "error"
            if not isinstance(category, str):
                category = "error"
            log.warning("handler of %s (%s, attempt %d) raised:\n%s", task.execution_id, task.kind,
                        task.attempt_index, "".join(traceback.format_exception(type(e), e, e.__traceback__)))
        self._try_fail(task, reason, category, retry)

    def _try_fail(self, task: Task, reason: str, category: str, retry: bool = True) -> None:
        try:
            task._fail(reason, category, wait=False, retry=retry)
        except _errors.FlowFabricError as err:
            if not task.finished:
                try:
                    task._release(wait=False)
                except _errors.FlowFabricError:
                    pass
            self._log_refused(task, "failing", err)

    def _log_refused(self, task: Task, what: str, err: _errors.FlowFabricError) -> None:
        """A finishing call of a handler's outcome was refused. When the stop
        released the task first (immediately, or when the grace ran out) that
        is the normal end of a shutdown, not a problem."""
        if task._released_by_stop or (self._stop_requested and err.code == _FF_ECANCELED):
            log.info("%s %s: not sent, the task was released at shutdown (it runs again elsewhere)",
                     what, task.execution_id)
        else:
            log.warning("%s %s was refused: %s", what, task.execution_id, err)

    def _handler_done(self, task: Task, counted: bool = True) -> None:
        with self._state_lock:
            self._in_flight -= 1
            self._tasks.discard(task)
            if counted:
                self._handled += 1
            self._last_activity = time.monotonic()
            if self._in_flight == 0:
                self._done_event.set()
            wake = self._stop_requested or (self._max_tasks is not None and self._handled >= self._max_tasks)
        if wake:
            self._wake()
