/*
 * `ffctl quota SUBCOMMAND` and `ffctl group SUBCOMMAND`: operator commands
 * for admission (quota.h, docs/admission.md): a lane's quota policy, held
 * per group, and group pauses. Each subcommand is a cli_cmd of its own, as
 * in cmd_budget.c, so usage errors and --help name it.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

#define LABEL "%-16s"
/* a pause lasts at most a year (quota.h: ff_group_pause) */
#define PAUSE_MAX_S 31536000LL

static int64_t jint(json_t *o, const char *k) { return (int64_t)json_integer_value(json_object_get(o, k)); }

static const char *limit_str(int64_t v, char *buf, size_t cap) {
    if (v == 0) return "-";
    snprintf(buf, cap, "%" PRId64, v);
    return buf;
}

/* ---------------------------------------------------------- quota create */

static int run_create(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL, *id = NULL;
    const char **slots[] = {&lane, &id};
    int64_t rate = -1, window = -1, conc = -1;
    while (cli_next(&it)) {
        if (cli_opt_i64(&it, "rate", 1, INT64_MAX, &rate)) continue;
        if (cli_opt_i64(&it, "window-ms", 1, 86400000, &window)) continue;
        if (cli_opt_i64(&it, "concurrency", 1, INT64_MAX, &conc)) continue;
        if (cli_positional(&it, slots, 2)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (lane == NULL || id == NULL) return cli_usage_error(cmd, "give a lane and a quota id");
    if ((rate < 0) != (window < 0)) return cli_usage_error(cmd, "--rate and --window-ms go together");
    if (rate < 0 && conc < 0) return cli_usage_error(cmd, "give --rate N --window-ms MS, --concurrency C, or both");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd,
                   ff_quota_create(c, lane, id, rate < 0 ? 0 : rate, window < 0 ? 0 : window, conc < 0 ? 0 : conc,
                                   NULL, NULL, &op),
                   &op, lane);
    if (rc == CLI_OK && ctx->json) {
        printf("%s\n", ff_op_json(op)); /* {outcome, same, rate, window_ms, concurrency} */
    } else if (rc == CLI_OK) {
        json_t *doc = json_loads(ff_op_json(op), 0, NULL);
        int same = doc && json_is_true(json_object_get(doc, "same"));
        char b1[24], b2[24], b3[24];
        if (strcmp(ff_op_text(op), "created") == 0)
            printf("%s  quota %s created\n", lane, id);
        else
            printf("%s  quota %s existed, limits kept (%s)\n", lane, id,
                   same ? "the stored limits equal these" : "the stored limits differ and were NOT changed");
        printf("rate %s per %s ms, concurrency %s (per group)\n", limit_str(jint(doc, "rate"), b1, sizeof b1),
               limit_str(jint(doc, "window_ms"), b2, sizeof b2), limit_str(jint(doc, "concurrency"), b3, sizeof b3));
        json_decref(doc);
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* -------------------------------------------------------- quota describe */

static int run_describe(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL;
    const char **slots[] = {&lane};
    while (cli_next(&it))
        if (!cli_positional(&it, slots, 1)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (lane == NULL) return cli_usage_error(cmd, "missing lane");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    /* every page of groups, merged into the first page's document */
    json_t *doc = NULL, *groups = NULL;
    char *cursor = NULL;
    do {
        ff_op *op = NULL;
        rc = cli_call_done(cmd, ff_quota_describe(c, lane, cursor, 1000, NULL, NULL, &op), &op, lane);
        free(cursor);
        cursor = NULL;
        if (rc != CLI_OK) {
            ff_op_free(op);
            break;
        }
        json_t *page = json_loads(ff_op_json(op), 0, NULL);
        ff_op_free(op);
        if (page == NULL) {
            rc = cli_error(FF_EPROTO, "quota document of %s does not parse", lane);
            break;
        }
        const char *next = json_string_value(json_object_get(page, "next_cursor"));
        if (next && next[0]) cursor = strdup(next);
        if (doc == NULL) {
            doc = page;
            groups = json_object_get(doc, "groups");
        } else {
            json_array_extend(groups, json_object_get(page, "groups"));
            json_decref(page);
        }
    } while (cursor);
    if (rc == CLI_OK && doc) {
        json_object_del(doc, "next_cursor");
        if (ctx->json) {
            char *s = json_dumps(doc, JSON_COMPACT);
            printf("%s\n", s ? s : "{}");
            free(s);
        } else {
            const char *qid = json_string_value(json_object_get(doc, "quota_id"));
            char b1[24], ts[40];
            printf(LABEL "%s\n", "lane", lane);
            printf(LABEL "%s\n", "quota", qid ? qid : "(none)");
            printf(LABEL "%s\n", "rate", limit_str(jint(doc, "rate"), b1, sizeof b1));
            printf(LABEL "%s\n", "window_ms", limit_str(jint(doc, "window_ms"), b1, sizeof b1));
            printf(LABEL "%s\n", "concurrency", limit_str(jint(doc, "concurrency"), b1, sizeof b1));
            printf("\ngroups\n");
            if (json_array_size(groups) == 0) {
                printf("  (none)\n");
            } else {
                static const char *const hdr[] = {"GROUP", "HOLDERS", "WINDOW_USED", "PARKED", "PAUSED_UNTIL"};
                cli_table *t = cli_table_new(5, hdr, "lrrrl");
                size_t i;
                json_t *g;
                json_array_foreach(groups, i, g) {
                    const char *name = json_string_value(json_object_get(g, "group"));
                    int64_t until = jint(g, "paused_until");
                    cli_table_cell(t, "%s", name && name[0] ? name : "\"\" (default)");
                    cli_table_cell(t, "%" PRId64, jint(g, "holders"));
                    cli_table_cell(t, "%" PRId64, jint(g, "window_used"));
                    cli_table_cell(t, "%" PRId64, jint(g, "parked"));
                    cli_table_cell(t, "%s", until ? cli_iso8601(until, ts, sizeof ts) : "-");
                }
                cli_table_print(t, stdout, 2);
                cli_table_free(t);
            }
        }
    }
    json_decref(doc);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------ quota list */

static int run_list(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    json_t *lanes = NULL;
    rc = cli_all_pages(cmd, c, ff_quota_list, "lanes", &lanes);
    if (rc == CLI_OK) {
        size_t i;
        json_t *l;
        if (ctx->json) printf("{\"lanes\":[");
        json_array_foreach(lanes, i, l) {
            if (ctx->json) {
                if (i) putchar(',');
                cli_json_str(json_string_value(l));
            } else {
                printf("%s\n", json_string_value(l));
            }
        }
        if (ctx->json) printf("]}\n");
        if (!ctx->json && json_array_size(lanes) == 0) fprintf(stderr, "(no quotas)\n");
    }
    json_decref(lanes);
    ff_client_free(c);
    return rc;
}

/* ----------------------------------------------------- group pause/resume */

static int run_pause(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL, *group = NULL;
    const char **slots[] = {&lane, &group};
    int64_t until = -1, secs = -1;
    while (cli_next(&it)) {
        if (cli_opt_i64(&it, "until", 1, INT64_MAX / 2, &until)) continue;
        if (cli_opt_i64(&it, "for", 1, PAUSE_MAX_S, &secs)) continue;
        if (cli_positional(&it, slots, 2)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (lane == NULL || group == NULL) return cli_usage_error(cmd, "give a lane and a group (\"\" = the default group)");
    if ((until < 0) == (secs < 0)) return cli_usage_error(cmd, "give exactly one of --until MS or --for SECONDS");
    if (secs > 0) until = cli_now_ms() + secs * 1000;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_group_pause(c, lane, group, until, NULL, NULL, &op), &op, lane);
    if (rc == CLI_OK) {
        char ts[40];
        if (ctx->json) {
            printf("{\"lane\":");
            cli_json_str(lane);
            printf(",\"group\":");
            cli_json_str(group);
            printf(",\"paused_until\":%" PRId64 "}\n", ff_op_int(op));
        } else {
            printf("%s/%s  paused until %s%s\n", lane, group, cli_iso8601(ff_op_int(op), ts, sizeof ts),
                   ff_op_int(op) > until ? " (a longer pause was already set and is kept)" : "");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

static int run_resume(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL, *group = NULL;
    const char **slots[] = {&lane, &group};
    while (cli_next(&it))
        if (!cli_positional(&it, slots, 2)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (lane == NULL || group == NULL) return cli_usage_error(cmd, "give a lane and a group (\"\" = the default group)");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_group_resume(c, lane, group, NULL, NULL, &op), &op, lane);
    if (rc == CLI_OK) {
        int was = ff_op_int(op) == 1;
        if (ctx->json) {
            printf("{\"lane\":");
            cli_json_str(lane);
            printf(",\"group\":");
            cli_json_str(group);
            printf(",\"was_paused\":%s}\n", was ? "true" : "false");
        } else {
            printf("%s/%s  %s\n", lane, group, was ? "resumed" : "was not paused");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------- the tables */

static const cli_cmd sub_create = {
    "quota create", run_create, "quota create LANE QUOTA_ID [--rate N --window-ms MS] [--concurrency C]",
    "Give a lane its quota policy, held per group (idempotent; a repeat keeps the limits).",
    "  --rate N          at most N lease starts per group in any sliding window\n"
    "  --window-ms MS    the window of --rate, 1..86400000 ms (given together)\n"
    "  --concurrency C   at most C leases of one group at once\n"
    "\n"
    "Give a rate, a concurrency, or both. Work over a limit waits in state\n"
    "rate_limited and returns by itself. A repeat prints \"existed, limits kept\".\n"
    "--json prints {outcome (created|existing), same, rate, window_ms, concurrency}.\n",
};

static const cli_cmd sub_describe = {
    "quota describe", run_describe, "quota describe LANE [--json]",
    "Show a lane's quota policy and, per group, holders, window use, parked work and pause.",
    "Limits shown as '-' are not set. The default group (executions without a\n"
    "group) is shown as \"\" (default). --json prints the server's document with\n"
    "every page of groups merged (docs/admission.md).\n",
};

static const cli_cmd sub_list = {
    "quota list", run_list, "quota list [--json]", "List the lanes that have a quota policy, one per line.",
    "--json prints {\"lanes\":[...]}.\n",
};

static const cli_cmd *const quota_subs[] = {&sub_create, &sub_describe, &sub_list};

static const cli_cmd sub_pause = {
    "group pause", run_pause, "group pause LANE GROUP --until MS | --for SECONDS",
    "Pause a group of a lane: its work is parked, not failed, until then.",
    "  --until MS      until this unix time in ms (within a year)\n"
    "  --for SECONDS   for this long from now (this machine's clock)\n"
    "\n"
    "GROUP \"\" is the default group. A longer pause already set is kept; the\n"
    "pause end stored is printed. --json prints {lane, group, paused_until}.\n",
};

static const cli_cmd sub_resume = {
    "group resume", run_resume, "group resume LANE GROUP",
    "End a group's pause now; its parked work returns as the policy allows.",
    "--json prints {lane, group, was_paused}.\n",
};

static const cli_cmd *const group_subs[] = {&sub_pause, &sub_resume};

static int run_quota(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return cli_dispatch(ctx, cmd, argc, argv, quota_subs, sizeof quota_subs / sizeof quota_subs[0]);
}

static int run_group(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return cli_dispatch(ctx, cmd, argc, argv, group_subs, sizeof group_subs / sizeof group_subs[0]);
}

const cli_cmd cli_cmd_quota = {
    "quota",
    run_quota,
    "quota create|describe|list ...",
    "Lane quotas held per group (admission): create, inspect, list.",
    "  create LANE QUOTA_ID [--rate N --window-ms MS] [--concurrency C]\n"
    "                         give a lane its policy (idempotent)\n"
    "  describe LANE [--json] limits and, per group, holders, window use, parked\n"
    "  list                   lanes with a policy\n"
    "\n"
    "'ffctl quota SUBCOMMAND --help' explains each one; concepts in docs/admission.md.\n",
};

const cli_cmd cli_cmd_group = {
    "group",
    run_group,
    "group pause|resume LANE GROUP ...",
    "Pause or resume one admission group of a lane.",
    "  pause LANE GROUP --until MS | --for SECONDS\n"
    "                         park the group's work until then\n"
    "  resume LANE GROUP      end the pause now\n",
};
