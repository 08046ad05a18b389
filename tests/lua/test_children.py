"""Child flows, the completion feed, ff_flow_wait_mark and flow retention at
the server library level (lua/children.lua, lua/flow_feed.lua,
lib/75_edges.lua): a parent waits for its children and resumes the same
attempt inside the last child's ending; the feed records every ending and
every settling in order; retention deletes a settled flow's keys."""

import time

from ffhelpers import core_key, new_eid, read_core
from test_flow import flow_key, submit, submit_args

FEED = "ff:i:{fp:0}:flow_feed"


def wait_children(ff, cl, timeout="", behavior=""):
    return ff.call("ff_wait_children", [core_key(cl.eid)], cl.eid, *cl.fence, timeout, behavior)


def children(ff, eid):
    rep = ff.call_ro("ff_flow_children", [core_key(eid)], eid)
    assert rep[:2] == [1, "OK"], rep
    return [rep[i:i + 5] for i in range(2, len(rep), 5)]


def feed(ff, cursor="", count="100"):
    rep = ff.call_ro("ff_flow_feed", [FEED], cursor, count)
    assert rep[:2] == [1, "OK"], rep
    return rep[2], rep[3], [rep[i:i + 5] for i in range(4, len(rep), 5)]


def spawn(ff, parent, n, edges=(), fid=None):
    fid = fid or new_eid(ff.part)
    rep = submit(ff, fid, n, edges=edges, parent=parent)
    assert rep[:4] == [1, "OK", fid, "created"], rep
    return fid, rep[4:]


def test_parent_waits_and_resumes_the_same_attempt(ff):
    pe = ff.create()
    parent = ff.claim_one()
    assert parent.eid == pe
    fid, (a, b) = spawn(ff, pe, 2, edges=[(0, 1)])
    assert ff.r.smembers("ff:e:%s:cf" % pe) == {fid.encode()}
    assert wait_children(ff, parent)[:4] == [1, "OK", "suspended", "1"]
    core = read_core(ff.r, pe)
    assert "waiting_for_children" in core["st"] and "suspended" in core["st"]
    # the parent's old lease is gone: its fence no longer works
    assert ff.complete(parent)[0] == 0
    ca = ff.claim_one()
    assert ca.eid == a
    assert ff.complete(ca, result="ra")[0] == 1
    assert "suspended" in read_core(ff.r, pe)["st"]  # one child still to go
    cb = ff.claim_one()
    assert cb.eid == b
    assert ff.complete(cb, result="rb")[0] == 1
    # the last child's ending resumed the parent in the same call
    again = ff.claim_one()
    assert again.eid == pe
    assert again.atype == "resumed" and again.aid == parent.aid
    assert int(again.epoch) > int(parent.epoch)
    rows = children(ff, pe)
    assert sorted(r[1] for r in rows) == sorted([a, b])
    got = {r[1]: r for r in rows}
    assert got[a][2:] == ["completed", "1", "ra"] and got[b][2:] == ["completed", "1", "rb"]
    assert all(r[0] == fid for r in rows)
    assert ff.complete(again)[0] == 1


def test_already_settled_children_keep_the_lease(ff):
    pe = ff.create()
    parent = ff.claim_one()
    fid, (a,) = spawn(ff, pe, 1)
    ca = ff.claim_one()
    assert ca.eid == a
    assert ff.complete(ca)[0] == 1
    # not sealed yet: the child flow stays running, more children may join
    d = ff.call_ro("ff_flow_describe", [flow_key(fid)], fid)
    assert d[3] == "running", d
    assert wait_children(ff, parent)[:3] == [1, "OK", "already_satisfied"]
    assert "active" in read_core(ff.r, pe)["st"]
    d = ff.call_ro("ff_flow_describe", [flow_key(fid)], fid)
    assert d[3] == "completed", d
    assert ff.complete(parent)[0] == 1


