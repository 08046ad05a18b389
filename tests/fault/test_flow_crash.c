/*
 * Worker processes are killed with SIGKILL while flows run (twice: while the
 * roots run, and again later in the DAGs). A rescuer (with the engine)
 * reclaims the interrupted members; every flow settles in the state its
 * shape implies, every member ends, a completed member succeeded exactly
 * once, and nothing stays blocked or running.
 *
 * Shapes (each flow submitted whole with ff_flow_submit):
 *   chain:   a -> b -> c -> d                       completed
 *   failure: a -> x(fails) -> y, a -> z             failed: y skipped
 *   any_of:  a -> b1|b2|b3 -(any_of, cancel)-> d    completed: d ran
 */
#include "fault.h"

enum { FLOWS = 6, MAXM = 5 };
enum { CHAIN, FAILURE, ANYOF };

typedef struct flow {
    int shape, n;
    char id[IT_EID], m[MAXM][IT_EID];
} flow;

static void submit(const char *lane, flow *f) {
    static const char *kinds[3][MAXM] = {{"ok", "ok", "ok", "ok"}, {"ok", "fail", "ok", "ok"}, {"ok", "ok", "ok", "ok", "ok"}};
    f->n = f->shape == ANYOF ? 5 : 4;
    ff_flow_spec *s = NULL;
    FFT_OK(ff_flow_spec_new(&s, NULL, lane, 0, 0));
    for (int i = 0; i < f->n; i++) {
        ff_exec_spec *e = NULL;
        FFT_OK(ff_exec_spec_new(&e, kinds[f->shape][i]));
        FFT_OK(ff_exec_spec_set_lane(e, lane));
        FFT_OK(ff_exec_spec_set_payload(e, "p", 1));
        FFT_OK(ff_flow_spec_add_member(s, e, NULL));
        ff_exec_spec_free(e);
    }
    if (f->shape == CHAIN) {
        for (uint32_t i = 1; i < 4; i++) FFT_OK(ff_flow_spec_add_edge(s, i - 1, i, 0));
    } else if (f->shape == FAILURE) {
        FFT_OK(ff_flow_spec_add_edge(s, 0, 1, 0)); /* a -> x */
        FFT_OK(ff_flow_spec_add_edge(s, 1, 2, 0)); /* x -> y */
        FFT_OK(ff_flow_spec_add_edge(s, 0, 3, 0)); /* a -> z */
    } else {
        for (uint32_t i = 1; i <= 3; i++) {
            FFT_OK(ff_flow_spec_add_edge(s, 0, i, 0));
            FFT_OK(ff_flow_spec_add_edge(s, i, 4, 0));
        }
        FFT_OK(ff_flow_spec_set_group(s, 4, "any_of", 1, "cancel_remaining"));
    }
    ff_op *op = IT_OP(ff_flow_submit(C, s, NULL, NULL, OUT));
    ff_flow_spec_free(s);
    FFT_OK(ff_op_status(op));
    snprintf(f->id, sizeof f->id, "%s", ff_op_text(op));
    for (int i = 0; i < f->n; i++) snprintf(f->m[i], IT_EID, "%s", ff_op_item(op, (size_t)i));
    ff_op_free(op);
}

static void expect_member(const flow *f, int i, const char *want) {
    char got[64];
    fault_state(C, f->m[i], got, sizeof got);
    FFT_CHECK_MSG(strcmp(got, want) == 0, "flow %s (shape %d) member %d is %s, expected %s", f->id, f->shape, i, got,
                  want);
    if (strcmp(want, "completed") == 0) {
        ff_op *d = it_describe(C, f->m[i]);
        int ok = 0;
        fault_attempts(d, "ended_success", &ok);
        FFT_CHECK_MSG(ok == 1, "%s completed by %d attempts", f->m[i], ok);
        ff_op_free(d);
    }
}

