"""ff_claim: ordering, capability matching, promotion, batching, validation."""

import pytest

from ffhelpers import core_key, lane_key, new_uuid, snapshot, new_eid


def test_claim_empty(ff):
    rep = ff.claim_raw()
    assert rep == [1, "OK", "0"]


def test_claim_reply_and_state(ff):
    eid = ff.create(payload="data", kind="email", ns="tenant")
    lid, aid = new_uuid(), new_uuid()
    now = ff.now_ms()
    c = ff.claim_one(pairs=[(lid, aid)], ttl=30000, wid="wA", wiid="wA-1")
    assert (c.eid, c.ai, c.aid, c.atype, c.lid, c.epoch) == (eid, "0", aid, "initial", lid, "1")
    assert (c.kind, c.ns, c.payload, c.lane) == ("email", "tenant", "data", "default")
    assert abs(int(c.exp) - (now + 30000)) < 60000
    core = ff.core(eid)
    assert core["st"] == "active leased not_applicable none none running_attempt"
    assert core["lid"] == lid and core["epoch"] == "1" and core["aid"] == aid
    assert core["wid"] == "wA" and core["wiid"] == "wA-1"
    assert core["lexp"] == c.exp and core["att"] == "1" and core["ai"] == "0"
    assert core["aty"] == "initial" and core["started"] == core["astart"] == core["lacq"]
    assert ff.indexes_of(eid) == [("default", "active")]
    assert ff.zscore(lane_key("{fp:0}", "default", "active"), eid) == int(c.exp)
    assert ff.in_lease_expiry(eid)
    assert ff.describe(eid)["public"] == "active"
    # nothing left to claim
    assert ff.claim_raw() == [1, "OK", "0"]


def test_priority_then_fifo(ff):
    low1 = ff.create_spaced(pri=1)
    high1 = ff.create_spaced(pri=50)
    low2 = ff.create_spaced(pri=1)
    high2 = ff.create_spaced(pri=50)
    mid = ff.create_spaced(pri=10)
    top = ff.create_spaced(pri=9000)
    order = [ff.claim_one().eid for _ in range(6)]
    assert order == [top, high1, high2, mid, low1, low2]


def test_fifo_same_priority(ff):
    ids = [ff.create_spaced() for _ in range(5)]
    got = [c.eid for c in ff.claim(n=5)]
    assert got == ids


def test_batch_claim(ff):
    ids = [ff.create_spaced() for _ in range(5)]
    cl = ff.claim(n=3)
    assert [c.eid for c in cl] == ids[:3]
    assert len({c.lid for c in cl}) == 3
    cl2 = ff.claim(n=4)
    assert [c.eid for c in cl2] == ids[3:]
    for eid in ids:
        assert ff.index_state(eid) == "active"


def test_lanes_are_separate(ff):
    a = ff.create(lane="a")
    b = ff.create(lane="b")
    assert ff.claim_one(lane="b").eid == b
    assert ff.claim_one(lane="a").eid == a
    assert ff.claim_raw(lane="a") == [1, "OK", "0"]


def test_capability_subset_matching(ff):
    gpu = ff.create(caps="gpu")
    both = ff.create(caps="gpu,linux")
    plain = ff.create()
    # worker without caps only gets the plain one (after skipping the others)
    assert [c.eid for c in ff.claim(n=3, caps="")] == [plain]
    # worker with gpu only: gets gpu, not gpu+linux
    assert [c.eid for c in ff.claim(n=3, caps="gpu")] == [gpu]
    # superset worker, any order
    assert [c.eid for c in ff.claim(n=3, caps="x,linux,gpu")] == [both]


def test_capability_case_sensitive(ff):
    ff.create(caps="GPU")
    assert ff.claim_raw(caps="gpu") == [1, "OK", "0"]
    assert len(ff.claim(caps="GPU")) == 1


