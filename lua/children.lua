-- children.lua: child flows (wait_children). A running execution spawns
-- child flows (ff_flow_submit with a parent: a whole sub-DAG, minted on the
-- parent's partition) and then waits for them: ff_wait_children seals its
-- child flows (no member joins after), releases the lease and suspends with
-- blocking reason waiting_for_children. The ending of the last child settles
-- its flow (D.check_settled, lib/75_edges.lua), which resumes the parent
-- (X.wake_parent, lib/80_wait.lua) in the same call: the parent is claimed
-- again as a "resumed" claim of the SAME attempt and reads its children with
-- ff_flow_children.

local CH = {
  MAX_CHILD_FLOWS = 64,                -- child flows one execution may spawn
  MAX_TIMEOUT = 1000000000000000,
  BEHAVIORS = { fail = true, cancel = true, expire = true, auto_resume = true, escalate = true },
}

-- Checks of ff_flow_submit's parent argument, before any write: the parent
-- exists, is running (an active attempt spawns its children) and is on the
-- flow's partition T; at most CH.MAX_CHILD_FLOWS child flows each.
-- Returns true or nil plus the reply.
function X.child_flow_check(T, parent)
  local PT, e = D.fid_tag(parent, "parent")
  if not PT then return nil, e end
  if PT ~= T then return nil, U.err("partition_mismatch", "parent is on " .. PT .. ", the flow on " .. T) end
  local rec
  rec, e = F.must(K.core(parent), { "st" })
  if not rec then return nil, e end
  if rec.phase ~= "active" then return nil, F.not_active(rec) end
  if redis.call("SCARD", K.child_flows(parent)) >= CH.MAX_CHILD_FLOWS then
    return nil, U.err("flow_limit_exceeded", "child_flows", U.istr(CH.MAX_CHILD_FLOWS))
  end
  return true
end

-- The write half: the flow record names its parent, the parent its flow.
function X.child_flow_link(fid, parent)
  redis.call("HSET", K.flow(fid), "par", parent)
  redis.call("SADD", K.child_flows(parent), fid)
end

-- KEYS core; ARGV eid, lease_id, epoch, attempt_id, timeout_ms, behavior.
--- @function ff_wait_children
--- @mode write
--- @summary Seal the execution's child flows and, unless they all settled, release the lease and wait for them.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg timeout_ms int 1..10^15, "" = wait without a timeout
--- @arg behavior string fail|cancel|expire|auto_resume|escalate on timeout ("" = fail)
--- @reply outcome string suspended|already_satisfied (every child flow settled: the lease is kept)
--- @reply suspension_id string per-execution sequence
--- @reply child_flows int child flows waited for
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease, already_suspended, no_children
local function ff_wait_children(keys, args)
  local T, epoch = F.prologue(keys, args, 6)
  if not T then return epoch end
  local eid, lid, aid = args[1], args[2], args[4]
  local timeout = nil
  if args[5] ~= "" then
    timeout = U.parse_int_range(args[5], 1, CH.MAX_TIMEOUT)
    if timeout == nil then return U.err("invalid_input", "timeout_ms: integer 1..10^15 or empty") end
  end
  local behavior = args[6] == "" and "fail" or args[6]
  if not CH.BEHAVIORS[behavior] then
    return U.err("invalid_input", "behavior: fail, cancel, expire, auto_resume or escalate")
  end
  if args[6] ~= "" and not timeout then return U.err("invalid_input", "behavior: needs timeout_ms") end
  local now = U.now_ms()
  local rec, e = F.check(T, eid, lid, epoch, aid, now)
  if not rec then return e end
  local skey = K.susp(eid)
  local sv = redis.call("HMGET", skey, "state", "id")
  if sv[1] == "open" then return U.err("already_suspended") end
  local cf = redis.call("SMEMBERS", K.child_flows(eid))
  if #cf == 0 then return U.err("no_children", "spawn child flows first (ff_flow_submit with a parent)") end
  table.sort(cf)
  local flows = {}
  for i = 1, #cf do
    local f, bad = D.load_flow(cf[i])
    if bad then return bad end
    flows[i] = f -- nil: deleted by retention, so long settled
  end

  -- writes
  local now_s = U.istr(now)
  local pending = 0
  for i = 1, #cf do
    local f = flows[i]
    if f then
      if not f.sealed then
        redis.call("HSET", K.flow(cf[i]), "sealed", now_s)
        f.sealed = now_s
        D.check_settled(T, cf[i], now) -- may have settled by sealing
      end
      if not D.settled(f) then pending = pending + 1 end
    end
  end
  local sid = U.istr((tonumber(sv[2] or "0") or 0) + 1)
  if pending == 0 then return U.ok("already_satisfied", sid, U.istr(#cf)) end
  W.suspend(T, eid, rec, now, "waiting_for_children", timeout and now + timeout)
  redis.call("DEL", skey, K.sat(eid))
  redis.call("HSET", skey, "id", sid, "ai", rec.ai or "0", "reason", "waiting_for_children", "created", now_s,
             "timeout_at", timeout and U.istr(now + timeout) or "", "behavior", timeout and behavior or "",
             "kind", "children", "cond", '{"children":true}', "wps", "[]", "state", "open", "satisfiers", "[]")
  return U.ok("suspended", sid, U.istr(#cf))
end

-- KEYS core; ARGV eid.
--- @function ff_flow_children
--- @mode read-only
--- @summary The members of every child flow an execution spawned, with their outcomes and results.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @item child 5
--- @field flow_id eid the child flow
--- @field eid eid the child execution
--- @field public_state string its public state (missing: deleted by retention)
--- @field has_result flag 1 when it completed with a result
--- @field result bytes the result ("" otherwise)
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_flow_children(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local T, e = V.eid_for_core(keys, args[1])
  if not T then return e end
  local rec
  rec, e = F.must(K.core(args[1]), { "st" })
  if not rec then return e end
  local cf = redis.call("SMEMBERS", K.child_flows(args[1]))
  table.sort(cf)
  local out = { 1, "OK" }
  for i = 1, #cf do
    local members = redis.call("SMEMBERS", K.flow_members(cf[i]))
    table.sort(members)
    for j = 1, #members do
      local m = members[j]
      local s = redis.call("HGET", K.core(m), "st")
      local pub = "missing"
      local res = nil
      if s then
        local phase, _, _, _, outcome = S.decode(s)
        if phase == nil then return U.corrupt(K.core(m), "st", s) end
        pub = S.public_of(s)
        if outcome == "success" then res = redis.call("GET", K.result(m)) end
      end
      out[#out + 1] = cf[i]; out[#out + 1] = m; out[#out + 1] = pub
      out[#out + 1] = res and "1" or "0"; out[#out + 1] = res or ""
    end
  end
  return out
end

redis.register_function("ff_wait_children", ff_wait_children)
redis.register_function { function_name = "ff_flow_children", callback = ff_flow_children, flags = U.RO }
