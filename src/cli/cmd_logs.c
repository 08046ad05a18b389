/*
 * ffctl logs / ffctl summary: an execution's output streams (docs/streams.md).
 * `logs` prints the frames of every attempt in order (or of one with
 * --attempt), and with -f keeps following, like `kubectl logs -f`, until
 * the execution's last stream closes. Frames that are not printable text
 * (binary payloads, control bytes) are shown escaped, never raw.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_util.h"

#define FOLLOW_BLOCK_MS 1000 /* an attempt that never wrote is seen closed when a block ends */
#define PAGE 1000

typedef struct logs_opts {
    int follow, timestamps, durable_only;
} logs_opts;

static const char *field(ff_op *op, size_t r, int f) { return ff_op_item(op, r + (size_t)f); }

/* Text as is (tabs and newlines kept); any other control byte, invalid
 * UTF-8 or NUL as \xNN, so a binary frame cannot drive the terminal. */
static void print_safe(const unsigned char *p, size_t n) {
    if (cli_is_utf8(p, n)) {
        for (size_t i = 0; i < n; i++) {
            if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f)
                printf("\\x%02x", p[i]);
            else
                putchar(p[i]);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            putchar(p[i]);
        else
            printf("\\x%02x", p[i]);
    }
}

static void print_frame(const cli_ctx *ctx, const logs_opts *o, ff_op *op, size_t r, uint32_t attempt) {
    size_t len = 0;
    const unsigned char *p = ff_op_item_bytes(op, r + FF_ITEMS_READ_STREAM_PAYLOAD, &len);
    const char *ts = field(op, r, FF_ITEMS_READ_STREAM_TS);
    if (ctx->json) {
        static const int keys[] = {FF_ITEMS_READ_STREAM_ID,       FF_ITEMS_READ_STREAM_FRAME_TYPE,
                                   FF_ITEMS_READ_STREAM_MODE,     FF_ITEMS_READ_STREAM_ENCODING,
                                   FF_ITEMS_READ_STREAM_SOURCE,   FF_ITEMS_READ_STREAM_CORRELATION_ID};
        static const char *const names[] = {"id", "type", "mode", "encoding", "source", "correlation_id"};
        printf("{\"attempt\":%u", (unsigned)attempt);
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            const char *v = field(op, r, keys[i]);
            printf(",\"%s\":", names[i]);
            cli_json_string(stdout, v, strlen(v));
        }
        printf(",\"ts\":%s,", ts);
        /* JSON strings must be UTF-8: anything else goes out as base64 */
        if (cli_is_utf8(p, len)) {
            printf("\"payload\":");
            cli_json_string(stdout, (const char *)p, len);
        } else {
            printf("\"payload_base64\":\"");
            cli_base64(stdout, p, len);
            putchar('"');
        }
        printf("}\n");
        return;
    }
    if (o->timestamps) {
        char iso[40];
        int64_t ms = 0;
        sscanf(ts, "%" SCNd64, &ms);
        printf("%s %s ", cli_iso8601(ms, iso, sizeof iso), field(op, r, FF_ITEMS_READ_STREAM_FRAME_TYPE));
    }
    print_safe(p, len);
    if (len == 0 || p[len - 1] != '\n') putchar('\n');
}

/* One attempt: print its frames from the start; with follow, tail until it
 * closes. Sets *reason to the close reason ("" when left open). @p announce:
 * say "# attempt N" on stderr before its first frame (or before waiting for
 * one), not for an attempt that never ran. CLI_OK or CLI_EOP. */
static int show_attempt(ff_client *c, const cli_ctx *ctx, const logs_opts *o, const char *id, uint32_t attempt,
                        int announce, char *reason, size_t cap) {
    char cursor[64] = "";
    uint32_t flags = o->durable_only ? FF_STREAM_DURABLE_ONLY : 0;
    for (;;) {
        ff_op *op = NULL;
        int st = o->follow ? ff_stream_tail(c, id, attempt, cursor, FOLLOW_BLOCK_MS, PAGE, flags, NULL, NULL, &op)
                           : ff_stream_read(c, id, attempt, cursor, NULL, PAGE, flags, NULL, NULL, &op);
        if (cli_wait(st, &op, id) != FF_OK) {
            ff_op_free(op);
            return CLI_EOP;
        }
        snprintf(reason, cap, "%s", ff_op_text(op));
        int ended = strcmp(reason, "execution_ended") == 0;
        if (announce && !ended && (ff_op_item_count(op) > 0 || (o->follow && !reason[0]))) {
            fprintf(stderr, "# attempt %u\n", (unsigned)attempt);
            announce = 0;
        }
        for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_READ_STREAM_STRIDE)
            print_frame(ctx, o, op, r, attempt);
        fflush(stdout);
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        /* the page's JSON is compact with sorted keys (stream.h) */
        int more = strstr(ff_op_json(op), "\"more\":true") != NULL;
        ff_op_free(op);
        if (reason[0] && !more) return CLI_OK;                  /* closed and drained */
        if (!reason[0] && !more && !o->follow) return CLI_OK; /* open: what is there so far */
    }
}

