"""Per-attempt output streams at the server library level (lua/stream.lua,
lib/55_stream.lua): append/read round trip, limits, the light fence, closing
in the transition that ends the attempt, summary merge patches, paging and
retention."""

import json
import time

from ffhelpers import core_key


def append(ff, c, payload=b"x", ftype="log", mode="durable", enc="", src="", corr="", maxp="", fence=None):
    return ff.call("ff_append_frame", [core_key(c.eid)], c.eid, *(fence or c.fence), ftype, payload,
                   enc, src, corr, mode, maxp)


def read(ff, eid, ai="0", frm="", to="", count="100", inc="1"):
    rep = ff.r.execute_command("FCALL_RO", "ff_read_stream", 1, core_key(eid), eid, ai, frm, to, count, inc)
    return rep


def frames(rep):
    return [rep[i:i + 8] for i in range(7, len(rep), 8)]


def meta(ff, eid, ai="0"):
    return ff.r.hgetall("ff:e:%s:s:%s:m" % (eid, ai))


def closed(ff, eid, ai="0"):
    rep = read(ff, eid, ai)
    return rep[2].decode(), rep[3].decode()


def running(ff, **kw):
    ff.create(**kw)
    return ff.claim_one(**{k: v for k, v in kw.items() if k == "ttl"})


def test_round_trip_every_field_and_binary(ff):
    c = running(ff)
    blob = b"\x00\xff\x00bin\xfe"
    rep = append(ff, c, blob, ftype="stdout", enc="binary", src="w1", corr="req-7")
    assert rep[:2] == [1, "OK"] and rep[3] == "1" and rep[4] == ""
    rep2 = append(ff, c, b"second")
    assert rep2[3] == "2"
    r = read(ff, c.eid)
    assert r[:7] == [1, b"OK", b"", b"", rep2[2].encode(), b"0", b"2"]
    f = frames(r)
    assert f[0][0].decode() == rep[2] and f[0][1:7:] [:6] == [b"stdout", blob, b"binary", b"w1", b"req-7",
                                                             rep[2].split("-")[0].encode()]
    assert f[0][7] == b"durable"
    assert f[1][1:6] == [b"log", b"second", b"utf8", b"worker", b""]


def test_payload_limit_writes_nothing(ff):
    c = running(ff)
    assert append(ff, c, b"a" * 65537)[:2] == [0, "retention_limit_exceeded"]
    assert append(ff, c, b"abc", maxp="2")[:2] == [0, "retention_limit_exceeded"]
    assert append(ff, c, b"a" * 65536)[0] == 1
    assert ff.r.xlen("ff:e:%s:s:0" % c.eid) == 1
    for bad in [dict(ftype=""), dict(ftype="a b"), dict(mode="x"), dict(maxp="0"), dict(enc="a b")]:
        rep = append(ff, c, b"y", **bad)
        assert rep[0] == 0 and rep[1] in ("invalid_input", "invalid_frame_type"), (bad, rep)
    assert ff.r.xlen("ff:e:%s:s:0" % c.eid) == 1


def test_stale_lease_refused(ff):
    c = running(ff)
    fence = (c.lid, str(int(c.epoch) + 1), c.aid)
    assert append(ff, c, fence=fence)[:2] == [0, "stale_owner_cannot_append"]
    assert not meta(ff, c.eid)


def test_closed_after_complete_fail_cancel(ff):
    for end, reason in [("complete", "attempt_success"), ("fail", "attempt_failure"),
                        ("cancel", "attempt_cancelled")]:
        c = running(ff, policy={"retry_policy": {"max_retries": 0}} if end == "fail" else "")
        assert append(ff, c)[0] == 1
        assert closed(ff, c.eid) == ("", "")
        if end == "complete":
            ff.complete(c)
        elif end == "fail":
            ff.fail(c, no_retry="1")
        else:
            ff.cancel_holder(c)
        at, why = closed(ff, c.eid)
        assert at and why == reason
        assert append(ff, c)[:2] == [0, "stream_closed"]


