/*
 * `ffctl demo`: the end-to-end tour that `make demo` runs. It submits a few
 * scripted executions on a fresh lane, cancels one as the operator, runs an
 * in-process worker until everything is terminal, then checks that each
 * execution ended exactly as scripted (exit 1 otherwise), so the demo is
 * also a smoke test of the whole stack.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"
#include "demo/demo.h"

#define DEMO_TIMEOUT_MS 30000

/* The script. Submission order matters: pager.alert goes in last and must
 * still be claimed first, because of its priority. */
static const demo_job script[] = {
    {.kind = "email.send", .payload = "to=alice@example.com", .result = "sent to alice@example.com",
     .expect = "completed", .expect_attempts = 1},
    {.kind = "thumbnail.render", .payload = "photo-1234.jpg", .result = "thumb 128x128, 4.1 KiB",
     .expect = "completed", .expect_attempts = 1},
    /* Fails its first attempt, succeeds on the retry. */
    {.kind = "flaky.fetch", .payload = "https://feeds.example/rss", .retries = 3, .fail_attempts = 1,
     .fail_reason = "upstream timed out", .result = "fetched 42 items", .expect = "completed", .expect_attempts = 2},
    /* Fails every attempt: one retry, then max_retries is reached -> failed. */
    {.kind = "invoice.charge", .payload = "order=981 amount=12.50", .retries = 1, .fail_attempts = UINT32_MAX,
     .fail_reason = "card processor unavailable", .expect = "failed", .expect_attempts = 2},
    /* Cancelled by the operator before any worker sees it. */
    {.kind = "report.nightly", .payload = "date=yesterday", .operator_cancel = 1, .expect = "cancelled",
     .expect_attempts = 0},
    /* Submitted last, claimed first. */
    {.kind = "pager.alert", .payload = "service=checkout down", .priority = 100,
     .result = "paged the on-call engineer", .expect = "completed", .expect_attempts = 1},
};
#define NJOBS (sizeof script / sizeof script[0])

static int submit_all(ff_client *c, const char *lane, demo_job *jobs) {
    printf("1. Submit %zu executions on lane %s\n", (size_t)NJOBS, lane);
    for (size_t i = 0; i < NJOBS; i++) {
        demo_job *j = &jobs[i];
        ff_exec_spec *s = NULL;
        int st = ff_exec_spec_new(&s, j->kind);
        if (st == FF_OK) st = ff_exec_spec_set_lane(s, lane);
        if (st == FF_OK) st = ff_exec_spec_set_payload(s, j->payload, strlen(j->payload));
        if (st == FF_OK) st = ff_exec_spec_set_priority(s, j->priority);
        if (st == FF_OK && j->retries > 0)
            st = ff_exec_spec_set_retry(s, j->retries, "fixed", DEMO_BACKOFF_MS, DEMO_BACKOFF_MS, 1.0, 0.0,
                                        "transient");
        ff_op *op = NULL;
        if (st == FF_OK) st = ff_execution_create(c, s, NULL, NULL, &op);
        st = cli_wait(st, &op, j->kind);
        ff_exec_spec_free(s);
        if (st == FF_OK) {
            snprintf(j->id, sizeof j->id, "%s", ff_op_execution_id(op));
            char note[96] = "";
            if (j->priority) snprintf(note, sizeof note, "  priority %d: submitted last, runs first", (int)j->priority);
            if (j->retries)
                snprintf(note, sizeof note, "  up to %d %s on \"transient\", %d ms fixed backoff",
                         (int)j->retries, j->retries == 1 ? "retry" : "retries", DEMO_BACKOFF_MS);
            printf("   %-16s %s  %s%s\n", j->kind, j->id, ff_op_text(op), note);
        }
        ff_op_free(op);
        if (st != FF_OK) return st;
    }
    return FF_OK;
}

