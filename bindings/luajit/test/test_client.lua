-- The LuaJIT module against a real redis-server: FF_TEST_URL when given,
-- else a private one started with tests/support/redis-test-server.sh.
-- Prints "N passed, N failed" last; exits non-zero on any failure or when
-- no test ran.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_client%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local ff = require("flowfabric")
local ffi = require("ffi")

local url = H.server_url()
local test, eq, raises = H.test, H.eq, H.raises
local new_lane = H.lanes("lj")
local client = ff.connect(url)

local function claim_one(lane)
  local cl = client:claim({ lane })
  eq(#cl, 1, "claims")
  return cl[1]
end

test("a library of another ABI is refused at load, both versions named", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir) == 0)
  local src = assert(io.open(dir .. "/fake.c", "w"))
  src:write("int ff_abi_version(void) { return 999; }\n")
  src:close()
  assert(os.execute("cc -shared -fPIC -o " .. dir .. "/libfake.so " .. dir .. "/fake.c") == 0, "cc failed")
  local cmd = string.format("FF_LIBRARY=%s/libfake.so LUA_PATH='%s/?.lua;%s/?/init.lua;;' luajit -e " ..
                            "'require(\"flowfabric\")' >%s/out 2>&1", dir, H.module_dir, H.module_dir, dir)
  local status = os.execute(cmd)
  local f = assert(io.open(dir .. "/out"))
  local out = f:read("*a")
  f:close()
  os.execute("rm -rf " .. dir)
  assert(status ~= 0, "loading a library of ABI 999 succeeded")
  local want = string.format("has C ABI 999, this module was generated for ABI %d", require("flowfabric.cdef").abi_version)
  assert(out:find(want, 1, true), "message: " .. out)
end)

test("every function of the API description resolves, every exported symbol is declared", function()
  for _, name in ipairs(ff.functions) do
    local ok = pcall(function() return ff.lib[name] end)
    if not ok then error("not bound: " .. name) end
  end
  local declared = {}
  for _, name in ipairs(ff.functions) do declared[name] = true end
  local p = io.popen("nm -D --defined-only " .. ff.library_path)
  local count = 0
  for line in p:lines() do
    local sym = line:match("%s(ff_[%w_]+)$")
    if sym then
      count = count + 1
      if not declared[sym] then error("exported but not declared: " .. sym) end
    end
  end
  p:close()
  assert(count > 0, "nm found no ff_ symbol")
end)

test("ops.lua carries every op's @yields kinds, and each has a reader", function()
  local f = assert(io.open(H.repo .. "/bindings/api.json"))
  local api = require("cjson").decode(f:read("*a"))
  f:close()
  local count = 0
  for _, fn in ipairs(api.functions) do
    if fn.role == "op" then
      count = count + 1
      local y = ff.yields[fn.name]
      if not y then error("ops.lua lacks " .. fn.name) end
      local layout
      for i, k in ipairs(fn.yields) do
        eq(y[i], k.kind, fn.name .. " kind " .. i)
        layout = layout or k.layout
      end
      eq(#y, #fn.yields, fn.name .. " kinds")
      eq(y.layout, layout, fn.name .. " layout")
      if layout then assert(ff.lib[layout .. "_STRIDE"] > 0, layout) end
      if y[1] ~= "claims" and y[1] ~= "reply" then eq(type(ff.reader(fn.name)), "function", fn.name) end
    end
  end
  assert(count > 0, "no op in api.json")
end)

test("claim calls return what their op yields", function()
  local lane = new_lane()
  client:submit("lj.y", "", { lane = lane })
  local cl = claim_one(lane)
  eq(type(cl:renew()), "number", "renew: the new expiry")
  assert(cl:renew() > 0, "expiry")
  eq(cl:progress(50, "half"), nil, "progress yields none")
  local at = os.time() + 3600
  eq(cl:delay(at), at * 1000, "delay: parked until (ms)")
end)

test("submit, describe, claim, complete, result", function()
  local lane = new_lane()
  local eid = client:submit("lj.echo", "hello", { lane = lane, priority = 5, tags = { who = "luajit" } })
  local snap = client:describe(eid)
  eq(snap.public_state, "waiting", "state")
  eq(snap.priority, 5, "priority")
  eq(snap.tags.who, "luajit", "tag")
  local cl = claim_one(lane)
  eq(cl.execution_id, eid, "claimed id")
  eq(cl.payload, "hello", "payload")
  eq(client:state(eid), "active", "state")
  cl:complete("done")
  eq(client:result(eid), "done", "result")
end)

test("bytes are bytes", function()
  local lane = new_lane()
  local t = {}
  for i = 0, 255 do t[#t + 1] = string.char(i) end
  local blob = table.concat(t):rep(3)
  local eid = client:submit("lj.bin", blob, { lane = lane })
  local cl = claim_one(lane)
  eq(cl.payload, blob, "payload")
  cl:complete(blob:reverse())
  eq(client:result(eid), blob:reverse(), "result")
end)

test("wait returns the result, and raises how it ended", function()
  local lane = new_lane()
  local ok_id = client:submit("lj.w", "", { lane = lane })
  claim_one(lane):complete("r1")
  eq(client:wait(ok_id, 30), "r1", "wait")
  local bad = client:submit("lj.w", "", { lane = lane })
  claim_one(lane):fail("boom", { retry = false })
  local err = raises("ExecutionFailed", function() client:wait(bad) end)
  eq(err.group, "state", "group")
  raises("StateError", function() client:result(bad) end)
  local pending = client:submit("lj.w", "", { lane = lane })
  raises("Timeout", function() client:wait(pending, 0.2) end)
end)

test("cancel and replay", function()
  local lane = new_lane()
  local eid = client:submit("lj.c", "", { lane = lane })
  eq(client:cancel(eid, "test"), "cancelled", "cancel")
  raises("ExecutionCancelled", function() client:result(eid) end)
  eq(client:replay(eid), "waiting", "replay")
end)

test("bad input raises a typed error and writes nothing", function()
  local lane = new_lane()
  local err = raises("InvalidInput", function() client:submit("k", "", { lane = "bad\nlane" }) end)
  assert(err.message:find("lane"), err.message)
  raises("InvalidInput", function() client:submit("k", "", { lane = lane, delay = math.huge }) end)
  raises("InvalidInput", function() client:describe("not-an-id") end)
  local total = 0
  for _, v in pairs(client:lane_counts(lane)) do total = total + v end
  eq(total, 0, "executions written")
end)

test("idempotency, listing, priority, revoke", function()
  local lane = new_lane()
  local a = client:submit("lj.i", "", { lane = lane, idempotency_key = "once" })
  eq(client:submit("lj.i", "", { lane = lane, idempotency_key = "once" }), a, "duplicate id")
  local b = client:submit("lj.i", "", { lane = lane })
  local ids = client:list_lane(lane, "waiting", 1)
  eq(#ids, 2, "listed")
  eq(client:change_priority(b, 7), 0, "old priority")
  local cl = claim_one(lane)
  eq(cl.execution_id, b, "higher priority first")
  local rev = client:revoke_lease(b)
  eq(rev.outcome, "revoked", "outcome")
  eq(rev.lease_id, cl.lease_id, "lease id")
  eq(rev.lease_epoch, cl.lease_epoch, "epoch")
  raises("LeaseError", function() cl:complete("late") end)
end)

test("a closed client raises", function()
  local c = ff.connect(url)
  c:close()
  raises("TransportError", function() c:lanes() end)
  c:close()
end)

H.finish(function() client:close() end)
