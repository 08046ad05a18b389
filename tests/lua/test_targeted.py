"""Targeted claims of one named execution (lua/reclaim.lua): ff_claim_resumed
(a worker resumes one interrupted attempt) and ff_grant_and_claim (an
operator leases one execution to a named worker, whatever attempt it
starts). Every refusal is checked to write nothing; the invariant checker
runs after each test."""

import time

import pytest

from ffhelpers import Sig, core_key, lane_key, new_eid, new_uuid, read_core, snapshot

LANE = "default"


def claim_resumed(ff, eid, wid="w7", wiid="wi7", caps="", ttl=30000, lid=None, key=None):
    return ff.call("ff_claim_resumed", [key or core_key(eid)], eid, wid, wiid, caps, str(ttl),
                   lid or new_uuid())


def grant_and_claim(ff, eid, wid="w7", wiid="wi7", caps="", ttl=30000, lid=None, aid=None):
    return ff.call("ff_grant_and_claim", [core_key(eid)], eid, wid, wiid, caps, str(ttl),
                   lid or new_uuid(), aid or new_uuid())


def one(rep):
    """The single claim of a targeted claim reply, as a dict."""
    assert rep[:3] == [1, "OK", "1"] and len(rep) == 14, rep
    names = ["eid", "ai", "aid", "atype", "lid", "epoch", "exp", "kind", "ns", "payload", "lane"]
    return dict(zip(names, rep[3:]))


def interrupted(ff, until=0, **kw):
    """An execution whose first attempt was given back (ff_delay): runnable,
    attempt_interrupted; eligible now when `until` has passed."""
    eid = ff.create(**kw)
    c = ff.claim_one(caps=kw.get("caps", ""))
    assert ff.delay(c, until)[:2] == [1, "OK"]
    return c


def refused(ff, call, code):
    """call() returns the typed error `code` and writes nothing."""
    before = snapshot(ff.r)
    rep = call()
    assert rep[:2] == [0, code], rep
    assert snapshot(ff.r) == before
    return rep


def create_quota(ff, cap=0, rate=0, win=0):
    key = lane_key(ff.tag, LANE, "eligible")
    assert ff.call("ff_create_quota", [key], LANE, "q1", str(rate), str(win), str(cap))[:2] == [1, "OK"]


def pause_lane(ff, lane=LANE):
    # the lane-pause call is built elsewhere; its stored record is enough here
    ff.r.hset("ff:i:%s:lanes_paused" % ff.tag, lane, '{"at":1,"reason":"x"}')


def mark_budget(ff, bid="b1", state="1"):
    rep = ff.call("ff_budget_mark", ["ff:i:%s:budget_marks" % ff.tag], bid, "1", state, "1000")
    assert rep[:3] == [1, "OK", "marked"], rep


# ------------------------------------------------------------ claim_resumed

def test_claim_resumed_keeps_the_attempt_and_bumps_the_epoch(ff):
    c = interrupted(ff, payload="in", policy={"timeout_policy": {"attempt_timeout_ms": 60000}})
    assert "atrem" in ff.core(c.eid)
    cl = one(claim_resumed(ff, c.eid, wid="w7"))
    assert (cl["eid"], cl["ai"], cl["aid"], cl["atype"]) == (c.eid, c.ai, c.aid, "resumed")
    assert int(cl["epoch"]) == int(c.epoch) + 1
    assert cl["payload"] == "in" and cl["lane"] == LANE
    core = ff.core(c.eid)
    assert core["st"].startswith("active leased") and core["wid"] == "w7" and core["lid"] == cl["lid"]
    assert "atrem" not in core and int(core["atdl"]) <= ff.now_ms() + 60000
    assert ff.indexes_of(c.eid) == [(LANE, "active")]
    assert ff.in_lease_expiry(c.eid)
    # the paused attempt runs again under the new lease
    att = ff.describe(c.eid)["attempts"]
    assert list(att) == [0] and att[0]["state"] == "started" and att[0]["lease_epoch"] == int(cl["epoch"])
    # the new lease works like any other
    lid, ep = cl["lid"], cl["epoch"]
    assert ff.call("ff_complete", [core_key(c.eid)], c.eid, lid, ep, cl["aid"], "ok")[:2] == [1, "OK"]


def test_claim_resumed_after_a_signal(ff):
    sg = Sig(ff)
    assert sg.secret_init()[:2] == [1, "OK"]
    ff.create()
    c = ff.claim_one()
    wp = new_uuid()
    spec = {"waitpoints": [{"id": wp, "key": "k"}], "condition": {"single": {"key": "k"}}}
    status, _, wps = sg.suspend(c, spec)
    assert status == "suspended"
    refused(ff, lambda: claim_resumed(ff, c.eid), "execution_not_leaseable")
    assert sg.signal(c.eid, wp, wps[0][2])[3] == "resume_condition_satisfied"
    cl = one(claim_resumed(ff, c.eid))
    assert (cl["ai"], cl["aid"], cl["atype"], int(cl["epoch"])) == (c.ai, c.aid, "resumed", int(c.epoch) + 1)


