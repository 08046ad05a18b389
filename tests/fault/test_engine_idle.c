/*
 * An engine over an idle deployment sweeps nothing: after the first sweep of
 * each partition (which learns its due time) it only beats its heartbeat, a
 * handful of Redis commands every beat (before: every partition swept every
 * 2 s, ~2,100 commands/s over 256 partitions). A timer created later still
 * reaches it at once (the due message), and costs a sweep or two, not a
 * round over every partition.
 */
#include "fault.h"

static int64_t commands_processed(void)
{
    ff_op *op = it_raw(C, "INFO", "stats", NULL);
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const char *text = ff_op_bytes(op, &len);
    const char *p = strstr(text, "total_commands_processed:");
    FFT_CHECK(p != NULL);
    int64_t n = strtoll(p + strlen("total_commands_processed:"), NULL, 10);
    ff_op_free(op);
    return n;
}

static void test_idle_engine_only_beats(void)
{
    fault_fresh_client();
    uint32_t parts = ff_client_partitions(C);
    ff_client *ec = fft_client_new();
    ff_engine_opts *o = NULL;
    FFT_OK(ff_engine_opts_new(&o));
    FFT_OK(ff_engine_opts_set_ownership_ttl_ms(o, 1500)); /* a beat every 500 ms */
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, ec, o));
    ff_engine_opts_free(o);
    FAULT_WAIT(fault_engine_stat(e, "owned_partitions") == parts && fault_engine_stat(e, "sweeps") >= parts, FAULT_WAIT_MS,
               "the engine never swept its %u partitions once (%lld sweeps)", (unsigned)parts,
               (long long)fault_engine_stat(e, "sweeps"));

    /* The due subscription may be confirmed after the partitions were
     * gained; its confirmation sweeps every partition once more (a due time
     * published in between would otherwise be lost). That happens as soon as
     * the confirmations arrive, so the idle window starts one beat later. */
    int64_t beat0 = fault_engine_stat(e, "heartbeats");
    FAULT_WAIT(fault_engine_stat(e, "heartbeats") >= beat0 + 1, FAULT_WAIT_MS, "the engine stopped beating");
    int64_t sweeps = fault_engine_stat(e, "sweeps"), beats = fault_engine_stat(e, "heartbeats");
    int64_t cmds = commands_processed();
    FAULT_WAIT(fault_engine_stat(e, "heartbeats") >= beats + 4, FAULT_WAIT_MS, "the engine stopped beating");
    int64_t spent = commands_processed() - cmds - 1, nbeats = fault_engine_stat(e, "heartbeats") - beats;
    printf("idle: %lld commands over %lld heartbeats, %lld sweeps\n", (long long)spent, (long long)nbeats,
           (long long)(fault_engine_stat(e, "sweeps") - sweeps));
    FFT_EQ_INT(fault_engine_stat(e, "sweeps"), sweeps);
    /* a beat is FCALL + TIME + ZRANGE + ZADD; generous for a beat in flight */
    FFT_CHECK_MSG(spent <= 6 * (nbeats + 1), "%lld commands over %lld heartbeats", (long long)spent,
                  (long long)nbeats);

    /* A new timer reaches the idle engine by its due message. */
    char lane[96], eid[IT_EID], st[32];
    it_lane(lane, sizeof lane, "idle");
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_delay_ms(s, 300));
    it_create_spec(C, s, eid, st, sizeof st);
    ff_exec_spec_free(s);
    FFT_EQ_STR(st, "delayed");
    /* The engine's counters move when it reads the sweep's reply, after the
     * promotion is already visible in Redis: wait for the counters. */
    FAULT_WAIT(fault_engine_stat(e, "promoted") == 1 && fault_engine_stat(e, "sweeps") > sweeps, FAULT_WAIT_MS,
               "the engine never promoted the delayed execution");
    FFT_EQ_INT(fault_count(C, lane, "waiting"), 1);
    int64_t more = fault_engine_stat(e, "sweeps") - sweeps;
    printf("a delayed execution cost %lld sweeps\n", (long long)more);
    FFT_CHECK(more >= 1 && more <= 4);
    FFT_EQ_INT(fault_engine_stat(e, "promoted"), 1);

    ff_engine_stop(e);
    ff_client_free(ec);
}

int main(void)
{
    IT_RUN(test_idle_engine_only_beats);
    return it_summary("test_engine_idle");
}
