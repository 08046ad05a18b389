-- LuaJIT child flows (task:spawn_children / wait_children / children), the
-- completion feed (read_completions, follow_completions, also inside a luv
-- coroutine), wait_flow and cancel_flow with wait, against a real
-- redis-server (FF_TEST_URL, else a private one; docs/flows.md "Child
-- flows" and "Following flows").
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_flow_children%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljc")
local client = ff.connect(url)

local function partition_of(id) return tonumber(id:match("^{fp:(%d+)}")) end

local function claim_one(lane)
  local claims = client:claim({ lane })
  eq(#claims, 1, "one claim on " .. lane)
  return claims[1]
end

test("a parent spawns two children, waits, is resumed and returns their results", function()
  local lane = new_lane()
  local parent = client:submit("lj.parent", "{}", { lane = lane })
  local runs = {}
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.parent", function(t)
    runs[#runs + 1] = { t.attempt_type, t.attempt_id }
    if t.attempt_type == "resumed" then
      local got = {}
      for _, c in ipairs(t:children()) do got[#got + 1] = c.result end
      table.sort(got)
      return table.concat(got, "+")
    end
    local kids = t:spawn_children({ members = { { kind = "lj.child", payload = "1" }, { kind = "lj.child", payload = "2" } } })
    eq(#kids.member_ids, 2, "two children")
    eq(t:wait_children(), "suspended", "wait_children")
    eq(t:finished(), true, "the task is over")
    return "ignored: the task is over until the children end"
  end)
  w:task("lj.child", function(t) return "child-" .. t.payload end)
  w:run({ max_tasks = 4, idle_timeout = 60 })
  eq(client:result(parent), "child-1+child-2", "the parent's result")
  eq(#runs, 2, "the parent ran twice")
  eq(runs[1][1], "initial", "first run")
  eq(runs[2][1], "resumed", "second run")
  eq(runs[2][2], runs[1][2], "the same attempt")
  eq(w.stats.suspended, 1, "one suspended")
  local kids = client:children(parent)
  eq(#kids, 2, "children")
  eq(kids[1].state .. "," .. kids[2].state, "completed,completed", "their states")
  eq(kids[1].flow_id, kids[2].flow_id, "one child flow")
  local doc = client:describe_flow(kids[1].flow_id)
  eq(doc.parent, parent, "the flow's parent")
  eq(doc.state, "completed", "the flow's state")
end)

test("children already ended: wait_children keeps the lease and the handler goes on", function()
  local lane = new_lane()
  local parent = client:submit("lj.parent", "", { lane = lane })
  local outcome
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.parent", function(t)
    t:spawn_children({ members = { { kind = "lj.child" } } })
    claim_one(lane):complete("done-by-hand") -- the child ends while the parent runs
    outcome = t:wait_children()
    eq(t:finished(), false, "still the handler's")
    return t:children()[1].result
  end)
  w:run({ max_tasks = 1, idle_timeout = 60 })
  eq(outcome, "already_satisfied", "wait_children")
  eq(client:result(parent), "done-by-hand", "completed by the return value")
  eq(w.stats.suspended, 0, "nothing suspended")
end)

test("wait_children without children raises NoChildren and the handler goes on", function()
  local lane = new_lane()
  local eid = client:submit("lj.lonely", "", { lane = lane })
  local went_on = false
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.lonely", function(t)
    raises("NoChildren", function() t:wait_children() end)
    eq(t:finished(), false, "still the handler's")
    went_on = true
    return "done"
  end)
  w:run({ max_tasks = 1, idle_timeout = 60 })
  eq(went_on, true, "went on")
  eq(client:result(eid), "done", "completed by the return value")
  eq(#client:children(eid), 0, "no children")
end)

test("spawning needs a running parent", function()
  local lane = new_lane()
  local idle = client:submit("lj.x", "", { lane = lane })
  raises("ExecutionNotActive", function()
    client:submit_flow({ lane = lane, parent = idle, members = { { kind = "lj.c" } } })
  end)
  raises("InvalidArgument", function()
    client:submit_flow({ lane = lane, parent = "not-an-id", members = { { kind = "lj.c" } } })
  end)
  raises("InvalidArgument", function() client:submit_flow({ lane = lane, parent = 7, members = { { kind = "lj.c" } } }) end)
  eq(#client:children(idle), 0, "nothing spawned")
end)

-- A 2-member chain, completed after the feed's newest entry was noted:
-- returns the submit, the partition and that cursor.
local function completed_chain(lane)
  local sub = client:submit_flow({ lane = lane, members = { { kind = "lj.a" }, { kind = "lj.b" } }, edges = { { 1, 2 } } })
  local part = partition_of(sub.flow_id)
  local start = client:read_completions(part, "$").cursor
  claim_one(lane):complete("")
  claim_one(lane):complete("")
  return sub, part, start
end

local function summary(entries, flow_id)
  local out = {}
  for _, e in ipairs(entries) do
    if e.flow_id == flow_id then out[#out + 1] = e.execution_id .. "/" .. e.outcome .. "/" .. e.kind end
  end
  return table.concat(out, " ")
end

test("read_completions from the newest entry shows member, member, flow in order", function()
  local lane = new_lane()
  local sub, part, start = completed_chain(lane)
  local all, cur = {}, start
  while true do
    local page = client:read_completions(part, cur, 2)
    eq(page.gap, false, "no gap")
    if #page.entries == 0 then break end
    eq(page.cursor, page.entries[#page.entries].id, "the cursor is the last entry's id")
    for _, e in ipairs(page.entries) do
      eq(e.missed_before, false, "nothing missed")
      all[#all + 1] = e
    end
    cur = page.cursor
  end
  local a, b = sub.member_ids[1], sub.member_ids[2]
  eq(summary(all, sub.flow_id), a .. "/success/member " .. b .. "/success/member /completed/flow", "the entries")
  raises("InvalidArgument", function() client:read_completions(part, "nope") end)
  raises("InvalidArgument", function() client:read_completions(part, "$", 0) end)
end)

test("follow_completions from a stored cursor with an idle timeout yields them", function()
  local lane = new_lane()
  local sub, part, start = completed_chain(lane)
  local all = {}
  for e in client:follow_completions(part, start, { count = 1, idle_timeout = 0.5 }) do all[#all + 1] = e end
  local a, b = sub.member_ids[1], sub.member_ids[2]
  eq(summary(all, sub.flow_id), a .. "/success/member " .. b .. "/success/member /completed/flow", "the entries")
  -- the ids are the cursors to store: on from the flow's entry, none again
  local last
  for _, e in ipairs(all) do if e.flow_id == sub.flow_id then last = e.id end end
  local again = {}
  for e in client:follow_completions(part, last, { idle_timeout = 0.2 }) do again[#again + 1] = e end
  eq(summary(again, sub.flow_id), "", "nothing of that flow after its last entry")
  raises("InvalidArgument", function() client:follow_completions(part, "$", { count = 0 }) end)
  raises("InvalidArgument", function() client:follow_completions(part, 5) end)
end)

test("with luv, follow_completions yields to the loop", function()
  local uv = require("luv")
  local lc = ff.connect(url, { loop = uv })
  local lane = new_lane()
  local sub = client:submit_flow({ lane = lane, members = { { kind = "lj.a" } } })
  local part = partition_of(sub.flow_id)
  local start = client:read_completions(part, "$").cursor
  local got, finished = {}, false
  -- a guard, not an assertion: a follow that never ends fails the test
  -- instead of hanging the loop
  local guard = uv.new_timer()
  guard:start(120000, 0, function() guard:close(); lc:close() end)
  local co = coroutine.create(function()
    for e in lc:follow_completions(part, start) do
      if e.flow_id == sub.flow_id then
        got[#got + 1] = e.outcome
        if e.kind == "flow" then break end
      end
    end
    finished = true
    guard:close()
    lc:close()
  end)
  assert(coroutine.resume(co))
  eq(finished, false, "the follow yielded to the loop")
  claim_one(lane):complete("")
  uv.run()
  eq(finished, true, "the follow ended")
  eq(table.concat(got, ","), "success,completed", "woken by the endings")
end)

test("wait_flow times out while a member runs, returns the settled flow after", function()
  local lane = new_lane()
  local sub = client:submit_flow({ lane = lane, members = { { kind = "lj.a" } } })
  local running = claim_one(lane)
  raises("Timeout", function() client:wait_flow(sub.flow_id, 0.05) end)
  running:complete("ok")
  local doc = client:wait_flow(sub.flow_id, 60)
  eq(doc.state, "completed", "settled")
  eq(doc.counts.not_ended, 0, "every member ended")
  eq(client:wait_flow(sub.flow_id).state, "completed", "without a timeout")
  raises("InvalidArgument", function() client:wait_flow(sub.flow_id, "soon") end)
end)

test("cancel_flow cancel_pending with wait and a short timeout reports the running member", function()
  local lane = new_lane()
  local sub = client:submit_flow({ lane = lane, members = { { kind = "lj.a" }, { kind = "lj.b" } } })
  local running = claim_one(lane)
  local done = client:cancel_flow(sub.flow_id, "cancel_pending", { wait = true, timeout = 0.05 })
  eq(#done.partially_cancelled, 1, "one member not ended")
  eq(done.partially_cancelled[1], running.execution_id, "the running one")
  eq(#done.cancelled, 1, "the other one cancelled")
  running:complete("")
  eq(client:wait_flow(sub.flow_id, 60).state, "cancelled", "settled")
  local again = client:cancel_flow(sub.flow_id, "cancel_all", { wait = true, timeout = 60, reason = "again" })
  eq(again.repeated, true, "a repeat")
  eq(#again.partially_cancelled, 0, "nothing left")
  eq(#client:cancel_flow(sub.flow_id, "cancel_all", "no wait").partially_cancelled, 0, "without wait")
  raises("InvalidArgument", function() client:cancel_flow(sub.flow_id, "cancel_all", { wait = "yes" }) end)
end)

H.finish(function() client:close() end)
