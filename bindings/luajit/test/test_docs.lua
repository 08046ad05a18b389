-- docs/luajit.md is executable: every ```lua block runs in its own luajit
-- process against a private redis-server (FF_URL) and must exit 0.
-- Prints "N passed, N failed" last.
local here = debug.getinfo(1, "S").source:match("^@(.*)/test/test_docs%.lua$") or "."
package.path = here .. "/test/?.lua;" .. here .. "/?.lua;" .. here .. "/?/init.lua;" .. package.path
local H = require("harness")
local repo = H.repo
local url = H.private_server()

local f = assert(io.open(repo .. "/docs/luajit.md"))
local doc = f:read("*a")
f:close()
local passed, failed, n = 0, 0, 0
for code in doc:gmatch("\n```lua\n(.-)\n```") do
  n = n + 1
  local path = os.tmpname()
  local out = assert(io.open(path, "w"))
  out:write(code, "\n")
  out:close()
  -- os.execute gives the exit status (io.popen's close does not in LuaJIT)
  local log = path .. ".log"
  local cmd = string.format("FF_URL='%s' LUA_PATH='%s/?.lua;%s/?/init.lua;;' luajit %s >%s 2>&1",
                            url, here, here, path, log)
  local ok = os.execute(cmd) == 0
  local lf = io.open(log)
  local text = lf and lf:read("*a") or ""
  if lf then lf:close() end
  os.remove(path)
  os.remove(log)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write(string.format("FAIL docs/luajit.md example %d:\n%s\n--- output:\n%s\n", n, code, text))
  end
end
if n < 2 then failed = failed + 1; io.stderr:write("FAIL docs/luajit.md has fewer than 2 examples\n") end
H.finish(nil, passed, failed)
