-- 30_validate: identifiers, names, capability lists, tags.
-- Validators return the value (or true) on success and nil plus an error
-- reply on failure, so callers can `if not x then return e end`.

local V = {}

V.MAX_CAP_TOKENS = 256
V.MAX_CAP_BYTES = 4096

-- Execution id "{fp:N}:<uuid>" whose core key must be KEYS[1] exactly
-- (which also pins the hash tag). Returns T (the tag) and N.
function V.eid_for_core(keys, eid)
  if #keys ~= 1 then return nil, U.err("invalid_input", "keys: expected 1 key") end
  local n = type(eid) == "string" and string.match(eid, U.EID_PAT)
  if not n or string.lower(eid) ~= eid then
    return nil, U.err("invalid_input", "execution_id: malformed")
  end
  local part = tonumber(n)
  if #n > 5 or part > 65535 or (#n > 1 and string.byte(n, 1) == 48) then
    return nil, U.err("invalid_input", "execution_id: bad partition tag")
  end
  local T = "{fp:" .. n .. "}"
  if keys[1] ~= K.core(eid) then
    if K.tag_of(keys[1]) ~= T then
      return nil, U.err("invalid_input", "execution_id: hash tag differs from KEYS[1]")
    end
    return nil, U.err("invalid_input", "KEYS[1] is not the execution's core key")
  end
  return T, part
end

function V.namespace(s)
  if type(s) ~= "string" or #s < 1 or #s > 128 or not U.printable(s) then
    return nil, U.err("invalid_input", "namespace: 1..128 printable ASCII bytes")
  end
  return s
end

function V.lane(s)
  if type(s) ~= "string" or #s < 1 or #s > 64 or not U.printable(s) then
    return nil, U.err("invalid_input", "lane: 1..64 bytes 0x20..0x7E")
  end
  return s
end

-- A lane-scoped call (lua/quota.lua, lua/lanes.lua): KEYS[1] must be the
-- eligible index of lane args[1] on its partition, with nargs arguments.
-- Returns the partition tag, or nil plus an error reply.
function V.lane_call(keys, args, nargs)
  if #keys ~= 1 then return nil, U.err("invalid_input", "keys: expected 1 key") end
  if #args ~= nargs then return nil, U.err("invalid_input", "argv: expected " .. nargs .. " arguments") end
  local good, e = V.lane(args[1])
  if not good then return nil, e end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.lane(T, args[1], "eligible") then
    return nil, U.err("invalid_input", "KEYS[1] is not the lane's eligible index")
  end
  return T
end

function V.kind(s)
  if type(s) ~= "string" or #s < 1 or #s > 256 or not U.no_ctrl(s) or not U.utf8(s) then
    return nil, U.err("invalid_input", "kind: 1..256 bytes of UTF-8, no control bytes")
  end
  return s
end

-- Worker id / worker instance id: 1..256 bytes, no control bytes.
function V.worker_name(s, what)
  if type(s) ~= "string" or #s < 1 or #s > 256 or not U.no_ctrl(s) then
    return nil, U.err("invalid_input", what .. ": 1..256 bytes, no control bytes")
  end
  return s
end

-- Bounded free text (reasons, messages).
function V.text(s, what, max)
  if type(s) ~= "string" or #s > max then
    return nil, U.err("invalid_input", what .. ": at most " .. max .. " bytes")
  end
  return s
end

-- One capability token; returns a reason suffix or nil when fine.
local function cap_token_problem(tok)
  if tok == "" then return "empty_token" end
  if string.find(tok, ",", 1, true) then return "comma_in_token" end
  if string.find(tok, "[%z\1-\32\127]") then return "control_or_whitespace" end
  if not U.utf8(tok) then return "not_utf8" end
  return nil
end

