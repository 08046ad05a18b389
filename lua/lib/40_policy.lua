-- 40_policy: execution policy JSON validation and retry backoff.
--
-- P.parse(json) validates the whole document (fail-closed: unknown fields at
-- any level, JSON null, wrong types and out-of-range values are rejected) and
-- returns a normalised table:
--   max_retries, backoff {kind="fixed", delay} | {kind="exponential", initial,
--   max, mult, jitter}, categories (set or nil), attempt_timeout_ms,
--   execution_deadline_ms, max_reclaim_count, max_replay_count, caps (list),
--   priority, delay_until, budgets (list of budget ids the execution draws
--   on; docs/budgets.md)
-- or nil plus an `invalid_policy_json <reason>` (`invalid_capabilities
-- required:<reason>` for routing_requirements.required_capabilities) reply.

local P = {}

P.MAX_BYTES = 65536
P.DEFAULT_MAX_RECLAIMS = 100
P.DEFAULT_MAX_REPLAYS = 10
P.DEFAULT_BACKOFF_MS = 1000
P.DEFAULT_MAX_SIGNALS = 10000
local MAX_MS = 1000000000000000 -- 1e15 ms: keeps now + delay exact in a double

local function bad(reason)
  return nil, U.err("invalid_policy_json", reason)
end

-- Reason suffix when v is not an integer within [lo, hi] (nil = no bound).
local function int_problem(v, name, lo, hi)
  if not U.is_int(v) then return name .. ":not_integer" end
  if (lo and v < lo) or (hi and v > hi) then return name .. ":out_of_range" end
  return nil
end

local function num_problem(v, name, lo, hi)
  if not U.is_finite(v) then return name .. ":not_number" end
  if (lo and v < lo) or (hi and v > hi) then return name .. ":out_of_range" end
  return nil
end

