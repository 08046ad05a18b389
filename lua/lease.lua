-- lease.lua: ff_claim and the lease-bound calls (renew, progress, complete,
-- fail, cancel, delay).

local LEASE = {
  MAX_TTL = 86400000,   -- lease ttl upper bound (ms)
  SCAN_EXTRA = 100,     -- eligible candidates examined beyond max_count
  PROMOTE_LIMIT = 100,  -- due delayed entries promoted per claim
  SWEEP_LIMIT = 100,    -- due leases marked expired per claim
}

-- ---------------------------------------------------------------- ff_claim
-- The worker side of a claim (ff_claim and the targeted claims of
-- lua/reclaim.lua): worker id, instance id, capabilities, lease ttl.
-- Returns the capability set and the ttl, or nil plus an error reply.
local function claimant(wid, wiid, caps_csv, ttl_s)
  local good, e = V.worker_name(wid, "worker_id")
  if not good then return nil, e end
  good, e = V.worker_name(wiid, "worker_instance_id")
  if not good then return nil, e end
  local wlist
  wlist, e = V.caps_csv(caps_csv, "worker")
  if not wlist then return nil, e end
  local wset = {}
  for i = 1, #wlist do wset[wlist[i]] = true end
  local ttl = U.parse_int_range(ttl_s, 1, LEASE.MAX_TTL)
  if ttl == nil then return nil, U.err("invalid_input", "lease_ttl_ms: integer 1.." .. LEASE.MAX_TTL) end
  return wset, ttl
end