def test_lease_expiry_by_sweep_closes_and_reclaim_gets_own_stream(ff):
    ff.create()
    c = ff.claim_one(ttl=50)
    assert append(ff, c, b"old")[0] == 1
    time.sleep(0.1)
    ff.sweep()
    assert closed(ff, c.eid)[1] == "lease_expired"
    assert append(ff, c)[:2] == [0, "stale_owner_cannot_append"]
    c2 = ff.claim_one()
    assert c2.atype == "reclaim" and c2.ai == "1"
    assert append(ff, c2, b"new")[0] == 1
    assert [f[2] for f in frames(read(ff, c.eid, "1"))] == [b"new"]
    assert [f[2] for f in frames(read(ff, c.eid, "0"))] == [b"old"]
    assert closed(ff, c.eid, "1") == ("", "")


def test_retry_opens_next_attempts_stream(ff):
    c = running(ff, policy={"retry_policy": {"max_retries": 2, "backoff": {"type": "fixed", "delay_ms": 0}}})
    assert append(ff, c, b"a0")[0] == 1
    assert ff.fail(c)[2] == "retry_scheduled"
    assert closed(ff, c.eid)[1] == "attempt_failure"
    assert append(ff, c)[:2] == [0, "stream_closed"]
    ff.sweep()
    c2 = ff.claim_one()
    assert c2.ai == "1"
    assert append(ff, c2, b"a1")[0] == 1
    assert [f[2] for f in frames(read(ff, c.eid, "0"))] == [b"a0"]
    assert [f[2] for f in frames(read(ff, c.eid, "1"))] == [b"a1"]


def test_best_effort_ttl_then_persist(ff):
    c = running(ff)
    sk = "ff:e:%s:s:0" % c.eid
    assert append(ff, c, b"d", mode="best_effort")[0] == 1
    assert ff.r.pttl(sk) > 0
    assert append(ff, c, b"D", mode="durable")[0] == 1
    assert ff.r.pttl(sk) == -1
    assert append(ff, c, b"d2", mode="best_effort")[0] == 1
    assert ff.r.pttl(sk) == -1
    modes = [f[7] for f in frames(read(ff, c.eid))]
    assert modes == [b"best_effort", b"durable", b"best_effort"]
    assert [f[2] for f in frames(read(ff, c.eid, inc="0"))] == [b"D"]


def test_adaptive_trim_bounded(ff):
    c = running(ff)
    p = ff.r.pipeline(transaction=False)
    n = 17000
    for i in range(n):
        p.execute_command("FCALL", "ff_append_frame", 1, core_key(c.eid), c.eid, *c.fence, "delta",
                          b"t", "", "", "", "best_effort", "")
    reps = p.execute()
    assert all(r[0] == 1 for r in reps)
    m = meta(ff, c.eid)
    assert int(m[b"frames"]) == n
    assert 64 <= int(m[b"maxlen"]) <= 16384
    assert ff.r.xlen("ff:e:%s:s:0" % c.eid) <= 16384 + 200


def summary(ff, eid, ai="0"):
    rep = ff.r.execute_command("FCALL_RO", "ff_read_summary", 1, core_key(eid), eid, ai)
    return [x.decode() for x in rep[2:]]


RFC7396 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


def test_merge_patch_rfc7396_examples(ff):
    for orig, patch, want in RFC7396:
        c = running(ff)
        seed = {k: ("__ff_null__" if v is None else v) for k, v in orig.items()}
        assert append(ff, c, json.dumps(seed), mode="summary")[4] == "1"
        rep = append(ff, c, json.dumps(patch), mode="summary")
        assert rep[:2] == [1, "OK"] and rep[4] == "2"
        doc, ver, created, updated = summary(ff, c.eid)
        assert json.loads(doc) == want and ver == "2" and created and updated
    # the summary frame is recorded too
    assert [f[7] for f in frames(read(ff, c.eid))] == [b"summary", b"summary"]


def test_summary_exact_numbers_and_empty_array(ff):
    c = running(ff)
    append(ff, c, '{"n": 12345678901234567890, "f": 1.5e10, "a": [], "o": {}}', mode="summary")
    assert summary(ff, c.eid)[0] == '{"n":12345678901234567890,"f":1.5e10,"a":[],"o":{}}'


def test_null_sentinel_depth_and_bad_patch(ff):
    c = running(ff)
    assert append(ff, c, '{"x": "__ff_null__", "y": ["__ff_null__"]}', mode="summary")[0] == 1
    assert json.loads(summary(ff, c.eid)[0]) == {"x": None, "y": [None]}
    deep = "{\"a\":" * 17 + "1" + "}" * 17
    assert append(ff, c, deep, mode="summary")[:2] == [0, "patch_depth_exceeded"]
    ok = "{\"a\":" * 16 + "1" + "}" * 16
    assert append(ff, c, ok, mode="summary")[0] == 1
    for bad in ["[1]", "1", "{", '{"a":01}', '{"a":1} x']:
        assert append(ff, c, bad, mode="summary")[:2] == [0, "invalid_input"], bad
    assert summary(ff, c.eid)[1] == "2"


