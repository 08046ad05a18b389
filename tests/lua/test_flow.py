"""Flows at the server library level (lua/flow.lua, lua/lib/75_edges.lua):
the index invariant (checked after every test by the fixture) holds through
blocking, release, skip cascades and sibling cancels; resolution is
idempotent; refusals write nothing; the backlog survives between calls."""

from ffhelpers import core_key, new_eid, new_uuid, read_core


def flow_key(fid):
    return "ff:f:" + fid


def create_flow(ff, mm="", mi="", budgets=""):
    fid = new_eid(ff.part)
    rep = ff.call("ff_flow_create", [flow_key(fid)], fid, mm, mi, "default", budgets)
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


# ------------------------------------------------------------ ff_flow_submit

def submit_args(ff, fid, n, edges=(), groups=(), mm="", mi="", members=None, parent="", budgets=""):
    """ff_flow_submit argv: n default members (or `members`, each a
    create_args list), groups (down, policy, k, on_satisfied), edges (up,
    down[, data])."""
    if members is None:
        members = [ff.create_args()[1] for _ in range(n)]
    argv = [fid, "default", mm, mi, str(len(members)), str(len(groups)), str(len(edges)), parent, budgets]
    for m in members:
        argv += m
    for g in groups:
        argv += [str(g[0]), g[1], str(g[2]), g[3]]
    for e in edges:
        argv += [new_uuid(), str(e[0]), str(e[1]), e[2] if len(e) > 2 else "0"]
    return argv


def submit(ff, fid, *a, **kw):
    return ff.call("ff_flow_submit", [flow_key(fid)], *submit_args(ff, fid, *a, **kw))


def test_submit_chain_blocked_from_birth_and_runs_in_order(ff):
    fid = new_eid(ff.part)
    rep = submit(ff, fid, 3, edges=[(0, 1), (1, 2)])
    assert rep[:4] == [1, "OK", fid, "created"], rep
    a, b, c = rep[4:]
    assert "eligible_now" in state(ff, a)
    assert "blocked_by_dependencies" in state(ff, b) and "blocked_by_dependencies" in state(ff, c)
    for want in (a, b, c):
        cl = ff.claim_one()
        assert cl.eid == want
        assert ff.claim(n=1) == []  # only the one whose upstream ended
        assert ff.complete(cl)[0] == 1
    d = ff.call_ro("ff_flow_describe", [flow_key(fid)], fid)
    assert d[3] == "completed", d


def test_submit_quorum_group_and_diamond(ff):
    fid = new_eid(ff.part)
    # 0 -> 1, 0 -> 2, 0 -> 3; 1,2,3 -> 4 (quorum 2 of 3, let_run)
    rep = submit(ff, fid, 5, edges=[(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4)],
                 groups=[(4, "quorum", 2, "let_run")])
    assert rep[0] == 1, rep
    ids = rep[4:]
    g = {k.decode(): v.decode() for k, v in ff.r.hgetall("ff:f:%s:g:%s" % (fid, ids[4])).items()}
    assert g["pol"] == "quorum" and g["k"] == "2" and g["n"] == "3", g
    cl = ff.claim_one()
    assert cl.eid == ids[0]
    assert ff.complete(cl)[0] == 1
    for _ in range(2):
        cl = ff.claim_one()
        assert cl.eid in ids[1:4]
        assert "blocked_by_dependencies" in state(ff, ids[4])
        assert ff.complete(cl)[0] == 1
    assert "eligible_now" in state(ff, ids[4])  # 2 of 3 succeeded


def test_submit_repeat_is_idempotent_and_another_body_conflicts(ff):
    fid = new_eid(ff.part)
    members = [ff.create_args()[1] for _ in range(2)]
    rep = submit(ff, fid, 2, edges=[(0, 1)], members=members)
    assert rep[3] == "created"
    size = ff.r.dbsize()
    # the same body with fresh member ids (a client retry): the stored ids
    fresh = [[new_eid(ff.part)] + m[1:] for m in members]
    rep2 = submit(ff, fid, 2, edges=[(0, 1)], members=fresh)
    assert rep2 == [1, "OK", fid, "existing"] + rep[4:], rep2
    assert ff.r.dbsize() == size
    rep3 = submit(ff, fid, 2, edges=[], members=fresh)
    assert rep3[:2] == [0, "flow_submit_conflict"], rep3
    assert ff.r.dbsize() == size
    plain = create_flow(ff)  # a flow made by ff_flow_create is no submit's
    size = ff.r.dbsize()
    assert submit(ff, plain, 1)[:2] == [0, "flow_submit_conflict"]
    assert ff.r.dbsize() == size


