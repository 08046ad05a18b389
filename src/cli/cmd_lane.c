/*
 * `ffctl lane SUBCOMMAND`: the lane registry and operator lane pause
 * (lanes.h, docs/admission.md "Lanes"): create, pause, resume, list.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

/* The one positional LANE of create / resume (and pause, with --reason). */
static int lane_arg(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, const char **lane,
                    const char **reason) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char **slots[] = {lane};
    while (cli_next(&it)) {
        if (reason && cli_opt(&it, "reason", reason)) continue;
        if (!cli_positional(&it, slots, 1)) cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (*lane == NULL) return cli_usage_error(cmd, "missing lane");
    return -1;
}

/* Run one of create / pause / resume and print its yes/no outcome. */
static int run_change(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, int pausing) {
    const char *lane = NULL, *reason = NULL;
    int is_create = strcmp(cmd->name, "lane create") == 0;
    int rc = lane_arg(ctx, cmd, argc, argv, &lane, pausing ? &reason : NULL);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = is_create ? ff_lane_create(c, lane, NULL, NULL, &op)
             : pausing ? ff_lane_pause(c, lane, reason, NULL, NULL, &op)
                       : ff_lane_resume(c, lane, NULL, NULL, &op);
    rc = cli_call_done(cmd, st, &op, lane);
    if (rc == CLI_OK) {
        int yes = ff_op_int(op) == 1;
        const char *key = is_create ? "created" : pausing ? "paused" : "was_paused";
        const char *text = is_create ? (yes ? "configured" : "was already configured")
                           : pausing ? (yes ? "paused" : "was already paused (its first pause is kept)")
                                     : (yes ? "resumed" : "was not paused");
        if (ctx->json) {
            printf("{\"lane\":");
            cli_json_str(lane);
            printf(",\"%s\":%s}\n", key, yes ? "true" : "false");
        } else {
            printf("%s  %s\n", lane, text);
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

static int run_create(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return run_change(ctx, cmd, argc, argv, 0);
}

static int run_pause(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return run_change(ctx, cmd, argc, argv, 1);
}

static int run_resume(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return run_change(ctx, cmd, argc, argv, 0);
}

/* ------------------------------------------------------------ list */

static const char *ms_cell(json_t *v, char *buf, size_t cap) {
    return json_is_integer(v) ? cli_iso8601(json_integer_value(v), buf, cap) : "-";
}

static int run_list(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    json_t *all = NULL;
    rc = cli_all_pages(cmd, c, ff_lanes_page, "lanes", &all);
    if (rc == CLI_OK) {
        if (ctx->json) {
            json_t *doc = json_pack("{s:O}", "lanes", all);
            char *s = json_dumps(doc, JSON_COMPACT);
            printf("%s\n", s ? s : "{}");
            free(s);
            json_decref(doc);
        } else if (json_array_size(all) == 0) {
            printf("(no lanes)\n");
        } else {
            static const char *const hdr[] = {"LANE", "CONFIGURED", "PAUSED", "PAUSED_AT", "REASON"};
            cli_table *t = cli_table_new(5, hdr, "lllll");
            size_t i;
            json_t *l;
            json_array_foreach(all, i, l) {
                char b1[40], b2[40];
                const char *why = json_string_value(json_object_get(l, "reason"));
                cli_table_cell(t, "%s", json_string_value(json_object_get(l, "lane")));
                cli_table_cell(t, "%s", ms_cell(json_object_get(l, "configured_at"), b1, sizeof b1));
                cli_table_cell(t, "%s", json_is_true(json_object_get(l, "paused")) ? "yes" : "no");
                cli_table_cell(t, "%s", ms_cell(json_object_get(l, "paused_at"), b2, sizeof b2));
                cli_table_cell(t, "%s", why && why[0] ? why : "-");
            }
            cli_table_print(t, stdout, 0);
            cli_table_free(t);
        }
    }
    json_decref(all);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------- the tables */

static const cli_cmd sub_create = {
    "lane create", run_create, "lane create LANE [--json]",
    "Configure a lane: listed before any execution uses it, kept by retention.",
    "Idempotent. --json prints {lane, created}.\n",
};

static const cli_cmd sub_pause = {
    "lane pause", run_pause, "lane pause LANE [--reason TEXT] [--json]",
    "Pause a lane: no worker leases its work until it is resumed.",
    "Its executions keep their place (public state waiting; describe shows\n"
    "blocked_by_operator / paused_by_operator); submitting to it still works.\n"
    "A paused lane keeps its first pause time and reason (at most 1024 bytes).\n"
    "--json prints {lane, paused}.\n",
};

static const cli_cmd sub_resume = {
    "lane resume", run_resume, "lane resume LANE [--json]",
    "Resume a paused lane; its idle workers are woken at once.",
    "--json prints {lane, was_paused}.\n",
};

static const cli_cmd sub_list = {
    "lane list", run_list, "lane list [--json]",
    "List every lane (configured or in use) with its configuration and pause.",
    "Lanes are in byte order; every page is read. --json prints {\"lanes\":[{lane,\n"
    "configured, configured_at, paused, paused_at, reason}, ...]} (times in unix ms).\n",
};

static const cli_cmd *const lane_subs[] = {&sub_create, &sub_pause, &sub_resume, &sub_list};

static int run_lane(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return cli_dispatch(ctx, cmd, argc, argv, lane_subs, sizeof lane_subs / sizeof lane_subs[0]);
}

const cli_cmd cli_cmd_lane = {
    "lane",
    run_lane,
    "lane create|pause|resume|list ...",
    "The lane registry and operator lane pause.",
    "  create LANE            configure a lane (idempotent)\n"
    "  pause LANE [--reason TEXT]\n"
    "                         no claim leases its work until resumed\n"
    "  resume LANE            resume it and wake its workers\n"
    "  list                   every lane with configuration and pause\n"
    "\n"
    "'ffctl lane SUBCOMMAND --help' explains each one; concepts in docs/admission.md.\n",
};
