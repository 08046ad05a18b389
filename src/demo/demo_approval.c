/*
 * The demo's third act: a human approval. A "deploy" execution is claimed
 * by an in-process ff_worker whose handler suspends it on a waitpoint named
 * "approval" (reason waiting_for_approval, 60 s timeout that fails it). The
 * demo prints the `ffctl signal` command an approver would run, with the
 * waitpoint's token, shows that a tampered token is refused, and then
 * delivers the approval itself through the C API (as a web app would). The
 * execution resumes: the runtime's next claim hands the SAME attempt back to
 * the handler (type "resumed", lease epoch + 1), which reads the approving
 * signal with ff_task_observe_signals and completes naming the approver.
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "demo/demo.h"

#define ACT_TIMEOUT_MS 20000
#define SUSPEND_TIMEOUT_MS 60000
#define WP_KEY "approval"
#define SIGNAL_NAME "approved"
#define APPROVER "alice@example.com"
#define APPROVAL_NOTE "{\"ticket\":\"CHG-1234\",\"comment\":\"ship it\"}"

typedef struct approval {
    ff_client *c;
    char eid[128];
    /* filled by the handler and its callbacks (host thread, via dispatch) */
    int suspended;     /* 1 once the suspend op succeeded */
    int completed;     /* 1 once the completion op succeeded */
    int failed;        /* an unexpected status in the handler */
    uint32_t first_ai; /* attempt index and epoch of the first claim ... */
    uint64_t first_epoch;
    uint32_t resumed_ai; /* ... and of the resumed one */
    uint64_t resumed_epoch;
    char resumed_type[32];
    char wp_id[64];
    char token[160];
    char approver[256];
    char result[512];
} approval;

/* The resumed handler's context: the task stays valid until complete. */
typedef struct resume_ctx {
    approval *a;
    ff_task *t;
} resume_ctx;

static void on_suspended(ff_op *op, void *ud) {
    approval *a = ud;
    int st = ff_op_status(op);
    if (st != FF_OK || strcmp(ff_op_text(op), "suspended") != 0 || ff_op_item_count(op) < 3) {
        cli_error(st != FF_OK ? st : FF_ERROR, "suspend: %s", st != FF_OK ? ff_op_errmsg(op) : ff_op_text(op));
        a->failed = 1;
        return;
    }
    snprintf(a->wp_id, sizeof a->wp_id, "%s", ff_op_item(op, 0));
    snprintf(a->token, sizeof a->token, "%s", ff_op_item(op, 2));
    printf("   -> suspended (suspension #%" PRId64 "): the lease is released, no worker slot is held\n",
           ff_op_int(op));
    a->suspended = 1;
}

static void on_completed(ff_op *op, void *ud) {
    approval *a = ud;
    int st = ff_op_status(op);
    if (st != FF_OK) {
        cli_error(st, "complete: %s", ff_op_errmsg(op));
        a->failed = 1;
        return;
    }
    printf("   -> %s\n", ff_op_text(op));
    a->completed = 1;
}

static void on_observed(ff_op *op, void *ud) {
    resume_ctx *r = ud;
    approval *a = r->a;
    ff_task *t = r->t;
    free(r);
    int st = ff_op_status(op);
    size_t n = st == FF_OK ? ff_op_item_count(op) / 6 : 0;
    if (st != FF_OK || n == 0) {
        if (st != FF_OK) cli_error(st, "observe signals: %s", ff_op_errmsg(op));
        else cli_error(FF_ERROR, "the resumed attempt sees no approving signal");
        a->failed = 1;
        ff_task_fail(t, "no approval found", "demo", NULL, NULL, NULL);
        return;
    }
    /* One signal satisfied the condition: id, name, source type, source
     * identity, accepted_at, payload. */
    size_t plen = 0;
    const char *payload = ff_op_item_bytes(op, 5, &plen);
    snprintf(a->approver, sizeof a->approver, "%s", ff_op_item(op, 3));
    printf("   handler reads why it was woken (ff_task_observe_signals): %s from %s %s, payload %.*s\n",
           ff_op_item(op, 1), ff_op_item(op, 2), a->approver, (int)plen, payload ? payload : "");
    snprintf(a->result, sizeof a->result, "deployed checkout 2.4.1 to production, approved by %s", a->approver);
    st = ff_task_complete(t, a->result, strlen(a->result), on_completed, a, NULL);
    if (st != FF_OK) {
        cli_error(st, "complete could not be sent");
        a->failed = 1;
    }
}