def test_claim_resumed_of_a_due_delay(ff):
    # a delay whose time has passed counts as eligible (ff_claim would promote it)
    c = interrupted(ff, until=ff.now_ms() + 3600_000)
    ff.r.hset(core_key(c.eid), "dl", "1")
    ff.r.zadd(lane_key(ff.tag, LANE, "delayed"), {c.eid: 1})
    cl = one(claim_resumed(ff, c.eid))
    assert cl["atype"] == "resumed"
    assert ff.indexes_of(c.eid) == [(LANE, "active")]
    assert "dl" not in ff.core(c.eid)


def test_claim_resumed_typed_errors(ff):
    refused(ff, lambda: claim_resumed(ff, new_eid()), "execution_not_found")
    fresh = ff.create()
    refused(ff, lambda: claim_resumed(ff, fresh), "not_a_resumed_execution")
    c = ff.claim_one()
    assert c.eid == fresh
    refused(ff, lambda: claim_resumed(ff, fresh), "execution_not_leaseable")  # active
    assert ff.complete(c)[:2] == [1, "OK"]
    refused(ff, lambda: claim_resumed(ff, fresh), "execution_not_leaseable")  # terminal
    assert ff.replay(fresh)[:2] == [1, "OK"]
    refused(ff, lambda: claim_resumed(ff, fresh), "not_a_resumed_execution")  # a replay
    later = interrupted(ff, until=ff.now_ms() + 3600_000)
    rep = refused(ff, lambda: claim_resumed(ff, later.eid), "execution_not_eligible")
    assert rep[2] == "not_eligible_until_time"


def test_claim_resumed_capability_mismatch(ff):
    c = interrupted(ff, caps="gpu")
    rep = refused(ff, lambda: claim_resumed(ff, c.eid, caps="cpu"), "capability_mismatch")
    assert rep[2] == "gpu"
    assert one(claim_resumed(ff, c.eid, caps="cpu,gpu"))["atype"] == "resumed"


def test_claim_resumed_on_a_paused_lane(ff):
    c = interrupted(ff)
    pause_lane(ff)
    assert refused(ff, lambda: claim_resumed(ff, c.eid), "lane_paused")[2] == LANE


def test_claim_resumed_of_a_blocked_budget(ff):
    c = interrupted(ff, policy={"budgets": ["b1"]})
    mark_budget(ff)
    assert refused(ff, lambda: claim_resumed(ff, c.eid), "budget_exceeded")[2] == "b1"


def test_claim_resumed_honours_the_quota_cap(ff):
    create_quota(ff, cap=1)
    c = interrupted(ff, policy={"group": "A"})
    ff.create(policy={"group": "A"}, pri=5)  # ahead of the interrupted one
    holder = ff.claim_one(wid="w1")  # takes the group's one slot
    assert holder.eid != c.eid and holder.atype == "initial"
    refused(ff, lambda: claim_resumed(ff, c.eid), "concurrency_limit_exceeded")
    assert ff.complete(holder)[:2] == [1, "OK"]
    cl = one(claim_resumed(ff, c.eid))
    assert ff.r.sismember("ff:q:%s:%d:%s:g:A:h" % (ff.tag, len(LANE), LANE), c.eid)
    assert ff.core(c.eid)["qh"].endswith(":g:A:h") and cl["atype"] == "resumed"


def test_claim_resumed_bad_input_writes_nothing(ff):
    c = interrupted(ff)
    eid = c.eid
    bad = [
        lambda: ff.call("ff_claim_resumed", [core_key(eid)], eid, "w", "wi", "", "30000"),  # arity
        lambda: claim_resumed(ff, eid, wid=""),
        lambda: claim_resumed(ff, eid, wid="x" * 257),
        lambda: claim_resumed(ff, eid, wiid=""),
        lambda: claim_resumed(ff, eid, ttl=0),
        lambda: claim_resumed(ff, eid, ttl="x"),
        lambda: claim_resumed(ff, eid, lid="not-a-uuid"),
        lambda: claim_resumed(ff, eid, key=core_key(new_eid())),
        lambda: claim_resumed(ff, eid.upper()),
    ]
    for call in bad:
        refused(ff, call, "invalid_input")
    refused(ff, lambda: claim_resumed(ff, eid, caps="a,,b"), "invalid_capabilities")
    assert ff.core(eid)["st"].startswith("runnable")


# ---------------------------------------------------------- grant_and_claim

