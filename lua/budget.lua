-- budget.lua: spend limits on their own partition family {b:M}
-- (docs/budgets.md). A budget has named dimensions (tokens, cost_microusd,
-- wall_ms, ...), each with a hard and a soft limit (0 = none), a usage
-- counter per dimension, a per-execution ledger of what each execution
-- spent, report dedup keys, and an optional periodic reset the engine
-- performs (ff_budget_sweep). Every key of one budget carries its tag
-- {b:M}; M (CRC16 of the id mod the partition count) is the caller's to
-- compute: a function only checks that its keys agree with the id.
-- Everything here sits in one function called at once: the library chunk
-- is at Lua's limit of 200 active locals, and the locals of a do-block would
-- still count against it.
;(function()
  local SCOPES = { global = true, tenant = true, namespace = true, lane = true, flow = true,
                   execution = true }
  local ON_HARD = { block = true, cancel_pending = true, notify = true }
  local ON_SOFT = { notify = true, block = true }
  local MAX_DIMS = 64           -- named dimensions per budget (limits and usage)
  local DEDUP_TTL_MS = 86400000 -- a report's dedup key lives 24 h
  local MAX_INTERVAL = 31622400000 -- a year of milliseconds

  -- The budget partition tag "{b:M}" of a key (canonical M 0..65535), or nil.
  local function btag(key)
    local T = K.tag_of(key)
    local m = T and string.match(T, "^{b:(%d+)}$")
    if not m or #m > 5 or (#m > 1 and string.byte(m, 1) == 48) or tonumber(m) > 65535 then return nil end
    return T
  end

  local function id_ok(s)
    return type(s) == "string" and #s >= 1 and #s <= 128 and string.find(s, "^[%w_%.:%-]+$") ~= nil
  end

  local function dim_ok(s)
    return type(s) == "string" and #s >= 1 and #s <= 64 and string.find(s, "^[%w_%.%-]+$") ~= nil
  end

  -- KEYS[1] = the budget record ff:b:{b:M}:<bid> and ARGV[1] = bid; at least
  -- nmin arguments (exactly nmin unless variadic). Returns B or nil, reply.
  local function prologue(keys, args, nmin, variadic)
    if #keys ~= 1 then return nil, U.err("invalid_input", "keys: expected 1 key") end
    if #args < nmin or (not variadic and #args ~= nmin) then
      return nil, U.err("invalid_input", "argv: expected " .. (variadic and "at least " or "") .. nmin .. " arguments")
    end
    if not id_ok(args[1]) then
      return nil, U.err("invalid_input", "budget_id: 1..128 bytes of [A-Za-z0-9_.:-]")
    end
    local B = btag(keys[1])
    if not B or keys[1] ~= K.budget(B, args[1]) then
      return nil, U.err("invalid_input", "KEYS[1] must be ff:b:{b:M}:<budget_id>")
    end
    return B
  end

  -- A stored non-negative integer (a limit, a usage value, a counter), or nil.
  local function stored_int(v)
    if type(v) ~= "string" or #v > 17 or not string.find(v, "^%d+$") then return nil end
    return tonumber(v)
  end

  -- The limits hash as {dim = {hard, soft}} (every field checked: a corrupt
  -- one fails the call closed), or nil plus the corrupt_record reply.
  local function load_limits(B, bid)
    local lk = K.budget_limits(B, bid)
    local raw = redis.call("HGETALL", lk)
    local lim = {}
    for i = 1, #raw, 2 do
      local f, v = raw[i], raw[i + 1]
      local kind, dim = string.match(f, "^([hs]):(.+)$")
      local n = stored_int(v)
      if not kind or not dim_ok(dim) or n == nil then return nil, U.corrupt(lk, f, v) end
      local l = lim[dim]
      if not l then l = { 0, 0 }; lim[dim] = l end
      l[kind == "h" and 1 or 2] = n
    end
    return lim
  end

  -- The usage hash as {dim = n}, or nil plus the corrupt_record reply.
  local function load_usage(B, bid)
    local uk = K.budget_usage(B, bid)
    local raw = redis.call("HGETALL", uk)
    local use, n = {}, 0
    for i = 1, #raw, 2 do
      local v = stored_int(raw[i + 1])
      if v == nil or not dim_ok(raw[i]) then return nil, U.corrupt(uk, raw[i], raw[i + 1]) end
      use[raw[i]] = v
      n = n + 1
    end
    return use, n
  end

  -- The budget record fields a call needs, checked; nil + reply when the
  -- budget does not exist or a field is corrupt.
  local DEF_INT = { interval = true, resets = true, breaches = true, soft_breaches = true, bgen = true }
  local function load_def(B, bid, fields)
    local dk = K.budget(B, bid)
    local v = redis.call("HMGET", dk, "created", unpack(fields))
    if not v[1] then return nil, U.err("budget_not_found", bid) end
    local d = {}
    for i = 1, #fields do
      local f, x = fields[i], v[i + 1]
      if DEF_INT[f] then
        local n = stored_int(x)
        if n == nil then return nil, U.corrupt(dk, f, x) end
        d[f] = n
      elseif f == "on_hard" and not ON_HARD[x] then return nil, U.corrupt(dk, f, x)
      elseif f == "on_soft" and not ON_SOFT[x] then return nil, U.corrupt(dk, f, x)
      else d[f] = x or "" end
    end
    return d
  end

  -- Dimension triples (dim, hard, soft) of args[first..]: a list of
  -- {dim, hard, soft}, or nil plus the invalid_input reply.
  local function parse_dims(args, first)
    local n = #args - first + 1
    if n % 3 ~= 0 then return nil, U.err("invalid_input", "dimensions: (name, hard, soft) triples") end
    if n / 3 > MAX_DIMS then return nil, U.err("invalid_input", "dimensions: at most " .. MAX_DIMS) end
    local out, seen = {}, {}
    for i = first, #args, 3 do
      local d = args[i]
      if not dim_ok(d) then return nil, U.err("invalid_input", "dimension: 1..64 bytes of [A-Za-z0-9_.-]") end
      if seen[d] then return nil, U.err("invalid_input", "dimension " .. d .. " given twice") end
      seen[d] = true
      local h = U.parse_int_range(args[i + 1], 0, U.MAX_SAFE)
      local s = U.parse_int_range(args[i + 2], 0, U.MAX_SAFE)
      if h == nil or s == nil then
        return nil, U.err("invalid_input", "dimension " .. d .. ": limits are integers >= 0 (0 = none)")
      end
      if h > 0 and s > h then
        return nil, U.err("invalid_input", "dimension " .. d .. ": soft limit above the hard limit")
      end
      out[#out + 1] = { d, h, s }
    end
    return out
  end

  -- Write limits triples into the limits hash (0 removes that limit).
  local function write_limits(B, bid, dims)
    local lk = K.budget_limits(B, bid)
    local set, del = {}, {}
    for i = 1, #dims do
      local d, h, s = dims[i][1], dims[i][2], dims[i][3]
      if h > 0 then set[#set + 1] = "h:" .. d; set[#set + 1] = U.istr(h) else del[#del + 1] = "h:" .. d end
      if s > 0 then set[#set + 1] = "s:" .. d; set[#set + 1] = U.istr(s) else del[#del + 1] = "s:" .. d end
    end
    if #del > 0 then redis.call("HDEL", lk, unpack(del)) end
    if #set > 0 then redis.call("HSET", lk, unpack(set)) end
  end

  -- The canonical text of a definition (a repeated create compares it).
  local function spec_text(scope, sid, on_hard, on_soft, interval, dims)
    local sorted = {}
    for i = 1, #dims do sorted[i] = dims[i] end
    table.sort(sorted, function(a, b) return a[1] < b[1] end)
    local p = { scope, sid, on_hard, on_soft, U.istr(interval) }
    for i = 1, #sorted do p[#p + 1] = sorted[i][1] .. "=" .. U.istr(sorted[i][2]) .. "/" .. U.istr(sorted[i][3]) end
    return table.concat(p, "\n")
  end

  -- Zero every usage dimension, drop every ledger (their spend was just
  -- wiped: a later release has nothing to give back), count the reset and
  -- schedule the next. Returns next_reset_at ("" = none).
  local function do_reset(B, bid, interval, now)
    local uk = K.budget_usage(B, bid)
    local dims = redis.call("HKEYS", uk)
    if #dims > 0 then
      local z = {}
      for i = 1, #dims do z[#z + 1] = dims[i]; z[#z + 1] = "0" end
      redis.call("HSET", uk, unpack(z))
    end
    local lsk = K.budget_ledgers(B, bid)
    while true do
      local eids = redis.call("SPOP", lsk, 500)
      if #eids == 0 then break end
      local lk = {}
      for i = 1, #eids do lk[i] = K.budget_ledger(B, bid, eids[i]) end
      redis.call("DEL", unpack(lk))
    end
    local nxt = ""
    if interval > 0 then
      nxt = U.istr(now + interval)
      redis.call("ZADD", K.budget_resets(B), nxt, bid)
    else
      redis.call("ZREM", K.budget_resets(B), bid)
    end
    local dk = K.budget(B, bid)
    redis.call("HINCRBY", dk, "resets", 1)
    redis.call("HSET", dk, "last_reset_at", U.istr(now), "next_reset_at", nxt,
               "last_breach_at", "", "last_breach_dim", "")
    return nxt
  end

  -- The PUBLISH a state change makes (K.chan_bdue) checked before any
  -- write: nil, or the unauthorized reply (lib/45_notify.lua says why).
  local function pub_guard(B)
    local chan = K.chan_bdue(B)
    if redis.acl_check_cmd("PUBLISH", chan, "x") then return nil end
    return U.err("unauthorized", "PUBLISH on channel " .. chan .. " is not permitted for this user "
                 .. "(FlowFabric writers need ff:wake:*, ff:due:* and ff:done:*)")
  end

  -- The state the execution partitions act on: "2" (cancel pending work) =
  -- on_hard "cancel_pending" and some usage at or over its hard limit; "1"
  -- (block) = on_hard "block" and some usage at or over its hard limit, or
  -- on_soft "block" and some usage over its soft limit; else "0". When that
  -- differs from the stored state: store it with a new generation, queue it
  -- for propagation to the execution partitions (K.budget_prop) and wake
  -- the engine. d: load_def with STATE_FIELDS.
  local ACTS = { block = true, cancel_pending = true }
  local function restate(B, bid, d, now)
    if not ACTS[d.on_hard] and d.on_soft ~= "block" and (d.blocked or "0") == "0" then return end
    local lim = load_limits(B, bid)
    local use = load_usage(B, bid)
    if not lim or not use then return end -- unreadable: the state stays as it is (fail closed)
    local state = "0"
    for dim, l in pairs(lim) do
      local u = use[dim] or 0
      local hard = l[1] > 0 and u >= l[1]
      if hard and d.on_hard == "cancel_pending" then
        state = "2"
        break
      end
      if (hard and d.on_hard == "block") or (d.on_soft == "block" and l[2] > 0 and u > l[2]) then state = "1" end
    end
    if state == (d.blocked or "0") then return end
    local gen = U.istr(d.bgen + 1)
    redis.call("HSET", K.budget(B, bid), "blocked", state, "bgen", gen)
    redis.call("ZADD", K.budget_prop(B), U.istr(now), bid)
    redis.call("PUBLISH", K.chan_bdue(B), U.istr(now))
  end
  local STATE_FIELDS = { "on_hard", "on_soft", "blocked", "bgen" }

--- @function ff_create_budget
--- @mode write
--- @summary Create a budget; a repeat keeps the stored definition and says whether it matched.
--- @key budget ff:b:{b:M}:<bid> the budget record (its tag routes the call)
--- @arg budget_id string 1..128 bytes of [A-Za-z0-9_.:-]
--- @arg scope_type string global|tenant|namespace|lane|flow|execution
--- @arg scope_id string <= 256 bytes, no control bytes ("" with scope global)
--- @arg on_hard string block|cancel_pending|notify (stored; docs/budgets.md says which act today)
--- @arg on_soft string notify|block (stored)
--- @arg reset_interval_ms int 0 (never) .. 31622400000
--- @arg dims... string 0..192 (dimension, hard, soft) triples; limits >= 0, 0 = none, soft <= hard
--- @reply outcome string created|existing
--- @reply same flag 1 when the stored definition equals this call's (always 1 on created)
--- @reply next_reset_at string the stored next reset (ms), "" = none
--- @error invalid_input, invalid_budget_scope, corrupt_record, unauthorized
local function ff_create_budget(keys, args)
    local B, e = prologue(keys, args, 6, true)
    if not B then return e end
    local bid, scope, sid, on_hard, on_soft = args[1], args[2], args[3], args[4], args[5]
    if not SCOPES[scope] then return U.err("invalid_budget_scope", "scope_type: " .. scope) end
    if #sid > 256 or not U.no_ctrl(sid) then
      return U.err("invalid_budget_scope", "scope_id: at most 256 bytes, no control bytes")
    end
    if not ON_HARD[on_hard] then return U.err("invalid_input", "on_hard: block, cancel_pending or notify") end
    if not ON_SOFT[on_soft] then return U.err("invalid_input", "on_soft: notify or block") end
    local interval = U.parse_int_range(args[6], 0, MAX_INTERVAL)
    if interval == nil then return U.err("invalid_input", "reset_interval_ms: integer 0.." .. MAX_INTERVAL) end
    local dims
    dims, e = parse_dims(args, 7)
    if not dims then return e end
    local spec = spec_text(scope, sid, on_hard, on_soft, interval, dims)
    local dk = K.budget(B, bid)
    local v = redis.call("HMGET", dk, "created", "spec", "next_reset_at")
    if v[1] then return U.ok("existing", v[2] == spec and "1" or "0", v[3] or "") end

    -- the engine learns of the first reset on ff:due:{b:M}; a PUBLISH the
    -- server would refuse is found before any write (lib/45_notify.lua)
    local chan = K.chan_bdue(B)
    if interval > 0 then
      e = pub_guard(B)
      if e then return e end
    end
    local now = U.now_ms()
    local nxt = interval > 0 and U.istr(now + interval) or ""
    redis.call("HSET", dk, "id", bid, "scope_type", scope, "scope_id", sid, "on_hard", on_hard,
               "on_soft", on_soft, "interval", U.istr(interval), "created", U.istr(now), "updated", U.istr(now),
               "spec", spec, "resets", "0", "breaches", "0", "soft_breaches", "0", "next_reset_at", nxt,
               "last_reset_at", "", "last_breach_at", "", "last_breach_dim", "", "blocked", "0", "bgen", "0")
    write_limits(B, bid, dims)
    redis.call("ZADD", K.budgets(B), "0", bid)
    if nxt ~= "" then
      redis.call("ZADD", K.budget_resets(B), nxt, bid)
      redis.call("PUBLISH", chan, nxt)
    end
    return U.ok("created", "1", nxt)
  end

--- @function ff_update_budget_limits
--- @mode write
--- @summary Change the limits of named dimensions (the only way limits change after create).
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @arg dims... string 3..192 (dimension, hard, soft) triples; 0 removes that limit; other dimensions keep theirs
--- @reply outcome string updated
--- @reply dimensions int dimensions that now have a limit
--- @error invalid_input, budget_not_found, corrupt_record
local function ff_update_budget_limits(keys, args)
    local B, e = prologue(keys, args, 4, true)
    if not B then return e end
    local bid = args[1]
    local dims
    dims, e = parse_dims(args, 2)
    if not dims then return e end
    local d
    d, e = load_def(B, bid, STATE_FIELDS)
    if not d then return e end
    local lim
    lim, e = load_limits(B, bid)
    if not lim then return e end
    local _, bad = load_usage(B, bid)
    if not _ then return bad end
    e = pub_guard(B)
    if e then return e end
    for i = 1, #dims do lim[dims[i][1]] = { dims[i][2], dims[i][3] } end
    local n = 0
    for _, l in pairs(lim) do
      if l[1] > 0 or l[2] > 0 then n = n + 1 end
    end
    if n > MAX_DIMS then return U.err("invalid_input", "dimensions: at most " .. MAX_DIMS) end
    write_limits(B, bid, dims)
    local now = U.now_ms()
    redis.call("HSET", K.budget(B, bid), "updated", U.istr(now))
    restate(B, bid, d, now) -- a raise may make room, a cut may block
    return U.ok("updated", U.istr(n))
  end

--- @function ff_report_usage
--- @mode write
--- @summary Check then apply usage deltas: all apply, or none when one would pass its hard limit.
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @arg execution_id string the reporting execution {fp:N}:<uuid> (its ledger), "" = no ledger
--- @arg dedup_key string 1..256 bytes, no control bytes; "" = no dedup
--- @arg deltas... string 2..128 (dimension, delta) pairs; delta integer >= 0
--- @reply outcome string applied|soft_breach|hard_breach|already_applied
--- @reply dimension string the breached dimension ("" unless a breach)
--- @reply current int hard_breach: the usage before (nothing applied); soft_breach: the usage after; else ""
--- @reply limit int the limit passed, "" unless a breach
--- @error invalid_input, budget_not_found, corrupt_record
local function ff_report_usage(keys, args)
    local B, e = prologue(keys, args, 5, true)
    if not B then return e end
    local bid, eid, dedup = args[1], args[2], args[3]
    if eid ~= "" and (not string.find(eid, U.EID_PAT) or string.lower(eid) ~= eid) then
      return U.err("invalid_input", "execution_id: {fp:N}:<uuid> or empty")
    end
    if #dedup > 256 or not U.no_ctrl(dedup) then
      return U.err("invalid_input", "dedup_key: at most 256 bytes, no control bytes")
    end
    local n = #args - 3
    if n % 2 ~= 0 then return U.err("invalid_input", "deltas: (dimension, delta) pairs") end
    if n / 2 > MAX_DIMS then return U.err("invalid_input", "deltas: at most " .. MAX_DIMS .. " dimensions") end
    local dims, deltas, seen = {}, {}, {}
    for i = 4, #args, 2 do
      local d = args[i]
      if not dim_ok(d) then return U.err("invalid_input", "dimension: 1..64 bytes of [A-Za-z0-9_.-]") end
      if seen[d] then return U.err("invalid_input", "dimension " .. d .. " given twice") end
      seen[d] = true
      local x = U.parse_int_range(args[i + 1], 0, U.MAX_SAFE)
      if x == nil then return U.err("invalid_input", "delta of " .. d .. ": integer >= 0") end
      dims[#dims + 1] = d
      deltas[#deltas + 1] = x
    end
    local def
    def, e = load_def(B, bid, { "breaches", "soft_breaches", "on_hard", "on_soft", "blocked", "bgen" })
    if not def then return e end
    local dkey = dedup ~= "" and K.budget_dedup(B, bid, dedup) or nil
    if dkey and redis.call("EXISTS", dkey) == 1 then return U.ok("already_applied", "", "", "") end
    local lim
    lim, e = load_limits(B, bid)
    if not lim then return e end
    local use, nuse
    use, nuse = load_usage(B, bid)
    if not use then return nuse end
    local fresh = 0
    for i = 1, #dims do
      if use[dims[i]] == nil then fresh = fresh + 1 end
    end
    if nuse + fresh > MAX_DIMS then
      return U.err("invalid_input", "dimensions: a budget tracks at most " .. MAX_DIMS)
    end
    if ACTS[def.on_hard] or def.on_soft == "block" then
      e = pub_guard(B)
      if e then return e end
    end

    -- check first: one delta past its hard limit applies none of them
    local now = U.now_ms()
    local dk = K.budget(B, bid)
    for i = 1, #dims do
      local d = dims[i]
      local hard, cur = lim[d] and lim[d][1] or 0, use[d] or 0
      if hard > 0 and cur + deltas[i] > hard then
        redis.call("HSET", dk, "breaches", U.istr(def.breaches + 1), "last_breach_at", U.istr(now),
                   "last_breach_dim", d)
        return U.ok("hard_breach", d, U.istr(cur), U.istr(hard))
      end
    end
    local uk = K.budget_usage(B, bid)
    local lk = eid ~= "" and K.budget_ledger(B, bid, eid) or nil
    local soft_dim, soft_cur, soft_lim
    for i = 1, #dims do
      local d, x = dims[i], deltas[i]
      local after = redis.call("HINCRBY", uk, d, x)
      if lk then redis.call("HINCRBY", lk, d, x) end
      local soft = lim[d] and lim[d][2] or 0
      if not soft_dim and soft > 0 and after > soft then
        soft_dim, soft_cur, soft_lim = d, after, soft
      end
    end
    if lk then redis.call("SADD", K.budget_ledgers(B, bid), eid) end
    if dkey then redis.call("SET", dkey, "1", "PX", DEDUP_TTL_MS) end
    restate(B, bid, def, now)
    if soft_dim then
      redis.call("HSET", dk, "soft_breaches", U.istr(def.soft_breaches + 1))
      return U.ok("soft_breach", soft_dim, U.istr(soft_cur), U.istr(soft_lim))
    end
    return U.ok("applied", "", "", "")
  end

--- @function ff_release_budget
--- @mode write
--- @summary Give back exactly what one execution recorded in this period (never below 0; idempotent).
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @arg execution_id eid the execution whose ledger is released
--- @reply outcome string released|noop (no ledger: never recorded, already released, or reset since)
--- @reply dimensions int dimensions given back
--- @error invalid_input, budget_not_found, corrupt_record
local function ff_release_budget(keys, args)
    local B, e = prologue(keys, args, 2)
    if not B then return e end
    local bid, eid = args[1], args[2]
    if not string.find(eid, U.EID_PAT) or string.lower(eid) ~= eid then
      return U.err("invalid_input", "execution_id: {fp:N}:<uuid>")
    end
    local d
    d, e = load_def(B, bid, STATE_FIELDS)
    if not d then return e end
    local lk = K.budget_ledger(B, bid, eid)
    local led = redis.call("HGETALL", lk)
    if #led == 0 then return U.ok("noop", "0") end
    local use
    use, e = load_usage(B, bid)
    if not use then return e end
    e = pub_guard(B)
    if e then return e end
    local give = {}
    for i = 1, #led, 2 do
      local x = stored_int(led[i + 1])
      if x == nil or not dim_ok(led[i]) then return U.corrupt(lk, led[i], led[i + 1]) end
      local left = (use[led[i]] or 0) - x
      give[#give + 1] = led[i]
      give[#give + 1] = U.istr(left > 0 and left or 0)
    end
    redis.call("HSET", K.budget_usage(B, bid), unpack(give))
    redis.call("DEL", lk)
    redis.call("SREM", K.budget_ledgers(B, bid), eid)
    restate(B, bid, d, U.now_ms())
    return U.ok("released", U.istr(#give / 2))
  end

--- @function ff_reset_budget
--- @mode write
--- @summary Zero every usage dimension, drop the ledgers, count the reset, schedule the next.
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @reply outcome string reset
--- @reply next_reset_at string next reset (ms), "" = none (interval 0)
--- @reply reset_count int resets so far
--- @error invalid_input, budget_not_found, corrupt_record
local function ff_reset_budget(keys, args)
    local B, e = prologue(keys, args, 1)
    if not B then return e end
    local d
    d, e = load_def(B, args[1], { "interval", "resets", "on_hard", "on_soft", "blocked", "bgen" })
    if not d then return e end
    local _, bad = load_usage(B, args[1])
    if not _ then return bad end
    e = pub_guard(B)
    if e then return e end
    local now = U.now_ms()
    local nxt = do_reset(B, args[1], d.interval, now)
    restate(B, args[1], d, now)
    return U.ok("reset", nxt, U.istr(d.resets + 1))
  end

--- @function ff_budget_sweep
--- @mode write
--- @summary Perform the due resets of one budget partition (the engine, every sweep).
--- @key resets ff:i:{b:M}:budget_resets the partition's reset schedule (budget id -> due ms)
--- @arg limit int 1..1000 resets at most
--- @reply resets int budgets reset now
--- @reply corrupt int due budgets whose record is corrupt (kept, retried in a minute)
--- @reply more flag 1 when more resets are due now
--- @reply next_due_ms string the next due reset, "" = none
--- @reply now_ms int server time
--- @item propagation 3
--- @field budget_id string a budget whose blocked state changed: the caller sends ff_budget_mark to every execution partition, then ff_budget_propagated
--- @field generation int its state generation
--- @field state string 0 = room, 1 = block, 2 = cancel pending work
--- @error invalid_input
local function ff_budget_sweep(keys, args)
    if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
    local B = btag(keys[1])
    if not B or keys[1] ~= K.budget_resets(B) then
      return U.err("invalid_input", "KEYS[1] must be ff:i:{b:M}:budget_resets")
    end
    if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
    local limit = U.parse_int_range(args[1], 1, 1000)
    if limit == nil then return U.err("invalid_input", "limit: integer 1..1000") end
    local now = U.now_ms()
    local due = redis.call("ZRANGEBYSCORE", keys[1], "-inf", U.istr(now), "LIMIT", 0, limit)
    local done, corrupt = 0, 0
    for i = 1, #due do
      local bid = due[i]
      local d, e = nil, nil
      if id_ok(bid) then d, e = load_def(B, bid, { "interval", "on_hard", "on_soft", "blocked", "bgen" }) end
      if d and not load_usage(B, bid) then d, e = nil, U.err("corrupt_record") end
      if d then
        do_reset(B, bid, d.interval, now)
        restate(B, bid, d, now)
        done = done + 1
      elseif e and e[2] == "budget_not_found" then
        redis.call("ZREM", keys[1], bid) -- a stray schedule entry
      else
        -- fail closed: a budget whose record cannot be read is never
        -- dropped or reset blind; it is looked at again in a minute
        redis.call("ZADD", keys[1], U.istr(now + 60000), bid)
        corrupt = corrupt + 1
      end
    end
    local head = redis.call("ZRANGE", keys[1], 0, 0, "WITHSCORES")
    local more = #due >= limit and head[2] and tonumber(head[2]) <= now
    local out = { 1, "OK", U.istr(done), U.istr(corrupt), more and "1" or "0", head[2] or "", U.istr(now) }
    -- blocked-state changes not yet propagated to every execution partition
    local props = redis.call("ZRANGE", K.budget_prop(B), 0, limit - 1)
    for i = 1, #props do
      local v = redis.call("HMGET", K.budget(B, props[i]), "bgen", "blocked")
      if v[1] and (v[2] == "0" or v[2] == "1" or v[2] == "2") then
        out[#out + 1] = props[i]; out[#out + 1] = v[1]; out[#out + 1] = v[2]
      else
        redis.call("ZREM", K.budget_prop(B), props[i]) -- the budget is gone or corrupt: nothing to tell
      end
    end
    return out
  end

--- @function ff_describe_budget
--- @mode read-only
--- @summary A budget's definition, counters and, per dimension, limits and usage.
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @reply scope_type string
--- @reply scope_id string
--- @reply on_hard string
--- @reply on_soft string
--- @reply reset_interval_ms int 0 = never
--- @reply created_at int ms
--- @reply next_reset_at string ms, "" = none
--- @reply reset_count int
--- @reply breaches int hard breaches (reports refused)
--- @reply soft_breaches int reports that passed a soft limit
--- @reply last_breach_at string ms of the last hard breach since the last reset, ""
--- @reply last_breach_dim string its dimension, ""
--- @reply last_reset_at string ms, "" = never
--- @reply executions int executions with spend recorded in this period (ledgers)
--- @item dimension 4
--- @field name string dimension name (byte order)
--- @field hard int hard limit, 0 = none
--- @field soft int soft limit, 0 = none
--- @field usage int usage in this period
--- @error invalid_input, budget_not_found, corrupt_record
local function ff_describe_budget(keys, args)
    local B, e = prologue(keys, args, 1)
    if not B then return e end
    local bid = args[1]
    local d
    d, e = load_def(B, bid, { "scope_type", "scope_id", "on_hard", "on_soft", "interval", "created",
                              "next_reset_at", "resets", "breaches", "soft_breaches", "last_breach_at",
                              "last_breach_dim", "last_reset_at" })
    if not d then return e end
    local lim
    lim, e = load_limits(B, bid)
    if not lim then return e end
    local use
    use, e = load_usage(B, bid)
    if not use then return e end
    local names, seen = {}, {}
    for k in pairs(lim) do names[#names + 1] = k; seen[k] = true end
    for k in pairs(use) do
      if not seen[k] then names[#names + 1] = k end
    end
    table.sort(names)
    local out = { 1, "OK", d.scope_type, d.scope_id, d.on_hard, d.on_soft, U.istr(d.interval), d.created,
                  d.next_reset_at, U.istr(d.resets), U.istr(d.breaches), U.istr(d.soft_breaches),
                  d.last_breach_at, d.last_breach_dim, d.last_reset_at,
                  U.istr(redis.call("SCARD", K.budget_ledgers(B, bid))) }
    for i = 1, #names do
      local k, l = names[i], lim[names[i]] or { 0, 0 }
      out[#out + 1] = k
      out[#out + 1] = U.istr(l[1])
      out[#out + 1] = U.istr(l[2])
      out[#out + 1] = U.istr(use[k] or 0)
    end
    return out
  end

--- @function ff_list_budgets
--- @mode read-only
--- @summary One page of a budget partition's budget ids, in byte order after an exclusive cursor.
--- @key budgets ff:i:{b:M}:budgets the partition's budget index
--- @arg cursor string the last id of the previous page, "" = from the start
--- @arg count int 1..1000
--- @reply next_cursor string "" when done
--- @item budget 1
--- @field budget_id string budget id
--- @error invalid_input
local function ff_list_budgets(keys, args)
    if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
    if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
    local B = btag(keys[1])
    if not B or keys[1] ~= K.budgets(B) then return U.err("invalid_input", "KEYS[1] must be ff:i:{b:M}:budgets") end
    local cursor = args[1]
    if cursor ~= "" and not id_ok(cursor) then return U.err("invalid_input", "cursor: a budget id or empty") end
    return U.lex_page(keys[1], cursor, args[2])
  end

--- @function ff_lease_current
--- @mode read-only
--- @summary Is this fence the execution's current, unexpired lease? (read on the execution's slot; ff_budget_report_usage's first step)
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @reply outcome string current
--- @error invalid_input, corrupt_record, execution_not_found, fence_required, partial_fence_triple, execution_not_active, lease_revoked, lease_expired, no_active_lease, stale_lease
local function ff_lease_current(keys, args)
    if #args ~= 4 then return U.err("invalid_input", "argv: expected 4 arguments") end
    local T, e = V.eid_for_core(keys, args[1])
    if not T then return e end
    local mode, epoch = F.parse(args[2], args[3], args[4], false)
    if not mode then return epoch end
    local rec
    rec, e = F.must(K.core(args[1]), F.LEASE_FIELDS)
    if not rec then return e end
    if rec.phase ~= "active" then return F.not_active(rec) end
    if rec.own == "lease_revoked" then return U.err("lease_revoked") end
    -- read-only: an expired lease is reported, not interrupted (the sweep
    -- or the next fenced write does that)
    if rec.own == "lease_expired_reclaimable" or (rec.own == "leased" and tonumber(rec.lexp or "0") <= U.now_ms()) then
      return U.err("lease_expired")
    end
    if rec.own ~= "leased" then return U.err("no_active_lease") end
    if rec.lid ~= args[2] or not F.same(rec, epoch, args[4]) then return U.err("stale_lease") end
    return U.ok("current")
  end

--- @function ff_budget_mark
--- @mode write
--- @summary Propagate a budget's blocked state to one execution partition; unblocking returns its parked executions to eligible.
--- @key marks ff:i:{fp:N}:budget_marks the partition's budget marks
--- @arg budget_id string 1..128 bytes of [A-Za-z0-9_.:-]
--- @arg generation int the budget's state generation (ff_budget_sweep)
--- @arg state string 0 = room, 1 = block, 2 = cancel pending work
--- @arg limit int 1..1000 parked executions moved at most
--- @reply outcome string marked|stale (a newer generation is already here)
--- @reply released int executions returned to eligible (state 0) or cancelled (state 2)
--- @reply more flag 1 when parked executions are left to move (call again)
--- @error invalid_input, unauthorized, corrupt_record
local function ff_budget_mark(keys, args)
    if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
    local T = K.key_tag(keys[1])
    if not T or keys[1] ~= K.budget_marks(T) then
      return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:budget_marks")
    end
    if #args ~= 4 then return U.err("invalid_input", "argv: expected 4 arguments") end
    local bid = args[1]
    if not id_ok(bid) then return U.err("invalid_input", "budget_id: 1..128 bytes of [A-Za-z0-9_.:-]") end
    local gen = U.parse_int_range(args[2], 1, U.MAX_SAFE)
    if gen == nil then return U.err("invalid_input", "generation: integer >= 1") end
    local state = args[3]
    if state ~= "0" and state ~= "1" and state ~= "2" then return U.err("invalid_input", "state: 0, 1 or 2") end
    local limit = U.parse_int_range(args[4], 1, 1000)
    if limit == nil then return U.err("invalid_input", "limit: integer 1..1000") end
    local denied = N.guard(T)
    if denied then return denied end
    local cur = redis.call("HGET", keys[1], bid)
    if cur then
      local g, st = string.match(cur, "^(%d+):([012])$")
      if not g then return U.corrupt(keys[1], bid, cur) end
      -- a newer state is here already; the same one continues the moves
      if tonumber(g) > gen or (tonumber(g) == gen and st ~= state) then return U.ok("stale", "0", "0") end
    end
    redis.call("HSET", keys[1], bid, U.istr(gen) .. ":" .. state)
    if state == "1" then return U.ok("marked", "0", "0") end
    -- room again: the executions this budget held back return; cancel: they
    -- are cancelled (claims park or cancel lazily, so a mark touches only
    -- the executions already parked)
    local wk = K.budget_wait(T, bid)
    local eids = redis.call("SPOP", wk, limit)
    local now, moved = U.now_ms(), 0
    for i = 1, #eids do
      local done, cancelled
      if state == "2" then done = X.bud_cancel(T, eids[i], now) else done, cancelled = X.bud_unpark(T, eids[i], now) end
      if done or cancelled then moved = moved + 1 end
    end
    return U.ok("marked", U.istr(moved), redis.call("SCARD", wk) > 0 and "1" or "0")
  end

--- @function ff_budget_propagated
--- @mode write
--- @summary Mark a budget's state generation as propagated to every execution partition.
--- @key budget ff:b:{b:M}:<bid> the budget record
--- @arg budget_id string the budget id; must match KEYS[1]
--- @arg generation int the generation every partition was marked with
--- @reply outcome string done|newer (the state changed again since: it stays queued)
--- @error invalid_input
local function ff_budget_propagated(keys, args)
    local B, e = prologue(keys, args, 2)
    if not B then return e end
    local gen = U.parse_int_range(args[2], 1, U.MAX_SAFE)
    if gen == nil then return U.err("invalid_input", "generation: integer >= 1") end
    local cur = redis.call("HGET", keys[1], "bgen")
    if cur and tonumber(cur) and tonumber(cur) > gen then return U.ok("newer") end
    redis.call("ZREM", K.budget_prop(B), args[1])
    return U.ok("done")
  end

redis.register_function("ff_budget_mark", ff_budget_mark)
redis.register_function("ff_budget_propagated", ff_budget_propagated)
redis.register_function("ff_create_budget", ff_create_budget)
redis.register_function("ff_update_budget_limits", ff_update_budget_limits)
redis.register_function("ff_report_usage", ff_report_usage)
redis.register_function("ff_release_budget", ff_release_budget)
redis.register_function("ff_reset_budget", ff_reset_budget)
redis.register_function("ff_budget_sweep", ff_budget_sweep)
redis.register_function { function_name = "ff_describe_budget", callback = ff_describe_budget, flags = U.RO }
redis.register_function { function_name = "ff_list_budgets", callback = ff_list_budgets, flags = U.RO }
redis.register_function { function_name = "ff_lease_current", callback = ff_lease_current, flags = U.RO }
end)()
