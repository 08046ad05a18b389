"""ff_snapshot: the documented execution snapshot, built in the server."""

import json

from ffhelpers import core_key, new_eid


def snap(ff, e):
    rep = ff.call_ro("ff_snapshot", [core_key(e)], e)
    assert rep[:2] == [1, "OK"], rep
    return json.loads(rep[2]), rep[3]


def test_snapshot_of_a_waiting_execution(ff):
    e = ff.create(tags={"team": "a", "q\"uote": "x\ny"}, policy={"max_replay_count": 3}, caps="gpu")
    d, public = snap(ff, e)
    assert public == "waiting" and d["public_state"] == "waiting"
    assert d["execution_id"] == e and d["partition"] == 0
    assert d["required_capabilities"] == ["gpu"]
    assert d["budgets"] == []
    assert d["policy"] == {"max_replay_count": 3}
    assert d["tags"] == {"team": "a", "q\"uote": "x\ny"}
    assert d["lease"] is None and d["current_attempt"] is None and d["attempts"] == []
    assert d["counters"] == {"total_attempts": 0, "retry_count": 0, "reclaim_count": 0, "replay_count": 0}
    assert d["state"]["lifecycle_phase"] == "runnable" and d["has_result"] is False


def test_snapshot_of_a_leased_execution(ff):
    e = ff.create()
    c = ff.claim_one()
    d, _ = snap(ff, e)
    assert d["lease"]["lease_id"] == c.lid and d["lease"]["epoch"] == 1 and d["lease_epoch"] == 1
    assert d["current_attempt"]["index"] == 0 and d["attempts"][0]["state"] == "started"


def test_64_bit_integers_are_exact(ff):
    """Epochs and counters are copied from their stored decimal strings: a
    value above 2^53 (where a double, and cjson's 14 digits, lose it) comes
    back exactly."""
    e = ff.create()
    ff.claim_one()
    big = 2 ** 53 + 1
    ff.r.hset(core_key(e), mapping={"epoch": str(big), "retries": str(2 ** 62 + 3), "created": "1796289094738123"})
    d, _ = snap(ff, e)
    assert d["lease_epoch"] == big and d["lease"]["epoch"] == big
    assert d["counters"]["retry_count"] == 2 ** 62 + 3
    assert d["timestamps"]["created_at"] == 1796289094738123


def test_snapshot_errors(ff):
    e = ff.create()
    other = new_eid()
    assert ff.call_ro("ff_snapshot", [core_key(other)], other)[:2] == [0, "execution_not_found"]
    assert ff.call_ro("ff_snapshot", [core_key(e)], "junk")[:2] == [0, "invalid_input"]
