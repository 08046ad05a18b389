-- The lane verbs of the LuaJIT client (the C calls of
-- include/flowfabric/lanes.h, docs/admission.md "Lanes"): a configured
-- lane is listed before any execution uses it; a paused lane leases
-- nothing until it is resumed, while its work keeps its place.
-- Loaded by flowfabric/init.lua with its internals; this file adds
-- methods, it is not a module of its own.
return function(Client, _, h)
  local lib, run, text_arg, int = h.lib, h.run, h.text_arg, h.int

  local function yes(op) return int(op) == 1 end

  --- Configure lane (idempotent): true when it was not configured before.
  function Client:create_lane(lane)
    local ln, c = text_arg(lane, "lane"), self:native()
    return run(self, function(ud, out) return lib.ff_lane_create(c, ln, nil, ud, out) end, yes)
  end

  --- Pause lane with an operator's reason (optional): true when this call
  --- paused it (a paused lane keeps its first pause time and reason).
  function Client:pause_lane(lane, reason)
    if reason ~= nil and type(reason) ~= "string" then h.invalid("reason: expected a string") end
    local ln, why, c = text_arg(lane, "lane"), reason or "", self:native()
    return run(self, function(ud, out) return lib.ff_lane_pause(c, ln, why, nil, ud, out) end, yes)
  end

  --- Resume lane and wake its workers: true when it was paused.
  function Client:resume_lane(lane)
    local ln, c = text_arg(lane, "lane"), self:native()
    return run(self, function(ud, out) return lib.ff_lane_resume(c, ln, nil, ud, out) end, yes)
  end

  --- Every lane (configured or in use) in byte order, each a table: lane,
  --- configured, configured_at, paused, paused_at, reason; every page read.
  function Client:list_lanes()
    local c = self:native()
    return h.all_pages(self, "lanes", function(cur, ud, out) return lib.ff_lanes_page(c, cur, 1000, nil, ud, out) end)
  end
end
