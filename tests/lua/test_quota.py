"""Admission at the server library level (lua/quota.lua, lua/lib/58_quota.lua):
quota policies per lane holding per group, exact concurrency caps released
by every transition that ends a lease, sliding rate windows, group pauses
(operator and ff_rate_limited), parking outside the eligible order and the
immediate return, round-robin fairness between groups, fail closed on a
corrupt policy, and the reads. The invariant checker (ffhelpers) also checks
after every test that holders sets and the executions' qh fields agree."""

import time

import pytest

from ffhelpers import core_key, lane_key, new_eid, read_core

LANE = "default"


def elig_key(ff, lane=LANE):
    return lane_key(ff.tag, lane, "eligible")


def qbase(ff, lane=LANE):
    return "ff:q:%s:%d:%s" % (ff.tag, len(lane), lane)


def create_quota(ff, qid="q1", rate=0, win=0, cap=0, lane=LANE):
    return ff.call("ff_create_quota", [elig_key(ff, lane)], lane, qid, str(rate), str(win), str(cap))


def describe(ff, lane=LANE, cursor="", count=100):
    rep = ff.call_ro("ff_describe_quota", [elig_key(ff, lane)], lane, cursor, str(count))
    assert rep[:2] == [1, "OK"], rep
    d = {"id": rep[2], "rate": int(rep[3]), "win": int(rep[4]), "cap": int(rep[5]), "next": rep[6], "groups": {}}
    for i in range(7, len(rep), 5):
        d["groups"][rep[i]] = dict(zip(["holders", "used", "parked", "paused_until"], map(int, rep[i + 1:i + 5])))
    return d


def submit(ff, group=None, lane=LANE, pri=0):
    pol = {"group": group} if group is not None else ""
    return ff.create(lane=lane, policy=pol, pri=pri)


def state(ff, eid):
    return read_core(ff.r, eid)["st"].split(" ")


def now_ms(ff):
    s, us = ff.r.time()
    return s * 1000 + us // 1000


def leased_per_group(ff, lane=LANE):
    """Independent count of the leases held per group, from the cores."""
    out = {}
    for eid in ff.r.zrange(lane_key(ff.tag, lane, "active"), 0, -1):
        c = read_core(ff.r, eid.decode())
        if c["st"].startswith("active leased"):
            g = c.get("grp", "")
            out[g] = out.get(g, 0) + 1
    return out


# ---------------------------------------------------------------- create


def test_create_is_idempotent_and_keeps_the_original(ff):
    assert create_quota(ff, cap=4) == [1, "OK", "created", "1", "0", "0", "4"]
    assert create_quota(ff, cap=4) == [1, "OK", "existing", "1", "0", "0", "4"]
    # a repeat with other limits keeps the stored ones and says so
    assert create_quota(ff, cap=9, rate=5, win=1000) == [1, "OK", "existing", "0", "0", "0", "4"]
    assert describe(ff)["cap"] == 4
    # another policy id on the same lane is a conflict, not an overwrite
    rep = create_quota(ff, qid="other", cap=1)
    assert rep[:3] == [0, "quota_attach_conflict", "q1"], rep


@pytest.mark.parametrize("args,code", [
    (("q1", "0", "0", "0"), "invalid_quota_spec"),        # nothing limited
    (("q1", "5", "0", "0"), "invalid_quota_spec"),        # a rate needs a window
    (("q1", "-1", "10", "0"), "invalid_quota_spec"),
    (("q1", "1", "10", "x"), "invalid_quota_spec"),
    (("q1", "1", "86400001", "0"), "invalid_quota_spec"),
    (("bad id!", "1", "10", "0"), "invalid_input"),
    (("", "1", "10", "0"), "invalid_input"),
])
def test_create_refuses_bad_specs_and_writes_nothing(ff, args, code):
    before = set(ff.r.keys("*"))
    rep = ff.call("ff_create_quota", [elig_key(ff)], LANE, *args)
    assert rep[:2] == [0, code], rep
    assert set(ff.r.keys("*")) == before


def test_create_checks_its_key(ff):
    rep = ff.call("ff_create_quota", [lane_key(ff.tag, "other", "eligible")], LANE, "q1", "0", "0", "1")
    assert rep[:2] == [0, "invalid_input"]


# ---------------------------------------------------------------- concurrency


