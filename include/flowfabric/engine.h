/*
 * The engine: the background sweeps that keep executions moving.
 *
 * One sweep call per owned partition per tick covers every due timer of that
 * partition (lease expiry -> reclaimable, delayed and retry-backoff
 * promotion, attempt timeout, execution deadline, terminal retention, index
 * repair), with bounded work per call, pipelined across partitions.
 * Several engines may run at once (in any processes): partitions are split
 * between them by short ownership leases held on the server; an engine that
 * dies loses its partitions to the others within a few seconds, and no
 * partition is ever swept by two engines at the same time.
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

/** Defaults: tick 250 ms, 200 items per partition per sweep, terminal
 *  retention 24 h, ownership lease 6000 ms, random engine id. A partition is
 *  swept when its earliest timer is due (checked every tick), and at least
 *  every third of the ownership lease. */
FF_API int ff_engine_opts_new(ff_engine_opts **out);
FF_API void ff_engine_opts_free(ff_engine_opts *o);
/** 50 .. 60000 ms. */
FF_API int ff_engine_opts_set_tick_ms(ff_engine_opts *o, int64_t ms);
/** 1 .. 1000 items per partition per tick. */
FF_API int ff_engine_opts_set_batch(ff_engine_opts *o, uint32_t n);
/** How long terminal executions are kept before every key is deleted
 *  (>= 0 ms; 0 deletes at the next tick). */
FF_API int ff_engine_opts_set_retention_ms(ff_engine_opts *o, int64_t ms);
/** Partition ownership lease (raised to >= 4 ticks; default 6000 ms). An
 *  engine that dies loses its partitions after at most this long. */
FF_API int ff_engine_opts_set_ownership_ttl_ms(ff_engine_opts *o, int64_t ms);
FF_API int ff_engine_opts_set_engine_id(ff_engine_opts *o, const char *id);

/** Start sweeping on @p c's I/O thread. @p opts may be NULL. */
FF_API int ff_engine_start(ff_engine **out, ff_client *c, const ff_engine_opts *opts);
/** Stop sweeping and release owned partitions (best effort), then free.
 *  NULL-safe. Must be called before the client is freed. */
FF_API void ff_engine_stop(ff_engine *e);
/** Counters since start, as a JSON object (engine_id, owned_partitions,
 *  live_engines, ticks, leases_expired, promoted, attempt_timeouts,
 *  deadlines_expired, retained_deleted, repaired, errors,
 *  suspension_timeouts, waitpoints_expired, last_tick_ms, tick_ms). Caller
 *  frees with ff_free(). */
FF_API int ff_engine_stats_json(const ff_engine *e, char **out);
/** Engine id (borrowed, valid until ff_engine_stop). */
FF_API const char *ff_engine_id(const ff_engine *e);

FF_EXTERN_C_END

#endif
