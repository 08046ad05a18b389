"""The lane registry and operator lane pause (lua/lanes.lua): configured
lanes are listed before any execution uses them and survive retention,
listing is sorted and paged with each lane's pause, a paused lane leases
nothing (plain claim: no work; reclaim: lane_paused) while its work keeps
its place, resume wakes the lane's workers, and bad input writes nothing."""

import json

import pytest

from ffhelpers import core_key, lane_key, messages, new_uuid, snapshot, subscribe

LANE = "default"


def ekey(ff, lane=LANE):
    return lane_key(ff.tag, lane, "eligible")


def create_lane(ff, lane):
    return ff.call("ff_lane_create", [ekey(ff, lane)], lane)


def pause(ff, lane=LANE, reason="maintenance"):
    return ff.call("ff_lane_pause", [ekey(ff, lane)], lane, reason)


def resume(ff, lane=LANE):
    return ff.call("ff_lane_resume", [ekey(ff, lane)], lane)


def page(ff, cursor="", count=100):
    rep = ff.call_ro("ff_lane_page", ["ff:i:%s:lanes" % ff.tag], cursor, str(count))
    assert rep[:2] == [1, "OK"], rep
    names = ["lane", "configured_at", "paused", "paused_at", "reason"]
    return rep[2], [dict(zip(names, rep[i:i + 5])) for i in range(3, len(rep), 5)]


def snapshot_state(ff, eid):
    rep = ff.call_ro("ff_snapshot", [core_key(eid)], eid)
    assert rep[:2] == [1, "OK"], rep
    return json.loads(rep[2])["state"]


def test_configured_lane_is_listed_before_use_and_create_is_idempotent(ff):
    rep = create_lane(ff, "billing")
    assert rep[:3] == [1, "OK", "1"]
    at = rep[3]
    assert int(at) > 0
    assert create_lane(ff, "billing") == [1, "OK", "0", at]
    nxt, lanes = page(ff)
    assert nxt == ""
    assert lanes == [{"lane": "billing", "configured_at": at, "paused": "0", "paused_at": "", "reason": ""}]
    # the older listing sees it too
    assert ff.lanes()[2:] == ["billing"]


def test_lane_in_use_is_listed_without_configuration(ff):
    ff.create(lane="used")
    _, lanes = page(ff)
    assert lanes == [{"lane": "used", "configured_at": "", "paused": "0", "paused_at": "", "reason": ""}]


def test_listing_is_sorted_and_paged_by_exclusive_cursor(ff):
    names = ["b", "a", "c-2", "c-10", "Z", "m"]
    for n in names:
        create_lane(ff, n)
    ff.create(lane="k")
    want = sorted(names + ["k"])  # byte order
    got, cursor = [], ""
    while True:
        cursor, items = page(ff, cursor, 3)
        assert len(items) <= 3
        got += [i["lane"] for i in items]
        if cursor == "":
            break
        assert cursor == items[-1]["lane"]
    assert got == want
    # a page that ends exactly at the last lane says done
    cursor, items = page(ff, want[-4], 3)
    assert [i["lane"] for i in items] == want[-3:] and cursor == ""


def test_pause_stops_claims_keeps_order_and_resume_wakes(ff):
    a = ff.create_spaced()
    b = ff.create_spaced()
    rep = pause(ff, reason="db migration")
    assert rep[:3] == [1, "OK", "1"]
    at = rep[3]
    assert ff.claim_raw(n=2) == [1, "OK", "0"]
    # nothing moved: both still eligible, in order, state unchanged
    assert ff.r.zrange(ekey(ff), 0, -1) == [a.encode(), b.encode()]
    assert ff.st(a)[2:4] == ["eligible_now", "waiting_for_worker"]
    assert ff.public(a) == "waiting"
    # the documented view says who holds it
    st = snapshot_state(ff, a)
    assert st["eligibility_state"] == "blocked_by_operator"
    assert st["blocking_reason"] == "paused_by_operator"
    assert st["public_state"] == "waiting"
    _, lanes = page(ff)
    assert lanes == [{"lane": LANE, "configured_at": at, "paused": "1", "paused_at": at, "reason": "db migration"}]
    # pausing again keeps the first pause
    assert pause(ff, reason="other") == [1, "OK", "0", at]
    assert page(ff)[1][0]["reason"] == "db migration"
    p = subscribe(ff.r, "ff:wake:%s" % ff.tag)
    assert resume(ff) == [1, "OK", "1"]
    assert messages(p) == [LANE]
    assert [c.eid for c in ff.claim(n=2)] == [a, b]
    assert snapshot_state(ff, b)["eligibility_state"] == "not_applicable"
    assert resume(ff) == [1, "OK", "0"]


