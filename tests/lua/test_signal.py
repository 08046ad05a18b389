"""Suspension, waitpoints, HMAC-signed signals and the waitpoint secret keystore
(lua/signal.lua, lib/80_wait.lua) plus their engine-sweep steps."""

import json
import time

import pytest

from ffhelpers import SECRET_HEX, Sig, core_key, dec, new_uuid, snapshot, wp_token

DUE = "ff:i:{fp:0}:due"
SECRET2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"


@pytest.fixture
def sg(ff):
    s = Sig(ff)
    assert s.secret_init() == [1, "OK", "k1", "created"]
    return s


def engine_sweep(ff, retention=86400000):
    rep = ff.call("ff_engine_sweep", [DUE], "e1", "100", str(retention))
    assert rep[:3] == [1, "OK", "swept"], rep
    names = ["leases", "promoted", "timeouts", "deadlines", "retained", "repaired", "more",
             "next_due", "now", "susp_timeouts", "wp_expired", "flow_edges_resolved", "flows_deleted"]
    assert len(rep) == 3 + len(names), rep
    return dict(zip(names, rep[3:]))


def single(key="k", name=None, wp_id=None, **extra):
    cond = {"key": key}
    if name is not None:
        cond["name"] = name
    spec = {"waitpoints": [{"id": wp_id or new_uuid(), "key": key}], "condition": {"single": cond}}
    spec.update(extra)
    return spec


def running(ff, **kw):
    ff.create(**kw)
    return ff.claim_one()


def suspended(ff, sg, spec=None, **kw):
    c = running(ff, **kw)
    status, sid, wps = sg.suspend(c, spec or single())
    assert status == "suspended"
    return c, sid, wps


# ------------------------------------------------------------ the tokens

def test_token_is_hmac_sha1_of_id_key_created(ff, sg):
    c, _, wps = suspended(ff, sg, single(key="approval:1"))
    wp_id, key, tok = wps[0]
    assert key == "approval:1"
    created = sg.wp(wp_id)["created"]
    assert tok == wp_token("k1", SECRET_HEX, wp_id, key, created)
    assert sg.wp(wp_id)["tok"] == tok and sg.wp(wp_id)["kid"] == "k1"


def test_long_secret_is_hashed_first(ff):
    s = Sig(ff)
    long_hex = "ab" * 100  # 100-byte key: RFC 2104 hashes it to 20 bytes first
    assert s.secret_init("big", long_hex)[2] == "big"
    c = running(ff)
    _, _, wps = s.suspend(c, single())
    wp_id, key, tok = wps[0]
    assert tok == wp_token("big", long_hex, wp_id, key, s.wp(wp_id)["created"])


def test_bad_tokens_are_rejected_before_any_state_check(ff, sg):
    c, _, wps = suspended(ff, sg)
    wp_id, key, tok = wps[0]
    other_c, _, other_wps = suspended(ff, sg)
    kid, hexd = tok.split(":")
    tampered = kid + ":" + ("0" if hexd[0] != "0" else "1") + hexd[1:]
    before = snapshot(ff.r)
    cases = [
        (wp_id, tampered, "invalid_token"),
        (wp_id, other_wps[0][2], "invalid_token"),          # token of another waitpoint
        (other_wps[0][0], other_wps[0][2], "invalid_token"),  # waitpoint of another execution
        (wp_id, "k9:" + hexd, "invalid_token"),             # unknown kid
        (wp_id, "k1" + hexd, "invalid_token"),              # no ':'
        (wp_id, "k1:" + hexd[:39], "invalid_token"),        # short digest
        (wp_id, ":" + hexd, "invalid_token"),               # empty kid
        (new_uuid(), tok, "invalid_token"),                 # missing waitpoint: no oracle
        (wp_id, "", "missing_token"),
    ]
    for w, t, want in cases:
        rep = sg.signal(c.eid, w, t)
        assert rep[:2] == [0, want], (w, t, rep)
    assert snapshot(ff.r) == before
    assert ff.st(c.eid)[0] == "suspended"


def test_missing_keystore(ff):
    s = Sig(ff)
    c = running(ff)
    rep = s.suspend_raw(c, single())
    assert rep[:2] == [0, "hmac_secret_not_initialized"]
    assert s.create_wp(c)[:2] == [0, "hmac_secret_not_initialized"]
    assert ff.st(c.eid)[0] == "active"


def test_corrupt_keystore_is_invalid_secret(ff, sg):
    c, _, wps = suspended(ff, sg)
    wp_id, _, tok = wps[0]
    sec = "ff:sec:%s" % ff.tag
    ff.r.hset(sec, "secret:k1", "not-hex")
    before = snapshot(ff.r)
    assert sg.signal(c.eid, wp_id, tok)[:4] == [0, "invalid_secret", sec, "k1"]
    assert snapshot(ff.r) == before  # refused before any write
    c2 = running(ff)
    assert sg.suspend_raw(c2, single())[:4] == [0, "invalid_secret", sec, "k1"]
    assert sg.create_wp(c2)[:2] == [0, "invalid_secret"]
    ff.r.hdel(sec, "secret:k1")  # current kid named, its secret gone: also damaged
    assert sg.suspend_raw(c2, single())[:2] == [0, "invalid_secret"]
    assert ff.st(c2.eid)[0] == "active"  # the lease is kept


