-- lanes.lua: the lane registry and operator lane pause (docs/admission.md).
-- A lane is listed from the moment it is configured (ff_lane_create) or
-- first used (an execution created on it); a configured or paused lane is
-- never forgotten by retention (lua/engine.lua). A paused lane leases
-- nothing -- plain claims return no work, targeted claims refuse with
-- lane_paused -- while its executions keep their place in the eligible
-- order; resuming wakes its idle workers at once. Every call runs on one
-- execution partition with KEYS[1] = the lane's eligible index there; the
-- C side calls each partition the lane's shards map to.

-- (Wrapped in a function: the library's main chunk is at Lua's limit of
-- 200 locals.)
;(function()
local LANES = {
  MAX_REASON = 1024, -- bytes of a pause reason
}

-- Register lane on T (idempotent). Returns true when it was not configured.
local function configure(T, lane, now)
  redis.call("SADD", K.lanes(T), lane)
  return redis.call("HSETNX", K.lanes_conf(T), lane, U.istr(now)) == 1
end

--- @function ff_lane_create
--- @mode write
--- @summary Configure a lane on one partition: it is listed (and kept by retention) before any execution uses it.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @reply created int 1 when newly configured, 0 when it already was
--- @reply configured_at int when it was first configured (ms)
--- @error invalid_input, unauthorized
local function ff_lane_create(keys, args)
  local T, e = V.lane_call(keys, args, 1)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local created = configure(T, args[1], U.now_ms())
  return U.ok(created and "1" or "0", redis.call("HGET", K.lanes_conf(T), args[1]))
end

--- @function ff_lane_pause
--- @mode write
--- @summary Pause a lane on one partition: no claim leases its work until it is resumed; an existing pause keeps its time and reason.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @arg reason string <= 1024 bytes, may be ""
--- @reply paused int 1 when this call paused it, 0 when it already was
--- @reply paused_at int when the pause began (ms)
--- @error invalid_input, unauthorized
local function ff_lane_pause(keys, args)
  local T, e = V.lane_call(keys, args, 2)
  if not T then return e end
  local good
  good, e = V.text(args[2], "reason", LANES.MAX_REASON)
  if not good then return e end
  e = N.guard(T)
  if e then return e end
  local now = U.now_ms()
  local lane = args[1]
  configure(T, lane, now)
  local cur = redis.call("HGET", K.lanes_paused(T), lane)
  if cur then return U.ok("0", string.match(cur, "^(%d+)") or "0") end
  redis.call("HSET", K.lanes_paused(T), lane, U.istr(now) .. ":" .. args[2])
  return U.ok("1", U.istr(now))
end

--- @function ff_lane_resume
--- @mode write
--- @summary Resume a paused lane on one partition; its idle workers are woken when it has eligible work.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @reply was_paused int 1 when it was paused, 0 otherwise
--- @error invalid_input, unauthorized
local function ff_lane_resume(keys, args)
  local T, e = V.lane_call(keys, args, 1)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local lane = args[1]
  if redis.call("HDEL", K.lanes_paused(T), lane) == 0 then return U.ok("0") end
  -- workers that found the lane paused wait for a wake-up, not a poll
  if redis.call("ZCARD", keys[1]) > 0 then N.wake(T, lane) end
  return U.ok("1")
end

--- @function ff_lane_page
--- @mode read-only
--- @summary One page of the lanes of a partition (configured or in use), in byte order after an exclusive cursor, with their pause.
--- @key lanes ff:i:{fp:N}:lanes the partition's lane set
--- @arg cursor string the last lane of the previous page, "" = from the start
--- @arg count int 1..1000
--- @reply next_cursor string "" when done
--- @item lane 5
--- @field lane string lane name
--- @field configured_at int when configured (ms), "" when only in use
--- @field paused int 1 when paused
--- @field paused_at int when the pause began (ms), "" when not paused
--- @field reason string the pause reason
--- @error invalid_input
local function ff_lane_page(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.lanes(T) then return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:lanes") end
  local cursor = args[1]
  if cursor ~= "" and not V.lane(cursor) then return U.err("invalid_input", "cursor: a lane or empty") end
  local count = U.parse_int_range(args[2], 1, 1000)
  if count == nil then return U.err("invalid_input", "count: integer 1..1000") end
  -- a partition holds few lanes (names are operator-chosen), so sorting
  -- the set here is cheaper than keeping a second, ordered copy of it
  local all = redis.call("SMEMBERS", keys[1])
  local names = {}
  for i = 1, #all do
    if all[i] > cursor then names[#names + 1] = all[i] end
  end
  table.sort(names)
  local n = #names < count and #names or count
  local out = { 1, "OK", #names > count and names[n] or "" }
  for i = 1, n do
    local lane = names[i]
    local conf = redis.call("HGET", K.lanes_conf(T), lane)
    local p = redis.call("HGET", K.lanes_paused(T), lane)
    local at, why = "", ""
    if p then at, why = string.match(p, "^(%d*):?(.*)$") end
    out[#out + 1] = lane
    out[#out + 1] = conf or ""
    out[#out + 1] = p and "1" or "0"
    out[#out + 1] = at or ""
    out[#out + 1] = why or ""
  end
  return out
end

redis.register_function("ff_lane_create", ff_lane_create)
redis.register_function("ff_lane_pause", ff_lane_pause)
redis.register_function("ff_lane_resume", ff_lane_resume)
redis.register_function { function_name = "ff_lane_page", callback = ff_lane_page, flags = U.RO }
end)()
