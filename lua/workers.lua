-- workers.lua: the worker registry of one execution partition (register /
-- heartbeat, list, mark dead); lib/78_route.lua has the routing it feeds.
-- A worker is registered on every partition its lanes live on: the C side
-- makes one call per partition (src/ops/workers.c).

;(function()
local WORKERS = {
  MAX_LANES = 64,
  MIN_TTL = 1000,          -- registry ttl bounds (ms)
  MAX_TTL = 86400000,
  MAX_CONCURRENCY = 1000000,
}

-- KEYS[1] must be the partition's worker index. Returns T or nil, refusal.
local function workers_prologue(keys, args, nmin, nmax)
  if #keys ~= 1 then return nil, U.err("invalid_input", "keys: expected 1 key") end
  if #args < nmin or #args > nmax then
    return nil, U.err("invalid_input", "argv: expected " .. nmin .. (nmax ~= nmin and (".." .. nmax) or "") .. " arguments")
  end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.workers(T) then
    return nil, U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:workers")
  end
  return T
end

--- @function ff_worker_register
--- @mode write
--- @summary Register a worker on one partition or refresh its entry (heartbeat); route-blocked work of its lanes that it can run returns to eligible in the same call (at most 500 per call).
--- @key workers ff:i:{fp:N}:workers the partition's live workers by registry expiry
--- @arg worker_id string worker name, 1..256 bytes, no control bytes
--- @arg worker_instance_id string worker instance name
--- @arg caps csv the worker's capabilities
--- @arg concurrency int 0..1000000 (leases it runs at once, informational)
--- @arg ttl_ms int 1000..86400000: the entry expires this long after the call unless refreshed
--- @arg lanes... string 1..64 lanes the worker claims from
--- @reply outcome string registered|refreshed
--- @reply expires_at int the entry's expiry (ms)
--- @reply unblocked int route-blocked executions returned to eligible
--- @error invalid_input, invalid_capabilities, unauthorized
local function ff_worker_register(keys, args)
  local T, e = workers_prologue(keys, args, 6, 5 + WORKERS.MAX_LANES)
  if not T then return e end
  local wid, wiid = args[1], args[2]
  local good
  good, e = V.worker_name(wid, "worker_id")
  if not good then return e end
  good, e = V.worker_name(wiid, "worker_instance_id")
  if not good then return e end
  local list
  list, e = V.caps_csv(args[3], "worker")
  if not list then return e end
  local caps
  caps, e = V.caps_merge(list, {}, "worker")
  if not caps then return e end
  local conc = U.parse_int_range(args[4], 0, WORKERS.MAX_CONCURRENCY)
  if conc == nil then return U.err("invalid_input", "concurrency: integer 0.." .. WORKERS.MAX_CONCURRENCY) end
  local ttl = U.parse_int_range(args[5], WORKERS.MIN_TTL, WORKERS.MAX_TTL)
  if ttl == nil then
    return U.err("invalid_input", "ttl_ms: integer " .. WORKERS.MIN_TTL .. ".." .. WORKERS.MAX_TTL)
  end
  local lanes, seen = {}, {}
  for i = 6, #args do
    good, e = V.lane(args[i])
    if not good then return e end
    if not seen[args[i]] then
      seen[args[i]] = true
      lanes[#lanes + 1] = args[i]
    end
  end
  e = N.guard(T)
  if e then return e end

  local now = U.now_ms()
  X.rt_expire(T, now, X.RT_EXPIRE_BATCH)
  local rk = K.worker(T, wid)
  local old = redis.call("HMGET", rk, "iid", "lanes", "reg")
  local outcome = old[1] and "refreshed" or "registered"
  -- lanes it no longer serves forget it
  if old[2] then
    local ok, prev = U.json_decode(old[2])
    if ok and type(prev) == "table" then
      for i = 1, #prev do
        if type(prev[i]) == "string" and not seen[prev[i]] then
          redis.call("ZREM", K.lane_workers(T, prev[i]), wid)
        end
      end
    end
  end
  local now_s, exp_s = U.istr(now), U.istr(now + ttl)
  -- a new instance under the same name starts a new registration
  local reg = (old[1] == wiid and old[3]) or now_s
  redis.call("HSET", rk, "iid", wiid, "lanes", cjson.encode(lanes), "caps", caps, "conc", U.istr(conc),
             "ttl", U.istr(ttl), "reg", reg, "hb", now_s)
  redis.call("ZADD", K.workers(T), exp_s, wid)
  redis.call("ZADD", K.worker_names(T), "0", wid)
  local wset = X.rt_set(caps)
  local moved = 0
  for i = 1, #lanes do
    redis.call("ZADD", K.lane_workers(T, lanes[i]), exp_s, wid)
    if caps ~= "" and moved < X.RT_UNBLOCK_BATCH and redis.call("EXISTS", K.route_caps(T, lanes[i])) == 1 then
      moved = moved + X.rt_unblock(T, lanes[i], wset, X.RT_UNBLOCK_BATCH - moved, now)
    end
  end
  return U.ok(outcome, exp_s, U.istr(moved))
end

--- @function ff_worker_dead
--- @mode write
--- @summary Remove a worker from one partition's registry now (clean shutdown or an operator's verdict); the leases it holds end by expiry or completion as usual.
--- @key workers ff:i:{fp:N}:workers the partition's live workers by registry expiry
--- @arg worker_id string worker name
--- @reply removed flag 1 when the worker was registered here
--- @error invalid_input, unauthorized
local function ff_worker_dead(keys, args)
  local T, e = workers_prologue(keys, args, 1, 1)
  if not T then return e end
  local good
  good, e = V.worker_name(args[1], "worker_id")
  if not good then return e end
  e = N.guard(T)
  if e then return e end
  local now = U.now_ms()
  local removed = X.rt_drop(T, args[1])
  X.rt_expire(T, now, X.RT_EXPIRE_BATCH)
  return U.ok(U.istr(removed))
end

--- @function ff_worker_list
--- @mode read-only
--- @summary One page of the live workers of a partition by name after an exclusive cursor, optionally only those of one lane, with the leases each holds here.
--- @key workers ff:i:{fp:N}:workers the partition's live workers by registry expiry
--- @arg lane string only workers of this lane ("" = all)
--- @arg cursor string the last worker id of the previous page ("" = from the start)
--- @arg count int 1..1000 names examined
--- @reply next_cursor string the last name examined, "" when done
--- @item worker 10
--- @field worker_id string worker name
--- @field worker_instance_id string instance name
--- @field lanes string JSON array of its lanes
--- @field caps csv its capabilities, sorted
--- @field concurrency int as registered
--- @field ttl_ms int registry ttl
--- @field registered_at int ms
--- @field last_heartbeat int ms
--- @field expires_at int ms
--- @field leases int leases it holds on this partition
--- @error invalid_input
local function ff_worker_list(keys, args)
  local T, e = workers_prologue(keys, args, 3, 3)
  if not T then return e end
  local lane, cursor = args[1], args[2]
  if lane ~= "" and not V.lane(lane) then return U.err("invalid_input", "lane: 1..64 bytes 0x20..0x7E or empty") end
  if cursor ~= "" and not V.worker_name(cursor, "cursor") then
    return U.err("invalid_input", "cursor: a worker id or empty")
  end
  local count = U.parse_int_range(args[3], 1, 1000)
  if count == nil then return U.err("invalid_input", "count: integer 1..1000") end
  local now = U.now_ms()
  local ids = redis.call("ZRANGEBYLEX", K.worker_names(T), cursor == "" and "-" or "(" .. cursor, "+",
                         "LIMIT", 0, count)
  local out = { 1, "OK", #ids == count and ids[#ids] or "" }
  local wk = K.workers(T)
  local lk = lane ~= "" and K.lane_workers(T, lane) or nil
  for i = 1, #ids do
    local wid = ids[i]
    local exp = tonumber(redis.call("ZSCORE", wk, wid) or "")
    -- an expired entry is not a live worker (the next write drops it)
    local live = exp ~= nil and exp > now
    if live and lk then live = redis.call("ZSCORE", lk, wid) ~= false end
    if live then
      local h = redis.call("HMGET", K.worker(T, wid), "iid", "lanes", "caps", "conc", "ttl", "reg", "hb")
      if h[1] then
        local n = #out
        out[n + 1] = wid; out[n + 2] = h[1]; out[n + 3] = h[2] or "[]"; out[n + 4] = h[3] or ""
        out[n + 5] = h[4] or "0"; out[n + 6] = h[5] or "0"; out[n + 7] = h[6] or "0"; out[n + 8] = h[7] or "0"
        out[n + 9] = U.istr(exp)
        out[n + 10] = U.istr(redis.call("SCARD", K.worker_held(T, wid)))
      end
    end
  end
  return out
end

redis.register_function("ff_worker_register", ff_worker_register)
redis.register_function("ff_worker_dead", ff_worker_dead)
redis.register_function { function_name = "ff_worker_list", callback = ff_worker_list, flags = U.RO }
end)()