/* The arguments both commands take: the execution id and --attempt N. */
static int id_or_attempt(cli_iter *it, const char **id, int64_t *attempt) {
    const char *p = NULL;
    if (cli_opt_i64(it, "attempt", 0, 1000000000, attempt)) return 1;
    if (*id == NULL && cli_pos(it, &p)) {
        *id = p;
        return 1;
    }
    return 0;
}

/* After the arguments: -1 once connected (go on), else the exit code
 * (--help printed, a usage error, no id, no connection). */
static int end_and_connect(cli_iter *it, const char *id, ff_client **c) {
    int rc = cli_end(it);
    if (rc >= 0) return rc;
    if (id == NULL) return cli_usage_error(it->cmd, "missing execution id");
    rc = cli_connect(it->ctx, c);
    return rc == CLI_OK ? -1 : rc;
}

static int run_logs(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    int64_t attempt = -1;
    logs_opts o = {0};
    while (cli_next(&it)) {
        if (cli_short(&it, 'f') || cli_flag(&it, "follow")) {
            o.follow = 1;
            continue;
        }
        if (cli_flag(&it, "timestamps")) {
            o.timestamps = 1;
            continue;
        }
        if (cli_flag(&it, "durable-only")) {
            o.durable_only = 1;
            continue;
        }
        if (id_or_attempt(&it, &id, &attempt)) continue;
        cli_unknown(&it);
    }
    ff_client *c = NULL;
    int rc = end_and_connect(&it, id, &c);
    if (rc >= 0) return rc;
    char reason[64] = "", last[64] = "";
    uint32_t a = attempt >= 0 ? (uint32_t)attempt : 0;
    for (;; a++) {
        rc = show_attempt(c, ctx, &o, id, a, a > 0 && attempt < 0 && !ctx->json, reason, sizeof reason);
        if (strcmp(reason, "execution_ended") != 0) snprintf(last, sizeof last, "%s", reason);
        /* one attempt asked for, an error, one still open (no -f), or past
         * the last attempt of an ended execution: done */
        if (rc != CLI_OK || attempt >= 0 || !reason[0] || strcmp(reason, "execution_ended") == 0) break;
    }
    if (rc == CLI_OK && last[0] && !ctx->json) fprintf(stderr, "# stream closed: %s\n", last);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_logs = {
    "logs", run_logs, "logs ID [--attempt N] [-f|--follow] [--timestamps] [--durable-only] [--json]",
    "Print an execution's output stream frames; -f follows until the stream closes.",
    "  --attempt N     only attempt N (0-based; default: every attempt, in order)\n"
    "  -f, --follow    keep printing new frames until the last attempt's stream\n"
    "                  closes (across retries and reclaims), like kubectl logs -f\n"
    "  --timestamps    prefix each frame with its time and type\n"
    "  --durable-only  leave best_effort frames out\n"
    "\n"
    "One frame per line (a newline is added when the payload has none). Bytes\n"
    "that are not printable text are shown as \\xNN. Attempt changes and the\n"
    "close reason go to stderr as '# ...' lines. --json: one object per frame\n"
    "(payload, or payload_base64 when it is not UTF-8).\n",
};

/* --------------------------------------------------------------- summary */

static int run_summary(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *id = NULL;
    int64_t attempt = -1;
    while (cli_next(&it)) {
        if (id_or_attempt(&it, &id, &attempt)) continue;
        cli_unknown(&it);
    }
    ff_client *c = NULL;
    int rc = end_and_connect(&it, id, &c);
    if (rc >= 0) return rc;
    ff_op *op = NULL;
    if (attempt < 0) {
        /* the current (or last) attempt; 0 before the first claim */
        if (cli_wait(ff_execution_describe(c, id, NULL, NULL, &op), &op, id) != FF_OK) {
            ff_op_free(op);
            ff_client_free(c);
            return CLI_EOP;
        }
        int64_t n = 0;
        attempt = ff_op_json_i64(op, "current_attempt.index", &n) == FF_OK ? n : 0;
        ff_op_free(op);
        op = NULL;
    }
    rc = CLI_EOP;
    if (cli_wait(ff_stream_summary(c, id, (uint32_t)attempt, NULL, NULL, &op), &op, id) == FF_OK) {
        rc = CLI_OK;
        if (ctx->json)
            printf("{\"attempt\":%" PRId64 ",%s\n", attempt, ff_op_json(op) + 1);
        else if (ff_op_int(op) == 0)
            printf("no summary (attempt %" PRId64 ")\n", attempt);
        else
            printf("%s\n# attempt %" PRId64 ", version %" PRId64 "\n", ff_op_text(op), attempt, ff_op_int(op));
    }
    ff_op_free(op);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_summary = {
    "summary", run_summary, "summary ID [--attempt N] [--json]",
    "Print the summary document an attempt built from its summary frames.",
    "  --attempt N   that attempt (0-based; default: the current one)\n"
    "\n"
    "Prints the JSON document and a '# attempt N, version V' line; --json:\n"
    "{\"attempt\", \"document\", \"version\", \"created\", \"updated\"}.\n",
};
