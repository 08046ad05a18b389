"""ff_create: success, duplicates, validation (nothing written on bad input)."""

import json

import pytest

from ffhelpers import core_key, new_eid, snapshot, lane_key


def test_create_eligible(ff):
    now = ff.now_ms()
    rep, eid = ff.create_raw(payload="hello", pri="7", tags={"a": "1", "b": "x y"})
    assert rep == [1, "OK", eid, "waiting"]
    c = ff.core(eid)
    assert c["st"] == "runnable unowned eligible_now waiting_for_worker none pending_first_attempt"
    assert c["id"] == eid and c["ns"] == "ns" and c["lane"] == "default" and c["kind"] == "kind"
    assert c["pri"] == "7" and c["part"] == "0" and c["plen"] == "5"
    # zero counters are absent (= 0) until first incremented
    for f in ("att", "epoch", "retries", "reclaims", "replays", "updated"):
        assert f not in c
    assert abs(int(c["created"]) - now) < 60000
    assert "caps" not in c and "pol" not in c and "dl" not in c
    # small payloads are kept inside the core hash (compact encoding)
    assert c["pl"] == "hello" and ff.r.get(core_key(eid) + ":p") is None
    assert ff.indexes_of(eid) == [("default", "eligible")]
    assert ff.zscore(lane_key("{fp:0}", "default", "eligible"), eid) == -7 * 10 ** 12 + int(c["created"])
    assert ff.r.sismember("ff:i:{fp:0}:all", eid)
    assert ff.r.sismember("ff:i:{fp:0}:lanes", "default")
    d = ff.describe(eid)
    assert d["tags"] == {"a": "1", "b": "x y"}
    assert d["public"] == "waiting" and d["has_result"] == "0"


def test_create_empty_payload_writes_no_payload_key(ff):
    eid = ff.create()
    assert not ff.r.exists(core_key(eid) + ":p")
    assert not ff.r.exists(core_key(eid) + ":t")
    assert ff.core(eid)["plen"] == "0"


def test_create_binary_payload(ff):
    eid = new_eid()
    payload = bytes(range(256))
    _, args = ff.create_args(eid=eid)
    args[5] = payload
    rep = ff.r.execute_command("FCALL", "ff_create", 1, core_key(eid), *args)
    assert rep[0] == 1
    assert ff.r.get(core_key(eid) + ":p") == payload
    cl = ff.r.execute_command("FCALL", "ff_claim", 1, lane_key("{fp:0}", "default", "eligible"),
                              "default", "w", "wi", "", "30000", "1",
                              "11111111-1111-4111-8111-111111111111",
                              "22222222-2222-4222-8222-222222222222")
    assert cl[12] == payload


def test_create_delayed_future(ff):
    fut = ff.now_ms() + 3600_000
    rep, eid = ff.create_raw(delay_until=fut)
    assert rep == [1, "OK", eid, "delayed"]
    c = ff.core(eid)
    assert c["st"] == "runnable unowned not_eligible_until_time waiting_for_delay none pending_first_attempt"
    assert c["dl"] == str(fut)
    assert ff.indexes_of(eid) == [("default", "delayed")]
    assert ff.zscore(lane_key("{fp:0}", "default", "delayed"), eid) == fut


def test_create_delay_in_past_is_eligible(ff):
    rep, eid = ff.create_raw(delay_until=1000)
    assert rep[3] == "waiting"
    assert ff.indexes_of(eid) == [("default", "eligible")]
    assert "dl" not in ff.core(eid)


def test_create_relative_delay(ff):
    now = ff.now_ms()
    rep, eid = ff.create_raw(delay_ms=3600_000)
    assert rep[3] == "delayed"
    assert abs(int(ff.core(eid)["dl"]) - (now + 3600_000)) < 60000
    rep, eid2 = ff.create_raw(delay_ms=0)
    assert rep[3] == "waiting"


def test_create_relative_and_absolute_delay_take_the_later(ff):
    now = ff.now_ms()
    rep, eid = ff.create_raw(delay_until=now + 10 * 3600_000, delay_ms=3600_000)
    assert int(ff.core(eid)["dl"]) == now + 10 * 3600_000


