"""The synchronous client: every operation against a real server."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_issue_example_submit_describe(ff, client, lane):
    eid = client.submit("send_email", b"payload", lane=lane, priority=0,
                        retry=ff.Retry(max_retries=3, backoff="exponential", initial_ms=100, max_ms=5000),
                        idempotency_key=None, capabilities=(), tags=None)
    assert isinstance(eid, str) and eid.startswith("{fp:")
    assert eid.public_state == "waiting" and eid.duplicate is False
    ex = client.describe(eid)
    assert isinstance(ex, ff.Execution)
    assert ex.public_state == "waiting" and client.state(eid) == "waiting"
    assert ex.policy["retry_policy"] == {"max_retries": 3, "backoff": {
        "type": "exponential", "initial_delay_ms": 100, "max_delay_ms": 5000, "multiplier": 2.0, "jitter": 0.0}}


def test_submit_with_every_option(ff, client, lane):
    deadline = time.time() + 3600
    eid = client.submit(
        "report.build", b"\x00binary\xff", lane=lane, priority=7,
        retry=ff.Retry(max_retries=2, backoff="fixed", initial_ms=250, categories=["transient", "io"]),
        delay=60, deadline=deadline, attempt_timeout=dt.timedelta(seconds=30),
        capabilities=["gpu", "region-eu"], tags={"team": "infra", "ticket": "FF-1"}, namespace="billing",
        max_reclaims=5, max_replays=2)
    ex = client.describe(eid)
    assert ex.public_state == "delayed" and eid.public_state == "delayed"
    assert (ex.kind, ex.lane, ex.namespace, ex.priority) == ("report.build", lane, "billing", 7)
    assert ex.required_capabilities == ("gpu", "region-eu")
    assert ex.tags == {"team": "infra", "ticket": "FF-1"}
    assert ex.payload_size == 8 and ex.has_result is False
    assert ex.timestamps.deadline == int(round(deadline * 1000))
    assert ex.timestamps.delay_until is not None and ex.timestamps.delay_until >= ex.timestamps.created_at + 59000
    rp = ex.policy["retry_policy"]
    assert rp["max_retries"] == 2 and rp["backoff"] == {"type": "fixed", "delay_ms": 250}
    assert rp["retryable_categories"] == ["transient", "io"]
    assert ex.policy["max_reclaim_count"] == 5 and ex.policy["max_replay_count"] == 2
    assert ex.policy["timeout_policy"]["attempt_timeout_ms"] == 30000
    assert ex.state.blocking_reason == "waiting_for_delay" and not ex.terminal
    assert ex.raw["execution_id"] == eid


def test_delay_until_datetime_and_policy_dict(ff, client, lane):
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
    eid = client.submit("k", None, lane=lane, delay_until=when,
                        policy={"retry_policy": {"max_retries": 1}})
    ex = client.describe(eid)
    assert ex.public_state == "delayed"
    assert ex.timestamps.delay_until == int(round(when.timestamp() * 1000))
    assert ex.policy == {"retry_policy": {"max_retries": 1}}


def test_idempotency_key(client, lane):
    key = "order-" + lane  # unique: keys are per partition (see the report), not per lane
    a = client.submit("k", b"1", lane=lane, idempotency_key=key)
    b = client.submit("k", b"2", lane=lane, idempotency_key=key, idempotency_ttl=60)
    assert a == b and a.duplicate is False and b.duplicate is True
    c = client.submit("k", b"3", lane=lane, execution_id=a)
    assert c == a and c.duplicate


def test_json_helpers_and_low_level_lease(ff, client, lane):
    eid = client.submit_json("k", {"to": "ada", "n": [1, 2]}, lane=lane)
    [cl] = client.claim([lane], worker_id="py-test", lease_ttl=10)
    assert cl.execution_id == eid and cl.payload == b'{"to":"ada","n":[1,2]}'
    assert (cl.kind, cl.lane, cl.attempt_index, cl.attempt_type, cl.lease_epoch) == ("k", lane, 0, "initial", 1)
    assert cl.lease_ttl_ms == 10000 and cl.lease_id and cl.attempt_id
    assert client.renew(cl) > int(time.time() * 1000)
    client.progress(cl, 40, "working")
    ex = client.describe(eid)
    assert ex.progress.percent == 40 and ex.progress.message == "working"
    assert ex.lease.worker_id == "py-test" and ex.lease.epoch == 1
    assert client.complete(cl, b'{"ok":true}') == "completed"
    assert client.result_json(eid) == {"ok": True}
    assert client.wait_ended(eid, timeout=5).public_state == "completed"


def test_fail_retry_delay_resume_cancel(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane, retry=ff.Retry(max_retries=1, backoff="fixed", initial_ms=100))
    [cl] = client.claim([lane])
    outcome, retry_at = client.fail(cl, "boom", "transient")
    assert outcome == "retry_scheduled" and retry_at > 0
    cl = _claim_one(client, lane)
    assert cl.attempt_type == "retry" and cl.attempt_index == 1
    client.delay(cl, time.time() + 0.1)
    cl2 = _claim_one(client, lane)
    assert cl2.attempt_type == "resumed" and cl2.attempt_index == 1 and cl2.lease_epoch == cl.lease_epoch + 1
    assert client.cancel_lease(cl2, "done here") == "cancelled"
    ex = client.describe(eid)
    assert ex.public_state == "cancelled" and ex.cancellation.cancelled_by == "lease_holder"
    assert [a.type for a in ex.attempts] == ["initial", "retry"]
    with pytest.raises(ff.ExecutionCancelled) as err:  # no result: it says how it ended
        client.result(eid)
    assert err.value.details == ("done here", "lease_holder")


def test_terminal_fail(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    assert client.fail(cl, "bad input", "permanent") == ("terminal_failed", 0)
    ex = client.describe(eid)
    assert ex.public_state == "failed" and ex.failure.reason == "bad input" and ex.failure.category == "permanent"


def _claim_one(client, lane, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = client.claim([lane])
        if got:
            return got[0]
        time.sleep(0.05)
    raise AssertionError("nothing became claimable")


def test_operator_actions(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    assert client.change_priority(eid, 50) == 0
    assert client.describe(eid).priority == 50
    assert client.cancel(eid, "not needed") == "cancelled"
    assert client.cancel(eid, "not needed") == "cancelled"  # repeating succeeds
    assert client.replay(eid) == "waiting"
    ex = client.describe(eid)
    assert ex.public_state == "waiting" and ex.counters.replay_count == 1
    [cl] = client.claim([lane])
    assert cl.attempt_type == "replay"
    assert client.revoke_lease(eid, cl.lease_id, "operator test") == "revoked"
    assert client.revoke_lease(eid) == "already_revoked"
    ex = client.describe(eid)
    assert ex.state.ownership_state == "lease_revoked"


def test_listings_follow_cursors(ff, client, lane):
    ids = [client.submit("k", str(i), lane=lane) for i in range(7)]
    assert list(client.list_lane(lane, "waiting", count=2)) == ids  # FIFO, several pages
    page = client.list_lane_page(lane, "waiting", count=3)
    assert isinstance(page, ff.Page) and len(page.items) == 3 and not page.done
    assert list(client.list_lane(lane, "completed")) == []
    part = client.describe(ids[0]).partition
    assert set(ids) <= set(client.list_partition(part, count=5))
    assert lane in client.lanes()
    counts = client.lane_counts(lane)
    assert isinstance(counts, ff.LaneCounts) and counts.waiting == 7 and counts.total == 7
    assert client.stats()[lane].waiting == 7


def test_list_executions_iterates_every_partition(client, lane):
    eid = client.submit("k", b"", lane=lane)
    assert eid in set(client.list_executions(count=1000))


def test_command(client):
    assert client.command("PING") == b"PONG"
    key = "ffpy:test:" + str(time.time())
    assert client.command("SET", key, b"v\x00") == b"OK"
    assert client.command("GET", key) == b"v\x00"
    assert client.command("MGET", key, key + ":missing") == [b"v\x00", None]
    assert client.command("INCR", key + ":n") == 1
    assert client.command("GET", key + ":missing") is None
    client.command("DEL", key, key + ":n")


def test_connect_uses_ff_url(ff, server_url, monkeypatch):
    monkeypatch.setenv("FF_URL", server_url)
    with ff.connect() as c:
        assert c.url == server_url and c.connected and c.partitions >= 1 and c.connect_count >= 1
    assert c.closed and "closed" in repr(c)
    with pytest.raises(ff.TransportError):
        c.describe("{fp:1}:00000000-0000-4000-8000-000000000000")
    c.close()  # idempotent


def test_embedded_private_server(ff, tmp_path, monkeypatch):
    monkeypatch.delenv("FF_URL", raising=False)
    d = str(tmp_path / "ff")
    try:
        with ff.connect(data_dir=d) as c:
            assert c.url.startswith("unix://")
            eid = c.submit("k", b"x")
            assert c.state(eid) == "waiting"
        assert ff.dev_server_status(d) is not None
    finally:
        assert ff.dev_server_down(d) is True
    assert ff.dev_server_status(d) is None
    assert ff.dev_server_down(d) is False


def test_dev_server_up(ff, tmp_path):
    d = str(tmp_path / "dev")
    try:
        url = ff.dev_server_up(d)
        assert url.startswith("unix://") and ff.dev_server_status(d) == url
        with ff.connect(url) as c:
            assert c.command("PING") == b"PONG"
    finally:
        ff.dev_server_down(d)


def test_connection_failures(ff):
    with pytest.raises(ff.TransportError):
        ff.connect("redis://127.0.0.1:1", connect_timeout=0.5)
    with pytest.raises(ff.InvalidInput):
        ff.connect("http://example.org")


def test_per_call_deadline(ff, server_url):
    with ff.connect(server_url, timeout=0.2) as c:
        try:
            c.command("DEBUG", "SLEEP", "0")
        except ff.FlowFabricError:
            pytest.skip("DEBUG not allowed on this server")
        with pytest.raises(ff.Timeout) as ei:
            c.command("DEBUG", "SLEEP", "0.6")
        assert isinstance(ei.value, TimeoutError)


def test_engine(ff, server_url):
    with ff.connect(server_url) as c:
        with c.engine(tick=0.1, engine_id="py-engine") as e:
            assert e.id == "py-engine"
            end = time.monotonic() + 10
            while e.stats().get("ticks", 0) < 1 and time.monotonic() < end:
                time.sleep(0.05)
            assert e.stats()["ticks"] >= 1
        assert e.stats() == {}
        c.engine()  # left running: close() stops it


def test_wait_timeout(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    with pytest.raises(ff.Timeout):
        client.wait_ended(eid, timeout=0.05)


def _function_calls(client) -> int:
    """FCALL + FCALL_RO calls the server has run so far (every client)."""
    info = client.command("INFO", "commandstats")
    text = info.decode() if isinstance(info, bytes) else str(info)
    total = 0
    for line in text.splitlines():
        if line.startswith(("cmdstat_fcall:", "cmdstat_fcall_ro:")):
            total += int(line.split("calls=")[1].split(",")[0])
    return total


def _lease_and_finish(client, lane, eid, *, fail=None):
    claims = client.claim([lane], lease_ttl=10)
    assert [c.execution_id for c in claims] == [eid]
    claim = claims[0]
    if fail is None:
        client.complete(claim, b'{"ok": 1}')
    else:
        client.fail(claim, fail, "permanent", retry=False)


def test_wait_returns_the_result_once_completed(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    done = threading.Event()
    got = {}

    def waiter():
        got["value"] = client.wait(eid, timeout=60)
        done.set()

    t = threading.Thread(target=waiter)
    t.start()
    assert not done.wait(0.2)  # pending until the execution ends
    _lease_and_finish(client, lane, eid)
    t.join(60)
    assert got["value"] == b'{"ok": 1}'
    assert client.wait_json(eid, timeout=5) == {"ok": 1}  # already ended: at once


def test_wait_raises_how_it_ended(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    _lease_and_finish(client, lane, eid, fail="card declined")
    with pytest.raises(ff.ExecutionFailed) as e:
        client.wait(eid, timeout=5)
    assert e.value.details[0] == "card declined"
    ex = client.wait_ended(eid, timeout=5)  # however it ended: the snapshot
    assert ex.public_state == "failed"


def test_wait_is_woken_not_polling(ff, tmp_path, lane):
    """A pending wait costs no describe/result rounds while nothing happens.
    On a private server: the shared one counts every suite's calls."""
    script = REPO / "tests" / "support" / "redis-test-server.sh"
    url = subprocess.run(["bash", str(script), "start", str(tmp_path)], check=True, capture_output=True,
                         text=True).stdout.strip().splitlines()[-1]
    try:
        with ff.connect(url) as c:
            eid = c.submit("k", b"", lane=lane)
            with pytest.raises(ff.Timeout):
                c.wait(eid, timeout=0.05)  # the subscriber is open from now on
            before = _function_calls(c)
            with pytest.raises(ff.Timeout):
                c.wait(eid, timeout=1.0)
            after = _function_calls(c)
        # one mark + one look when it starts; polling every 50 ms would be ~20
        assert after - before <= 4, (before, after)
    finally:
        subprocess.run(["bash", str(script), "stop", str(tmp_path)], capture_output=True)


