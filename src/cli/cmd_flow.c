/*
 * `ffctl flow SUBCOMMAND`: operator commands for flows (flow.h, docs/flows.md):
 * create, describe, list, edges, edge, group, cancel, graph (follow is
 * cmd_flow_follow.c). Every
 * subcommand is a cli_cmd of its own (name "flow X"), so usage errors and
 * --help name it; `flow` itself only picks one.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_flow_graph.h"
#include "cli/cli_table.h"

#define LABEL "%-14s"

/* Wait for a started call (printing its error): CLI_OK or CLI_EOP. */
static int call_done(int st, ff_op **op, const char *what) {
    return cli_wait(st, op, what) == FF_OK ? CLI_OK : CLI_EOP;
}

/* ---------------------------------------------------------------- create */

#define FLOW_BUDGETS_MAX 16 /* flow.h: ff_flow_create_with_budgets */

static int run_create(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *lane = NULL, *budgets[FLOW_BUDGETS_MAX], *v = NULL;
    size_t nbudgets = 0;
    int64_t max_members = 0, max_incoming = 0;
    while (cli_next(&it)) {
        if (cli_opt(&it, "id", &id) || cli_opt(&it, "lane", &lane)) continue;
        if (cli_opt(&it, "budget", &v)) {
            /* The server checks each id's shape and duplicates. */
            if (nbudgets == FLOW_BUDGETS_MAX) cli_bad(&it, "--budget: at most %d", FLOW_BUDGETS_MAX);
            else budgets[nbudgets++] = v;
            continue;
        }
        if (cli_opt_i64(&it, "max-members", 1, 10000, &max_members)) continue;
        if (cli_opt_i64(&it, "max-incoming", 1, 1000, &max_incoming)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = call_done(ff_flow_create_with_budgets(c, id, lane, (int32_t)max_members, (int32_t)max_incoming, budgets,
                                               nbudgets, NULL, NULL, &op),
                   &op, id && id[0] ? id : "flow create");
    if (rc == CLI_OK) {
        int existed = ff_op_int(op) == 1;
        const char *mm = ff_op_item(op, 0), *mi = ff_op_item(op, 1);
        if (ctx->json) {
            printf("{\"flow_id\":");
            cli_json_str(ff_op_text(op));
            printf(",\"existed\":%s,\"max_members\":%s,\"max_incoming\":%s}\n", existed ? "true" : "false",
                   mm && mm[0] ? mm : "null", mi && mi[0] ? mi : "null");
        } else {
            printf("%s  %s\n", ff_op_text(op), existed ? "existed (unchanged; its stored limits apply)" : "created");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* -------------------------------------------------------------- describe */

static int64_t jint(json_t *o, const char *k) { return (int64_t)json_integer_value(json_object_get(o, k)); }

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

static void print_counts(json_t *doc) {
    static const char *const names[] = {"members",   "started", "ended",   "not_ended", "completed",
                                        "failed",    "cancelled", "expired", "skipped"};
    json_t *counts = json_object_get(doc, "counts");
    printf(LABEL, "counts");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        printf("%s%s %" PRId64, i ? ", " : "", names[i], jint(counts, names[i]));
    printf("\n");
}

static void print_members(json_t *members) {
    static const char *const hdr[] = {"EXECUTION", "STATE"};
    printf("\nmembers\n");
    if (json_array_size(members) == 0) {
        printf("  (none)\n");
        return;
    }
    cli_table *t = cli_table_new(2, hdr, "ll");
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        cli_table_cell(t, "%s", jstr(m, "execution_id"));
        cli_table_cell(t, "%s", jstr(m, "public_state"));
    }
    cli_table_print(t, stdout, 2);
    cli_table_free(t);
}

static void print_edges(json_t *edges) {
    static const char *const hdr[] = {"EDGE", "UPSTREAM", "DOWNSTREAM", "STATE", "DATA"};
    printf("\nedges\n");
    if (json_array_size(edges) == 0) {
        printf("  (none)\n");
        return;
    }
    cli_table *t = cli_table_new(5, hdr, "lllll");
    size_t i;
    json_t *e;
    json_array_foreach(edges, i, e) {
        cli_table_cell(t, "%s", jstr(e, "edge_id"));
        cli_table_cell(t, "%s", jstr(e, "upstream"));
        cli_table_cell(t, "%s", jstr(e, "downstream"));
        cli_table_cell(t, "%s", jstr(e, "state"));
        cli_table_cell(t, "%s", json_is_true(json_object_get(e, "data_passing")) ? "yes" : "no");
    }
    cli_table_print(t, stdout, 2);
    cli_table_free(t);
}

static void print_groups(json_t *groups) {
    static const char *const hdr[] = {"DOWNSTREAM", "POLICY", "K", "N", "ON_SATISFIED", "SATISFIED", "FAILED",
                                      "STATE"};
    printf("\ngroups\n");
    if (json_array_size(groups) == 0) {
        printf("  (none: every member with upstreams waits for all of them)\n");
        return;
    }
    cli_table *t = cli_table_new(8, hdr, "llrrlrrl");
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        cli_table_cell(t, "%s", jstr(g, "downstream"));
        cli_table_cell(t, "%s", jstr(g, "policy"));
        cli_table_cell(t, "%" PRId64, jint(g, "k"));
        cli_table_cell(t, "%" PRId64, jint(g, "n"));
        cli_table_cell(t, "%s", jstr(g, "on_satisfied"));
        cli_table_cell(t, "%" PRId64, jint(g, "satisfied"));
        cli_table_cell(t, "%" PRId64, jint(g, "failed"));
        cli_table_cell(t, "%s", jstr(g, "state"));
    }
    cli_table_print(t, stdout, 2);
    cli_table_free(t);
}

static void print_flow(json_t *doc) {
    char ts[40];
    json_t *limits = json_object_get(doc, "limits");
    printf(LABEL "%s\n", "flow", jstr(doc, "flow_id"));
    printf(LABEL "%s\n", "state", jstr(doc, "state"));
    printf(LABEL "%" PRId64 "\n", "revision", jint(doc, "revision"));
    printf(LABEL "%s\n", "lane", jstr(doc, "lane"));
    printf(LABEL "%" PRId64 "\n", "partition", jint(doc, "partition"));
    printf(LABEL "%s\n", "created_at", cli_iso8601(jint(doc, "created_at"), ts, sizeof ts));
    printf(LABEL "max_members %" PRId64 ", max_incoming_edges %" PRId64 "\n", "limits", jint(limits, "max_members"),
           jint(limits, "max_incoming_edges"));
    json_t *bud = json_object_get(doc, "budgets");
    printf(LABEL "%s", "budgets", json_array_size(bud) ? "" : "-");
    for (size_t i = 0; i < json_array_size(bud); i++)
        printf("%s%s", i ? "," : "", json_string_value(json_array_get(bud, i)));
    printf("\n");
    print_counts(doc);
    printf(LABEL "%" PRId64 "\n", "edge_count", jint(doc, "edge_count"));
    print_members(json_object_get(doc, "members"));
    print_edges(json_object_get(doc, "edges"));
    print_groups(json_object_get(doc, "groups"));
}

/* Describe a flow and parse its document (jansson, as cmd_describe.c does
 * for the open-ended parts of a snapshot). */
static int describe_doc(ff_client *c, const char *id, ff_op **op, json_t **doc) {
    *doc = NULL;
    int rc = call_done(ff_flow_describe(c, id, NULL, NULL, op), op, id);
    if (rc != CLI_OK) return rc;
    json_error_t jerr;
    *doc = json_loads(ff_op_json(*op), 0, &jerr);
    if (*doc == NULL) return cli_error(FF_EPROTO, "flow document of %s does not parse: %s", id, jerr.text);
    return CLI_OK;
}

static int one_flow_id(cli_iter *it, const char **id) {
    const char *p = NULL;
    if (*id == NULL && cli_pos(it, &p)) {
        *id = p;
        return 1;
    }
    return 0;
}

static int run_describe(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    while (cli_next(&it))
        if (!one_flow_id(&it, &id)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing flow id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    if (ctx->json) {
        /* The server's document as is: no parse, no re-serialisation. */
        rc = call_done(ff_flow_describe(c, id, NULL, NULL, &op), &op, id);
        if (rc == CLI_OK) printf("%s\n", ff_op_json(op));
    } else {
        json_t *doc = NULL;
        rc = describe_doc(c, id, &op, &doc);
        if (rc == CLI_OK) print_flow(doc);
        if (doc) json_decref(doc);
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
    for (size_t i = FF_ITEMS_FLOW_LIST_FLOW_ID; i < n; i += FF_ITEMS_FLOW_LIST_STRIDE) {
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

/* Every partition: the first page of each in flight at once (pipelined),
 * then each partition's further pages in turn, so the output is ordered by
 * partition and, within one, by id. */
static int list_all(ff_client *c, uint32_t limit, list_out *o) {
    uint32_t parts = ff_client_partitions(c);
    ff_op **ops = calloc(parts ? parts : 1, sizeof *ops);
    int *sts = calloc(parts ? parts : 1, sizeof *sts);
    if (ops == NULL || sts == NULL) {
        free(ops);
        free(sts);
        return cli_error(FF_ENOMEM, "out of memory");
    }
    for (uint32_t p = 0; p < parts; p++) sts[p] = ff_flow_list(c, p, "", limit, NULL, NULL, &ops[p]);
    int rc = CLI_OK;
    for (uint32_t p = 0; p < parts && rc == CLI_OK; p++) {
        char what[48];
        snprintf(what, sizeof what, "partition %u", (unsigned)p);
        rc = call_done(sts[p], &ops[p], what);
        while (rc == CLI_OK) {
            list_print(o, ops[p]);
            const char *next = ff_op_cursor(ops[p]);
            if (next[0] == '\0') break;
            ff_op *page = NULL;
            rc = call_done(ff_flow_list(c, p, next, limit, NULL, NULL, &page), &page, what);
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
        if (o.json) printf("{\"flow_ids\":[");
        rc = list_all(c, (uint32_t)limit, &o);
        if (o.json) printf("]}\n");
        if (!o.json && rc == CLI_OK && o.printed == 0) fprintf(stderr, "(no flows)\n");
    } else {
        char what[48];
        snprintf(what, sizeof what, "partition %" PRId64, partition);
        ff_op *op = NULL;
        rc = call_done(ff_flow_list(c, (uint32_t)partition, cursor ? cursor : "", (uint32_t)limit, NULL, NULL, &op),
                       &op, what);
        if (rc == CLI_OK) {
            const char *next = ff_op_cursor(op);
            if (o.json) printf("{\"flow_ids\":[");
            list_print(&o, op);
            if (o.json) {
                printf("],\"cursor\":");
                cli_json_str(next);
                printf("}\n");
            } else {
                /* stdout stays ids only (a script reads it line by line);
                 * "nothing" and the paging hint go to stderr */
                if (o.printed == 0) fprintf(stderr, "(no flows)\n");
                if (next[0]) fprintf(stderr, "more: repeat with --cursor '%s'\n", next);
            }
        }
        ff_op_free(op);
    }
    ff_client_free(c);
    return rc;
}

/* ----------------------------------------------------------------- edges */

static void edges_json(const char *dir, const ff_op *op) {
    size_t n = ff_op_item_count(op);
    printf("\"%s\":[", dir);
    for (size_t i = 0; i + FF_ITEMS_FLOW_EDGES_STRIDE <= n; i += FF_ITEMS_FLOW_EDGES_STRIDE) {
        printf("%s{\"edge_id\":", i ? "," : "");
        cli_json_str(ff_op_item(op, i + FF_ITEMS_FLOW_EDGES_EDGE_ID));
        printf(",\"upstream\":");
        cli_json_str(ff_op_item(op, i + FF_ITEMS_FLOW_EDGES_UPSTREAM));
        printf(",\"downstream\":");
        cli_json_str(ff_op_item(op, i + FF_ITEMS_FLOW_EDGES_DOWNSTREAM));
        printf(",\"state\":");
        cli_json_str(ff_op_item(op, i + FF_ITEMS_FLOW_EDGES_STATE));
        printf("}");
    }
    printf("]");
}

static void edges_table(const char *dir, const ff_op *op, int labelled) {
    static const char *const hdr[] = {"EDGE", "UPSTREAM", "DOWNSTREAM", "STATE"};
    size_t n = ff_op_item_count(op);
    if (labelled) printf("%s\n", strcmp(dir, "in") == 0 ? "in (edges into it)" : "out (edges out of it)");
    int indent = labelled ? 2 : 0;
    if (n < FF_ITEMS_FLOW_EDGES_STRIDE) {
        printf("%*s(none)\n", indent, "");
        return;
    }
    cli_table *t = cli_table_new(4, hdr, "llll");
    for (size_t i = 0; i + FF_ITEMS_FLOW_EDGES_STRIDE <= n; i += FF_ITEMS_FLOW_EDGES_STRIDE)
        for (size_t k = 0; k < FF_ITEMS_FLOW_EDGES_STRIDE; k++) cli_table_cell(t, "%s", ff_op_item(op, i + k));
    cli_table_print(t, stdout, indent);
    cli_table_free(t);
}

static int run_edges(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *eid = NULL, *dir = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (cli_opt(&it, "direction", &dir)) continue;
        if (eid == NULL && cli_pos(&it, &p)) {
            *(id == NULL ? &id : &eid) = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL || eid == NULL) return cli_usage_error(cmd, "missing flow id or execution id");
    if (dir && strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0)
        return cli_usage_error(cmd, "--direction: 'in' or 'out' (default both), got '%s'", dir);
    const char *dirs[2] = {"in", "out"};
    size_t ndirs = 2;
    if (dir) {
        dirs[0] = dir;
        ndirs = 1;
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *ops[2] = {NULL, NULL};
    int sts[2];
    for (size_t d = 0; d < ndirs; d++) sts[d] = ff_flow_list_edges(c, id, eid, dirs[d], NULL, NULL, &ops[d]);
    for (size_t d = 0; d < ndirs && rc == CLI_OK; d++) rc = call_done(sts[d], &ops[d], eid);
    /* After a failure the other op is freed unwaited: a pending op detaches. */
    if (rc == CLI_OK) {
        if (ctx->json) {
            printf("{\"flow_id\":");
            cli_json_str(id);
            printf(",\"execution_id\":");
            cli_json_str(eid);
            for (size_t d = 0; d < ndirs; d++) {
                printf(",");
                edges_json(dirs[d], ops[d]);
            }
            printf("}\n");
        } else {
            for (size_t d = 0; d < ndirs; d++) {
                if (d) printf("\n");
                edges_table(dirs[d], ops[d], ndirs > 1);
            }
        }
    }
    for (size_t d = 0; d < ndirs; d++) ff_op_free(ops[d]);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------------ edge */

static int run_edge(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *pos[3] = {NULL, NULL, NULL}, *p = NULL;
    size_t npos = 0;
    int64_t revision = -1;
    int data = 0;
    while (cli_next(&it)) {
        if (cli_flag(&it, "data")) {
            data = 1;
            continue;
        }
        if (cli_opt_i64(&it, "revision", 0, INT64_MAX, &revision)) continue;
        if (npos < 3 && cli_pos(&it, &p)) {
            pos[npos++] = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (npos < 3) return cli_usage_error(cmd, "needs the flow id, the upstream and the downstream");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = call_done(ff_flow_add_edge(c, pos[0], pos[1], pos[2], revision, data ? FF_FLOW_EDGE_DATA : 0, NULL, NULL,
                                    &op),
                   &op, pos[0]);
    if (rc == CLI_OK) {
        const char *state = ff_op_item(op, 0);
        if (ctx->json) {
            printf("{\"edge_id\":");
            cli_json_str(ff_op_text(op));
            printf(",\"revision\":%" PRId64 ",\"state\":", ff_op_int(op));
            cli_json_str(state);
            printf("}\n");
        } else {
            printf("%s  %s  revision %" PRId64 "\n", ff_op_text(op), state ? state : "-", ff_op_int(op));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ----------------------------------------------------------------- group */

static int run_group(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *down = NULL, *policy = NULL, *os = NULL, *p = NULL;
    int64_t k = 0;
    while (cli_next(&it)) {
        if (cli_opt(&it, "policy", &policy) || cli_opt(&it, "on-satisfied", &os)) continue;
        if (cli_opt_i64(&it, "k", 0, 1000, &k)) continue;
        if (down == NULL && cli_pos(&it, &p)) {
            *(id == NULL ? &id : &down) = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL || down == NULL) return cli_usage_error(cmd, "needs the flow id and the downstream member");
    if (policy == NULL) return cli_usage_error(cmd, "--policy is required (all_of, any_of or quorum)");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    /* The words are the server's to check (FF_INVALID_FLOW_POLICY). */
    rc = call_done(ff_flow_set_group(c, id, down, policy, (int32_t)k, os, NULL, NULL, &op), &op, down);
    if (rc == CLI_OK) {
        if (ctx->json) {
            printf("{\"outcome\":");
            cli_json_str(ff_op_text(op));
            printf("}\n");
        } else {
            printf("%s\n", ff_op_text(op));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ---------------------------------------------------------------- cancel */

static int member_ended(const char *pub) {
    static const char *const ended[] = {"completed", "failed", "cancelled", "expired", "skipped", "missing"};
    for (size_t i = 0; pub && i < sizeof ended / sizeof ended[0]; i++)
        if (strcmp(pub, ended[i]) == 0) return 1;
    return 0;
}

/* Wait (ff_flow_wait, woken by the settling) until every member of @p id
 * ended. On a timeout *left = the members not ended (a JSON array, from
 * describe_flow) and the error is printed: CLI_EOP. */
static int wait_settled(ff_client *c, const char *id, int64_t ms, json_t **left) {
    ff_op *w = NULL;
    int st = ff_flow_wait(c, id, ms, NULL, NULL, &w);
    if (st == FF_OK) st = ff_op_wait(w, -1);
    ff_op_free(w);
    if (st == FF_OK) return CLI_OK;
    if (st != FF_ETIMEDOUT) return cli_error(st, "waiting for flow %s: %s", id, ff_strerror(st)), CLI_EOP;
    ff_op *d = NULL;
    if (call_done(ff_flow_describe(c, id, NULL, NULL, &d), &d, id) != CLI_OK) {
        ff_op_free(d);
        return CLI_EOP;
    }
    json_t *doc = json_loads(ff_op_json(d), 0, NULL), *out = json_array();
    json_t *members = json_object_get(doc, "members");
    for (size_t i = 0; i < json_array_size(members); i++) {
        json_t *m = json_array_get(members, i);
        if (!member_ended(json_string_value(json_object_get(m, "public_state"))))
            json_array_append(out, json_object_get(m, "execution_id"));
    }
    json_decref(doc);
    ff_op_free(d);
    *left = out;
    cli_error(FF_ETIMEDOUT, "%zu member%s of flow %s still running after %lld s (partially cancelled)",
              json_array_size(out), json_array_size(out) == 1 ? "" : "s", id, (long long)(ms / 1000));
    return CLI_EOP;
}

static int run_cancel(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *policy = NULL, *reason = NULL;
    int64_t wait_s = 0;
    while (cli_next(&it)) {
        if (cli_opt(&it, "policy", &policy) || cli_opt(&it, "reason", &reason)) continue;
        if (cli_opt_i64(&it, "wait", 1, 30 * 86400, &wait_s)) continue;
        if (!one_flow_id(&it, &id)) cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing flow id");
    /* Never defaulted: what happens to running members is the operator's
     * call to make, every time (docs/flows.md, "Cancelling a flow"). */
    if (policy == NULL) return cli_usage_error(cmd, "--policy is required: cancel_all, cancel_pending or flow_only");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    rc = call_done(ff_flow_cancel(c, id, policy, reason, NULL, NULL, &op), &op, id);
    /* --wait: until every member ended; the ones that did not in time are
     * named, and the command fails (exit 1) */
    json_t *left = NULL;
    if (rc == CLI_OK && wait_s > 0) rc = wait_settled(c, id, wait_s * 1000, &left);
    if (rc == CLI_OK || left) {
        size_t n = ff_op_item_count(op);
        int repeat = ff_op_int(op) == 1;
        if (ctx->json) {
            printf("{\"flow_id\":");
            cli_json_str(id);
            printf(",\"policy\":");
            cli_json_str(ff_op_text(op));
            printf(",\"repeat\":%s,\"cancelled\":[", repeat ? "true" : "false");
            for (size_t i = FF_ITEMS_FLOW_CANCEL_EID; i < n; i += FF_ITEMS_FLOW_CANCEL_STRIDE) {
                if (i) putchar(',');
                cli_json_str(ff_op_item(op, i));
            }
            printf("],\"partially_cancelled\":[");
            for (size_t i = 0; left && i < json_array_size(left); i++) {
                if (i) putchar(',');
                cli_json_str(json_string_value(json_array_get(left, i)));
            }
            printf("]}\n");
        } else {
            size_t count = n / FF_ITEMS_FLOW_CANCEL_STRIDE;
            if (repeat)
                printf("already cancelled (policy %s): nothing changed\n", ff_op_text(op));
            else
                printf("cancelled (policy %s): %zu member%s cancelled\n", ff_op_text(op), count,
                       count == 1 ? "" : "s");
            for (size_t i = FF_ITEMS_FLOW_CANCEL_EID; i < n; i += FF_ITEMS_FLOW_CANCEL_STRIDE)
                printf("%s\n", ff_op_item(op, i));
            for (size_t i = 0; left && i < json_array_size(left); i++)
                printf("still running: %s\n", json_string_value(json_array_get(left, i)));
        }
    }
    json_decref(left);
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ----------------------------------------------------------------- graph */

static int run_graph(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    int dot = 0;
    while (cli_next(&it)) {
        if (cli_flag(&it, "dot")) {
            dot = 1;
            continue;
        }
        if (!one_flow_id(&it, &id)) cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(cmd, "missing flow id");
    if (dot && ctx->json) return cli_usage_error(cmd, "give at most one of --dot, --json");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    json_t *doc = NULL;
    rc = describe_doc(c, id, &op, &doc);
    cli_flow_graph *g = NULL;
    if (rc == CLI_OK && (g = cli_flow_graph_new(doc)) == NULL)
        rc = cli_error(FF_ENOMEM, "cannot build the graph of %s", id);
    if (rc == CLI_OK) {
        if (dot) {
            cli_flow_graph_dot(g, id, stdout);
        } else if (ctx->json) {
            cli_flow_graph_json(g, id, stdout);
        } else {
            printf("flow %s  %s  revision %" PRId64 "\n\n", id, jstr(doc, "state"), jint(doc, "revision"));
            cli_flow_graph_text(g, stdout);
        }
    }
    cli_flow_graph_free(g);
    if (doc) json_decref(doc);
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

/* ------------------------------------------------------------- the table */

static const cli_cmd sub_create = {
    "flow create", run_create,
    "flow create [--id ID] [--lane L] [--max-members N] [--max-incoming N] [--budget B]...",
    "Create a flow (idempotent); prints its id and whether it already existed.",
    "  --id ID            the flow id \"{fp:N}:<uuid>\" (default: minted on a partition\n"
    "                     of the lane)\n"
    "  --lane L           the lane its members go to (default \"default\"); members\n"
    "                     must use a lane that maps to the flow's partition\n"
    "  --max-members N    1..10000 (default 1000)\n"
    "  --max-incoming N   incoming edges per member, 1..1000 (default 100)\n"
    "  --budget B         every member draws on budget B besides its own (repeatable,\n"
    "                     at most 16; 'ffctl budget create', docs/budgets.md)\n"
    "\n"
    "Creating an existing id changes nothing: the stored limits and budgets apply.\n"
    "Add members with 'ffctl submit --flow ID'. --json prints {flow_id, existed,\n"
    "max_members, max_incoming}.\n",
};

static const cli_cmd sub_describe = {
    "flow describe", run_describe, "flow describe ID [--json]",
    "Show a flow: state, revision, counts, limits, members, edges and groups.",
    "  --json   the server's flow document as is (docs/flows.md, \"Reads\")\n"
    "\n"
    "A member deleted by retention shows the state 'missing'.\n",
};

static const cli_cmd sub_list = {
    "flow list", run_list, "flow list --partition N [--limit N] [--cursor C] | flow list --all [--limit N]",
    "List flow ids, one per line (stdout holds only ids).",
    "  --partition N   the flows of partition N, one page, in byte order\n"
    "  --cursor C      continue after the cursor a previous page printed (on stderr:\n"
    "                  \"more: repeat with --cursor C\")\n"
    "  --all           every partition, following the cursors to the end\n"
    "  --limit N       page size 1..1000 (default 100)\n"
    "\n"
    "--json prints {\"flow_ids\":[...], \"cursor\":\"C\"} (--partition; \"\" when the\n"
    "listing is complete) or {\"flow_ids\":[...]} (--all).\n",
};

static const cli_cmd sub_edges = {
    "flow edges", run_edges, "flow edges ID EXECUTION [--direction in|out]",
    "List the edges into and out of one member.",
    "  --direction in|out   only the edges into (in) or out of (out) the member\n"
    "                       (default: both, labelled)\n"
    "\n"
    "Columns: edge id, upstream, downstream, state (pending, satisfied,\n"
    "impossible). --json prints {flow_id, execution_id, in:[...], out:[...]}.\n",
};

static const cli_cmd sub_edge = {
    "flow edge", run_edge, "flow edge ID UPSTREAM DOWNSTREAM [--data] [--revision N]",
    "Stage the edge UPSTREAM -> DOWNSTREAM: DOWNSTREAM waits for its group.",
    "  --data         the downstream may read the upstream's result\n"
    "  --revision N   fail with FF_STALE_GRAPH_REVISION unless the flow's graph\n"
    "                 revision is N (default: do not check)\n"
    "\n"
    "Prints the edge id, its state (pending; satisfied or impossible when the\n"
    "upstream already ended) and the new revision. Refusals write nothing:\n"
    "FF_CYCLE_DETECTED, FF_DEPENDENCY_ALREADY_EXISTS, FF_DOWNSTREAM_RELEASED, ...\n"
    "'ffctl flow group' must come before the first edge into a member.\n",
};

static const cli_cmd sub_group = {
    "flow group", run_group, "flow group ID DOWNSTREAM --policy P [--k N] [--on-satisfied S]",
    "Set the policy of the edges into DOWNSTREAM, before any of them is staged.",
    "  --policy P          all_of (the default of a member without a group),\n"
    "                      any_of, or quorum (required)\n"
    "  --k N               quorum: successes needed (any_of: 1; all_of: none)\n"
    "  --on-satisfied S    any_of/quorum: cancel_remaining or let_run\n"
    "\n"
    "Prints \"set\" or \"already_set\". After the first edge into the member:\n"
    "FF_EDGE_GROUP_POLICY_FIXED.\n",
};

static const cli_cmd sub_cancel = {
    "flow cancel", run_cancel,
    "flow cancel ID --policy cancel_all|cancel_pending|flow_only [--reason R] [--wait SECONDS]",
    "Cancel a flow; prints the members this call cancelled.",
    "  --policy P    required, never defaulted:\n"
    "                cancel_all      every member not ended, running ones too\n"
    "                cancel_pending  the members that never ran; running ones finish\n"
    "                flow_only       the flow is marked cancelled, members untouched\n"
    "  --reason R    recorded on the flow (at most 4096 bytes)\n"
    "\n"
    "Repeating it on a cancelled flow changes nothing (\"already cancelled\").\n"
    "--wait S then waits up to S seconds until every member has ended (running\n"
    "ones a cancel_pending or flow_only lets finish); members still running\n"
    "then are listed (\"still running: ID\") and the command exits 1.\n"
    "--json prints {flow_id, policy, repeat, cancelled:[...]}.\n",
};

static const cli_cmd sub_graph = {
    "flow graph", run_graph, "flow graph ID [--dot | --json]",
    "Show the DAG with member and edge states, in topological layers.",
    "  --dot    a Graphviz digraph (ffctl flow graph ID --dot | dot -Tsvg > f.svg)\n"
    "  --json   {flow_id, members:[{execution_id, public_state, layer,\n"
    "           upstreams:[{execution_id, edge_id, state, data_passing}], group}]}\n"
    "\n"
    "Text: one line per member in layer order (roots are layer 0; any other member\n"
    "is 1 + the highest layer of its upstreams): layer, id, state, then\n"
    "\"<- UP(edge state)\" per incoming edge, UP shortened to the end of its id,\n"
    "and [policy (on_satisfied, group state)] when the group is not all_of.\n"
    "Dot: nodes are filled by member state (completed green, failed red, active\n"
    "blue, cancelled/skipped gray, ...); edges are dashed gray while pending,\n"
    "solid green when satisfied, dotted red when impossible; an edge that passes\n"
    "data is bold and labelled \"data\".\n",
};

static const cli_cmd *const subs[] = {&sub_create, &sub_describe, &sub_list,  &sub_edges,       &sub_edge,
                                      &sub_group,  &sub_cancel,   &sub_graph, &cli_flow_follow};
#define NSUBS (sizeof subs / sizeof subs[0])

static int run_flow(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    /* Global options may come before the subcommand; the subcommand parses
     * the rest (and sees --help, which then prints its own help). */
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *name = NULL;
    while (cli_next(&it)) {
        if (cli_pos(&it, &name)) break;
        cli_unknown(&it);
    }
    if (name == NULL) {
        int rc = cli_end(&it);
        return rc >= 0 ? rc : cli_usage_error(cmd, "missing subcommand");
    }
    for (size_t i = 0; i < NSUBS; i++)
        if (strcmp(subs[i]->name + strlen("flow "), name) == 0)
            return subs[i]->run(ctx, subs[i], argc - it.i, argv + it.i);
    return cli_usage_error(cmd, "unknown subcommand '%s'", name);
}

const cli_cmd cli_cmd_flow = {
    "flow",
    run_flow,
    "flow create|describe|list|edges|edge|group|cancel|graph|follow ...",
    "Flows (DAGs of executions): create, inspect, wire, cancel, draw.",
    "  create [--id ID] [--lane L] [--max-members N] [--max-incoming N] [--budget B]...\n"
    "                         create a flow (idempotent); prints its id\n"
    "  describe ID [--json]   state, revision, counts, limits, members, edges, groups\n"
    "  list --partition N [--limit N] [--cursor C] | list --all [--limit N]\n"
    "                         flow ids\n"
    "  edges ID EXECUTION [--direction in|out]\n"
    "                         the edges into / out of one member\n"
    "  edge ID UP DOWN [--data] [--revision N]\n"
    "                         stage the edge UP -> DOWN\n"
    "  group ID DOWN --policy all_of|any_of|quorum [--k N] [--on-satisfied S]\n"
    "                         the policy of the edges into DOWN (before staging them)\n"
    "  cancel ID --policy cancel_all|cancel_pending|flow_only [--reason R] [--wait S]\n"
    "                         cancel the flow (the policy is required)\n"
    "  graph ID [--dot | --json]\n"
    "                         the DAG in topological layers, or as Graphviz\n"
    "  follow (--partition N | --flow ID) [--cursor C] [--idle S]\n"
    "                         print the completion feed as it grows\n"
    "\n"
    "Members join with 'ffctl submit --flow ID'. 'ffctl flow SUBCOMMAND --help'\n"
    "explains each one; concepts in docs/flows.md.\n",
};
