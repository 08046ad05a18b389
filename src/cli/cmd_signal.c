/*
 * Suspension and signals from the operator's side: `ffctl signal` (deliver a
 * signal with a waitpoint token), `ffctl secret rotate|list` (the waitpoint
 * signing keys), `ffctl suspended` (who is waiting), `ffctl waitpoints`
 * (sanitized: never the token) and `ffctl waitpoint-token` (the one
 * command that prints a raw token).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

/* Whole file (or stdin for "-") into a malloc'd buffer. */
static int read_all(const char *path, char **out, size_t *len) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) return errno ? errno : EIO;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) err = EIO;
            break;
        }
    }
    if (f != stdin) fclose(f);
    if (buf == NULL) return ENOMEM;
    if (err) {
        free(buf);
        return err;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* ---------------------------------------------------------------- signal */

static int run_signal(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *eid = NULL, *wp = NULL, *token = NULL, *name = NULL, *src_type = "user", *src = NULL;
    const char *payload = NULL, *payload_file = NULL, *idem = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (cli_opt(&it, "waitpoint", &wp) || cli_opt(&it, "token", &token) || cli_opt(&it, "name", &name) ||
            cli_opt(&it, "source-type", &src_type) || cli_opt(&it, "source", &src) ||
            cli_opt(&it, "payload", &payload) || cli_opt(&it, "payload-file", &payload_file) ||
            cli_opt(&it, "idempotency-key", &idem))
            continue;
        if (eid == NULL && cli_pos(&it, &p)) {
            eid = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (eid == NULL) return cli_usage_error(cmd, "missing execution id");
    if (wp == NULL || token == NULL || name == NULL)
        return cli_usage_error(cmd, "--waitpoint, --token and --name are required");
    if (payload && payload_file) return cli_usage_error(cmd, "give at most one of --payload, --payload-file");
    if (strcmp(token, "-") == 0 && payload_file && strcmp(payload_file, "-") == 0)
        return cli_usage_error(cmd, "--token - and --payload-file - cannot both read stdin");
    if (src == NULL) src = getenv("USER");
    if (src == NULL || src[0] == '\0') src = "ffctl";

    /* "--token -": read it from stdin (keeps the bearer token out of the
     * process list and the shell history). */
    char tokbuf[512];
    if (strcmp(token, "-") == 0) {
        if (fgets(tokbuf, sizeof tokbuf, stdin) == NULL) return cli_usage_error(cmd, "--token -: nothing on stdin");
        tokbuf[strcspn(tokbuf, "\r\n")] = '\0';
        token = tokbuf;
    }
    char *fbuf = NULL;
    size_t plen = payload ? strlen(payload) : 0;
    if (payload_file) {
        int e = read_all(payload_file, &fbuf, &plen);
        if (e) return cli_error(FF_ESYS, "--payload-file %s: %s", payload_file, strerror(e));
        payload = fbuf;
    }

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        free(fbuf);
        return rc;
    }
    ff_op *op = NULL;
    int st = cli_wait(ff_signal_deliver(c, eid, wp, token, name, src_type, src, payload, plen, idem, NULL, NULL, &op),
                      &op, eid);
    if (st == FF_OK) {
        const char *sid = ff_op_item_count(op) > 0 ? ff_op_item(op, 0) : "";
        int dup = ff_op_int(op) == 1;
        if (ctx->json) {
            printf("{\"execution_id\":");
            cli_json_str(eid);
            printf(",\"waitpoint_id\":");
            cli_json_str(wp);
            printf(",\"signal_id\":");
            cli_json_str(sid);
            printf(",\"effect\":");
            cli_json_str(ff_op_text(op));
            printf(",\"duplicate\":%s}\n", dup ? "true" : "false");
        } else {
            printf("%s  %s%s\n", sid, ff_op_text(op), dup ? "  (duplicate: the first signal with this key)" : "");
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    free(fbuf);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_signal = {
    "signal",
    run_signal,
    "signal ID --waitpoint W --token T --name N [--source-type T] [--source S] [--payload STR | --payload-file F] "
    "[--idempotency-key K]",
    "Deliver a signal to a suspended execution's waitpoint (needs its token).",
    "  --waitpoint W          waitpoint id (from the suspending worker, or 'ffctl waitpoints')\n"
    "  --token T              the waitpoint's token \"kid:hex\"; '-' reads it from stdin\n"
    "  --name N               signal name (conditions may require one, e.g. \"approved\")\n"
    "  --source-type T        kind of sender (default user; e.g. webhook, system)\n"
    "  --source S             who sends it (default $USER, else \"ffctl\"); count conditions\n"
    "                         over distinct_sources count these\n"
    "  --payload STR          payload bytes; --payload-file F reads a file ('-' = stdin)\n"
    "  --idempotency-key K    a repeat with the same key returns the first signal and has\n"
    "                         no second effect\n"
    "\n"
    "Prints the signal id and its effect: resume_condition_satisfied (the execution\n"
    "is claimable again), appended_to_waitpoint, buffered_for_pending_waitpoint,\n"
    "signal_ignored_matcher_failed, ... A wrong or foreign token fails with\n"
    "FF_INVALID_TOKEN, a rotated-out key with FF_TOKEN_EXPIRED, a closed waitpoint\n"
    "with FF_WAITPOINT_CLOSED. --json prints {execution_id, waitpoint_id,\n"
    "signal_id, effect, duplicate}.\n",
};

/* ---------------------------------------------------------------- secret */

static int secret_list(cli_ctx *ctx, ff_client *c) {
    ff_op *op = NULL;
    int st = cli_wait(ff_secret_list(c, NULL, NULL, &op), &op, "secret list");
    if (st == FF_OK) {
        if (ctx->json) {
            printf("%s\n", ff_op_json(op));
        } else {
            const char *cur = NULL;
            int64_t parts = 0, bad = 0;
            ff_op_json_str(op, "current_kid", &cur);
            ff_op_json_i64(op, "partitions", &parts);
            ff_op_json_i64(op, "partitions_disagreeing", &bad);
            printf("current kid  %s  (%" PRId64 " partitions", cur ? cur : "(none)", parts);
            if (bad) printf(", %" PRId64 " DISAGREE: rotate again with a new kid to converge", bad);
            printf(")\n");
            int64_t now = cli_now_ms();
            for (size_t i = 0;; i++) {
                char path[64], ts[40];
                const char *kid = NULL;
                int64_t exp = 0;
                snprintf(path, sizeof path, "previous.%zu.kid", i);
                if (ff_op_json_str(op, path, &kid) != FF_OK) break;
                snprintf(path, sizeof path, "previous.%zu.expires_at", i);
                ff_op_json_i64(op, path, &exp);
                printf("previous     %s  verifies until %s%s\n", kid, cli_iso8601(exp, ts, sizeof ts),
                       exp < now ? " (expired)" : "");
            }
        }
    }
    ff_op_free(op);
    return st;
}

static int run_secret(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *sub = NULL, *kid = NULL, *hex = NULL;
    int64_t grace = 86400000;
    while (cli_next(&it)) {
        if (cli_opt(&it, "kid", &kid) || cli_opt(&it, "secret-hex", &hex)) continue;
        if (cli_opt_i64(&it, "grace-ms", 0, INT64_C(1000000000000000), &grace)) continue;
        if (sub == NULL && cli_pos(&it, &sub)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (sub == NULL || (strcmp(sub, "rotate") != 0 && strcmp(sub, "list") != 0))
        return cli_usage_error(cmd, "expected 'rotate' or 'list'");
    int rotate = strcmp(sub, "rotate") == 0;
    if (rotate && kid == NULL) return cli_usage_error(cmd, "rotate needs --kid K");
    if (!rotate && (kid || hex)) return cli_usage_error(cmd, "--kid and --secret-hex apply to 'rotate'");

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    int st;
    if (rotate) {
        ff_op *op = NULL;
        st = cli_wait(ff_secret_rotate(c, kid, hex, grace, NULL, NULL, &op), &op, "secret rotate");
        if (st == FF_OK) {
            if (ctx->json) {
                printf("{\"outcome\":");
                cli_json_str(ff_op_text(op));
                printf(",\"kid\":");
                cli_json_str(kid);
                printf(",\"grace_ms\":%" PRId64 "}\n", grace);
            } else if (strcmp(ff_op_text(op), "noop") == 0) {
                printf("noop: %s is already the current kid with this secret\n", kid);
            } else {
                printf("rotated: new tokens are signed with %s; tokens of the previous kid verify for %" PRId64
                       " ms more\n",
                       kid, grace);
            }
        } else {
            fprintf(stderr, "note: the rotation runs per partition; 'ffctl secret list' shows whether they agree\n");
        }
        ff_op_free(op);
    } else {
        st = secret_list(ctx, c);
    }
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_secret = {
    "secret",
    run_secret,
    "secret rotate --kid K [--secret-hex H] [--grace-ms N] | secret list",
    "Rotate or list the waitpoint token signing keys.",
    "  rotate --kid K      make K (1..20 of [A-Za-z0-9_.-]) the current key id on every\n"
    "                      partition; new waitpoint tokens are signed with it\n"
    "  --secret-hex H      its secret, 32..1024 hex digits (default: 32 random bytes)\n"
    "  --grace-ms N        tokens of the previous kid keep verifying for N ms\n"
    "                      (default 86400000 = 24 h; 0 = refuse them at once)\n"
    "  list                current kid and previous kids still in grace\n"
    "\n"
    "Rotating to an existing kid with another secret fails with\n"
    "FF_ROTATION_CONFLICT; the same kid and secret again is a no-op. Secrets are\n"
    "never printed.\n",
};

/* ------------------------------------------------------------- suspended */

typedef struct susp_row {
    const char *eid, *reason;
    int64_t at, timeout_at;
} susp_row;

static int by_time(const void *a, const void *b) {
    const susp_row *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

static void print_suspended(const cli_ctx *ctx, susp_row *rows, size_t n, const char *cursor, int truncated) {
    if (ctx->json) {
        printf("{\"suspended\":[");
        for (size_t i = 0; i < n; i++) {
            printf("%s{\"execution_id\":", i ? "," : "");
            cli_json_str(rows[i].eid);
            printf(",\"suspended_at\":%" PRId64 ",\"blocking_reason\":", rows[i].at);
            cli_json_str(rows[i].reason);
            printf(",\"timeout_at\":");
            if (rows[i].timeout_at > 0)
                printf("%" PRId64, rows[i].timeout_at);
            else
                printf("null");
            printf("}");
        }
        printf("]");
        if (cursor) {
            printf(",\"cursor\":");
            cli_json_str(cursor);
        } else {
            printf(",\"truncated\":%s", truncated ? "true" : "false");
        }
        printf("}\n");
        return;
    }
    if (n == 0) {
        printf("(no suspended executions)\n");
    } else {
        static const char *const hdr[] = {"EXECUTION", "SUSPENDED AT", "REASON", "TIMES OUT"};
        cli_table *t = cli_table_new(4, hdr, "llll");
        for (size_t i = 0; i < n; i++) {
            char a[40], b[40];
            cli_table_cell(t, "%s", rows[i].eid);
            cli_table_cell(t, "%s", cli_iso8601(rows[i].at, a, sizeof a));
            cli_table_cell(t, "%s", rows[i].reason);
            cli_table_cell(t, "%s", rows[i].timeout_at > 0 ? cli_iso8601(rows[i].timeout_at, b, sizeof b) : "never");
        }
        cli_table_print(t, stdout, 0);
        cli_table_free(t);
    }
    if (cursor && strcmp(cursor, "0") != 0) printf("more: repeat with --cursor %s\n", cursor);
    if (truncated) printf("more: only the oldest %zu are shown (raise --limit, or use --partition)\n", n);
}

static size_t collect(const ff_op *op, susp_row *rows, size_t n, size_t cap) {
    size_t items = ff_op_item_count(op);
    for (size_t i = 0; i + 3 < items && n < cap; i += 4) {
        rows[n].eid = ff_op_item(op, i);
        rows[n].at = strtoll(ff_op_item(op, i + 1), NULL, 10);
        rows[n].reason = ff_op_item(op, i + 2);
        rows[n].timeout_at = strtoll(ff_op_item(op, i + 3), NULL, 10);
        n++;
    }
    return n;
}

static int run_suspended(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *cursor = NULL;
    int64_t limit = 100, partition = -1;
    while (cli_next(&it)) {
        if (cli_opt(&it, "cursor", &cursor)) continue;
        if (cli_opt_i64(&it, "limit", 1, 1000, &limit)) continue;
        if (cli_opt_i64(&it, "partition", 0, 16383, &partition)) continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (cursor && partition < 0) return cli_usage_error(cmd, "--cursor applies to --partition listings");

    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    uint32_t parts = ff_client_partitions(c);
    if (partition >= 0 && (uint32_t)partition >= parts) {
        cli_error(FF_EINVAL, "partition %" PRId64 " does not exist: the deployment has %u (0..%u)", partition,
                  (unsigned)parts, (unsigned)parts - 1);
        ff_client_free(c);
        return CLI_EOP;
    }
    uint32_t first = partition >= 0 ? (uint32_t)partition : 0, count = partition >= 0 ? 1 : parts;
    ff_op **ops = calloc(count, sizeof *ops);
    int *sts = calloc(count, sizeof *sts);
    susp_row *rows = calloc((size_t)limit * count, sizeof *rows);
    int st = FF_OK;
    if (ops == NULL || sts == NULL || rows == NULL) {
        st = FF_ENOMEM;
        cli_error(st, "out of memory");
    }
    /* One page of every partition, all in flight at once (pipelined). */
    for (uint32_t i = 0; st == FF_OK && i < count; i++)
        sts[i] = ff_execution_list_suspended(c, first + i, cursor ? cursor : "0", (uint32_t)limit, NULL, NULL,
                                             &ops[i]);
    size_t n = 0;
    int truncated = 0;
    for (uint32_t i = 0; st == FF_OK && i < count; i++) {
        char what[48];
        snprintf(what, sizeof what, "partition %u", (unsigned)(first + i));
        int s = cli_wait(sts[i], &ops[i], what);
        if (s != FF_OK) {
            st = s;
            break;
        }
        n = collect(ops[i], rows, n, (size_t)limit * count);
        const char *next = ff_op_cursor(ops[i]);
        if (partition < 0 && next[0] && strcmp(next, "0") != 0) truncated = 1;
    }
    if (st == FF_OK) {
        qsort(rows, n, sizeof *rows, by_time);
        if (n > (size_t)limit) {
            n = (size_t)limit;
            truncated = 1;
        }
        const char *next = NULL;
        if (partition >= 0) next = ff_op_cursor(ops[0])[0] ? ff_op_cursor(ops[0]) : "0";
        print_suspended(ctx, rows, n, next, truncated);
    }
    for (uint32_t i = 0; ops && i < count; i++) ff_op_free(ops[i]);
    free(ops);
    free(sts);
    free(rows);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_suspended = {
    "suspended",
    run_suspended,
    "suspended [--partition N [--cursor C]] [--limit N]",
    "List suspended executions (oldest first) with their reason and timeout.",
    "  --partition N   one partition, with paging (--cursor C from the previous page)\n"
    "  --limit N       page size 1..1000 (default 100)\n"
    "\n"
    "Without --partition every partition is read (one page each, pipelined) and\n"
    "the oldest --limit are shown. --json prints {\"suspended\":[{execution_id,\n"
    "suspended_at, blocking_reason, timeout_at}], \"cursor\"|\"truncated\"}.\n"
    "'ffctl list --lane L --state suspended' lists one lane.\n",
};

/* ------------------------------------------------------------ waitpoints */

static int run_waitpoints(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *eid = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (eid == NULL && cli_pos(&it, &p)) {
            eid = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (eid == NULL) return cli_usage_error(cmd, "missing execution id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_execution_waitpoints(c, eid, NULL, NULL, &op), &op, eid);
    if (st == FF_OK) {
        size_t n = ff_op_item_count(op);
        if (ctx->json) {
            printf("{\"execution_id\":");
            cli_json_str(eid);
            printf(",\"waitpoints\":[");
            for (size_t i = 0; i + FF_WAITPOINT_ITEMS <= n; i += FF_WAITPOINT_ITEMS) {
                static const char *const f[] = {"id", "key", "state", "kid", "fingerprint"};
                printf("%s{", i ? "," : "");
                for (size_t k = 0; k < 5; k++) {
                    printf("%s\"%s\":", k ? "," : "", f[k]);
                    cli_json_str(ff_op_item(op, i + k));
                }
                const char *exp = ff_op_item(op, i + FF_WAITPOINT_ITEM_EXPIRES_AT);
                printf(",\"expires_at\":%s,\"signal_names\":[", exp && exp[0] ? exp : "null");
                const char *names = ff_op_item(op, i + FF_WAITPOINT_ITEM_SIGNAL_NAMES);
                for (int first = 1; *names; first = 0) {
                    size_t len = strcspn(names, ",");
                    if (!first) putchar(',');
                    cli_json_string(stdout, names, len);
                    names += len + (names[len] == ',');
                }
                printf("]}");
            }
            printf("]}\n");
        } else if (n == 0) {
            printf("(no waitpoints)\n");
        } else {
            static const char *const hdr[] = {"WAITPOINT", "KEY", "STATE", "KID", "FINGERPRINT", "EXPIRES", "SIGNALS"};
            cli_table *t = cli_table_new(7, hdr, "lllllll");
            for (size_t i = 0; i + FF_WAITPOINT_ITEMS <= n; i += FF_WAITPOINT_ITEMS) {
                char ts[40];
                const char *exp = ff_op_item(op, i + FF_WAITPOINT_ITEM_EXPIRES_AT);
                const char *names = ff_op_item(op, i + FF_WAITPOINT_ITEM_SIGNAL_NAMES);
                for (size_t k = 0; k < 5; k++) cli_table_cell(t, "%s", ff_op_item(op, i + k));
                cli_table_cell(t, "%s", exp && exp[0] ? cli_iso8601(strtoll(exp, NULL, 10), ts, sizeof ts) : "-");
                cli_table_cell(t, "%s", names[0] ? names : "(any)");
            }
            cli_table_print(t, stdout, 0);
            cli_table_free(t);
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_waitpoints = {
    "waitpoints", run_waitpoints, "waitpoints ID",
    "List an execution's waitpoints (sanitized: key id and fingerprint, never the token).",
    "State is pending (created before suspending; signals are buffered), active\n"
    "(part of the open suspension) or closed. The fingerprint is the first 16 hex\n"
    "digits of the token's MAC: enough to tell tokens apart, not to use one.\n"
    "SIGNALS are the signal names the resume condition requires of the waitpoint\n"
    "((any): any signal counts).\n"
    "'ffctl waitpoint-token' reads the token itself.\n",
};

/* -------------------------------------------------------- waitpoint-token */

static int run_waitpoint_token(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *eid = NULL, *wp = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (wp == NULL && cli_pos(&it, &p)) {
            if (eid == NULL)
                eid = p;
            else
                wp = p;
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (eid == NULL || wp == NULL) return cli_usage_error(cmd, "missing execution id or waitpoint id");
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ff_op *op = NULL;
    int st = cli_wait(ff_waitpoint_token(c, eid, wp, NULL, NULL, &op), &op, wp);
    if (st == FF_OK) {
        if (ctx->json) {
            printf("{\"execution_id\":");
            cli_json_str(eid);
            printf(",\"waitpoint_id\":");
            cli_json_str(wp);
            printf(",\"token\":");
            cli_json_str(ff_op_text(op));
            printf("}\n");
        } else {
            printf("%s\n", ff_op_text(op));
        }
    }
    ff_op_free(op);
    ff_client_free(c);
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

const cli_cmd cli_cmd_waitpoint_token = {
    "waitpoint-token", run_waitpoint_token, "waitpoint-token ID WAITPOINT",
    "Print a waitpoint's raw token (operator read; the token is a bearer credential).",
    "Whoever holds the token can signal that one waitpoint. Prefer handing it to\n"
    "the party that should signal over storing it. Usable in a pipe:\n"
    "  ffctl waitpoint-token ID W | ffctl signal ID --waitpoint W --token - --name N\n",
};
