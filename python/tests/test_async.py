"""The asyncio client: the same API as coroutines, completions dispatched on
the event loop through ff_client_fd."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_submit_describe_result(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            assert c.connected and c.url == server_url and c.partitions >= 1
            eid = await c.submit("send_email", b"payload", lane=lane, priority=3,
                                 retry=ff.Retry(max_retries=3, backoff="exponential", initial_ms=100, max_ms=5000),
                                 capabilities=["smtp"], tags={"a": "b"}, delay=0, deadline=time.time() + 600,
                                 attempt_timeout=10, namespace="ns", max_reclaims=3, max_replays=1)
            assert eid.public_state == "waiting" and not eid.duplicate
            ex = await c.describe(eid)
            assert isinstance(ex, ff.Execution) and ex.public_state == "waiting" and ex.priority == 3
            assert ex.required_capabilities == ("smtp",) and ex.tags == {"a": "b"} and ex.namespace == "ns"
            assert await c.state(eid) == "waiting"
            with pytest.raises(ff.ExecutionNotTerminal):
                await c.result(eid)
            [cl] = await c.claim([lane], capabilities=["smtp"], lease_ttl=5)
            assert cl.execution_id == eid
            assert await c.renew(cl) > 0
            await c.progress(cl, 10, "x")
            assert await c.complete(cl, b"sent") == "completed"
            assert await c.result(eid) == b"sent"
            assert (await c.wait_ended(eid, timeout=5)).public_state == "completed"
        assert c.closed
    run(main())


def test_many_concurrent_ops(ff, server_url, lane):
    async def main():
        c = await ff.connect_async(server_url)
        try:
            ids = await asyncio.gather(*(c.submit_json("k", {"i": i}, lane=lane) for i in range(200)))
            assert len(set(ids)) == 200
            snaps = await asyncio.gather(*(c.describe(e) for e in ids))
            assert all(s.public_state == "waiting" for s in snaps)
            listed = [e async for e in c.list_lane(lane, "waiting", count=37)]
            assert listed == list(ids)
            page = await c.list_lane_page(lane, "waiting", count=10)
            assert len(page.items) == 10
            part = snaps[0].partition
            assert ids[0] in [e async for e in c.list_partition(part, count=50)]
            assert lane in await c.lanes()
            assert ids[5] in {e async for e in c.list_executions(count=1000)}
            assert (await c.lane_counts(lane)).waiting == 200
            assert (await c.stats())[lane].waiting == 200
        finally:
            await c.close()
    run(main())


def test_operator_actions_and_errors(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            eid = await c.submit("k", b"x", lane=lane, idempotency_key=lane)
            again = await c.submit("k", b"y", lane=lane, idempotency_key=lane)
            assert again == eid and again.duplicate
            assert await c.change_priority(eid, 9) == 0
            assert await c.cancel(eid) == "cancelled"
            assert await c.replay(eid) == "waiting"
            [cl] = await c.claim([lane])
            assert await c.revoke_lease(eid, reason="r") == "revoked"
            with pytest.raises(ff.LeaseRevoked):
                await c.complete(cl, b"")
            token, _ = await c.reclaim_grant(eid, "rescuer")
            cl = await c.claim_reclaim(eid, token, worker_id="rescuer")
            assert cl.attempt_type == "reclaim"
            assert await c.fail(cl, "no", "permanent") == ("terminal_failed", 0)
            with pytest.raises(ff.ExecutionNotFound):
                await c.describe("{fp:1}:00000000-0000-4000-8000-000000000000")
            with pytest.raises(ff.InvalidInput):
                await c.describe("nope")
            with pytest.raises(TypeError):
                await c.submit("k", object(), lane=lane)  # type: ignore[arg-type]
            eid2 = await c.submit("k", b"", lane=lane)
            [cl2] = await c.claim([lane])
            await c.delay(cl2, time.time() + 0.05)
            assert await c.state(eid2) == "delayed"
            assert await c.command("PING") == b"PONG"
            e = c.engine(tick=0.1)
            assert e.id
            with pytest.raises(ff.Timeout):
                await c.wait_ended(eid2, timeout=0.01)  # parked by the delay: never terminal
        # close() stopped the engine
    run(main())


def test_connect_failure_and_closed_client(ff, server_url):
    async def main():
        with pytest.raises(ff.TransportError):
            await ff.connect_async("redis://127.0.0.1:1", connect_timeout=0.3)
        with pytest.raises(TypeError):
            await ff.connect_async(server_url, bogus=1)
        c = ff.AsyncClient(server_url)
        with pytest.raises(ff.TransportError):  # not connected yet
            await c.state("{fp:1}:00000000-0000-4000-8000-000000000000")
        await c.connect()
        await c.close()
        with pytest.raises(ff.TransportError):
            await c.state("{fp:1}:00000000-0000-4000-8000-000000000000")
    run(main())


def test_pending_ops_complete_when_closed(ff, server_url):
    """Closing with ops in flight: every awaiting future gets an answer."""
    async def main():
        c = await ff.connect_async(server_url, timeout=5)
        try:
            await c.command("DEBUG", "SLEEP", "0")
        except ff.FlowFabricError:
            await c.close()
            pytest.skip("DEBUG not allowed")
        slow = asyncio.ensure_future(c.command("DEBUG", "SLEEP", "0.3"))
        await asyncio.sleep(0.05)
        await c.close()
        with pytest.raises(ff.FlowFabricError):
            await slow
    run(main())


def test_callbacks_run_on_the_loop_thread(ff, server_url, lane):
    """Completions are dispatched by the loop (add_reader), never by a
    library thread."""
    seen = set()

    async def main():
        async with ff.AsyncClient(server_url) as c:
            loop_thread = threading.get_ident()
            from flowfabric import _core
            orig = _core.register

            def spy(fn):
                def wrapped(op):
                    seen.add(threading.get_ident())
                    fn(op)
                return orig(wrapped)
            _core.register = spy
            try:
                await asyncio.gather(*(c.submit("k", b"", lane=lane) for _ in range(20)))
            finally:
                _core.register = orig
            return loop_thread
    loop_thread = run(main())
    assert seen == {loop_thread}
