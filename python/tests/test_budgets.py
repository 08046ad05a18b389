"""Budgets (docs/budgets.md) from Python: create / update / report / release /
reset / describe / list, attachment at submit, and blocking that acts
through the engine, against the real server."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest


def _bid(prefix: str = "py") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _until(pred, what, limit=30.0):
    """Wait (bounded) for a condition; no timing is asserted."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        got = pred()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"never: {what}")


def test_create_is_idempotent_and_describe_reads_it(ff, client):
    bid = _bid()
    made = client.create_budget(bid, {"tokens": (1000, 800), "cost_microusd": 50}, on_hard="block",
                                reset_interval=3600)
    assert isinstance(made, ff.BudgetCreated) and made.created and made.matches
    assert made.next_reset_at and made.next_reset_at > 0
    again = client.create_budget(bid, {"tokens": 5})
    assert not again.created and not again.matches  # the stored limits are kept
    b = client.describe_budget(bid)
    assert isinstance(b, ff.Budget) and b.budget_id == bid and b.on_hard == "block" and b.on_soft == "notify"
    assert b.dimensions["tokens"] == ff.BudgetDimension(1000, 800, 0)
    assert b.dimensions["cost_microusd"].hard == 50 and b.reset_interval_ms == 3_600_000
    assert bid in list(client.list_budgets())


def test_check_first_report_dedup_and_boundaries(ff, client):
    bid = _bid()
    client.create_budget(bid, {"tokens": (100, 60), "calls": 3})
    r = client.report_usage(bid, {"tokens": 60, "calls": 1})
    assert r == ff.UsageReport("applied")  # equal to soft is no breach
    r = client.report_usage(bid, {"tokens": 1})
    assert r.outcome == "soft_breach" and (r.dimension, r.usage, r.limit) == ("tokens", 61, 60) and r.breached
    r = client.report_usage(bid, {"calls": 1, "tokens": 40})
    assert r.outcome == "hard_breach" and (r.dimension, r.usage, r.limit) == ("tokens", 61, 100)
    b = client.describe_budget(bid)
    assert b.dimensions["tokens"].usage == 61 and b.dimensions["calls"].usage == 1  # nothing applied
    assert b.breaches == 1
    assert client.report_usage(bid, {"tokens": 39}, dedup_key="k1").outcome == "soft_breach"
    assert client.report_usage(bid, {"tokens": 39}, dedup_key="k1").outcome == "already_applied"
    assert client.describe_budget(bid).dimensions["tokens"].usage == 100  # reaching the hard limit is fine
    assert client.reset_budget(bid) == 1
    assert client.describe_budget(bid).dimensions["tokens"].usage == 0


def test_bad_input_is_refused_and_writes_nothing(ff, client):
    bid = _bid()
    with pytest.raises(ff.InvalidArgument):
        client.create_budget(bid, {})
    with pytest.raises(ff.InvalidArgument):
        client.create_budget(bid, {"tokens": 1}, on_hard="explode")
    with pytest.raises(ff.InvalidInput):  # the server checks the names
        client.create_budget(bid, {"bad name!": 1})
    with pytest.raises(ff.InvalidArgument):
        client.report_usage(bid, {})
    with pytest.raises(ff.InvalidArgument):
        client.report_usage(bid, {"tokens": -1})
    with pytest.raises(ff.BudgetNotFound):
        client.describe_budget(bid)  # none of the above created it
    with pytest.raises(TypeError):
        client.submit("k", b"", budgets="not-a-list")


def test_ledger_of_an_execution_is_released_exactly(ff, client, lane):
    bid = _bid()
    client.create_budget(bid, {"tokens": 1000})
    eid = client.submit("spender", b"", lane=lane, budgets=[bid])
    assert client.describe(eid).budgets == (bid,)
    cl = client.claim([lane])[0]
    assert client.report_usage(bid, {"tokens": 70}, claim=cl).outcome == "applied"
    assert client.report_usage(bid, {"tokens": 5}).outcome == "applied"  # not this execution's
    assert client.describe_budget(bid).executions == 1
    assert client.release_budget(bid, eid) is True
    assert client.describe_budget(bid).dimensions["tokens"].usage == 5
    assert client.release_budget(bid, eid) is False  # idempotent
    client.complete(cl)
    with pytest.raises(ff.ExecutionNotActive):
        client.report_usage(bid, {"tokens": 1}, claim=cl)  # the lease is gone: nothing reported
    assert client.describe_budget(bid).dimensions["tokens"].usage == 5


