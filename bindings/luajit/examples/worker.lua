-- Works N executions of kind "polyglot" on LANE, then exits:
--   luajit bindings/luajit/examples/worker.lua LANE N
-- (FF_URL, else the embedded server). Used by the Ruby polyglot demo.
local ff = require("flowfabric")
local lane, n = arg[1], tonumber(arg[2] or "1")
local client = ff.connect()
local worker = ff.worker(client, { lanes = { lane }, concurrency = 2, engine = false })
worker:task("polyglot", function(task)
  return string.format("%s worked on '%s'", jit.version, task.payload)
end)
worker:run({ max_tasks = n })
client:close()
