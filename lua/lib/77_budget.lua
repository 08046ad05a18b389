-- 77_budget: the execution partitions' side of budget blocking
-- (lua/budget.lua, docs/budgets.md). A budget lives on {b:M} and cannot be
-- read by a call on {fp:N}; its blocked state reaches each execution
-- partition as a mark (K.budget_marks(T): budget id -> "<generation>:<0|1>",
-- written by ff_budget_mark). The claim parks an execution that draws on a
-- marked budget in its lane's "budget_blocked" index (public state
-- rate_limited) instead of handing it out, and remembers it in
-- K.budget_wait(T, bid); unmarking moves those back to eligible.

-- The first budget of a `bud` CSV that is marked blocked on T, or nil.
function X.bud_blocked(T, csv)
  local marks = K.budget_marks(T)
  for bid in string.gmatch(csv, "[^,]+") do
    local m = redis.call("HGET", marks, bid)
    if m and string.sub(m, -2) == ":1" then return bid end
  end
  return nil
end

-- Park a runnable claim candidate held back by budget `bid` (nil = the
-- first of its marked budgets; the caller removes it from the eligible index). Its eligible score is kept as the
-- park score, so it returns to its place in the order.
function X.bud_park(T, eid, rec, bid, now)
  bid = bid or X.bud_blocked(T, rec.bud)
  local core = K.core(eid)
  local v = redis.call("HMGET", core, "pri", "created")
  local score = S.score_of(tonumber(v[1] or "0") or 0, tonumber(v[2] or "0") or 0)
  redis.call("HSET", core, "st", S.encode("runnable", rec.own, "blocked_by_budget", "waiting_for_budget",
                                          rec.outcome, rec.ast), "updated", U.istr(now))
  redis.call("ZADD", K.lane(T, rec.lane, "budget_blocked"), score, eid)
  redis.call("SADD", K.budget_wait(T, bid), eid)
end

-- Return a parked execution to eligible unless another of its budgets is
-- still marked (then it waits for that one). Returns true when released.
function X.bud_unpark(T, eid, now)
  local core = K.core(eid)
  local rec = F.load(core, { "st", "lane", "pri", "created", "bud" })
  if not rec or rec.phase ~= "runnable" or rec.elig ~= "blocked_by_budget" then return false end
  local other = rec.bud and X.bud_blocked(T, rec.bud)
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
