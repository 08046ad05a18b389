-- 55_stream: per-attempt output streams (docs/streams.md): limits, closing
-- an attempt's stream from the transition that ends the attempt, and the
-- exact JSON reader/writer of the summary merge patch. The ff_* functions
-- are in lua/stream.lua. (Before 60_fence: F.interrupt closes streams.)

local SM = {
  DEFAULT_MAX_PAYLOAD = 65536,   -- bytes, when the caller sends ""
  MAX_PAYLOAD = 1048576,         -- the largest configurable limit
  DURABLE_MAXLEN = 10000,        -- XADD MAXLEN ~ for durable and summary frames
  BE_FLOOR = 64,                 -- best_effort adaptive MAXLEN bounds
  BE_CEILING = 16384,
  BE_WINDOW_S = 60,              -- keep about this many seconds of best_effort frames
  BE_ALPHA = 0.2,                -- EMA weight of the newest append interval
  BE_TTL_MS = 300000,            -- TTL of a stream that never had a durable frame
  PATCH_DEPTH = 16,              -- nesting limit of a summary merge patch
  MAX_DOCUMENT = 1048576,        -- bytes of a stored summary document
  NULL_SENTINEL = '"__ff_null__"', -- a patch string leaf with this value stores a real null
  READ_MAX = 10000,              -- count cap of ff_read_stream
  BATCH_MAX = 256,               -- frames of one ff_append_frames
  CLOSE_MARK = "close",          -- mode field of the close marker entry
}

-- The attempt `ai` of eid ended with `reason`: close its stream if it ever
-- streamed and is still open. Cost for an attempt that never streamed: one
-- HMGET of a missing key.
function SM.close(eid, ai, now, reason)
  if ai == nil then return end
  local mk = K.stream_meta(eid, ai)
  local v = redis.call("HMGET", mk, "created", "closed_at", "hd")
  if v[1] and (not v[2] or v[2] == "") then
    redis.call("HSET", mk, "closed_at", U.istr(now), "closed_reason", reason)
    -- The close marker wakes the tailers blocked in XREAD on this stream
    -- (a hash write wakes nobody); ff_read_stream never returns it as a
    -- frame. A stream that never had a durable frame keeps its TTL.
    local sk = K.stream(eid, ai)
    redis.call("XADD", sk, "*", "m", SM.CLOSE_MARK, "r", reason)
    if v[3] ~= "1" then redis.call("PEXPIRE", sk, SM.BE_TTL_MS) end
  end
end

-- The closed state an attempt's stream has by the core record alone, for a
-- stream whose meta says nothing (the attempt never wrote a frame, so no
-- close was recorded): rec holds st (decoded) and ai; `ai` is the attempt
-- asked about (a number). Returns the close reason, or nil while it may
-- still write.
function SM.derived_close(rec, ai)
  local cur = tonumber(rec.ai)
  if cur == nil or ai > cur then
    if rec.phase == "terminal" then return "execution_ended" end
    return nil -- a later attempt that has not started
  end
  if ai < cur then return "attempt_ended" end
  if rec.phase == "terminal" then return SM.OUTCOME_REASON[rec.outcome] or rec.outcome end
  if rec.ast == "pending_retry_attempt" then return "attempt_failure" end
  if rec.ast == "pending_replay_attempt" then return "attempt_ended" end
  if rec.own == "lease_expired_reclaimable" then return "lease_expired" end
  if rec.own == "lease_revoked" then return "lease_revoked" end
  return nil
end

-- Close reasons of the terminal outcomes (X.finish).
SM.OUTCOME_REASON = { success = "attempt_success", failed = "attempt_failure",
                      cancelled = "attempt_cancelled", expired = "expired", skipped = "skipped" }

-- ------------------------------------------------------------------ JSON
-- Values: {t="o", keys={raw key literals in first-seen order}, v={key -> value}},
-- {t="a", items={...}}, {t="r", raw=text} for strings, numbers, true, false
-- and {t="r", raw="null"}. Scalars keep their exact source text, so numbers
-- and strings round-trip byte for byte (cjson would round numbers and turn
-- [] into {}). Object keys compare by their literal text.

local function ws(s, i)
  return string.find(s, "[^ \t\n\r]", i) or #s + 1
end

-- A string literal starting at i (s[i] == '"'); returns the index after it
-- or nil when malformed (control byte, bad escape, unterminated).
local function str_end(s, i)
  local j = i + 1
  while true do
    local k = string.find(s, '[%z\1-\31"\\]', j)
    if not k then return nil end
    local c = string.byte(s, k)
    if c == 34 then return k + 1 end
    if c ~= 92 then return nil end
    local e = string.sub(s, k + 1, k + 1)
    if e == "u" then
      if not string.find(s, "^%x%x%x%x", k + 2) then return nil end
      j = k + 6
    elseif string.find(e, '^["\\/bfnrt]$') then
      j = k + 2
    else
      return nil
    end
  end
end

