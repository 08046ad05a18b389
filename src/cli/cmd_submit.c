/* `ffctl submit`: build an ff_exec_spec from flags and create the execution. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"

/* Above the library's own 512 MiB ceiling: the library reports the real
 * limit (FF_ETOOBIG); this only stops us reading an endless pipe forever. */
#define PAYLOAD_READ_MAX (512u * 1024 * 1024 + 1)

#define SUBMIT_BUDGETS_MAX 16 /* execution.h: ff_exec_spec_add_budget */

typedef struct submit_args {
    const char *kind;
    const char *payload_str;
    const char *payload_file;
    int payload_stdin;
    const char *policy_json;
    /* Retry flags are collected and applied after --policy-json so they
     * overlay the document instead of being replaced by it. */
    int retry_given;
    int64_t retries;
    const char *backoff;
    int64_t backoff_ms;
    int64_t backoff_max_ms;
    double multiplier;
    double jitter;
    const char *retry_on;
    int64_t attempt_timeout_ms; /* -1: not given */
    /* --budget ids, applied after --policy-json for the same reason */
    const char *budgets[SUBMIT_BUDGETS_MAX];
    size_t nbudgets;
    /* --group, applied after --policy-json too (the group lives in the policy) */
    const char *group;
    int quiet;
} submit_args;

