/* GENERATED from bindings/gen/keys.def by bindings/gen/gen_keys.py - do not edit.
 * The key and channel names of the server library, for the C side (the Lua
 * builders of lua/lib/20_keys.lua come from the same file). Builders write
 * the name into buf and return its length, or -1 when it does not fit in
 * cap bytes (buf then holds a truncated name). */
#ifndef FF_PROTO_KEYS_H
#define FF_PROTO_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define FF__KEY_CONFIG "ff:config"
#define FF__KEY_ENGINES "ff:{e}:engines"
#define FF__KEY_ENGINES_INFO "ff:{e}:info"

/* ff:e:{eid} */
int ff__key_core(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:p */
int ff__key_payload(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:r */
int ff__key_result(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:t */
int ff__key_tags(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:a */
int ff__key_attempts(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:pol */
int ff__key_policy(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:susp */
int ff__key_susp(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:sat */
int ff__key_sat(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:wps */
int ff__key_wps(char *buf, size_t cap, const char *eid);
/* ff:e:{eid}:sigs */
int ff__key_sigs(char *buf, size_t cap, const char *eid);
/* ff:sdedup:{eid}:{idem} */
int ff__key_sdedup(char *buf, size_t cap, const char *eid, const char *idem);
/* ff:e:{eid}:cf */
int ff__key_child_flows(char *buf, size_t cap, const char *eid);
/* ff:i:{T}:{lane}:{state} */
int ff__key_lane(char *buf, size_t cap, uint32_t part, const char *lane, const char *state);
/* ff:i:{T}:{index} */
int ff__key_pindex(char *buf, size_t cap, uint32_t part, const char *index);
/* ff:i:{T}:all */
int ff__key_all(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:lanes */
int ff__key_lanes(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:lanes_paused */
int ff__key_lanes_paused(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:lanes_conf */
int ff__key_lanes_conf(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:lease_expiry */
int ff__key_lease_expiry(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:attempt_timeout */
int ff__key_attempt_timeout(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:deadline */
int ff__key_deadline(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:due */
int ff__key_due(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:suspended */
int ff__key_psusp(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:susp_timeout */
int ff__key_susp_timeout(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:wp_expiry */
int ff__key_wp_expiry(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:quarantine */
int ff__key_quarantine(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:quarantine:why */
int ff__key_quarantine_why(char *buf, size_t cap, uint32_t part);
/* ff:wp:{T}:{wpid} */
int ff__key_wp(char *buf, size_t cap, uint32_t part, const char *wpid);
/* ff:sig:{T}:{sigid} */
int ff__key_sig(char *buf, size_t cap, uint32_t part, const char *sigid);
/* ff:sigdedup:{T}:{wpid}:{idem} */
int ff__key_sigdedup(char *buf, size_t cap, uint32_t part, const char *wpid, const char *idem);
/* ff:sec:{T} */
int ff__key_sec(char *buf, size_t cap, uint32_t part);
/* The partition of a name "ff:sec:{T}" (canonical decimal N, no tail):
 * 0 and *part, or -1 when name is not one. */
int ff__key_sec_parse(const char *name, uint32_t *part);
/* ff:wake:{T} */
int ff__chan_wake(char *buf, size_t cap, uint32_t part);
/* The partition of a name "ff:wake:{T}" (canonical decimal N, no tail):
 * 0 and *part, or -1 when name is not one. */
int ff__chan_wake_parse(const char *name, uint32_t *part);
/* ff:due:{T} */
int ff__chan_due(char *buf, size_t cap, uint32_t part);
/* The partition of a name "ff:due:{T}" (canonical decimal N, no tail):
 * 0 and *part, or -1 when name is not one. */
int ff__chan_due_parse(const char *name, uint32_t *part);
/* ff:done:{T} */
int ff__chan_done(char *buf, size_t cap, uint32_t part);
/* The partition of a name "ff:done:{T}" (canonical decimal N, no tail):
 * 0 and *part, or -1 when name is not one. */
int ff__chan_done_parse(const char *name, uint32_t *part);
/* ff:f:{fid} */
int ff__key_flow(char *buf, size_t cap, const char *fid);
/* ff:f:{fid}:m */
int ff__key_flow_members(char *buf, size_t cap, const char *fid);
/* ff:f:{fid}:edges */
int ff__key_flow_edges(char *buf, size_t cap, const char *fid);
/* ff:f:{fid}:e:{edge} */
int ff__key_flow_edge(char *buf, size_t cap, const char *fid, const char *edge);
/* ff:f:{fid}:out:{eid} */
int ff__key_flow_out(char *buf, size_t cap, const char *fid, const char *eid);
/* ff:f:{fid}:in:{eid} */
int ff__key_flow_in(char *buf, size_t cap, const char *fid, const char *eid);
/* ff:f:{fid}:g:{eid} */
int ff__key_flow_group(char *buf, size_t cap, const char *fid, const char *eid);
/* ff:i:{T}:flows */
int ff__key_flows(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:flow_backlog */
int ff__key_flow_backlog(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:flow_sib_backlog */
int ff__key_flow_sib_backlog(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:flows_ended */
int ff__key_flows_ended(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:flow_feed */
int ff__key_flow_feed(char *buf, size_t cap, uint32_t part);
/* ff:e:{eid}:s:{ai} */
int ff__key_stream(char *buf, size_t cap, const char *eid, const char *ai);
/* ff:e:{eid}:s:{ai}:m */
int ff__key_stream_meta(char *buf, size_t cap, const char *eid, const char *ai);
/* ff:e:{eid}:s:{ai}:sum */
int ff__key_stream_summary(char *buf, size_t cap, const char *eid, const char *ai);
/* ff:b:{B}:{bid} */
int ff__key_budget(char *buf, size_t cap, uint32_t bpart, const char *bid);
/* ff:b:{B}:{bid}:lim */
int ff__key_budget_limits(char *buf, size_t cap, uint32_t bpart, const char *bid);
/* ff:b:{B}:{bid}:use */
int ff__key_budget_usage(char *buf, size_t cap, uint32_t bpart, const char *bid);
/* ff:b:{B}:{bid}:led:{eid} */
int ff__key_budget_ledger(char *buf, size_t cap, uint32_t bpart, const char *bid, const char *eid);
/* ff:b:{B}:{bid}:leds */
int ff__key_budget_ledgers(char *buf, size_t cap, uint32_t bpart, const char *bid);
/* ff:b:{B}:{bid}:dd:{key} */
int ff__key_budget_dedup(char *buf, size_t cap, uint32_t bpart, const char *bid, const char *key);
/* ff:i:{B}:budgets */
int ff__key_budgets(char *buf, size_t cap, uint32_t bpart);
/* ff:i:{B}:budget_resets */
int ff__key_budget_resets(char *buf, size_t cap, uint32_t bpart);
/* ff:i:{B}:budget_prop */
int ff__key_budget_prop(char *buf, size_t cap, uint32_t bpart);
/* ff:due:{B} */
int ff__chan_bdue(char *buf, size_t cap, uint32_t bpart);
/* The partition of a name "ff:due:{B}" (canonical decimal N, no tail):
 * 0 and *part, or -1 when name is not one. */
int ff__chan_bdue_parse(const char *name, uint32_t *part);
/* ff:i:{T}:budget_marks */
int ff__key_budget_marks(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:budget_wait:{bid} */
int ff__key_budget_wait(char *buf, size_t cap, uint32_t part, const char *bid);
/* ff:i:{T}:quota_timers */
int ff__key_quota_timers(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:quota_lanes */
int ff__key_quota_lanes(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:workers */
int ff__key_workers(char *buf, size_t cap, uint32_t part);
/* ff:i:{T}:worker_names */
int ff__key_worker_names(char *buf, size_t cap, uint32_t part);
/* ff:wk:{T}:{wid} */
int ff__key_worker(char *buf, size_t cap, uint32_t part, const char *wid);
/* ff:wh:{T}:{wid} */
int ff__key_worker_held(char *buf, size_t cap, uint32_t part, const char *wid);
/* ff:wl:{T}:{lane} */
int ff__key_lane_workers(char *buf, size_t cap, uint32_t part, const char *lane);
/* ff:rc:{T}:{lane} */
int ff__key_route_caps(char *buf, size_t cap, uint32_t part, const char *lane);

#endif
