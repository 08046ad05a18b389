"""Operator calls: change_priority, replay, revoke (+ reclaim), boot, sweep."""

import time

import pytest

from ffhelpers import FF, core_key, lane_key, new_eid, new_uuid, snapshot


# --------------------------------------------------------- change_priority
def test_change_priority_rescores(ff):
    a = ff.create_spaced(pri=1)
    b = ff.create(pri=1)
    assert ff.change_priority(b, 50) == [1, "OK", "1", "50"]
    core = ff.core(b)
    assert core["pri"] == "50"
    assert ff.r.zscore(lane_key("{fp:0}", "default", "eligible"), b) == -50 * 10 ** 12 + int(core["created"])
    assert [c.eid for c in ff.claim(n=2)] == [b, a]


def test_change_priority_clamps(ff):
    e = ff.create(pri=3)
    assert ff.change_priority(e, 123456) == [1, "OK", "3", "9000"]
    assert ff.change_priority(e, -4) == [1, "OK", "9000", "0"]


def test_change_priority_delayed_keeps_delay_index(ff):
    e = ff.create(delay_until=ff.now_ms() + 3600_000)
    dl = ff.r.zscore(lane_key("{fp:0}", "default", "delayed"), e)
    assert ff.change_priority(e, 7) == [1, "OK", "0", "7"]
    assert ff.indexes_of(e) == [("default", "delayed")]
    assert ff.r.zscore(lane_key("{fp:0}", "default", "delayed"), e) == dl
    # promotion uses the new priority
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {e: 1})
    ff.r.hset(core_key(e), "caps", "unobtainable")
    assert ff.claim_raw() == [1, "OK", "0"]
    # (no worker can run it, so the claim that met it parked it, keeping
    # the eligible score: lib/78_route.lua)
    assert ff.r.zscore(lane_key("{fp:0}", "default", "route_blocked"), e) == -7 * 10 ** 12 + int(ff.core(e)["created"])


def test_change_priority_errors(ff):
    ghost = new_eid()
    assert ff.change_priority(ghost, 1) == [0, "execution_not_found"]
    e = ff.create()
    c = ff.claim_one()
    assert ff.change_priority(e, 5) == [0, "execution_not_eligible"]
    ff.complete(c)
    assert ff.change_priority(e, 5) == [0, "execution_not_eligible"]
    before = snapshot(ff.r)
    for bad in ["", "1.5", "x", "nan"]:
        assert ff.change_priority(e, bad)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before
    assert ff.core(e)["pri"] == "0"


# ------------------------------------------------------------------ replay
def test_replay_cycle(ff):
    e = ff.create(payload="in", deadline=ff.now_ms() + 3600_000)
    c = ff.claim_one()
    ff.complete(c, "out")
    assert ff.replay(e) == [1, "OK", "waiting"]
    core = ff.core(e)
    assert core["st"] == "runnable unowned eligible_now waiting_for_worker none pending_replay_attempt"
    assert core["replays"] == "1" and "ended" not in core and "deadline" not in core
    assert ff.indexes_of(e) == [("default", "eligible")]
    assert not ff.r.exists(core_key(e) + ":r")
    assert ff.result(e) == [0, "execution_not_terminal", "waiting"]
    c2 = ff.claim_one()
    assert (c2.eid, c2.atype, c2.ai, c2.epoch, c2.payload) == (e, "replay", "1", "2", "in")
    ff.fail(c2, reason="nope")
    assert ff.replay(e) == [1, "OK", "waiting"]
    core = ff.core(e)
    assert "reason" not in core and "cat" not in core
    c3 = ff.claim_one()
    ff.cancel_holder(c3)
    assert ff.replay(e) == [1, "OK", "waiting"]
    assert "cby" not in ff.core(e)
    assert ff.core(e)["replays"] == "3"


