-- 60_fence: loading the core record, lease fence checks, lease interruption
-- (expiry / revoke).

local F = {}

-- Core fields loaded by the slower paths (pol excluded: it can be large and
-- is read separately where needed). HMGET cost grows with the field count
-- (listpack scan + one Lua string per field), so the hot paths load the
-- narrower lists below.
F.FIELDS = { "st", "lane", "pri", "created", "att", "ai", "aid", "aty", "astart", "epoch",
             "lid", "wid", "wiid", "lacq", "lexp", "atdl", "atrem", "ato", "dl", "deadline",
             "caps", "reclaims", "retries", "replays", "cby", "kind", "ns", "plen",
             "started", "pts", "wt", "fl", "vt", "grp", "qh" }

-- What a fenced call needs: the fence, the interrupt (expiry) data and the
-- terminal-transition data.
-- (pri/created are only needed by F.interrupt, which loads them itself.)
local LEASE = { "st", "lane", "ai", "aid", "aty", "astart", "epoch",
                "lid", "wid", "wiid", "lexp", "atdl", "deadline", "wt", "fl", "qh" }
F.LEASE_FIELDS = LEASE
local function extend(base, extra)
  local t = {}
  for i = 1, #base do t[i] = base[i] end
  for i = 1, #extra do t[#t + 1] = extra[i] end
  return t
end
F.FAIL_FIELDS = extend(LEASE, { "retries", "dl" })
F.CANCEL_FIELDS = extend(LEASE, { "cby" })
-- Lists that load qh (F.release then needs no HGET to free a quota slot).
F.FIELDS.has_qh, LEASE.has_qh, F.FAIL_FIELDS.has_qh, F.CANCEL_FIELDS.has_qh = true, true, true, true
-- What claiming one candidate needs; resumed/reclaim candidates load
-- F.CLAIM_EXTRA too (a reclaim that hits the cap reloads F.FIELDS).
F.CLAIM_FIELDS = { "st", "lane", "caps", "att", "epoch", "kind", "ns", "plen", "started",
                   "pts", "ato", "dl", "pl", "fl", "bud", "grp", "vt" }
F.CLAIM_EXTRA = { "ai", "aid", "atrem", "reclaims", "rgw", "rgx" }

-- Core fields that hold integers. A stored value that is not one (a manual
-- edit, a foreign writer, a bug) makes the record corrupt: it is reported,
-- never defaulted, because a guessed epoch or expiry would break fencing.
F.INT_FIELDS = { pri = true, created = true, att = true, ai = true, epoch = true, lacq = true,
                 lexp = true, lren = true, atdl = true, atrem = true, ato = true, dl = true,
                 deadline = true, reclaims = true, retries = true, replays = true, plen = true,
                 started = true, pts = true, ended = true, updated = true, pct = true, rgx = true,
                 vt = true }

-- Every field whose value F.field_ok checks: what a record must pass before
-- the reconciler lets it out of quarantine.
F.CHECKED_FIELDS = { "st", "lane", "pri", "created", "vt", "att", "ai", "epoch", "lacq", "lexp", "lren", "atdl",
                     "atrem", "ato", "dl", "deadline", "reclaims", "retries", "replays", "plen",
                     "started", "pts", "ended", "updated", "pct", "rgx" }

-- The corrupt_record reply: {0, "corrupt_record", key, field, value}.
F.corrupt = U.corrupt

-- Is `v` a valid stored value of core field `f`?
function F.field_ok(f, v)
  if F.INT_FIELDS[f] then return #v <= 20 and string.find(v, "^%-?%d+$") ~= nil end
  if f == "st" then return S.decode(v) ~= nil end
  return true
end