def test_uppercase_digest_accepted(ff, sg):
    c, _, wps = suspended(ff, sg)
    wp_id, _, tok = wps[0]
    kid, hexd = tok.split(":")
    assert sg.signal(c.eid, wp_id, kid + ":" + hexd.upper())[3] == "resume_condition_satisfied"


# -------------------------------------------------------------- keystore

def test_secret_init_only_once_and_repair(ff):
    s = Sig(ff)
    assert s.secret_init("k1") == [1, "OK", "k1", "created"]
    assert s.secret_init("k2", SECRET2) == [1, "OK", "k1", "existing"]
    assert dec(ff.r.hget(s.sec_key, "secret:k1")) == SECRET_HEX
    ff.r.hdel(s.sec_key, "secret:k1")
    assert s.secret_init("k1") == [1, "OK", "k1", "repaired"]


def test_rotation_grace_then_expiry(ff, sg):
    c, _, wps = suspended(ff, sg)
    old_wp, _, old_tok = wps[0]
    assert sg.rotate("k2", SECRET2, 400)[:5] == [1, "OK", "rotated", "k1", "k2"]
    lst = sg.secret_list()
    assert lst[:5] == [1, "OK", "k2", "1", "k1"]
    # new waitpoints are minted with the new kid
    c2, _, wps2 = suspended(ff, sg)
    assert wps2[0][2].startswith("k2:")
    assert wps2[0][2] == wp_token("k2", SECRET2, wps2[0][0], "k", sg.wp(wps2[0][0])["created"])
    # within grace the old kid still verifies (a non-matching name: no state change)
    c3, _, wps3 = suspended(ff, sg, single(name="x"))
    assert wps3[0][2].startswith("k2:")
    rep = sg.signal(c.eid, old_wp, old_tok, name="go")
    assert rep[:2] == [1, "OK"] and rep[3] == "resume_condition_satisfied"
    # a k1 token minted before the rotation, used after the grace
    c4 = running(ff)
    ff.r.hset(sg.sec_key, "expires_at:k1", ff.now_ms() + 300)
    sg.rotate("k3", SECRET_HEX.replace("0", "3"), 60000)  # k1 is still in grace: kept
    assert dec(ff.r.hget(sg.sec_key, "secret:k1")) == SECRET_HEX
    time.sleep(0.45)
    # forge a k1 token for a live waitpoint: past its grace -> token_expired
    _, _, w4 = sg.suspend(c4, single())
    forged = wp_token("k1", SECRET_HEX, w4[0][0], "k", sg.wp(w4[0][0])["created"])
    assert sg.signal(c4.eid, w4[0][0], forged)[:2] == [0, "token_expired"]
    # expired kid answers token_expired even for a missing waitpoint (no oracle)
    assert sg.signal(c4.eid, new_uuid(), forged)[:2] == [0, "token_expired"]
    # the next rotation garbage-collects expired kids
    rep = sg.rotate("k4", SECRET2.replace("f", "4"), 1000)
    assert rep[2] == "rotated" and rep[5] == "1"
    assert ff.r.hget(sg.sec_key, "secret:k1") is None


def test_rotation_conflicts_and_bad_inputs(ff, sg):
    before = snapshot(ff.r)
    assert sg.rotate("k1", SECRET2, 1000)[:2] == [0, "rotation_conflict"]
    assert sg.rotate("k1", SECRET_HEX, 1000) == [1, "OK", "noop", "k1"]
    for kid, sec, grace, want in [
        ("", SECRET2, 1000, "invalid_kid"),
        ("a:b", SECRET2, 1000, "invalid_kid"),
        ("k 2", SECRET2, 1000, "invalid_kid"),
        ("k" * 21, SECRET2, 1000, "invalid_kid"),
        ("k2", "abc", 1000, "invalid_secret_hex"),
        ("k2", "zz" * 16, 1000, "invalid_secret_hex"),
        ("k2", "ab" * 8, 1000, "invalid_secret_hex"),   # shorter than 16 bytes
        ("k2", SECRET2, -1, "invalid_grace_ms"),
        ("k2", SECRET2, "1.5", "invalid_grace_ms"),
        ("k2", SECRET2, "", "invalid_grace_ms"),
    ]:
        rep = sg.rotate(kid, sec, grace)
        assert rep[:2] == [0, want], (kid, sec, grace, rep)
    assert snapshot(ff.r) == before
    sg.rotate("k2", SECRET2, 1000)
    sg.rotate("k3", SECRET2, 1000)
    # re-installing a retired kid with another secret is a conflict
    assert sg.rotate("k2", SECRET_HEX.replace("0", "9"), 1000)[:2] == [0, "rotation_conflict"]
    assert Sig(ff).ff.call("ff_secret_rotate", ["ff:sec:{fp:1}"], "k", SECRET2, "1")[:2] == \
        [0, "hmac_secret_not_initialized"]