static int operator_cancels(ff_client *c, demo_job *jobs) {
    printf("\n2. The operator cancels the jobs nobody needs any more, while they still wait\n");
    for (size_t i = 0; i < NJOBS; i++) {
        if (!jobs[i].operator_cancel) continue;
        ff_op *op = NULL;
        int st = cli_wait(ff_execution_cancel(c, jobs[i].id, "report superseded", NULL, NULL, &op), &op, jobs[i].id);
        if (st == FF_OK) printf("   %-16s %s  %s\n", jobs[i].kind, jobs[i].id, ff_op_text(op));
        ff_op_free(op);
        if (st != FF_OK) return st;
    }
    return FF_OK;
}

/* "completed: <result>", "failed: <category>: <reason>", ... */
static void outcome_text(ff_client *c, const demo_job *j, const ff_op *d, char *buf, size_t cap) {
    const char *state = ff_op_text(d), *a = NULL, *b = NULL;
    snprintf(buf, cap, "-");
    if (strcmp(state, "completed") == 0) {
        ff_op *r = NULL;
        if (cli_wait(ff_execution_result(c, j->id, NULL, NULL, &r), &r, j->id) == FF_OK) {
            size_t len = 0;
            const char *bytes = ff_op_bytes(r, &len);
            snprintf(buf, cap, "result \"%.*s\"", (int)len, bytes);
        }
        ff_op_free(r);
    } else if (ff_op_json_str(d, "failure.reason", &a) == FF_OK) {
        ff_op_json_str(d, "failure.category", &b);
        snprintf(buf, cap, "%s: %s", b ? b : "error", a);
    } else if (ff_op_json_str(d, "cancellation.cancelled_by", &a) == FF_OK) {
        ff_op_json_str(d, "cancellation.reason", &b);
        snprintf(buf, cap, "by %s: %s", a, b ? b : "");
    }
}

/* One line per attempt of the jobs that needed more than one. */
static void print_history(const demo_job *j, const ff_op *d) {
    for (size_t i = 0;; i++) {
        char p[64];
        const char *type = NULL, *state = NULL, *cat = NULL, *why = NULL;
        snprintf(p, sizeof p, "attempts.%zu.type", i);
        if (ff_op_json_str(d, p, &type) != FF_OK) break;
        snprintf(p, sizeof p, "attempts.%zu.state", i);
        ff_op_json_str(d, p, &state);
        snprintf(p, sizeof p, "attempts.%zu.failure_category", i);
        ff_op_json_str(d, p, &cat);
        snprintf(p, sizeof p, "attempts.%zu.failure_reason", i);
        ff_op_json_str(d, p, &why);
        char why_txt[256] = "";
        if (cat || why) snprintf(why_txt, sizeof why_txt, " (%s: %s)", cat ? cat : "error", why ? why : "");
        printf("   %-16s attempt %zu  %-8s %s%s\n", i == 0 ? j->kind : "", i, type, state ? state : "?", why_txt);
    }
}

/* The lane's state indexes must agree with the executions themselves: count
 * the scripted final states and compare with ff_lane_counts. Returns the
 * number of states whose count differs (each one printed). */
static int check_lane_counts(ff_client *c, const char *lane, const demo_job *jobs) {
    static const char *const states[] = {"waiting",   "delayed", "active",  "suspended", "completed",
                                         "failed",    "cancelled", "expired", "skipped"};
    ff_op *op = NULL;
    if (cli_wait(ff_lane_counts(c, lane, NULL, NULL, &op), &op, lane) != FF_OK) {
        ff_op_free(op);
        return 1;
    }
    int bad = 0;
    for (size_t s = 0; s < sizeof states / sizeof states[0]; s++) {
        int64_t want = 0, got = 0;
        for (size_t i = 0; i < NJOBS; i++) want += strcmp(jobs[i].expect, states[s]) == 0;
        ff_op_json_i64(op, states[s], &got);
        if (got != want) {
            printf("   MISMATCH: lane index %s holds %" PRId64 ", expected %" PRId64 "\n", states[s], got, want);
            bad++;
        }
    }
    ff_op_free(op);
    return bad;
}

