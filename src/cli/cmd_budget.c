/*
 * `ffctl budget SUBCOMMAND`: operator commands for budgets (budget.h,
 * docs/budgets.md): create, update, describe, list, report, release, reset.
 * Every subcommand is a cli_cmd of its own (name "budget X"), so usage
 * errors and --help name it; `budget` itself only picks one.
 *
 * `budget report` exits CLI_EBREACH when the server refused the report as a
 * hard breach (nothing applied), so a script can tell "over the limit" from
 * "the call failed" (1) and "bad arguments" (2).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

#define LABEL "%-16s"
#define MAX_DIMS 64
#define DIM_NAME_MAX 64
#define DIM_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
enum { CLI_EBREACH = 3 };

/* ------------------------------------------------------ --dim arguments */

/* The dimensions given with repeated --dim options: NAME=A[:B]. For limits
 * A is the hard and B the soft limit (default 0 = none); for a report A is
 * the delta and B is not allowed. */
typedef struct dim_args {
    size_t n;
    char names[MAX_DIMS][DIM_NAME_MAX + 1];
    const char *name_ptrs[MAX_DIMS];
    int64_t a[MAX_DIMS], b[MAX_DIMS];
} dim_args;

static int dim_opt(cli_iter *it, dim_args *d, int with_soft) {
    const char *v = NULL;
    if (!cli_opt(it, "dim", &v)) return 0;
    if (v[0] == '\0') return 1; /* missing value: already recorded */
    const char *eq = strchr(v, '=');
    size_t len = eq ? (size_t)(eq - v) : 0;
    if (eq == NULL || len == 0) {
        cli_bad(it, "--dim '%s': expected NAME=%s", v, with_soft ? "HARD[:SOFT]" : "DELTA");
        return 1;
    }
    if (len > DIM_NAME_MAX || strspn(v, DIM_CHARS) < len) {
        cli_bad(it, "--dim '%s': a dimension name is 1..%d bytes of [A-Za-z0-9_.-]", v, DIM_NAME_MAX);
        return 1;
    }
    if (d->n == MAX_DIMS) {
        cli_bad(it, "at most %d --dim options", MAX_DIMS);
        return 1;
    }
    char num[64];
    const char *rest = eq + 1;
    const char *colon = strchr(rest, ':');
    size_t alen = colon ? (size_t)(colon - rest) : strlen(rest);
    if (alen >= sizeof num || (colon && !with_soft)) {
        cli_bad(it, "--dim '%s': expected NAME=%s", v, with_soft ? "HARD[:SOFT]" : "DELTA");
        return 1;
    }
    memcpy(num, rest, alen);
    num[alen] = '\0';
    int64_t a = 0, b = 0;
    if (!cli_parse_i64(it, with_soft ? "--dim hard limit" : "--dim delta", num, 0, INT64_MAX, &a)) return 1;
    if (colon && !cli_parse_i64(it, "--dim soft limit", colon + 1, 0, INT64_MAX, &b)) return 1;
    for (size_t i = 0; i < d->n; i++)
        if (strlen(d->names[i]) == len && memcmp(d->names[i], v, len) == 0) {
            cli_bad(it, "--dim %.*s given twice", (int)len, v);
            return 1;
        }
    memcpy(d->names[d->n], v, len);
    d->names[d->n][len] = '\0';
    d->name_ptrs[d->n] = d->names[d->n];
    d->a[d->n] = a;
    d->b[d->n] = b;
    d->n++;
    return 1;
}

/* The first positional argument as the budget id. */
static int one_id(cli_iter *it, const char **id) {
    const char *p = NULL;
    if (*id == NULL && cli_pos(it, &p)) {
        *id = p;
        return 1;
    }
    return 0;
}

/* A spec holding the limits of @p d (and the other settings when given).
 * The spec checks names and limits as they are added: a refusal is a usage
 * error (CLI_EUSAGE, printed); else CLI_OK. */
