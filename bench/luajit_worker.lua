-- LuaJIT side of FlowFabric's benchmarks (system "flowfabric-luajit"): the
-- module's worker (pull mode) with a no-op handler, same JSON fields as
-- bench/ff_bench.c and the peers. By hand:
--   LUA_PATH="bindings/luajit/?.lua;bindings/luajit/?/init.lua;;" luajit bench/luajit_worker.lua URL process CONC N
--   (or e2e CONC N: producer coroutines and a luv-driven worker on one Lua state)
-- WARNING: it writes to the server: use a throw-away redis-server.
local ff = require("flowfabric")
local ffi = require("ffi")
local url, scen, conc, n = arg[1], arg[2], tonumber(arg[3] or ""), tonumber(arg[4] or "")
if not (url and (scen == "process" or scen == "e2e") and conc and n) then
  io.stderr:write("usage: luajit_worker.lua URL process CONC N | e2e CONC N\n")
  os.exit(2)
end
local PAYLOAD = string.rep("x", tonumber(os.getenv("BENCH_PAYLOAD") or "") or 4096)
local WINDOW = tonumber(os.getenv("BENCH_SUBMIT_WINDOW") or "") or 128
local LANE = "bench"

-- clock_gettime and its struct are declared by the flowfabric module
local ts = ffi.new("struct ff_lj_timespec")
local function clock_ms(id)
  ffi.C.clock_gettime(id, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local function now_ms() return clock_ms(0) end         -- CLOCK_REALTIME
local function cpu_us() return clock_ms(2) * 1000 end  -- CLOCK_PROCESS_CPUTIME_ID

local function snap()
  local p = io.popen("redis-cli -u " .. url .. " INFO")
  local text = p:read("*a")
  p:close()
  local cmds = tonumber(text:match("total_commands_processed:(%d+)"))
  local cpu = (tonumber(text:match("used_cpu_user:([%d.]+)")) + tonumber(text:match("used_cpu_sys:([%d.]+)"))) * 1e6
  return { cmds = cmds, cpu_us = cpu }, text:match("redis_version:([%d.]+)")
end

local function pct(arr, q)
  if not arr or #arr == 0 then return nil end
  table.sort(arr)
  local rank = math.max(1, math.min(#arr, math.ceil(q * #arr)))
  return math.floor(arr[rank] * 1000 + 0.5) / 1000
end

local extra = {}
local s0, s1, t0, t1, c0, lat, version
if scen == "process" then
  local client = ff.connect(url)
  local tseed = now_ms()
  for _ = 1, n do client:submit("j", PAYLOAD, { lane = LANE }) end
  extra.seed_per_s = math.floor(n / ((now_ms() - tseed) / 1000) + 0.5)
  local w = ff.worker(client, { lanes = { LANE }, concurrency = conc, engine = false })
  w:task("j", function() return nil end)
  s0, version = snap()
  c0, t0 = cpu_us(), now_ms()
  w:run({ max_tasks = n })
  t1 = now_ms()
  s1 = snap()
  client:close()
else
  local uv = require("luv")
  local client = ff.connect(url, { loop = uv })
  lat = {}
  local w = ff.worker(client, { lanes = { LANE }, concurrency = conc, engine = false })
  w:task("j", function(task)
    local sep = task.payload:find("|", 1, true)
    lat[#lat + 1] = now_ms() - tonumber(task.payload:sub(1, sep - 1))
    if #lat == n then
      t1 = now_ms()
      w:stop()
    end
    return nil
  end)
  s0, version = snap()
  c0, t0 = cpu_us(), now_ms()
  w:start_on(uv, function() client:close() end)
  local next_i = 0
  for _ = 1, math.min(WINDOW, n) do
    coroutine.wrap(function()
      while next_i < n do
        next_i = next_i + 1
        client:submit("j", string.format("%.3f|", now_ms()) .. PAYLOAD, { lane = LANE })
      end
    end)()
  end
  uv.run()
  s1 = snap()
  extra.submit_window = WINDOW
end
local ccpu = cpu_us() - c0
local function fix(x, d) if x == nil then return "null" end return string.format("%." .. d .. "f", x) end
local elapsed = t1 - t0
local fields = {
  string.format('"scenario":"%s"', scen == "e2e" and "s1-e2e" or "s1-process"),
  '"system":"flowfabric-luajit"', '"concurrency":' .. conc, '"jobs":' .. n,
  '"throughput_per_s":' .. math.floor(n / (elapsed / 1000) + 0.5),
  '"p50_ms":' .. fix(pct(lat, 0.5), 3), '"p95_ms":' .. fix(pct(lat, 0.95), 3), '"p99_ms":' .. fix(pct(lat, 0.99), 3),
  '"redis_cmds_per_job":' .. fix((s1.cmds - s0.cmds - 1) / n, 2),
  '"redis_cpu_us_per_job":' .. fix((s1.cpu_us - s0.cpu_us) / n, 2),
  '"client_cpu_us_per_job":' .. fix(ccpu / n, 2), '"elapsed_ms":' .. fix(elapsed, 1),
  '"redis_version":"' .. (version or "") .. '"',
  string.format('"note":"flowfabric LuaJIT worker (pull mode, claims %d at once, handlers on one Lua state, no-op, engine off)%s"',
                conc, scen == "e2e" and ("; luv loop, " .. WINDOW .. " producer coroutines; latency = submit -> handler") or "; started after the seed"),
  '"payload_bytes":' .. #PAYLOAD,
}
for k, v in pairs(extra) do fields[#fields + 1] = string.format('"%s":%s', k, v) end
print("{" .. table.concat(fields, ",") .. "}")
