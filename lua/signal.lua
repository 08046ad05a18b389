-- signal.lua: suspension, waitpoints and HMAC-signed signals (contract:
-- lua/README.md, "Suspension, waitpoints, signals"). The keystore holding the
-- signing secrets is secret.lua. Shared helpers: lib/80_wait.lua (W).

local SIG = {
  MAX_SPEC = 65536,          -- suspend spec JSON bytes
  MAX_BINDINGS = 64,         -- waitpoints per suspension
  MAX_NODES = 64,            -- condition nodes
  MAX_DEPTH = 4,             -- condition nesting
  MAX_COUNT_N = 10000,
  MAX_TIMEOUT = 1000000000000000,
  MAX_PENDING_TTL = 31536000000, -- 1 year
  MAX_PAYLOAD = 1048576,
  DEDUP_TTL = 86400000,      -- signal and suspend idempotency records (ms)
  MAX_IDEM = 256,
  MAX_READ = 1000,
}

local SPEC_FIELDS = { waitpoints = true, condition = true, timeout_ms = true,
                      timeout_behavior = true, reason = true, idempotency_key = true }
local BEHAVIORS = { fail = true, cancel = true, expire = true, auto_resume = true, escalate = true }
local COUNT_KINDS = { distinct_signals = true, distinct_sources = true, distinct_waitpoints = true }

local function bad(detail) return nil, U.err("invalid_input", detail) end

-- Waitpoint key: 1..256 bytes, no control bytes.
local function wp_key_ok(k)
  return type(k) == "string" and k ~= U.EMPTY_ARRAY and #k >= 1 and #k <= 256 and U.no_ctrl(k)
end

local function name_ok(s, max)
  return type(s) == "string" and s ~= U.EMPTY_ARRAY and #s >= 1 and #s <= max and U.no_ctrl(s)
end

