"""The lane registry and operator lane pause (docs/admission.md "Lanes")
from Python: configured lanes are listed before use, listing is sorted and
paged, a paused lane hands out no work (a worker gets nothing, a targeted
claim raises LanePaused) while describe says who holds it, and resume
releases it. Nothing is timed: a pause always ends with resume_lane."""

from __future__ import annotations

import uuid

import pytest


def _mine(client, prefix):
    """Every listed lane starting with prefix (the server is shared)."""
    return [ln for ln in client.list_lanes(count=2) if ln["lane"].startswith(prefix)]


def test_create_lists_before_use_sorted_and_paged(ff, client):
    prefix = "pyl-" + uuid.uuid4().hex[:8] + "-"
    names = [prefix + s for s in ("b", "a", "c", "B")]
    for n in names:
        assert client.create_lane(n) is True
    assert client.create_lane(names[0]) is False
    got = _mine(client, prefix)
    assert [g["lane"] for g in got] == sorted(names)
    assert all(g["configured"] and g["configured_at"] > 0 and not g["paused"] for g in got)
    page = client.list_lanes_page(prefix, 2)  # the cursor is exclusive
    assert [g["lane"] for g in page["lanes"]] == sorted(names)[:2]
    assert page["next_cursor"] == sorted(names)[1]


def test_pause_holds_work_and_resume_releases_it(ff, client, lane):
    a = client.submit("k", b"a", lane=lane)
    assert client.pause_lane(lane, "deploy") is True
    assert client.pause_lane(lane, "again") is False
    assert client.claim([lane], batch=5) == []
    x = client.describe(a)
    assert x.public_state == "waiting"
    assert (x.state.eligibility_state, x.state.blocking_reason) == ("blocked_by_operator", "paused_by_operator")
    (entry,) = [g for g in client.list_lanes() if g["lane"] == lane]
    assert entry["paused"] and entry["reason"] == "deploy" and entry["paused_at"] > 0
    assert client.resume_lane(lane) is True
    assert client.resume_lane(lane) is False
    got = client.claim([lane])
    assert [c.execution_id for c in got] == [a]
    client.complete(got[0])


def test_a_worker_takes_nothing_from_a_paused_lane(ff, client, lane):
    held = "pyl-other-" + uuid.uuid4().hex[:8]
    paused = client.submit("job", b"p", lane=held)
    free = client.submit("job", b"f", lane=lane)
    client.pause_lane(held)
    done = []
    worker = ff.Worker(client, lanes=[held, lane])

    @worker.task("job")
    def job(task: ff.Task) -> bytes:
        done.append(task.execution_id)
        return b"ok"

    worker.run(max_tasks=1)
    assert done == [free] and client.state(paused) == "waiting"
    client.resume_lane(held)
    worker.run(max_tasks=1)
    assert done == [free, paused]


def test_targeted_reclaim_on_a_paused_lane_raises(ff, client, lane):
    eid = client.submit("k", b"", lane=lane)
    (c,) = client.claim([lane])
    client.revoke_lease(eid)
    token, _ = client.reclaim_grant(eid, "w-lanes")
    client.pause_lane(lane)
    with pytest.raises(ff.LanePaused):
        client.claim_reclaim(eid, token, worker_id="w-lanes")
    assert isinstance(ff.LanePaused("x"), ff.StateError)
    client.resume_lane(lane)
    got = client.claim_reclaim(eid, token, worker_id="w-lanes")
    client.complete(got)


def test_bad_input_is_refused(ff, client):
    with pytest.raises(ff.InvalidArgument):
        client.pause_lane("x" * 65)
    with pytest.raises(ff.InvalidArgument):
        client.pause_lane("ok", "r" * 1025)
    with pytest.raises(ff.InvalidArgument):
        client.list_lanes_page("", 0)