def test_create_policy_delay_until(ff):
    fut = ff.now_ms() + 3600_000
    rep, eid = ff.create_raw(policy={"delay_until": fut})
    assert rep[3] == "delayed"
    assert ff.core(eid)["dl"] == str(fut)


def test_priority_clamped_and_policy_priority(ff):
    assert ff.core(ff.create(pri="99999"))["pri"] == "9000"
    assert ff.core(ff.create(pri="-5"))["pri"] == "0"
    assert ff.core(ff.create(pri="", policy={"priority": 12}))["pri"] == "12"
    assert ff.core(ff.create(pri="3", policy={"priority": 12}))["pri"] == "3"
    assert ff.core(ff.create(pri=""))["pri"] == "0"


def test_deadline_absolute_and_relative(ff):
    now = ff.now_ms()
    eid = ff.create(deadline=now + 5000)
    assert ff.core(eid)["deadline"] == str(now + 5000)
    assert ff.r.zscore("ff:i:{fp:0}:deadline", eid) == now + 5000
    eid2 = ff.create(policy={"timeout_policy": {"execution_deadline_ms": 7000}})
    c = ff.core(eid2)
    assert int(c["deadline"]) == int(c["created"]) + 7000
    eid3 = ff.create(deadline="0")
    assert "deadline" not in ff.core(eid3)
    assert ff.r.zscore("ff:i:{fp:0}:deadline", eid3) is None


def test_policy_and_caps_stored(ff):
    pol = {"routing_requirements": {"required_capabilities": ["gpu", "zeta", "alpha"]},
           "timeout_policy": {"attempt_timeout_ms": 5000}}
    eid = ff.create(policy=pol, caps="beta,alpha")
    c = ff.core(eid)
    assert c["caps"] == "alpha,beta,gpu,zeta"
    assert json.loads(c["pol"]) == pol
    assert c["ato"] == "5000"


def test_empty_policy_object_is_not_stored(ff):
    eid = ff.create(policy="{}")
    assert "pol" not in ff.core(eid)
    eid = ff.create(policy=" { } ")
    assert "pol" not in ff.core(eid)


def test_duplicate_execution_id(ff):
    eid = ff.create()
    before = snapshot(ff.r)
    rep, _ = ff.create_raw(eid=eid, kind="other")
    assert rep == [1, "DUPLICATE", eid, "waiting"]
    assert snapshot(ff.r) == before


def test_duplicate_idempotency_key(ff):
    eid = ff.create(idem="order-1")
    ttl = ff.r.pttl("ff:idem:{fp:0}:2:ns:7:default:order-1")
    assert 86_000_000 < ttl <= 86_400_000
    assert ff.r.get("ff:idem:{fp:0}:2:ns:7:default:order-1").decode() == eid
    assert ff.core(eid)["idem"] == "order-1"
    before = snapshot(ff.r)
    rep, other = ff.create_raw(idem="order-1")
    assert rep == [1, "DUPLICATE", eid, "waiting"]
    assert snapshot(ff.r) == before
    assert not ff.r.exists(core_key(other))
    # other namespace: not a duplicate
    rep, third = ff.create_raw(idem="order-1", ns="other")
    assert rep == [1, "OK", third, "waiting"]


def test_idempotency_ttl_explicit(ff):
    ff.create(idem="k", idem_ttl=5000)
    assert 0 < ff.r.pttl("ff:idem:{fp:0}:2:ns:7:default:k") <= 5000


def test_duplicate_reports_current_public_state(ff):
    eid = ff.create(idem="k2")
    ff.claim_one()
    rep, _ = ff.create_raw(idem="k2")
    assert rep == [1, "DUPLICATE", eid, "active"]


def test_stale_idempotency_mapping_is_replaced(ff):
    gone = new_eid()
    ff.r.set("ff:idem:{fp:0}:2:ns:7:default:k3", gone)
    rep, eid = ff.create_raw(idem="k3")
    assert rep == [1, "OK", eid, "waiting"]
    assert ff.r.get("ff:idem:{fp:0}:2:ns:7:default:k3").decode() == eid


