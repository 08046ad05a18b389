"""ff_fail: retry decision, backoff shapes, jitter bounds, categories, replays."""

import pytest

from ffhelpers import core_key, lane_key, new_uuid, snapshot


def policy(max_retries, backoff=None, cats=None):
    rp = {"max_retries": max_retries}
    if backoff is not None:
        rp["backoff"] = backoff
    if cats is not None:
        rp["retryable_categories"] = cats
    return {"retry_policy": rp}


def make_due(ff, eid):
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {eid: 1})


def fail_delay(ff, c, **kw):
    """Fail c; return (retry_at - fail time window) as (lo, hi) bounds on the delay."""
    t0 = ff.now_ms()
    rep = ff.fail(c, **kw)
    t1 = ff.now_ms()
    assert rep[:3] == [1, "OK", "retry_scheduled"], rep
    at = int(rep[3])
    return at - t1, at - t0, rep


def test_no_policy_fails_terminally(ff):
    ff.create()
    c = ff.claim_one()
    assert ff.fail(c, reason="bad", cat="permanent") == [1, "OK", "terminal_failed"]
    core = ff.core(c.eid)
    assert core["st"] == "terminal unowned not_applicable none failed attempt_terminal"
    assert core["reason"] == "bad" and core["cat"] == "permanent"
    assert ff.indexes_of(c.eid) == [("default", "failed")]
    rec = ff.describe(c.eid)["attempts"][0]
    assert rec["state"] == "ended_failure"
    assert rec["failure_reason"] == "bad" and rec["failure_category"] == "permanent"
    assert ff.describe(c.eid)["public"] == "failed"


def test_default_category_is_error(ff):
    ff.create()
    c = ff.claim_one()
    ff.fail(c, reason="x", cat="")
    assert ff.core(c.eid)["cat"] == "error"


def test_retry_fixed_backoff_and_new_attempt(ff):
    eid = ff.create(policy=policy(2, {"type": "fixed", "delay_ms": 3600_000}), deadline=ff.now_ms() + 7200_000)
    c = ff.claim_one()
    lo, hi, rep = fail_delay(ff, c, reason="flaky", cat="transient")
    assert lo <= 3600_000 <= hi
    core = ff.core(eid)
    assert core["st"] == "runnable unowned not_eligible_until_time waiting_for_retry_backoff none pending_retry_attempt"
    assert core["dl"] == rep[3] and core["retries"] == "1"
    assert core["aid"] == c.aid and "lid" not in core
    assert ff.indexes_of(eid) == [("default", "delayed")]
    assert ff.r.zscore(lane_key("{fp:0}", "default", "delayed"), eid) == int(rep[3])
    assert ff.r.zscore("ff:i:{fp:0}:deadline", eid) is not None  # deadline kept
    assert ff.describe(eid)["public"] == "delayed"
    assert ff.describe(eid)["attempts"][0]["state"] == "ended_failure"
    # not due yet
    assert ff.claim_raw() == [1, "OK", "0"]
    make_due(ff, eid)
    c2 = ff.claim_one()
    assert (c2.eid, c2.ai, c2.atype, c2.epoch) == (eid, "1", "retry", "2")
    assert c2.aid != c.aid
    assert ff.core(eid)["att"] == "2"
    # second failure: retry 2 of 2
    fail_delay(ff, c2)
    make_due(ff, eid)
    c3 = ff.claim_one()
    assert (c3.ai, c3.atype, c3.epoch) == ("2", "retry", "3")
    # third failure: exhausted
    assert ff.fail(c3) == [1, "OK", "terminal_failed"]
    assert ff.core(eid)["retries"] == "2"
    assert sorted(ff.describe(eid)["attempts"]) == [0, 1, 2]


def test_default_backoff_is_1000ms(ff):
    ff.create(policy=policy(1))
    c = ff.claim_one()
    lo, hi, _ = fail_delay(ff, c)
    assert lo <= 1000 <= hi


def test_exponential_backoff_and_max(ff):
    bo = {"type": "exponential", "initial_delay_ms": 1000, "max_delay_ms": 5000, "multiplier": 2}
    eid = ff.create(policy=policy(6, bo))
    expected = [1000, 2000, 4000, 5000, 5000]
    for want in expected:
        c = ff.claim_one()
        lo, hi, _ = fail_delay(ff, c)
        assert lo <= want <= hi, (want, lo, hi)
        make_due(ff, eid)


