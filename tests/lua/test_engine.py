"""ff_engine_sweep (every due timer, retention, reconciler, the due record),
ff_engine_beat / ff_engine_list, and the explicit reclaim pair
(ff_reclaim_grant / ff_claim_reclaim)."""

import json
import time

from ffhelpers import core_key, lane_key, messages, new_uuid, subscribe

DUE = "ff:i:{fp:0}:due"
WAKE = "ff:wake:{fp:0}"
ENGINES = ["ff:{e}:engines", "ff:{e}:info"]


def sweep(ff, engine="e1", budget=100, retention=86400000):
    return ff.call("ff_engine_sweep", [DUE], engine, str(budget), str(retention))


def counters(rep):
    """swept reply -> dict of the six counters + more/next/now"""
    assert rep[:3] == [1, "OK", "swept"], rep
    names = ["leases", "promoted", "timeouts", "deadlines", "retained", "repaired", "more", "next_due", "now"]
    return dict(zip(names, rep[3:]))


# ------------------------------------------------------------ due record

def due_at(ff):
    v = ff.r.hget(DUE, "at")
    return None if v in (None, b"") else int(v)


def test_sweep_writes_the_due_record(ff):
    now = ff.now_ms()
    got = counters(sweep(ff, engine="e1", retention=5000))
    assert got["next_due"] == ""
    rec = {k.decode(): v.decode() for k, v in ff.r.hgetall(DUE).items()}
    assert rec["at"] == "" and rec["ret"] == "5000" and rec["by"] == "e1"
    assert int(rec["swept"]) >= now
    ff.create(delay_until=now + 60000)
    got = counters(sweep(ff, engine="e2", retention=5000))
    assert int(got["next_due"]) == now + 60000 == due_at(ff)
    assert ff.r.hget(DUE, "by") == b"e2"  # any engine may sweep: the work is idempotent


def test_reconciler_runs_at_most_every_two_seconds(ff):
    eid = ff.create()
    assert counters(sweep(ff))["repaired"] == "0"
    ff.r.zrem(lane_key("{fp:0}", "default", "eligible"), eid)  # drift
    assert counters(sweep(ff))["repaired"] == "0"  # throttled
    assert int(ff.r.hget(DUE, "rt")) > ff.now_ms()
    ff.r.hset(DUE, "rt", "0")
    assert counters(sweep(ff))["repaired"] == "1"
    assert ff.indexes_of(eid) == [("default", "eligible")]


def test_sweep_rejects_bad_input(ff):
    bad = [
        ("e1", "100", "0", "ff:i:{fp:x}:due"),
        ("e1", "100", "0", "ff:own:{fp:0}"),
        ("", "100", "0", DUE),
        ("e 1", "100", "0", DUE),
        ("e1", "0", "0", DUE),
        ("e1", "100", "-1", DUE),
        ("e1", "100", "nan", DUE),
    ]
    for eid, budget, ret, key in bad:
        rep = ff.call("ff_engine_sweep", [key], eid, budget, ret)
        assert rep[:2] == [0, "invalid_input"], (eid, budget, ret, key, rep)
    assert ff.call("ff_engine_sweep", [DUE], "e1", "sweep", "5000", "100", "0")[:2] == [0, "invalid_input"]
    assert ff.r.dbsize() == 0


def test_due_is_published_only_when_earlier(ff):
    sweep(ff)  # nothing scheduled: the record says so
    p = subscribe(ff.r, "ff:due:{fp:0}")
    now = ff.now_ms()
    ff.create(delay_until=now + 50000)
    ff.create(delay_until=now + 60000)  # later: the engine looks earlier anyway
    ff.create(delay_until=now + 40000)  # earlier: must reach the engine
    assert messages(p) == [str(now + 50000), str(now + 40000)]
    assert due_at(ff) == now + 40000
    # a sweep rewrites the record from the indexes; later creates stay quiet
    counters(sweep(ff))
    assert due_at(ff) == now + 40000
    ff.create(delay_until=now + 45000)
    assert messages(p) == []


