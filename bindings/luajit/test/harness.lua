-- What every LuaJIT test script shares: a real redis-server (FF_TEST_URL
-- when given, else a private one from tests/support/redis-test-server.sh),
-- named test cases, assertions, and the "N passed, N failed" summary with
-- an exit status that fails when anything failed or nothing ran.
-- Loaded by the scripts next to it (not a test itself: ctest runs test_*.lua).
local ff = require("flowfabric")

local H = {}
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/harness%.lua$") or "."
H.repo = here .. "/../.."
H.module_dir = here
local script = H.repo .. "/tests/support/redis-test-server.sh"
local servers = {}

-- Start a private redis-server; returns its URL (stopped by H.finish).
function H.private_server()
  local dir = os.tmpname()
  os.remove(dir)
  -- os.execute gives the exit status (io.popen's close does not in LuaJIT)
  assert(os.execute("bash " .. script .. " start " .. dir .. " >/dev/null") == 0,
         "redis-test-server.sh start failed")
  local f = assert(io.open(dir .. "/url"))
  local url = f:read("*l")
  f:close()
  servers[#servers + 1] = dir
  return url
end

function H.server_url()
  local url = os.getenv("FF_TEST_URL")
  if url and url ~= "" then return url end
  return H.private_server()
end

local tests = {}
function H.test(name, fn) tests[#tests + 1] = { name, fn } end

function H.eq(a, b, what)
  if a ~= b then error(string.format("%s: expected %s, got %s", what or "value", tostring(b), tostring(a)), 2) end
end

-- Runs fn, which must raise an ff error of `class`; returns the error.
function H.raises(class, fn)
  local ok, err = pcall(fn)
  if ok then error("expected " .. class .. ", nothing was raised", 2) end
  if not ff.is(err, class) then error("expected " .. class .. ", got " .. tostring(err), 2) end
  return err
end

-- A function returning a fresh lane name per call, so tests never share a queue.
function H.lanes(prefix)
  local n = 0
  return function()
    n = n + 1
    return string.format("%s-%d-%d", prefix, os.time(), n)
  end
end

-- Print the summary, stop the private servers, exit. `passed`/`failed`
-- add to the outcomes of the cases registered with H.test (run here);
-- `cleanup` runs before the servers stop.
function H.finish(cleanup, passed, failed)
  passed, failed = passed or 0, failed or 0
  for _, t in ipairs(tests) do
    local ok, err = pcall(t[2])
    if ok then
      passed = passed + 1
    else
      failed = failed + 1
      io.stderr:write("FAIL ", t[1], ": ", tostring(err), "\n")
    end
  end
  if cleanup then cleanup() end
  for _, dir in ipairs(servers) do
    os.execute("bash " .. script .. " stop " .. dir .. " >/dev/null; rm -rf " .. dir)
  end
  print(string.format("%d passed, %d failed", passed, failed))
  os.exit((failed == 0 and passed > 0) and 0 or 1)
end

return H
