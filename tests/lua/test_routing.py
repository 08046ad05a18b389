"""Capability routing and the worker registry at the server library level
(lua/workers.lua, lua/lib/78_route.lua): work no live worker is capable of
leaves the eligible order (blocked_by_route) and returns when a capable
worker registers, heartbeats or claims; the registry's expiry, listing with
exact leases counts, mark-dead, and typed errors that write nothing. The
invariant checker (ffhelpers) also checks after every test that the route
queues and the workers' lease sets agree with the cores."""

import pytest

from ffhelpers import core_key, lane_key, snapshot

LANE = "default"


def wkey(ff):
    return "ff:i:%s:workers" % ff.tag


def register(ff, wid="cap", caps="gpu", lanes=(LANE,), ttl=30000, conc=4, wiid=None):
    return ff.call("ff_worker_register", [wkey(ff)], wid, wiid or (wid + "-i"), caps, str(conc), str(ttl),
                   *lanes)


def listw(ff, lane="", cursor="", count=100):
    rep = ff.call_ro("ff_worker_list", [wkey(ff)], lane, cursor, str(count))
    assert rep[:2] == [1, "OK"], rep
    names = ["worker_id", "worker_instance_id", "lanes", "caps", "concurrency", "ttl_ms", "registered_at",
             "last_heartbeat", "expires_at", "leases"]
    items = [dict(zip(names, rep[i:i + 10])) for i in range(3, len(rep), 10)]
    return rep[2], {w["worker_id"]: w for w in items}


def expire(ff, wid):
    """Make a worker's registry entry expired now (server time moves on
    without sleeping)."""
    ff.r.zadd(wkey(ff), {wid: 1})
    ff.r.zadd("ff:wl:%s:%s" % (ff.tag, LANE), {wid: 1})


def test_no_capable_worker_blocks_by_route(ff):
    eid = ff.create(caps="gpu")
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.index_state(eid) == "route_blocked"
    assert ff.r.zscore(lane_key(ff.tag, LANE, "eligible"), eid) is None
    st = ff.st(eid)
    assert st[2:4] == ["blocked_by_route", "waiting_for_capable_worker"]
    assert ff.public(eid) == "waiting"
    assert ff.counts()["route_blocked"] == 1
    # a later claim of the incapable worker does not even see it: the
    # eligible index is empty
    assert ff.r.zcard(lane_key(ff.tag, LANE, "eligible")) == 0
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.index_state(eid) == "route_blocked"


def test_register_capable_worker_unblocks_in_that_call(ff):
    eid = ff.create(caps="gpu")
    other = ff.create(caps="tpu")
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"
    rep = register(ff, caps="gpu,linux")
    assert rep[:3] == [1, "OK", "registered"] and rep[4] == "1"
    assert ff.index_state(eid) == "eligible"
    assert ff.index_state(other) == "route_blocked"
    st = ff.st(eid)
    assert st[2:4] == ["eligible_now", "waiting_for_worker"]
    assert ff.claim_one(caps="gpu").eid == eid


def test_heartbeat_unblocks_too(ff):
    register(ff, wid="w", caps="cpu")
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"
    rep = register(ff, wid="w", caps="cpu,gpu")
    assert rep[:3] == [1, "OK", "refreshed"] and rep[4] == "1"
    assert ff.index_state(eid) == "eligible"


def test_capable_claimant_unblocks_for_itself(ff):
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"
    # an unregistered worker that claims with the capability is live too
    assert ff.claim_one(caps="gpu").eid == eid


def test_capable_live_worker_keeps_it_eligible(ff):
    register(ff, caps="gpu")
    eid = ff.create(caps="gpu")
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.index_state(eid) == "eligible"


def test_capable_worker_of_another_lane_does_not_count(ff):
    register(ff, caps="gpu", lanes=("other",))
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"


def test_expired_worker_does_not_count_and_drops_out(ff):
    register(ff, wid="old", caps="gpu")
    expire(ff, "old")
    nxt, ws = listw(ff)
    assert ws == {}
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"
    # the claim that read the registry dropped the expired entry
    assert ff.r.zscore(wkey(ff), "old") is None
    assert not ff.r.exists("ff:wk:%s:old" % ff.tag)


