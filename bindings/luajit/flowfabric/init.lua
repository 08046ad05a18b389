-- FlowFabric for LuaJIT: the durable job engine's client and claim API over
-- libflowfabric through LuaJIT's ffi. The declarations, the error table and
-- what each op yields (the headers' @yields tags) are generated from the C
-- headers and the status table (bindings/gen/gen_luajit.py); this layer is
-- written once on top of them.
--
-- No C thread ever calls into Lua: every call starts its C operation in
-- future mode and waits for it with ff_op_wait (the calling thread blocks;
-- the library's own I/O thread does the network work). Handles are released
-- by ffi.gc when Lua drops them, or at once with :close() / :free().
local ffi = require("ffi")
local decl = require("flowfabric.cdef")
local status_table = require("flowfabric.errors")
local yields = require("flowfabric.ops")

ffi.cdef(decl.cdef)

local M = {}

-- FF_LIBRARY (an explicit path), else the build tree next to these sources
-- (a checkout), else the system's libflowfabric.so.0.
local function library_path()
  local explicit = os.getenv("FF_LIBRARY")
  if explicit and explicit ~= "" then return explicit end
  local here = debug.getinfo(1, "S").source:match("^@(.*)/flowfabric/init%.lua$")
  if here then
    local candidate = here .. "/../../build/libflowfabric.so.0"
    local f = io.open(candidate, "rb")
    if f then f:close(); return candidate end
  end
  return "libflowfabric.so.0"
end

M.library_path = library_path()
local lib = ffi.load(M.library_path)
M.lib = lib

-- The loaded library must speak the ABI these declarations were made for.
if lib.ff_abi_version() ~= decl.abi_version then
  error(string.format("flowfabric: %s has C ABI %d, this module was generated for ABI %d " ..
                      "(install matching versions, or set FF_LIBRARY)",
                      M.library_path, lib.ff_abi_version(), decl.abi_version), 0)
end
M.version = ffi.string(lib.ff_version_string())
M.functions = decl.functions
M.yields = yields

-- ------------------------------------------------------------------ errors
-- An error is a table {status, name, class, group, server_code, message,
-- details}; tostring() gives the message. Raised with error(), caught with
-- pcall. M.is(err, "LeaseError") matches its class or its group's class.
local Error = {}
Error.__index = Error
Error.__tostring = function(e) return e.message end

local GROUP_CLASS = status_table.groups

local function new_error(st, detail, server_code, details)
  local row = status_table.statuses[st] or { name = "FF_" .. tostring(st), class = "FlowFabricError",
                                    group = "generic", token = "" }
  local text = (detail and detail ~= "") and detail or ffi.string(lib.ff_strerror(st))
  return setmetatable({
    status = st, name = row.name, class = row.class, group = row.group,
    server_code = server_code or "", details = details or {},
    message = row.name .. ": " .. text,
  }, Error)
end

function M.is(err, class)
  if getmetatable(err) ~= Error then return false end
  return class == "FlowFabricError" or err.class == class or GROUP_CLASS[err.group] == class
end

local function check(st, what)
  if st == 0 then return end
  local detail = ffi.string(lib.ff_error_detail(st))
  -- the library's sentence names the argument; `what` stands in without one
  if detail == "" then detail = what end
  error(new_error(st, detail), 2)
end

local function op_error(op, st)
  local details = {}
  for i = 0, tonumber(lib.ff_op_detail_count(op)) - 1 do
    details[#details + 1] = ffi.string(lib.ff_op_detail(op, i))
  end
  return new_error(st, ffi.string(lib.ff_op_errmsg(op)), ffi.string(lib.ff_op_server_code(op)), details)
end
M.new_error = new_error

-- ------------------------------------------------------------------ values
local function ms(seconds, what)
  if type(seconds) ~= "number" or seconds ~= seconds or seconds == math.huge or seconds == -math.huge then
    error(new_error(lib.FF_EINVAL, (what or "duration") .. ": expected a finite number of seconds, got " ..
                                   tostring(seconds)), 3)
  end
  return math.floor(seconds * 1000 + 0.5)
end

local function str(p) if p == nil then return "" end return ffi.string(p) end

-- A required text argument: a non-empty string, else InvalidArgument
-- before anything is sent.
local function text_arg(v, what)
  if type(v) ~= "string" or v == "" then
    error(new_error(lib.FF_EINVAL, what .. ": expected a non-empty string, got " ..
                                   (v == "" and '""' or tostring(v))), 3)
  end
  return v
end

-- The budget ids of a submit or a flow: a list of ids (nil: none); a
-- bare string is refused rather than taken as one id.
local function budget_list(v)
  if v == nil then return {} end
  if type(v) ~= "table" then
    error(new_error(lib.FF_EINVAL, "budgets: expected a list of budget ids, got " .. type(v)), 3)
  end
  local ids, n = {}, 0
  for i, b in ipairs(v) do ids[i] = text_arg(b, "budgets[" .. i .. "]") end
  for _ in pairs(v) do n = n + 1 end
  if n ~= #ids then error(new_error(lib.FF_EINVAL, "budgets: expected a list of budget ids, got other keys"), 3) end
  return ids
end

-- A const char *[] of the strings of list. It points into them: the
-- caller keeps list alive until the C call returned.
local function c_strings(list)
  local arr = ffi.new("const char *[?]", math.max(#list, 1))
  for i, v in ipairs(list) do arr[i - 1] = v end
  return arr
end

local json
local function decode(text)
  json = json or require("cjson")
  return json.decode(text)
end

local OUT = ffi.typeof("ff_op *[1]")
local SIZE = ffi.typeof("size_t[1]")

-- Run one C op and return extract(op). start(ud, out) starts it: in future
-- mode (out set) it is waited for with ff_op_wait, blocking this thread; in
-- a coroutine of a client attached to an event loop (luv), it is started for
-- pull (ud = the coroutine's ticket, out NULL), the coroutine yields, and the
-- loop's poll of ff_client_next_fd resumes it with the op. No C thread
-- calls into Lua either way.
local WAIT_SLICE_MS = 1000
local function finish_op(op, st, extract)
  if st ~= 0 then
    local err = op_error(op, st)
    lib.ff_op_free(op)
    error(err, 0)
  end
  local ok, value, extra = pcall(extract, op)
  lib.ff_op_free(op)
  if not ok then error(value, 0) end
  return value, extra
end

local function run(client, start, extract, future_only)
  local co = coroutine.running()
  if client.poll and co and not future_only then
    local ticket = client:_ticket(co)
    local st = start(ffi.cast("void *", ticket), nil)
    if st ~= 0 then
      client.waiting[ticket] = nil
      check(st)
    end
    local op = coroutine.yield()
    return finish_op(op, lib.ff_op_status(op), extract)
  end
  local out = OUT()
  local st = start(nil, out)
  if st ~= 0 then check(st) end
  local op = out[0]
  st = lib.ff_op_wait(op, WAIT_SLICE_MS)
  while st == lib.FF_EAGAIN and lib.ff_op_done(op) == 0 do st = lib.ff_op_wait(op, WAIT_SLICE_MS) end
  return finish_op(op, st, extract)
end

local function text(op) return str(lib.ff_op_text(op)) end
local function int(op) return tonumber(lib.ff_op_int(op)) end
local function bytes(op)
  local len = SIZE()
  local p = lib.ff_op_bytes(op, len)
  if p == nil or len[0] == 0 then return "" end
  return ffi.string(p, len[0])
end
local function items(op)
  local t = {}
  for i = 0, tonumber(lib.ff_op_item_count(op)) - 1 do t[#t + 1] = str(lib.ff_op_item(op, i)) end
  return t
end
local function json_doc(op) return decode(str(lib.ff_op_json(op))) end
local function cursor(op) return str(lib.ff_op_cursor(op)) end

-- How each @yields kind is read (flowfabric/ops.lua says which kind an op
-- returns). "claims" and "reply" need their caller's context: no reader.
local READERS = {
  text = text, int = int, bytes = bytes, json = json_doc, items = items, cursor = cursor,
  execution_id = function(op) return str(lib.ff_op_execution_id(op)) end,
  none = function() return nil end,
}

-- The reader of C op `fname`'s declared result: its first @yields kind; a
-- paged listing (one that also yields a cursor) returns the page and the
-- next cursor.
local function reader(fname)
  local y = yields[fname]
  local read = y and READERS[y[1]]
  if not read then error("flowfabric: no reader for " .. fname .. "'s result " .. tostring(y and y[1]), 2) end
  for i = 2, #y do
    if y[i] == "cursor" then return function(op) return read(op), cursor(op) end end
  end
  return read
end
M.reader = reader

-- Run C op `fname` with the arguments before its (cb, ud, out) and return
-- its declared result.
local unpack = unpack or table.unpack
local function call_op(client, fname, ...)
  local f, args, n = lib[fname], { ... }, select("#", ...)
  return run(client, function(ud, out)
    args[n + 1], args[n + 2], args[n + 3] = nil, ud, out
    return f(unpack(args, 1, n + 3))
  end, reader(fname))
end

-- ------------------------------------------------------------------ client
local Client = {}
Client.__index = Client

--- Open a client. url: "redis://[user:pass@]host:port[/db]", "unix:///path",
--- or nil (FF_URL, else the embedded server). options: timeout, connect_timeout
--- (seconds), hmac_secret, data_dir, loop (a luv module: calls made inside a
--- coroutine then yield to the loop until their answer comes).
function M.connect(url, options)
  options = options or {}
  local po = ffi.new("ff_client_opts *[1]")
  check(lib.ff_client_opts_new(po))
  local o = po[0]
  local ok, err = pcall(function()
    if url then check(lib.ff_client_opts_set_url(o, url), "url") end
    if options.data_dir then check(lib.ff_client_opts_set_data_dir(o, options.data_dir), "data_dir") end
    if options.hmac_secret then check(lib.ff_client_opts_set_hmac_secret(o, options.hmac_secret), "hmac_secret") end
    if options.timeout then check(lib.ff_client_opts_set_timeout_ms(o, ms(options.timeout, "timeout")), "timeout") end
    if options.connect_timeout then
      check(lib.ff_client_opts_set_connect_timeout_ms(o, ms(options.connect_timeout, "connect_timeout")),
            "connect_timeout")
    end
    if options.loop then check(lib.ff_client_opts_set_pull(o, 1), "pull") end
  end)
  if not ok then lib.ff_client_opts_free(o); error(err, 2) end
  local pc = ffi.new("ff_client *[1]")
  local errbuf = ffi.new("char[512]")
  local st = lib.ff_client_new(pc, o, errbuf, 512)
  lib.ff_client_opts_free(o)
  if st ~= 0 then error(new_error(st, ffi.string(errbuf)), 2) end
  local self = setmetatable({ c = ffi.gc(pc[0], lib.ff_client_free), waiting = {}, next_ticket = 0 }, Client)
  self.url = str(lib.ff_client_url(self.c))
  if options.loop then
    -- the loop watches the pull queue; each answer resumes its coroutine
    self.poll = options.loop.new_poll(lib.ff_client_next_fd(self.c))
    self.poll:start("r", function() self:_deliver() end)
  end
  return self
end

function Client:_ticket(co)
  self.next_ticket = self.next_ticket + 1
  self.waiting[self.next_ticket] = co
  return self.next_ticket
end

-- Hand every completed op to the coroutine waiting for it.
function Client:_deliver()
  if self.c == nil then return end
  local out = OUT()
  while lib.ff_client_next(self.c, out) == 0 do
    local op = out[0]
    local ticket = tonumber(ffi.cast("intptr_t", lib.ff_op_userdata(op)))
    local co = self.waiting[ticket]
    self.waiting[ticket] = nil
    if co then
      local ok, err = coroutine.resume(co, op)
      if not ok then io.stderr:write("flowfabric: a coroutine failed: ", tostring(err), "\n") end
    else
      lib.ff_op_free(op)
    end
  end
end

function Client:close()
  if self.poll then
    self.poll:stop()
    self.poll:close()
    self.poll = nil
  end
  if self.c ~= nil then
    local c = self.c
    self.c = nil
    lib.ff_client_free(ffi.gc(c, nil))
  end
end

function Client:native()
  if self.c == nil then error(new_error(lib.FF_ECLOSED, "client is closed"), 3) end
  return self.c
end

--- Submit one execution; returns its id. options: lane, priority, delay
--- (seconds), delay_until / deadline (unix seconds), capabilities, tags,
--- idempotency_key, idempotency_ttl, namespace, retry = {max_retries,
--- backoff, initial, max, multiplier, jitter, categories}, non_retryable,
--- attempt_timeout, max_reclaims, max_replays, execution_id, policy (JSON text).
--- flow: submit into this flow (client:create_flow): the id is minted on the
--- flow's partition and the create joins the flow in the same atomic step;
--- the lane must map to the flow's partition (the flow's own lane does).
--- group: its admission group (client:create_quota holds per group).
local with_spec
function Client:submit(kind, payload, options)
  local c = self:native()
  return with_spec(kind, payload, options or {}, function(s) return call_op(self, "ff_execution_create", c, s) end)
end

-- An ff_exec_spec filled from submit's arguments, handed to fn(s) and freed
-- after it; returns what fn returns.
function with_spec(kind, payload, options, fn)
  local ps = ffi.new("ff_exec_spec *[1]")
  check(lib.ff_exec_spec_new(ps, kind), "kind")
  local s = ps[0]
  local ok, res = pcall(function()
    payload = payload or ""
    check(lib.ff_exec_spec_set_lane(s, options.lane or "default"), "lane")
    check(lib.ff_exec_spec_set_payload(s, payload, #payload), "payload")
    if options.priority then check(lib.ff_exec_spec_set_priority(s, options.priority), "priority") end
    if options.namespace then check(lib.ff_exec_spec_set_namespace(s, options.namespace), "namespace") end
    if options.delay then check(lib.ff_exec_spec_set_delay_ms(s, ms(options.delay, "delay")), "delay") end
    if options.delay_until then
      check(lib.ff_exec_spec_set_delay_until_ms(s, ms(options.delay_until, "delay_until")), "delay_until")
    end
    if options.deadline then check(lib.ff_exec_spec_set_deadline_ms(s, ms(options.deadline, "deadline")), "deadline") end
    for _, cap in ipairs(options.capabilities or {}) do check(lib.ff_exec_spec_add_capability(s, cap), "capability") end
    for k, v in pairs(options.tags or {}) do check(lib.ff_exec_spec_add_tag(s, tostring(k), tostring(v)), "tag") end
    if options.policy then check(lib.ff_exec_spec_set_policy_json(s, options.policy), "policy") end
    local r = options.retry
    if r then
      check(lib.ff_exec_spec_set_retry(s, r.max_retries or 3, r.backoff or "exponential",
                                       ms(r.initial or 1, "retry initial"), ms(r.max or 60, "retry max"),
                                       r.multiplier or 2.0, r.jitter or 0.0,
                                       table.concat(r.categories or {}, ",")), "retry")
    end
    if options.non_retryable then
      check(lib.ff_exec_spec_set_non_retryable(s, table.concat(options.non_retryable, ",")), "non_retryable")
    end
    if options.attempt_timeout then
      check(lib.ff_exec_spec_set_attempt_timeout_ms(s, ms(options.attempt_timeout, "attempt_timeout")),
            "attempt_timeout")
    end
    if options.max_reclaims or options.max_replays then
      check(lib.ff_exec_spec_set_limits(s, options.max_reclaims or -1, options.max_replays or -1), "limits")
    end
    if options.idempotency_key then
      local ttl = options.idempotency_ttl and ms(options.idempotency_ttl, "idempotency_ttl") or 0
      check(lib.ff_exec_spec_set_idempotency_key(s, options.idempotency_key, ttl), "idempotency_key")
    end
    if options.execution_id then check(lib.ff_exec_spec_set_execution_id(s, options.execution_id), "execution_id") end
    if options.flow then check(lib.ff_exec_spec_set_flow(s, text_arg(options.flow, "flow")), "flow") end
    for _, b in ipairs(budget_list(options.budgets)) do check(lib.ff_exec_spec_add_budget(s, b), "budget " .. b) end
    if options.group ~= nil then check(lib.ff_exec_spec_set_group(s, text_arg(options.group, "group")), "group") end
    return fn(s)
  end)
  lib.ff_exec_spec_free(s)
  if not ok then error(res, 0) end
  return res
end

--- The snapshot document (docs/c-api.md#snapshot) as a table.
function Client:describe(eid)
  return call_op(self, "ff_execution_describe", self:native(), eid)
end

--- The public state only ("waiting", "completed", ...): describe's text.
function Client:state(eid)
  local c = self:native()
  return run(self, function(ud, out) return lib.ff_execution_describe(c, eid, nil, ud, out) end, text)
end

--- Result bytes; raises ExecutionFailed / ExecutionCancelled / ... when it
--- ended otherwise, ExecutionNotTerminal while it runs.
function Client:result(eid)
  return call_op(self, "ff_execution_result", self:native(), eid)
end

--- Wait (woken by the server) until the execution ended; returns what
--- :result returns then. timeout in seconds (nil: no limit).
local WAIT_ROUND_MS = 30 * 24 * 3600 * 1000
function Client:wait(eid, timeout)
  local c = self:native()
  local function round(limit)
    return call_op(self, "ff_execution_wait", c, eid, limit)
  end
  if timeout then return round(ms(timeout, "timeout")) end
  while true do
    local ok, res = pcall(round, WAIT_ROUND_MS)
    if ok then return res end
    if not M.is(res, "Timeout") then error(res, 2) end
  end
end

function Client:cancel(eid, reason)
  return call_op(self, "ff_execution_cancel", self:native(), eid, reason)
end

function Client:replay(eid)
  return call_op(self, "ff_execution_replay", self:native(), eid)
end

--- Returns the old priority.
function Client:change_priority(eid, priority)
  return call_op(self, "ff_execution_change_priority", self:native(), eid, priority)
end

--- {outcome=, lease_id=, lease_epoch=} (lease_id nil when none was current).
function Client:revoke_lease(eid, lease_id, reason)
  local c = self:native()
  return run(self, function(ud, out) return lib.ff_execution_revoke_lease(c, eid, lease_id, reason, nil, ud, out) end,
             function(op)
               local it = items(op)
               return { outcome = text(op), lease_id = it[1], lease_epoch = it[1] and int(op) or nil }
             end)
end

function Client:lanes()
  return call_op(self, "ff_lanes_list", self:native())
end

function Client:lane_counts(lane)
  return call_op(self, "ff_lane_counts", self:native(), lane)
end

--- One page of a lane's executions in a state: ids, next_cursor ("0" at the end).
function Client:list_lane_page(lane, state, from, count)
  return call_op(self, "ff_execution_list_lane", self:native(), lane, state or "waiting", from or "0", count or 100)
end

--- Every id of a lane in a state (pages through the listing).
function Client:list_lane(lane, state, count)
  local all, cursor = {}, "0"
  repeat
    local ids
    ids, cursor = self:list_lane_page(lane, state, cursor, count)
    for _, id in ipairs(ids) do all[#all + 1] = id end
  until cursor == "0" or cursor == ""
  return all
end

-- ----------------------------------------------------------------- signals
--- Deliver a signal to a waitpoint with its token (from the waitpoint's
--- creator). options: payload (bytes), source_type ("user"),
--- source_identity ("luajit"), idempotency_key. Returns the effect
--- ("resume_condition_satisfied", "appended_to_waitpoint", ...). A bad or
--- foreign token raises InvalidToken.
function Client:signal(eid, waitpoint_id, token, name, options)
  options = options or {}
  text_arg(eid, "execution id")
  text_arg(waitpoint_id, "waitpoint id")
  text_arg(token, "token")
  text_arg(name, "signal name")
  local payload = options.payload or ""
  if type(payload) ~= "string" then
    error(new_error(lib.FF_EINVAL, "payload: expected a string, got " .. type(payload)), 2)
  end
  local source_type = text_arg(options.source_type or "user", "source_type")
  local source_identity = text_arg(options.source_identity or "luajit", "source_identity")
  return call_op(self, "ff_signal_deliver", self:native(), eid, waitpoint_id, token, name, source_type,
                 source_identity, payload, #payload, options.idempotency_key)
end

-- Item records of an op with an item layout: one table of fields per
-- record, stride items each.
local function records(op, stride)
  local it, out = items(op), {}
  for r = 0, #it / stride - 1 do
    local f = {}
    for i = 1, stride do f[i - 1] = it[r * stride + i] end
    out[#out + 1] = f
  end
  return out
end

--- The waitpoints of an execution, oldest first, never their tokens:
--- { {id, key, state, kid, fingerprint, expires_at (unix ms or nil),
--- signal_names = {...}}, ... } (the FF_WAITPOINT_ITEM_* layout).
function Client:waitpoints(eid)
  text_arg(eid, "execution id")
  local c = self:native()
  return run(self, function(ud, out) return lib.ff_execution_waitpoints(c, eid, nil, ud, out) end, function(op)
    local list = {}
    for _, f in ipairs(records(op, lib.FF_WAITPOINT_ITEMS)) do
      local names = {}
      for name in (f[lib.FF_WAITPOINT_ITEM_SIGNAL_NAMES] or ""):gmatch("[^,]+") do names[#names + 1] = name end
      local exp = f[lib.FF_WAITPOINT_ITEM_EXPIRES_AT]
      list[#list + 1] = {
        id = f[lib.FF_WAITPOINT_ITEM_ID], key = f[lib.FF_WAITPOINT_ITEM_KEY], state = f[lib.FF_WAITPOINT_ITEM_STATE],
        kid = f[lib.FF_WAITPOINT_ITEM_KID], fingerprint = f[lib.FF_WAITPOINT_ITEM_FINGERPRINT],
        expires_at = (exp and exp ~= "") and tonumber(exp) or nil, signal_names = names,
      }
    end
    return list
  end)
end

--- Rotate the waitpoint signing key on every partition (secret_hex nil: 32
--- random bytes); tokens of the previous key verify for options.grace
--- seconds more (default 24 h). Returns "rotated" or "noop".
function Client:rotate_secret(kid, secret_hex, options)
  options = options or {}
  text_arg(kid, "key id")
  if secret_hex ~= nil then text_arg(secret_hex, "secret_hex") end
  return call_op(self, "ff_secret_rotate", self:native(), kid, secret_hex, ms(options.grace or 24 * 3600, "grace"))
end

--- The signing key ids (never the secrets): {current_kid, previous = {{kid,
--- expires_at}}, partitions, partitions_disagreeing}.
function Client:secrets()
  return call_op(self, "ff_secret_list", self:native())
end

-- ------------------------------------------------------------------ claims
local Claim = {}
Claim.__index = Claim

local function take_claims(client, op)
  local list = {}
  local out = ffi.new("ff_claim *[1]")
  for i = 0, tonumber(lib.ff_op_claim_count(op)) - 1 do
    check(lib.ff_op_take_claim(op, i, out))
    local p = ffi.gc(out[0], lib.ff_claim_free)
    local len = SIZE()
    local data = lib.ff_claim_payload(p, len)
    list[#list + 1] = setmetatable({
      client = client, p = p,
      execution_id = str(lib.ff_claim_execution_id(p)), kind = str(lib.ff_claim_kind(p)),
      lane = str(lib.ff_claim_lane(p)), namespace = str(lib.ff_claim_namespace(p)),
      attempt_index = tonumber(lib.ff_claim_attempt_index(p)), attempt_id = str(lib.ff_claim_attempt_id(p)),
      lease_id = str(lib.ff_claim_lease_id(p)), lease_epoch = tonumber(lib.ff_claim_lease_epoch(p)),
      payload = (data ~= nil and len[0] > 0) and ffi.string(data, len[0]) or "",
    }, Claim)
  end
  return list
end

--- Claim up to options.batch executions from the lanes; returns a list of
--- claims. options: worker_id, instance_id, lease_ttl (seconds), batch, capabilities.
function Client:claim(lanes, options)
  options = options or {}
  local c = self:native()
  local po = ffi.new("ff_claim_opts *[1]")
  check(lib.ff_claim_opts_new(po))
  local o = po[0]
  local ok, res = pcall(function()
    check(lib.ff_claim_opts_set_worker_id(o, options.worker_id or "luajit-worker"), "worker_id")
    if options.instance_id then check(lib.ff_claim_opts_set_worker_instance_id(o, options.instance_id), "instance_id") end
    for _, l in ipairs(type(lanes) == "table" and lanes or { lanes }) do check(lib.ff_claim_opts_add_lane(o, l), "lane") end
    for _, cap in ipairs(options.capabilities or {}) do check(lib.ff_claim_opts_add_capability(o, cap), "capability") end
    check(lib.ff_claim_opts_set_lease_ttl_ms(o, ms(options.lease_ttl or 30, "lease_ttl")), "lease_ttl")
    check(lib.ff_claim_opts_set_batch(o, options.batch or 1), "batch")
    return run(self, function(ud, out) return lib.ff_lease_claim(c, o, nil, ud, out) end,
               function(op) return take_claims(self, op) end)
  end)
  lib.ff_claim_opts_free(o)
  if not ok then error(res, 2) end
  return res
end

-- Run lease op `fname` on this claim (the arguments after the claim) and
-- return its declared result.
function Claim:_op(fname, ...)
  return call_op(self.client, fname, self.client:native(), self.p, ...)
end

--- Extend the lease by its ttl; returns the new expiry (unix ms).
function Claim:renew()
  return self:_op("ff_lease_renew")
end

function Claim:progress(percent, message)
  return self:_op("ff_lease_progress", percent, message)
end

function Claim:complete(result)
  result = result or ""
  return self:_op("ff_lease_complete", result, #result)
end

--- Fail this attempt; options.retry == false ends it whatever the policy.
function Claim:fail(reason, options)
  options = options or {}
  local flags = options.retry == false and lib.FF_FAIL_NO_RETRY or 0
  return self:_op("ff_lease_fail_with", tostring(reason), options.category, flags)
end

function Claim:cancel(reason)
  return self:_op("ff_lease_cancel", reason)
end

--- Give the execution back until unix time `at` (seconds); nil: claimable
--- now. Returns the time it is parked until (unix ms).
function Claim:delay(at)
  local until_ms = at and ms(at, "delay until") or 0
  return self:_op("ff_lease_delay", until_ms)
end

--- Release the native claim now instead of at garbage collection.
function Claim:free()
  if self.p ~= nil then
    lib.ff_claim_free(ffi.gc(self.p, nil))
    self.p = nil
  end
end

-- ------------------------------------------------------------------ worker
-- Handlers for claimed executions, on the C worker runtime in pull mode:
-- the library claims, renews leases and wakes up on its own I/O thread; Lua
-- pulls the tasks (ff_worker_next_task) and runs the handlers, one at a time
-- on this Lua state. A handler's return value (a string, nil for none)
-- completes the task; an error fails it (retried by the policy), an error
-- from ff.fail(reason, {category, retry = false}) chooses category and retry.
-- Finishing calls are fire-and-forget: the runtime counts their outcome.
local Worker = {}
Worker.__index = Worker

local Task = {}
Task.__index = Task

local TASK_OUT = ffi.typeof("ff_task *[1]")

-- libc's monotonic clock, for idle timeouts (os.time counts whole seconds
-- of the wall clock).
ffi.cdef [[
struct ff_lj_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clock_id, struct ff_lj_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local TS = ffi.new("struct ff_lj_timespec")
local function monotonic()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, TS)
  return tonumber(TS.tv_sec) + tonumber(TS.tv_nsec) / 1e9
end
local PULL_WAIT_MS = 250

--- A failure with a category (and retry = false to end the execution
--- whatever the policy): error(ff.fail("bad input", {category = "input", retry = false})).
function M.fail(reason, options)
  options = options or {}
  return setmetatable({ task_failure = true, reason = tostring(reason), category = options.category or "error",
                        retry = options.retry ~= false }, { __tostring = function(e) return e.reason end })
end

local function new_task(t, client)
  local cl = lib.ff_task_claim(t)
  local len = SIZE()
  local data = lib.ff_claim_payload(cl, len)
  return setmetatable({
    t = t, client = client,
    execution_id = str(lib.ff_claim_execution_id(cl)), kind = str(lib.ff_claim_kind(cl)),
    lane = str(lib.ff_claim_lane(cl)), namespace = str(lib.ff_claim_namespace(cl)),
    attempt_index = tonumber(lib.ff_claim_attempt_index(cl)), attempt_id = str(lib.ff_claim_attempt_id(cl)),
    -- "initial", "retry", "reclaim", "replay" or "resumed" (after a suspend
    -- or wait_children: the same attempt id as before)
    attempt_type = str(lib.ff_claim_attempt_type(cl)),
    lease_id = str(lib.ff_claim_lease_id(cl)), lease_epoch = tonumber(lib.ff_claim_lease_epoch(cl)),
    payload = (data ~= nil and len[0] > 0) and ffi.string(data, len[0]) or "",
  }, Task)
end

-- The native task while it still owes its finishing call.
function Task:_live()
  if self.t == nil then
    error(new_error(lib.FF_EINVAL, "task " .. self.execution_id .. " was already finished"), 3)
  end
  return self.t
end

--- Report progress (0..100); it does not wait for the server.
function Task:progress(percent, message)
  check(lib.ff_task_progress(self:_live(), percent, message, nil, nil, nil), "progress")
end

--- The status that ended the lease (a number), or nil while it is held.
function Task:lost()
  local st = lib.ff_task_lost(self:_live())
  return st ~= 0 and st or nil
end

--- true once the task's finishing call was made (a suspend, or the
--- worker's after the handler returned).
function Task:finished() return self.t == nil end

--- Create a pending waitpoint before suspending: hand its token out now and
--- keep working; signals sent meanwhile are buffered. expires_in: seconds
--- (default 3600). Returns {id, key, token, expires_at (unix ms)}.
function Task:create_waitpoint(key, expires_in)
  text_arg(key, "waitpoint key")
  local t, life = self:_live(), ms(expires_in or 3600, "expires_in")
  return run(self.client, function(ud, out) return lib.ff_task_create_waitpoint(t, key, life, nil, ud, out) end,
             function(op)
               local it = items(op)
               return { id = it[1], key = it[2], token = it[3], expires_at = int(op) }
             end)
end

-- An owned ff_suspend_spec from Task:suspend's arguments.
local function suspend_spec(waitpoints, options)
  if type(waitpoints) == "string" then waitpoints = { waitpoints } end
  if type(waitpoints) ~= "table" or #waitpoints == 0 then
    error(new_error(lib.FF_EINVAL, "suspend needs at least one waitpoint (a key, or one from create_waitpoint)"), 3)
  end
  local ps = ffi.new("ff_suspend_spec *[1]")
  check(lib.ff_suspend_spec_new(ps))
  local s = ps[0]
  local ok, err = pcall(function()
    local condition = options.condition
    for _, w in ipairs(waitpoints) do
      if type(w) == "table" then
        check(lib.ff_suspend_spec_use_pending(s, text_arg(w.id, "pending waitpoint id")), "pending waitpoint")
        -- one pending waitpoint: resume on any signal to it
        if #waitpoints == 1 and condition == nil then condition = { single = { key = w.key } } end
      else
        check(lib.ff_suspend_spec_add_waitpoint(s, text_arg(w, "waitpoint key")), "waitpoint key")
      end
    end
    if condition ~= nil then
      local doc = type(condition) == "string" and condition or (json or require("cjson")).encode(condition)
      check(lib.ff_suspend_spec_set_condition_json(s, doc), "condition")
    end
    if options.timeout then
      check(lib.ff_suspend_spec_set_timeout(s, ms(options.timeout, "timeout"), options.timeout_behavior or "fail"),
            "timeout")
    end
    if options.reason then check(lib.ff_suspend_spec_set_reason(s, options.reason), "reason") end
    if options.idempotency_key then
      check(lib.ff_suspend_spec_set_idempotency_key(s, options.idempotency_key), "idempotency_key")
    end
  end)
  if not ok then lib.ff_suspend_spec_free(s); error(err, 0) end
  return s
end

--- Release the lease and wait for signals: the task's finishing call (its
--- handler's return value is then ignored). waitpoints: a key, or a list of
--- keys of fresh waitpoints and/or waitpoints from create_waitpoint.
--- options: condition (a table or JSON text: single / all_of / count,
--- docs/signals.md; required with several waitpoints), timeout (seconds),
--- timeout_behavior ("fail"), reason, idempotency_key. Returns {outcome,
--- suspension, waitpoints = {{id, key, token}, ...}}; outcome "suspended",
--- or "already_satisfied" (buffered signals matched: the task goes on and
--- still owes a finishing call).
function Task:suspend(waitpoints, options)
  local t = self:_live()
  local s = suspend_spec(waitpoints, options or {})
  local ok, res = pcall(self._release_and_wait, self,
    function(ud, out) return lib.ff_task_suspend(t, s, nil, ud, out) end,
    function(op)
      local list = {}
      for _, f in ipairs(records(op, lib.FF_ITEMS_SUSPEND_STRIDE)) do
        list[#list + 1] = { id = f[lib.FF_ITEMS_SUSPEND_WP_ID], key = f[lib.FF_ITEMS_SUSPEND_KEY],
                            token = f[lib.FF_ITEMS_SUSPEND_TOKEN] }
      end
      return { outcome = text(op), suspension = int(op), waitpoints = list }
    end, function(r) return r.outcome end)
  lib.ff_suspend_spec_free(s)
  if not ok then error(res, 2) end
  return res
end

-- A call that may release the lease (suspend, wait_children): unless it
-- answered "already_satisfied" (outcome(result)) the task is over and the
-- worker makes no finishing call. A refusal raises and leaves the task to
-- the handler. The task calls want cb or out, also on a pull client:
-- future mode.
function Task:_release_and_wait(start, extract, outcome)
  local res = run(self.client, start, extract, true)
  if outcome(res) ~= "already_satisfied" then self.t = nil end
  return res
end

--- options: lanes, concurrency (tasks claimed at once), lease_ttl (seconds),
--- worker_id, instance_id, capabilities, engine (default true), poll_interval.
function M.worker(client, options)
  options = options or {}
  return setmetatable({ client = client, options = options, handlers = {},
                        stats = { completed = 0, failed = 0, suspended = 0, finished = 0 } }, Worker)
end

--- Register the handler of a kind (nil or "*": every kind without its own).
function Worker:task(kind, fn)
  self.handlers[kind or "*"] = fn
  return self
end

function Worker:_start()
  local o = self.options
  local po = ffi.new("ff_worker_opts *[1]")
  check(lib.ff_worker_opts_new(po))
  local wo = po[0]
  local ok, err = pcall(function()
    check(lib.ff_worker_opts_set_pull(wo, 1))
    check(lib.ff_worker_opts_set_worker_id(wo, o.worker_id or "luajit-worker"), "worker_id")
    if o.instance_id then check(lib.ff_worker_opts_set_instance_id(wo, o.instance_id), "instance_id") end
    for _, l in ipairs(o.lanes or { "default" }) do check(lib.ff_worker_opts_add_lane(wo, l), "lane") end
    for _, cap in ipairs(o.capabilities or {}) do check(lib.ff_worker_opts_add_capability(wo, cap), "capability") end
    check(lib.ff_worker_opts_set_concurrency(wo, o.concurrency or 1), "concurrency")
    check(lib.ff_worker_opts_set_lease_ttl_ms(wo, ms(o.lease_ttl or 30, "lease_ttl")), "lease_ttl")
    if o.poll_interval then check(lib.ff_worker_opts_set_poll_ms(wo, ms(o.poll_interval, "poll_interval")), "poll_interval") end
    check(lib.ff_worker_opts_set_engine(wo, o.engine == false and 0 or 1))
    local out = ffi.new("ff_worker *[1]")
    check(lib.ff_worker_new(out, self.client:native(), wo), "worker")
    self.w = out[0]
    check(lib.ff_worker_start(self.w), "worker start")
  end)
  lib.ff_worker_opts_free(wo)
  if not ok then
    if self.w ~= nil then lib.ff_worker_free(self.w); self.w = nil end
    error(err, 0)
  end
end

function Worker:_handle(t)
  local task = new_task(t, self.client)
  local fn = self.handlers[task.kind] or self.handlers["*"]
  local ok, res
  if fn then
    ok, res = pcall(fn, task)
  else
    ok, res = false, M.fail("no handler for kind " .. task.kind, { category = "no_handler" })
  end
  local st
  if task.t == nil then
    -- the handler suspended it: that was its finishing call
    if not ok then io.stderr:write("flowfabric worker: ", task.execution_id, ": after suspending: ", tostring(res), "\n") end
    self.stats.suspended = self.stats.suspended + 1
    self.stats.finished = self.stats.finished + 1
    return
  end
  -- the finishing call frees the native task: a later call on the Lua task
  -- (a handler that kept it) must see it finished, not use the freed pointer
  task.t = nil
  if ok then
    res = res == nil and "" or tostring(res)
    st = lib.ff_task_complete(t, res, #res, nil, nil, nil)
    self.stats.completed = self.stats.completed + 1
  else
    local reason, category, flags = tostring(res), "error", 0
    if type(res) == "table" and res.task_failure then
      reason, category = res.reason, res.category
      if not res.retry then flags = lib.FF_FAIL_NO_RETRY end
    end
    st = lib.ff_task_fail_with(t, reason, category, flags, nil, nil, nil)
    self.stats.failed = self.stats.failed + 1
  end
  self.stats.finished = self.stats.finished + 1
  -- a lost lease refuses the finishing call: the server recovers the execution
  if st ~= 0 and not (status_table.statuses[st] and status_table.statuses[st].group == "lease")
      and st ~= lib.FF_ECANCELED then
    io.stderr:write("flowfabric worker: ", task.execution_id, ": ", tostring(new_error(st)), "\n")
  end
end

--- Begin a graceful stop: no new claims; tasks in flight get grace seconds
--- (default: the lease ttl) to finish.
function Worker:stop(grace)
  if self.w == nil then return end
  self.stopping = true
  check(lib.ff_worker_stop(self.w, ms(grace or self.options.lease_ttl or 30, "grace")), "stop")
end

function Worker:_close()
  if self.w ~= nil then
    lib.ff_worker_free(self.w)
    self.w = nil
  end
end

--- Work on this thread until options.max_tasks finished, or options.idle_timeout
--- seconds passed without a task, or :stop(). Blocks.
function Worker:run(options)
  options = options or {}
  if next(self.handlers) == nil then
    error(new_error(lib.FF_EINVAL, "no handler registered (worker:task(kind, fn))"), 2)
  end
  self:_start()
  local out = TASK_OUT()
  local idle_since = monotonic()
  local ok, err = pcall(function()
    while true do
      local st = lib.ff_worker_next_task(self.w, out, PULL_WAIT_MS)
      if st == 0 then
        idle_since = monotonic()
        self:_handle(out[0])
        if options.max_tasks and self.stats.finished >= options.max_tasks and not self.stopping then self:stop() end
      elseif st == lib.FF_EAGAIN then
        if options.idle_timeout and not self.stopping and monotonic() - idle_since >= options.idle_timeout then
          self:stop()
        end
      elseif st == lib.FF_ECLOSED then
        return
      else
        check(st, "next task")
      end
    end
  end)
  self:_close()
  if not ok then error(err, 0) end
end

--- Work from an event loop (luv): the loop watches ff_worker_next_fd and each
--- task runs in its own coroutine (its handler's client calls yield to the
--- loop). on_stopped() is called once the worker has stopped.
function Worker:start_on(loop, on_stopped)
  if next(self.handlers) == nil then
    error(new_error(lib.FF_EINVAL, "no handler registered (worker:task(kind, fn))"), 2)
  end
  self:_start()
  local out = TASK_OUT()
  local poll = loop.new_poll(lib.ff_worker_next_fd(self.w))
  poll:start("r", function()
    while self.w ~= nil do
      local st = lib.ff_worker_next_task(self.w, out, 0)
      if st == 0 then
        local t = out[0]
        local co = coroutine.create(function() self:_handle(t) end)
        local ok, err = coroutine.resume(co)
        if not ok then io.stderr:write("flowfabric worker: ", tostring(err), "\n") end
      elseif st == lib.FF_ECLOSED then
        poll:stop()
        poll:close()
        self:_close()
        if on_stopped then on_stopped() end
        return
      else
        return
      end
    end
  end)
end

M.Worker = Worker

-- The flow verbs (flowfabric/flows.lua) and the output stream verbs
-- (flowfabric/streams.lua, which also uses the argument checks of flows.lua),
-- on the same internals.
-- Every entry of a paged JSON listing ({list_key = {...}, next_cursor}):
-- start(cursor, ud, out) starts one page's op.
local function all_pages(client, list_key, start)
  local items, cursor = {}, nil
  repeat
    local cur = cursor
    local page = run(client, function(ud, out) return start(cur, ud, out) end, json_doc)
    for _, x in ipairs(page[list_key] or {}) do items[#items + 1] = x end
    cursor = page.next_cursor
  until type(cursor) ~= "string" or cursor == ""
  return items
end

local internals = {
  lib = lib, run = run, all_pages = all_pages, call_op = call_op, check = check, new_error = new_error, text_arg = text_arg,
  with_spec = with_spec, str = str, text = text, int = int, items = items, cursor = cursor, json = json_doc, ms = ms,
  is = M.is, wait_round_ms = WAIT_ROUND_MS, budget_list = budget_list,
  c_strings = c_strings,
}
local checks = require("flowfabric.flows")(Client, Task, internals)
for k, v in pairs(checks) do internals[k] = v end
require("flowfabric.streams")(Client, Task, Claim, internals)
require("flowfabric.budgets")(Client, Claim, Task, internals)
require("flowfabric.quotas")(Client, Task, internals)
require("flowfabric.lanes")(Client, Task, internals)

M.Client = Client
M.Claim = Claim
return M
