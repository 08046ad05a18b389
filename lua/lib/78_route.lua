-- 78_route: the worker registry of an execution partition and capability
-- routing (lua/workers.lua has the calls; docs/admission.md the rules).
--
-- A claim that meets work whose required capabilities the claimant lacks
-- asks the registry whether any LIVE worker of the lane on this partition
-- has them. If one does, the work stays eligible (that worker will take
-- it); if none does, it leaves the eligible order for the lane's
-- "route_blocked" index (blocked_by_route / waiting_for_capable_worker) and
-- the queue of its capability set, so later claims never pay for it again.
-- It comes back when a worker with those capabilities registers (or
-- heartbeats) or claims on the lane.
--
-- Keys: K.workers(T) (wid -> registry expiry), K.worker_names(T) (score 0,
-- paging by name), K.worker(T, wid) (HASH iid lanes caps conc ttl reg hb),
-- K.worker_held(T, wid) (SET of the executions it holds a lease on: claim
-- adds, F.release removes, so the count is exact), K.lane_workers(T, lane)
-- (wid -> expiry), K.route_caps(T, lane) (SET of the capability CSVs that
-- have blocked work) and X.rt_queue(T, lane, caps) (ZSET eid -> eligible
-- score). Everything of one call shares the partition's slot.
--
-- (Functions are fields of X: the library's main chunk is out of locals.)

X.RT_UNBLOCK_BATCH = 500  -- route-blocked executions returned per register / heartbeat call
X.RT_CLAIM_UNBLOCK = 100  -- ... per claim (the claimant is a live capable worker too)
X.RT_WORKER_SCAN = 1000   -- live workers of a lane a claim consults
X.RT_EXPIRE_BATCH = 100   -- expired workers dropped per call that writes the registry

function X.rt_queue(T, lane, caps)
  return "ff:rq:" .. T .. ":" .. #lane .. ":" .. lane .. ":" .. caps
end

-- Drop up to `limit` workers of T whose registry entry expired before `now`
-- (their record, their place in each lane). Their lease sets stay: the
-- leases they hold end by expiry or completion like any other.
function X.rt_expire(T, now, limit)
  local wk = K.workers(T)
  local gone = redis.call("ZRANGEBYSCORE", wk, "-inf", U.istr(now), "LIMIT", 0, limit)
  for i = 1, #gone do X.rt_drop(T, gone[i]) end
  return #gone
end

-- Remove worker wid from T's registry. Returns 1 when it was registered.
function X.rt_drop(T, wid)
  local rk = K.worker(T, wid)
  local lanes = redis.call("HGET", rk, "lanes")
  if lanes then
    local ok, list = U.json_decode(lanes)
    if ok and type(list) == "table" then
      for i = 1, #list do
        if type(list[i]) == "string" then redis.call("ZREM", K.lane_workers(T, list[i]), wid) end
      end
    end
  end
  redis.call("DEL", rk)
  redis.call("ZREM", K.worker_names(T), wid)
  return redis.call("ZREM", K.workers(T), wid)
end

-- Set of a capability CSV.
function X.rt_set(csv)
  local s = {}
  for tok in string.gmatch(csv, "[^,]+") do s[tok] = true end
  return s
end

-- Does a live registered worker of `lane` on T have every capability of
-- `caps`? ctx caches, for one claim call, the live workers' sets and the
-- verdict per CSV. Expired workers are dropped on the first look.
function X.rt_capable(T, lane, caps, ctx, now)
  local v = ctx.verdict[caps]
  if v ~= nil then return v end
  if ctx.sets == nil then
    X.rt_expire(T, now, X.RT_EXPIRE_BATCH)
    ctx.sets = {}
    local ids = redis.call("ZRANGEBYSCORE", K.lane_workers(T, lane), "(" .. U.istr(now), "+inf",
                           "LIMIT", 0, X.RT_WORKER_SCAN)
    for i = 1, #ids do
      local c = redis.call("HGET", K.worker(T, ids[i]), "caps")
      if c then ctx.sets[#ctx.sets + 1] = X.rt_set(c) end
    end
  end
  v = false
  for i = 1, #ctx.sets do
    if V.caps_subset(caps, ctx.sets[i]) then
      v = true
      break
    end
  end
  ctx.verdict[caps] = v
  return v
end

-- Park a runnable claim candidate no live worker can run (the caller
-- removes it from eligible). It keeps its eligible score.
function X.rt_park(T, eid, rec, now)
  local core = K.core(eid)
  local v = redis.call("HMGET", core, "pri", "created", "vt")
  local score = S.score_of(tonumber(v[1] or "0") or 0, tonumber(v[3] or v[2] or "0") or 0)
  redis.call("HSET", core, "st", S.encode("runnable", rec.own, "blocked_by_route", "waiting_for_capable_worker",
                                          rec.outcome, rec.ast), "updated", U.istr(now))
  redis.call("ZADD", K.lane(T, rec.lane, "route_blocked"), score, eid)
  redis.call("ZADD", X.rt_queue(T, rec.lane, rec.caps), score, eid)
  redis.call("SADD", K.route_caps(T, rec.lane), rec.caps)
end

-- Return to eligible up to `limit` route-blocked executions of `lane` whose
-- capability set is a subset of `wset`. Stale queue entries (an execution
-- cancelled or changed meanwhile) are dropped. Returns the number returned.
function X.rt_unblock(T, lane, wset, limit, now)
  local rc = K.route_caps(T, lane)
  local sets = redis.call("SMEMBERS", rc)
  local moved = 0
  local now_s = U.istr(now)
  for i = 1, #sets do
    if moved >= limit then break end
    local caps = sets[i]
    if V.caps_subset(caps, wset) then
      local qk = X.rt_queue(T, lane, caps)
      local ids = redis.call("ZRANGE", qk, 0, limit - moved - 1)
      for j = 1, #ids do
        local eid = ids[j]
        local core = K.core(eid)
        local h = redis.call("HMGET", core, "st", "lane", "pri", "created", "vt", "caps")
        local rec = { lane = h[2], pri = h[3], created = h[4], vt = h[5] }
        if h[1] then rec.phase, rec.own, rec.elig, rec.block, rec.outcome, rec.ast = S.decode(h[1]) end
        if rec.phase == "runnable" and rec.elig == "blocked_by_route" and rec.lane == lane and h[6] == caps then
          redis.call("HSET", core, "st", S.encode("runnable", rec.own, "eligible_now", "waiting_for_worker",
                                                  rec.outcome, rec.ast), "updated", now_s)
          redis.call("ZREM", K.lane(T, lane, "route_blocked"), eid)
          S.enter_eligible(T, lane, S.score(rec), eid)
          moved = moved + 1
        end
      end
      if #ids > 0 then redis.call("ZREM", qk, unpack(ids)) end
      if redis.call("EXISTS", qk) == 0 then redis.call("SREM", rc, caps) end
    end
  end
  return moved
end

-- A lease of worker wid started (claim) / ended (F.release, which is
-- defined before X exists, hence fields of F) on T.
function F.rt_hold(T, wid, eid) redis.call("SADD", K.worker_held(T, wid), eid) end
function F.rt_unhold(T, wid, eid) redis.call("SREM", K.worker_held(T, wid), eid) end

-- An execution leaves the route_blocked index by another way (cancel,
-- expiry, ...): its capability set's queue forgets it.
function X.rt_forget(T, eid, lane)
  local caps = redis.call("HGET", K.core(eid), "caps")
  if not caps then return end
  local qk = X.rt_queue(T, lane, caps)
  redis.call("ZREM", qk, eid)
  if redis.call("EXISTS", qk) == 0 then redis.call("SREM", K.route_caps(T, lane), caps) end
end
