-- flow_feed.lua: following flows from outside. The completion feed is a
-- per-partition Redis stream (K.flow_feed, written by D.ended and
-- D.check_settled in lib/75_edges.lua, trimmed by the engine's retention):
-- a consumer reads it from a cursor, so a restart loses nothing the
-- retention kept, and it is told when it fell behind the retention (`gap`,
-- from the newest trimmed id that D.trim_feed keeps in the due record).
-- ff_flow_wait_mark is the first half of ff_flow_wait (src/ops/wait.c):
-- the flow's settling publishes ff:done:{fp:N} with the flow id.

local FEED_MAX_READ = 1000

-- "ms-seq" as two numbers, or nil.
local function stream_id(s)
  local a, b = string.match(s or "", "^(%d+)%-(%d+)$")
  if not a or #a > 16 or #b > 16 then return nil end
  return tonumber(a), tonumber(b)
end

local function id_before(a1, a2, b1, b2)
  return a1 < b1 or (a1 == b1 and a2 < b2)
end

-- KEYS ff:i:{fp:N}:flow_feed; ARGV cursor, count.
--- @function ff_flow_feed
--- @mode read-only
--- @summary One page of a partition's flow completion feed after an exclusive cursor.
--- @key feed ff:i:{fp:N}:flow_feed the partition's completion stream
--- @arg cursor string the last entry id read ("" = from the oldest kept, "$" = from now on)
--- @arg count int 1..1000
--- @reply cursor string the id of the last entry of this page (the given cursor when none; the newest id for "$")
--- @reply gap flag 1 when entries after the cursor were trimmed by retention before this read
--- @item entry 5
--- @field id string the entry id (a cursor)
--- @field flow_id eid the flow
--- @field eid string the member that ended ("" for the flow's own entry)
--- @field outcome string a member: success|failed|cancelled|expired|skipped; the flow: completed|failed|cancelled
--- @field kind string member|flow
--- @error invalid_input
local function ff_flow_feed(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.flow_feed(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:flow_feed")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local cursor = args[1]
  local count = U.parse_int_range(args[2], 1, FEED_MAX_READ)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. FEED_MAX_READ) end
  local fk = keys[1]
  if cursor == "$" then
    local last = redis.call("XREVRANGE", fk, "+", "-", "COUNT", 1)
    return U.ok(#last > 0 and last[1][1] or "0-0", "0")
  end
  local c1, c2 = 0, 0
  if cursor ~= "" then
    c1, c2 = stream_id(cursor)
    if not c1 then return U.err("invalid_input", "cursor: a feed entry id (ms-seq), \"\" or \"$\"") end
  end
  -- an entry newer than the cursor was trimmed ("" covers everything)
  local gap = "0"
  local d1, d2 = stream_id(redis.call("HGET", K.due(T), "ftrim"))
  if d1 and (cursor == "" or id_before(c1, c2, d1, d2)) then gap = "1" end
  local rows
  if cursor == "" then
    rows = redis.call("XRANGE", fk, "-", "+", "COUNT", count)
  else
    rows = redis.call("XRANGE", fk, "(" .. cursor, "+", "COUNT", count)
  end
  local out = { 1, "OK", #rows > 0 and rows[#rows][1] or cursor, gap }
  for i = 1, #rows do
    local id, kv = rows[i][1], rows[i][2]
    local m = {}
    for j = 1, #kv, 2 do m[kv[j]] = kv[j + 1] end
    out[#out + 1] = id
    out[#out + 1] = m.f or ""
    out[#out + 1] = m.e or ""
    out[#out + 1] = m.o or ""
    out[#out + 1] = (m.e == nil or m.e == "") and "flow" or "member"
  end
  return out
end

-- KEYS flow; ARGV flow_id.
--- @function ff_flow_wait_mark
--- @mode write
--- @summary Mark a flow as waited for (its settling publishes ff:done), unless it settled already.
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @reply outcome string terminal (settled: every member ended and the state is final) | waiting
--- @error invalid_input, corrupt_record, flow_not_found
local function ff_flow_wait_mark(keys, args)
  if #keys ~= 1 or #args ~= 1 then return U.err("invalid_input", "expected 1 key and 1 argument") end
  local fid = args[1]
  local T, e = D.fid_tag(fid)
  if not T then return e end
  if keys[1] ~= K.flow(fid) then return U.err("invalid_input", "KEYS[1] is not the flow record of flow_id") end
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  if D.settled(f) then return U.ok("terminal") end
  redis.call("HSET", keys[1], "wt", "1")
  return U.ok("waiting")
end

-- KEYS ff:i:{fp:N}:flow_feed; ARGV cursor.
--- @function ff_flow_feed_mark
--- @mode write
--- @summary First half of ff_flow_feed_wait: "terminal" when entries follow the cursor, else mark the partition's feed as waited for.
--- @key feed ff:i:{fp:N}:flow_feed the partition's completion stream
--- @arg cursor string the last entry id read ("" = the start)
--- @reply outcome string terminal (entries follow the cursor) | waiting (the next append publishes ff:done with the stream key)
--- @error invalid_input, unauthorized
local function ff_flow_feed_mark(keys, args)
  if #keys ~= 1 or #args ~= 1 then return U.err("invalid_input", "expected 1 key and 1 argument") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.flow_feed(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:flow_feed")
  end
  local cursor = args[1]
  if cursor ~= "" and not stream_id(cursor) then
    return U.err("invalid_input", "cursor: a feed entry id (ms-seq) or \"\"")
  end
  local e = N.guard(T)
  if e then return e end
  local next = redis.call("XRANGE", keys[1], cursor == "" and "-" or "(" .. cursor, "+", "COUNT", 1)
  if #next > 0 then return U.ok("terminal") end
  redis.call("HSET", K.due(T), "ffw", "1")
  return U.ok("waiting")
end

redis.register_function("ff_flow_feed_mark", ff_flow_feed_mark)
redis.register_function { function_name = "ff_flow_feed", callback = ff_flow_feed, flags = U.RO }
redis.register_function("ff_flow_wait_mark", ff_flow_wait_mark)
