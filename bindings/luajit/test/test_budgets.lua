-- LuaJIT budgets against a real redis-server (FF_TEST_URL, else a private
-- one): idempotent create, check-first reports at the boundaries, dedup,
-- the ledger of an execution, reset, and bad input refused.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_budgets%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljb")
local client = ff.connect(url)
local n = 0
local function bid()
  n = n + 1
  return string.format("lj-%d-%d-%d", os.time(), math.random(1, 1e9), n)
end

test("create, report at the boundaries, dedup, ledger, reset", function()
  local id = bid()
  local made = client:create_budget(id, { tokens = { 100, 60 } }, { on_hard = "block" })
  eq(made.created, true, "created")
  eq(made.matches, true, "matches")
  local again = client:create_budget(id, { tokens = 5 })
  eq(again.created, false, "repeat: existing")
  eq(again.matches, false, "repeat: other limits not applied")
  local lane = new_lane()
  local eid = client:submit("lj.spend", "", { lane = lane, budgets = { id } })
  local cl = client:claim({ lane })[1]
  eq(cl:report_usage(id, { tokens = 60 }).outcome, "applied", "equal to soft: no breach")
  local r = cl:report_usage(id, { tokens = 1 }, { dedup_key = "d1" })
  eq(r.outcome .. "/" .. r.dimension .. "/" .. r.usage .. "/" .. r.limit, "soft_breach/tokens/61/60", "soft")
  eq(cl:report_usage(id, { tokens = 1 }, { dedup_key = "d1" }).outcome, "already_applied", "dedup")
  r = client:report_usage(id, { tokens = 40 })
  eq(r.outcome .. "/" .. r.usage .. "/" .. r.limit, "hard_breach/61/100", "hard: nothing applied")
  local d = client:describe_budget(id)
  eq(d.dimensions.tokens.usage, 61, "usage")
  eq(client:release_budget(id, eid), true, "released")
  eq(client:release_budget(id, eid), false, "release is idempotent")
  eq(client:describe_budget(id).dimensions.tokens.usage, 0, "given back")
  eq(client:update_budget(id, { tokens = { 200, 0 } }), 1, "update")
  eq(client:reset_budget(id), 1, "reset count")
  cl:complete("")
end)

test("bad input is refused and writes nothing", function()
  local id = bid()
  raises("InvalidArgument", function() client:create_budget(id, {}) end)
  raises("InvalidArgument", function() client:create_budget(id, { t = 1 }, { on_hard = "explode" }) end)
  raises("InvalidArgument", function() client:report_usage(id, {}) end)
  raises("InvalidArgument", function() client:report_usage(id, { t = -1 }) end)
  raises("BudgetNotFound", function() client:describe_budget(id) end)
end)

test("a task reports under its lease and learns of a breach", function()
  local id, lane = bid(), new_lane()
  client:create_budget(id, { tokens = { 10, 5 } })
  local eid = client:submit("lj.spend", "", { lane = lane })
  local seen = {}
  local function note(v) seen[#seen + 1] = tostring(v) end
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.spend", function(t)
    note(t:budget_breached())
    note(t:report_usage(id, { tokens = 3 }, { dedup_key = "once" }).outcome)
    note(t:budget_breached())
    note(t:report_usage(id, { tokens = 3 }, { dedup_key = "once" }).outcome) -- nothing applied again
    local r = t:report_usage(id, { tokens = 3 })
    note(r.outcome .. "/" .. r.dimension .. "/" .. r.usage .. "/" .. r.limit)
    note(t:budget_breached())
    r = t:report_usage(id, { tokens = 5 }) -- 11 > 10: nothing applied
    note(r.outcome .. "/" .. r.usage .. "/" .. r.limit)
    note(t:budget_breached())
    for _, bad in ipairs({ function() t:report_usage(id, {}) end, function() t:report_usage(id, { tokens = "3" }) end,
                           function() t:report_usage(id, { tokens = -1 }) end,
                           function() t:report_usage(id, { tokens = 1.5 }) end,
                           function() t:report_usage("bad id!", { tokens = 1 }) end,
                           function() t:report_usage(id, { tokens = 1 }, "k") end }) do
      local ok, err = pcall(bad)
      note(ok and "accepted" or (type(err) == "table" and err.class or tostring(err)))
    end
    return "ok"
  end)
  w:run({ max_tasks = 1 })
  eq(client:result(eid), "ok", "result")
  eq(table.concat(seen, ","), "nil,applied,nil,already_applied,soft_breach/tokens/6/5,soft,hard_breach/6/10,hard,"
       .. "InvalidArgument,InvalidArgument,InvalidArgument,InvalidArgument,InvalidArgument,InvalidArgument", "seen")
  eq(client:describe_budget(id).dimensions.tokens.usage, 6, "the bad reports wrote nothing")
  eq(client:release_budget(id, eid), true, "the task's spend is the execution's")
end)

test("members of a flow draw on its budgets", function()
  local fb, own, lane = bid(), bid(), new_lane()
  local made = client:create_flow({ lane = lane, budgets = { fb } })
  eq(table.concat(client:describe_flow(made.flow_id).budgets, ","), fb, "flow budgets")
  local eid = client:submit("lj.member", "", { lane = lane, flow = made.flow_id, budgets = { own } })
  eq(table.concat(client:describe(eid).budgets, ","), own .. "," .. fb, "its own, then the flow's")
  eq(client:create_flow({ flow_id = made.flow_id, lane = lane, budgets = { own } }).existed, true, "repeat")
  eq(table.concat(client:describe_flow(made.flow_id).budgets, ","), fb, "a repeat keeps the stored ones")
  local fb2 = bid()
  local sub = client:submit_flow({ members = { { kind = "a" }, { kind = "b", budgets = { own } } }, edges = { { 1, 2 } },
                                   lane = lane, budgets = { fb, fb2 } })
  eq(table.concat(client:describe(sub.member_ids[1]).budgets, ","), fb .. "," .. fb2, "submit_flow member")
  eq(table.concat(client:describe(sub.member_ids[2]).budgets, ","), own .. "," .. fb .. "," .. fb2, "with its own")
end)

test("flow budgets: bad input is refused and writes nothing", function()
  local fid = string.format("{fp:0}:%08x-0000-4000-8000-%012x", math.random(0, 0x7fffffff), os.time())
  local many = {}
  for i = 1, 17 do many[i] = "b" .. i end
  for _, budgets in ipairs({ "b-1", 7, { "bad id!" }, { "x", "x" }, many, { 1 }, { b = "x" } }) do
    raises("InvalidArgument", function() client:create_flow({ flow_id = fid, budgets = budgets }) end)
    raises("InvalidArgument", function()
      client:submit_flow({ members = { { kind = "k" } }, flow_id = fid, budgets = budgets })
    end)
  end
  local lane = new_lane()
  raises("InvalidArgument", function() client:submit("lj.k", "", { lane = lane, budgets = "b-1" }) end)
  raises("FlowNotFound", function() client:describe_flow(fid) end)
  eq(#client:list_lane_page(lane), 0, "nothing submitted")
end)

H.finish(function() client:close() end)