BAD_INPUTS = [
    # (field overrides, expected error reply prefix)
    (dict(eid="{fp:0}:not-a-uuid"), ["invalid_input"]),
    (dict(eid="{fp:0}:0A1B2C3D-0000-4000-8000-000000000001"), ["invalid_input"]),
    (dict(eid="0a1b2c3d-0000-4000-8000-000000000001"), ["invalid_input"]),
    (dict(eid="{fp:99999}:0a1b2c3d-0000-4000-8000-000000000001"), ["invalid_input"]),
    (dict(eid="{fp:01}:0a1b2c3d-0000-4000-8000-000000000001"), ["invalid_input"]),
    (dict(ns=""), ["invalid_input"]),
    (dict(ns="x" * 129), ["invalid_input"]),
    (dict(ns="a\tb"), ["invalid_input"]),
    (dict(lane=""), ["invalid_input"]),
    (dict(lane="x" * 65), ["invalid_input"]),
    (dict(lane="l\u00e9"), ["invalid_input"]),
    (dict(kind=""), ["invalid_input"]),
    (dict(kind="x" * 257), ["invalid_input"]),
    (dict(kind="a\x01b"), ["invalid_input"]),
    (dict(pri="1.5"), ["invalid_input"]),
    (dict(pri="nan"), ["invalid_input"]),
    (dict(pri="inf"), ["invalid_input"]),
    (dict(pri="0x10"), ["invalid_input"]),
    (dict(pri=" 1"), ["invalid_input"]),
    (dict(pri="1e3"), ["invalid_input"]),
    (dict(delay_until="-1"), ["invalid_input"]),
    (dict(delay_until="1.5"), ["invalid_input"]),
    (dict(delay_ms="-5"), ["invalid_input"]),
    (dict(delay_ms="abc"), ["invalid_input"]),
    (dict(deadline="-1"), ["invalid_input"]),
    (dict(deadline="99999999999999999999"), ["invalid_input"]),
    (dict(idem="k", idem_ttl="-1"), ["invalid_input"]),
    (dict(idem="k", idem_ttl="1.5"), ["invalid_input"]),
    (dict(idem="k" * 1025), ["invalid_input"]),
    (dict(tags="{bad"), ["invalid_input"]),
    (dict(tags="[1,2]"), ["invalid_input"]),
    (dict(tags="[]"), ["invalid_input"]),
    (dict(tags='{"k": []}'), ["invalid_input"]),
    (dict(tags='{"k": {}}'), ["invalid_input"]),
    (dict(tags='"str"'), ["invalid_input"]),
    (dict(tags={"k": 5}), ["invalid_input"]),
    (dict(tags={"k": None}), ["invalid_input"]),
    (dict(tags={"k": "v" * 4097}), ["invalid_input"]),
    (dict(tags={"": "v"}), ["invalid_tag_key", ""]),
    (dict(tags={"a\nb": "v"}), ["invalid_tag_key", "a\nb"]),
    (dict(tags={"k" * 129: "v"}), ["invalid_tag_key", "k" * 129]),
    (dict(caps="a,,b"), ["invalid_capabilities", "required:empty_token"]),
    (dict(caps=","), ["invalid_capabilities", "required:empty_token"]),
    (dict(caps="a b"), ["invalid_capabilities", "required:control_or_whitespace"]),
    (dict(caps="a\x7fb"), ["invalid_capabilities", "required:control_or_whitespace"]),
    (dict(caps=",".join("c%d" % i for i in range(257))), ["invalid_capabilities", "required:too_many_tokens"]),
    (dict(caps="x" * 4097), ["invalid_capabilities", "required:too_many_bytes"]),
]


@pytest.mark.parametrize("over,expect", BAD_INPUTS)
def test_bad_input_writes_nothing(ff, over, expect):
    ff.create()  # something already in the db
    before = snapshot(ff.r)
    rep, _ = ff.create_raw(**over)
    assert rep[0] == 0, rep
    assert rep[1:1 + len(expect)] == expect, rep
    assert snapshot(ff.r) == before