-- First key of obj not in allowed, as "unknown_field:<prefix><k>".
local function unknown(obj, allowed, prefix)
  local keys = {}
  for k in pairs(obj) do
    if not allowed[k] then keys[#keys + 1] = k end
  end
  if #keys == 0 then return nil end
  table.sort(keys)
  return "unknown_field:" .. prefix .. keys[1]
end

local TOP = { retry_policy = true, timeout_policy = true, max_reclaim_count = true,
              max_replay_count = true, routing_requirements = true, priority = true,
              delay_until = true, max_signals_per_execution = true, budgets = true,
              group = true }
local RETRY = { max_retries = true, backoff = true, retryable_categories = true,
                non_retryable_categories = true }
local FIXED = { type = true, delay_ms = true }
local EXPO = { type = true, initial_delay_ms = true, max_delay_ms = true,
               multiplier = true, jitter = true }
local TIMEOUT = { attempt_timeout_ms = true, execution_deadline_ms = true,
                  max_reclaim_count = true }
local ROUTING = { required_capabilities = true }

local function parse_backoff(bo, out)
  local pre = "retry_policy.backoff"
  if type(bo) ~= "table" or not U.is_object(bo) then return pre .. ":not_object" end
  local t = bo.type
  local why
  if t == "fixed" then
    why = unknown(bo, FIXED, pre .. ".")
    if why then return why end
    if bo.delay_ms == nil then return pre .. ".delay_ms:missing" end
    why = int_problem(bo.delay_ms, pre .. ".delay_ms", 0, MAX_MS)
    if why then return why end
    out.backoff = { kind = "fixed", delay = bo.delay_ms }
  elseif t == "exponential" then
    why = unknown(bo, EXPO, pre .. ".")
    if why then return why end
    if bo.initial_delay_ms == nil then return pre .. ".initial_delay_ms:missing" end
    why = int_problem(bo.initial_delay_ms, pre .. ".initial_delay_ms", 1, MAX_MS)
    if why then return why end
    if bo.max_delay_ms == nil then return pre .. ".max_delay_ms:missing" end
    why = int_problem(bo.max_delay_ms, pre .. ".max_delay_ms", 1, MAX_MS)
    if why then return why end
    if bo.max_delay_ms < bo.initial_delay_ms then
      return pre .. ".max_delay_ms:less_than_initial"
    end
    local mult, jit = 2, 0
    if bo.multiplier ~= nil then
      why = num_problem(bo.multiplier, pre .. ".multiplier", 1, 1000)
      if why then return why end
      mult = bo.multiplier
    end
    if bo.jitter ~= nil then
      why = num_problem(bo.jitter, pre .. ".jitter", 0, 1)
      if why then return why end
      jit = bo.jitter
    end
    out.backoff = { kind = "exponential", initial = bo.initial_delay_ms,
                    max = bo.max_delay_ms, mult = mult, jitter = jit }
  elseif t == nil then
    return pre .. ".type:missing"
  else
    return pre .. ".type:invalid"
  end
  return nil
end

local function parse_retry(rp, out)
  if type(rp) ~= "table" or not U.is_object(rp) then return "retry_policy:not_object" end
  local why = unknown(rp, RETRY, "retry_policy.")
  if why then return why end
  if rp.max_retries ~= nil then
    why = int_problem(rp.max_retries, "retry_policy.max_retries", 0, 10000)
    if why then return why end
    out.max_retries = rp.max_retries
  end
  if rp.backoff ~= nil then
    why = parse_backoff(rp.backoff, out)
    if why then return why end
  end
  -- allow-list (only these retry) and deny-list (these never retry)
  local sets = { { "retryable_categories", "categories" }, { "non_retryable_categories", "deny" } }
  for k = 1, 2 do
    local field, slot = sets[k][1], sets[k][2]
    local rc = rp[field]
    if rc ~= nil then
      rc = U.as_array(rc)
      if rc == nil then return "retry_policy." .. field .. ":not_array" end
      if #rc > 256 then return "retry_policy." .. field .. ":too_many" end
      local set = {}
      for i = 1, #rc do
        if type(rc[i]) ~= "string" or #rc[i] > 128 or rc[i] == U.EMPTY_ARRAY then
          return "retry_policy." .. field .. ":non_string"
        end
        set[rc[i]] = true
      end
      out[slot] = set
    end
  end
  return nil
end

local function parse_timeout(tp, out)
  if type(tp) ~= "table" or not U.is_object(tp) then return "timeout_policy:not_object" end
  local why = unknown(tp, TIMEOUT, "timeout_policy.")
  if why then return why end
  if tp.attempt_timeout_ms ~= nil then
    why = int_problem(tp.attempt_timeout_ms, "timeout_policy.attempt_timeout_ms", 1, MAX_MS)
    if why then return why end
    out.attempt_timeout_ms = tp.attempt_timeout_ms
  end
  if tp.execution_deadline_ms ~= nil then
    why = int_problem(tp.execution_deadline_ms, "timeout_policy.execution_deadline_ms", 1, MAX_MS)
    if why then return why end
    out.execution_deadline_ms = tp.execution_deadline_ms
  end
  if tp.max_reclaim_count ~= nil then
    why = int_problem(tp.max_reclaim_count, "timeout_policy.max_reclaim_count", 0, U.MAX_SAFE)
    if why then return why end
    out.max_reclaim_count = tp.max_reclaim_count
  end
  return nil
end

function P.parse(json)
  if #json > P.MAX_BYTES then return bad("too_large") end
  local ok, doc = U.json_decode(json)
  if not ok then return bad("malformed") end
  if type(doc) ~= "table" or not U.is_object(doc) then return bad("not_object") end
  local why = unknown(doc, TOP, "")
  if why then return bad(why) end
  local out = { caps = {}, empty = next(doc) == nil }
  if doc.retry_policy ~= nil then
    why = parse_retry(doc.retry_policy, out)
    if why then return bad(why) end
  end
  if doc.timeout_policy ~= nil then
    why = parse_timeout(doc.timeout_policy, out)
    if why then return bad(why) end
  end
  -- top-level max_reclaim_count wins over timeout_policy.max_reclaim_count
  if doc.max_reclaim_count ~= nil then
    why = int_problem(doc.max_reclaim_count, "max_reclaim_count", 0, U.MAX_SAFE)
    if why then return bad(why) end
    out.max_reclaim_count = doc.max_reclaim_count
  end
  if doc.max_replay_count ~= nil then
    why = int_problem(doc.max_replay_count, "max_replay_count", 0, U.MAX_SAFE)
    if why then return bad(why) end
    out.max_replay_count = doc.max_replay_count
  end
  if doc.max_signals_per_execution ~= nil then
    why = int_problem(doc.max_signals_per_execution, "max_signals_per_execution", 1, 1000000)
    if why then return bad(why) end
    out.max_signals_per_execution = doc.max_signals_per_execution
  end
  if doc.priority ~= nil then
    why = int_problem(doc.priority, "priority", -U.MAX_SAFE, U.MAX_SAFE)
    if why then return bad(why) end
    out.priority = doc.priority
  end
  if doc.delay_until ~= nil then
    why = int_problem(doc.delay_until, "delay_until", 0, MAX_MS)
    if why then return bad(why) end
    out.delay_until = doc.delay_until
  end
  if doc.budgets ~= nil then
    -- the budget ids, stored as a CSV in the core (`bud`) for the claim
    local list, seen = U.as_array(doc.budgets), {}
    if list == nil then return bad("budgets:not_array") end
    if #list > 16 then return bad("budgets:too_many") end
    for i = 1, #list do
      local b = list[i]
      if type(b) ~= "string" or #b < 1 or #b > 128 or not string.find(b, "^[%w_%.:%-]+$") then
        return bad("budgets:bad_id")
      end
      if seen[b] then return bad("budgets:duplicate") end
      seen[b] = true
    end
    if #list > 0 then out.budgets = list end
  end
  if doc.group ~= nil then
    -- the admission group (tenant, customer...): its quota counters, pause
    -- and fair share (lib/58_quota.lua); 1..128 bytes, no control bytes
    local g = doc.group
    if type(g) ~= "string" or #g < 1 or #g > 128 or not U.no_ctrl(g) then return bad("group:bad_key") end
    out.group = g
  end
  local rr = doc.routing_requirements
  if rr ~= nil then
    if type(rr) ~= "table" or not U.is_object(rr) then
      return bad("routing_requirements:not_object")
    end
    why = unknown(rr, ROUTING, "routing_requirements.")
    if why then return bad(why) end
    if rr.required_capabilities ~= nil then
      local list, e = V.caps_array(rr.required_capabilities, "required")
      if not list then return nil, e end
      out.caps = list
    end
  end
  return out
end

-- The stored policy JSON of an execution (nil when none): inline in the
-- core's "pol" field, or in its own key when too long to inline.
function P.stored_json(core)
  local json = redis.call("HGET", core, "pol")
  if json == K.SPILLED then json = redis.call("GET", core .. ":pol") end
  return json
end

-- Parse the stored (validated at create) policy of an execution; {} when
-- none; nil plus a corrupt_record reply when it no longer parses (limits
-- that cannot be read are never replaced by defaults).
function P.stored(core)
  local json = P.stored_json(core)
  if not json or json == "" then return { caps = {} } end
  local pol = P.parse(json)
  if pol == nil then return nil, U.corrupt(core, "pol", json) end
  return pol
end

-- Retry delay in ms before retry number retries+1 (retries = retries
-- already scheduled, so the first retry waits initial_delay_ms).
function P.backoff_ms(pol, retries, rand)
  local bo = pol.backoff
  if bo == nil then return P.DEFAULT_BACKOFF_MS end
  if bo.kind == "fixed" then return bo.delay end
  local d = bo.initial * (bo.mult ^ retries)
  if not (d <= bo.max) then d = bo.max end -- also catches inf
  d = d - bo.jitter * rand * d
  d = math.floor(d)
  if d < 0 then d = 0 end
  return d
end

-- Does this failure schedule a retry?
function P.should_retry(pol, retries, category)
  local maxr = pol.max_retries or 0
  if retries >= maxr then return false end
  if pol.categories ~= nil and not pol.categories[category] then return false end
  if pol.deny ~= nil and pol.deny[category] then return false end
  return true
end