static int build_spec(const cli_cmd *cmd, const dim_args *d, const char *scope, const char *scope_id,
                      const char *on_hard, const char *on_soft, int64_t interval, ff_budget_spec **out) {
    ff_budget_spec *s = NULL;
    if (ff_budget_spec_new(&s) != FF_OK) return cli_error(FF_ENOMEM, "out of memory");
    int rc = CLI_OK;
    if ((scope || scope_id) && ff_budget_spec_set_scope(s, scope ? scope : "global", scope_id) != FF_OK)
        rc = cli_usage_error(cmd, "bad --scope/--scope-id");
    if (rc == CLI_OK && (on_hard || on_soft) && ff_budget_spec_set_actions(s, on_hard, on_soft) != FF_OK)
        rc = cli_usage_error(cmd, "bad --on-hard/--on-soft (on-hard: block, cancel_pending, notify; on-soft: "
                                  "notify, block)");
    if (rc == CLI_OK && interval > 0 && ff_budget_spec_set_reset_interval(s, interval) != FF_OK)
        rc = cli_usage_error(cmd, "bad --reset-interval-ms %" PRId64, interval);
    for (size_t i = 0; rc == CLI_OK && i < d->n; i++)
        if (ff_budget_spec_add_dimension(s, d->names[i], d->a[i], d->b[i]) != FF_OK)
            rc = cli_usage_error(cmd,
                                 "bad --dim %s=%" PRId64 ":%" PRId64
                                 " (names: [A-Za-z0-9_.-]; the soft limit may not exceed the hard one)",
                                 d->names[i], d->a[i], d->b[i]);
    if (rc != CLI_OK) {
        ff_budget_spec_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

/* ---------------------------------------------------------------- create */

static int run_create(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *scope = NULL, *scope_id = NULL, *on_hard = NULL, *on_soft = NULL;
    int64_t interval = 0;
    static dim_args d; /* 4 KiB+: not on the stack */
    memset(&d, 0, sizeof d);
    while (cli_next(&it)) {
        if (dim_opt(&it, &d, 1)) continue;
        if (cli_opt(&it, "scope", &scope) || cli_opt(&it, "scope-id", &scope_id)) continue;
        if (cli_opt(&it, "on-hard", &on_hard) || cli_opt(&it, "on-soft", &on_soft)) continue;
        if (cli_opt_i64(&it, "reset-interval-ms", 0, 31536000000LL, &interval)) continue;
        if (one_id(&it, &id)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing budget id");
    ff_budget_spec *s = NULL;
    if ((rc = build_spec(cmd, &d, scope, scope_id, on_hard, on_soft, interval, &s)) != CLI_OK) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        ff_budget_spec_free(s);
        return rc;
    }
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_create(c, id, s, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK) {
        int created = strcmp(ff_op_text(op), "created") == 0, same = ff_op_int(op) == 1;
        const char *next = ff_op_item(op, 0);
        if (ctx->json) {
            printf("{\"budget_id\":");
            cli_json_str(id);
            printf(",\"result\":");
            cli_json_str(ff_op_text(op));
            printf(",\"same\":%s,\"next_reset_at\":%s}\n", same ? "true" : "false", next && next[0] ? next : "null");
        } else if (created) {
            printf("%s  created\n", id);
        } else {
            printf("%s  existed, limits kept (%s)\n", id,
                   same ? "the stored definition equals this one"
                        : "the stored definition differs and was NOT changed: use 'ffctl budget update'");
        }
        if (!ctx->json && next && next[0]) {
            char ts[40];
            printf("next reset at %s\n", cli_iso8601(strtoll(next, NULL, 10), ts, sizeof ts));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    ff_budget_spec_free(s);
    return rc;
}

/* ---------------------------------------------------------------- update */

static int run_update(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    static dim_args d;
    memset(&d, 0, sizeof d);
    while (cli_next(&it)) {
        if (dim_opt(&it, &d, 1)) continue;
        if (one_id(&it, &id)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing budget id");
    if (d.n == 0) return cli_usage_error(cmd, "give at least one --dim NAME=HARD[:SOFT]");
    ff_budget_spec *s = NULL;
    if ((rc = build_spec(cmd, &d, NULL, NULL, NULL, NULL, 0, &s)) != CLI_OK) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        ff_budget_spec_free(s);
        return rc;
    }
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_update(c, id, s, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK) {
        if (ctx->json) {
            printf("{\"budget_id\":");
            cli_json_str(id);
            printf(",\"limited_dimensions\":%" PRId64 "}\n", ff_op_int(op));
        } else {
            printf("%s  updated (%" PRId64 " dimensions with a limit)\n", id, ff_op_int(op));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    ff_budget_spec_free(s);
    return rc;
}

/* -------------------------------------------------------------- describe */

static int64_t jint(json_t *o, const char *k) { return (int64_t)json_integer_value(json_object_get(o, k)); }

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s && s[0] ? s : "-";
}

static const char *limit_str(int64_t v, char *buf, size_t cap) {
    if (v == 0) return "-";
    snprintf(buf, cap, "%" PRId64, v);
    return buf;
}

static void print_budget(json_t *doc, uint32_t partition) {
    char ts[40], b1[24];
    printf(LABEL "%s\n", "budget", jstr(doc, "budget_id"));
    printf(LABEL "%u\n", "partition", (unsigned)partition);
    printf(LABEL "%s %s\n", "scope", jstr(doc, "scope_type"), jstr(doc, "scope_id"));
    printf(LABEL "%s\n", "on_hard", jstr(doc, "on_hard"));
    printf(LABEL "%s\n", "on_soft", jstr(doc, "on_soft"));
    printf(LABEL "%s\n", "reset_interval", limit_str(jint(doc, "reset_interval_ms"), b1, sizeof b1));
    printf(LABEL "%s\n", "created_at", cli_iso8601(jint(doc, "created_at"), ts, sizeof ts));
    printf(LABEL "%s\n", "next_reset_at", cli_iso8601(jint(doc, "next_reset_at"), ts, sizeof ts));
    printf(LABEL "%s\n", "last_reset_at", cli_iso8601(jint(doc, "last_reset_at"), ts, sizeof ts));
    printf(LABEL "%" PRId64 "\n", "resets", jint(doc, "reset_count"));
    printf(LABEL "%" PRId64 " hard, %" PRId64 " soft\n", "breaches", jint(doc, "breaches"), jint(doc, "soft_breaches"));
    printf(LABEL "%s %s\n", "last_breach", cli_iso8601(jint(doc, "last_breach_at"), ts, sizeof ts),
           jstr(doc, "last_breach_dim"));
    printf(LABEL "%" PRId64 "\n", "executions", jint(doc, "executions"));

    static const char *const hdr[] = {"DIMENSION", "USAGE", "HARD", "SOFT"};
    json_t *dims = json_object_get(doc, "dimensions");
    printf("\ndimensions\n");
    if (json_object_size(dims) == 0) {
        printf("  (none)\n");
        return;
    }
    cli_table *t = cli_table_new(4, hdr, "lrrr");
    const char *name;
    json_t *dim;
    json_object_foreach(dims, name, dim) {
        char b2[24];
        cli_table_cell(t, "%s", name);
        cli_table_cell(t, "%" PRId64, jint(dim, "usage"));
        cli_table_cell(t, "%s", limit_str(jint(dim, "hard"), b2, sizeof b2));
        cli_table_cell(t, "%s", limit_str(jint(dim, "soft"), b2, sizeof b2));
    }
    cli_table_print(t, stdout, 2);
    cli_table_free(t);
}

static int run_describe(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    while (cli_next(&it))
        if (!one_id(&it, &id)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing budget id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_describe(c, id, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK && ctx->json) {
        printf("%s\n", ff_op_json(op)); /* the server's document as is */
    } else if (rc == CLI_OK) {
        json_error_t jerr;
        json_t *doc = json_loads(ff_op_json(op), 0, &jerr);
        if (doc == NULL) {
            rc = cli_error(FF_EPROTO, "budget document of %s does not parse: %s", id, jerr.text);
        } else {
            print_budget(doc, ff_budget_partition(c, id));
            json_decref(doc);
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------------ list */

typedef struct list_out {
    int json;
    size_t printed;
} list_out;

static void list_print(list_out *o, const ff_op *op) {
    size_t n = ff_op_item_count(op);
    for (size_t i = FF_ITEMS_LIST_BUDGETS_BUDGET_ID; i < n; i += FF_ITEMS_LIST_BUDGETS_STRIDE) {
        const char *id = ff_op_item(op, i);
        if (o->json) {
            if (o->printed) putchar(',');
            cli_json_str(id);
        } else {
            printf("%s\n", id);
        }
        o->printed++;
    }
}

/* Every partition: the first pages all in flight at once, then each
 * partition's further pages in turn (output ordered by partition, then id). */
static int list_all(const cli_cmd *cmd, ff_client *c, uint32_t limit, list_out *o) {
    uint32_t parts = ff_client_partitions(c);
    ff_op **ops = calloc(parts ? parts : 1, sizeof *ops);
    int *sts = calloc(parts ? parts : 1, sizeof *sts);
    if (ops == NULL || sts == NULL) {
        free(ops);
        free(sts);
        return cli_error(FF_ENOMEM, "out of memory");
    }
    for (uint32_t p = 0; p < parts; p++) sts[p] = ff_budget_list(c, p, "", limit, NULL, NULL, &ops[p]);
    int rc = CLI_OK;
    for (uint32_t p = 0; p < parts && rc == CLI_OK; p++) {
        char what[48];
        snprintf(what, sizeof what, "budget partition %u", (unsigned)p);
        rc = cli_call_done(cmd, sts[p], &ops[p], what);
        while (rc == CLI_OK) {
            list_print(o, ops[p]);
            const char *next = ff_op_cursor(ops[p]);
            if (next[0] == '\0') break;
            ff_op *page = NULL;
            rc = cli_call_done(cmd, ff_budget_list(c, p, next, limit, NULL, NULL, &page), &page, what);
            ff_op_free(ops[p]);
            ops[p] = page;
        }
    }
    for (uint32_t p = 0; p < parts; p++) ff_op_free(ops[p]);
    free(ops);
    free(sts);
    return rc;
}

static int run_list(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *cursor = NULL;
    int64_t limit = 100, partition = -1;
    int all = 0;
    while (cli_next(&it)) {
        if (cli_opt(&it, "cursor", &cursor)) continue;
        if (cli_flag(&it, "all")) {
            all = 1;
            continue;
        }
        if (cli_opt_i64(&it, "limit", 1, 1000, &limit)) continue;
        if (cli_opt_i64(&it, "partition", 0, 16383, &partition)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (all == (partition >= 0)) return cli_usage_error(cmd, "give exactly one of --partition N or --all");
    if (cursor && all) return cli_usage_error(cmd, "--cursor applies to --partition listings");

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    uint32_t parts = ff_client_partitions(c);
    list_out o = {ctx->json, 0};
    if (partition >= 0 && (uint32_t)partition >= parts) {
        rc = cli_error(FF_EINVAL, "partition %" PRId64 " does not exist: the deployment has %u (0..%u)", partition,
                       (unsigned)parts, (unsigned)parts - 1);
    } else if (all) {
        if (o.json) printf("{\"budget_ids\":[");
        rc = list_all(cmd, c, (uint32_t)limit, &o);
        if (o.json) printf("]}\n");
        if (!o.json && rc == CLI_OK && o.printed == 0) fprintf(stderr, "(no budgets)\n");
    } else {
        char what[48];
        snprintf(what, sizeof what, "budget partition %" PRId64, partition);
        ff_op *op = NULL;
        rc = cli_call_done(cmd, ff_budget_list(c, (uint32_t)partition, cursor ? cursor : "", (uint32_t)limit, NULL, NULL, &op),
                       &op, what);
        if (rc == CLI_OK) {
            const char *next = ff_op_cursor(op);
            if (o.json) printf("{\"budget_ids\":[");
            list_print(&o, op);
            if (o.json) {
                printf("],\"cursor\":");
                cli_json_str(next);
                printf("}\n");
            } else {
                /* stdout holds ids only; "nothing" and the paging hint go to stderr */
                if (o.printed == 0) fprintf(stderr, "(no budgets)\n");
                if (next[0]) fprintf(stderr, "more: repeat with --cursor '%s'\n", next);
            }
        }
        ff_op_free(op);
    }
    ff_client_free(c);
    return rc;
}

/* ---------------------------------------------------------------- report */

static int run_report(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *dedup = NULL;
    static dim_args d;
    memset(&d, 0, sizeof d);
    while (cli_next(&it)) {
        if (dim_opt(&it, &d, 0)) continue;
        if (cli_opt(&it, "dedup-key", &dedup)) continue;
        if (one_id(&it, &id)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing budget id");
    if (d.n == 0) return cli_usage_error(cmd, "give at least one --dim NAME=DELTA");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_report_usage(c, NULL, id, d.name_ptrs, d.a, d.n, dedup, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK) {
        const char *outcome = ff_op_text(op), *dim = ff_op_item(op, 0), *cur = ff_op_item(op, 1),
                   *lim = ff_op_item(op, 2);
        int breach = strcmp(outcome, "soft_breach") == 0 || strcmp(outcome, "hard_breach") == 0;
        if (ctx->json) {
            printf("{\"budget_id\":");
            cli_json_str(id);
            printf(",\"outcome\":");
            cli_json_str(outcome);
            if (breach) {
                printf(",\"dimension\":");
                cli_json_str(dim);
                printf(",\"current\":%s,\"limit\":%s", cur, lim);
            }
            printf("}\n");
        } else if (breach) {
            printf("%s  dimension %s, current %s, limit %s%s\n", outcome, dim, cur, lim,
                   outcome[0] == 'h' ? " (nothing applied)" : "");
        } else {
            printf("%s\n", outcome);
        }
        if (strcmp(outcome, "hard_breach") == 0) rc = CLI_EBREACH;
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------- release / reset */

static int run_release(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *eid = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (one_id(&it, &id)) continue;
        if (eid == NULL && cli_pos(&it, &p)) {
            eid = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL || eid == NULL) return cli_usage_error(cmd, "give a budget id and an execution id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_release(c, id, eid, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK) {
        if (ctx->json) {
            printf("{\"budget_id\":");
            cli_json_str(id);
            printf(",\"result\":");
            cli_json_str(ff_op_text(op));
            printf(",\"dimensions\":%" PRId64 "}\n", ff_op_int(op));
        } else {
            printf("%s (%" PRId64 " dimensions given back)\n", ff_op_text(op), ff_op_int(op));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

static int run_reset(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    while (cli_next(&it))
        if (!one_id(&it, &id)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing budget id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = cli_call_done(cmd, ff_budget_reset(c, id, NULL, NULL, &op), &op, id);
    if (rc == CLI_OK) {
        const char *next = ff_op_text(op);
        if (ctx->json) {
            printf("{\"budget_id\":");
            cli_json_str(id);
            printf(",\"reset_count\":%" PRId64 ",\"next_reset_at\":%s}\n", ff_op_int(op), next[0] ? next : "null");
        } else {
            char ts[40];
            printf("%s  reset (resets so far: %" PRId64 "; next reset: %s)\n", id, ff_op_int(op),
                   next[0] ? cli_iso8601(strtoll(next, NULL, 10), ts, sizeof ts) : "none");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------- the table */

static const cli_cmd sub_create = {
    "budget create", run_create,
    "budget create ID --dim NAME=HARD[:SOFT]... [--reset-interval-ms N] [--on-hard A] [--on-soft A] "
    "[--scope TYPE] [--scope-id ID]",
    "Create a budget (idempotent); says whether it existed (its limits are then kept).",
    "  --dim NAME=HARD[:SOFT]  a dimension with its hard and soft limit (0 or no\n"
    "                          SOFT = none); repeat for more (at most 64)\n"
    "  --reset-interval-ms N   reset every usage counter every N ms (default 0: never)\n"
    "  --on-hard A             block, cancel_pending or notify (default notify)\n"
    "  --on-soft A             notify or block (default notify)\n"
    "  --scope TYPE            global (default), tenant, namespace, lane, flow or execution\n"
    "  --scope-id ID           what the scope names (e.g. the tenant)\n"
    "\n"
    "Creating an existing id changes nothing: it prints \"existed, limits kept\"\n"
    "and whether the stored definition equals the one given. Change limits with\n"
    "'ffctl budget update'. --json prints {budget_id, result (created|existing),\n"
    "same, next_reset_at}.\n",
};

static const cli_cmd sub_update = {
    "budget update", run_update, "budget update ID --dim NAME=HARD[:SOFT]...",
    "Change the limits of some dimensions of a budget.",
    "  --dim NAME=HARD[:SOFT]  the new limits of one dimension (0:0 removes them);\n"
    "                          dimensions not named keep theirs\n"
    "\n"
    "A raise that makes room returns blocked executions to eligible. --json prints\n"
    "{budget_id, limited_dimensions}.\n",
};

static const cli_cmd sub_describe = {
    "budget describe", run_describe, "budget describe ID [--json]",
    "Show a budget: scope, actions, counters, and usage and limits per dimension.",
    "  --json   the server's budget document as is (docs/budgets.md, \"C API\")\n"
    "\n"
    "Limits shown as '-' are not set (0). 'executions' counts the executions with\n"
    "spend recorded since the last reset.\n",
};

static const cli_cmd sub_list = {
    "budget list", run_list, "budget list --partition N [--limit N] [--cursor C] | budget list --all [--limit N]",
    "List budget ids, one per line (stdout holds only ids).",
    "  --partition N   the budgets of budget partition N ({b:N}), one page, in byte order\n"
    "  --cursor C      continue after the cursor a previous page printed (on stderr:\n"
    "                  \"more: repeat with --cursor C\")\n"
    "  --all           every partition, following the cursors to the end\n"
    "  --limit N       page size 1..1000 (default 100)\n"
    "\n"
    "'ffctl budget describe ID' shows a budget's partition. --json prints\n"
    "{\"budget_ids\":[...], \"cursor\":\"C\"} (--partition; \"\" when complete) or\n"
    "{\"budget_ids\":[...]} (--all).\n",
};

static const cli_cmd sub_report = {
    "budget report", run_report, "budget report ID --dim NAME=DELTA... [--dedup-key K]",
    "Report usage as an operator (no execution, no ledger): all deltas apply or none.",
    "  --dim NAME=DELTA   add DELTA (>= 0) to a dimension; repeat for more\n"
    "  --dedup-key K      a key seen in the last 24 h applies nothing (already_applied)\n"
    "\n"
    "Prints the outcome: applied, already_applied, soft_breach (applied; the first\n"
    "dimension past its soft limit) or hard_breach (one delta would pass its hard\n"
    "limit: NOTHING applied), with the dimension, its current usage and the limit.\n"
    "Exit status: 0 applied, already_applied or soft_breach; 3 hard_breach;\n"
    "1 the call failed; 2 usage error. --json prints {budget_id, outcome[,\n"
    "dimension, current, limit]}.\n",
};

static const cli_cmd sub_release = {
    "budget release", run_release, "budget release ID EXECUTION",
    "Give back what one execution recorded in the budget since its last reset.",
    "Prints released or noop (nothing recorded, already released, or reset since)\n"
    "and the number of dimensions given back. Idempotent.\n",
};

static const cli_cmd sub_reset = {
    "budget reset", run_reset, "budget reset ID",
    "Reset now: every usage counter to 0, ledgers dropped, the next reset scheduled.",
    "Prints the reset count and the next scheduled reset (none without an\n"
    "interval). --json prints {budget_id, reset_count, next_reset_at}.\n",
};

static const cli_cmd *const subs[] = {&sub_create, &sub_update,  &sub_describe, &sub_list,
                                      &sub_report, &sub_release, &sub_reset};
#define NSUBS (sizeof subs / sizeof subs[0])

static int run_budget(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    return cli_dispatch(ctx, cmd, argc, argv, subs, NSUBS);
}

const cli_cmd cli_cmd_budget = {
    "budget",
    run_budget,
    "budget create|update|describe|list|report|release|reset ...",
    "Budgets (spend limits): create, change, inspect, report usage, reset.",
    "  create ID --dim NAME=HARD[:SOFT]... [--reset-interval-ms N] [--on-hard A]\n"
    "         [--on-soft A] [--scope TYPE] [--scope-id ID]\n"
    "                         create a budget (idempotent; a repeat keeps the limits)\n"
    "  update ID --dim NAME=HARD[:SOFT]...\n"
    "                         change limits\n"
    "  describe ID [--json]   scope, actions, counters, usage and limits\n"
    "  list --partition N [--limit N] [--cursor C] | list --all [--limit N]\n"
    "                         budget ids\n"
    "  report ID --dim NAME=DELTA... [--dedup-key K]\n"
    "                         report usage (exit 3 on a hard breach)\n"
    "  release ID EXECUTION   give back one execution's recorded spend\n"
    "  reset ID               every usage counter to 0 now\n"
    "\n"
    "'ffctl budget SUBCOMMAND --help' explains each one; concepts in docs/budgets.md.\n",
};
