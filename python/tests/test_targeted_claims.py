"""Targeted claims of one named execution: claim_resumed (a worker resumes
one interrupted attempt) and grant_and_claim (an operator leases one
execution to a named worker), sync and async, with their typed errors."""

from __future__ import annotations

import asyncio
import time

import pytest


def test_claim_resumed(ff, client, lane):
    eid = client.submit("k", b"in", lane=lane)
    with pytest.raises(ff.NotAResumedExecution):
        client.claim_resumed(eid, worker_id="w-resume")
    [cl] = client.claim([lane])
    with pytest.raises(ff.ExecutionNotLeaseable):
        client.claim_resumed(eid, worker_id="w-resume")
    client.delay(cl, time.time() + 3600)  # given back, not due for an hour
    with pytest.raises(ff.ExecutionNotEligible):
        client.claim_resumed(eid, worker_id="w-resume")
    eid2 = client.submit("k", b"in2", lane=lane, capabilities=["gpu"])
    [cl2] = client.claim([lane], capabilities=["gpu"])
    assert cl2.execution_id == eid2
    client.delay(cl2, 0)  # given back and due at once
    with pytest.raises(ff.CapabilityMismatch):
        client.claim_resumed(eid2, worker_id="w-resume")
    got = client.claim_resumed(eid2, worker_id="w-resume", capabilities=["gpu"], lease_ttl=5)
    assert got.execution_id == eid2 and got.attempt_type == "resumed"
    assert (got.attempt_index, got.attempt_id) == (cl2.attempt_index, cl2.attempt_id)
    assert got.lease_epoch == cl2.lease_epoch + 1
    assert client.complete(got, b"ok") == "completed"


def test_grant_and_claim(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    cl = client.grant_and_claim(eid, "w-ops")
    assert cl.execution_id == eid and cl.attempt_type == "initial" and cl.lease_epoch == 1
    with pytest.raises(ff.LeaseConflict):
        client.grant_and_claim(eid, "w-other")
    client.revoke_lease(eid)
    cl2 = client.grant_and_claim(eid, "w-rescuer")
    assert cl2.attempt_type == "reclaim" and cl2.attempt_index == 1 and cl2.lease_epoch == 2
    with pytest.raises(ff.StaleLease):  # the old holder is fenced out
        client.complete(cl, b"")
    assert client.complete(cl2, b"ok") == "completed"
    with pytest.raises(ff.ExecutionNotLeaseable):
        client.grant_and_claim(eid, "w-ops")
    with pytest.raises(ff.ExecutionNotFound):
        client.grant_and_claim("{fp:1}:00000000-0000-4000-8000-000000000000", "w-ops")
    later = client.submit("k", b"", lane=lane, delay=3600)
    with pytest.raises(ff.ExecutionNotEligible):
        client.grant_and_claim(later, "w-ops")


def test_async_targeted_claims(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            eid = await c.submit("k", b"x", lane=lane)
            cl = await c.grant_and_claim(eid, "w-ops")
            assert cl.attempt_type == "initial"
            await c.delay(cl, 0)
            cl2 = await c.claim_resumed(eid, worker_id="w-resume")
            assert cl2.attempt_type == "resumed" and cl2.attempt_id == cl.attempt_id
            assert await c.complete(cl2, b"") == "completed"
    asyncio.run(main())
