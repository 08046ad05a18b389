-- LuaJIT flows against a real redis-server (FF_TEST_URL, else a private
-- one): create and its idempotent repeat, submit_flow of a diamond that a
-- worker completes in order reading parent_results, an any_of group that
-- cancels the sibling, a failure that skips downstream, the typed refusals
-- of add_edge and submit_flow, the reads, and cancel_flow with each policy.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_flow%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljf")
local client = ff.connect(url)

local function partition_of(id) return tonumber(id:match("^{fp:(%d+)}")) end

-- A uuid-shaped random hex id (the library checks the shape only).
math.randomseed(os.time())
local function uuid()
  local hex = function(n)
    local t = {}
    for i = 1, n do t[i] = string.format("%x", math.random(0, 15)) end
    return table.concat(t)
  end
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-8" .. hex(3) .. "-" .. hex(12)
end
local function fresh_id(part) return "{fp:" .. part .. "}:" .. uuid() end
-- A flow id not created yet, on a partition `lane` maps to.
local function fresh_flow_id(lane) return fresh_id(partition_of(client:create_flow({ lane = lane }).flow_id)) end

local function claim_one(lane)
  local claims = client:claim({ lane })
  eq(#claims, 1, "one claim on " .. lane)
  return claims[1]
end

-- a -> b -> c in one call; returns the flow id, a, b, c.
local function chain(lane)
  local f = client:submit_flow({
    lane = lane,
    members = { { kind = "lj.step", ref = "a" }, { kind = "lj.step", ref = "b" }, { kind = "lj.step", ref = "c" } },
    edges = { { "a", "b" }, { "b", "c" } },
  })
  return f.flow_id, f.member_ids[1], f.member_ids[2], f.member_ids[3]
end

local function sorted(t)
  local copy = {}
  for i, v in ipairs(t) do copy[i] = v end
  table.sort(copy)
  return table.concat(copy, ",")
end

test("create is idempotent and keeps the stored limits", function()
  local lane = new_lane()
  local made = client:create_flow({ lane = lane, max_members = 5 })
  eq(made.existed, false, "existed")
  assert(made.flow_id:match("^{fp:%d+}:"), "a flow id: " .. made.flow_id)
  eq(made.max_members, 5, "max_members")
  eq(made.max_incoming, 100, "max_incoming")
  local again = client:create_flow({ flow_id = made.flow_id, max_members = 7, max_incoming = 3 })
  eq(again.existed, true, "existed on the repeat")
  eq(again.flow_id, made.flow_id, "same id")
  eq(again.max_members, 5, "the stored max_members")
  eq(client:describe_flow(made.flow_id).state, "open", "state")
  raises("InvalidArgument", function() client:create_flow({ max_members = 0 }) end)
  raises("InvalidArgument", function() client:create_flow({ flow_id = 42 }) end)
  raises("InvalidArgument", function() client:create_flow("not a table") end)
end)

test("submit into a flow, add_to_flow, flow_of", function()
  local lane = new_lane()
  local fid = client:create_flow({ lane = lane }).flow_id
  local member = client:submit("lj.member", "x", { lane = lane, flow = fid })
  eq(client:flow_of(member), fid, "flow_of")
  local loose = client:submit("lj.loose", "", { lane = lane })
  eq(client:flow_of(loose), nil, "no flow")
  eq(#client:parent_results(loose), 0, "no parents outside a flow")
  local joiner = client:submit("lj.join", "", { lane = lane, execution_id = fresh_id(partition_of(fid)) })
  eq(client:add_to_flow(fid, joiner), "added", "added")
  eq(client:add_to_flow(fid, joiner), "already_member", "repeat")
  local ids = {}
  for _, m in ipairs(client:describe_flow(fid).members) do ids[#ids + 1] = m.execution_id end
  eq(sorted(ids), sorted({ member, joiner }), "members")
  local other = (partition_of(fid) + 1) % tonumber(ff.lib.ff_client_partitions(client:native()))
  raises("PartitionMismatch", function() client:add_to_flow(fid, fresh_id(other)) end)
  raises("FlowNotFound", function() client:add_to_flow(fresh_id(partition_of(fid)), joiner) end)
  raises("InvalidArgument", function() client:submit("k", "", { lane = lane, flow = 7 }) end)
end)

test("a diamond runs in order, parent_results inside the handlers", function()
  local lane = new_lane()
  local f = client:submit_flow({
    lane = lane,
    members = {
      { kind = "lj.src", payload = "seed", ref = "src" },
      { kind = "lj.left", ref = "left" },
      { kind = "lj.right", ref = "right" },
      { kind = "lj.join", ref = "join" },
    },
    edges = { { "src", "left", pass_data = true }, { 1, 3, true }, { "left", "join", pass_data = true }, { 3, 4 } },
  })
  eq(f.existed, false, "existed")
  eq(#f.member_ids, 4, "member ids")
  eq(f.by_ref.join, f.member_ids[4], "by_ref")
  eq(client:state(f.by_ref.join), "waiting_children", "join waits")

  local order, seen = {}, {}
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.src", function(t) order[#order + 1] = "src"; return t.payload .. "+src" end)
  for _, side in ipairs({ "left", "right" }) do
    w:task("lj." .. side, function(t)
      order[#order + 1] = side
      seen[side] = t:parent_results()
      return side .. "(" .. tostring(seen[side][1].result) .. ")"
    end)
  end
  w:task("lj.join", function(t)
    order[#order + 1] = "join"
    seen.join = t:parent_results()
    local parts = {}
    for _, p in ipairs(seen.join) do parts[#parts + 1] = p.result == nil and "nil" or p.result end
    return table.concat(parts, ",")
  end)
  w:run({ max_tasks = 4 })
  eq(w.stats.completed, 4, "completed")
  eq(order[1], "src", "first")
  eq(order[4], "join", "last")
  eq(sorted({ order[2], order[3] }), "left,right", "middle")
  local left = seen.left[1]
  eq(left.upstream, f.by_ref.src, "left's upstream")
  eq(left.state, "satisfied", "left's edge")
  eq(left.result, "seed+src", "the upstream's result passed")
  eq(#seen.join, 2, "two parents")
  -- by upstream id; left was minted before right, right's edge passes no data
  eq(seen.join[1].upstream, f.by_ref.left, "first parent")
  eq(seen.join[2].result, nil, "no data on that edge")
  eq(seen.join[2].state, "satisfied", "but satisfied")
  eq(client:result(f.by_ref.join), "left(seed+src),nil", "join's result")

  local doc = client:describe_flow(f.flow_id)
  eq(doc.state, "completed", "flow state")
  eq(doc.counts.members, 4, "members")
  eq(doc.counts.completed, 4, "completed count")
  eq(doc.counts.not_ended, 0, "not ended")
  eq(doc.edge_count, 4, "edges")

  local out = client:list_edges(f.flow_id, f.by_ref.src, "out")
  eq(#out, 2, "out of src")
  for _, e in ipairs(out) do eq(e.upstream, f.by_ref.src, "upstream of an out edge") end
  local into = client:list_edges(f.flow_id, f.by_ref.join, "in")
  eq(#into, 2, "into join")
  for _, e in ipairs(into) do
    eq(e.downstream, f.by_ref.join, "downstream of an in edge")
    eq(e.state, "satisfied", "resolved")
  end
  eq(#client:list_edges(f.flow_id, f.by_ref.join), 0, "out by default: none out of join")
  raises("InvalidArgument", function() client:list_edges(f.flow_id, f.by_ref.join, "sideways") end)
  local e = client:describe_edge(f.flow_id, out[1].edge_id)
  eq(e.edge_id, out[1].edge_id, "edge id")
  eq(e.data_passing, true, "data passing")
  eq(e.upstream_outcome, "success", "upstream outcome")
  eq(type(e.created_at), "number", "created_at")
  eq(type(e.resolved_at), "number", "resolved_at")
  raises("EdgeNotFound", function() client:describe_edge(f.flow_id, uuid()) end)
end)

test("submit_flow: idempotent by flow id, another body refused", function()
  local lane = new_lane()
  local fid = fresh_flow_id(lane)
  local body = { flow_id = fid, lane = lane, members = { { kind = "lj.a" }, { kind = "lj.b" } }, edges = { { 1, 2 } } }
  local one, two = client:submit_flow(body), client:submit_flow(body)
  eq(one.existed, false, "first")
  eq(two.existed, true, "repeat")
  eq(table.concat(two.member_ids, ","), table.concat(one.member_ids, ","), "same ids")
  raises("FlowSubmitConflict", function()
    client:submit_flow({ flow_id = fid, lane = lane, members = { { kind = "lj.a" } } })
  end)
end)

test("submit_flow refusals are typed and write nothing", function()
  local lane = new_lane()
  local fid = fresh_flow_id(lane)
  local two = { { kind = "lj.a", ref = "a" }, { kind = "lj.b", ref = "b" } }
  local function submit(edges, groups, members)
    return client:submit_flow({ flow_id = fid, lane = lane, members = members or two, edges = edges, groups = groups })
  end
  raises("InvalidArgument", function() submit({}, nil, {}) end)
  raises("InvalidArgument", function() submit({ { "a", "nope" } }) end)
  raises("InvalidArgument", function() submit({ { 0, 1 } }) end) -- 1-based
  raises("InvalidArgument", function() submit({ { 1, 3 } }) end)
  raises("InvalidArgument", function() submit({ { 1, 2, "yes" } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { kind = "k", flow = fid } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { kind = "k", idempotency_key = "x" } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { kind = "k", colour = "red" } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { payload = "no kind" } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { kind = "k", payload = 12 } }) end)
  raises("InvalidArgument", function() submit(nil, nil, { { kind = "k", ref = "x" }, { kind = "k", ref = "x" } }) end)
  raises("InvalidFlowPolicy", function() submit({ { "a", "b" } }, { b = { policy = "all_of", k = 2 } }) end)
  raises("InvalidArgument", function() submit({ { "a", "a" } }) end) -- the C builder refuses a self edge
  -- refused by the server before its first write
  raises("CycleDetected", function() submit({ { "a", "b" }, { "b", "a" } }) end)
  raises("InvalidFlowPolicy", function() submit({ { "a", "b" } }, { b = { policy = "quorum", k = 2 } }) end)
  raises("InvalidFlowPolicy", function() submit({ { "a", "b" } }, { [2] = { policy = "most_of" } }) end)
  raises("FlowNotFound", function() client:describe_flow(fid) end)
end)

test("any_of with cancel_remaining cancels the sibling", function()
  local lane = new_lane()
  local f = client:submit_flow({
    lane = lane,
    members = { { kind = "lj.try", ref = "fast" }, { kind = "lj.try", ref = "slow" }, { kind = "lj.after", ref = "d" } },
    edges = { { "fast", "d" }, { "slow", "d" } },
    groups = { d = { policy = "any_of", on_satisfied = "cancel_remaining" } },
  })
  local c = claim_one(lane)
  eq(c.execution_id, f.by_ref.fast, "members claim in creation order")
  c:complete("won")
  eq(client:state(f.by_ref.slow), "cancelled", "the sibling")
  eq(client:describe(f.by_ref.slow).cancellation.reason, "sibling_quorum_satisfied", "why")
  eq(client:state(f.by_ref.d), "waiting", "released")
  local g = client:describe_flow(f.flow_id).groups[1]
  eq(g.policy, "any_of", "group policy")
  eq(g.on_satisfied, "cancel_remaining", "group on_satisfied")
end)

test("set_group and add_edge one at a time, typed refusals", function()
  local lane = new_lane()
  local fid = client:create_flow({ lane = lane }).flow_id
  local a = client:submit("lj.e1", "", { lane = lane, flow = fid })
  local b = client:submit("lj.e2", "", { lane = lane, flow = fid })
  local c = client:submit("lj.e3", "", { lane = lane, flow = fid })
  eq(client:set_group(fid, c, { policy = "quorum", k = 1, on_satisfied = "let_run" }), "set", "set")
  eq(client:set_group(fid, c, { policy = "quorum", k = 1, on_satisfied = "let_run" }), "already_set", "again")
  raises("InvalidFlowPolicy", function() client:set_group(fid, b, { policy = "some_of" }) end)
  raises("InvalidFlowPolicy", function() client:set_group(fid, b, { on_satisfied = "let_run" }) end)
  raises("InvalidArgument", function() client:set_group(fid, b, { policy = 3 }) end)

  local rev = client:describe_flow(fid).revision
  local ab = client:add_edge(fid, a, b, { expected_revision = rev, pass_data = true })
  eq(ab.state, "pending", "pending")
  eq(ab.data_passing, true, "data")
  eq(ab.revision, rev + 1, "revision")
  raises("StaleGraphRevision", function() client:add_edge(fid, b, c, { expected_revision = rev }) end)
  local bc = client:add_edge(fid, b, c)
  raises("CycleDetected", function() client:add_edge(fid, c, a) end)
  raises("SelfReferencingEdge", function() client:add_edge(fid, a, a) end)
  raises("DependencyAlreadyExists", function() client:add_edge(fid, a, b) end)
  raises("EdgeGroupPolicyFixed", function() client:set_group(fid, b, { policy = "any_of" }) end)
  raises("InvalidArgument", function() client:add_edge(fid, a, c, { pass_data = "yes" }) end)
  raises("InvalidArgument", function() client:add_edge(fid, a, c, { expected_revision = "1" }) end)
  eq(client:describe_flow(fid).revision, bc.revision, "the refusals wrote nothing")
  local into_b = client:list_edges(fid, b, "in")
  eq(#into_b, 1, "one edge into b")
  eq(into_b[1].edge_id, ab.edge_id, "that one")
  eq(client:list_edges(fid, b)[1].edge_id, bc.edge_id, "out of b")
  local e = client:describe_edge(fid, ab.edge_id)
  eq(e.resolved_at, nil, "not resolved yet")
  eq(e.upstream_outcome, nil, "no outcome yet")
end)

test("a failure skips the downstream layer by layer", function()
  local lane = new_lane()
  local fid, a, b, c = chain(lane)
  claim_one(lane):fail("broken", { retry = false })
  raises("ExecutionFailed", function() client:result(a) end)
  eq(client:state(b), "skipped", "b")
  eq(client:state(c), "skipped", "c")
  eq(client:describe(b).failure.reason, "dependency_impossible", "why")
  eq(client:parent_results(b)[1].state, "impossible", "b's edge")
  local doc = client:describe_flow(fid)
  eq(doc.state, "failed", "flow state")
  eq(doc.counts.skipped, 2, "skipped")
end)

test("list_flows: pages with a cursor, iterates every partition", function()
  local lane = new_lane()
  local made = {}
  for i = 1, 3 do made[i] = client:create_flow({ lane = lane }).flow_id end
  local part = partition_of(made[1])
  local ids, cursor = client:list_flows_page(part, "", 1)
  eq(#ids, 1, "one per page")
  local paged = { ids[1] }
  while cursor ~= "" do
    ids, cursor = client:list_flows_page(part, cursor, 1)
    for _, id in ipairs(ids) do paged[#paged + 1] = id end
  end
  eq(sorted(paged), table.concat(paged, ","), "byte order")
  local iterated = {}
  for id in client:list_flows(part, 2) do iterated[#iterated + 1] = id end
  eq(table.concat(iterated, ","), table.concat(paged, ","), "the iterator walks the same pages")
  local every = {}
  for id in client:list_flows() do every[id] = true end
  for _, id in ipairs(made) do assert(every[id], id .. " listed") end
  raises("InvalidArgument", function() client:list_flows_page(part, "", 0) end)
  raises("InvalidArgument", function() client:list_flows(part, 5000) end)
end)

test("cancel_flow cancel_all cancels running members too; a repeat touches nothing", function()
  local lane = new_lane()
  local fid, a, b, c = chain(lane)
  local running = claim_one(lane)
  eq(running.execution_id, a, "a runs")
  local r = client:cancel_flow(fid, "cancel_all", "operator")
  eq(r.repeated, false, "first")
  eq(r.policy, "cancel_all", "policy")
  eq(sorted(r.cancelled), sorted({ a, b, c }), "cancelled")
  raises("ExecutionNotActive", function() running:complete("late") end)
  local again = client:cancel_flow(fid, "cancel_pending")
  eq(again.repeated, true, "repeat")
  eq(again.policy, "cancel_all", "the stored policy")
  eq(#again.cancelled, 0, "nothing more")
  eq(client:describe(b).cancellation.cancelled_by, "flow", "by the flow")
end)

test("cancel_flow cancel_pending lets the running member finish", function()
  local lane = new_lane()
  local fid, a, b, c = chain(lane)
  local running = claim_one(lane)
  eq(sorted(client:cancel_flow(fid, "cancel_pending").cancelled), sorted({ b, c }), "the pending ones")
  running:complete("done anyway")
  eq(client:result(a), "done anyway", "a finished")
end)

test("cancel_flow flow_only leaves the members alone", function()
  local lane = new_lane()
  local fid, a, b, c = chain(lane)
  local r = client:cancel_flow(fid, "flow_only")
  eq(r.policy, "flow_only", "policy")
  eq(#r.cancelled, 0, "nothing cancelled")
  eq(client:describe_flow(fid).state, "cancelled", "flow state")
  raises("FlowAlreadyTerminal", function() client:add_edge(fid, a, c) end)
  claim_one(lane):complete("ran on")
  eq(client:state(b), "waiting", "released as before")
end)

test("cancel_flow needs a policy", function()
  local lane = new_lane()
  local fid, a = chain(lane)
  raises("InvalidFlowPolicy", function() client:cancel_flow(fid) end)
  raises("InvalidFlowPolicy", function() client:cancel_flow(fid, "cancel_some") end)
  raises("InvalidArgument", function() client:cancel_flow(fid, 1) end)
  eq(client:describe_flow(fid).state, "open", "untouched")
  eq(client:state(a), "waiting", "a untouched")
  raises("FlowNotFound", function() client:cancel_flow(fresh_flow_id(lane), "cancel_all") end)
end)

H.finish(function() client:close() end)