def test_every_timer_kind_reaches_the_due_record(ff):
    p = subscribe(ff.r, "ff:due:{fp:0}")
    now = ff.now_ms()
    sweep(ff)
    ff.create(deadline=now + 90000)
    c = ff.create(lane="t", policy={"timeout_policy": {"attempt_timeout_ms": 80000},
                                    "retry_policy": {"max_retries": 1,
                                                     "backoff": {"type": "fixed", "delay_ms": 1000}}})
    claim = ff.claim_one(lane="t", ttl=85000)  # lease 85 s, attempt timeout 80 s
    got = messages(p)
    assert [int(x) for x in got[:1]] == [now + 90000] and len(got) == 2
    assert now + 80000 <= int(got[1]) <= now + 81000  # the attempt timeout beats the lease
    assert ff.fail(claim, "boom")[:3] == [1, "OK", "retry_scheduled"]
    got = messages(p)
    assert len(got) == 1 and int(got[0]) <= ff.now_ms() + 1000
    assert due_at(ff) == int(got[0])
    assert ff.indexes_of(c) == [("t", "delayed")]


def test_retention_due_uses_the_engines_retention(ff):
    sweep(ff, retention=1000)
    p = subscribe(ff.r, "ff:due:{fp:0}")
    ff.create()
    c = ff.claim_one(ttl=60000)
    assert len(messages(p)) == 1  # the lease
    assert ff.complete(c)[0] == 1
    got = messages(p)
    assert len(got) == 1 and int(got[0]) <= ff.now_ms() + 1000  # ended + 1 s, before the old lease
    time.sleep(1.05)
    assert counters(sweep(ff, retention=1000))["retained"] == "1"


def test_no_due_without_an_engine_beyond_the_first(ff):
    p = subscribe(ff.r, "ff:due:{fp:0}")
    now = ff.now_ms()
    for i in range(5):
        ff.create(delay_until=now + 100000 + i)
    assert messages(p) == [str(now + 100000)]


# ----------------------------------------------------------- the timers

def test_sweep_marks_expired_leases_reclaimable(ff):
    eid = ff.create()
    c = ff.claim_one(ttl=1000)
    time.sleep(1.1)
    got = counters(sweep(ff))
    assert got["leases"] == "1"
    assert ff.st(eid)[1] == "lease_expired_reclaimable"
    assert ff.indexes_of(eid) == [("default", "eligible")]
    # the next claim reclaims it as a new attempt with a higher epoch
    c2 = ff.claim_one(wid="w2")
    assert (c2.eid, c2.atype, c2.ai, int(c2.epoch)) == (eid, "reclaim", "1", int(c.epoch) + 1)
    assert ff.complete(c)[:2] == [0, "stale_lease"]


def test_sweep_promotes_due_delayed_and_publishes_wakeup(ff):
    p = subscribe(ff.r, WAKE)
    now = ff.now_ms()
    eid = ff.create(delay_until=now + 300)
    assert ff.indexes_of(eid) == [("default", "delayed")]
    got = counters(sweep(ff))
    assert got["promoted"] == "0"
    assert int(got["next_due"]) == now + 300
    time.sleep(0.35)
    assert counters(sweep(ff))["promoted"] == "1"
    assert ff.indexes_of(eid) == [("default", "eligible")]
    msg = p.get_message(timeout=2)
    assert msg and msg["type"] == "message" and msg["channel"] == WAKE.encode()
    assert msg["data"] == b"default"  # the lane


def test_wakeup_only_on_empty_to_nonempty_edge(ff):
    p = subscribe(ff.r, WAKE)
    ff.create()
    ff.create()
    ff.create()
    msgs = []
    while True:
        m = p.get_message(timeout=0.3)
        if not m:
            break
        msgs.append(m)
    assert len(msgs) == 1


def test_sweep_expires_attempt_timeout_and_deadline(ff):
    e1 = ff.create(policy={"timeout_policy": {"attempt_timeout_ms": 100}})
    c = ff.claim_one()
    e2 = ff.create(deadline=ff.now_ms() + 100)
    time.sleep(0.15)
    got = counters(sweep(ff))
    assert (got["timeouts"], got["deadlines"]) == ("1", "1")
    assert ff.core(e1)["st"].split()[4] == "expired" and ff.core(e1)["reason"] == "attempt_timeout"
    assert ff.core(e2)["st"].split()[4] == "expired" and ff.core(e2)["reason"] == "execution_deadline"
    assert ff.complete(c)[:2] == [0, "execution_not_active"]


