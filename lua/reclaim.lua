-- reclaim.lua: targeted claims, each of ONE named execution (ff_claim
-- leases a lane's eligible head instead):
--   * ff_reclaim_grant + ff_claim_reclaim: an operator hands an execution
--     whose lease expired or was revoked to one worker with a short-lived
--     token (the normal claim path would reclaim it automatically);
--   * ff_claim_resumed: a worker claims one interrupted attempt that may
--     resume now (same attempt, epoch + 1);
--   * ff_grant_and_claim: an operator leases one execution to a named worker
--     in one call, whatever attempt it starts (initial, retry, replay,
--     resumed, reclaim).
-- Every one honours the execution's capabilities and the lane's admission
-- (docs/admission.md, "Targeted claims").

local RECLAIM_GRANT_MAX_TTL = 3600000

-- A reclaim of rec (ff_claim_reclaim, ff_grant_and_claim) past the
-- policy's max_reclaim_count ends the execution as failed
-- (max_reclaims_exceeded) and returns max_retries_exhausted; nil when the
-- reclaim may go on (or the refusal when the policy cannot be read).
function X.reclaim_cap_refusal(T, eid, rec, now)
  local core = K.core(eid)
  local pol, e = P.stored(core)
  if not pol then return e end
  local cap = pol.max_reclaim_count or P.DEFAULT_MAX_RECLAIMS
  if tonumber(rec.reclaims or "0") < cap then return nil end
  local full
  full, e = F.must(core)
  if full == nil then return e end
  redis.call("HSET", core, "rg", "", "rgw", "", "rgx", "")
  X.terminal(T, eid, full, now, "failed", { "reason", "max_reclaims_exceeded", "cat", "lease_lost" }, nil)
  return U.err("max_retries_exhausted", U.istr(cap))
end

-- ------------------------------------------------------- ff_reclaim_grant
-- KEYS core; ARGV eid, worker_id, token (uuid), ttl_ms
-- Reply {1,"OK", token, expires_at}
--- @function ff_reclaim_grant
--- @mode write
--- @summary Grant one worker the reclaim of an execution whose lease was lost.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg worker_id string the worker allowed to reclaim
--- @arg token uuid the grant token
--- @arg ttl_ms int 1..3600000
--- @reply token uuid the grant token
--- @reply expires_at int grant expiry (ms)
--- @error invalid_input, unauthorized, corrupt_record, execution_not_found, execution_not_reclaimable, grant_already_exists
local function ff_reclaim_grant(keys, args)
  if #args ~= 4 then return U.err("invalid_input", "argv: expected 4 arguments") end
  local eid, wid, token = args[1], args[2], args[3]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local good
  good, e = V.worker_name(wid, "worker_id")
  if not good then return e end
  if not U.is_uuid(token) then return U.err("invalid_input", "token: not a uuid") end
  local ttl = U.parse_int_range(args[4], 1, RECLAIM_GRANT_MAX_TTL)
  if ttl == nil then return U.err("invalid_input", "ttl_ms: integer 1.." .. RECLAIM_GRANT_MAX_TTL) end
  local core = K.core(eid)
  local fields = { "rg", "rgx" }
  for i = 1, #F.LEASE_FIELDS do fields[#fields + 1] = F.LEASE_FIELDS[i] end
  local rec
  rec, e = F.must(core, fields)
  if rec == nil then return e end
  local now = U.now_ms()
  if rec.phase == "active" and rec.own == "leased" and tonumber(rec.lexp or "0") <= now then
    -- expired but not yet noticed by a sweep: notice it now
    F.interrupt(T, eid, rec, now, "lease_expired_reclaimable")
    rec.own = "lease_expired_reclaimable"
  end
  if rec.phase ~= "active" or (rec.own ~= "lease_expired_reclaimable" and rec.own ~= "lease_revoked") then
    return U.err("execution_not_reclaimable")
  end
  if rec.rgx and tonumber(rec.rgx) > now then return U.err("grant_already_exists") end
  local exp = U.istr(now + ttl)
  redis.call("HSET", core, "rg", token, "rgw", wid, "rgx", exp)
  return U.ok(token, exp)
end

-- ------------------------------------------------------- ff_claim_reclaim
-- KEYS core; ARGV eid, token, worker_id, worker_instance_id, caps_csv,
--                 lease_ttl_ms, lease_id, attempt_id
-- Reply as ff_claim with one claim: {1,"OK","1", <11 claim fields>}
--- @function ff_claim_reclaim
--- @mode write
--- @summary Claim an execution through a reclaim grant (one claim of type reclaim).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg token uuid the grant token
--- @arg worker_id string worker name
--- @arg worker_instance_id string worker instance name
--- @arg caps csv the worker's capabilities
--- @arg lease_ttl_ms int 1..86400000
--- @arg lease_id uuid fresh lease id
--- @arg attempt_id uuid fresh attempt id
--- @reply n int 1
--- @item claim 11
--- @field eid eid execution id
--- @field attempt_index int attempt index
--- @field attempt_id uuid attempt id
--- @field attempt_type string reclaim
--- @field lease_id uuid lease id
--- @field epoch int lease epoch
--- @field expires_at int lease expiry (ms)
--- @field kind string execution kind
--- @field namespace string namespace
--- @field payload bytes input bytes
--- @field lane string lane
--- @error invalid_input, unauthorized, corrupt_record, invalid_capabilities, invalid_policy_json, execution_not_found, invalid_claim_grant, execution_not_reclaimable, claim_grant_expired, capability_mismatch, max_retries_exhausted, lane_paused
local function ff_claim_reclaim(keys, args)
  if #args ~= 8 then return U.err("invalid_input", "argv: expected 8 arguments") end
  local eid, token, wid, wiid = args[1], args[2], args[3], args[4]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local wset, ttl = claimant(wid, wiid, args[5], args[6])
  if not wset then return ttl end
  if not U.is_uuid(token) or not U.is_uuid(args[7]) or not U.is_uuid(args[8]) then
    return U.err("invalid_input", "token, lease_id and attempt_id must be uuids")
  end
  local core = K.core(eid)
  local fields = { "rg", "rgw", "rgx" }
  for i = 1, #F.CLAIM_FIELDS do fields[#fields + 1] = F.CLAIM_FIELDS[i] end
  for i = 1, #F.CLAIM_EXTRA do fields[#fields + 1] = F.CLAIM_EXTRA[i] end
  local rec
  rec, e = F.must(core, fields)
  if rec == nil then return e end
  local now = U.now_ms()
  if rec.rg ~= token or rec.rgw ~= wid then return U.err("invalid_claim_grant") end
  if rec.phase ~= "active" or (rec.own ~= "lease_expired_reclaimable" and rec.own ~= "lease_revoked") then
    return U.err("execution_not_reclaimable")
  end
  if tonumber(rec.rgx or "0") <= now then return U.err("claim_grant_expired") end
  if rec.caps and not V.caps_subset(rec.caps, wset) then
    return U.err("capability_mismatch", rec.caps)
  end
  if S.lane_paused(T, rec.lane) then return U.err("lane_paused", rec.lane) end
  e = X.reclaim_cap_refusal(T, eid, rec, now)
  if e then return e end
  -- an explicit reclaim honours the lane's admission too (lib/58_quota.lua)
  local qctx
  qctx, e = Q.context(T, rec.lane)
  if not qctx then return e end
  if not qctx.none then
    local why, at = Q.check(T, qctx, rec, now)
    if why then return Q.refusal(why, at) end
    rec.qf = Q.take(T, qctx, eid, rec)
  end
  local out = { 1, "OK", "1" }
  local exp = now + ttl
  local atdl = claim_one(T, eid, rec, "reclaim", args[7], args[8], wid, wiid, now, exp, out)
  redis.call("ZREM", K.lane(T, rec.lane, "eligible"), eid)
  redis.call("ZADD", K.lane(T, rec.lane, "active"), U.istr(exp), eid)
  redis.call("ZADD", K.lease_expiry(T), U.istr(exp), eid)
  X.due(T, (atdl and atdl < exp) and atdl or exp)
  return out
end

redis.register_function("ff_reclaim_grant", ff_reclaim_grant)
redis.register_function("ff_claim_reclaim", ff_claim_reclaim)

-- ------------------------------------------- ff_claim_resumed / ff_grant_and_claim
-- (Wrapped in a function: the library's main chunk is at Lua's limit of
-- 200 locals.)
;(function()
local TC = {}

-- What a targeted claim loads: claiming (F.CLAIM_FIELDS, F.CLAIM_EXTRA),
-- noticing an expired lease (F.LEASE_FIELDS: F.interrupt releases it) and
-- the quota bucket a parked execution waits in (qp).
TC.FIELDS = { "qp" }
do
  local seen = { qp = true }
  local lists = { F.CLAIM_FIELDS, F.CLAIM_EXTRA, F.LEASE_FIELDS }
  for i = 1, #lists do
    for j = 1, #lists[i] do
      local f = lists[i][j]
      if not seen[f] then seen[f] = true; TC.FIELDS[#TC.FIELDS + 1] = f end
    end
  end
  TC.FIELDS.has_qh = true -- F.LEASE_FIELDS carries qh
end

-- ARGV eid, worker_id, worker_instance_id, caps, lease_ttl_ms, then nargs - 5
-- fresh uuids (lease_id[, attempt_id]). Returns T, the worker's capability
-- set and the ttl, or nil plus the refusal. Writes nothing.
function TC.prologue(keys, args, nargs)
  if #args ~= nargs then return nil, U.err("invalid_input", "argv: expected " .. nargs .. " arguments") end
  local T, e = V.eid_for_core(keys, args[1])
  if not T then return nil, e end
  e = N.guard(T)
  if e then return nil, e end
  local wset, ttl = claimant(args[2], args[3], args[4], args[5])
  if not wset then return nil, ttl end
  for i = 6, nargs do
    if not U.is_uuid(args[i]) then
      return nil, U.err("invalid_input", (i == 6 and "lease_id" or "attempt_id") .. ": not a uuid")
    end
  end
  return T, wset, ttl
end

-- Whether runnable rec may be leased at `now` as far as its eligibility
-- goes: nil, or the refusal. Route-blocked work is claimable (the named
-- worker's capabilities are checked next), quota-parked work is left to
-- the admission check, a due delay counts as eligible (ff_claim would have
-- promoted it).
function TC.not_now(T, rec, now)
  local el = rec.elig
  if rec.ast == "running_attempt" then return U.err("execution_not_leaseable", "running_attempt") end
  if el == "eligible_now" or el == "blocked_by_route" or el == "blocked_by_quota" then return nil end
  if el == "not_eligible_until_time" and rec.dl and tonumber(rec.dl) <= now then return nil end
  if el == "blocked_by_budget" and rec.bud then
    local bid = X.bud_blocked(T, rec.bud)
    if bid then return U.err("budget_exceeded", bid) end
  end
  return U.err("execution_not_eligible", el)
end

-- Capabilities, lane pause, budgets and the lane's admission, in that
-- order; nothing is written (but Q.check's window trim). self_slot: rec's
-- own lease, expired but not yet noticed, still holds the quota slot this
-- call frees, so the cap does not refuse it. Returns the quota context, or
-- nil plus the refusal.
function TC.admit(T, rec, wset, now, self_slot)
  if rec.caps and not V.caps_subset(rec.caps, wset) then return nil, U.err("capability_mismatch", rec.caps) end
  if S.lane_paused(T, rec.lane) then return nil, U.err("lane_paused", rec.lane) end
  if rec.phase == "runnable" and rec.bud then
    local bid = X.bud_blocked(T, rec.bud)
    if bid then return nil, U.err("budget_exceeded", bid) end
  end
  local qctx, e = Q.context(T, rec.lane)
  if not qctx then return nil, e end
  if qctx.none then return qctx end
  local why, at = Q.check(T, qctx, rec, now)
  if why == "cap" and self_slot then
    local room, next_at = Q.window_room(Q.bucket(T, rec.lane, rec.grp or ""), qctx.pol, now)
    why, at = nil, nil
    if room == 0 then why, at = "rate", next_at end
  end
  if why then return nil, Q.refusal(why, at) end
  return qctx
end

-- The writes of a targeted claim that passed every check: the quota slot,
-- the lease (claim_one, as ff_claim does it), out of the index it sat in,
-- into active and lease_expiry, the due record. Returns the ff_claim reply.
function TC.lease(T, eid, rec, qctx, atype, lid, aid, wid, wiid, now, ttl)
  local from = S.index_of(rec.phase, rec.own, rec.elig, rec.outcome)
  if not qctx.none then rec.qf = Q.take(T, qctx, eid, rec) end
  local out = { 1, "OK", "1" }
  local exp = now + ttl
  local atdl = claim_one(T, eid, rec, atype, lid, aid, wid, wiid, now, exp, out)
  -- the lane's fair clock moves as for a plain claim (lib/58_quota.lua)
  if rec.vt then Q.clock_to(T, rec.lane, tonumber(rec.vt)) end
  redis.call("ZREM", K.lane(T, rec.lane, from), eid)
  if rec.elig == "blocked_by_route" then X.rt_forget(T, eid, rec.lane) end
  if rec.qp then
    redis.call("ZREM", rec.qp .. ":b", eid)
    redis.call("HDEL", K.core(eid), "qp")
  end
  redis.call("ZADD", K.lane(T, rec.lane, "active"), U.istr(exp), eid)
  redis.call("ZADD", K.lease_expiry(T), U.istr(exp), eid)
  X.due(T, (atdl and atdl < exp) and atdl or exp)
  return out
end

-- ------------------------------------------------------- ff_claim_resumed
--- @function ff_claim_resumed
--- @mode write
--- @summary Claim one named execution whose interrupted attempt may resume now (one claim of type resumed).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg worker_id string worker name
--- @arg worker_instance_id string worker instance name
--- @arg caps csv the worker's capabilities
--- @arg lease_ttl_ms int 1..86400000
--- @arg lease_id uuid fresh lease id
--- @reply n int 1
--- @item claim 11
--- @field eid eid execution id
--- @field attempt_index int the interrupted attempt's index
--- @field attempt_id uuid the interrupted attempt's id
--- @field attempt_type string resumed
--- @field lease_id uuid lease id
--- @field epoch int lease epoch (the previous one + 1)
--- @field expires_at int lease expiry (ms)
--- @field kind string execution kind
--- @field namespace string namespace
--- @field payload bytes input bytes
--- @field lane string lane
--- @error invalid_input, unauthorized, corrupt_record, invalid_capabilities, execution_not_found, execution_not_leaseable, not_a_resumed_execution, execution_not_eligible, capability_mismatch, lane_paused, budget_exceeded, concurrency_limit_exceeded, rate_limit_exceeded
local function ff_claim_resumed(keys, args)
  local T, wset, ttl = TC.prologue(keys, args, 6)
  if not T then return wset end
  local eid = args[1]
  local rec, e = F.must(K.core(eid), TC.FIELDS)
  if rec == nil then return e end
  if rec.phase ~= "runnable" then return U.err("execution_not_leaseable", rec.phase) end
  if rec.ast ~= "attempt_interrupted" then return U.err("not_a_resumed_execution", rec.ast) end
  local now = U.now_ms()
  e = TC.not_now(T, rec, now)
  if e then return e end
  local qctx
  qctx, e = TC.admit(T, rec, wset, now, false)
  if not qctx then return e end
  return TC.lease(T, eid, rec, qctx, "resumed", args[6], "", args[2], args[3], now, ttl)
end

-- ----------------------------------------------------- ff_grant_and_claim
--- @function ff_grant_and_claim
--- @mode write
--- @summary Operator: lease one named execution to a named worker now, whatever attempt it starts (initial, retry, replay, resumed or reclaim).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg worker_id string the worker that gets the lease
--- @arg worker_instance_id string worker instance name
--- @arg caps csv the worker's capabilities
--- @arg lease_ttl_ms int 1..86400000
--- @arg lease_id uuid fresh lease id
--- @arg attempt_id uuid fresh attempt id (unused when the attempt resumes)
--- @reply n int 1
--- @item claim 11
--- @field eid eid execution id
--- @field attempt_index int attempt index
--- @field attempt_id uuid attempt id
--- @field attempt_type string initial|retry|replay|resumed|reclaim
--- @field lease_id uuid lease id
--- @field epoch int lease epoch
--- @field expires_at int lease expiry (ms)
--- @field kind string execution kind
--- @field namespace string namespace
--- @field payload bytes input bytes
--- @field lane string lane
--- @error invalid_input, unauthorized, corrupt_record, invalid_capabilities, invalid_policy_json, execution_not_found, execution_not_leaseable, lease_conflict, execution_not_eligible, grant_already_exists, capability_mismatch, lane_paused, budget_exceeded, concurrency_limit_exceeded, rate_limit_exceeded, max_retries_exhausted
local function ff_grant_and_claim(keys, args)
  local T, wset, ttl = TC.prologue(keys, args, 7)
  if not T then return wset end
  local eid, wid = args[1], args[2]
  local core = K.core(eid)
  local rec, e = F.must(core, TC.FIELDS)
  if rec == nil then return e end
  local now = U.now_ms()
  -- a lease past its expiry that no sweep noticed yet is lost already; it
  -- is marked so only once every check passed
  local expired = false
  if rec.phase == "active" then
    if rec.own == "leased" then
      if tonumber(rec.lexp or "0") > now then return U.err("lease_conflict", rec.wid or "") end
      expired = true
    elseif rec.own ~= "lease_expired_reclaimable" and rec.own ~= "lease_revoked" then
      return U.err("execution_not_leaseable", rec.own)
    end
  elseif rec.phase == "runnable" then
    e = TC.not_now(T, rec, now)
    if e then return e end
  else
    return U.err("execution_not_leaseable", rec.phase)
  end
  if rec.rgx and tonumber(rec.rgx) > now and rec.rgw ~= wid then
    return U.err("grant_already_exists", rec.rgw or "")
  end
  local self_slot = expired and rec.qh ~= nil and redis.call("SISMEMBER", rec.qh, eid) == 1
  local qctx
  qctx, e = TC.admit(T, rec, wset, now, self_slot)
  if not qctx then return e end
  local atype
  if rec.phase == "active" then
    local pol
    pol, e = P.stored(core)
    if not pol then return e end
    if expired then
      F.interrupt(T, eid, rec, now, "lease_expired_reclaimable")
      rec.own = "lease_expired_reclaimable"
    end
    e = X.reclaim_cap_refusal(T, eid, rec, now)
    if e then return e end
    atype = "reclaim"
  elseif rec.ast == "attempt_interrupted" then atype = "resumed"
  elseif rec.ast == "pending_retry_attempt" then atype = "retry"
  elseif rec.ast == "pending_replay_attempt" then atype = "replay"
  else atype = "initial" end
  return TC.lease(T, eid, rec, qctx, atype, args[6], args[7], wid, args[3], now, ttl)
end

redis.register_function("ff_claim_resumed", ff_claim_resumed)
redis.register_function("ff_grant_and_claim", ff_grant_and_claim)
end)()
