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

H.finish(function() client:close() end)
