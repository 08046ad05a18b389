-- flow.lua: flows (DAGs of executions): create, membership, edge groups,
-- edges, and the flow reads. The records and the resolution that runs
-- inside every member's terminal transition are in lib/75_edges.lua.
-- Every call validates everything before its first write.

-- KEYS[1] must be the flow record of ARGV[1]; returns T or nil, reply.
local function flow_prologue(keys, fid, nargs, args)
  if #keys ~= 1 then return nil, U.err("invalid_input", "keys: expected 1 key") end
  if #args ~= nargs then return nil, U.err("invalid_input", "argv: expected " .. nargs .. " arguments") end
  local T, e = D.fid_tag(fid)
  if not T then return nil, e end
  if keys[1] ~= K.flow(fid) then return nil, U.err("invalid_input", "KEYS[1] is not the flow record of flow_id") end
  return T
end

-- A member id of flow fid's partition T, or nil plus the reply
-- (invalid_input for a malformed id, partition_mismatch for another tag).
local function same_partition(T, eid, what)
  local ET, e = D.fid_tag(eid, what)
  if not ET then return nil, e end
  if ET ~= T then return nil, U.err("partition_mismatch", what .. " is on " .. ET .. ", the flow on " .. T) end
  return eid
end

local function limit_arg(s, what, default, max)
  if s == "" or s == "0" then return default end
  local n = U.parse_int_range(s, 1, max)
  if n == nil then return nil, U.err("invalid_input", what .. ": integer 1.." .. max .. " or empty") end
  return n
end

--- @function ff_flow_create
--- @mode write
--- @summary Create a flow (idempotent: a repeat returns the stored flow and keeps its limits).
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id {fp:N}:<uuid>; must match KEYS[1]
--- @arg max_members int 1..10000, "" = 1000
--- @arg max_incoming int incoming edges per member 1..1000, "" = 100
--- @arg lane string the lane whose partition the id was minted on (recorded only)
--- @arg budgets string "" or the CSV of budget ids (at most 16) every member draws on besides its own (docs/budgets.md); a repeat keeps the stored ones
--- @reply flow_id eid the flow
--- @reply outcome string created|existing
--- @reply max_members int the stored limit
--- @reply max_incoming int the stored limit
--- @error invalid_input, corrupt_record
local function ff_flow_create(keys, args)
  local T, e = flow_prologue(keys, args[1], 5, args)
  if not T then return e end
  local fid = args[1]
  local mm, mi, fbud
  fbud, e = D.budgets_arg(args[5])
  if not fbud then return e end
  mm, e = limit_arg(args[2], "max_members", D.DEFAULT_MAX_MEMBERS, D.MAX_MEMBERS)
  if not mm then return e end
  mi, e = limit_arg(args[3], "max_incoming", D.DEFAULT_MAX_IN, D.MAX_IN)
  if not mi then return e end
  if args[4] ~= "" then
    local good
    good, e = V.lane(args[4])
    if not good then return e end
  end
  local f, bad = D.load_flow(fid)
  if bad then return bad end
  if f then return U.ok(fid, "existing", U.istr(f.mm), U.istr(f.mi)) end
  local now_s = U.istr(U.now_ms())
  redis.call("HSET", K.flow(fid), "created", now_s, "rev", "0", "nodes", "0", "edges", "0", "done", "0",
             "started", "0", "mm", U.istr(mm), "mi", U.istr(mi), "lane", args[4])
  if fbud ~= "" then redis.call("HSET", K.flow(fid), "bud", fbud) end
  redis.call("ZADD", K.flows(T), "0", fid)
  return U.ok(fid, "created", U.istr(mm), U.istr(mi))
end

--- @function ff_flow_add_member
--- @mode write
--- @summary Add an existing execution of the flow's partition to the flow (atomic, idempotent).
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg eid eid the execution, on the flow's partition
--- @reply outcome string added|already_member
--- @reply members int the flow's member count
--- @reply revision int the graph revision
--- @error invalid_input, corrupt_record, partition_mismatch, flow_not_found, flow_already_terminal, flow_limit_exceeded, execution_not_found, execution_already_in_flow
local function ff_flow_add_member(keys, args)
  local T, e = flow_prologue(keys, args[1], 2, args)
  if not T then return e end
  local fid = args[1]
  local eid
  eid, e = same_partition(T, args[2], "execution_id")
  if not eid then return e end
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  local rec
  rec, e = F.must(K.core(eid), { "st", "fl", "started" })
  if not rec then return e end
  if rec.fl == fid then return U.ok("already_member", U.istr(f.nodes), U.istr(f.rev)) end
  if rec.fl then return U.err("execution_already_in_flow", rec.fl) end
  f, e = D.join_check(fid)
  if not f then return e end
  local rev = D.join(fid, eid, rec)
  return U.ok("added", U.istr(f.nodes + 1), U.istr(rev))
end

