/*
 * The worker registry and capability routing (server: lua/workers.lua and
 * lua/lib/78_route.lua; the rules: docs/admission.md, "Capability routing
 * and the worker registry").
 *
 * A worker registers its id, instance, lanes, capabilities and concurrency
 * with a ttl and heartbeats (re-registers) before the ttl runs out; an entry
 * not refreshed in time expires and drops out. The registry is kept on each
 * execution partition the worker's lanes live on, so a claim consults it in
 * its own slot: work whose required capabilities no live worker of the lane
 * has is taken out of the eligible order (blocked_by_route, reason
 * waiting_for_capable_worker, public state "waiting") instead of being
 * skipped at every claim, and it returns to eligible in the call that
 * registers (or heartbeats, or claims for) a worker that has them.
 *
 * All operation functions follow the completion contract in client.h: an
 * error return means the callback never fires; FF_OK means it fires exactly
 * once, never from inside the call. Strings and arrays are copied before the
 * call returns. Each is one FCALL per partition involved, merged.
 */
#ifndef FLOWFABRIC_WORKERS_H
#define FLOWFABRIC_WORKERS_H

#include "client.h"

FF_EXTERN_C_BEGIN

/** Register (or refresh: an idempotent upsert) worker @p worker_id
 *  (1..256 bytes, no control bytes), instance @p instance_id, claiming from
 *  @p lanes (1..64) with capabilities @p caps (0..256 tokens, each as
 *  ff_claim_opts_add_capability takes it; NULL when @p ncaps is 0),
 *  @p concurrency (0..1000000, informational) and registry ttl @p ttl_ms
 *  (1000..86400000; heartbeat every ttl/3). A new instance under the same
 *  id starts a new registration. Route-blocked work of its lanes that it
 *  can run returns to eligible in the same call, at most 500 per partition
 *  per call (a repeat or the worker's claims take the rest). Result:
 *  ff_op_text() = "registered" (new on some partition) or "refreshed";
 *  ff_op_int() = executions returned to eligible.
 *  @yields text, int */
FF_API int ff_worker_register(ff_client *c, const char *worker_id, const char *instance_id, const char *const *lanes,
                              size_t nlanes, const char *const *caps, size_t ncaps, int64_t concurrency,
                              int64_t ttl_ms, ff_op_cb cb, void *ud, ff_op **out);

/** The heartbeat: the same upsert as ff_worker_register (same arguments,
 *  same result), under its own op kind.
 *  @yields text, int */
FF_API int ff_worker_heartbeat(ff_client *c, const char *worker_id, const char *instance_id, const char *const *lanes,
                               size_t nlanes, const char *const *caps, size_t ncaps, int64_t concurrency,
                               int64_t ttl_ms, ff_op_cb cb, void *ud, ff_op **out);

/** The live workers, by id: ff_op_json() = {"workers": [{"worker_id",
 *  "instance_id", "lanes": [...], "capabilities": [...], "concurrency",
 *  "ttl_ms", "registered_at", "last_heartbeat", "expires_at" (ms),
 *  "leases" (leases it holds now, exact, over all partitions)}, ...],
 *  "next_cursor" (null when done)}; only workers of @p lane when it is not
 *  NULL or ""; at most @p count (1..1000) after @p cursor (a worker id;
 *  NULL or "" = from the start). A page may hold fewer than @p count while
 *  more follow. Asks every partition.
 *  @yields json */
FF_API int ff_workers_list(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                           ff_op **out);

/** Remove @p worker_id from the registry now (clean shutdown, or an
 *  operator's verdict): it no longer counts as a capable worker. The leases
 *  it holds are not revoked; they end by completion or expiry as usual.
 *  Result: ff_op_int() = 1 when it was registered, 0 when it was not (not an
 *  error: the call is idempotent).
 *  @yields int */
FF_API int ff_worker_mark_dead(ff_client *c, const char *worker_id, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