def test_replay_cap_default_and_policy(ff):
    e = ff.create(policy={"max_replay_count": 2})
    for _ in range(2):
        ff.cancel_op(e)
        assert ff.replay(e) == [1, "OK", "waiting"]
    ff.cancel_op(e)
    before = snapshot(ff.r)
    assert ff.replay(e) == [0, "max_replays_exhausted", "2"]
    assert snapshot(ff.r) == before
    e2 = ff.create()
    for _ in range(10):
        ff.cancel_op(e2)
        assert ff.replay(e2)[:2] == [1, "OK"]
    ff.cancel_op(e2)
    assert ff.replay(e2) == [0, "max_replays_exhausted", "10"]
    e3 = ff.create(policy={"max_replay_count": 0})
    ff.cancel_op(e3)
    assert ff.replay(e3) == [0, "max_replays_exhausted", "0"]


def test_replay_errors(ff):
    assert ff.replay(new_eid()) == [0, "execution_not_found"]
    e = ff.create()
    assert ff.replay(e) == [0, "execution_not_terminal"]
    ff.claim_one()
    assert ff.replay(e) == [0, "execution_not_terminal"]
    rep = ff.call("ff_replay", [core_key(e)], e, "extra")
    assert rep[:2] == [0, "invalid_input"]


def test_cancel_replay_does_not_match_after_replay(ff):
    e = ff.create()
    ff.cancel_op(e)
    ff.replay(e)
    assert ff.cancel_op(e) == [1, "OK", "cancelled", "runnable"]


# ------------------------------------------------------------------ revoke
def test_revoke_then_reclaim(ff):
    e = ff.create(pri=3, payload="p")
    c = ff.claim_one(wid="w1")
    assert ff.revoke(e, expected=c.lid, reason="node drain") == [1, "OK", "revoked", c.lid, "1"]
    core = ff.core(e)
    assert core["st"] == "active lease_revoked not_applicable waiting_for_worker none attempt_interrupted"
    assert "lid" not in core and core["epoch"] == "1"
    assert ff.indexes_of(e) == [("default", "eligible")]
    assert not ff.in_lease_expiry(e)
    assert ff.describe(e)["public"] == "active"
    rec = ff.describe(e)["attempts"][0]
    assert rec["state"] == "interrupted_reclaimed" and rec["failure_reason"] == "lease_revoked"
    assert rec["revoke_reason"] == "node drain" and rec["worker_id"] == "w1"
    # holder is fenced out
    assert ff.complete(c) == [0, "lease_revoked"]
    # repeat revoke
    before = snapshot(ff.r)
    assert ff.revoke(e) == [1, "ALREADY_SATISFIED", "already_revoked"]
    assert snapshot(ff.r) == before
    # reclaim: new attempt of type reclaim
    c2 = ff.claim_one(wid="w2")
    assert (c2.eid, c2.atype, c2.ai, c2.epoch, c2.payload) == (e, "reclaim", "1", "2", "p")
    assert c2.aid != c.aid
    core = ff.core(e)
    assert core["reclaims"] == "1" and core["att"] == "2" and core["aty"] == "reclaim"
    assert core["st"] == "active leased not_applicable none none running_attempt"
    assert ff.describe(e)["attempts"][0]["state"] == "interrupted_reclaimed"
    assert ff.complete(c) == [0, "stale_lease"]
    assert ff.complete(c2) == [1, "OK", "completed"]


def test_revoke_errors(ff):
    assert ff.revoke(new_eid()) == [0, "execution_not_found"]
    e = ff.create()
    assert ff.revoke(e) == [0, "execution_not_active", "none", "0", "runnable", ""]
    c = ff.claim_one()
    before = snapshot(ff.r)
    assert ff.revoke(e, expected=new_uuid()) == [0, "stale_lease"]
    assert ff.revoke(e, expected="junk")[:2] == [0, "invalid_input"]
    assert ff.revoke(e, reason="r" * 4097)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before
    ff.complete(c)
    assert ff.revoke(e) == [0, "execution_not_active", "success", "1", "terminal", c.aid]


