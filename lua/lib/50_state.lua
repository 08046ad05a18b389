-- 50_state: the `st` state vector, public_state derivation, index naming.
--
-- The six stored dimensions (lifecycle_phase ownership_state
-- eligibility_state blocking_reason terminal_outcome attempt_state) are kept
-- in ONE core field, `st`, as short codes joined by "." (e.g.
-- "r.u.en.w.-.pf"). Short matters: Redis keeps a hash compact (listpack)
-- only while every value is <= 64 bytes, and the full names (71 bytes) would
-- triple the memory of every execution. Callers only ever see full names:
-- S.encode takes them, S.decode returns them.

local S = {}

local CODES = {
  -- lifecycle_phase
  submitted = "s", runnable = "r", active = "a", suspended = "p", terminal = "t",
  -- ownership_state
  unowned = "u", leased = "l", lease_expired_reclaimable = "x", lease_revoked = "v",
  -- eligibility_state
  eligible_now = "en", not_eligible_until_time = "nt", blocked_by_dependencies = "bd",
  blocked_by_budget = "bb", blocked_by_quota = "bq", blocked_by_route = "br",
  blocked_by_lane_state = "bl", blocked_by_operator = "bo", not_applicable = "na",
  -- blocking_reason
  none = "-", waiting_for_worker = "w", waiting_for_retry_backoff = "wr",
  waiting_for_resume_delay = "wd", waiting_for_delay = "dl", waiting_for_signal = "ws",
  waiting_for_approval = "wa", waiting_for_callback = "wc", waiting_for_tool_result = "wt",
  waiting_for_children = "wh", waiting_for_budget = "wb", waiting_for_quota = "wq",
  waiting_for_capable_worker = "wk", waiting_for_locality_match = "wl",
  paused_by_operator = "po", paused_by_policy = "pp", paused_by_flow_cancel = "pf",
  -- terminal_outcome ("none" shares "-")
  success = "ok", failed = "f", cancelled = "c", expired = "e", skipped = "k",
  -- attempt_state
  pending_first_attempt = "p1", running_attempt = "ra", attempt_interrupted = "ai",
  pending_retry_attempt = "pr", pending_replay_attempt = "pl", attempt_terminal = "at",
}
-- Codes are unique per dimension; "-" (none) is the only code shared by two
-- dimensions, and it means "none" in both.
-- code -> name, built on first use (library load time cannot iterate).
local NAMES = nil
local function names()
  if NAMES == nil then
    NAMES = {}
    for name, code in pairs(CODES) do NAMES[code] = name end
    NAMES["-"] = "none"
  end
  return NAMES
end
S.CODES = CODES

function S.encode(phase, own, elig, block, outcome, ast)
  return CODES[phase] .. "." .. CODES[own] .. "." .. CODES[elig] .. "." .. CODES[block] .. "."
         .. CODES[outcome] .. "." .. CODES[ast]
end

-- -> phase, own, elig, block, outcome, ast as full names (all nil when st is
-- malformed). Memoised: there are only a few dozen distinct vectors.
local DECODED, NDECODED = {}, 0
function S.decode(st)
  if not st then return nil end
  local d = DECODED[st]
  if d then return d[1], d[2], d[3], d[4], d[5], d[6] end
  local a, b, c, e, f, g = string.match(st, "^([^.]+)%.([^.]+)%.([^.]+)%.([^.]+)%.([^.]+)%.([^.]+)$")
  if not a then return nil end
  local N = names()
  a, b, c, e, f, g = N[a], N[b], N[c], N[e], N[f], N[g]
  if not (a and b and c and e and f and g) then return nil end
  if NDECODED < 512 then
    DECODED[st] = { a, b, c, e, f, g }
    NDECODED = NDECODED + 1
  end
  return a, b, c, e, f, g
end

-- The full-name form ("runnable unowned eligible_now ...") reported by
-- describe.
function S.expand(st)
  local a, b, c, e, f, g = S.decode(st)
  if not a then return st end
  return a .. " " .. b .. " " .. c .. " " .. e .. " " .. f .. " " .. g
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
  -- a flow member waiting for its dependencies: claim never looks here
  -- (lib/75_edges.lua)
  if phase == "runnable" and elig == "blocked_by_dependencies" then return "blocked" end
  -- held back by a blocked budget (lib/77_budget.lua): claim never looks here
  -- the lane's one "rate_limited" index also holds what a quota or a group
  -- pause holds back (lib/58_quota.lua)
  if phase == "runnable" and (elig == "blocked_by_budget" or elig == "blocked_by_quota") then
    return "budget_blocked"
  end
  -- no live worker has the capabilities it needs (lib/78_route.lua):
  -- claim never looks here
  if phase == "runnable" and elig == "blocked_by_route" then return "route_blocked" end
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

-- An execution with a fair tag (`vt`, lib/58_quota.lua) is ordered by it
-- instead of its creation time.
function S.score(rec)
  return S.score_of(tonumber(rec.pri or "0") or 0, tonumber(rec.vt or rec.created or "0") or 0)
end

-- Whether an operator paused `lane` (lua/lanes.lua): a paused lane leases
-- nothing, by plain or targeted claim, until it is resumed.
function S.lane_paused(T, lane)
  return redis.call("HEXISTS", K.lanes_paused(T), lane) == 1
end

function S.clamp_priority(p)
  if p < 0 then return 0 end
  if p > 9000 then return 9000 end
  return p
end

-- Add eid to its lane's eligible index. When the index goes from empty to
-- non-empty, publish the lane on the partition's wake-up channel so idle
-- workers claim at once (edge-triggered: a busy lane costs no publishes; the
-- workers' fallback poll covers a lost message). Callers ran N.guard.
function S.enter_eligible(T, lane, score, eid)
  local key = K.lane(T, lane, "eligible")
  if redis.call("ZADD", key, score, eid) == 1 and redis.call("ZCARD", key) == 1 then
    N.wake(T, lane)
  end
end
