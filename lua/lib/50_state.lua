-- 50_state: the `st` state vector, public_state derivation, index naming.
--
-- st = "lifecycle_phase ownership_state eligibility_state blocking_reason
--       terminal_outcome attempt_state" (single spaces, snake_case values).

local S = {}

function S.encode(phase, own, elig, block, outcome, ast)
  return phase .. " " .. own .. " " .. elig .. " " .. block .. " " .. outcome .. " " .. ast
end

-- -> phase, own, elig, block, outcome, ast (all nil when st is malformed).
-- Memoised: there are only a few dozen distinct vectors.
local DECODED, NDECODED = {}, 0
function S.decode(st)
  if not st then return nil end
  local d = DECODED[st]
  if d then return d[1], d[2], d[3], d[4], d[5], d[6] end
  local a, b, c, e, f, g = string.match(st, "^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+)$")
  if a and NDECODED < 512 then
    DECODED[st] = { a, b, c, e, f, g }
    NDECODED = NDECODED + 1
  end
  return a, b, c, e, f, g
end

local TERMINAL_PUBLIC = { success = "completed", failed = "failed", cancelled = "cancelled",
                          expired = "expired", skipped = "skipped" }
local RUNNABLE_PUBLIC = { eligible_now = "waiting", not_eligible_until_time = "delayed",
                          blocked_by_dependencies = "waiting_children",
                          blocked_by_budget = "rate_limited", blocked_by_quota = "rate_limited",
                          blocked_by_route = "waiting", blocked_by_lane_state = "waiting",
                          blocked_by_operator = "waiting", not_applicable = "waiting" }
S.TERMINAL_PUBLIC = TERMINAL_PUBLIC

-- Anchor model 4.1: terminal -> by outcome (none -> failed); suspended ->
-- suspended; active -> active (whatever the ownership sub-state); runnable
-- -> by eligibility; submitted (or anything else) -> waiting.
function S.public(phase, elig, outcome)
  if phase == "terminal" then return TERMINAL_PUBLIC[outcome] or "failed" end
  if phase == "suspended" then return "suspended" end
  if phase == "active" then return "active" end
  if phase == "runnable" then return RUNNABLE_PUBLIC[elig] or "waiting" end
  return "waiting"
end

function S.public_of(st)
  local phase, _, elig, _, outcome = S.decode(st)
  return S.public(phase, elig, outcome)
end

-- The one lane index an execution in this state belongs to.
function S.index_of(phase, own, elig, outcome)
  if phase == "terminal" then
    if outcome == "success" then return "completed" end
    if TERMINAL_PUBLIC[outcome] then return outcome end
    return "failed"
  end
  if phase == "active" then
    if own == "leased" then return "active" end
    return "eligible" -- lease_expired_reclaimable / lease_revoked: reclaimable
  end
  if phase == "suspended" then return "suspended" end
  if phase == "runnable" and elig == "not_eligible_until_time" then return "delayed" end
  return "eligible"
end

function S.terminal_index(outcome)
  if outcome == "success" then return "completed" end
  return outcome
end

-- Frequently written vectors.
S.ST_ELIGIBLE_FIRST = S.encode("runnable", "unowned", "eligible_now", "waiting_for_worker",
                               "none", "pending_first_attempt")
S.ST_DELAYED_FIRST = S.encode("runnable", "unowned", "not_eligible_until_time", "waiting_for_delay",
                              "none", "pending_first_attempt")
S.ST_RUNNING = S.encode("active", "leased", "not_applicable", "none", "none", "running_attempt")

-- Eligible-index score: -(priority * 1e12) + created_at (lowest first =
-- highest priority, then FIFO by ORIGINAL creation time on every re-entry;
-- executions created in the same millisecond tie and are ordered by id).
-- Priority is clamped to 0..9000 so the value stays an exact double.
function S.score_of(pri, created)
  return U.istr(-(pri * 1000000000000) + created)
end

function S.score(rec)
  return S.score_of(tonumber(rec.pri or "0") or 0, tonumber(rec.created or "0") or 0)
end

function S.clamp_priority(p)
  if p < 0 then return 0 end
  if p > 9000 then return 9000 end
  return p
end

-- Add eid to its lane's eligible index. When the index goes from empty to
-- non-empty, PUBLISH on "ff:wake:<lane>" so idle workers blocked on that
-- channel claim at once (edge-triggered: a busy lane costs no publishes; the
-- workers' fallback poll covers a lost message).
function S.enter_eligible(T, lane, score, eid)
  local key = "ff:i:" .. T .. ":" .. lane .. ":eligible"
  if redis.call("ZADD", key, score, eid) == 1 and redis.call("ZCARD", key) == 1 then
    redis.call("PUBLISH", "ff:wake:" .. lane, T)
  end
end
