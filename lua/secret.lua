-- secret.lua: the per-partition keystore of waitpoint signing secrets
-- (contract: lua/README.md, "Suspension, waitpoints, signals"). signal.lua
-- verifies tokens against it; shared helpers: lib/80_wait.lua (W).

local SECRET = {
  MAX_GRACE = 1000000000000000, -- rotation grace (ms): the bound of a suspension timeout
}

local function sec_tag(keys)
  if #keys ~= 1 then return nil end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.sec(T) then return nil end
  return T
end

-- KEYS ff:sec:T; ARGV kid, secret_hex -> {1,"OK", current_kid,
-- "created"|"existing"|"repaired"}. Sets only when there is no current kid
-- (repairs a current kid whose secret is missing when the kids agree).
--- @function ff_secret_init
--- @mode write
--- @summary Install a partition's first signing secret (never replaces one).
--- @key secrets ff:sec:{fp:N} the partition's keystore
--- @arg kid string key id
--- @arg secret_hex string 32..1024 hex digits
--- @reply current_kid string the current kid
--- @reply outcome string created|existing|repaired
--- @error invalid_input, invalid_kid, invalid_secret_hex
local function ff_secret_init(keys, args)
  if not sec_tag(keys) then return U.err("invalid_input", "KEYS[1] must be ff:sec:{fp:N}") end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local kid, hex = args[1], string.lower(args[2])
  if not W.kid_ok(kid) then return U.err("invalid_kid") end
  if not W.secret_hex_ok(hex) then return U.err("invalid_secret_hex") end
  local cur = redis.call("HGET", keys[1], "current_kid")
  if cur then
    if cur == kid and not redis.call("HGET", keys[1], "secret:" .. kid) then
      redis.call("HSET", keys[1], "secret:" .. kid, hex)
      return U.ok(cur, "repaired")
    end
    return U.ok(cur, "existing")
  end
  redis.call("HSET", keys[1], "current_kid", kid, "secret:" .. kid, hex)
  return U.ok(kid, "created")
end

-- KEYS ff:sec:T; ARGV new_kid, new_secret_hex, grace_ms ->
-- {1,"OK","rotated", previous_kid, new_kid, gc_count} | {1,"OK","noop", kid}.
--- @function ff_secret_rotate
--- @mode write
--- @summary Rotate a partition's signing secret; the previous one verifies for a grace period.
--- @key secrets ff:sec:{fp:N} the partition's keystore
--- @arg new_kid string key id
--- @arg new_secret_hex string 32..1024 hex digits
--- @arg grace_ms int 0..1e15
--- @reply outcome string rotated|noop
--- @reply kid string rotated: the previous kid; noop: the current kid
--- @reply new_kid? string when rotated
--- @reply gc_count? int when rotated: previous kids deleted
--- @error invalid_input, invalid_kid, invalid_secret_hex, invalid_grace_ms, rotation_conflict, hmac_secret_not_initialized
local function ff_secret_rotate(keys, args)
  if not sec_tag(keys) then return U.err("invalid_input", "KEYS[1] must be ff:sec:{fp:N}") end
  if #args ~= 3 then return U.err("invalid_input", "argv: expected 3 arguments") end
  local kid, hex = args[1], string.lower(args[2])
  if not W.kid_ok(kid) then return U.err("invalid_kid") end
  if not W.secret_hex_ok(hex) then return U.err("invalid_secret_hex") end
  local grace = U.parse_int_range(args[3], 0, SECRET.MAX_GRACE)
  if grace == nil then return U.err("invalid_grace_ms") end
  local ks = keys[1]
  local cur = redis.call("HGET", ks, "current_kid")
  if not cur then return U.err("hmac_secret_not_initialized") end
  local have = redis.call("HGET", ks, "secret:" .. kid)
  if kid == cur then
    if have and have ~= hex then return U.err("rotation_conflict") end
    if not have then redis.call("HSET", ks, "secret:" .. kid, hex) end
    return U.ok("noop", kid)
  end
  -- a kid is bound to one secret forever (tokens name it)
  if have and have ~= hex then return U.err("rotation_conflict") end
  local now = U.now_ms()
  local all = redis.call("HGETALL", ks)
  local gc = 0
  for i = 1, #all, 2 do
    local k = string.match(all[i], "^expires_at:(.+)$")
    if k and k ~= kid then
      local exp = tonumber(all[i + 1])
      if exp == nil or exp < now then
        redis.call("HDEL", ks, all[i], "secret:" .. k)
        gc = gc + 1
      end
    end
  end
  redis.call("HSET", ks, "current_kid", kid, "secret:" .. kid, hex, "previous_kid", cur,
             "expires_at:" .. cur, U.istr(now + grace))
  redis.call("HDEL", ks, "expires_at:" .. kid)
  return U.ok("rotated", cur, kid, U.istr(gc))
end

-- KEYS ff:sec:T -> {1,"OK", current_kid, n, (kid, expires_at)*} for the
-- previous kids still inside their grace (never a secret).
--- @function ff_secret_list
--- @mode read-only
--- @summary The current kid and the previous kids still in their grace.
--- @key secrets ff:sec:{fp:N} the partition's keystore
--- @reply current_kid string "" = none
--- @reply n int kids that follow
--- @item kid 2
--- @field kid string previous kid
--- @field expires_at int end of its grace (ms)
--- @error invalid_input
local function ff_secret_list(keys, args)
  if not sec_tag(keys) then return U.err("invalid_input", "KEYS[1] must be ff:sec:{fp:N}") end
  if #args ~= 0 then return U.err("invalid_input", "argv: expected no arguments") end
  local now = U.now_ms()
  local all = redis.call("HGETALL", keys[1])
  local cur = ""
  local rows = {}
  for i = 1, #all, 2 do
    if all[i] == "current_kid" then cur = all[i + 1] end
    local k = string.match(all[i], "^expires_at:(.+)$")
    local exp = tonumber(all[i + 1])
    if k and exp and exp >= now then rows[#rows + 1] = { k, all[i + 1] } end
  end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  local out = { 1, "OK", cur, U.istr(#rows) }
  for i = 1, #rows do
    out[#out + 1] = rows[i][1]
    out[#out + 1] = rows[i][2]
  end
  return out
end

redis.register_function("ff_secret_init", ff_secret_init)
redis.register_function("ff_secret_rotate", ff_secret_rotate)
redis.register_function { function_name = "ff_secret_list", callback = ff_secret_list, flags = U.RO }
