"""Helpers for the flowfabric Lua library tests (thin FCALL wrappers, decoding,
index-invariant checker, dataset snapshots)."""

import json
import time
import uuid
from dataclasses import dataclass

LANE_STATES = ["eligible", "delayed", "active", "suspended", "completed",
               "failed", "cancelled", "expired", "skipped"]
# lane indexes the invariant checker walks: the nine counted states plus the
# "blocked" index of flow members waiting for their dependencies and the
# "budget_blocked" index of executions a blocked budget holds back and the
# "route_blocked" index of work no live worker is capable of
INDEXES = LANE_STATES + ["blocked", "budget_blocked", "route_blocked"]
TERMINAL_INDEX = {"success": "completed", "failed": "failed", "cancelled": "cancelled",
                  "expired": "expired", "skipped": "skipped"}


def dec(v):
    """Recursively decode a RESP reply: bytes -> str (surrogateescape)."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    if isinstance(v, (list, tuple)):
        return [dec(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return {dec(x) for x in v}
    if isinstance(v, dict):
        return {dec(k): dec(x) for k, x in v.items()}
    return v


def new_uuid():
    return str(uuid.uuid4())


def new_eid(part=0):
    return "{fp:%d}:%s" % (part, new_uuid())


def tag_of(eid):
    return eid[: eid.index("}") + 1]


def core_key(eid):
    return "ff:e:" + eid


def _state_codes():
    """The server's short state codes (lua/lib/50_state.lua CODES table),
    read from the Lua source so the two cannot drift."""
    import os
    import re
    src = open(os.path.join(os.path.dirname(__file__), "..", "..", "lua", "lib", "50_state.lua")).read()
    table = src.split("local CODES = {", 1)[1].split("}", 1)[0]
    names = {code: name for name, code in re.findall(r'(\w+) = "([^"]+)"', table)}
    names["-"] = "none"
    return names


_STATE_NAMES = _state_codes()


def expand_st(st):
    """Stored compact state vector ("r.u.en.w.-.p1") -> full names joined by
    spaces ("runnable unowned eligible_now waiting_for_worker none ...")."""
    return " ".join(_STATE_NAMES[c] for c in st.split("."))


def read_core(r, eid):
    """Core hash as the documented record: st expanded, id and part (implied
    by the key) added."""
    core = dec(r.hgetall(core_key(eid)))
    if not core:
        return core
    if "st" in core:
        core["st"] = expand_st(core["st"])
    if core.get("pol") == "@":  # spilled: too long to keep inside the core
        core["pol"] = dec(r.get(core_key(eid) + ":pol"))
    core["id"] = eid
    core["part"] = eid[4:eid.index("}")]
    return core


def lane_key(tag, lane, state):
    return "ff:i:%s:%s:%s" % (tag, lane, state)


def pairs_flat(flat):
    return {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}


@dataclass
class Claim:
    eid: str
    ai: str
    aid: str
    atype: str
    lid: str
    epoch: str
    exp: str
    kind: str
    ns: str
    payload: str
    lane: str

    @property
    def fence(self):
        return (self.lid, self.epoch, self.aid)


class FF:
    """One method per library function; every call returns the decoded reply."""

    def __init__(self, r, part=0):
        self.r = r
        self.part = part
        self.tag = "{fp:%d}" % part

    # -- raw
    def call(self, fn, keys, *args):
        return dec(self.r.execute_command("FCALL", fn, len(keys), *keys, *args))

    def call_ro(self, fn, keys, *args):
        return dec(self.r.execute_command("FCALL_RO", fn, len(keys), *keys, *args))

    # -- create
    def create_args(self, eid=None, ns="ns", lane="default", kind="kind", pri="0", payload="",
                    policy="", caps="", delay_until="", delay_ms="", deadline="", idem="",
                    idem_ttl="", tags=""):
        eid = eid or new_eid(self.part)
        if isinstance(policy, dict):
            policy = json.dumps(policy)
        if isinstance(tags, dict):
            tags = json.dumps(tags)
        return eid, [eid, ns, lane, kind, str(pri), payload, policy, caps, str(delay_until),
                     str(delay_ms), str(deadline), idem, str(idem_ttl), tags]

    def create_raw(self, **kw):
        eid, args = self.create_args(**kw)
        return self.call("ff_create", [core_key(eid)], *args), eid

    def create(self, **kw):
        rep, eid = self.create_raw(**kw)
        assert rep[0] == 1, rep
        return eid

    # -- claim
    def claim_raw(self, lane="default", wid="w1", wiid="wi1", caps="", ttl=30000, n=1, pairs=None,
                  key=None):
        if pairs is None:
            pairs = [(new_uuid(), new_uuid()) for _ in range(n)]
        flat = [x for p in pairs for x in p]
        key = key or lane_key(self.tag, lane, "eligible")
        return self.call("ff_claim", [key], lane, wid, wiid, caps, str(ttl), str(n), *flat)

    def claim(self, **kw):
        rep = self.claim_raw(**kw)
        assert rep[0] == 1 and rep[1] == "OK", rep
        n = int(rep[2])
        assert len(rep) == 3 + 11 * n
        return [Claim(*rep[3 + 11 * i: 14 + 11 * i]) for i in range(n)]

    def claim_one(self, **kw):
        cl = self.claim(**kw)
        assert len(cl) == 1, cl
        return cl[0]

    # -- lease-bound
    def renew(self, c, ttl=30000, fence=None):
        lid, ep, aid = fence or c.fence
        return self.call("ff_renew", [core_key(c.eid)], c.eid, lid, ep, aid, str(ttl))

    def progress(self, c, pct="", msg="", fence=None):
        lid, ep, aid = fence or c.fence
        return self.call("ff_progress", [core_key(c.eid)], c.eid, lid, ep, aid, str(pct), msg)

    def complete(self, c, result="", fence=None):
        lid, ep, aid = fence or c.fence
        return self.call("ff_complete", [core_key(c.eid)], c.eid, lid, ep, aid, result)

    def fail(self, c, reason="boom", cat="", rand="0", fence=None, no_retry=""):
        lid, ep, aid = fence or c.fence
        return self.call("ff_fail", [core_key(c.eid)], c.eid, lid, ep, aid, reason, cat, str(rand), no_retry)

    def cancel_holder(self, c, reason="stop", fence=None):
        lid, ep, aid = fence or c.fence
        return self.call("ff_cancel", [core_key(c.eid)], c.eid, reason, "lease_holder", lid, ep, aid)

    def cancel_op(self, eid, reason="stop"):
        return self.call("ff_cancel", [core_key(eid)], eid, reason, "operator_override", "", "", "")

    def delay(self, c, until, fence=None):
        lid, ep, aid = fence or c.fence
        return self.call("ff_delay", [core_key(c.eid)], c.eid, lid, ep, aid, str(until))

    # -- admin
    def change_priority(self, eid, pri):
        return self.call("ff_change_priority", [core_key(eid)], eid, str(pri))

    def replay(self, eid):
        return self.call("ff_replay", [core_key(eid)], eid)

    def revoke(self, eid, expected="", reason="ops"):
        return self.call("ff_revoke", [core_key(eid)], eid, expected, reason)

    def boot(self, parts, shards):
        return self.call("ff_boot", ["ff:config"], str(parts), str(shards))

    def sweep(self, limit=100):
        """ff_engine_sweep with no retention purge, reduced to the three
        counters the timing tests look at: {1, "OK", leases_expired,
        attempt_timeouts, deadlines_expired} (errors as they come)."""
        rep = self.call("ff_engine_sweep", ["ff:i:%s:due" % self.tag], "lua-tests", str(limit),
                        "9007199254740991")
        if rep[:3] != [1, "OK", "swept"]:
            return rep
        return [1, "OK", rep[3], rep[5], rep[6]]

    # -- reads
    def describe(self, eid):
        rep = self.call_ro("ff_describe", [core_key(eid)], eid)
        assert rep[:2] == [1, "OK"], rep
        core = pairs_flat(rep[2])
        attempts = {int(k): json.loads(v) for k, v in pairs_flat(rep[3]).items()}
        return {"core": core, "attempts": attempts, "tags": pairs_flat(rep[4]),
                "public": rep[5], "has_result": rep[6]}

    def core(self, eid):
        """Core hash without unset ("") fields."""
        return {k: v for k, v in read_core(self.r, eid).items() if v != ""}

    def create_spaced(self, **kw):
        """create, then wait for the server clock to move on by >= 1 ms so the
        next execution gets a later created_at (FIFO is by creation ms; ties
        within one ms are ordered by id)."""
        eid = self.create(**kw)
        created = int(self.r.hget(core_key(eid), "created"))
        while self.now_ms() <= created:
            time.sleep(0.001)
        return eid

    def st(self, eid):
        return expand_st(dec(self.r.hget(core_key(eid), "st"))).split(" ")

    def public(self, eid):
        return self.describe(eid)["public"]

    def result(self, eid):
        return self.call_ro("ff_result", [core_key(eid)], eid)

    def list_partition(self, cursor="0", count=100):
        return self.call_ro("ff_list_partition", ["ff:i:%s:all" % self.tag], str(cursor), str(count))

    def list_lane(self, lane, state, offset="0", count=100):
        return self.call_ro("ff_list_lane", [lane_key(self.tag, lane, state)], str(offset), str(count))

    def lanes(self):
        return self.call_ro("ff_lanes", ["ff:i:%s:lanes" % self.tag])

    def counts(self, lane="default"):
        rep = self.call_ro("ff_counts", ["ff:i:%s:lanes" % self.tag], lane)
        assert rep[:2] == [1, "OK"], rep
        return {k: int(v) for k, v in pairs_flat(rep[2:]).items()}

    # -- index inspection
    def indexes_of(self, eid):
        """Lane indexes (of any lane of the partition) containing eid."""
        tag = tag_of(eid)
        lanes = dec(self.r.smembers("ff:i:%s:lanes" % tag))
        found = []
        for lane in sorted(lanes):
            for s in INDEXES:
                if self.r.zscore(lane_key(tag, lane, s), eid) is not None:
                    found.append((lane, s))
        return found

    def index_state(self, eid):
        idx = self.indexes_of(eid)
        assert len(idx) == 1, idx
        return idx[0][1]

    def zscore(self, key, eid):
        return self.r.zscore(key, eid)

    def in_lease_expiry(self, eid):
        return self.r.zscore("ff:i:%s:lease_expiry" % tag_of(eid), eid) is not None

    def now_ms(self):
        s, us = self.r.time()
        return s * 1000 + us // 1000


def expected_index(phase, own, elig, outcome):
    if phase == "terminal":
        return TERMINAL_INDEX.get(outcome, "failed")
    if phase == "active":
        return "active" if own == "leased" else "eligible"
    if phase == "suspended":
        return "suspended"
    if phase == "runnable" and elig == "not_eligible_until_time":
        return "delayed"
    if phase == "runnable" and elig == "blocked_by_dependencies":
        return "blocked"
    if phase == "runnable" and elig in ("blocked_by_budget", "blocked_by_quota"):
        return "budget_blocked"
    if phase == "runnable" and elig == "blocked_by_route":
        return "route_blocked"
    return "eligible"


def check_invariants(r):
    """Every execution is in exactly the lane index matching its state, in
    lease_expiry iff leased (score = lexp), in attempt_timeout iff it has a
    running attempt deadline, in deadline iff non-terminal with a deadline,
    and no index holds an unknown id."""
    problems = []
    for akey in r.scan_iter(match="ff:i:*:all"):
        akey = dec(akey)
        tag = akey[len("ff:i:"):-len(":all")]
        ids = set(dec(r.smembers(akey)))
        held = set(dec(r.zrange("ff:i:%s:quarantine" % tag, 0, -1)))
        lanes = sorted(dec(r.smembers("ff:i:%s:lanes" % tag)))
        members = {}
        for lane in lanes:
            for s in INDEXES:
                for m in dec(r.zrange(lane_key(tag, lane, s), 0, -1)):
                    members.setdefault(m, []).append((lane, s))
        for m in members:
            if m in held:
                problems.append("quarantined %s still in %s" % (m, members[m]))
            if m not in ids:
                problems.append("orphan index entry %s %s" % (m, members[m]))
        lexp = dict((dec(k), v) for k, v in r.zrange("ff:i:%s:lease_expiry" % tag, 0, -1, withscores=True))
        atmo = dict((dec(k), v) for k, v in r.zrange("ff:i:%s:attempt_timeout" % tag, 0, -1, withscores=True))
        dl = dict((dec(k), v) for k, v in r.zrange("ff:i:%s:deadline" % tag, 0, -1, withscores=True))
        for eid in ids - held:
            core = read_core(r, eid)
            if not core:
                problems.append("%s: in all but no core" % eid)
                continue
            phase, own, elig, block, outcome, ast = core["st"].split(" ")
            exp = expected_index(phase, own, elig, outcome)
            got = members.get(eid, [])
            if got != [(core["lane"], exp)]:
                problems.append("%s: state %s expects %s, indexes %s" % (eid, core["st"], exp, got))
            if exp == "route_blocked" and got == [(core["lane"], exp)]:
                # lib/78_route.lua: the queue of its capability set has it,
                # and the lane's set of blocked capability sets names that set
                lane = core["lane"]
                qk = "ff:rq:%s:%d:%s:%s" % (tag, len(lane), lane, core.get("caps", ""))
                if r.zscore(qk, eid) != r.zscore(lane_key(tag, lane, exp), eid):
                    problems.append("%s: route_blocked but not (equally scored) in %s" % (eid, qk))
                if not r.sismember("ff:rc:%s:%s" % (tag, lane), core.get("caps", "")):
                    problems.append("%s: route_blocked, caps %r not in the lane's route set" % (eid, core.get("caps")))
            if exp in ("eligible", "route_blocked") and got == [(core["lane"], exp)]:
                score = r.zscore(lane_key(tag, core["lane"], exp), eid)
                want = -(int(core["pri"]) * 10 ** 12) + int(core.get("vt", core["created"]))
                if score != want:
                    problems.append("%s: eligible score %s != %s" % (eid, score, want))
            leased = phase == "active" and own == "leased"
            if leased != (eid in lexp):
                problems.append("%s: leased=%s but lease_expiry membership=%s" % (eid, leased, eid in lexp))
            if leased and eid in lexp and lexp[eid] != int(core["lexp"]):
                problems.append("%s: lease_expiry score %s != lexp %s" % (eid, lexp[eid], core["lexp"]))
            if leased and not core.get("lid"):
                problems.append("%s: leased without lid" % eid)
            if not leased and core.get("lid"):
                problems.append("%s: lid set while not leased" % eid)
            has_atdl = bool(core.get("atdl"))
            if has_atdl != (eid in atmo) or (has_atdl and not leased):
                problems.append("%s: atdl=%r attempt_timeout=%s leased=%s" % (eid, core.get("atdl"), eid in atmo, leased))
            want_dl = bool(core.get("deadline")) and phase != "terminal"
            if want_dl != (eid in dl):
                problems.append("%s: deadline field %r, index %s" % (eid, core.get("deadline"), eid in dl))
            if leased and r.hexists(core_key(eid) + ":a", core.get("ai", "")):
                problems.append("%s: running attempt has a record" % eid)
            # quota slots (lua/lib/58_quota.lua): qh only while leased, and
            # then the holders set has the execution
            if core.get("qh"):
                if not leased:
                    problems.append("%s: holds quota slot %s while not leased" % (eid, core["qh"]))
                elif not r.sismember(core["qh"], eid):
                    problems.append("%s: qh %s but not in that holders set" % (eid, core["qh"]))
        for hkey in r.scan_iter(match="ff:q:%s:*:h" % tag.replace("[", "\\[")):
            for m in dec(r.smembers(hkey)):
                c = read_core(r, m)
                if not c or c.get("qh") != dec(hkey):
                    problems.append("holders set %s has %s whose qh is %r" % (dec(hkey), m, c.get("qh") if c else None))
        # worker lease sets (lib/78_route.lua): exactly the leased
        # executions whose core names that worker
        held = {}
        for eid in ids - set(dec(r.zrange("ff:i:%s:quarantine" % tag, 0, -1))):
            c = read_core(r, eid)
            if c and c["st"].startswith("active leased "):
                held.setdefault(c.get("wid", ""), set()).add(eid)
        prefix = "ff:wh:%s:" % tag
        for hkey in r.scan_iter(match=prefix.replace("[", "\\[") + "*"):
            wid = dec(hkey)[len(prefix):]
            got = set(dec(r.smembers(hkey)))
            if got != held.get(wid, set()):
                problems.append("worker %s lease set %s != leased %s" % (wid, got, held.get(wid, set())))
        for wid, eids in held.items():
            if not r.exists(prefix + wid):
                problems.append("worker %s holds %s but has no lease set" % (wid, eids))
        for m in list(lexp) + list(atmo) + list(dl):
            if m not in ids:
                problems.append("orphan timing index entry %s" % m)
    assert not problems, "\n".join(problems)


def subscribe(r, chan):
    """A pubsub connection subscribed (confirmed) to chan."""
    p = r.pubsub()
    p.subscribe(chan)
    assert p.get_message(timeout=1)["type"] == "subscribe"
    return p


def messages(p, wait=0.3):
    """Every message that arrives until none came for `wait` seconds."""
    out = []
    while True:
        m = p.get_message(timeout=wait)
        if not m:
            return out
        out.append(m["data"].decode())


def snapshot(r):
    """Dataset image (key -> (type, content, has_ttl)) for no-write checks.
    Content is compared logically (DUMP bytes depend on hash field order)."""
    snap = {}
    for k in r.scan_iter(match="*"):
        t = r.type(k)
        if t == b"string":
            v = r.get(k)
        elif t == b"hash":
            v = r.hgetall(k)
        elif t == b"set":
            v = r.smembers(k)
        elif t == b"zset":
            v = r.zrange(k, 0, -1, withscores=True)
        elif t == b"list":
            v = r.lrange(k, 0, -1)
        else:
            v = r.dump(k)
        snap[k] = (t, v, r.pttl(k) > 0)
    return snap


# ---------------------------------------------------------------- signals
SECRET_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


def wp_token(kid, secret_hex, wp_id, key, created):
    """Reference token: kid:hex(HMAC-SHA1(secret, wp_id|key|created_ms))."""
    import hashlib
    import hmac
    mac = hmac.new(bytes.fromhex(secret_hex), ("%s|%s|%s" % (wp_id, key, created)).encode(),
                   hashlib.sha1).hexdigest()
    return "%s:%s" % (kid, mac)


class Sig:
    """Wrappers for lua/signal.lua (suspension, waitpoints, signals, keystore)."""

    def __init__(self, ff):
        self.ff = ff
        self.tag = ff.tag

    @property
    def sec_key(self):
        return "ff:sec:%s" % self.tag

    def secret_init(self, kid="k1", secret=SECRET_HEX):
        return self.ff.call("ff_secret_init", [self.sec_key], kid, secret)

    def rotate(self, kid, secret, grace_ms):
        return self.ff.call("ff_secret_rotate", [self.sec_key], kid, secret, str(grace_ms))

    def secret_list(self):
        return self.ff.call_ro("ff_secret_list", [self.sec_key])

    def suspend_raw(self, c, spec, fence=None):
        lid, ep, aid = fence or c.fence
        if not isinstance(spec, str):
            spec = json.dumps(spec)
        return self.ff.call("ff_suspend", [core_key(c.eid)], c.eid, lid, ep, aid, spec)

    def suspend(self, c, spec, fence=None):
        rep = self.suspend_raw(c, spec, fence)
        assert rep[:2] == [1, "OK"], rep
        n = int(rep[4])
        wps = [tuple(rep[5 + 3 * i: 8 + 3 * i]) for i in range(n)]
        return rep[2], rep[3], wps

    def create_wp(self, c, wp_id=None, key="k", expires_in=60000, fence=None):
        lid, ep, aid = fence or c.fence
        wp_id = wp_id or new_uuid()
        return self.ff.call("ff_create_waitpoint", [core_key(c.eid)], c.eid, lid, ep, aid, wp_id, key,
                            str(expires_in))

    def signal(self, eid, wp_id, token, name="go", src_type="user", src="u1", payload="", idem="",
               idem_ttl="", sig_id=None):
        sig_id = sig_id or new_uuid()
        return self.ff.call("ff_signal", [core_key(eid)], eid, wp_id, token, sig_id, name, src_type, src,
                            payload, idem, str(idem_ttl))

    def observe(self, eid, ai):
        rep = self.ff.call_ro("ff_observe_signals", [core_key(eid)], eid, str(ai))
        assert rep[:2] == [1, "OK"], rep
        n = int(rep[2])
        return [tuple(rep[3 + 6 * i: 9 + 6 * i]) for i in range(n)]

    def list_suspended(self, offset="0", count=100):
        return self.ff.call_ro("ff_list_suspended", ["ff:i:%s:suspended" % self.tag], str(offset), str(count))

    def waitpoints(self, eid, names=False):
        rep = self.ff.call_ro("ff_waitpoints", [core_key(eid)], eid)
        assert rep[:2] == [1, "OK"], rep
        n = int(rep[2])
        rows = [tuple(rep[3 + 7 * i: 10 + 7 * i]) for i in range(n)]
        return rows if names else [r[:6] for r in rows]

    def token(self, eid, wp_id):
        return self.ff.call_ro("ff_waitpoint_token", [core_key(eid)], eid, wp_id)

    def susp(self, eid):
        return dec(self.ff.r.hgetall(core_key(eid) + ":susp"))

    def wp(self, wp_id):
        return dec(self.ff.r.hgetall("ff:wp:%s:%s" % (self.tag, wp_id)))