# --------------------------------------------- suspend, signal, resume

def test_suspend_releases_lease_and_signal_resumes_same_attempt(ff, sg):
    c = running(ff, policy={"timeout_policy": {"attempt_timeout_ms": 60000}})
    status, sid, wps = sg.suspend(c, single(name="approved", reason="waiting_for_approval"))
    assert (status, sid) == ("suspended", "1")
    assert ff.st(c.eid) == ["suspended", "unowned", "not_applicable", "waiting_for_approval", "none",
                            "attempt_interrupted"]
    core = ff.core(c.eid)
    assert "lid" not in core and "atdl" not in core and 0 < int(core["atrem"]) <= 60000
    assert ff.index_state(c.eid) == "suspended"
    assert ff.public(c.eid) == "suspended"
    att = ff.describe(c.eid)["attempts"][0]
    assert att["state"] == "suspended" and att["lease_epoch"] == 1
    # the old fence is dead
    assert ff.complete(c)[:2] == [0, "execution_not_active"]
    rep = sg.list_suspended()
    assert rep[:3] == [1, "OK", "0"] and rep[3] == c.eid and rep[5] == "waiting_for_approval"
    wp_id, key, tok = wps[0]
    payload = "x" * 200
    rep = sg.signal(c.eid, wp_id, tok, name="approved", payload=payload, src_type="operator", src="bob")
    assert rep[:2] == [1, "OK"] and rep[3] == "resume_condition_satisfied"
    assert ff.st(c.eid) == ["runnable", "unowned", "eligible_now", "waiting_for_worker", "none",
                            "attempt_interrupted"]
    assert sg.susp(c.eid)["state"] == "closed" and sg.susp(c.eid)["close_reason"] == "resumed"
    assert sg.wp(wp_id)["state"] == "closed"
    assert sg.list_suspended() == [1, "OK", "0"]
    c2 = ff.claim_one(wid="w2")
    assert (c2.eid, c2.atype, c2.ai, c2.aid) == (c.eid, "resumed", c.ai, c.aid)
    assert int(c2.epoch) == int(c.epoch) + 1
    core = ff.core(c.eid)
    assert "atrem" not in core and int(core["atdl"]) <= ff.now_ms() + 60000
    obs = sg.observe(c.eid, c2.ai)
    assert obs == [(rep[2], "approved", "operator", "bob", obs[0][4], payload)]
    assert sg.observe(c.eid, 7) == []
    assert ff.complete(c2)[:2] == [1, "OK"]
    # signals after the close
    assert sg.signal(c.eid, wp_id, tok, name="approved")[:2] == [0, "waitpoint_closed"]


def test_non_matching_signal_is_recorded_but_ignored(ff, sg):
    c, _, wps = suspended(ff, sg, single(name="yes"))
    wp_id, _, tok = wps[0]
    rep = sg.signal(c.eid, wp_id, tok, name="no")
    assert rep[3] == "signal_ignored_matcher_failed"
    assert ff.st(c.eid)[0] == "suspended"
    assert dec(ff.r.hget("ff:sig:{fp:0}:" + rep[2], "effect")) == "signal_ignored_matcher_failed"
    assert sg.signal(c.eid, wp_id, tok, name="yes")[3] == "resume_condition_satisfied"


def test_any_name_single(ff, sg):
    c, _, wps = suspended(ff, sg, single())
    assert sg.signal(c.eid, wps[0][0], wps[0][2], name="whatever")[3] == "resume_condition_satisfied"


def test_duplicate_signal_returns_first_and_has_no_effect(ff, sg):
    c, _, wps = suspended(ff, sg, {"waitpoints": [{"id": new_uuid(), "key": "k"}],
                                   "condition": {"count": {"n": 2, "kind": "distinct_signals",
                                                           "keys": ["k"]}}})
    wp_id, _, tok = wps[0]
    first = sg.signal(c.eid, wp_id, tok, idem="i1")
    assert first[3] == "appended_to_waitpoint"
    again = sg.signal(c.eid, wp_id, tok, idem="i1")
    assert again == [1, "DUPLICATE", first[2], "appended_to_waitpoint"]
    assert ff.r.zcard(core_key(c.eid) + ":sigs") == 1
    assert ff.st(c.eid)[0] == "suspended"
    # the same signal id again is a duplicate too
    sid = new_uuid()
    r1 = sg.signal(c.eid, wp_id, tok, sig_id=sid)
    assert r1[3] == "resume_condition_satisfied"
    assert sg.signal(c.eid, wp_id, tok, sig_id=sid) == [1, "DUPLICATE", sid, "resume_condition_satisfied"]
    # and a retry of the resuming signal after the close still answers DUPLICATE
    assert sg.signal(c.eid, wp_id, tok, idem="i1")[:2] == [1, "DUPLICATE"]


