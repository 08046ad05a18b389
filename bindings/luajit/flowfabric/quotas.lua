-- The admission verbs of the LuaJIT client (the C calls of
-- include/flowfabric/quota.h): a lane's quota policy holds per group
-- (client:submit(kind, payload, {group = "tenant-42"}); executions without
-- one form the default group ""), and a group can be paused. Work over a
-- limit waits in public state "rate_limited" and returns by itself.
-- Loaded by flowfabric/init.lua with its internals; this file adds
-- methods, it is not a module of its own.
local ffi = require("ffi")

return function(Client, Task, h)
  local lib, run, text_arg, invalid, integer = h.lib, h.run, h.text_arg, h.invalid, h.integer
  local int, json, ms, options_arg = h.int, h.json, h.ms, h.options_arg
  local INT64_MAX = 9007199254740991 -- what a Lua number holds exactly
  local CLOCK_REALTIME = 0
  local TS = ffi.new("struct ff_lj_timespec") -- declared by init.lua

  -- Unix ms of "seconds from now" or of options.until (unix seconds).
  local function when_ms(seconds, options)
    options = options_arg(options, "pause options")
    if (seconds == nil) == (options["until"] == nil) then invalid("give either seconds or until") end
    if options["until"] ~= nil then return ms(options["until"], "until") end
    ffi.C.clock_gettime(CLOCK_REALTIME, TS)
    local now = tonumber(TS.tv_sec) * 1000 + math.floor(tonumber(TS.tv_nsec) / 1e6)
    return now + ms(seconds, "seconds")
  end

  --- Give lane its quota policy quota_id. options: rate and window
  --- (seconds) together, concurrency (leases of one group at once); a rate,
  --- a concurrency, or both. Idempotent: returns {created, same, rate,
  --- window_ms, concurrency} (created false: the stored limits were kept).
  function Client:create_quota(lane, quota_id, options)
    options = options_arg(options, "quota options")
    local ln, id = text_arg(lane, "lane"), text_arg(quota_id, "quota_id")
    if (options.rate == nil) ~= (options.window == nil) then invalid("give rate and window together") end
    if options.rate == nil and options.concurrency == nil then
      invalid("give rate and window, concurrency, or both")
    end
    local r = options.rate and integer(options.rate, "rate", 1, INT64_MAX) or 0
    local w = options.window and ms(options.window, "window") or 0
    local cc = options.concurrency and integer(options.concurrency, "concurrency", 1, INT64_MAX) or 0
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_quota_create(c, ln, id, r, w, cc, nil, ud, out) end,
               function(op)
                 local d = json(op)
                 return { created = d.outcome == "created", same = d.same == true, rate = d.rate,
                          window_ms = d.window_ms, concurrency = d.concurrency }
               end)
  end

  --- The lane's quota document: quota_id (nil without a policy), rate,
  --- window_ms, concurrency and groups ({group, holders, window_used,
  --- parked, paused_until} each), every page of groups read.
  function Client:describe_quota(lane)
    local ln, c = text_arg(lane, "lane"), self:native()
    local doc, cursor
    repeat
      local cur = cursor
      local page = run(self, function(ud, out) return lib.ff_quota_describe(c, ln, cur, 1000, nil, ud, out) end,
                       json)
      cursor = page.next_cursor
      page.next_cursor = nil
      if doc == nil then
        doc = page
        doc.groups = doc.groups or {}
      else
        for _, g in ipairs(page.groups or {}) do doc.groups[#doc.groups + 1] = g end
      end
    until type(cursor) ~= "string" or cursor == ""
    if type(doc.quota_id) ~= "string" then doc.quota_id = nil end -- JSON null
    return doc
  end

  --- The lanes that have a quota policy, in byte order.
  function Client:list_quotas()
    local c = self:native()
    return h.all_pages(self, "lanes", function(cur, ud, out) return lib.ff_quota_list(c, cur, 1000, nil, ud, out) end)
  end

  --- Park group's work ("" = the default group) for seconds, or until
  --- options.until (unix seconds); a longer pause already set is kept.
  --- Returns the stored pause end (unix ms).
  function Client:pause_group(lane, group, seconds, options)
    local ln, g, c = text_arg(lane, "lane"), text_arg(group, "group"), self:native()
    local at = when_ms(seconds, options)
    return run(self, function(ud, out) return lib.ff_group_pause(c, ln, g, at, nil, ud, out) end, int)
  end

  --- End group's pause now: true when it was paused.
  function Client:resume_group(lane, group)
    local ln, g, c = text_arg(lane, "lane"), text_arg(group, "group"), self:native()
    return run(self, function(ud, out) return lib.ff_group_resume(c, ln, g, nil, ud, out) end,
               function(op) return int(op) == 1 end)
  end

  --- In a handler that hit a rate limit (an HTTP 429 of the API it calls):
  --- pause the task's group for seconds (or until options.until, unix
  --- seconds) and give the attempt back, parked, without counting a
  --- failure; the next claim after the pause resumes the same attempt. A
  --- finishing call: returns the group's pause end (unix ms).
  function Task:rate_limited(seconds, options)
    local at = when_ms(seconds, options)
    local t = self:_live()
    self.t = nil -- the finishing call frees the native task
    return run(self.client, function(ud, out) return lib.ff_task_rate_limited(t, at, nil, ud, out) end, int, true)
  end
end