def test_reclaimable_mismatch_is_skipped_not_blocked(ff):
    eid = ff.create(caps="gpu")
    c = ff.claim_one(caps="gpu", ttl=1)
    ff.r.hset(core_key(eid), "lexp", "1")
    ff.r.zadd("ff:i:%s:lease_expiry" % ff.tag, {eid: 1})
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.index_state(eid) == "eligible"
    assert ff.claim_one(caps="gpu").atype == "reclaim"
    del c


def test_cancel_route_blocked_forgets_queue(ff):
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    assert ff.cancel_op(eid)[:2] == [1, "OK"]
    assert ff.index_state(eid) == "cancelled"
    assert not ff.r.exists("ff:rc:%s:%s" % (ff.tag, LANE))


def test_unblock_keeps_priority_order(ff):
    lo = ff.create_spaced(caps="gpu", pri=1)
    hi = ff.create_spaced(caps="gpu", pri=5)
    ff.claim_raw(caps="", n=2)
    register(ff, caps="gpu")
    assert [c.eid for c in ff.claim(caps="gpu", n=2)] == [hi, lo]


def test_priority_change_of_route_blocked_rescores_queue_too(ff):
    # regression: ff_change_priority rescored only the eligible index, so a
    # route-blocked execution kept its old order (and the invariant checker
    # saw its score disagree with its priority)
    lo = ff.create_spaced(caps="gpu", pri=1)
    hi = ff.create_spaced(caps="gpu", pri=5)
    ff.claim_raw(caps="", n=2)
    assert ff.index_state(lo) == "route_blocked"
    assert ff.change_priority(lo, 9)[:2] == [1, "OK"]
    want = -9 * 10 ** 12 + int(ff.core(lo)["created"])
    assert ff.r.zscore(lane_key(ff.tag, LANE, "route_blocked"), lo) == want
    assert ff.r.zscore("ff:rq:%s:%d:%s:gpu" % (ff.tag, len(LANE), LANE), lo) == want
    register(ff, caps="gpu")
    assert [c.eid for c in ff.claim(caps="gpu", n=2)] == [lo, hi]


def test_leases_count_exact(ff):
    register(ff, wid="w1", caps="")
    a, b, c3 = ff.create(), ff.create(), ff.create()
    cl = ff.claim(wid="w1", n=3)
    assert listw(ff)[1]["w1"]["leases"] == "3"
    ff.complete(cl[0])
    assert listw(ff)[1]["w1"]["leases"] == "2"
    ff.fail(cl[1])
    ff.cancel_op(cl[2].eid)
    assert listw(ff)[1]["w1"]["leases"] == "0"
    # expiry (the sweep) ends a lease too
    ff.create()
    c4 = ff.claim_one(wid="w1", ttl=1)
    assert listw(ff)[1]["w1"]["leases"] == "1"
    ff.r.hset(core_key(c4.eid), "lexp", "1")
    ff.r.zadd("ff:i:%s:lease_expiry" % ff.tag, {c4.eid: 1})
    ff.sweep()
    assert listw(ff)[1]["w1"]["leases"] == "0"
    # a repeat of complete changes nothing
    ff.complete(cl[0])
    assert listw(ff)[1]["w1"]["leases"] == "0"
    del a, b, c3


