"""Read-only calls: describe, result, list_partition, list_lane, lanes, counts."""

import json

import pytest

from ffhelpers import FF, core_key, lane_key, new_eid, snapshot


def test_describe(ff):
    e = ff.create(tags={"team": "a"}, policy={"max_replay_count": 3}, caps="gpu")
    d = ff.describe(e)
    assert d["core"]["id"] == e and d["core"]["caps"] == "gpu"
    assert json.loads(d["core"]["pol"]) == {"max_replay_count": 3}
    assert d["attempts"] == {} and d["tags"] == {"team": "a"}
    assert d["public"] == "waiting" and d["has_result"] == "0"


def test_describe_attempts_sorted(ff):
    e = ff.create(policy={"retry_policy": {"max_retries": 11, "backoff": {"type": "fixed", "delay_ms": 0}}})
    for _ in range(11):
        ff.fail(ff.claim_one())
    rep = ff.call_ro("ff_describe", [core_key(e)], e)
    idx = [int(x) for x in rep[3][::2]]
    assert idx == list(range(11))
    for i, js in zip(idx, rep[3][1::2]):
        rec = json.loads(js)
        assert rec["index"] == i and rec["type"] == ("initial" if i == 0 else "retry")


def test_describe_public_states(ff):
    now = ff.now_ms()
    assert ff.public(ff.create()) == "waiting"
    assert ff.public(ff.create(delay_until=now + 3600_000)) == "delayed"
    c = ff.claim_one()
    assert ff.public(c.eid) == "active"
    ff.complete(c)
    assert ff.public(c.eid) == "completed"


def test_describe_errors(ff):
    e = new_eid()
    assert ff.call_ro("ff_describe", [core_key(e)], e) == [0, "execution_not_found"]
    assert ff.call_ro("ff_describe", [core_key(new_eid())], e)[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_describe", [core_key(e)], "junk")[:2] == [0, "invalid_input"]


def test_result(ff):
    e = ff.create()
    assert ff.result(e) == [0, "execution_not_terminal", "waiting"]
    c = ff.claim_one()
    assert ff.result(e) == [0, "execution_not_terminal", "active"]
    ff.complete(c, "R")
    assert ff.result(e) == [1, "OK", "R"]
    g = new_eid()
    assert ff.result(g) == [0, "execution_not_found"]


def test_result_of_an_execution_that_did_not_succeed_says_how_it_ended(ff):
    e2 = ff.create()
    ff.cancel_op(e2, reason="not needed")
    assert ff.result(e2) == [0, "execution_cancelled", "not needed", "operator_override"]
    e3 = ff.create()
    c = ff.claim_one()
    assert c.eid == e3
    ff.fail(c, reason="disk full", cat="permanent")
    assert ff.result(e3) == [0, "execution_failed", "disk full", "permanent"]
    e4 = ff.create(deadline=1)  # a deadline in the past: the sweep expires it
    ff.sweep()
    assert ff.result(e4) == [0, "execution_expired", "execution_deadline", "timeout"]


def test_list_partition_pages(ff):
    ids = {ff.create() for _ in range(25)}
    seen, cursor = set(), "0"
    for _ in range(100):
        rep = ff.list_partition(cursor, 7)
        assert rep[:2] == [1, "OK"]
        cursor = rep[2]
        seen.update(rep[3:])
        if cursor == "0":
            break
    assert seen == ids
    assert ff.list_partition("", 10)[:2] == [1, "OK"]


@pytest.mark.parametrize("cursor,count", [("-1", "10"), ("x", "10"), ("0", "0"), ("0", "1001"), ("0", "")])
def test_list_partition_bad(ff, cursor, count):
    assert ff.list_partition(cursor, count)[:2] == [0, "invalid_input"]


def test_list_partition_bad_key(ff):
    assert ff.call_ro("ff_list_partition", ["ff:i:{fp:0}:lanes"], "0", "10")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_list_partition", ["ff:i:all"], "0", "10")[:2] == [0, "invalid_input"]


def test_list_lane_pages_in_score_order(ff):
    ids = [ff.create_spaced() for _ in range(5)]
    rep = ff.list_lane("default", "eligible", 0, 2)
    assert rep == [1, "OK", "2"] + ids[:2]
    rep = ff.list_lane("default", "eligible", 2, 2)
    assert rep == [1, "OK", "4"] + ids[2:4]
    rep = ff.list_lane("default", "eligible", 4, 2)
    assert rep == [1, "OK", "0"] + ids[4:]
    assert ff.list_lane("default", "eligible", 3, 2) == [1, "OK", "0"] + ids[3:]
    assert ff.list_lane("default", "eligible", 10, 2) == [1, "OK", "0"]
    assert ff.list_lane("default", "completed", 0, 2) == [1, "OK", "0"]
    assert ff.list_lane("default", "eligible", "", 5) == [1, "OK", "0"] + ids


def test_list_lane_with_colon_lane(ff):
    e = ff.create(lane="a:b")
    assert ff.list_lane("a:b", "eligible") == [1, "OK", "0", e]


@pytest.mark.parametrize("key", ["ff:i:{fp:0}:default:waiting", "ff:i:{fp:0}:eligible",
                                 "ff:i:{fp:0}:lease_expiry", "ff:x:{fp:0}:default:eligible",
                                 "ff:i:default:eligible"])
def test_list_lane_bad_key(ff, key):
    assert ff.call_ro("ff_list_lane", [key], "0", "10")[:2] == [0, "invalid_input"]


@pytest.mark.parametrize("off,count", [("-1", "1"), ("a", "1"), ("0", "0"), ("0", "5000")])
def test_list_lane_bad_args(ff, off, count):
    assert ff.list_lane("default", "eligible", off, count)[:2] == [0, "invalid_input"]


def test_lanes_and_counts(ff):
    now = ff.now_ms()
    ff.create(lane="b")
    ff.create(lane="a")
    ff.create(lane="a", delay_until=now + 3600_000)
    ff.create(lane="a")
    c = ff.claim_one(lane="a")
    ff.complete(c)
    ff.create(lane="a")
    ff.claim_one(lane="a")
    assert ff.lanes() == [1, "OK", "a", "b"]
    counts = ff.counts("a")
    assert list(counts) == ["eligible", "delayed", "active", "suspended", "completed",
                            "failed", "cancelled", "expired", "skipped", "blocked", "budget_blocked",
                            "route_blocked"]
    assert counts == {"eligible": 1, "delayed": 1, "active": 1, "suspended": 0, "completed": 1,
                      "failed": 0, "cancelled": 0, "expired": 0, "skipped": 0, "blocked": 0,
                      "budget_blocked": 0, "route_blocked": 0}
    assert ff.counts("nope")["eligible"] == 0
    assert ff.call_ro("ff_counts", ["ff:i:{fp:0}:lanes"], "")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_counts", ["ff:i:{fp:0}:all"], "a")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_lanes", ["ff:i:{fp:0}:all"])[:2] == [0, "invalid_input"]


def test_reads_are_read_only(ff):
    e = ff.create()
    before = snapshot(ff.r)
    ff.describe(e)
    ff.result(e)
    ff.list_partition()
    ff.list_lane("default", "eligible")
    ff.lanes()
    ff.counts()
    assert snapshot(ff.r) == before


def test_partitions_are_isolated(r):
    a, b = FF(r, 1), FF(r, 2)
    ea = a.create()
    eb = b.create()
    assert a.list_partition()[3:] == [ea]
    assert b.list_partition()[3:] == [eb]
    assert a.claim_one().eid == ea
    assert b.claim_one().eid == eb