def test_retention_deletes_every_key(ff):
    eid = ff.create(payload="x" * 200, idem="k1", tags={"a.b": "c"},
                    policy={"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 5}},
                            "max_replay_count": 3})
    c = ff.claim_one()
    assert ff.complete(c, "r" * 100)[0] == 1
    sweep(ff, retention=3600000)  # creates the partition's due record and cursor key
    before = ff.r.dbsize()
    assert counters(sweep(ff, retention=3600000))["retained"] == "0"
    assert ff.r.dbsize() == before
    got = counters(sweep(ff, retention=0))
    assert got["retained"] == "1"
    left = sorted(k.decode() for k in ff.r.keys("*"))
    # only partition-level bookkeeping survives: no key mentions the id
    assert not [k for k in left if eid.split(":", 1)[1] in k], left
    assert not ff.r.sismember("ff:i:{fp:0}:all", eid)
    assert ff.r.get("ff:idem:{fp:0}:2:ns:7:default:k1") is None


def test_budget_bounds_work_and_reports_more(ff):
    now = ff.now_ms()
    for _ in range(5):
        ff.create(delay_until=now + 50)
    time.sleep(0.1)
    got = counters(sweep(ff, budget=2))
    assert got["promoted"] == "2" and got["more"] == "1"
    got = counters(sweep(ff, budget=100))
    assert got["promoted"] == "3"


# ----------------------------------------------------------- reconciler

def test_reconciler_repairs_missing_and_stray_index_entries(ff):
    eid = ff.create()
    ff.r.zrem(lane_key("{fp:0}", "default", "eligible"), eid)
    ff.r.zadd(lane_key("{fp:0}", "default", "failed"), {eid: 1})
    ghost = "{fp:0}:" + new_uuid()
    ff.r.sadd("ff:i:{fp:0}:all", ghost)
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {ghost: 1})
    ff.r.sadd("ff:i:{fp:0}:lanes", "default")
    repaired = 0
    for _ in range(5):  # the reconciler walks the set a few ids per sweep
        ff.r.hdel(DUE, "rt")  # ... at most every 2 s: lift that for the test
        repaired += int(counters(sweep(ff))["repaired"])
    assert repaired >= 2  # other sweep steps self-clean some of the strays first
    assert ff.indexes_of(eid) == [("default", "eligible")]
    assert not ff.r.sismember("ff:i:{fp:0}:all", ghost)
    assert ff.r.zscore(lane_key("{fp:0}", "default", "delayed"), ghost) is None


# ------------------------------------------------------------ heartbeat

def test_engine_beat_and_list(ff):
    rep = ff.call("ff_engine_beat", ENGINES, "e1", "1000", json.dumps({"owned_partitions": 3}))
    assert rep[:3] == [1, "OK", "1"] and rep[4:] == ["e1"]
    rep = ff.call("ff_engine_beat", ENGINES, "e2", "200", "{}")
    assert rep[2] == "2" and sorted(rep[4:]) == ["e1", "e2"]
    listed = ff.call_ro("ff_engine_list", ENGINES)
    assert listed[:2] == [1, "OK"] and sorted(listed[2::3]) == ["e1", "e2"]
    # an empty info means "unchanged": the stored one stays
    assert ff.call("ff_engine_beat", ENGINES, "e1", "1000", "")[2] == "2"
    assert json.loads(ff.r.hget("ff:{e}:info", "e1")) == {"owned_partitions": 3}
    time.sleep(0.25)  # e2's heartbeat lapses
    rep = ff.call("ff_engine_beat", ENGINES, "e1", "1000", "{}")
    assert rep[2] == "1" and rep[4:] == ["e1"]
    assert ff.r.hget("ff:{e}:info", "e2") is None
    assert ff.call("ff_engine_beat", ["ff:engines", "x"], "e1", "1000", "{}")[:2] == [0, "invalid_input"]
    assert ff.call("ff_engine_beat", ENGINES, "e1", "10", "{}")[:2] == [0, "invalid_input"]


# ------------------------------------------------------- explicit reclaim

def grant(ff, eid, wid="w9", token=None, ttl=5000):
    token = token or new_uuid()
    return ff.call("ff_reclaim_grant", [core_key(eid)], eid, wid, token, str(ttl)), token


def claim_reclaim(ff, eid, token, wid="w9", caps="", ttl=30000):
    return ff.call("ff_claim_reclaim", [core_key(eid)], eid, token, wid, "wi9", caps, str(ttl),
                   new_uuid(), new_uuid())


