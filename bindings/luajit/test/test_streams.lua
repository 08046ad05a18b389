-- LuaJIT output streams against a real redis-server (FF_TEST_URL, else a
-- private one): append / read round trip with every field and a binary
-- payload, paging, limits and typed refusals writing nothing, summary
-- merge patches with the null sentinel, tail peek and wake-up, follow across
-- a retry, and task:log / emit / summary through a worker.
-- Prints "N passed, N failed" last; exits non-zero on any failure.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_streams%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")
local cjson = require("cjson")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("ljs")
local client = ff.connect(url)

local BINARY = "\0\255raw\0"

local function claim_one(lane)
  for _ = 1, 2000 do -- a retry is claimable once its backoff passed
    local got = client:claim({ lane })
    if #got > 0 then return got[1] end
    os.execute("sleep 0.02")
  end
  error("nothing became claimable on " .. lane)
end

local function running(options)
  local lane = new_lane()
  local eid = client:submit("lj.stream", "", { lane = lane, retry = options and options.retry })
  return eid, lane, claim_one(lane)
end

test("round trip with every field, a binary payload, and paging", function()
  local eid, _, cl = running()
  local done = cl:append_frame("tokens", BINARY, { encoding = "raw", source = "model", correlation_id = "req-1" })
  eq(done.frame_count, 1, "frame_count")
  eq(done.summary_version, nil, "summary_version")
  for i = 0, 3 do cl:append_frame("n", tostring(i)) end
  local f = client:read_stream(eid).frames[1]
  eq(f.id, done.entry_id, "id")
  eq(f.frame_type, "tokens", "type")
  eq(f.payload, BINARY, "payload")
  eq(f.encoding .. " " .. f.source .. " " .. f.correlation_id .. " " .. f.mode, "raw model req-1 durable", "fields")
  eq(f.attempt, 0, "attempt")
  eq(f.ts_ms, tonumber(f.id:match("^(%d+)-")), "ts_ms")
  local seen, after = {}, ""
  repeat
    local page = client:read_stream(eid, { after = after, count = 2 })
    for _, fr in ipairs(page.frames) do seen[#seen + 1] = fr.payload end
    after = page.cursor
  until not page.more
  eq(table.concat(seen, ","), BINARY .. ",0,1,2,3", "pages without overlap")
  eq(client:read_stream(eid).closed, false, "open")
  cl:complete("")
  local page = client:read_stream(eid)
  eq(page.closed, true, "closed")
  eq(page.closed_reason, "attempt_success", "reason")
  assert(page.closed_at > 0, "closed_at")
end)

test("limits and bad input raise typed errors and write nothing", function()
  local eid, _, cl = running()
  raises("RetentionLimitExceeded", function() cl:append_frame("big", string.rep("x", 65537)) end)
  raises("InvalidFrameType", function() cl:append_frame("no spaces", "x") end)
  raises("InvalidArgument", function() cl:append_frame("log", "x", { mode = "loud" }) end)
  raises("InvalidInput", function() cl:append_frame("summary", "[1]", { mode = "summary" }) end)
  raises("InvalidArgument", function() client:read_stream(eid, { count = 0 }) end)
  raises("InvalidOffset", function() client:read_stream(eid, { after = "nope" }) end)
  eq(#client:read_stream(eid).frames, 0, "nothing written")
  cl:complete("")
  raises("StreamClosed", function() cl:append_frame("log", "late") end)
end)

test("summary merge patches and the null sentinel", function()
  local eid, _, cl = running()
  local empty = client:stream_summary(eid)
  eq(empty.document, nil, "no document")
  eq(empty.version, 0, "version 0")
  eq(cl:append_frame("summary", '{"a": 1, "b": {"c": 2}}', { mode = "summary" }).summary_version, 1, "v1")
  cl:append_frame("summary", '{"a": null, "b": {"d": "__ff_null__"}}', { mode = "summary" })
  local s = client:stream_summary(eid, 0)
  eq(s.version, 2, "v2")
  eq(s.document.a, nil, "a deleted")
  eq(s.document.b.c, 2, "b.c kept")
  eq(s.document.b.d, cjson.null, "a real null")
  assert(s.created and s.updated >= s.created, "times")
  cl:complete("")
end)

test("a tail peeks with block_ms 0 and returns the frames after its cursor", function()
  local eid, _, cl = running()
  local first = cl:append_frame("log", "before")
  eq(#client:tail_stream(eid, { after = first.entry_id, block_ms = 0 }).frames, 0, "peek")
  cl:append_frame("log", "next")
  local page = client:tail_stream(eid, { after = first.entry_id, block_ms = 600000 })
  eq(#page.frames, 1, "one frame")
  eq(page.frames[1].payload, "next", "payload")
  cl:complete("")
end)

test("follow across a retry yields both attempts' frames and ends", function()
  local eid, lane, cl = running({ retry = { max_retries = 1, backoff = "fixed", initial = 0.05 } })
  cl:append_frame("log", "first try")
  eq(cl:fail("flaky", { category = "transient" }), "retry_scheduled", "retry")
  cl = claim_one(lane)
  eq(cl.attempt_index, 1, "attempt 1")
  cl:append_frame("log", "second try")
  cl:complete("")
  local got = {}
  for frame in client:follow(eid, { block_ms = 200 }) do got[#got + 1] = frame.attempt .. ":" .. frame.payload end
  eq(table.concat(got, ","), "0:first try,1:second try", "both attempts")
  got = {}
  for frame in client:follow(eid, { attempt = 1 }) do got[#got + 1] = frame.payload end
  eq(table.concat(got, ","), "second try", "attempt 1 only")
  eq(client:read_stream(eid, { attempt = 2 }).closed_reason, "execution_ended", "past the last attempt")
end)

test("task:log / emit / summary through a worker", function()
  local lane = new_lane()
  local eid = client:submit("lj.stream", "", { lane = lane })
  local w = ff.worker(client, { lanes = { lane }, engine = false })
  local refused, kept = {}, nil
  w:task("lj.stream", function(t)
    t:log("starting")
    t:emit("tokens", BINARY, { mode = "best_effort", encoding = "raw" })
    t:summary({ step = 1, gone = cjson.null })
    for _, bad in ipairs({ function() t:emit("bad type", "") end, function() t:summary("[1]") end,
                           function() t:log("nul\0") end }) do
      local ok, err = pcall(bad)
      refused[#refused + 1] = ok and "none" or err.class
    end
    kept = t
    return "ok"
  end)
  w:run({ max_tasks = 1 })
  eq(client:result(eid), "ok", "result")
  eq(table.concat(refused, ","), "InvalidFrameType,InvalidInput,InvalidArgument", "refusals")
  local got = {}
  for frame in client:follow(eid) do got[#got + 1] = frame.frame_type .. "/" .. frame.mode end
  eq(table.concat(got, ","), "log/durable,tokens/best_effort,summary/summary", "frames")
  local doc = client:stream_summary(eid).document
  eq(doc.step, 1, "summary")
  raises("InvalidArgument", function() kept:log("after the end") end)
end)

H.finish(function() client:close() end)