-- Parse the value at i, nesting depth d (limit maxd). Returns value, next
-- index, or nil, reason ("syntax" | "depth").
local function parse_value(s, i, d, maxd)
  i = ws(s, i)
  local c = string.sub(s, i, i)
  if c == "{" or c == "[" then
    if d >= maxd then return nil, "depth" end
    if c == "{" then
      local o = { t = "o", keys = {}, v = {} }
      i = ws(s, i + 1)
      if string.sub(s, i, i) == "}" then return o, i + 1 end
      while true do
        if string.sub(s, i, i) ~= '"' then return nil, "syntax" end
        local e = str_end(s, i)
        if not e then return nil, "syntax" end
        local key = string.sub(s, i, e - 1)
        i = ws(s, e)
        if string.sub(s, i, i) ~= ":" then return nil, "syntax" end
        local val, ni = parse_value(s, i + 1, d + 1, maxd)
        if not val then return nil, ni end
        if o.v[key] == nil then o.keys[#o.keys + 1] = key end
        o.v[key] = val
        i = ws(s, ni)
        c = string.sub(s, i, i)
        if c == "}" then return o, i + 1 end
        if c ~= "," then return nil, "syntax" end
        i = ws(s, i + 1)
      end
    end
    local a = { t = "a", items = {} }
    i = ws(s, i + 1)
    if string.sub(s, i, i) == "]" then return a, i + 1 end
    while true do
      local val, ni = parse_value(s, i, d + 1, maxd)
      if not val then return nil, ni end
      a.items[#a.items + 1] = val
      i = ws(s, ni)
      c = string.sub(s, i, i)
      if c == "]" then return a, i + 1 end
      if c ~= "," then return nil, "syntax" end
      i = i + 1
    end
  end
  if c == '"' then
    local e = str_end(s, i)
    if not e then return nil, "syntax" end
    return { t = "r", raw = string.sub(s, i, e - 1) }, e
  end
  -- number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  local j = string.match(s, "^%-?0()", i) or string.match(s, "^%-?[1-9]%d*()", i)
  if j then
    j = string.match(s, "^%.%d+()", j) or j
    j = string.match(s, "^[eE][%+%-]?%d+()", j) or j
    return { t = "r", raw = string.sub(s, i, j - 1) }, j
  end
  for _, w in ipairs({ "true", "false", "null" }) do
    if string.sub(s, i, i + #w - 1) == w then return { t = "r", raw = w }, i + #w end
  end
  return nil, "syntax"
end

-- The whole text as one JSON value: value or nil, "syntax" | "depth".
function SM.json_parse(s, maxd)
  local v, i = parse_value(s, 1, 0, maxd)
  if not v then return nil, i end
  if ws(s, i) <= #s then return nil, "syntax" end
  return v
end

local function encode(v, out)
  if v.t == "r" then
    out[#out + 1] = v.raw
  elseif v.t == "a" then
    out[#out + 1] = "["
    for i = 1, #v.items do
      if i > 1 then out[#out + 1] = "," end
      encode(v.items[i], out)
    end
    out[#out + 1] = "]"
  else
    out[#out + 1] = "{"
    local first, seen = true, {}
    for i = 1, #v.keys do
      local k = v.keys[i]
      local x = v.v[k]
      if x ~= nil and not seen[k] then
        seen[k] = true
        if not first then out[#out + 1] = "," end
        first = false
        out[#out + 1] = k
        out[#out + 1] = ":"
        encode(x, out)
      end
    end
    out[#out + 1] = "}"
  end
end

function SM.json_encode(v)
  local out = {}
  encode(v, out)
  return table.concat(out)
end

local function is_null(v) return v.t == "r" and v.raw == "null" end

-- A patch value stored as is (not merged): sentinel strings become null.
local function nullify(v)
  if v.t == "r" then
    if v.raw == SM.NULL_SENTINEL then return { t = "r", raw = "null" } end
    return v
  end
  if v.t == "a" then
    local a = { t = "a", items = {} }
    for i = 1, #v.items do a.items[i] = nullify(v.items[i]) end
    return a
  end
  local o = { t = "o", keys = {}, v = {} }
  for i = 1, #v.keys do
    local k = v.keys[i]
    if v.v[k] ~= nil and o.v[k] == nil then
      o.keys[#o.keys + 1] = k
      o.v[k] = nullify(v.v[k])
    end
  end
  return o
end

-- RFC 7396 MergePatch(target, patch); target may be nil (absent).
function SM.merge(target, patch)
  if patch.t ~= "o" then return nullify(patch) end
  if target == nil or target.t ~= "o" then target = { t = "o", keys = {}, v = {} } end
  for i = 1, #patch.keys do
    local k = patch.keys[i]
    local pv = patch.v[k]
    if is_null(pv) then
      target.v[k] = nil
    else
      if target.v[k] == nil then target.keys[#target.keys + 1] = k end
      target.v[k] = SM.merge(target.v[k], pv)
    end
  end
  return target
end
