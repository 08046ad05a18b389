/*
 * Budgets through the C API (budget.h): create idempotence, describe,
 * check-first reports at the exact limits, the lease check and ledger of a
 * claimed execution's report, release, reset, the engine performing a due
 * reset, listing, typed errors, fail-closed on a corrupt limit, flow
 * members inheriting the flow's budgets, and many concurrent reporters
 * never passing a hard limit.
 */
#include <pthread.h>

#include "itest.h"

static ff_budget_spec *spec(int64_t hard, int64_t soft, int64_t interval_ms)
{
    ff_budget_spec *s = NULL;
    FFT_OK(ff_budget_spec_new(&s));
    FFT_OK(ff_budget_spec_set_scope(s, "tenant", "acme"));
    FFT_OK(ff_budget_spec_set_actions(s, "notify", "notify"));
    FFT_OK(ff_budget_spec_set_reset_interval(s, interval_ms));
    FFT_OK(ff_budget_spec_add_dimension(s, "tokens", hard, soft));
    return s;
}

static void create(const char *bid, int64_t hard, int64_t soft, int64_t interval_ms)
{
    ff_budget_spec *s = spec(hard, soft, interval_ms);
    ff_op *op = IT_OP(ff_budget_create(C, bid, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "created");
    ff_op_free(op);
    ff_budget_spec_free(s);
}

/* Report one tokens delta; the outcome into out (cap 32). */
static void report(const ff_claim *cl, const char *bid, int64_t delta, const char *dedup, char *out)
{
    const char *dims[] = {"tokens"};
    ff_op *op = IT_OP(ff_budget_report_usage(C, cl, bid, dims, &delta, 1, dedup, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK) FFT_FAIL("report: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(out, 32, "%s", ff_op_text(op));
    ff_op_free(op);
}

static int64_t usage(const char *bid)
{
    ff_op *op = IT_OP(ff_budget_describe(C, bid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    int64_t v = it_ji64(op, "dimensions.tokens.usage");
    ff_op_free(op);
    return v;
}

static void test_create_describe_idempotent(void)
{
    char bid[64];
    it_lane(bid, sizeof bid, "bud-create");
    create(bid, 100, 80, 0);
    ff_budget_spec *s = spec(999, 0, 0);
    ff_op *op = IT_OP(ff_budget_create(C, bid, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "existing");
    FFT_EQ_INT(ff_op_int(op), 0); /* asked for other limits: not applied */
    ff_op_free(op);
    ff_budget_spec_free(s);
    op = IT_OP(ff_budget_describe(C, bid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(it_jstr(op, "budget_id"), bid);
    FFT_EQ_STR(it_jstr(op, "scope_type"), "tenant");
    FFT_EQ_STR(it_jstr(op, "scope_id"), "acme");
    FFT_EQ_STR(it_jstr(op, "on_hard"), "notify");
    FFT_EQ_INT(it_ji64(op, "dimensions.tokens.hard"), 100);
    FFT_EQ_INT(it_ji64(op, "dimensions.tokens.soft"), 80);
    FFT_EQ_INT(it_ji64(op, "dimensions.tokens.usage"), 0);
    FFT_EQ_INT(it_ji64(op, "next_reset_at"), 0);
    ff_op_free(op);
    /* the listing of its partition has it */
    uint32_t part = ff_budget_partition(C, bid);
    FFT_CHECK(part < ff_client_partitions(C));
    int found = 0;
    char cursor[160] = "";
    do {
        op = IT_OP(ff_budget_list(C, part, cursor, 100, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        for (size_t i = 0; i < ff_op_item_count(op); i++) found |= strcmp(ff_op_item(op, i), bid) == 0;
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
    } while (cursor[0]);
    FFT_CHECK(found);
}

static void test_boundaries_dedup_update(void)
{
    char bid[64], out[32];
    it_lane(bid, sizeof bid, "bud-bound");
    create(bid, 100, 50, 0);
    report(NULL, bid, 50, NULL, out);
    FFT_EQ_STR(out, "applied"); /* equal to soft: no breach */
    report(NULL, bid, 1, NULL, out);
    FFT_EQ_STR(out, "soft_breach");
    report(NULL, bid, 49, "k1", out);
    FFT_EQ_STR(out, "soft_breach"); /* exactly the hard limit: allowed */
    report(NULL, bid, 49, "k1", out);
    FFT_EQ_STR(out, "already_applied");
    const char *dims[] = {"tokens"};
    int64_t one = 1;
    ff_op *op = IT_OP(ff_budget_report_usage(C, NULL, bid, dims, &one, 1, NULL, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "hard_breach");
    FFT_EQ_INT(ff_op_item_count(op), 3);
    FFT_EQ_STR(ff_op_item(op, 0), "tokens");
    FFT_EQ_STR(ff_op_item(op, 1), "100");
    FFT_EQ_STR(ff_op_item(op, 2), "100");
    ff_op_free(op);
    FFT_EQ_INT(usage(bid), 100);
    /* raise the hard limit explicitly: room again */
    ff_budget_spec *s = spec(200, 0, 0);
    op = IT_OP(ff_budget_update(C, bid, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "updated");
    ff_op_free(op);
    ff_budget_spec_free(s);
    report(NULL, bid, 1, NULL, out);
    FFT_EQ_STR(out, "applied");
}

static void test_claimed_report_ledger_and_release(void)
{
    char lane[64], bid[64], eid[IT_EID], out[32];
    it_lane(lane, sizeof lane, "bud-lease");
    it_lane(bid, sizeof bid, "bud-lease");
    create(bid, 1000, 0, 0);
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim(C, lane);
    FFT_CHECK(cl != NULL);
    report(cl, bid, 30, NULL, out);
    FFT_EQ_STR(out, "applied");
    report(NULL, bid, 5, NULL, out); /* not an execution's: no ledger */
    FFT_EQ_INT(usage(bid), 35);
    ff_op *op = IT_OP(ff_budget_describe(C, bid, NULL, NULL, OUT));
    FFT_EQ_INT(it_ji64(op, "executions"), 1);
    ff_op_free(op);
    /* the lease ends: the claim may no longer report, and nothing applies */
    IT_EXPECT(ff_lease_complete(C, cl, "r", 1, NULL, NULL, OUT), FF_OK);
    const char *dims[] = {"tokens"};
    int64_t d = 1;
    IT_EXPECT(ff_budget_report_usage(C, cl, bid, dims, &d, 1, NULL, NULL, NULL, OUT), FF_EXECUTION_NOT_ACTIVE);
    FFT_EQ_INT(usage(bid), 35);
    op = IT_OP(ff_budget_release(C, bid, eid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), "released");
    ff_op_free(op);
    FFT_EQ_INT(usage(bid), 5);
    op = IT_OP(ff_budget_release(C, bid, eid, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "noop");
    ff_op_free(op);
    FFT_EQ_INT(usage(bid), 5);
    ff_claim_free(cl);
}

static void test_reset_and_engine_reset(void)
{
    char bid[64], out[32];
    it_lane(bid, sizeof bid, "bud-reset");
    create(bid, 10, 0, 0);
    report(NULL, bid, 10, NULL, out);
    ff_op *op = IT_OP(ff_budget_reset(C, bid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_STR(ff_op_text(op), ""); /* no interval: no next reset */
    FFT_EQ_INT(ff_op_int(op), 1);
    ff_op_free(op);
    FFT_EQ_INT(usage(bid), 0);
    /* a periodic budget: the engine resets it when due */
    char pid[64];
    it_lane(pid, sizeof pid, "bud-periodic");
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, NULL));
    create(pid, 10, 0, 300);
    report(NULL, pid, 10, NULL, out);
    int64_t until = it_server_now_ms(C) + IT_WAIT_MS;
    for (;;) {
        op = IT_OP(ff_budget_describe(C, pid, NULL, NULL, OUT));
        FFT_OK(ff_op_status(op));
        int64_t resets = it_ji64(op, "reset_count"), use = it_ji64(op, "dimensions.tokens.usage");
        ff_op_free(op);
        if (resets >= 1) {
            /* reset: usage back to 0 (a later report may have refilled it: none here) */
            FFT_EQ_INT(use, 0);
            break;
        }
        FFT_CHECK_MSG(it_server_now_ms(C) < until, "the engine never reset the budget");
        usleep(20000);
    }
    ff_engine_stop(e);
}

static void test_typed_errors_and_corrupt(void)
{
    char bid[64], key[200];
    it_lane(bid, sizeof bid, "bud-err");
    ff_budget_spec *s = spec(10, 0, 0);
    FFT_EQ_STATUS(ff_budget_create(C, "bad id", s, NULL, NULL, OUT), FF_EINVAL);
    FFT_EQ_STATUS(ff_budget_spec_add_dimension(s, "tokens", 1, 0), FF_EINVAL); /* twice */
    FFT_EQ_STATUS(ff_budget_spec_add_dimension(s, "x", 5, 9), FF_EINVAL);
    FFT_EQ_STATUS(ff_budget_spec_set_actions(s, "explode", NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_budget_spec_set_reset_interval(s, -1), FF_EINVAL);
    FFT_OK(ff_budget_spec_set_scope(s, "planet", ""));
    IT_EXPECT(ff_budget_create(C, bid, s, NULL, NULL, OUT), FF_INVALID_BUDGET_SCOPE);
    ff_budget_spec_free(s);
    IT_EXPECT(ff_budget_describe(C, bid, NULL, NULL, OUT), FF_BUDGET_NOT_FOUND);
    const char *dims[] = {"tokens"};
    int64_t d = 1, neg = -1;
    FFT_EQ_STATUS(ff_budget_report_usage(C, NULL, bid, dims, &neg, 1, NULL, NULL, NULL, OUT), FF_EINVAL);
    FFT_EQ_STATUS(ff_budget_report_usage(C, NULL, bid, dims, &d, 0, NULL, NULL, NULL, OUT), FF_EINVAL);
    IT_EXPECT(ff_budget_report_usage(C, NULL, bid, dims, &d, 1, NULL, NULL, NULL, OUT), FF_BUDGET_NOT_FOUND);
    /* a corrupt limit fails closed: refused, nothing applied */
    create(bid, 10, 0, 0);
    snprintf(key, sizeof key, "ff:b:{b:%u}:%s:lim", (unsigned)ff_budget_partition(C, bid), bid);
    ff_op *op = it_raw(C, "HSET", key, "h:tokens", "many", NULL);
    ff_op_free(op);
    op = IT_OP(ff_budget_report_usage(C, NULL, bid, dims, &d, 1, NULL, NULL, NULL, OUT));
    FFT_EQ_INT(ff_op_status(op), FF_CORRUPT_RECORD);
    FFT_CHECK(ff_op_detail_count(op) >= 2);
    FFT_EQ_STR(ff_op_detail(op, 1), "h:tokens");
    ff_op_free(op);
    snprintf(key, sizeof key, "ff:b:{b:%u}:%s:use", (unsigned)ff_budget_partition(C, bid), bid);
    op = it_raw(C, "HGET", key, "tokens", NULL);
    FFT_EQ_INT(ff_op_reply_type(op), FF_REPLY_NIL);
    ff_op_free(op);
}

/* Wait until the engine propagated every state change of budget bid. */
static void wait_propagated(const char *bid)
{
    char key[80];
    snprintf(key, sizeof key, "ff:i:{b:%u}:budget_prop", (unsigned)ff_budget_partition(C, bid));
    int64_t until = it_server_now_ms(C) + IT_WAIT_MS;
    for (;;) {
        ff_op *op = it_raw(C, "ZSCORE", key, bid, NULL);
        int gone = ff_op_reply_type(op) == FF_REPLY_NIL;
        ff_op_free(op);
        if (gone) return;
        FFT_CHECK_MSG(it_server_now_ms(C) < until, "the engine never propagated budget %s", bid);
        usleep(10000);
    }
}

static const char *public_state(const char *eid, char *buf, size_t cap)
{
    ff_op *op = it_describe(C, eid);
    snprintf(buf, cap, "%s", it_jstr(op, "public_state"));
    ff_op_free(op);
    return buf;
}

static void test_block_and_unblock_through_the_engine(void)
{
    char lane[64], bid[64], a[IT_EID], b[IT_EID], out[32], ps[32];
    it_lane(lane, sizeof lane, "bud-block");
    it_lane(bid, sizeof bid, "bud-block");
    ff_budget_spec *s = spec(10, 0, 0);
    FFT_OK(ff_budget_spec_set_actions(s, "block", NULL));
    ff_op *op = IT_OP(ff_budget_create(C, bid, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_budget_spec_free(s);
    ff_exec_spec *es = it_spec(lane);
    FFT_OK(ff_exec_spec_add_budget(es, bid));
    FFT_EQ_STATUS(ff_exec_spec_add_budget(es, bid), FF_EINVAL); /* twice */
    FFT_OK(ff_exec_spec_set_priority(es, 5)); /* a before b in the eligible order, whatever the clock */
    it_create_spec(C, es, a, NULL, 0);
    FFT_OK(ff_exec_spec_set_priority(es, 0));
    it_create_spec(C, es, b, NULL, 0);
    ff_exec_spec_free(es);
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, NULL));
    report(NULL, bid, 10, NULL, out); /* at the hard limit: blocked */
    FFT_EQ_STR(out, "applied");
    wait_propagated(bid);
    /* the claim hands out neither; both wait as rate_limited */
    ff_claim *cl = it_claim(C, lane);
    FFT_CHECK(cl == NULL);
    FFT_EQ_STR(public_state(a, ps, sizeof ps), "rate_limited");
    FFT_EQ_STR(public_state(b, ps, sizeof ps), "rate_limited");
    it_state(C, a, "rate_limited", NULL);
    op = IT_OP(ff_lane_counts(C, lane, NULL, NULL, OUT));
    FFT_EQ_INT(it_ji64(op, "rate_limited"), 2);
    ff_op_free(op);
    op = IT_OP(ff_execution_list_lane(C, lane, "rate_limited", NULL, 10, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_item_count(op), 2 * FF_ITEMS_LIST_LANE_STRIDE);
    ff_op_free(op);
    /* a reset makes room: both return by themselves, in their order */
    op = IT_OP(ff_budget_reset(C, bid, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    wait_propagated(bid);
    cl = it_claim(C, lane);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), a);
    ff_claim_free(cl);
    cl = it_claim(C, lane);
    FFT_CHECK(cl != NULL);
    FFT_EQ_STR(ff_claim_execution_id(cl), b);
    ff_claim_free(cl);
    ff_engine_stop(e);
}

/* A flow's budgets: members that join at create (ff_exec_spec_set_flow) and
 * members of an ff_flow_submit draw on them besides their own, so the
 * budget's block holds them back. */
static void test_flow_members_inherit_budgets(void)
{
    char lane[64], bid[64], fid[IT_EID], m1[IT_EID], out[32], ps[32];
    it_lane(lane, sizeof lane, "bud-flow");
    it_lane(bid, sizeof bid, "bud-flow");
    ff_budget_spec *s = spec(10, 0, 0);
    FFT_OK(ff_budget_spec_set_actions(s, "block", NULL));
    ff_op *op = IT_OP(ff_budget_create(C, bid, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    ff_budget_spec_free(s);

    /* bad lists are refused before sending */
    const char *twice[] = {bid, bid};
    op = NULL;
    FFT_EQ_STATUS(ff_flow_create_with_budgets(C, NULL, lane, 0, 0, twice, 2, NULL, NULL, &op), FF_EINVAL);
    const char *bad[] = {"a b"};
    FFT_EQ_STATUS(ff_flow_create_with_budgets(C, NULL, lane, 0, 0, bad, 1, NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);

    const char *list[] = {bid};
    op = IT_OP(ff_flow_create_with_budgets(C, NULL, lane, 0, 0, list, 1, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    FFT_EQ_INT(ff_op_kind(op), FF_OP_KIND_FLOW_CREATE_WITH_BUDGETS);
    snprintf(fid, sizeof fid, "%s", ff_op_text(op));
    ff_op_free(op);
    ff_exec_spec *es = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(es, fid));
    it_create_spec(C, es, m1, NULL, 0);
    ff_exec_spec_free(es);

    /* ff_flow_submit with the same budget */
    ff_flow_spec *fs = NULL;
    FFT_OK(ff_flow_spec_new(&fs, NULL, lane, 0, 0));
    FFT_OK(ff_flow_spec_add_budget(fs, bid));
    FFT_EQ_STATUS(ff_flow_spec_add_budget(fs, bid), FF_EINVAL); /* twice */
    es = it_spec(lane);
    FFT_OK(ff_flow_spec_add_member(fs, es, NULL));
    ff_exec_spec_free(es);
    op = IT_OP(ff_flow_submit(C, fs, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    char m2[IT_EID];
    snprintf(m2, sizeof m2, "%s", ff_op_item(op, FF_ITEMS_FLOW_SUBMIT_EID));
    ff_op_free(op);
    ff_flow_spec_free(fs);

    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, C, NULL));
    report(NULL, bid, 10, NULL, out); /* at the hard limit: blocked */
    FFT_EQ_STR(out, "applied");
    wait_propagated(bid);
    ff_claim *cl = it_claim(C, lane);
    FFT_CHECK(cl == NULL);
    FFT_EQ_STR(public_state(m1, ps, sizeof ps), "rate_limited");
    FFT_EQ_STR(public_state(m2, ps, sizeof ps), "rate_limited");
    ff_engine_stop(e);
}

#define THREADS 8
#define PER_THREAD 60
#define DELTA 7
#define HARD 1000

typedef struct reporter {
    const char *bid;
    int applied;
    int ok;
} reporter;

static void *report_loop(void *arg)
{
    reporter *r = arg;
    ff_client *c = fft_client_new();
    const char *dims[] = {"tokens"};
    int64_t d = DELTA;
    r->ok = 1;
    for (int i = 0; i < PER_THREAD; i++) {
        ff_op *op = NULL;
        if (ff_budget_report_usage(c, NULL, r->bid, dims, &d, 1, NULL, NULL, NULL, &op) != FF_OK ||
            ff_op_wait(op, IT_WAIT_MS) != FF_OK || ff_op_status(op) != FF_OK) {
            r->ok = 0;
            ff_op_free(op);
            break;
        }
        if (strcmp(ff_op_text(op), "applied") == 0) r->applied++;
        ff_op_free(op);
    }
    ff_client_free(c);
    return NULL;
}

static void test_concurrent_reporters_never_exceed_hard(void)
{
    char bid[64];
    it_lane(bid, sizeof bid, "bud-race");
    create(bid, HARD, 0, 0);
    pthread_t t[THREADS];
    reporter r[THREADS];
    for (int i = 0; i < THREADS; i++) {
        r[i] = (reporter){bid, 0, 0};
        FFT_EQ_INT(pthread_create(&t[i], NULL, report_loop, &r[i]), 0);
    }
    int applied = 0;
    for (int i = 0; i < THREADS; i++) {
        FFT_EQ_INT(pthread_join(t[i], NULL), 0);
        FFT_CHECK(r[i].ok);
        applied += r[i].applied;
    }
    /* THREADS * PER_THREAD * DELTA = 3360 asked for; exactly floor(1000/7) fit */
    FFT_EQ_INT(applied, HARD / DELTA);
    FFT_EQ_INT(usage(bid), (HARD / DELTA) * DELTA);
}

/* A running task learns of a breach from its task: ff_task_budget_breached
 * holds the worst answer of the reports made through it. */
static void test_task_reports_and_learns_of_a_breach(void)
{
    char bid[64], lane[64], eid[IT_EID];
    snprintf(bid, sizeof bid, "task-%d-%ld", (int)getpid(), (long)it_server_now_ms(C));
    create(bid, 10, 5, 0);
    it_lane(lane, sizeof lane, "bud-task");
    it_create(C, lane, 0, eid);
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_pull(o, 1));
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, C, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_start(w));
    ff_task *t = NULL;
    FFT_OK(ff_worker_next_task(w, &t, IT_WAIT_MS));
    FFT_EQ_INT(ff_task_budget_breached(t), 0);
    const char *dims[] = {"tokens"};
    int64_t d = 4;
    ff_op *op = IT_OP(ff_task_report_usage(t, bid, dims, &d, 1, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "applied");
    ff_op_free(op);
    FFT_EQ_INT(ff_task_budget_breached(t), 0);
    d = 2; /* 6 > soft 5 */
    op = IT_OP(ff_task_report_usage(t, bid, dims, &d, 1, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "soft_breach");
    ff_op_free(op);
    FFT_EQ_INT(ff_task_budget_breached(t), FF_TASK_BUDGET_SOFT);
    d = 5; /* 11 > hard 10: nothing applied */
    op = IT_OP(ff_task_report_usage(t, bid, dims, &d, 1, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "hard_breach");
    ff_op_free(op);
    FFT_EQ_INT(ff_task_budget_breached(t), FF_TASK_BUDGET_HARD);
    d = 1; /* a later smaller answer does not lower it */
    op = IT_OP(ff_task_report_usage(t, bid, dims, &d, 1, NULL, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "soft_breach");
    ff_op_free(op);
    FFT_EQ_INT(ff_task_budget_breached(t), FF_TASK_BUDGET_HARD);
    FFT_EQ_INT(ff_task_report_usage(NULL, bid, dims, &d, 1, NULL, NULL, NULL, NULL), FF_EINVAL);
    FFT_EQ_INT(ff_task_budget_breached(NULL), 0);
    /* the spend is the execution's: release gives back exactly 7 */
    op = IT_OP(ff_budget_release(C, bid, eid, NULL, NULL, OUT));
    FFT_EQ_STR(ff_op_text(op), "released");
    ff_op_free(op);
    op = IT_OP(ff_budget_describe(C, bid, NULL, NULL, OUT));
    FFT_EQ_INT(it_ji64(op, "dimensions.tokens.usage"), 0);
    ff_op_free(op);
    IT_EXPECT(ff_task_complete(t, "", 0, NULL, NULL, OUT), FF_OK);
    ff_worker_free(w);
}

int main(void)
{
    IT_RUN(test_create_describe_idempotent);
    IT_RUN(test_boundaries_dedup_update);
    IT_RUN(test_claimed_report_ledger_and_release);
    IT_RUN(test_reset_and_engine_reset);
    IT_RUN(test_typed_errors_and_corrupt);
    IT_RUN(test_block_and_unblock_through_the_engine);
    IT_RUN(test_flow_members_inherit_budgets);
    IT_RUN(test_concurrent_reporters_never_exceed_hard);
    IT_RUN(test_task_reports_and_learns_of_a_breach);
    return it_summary(__FILE__);
}
