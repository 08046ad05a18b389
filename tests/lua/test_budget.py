"""Budgets at the server library level (lua/budget.lua): create idempotence,
limit updates, check-before-increment at the exact boundaries, dedup, the
per-execution ledger and its release, resets (explicit and by the engine's
budget sweep), the reads, fail-closed on corrupt records, and the lease
check of ff_lease_current."""

import json
import threading

import pytest

from ffhelpers import core_key, new_eid

TAG = "{b:7}"


def bkey(bid, tag=TAG):
    return "ff:b:%s:%s" % (tag, bid)


def create(ff, bid="b1", dims=(("tokens", 100, 80),), scope="tenant", sid="acme", on_hard="notify",
           on_soft="notify", interval=0):
    flat = [str(x) for d in dims for x in d]
    return ff.call("ff_create_budget", [bkey(bid)], bid, scope, sid, on_hard, on_soft, str(interval), *flat)


def report(ff, deltas, bid="b1", eid="", dedup=""):
    flat = [str(x) for d in deltas for x in d]
    return ff.call("ff_report_usage", [bkey(bid)], bid, eid, dedup, *flat)


def describe(ff, bid="b1"):
    rep = ff.call_ro("ff_describe_budget", [bkey(bid)], bid)
    assert rep[:2] == [1, "OK"], rep
    names = ["scope_type", "scope_id", "on_hard", "on_soft", "interval", "created", "next_reset_at",
             "resets", "breaches", "soft_breaches", "last_breach_at", "last_breach_dim", "last_reset_at",
             "executions"]
    d = dict(zip(names, rep[2:16]))
    d["dims"] = {rep[i]: (int(rep[i + 1]), int(rep[i + 2]), int(rep[i + 3])) for i in range(16, len(rep), 4)}
    return d


def usage(ff, bid="b1"):
    return {k: v[2] for k, v in describe(ff, bid)["dims"].items()}


def release(ff, eid, bid="b1"):
    return ff.call("ff_release_budget", [bkey(bid)], bid, eid)


def reset(ff, bid="b1"):
    return ff.call("ff_reset_budget", [bkey(bid)], bid)


def dump(ff):
    return {k: ff.r.dump(k) for k in sorted(ff.r.keys("ff:*"))}


def test_create_is_idempotent_and_keeps_the_original(ff):
    assert create(ff) == [1, "OK", "created", "1", ""]
    assert create(ff) == [1, "OK", "existing", "1", ""]
    # a repeat with other limits changes nothing and says it differs
    assert create(ff, dims=(("tokens", 999, 0),)) == [1, "OK", "existing", "0", ""]
    d = describe(ff)
    assert d["dims"] == {"tokens": (100, 80, 0)}
    assert (d["scope_type"], d["scope_id"], d["on_hard"], d["on_soft"]) == ("tenant", "acme", "notify", "notify")
    assert ff.call_ro("ff_list_budgets", ["ff:i:%s:budgets" % TAG], "", "10") == [1, "OK", "", "b1"]


def test_create_validation_writes_nothing(ff):
    bad = [dict(scope="planet"), dict(on_hard="explode"), dict(on_soft="cancel_pending"), dict(interval=-1),
           dict(dims=(("tokens", 10, 20),)), dict(dims=(("to kens", 1, 0),)), dict(dims=(("t", "x", 0),)),
           dict(dims=(("t", 1, 0), ("t", 2, 0)))]
    for kw in bad:
        rep = create(ff, **kw)
        assert rep[0] == 0 and rep[1] in ("invalid_input", "invalid_budget_scope"), (kw, rep)
    assert create(ff, scope="planet")[1] == "invalid_budget_scope"
    # a key that does not match the id, a wrong tag family, a bad id
    assert ff.call("ff_create_budget", [bkey("other")], "b1", "global", "", "notify", "notify", "0")[1] == "invalid_input"
    assert ff.call("ff_create_budget", ["ff:b:{fp:1}:b1"], "b1", "global", "", "notify", "notify", "0")[1] == "invalid_input"
    assert ff.call("ff_create_budget", [bkey("a b")], "a b", "global", "", "notify", "notify", "0")[1] == "invalid_input"
    assert ff.call("ff_create_budget", [bkey("b1")], "b1", "global", "", "notify", "notify", "0", "t", "1")[1] == "invalid_input"
    assert ff.r.keys("ff:*") == []