static int final_report(ff_client *c, const char *lane, demo_job *jobs) {
    static const char *const hdr[] = {"KIND", "STATE", "ATTEMPTS", "OUTCOME", "EXPECTED"};
    ff_op *ops[NJOBS] = {0};
    int sts[NJOBS];
    for (size_t i = 0; i < NJOBS; i++) sts[i] = ff_execution_describe(c, jobs[i].id, NULL, NULL, &ops[i]);
    cli_table *t = cli_table_new(5, hdr, "llrll");
    int mismatches = 0, st = FF_OK;
    for (size_t i = 0; i < NJOBS; i++) {
        sts[i] = cli_wait(sts[i], &ops[i], jobs[i].id);
        if (sts[i] != FF_OK) {
            st = sts[i];
            continue;
        }
        int64_t att = 0;
        ff_op_json_i64(ops[i], "counters.total_attempts", &att);
        char out[256];
        outcome_text(c, &jobs[i], ops[i], out, sizeof out);
        int ok = strcmp(ff_op_text(ops[i]), jobs[i].expect) == 0 && att == jobs[i].expect_attempts;
        mismatches += !ok;
        cli_table_cell(t, "%s", jobs[i].kind);
        cli_table_cell(t, "%s", ff_op_text(ops[i]));
        cli_table_cell(t, "%" PRId64, att);
        cli_table_cell(t, "%s", out);
        if (ok)
            cli_table_cell(t, "ok");
        else
            cli_table_cell(t, "MISMATCH: want %s after %" PRId64 " attempt(s)", jobs[i].expect,
                           jobs[i].expect_attempts);
    }
    printf("\n4. Final state of every execution\n");
    cli_table_print(t, stdout, 3);
    cli_table_free(t);
    printf("\n   Attempt history of the jobs that failed at least once:\n");
    for (size_t i = 0; i < NJOBS; i++)
        if (sts[i] == FF_OK && jobs[i].fail_attempts > 0) print_history(&jobs[i], ops[i]);
    for (size_t i = 0; i < NJOBS; i++) ff_op_free(ops[i]);

    printf("\n5. Lane counts (what 'ffctl stats' shows for this lane)\n");
    const char *lanes[1] = {lane};
    if (cli_print_lane_counts(c, lanes, 1, 0, 3) != CLI_OK && st == FF_OK) st = FF_ERROR;
    mismatches += check_lane_counts(c, lane, jobs);
    if (st == FF_OK && mismatches) {
        cli_error(FF_ERROR, "%d check(s) failed: the run did not end as scripted", mismatches);
        st = FF_ERROR;
    }
    return st;
}

