-- LuaJIT lane registry and lane pause against a real redis-server
-- (FF_TEST_URL, else a private one): a configured lane is listed before
-- use, a paused lane hands out nothing, resume releases the work, and bad
-- input is refused. Nothing is timed.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_lanes%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljl")
local client = ff.connect(url)

local function entry(lane)
  for _, l in ipairs(client:list_lanes()) do if l.lane == lane then return l end end
end

test("create, pause, resume and list", function()
  local lane = new_lane()
  eq(client:create_lane(lane), true, "created")
  eq(client:create_lane(lane), false, "a repeat")
  local e = entry(lane)
  eq(e ~= nil and e.configured, true, "listed before use")
  eq(e.paused, false, "not paused")
  local eid = client:submit("lj.l", "", { lane = lane })
  eq(client:pause_lane(lane, "deploy"), true, "paused")
  eq(client:pause_lane(lane), false, "already paused")
  eq(#client:claim({ lane }, { batch = 5 }), 0, "a paused lane hands out nothing")
  eq(client:state(eid), "waiting", "its work waits")
  e = entry(lane)
  eq(e.paused and e.reason, "deploy", "the first reason is kept")
  eq(client:resume_lane(lane), true, "resumed")
  eq(client:resume_lane(lane), false, "was not paused")
  local got = client:claim({ lane })
  eq(got[1].execution_id, eid, "released")
  got[1]:complete("")
end)

test("bad input is refused", function()
  raises("InvalidArgument", function() client:pause_lane(string.rep("x", 65)) end)
  raises("InvalidArgument", function() client:create_lane("") end)
  raises("InvalidArgument", function() client:pause_lane("ok", 5) end)
end)

H.finish(function() client:close() end)