def test_hard_boundary_and_multi_dimension_breach_applies_nothing(ff):
    create(ff, dims=(("tokens", 100, 0), ("cost", 50, 0)))
    assert report(ff, [("tokens", 60), ("cost", 50)]) == [1, "OK", "applied", "", "", ""]  # equal: allowed
    # tokens fits (100 == hard) but cost would pass: neither applies
    assert report(ff, [("tokens", 40), ("cost", 1)]) == [1, "OK", "hard_breach", "cost", "50", "50"]
    assert usage(ff) == {"tokens": 60, "cost": 50}
    d = describe(ff)
    assert d["breaches"] == "1" and d["last_breach_dim"] == "cost" and d["last_breach_at"] != ""
    assert report(ff, [("tokens", 41)]) == [1, "OK", "hard_breach", "tokens", "60", "100"]
    assert report(ff, [("tokens", 40)])[2] == "applied"
    assert usage(ff) == {"tokens": 100, "cost": 50}
    assert report(ff, [("tokens", 0), ("cost", 0)])[2] == "applied"  # at the limit, nothing more: fine
    assert describe(ff)["breaches"] == "2"


def test_soft_boundary_is_strictly_greater(ff):
    create(ff, dims=(("tokens", 0, 10), ("cost", 0, 5)))  # soft only: never refused
    assert report(ff, [("tokens", 10)])[2] == "applied"  # equal to soft: not a breach
    assert report(ff, [("cost", 6), ("tokens", 1)]) == [1, "OK", "soft_breach", "cost", "6", "5"]
    assert usage(ff) == {"tokens": 11, "cost": 6}  # a soft breach applies every delta
    assert report(ff, [("tokens", 1000)]) == [1, "OK", "soft_breach", "tokens", "1011", "10"]
    assert describe(ff)["soft_breaches"] == "2"


def test_unlimited_dimension_is_tracked(ff):
    create(ff)
    assert report(ff, [("wall_ms", 12345), ("tokens", 1)])[2] == "applied"
    assert describe(ff)["dims"]["wall_ms"] == (0, 0, 12345)


def test_dedup_key_applies_once(ff):
    create(ff)
    assert report(ff, [("tokens", 5)], dedup="call-1")[2] == "applied"
    assert report(ff, [("tokens", 5)], dedup="call-1") == [1, "OK", "already_applied", "", "", ""]
    assert usage(ff) == {"tokens": 5}
    ttl = ff.r.pttl("ff:b:%s:b1:dd:call-1" % TAG)
    assert 0 < ttl <= 86400000
    # a refused report sets no dedup key: the same key may apply later
    assert report(ff, [("tokens", 200)], dedup="call-2")[2] == "hard_breach"
    assert report(ff, [("tokens", 10)], dedup="call-2")[2] == "applied"
    assert usage(ff) == {"tokens": 15}


def test_report_validation_writes_nothing(ff):
    create(ff)
    before = dump(ff)
    for deltas, kw in [([("tokens", -1)], {}), ([("tokens", "1.5")], {}), ([("to kens", 1)], {}),
                       ([("tokens", 1), ("tokens", 1)], {}), ([("tokens", 1)], dict(eid="nope")),
                       ([("tokens", 1)], dict(dedup="a\nb"))]:
        rep = report(ff, deltas, **kw)
        assert rep[:2] == [0, "invalid_input"], (deltas, kw, rep)
    assert ff.call("ff_report_usage", [bkey("b1")], "b1", "", "", "tokens")[1] == "invalid_input"
    assert report(ff, [("tokens", 1)], bid="nope") == [0, "budget_not_found", "nope"]
    assert dump(ff) == before


def test_ledger_record_and_release_idempotent_and_isolated(ff):
    create(ff, dims=(("tokens", 100, 0), ("cost", 0, 0)))
    a, b = new_eid(0), new_eid(3)
    report(ff, [("tokens", 30), ("cost", 7)], eid=a)
    report(ff, [("tokens", 5)], eid=a)
    report(ff, [("tokens", 20)], eid=b)
    report(ff, [("tokens", 1)])  # no execution: no ledger
    assert describe(ff)["executions"] == "2"
    assert ff.r.hgetall("ff:b:%s:b1:led:%s" % (TAG, a)) == {b"tokens": b"35", b"cost": b"7"}
    assert release(ff, a) == [1, "OK", "released", "2"]
    assert usage(ff) == {"tokens": 21, "cost": 0}
    assert release(ff, a) == [1, "OK", "noop", "0"]  # idempotent
    assert usage(ff) == {"tokens": 21, "cost": 0}
    assert describe(ff)["executions"] == "1"
    assert release(ff, new_eid(1)) == [1, "OK", "noop", "0"]
    assert release(ff, "bad") [:2] == [0, "invalid_input"]