def test_cap_is_per_group_and_parks_the_rest(ff):
    create_quota(ff, cap=2)
    a = [submit(ff, "A") for _ in range(5)]
    b = [submit(ff, "B") for _ in range(1)]
    got = ff.claim(n=10)
    ids = [c.eid for c in got]
    assert len(ids) == 3 and set(ids) == set(a[:2]) | set(b)
    # the three A executions over the cap left the eligible order, parked
    assert ff.r.zcard(elig_key(ff)) == 0
    for eid in a[2:]:
        st = state(ff, eid)
        assert st[2:4] == ["blocked_by_quota", "waiting_for_quota"], st
    assert leased_per_group(ff) == {"A": 2, "B": 1}
    d = describe(ff)
    assert d["groups"]["A"] == {"holders": 2, "used": 0, "parked": 3, "paused_until": 0}
    # a claim finds nothing: the parked ones are not re-examined
    assert ff.claim(n=10) == []


@pytest.mark.parametrize("how", ["complete", "fail", "cancel", "delay", "revoke", "expire"])
def test_every_end_of_a_lease_frees_its_slot_at_once(ff, how):
    create_quota(ff, cap=1)
    first = submit(ff, "A")
    second = submit(ff, "A")
    c = ff.claim_one(ttl=60000)
    assert c.eid == first
    assert ff.claim(n=5) == []  # the second is parked by the cap
    assert state(ff, second)[2] == "blocked_by_quota"
    if how == "complete":
        assert ff.complete(c)[0] == 1
    elif how == "fail":
        assert ff.fail(c, no_retry="1")[0] == 1
    elif how == "cancel":
        assert ff.cancel_holder(c)[0] == 1
    elif how == "delay":
        assert ff.delay(c, now_ms(ff) + 3600000)[0] == 1
    elif how == "revoke":
        assert ff.revoke(first)[0] == 1
    else:
        # the lease runs out (moved into the past rather than waited for)
        past = now_ms(ff) - 1
        ff.r.hset(core_key(first), "lexp", past)
        ff.r.zadd("ff:i:%s:lease_expiry" % ff.tag, {first: past})
        ff.sweep()
    # the transition itself freed the slot and returned the parked one to eligible
    assert state(ff, second)[2] == "eligible_now"
    assert ff.r.zscore(elig_key(ff), second) is not None
    assert describe(ff)["groups"]["A"]["holders"] == 0
    # a lost lease (revoke, expiry) is reclaimed first: it is older
    nxt = [x.eid for x in ff.claim(n=5)]
    assert nxt == ([first] if how in ("revoke", "expire") else [second])
    assert leased_per_group(ff) == {"A": 1}


def test_reclaim_of_a_lost_lease_takes_the_slot_again(ff):
    create_quota(ff, cap=1)
    e = submit(ff, "A")
    c = ff.claim_one(ttl=1)
    time.sleep(0.01)
    again = ff.claim_one()
    assert again.eid == e and again.atype == "reclaim" and int(again.epoch) == int(c.epoch) + 1
    assert describe(ff)["groups"]["A"]["holders"] == 1
    assert ff.complete(again)[0] == 1
    assert describe(ff)["groups"]["A"]["holders"] == 0


def test_default_group_holds_executions_without_a_group(ff):
    create_quota(ff, cap=1)
    x, y = submit(ff), submit(ff)
    got = [c.eid for c in ff.claim(n=5)]
    assert len(got) == 1 and got[0] in (x, y)
    assert state(ff, ({x, y} - set(got)).pop())[2] == "blocked_by_quota"
    assert describe(ff)["groups"][""]["holders"] == 1


def test_cancelled_while_parked_leaves_every_index(ff):
    create_quota(ff, cap=1)
    submit(ff, "A")
    parked = submit(ff, "A")
    ff.claim(n=5)
    assert ff.cancel_op(parked)[0] == 1
    assert ff.r.zscore(lane_key(ff.tag, LANE, "budget_blocked"), parked) is None
    # the stale bucket entry is dropped when the group next has room
    assert state(ff, parked)[0] == "terminal"


# ---------------------------------------------------------------- rate


