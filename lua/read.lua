-- read.lua: ff_version and the read-only calls (registered with the
-- no-writes flag, callable with FCALL_RO).

local READ = { MAX_COUNT = 1000 }

--- @function ff_version
--- @mode read-only
--- @summary The library version (a bare string, no envelope).
--- @envelope bare
--- @reply version string FF_LIB_VERSION
--- @error none
local function ff_version(keys, args)
  return FF_LIB_VERSION
end

-- The attempt record of the core's current attempt, derived from the core
-- (a running attempt, or a finished one that was never copied into the
-- attempts hash: see X.terminal).
local function derived_attempt(c)
  local phase, own, _, _, outcome = S.decode(c.st)
  local state
  if phase == "active" and own == "leased" then state = "started"
  elseif phase == "terminal" then
    if outcome == "success" then state = "ended_success"
    elseif outcome == "cancelled" then state = "ended_cancelled"
    else state = "ended_failure" end
  else
    return nil
  end
  local p = { '{"index":', c.ai, ',"id":', U.jstr(c.aid or ""), ',"type":', U.jstr(c.aty or ""),
              ',"state":"', state, '"' }
  if c.astart then p[#p + 1] = ',"started_at":'; p[#p + 1] = c.astart end
  if phase == "terminal" and c.ended then p[#p + 1] = ',"ended_at":'; p[#p + 1] = c.ended end
  p[#p + 1] = ',"lease_epoch":'; p[#p + 1] = c.epoch or "0"
  if c.wid then p[#p + 1] = ',"worker_id":'; p[#p + 1] = U.jstr(c.wid) end
  if c.wiid then p[#p + 1] = ',"worker_instance_id":'; p[#p + 1] = U.jstr(c.wiid) end
  if state == "ended_failure" or state == "ended_cancelled" then
    local reason = state == "ended_cancelled" and (c.creason or "") or (c.reason or "")
    p[#p + 1] = ',"failure_reason":'; p[#p + 1] = U.jstr(reason)
    if c.cat and state == "ended_failure" then p[#p + 1] = ',"failure_category":'; p[#p + 1] = U.jstr(c.cat) end
  end
  p[#p + 1] = "}"
  return table.concat(p)
end

-- The stored record of one execution, shared by ff_describe (the raw view)
-- and ff_snapshot (the documented view). Returns a table, or nil plus an
-- error reply: eid, part, c (core field -> stored value, "" = unset
-- dropped), flat (the core as ff_describe reports it), attempts (sorted
-- {index string, json text} pairs), tags (flat), has_result (boolean).
local function load_described(keys, args)
  if #args ~= 1 then return nil, U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, part = V.eid_for_core(keys, eid)
  if not T then return nil, part end
  local core = K.core(eid)
  local raw_core = redis.call("HGETALL", core)
  if #raw_core == 0 then return nil, U.err("execution_not_found") end
  -- Reported in the documented (expanded) form: full state names, id and
  -- partition (implied by the key), the policy wherever it is stored; the
  -- inline payload is not part of the snapshot.
  local c = {}
  local flat = { "id", eid, "part", U.istr(part) }
  for i = 1, #raw_core, 2 do
    local k, v = raw_core[i], raw_core[i + 1]
    if v ~= "" and not F.field_ok(k, v) then return nil, F.corrupt(core, k, v) end
    if k == "st" then
      v = S.expand(v)
    elseif k == "pol" and v == K.SPILLED then
      v = redis.call("GET", K.policy(eid)) or ""
    end
    if raw_core[i + 1] ~= "" then c[k] = raw_core[i + 1] end
    if k == "pol" and v ~= "" then c.pol_json = v end
    if k ~= "pl" then
      flat[#flat + 1] = k
      flat[#flat + 1] = v
    end
  end
  -- a missing st is as corrupt as a malformed one: describe never guesses
  if c.st == nil then return nil, F.corrupt(core, "st", "") end
  local raw = redis.call("HGETALL", K.attempts(eid))
  local idx = {}
  local have_current = false
  for i = 1, #raw, 2 do
    idx[#idx + 1] = { tonumber(raw[i]) or 0, raw[i], raw[i + 1] }
    if raw[i] == c.ai then have_current = true end
  end
  if c.ai and not have_current then
    local rec = derived_attempt(c)
    if rec then idx[#idx + 1] = { tonumber(c.ai) or 0, c.ai, rec } end
  end
  table.sort(idx, function(a, b) return a[1] < b[1] end)
  local attempts = {}
  for i = 1, #idx do attempts[i] = { idx[i][2], idx[i][3] } end
  return { eid = eid, part = part, c = c, flat = flat, attempts = attempts,
           tags = redis.call("HGETALL", K.tags(eid)),
           has_result = redis.call("EXISTS", K.result(eid)) == 1 }
end

--- @function ff_describe
--- @mode read-only
--- @summary The stored record of one execution.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply core array flat field/value pairs of the core (expanded st, id, part)
--- @reply attempts array flat index/json pairs
--- @reply tags array flat key/value pairs
--- @reply public_state string the public state
--- @reply has_result flag 1 when a result is stored
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_describe(keys, args)
  local d, e = load_described(keys, args)
  if not d then return e end
  local attempts = {}
  for i = 1, #d.attempts do
    attempts[#attempts + 1] = d.attempts[i][1]
    attempts[#attempts + 1] = d.attempts[i][2]
  end
  return U.ok(d.flat, attempts, d.tags, S.public_of(d.c.st), d.has_result and "1" or "0")
end

-- ---------------------------------------------------------- ff_snapshot
-- The documented execution snapshot as JSON text (docs/c-api.md,
-- ff_execution_describe): the storage abbreviations are known here only.
-- Integers are copied from their stored decimal strings, never through a
-- Lua number (cjson keeps 14 significant digits; epochs and counters are
-- 64-bit), and stored JSON (policy, attempt records) is embedded as stored.
local SNAP_DIMS = { "lifecycle_phase", "ownership_state", "eligibility_state", "blocking_reason",
                    "terminal_outcome", "attempt_state" }

-- JSON integer of a stored value; "null" when unset or not a number.
local function j_int(v)
  if v == nil or v == "" then return "null" end
  if string.find(v, "^%-?%d+$") then
    local sign, digits = string.match(v, "^(%-?)(%d+)$")
    digits = string.gsub(digits, "^0+(%d)", "%1")
    if digits == "0" then sign = "" end
    return sign .. digits
  end
  local n = tonumber(v)
  if n == nil or not U.is_finite(n) then return "null" end
  n = n >= 0 and math.floor(n) or math.ceil(n)
  return string.format("%d", n)
end

local function j_int0(v)
  local s = j_int(v)
  return s == "null" and "0" or s
end

local function j_str(v)
  if v == nil or v == "" then return "null" end
  return U.jstr(v)
end

-- {"k":v,...} of ordered pairs {key, json text}.
local function j_obj(pairs_list)
  local p = {}
  for i = 1, #pairs_list do p[i] = U.jstr(pairs_list[i][1]) .. ":" .. pairs_list[i][2] end
  return "{" .. table.concat(p, ",") .. "}"
end

-- A stored JSON object, or nil when it is not one.
local function stored_object(text)
  local ok, v = pcall(cjson.decode, text)
  if not ok or type(v) ~= "table" or U.is_array(v) and next(v) ~= nil then return nil end
  return v
end

local function snapshot_json(d)
  local c = d.c
  local public = S.public_of(c.st)
  local dims = { S.decode(c.st) }
  if dims[1] == "runnable" and dims[3] == "eligible_now" and c.lane
      and S.lane_paused(K.key_tag(K.core(d.eid)), c.lane) then
    -- waiting work of a paused lane (lua/lanes.lua) keeps its stored state
    -- and its place in the order; what holds it is the operator
    dims[3], dims[4] = "blocked_by_operator", "paused_by_operator"
  end
  local st = {}
  for i = 1, #SNAP_DIMS do st[i] = { SNAP_DIMS[i], U.jstr(dims[i] or "") } end
  st[#st + 1] = { "public_state", U.jstr(public) }
  local policy = "null"
  if c.pol_json and stored_object(c.pol_json) then policy = c.pol_json end
  local tags = {}
  for i = 1, #d.tags, 2 do tags[#tags + 1] = { d.tags[i], U.jstr(d.tags[i + 1]) } end
  local attempts = {}
  for i = 1, #d.attempts do
    local text = d.attempts[i][2]
    local rec = stored_object(text)
    if rec then
      if rec.index == nil then
        -- a record without its index gets it from the hash field
        text = "{" .. U.jstr("index") .. ":" .. j_int0(d.attempts[i][1])
               .. (string.find(text, "^%s*{%s*}%s*$") and "}" or "," .. string.sub(string.match(text, "^%s*{(.*)$"), 1))
      end
      attempts[#attempts + 1] = text
    end
  end
  local phase, _, _, _, outcome = S.decode(c.st)
  local succeeded = phase == "terminal" and outcome == "success"
  local fields = {
    { "execution_id", U.jstr(d.eid) },
    { "namespace", j_str(c.ns) },
    { "lane", j_str(c.lane) },
    { "kind", j_str(c.kind) },
    { "priority", j_int0(c.pri) },
    { "partition", U.istr(d.part) },
    { "public_state", U.jstr(public) },
    { "state", j_obj(st) },
    { "required_capabilities", U.jcsv(c.caps) },
    -- its own budgets and those inherited from its flow (docs/budgets.md)
    { "budgets", U.jcsv(c.bud) },
    -- its admission group (docs/admission.md); null = the lane's default group
    { "group", c.grp and U.jstr(c.grp) or "null" },
    { "policy", policy },
    { "tags", j_obj(tags) },
    { "counters", j_obj({ { "total_attempts", j_int0(c.att) }, { "retry_count", j_int0(c.retries) },
                          { "reclaim_count", j_int0(c.reclaims) }, { "replay_count", j_int0(c.replays) } }) },
    { "lease_epoch", j_int0(c.epoch) },
    { "current_attempt", c.ai and j_obj({ { "index", j_int(c.ai) }, { "id", j_str(c.aid) },
                                          { "type", j_str(c.aty) }, { "started_at", j_int(c.astart) } })
                         or "null" },
    { "lease", c.lid and j_obj({ { "lease_id", j_str(c.lid) }, { "epoch", j_int0(c.epoch) },
                                 { "worker_id", j_str(c.wid) }, { "worker_instance_id", j_str(c.wiid) },
                                 { "acquired_at", j_int(c.lacq) }, { "expires_at", j_int(c.lexp) },
                                 { "last_renewed_at", j_int(c.lren) } }) or "null" },
    { "progress", c.pts and j_obj({ { "percent", j_int(c.pct) }, { "message", j_str(c.pmsg) },
                                    { "updated_at", j_int(c.pts) } }) or "null" },
    { "timestamps", j_obj({ { "created_at", j_int(c.created) }, { "started_at", j_int(c.started) },
                            { "ended_at", j_int(c.ended) }, { "updated_at", j_int(c.updated) },
                            { "delay_until", j_int(c.dl) }, { "deadline", j_int(c.deadline) } }) },
    -- the core keeps the last failure across a later successful retry; the
    -- attempts list has it, the execution-level view does not
    { "failure", ((c.reason or c.cat) and not succeeded)
                 and j_obj({ { "reason", j_str(c.reason) }, { "category", j_str(c.cat) } }) or "null" },
    { "cancellation", c.cby and j_obj({ { "reason", j_str(c.creason) }, { "cancelled_by", j_str(c.cby) } })
                      or "null" },
    { "attempts", "[" .. table.concat(attempts, ",") .. "]" },
    { "payload_size", j_int0(c.plen) },
    { "has_result", d.has_result and "true" or "false" },
  }
  return j_obj(fields), public
end

--- @function ff_snapshot
--- @mode read-only
--- @summary The documented snapshot of one execution, as JSON text.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply snapshot json the snapshot document (docs/c-api.md, ff_execution_describe)
--- @reply public_state string the public state
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_snapshot(keys, args)
  local d, e = load_described(keys, args)
  if not d then return e end
  local doc, public = snapshot_json(d)
  return U.ok(doc, public)
end

local RESULT_FIELDS = { "st", "reason", "cat", "cby", "creason" }
local OUTCOME_ERROR = { failed = "execution_failed", expired = "execution_expired",
                        skipped = "execution_skipped" }

-- Reply: {1,"OK", result} for a completed execution; otherwise the outcome
-- as an error: execution_failed / _expired / _skipped (reason, category),
-- execution_cancelled (reason, cancelled_by), execution_not_terminal
-- (public state).
--- @function ff_result
--- @mode read-only
--- @summary The result of a completed execution, or how it ended.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply result bytes the result bytes
--- @error invalid_input, corrupt_record, execution_not_found, execution_not_terminal, execution_failed, execution_expired, execution_skipped, execution_cancelled
local function ff_result(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local rec
  rec, e = F.must(K.core(eid), RESULT_FIELDS)
  if not rec then return e end
  if rec.phase ~= "terminal" then
    return U.err("execution_not_terminal", S.public(rec.phase, rec.elig, rec.outcome))
  end
  if rec.outcome == "success" then return U.ok(redis.call("GET", K.result(eid)) or "") end
  -- Anything else has no result: say how it ended instead of handing back
  -- empty bytes that look like a successful empty result.
  if rec.outcome == "cancelled" then
    return U.err("execution_cancelled", rec.creason or "", rec.cby or "")
  end
  return U.err(OUTCOME_ERROR[rec.outcome] or "execution_failed", rec.reason or "", rec.cat or "")
end

--- @function ff_list_partition
--- @mode read-only
--- @summary One SSCAN page of a partition's execution ids.
--- @key all ff:i:{fp:N}:all every execution id of the partition
--- @arg cursor string SSCAN cursor, "" = 0
--- @arg count int 1..1000
--- @reply next_cursor string "0" when done
--- @item id 1
--- @field eid eid execution id
--- @error invalid_input
local function ff_list_partition(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.all(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:all")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local cursor = args[1]
  if cursor == "" then cursor = "0" end
  -- SSCAN cursors are unsigned 64-bit: anything larger is refused here
  -- rather than by SSCAN with a raw error
  if not string.find(cursor, "^%d+$") or #cursor > 20
      or (#cursor == 20 and cursor > "18446744073709551615") then
    return U.err("invalid_input", "cursor: not a non-negative 64-bit integer")
  end
  local count = U.parse_int_range(args[2], 1, READ.MAX_COUNT)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. READ.MAX_COUNT) end
  local r = redis.call("SSCAN", keys[1], cursor, "COUNT", count)
  local out = { 1, "OK", r[1] }
  for i = 1, #r[2] do out[#out + 1] = r[2][i] end
  return out
end

--- @function ff_list_lane
--- @mode read-only
--- @summary One page of a lane index.
--- @key index ff:i:{fp:N}:<lane>:<state> one lane index
--- @arg offset int "" = 0
--- @arg count int 1..1000
--- @reply next_offset int "0" when done
--- @item id 1
--- @field eid eid execution id
--- @error invalid_input
local function ff_list_lane(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local key = keys[1]
  local T = K.key_tag(key)
  local prefix = T and K.pindex(T, "")
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

--- @function ff_lanes
--- @mode read-only
--- @summary The lanes of a partition, sorted.
--- @key lanes ff:i:{fp:N}:lanes the partition's lane set
--- @item lane 1
--- @field lane string lane name
--- @error invalid_input
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

--- @function ff_counts
--- @mode read-only
--- @summary The size of each of a lane's ten indexes.
--- @key lanes ff:i:{fp:N}:lanes the partition's lane set (routes the call)
--- @arg lane string the lane
--- @item count 2
--- @field state string index state
--- @field n int entries
--- @error invalid_input
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

-- KEYS ff:i:{fp:N}:quarantine; ARGV offset, count -> {1,"OK", next_offset,
-- (eid, quarantined_at, why) ...}: executions set aside as corrupt.
--- @function ff_list_quarantined
--- @mode read-only
--- @summary One page of the executions set aside as corrupt.
--- @key quarantine ff:i:{fp:N}:quarantine the partition's quarantine index
--- @arg offset int "" = 0
--- @arg count int 1..1000
--- @reply next_offset int "0" when done
--- @item quarantined 3
--- @field eid eid execution id
--- @field quarantined_at int ms
--- @field why string field=value that was corrupt
--- @error invalid_input
local function ff_list_quarantined(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.quarantine(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:quarantine")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local off = args[1] == "" and 0 or U.parse_int_range(args[1], 0, U.MAX_SAFE)
  if off == nil then return U.err("invalid_input", "offset: not a non-negative integer") end
  local count = U.parse_int_range(args[2], 1, READ.MAX_COUNT)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. READ.MAX_COUNT) end
  local rows = redis.call("ZRANGE", keys[1], off, off + count - 1, "WITHSCORES")
  local nxt = "0"
  if #rows == 2 * count and redis.call("ZCARD", keys[1]) > off + count then nxt = U.istr(off + count) end
  local out = { 1, "OK", nxt }
  for i = 1, #rows, 2 do
    out[#out + 1] = rows[i]
    out[#out + 1] = rows[i + 1]
    out[#out + 1] = redis.call("HGET", K.quarantine_why(T), rows[i]) or ""
  end
  return out
end

-- KEYS ff:i:{fp:N}:lease_expiry; no ARGV -> {1,"OK", leases_held,
-- leases_overdue (expired, not yet turned reclaimable), quarantined,
-- suspended}: one partition's health counters for operators.
--- @function ff_partition_stats
--- @mode read-only
--- @summary One partition's health counters.
--- @key lease_expiry ff:i:{fp:N}:lease_expiry the partition's lease expiry index
--- @reply leases_held int leases held
--- @reply leases_overdue int expired, not yet reclaimable
--- @reply quarantined int quarantined executions
--- @reply suspended int suspended executions
--- @error invalid_input
local function ff_partition_stats(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.lease_expiry(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:lease_expiry")
  end
  if #args ~= 0 then return U.err("invalid_input", "argv: expected no arguments") end
  local now = U.now_ms()
  return U.ok(U.istr(redis.call("ZCARD", keys[1])),
              U.istr(redis.call("ZCOUNT", keys[1], "-inf", U.istr(now))),
              U.istr(redis.call("ZCARD", K.quarantine(T))),
              U.istr(redis.call("ZCARD", K.psusp(T))))
end

-- (U.RO, lib/10_util.lua: the no-writes flag of every read-only function)
redis.register_function { function_name = "ff_version", callback = ff_version, flags = U.RO }
redis.register_function { function_name = "ff_describe", callback = ff_describe, flags = U.RO }
redis.register_function { function_name = "ff_snapshot", callback = ff_snapshot, flags = U.RO }
redis.register_function { function_name = "ff_result", callback = ff_result, flags = U.RO }
redis.register_function { function_name = "ff_list_partition", callback = ff_list_partition, flags = U.RO }
redis.register_function { function_name = "ff_list_lane", callback = ff_list_lane, flags = U.RO }
redis.register_function { function_name = "ff_lanes", callback = ff_lanes, flags = U.RO }
redis.register_function { function_name = "ff_counts", callback = ff_counts, flags = U.RO }
redis.register_function { function_name = "ff_list_quarantined", callback = ff_list_quarantined, flags = U.RO }
redis.register_function { function_name = "ff_partition_stats", callback = ff_partition_stats, flags = U.RO }
