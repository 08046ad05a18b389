/*
 * ffctl flow follow: print a partition's completion feed as it grows (the
 * durable stream of member endings and flow settlings: docs/flows.md,
 * "Following flows"), woken by each append. With --flow ID only that
 * flow's entries, ending when it settles.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_util.h"

static void print_entry(const cli_ctx *ctx, ff_op *op, size_t r) {
    const char *id = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_ID), *fid = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_FLOW_ID),
               *eid = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_EID),
               *outcome = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_OUTCOME),
               *kind = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_KIND);
    if (ctx->json) {
        const char *k[] = {"id", "flow_id", "kind", "execution_id", "outcome"}, *v[] = {id, fid, kind, eid, outcome};
        putchar('{');
        for (int i = 0; i < 5; i++) {
            printf("%s\"%s\":", i ? "," : "", k[i]);
            cli_json_string(stdout, v[i], strlen(v[i]));
        }
        printf(r == 0 && ff_op_int(op) ? ",\"missed_before\":true}\n" : "}\n");
    } else {
        if (r == 0 && ff_op_int(op)) printf("# entries before this one were deleted by the retention\n");
        printf("%s  %s  %-6s  %s  %s\n", id, fid, kind, eid[0] ? eid : "-", outcome);
    }
}

static int run_follow(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *flow = NULL, *cursor = "$";
    int64_t part = -1, idle_s = 0, count = 100;
    while (cli_next(&it)) {
        if (cli_opt(&it, "flow", &flow) || cli_opt(&it, "cursor", &cursor)) continue;
        if (cli_opt_i64(&it, "partition", 0, 65535, &part)) continue;
        if (cli_opt_i64(&it, "idle", 1, 30 * 86400, &idle_s)) continue;
        if (cli_opt_i64(&it, "count", 1, 1000, &count)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if ((flow == NULL) == (part < 0)) return cli_usage_error(cmd, "give exactly one of --partition N and --flow ID");
    if (flow) {
        /* a flow id names its partition: {fp:N}:<uuid> */
        unsigned p = 0;
        if (sscanf(flow, "{fp:%u}:", &p) != 1) return cli_usage_error(cmd, "--flow: expected {fp:N}:<uuid>");
        part = p;
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    char cur[64];
    ff_op *op = NULL;
    rc = cli_wait(ff_flow_feed_read(c, (uint32_t)part, cursor, (uint32_t)count, NULL, NULL, &op), &op, "feed") == FF_OK
             ? CLI_OK
             : CLI_EOP;
    int settled = 0;
    while (rc == CLI_OK) {
        for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_FLOW_FEED_STRIDE) {
            if (flow && strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_FLOW_ID), flow) != 0) continue;
            print_entry(ctx, op, r);
            if (flow && strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_KIND), "flow") == 0) settled = 1;
        }
        fflush(stdout);
        snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
        ff_op_free(op);
        op = NULL;
        if (settled) break;
        int64_t ms = idle_s ? idle_s * 1000 : 30LL * 86400 * 1000;
        int st = ff_flow_feed_wait(c, (uint32_t)part, cur, (uint32_t)count, ms, NULL, NULL, &op);
        if (st == FF_OK) st = ff_op_wait(op, -1);
        if (st == FF_ETIMEDOUT && idle_s) break; /* --idle: nothing came for that long */
        if (st == FF_ETIMEDOUT) continue;
        if (st != FF_OK) {
            cli_error(st, "%s (feed)", op && ff_op_errmsg(op)[0] ? ff_op_errmsg(op) : ff_strerror(st));
            rc = CLI_EOP;
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_flow_follow = {
    "flow follow", run_follow, "flow follow (--partition N | --flow ID) [--cursor C] [--idle S] [--count N]",
    "Print the completion feed as it grows: every member ending and flow settling.",
    "  --partition N   follow that partition's feed\n"
    "  --flow ID       only this flow's entries (on its partition); stops when it settles\n"
    "  --cursor C      start after entry C (default \"$\": from now on; \"\" = the oldest kept)\n"
    "  --idle S        stop after S seconds without a new entry (default: never)\n"
    "  --count N       entries per read, 1..1000 (default 100)\n"
    "\n"
    "One line per entry: ID FLOW_ID member|flow EXECUTION_ID OUTCOME (EXECUTION_ID\n"
    "\"-\" for a flow's settling); --json: one object per line. Pass the last ID\n"
    "as --cursor to resume without missing anything the retention kept. Woken by\n"
    "each append (no polling).\n",
};