def test_sealed_child_flow_takes_no_member(ff):
    pe = ff.create()
    parent = ff.claim_one()
    fid, _ = spawn(ff, pe, 1)
    assert wait_children(ff, parent)[2] == "suspended"
    eid, args = ff.create_args()
    rep = ff.call("ff_create", [core_key(eid)], *args, fid)
    assert rep[:2] == [0, "flow_already_terminal"], rep
    assert not ff.r.exists(core_key(eid))


def test_wait_children_refusals_write_nothing(ff):
    pe = ff.create()
    parent = ff.claim_one()
    assert wait_children(ff, parent)[:2] == [0, "no_children"]
    spawn(ff, pe, 1)
    before = ff.r.hgetall(core_key(pe))
    assert wait_children(ff, parent, timeout="abc")[:2] == [0, "invalid_input"]
    assert wait_children(ff, parent, behavior="explode", timeout="10")[:2] == [0, "invalid_input"]
    assert wait_children(ff, parent, behavior="cancel")[:2] == [0, "invalid_input"]  # needs a timeout
    stale = parent.__class__(**{**parent.__dict__, "epoch": str(int(parent.epoch) + 5)})
    assert wait_children(ff, stale)[0] == 0
    assert ff.r.hgetall(core_key(pe)) == before


def test_parent_must_be_running_and_on_the_partition(ff):
    pe = ff.create()  # never claimed
    fid = new_eid(ff.part)
    rep = submit(ff, fid, 1, parent=pe)
    assert rep[:2] == [0, "execution_not_active"], rep
    assert not ff.r.exists(flow_key(fid))
    rep = submit(ff, fid, 1, parent=new_eid(1))
    assert rep[:2] == [0, "partition_mismatch"], rep
    rep = submit(ff, fid, 1, parent=new_eid(ff.part))
    assert rep[:2] == [0, "execution_not_found"], rep
    assert not ff.r.exists(flow_key(fid))


def test_wait_timeout_fails_the_parent(ff):
    pe = ff.create()
    parent = ff.claim_one()
    spawn(ff, pe, 1)
    assert wait_children(ff, parent, timeout="1", behavior="fail")[2] == "suspended"
    time.sleep(0.01)
    ff.sweep()
    assert "failed" in read_core(ff.r, pe)["st"]


def test_feed_records_endings_and_the_settling_in_order(ff):
    start, _, _ = feed(ff, cursor="$")
    fid = new_eid(ff.part)
    rep = submit(ff, fid, 2, edges=[(0, 1)])
    a, b = rep[4:]
    ca = ff.claim_one()
    assert ff.fail(ca, no_retry="1")[0] == 1  # a fails, b is skipped, the flow fails
    cur, gap, rows = feed(ff, cursor=start)
    assert gap == "0"
    assert [r[1:] for r in rows] == [[fid, a, "failed", "member"], [fid, b, "skipped", "member"],
                                    [fid, "", "failed", "flow"]]
    assert cur == rows[-1][0]
    # exclusive cursor: nothing new after the last entry
    assert feed(ff, cursor=cur) == (cur, "0", [])
    # a page of one continues where it stopped
    c1, _, one = feed(ff, cursor=start, count="1")
    assert one == rows[:1]
    assert feed(ff, cursor=c1, count="5")[2] == rows[1:]
    assert ff.call_ro("ff_flow_feed", [FEED], "bogus", "1")[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_flow_feed", [FEED], "", "0")[:2] == [0, "invalid_input"]


def test_feed_reports_a_gap_after_trimming(ff):
    start, _, _ = feed(ff, cursor="$")
    fid = new_eid(ff.part)
    (eid,) = submit(ff, fid, 1)[4:]
    assert ff.cancel_op(eid)[0] == 1
    cur, gap, rows = feed(ff, cursor=start)
    assert len(rows) == 2 and gap == "0"
    time.sleep(0.002)
    # retention 0: the sweep trims every entry older than now
    assert ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "0")[0] == 1
    assert ff.r.xlen(FEED) == 0
    assert feed(ff, cursor=start)[1] == "1"  # the consumer missed entries
    assert feed(ff, cursor=cur)[1] == "0"  # nothing newer than its cursor was lost
    assert feed(ff, cursor="")[1] == "1"


