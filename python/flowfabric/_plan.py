"""Running the plans of ``_opdefs.Compositions``: blocking (``Client``) or
awaited (``AsyncClient``). A plan yields an ``Op`` (or a list of them) and
gets its value back, or the operation's error raised at its ``yield`` so that
the plan may handle it (``wait`` retries a round that timed out); a listing
plan also yields ``Emit(item)`` for its caller. One driver per way of running,
so the logic of every composition exists once."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Awaitable, Callable, Iterator, List, Optional, TypeVar

from ._opdefs import Emit, Op, Plan, Steps

T = TypeVar("T")

RunSync = Callable[[Op[Any]], Any]
RunAsync = Callable[[Op[Any]], Awaitable[Any]]


def _step(plan: Any, value: Any, error: Optional[BaseException]) -> Any:
    return plan.throw(error) if error is not None else plan.send(value)


def _run_sync(run: RunSync, step: Any) -> Any:
    return [run(op) for op in step] if isinstance(step, list) else run(step)


async def _run_async(run: RunAsync, step: Any) -> Any:
    if isinstance(step, list):
        ops: List[Op[Any]] = step
        return list(await asyncio.gather(*(run(op) for op in ops)))
    return await run(step)


def _emit_result(plan: Plan[T]) -> Steps[T]:
    """A Plan as a listing plan whose one item is the plan's value (a Plan
    emits nothing else), so that a listing driver runs it too."""
    result: T = yield from plan
    yield Emit(result)


def iter_sync(run: RunSync, make: Callable[[], Steps[T]]) -> Iterator[T]:
    # a generator: the plan is made (and its arguments checked) on first use
    plan = make()
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        try:
            step = _step(plan, value, error)
        except StopIteration:
            return
        value, error = None, None
        if isinstance(step, Emit):
            yield step.value
            continue
        try:
            value = _run_sync(run, step)
        except Exception as e:  # raised at the plan's yield: it may handle it
            error = e


async def iter_async(run: RunAsync, make: Callable[[], Steps[T]]) -> AsyncIterator[T]:
    plan = make()
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        try:
            step = _step(plan, value, error)
        except StopIteration:
            return
        value, error = None, None
        if isinstance(step, Emit):
            yield step.value
            continue
        try:
            value = await _run_async(run, step)
        except Exception as e:
            error = e


def drive_sync(run: RunSync, plan: Plan[T]) -> T:
    result: Any = None
    for result in iter_sync(run, lambda: _emit_result(plan)):
        pass
    out: T = result
    return out


async def drive_async(run: RunAsync, plan: Plan[T]) -> T:
    result: Any = None
    async for result in iter_async(run, lambda: _emit_result(plan)):
        pass
    out: T = result
    return out