def test_all_of_needs_every_waitpoint(ff, sg):
    spec = {"waitpoints": [{"id": new_uuid(), "key": "a"}, {"id": new_uuid(), "key": "b"}],
            "condition": {"all_of": [{"single": {"key": "a"}}, {"single": {"key": "b", "name": "ok"}}]}}
    c, _, wps = suspended(ff, sg, spec)
    (wa, ka, ta), (wb, kb, tb) = wps
    assert (ka, kb) == ("a", "b")
    assert sg.signal(c.eid, wa, ta)[3] == "appended_to_waitpoint"
    assert sg.signal(c.eid, wa, ta)[3] == "appended_to_waitpoint_duplicate"
    assert sg.signal(c.eid, wb, tb, name="nope")[3] == "signal_ignored_matcher_failed"
    assert ff.st(c.eid)[0] == "suspended"
    last = sg.signal(c.eid, wb, tb, name="ok")
    assert last[3] == "resume_condition_satisfied"
    assert sg.wp(wa)["state"] == "closed" and sg.wp(wb)["state"] == "closed"
    assert len(json.loads(sg.susp(c.eid)["satisfiers"])) == 2


def test_count_distinct_sources_ignores_repeated_source(ff, sg):
    spec = {"waitpoints": [{"id": new_uuid(), "key": "votes"}],
            "condition": {"count": {"n": 2, "kind": "distinct_sources", "keys": ["votes"], "name": "vote"}}}
    c, _, wps = suspended(ff, sg, spec)
    w, _, t = wps[0]
    assert sg.signal(c.eid, w, t, name="vote", src="alice")[3] == "appended_to_waitpoint"
    assert sg.signal(c.eid, w, t, name="vote", src="alice")[3] == "appended_to_waitpoint_duplicate"
    assert sg.signal(c.eid, w, t, name="other", src="bob")[3] == "signal_ignored_matcher_failed"
    assert ff.st(c.eid)[0] == "suspended"
    assert sg.signal(c.eid, w, t, name="vote", src="bob")[3] == "resume_condition_satisfied"
    c2 = ff.claim_one()
    assert [o[3] for o in sg.observe(c.eid, c2.ai)] == ["alice", "bob"]


def test_nested_counts_are_scoped_per_node(ff, sg):
    # two count nodes of the same kind must not share tokens (anchor caveat)
    spec = {"waitpoints": [{"id": new_uuid(), "key": "a"}, {"id": new_uuid(), "key": "b"}],
            "condition": {"all_of": [
                {"count": {"n": 2, "kind": "distinct_sources", "keys": ["a"]}},
                {"count": {"n": 1, "kind": "distinct_sources", "keys": ["b"]}}]}}
    c, _, wps = suspended(ff, sg, spec)
    (wa, _, ta), (wb, _, tb) = wps
    assert sg.signal(c.eid, wb, tb, src="s1")[3] == "appended_to_waitpoint"
    assert sg.signal(c.eid, wa, ta, src="s1")[3] == "appended_to_waitpoint"
    assert ff.st(c.eid)[0] == "suspended"
    assert sg.signal(c.eid, wa, ta, src="s2")[3] == "resume_condition_satisfied"


def test_count_distinct_waitpoints(ff, sg):
    ids = [new_uuid() for _ in range(3)]
    spec = {"waitpoints": [{"id": i, "key": "k%d" % n} for n, i in enumerate(ids)],
            "condition": {"count": {"n": 2, "keys": ["k0", "k1", "k2"]}}}
    c, _, wps = suspended(ff, sg, spec)
    assert sg.signal(c.eid, wps[0][0], wps[0][2])[3] == "appended_to_waitpoint"
    assert sg.signal(c.eid, wps[0][0], wps[0][2])[3] == "appended_to_waitpoint_duplicate"
    assert sg.signal(c.eid, wps[2][0], wps[2][2])[3] == "resume_condition_satisfied"
    assert all(sg.wp(w[0])["state"] == "closed" for w in wps)


# ------------------------------------------------------- timeouts (sweep)

def _timed(ff, sg, behavior):
    c, _, wps = suspended(ff, sg, single(timeout_ms=50, timeout_behavior=behavior))
    assert ff.r.zscore("ff:i:{fp:0}:susp_timeout", c.eid) is not None
    time.sleep(0.08)
    got = engine_sweep(ff)
    assert got["susp_timeouts"] == "1"
    return c, wps