def test_revoke_expired_lease(ff):
    e = ff.create()
    ff.claim_one()
    ff.r.hset(core_key(e), "lexp", "5")
    ff.r.zadd("ff:i:{fp:0}:lease_expiry", {e: 5})
    assert ff.revoke(e) == [1, "ALREADY_SATISFIED", "already_expired"]
    assert ff.core(e)["st"].split()[1] == "lease_expired_reclaimable"
    assert ff.revoke(e) == [1, "ALREADY_SATISFIED", "already_expired"]
    assert ff.index_state(e) == "eligible"


def test_reclaim_respects_caps(ff):
    e = ff.create(caps="gpu")
    ff.claim_one(caps="gpu")
    ff.revoke(e)
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.claim_one(caps="gpu").atype == "reclaim"


def test_max_reclaims_exceeded(ff):
    e = ff.create(policy={"max_reclaim_count": 2}, deadline=ff.now_ms() + 3600_000)
    ff.claim_one()
    for i in range(2):
        ff.revoke(e)
        c = ff.claim_one()
        assert c.atype == "reclaim" and c.epoch == str(i + 2)
    ff.revoke(e)
    assert ff.claim_raw() == [1, "OK", "0"]
    core = ff.core(e)
    assert core["st"] == "terminal unowned not_applicable none failed attempt_terminal"
    assert core["reason"] == "max_reclaims_exceeded" and core["reclaims"] == "2"
    assert ff.indexes_of(e) == [("default", "failed")]
    assert ff.r.zscore("ff:i:{fp:0}:deadline", e) is None
    assert ff.describe(e)["public"] == "failed"
    atts = ff.describe(e)["attempts"]
    assert sorted(atts) == [0, 1, 2]
    assert all(a["state"] == "interrupted_reclaimed" for a in atts.values())


def test_max_reclaims_from_timeout_policy_and_default(ff):
    e = ff.create(policy={"timeout_policy": {"max_reclaim_count": 1}})
    ff.claim_one()
    ff.revoke(e)
    assert ff.claim_one().atype == "reclaim"
    ff.revoke(e)
    assert ff.claim_raw() == [1, "OK", "0"]
    assert ff.core(e)["reason"] == "max_reclaims_exceeded"
    # default cap 100
    e2 = ff.create()
    ff.claim_one()
    ff.r.hset(core_key(e2), "reclaims", "99")
    ff.revoke(e2)
    assert ff.claim_one().atype == "reclaim"
    ff.revoke(e2)
    assert ff.claim_raw() == [1, "OK", "0"]
    assert ff.core(e2)["reason"] == "max_reclaims_exceeded"


def test_max_reclaims_terminal_does_not_block_batch(ff):
    e = ff.create_spaced(policy={"max_reclaim_count": 0})
    other = ff.create()
    ff.claim_one()
    ff.revoke(e)
    got = ff.claim(n=2)
    assert [c.eid for c in got] == [other]


def test_expired_lease_is_reclaimed_by_claim(ff):
    """Claim marks due leases of the partition expired, then reclaims."""
    e = ff.create(lane="a")
    c = ff.claim_one(lane="a", ttl=1000)
    time.sleep(1.2)
    # a claim on another lane marks it (moves it to lane a's eligible)
    assert ff.claim_raw(lane="b") == [1, "OK", "0"]
    assert ff.core(e)["st"].split()[1] == "lease_expired_reclaimable"
    assert ff.index_state(e) == "eligible"
    c2 = ff.claim_one(lane="a")
    assert (c2.atype, c2.epoch, c2.ai) == ("reclaim", "2", "1")
    assert ff.renew(c) == [0, "stale_lease"]


# -------------------------------------------------------------------- boot
def test_boot(ff):
    assert ff.boot(256, 4) == [1, "OK", "256", "4"]
    created = ff.r.hget("ff:config", "created_at")
    assert created
    assert ff.boot(16, 1) == [1, "OK", "256", "4"]
    assert ff.r.hget("ff:config", "created_at") == created


@pytest.mark.parametrize("parts,shards", [("0", "1"), ("1", "0"), ("x", "1"), ("1", "1.5"), ("65537", "1"), ("", "")])
def test_boot_bad_input(ff, parts, shards):
    before = snapshot(ff.r)
    assert ff.boot(parts, shards)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_boot_wrong_key(ff):
    assert ff.call("ff_boot", ["ff:other"], "1", "1")[:2] == [0, "invalid_input"]