static void deploy_handler(ff_task *t, void *ud) {
    approval *a = ud;
    const ff_claim *cl = ff_task_claim(t);
    const char *type = ff_claim_attempt_type(cl);
    printf("   claim  %s %s attempt %u (%s), lease epoch %llu\n", ff_claim_kind(cl), ff_claim_execution_id(cl),
           (unsigned)ff_claim_attempt_index(cl), type, (unsigned long long)ff_claim_lease_epoch(cl));
    if (strcmp(type, "resumed") == 0) {
        a->resumed_ai = ff_claim_attempt_index(cl);
        a->resumed_epoch = ff_claim_lease_epoch(cl);
        snprintf(a->resumed_type, sizeof a->resumed_type, "%s", type);
        resume_ctx *r = malloc(sizeof *r);
        int st = FF_ENOMEM;
        if (r) {
            r->a = a;
            r->t = t;
            st = ff_task_observe_signals(t, on_observed, r, NULL);
        }
        if (st != FF_OK) {
            free(r);
            cli_error(st, "observe signals could not be sent");
            a->failed = 1;
            ff_task_fail(t, "cannot observe signals", "demo", NULL, NULL, NULL);
        }
        return;
    }
    a->first_ai = ff_claim_attempt_index(cl);
    a->first_epoch = ff_claim_lease_epoch(cl);
    printf("   handler: checks pass; production needs a human approval: suspend on waitpoint \"%s\"\n", WP_KEY);
    ff_suspend_spec *s = NULL;
    int st = ff_suspend_spec_new(&s);
    if (st == FF_OK) st = ff_suspend_spec_add_waitpoint(s, WP_KEY);
    if (st == FF_OK)
        st = ff_suspend_spec_set_condition_json(s, "{\"single\":{\"key\":\"" WP_KEY "\",\"name\":\"" SIGNAL_NAME
                                                   "\"}}");
    if (st == FF_OK) st = ff_suspend_spec_set_reason(s, "waiting_for_approval");
    if (st == FF_OK) st = ff_suspend_spec_set_timeout(s, SUSPEND_TIMEOUT_MS, "fail");
    if (st == FF_OK) st = ff_task_suspend(t, s, on_suspended, a, NULL);
    ff_suspend_spec_free(s);
    if (st != FF_OK) {
        cli_error(st, "cannot suspend");
        a->failed = 1;
        ff_task_fail(t, "cannot suspend", "demo", NULL, NULL, NULL);
    }
}

/* Dispatch callbacks until *flag is set, a failure is noted or the deadline
 * passes. */
static int pump(approval *a, const int *flag, int64_t deadline, const char *what) {
    struct pollfd pf = {ff_client_fd(a->c), POLLIN, 0};
    while (!*flag && !a->failed) {
        if (cli_mono_ms() > deadline) {
            cli_error(FF_ETIMEDOUT, "%s did not happen within %d s", what, ACT_TIMEOUT_MS / 1000);
            return FF_ETIMEDOUT;
        }
        poll(&pf, 1, 50);
        ff_client_dispatch(a->c, 0);
    }
    return a->failed ? FF_ERROR : FF_OK;
}

static int show_suspended(approval *a) {
    ff_op *d = NULL;
    int st = cli_wait(ff_execution_describe(a->c, a->eid, NULL, NULL, &d), &d, a->eid);
    if (st == FF_OK) {
        const char *block = "?";
        ff_op_json_str(d, "state.blocking_reason", &block);
        printf("   %s  %s (%s), times out in %d s with behaviour \"fail\"\n", a->eid, ff_op_text(d), block,
               SUSPEND_TIMEOUT_MS / 1000);
        if (strcmp(ff_op_text(d), "suspended") != 0 || strcmp(block, "waiting_for_approval") != 0) {
            cli_error(FF_ERROR, "expected suspended / waiting_for_approval");
            st = FF_ERROR;
        }
    }
    ff_op_free(d);
    ff_op *w = NULL;
    if (st == FF_OK && cli_wait(ff_execution_waitpoints(a->c, a->eid, NULL, NULL, &w), &w, "waitpoints") == FF_OK) {
        for (size_t i = 0; i + 5 < ff_op_item_count(w); i += 6)
            printf("   waitpoint %s  key %s, %s, signed with key %s (fingerprint %s...; listings never show the"
                   " token)\n",
                   ff_op_item(w, i), ff_op_item(w, i + 1), ff_op_item(w, i + 2), ff_op_item(w, i + 3),
                   ff_op_item(w, i + 4));
    }
    ff_op_free(w);
    return st;
}

