-- 58_quota: admission of a lane's work by its quota policy and group pauses
-- (lua/quota.lua has the calls; docs/admission.md the rules).
--
-- Everything lives on the execution partition: an execution with a group
-- key is placed on its group's lane shard (src/ops/execution.c), so the
-- claim, every transition that ends a lease and the group's counters share
-- one slot and a concurrency cap is exact: the holders SET gets the
-- execution in the claim that leases it and loses it in the call that ends
-- or releases the lease (F.release). Nothing is "corrected later".
--
-- Keys (lane and group are arbitrary bytes, so their lengths are part of
-- the key, as for idempotency keys):
--   base(T, lane) = ff:q:T:<#lane>:<lane>
--     :pol    HASH  the lane's policy: id, rate, win, cap, created
--     :pause  HASH  group -> paused-until (ms)
--     :fair   ZSET  group -> the fair tag its last execution got
--     :vclock STRING the lane's fair clock (the tag of the latest claim)
--     :groups ZSET  groups seen by the quota (score 0; ff_describe_quota)
--   bucket = base .. ":g:" .. group   ("" = the default group)
--     :h      SET   executions of the group holding a lease (cap)
--     :w      ZSET  starts in the sliding window (member eid:epoch, score ms)
--     :b      ZSET  executions parked by the quota (score = eligible score)
--   K.quota_timers(T) ZSET  "<#lane>:<lane><group>" -> when a parked group
--                           may start again (window moving, pause ending)
--   K.quota_lanes(T)  SET   lanes of T with a policy (ff_list_quotas)
-- Core fields: grp (group), vt (fair tag), qh (the holders key while the
-- lease holds a slot), qp (the bucket it is parked in).

local Q = {}
Q.PARK_BATCH = 100   -- parked executions returned to eligible per refill
Q.TIMER_BATCH = 16   -- due group timers handled per claim

function Q.base(T, lane) return "ff:q:" .. T .. ":" .. #lane .. ":" .. lane end
function Q.bucket(T, lane, grp) return Q.base(T, lane) .. ":g:" .. grp end
function Q.timer_member(lane, grp) return #lane .. ":" .. lane .. grp end
function Q.parse_timer_member(m)
  local n, rest = string.match(m, "^(%d+):(.*)$")
  n = tonumber(n)
  if not n or #rest < n then return nil end
  return string.sub(rest, 1, n), string.sub(rest, n + 1)
end

-- The lane's policy {id, rate, win, cap} (numbers), false when it has
-- none, or nil plus a corrupt_record reply: a policy that cannot be read
-- denies admission (fail closed).
function Q.policy(T, lane)
  local key = Q.base(T, lane) .. ":pol"
  local v = redis.call("HMGET", key, "id", "rate", "win", "cap")
  if not v[1] and not v[2] and not v[3] and not v[4] then return false end
  local p = { id = v[1] }
  local names = { "rate", "win", "cap" }
  for i = 1, 3 do
    local n = U.parse_int_range(v[i + 1] or "", 0, U.MAX_SAFE)
    if n == nil then return nil, U.corrupt(key, names[i], v[i + 1] or "") end
    p[names[i]] = n
  end
  if not p.id or (p.rate > 0 and p.win < 1) then return nil, U.corrupt(key, p.id and "win" or "id", "") end
  return p
end

-- What one claim call needs about its lane: the policy and whether any
-- group is paused. Returns ctx, or nil plus the refusal.
function Q.context(T, lane)
  local pol, bad = Q.policy(T, lane)
  if pol == nil then return nil, bad end
  local paused = redis.call("EXISTS", Q.base(T, lane) .. ":pause") == 1
  if not pol and not paused then return { none = true } end
  return { pol = pol, paused = paused }
end

-- The group's pause end (ms) if it is paused at `now`, else nil (an ended
-- pause is forgotten).
function Q.paused_until(T, lane, grp, now)
  local pk = Q.base(T, lane) .. ":pause"
  local u = redis.call("HGET", pk, grp)
  if not u then return nil end
  local until_ms = tonumber(u)
  if until_ms and until_ms > now then return until_ms end
  redis.call("HDEL", pk, grp)
  return nil
end

-- Starts the window still allows (nil = no rate limit) and, when none,
-- when the oldest start leaves it.
function Q.window_room(bk, pol, now)
  if pol.rate <= 0 then return nil end
  local wk = bk .. ":w"
  redis.call("ZREMRANGEBYSCORE", wk, "-inf", U.istr(now - pol.win))
  local used = redis.call("ZCARD", wk)
  if used < pol.rate then return pol.rate - used end
  local oldest = redis.call("ZRANGE", wk, 0, 0, "WITHSCORES")
  return 0, tonumber(oldest[2]) + pol.win
end

function Q.slot_room(bk, pol)
  if pol.cap <= 0 then return nil end
  local n = pol.cap - redis.call("SCARD", bk .. ":h")
  if n < 0 then n = 0 end
  return n