@pytest.mark.parametrize("behavior,outcome,att_state", [
    ("fail", "failed", "ended_failure"),
    ("cancel", "cancelled", "ended_cancelled"),
    ("expire", "expired", "ended_failure"),
])
def test_timeout_terminal_behaviours(ff, sg, behavior, outcome, att_state):
    c, wps = _timed(ff, sg, behavior)
    st = ff.st(c.eid)
    assert st[0] == "terminal" and st[4] == outcome and st[5] == "attempt_terminal"
    core = ff.core(c.eid)
    why = "suspension_timeout:" + behavior
    assert core.get("reason") == why or core.get("creason") == why
    att = ff.describe(c.eid)["attempts"][0]
    assert att["state"] == att_state and att["failure_reason"] == why
    assert sg.susp(c.eid)["close_reason"] == "timed_out_" + behavior
    assert sg.wp(wps[0][0])["state"] == "closed"
    assert sg.list_suspended() == [1, "OK", "0"]
    assert ff.r.zcard("ff:i:{fp:0}:susp_timeout") == 0
    assert sg.signal(c.eid, wps[0][0], wps[0][2])[:2] == [0, "waitpoint_closed"]


def test_timeout_auto_resume(ff, sg):
    c, wps = _timed(ff, sg, "auto_resume")
    assert ff.st(c.eid)[:3] == ["runnable", "unowned", "eligible_now"]
    assert sg.susp(c.eid)["close_reason"] == "timed_out_auto_resume"
    c2 = ff.claim_one()
    assert (c2.atype, c2.ai, int(c2.epoch)) == ("resumed", c.ai, int(c.epoch) + 1)
    assert sg.observe(c.eid, c2.ai) == []


def test_timeout_escalate(ff, sg):
    c, wps = _timed(ff, sg, "escalate")
    assert ff.st(c.eid) == ["suspended", "unowned", "not_applicable", "paused_by_operator", "none",
                            "attempt_interrupted"]
    assert ff.r.zcard("ff:i:{fp:0}:susp_timeout") == 0
    s = sg.susp(c.eid)
    assert s["state"] == "open" and s["timeout_at"] == "" and s["behavior"] == ""
    rep = sg.list_suspended()
    assert rep[3] == c.eid and rep[5] == "paused_by_operator"
    # a signal still resumes it
    assert sg.signal(c.eid, wps[0][0], wps[0][2])[3] == "resume_condition_satisfied"


def test_sweep_next_due_includes_suspension_and_waitpoint_timers(ff, sg):
    c, _, _ = suspended(ff, sg, single(timeout_ms=600000))
    got = engine_sweep(ff)
    s_at = int(sg.susp(c.eid)["timeout_at"])
    assert int(got["next_due"]) == s_at
    c2 = running(ff)
    rep = sg.create_wp(c2, expires_in=5000)  # before its lease (30 s) expires
    assert int(engine_sweep(ff)["next_due"]) == int(rep[5])


# ----------------------------------------------- pending waitpoints, buffer

def test_buffered_signal_then_suspend_already_satisfied_keeps_lease(ff, sg):
    c = running(ff)
    wp_id = new_uuid()
    rep = sg.create_wp(c, wp_id=wp_id, key="cb", expires_in=60000)
    assert rep[:4] == [1, "OK", wp_id, "cb"]
    tok = rep[4]
    assert tok == wp_token("k1", SECRET_HEX, wp_id, "cb", sg.wp(wp_id)["created"])
    assert sg.wp(wp_id)["state"] == "pending"
    s = sg.signal(c.eid, wp_id, tok, name="done", payload="p1")
    assert s[3] == "buffered_for_pending_waitpoint"
    status, sid, wps = sg.suspend(c, {"waitpoints": [{"pending": wp_id}],
                                      "condition": {"single": {"key": "cb", "name": "done"}}})
    assert status == "already_satisfied"
    assert wps == [(wp_id, "cb", tok)]
    assert ff.st(c.eid)[:3] == ["active", "leased", "not_applicable"]
    assert sg.wp(wp_id)["state"] == "closed"
    assert sg.observe(c.eid, c.ai) == [(s[2], "done", "user", "u1", sg.observe(c.eid, c.ai)[0][4], "p1")]
    assert ff.renew(c)[:2] == [1, "OK"]
    assert ff.complete(c)[:2] == [1, "OK"]


def test_buffered_not_satisfying_then_combined_with_fresh(ff, sg):
    c = running(ff)
    pw = new_uuid()
    tok = sg.create_wp(c, wp_id=pw, key="p")[4]
    assert sg.signal(c.eid, pw, tok, name="early")[3] == "buffered_for_pending_waitpoint"
    fresh = new_uuid()
    status, _, wps = sg.suspend(c, {"waitpoints": [{"pending": pw}, {"id": fresh, "key": "f"}],
                                    "condition": {"all_of": [{"single": {"key": "p"}},
                                                             {"single": {"key": "f"}}]}})
    assert status == "suspended"
    assert wps[0] == (pw, "p", tok)
    assert sg.wp(pw)["state"] == "active"
    assert ff.r.zscore("ff:i:{fp:0}:wp_expiry", pw) is None
    assert sg.signal(c.eid, fresh, wps[1][2])[3] == "resume_condition_satisfied"
    c2 = ff.claim_one()
    assert [o[1] for o in sg.observe(c.eid, c2.ai)] == ["early", "go"]