def test_caps_limits_inclusive(ff):
    toks = ["c%03d" % i for i in range(256)]
    eid = ff.create(caps=",".join(toks))
    assert ff.core(eid)["caps"] == ",".join(sorted(toks))
    # 4096 bytes exactly is fine
    eid2 = ff.create(caps="x" * 4096)
    assert ff.core(eid2)["caps"] == "x" * 4096
    # merged from policy + csv beyond the ceiling
    rep, _ = ff.create_raw(caps=",".join(toks[:200]),
                           policy={"routing_requirements": {"required_capabilities": ["p%03d" % i for i in range(100)]}})
    assert rep[:3] == [0, "invalid_capabilities", "required:too_many_tokens"]


def test_caps_utf8_allowed_and_dedup(ff):
    eid = ff.create(caps="gpu,caf\u00e9,gpu")
    assert ff.core(eid)["caps"] == "caf\u00e9,gpu"


def test_key_must_be_core_of_eid(ff):
    eid, args = ff.create_args()
    before = snapshot(ff.r)
    other = new_eid(part=1)
    rep = ff.call("ff_create", [core_key(other)], *args)
    assert rep[:2] == [0, "invalid_input"]
    rep = ff.call("ff_create", ["ff:e:" + eid + "x"], *args)
    assert rep[:2] == [0, "invalid_input"]
    rep = ff.call("ff_create", [core_key(eid)], *args[:-1])
    assert rep[:2] == [0, "invalid_input"]
    assert snapshot(ff.r) == before


def test_other_partition(r):
    from ffhelpers import FF
    ff7 = FF(r, part=7)
    eid = ff7.create()
    assert eid.startswith("{fp:7}:")
    assert ff7.core(eid)["part"] == "7"
    assert r.sismember("ff:i:{fp:7}:all", eid)
    c = ff7.claim_one()
    assert c.eid == eid


def test_tags_empty_object_and_bracket_strings(ff):
    eid = ff.create(tags="{}")
    assert not ff.r.exists(core_key(eid) + ":t")
    eid = ff.create(tags='{"k": "[]", "[ ]": "v"}')
    assert ff.describe(eid)["tags"] == {"k": "[]", "[ ]": "v"}



def test_idempotency_key_is_scoped_to_the_lane(ff):
    # two lanes on the same partition: the same key is two different keys
    e1 = ff.create(lane="lane-a", idem="same")
    rep, e2 = ff.create_raw(lane="lane-b", idem="same")
    assert rep[:2] == [1, "OK"] and e2 != e1
    rep, _ = ff.create_raw(lane="lane-a", idem="same")
    assert rep[:3] == [1, "DUPLICATE", e1]


@pytest.mark.parametrize("kind,ok", [
    ("caf\xc3\xa9", True), ("\xe2\x82\xac", True), ("\xf0\x9f\x98\x80", True), ("\xf4\x8f\xbf\xbf", True),
    ("\xff", False), ("\xc0\xaf", False), ("\xe0\x80\xaf", False), ("\xed\xa0\x80", False),
    ("\xf4\x90\x80\x80", False), ("\xc3", False), ("a\x80b", False), ("\xf8\x88\x80\x80\x80", False),
])
def test_kind_must_be_utf8(ff, kind, ok):
    rep, eid = ff.create_raw(kind=kind.encode("latin-1"))
    if ok:
        assert rep[0] == 1, rep
        assert ff.r.hget(core_key(eid), "kind") == kind.encode("latin-1")
    else:
        assert rep[:2] == [0, "invalid_input"] and "UTF-8" in rep[2], rep
        assert not ff.r.exists(core_key(eid))


def test_caps_and_tags_must_be_utf8(ff):
    rep, eid = ff.create_raw(caps=b"gpu,\xff")
    assert rep[:3] == [0, "invalid_capabilities", "required:not_utf8"], rep
    rep, eid = ff.create_raw(tags=b'{"k\\u00e9": "\xff"}')
    assert rep[:2] == [0, "invalid_input"] and "UTF-8" in rep[2], rep
    rep, eid = ff.create_raw(tags=b'{"\xc0\xaf": "v"}')
    assert rep[:2] == [0, "invalid_tag_key"], rep
    assert ff.r.dbsize() == 0