def test_grant_and_claim_fresh(ff):
    eid = ff.create(payload="p", caps="gpu")
    other = ff.create()
    aid = new_uuid()
    cl = one(grant_and_claim(ff, eid, wid="w7", caps="gpu", aid=aid))
    assert (cl["eid"], cl["ai"], cl["aid"], cl["atype"], cl["epoch"]) == (eid, "0", aid, "initial", "1")
    assert cl["payload"] == "p"
    assert ff.core(eid)["wid"] == "w7"
    assert ff.indexes_of(eid) == [(LANE, "active")]
    assert ff.indexes_of(other) == [(LANE, "eligible")]
    assert ff.r.sismember("ff:wh:%s:w7" % ff.tag, eid)


def test_grant_and_claim_retry(ff):
    eid = ff.create(policy={"retry_policy": {"max_retries": 2, "backoff": {"type": "fixed", "delay_ms": 3600_000}}})
    c = ff.claim_one()
    assert ff.fail(c, cat="transient")[2] == "retry_scheduled"
    refused(ff, lambda: grant_and_claim(ff, eid), "execution_not_eligible")  # backoff not over
    ff.r.hset(core_key(eid), "dl", "1")
    ff.r.zadd(lane_key(ff.tag, LANE, "delayed"), {eid: 1})
    cl = one(grant_and_claim(ff, eid))
    assert (cl["ai"], cl["atype"], cl["epoch"]) == ("1", "retry", "2")
    assert ff.indexes_of(eid) == [(LANE, "active")]


def test_grant_and_claim_replay(ff):
    eid = ff.create()
    assert ff.complete(ff.claim_one())[:2] == [1, "OK"]
    refused(ff, lambda: grant_and_claim(ff, eid), "execution_not_leaseable")  # terminal
    assert ff.replay(eid)[:2] == [1, "OK"]
    cl = one(grant_and_claim(ff, eid))
    assert (cl["ai"], cl["atype"]) == ("1", "replay")


def test_grant_and_claim_resumes_an_interrupted_attempt(ff):
    c = interrupted(ff)
    cl = one(grant_and_claim(ff, c.eid, aid=new_uuid()))
    assert (cl["ai"], cl["aid"], cl["atype"], int(cl["epoch"])) == (c.ai, c.aid, "resumed", int(c.epoch) + 1)


def test_grant_and_claim_of_a_revoked_lease(ff):
    eid = ff.create()
    c = ff.claim_one()
    refused(ff, lambda: grant_and_claim(ff, eid), "lease_conflict")
    assert ff.revoke(eid)[2] == "revoked"
    cl = one(grant_and_claim(ff, eid))
    assert (cl["ai"], cl["atype"], int(cl["epoch"])) == ("1", "reclaim", int(c.epoch) + 1)
    core = ff.core(eid)
    assert core["reclaims"] == "1" and core["wid"] == "w7"
    assert ff.indexes_of(eid) == [(LANE, "active")]
    assert ff.complete(c)[:2] == [0, "stale_lease"]


def test_grant_and_claim_of_an_expired_unnoticed_lease(ff):
    create_quota(ff, cap=1)
    eid = ff.create(policy={"group": "A"})
    c = ff.claim_one(ttl=1)
    while ff.now_ms() <= int(c.exp):
        time.sleep(0.002)
    # no sweep ran: the core still says leased, and the lease still holds
    # the group's one slot, which this call frees for itself
    assert read_core(ff.r, eid)["st"].startswith("active leased")
    cl = one(grant_and_claim(ff, eid))
    assert cl["atype"] == "reclaim" and int(cl["epoch"]) == int(c.epoch) + 1
    att = ff.describe(eid)["attempts"][0]
    assert att["state"] == "interrupted_reclaimed" and att["failure_reason"] == "lease_expired"
    assert ff.core(eid)["qh"].endswith(":g:A:h")


def test_grant_and_claim_at_the_reclaim_cap_fails_the_execution(ff):
    eid = ff.create(policy={"max_reclaim_count": 0})
    ff.claim_one()
    ff.revoke(eid)
    assert grant_and_claim(ff, eid)[:3] == [0, "max_retries_exhausted", "0"]
    core = ff.core(eid)
    assert core["st"].split()[4] == "failed" and core["reason"] == "max_reclaims_exceeded"


def test_grant_and_claim_respects_another_workers_grant(ff):
    eid = ff.create()
    ff.claim_one()
    ff.revoke(eid)
    token = new_uuid()
    assert ff.call("ff_reclaim_grant", [core_key(eid)], eid, "w9", token, "60000")[:2] == [1, "OK"]
    assert refused(ff, lambda: grant_and_claim(ff, eid, wid="w7"), "grant_already_exists")[2] == "w9"
    # the granted worker itself may take it this way; the grant is consumed
    cl = one(grant_and_claim(ff, eid, wid="w9"))
    assert cl["atype"] == "reclaim"
    assert ff.core(eid).get("rg") is None


