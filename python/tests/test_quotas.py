"""Quotas and fair groups (docs/admission.md) from Python: create / describe /
list, group pause and resume, the per-group concurrency cap with a worker and
task.rate_limited, against the real server. Nothing is timed: a pause is
always ended by resume_group."""

from __future__ import annotations

import asyncio
import uuid

import pytest


def _qid(prefix: str = "q") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _groups(client, lane):
    return {g.group: g for g in client.describe_quota(lane).groups}


def test_create_is_idempotent_and_listed(ff, client, lane):
    qid = _qid()
    made = client.create_quota(lane, qid, rate=10, window=2.5, concurrency=3)
    assert isinstance(made, ff.QuotaCreated) and made.created and made.same
    assert (made.rate, made.window_ms, made.concurrency) == (10, 2500, 3)
    again = client.create_quota(lane, qid, concurrency=1)
    assert not again.created and not again.same
    assert (again.rate, again.window_ms, again.concurrency) == (10, 2500, 3)  # the stored limits are kept
    q = client.describe_quota(lane)
    assert isinstance(q, ff.Quota) and q.lane == lane and q.quota_id == qid
    assert (q.rate, q.window_ms, q.concurrency) == (10, 2500, 3)
    assert lane in list(client.list_quotas())
    with pytest.raises(ff.QuotaAttachConflict):
        client.create_quota(lane, _qid(), concurrency=1)


def test_describe_without_a_policy(ff, client, lane):
    q = client.describe_quota(lane)
    assert q.quota_id is None and q.groups == []


def test_cap_of_one_per_group_holds_and_groups_are_independent(ff, client, lane):
    client.create_quota(lane, _qid(), concurrency=1)
    a1 = client.submit("job", b"a1", lane=lane, group="tenant-a")
    a2 = client.submit("job", b"a2", lane=lane, group="tenant-a")
    b1 = client.submit("job", b"b1", lane=lane, group="tenant-b")
    seen = {}
    worker = ff.Worker(client, lanes=[lane])

    @worker.task("job")
    def job(task: ff.Task) -> bytes:
        # what the other executions of the lane look like while this one runs
        seen[task.execution_id] = (client.state(a1), client.state(a2),
                                   _groups(client, lane)["tenant-a"].holders)
        return bytes(task.payload)

    worker.run(max_tasks=3)
    assert client.wait(a1, timeout=30) == b"a1"
    assert client.wait(a2, timeout=30) == b"a2"
    assert client.wait(b1, timeout=30) == b"b1"
    # a2 only started once a1 had completed, and never held with it
    assert seen[a1][1] in ("waiting", "rate_limited") and seen[a1][2] == 1
    assert seen[a2][0] == "completed" and seen[a2][2] == 1
    g = _groups(client, lane)
    assert g["tenant-a"].holders == 0 and g["tenant-a"].parked == 0


def test_describe_shows_holders_window_used_and_parked(ff, client, lane):
    client.create_quota(lane, _qid(), rate=100, window=3600, concurrency=1)
    first = client.submit("k", b"", lane=lane, group="g1")
    second = client.submit("k", b"", lane=lane, group="g1")
    got = client.claim([lane], batch=5)
    assert [c.execution_id for c in got] == [first]
    assert client.state(second) == "rate_limited"
    g = _groups(client, lane)["g1"]
    assert (g.holders, g.window_used, g.parked, g.paused_until) == (1, 1, 1, 0)
    client.complete(got[0])
    again = client.claim([lane])
    assert [c.execution_id for c in again] == [second]
    client.complete(again[0])


def test_pause_parks_a_group_and_resume_releases_it(ff, client, lane):
    a = client.submit("k", b"", lane=lane, group="paused")
    b = client.submit("k", b"", lane=lane, group="other")
    until = client.pause_group(lane, "paused", 3600)
    assert until > 0
    assert client.pause_group(lane, "paused", 10) == until  # the longer pause is kept
    got = client.claim([lane], batch=5)
    assert [c.execution_id for c in got] == [b]
    assert client.state(a) == "rate_limited"
    assert _groups(client, lane)["paused"].paused_until == until
    assert client.resume_group(lane, "paused") is True
    assert client.resume_group(lane, "paused") is False
    again = client.claim([lane])
    assert [c.execution_id for c in again] == [a]
    for c in got + again:
        client.complete(c)


def test_task_rate_limited_gives_the_attempt_back_without_a_failure(ff, client, lane):
    eid = client.submit("api", b"", lane=lane, group="acct-7")
    calls = []
    worker = ff.Worker(client, lanes=[lane])

    @worker.task("api")
    def api(task: ff.Task):
        calls.append(task.execution_id)
        if len(calls) == 1:
            task.rate_limited(3600)  # the API said 429
            return None
        return b"done"

    worker.run(max_tasks=1)
    assert client.state(eid) == "rate_limited"
    x = client.describe(eid)
    assert x.failure is None and x.counters.retry_count == 0
    assert _groups(client, lane)["acct-7"].paused_until > 0
    assert client.resume_group(lane, "acct-7") is True
    worker2 = ff.Worker(client, lanes=[lane])
    worker2.task("api")(api)
    worker2.run(max_tasks=1)
    assert client.wait(eid, timeout=30) == b"done"
    assert calls == [eid, eid]
    x = client.describe(eid)
    assert x.counters.retry_count == 0 and x.failure is None


def test_bad_input_is_refused(ff, client, lane):
    with pytest.raises(ff.InvalidArgument):
        client.create_quota(lane, _qid())  # no limit at all
    with pytest.raises(ff.InvalidArgument):
        client.create_quota(lane, _qid(), rate=5)  # a rate needs its window
    with pytest.raises(ff.InvalidArgument):  # the library checks the limits before sending
        client.create_quota(lane, _qid(), rate=5, window=86401)  # the window is at most a day
    with pytest.raises(ff.InvalidInput):
        client.create_quota(lane, "bad id!", concurrency=1)
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"", lane=lane, group="bad\x01group")
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"", lane=lane, group="g" * 129)
    with pytest.raises(TypeError):
        client.pause_group(lane, "g")  # neither seconds nor until
    assert client.describe_quota(lane).quota_id is None  # nothing was created
    # "" is the default group, as with no group at all
    eid = client.submit("k", b"", lane=lane, group="")
    assert "group" not in (client.describe(eid).policy or {})


def test_flow_members_carry_their_group(ff, client, lane):
    done = client.submit_flow([{"kind": "m", "group": "fg"}, {"kind": "m"}], [], lane=lane)
    first = client.describe(done.member_ids[0])
    assert (first.policy or {}).get("group") == "fg"


def test_async_client_quotas(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            made = await c.create_quota(lane, _qid("aio"), concurrency=2)
            assert made.created
            q = await c.describe_quota(lane)
            assert q.concurrency == 2
            assert lane in [x async for x in c.list_quotas()]
            assert await c.pause_group(lane, "", 3600) > 0
            assert await c.resume_group(lane, "") is True
    asyncio.run(main())
