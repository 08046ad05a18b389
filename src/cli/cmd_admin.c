/* Operator actions on one execution: cancel, replay, priority, revoke. They
 * share one shape (ID + a few options -> one op -> one outcome line), so one
 * driver runs them all. */
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
