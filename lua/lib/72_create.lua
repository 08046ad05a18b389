-- 72_create: the validation and the writes of a new execution, shared by
-- ff_create (execution.lua) and ff_flow_submit (flow.lua), so a member
-- submitted with its whole flow obeys exactly the rules of a single submit.
--
-- C.parse(args, o) reads the 14 create fields starting at args[o] (eid,
-- namespace, lane, kind, priority, payload, policy, caps, delay_until,
-- delay_ms, deadline, idem_key, idem_ttl, tags) and returns a spec table or
-- nil plus the refusal; it writes nothing. C.compute(spec, now) fills in the
-- derived priority, delay and deadline. C.write(T, spec, now, blocked)
-- writes the core record and its indexes: eligible or delayed as ff_create
-- does, or (blocked) waiting on its dependencies in the lane's "blocked"
-- index, never claimable.

local C = {}
C.NFIELDS = 14

function C.parse(args, o)
  local s = { eid = args[o], ns = args[o + 1], lane = args[o + 2], kind = args[o + 3] }
  local good, e = V.namespace(s.ns)
  if not good then return nil, e end
  good, e = V.lane(s.lane)
  if not good then return nil, e end
  good, e = V.kind(s.kind)
  if not good then return nil, e end

  if args[o + 4] ~= "" then
    s.pri = U.parse_int(args[o + 4])
    if s.pri == nil then return nil, U.err("invalid_input", "priority: not an integer") end
  end
  s.payload = args[o + 5]
  s.pol_json = args[o + 6]
  if s.pol_json ~= "" then
    s.pol, e = P.parse(s.pol_json)
    if not s.pol then return nil, e end
  end

  local caps_list
  caps_list, e = V.caps_csv(args[o + 7], "required")
  if not caps_list then return nil, e end
  s.caps_csv, e = V.caps_merge(caps_list, s.pol and s.pol.caps or {}, "required")
  if not s.caps_csv then return nil, e end

  if args[o + 8] ~= "" then
    s.delay_until = U.parse_int_range(args[o + 8], 0, U.MAX_SAFE)
    if s.delay_until == nil then return nil, U.err("invalid_input", "delay_until: not a non-negative integer") end
  end
  if args[o + 9] ~= "" then
    s.delay_ms = U.parse_int_range(args[o + 9], 0, 1000000000000000)
    if s.delay_ms == nil then return nil, U.err("invalid_input", "delay_ms: not a non-negative integer") end
  end
  if args[o + 10] ~= "" then
    s.deadline = U.parse_int_range(args[o + 10], 0, U.MAX_SAFE)
    if s.deadline == nil then return nil, U.err("invalid_input", "deadline: not a non-negative integer") end
  end

  s.idem_key, s.idem_ttl = args[o + 11], 86400000
  if s.idem_key ~= "" and #s.idem_key > 1024 then
    return nil, U.err("invalid_input", "idempotency_key: at most 1024 bytes")
  end
  if args[o + 12] ~= "" then
    local ttl = U.parse_int_range(args[o + 12], 0, U.MAX_SAFE)
    if ttl == nil then return nil, U.err("invalid_input", "idempotency_ttl_ms: not a positive integer") end
    if ttl > 0 then s.idem_ttl = ttl end
  end

  s.tags, e = V.tags(args[o + 13])
  if not s.tags then return nil, e end
  return s
end

-- Derived fields (priority from the policy, delay, deadline) at `now`.
function C.compute(s, now)
  local pol = s.pol
  local pri = s.pri
  if pri == nil then pri = pol and pol.priority or 0 end
  s.pri_final = S.clamp_priority(pri)
  local dl = 0
  if s.delay_until ~= nil or s.delay_ms ~= nil then
    if s.delay_until ~= nil then dl = s.delay_until end
    if s.delay_ms ~= nil and s.delay_ms > 0 and now + s.delay_ms > dl then dl = now + s.delay_ms end
  elseif pol and pol.delay_until then
    dl = pol.delay_until
  end
  s.dl = dl
  s.delayed = dl > now
  local deadline = s.deadline
  if deadline == 0 then deadline = nil end
  if deadline == nil and pol and pol.execution_deadline_ms then
    deadline = now + pol.execution_deadline_ms
  end
  s.deadline_final = deadline
