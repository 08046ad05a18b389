/*
 * The engine: the background sweeps that keep executions moving.
 *
 * One sweep call of a partition covers every due timer of that partition
 * (lease expiry -> reclaimable, delayed and retry-backoff promotion, attempt
 * timeout, execution deadline, suspension timeout, pending-waitpoint expiry,
 * terminal retention, index repair), with bounded work per call. A partition
 * is swept when its earliest timer is due, within a few milliseconds: every
 * transition that creates an earlier timer tells the engine (a message on
 * ff:due:{fp:N}), so nothing is swept while nothing is due and an idle engine
 * costs only its heartbeat (about 2 Redis commands per second).
 * Several engines may run at once (in any processes): each derives its share
 * of the partitions from the live engines of the heartbeat registry, so the
 * work is split; an engine that dies loses its partitions to the others
 * within a few seconds. For up to one heartbeat after a membership change
 * two engines may sweep one partition; sweeps are atomic and idempotent, so
 * that never duplicates an effect (a promotion, an expiry happens once).
 *
 * THREADING: the engine runs on its client's I/O thread. ff_engine_start and
 * ff_engine_stop may be called from any thread except that I/O thread (i.e.
 * not from an inline-dispatch callback).
 */
#ifndef FLOWFABRIC_ENGINE_H
#define FLOWFABRIC_ENGINE_H

#include "client.h"

FF_EXTERN_C_BEGIN

typedef struct ff_engine ff_engine;
typedef struct ff_engine_opts ff_engine_opts;

/** Defaults: tick 10 ms, 200 items per partition per sweep, terminal
 *  retention 24 h, membership ttl 6000 ms, random engine id. */
FF_API int ff_engine_opts_new(ff_engine_opts **out);
FF_API void ff_engine_opts_free(ff_engine_opts *o);
/** The shortest interval between two sweeps of one partition, 1 .. 60000 ms:
 *  timers due closer together are handled by one sweep (so one may be up to
 *  this late). */
FF_API int ff_engine_opts_set_tick_ms(ff_engine_opts *o, int64_t ms);
/** 1 .. 1000 items per partition per tick. */
FF_API int ff_engine_opts_set_batch(ff_engine_opts *o, uint32_t n);
/** How long terminal executions are kept before every key is deleted
 *  (>= 0 ms; 0 deletes at the next tick). */
FF_API int ff_engine_opts_set_retention_ms(ff_engine_opts *o, int64_t ms);
/** Membership ttl in the engine registry, 100 .. 600000 ms (default 6000):
 *  the engine beats every third of it, and the partitions of an engine that
 *  died move to the others about this long after its last beat. (The name is
 *  kept from when partitions had ownership leases.) */
FF_API int ff_engine_opts_set_ownership_ttl_ms(ff_engine_opts *o, int64_t ms);
FF_API int ff_engine_opts_set_engine_id(ff_engine_opts *o, const char *id);

/** Start sweeping on @p c's I/O thread. @p opts may be NULL. */
FF_API int ff_engine_start(ff_engine **out, ff_client *c, const ff_engine_opts *opts);
/** Stop sweeping and leave the registry (best effort: the other engines take
 *  the partitions at their next heartbeat), then free. NULL-safe. Must be
 *  called before the client is freed.
 *  @blocking */
FF_API void ff_engine_stop(ff_engine *e);
/** Counters since start, as a JSON object (engine_id, owned_partitions,
 *  live_engines, ticks (heartbeats + sweep rounds), leases_expired, promoted,
 *  attempt_timeouts, deadlines_expired, retained_deleted, repaired, errors,
 *  suspension_timeouts, waitpoints_expired, sweeps (partition sweeps),
 *  heartbeats, last_tick_ms (server time of the last round), tick_ms, ttl_ms,
 *  heartbeat_ms). Caller frees with ff_free(). */
FF_API int ff_engine_stats_json(const ff_engine *e, char **out);
/** Engine id (borrowed, valid until ff_engine_stop). */
FF_API const char *ff_engine_id(const ff_engine *e);

FF_EXTERN_C_END

#endif
