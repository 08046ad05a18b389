-- The flow verbs of the LuaJIT client (the C calls of
-- include/flowfabric/flow.h; concepts in docs/flows.md) and
-- task:parent_results(). Loaded by flowfabric/init.lua, which hands over
-- its internals: this file adds methods, it is not a module of its own (it
-- returns its argument checks for the other verb files).
--
-- Results are plain tables. Lists are 1-based, as everywhere in Lua: the
-- members of client:submit_flow are numbered 1..n in its edges and groups,
-- and its member_ids come back in the same order.
local ffi = require("ffi")
local yields = require("flowfabric.ops")

return function(Client, Task, h)
  local lib, run, call_op, check, new_error = h.lib, h.run, h.call_op, h.check, h.new_error
  local text_arg, with_spec, str, text, int, items, cursor = h.text_arg, h.with_spec, h.str, h.text, h.int, h.items,
      h.cursor
  local budget_list, c_strings = h.budget_list, h.c_strings
  local ms, is, WAIT_ROUND_MS = h.ms, h.is, h.wait_round_ms

  -- (errors are tables: no position to point error()'s level at)
  local function refuse(status, message) error(new_error(status, message), 0) end
  local function invalid(message) refuse(lib.FF_EINVAL, message) end

  -- Argument checks made before anything is sent: a wrong type is an
  -- InvalidArgument naming the argument (not an ffi conversion error). The
  -- values themselves (id syntax, ranges, policy words) are the library's
  -- and the server's to judge.
  local function word(v, what) -- nil stays nil: the library refuses it typed
    if v == nil or type(v) == "string" then return v end
    invalid(what .. ": expected a string, got " .. type(v))
  end
  local function integer(v, what, lo, hi)
    if type(v) ~= "number" or v ~= math.floor(v) or (lo and v < lo) or (hi and v > hi) then
      invalid(string.format("%s: expected an integer%s, got %s", what,
                            lo and string.format(" in %d..%d", lo, hi) or "", tostring(v)))
    end
    return v
  end
  local function boolean(v, what)
    if v == nil then return false end
    if type(v) ~= "boolean" then invalid(what .. ": expected true or false, got " .. tostring(v)) end
    return v
  end
  local function options_arg(v, what)
    if v == nil then return {} end
    if type(v) ~= "table" then invalid(what .. ": expected a table of options, got " .. type(v)) end
    return v
  end

  local SIZE = ffi.typeof("size_t[1]")
  local function item_bytes(op, i)
    local len = SIZE()
    local p = lib.ff_op_item_bytes(op, i, len)
    if p == nil or len[0] == 0 then return "" end
    return ffi.string(p, len[0])
  end

  -- The records of op `fname`, by the item layout its @yields names
  -- (flowfabric/ops.lua): one table per record with the given fields, each
  -- read at its FF_ITEMS_<LAYOUT>_<FIELD> position, as text, or as bytes
  -- for the fields in `binary` (a field the layout lacks fails in the ffi
  -- lookup: the headers and this code disagree).
  local function records(fname, op, fields, binary)
    local layout = yields[fname].layout
    local stride = lib[layout .. "_STRIDE"]
    local at = {}
    for _, f in ipairs(fields) do at[f] = lib[layout .. "_" .. f:upper()] end
    local out = {}
    for r = 0, tonumber(lib.ff_op_item_count(op)) / stride - 1 do
      local rec = {}
      for f, i in pairs(at) do
        local pos = r * stride + i
        rec[f] = (binary and binary[f]) and item_bytes(op, pos) or str(lib.ff_op_item(op, pos))
      end
      out[#out + 1] = rec
    end
    return out
  end
  local function column(fname, op, field)
    local list = {}
    for _, r in ipairs(records(fname, op, { field })) do list[#list + 1] = r[field] end
    return list
  end

  local function limits(options)
    local mm = options.max_members and integer(options.max_members, "max_members", 1, 10000) or 0
    local mi = options.max_incoming and integer(options.max_incoming, "max_incoming", 1, 1000) or 0
    local fid = options.flow_id ~= nil and text_arg(options.flow_id, "flow_id") or nil
    local lane = options.lane ~= nil and text_arg(options.lane, "lane") or nil
    return fid, lane, mm, mi
  end

  --- Create a flow. options: flow_id (nil: minted on a partition of lane),
  --- lane (nil: "default"), max_members (1..10000, default 1000),
  --- max_incoming (edges into one member, 1..1000, default 100), budgets
  --- (a list of at most 16 budget ids every member draws on besides its
  --- own: merged into a joining member's budgets).
  --- Idempotent. Returns {flow_id, existed, max_members, max_incoming}
  --- (existed: it was there already, nothing changed, its budgets neither;
  --- the stored limits).
  function Client:create_flow(options)
    options = options_arg(options, "create_flow")
    local fid, lane, mm, mi = limits(options)
    local ids = budget_list(options.budgets)
    local c = self:native()
    local function created(op)
      local l = items(op)
      return { flow_id = text(op), existed = int(op) == 1, max_members = tonumber(l[1]), max_incoming = tonumber(l[2]) }
    end
    if #ids == 0 then
      return run(self, function(ud, out) return lib.ff_flow_create(c, fid, lane, mm, mi, nil, ud, out) end, created)
    end
    local arr = c_strings(ids)
    return run(self, function(ud, out)
      return lib.ff_flow_create_with_budgets(c, fid, lane, mm, mi, arr, #ids, nil, ud, out)
    end, function(op)
      local _ = ids -- the strings arr points into live until the call copied them
      return created(op)
    end)
  end

  --- Add an existing execution (on the flow's partition) to a flow:
  --- "added", or "already_member" for a repeat.
  function Client:add_to_flow(flow_id, execution_id)
    return call_op(self, "ff_flow_add_member", self:native(), text_arg(flow_id, "flow_id"),
                   text_arg(execution_id, "execution_id"))
  end

  -- A group's (policy, k, on_satisfied) as the C calls take them. The words
  -- are the server's to check; all_of sends no k (the C side drops it), so
  -- one given with it is refused here rather than ignored.
  local function group_args(g, where)
    local policy = word(g.policy or "all_of", where .. "policy")
    local k = g.k ~= nil and integer(g.k, where .. "k") or 0
    local on_satisfied = word(g.on_satisfied, where .. "on_satisfied")
    if policy == "all_of" then
      if g.k ~= nil or on_satisfied ~= nil then
        refuse(lib.FF_INVALID_FLOW_POLICY, where .. "all_of takes no k and no on_satisfied")
      end
    else
      on_satisfied = on_satisfied or "cancel_remaining"
    end
    return policy, k, on_satisfied
  end

  --- Set how the edges INTO downstream decide, before any of them is
  --- staged. options: policy ("all_of", the default without a call;
  --- "any_of"; "quorum" with k successes), k, on_satisfied (any_of/quorum:
  --- "cancel_remaining", the default, or "let_run"). "set" or "already_set".
  function Client:set_group(flow_id, downstream, options)
    local policy, k, on_satisfied = group_args(options_arg(options, "set_group"), "")
    return call_op(self, "ff_flow_set_group", self:native(), text_arg(flow_id, "flow_id"),
                   text_arg(downstream, "downstream"), policy, k, on_satisfied)
  end

  --- Stage the edge upstream -> downstream (the downstream waits until its
  --- group is decided). options: expected_revision (refuse unless the
  --- flow's graph revision is this one: StaleGraphRevision; nil: no check),
  --- pass_data (the downstream may read the upstream's result). Returns
  --- {edge_id, upstream, downstream, state, data_passing, revision}.
  function Client:add_edge(flow_id, upstream, downstream, options)
    options = options_arg(options, "add_edge")
    local rev = options.expected_revision ~= nil and integer(options.expected_revision, "expected_revision") or -1
    local data = boolean(options.pass_data, "pass_data")
    local fid, up, down = text_arg(flow_id, "flow_id"), text_arg(upstream, "upstream"), text_arg(downstream, "downstream")
    local c = self:native()
    return run(self, function(ud, out)
      return lib.ff_flow_add_edge(c, fid, up, down, rev, data and lib.FF_FLOW_EDGE_DATA or 0, nil, ud, out)
    end, function(op)
      return { edge_id = text(op), upstream = up, downstream = down, state = items(op)[1], data_passing = data,
               revision = int(op) }
    end)
  end

  local NOT_IN_A_FLOW_SUBMIT = { flow = true, idempotency_key = true, idempotency_ttl = true }
  local MEMBER_FIELDS = {
    kind = true, payload = true, ref = true, lane = true, priority = true, delay = true, delay_until = true,
    deadline = true, capabilities = true, tags = true, namespace = true, retry = true, non_retryable = true,
    attempt_timeout = true, max_reclaims = true, max_replays = true, execution_id = true, policy = true,
    budgets = true,
  }

  -- A member's 0-based index in the spec from a 1-based index or a ref.
  local function member_index(m, refs, n, what)
    if type(m) == "number" then return integer(m, what, 1, n) - 1 end
    local i = refs[m]
    if i == nil then invalid(what .. ": " .. tostring(m) .. " is neither a member index (1.." .. n .. ") nor a ref") end
    return i
  end

  --- Create a flow with all its members, groups and edges in ONE atomic
  --- call: a member with an incoming edge is blocked from its birth. One
  --- table of named fields:
  ---   members: a list of tables of submit's options plus kind (required),
  ---     payload and ref (a string naming the member); lane defaults to the
  ---     flow's; no flow or idempotency_key (the flow id is the key).
  ---   edges: a list of {up, down} or {up, down, pass_data = true} ({up,
  ---     down, true} too), up and down a member's index (1..n) or ref.
  ---   groups: {[index or ref] = {policy, k, on_satisfied}}.
  ---   flow_id, lane, max_members, max_incoming: as for create_flow.
  ---   parent: the id of a RUNNING execution whose child flow this is (it
  ---     may then task:wait_children; workers use task:spawn_children).
  ---     The flow goes to the parent's partition. ExecutionNotActive for a
  ---     parent not running.
  ---   budgets: as for create_flow: every member draws on them besides the
  ---     budgets it names itself.
  --- Returns {flow_id, member_ids (in the order given), by_ref = {[ref] =
  --- id}, existed (a repeat of the same body: nothing written)}.
  function Client:submit_flow(spec)
    spec = options_arg(spec, "submit_flow")
    local fid, lane, mm, mi = limits(spec)
    local members, edges, groups = spec.members, spec.edges or {}, spec.groups or {}
    if type(members) ~= "table" or #members == 0 then
      invalid("members: expected a non-empty list of member tables (kind, payload, submit's options)")
    end
    if type(edges) ~= "table" then invalid("edges: expected a list of {up, down[, pass_data = true]}") end
    if type(groups) ~= "table" then invalid("groups: expected a table of member = {policy, k, on_satisfied}") end
    local parent = spec.parent ~= nil and text_arg(spec.parent, "parent") or nil
    local ids = budget_list(spec.budgets)
    local n, refs = #members, {}
    for i, m in ipairs(members) do
      if type(m) ~= "table" then invalid("members[" .. i .. "]: expected a table, got " .. type(m)) end
      for key in pairs(m) do
        if NOT_IN_A_FLOW_SUBMIT[key] then
          invalid("members[" .. i .. "]: " .. key .. " is not allowed in submit_flow (the flow id is the key)")
        elseif not MEMBER_FIELDS[key] then
          invalid("members[" .. i .. "]: unknown field " .. tostring(key))
        end
      end
      text_arg(m.kind, "members[" .. i .. "].kind")
      if m.payload ~= nil and type(m.payload) ~= "string" then
        invalid("members[" .. i .. "].payload: expected a string, got " .. type(m.payload))
      end
      if m.ref ~= nil then
        text_arg(m.ref, "members[" .. i .. "].ref")
        if refs[m.ref] then invalid("members[" .. i .. "]: ref " .. m.ref .. " is used twice") end
        refs[m.ref] = i - 1
      end
    end
    local out = ffi.new("ff_flow_spec *[1]")
    check(lib.ff_flow_spec_new(out, fid, lane, mm, mi), "flow spec")
    local fs = out[0]
    local c = self:native()
    local ok, res = pcall(function()
      if parent then check(lib.ff_flow_spec_set_parent(fs, parent), "parent") end
      for _, b in ipairs(ids) do check(lib.ff_flow_spec_add_budget(fs, b), "budget " .. b) end
      for i, m in ipairs(members) do
        local opts = {}
        for key, v in pairs(m) do opts[key] = v end
        opts.lane = opts.lane or lane
        with_spec(m.kind, m.payload, opts, function(s)
          check(lib.ff_flow_spec_add_member(fs, s, nil), "members[" .. i .. "]")
        end)
      end
      for j, e in ipairs(edges) do
        local what = "edges[" .. j .. "]"
        if type(e) ~= "table" or #e < 2 or #e > 3 then invalid(what .. ": expected {up, down[, pass_data = true]}") end
        local up, down = member_index(e[1], refs, n, what .. " up"), member_index(e[2], refs, n, what .. " down")
        local data = e.pass_data
        if data == nil then data = e[3] end
        check(lib.ff_flow_spec_add_edge(fs, up, down, boolean(data, what .. " pass_data") and lib.FF_FLOW_EDGE_DATA or 0),
              what)
      end
      for m, g in pairs(groups) do
        local what = "groups[" .. tostring(m) .. "]"
        local down = member_index(m, refs, n, what)
        if type(g) ~= "table" then invalid(what .. ": expected {policy, k, on_satisfied}") end
        local policy, k, on_satisfied = group_args(g, what .. " ")
        check(lib.ff_flow_spec_set_group(fs, down, policy, k, on_satisfied), what)
      end
      return run(self, function(ud, o) return lib.ff_flow_submit(c, fs, nil, ud, o) end, function(op)
        local ids, by_ref = column("ff_flow_submit", op, "eid"), {}
        for ref, i in pairs(refs) do by_ref[ref] = ids[i + 1] end
        return { flow_id = text(op), member_ids = ids, by_ref = by_ref, existed = int(op) == 1 }
      end)
    end)
    lib.ff_flow_spec_free(fs)
    if not ok then error(res, 0) end
    return res
  end

  --- The flow document as a table (docs/flows.md "Reads"): state,
  --- revision, counts, members, edges, groups, ... (JSON null is cjson.null).
  function Client:describe_flow(flow_id)
    return call_op(self, "ff_flow_describe", self:native(), text_arg(flow_id, "flow_id"))
  end

  --- One page of the flow ids of a partition after the exclusive cursor
  --- (nil or "": from the start): ids, next_cursor ("" when done).
  function Client:list_flows_page(partition, from, count)
    local p = integer(partition, "partition", 0, 4294967295)
    local n = integer(count or 100, "count", 1, 1000)
    local c = self:native()
    local cur = word(from, "cursor") or ""
    return run(self, function(ud, out) return lib.ff_flow_list(c, p, cur, n, nil, ud, out) end,
               function(op) return column("ff_flow_list", op, "flow_id"), cursor(op) end)
  end

  --- An iterator over the flow ids of one partition, or of every partition
  --- (nil), page by page: for id in client:list_flows() do ... end.
  function Client:list_flows(partition, count)
    count = integer(count or 100, "count", 1, 1000) -- refused at the call, not at the first step
    local parts = {}
    if partition == nil then
      for p = 0, tonumber(lib.ff_client_partitions(self:native())) - 1 do parts[#parts + 1] = p end
    else
      parts[1] = integer(partition, "partition", 0, 4294967295)
    end
    -- parts[pi] is being listed; started: its first page was read, and
    -- cur is the cursor of its next page ("" when it has no more)
    local pi, started, page, at, cur = 1, false, {}, 1, ""
    return function()
      while true do
        if at <= #page then
          at = at + 1
          return page[at - 1]
        end
        if started and cur == "" then pi, started = pi + 1, false end
        if pi > #parts then return nil end
        page, cur = self:list_flows_page(parts[pi], started and cur or "", count)
        started, at = true, 1
      end
    end
  end

  local EDGE_FIELDS = { "edge_id", "upstream", "downstream", "state" }

  --- The edges out of ("out", the default) or into ("in") one member, by
  --- edge id: { {edge_id, upstream, downstream, state}, ... }.
  function Client:list_edges(flow_id, execution_id, direction)
    local fid, eid = text_arg(flow_id, "flow_id"), text_arg(execution_id, "execution_id")
    local dir = word(direction or "out", "direction")
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_flow_list_edges(c, fid, eid, dir, nil, ud, out) end,
               function(op) return records("ff_flow_list_edges", op, EDGE_FIELDS) end)
  end

  local function nonnull(v) if v == nil or type(v) == "userdata" then return nil end return v end

  --- One edge in full: {edge_id, upstream, downstream, state, data_passing,
  --- created_at, resolved_at, upstream_outcome} (times: server unix ms; nil
  --- when not yet). EdgeNotFound, FlowNotFound.
  function Client:describe_edge(flow_id, edge_id)
    local d = call_op(self, "ff_flow_describe_edge", self:native(), text_arg(flow_id, "flow_id"),
                      text_arg(edge_id, "edge_id"))
    return { edge_id = d.edge_id, upstream = d.upstream, downstream = d.downstream, state = d.state,
             data_passing = d.data_passing == true, created_at = nonnull(d.created_at),
             resolved_at = nonnull(d.resolved_at), upstream_outcome = nonnull(d.upstream_outcome) }
  end

  --- The id of the flow an execution belongs to; nil when it is in none.
  function Client:flow_of(execution_id)
    local id = call_op(self, "ff_execution_flow_id", self:native(), text_arg(execution_id, "execution_id"))
    if id == "" then return nil end
    return id
  end

  local PARENT_FIELDS, PARENT_BYTES = { "upstream", "edge_id", "state", "has_result", "result" }, { result = true }

  --- The upstreams of an execution, by upstream id: { {upstream, edge_id,
  --- state, result}, ... } with result the upstream's result bytes when the
  --- edge passes data and the upstream completed (else nil); {} outside a flow.
  function Client:parent_results(execution_id)
    local eid = text_arg(execution_id, "execution_id")
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_execution_parent_results(c, eid, nil, ud, out) end,
               function(op)
                 local list = {}
                 for _, r in ipairs(records("ff_execution_parent_results", op, PARENT_FIELDS, PARENT_BYTES)) do
                   list[#list + 1] = { upstream = r.upstream, edge_id = r.edge_id, state = r.state,
                                       result = r.has_result == "1" and r.result or nil }
                 end
                 return list
               end)
  end

  -- Public states of a member that has ended ("missing": deleted by the
  -- retention).
  local ENDED = { completed = true, failed = true, cancelled = true, expired = true, skipped = true, missing = true }

  --- Cancel a flow. policy is required, never defaulted (nil or an unknown
  --- word: InvalidFlowPolicy): "cancel_all" (every member not ended,
  --- running ones too), "cancel_pending" (the members that never ran) or
  --- "flow_only" (members untouched). The third argument: a reason, or a
  --- table of options {reason, wait, timeout}: wait = true then waits
  --- (woken by the settling, not polling) until every member has ended, at
  --- most timeout seconds (nil: as long as it takes). Returns {policy,
  --- repeated (already cancelled: nothing touched), cancelled = {member
  --- ids}, partially_cancelled = {the members still not ended when the
  --- timeout passed; {} otherwise}}.
  function Client:cancel_flow(flow_id, policy, reason)
    local options = type(reason) == "table" and reason or {}
    if type(reason) == "table" then reason = options.reason end
    local fid, pol, why = text_arg(flow_id, "flow_id"), word(policy, "policy"), word(reason, "reason")
    local wait = boolean(options.wait, "wait")
    local limit = options.timeout
    if limit ~= nil then ms(limit, "timeout") end -- refused before the cancel, not after
    local c = self:native()
    local done = run(self, function(ud, out) return lib.ff_flow_cancel(c, fid, pol, why, nil, ud, out) end,
                     function(op)
                       return { policy = text(op), repeated = int(op) == 1,
                                cancelled = column("ff_flow_cancel", op, "eid"), partially_cancelled = {} }
                     end)
    if not wait then return done end
    local ok, err = pcall(self.wait_flow, self, fid, limit)
    if not ok then
      if not is(err, "Timeout") then error(err, 0) end
      for _, m in ipairs(self:describe_flow(fid).members) do
        if not ENDED[m.public_state] then done.partially_cancelled[#done.partially_cancelled + 1] = m.execution_id end
      end
    end
    return done
  end

  --- Wait until the flow has settled (its state is final and every member
  --- has ended) and return its document (describe_flow). Woken by the
  --- settling itself, not polling. Timeout when timeout seconds (nil: as
  --- long as it takes) passed first; FlowNotFound.
  function Client:wait_flow(flow_id, timeout)
    local fid = text_arg(flow_id, "flow_id")
    local c = self:native()
    local function round(limit) return call_op(self, "ff_flow_wait", c, fid, limit) end
    if timeout ~= nil then return round(ms(timeout, "timeout")) end
    while true do
      local ok, res = pcall(round, WAIT_ROUND_MS)
      if ok then return res end
      if not is(res, "Timeout") then error(res, 0) end
    end
  end

  local CHILD_FIELDS, CHILD_BYTES = { "flow_id", "eid", "public_state", "has_result", "result" }, { result = true }

  --- The members of every child flow an execution spawned, by flow then
  --- member id: { {flow_id, execution_id, state, result}, ... } with result
  --- the member's result bytes once it completed (else nil); {} without
  --- children. ExecutionNotFound.
  function Client:children(execution_id)
    local eid = text_arg(execution_id, "execution_id")
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_execution_children(c, eid, nil, ud, out) end,
               function(op)
                 local list = {}
                 for _, r in ipairs(records("ff_execution_children", op, CHILD_FIELDS, CHILD_BYTES)) do
                   list[#list + 1] = { flow_id = r.flow_id, execution_id = r.eid, state = r.public_state,
                                       result = r.has_result == "1" and r.result or nil }
                 end
                 return list
               end)
  end

  local FEED_FIELDS = { "id", "flow_id", "eid", "outcome", "kind" }
  local function completion_page(op)
    local gap = int(op) == 1
    local entries = {}
    for i, r in ipairs(records("ff_flow_feed_read", op, FEED_FIELDS)) do
      entries[i] = { id = r.id, flow_id = r.flow_id, execution_id = r.eid, outcome = r.outcome, kind = r.kind,
                     missed_before = gap and i == 1 }
    end
    return { entries = entries, cursor = cursor(op), gap = gap }
  end

  --- One page of a partition's completion feed after the exclusive cursor
  --- (nil or "": from the oldest entry kept; "$": an empty page whose
  --- cursor is the newest entry): every ending of a flow member (kind
  --- "member", outcome the member's) and every flow settling (kind "flow",
  --- execution_id "", outcome completed | failed | cancelled), in order, at
  --- most count (1..1000, default 100). Returns {entries = { {id, flow_id,
  --- execution_id, outcome, kind, missed_before}, ... }, cursor (read on
  --- from it; store it to resume), gap (entries after the given cursor were
  --- trimmed by the retention: re-read the flows you care about)}.
  function Client:read_completions(partition, from, count)
    local p = integer(partition, "partition", 0, 4294967295)
    local cur = word(from, "cursor") or ""
    local n = integer(count or 100, "count", 1, 1000)
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_flow_feed_read(c, p, cur, n, nil, ud, out) end, completion_page)
  end

  --- Follow a partition's completion feed: an iterator over every entry
  --- (as read_completions gives them), in order, forever, or until nothing
  --- came for options.idle_timeout seconds. Woken by each append, not
  --- polling; inside a coroutine of a luv-attached client each wait yields
  --- to the loop. from: "$" (the default: from now on), "" (from the oldest
  --- entry kept) or the id of the last entry you processed (store it, pass
  --- it again after a restart: nothing the retention kept is missed).
  --- options: count (entries per round trip, 1..1000), idle_timeout.
  ---   for e in client:follow_completions(p, stored) do ... end
  function Client:follow_completions(partition, from, options)
    options = options_arg(options, "follow_completions")
    local p = integer(partition, "partition", 0, 4294967295) -- refused at the call, not at the first step
    local n = integer(options.count or 100, "count", 1, 1000)
    local idle = options.idle_timeout ~= nil and ms(options.idle_timeout, "idle_timeout") or nil
    if from == nil then from = "$" end
    word(from, "cursor")
    local c = self:native()
    local page, at, over = nil, 1, false
    return function()
      if over then return nil end
      if page == nil then page = self:read_completions(p, from, n) end
      while at > #page.entries do
        local cur = page.cursor
        local ok, res = pcall(run, self, function(ud, out)
          return lib.ff_flow_feed_wait(c, p, cur, n, idle or WAIT_ROUND_MS, nil, ud, out)
        end, completion_page)
        if ok then
          page, at = res, 1
        elseif not is(res, "Timeout") then
          error(res, 0)
        elseif idle then
          over = true
          return nil
        end
      end
      at = at + 1
      return page.entries[at - 1]
    end
  end

  --- The upstreams of this task's execution in its flow (client:parent_results).
  function Task:parent_results()
    return self.client:parent_results(self.execution_id)
  end

  --- Spawn a child flow of this execution: client:submit_flow with the
  --- parent set (the whole sub-DAG in one atomic call, on this execution's
  --- partition). spec: members, edges, groups, flow_id, lane (defaulting to
  --- this task's lane), as for submit_flow. Up to 64 child flows, then
  --- task:wait_children. Returns what submit_flow returns.
  function Task:spawn_children(spec)
    self:_live()
    local copy = {}
    for k, v in pairs(options_arg(spec, "spawn_children")) do copy[k] = v end
    if copy.parent ~= nil then invalid("spawn_children: parent is this task's execution, not an option") end
    copy.parent, copy.lane = self.execution_id, copy.lane or self.lane
    return self.client:submit_flow(copy)
  end

  --- Wait for the child flows this execution spawned: they are sealed (no
  --- member joins them any more). Returns "suspended": the task is over,
  --- return from the handler (its value is ignored); when the last child
  --- ends the execution is claimed again with attempt_type "resumed" (the
  --- same attempt id) and the handler runs again: read task:children()
  --- there. Or "already_satisfied": every child flow settled already, the
  --- lease is kept and the handler goes on. options: timeout (seconds) with
  --- timeout_behavior ("fail", "cancel", "expire", "auto_resume",
  --- "escalate"), as for a suspension timeout. NoChildren when nothing was
  --- spawned (the task is still yours).
  function Task:wait_children(options)
    options = options_arg(options, "wait_children")
    local t = self:_live()
    local limit = options.timeout ~= nil and ms(options.timeout, "timeout") or 0
    local behavior = options.timeout ~= nil and (word(options.timeout_behavior, "timeout_behavior") or "fail") or nil
    return self:_release_and_wait(function(ud, out)
      return lib.ff_task_wait_children(t, limit, behavior, nil, ud, out)
    end, text, function(r) return r end)
  end

  --- The members of this execution's child flows with their states and
  --- results (client:children).
  function Task:children()
    return self.client:children(self.execution_id)
  end

  -- The argument checks and readers above, for the other verb files
  -- (flowfabric/streams.lua).
  return { records = records, integer = integer, boolean = boolean, options_arg = options_arg, invalid = invalid }
end
