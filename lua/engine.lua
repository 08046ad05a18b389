-- engine.lua: the engine's per-partition sweep and the engine heartbeat
-- registry (engines split the partitions by the live set it returns).

local ENGINES_KEY = K.ENGINES
local ENGINES_INFO_KEY = K.ENGINES_INFO
local TERMINAL_SETS = { "completed", "failed", "cancelled", "expired", "skipped" }
local RECONCILE_MAX = 20
-- The reconciler (~11 commands per id) runs at most this often per
-- partition: sweeps now follow due times, and a partition with a stream of
-- timers may be swept every few milliseconds.
local RECONCILE_EVERY_MS = 2000

local function engine_id_ok(id)
  return type(id) == "string" and #id >= 1 and #id <= 80 and not string.find(id, "[%z\1-\32\127]")
end

-- First score of a sorted set, or nil.
local function head_score(key)
  local r = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  if r[2] then return tonumber(r[2]) end
  return nil
end

local function min_due(a, b)
  if a == nil then return b end
  if b == nil then return a end
  if b < a then return b end
  return a
end

-- Delete every key of a terminal execution (retention).
local function purge(T, eid, lane, idx)
  local core = K.core(eid)
  local v = redis.call("HMGET", core, "ns", "idem", "att")
  local ns, idem = v[1], v[2]
  -- every attempt's output stream, its meta and summary (attempts are
  -- numbered 0..att-1; an execution has a bounded number of them)
  local natt = tonumber(v[3] or "0") or 0
  for i = 0, natt - 1 do
    local ai = U.istr(i)
    redis.call("DEL", K.stream(eid, ai), K.stream_meta(eid, ai), K.stream_summary(eid, ai))
  end
  redis.call("DEL", core, K.payload(eid), K.result(eid), K.tags(eid), K.attempts(eid), K.policy(eid))
  -- suspension / waitpoint / signal keys (an execution has at most
  -- W.MAX_WAITPOINTS waitpoints and its signal limit of signals)
  local wps = redis.call("SMEMBERS", K.wps(eid))
  for i = 1, #wps do
    redis.call("DEL", K.wp(T, wps[i]), K.wp(T, wps[i]) .. ":buf")
    redis.call("ZREM", K.wp_expiry(T), wps[i])
  end
  local sk = K.sigs(eid)
  while true do
    local ids = redis.call("ZRANGE", sk, 0, 255)
    if #ids == 0 then break end
    local dk = {}
    for i = 1, #ids do
      dk[#dk + 1] = K.sig(T, ids[i])
      dk[#dk + 1] = K.sig(T, ids[i]) .. ":p"
    end
    redis.call("DEL", unpack(dk))
    redis.call("ZREM", sk, unpack(ids))
  end
  redis.call("DEL", K.susp(eid), K.sat(eid), K.wps(eid), K.child_flows(eid))
  redis.call("ZREM", K.psusp(T), eid)
  redis.call("ZREM", K.susp_timeout(T), eid)
  redis.call("ZREM", K.quarantine(T), eid)
  redis.call("HDEL", K.quarantine_why(T), eid)
  redis.call("ZREM", K.lane(T, lane, idx), eid)
  redis.call("SREM", K.all(T), eid)
  redis.call("ZREM", K.deadline(T), eid)
  if ns and idem and idem ~= "" then
    local ikey = K.idem(T, ns, lane, idem)
    if redis.call("GET", ikey) == eid then redis.call("DEL", ikey) end
  end
end

-- Score an execution must have in its expected index, or nil if any score
-- will do (suspended).
local function expected_score(rec, idx)
  if idx == "eligible" or idx == "budget_blocked" or idx == "route_blocked" then return S.score(rec) end
  if idx == "delayed" then return rec.dl end
  if idx == "active" then return rec.lexp end
  if idx == "suspended" then return nil end
  return rec.ended
end

local RECON_FIELDS = { "st", "lane", "pri", "created", "vt", "lexp", "dl", "ended" }

-- Index reconciler: make one execution's index membership match its core
-- (a crash between writes is impossible inside one function call, but a
-- failed-over replica, a manual edit or an older library can leave drift).
-- Returns the number of repairs made.
local function reconcile_one(T, eid, lanes)
  -- a quarantined record must be sound in every field before it returns
  local held = redis.call("ZSCORE", K.quarantine(T), eid) ~= false
  local rec, bad = F.load(K.core(eid), held and F.CHECKED_FIELDS or RECON_FIELDS)
  local fixes = 0
  if bad then
    -- corrupt: never "repair" it into an index or drop it; set it aside
    if not held then
      X.quarantine(T, eid, nil, bad)
      fixes = fixes + 1
    end
    return fixes
  end
  if held and redis.call("ZREM", K.quarantine(T), eid) == 1 then
    -- repaired by an operator since it was set aside: back to its index below
    redis.call("HDEL", K.quarantine_why(T), eid)
    fixes = fixes + 1
  end
  if rec == nil then
    -- No core: drop every trace of the id.
    fixes = fixes + redis.call("SREM", K.all(T), eid)
    fixes = fixes + redis.call("ZREM", K.lease_expiry(T), eid)
    fixes = fixes + redis.call("ZREM", K.attempt_timeout(T), eid)
    fixes = fixes + redis.call("ZREM", K.deadline(T), eid)
    for i = 1, #lanes do
      for k = 1, #K.LANE_STATES do
        fixes = fixes + redis.call("ZREM", K.lane(T, lanes[i], K.LANE_STATES[k]), eid)
      end
    end
    return fixes
  end
  local idx = S.index_of(rec.phase, rec.own, rec.elig, rec.outcome)
  for k = 1, #K.LANE_STATES do
    local name = K.LANE_STATES[k]
    local key = K.lane(T, rec.lane, name)
    local have = redis.call("ZSCORE", key, eid)
    if name == idx then
      if not have then
        local score = expected_score(rec, idx) or U.istr(U.now_ms())
        redis.call("ZADD", key, score, eid)
        -- route-blocked work also needs its capability set's queue, or no
        -- registration would ever find it (lib/78_route.lua)
        local caps = idx == "route_blocked" and redis.call("HGET", K.core(eid), "caps")
        if caps then
          redis.call("ZADD", X.rt_queue(T, rec.lane, caps), score, eid)
          redis.call("SADD", K.route_caps(T, rec.lane), caps)
        end
        fixes = fixes + 1
      end
    elseif have then
      redis.call("ZREM", key, eid)
      fixes = fixes + 1
    end
  end
  local leased = rec.phase == "active" and rec.own == "leased"
  local in_lease = redis.call("ZSCORE", K.lease_expiry(T), eid)
  if leased and not in_lease and rec.lexp then
    redis.call("ZADD", K.lease_expiry(T), rec.lexp, eid)
    fixes = fixes + 1
  elseif not leased and in_lease then
    redis.call("ZREM", K.lease_expiry(T), eid)
    fixes = fixes + 1
  end
  return fixes
end

-- ------------------------------------------------------- ff_engine_sweep
-- KEYS[1] = ff:i:{fp:N}:due (the partition's due record)
-- ARGV: engine_id, budget, retention_ms
-- Reply: {1,"OK","swept", leases_expired, promoted, attempt_timeouts,
--         deadlines_expired, retained_deleted, repaired, more, next_due_ms,
--         now_ms, suspension_timeouts, waitpoints_expired, flow_edges_resolved,
--         flows_deleted}
--        (next_due_ms "" when nothing is scheduled)
-- Sweeps are atomic and idempotent: two engines sweeping one partition at
-- once (a brief overlap while engine membership changes) do the work once.
--- @function ff_engine_sweep
--- @mode write
--- @summary One bounded sweep of a partition: timers, promotion, retention, reconciliation.
--- @key due ff:i:{fp:N}:due the partition's due record
--- @arg engine_id string 1..80 printable bytes
--- @arg budget int 1..1000
--- @arg retention_ms int >= 0
--- @reply outcome string swept
--- @reply leases_expired int
--- @reply promoted int
--- @reply attempt_timeouts int
--- @reply deadlines_expired int
--- @reply retained_deleted int
--- @reply repaired int
--- @reply more flag 1 when more work is due now
--- @reply next_due_ms int earliest pending timer, "" = none
--- @reply now_ms int server time
--- @reply suspension_timeouts int
--- @reply waitpoints_expired int
--- @reply flow_edges_resolved int dependency edges resolved from the flow backlog
--- @reply flows_deleted int settled flows deleted by retention (with all their keys)
--- @error invalid_input, unauthorized, corrupt_record
local function ff_engine_sweep(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.due(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:due")
  end
  if #args ~= 3 then return U.err("invalid_input", "argv: expected 3 arguments") end
  local id = args[1]
  if not engine_id_ok(id) then return U.err("invalid_input", "engine_id: 1..80 printable bytes") end
  local budget = U.parse_int_range(args[2], 1, 1000)
  if budget == nil then return U.err("invalid_input", "budget: integer 1..1000") end
  local retention = U.parse_int_range(args[3], 0, U.MAX_SAFE)
  if retention == nil then return U.err("invalid_input", "retention_ms: non-negative integer") end
  local denied = N.guard(T)
  if denied then return denied end

  local now = U.now_ms()
  local more = false
  local leases = X.sweep_leases(T, now, budget)
  local timeouts = X.sweep_expire(T, K.attempt_timeout(T), now, budget, "atdl", "attempt_timeout", true)
  local deadlines = X.sweep_expire(T, K.deadline(T), now, budget, "deadline", "execution_deadline", false)
  local stimeouts = W.sweep_timeouts(T, now, budget)
  local wexpired = W.sweep_wp_expiry(T, now, budget)
  -- flow cascades larger than one call's bound continue here (lib/75_edges.lua)
  local fresolved, fmore = D.sweep_backlog(T, now, budget)
  -- parked groups whose window moved or whose pause ended (lib/58_quota.lua)
  Q.timers(T, now, budget)
  if leases >= budget or timeouts >= budget or deadlines >= budget or stimeouts >= budget
      or wexpired >= budget or fmore then more = true end

  local lanes = redis.call("SMEMBERS", K.lanes(T))
  local promoted, retained = 0, 0
  local cutoff = now - retention
  local next_due = nil
  for i = 1, #lanes do
    local lane = lanes[i]
    local lane_purged = 0
    local p = X.promote_due(T, lane, now, budget)
    promoted = promoted + p
    if p >= budget then more = true end
    next_due = min_due(next_due, head_score(K.lane(T, lane, "delayed")))
    for k = 1, #TERMINAL_SETS do
      local idx = TERMINAL_SETS[k]
      local key = K.lane(T, lane, idx)
      local old = redis.call("ZRANGEBYSCORE", key, "-inf", U.istr(cutoff), "LIMIT", 0, budget)
      for j = 1, #old do
        -- Only an execution that really is terminal in this set, and ended
        -- before the cutoff, is deleted; a stray entry is just removed.
        local rec, bad = F.load(K.core(old[j]), { "st", "lane", "ended" })
        if bad then
          X.quarantine(T, old[j], key, bad)
        elseif rec and rec.phase == "terminal" and rec.lane == lane
            and S.index_of(rec.phase, rec.own, rec.elig, rec.outcome) == idx
            and tonumber(rec.ended or "0") <= cutoff then
          purge(T, old[j], lane, idx)
          retained = retained + 1
          lane_purged = lane_purged + 1
        else
          redis.call("ZREM", key, old[j])
        end
      end
      if #old >= budget then more = true end
      local h = head_score(key)
      if h then next_due = min_due(next_due, h + retention) end
    end
    if lane_purged > 0 then
      -- A lane whose every index is now empty is forgotten (ff_lanes);
      -- creating an execution on it registers it again.
      local empty = true
      for k = 1, #K.LANE_STATES do
        if redis.call("EXISTS", K.lane(T, lane, K.LANE_STATES[k])) == 1 then
          empty = false
          break
        end
      end
      -- (a lane an operator configured or paused stays listed)
      if empty and redis.call("HEXISTS", K.lanes_conf(T), lane) == 0
          and redis.call("HEXISTS", K.lanes_paused(T), lane) == 0 then
        redis.call("SREM", K.lanes(T), lane)
      end
    end
  end

  -- flow retention: settled flows with every key, and the completion feed
  local fpurged, fpmore = D.purge_settled(T, cutoff, budget)
  if fpmore then more = true end
  local fh = head_score(K.flows_ended(T))
  if fh then next_due = min_due(next_due, fh + retention) end
  D.trim_feed(T, cutoff, budget)

  -- Reconciler: walk the partition's execution set a few ids per sweep (at
  -- most every RECONCILE_EVERY_MS); the cursor (`rc`) and the next time
  -- (`rt`) live in the due record, so any engine continues where the last
  -- one stopped.
  local rv = redis.call("HMGET", keys[1], "rc", "rt")
  local cursor, repaired = rv[1] or "0", 0
  local recon = now >= (tonumber(rv[2] or "") or 0)
  if recon then
    local scan = redis.call("SSCAN", K.all(T), cursor, "COUNT", RECONCILE_MAX)
    for i = 1, #scan[2] do repaired = repaired + reconcile_one(T, scan[2][i], lanes) end
    cursor = scan[1]
  end

  next_due = min_due(next_due, head_score(K.lease_expiry(T)))
  next_due = min_due(next_due, head_score(K.attempt_timeout(T)))
  next_due = min_due(next_due, head_score(K.deadline(T)))
  next_due = min_due(next_due, head_score(K.susp_timeout(T)))
  next_due = min_due(next_due, head_score(K.wp_expiry(T)))
  next_due = min_due(next_due, Q.next_timer(T))
  -- The due record tells every later transition whether its timer is earlier
  -- than this (X.due); `more` work is due at once.
  local at = more and now or next_due
  local f = { "at", at and U.istr(at) or "", "ret", U.istr(retention), "by", id, "swept", U.istr(now) }
  if recon then
    f[#f + 1] = "rc"; f[#f + 1] = cursor
    f[#f + 1] = "rt"; f[#f + 1] = U.istr(now + RECONCILE_EVERY_MS)
  end
  redis.call("HSET", keys[1], unpack(f))
  return U.ok("swept", U.istr(leases), U.istr(promoted), U.istr(timeouts), U.istr(deadlines),
              U.istr(retained), U.istr(repaired), more and "1" or "0",
              next_due and U.istr(next_due) or "", U.istr(now), U.istr(stimeouts), U.istr(wexpired),
              U.istr(fresolved), U.istr(fpurged))
end

-- -------------------------------------------------------- ff_engine_beat
-- KEYS: ff:{e}:engines (ZSET engine id -> heartbeat expiry),
--       ff:{e}:info (HASH engine id -> stats JSON)
-- ARGV: engine_id, ttl_ms, info_json ("" = unchanged since the last beat)
-- Reply: {1,"OK", live_engines, now_ms, id, id, ...} (the live engines, by
-- id: each engine derives the partitions it sweeps from this set)
-- Lean on purpose (an idle engine beats every few seconds): TIME, one ZRANGE,
-- one ZADD, and an HSET only when the info changed.
--- @function ff_engine_beat
--- @mode write
--- @summary An engine's heartbeat; reply with the live engines.
--- @key engines ff:{e}:engines engine id -> heartbeat expiry
--- @key info ff:{e}:info engine id -> info JSON
--- @arg engine_id string 1..80 printable bytes
--- @arg ttl_ms int 100..600000
--- @arg info json <= 16384 bytes, "" = unchanged
--- @reply live_engines int engines that follow
--- @reply now_ms int server time
--- @item engine 1
--- @field id string engine id (the caller first)
--- @error invalid_input
local function ff_engine_beat(keys, args)
  if #keys ~= 2 or keys[1] ~= ENGINES_KEY or keys[2] ~= ENGINES_INFO_KEY then
    return U.err("invalid_input", "keys: ff:{e}:engines ff:{e}:info")
  end
  if #args ~= 3 then return U.err("invalid_input", "argv: expected 3 arguments") end
  local id = args[1]
  if not engine_id_ok(id) then return U.err("invalid_input", "engine_id: 1..80 printable bytes") end
  local ttl = U.parse_int_range(args[2], 100, 600000)
  if ttl == nil then return U.err("invalid_input", "ttl_ms: integer 100..600000") end
  if #args[3] > 16384 then return U.err("invalid_input", "info: at most 16384 bytes") end
  local now = U.now_ms()
  local all = redis.call("ZRANGE", ENGINES_KEY, 0, -1, "WITHSCORES")
  local dead, out = {}, { 1, "OK", "", U.istr(now), id }
  for i = 1, #all, 2 do
    if tonumber(all[i + 1]) <= now then
      if all[i] ~= id then dead[#dead + 1] = all[i] end
    elseif all[i] ~= id then
      out[#out + 1] = all[i]
    end
  end
  if #dead > 0 then
    redis.call("ZREM", ENGINES_KEY, unpack(dead))
    redis.call("HDEL", ENGINES_INFO_KEY, unpack(dead))
  end
  redis.call("ZADD", ENGINES_KEY, U.istr(now + ttl), id)
  if args[3] ~= "" then redis.call("HSET", ENGINES_INFO_KEY, id, args[3]) end
  out[3] = U.istr(#out - 4)
  return out
end

-- --------------------------------------------------------- ff_engine_list
-- Read-only: the live engines. KEYS as ff_engine_beat.
-- Reply: {1,"OK", id, expires_at, info_json, ...}
--- @function ff_engine_list
--- @mode read-only
--- @summary The live engines and their reports.
--- @key engines ff:{e}:engines engine id -> heartbeat expiry
--- @key info ff:{e}:info engine id -> info JSON
--- @item engine 3
--- @field id string engine id
--- @field expires_at int heartbeat expiry (ms)
--- @field info json the engine's report
--- @error invalid_input
local function ff_engine_list(keys, args)
  if #keys ~= 2 or keys[1] ~= ENGINES_KEY or keys[2] ~= ENGINES_INFO_KEY then
    return U.err("invalid_input", "keys: ff:{e}:engines ff:{e}:info")
  end
  if #args ~= 0 then return U.err("invalid_input", "argv: expected no arguments") end
  local now = U.now_ms()
  local live = redis.call("ZRANGEBYSCORE", ENGINES_KEY, "(" .. U.istr(now), "+inf", "WITHSCORES")
  local out = { 1, "OK" }
  for i = 1, #live, 2 do
    out[#out + 1] = live[i]
    out[#out + 1] = live[i + 1]
    out[#out + 1] = redis.call("HGET", ENGINES_INFO_KEY, live[i]) or "{}"
  end
  return out
end

redis.register_function("ff_engine_sweep", ff_engine_sweep)
redis.register_function("ff_engine_beat", ff_engine_beat)
redis.register_function { function_name = "ff_engine_list", callback = ff_engine_list, flags = U.RO }
