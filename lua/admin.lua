-- admin.lua: operator calls (change_priority, replay, revoke), boot.

-- ----------------------------------------------------- ff_change_priority
--- @function ff_change_priority
--- @mode write
--- @summary Change the priority of a runnable execution.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg priority int clamped 0..9000
--- @reply old int previous priority
--- @reply new int stored priority
--- @error invalid_input, corrupt_record, execution_not_found, execution_not_eligible
local function ff_change_priority(keys, args)
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local p = U.parse_int(args[2])
  if p == nil then return U.err("invalid_input", "priority: not an integer") end
  p = S.clamp_priority(p)
  local rec
  rec, e = F.must(K.core(eid), { "st", "pri", "created", "vt", "lane", "caps" })
  if rec == nil then return e end
  if rec.phase ~= "runnable" then return U.err("execution_not_eligible") end
  local old = rec.pri or "0"
  rec.pri = U.istr(p)
  redis.call("HSET", K.core(eid), "pri", rec.pri)
  -- every priority-ordered index it may sit in takes the new score (a
  -- route-blocked one also in its capability set's queue, lib/78_route.lua)
  local idx = S.index_of(rec.phase, rec.own, rec.elig, rec.outcome)
  if idx == "eligible" or idx == "budget_blocked" or idx == "route_blocked" then
    local score = S.score(rec)
    redis.call("ZADD", K.lane(T, rec.lane, idx), "XX", score, eid)
    if idx == "route_blocked" then
      redis.call("ZADD", X.rt_queue(T, rec.lane, rec.caps or ""), "XX", score, eid)
    end
  end
  return U.ok(old, rec.pri)
end

-- --------------------------------------------------------------- ff_replay
--- @function ff_replay
--- @mode write
--- @summary Run a terminal execution again.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply public_state string waiting
--- @error invalid_input, unauthorized, corrupt_record, invalid_policy_json, execution_not_found, execution_not_terminal, max_replays_exhausted
local function ff_replay(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local core = K.core(eid)
  local rec
  rec, e = F.must(core)
  if rec == nil then return e end
  if rec.phase ~= "terminal" then return U.err("execution_not_terminal") end
  local pol
  pol, e = P.stored(core)
  if not pol then return e end
  local cap = pol.max_replay_count or P.DEFAULT_MAX_REPLAYS
  local replays = tonumber(rec.replays or "0")
  if replays >= cap then return U.err("max_replays_exhausted", U.istr(cap)) end
  local now_s = U.istr(U.now_ms())
  local f = { "st", S.encode("runnable", "unowned", "eligible_now", "waiting_for_worker", "none",
                             "pending_replay_attempt"),
              "replays", U.istr(replays + 1), "retries", "0", "reclaims", "0",
              "ended", "", "reason", "", "cat", "",
              "cby", "", "creason", "", "updated", now_s }
  if rec.deadline then f[#f + 1] = "deadline"; f[#f + 1] = "" end
  redis.call("HSET", core, unpack(f))
  redis.call("DEL", K.result(eid))
  -- a flow member no longer counts as ended (it runs now whatever its
  -- dependencies said: the operator asked for it)
  if rec.fl then D.member_replayed(rec.fl, rec.outcome) end
  redis.call("ZREM", K.lane(T, rec.lane, S.index_of(rec.phase, rec.own, rec.elig, rec.outcome)), eid)
  S.enter_eligible(T, rec.lane, S.score(rec), eid)
  return U.ok("waiting")
end

-- --------------------------------------------------------------- ff_revoke
--- @function ff_revoke
--- @mode write
--- @summary Revoke the lease of an active execution (operator).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg expected_lease_id string uuid or "" = any
--- @arg reason string <= 4096 bytes
--- @reply outcome string revoked | already_revoked | already_expired (ALREADY_SATISFIED)
--- @reply lease_id? uuid when revoked
--- @reply epoch? int when revoked
--- @error invalid_input, unauthorized, corrupt_record, execution_not_found, execution_not_active, no_active_lease, stale_lease
local function ff_revoke(keys, args)
  if #args ~= 3 then return U.err("invalid_input", "argv: expected 3 arguments") end
  local eid, expected, reason = args[1], args[2], args[3]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  if expected ~= "" and not U.is_uuid(expected) then
    return U.err("invalid_input", "expected_lease_id: not a uuid")
  end
  local good
  good, e = V.text(reason, "reason", 4096)
  if not good then return e end
  local rec
  rec, e = F.must(K.core(eid))
  if rec == nil then return e end
  if rec.phase ~= "active" then return F.not_active(rec) end
  if rec.own == "lease_revoked" then return { 1, "ALREADY_SATISFIED", "already_revoked" } end
  if rec.own == "lease_expired_reclaimable" then
    return { 1, "ALREADY_SATISFIED", "already_expired" }
  end
  if rec.own ~= "leased" then return U.err("no_active_lease") end
  local now = U.now_ms()
  if tonumber(rec.lexp or "0") <= now then
    F.interrupt(T, eid, rec, now, "lease_expired_reclaimable")
    return { 1, "ALREADY_SATISFIED", "already_expired" }
  end
  if expected ~= "" and expected ~= rec.lid then return U.err("stale_lease") end
  F.interrupt(T, eid, rec, now, "lease_revoked",
              { revoke_reason = reason ~= "" and reason or nil })
  return U.ok("revoked", rec.lid, rec.epoch or "0")
end

-- ----------------------------------------------------------------- ff_boot
--- @function ff_boot
--- @mode write
--- @summary Create the deployment config if missing; reply with the stored one.
--- @key config ff:config the deployment config hash
--- @arg partitions int 1..65536
--- @arg lane_shards int 1..65536
--- @reply partitions int stored partitions
--- @reply lane_shards int stored lane shards
--- @error invalid_input
local function ff_boot(keys, args)
  if #keys ~= 1 or keys[1] ~= K.CONFIG then
    return U.err("invalid_input", "KEYS[1] must be ff:config")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local parts = U.parse_int_range(args[1], 1, 65536)
  local shards = U.parse_int_range(args[2], 1, 65536)
  if parts == nil then return U.err("invalid_input", "partitions: integer 1..65536") end
  if shards == nil then return U.err("invalid_input", "lane_shards: integer 1..65536") end
  redis.call("HSETNX", keys[1], "partitions", U.istr(parts))
  redis.call("HSETNX", keys[1], "lane_shards", U.istr(shards))
  redis.call("HSETNX", keys[1], "created_at", U.istr(U.now_ms()))
  local v = redis.call("HMGET", keys[1], "partitions", "lane_shards")
  return U.ok(v[1] or "", v[2] or "")
end

redis.register_function("ff_change_priority", ff_change_priority)
redis.register_function("ff_replay", ff_replay)
redis.register_function("ff_revoke", ff_revoke)
redis.register_function("ff_boot", ff_boot)
