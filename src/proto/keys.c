/* GENERATED from bindings/gen/keys.def by bindings/gen/gen_keys.py - do not edit. */
#include "proto/keys.h"

#include <stdio.h>
#include <string.h>

static int fits(int n, size_t cap) { return n >= 0 && (size_t)n < cap ? n : -1; }

/* "<prefix>{fp:N}" (tag "{fp:") or "<prefix>{b:N}" (tag "{b:") -> N: canonical
 * decimal (no sign, no leading zero), fits uint32_t. */
static int parse_tagged(const char *name, const char *prefix, const char *tag, uint32_t *part) {
    size_t plen = strlen(prefix), tlen = strlen(tag);
    if (name == NULL || strncmp(name, prefix, plen) != 0) return -1;
    const char *s = name + plen;
    if (strncmp(s, tag, tlen) != 0) return -1;
    s += tlen;
    if (*s < '0' || *s > '9' || (*s == '0' && s[1] != '}')) return -1;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX) return -1;
    }
    if (s[0] != '}' || s[1] != '\0') return -1;
    *part = (uint32_t)v;
    return 0;
}

int ff__key_core(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s", eid), cap);
}

int ff__key_payload(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:p", eid), cap);
}

int ff__key_result(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:r", eid), cap);
}

int ff__key_tags(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:t", eid), cap);
}

int ff__key_attempts(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:a", eid), cap);
}

int ff__key_policy(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:pol", eid), cap);
}

int ff__key_susp(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:susp", eid), cap);
}

int ff__key_sat(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:sat", eid), cap);
}

int ff__key_wps(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:wps", eid), cap);
}

int ff__key_sigs(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:sigs", eid), cap);
}

int ff__key_sdedup(char *buf, size_t cap, const char *eid, const char *idem) {
    return fits(snprintf(buf, cap, "ff:sdedup:%s:%s", eid, idem), cap);
}

int ff__key_child_flows(char *buf, size_t cap, const char *eid) {
    return fits(snprintf(buf, cap, "ff:e:%s:cf", eid), cap);
}

int ff__key_lane(char *buf, size_t cap, uint32_t part, const char *lane, const char *state) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:%s:%s", (unsigned)part, lane, state), cap);
}

int ff__key_pindex(char *buf, size_t cap, uint32_t part, const char *index) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:%s", (unsigned)part, index), cap);
}

int ff__key_all(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:all", (unsigned)part), cap);
}

int ff__key_lanes(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:lanes", (unsigned)part), cap);
}

int ff__key_lanes_paused(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:lanes_paused", (unsigned)part), cap);
}

int ff__key_lanes_conf(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:lanes_conf", (unsigned)part), cap);
}

int ff__key_lease_expiry(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:lease_expiry", (unsigned)part), cap);
}

int ff__key_attempt_timeout(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:attempt_timeout", (unsigned)part), cap);
}

int ff__key_deadline(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:deadline", (unsigned)part), cap);
}

int ff__key_due(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:due", (unsigned)part), cap);
}

int ff__key_psusp(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:suspended", (unsigned)part), cap);
}

int ff__key_susp_timeout(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:susp_timeout", (unsigned)part), cap);
}

int ff__key_wp_expiry(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:wp_expiry", (unsigned)part), cap);
}

int ff__key_quarantine(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:quarantine", (unsigned)part), cap);
}

int ff__key_quarantine_why(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:quarantine:why", (unsigned)part), cap);
}

int ff__key_wp(char *buf, size_t cap, uint32_t part, const char *wpid) {
    return fits(snprintf(buf, cap, "ff:wp:{fp:%u}:%s", (unsigned)part, wpid), cap);
}

int ff__key_sig(char *buf, size_t cap, uint32_t part, const char *sigid) {
    return fits(snprintf(buf, cap, "ff:sig:{fp:%u}:%s", (unsigned)part, sigid), cap);
}

int ff__key_sigdedup(char *buf, size_t cap, uint32_t part, const char *wpid, const char *idem) {
    return fits(snprintf(buf, cap, "ff:sigdedup:{fp:%u}:%s:%s", (unsigned)part, wpid, idem), cap);
}

int ff__key_sec(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:sec:{fp:%u}", (unsigned)part), cap);
}

int ff__key_sec_parse(const char *name, uint32_t *part) {
    return parse_tagged(name, "ff:sec:", "{fp:", part);
}

int ff__chan_wake(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:wake:{fp:%u}", (unsigned)part), cap);
}

int ff__chan_wake_parse(const char *name, uint32_t *part) {
    return parse_tagged(name, "ff:wake:", "{fp:", part);
}

int ff__chan_due(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:due:{fp:%u}", (unsigned)part), cap);
}

int ff__chan_due_parse(const char *name, uint32_t *part) {
    return parse_tagged(name, "ff:due:", "{fp:", part);
}

int ff__chan_done(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:done:{fp:%u}", (unsigned)part), cap);
}

int ff__chan_done_parse(const char *name, uint32_t *part) {
    return parse_tagged(name, "ff:done:", "{fp:", part);
}

int ff__key_flow(char *buf, size_t cap, const char *fid) {
    return fits(snprintf(buf, cap, "ff:f:%s", fid), cap);
}

int ff__key_flow_members(char *buf, size_t cap, const char *fid) {
    return fits(snprintf(buf, cap, "ff:f:%s:m", fid), cap);
}

int ff__key_flow_edges(char *buf, size_t cap, const char *fid) {
    return fits(snprintf(buf, cap, "ff:f:%s:edges", fid), cap);
}

