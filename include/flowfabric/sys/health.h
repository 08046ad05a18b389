/*
 * Operator-level reads with a weaker stability promise than the rest of the
 * API (see docs/abi.md): what they report may grow as the engine does, and
 * they walk every partition, so they are for tools (ffctl stats, dashboards),
 * not for a hot path. All follow the completion contract in client.h.
 */
#ifndef FLOWFABRIC_SYS_HEALTH_H
#define FLOWFABRIC_SYS_HEALTH_H

#include "../client.h"

FF_EXTERN_C_BEGIN

/** Deployment totals over every partition: ff_op_json() =
 *  {"partitions":N, "leases_held":n, "leases_overdue":n (expired but not
 *  yet turned reclaimable: a steady non-zero value means nothing sweeps),
 *  "quarantined":n (executions set aside because their stored record is
 *  corrupt; list them with ff_execution_list_quarantined), "suspended":n}.
 *  @yields json */
FF_API int ff_deployment_health(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);

/** Executions of one partition set aside as corrupt, oldest first. Items: 3
 *  per entry (execution id, quarantined_at ms, "field=value" that failed).
 *  Cursor paging as ff_execution_list_suspended ("0" = done); count
 *  1..1000. A repaired record returns to its index at the reconciler's next
 *  pass over it.
 *  @yields items FF_ITEMS_LIST_QUARANTINED, cursor */
FF_API int ff_execution_list_quarantined(ff_client *c, uint32_t partition, const char *cursor, uint32_t count,
                                         ff_op_cb cb, void *ud, ff_op **out);

/** The live engines and the partition split they make: ff_op_json() =
 *  {"now": server ms,
 *   "engines": [{"engine_id", "heartbeat_expires_at" (ms),
 *                "last_beat_at" (ms or null), "last_beat_age_ms" (or null),
 *                "stale" (true: missed two heartbeats; its partitions move
 *                once its registration lapses), "owned_partitions",
 *                "stats" (the engine's last report, ff_engine_stats_json's
 *                counters; {} when it stored none)}, ...],
 *   "ownership": {"partitions", "owned", "by_gone_engines" (partitions
 *                 whose owner is stale)}}.
 *  The split is the one every engine derives from the same live set.
 *  @yields json */
FF_API int ff_engine_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
