-- LuaRocks package of the LuaJIT module (builtin build: pure Lua over
-- LuaJIT's ffi; libflowfabric itself comes from FF_LIBRARY or the system).
package = "flowfabric"
version = "0.1.0-1"
source = { url = "git+file:///flowfabric" }
description = {
  summary = "FlowFabric durable job engine: LuaJIT client and claims over libflowfabric",
}
dependencies = { "lua == 5.1", "lua-cjson" }
build = {
  type = "builtin",
  modules = {
    ["flowfabric"] = "flowfabric/init.lua",
    ["flowfabric.cdef"] = "flowfabric/cdef.lua",
    ["flowfabric.errors"] = "flowfabric/errors.lua",
    ["flowfabric.flows"] = "flowfabric/flows.lua",
    ["flowfabric.streams"] = "flowfabric/streams.lua",
    ["flowfabric.budgets"] = "flowfabric/budgets.lua",
    ["flowfabric.quotas"] = "flowfabric/quotas.lua",
    ["flowfabric.lanes"] = "flowfabric/lanes.lua",
    ["flowfabric.ops"] = "flowfabric/ops.lua",
  },
}