# ------------------------------------------------------------------- sweep
def test_sweep_nothing_due(ff):
    ff.create()
    ff.claim_one()
    # the engine sweep records itself in the partition's due record; nothing
    # else may change
    def but_due():
        return {k: v for k, v in snapshot(ff.r).items() if not k.endswith(b":due")}
    before = but_due()
    assert ff.sweep() == [1, "OK", "0", "0", "0"]
    assert but_due() == before


def test_sweep_lease_expiry(ff):
    e = ff.create()
    ff.claim_one(ttl=1000)
    time.sleep(1.2)
    assert ff.sweep() == [1, "OK", "1", "0", "0"]
    assert ff.core(e)["st"].split()[1] == "lease_expired_reclaimable"
    assert ff.sweep() == [1, "OK", "0", "0", "0"]


def test_sweep_attempt_timeout(ff):
    e = ff.create(policy={"timeout_policy": {"attempt_timeout_ms": 3600_000}})
    c = ff.claim_one()
    ff.r.hset(core_key(e), "atdl", "10")
    ff.r.zadd("ff:i:{fp:0}:attempt_timeout", {e: 10})
    assert ff.sweep() == [1, "OK", "0", "1", "0"]
    core = ff.core(e)
    assert core["st"] == "terminal unowned not_applicable none expired attempt_terminal"
    assert core["reason"] == "attempt_timeout"
    assert ff.indexes_of(e) == [("default", "expired")]
    rec = ff.describe(e)["attempts"][0]
    assert rec["state"] == "ended_failure" and rec["failure_reason"] == "attempt_timeout"
    assert ff.describe(e)["public"] == "expired"
    assert ff.complete(c)[:3] == [0, "execution_not_active", "expired"]


def test_sweep_deadline(ff):
    now = ff.now_ms()
    waiting = ff.create(deadline=now + 3600_000)
    delayed = ff.create(deadline=now + 3600_000, delay_until=now + 3600_000)
    running = ff.create(deadline=now + 3600_000, pri=10)
    later = ff.create(deadline=now + 3600_000, lane="other")
    c = ff.claim_one()
    assert c.eid == running
    for e in (waiting, delayed, running):
        ff.r.hset(core_key(e), "deadline", "20")
        ff.r.zadd("ff:i:{fp:0}:deadline", {e: 20})
    assert ff.sweep() == [1, "OK", "0", "0", "3"]
    for e in (waiting, delayed, running):
        assert ff.index_state(e) == "expired"
        assert ff.core(e)["reason"] == "execution_deadline"
    assert ff.index_state(later) == "eligible"
    assert ff.describe(running)["attempts"][0]["state"] == "ended_failure"
    assert ff.describe(waiting)["attempts"] == {}
    assert ff.complete(c)[:3] == [0, "execution_not_active", "expired"]


def test_sweep_cleans_stale_entries(ff):
    ghost = new_eid()
    e = ff.create()
    for z in ("lease_expiry", "attempt_timeout", "deadline"):
        ff.r.zadd("ff:i:{fp:0}:" + z, {ghost: 1, e: 1})
    assert ff.sweep() == [1, "OK", "0", "0", "0"]
    for z in ("lease_expiry", "attempt_timeout", "deadline"):
        assert ff.r.zcard("ff:i:{fp:0}:" + z) == 0


def test_sweep_limit_and_validation(ff):
    for _ in range(3):
        ff.create()
    ff.claim(n=3, ttl=1000)
    time.sleep(1.2)
    assert ff.sweep(limit=2) == [1, "OK", "2", "0", "0"]
    assert ff.sweep(limit=2) == [1, "OK", "1", "0", "0"]
    for bad in ["0", "1001", "x"]:
        assert ff.sweep(limit=bad)[:2] == [0, "invalid_input"]
    assert ff.call("ff_engine_sweep", ["ff:i:{fp:0}:all"], "e", "1", "0")[:2] == [0, "invalid_input"]
