-- The output stream verbs of the LuaJIT client (the C calls of
-- include/flowfabric/stream.h; concepts in docs/streams.md): reads, tails,
-- summaries and follow on the client, append_frame on a claim, log / emit /
-- summary on a task. Loaded by flowfabric/init.lua with its internals and
-- the argument checks of flows.lua; this file adds methods, it is not a
-- module of its own.
--
-- A frame is a table {id, frame_type, payload (a byte string), encoding,
-- source, correlation_id ("" when none), ts_ms, mode, attempt}; a page
-- {frames, cursor, closed, closed_reason, closed_at, more}.
local ffi = require("ffi")

return function(Client, Task, Claim, h)
  local lib, run, check, new_error, text_arg = h.lib, h.run, h.check, h.new_error, h.text_arg
  local text, int, items, cursor, records = h.text, h.int, h.items, h.cursor, h.records
  local integer, boolean, options_arg, invalid = h.integer, h.boolean, h.options_arg, h.invalid
  local json

  local EXECUTION_ENDED = "execution_ended"
  local UINT32_MAX = 4294967295

  -- An optional text argument for a C string (nil stays nil).
  local function optional_text(v, what)
    if v == nil or type(v) == "string" then return v end
    invalid(what .. ": expected a string, got " .. type(v))
  end

  -- Call fn(frame) with an ff_frame built from the arguments, then free
  -- it (the C calls copy it). Each setter checks its field: bad input
  -- raises its typed error before anything is sent.
  local FRAME_OUT = ffi.typeof("ff_frame *[1]")
  local function with_frame(frame_type, payload, options, fn)
    options = options_arg(options, "frame options")
    payload = payload or ""
    if type(payload) ~= "string" then invalid("payload: expected a string of bytes, got " .. type(payload)) end
    local out = FRAME_OUT()
    check(lib.ff_frame_new(out))
    local f = out[0]
    local ok, res = pcall(function()
      check(lib.ff_frame_set_type(f, text_arg(frame_type, "frame_type")), "frame_type")
      check(lib.ff_frame_set_payload(f, payload, #payload), "payload")
      check(lib.ff_frame_set_mode(f, optional_text(options.mode, "mode") or "durable"), "mode")
      local enc = optional_text(options.encoding, "encoding")
      if enc then check(lib.ff_frame_set_encoding(f, enc), "encoding") end
      local src = optional_text(options.source, "source")
      if src then check(lib.ff_frame_set_source(f, src), "source") end
      local cid = optional_text(options.correlation_id, "correlation_id")
      if cid then check(lib.ff_frame_set_correlation_id(f, cid), "correlation_id") end
      return fn(f)
    end)
    lib.ff_frame_free(f)
    if not ok then error(res, 0) end
    return res
  end

  -- JSON null (cjson.null) as nil.
  local function value(v)
    json = json or require("cjson")
    if v == json.null then return nil end
    return v
  end

  -- The JSON text of a summary merge patch: a table (encoded) or JSON text
  -- of an object; anything else is InvalidInput before sending (the depth
  -- limit is the server's: PatchDepthExceeded). In a table, cjson.null
  -- deletes a member and the string "__ff_null__" stores a real null.
  local function patch_text(patch)
    json = json or require("cjson")
    local doc
    if type(patch) == "table" then
      doc = json.encode(patch)
    elseif type(patch) == "string" then
      local ok = pcall(json.decode, patch)
      if not ok then error(new_error(lib.FF_INVALID_INPUT, "summary patch is not JSON"), 0) end
      doc = patch
    else
      invalid("summary patch: expected a table or JSON text, got " .. type(patch))
    end
    if not doc:match("^%s*{") then error(new_error(lib.FF_INVALID_INPUT, "summary patch must be a JSON object"), 0) end
    if doc:find("\0", 1, true) then invalid("summary patch: holds a NUL character") end
    return doc
  end

  local function page_of(op, attempt)
    local frames = {}
    for i, r in ipairs(records("ff_stream_read", op,
                               { "id", "frame_type", "payload", "encoding", "source", "correlation_id", "ts", "mode" },
                               { payload = true })) do
      frames[i] = { id = r.id, frame_type = r.frame_type, payload = r.payload, encoding = r.encoding, source = r.source,
                    correlation_id = r.correlation_id, ts_ms = tonumber(r.ts) or 0, mode = r.mode, attempt = attempt }
    end
    local state = h.json(op)
    local reason = text(op)
    return { frames = frames, cursor = cursor(op), closed = state.closed == true or reason ~= "",
             closed_reason = reason, closed_at = int(op), more = state.more == true }
  end

  local function appended(op)
    local v = items(op)[1]
    return { entry_id = text(op), frame_count = int(op), summary_version = (v and v ~= "") and tonumber(v) or nil }
  end

  -- The common arguments of a read / tail.
  local function read_args(eid, options)
    options = options_arg(options, "stream options")
    local a = integer(options.attempt or 0, "attempt", 0, UINT32_MAX)
    local after = optional_text(options.after, "after") or ""
    local n = integer(options.count or 100, "count", 1, 10000)
    local flags = boolean(options.durable_only, "durable_only") and lib.FF_STREAM_DURABLE_ONLY or 0
    return text_arg(eid, "execution_id"), a, after, n, flags, options
  end

  --- One page of the output stream of an attempt. options: attempt
  --- (0-based, default 0), after (exclusive cursor, "" = the start), to
  --- (inclusive, "" = the end), count (entries scanned, 1..10000, default
  --- 100), durable_only (leave best-effort frames out). Returns a page;
  --- ExecutionNotFound, InvalidOffset.
  function Client:read_stream(eid, options)
    local id, a, after, n, flags, o = read_args(eid, options)
    local to = optional_text(o.to, "to") or ""
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_stream_read(c, id, a, after, to, n, flags, nil, ud, out) end,
               function(op) return page_of(op, a) end)
  end

  --- Wait up to options.block_ms (default 1000; 0 = a peek) for frames
  --- after options.after: returns as soon as there are some or the stream
  --- is closed (the wait runs on a dedicated connection: other calls go
  --- on). An attempt that never wrote a frame is seen closed when the block
  --- ends. Other options as read_stream.
  function Client:tail_stream(eid, options)
    local id, a, after, n, flags, o = read_args(eid, options)
    local block = integer(o.block_ms or 1000, "block_ms", 0, 86400000)
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_stream_tail(c, id, a, after, block, n, flags, nil, ud, out) end,
               function(op) return page_of(op, a) end)
  end

  --- The summary document of an attempt (default 0): {document (decoded,
  --- nil before the first summary frame), version, created, updated (unix
  --- ms, nil before the first)}.
  function Client:stream_summary(eid, attempt)
    local id, a = text_arg(eid, "execution_id"), integer(attempt or 0, "attempt", 0, UINT32_MAX)
    local c = self:native()
    return run(self, function(ud, out) return lib.ff_stream_summary(c, id, a, nil, ud, out) end, function(op)
      local doc = h.json(op)
      return { document = value(doc.document), version = int(op), created = value(doc.created),
               updated = value(doc.updated) }
    end)
  end

  --- An iterator over the frames of an execution's output stream, in order
  --- as they are written, ending when the stream closes:
  --- `for frame in client:follow(eid) do ... end`. options.attempt: follow
  --- that attempt only; nil starts at attempt 0 and goes on with the next
  --- attempt when one's stream closes, ending when the next attempt reads
  --- closed with "execution_ended" (so across a retry it yields every
  --- attempt's frames). Tails in blocks of options.block_ms (default 1000):
  --- an attempt that never wrote a frame has no close marker to wake the
  --- tail. options.durable_only as read_stream.
  function Client:follow(eid, options)
    options = options_arg(options, "follow")
    text_arg(eid, "execution_id")
    local fixed = options.attempt
    local a = fixed ~= nil and integer(fixed, "attempt", 0, UINT32_MAX) or 0
    local block = integer(options.block_ms or 1000, "block_ms", 0, 86400000)
    local durable_only = boolean(options.durable_only, "durable_only")
    local page, at, done = nil, 1, false
    local after = ""
    return function()
      while not done do
        if page and at <= #page.frames then
          at = at + 1
          return page.frames[at - 1]
        end
        if page then
          after = page.cursor
          if page.closed and not page.more then -- closed, nothing left to drain
            if fixed ~= nil or page.closed_reason == EXECUTION_ENDED then
              done = true
              return nil
            end
            a, after = a + 1, ""
          end
        end
        page = self:tail_stream(eid, { attempt = a, after = after, block_ms = block, durable_only = durable_only })
        at = 1
      end
      return nil
    end
  end

  --- Append a frame to the output stream of the attempt this claim holds
  --- and wait for the answer: {entry_id, frame_count, summary_version (after
  --- a summary frame, else nil)}. payload: a byte string; options: mode
  --- ("durable", the default; "best_effort"; "summary": a JSON merge
  --- patch), encoding, source, correlation_id. RetentionLimitExceeded
  --- (payload above 64 KiB: nothing sent), InvalidFrameType,
  --- StaleOwnerCannotAppend, StreamClosed.
  function Claim:append_frame(frame_type, payload, options)
    local client = self.client
    return with_frame(frame_type, payload, options, function(f)
      local c, p = client:native(), self.p
      return run(client, function(ud, out) return lib.ff_stream_append(c, p, f, nil, ud, out) end, appended)
    end)
  end

  -- A fire-and-forget stream call of a live task.
  local function send(task, what, start)
    check(start(task:_live()), what)
  end

  --- Append a log line (a durable "log" frame) to this attempt's stream.
  --- Like task:progress it does not wait for the server (the stream calls
  --- of one task arrive in order); it raises if the task finished or its
  --- lease is known lost, and bad input raises before anything is sent.
  function Task:log(line)
    if type(line) ~= "string" then invalid("log text: expected a string, got " .. type(line)) end
    if line:find("\0", 1, true) then invalid("log text: holds a NUL character") end
    send(self, "log", function(t) return lib.ff_task_log(t, line, nil, nil, nil) end)
  end

  --- Append a frame (arguments as claim:append_frame); does not wait.
  function Task:emit(frame_type, payload, options)
    with_frame(frame_type, payload, options, function(f)
      send(self, "emit", function(t) return lib.ff_task_emit(t, f, nil, nil, nil) end)
    end)
  end

  --- Merge a table (or JSON text of an object) into this attempt's summary
  --- document (RFC 7396); does not wait.
  function Task:summary(patch)
    local doc = patch_text(patch)
    send(self, "summary", function(t) return lib.ff_task_summary(t, doc, nil, nil, nil) end)
  end

end