def test_pending_waitpoint_expiry(ff, sg):
    c = running(ff)
    pw = new_uuid()
    tok = sg.create_wp(c, wp_id=pw, expires_in=50)[4]
    time.sleep(0.08)
    got = engine_sweep(ff)
    assert got["wp_expired"] == "1"
    w = sg.wp(pw)
    assert (w["state"], w["close_reason"]) == ("closed", "never_committed")
    assert sg.signal(c.eid, pw, tok)[:2] == [0, "waitpoint_closed"]
    assert sg.suspend_raw(c, {"waitpoints": [{"pending": pw}],
                              "condition": {"single": {"key": "k"}}})[:2] == [0, "waitpoint_not_pending"]


def test_pending_waitpoint_errors(ff, sg):
    c = running(ff)
    pw = new_uuid()
    sg.create_wp(c, wp_id=pw, key="k")
    assert sg.create_wp(c, wp_id=pw)[:2] == [0, "waitpoint_already_exists"]
    spec = {"waitpoints": [{"pending": new_uuid()}], "condition": {"single": {"key": "k"}}}
    assert sg.suspend_raw(c, spec)[:2] == [0, "waitpoint_not_found"]
    other = running(ff)
    spec = {"waitpoints": [{"pending": pw}], "condition": {"single": {"key": "k"}}}
    assert sg.suspend_raw(other, spec)[:2] == [0, "invalid_waitpoint_for_execution"]
    # a fresh binding must not reuse an existing id
    assert sg.suspend_raw(c, single(wp_id=pw))[:2] == [0, "waitpoint_already_exists"]
    # the pending one's key is its stored key
    bad = {"waitpoints": [{"pending": pw}], "condition": {"single": {"key": "other"}}}
    assert sg.suspend_raw(c, bad)[:2] == [0, "invalid_input"]
    # signals to a pending waitpoint of a completed execution
    tok = sg.token(c.eid, pw)[2]
    assert ff.complete(c)[:2] == [1, "OK"]
    assert sg.signal(c.eid, pw, tok)[:2] == [0, "target_not_signalable"]


def test_waitpoints_listing_is_sanitized_and_token_read(ff, sg):
    c = running(ff)
    pw = new_uuid()
    rep = sg.create_wp(c, wp_id=pw, key="p")
    tok = rep[4]
    time.sleep(0.003)  # listing order is by creation ms, then id
    _, _, wps = sg.suspend(c, {"waitpoints": [{"id": new_uuid(), "key": "f"}, {"pending": pw}],
                               "condition": {"all_of": [{"single": {"key": "p"}},
                                                        {"single": {"key": "f"}}]}})
    raw = ff.call_ro("ff_waitpoints", [core_key(c.eid)], c.eid)
    flat = json.dumps(raw)
    for _, _, t in wps:
        assert t.split(":")[1] not in flat
    rows = sg.waitpoints(c.eid)
    assert rows[0] == (pw, "p", "active", "k1", tok.split(":")[1][:16], "")
    assert rows[1][0] == wps[0][0] and rows[1][2] == "active"
    assert sg.token(c.eid, pw) == [1, "OK", tok]
    other = running(ff)
    assert sg.token(other.eid, pw)[:2] == [0, "waitpoint_not_found"]
    assert sg.token(c.eid, new_uuid())[:2] == [0, "waitpoint_not_found"]


# ------------------------------------------------------- suspend replay

def test_suspend_idempotency_replays_first_outcome(ff, sg):
    c = running(ff)
    spec = single(idempotency_key="s1", timeout_ms=600000)
    first = sg.suspend_raw(c, spec)
    assert first[2] == "suspended"
    before = snapshot(ff.r)
    assert sg.suspend_raw(c, spec) == first
    # even with other waitpoints in the spec: the key decides
    assert sg.suspend_raw(c, single(idempotency_key="s1")) == first
    assert snapshot(ff.r) == before
    # another fence does not get the stored reply (it carries tokens)
    bad = (c.lid, str(int(c.epoch) + 1), c.aid)
    assert sg.suspend_raw(c, spec, fence=bad)[:2] == [0, "execution_not_active"]


def test_already_satisfied_replay(ff, sg):
    c = running(ff)
    pw = new_uuid()
    tok = sg.create_wp(c, wp_id=pw, key="k")[4]
    sg.signal(c.eid, pw, tok)
    spec = {"waitpoints": [{"pending": pw}], "condition": {"single": {"key": "k"}},
            "idempotency_key": "x"}
    first = sg.suspend_raw(c, spec)
    assert first[2] == "already_satisfied"
    assert sg.suspend_raw(c, spec) == first


# ------------------------------------------------------- cancel, deadline