def test_rate_window_is_never_exceeded_and_reopens_by_timer(ff):
    create_quota(ff, rate=2, win=300)
    ids = [submit(ff, "A") for _ in range(5)]
    got = ff.claim(n=10)
    assert [c.eid for c in got] == ids[:2]
    for c in got:
        ff.complete(c)
    # completing does not give starts back: the window counts starts
    assert ff.claim(n=10) == []
    d = describe(ff)["groups"]["A"]
    assert d["used"] == 2 and d["parked"] == 3
    # the group's timer is armed for when the oldest start leaves the window
    timer = ff.r.zrange("ff:i:%s:quota_timers" % ff.tag, 0, -1, withscores=True)
    assert len(timer) == 1
    assert ff.r.hget("ff:i:%s:due" % ff.tag, "at") is not None
    while now_ms(ff) <= timer[0][1]:
        time.sleep(0.05)
    ff.sweep()  # the engine's sweep returns the parked work when the window moved
    back = ff.claim(n=10)
    assert len(back) == 2 and [c.eid for c in back] == ids[2:4]
    assert ff.claim(n=10) == []


def test_rate_counts_starts_in_a_sliding_window_per_group(ff):
    create_quota(ff, rate=1, win=3600000)
    a1, a2, b1 = submit(ff, "A"), submit(ff, "A"), submit(ff, "B")
    assert {c.eid for c in ff.claim(n=10)} == {a1, b1}
    assert state(ff, a2)[2:4] == ["blocked_by_quota", "waiting_for_quota"]


# ---------------------------------------------------------------- pauses


def test_pause_group_parks_its_work_and_resume_returns_it(ff):
    a1, a2 = submit(ff, "A"), submit(ff, "A")
    b1 = submit(ff, "B")
    until = now_ms(ff) + 3600000
    assert ff.call("ff_pause_group", [elig_key(ff)], LANE, "A", str(until)) == [1, "OK", str(until)]
    # a shorter pause keeps the longer one
    assert ff.call("ff_pause_group", [elig_key(ff)], LANE, "A", str(until - 1000)) == [1, "OK", str(until)]
    assert [c.eid for c in ff.claim(n=10)] == [b1]
    for e in (a1, a2):
        assert state(ff, e)[2:4] == ["blocked_by_quota", "paused_by_policy"]
    assert describe(ff)["groups"]["A"]["paused_until"] == until
    assert ff.call("ff_resume_group", [elig_key(ff)], LANE, "A") == [1, "OK", "1", "2"]
    assert {c.eid for c in ff.claim(n=10)} == {a1, a2}


def test_pause_ends_by_itself(ff):
    a = submit(ff, "A")
    until = now_ms(ff) + 200
    ff.call("ff_pause_group", [elig_key(ff)], LANE, "A", str(until))
    assert ff.claim(n=5) == []
    while now_ms(ff) <= until:
        time.sleep(0.05)
    ff.sweep()
    assert [c.eid for c in ff.claim(n=5)] == [a]


@pytest.mark.parametrize("group,until", [("A", "0"), ("A", "x"), ("\x01", None), ("g" * 129, None)])
def test_pause_refuses_bad_input_and_writes_nothing(ff, group, until):
    before = set(ff.r.keys("*"))
    u = until if until is not None else str(now_ms(ff) + 10000)
    rep = ff.call("ff_pause_group", [elig_key(ff)], LANE, group, u)
    assert rep[:2] == [0, "invalid_input"], rep
    assert set(ff.r.keys("*")) == before


def test_rate_limited_pauses_the_group_and_gives_the_attempt_back(ff):
    create_quota(ff, cap=4)
    a1, a2 = submit(ff, "A"), submit(ff, "A")
    b1 = submit(ff, "B")
    got = {c.eid: c for c in ff.claim(n=10)}
    c = got[a1]
    until = now_ms(ff) + 3600000
    rep = ff.call("ff_rate_limited", [core_key(a1)], a1, *c.fence, str(until))
    assert rep == [1, "OK", str(until), "A"]
    core = read_core(ff.r, a1)
    assert core["st"].split(" ")[2:4] == ["blocked_by_quota", "paused_by_policy"]
    # not a failure: no retry counted, the attempt is interrupted, not ended
    assert "retries" not in core and core["st"].split(" ")[5] == "attempt_interrupted"
    assert describe(ff)["groups"]["A"]["holders"] == 1  # a2 still runs
    # the stale fence is refused
    assert ff.call("ff_rate_limited", [core_key(a1)], a1, *c.fence, str(until))[:2] == [0, "execution_not_active"]
    ff.call("ff_resume_group", [elig_key(ff)], LANE, "A")
    again = ff.claim_one()
    assert again.eid == a1 and again.atype == "resumed" and again.ai == c.ai
    assert a2 in got and b1 in got


def test_rate_limited_refuses_bad_until(ff):
    submit(ff, "A")
    c = ff.claim_one()
    rep = ff.call("ff_rate_limited", [core_key(c.eid)], c.eid, *c.fence, "5")
    assert rep[:2] == [0, "invalid_input"]
    assert state(ff, c.eid)[:2] == ["active", "leased"]


