/* Engine internals shared with ffctl and the tests. Not API. */
#ifndef FF_ENGINE_INT_H
#define FF_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/functions.h"
#include "proto/keys.h"
#include "flowfabric/engine.h"

/* A deep copy of engine options (the worker keeps one for its engine);
 * NULL on OOM. */
ff_engine_opts *ff__engine_opts_clone(const ff_engine_opts *o);

/* Which of the live engines ids[0..n) sweeps @p partition: rendezvous
 * (highest random weight) hashing, so every engine and tool derives the same
 * split from the same live set, and a change of membership moves only the
 * partitions of the engine that came or went. Returns an index < n, or n
 * when n == 0. */
size_t ff__engine_owner(const char *const *ids, size_t n, uint32_t partition);

/* Propagate the budget state changes of a ff_budget_sweep reply of budget
 * partition @p bpart (nitems groups of FF_FN_BUDGET_SWEEP_ITEM_STRIDE
 * fields) to execution partitions 0..partitions-1, then confirm them
 * (src/engine/budget_prop.c). I/O thread. On FF_OK done(ud, ok) runs once
 * when it finished (ok = 0: a call failed; the changes stay queued); on an
 * error return it never runs. */
struct ff_rv;
int ff__budget_propagate(ff_client *c, uint32_t bpart, struct ff_rv *const *items, size_t nitems, uint32_t partitions,
                         void (*done)(void *, int), void *ud);

/* The engine registry: live engines by heartbeat expiry, and each engine's
 * last report. */
#define FF__ENGINES_KEY FF__KEY_ENGINES
#define FF__ENGINES_INFO_KEY FF__KEY_ENGINES_INFO

#endif
