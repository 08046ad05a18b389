/*
 * An engine process is killed (SIGKILL, so it leaves nothing) and a new one
 * started: the new engine takes over every partition once the dead one's
 * registration lapses, and the sweeps resume: delayed executions that fell
 * due meanwhile are promoted and expired leases are made reclaimable (a
 * lease expiry is a due time of its own, so nothing waits for a periodic
 * sweep).
 */
#include "fault.h"

enum { DELAYED = 10, LEASED = 4 };

static pid_t start_engine(const char *id)
{
    const char *args[] = {"engine", "--engine-id", id, "--tick-ms", "100", "--ownership-ttl-ms", "1500", "-q", NULL};
    return fault_spawn(args);
}

static void test_engine_killed_and_replaced(void)
{
    fault_fresh_client();
    uint32_t parts = ff_client_partitions(C), total = 0;
    pid_t old = start_engine("eng-old");
    FAULT_WAIT(fault_owned_by(C, "eng-old", &total) == parts, FAULT_WAIT_MS, "eng-old never owned all %u partitions",
               (unsigned)parts);

    /* Work that needs sweeping, all of it due only after the kill. */
    char lane[96];
    it_lane(lane, sizeof lane, "engrst");
    char delayed[DELAYED][IT_EID], leased[LEASED][IT_EID];
    int64_t due = it_server_now_ms(C) + 4000;
    for (int i = 0; i < DELAYED; i++) {
        ff_exec_spec *s = it_spec(lane);
        FFT_OK(ff_exec_spec_set_delay_until_ms(s, due));
        char st[32];
        it_create_spec(C, s, delayed[i], st, sizeof st);
        FFT_EQ_STR(st, "delayed");
        ff_exec_spec_free(s);
    }
    ff_claim_opts *o = it_claim_opts(lane, 3000);
    for (int i = 0; i < LEASED; i++) {
        it_create(C, lane, 0, leased[i]);
        ff_claim *cl = it_claim_with(C, o); /* never renewed, never finished */
        FFT_CHECK(cl != NULL);
        FFT_EQ_STR(ff_claim_execution_id(cl), leased[i]);
        ff_claim_free(cl);
    }
    ff_claim_opts_free(o);
    fault_kill9(old);

    /* With no engine (and nobody claiming) nothing moves, however overdue. */
    FAULT_WAIT(it_server_now_ms(C) > due + 500, FAULT_WAIT_MS, "server clock did not advance");
    FFT_EQ_INT(fault_count(C, lane, "delayed"), DELAYED);
    FFT_EQ_INT(fault_count(C, lane, "active"), LEASED);
    for (int i = 0; i < LEASED; i++) it_state(C, leased[i], "active", ST_RUNNING);

    pid_t fresh = start_engine("eng-new");
    FAULT_WAIT(fault_count(C, lane, "waiting") == DELAYED + LEASED, FAULT_WAIT_MS,
               "sweeps did not resume: %lld delayed, %lld active", (long long)fault_count(C, lane, "delayed"),
               (long long)fault_count(C, lane, "active"));
    for (int i = 0; i < DELAYED; i++) it_state(C, delayed[i], "waiting", ST_WAITING_FIRST);
    for (int i = 0; i < LEASED; i++) {
        ff_op *d = it_check_state(C, leased[i], "active", ST_EXPIRED);
        FFT_EQ_STR(fault_attempt_str(d, 0, "state"), "interrupted_reclaimed");
        FFT_EQ_STR(fault_attempt_str(d, 0, "failure_reason"), "lease_expired");
        ff_op_free(d);
    }
    /* Ownership moved over completely; the dead engine left the registry. */
    FAULT_WAIT(fault_owned_by(C, "eng-new", &total) == parts, FAULT_WAIT_MS,
               "eng-new owns %u of %u partitions", (unsigned)fault_owned_by(C, "eng-new", NULL), (unsigned)parts);
    FFT_EQ_INT(fault_owned_by(C, "eng-old", NULL), 0);
    FAULT_WAIT(!fault_engine_listed(C, "eng-old"), FAULT_WAIT_MS, "eng-old is still listed as live");
    FFT_CHECK(fault_engine_listed(C, "eng-new"));

    /* A graceful stop leaves the registry at once. */
    fault_stop(fresh);
    FFT_EQ_INT(fault_owned_by(C, "eng-new", &total), 0);
    FFT_EQ_INT(total, 0);
}

int main(void)
{
    IT_RUN(test_engine_killed_and_replaced);
    return it_summary("test_engine_restart");
}