/* Read a whole stream; *out is malloc'ed (NUL-terminated for convenience). */
static int slurp(FILE *f, char **out, size_t *len) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) return ENOMEM;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= PAYLOAD_READ_MAX) {
                free(buf);
                return EFBIG;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return ENOMEM;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        return e;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static int load_payload(const submit_args *a, ff_exec_spec *s) {
    int sources = (a->payload_str != NULL) + (a->payload_file != NULL) + a->payload_stdin;
    if (sources == 0) return CLI_OK;
    if (a->payload_str) {
        ff_exec_spec_set_payload(s, a->payload_str, strlen(a->payload_str));
        return CLI_OK;
    }
    FILE *f = a->payload_stdin ? stdin : fopen(a->payload_file, "rb");
    if (f == NULL) return cli_error(FF_ESYS, "cannot open payload file %s: %s", a->payload_file, strerror(errno));
    char *buf = NULL;
    size_t len = 0;
    int e = slurp(f, &buf, &len);
    if (f != stdin) fclose(f);
    if (e != 0) {
        return cli_error(e == EFBIG ? FF_ETOOBIG : FF_ESYS, "cannot read payload from %s: %s",
                         a->payload_stdin ? "stdin" : a->payload_file, strerror(e));
    }
    int st = ff_exec_spec_set_payload(s, buf, len);
    free(buf);
    if (st != FF_OK) return cli_error(st, "cannot set the payload");
    return CLI_OK;
}

/* Parse one flag into the spec / args. Returns 1 if the argument was ours. */
static int parse_flag(cli_iter *it, ff_exec_spec *s, submit_args *a) {
    const char *v = NULL;
    int64_t n = 0;
    if (cli_opt(it, "kind", &v)) {
        a->kind = v;
    } else if (cli_opt(it, "lane", &v)) {
        if (ff_exec_spec_set_lane(s, v) != FF_OK) cli_bad(it, "--lane: 1..64 printable ASCII bytes, got '%s'", v);
    } else if (cli_opt(it, "namespace", &v)) {
        if (ff_exec_spec_set_namespace(s, v) != FF_OK)
            cli_bad(it, "--namespace: 1..128 printable ASCII bytes, got '%s'", v);
    } else if (cli_opt(it, "payload", &v)) {
        a->payload_str = v;
    } else if (cli_opt(it, "payload-file", &v)) {
        a->payload_file = v;
    } else if (cli_flag(it, "payload-stdin")) {
        a->payload_stdin = 1;
    } else if (cli_opt(it, "priority", &v)) {
        if (cli_parse_i64(it, "--priority", v, 0, 9000, &n)) ff_exec_spec_set_priority(s, (int32_t)n);
    } else if (cli_opt(it, "delay-ms", &v)) {
        if (cli_parse_i64(it, "--delay-ms", v, 0, INT64_MAX / 2, &n)) ff_exec_spec_set_delay_ms(s, n);
    } else if (cli_opt(it, "delay-until-ms", &v)) {
        if (cli_parse_i64(it, "--delay-until-ms", v, 0, INT64_MAX / 2, &n)) ff_exec_spec_set_delay_until_ms(s, n);
    } else if (cli_opt(it, "deadline-ms", &v)) {
        if (cli_parse_i64(it, "--deadline-ms", v, 0, INT64_MAX / 2, &n)) ff_exec_spec_set_deadline_ms(s, n);
    } else if (cli_opt(it, "cap", &v)) {
        if (ff_exec_spec_add_capability(s, v) != FF_OK)
            cli_bad(it, "--cap: invalid capability token '%s' (no commas, spaces or control bytes)", v);
    } else if (cli_opt(it, "group", &v)) {
        a->group = v;
    } else if (cli_opt(it, "budget", &v)) {
        if (a->nbudgets == SUBMIT_BUDGETS_MAX) cli_bad(it, "--budget: at most %d", SUBMIT_BUDGETS_MAX);
        else a->budgets[a->nbudgets++] = v;
    } else if (cli_opt(it, "tag", &v)) {
        const char *eq = strchr(v, '=');
        if (eq == NULL || eq == v) {
            cli_bad(it, "--tag: expected KEY=VALUE, got '%s'", v);
        } else {
            char key[256];
            size_t kl = (size_t)(eq - v);
            int ok = kl < sizeof key;
            if (ok) {
                memcpy(key, v, kl);
                key[kl] = '\0';
                ok = ff_exec_spec_add_tag(s, key, eq + 1) == FF_OK;
            }
            if (!ok) cli_bad(it, "--tag: invalid tag '%s' (key <= 128 bytes, value <= 4096 UTF-8 bytes)", v);
        }
    } else if (cli_opt(it, "retries", &v)) {
        a->retry_given = 1;
        cli_parse_i64(it, "--retries", v, 0, 10000, &a->retries);
    } else if (cli_opt(it, "backoff", &v)) {
        if (strcmp(v, "fixed") != 0 && strcmp(v, "exponential") != 0)
            cli_bad(it, "--backoff: 'fixed' or 'exponential', got '%s'", v);
        a->backoff = v;
    } else if (cli_opt(it, "backoff-ms", &v)) {
        cli_parse_i64(it, "--backoff-ms", v, 0, INT64_MAX / 4, &a->backoff_ms);
    } else if (cli_opt(it, "backoff-max-ms", &v)) {
        cli_parse_i64(it, "--backoff-max-ms", v, 1, INT64_MAX / 4, &a->backoff_max_ms);
    } else if (cli_opt(it, "backoff-multiplier", &v)) {
        cli_parse_double(it, "--backoff-multiplier", v, 1.0, 1000.0, &a->multiplier);
    } else if (cli_opt(it, "backoff-jitter", &v)) {
        cli_parse_double(it, "--backoff-jitter", v, 0.0, 1.0, &a->jitter);
    } else if (cli_opt(it, "retry-on", &v)) {
        a->retry_on = v;
    } else if (cli_opt(it, "attempt-timeout-ms", &v)) {
        cli_parse_i64(it, "--attempt-timeout-ms", v, 0, INT64_MAX / 4, &a->attempt_timeout_ms);
    } else if (cli_opt(it, "policy-json", &v)) {
        a->policy_json = v;
    } else if (cli_opt(it, "flow", &v)) {
        /* The library checks the id's shape; the server checks the flow. */
        if (ff_exec_spec_set_flow(s, v) != FF_OK) cli_bad(it, "--flow: not a flow id \"{fp:N}:<uuid>\": '%s'", v);
    } else if (cli_opt(it, "idempotency-key", &v)) {
        if (ff_exec_spec_set_idempotency_key(s, v, 0) != FF_OK)
            cli_bad(it, "--idempotency-key: 1..256 bytes without control characters");
    } else if (cli_flag(it, "quiet") || (it->arg && strcmp(it->arg, "-q") == 0)) {
        a->quiet = 1;
    } else {
        return 0;
    }
    return 1;
}

/* Policy document first, then the retry / timeout flags on top of it. */
static int apply_policy(const cli_cmd *cmd, const submit_args *a, ff_exec_spec *s) {
    if (a->policy_json) {
        int st = ff_exec_spec_set_policy_json(s, a->policy_json);
        if (st != FF_OK) return cli_usage_error(cmd, "--policy-json: not a JSON object");
    }
    if (!a->retry_given && (a->backoff || a->backoff_ms >= 0 || a->backoff_max_ms > 0 || a->retry_on))
        return cli_usage_error(cmd, "--backoff*/--retry-on need --retries N");
    if (a->retry_given) {
        const char *backoff = a->backoff ? a->backoff : "fixed";
        int64_t initial = a->backoff_ms >= 0 ? a->backoff_ms : 1000;
        int64_t max = a->backoff_max_ms > 0 ? a->backoff_max_ms : (initial > 60000 ? initial : 60000);
        if (strcmp(backoff, "exponential") == 0 && (initial <= 0 || max < initial))
            return cli_usage_error(cmd, "exponential backoff needs 0 < --backoff-ms <= --backoff-max-ms");
        int st = ff_exec_spec_set_retry(s, (int32_t)a->retries, backoff, initial, max, a->multiplier, a->jitter,
                                        a->retry_on);
        if (st != FF_OK) return cli_usage_error(cmd, "invalid retry settings (%s)", ff_strerror(st));
    }
    if (a->attempt_timeout_ms >= 0) ff_exec_spec_set_attempt_timeout_ms(s, a->attempt_timeout_ms);
    for (size_t i = 0; i < a->nbudgets; i++) {
        int st = ff_exec_spec_add_budget(s, a->budgets[i]);
        if (st != FF_OK) return cli_usage_error(cmd, "--budget '%s': %s", a->budgets[i], ff_error_detail(st));
    }
    if (a->group) {
        int st = ff_exec_spec_set_group(s, a->group);
        if (st != FF_OK) return cli_usage_error(cmd, "--group '%s': %s", a->group, ff_error_detail(st));
    }
    return CLI_OK;
}

static int submit(const cli_ctx *ctx, const submit_args *a, ff_exec_spec *s) {
    int rc = load_payload(a, s);
    if (rc != CLI_OK) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_execution_create(c, s, NULL, NULL, &op), &op, a->kind);
    if (st == FF_OK) {
        const char *id = ff_op_execution_id(op);
        const char *state = ff_op_text(op);
        int dup = ff_op_int(op) == 1;
        if (ctx->json) {
            printf("{\"execution_id\":");
            cli_json_string(stdout, id, strlen(id));
            printf(",\"public_state\":");
            cli_json_string(stdout, state, strlen(state));
            printf(",\"duplicate\":%s}\n", dup ? "true" : "false");
        } else if (a->quiet) {
            printf("%s\n", id);
        } else {
            printf("%s  %s%s\n", id, state, dup ? "  (duplicate: idempotency key already used)" : "");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

static int run_submit(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    submit_args a;
    memset(&a, 0, sizeof a);
    a.backoff_ms = -1;
    a.multiplier = 2.0;
    a.attempt_timeout_ms = -1;
    ff_exec_spec *s = NULL;
    if (ff_exec_spec_new(&s, NULL) != FF_OK) return cli_error(FF_ENOMEM, "cannot allocate a spec");

    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) {
        if (!parse_flag(&it, s, &a)) cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc < 0 && a.kind == NULL) rc = cli_usage_error(cmd, "--kind is required");
    if (rc < 0 && ff_exec_spec_set_kind(s, a.kind) != FF_OK)
        rc = cli_usage_error(cmd, "--kind: 1..256 bytes without control characters");
    if (rc < 0 && (a.payload_str != NULL) + (a.payload_file != NULL) + a.payload_stdin > 1)
        rc = cli_usage_error(cmd, "give at most one of --payload, --payload-file, --payload-stdin");
    if (rc < 0 && apply_policy(cmd, &a, s) != CLI_OK) rc = CLI_EUSAGE;
    if (rc < 0) rc = submit(ctx, &a, s);
    ff_exec_spec_free(s);
    return rc;
}

const cli_cmd cli_cmd_submit = {
    "submit",
    run_submit,
    "submit --kind K [--lane L] [--payload STR | --payload-file F | --payload-stdin] [OPTIONS]",
    "Submit an execution; prints its id and public state.",
    "  --kind K                 what the work is (required; workers dispatch on it)\n"
    "  --lane L                 queue to put it on (default \"default\")\n"
    "  --namespace NS           namespace (default \"default\"; scopes idempotency keys)\n"
    "  --payload STR            payload bytes from the argument\n"
    "  --payload-file F         payload bytes from a file (binary safe)\n"
    "  --payload-stdin          payload bytes from standard input\n"
    "  --priority N             0..9000, higher is claimed first (default 0)\n"
    "  --delay-ms N             not claimable for N ms (server clock)\n"
    "  --delay-until-ms ABS     not claimable before unix ms ABS\n"
    "  --deadline-ms ABS        execution deadline, unix ms\n"
    "  --cap TOKEN              required worker capability (repeatable)\n"
    "  --tag KEY=VALUE          tag (repeatable)\n"
    "  --group G                its admission group (a tenant: 1..128 bytes); the\n"
    "                           lane's quota holds per group ('ffctl quota')\n"
    "  --budget ID              draw on budget ID (repeatable, at most 16; its block\n"
    "                           action keeps this execution waiting; docs/budgets.md)\n"
    "  --retries N              retry a failed attempt up to N times\n"
    "  --backoff fixed|exponential   retry backoff (default fixed)\n"
    "  --backoff-ms N           fixed delay / exponential initial delay (default 1000)\n"
    "  --backoff-max-ms N       exponential cap (default max(60000, --backoff-ms))\n"
    "  --backoff-multiplier X   exponential growth (default 2)\n"
    "  --backoff-jitter X       0..1, subtract up to X*delay at random (default 0)\n"
    "  --retry-on CATS          comma-separated retryable failure categories (default all)\n"
    "  --attempt-timeout-ms N   per-attempt timeout\n"
    "  --policy-json JSON       full policy document; the flags above overlay it\n"
    "  --idempotency-key KEY    a repeat within 24 h returns the first execution\n"
    "  --flow ID                submit it as a member of flow ID (ffctl flow create): it\n"
    "                           is minted on the flow's partition and joins the flow in\n"
    "                           the same call; its lane must map to that partition\n"
    "  -q, --quiet              print only the execution id\n"
    "\n"
    "Output: \"<execution id>  <public state>\"; --json prints\n"
    "{\"execution_id\",\"public_state\",\"duplicate\"}.\n",
};
