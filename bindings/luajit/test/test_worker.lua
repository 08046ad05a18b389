-- LuaJIT workers (blocking and luv-driven) and luv-driven client calls,
-- against a real redis-server (FF_TEST_URL, else a private one).
-- Prints "N passed, N failed" last.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_worker%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")
local uv = require("luv")

local url = H.server_url()
local test, eq = H.test, H.eq
local new_lane = H.lanes("ljw")
local client = ff.connect(url)

test("a blocking worker completes and fails its tasks", function()
  local lane = new_lane()
  local ok = {}
  for i = 1, 5 do ok[i] = client:submit("lj.ok", "p" .. i, { lane = lane }) end
  local boom = client:submit("lj.boom", "", { lane = lane })
  local final = client:submit("lj.final", "", { lane = lane })
  local w = ff.worker(client, { lanes = { lane }, concurrency = 3, engine = false })
  w:task("lj.ok", function(t) return "done-" .. t.payload end)
  w:task("lj.boom", function() error("bad thing") end)
  w:task("lj.final", function() error(ff.fail("permanent", { category = "input", retry = false })) end)
  w:run({ max_tasks = 7 })
  for i = 1, 5 do eq(client:result(ok[i]), "done-p" .. i, "result " .. i) end
  local snap = client:describe(boom)
  assert(snap.attempts[1].failure_reason:find("bad thing"), snap.attempts[1].failure_reason)
  local okr, err = pcall(client.result, client, final)
  assert(not okr and ff.is(err, "ExecutionFailed"), tostring(err))
  eq(client:describe(final).failure.category, "input", "category")
  eq(w.stats.completed, 5, "completed")
  eq(w.stats.failed, 2, "failed")
end)

test("a kind without handler fails as no_handler; idle_timeout ends a run", function()
  local lane = new_lane()
  local id = client:submit("lj.unknown", "", { lane = lane })
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.other", function() return "x" end)
  w:run({ max_tasks = 1 })
  eq(client:describe(id).attempts[1].failure_category, "no_handler", "category")
  local idle = ff.worker(client, { lanes = { new_lane() }, engine = false })
  idle:task("k", function() return "x" end)
  idle:run({ idle_timeout = 0.3 })
  eq(idle.stats.finished, 0, "finished")
end)

test("with luv, client calls in coroutines yield to the loop and all complete", function()
  local lc = ff.connect(url, { loop = uv })
  local lane = new_lane()
  local results, done = {}, 0
  for i = 1, 20 do
    coroutine.wrap(function()
      local id = lc:submit("lj.co", "c" .. i, { lane = lane })
      results[i] = lc:state(id)
      done = done + 1
      if done == 20 then lc:close() end
    end)()
  end
  eq(done, 0, "nothing answered before the loop ran") -- every call yielded
  uv.run()
  eq(done, 20, "answered")
  for i = 1, 20 do eq(results[i], "waiting", "state " .. i) end
  eq(client:lane_counts(lane).waiting, 20, "waiting")
end)

test("a luv-driven worker runs handlers in coroutines that use the client", function()
  local lc = ff.connect(url, { loop = uv })
  local lane = new_lane()
  local ids = {}
  for i = 1, 6 do ids[i] = client:submit("lj.luv", "l" .. i, { lane = lane }) end
  local w = ff.worker(lc, { lanes = { lane }, concurrency = 3, engine = false })
  w:task("lj.luv", function(t)
    -- a client call inside the handler yields to the loop
    local state = lc:state(t.execution_id)
    if w.stats.finished == 5 then w:stop() end
    return state .. ":" .. t.payload
  end)
  w:start_on(uv, function() lc:close() end)
  uv.run()
  for i = 1, 6 do eq(client:result(ids[i]), "active:l" .. i, "result " .. i) end
end)

H.finish(function() client:close() end)
