-- 77_budget: the execution partitions' side of budget blocking
-- (lua/budget.lua, docs/budgets.md). A budget lives on {b:M} and cannot be
-- read by a call on {fp:N}; its blocked state reaches each execution
-- partition as a mark (K.budget_marks(T): budget id -> "<generation>:<state>",
-- state 0 = room, 1 = block, 2 = cancel pending; written by ff_budget_mark).
-- The claim parks an execution that draws on a blocking budget in its lane's
-- "budget_blocked" index (public state rate_limited) instead of handing it
-- out, and remembers it in K.budget_wait(T, bid); unmarking moves those back
-- to eligible. An execution that draws on a cancelling budget is cancelled
-- instead of started (cby "budget", creason "budget_exceeded").

-- The first budget of a `bud` CSV marked 1 or 2 on T (a cancelling one
-- wins), and its state; nil when none.
function X.bud_blocked(T, csv)
  local marks = K.budget_marks(T)
  local found, mode = nil, nil
  for bid in string.gmatch(csv, "[^,]+") do
    local m = redis.call("HGET", marks, bid)
    local st = m and string.sub(m, -1)
    if st == "2" then return bid, "2" end
    if st == "1" and not found then found, mode = bid, "1" end
  end
  return found, mode
end

-- Cancel a not-yet-running execution its budget ran out for (the whole
-- terminal transition, flow edges included). Returns true when cancelled.
function X.bud_cancel(T, eid, now)
  local rec = F.load(K.core(eid))
  if not rec or rec.phase ~= "runnable" then return false end
  X.terminal(T, eid, rec, now, "cancelled", { "cby", "budget", "creason", "budget_exceeded" }, "ended_cancelled")
  return true
end

-- Park a runnable claim candidate held back by budget `bid` (nil = the
-- first of its marked budgets; the caller removes it from the eligible index). Its eligible score is kept as the
-- park score, so it returns to its place in the order.
function X.bud_park(T, eid, rec, bid, now)
  bid = bid or X.bud_blocked(T, rec.bud)
  local core = K.core(eid)
  local v = redis.call("HMGET", core, "pri", "created", "vt")
  local score = S.score_of(tonumber(v[1] or "0") or 0, tonumber(v[3] or v[2] or "0") or 0)
  redis.call("HSET", core, "st", S.encode("runnable", rec.own, "blocked_by_budget", "waiting_for_budget",
                                          rec.outcome, rec.ast), "updated", U.istr(now))
  redis.call("ZADD", K.lane(T, rec.lane, "budget_blocked"), score, eid)
  redis.call("SADD", K.budget_wait(T, bid), eid)
end

-- Return a parked execution to eligible unless another of its budgets is
-- still marked (then it waits for that one). Returns true when released.
function X.bud_unpark(T, eid, now)
  local core = K.core(eid)
  local rec = F.load(core, { "st", "lane", "pri", "created", "vt", "bud" })
  if not rec or rec.phase ~= "runnable" or rec.elig ~= "blocked_by_budget" then return false end
  local other, mode = nil, nil
  if rec.bud then other, mode = X.bud_blocked(T, rec.bud) end
  if mode == "2" then return false, X.bud_cancel(T, eid, now) end
  if other then
    redis.call("SADD", K.budget_wait(T, other), eid)
    return false
  end
  redis.call("HSET", core, "st", S.encode("runnable", rec.own, "eligible_now", "waiting_for_worker",
                                          rec.outcome, rec.ast), "updated", U.istr(now))
  redis.call("ZREM", K.lane(T, rec.lane, "budget_blocked"), eid)
  S.enter_eligible(T, rec.lane, S.score(rec), eid)
  return true
end
