-- 80_wait: waitpoint tokens (HMAC-SHA1 keyed by the partition keystore),
-- the suspended -> runnable resume transition and the two sweep steps
-- (suspension timeouts, pending-waitpoint expiry) used by ff_engine_sweep.
-- The ff_* functions themselves are in lua/signal.lua.

local W = {}

W.MAX_WAITPOINTS = 1024 -- waitpoints ever created per execution
W.BLOCKING = { waiting_for_signal = true, waiting_for_approval = true,
               waiting_for_callback = true, waiting_for_tool_result = true }

-- ------------------------------------------------------------ hex / HMAC
local function hex2bin(h)
  return (string.gsub(h, "%x%x", function(c) return string.char(tonumber(c, 16)) end))
end
W.hex2bin = hex2bin

-- 64-byte block: key (<= 64 bytes) zero-padded, every byte XOR pad.
local function padded(key, pad)
  local t = {}
  for i = 1, 64 do
    t[i] = string.char(bit.bxor(string.byte(key, i) or 0, pad))
  end
  return table.concat(t)
end

-- RFC 2104 HMAC-SHA1 with redis.sha1hex; key and msg are binary strings.
-- Returns 40 lowercase hex digits.
-- The padded ipad/opad blocks depend only on the key: they are cached per
-- key for the life of the loaded library (a handful of keys at most: the
-- current kid and those in grace), which makes an HMAC two sha1hex calls.
local PADS, NPADS = {}, 0
function W.hmac_sha1_hex(key, msg)
  local p = PADS[key]
  if p == nil then
    local k = key
    if #k > 64 then k = hex2bin(redis.sha1hex(k)) end
    p = { padded(k, 0x36), padded(k, 0x5c) }
    if NPADS >= 64 then PADS, NPADS = {}, 0 end
    PADS[key] = p
    NPADS = NPADS + 1
  end
  local inner = hex2bin(redis.sha1hex(p[1] .. msg))
  return redis.sha1hex(p[2] .. inner)
end

-- Constant-time comparison of two strings (length first, then XOR-accumulate
-- over every byte).
function W.ct_equal(a, b)
  if #a ~= #b then return false end
  local acc = 0
  for i = 1, #a do
    acc = bit.bor(acc, bit.bxor(string.byte(a, i), string.byte(b, i)))
  end
  return acc == 0
end

function W.kid_ok(kid)
  return type(kid) == "string" and #kid >= 1 and #kid <= 20 and string.find(kid, "^[%w_%.%-]+$") ~= nil
end

function W.secret_hex_ok(h)
  return type(h) == "string" and #h >= 32 and #h <= 1024 and #h % 2 == 0
    and string.find(h, "^%x+$") ~= nil
end

local function mac_msg(wpid, key, created)
  return wpid .. "|" .. key .. "|" .. created
end

-- The minting kid and its binary secret, or nil plus an error reply.
function W.current_secret(T)
  local ks = K.sec(T)
  local kid = redis.call("HGET", ks, "current_kid")
  if not kid then return nil, U.err("hmac_secret_not_initialized") end
  local hex = redis.call("HGET", ks, "secret:" .. kid)
  -- a key store naming a current kid without a sound secret is damaged, not
  -- uninitialised: say so (re-initialising would silently change the key)
  if not hex or not W.secret_hex_ok(hex) then return nil, U.err("invalid_secret", ks, kid) end
  return kid, hex2bin(hex)
end

-- Token "<kid>:<40 hex>" for a waitpoint.
function W.mint(kid, secret, wpid, key, created)
  return kid .. ":" .. W.hmac_sha1_hex(secret, mac_msg(wpid, key, created))
end

