/* The demo's in-process worker: claim in batches, report progress, then
 * complete or fail each attempt as its job's script says. It uses the same
 * public calls a real C worker would (ff_lease_claim / _progress /
 * _complete / _fail), in future mode. */
#include <string.h>

#include "cli/cli_util.h"
#include "demo/demo.h"

#define CLAIM_BATCH 3
#define LEASE_TTL_MS 10000
#define IDLE_SLEEP_MS 50

int demo_is_terminal(const char *s) {
    static const char *const terminal[] = {"completed", "failed", "cancelled", "expired", "skipped"};
    for (size_t i = 0; i < sizeof terminal / sizeof terminal[0]; i++)
        if (strcmp(s, terminal[i]) == 0) return 1;
    return 0;
}

static demo_job *find_job(demo_job *jobs, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(jobs[i].id, id) == 0) return &jobs[i];
    return NULL;
}

static int handle_claim(ff_client *c, demo_job *jobs, size_t njobs, ff_claim *cl) {
    const char *id = ff_claim_execution_id(cl);
    demo_job *job = find_job(jobs, njobs, id);
    uint32_t ai = ff_claim_attempt_index(cl);
    printf("     claim  %-16s attempt %u (%s), lease epoch %llu   %s\n", ff_claim_kind(cl), (unsigned)ai,
           ff_claim_attempt_type(cl), (unsigned long long)ff_claim_lease_epoch(cl), id);
    if (job == NULL) {
        /* Only the demo's own fresh lane is claimed, so this cannot happen
         * unless something else writes to it: say so and fail loudly. */
        cli_error(FF_ERROR, "claimed %s, which the demo did not submit", id);
        return FF_ERROR;
    }
    ff_op *op = NULL;
    int st = cli_wait(ff_lease_progress(c, cl, 50, "halfway there", NULL, NULL, &op), &op, "progress");
    ff_op_free(op);
    op = NULL;
    if (st != FF_OK) return st;

    if (ai < job->fail_attempts) {
        st = cli_wait(ff_lease_fail(c, cl, job->fail_reason, "transient", NULL, NULL, &op), &op, "fail");
        if (st == FF_OK) {
            if (strcmp(ff_op_text(op), "retry_scheduled") == 0)
                printf("            -> failed (transient: %s); retry scheduled after %d ms backoff\n", job->fail_reason,
                       DEMO_BACKOFF_MS);
            else
                printf("            -> failed (transient: %s); no retries left: %s\n", job->fail_reason,
                       ff_op_text(op));
        }
    } else {
        const char *r = job->result ? job->result : "";
        st = cli_wait(ff_lease_complete(c, cl, r, strlen(r), NULL, NULL, &op), &op, "complete");
        if (st == FF_OK) printf("            -> %s, result \"%s\"\n", ff_op_text(op), r);
    }
    ff_op_free(op);
    return st;
}

/* Describe every job (pipelined) and report whether all are terminal. */
static int all_terminal(ff_client *c, demo_job *jobs, size_t n, int *done) {
    ff_op *ops[64] = {0};
    int sts[64];
    if (n > 64) return FF_EINVAL;
    for (size_t i = 0; i < n; i++) sts[i] = ff_execution_describe(c, jobs[i].id, NULL, NULL, &ops[i]);
    int st = FF_OK;
    *done = 1;
    for (size_t i = 0; i < n; i++) {
        int s = cli_wait(sts[i], &ops[i], jobs[i].id);
        if (s != FF_OK)
            st = s;
        else if (!demo_is_terminal(ff_op_text(ops[i])))
            *done = 0;
        ff_op_free(ops[i]);
    }
    return st;
}

static int claim_batch(ff_client *c, const ff_claim_opts *o, demo_job *jobs, size_t njobs, size_t *claimed) {
    ff_op *op = NULL;
    int st = cli_wait(ff_lease_claim(c, o, NULL, NULL, &op), &op, "claim");
    *claimed = 0;
    if (st == FF_OK) {
        size_t n = ff_op_claim_count(op);
        *claimed = n;
        if (n > 0) printf("   batch: %zu claimed in one call\n", n);
        for (size_t i = 0; i < n; i++) {
            ff_claim *cl = NULL;
            if (ff_op_take_claim(op, i, &cl) != FF_OK) continue;
            int s = handle_claim(c, jobs, njobs, cl);
            ff_claim_free(cl);
            if (s != FF_OK && st == FF_OK) st = s;
        }
    }
    ff_op_free(op);
    return st;
}

int demo_work(ff_client *c, const char *lane, demo_job *jobs, size_t njobs, int64_t deadline_mono_ms) {
    ff_claim_opts *o = NULL;
    int st = ff_claim_opts_new(&o);
    if (st == FF_OK) st = ff_claim_opts_set_worker_id(o, "demo-worker");
    if (st == FF_OK) st = ff_claim_opts_add_lane(o, lane);
    if (st == FF_OK) st = ff_claim_opts_set_batch(o, CLAIM_BATCH);
    if (st == FF_OK) st = ff_claim_opts_set_lease_ttl_ms(o, LEASE_TTL_MS);
    if (st != FF_OK) {
        ff_claim_opts_free(o);
        cli_error(st, "cannot build the claim options");
        return st;
    }
    int idle_noted = 0;
    for (;;) {
        if (cli_mono_ms() > deadline_mono_ms) {
            st = FF_ETIMEDOUT;
            break;
        }
        size_t claimed = 0;
        st = claim_batch(c, o, jobs, njobs, &claimed);
        if (st != FF_OK) break;
        if (claimed > 0) {
            idle_noted = 0;
            continue;
        }
        int done = 0;
        st = all_terminal(c, jobs, njobs, &done);
        if (st != FF_OK || done) break;
        if (!idle_noted) {
            /* Nothing claimable yet: retries are sleeping out their backoff.
             * The claim call promotes them once they are due. */
            printf("   (nothing claimable: waiting for retry backoff)\n");
            idle_noted = 1;
        }
        cli_sleep_ms(IDLE_SLEEP_MS);
    }
    ff_claim_opts_free(o);
    return st;
}
