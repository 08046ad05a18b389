/* Operator actions on one execution: cancel, replay, priority, revoke. They
 * share one shape (ID + a few options -> one op -> one outcome line), so one
 * driver runs them all. The targeted claims (claim-resumed, grant-claim)
 * name one execution too but hand out a lease, printed as JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"

typedef enum { ACT_CANCEL, ACT_REPLAY, ACT_PRIORITY, ACT_REVOKE } admin_action;

typedef struct admin_args {
    const char *id;
    const char *reason;
    const char *lease_id;
    int64_t priority;
    int have_priority;
} admin_args;

static int parse(cli_ctx *ctx, const cli_cmd *cmd, admin_action act, int argc, char **argv, admin_args *a) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *p = NULL;
    while (cli_next(&it)) {
        if ((act == ACT_CANCEL || act == ACT_REVOKE) && cli_opt(&it, "reason", &a->reason)) continue;
        if (act == ACT_REVOKE && cli_opt(&it, "lease-id", &a->lease_id)) continue;
        if (cli_pos(&it, &p)) {
            if (a->id == NULL) {
                a->id = p;
            } else if (act == ACT_PRIORITY && !a->have_priority) {
                a->have_priority = 1;
                cli_parse_i64(&it, "priority", p, 0, 9000, &a->priority);
            } else {
                cli_unknown(&it);
            }
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (a->id == NULL) return cli_usage_error(cmd, "missing execution id");
    if (act == ACT_PRIORITY && !a->have_priority) return cli_usage_error(cmd, "missing the new priority (0..9000)");
    return -1;
}

static int start(ff_client *c, admin_action act, const admin_args *a, ff_op **op) {
    switch (act) {
    case ACT_CANCEL: return ff_execution_cancel(c, a->id, a->reason, NULL, NULL, op);
    case ACT_REPLAY: return ff_execution_replay(c, a->id, NULL, NULL, op);
    case ACT_PRIORITY: return ff_execution_change_priority(c, a->id, (int32_t)a->priority, NULL, NULL, op);
    case ACT_REVOKE: return ff_execution_revoke_lease(c, a->id, a->lease_id, a->reason, NULL, NULL, op);
    }
    return FF_EINVAL;
}

static void report(const cli_ctx *ctx, admin_action act, const admin_args *a, const ff_op *op) {
    const char *outcome = ff_op_text(op);
    if (act == ACT_PRIORITY) {
        /* The server's stored value wins (it clamps to 0..9000). */
        int64_t now = a->priority;
        if (outcome[0]) sscanf(outcome, "%" SCNd64, &now);
        if (ctx->json) {
            printf("{\"execution_id\":");
            cli_json_string(stdout, a->id, strlen(a->id));
            printf(",\"old_priority\":%" PRId64 ",\"priority\":%" PRId64 "}\n", ff_op_int(op), now);
        } else
            printf("%s  priority %" PRId64 " -> %" PRId64 "\n", a->id, ff_op_int(op), now);
        return;
    }
    int revoked = act == ACT_REVOKE && ff_op_item_count(op) > 0;
    if (ctx->json) {
        printf("{\"execution_id\":");
        cli_json_string(stdout, a->id, strlen(a->id));
        printf(",\"outcome\":");
        cli_json_string(stdout, outcome, strlen(outcome));
        if (revoked) {
            printf(",\"lease_id\":");
            cli_json_string(stdout, ff_op_item(op, 0), strlen(ff_op_item(op, 0)));
            printf(",\"lease_epoch\":%" PRId64, ff_op_int(op));
        }
        printf("}\n");
        return;
    }
    if (revoked) {
        printf("%s  revoked lease %s (epoch %" PRId64 ")\n", a->id, ff_op_item(op, 0), ff_op_int(op));
        return;
    }
    /* Outcomes are the server's words: cancelled, waiting (replayed),
     * revoked, already_revoked, already_expired. */
    printf("%s  %s\n", a->id, outcome[0] ? outcome : "ok");
}

static int run_admin(cli_ctx *ctx, const cli_cmd *cmd, admin_action act, int argc, char **argv) {
    admin_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(ctx, cmd, act, argc, argv, &a);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(start(c, act, &a, &op), &op, a.id);
    if (st == FF_OK) report(ctx, act, &a, op);
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

static int run_cancel(cli_ctx *x, const cli_cmd *c, int n, char **v) { return run_admin(x, c, ACT_CANCEL, n, v); }
static int run_replay(cli_ctx *x, const cli_cmd *c, int n, char **v) { return run_admin(x, c, ACT_REPLAY, n, v); }
static int run_priority(cli_ctx *x, const cli_cmd *c, int n, char **v) { return run_admin(x, c, ACT_PRIORITY, n, v); }
static int run_revoke(cli_ctx *x, const cli_cmd *c, int n, char **v) { return run_admin(x, c, ACT_REVOKE, n, v); }

const cli_cmd cli_cmd_cancel = {
    "cancel", run_cancel, "cancel ID [--reason R]", "Cancel an execution (operator override; no lease needed).",
    "Any non-terminal execution can be cancelled; a running worker's later\n"
    "writes are rejected. Repeating the cancel succeeds again.\n",
};

const cli_cmd cli_cmd_replay = {
    "replay", run_replay, "replay ID", "Run a finished execution again (capped by the policy's max_replay_count).",
    "Only terminal executions (completed, failed, cancelled, expired, skipped)\n"
    "can be replayed; the next claim starts an attempt of type \"replay\".\n",
};

const cli_cmd cli_cmd_priority = {
    "priority", run_priority, "priority ID N", "Change the priority (0..9000) of a waiting or delayed execution.",
    "Higher runs first. Prints the old and the new priority.\n",
};

const cli_cmd cli_cmd_revoke = {
    "revoke", run_revoke, "revoke ID [--reason R] [--lease-id L]",
    "Revoke the current lease of a running execution; it becomes claimable again.",
    "The holder's later writes fail with FF_LEASE_REVOKED and the next claim\n"
    "starts a \"reclaim\" attempt. --lease-id revokes only if that lease is still\n"
    "the current one.\n",
};

/* ------------------------------------------------------- targeted claims */

typedef int (*targeted_fn)(ff_client *, const char *, const ff_claim_opts *, ff_op_cb, void *, ff_op **);

static void print_lease(const ff_claim *cl, const char *worker) {
    const char *strs[][2] = {
        {"execution_id", ff_claim_execution_id(cl)}, {"attempt_id", ff_claim_attempt_id(cl)},
        {"attempt_type", ff_claim_attempt_type(cl)}, {"lease_id", ff_claim_lease_id(cl)},
        {"lane", ff_claim_lane(cl)},                 {"worker_id", worker},
        {"worker_instance_id", ff_claim_worker_instance_id(cl)},
    };
    printf("{");
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        printf("%s\"%s\":", i ? "," : "", strs[i][0]);
        cli_json_string(stdout, strs[i][1], strlen(strs[i][1]));
    }
    printf(",\"attempt_index\":%u,\"lease_epoch\":%" PRIu64 ",\"expires_at\":%" PRId64
           ",\"lease_ttl_ms\":%" PRId64 "}\n",
           (unsigned)ff_claim_attempt_index(cl), ff_claim_lease_epoch(cl), ff_claim_expires_at_ms(cl),
           ff_claim_lease_ttl_ms(cl));
}

