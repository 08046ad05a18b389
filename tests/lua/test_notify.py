"""The library's Pub/Sub notifications (lib/45_notify.lua): a call that may
publish and is refused a channel by ACL writes nothing (N.guard), and the
completion notification of ff_wait_mark / X.terminal."""

import time

import pytest
import redis

from ffhelpers import FF, Sig, core_key, messages, new_uuid, snapshot, subscribe

CHANNELS = ("ff:wake:", "ff:due:", "ff:done:")


@pytest.fixture
def acl_user(r, server):
    """factory: a connection as a fresh ACL user allowed every key, every
    command and exactly the channel patterns given."""
    made, conns = [], []

    def make(*channels):
        name = "u-" + new_uuid()[:8]
        rules = ["on", ">pw", "~*", "+@all", "resetchannels"] + ["&" + c for c in channels]
        r.execute_command("ACL", "SETUSER", name, *rules)
        made.append(name)
        c = redis.Redis(host="127.0.0.1", port=server, username=name, password="pw")
        conns.append(c)
        return FF(c, part=0)

    yield make
    for c in conns:
        c.close()
    for name in made:
        r.execute_command("ACL", "DELUSER", name)


def all_but(missing):
    return [p + "*" for p in CHANNELS if p != missing]


def refused(rep, chan):
    assert rep[:2] == [0, "unauthorized"], rep
    assert chan + "{fp:0}" in rep[2], rep


@pytest.mark.parametrize("missing", CHANNELS)
def test_create_refused_writes_nothing(ff, acl_user, missing):
    lim = acl_user(*all_but(missing))
    before = snapshot(ff.r)
    for kw in ({}, {"delay_until": ff.now_ms() + 60000}, {"deadline": ff.now_ms() + 60000}):
        rep, _ = lim.create_raw(**kw)
        refused(rep, missing)
    assert snapshot(ff.r) == before
    assert ff.r.dbsize() == 0
    assert ff.lanes()[2:] == []


def test_every_publishing_call_is_refused_before_writing(ff, acl_user):
    lim = acl_user(*all_but("ff:wake:"))
    sg = Sig(ff)
    assert sg.secret_init()[0] == 1
    ls = Sig(lim)
    ff.create()
    c = ff.claim_one(ttl=1000)
    waiting = ff.create()
    time.sleep(1.05)  # c's lease is due: a refused call must not even mark it
    done = ff.create(lane="other")
    cd = ff.claim_one(lane="other")
    assert ff.complete(cd)[0] == 1
    c2 = ff.create(lane="third")
    l2 = ff.claim_one(lane="third")
    before = snapshot(ff.r)
    calls = [
        lambda: lim.claim_raw(),
        lambda: lim.renew(c),
        lambda: lim.progress(c, "5"),
        lambda: lim.complete(c),
        lambda: lim.fail(c),
        lambda: lim.cancel_holder(c),
        lambda: lim.cancel_op(waiting),
        lambda: lim.delay(c, 0),
        lambda: lim.replay(done),
        lambda: lim.revoke(c2),
        lambda: lim.sweep(),
        lambda: lim.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "0"),
        lambda: lim.call("ff_reclaim_grant", [core_key(c.eid)], c.eid, "w9", new_uuid(), "5000"),
        lambda: lim.call("ff_claim_reclaim", [core_key(c.eid)], c.eid, new_uuid(), "w9", "wi9", "",
                         "30000", new_uuid(), new_uuid()),
        lambda: ls.suspend_raw(l2, {"waitpoints": [{"id": new_uuid(), "key": "k"}],
                                    "condition": {"single": {"key": "k"}}}),
        lambda: lim.call("ff_create_waitpoint", [core_key(l2.eid)], l2.eid, *l2.fence, new_uuid(), "k",
                         "5000"),
        lambda: lim.call("ff_signal", [core_key(l2.eid)], l2.eid, new_uuid(), "k1:" + "0" * 40,
                         new_uuid(), "n", "t", "s", "", "", ""),
    ]
    for i, call in enumerate(calls):
        rep = call()
        assert rep[:2] == [0, "unauthorized"], (i, rep)
        assert snapshot(ff.r) == before, i
    # calls that never publish keep working for that user
    assert lim.change_priority(waiting, 5)[0] == 1
    assert lim.call("ff_wait_mark", [core_key(waiting)], waiting) == [1, "OK", "waiting"]


def test_a_user_with_the_three_channels_works(ff, acl_user):
    lim = acl_user(*[p + "*" for p in CHANNELS])
    eid = lim.create()
    c = lim.claim_one()
    assert lim.complete(c)[0] == 1
    assert ff.public(eid) == "completed"


def mark(ff, eid):
    return ff.call("ff_wait_mark", [core_key(eid)], eid)


def test_wait_mark_rules(ff):
    missing = "{fp:0}:" + new_uuid()
    assert mark(ff, missing)[:2] == [0, "execution_not_found"]
    assert ff.r.dbsize() == 0
    assert mark(ff, "nonsense")[:2] == [0, "invalid_input"]
    eid = ff.create()
    assert mark(ff, eid) == [1, "OK", "waiting"]
    assert ff.r.hget(core_key(eid), "wt") == b"1"
    assert mark(ff, eid) == [1, "OK", "waiting"]  # idempotent
    c = ff.claim_one()
    assert ff.complete(c)[0] == 1
    assert ff.r.hget(core_key(eid), "wt") is None  # cleared when it ended
    before = snapshot(ff.r)
    assert mark(ff, eid) == [1, "OK", "terminal"]
    assert snapshot(ff.r) == before  # nothing written for a finished one


def test_done_is_published_only_for_waited_executions(ff):
    p = subscribe(ff.r, "ff:done:{fp:0}")
    quiet = ff.create()
    waited = ff.create()
    assert mark(ff, waited)[2] == "waiting"
    for _ in range(2):
        assert ff.complete(ff.claim_one())[0] == 1
    assert messages(p) == [waited]
    assert {ff.public(quiet), ff.public(waited)} == {"completed"}


def test_done_on_every_kind_of_ending(ff):
    p = subscribe(ff.r, "ff:done:{fp:0}")
    pol = {"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 1}}}
    failed = ff.create(policy=pol)
    mark(ff, failed)
    c = ff.claim_one()
    assert ff.fail(c)[2] == "retry_scheduled"
    assert messages(p) == []  # a retry is not an ending
    time.sleep(0.01)
    assert ff.fail(ff.claim_one())[2] == "terminal_failed"
    cancelled = ff.create()
    mark(ff, cancelled)
    assert ff.cancel_op(cancelled)[0] == 1
    expired = ff.create(deadline=ff.now_ms() + 50)
    mark(ff, expired)
    time.sleep(0.06)
    assert ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "86400000")[6] == "1"
    assert messages(p) == [failed, cancelled, expired]
    # replayed and finished again: a new wait is needed for a new message
    assert ff.replay(cancelled)[0] == 1
    assert ff.complete(ff.claim_one())[0] == 1
    assert messages(p) == []
