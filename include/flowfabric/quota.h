/*
 * Admission: a lane's quota policy, holding per group, and group pauses
 * (server: lua/quota.lua and lua/lib/58_quota.lua; the rules, what is
 * exact and the fairness bound: docs/admission.md).
 *
 * An execution may carry a group key (ff_exec_spec_set_group: a tenant, a
 * customer, an API account); executions without one form the lane's
 * default group "". A lane's policy then holds per group: at most
 * `concurrency` of the group's executions hold a lease at once (exact: the
 * slot is taken by the claim and freed by the very call that ends or
 * releases the lease, including lease expiry), and at most `rate` of its
 * leases start in any sliding window of `window_ms`. Work that may not
 * start waits outside the eligible order (public state "rate_limited") and
 * returns by itself when a slot frees, the window moves or a pause ends.
 * Inside a lane, groups with work are served round robin.
 *
 * The policy and the counters live on the lane's execution partitions (a
 * group's solo executions all sit on its lane shard), so every call below
 * is one atomic FCALL per lane shard of the lane.
 *
 * All operation functions follow the completion contract in client.h: an
 * error return means the callback never fires; FF_OK means it fires exactly
 * once, never from inside the call. Strings are copied before the call
 * returns. Server refusals carry their detail in ff_op_detail():
 * FF_INVALID_QUOTA_SPEC, FF_QUOTA_ATTACH_CONFLICT (the lane has another
 * policy id: detail = that id), FF_EINVAL, FF_CORRUPT_RECORD (a stored
 * policy that cannot be read: claims of that lane hand out nothing until it
 * is repaired; details = key, field, value).
 */
#ifndef FLOWFABRIC_QUOTA_H
#define FLOWFABRIC_QUOTA_H

#include "client.h"
#include "lease.h"

FF_EXTERN_C_BEGIN

/** Give @p lane its quota policy @p quota_id (1..128 bytes of
 *  [A-Za-z0-9_.:-]): @p rate starts per @p window_ms per group (0 = no rate
 *  limit; window 1..86400000 ms with a rate), @p concurrency leases at once
 *  per group (0 = no cap); not both 0. Idempotent: a repeat keeps the
 *  stored limits. Result: ff_op_text() = "created" or "existing";
 *  ff_op_json() = {"outcome", "same" (the stored limits equal these),
 *  "rate", "window_ms", "concurrency"} (the stored ones).
 *  @yields text, json */
FF_API int ff_quota_create(ff_client *c, const char *lane, const char *quota_id, int64_t rate, int64_t window_ms,
                           int64_t concurrency, ff_op_cb cb, void *ud, ff_op **out);

/** Describe a lane's quota: ff_op_json() = {"lane", "quota_id" (null
 *  without a policy), "rate", "window_ms", "concurrency", "groups": [{"group",
 *  "holders", "window_used", "parked", "paused_until" (ms, 0 = not
 *  paused)}, ...] (byte order), "next_cursor" (null when done)}. One page
 *  of at most @p count (1..1000) groups after @p cursor (NULL or "" = from
 *  the start).
 *  @yields json */
FF_API int ff_quota_describe(ff_client *c, const char *lane, const char *cursor, uint32_t count, ff_op_cb cb,
                             void *ud, ff_op **out);

/** The lanes that have a quota policy: ff_op_json() = {"lanes": [...] (byte
 *  order), "next_cursor" (null when done)}; at most @p count (1..1000) after
 *  @p cursor. Asks every partition.
 *  @yields json */
FF_API int ff_quota_list(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);

/** Pause @p group ("" = the default group) of @p lane until @p until_ms
 *  (server unix ms, after now, within a year): its work is parked, not
 *  failed, and starts again at that time (a longer pause already set is
 *  kept). Result: ff_op_int() = the pause end now stored.
 *  @yields int */
FF_API int ff_group_pause(ff_client *c, const char *lane, const char *group, int64_t until_ms, ff_op_cb cb,
                          void *ud, ff_op **out);

/** End @p group's pause now; its parked work returns to eligible as the
 *  policy allows. Result: ff_op_int() = 1 when the group was paused.
 *  @yields int */
FF_API int ff_group_resume(ff_client *c, const char *lane, const char *group, ff_op_cb cb, void *ud, ff_op **out);

/** The lease holder of @p cl hit a rate limit (an HTTP 429 of the API it
 *  calls): its group is paused until @p until_ms (as ff_group_pause), and
 *  the attempt goes back, parked, without counting as a failure; the next
 *  claim after the pause resumes the same attempt. Result: ff_op_int() =
 *  the group's pause end; ff_op_text() = the group. (For a worker's task:
 *  ff_task_rate_limited, worker.h.)
 *  @yields int, text */
FF_API int ff_lease_rate_limited(ff_client *c, const ff_claim *cl, int64_t until_ms, ff_op_cb cb, void *ud,
                                 ff_op **out);

FF_EXTERN_C_END

#endif
