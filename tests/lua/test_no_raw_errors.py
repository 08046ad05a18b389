"""No function of the library answers any input with a raw Lua/Redis error:
every reply is the library's envelope ({1,"OK",...} or {0,code,...}), or the
plain string of ff_version. The inputs are hostile on purpose: wrong key
shapes, wrong argument counts, huge and fractional numbers, cursors past the
end, invalid UTF-8, ids of executions in every state."""

import random
import re

import pytest
import redis

from ffhelpers import Sig, core_key, lane_key, new_eid, new_uuid

NASTY = ["", "0", "1", "-1", "2", "100", "1000", "1001", "257", "9007199254740991",
         "9007199254740993", "99999999999999999999", "18446744073709551616", "1e3", "1.5", "-0",
         "nan", "inf", "0x10", " 1", "\xff\xfe", "caf\xc3\xa9", "\x00", "a" * 300, "{}", "[]",
         '{"single":{"key":"k"}}', '{"retry_policy":{"max_retries":1e400}}', "null", "true",
         "lease_holder", "operator_override", "sweep", "release", "waiting", "k1",
         "00112233445566778899aabbccddeeff", "ff:i:{fp:0}:all"]


def _functions(r):
    lib = r.execute_command("FUNCTION", "LIST", "LIBRARYNAME", "flowfabric")
    names = []
    for entry in lib:
        d = dict(zip(entry[::2], entry[1::2]))
        for fn in d[b"functions"]:
            f = dict(zip(fn[::2], fn[1::2]))
            names.append((f[b"name"].decode(), b"no-writes" in f[b"flags"]))
    return sorted(names)


def _keys_for(fn, tag, eids):
    """Plausible and implausible KEYS vectors for fn."""
    e = random.choice(eids)
    shaped = {
        "ff_claim": [lane_key(tag, "default", "eligible")],
        "ff_list_partition": ["ff:i:%s:all" % tag],
        "ff_list_lane": [lane_key(tag, "default", random.choice(["eligible", "active", "completed"]))],
        "ff_lanes": ["ff:i:%s:lanes" % tag],
        "ff_counts": ["ff:i:%s:lanes" % tag],
        "ff_list_suspended": ["ff:i:%s:suspended" % tag],
        "ff_boot": ["ff:config"],
        "ff_engine_sweep": ["ff:own:%s" % tag],
        "ff_engine_beat": ["ff:{e}:engines", "ff:{e}:info"],
        "ff_engine_list": ["ff:{e}:engines", "ff:{e}:info"],
        "ff_secret_init": ["ff:sec:%s" % tag],
        "ff_secret_rotate": ["ff:sec:%s" % tag],
        "ff_secret_list": ["ff:sec:%s" % tag],
    }
    if random.random() < 0.7:
        return shaped.get(fn, [core_key(e)]), e
    options = [[core_key(e)], [], ["x"], ["a{fp:0}b", "c"], ["ff:e:" + new_eid(1)]]
    return random.choice(options), e


def _argv(e, eids, n):
    pool = NASTY + [e, new_uuid(), new_eid(0), random.choice(eids), "{fp:0}:" + "z" * 36]
    return [random.choice(pool) for _ in range(n)]


def _is_envelope(rep):
    if isinstance(rep, bytes):  # ff_version
        return True
    return isinstance(rep, list) and len(rep) >= 2 and rep[0] in (0, 1) and isinstance(rep[1], bytes)


def _population(ff):
    """Executions in several states, so calls reach past their validation."""
    eids = [ff.create(), ff.create(delay_ms=60000), ff.create(payload="x" * 100)]
    done = ff.create()
    c = ff.claim_one()
    eids.append(c.eid)
    ff.create()
    c2 = ff.claim_one()
    ff.complete(c2, result="r")
    eids += [c2.eid, done]
    sig = Sig(ff)
    sig.secret_init()
    ff.create()
    c3 = ff.claim_one()
    sig.suspend(c3, {"waitpoints": [{"id": new_uuid(), "key": "k"}],
                     "condition": {"single": {"key": "k"}}})
    eids.append(c3.eid)
    return eids


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_every_function_answers_with_an_envelope(r, ff, seed):
    random.seed(seed)
    eids = _population(ff)
    fns = _functions(r)
    assert len(fns) > 20
    raw = []
    arity = {}  # learnt from the library's own "argv: expected N" answers
    for _ in range(8000):
        fn, ro = random.choice(fns)
        keys, e = _keys_for(fn, ff.tag, eids)
        n = arity.get(fn) if fn in arity and random.random() < 0.8 else random.randint(0, 16)
        args = _argv(e, eids, n)
        cmd = "FCALL_RO" if ro and random.random() < 0.5 else "FCALL"
        try:
            rep = r.execute_command(cmd, fn, len(keys), *keys, *args)
        except redis.ResponseError as exc:
            raw.append((fn, keys, args, str(exc)))
            continue
        if isinstance(rep, list) and len(rep) > 2 and rep[0] == 0:
            m = re.search(rb"expected (?:at least )?(\d+) arg", rep[2] if isinstance(rep[2], bytes) else b"")
            if m:
                arity[fn] = int(m.group(1))
        if not _is_envelope(rep):
            raw.append((fn, keys, args, repr(rep)[:200]))
    assert not raw, "raw replies:\n" + "\n".join(repr(x)[:400] for x in raw[:20])


@pytest.mark.parametrize("fn,key,args", [
    ("ff_list_partition", "ff:i:{fp:0}:all", ["99999999999999999999", "10"]),
    ("ff_list_partition", "ff:i:{fp:0}:all", ["18446744073709551616", "10"]),
    ("ff_list_partition", "ff:i:{fp:0}:all", ["0", "1001"]),
    ("ff_list_lane", "ff:i:{fp:0}:default:eligible", ["-0", "10"]),
    ("ff_list_suspended", "ff:i:{fp:0}:suspended", ["-0", "10"]),
    ("ff_list_suspended", "ff:i:{fp:0}:suspended", ["0", "0"]),
    ("ff_list_suspended", "ff:i:{fp:0}:suspended", ["x", "10"]),
])
def test_listing_bounds_answer_typed(r, fn, key, args):
    rep = r.execute_command("FCALL_RO", fn, 1, key, *args)
    if args[0] == "-0" and args[1] == "10":
        assert rep[:2] == [1, b"OK"]  # "-0" is zero
    else:
        assert rep[:2] == [0, b"invalid_input"], rep
