-- quota.lua: a lane's quota policy, group pauses and their reads
-- (lib/58_quota.lua holds the admission itself; docs/admission.md).
-- Every call runs on one execution partition: KEYS[1] is the lane's
-- eligible index there, as for ff_claim. The C side calls each partition
-- the lane maps to.

-- (Wrapped in a function: the library's main chunk is at Lua's limit of
-- 200 locals.)
;(function()
local QUOTA = {
  MAX_RATE = 1000000,        -- starts per window
  MAX_WINDOW = 86400000,     -- window (ms)
  MAX_CAP = 1000000,         -- leases at once per group
  MAX_PAUSE = 31622400000,   -- a pause ends within a year
}

local function quota_id_ok(id)
  return #id >= 1 and #id <= 128 and string.find(id, "^[%w_%.:%-]+$") ~= nil
end

--- @function ff_create_quota
--- @mode write
--- @summary Give a lane its quota policy on one partition; a repeat keeps the stored limits and says whether they matched.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index (its tag routes the call)
--- @arg lane string the lane
--- @arg quota_id string 1..128 bytes of [A-Za-z0-9_.:-]
--- @arg rate int starts per window per group, 0..1000000 (0 = no rate limit)
--- @arg window_ms int the sliding window, 1..86400000 (ignored when rate is 0)
--- @arg concurrency int leases at once per group, 0..1000000 (0 = no cap); rate and concurrency not both 0
--- @reply outcome string created|existing
--- @reply same flag 1 when the stored limits equal this call's (always 1 on created)
--- @reply rate int the stored rate
--- @reply window_ms int the stored window
--- @reply concurrency int the stored cap
--- @error invalid_input, invalid_quota_spec, quota_attach_conflict, corrupt_record, unauthorized
local function ff_create_quota(keys, args)
  local T, e = V.lane_call(keys, args, 5)
  if not T then return e end
  local lane, qid = args[1], args[2]
  if not quota_id_ok(qid) then return U.err("invalid_input", "quota_id: 1..128 bytes of [A-Za-z0-9_.:-]") end
  local rate = U.parse_int_range(args[3], 0, QUOTA.MAX_RATE)
  local win = U.parse_int_range(args[4], 0, QUOTA.MAX_WINDOW)
  local cap = U.parse_int_range(args[5], 0, QUOTA.MAX_CAP)
  if rate == nil then return U.err("invalid_quota_spec", "rate: integer 0.." .. QUOTA.MAX_RATE) end
  if win == nil then return U.err("invalid_quota_spec", "window_ms: integer 0.." .. QUOTA.MAX_WINDOW) end
  if cap == nil then return U.err("invalid_quota_spec", "concurrency: integer 0.." .. QUOTA.MAX_CAP) end
  if rate == 0 and cap == 0 then return U.err("invalid_quota_spec", "rate and concurrency are both 0") end
  if rate > 0 and win < 1 then return U.err("invalid_quota_spec", "window_ms: 1.." .. QUOTA.MAX_WINDOW .. " with a rate") end
  if rate == 0 then win = 0 end
  e = N.guard(T)
  if e then return e end
  local pol, bad = Q.policy(T, lane)
  if pol == nil then return bad end
  if pol then
    if pol.id ~= qid then return U.err("quota_attach_conflict", pol.id) end
    local same = pol.rate == rate and pol.win == win and pol.cap == cap
    return U.ok("existing", same and "1" or "0", U.istr(pol.rate), U.istr(pol.win), U.istr(pol.cap))
  end
  redis.call("HSET", Q.base(T, lane) .. ":pol", "id", qid, "rate", U.istr(rate), "win", U.istr(win),
             "cap", U.istr(cap), "created", U.istr(U.now_ms()))
  redis.call("ZADD", K.quota_lanes(T), "0", lane)
  return U.ok("created", "1", U.istr(rate), U.istr(win), U.istr(cap))
end

--- @function ff_describe_quota
--- @mode read-only
--- @summary A lane's policy on one partition and one page of its groups with their holders, window use, parked work and pause.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @arg cursor string the last group of the previous page ("" = from the start)
--- @arg count int 1..1000
--- @reply quota_id string "" when the lane has no policy here
--- @reply rate int starts per window per group
--- @reply window_ms int the window
--- @reply concurrency int leases at once per group
--- @reply next_cursor string "" when done
--- @item group 5
--- @field group string the group ("" = executions without a group)
--- @field holders int leases held now
--- @field window_used int starts in the current window
--- @field parked int executions waiting for room
--- @field paused_until int the pause end (ms), 0 = not paused
--- @error invalid_input, corrupt_record
local function ff_describe_quota(keys, args)
  local T, e = V.lane_call(keys, args, 3)
  if not T then return e end
  local lane, cursor = args[1], args[2]
  if #cursor > 128 or not U.no_ctrl(cursor) then return U.err("invalid_input", "cursor: a group or empty") end
  local count = U.parse_int_range(args[3], 1, 1000)
  if count == nil then return U.err("invalid_input", "count: integer 1..1000") end
  local pol, bad = Q.policy(T, lane)
  if pol == nil then return bad end
  local now = U.now_ms()
  local gk = Q.base(T, lane) .. ":groups"
  local groups = redis.call("ZRANGEBYLEX", gk, cursor == "" and "-" or "(" .. cursor, "+", "LIMIT", 0, count)
  local out = { 1, "OK", pol and pol.id or "", U.istr(pol and pol.rate or 0), U.istr(pol and pol.win or 0),
                U.istr(pol and pol.cap or 0), #groups == count and groups[#groups] or "" }
  local pk = Q.base(T, lane) .. ":pause"
  for i = 1, #groups do
    local g = groups[i]
    local bk = Q.bucket(T, lane, g)
    local used = 0
    if pol and pol.rate > 0 then
      used = redis.call("ZCOUNT", bk .. ":w", "(" .. U.istr(now - pol.win), "+inf")
    end
    local u = tonumber(redis.call("HGET", pk, g) or "") or 0
    if u <= now then u = 0 end
    out[#out + 1] = g
    out[#out + 1] = U.istr(redis.call("SCARD", bk .. ":h"))
    out[#out + 1] = U.istr(used)
    out[#out + 1] = U.istr(redis.call("ZCARD", bk .. ":b"))
    out[#out + 1] = U.istr(u)
  end
  return out
end

--- @function ff_list_quotas
--- @mode read-only
--- @summary One page of the lanes of a partition that have a quota policy, in byte order after an exclusive cursor.
--- @key quota_lanes ff:i:{fp:N}:quota_lanes the partition's quota lane index
--- @arg cursor string the last lane of the previous page, "" = from the start
--- @arg count int 1..1000
--- @reply next_cursor string "" when done
--- @item lane 1
--- @field lane string a lane with a policy
--- @error invalid_input
local function ff_list_quotas(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.quota_lanes(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:quota_lanes")
  end
  if args[1] ~= "" and not V.lane(args[1]) then return U.err("invalid_input", "cursor: a lane or empty") end
  return U.lex_page(keys[1], args[1], args[2])
end

-- The group's pause (HSET pause), remembered in the lane's group index.
local function set_pause(T, lane, grp, until_ms)
  local base = Q.base(T, lane)
  local cur = tonumber(redis.call("HGET", base .. ":pause", grp) or "")
  if cur and cur >= until_ms then return cur end
  redis.call("HSET", base .. ":pause", grp, U.istr(until_ms))
  redis.call("ZADD", base .. ":groups", "0", grp)
  return until_ms
end

local function pause_args(args, i)
  local grp = args[i]
  if grp ~= "" and not Q.group_ok(grp) then
    return nil, U.err("invalid_input", "group: 1..128 bytes without control bytes, or \"\" for the default group")
  end
  local now = U.now_ms()
  local u = U.parse_int_range(args[i + 1], now + 1, now + QUOTA.MAX_PAUSE)
  if u == nil then return nil, U.err("invalid_input", "until_ms: a time (ms) after now, within a year") end
  return grp, u
end

--- @function ff_pause_group
--- @mode write
--- @summary Pause a group of a lane until a time on one partition (after a 429): its work is parked, not failed; a longer pause already set is kept.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @arg group string the group ("" = executions without a group)
--- @arg until_ms int the pause end (ms), after now and within a year
--- @reply paused_until int the pause end now stored
--- @error invalid_input, unauthorized
local function ff_pause_group(keys, args)
  local T, e = V.lane_call(keys, args, 3)
  if not T then return e end
  local grp, u = pause_args(args, 2)
  if not grp then return u end
  e = N.guard(T)
  if e then return e end
  local stored = set_pause(T, args[1], grp, u)
  -- work already parked for its quota waits for the pause end too
  Q.arm(T, args[1], grp, stored)
  return U.ok(U.istr(stored))
end

--- @function ff_resume_group
--- @mode write
--- @summary End a group's pause on one partition now; its parked work returns to eligible as its quota allows.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane
--- @arg group string the group ("" = executions without a group)
--- @reply was_paused flag 1 when the group was paused
--- @reply returned int parked executions returned to eligible (more follow with the group timer)
--- @error invalid_input, unauthorized
local function ff_resume_group(keys, args)
  local T, e = V.lane_call(keys, args, 2)
  if not T then return e end
  local grp = args[2]
  if grp ~= "" and not Q.group_ok(grp) then return U.err("invalid_input", "group: 1..128 bytes without control bytes") end
  e = N.guard(T)
  if e then return e end
  local was = redis.call("HDEL", Q.base(T, args[1]) .. ":pause", grp)
  local n = Q.refill(T, args[1], grp, U.now_ms())
  return U.ok(U.istr(was), U.istr(n))
end

--- @function ff_rate_limited
--- @mode write
--- @summary The lease holder hit a rate limit: its group is paused until a time and the attempt goes back, parked, without counting as a failure.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg until_ms int the pause end (ms), after now and within a year
--- @reply paused_until int the group's pause end now stored
--- @reply group string the paused group ("" = the default group)
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_rate_limited(keys, args)
  local T, epoch = F.prologue(keys, args, 5)
  if not T then return epoch end
  local now = U.now_ms()
  local u = U.parse_int_range(args[5], now + 1, now + QUOTA.MAX_PAUSE)
  if u == nil then return U.err("invalid_input", "until_ms: a time (ms) after now, within a year") end
  local eid = args[1]
  local fields = { "grp", "pri", "created", "vt" }
  for i = 1, #F.LEASE_FIELDS do fields[#fields + 1] = F.LEASE_FIELDS[i] end
  fields.has_qh = true
  local rec, e = F.check(T, eid, args[2], epoch, args[4], now, nil, fields)
  if not rec then return e end
  local grp = rec.grp or ""
  local stored = set_pause(T, rec.lane, grp, u)
  local bk = Q.bucket(T, rec.lane, grp)
  X.give_back(T, eid, rec, now, S.encode("runnable", "unowned", "blocked_by_quota", "paused_by_policy", "none",
                                       "attempt_interrupted"), { "qp", bk })
  local score = S.score(rec)
  redis.call("ZADD", K.lane(T, rec.lane, "budget_blocked"), score, eid)
  redis.call("ZADD", bk .. ":b", score, eid)
  Q.arm(T, rec.lane, grp, stored)
  return U.ok(U.istr(stored), grp)
end

redis.register_function("ff_create_quota", ff_create_quota)
redis.register_function("ff_pause_group", ff_pause_group)
redis.register_function("ff_resume_group", ff_resume_group)
redis.register_function("ff_rate_limited", ff_rate_limited)
redis.register_function { function_name = "ff_describe_quota", callback = ff_describe_quota, flags = U.RO }
redis.register_function { function_name = "ff_list_quotas", callback = ff_list_quotas, flags = U.RO }
end)()