def test_release_never_below_zero(ff):
    create(ff)
    a = new_eid()
    report(ff, [("tokens", 30)], eid=a)
    ff.r.hset("ff:b:%s:b1:use" % TAG, "tokens", "10")  # lowered behind its back
    assert release(ff, a)[2] == "released"
    assert usage(ff) == {"tokens": 0}


def test_reset_cycle(ff):
    create(ff, dims=(("tokens", 100, 0),), interval=60000)
    d = describe(ff)
    assert int(d["next_reset_at"]) > int(d["created"])
    a = new_eid()
    report(ff, [("tokens", 100), ("wall_ms", 3)], eid=a)
    assert report(ff, [("tokens", 1)])[2] == "hard_breach"
    rep = reset(ff)
    assert rep[:3] == [1, "OK", "reset"] and rep[4] == "1"
    d = describe(ff)
    assert d["dims"] == {"tokens": (100, 0, 0), "wall_ms": (0, 0, 0)}
    assert d["resets"] == "1" and d["last_reset_at"] != "" and d["last_breach_at"] == ""
    assert d["executions"] == "0" and int(d["next_reset_at"]) >= int(d["last_reset_at"]) + 60000
    # the ledger went with the reset: releasing gives nothing back twice
    assert release(ff, a) == [1, "OK", "noop", "0"]
    assert report(ff, [("tokens", 100)])[2] == "applied"
    assert reset(ff, bid="nope")[:2] == [0, "budget_not_found"]


def test_engine_sweep_performs_due_resets(ff):
    create(ff, bid="due", interval=60000)
    create(ff, bid="later", interval=60000)
    create(ff, bid="never")
    for bid in ("due", "later", "never"):
        report(ff, [("tokens", 10)], bid=bid)
    rk = "ff:i:%s:budget_resets" % TAG
    assert ff.r.zcard(rk) == 2
    ff.r.zadd(rk, {"due": 1})  # due long ago
    rep = ff.call("ff_budget_sweep", [rk], "100")
    assert rep[:5] == [1, "OK", "1", "0", "0"]
    assert rep[5] == str(int(ff.r.zscore(rk, "later")))  # next due: the earliest left
    assert usage(ff, "due") == {"tokens": 0} and describe(ff, "due")["resets"] == "1"
    assert usage(ff, "later") == {"tokens": 10} and usage(ff, "never") == {"tokens": 10}
    assert int(ff.r.zscore(rk, "due")) >= int(rep[6]) + 60000
    # nothing due: nothing happens
    assert ff.call("ff_budget_sweep", [rk], "100")[2:5] == ["0", "0", "0"]
    assert ff.call("ff_budget_sweep", ["ff:i:{fp:0}:budget_resets"], "1")[1] == "invalid_input"
    assert ff.call("ff_budget_sweep", [rk], "0")[1] == "invalid_input"


def test_sweep_limit_and_more(ff):
    rk = "ff:i:%s:budget_resets" % TAG
    for i in range(3):
        create(ff, bid="b%d" % i, interval=1000)
        ff.r.zadd(rk, {"b%d" % i: 1})
    rep = ff.call("ff_budget_sweep", [rk], "2")
    assert rep[2:5] == ["2", "0", "1"]
    assert ff.call("ff_budget_sweep", [rk], "2")[2:5] == ["1", "0", "0"]


def test_sweep_fails_closed_on_a_corrupt_budget(ff):
    create(ff, interval=1000)
    rk = "ff:i:%s:budget_resets" % TAG
    ff.r.zadd(rk, {"b1": 1, "ghost": 1})
    ff.r.hset(bkey("b1"), "interval", "x")
    rep = ff.call("ff_budget_sweep", [rk], "10")
    assert rep[2:4] == ["0", "1"]
    assert ff.r.zscore(rk, "ghost") is None  # a budget that does not exist: stray entry dropped
    assert ff.r.zscore(rk, "b1") > 1  # kept, looked at again later
    assert ff.r.exists(bkey("b1"))


