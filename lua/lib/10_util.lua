-- 10_util: reply envelope, server clock, strict number parsing, small table helpers.

local U = {}

local MAX_SAFE = 9007199254740991 -- 2^53 - 1: largest integer a double holds exactly
U.MAX_SAFE = MAX_SAFE

-- The flags of a read-only function (callable with FCALL_RO).
U.RO = { "no-writes" }

function U.ok(...)
  return { 1, "OK", ... }
end

function U.err(token, ...)
  return { 0, token, ... }
end

-- {0, "corrupt_record", key, field, value (cut to 32 bytes)}: a stored
-- value that cannot be what the library wrote.
function U.corrupt(key, field, value)
  value = value or ""
  if #value > 32 then value = string.sub(value, 1, 32) .. "..." end
  return { 0, "corrupt_record", key, field, value }
end

-- Integer (already validated as such) -> canonical decimal string.
function U.istr(n)
  return string.format("%d", n)
end

-- Server clock in unix milliseconds.
function U.now_ms()
  local t = redis.call("TIME")
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Strict decimal integer: optional '-', digits only, |n| <= 2^53-1.
-- Rejects "", "+1", " 1", "1.0", "1e3", "0x10", "nan", "inf".
function U.parse_int(s)
  if type(s) ~= "string" then return nil end
  local len = #s
  if len == 0 or len > 17 then return nil end
  if not string.find(s, "^%-?%d+$") then return nil end
  local n = tonumber(s)
  if n == nil or n > MAX_SAFE or n < -MAX_SAFE then return nil end
  if n == 0 then return 0 end -- "-0" is -0.0 in Lua and would print as "-0"
  return n
end

-- parse_int restricted to [lo, hi].
function U.parse_int_range(s, lo, hi)
  local n = U.parse_int(s)
  if n == nil or n < lo or n > hi then return nil end
  return n
end

-- Strict finite decimal number ("0.5", "1", ".25", "1e-05"); no hex/nan/inf.
function U.parse_float(s)
  if type(s) ~= "string" then return nil end
  local len = #s
  if len == 0 or len > 64 then return nil end
  local m = string.match(s, "^%-?(%d*%.?%d*)$")
  if m == nil then m = string.match(s, "^%-?(%d*%.?%d*)[eE][%-%+]?%d+$") end
  if m == nil or not string.find(m, "%d") then return nil end
  local n = tonumber(s)
  if not U.is_finite(n) then return nil end
  return n
end

function U.is_finite(n)
  return type(n) == "number" and n == n and n ~= math.huge and n ~= -math.huge
end

-- A JSON-decoded number that is an exact integer within +-(2^53-1).
function U.is_int(n)
  return U.is_finite(n) and n == math.floor(n) and n <= MAX_SAFE and n >= -MAX_SAFE
end

-- cjson decodes "[]" and "{}" to the same empty table. U.json_decode
-- rewrites every empty array outside string literals to a marker string
-- first, so after decoding an empty table is always an object and an empty
-- array is the string U.EMPTY_ARRAY.
U.EMPTY_ARRAY = "\0ff:empty_array\0"
local EMPTY_ARRAY_LIT = '"\\u0000ff:empty_array\\u0000"'

