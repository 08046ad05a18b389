/*
 * A worker process is killed with SIGKILL while many tasks are in flight.
 * Another worker (with the engine) reclaims and completes every one of
 * them, exactly once, next to fresh work; the dead worker's fences (and a
 * claim the test holds and abandons) can no longer write anything.
 */
#include "fault.h"

enum { N = 24, FRESH = 6 };

/* The fence of the lease an execution holds now, rebuilt from describe (the
 * test has no access to the victim process's claim handles). */
static ff_claim *fence_of(const char *eid)
{
    ff_op *d = it_describe(C, eid);
    ff_claim *f = NULL;
    FFT_OK(ff_claim_from_fence(&f, eid, (uint32_t)it_ji64(d, "current_attempt.index"),
                               it_jstr(d, "current_attempt.id"), it_jstr(d, "lease.lease_id"),
                               (uint64_t)it_ji64(d, "lease.epoch"), 2000));
    FFT_EQ_STR(it_jstr(d, "lease.worker_id"), "victim");
    ff_op_free(d);
    return f;
}

static int late_write_refused(int st)
{
    return st == FF_LEASE_EXPIRED || st == FF_STALE_LEASE || st == FF_EXECUTION_NOT_ACTIVE;
}

/* A stale fence tries every lease-bound write; all must be refused. */
static void expect_refused(const ff_claim *f, const char *who)
{
    int st[4];
    ff_op *op = IT_OP(ff_lease_complete(C, f, "stale-result", 12, NULL, NULL, OUT));
    st[0] = ff_op_status(op);
    ff_op_free(op);
    op = IT_OP(ff_lease_fail(C, f, "stale failure", "stale", NULL, NULL, OUT));
    st[1] = ff_op_status(op);
    ff_op_free(op);
    op = IT_OP(ff_lease_renew(C, f, NULL, NULL, OUT));
    st[2] = ff_op_status(op);
    ff_op_free(op);
    op = IT_OP(ff_lease_progress(C, f, 99, "stale", NULL, NULL, OUT));
    st[3] = ff_op_status(op);
    ff_op_free(op);
    for (int i = 0; i < 4; i++)
        FFT_CHECK_MSG(late_write_refused(st[i]), "%s: late write #%d of %s finished %s", who, i,
                      ff_claim_execution_id(f), ff_status_name(st[i]));
}

/* Completed exactly once, with the payload as result (the rescuer runs
 * `cat`), by the rescuer. first_worker: who ran (and lost) attempt 0, NULL
 * when the rescuer ran the only attempt. */