def test_wait_mark_and_settle_publish(ff):
    fid = new_eid(ff.part)
    (eid,) = submit(ff, fid, 1)[4:]
    assert ff.call("ff_flow_wait_mark", [flow_key(fid)], fid) == [1, "OK", "waiting"]
    p = ff.r.pubsub()
    p.subscribe("ff:done:{fp:0}")
    p.get_message(timeout=1)
    cl = ff.claim_one()
    assert ff.complete(cl)[0] == 1
    msgs = []
    for _ in range(10):
        m = p.get_message(timeout=1)
        if m and m["type"] == "message":
            msgs.append(m["data"].decode())
        if fid in msgs:
            break
    p.close()
    assert fid in msgs
    assert ff.call("ff_flow_wait_mark", [flow_key(fid)], fid) == [1, "OK", "terminal"]
    assert ff.call("ff_flow_wait_mark", [flow_key(new_eid(ff.part))], new_eid(ff.part))[:2] == \
        [0, "invalid_input"]


def test_retention_deletes_a_settled_flow_with_every_key(ff):
    fid = new_eid(ff.part)
    rep = submit(ff, fid, 3, edges=[(0, 1), (0, 2)])
    ids = rep[4:]
    for _ in range(3):
        cl = ff.claim_one()
        assert ff.complete(cl)[0] == 1
    assert ff.r.zscore("ff:i:{fp:0}:flows_ended", fid) is not None
    keys_before = [k.decode() for k in ff.r.scan_iter("ff:f:%s*" % fid.replace("{", "[{]"))]
    assert len(keys_before) > 3
    rep = ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "0")
    assert rep[:3] == [1, "OK", "swept"], rep
    assert rep[-1] == "1"  # flows_deleted
    assert [k for k in ff.r.scan_iter("ff:f:%s*" % fid.replace("{", "[{]"))] == []
    assert ff.r.zscore("ff:i:{fp:0}:flows", fid) is None
    assert ff.r.zscore("ff:i:{fp:0}:flows_ended", fid) is None
    for eid in ids:
        assert not ff.r.exists(core_key(eid))  # the members went by execution retention


def test_running_flow_is_kept_by_retention(ff):
    fid = new_eid(ff.part)
    submit(ff, fid, 2, edges=[(0, 1)])
    cl = ff.claim_one()
    assert ff.complete(cl)[0] == 1
    rep = ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "0")
    assert rep[-1] == "0"
    assert ff.r.exists(flow_key(fid))


def test_submit_argv_counts_the_parent(ff):
    fid = new_eid(ff.part)
    argv = submit_args(ff, fid, 1)
    assert ff.call("ff_flow_submit", [flow_key(fid)], *argv[:-1])[:2] == [0, "invalid_input"]


def test_attempt_timeout_of_a_member_resolves_its_edges(ff):
    fid = new_eid(ff.part)
    slow = ff.create_args(policy={"timeout_policy": {"attempt_timeout_ms": 20}})[1]
    rep = submit(ff, fid, 2, edges=[(0, 1)], members=[slow, ff.create_args()[1]])
    a, b = rep[4:]
    assert ff.claim_one().eid == a
    time.sleep(0.05)
    ff.sweep()
    assert "expired" in read_core(ff.r, a)["st"]
    assert "skipped" in read_core(ff.r, b)["st"]
    d = ff.call_ro("ff_flow_describe", [flow_key(fid)], fid)
    assert d[3] == "failed", d


def test_suspension_timeout_of_a_member_resolves_its_edges(ff):
    """A member that waits for children of its own (a flow inside a flow)
    and times out: the timeout fails it, which skips its downstream."""
    fid = new_eid(ff.part)
    a, b = submit(ff, fid, 2, edges=[(0, 1)])[4:]
    ca = ff.claim_one()
    assert ca.eid == a
    spawn(ff, a, 1)
    assert wait_children(ff, ca, timeout="1", behavior="fail")[2] == "suspended"
    time.sleep(0.01)
    ff.sweep()
    assert "failed" in read_core(ff.r, a)["st"]
    assert "skipped" in read_core(ff.r, b)["st"]