def test_capability_from_policy(ff):
    eid = ff.create(policy={"routing_requirements": {"required_capabilities": ["ssd"]}}, caps="cpu")
    assert ff.claim_raw(caps="ssd") == [1, "OK", "0"]
    assert ff.claim_raw(caps="cpu") == [1, "OK", "0"]
    assert ff.claim_one(caps="cpu,ssd").eid == eid


def test_mismatched_head_does_not_block(ff):
    heads = [ff.create(pri=100, caps="special") for _ in range(20)]
    tail = ff.create(pri=0)
    assert ff.claim_one(caps="").eid == tail
    # no live worker has "special": out of the eligible order
    # (tests/lua/test_routing.py has the registry side)
    for h in heads:
        assert ff.index_state(h) == "route_blocked"


def test_scan_window_is_bounded(ff):
    # more mismatching heads than max_count + 100: the tail is not reached
    for _ in range(105):
        ff.create(pri=100, caps="special")
    ff.create(pri=0)
    assert ff.claim_raw(caps="") == [1, "OK", "0"]


def test_delayed_promotion_inside_claim(ff):
    now = ff.now_ms()
    past = ff.create(delay_until=now + 3600_000, pri=5)
    future = ff.create(delay_until=now + 7200_000)
    # move the first one's due time into the past (state fact, no sleeping)
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {past: 1000})
    ff.r.hset(core_key(past), "dl", "1000")
    c = ff.claim_one()
    assert c.eid == past and c.atype == "initial"
    assert "dl" not in ff.core(past)
    assert ff.index_state(future) == "delayed"
    assert ff.claim_raw() == [1, "OK", "0"]


def test_promotion_keeps_priority_order_with_created_at(ff):
    now = ff.now_ms()
    old_delayed = ff.create_spaced(delay_until=now + 3600_000, pri=1)
    newer = ff.create(pri=1)
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {old_delayed: 1})
    # promoted entry keeps its original creation time -> ahead of newer one
    assert [c.eid for c in ff.claim(n=2)] == [old_delayed, newer]


def test_promotion_only_for_own_lane(ff):
    now = ff.now_ms()
    other = ff.create(lane="other", delay_until=now + 3600_000)
    ff.r.zadd(lane_key("{fp:0}", "other", "delayed"), {other: 1})
    assert ff.claim_raw(lane="default") == [1, "OK", "0"]
    assert ff.index_state(other) == "delayed"
    assert ff.claim_one(lane="other").eid == other


def test_stale_index_entries_are_cleaned(ff):
    ghost = new_eid()
    ekey = lane_key("{fp:0}", "default", "eligible")
    ff.r.zadd(ekey, {ghost: -1})
    real = ff.create_spaced()
    # an entry whose core says it is not eligible
    done = ff.create()
    c = ff.claim_one()
    assert c.eid == done or c.eid == real
    # put the active one back into eligible by corrupting the index
    ff.r.zadd(ekey, {c.eid: -2})
    got = ff.claim(n=5)
    assert [x.eid for x in got] == [e for e in (real, done) if e != c.eid]
    assert ff.r.zscore(ekey, ghost) is None
    assert ff.r.zscore(ekey, c.eid) is None
    # the delayed index is self-cleaned too
    dkey = lane_key("{fp:0}", "default", "delayed")
    ff.r.zadd(dkey, {ghost: 1, c.eid: 1})
    ff.claim_raw()
    assert ff.r.zcard(dkey) == 0


def test_resumed_claim_payload_and_kind(ff):
    eid = ff.create(payload="p1", kind="k1")
    c = ff.claim_one()
    assert ff.delay(c, 1)[:2] == [1, "OK"]
    c2 = ff.claim_one()
    assert (c2.eid, c2.payload, c2.kind, c2.atype) == (eid, "p1", "k1", "resumed")


