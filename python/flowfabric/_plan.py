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


def _steps_sync(run: RunSync, plan: Any) -> Any:
    """Run the plan's operations; yield what it emits; return its value."""
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        try:
            step = _step(plan, value, error)
        except StopIteration as stop:
            return stop.value
        value, error = None, None
        if isinstance(step, Emit):
            yield step.value
            continue
        try:
            value = _run_sync(run, step)
        except Exception as e:  # raised at the plan's yield: it may handle it
            error = e


def drive_sync(run: RunSync, plan: Plan[T]) -> T:
    steps = _steps_sync(run, plan)
    while True:
        try:
            next(steps)  # a Plan emits nothing
        except StopIteration as stop:
            result: T = stop.value
            return result


def iter_sync(run: RunSync, make: Callable[[], Steps[T]]) -> Iterator[T]:
    # a generator: the plan is made (and its arguments checked) on first use
    yield from _steps_sync(run, make())


async def drive_async(run: RunAsync, plan: Plan[T]) -> T:
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        try:
            step = _step(plan, value, error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        value, error = None, None
        try:
            value = await _run_async(run, step)
        except Exception as e:
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
