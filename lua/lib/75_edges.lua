-- 75_edges: flow membership and dependency resolution, shared by the flow
-- calls (flow.lua) and by every terminal transition of a member.
--
-- A flow id is "{fp:N}:<uuid>", like an execution id, and its members are
-- minted on the same partition, so one call can touch a member, the edges
-- around it and the members downstream of it (DESIGN §5.3). Records:
--   K.flow(fid)          HASH created, rev (graph revision), nodes, edges,
--                        done (ended members), n_<outcome> (ended per
--                        outcome), started (members that ever ran), mm / mi
--                        (limits), lane (where the id was minted), cancelled /
--                        cpol / creason (ff_flow_cancel: when, policy, why),
--                        par (a child flow: the execution that spawned it),
--                        sealed (a child flow: when its parent started to
--                        wait; no member joins after), settled (when every
--                        member had ended and the state was final), wt (an
--                        ff_flow_wait is waiting: publish ff:done when settled)
--   K.child_flows(eid)   SET the child flows a parent spawned (wait_children)
--   K.flows_ended(T)     ZSET settled flow -> settled ms (flow retention)
--   K.flow_feed(T)       STREAM the completion feed: one entry per member
--                        ending (f, e, o = outcome) and one per flow settling
--                        (f, e = "", o = the flow state)
--   K.flow_members(fid)  SET member ids
--   K.flow_edges(fid)    SET edge ids
--   K.flow_edge(fid, id) HASH up, down, state (pending|satisfied|impossible),
--                        data ("1": the downstream may read the upstream's
--                        result), created, resolved, uo (upstream outcome)
--   K.flow_out(fid, up)  HASH downstream -> edge id
--   K.flow_in(fid, down) HASH upstream -> edge id
--   K.flow_group(fid, d) HASH pol (all_of|any_of|quorum), k, os
--                        (cancel_remaining|let_run), n, sat, fail, state
--                        (pending|satisfied|impossible)
--   core field `fl`      the member's flow id
--
-- A member whose group is pending is runnable / blocked_by_dependencies /
-- waiting_for_children, in its lane's "blocked" index (never claimed). The
-- member's terminal transition (X.terminal) resolves its outgoing edges in
-- the same call: satisfied on success, impossible otherwise; a satisfied
-- group makes the downstream eligible (waking its lane), an impossible one
-- skips it (terminal "skipped"), which resolves the skipped member's own
-- edges in turn. At most D.bound(T) edges are resolved per call; the rest of
-- the cascade waits in the partition's backlog (K.flow_backlog, durable: a
-- SET of ended members whose edges are not all resolved), which the engine's
-- sweep continues. Resolving an edge is idempotent (its state is checked
-- first), so a repeat never counts twice.

local D = {}

D.MAX_WORK = 256             -- edge resolutions per call (documented in docs/flows.md)
D.DEFAULT_MAX_MEMBERS = 1000 -- members per flow unless the flow says otherwise
D.MAX_MEMBERS = 10000
D.DEFAULT_MAX_IN = 100       -- incoming edges per member
D.MAX_IN = 1000
D.CYCLE_VISIT_MAX = 10000    -- nodes the cycle check walks at most
D.SUBMIT_MAX_MEMBERS = 500   -- members of one ff_flow_submit (docs/flows.md "Limits")
D.SUBMIT_MAX_EDGES = 2000    -- edges of one ff_flow_submit

D.FLOW_INT_FIELDS = { "created", "rev", "nodes", "edges", "done", "started", "mm", "mi",
                      "n_success", "n_failed", "n_cancelled", "n_expired", "n_skipped" }
D.OUTCOMES = { "success", "failed", "cancelled", "expired", "skipped" }
D.EDGE_STATES = { pending = true, satisfied = true, impossible = true }
D.POLICIES = { all_of = true, any_of = true, quorum = true }
D.ON_SATISFIED = { cancel_remaining = true, let_run = true }

