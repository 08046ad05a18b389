/*
 * Two engines sweep the same deployment: the partitions are split between
 * them (each engine sweeps the share the live set gives it, and the two
 * shares cover every partition), and delayed executions that fall due while
 * the split is still settling are promoted exactly once in total (the sum of
 * both engines' "promoted" counters is exactly K): a brief overlap of two
 * engines on one partition is harmless because sweeps are atomic and
 * idempotent.
 */
#include "fault.h"

enum { LANES = 8, PER_LANE = 6, K = LANES * PER_LANE };

static ff_engine *start(ff_client *c, const char *id)
{
    ff_engine_opts *o = NULL;
    FFT_OK(ff_engine_opts_new(&o));
    FFT_OK(ff_engine_opts_set_engine_id(o, id));
    FFT_OK(ff_engine_opts_set_tick_ms(o, 100));
    FFT_OK(ff_engine_opts_set_ownership_ttl_ms(o, 1000));
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, c, o));
    ff_engine_opts_free(o);
    return e;
}

static int64_t waiting_total(char lanes[LANES][96])
{
    int64_t n = 0;
    for (int l = 0; l < LANES; l++) n += fault_count(C, lanes[l], "waiting");
    return n;
}

static void test_two_engines_no_double_promotion(void)
{
    fault_fresh_client();
    uint32_t parts = ff_client_partitions(C);
    ff_client *c1 = fft_client_new(), *c2 = fft_client_new();
    ff_engine *a = start(c1, "pair-a");
    ff_engine *b = start(c2, "pair-b");

    /* K delayed executions over several lanes (so several partitions), due
     * between 0.3 s and 2.7 s from now: while the two engines are still
     * settling who owns what. */
    char lanes[LANES][96];
    static char ids[K][IT_EID];
    int64_t now = it_server_now_ms(C);
    for (int l = 0; l < LANES; l++) {
        it_lane(lanes[l], sizeof lanes[l], "pair");
        for (int i = 0; i < PER_LANE; i++) {
            ff_exec_spec *s = it_spec(lanes[l]);
            FFT_OK(ff_exec_spec_set_delay_until_ms(s, now + 300 + 50 * (l * PER_LANE + i)));
            char st[32];
            it_create_spec(C, s, ids[l * PER_LANE + i], st, sizeof st);
            FFT_EQ_STR(st, "delayed");
            ff_exec_spec_free(s);
        }
    }
    FAULT_WAIT(waiting_total(lanes) == K, FAULT_WAIT_MS, "only %lld of %d promoted", (long long)waiting_total(lanes),
               K);

    /* Counters are updated when a tick's reply is read: wait until both
     * engines ticked a few more times, then the sum must be exactly K. */
    int64_t ta = fault_engine_stat(a, "ticks"), tb = fault_engine_stat(b, "ticks");
    FAULT_WAIT(fault_engine_stat(a, "ticks") >= ta + 3 && fault_engine_stat(b, "ticks") >= tb + 3, FAULT_WAIT_MS, "engines stopped ticking");
    int64_t pa = fault_engine_stat(a, "promoted"), pb = fault_engine_stat(b, "promoted");
    printf("promoted: pair-a %lld, pair-b %lld (K = %d)\n", (long long)pa, (long long)pb, K);
    FFT_EQ_INT(pa + pb, K);
    FFT_EQ_INT(fault_engine_stat(a, "errors") + fault_engine_stat(b, "errors"), 0);
    for (int i = 0; i < K; i++) it_state(C, ids[i], "waiting", ST_WAITING_FIRST);

    /* The split: both own some, together all, and each engine sweeps exactly
     * the share the registry's live set gives it. */
    uint32_t total = 0;
    FAULT_WAIT(fault_owned_by(C, "pair-a", &total) > 0 && fault_owned_by(C, "pair-b", NULL) > 0 && total == parts &&
                   fault_owned_by(C, "pair-a", NULL) + fault_owned_by(C, "pair-b", NULL) == parts,
               FAULT_WAIT_MS, "ownership never split: pair-a %u, pair-b %u, owned %u of %u",
               (unsigned)fault_owned_by(C, "pair-a", NULL), (unsigned)fault_owned_by(C, "pair-b", NULL),
               (unsigned)total, (unsigned)parts);
    FAULT_WAIT(fault_engine_stat(a, "owned_partitions") + fault_engine_stat(b, "owned_partitions") == parts &&
                   fault_engine_stat(a, "owned_partitions") > 0 && fault_engine_stat(b, "owned_partitions") > 0,
               FAULT_WAIT_MS, "engine counters disagree: %lld + %lld", (long long)fault_engine_stat(a, "owned_partitions"),
               (long long)fault_engine_stat(b, "owned_partitions"));
    FAULT_WAIT(fault_engine_stat(a, "owned_partitions") == fault_owned_by(C, "pair-a", NULL) &&
                   fault_engine_stat(b, "owned_partitions") == fault_owned_by(C, "pair-b", NULL),
               FAULT_WAIT_MS, "an engine sweeps another share than the live set gives it");
    printf("owned: pair-a %lld, pair-b %lld of %u\n", (long long)fault_engine_stat(a, "owned_partitions"),
           (long long)fault_engine_stat(b, "owned_partitions"), (unsigned)parts);
    FFT_EQ_INT(fault_engine_stat(a, "live_engines"), 2);

    ff_engine_stop(a);
    ff_engine_stop(b);
    FFT_EQ_INT(fault_owned_by(C, "pair-a", &total), 0);
    FFT_EQ_INT(total, 0);
    ff_client_free(c1);
    ff_client_free(c2);
}

int main(void)
{
    IT_RUN(test_two_engines_no_double_promotion);
    return it_summary("test_engine_pair");
}
