-- reclaim.lua: explicit, operator-directed reclaim of an execution whose
-- lease expired or was revoked. The normal claim path reclaims such
-- executions automatically; this pair lets an operator hand one specific
-- execution to one specific worker with a short-lived reclaim token.

local RECLAIM_GRANT_MAX_TTL = 3600000

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
  local pol
  pol, e = P.stored(core)
  if not pol then return e end
  local cap = pol.max_reclaim_count or P.DEFAULT_MAX_RECLAIMS
  if tonumber(rec.reclaims or "0") >= cap then
    local full
    full, e = F.must(core)
    if full == nil then return e end
    redis.call("HSET", core, "rg", "", "rgw", "", "rgx", "")
    X.terminal(T, eid, full, now, "failed", { "reason", "max_reclaims_exceeded", "cat", "lease_lost" }, nil)
    return U.err("max_retries_exhausted", U.istr(cap))
  end
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
