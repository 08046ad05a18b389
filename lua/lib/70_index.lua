-- 70_index: moving executions between indexes, shared transitions
-- (terminal, delayed promotion, lease-expiry sweep).

local X = {}

-- A transition added a timer due at `at` (unix ms) to one of the partition's
-- timing indexes. The engine sweeps the partition at its due record's `at`
-- and rewrites it then, so only an EARLIER due time has to reach it: it is
-- stored and published on ff:due:T (edge-triggered: a busy partition pays
-- one HGET per such transition and almost never a publish). Callers ran
-- N.guard.
function X.due(T, at)
  local k = K.due(T)
  local cur = tonumber(redis.call("HGET", k, "at") or "")
  if cur ~= nil and cur <= at then return end
  local s = U.istr(at)
  redis.call("HSET", k, "at", s)
  N.due(T, s)
end
Q.due = X.due -- group timers (lib/58_quota.lua) arm the partition like any timer

-- An execution of partition T ended at `ended`: it is due for deletion at
-- ended + the engine's retention. Without a `ret` no engine has swept the
-- partition yet, and its first sweep schedules every terminal execution.
function X.due_retention(T, ended)
  local k = K.due(T)
  local v = redis.call("HMGET", k, "at", "ret")
  local ret = tonumber(v[2] or "")
  if ret == nil then return end
  local at = ended + ret
  local cur = tonumber(v[1] or "")
  if cur ~= nil and cur <= at then return end
  local s = U.istr(at)
  redis.call("HSET", k, "at", s)
  N.due(T, s)
end

-- Set a corrupt execution aside: the caller found `bad` (a corrupt_record
-- reply) while walking index `from`, which loses the id; the quarantine
-- index keeps it visible to operators (ff_list_quarantined, ffctl stats)
-- until the record is repaired (the reconciler then puts it back).
function X.quarantine(T, eid, from, bad)
  if from then redis.call("ZREM", from, eid) end
  -- out of every lane index, so listings and counts do not offer it as work
  -- (timing indexes clean themselves when they next meet it)
  local lane = redis.call("HGET", K.core(eid), "lane")
  if lane then
    for i = 1, #K.LANE_STATES do redis.call("ZREM", K.lane(T, lane, K.LANE_STATES[i]), eid) end
  end
  -- a lease it held frees its quota slot (lib/58_quota.lua)
  local qh = redis.call("HGET", K.core(eid), "qh")
  if qh then redis.call("SREM", qh, eid) end
  -- and its worker's leases count
  local lw = redis.call("HMGET", K.core(eid), "lid", "wid")
  if lw[1] and lw[1] ~= "" and lw[2] and lw[2] ~= "" then F.rt_unhold(T, lw[2], eid) end
  redis.call("ZADD", K.quarantine(T), "NX", U.istr(U.now_ms()), eid)
  redis.call("HSET", K.quarantine_why(T), eid, (bad[4] or "?") .. "=" .. (bad[5] or ""))
end

-- Remove eid from the index its current state maps to (plus the partition
-- timing indexes it may be in) and return that index name.
function X.leave_current(T, eid, rec)
  local idx = S.index_of(rec.phase, rec.own, rec.elig, rec.outcome)
  redis.call("ZREM", K.lane(T, rec.lane, idx), eid)
  if idx == "route_blocked" then X.rt_forget(T, eid, rec.lane) end
  if rec.phase == "active" and rec.own == "leased" then
    redis.call("ZREM", K.lease_expiry(T), eid)
  end
  if rec.atdl then redis.call("ZREM", K.attempt_timeout(T), eid) end
  return idx
end

-- Is there an attempt whose record must be written when the execution ends
-- now? (A running attempt, or one paused by ff_delay. An attempt that lost
-- its lease was already recorded as interrupted_reclaimed.)
function X.open_attempt(rec)
  if rec.phase == "active" and rec.own == "leased" then return true end
  if rec.phase == "runnable" and rec.ast == "attempt_interrupted" then return true end
  if rec.phase == "suspended" then return true end -- paused by ff_suspend
  return false
end