def test_cancel_while_suspended_closes_everything(ff, sg):
    c = running(ff)
    pw = new_uuid()
    sg.create_wp(c, wp_id=pw, key="later")  # not bound: still closed by the cancel
    _, _, wps = sg.suspend(c, single(timeout_ms=600000))
    assert ff.cancel_op(c.eid, "ops") == [1, "OK", "cancelled", "suspended"]
    s = sg.susp(c.eid)
    assert (s["state"], s["close_reason"]) == ("closed", "cancelled")
    assert sg.wp(wps[0][0])["state"] == "closed" and sg.wp(pw)["state"] == "closed"
    assert ff.r.zcard("ff:i:{fp:0}:susp_timeout") == 0
    assert ff.r.zcard("ff:i:{fp:0}:wp_expiry") == 0
    assert sg.list_suspended() == [1, "OK", "0"]
    att = ff.describe(c.eid)["attempts"][0]
    assert att["state"] == "ended_cancelled"
    assert sg.signal(c.eid, wps[0][0], wps[0][2])[:2] == [0, "waitpoint_closed"]
    assert engine_sweep(ff)["susp_timeouts"] == "0"


def test_deadline_while_suspended(ff, sg):
    c = running(ff, deadline=str(0))
    ff.r.hset(core_key(c.eid), "deadline", ff.now_ms() + 60)
    ff.r.zadd("ff:i:{fp:0}:deadline", {c.eid: ff.now_ms() + 60})
    _, _, wps = sg.suspend(c, single())
    time.sleep(0.1)
    assert engine_sweep(ff)["deadlines"] == "1"
    assert ff.st(c.eid)[4] == "expired"
    assert sg.susp(c.eid)["close_reason"] == "expired"
    assert sg.wp(wps[0][0])["state"] == "closed"


# ---------------------------------------------------------- limits

def test_signal_limit(ff, sg):
    c, _, wps = suspended(ff, sg, single(name="never"), policy={"max_signals_per_execution": 2})
    w, _, t = wps[0]
    assert sg.signal(c.eid, w, t)[:2] == [1, "OK"]
    assert sg.signal(c.eid, w, t)[:2] == [1, "OK"]
    before = snapshot(ff.r)
    assert sg.signal(c.eid, w, t)[:3] == [0, "signal_limit_exceeded", "2"]
    assert snapshot(ff.r) == before


def test_policy_rejects_bad_signal_limit(ff):
    rep, _ = ff.create_raw(policy={"max_signals_per_execution": 0})
    assert rep[:3] == [0, "invalid_policy_json", "max_signals_per_execution:out_of_range"]


# ------------------------------------------------------- bad inputs

def test_bad_suspend_specs_write_nothing(ff, sg):
    c = running(ff)
    w = new_uuid()
    bad = [
        "not json", "[]", "{}",
        {"waitpoints": [], "condition": {"single": {"key": "k"}}},
        {"waitpoints": [{"id": w, "key": "k"}]},
        {"waitpoints": [{"id": "nope", "key": "k"}], "condition": {"single": {"key": "k"}}},
        {"waitpoints": [{"id": w, "key": "k"}, {"id": w, "key": "j"}],
         "condition": {"all_of": [{"single": {"key": "k"}}, {"single": {"key": "j"}}]}},
        {"waitpoints": [{"id": w, "key": "k"}, {"id": new_uuid(), "key": "k"}],
         "condition": {"single": {"key": "k"}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "x"}}},
        {"waitpoints": [{"id": w, "key": "k"}, {"id": new_uuid(), "key": "j"}],
         "condition": {"single": {"key": "k"}}},  # j unreferenced
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}, "x": 1}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k", "nam": "a"}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k", "name": ""}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"all_of": []}},
        {"waitpoints": [{"id": w, "key": "k"}],
         "condition": {"all_of": [{"all_of": [{"all_of": [{"all_of": [{"single": {"key": "k"}}]}]}]}]}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"count": {"n": 2, "keys": ["k"]}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"count": {"n": 0, "keys": ["k"]}}},
        {"waitpoints": [{"id": w, "key": "k"}],
         "condition": {"count": {"n": 1, "kind": "other", "keys": ["k"]}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"count": {"n": 1, "keys": []}}},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}}, "timeout_ms": 0},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}}, "timeout_ms": 1.5},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}},
         "timeout_behavior": "explode"},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}}, "reason": "bored"},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}}, "extra": True},
        {"waitpoints": [{"id": w, "key": "k"}], "condition": {"single": {"key": "k"}},
         "idempotency_key": ""},
        {"waitpoints": [{"id": w, "key": "k", "x": 1}], "condition": {"single": {"key": "k"}}},
    ]
    before = snapshot(ff.r)
    for spec in bad:
        rep = sg.suspend_raw(c, spec)
        assert rep[:2] == [0, "invalid_input"], (spec, rep)
    rep = sg.suspend_raw(c, {"waitpoints": [{"id": w, "key": ""}], "condition": {"single": {"key": ""}}})
    assert rep[:2] == [0, "invalid_waitpoint_key"]
    assert sg.suspend_raw(c, single(), fence=("", "", ""))[:2] == [0, "fence_required"]
    assert snapshot(ff.r) == before
    # depth 4 is fine
    ok = {"waitpoints": [{"id": w, "key": "k"}],
          "condition": {"all_of": [{"all_of": [{"all_of": [{"single": {"key": "k"}}]}]}]}}
    assert sg.suspend(c, ok)[0] == "suspended"


