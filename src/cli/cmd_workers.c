/*
 * `ffctl workers`: the worker registry (workers.h, docs/admission.md,
 * "Capability routing and the worker registry"): the live registered
 * workers with their lanes, capabilities and the leases they hold now, and
 * `workers mark-dead ID` to take one out of routing at once.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

/* "a,b,c" of a JSON array of strings into buf. */
static const char *joined(json_t *arr, char *buf, size_t cap) {
    size_t i, at = 0;
    json_t *v;
    buf[0] = '\0';
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        int n = snprintf(buf + at, cap - at, "%s%s", i ? "," : "", s ? s : "");
        if (n < 0 || (size_t)n >= cap - at) break;
        at += (size_t)n;
    }
    return buf;
}

static int run_mark_dead(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *wid = NULL;
    while (cli_next(&it)) {
        if (wid == NULL && cli_pos(&it, &wid)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (wid == NULL) return cli_usage_error(cmd, "missing worker id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = ff_worker_mark_dead(c, wid, NULL, NULL, &op);
    if (st == FF_EINVAL) {
        ff_client_free(c);
        return cli_usage_error(cmd, "%s", ff_error_detail(st));
    }
    rc = cli_wait(st, &op, "mark dead") == FF_OK ? CLI_OK : CLI_EOP;
    if (rc == CLI_OK) {
        int removed = ff_op_int(op) == 1;
        if (ctx->json) {
            printf("{\"worker_id\":");
            cli_json_string(stdout, wid, strlen(wid));
            printf(",\"removed\":%s}\n", removed ? "true" : "false");
        }
        else printf("%s\n", removed ? "removed" : "not registered");
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

static const cli_cmd cmd_mark_dead = {
    "workers mark-dead",
    run_mark_dead,
    "workers mark-dead WORKER_ID",
    "Remove a worker from the registry now (its leases end as usual).",
    NULL,
};

static int run_workers(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    if (argc > 0 && strcmp(argv[0], "mark-dead") == 0) return run_mark_dead(ctx, &cmd_mark_dead, argc - 1, argv + 1);
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *lane = NULL;
    int64_t limit = 1000;
    while (cli_next(&it)) {
        if (cli_opt(&it, "lane", &lane)) continue;
        if (cli_opt_i64(&it, "limit", 1, 1000, &limit)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    static const char *const heads[] = {"WORKER", "INSTANCE", "LANES", "CAPABILITIES", "CONC", "LEASES", "EXPIRES IN"};
    cli_table *t = ctx->json ? NULL : cli_table_new(7, heads, "lllllrr");
    json_t *all = json_array();
    char *cursor = NULL;
    int64_t now = cli_now_ms();
    while (rc == CLI_OK) {
        ff_op *op = NULL;
        int st = ff_workers_list(c, lane, cursor, (uint32_t)limit, NULL, NULL, &op);
        if (st == FF_EINVAL) {
            rc = cli_usage_error(cmd, "%s", ff_error_detail(st));
            break;
        }
        if (cli_wait(st, &op, "list workers") != FF_OK) {
            rc = CLI_EOP;
            break;
        }
        json_t *root = json_loads(ff_op_json(op), 0, NULL);
        json_t *ws = json_object_get(root, "workers");
        size_t i;
        json_t *w;
        json_array_foreach(ws, i, w) {
            json_array_append(all, w);
            if (t) {
                char lanes[256], caps[256];
                cli_table_cell(t, "%s", json_string_value(json_object_get(w, "worker_id")));
                cli_table_cell(t, "%s", json_string_value(json_object_get(w, "instance_id")));
                cli_table_cell(t, "%s", joined(json_object_get(w, "lanes"), lanes, sizeof lanes));
                cli_table_cell(t, "%s", joined(json_object_get(w, "capabilities"), caps, sizeof caps));
                cli_table_cell(t, "%" PRId64, (int64_t)json_integer_value(json_object_get(w, "concurrency")));
                cli_table_cell(t, "%" PRId64, (int64_t)json_integer_value(json_object_get(w, "leases")));
                int64_t left = (int64_t)json_integer_value(json_object_get(w, "expires_at")) - now;
                cli_table_cell(t, "%.1fs", (double)(left > 0 ? left : 0) / 1000.0);
            }
        }
        const char *next = json_string_value(json_object_get(root, "next_cursor"));
        free(cursor);
        cursor = next ? strdup(next) : NULL;
        json_decref(root);
        ff_op_free(op);
        if (cursor == NULL) break;
    }
    free(cursor);
    if (rc == CLI_OK) {
        if (ctx->json) {
            json_t *o = json_pack("{s:O}", "workers", all);
            char *s = json_dumps(o, JSON_COMPACT);
            printf("%s\n", s ? s : "{}");
            free(s);
            json_decref(o);
        } else if (cli_table_rows(t) == 0) {
            fprintf(stderr, "(no live registered workers)\n");
        } else {
            cli_table_print(t, stdout, 0);
        }
    }
    json_decref(all);
    cli_table_free(t);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_workers = {
    "workers",
    run_workers,
    "workers [--lane L] [--limit N] | workers mark-dead WORKER_ID",
    "Live registered workers: lanes, capabilities, leases held now.",
    "  --lane L      only workers of lane L\n"
    "  --limit N     workers per round trip (1..1000, default 1000)\n"
    "  mark-dead ID  remove a worker from the registry now; its leases end as usual\n"
    "\n"
    "Capability routing and the registry: docs/admission.md.\n",
};
