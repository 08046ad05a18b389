"""The worker registry and capability routing (docs/admission.md) from
Python: register / heartbeat, list with exact leases counts, mark dead, and
route-blocked work returning when a capable worker registers."""

from __future__ import annotations

import uuid


def _wid() -> str:
    return "py-" + uuid.uuid4().hex[:12]


def _listed(client, wid, lane=None):
    return {w["worker_id"]: w for w in client.list_workers(lane)}.get(wid)


def test_register_list_leases_and_mark_dead(client, lane):
    wid = _wid()
    assert client.register_worker(wid, [lane], capabilities=["gpu"], concurrency=3, ttl=30) == 0
    w = _listed(client, wid, lane)
    assert w["lanes"] == [lane] and w["capabilities"] == ["gpu"] and w["concurrency"] == 3
    assert w["ttl_ms"] == 30000 and w["leases"] == 0
    client.submit("k", b"", lane=lane)
    [cl] = client.claim([lane], worker_id=wid, capabilities=["gpu"])
    assert _listed(client, wid)["leases"] == 1
    client.complete(cl)
    assert _listed(client, wid)["leases"] == 0
    assert client.mark_worker_dead(wid) is True
    assert client.mark_worker_dead(wid) is False
    assert _listed(client, wid) is None


def test_route_blocked_until_a_capable_worker_registers(client, lane):
    eid = client.submit("k", b"", lane=lane, capabilities=["tpu"])
    assert client.claim([lane], worker_id=_wid(), capabilities=["cpu"]) == []
    ex = client.describe(eid)
    assert ex.public_state == "waiting"
    assert ex.state.eligibility_state == "blocked_by_route"
    assert ex.state.blocking_reason == "waiting_for_capable_worker"
    wid = _wid()
    assert client.register_worker(wid, [lane], capabilities=["tpu"]) == 1
    assert client.describe(eid).state.eligibility_state == "eligible_now"
    client.mark_worker_dead(wid)


def test_bad_input(ff, client):
    import pytest
    with pytest.raises(ff.errors.InvalidArgument):
        client.register_worker(_wid(), [], ttl=30)
    with pytest.raises(ff.errors.InvalidArgument):
        client.register_worker(_wid(), ["x"], ttl=0.5)
    with pytest.raises(ff.errors.InvalidArgument):
        client.list_workers_page(count=0)