def test_blocked_budget_parks_attached_work_until_a_reset(ff, client, lane):
    bid = _bid("blk")
    client.create_budget(bid, {"tokens": 10}, on_hard="block")
    with client.engine(tick=0.05) as engine:
        props = engine.stats().get("budget_propagations", 0)
        assert client.report_usage(bid, {"tokens": 10}).outcome == "applied"  # at the hard limit: blocked
        _until(lambda: engine.stats().get("budget_propagations", 0) > props, "the block reached the partitions")
        eid = client.submit("paid", b"", lane=lane, budgets=[bid])
        free = client.submit("free", b"", lane=lane)
        got = client.claim([lane], batch=2)
        assert [c.execution_id for c in got] == [free]  # the attached one is not handed out
        assert client.describe(eid).public_state == "rate_limited"
        client.complete(got[0])
        props = engine.stats().get("budget_propagations", 0)
        client.reset_budget(bid)
        _until(lambda: client.describe(eid).public_state == "waiting", "back to waiting after the reset")
        again = client.claim([lane])
        assert [c.execution_id for c in again] == [eid]
        client.complete(again[0])


def test_async_client_reports(ff, server_url):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            bid = _bid("aio")
            made = await c.create_budget(bid, {"tokens": 5})
            assert made.created
            r = await c.report_usage(bid, {"tokens": 6})
            assert r.outcome == "hard_breach"
            ids = [x async for x in c.list_budgets()]
            assert bid in ids
    asyncio.run(main())


def test_a_task_reports_and_learns_of_a_breach(ff, client, lane):
    bid = _bid("task")
    client.create_budget(bid, {"tokens": (10, 5)})
    eid = client.submit("spend", b"", lane=lane)
    seen = []
    worker = ff.Worker(client, lanes=[lane])

    @worker.task("spend")
    def spend(task: ff.Task) -> bytes:
        seen.append(task.budget_breached)
        seen.append(task.report_usage(bid, {"tokens": 6}).outcome)
        seen.append(task.budget_breached)
        seen.append(task.report_usage(bid, {"tokens": 5}).outcome)  # 11 > 10: nothing applied
        seen.append(task.budget_breached)
        return b"ok"

    worker.run(max_tasks=1)
    assert client.wait(eid, timeout=30) == b"ok"
    assert seen == [None, "soft_breach", "soft", "hard_breach", "hard"]
    assert client.describe_budget(bid).dimensions["tokens"].usage == 6
    assert client.release_budget(bid, eid)  # the task's spend is the execution's


def test_members_of_a_flow_draw_on_its_budgets(ff, client, lane):
    fb, own = _bid("flow"), _bid("own")
    fid = client.create_flow(lane=lane, budgets=[fb])
    assert client.describe_flow(fid).budgets == (fb,)
    eid = client.submit("member", b"", lane=lane, flow=fid, budgets=[own])
    assert client.describe(eid).budgets == (own, fb)  # its own, then the flow's
    again = client.create_flow(fid, lane=lane, budgets=[own])
    assert again.existed and client.describe_flow(fid).budgets == (fb,)  # a repeat keeps the stored ones


def test_submit_flow_members_inherit_its_budgets(ff, client, lane):
    fb1, fb2, own = _bid("sf"), _bid("sf"), _bid("own")
    sub = client.submit_flow([{"kind": "a"}, {"kind": "b", "budgets": [own]}], [(0, 1)], lane=lane,
                             budgets=[fb1, fb2])
    assert client.describe_flow(sub.flow_id).budgets == (fb1, fb2)
    a, b = sub.member_ids
    assert client.describe(a).budgets == (fb1, fb2)
    assert client.describe(b).budgets == (own, fb1, fb2)


def test_flow_budgets_bad_input_is_typed_and_writes_nothing(ff, client):
    fid = f"{{fp:0}}:{uuid.uuid4()}"
    bad = ("b-1", "not-a-list", ["bad id!"], ["x", "x"], [f"b{i}" for i in range(17)], [None])
    errs = (TypeError, TypeError, ff.InvalidArgument, ff.InvalidArgument, ff.InvalidArgument, TypeError)
    for budgets, err in zip(bad, errs):
        with pytest.raises(err):
            client.create_flow(fid, budgets=budgets)
        with pytest.raises(err):
            client.submit_flow([{"kind": "k"}], flow_id=fid, budgets=budgets)
    with pytest.raises(ff.FlowNotFound):
        client.describe_flow(fid)  # none of the above wrote the flow