static void check_done(const char *eid, const char *payload, const char *first_worker)
{
    ff_op *d = it_check_state(C, eid, "completed", ST_COMPLETED);
    int ok = 0;
    int n = fault_attempts(d, "ended_success", &ok);
    FFT_CHECK_MSG(ok == 1, "%s: %d successful attempts in %s", eid, ok, ff_op_json(d));
    FFT_EQ_STR(fault_attempt_str(d, n - 1, "state"), "ended_success");
    FFT_EQ_STR(fault_attempt_str(d, n - 1, "worker_id"), "rescuer");
    if (first_worker) {
        FFT_CHECK_MSG(n >= 2, "%s: %d attempts", eid, n);
        FFT_EQ_STR(fault_attempt_str(d, 0, "state"), "interrupted_reclaimed");
        FFT_EQ_STR(fault_attempt_str(d, 0, "worker_id"), first_worker);
        FFT_EQ_STR(fault_attempt_str(d, n - 1, "type"), "reclaim");
        FFT_CHECK(it_ji64(d, "counters.reclaim_count") >= 1);
    } else {
        FFT_EQ_INT(n, 1);
    }
    ff_op_free(d);
    ff_op *r = IT_OP(ff_execution_result(C, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(r));
    size_t len = 0;
    const void *b = ff_op_bytes(r, &len);
    FFT_EQ_MEM(b, len, payload, strlen(payload));
    ff_op_free(r);
}

/* The rescuer holds the execution's lease, or already completed it. */
static int rescuer_has(const char *eid)
{
    ff_op *d = it_describe(C, eid);
    const char *w = NULL;
    int held = ff_op_json_str(d, "lease.worker_id", &w) == FF_OK && strcmp(w, "rescuer") == 0;
    int done = strcmp(ff_op_text(d), "completed") == 0;
    ff_op_free(d);
    return held || done;
}

static void test_sigkill_worker_mid_task(void)
{
    fault_fresh_client();
    char lane[96];
    it_lane(lane, sizeof lane, "crash");
    /* One execution the test claims itself and abandons; the rescuer runs
     * its kind slowly, so the test's stale fence meets the rescuer's live
     * lease (stale_lease), then the finished execution (not_active). */
    char abandoned[IT_EID];
    fault_create(C, lane, "slow.kind", "abandoned", abandoned);
    ff_claim_opts *o = it_claim_opts(lane, 1000);
    ff_claim *mine = it_claim_with(C, o);
    ff_claim_opts_free(o);
    FFT_CHECK(mine != NULL);
    FFT_EQ_STR(ff_claim_execution_id(mine), abandoned);
    char ids[N][IT_EID], payload[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(payload[i], sizeof payload[i], "payload-%d", i);
        fault_create(C, lane, "crash.kind", payload[i], ids[i]);
    }

    /* Concurrency N: the victim takes the N executions and nothing more (not
     * the abandoned one once its lease runs out). */
    char conc[16];
    snprintf(conc, sizeof conc, "%d", N);
    const char *victim_args[] = {"worker", "--lane", lane, "--concurrency", conc, "--lease-ttl-ms", "2000",
                                 "--no-engine", "--worker-id", "victim", "-q", "--exec", "sleep 20; cat", NULL};
    pid_t victim = fault_spawn(victim_args);
    FAULT_WAIT(fault_count(C, lane, "active") == N + 1, FAULT_WAIT_MS, "the victim did not claim all %d", N);
    ff_claim *fences[N];
    for (int i = 0; i < N; i++) fences[i] = fence_of(ids[i]);
    fault_kill9(victim); /* N commands in flight */

    /* Fresh work arrives after the crash and is processed normally. */
    char fresh[FRESH][IT_EID], fresh_payload[FRESH][32];
    for (int i = 0; i < FRESH; i++) {
        snprintf(fresh_payload[i], sizeof fresh_payload[i], "fresh-%d", i);
        fault_create(C, lane, "crash.kind", fresh_payload[i], fresh[i]);
    }
    const char *rescuer_args[] = {"worker", "--lane", lane, "--concurrency", "8", "--lease-ttl-ms", "5000",
                                  "--worker-id", "rescuer", "-q", "--exec",
                                  "if [ \"$FF_KIND\" = slow.kind ]; then sleep 4; fi; cat", NULL};
    pid_t rescuer = fault_spawn(rescuer_args);

    /* The abandoned claim: once the rescuer holds the execution, the old
     * fence is stale; once it finished, the execution is not active. */
    FAULT_WAIT(rescuer_has(abandoned), FAULT_WAIT_MS, "the abandoned execution was never reclaimed");
    ff_op *before = it_describe(C, abandoned);
    int64_t epoch_before = it_ji64(before, "lease_epoch");
    int was_active = strcmp(ff_op_text(before), "active") == 0;
    ff_op_free(before);
    ff_op *op = IT_OP(ff_lease_complete(C, mine, "stale-result", 12, NULL, NULL, OUT));
    int st = ff_op_status(op);
    ff_op_free(op);
    ff_op *after = it_describe(C, abandoned);
    printf("abandoned claim's late complete (execution %s, epoch %lld): %s\n", was_active ? "active" : "done",
           (long long)epoch_before, ff_status_name(st));
    if (was_active && strcmp(ff_op_text(after), "active") == 0 && it_ji64(after, "lease_epoch") == epoch_before)
        FFT_EQ_STATUS(st, FF_STALE_LEASE); /* the rescuer's lease was live throughout */
    else
        FFT_CHECK_MSG(late_write_refused(st), "abandoned claim's complete: %s", ff_status_name(st));
    ff_op_free(after);

    FAULT_WAIT(fault_count(C, lane, "completed") == N + 1 + FRESH, 60000, "not everything completed");
    fault_stop(rescuer);

    /* Late writes from the dead worker and from the abandoned claim. */
    for (int i = 0; i < N; i++) {
        expect_refused(fences[i], "victim");
        ff_claim_free(fences[i]);
    }
    expect_refused(mine, "abandoned claim");
    ff_claim_free(mine);

    /* Nothing lost, nothing twice, results untouched by the late writes. */
    for (int i = 0; i < N; i++) check_done(ids[i], payload[i], "victim");
    for (int i = 0; i < FRESH; i++) check_done(fresh[i], fresh_payload[i], NULL);
    check_done(abandoned, "abandoned", "worker");
    FFT_EQ_INT(fault_count(C, lane, "completed"), N + 1 + FRESH);
    FFT_EQ_INT(fault_count(C, lane, "active") + fault_count(C, lane, "waiting") + fault_count(C, lane, "failed") +
                   fault_count(C, lane, "delayed"),
               0);
}

int main(void)
{
    IT_RUN(test_sigkill_worker_mid_task);
    return it_summary("test_worker_crash");
}