/* A token with its last hex digit changed must be refused before anything
 * about the waitpoint is revealed. */
static int show_tampered(approval *a) {
    char bad[sizeof a->token];
    snprintf(bad, sizeof bad, "%s", a->token);
    size_t n = strlen(bad);
    if (n == 0) return FF_ERROR;
    bad[n - 1] = bad[n - 1] == '0' ? '1' : '0';
    ff_op *op = NULL;
    int st = ff_signal_deliver(a->c, a->eid, a->wp_id, bad, SIGNAL_NAME, "user", "mallory@example.com", NULL, 0,
                               NULL, NULL, NULL, &op);
    if (st == FF_OK) st = ff_op_wait(op, -1);
    if (st == FF_OK) st = ff_op_status(op);
    ff_op_free(op);
    printf("   a forged approval (token with one digit changed) is refused: %s\n", ff_status_name(st));
    if (st != FF_INVALID_TOKEN) {
        cli_error(FF_ERROR, "expected FF_INVALID_TOKEN for a tampered token");
        return FF_ERROR;
    }
    return FF_OK;
}

static int deliver(approval *a) {
    ff_op *op = NULL;
    int st = cli_wait(ff_signal_deliver(a->c, a->eid, a->wp_id, a->token, SIGNAL_NAME, "user", APPROVER,
                                        APPROVAL_NOTE, strlen(APPROVAL_NOTE), "approval-CHG-1234", NULL, NULL, &op),
                      &op, "signal");
    if (st == FF_OK) {
        printf("   signal %s from %s: %s\n", ff_op_item(op, 0), APPROVER, ff_op_text(op));
        if (strcmp(ff_op_text(op), "resume_condition_satisfied") != 0) {
            cli_error(FF_ERROR, "expected the signal to satisfy the resume condition");
            st = FF_ERROR;
        }
    }
    ff_op_free(op);
    return st;
}

static int report(approval *a) {
    ff_op *d = NULL;
    int st = cli_wait(ff_execution_describe(a->c, a->eid, NULL, NULL, &d), &d, a->eid);
    if (st != FF_OK) {
        ff_op_free(d);
        return st;
    }
    int64_t attempts = 0;
    ff_op_json_i64(d, "counters.total_attempts", &attempts);
    ff_op *r = NULL;
    char result[512] = "";
    if (cli_wait(ff_execution_result(a->c, a->eid, NULL, NULL, &r), &r, a->eid) == FF_OK) {
        size_t len = 0;
        const char *b = ff_op_bytes(r, &len);
        snprintf(result, sizeof result, "%.*s", (int)len, b ? b : "");
    }
    ff_op_free(r);
    printf("   %s  %s after %" PRId64 " attempt(s): \"%s\"\n", a->eid, ff_op_text(d), attempts, result);
    printf("   attempt %u continued across the suspension: lease epoch %llu -> %llu (claim type %s)\n",
           (unsigned)a->resumed_ai, (unsigned long long)a->first_epoch, (unsigned long long)a->resumed_epoch,
           a->resumed_type);
    int ok = strcmp(ff_op_text(d), "completed") == 0 && attempts == 1 && a->resumed_ai == a->first_ai &&
             a->resumed_epoch == a->first_epoch + 1 && strcmp(a->resumed_type, "resumed") == 0 &&
             strcmp(a->approver, APPROVER) == 0 && strstr(result, APPROVER) != NULL;
    ff_op_free(d);
    if (!ok) {
        cli_error(FF_ERROR, "the approval did not end as scripted (want completed, 1 attempt, same attempt "
                            "resumed with epoch + 1, result naming %s)",
                  APPROVER);
        return FF_ERROR;
    }
    printf("   ok\n");
    return FF_OK;
}