-- Close the open suspension of eid (if any) and the open (pending or
-- active) waitpoints `ids` (nil = every waitpoint of the execution) with
-- `reason`; drop the execution from the partition's suspension indexes and
-- delete the composite-condition state. Idempotent. Cost: one HGET per
-- waitpoint (an execution has at most W.MAX_WAITPOINTS).
function X.close_waits(T, eid, now, reason, ids)
  local now_s = U.istr(now)
  ids = ids or redis.call("SMEMBERS", K.wps(eid))
  for i = 1, #ids do
    local wk = K.wp(T, ids[i])
    local st = redis.call("HGET", wk, "state")
    if st == "pending" or st == "active" then
      redis.call("HSET", wk, "state", "closed", "closed_at", now_s, "close_reason", reason)
      if st == "pending" then
        redis.call("ZREM", K.wp_expiry(T), ids[i])
        redis.call("DEL", wk .. ":buf")
      end
    end
  end
  local sk = K.susp(eid)
  if redis.call("HGET", sk, "state") == "open" then
    redis.call("HSET", sk, "state", "closed", "closed_at", now_s, "close_reason", reason)
  end
  redis.call("ZREM", K.psusp(T), eid)
  redis.call("ZREM", K.susp_timeout(T), eid)
  redis.call("DEL", K.sat(eid))
end

local CLOSE_REASON = { success = "completed", failed = "failed", cancelled = "cancelled",
                       expired = "expired", skipped = "skipped" }

-- Move a non-terminal execution to terminal `outcome`.
--   fields:     extra core fields (flat list) to write with the state
--   att_state:  attempt record state for an open attempt (nil = no record)
--   att_extra:  extra attempt record fields
-- A flow member (core field `fl`, loaded by every field list that reaches
-- here) then resolves its outgoing edges in the same call
-- (X.flow_member_ended = D.member_ended, lib/75_edges.lua): that is the only way a member ends.
function X.terminal(T, eid, rec, now, outcome, fields, att_state, att_extra)
  X.finish(T, eid, rec, now, outcome, fields, att_state, att_extra)
  if rec.fl then X.flow_member_ended(T, rec.fl, eid, outcome, now) end
end

-- X.terminal without the flow step: the edges helper ends members itself
-- (skip, sibling cancel) and walks the cascade with its own bounded queue.
function X.finish(T, eid, rec, now, outcome, fields, att_state, att_extra)
  local now_s = U.istr(now)
  -- attempt_terminal once any attempt exists (an active execution always
  -- has one); otherwise the pending attempt_state is kept
  local ast = rec.ast
  if rec.phase == "active" or rec.ai or tonumber(rec.att or "0") > 0 then
    ast = "attempt_terminal"
  end
  local f = { "st", S.encode("terminal", "unowned", "not_applicable", "none", outcome, ast),
              "ended", now_s, "updated", now_s }
  for i = 1, #fields do f[#f + 1] = fields[i] end
  redis.call("HSET", K.core(eid), unpack(f))
  -- A running attempt that ends here is NOT copied into the attempts hash:
  -- the core keeps everything its record needs (ai/aid/aty/astart/epoch,
  -- the last worker, ended, reason/cat) and ff_describe derives it. That
  -- saves a key and a write on every finished execution. A paused attempt
  -- already has a record, which is updated.
  local running = rec.phase == "active" and rec.own == "leased"
  F.release(K.core(eid), rec, true, running)
  if att_state and X.open_attempt(rec) and not running then
    redis.call("HSET", K.attempts(eid), rec.ai or "0", F.attempt_json(rec, att_state, now, att_extra))
  end
  X.leave_current(T, eid, rec)
  -- the attempt's output stream closes with the attempt (a no-op when it
  -- was closed already, e.g. by a lease loss, or never streamed)
  SM.close(eid, rec.ai, now, (att_extra and att_extra.stream_reason) or SM.OUTCOME_REASON[outcome] or outcome)
  if rec.deadline then redis.call("ZREM", K.deadline(T), eid) end
  redis.call("ZADD", K.lane(T, rec.lane, S.terminal_index(outcome)), now_s, eid)
  -- A suspended execution loses its suspension and waitpoints; cancel and
  -- expiry also close pending waitpoints of a running one (complete/fail,
  -- the hot path, leave those to the pending-waitpoint expiry sweep).
  if rec.phase == "suspended" or outcome == "cancelled" or outcome == "expired" then
    X.close_waits(T, eid, now, CLOSE_REASON[outcome] or "terminal")
  end
  X.due_retention(T, now)
  -- Someone waits for this execution (ff_wait_mark): wake them. Unwaited
  -- executions (the hot path) pay nothing but the `wt` field of their load.
  if rec.wt then
    redis.call("HDEL", K.core(eid), "wt")
    N.done(T, eid)
  end