-- The k and on_satisfied of a group policy, or nil plus the
-- invalid_flow_policy refusal (ff_flow_set_group and ff_flow_submit).
local function group_args(pol, ks, os)
  if not D.POLICIES[pol] then return nil, U.err("invalid_flow_policy", "policy: all_of, any_of or quorum") end
  local k = 1
  if pol == "all_of" then
    if ks ~= "" or os ~= "" then return nil, U.err("invalid_flow_policy", "all_of takes no k and no on_satisfied") end
    return k, ""
  end
  if pol == "quorum" then
    k = U.parse_int_range(ks, 1, D.MAX_IN)
    if k == nil then return nil, U.err("invalid_flow_policy", "quorum: k must be an integer 1.." .. D.MAX_IN) end
  elseif ks ~= "" and ks ~= "1" then
    return nil, U.err("invalid_flow_policy", "any_of: k is 1")
  end
  if not D.ON_SATISFIED[os] then
    return nil, U.err("invalid_flow_policy", "on_satisfied: cancel_remaining or let_run")
  end
  return k, os
end

--- @function ff_flow_set_group
--- @mode write
--- @summary Set the policy of a member's incoming edge group (before any edge into it is staged).
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg downstream eid the member whose incoming edges the group holds
--- @arg policy string all_of|any_of|quorum
--- @arg k int quorum: 1..max_incoming; any_of: "" or 1; all_of: ""
--- @arg on_satisfied string any_of/quorum: cancel_remaining|let_run; all_of: ""
--- @reply outcome string set|already_set
--- @error invalid_input, corrupt_record, partition_mismatch, flow_not_found, flow_already_terminal, execution_not_in_flow, invalid_flow_policy, edge_group_policy_fixed
local function ff_flow_set_group(keys, args)
  local T, e = flow_prologue(keys, args[1], 5, args)
  if not T then return e end
  local fid = args[1]
  local down
  down, e = same_partition(T, args[2], "downstream")
  if not down then return e end
  local pol = args[3]
  local k, os = group_args(pol, args[4], args[5])
  if not k then return os end
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  local st = D.state_of(f)
  if D.terminal_state(st) then return U.err("flow_already_terminal", st) end
  if redis.call("SISMEMBER", K.flow_members(fid), down) == 0 then return U.err("execution_not_in_flow", down) end
  local gk = K.flow_group(fid, down)
  local g = redis.call("HMGET", gk, "pol", "k", "os", "n")
  if g[1] == pol and tonumber(g[2] or "1") == k and (g[3] or "") == os then return U.ok("already_set") end
  if (tonumber(g[4] or "0") or 0) > 0 then return U.err("edge_group_policy_fixed", g[1] or "all_of") end
  redis.call("HSET", gk, "pol", pol, "k", U.istr(k), "os", os, "n", "0", "sat", "0", "fail", "0",
             "state", "pending")
  return U.ok("set")
end