def test_corrupt_summary(ff):
    c = running(ff)
    sk = "ff:e:%s:s:0:sum" % c.eid
    ff.r.hset(sk, mapping={"document": "{broken", "version": "1"})
    rep = append(ff, c, '{"a":1}', mode="summary")
    assert rep[:4] == [0, "corrupt_record", sk, "document"]
    ff.r.delete(sk)


def test_paging_exclusive_cursor(ff):
    c = running(ff)
    ids = [append(ff, c, str(i).encode())[2] for i in range(7)]
    got, cur = [], ""
    while True:
        r = read(ff, c.eid, frm=cur, count="3")
        got += [f[0].decode() for f in frames(r)]
        cur = r[4].decode()
        if r[5] == b"0":
            break
    assert got == ids
    assert read(ff, c.eid, count="0")[:2] == [0, b"invalid_input"]
    assert read(ff, c.eid, count="10001")[:2] == [0, b"invalid_input"]
    assert read(ff, c.eid, frm="nope")[:2] == [0, b"invalid_offset"]
    assert read(ff, c.eid, inc="2")[:2] == [0, b"invalid_input"]
    # a never-written stream: empty and open
    assert read(ff, c.eid, ai="5")[:7] == [1, b"OK", b"", b"", b"", b"0", b"0"]


def test_suspend_keeps_stream_open(ff):
    from ffhelpers import Sig
    from test_signal import single
    sg = Sig(ff)
    sg.secret_init()
    c = running(ff)
    assert append(ff, c, b"before")[0] == 1
    status, sid, wps = sg.suspend(c, single())
    assert status == "suspended"
    assert closed(ff, c.eid) == ("", "")
    assert append(ff, c)[:2] == [0, "stale_owner_cannot_append"]
    wp_id, key, tok = wps[0]
    assert sg.signal(c.eid, wp_id, tok)[0] == 1
    c2 = ff.claim_one()
    assert c2.atype == "resumed" and c2.ai == c.ai
    assert append(ff, c2, b"after")[0] == 1
    assert [f[2] for f in frames(read(ff, c.eid))] == [b"before", b"after"]
    ff.complete(c2)
    assert closed(ff, c.eid)[1] == "attempt_success"


def test_retention_purges_stream_keys(ff):
    c = running(ff)
    append(ff, c, b"x")
    append(ff, c, '{"a":1}', mode="summary")
    ff.complete(c)
    ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "1")
    time.sleep(0.05)
    ff.call("ff_engine_sweep", ["ff:i:{fp:0}:due"], "e1", "100", "1")
    assert not ff.r.exists("ff:e:%s:s:0" % c.eid, "ff:e:%s:s:0:m" % c.eid, "ff:e:%s:s:0:sum" % c.eid)
    assert not ff.r.exists(core_key(c.eid))


def test_close_marker_wakes_tailers_but_is_not_a_frame(ff):
    c = running(ff)
    rep = append(ff, c, b"only")
    ff.complete(c)
    sk = "ff:e:%s:s:0" % c.eid
    # the marker entry is what a blocked XREAD receives
    last = ff.r.xrevrange(sk, count=1)[0][1]
    assert last[b"m"] == b"close" and last[b"r"] == b"attempt_success"
    r = read(ff, c.eid)
    assert [f[2] for f in frames(r)] == [b"only"]
    assert r[6] == b"1" and r[4] != rep[2].encode()  # the cursor moved past the marker
    assert meta(ff, c.eid)[b"frames"] == b"1"
    # a reader after the marker sees nothing more, and the stream closed
    r2 = read(ff, c.eid, frm=r[4].decode())
    assert r2[6] == b"0" and r2[3] == b"attempt_success"


def test_close_marker_keeps_the_ttl_of_a_best_effort_only_stream(ff):
    c = running(ff)
    append(ff, c, b"d", mode="best_effort")
    ff.complete(c)
    assert ff.r.pttl("ff:e:%s:s:0" % c.eid) > 0


