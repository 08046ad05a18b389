-- 20_keys: key builders. Every key a call touches is built from the hash tag
-- of KEYS[1] (or of the execution id, which must carry the same tag).

local K = {}

-- First balanced {...} of a key, braces included (Redis Cluster hash-tag rule).
function K.tag_of(key)
  if type(key) ~= "string" then return nil end
  local s = string.find(key, "{", 1, true)
  if not s then return nil end
  local e = string.find(key, "}", s + 1, true)
  if not e or e == s + 1 then return nil end
  return string.sub(key, s, e)
end

-- Partition tag "{fp:N}" with canonical N in 0..65535; returns N or nil.
function K.tag_partition(tag)
  local n = tag and string.match(tag, "^{fp:(%d+)}$")
  if not n or #n > 5 or (#n > 1 and string.sub(n, 1, 1) == "0") then return nil end
  local v = tonumber(n)
  if v > 65535 then return nil end
  return v
end

-- Every key and channel name (bindings/gen/keys.def, the one list of them;
-- the C side's src/proto/keys.{h,c} come from it too). The due record
-- K.due(T) (HASH): `at` = the earliest time the engine will look at the
-- partition ("" = nothing scheduled), `ret` = the engine's terminal
-- retention, `by` / `swept` = the last sweep's engine and time. K.quarantine:
-- executions whose core record is corrupt, set aside so they block nobody
-- (ZSET id -> quarantined_at ms), and why (K.quarantine_why, HASH id ->
-- "field=value").
-- generated:keys begin (bindings/gen/gen_keys.py from bindings/gen/keys.def; do not edit by hand)
K.CONFIG = "ff:config"
K.ENGINES = "ff:{e}:engines"
K.ENGINES_INFO = "ff:{e}:info"
function K.core(eid) return "ff:e:" .. eid end
function K.payload(eid) return "ff:e:" .. eid .. ":p" end
function K.result(eid) return "ff:e:" .. eid .. ":r" end
function K.tags(eid) return "ff:e:" .. eid .. ":t" end
function K.attempts(eid) return "ff:e:" .. eid .. ":a" end
function K.policy(eid) return "ff:e:" .. eid .. ":pol" end
function K.susp(eid) return "ff:e:" .. eid .. ":susp" end
function K.sat(eid) return "ff:e:" .. eid .. ":sat" end
function K.wps(eid) return "ff:e:" .. eid .. ":wps" end
function K.sigs(eid) return "ff:e:" .. eid .. ":sigs" end
function K.sdedup(eid, idem) return "ff:sdedup:" .. eid .. ":" .. idem end
function K.child_flows(eid) return "ff:e:" .. eid .. ":cf" end
function K.lane(T, lane, state) return "ff:i:" .. T .. ":" .. lane .. ":" .. state end
function K.pindex(T, index) return "ff:i:" .. T .. ":" .. index end
function K.all(T) return "ff:i:" .. T .. ":all" end
function K.lanes(T) return "ff:i:" .. T .. ":lanes" end
function K.lanes_paused(T) return "ff:i:" .. T .. ":lanes_paused" end
function K.lanes_conf(T) return "ff:i:" .. T .. ":lanes_conf" end
function K.lease_expiry(T) return "ff:i:" .. T .. ":lease_expiry" end
function K.attempt_timeout(T) return "ff:i:" .. T .. ":attempt_timeout" end
function K.deadline(T) return "ff:i:" .. T .. ":deadline" end
function K.due(T) return "ff:i:" .. T .. ":due" end
function K.psusp(T) return "ff:i:" .. T .. ":suspended" end
function K.susp_timeout(T) return "ff:i:" .. T .. ":susp_timeout" end
function K.wp_expiry(T) return "ff:i:" .. T .. ":wp_expiry" end
function K.quarantine(T) return "ff:i:" .. T .. ":quarantine" end
function K.quarantine_why(T) return "ff:i:" .. T .. ":quarantine:why" end
function K.wp(T, wpid) return "ff:wp:" .. T .. ":" .. wpid end
function K.sig(T, sigid) return "ff:sig:" .. T .. ":" .. sigid end
function K.sigdedup(T, wpid, idem) return "ff:sigdedup:" .. T .. ":" .. wpid .. ":" .. idem end
function K.sec(T) return "ff:sec:" .. T end
function K.chan_wake(T) return "ff:wake:" .. T end
function K.chan_due(T) return "ff:due:" .. T end
function K.chan_done(T) return "ff:done:" .. T end
function K.flow(fid) return "ff:f:" .. fid end
function K.flow_members(fid) return "ff:f:" .. fid .. ":m" end
function K.flow_edges(fid) return "ff:f:" .. fid .. ":edges" end
function K.flow_edge(fid, edge) return "ff:f:" .. fid .. ":e:" .. edge end
function K.flow_out(fid, eid) return "ff:f:" .. fid .. ":out:" .. eid end
function K.flow_in(fid, eid) return "ff:f:" .. fid .. ":in:" .. eid end
function K.flow_group(fid, eid) return "ff:f:" .. fid .. ":g:" .. eid end
function K.flows(T) return "ff:i:" .. T .. ":flows" end
function K.flow_backlog(T) return "ff:i:" .. T .. ":flow_backlog" end
function K.flow_sib_backlog(T) return "ff:i:" .. T .. ":flow_sib_backlog" end
function K.flows_ended(T) return "ff:i:" .. T .. ":flows_ended" end
function K.flow_feed(T) return "ff:i:" .. T .. ":flow_feed" end
function K.stream(eid, ai) return "ff:e:" .. eid .. ":s:" .. ai end
function K.stream_meta(eid, ai) return "ff:e:" .. eid .. ":s:" .. ai .. ":m" end
function K.stream_summary(eid, ai) return "ff:e:" .. eid .. ":s:" .. ai .. ":sum" end
function K.budget(B, bid) return "ff:b:" .. B .. ":" .. bid end
function K.budget_limits(B, bid) return "ff:b:" .. B .. ":" .. bid .. ":lim" end
function K.budget_usage(B, bid) return "ff:b:" .. B .. ":" .. bid .. ":use" end
function K.budget_ledger(B, bid, eid) return "ff:b:" .. B .. ":" .. bid .. ":led:" .. eid end
function K.budget_ledgers(B, bid) return "ff:b:" .. B .. ":" .. bid .. ":leds" end
function K.budget_dedup(B, bid, key) return "ff:b:" .. B .. ":" .. bid .. ":dd:" .. key end
function K.budgets(B) return "ff:i:" .. B .. ":budgets" end
function K.budget_resets(B) return "ff:i:" .. B .. ":budget_resets" end
function K.budget_prop(B) return "ff:i:" .. B .. ":budget_prop" end
function K.chan_bdue(B) return "ff:due:" .. B end
function K.budget_marks(T) return "ff:i:" .. T .. ":budget_marks" end
function K.budget_wait(T, bid) return "ff:i:" .. T .. ":budget_wait:" .. bid end
function K.quota_timers(T) return "ff:i:" .. T .. ":quota_timers" end
function K.quota_lanes(T) return "ff:i:" .. T .. ":quota_lanes" end
function K.workers(T) return "ff:i:" .. T .. ":workers" end
function K.worker_names(T) return "ff:i:" .. T .. ":worker_names" end
function K.worker(T, wid) return "ff:wk:" .. T .. ":" .. wid end
function K.worker_held(T, wid) return "ff:wh:" .. T .. ":" .. wid end
function K.lane_workers(T, lane) return "ff:wl:" .. T .. ":" .. lane end
function K.route_caps(T, lane) return "ff:rc:" .. T .. ":" .. lane end
-- generated:keys end

-- Values up to this size are kept inside the core hash; Redis keeps a hash
-- in its compact listpack form only while every value is <= 64 bytes.
K.INLINE_MAX = 64
-- Core field value meaning "stored in its own key" (policy).
K.SPILLED = "@"

-- Idempotency keys are scoped to (namespace, lane). Both may contain ":",
-- so their lengths are part of the key to keep it unambiguous.
function K.idem(T, ns, lane, key)
  return "ff:idem:" .. T .. ":" .. #ns .. ":" .. ns .. ":" .. #lane .. ":" .. lane .. ":" .. key
end

-- The twelve per-lane index states, in reply order ("blocked": flow members
-- waiting for their dependencies, never claimed; lib/75_edges.lua;
-- "budget_blocked": executions a blocked budget holds back, lib/77_budget.lua;
-- "route_blocked": work no live worker is capable of, lib/78_route.lua).
K.LANE_STATES = { "eligible", "delayed", "active", "suspended", "completed",
                  "failed", "cancelled", "expired", "skipped", "blocked", "budget_blocked",
                  "route_blocked" }
K.LANE_STATE_SET = {}
for i = 1, #K.LANE_STATES do K.LANE_STATE_SET[K.LANE_STATES[i]] = true end

-- KEYS[1] partition tag, validated. Returns T or nil.
function K.key_tag(key)
  local T = K.tag_of(key)
  if T == nil or K.tag_partition(T) == nil then return nil end
  return T
end