def test_exponential_default_multiplier_and_fractional(ff):
    bo = {"type": "exponential", "initial_delay_ms": 1000, "max_delay_ms": 100000}
    eid = ff.create(policy=policy(3, bo))
    for want in [1000, 2000, 4000]:
        c = ff.claim_one()
        lo, hi, _ = fail_delay(ff, c)
        assert lo <= want <= hi
        make_due(ff, eid)
    bo = {"type": "exponential", "initial_delay_ms": 1000, "max_delay_ms": 100000, "multiplier": 1.5}
    eid = ff.create(policy=policy(3, bo), lane="l2")
    for want in [1000, 1500, 2250]:
        c = ff.claim_one(lane="l2")
        lo, hi, _ = fail_delay(ff, c)
        assert lo <= want <= hi
        ff.r.zadd(lane_key("{fp:0}", "l2", "delayed"), {eid: 1})


def test_huge_multiplier_caps_at_max(ff):
    bo = {"type": "exponential", "initial_delay_ms": 1000, "max_delay_ms": 7000, "multiplier": 1000}
    eid = ff.create(policy=policy(200, bo))
    # jump the retry counter far ahead: multiplier^retries overflows to inf
    ff.r.hset(core_key(eid), "retries", "150")
    c = ff.claim_one()
    lo, hi, _ = fail_delay(ff, c)
    assert lo <= 7000 <= hi


@pytest.mark.parametrize("rand", ["0", "0.5", "1", "0.25", "1e-1", ".75"])
def test_jitter_bounds(ff, rand):
    bo = {"type": "exponential", "initial_delay_ms": 10000, "max_delay_ms": 10000, "jitter": 0.4}
    ff.create(policy=policy(1, bo))
    c = ff.claim_one()
    lo, hi, _ = fail_delay(ff, c, rand=rand)
    want = 10000 - int(0.4 * float(rand) * 10000)
    assert lo <= want <= hi
    # always within [delay*(1-jitter), delay]
    assert lo <= 10000 and hi >= 6000


def test_fixed_backoff_ignores_rand(ff):
    ff.create(policy=policy(1, {"type": "fixed", "delay_ms": 2000}))
    c = ff.claim_one()
    lo, hi, _ = fail_delay(ff, c, rand="1")
    assert lo <= 2000 <= hi


def test_zero_fixed_delay_is_immediately_claimable(ff):
    eid = ff.create(policy=policy(1, {"type": "fixed", "delay_ms": 0}))
    c = ff.claim_one()
    ff.fail(c)
    c2 = ff.claim_one()
    assert c2.eid == eid and c2.atype == "retry"


def test_retryable_categories(ff):
    pol = policy(3, {"type": "fixed", "delay_ms": 0}, cats=["transient", "timeout"])
    ff.create(policy=pol)
    c = ff.claim_one()
    assert ff.fail(c, cat="transient")[2] == "retry_scheduled"
    c = ff.claim_one()
    assert ff.fail(c, cat="timeout")[2] == "retry_scheduled"
    c = ff.claim_one()
    assert ff.fail(c, cat="permanent") == [1, "OK", "terminal_failed"]
    # "" -> "error", not in the list
    ff.create(policy=pol)
    c = ff.claim_one()
    assert ff.fail(c, cat="") == [1, "OK", "terminal_failed"]


def test_empty_retryable_categories_retries_nothing(ff):
    ff.create(policy=policy(3, cats=[]))
    c = ff.claim_one()
    assert ff.fail(c, cat="transient") == [1, "OK", "terminal_failed"]


def test_max_retries_zero(ff):
    ff.create(policy=policy(0))
    c = ff.claim_one()
    assert ff.fail(c) == [1, "OK", "terminal_failed"]


def test_fail_replay_terminal(ff):
    ff.create()
    c = ff.claim_one()
    assert ff.fail(c) == [1, "OK", "terminal_failed"]
    before = snapshot(ff.r)
    assert ff.fail(c) == [1, "OK", "terminal_failed"]
    assert snapshot(ff.r) == before
    assert ff.fail(c, fence=(c.lid, "9", c.aid))[:2] == [0, "execution_not_active"]


def test_fail_replay_retry_scheduled(ff):
    eid = ff.create(policy=policy(1, {"type": "fixed", "delay_ms": 3600_000}))
    c = ff.claim_one()
    rep = ff.fail(c)
    before = snapshot(ff.r)
    assert ff.fail(c) == rep
    assert snapshot(ff.r) == before
    # still a replay after promotion (dl is kept until the next claim)
    make_due(ff, eid)
    ff.r.hset(core_key(eid), "caps", "unobtainable")  # promote without claiming
    assert ff.claim_raw() == [1, "OK", "0"]
    # (no worker can run it: the claim parked it, lib/78_route.lua)
    assert ff.index_state(eid) == "route_blocked"
    assert ff.fail(c) == rep
    # a different epoch is not a replay
    assert ff.fail(c, fence=(c.lid, "3", c.aid)) == [0, "execution_not_active", "none", "1", "runnable", c.aid]


