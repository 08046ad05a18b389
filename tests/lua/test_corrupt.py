"""Corrupt stored records fail loud (corrupt_record naming the key and the
field) and harm nobody else: a claim, a sweep or retention that meets one
sets it aside in the partition's quarantine index and goes on with the
healthy work; the reconciler puts a repaired record back."""

import time

import pytest

from ffhelpers import core_key, lane_key, new_eid


def _engine_sweep(ff, retention="86400000"):
    # the reconciler runs at most every 2 s per partition: lift that here
    ff.r.hdel("ff:i:%s:due" % ff.tag, "rt")
    return ff.call("ff_engine_sweep", ["ff:i:%s:due" % ff.tag], "eng-1", "200", retention)


def _quarantined(ff):
    rep = ff.call_ro("ff_list_quarantined", ["ff:i:%s:quarantine" % ff.tag], "0", "100")
    assert rep[:2] == [1, "OK"], rep
    rows = rep[3:]
    return {rows[i]: rows[i + 2] for i in range(0, len(rows), 3)}


@pytest.mark.parametrize("field,value", [("st", "zz.yy"), ("epoch", "x"), ("pri", "notanumber"),
                                         ("created", "1.5"), ("lexp", "12abc"), ("st", "")])
def test_describe_reports_the_corrupt_field(ff, field, value):
    e = ff.create()
    if value == "":
        ff.r.hdel(core_key(e), field)
    else:
        ff.r.hset(core_key(e), field, value)
    rep = ff.call_ro("ff_describe", [core_key(e)], e)
    assert rep[:4] == [0, "corrupt_record", core_key(e), field], rep
    assert rep[4] == value
    # operator calls refuse it the same way, writing nothing
    assert ff.cancel_op(e)[:4] == [0, "corrupt_record", core_key(e), field]
    if field == "st":
        assert ff.result(e)[:4] == [0, "corrupt_record", core_key(e), field]
        assert ff.change_priority(e, 5)[:4] == [0, "corrupt_record", core_key(e), field]
    assert ff.index_state(e) == "eligible"
    ff.r.flushall()  # the invariant checker reads every record


def test_a_fenced_call_on_a_corrupted_record_is_refused(ff):
    ff.create()
    c = ff.claim_one()
    ff.r.hset(core_key(c.eid), "lexp", "soon")
    assert ff.complete(c, "r")[:4] == [0, "corrupt_record", core_key(c.eid), "lexp"]
    assert ff.r.get(core_key(c.eid) + ":r") is None  # nothing written
    ff.r.hset(core_key(c.eid), "lexp", c.exp)
    assert ff.complete(c, "r")[:2] == [1, "OK"]


def test_claim_sets_a_corrupt_head_aside_and_claims_the_rest(ff):
    bad = ff.create_spaced()
    good = ff.create_spaced()
    ff.r.hset(core_key(bad), "epoch", "x")
    c = ff.claim_one()
    assert c.eid == good
    assert _quarantined(ff) == {bad: "epoch=x"}
    assert ff.r.zscore(lane_key(ff.tag, "default", "eligible"), bad) is None
    # a second claim does not meet it again
    assert ff.claim(n=5) == []
    ff.complete(c, "ok")


def test_claim_quarantines_a_corrupt_reclaim_candidate(ff):
    e = ff.create()
    c = ff.claim_one(ttl=30000)
    assert ff.revoke(e)[:2] == [1, "OK"]
    ff.r.hset(core_key(e), "reclaims", "many")
    ff.create()
    got = ff.claim(n=2)
    assert [x.eid for x in got] != [e] and e not in [x.eid for x in got]
    assert _quarantined(ff) == {e: "reclaims=many"}
    assert c.eid == e


def test_sweeps_quarantine_instead_of_failing(ff):
    e = ff.create(delay_ms=1)
    ff.r.hset(core_key(e), "created", "yesterday")
    healthy = ff.create(delay_ms=1)
    time.sleep(0.01)
    rep = _engine_sweep(ff)
    assert rep[:3] == [1, "OK", "swept"], rep
    assert e in _quarantined(ff)
    assert ff.index_state(healthy) == "eligible"


def test_retention_quarantines_a_corrupt_terminal_record(ff):
    e = ff.create()
    ff.cancel_op(e)
    ff.r.hset(core_key(e), "ended", "then")
    rep = _engine_sweep(ff, retention="0")
    assert rep[:3] == [1, "OK", "swept"], rep
    assert _quarantined(ff) == {e: "ended=then"}
    assert ff.r.exists(core_key(e))  # never deleted on a guess


def test_reconciler_returns_a_repaired_record(ff):
    bad = ff.create()
    ff.r.hset(core_key(bad), "epoch", "x")
    assert ff.claim(n=1) == []
    assert bad in _quarantined(ff)
    ff.r.hdel(core_key(bad), "epoch")  # an operator repairs it
    for _ in range(3):
        _engine_sweep(ff)
    assert _quarantined(ff) == {}
    assert ff.index_state(bad) == "eligible"
    assert ff.claim_one().eid == bad


def test_reconciler_keeps_a_still_corrupt_record_aside(ff):
    bad = ff.create()
    ff.r.hset(core_key(bad), "att", "?")
    ff.r.hset(core_key(bad), "epoch", "x")
    assert ff.claim(n=1) == []
    ff.r.hdel(core_key(bad), "epoch")  # half repaired: att is still corrupt
    for _ in range(3):
        _engine_sweep(ff)
    assert bad in _quarantined(ff)
    assert ff.r.exists(core_key(bad))


def test_create_over_a_corrupt_record_is_refused(ff):
    e = new_eid()
    ff.r.hset(core_key(e), "st", "broken")
    rep, _ = ff.create_raw(eid=e)
    assert rep[:4] == [0, "corrupt_record", core_key(e), "st"]
    ff.r.flushall()