def test_grant_and_claim_typed_errors(ff):
    refused(ff, lambda: grant_and_claim(ff, new_eid()), "execution_not_found")
    sg = Sig(ff)
    assert sg.secret_init()[:2] == [1, "OK"]
    ff.create()
    c = ff.claim_one()
    spec = {"waitpoints": [{"id": new_uuid(), "key": "k"}], "condition": {"single": {"key": "k"}}}
    assert sg.suspend(c, spec)[0] == "suspended"
    assert refused(ff, lambda: grant_and_claim(ff, c.eid), "execution_not_leaseable")[2] == "suspended"
    later = ff.create(delay_ms=3600_000)
    refused(ff, lambda: grant_and_claim(ff, later), "execution_not_eligible")
    gpu = ff.create(caps="gpu")
    refused(ff, lambda: grant_and_claim(ff, gpu, caps="cpu"), "capability_mismatch")
    budgeted = ff.create(policy={"budgets": ["b1"]})
    mark_budget(ff)
    assert refused(ff, lambda: grant_and_claim(ff, budgeted), "budget_exceeded")[2] == "b1"
    pause_lane(ff)
    refused(ff, lambda: grant_and_claim(ff, gpu, caps="gpu"), "lane_paused")


def test_grant_and_claim_honours_the_quota_cap(ff):
    create_quota(ff, cap=1)
    a = ff.create(policy={"group": "A"})
    b = ff.create(policy={"group": "A"})
    held = one(grant_and_claim(ff, a))
    refused(ff, lambda: grant_and_claim(ff, b), "concurrency_limit_exceeded")
    lid, ep, aid = held["lid"], held["epoch"], held["aid"]
    assert ff.call("ff_complete", [core_key(a)], a, lid, ep, aid, "")[:2] == [1, "OK"]
    assert one(grant_and_claim(ff, b))["atype"] == "initial"


def test_grant_and_claim_of_route_blocked_work(ff):
    # no live worker of the lane can run it: a plain claim parks it in route_blocked
    eid = ff.create(caps="gpu")
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    if ff.index_state(eid) != "route_blocked":
        pytest.skip("the registry kept it eligible")
    cl = one(grant_and_claim(ff, eid, caps="gpu"))
    assert cl["atype"] == "initial"
    assert ff.indexes_of(eid) == [(LANE, "active")]
    assert not ff.r.exists("ff:rq:%s:%d:%s:gpu" % (ff.tag, len(LANE), LANE))


def test_grant_and_claim_bad_input_writes_nothing(ff):
    eid = ff.create()
    bad = [
        lambda: ff.call("ff_grant_and_claim", [core_key(eid)], eid, "w", "wi", "", "30000", new_uuid()),
        lambda: grant_and_claim(ff, eid, wid=""),
        lambda: grant_and_claim(ff, eid, wiid="x" * 300),
        lambda: grant_and_claim(ff, eid, ttl=86400001),
        lambda: grant_and_claim(ff, eid, lid="x"),
        lambda: grant_and_claim(ff, eid, aid="y"),
        lambda: grant_and_claim(ff, "nope"),
    ]
    for call in bad:
        refused(ff, call, "invalid_input")
    assert ff.indexes_of(eid) == [(LANE, "eligible")]


def test_grant_and_claim_of_quota_parked_work(ff):
    create_quota(ff, rate=1, win=3600_000)
    first = ff.create_spaced(policy={"group": "A"})
    parked = ff.create(policy={"group": "A"})
    assert [c.eid for c in ff.claim(n=2)] == [first]  # the window's one start
    assert ff.index_state(parked) == "budget_blocked"
    assert refused(ff, lambda: grant_and_claim(ff, parked), "rate_limit_exceeded")[2] != "0"
    # the window has room again (as if its timer were due) before any timer ran
    bk = "ff:q:%s:%d:%s:g:A" % (ff.tag, len(LANE), LANE)
    ff.r.delete(bk + ":w")
    cl = one(grant_and_claim(ff, parked))
    assert cl["atype"] == "initial"
    assert ff.indexes_of(parked) == [(LANE, "active")]
    assert ff.r.zscore(bk + ":b", parked) is None and "qp" not in ff.core(parked)


def test_grant_and_claim_moves_the_lanes_fair_clock(ff):
    # as a plain claim does (lib/58_quota.lua): the fair tag leased becomes
    # the lane's clock, so groups that arrive later are not put behind it
    create_quota(ff, cap=5)
    eid = ff.create(policy={"group": "A"})
    vt = int(ff.core(eid)["vt"])
    ck = "ff:q:%s:%d:%s:vclock" % (ff.tag, len(LANE), LANE)
    ff.r.delete(ck)
    one(grant_and_claim(ff, eid))
    assert int(ff.r.get(ck)) == vt