end

function Q.arm(T, lane, grp, at)
  redis.call("ZADD", K.quota_timers(T), "LT", U.istr(at), Q.timer_member(lane, grp))
  Q.due(T, at) -- X.due, bound in lib/70_index.lua
end

-- Park a runnable candidate in its group's bucket (the caller removes it
-- from eligible). It keeps its eligible score, so it returns to its place.
function Q.park(T, eid, rec, bk, reason, now)
  local core = K.core(eid)
  local v = redis.call("HMGET", core, "pri", "created", "vt")
  local score = S.score_of(tonumber(v[1] or "0") or 0, tonumber(v[3] or v[2] or "0") or 0)
  redis.call("HSET", core, "st", S.encode("runnable", rec.own, "blocked_by_quota", reason, rec.outcome, rec.ast),
             "qp", bk, "updated", U.istr(now))
  redis.call("ZADD", K.lane(T, rec.lane, "budget_blocked"), score, eid)
  redis.call("ZADD", bk .. ":b", score, eid)
  redis.call("ZADD", Q.base(T, rec.lane) .. ":groups", "0", rec.grp or "")
end

-- Why execution rec (its group) may not start at `now`: nil when it may,
-- else "paused" | "cap" | "rate" plus when time alone lets it start (ms;
-- nil for "cap": a released slot does). Writes nothing but the window trim.
function Q.check(T, ctx, rec, now)
  local grp = rec.grp or ""
  if ctx.paused then
    local u = Q.paused_until(T, rec.lane, grp, now)
    if u then return "paused", u end
  end
  local pol = ctx.pol
  if not pol then return nil end
  local bk = Q.bucket(T, rec.lane, grp)
  if Q.slot_room(bk, pol) == 0 then return "cap" end
  local starts, next_at = Q.window_room(bk, pol, now)
  if starts == 0 then return "rate", next_at end
  return nil
end