def test_submit_refusals_write_nothing(ff):
    fid = new_eid(ff.part)
    size = ff.r.dbsize()
    cases = [
        (dict(n=2, edges=[(0, 0)]), "self_referencing_edge"),
        (dict(n=3, edges=[(0, 1), (1, 2), (2, 0)]), "cycle_detected"),
        (dict(n=2, edges=[(0, 1), (0, 1)]), "dependency_already_exists"),
        (dict(n=2, edges=[(0, 2)]), "invalid_input"),
        (dict(n=2, edges=[(0, 1)], groups=[(1, "quorum", 2, "let_run")]), "invalid_flow_policy"),
        (dict(n=2, edges=[(0, 1)], groups=[(1, "most_of", "", "")]), "invalid_flow_policy"),
        (dict(n=2, edges=[(0, 1)], groups=[(0, "any_of", 1, "let_run")]), "invalid_flow_policy"),
        (dict(n=3, mm="2"), "flow_limit_exceeded"),
        (dict(n=3, mi="1", edges=[(0, 2), (1, 2)]), "flow_limit_exceeded"),
        (dict(n=501), "flow_limit_exceeded"),
        (dict(n=1, members=[ff.create_args(idem="k")[1]]), "invalid_input"),
        (dict(n=1, members=[ff.create_args(eid=new_eid(ff.part + 1))[1]]), "partition_mismatch"),
        (dict(n=1, members=[ff.create_args(policy="{")[1]]), "invalid_policy_json"),
        (dict(n=2, edges=[(0, 1)], members=[ff.create_args()[1], ff.create_args(delay_ms="60000")[1]]),
         "invalid_input"),
    ]
    for kw, code in cases:
        rep = submit(ff, fid, **kw)
        assert rep[:2] == [0, code], (kw, rep)
        assert ff.r.dbsize() == size, kw
    # a refusal after the members were read: one of them already exists
    taken = ff.create()
    size = ff.r.dbsize()
    rep = submit(ff, fid, 2, members=[ff.create_args()[1], ff.create_args(eid=taken)[1]])
    assert rep[:2] == [0, "invalid_input"], rep
    assert ff.r.dbsize() == size


def test_blocked_members_are_counted_and_keep_their_lane(ff):
    """A member waiting for its dependencies is in its lane's "blocked"
    index: counted, and the lane stays known while only blocked members are
    left in it (retention forgets a lane only when every index is empty)."""
    fid = new_eid(ff.part)
    up = ff.create_args(lane="up")[1]
    down = ff.create_args(lane="x")[1]
    rep = submit(ff, fid, 2, edges=[(0, 1)], members=[up, down])
    assert rep[0] == 1, rep
    assert ff.counts("x")["blocked"] == 1 and ff.counts("x")["eligible"] == 0
    lone = ff.create(lane="x")
    cl = ff.claim_one(lane="x")
    assert cl.eid == lone and ff.complete(cl)[0] == 1
    rep = ff.call("ff_engine_sweep", ["ff:i:%s:due" % ff.tag], "e1", "100", "0")
    assert rep[:3] == [1, "OK", "swept"] and rep[7] == "1", rep  # lone purged by retention
    assert "x" in ff.lanes()[2:]
    # the upstream ends: the member leaves "blocked" for "eligible"
    cu = ff.claim_one(lane="up")
    assert ff.complete(cu)[0] == 1
    assert ff.counts("x")["blocked"] == 0 and ff.counts("x")["eligible"] == 1


def test_sibling_cancels_are_bounded_and_finished_by_the_sweep(ff):
    """With cancel_remaining, each sibling cancelled is a unit of the call's
    work: past the bound the rest waits in the sibling backlog, durable, and
    the engine's sweep cancels them."""
    fid = new_eid(ff.part)
    n = 6
    edges = [(i, n) for i in range(n)]
    rep = submit(ff, fid, n + 1, edges=edges, groups=[(n, "any_of", 1, "cancel_remaining")])
    ids = rep[4:]
    ff.r.hset("ff:i:%s:due" % ff.tag, "fwb", "3")
    winner = ff.claim_one()
    assert ff.complete(winner)[0] == 1
    siblings = [e for e in ids[:n] if e != winner.eid]
    cancelled = [e for e in siblings if "cancelled" in state(ff, e)]
    assert 0 < len(cancelled) < len(siblings), cancelled  # cut short by the bound of 3
    assert ff.r.scard("ff:i:%s:flow_sib_backlog" % ff.tag) == 1
    assert "eligible_now" in state(ff, ids[n])  # the downstream did not wait for the cancels
    for _ in range(5):
        ff.sweep()
    assert all("cancelled" in state(ff, e) for e in siblings)
    assert ff.r.scard("ff:i:%s:flow_sib_backlog" % ff.tag) == 0
    assert ff.r.scard("ff:i:%s:flow_backlog" % ff.tag) == 0
    assert all(read_core(ff.r, e)["creason"] == "sibling_quorum_satisfied" for e in siblings)
