"""Lease-bound calls: fence checks, renew, progress, complete, cancel, delay."""

import time

import pytest

from ffhelpers import core_key, lane_key, new_eid, new_uuid, snapshot


def leased(ff, **kw):
    ff.create(**kw)
    return ff.claim_one()


# ------------------------------------------------------------------ fences
FENCED = ["renew", "progress", "complete", "fail", "delay", "cancel_holder"]


def call_fenced(ff, name, c, fence):
    if name == "renew":
        return ff.renew(c, fence=fence)
    if name == "progress":
        return ff.progress(c, pct=5, fence=fence)
    if name == "complete":
        return ff.complete(c, "r", fence=fence)
    if name == "fail":
        return ff.fail(c, fence=fence)
    if name == "delay":
        return ff.delay(c, ff.now_ms() + 3600_000, fence=fence)
    if name == "cancel_holder":
        return ff.cancel_holder(c, fence=fence)
    raise AssertionError(name)


@pytest.mark.parametrize("name", FENCED)
def test_fence_required(ff, name):
    c = leased(ff)
    before = snapshot(ff.r)
    assert call_fenced(ff, name, c, ("", "", "")) == [0, "fence_required"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("name", FENCED)
@pytest.mark.parametrize("which", [0, 1, 2])
def test_partial_fence(ff, name, which):
    c = leased(ff)
    fence = list(c.fence)
    fence[which] = ""
    before = snapshot(ff.r)
    assert call_fenced(ff, name, c, tuple(fence)) == [0, "partial_fence_triple"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("name", FENCED)
def test_malformed_fence(ff, name):
    c = leased(ff)
    before = snapshot(ff.r)
    for fence in [(c.lid, "x", c.aid), (c.lid, "-1", c.aid), ("nope", c.epoch, c.aid),
                  (c.lid, c.epoch, c.aid + "0"), (c.lid, "1.0", c.aid), (c.lid, "", "")]:
        rep = call_fenced(ff, name, c, fence)
        expect = "partial_fence_triple" if fence[2] == "" else "invalid_input"
        assert rep[:2] == [0, expect], (fence, rep)
    # ids of the right length are only compared: a malformed one is a stale fence
    assert call_fenced(ff, name, c, (c.lid, c.epoch, c.aid.upper())) == [0, "stale_lease"]
    assert call_fenced(ff, name, c, ("x" * 36, c.epoch, c.aid)) == [0, "stale_lease"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("name", FENCED)
def test_stale_lease(ff, name):
    c = leased(ff)
    before = snapshot(ff.r)
    for fence in [(new_uuid(), c.epoch, c.aid), (c.lid, "2", c.aid), (c.lid, "0", c.aid),
                  (c.lid, c.epoch, new_uuid())]:
        assert call_fenced(ff, name, c, fence) == [0, "stale_lease"], fence
    assert snapshot(ff.r) == before
    assert ff.index_state(c.eid) == "active"


@pytest.mark.parametrize("name", FENCED)
def test_execution_not_found(ff, name):
    c = leased(ff)
    ghost = new_eid()
    from ffhelpers import Claim
    g = Claim(ghost, "0", c.aid, "initial", c.lid, "1", c.exp, "", "", "", "default")
    before = snapshot(ff.r)
    assert call_fenced(ff, name, g, g.fence) == [0, "execution_not_found"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("name", FENCED)
def test_execution_not_active_details(ff, name):
    eid = ff.create()
    c = ff.claim_one()
    ff.cancel_op(eid)
    before = snapshot(ff.r)
    rep = call_fenced(ff, name, c, c.fence)
    if name == "cancel_holder":
        # cancelled by operator: not a replay of a holder cancel
        assert rep == [0, "execution_not_active", "cancelled", "1", "terminal", c.aid]
    else:
        assert rep == [0, "execution_not_active", "cancelled", "1", "terminal", c.aid]
    assert snapshot(ff.r) == before


def test_not_active_when_runnable(ff):
    eid = ff.create()
    from ffhelpers import Claim
    g = Claim(eid, "0", new_uuid(), "initial", new_uuid(), "1", "0", "", "", "", "default")
    assert ff.renew(g) == [0, "execution_not_active", "none", "0", "runnable", ""]


@pytest.mark.parametrize("name", FENCED)
def test_lease_revoked(ff, name):
    c = leased(ff)
    assert ff.revoke(c.eid)[:3] == [1, "OK", "revoked"]
    before = snapshot(ff.r)
    assert call_fenced(ff, name, c, c.fence) == [0, "lease_revoked"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("name", FENCED)
def test_lease_expired_marks_reclaimable(ff, name):
    c = leased(ff, pri=4)
    # make the lease expired as a state fact (no sleeping)
    ff.r.hset(core_key(c.eid), "lexp", "1000")
    ff.r.zadd("ff:i:{fp:0}:lease_expiry", {c.eid: 1000})
    assert call_fenced(ff, name, c, c.fence) == [0, "lease_expired"]
    core = ff.core(c.eid)
    assert core["st"] == "active lease_expired_reclaimable not_applicable waiting_for_worker none attempt_interrupted"
    assert "lid" not in core and "lexp" not in core and "wid" not in core
    assert core["epoch"] == "1"
    assert ff.indexes_of(c.eid) == [("default", "eligible")]
    assert not ff.in_lease_expiry(c.eid)
    assert ff.describe(c.eid)["public"] == "active"
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["state"] == "interrupted_reclaimed" and rec["failure_reason"] == "lease_expired"
    assert rec["worker_id"] == "w1" and rec["lease_epoch"] == 1
    # a second call now reports lease_expired without writing
    before = snapshot(ff.r)
    assert call_fenced(ff, name, c, c.fence) == [0, "lease_expired"]
    assert snapshot(ff.r) == before


def test_real_lease_expiry(ff):
    """TTL 1000 ms, sleep 1.2 s: expiry is a state fact, not a speed measurement."""
    c = leased(ff)
    ff.renew(c, ttl=1000)
    time.sleep(1.2)
    assert ff.complete(c, "x") == [0, "lease_expired"]
    c2 = ff.claim_one(wid="w2")
    assert c2.eid == c.eid and c2.atype == "reclaim" and c2.epoch == "2" and c2.ai == "1"


# ------------------------------------------------------------------- renew
def test_renew(ff):
    c = leased(ff)
    now = ff.now_ms()
    rep = ff.renew(c, ttl=60000)
    assert rep[:2] == [1, "OK"]
    exp = int(rep[2])
    assert abs(exp - (now + 60000)) < 60000
    core = ff.core(c.eid)
    assert core["lexp"] == rep[2] and core["lren"]
    assert ff.r.zscore("ff:i:{fp:0}:lease_expiry", c.eid) == exp
    # active index keeps the claim-time score (membership only)
    assert ff.r.zscore(lane_key("{fp:0}", "default", "active"), c.eid) == int(c.exp)
    assert core["epoch"] == "1"


@pytest.mark.parametrize("ttl", ["0", "-1", "abc", "1.5", "86400001", ""])
def test_renew_bad_ttl(ff, ttl):
    c = leased(ff)
    before = snapshot(ff.r)
    assert ff.renew(c, ttl=ttl)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


# ---------------------------------------------------------------- progress
def test_progress(ff):
    c = leased(ff)
    assert ff.progress(c, pct=40, msg="working") == [1, "OK"]
    core = ff.core(c.eid)
    assert core["pct"] == "40" and core["pmsg"] == "working" and core["pts"]
    assert ff.progress(c, pct="", msg="") == [1, "OK"]
    core = ff.core(c.eid)
    assert core["pct"] == "40" and core["pmsg"] == "working"


@pytest.mark.parametrize("pct,msg", [("101", ""), ("-1", ""), ("5.5", ""), ("x", ""), ("1", "m" * 1025)])
def test_progress_bad_input(ff, pct, msg):
    c = leased(ff)
    before = snapshot(ff.r)
    assert ff.progress(c, pct=pct, msg=msg)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_progress_cleared_on_new_attempt(ff):
    c = leased(ff, policy={"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 0}}})
    ff.progress(c, pct=50, msg="half")
    assert ff.fail(c)[2] == "retry_scheduled"
    c2 = ff.claim_one()
    core = ff.core(c2.eid)
    assert "pct" not in core and "pmsg" not in core and "pts" not in core


# ---------------------------------------------------------------- complete
def test_complete(ff):
    c = leased(ff, deadline=ff.now_ms() + 3600_000)
    assert ff.complete(c, "result-bytes") == [1, "OK", "completed"]
    core = ff.core(c.eid)
    assert core["st"] == "terminal unowned not_applicable none success attempt_terminal"
    assert core["epoch"] == "1" and core["aid"] == c.aid and core["ended"]
    assert "lid" not in core and "lexp" not in core
    assert ff.indexes_of(c.eid) == [("default", "completed")]
    assert ff.r.zscore(lane_key("{fp:0}", "default", "completed"), c.eid) == int(core["ended"])
    assert not ff.in_lease_expiry(c.eid)
    assert ff.r.zscore("ff:i:{fp:0}:deadline", c.eid) is None
    d = ff.describe(c.eid)
    assert d["public"] == "completed" and d["has_result"] == "1"
    rec = d["attempts"][0]
    assert rec == {"index": 0, "id": c.aid, "type": "initial", "state": "ended_success",
                   "started_at": int(core["astart"]), "ended_at": int(core["ended"]),
                   "lease_epoch": 1, "worker_id": "w1", "worker_instance_id": "wi1"}
    assert ff.result(c.eid) == [1, "OK", "result-bytes"]


def test_complete_empty_result(ff):
    c = leased(ff)
    assert ff.complete(c, "") == [1, "OK", "completed"]
    assert not ff.r.exists(core_key(c.eid) + ":r")
    assert ff.result(c.eid) == [1, "OK", ""]


def test_complete_replay(ff):
    c = leased(ff)
    assert ff.complete(c, "a") == [1, "OK", "completed"]
    before = snapshot(ff.r)
    assert ff.complete(c, "a") == [1, "OK", "completed", "replayed"]
    assert snapshot(ff.r) == before
    # a different attempt id / epoch is not a replay
    assert ff.complete(c, fence=(c.lid, "2", c.aid))[:2] == [0, "execution_not_active"]
    assert ff.complete(c, fence=(c.lid, c.epoch, new_uuid()))[:2] == [0, "execution_not_active"]


def test_complete_after_fail_is_not_replay(ff):
    c = leased(ff)
    assert ff.fail(c) == [1, "OK", "terminal_failed"]
    assert ff.complete(c) == [0, "execution_not_active", "failed", "1", "terminal", c.aid]


# ------------------------------------------------------------------ cancel
def test_cancel_by_holder(ff):
    c = leased(ff)
    assert ff.cancel_holder(c, reason="user") == [1, "OK", "cancelled", "active"]
    core = ff.core(c.eid)
    assert core["st"] == "terminal unowned not_applicable none cancelled attempt_terminal"
    assert core["cby"] == "lease_holder" and core["creason"] == "user"
    assert ff.indexes_of(c.eid) == [("default", "cancelled")]
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["state"] == "ended_cancelled" and rec["failure_reason"] == "user"
    # replay by the same holder
    before = snapshot(ff.r)
    assert ff.cancel_holder(c) == [1, "OK", "cancelled", "terminal"]
    assert snapshot(ff.r) == before
    # other fence / operator: not a replay
    assert ff.cancel_holder(c, fence=(c.lid, "5", c.aid))[:2] == [0, "execution_not_active"]
    assert ff.cancel_op(c.eid)[:2] == [0, "execution_not_active"]


def test_cancel_by_operator_from_each_state(ff):
    now = ff.now_ms()
    waiting = ff.create()
    delayed = ff.create(delay_until=now + 3600_000, deadline=now + 7200_000)
    assert ff.cancel_op(waiting) == [1, "OK", "cancelled", "runnable"]
    assert ff.cancel_op(delayed) == [1, "OK", "cancelled", "runnable"]
    assert ff.core(waiting)["st"] == "terminal unowned not_applicable none cancelled pending_first_attempt"
    assert ff.r.zscore("ff:i:{fp:0}:deadline", delayed) is None
    c = leased(ff, policy={"timeout_policy": {"attempt_timeout_ms": 3600_000}})
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", c.eid) is not None
    assert ff.cancel_op(c.eid, reason="ops") == [1, "OK", "cancelled", "active"]
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", c.eid) is None
    assert "atdl" not in ff.core(c.eid)
    assert ff.describe(c.eid)["attempts"][0]["state"] == "ended_cancelled"
    for e in (waiting, delayed, c.eid):
        assert ff.index_state(e) == "cancelled"
        assert ff.core(e)["cby"] == "operator_override"
    # operator replay
    before = snapshot(ff.r)
    assert ff.cancel_op(waiting) == [1, "OK", "cancelled", "terminal"]
    assert snapshot(ff.r) == before


def test_cancel_operator_of_paused_and_reclaimable(ff):
    c = leased(ff)
    ff.delay(c, ff.now_ms() + 3600_000)
    assert ff.cancel_op(c.eid) == [1, "OK", "cancelled", "runnable"]
    assert ff.describe(c.eid)["attempts"][0]["state"] == "ended_cancelled"
    c2 = leased(ff)
    ff.revoke(c2.eid)
    assert ff.cancel_op(c2.eid) == [1, "OK", "cancelled", "active"]
    assert ff.describe(c2.eid)["attempts"][0]["state"] == "interrupted_reclaimed"
    assert ff.index_state(c2.eid) == "cancelled"


def test_cancel_operator_of_terminal(ff):
    c = leased(ff)
    ff.complete(c)
    assert ff.cancel_op(c.eid) == [0, "execution_not_active", "success", "1", "terminal", c.aid]


def test_cancel_holder_of_expired_lease(ff):
    c = leased(ff)
    ff.r.hset(core_key(c.eid), "lexp", "1")
    ff.r.zadd("ff:i:{fp:0}:lease_expiry", {c.eid: 1})
    assert ff.cancel_holder(c) == [0, "lease_expired"]
    assert ff.index_state(c.eid) == "eligible"


@pytest.mark.parametrize("source,reason", [("worker", "r"), ("", "r"), ("operator_override", "x" * 4097)])
def test_cancel_bad_input(ff, source, reason):
    eid = ff.create()
    before = snapshot(ff.r)
    rep = ff.call("ff_cancel", [core_key(eid)], eid, reason, source, "", "", "")
    assert rep[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_cancel_not_found(ff):
    eid = new_eid()
    assert ff.cancel_op(eid) == [0, "execution_not_found"]


def test_cancel_operator_ignores_fence(ff):
    eid = ff.create()
    rep = ff.call("ff_cancel", [core_key(eid)], eid, "", "operator_override", new_uuid(), "", "")
    assert rep == [1, "OK", "cancelled", "runnable"]


# ------------------------------------------------------------------- delay
def test_delay_then_resume_same_attempt(ff):
    c = leased(ff, payload="p")
    fut = ff.now_ms() + 3600_000
    assert ff.delay(c, fut) == [1, "OK", str(fut)]
    core = ff.core(c.eid)
    assert core["st"] == "runnable unowned not_eligible_until_time waiting_for_delay none attempt_interrupted"
    assert core["dl"] == str(fut) and "lid" not in core
    assert ff.indexes_of(c.eid) == [("default", "delayed")]
    assert ff.describe(c.eid)["public"] == "delayed"
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["state"] == "suspended" and rec["suspended_at"] and rec["id"] == c.aid
    # not yet due: nothing to claim
    assert ff.claim_raw() == [1, "OK", "0"]
    # due (state fact): promoted and resumed
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {c.eid: 1})
    c2 = ff.claim_one(wid="w2")
    assert (c2.eid, c2.ai, c2.aid, c2.atype, c2.epoch) == (c.eid, "0", c.aid, "resumed", "2")
    core = ff.core(c2.eid)
    assert core["att"] == "1" and core["aty"] == "initial" and core["wid"] == "w2"
    assert "dl" not in core
    # the running (resumed) attempt is derived from the core by describe
    running = ff.describe(c.eid)["attempts"]
    assert list(running) == [0] and running[0]["state"] == "started" and running[0]["lease_epoch"] == 2
    # old fence is stale now, new one completes
    assert ff.complete(c) == [0, "stale_lease"]
    assert ff.complete(c2, "ok") == [1, "OK", "completed"]
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["state"] == "ended_success" and rec["lease_epoch"] == 2 and rec["worker_id"] == "w2"


def test_delay_in_past_resumes_immediately(ff):
    c = leased(ff)
    assert ff.delay(c, 0) == [1, "OK", "0"]
    c2 = ff.claim_one()
    assert c2.atype == "resumed" and c2.epoch == "2"


def test_delay_keeps_remaining_attempt_timeout(ff):
    c = leased(ff, policy={"timeout_policy": {"attempt_timeout_ms": 3600_000}})
    core = ff.core(c.eid)
    atdl = int(core["atdl"])
    assert atdl == int(core["astart"]) + 3600_000
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", c.eid) == atdl
    now = ff.now_ms()
    ff.delay(c, 0)
    core = ff.core(c.eid)
    assert "atdl" not in core
    rem = int(core["atrem"])
    assert atdl - now - 60000 < rem <= atdl - int(core["astart"])
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", c.eid) is None
    c2 = ff.claim_one()
    core = ff.core(c2.eid)
    assert "atrem" not in core
    assert int(core["atdl"]) == int(core["lacq"]) + rem
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", c.eid) == int(core["atdl"])


@pytest.mark.parametrize("until", ["-1", "abc", "1.5", ""])
def test_delay_bad_input(ff, until):
    c = leased(ff)
    before = snapshot(ff.r)
    assert ff.delay(c, until)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_delay_repeat_is_not_active(ff):
    c = leased(ff)
    ff.delay(c, ff.now_ms() + 3600_000)
    assert ff.delay(c, 5)[:2] == [0, "execution_not_active"]


def test_fenced_key_mismatch(ff):
    c = leased(ff)
    other = new_eid()
    before = snapshot(ff.r)
    rep = ff.call("ff_renew", [core_key(other)], c.eid, c.lid, c.epoch, c.aid, "1000")
    assert rep[:2] == [0, "invalid_input"]
    rep = ff.call("ff_renew", [core_key(c.eid)], c.eid, c.lid, c.epoch, c.aid)
    assert rep[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_resume_with_exhausted_attempt_timeout(ff):
    c = leased(ff, policy={"timeout_policy": {"attempt_timeout_ms": 3600_000}})
    ff.r.hset(core_key(c.eid), "atdl", "5")
    ff.r.zadd("ff:i:{fp:0}:attempt_timeout", {c.eid: 5})
    ff.delay(c, 0)
    assert ff.core(c.eid)["atrem"] == "0"
    c2 = ff.claim_one()
    core = ff.core(c2.eid)
    assert core["atdl"] == core["lacq"]
    assert ff.sweep() == [1, "OK", "0", "1", "0"]
    assert ff.index_state(c.eid) == "expired"


def test_json_escaping_in_attempt_record(ff):
    ff.create()
    c = ff.claim_one(wid='we"ird\\id/', wiid="inst\u00e9")
    ff.fail(c, reason='bad "quote"\n\ttab\x01', cat="c/at")
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["worker_id"] == 'we"ird\\id/' and rec["worker_instance_id"] == "inst\u00e9"
    assert rec["failure_reason"] == 'bad "quote"\n\ttab\x01' and rec["failure_category"] == "c/at"