static int run_demo(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    int keep = 0;
    while (cli_next(&it)) {
        if (cli_flag(&it, "keep-server")) {
            keep = 1;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (ctx->json) return cli_usage_error(cmd, "the demo is a narrative; --json is not supported");

    /* Unbuffered narrative: a reader (or CI log) sees each step as it runs. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *env_url = getenv("FF_URL");
    int embedded = ctx->url == NULL && (env_url == NULL || env_url[0] == '\0');
    int was_running = embedded && ff_dev_server_status(ctx->data_dir, NULL, 0) == FF_OK;

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    char lane[64];
    snprintf(lane, sizeof lane, "demo-%ld-%04x", (long)getpid(), (unsigned)(cli_now_ms() & 0xffff));
    printf("FlowFabric demo: a durable job engine on Redis Functions (library %s)\n", ff_version_string());
    printf("   server  %s%s\n", ff_client_url(c), embedded ? (was_running ? "  (embedded, already running)"
                                                                          : "  (embedded, started for the demo)")
                                                              : "");
    printf("   lane    %s (fresh, so earlier runs do not interfere)\n\n", lane);
    printf("Act 1: priorities, retries, failures and cancellation\n\n");

    demo_job jobs[NJOBS];
    memcpy(jobs, script, sizeof jobs);
    int st = submit_all(c, lane, jobs);
    if (st == FF_OK) st = operator_cancels(c, jobs);
    if (st == FF_OK) {
        printf("\n3. A worker claims work, %s first, in batches of 3, and finishes each attempt\n",
               "highest priority");
        int64_t t0 = cli_mono_ms();
        st = demo_work(c, lane, jobs, NJOBS, t0 + DEMO_TIMEOUT_MS);
        if (st == FF_ETIMEDOUT)
            cli_error(st, "not every execution was terminal after %d s", DEMO_TIMEOUT_MS / 1000);
        else if (st == FF_OK)
            printf("   all executions terminal after %.1f s\n", (double)(cli_mono_ms() - t0) / 1000.0);
    }
    if (st == FF_OK || st == FF_ETIMEDOUT) {
        int rst = final_report(c, lane, jobs);
        if (st == FF_OK) st = rst;
    }
    const char *given = cli_given_url(ctx);
    int crash_st = demo_crash(c, given ? given : ff_client_url(c), 6);
    if (st == FF_OK) st = crash_st;
    int approval_st = demo_approval(c, 11);
    if (st == FF_OK) st = approval_st;
    int flow_st = demo_flow(c, 17);
    if (st == FF_OK) st = flow_st;
    int stream_st = demo_stream(c, 21);
    if (st == FF_OK) st = stream_st;
    ff_client_free(c);

    if (embedded && !was_running && !keep) {
        /* Leave the machine as we found it; the data stays in the data dir. */
        int d = ff_dev_server_down(ctx->data_dir);
        printf("\n   stopped the embedded server the demo started%s (data kept; 'ffctl dev up' restarts it)\n",
               d == FF_OK ? "" : " -- it did not stop cleanly");
    }
    if (st == FF_OK) printf("\ndemo OK: every execution ended as scripted.\n");
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_demo = {
    "demo",
    run_demo,
    "demo [--keep-server]",
    "End-to-end tour: prioritise, retry, fail, cancel, recover from a crash, approve, run a flow, stream output.",
    "Act 1 submits six scripted executions on a fresh lane \"demo-<pid>-<n>\" and\n"
    "works them with an in-process worker, narrating every claim and outcome.\n"
    "Act 2 (lane \"demo-crash-<pid>-<n>\") starts a separate `ffctl worker` process,\n"
    "kills it with SIGKILL while it runs three executions, and shows an in-process\n"
    "worker with the engine reclaiming and finishing them once their 2 s leases\n"
    "expire, while it processes fresh work normally.\n"
    "Act 3 (lane \"demo-approval-<pid>-<n>\") suspends a \"deploy\" execution on a\n"
    "waitpoint \"approval\", prints the `ffctl signal` command with its token,\n"
    "shows a tampered token refused, delivers the approval through the C API and\n"
    "watches the same attempt resume (lease epoch + 1) and complete.\n"
    "Act 4 (lane \"demo-ci-<pid>-<n>\") submits a CI pipeline as one flow\n"
    "(build -> test-linux | test-macos -> deploy, any_of; lint -> publish-docs),\n"
    "runs it: the first test to pass cancels the other, the failing lint skips\n"
    "publish-docs; then replays the completion feed and draws the graph.\n"
    "Act 5 (lane \"demo-stream-<pid>-<n>\") follows a running \"report\" execution's\n"
    "output stream live (progress lines, token deltas, summary patches) until its\n"
    "completion closes it, then prints the summary document.\n"
    "Every execution is checked against the script (exit 1 if one differs, or if\n"
    "an act overruns: 30 s / 20 s / 20 s / 20 s / 20 s).\n"
    "\n"
    "With neither --url nor $FF_URL it uses the embedded server; if the demo had\n"
    "to start it, it stops it again at the end unless --keep-server is given.\n",
};