-- HMGET the core. Returns rec (empty strings become nil, plus the decoded
-- state dimensions phase/own/elig/block/outcome/ast), or nil when it does
-- not exist, or nil plus a corrupt_record reply.
function F.load(core, fields)
  fields = fields or F.FIELDS
  local v = redis.call("HMGET", core, unpack(fields))
  local rec = { qh_loaded = fields.has_qh }
  for i = 1, #fields do
    local x = v[i]
    if x and x ~= "" then
      local f = fields[i]
      if F.INT_FIELDS[f] and (#x > 20 or not string.find(x, "^%-?%d+$")) then
        return nil, F.corrupt(core, f, x)
      end
      rec[f] = x
    end
  end
  if rec.st == nil then
    if redis.call("EXISTS", core) == 1 then return nil, F.corrupt(core, "st", "") end
    return nil
  end
  rec.phase, rec.own, rec.elig, rec.block, rec.outcome, rec.ast = S.decode(rec.st)
  if rec.phase == nil then return nil, F.corrupt(core, "st", rec.st) end
  return rec
end

-- F.load for a call about one execution: rec, or nil plus the reply to
-- return (execution_not_found or corrupt_record).
function F.must(core, fields)
  local rec, bad = F.load(core, fields)
  if rec == nil then return nil, bad or U.err("execution_not_found") end
  return rec
end

-- Validate the fence triple ARGV. allow_none: an all-empty triple is
-- acceptable (operator override). Returns mode ("fenced" | "none") and the
-- epoch number, or nil plus an error reply.
function F.parse(lid, epoch, aid, allow_none)
  local n = (lid ~= "" and 1 or 0) + (epoch ~= "" and 1 or 0) + (aid ~= "" and 1 or 0)
  if n == 0 then
    if allow_none then return "none" end
    return nil, U.err("fence_required")
  end
  if n ~= 3 then return nil, U.err("partial_fence_triple") end
  local e = U.parse_int_range(epoch, 0, U.MAX_SAFE)
  if e == nil then return nil, U.err("invalid_input", "lease_epoch: not a non-negative integer") end
  -- ids are only compared with the stored (validated) ones, so a length
  -- check is enough here: any other malformed id is simply a stale fence
  if #lid ~= 36 then return nil, U.err("invalid_input", "lease_id: not a uuid") end
  if #aid ~= 36 then return nil, U.err("invalid_input", "attempt_id: not a uuid") end
  return "fenced", e
end

-- Common prologue of the lease-bound calls whose ARGV starts with eid,
-- lease_id, epoch, attempt_id: exact arity, eid/key agreement, the publish
-- guard, the fence triple. Returns T, epoch or nil, error reply.
function F.prologue(keys, args, nargs)
  if #args ~= nargs then
    return nil, U.err("invalid_input", "argv: expected " .. nargs .. " arguments")
  end
  local T, e = V.eid_for_core(keys, args[1])
  if not T then return nil, e end
  e = N.guard(T)
  if e then return nil, e end
  local mode, ep = F.parse(args[2], args[3], args[4], false)
  if not mode then return nil, ep end
  return T, ep
end

-- {0, "execution_not_active", terminal_outcome, epoch, phase, attempt_id}
function F.not_active(rec)
  return U.err("execution_not_active", rec.outcome or "none", rec.epoch or "0",
               rec.phase or "", rec.aid or "")
end

-- Does the stored (epoch, attempt id) equal the presented ones?
function F.same(rec, epoch, aid)
  return tonumber(rec.epoch or "0") == epoch and rec.aid == aid
end

-- JSON record of the current attempt of rec in state `state` (built by
-- hand: noticeably cheaper than cjson.encode of a table). extra: optional
-- string fields (failure_reason, failure_category, revoke_reason).
local EXTRA_KEYS = { "failure_reason", "failure_category", "revoke_reason" }
function F.attempt_json(rec, state, now, extra)
  local p = { '{"index":', rec.ai or "0", ',"id":', U.jstr(rec.aid or ""),
              ',"type":', U.jstr(rec.aty or ""), ',"state":"', state, '"' }
  if rec.astart then p[#p + 1] = ',"started_at":'; p[#p + 1] = rec.astart end
  p[#p + 1] = state == "suspended" and ',"suspended_at":' or ',"ended_at":'
  p[#p + 1] = U.istr(now)
  p[#p + 1] = ',"lease_epoch":'; p[#p + 1] = rec.epoch or "0"
  if rec.wid then p[#p + 1] = ',"worker_id":'; p[#p + 1] = U.jstr(rec.wid) end
  if rec.wiid then p[#p + 1] = ',"worker_instance_id":'; p[#p + 1] = U.jstr(rec.wiid) end
  if extra then
    for i = 1, #EXTRA_KEYS do
      local k = EXTRA_KEYS[i]
      local v = extra[k]
      if v then p[#p + 1] = ',"' .. k .. '":'; p[#p + 1] = U.jstr(v) end
    end
  end
  p[#p + 1] = "}"
  return table.concat(p)
end

-- Lease fields are deleted on release (unset); HDEL keeps the hash small.
-- keep_worker: leave wid/wiid as the last worker of a finished attempt.
function F.release(core, rec, also_atrem, keep_worker)
  if rec.lid or rec.wid or rec.lexp then
    if keep_worker then
      redis.call("HDEL", core, "lid", "lacq", "lexp", "lren", "atdl")
    elseif rec.atdl then
      redis.call("HDEL", core, "lid", "wid", "wiid", "lacq", "lexp", "lren", "atdl")
    else
      redis.call("HDEL", core, "lid", "wid", "wiid", "lacq", "lexp", "lren")
    end
  elseif rec.atdl then
    redis.call("HDEL", core, "atdl")
  end
  if also_atrem and rec.atrem then redis.call("HDEL", core, "atrem") end
  -- the quota slot the lease held is free in this same call (lib/58_quota.lua);
  -- the hot lists load qh, the others pay one HGET
  if rec.lid or rec.wid then
    -- the worker's leases count (lib/78_route.lua) loses it
    local wid = rec.wid
    if wid == nil then wid = redis.call("HGET", core, "wid") end
    if wid and wid ~= "" then F.rt_unhold(K.tag_of(core), wid, string.sub(core, 6)) end
    local qh = rec.qh
    if qh == nil and rec.qh_loaded == nil then qh = redis.call("HGET", core, "qh") end
    if qh then Q.release(core, string.sub(core, 6), qh) end
  end
end

-- Lease lost (own = "lease_expired_reclaimable" | "lease_revoked"): the
-- running attempt is recorded as interrupted_reclaimed, the lease is
-- cleared, and the execution moves from active (+lease_expiry,
-- +attempt_timeout) to eligible with its original priority score, ready to
-- be reclaimed by the next claim of its lane.
function F.interrupt(T, eid, rec, now, own, extra)
  local core = K.core(eid)
  local now_s = U.istr(now)
  if not rec.created then
    local v = redis.call("HMGET", core, "pri", "created", "vt")
    rec.pri, rec.created, rec.vt = v[1] or nil, v[2] or nil, v[3] or nil
  end
  redis.call("HSET", core, "st", S.encode("active", own, "not_applicable", "waiting_for_worker",
                                           "none", "attempt_interrupted"),
             "updated", now_s)
  F.release(core, rec)
  extra = extra or {}
  extra.failure_reason = own == "lease_revoked" and "lease_revoked" or "lease_expired"
  redis.call("HSET", K.attempts(eid), rec.ai or "0",
             F.attempt_json(rec, "interrupted_reclaimed", now, extra))
  redis.call("ZREM", K.lane(T, rec.lane, "active"), eid)
  redis.call("ZREM", K.lease_expiry(T), eid)
  if rec.atdl then redis.call("ZREM", K.attempt_timeout(T), eid) end
  S.enter_eligible(T, rec.lane, S.score(rec), eid)
  -- the attempt is over (a reclaim starts a new one): tailers learn it here
  SM.close(eid, rec.ai, now, own == "lease_revoked" and "lease_revoked" or "lease_expired")
end

-- Full fence check for a lease-bound call (see lua/README.md). `replay`
-- (optional) is called with rec when the phase is not active and may return
-- a success reply for an idempotent repeat. Returns rec or nil, reply.
function F.check(T, eid, lid, epoch, aid, now, replay, fields)
  local rec, bad = F.must(K.core(eid), fields or LEASE)
  if rec == nil then return nil, bad end
  if rec.phase ~= "active" then
    if replay then
      local r = replay(rec)
      if r then return nil, r end
    end
    return nil, F.not_active(rec)
  end
  if rec.own == "lease_revoked" then return nil, U.err("lease_revoked") end
  if rec.own == "lease_expired_reclaimable" then return nil, U.err("lease_expired") end
  if rec.own ~= "leased" then return nil, U.err("no_active_lease") end
  if tonumber(rec.lexp or "0") <= now then
    F.interrupt(T, eid, rec, now, "lease_expired_reclaimable")
    return nil, U.err("lease_expired")
  end
  if rec.lid ~= lid or not F.same(rec, epoch, aid) then
    return nil, U.err("stale_lease")
  end
  return rec
end
