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
  local spec, e = C.parse(args, 1)
  if not spec then return e end
  local ns, lane, idem_key = spec.ns, spec.lane, spec.idem_key

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

  local now = U.now_ms()
  C.compute(spec, now)
  local public = C.write(T, spec, now, false, ikey)
  if fid ~= "" then D.join(fid, eid, nil) end
  return U.ok(eid, public)
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