-- Verify a token presented for waitpoint wpid of execution eid. Order: token
-- syntax, kid (unknown -> invalid_token, past its grace -> token_expired),
-- then the waitpoint (missing or another execution's -> invalid_token, the
-- same answer as a wrong MAC: no existence oracle), then the MAC.
-- Returns the waitpoint record {eid,key,created,state,susp,ai,expires_at,nsig}
-- or nil plus an error reply.
local WP_FIELDS = { "eid", "key", "created", "state", "susp", "ai", "expires_at", "nsig" }
function W.authenticate(T, eid, wpid, token, now)
  if token == "" then return nil, U.err("missing_token") end
  local kid, hex = string.match(token, "^([^:]+):(%x+)$")
  if not kid or #hex ~= 40 then return nil, U.err("invalid_token") end
  local ks = K.sec(T)
  local v = redis.call("HMGET", ks, "current_kid", "secret:" .. kid, "expires_at:" .. kid)
  if not v[1] then return nil, U.err("hmac_secret_not_initialized") end
  if not v[2] then return nil, U.err("invalid_token") end
  if not W.secret_hex_ok(v[2]) then return nil, U.err("invalid_secret", ks, kid) end
  if kid ~= v[1] then
    local exp = tonumber(v[3] or "")
    if exp == nil or exp < now then return nil, U.err("token_expired") end
  end
  local x = redis.call("HMGET", K.wp(T, wpid), unpack(WP_FIELDS))
  if not x[1] or x[1] ~= eid or not x[3] then return nil, U.err("invalid_token") end
  local want = W.hmac_sha1_hex(hex2bin(v[2]), mac_msg(wpid, x[2] or "", x[3]))
  if not W.ct_equal(want, string.lower(hex)) then return nil, U.err("invalid_token") end
  local wp = {}
  for i = 1, #WP_FIELDS do wp[WP_FIELDS[i]] = x[i] or "" end
  return wp
end

-- ------------------------------------------------------------ transitions
-- suspended -> runnable/eligible_now/attempt_interrupted (same attempt; the
-- next claim is of type "resumed"), closing the suspension and every open
-- waitpoint with close_reason. rec needs st, lane, pri, created.
function W.resume(T, eid, rec, now, close_reason)
  local now_s = U.istr(now)
  local ok, wps = pcall(cjson.decode, redis.call("HGET", K.susp(eid), "wps") or "[]")
  local ids = {}
  if ok and type(wps) == "table" then
    for i = 1, #wps do ids[#ids + 1] = wps[i].id end
  end
  redis.call("HSET", K.core(eid), "st",
             S.encode("runnable", "unowned", "eligible_now", "waiting_for_worker", "none",
                      "attempt_interrupted"), "updated", now_s)
  redis.call("ZREM", K.lane(T, rec.lane, "suspended"), eid)
  X.close_waits(T, eid, now, close_reason, ids)
  S.enter_eligible(T, rec.lane, S.score(rec), eid)
end

-- A child flow of `peid` settled (D.check_settled): when the parent waits
-- for its children (ff_wait_children) and every child flow it spawned has
-- settled, it resumes its attempt. A parent suspended otherwise, escalated
-- to an operator, or gone is left alone.
function X.wake_parent(T, peid, now)
  local rec = F.load(K.core(peid), { "st", "lane", "pri", "created", "vt" })
  if not rec or rec.phase ~= "suspended" or rec.block ~= "waiting_for_children" then return end
  local sv = redis.call("HMGET", K.susp(peid), "state", "kind")
  if sv[1] ~= "open" or sv[2] ~= "children" then return end
  local cf = redis.call("SMEMBERS", K.child_flows(peid))
  for i = 1, #cf do
    local f = D.load_flow(cf[i])
    if f and not D.settled(f) then return end
  end
  W.resume(T, peid, rec, now, "children_done")
end