int ff__key_flow_edge(char *buf, size_t cap, const char *fid, const char *edge) {
    return fits(snprintf(buf, cap, "ff:f:%s:e:%s", fid, edge), cap);
}

int ff__key_flow_out(char *buf, size_t cap, const char *fid, const char *eid) {
    return fits(snprintf(buf, cap, "ff:f:%s:out:%s", fid, eid), cap);
}

int ff__key_flow_in(char *buf, size_t cap, const char *fid, const char *eid) {
    return fits(snprintf(buf, cap, "ff:f:%s:in:%s", fid, eid), cap);
}

int ff__key_flow_group(char *buf, size_t cap, const char *fid, const char *eid) {
    return fits(snprintf(buf, cap, "ff:f:%s:g:%s", fid, eid), cap);
}

int ff__key_flows(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:flows", (unsigned)part), cap);
}

int ff__key_flow_backlog(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:flow_backlog", (unsigned)part), cap);
}

int ff__key_flow_sib_backlog(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:flow_sib_backlog", (unsigned)part), cap);
}

int ff__key_flows_ended(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:flows_ended", (unsigned)part), cap);
}

int ff__key_flow_feed(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:flow_feed", (unsigned)part), cap);
}

int ff__key_stream(char *buf, size_t cap, const char *eid, const char *ai) {
    return fits(snprintf(buf, cap, "ff:e:%s:s:%s", eid, ai), cap);
}

int ff__key_stream_meta(char *buf, size_t cap, const char *eid, const char *ai) {
    return fits(snprintf(buf, cap, "ff:e:%s:s:%s:m", eid, ai), cap);
}

int ff__key_stream_summary(char *buf, size_t cap, const char *eid, const char *ai) {
    return fits(snprintf(buf, cap, "ff:e:%s:s:%s:sum", eid, ai), cap);
}

int ff__key_budget(char *buf, size_t cap, uint32_t bpart, const char *bid) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s", (unsigned)bpart, bid), cap);
}

int ff__key_budget_limits(char *buf, size_t cap, uint32_t bpart, const char *bid) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s:lim", (unsigned)bpart, bid), cap);
}

int ff__key_budget_usage(char *buf, size_t cap, uint32_t bpart, const char *bid) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s:use", (unsigned)bpart, bid), cap);
}

int ff__key_budget_ledger(char *buf, size_t cap, uint32_t bpart, const char *bid, const char *eid) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s:led:%s", (unsigned)bpart, bid, eid), cap);
}

int ff__key_budget_ledgers(char *buf, size_t cap, uint32_t bpart, const char *bid) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s:leds", (unsigned)bpart, bid), cap);
}

int ff__key_budget_dedup(char *buf, size_t cap, uint32_t bpart, const char *bid, const char *key) {
    return fits(snprintf(buf, cap, "ff:b:{b:%u}:%s:dd:%s", (unsigned)bpart, bid, key), cap);
}

int ff__key_budgets(char *buf, size_t cap, uint32_t bpart) {
    return fits(snprintf(buf, cap, "ff:i:{b:%u}:budgets", (unsigned)bpart), cap);
}

int ff__key_budget_resets(char *buf, size_t cap, uint32_t bpart) {
    return fits(snprintf(buf, cap, "ff:i:{b:%u}:budget_resets", (unsigned)bpart), cap);
}

int ff__key_budget_prop(char *buf, size_t cap, uint32_t bpart) {
    return fits(snprintf(buf, cap, "ff:i:{b:%u}:budget_prop", (unsigned)bpart), cap);
}

int ff__chan_bdue(char *buf, size_t cap, uint32_t bpart) {
    return fits(snprintf(buf, cap, "ff:due:{b:%u}", (unsigned)bpart), cap);
}

int ff__chan_bdue_parse(const char *name, uint32_t *part) {
    return parse_tagged(name, "ff:due:", "{b:", part);
}

int ff__key_budget_marks(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:budget_marks", (unsigned)part), cap);
}

int ff__key_budget_wait(char *buf, size_t cap, uint32_t part, const char *bid) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:budget_wait:%s", (unsigned)part, bid), cap);
}

int ff__key_quota_timers(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:quota_timers", (unsigned)part), cap);
}

int ff__key_quota_lanes(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:quota_lanes", (unsigned)part), cap);
}

int ff__key_workers(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:workers", (unsigned)part), cap);
}

int ff__key_worker_names(char *buf, size_t cap, uint32_t part) {
    return fits(snprintf(buf, cap, "ff:i:{fp:%u}:worker_names", (unsigned)part), cap);
}

int ff__key_worker(char *buf, size_t cap, uint32_t part, const char *wid) {
    return fits(snprintf(buf, cap, "ff:wk:{fp:%u}:%s", (unsigned)part, wid), cap);
}

int ff__key_worker_held(char *buf, size_t cap, uint32_t part, const char *wid) {
    return fits(snprintf(buf, cap, "ff:wh:{fp:%u}:%s", (unsigned)part, wid), cap);
}

int ff__key_lane_workers(char *buf, size_t cap, uint32_t part, const char *lane) {
    return fits(snprintf(buf, cap, "ff:wl:{fp:%u}:%s", (unsigned)part, lane), cap);
}

int ff__key_route_caps(char *buf, size_t cap, uint32_t part, const char *lane) {
    return fits(snprintf(buf, cap, "ff:rc:{fp:%u}:%s", (unsigned)part, lane), cap);
}
