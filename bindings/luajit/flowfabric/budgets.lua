-- The budget verbs of the LuaJIT client (the C calls of
-- include/flowfabric/budget.h; concepts in docs/budgets.md): create,
-- update, report_usage (also on a claim and on a worker's task),
-- release, reset, describe; task:budget_breached().
-- Loaded by flowfabric/init.lua with its internals; this file adds
-- methods, it is not a module of its own.
local ffi = require("ffi")

return function(Client, Claim, Task, h)
  local lib, run, check, text_arg, invalid = h.lib, h.run, h.check, h.text_arg, h.invalid
  local text, int, items, integer, options_arg = h.text, h.int, h.items, h.integer, h.options_arg
  local c_strings = h.c_strings
  local INT64_MAX = 9007199254740991 -- what a Lua number holds exactly
  local ON_HARD = { block = true, cancel_pending = true, notify = true }
  local ON_SOFT = { notify = true, block = true }

  -- Call fn(spec) with an ff_budget_spec of dimensions ({name = hard} or
  -- {name = {hard, soft}}), then free it (the C calls copy it).
  local SPEC_OUT = ffi.typeof("ff_budget_spec *[1]")
  local function with_spec(dimensions, fn)
    if type(dimensions) ~= "table" or next(dimensions) == nil then invalid("dimensions: at least one") end
    local out = SPEC_OUT()
    check(lib.ff_budget_spec_new(out))
    local s = out[0]
    local ok, res = pcall(function()
      for name, lim in pairs(dimensions) do
        local hard, soft = lim, 0
        if type(lim) == "table" then hard, soft = lim[1], lim[2] or 0 end
        check(lib.ff_budget_spec_add_dimension(s, text_arg(name, "dimension"),
                                               integer(hard, name .. " hard limit", 0, INT64_MAX),
                                               integer(soft, name .. " soft limit", 0, INT64_MAX)),
              "dimension " .. tostring(name))
      end
      return fn(s)
    end)
    lib.ff_budget_spec_free(s)
    if not ok then error(res, 0) end
    return res
  end

  local function report_of(op)
    local out, it = text(op), items(op)
    if (out == "soft_breach" or out == "hard_breach") and #it >= 3 then
      return { outcome = out, dimension = it[1], usage = tonumber(it[2]), limit = tonumber(it[3]) }
    end
    return { outcome = out }
  end

  --- Create a budget. dimensions {name = hard} or {name = {hard, soft}}
  --- (0 = no limit); options: on_hard ("block", "cancel_pending",
  --- "notify"), on_soft ("notify", "block"), reset_interval_ms, scope_type,
  --- scope_id. Idempotent: returns {created, matches, next_reset_at}
  --- (created false: the id existed, its definition kept).
  function Client:create_budget(budget_id, dimensions, options)
    options = options_arg(options, "budget options")
    local bid = text_arg(budget_id, "budget_id")
    local oh, os_ = options.on_hard or "notify", options.on_soft or "notify"
    if not ON_HARD[oh] then invalid("on_hard must be block, cancel_pending or notify; got " .. tostring(oh)) end
    if not ON_SOFT[os_] then invalid("on_soft must be notify or block; got " .. tostring(os_)) end
    local c = self:native()
    return with_spec(dimensions, function(s)
      check(lib.ff_budget_spec_set_actions(s, oh, os_), "actions")
      if options.reset_interval_ms then
        check(lib.ff_budget_spec_set_reset_interval(s, integer(options.reset_interval_ms, "reset_interval_ms", 1,
                                                               INT64_MAX)), "reset_interval_ms")
      end
      check(lib.ff_budget_spec_set_scope(s, options.scope_type or "global", options.scope_id), "scope")
      return run(self, function(ud, out) return lib.ff_budget_create(c, bid, s, nil, ud, out) end, function(op)
        local it = items(op)
        return { created = text(op) == "created", matches = int(op) == 1,
                 next_reset_at = (it[1] and it[1] ~= "") and tonumber(it[1]) or nil }
      end)
    end)
  end

  --- Change the limits of the given dimensions ({0, 0} removes them);
  --- returns how many dimensions have a limit now.
  function Client:update_budget(budget_id, dimensions)
    local bid, c = text_arg(budget_id, "budget_id"), self:native()
    return with_spec(dimensions, function(s)
      return run(self, function(ud, out) return lib.ff_budget_update(c, bid, s, nil, ud, out) end, int)
    end)
  end

  -- The arguments of a report, checked before anything is sent: budget
  -- id, dimension names (kept alive with the arrays), const char *[],
  -- int64_t[], n, dedup key.
  local function usage_args(budget_id, usage, options)
    options = options_arg(options, "report options")
    local bid = text_arg(budget_id, "budget_id")
    if type(usage) ~= "table" or next(usage) == nil then invalid("usage: at least one dimension") end
    local names, deltas = {}, {}
    for name, delta in pairs(usage) do
      names[#names + 1] = text_arg(name, "dimension")
      deltas[#deltas + 1] = integer(delta, "usage[" .. tostring(name) .. "]", 0, INT64_MAX)
    end
    local vals = ffi.new("int64_t[?]", #deltas)
    for i, d in ipairs(deltas) do vals[i - 1] = d end
    local dedup = options.dedup_key
    if dedup ~= nil then dedup = text_arg(dedup, "dedup_key") end
    return bid, names, c_strings(names), vals, #names, dedup
  end

  -- report_usage with a native claim (or nil).
  local function report(client, cl, budget_id, usage, options)
    local bid, names, dims, vals, n, dedup = usage_args(budget_id, usage, options)
    local c = client:native()
    return run(client, function(ud, out)
      return lib.ff_budget_report_usage(c, cl, bid, dims, vals, n, dedup, nil, ud, out)
    end, function(op)
      local _ = names -- the strings live until the call copied them
      return report_of(op)
    end)
  end

  --- Report spend {name = delta}, all applied or none (a delta past a hard
  --- limit applies nothing). options: dedup_key. Returns {outcome
  --- ("applied", "soft_breach", "hard_breach", "already_applied"),
  --- dimension, usage, limit}; a breach is an answer, not an error.
  function Client:report_usage(budget_id, usage, options)
    return report(self, nil, budget_id, usage, options)
  end

  --- The same under this claim's lease (checked first; the spend is
  --- recorded for the execution: client:release_budget gives it back).
  function Claim:report_usage(budget_id, usage, options)
    return report(self.client, self.p, budget_id, usage, options)
  end

  local BREACH_LEVEL = { soft_breach = 1, hard_breach = 2 }
  local BREACH_NAME = { "soft", "hard" }
  local function note_breach(task, level)
    if level > (task._breached or 0) then task._breached = level end
  end

  --- In a handler: report spend under this task's lease (the lease is
  --- checked, the spend recorded for the execution, as with its claim)
  --- and wait for the answer, client:report_usage's table. A soft or hard
  --- breach is also remembered: task:budget_breached().
  function Task:report_usage(budget_id, usage, options)
    local bid, names, dims, vals, n, dedup = usage_args(budget_id, usage, options)
    local t = self:_live()
    local r = run(self.client, function(ud, out)
      return lib.ff_task_report_usage(t, bid, dims, vals, n, dedup, nil, ud, out)
    end, function(op)
      local _ = names
      return report_of(op)
    end, true)
    note_breach(self, BREACH_LEVEL[r.outcome] or 0)
    return r
  end

  --- nil, "soft" or "hard": the worst breach a report through this task
  --- answered (kept after the task finished).
  function Task:budget_breached()
    if self.t ~= nil then note_breach(self, tonumber(lib.ff_task_budget_breached(self.t))) end
    return BREACH_NAME[self._breached or 0]
  end

  --- Give back exactly what execution_id recorded: true, false for a repeat.
  function Client:release_budget(budget_id, execution_id)
    local bid, eid, c = text_arg(budget_id, "budget_id"), text_arg(execution_id, "execution_id"), self:native()
    return run(self, function(ud, out) return lib.ff_budget_release(c, bid, eid, nil, ud, out) end,
               function(op) return text(op) == "released" end)
  end

  --- Usage back to 0 now; returns the resets so far.
  function Client:reset_budget(budget_id)
    local bid, c = text_arg(budget_id, "budget_id"), self:native()
    return run(self, function(ud, out) return lib.ff_budget_reset(c, bid, nil, ud, out) end, int)
  end

  --- The budget's document (limits, usage, counters, next reset) as a table.
  function Client:describe_budget(budget_id)
    local bid, c = text_arg(budget_id, "budget_id"), self:native()
    return run(self, function(ud, out) return lib.ff_budget_describe(c, bid, nil, ud, out) end, h.json)
  end
end