end

local ST_BLOCKED_FIRST = S.encode("runnable", "unowned", "blocked_by_dependencies", "waiting_for_children",
                                  "none", "pending_first_attempt")

-- Write the execution (C.compute ran; the caller checked duplicates and ran
-- N.guard). ikey: the idempotency mapping key or nil.
function C.write(T, s, now, blocked, ikey)
  local eid, pol = s.eid, s.pol
  local now_s = U.istr(now)
  local core = K.core(eid)
  local delayed = s.delayed and not blocked
  local st = S.ST_ELIGIBLE_FIRST
  if blocked then st = ST_BLOCKED_FIRST elseif delayed then st = S.ST_DELAYED_FIRST end
  -- counters (att, retries, reclaims, replays, epoch) stay absent (= 0)
  -- until first incremented; `updated` is absent until the first transition
  -- id and partition are not stored: both are in the key itself
  local f = { "ns", s.ns, "lane", s.lane, "kind", s.kind, "pri", U.istr(s.pri_final), "created", now_s,
              "st", st, "plen", U.istr(#s.payload) }
  if s.caps_csv ~= "" then f[#f + 1] = "caps"; f[#f + 1] = s.caps_csv end
  if pol and not pol.empty then
    f[#f + 1] = "pol"; f[#f + 1] = #s.pol_json <= K.INLINE_MAX and s.pol_json or K.SPILLED
    if pol.attempt_timeout_ms then f[#f + 1] = "ato"; f[#f + 1] = U.istr(pol.attempt_timeout_ms) end
    if pol.budgets then f[#f + 1] = "bud"; f[#f + 1] = table.concat(pol.budgets, ",") end
    if pol.group then f[#f + 1] = "grp"; f[#f + 1] = pol.group end
  end
  -- the fair tag orders the lane's work round robin between groups
  local vt = Q.fair_tag(T, s.lane, pol and pol.group, now)
  if vt then f[#f + 1] = "vt"; f[#f + 1] = U.istr(vt) end
  if delayed then f[#f + 1] = "dl"; f[#f + 1] = U.istr(s.dl) end
  local deadline = s.deadline_final
  if deadline then f[#f + 1] = "deadline"; f[#f + 1] = U.istr(deadline) end
  if ikey then f[#f + 1] = "idem"; f[#f + 1] = s.idem_key end
  -- Small payloads live in the core ("pl") so the hash stays a compact
  -- listpack (values <= 64 bytes) and a claim needs no extra GET.
  if #s.payload > 0 and #s.payload <= K.INLINE_MAX then
    f[#f + 1] = "pl"; f[#f + 1] = s.payload
  end
  redis.call("HSET", core, unpack(f))
  if #s.payload > K.INLINE_MAX then redis.call("SET", K.payload(eid), s.payload) end
  if pol and not pol.empty and #s.pol_json > K.INLINE_MAX then redis.call("SET", K.policy(eid), s.pol_json) end
  if #s.tags > 0 then redis.call("HSET", K.tags(eid), unpack(s.tags)) end

  -- ---- indexes ----
  if blocked then
    redis.call("ZADD", K.lane(T, s.lane, "blocked"), now_s, eid)
  elseif delayed then
    redis.call("ZADD", K.lane(T, s.lane, "delayed"), U.istr(s.dl), eid)
  else
    S.enter_eligible(T, s.lane, S.score_of(s.pri_final, vt or now), eid)
  end
  redis.call("SADD", K.all(T), eid)
  redis.call("SADD", K.lanes(T), s.lane)
  if deadline then redis.call("ZADD", K.deadline(T), U.istr(deadline), eid) end
  local first = delayed and s.dl or nil
  if deadline and (first == nil or deadline < first) then first = deadline end
  if first then X.due(T, first) end
  if ikey then redis.call("SET", ikey, eid, "PX", U.istr(s.idem_ttl)) end
  return delayed and "delayed" or "waiting"
end
