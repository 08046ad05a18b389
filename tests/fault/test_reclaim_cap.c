/*
 * max_reclaim_count: an execution whose worker dies again and again ends
 * failed with reason max_reclaims_exceeded, every lost attempt closed as
 * interrupted_reclaimed, and nothing running it any more.
 */
#include "fault.h"

enum { CAP = 2 };

/* Epoch of the lease the execution holds now (0 when not leased) and the
 * holder's worker id. */
static int64_t held_epoch(const char *eid, char *holder, size_t cap)
{
    ff_op *d = it_describe(C, eid);
    int64_t epoch = 0;
    const char *w = NULL;
    holder[0] = '\0';
    if (ff_op_json_str(d, "lease.worker_id", &w) == FF_OK) {
        snprintf(holder, cap, "%s", w);
        epoch = it_ji64(d, "lease.epoch");
    }
    ff_op_free(d);
    return epoch;
}

static void test_worker_dies_until_the_cap(void)
{
    fault_fresh_client();
    char lane[96], eid[IT_EID];
    it_lane(lane, sizeof lane, "cap");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_payload(s, "doomed", 6));
    FFT_OK(ff_exec_spec_set_limits(s, CAP, -1));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);

    /* Initial attempt + CAP reclaims, each run by a worker that is killed
     * while the command runs. No engine: each new worker's claim finds the
     * expired lease itself. */
    for (int k = 1; k <= CAP + 1; k++) {
        char wid[32], holder[64];
        snprintf(wid, sizeof wid, "doomed-%d", k);
        const char *args[] = {"worker", "--lane", lane, "--lease-ttl-ms", "1000", "--poll-ms", "200", "--no-engine",
                              "--worker-id", wid, "-q", "--exec", "sleep 20", NULL};
        pid_t pid = fault_spawn(args);
        FAULT_WAIT(held_epoch(eid, holder, sizeof holder) == k && strcmp(holder, wid) == 0, FAULT_WAIT_MS,
                   "worker %s never held the lease with epoch %d", wid, k);
        fault_kill9(pid);
    }

    /* A healthy worker arrives: its claim finds the cap reached and fails
     * the execution instead of running it a fourth time. */
    const char *args[] = {"worker", "--lane", lane, "--lease-ttl-ms", "5000", "--poll-ms", "200",
                          "--worker-id", "healthy", "-q", "--exec", "cat", NULL};
    pid_t healthy = fault_spawn(args);
    char st[32];
    FAULT_WAIT((fault_state(C, eid, st, sizeof st), strcmp(st, "failed") == 0), FAULT_WAIT_MS,
               "the execution is %s, not failed", st);
    fault_stop(healthy);

    ff_op *d = it_check_state(C, eid, "failed", ST_FAILED);
    FFT_EQ_STR(it_jstr(d, "failure.reason"), "max_reclaims_exceeded");
    FFT_EQ_STR(it_jstr(d, "failure.category"), "lease_lost");
    FFT_EQ_INT(it_ji64(d, "counters.reclaim_count"), CAP);
    FFT_EQ_INT(it_ji64(d, "counters.total_attempts"), CAP + 1);
    int interrupted = 0;
    FFT_EQ_INT(fault_attempts(d, "interrupted_reclaimed", &interrupted), CAP + 1);
    FFT_EQ_INT(interrupted, CAP + 1); /* every lost attempt is closed */
    for (int i = 0; i <= CAP; i++) {
        char wid[32];
        snprintf(wid, sizeof wid, "doomed-%d", i + 1);
        FFT_EQ_STR(fault_attempt_str(d, i, "type"), i == 0 ? "initial" : "reclaim");
        FFT_EQ_STR(fault_attempt_str(d, i, "worker_id"), wid);
        FFT_EQ_STR(fault_attempt_str(d, i, "failure_reason"), "lease_expired");
    }
    ff_op_free(d);
    FFT_EQ_INT(fault_count(C, lane, "failed"), 1);
    FFT_EQ_INT(fault_count(C, lane, "active") + fault_count(C, lane, "waiting"), 0);
    IT_EXPECT(ff_execution_result(C, eid, NULL, NULL, OUT), FF_EXECUTION_FAILED); /* terminal, no result */
}

int main(void)
{
    IT_RUN(test_worker_dies_until_the_cap);
    return it_summary("test_reclaim_cap");
}