def test_list_fields_lane_filter_and_paging(ff):
    register(ff, wid="a", caps="gpu,cpu", lanes=(LANE, "x"), conc=8, ttl=9000)
    register(ff, wid="b", caps="", lanes=("x",))
    register(ff, wid="c", caps="", lanes=(LANE,))
    nxt, ws = listw(ff)
    assert nxt == "" and sorted(ws) == ["a", "b", "c"]
    a = ws["a"]
    assert a["caps"] == "cpu,gpu" and a["concurrency"] == "8" and a["ttl_ms"] == "9000"
    assert a["worker_instance_id"] == "a-i" and a["lanes"] == '["default","x"]'
    assert int(a["expires_at"]) == int(a["last_heartbeat"]) + 9000
    assert sorted(listw(ff, lane=LANE)[1]) == ["a", "c"]
    nxt, ws = listw(ff, count=2)
    assert nxt == "b" and sorted(ws) == ["a", "b"]
    nxt, ws = listw(ff, cursor="b", count=2)
    assert nxt == "" and sorted(ws) == ["c"]
    # re-registering without lane x drops it from x
    register(ff, wid="a", caps="gpu", lanes=(LANE,))
    assert sorted(listw(ff, lane="x")[1]) == ["b"]


def test_registered_at_kept_on_refresh_new_instance_resets(ff):
    register(ff, wid="w")
    reg = listw(ff)[1]["w"]["registered_at"]
    ff.r.hset("ff:wk:%s:w" % ff.tag, "reg", "5")
    register(ff, wid="w")
    assert listw(ff)[1]["w"]["registered_at"] == "5"
    register(ff, wid="w", wiid="new")
    assert listw(ff)[1]["w"]["registered_at"] not in ("5",)
    del reg


def test_mark_dead(ff):
    register(ff, wid="w", caps="gpu")
    eid = ff.create(caps="gpu")
    assert ff.call("ff_worker_dead", [wkey(ff)], "w") == [1, "OK", "1"]
    assert ff.call("ff_worker_dead", [wkey(ff)], "w") == [1, "OK", "0"]
    assert listw(ff)[1] == {}
    ff.claim_raw(caps="")
    assert ff.index_state(eid) == "route_blocked"


@pytest.mark.parametrize("args,err", [
    (("", "i", "", "0", "30000", LANE), ["invalid_input", "worker_id: 1..256 bytes, no control bytes"]),
    (("w", "", "", "0", "30000", LANE), ["invalid_input", "worker_instance_id: 1..256 bytes, no control bytes"]),
    (("w", "i", "a,,b", "0", "30000", LANE), ["invalid_capabilities", "worker:empty_token"]),
    (("w", "i", "", "-1", "30000", LANE), ["invalid_input", "concurrency: integer 0..1000000"]),
    (("w", "i", "", "0", "999", LANE), ["invalid_input", "ttl_ms: integer 1000..86400000"]),
    (("w", "i", "", "0", "30000", "bad\nlane"), ["invalid_input", "lane: 1..64 bytes 0x20..0x7E"]),
    (("w", "i", "", "0", "30000"), ["invalid_input", "argv: expected 6..69 arguments"]),
])
def test_register_bad_input_writes_nothing(ff, args, err):
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    before = snapshot(ff.r)
    assert ff.call("ff_worker_register", [wkey(ff)], *args) == [0] + err
    assert snapshot(ff.r) == before
    del eid


def test_bad_keys_and_reads(ff):
    assert ff.call("ff_worker_register", ["ff:i:{fp:0}:all"], "w", "i", "", "0", "30000", LANE)[:2] == \
        [0, "invalid_input"]
    assert ff.call("ff_worker_dead", [wkey(ff)], "")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_worker_list", [wkey(ff)], "", "", "0")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_worker_list", [wkey(ff)], "bad\n", "", "10")[:2] == [0, "invalid_input"]


def test_reconciler_restores_route_queue(ff):
    from test_engine import DUE, counters, sweep
    eid = ff.create(caps="gpu")
    ff.claim_raw(caps="")
    # drift: the lane index and the queue lost the execution
    ff.r.zrem(lane_key(ff.tag, LANE, "route_blocked"), eid)
    ff.r.delete("ff:rq:%s:%d:%s:gpu" % (ff.tag, len(LANE), LANE))
    ff.r.delete("ff:rc:%s:%s" % (ff.tag, LANE))
    for _ in range(5):
        ff.r.hdel(DUE, "rt")
        counters(sweep(ff))
    assert ff.index_state(eid) == "route_blocked"
    assert register(ff, caps="gpu")[4] == "1"
    assert ff.index_state(eid) == "eligible"
