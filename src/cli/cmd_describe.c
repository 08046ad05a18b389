/* `ffctl describe ID`: the execution snapshot, for humans (default), for
 * scripts (--json: the library's snapshot document verbatim) or one field
 * (--field PATH, e.g. state.public_state or attempts.0.type). */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_table.h"
#include "cli/cli_util.h"

#define LABEL "%-14s"

static const char *jstr(const ff_op *op, const char *path) {
    const char *v = NULL;
    return ff_op_json_str(op, path, &v) == FF_OK ? v : NULL;
}

static int64_t jint(const ff_op *op, const char *path) {
    int64_t v = 0;
    return ff_op_json_i64(op, path, &v) == FF_OK ? v : 0;
}

static const char *jtime(const ff_op *op, const char *path, char *buf, size_t cap) {
    return cli_iso8601(jint(op, path), buf, cap);
}

static void kv(const char *label, const char *value) { printf(LABEL "%s\n", label, value && value[0] ? value : "-"); }

/* A JSON array of strings as one comma-separated line ("-" when empty). */
static void print_list(json_t *root, const char *key, const char *label) {
    json_t *a = root ? json_object_get(root, key) : NULL;
    printf(LABEL, label);
    if (a == NULL || json_array_size(a) == 0) printf("-");
    for (size_t i = 0; a && i < json_array_size(a); i++)
        printf("%s%s", i ? "," : "", json_string_value(json_array_get(a, i)));
    printf("\n");
}

/* Tags and the policy are open-ended objects: the path accessors cannot
 * enumerate them, so read those two from the snapshot document itself. */
static void print_tags_policy(const ff_op *op) {
    json_t *root = json_loads(ff_op_json(op), 0, NULL);
    json_t *tags = root ? json_object_get(root, "tags") : NULL;
    printf(LABEL, "tags");
    if (tags == NULL || json_object_size(tags) == 0) {
        printf("-");
    } else {
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach(tags, k, v) {
            printf("%s%s=%s", first ? "" : "  ", k, json_is_string(v) ? json_string_value(v) : "?");
            first = 0;
        }
    }
    printf("\n");
    json_t *pol = root ? json_object_get(root, "policy") : NULL;
    char *ptxt = (pol && !json_is_null(pol)) ? json_dumps(pol, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    kv("policy", ptxt ? ptxt : "default");
    free(ptxt);
    print_list(root, "required_capabilities", "capabilities");
    print_list(root, "budgets", "budgets");
    if (root) json_decref(root);
}

static void print_state_vector(const ff_op *op) {
    static const char *const dims[] = {"lifecycle_phase",  "ownership_state", "eligibility_state", "blocking_reason",
                                       "terminal_outcome", "attempt_state",   "public_state"};
    printf("\nstate\n");
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "state.%s", dims[i]);
        printf("  %-18s %s\n", dims[i], jstr(op, path) ? jstr(op, path) : "-");
    }
}

static void print_lease_progress(const ff_op *op) {
    char t1[40], t2[40], t3[40];
    printf("\n" LABEL "attempts %" PRId64 ", retries %" PRId64 ", reclaims %" PRId64 ", replays %" PRId64
           ", lease epoch %" PRId64 "\n",
           "counters", jint(op, "counters.total_attempts"), jint(op, "counters.retry_count"),
           jint(op, "counters.reclaim_count"), jint(op, "counters.replay_count"), jint(op, "lease_epoch"));
    if (jstr(op, "lease.lease_id")) {
        int64_t left = jint(op, "lease.expires_at") - cli_now_ms();
        printf(LABEL "%s epoch %" PRId64 "\n", "lease", jstr(op, "lease.lease_id"), jint(op, "lease.epoch"));
        printf(LABEL "%s (instance %s)\n", "  worker", jstr(op, "lease.worker_id") ? jstr(op, "lease.worker_id") : "-",
               jstr(op, "lease.worker_instance_id") ? jstr(op, "lease.worker_instance_id") : "-");
        printf(LABEL "acquired %s, renewed %s\n", "", jtime(op, "lease.acquired_at", t1, sizeof t1),
               jtime(op, "lease.last_renewed_at", t2, sizeof t2));
        printf(LABEL "expires %s (%s%.1f s)\n", "", jtime(op, "lease.expires_at", t3, sizeof t3),
               left < 0 ? "expired " : "in ", (double)(left < 0 ? -left : left) / 1000.0);
    } else {
        kv("lease", "none");
    }
    if (ff_op_json_i64(op, "progress.updated_at", NULL) == FF_OK) {
        const char *msg = jstr(op, "progress.message");
        printf(LABEL "%" PRId64 "%%%s%s%s at %s\n", "progress", jint(op, "progress.percent"), msg ? " \"" : "",
               msg ? msg : "", msg ? "\"" : "", jtime(op, "progress.updated_at", t1, sizeof t1));
    }
    if (jstr(op, "failure.reason") || jstr(op, "failure.category")) {
        printf(LABEL "%s: %s\n", "failure", jstr(op, "failure.category") ? jstr(op, "failure.category") : "error",
               jstr(op, "failure.reason") ? jstr(op, "failure.reason") : "");
    }
    if (jstr(op, "cancellation.cancelled_by")) {
        const char *r = jstr(op, "cancellation.reason");
        printf(LABEL "by %s%s%s\n", "cancellation", jstr(op, "cancellation.cancelled_by"), r ? ": " : "", r ? r : "");
    }
}