-- active -> suspended (blocking reason `reason`): release the lease, keep
-- the attempt's remaining timeout, record the attempt as suspended and enter
-- the suspended indexes; with timeout_at (ms) the suspension times out then.
-- The caller writes the suspension record (ff_suspend, ff_wait_children).
function W.suspend(T, eid, rec, now, reason, timeout_at)
  local core, now_s = K.core(eid), U.istr(now)
  local f = { "st", S.encode("suspended", "unowned", "not_applicable", reason, "none", "attempt_interrupted"),
              "updated", now_s }
  if rec.atdl then
    local rem = tonumber(rec.atdl) - now
    if rem < 0 then rem = 0 end
    f[#f + 1] = "atrem"; f[#f + 1] = U.istr(rem)
  end
  redis.call("HSET", core, unpack(f))
  F.release(core, rec)
  redis.call("HSET", K.attempts(eid), rec.ai or "0", F.attempt_json(rec, "suspended", now))
  X.leave_current(T, eid, rec)
  redis.call("ZADD", K.lane(T, rec.lane, "suspended"), now_s, eid)
  redis.call("ZADD", K.psusp(T), now_s, eid)
  if timeout_at then
    redis.call("ZADD", K.susp_timeout(T), U.istr(timeout_at), eid)
    X.due(T, timeout_at)
  end
end

local TIMEOUT_OUTCOME = { fail = "failed", cancel = "cancelled", expire = "expired" }

-- Apply the timeout behaviour of up to `limit` due suspensions of the
-- partition. Stale entries (not suspended, no open suspension, other
-- timeout) are removed or re-scored. Returns the number handled.
function W.sweep_timeouts(T, now, limit)
  local zk = K.susp_timeout(T)
  local due = redis.call("ZRANGEBYSCORE", zk, "-inf", U.istr(now), "LIMIT", 0, limit)
  local n = 0
  for i = 1, #due do
    local eid = due[i]
    local rec, bad = F.load(K.core(eid))
    if bad then X.quarantine(T, eid, nil, bad) end
    local sv = redis.call("HMGET", K.susp(eid), "state", "timeout_at", "behavior")
    local at = tonumber(sv[2] or "")
    if rec == nil or rec.phase ~= "suspended" or sv[1] ~= "open" or at == nil then
      redis.call("ZREM", zk, eid)
    elseif at > now then
      redis.call("ZADD", zk, sv[2], eid)
    else
      local b = sv[3] or "fail"
      if b == "auto_resume" then
        W.resume(T, eid, rec, now, "timed_out_auto_resume")
      elseif b == "escalate" then
        redis.call("HSET", K.core(eid), "st",
                   S.encode("suspended", "unowned", "not_applicable", "paused_by_operator", "none",
                            "attempt_interrupted"), "updated", U.istr(now))
        redis.call("HSET", K.susp(eid), "timeout_at", "", "behavior", "", "escalated_at", U.istr(now))
        redis.call("ZREM", zk, eid)
      else
        local outcome = TIMEOUT_OUTCOME[b] or "failed"
        local why = "suspension_timeout:" .. b
        X.close_waits(T, eid, now, "timed_out_" .. b)
        local fields
        if outcome == "cancelled" then
          fields = { "cby", "suspension_timeout", "creason", why }
        else
          fields = { "reason", why, "cat", "timeout" }
        end
        X.terminal(T, eid, rec, now, outcome, fields,
                   outcome == "cancelled" and "ended_cancelled" or "ended_failure",
                   { failure_reason = why, stream_reason = "suspension_timeout",
                     failure_category = outcome ~= "cancelled" and "timeout" or nil })
      end
      n = n + 1
    end
  end
  return n
end

-- Close up to `limit` pending waitpoints whose expires_at passed
-- (close_reason never_committed). Returns the number closed.
function W.sweep_wp_expiry(T, now, limit)
  local zk = K.wp_expiry(T)
  local due = redis.call("ZRANGEBYSCORE", zk, "-inf", U.istr(now), "LIMIT", 0, limit)
  local n = 0
  for i = 1, #due do
    local wk = K.wp(T, due[i])
    local v = redis.call("HMGET", wk, "state", "expires_at")
    local at = tonumber(v[2] or "")
    if v[1] ~= "pending" or at == nil then
      redis.call("ZREM", zk, due[i])
    elseif at > now then
      redis.call("ZADD", zk, v[2], due[i])
    else
      redis.call("HSET", wk, "state", "closed", "closed_at", U.istr(now),
                 "close_reason", "never_committed")
      redis.call("DEL", wk .. ":buf")
      redis.call("ZREM", zk, due[i])
      n = n + 1
    end
  end
  return n
end