function U.json_decode(text)
  if string.find(text, "%[[ \t\n\r]*%]") then
    local out, last, pos = {}, 1, 1
    while true do
      local i = string.find(text, '["%[]', pos)
      if not i then break end
      if string.byte(text, i) == 34 then -- '"': skip the string literal
        local j = i + 1
        while true do
          local k = string.find(text, '["\\]', j)
          if not k then j = #text + 1; break end -- unterminated: cjson reports it
          if string.byte(text, k) == 92 then j = k + 2 else j = k + 1; break end
        end
        pos = j
      else
        local e = string.match(text, "^%[[ \t\n\r]*%]()", i)
        if e then
          out[#out + 1] = string.sub(text, last, i - 1)
          out[#out + 1] = EMPTY_ARRAY_LIT
          last = e
          pos = e
        else
          pos = i + 1
        end
      end
    end
    if last > 1 then
      out[#out + 1] = string.sub(text, last)
      text = table.concat(out)
    end
  end
  return pcall(cjson.decode, text)
end

-- A decoded JSON array as a Lua list ({} for an empty one), or nil.
function U.as_array(t)
  if t == U.EMPTY_ARRAY then return {} end
  if type(t) ~= "table" then return nil end
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" then return nil end
    n = n + 1
  end
  if n == 0 then return nil end -- "{}"
  for i = 1, n do
    if t[i] == nil then return nil end
  end
  return t
end

function U.is_array(t)
  return U.as_array(t) ~= nil
end

-- cjson-decoded JSON object (string keys only; "{}" counts, "[]" does not
-- when decoded with U.json_decode).
function U.is_object(t)
  if type(t) ~= "table" then return false end
  for k in pairs(t) do
    if type(k) ~= "string" then return false end
  end
  return true
end

-- true when s has no ASCII control byte (0x00-0x1F, 0x7F).
function U.no_ctrl(s)
  return not string.find(s, "[%z\1-\31\127]")
end

-- Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
-- above U+10FFFF). Lua 5.1 has no utf8 library; ASCII (the common case) is
-- recognised with one scan.
function U.utf8(s)
  if not string.find(s, "[\128-\255]") then return true end
  local i, n = 1, #s
  local byte = string.byte
  while i <= n do
    local c = byte(s, i)
    if c < 0x80 then
      i = i + 1
    else
      local len, lo, hi
      if c >= 0xC2 and c <= 0xDF then len = 2
      elseif c >= 0xE0 and c <= 0xEF then len = 3
      elseif c >= 0xF0 and c <= 0xF4 then len = 4
      else return false end
      if i + len - 1 > n then return false end
      -- the second byte's range depends on the first (overlongs, surrogates, > U+10FFFF)
      lo, hi = 0x80, 0xBF
      if c == 0xE0 then lo = 0xA0 elseif c == 0xED then hi = 0x9F
      elseif c == 0xF0 then lo = 0x90 elseif c == 0xF4 then hi = 0x8F end
      local c2 = byte(s, i + 1)
      if c2 < lo or c2 > hi then return false end
      for k = 2, len - 1 do
        local cb = byte(s, i + k)
        if cb < 0x80 or cb > 0xBF then return false end
      end
      i = i + len
    end
  end
  return true
end

-- true when every byte of s is in 0x20..0x7E.
function U.printable(s)
  return not string.find(s, "[^\32-\126]")
end

-- Truthy, non-empty string (the "empty string means unset" rule).
function U.set(v)
  return v ~= nil and v ~= false and v ~= ""
end

-- %x (isxdigit) is much cheaper per byte than a [0-9a-f] set; upper-case
-- hex digits are rejected separately with one %u scan.
local H = "%x"
local UUID_BODY = H:rep(8) .. "%-" .. H:rep(4) .. "%-" .. H:rep(4) .. "%-" .. H:rep(4) .. "%-" .. H:rep(12)
U.UUID_PAT = "^" .. UUID_BODY .. "$"
U.EID_PAT = "^{fp:(%d+)}:" .. UUID_BODY .. "$"

-- Lowercase hyphenated uuid (8-4-4-4-12).
function U.is_uuid(s)
  return type(s) == "string" and #s == 36 and string.find(s, U.UUID_PAT) ~= nil
    and string.lower(s) == s
end

-- JSON string literal for s (cjson only when escaping is needed: control
-- bytes, double quote or backslash; other bytes, UTF-8 included, pass through).
function U.jstr(s)
  if string.find(s, '[%z\1-\31"\\]') then return cjson.encode(s) end
  return '"' .. s .. '"'
end

-- JSON array of the strings of a stored CSV (capabilities, budget ids);
-- nil or "" gives [].
function U.jcsv(csv)
  local out = {}
  for v in string.gmatch(csv or "", "[^,]+") do out[#out + 1] = U.jstr(v) end
  return "[" .. table.concat(out, ",") .. "]"
end

-- One page of a byte-ordered id index (a ZSET of score-0 ids: the flow and
-- budget listings) after an exclusive cursor (the caller validated it):
-- {1, "OK", next_cursor ("" = done), id, ...}, or the count refusal.
function U.lex_page(key, cursor, count_s)
  local count = U.parse_int_range(count_s, 1, 1000)
  if count == nil then return U.err("invalid_input", "count: integer 1..1000") end
  local ids = redis.call("ZRANGEBYLEX", key, cursor == "" and "-" or "(" .. cursor, "+", "LIMIT", 0, count)
  local out = { 1, "OK", #ids == count and ids[#ids] or "" }
  for i = 1, #ids do out[#out + 1] = ids[i] end
  return out
end