def test_async_wait_is_woken(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            eid = await c.submit("k", b"", lane=lane)
            pending = asyncio.ensure_future(c.wait(eid, timeout=60))
            await asyncio.sleep(0.1)
            assert not pending.done()
            claims = await c.claim([lane], lease_ttl=10)
            await c.complete(claims[0], b"7")
            assert await pending == b"7"
            assert (await c.wait_ended(eid, 5)).public_state == "completed"

    asyncio.run(main())


def test_bad_inputs_raise_typed_errors(ff, client, lane, server_url):
    with pytest.raises(TypeError):
        client.submit(123, b"x", lane=lane)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.submit("k", 123, lane=lane)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.submit("k", {"a": 1}, lane=lane)  # type: ignore[arg-type]
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane="")
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane="bad\x01lane")
    with pytest.raises(ValueError):
        client.submit("k\x00", b"x", lane=lane)
    with pytest.raises(TypeError):
        client.submit("k", b"x", lane=lane, priority="high")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.submit("k", b"x", lane=lane, capabilities="gpu")
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane=lane, capabilities=["a,b"])
    with pytest.raises(TypeError):
        client.submit("k", b"x", lane=lane, tags={"k": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        client.submit("k", b"x", lane=lane, delay=-1)
    with pytest.raises(TypeError):
        client.submit("k", b"x", lane=lane, delay="soon")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.submit("k", b"x", lane=lane, delay=1, delay_until=time.time() + 5)
    with pytest.raises(ValueError):
        ff.Retry(backoff="linear")
    with pytest.raises(ValueError):
        ff.Retry(categories=[])
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane=lane, retry=ff.Retry(initial_ms=0))
    with pytest.raises(TypeError):
        client.submit("k", b"x", lane=lane, retry={"max_retries": 1})  # type: ignore[arg-type]
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane=lane, idempotency_key="")
    with pytest.raises(ff.InvalidInput):
        list(client.list_lane(lane, "bogus"))
    with pytest.raises(ff.InvalidInput):
        list(client.list_lane(lane, "waiting", count=0))
    with pytest.raises(ff.InvalidInput):
        client.claim([lane], lease_ttl=0.5)
    with pytest.raises(TypeError):
        client.claim(lane)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.describe(None)  # type: ignore[arg-type]
    with ff.connect(server_url, max_payload_bytes=16) as small:
        with pytest.raises(ff.LimitExceeded):
            small.submit("k", b"x" * 17, lane=lane)
    # nothing was written by any of the rejected calls
    assert client.lane_counts(lane).total == 0