# ---------------------------------------------------------------- fairness


def test_a_new_group_is_served_within_one_turn_of_a_flood(ff):
    flood = [submit(ff, "A") for _ in range(300)]
    first = ff.claim_one()
    assert first.eid == flood[0]
    lone = submit(ff, "B")
    # B's single execution is the next one handed out, ahead of 299 of A's
    assert ff.claim_one().eid == lone


def test_groups_are_served_round_robin_and_fifo_inside(ff):
    a = [submit(ff, "A") for _ in range(4)]
    b = [submit(ff, "B") for _ in range(4)]
    c = [submit(ff, "C") for _ in range(2)]
    order = [ff.claim_one().eid for _ in range(10)]
    for grp in (a, b, c):
        assert [e for e in order if e in grp] == grp  # FIFO inside a group
    # each round hands out one of every group that has work
    assert set(order[:3]) == {a[0], b[0], c[0]}
    assert set(order[3:6]) == {a[1], b[1], c[1]}


def test_priority_still_wins_over_fairness(ff):
    [submit(ff, "A") for _ in range(5)]
    hi = submit(ff, "B", pri=5)
    assert ff.claim_one().eid == hi


def test_lanes_without_groups_keep_creation_order_and_no_fair_state(ff):
    ids = [submit(ff) for _ in range(5)]
    order = [ff.claim_one().eid for _ in range(5)]
    # creation time, then id inside one millisecond: the order before quotas
    assert order == sorted(ids, key=lambda e: (int(read_core(ff.r, e)["created"]), e))
    assert ff.r.keys("ff:q:*") == []
    assert all("vt" not in read_core(ff.r, e) for e in ids)


# ---------------------------------------------------------------- fail closed, reads


def test_a_corrupt_policy_hands_out_nothing(ff):
    create_quota(ff, cap=2)
    e = submit(ff, "A")
    ff.r.hset(qbase(ff) + ":pol", "cap", "lots")
    rep = ff.claim_raw(n=5)
    assert rep[:2] == [0, "corrupt_record"], rep
    assert state(ff, e)[2] == "eligible_now"
    ff.r.hset(qbase(ff) + ":pol", "cap", "2")
    assert [c.eid for c in ff.claim(n=5)] == [e]


def test_list_quotas_pages_lanes_with_a_policy(ff):
    for lane in ("l1", "l2", "l3"):
        create_quota(ff, lane=lane, cap=1)
    key = "ff:i:%s:quota_lanes" % ff.tag
    assert ff.call_ro("ff_list_quotas", [key], "", "2") == [1, "OK", "l2", "l1", "l2"]
    assert ff.call_ro("ff_list_quotas", [key], "l2", "2") == [1, "OK", "", "l3"]
    assert ff.call_ro("ff_list_quotas", [key], "", "0")[:2] == [0, "invalid_input"]


def test_describe_without_policy_is_empty(ff):
    d = describe(ff)
    assert d["id"] == "" and d["groups"] == {}
    assert ff.call_ro("ff_describe_quota", [elig_key(ff)], LANE, "", "0")[:2] == [0, "invalid_input"]


def test_bad_group_in_policy_is_refused_at_submit(ff):
    rep, _ = ff.create_raw(policy={"group": ""})
    assert rep[:3] == [0, "invalid_policy_json", "group:bad_key"], rep
    rep, _ = ff.create_raw(policy={"group": 7})
    assert rep[:3] == [0, "invalid_policy_json", "group:bad_key"], rep


def test_explicit_reclaim_grant_honours_the_cap(ff):
    create_quota(ff, cap=1)
    e = submit(ff, "A")
    ff.claim_one()
    ff.revoke(e)
    other = submit(ff, "A", pri=5)
    # the higher-priority one takes the freed slot; the reclaim stays eligible
    assert [c.eid for c in ff.claim(n=5)] == [other]
    assert state(ff, e)[:2] == ["active", "lease_revoked"]
    token = new_eid()[7:]
    assert ff.call("ff_reclaim_grant", [core_key(e)], e, "w1", token, "60000")[0] == 1
    rep = ff.call("ff_claim_reclaim", [core_key(e)], e, token, "w1", "wi1", "", "30000",
                  new_eid()[7:], new_eid()[7:])
    assert rep[:2] == [0, "concurrency_limit_exceeded"], rep