static void print_timestamps(const ff_op *op) {
    static const char *const names[] = {"created_at", "started_at", "ended_at", "updated_at", "delay_until",
                                        "deadline"};
    printf("\ntimestamps\n");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[64], t[40];
        snprintf(path, sizeof path, "timestamps.%s", names[i]);
        if (ff_op_json_i64(op, path, NULL) == FF_OK || i < 4)
            printf("  %-12s %s\n", names[i], jtime(op, path, t, sizeof t));
    }
}

static const char *att_s(const ff_op *op, size_t i, const char *field) {
    char p[96];
    snprintf(p, sizeof p, "attempts.%zu.%s", i, field);
    return jstr(op, p);
}

static int64_t att_i(const ff_op *op, size_t i, const char *field) {
    char p[96];
    snprintf(p, sizeof p, "attempts.%zu.%s", i, field);
    return jint(op, p);
}

static int has_attempt(const ff_op *op, size_t i) {
    char p[96];
    snprintf(p, sizeof p, "attempts.%zu.index", i);
    return ff_op_json_i64(op, p, NULL) == FF_OK;
}

static void print_attempts(const ff_op *op) {
    static const char *const hdr[] = {"#", "TYPE", "STATE", "STARTED", "ENDED", "EPOCH", "WORKER", "FAILURE"};
    cli_table *t = cli_table_new(8, hdr, "rllllrll");
    size_t i = 0;
    for (; has_attempt(op, i); i++) {
        char t1[40], t2[40];
        const char *type = att_s(op, i, "type"), *state = att_s(op, i, "state"), *wid = att_s(op, i, "worker_id");
        const char *cat = att_s(op, i, "failure_category"), *why = att_s(op, i, "failure_reason");
        int64_t ended = att_i(op, i, "ended_at");
        if (ended == 0) ended = att_i(op, i, "suspended_at");
        cli_table_cell(t, "%" PRId64, att_i(op, i, "index"));
        cli_table_cell(t, "%s", type ? type : "-");
        cli_table_cell(t, "%s", state ? state : "-");
        cli_table_cell(t, "%s", cli_iso8601(att_i(op, i, "started_at"), t1, sizeof t1));
        cli_table_cell(t, "%s", cli_iso8601(ended, t2, sizeof t2));
        cli_table_cell(t, "%" PRId64, att_i(op, i, "lease_epoch"));
        cli_table_cell(t, "%s", wid ? wid : "-");
        if (cat || why)
            cli_table_cell(t, "%s: %s", cat ? cat : "error", why ? why : "");
        else
            cli_table_cell(t, "-");
    }
    printf("\nattempts\n");
    if (i == 0)
        printf("  (none yet)\n");
    else
        cli_table_print(t, stdout, 2);
    cli_table_free(t);
}

static void print_human(const ff_op *op) {
    kv("execution", jstr(op, "execution_id"));
    kv("public_state", ff_op_text(op));
    kv("namespace", jstr(op, "namespace"));
    kv("lane", jstr(op, "lane"));
    kv("kind", jstr(op, "kind"));
    printf(LABEL "%" PRId64 "\n", "priority", jint(op, "priority"));
    printf(LABEL "%" PRId64 "\n", "partition", jint(op, "partition"));
    print_tags_policy(op);
    printf(LABEL "%" PRId64 " bytes\n", "payload", jint(op, "payload_size"));
    kv("result", jint(op, "has_result") ? "yes (ffctl result ID)" : "none");
    print_state_vector(op);
    print_lease_progress(op);
    print_timestamps(op);
    print_attempts(op);
}

static int print_field(const ff_op *op, const char *path) {
    const char *s = NULL;
    int64_t n = 0;
    if (ff_op_json_str(op, path, &s) == FF_OK) {
        printf("%s\n", s);
        return CLI_OK;
    }
    int st = ff_op_json_i64(op, path, &n);
    if (st == FF_OK) {
        printf("%" PRId64 "\n", n);
        return CLI_OK;
    }
    if (st == FF_ENOTFOUND) return cli_error(st, "field '%s' is missing or null", path);
    return cli_error(st, "field '%s' is not a string or integer (use --json)", path);
}

static int run_describe(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL, *field = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (cli_opt(&it, "field", &field)) continue;
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
    int st = cli_wait(ff_execution_describe(c, id, NULL, NULL, &op), &op, id);
    rc = st == FF_OK ? CLI_OK : CLI_EOP;
    if (st == FF_OK) {
        if (field)
            rc = print_field(op, field);
        else if (ctx->json)
            printf("%s\n", ff_op_json(op));
        else
            print_human(op);
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_describe = {
    "describe",
    run_describe,
    "describe ID [--json | --field PATH]",
    "Show an execution: state vector, attempts, lease, progress, timestamps.",
    "  --json         the snapshot document verbatim (see docs/c-api.md#snapshot)\n"
    "  --field PATH   print one value of the snapshot by dotted path, e.g.\n"
    "                 public_state, state.attempt_state, attempts.0.type,\n"
    "                 counters.total_attempts\n"
    "\n"
    "Times are ISO-8601 UTC.\n",
};
