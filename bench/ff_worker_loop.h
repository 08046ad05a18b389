/*
 * The benchmark's FlowFabric C worker: a no-op worker that claims, "runs"
 * and completes executions of one lane, with at most `concurrency` leases in
 * flight, on its own ff_client and its own thread.
 *
 * This interface is the ONE place that knows how our worker runs; the
 * scenarios in ff_bench.c only use it. Two implementations:
 *   ff_worker_loop.c     (bench/.build/ff_bench, the default) a plain claim
 *                        loop over the public API: ff_lease_claim with a
 *                        batch sized to the free slots + ff_lease_complete,
 *                        polling when idle;
 *   ff_worker_runtime.c  (bench/.build/ff_bench_rt, BENCH_FF_WORKER=runtime)
 *                        the engine's worker runtime (ff_worker: wake-ups,
 *                        lease renewal, slots).
 */
#ifndef FF_BENCH_WORKER_LOOP_H
#define FF_BENCH_WORKER_LOOP_H

#include <stddef.h>
#include <stdint.h>

typedef struct bw_worker bw_worker;

/** Called on the worker's thread once per execution whose completion the
 *  server acknowledged; @p payload is the claimed payload (borrowed). */
typedef void (*bw_done_fn)(void *ud, const void *payload, size_t len, uint64_t done_ns);

typedef struct bw_config {
    const char *url;  /* server URL (redis://host:port) */
    const char *lane; /* lane to claim from */
    int concurrency;  /* max leases held at once (>= 1) */
    /* Claim-loop knobs (ignored by a runtime-backed worker): */
    int refill;           /* issue a claim when >= refill slots are free (or none are busy) */
    int claims_in_flight; /* claim calls allowed in flight at once (>= 1) */
    int poll_min_ms; /* first wait after an empty claim (doubles up to poll_max_ms) */
    int poll_max_ms; /* idle poll interval: the cap of the back-off */
    bw_done_fn on_done;
    void *ud;
    /* Non-NULL: the handler reports usage on this budget once per job
     * (ffb_budget_dims / ffb_budget_deltas of ff_budget_scenarios.h, the
     * execution id as dedup key) under the job's lease, then completes:
     * at once (report_wait 0: fire and forget, the lease check goes out
     * before the completion) or once the report was answered (1). */
    const char *budget_id;
    int report_wait;
} bw_config;

typedef struct bw_stats {
    uint64_t claim_calls;  /* ff_lease_claim calls */
    uint64_t empty_claims; /* of which returned nothing */
    uint64_t claimed;      /* executions claimed */
    uint64_t completed;    /* completions acknowledged */
    uint64_t errors;       /* failed claims / completes */
    int runtime;           /* 1: runtime-backed (the claim counters are 0; see below) */
    uint64_t wakeups;      /* runtime: lane wake-ups received */
    uint64_t polls;        /* runtime: fallback polls */
    uint64_t reports;      /* budget_id: usage reports answered "applied" */
} bw_stats;

/** Connect the worker's client and start its thread, paused. Blocking.
 *  Returns 0, or -1 with a message in @p err. */
int bw_start(bw_worker **out, const bw_config *cfg, char *err, size_t errlen);
/** Let the worker start claiming. */
void bw_go(bw_worker *w);
/** Stop claiming, finish what is in flight, join the thread, free all. */
void bw_stop(bw_worker *w, bw_stats *stats_out);
/** Block until the worker is idle: it holds no lease and found no work
 *  since its last completion (for the claim loop: an empty claim came back
 *  and it sleeps until its next poll). */
void bw_wait_idle(bw_worker *w);
/** How long after becoming idle a job should arrive, at random, so that a
 *  latency sample sees an idle worker at a random phase: the poll interval
 *  for a polling worker, 0 for a worker that is woken up. */
int bw_idle_phase_ms(const bw_config *cfg);
/** Short description of how an idle worker notices new work, for the
 *  report's "note" field. */
const char *bw_mode_note(const bw_config *cfg);

#endif
