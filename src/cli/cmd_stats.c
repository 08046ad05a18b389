/* `ffctl stats`: per-lane counts of every lane (ff_lanes_list +
 * ff_lane_counts), then lease totals and sweep health (cli_health.c). The
 * lane table printer is shared with `ffctl demo`. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_health.h"
#include "cli/cli_table.h"

/* "blocked": flow members waiting for their dependencies (never claimed) */
static const char *const states[] = {"waiting",   "delayed", "active",  "suspended", "completed",
                                     "failed",    "cancelled", "expired", "skipped",   "blocked"};
#define NSTATES (sizeof states / sizeof states[0])
static const char *const headers[NSTATES + 2] = {"LANE",   "WAITING",   "DELAYED", "ACTIVE",  "SUSPENDED", "COMPLETED",
                                                 "FAILED", "CANCELLED", "EXPIRED", "SKIPPED", "BLOCKED", "TOTAL"};

int cli_print_lane_counts(ff_client *c, const char *const *lanes, size_t nlanes, int json, int indent) {
    ff_op **ops = calloc(nlanes ? nlanes : 1, sizeof *ops);
    if (ops == NULL) return cli_error(FF_ENOMEM, "out of memory");
    int rc = CLI_OK;
    /* Start every lane's count first so the requests travel together. */
    int *starts = calloc(nlanes ? nlanes : 1, sizeof *starts);
    if (starts == NULL) {
        free(ops);
        return cli_error(FF_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nlanes; i++) starts[i] = ff_lane_counts(c, lanes[i], NULL, NULL, &ops[i]);
    for (size_t i = 0; i < nlanes; i++) {
        if (cli_wait(starts[i], &ops[i], lanes[i]) != FF_OK) rc = CLI_EOP;
    }
    free(starts);
    if (rc != CLI_OK) goto out;

    if (json) {
        /* The library's counts document per lane, verbatim. */
        printf("\"lanes\":{");
        for (size_t i = 0; i < nlanes; i++) {
            if (i) putchar(',');
            cli_json_string(stdout, lanes[i], strlen(lanes[i]));
            printf(":%s", ff_op_json(ops[i]));
        }
        printf("}");
        goto out;
    }
    cli_table *t = cli_table_new(NSTATES + 2, headers, "lrrrrrrrrrrr");
    int64_t sums[NSTATES + 1];
    memset(sums, 0, sizeof sums);
    for (size_t i = 0; i < nlanes; i++) {
        int64_t total = 0;
        cli_table_cell(t, "%s", lanes[i]);
        for (size_t s = 0; s < NSTATES; s++) {
            int64_t v = 0;
            ff_op_json_i64(ops[i], states[s], &v);
            total += v;
            sums[s] += v;
            cli_table_cell(t, "%" PRId64, v);
        }
        sums[NSTATES] += total;
        cli_table_cell(t, "%" PRId64, total);
    }
    if (nlanes > 1) {
        cli_table_cell(t, "(all lanes)");
        for (size_t s = 0; s <= NSTATES; s++) cli_table_cell(t, "%" PRId64, sums[s]);
    }
    if (nlanes == 0)
        printf("%*s(no lanes)\n", indent, "");
    else
        cli_table_print(t, stdout, indent);
    cli_table_free(t);
out:
    for (size_t i = 0; i < nlanes; i++) ff_op_free(ops[i]);
    free(ops);
    return rc;
}

static int run_stats(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_lanes_list(c, NULL, NULL, &op), &op, "lanes");
    rc = CLI_EOP;
    if (st == FF_OK) {
        size_t n = ff_op_item_count(op);
        const char **lanes = calloc(n ? n : 1, sizeof *lanes);
        if (lanes == NULL) {
            rc = cli_error(FF_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < n; i++) lanes[i] = ff_op_item(op, i);
            if (ctx->json) printf("{");
            rc = cli_print_lane_counts(c, lanes, n, ctx->json, 0);
            free(lanes);
            /* Health: are leases being looked after, and by whom? */
            if (rc == CLI_OK) {
                printf(ctx->json ? "," : "\n");
                rc = cli_print_leases(c, ctx->json, 0);
            }
            if (rc == CLI_OK) {
                printf(ctx->json ? "," : "\n");
                rc = cli_print_engines(c, ctx->json, 0);
            }
            if (ctx->json) printf(rc == CLI_OK ? "}\n" : "\n");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_stats = {
    "stats", run_stats, "stats [--json]",
    "Execution counts per lane and state, lease totals, and sweep health.",
    "Three sections:\n"
    "  per lane    executions by state (ACTIVE = leases held on that lane)\n"
    "  LEASES      leases held over all partitions, and how many are overdue:\n"
    "              expired but not yet turned reclaimable (a steady non-zero value\n"
    "              means nothing sweeps those partitions)\n"
    "  SWEEP HEALTH  live engines (ffctl engine, or workers with their engine on):\n"
    "              owned partitions, sweeps, age of the last heartbeat and counters\n"
    "\n"
    "--json prints {\"lanes\":{\"<lane>\":{\"waiting\":n,...}},\n"
    "  \"leases\":{\"held\":n,\"overdue\":n,\"partitions\":n},\n"
    "  \"engines\":[{\"engine_id\":s,\"owned_partitions\":n,\"heartbeat_expires_at\":ms,\n"
    "               \"last_tick_age_ms\":n,\"stats\":{\"sweeps\":n,\"promoted\":n,...}}],\n"
    "  \"ownership\":{\"partitions\":n,\"owned\":n,\"by_gone_engines\":n}}\n"
    "(owned_partitions follows from the live engines: every engine computes the\n"
    "same split of the partitions from that set; last_tick_age_ms is the age of\n"
    "the engine's last heartbeat; by_gone_engines counts partitions of engines\n"
    "that missed two heartbeats; stats are the engine's counters as of the last\n"
    "heartbeat that changed them.)\n",
};
