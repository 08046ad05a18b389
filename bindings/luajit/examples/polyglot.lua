-- One engine, many ecosystems: LuaJIT submits three executions, a Ruby
-- worker (another process, another runtime) works them, LuaJIT waits for
-- the results.
--   LUA_PATH="bindings/luajit/?.lua;bindings/luajit/?/init.lua;;" luajit bindings/luajit/examples/polyglot.lua
-- (FF_URL, else the embedded server; `make demo` runs it.)
local ff = require("flowfabric")
local here = debug.getinfo(1, "S").source:match("^@(.*)/examples/polyglot%.lua$") or "bindings/luajit"
local root = here .. "/../.."
local lane = string.format("polyglot-lj-%d-%d", os.time(), math.random(1e6))
local client = ff.connect()
local ids = {}
for _, word in ipairs({ "delta", "epsilon", "zeta" }) do ids[#ids + 1] = client:submit("polyglot", word, { lane = lane }) end
print(string.format("luajit: submitted %d executions on %s (%s)", #ids, lane, client.url))
local cmd = string.format("ruby -I%s/bindings/ruby/lib %s/bindings/ruby/examples/worker.rb %s %d &", root, root, lane, #ids)
assert(os.execute(cmd) == 0, "could not start the Ruby worker")
for _, id in ipairs(ids) do print(string.format("luajit: %s -> %s", id, client:wait(id, 60))) end
client:close()
