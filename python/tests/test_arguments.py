"""Every public call that takes a number or a text field: values of the right
Python type that do not fit (out of the C type's range, infinite, NaN,
negative durations, text that is not UTF-8) raise ff.InvalidInput -- never a
builtin OverflowError / UnicodeEncodeError -- and write nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import math

import pytest

BIG = 10**30
INF, NAN = math.inf, math.nan
I32, I64, U32, U64 = 2**31, 2**63, 2**32, 2**64
# durations / points in time that no C int64 of milliseconds holds, or that are not times
BAD_SECONDS = [INF, -INF, NAN, -1, -0.5, BIG, I64 // 1000 + 1, float(2**1023)]
BAD_TEXT = ["bad\udc80text", "\ud800", "nul\x00"]  # a lone surrogate cannot be UTF-8; NUL ends a C string


def _rejects(ff, fn, *args, **kwargs):
    """fn(*args, **kwargs) must raise InvalidInput (and nothing else)."""
    try:
        fn(*args, **kwargs)
    except ff.InvalidInput as e:
        assert not isinstance(e, (OverflowError, UnicodeError))
        assert str(e) and not str(e).startswith("FF_"), str(e)
        return e
    raise AssertionError(f"{getattr(fn, '__name__', fn)}({args}, {kwargs}) was accepted")


def test_connect_options(ff, server_url):
    for bad in BAD_SECONDS:
        _rejects(ff, ff.connect, server_url, timeout=bad)
        _rejects(ff, ff.connect, server_url, connect_timeout=bad)
    for bad in (-1, U64, BIG):
        _rejects(ff, ff.connect, server_url, max_payload_bytes=bad)
    for bad in (-1, U32, BIG):
        _rejects(ff, ff.connect, server_url, partitions=bad)
    with pytest.raises(TypeError):
        ff.connect(server_url, timeout="10")
    for bad in BAD_TEXT:
        _rejects(ff, ff.connect, bad)


def test_submit_numbers(ff, client, lane):
    cases = [{"priority": I32}, {"priority": -I32 - 1}, {"priority": BIG},
             {"max_reclaims": I32}, {"max_reclaims": -1}, {"max_replays": I32}, {"max_replays": BIG},
             {"max_replays": -1}]
    for bad in BAD_SECONDS:
        cases += [{"delay": bad}, {"delay_until": bad}, {"deadline": bad}, {"attempt_timeout": bad},
                  {"idempotency_key": "k", "idempotency_ttl": bad}]
    cases += [{"delay": dt.timedelta(days=-1)}, {"deadline": dt.datetime(1969, 12, 31, tzinfo=dt.timezone.utc)}]
    for kwargs in cases:
        _rejects(ff, client.submit, "k", b"", lane=lane, **kwargs)
    assert client.lane_counts(lane).total == 0  # nothing was written
    # the widest values the C types take are accepted (the server clamps priority)
    eid = client.submit("k", b"", lane=lane, priority=I32 - 1, max_reclaims=I32 - 1, max_replays=I32 - 1)
    assert client.describe(eid).priority <= I32 - 1
    assert client.change_priority(eid, -I32) >= 0


def test_retry_numbers(ff):
    for kwargs in ({"max_retries": I32}, {"max_retries": -I32 - 1}, {"initial_ms": I64}, {"max_ms": BIG},
                   {"multiplier": INF}, {"multiplier": NAN}, {"jitter": NAN}, {"jitter": -INF}):
        _rejects(ff, ff.Retry, **kwargs)
    with pytest.raises(TypeError):
        ff.Retry(max_retries=1.5)  # type: ignore[arg-type]


def test_operator_and_listing_numbers(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    for bad in (I32, -I32 - 1, BIG):
        _rejects(ff, client.change_priority, eid, bad)
    for bad in BAD_SECONDS:
        _rejects(ff, client.reclaim_grant, eid, "w", ttl=bad)
        _rejects(ff, client.rotate_secret, "k9", grace=bad)
        _rejects(ff, client.wait, eid, timeout=bad)
        _rejects(ff, client.wait_ended, eid, timeout=bad)
    for bad in (-1, U32, BIG):
        _rejects(ff, client.list_partition_page, bad)
        _rejects(ff, client.list_suspended_page, bad)
        _rejects(ff, lambda p: next(client.list_partition(p)), bad)
    for bad in (0, -1, U32, BIG):
        _rejects(ff, client.list_lane_page, lane, "waiting", "0", bad)
        _rejects(ff, client.list_partition_page, 0, "0", bad)
        _rejects(ff, lambda n: next(client.list_lane(lane, "waiting", count=n)), bad)
    _rejects(ff, client.list_suspended_page, 0, "0", 1001)
    assert client.describe(eid).priority == 0


def test_lease_api_numbers(ff, client, lane):
    client.submit("k", b"", lane=lane)
    for bad in (U32, -1, BIG):
        _rejects(ff, client.claim, [lane], batch=bad)
    for bad in BAD_SECONDS:
        _rejects(ff, client.claim, [lane], lease_ttl=bad)
        _rejects(ff, client.claim_reclaim, "{fp:1}:00000000-0000-4000-8000-000000000000", "t", worker_id="w",
                 lease_ttl=bad)
    [cl] = client.claim([lane])
    for bad in (I32, -I32 - 1, BIG, 101, -1):
        _rejects(ff, client.progress, cl, bad)
    for bad in BAD_SECONDS:
        _rejects(ff, client.delay, cl, bad)
    fence = (cl.execution_id, cl.attempt_index, cl.attempt_id, cl.lease_id, cl.lease_epoch)
    for i, bad in ((1, U32), (1, -1), (4, U64), (4, -1), (4, BIG)):
        args = list(fence)
        args[i] = bad
        _rejects(ff, ff.Claim.from_fence, *args)
    for bad in (-1, I64, BIG):
        _rejects(ff, ff.Claim.from_fence, *fence, lease_ttl_ms=bad)
    assert client.complete(cl, b"ok") == "completed"


def test_engine_and_worker_numbers(ff, client, lane):
    for bad in BAD_SECONDS:
        for opt in ("tick", "retention", "ownership_ttl"):
            _rejects(ff, client.engine, **{opt: bad})
        for opt in ("lease_ttl", "poll_interval", "grace"):
            _rejects(ff, ff.Worker, client, [lane], **{opt: bad})
    for bad in (-1, U32, BIG):
        _rejects(ff, client.engine, batch=bad)
        _rejects(ff, ff.Worker, client, [lane], concurrency=bad)
    w = ff.Worker(client, [lane])
    w.register("k", lambda task: None)
    for bad in (0, -1):
        _rejects(ff, w.run, max_tasks=bad)
    for bad in BAD_SECONDS:
        _rejects(ff, w.run, idle_timeout=bad)
    assert w.stats()["handled"] == 0


def test_task_numbers(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    w = ff.Worker(client, [lane])
    seen = []

    @w.task("k")
    def handler(task):
        for call in ([lambda b: task.progress(b), (I32, -I32 - 1, BIG)],
                     [lambda b: task.delay(b), BAD_SECONDS],
                     [lambda b: task.delay(until=b), BAD_SECONDS],
                     [lambda b: task.create_waitpoint("wp", expires_in=b), BAD_SECONDS],
                     [lambda b: task.suspend(["wp"], timeout=b), BAD_SECONDS]):
            for bad in call[1]:
                try:
                    call[0](bad)
                except ff.InvalidInput:
                    seen.append("InvalidInput")
                except BaseException as e:  # the assertion below shows what leaked
                    seen.append(f"{type(e).__name__}: {e}")
                else:
                    seen.append(f"accepted {bad!r}")
        return b"still mine"
    w.run(max_tasks=1, idle_timeout=60)
    assert seen == ["InvalidInput"] * len(seen) and len(seen) == 3 + 4 * len(BAD_SECONDS)
    assert client.result(eid) == b"still mine"


def test_async_client_numbers(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            for kwargs in ({"priority": I32}, {"delay": INF}, {"max_replays": BIG}):
                try:
                    await c.submit("k", b"", lane=lane, **kwargs)
                except ff.InvalidInput:
                    continue
                raise AssertionError(f"accepted {kwargs}")
            for bad in BAD_SECONDS:
                try:
                    await c.wait("{fp:1}:00000000-0000-4000-8000-000000000000", timeout=bad)
                except ff.InvalidInput:
                    continue
                raise AssertionError(f"wait accepted {bad!r}")
            assert (await c.lane_counts(lane)).total == 0
    asyncio.run(main())


def test_text_fields_must_be_utf8(ff, client, lane):
    """kind, lane, capabilities, tags, namespace (and every other text
    argument) must be valid UTF-8 without NUL; str payloads must be
    encodable."""
    for bad in BAD_TEXT:
        e = _rejects(ff, client.submit, bad, b"", lane=lane)
        assert "kind" in str(e)
        _rejects(ff, client.submit, "k", b"", lane=bad)
        _rejects(ff, client.submit, "k", b"", lane=lane, capabilities=[bad])
        _rejects(ff, client.submit, "k", b"", lane=lane, tags={bad: "v"})
        _rejects(ff, client.submit, "k", b"", lane=lane, tags={"t": bad})
        _rejects(ff, client.submit, "k", b"", lane=lane, namespace=bad)
        _rejects(ff, client.submit, "k", b"", lane=lane, idempotency_key=bad)
        _rejects(ff, client.claim, [bad])
        _rejects(ff, client.claim, [lane], capabilities=[bad])
        _rejects(ff, ff.Worker, client, [bad])
        _rejects(ff, ff.Worker, client, [lane], capabilities=[bad])
        _rejects(ff, client.describe, bad)
        _rejects(ff, client.lane_counts, bad)
    for bad in (b"\xff\xfe", b"ok\x00"):  # bytes given for text: must be UTF-8 too
        _rejects(ff, client.submit, "k", b"", lane=bad)  # type: ignore[arg-type]
        _rejects(ff, client.submit, "k", b"", lane=lane, tags={"t": bad})  # type: ignore[dict-item]
    _rejects(ff, client.submit, "k", "payload \udcff", lane=lane)
    _rejects(ff, ff.Retry, categories=["x\ud800"])
    assert client.lane_counts(lane).total == 0
    # valid non-ASCII text is fine, and a str payload may hold NUL
    eid = client.submit("envoi.é", "naïve\x00", lane=lane, tags={"clé": "välue"}, capabilities=["ünï"])
    ex = client.describe(eid)
    assert (ex.kind, ex.tags, ex.payload_size) == ("envoi.é", {"clé": "välue"}, len("naïve\x00".encode()))