def test_reclaim_grant_requires_a_lost_lease(ff):
    eid = ff.create()
    assert grant(ff, eid)[0][:2] == [0, "execution_not_reclaimable"]
    ff.claim_one()
    assert grant(ff, eid)[0][:2] == [0, "execution_not_reclaimable"]
    assert ff.revoke(eid)[:3] == [1, "OK", "revoked"]
    rep, token = grant(ff, eid)
    assert rep[:3] == [1, "OK", token]
    assert grant(ff, eid)[0][:2] == [0, "grant_already_exists"]


def test_claim_reclaim_with_token(ff):
    eid = ff.create(caps="gpu")
    c = ff.claim_one(caps="gpu")
    ff.revoke(eid)
    rep, token = grant(ff, eid, wid="w9")
    # other workers' normal claims skip a granted execution
    assert ff.claim_raw(wid="w1", caps="gpu") == [1, "OK", "0"]
    assert claim_reclaim(ff, eid, new_uuid())[:2] == [0, "invalid_claim_grant"]
    assert claim_reclaim(ff, eid, token, wid="w8")[:2] == [0, "invalid_claim_grant"]
    assert claim_reclaim(ff, eid, token, caps="")[:2] == [0, "capability_mismatch"]
    rep = claim_reclaim(ff, eid, token, caps="gpu")
    assert rep[:3] == [1, "OK", "1"] and rep[3] == eid and rep[6] == "reclaim"
    assert int(rep[8]) == int(c.epoch) + 1
    assert ff.indexes_of(eid) == [("default", "active")]
    assert ff.in_lease_expiry(eid)
    # the token is single use
    assert claim_reclaim(ff, eid, token, caps="gpu")[:2] == [0, "invalid_claim_grant"]


def test_claim_reclaim_checks_grant_expiry(ff):
    eid = ff.create()
    ff.claim_one()
    ff.revoke(eid)
    rep, token = grant(ff, eid, ttl=50)
    time.sleep(0.1)
    assert claim_reclaim(ff, eid, token)[:2] == [0, "claim_grant_expired"]
    # an expired grant no longer blocks normal claims
    assert ff.claim_one(wid="w1").atype == "reclaim"


def test_claim_reclaim_at_the_cap_fails_the_execution(ff):
    eid = ff.create(policy={"max_reclaim_count": 0})
    ff.claim_one()
    ff.revoke(eid)
    rep, token = grant(ff, eid)
    assert claim_reclaim(ff, eid, token)[:3] == [0, "max_retries_exhausted", "0"]
    core = ff.core(eid)
    assert core["st"].split()[4] == "failed" and core["reason"] == "max_reclaims_exceeded"
    assert ff.indexes_of(eid) == [("default", "failed")]


def test_retention_forgets_an_emptied_lane(ff):
    eid = ff.create(lane="short-lived")
    c = ff.claim_one(lane="short-lived")
    ff.complete(c)
    assert "short-lived" in ff.lanes()[2:]
    assert counters(sweep(ff, retention=0))["retained"] == "1"
    assert "short-lived" not in ff.lanes()[2:]
    assert ff.core(eid) == {}


def test_delay_already_due_is_claimable_at_once_and_wakes(ff):
    p = subscribe(ff.r, WAKE)
    eid = ff.create()
    p.get_message(timeout=1)  # the create's wake-up
    c = ff.claim_one()
    assert ff.delay(c, 0) == [1, "OK", "0"]
    assert ff.indexes_of(eid) == [("default", "eligible")]
    assert ff.st(eid)[2] == "eligible_now" and ff.st(eid)[5] == "attempt_interrupted"
    msg = p.get_message(timeout=2)
    assert msg and msg["type"] == "message"
    c2 = ff.claim_one(wid="w2")
    assert (c2.atype, c2.ai, c2.aid, int(c2.epoch)) == ("resumed", c.ai, c.aid, int(c.epoch) + 1)


def test_reclaim_grant_notices_an_expired_lease(ff):
    eid = ff.create()
    ff.claim_one(ttl=1000)
    time.sleep(1.1)  # expired, but no sweep or call has noticed it yet
    assert ff.st(eid)[1] == "leased"
    rep, token = grant(ff, eid)
    assert rep[:3] == [1, "OK", token]
    assert ff.st(eid)[1] == "lease_expired_reclaimable"
    assert claim_reclaim(ff, eid, token)[:3] == [1, "OK", "1"]