@pytest.mark.parametrize("where", ["limits", "usage", "def"])
def test_corrupt_record_fails_closed(ff, where):
    create(ff, dims=(("tokens", 100, 0),))
    report(ff, [("tokens", 5)], eid=new_eid())
    if where == "limits":
        ff.r.hset("ff:b:%s:b1:lim" % TAG, "h:tokens", "lots")
    elif where == "usage":
        ff.r.hset("ff:b:%s:b1:use" % TAG, "tokens", "-3")
    else:
        ff.r.hset(bkey("b1"), "breaches", "1.5")
    before = dump(ff)
    assert report(ff, [("tokens", 1)])[:2] == [0, "corrupt_record"]
    assert report(ff, [("tokens", 1000)])[:2] == [0, "corrupt_record"]  # no breach counted either
    assert dump(ff) == before
    rep = ff.call_ro("ff_describe_budget", [bkey("b1")], "b1")
    assert rep[:2] == [0, "corrupt_record"]


def test_wrong_type_limits_fail_closed(ff):
    create(ff)
    ff.r.delete("ff:b:%s:b1:lim" % TAG)
    ff.r.set("ff:b:%s:b1:lim" % TAG, "oops")
    with pytest.raises(Exception) as ei:
        report(ff, [("tokens", 1)])
    assert "WRONGTYPE" in str(ei.value)
    assert ff.r.hget("ff:b:%s:b1:use" % TAG, "tokens") is None


def test_update_limits_explicit(ff):
    create(ff, dims=(("tokens", 100, 80),))
    report(ff, [("tokens", 100)])
    assert report(ff, [("tokens", 1)])[2] == "hard_breach"
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1", "tokens", "200", "0", "cost", "5", "0") == \
        [1, "OK", "updated", "2"]
    assert describe(ff)["dims"]["tokens"] == (200, 0, 100)
    assert report(ff, [("tokens", 100)])[2] == "applied"
    # 0/0 removes a dimension's limits
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1", "cost", "0", "0")[3] == "1"
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1", "tokens", "5", "9")[1] == "invalid_input"
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1")[1] == "invalid_input"
    assert ff.call("ff_update_budget_limits", [bkey("x")], "x", "t", "1", "0")[:2] == [0, "budget_not_found"]


def test_list_pages(ff):
    for i in range(5):
        create(ff, bid="b%d" % i)
    k = "ff:i:%s:budgets" % TAG
    assert ff.call_ro("ff_list_budgets", [k], "", "2") == [1, "OK", "b1", "b0", "b1"]
    assert ff.call_ro("ff_list_budgets", [k], "b1", "2") == [1, "OK", "b3", "b2", "b3"]
    assert ff.call_ro("ff_list_budgets", [k], "b3", "2") == [1, "OK", "", "b4"]
    assert ff.call_ro("ff_list_budgets", [k], "", "0")[1] == "invalid_input"