def test_never_written_stream_of_an_ended_attempt_reads_closed(ff):
    c = running(ff, policy={"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 0}}})
    assert closed(ff, c.eid) == ("", "")  # running: open
    assert ff.fail(c)[2] == "retry_scheduled"
    assert closed(ff, c.eid)[1] == "attempt_failure"
    assert closed(ff, c.eid, "1") == ("", "")  # the next attempt has not started
    assert not ff.r.exists("ff:e:%s:s:0" % c.eid, "ff:e:%s:s:0:m" % c.eid)  # nothing written by reads
    ff.sweep()
    c2 = ff.claim_one()
    assert closed(ff, c.eid, "0")[1] == "attempt_ended"
    ff.complete(c2)
    at, why = closed(ff, c.eid, "1")
    assert at and why == "attempt_success"
    assert closed(ff, c.eid, "2")[1] == "execution_ended"


def test_never_written_stream_closes_on_lease_expiry(ff):
    ff.create()
    c = ff.claim_one(ttl=50)
    time.sleep(0.1)
    ff.sweep()
    assert closed(ff, c.eid)[1] == "lease_expired"


def append_many(ff, c, frames, maxp="", fence=None):
    args = []
    for f in frames:
        args += list(f)
    return ff.call("ff_append_frames", [core_key(c.eid)], c.eid, *(fence or c.fence), maxp, *args)


def fr(payload=b"x", ftype="log", mode="durable", enc="", src="", corr=""):
    return (ftype, payload, enc, src, corr, mode)


def test_append_frames_each_frame_has_its_own_result(ff):
    c = running(ff)
    rep = append_many(ff, c, [fr(b"a"), fr(b"b", ftype="bad type"), fr('{"k":1}', mode="summary"),
                              fr(b"z" * 70000), fr('{"k":2,"j":"__ff_null__"}', mode="summary"),
                              fr(b"c", mode="best_effort")])
    assert rep[:3] == [1, "OK", "6"]
    res = [rep[i:i + 4] for i in range(3, len(rep), 4)]
    assert res[0][0] == "ok" and res[0][2] == "1" and res[0][3] == ""
    assert res[1][0] == "invalid_frame_type"
    assert res[2][0] == "ok" and res[2][2] == "2" and res[2][3] == "1"
    assert res[3][0] == "retention_limit_exceeded"
    assert res[4][0] == "ok" and res[4][3] == "2"
    assert res[5][0] == "ok" and res[5][2] == "4"
    r = read(ff, c.eid)
    assert [f[2] for f in frames(r)] == [b"a", b'{"k":1}', b'{"k":2,"j":"__ff_null__"}', b"c"]
    assert [f[0].decode() for f in frames(r)] == [res[i][1] for i in (0, 2, 4, 5)]
    s = ff.r.execute_command("FCALL_RO", "ff_read_summary", 1, core_key(c.eid), c.eid, "0")
    assert json.loads(s[2]) == {"k": 2, "j": None} and s[3] == b"2" and s[4] and s[4] == s[5]
    m = meta(ff, c.eid)
    assert m[b"frames"] == b"4" and m[b"hd"] == b"1" and m[b"bytes"] == str(1 + 7 + len(b'{"k":2,"j":"__ff_null__"}') + 1).encode()
    assert ff.r.pttl("ff:e:%s:s:0" % c.eid) == -1
    # a later single append continues the count
    assert append(ff, c, b"d")[3] == "5"


def test_append_frames_fence_and_arity_refuse_the_whole_call(ff):
    c = running(ff)
    assert append_many(ff, c, [fr(), fr()], fence=(c.fence[0], c.fence[1], "0" * 36))[:2] == \
        [0, "stale_owner_cannot_append"]
    assert ff.call("ff_append_frames", [core_key(c.eid)], c.eid, *c.fence, "", "log", "x")[:2] == \
        [0, "invalid_input"]
    assert append_many(ff, c, [fr()] * 257)[:2] == [0, "invalid_input"]
    assert not ff.r.exists("ff:e:%s:s:0" % c.eid, "ff:e:%s:s:0:m" % c.eid)
    ff.complete(c)
    assert append_many(ff, c, [fr()])[:2] == [0, "stream_closed"]


def test_append_frames_best_effort_only_keeps_a_ttl(ff):
    c = running(ff)
    rep = append_many(ff, c, [fr(b"1", mode="best_effort"), fr(b"2", mode="best_effort")])
    assert rep[3] == "ok" and rep[7] == "ok"
    assert ff.r.pttl("ff:e:%s:s:0" % c.eid) > 0
    assert b"hd" not in meta(ff, c.eid)


def slow_deltas(ff, c, n):
    """n best_effort appends as if the rate were slow (0.5 Hz, the last
    append long ago): the adaptive cap is its floor, 64 frames. True when
    every append succeeded."""
    mk = "ff:e:%s:s:0:m" % c.eid
    p = ff.r.pipeline(transaction=False)
    for i in range(n):
        p.hset(mk, mapping={"rate": "0.5", "lts": "0"})
        p.execute_command("FCALL", "ff_append_frame", 1, core_key(c.eid), c.eid, *c.fence, "delta",
                          b"t", "", "", "", "best_effort", "")
    return all(r[0] == 1 for r in p.execute()[1::2])


def test_best_effort_flood_does_not_trim_durable_frames_below_the_durable_cap(ff):
    c = running(ff)
    assert append(ff, c, b"keep me")[0] == 1
    assert slow_deltas(ff, c, 1000)
    assert meta(ff, c.eid)[b"maxlen"] == b"64"
    # that cap would have trimmed the durable frame away with the deltas
    assert [f[2] for f in frames(read(ff, c.eid, inc="0"))] == [b"keep me"]
    assert ff.r.xlen("ff:e:%s:s:0" % c.eid) == 1001


def test_best_effort_only_stream_is_trimmed_adaptively(ff):
    c = running(ff)
    assert slow_deltas(ff, c, 1000)
    assert ff.r.xlen("ff:e:%s:s:0" % c.eid) < 300  # ~64, whole stream nodes at a time


def test_attempt_timeout_closes_with_expired(ff):
    c = running(ff, policy={"timeout_policy": {"attempt_timeout_ms": 3600_000}})
    assert append(ff, c, b"slow")[0] == 1
    ff.r.hset(core_key(c.eid), "atdl", "10")
    ff.r.zadd("ff:i:{fp:0}:attempt_timeout", {c.eid: 10})
    ff.sweep()
    assert closed(ff, c.eid)[1] == "expired"
    assert append(ff, c)[:2] == [0, "stream_closed"]


def test_suspension_timeout_closes_with_its_reason(ff):
    from ffhelpers import Sig
    from test_signal import single, engine_sweep
    sg = Sig(ff)
    sg.secret_init()
    c = running(ff)
    assert append(ff, c, b"waiting for a human")[0] == 1
    status, _, _ = sg.suspend(c, single(timeout_ms=50, timeout_behavior="fail"))
    assert status == "suspended" and closed(ff, c.eid) == ("", "")
    time.sleep(0.08)
    assert engine_sweep(ff)["susp_timeouts"] == "1"
    assert closed(ff, c.eid)[1] == "suspension_timeout"


def test_flow_cancel_closes_the_running_members_stream(ff):
    from test_flow import create_flow, member, flow_key
    fid = create_flow(ff)
    eid = member(ff, fid)
    c = ff.claim_one()
    assert c.eid == eid
    assert append(ff, c, b"building")[0] == 1
    rep = ff.call("ff_flow_cancel", [flow_key(fid)], fid, "cancel_all", "stop")
    assert rep[0] == 1
    assert closed(ff, eid)[1] == "attempt_cancelled"


def test_read_summary_is_the_same_over_resp3(ff):
    """A RESP3 client (redis-cli -3) gets the same flat reply: every value
    is a string, so nothing turns into a RESP3 map, double or null."""
    import subprocess
    c = running(ff)
    append(ff, c, '{"a":{"b":1}}', mode="summary")
    kw = ff.r.connection_pool.connection_kwargs
    args = ["redis-cli", "-3", "--no-raw"]
    if kw.get("unix_socket_path"):
        args += ["-s", kw["unix_socket_path"]]
    else:
        args += ["-h", str(kw.get("host", "127.0.0.1")), "-p", str(kw.get("port", 6379))]
    if kw.get("db"):
        args += ["-n", str(kw["db"])]
    out = subprocess.run(args + ["FCALL_RO", "ff_read_summary", "1", core_key(c.eid), c.eid, "0"],
                         capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "1) (integer) 1" and lines[1] == '2) "OK"'
    assert lines[2] == '3) "{\\"a\\":{\\"b\\":1}}"' and lines[3] == '4) "1"'
    assert len(lines) == 6 and lines[4].startswith('5) "') and lines[5].startswith('6) "')