end

local PROMOTE_FIELDS = { "st", "pri", "created", "vt", "lane" }

-- Promote up to `limit` due entries of the lane's delayed index to eligible
-- (attempt_state preserved; dl kept as a record of the delay). Stale entries
-- are removed. Returns the number promoted.
function X.promote_due(T, lane, now, limit)
  local dkey = K.lane(T, lane, "delayed")
  local due = redis.call("ZRANGEBYSCORE", dkey, "-inf", U.istr(now), "LIMIT", 0, limit)
  local n = #due
  if n == 0 then return 0 end
  local now_s = U.istr(now)
  local moved = 0
  for i = 1, n do
    local eid = due[i]
    local rec, bad = F.load(K.core(eid), PROMOTE_FIELDS)
    if bad then X.quarantine(T, eid, nil, bad) end
    if rec and rec.phase == "runnable" and rec.elig == "not_eligible_until_time"
        and rec.lane == lane then
      redis.call("HSET", K.core(eid), "st",
                 S.encode("runnable", rec.own, "eligible_now", "waiting_for_worker",
                          rec.outcome, rec.ast),
                 "updated", now_s)
      S.enter_eligible(T, lane, S.score(rec), eid)
      moved = moved + 1
    end
  end
  redis.call("ZREM", dkey, unpack(due))
  return moved
end

-- Mark up to `limit` due leases of the partition expired (lease_expiry score
-- <= now); self-cleans stale entries. Returns the number marked.
function X.sweep_leases(T, now, limit)
  local lek = K.lease_expiry(T)
  local due = redis.call("ZRANGEBYSCORE", lek, "-inf", U.istr(now), "LIMIT", 0, limit)
  local marked = 0
  for i = 1, #due do
    local eid = due[i]
    local rec, bad = F.load(K.core(eid))
    if bad then X.quarantine(T, eid, nil, bad) end
    if rec == nil or rec.phase ~= "active" or rec.own ~= "leased" then
      redis.call("ZREM", lek, eid)
    elseif tonumber(rec.lexp or "0") <= now then
      F.interrupt(T, eid, rec, now, "lease_expired_reclaimable")
      marked = marked + 1
    else
      redis.call("ZADD", lek, rec.lexp, eid) -- renewed meanwhile: fix the score
    end
  end
  return marked
end

-- Expire (terminal "expired") the executions of timing index `zkey` whose
-- core field `field` is due; `need_running`: only running attempts count
-- (attempt timeout). Stale entries are removed or re-scored. Returns the
-- number expired.
function X.sweep_expire(T, zkey, now, limit, field, reason, need_running)
  local due = redis.call("ZRANGEBYSCORE", zkey, "-inf", U.istr(now), "LIMIT", 0, limit)
  local n = 0
  for i = 1, #due do
    local eid = due[i]
    local rec, bad = F.load(K.core(eid))
    if bad then X.quarantine(T, eid, nil, bad) end
    local at = rec and rec[field]
    local live = rec ~= nil and at ~= nil and rec.phase ~= "terminal"
    if live and need_running then live = rec.phase == "active" and rec.own == "leased" end
    if not live then
      redis.call("ZREM", zkey, eid)
    elseif tonumber(at) <= now then
      X.terminal(T, eid, rec, now, "expired", { "reason", reason, "cat", "timeout" },
                 "ended_failure", { failure_reason = reason, failure_category = "timeout" })
      n = n + 1
    else
      redis.call("ZADD", zkey, at, eid) -- stale score: fix it
    end
  end
  return n
end