/* ID --worker W [--caps a,b] [--ttl MS] -> one lease (JSON), whatever --json says:
 * the lease is for a program (the worker) to pick up. */
static int run_targeted(cli_ctx *ctx, const cli_cmd *cmd, targeted_fn fn, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *worker = NULL, *caps = NULL, *p = NULL;
    int64_t ttl = 30000;
    while (cli_next(&it)) {
        if (cli_opt(&it, "worker", &worker) || cli_opt(&it, "caps", &caps) ||
            cli_opt_i64(&it, "ttl", 1, 86400000, &ttl))
            continue;
        if (cli_pos(&it, &p) && id == NULL) {
            id = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing execution id");
    if (worker == NULL) return cli_usage_error(cmd, "missing --worker W");
    ff_claim_opts *o = NULL;
    int st = ff_claim_opts_new(&o);
    if (st == FF_OK) st = ff_claim_opts_set_worker_id(o, worker);
    if (st == FF_OK) st = ff_claim_opts_set_lease_ttl_ms(o, ttl);
    for (const char *c = caps; st == FF_OK && c && *c;) {
        const char *e = strchr(c, ',');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        char tok[257];
        if (n == 0 || n >= sizeof tok) {
            ff_claim_opts_free(o);
            return cli_usage_error(cmd, "--caps: a comma-separated list of capabilities");
        }
        memcpy(tok, c, n);
        tok[n] = '\0';
        st = ff_claim_opts_add_capability(o, tok);
        c = e ? e + 1 : c + n;
    }
    if (st != FF_OK) {
        ff_claim_opts_free(o);
        return cli_usage_error(cmd, "invalid --worker or --caps");
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        ff_claim_opts_free(o);
        return rc;
    }
    ff_op *op = NULL;
    st = cli_wait(fn(c, id, o, NULL, NULL, &op), &op, id);
    ff_claim *cl = NULL;
    if (st == FF_OK && ff_op_claim_count(op) == 1 && ff_op_take_claim(op, 0, &cl) == FF_OK) print_lease(cl, worker);
    ff_claim_free(cl);
    ff_op_free(op);
    ff_client_free(c);
    ff_claim_opts_free(o);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

static int run_claim_resumed(cli_ctx *x, const cli_cmd *c, int n, char **v) {
    return run_targeted(x, c, ff_lease_claim_resumed, n, v);
}
static int run_grant_claim(cli_ctx *x, const cli_cmd *c, int n, char **v) {
    return run_targeted(x, c, ff_lease_grant_and_claim, n, v);
}

const cli_cmd cli_cmd_claim_resumed = {
    "claim-resumed", run_claim_resumed, "claim-resumed ID --worker W [--caps a,b] [--ttl MS]",
    "Claim one interrupted execution whose attempt may resume now; prints the lease.",
    "Same attempt (index and id), lease epoch + 1, attempt type \"resumed\".\n"
    "Refused without writing anything when the execution is not runnable\n"
    "(FF_EXECUTION_NOT_LEASEABLE), not interrupted (FF_NOT_A_RESUMED_EXECUTION),\n"
    "not eligible now (FF_EXECUTION_NOT_ELIGIBLE), needs capabilities --caps lacks\n"
    "(FF_CAPABILITY_MISMATCH), its lane is paused (FF_LANE_PAUSED), or a budget or\n"
    "the lane's quota holds it back. --ttl is the lease ttl (default 30000 ms).\n",
};

const cli_cmd cli_cmd_grant_claim = {
    "grant-claim", run_grant_claim, "grant-claim ID --worker W [--caps a,b] [--ttl MS]",
    "Lease one execution to a named worker now (any attempt type); prints the lease.",
    "Starts whatever attempt is next: initial, retry, replay, resumed, or reclaim\n"
    "when its lease expired or was revoked. Capabilities (--caps: what worker W\n"
    "offers), a paused lane, budgets and the lane's quota apply as for any claim.\n"
    "FF_LEASE_CONFLICT while its lease is live, FF_GRANT_ALREADY_EXISTS while a\n"
    "reclaim grant names another worker. Hand the printed lease to worker W.\n",
};
