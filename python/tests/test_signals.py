"""Suspension, waitpoints and HMAC-signed signals from Python."""

from __future__ import annotations

import asyncio
import datetime
import time
import uuid

import pytest


def _kid(tag: str) -> str:
    return f"{tag}{uuid.uuid4().hex[:8]}"  # unique per run: kids are global to the deployment


def _worker(ff, client, lane):
    return ff.Worker(client, lanes=[lane], poll_interval=0.2)


def _suspend_one(ff, client, lane, kind="approve", **suspend_args):
    """Submit one execution and run a worker until its handler suspended
    it; returns (execution id, Suspension)."""
    eid = client.submit(kind, b"", lane=lane)
    seen = {}
    w = _worker(ff, client, lane)

    @w.task(kind)
    def handler(task):
        seen["s"] = task.suspend(["approval"], **suspend_args)
        return b"must be ignored"
    w.run(max_tasks=1, idle_timeout=60)
    assert seen["s"].suspended
    return eid, seen["s"]


def test_web_app_signal_resumes_python_task(ff, client, lane):
    eid = client.submit_json("expense.approve", {"amount": 120}, lane=lane)
    handed_out = {}
    observed = []
    w = _worker(ff, client, lane)

    @w.task("expense.approve")
    def approve(task: ff.Task):
        if not task.resumed:
            s = task.suspend(["approval"], reason="waiting_for_approval", timeout=3600)
            assert s.state == "suspended" and s.number == 1
            wp = s.waitpoint("approval")
            handed_out.update(eid=task.execution_id, wp=wp.id, token=wp.token)
            return b"ignored: the task is over after a suspend"
        assert task.attempt == 0 and task.attempt_type == "resumed"
        sigs = task.signals()
        observed.extend(sigs)
        return {"approved_by": sigs[0].json()["by"], "amount": task.json()["amount"]}

    w.run(max_tasks=1, idle_timeout=60)
    ex = client.describe(eid)
    assert ex.public_state == "suspended" and not ex.has_result
    assert ex.state.blocking_reason == "waiting_for_approval"
    assert w.stats()["suspended"] == 1 and w.stats()["completed"] == 0

    # the web app: one line with what the task handed out
    r = client.signal(handed_out["eid"], handed_out["wp"], handed_out["token"], "approved", b'{"by": "ada"}',
                      source="ada@example.org")
    assert isinstance(r, ff.SignalResult) and r.resumed and not r.duplicate
    assert r.effect == "resume_condition_satisfied" and r.signal_id
    assert client.state(eid) == "waiting"

    w.run(max_tasks=1, idle_timeout=60)
    assert client.result_json(eid) == {"approved_by": "ada", "amount": 120}
    [sig] = observed
    assert (sig.id, sig.name, sig.source_type, sig.source) == (r.signal_id, "approved", "user", "ada@example.org")
    assert sig.payload == b'{"by": "ada"}' and sig.accepted_at > 0