static void check(const flow *f) {
    ff_op *w = IT_OP(ff_flow_wait(C, f->id, 60000, NULL, NULL, OUT));
    if (ff_op_status(w) != FF_OK) FFT_FAIL("flow %s did not settle: %s", f->id, ff_status_name(ff_op_status(w)));
    const char *state = ff_op_text(w);
    if (f->shape == CHAIN) {
        FFT_EQ_STR(state, "completed");
        for (int i = 0; i < 4; i++) expect_member(f, i, "completed");
    } else if (f->shape == FAILURE) {
        FFT_EQ_STR(state, "failed");
        expect_member(f, 0, "completed");
        expect_member(f, 1, "failed");
        expect_member(f, 2, "skipped");
        expect_member(f, 3, "completed");
    } else {
        FFT_EQ_STR(state, "completed");
        expect_member(f, 0, "completed");
        expect_member(f, 4, "completed");
        int won = 0;
        for (int i = 1; i <= 3; i++) {
            char got[64];
            fault_state(C, f->m[i], got, sizeof got);
            FFT_CHECK_MSG(strcmp(got, "completed") == 0 || strcmp(got, "cancelled") == 0, "b%d is %s", i, got);
            won += strcmp(got, "completed") == 0;
        }
        FFT_CHECK(won >= 1);
    }
    FFT_EQ_INT(it_ji64(w, "counts.not_ended"), 0);
    ff_op_free(w);
}

static void test_sigkill_workers_while_flows_run(void) {
    fault_fresh_client();
    char lane[96];
    it_lane(lane, sizeof lane, "flowcrash");
    flow flows[FLOWS];
    for (int i = 0; i < FLOWS; i++) {
        flows[i].shape = i % 3;
        submit(lane, &flows[i]);
    }
    const char *script = "sleep 1; if [ \"$FF_KIND\" = fail ]; then exit 3; fi; cat";
    /* first crash: while the roots run */
    const char *victim1[] = {"worker", "--lane", lane, "--concurrency", "16", "--lease-ttl-ms", "2000", "--no-engine",
                             "--worker-id", "victim1", "-q", "--exec", script, NULL};
    pid_t v1 = fault_spawn(victim1);
    FAULT_WAIT(fault_count(C, lane, "active") == FLOWS, FAULT_WAIT_MS, "victim1 did not take the %d roots", FLOWS);
    fault_kill9(v1);
    /* second crash: a worker that gets somewhere first */
    const char *victim2[] = {"worker", "--lane", lane, "--concurrency", "16", "--lease-ttl-ms", "2000",
                             "--worker-id", "victim2", "-q", "--exec", script, NULL};
    pid_t v2 = fault_spawn(victim2);
    FAULT_WAIT(fault_count(C, lane, "completed") >= FLOWS && fault_count(C, lane, "active") > 0, 60000,
               "victim2 made no progress past the roots");
    fault_kill9(v2);
    const char *rescuer[] = {"worker", "--lane", lane, "--concurrency", "16", "--lease-ttl-ms", "5000",
                             "--worker-id", "rescuer", "-q", "--exec",
                             "if [ \"$FF_KIND\" = fail ]; then exit 3; fi; cat", NULL};
    pid_t r = fault_spawn(rescuer);
    for (int i = 0; i < FLOWS; i++) check(&flows[i]);
    fault_stop(r);
    /* the crashes really interrupted work: every root lost its first attempt */
    int reclaimed = 0;
    for (int i = 0; i < FLOWS; i++)
        for (int j = 0; j < flows[i].n; j++) {
            ff_op *d = it_describe(C, flows[i].m[j]);
            int n = 0;
            fault_attempts(d, "interrupted_reclaimed", &n);
            reclaimed += n;
            ff_op_free(d);
        }
    FFT_CHECK_MSG(reclaimed >= FLOWS, "only %d interrupted attempts were reclaimed", reclaimed);
    printf("attempts interrupted by the two SIGKILLs and reclaimed: %d\n", reclaimed);
    /* (blocked members are not in the lane counts: check() saw every member end) */
    FFT_EQ_INT(fault_count(C, lane, "active") + fault_count(C, lane, "waiting") + fault_count(C, lane, "delayed"), 0);
}

int main(void) {
    IT_RUN(test_sigkill_workers_while_flows_run);
    return it_summary("test_flow_crash");
}