def test_fail_after_retry_claimed_is_stale(ff):
    eid = ff.create(policy=policy(1, {"type": "fixed", "delay_ms": 0}))
    c = ff.claim_one()
    ff.fail(c)
    c2 = ff.claim_one()
    assert ff.fail(c) == [0, "stale_lease"]
    assert ff.core(eid)["epoch"] == "2"


def test_max_reclaims_terminal_is_not_a_fail_replay(ff):
    eid = ff.create(policy={"max_reclaim_count": 0})
    c = ff.claim_one()
    ff.revoke(eid)
    assert ff.claim_raw() == [1, "OK", "0"]
    assert ff.core(eid)["reason"] == "max_reclaims_exceeded"
    assert ff.fail(c) == [0, "execution_not_active", "failed", "1", "terminal", c.aid]


@pytest.mark.parametrize("rand", ["-0.1", "1.5", "nan", "inf", "abc", "0x1"])
def test_fail_bad_rand(ff, rand):
    ff.create()
    c = ff.claim_one()
    before = snapshot(ff.r)
    assert ff.fail(c, rand=rand)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


@pytest.mark.parametrize("reason,cat", [("r" * 4097, ""), ("r", "c" * 129)])
def test_fail_bad_text(ff, reason, cat):
    ff.create()
    c = ff.claim_one()
    before = snapshot(ff.r)
    assert ff.fail(c, reason=reason, cat=cat)[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_retry_keeps_fifo_position(ff):
    first = ff.create_spaced(policy=policy(1, {"type": "fixed", "delay_ms": 0}))
    c = ff.claim_one()
    second = ff.create()
    ff.fail(c)
    # the retried execution re-enters with its original created_at: ahead of newer work
    assert ff.claim_one().eid == first
    assert ff.claim_one().eid == second


def test_attempt_timeout_set_per_new_attempt(ff):
    eid = ff.create(policy={"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 0}},
                            "timeout_policy": {"attempt_timeout_ms": 50000}})
    c = ff.claim_one()
    a1 = int(ff.core(eid)["atdl"])
    ff.fail(c)
    assert "atdl" not in ff.core(eid)
    assert ff.r.zscore("ff:i:{fp:0}:attempt_timeout", eid) is None
    ff.claim_one()
    core = ff.core(eid)
    assert int(core["atdl"]) == int(core["astart"]) + 50000 >= a1


def test_no_retry_flag_ends_failed_with_retries_left(ff):
    ff.create(policy=policy(5))
    c = ff.claim_one()
    assert ff.fail(c, reason="bad input", cat="validation", no_retry="1") == [1, "OK", "terminal_failed"]
    core = ff.core(c.eid)
    assert core["st"] == "terminal unowned not_applicable none failed attempt_terminal"
    assert "retries" not in core
    # a repeat after a lost reply is recognised
    assert ff.fail(c, reason="bad input", cat="validation", no_retry="1") == [1, "OK", "terminal_failed"]


def test_no_retry_flag_rejects_other_values(ff):
    ff.create(policy=policy(5))
    c = ff.claim_one()
    before = snapshot(ff.r)
    assert ff.fail(c, no_retry="yes")[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before
    assert ff.fail(c, no_retry="0")[:3] == [1, "OK", "retry_scheduled"]


def test_non_retryable_categories_deny_list(ff):
    pol = policy(5)
    pol["retry_policy"]["non_retryable_categories"] = ["permanent", "auth"]
    ff.create(policy=pol)
    c = ff.claim_one()
    assert ff.fail(c, cat="transient")[:3] == [1, "OK", "retry_scheduled"]
    make_due(ff, c.eid)
    c2 = ff.claim_one()
    assert ff.fail(c2, cat="auth") == [1, "OK", "terminal_failed"]


@pytest.mark.parametrize("bad", [{"non_retryable_categories": "x"}, {"non_retryable_categories": [1]},
                                 {"non_retryable_categories": ["a" * 129]}])
def test_non_retryable_categories_validated(ff, bad):
    rep, _ = ff.create_raw(policy={"retry_policy": bad})
    assert rep[:2] == [0, "invalid_policy_json"], rep


def test_corrupt_stored_policy_fails_closed(ff):
    ff.create(policy=policy(5))
    c = ff.claim_one()
    ff.r.hset(core_key(c.eid), "pol", "{not json")
    before = snapshot(ff.r)
    assert ff.fail(c)[:4] == [0, "corrupt_record", core_key(c.eid), "pol"]
    assert snapshot(ff.r) == before