def test_bad_signal_and_waitpoint_inputs_write_nothing(ff, sg):
    c, _, wps = suspended(ff, sg)
    w, _, t = wps[0]
    before = snapshot(ff.r)
    eid = c.eid
    cases = [
        dict(name=""), dict(name="a\nb"), dict(src_type=""), dict(src=""), dict(idem="a\x01"),
        dict(idem_ttl="0"), dict(idem_ttl="x"), dict(sig_id="nope"),
    ]
    for kw in cases:
        rep = sg.signal(eid, w, t, **kw)
        assert rep[:2] == [0, "invalid_input"], (kw, rep)
    assert sg.signal(eid, "not-a-uuid", t)[:2] == [0, "invalid_input"]
    assert sg.signal(eid, w, t, payload="x" * (1048576 + 1))[:2] == [0, "payload_too_large"]
    rep = ff.call("ff_signal", [core_key(eid)], eid, w, t)
    assert rep[:2] == [0, "invalid_input"]
    c2 = running(ff)
    before = snapshot(ff.r)
    assert sg.create_wp(c2, wp_id="x")[:2] == [0, "invalid_input"]
    assert sg.create_wp(c2, key="")[:2] == [0, "invalid_waitpoint_key"]
    assert sg.create_wp(c2, expires_in=0)[:2] == [0, "invalid_input"]
    assert sg.create_wp(c2, fence=(c2.lid, c2.epoch, new_uuid()))[:2] == [0, "stale_lease"]
    for args in [("x", "5"), ("0", "0"), ("-1", "5"), ("0", "1001")]:
        assert sg.list_suspended(*args)[:2] == [0, "invalid_input"]
    assert ff.call_ro("ff_list_suspended", ["ff:i:{fp:0}:other"], "0", "5")[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_list_suspended_paging_order(ff, sg):
    eids = []
    for _ in range(3):
        c, _, _ = suspended(ff, sg)
        eids.append(c.eid)
        time.sleep(0.002)
    rep = sg.list_suspended(count=2)
    assert rep[2] == "2" and [rep[3], rep[7]] == eids[:2]
    rep2 = sg.list_suspended(offset=rep[2], count=2)
    assert rep2[2] == "0" and rep2[3] == eids[2]
    assert rep[5] == "waiting_for_signal" and rep[6] == ""


# ------------------------------------------------------- retention

def test_retention_purges_signal_keys(ff, sg):
    c, _, wps = suspended(ff, sg)
    sg.signal(c.eid, wps[0][0], wps[0][2], payload="y" * 100)
    c2 = ff.claim_one()
    sg.create_wp(c2, key="unused")
    ff.complete(c2)
    time.sleep(0.01)
    got = engine_sweep(ff, retention=0)
    assert got["retained"] == "1"
    left = sorted(dec(k) for k in ff.r.keys("*"))
    assert not [k for k in left if k.startswith(("ff:wp:", "ff:sig:", "ff:e:"))], left
    assert ff.r.zcard("ff:i:{fp:0}:wp_expiry") == 0


def test_waitpoint_listing_shows_required_signal_names(ff, sg):
    spec = {"waitpoints": [{"id": new_uuid(), "key": k} for k in ("a", "b", "c", "d")],
            "condition": {"all_of": [{"single": {"key": "a", "name": "approve"}},
                                     {"count": {"n": 1, "keys": ["b", "c"], "name": "vote"}},
                                     {"single": {"key": "c", "name": "veto"}},
                                     {"single": {"key": "d"}}]}}
    c, _, wps = suspended(ff, sg, spec)
    rows = {r[1]: r for r in sg.waitpoints(c.eid, names=True)}
    assert {k: rows[k][6] for k in rows} == {"a": "approve", "b": "vote", "c": "veto,vote", "d": ""}
    tokens = {w[2] for w in wps}
    assert not tokens & {x for r in rows.values() for x in r}  # never a token


def test_pending_waitpoint_gets_its_names_when_bound(ff, sg):
    c = running(ff)
    wp = new_uuid()
    assert sg.create_wp(c, wp_id=wp, key="p")[:2] == [1, "OK"]
    assert sg.waitpoints(c.eid, names=True)[0][2:3] == ("pending",)
    assert sg.waitpoints(c.eid, names=True)[0][6] == ""
    spec = {"waitpoints": [{"pending": wp}], "condition": {"single": {"key": "p", "name": "done"}}}
    status, _, _ = sg.suspend(c, spec)
    assert status == "suspended"
    assert sg.waitpoints(c.eid, names=True)[0][6] == "done"
