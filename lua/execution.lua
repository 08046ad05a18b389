-- execution.lua: ff_create, ff_wait_mark.

--- @function ff_create
--- @mode write
--- @summary Create an execution (idempotent by id and by idempotency key).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg namespace string 1..128 printable ASCII
--- @arg lane string 1..64 bytes 0x20..0x7E
--- @arg kind string 1..256 bytes, no control bytes
--- @arg priority int "" = policy or 0; clamped 0..9000
--- @arg payload bytes the input bytes
--- @arg policy json policy JSON, "" = none
--- @arg caps csv required capabilities, "" = none
--- @arg delay_until int absolute ms, "" = none
--- @arg delay_ms int relative ms, "" = none
--- @arg deadline int absolute ms, "" = none
--- @arg idem_key string "" = none (<= 1024 bytes)
--- @arg idem_ttl_ms int "" = 86400000
--- @arg tags json object of string -> string, "" = none
--- @arg flow... eid 0..1 the flow {fp:N}:<uuid> the execution joins (on its partition), "" = none
--- @reply eid eid the created (or, DUPLICATE, the existing) execution
--- @reply public_state string waiting|delayed (or the existing one's)
--- @error invalid_input, unauthorized, corrupt_record, invalid_policy_json, invalid_capabilities, invalid_tag_key, flow_not_found, flow_already_terminal, flow_limit_exceeded, partition_mismatch
local function ff_create(keys, args)
  if #args ~= 14 and #args ~= 15 then return U.err("invalid_input", "argv: expected 14 or 15 arguments") end
  local eid = args[1]
  local T, part = V.eid_for_core(keys, eid)
  if not T then return part end
  local denied = N.guard(T)
  if denied then return denied end
  local ns, lane, kind = args[2], args[3], args[4]
  local good, e = V.namespace(ns)
  if not good then return e end
  good, e = V.lane(lane)
  if not good then return e end
  good, e = V.kind(kind)
  if not good then return e end

  local pri = nil
  if args[5] ~= "" then
    pri = U.parse_int(args[5])
    if pri == nil then return U.err("invalid_input", "priority: not an integer") end
  end
  local payload = args[6]

  local pol = nil
  if args[7] ~= "" then
    pol, e = P.parse(args[7])
    if not pol then return e end
  end

  local caps_list
  caps_list, e = V.caps_csv(args[8], "required")
  if not caps_list then return e end
  local caps_csv
  caps_csv, e = V.caps_merge(caps_list, pol and pol.caps or {}, "required")
  if not caps_csv then return e end

  local delay_until, delay_ms, deadline = nil, nil, nil
  if args[9] ~= "" then
    delay_until = U.parse_int_range(args[9], 0, U.MAX_SAFE)
    if delay_until == nil then return U.err("invalid_input", "delay_until: not a non-negative integer") end
  end
  if args[10] ~= "" then
    delay_ms = U.parse_int_range(args[10], 0, 1000000000000000)
    if delay_ms == nil then return U.err("invalid_input", "delay_ms: not a non-negative integer") end
  end
  if args[11] ~= "" then
    deadline = U.parse_int_range(args[11], 0, U.MAX_SAFE)
    if deadline == nil then return U.err("invalid_input", "deadline: not a non-negative integer") end
  end

  local idem_key, idem_ttl = args[12], 86400000
  if idem_key ~= "" and #idem_key > 1024 then
    return U.err("invalid_input", "idempotency_key: at most 1024 bytes")
  end
  if args[13] ~= "" then
    local ttl = U.parse_int_range(args[13], 0, U.MAX_SAFE)
    if ttl == nil then return U.err("invalid_input", "idempotency_ttl_ms: not a positive integer") end
    if ttl > 0 then idem_ttl = ttl end
  end

  local tags
  tags, e = V.tags(args[14])
  if not tags then return e end

  -- a flow member is minted on the flow's partition (lib/75_edges.lua)
  local fid = args[15] or ""
  if fid ~= "" then
    local FT
    FT, e = D.fid_tag(fid)
    if not FT then return e end
    if FT ~= T then return U.err("partition_mismatch", "flow " .. FT .. ", execution " .. T) end
  end

  -- ---- duplicates (nothing written) ----
  local core = K.core(eid)
  local ikey = nil
  if idem_key ~= "" then
    ikey = K.idem(T, ns, lane, idem_key)
    local prev = redis.call("GET", ikey)
    if prev then
      local st = redis.call("HGET", K.core(prev), "st")
      if st and S.decode(st) == nil then return F.corrupt(K.core(prev), "st", st) end
      if st then return { 1, "DUPLICATE", prev, S.public_of(st) } end
      -- stale mapping (execution gone): fall through and create anew
    end
  end
  local st_old = redis.call("HGET", core, "st")
  if st_old and S.decode(st_old) == nil then return F.corrupt(core, "st", st_old) end
  if st_old then return { 1, "DUPLICATE", eid, S.public_of(st_old) } end
  if fid ~= "" then
    local _, bad = D.join_check(fid)
    if bad then return bad end
  end

  -- ---- compute ----
  local now = U.now_ms()
  local now_s = U.istr(now)
  if pri == nil then pri = pol and pol.priority or 0 end
  pri = S.clamp_priority(pri)
  local dl = 0
  if delay_until ~= nil or delay_ms ~= nil then
    if delay_until ~= nil then dl = delay_until end
    if delay_ms ~= nil and delay_ms > 0 and now + delay_ms > dl then dl = now + delay_ms end
  elseif pol and pol.delay_until then
    dl = pol.delay_until
  end
  local delayed = dl > now
  if deadline == 0 then deadline = nil end
  if deadline == nil and pol and pol.execution_deadline_ms then
    deadline = now + pol.execution_deadline_ms
  end

  -- ---- write: core first ----
  -- counters (att, retries, reclaims, replays, epoch) stay absent (= 0)
  -- until first incremented; `updated` is absent until the first transition
  -- id and partition are not stored: both are in the key itself
  local f = { "ns", ns, "lane", lane, "kind", kind, "pri", U.istr(pri), "created", now_s,
              "st", delayed and S.ST_DELAYED_FIRST or S.ST_ELIGIBLE_FIRST,
              "plen", U.istr(#payload) }
  if caps_csv ~= "" then f[#f + 1] = "caps"; f[#f + 1] = caps_csv end
  if pol and not pol.empty then
    f[#f + 1] = "pol"; f[#f + 1] = #args[7] <= K.INLINE_MAX and args[7] or K.SPILLED
    if pol.attempt_timeout_ms then f[#f + 1] = "ato"; f[#f + 1] = U.istr(pol.attempt_timeout_ms) end
  end
  if delayed then f[#f + 1] = "dl"; f[#f + 1] = U.istr(dl) end
  if deadline then f[#f + 1] = "deadline"; f[#f + 1] = U.istr(deadline) end
  if ikey then f[#f + 1] = "idem"; f[#f + 1] = idem_key end
  -- Small payloads live in the core ("pl") so the hash stays a compact
  -- listpack (values <= 64 bytes) and a claim needs no extra GET.
  if #payload > 0 and #payload <= K.INLINE_MAX then
    f[#f + 1] = "pl"; f[#f + 1] = payload
  end
  redis.call("HSET", core, unpack(f))
  if #payload > K.INLINE_MAX then redis.call("SET", K.payload(eid), payload) end
  if pol and not pol.empty and #args[7] > K.INLINE_MAX then redis.call("SET", K.policy(eid), args[7]) end
  if #tags > 0 then redis.call("HSET", K.tags(eid), unpack(tags)) end

  -- ---- indexes ----
  if delayed then
    redis.call("ZADD", K.lane(T, lane, "delayed"), U.istr(dl), eid)
  else
    S.enter_eligible(T, lane, S.score_of(pri, now), eid)
  end
  redis.call("SADD", K.all(T), eid)
  redis.call("SADD", K.lanes(T), lane)
  if deadline then redis.call("ZADD", K.deadline(T), U.istr(deadline), eid) end
  local first = delayed and dl or nil
  if deadline and (first == nil or deadline < first) then first = deadline end
  if first then X.due(T, first) end
  if ikey then redis.call("SET", ikey, eid, "PX", U.istr(idem_ttl)) end
  if fid ~= "" then D.join(fid, eid, nil) end
  return U.ok(eid, delayed and "delayed" or "waiting")
end

-- ----------------------------------------------------------- ff_wait_mark
-- KEYS core; ARGV eid. Reply {1,"OK","terminal"} (ended already: read the
-- result) | {1,"OK","waiting"} (marked: its terminal transition publishes the
-- id on ff:done:{fp:N}). Idempotent; the mark is cleared when it ends. A
-- waiter subscribes to the channel BEFORE calling this, so no ending can
-- slip between the check and the subscription. Publishes nothing itself.
--- @function ff_wait_mark
--- @mode write
--- @summary Mark an execution as waited for: its ending publishes the id on ff:done:{fp:N}.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply outcome string terminal (ended already) | waiting (marked)
--- @error invalid_input, execution_not_found
local function ff_wait_mark(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local v = redis.call("HMGET", keys[1], "st", "wt")
  if not v[1] then return U.err("execution_not_found") end
  if S.decode(v[1]) == "terminal" then return U.ok("terminal") end
  if v[2] ~= "1" then redis.call("HSET", keys[1], "wt", "1") end
  return U.ok("waiting")
end

redis.register_function("ff_create", ff_create)
redis.register_function("ff_wait_mark", ff_wait_mark)
