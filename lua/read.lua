-- read.lua: ff_version and the read-only calls (registered with the
-- no-writes flag, callable with FCALL_RO).

local READ = { MAX_COUNT = 1000 }

local function ff_version(keys, args)
  return FF_LIB_VERSION
end

local function ff_describe(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local core = redis.call("HGETALL", K.core(eid))
  if #core == 0 then return U.err("execution_not_found") end
  local st = ""
  for i = 1, #core, 2 do
    if core[i] == "st" then st = core[i + 1] end
  end
  local raw = redis.call("HGETALL", K.attempts(eid))
  local idx = {}
  for i = 1, #raw, 2 do idx[#idx + 1] = { tonumber(raw[i]) or 0, raw[i], raw[i + 1] } end
  table.sort(idx, function(a, b) return a[1] < b[1] end)
  local attempts = {}
  for i = 1, #idx do
    attempts[#attempts + 1] = idx[i][2]
    attempts[#attempts + 1] = idx[i][3]
  end
  local tags = redis.call("HGETALL", K.tags(eid))
  local has = redis.call("EXISTS", K.result(eid))
  return U.ok(core, attempts, tags, S.public_of(st), has == 1 and "1" or "0")
end

local function ff_result(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local st = redis.call("HGET", K.core(eid), "st")
  if not st then return U.err("execution_not_found") end
  if S.decode(st) ~= "terminal" then return U.err("execution_not_terminal") end
  return U.ok(redis.call("GET", K.result(eid)) or "")
end

local function ff_list_partition(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.all(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:all")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local cursor = args[1]
  if cursor == "" then cursor = "0" end
  if not string.find(cursor, "^%d+$") or #cursor > 20 then
    return U.err("invalid_input", "cursor: not a non-negative integer")
  end
  local count = U.parse_int_range(args[2], 1, READ.MAX_COUNT)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. READ.MAX_COUNT) end
  local r = redis.call("SSCAN", keys[1], cursor, "COUNT", count)
  local out = { 1, "OK", r[1] }
  for i = 1, #r[2] do out[#out + 1] = r[2][i] end
  return out
end

local function ff_list_lane(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local key = keys[1]
  local T = K.key_tag(key)
  local prefix = T and ("ff:i:" .. T .. ":")
  if not T or string.sub(key, 1, #prefix) ~= prefix then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:<lane>:<state>")
  end
  local rest = string.sub(key, #prefix + 1)
  local lane, state = string.match(rest, "^(.+):([%a_]+)$")
  if not lane or not K.LANE_STATE_SET[state] or not V.lane(lane) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:<lane>:<state>")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local off = args[1] == "" and 0 or U.parse_int_range(args[1], 0, U.MAX_SAFE)
  if off == nil then return U.err("invalid_input", "offset: not a non-negative integer") end
  local count = U.parse_int_range(args[2], 1, READ.MAX_COUNT)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. READ.MAX_COUNT) end
  local ids = redis.call("ZRANGE", key, off, off + count - 1)
  local nxt = "0"
  if #ids == count and redis.call("ZCARD", key) > off + count then nxt = U.istr(off + count) end
  local out = { 1, "OK", nxt }
  for i = 1, #ids do out[#out + 1] = ids[i] end
  return out
end

local function lanes_key_tag(keys)
  if #keys ~= 1 then return nil end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.lanes(T) then return nil end
  return T
end

local function ff_lanes(keys, args)
  if not lanes_key_tag(keys) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:lanes")
  end
  local lanes = redis.call("SMEMBERS", keys[1])
  table.sort(lanes)
  local out = { 1, "OK" }
  for i = 1, #lanes do out[#out + 1] = lanes[i] end
  return out
end

local function ff_counts(keys, args)
  local T = lanes_key_tag(keys)
  if not T then return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:lanes") end
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local good, e = V.lane(args[1])
  if not good then return e end
  local out = { 1, "OK" }
  for i = 1, #K.LANE_STATES do
    local st = K.LANE_STATES[i]
    out[#out + 1] = st
    out[#out + 1] = U.istr(redis.call("ZCARD", K.lane(T, args[1], st)))
  end
  return out
end

local RO = { "no-writes" }
redis.register_function { function_name = "ff_version", callback = ff_version, flags = RO }
redis.register_function { function_name = "ff_describe", callback = ff_describe, flags = RO }
redis.register_function { function_name = "ff_result", callback = ff_result, flags = RO }
redis.register_function { function_name = "ff_list_partition", callback = ff_list_partition, flags = RO }
redis.register_function { function_name = "ff_list_lane", callback = ff_list_lane, flags = RO }
redis.register_function { function_name = "ff_lanes", callback = ff_lanes, flags = RO }
redis.register_function { function_name = "ff_counts", callback = ff_counts, flags = RO }
