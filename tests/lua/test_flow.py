"""Flows at the server library level (lua/flow.lua, lua/lib/75_edges.lua):
the index invariant (checked after every test by the fixture) holds through
blocking, release, skip cascades and sibling cancels; resolution is
idempotent; refusals write nothing; the backlog survives between calls."""

from ffhelpers import core_key, new_eid, new_uuid, read_core


def flow_key(fid):
    return "ff:f:" + fid


def create_flow(ff, mm="", mi=""):
    fid = new_eid(ff.part)
    rep = ff.call("ff_flow_create", [flow_key(fid)], fid, mm, mi, "default")
    assert rep[:4] == [1, "OK", fid, "created"], rep
    return fid


def member(ff, fid, lane="default"):
    eid, args = ff.create_args(lane=lane)
    rep = ff.call("ff_create", [core_key(eid)], *args, fid)
    assert rep[0] == 1, rep
    return eid


def edge(ff, fid, up, down, rev="", data="0"):
    return ff.call("ff_flow_add_edge", [flow_key(fid)], fid, new_uuid(), up, down, rev, data)


def state(ff, eid):
    return read_core(ff.r, eid)["st"]


def test_chain_blocks_releases_and_skips(ff):
    fid = create_flow(ff)
    a, b, c = member(ff, fid), member(ff, fid), member(ff, fid)
    assert edge(ff, fid, a, b)[0] == 1
    assert edge(ff, fid, b, c)[0] == 1
    assert "blocked_by_dependencies" in state(ff, b)
    cl = ff.claim_one()
    assert cl.eid == a
    assert ff.claim(n=1) == []  # b and c are never offered
    assert ff.fail(cl, no_retry="1")[0] == 1
    assert "skipped" in state(ff, b) and "skipped" in state(ff, c)
    d = ff.call_ro("ff_flow_describe", [flow_key(fid)], fid)
    assert d[3] == "failed", d


def test_refusals_write_nothing(ff):
    fid = create_flow(ff)
    a, b = member(ff, fid), member(ff, fid)
    before = ff.r.hgetall(flow_key(fid))
    assert edge(ff, fid, a, a)[:2] == [0, "self_referencing_edge"]
    assert edge(ff, fid, a, b, rev="0")[:2] == [0, "stale_graph_revision"]
    other = new_eid(1)
    assert edge(ff, fid, a, other)[:2] == [0, "partition_mismatch"]
    assert ff.call("ff_flow_add_edge", [flow_key(fid)], fid, "not-a-uuid", a, b, "", "0")[:2] == \
        [0, "invalid_input"]
    assert ff.r.hgetall(flow_key(fid)) == before
    assert not ff.r.exists("ff:f:%s:in:%s" % (fid, b))
    assert "eligible_now" in state(ff, b)


def test_quorum_cancel_remaining_keeps_indexes(ff):
    fid = create_flow(ff)
    ups = [member(ff, fid) for _ in range(3)]
    down = member(ff, fid)
    assert ff.call("ff_flow_set_group", [flow_key(fid)], fid, down, "quorum", "2",
                   "cancel_remaining") == [1, "OK", "set"]
    for u in ups:
        assert edge(ff, fid, u, down)[0] == 1
    c1 = ff.claim_one()
    c2 = ff.claim_one()
    assert ff.complete(c1)[0] == 1
    assert ff.complete(c2)[0] == 1
    assert "eligible_now" in state(ff, down)
    # the claim order of equal-priority members is not part of the contract:
    # the one sibling left unclaimed is the one cancelled
    (rest,) = set(ups) - {c1.eid, c2.eid}
    assert "cancelled" in state(ff, rest)
    assert read_core(ff.r, rest)["creason"] == "sibling_quorum_satisfied"


def test_backlog_is_durable_between_calls(ff):
    fid = create_flow(ff)
    a = member(ff, fid)
    downs = [member(ff, fid) for _ in range(3)]
    for d in downs:
        assert edge(ff, fid, a, d)[0] == 1
    ff.r.hset("ff:i:%s:due" % ff.tag, "fwb", "2")
    cl = ff.claim_one()
    assert ff.complete(cl)[0] == 1
    released = [d for d in downs if "eligible_now" in state(ff, d)]
    assert len(released) == 2
    assert ff.r.smembers("ff:i:%s:flow_backlog" % ff.tag) == {a.encode()}
    ff.sweep()
    assert all("eligible_now" in state(ff, d) for d in downs)
    assert ff.r.scard("ff:i:%s:flow_backlog" % ff.tag) == 0
    # a second sweep finds nothing to redo (idempotent resolution)
    g = ff.r.hgetall("ff:f:%s:g:%s" % (fid, downs[0]))
    ff.sweep()
    assert ff.r.hgetall("ff:f:%s:g:%s" % (fid, downs[0])) == g