def test_async_suspend_and_signal(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as client:
            eid = await client.submit("tool.call", b"", lane=lane)
            out = {}
            w = ff.Worker(client, lanes=[lane], poll_interval=0.2)

            @w.task("tool.call")
            async def call(task: ff.Task):
                if task.resumed:
                    sigs = await task.asignals()
                    return sigs[0].payload + b" via " + sigs[0].source_type.encode()
                s = await task.asuspend("result", reason="waiting_for_tool_result")
                out["wp"] = s.waitpoints[0]
                return None

            await w.arun(max_tasks=1, idle_timeout=60)
            assert await client.state(eid) == "suspended"
            wp = out["wp"]
            r = await client.signal(eid, wp.id, wp.token, "done", b"\x00binary\xff", source_type="webhook",
                                    source="tools.example")
            assert r.resumed
            await w.arun(max_tasks=1, idle_timeout=60)
            assert await client.result(eid) == b"\x00binary\xff via webhook"
            assert [x.execution_id async for x in client.list_suspended() if x.execution_id == eid] == []
    asyncio.run(main())


def test_bad_tokens_are_auth_errors(ff, client, lane):
    assert issubclass(ff.InvalidToken, ff.AuthError) and issubclass(ff.TokenExpired, ff.AuthError)
    assert issubclass(ff.MissingToken, ff.AuthError)
    assert issubclass(ff.WaitpointClosed, ff.StateError) and issubclass(ff.WaitpointNotFound, ff.NotFound)
    eid, s = _suspend_one(ff, client, lane)
    wp = s.waitpoints[0]
    kid, mac = wp.token.split(":")
    forged = kid + ":" + ("0" if mac[0] != "0" else "1") + mac[1:]
    with pytest.raises(ff.InvalidToken) as e:
        client.signal(eid, wp.id, forged, "approved")
    assert e.value.server_code == "invalid_token" and e.value.group == "auth"
    with pytest.raises(ff.InvalidToken):  # an unknown waitpoint answers the same
        client.signal(eid, str(uuid.uuid4()), wp.token, "approved")
    with pytest.raises(ff.MissingToken):
        client.signal(eid, wp.id, "", "approved")
    assert client.state(eid) == "suspended"
    assert client.signal(eid, wp.id, wp.token, "approved").resumed
    with pytest.raises(ff.WaitpointClosed):
        client.signal(eid, wp.id, wp.token, "approved again")


def test_duplicate_idempotency_key(ff, client, lane):
    eid, s = _suspend_one(ff, client, lane, condition={"count": {"n": 2, "kind": "distinct_signals",
                                                                 "keys": ["approval"]}})
    wp = s.waitpoints[0]
    first = client.signal(eid, wp.id, wp.token, "vote", b"1", source="alice", idempotency_key="delivery-1")
    assert (first.effect, first.duplicate) == ("appended_to_waitpoint", False)
    again = client.signal(eid, wp.id, wp.token, "vote", b"1", source="alice", idempotency_key="delivery-1")
    assert again == ff.SignalResult(first.signal_id, "appended_to_waitpoint", True)
    assert client.state(eid) == "suspended"  # the repeat did not count
    second = client.signal(eid, wp.id, wp.token, "vote", b"2", source="bob", idempotency_key="delivery-2")
    assert second.resumed
    # a retried webhook after the resume is still answered, not refused
    assert client.signal(eid, wp.id, wp.token, "vote", b"2", idempotency_key="delivery-2").duplicate


def test_buffered_waitpoint_already_satisfied_continues(ff, client, lane):
    eid = client.submit("job", b"", lane=lane)
    seen = {}
    w = _worker(ff, client, lane)

    @w.task("job")
    def job(task: ff.Task):
        wp = task.create_waitpoint("callback", expires_in=datetime.timedelta(minutes=5))
        assert wp.key == "callback" and wp.token and wp.expires_at > 0
        # the external system answers before the task suspends: buffered
        r = task.client.signal(task.execution_id, wp.id, wp.token, "ready", b"early")
        seen["effect"] = r.effect
        with pytest.raises(ff.InvalidInput):  # several waitpoints need a condition; the task stays ours
            task.suspend([wp, "other"])
        s = task.suspend([wp])
        seen["state"] = s.state
        assert not s.suspended and task.finished is False
        seen["payloads"] = [x.payload for x in task.signals()]
        return b"continued"
    w.run(max_tasks=1, idle_timeout=60)
    assert seen == {"effect": "buffered_for_pending_waitpoint", "state": "already_satisfied",
                    "payloads": [b"early"]}
    assert client.result(eid) == b"continued"
    st = w.stats()
    assert st["completed"] == 1 and st["suspended"] == 0


def test_rotation_grace(ff, client, lane):
    eid1, s1 = _suspend_one(ff, client, lane)
    eid2, s2 = _suspend_one(ff, client, lane)
    old_kid = s1.waitpoints[0].token.split(":")[0]
    k1, k2 = _kid("py1"), _kid("py2")

    assert client.rotate_secret(k1, grace=datetime.timedelta(hours=1)) == "rotated"
    keys = client.secrets()
    assert keys.current_kid == k1 and keys.partitions == client.partitions and keys.partitions_disagreeing == 0
    assert old_kid in [p.kid for p in keys.previous]
    # a token of the previous key still verifies during the grace
    assert client.signal(eid1, s1.waitpoints[0].id, s1.waitpoints[0].token, "ok").resumed

    eid3, s3 = _suspend_one(ff, client, lane)
    assert s3.waitpoints[0].token.startswith(k1 + ":")

    secret = "ab" * 32
    assert client.rotate_secret(k2, secret, grace=0) == "rotated"
    assert client.rotate_secret(k2, secret, grace=0) == "noop"  # a retried rotation
    with pytest.raises(ff.RotationConflict):
        client.rotate_secret(k2, "cd" * 32)
    time.sleep(0.01)  # let the server clock pass the zero grace
    with pytest.raises(ff.TokenExpired):
        client.signal(eid3, s3.waitpoints[0].id, s3.waitpoints[0].token, "late")
    # the first key's grace (1 h) is untouched by the second rotation
    assert client.signal(eid2, s2.waitpoints[0].id, s2.waitpoints[0].token, "ok").resumed
    # an operator can re-read a live waitpoint's token, still signed with its key
    assert client.waitpoint_token(eid3, s3.waitpoints[0].id) == s3.waitpoints[0].token
    client.cancel(eid3)


def test_list_suspended(ff, client, lane):
    eid, s = _suspend_one(ff, client, lane, reason="waiting_for_callback", timeout=3600)
    partition = client.describe(eid).partition
    mine = [x for x in client.list_suspended(partition, count=1) if x.execution_id == eid]
    assert len(mine) == 1
    row = mine[0]
    assert isinstance(row, ff.SuspendedExecution) and row.reason == "waiting_for_callback"
    assert row.timeout_at is not None and row.timeout_at > row.suspended_at > 0
    assert eid in {x.execution_id for x in client.list_suspended()}   # every partition
    rows, cursor = client.list_suspended_page(partition)
    assert eid in {x.execution_id for x in rows}
    client.cancel(eid)
    assert eid not in {x.execution_id for x in client.list_suspended(partition)}


def test_waitpoints_are_sanitized(ff, client, lane):
    eid, s = _suspend_one(ff, client, lane)
    wp = s.waitpoints[0]
    [rec] = client.waitpoints(eid)
    assert isinstance(rec, ff.WaitpointRecord) and not hasattr(rec, "token")
    assert (rec.id, rec.key, rec.state) == (wp.id, "approval", "active")
    kid, mac = wp.token.split(":")
    assert rec.kid == kid and rec.fingerprint == mac[:16] and len(rec.fingerprint) == 16
    assert wp.token not in repr(rec) and wp.token not in repr(wp)
    assert client.waitpoint_token(eid, wp.id) == wp.token
    with pytest.raises(ff.WaitpointNotFound):
        client.waitpoint_token(eid, str(uuid.uuid4()))
    client.signal(eid, wp.id, wp.token, "approved")
    assert [r.state for r in client.waitpoints(eid)] == ["closed"]


def test_suspend_argument_errors(ff, client, lane):
    eid = client.submit("bad", b"", lane=lane)
    errors = []
    w = _worker(ff, client, lane)

    @w.task("bad")
    def bad(task: ff.Task):
        for kwargs in ({}, {"waitpoints": ["a"], "reason": "because"}, {"waitpoints": ["a"], "timeout": 0},
                       {"waitpoints": ["a"], "condition": "[not an object]"},
                       {"waitpoints": ["a"], "timeout_behavior": "cancel"}):
            try:
                task.suspend(**kwargs)
            except (ValueError, TypeError) as e:
                errors.append("InvalidInput" if isinstance(e, ff.InvalidInput) else type(e).__name__)
        with pytest.raises(TypeError):
            task.suspend([42])
        return b"still mine"
    w.run(max_tasks=1, idle_timeout=60)
    assert errors == ["InvalidInput"] * 5
    assert client.result(eid) == b"still mine"


def test_refused_suspend_keeps_the_task(ff, client, lane):
    """A suspend the server refuses while the lease is intact (a condition
    naming a key that is not a waitpoint) raises, and the task can still be
    finished normally."""
    eid = client.submit("approve", b"", lane=lane)
    seen = {}
    w = _worker(ff, client, lane)

    @w.task("approve")
    def handler(task):
        with pytest.raises(ff.InvalidInput):
            task.suspend(["a"], condition={"single": {"key": "zzz"}})
        seen["finished_after_refusal"] = task.finished
        return b"done anyway"
    w.run(max_tasks=1, idle_timeout=60)
    assert seen["finished_after_refusal"] is False
    assert client.result(eid) == b"done anyway"
    assert w.stats()["completed"] == 1