def test_resume_of_an_empty_lane_publishes_nothing(ff):
    pause(ff)
    p = subscribe(ff.r, "ff:wake:%s" % ff.tag)
    assert resume(ff) == [1, "OK", "1"]
    assert messages(p) == []


def test_pause_is_per_lane(ff):
    x = ff.create(lane="other")
    pause(ff, LANE)
    ff.create()
    assert ff.claim_raw() == [1, "OK", "0"]
    assert [c.eid for c in ff.claim(lane="other")] == [x]


def test_creating_work_on_a_paused_lane_keeps_it_waiting(ff):
    pause(ff)
    eid = ff.create()
    assert ff.index_state(eid) == "eligible"
    assert ff.claim_raw() == [1, "OK", "0"]
    resume(ff)
    assert ff.claim_one().eid == eid


def test_paused_lane_refuses_a_reclaim_grant_claim_writing_nothing(ff):
    eid = ff.create()
    c = ff.claim_one()
    assert ff.revoke(eid, c.lid)[:2] == [1, "OK"]
    token = new_uuid()
    assert ff.call("ff_reclaim_grant", [core_key(eid)], eid, "w9", token, "5000")[:2] == [1, "OK"]
    pause(ff)
    before = snapshot(ff.r)
    rep = ff.call("ff_claim_reclaim", [core_key(eid)], eid, token, "w9", "wi9", "", "30000",
                  new_uuid(), new_uuid())
    assert rep[:2] == [0, "lane_paused"], rep
    assert snapshot(ff.r) == before
    resume(ff)
    rep = ff.call("ff_claim_reclaim", [core_key(eid)], eid, token, "w9", "wi9", "", "30000",
                  new_uuid(), new_uuid())
    assert rep[:3] == [1, "OK", "1"], rep


def test_lost_leases_of_a_paused_lane_wait_for_resume(ff):
    eid = ff.create()
    c = ff.claim_one()
    ff.revoke(eid, c.lid)
    pause(ff)
    assert ff.claim_raw() == [1, "OK", "0"]
    resume(ff)
    assert ff.claim_one().atype == "reclaim"


def test_retention_keeps_configured_and_paused_lanes(ff):
    from test_engine import counters, sweep
    create_lane(ff, "kept")
    for lane in ("kept", "held", "gone"):
        ff.create(lane=lane)
        ff.complete(ff.claim_one(lane=lane))
    pause(ff, "held")
    assert counters(sweep(ff, retention=0))["retained"] == "3"
    assert [i["lane"] for i in page(ff)[1]] == ["held", "kept"]


@pytest.mark.parametrize("fn,args,err", [
    ("ff_lane_create", [""], "invalid_input"),
    ("ff_lane_create", ["x" * 65], "invalid_input"),
    ("ff_lane_create", ["a\nb"], "invalid_input"),
    ("ff_lane_pause", [LANE], "invalid_input"),
    ("ff_lane_pause", [LANE, "r" * 1025], "invalid_input"),
    ("ff_lane_resume", [LANE, "extra"], "invalid_input"),
])
def test_bad_input_writes_nothing(ff, fn, args, err):
    before = snapshot(ff.r)
    rep = ff.call(fn, [ekey(ff)], *args)
    assert rep[:2] == [0, err], rep
    assert snapshot(ff.r) == before


def test_wrong_key_is_refused(ff):
    before = snapshot(ff.r)
    assert ff.call("ff_lane_pause", [ekey(ff, "other")], LANE, "")[:2] == [0, "invalid_input"]
    assert ff.call("ff_lane_create", ["ff:i:%s:lanes" % ff.tag], LANE)[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_lane_page", [ekey(ff)], "", "10")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_lane_page", ["ff:i:%s:lanes" % ff.tag], "", "0")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_lane_page", ["ff:i:%s:lanes" % ff.tag], "a\tb", "10")[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before