def test_concurrent_reporters_never_exceed_hard(ff, server):
    import redis
    create(ff, dims=(("tokens", 1000, 0),))
    applied = []

    def worker():
        r = redis.Redis(host="127.0.0.1", port=server)
        n = 0
        for _ in range(100):
            rep = r.execute_command("FCALL", "ff_report_usage", 1, bkey("b1"), "b1", "", "", "tokens", "7")
            if rep[2] == b"applied":
                n += 1
        applied.append(n)

    ts = [threading.Thread(target=worker) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sum(applied) == 1000 // 7
    assert usage(ff) == {"tokens": 7 * (1000 // 7)}


def test_lease_current(ff):
    ff.create()
    c = ff.claim_one()
    call = lambda fence: ff.call_ro("ff_lease_current", [core_key(c.eid)], c.eid, *fence)  # noqa: E731
    assert call(c.fence) == [1, "OK", "current"]
    assert call((c.lid, str(int(c.epoch) + 1), c.aid))[:2] == [0, "stale_lease"]
    assert call(("", "", ""))[:2] == [0, "fence_required"]
    assert call((c.lid, "", ""))[:2] == [0, "partial_fence_triple"]
    ff.complete(c)
    assert call(c.fence)[:2] == [0, "execution_not_active"]
    other = new_eid()
    assert ff.call_ro("ff_lease_current", [core_key(other)], other, *c.fence)[:2] == [0, "execution_not_found"]


# ---------------------------------------------------------------- blocking

def sweep_items(ff):
    rep = ff.call("ff_budget_sweep", ["ff:i:%s:budget_resets" % TAG], "100")
    assert rep[:2] == [1, "OK"], rep
    return [tuple(rep[i:i + 3]) for i in range(7, len(rep), 3)]


def propagate(ff, parts=(0,)):
    """What the engine does: every pending state change marked on every
    execution partition, then confirmed on the budget."""
    for bid, gen, blocked in sweep_items(ff):
        for p in parts:
            while True:
                rep = ff.call("ff_budget_mark", ["ff:i:{fp:%d}:budget_marks" % p], bid, gen, blocked, "1000")
                assert rep[:3] == [1, "OK", "marked"], rep
                if rep[4] == "0":
                    break
        assert ff.call("ff_budget_propagated", [bkey(bid)], bid, gen) == [1, "OK", "done"]


def attached(ff, bids=("b1",), **kw):
    # spaced: FIFO is by creation ms, so the order the tests check is theirs
    return ff.create_spaced(policy={"budgets": list(bids)}, **kw)


def test_attachment_is_recorded(ff):
    eid = attached(ff, ("b1", "tenant:acme"))
    assert ff.r.hget(core_key(eid), "bud") == b"b1,tenant:acme"
    for bad in [{"budgets": "b1"}, {"budgets": ["a b"]}, {"budgets": ["x", "x"]}, {"budgets": ["b"] * 17}]:
        rep, _ = ff.create_raw(policy=bad)
        assert rep[:2] == [0, "invalid_policy_json"] and rep[2].startswith("budgets:"), (bad, rep)


def test_block_then_unblock_on_reset(ff):
    create(ff, dims=(("tokens", 10, 0),), on_hard="block")
    first, second = attached(ff), attached(ff)
    free = ff.create()  # draws on no budget
    assert report(ff, [("tokens", 9)])[2] == "applied"
    assert sweep_items(ff) == []  # under the limit: not blocked
    assert report(ff, [("tokens", 1)])[2] == "applied"  # reaches the hard limit: blocked
    assert ff.r.hget(bkey("b1"), "blocked") == b"1"
    assert sweep_items(ff) == [("b1", "1", "1")]
    propagate(ff)
    assert sweep_items(ff) == []
    # the claim parks both attached executions and hands out the free one
    c = ff.claim(n=3)
    assert [x.eid for x in c] == [free]
    for eid in (first, second):
        assert ff.public(eid) == "rate_limited"
        assert ff.index_state(eid) == "budget_blocked"
    assert ff.claim_raw()[2] == "0"  # nothing left at the head: nothing spins
    assert ff.counts()["budget_blocked"] == 2
    assert reset(ff)[2] == "reset"
    assert sweep_items(ff) == [("b1", "2", "0")]
    propagate(ff)
    for eid in (first, second):
        assert ff.public(eid) == "waiting"
    assert [x.eid for x in ff.claim(n=2)] == [first, second]  # original order kept


def test_unblock_on_limit_raise_and_on_release(ff):
    create(ff, dims=(("tokens", 10, 0),), on_hard="block")
    eid = attached(ff)
    report(ff, [("tokens", 10)], eid=new_eid())
    propagate(ff)
    assert ff.claim_raw()[2] == "0"
    assert ff.public(eid) == "rate_limited"
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1", "tokens", "20", "0")[2] == "updated"
    propagate(ff)
    assert ff.public(eid) == "waiting"
    # cut the limit below usage: blocked again; a release makes room
    assert ff.call("ff_update_budget_limits", [bkey("b1")], "b1", "tokens", "5", "0")[2] == "updated"
    propagate(ff)
    assert ff.claim_raw()[2] == "0" and ff.public(eid) == "rate_limited"
    spender = ff.r.smembers("ff:b:%s:b1:leds" % TAG).pop().decode()
    assert release(ff, spender)[2] == "released"
    propagate(ff)
    assert ff.claim_one().eid == eid


def test_soft_block_and_notify_does_not_block(ff):
    create(ff, bid="soft", dims=(("tokens", 0, 5),), on_soft="block")
    create(ff, bid="note", dims=(("tokens", 5, 0),), on_hard="notify")
    a, b = attached(ff, ("soft",)), attached(ff, ("note",))
    report(ff, [("tokens", 5)], bid="soft")  # equal to soft: not over
    report(ff, [("tokens", 5)], bid="note")  # at hard, but notify only
    assert sweep_items(ff) == []
    report(ff, [("tokens", 1)], bid="soft")
    propagate(ff)
    assert [x.eid for x in ff.claim(n=2)] == [b]
    assert ff.public(a) == "rate_limited"


def test_two_budgets_wait_for_both(ff):
    create(ff, bid="x", dims=(("tokens", 1, 0),), on_hard="block")
    create(ff, bid="y", dims=(("tokens", 1, 0),), on_hard="block")
    eid = attached(ff, ("x", "y"))
    report(ff, [("tokens", 1)], bid="x")
    report(ff, [("tokens", 1)], bid="y")
    propagate(ff)
    assert ff.claim_raw()[2] == "0"
    reset(ff, bid="x")
    propagate(ff)
    assert ff.public(eid) == "rate_limited"  # y still blocks it
    reset(ff, bid="y")
    propagate(ff)
    assert ff.claim_one().eid == eid


def test_mark_is_idempotent_and_ignores_stale_generations(ff):
    mk = "ff:i:{fp:0}:budget_marks"
    assert ff.call("ff_budget_mark", [mk], "b1", "2", "1", "10") == [1, "OK", "marked", "0", "0"]
    assert ff.call("ff_budget_mark", [mk], "b1", "1", "0", "10") == [1, "OK", "stale", "0", "0"]
    assert ff.r.hget(mk, "b1") == b"2:1"
    assert ff.call("ff_budget_mark", [mk], "b1", "3", "0", "10")[2] == "marked"
    assert ff.call("ff_budget_mark", [mk], "b1", "3", "0", "10")[2] == "marked"
    for bad in [("a b", "1", "1", "1"), ("b1", "0", "1", "1"), ("b1", "1", "3", "1"), ("b1", "1", "1", "0")]:
        assert ff.call("ff_budget_mark", [mk], *bad)[:2] == [0, "invalid_input"], bad
    ff.r.hset(mk, "b2", "junk")
    assert ff.call("ff_budget_mark", [mk], "b2", "1", "1", "1")[:2] == [0, "corrupt_record"]


def test_cancel_of_a_parked_execution_leaves_no_trace(ff):
    create(ff, dims=(("tokens", 1, 0),), on_hard="block")
    eid = attached(ff)
    report(ff, [("tokens", 1)])
    propagate(ff)
    assert ff.claim_raw()[2] == "0"
    assert ff.cancel_op(eid)[0] == 1
    assert ff.public(eid) == "cancelled"
    reset(ff)
    propagate(ff)  # the stale wait entry is dropped, nothing revived
    assert ff.public(eid) == "cancelled"


def test_cancel_pending_cancels_attached_flow_members_not_running(ff):
    create(ff, dims=(("tokens", 5, 0),), on_hard="cancel_pending")
    fid = new_eid()
    assert ff.call("ff_flow_create", ["ff:f:" + fid], fid, "", "", "default", "")[3] == "created"
    members = []
    for _ in range(3):
        eid, args = ff.create_args(policy={"budgets": ["b1"]})
        assert ff.call("ff_create", [core_key(eid)], *args, fid)[0] == 1
        members.append(eid)
    running = ff.claim_one()  # started before the budget ran out
    pending = [m for m in members if m != running.eid]
    report(ff, [("tokens", 4)])
    assert sweep_items(ff) == []  # below the hard limit: nothing happens
    report(ff, [("tokens", 1)])  # at the hard limit: cancel pending work
    assert sweep_items(ff) == [("b1", "1", "2")]
    propagate(ff)
    assert ff.claim_raw()[2] == "0"
    for eid in pending:
        assert ff.public(eid) == "cancelled"
        core = ff.core(eid)
        assert (core["cby"], core["creason"]) == ("budget", "budget_exceeded")
    assert ff.public(running.eid) == "active"  # running work is never cancelled
    assert ff.complete(running)[0] == 1
    rep = ff.call_ro("ff_flow_describe", ["ff:f:" + fid], fid)
    assert rep[0] == 1


def test_soft_block_then_hard_cancel_cancels_parked(ff):
    create(ff, dims=(("tokens", 5, 2),), on_hard="cancel_pending", on_soft="block")
    eid = attached(ff)
    report(ff, [("tokens", 3)])  # over soft: block
    propagate(ff)
    assert ff.claim_raw()[2] == "0" and ff.public(eid) == "rate_limited"
    report(ff, [("tokens", 2)])  # at hard: cancel, the parked one included
    assert sweep_items(ff) == [("b1", "2", "2")]
    propagate(ff)
    assert ff.public(eid) == "cancelled"


# ------------------------------------------------------------ flows with budgets

def flow_with_budgets(ff, budgets):
    fid = new_eid()
    rep = ff.call("ff_flow_create", ["ff:f:" + fid], fid, "", "", "default", budgets)
    assert rep[:4] == [1, "OK", fid, "created"], rep
    return fid


def test_flow_members_inherit_the_flows_budgets_and_are_blocked_by_them(ff):
    create(ff, dims=(("tokens", 10, 0),), on_hard="block")
    fid = flow_with_budgets(ff, "b1")
    assert ff.r.hget("ff:f:" + fid, "bud") == b"b1"
    # joined at create (ff_create with the flow id), its own list first
    own, args = ff.create_args(policy={"budgets": ["b2", "b1"]})
    assert ff.call("ff_create", [core_key(own)], *args, fid)[0] == 1
    plain, args = ff.create_args()
    assert ff.call("ff_create", [core_key(plain)], *args, fid)[0] == 1
    # joined later (ff_flow_add_member)
    later, args = ff.create_args()
    assert ff.call("ff_create", [core_key(later)], *args)[0] == 1
    assert ff.r.hget(core_key(later), "bud") is None
    assert ff.call("ff_flow_add_member", ["ff:f:" + fid], fid, later)[2] == "added"
    assert ff.r.hget(core_key(own), "bud") == b"b2,b1"  # merged, each once
    assert ff.r.hget(core_key(plain), "bud") == b"b1"
    assert ff.r.hget(core_key(later), "bud") == b"b1"
    # the reads show the effective list (own first) and the flow's
    snap = ff.call_ro("ff_snapshot", [core_key(own)], own)
    assert json.loads(snap[2])["budgets"] == ["b2", "b1"]
    fdoc = ff.call_ro("ff_flow_describe", ["ff:f:" + fid], fid)
    assert json.loads(fdoc[2])["budgets"] == ["b1"]
    free = ff.create()  # not a member: draws on nothing
    assert report(ff, [("tokens", 10)])[2] == "applied"  # at the hard limit: block
    propagate(ff)
    assert [x.eid for x in ff.claim(n=4)] == [free]
    for eid in (own, plain, later):
        assert ff.public(eid) == "rate_limited"


def test_flow_submit_members_inherit_the_flows_budgets(ff):
    from test_flow import submit
    fid = new_eid()
    rep = submit(ff, fid, 2, edges=[(0, 1)], budgets="b1,tenant:acme")
    assert rep[:4] == [1, "OK", fid, "created"], rep
    for eid in rep[4:]:
        assert ff.r.hget(core_key(eid), "bud") == b"b1,tenant:acme"
    assert ff.r.hget("ff:f:" + fid, "bud") == b"b1,tenant:acme"
    # the budgets are part of the body: a repeat with others conflicts
    assert submit(ff, fid, 2, edges=[(0, 1)], budgets="b1")[:2] == [0, "flow_submit_conflict"]


def test_flow_budgets_validation_writes_nothing(ff):
    from test_flow import submit
    for bad in ["a b", "b1,b1", ",b1", "b1,", ",".join("b%d" % i for i in range(17)), "x" * 129]:
        fid = new_eid()
        rep = ff.call("ff_flow_create", ["ff:f:" + fid], fid, "", "", "default", bad)
        assert rep[:2] == [0, "invalid_input"], (bad, rep)
        assert submit(ff, fid, 1, budgets=bad)[:2] == [0, "invalid_input"], bad
        assert ff.r.exists("ff:f:" + fid) == 0
    assert ff.r.keys("ff:e:*") == []  # no member was created either