def test_reclaim_grant(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    with pytest.raises(ff.ExecutionNotReclaimable):
        client.reclaim_grant(eid, "rescuer")
    client.revoke_lease(eid)
    token, expiry = client.reclaim_grant(eid, "rescuer", ttl=30)
    assert token and expiry > int(time.time() * 1000)
    with pytest.raises(ff.GrantAlreadyExists):
        client.reclaim_grant(eid, "other")
    assert client.claim([lane]) == []  # other workers skip it while the grant lives
    with pytest.raises(ff.InvalidClaimGrant):
        client.claim_reclaim(eid, token, worker_id="intruder")
    cl2 = client.claim_reclaim(eid, token, worker_id="rescuer", lease_ttl=5)
    assert cl2.attempt_type == "reclaim" and cl2.execution_id == eid and cl2.lease_epoch == cl.lease_epoch + 1
    assert client.complete(cl2, b"ok") == "completed"


def test_fail_without_retry(ff, client, lane):
    """retry=False ends the execution although its policy has retries left."""
    eid = client.submit("k", b"x", lane=lane, retry=ff.Retry(max_retries=5, backoff="fixed", initial_ms=10))
    [cl] = client.claim([lane])
    assert client.fail(cl, "bad input", "validation", retry=False) == ("terminal_failed", 0)
    ex = client.describe(eid)
    assert ex.public_state == "failed" and ex.counters.total_attempts == 1
    assert (ex.failure.reason, ex.failure.category) == ("bad input", "validation")
    with pytest.raises(TypeError):
        client.fail(cl, "x", retry="no")


def _claim_this(client, lane, eid):
    """Claim ``eid``, completing whatever else of the lane comes first."""
    while True:
        cl = _claim_one(client, lane)
        if cl.execution_id == eid:
            return cl
        client.complete(cl, b"")


def test_non_retryable_categories(ff, client, lane):
    retry = ff.Retry(max_retries=5, backoff="fixed", initial_ms=10, non_retryable=["permanent", "auth"])
    transient = client.submit("k", b"", lane=lane, retry=retry)
    permanent = client.submit("k", b"", lane=lane, retry=retry)
    assert client.fail(_claim_this(client, lane, transient), "try again", "transient")[0] == "retry_scheduled"
    assert client.fail(_claim_this(client, lane, permanent), "card declined", "permanent") == ("terminal_failed", 0)
    assert client.describe(permanent).public_state == "failed"
    # the deny-list stays beside a policy document and an allow-list
    both = client.submit("k", b"", lane=lane, policy={"retry_policy": {"max_retries": 5}},
                         retry=ff.Retry(max_retries=5, backoff="fixed", initial_ms=10, categories=["auth", "io"],
                                        non_retryable=["auth"]))
    assert client.fail(_claim_this(client, lane, both), "denied", "auth") == ("terminal_failed", 0)
    for bad in (["a,b"], [""], "permanent", [1]):
        with pytest.raises((ff.InvalidInput, TypeError)):
            ff.Retry(non_retryable=bad)


def test_revoke_names_the_revoked_lease(ff, client, lane):
    import pickle
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    r = client.revoke_lease(eid, reason="operator test")
    assert isinstance(r, ff.LeaseRevocation) and isinstance(r, str)
    assert (r, r.revoked, r.lease_id, r.lease_epoch) == ("revoked", True, cl.lease_id, cl.lease_epoch)
    again = client.revoke_lease(eid)
    assert (again, again.revoked, again.lease_id, again.lease_epoch) == ("already_revoked", False, "", 0)
    copy = pickle.loads(pickle.dumps(r))
    assert (copy, copy.lease_id, copy.lease_epoch) == (r, r.lease_id, r.lease_epoch)
    cl2 = _claim_one(client, lane)  # a reclaim: the next lease has the next epoch
    assert cl2.attempt_type == "reclaim" and client.revoke_lease(eid).lease_epoch == cl2.lease_epoch == 2
