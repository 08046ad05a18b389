-- LuaJIT quotas against a real redis-server (FF_TEST_URL, else a private
-- one): idempotent create, the cap per group, describe per group, pause and
-- resume, task:rate_limited, and bad input refused. Every pause is ended
-- by resume_group: nothing is timed.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_quotas%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljq")
local client = ff.connect(url)
local n = 0
local function qid()
  n = n + 1
  return string.format("ljq-%d-%d-%d", os.time(), math.random(1, 1e9), n)
end

test("create is idempotent and the cap holds per group", function()
  local lane, id = new_lane(), qid()
  local made = client:create_quota(lane, id, { concurrency = 1 })
  eq(made.created, true, "created")
  eq(made.same, true, "same")
  local again = client:create_quota(lane, id, { rate = 5, window = 10 })
  eq(again.created, false, "repeat: existing")
  eq(again.concurrency, 1, "repeat: stored limits kept")
  local a1 = client:submit("lj.q", "", { lane = lane, group = "a" })
  local a2 = client:submit("lj.q", "", { lane = lane, group = "a" })
  local b1 = client:submit("lj.q", "", { lane = lane, group = "b" })
  local got = client:claim({ lane }, { batch = 3 })
  local ids = {}
  for _, c in ipairs(got) do ids[c.execution_id] = true end
  eq(#got, 2, "one claim per group")
  eq(ids[a1] and ids[b1], true, "a1 and b1")
  eq(client:state(a2), "rate_limited", "a2 waits")
  local d = client:describe_quota(lane)
  eq(d.quota_id, id, "quota id")
  local ga
  for _, g in ipairs(d.groups) do if g.group == "a" then ga = g end end
  eq(ga.holders .. "/" .. ga.parked, "1/1", "group a")
  local listed = false
  for _, l in ipairs(client:list_quotas()) do if l == lane then listed = true end end
  eq(listed, true, "listed")
  for _, c in ipairs(got) do c:complete("") end
  local nxt = client:claim({ lane })
  eq(nxt[1].execution_id, a2, "a2 after a1 completed")
  nxt[1]:complete("")
end)

test("pause, resume and task:rate_limited", function()
  local lane = new_lane()
  local eid = client:submit("lj.api", "", { lane = lane, group = "acct" })
  local tries = 0
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  w:task("lj.api", function(t)
    tries = tries + 1
    if tries == 1 then
      t:rate_limited(3600)
      return
    end
    return "ok"
  end)
  w:run({ max_tasks = 1 })
  eq(client:state(eid), "rate_limited", "parked, not failed")
  eq(tonumber(client:describe(eid).counters.retry_count or 0), 0, "no retry counted")
  eq(client:pause_group(lane, "acct", 10) > 0, true, "the longer pause is kept")
  eq(client:resume_group(lane, "acct"), true, "resumed")
  eq(client:resume_group(lane, "acct"), false, "was not paused")
  local w2 = ff.worker(client, { lanes = { lane }, engine = false })
  w2:task("lj.api", function() return "ok" end)
  w2:run({ max_tasks = 1 })
  eq(client:result(eid), "ok", "ran again after the pause")
end)

test("bad input is refused", function()
  local lane = new_lane()
  raises("InvalidArgument", function() client:create_quota(lane, qid()) end)
  raises("InvalidArgument", function() client:create_quota(lane, qid(), { rate = 5 }) end)
  raises("InvalidArgument", function() client:create_quota(lane, qid(), { rate = 5, window = 86401 }) end)
  raises("InvalidArgument", function() client:submit("lj.q", "", { lane = lane, group = "bad\1" }) end)
  raises("InvalidArgument", function() client:pause_group(lane, "g") end)
  eq(client:describe_quota(lane).quota_id, nil, "nothing created")
end)

H.finish(function() client:close() end)