int demo_approval(ff_client *c, int step) {
    approval *a = calloc(1, sizeof *a);
    if (a == NULL) {
        cli_error(FF_ENOMEM, "out of memory");
        return FF_ENOMEM;
    }
    a->c = c;
    int64_t deadline = cli_mono_ms() + ACT_TIMEOUT_MS;
    char lane[64];
    snprintf(lane, sizeof lane, "demo-approval-%ld-%04x", (long)getpid(), (unsigned)(cli_now_ms() & 0xffff));
    printf("\nAct 3: a human approval (lane %s)\n\n", lane);

    printf("%d. Submit a deploy\n", step);
    const char *payload = "service=checkout version=2.4.1 env=production";
    ff_exec_spec *s = NULL;
    ff_op *op = NULL;
    int st = ff_exec_spec_new(&s, "deploy");
    if (st == FF_OK) st = ff_exec_spec_set_lane(s, lane);
    if (st == FF_OK) st = ff_exec_spec_set_payload(s, payload, strlen(payload));
    if (st == FF_OK) st = ff_execution_create(c, s, NULL, NULL, &op);
    st = cli_wait(st, &op, "deploy");
    ff_exec_spec_free(s);
    if (st == FF_OK) {
        snprintf(a->eid, sizeof a->eid, "%s", ff_op_execution_id(op));
        printf("   deploy           %s  %s\n", a->eid, payload);
    }
    ff_op_free(op);
    if (st != FF_OK) {
        free(a);
        return st;
    }

    ff_worker_opts *o = NULL;
    ff_worker *w = NULL;
    st = ff_worker_opts_new(&o);
    if (st == FF_OK) st = ff_worker_opts_add_lane(o, lane);
    if (st == FF_OK) st = ff_worker_opts_set_worker_id(o, "deploy-worker");
    if (st == FF_OK) st = ff_worker_opts_set_poll_ms(o, 500);
    if (st == FF_OK) st = ff_worker_opts_set_engine(o, 0);
    if (st == FF_OK) st = ff_worker_new(&w, c, o);
    if (st == FF_OK) st = ff_worker_on(w, "deploy", deploy_handler, a);
    ff_worker_opts_free(o);
    printf("\n%d. A worker claims it; its handler suspends until someone approves\n", step + 1);
    if (st == FF_OK) st = ff_worker_start(w);
    if (st != FF_OK) cli_error(st, "cannot start the deploy worker");
    if (st == FF_OK) st = pump(a, &a->suspended, deadline, "the suspension");
    if (st == FF_OK) st = show_suspended(a);

    if (st == FF_OK) {
        printf("\n%d. The approver gets the waitpoint's token (a bearer credential: whoever holds it can\n"
               "   approve this one waitpoint, and nothing else). An operator would run:\n\n",
               step + 2);
        printf("     ffctl signal '%s' \\\n"
               "         --waitpoint %s \\\n"
               "         --token %s \\\n"
               "         --name %s --source %s --payload '%s'\n\n",
               a->eid, a->wp_id, a->token, SIGNAL_NAME, APPROVER, APPROVAL_NOTE);
        printf("   (or: ffctl waitpoint-token '%s' %s  to read the token again)\n", a->eid, a->wp_id);
        st = show_tampered(a);
    }
    if (st == FF_OK) {
        printf("\n%d. The approval arrives (delivered here through the C API, as a web app would)\n", step + 3);
        st = deliver(a);
    }
    if (st == FF_OK) {
        printf("\n%d. The execution resumes: the same attempt, under a new lease\n", step + 4);
        st = pump(a, &a->completed, deadline, "the resumed completion");
    }
    ff_worker_free(w);
    if (st == FF_OK) {
        printf("\n%d. Final state\n", step + 5);
        st = report(a);
    } else if (a->eid[0]) {
        /* Do not leave a suspended deploy behind for 60 s. */
        ff_op *cop = NULL;
        if (ff_execution_cancel(c, a->eid, "demo failed", NULL, NULL, &cop) == FF_OK) ff_op_wait(cop, -1);
        ff_op_free(cop);
    }
    free(a);
    return st;
}