-- First field of obj not in allowed (sorted, so the report is stable).
local function unknown_field(obj, allowed)
  local bad_keys = {}
  for k in pairs(obj) do if not allowed[k] then bad_keys[#bad_keys + 1] = k end end
  if #bad_keys == 0 then return nil end
  table.sort(bad_keys)
  return bad_keys[1]
end

-- ------------------------------------------------------ condition checks
local SINGLE_F = { key = true, name = true }
local COUNT_F = { n = true, kind = true, keys = true, name = true }
local NODE_F = { single = true, all_of = true, count = true }

-- Validate one condition node. ctx = {keys = set of binding keys, used =
-- set, nodes = n}. Returns nil or a detail string.
local function check_cond(node, path, depth, ctx)
  if depth > SIG.MAX_DEPTH then return "condition: deeper than " .. SIG.MAX_DEPTH end
  ctx.nodes = ctx.nodes + 1
  if ctx.nodes > SIG.MAX_NODES then return "condition: more than " .. SIG.MAX_NODES .. " nodes" end
  if type(node) ~= "table" or not U.is_object(node) then return path .. ": not an object" end
  local u = unknown_field(node, NODE_F)
  if u then return path .. ": unknown field " .. u end
  local n = (node.single ~= nil and 1 or 0) + (node.all_of ~= nil and 1 or 0) + (node.count ~= nil and 1 or 0)
  if n ~= 1 then return path .. ": exactly one of single|all_of|count" end
  if node.single ~= nil then
    local s = node.single
    if type(s) ~= "table" or not U.is_object(s) then return path .. ".single: not an object" end
    u = unknown_field(s, SINGLE_F)
    if u then return path .. ".single: unknown field " .. u end
    if not wp_key_ok(s.key) then return path .. ".single.key: 1..256 bytes, no control bytes" end
    if s.name ~= nil and not name_ok(s.name, 256) then
      return path .. ".single.name: 1..256 bytes, no control bytes"
    end
    if not ctx.keys[s.key] then return path .. ".single.key: not a waitpoint of this suspension" end
    ctx.used[s.key] = true
  elseif node.all_of ~= nil then
    local a = U.as_array(node.all_of)
    if a == nil or #a == 0 then return path .. ".all_of: non-empty array" end
    for i = 1, #a do
      local why = check_cond(a[i], path .. ".all_of[" .. (i - 1) .. "]", depth + 1, ctx)
      if why then return why end
    end
  else
    local c = node.count
    if type(c) ~= "table" or not U.is_object(c) then return path .. ".count: not an object" end
    u = unknown_field(c, COUNT_F)
    if u then return path .. ".count: unknown field " .. u end
    if not U.is_int(c.n) or c.n < 1 or c.n > SIG.MAX_COUNT_N then
      return path .. ".count.n: integer 1.." .. SIG.MAX_COUNT_N
    end
    if c.kind ~= nil and not COUNT_KINDS[c.kind] then
      return path .. ".count.kind: distinct_signals|distinct_sources|distinct_waitpoints"
    end
    if c.name ~= nil and not name_ok(c.name, 256) then
      return path .. ".count.name: 1..256 bytes, no control bytes"
    end
    local ks = U.as_array(c.keys)
    if ks == nil or #ks == 0 then return path .. ".count.keys: non-empty array" end
    local seen = {}
    for i = 1, #ks do
      if not wp_key_ok(ks[i]) then return path .. ".count.keys: 1..256 bytes, no control bytes" end
      if seen[ks[i]] then return path .. ".count.keys: duplicate key" end
      seen[ks[i]] = true
      if not ctx.keys[ks[i]] then return path .. ".count.keys: not a waitpoint of this suspension" end
      ctx.used[ks[i]] = true
    end
    if (c.kind == nil or c.kind == "distinct_waitpoints") and c.n > #ks then
      return path .. ".count.n: exceeds the number of waitpoints"
    end
  end
  return nil
end

-- The signal names a (validated) condition requires of each waitpoint key:
-- key -> set of names, or true when any signal on it counts.
local function names_by_key(node, acc)
  if node.single then
    local k = node.single.key
    if node.single.name == nil then acc[k] = true
    elseif acc[k] ~= true then acc[k] = acc[k] or {}; acc[k][node.single.name] = true end
  elseif node.all_of then
    local a = U.as_array(node.all_of)
    for i = 1, #a do names_by_key(a[i], acc) end
  else
    local ks = U.as_array(node.count.keys)
    for i = 1, #ks do
      local k = ks[i]
      if node.count.name == nil then acc[k] = true
      elseif acc[k] ~= true then acc[k] = acc[k] or {}; acc[k][node.count.name] = true end
    end
  end
  return acc
end

-- "" (any signal) or the sorted, comma-joined names for one key.
local function names_csv(acc, key)
  local set = acc[key]
  if set == nil or set == true then return "" end
  local list = {}
  for n in pairs(set) do list[#list + 1] = n end
  table.sort(list)
  return table.concat(list, ",")
end

-- ---------------------------------------------------- condition evaluation
-- Satisfier tokens (ff:e:E:sat) are scoped per node path ("r", "r.0",
-- "r.0.1", ...): leaf:<path> for a matched single, cnt:<path>:sig:<id> |
-- cnt:<path>:src:<type>:<identity> | cnt:<path>:wp:<id> for counts, whose
-- distinct-token counter is susp field c:<path>.
local function offer(node, path, sig, ctx)
  local s = node.single
  if s then
    if s.key == sig.key then
      ctx.cand = true
      if s.name == nil or s.name == sig.name then
        ctx.match = true
        if redis.call("SADD", ctx.sat, "leaf:" .. path) == 1 then ctx.added = true end
      end
    end
    return
  end
  local a = node.all_of
  if a then
    for i = 1, #a do offer(a[i], path .. "." .. (i - 1), sig, ctx) end
    return
  end
  local c = node.count
  for i = 1, #c.keys do
    if c.keys[i] == sig.key then
      ctx.cand = true
      if c.name == nil or c.name == sig.name then
        ctx.match = true
        local kind = c.kind or "distinct_waitpoints"
        local tok
        if kind == "distinct_signals" then tok = "sig:" .. sig.id
        elseif kind == "distinct_sources" then tok = "src:" .. sig.src_type .. ":" .. sig.src
        else tok = "wp:" .. sig.wpid end
        if redis.call("SADD", ctx.sat, "cnt:" .. path .. ":" .. tok) == 1 then
          redis.call("HINCRBY", ctx.susp, "c:" .. path, 1)
          ctx.added = true
        end
      end
      return
    end
  end
end

local function holds(node, path, ctx)
  if node.single then return redis.call("SISMEMBER", ctx.sat, "leaf:" .. path) == 1 end
  local a = node.all_of
  if a then
    for i = 1, #a do
      if not holds(a[i], path .. "." .. (i - 1), ctx) then return false end
    end
    return true
  end
  return tonumber(redis.call("HGET", ctx.susp, "c:" .. path) or "0") >= node.count.n
end

-- Offer signal `sig` {id, key, wpid, name, src_type, src} to the open
-- suspension of eid (condition `cond`, decoded). Returns effect, satisfied.
local function evaluate(eid, cond, sig)
  local ctx = { sat = K.sat(eid), susp = K.susp(eid) }
  offer(cond, "r", sig, ctx)
  if not ctx.cand then return "signal_ignored_not_in_condition", false end
  if not ctx.match then return "signal_ignored_matcher_failed", false end
  if not ctx.added then return "appended_to_waitpoint_duplicate", false end
  local sats = redis.call("HGET", ctx.susp, "satisfiers") or "[]"
  if sats == "[]" then sats = "[" .. U.jstr(sig.id) .. "]"
  else sats = string.sub(sats, 1, -2) .. "," .. U.jstr(sig.id) .. "]" end
  redis.call("HSET", ctx.susp, "satisfiers", sats)
  if holds(cond, "r", ctx) then return "resume_condition_satisfied", true end
  return "appended_to_waitpoint", false
end

-- ------------------------------------------------------------ spec parsing
-- -> spec {bindings = {{id=, key=, pending=bool}}, cond (table), cond_json,
--    timeout_ms, behavior, reason, idem} or nil, error reply. Bindings
--    naming a pending waitpoint are resolved later (their key is stored).
local function parse_spec(json)
  if #json > SIG.MAX_SPEC then return bad("spec: larger than " .. SIG.MAX_SPEC .. " bytes") end
  local ok, doc = U.json_decode(json)
  if not ok then return bad("spec: malformed JSON") end
  if type(doc) ~= "table" or not U.is_object(doc) then return bad("spec: not a JSON object") end
  local u = unknown_field(doc, SPEC_FIELDS)
  if u then return bad("spec: unknown field " .. u) end
  local wps = U.as_array(doc.waitpoints)
  if wps == nil or #wps == 0 then return bad("spec.waitpoints: non-empty array") end
  if #wps > SIG.MAX_BINDINGS then return bad("spec.waitpoints: at most " .. SIG.MAX_BINDINGS) end
  local spec = { bindings = {}, behavior = "fail", reason = "waiting_for_signal" }
  local ids = {}
  for i = 1, #wps do
    local b = wps[i]
    if type(b) ~= "table" or not U.is_object(b) then return bad("spec.waitpoints: not an object") end
    local bind
    if b.pending ~= nil then
      u = unknown_field(b, { pending = true })
      if u then return bad("spec.waitpoints: unknown field " .. u) end
      if not U.is_uuid(b.pending) then return bad("spec.waitpoints.pending: not a uuid") end
      bind = { id = b.pending, pending = true }
    else
      u = unknown_field(b, { id = true, key = true })
      if u then return bad("spec.waitpoints: unknown field " .. u) end
      if not U.is_uuid(b.id) then return bad("spec.waitpoints.id: not a uuid") end
      if not wp_key_ok(b.key) then
        return nil, U.err("invalid_waitpoint_key", "1..256 bytes, no control bytes")
      end
      bind = { id = b.id, key = b.key }
    end
    if ids[bind.id] then return bad("spec.waitpoints: duplicate waitpoint id") end
    ids[bind.id] = true
    spec.bindings[i] = bind
  end
  if doc.condition == nil then return bad("spec.condition: missing") end
  spec.cond = doc.condition
  if doc.timeout_ms ~= nil then
    if not U.is_int(doc.timeout_ms) or doc.timeout_ms < 1 or doc.timeout_ms > SIG.MAX_TIMEOUT then
      return bad("spec.timeout_ms: integer 1..1e15")
    end
    spec.timeout_ms = doc.timeout_ms
  end
  if doc.timeout_behavior ~= nil then
    if not BEHAVIORS[doc.timeout_behavior] then
      return bad("spec.timeout_behavior: fail|cancel|expire|auto_resume|escalate")
    end
    spec.behavior = doc.timeout_behavior
  end
  if doc.reason ~= nil then
    if not W.BLOCKING[doc.reason] then
      return bad("spec.reason: waiting_for_signal|waiting_for_approval|waiting_for_callback|waiting_for_tool_result")
    end
    spec.reason = doc.reason
  end
  if doc.idempotency_key ~= nil then
    if not name_ok(doc.idempotency_key, SIG.MAX_IDEM) then
      return bad("spec.idempotency_key: 1..256 bytes, no control bytes")
    end
    spec.idem = doc.idempotency_key
  end
  return spec
end

-- Validate the condition against the (resolved) binding keys.
local function check_spec_cond(spec)
  local keys = {}
  for i = 1, #spec.bindings do
    local k = spec.bindings[i].key
    if keys[k] then return bad("spec.waitpoints: duplicate waitpoint key") end
    keys[k] = true
  end
  local ctx = { keys = keys, used = {}, nodes = 0 }
  local why = check_cond(spec.cond, "condition", 1, ctx)
  if why then return bad(why) end
  for k in pairs(keys) do
    if not ctx.used[k] then return bad("condition: waitpoint key not referenced: " .. k) end
  end
  return true
end

-- -------------------------------------------------------------- ff_suspend
-- KEYS core; ARGV eid, lease_id, epoch, attempt_id, spec_json.
--- @function ff_suspend
--- @mode write
--- @summary Release the lease and wait on waitpoints until a condition holds.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg spec json the suspension spec (<= 64 KiB)
--- @reply outcome string suspended|already_satisfied
--- @reply suspension_id string per-execution sequence
--- @reply n int waitpoints that follow
--- @item waitpoint 3
--- @field wp_id uuid waitpoint id
--- @field key string waitpoint key
--- @field token string the signing token
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease, invalid_waitpoint_key, already_suspended, waitpoint_not_found, invalid_waitpoint_for_execution, waitpoint_not_pending, pending_waitpoint_expired, waitpoint_already_exists, hmac_secret_not_initialized
local function ff_suspend(keys, args)
  local T, epoch = F.prologue(keys, args, 5)
  if not T then return epoch end
  local eid, lid, aid = args[1], args[2], args[4]
  local spec, e = parse_spec(args[5])
  if not spec then return e end
  local dkey = spec.idem and K.sdedup(eid, spec.idem)
  if dkey then
    local prior = redis.call("GET", dkey)
    if prior then
      local ok, d = pcall(cjson.decode, prior)
      -- replayed only to the same lease fence (the reply carries tokens)
      if ok and type(d) == "table" and d.f == lid .. "/" .. args[3] .. "/" .. aid then
        local out = { 1, "OK" }
        for i = 1, #d.r do out[#out + 1] = d.r[i] end
        return out
      end
    end
  end
  local now = U.now_ms()
  local rec
  rec, e = F.check(T, eid, lid, epoch, aid, now)
  if not rec then return e end
  local skey = K.susp(eid)
  local sv = redis.call("HMGET", skey, "state", "id")
  if sv[1] == "open" then return U.err("already_suspended") end
  -- resolve and check the bindings (nothing written yet)
  local fresh = 0
  for i = 1, #spec.bindings do
    local b = spec.bindings[i]
    local wk = K.wp(T, b.id)
    if b.pending then
      local v = redis.call("HMGET", wk, "eid", "state", "ai", "expires_at", "key", "tok")
      if not v[1] then return U.err("waitpoint_not_found") end
      if v[1] ~= eid or v[3] ~= (rec.ai or "0") then return U.err("invalid_waitpoint_for_execution") end
      if v[2] ~= "pending" then return U.err("waitpoint_not_pending") end
      if tonumber(v[4] or "0") <= now then return U.err("pending_waitpoint_expired") end
      b.key, b.tok = v[5], v[6]
    else
      if redis.call("EXISTS", wk) == 1 then return U.err("waitpoint_already_exists") end
      fresh = fresh + 1
    end
  end
  local good
  good, e = check_spec_cond(spec)
  if not good then return e end
  if fresh > 0 and redis.call("SCARD", K.wps(eid)) + fresh > W.MAX_WAITPOINTS then
    return U.err("invalid_input", "execution has too many waitpoints (" .. W.MAX_WAITPOINTS .. ")")
  end
  local kid, secret
  if fresh > 0 then
    kid, secret = W.current_secret(T)
    if not kid then return secret end
  end

  -- writes
  local now_s = U.istr(now)
  local sid = U.istr((tonumber(sv[2] or "0") or 0) + 1)
  local timeout_at = spec.timeout_ms and U.istr(now + spec.timeout_ms) or ""
  local wpl, reply_wps = {}, {}
  local names = names_by_key(spec.cond, {})
  for i = 1, #spec.bindings do
    local b = spec.bindings[i]
    local wk = K.wp(T, b.id)
    if b.pending then
      redis.call("HSET", wk, "state", "active", "susp", sid, "expires_at", "", "names", names_csv(names, b.key))
      redis.call("ZREM", K.wp_expiry(T), b.id)
    else
      b.tok = W.mint(kid, secret, b.id, b.key, now_s)
      redis.call("HSET", wk, "eid", eid, "key", b.key, "state", "active", "created", now_s,
                 "kid", kid, "tok", b.tok, "susp", sid, "ai", rec.ai or "0", "nsig", "0",
                 "names", names_csv(names, b.key))
      redis.call("SADD", K.wps(eid), b.id)
    end
    wpl[i] = "{\"id\":" .. U.jstr(b.id) .. ",\"key\":" .. U.jstr(b.key) .. "}"
    reply_wps[#reply_wps + 1] = b.id
    reply_wps[#reply_wps + 1] = b.key
    reply_wps[#reply_wps + 1] = b.tok
  end
  local cond_json = cjson.encode(spec.cond)
  redis.call("DEL", skey, K.sat(eid))
  redis.call("HSET", skey, "id", sid, "ai", rec.ai or "0", "reason", spec.reason, "created", now_s,
             "timeout_at", timeout_at, "behavior", spec.timeout_ms and spec.behavior or "",
             "cond", cond_json, "wps", "[" .. table.concat(wpl, ",") .. "]", "state", "open",
             "satisfiers", "[]")
  -- buffered signals of pending bindings are evaluated now, in order
  local satisfied = false
  for i = 1, #spec.bindings do
    local b = spec.bindings[i]
    if b.pending then
      local bk = K.wp(T, b.id) .. ":buf"
      local buf = redis.call("LRANGE", bk, 0, -1)
      for j = 1, #buf do
        if not satisfied then
          local v = redis.call("HMGET", K.sig(T, buf[j]), "name", "src_type", "src")
          if v[1] then
            local _, sat = evaluate(eid, spec.cond, { id = buf[j], key = b.key, wpid = b.id, name = v[1],
                                                     src_type = v[2] or "", src = v[3] or "" })
            satisfied = sat
          end
        end
      end
      redis.call("DEL", bk)
    end
  end
  local status
  if satisfied then
    -- already satisfied: keep the lease, close what was just opened
    local ids = {}
    for i = 1, #spec.bindings do ids[i] = spec.bindings[i].id end
    X.close_waits(T, eid, now, "resumed", ids)
    status = "already_satisfied"
  else
    W.suspend(T, eid, rec, now, spec.reason, spec.timeout_ms and now + spec.timeout_ms)
    status = "suspended"
  end
  local r = { status, sid, U.istr(#spec.bindings) }
  for i = 1, #reply_wps do r[#r + 1] = reply_wps[i] end
  if dkey then
    redis.call("SET", dkey, cjson.encode({ f = lid .. "/" .. args[3] .. "/" .. aid, r = r }),
               "PX", SIG.DEDUP_TTL)
  end
  local out = { 1, "OK" }
  for i = 1, #r do out[#out + 1] = r[i] end
  return out
end

-- ------------------------------------------------------ ff_create_waitpoint
-- KEYS core; ARGV eid, lease_id, epoch, attempt_id, wp_id, key, expires_in_ms.
--- @function ff_create_waitpoint
--- @mode write
--- @summary Create a pending waitpoint ahead of a suspension.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg wp_id uuid fresh waitpoint id
--- @arg key string waitpoint key
--- @arg expires_in_ms int 1..31536000000
--- @reply wp_id uuid waitpoint id
--- @reply key string waitpoint key
--- @reply token string the signing token
--- @reply expires_at int ms
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease, invalid_waitpoint_key, waitpoint_already_exists, hmac_secret_not_initialized
local function ff_create_waitpoint(keys, args)
  local T, epoch = F.prologue(keys, args, 7)
  if not T then return epoch end
  local eid, wpid, key = args[1], args[5], args[6]
  if not U.is_uuid(wpid) then return U.err("invalid_input", "waitpoint_id: not a uuid") end
  if not wp_key_ok(key) then return U.err("invalid_waitpoint_key", "1..256 bytes, no control bytes") end
  local ttl = U.parse_int_range(args[7], 1, SIG.MAX_PENDING_TTL)
  if ttl == nil then return U.err("invalid_input", "expires_in_ms: integer 1.." .. SIG.MAX_PENDING_TTL) end
  local now = U.now_ms()
  local rec, e = F.check(T, eid, args[2], epoch, args[4], now)
  if not rec then return e end
  local wk = K.wp(T, wpid)
  if redis.call("EXISTS", wk) == 1 then return U.err("waitpoint_already_exists") end
  if redis.call("SCARD", K.wps(eid)) >= W.MAX_WAITPOINTS then
    return U.err("invalid_input", "execution has too many waitpoints (" .. W.MAX_WAITPOINTS .. ")")
  end
  local kid, secret = W.current_secret(T)
  if not kid then return secret end
  local now_s, exp_s = U.istr(now), U.istr(now + ttl)
  local tok = W.mint(kid, secret, wpid, key, now_s)
  redis.call("HSET", wk, "eid", eid, "key", key, "state", "pending", "created", now_s,
             "expires_at", exp_s, "kid", kid, "tok", tok, "ai", rec.ai or "0", "nsig", "0")
  redis.call("SADD", K.wps(eid), wpid)
  redis.call("ZADD", K.wp_expiry(T), exp_s, wpid)
  X.due(T, now + ttl)
  return U.ok(wpid, key, tok, exp_s)
end

-- --------------------------------------------------------------- ff_signal
-- KEYS core; ARGV eid, wp_id, token, signal_id, name, source_type,
-- source_identity, payload, idem_key, idem_ttl_ms.
--- @function ff_signal
--- @mode write
--- @summary Deliver a signed signal to a waitpoint.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg wp_id uuid waitpoint id
--- @arg token string the waitpoint token
--- @arg signal_id uuid fresh signal id
--- @arg name string 1..256 bytes
--- @arg source_type string 1..64 bytes
--- @arg source_identity string 1..256 bytes
--- @arg payload bytes <= 1 MiB
--- @arg idem_key string <= 256 bytes, "" = none
--- @arg idem_ttl_ms int "" = 86400000
--- @reply signal_id uuid the (or, DUPLICATE, the first) signal id
--- @reply effect string what the signal did
--- @error invalid_input, unauthorized, corrupt_record, payload_too_large, missing_token, invalid_token, hmac_secret_not_initialized, token_expired, execution_not_found, waitpoint_closed, target_not_signalable, signal_limit_exceeded
local function ff_signal(keys, args)
  if #args ~= 10 then return U.err("invalid_input", "argv: expected 10 arguments") end
  local eid, wpid, token, sigid = args[1], args[2], args[3], args[4]
  local name, stype, sident, payload, idem = args[5], args[6], args[7], args[8], args[9]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  e = N.guard(T)
  if e then return e end
  if not U.is_uuid(wpid) then return U.err("invalid_input", "waitpoint_id: not a uuid") end
  if not U.is_uuid(sigid) then return U.err("invalid_input", "signal_id: not a uuid") end
  if not name_ok(name, 256) then return U.err("invalid_input", "name: 1..256 bytes, no control bytes") end
  if not name_ok(stype, 64) then return U.err("invalid_input", "source_type: 1..64 bytes, no control bytes") end
  if not name_ok(sident, 256) then
    return U.err("invalid_input", "source_identity: 1..256 bytes, no control bytes")
  end
  if #payload > SIG.MAX_PAYLOAD then return U.err("payload_too_large", U.istr(SIG.MAX_PAYLOAD)) end
  if #idem > SIG.MAX_IDEM or not U.no_ctrl(idem) then
    return U.err("invalid_input", "idempotency_key: at most 256 bytes, no control bytes")
  end
  local ttl = SIG.DEDUP_TTL
  if args[10] ~= "" then
    ttl = U.parse_int_range(args[10], 1, SIG.MAX_TIMEOUT)
    if ttl == nil then return U.err("invalid_input", "idem_ttl_ms: positive integer or empty") end
  end
  local now = U.now_ms()
  -- authentication before any state check
  local wp
  wp, e = W.authenticate(T, eid, wpid, token, now)
  if not wp then return e end
  local skey = K.sig(T, sigid)
  local prior = redis.call("HMGET", skey, "wp", "effect")
  if prior[1] then
    if prior[1] == wpid then return { 1, "DUPLICATE", sigid, prior[2] or "" } end
    return U.err("invalid_input", "signal_id: already used for another waitpoint")
  end
  local dkey = idem ~= "" and K.sigdedup(T, wpid, idem)
  if dkey then
    local first = redis.call("GET", dkey)
    if first then
      return { 1, "DUPLICATE", first, redis.call("HGET", K.sig(T, first), "effect") or "" }
    end
  end
  local core = K.core(eid)
  local rec
  rec, e = F.must(core)
  if rec == nil then return e end
  if wp.state ~= "pending" and wp.state ~= "active" then return U.err("waitpoint_closed") end
  if rec.phase == "terminal" then return U.err("target_not_signalable") end
  local limit = P.DEFAULT_MAX_SIGNALS
  if redis.call("HEXISTS", core, "pol") == 1 then
    local pol
    pol, e = P.stored(core)
    if not pol then return e end
    limit = pol.max_signals_per_execution or limit
  end
  if redis.call("ZCARD", K.sigs(eid)) >= limit then
    return U.err("signal_limit_exceeded", U.istr(limit))
  end

  -- record the signal
  local now_s = U.istr(now)
  local f = { "eid", eid, "wp", wpid, "name", name, "src_type", stype, "src", sident,
              "accepted", now_s }
  if #payload > 0 and #payload <= K.INLINE_MAX then
    f[#f + 1] = "pl"; f[#f + 1] = payload
  elseif #payload > K.INLINE_MAX then
    redis.call("SET", skey .. ":p", payload)
  end
  redis.call("HSET", skey, unpack(f))
  redis.call("ZADD", K.sigs(eid), now_s, sigid)
  redis.call("HINCRBY", K.wp(T, wpid), "nsig", 1)
  if dkey then redis.call("SET", dkey, sigid, "PX", ttl) end

  local effect
  if wp.state == "pending" then
    redis.call("RPUSH", K.wp(T, wpid) .. ":buf", sigid)
    effect = "buffered_for_pending_waitpoint"
  else
    local sv = redis.call("HMGET", K.susp(eid), "state", "id", "cond")
    if rec.phase ~= "suspended" or sv[1] ~= "open" or sv[2] ~= wp.susp then
      effect = "no_op" -- defensive: an active waitpoint always has an open suspension
    else
      local cond = cjson.decode(sv[3])
      local sat
      effect, sat = evaluate(eid, cond, { id = sigid, key = wp.key, wpid = wpid, name = name,
                                          src_type = stype, src = sident })
      if sat then W.resume(T, eid, rec, now, "resumed") end
    end
  end
  redis.call("HSET", skey, "effect", effect)
  return U.ok(sigid, effect)
end

-- ------------------------------------------------------------- reads
local function signal_rows(T, ids, out)
  for i = 1, #ids do
    local sk = K.sig(T, ids[i])
    local v = redis.call("HMGET", sk, "name", "src_type", "src", "accepted", "pl")
    local pl = v[5]
    if not pl then pl = redis.call("GET", sk .. ":p") or "" end
    out[#out + 1] = ids[i]
    out[#out + 1] = v[1] or ""
    out[#out + 1] = v[2] or ""
    out[#out + 1] = v[3] or ""
    out[#out + 1] = v[4] or ""
    out[#out + 1] = pl
  end
end

-- KEYS core; ARGV eid, attempt_index -> the satisfiers of the last closed
-- suspension of that attempt.
--- @function ff_observe_signals
--- @mode read-only
--- @summary The signals that satisfied an attempt's last closed suspension.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg attempt_index int >= 0
--- @reply n int signals that follow
--- @item signal 6
--- @field signal_id uuid signal id
--- @field name string signal name
--- @field source_type string
--- @field source_identity string
--- @field accepted_at int ms
--- @field payload bytes signal payload
--- @error invalid_input, execution_not_found
local function ff_observe_signals(keys, args)
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local ai = U.parse_int_range(args[2], 0, U.MAX_SAFE)
  if ai == nil then return U.err("invalid_input", "attempt_index: non-negative integer") end
  if redis.call("EXISTS", K.core(eid)) == 0 then return U.err("execution_not_found") end
  local v = redis.call("HMGET", K.susp(eid), "state", "ai", "satisfiers")
  if v[1] ~= "closed" or v[2] ~= U.istr(ai) then return U.ok("0") end
  local ok, ids = pcall(cjson.decode, v[3] or "[]")
  if not ok or type(ids) ~= "table" then ids = {} end
  local out = { 1, "OK", U.istr(#ids) }
  signal_rows(T, ids, out)
  return out
end

-- KEYS ff:i:T:suspended; ARGV offset, count.
--- @function ff_list_suspended
--- @mode read-only
--- @summary One page of a partition's suspended executions, oldest first.
--- @key suspended ff:i:{fp:N}:suspended the partition's suspended index
--- @arg offset int "" = 0
--- @arg count int 1..1000
--- @reply next_offset int "0" when done
--- @item suspended 4
--- @field eid eid execution id
--- @field suspended_at int ms
--- @field blocking_reason string
--- @field timeout_at int "" = none
--- @error invalid_input
local function ff_list_suspended(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.psusp(T) then
    return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:suspended")
  end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local off = args[1] == "" and 0 or U.parse_int_range(args[1], 0, U.MAX_SAFE)
  if off == nil then return U.err("invalid_input", "offset: not a non-negative integer") end
  local count = U.parse_int_range(args[2], 1, SIG.MAX_READ)
  if count == nil then return U.err("invalid_input", "count: integer 1.." .. SIG.MAX_READ) end
  local rows = redis.call("ZRANGE", keys[1], off, off + count - 1, "WITHSCORES")
  local nxt = "0"
  if #rows == 2 * count and redis.call("ZCARD", keys[1]) > off + count then nxt = U.istr(off + count) end
  local out = { 1, "OK", nxt }
  for i = 1, #rows, 2 do
    local eid = rows[i]
    local v = redis.call("HMGET", K.susp(eid), "reason", "timeout_at")
    local st = redis.call("HGET", K.core(eid), "st")
    local _, _, _, block = S.decode(st)
    out[#out + 1] = eid
    out[#out + 1] = rows[i + 1]
    -- the current blocking reason (paused_by_operator after an escalation)
    out[#out + 1] = block or v[1] or ""
    out[#out + 1] = v[2] or ""
  end
  return out
end

-- KEYS core; ARGV eid -> every waitpoint of the execution, sanitized.
--- @function ff_waitpoints
--- @mode read-only
--- @summary Every waitpoint of an execution, by creation time (never the token).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply n int waitpoints that follow
--- @item waitpoint 7
--- @field wp_id uuid waitpoint id
--- @field key string waitpoint key
--- @field state string pending|active|closed
--- @field kid string key id
--- @field fingerprint string first 16 hex digits of the MAC
--- @field expires_at int "" unless pending
--- @field names string signal names
--- @error invalid_input, execution_not_found
local function ff_waitpoints(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  if redis.call("EXISTS", K.core(eid)) == 0 then return U.err("execution_not_found") end
  local ids = redis.call("SMEMBERS", K.wps(eid))
  local rows = {}
  for i = 1, #ids do
    local v = redis.call("HMGET", K.wp(T, ids[i]), "key", "state", "kid", "tok", "expires_at", "created",
                         "names")
    local fp = ""
    if v[4] then fp = string.sub(string.match(v[4], ":(%x+)$") or "", 1, 16) end
    rows[#rows + 1] = { tonumber(v[6] or "0") or 0, ids[i], v[1] or "", v[2] or "", v[3] or "", fp, v[5] or "",
                        v[7] or "" }
  end
  table.sort(rows, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local out = { 1, "OK", U.istr(#rows) }
  for i = 1, #rows do
    for j = 2, 8 do out[#out + 1] = rows[i][j] end
  end
  return out
end

-- KEYS core; ARGV eid, wp_id -> the raw token (operator read).
--- @function ff_waitpoint_token
--- @mode read-only
--- @summary The raw token of one waitpoint (operator read).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg wp_id uuid waitpoint id
--- @reply token string the waitpoint token
--- @error invalid_input, waitpoint_not_found
local function ff_waitpoint_token(keys, args)
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local eid, wpid = args[1], args[2]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  if not U.is_uuid(wpid) then return U.err("invalid_input", "waitpoint_id: not a uuid") end
  local v = redis.call("HMGET", K.wp(T, wpid), "eid", "tok")
  if v[1] ~= eid or not v[2] then return U.err("waitpoint_not_found") end
  return U.ok(v[2])
end

redis.register_function("ff_suspend", ff_suspend)
redis.register_function("ff_create_waitpoint", ff_create_waitpoint)
redis.register_function("ff_signal", ff_signal)
redis.register_function { function_name = "ff_observe_signals", callback = ff_observe_signals, flags = U.RO }
redis.register_function { function_name = "ff_list_suspended", callback = ff_list_suspended, flags = U.RO }
redis.register_function { function_name = "ff_waitpoints", callback = ff_waitpoints, flags = U.RO }
redis.register_function { function_name = "ff_waitpoint_token", callback = ff_waitpoint_token, flags = U.RO }
