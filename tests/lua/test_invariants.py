"""Index invariant after every transition: a seeded random walk over all
state-changing calls, checking the whole dataset after each step."""

import random

import pytest

from ffhelpers import check_invariants, core_key, lane_key

POLICIES = [
    "",
    {"retry_policy": {"max_retries": 2, "backoff": {"type": "fixed", "delay_ms": 0}}},
    {"retry_policy": {"max_retries": 3, "backoff": {"type": "exponential", "initial_delay_ms": 1,
                                                    "max_delay_ms": 5, "jitter": 0.5}},
     "timeout_policy": {"attempt_timeout_ms": 3600000, "execution_deadline_ms": 7200000},
     "max_reclaim_count": 2, "max_replay_count": 2},
    {"routing_requirements": {"required_capabilities": ["gpu"]}, "max_reclaim_count": 1},
]


@pytest.mark.parametrize("seed", range(5))
def test_random_walk(ff, seed):
    rnd = random.Random(seed)
    lanes = ["a", "b"]
    claims = {}  # eid -> latest Claim (possibly stale)
    ids = []
    for step in range(200):
        op = rnd.choice(["create", "create", "claim", "claim", "complete", "fail", "fail",
                         "cancel", "delay", "renew", "progress", "revoke", "expire", "replay",
                         "priority", "due", "sweep", "stale"])
        now = ff.now_ms()
        if op == "create" or not ids:
            kw = dict(lane=rnd.choice(lanes), pri=rnd.randint(0, 3),
                      policy=rnd.choice(POLICIES))
            if rnd.random() < 0.2:
                kw["delay_until"] = now + rnd.choice([-1000, 3600_000])
            ids.append(ff.create(**kw))
        elif op == "claim":
            for c in ff.claim(lane=rnd.choice(lanes), n=rnd.randint(1, 3),
                              caps=rnd.choice(["", "gpu"])):
                claims[c.eid] = c
        elif op in ("complete", "fail", "cancel", "delay", "renew", "progress", "stale") and claims:
            c = claims[rnd.choice(sorted(claims))]
            if op == "complete":
                rep = ff.complete(c, "r")
            elif op == "fail":
                rep = ff.fail(c, cat=rnd.choice(["", "transient"]), rand=str(rnd.random()))
            elif op == "cancel":
                rep = ff.cancel_holder(c)
            elif op == "delay":
                rep = ff.delay(c, now + rnd.choice([-5, 3600_000]))
            elif op == "renew":
                rep = ff.renew(c, ttl=rnd.choice([1000, 60000]))
            elif op == "progress":
                rep = ff.progress(c, pct=rnd.randint(0, 100), msg="m")
            else:
                rep = ff.complete(c, fence=(c.lid, str(int(c.epoch) + 7), c.aid))
            assert rep[1] in ("OK", "stale_lease", "lease_expired", "lease_revoked",
                              "execution_not_active"), rep
        elif op == "revoke":
            rep = ff.revoke(rnd.choice(ids))
            assert rep[1] in ("OK", "ALREADY_SATISFIED", "execution_not_active"), rep
        elif op == "expire" and claims:
            e = rnd.choice(sorted(claims))
            if ff.r.hget(core_key(e), "lexp"):
                ff.r.hset(core_key(e), "lexp", "1")
                ff.r.zadd("ff:i:{fp:0}:lease_expiry", {e: 1})
        elif op == "replay":
            rep = ff.replay(rnd.choice(ids))
            assert rep[1] in ("OK", "execution_not_terminal", "max_replays_exhausted"), rep
        elif op == "priority":
            rep = ff.change_priority(rnd.choice(ids), rnd.randint(-1, 9999))
            assert rep[1] in ("OK", "execution_not_eligible"), rep
        elif op == "due":
            for lane in lanes:
                for e in ff.r.zrange(lane_key("{fp:0}", lane, "delayed"), 0, -1):
                    ff.r.zadd(lane_key("{fp:0}", lane, "delayed"), {e: 1})
        elif op == "sweep":
            assert ff.sweep()[:2] == [1, "OK"]
        check_invariants(ff.r)
        for e in ids:
            st = ff.core(e)["st"].split()
            assert ff.public(e) in ("waiting", "delayed", "active", "completed", "failed",
                                    "cancelled", "expired")
            assert st[4] == "none" or st[0] == "terminal"