local function claim_one(T, eid, rec, atype, lid, new_aid, wid, wiid, now, exp, out)
  local core = K.core(eid)
  local now_s, exp_s = U.istr(now), U.istr(exp)
  local epoch = U.istr(tonumber(rec.epoch or "0") + 1)
  local f = { "st", S.ST_RUNNING, "lid", lid, "epoch", epoch, "wid", wid, "wiid", wiid,
              "lacq", now_s, "lexp", exp_s, "updated", now_s }
  local ai, aid, atdl
  if atype == "resumed" then
    ai, aid = rec.ai or "0", rec.aid or ""
    if rec.atrem then atdl = now + tonumber(rec.atrem) end
  else
    ai, aid = rec.att or "0", new_aid
    local n = #f
    f[n + 1] = "att"; f[n + 2] = U.istr(tonumber(ai) + 1)
    f[n + 3] = "ai"; f[n + 4] = ai; f[n + 5] = "aid"; f[n + 6] = aid
    f[n + 7] = "aty"; f[n + 8] = atype; f[n + 9] = "astart"; f[n + 10] = now_s
    if atype == "reclaim" then
      f[#f + 1] = "reclaims"; f[#f + 1] = U.istr(tonumber(rec.reclaims or "0") + 1)
    end
    if rec.pts then
      n = #f
      f[n + 1] = "pct"; f[n + 2] = ""; f[n + 3] = "pmsg"; f[n + 4] = ""
      f[n + 5] = "pts"; f[n + 6] = ""
    end
    if rec.ato then atdl = now + tonumber(rec.ato) end
  end
  if atdl then f[#f + 1] = "atdl"; f[#f + 1] = U.istr(atdl) end
  if not rec.started then
    f[#f + 1] = "started"; f[#f + 1] = now_s
    if rec.fl then D.member_started(rec.fl) end -- the flow is running now
  end
  if rec.dl then f[#f + 1] = "dl"; f[#f + 1] = "" end
  if rec.qf then f[#f + 1] = rec.qf[1]; f[#f + 1] = rec.qf[2] end -- the quota slot (Q.take)
  if rec.rgx then -- a reclaim grant is consumed (or voided) by any lease
    local n = #f
    f[n + 1] = "rg"; f[n + 2] = ""; f[n + 3] = "rgw"; f[n + 4] = ""; f[n + 5] = "rgx"; f[n + 6] = ""
  end
  redis.call("HSET", core, unpack(f))
  F.rt_hold(T, wid, eid) -- the worker's leases count (lib/78_route.lua)
  if atype == "resumed" then
    redis.call("HDEL", K.attempts(eid), ai)
    if rec.atrem then redis.call("HDEL", core, "atrem") end
  end
  if atdl then redis.call("ZADD", K.attempt_timeout(T), U.istr(atdl), eid) end
  local payload = rec.pl or ""
  if rec.pl == nil and rec.plen and rec.plen ~= "0" then payload = redis.call("GET", K.payload(eid)) or "" end
  local n = #out
  out[n + 1] = eid; out[n + 2] = ai; out[n + 3] = aid; out[n + 4] = atype
  out[n + 5] = lid; out[n + 6] = epoch; out[n + 7] = exp_s; out[n + 8] = rec.kind or ""
  out[n + 9] = rec.ns or ""; out[n + 10] = payload; out[n + 11] = rec.lane
  return atdl
end

--- @function ff_claim
--- @mode write
--- @summary Lease up to max_count eligible executions of one lane to a worker.
--- @key eligible ff:i:{fp:N}:<lane>:eligible the lane's eligible index
--- @arg lane string the lane (must match KEYS[1])
--- @arg worker_id string worker name
--- @arg worker_instance_id string worker instance name
--- @arg caps csv the worker's capabilities, sorted
--- @arg lease_ttl_ms int 1..86400000
--- @arg max_count int 1..256
--- @arg leases... uuid 2..512 max_count pairs (lease_id, attempt_id) of fresh uuids
--- @reply n int claims that follow
--- @item claim 11
--- @field eid eid execution id
--- @field attempt_index int attempt index
--- @field attempt_id uuid attempt id
--- @field attempt_type string initial|retry|replay|reclaim|resumed
--- @field lease_id uuid lease id
--- @field epoch int lease epoch
--- @field expires_at int lease expiry (ms)
--- @field kind string execution kind
--- @field namespace string namespace
--- @field payload bytes input bytes
--- @field lane string lane
--- @error invalid_input, unauthorized, corrupt_record, invalid_capabilities
local function ff_claim(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  if #args < 8 then return U.err("invalid_input", "argv: expected at least 8 arguments") end
  local lane, wid, wiid = args[1], args[2], args[3]
  local good, e = V.lane(lane)
  if not good then return e end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.lane(T, lane, "eligible") then
    return U.err("invalid_input", "KEYS[1] is not the lane's eligible index")
  end
  local denied = N.guard(T)
  if denied then return denied end
  local wset, ttl = claimant(wid, wiid, args[4], args[5])
  if not wset then return ttl end
  local maxc = U.parse_int_range(args[6], 1, 256)
  if maxc == nil then return U.err("invalid_input", "max_count: integer 1..256") end
  if #args ~= 6 + 2 * maxc then
    return U.err("invalid_input", "argv: expected max_count (lease_id, attempt_id) pairs")
  end
  for i = 7, #args do
    if not U.is_uuid(args[i]) then
      return U.err("invalid_input", (i % 2 == 1 and "lease_id" or "attempt_id") .. ": not a uuid")
    end
  end

  -- a lane paused by an operator hands out nothing (lua/lanes.lua); its
  -- work keeps its place, and resuming wakes the workers
  if S.lane_paused(T, lane) then return { 1, "OK", "0" } end
  -- the lane's admission (lib/58_quota.lua): a policy that cannot be read
  -- hands out nothing (fail closed)
  local qctx, qbad = Q.context(T, lane)
  if not qctx then return qbad end
  local now = U.now_ms()
  X.promote_due(T, lane, now, LEASE.PROMOTE_LIMIT)
  X.sweep_leases(T, now, LEASE.SWEEP_LIMIT)
  if not qctx.none then Q.timers(T, now, Q.TIMER_BATCH) end
  -- the claimant is a live worker: route-blocked work it can run is
  -- eligible again (lib/78_route.lua; one EXISTS when none is blocked)
  if next(wset) ~= nil and redis.call("EXISTS", K.route_caps(T, lane)) == 1 then
    X.rt_unblock(T, lane, wset, X.RT_CLAIM_UNBLOCK, now)
  end
  local rctx = { verdict = {} } -- the registry as this claim saw it
  local vt_max = nil -- the latest fair tag leased: the lane's fair clock

  local ekey = keys[1]
  local out = { 1, "OK", "0" }
  local drop, act = {}, {}
  local exp = now + ttl
  local exp_s = U.istr(exp)
  local n = 0
  local due = exp -- earliest timer the claims arm (lease expiry, attempt timeouts)
  -- Scan the eligible head in small pages (first page = max_count, the
  -- common no-skip case), at most max_count + SCAN_EXTRA candidates.
  local window = maxc + LEASE.SCAN_EXTRA
  local pos, seen = 0, 0
  while n < maxc and seen < window do
    local batch = maxc - n
    if seen > 0 and batch < 16 then batch = 16 end
    if batch > window - seen then batch = window - seen end
    local cands = redis.call("ZRANGE", ekey, pos, pos + batch - 1)
    local gone = 0 -- entries removed from eligible inside this page
    for i = 1, #cands do
      if n >= maxc then break end
      local eid = cands[i]
      local rec, bad = F.load(K.core(eid), F.CLAIM_FIELDS)
      if bad then
        -- a corrupt record must not block the healthy work behind it
        X.quarantine(T, eid, nil, bad)
        gone = gone + 1 -- already out of the eligible index
      elseif rec == nil or rec.lane ~= lane
          or S.index_of(rec.phase, rec.own, rec.elig, rec.outcome) ~= "eligible" then
        drop[#drop + 1] = eid -- stale index entry: self-clean
      elseif rec.caps and not V.caps_subset(rec.caps, wset) then
        -- capability mismatch: leave it for a capable live worker; when the
        -- lane has none here, out of the eligible order until one registers
        -- (a reclaimable lease is not runnable work: it is only skipped)
        if rec.phase == "runnable" and not X.rt_capable(T, lane, rec.caps, rctx, now) then
          X.rt_park(T, eid, rec, now)
          drop[#drop + 1] = eid
        end
      elseif rec.phase == "runnable" and rec.ast == "running_attempt" then
        -- invariant violation (runnable with a running attempt): never lease it
      elseif rec.bud and rec.phase == "runnable" and X.bud_blocked(T, rec.bud) then
        -- a budget it draws on is blocked: out of the eligible order until
        -- the budget has room again, never retried here; or it cancels
        -- pending work (lib/77_budget.lua)
        local bid, mode = X.bud_blocked(T, rec.bud)
        if mode == "2" then
          X.bud_cancel(T, eid, now)
          gone = gone + 1 -- the terminal transition took it out of eligible
        else
          X.bud_park(T, eid, rec, bid, now)
          drop[#drop + 1] = eid
        end
      else
        local atype
        if rec.phase == "active" or rec.ast == "attempt_interrupted" then
          local x = redis.call("HMGET", K.core(eid), unpack(F.CLAIM_EXTRA))
          for j = 1, #F.CLAIM_EXTRA do
            local f, v = F.CLAIM_EXTRA[j], x[j]
            if v and v ~= "" then
              if not F.field_ok(f, v) then rec.corrupt = F.corrupt(K.core(eid), f, v) end
              rec[f] = v
            end
          end
        end
        if rec.corrupt then
          X.quarantine(T, eid, nil, rec.corrupt)
          gone = gone + 1
          atype = nil
        elseif rec.phase == "active" and rec.rgx and tonumber(rec.rgx) > now and rec.rgw ~= wid then
          atype = nil -- an operator granted this reclaim to another worker
        elseif rec.phase == "active" then atype = "reclaim"
        elseif rec.ast == "attempt_interrupted" then atype = "resumed"
        elseif rec.ast == "pending_retry_attempt" then atype = "retry"
        elseif rec.ast == "pending_replay_attempt" then atype = "replay"
        else atype = "initial" end
        if atype == "reclaim" then
          local pol, pbad = P.stored(K.core(eid))
          local cap = pol and (pol.max_reclaim_count or P.DEFAULT_MAX_RECLAIMS)
          if not pol then
            X.quarantine(T, eid, nil, pbad)
            gone = gone + 1
            atype = nil
          elseif tonumber(rec.reclaims or "0") >= cap then
            local full, bad2 = F.load(K.core(eid))
            if full then
              X.terminal(T, eid, full, now, "failed",
                         { "reason", "max_reclaims_exceeded", "cat", "lease_lost" }, nil)
              gone = gone + 1
            else
              X.quarantine(T, eid, nil, bad2 or F.corrupt(K.core(eid), "st", ""))
              gone = gone + 1
            end
            atype = nil
          end
        end
        if atype and not qctx.none then
          local verdict, qf = Q.admit(T, qctx, eid, rec, now)
          if verdict == "park" then drop[#drop + 1] = eid end
          if verdict ~= "ok" then atype = nil end
          rec.qf = qf
        end
        if atype then
          if rec.vt then
            local vt = tonumber(rec.vt)
            if vt_max == nil or vt > vt_max then vt_max = vt end
          end
          n = n + 1
          local atdl = claim_one(T, eid, rec, atype, args[5 + 2 * n], args[6 + 2 * n], wid, wiid, now, exp, out)
          if atdl and atdl < due then due = atdl end
          drop[#drop + 1] = eid
          act[#act + 1] = exp_s
          act[#act + 1] = eid
        end
      end
    end
    seen = seen + #cands
    pos = pos + #cands - gone
    if #cands < batch then break end
  end
  if #drop > 0 then redis.call("ZREM", ekey, unpack(drop)) end
  if #act > 0 then
    redis.call("ZADD", K.lane(T, lane, "active"), unpack(act))
    redis.call("ZADD", K.lease_expiry(T), unpack(act))
    X.due(T, due)
  end
  if vt_max then Q.clock_to(T, lane, vt_max) end
  out[3] = U.istr(n)
  return out
end

-- ---------------------------------------------------------------- ff_renew
--- @function ff_renew
--- @mode write
--- @summary Extend a lease.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg lease_ttl_ms int 1..86400000
--- @reply expires_at int the new lease expiry (ms)
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_renew(keys, args)
  local T, epoch = F.prologue(keys, args, 5)
  if not T then return epoch end
  local ttl = U.parse_int_range(args[5], 1, LEASE.MAX_TTL)
  if ttl == nil then return U.err("invalid_input", "lease_ttl_ms: integer 1.." .. LEASE.MAX_TTL) end
  local eid = args[1]
  local now = U.now_ms()
  local rec, e = F.check(T, eid, args[2], epoch, args[4], now)
  if not rec then return e end
  local exp_s, now_s = U.istr(now + ttl), U.istr(now)
  redis.call("HSET", K.core(eid), "lexp", exp_s, "lren", now_s, "updated", now_s)
  redis.call("ZADD", K.lease_expiry(T), exp_s, eid)
  -- only a renewal with a shorter ttl moves the expiry earlier
  if now + ttl < tonumber(rec.lexp or "0") then X.due(T, now + ttl) end
  return U.ok(exp_s)
end

-- ------------------------------------------------------------- ff_progress
--- @function ff_progress
--- @mode write
--- @summary Record progress of the running attempt.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg pct int 0..100 or ""
--- @arg message string <= 1024 bytes, "" = unchanged
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_progress(keys, args)
  local T, epoch = F.prologue(keys, args, 6)
  if not T then return epoch end
  local pct = args[5]
  if pct ~= "" and U.parse_int_range(pct, 0, 100) == nil then
    return U.err("invalid_input", "pct: integer 0..100 or empty")
  end
  local good, e = V.text(args[6], "message", 1024)
  if not good then return e end
  local eid = args[1]
  local now = U.now_ms()
  local rec
  rec, e = F.check(T, eid, args[2], epoch, args[4], now)
  if not rec then return e end
  local f = { "pts", U.istr(now) }
  if pct ~= "" then f[#f + 1] = "pct"; f[#f + 1] = U.istr(tonumber(pct)) end
  if args[6] ~= "" then f[#f + 1] = "pmsg"; f[#f + 1] = args[6] end
  redis.call("HSET", K.core(eid), unpack(f))
  return U.ok()
end

-- ------------------------------------------------------------- ff_complete
--- @function ff_complete
--- @mode write
--- @summary End the execution successfully with a result.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg result bytes result bytes
--- @reply outcome string completed
--- @reply replayed? string replayed (an idempotent repeat)
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_complete(keys, args)
  local T, epoch = F.prologue(keys, args, 5)
  if not T then return epoch end
  local eid, aid, result = args[1], args[4], args[5]
  local now = U.now_ms()
  local rec, e = F.check(T, eid, args[2], epoch, aid, now, function(r)
    if r.phase == "terminal" and r.outcome == "success" and F.same(r, epoch, aid) then
      return U.ok("completed", "replayed")
    end
  end)
  if not rec then return e end
  if #result > 0 then redis.call("SET", K.result(eid), result) end
  X.terminal(T, eid, rec, now, "success", {}, "ended_success")
  return U.ok("completed")
end

-- ----------------------------------------------------------------- ff_fail
--- @function ff_fail
--- @mode write
--- @summary Fail the running attempt: retry per policy or end as failed.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg reason string <= 4096 bytes
--- @arg category string <= 128 bytes, "" = error
--- @arg rand float 0..1 jitter draw, "" = 0
--- @arg no_retry flag "1" = never retry, "0" or "" = per policy
--- @reply outcome string retry_scheduled|terminal_failed
--- @reply retry_at? int when retry_scheduled: the retry time (ms)
--- @error invalid_input, unauthorized, corrupt_record, invalid_policy_json, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_fail(keys, args)
  local T, epoch = F.prologue(keys, args, 8)
  if not T then return epoch end
  -- ARGV[8] "1": the worker knows retrying cannot help (bad input, a
  -- permanent refusal): end as failed whatever the retry policy says
  local final = args[8]
  if final ~= "" and final ~= "0" and final ~= "1" then
    return U.err("invalid_input", "no_retry: \"1\", \"0\" or empty")
  end
  local eid, aid = args[1], args[4]
  local reason, cat = args[5], args[6]
  local good, e = V.text(reason, "reason", 4096)
  if not good then return e end
  good, e = V.text(cat, "category", 128)
  if not good then return e end
  if cat == "" then cat = "error" end
  local rand = 0
  if args[7] ~= "" then
    rand = U.parse_float(args[7])
    if rand == nil or rand < 0 or rand > 1 then
      return U.err("invalid_input", "rand: number 0..1")
    end
  end
  local core = K.core(eid)
  local now = U.now_ms()
  local rec
  rec, e = F.check(T, eid, args[2], epoch, aid, now, function(r)
    if not F.same(r, epoch, aid) then return nil end
    if r.phase == "terminal" and r.outcome == "failed" then
      -- A running attempt that ended the execution has no record in the
      -- attempts hash (X.terminal); one that was interrupted (lease lost)
      -- has, and it did not fail by this call.
      local js = redis.call("HGET", K.attempts(eid), r.ai or "0")
      if not js then return U.ok("terminal_failed") end
      local ok, a = pcall(cjson.decode, js)
      if ok and type(a) == "table" and a.state == "ended_failure" then
        return U.ok("terminal_failed")
      end
    elseif r.phase == "runnable" and r.ast == "pending_retry_attempt" then
      return U.ok("retry_scheduled", r.dl or "0")
    end
  end, F.FAIL_FIELDS)
  if not rec then return e end

  local pol
  pol, e = P.stored(core)
  if not pol then return e end
  local retries = tonumber(rec.retries or "0")
  local att_extra = { failure_reason = reason, failure_category = cat }
  if final ~= "1" and P.should_retry(pol, retries, cat) then
    local at_s = U.istr(now + P.backoff_ms(pol, retries, rand))
    local f = { "st", S.encode("runnable", "unowned", "not_eligible_until_time",
                               "waiting_for_retry_backoff", "none", "pending_retry_attempt"),
                "dl", at_s, "retries", U.istr(retries + 1), "reason", reason, "cat", cat,
                "updated", U.istr(now) }
    redis.call("HSET", core, unpack(f))
    F.release(core, rec)
    redis.call("HSET", K.attempts(eid), rec.ai or "0",
               F.attempt_json(rec, "ended_failure", now, att_extra))
    X.leave_current(T, eid, rec)
    SM.close(eid, rec.ai, now, "attempt_failure") -- the retry is a new attempt with its own stream
    redis.call("ZADD", K.lane(T, rec.lane, "delayed"), at_s, eid)
    X.due(T, tonumber(at_s))
    return U.ok("retry_scheduled", at_s)
  end
  X.terminal(T, eid, rec, now, "failed", { "reason", reason, "cat", cat }, "ended_failure", att_extra)
  return U.ok("terminal_failed")
end

-- --------------------------------------------------------------- ff_cancel
local CANCEL_SOURCES = { lease_holder = true, operator_override = true }

--- @function ff_cancel
--- @mode write
--- @summary Cancel an execution, as its lease holder or as an operator.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg reason string <= 4096 bytes
--- @arg source string lease_holder|operator_override
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @reply outcome string cancelled
--- @reply previous string the previous phase, or terminal (an idempotent repeat)
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_cancel(keys, args)
  if #args ~= 6 then return U.err("invalid_input", "argv: expected 6 arguments") end
  local eid, reason, source = args[1], args[2], args[3]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  local good
  good, e = V.text(reason, "reason", 4096)
  if not good then return e end
  if not CANCEL_SOURCES[source] then
    return U.err("invalid_input", "source: lease_holder or operator_override")
  end
  local epoch, aid = nil, args[6]
  if source == "lease_holder" then
    local mode
    mode, epoch = F.parse(args[4], args[5], aid, false)
    if not mode then return epoch end
  end
  local now = U.now_ms()
  local rec
  if source == "lease_holder" then
    rec, e = F.check(T, eid, args[4], epoch, aid, now, function(r)
      if r.phase == "terminal" and r.outcome == "cancelled" and r.cby == "lease_holder"
          and F.same(r, epoch, aid) then
        return U.ok("cancelled", "terminal")
      end
    end, F.CANCEL_FIELDS)
    if not rec then return e end
  else
    rec, e = F.must(K.core(eid))
    if rec == nil then return e end
    if rec.phase == "terminal" then
      if rec.outcome == "cancelled" and rec.cby == "operator_override" then
        return U.ok("cancelled", "terminal")
      end
      return F.not_active(rec)
    end
  end
  local prev = rec.phase
  X.terminal(T, eid, rec, now, "cancelled", { "cby", source, "creason", reason },
             "ended_cancelled", { failure_reason = reason ~= "" and reason or nil })
  return U.ok("cancelled", prev)
end

-- ---------------------------------------------------------------- ff_delay
-- Give the running attempt of rec back (ff_delay, ff_rate_limited): the
-- attempt pauses (attempt_interrupted: the next claim resumes it), the
-- lease and its quota slot are released, and the execution leaves the
-- active index; the caller puts it where `st` says. extra: more core fields.
function X.give_back(T, eid, rec, now, st, extra)
  local f = { "st", st, "updated", U.istr(now) }
  for i = 1, #extra do f[#f + 1] = extra[i] end
  if rec.atdl then
    local rem = tonumber(rec.atdl) - now
    if rem < 0 then rem = 0 end
    f[#f + 1] = "atrem"; f[#f + 1] = U.istr(rem)
  end
  redis.call("HSET", K.core(eid), unpack(f))
  F.release(K.core(eid), rec)
  redis.call("HSET", K.attempts(eid), rec.ai or "0", F.attempt_json(rec, "suspended", now))
  X.leave_current(T, eid, rec)
end

--- @function ff_delay
--- @mode write
--- @summary Give the lease back until a time; due at once when that time has passed.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg delay_until int absolute ms >= 0
--- @reply delay_until int the stored time
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_delay(keys, args)
  local T, epoch = F.prologue(keys, args, 5)
  if not T then return epoch end
  local du = U.parse_int_range(args[5], 0, U.MAX_SAFE)
  if du == nil then return U.err("invalid_input", "delay_until: not a non-negative integer") end
  local eid = args[1]
  local now = U.now_ms()
  local rec, e = F.check(T, eid, args[2], epoch, args[4], now)
  if not rec then return e end
  local du_s = U.istr(du)
  -- A delay that is already due (e.g. a worker releasing its task) makes
  -- the execution claimable at once, waking idle workers.
  local due = du <= now
  if due then
    X.give_back(T, eid, rec, now, S.encode("runnable", "unowned", "eligible_now", "waiting_for_worker", "none",
                                         "attempt_interrupted"), {})
  else
    X.give_back(T, eid, rec, now, S.encode("runnable", "unowned", "not_eligible_until_time", "waiting_for_delay",
                                         "none", "attempt_interrupted"), { "dl", du_s })
  end
  if due then
    local v = redis.call("HMGET", K.core(eid), "pri", "created", "vt")
    S.enter_eligible(T, rec.lane, S.score_of(tonumber(v[1] or "0") or 0, tonumber(v[3] or v[2] or "0") or 0), eid)
  else
    redis.call("ZADD", K.lane(T, rec.lane, "delayed"), du_s, eid)
    X.due(T, du)
  end
  return U.ok(du_s)
end

redis.register_function("ff_claim", ff_claim)
redis.register_function("ff_renew", ff_renew)
redis.register_function("ff_progress", ff_progress)
redis.register_function("ff_complete", ff_complete)
redis.register_function("ff_fail", ff_fail)
redis.register_function("ff_cancel", ff_cancel)
redis.register_function("ff_delay", ff_delay)
