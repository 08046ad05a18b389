/* Read commands: `ffctl result`, `ffctl list`, `ffctl lanes`. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

/* ---------------------------------------------------------------- result */

static int run_result(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (id == NULL && cli_pos(&it, &p)) {
            id = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing execution id");

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_execution_result(c, id, NULL, NULL, &op), &op, id);
    if (st == FF_OK) {
        size_t len = 0;
        const void *bytes = ff_op_bytes(op, &len);
        if (ctx->json) {
            /* JSON strings must be UTF-8: anything else goes out as base64. */
            printf("{\"execution_id\":");
            cli_json_string(stdout, id, strlen(id));
            printf(",\"size\":%zu,", len);
            if (cli_is_utf8(bytes, len)) {
                printf("\"result\":");
                cli_json_string(stdout, bytes, len);
            } else {
                printf("\"result_base64\":\"");
                cli_base64(stdout, bytes, len);
                printf("\"");
            }
            printf("}\n");
        } else if (len > 0 && fwrite(bytes, 1, len, stdout) != len) {
            cli_error(FF_ESYS, "short write of the result to stdout");
            st = FF_ESYS;
        }
    }
    if (fflush(stdout) != 0 && st == FF_OK) {
        cli_error(FF_ESYS, "cannot write to stdout");
        st = FF_ESYS;
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_result = {
    "result",
    run_result,
    "result ID [--json]",
    "Write the result bytes of a finished execution to stdout (raw, binary safe).",
    "Fails (exit 1, the reason on stderr) with FF_EXECUTION_NOT_TERMINAL while the\n"
    "execution is not finished, and with FF_EXECUTION_FAILED / _CANCELLED / _EXPIRED /\n"
    "_SKIPPED when it ended without succeeding.\n"
    "--json prints {\"execution_id\",\"size\",\"result\"} (or \"result_base64\" when the\n"
    "bytes are not UTF-8 text).\n",
};

/* ------------------------------------------------------------------ list */

static const char *const list_states[] = {"waiting",   "delayed", "active",    "completed", "failed",
                                          "cancelled", "expired", "suspended", "skipped"};

static int valid_state(const char *s) {
    for (size_t i = 0; i < sizeof list_states / sizeof list_states[0]; i++)
        if (strcmp(s, list_states[i]) == 0) return 1;
    return 0;
}

/* Human listing: one describe per id, all sent at once (the client pipelines
 * them), so a page of 100 costs one round trip, not 100. */
static void print_list_table(ff_client *c, const ff_op *list) {
    static const char *const hdr[] = {"EXECUTION", "STATE", "KIND", "PRI", "ATTEMPTS", "CREATED"};
    size_t n = ff_op_item_count(list);
    ff_op **ops = calloc(n ? n : 1, sizeof *ops);
    int *sts = calloc(n ? n : 1, sizeof *sts);
    cli_table *t = cli_table_new(6, hdr, "lllrrl");
    if (ops == NULL || sts == NULL || t == NULL) {
        for (size_t i = 0; i < n; i++) printf("%s\n", ff_op_item(list, i));
        goto out;
    }
    for (size_t i = 0; i < n; i++) sts[i] = ff_execution_describe(c, ff_op_item(list, i), NULL, NULL, &ops[i]);
    for (size_t i = 0; i < n; i++) {
        if (sts[i] == FF_OK) sts[i] = ff_op_wait(ops[i], -1);
        const ff_op *d = ops[i];
        cli_table_cell(t, "%s", ff_op_item(list, i));
        if (sts[i] != FF_OK) {
            /* Gone between list and describe (retention) or unreadable:
             * still list the id, say why in the state column. */
            cli_table_cell(t, "(%s)", ff_status_name(sts[i]));
            for (int k = 0; k < 4; k++) cli_table_cell(t, "-");
            continue;
        }
        const char *kind = NULL;
        int64_t pri = 0, att = 0, created = 0;
        char ts[40];
        ff_op_json_str(d, "kind", &kind);
        ff_op_json_i64(d, "priority", &pri);
        ff_op_json_i64(d, "counters.total_attempts", &att);
        ff_op_json_i64(d, "timestamps.created_at", &created);
        cli_table_cell(t, "%s", ff_op_text(d));
        cli_table_cell(t, "%s", kind ? kind : "-");
        cli_table_cell(t, "%" PRId64, pri);
        cli_table_cell(t, "%" PRId64, att);
        cli_table_cell(t, "%s", cli_iso8601(created, ts, sizeof ts));
    }
    if (n == 0)
        printf("(no executions)\n");
    else
        cli_table_print(t, stdout, 0);
out:
    for (size_t i = 0; ops && i < n; i++) ff_op_free(ops[i]);
    free(ops);
    free(sts);
    cli_table_free(t);
}

static int run_list(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL, *state = NULL, *cursor = NULL, *v = NULL;
    int64_t limit = 100, partition = -1;
    int quiet = 0;
    while (cli_next(&it)) {
        if (cli_opt(&it, "lane", &lane) || cli_opt(&it, "state", &state) || cli_opt(&it, "cursor", &cursor)) continue;
        if (cli_opt(&it, "limit", &v)) {
            /* 1000 is the server library's page cap (lua/read.lua). */
            cli_parse_i64(&it, "--limit", v, 1, 1000, &limit);
            continue;
        }
        if (cli_opt_i64(&it, "partition", 0, 16383, &partition)) continue;
        if (cli_flag(&it, "quiet") || strcmp(it.arg, "-q") == 0) {
            quiet = 1;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if ((lane == NULL) == (partition < 0)) return cli_usage_error(cmd, "give exactly one of --lane L or --partition N");
    if (state && lane == NULL) return cli_usage_error(cmd, "--state applies to --lane listings");
    if (state == NULL) state = "waiting";
    if (!valid_state(state))
        return cli_usage_error(cmd, "--state: one of waiting, delayed, active, completed, failed, cancelled, "
                                    "expired, suspended, skipped (got '%s')", state);

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st;
    char what[128];
    if (lane) {
        snprintf(what, sizeof what, "lane %s, state %s", lane, state);
        st = ff_execution_list_lane(c, lane, state, cursor ? cursor : "", (uint32_t)limit, NULL, NULL, &op);
    } else {
        snprintf(what, sizeof what, "partition %" PRId64, partition);
        if ((uint32_t)partition >= ff_client_partitions(c)) {
            /* Say why instead of the library's bare FF_EINVAL. */
            cli_error(FF_EINVAL, "partition %" PRId64 " does not exist: the deployment has %u (0..%u)", partition,
                      (unsigned)ff_client_partitions(c), (unsigned)ff_client_partitions(c) - 1);
            ff_client_free(c);
            return CLI_EOP;
        }
        st = ff_execution_list(c, (uint32_t)partition, cursor ? cursor : "0", (uint32_t)limit, NULL, NULL, &op);
    }
    st = cli_wait(st, &op, what);
    if (st == FF_OK) {
        size_t n = ff_op_item_count(op);
        const char *next = ff_op_cursor(op);
        int more = next[0] && strcmp(next, "0") != 0;
        if (ctx->json) {
            printf("{\"ids\":[");
            for (size_t i = 0; i < n; i++) {
                if (i) putchar(',');
                cli_json_string(stdout, ff_op_item(op, i), strlen(ff_op_item(op, i)));
            }
            printf("],\"cursor\":");
            cli_json_string(stdout, more ? next : "0", strlen(more ? next : "0"));
            printf("}\n");
        } else {
            if (quiet)
                for (size_t i = 0; i < n; i++) printf("%s\n", ff_op_item(op, i));
            else
                print_list_table(c, op);
            /* With -q stdout stays ids-only; the paging hint goes to stderr. */
            if (more) fprintf(quiet ? stderr : stdout, "more: repeat with --cursor %s\n", next);
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_list = {
    "list",
    run_list,
    "list --lane L [--state STATE] [--limit N] [--cursor C] [-q] | list --partition N [--limit N] [--cursor C] [-q]",
    "List execution ids of a lane (by state) or of a partition.",
    "  --lane L        list the lane's executions in one state index\n"
    "  --state STATE   waiting (default), delayed, active, completed, failed,\n"
    "                  cancelled, expired, suspended, skipped\n"
    "  --partition N   list every execution of partition N (any lane, any state)\n"
    "  --limit N       page size, 1..1000 (default 100; a partition page is\n"
    "                  approximate: it follows SSCAN)\n"
    "  --cursor C      continue from the cursor a previous page printed\n"
    "  -q, --quiet     ids only, one per line\n"
    "\n"
    "The human listing describes each id (state, kind, priority, attempts,\n"
    "creation time). --json prints {\"ids\":[...],\"cursor\":\"C\"}; cursor \"0\" means\n"
    "the listing is complete.\n",
};

/* ----------------------------------------------------------------- lanes */

static int run_lanes(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_lanes_list(c, NULL, NULL, &op), &op, "lanes");
    if (st == FF_OK) {
        size_t n = ff_op_item_count(op);
        if (ctx->json) {
            printf("{\"lanes\":[");
            for (size_t i = 0; i < n; i++) {
                if (i) putchar(',');
                cli_json_string(stdout, ff_op_item(op, i), strlen(ff_op_item(op, i)));
            }
            printf("]}\n");
        } else if (n == 0) {
            printf("(no lanes)\n");
        } else {
            printf("LANE\n");
            for (size_t i = 0; i < n; i++) printf("%s\n", ff_op_item(op, i));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_lanes = {
    "lanes", run_lanes, "lanes [--json]", "List every lane that has executions.",
    "Lanes are listed in byte order. 'ffctl stats' adds per-state counts,\n"
    "'ffctl lane list' the configuration and pause of each.\n",
};