-- Partition tag of a flow id, or nil plus an invalid_input reply.
function D.fid_tag(fid, what)
  local n = type(fid) == "string" and string.match(fid, U.EID_PAT)
  if not n or string.lower(fid) ~= fid or #n > 5 or tonumber(n) > 65535
      or (#n > 1 and string.byte(n, 1) == 48) then
    return nil, U.err("invalid_input", (what or "flow_id") .. ": malformed (expected {fp:N}:<uuid>)")
  end
  return "{fp:" .. n .. "}"
end

-- The flow record as a table of integers (plus lane / cancelled), nil when
-- absent, or nil plus a corrupt_record reply naming the bad field.
function D.load_flow(fid)
  local fk = K.flow(fid)
  local names = D.FLOW_INT_FIELDS
  local v = redis.call("HMGET", fk, unpack(names))
  if not v[1] then
    if redis.call("EXISTS", fk) == 1 then return nil, U.corrupt(fk, "created", "") end
    return nil
  end
  local f = {}
  for i = 1, #names do
    local x = v[i]
    if x == false or x == nil or x == "" then
      f[names[i]] = 0
    else
      local n = U.parse_int(x)
      if n == nil then return nil, U.corrupt(fk, names[i], x) end
      f[names[i]] = n
    end
  end
  local extra = redis.call("HMGET", fk, "lane", "cancelled", "par", "sealed")
  f.lane = extra[1] or ""
  f.cancelled = extra[2] or nil
  f.par = extra[3] or nil
  f.sealed = extra[4] or nil
  return f
end

-- Derived flow state, from the counters kept on write (never a member scan).
-- completed: every member ended and none failed, expired or was skipped;
-- failed: every member ended and one of them did; running: a member ran or
-- ended; open: nothing happened yet. A child flow whose parent has not
-- started to wait (not sealed) may still grow: until then it is running.
function D.state_of(f)
  if f.cancelled then return "cancelled" end
  if f.nodes > 0 and f.done >= f.nodes and (f.sealed or not f.par) then
    if f.n_failed + f.n_expired + f.n_skipped > 0 then return "failed" end
    return "completed"
  end
  if f.started > 0 or f.done > 0 then return "running" end
  return "open"
end

function D.terminal_state(st)
  return st == "completed" or st == "failed" or st == "cancelled"
end

-- Settled: the state is final AND every member ended (a cancelled flow
-- with members still running is not settled yet).
function D.settled(f)
  return f.done >= f.nodes and D.terminal_state(D.state_of(f))
end

-- May eid join flow fid now? Returns the flow table, or nil plus the reply
-- (flow_not_found, flow_already_terminal, flow_limit_exceeded, corrupt).
function D.join_check(fid)
  local f, bad = D.load_flow(fid)
  if not f then return nil, bad or U.err("flow_not_found") end
  local st = D.state_of(f)
  if D.terminal_state(st) then return nil, U.err("flow_already_terminal", st) end
  if f.sealed then return nil, U.err("flow_already_terminal", "sealed (its parent waits for its children)") end
  if f.nodes >= f.mm then return nil, U.err("flow_limit_exceeded", "members", U.istr(f.mm)) end
  return f
end

-- A flow's budget list argument: "" or a CSV of at most 16 distinct budget
-- ids (the rules of the policy's "budgets"). Returns the CSV, or nil plus
-- the invalid_input reply.
function D.budgets_arg(csv)
  if csv == "" then return "" end
  local seen, n = {}, 0
  for b in string.gmatch(csv .. ",", "([^,]*),") do
    if #b < 1 or #b > 128 or not string.find(b, "^[%w_%.:%-]+$") then
      return nil, U.err("invalid_input", "budgets: ids of 1..128 bytes of [A-Za-z0-9_.:-], comma-separated")
    end
    if seen[b] then return nil, U.err("invalid_input", "budgets: " .. b .. " given twice") end
    seen[b] = true
    n = n + 1
  end
  if n > 16 then return nil, U.err("invalid_input", "budgets: at most 16") end
  return csv
end

-- A member draws on its flow's budgets besides its own: merge the flow's
-- CSV @p fbud into the member's core `bud` (its own first, each id once).
function D.inherit_budgets(fbud, eid)
  local core = K.core(eid)
  local own = redis.call("HGET", core, "bud")
  local list, seen = {}, {}
  for _, csv in ipairs({ own or "", fbud }) do
    for b in string.gmatch(csv, "[^,]+") do
      if not seen[b] then
        seen[b] = true
        list[#list + 1] = b
      end
    end
  end
  redis.call("HSET", core, "bud", table.concat(list, ","))
end

-- Record eid as a member (join_check passed). rec: the member's core (nil
-- for one just created): an ended or started member is counted as such.
function D.join(fid, eid, rec)
  local fk = K.flow(fid)
  redis.call("SADD", K.flow_members(fid), eid)
  redis.call("HSET", K.core(eid), "fl", fid)
  local fbud = redis.call("HGET", fk, "bud")
  if fbud then D.inherit_budgets(fbud, eid) end
  redis.call("HINCRBY", fk, "nodes", 1)
  local rev = redis.call("HINCRBY", fk, "rev", 1)
  if rec then
    if rec.started then redis.call("HINCRBY", fk, "started", 1) end
    if rec.phase == "terminal" then
      D.count_end(fid, rec.outcome)
      D.check_settled(D.fid_tag(fid), fid, U.now_ms())
    end
  end
  return rev
end

function D.count_end(fid, outcome)
  local fk = K.flow(fid)
  redis.call("HINCRBY", fk, "n_" .. outcome, 1)
  return redis.call("HINCRBY", fk, "done", 1)
end

D.FEED_MAXLEN = 1000000 -- entries per partition the engine's sweep keeps at most (D.trim_feed)

-- Append to the feed; a waiting reader (ff_flow_feed_mark set `ffw` in
-- the due record) is woken on ff:done:{fp:N} with the stream's key.
local function feed(T, fid, eid, what)
  local fk = K.flow_feed(T)
  redis.call("XADD", fk, "*", "f", fid, "e", eid, "o", what)
  if redis.call("HDEL", K.due(T), "ffw") == 1 then N.done(T, fk) end
end

-- A member transition ended eid with `outcome`: count it, append it to the
-- completion feed, and settle the flow when it was the last one.
function D.ended(T, fid, eid, outcome, now)
  local done = D.count_end(fid, outcome)
  feed(T, fid, eid, outcome)
  if done >= (tonumber(redis.call("HGET", K.flow(fid), "nodes") or "0") or 0) then
    D.check_settled(T, fid, now)
  end
end

-- The flow may have settled (last member ended, cancelled, sealed): the
-- first time it is, record it for retention, append the flow's final state
-- to the feed, wake an ff_flow_wait and the parent of a child flow.
function D.check_settled(T, fid, now)
  local f = D.load_flow(fid)
  if not f or not D.settled(f) then return end
  if redis.call("ZADD", K.flows_ended(T), "NX", U.istr(now), fid) == 0 then return end
  local fk = K.flow(fid)
  local st = D.state_of(f)
  redis.call("HSET", fk, "settled", U.istr(now))
  feed(T, fid, "", st)
  if redis.call("HDEL", fk, "wt") == 1 then N.done(T, fid) end
  if f.par then X.wake_parent(T, f.par, now) end
end

-- A member was replayed out of a terminal state: it no longer counts as
-- ended, and a settled flow is running again. (Its edges keep their states:
-- a replay reruns the member only.)
function D.member_replayed(fid, outcome)
  local fk = K.flow(fid)
  if redis.call("EXISTS", fk) == 0 then return end
  redis.call("HINCRBY", fk, "done", -1)
  redis.call("HINCRBY", fk, "n_" .. outcome, -1)
  local T = D.fid_tag(fid)
  if T and redis.call("ZREM", K.flows_ended(T), fid) == 1 then redis.call("HDEL", fk, "settled") end
end

-- A member ran for the first time.
function D.member_started(fid)
  redis.call("HINCRBY", K.flow(fid), "started", 1)
end

-- The work bound of this call: D.MAX_WORK, or a lower one stored in the
-- partition's due record (field `fwb`; tests use it to force the backlog).
function D.bound(T)
  local b = tonumber(redis.call("HGET", K.due(T), "fwb") or "")
  if b and b >= 1 and b < D.MAX_WORK then return math.floor(b) end
  return D.MAX_WORK
end

-- ------------------------------------------------------- moving members

local HOLD_FIELDS = { "st", "lane", "pri", "created", "vt" }

-- Block a waiting member on its dependencies (runnable, not yet started).
function D.block(T, eid, rec, now)
  redis.call("HSET", K.core(eid), "st",
             S.encode("runnable", "unowned", "blocked_by_dependencies", "waiting_for_children",
                      "none", rec.ast), "updated", U.istr(now))
  redis.call("ZREM", K.lane(T, rec.lane, "eligible"), eid)
  redis.call("ZADD", K.lane(T, rec.lane, "blocked"), rec.created or U.istr(now), eid)
end

-- Release a blocked member: eligible, its lane woken (S.enter_eligible). A
-- member that is anything but blocked (terminal included) is left alone, so
-- a late satisfy never touches an ended member.
function D.release(T, eid, now)
  local rec = F.load(K.core(eid), HOLD_FIELDS)
  if not rec or rec.phase ~= "runnable" or rec.elig ~= "blocked_by_dependencies" then return end
  redis.call("HSET", K.core(eid), "st",
             S.encode("runnable", "unowned", "eligible_now", "waiting_for_worker", "none", rec.ast),
             "updated", U.istr(now))
  redis.call("ZREM", K.lane(T, rec.lane, "blocked"), eid)
  S.enter_eligible(T, rec.lane, S.score(rec), eid)
end

-- End a member as part of the cascade (skip, sibling cancel); the caller's
-- queue then resolves its own outgoing edges.
local function end_member(T, fid, eid, now, outcome, fields, reason, queue)
  local rec = F.load(K.core(eid))
  if not rec or rec.phase == "terminal" then return end
  X.finish(T, eid, rec, now, outcome, fields, "ended_cancelled", { failure_reason = reason })
  D.ended(T, fid, eid, outcome, now)
  queue[#queue + 1] = eid
end

-- Cancel the members upstream of `down` whose edge into it is unresolved,
-- each one a unit of the call's work (ctx.work against ctx.budget); when the
-- budget runs out the rest waits in the partition's sibling backlog
-- ("fid|down|reason", K.flow_sib_backlog), which the engine's sweep goes on
-- with. The group has fired already, so nothing else depends on when.
local function cancel_siblings(T, fid, down, now, reason, queue, ctx)
  local ins = redis.call("HGETALL", K.flow_in(fid, down))
  for j = 1, #ins, 2 do
    if redis.call("HGET", K.flow_edge(fid, ins[j + 1]), "state") == "pending" then
      local rec = F.load(K.core(ins[j]), { "st" })
      if rec and rec.phase ~= "terminal" then
        if ctx.work >= ctx.budget then
          redis.call("SADD", K.flow_sib_backlog(T), fid .. "|" .. down .. "|" .. reason)
          X.due(T, now)
          return
        end
        end_member(T, fid, ins[j], now, "cancelled", { "cby", "flow", "creason", reason }, reason, queue)
        ctx.work = ctx.work + 1
      end
    end
  end
end

-- ----------------------------------------------------------- resolution

-- Group verdict: "satisfied", "impossible" or nil (still pending).
function D.verdict(pol, k, n, sat, fail)
  if pol == "all_of" or pol == nil then k = n end
  if sat >= k then return "satisfied" end
  if fail > n - k then return "impossible" end
  return nil
end

-- Resolve one edge whose upstream ended with `outcome`. Returns true when
-- the edge was pending (work done), false when it was resolved already.
-- ctx {work, budget}: the call's work so far and its bound (sibling cancels
-- count against it).
function D.resolve(T, fid, edge, outcome, now, queue, ctx)
  local ek = K.flow_edge(fid, edge)
  local v = redis.call("HMGET", ek, "state", "down")
  if v[1] ~= "pending" or not v[2] then return false end
  local down = v[2]
  local ok = outcome == "success"
  redis.call("HSET", ek, "state", ok and "satisfied" or "impossible", "resolved", U.istr(now),
             "uo", outcome)
  local gk = K.flow_group(fid, down)
  local g = redis.call("HMGET", gk, "pol", "k", "os", "n", "sat", "fail", "state")
  local sat = tonumber(g[5] or "0") or 0
  local fail = tonumber(g[6] or "0") or 0
  if ok then sat = sat + 1 else fail = fail + 1 end
  redis.call("HSET", gk, ok and "sat" or "fail", U.istr(ok and sat or fail))
  -- once fired, a group never changes its downstream again
  if g[7] ~= "pending" then return true end
  local pol = g[1] or "all_of"
  local verdict = D.verdict(pol, tonumber(g[2] or "1") or 1, tonumber(g[4] or "0") or 0, sat, fail)
  if verdict == nil then return true end
  redis.call("HSET", gk, "state", verdict, "fired", U.istr(now))
  if verdict == "satisfied" then
    D.release(T, down, now)
  else
    end_member(T, fid, down, now, "skipped", { "reason", "dependency_impossible", "cat", "dependency" },
               "dependency_impossible", queue)
  end
  if pol ~= "all_of" and g[3] == "cancel_remaining" then
    cancel_siblings(T, fid, down, now,
                    verdict == "satisfied" and "sibling_quorum_satisfied" or "sibling_quorum_impossible", queue, ctx)
  end
  return true
end

-- Resolve the outgoing edges of the ended members in `queue` (and of every
-- member the cascade ends on the way), at most `budget` units of work (an
-- edge resolved, a sibling cancelled); what is left goes to the partition's
-- backlogs. Returns the work done.
function D.drain(T, queue, now, budget)
  local ctx = { work = 0, budget = budget }
  local i = 1
  local bk = K.flow_backlog(T)
  while i <= #queue do
    local up = queue[i]
    local v = redis.call("HMGET", K.core(up), "fl", "st")
    local outcome = nil
    if v[2] then
      local _, _, _, _, o = S.decode(v[2])
      outcome = o
    end
    local finished = true
    if v[1] and outcome and outcome ~= "none" then
      local out = redis.call("HGETALL", K.flow_out(v[1], up))
      for j = 2, #out, 2 do
        if ctx.work >= ctx.budget then finished = false; break end
        if D.resolve(T, v[1], out[j], outcome, now, queue, ctx) then ctx.work = ctx.work + 1 end
      end
    end
    if not finished then
      local rest = {}
      for k = i, #queue do rest[#rest + 1] = queue[k] end
      redis.call("SADD", bk, unpack(rest))
      X.due(T, now)
      return ctx.work
    end
    redis.call("SREM", bk, up)
    i = i + 1
  end
  return ctx.work
end

-- X.terminal of a member: count it, resolve its edges.
function D.member_ended(T, fid, eid, outcome, now)
  if redis.call("EXISTS", K.flow(fid)) == 0 then return end
  D.ended(T, fid, eid, outcome, now)
  D.drain(T, { eid }, now, D.bound(T))
end

-- The engine sweep's part: continue the sibling cancels, then the edge
-- backlog, within one call's bound. Returns the work done and whether a
-- backlog remains.
function D.sweep_backlog(T, now, limit)
  local bk, sk = K.flow_backlog(T), K.flow_sib_backlog(T)
  local budget = D.bound(T)
  local ctx, queue = { work = 0, budget = budget }, {}
  local sibs = redis.call("SRANDMEMBER", sk, limit)
  for i = 1, #sibs do
    if ctx.work >= ctx.budget then break end
    local fid, down, reason = string.match(sibs[i], "^([^|]+)|([^|]+)|([^|]+)$")
    redis.call("SREM", sk, sibs[i])
    if fid and redis.call("EXISTS", K.flow(fid)) == 1 then
      cancel_siblings(T, fid, down, now, reason, queue, ctx) -- puts itself back when cut short
    end
  end
  local work = ctx.work
  local ids = redis.call("SRANDMEMBER", bk, limit)
  for i = 1, #ids do queue[#queue + 1] = ids[i] end
  if #queue > 0 then work = work + D.drain(T, queue, now, math.max(budget - ctx.work, 0)) end
  return work, redis.call("SCARD", bk) > 0 or redis.call("SCARD", sk) > 0
end

D.PURGE_KEYS = 20000 -- keys one sweep deletes for flow retention, about (a flow is never split)

-- Retention: delete every key of the flows that settled before `cutoff` (at
-- most `limit` flows, about D.PURGE_KEYS keys); the members themselves are
-- executions and go by the execution retention (they ended before the flow
-- settled). A flow running again (a member replayed) only leaves the index.
-- Returns the flows deleted and whether more are due.
function D.purge_settled(T, cutoff, limit)
  local zk = K.flows_ended(T)
  local due = redis.call("ZRANGEBYSCORE", zk, "-inf", U.istr(cutoff), "LIMIT", 0, limit)
  local n, deleted = 0, 0
  for i = 1, #due do
    local fid = due[i]
    local f = D.load_flow(fid)
    if not f or not D.settled(f) then
      -- gone, corrupt (describe_flow names the field) or running again
      redis.call("ZREM", zk, fid)
    else
      local cost = 3 * f.nodes + f.edges + 3
      if deleted > 0 and deleted + cost > D.PURGE_KEYS then return n, true end
      local members = redis.call("SMEMBERS", K.flow_members(fid))
      for j = 1, #members do
        local m = members[j]
        redis.call("DEL", K.flow_out(fid, m), K.flow_in(fid, m), K.flow_group(fid, m))
        redis.call("HDEL", K.core(m), "fl")
      end
      local edges = redis.call("SMEMBERS", K.flow_edges(fid))
      for j = 1, #edges do redis.call("DEL", K.flow_edge(fid, edges[j])) end
      redis.call("DEL", K.flow(fid), K.flow_members(fid), K.flow_edges(fid))
      redis.call("ZREM", K.flows(T), fid)
      redis.call("ZREM", zk, fid)
      deleted = deleted + cost
      n = n + 1
    end
  end
  return n, #due >= limit
end

-- Retention of the completion feed: entries older than cutoff go, and at
-- most D.FEED_MAXLEN are kept (the oldest go first), at most `limit` + 1
-- entries per call. The id of the newest entry deleted is kept in the due
-- record (`ftrim`) so a reader behind it learns that it missed entries
-- (XINFO's max-deleted-entry-id only follows XDEL, not trimming).
function D.trim_feed(T, cutoff, limit)
  local fk = K.flow_feed(T)
  local n = redis.call("XLEN", fk)
  if n == 0 then return end
  local over = n - D.FEED_MAXLEN
  local old = redis.call("XRANGE", fk, "-", U.istr(cutoff > 0 and cutoff - 1 or 0), "COUNT", limit)
  local k = #old
  if over > k then
    old = redis.call("XRANGE", fk, "-", "+", "COUNT", math.min(over, 10 * limit))
    k = #old
  end
  if k == 0 then return end
  local last = old[k][1]
  redis.call("XTRIM", fk, "MINID", "=", last)
  redis.call("XDEL", fk, last)
  redis.call("HSET", K.due(T), "ftrim", last)
end

X.flow_member_ended = D.member_ended