-- Does a path lead from `from` to `to` along outgoing edges? (BFS; a walk
-- over more than D.CYCLE_VISIT_MAX nodes counts as a cycle: refused, never
-- guessed.)
local function reaches(fid, from, to)
  local seen, queue, i = { [from] = true }, { from }, 1
  while i <= #queue do
    local downs = redis.call("HKEYS", K.flow_out(fid, queue[i]))
    for j = 1, #downs do
      local d = downs[j]
      if d == to then return true end
      if not seen[d] then
        seen[d] = true
        queue[#queue + 1] = d
        if #queue > D.CYCLE_VISIT_MAX then return true end
      end
    end
    i = i + 1
  end
  return false
end

local STAGE_FIELDS = { "st", "lane", "created", "fl" }

--- @function ff_flow_add_edge
--- @mode write
--- @summary Stage a dependency edge upstream -> downstream at an expected graph revision.
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg edge_id uuid the new edge's id
--- @arg upstream eid the member that must end first
--- @arg downstream eid the member that waits
--- @arg expected_revision int the graph revision the caller saw, "" = any
--- @arg data_passing flag "1" = the downstream may read the upstream's result
--- @reply edge_id uuid the edge
--- @reply revision int the new graph revision
--- @reply state string pending|satisfied|impossible (an upstream that already ended resolves at once)
--- @error invalid_input, unauthorized, corrupt_record, partition_mismatch, self_referencing_edge, flow_not_found, flow_already_terminal, stale_graph_revision, execution_not_in_flow, cycle_detected, dependency_already_exists, flow_limit_exceeded, downstream_released
local function ff_flow_add_edge(keys, args)
  local T, e = flow_prologue(keys, args[1], 6, args)
  if not T then return e end
  local fid, edge = args[1], args[2]
  if not U.is_uuid(edge) then return U.err("invalid_input", "edge_id: not a uuid") end
  local up, down
  up, e = same_partition(T, args[3], "upstream")
  if not up then return e end
  down, e = same_partition(T, args[4], "downstream")
  if not down then return e end
  local want = nil
  if args[5] ~= "" then
    want = U.parse_int_range(args[5], 0, U.MAX_SAFE)
    if want == nil then return U.err("invalid_input", "expected_revision: non-negative integer or empty") end
  end
  local data = args[6]
  if data ~= "" and data ~= "0" and data ~= "1" then
    return U.err("invalid_input", "data_passing: \"1\", \"0\" or empty")
  end
  if up == down then return U.err("self_referencing_edge") end
  e = N.guard(T)
  if e then return e end
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  local st = D.state_of(f)
  if D.terminal_state(st) then return U.err("flow_already_terminal", st) end
  if want ~= nil and want ~= f.rev then return U.err("stale_graph_revision", U.istr(f.rev)) end
  local urec, drec
  urec, e = F.must(K.core(up), STAGE_FIELDS)
  if not urec then return e end
  drec, e = F.must(K.core(down), STAGE_FIELDS)
  if not drec then return e end
  if urec.fl ~= fid then return U.err("execution_not_in_flow", up) end
  if drec.fl ~= fid then return U.err("execution_not_in_flow", down) end
  local ek = K.flow_edge(fid, edge)
  if redis.call("EXISTS", ek) == 1 then return U.err("dependency_already_exists", edge) end
  if redis.call("HEXISTS", K.flow_out(fid, up), down) == 1 then
    return U.err("dependency_already_exists", redis.call("HGET", K.flow_out(fid, up), down))
  end
  if reaches(fid, down, up) then return U.err("cycle_detected") end
  local gk = K.flow_group(fid, down)
  local g = redis.call("HMGET", gk, "n", "state")
  local n = tonumber(g[1] or "0") or 0
  if n >= f.mi then return U.err("flow_limit_exceeded", "incoming_edges", U.istr(f.mi)) end
  -- the downstream must still be waiting to start (a member that started,
  -- or whose group already fired, cannot be made to wait again)
  if (g[2] and g[2] ~= "pending") or drec.phase ~= "runnable"
      or (drec.elig ~= "eligible_now" and drec.elig ~= "blocked_by_dependencies")
      or drec.ast ~= "pending_first_attempt" then
    return U.err("downstream_released", down)
  end

  -- ---- write ----
  local now = U.now_ms()
  local now_s = U.istr(now)
  redis.call("HSET", ek, "up", up, "down", down, "state", "pending", "data", data == "1" and "1" or "0",
             "created", now_s)
  redis.call("SADD", K.flow_edges(fid), edge)
  redis.call("HSET", K.flow_out(fid, up), down, edge)
  redis.call("HSET", K.flow_in(fid, down), up, edge)
  if g[2] then
    redis.call("HSET", gk, "n", U.istr(n + 1))
  else
    redis.call("HSET", gk, "pol", "all_of", "k", "1", "os", "", "n", "1", "sat", "0", "fail", "0",
               "state", "pending")
  end
  redis.call("HINCRBY", K.flow(fid), "edges", 1)
  local rev = redis.call("HINCRBY", K.flow(fid), "rev", 1)
  if drec.elig == "eligible_now" then D.block(T, down, drec, now) end
  -- an upstream that ended already resolves the edge now, not in a sweep
  local state = "pending"
  if urec.phase == "terminal" then
    D.drain(T, { up }, now, D.bound(T))
    state = redis.call("HGET", ek, "state")
  end
  return U.ok(edge, U.istr(rev), state)
end

-- A digest of a submit_flow body that ignores the ids the client minted
-- (member and edge ids), so a retried submit, with fresh ids, is recognised
-- as the same body. Length-prefixed: no two bodies share a digest input.
-- ff_flow_submit's arguments before the member bodies.
D.SUBMIT_HEADER = 9

local function submit_digest(args, n, ng, ne)
  local parts = {}
  local function add(a) parts[#parts + 1] = #a .. ":" .. a end
  for i = 2, D.SUBMIT_HEADER do add(args[i]) end
  local o = D.SUBMIT_HEADER + 1
  for _ = 1, n do
    for j = 1, C.NFIELDS - 1 do add(args[o + j]) end
    o = o + C.NFIELDS
  end
  for i = o, o + 4 * ng - 1 do add(args[i]) end
  o = o + 4 * ng
  for _ = 1, ne do
    add(args[o + 1]); add(args[o + 2]); add(args[o + 3])
    o = o + 4
  end
  return redis.sha1hex(table.concat(parts))
end

local function split_ids(s)
  local out = {}
  for id in string.gmatch(s or "", "[^,]+") do out[#out + 1] = id end
  return out
end

-- 0-based index argument in 0..n-1, or nil.
local function index_arg(s, n)
  return U.parse_int_range(s, 0, n - 1)
end

--- @function ff_flow_submit
--- @mode write
--- @summary Create a flow with all its members, groups and edges in one atomic call (idempotent by flow id).
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lane string the lane whose partition the id was minted on (recorded only)
--- @arg max_members int 1..10000, "" = 1000
--- @arg max_incoming int incoming edges per member 1..1000, "" = 100
--- @arg n_members int 1..500
--- @arg n_groups int 0..500
--- @arg n_edges int 0..2000
--- @arg parent string "" or the running execution spawning this flow as its child flow (same partition; see ff_wait_children)
--- @arg budgets string "" or the CSV of budget ids (at most 16) every member draws on besides its own (docs/budgets.md)
--- @arg body... string 14..43000 n_members times the 14 fields of ff_create (eid .. tags; no idempotency key), then n_groups times (downstream index 0-based, policy, k, on_satisfied), then n_edges times (edge uuid, upstream index, downstream index, data_passing "1"|"0")
--- @reply flow_id eid the flow
--- @reply outcome string created|existing (a repeat of the same body: nothing written, the stored ids)
--- @item member 1
--- @field eid eid the member ids, in input order
--- @error invalid_input, unauthorized, corrupt_record, invalid_policy_json, invalid_capabilities, invalid_tag_key, partition_mismatch, flow_limit_exceeded, invalid_flow_policy, self_referencing_edge, dependency_already_exists, cycle_detected, flow_submit_conflict
local function ff_flow_submit(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  if #args < D.SUBMIT_HEADER then return U.err("invalid_input", "argv: expected at least 9 arguments") end
  local fid = args[1]
  local T, e = D.fid_tag(fid)
  if not T then return e end
  if keys[1] ~= K.flow(fid) then return U.err("invalid_input", "KEYS[1] is not the flow record of flow_id") end
  if args[2] ~= "" then
    local good
    good, e = V.lane(args[2])
    if not good then return e end
  end
  local mm, mi
  mm, e = limit_arg(args[3], "max_members", D.DEFAULT_MAX_MEMBERS, D.MAX_MEMBERS)
  if not mm then return e end
  mi, e = limit_arg(args[4], "max_incoming", D.DEFAULT_MAX_IN, D.MAX_IN)
  if not mi then return e end
  local n, ng, ne = U.parse_int(args[5]), U.parse_int(args[6]), U.parse_int(args[7])
  if n == nil or n < 1 then return U.err("invalid_input", "n_members: integer >= 1") end
  if ng == nil or ng < 0 or ne == nil or ne < 0 then
    return U.err("invalid_input", "n_groups, n_edges: non-negative integers")
  end
  if n > D.SUBMIT_MAX_MEMBERS then
    return U.err("flow_limit_exceeded", "submit_members", U.istr(D.SUBMIT_MAX_MEMBERS))
  end
  if ne > D.SUBMIT_MAX_EDGES then return U.err("flow_limit_exceeded", "submit_edges", U.istr(D.SUBMIT_MAX_EDGES)) end
  if ng > n then return U.err("invalid_input", "n_groups: at most one group per member") end
  if #args ~= D.SUBMIT_HEADER + C.NFIELDS * n + 4 * ng + 4 * ne then
    return U.err("invalid_input",
                 "argv: expected " .. (D.SUBMIT_HEADER + C.NFIELDS * n + 4 * ng + 4 * ne) .. " arguments")
  end
  local parent = args[8] ~= "" and args[8] or nil
  local fbud
  fbud, e = D.budgets_arg(args[9])
  if not fbud then return e end
  if n > mm then return U.err("flow_limit_exceeded", "members", U.istr(mm)) end

  -- ---- members (validated by the rules of ff_create) ----
  local specs, seen = {}, {}
  local o = D.SUBMIT_HEADER + 1
  for i = 1, n do
    local s
    s, e = C.parse(args, o)
    if not s then return e end
    local eid
    eid, e = same_partition(T, s.eid, "member " .. (i - 1) .. " execution_id")
    if not eid then return e end
    if seen[eid] then return U.err("invalid_input", "member " .. (i - 1) .. ": execution id given twice") end
    seen[eid] = true
    if s.idem_key ~= "" then
      return U.err("invalid_input", "member " .. (i - 1) .. ": no idempotency key (the flow id is the key)")
    end
    specs[i] = s
    o = o + C.NFIELDS
  end

  -- ---- groups ----
  local groups = {}
  for _ = 1, ng do
    local d = index_arg(args[o], n)
    if d == nil then return U.err("invalid_input", "group downstream index: integer 0.." .. (n - 1)) end
    if groups[d + 1] then return U.err("invalid_input", "group of member " .. d .. " given twice") end
    local k, os = group_args(args[o + 1], args[o + 2], args[o + 3])
    if not k then return os end
    groups[d + 1] = { pol = args[o + 1], k = k, os = os }
    o = o + 4
  end

  -- ---- edges: ids, indices, duplicates, per-member limit ----
  local edges, pairs_seen, nin, outs, edge_ids = {}, {}, {}, {}, {}
  for i = 1, n do nin[i] = 0; outs[i] = {} end
  for j = 1, ne do
    local id = args[o]
    if not U.is_uuid(id) then return U.err("invalid_input", "edge " .. (j - 1) .. ": edge_id not a uuid") end
    if edge_ids[id] then return U.err("invalid_input", "edge " .. (j - 1) .. ": edge id given twice") end
    edge_ids[id] = true
    local up, down = index_arg(args[o + 1], n), index_arg(args[o + 2], n)
    if up == nil or down == nil then
      return U.err("invalid_input", "edge " .. (j - 1) .. ": member indices are integers 0.." .. (n - 1))
    end
    local data = args[o + 3]
    if data ~= "0" and data ~= "1" then return U.err("invalid_input", "edge " .. (j - 1) .. ": data_passing \"1\" or \"0\"") end
    if up == down then return U.err("self_referencing_edge", "edge " .. (j - 1)) end
    up, down = up + 1, down + 1
    local pk = up .. ">" .. down
    if pairs_seen[pk] then return U.err("dependency_already_exists", "edge " .. (j - 1)) end
    pairs_seen[pk] = true
    nin[down] = nin[down] + 1
    if nin[down] > mi then return U.err("flow_limit_exceeded", "incoming_edges", U.istr(mi)) end
    outs[up][#outs[up] + 1] = down
    edges[j] = { id = id, up = up, down = down, data = data }
    o = o + 4
  end
  for i = 1, n do
    local g = groups[i]
    if g then
      if nin[i] == 0 then
        return U.err("invalid_flow_policy", "group of member " .. (i - 1) .. ": it has no incoming edges")
      end
      if g.k > nin[i] then
        return U.err("invalid_flow_policy", "group of member " .. (i - 1) .. ": k " .. g.k .. " > n " .. nin[i])
      end
    end
  end

  -- ---- no cycle: Kahn's topological order over the input ----
  local indeg, queue, qi, ordered = {}, {}, 1, 0
  for i = 1, n do
    indeg[i] = nin[i]
    if indeg[i] == 0 then queue[#queue + 1] = i end
  end
  while qi <= #queue do
    local u = queue[qi]
    qi = qi + 1
    ordered = ordered + 1
    for _, d in ipairs(outs[u]) do
      indeg[d] = indeg[d] - 1
      if indeg[d] == 0 then queue[#queue + 1] = d end
    end
  end
  if ordered < n then return U.err("cycle_detected") end

  local now = U.now_ms()
  for i = 1, n do
    C.compute(specs[i], now)
    if nin[i] > 0 and specs[i].delayed then
      return U.err("invalid_input", "member " .. (i - 1) .. ": a member with incoming edges takes no delay")
    end
  end

  -- ---- the flow: new, or a repeat of the same body ----
  e = N.guard(T)
  if e then return e end
  local digest = submit_digest(args, n, ng, ne)
  local f, bad = D.load_flow(fid)
  if bad then return bad end
  if f then
    local v = redis.call("HMGET", K.flow(fid), "sdig", "sids")
    if v[1] ~= digest then
      return U.err("flow_submit_conflict", v[1] and "another body" or "created by ff_flow_create")
    end
    local out = { 1, "OK", fid, "existing" }
    for _, id in ipairs(split_ids(v[2])) do out[#out + 1] = id end
    return out
  end
  if parent then
    local good
    good, e = X.child_flow_check(T, parent)
    if not good then return e end
  end
  for i = 1, n do
    if redis.call("EXISTS", K.core(specs[i].eid)) == 1 then
      return U.err("invalid_input", "member " .. (i - 1) .. ": execution " .. specs[i].eid .. " already exists")
    end
  end

  -- ---- write ----
  local now_s = U.istr(now)
  local ids = {}
  for i = 1, n do ids[i] = specs[i].eid end
  redis.call("HSET", K.flow(fid), "created", now_s, "rev", U.istr(n + ne), "nodes", U.istr(n),
             "edges", U.istr(ne), "done", "0", "started", "0", "mm", U.istr(mm), "mi", U.istr(mi),
             "lane", args[2], "sdig", digest, "sids", table.concat(ids, ","))
  if fbud ~= "" then redis.call("HSET", K.flow(fid), "bud", fbud) end
  redis.call("ZADD", K.flows(T), "0", fid)
  if parent then X.child_flow_link(fid, parent) end
  local out = { 1, "OK", fid, "created" }
  for i = 1, n do
    -- a member with incoming edges is blocked from birth: never claimable
    -- before its group is decided
    C.write(T, specs[i], now, nin[i] > 0, nil)
    redis.call("HSET", K.core(ids[i]), "fl", fid)
    if fbud ~= "" then D.inherit_budgets(fbud, ids[i]) end
    redis.call("SADD", K.flow_members(fid), ids[i])
    out[#out + 1] = ids[i]
  end
  for j = 1, ne do
    local ed = edges[j]
    local up, down = ids[ed.up], ids[ed.down]
    redis.call("HSET", K.flow_edge(fid, ed.id), "up", up, "down", down, "state", "pending", "data", ed.data,
               "created", now_s)
    redis.call("SADD", K.flow_edges(fid), ed.id)
    redis.call("HSET", K.flow_out(fid, up), down, ed.id)
    redis.call("HSET", K.flow_in(fid, down), up, ed.id)
  end
  for i = 1, n do
    if nin[i] > 0 then
      local g = groups[i] or { pol = "all_of", k = 1, os = "" }
      redis.call("HSET", K.flow_group(fid, ids[i]), "pol", g.pol, "k", U.istr(g.k), "os", g.os,
                 "n", U.istr(nin[i]), "sat", "0", "fail", "0", "state", "pending")
    end
  end
  return out
end

local CANCEL_POLICIES = { cancel_all = true, cancel_pending = true, flow_only = true }

--- @function ff_flow_cancel
--- @mode write
--- @summary Cancel a flow: cancel_all (every member not ended), cancel_pending (members that never started), flow_only (members untouched).
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg policy string cancel_all|cancel_pending|flow_only (anything else is refused)
--- @arg reason string <= 4096 bytes
--- @reply outcome string cancelled|already_cancelled (a repeat: the stored policy, no member touched)
--- @reply policy string the policy in force
--- @item member 1
--- @field eid eid a member this call cancelled
--- @error invalid_input, unauthorized, corrupt_record, flow_not_found, flow_already_terminal, invalid_flow_policy
local function ff_flow_cancel(keys, args)
  local T, e = flow_prologue(keys, args[1], 3, args)
  if not T then return e end
  local fid, policy, reason = args[1], args[2], args[3]
  if not CANCEL_POLICIES[policy] then
    return U.err("invalid_flow_policy", "policy: cancel_all, cancel_pending or flow_only")
  end
  local good
  good, e = V.text(reason, "reason", 4096)
  if not good then return e end
  e = N.guard(T)
  if e then return e end
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  if f.cancelled then
    return U.ok("already_cancelled", redis.call("HGET", K.flow(fid), "cpol") or "")
  end
  local st = D.state_of(f)
  if D.terminal_state(st) then return U.err("flow_already_terminal", st) end
  -- validate every member record before the first write
  local members = redis.call("SMEMBERS", K.flow_members(fid))
  table.sort(members)
  local recs = {}
  if policy ~= "flow_only" then
    for i = 1, #members do
      local rec
      rec, bad = F.load(K.core(members[i]))
      if bad then return bad end
      recs[i] = rec
    end
  end
  local now = U.now_ms()
  redis.call("HSET", K.flow(fid), "cancelled", U.istr(now), "cpol", policy, "creason", reason)
  local out = { 1, "OK", "cancelled", policy }
  local queue = {}
  for i = 1, #members do
    local rec = recs[i]
    -- cancel_pending: no member starts any more; the ones that ran finish
    if rec and rec.phase ~= "terminal" and (policy == "cancel_all" or not rec.started) then
      X.finish(T, members[i], rec, now, "cancelled", { "cby", "flow", "creason", "flow_cancelled" },
               "ended_cancelled", { failure_reason = "flow_cancelled" })
      D.ended(T, fid, members[i], "cancelled", now)
      queue[#queue + 1] = members[i]
      out[#out + 1] = members[i]
    end
  end
  -- their edges resolve (impossible) like any other ending, bounded
  if #queue > 0 then D.drain(T, queue, now, D.bound(T)) end
  -- nothing left running (flow_only over ended members, an empty flow): settled now
  D.check_settled(T, fid, now)
  return out
end

-- ------------------------------------------------------------------ reads

local function edge_record(fid, edge)
  local ek = K.flow_edge(fid, edge)
  local v = redis.call("HMGET", ek, "up", "down", "state", "data", "created", "resolved", "uo")
  if not v[1] and not v[2] and not v[3] then return nil end
  if not v[1] or not string.find(v[1], U.EID_PAT) then return nil, U.corrupt(ek, "up", v[1] or "") end
  if not v[2] or not string.find(v[2], U.EID_PAT) then return nil, U.corrupt(ek, "down", v[2] or "") end
  if not D.EDGE_STATES[v[3] or ""] then return nil, U.corrupt(ek, "state", v[3] or "") end
  if v[4] ~= "0" and v[4] ~= "1" then return nil, U.corrupt(ek, "data", v[4] or "") end
  if v[5] and U.parse_int(v[5]) == nil then return nil, U.corrupt(ek, "created", v[5]) end
  return { id = edge, up = v[1], down = v[2], state = v[3], data = v[4] == "1", created = v[5],
           resolved = v[6], uo = v[7] }
end

local function edge_json(r)
  local p = { '{"edge_id":', U.jstr(r.id), ',"upstream":', U.jstr(r.up), ',"downstream":', U.jstr(r.down),
              ',"state":', U.jstr(r.state), ',"data_passing":', r.data and "true" or "false",
              ',"created_at":', r.created or "null",
              ',"resolved_at":', r.resolved or "null",
              ',"upstream_outcome":', r.uo and U.jstr(r.uo) or "null", "}" }
  return table.concat(p)
end

local GROUP_STATES = { pending = true, satisfied = true, impossible = true }

local function group_json(fid, down)
  local gk = K.flow_group(fid, down)
  local v = redis.call("HMGET", gk, "pol", "k", "os", "n", "sat", "fail", "state")
  if not v[1] then return nil end
  if not D.POLICIES[v[1]] then return nil, U.corrupt(gk, "pol", v[1]) end
  local names = { "k", "os", "n", "sat", "fail" }
  for i = 1, 5 do
    if i ~= 2 and U.parse_int(v[i + 1] or "") == nil then return nil, U.corrupt(gk, names[i], v[i + 1] or "") end
  end
  if not GROUP_STATES[v[7] or ""] then return nil, U.corrupt(gk, "state", v[7] or "") end
  local k = v[1] == "all_of" and v[4] or v[2]
  return '{"downstream":' .. U.jstr(down) .. ',"policy":' .. U.jstr(v[1]) .. ',"k":' .. k
         .. ',"n":' .. v[4] .. ',"on_satisfied":' .. (v[3] ~= "" and U.jstr(v[3]) or "null")
         .. ',"satisfied":' .. v[5] .. ',"failed":' .. v[6] .. ',"state":' .. U.jstr(v[7]) .. "}"
end

--- @function ff_flow_describe
--- @mode read-only
--- @summary The flow: derived state, counts, revision, members, edges and groups, as JSON text.
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @reply doc json the flow document (docs/flows.md)
--- @reply state string open|running|completed|failed|cancelled
--- @error invalid_input, corrupt_record, flow_not_found
local function ff_flow_describe(keys, args)
  local T, e = flow_prologue(keys, args[1], 1, args)
  if not T then return e end
  local fid = args[1]
  local f, bad = D.load_flow(fid)
  if not f then return bad or U.err("flow_not_found") end
  local st = D.state_of(f)
  local members = redis.call("SMEMBERS", K.flow_members(fid))
  table.sort(members)
  local mparts, gparts = {}, {}
  for i = 1, #members do
    local m = members[i]
    local s = redis.call("HGET", K.core(m), "st")
    local pub = "missing" -- deleted by retention
    if s then
      if S.decode(s) == nil then return U.corrupt(K.core(m), "st", s) end
      pub = S.public_of(s)
    end
    mparts[#mparts + 1] = '{"execution_id":' .. U.jstr(m) .. ',"public_state":' .. U.jstr(pub) .. "}"
    local gj
    gj, bad = group_json(fid, m)
    if bad then return bad end
    if gj then gparts[#gparts + 1] = gj end
  end
  local edges = redis.call("SMEMBERS", K.flow_edges(fid))
  table.sort(edges)
  local eparts = {}
  for i = 1, #edges do
    local r
    r, bad = edge_record(fid, edges[i])
    if bad then return bad end
    if not r then return U.corrupt(K.flow_edge(fid, edges[i]), "up", "") end
    eparts[#eparts + 1] = edge_json(r)
  end
  local c = { '"members":', U.istr(f.nodes), ',"started":', U.istr(f.started), ',"ended":', U.istr(f.done),
              ',"not_ended":', U.istr(f.nodes - f.done) }
  for i = 1, #D.OUTCOMES do
    local o = D.OUTCOMES[i]
    c[#c + 1] = ',"' .. (S.TERMINAL_PUBLIC[o]) .. '":'
    c[#c + 1] = U.istr(f["n_" .. o])
  end
  local doc = table.concat({
    '{"flow_id":', U.jstr(fid), ',"partition":', U.istr(K.tag_partition(T)), ',"state":', U.jstr(st),
    ',"revision":', U.istr(f.rev), ',"created_at":', U.istr(f.created),
    ',"lane":', U.jstr(f.lane),
    ',"parent":', f.par and U.jstr(f.par) or "null",
    ',"sealed_at":', f.sealed or "null",
    ',"settled_at":', redis.call("HGET", K.flow(fid), "settled") or "null",
    ',"limits":{"max_members":', U.istr(f.mm), ',"max_incoming_edges":', U.istr(f.mi), "}",
    ',"budgets":', U.jcsv(redis.call("HGET", K.flow(fid), "bud") or ""),
    ',"counts":{', table.concat(c), "}",
    ',"edge_count":', U.istr(f.edges),
    ',"members":[', table.concat(mparts, ","), "]",
    ',"edges":[', table.concat(eparts, ","), "]",
    ',"groups":[', table.concat(gparts, ","), "]}" })
  return U.ok(doc, st)
end

--- @function ff_flow_list
--- @mode read-only
--- @summary One page of a partition's flow ids, in byte order after an exclusive cursor.
--- @key flows ff:i:{fp:N}:flows the partition's flow index
--- @arg cursor string the last id of the previous page, "" = from the start
--- @arg count int 1..1000
--- @reply next_cursor string "" when done
--- @item flow 1
--- @field flow_id eid flow id
--- @error invalid_input
local function ff_flow_list(keys, args)
  if #keys ~= 1 then return U.err("invalid_input", "keys: expected 1 key") end
  if #args ~= 2 then return U.err("invalid_input", "argv: expected 2 arguments") end
  local T = K.key_tag(keys[1])
  if not T or keys[1] ~= K.flows(T) then return U.err("invalid_input", "KEYS[1] must be ff:i:{fp:N}:flows") end
  local cursor = args[1]
  if cursor ~= "" and not D.fid_tag(cursor) then return U.err("invalid_input", "cursor: a flow id or empty") end
  return U.lex_page(keys[1], cursor, args[2])
end

--- @function ff_flow_edges
--- @mode read-only
--- @summary The edges into or out of one member.
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg eid eid the member
--- @arg direction string in|out
--- @item edge 4
--- @field edge_id uuid edge id
--- @field upstream eid upstream member
--- @field downstream eid downstream member
--- @field state string pending|satisfied|impossible
--- @error invalid_input, corrupt_record, partition_mismatch, flow_not_found
local function ff_flow_edges(keys, args)
  local T, e = flow_prologue(keys, args[1], 3, args)
  if not T then return e end
  local fid = args[1]
  local eid
  eid, e = same_partition(T, args[2], "execution_id")
  if not eid then return e end
  local dir = args[3]
  if dir ~= "in" and dir ~= "out" then return U.err("invalid_input", "direction: in or out") end
  if redis.call("EXISTS", K.flow(fid)) == 0 then return U.err("flow_not_found") end
  local h = redis.call("HGETALL", dir == "in" and K.flow_in(fid, eid) or K.flow_out(fid, eid))
  local ids = {}
  for i = 2, #h, 2 do ids[#ids + 1] = h[i] end
  table.sort(ids)
  local out = { 1, "OK" }
  for i = 1, #ids do
    local r, bad = edge_record(fid, ids[i])
    if bad then return bad end
    if not r then return U.corrupt(K.flow_edge(fid, ids[i]), "up", "") end
    out[#out + 1] = r.id; out[#out + 1] = r.up; out[#out + 1] = r.down; out[#out + 1] = r.state
  end
  return out
end

--- @function ff_flow_edge
--- @mode read-only
--- @summary One edge, as JSON text.
--- @key flow ff:f:<fid> the flow record (its tag routes the call)
--- @arg flow_id eid the flow id; must match KEYS[1]
--- @arg edge_id uuid the edge
--- @reply doc json the edge document
--- @error invalid_input, corrupt_record, flow_not_found, edge_not_found
local function ff_flow_edge(keys, args)
  local T, e = flow_prologue(keys, args[1], 2, args)
  if not T then return e end
  if not U.is_uuid(args[2]) then return U.err("invalid_input", "edge_id: not a uuid") end
  if redis.call("EXISTS", K.flow(args[1])) == 0 then return U.err("flow_not_found") end
  local r, bad = edge_record(args[1], args[2])
  if bad then return bad end
  if not r then return U.err("edge_not_found") end
  return U.ok(edge_json(r))
end

--- @function ff_flow_of
--- @mode read-only
--- @summary The flow an execution belongs to ("" when none).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @reply flow_id string the flow id, "" = not a member
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_flow_of(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local T, e = V.eid_for_core(keys, args[1])
  if not T then return e end
  local rec
  rec, e = F.must(K.core(args[1]), { "st", "fl" })
  if not rec then return e end
  return U.ok(rec.fl or "")
end

--- @function ff_flow_parents
--- @mode read-only
--- @summary The upstream members of an execution, with the results their data-passing edges carry.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @item parent 5
--- @field upstream eid upstream member
--- @field edge_id uuid edge id
--- @field state string pending|satisfied|impossible
--- @field has_result flag 1 when the edge passes data and the upstream completed with a result
--- @field result bytes the upstream's result ("" otherwise)
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_flow_parents(keys, args)
  if #args ~= 1 then return U.err("invalid_input", "argv: expected 1 argument") end
  local eid = args[1]
  local T, e = V.eid_for_core(keys, eid)
  if not T then return e end
  local rec
  rec, e = F.must(K.core(eid), { "st", "fl" })
  if not rec then return e end
  local out = { 1, "OK" }
  if not rec.fl then return out end
  local h = redis.call("HGETALL", K.flow_in(rec.fl, eid))
  local ups = {}
  for i = 1, #h, 2 do ups[#ups + 1] = h[i] end
  table.sort(ups)
  local byup = {}
  for i = 1, #h, 2 do byup[h[i]] = h[i + 1] end
  for i = 1, #ups do
    local r, bad = edge_record(rec.fl, byup[ups[i]])
    if bad then return bad end
    if not r then return U.corrupt(K.flow_edge(rec.fl, byup[ups[i]]), "up", "") end
    local res = nil
    if r.data and r.state == "satisfied" then res = redis.call("GET", K.result(r.up)) end
    out[#out + 1] = r.up; out[#out + 1] = r.id; out[#out + 1] = r.state
    out[#out + 1] = res and "1" or "0"; out[#out + 1] = res or ""
  end
  return out
end

redis.register_function("ff_flow_create", ff_flow_create)
redis.register_function("ff_flow_add_member", ff_flow_add_member)
redis.register_function("ff_flow_set_group", ff_flow_set_group)
redis.register_function("ff_flow_add_edge", ff_flow_add_edge)
redis.register_function("ff_flow_submit", ff_flow_submit)
redis.register_function("ff_flow_cancel", ff_flow_cancel)
redis.register_function { function_name = "ff_flow_describe", callback = ff_flow_describe, flags = U.RO }
redis.register_function { function_name = "ff_flow_list", callback = ff_flow_list, flags = U.RO }
redis.register_function { function_name = "ff_flow_edges", callback = ff_flow_edges, flags = U.RO }
redis.register_function { function_name = "ff_flow_edge", callback = ff_flow_edge, flags = U.RO }
redis.register_function { function_name = "ff_flow_of", callback = ff_flow_of, flags = U.RO }
redis.register_function { function_name = "ff_flow_parents", callback = ff_flow_parents, flags = U.RO }
