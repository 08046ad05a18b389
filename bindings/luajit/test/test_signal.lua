-- LuaJIT signals, suspension and the signing keys against a real
-- redis-server (FF_TEST_URL, else a private one): a task suspends, the
-- listing never shows its token, a bad token is refused typed, a signal
-- resumes it and the worker completes it; pending waitpoints; rotation.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_signal%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljs")
local client = ff.connect(url)

local function worker(lane) return ff.worker(client, { lanes = { lane }, engine = false }) end

test("suspend, token never listed, bad token typed, signal resumes, worker completes", function()
  local lane = new_lane()
  local id = client:submit("lj.approve", "order-7", { lane = lane })
  local seen, suspended = 0, nil
  local w = worker(lane)
  w:task("lj.approve", function(t)
    seen = seen + 1
    if seen == 1 then
      suspended = t:suspend("approval", { reason = "waiting_for_approval" })
      eq(t:finished(), true, "finished by the suspend")
      raises("InvalidArgument", function() t:progress(10) end) -- a suspended task is spent
      return "never sent"
    end
    return "approved " .. t.payload
  end)
  w:run({ max_tasks = 1 })
  eq(w.stats.suspended, 1, "suspended")
  eq(w.stats.completed, 0, "not completed from the handler's return")
  eq(suspended.outcome, "suspended", "outcome")
  eq(type(suspended.suspension), "number", "suspension number")
  eq(#suspended.waitpoints, 1, "waitpoints")
  local wp = suspended.waitpoints[1]
  eq(wp.key, "approval", "key")
  assert(wp.token and #wp.token > 0, "a token")
  eq(client:state(id), "suspended", "state")

  local listed = client:waitpoints(id)
  eq(#listed, 1, "listed")
  eq(listed[1].id, wp.id, "listed id")
  eq(listed[1].key, "approval", "listed key")
  for k, v in pairs(listed[1]) do
    if type(v) == "string" then assert(v ~= wp.token and not v:find(wp.token, 1, true), "token listed as " .. k) end
  end
  eq(#listed[1].fingerprint, 16, "fingerprint digits")
  eq(type(listed[1].signal_names), "table", "signal names")

  raises("InvalidToken", function() client:signal(id, wp.id, ("0"):rep(40), "approved") end)
  eq(client:state(id), "suspended", "a refused signal changes nothing")
  local effect = client:signal(id, wp.id, wp.token, "approved", { payload = "ok" })
  eq(effect, "resume_condition_satisfied", "effect")

  local w2 = worker(lane)
  w2:task("lj.approve", w.handlers["lj.approve"])
  w2:run({ max_tasks = 1 })
  eq(w2.stats.completed, 1, "completed after resuming")
  eq(client:result(id), "approved order-7", "result")
  eq(seen, 2, "handler runs")
end)

test("a pending waitpoint buffers a signal; suspend is then already satisfied", function()
  local lane = new_lane()
  local id = client:submit("lj.pending", "", { lane = lane })
  local got
  local w = worker(lane)
  w:task("lj.pending", function(t)
    local wp = t:create_waitpoint("callback", 600)
    eq(wp.key, "callback", "key")
    assert(wp.expires_at > os.time() * 1000, "expiry in the future")
    eq(client:signal(t.execution_id, wp.id, wp.token, "done", { source_type = "webhook" }),
       "buffered_for_pending_waitpoint", "buffered")
    got = t:suspend({ wp })
    eq(t:finished(), false, "the task goes on")
    return "after " .. got.outcome
  end)
  w:run({ max_tasks = 1 })
  eq(got.outcome, "already_satisfied", "outcome")
  eq(client:result(id), "after already_satisfied", "completed by the handler")
end)

test("with luv, create_waitpoint yields to the loop and suspend works in a coroutine", function()
  local uv = require("luv")
  local lc = ff.connect(url, { loop = uv })
  local lane = new_lane()
  local id = client:submit("lj.luv.wp", "", { lane = lane })
  local res
  local w = ff.worker(lc, { lanes = { lane }, engine = false })
  w:task("lj.luv.wp", function(t)
    local wp = t:create_waitpoint("hook")           -- pulled: yields to the loop
    res = t:suspend({ wp })
    w:stop()
    return "ignored"
  end)
  w:start_on(uv, function() lc:close() end)
  uv.run()
  eq(res.outcome, "suspended", "outcome")
  eq(res.waitpoints[1].key, "hook", "pending waitpoint bound")
  eq(w.stats.suspended, 1, "suspended")
  eq(client:state(id), "suspended", "state")
end)

test("bad arguments raise typed errors before anything is sent", function()
  local lane = new_lane()
  local id = client:submit("lj.bad", "", { lane = lane })
  raises("InvalidArgument", function() client:signal(id, "", "tok", "name") end)
  raises("InvalidArgument", function() client:signal(id, nil, "tok", "name") end)
  raises("InvalidArgument", function() client:signal("", "wp", "tok", "name") end)
  raises("InvalidArgument", function() client:signal(id, "wp", "", "name") end)
  raises("InvalidArgument", function() client:signal(id, "wp", "tok", "") end)
  raises("InvalidArgument", function() client:signal(id, "wp", "tok", "n", { source_identity = "" }) end)
  raises("InvalidInput", function() client:signal(id, "not-a-uuid", "tok", "n") end)
  raises("InvalidArgument", function() client:waitpoints("") end)
  raises("InvalidArgument", function() client:rotate_secret("") end)
  raises("InvalidInput", function() client:rotate_secret("bad kid!") end)
  local errs = {}
  local w = worker(lane)
  w:task("lj.bad", function(t)
    errs[#errs + 1] = select(2, pcall(t.suspend, t, {}))
    errs[#errs + 1] = select(2, pcall(t.suspend, t, { "a", "b" })) -- several waitpoints need a condition
    errs[#errs + 1] = select(2, pcall(t.create_waitpoint, t, ""))
    return "still mine"
  end)
  w:run({ max_tasks = 1 })
  eq(#errs, 3, "errors")
  assert(ff.is(errs[1], "InvalidArgument"), tostring(errs[1]))
  assert(ff.is(errs[2], "InvalidInput"), tostring(errs[2]))
  assert(ff.is(errs[3], "InvalidArgument"), tostring(errs[3]))
  eq(client:result(id), "still mine", "a refused suspend leaves the task to its handler")
  eq(#client:waitpoints(id), 0, "no waitpoint written")
end)

test("rotate_secret and secrets", function()
  local kid = "k" .. new_lane():gsub("[^%w]", "")
  eq(client:rotate_secret(kid, nil, { grace = 60 }), "rotated", "rotated")
  local keys = client:secrets()
  eq(keys.current_kid, kid, "current kid")
  eq(keys.partitions_disagreeing, 0, "partitions agree")
  local hex = ("ab"):rep(32)
  local kid2 = kid .. "b"
  eq(client:rotate_secret(kid2, hex, { grace = 60 }), "rotated", "rotated with a secret")
  eq(client:rotate_secret(kid2, hex, { grace = 60 }), "noop", "same kid and secret")
  raises("Conflict", function() client:rotate_secret(kid2, ("cd"):rep(32)) end)
  local prev = client:secrets().previous
  assert(type(prev) == "table" and #prev >= 1, "previous keys listed")
  for _, k in ipairs(prev) do assert(k.secret == nil, "a secret listed") end
end)

H.finish(function() client:close() end)