-- Record the start of eid's lease in its group (Q.check said it may):
-- the slot and the window entry. Returns the core fields the lease must
-- carry (appended to the claim's HSET).
function Q.take(T, ctx, eid, rec)
  local pol = ctx.pol
  if not pol then return nil end
  local bk = Q.bucket(T, rec.lane, rec.grp or "")
  redis.call("ZADD", Q.base(T, rec.lane) .. ":groups", "0", rec.grp or "") -- ff_describe_quota
  if pol.rate > 0 then
    redis.call("ZADD", bk .. ":w", U.istr(U.now_ms()), eid .. ":" .. (tonumber(rec.epoch or "0") + 1))
  end
  if pol.cap > 0 then
    redis.call("SADD", bk .. ":h", eid)
    return { "qh", bk .. ":h" }
  end
  return nil
end

-- The claim's admission of candidate eid: "ok" plus the lease's extra core
-- fields, "park" (a runnable candidate that may not start is parked: out of
-- eligible until its group has room) or "skip" (a reclaim that may not
-- start stays in eligible; it is not parked).
function Q.admit(T, ctx, eid, rec, now)
  local why, at = Q.check(T, ctx, rec, now)
  if why == nil then return "ok", Q.take(T, ctx, eid, rec) end
  if rec.phase ~= "runnable" then return "skip" end
  local grp = rec.grp or ""
  Q.park(T, eid, rec, Q.bucket(T, rec.lane, grp), why == "paused" and "paused_by_policy" or "waiting_for_quota", now)
  if at then Q.arm(T, rec.lane, grp, at) end
  return "park"
end

-- The refusal of a targeted claim (ff_claim_reclaim ...) Q.check gave.
function Q.refusal(why, at)
  if why == "cap" then return U.err("concurrency_limit_exceeded") end
  return U.err("rate_limit_exceeded", U.istr(at or 0))
end

-- Return up to `limit` parked executions of bucket bk (lane, grp) to
-- eligible; stale entries are dropped. Returns the number returned. (A
-- record too corrupt to decode stays parked: the reconciler sets it aside;
-- F.load is defined after this file.)
function Q.unpark(T, lane, bk, limit, now)
  if limit <= 0 then return 0 end
  local bz = bk .. ":b"
  local ids = redis.call("ZRANGE", bz, 0, limit - 1)
  if #ids == 0 then return 0 end
  local moved = 0
  for i = 1, #ids do
    local eid = ids[i]
    local core = K.core(eid)
    local v = redis.call("HMGET", core, "st", "lane", "pri", "created", "vt", "qp")
    local rec = { lane = v[2], pri = v[3], created = v[4], vt = v[5] }
    if v[1] then rec.phase, rec.own, rec.elig, rec.block, rec.outcome, rec.ast = S.decode(v[1]) end
    if rec.phase == "runnable" and rec.elig == "blocked_by_quota" and v[6] == bk and rec.lane == lane then
      redis.call("HSET", core, "st", S.encode("runnable", rec.own, "eligible_now", "waiting_for_worker",
                                              rec.outcome, rec.ast), "updated", U.istr(now))
      redis.call("HDEL", core, "qp")
      redis.call("ZREM", K.lane(T, lane, "budget_blocked"), eid)
      S.enter_eligible(T, lane, S.score(rec), eid)
      moved = moved + 1
    end
  end
  redis.call("ZREM", bz, unpack(ids))
  return moved
end

-- Give a group's parked work the room it has now: as many as may start
-- (free slots, window room; none while paused), at most Q.PARK_BATCH, and
-- arm the group's timer when it waits for time. Returns the number returned.
function Q.refill(T, lane, grp, now)
  local bk = Q.bucket(T, lane, grp)
  if redis.call("EXISTS", bk .. ":b") == 0 then return 0 end
  local u = Q.paused_until(T, lane, grp, now)
  if u then
    Q.arm(T, lane, grp, u)
    return 0
  end
  local pol = Q.policy(T, lane)
  local room = Q.PARK_BATCH
  if pol then -- (a corrupt policy returns nil: nothing is let out)
    local slots = Q.slot_room(bk, pol)
    local starts, next_at = Q.window_room(bk, pol, now)
    if slots and slots < room then room = slots end
    if starts and starts < room then room = starts end
    if starts == 0 then Q.arm(T, lane, grp, next_at) end
  elseif pol == nil then
    room = 0
  end
  local n = Q.unpark(T, lane, bk, room, now)
  if n == Q.PARK_BATCH and redis.call("EXISTS", bk .. ":b") == 1 then Q.arm(T, lane, grp, now) end
  return n
end

-- The lease of eid ended or was released (F.release): its slot is free at
-- once, and one parked execution of its group goes back to eligible.
function Q.release(core, eid, qh)
  if redis.call("SREM", qh, eid) == 0 then
    redis.call("HDEL", core, "qh")
    return
  end
  redis.call("HDEL", core, "qh")
  local bk = string.sub(qh, 1, -3)
  local ids = redis.call("ZRANGE", bk .. ":b", 0, 0)
  if #ids == 0 then return end
  local lane = redis.call("HGET", K.core(ids[1]), "lane")
  if lane then Q.unpark(K.tag_of(core), lane, bk, 1, U.now_ms()) end
end

-- Handle up to `limit` due group timers of partition T. Returns the number
-- of parked executions returned to eligible.
function Q.timers(T, now, limit)
  local tk = K.quota_timers(T)
  local due = redis.call("ZRANGEBYSCORE", tk, "-inf", U.istr(now), "LIMIT", 0, limit)
  local n = 0
  for i = 1, #due do
    redis.call("ZREM", tk, due[i])
    local lane, grp = Q.parse_timer_member(due[i])
    if lane then n = n + Q.refill(T, lane, grp, now) end
  end
  return n
end

-- The earliest group timer of T (ms) or nil (the engine's due record).
function Q.next_timer(T)
  local t = redis.call("ZRANGE", K.quota_timers(T), 0, 0, "WITHSCORES")
  return t[2] and tonumber(t[2]) or nil
end

-- The fair tag of a new execution of (lane, grp): one past its group's last
-- tag, but never behind the lane's fair clock, so a group with a long
-- backlog holds at most one place per tag ahead of a group that just
-- arrived (round robin between groups; FIFO inside one). Lanes that never
-- saw a group key (no clock) keep plain creation-time order: returns nil.
function Q.fair_tag(T, lane, grp, now)
  local base = Q.base(T, lane)
  local ck = base .. ":vclock"
  local clock = tonumber(redis.call("GET", ck) or "")
  if clock == nil then
    if grp == nil then return nil end
    clock = now
    redis.call("SET", ck, U.istr(now))
  end
  local fk = base .. ":fair"
  grp = grp or ""
  -- groups whose last tag the clock has passed add nothing: forget them
  redis.call("ZREMRANGEBYSCORE", fk, "-inf", "(" .. U.istr(clock))
  local last = tonumber(redis.call("ZSCORE", fk, grp) or "")
  local tag = clock
  if last and last + 1 > tag then tag = last + 1 end
  redis.call("ZADD", fk, U.istr(tag), grp)
  return tag
end

-- A claim leased an execution with fair tag `vt`: the lane's clock moves to it.
function Q.clock_to(T, lane, vt)
  local ck = Q.base(T, lane) .. ":vclock"
  local clock = tonumber(redis.call("GET", ck) or "")
  if clock == nil or vt > clock then redis.call("SET", ck, U.istr(vt)) end
end

-- Validation of a group key (submit, pause): 1..128 bytes, printable.
function Q.group_ok(g)
  return type(g) == "string" and #g >= 1 and #g <= 128 and U.no_ctrl(g)
end
