-- stream.lua: per-attempt output streams (docs/streams.md). The lease holder
-- appends frames (durable, best_effort, summary merge patches) to its
-- attempt's stream; the stream closes in the call that ends the attempt
-- (SM.close, lib/55_stream.lua); anyone reads it afterwards. Tails are
-- client-side XREADs of K.stream(eid, ai) on a dedicated connection.
-- Everything here sits in one block: the library chunk is near Lua's
-- limit of 200 top-level locals.
do
  local MODES = { durable = true, best_effort = true, summary = true }

  -- Stream entry id "ms-seq" (both parts decimal), or nil.
  local function entry_id(s)
    return #s <= 41 and string.find(s, "^%d+%-%d+$") ~= nil
  end

  -- One frame's six ARGV fields from args[i] (type, payload, encoding,
  -- source, correlation id, mode), checked: the frame, or nil and the
  -- error reply. Summary payloads are parsed here (before any write).
  local function parse_frame(args, i, maxp)
    local ftype, payload, enc, src, corr, mode = args[i], args[i + 1], args[i + 2], args[i + 3], args[i + 4],
                                                 args[i + 5]
    if #ftype < 1 or #ftype > 64 or not string.find(ftype, "^[%w_%.:%-]+$") then
      return nil, U.err("invalid_frame_type", "frame_type: 1..64 bytes of [A-Za-z0-9_.:-]")
    end
    if enc == "" then enc = "utf8" end
    if #enc > 32 or not string.find(enc, "^[%w_%.%-]+$") then
      return nil, U.err("invalid_input", "encoding: <= 32 bytes of [A-Za-z0-9_.-]")
    end
    if src == "" then src = "worker" end
    local good, e = V.text(src, "source", 128)
    if not good then return nil, e end
    good, e = V.text(corr, "correlation_id", 256)
    if not good then return nil, e end
    if not MODES[mode] then return nil, U.err("invalid_input", "mode: durable, best_effort or summary") end
    if #payload > maxp then
      return nil, U.err("retention_limit_exceeded", "payload", U.istr(#payload), U.istr(maxp))
    end
    local patch
    if mode == "summary" then
      local why
      patch, why = SM.json_parse(payload, SM.PATCH_DEPTH)
      if why == "depth" then return nil, U.err("patch_depth_exceeded", U.istr(SM.PATCH_DEPTH)) end
      if not patch or patch.t ~= "o" then
        return nil, U.err("invalid_input", "payload: a summary frame is a JSON object (a merge patch)")
      end
    end
    return { t = ftype, p = payload, e = enc, s = src, c = corr, m = mode, patch = patch }
  end

  -- max_payload ARGV: the limit, or nil and the error reply.
  local function parse_max(v)
    if v == "" then return SM.DEFAULT_MAX_PAYLOAD end
    local maxp = U.parse_int_range(v, 1, SM.MAX_PAYLOAD)
    if maxp == nil then return nil, U.err("invalid_input", "max_payload: integer 1.." .. SM.MAX_PAYLOAD .. " or empty") end
    return maxp
  end

  -- The light fence: the current lease holder of a running attempt. rec,
  -- or nil and the error reply.
  local function fence(T, eid, lid, epoch, aid, now)
    local rec, e = F.must(K.core(eid), F.LEASE_FIELDS)
    if not rec then return nil, e end
    if rec.phase == "terminal" then return nil, U.err("stream_closed", "execution_ended") end
    local mine = rec.aid == aid and tonumber(rec.epoch or "0") == epoch
    if rec.phase ~= "active" then
      -- the presented attempt ended (a retry or replay is pending): closed;
      -- a suspended or delayed attempt merely gave its lease back
      if mine and (rec.ast == "pending_retry_attempt" or rec.ast == "pending_replay_attempt") then
        return nil, U.err("stream_closed", "attempt_ended")
      end
      return nil, U.err("stale_owner_cannot_append", "no_lease")
    end
    if rec.own == "leased" and tonumber(rec.lexp or "0") <= now then
      F.interrupt(T, eid, rec, now, "lease_expired_reclaimable") -- closes the stream too
      return nil, U.err("stale_owner_cannot_append", "lease_expired")
    end
    if rec.own ~= "leased" or rec.lid ~= lid or not mine then
      return nil, U.err("stale_owner_cannot_append", rec.own ~= "leased" and rec.own or "stale_lease")
    end
    return rec
  end

  -- The adaptive MAXLEN of a best_effort append: an EMA of the append rate
  -- (Hz; the first append assumes the floor spread over the window) -> about
  -- BE_WINDOW_S seconds of frames. Returns maxlen, the new rate.
  local function be_maxlen(prev, lts, now)
    local rate
    if prev == nil or lts == nil then
      rate = SM.BE_FLOOR / SM.BE_WINDOW_S
    else
      local dt = now - lts
      if dt < 1 then dt = 1 end
      rate = SM.BE_ALPHA * (1000 / dt) + (1 - SM.BE_ALPHA) * prev
    end
    local maxlen = math.ceil(rate * SM.BE_WINDOW_S)
    if maxlen < SM.BE_FLOOR then maxlen = SM.BE_FLOOR end
    if maxlen > SM.BE_CEILING then maxlen = SM.BE_CEILING end
    return maxlen, rate
  end

  -- Append the parsed frames (a list; an entry may be {err = reply} for a
  -- frame refused before any write) to the stream of rec's attempt, in
  -- order, with one read and one write of the stream's meta (and summary)
  -- for the whole list. Returns the per-frame results: {id, frames,
  -- version|""} or {err = reply}.
  local function write_frames(eid, aid, rec, now, list)
    local ai = rec.ai or "0"
    local sk, mk = K.stream(eid, ai), K.stream_meta(eid, ai)
    local m = redis.call("HMGET", mk, "created", "closed_at", "frames", "hd", "rate", "lts")
    local out = {}
    if m[2] and m[2] ~= "" then
      for i = 1, #list do out[i] = { err = U.err("stream_closed", "closed") } end
      return out
    end
    local frames = tonumber(m[3] or "0") or 0
    local had_durable = m[4] == "1"
    local durable_before = had_durable
    local rate, lts = tonumber(m[5] or ""), tonumber(m[6] or "")
    local now_s = U.istr(now)
    local sumk, doc, version, version0, doc_text, sum_bad
    local bytes, last, last_durable, maxlen_be, wrote, wrote_be = 0, nil, nil, nil, false, false
    for i = 1, #list do
      local fr = list[i]
      local ver
      if not fr.err and fr.patch then
        -- summary: merge into the document (read once per call)
        if sumk == nil then
          sumk = K.stream_summary(eid, ai)
          local sv = redis.call("HMGET", sumk, "document", "version")
          if sv[1] then
            doc = SM.json_parse(sv[1], 64)
            if not doc then sum_bad = U.corrupt(sumk, "document", sv[1]) end
            if sv[2] and not U.parse_int_range(sv[2], 1, U.MAX_SAFE) then sum_bad = U.corrupt(sumk, "version", sv[2]) end
          end
          version = tonumber(sv[2] or "0") or 0
          version0 = version
        end
        if sum_bad then
          fr = { err = sum_bad }
        else
          local merged = SM.merge(doc, fr.patch)
          local text = SM.json_encode(merged)
          if #text > SM.MAX_DOCUMENT then
            fr = { err = U.err("retention_limit_exceeded", "document", U.istr(#text), U.istr(SM.MAX_DOCUMENT)) }
          else
            doc, doc_text, version = merged, text, version + 1
            ver = U.istr(version)
          end
        end
      end
      if fr.err then
        out[i] = fr
      else
        local maxlen = SM.DURABLE_MAXLEN
        if fr.m == "best_effort" then
          local be
          be, rate = be_maxlen(rate, lts, now)
          lts, maxlen_be, wrote_be = now, be, true
          -- the adaptive cap only while there is no durable frame to lose:
          -- one stream, one MAXLEN, and it would trim older durable frames
          if not had_durable then maxlen = be end
        end
        -- fields at their default (utf8, worker, durable) are not stored:
        -- fewer arguments to XADD and smaller entries; reads fill them in
        local x = { "XADD", sk, "MAXLEN", "~", U.istr(maxlen), "*", "t", fr.t, "p", fr.p }
        if fr.e ~= "utf8" then x[#x + 1] = "e"; x[#x + 1] = fr.e end
        if fr.s ~= "worker" then x[#x + 1] = "s"; x[#x + 1] = fr.s end
        if fr.m ~= "durable" then x[#x + 1] = "m"; x[#x + 1] = fr.m end
        if fr.c ~= "" then x[#x + 1] = "c"; x[#x + 1] = fr.c end
        if ver then x[#x + 1] = "v"; x[#x + 1] = ver end
        local id = redis.call(unpack(x))
        frames = frames + 1
        bytes = bytes + #fr.p
        last, wrote = id, true
        if fr.m ~= "best_effort" then last_durable, had_durable = id, true end
        out[i] = { id, U.istr(frames), ver or "" }
      end
    end
    if not wrote then return out end
    local f = { "frames", U.istr(frames), "last", last, "lat", now_s }
    if not m[1] then
      f[#f + 1] = "created"; f[#f + 1] = now_s; f[#f + 1] = "aid"; f[#f + 1] = aid
      f[#f + 1] = "closed_at"; f[#f + 1] = ""; f[#f + 1] = "closed_reason"; f[#f + 1] = ""
    end
    if wrote_be then
      f[#f + 1] = "rate"; f[#f + 1] = string.format("%.6f", rate)
      f[#f + 1] = "lts"; f[#f + 1] = U.istr(lts)
      f[#f + 1] = "maxlen"; f[#f + 1] = U.istr(maxlen_be)
    end
    if last_durable then f[#f + 1] = "ld"; f[#f + 1] = last_durable end
    if had_durable and not durable_before then
      f[#f + 1] = "hd"; f[#f + 1] = "1"
      redis.call("PERSIST", sk)
    elseif not had_durable then
      redis.call("PEXPIRE", sk, SM.BE_TTL_MS) -- best_effort only so far
    end
    redis.call("HINCRBY", mk, "bytes", bytes)
    redis.call("HSET", mk, unpack(f))
    if doc_text then
      local sv = { "document", doc_text, "version", U.istr(version), "updated", now_s }
      if version0 == 0 then sv[#sv + 1] = "created"; sv[#sv + 1] = now_s end
      redis.call("HSET", sumk, unpack(sv))
    end
    return out
  end

--- @function ff_append_frame
--- @mode write
--- @summary Append one frame to the running attempt's output stream (the lease holder only).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg frame_type string 1..64 bytes of [A-Za-z0-9_.:-]
--- @arg payload bytes the frame bytes (binary-safe); summary mode: a JSON merge patch object
--- @arg encoding string <= 32 bytes of [A-Za-z0-9_.-], "" = utf8
--- @arg source string <= 128 bytes, "" = worker
--- @arg correlation_id string <= 256 bytes, "" = none
--- @arg mode string durable|best_effort|summary
--- @arg max_payload int 1..1048576, "" = 65536
--- @reply entry_id string the stream entry id (ms-seq)
--- @reply frame_count int frames ever appended to this stream (trimming does not lower it)
--- @reply summary_version string the summary version after a summary frame, else ""
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, invalid_frame_type, retention_limit_exceeded, stale_owner_cannot_append, stream_closed, patch_depth_exceeded
local function ff_append_frame(keys, args)
    local T, epoch = F.prologue(keys, args, 11)
    if not T then return epoch end
    local maxp, e = parse_max(args[11])
    if not maxp then return e end
    local fr
    fr, e = parse_frame(args, 5, maxp)
    if not fr then return e end
    local now = U.now_ms()
    local rec
    rec, e = fence(T, args[1], args[2], epoch, args[4], now)
    if not rec then return e end
    local r = write_frames(args[1], args[4], rec, now, { fr })[1]
    if r.err then return r.err end
    return U.ok(r[1], r[2], r[3])
  end

--- @function ff_append_frames
--- @mode write
--- @summary Append several frames to the running attempt's output stream in order, each with its own result (what a client sends for appends that queued up behind each other).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg lease_id uuid the fence: lease id
--- @arg epoch int the fence: lease epoch
--- @arg attempt_id uuid the fence: attempt id
--- @arg max_payload int 1..1048576, "" = 65536
--- @arg frames... string 6..1536 groups of frame_type, payload, encoding, source, correlation_id, mode (as ff_append_frame)
--- @reply n int results that follow, one per frame in order
--- @item result 4
--- @field code string "ok", or the frame's error code (the call's other frames are still appended)
--- @field entry_id string ok: the entry id; else the error's first detail
--- @field frame_count string ok: frames ever appended; else the second detail
--- @field summary_version string ok: the summary version after a summary frame, else ""; else the third detail
--- @error invalid_input, unauthorized, corrupt_record, fence_required, partial_fence_triple, execution_not_found, stale_owner_cannot_append, stream_closed
local function ff_append_frames(keys, args)
    local n = (#args - 5) / 6
    if #args < 11 or n ~= math.floor(n) or n > SM.BATCH_MAX then
      return U.err("invalid_input", "argv: 5 + 6*n arguments, n = 1.." .. SM.BATCH_MAX)
    end
    local T, e = V.eid_for_core(keys, args[1])
    if not T then return e end
    e = N.guard(T)
    if e then return e end
    local mode, epoch = F.parse(args[2], args[3], args[4], false)
    if not mode then return epoch end
    local maxp
    maxp, e = parse_max(args[5])
    if not maxp then return e end
    local list = {}
    for i = 1, n do
      local fr, fe = parse_frame(args, 6 + (i - 1) * 6, maxp)
      list[i] = fr or { err = fe }
    end
    local now = U.now_ms()
    local rec
    rec, e = fence(T, args[1], args[2], epoch, args[4], now)
    if not rec then return e end
    local res = write_frames(args[1], args[4], rec, now, list)
    local out = { 1, "OK", U.istr(n) }
    for i = 1, n do
      local r = res[i]
      if r.err then
        out[#out + 1] = r.err[2]
        out[#out + 1] = r.err[3] or ""; out[#out + 1] = r.err[4] or ""; out[#out + 1] = r.err[5] or ""
      else
        out[#out + 1] = "ok"; out[#out + 1] = r[1]; out[#out + 1] = r[2]; out[#out + 1] = r[3]
      end
    end
    return out
  end

  -- ARGV eid, attempt index: T, the index string, or nil plus the reply.
  local function attempt_arg(keys, args, n)
    if #args ~= n then return nil, U.err("invalid_input", "argv: expected " .. n .. " arguments") end
    local T, e = V.eid_for_core(keys, args[1])
    if not T then return nil, e end
    local ai = U.parse_int_range(args[2], 0, 1000000000)
    if ai == nil then return nil, U.err("invalid_input", "attempt: integer 0..10^9") end
    local rec
    rec, e = F.must(K.core(args[1]), { "st", "ai" })
    if not rec then return nil, e end
    return T, U.istr(ai), rec, ai
  end

--- @function ff_read_stream
--- @mode read-only
--- @summary Frames of one attempt's output stream after an exclusive cursor, with its closed state.
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg attempt int the attempt index (0-based)
--- @arg from string exclusive cursor: a stream entry id ms-seq, "" = from the start
--- @arg to string inclusive end: an entry id, "" = the end
--- @arg count int 1..10000 entries scanned
--- @arg include_best_effort flag "1" = every frame, "0" = durable and summary frames only
--- @reply closed_at string close time (ms), "" while open; for an attempt that ended without writing a frame, the core's last update time
--- @reply closed_reason string why it closed, "" while open (also derived from the core when no close was recorded)
--- @reply cursor string the last entry scanned ("" = none): the next page's from
--- @reply more flag 1 when count entries were scanned (there may be more)
--- @reply n int frames that follow
--- @item frame 8
--- @field id string entry id ms-seq
--- @field frame_type string frame type
--- @field payload bytes frame bytes
--- @field encoding string payload encoding label
--- @field source string who wrote it
--- @field correlation_id string correlation id ("" = none)
--- @field ts int append time (ms): the entry id's time part
--- @field mode string durable|best_effort|summary
--- @error invalid_input, corrupt_record, execution_not_found, invalid_offset
local function ff_read_stream(keys, args)
    local T, ai, rec, ain = attempt_arg(keys, args, 6)
    if not T then return ai end
    local from, to = args[3], args[4]
    if from ~= "" and not entry_id(from) then return U.err("invalid_offset", "from: an entry id ms-seq or empty") end
    if to ~= "" and not entry_id(to) then return U.err("invalid_offset", "to: an entry id ms-seq or empty") end
    local count = U.parse_int_range(args[5], 1, SM.READ_MAX)
    if count == nil then return U.err("invalid_input", "count: integer 1.." .. SM.READ_MAX) end
    local inc = args[6]
    if inc ~= "1" and inc ~= "0" then return U.err("invalid_input", "include_best_effort: \"1\" or \"0\"") end
    local eid = args[1]
    local m = redis.call("HMGET", K.stream_meta(eid, ai), "closed_at", "closed_reason")
    local closed_at, reason = m[1] or "", m[2] or ""
    if closed_at == "" then
      -- no close recorded (e.g. never written): the core may still say it ended
      local why = SM.derived_close(rec, ain)
      if why then closed_at, reason = redis.call("HGET", K.core(eid), "updated") or "0", why end
    end
    local rows = redis.call("XRANGE", K.stream(eid, ai), from == "" and "-" or "(" .. from,
                            to == "" and "+" or to, "COUNT", count)
    local out = { 1, "OK", closed_at, reason, "", #rows == count and "1" or "0", "0" }
    local n = 0
    for i = 1, #rows do
      local id, kv = rows[i][1], rows[i][2]
      local fr = {}
      for j = 1, #kv, 2 do fr[kv[j]] = kv[j + 1] end
      local fm = fr.m or "durable"
      if fm ~= SM.CLOSE_MARK and (inc == "1" or fm ~= "best_effort") then
        n = n + 1
        local k = #out
        out[k + 1] = id; out[k + 2] = fr.t or ""; out[k + 3] = fr.p or ""; out[k + 4] = fr.e or "utf8"
        out[k + 5] = fr.s or "worker"; out[k + 6] = fr.c or ""
        out[k + 7] = string.match(id, "^(%d+)"); out[k + 8] = fm
      end
      out[5] = id
    end
    out[7] = U.istr(n)
    return out
  end

--- @function ff_read_summary
--- @mode read-only
--- @summary The summary document of one attempt (built from its summary frames' merge patches).
--- @key core ff:e:<eid> the execution core hash (its tag routes the call)
--- @arg eid eid the execution id {fp:N}:<uuid>; must match KEYS[1]
--- @arg attempt int the attempt index (0-based)
--- @reply document string the JSON document, "" when none
--- @reply version int patches applied, 0 when none
--- @reply created int first patch time (ms), "" when none
--- @reply updated int last patch time (ms), "" when none
--- @error invalid_input, corrupt_record, execution_not_found
local function ff_read_summary(keys, args)
    local T, ai = attempt_arg(keys, args, 2)
    if not T then return ai end
    local v = redis.call("HMGET", K.stream_summary(args[1], ai), "document", "version", "created", "updated")
    return U.ok(v[1] or "", v[2] or "0", v[3] or "", v[4] or "")
  end

redis.register_function("ff_append_frame", ff_append_frame)
redis.register_function("ff_append_frames", ff_append_frames)
redis.register_function { function_name = "ff_read_stream", callback = ff_read_stream, flags = U.RO }
redis.register_function { function_name = "ff_read_summary", callback = ff_read_summary, flags = U.RO }
end