-- Split a capability CSV. side = "required" | "worker".
-- Returns a list (possibly empty; duplicates kept) or nil, error reply.
function V.caps_csv(csv, side)
  if type(csv) ~= "string" then
    return nil, U.err("invalid_capabilities", side .. ":not_string")
  end
  if csv == "" then return {} end
  if #csv > V.MAX_CAP_BYTES then
    return nil, U.err("invalid_capabilities", side .. ":too_many_bytes")
  end
  local list, pos, n = {}, 1, 0
  while true do
    local c = string.find(csv, ",", pos, true)
    local tok = string.sub(csv, pos, c and (c - 1) or #csv)
    local why = cap_token_problem(tok)
    if why then return nil, U.err("invalid_capabilities", side .. ":" .. why) end
    n = n + 1
    if n > V.MAX_CAP_TOKENS then
      return nil, U.err("invalid_capabilities", side .. ":too_many_tokens")
    end
    list[n] = tok
    if not c then break end
    pos = c + 1
  end
  return list
end

-- Validate tokens taken from a JSON array (policy routing requirements).
function V.caps_array(arr, side)
  arr = U.as_array(arr)
  if arr == nil then
    return nil, U.err("invalid_capabilities", side .. ":not_array")
  end
  if #arr > V.MAX_CAP_TOKENS then
    return nil, U.err("invalid_capabilities", side .. ":too_many_tokens")
  end
  for i = 1, #arr do
    local tok = arr[i]
    if type(tok) ~= "string" then
      return nil, U.err("invalid_capabilities", side .. ":non_string_token")
    end
    local why = cap_token_problem(tok)
    if why then return nil, U.err("invalid_capabilities", side .. ":" .. why) end
  end
  return arr
end

-- Merge token lists into the sorted, de-duplicated CSV stored in `caps`
-- ("" when none), enforcing the token and byte ceilings on the result.
function V.caps_merge(a, b, side)
  if #a == 0 and #b == 0 then return "" end
  local seen, out = {}, {}
  for _, list in ipairs({ a, b }) do
    for i = 1, #list do
      local t = list[i]
      if not seen[t] then
        seen[t] = true
        out[#out + 1] = t
      end
    end
  end
  if #out > V.MAX_CAP_TOKENS then
    return nil, U.err("invalid_capabilities", side .. ":too_many_tokens")
  end
  table.sort(out)
  local csv = table.concat(out, ",")
  if #csv > V.MAX_CAP_BYTES then
    return nil, U.err("invalid_capabilities", side .. ":too_many_bytes")
  end
  return csv
end

-- Is every token of the stored required CSV in the worker's set?
function V.caps_subset(required_csv, worker_set)
  for tok in string.gmatch(required_csv, "[^,]+") do
    if not worker_set[tok] then return false end
  end
  return true
end

V.MAX_TAGS = 1024

-- Tags: "" or a JSON object of string -> string. Returns a flat
-- {k1, v1, k2, v2, ...} list (possibly empty) or nil, error reply.
function V.tags(json)
  if json == "" then return {} end
  if #json > 1048576 then return nil, U.err("invalid_input", "tags: too large") end
  local ok, doc = U.json_decode(json)
  if not ok then return nil, U.err("invalid_input", "tags: malformed JSON") end
  if type(doc) ~= "table" or not U.is_object(doc) then
    return nil, U.err("invalid_input", "tags: not a JSON object")
  end
  local keys = {}
  for k in pairs(doc) do keys[#keys + 1] = k end
  if #keys > V.MAX_TAGS then return nil, U.err("invalid_input", "tags: too many") end
  table.sort(keys)
  local flat = {}
  for i = 1, #keys do
    local k, v = keys[i], doc[keys[i]]
    if #k < 1 or #k > 128 or not U.no_ctrl(k) or not U.utf8(k) then
      return nil, U.err("invalid_tag_key", k)
    end
    if type(v) ~= "string" or v == U.EMPTY_ARRAY then
      return nil, U.err("invalid_input", "tags: value of " .. k .. " is not a string")
    end
    if #v > 4096 then
      return nil, U.err("invalid_input", "tags: value of " .. k .. " exceeds 4096 bytes")
    end
    if not U.utf8(v) then
      return nil, U.err("invalid_input", "tags: value of " .. k .. " is not valid UTF-8")
    end
    flat[#flat + 1] = k
    flat[#flat + 1] = v
  end
  return flat
end