BAD_CLAIMS = [
    (dict(lane=""), ["invalid_input"]),
    (dict(wid=""), ["invalid_input"]),
    (dict(wid="a\nb"), ["invalid_input"]),
    (dict(wiid=""), ["invalid_input"]),
    (dict(wiid="x" * 257), ["invalid_input"]),
    (dict(ttl="0"), ["invalid_input"]),
    (dict(ttl="abc"), ["invalid_input"]),
    (dict(ttl="1.5"), ["invalid_input"]),
    (dict(ttl="86400001"), ["invalid_input"]),
    (dict(n="0", pairs=[]), ["invalid_input"]),
    (dict(n="257", pairs=[(new_uuid(), new_uuid())] * 257), ["invalid_input"]),
    (dict(n="2", pairs=[(new_uuid(), new_uuid())]), ["invalid_input"]),
    (dict(n="1", pairs=[("not-a-uuid", new_uuid())]), ["invalid_input"]),
    (dict(n="1", pairs=[(new_uuid(), new_uuid().upper())]), ["invalid_input"]),
    (dict(key="ff:i:{fp:0}:other:eligible"), ["invalid_input"]),
    (dict(key="ff:i:{fp:0}:default:delayed"), ["invalid_input"]),
    (dict(key="ff:i:default:eligible"), ["invalid_input"]),
    (dict(caps="a,,b"), ["invalid_capabilities", "worker:empty_token"]),
    (dict(caps="a b"), ["invalid_capabilities", "worker:control_or_whitespace"]),
    (dict(caps="a\tb"), ["invalid_capabilities", "worker:control_or_whitespace"]),
    (dict(caps=",".join("c%d" % i for i in range(257))), ["invalid_capabilities", "worker:too_many_tokens"]),
    (dict(caps="x" * 4097), ["invalid_capabilities", "worker:too_many_bytes"]),
]


@pytest.mark.parametrize("over,expect", BAD_CLAIMS)
def test_bad_claim_writes_nothing(ff, over, expect):
    now = ff.now_ms()
    ff.create()
    due = ff.create(delay_until=now + 3600_000)
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {due: 1})  # would be promoted
    before = snapshot(ff.r)
    rep = ff.claim_raw(**over)
    assert rep[0] == 0 and rep[1:1 + len(expect)] == expect, rep
    assert snapshot(ff.r) == before
    ff.r.zadd(lane_key("{fp:0}", "default", "delayed"), {due: int(ff.core(due)["dl"])})


def test_claim_arity(ff):
    rep = ff.call("ff_claim", [lane_key("{fp:0}", "default", "eligible")], "default", "w", "wi", "", "1000")
    assert rep[:2] == [0, "invalid_input"]


def test_worker_caps_limits_inclusive(ff):
    eid = ff.create(caps="c000")
    toks = ["c%03d" % i for i in range(256)]
    assert ff.claim_one(caps=",".join(reversed(toks))).eid == eid


def test_page_shift_after_max_reclaims_terminal(ff):
    doomed = ff.create_spaced(policy={"max_reclaim_count": 0})
    ff.claim_one()
    ff.revoke(doomed)
    later = ff.create()
    # batch of one: the first page only holds the doomed execution
    c = ff.claim_one()
    assert c.eid == later
    assert ff.index_state(doomed) == "failed"


def test_max_batch(ff):
    ids = [ff.create() for _ in range(260)]
    got = ff.claim(n=256)
    assert len(got) == 256 and len({c.eid for c in got}) == 256
    assert len(ff.claim(n=256)) == 4


def test_lane_with_braces_and_colons(ff):
    e = ff.create(lane="{x}:y")
    assert ff.claim_one(lane="{x}:y").eid == e
    assert ff.list_lane("{x}:y", "active")[3:] == [e]



def test_same_millisecond_ties_are_ordered_by_id(ff):
    """Same priority and creation millisecond give equal scores; the index
    then orders by id. Ids that increase in submission order (e.g. time-
    ordered uuids minted by one client) therefore come out FIFO regardless of
    how many submissions share a millisecond."""
    ids = sorted(new_eid() for _ in range(60))
    p = ff.r.pipeline(transaction=False)
    for eid in ids:
        _, args = ff.create_args(eid=eid)
        p.execute_command("FCALL", "ff_create", 1, core_key(eid), *args)
    p.execute()
    assert [c.eid for c in ff.claim(n=60)] == ids
